"""The 12-month rescue plan as pure rules: cycle dates, phases, milestones and effort.

Nothing here reads the clock: every function takes the dates it needs (``start``, ``today``).

Cycle data
    One TOML file per ERAS season in ``conversations/rules/cycles/`` (package data), named by the
    Match year: ``eras_2027.toml`` holds the dates of the season whose applications go out in
    September 2026 and whose Match Day is in March 2027. Each date carries its ``source`` and
    an ``estimate`` flag; the files and their yearly upkeep are described in
    ``conversations/rules/cycles/__init__.py``.

The seed's months and the calendar (the reconciliation rule)
    The seed counts twelve months from the week after Match Week and puts the application in
    months 9-12, but the calendar fixes when applications go out (early September). So the
    plan places the seed's months on a *seed scale* x (0 = start, 12 = Match Day; seed
    month k is the stretch x in [k-1, k]) and maps it onto real dates, piecewise linearly,
    with four anchors:

    * x = 0 is the user's start date;
    * x = 3 (end of the first quarter: post-mortem, target, role found) is
      ``min(3 months, 3/8 of the preparation window)`` after the start: those first steps are
      never stretched, because delaying them only wastes time; any extra time goes to months
      4-8 (exams, the role, the rebuild), where it pays;
    * x = 8 (end of the rebuild, start of "apply") is the day submissions open;
    * x = 12 is Match Day.

    The preparation window [start, submissions open] therefore holds the seed's months 1-8,
    compressed or stretched as needed, and the application window [submissions open, Match
    Day] holds months 9-12. A start the week after Match Week gives the same overall shape
    as the seed with submission around calendar month 6.

    Phases (``PHASES``) keep the seed's overlapping windows on that scale (diagnosis 1-2,
    deficits 2-4, role 3-9, rebuild 6-8, apply 9-12) but are never shorter than their
    ``min_days`` (21, 28, 56, 28 days; "apply" always runs from submissions open to Match
    Day); a lengthened phase never runs past Match Day.

    Personal milestones sit at their seed position on the same scale (post-mortem week 2,
    target week 3, role by month 3, abstracts before month 7, statement month 7, program list
    month 7.5, manuscript by the start of month 9, which is the day submissions open), never
    earlier than a small floor after the start (7, 10 and 21 days for the first three).
    Letters are asked 8 weeks of real time after the role is secured (the seed's 6-8 weeks of
    being watched do not compress), counted from the day it really was once the user says so.
    Cycle milestones take their dates from the cycle file: ERAS opens, application submitted
    (within the first week submissions open), programs start reviewing (with the MSPE),
    interview answer ready (by that day), NRMP registration, rank order list deadline, Match
    Day. Milestones dated before the start are left out.

Whose plan (``Situation``, from ``situation.py``)
    The milestones above are everyone's; who the person is adds or changes some, from the
    diagnosis and the committed target (the plan itself never reads the profile):

    * a retake (an exam still failed): booked by the end of month 1, taken about 15 weeks
      after the start (the seed's "within 3-6 months", at its early end: as early as
      reasonably possible);
    * Level 2 not taken yet: booked by the end of month 1, taken by June 30 of the
      application year (the seed's "late spring or early summer at the latest"), or, when a
      Level 1 retake comes first, 8 weeks after it; always a week before submissions open;
    * Step 3 / COMLEX Level 3 for a low Level 2 score (or a failed attempt since passed):
      booked by the end of month 4 (done or booked before ERAS), taken 7.5 months after the
      start (the middle of the seed's 6-9 months);
    * an IMG with little US clinical experience: the role is a US clinical one, letters are
      asked after 6 weeks (the seed's "at least 4-6 weeks" for clinical roles) and three
      months of that experience is its own milestone;
    * a red flag: its two or three sentences written by the end of month 2;
    * emergency medicine: SLOEs (standardized letters of evaluation) instead of letters;
    * the role, letters and program list name the specialty and say what fits it.

Milestones done
    ``build_plan`` takes the milestones the user has done (key -> day). A done milestone keeps
    its place with ``done_on`` set; ``next_deadlines`` skips it, so /plan, /checkin and the
    weekly planning move on to what is really next, and the plan's reminders leave it out.

    Effort quarters are the seed's months 1-3, 4-6, 7-9 and 10-12 on the same scale.

Plan months
    ``month_of_plan`` divides the span from start to Match Day into twelve equal parts: a plan
    that starts in late March is about twelve calendar months long, so its months are close to
    calendar months (submission lands in month 6); a plan that starts later and aims further
    out (say November to a Match Day sixteen months away) has longer months. Before the start
    it is month 1 and after Match Day month 12 (clamped). ``active_phases`` and ``effort_for``
    clamp ``today`` into the plan the same way.

Choosing the cycle
    ``choose_cycle`` looks at the first season whose submissions open after the start. If
    fewer than ``MIN_PREP_DAYS`` (about four months) remain, it is *too soon*: a post-mortem
    (3 weeks), a role found (up to ~6 weeks) and 6-8 weeks of observed work before letters can
    be asked add up to about four months. The following season is then recommended and the
    near one offered as the alternative, with a plain-words trade-off.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any, Literal

from conversations.rules.diagnosis import COMPETITIVE
from conversations.rules.situation import Situation

__all__ = [
    "EFFORT_CATEGORIES",
    "EFFORT_SPLITS",
    "MILESTONE_KEYS",
    "MIN_PREP_DAYS",
    "PHASES",
    "REQUIRED_DATES",
    "Cycle",
    "CycleChoice",
    "CycleDataError",
    "CycleDate",
    "EffortQuarter",
    "Milestone",
    "Phase",
    "Plan",
    "active_phases",
    "available_seasons",
    "build_plan",
    "choose_cycle",
    "done_milestones",
    "effort_for",
    "load_cycle",
    "month_of_plan",
    "next_cycles",
    "next_deadlines",
    "parse_cycle",
    "plan_from_basis",
    "progress_bar",
    "still_open",
]

# One seed month in days (the average calendar month).
MONTH_DAYS = 365.25 / 12

# Fewer days than this between the start and the day submissions open is "too soon".
MIN_PREP_DAYS = 122  # about four months

# The dates every cycle file must hold, in the order the coach talks about them.
REQUIRED_DATES: tuple[str, ...] = (
    "eras_opens",
    "submissions_open",
    "programs_review",
    "mspe_release",
    "nrmp_registration",
    "rol_deadline",
    "match_day",
)

# Pairs (earlier, later) that must hold strictly within a season ...
_STRICT_ORDER: tuple[tuple[str, str], ...] = (
    ("eras_opens", "submissions_open"),
    ("submissions_open", "programs_review"),
    ("nrmp_registration", "rol_deadline"),
    ("rol_deadline", "match_day"),
    ("submissions_open", "rol_deadline"),
)
# ... and pairs that may fall on the same day (the MSPE comes with programs' review or later).
_ORDER_OR_SAME: tuple[tuple[str, str], ...] = (("programs_review", "mspe_release"),)

_CYCLE_PACKAGE = "conversations.rules.cycles"
_CYCLE_FILE = re.compile(r"^eras_(\d{4})\.toml$")

MilestoneKind = Literal["milestone", "deadline", "cycle"]


class CycleDataError(ValueError):
    """A cycle file is missing, malformed, or its dates are out of the documented order."""


# --------------------------------------------------------------------------- shapes


@dataclass(frozen=True)
class CycleDate:
    """One dated event of a cycle: the day, where it comes from, and whether it is estimated."""

    day: date
    source: str
    estimate: bool
    label: str


@dataclass(frozen=True)
class Cycle:
    """One ERAS season, named by its Match year (season 2027: apply Sept 2026, Match March 2027)."""

    season: int
    dates: Mapping[str, CycleDate] = field(hash=False)
    checked: date | None = None  # when a maintainer last checked the file against sources

    def day(self, name: str) -> date:
        return self.dates[name].day

    @property
    def submissions_open(self) -> date:
        return self.day("submissions_open")

    @property
    def match_day(self) -> date:
        return self.day("match_day")

    @property
    def has_estimates(self) -> bool:
        return any(d.estimate for d in self.dates.values())


@dataclass(frozen=True)
class Phase:
    """A stretch of the plan: what it is for, when it runs, and what to do now.

    ``seed_months`` is the phase's window in the original 12-month plan (e.g. ``(3, 9)``);
    ``start`` and ``end`` (inclusive) are its real dates for this user.
    """

    key: str
    title: str
    purpose: str
    start: date
    end: date
    actions: tuple[str, ...]
    seed_months: tuple[int, int]


@dataclass(frozen=True)
class Milestone:
    """A dated checkpoint.

    ``kind`` is "milestone" (a personal goal), "deadline" (act by this day) or "cycle" (an
    ERAS/NRMP event). ``cycle_date`` names the cycle date it comes from, if any, and
    ``estimate`` is that date's flag (always False for personal milestones). ``done_on`` is
    the day the user did it (None: not yet); cycle events are never done, only passed.
    """

    key: str
    title: str
    due: date
    kind: MilestoneKind
    ready: str
    estimate: bool = False
    cycle_date: str | None = None
    done_on: date | None = None

    @property
    def can_be_done(self) -> bool:
        """Something the user does (a cycle date just happens)."""
        return self.kind != "cycle"


@dataclass(frozen=True)
class EffortQuarter:
    """The seed's effort split for one quarter (months 1-3, 4-6, 7-9, 10-12), with its dates."""

    quarter: int
    start: date
    end: date
    split: Mapping[str, int] = field(hash=False)


@dataclass(frozen=True)
class Plan:
    """A user's plan, from ``start`` to the chosen cycle's Match Day."""

    start: date
    cycle: Cycle
    phases: tuple[Phase, ...]
    milestones: tuple[Milestone, ...]
    effort: tuple[EffortQuarter, ...]
    who: Situation = field(default_factory=Situation)
    done: Mapping[str, date] = field(default_factory=dict, hash=False)

    @property
    def season(self) -> int:
        return self.cycle.season

    @property
    def end(self) -> date:
        return self.cycle.match_day

    def milestone(self, key: str) -> Milestone | None:
        return next((m for m in self.milestones if m.key == key), None)

    def basis(self) -> dict[str, Any]:
        """What rebuilds this plan (``plan_from_basis``), JSON-safe: start, season, who the
        user is, and the done days that move other dates. Plan reminders carry it."""
        basis: dict[str, Any] = {"start": self.start.isoformat(), "season": self.season}
        who = self.who.as_dict()
        if who:
            basis["who"] = who
        timing = {k: self.done[k].isoformat() for k in _TIMING_KEYS if k in self.done}
        if timing:
            basis["done"] = timing
        return basis


@dataclass(frozen=True)
class CycleChoice:
    """Which season to aim for, from a start date.

    ``nearest`` is the first season whose submissions open after the start; ``prep_days`` the
    days until then. When ``too_soon``, ``recommended`` is the following season and
    ``alternative`` the nearest one (apply now); otherwise ``recommended`` is the nearest and
    ``alternative`` is None. ``explanation`` is ready to show the user.
    """

    start: date
    nearest: Cycle
    prep_days: int
    too_soon: bool
    recommended: Cycle
    alternative: Cycle | None
    explanation: str


# --------------------------------------------------------------------------- the seed, in our words

# The four effort categories of the seed's table, with the label the coach shows.
EFFORT_CATEGORIES: dict[str, str] = {
    "diagnosis_planning": "Diagnosis & planning",
    "exams_study": "Exams & study",
    "work": "Work (research or clinical)",
    "application_interviews": "Application & interviews",
}

# The seed's split (percent) per quarter: months 1-3, 4-6, 7-9, 10-12.
EFFORT_SPLITS: tuple[dict[str, int], ...] = (
    {"diagnosis_planning": 50, "exams_study": 30, "work": 20, "application_interviews": 0},
    {"diagnosis_planning": 10, "exams_study": 40, "work": 40, "application_interviews": 10},
    {"diagnosis_planning": 5, "exams_study": 20, "work": 50, "application_interviews": 25},
    {"diagnosis_planning": 5, "exams_study": 10, "work": 40, "application_interviews": 45},
)


@dataclass(frozen=True)
class _PhaseRule:
    key: str
    title: str
    purpose: str
    seed_months: tuple[int, int]
    min_days: int
    actions: tuple[str, ...]


PHASES: tuple[_PhaseRule, ...] = (
    _PhaseRule(
        "diagnose",
        "Diagnose and choose your target",
        "Find out, in writing, why last cycle didn't work, and commit to a target you can reach.",
        (1, 2),
        21,
        (
            "Ask three people for a frank review: your dean's office, an advisor in your "
            "specialty, and someone outside it. Send them your application and program list first.",
            "Turn what they tell you into a one-page Problems List: your top two or three gaps.",
            "Choose a primary specialty and a backup plan, and write both down.",
        ),
    ),
    _PhaseRule(
        "deficits",
        "Fix what can't wait",
        "Start early on what takes longest to change: exams, red flags and anything missing.",
        (2, 4),
        28,
        (
            "If an exam held you back, book a date and follow a structured plan: a retake if "
            "you failed, or Step 3 / COMLEX 3 to show an upward trend.",
            "If Step 2 isn't done yet, take it early enough for the score to be in before "
            "applications open.",
            "Write two or three calm sentences for any red flag: what happened, what you did "
            "about it, and that it's resolved.",
        ),
    ),
    _PhaseRule(
        "role",
        "Do high-yield work",
        "Work next to attendings in your target specialty, in a role that produces results "
        "you can show and people who can vouch for you.",
        (3, 9),
        56,
        (
            "Go for a research, research-coordinator or clinical-fellow role at a place with a "
            "residency in your specialty; a job that only pays the bills won't help your "
            "application much.",
            "Be seen: grand rounds, journal club, conferences. Volunteer to present and to lead "
            "a small quality-improvement project.",
            "After 6-8 weeks of solid work, ask the attendings who've seen it whether they can "
            "write you a strong, detailed letter.",
        ),
    ),
    _PhaseRule(
        "rebuild",
        "Rebuild your application",
        "Turn this year into an application that shows clear growth, not the same file again.",
        (6, 8),
        28,
        (
            "Write a new personal statement from scratch: why this specialty, what you did this "
            "year, and evidence instead of adjectives.",
            "Line up three or four letters, at least two from attendings in your target specialty.",
            "Build a broad, realistic program list in a spreadsheet, sorted into realistic, "
            "stretch and reach, using match data and program websites.",
        ),
    ),
    _PhaseRule(
        "apply",
        "Apply and interview",
        "Submit early, prepare for interviews, and see the cycle through to Match Day.",
        (9, 12),
        0,
        (
            "Submit in the first days applications open, after checking dates, scores and that "
            "every letter is assigned.",
            "Practise a short, calm answer to \u201cwhat did you do this past year?\u201d: "
            "acknowledge it, show what you built, tie it to the specialty.",
            "Ask mentors who know program directors to send a brief note for you, and certify "
            "your rank order list well before the deadline.",
        ),
    ),
)


@dataclass(frozen=True)
class _MilestoneRule:
    key: str
    title: str
    seed_x: float  # position on the seed scale (months since start)
    floor_days: int  # never earlier than this many days after the start
    ready: str


_WEEK = 7 / MONTH_DAYS  # one week on the seed scale

# Everyone's own milestones. The role, the letters and the program list are worded for the
# person (``_role``, ``_letters``, ``_program_list_ready``); exams, US clinical experience and
# red flags come only to those who need them (``_exam_milestones`` and ``_milestones``).
_PERSONAL_MILESTONES: tuple[_MilestoneRule, ...] = (
    _MilestoneRule(
        "post_mortem",
        "Post-mortem done",
        2 * _WEEK,
        7,
        "Your one-page Problems List: the top two or three reasons, backed by written feedback.",
    ),
    _MilestoneRule(
        "target",
        "Target chosen",
        3 * _WEEK,
        10,
        "A primary specialty and a backup plan, written down, with the gaps you'll close for it.",
    ),
    _MilestoneRule(
        "red_flag_explained",
        "Red-flag explanation ready",
        2.0,
        28,
        "Two or three calm sentences about what's on your record: what happened, what you did "
        "about it, and how things have gone since. Own it, skip the excuses, and say it out "
        "loud until it feels natural (/practice will ask you).",
    ),
    _MilestoneRule(
        "role_secured",
        "High-yield role secured",
        3.0,
        21,
        "",  # worded for the person: see _role
    ),
    _MilestoneRule(
        "abstracts",
        "Abstracts or posters submitted",
        6.0,
        0,
        "One or two abstracts or posters submitted, so they can go on your application.",
    ),
    _MilestoneRule(
        "personal_statement",
        "Personal statement rewritten",
        7.0,
        0,
        "A new statement, read by a faculty member in your specialty and by someone who knows "
        "you well.",
    ),
    _MilestoneRule(
        "cv_updated",
        "CV updated",
        7.0,
        0,
        "A CV with three to five solid entries (this year's role with its real duties, your "
        "projects, any teaching), each with its dates, hours a week and what came of it.",
    ),
    _MilestoneRule(
        "program_list",
        "Program list built",
        7.5,
        0,
        "",  # worded for the person: see _program_list_ready
    ),
    _MilestoneRule(
        "manuscript",
        "Manuscript submitted",
        8.0,
        0,
        "At least one manuscript submitted (under review counts), in time to list it.",
    ),
)

_LETTERS_AFTER_ROLE_DAYS = 56  # the seed's 6-8 weeks of being watched, taken at 8 weeks
_LETTERS_AFTER_CLINICAL_ROLE_DAYS = 42  # a US clinical role: "at least 4-6 weeks"
_LETTERS_WRITTEN_DAYS = 28  # a writer who agreed has about four weeks to upload
_USCE_MONTHS_DAYS = 91  # three months of US clinical experience (the seed's roles run 3-6)
_SUBMIT_WITHIN_DAYS = 6  # "submit early": within the first week submissions open
_BOOK_EXAM_X = 1.0  # a retake or Level 2: booked by the end of month 1 ...
_BOOK_EXAM_FLOOR = 14  # ... and never sooner than two weeks in
_BOOK_LEVEL3_X = 4.0  # Step 3 / Level 3: booked by the end of month 4 (done or booked by ERAS)
_RETAKE_DAYS = 105  # "within 3-6 months", at its early end: about 15 weeks
_LEVEL2_AFTER_RETAKE_DAYS = 56  # Level 2 after a Level 1 retake: 8 weeks later ...
_LEVEL2_AFTER_RETAKE_MIN_DAYS = 28  # ... or at least 4, to be in before submissions open
_LEVEL3_DAYS = 228  # "within 6-9 months": 7.5 months
_LEVEL1_EXAMS = frozenset({"Step 1", "COMLEX Level 1"})  # Level 2 waits for these
# Days the user did something that move other dates (letters follow the role): they ride in
# every plan reminder, so its words match the plan the user has.
_TIMING_KEYS = ("role_secured",)

# Every milestone key a plan can hold, whoever it is for: the ids a feature may declare it
# completes (``session.Completes``) and the keys under "milestones" in the stored answers.
MILESTONE_KEYS: frozenset[str] = frozenset(
    {rule.key for rule in _PERSONAL_MILESTONES}
    | {
        "letters_asked",
        "sloes_asked",
        "letters_in",
        "usce_months",
        "retake_booked",
        "retake_done",
        "level2_booked",
        "level2_done",
        "level3_booked",
        "level3_done",
        "eras_opens",
        "eras_submitted",
        "nrmp_registration",
        "programs_review",
        "interview_prep",
        "mspe_release",
        "rol_deadline",
        "match_day",
    }
)

_BROAD_LIST_SPECIALTIES = frozenset({"Internal Medicine", "Family Medicine"})


def _specialty(who: Situation) -> str:
    return who.specialty or "your target specialty"


def _role(who: Situation) -> tuple[str, str]:
    """The role milestone's title and what to have, for this person."""
    if who.usce:
        return (
            "US clinical role secured",
            "A clinical fellow, extern or observer role of three to six months in a US "
            f"hospital with a residency in {_specialty(who)}, where attendings see you work "
            "every week. For you it's the year's most important line.",
        )
    return (
        "High-yield role secured",
        f"A role, ideally full-time, that puts you next to attendings in {_specialty(who)} "
        "every week, and a clear idea of what you'll produce there.",
    )


def _letters(who: Situation) -> tuple[str, str, str]:
    """The letters milestone's key, title and what to have, for this person."""
    if who.emergency:
        return (
            "sloes_asked",
            "SLOEs asked for",
            "Emergency medicine programs read standardized letters of evaluation (SLOEs) "
            "before anything else. Ask the emergency physicians who've worked with you "
            "whether they can write one; aim for two, and let an ordinary letter (from your "
            "PI, say) be the extra one.",
        )
    weeks = "4-6" if who.usce else "6-8"
    return (
        "letters_asked",
        "Letters asked for",
        f"Two or more attendings in {_specialty(who)} who've watched you work for {weeks} "
        "weeks, asked directly whether they can write a strong, detailed letter.",
    )


def _letters_in(who: Situation, asked: date, cycle: Cycle) -> Milestone:
    """Letters (or SLOEs) uploaded: a month after they were asked for, and a week before
    submissions open at the latest, since a program sees an application without them as
    unfinished."""
    due = min(
        asked + timedelta(days=_LETTERS_WRITTEN_DAYS), cycle.submissions_open - timedelta(days=7)
    )
    if who.emergency:
        return Milestone(
            "letters_in",
            "SLOEs uploaded",
            due,
            "milestone",
            "At least two SLOEs from emergency physicians uploaded to ERAS, and a third letter "
            "if you have a strong one.",
        )
    return Milestone(
        "letters_in",
        "Letters uploaded",
        due,
        "milestone",
        f"Three or four strong letters uploaded to ERAS, at least two of them from attendings "
        f"in {_specialty(who)}, and no more than one from a research mentor outside it.",
    )


def _program_list_ready(who: Situation) -> str:
    if who.specialty in _BROAD_LIST_SPECIALTIES:
        text = (
            f"A broad, realistic list: for {who.specialty} after a non-match, 60 to 120 "
            "programs or more, leaning toward community and newer programs and less "
            "competitive regions."
        )
    elif who.specialty in COMPETITIVE:
        text = (
            f"A list in {who.specialty} that's honest about where you fit on paper, and a "
            "parallel list in your backup, so interviews can still come."
        )
    else:
        text = "A broad, realistic list, mostly programs where you fit on paper."
    if who.img:
        text += " Favor programs that have taken international graduates before."
    elif who.do:
        text += " Favor programs that welcome DO applicants."
    return text


def _level2_ready(who: Situation) -> str:
    text = f"{who.level2} taken by early summer, so your score is there when applications open."
    if who.img:
        text += (
            " For international graduates it matters even more: many programs won't look "
            "closely without it."
        )
    if who.specialty in _BROAD_LIST_SPECIALTIES:
        text += (
            f" In {who.specialty}, 230 or more helps, though strong letters and clinical "
            "work can carry a lower score."
        )
    return text


def _level3_ready(who: Situation) -> str:
    if who.level3_after_failure:
        return (
            f"{who.level3} passed on the first try, with room to spare: the clearest sign "
            "that the failed attempt is behind you."
        )
    return (
        f"{who.level3} with a score clearly above your Level 2: it shows the trend is up and "
        "that standardized exams don't stop you. It counts most in internal medicine, family "
        "medicine, psychiatry and neurology."
    )


# --------------------------------------------------------------------------- cycle data


def parse_cycle(data: Mapping[str, Any], *, where: str = "cycle data") -> Cycle:
    """Build a ``Cycle`` from parsed TOML, checking fields and the documented date order."""
    season = data.get("season")
    if not isinstance(season, int) or isinstance(season, bool):
        raise CycleDataError(f"{where}: 'season' must be a year, like 2027.")
    checked = data.get("checked")
    if checked is not None and (not isinstance(checked, date) or isinstance(checked, datetime)):
        raise CycleDataError(f"{where}: 'checked' must be a date, like 2026-11-25.")
    table = data.get("dates")
    if not isinstance(table, Mapping):
        raise CycleDataError(f"{where}: missing the [dates.*] tables.")
    missing = [name for name in REQUIRED_DATES if name not in table]
    if missing:
        raise CycleDataError(f"{where}: missing dates: {', '.join(missing)}.")

    dates: dict[str, CycleDate] = {}
    for name, entry in table.items():
        if not isinstance(entry, Mapping):
            raise CycleDataError(f"{where}: dates.{name} must be a table.")
        day = entry.get("day")
        if not isinstance(day, date) or isinstance(day, datetime):
            raise CycleDataError(f"{where}: dates.{name}.day must be a date, like 2026-09-02.")
        source = entry.get("source")
        if not isinstance(source, str) or not source.strip():
            raise CycleDataError(f"{where}: dates.{name} needs a source (publisher and document).")
        estimate = entry.get("estimate")
        if not isinstance(estimate, bool):
            raise CycleDataError(f"{where}: dates.{name}.estimate must be true or false.")
        label = entry.get("label")
        if not isinstance(label, str) or not label.strip():
            raise CycleDataError(f"{where}: dates.{name} needs a label.")
        dates[name] = CycleDate(day=day, source=source.strip(), estimate=estimate, label=label)

    for earlier, later in _STRICT_ORDER:
        if not dates[earlier].day < dates[later].day:
            raise CycleDataError(f"{where}: {earlier} must come before {later}.")
    for earlier, later in _ORDER_OR_SAME:
        if not dates[earlier].day <= dates[later].day:
            raise CycleDataError(f"{where}: {later} cannot come before {earlier}.")
    if dates["match_day"].day.year != season:
        raise CycleDataError(f"{where}: Match Day must fall in the season's year ({season}).")
    if dates["submissions_open"].day.year != season - 1:
        raise CycleDataError(f"{where}: submissions open in the year before the Match.")

    return Cycle(season=season, dates=MappingProxyType(dates), checked=checked)


def available_seasons() -> list[int]:
    """Seasons (Match years) with a cycle file, oldest first."""
    seasons = []
    for entry in resources.files(_CYCLE_PACKAGE).iterdir():
        match = _CYCLE_FILE.match(entry.name)
        if match:
            seasons.append(int(match.group(1)))
    return sorted(seasons)


@cache
def load_cycle(season: int) -> Cycle:
    """The cycle for a season (Match year), read from its file once and then cached."""
    name = f"eras_{season}.toml"
    resource = resources.files(_CYCLE_PACKAGE).joinpath(name)
    if not resource.is_file():
        raise CycleDataError(f"No cycle file for season {season} ({_CYCLE_PACKAGE}/{name}).")
    try:
        data = tomllib.loads(resource.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CycleDataError(f"{name}: not valid TOML ({exc}).") from exc
    cycle = parse_cycle(data, where=name)
    if cycle.season != season:
        raise CycleDataError(f"{name}: says season {cycle.season}, file name says {season}.")
    return cycle


def next_cycles(start: date) -> list[Cycle]:
    """Seasons whose submissions open after ``start`` (the ones still ahead), soonest first."""
    cycles = (load_cycle(season) for season in available_seasons())
    return [cycle for cycle in cycles if cycle.submissions_open > start]


# --------------------------------------------------------------------------- choosing a cycle


def _fmt(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _fmt_cycle_date(cycle: Cycle, name: str) -> str:
    entry = cycle.dates[name]
    return _fmt(entry.day) + (" (estimated)" if entry.estimate else "")


def _span(days: int) -> str:
    if days < 14:
        return "1 day" if days == 1 else f"{days} days"
    if days < MIN_PREP_DAYS:
        return f"{days // 7} weeks"
    return f"about {round(days / MONTH_DAYS)} months"


def choose_cycle(start: date) -> CycleChoice:
    """Which season to aim for from ``start``, with a plain-words explanation.

    Raises ``LookupError`` when no cycle file reaches past ``start``.
    """
    upcoming = next_cycles(start)
    if not upcoming:
        raise LookupError(f"No cycle data with submissions opening after {start.isoformat()}.")
    nearest = upcoming[0]
    prep_days = (nearest.submissions_open - start).days
    too_soon = prep_days < MIN_PREP_DAYS
    following = upcoming[1] if len(upcoming) > 1 else None

    near_open = _fmt_cycle_date(nearest, "submissions_open")
    if not too_soon:
        explanation = (
            f"Applications for the {nearest.season} Match open on {near_open}, "
            f"{_span(prep_days)} from your start. That's enough time for the whole plan: "
            "an honest post-mortem, a role where attendings see your work, and a rebuilt "
            "application ready the week submissions open. Match Day is "
            f"{_fmt_cycle_date(nearest, 'match_day')}."
        )
        return CycleChoice(start, nearest, prep_days, False, nearest, None, explanation)

    if following is None:
        explanation = (
            f"Applications for the {nearest.season} Match open on {near_open}, only "
            f"{_span(prep_days)} from your start. That's tight for new letters or results, "
            "but you can still sharpen your statement and widen your program list. "
            "The following cycle's dates aren't loaded yet, so for now your plan aims at "
            f"the {nearest.season} Match."
        )
        return CycleChoice(start, nearest, prep_days, True, nearest, None, explanation)

    explanation = (
        f"Applications for the {nearest.season} Match open on {near_open}, only "
        f"{_span(prep_days)} from your start. That isn't enough time to finish a post-mortem, "
        "land a role and earn new letters before you submit, so you have a real choice.\n\n"
        f"Take the full year (my suggestion): aim for the {following.season} Match, with "
        f"applications opening {_fmt_cycle_date(following, 'submissions_open')}. You get time "
        "to fix what held you back, do work that attendings can vouch for, and apply with a "
        "much stronger story.\n\n"
        f"Apply now, in the {nearest.season} Match, with what you have. In the time left you "
        "can still rewrite your personal statement and widen your program list, and that can "
        "matter. But new letters, research or exam results won't be ready, so programs would "
        "see an application close to last year's.\n\n"
        "Both are legitimate choices, and your plan will fit whichever you pick."
    )
    return CycleChoice(start, nearest, prep_days, True, following, nearest, explanation)


# --------------------------------------------------------------------------- building a plan


def _seed_scale(start: date, cycle: Cycle) -> Callable[[float], date]:
    """Map a seed-scale position (months since start, 0..12) to a date (see module doc)."""
    prep_days = (cycle.submissions_open - start).days
    app_days = (cycle.match_day - cycle.submissions_open).days
    first_quarter_days = min(3 * MONTH_DAYS, prep_days * 3 / 8)

    def at(x: float) -> date:
        if x <= 3:
            days = x / 3 * first_quarter_days
        elif x <= 8:
            days = first_quarter_days + (x - 3) / 5 * (prep_days - first_quarter_days)
        else:
            days = prep_days + (x - 8) / 4 * app_days
        return start + timedelta(days=round(days))

    return at


def _cycle_milestone(
    cycle: Cycle, name: str, key: str, title: str, kind: MilestoneKind, ready: str, offset: int = 0
) -> Milestone:
    entry = cycle.dates[name]
    return Milestone(
        key=key,
        title=title,
        due=entry.day + timedelta(days=offset),
        kind=kind,
        ready=ready,
        estimate=entry.estimate,
        cycle_date=name,
    )


def _exam_milestones(
    start: date, cycle: Cycle, at: Callable[[float], date], who: Situation
) -> list[Milestone]:
    """The exams this person's year holds (see "Whose plan" in the module doc)."""
    out: list[Milestone] = []
    booked = max(at(_BOOK_EXAM_X), start + timedelta(days=_BOOK_EXAM_FLOOR))
    retake_due: date | None = None
    if who.retake:
        retake_due = start + timedelta(days=_RETAKE_DAYS)
        out += [
            Milestone(
                "retake_booked",
                f"{who.retake} retake booked",
                booked,
                "milestone",
                "A test date in your calendar and a structured plan to reach it: a tutor or "
                "a prep course if you can afford one, and study hours you can keep every week.",
            ),
            Milestone(
                "retake_done",
                f"{who.retake} retake taken",
                retake_due,
                "milestone",
                f"{who.retake} sat once you're ready, and passed with room to spare: this is "
                "the exam programs most need to see behind you.",
            ),
        ]
    if who.level2:
        last_day = cycle.submissions_open - timedelta(days=7)
        if retake_due is not None and who.retake in _LEVEL1_EXAMS:
            due = min(retake_due + timedelta(days=_LEVEL2_AFTER_RETAKE_DAYS), last_day)
            due = max(due, retake_due + timedelta(days=_LEVEL2_AFTER_RETAKE_MIN_DAYS))
        else:
            due = min(date(cycle.submissions_open.year, 6, 30), last_day)
        due = max(due, booked + timedelta(days=28))
        out += [
            Milestone(
                "level2_booked",
                f"{who.level2} date booked",
                booked,
                "milestone",
                "A date early enough for the score to be out before applications open, and a "
                "study plan that fits around your role.",
            ),
            Milestone("level2_done", f"{who.level2} taken", due, "deadline", _level2_ready(who)),
        ]
    if who.level3:
        out += [
            Milestone(
                "level3_booked",
                f"{who.level3} date booked",
                max(at(_BOOK_LEVEL3_X), start + timedelta(days=28)),
                "milestone",
                "A date in the next few months and a structured plan: one full pass of a "
                "question bank, practice exams, and the case simulations. Booked, it can go on "
                "your application as scheduled.",
            ),
            Milestone(
                "level3_done",
                f"{who.level3} taken",
                start + timedelta(days=_LEVEL3_DAYS),
                "milestone",
                _level3_ready(who),
            ),
        ]
    return out


def _milestones(
    start: date,
    cycle: Cycle,
    at: Callable[[float], date],
    who: Situation,
    done: Mapping[str, date],
) -> tuple[Milestone, ...]:
    end = cycle.match_day
    ordered: list[Milestone] = []

    def personal(rule: _MilestoneRule, title: str = "", ready: str = "") -> Milestone:
        due = max(at(rule.seed_x), start + timedelta(days=rule.floor_days))
        return Milestone(
            rule.key, title or rule.title, min(due, end), "milestone", ready or rule.ready
        )

    rules = {rule.key: rule for rule in _PERSONAL_MILESTONES}
    ordered += [personal(rules["post_mortem"]), personal(rules["target"])]
    if who.red_flag:
        ordered.append(personal(rules["red_flag_explained"]))
    ordered += _exam_milestones(start, cycle, at, who)
    role = personal(rules["role_secured"], *_role(who))
    ordered.append(role)
    # Letters (and US clinical months) count from the day the role really began, once known.
    role_began = done.get("role_secured", role.due)
    key, title, ready = _letters(who)
    after = _LETTERS_AFTER_CLINICAL_ROLE_DAYS if who.usce else _LETTERS_AFTER_ROLE_DAYS
    asked = Milestone(key, title, min(role_began + timedelta(days=after), end), "milestone", ready)
    ordered.append(asked)
    if who.usce:
        ordered.append(
            Milestone(
                "usce_months",
                "Three months of US clinical experience",
                min(role_began + timedelta(days=_USCE_MONTHS_DAYS), end),
                "milestone",
                "Three months in a US hospital: present cases, be known by name, and ask the "
                "attendings who've seen you for a few weeks for letters.",
            )
        )
    ordered.append(_letters_in(who, asked.due, cycle))
    for key in ("abstracts", "personal_statement", "cv_updated"):
        ordered.append(personal(rules[key]))
    ordered.append(personal(rules["program_list"], ready=_program_list_ready(who)))
    ordered.append(personal(rules["manuscript"]))

    review = cycle.day("programs_review")
    submit_by = min(_SUBMIT_WITHIN_DAYS, (review - cycle.submissions_open).days - 1)
    mspe_with_review = cycle.day("mspe_release") == review
    ordered += [
        _cycle_milestone(
            cycle,
            "eras_opens",
            "eras_opens",
            "ERAS opens",
            "cycle",
            "Get your token and start filling in MyERAS. Upload documents early: they take "
            "time to process.",
        ),
        _cycle_milestone(
            cycle,
            "submissions_open",
            "eras_submitted",
            "Application submitted",
            "deadline",
            "Submit in the first week. Have ready: at least two strong letters uploaded and "
            "assigned, your final statement and program list, exams done or booked, and a CV "
            "that shows this year's work.",
            offset=max(submit_by, 0),
        ),
        _cycle_milestone(
            cycle,
            "nrmp_registration",
            "nrmp_registration",
            "Match registration opens",
            "cycle",
            "Register with NRMP: it's separate from ERAS. Use the same name in both, and "
            "register early to avoid a late fee.",
        ),
        _cycle_milestone(
            cycle,
            "programs_review",
            "programs_review",
            "Programs start reviewing",
            "cycle",
            "Programs can now read applications"
            + (" and MSPEs" if mspe_with_review else "")
            + ". Interview invitations can come within days, so keep an eye on your email.",
        ),
        _cycle_milestone(
            cycle,
            "programs_review",
            "interview_prep",
            "Interview answer ready",
            "milestone",
            "A calm, practised answer to \u201cwhat did you do this past year?\u201d, and a "
            "couple of mock interviews done before invitations arrive.",
        ),
    ]
    if not mspe_with_review:
        ordered.append(
            _cycle_milestone(
                cycle,
                "mspe_release",
                "mspe_release",
                "MSPEs released",
                "cycle",
                "Programs can now read your MSPE.",
            )
        )
    ordered += [
        _cycle_milestone(
            cycle,
            "rol_deadline",
            "rol_deadline",
            "Rank order list deadline",
            "deadline",
            "Your rank order list certified in NRMP's system, in your true order of preference.",
        ),
        _cycle_milestone(
            cycle,
            "match_day",
            "match_day",
            "Match Day",
            "cycle",
            "Results day. Whatever it brings, you'll have given this cycle your strongest "
            "application, and we'll plan the next step together.",
        ),
    ]
    inside = [
        replace(m, done_on=done.get(m.key) if m.can_be_done else None)
        for m in ordered
        if start <= m.due <= end
    ]
    position = {m.key: i for i, m in enumerate(ordered)}
    return tuple(sorted(inside, key=lambda m: (m.due, position[m.key])))


def build_plan(
    start: date,
    season: int,
    who: Situation | None = None,
    done: Mapping[str, date] | None = None,
) -> Plan:
    """The plan from ``start`` to the season's Match Day (the reconciliation is in the module doc),
    for ``who`` (everyone's plan when None), with the milestones in ``done`` ticked off.

    Raises ``ValueError`` when the season's submissions open on or before ``start``.
    """
    who = who or Situation()
    done = dict(done or {})
    cycle = load_cycle(season)
    if cycle.submissions_open <= start:
        raise ValueError(
            f"Applications for the {season} Match opened on {_fmt(cycle.submissions_open)}; "
            "a plan starting then needs a later season."
        )
    at = _seed_scale(start, cycle)
    end = cycle.match_day

    phases = []
    for rule in PHASES:
        first, last = rule.seed_months
        if rule.key == "apply":
            p_start, p_end = cycle.submissions_open, end
        else:
            p_start = at(first - 1)
            p_end = max(at(last), p_start + timedelta(days=rule.min_days))
            p_end = min(p_end, end)
        phases.append(
            Phase(
                rule.key, rule.title, rule.purpose, p_start, p_end, rule.actions, rule.seed_months
            )
        )

    effort = []
    for index, split in enumerate(EFFORT_SPLITS):
        q_start = at(3 * index)
        q_end = end if index == 3 else at(3 * (index + 1)) - timedelta(days=1)
        effort.append(EffortQuarter(index + 1, q_start, q_end, MappingProxyType(dict(split))))

    return Plan(
        start=start,
        cycle=cycle,
        phases=tuple(phases),
        milestones=_milestones(start, cycle, at, who, done),
        effort=tuple(effort),
        who=who,
        done=MappingProxyType(done),
    )


def plan_from_basis(basis: Mapping[str, Any]) -> Plan | None:
    """The plan ``Plan.basis`` describes (None when it no longer builds, or is malformed).

    The sweep words a batch of plan reminders, many of them from the same few plans: each
    distinct basis is built once (plans are frozen, so sharing one is safe).
    """
    try:
        done = tuple(
            sorted(
                (str(key), date.fromisoformat(str(day)))
                for key, day in dict(basis.get("done") or {}).items()
            )
        )
        return _built(
            date.fromisoformat(str(basis["start"])),
            int(basis["season"]),
            Situation.from_dict(basis.get("who")),
            done,
        )
    except (KeyError, TypeError, ValueError, LookupError):
        return None


@lru_cache(maxsize=512)
def _built(start: date, season: int, who: Situation, done: tuple[tuple[str, date], ...]) -> Plan:
    return build_plan(start, season, who, dict(done))


# --------------------------------------------------------------------------- reading a plan


def _clamp(plan: Plan, today: date) -> date:
    return min(max(today, plan.start), plan.end)


def month_of_plan(plan: Plan, today: date) -> int:
    """Month 1..12 of the plan: its span (start to Match Day) in twelve equal parts, clamped."""
    total = (plan.end - plan.start).days
    elapsed = (_clamp(plan, today) - plan.start).days
    if total <= 0:
        return 12
    return min(12, elapsed * 12 // total + 1)


def progress_bar(plan: Plan, today: date, width: int = 12) -> str:
    """A text bar like ``▰▰▰▱▱▱▱▱▱▱▱▱``: the filled part is the plan month out of 12."""
    if width < 1:
        raise ValueError("width must be at least 1")
    if today < plan.start:
        filled = 0
    else:
        filled = max(1, min(width, math.ceil(month_of_plan(plan, today) * width / 12)))
    return "\u25b0" * filled + "\u25b1" * (width - filled)


def active_phases(plan: Plan, today: date) -> tuple[Phase, ...]:
    """The phases running on ``today`` (clamped into the plan), in plan order."""
    day = _clamp(plan, today)
    return tuple(phase for phase in plan.phases if phase.start <= day <= phase.end)


def effort_for(plan: Plan, today: date) -> dict[str, int]:
    """The current quarter's effort split (percent per category of ``EFFORT_CATEGORIES``)."""
    day = _clamp(plan, today)
    for quarter in plan.effort:
        if quarter.start <= day <= quarter.end:
            return dict(quarter.split)
    return dict(plan.effort[-1].split)


def next_deadlines(
    plan: Plan, today: date, n: int = 3, kinds: Collection[str] | None = None
) -> tuple[Milestone, ...]:
    """The next ``n`` milestones due on or after ``today`` and not done yet, soonest first
    (optionally by kind)."""
    upcoming = (
        m
        for m in plan.milestones
        if m.due >= today and m.done_on is None and (kinds is None or m.kind in kinds)
    )
    return tuple(upcoming)[: max(n, 0)]


def done_milestones(plan: Plan) -> tuple[Milestone, ...]:
    """The milestones done, in the order they were done."""
    done = [m for m in plan.milestones if m.done_on is not None]
    return tuple(sorted(done, key=lambda m: m.done_on or m.due))


def still_open(plan: Plan, today: date) -> tuple[Milestone, ...]:
    """The user's own milestones whose day has passed without being done, most recent first."""
    late = [m for m in plan.milestones if m.can_be_done and m.done_on is None and m.due < today]
    return tuple(reversed(late))
