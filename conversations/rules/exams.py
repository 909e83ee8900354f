"""Exam strategy, as pure rules: which exam this year holds, when a score is out, the
countdown, the weekly study hours.

Which exam (the *branch*) is never decided here: the situation (``situation.py``, from the
diagnosis's own thresholds) already says whether the year holds a retake, Level 2 not taken
yet, or a Level 3 that shows the trend is up, and the plan's exam milestones come from the
same facts. So ``branch_of`` only reads a ``Situation``, and /exams and /plan always agree.

The seed's three branches, with the numbers used:

* a failed exam: retake it within 3-6 months, with a formal plan (a tutor or a course), and
  pass with room to spare;
* Level 2 not taken: take it by late spring or early summer at the latest, so the score is in
  the application when it goes to programs;
* Level 2 low but passed (or a failed attempt since passed): no retake; Step 3 / COMLEX
  Level 3 within 6-9 months, with one full question-bank pass, practice exams and the case
  simulations, to show an upward trend (most useful for IM, FM, psychiatry, neurology).

A score is usually reported three to four weeks after the exam; we count four
(``SCORE_WEEKS``), so a date is "too late" when four weeks after it falls after the day
applications can go to programs (the cycle's submissions-open day).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from conversations.rules.parsing import Invalid
from conversations.rules.routine import CheckIn, WeekPlan, week_start, week_totals
from conversations.rules.situation import Situation

# The exams a user can record, by the names the situation uses (so a recorded exam is
# matched to the plan's milestones by name).
STEP1, STEP2, STEP3 = "Step 1", "Step 2 CK", "Step 3"
COMLEX1, COMLEX2, COMLEX3 = "COMLEX Level 1", "COMLEX Level 2-CE", "COMLEX Level 3"
EXAMS: tuple[str, ...] = (STEP2, STEP3, COMLEX2, COMLEX3, STEP1, COMLEX1)
# The onboarding answer that holds each exam's result ("fail" means a retake).
PROFILE_KEY = {STEP1: "step1", STEP2: "step2", COMLEX1: "comlex1", COMLEX2: "comlex2"}
# Step 3 and COMLEX Level 3 are the exams with case simulations.
LEVEL3_EXAMS = frozenset({STEP3, COMLEX3})

SCORE_WEEKS = 4  # a score is usually out 3-4 weeks after the exam: we count 4 to be safe
COUNTDOWN_DAYS: tuple[int, ...] = (56, 28, 14, 7, 1)  # 8, 4, 2 and 1 weeks, and the day before
RESULT_ASK_DAYS = 2  # "how did it go?" two days after the exam
ASK_AGAIN_DAYS = 14  # "still waiting": asked again two weeks later
MAX_WEEKLY_HOURS = 80
RECENT_WEEKS = 4  # the weeks of weekly plans shown beside the exam's hours
BOOK_AHEAD_DAYS = 2 * 365  # a date further ahead than this is a typo


@dataclass(frozen=True)
class Branch:
    """Which exam strategy the year holds: "retake", "level2", "level3" or "none"."""

    kind: str
    exam: str = ""
    after_failure: bool = False


def branch_of(who: Situation) -> Branch:
    """The branch the situation (and so the plan) holds; a retake comes first, then Level 2."""
    if who.retake:
        return Branch("retake", who.retake)
    if who.level2:
        return Branch("level2", who.level2)
    if who.level3:
        return Branch("level3", who.level3, who.level3_after_failure)
    return Branch("none")


def milestone_prefix(exam: str, who: Situation) -> str | None:
    """Which of the plan's exam milestones ("retake", "level2", "level3") an exam counts for."""
    if who.retake and exam == who.retake:
        return "retake"
    if who.level2 and exam == who.level2:
        return "level2"
    if who.level3 and exam == who.level3:
        return "level3"
    return None


def is_retake(exam: str, profile: Mapping[str, Any]) -> bool:
    """Whether the profile says this exam was failed (and not passed since)."""
    key = PROFILE_KEY.get(exam)
    return key is not None and profile.get(key) == "fail"


def ordered_exams(who: Situation, do: bool) -> list[str]:
    """The exams to offer, the one the plan holds first, then the user's own track's."""
    first = [e for e in (who.retake, who.level2, who.level3) if e]
    track = (COMLEX2, COMLEX3, STEP2, STEP3) if do else (STEP2, STEP3, COMLEX2, COMLEX3)
    rest = [*track, STEP1, COMLEX1]
    return list(dict.fromkeys([*first, *rest]))


_EXAM_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:comlex|level)\s*-?\s*(?:1|one|i)\b"), COMLEX1),
    (re.compile(r"\b(?:comlex|level)\s*-?\s*(?:2|two|ii)\b"), COMLEX2),
    (re.compile(r"\b(?:comlex|level)\s*-?\s*(?:3|three|iii)\b"), COMLEX3),
    (re.compile(r"\bstep\s*-?\s*(?:1|one|i)\b"), STEP1),
    (re.compile(r"\bstep\s*-?\s*(?:2|two|ii)\b|\bck\b"), STEP2),
    (re.compile(r"\bstep\s*-?\s*(?:3|three|iii)\b|\bccs\b"), STEP3),
)


def parse_exam(text: str) -> str:
    """An exam named as typed: "step 2", "Step2 CK", "comlex 3", "level 2"."""
    s = " ".join(text.casefold().split())[:200]
    for pattern, name in _EXAM_WORDS:
        if pattern.search(s):
            return name
    raise Invalid(
        "I couldn't tell which exam that is. Tap one of the buttons, or type something like "
        "“Step 3” or “COMLEX Level 2”."
    )


def parse_weekly_hours(text: str) -> float:
    """Study hours a week, 1 to 80: "15", "12.5", "about 20", "20 hours"."""
    s = " ".join(text.casefold().split())
    s = re.sub(r"^(?:about|around|roughly|maybe|~)\s*", "", s)
    s = re.sub(r"\s*(?:h|hrs?|hours?)(?:\s*(?:a|per|/)\s*(?:week|wk))?$", "", s)
    s = s.replace(",", ".")
    if re.fullmatch(r"-\s*\d+(?:\.\d+)?", s):
        raise Invalid("Hours can't be below zero. Send the hours a week you can study, like 15.")
    if not re.fullmatch(r"\d{1,3}(?:\.\d+)?", s):
        raise Invalid(
            "Send the hours a week you can give it as one number, like 15. A good guess is fine."
        )
    value = float(s)
    if not math.isfinite(value) or value < 1:
        raise Invalid(
            "Even a few hours a week counts: send a number from 1 to 80. If there's no time "
            "for it right now, that's worth saying out loud, and maybe booking a later date."
        )
    if value > MAX_WEEKLY_HOURS:
        raise Invalid(
            f"More than {MAX_WEEKLY_HOURS} hours a week isn't a plan anyone can keep. "
            "Send a number you could really hold, like 20 or 30."
        )
    return round(value, 1)


def check_exam_day(day: date, today: date) -> None:
    """Refuse a day in the past or implausibly far ahead (with a reason to send back)."""
    if day < today:
        raise Invalid(
            "That day has already passed. Send the date still ahead of you, or tap "
            "“Not booked yet”. If you've already sat it, tap “Not booked yet” for now and "
            "record the result from /exams."
        )
    if day > today + timedelta(days=BOOK_AHEAD_DAYS):
        raise Invalid("That's more than two years away. Could you check the date?")


def score_ready(day: date) -> date:
    """When the score is likely to be out (``SCORE_WEEKS`` after the exam)."""
    return day + timedelta(weeks=SCORE_WEEKS)


def latest_in_time(submissions_open: date) -> date:
    """The last exam day whose score should be out by the day applications go to programs."""
    return submissions_open - timedelta(weeks=SCORE_WEEKS)


def too_late(day: date, submissions_open: date) -> bool:
    return score_ready(day) > submissions_open


def countdown(day: date) -> list[tuple[int, date]]:
    """(days before, the day) for each countdown reminder of an exam on ``day``."""
    return [(n, day - timedelta(days=n)) for n in COUNTDOWN_DAYS]


def weeks_word(days_before: int) -> str:
    if days_before == 1:
        return "Tomorrow"
    weeks = days_before // 7
    return "One week" if weeks == 1 else f"{weeks} weeks"


@dataclass(frozen=True)
class WeekHours:
    """One week: the exam hours its weekly plan set (None: no plan) and those logged."""

    week_start: date
    planned: float | None
    logged: float


def recent_weeks(
    week_plans: Iterable[Mapping[str, Any]],
    checkins: Iterable[Mapping[str, Any]],
    today: date,
    n: int = RECENT_WEEKS,
) -> list[WeekHours]:
    """The last ``n`` weeks (this one included) that had a weekly plan or a check-in,
    oldest first. Malformed rows are skipped."""
    plans: dict[date, float] = {}
    for row in week_plans:
        try:
            plan = WeekPlan.from_dict(row)
        except (KeyError, TypeError, ValueError):
            continue
        plans[plan.week_start] = plan.exam_hours
    days: list[CheckIn] = []
    for row in checkins:
        try:
            days.append(CheckIn.from_dict(row))
        except (KeyError, TypeError, ValueError):
            continue
    this_week = week_start(today)
    starts = [this_week - timedelta(weeks=k) for k in range(n - 1, -1, -1)]
    rows = []
    for start in starts:
        logged = week_totals(days, start)["exams_study"]
        had_checkin = any(start <= c.day < start + timedelta(days=7) for c in days)
        if start in plans or had_checkin:
            rows.append(WeekHours(start, plans.get(start), logged))
    return rows


def falls_short(weekly: float, weeks: Iterable[WeekHours]) -> bool:
    """Whether the recent weeks gave exam study clearly less than the exam's plan: the
    weekly plans (or, without one, what was logged) under 80% of it in most full weeks."""
    rows = list(weeks)
    if not rows:
        return False
    under = sum(
        1 for w in rows if (w.planned if w.planned is not None else w.logged) < 0.8 * weekly
    )
    return under * 2 > len(rows)
