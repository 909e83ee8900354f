"""Who a plan is for: the few facts from the diagnosis and the target that shape its milestones.

``situation_of(profile, target)`` reads the onboarding answers (the keys of
``features/onboarding/questions.py``) through the diagnosis's own rules and thresholds
(``diagnosis.py``), so the plan and the Problems List never disagree about a person, and
takes the specialty from the committed target (else last cycle's). The plan rules
(``plan.py``) then turn the facts into dated milestones; they never read the profile.

The facts, after the seed's branches:

* **Exams.** An exam still failed is retaken, as early as reasonably possible (within 3-6
  months). Step 2 CK (or COMLEX Level 2-CE) not taken yet is taken by late spring or early
  summer, so the score is in when applications open. A Step 2 / Level 2 that is low but
  passed (the diagnosis's "low" line), or a failed attempt since passed, is answered by a
  strong Step 3 (or COMLEX Level 3) within 6-9 months: the upward trend programs look for.
  A retake or a missing Level 2 comes first, so Level 3 is only planned without them.
* **US clinical experience.** An IMG with little of it (the diagnosis's ``little_usce``)
  makes a US clinical role the year's role.
* **Red flags.** Anything on the record to explain gets its short explanation written early.
* **The specialty's own items**, where they differ: emergency medicine reads standardized
  letters of evaluation (SLOEs) from emergency physicians rather than ordinary letters.

Pure and forgiving like the diagnosis: missing or oddly typed answers just mean fewer facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from conversations.rules.diagnosis import (
    LOW_COMLEX2,
    LOW_STEP2,
    canonical_specialty,
    diagnose,
)

__all__ = ["EMERGENCY_MEDICINE", "RED_FLAG_FINDINGS", "Situation", "situation_of"]

EMERGENCY_MEDICINE = "Emergency Medicine"
# The diagnosis's red-flag findings that need a short, owned explanation.
RED_FLAG_FINDINGS = frozenset({"course_fail", "repeat_year", "loa", "professionalism"})


@dataclass(frozen=True)
class Situation:
    """What the year must hold for one person (empty strings and False: nothing special).

    ``retake`` names the exam to retake ("COMLEX Level 1"); ``level2`` the Level 2 exam not
    taken yet ("Step 2 CK"); ``level3`` the exam that shows the upward trend ("Step 3"), with
    ``level3_after_failure`` when it answers a failed attempt rather than a low score.
    """

    specialty: str = ""
    retake: str = ""
    level2: str = ""
    level3: str = ""
    level3_after_failure: bool = False
    img: bool = False
    do: bool = False
    usce: bool = False
    red_flag: bool = False

    @property
    def emergency(self) -> bool:
        return self.specialty == EMERGENCY_MEDICINE

    def as_dict(self) -> dict[str, Any]:
        """Only what differs from the defaults (it rides in every plan reminder's payload)."""
        default = Situation()
        return {k: v for k, v in asdict(self).items() if v != getattr(default, k)}

    @classmethod
    def from_dict(cls, data: Any) -> Situation:
        """Back from ``as_dict`` (unknown keys and wrong types are ignored)."""
        if not isinstance(data, Mapping):
            return cls()
        values: dict[str, Any] = {}
        for f in fields(cls):
            value = data.get(f.name)
            if isinstance(value, type(getattr(cls(), f.name))):
                values[f.name] = value
        return cls(**values)


def _score(value: Any, low: int, high: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if low <= value <= high else None


def _codes(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, list | tuple):
        return {v for v in value if isinstance(v, str)}
    return set()


def situation_of(profile: Mapping[str, Any] | None, target: str | None = None) -> Situation:
    """The facts the plan's milestones depend on (see the module doc)."""
    p = profile if isinstance(profile, Mapping) else {}
    findings = {f.code for f in diagnose(p)}
    degree = p.get("degree")
    do = degree == "us_do"
    specialty = canonical_specialty(target) if target else canonical_specialty(p.get("specialty"))

    # An exam still failed, lowest level first (Level 1 must pass before Level 2).
    still_failed = (
        ("comlex1", "COMLEX Level 1"),
        ("step1", "Step 1"),
        ("comlex2", "COMLEX Level 2-CE"),
        ("step2", "Step 2 CK"),
    )
    retake = next((name for key, name in still_failed if p.get(key) == "fail"), "")

    level2 = ""
    if "no_step2" in findings and p.get("step2") != "fail" and p.get("comlex2") != "fail":
        level2 = "COMLEX Level 2-CE" if do else "Step 2 CK"

    level3, after_failure = "", False
    if not retake and not level2:
        s2 = _score(p.get("step2"), 1, 300)
        c2 = _score(p.get("comlex2"), 100, 999)
        failed_before = bool(_codes(p.get("exam_failures")) - {"none"})
        if s2 is not None and s2 < LOW_STEP2:
            level3 = "Step 3"
        elif c2 is not None and c2 < LOW_COMLEX2:
            level3 = "COMLEX Level 3"
        elif failed_before:
            level3, after_failure = ("COMLEX Level 3" if do else "Step 3"), True

    return Situation(
        specialty=specialty,
        retake=retake,
        level2=level2,
        level3=level3,
        level3_after_failure=after_failure,
        img=degree == "img",
        do=do,
        usce="little_usce" in findings,
        red_flag=bool(findings & RED_FLAG_FINDINGS),
    )
