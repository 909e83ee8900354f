"""Daily and weekly check-ins as pure rules (seed step 10: structure, therapy, money).

Nothing here reads the clock or stores anything: every function takes the moments and dates
it needs, so the flows, the scheduler and the tests decide what "now" is.

The daily check-in
    One :class:`CheckIn` per *local* day: did you wake on time, hours on exam study, on your
    role (research or clinical work) and on applications, one win, and mood from 1 to 5.
    A check-in sent after midnight but before ``DEFAULT_CUTOFF`` (4 AM local) counts for the
    day that just ended (see :func:`checkin_day`): someone answering at 00:30 is still
    talking about their Tuesday.

The weekly plan and review
    Once a week (the seed's 30-60 minute planning session) the user sets a :class:`WeekPlan`:
    exam study hours, work priorities and the top three application tasks. At the next
    session :func:`review_week` compares the plan with the week's check-ins and
    :func:`review_text` says it back kindly: what was planned, what was logged, what got done.
    Never "missed" or "failed": any logged hour is real work.

Care messages
    :func:`low_mood` and :func:`wake_trouble` only decide *whether* to offer one of the
    gentle texts (``CARE_LOW_MOOD``, ``CARE_SLEEP``); :func:`may_show_again` keeps the same
    message from coming back too often. They never label or diagnose anyone: a pattern in
    a few numbers is a reason to offer help, nothing more. ``CARE_MONEY`` is offered when
    money comes up. Crisis language is handled elsewhere (``conversations.rules.crisis``).

Duplicates
    Where several check-ins share a day, the last one in the iterable wins (it is the most
    recent edit), so a day is never counted twice. A second check-in the same day is stored
    through :func:`merged`: what it left out (a skipped win, an unasked wake question) keeps
    the first one's answer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from typing import Any

from conversations.rules.parsing import Invalid, zone_for
from conversations.rules.plan import EFFORT_CATEGORIES

__all__ = [
    "CARE_LOW_MOOD",
    "CARE_MONEY",
    "CARE_SLEEP",
    "CATEGORIES",
    "DEFAULT_CUTOFF",
    "FALL_POINTS",
    "LOOKBACK_DAYS",
    "LOW_DAYS_NEEDED",
    "LOW_DAYS_SAMPLE",
    "LOW_MOOD_MAX",
    "MAX_DAY_HOURS",
    "MAX_TASKS",
    "MIN_MOODS",
    "PLANNING_MIN_SHARE",
    "WAKE_TROUBLE_DAYS",
    "CheckIn",
    "WeekPlan",
    "WeekReview",
    "checkin_day",
    "compared_split",
    "daily_hours",
    "logged_share",
    "logs_planning",
    "low_mood",
    "may_show_again",
    "merged",
    "parse_hours",
    "review_text",
    "review_week",
    "streak",
    "wake_trouble",
    "week_days",
    "week_start",
    "week_totals",
]

# --------------------------------------------------------------------------- thresholds

# Before this local time, a check-in counts for the previous day (late nights are common).
DEFAULT_CUTOFF = time(4, 0)

# Hours typed for one day and one category: above this it is almost surely a typo
# (or a week's total), so we ask again rather than skew the week.
MAX_DAY_HOURS = 16.0

# The plan holds the top three application tasks, no more: a short list gets done.
MAX_TASKS = 3

# Mood is 1-5; 1 and 2 count as a low day.
MOOD_MIN, MOOD_MAX = 1, 5
LOW_MOOD_MAX = 2
# "low_days": at least LOW_DAYS_NEEDED low moods among the LOW_DAYS_SAMPLE most recent
# check-ins that have a mood, within the last LOOKBACK_DAYS days (today included).
LOW_DAYS_NEEDED = 3
LOW_DAYS_SAMPLE = 5
LOOKBACK_DAYS = 7
# "falling_week": the last 7 days' average mood is at least FALL_POINTS below the 7 days
# before, and each of the two weeks has at least MIN_MOODS moods (fewer is noise).
FALL_POINTS = 1
MIN_MOODS = 3

# Woke later than planned on at least this many check-ins in the last LOOKBACK_DAYS days.
WAKE_TROUBLE_DAYS = 3

# The categories a check-in logs hours for, keyed like the plan's EFFORT_CATEGORIES, with the
# CheckIn field that holds each.
_FIELD_OF: dict[str, str] = {
    "diagnosis_planning": "plan_hours",
    "exams_study": "exam_hours",
    "work": "role_hours",
    "application_interviews": "app_hours",
}
# In the plan's order, so charts and texts line up with the effort split.
CATEGORIES: tuple[str, ...] = tuple(key for key in EFFORT_CATEGORIES if key in _FIELD_OF)

# Diagnosis & planning (the post-mortem, choosing the target, weekly planning) is half the
# work of months 1-3 and a tenth of months 4-6, then 5%. While the quarter gives it at least
# this share the check-in asks for its hours and the week is compared with it; after that it
# is neither asked nor compared (a daily question for 5% of the effort is noise).
PLANNING_MIN_SHARE = 10
PLANNING = "diagnosis_planning"


def logs_planning(split: Mapping[str, int]) -> bool:
    """Whether a quarter with this effort split asks for diagnosis & planning hours."""
    return split.get(PLANNING, 0) >= PLANNING_MIN_SHARE


def compared_split(split: Mapping[str, int]) -> dict[str, int]:
    """The quarter's split over the categories the check-in logs that quarter, as whole
    percentages summing to 100 (diagnosis & planning left out once it is not asked)."""
    kept = {k: float(v) for k, v in split.items() if k in _FIELD_OF}
    if not logs_planning(split):
        kept.pop(PLANNING, None)
    return logged_share(kept)


# --------------------------------------------------------------------------- shapes


def _check_hours(value: float, what: str, high: float) -> None:
    # bool is an int subclass: True hours is a bug, not one hour.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{what} must be a number, not {value!r}")
    if not math.isfinite(value) or not 0 <= value <= high:
        raise ValueError(f"{what} must be between 0 and {high:g}, not {value!r}")


@dataclass(frozen=True)
class CheckIn:
    """One day's check-in, for the local day ``day`` (see :func:`checkin_day`).

    ``woke_on_time`` and ``mood`` (1-5) are None when the user skipped them (or were not
    asked: no wake time set); hours are per day (0 to ``MAX_DAY_HOURS``) for exam study, the
    role, applications and, while the plan asks for them, diagnosis & planning.
    """

    day: date
    woke_on_time: bool | None
    exam_hours: float
    role_hours: float
    app_hours: float
    win: str | None
    mood: int | None
    plan_hours: float = 0.0

    def __post_init__(self) -> None:
        for name in _FIELD_OF.values():
            _check_hours(getattr(self, name), name, MAX_DAY_HOURS)
        if self.mood is not None and (
            isinstance(self.mood, bool)
            or not isinstance(self.mood, int)
            or not MOOD_MIN <= self.mood <= MOOD_MAX
        ):
            raise ValueError(f"mood must be {MOOD_MIN}-{MOOD_MAX} or None, not {self.mood!r}")

    def hours(self, category: str) -> float:
        """Hours logged for one of ``CATEGORIES``."""
        return float(getattr(self, _FIELD_OF[category]))

    def as_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "woke_on_time": self.woke_on_time,
            "exam_hours": self.exam_hours,
            "role_hours": self.role_hours,
            "app_hours": self.app_hours,
            "win": self.win,
            "mood": self.mood,
            "plan_hours": self.plan_hours,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CheckIn:
        mood = data.get("mood")
        return cls(
            day=date.fromisoformat(data["day"]),
            woke_on_time=data.get("woke_on_time"),
            # JSON may hand back 2 for 2.0; the shape always holds floats.
            exam_hours=float(data.get("exam_hours", 0.0)),
            role_hours=float(data.get("role_hours", 0.0)),
            app_hours=float(data.get("app_hours", 0.0)),
            win=data.get("win"),
            mood=None if mood is None else int(mood),
            plan_hours=float(data.get("plan_hours", 0.0)),  # older check-ins had none
        )


@dataclass(frozen=True)
class WeekPlan:
    """The weekly plan: exam study hours, work priorities and the top application tasks.

    ``week_start`` is a Monday. ``tasks`` holds at most ``MAX_TASKS``. ``done`` is empty
    until the next week's review, then holds one flag per task.
    """

    week_start: date
    exam_hours: float
    priorities: str
    tasks: tuple[str, ...]
    done: tuple[bool, ...] = ()

    def __post_init__(self) -> None:
        if self.week_start.weekday() != 0:
            raise ValueError(f"week_start must be a Monday, not {self.week_start:%A %Y-%m-%d}")
        _check_hours(self.exam_hours, "exam_hours", 7 * MAX_DAY_HOURS)
        if len(self.tasks) > MAX_TASKS:
            raise ValueError(f"a week plan holds at most {MAX_TASKS} tasks")
        if self.done and len(self.done) != len(self.tasks):
            raise ValueError("done must be empty or hold one flag per task")

    def as_dict(self) -> dict[str, Any]:
        return {
            "week_start": self.week_start.isoformat(),
            "exam_hours": self.exam_hours,
            "priorities": self.priorities,
            "tasks": list(self.tasks),
            "done": list(self.done),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WeekPlan:
        return cls(
            week_start=date.fromisoformat(data["week_start"]),
            exam_hours=float(data.get("exam_hours", 0.0)),
            priorities=data.get("priorities", ""),
            tasks=tuple(data.get("tasks", ())),
            done=tuple(bool(d) for d in data.get("done", ())),
        )


@dataclass(frozen=True)
class WeekReview:
    """A week's plan next to what was logged, ready for :func:`review_text`.

    ``planned_exam_hours`` is None when there was no plan. ``totals`` holds the logged hours
    per category of ``CATEGORIES``. ``tasks`` pairs each planned task with its done flag,
    None while the user has not marked it yet.
    """

    week_start: date
    planned_exam_hours: float | None
    logged_exam_hours: float
    totals: Mapping[str, float] = field(hash=False)
    tasks: tuple[tuple[str, bool | None], ...]
    days_checked_in: int
    # The days of the week they could check in: all 7, or fewer in the week they joined.
    days_open: int = 7
    # The week is still going (the first session, in the week they joined).
    so_far: bool = False

    @property
    def has_plan(self) -> bool:
        return self.planned_exam_hours is not None

    @property
    def tasks_done(self) -> int:
        return sum(1 for _, done in self.tasks if done is True)

    @property
    def tasks_marked(self) -> bool:
        return all(done is not None for _, done in self.tasks)


def merged(earlier: CheckIn, later: CheckIn) -> CheckIn:
    """A second check-in of the same day over the first: what ``later`` answered replaces,
    what it skipped or did not ask (None: the win, the wake question, the mood) is kept."""
    if earlier.day != later.day:
        raise ValueError(f"check-ins of {earlier.day} and {later.day} are different days")
    return replace(
        later,
        woke_on_time=earlier.woke_on_time if later.woke_on_time is None else later.woke_on_time,
        win=later.win if later.win is not None else earlier.win,
        mood=later.mood if later.mood is not None else earlier.mood,
    )


# --------------------------------------------------------------------------- days and weeks


def checkin_day(now_utc: datetime, tz_key: str, cutoff: time = DEFAULT_CUTOFF) -> date:
    """The local day a check-in sent at ``now_utc`` counts for, in the zone ``tz_key``.

    The moment is turned into the user's local wall-clock time (following daylight saving
    for IANA keys such as "America/Chicago"; fixed keys such as "UTC+05:30" never shift).
    If that local time is before ``cutoff`` (4:00 AM by default), the check-in counts for
    the previous local day: at 00:30 on Wednesday people are still reporting on Tuesday.
    From the cutoff on, it counts for the local date. The cutoff is compared with the
    wall clock, so on a daylight-saving night "before 4 AM" still means before 4 AM as the
    user's clock shows it. A ``cutoff`` of midnight gives the plain local date. A naive
    ``now_utc`` is taken to be UTC.
    """
    if now_utc.tzinfo is None:
        now_utc = now_utc.replace(tzinfo=UTC)
    local = now_utc.astimezone(zone_for(tz_key))
    if local.time() < cutoff.replace(tzinfo=None):
        return local.date() - timedelta(days=1)
    return local.date()


def streak(days: Iterable[date], today: date) -> int:
    """Consecutive days with a check-in, ending today.

    When today has no check-in yet, the streak ends yesterday instead: in the morning a
    streak is still alive, not "broken". Days after ``today`` are ignored.
    """
    seen = {d for d in days if d <= today}
    end = today if today in seen else today - timedelta(days=1)
    count = 0
    while end - timedelta(days=count) in seen:
        count += 1
    return count


def week_start(day: date) -> date:
    """The Monday of ``day``'s week (weeks run Monday to Sunday)."""
    return day - timedelta(days=day.weekday())


def week_days(start: date) -> list[date]:
    """The seven days from ``start`` (pass a Monday from :func:`week_start`)."""
    return [start + timedelta(days=i) for i in range(7)]


def _by_day(checkins: Iterable[CheckIn]) -> dict[date, CheckIn]:
    # Last one wins: it is the most recent edit of that day.
    return {c.day: c for c in checkins}


def _in_window(checkins: Iterable[CheckIn], first: date, last: date) -> list[CheckIn]:
    """One check-in per day in [first, last], oldest first."""
    return sorted((c for c in _by_day(checkins).values() if first <= c.day <= last), key=_day)


def _day(checkin: CheckIn) -> date:
    return checkin.day


# --------------------------------------------------------------------------- hours


def _zero_hours() -> dict[str, float]:
    return dict.fromkeys(CATEGORIES, 0.0)


def week_totals(checkins: Iterable[CheckIn], start: date) -> dict[str, float]:
    """Hours logged in the seven days from ``start``, per category of ``CATEGORIES``."""
    totals = _zero_hours()
    for day_hours in daily_hours(checkins, start):
        for key, value in day_hours.items():
            totals[key] += value
    # Rounded so 0.1 + 0.2 shows as 0.3 in texts and charts.
    return {key: round(value, 2) for key, value in totals.items()}


def daily_hours(checkins: Iterable[CheckIn], start: date) -> list[dict[str, float]]:
    """Hours per category for each of the seven days from ``start`` (zeros where none)."""
    by_day = _by_day(checkins)
    days: list[dict[str, float]] = []
    for day in week_days(start):
        checkin = by_day.get(day)
        if checkin is None:
            days.append(_zero_hours())
        else:
            days.append({key: checkin.hours(key) for key in CATEGORIES})
    return days


def logged_share(totals: Mapping[str, float]) -> dict[str, int]:
    """Whole percentages of the logged hours per category, summing to exactly 100.

    All zeros when nothing is logged. Rounding uses largest remainders (ties go to the
    earlier category), so the parts always add up on a chart.
    """
    exact = {key: Fraction(max(value, 0.0)) for key, value in totals.items()}
    total = sum(exact.values(), Fraction(0))
    if total == 0:
        return dict.fromkeys(totals, 0)
    raw = {key: value * 100 / total for key, value in exact.items()}
    share = {key: math.floor(value) for key, value in raw.items()}
    left = 100 - sum(share.values())
    order = list(totals)
    by_remainder = sorted(order, key=lambda k: (-(raw[k] - share[k]), order.index(k)))
    for key in by_remainder[:left]:
        share[key] += 1
    return share


# --------------------------------------------------------------------------- care signals


def _moods(checkins: Iterable[CheckIn]) -> list[int]:
    return [c.mood for c in checkins if c.mood is not None]


def low_mood(checkins: Iterable[CheckIn], today: date) -> str | None:
    """Whether recent moods suggest offering ``CARE_LOW_MOOD``, and why.

    "low_days": at least ``LOW_DAYS_NEEDED`` (3) of the ``LOW_DAYS_SAMPLE`` (5) most recent
    check-ins with a mood, within the last ``LOOKBACK_DAYS`` (7) days, have mood
    ``LOW_MOOD_MAX`` (2) or lower. "falling_week": the last 7 days' average mood is at
    least ``FALL_POINTS`` (1.0) below the 7 days before, each with at least ``MIN_MOODS``
    (3) moods. Otherwise None. Check-ins without a mood are left out; so are days after
    ``today``. This is a reason to offer help, never a label.
    """
    checkins = list(checkins)
    this_week = _moods(_in_window(checkins, today - timedelta(days=LOOKBACK_DAYS - 1), today))
    recent = this_week[-LOW_DAYS_SAMPLE:]
    if sum(1 for m in recent if m <= LOW_MOOD_MAX) >= LOW_DAYS_NEEDED:
        return "low_days"
    prev_week = _moods(
        _in_window(
            checkins,
            today - timedelta(days=2 * LOOKBACK_DAYS - 1),
            today - timedelta(days=LOOKBACK_DAYS),
        )
    )
    if len(this_week) >= MIN_MOODS and len(prev_week) >= MIN_MOODS:
        # Exact fractions: an average exactly 1.0 lower must count, with no float wobble.
        now_avg = Fraction(sum(this_week), len(this_week))
        before_avg = Fraction(sum(prev_week), len(prev_week))
        if before_avg - now_avg >= FALL_POINTS:
            return "falling_week"
    return None


def wake_trouble(checkins: Iterable[CheckIn], today: date) -> bool:
    """True when ``woke_on_time`` is False on at least 3 check-ins of the last 7 days.

    Skipped answers (None) do not count either way.
    """
    window = _in_window(checkins, today - timedelta(days=LOOKBACK_DAYS - 1), today)
    return sum(1 for c in window if c.woke_on_time is False) >= WAKE_TROUBLE_DAYS


def may_show_again(last_shown: datetime | None, now_utc: datetime, days: int) -> bool:
    """Whether a care message may be shown now: never shown, or shown ``days`` or more ago.

    A message is not repeated within ``days`` days: caring, not nagging. Exactly ``days``
    later it may show again. If the clock went backwards (``now_utc`` before
    ``last_shown``) it stays quiet. Naive datetimes are taken to be UTC.
    """
    if last_shown is None:
        return True
    if last_shown.tzinfo is None:
        last_shown = last_shown.replace(tzinfo=UTC)
    if now_utc.tzinfo is None:
        now_utc = now_utc.replace(tzinfo=UTC)
    return now_utc - last_shown >= timedelta(days=max(days, 0))


# --------------------------------------------------------------------------- weekly review


def review_week(
    plan: WeekPlan | None,
    checkins: Iterable[CheckIn],
    start: date,
    *,
    joined: date | None = None,
    today: date | None = None,
) -> WeekReview:
    """The week of ``start``: the plan (if any) next to what the check-ins logged.

    ``joined`` (the day they started) and ``today`` narrow the days they could check in: in
    the week they joined, only the days since then count, and a week still going is reviewed
    "so far". Raises ValueError if ``plan`` is for a different week (a caller bug).
    """
    if plan is not None and plan.week_start != start:
        raise ValueError(f"plan is for the week of {plan.week_start}, not {start}")
    checkins = list(checkins)
    totals = week_totals(checkins, start)
    days = sum(1 for day in _by_day(checkins) if start <= day < start + timedelta(days=7))
    tasks: tuple[tuple[str, bool | None], ...] = ()
    if plan is not None:
        flags: tuple[bool | None, ...] = plan.done or (None,) * len(plan.tasks)
        tasks = tuple(zip(plan.tasks, flags, strict=True))
    first = max(start, joined) if joined is not None else start
    last = min(start + timedelta(days=6), today) if today is not None else start + timedelta(6)
    return WeekReview(
        week_start=start,
        planned_exam_hours=None if plan is None else float(plan.exam_hours),
        logged_exam_hours=totals["exams_study"],
        totals=totals,
        tasks=tasks,
        days_checked_in=days,
        days_open=max(1, (last - first).days + 1),
        so_far=today is not None and today < start + timedelta(days=6),
    )


def _num(hours: float) -> str:
    """8.0 -> "8", 2.5 -> "2.5", 0.33 -> "0.3": phone-friendly numbers."""
    text = f"{hours:.1f}"
    return text.removesuffix(".0")


def _hours(hours: float) -> str:
    return f"{_num(hours)} hour" if _num(hours) == "1" else f"{_num(hours)} hours"


# How review_text names the other categories' hours.
_OTHER_LABELS: dict[str, str] = {
    "diagnosis_planning": "on the post-mortem and planning",
    "work": "of research or clinical work",
    "application_interviews": "on applications",
}


def review_text(review: WeekReview) -> str:
    """A short, kind summary of a week: the plan, what was logged, tasks done, days checked in.

    Every number is said plainly and every logged hour is counted as real work: no
    "missed", no "failed". Without a plan it says so gently and suggests planning this week.
    """
    week = f"{review.week_start:%B} {review.week_start.day}"
    lines: list[str] = [
        f"Your week of {week} so far." if review.so_far else f"Your week of {week}."
    ]
    logged = review.logged_exam_hours
    planned = review.planned_exam_hours

    if planned is None:
        lines.append(
            "There's no weekly plan for it yet: that's what this session is for."
            if review.so_far
            else "There was no weekly plan for it, and that's okay."
        )
        if logged > 0:
            lines.append(f"You logged {_hours(logged)} of exam study.")
    elif planned > 0:
        if logged > 0:
            lines.append(f"You planned {_hours(planned)} of exam study and logged {_num(logged)}.")
            if logged >= planned:
                lines.append("That's the plan, done.")
        else:
            lines.append(
                f"You planned {_hours(planned)} of exam study and logged none this time. "
                "That happens; we'll set a number that fits the week ahead."
            )
    elif logged > 0:
        lines.append(f"You hadn't planned exam study and still logged {_hours(logged)}.")

    others = [
        f"{_hours(review.totals.get(key, 0.0))} {label}"
        for key, label in _OTHER_LABELS.items()
        if review.totals.get(key, 0.0) > 0
    ]
    if others:
        also = " also" if logged > 0 else ""
        listed = others[0] if len(others) == 1 else f"{', '.join(others[:-1])} and {others[-1]}"
        lines.append(f"You{also} put in {listed}. That's real work.")

    if review.tasks:
        count = len(review.tasks)
        noun = "task" if count == 1 else "tasks"
        done = review.tasks_done
        if review.tasks_marked and done == count:
            lines.append("Your task is done." if count == 1 else f"All {count} tasks are done.")
        elif review.tasks_marked and done > 0:
            verb = "is" if done == 1 else "are"
            lines.append(f"{done} of your {count} {noun} {verb} done.")
        elif review.tasks_marked:
            # Nothing ticked off: say where the tasks go next, not what didn't happen.
            lines.append(f"Your {noun} can carry over to this week.")
        else:
            lines.append(f"You set {count} {noun}; tell me which are done when you're ready.")

    checked, open_days = review.days_checked_in, review.days_open
    if open_days < 7:  # the week they joined: only the days since then
        if checked >= open_days:
            lines.append(
                "You checked in today." if open_days == 1 else "You checked in every day so far."
            )
        elif checked > 0:
            lines.append(f"You checked in {checked} of the {open_days} days since you started.")
        else:
            lines.append("No check-ins yet: /checkin takes 30 seconds.")
    elif checked >= 7:
        lines.append("You checked in every day of the week.")
    elif checked > 0:
        day_word = "day" if checked == 1 else "days"
        lines.append(f"You checked in {checked} {day_word} out of 7.")
    else:
        lines.append("No check-ins that week, and you're here now, which is what counts.")

    if planned is None and not review.so_far:
        lines.append(
            "Want to plan this week? About 30 minutes: your exam study hours, your work "
            "priorities and your top three application tasks."
        )
    return " ".join(lines)


# --------------------------------------------------------------------------- hours typed on a phone

_HOURS_REASON = (
    "Please send the hours as a number, like 2, 2.5 or 1h30 (or 90m). Send 0 if there weren't any."
)
_HEDGE = re.compile(r"^(?:about|around|approximately|approx\.?|roughly|maybe|nearly|almost|~|≈)\s*")
_H = r"(?:h|hr|hrs|hour|hours)"
_M = r"(?:m|min|mins|minute|minutes)"
_NUMBER = r"(?:\d+(?:[.,]\d+)?|[.,]\d+)"
_PLAIN_RE = re.compile(rf"(?P<h>{_NUMBER})\s*{_H}?")
_H_M_RE = re.compile(rf"(?P<h>\d+)\s*{_H}\s*(?:and\s*)?(?P<m>\d+)\s*{_M}?")
_CLOCK_RE = re.compile(r"(?P<h>\d+):(?P<m>\d{2})")
_MINUTES_RE = re.compile(rf"(?P<m>{_NUMBER})\s*{_M}")
_NEGATIVE_RE = re.compile(r"^[-−–]\s*[\d.,]")
_RANGE_RE = re.compile(r"\d\s*(?:-|–|to|or)\s*\d")
_ZERO_WORDS = frozenset({"none", "zero", "nothing", "nil", "no", "nope", "n/a", "na"})
_PHRASES: dict[str, float] = {
    "half an hour": 0.5,
    "half hour": 0.5,
    "an hour": 1.0,
    "one hour": 1.0,
    "1 and a half hours": 1.5,
    "an hour and a half": 1.5,
}


def _decimal(text: str) -> float:
    # "2,5" is how much of the world writes 2.5.
    return float(text.replace(",", "."))


def parse_hours(text: str) -> float:
    """Hours for one day, as typed on a phone, rounded to 0.01.

    Accepts "2", "2.5", "2,5", "1h30", "1h 30m", "1:30", "90m", "90 min", "2 hours",
    "about 2", "2ish", "half an hour", and "0" / "none" / "nothing" for zero. Refuses
    negatives, ranges ("2-3") and more than ``MAX_DAY_HOURS`` (16) in a day by raising
    :class:`~conversations.rules.parsing.Invalid` with a reason the bot can send back.
    """
    squashed = " ".join(text.split()).casefold().rstrip(".!?;")
    if _NEGATIVE_RE.match(squashed):
        raise Invalid("Hours can't be below zero. Send 0 if there weren't any.")
    squashed = _HEDGE.sub("", squashed).removesuffix("ish").strip()
    if squashed in _ZERO_WORDS:
        return 0.0
    if squashed in _PHRASES:
        return _PHRASES[squashed]
    if _RANGE_RE.search(squashed):
        raise Invalid("Please send one number for the day, like 2.5. A good guess is fine.")

    value: float | None = None
    if match := _H_M_RE.fullmatch(squashed) or _CLOCK_RE.fullmatch(squashed):
        minutes = int(match["m"])
        if minutes > 59:
            raise Invalid("Minutes go up to 59: for 1 hour 30 minutes send 1h30, or send 90m.")
        value = int(match["h"]) + minutes / 60
    elif match := _MINUTES_RE.fullmatch(squashed):
        value = _decimal(match["m"]) / 60
    elif match := _PLAIN_RE.fullmatch(squashed):
        value = _decimal(match["h"])
    if value is None:
        raise Invalid(_HOURS_REASON)
    if value > MAX_DAY_HOURS:
        raise Invalid(
            f"That's more than {MAX_DAY_HOURS:g} hours in one day. Please send the hours "
            "for this one day, like 3 or 2.5."
        )
    return round(value, 2)


# --------------------------------------------------------------------------- care texts

# Offered when low_mood() returns a reason, at most once per may_show_again() window.
# It names what helps and where to find it; it never names a condition.
CARE_LOW_MOOD = (
    "The last few days sound heavy. That makes sense: this year is hard, and it says "
    "nothing about the doctor you'll be.\n\n"
    "Many residents and attendings see a therapist, and talking with one can help with the "
    "loss, the stuck days, and what to say when people ask where you matched. "
    "Ways to find someone:\n"
    "• your primary care doctor can refer you\n"
    "• your school's or employer's employee assistance program (often free and confidential)\n"
    "• the Psychology Today therapist finder, searchable by city and insurance\n\n"
    "If things ever feel like too much, call or text 988 (US and Canada), any hour; "
    "elsewhere, findahelpline.com lists free lines.\n\n"
    "And if this week needs to be lighter, we can make the plan lighter. Just say so."
)

# Offered when wake_trouble() is True: one suggestion, from the seed's "basic life structure".
CARE_SLEEP = (
    "Mornings have been hard lately, which is common in a year without a fixed schedule. "
    "One thing that helps: pick one wake time and keep it every day, weekends too, with a "
    "regular sleep block before it. The rest of the day gets easier to build on that."
)

# Offered when money comes up (seed 10C: income is fine, drift is the risk).
CARE_MONEY = (
    "Needing income is real, and a job outside medicine to stay afloat is completely fine. "
    "Two things keep it working for you: give it a firm end date, and pair it with something "
    "that moves your application, like part-time research, part-time clinical experience or "
    "focused exam study. That way this stays a one-year plan."
)
