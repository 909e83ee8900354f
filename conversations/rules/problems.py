"""The shapes of a diagnosis: findings, and the one-page Problems List made from them.

Plain frozen dataclasses (JSON-safe through ``as_dict`` / ``from_dict``), shared by the
diagnosis rules (``diagnosis.py``), the post-mortem flow and the PDF (``problems_pdf.py``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

# The four buckets of the seed's typical patterns, in the order the coach shows them.
BUCKETS: dict[str, str] = {
    "exams": "Scores and exams",
    "red_flags": "Red flags",
    "strategy": "Application strategy",
    "experience": "Experience and letters",
}


@dataclass(frozen=True)
class Finding:
    """One reason the application fell short, with the evidence behind it.

    ``code`` is stable (used in storage and tests); ``title``, ``evidence`` and ``why`` are
    what the user reads. ``weight`` orders findings: higher is more urgent. ``source`` says
    where it came from: "profile", "self_review", "feedback" or "user" (added by hand).
    """

    code: str
    bucket: str
    title: str
    evidence: tuple[str, ...]
    why: str
    weight: int
    source: str = "profile"

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["evidence"] = list(self.evidence)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(**{**data, "evidence": tuple(data.get("evidence", ()))})


@dataclass(frozen=True)
class Target:
    """The committed target: a primary specialty and a backup strategy, in plain words."""

    primary: str
    backup: str
    pivot: bool = False  # True when the primary is a change from last cycle's specialty


@dataclass(frozen=True)
class ProblemsList:
    """The one page: who, when, the top deficits (2-3) and, optionally, the target."""

    name: str | None
    made_on: date
    top: tuple[Finding, ...]
    others: tuple[Finding, ...] = ()
    target: Target | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "made_on": self.made_on.isoformat(),
            "top": [f.as_dict() for f in self.top],
            "others": [f.as_dict() for f in self.others],
            "target": asdict(self.target) if self.target else None,
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ProblemsList:
        target = data.get("target")
        return cls(
            name=data.get("name"),
            made_on=date.fromisoformat(data["made_on"]),
            top=tuple(Finding.from_dict(f) for f in data.get("top", [])),
            others=tuple(Finding.from_dict(f) for f in data.get("others", [])),
            target=Target(**target) if target else None,
            notes=tuple(data.get("notes", [])),
        )
