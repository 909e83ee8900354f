"""The ERAS checklist's items, and how the trackers' data say each one is done.

After the seed (Step 9A-B): before ERAS opens, the exams done or booked with a plan, at least
two strong letters from the specialty uploaded, a CV showing the year's role and projects,
and the statement read by a faculty member in the specialty and by someone who knows the
applicant well; at submission, a broad list with enough community programs, no errors in
dates, jobs or scores, every letter assigned, and the application sent early.

Pure: each ``check_*`` takes plain data (the plan's exam milestones, the writers, the readers,
the programs) and says whether the item holds, with a short detail in plain words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from conversations.rules.letters import MIN_SPECIALTY, Writer, tally
from conversations.rules.programs import Applicant, Program, list_range, warnings

__all__ = [
    "EXAM_STEPS",
    "GROUPS",
    "ITEMS",
    "Item",
    "Status",
    "check_exams",
    "check_letters",
    "check_programs",
    "check_readers",
]

GROUPS: dict[str, str] = {
    "before_eras": "Before ERAS opens",
    "submission": "At submission",
}


@dataclass(frozen=True)
class Item:
    key: str
    title: str
    group: str
    short: str = ""  # the button's words, for an item ticked by hand
    opens: str = ""  # the tracker where it is done, for an item that ticks itself

    @property
    def manual(self) -> bool:
        return not self.opens


ITEMS: tuple[Item, ...] = (
    Item("exams", "Exams done, or booked with a study plan", "before_eras", opens="exams"),
    Item(
        "letters",
        f"At least {MIN_SPECIALTY} strong letters from your specialty uploaded",
        "before_eras",
        opens="letters",
    ),
    Item(
        "cv", "CV showing this year's role, projects and presentations", "before_eras", opens="cv"
    ),
    Item(
        "statement",
        "Statement read by a faculty member in your specialty and by someone who knows you",
        "before_eras",
        opens="statement",
    ),
    Item(
        "programs",
        "A broad program list, with enough community programs",
        "submission",
        opens="programs",
    ),
    Item(
        "no_errors",
        "Dates, jobs and scores checked for errors",
        "submission",
        short="dates, jobs and scores checked",
    ),
    Item(
        "letters_assigned",
        "Every letter assigned to your programs",
        "submission",
        short="letters assigned",
    ),
    Item("submitted", "Application submitted, early", "submission", short="application submitted"),
)


@dataclass(frozen=True)
class Status:
    item: Item
    done: bool
    detail: str = ""


# The plan's exam steps: each exam it holds is done, or at least booked.
EXAM_STEPS = ("retake", "level2", "level3")


def check_exams(planned: Iterable[str], done: Iterable[str]) -> tuple[bool, str]:
    """``planned``: the plan's milestone keys; ``done``: the ones ticked."""
    planned, done = set(planned), set(done)
    exams = [p for p in EXAM_STEPS if f"{p}_done" in planned or f"{p}_booked" in planned]
    if not exams:
        return True, "no new exam in your plan"
    taken = [p for p in exams if f"{p}_done" in done]
    booked = [p for p in exams if f"{p}_booked" in done and p not in taken]
    if len(taken) + len(booked) == len(exams):
        return True, "done" if not booked else "booked"
    return False, "not booked yet"


def check_letters(writers: Sequence[Writer], target: str) -> tuple[bool, str]:
    t = tally([w for w in writers if w.status != "declined"], target)
    return t.uploaded_specialty >= MIN_SPECIALTY, (
        f"{t.uploaded_specialty} of {MIN_SPECIALTY} uploaded" if t.uploaded_specialty < 2 else ""
    )


def check_readers(readers: Iterable[Mapping[str, Any]]) -> tuple[bool, str]:
    done = {str(r.get("role")) for r in readers if r.get("status") == "done"}
    missing = [
        w
        for role, w in (("faculty", "faculty"), ("knows", "someone who knows you"))
        if role not in done
    ]
    return not missing, (f"still to read it: {' and '.join(missing)}" if missing else "")


def check_programs(programs: Sequence[Program], who: Applicant) -> tuple[bool, str]:
    low, _, _ = list_range(who.specialty)
    found = {w.key for w in warnings(programs, who)}
    if len(programs) < low:
        return False, f"{len(programs)} of at least {low}"
    if "community" in found:
        return False, "too few community programs"
    return True, f"{len(programs)} programs"
