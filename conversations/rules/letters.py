"""Letters of recommendation: who writes them, where each stands, and what is still missing.

After the seed (Step 6A): three or four strong letters that speak to the target specialty, at
least two from attendings in it who have watched the applicant work (in clinic, on service, or
in research or QI with concrete results), and at most one from a research mentor outside it,
when that mentor carries weight. A writer is asked once they have seen six to eight weeks of
solid work, with a question that lets them say no; a writer who hesitates is thanked and not
used, because a lukewarm letter does more harm than a missing one.

Pure: a writer is the content of one tracker item (kind ``KIND``), read forgivingly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from conversations.rules.parsing import stored_day
from conversations.rules.specialties import canonical_specialty

__all__ = [
    "ASK_AFTER_DAYS",
    "FOLLOW_UP_DAYS",
    "KIND",
    "MAX_OUTSIDE_PI",
    "MIN_SPECIALTY",
    "ROLES",
    "STATUSES",
    "TARGET",
    "Tally",
    "Writer",
    "ask_day",
    "follow_up_days",
    "tally",
    "writer_of",
    "writer_specialty",
]

KIND = "letter"
# Where a writer stands, in the order a letter moves; "declined" is off the path.
STATUSES: dict[str, str] = {
    "to_ask": "not asked yet",
    "asked": "asked, waiting for an answer",
    "agreed": "agreed to write",
    "uploaded": "uploaded to ERAS",
    "declined": "not using (declined or hesitated)",
}
_RANK = {"to_ask": 0, "asked": 1, "agreed": 2, "uploaded": 3}
ROLES: dict[str, str] = {
    "attending": "attending who supervised me",
    "leader": "program director or chair",
    "pi": "research or QI mentor",
    "other": "someone else",
}
TARGET = (3, 4)  # strong letters to have
MIN_SPECIALTY = 2  # of them from attendings in the target specialty
MAX_OUTSIDE_PI = 1  # research mentors outside the specialty that count
ASK_AFTER_DAYS = 42  # six weeks of work seen: the earliest good moment to ask
FOLLOW_UP_DAYS = 14  # a friendly check-in this long after a writer agreed
_BEFORE_ERAS_DAYS = 7  # and once more a week before applications open, if still not in


# Attendings whose field trains through a residency: a cardiologist is an internist, and
# their letter speaks to an internal medicine application. (Typed as written, these names
# are kept: "cardiology" is not a misspelt "radiology".)
_SUBSPECIALTIES: dict[str, frozenset[str]] = {
    "Internal Medicine": frozenset(
        {
            "cardiology",
            "gastroenterology",
            "gi",
            "nephrology",
            "pulmonology",
            "pulmonary",
            "pulmonary and critical care",
            "critical care",
            "hematology",
            "oncology",
            "hematology oncology",
            "heme onc",
            "infectious disease",
            "infectious diseases",
            "endocrinology",
            "rheumatology",
            "geriatrics",
            "hospital medicine",
            "hospitalist",
            "allergy and immunology",
        }
    ),
    "Pediatrics": frozenset(
        {"neonatology", "nicu", "pediatric cardiology", "pediatric emergency medicine"}
    ),
}
SUBSPECIALTY_NAMES = frozenset(n for names in _SUBSPECIALTIES.values() for n in names)


def _key(text: str) -> str:
    return " ".join(
        text.casefold().replace("&", " and ").replace("/", " ").replace("-", " ").split()
    )


def writer_specialty(text: str) -> str:
    """A writer's specialty as typed, named the usual way ("im" -> "Internal Medicine"),
    except a subspecialty, kept as typed (capitalised)."""
    if _key(text) in SUBSPECIALTY_NAMES:
        return " ".join(text.split()).title() if text.islower() else " ".join(text.split())
    return canonical_specialty(text)


@dataclass(frozen=True)
class Writer:
    key: str
    name: str
    specialty: str = ""
    role: str = "other"
    how: str = ""
    since: date | None = None
    status: str = "to_ask"
    asked_on: date | None = None
    agreed_on: date | None = None
    uploaded_on: date | None = None

    @property
    def rank(self) -> int:
        """How far along the letter is (0 not asked ... 3 uploaded; -1 not used)."""
        return _RANK.get(self.status, -1)

    def in_specialty(self, target: str) -> bool:
        """Whether they practise the target specialty (names matched as the user typed them)."""
        wanted = canonical_specialty(target)
        if _key(self.specialty) in _SUBSPECIALTIES.get(wanted, frozenset()):
            return True
        mine = canonical_specialty(self.specialty).casefold()
        return bool(mine) and mine == wanted.casefold()

    def outside_pi(self, target: str) -> bool:
        return self.role == "pi" and not self.in_specialty(target)


def writer_of(key: str, content: Mapping[str, Any]) -> Writer:
    """A writer from a stored item, whatever an older version stored."""
    status = content.get("status")
    role = content.get("role")
    return Writer(
        key=key,
        name=str(content.get("name") or "A writer"),
        specialty=str(content.get("specialty") or ""),
        role=role if role in ROLES else "other",
        how=str(content.get("how") or ""),
        since=stored_day(content.get("since")),
        status=status if status in STATUSES else "to_ask",
        asked_on=stored_day(content.get("asked_on")),
        agreed_on=stored_day(content.get("agreed_on")),
        uploaded_on=stored_day(content.get("uploaded_on")),
    )


@dataclass(frozen=True)
class Tally:
    """The letters counted against the target for one specialty.

    ``secured``: agreed or uploaded, with research mentors outside the specialty counted once
    at most; ``specialty``: of those, from the specialty; ``waiting``: asked, no answer yet;
    ``to_ask``: on the list, not asked; ``extra_pis``: outside mentors beyond the one that counts.
    """

    target: str
    secured: int
    specialty: int
    uploaded: int
    uploaded_specialty: int
    waiting: int
    to_ask: int
    extra_pis: int
    in_play_specialty: int  # asked, agreed or uploaded, from the specialty

    @property
    def missing(self) -> int:
        return max(0, TARGET[0] - self.secured)

    @property
    def missing_specialty(self) -> int:
        return max(0, MIN_SPECIALTY - self.specialty)

    @property
    def enough(self) -> bool:
        return self.missing == 0 and self.missing_specialty == 0

    def missing_line(self) -> str:
        """One plain line: what is still missing, or that the target is met."""
        field_name = self.target or "your target specialty"
        if self.enough:
            more = (
                " A fourth strong one is welcome but not required."
                if self.secured < TARGET[1]
                else ""
            )
            return (
                f"You have what programs look for: {self.secured} strong letters, "
                f"{self.specialty} from {field_name}.{more}"
            )
        need = max(self.missing, self.missing_specialty)
        plural = "letter" if need == 1 else "letters"
        if not self.missing_specialty:
            where = ""
        elif need == 1:
            where = f", from an attending in {field_name}"
        elif self.missing_specialty == need:
            where = f", all from attendings in {field_name}"
        else:
            where = f", at least {self.missing_specialty} of them from attendings in {field_name}"
        pipeline = []
        if self.waiting:
            pipeline.append(f"{self.waiting} asked and waiting")
        if self.to_ask:
            pipeline.append(f"{self.to_ask} still to ask")
        after = f" (on the way: {', '.join(pipeline)})" if pipeline else ""
        return f"Still missing: {need} more agreed {plural}{where}{after}."


def tally(writers: Iterable[Writer], target: str) -> Tally:
    """Count ``writers`` against the seed's target for ``target`` (the specialty)."""
    writers = list(writers)
    secured = [w for w in writers if w.rank >= _RANK["agreed"]]
    outside = [w for w in secured if w.outside_pi(target)]
    counted = [w for w in secured if not w.outside_pi(target)] + outside[:MAX_OUTSIDE_PI]
    uploaded = [w for w in counted if w.status == "uploaded"]
    return Tally(
        target=target,
        secured=len(counted),
        specialty=sum(w.in_specialty(target) for w in counted),
        uploaded=len(uploaded),
        uploaded_specialty=sum(w.in_specialty(target) for w in uploaded),
        waiting=sum(w.status == "asked" for w in writers),
        to_ask=sum(w.status == "to_ask" for w in writers),
        extra_pis=max(0, len(outside) - MAX_OUTSIDE_PI),
        in_play_specialty=sum(w.rank >= _RANK["asked"] and w.in_specialty(target) for w in writers),
    )


def ask_day(writer: Writer) -> date | None:
    """The day to ask a writer not asked yet: six weeks after they started seeing your work
    (None: asked already, not used, or no start day known)."""
    if writer.status != "to_ask" or writer.since is None:
        return None
    return writer.since + timedelta(days=ASK_AFTER_DAYS)


def follow_up_days(writer: Writer, eras_opens: date | None) -> list[date]:
    """When to check on a letter agreed but not uploaded: two weeks after they agreed, and a
    week before ERAS opens (when that is later), so no letter is missing on opening day."""
    if writer.status != "agreed" or writer.agreed_on is None:
        return []
    days = [writer.agreed_on + timedelta(days=FOLLOW_UP_DAYS)]
    if eras_opens is not None:
        last = eras_opens - timedelta(days=_BEFORE_ERAS_DAYS)
        if last > days[0]:
            days.append(last)
    return days
