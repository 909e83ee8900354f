"""Check-ins from a phone: the 30-second daily (/checkin), the weekly session (/weekly), /history.

The rules (streaks, which day a late-night check-in counts for, weekly totals, the care
triggers) are pure functions in ``routine.py``; this module holds the questions, what the
coach says, and the care messages' timing (each shown once, then not again for a while).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from conversations import texts
from conversations.engine import Choice, Context, Flow, Outcome, Question
from conversations.messages import (
    Attachment,
    Button,
    CancelNudges,
    Effect,
    RecordEvent,
    Reply,
    SaveCheckIn,
    SaveWeekPlan,
    ScheduleNudge,
    Turn,
)
from conversations.rules import routine
from conversations.rules.clock import show_time
from conversations.rules.parsing import Invalid, normalize_free_text, zone_for
from conversations.rules.plan import effort_for, next_deadlines
from conversations.rules.reminders import local_moment
from conversations.rules.routine import MAX_TASKS
from conversations.session import SETTINGS_FLOW, Feature, Reads, Reminders, Session

DAILY, WEEKLY = "checkin", "weekly"
OPEN_DAILY, OPEN_WEEKLY = "@ci.open", "@wk.open"
CARE_LOW_MOOD, CARE_SLEEP = "care_low_mood", "care_sleep"


def _hours(text: str, ctx: Context) -> float:
    return routine.parse_hours(text)


def _line(text: str, ctx: Context) -> str:
    return normalize_free_text(text, max_len=300, what="line")


def _has_wake_time(ctx: Context) -> bool:
    """Only when they set a wake time (onboarding, /profile or /settings)."""
    return bool(ctx.profile.get("wake_time"))


def _woke_prompt(ctx: Context) -> str:
    wake = show_time(str(ctx.profile.get("wake_time")), ctx.hour24)
    return f"Up by {wake} today?"


def _planning_counts(ctx: Context) -> bool:
    """While the plan gives diagnosis & planning a real share (months 1-6 of the seed)."""
    plan = ctx.user.plan if ctx.user is not None else None
    return plan is not None and routine.logs_planning(effort_for(plan, ctx.today))


def _hour_buttons(values: Sequence[float]) -> tuple[Choice, ...]:
    return tuple(Choice(f"{v:g}", f"{v:g}", typed=True) for v in values)


CHECKIN = Flow(
    name=DAILY,
    code="ci",
    change_hint="send /checkin again: what you answer replaces today's, what you skip is kept",
    fresh_runs=True,
    questions=(
        Question(
            "woke_on_time",
            "Up on time",
            _woke_prompt,
            choices=(Choice("yes", "Yes", stores=True), Choice("no", "No", stores=False)),
            ask_if=_has_wake_time,
        ),
        Question(
            "plan_hours",
            "Post-mortem and planning (hours)",
            "Hours on the post-mortem and planning today (feedback meetings, your own review, "
            "choosing your target, planning the week)?",
            choices=_hour_buttons((0, 0.5, 1, 2, 3)),
            parse=_hours,
            columns=5,
            ask_if=_planning_counts,
        ),
        Question(
            "exam_hours",
            "Exam study (hours)",
            "Hours on exam study today?",
            choices=_hour_buttons((0, 1, 2, 3, 4, 6)),
            parse=_hours,
            columns=6,
        ),
        Question(
            "role_hours",
            "Role (hours)",
            "Hours on your role today (research, clinical work, your job)?",
            choices=_hour_buttons((0, 2, 4, 6, 8, 10)),
            parse=_hours,
            columns=6,
        ),
        Question(
            "app_hours",
            "Application (hours)",
            "Hours on your application today?",
            choices=_hour_buttons((0, 0.5, 1, 2, 3)),
            parse=_hours,
            columns=5,
        ),
        Question(
            "win",
            "One win",
            "One win today, however small? (Type a line, or Skip.)",
            parse=_line,
            optional=True,
        ),
        Question(
            "mood",
            "Mood",
            "And your mood today, from 1 (very low) to 5 (good)?",
            choices=tuple(
                Choice(str(n), f"{n} {face}", stores=n)
                for n, face in zip(range(1, 6), ("😞", "🙁", "😐", "🙂", "😄"), strict=True)
            ),
            columns=5,
        ),
    ),
)


# ---------------------------------------------------------------- reading what is stored


def checkins_of(s: Session) -> list[routine.CheckIn]:
    return [routine.CheckIn.from_dict(dict(c)) for c in s.user.checkins]


def week_plans_of(s: Session) -> dict[date, routine.WeekPlan]:
    plans = [routine.WeekPlan.from_dict(dict(p)) for p in s.user.week_plans]
    return {p.week_start: p for p in plans}


def _tz(s: Session) -> str:
    return str(s.user.profile.get("timezone") or "UTC")


def checkin_day(s: Session) -> date:
    return routine.checkin_day(s.now_utc, _tz(s))


def _may_show(s: Session, kind: str) -> bool:
    return routine.may_show_again(s.user.last_shown.get(kind), s.now_utc, s.config.care_quiet_days)


# ---------------------------------------------------------------- daily


def start_daily(s: Session) -> Turn:
    if not s.user.profile:
        return s.turn(Reply(texts.NEED_PROFILE))
    if s.flow is not None and s.flow is not CHECKIN:
        return s.say_then_reask(texts.FINISH_FIRST)
    return s.begin(CHECKIN, preface="Daily check-in, about 30 seconds.")


def _next_up(s: Session, today: date) -> str | None:
    plan = s.user.plan
    if plan is None:
        return None
    upcoming = next_deadlines(plan, today, 1)
    if not upcoming:
        return None
    m = upcoming[0]
    return f"Next up: {m.title}, {m.due:%a %b} {m.due.day}{' (est.)' if m.estimate else ''}."


def finish_daily(s: Session, result: Outcome) -> Turn:
    view = s.after(result.effects)
    answers = view.user.flow_answers(DAILY)
    day = checkin_day(s)
    checkin = routine.CheckIn(
        day=day,
        woke_on_time=answers.get("woke_on_time"),
        exam_hours=float(answers.get("exam_hours") or 0),
        role_hours=float(answers.get("role_hours") or 0),
        app_hours=float(answers.get("app_hours") or 0),
        win=answers.get("win"),
        mood=answers.get("mood"),
        plan_hours=float(answers.get("plan_hours") or 0),
    )
    earlier = next((c for c in checkins_of(s) if c.day == day), None)
    if earlier is not None:  # a second check-in today: what it skipped keeps the first's answer
        checkin = routine.merged(earlier, checkin)
    history = [c for c in checkins_of(s) if c.day != day] + [checkin]
    streak = routine.streak((c.day for c in history), view.today)
    done = "Today's check-in updated ✓" if earlier is not None else "Checked in ✓"
    lines = [f"{done}  Streak: {streak} day{'s' if streak != 1 else ''}."]
    if earlier is not None and checkin.win and not answers.get("win"):
        lines.append(f"Your win from earlier is kept: “{checkin.win}”.")
    elif checkin.win:
        lines.append("That win counts. Keep a note of the small ones; they add up.")
    next_up = _next_up(view, view.today)
    if next_up:
        lines.append(next_up)
    replies = [Reply("\n".join(lines))]
    effects: list[Effect] = [SaveCheckIn(day, checkin.as_dict())]
    if routine.low_mood(history, day) and _may_show(s, CARE_LOW_MOOD):
        replies.append(Reply(routine.CARE_LOW_MOOD, ((Button("Support lines", "@care.lines"),),)))
        effects.append(RecordEvent(CARE_LOW_MOOD))
    elif routine.wake_trouble(history, day) and _may_show(s, CARE_SLEEP):
        replies.append(Reply(routine.CARE_SLEEP))
        effects.append(RecordEvent(CARE_SLEEP))
    return view.turn(*replies, effects=tuple(effects))


# ---------------------------------------------------------------- weekly


def plan_week_of(today: date) -> date:
    """The week a planning session plans: this one on weekdays, the next one at the weekend."""
    monday = routine.week_start(today)
    return monday if today.weekday() < 5 else monday + timedelta(days=7)


def joined_on(user: Any, today: date) -> date | None:
    """The local day they started with the coach (never after today), if known."""
    joined = getattr(user, "joined_at", None)
    if not isinstance(joined, datetime):
        return None
    zone = zone_for(str(user.profile.get("timezone") or "UTC"))
    return min(joined.astimezone(zone).date(), today)


def _review_week(today: date, user: Any) -> date:
    """The week a session looks back on: the last one, but never a week before they joined
    (in their first week, the session looks at this week so far)."""
    review = plan_week_of(today) - timedelta(days=7)
    joined = joined_on(user, today)
    return max(review, routine.week_start(joined)) if joined is not None else review


def _plans_in(user: Any) -> dict[date, routine.WeekPlan]:
    plans = [routine.WeekPlan.from_dict(dict(p)) for p in (user.week_plans if user else ())]
    return {p.week_start: p for p in plans}


def last_tasks(ctx: Context) -> tuple[str, ...]:
    review = _review_week(ctx.today, ctx.user)
    if review == plan_week_of(ctx.today):  # the week being planned is not looked back on
        return ()
    last = _plans_in(ctx.user).get(review)
    return last.tasks if last else ()


def due_soon(ctx: Context) -> list[str]:
    """The plan's milestones and deadlines in the next three weeks, to pick tasks from."""
    plan = ctx.user.plan if ctx.user else None
    if plan is None:
        return []
    soon = next_deadlines(plan, ctx.today, 3, kinds=("milestone", "deadline"))
    return [m.title for m in soon if m.due <= ctx.today + timedelta(days=21)]


_WEEK_HOURS = re.compile(r"^\s*(\d{1,3}(?:[.,]\d+)?)\s*(?:h|hrs?|hours?)?\s*$", re.IGNORECASE)


def _exam_week(text: str, ctx: Context) -> float:
    match = _WEEK_HOURS.match(text)
    value = float(match.group(1).replace(",", ".")) if match else -1.0
    if not 0 <= value <= 80:
        raise Invalid("Send the week's exam-study hours as a number from 0 to 80, like 12.")
    return value


def _titles(chosen: Any, due: list[str]) -> list[str]:
    """Ticked plan items ("t0", "t2") as their titles."""
    picks = [v for v in (chosen or []) if isinstance(v, str) and v[1:].isdigit()]
    return [due[int(v[1:])] for v in picks if int(v[1:]) < len(due)]


def _picked(ctx: Context) -> list[str]:
    """The plan items ticked at the previous question."""
    return _titles(ctx.answers.get("picked"), due_soon(ctx))


def _own_tasks(text: str, ctx: Context) -> list[str]:
    room = MAX_TASKS - len(_picked(ctx))
    parts = [p.strip(" -•") for p in text.replace("\n", ";").split(";")]
    tasks = [normalize_free_text(p, max_len=120, what="task") for p in parts if p.strip(" -•")]
    if not tasks:
        raise Invalid("Type your tasks separated by ; (or one per line), or /skip.")
    if len(tasks) > room:
        raise Invalid(
            f"That makes more than {MAX_TASKS}: keep the ones that matter most "
            f"(room for {room} more)."
        )
    return tasks


def _pick_prompt(ctx: Context) -> str:
    return (
        "Your top three application tasks for the week. Due soon in your plan (tick any that "
        "are this week's, then Done):"
    )


def _pick_choices(ctx: Context) -> list[Choice]:
    items = [Choice(f"t{i}", x[:60]) for i, x in enumerate(due_soon(ctx)[:MAX_TASKS])]
    return [Choice("none", "None of these"), *items]


def _has_due_items(ctx: Context) -> bool:
    """Only when the plan has items due in the next three weeks."""
    return bool(due_soon(ctx))


def _own_prompt(ctx: Context) -> str:
    picked = _picked(ctx)
    if len(picked) >= MAX_TASKS:
        return "That's three. Anything to swap in? Type it, or /skip."
    head = f"So far: {'; '.join(picked)}. " if picked else ""
    more = MAX_TASKS - len(picked)
    return f"{head}Add up to {more} of your own, separated by ; (or /skip)."


def _done_prompt(ctx: Context) -> str:
    listed = "\n".join(f"{i}. {t}" for i, t in enumerate(last_tasks(ctx), 1))
    return f"Last week's tasks:\n{listed}\n\nTick the ones that are done, then Done."


def _done_choices(ctx: Context) -> list[Choice]:
    tasks = last_tasks(ctx)
    return [Choice("none", "None yet")] + [
        Choice(str(i), f"{i}. {t}"[:60]) for i, t in enumerate(tasks, 1)
    ]


def _has_last_tasks(ctx: Context) -> bool:
    """Only when last week had a plan with tasks."""
    return bool(last_tasks(ctx))


WEEKLY_FLOW = Flow(
    name=WEEKLY,
    code="wk",
    change_hint="send /weekly again",
    fresh_runs=True,
    questions=(
        Question(
            "done",
            "Last week's tasks done",
            _done_prompt,
            choices=_done_choices,
            multi=True,
            exclusive="none",
            columns=1,
            ask_if=_has_last_tasks,
        ),
        Question(
            "exam_hours",
            "Exam study this week (hours)",
            "Plan for this week. How many hours of exam study?",
            choices=_hour_buttons((0, 5, 10, 15, 20)),
            parse=_exam_week,
            columns=5,
        ),
        Question(
            "priorities",
            "Work priorities",
            "Your work priorities this week, in a line (research, clinical, your job)?",
            parse=_line,
        ),
        Question(
            "picked",
            "Tasks from the plan",
            _pick_prompt,
            choices=_pick_choices,
            multi=True,
            exclusive="none",
            columns=1,
            ask_if=_has_due_items,
        ),
        Question(
            "own",
            "My own tasks",
            _own_prompt,
            parse=_own_tasks,
            optional=True,
        ),
    ),
)


def start_weekly(s: Session) -> Turn:
    if not s.user.profile:
        return s.turn(Reply(texts.NEED_PROFILE))
    if s.flow is not None and s.flow is not WEEKLY_FLOW:
        return s.say_then_reask(texts.FINISH_FIRST)
    today = s.today
    start = _review_week(today, s.user)
    this_week = start == plan_week_of(today)
    review = routine.review_week(
        None if this_week else week_plans_of(s).get(start),
        checkins_of(s),
        start,
        joined=joined_on(s.user, today),
        today=today,
    )
    look_back = routine.review_text(review)
    head = (
        "Weekly planning: your first week so far, then a plan for the rest of it."
        if this_week
        else "Weekly planning: first a look back, then the week ahead."
    )
    intro = Reply(f"{head}\n\n{look_back}")
    begun = s.begin(WEEKLY_FLOW)
    return Turn((intro, *begun.replies), begun.state)


def finish_weekly(s: Session, result: Outcome) -> Turn:
    view = s.after(result.effects)
    answers = view.user.flow_answers(WEEKLY)
    today = view.today
    review_start = _review_week(today, view.user)
    this_week = review_start == plan_week_of(today)
    plans = week_plans_of(view)
    effects: list[Effect] = []
    last = None if this_week else plans.get(review_start)
    if last is not None and last.tasks:
        ticked = set(answers.get("done") or [])
        done = tuple(str(i) in ticked for i in range(1, len(last.tasks) + 1))
        effects.append(SaveWeekPlan(review_start, replace(last, done=done).as_dict()))
    picked = _titles(answers.get("picked"), due_soon(view.ctx(WEEKLY_FLOW)))
    tasks = tuple([*picked, *(answers.get("own") or [])][:MAX_TASKS])
    week = routine.WeekPlan(
        week_start=plan_week_of(today),
        exam_hours=float(answers.get("exam_hours") or 0),
        priorities=str(answers.get("priorities") or ""),
        tasks=tasks,
    )
    effects.append(SaveWeekPlan(week.week_start, week.as_dict()))
    listed = "; ".join(t.rstrip(" .;") for t in tasks) if tasks else "none yet"
    summary = (
        f"Planned for the week of {week.week_start:%b} {week.week_start.day}: "
        f"{week.exam_hours:g} hours of exam study; work: {week.priorities.rstrip(' .;')}; "
        f"tasks: {listed}.\n\n"
        + (
            "Here's this week so far in hours and mood, against this quarter's effort split."
            if this_week or review_start + timedelta(days=6) >= today
            else "Here's last week in hours and mood, against this quarter's effort split."
        )
    )
    return view.turn(Reply(summary), week_chart_reply(view, review_start), effects=tuple(effects))


def week_chart_reply(s: Session, start: date) -> Reply:
    from conversations.documents.week_chart import render_week_chart

    checkins = checkins_of(s)
    days = routine.week_days(start)
    by_day = {c.day: c for c in checkins}
    hours = routine.daily_hours(checkins, start)
    moods = [by_day[d].mood if d in by_day else None for d in days]
    plan = s.user.plan
    # The split over what the check-ins log in that week's quarter (see routine.compared_split).
    split: Mapping[str, int] = (
        routine.compared_split(effort_for(plan, start)) if plan is not None else {}
    )
    png = render_week_chart(
        days,
        hours,
        moods,
        split,
        title=f"Week of {start:%b} {start.day}",
        past=start + timedelta(days=6) < s.today,
    )
    return Reply("", photo=Attachment(f"week-{start.isoformat()}.png", png, "image/png"))


# ---------------------------------------------------------------- history


def show_history(s: Session) -> Turn:
    checkins = sorted(checkins_of(s), key=lambda c: c.day, reverse=True)[:7]
    plans = sorted(week_plans_of(s).values(), key=lambda p: p.week_start, reverse=True)[:3]
    if not checkins and not plans:
        return s.turn(Reply("No check-ins yet. /checkin takes 30 seconds."))
    lines = ["Recent check-ins:"] if checkins else []
    for c in checkins:
        mood = f"mood {c.mood}/5" if c.mood else "no mood"
        lines.append(
            f"• {c.day:%a %b} {c.day.day}: "
            + (f"planning {c.plan_hours:g}h, " if c.plan_hours else "")
            + f"exam {c.exam_hours:g}h, role {c.role_hours:g}h, "
            f"application {c.app_hours:g}h, {mood}" + (f". Win: {c.win}" if c.win else "")
        )
    if plans:
        lines.append("\nWeekly plans:")
    for p in plans:
        done = f" ({sum(p.done)} of {len(p.tasks)} done)" if p.done else ""
        lines.append(
            f"• Week of {p.week_start:%b} {p.week_start.day}: {p.exam_hours:g}h exam study; "
            f"tasks: {'; '.join(p.tasks) or 'none'}{done}"
        )
    lines.append("\nEverything is in /export too.")
    return s.turn(Reply("\n".join(lines)))


def finished(s: Session, flow: Flow, result: Outcome) -> Turn:
    if flow is CHECKIN:
        return finish_daily(s, result)
    return finish_weekly(s, result)


ROUTINE_KEY = "routine:"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def routine_nudges(s: Session) -> list[Effect]:
    """The recurring ones: the daily check-in and the weekly planning session."""
    if not s.user.profile.get("checkin_time"):
        return []
    settings = s.user.nudge_settings
    today = s.today
    daily = settings.payload(every="day", at=str(s.user.profile["checkin_time"]))
    first = local_moment(today, daily["at"], daily)
    if first <= s.now_utc:
        first = local_moment(today + timedelta(days=1), daily["at"], daily)
    weekly = settings.payload(every="week")
    wanted = str(s.user.flow_answers(SETTINGS_FLOW).get("weekly_day") or "sun")
    ahead = (WEEKDAYS.index(wanted) - today.weekday()) % 7
    week_first = local_moment(today + timedelta(days=ahead), settings.at, weekly)
    if week_first <= s.now_utc:
        week_first = local_moment(today + timedelta(days=ahead + 7), settings.at, weekly)
    return [
        ScheduleNudge("daily_checkin", f"{ROUTINE_KEY}daily", first, daily),
        ScheduleNudge("weekly_planning", f"{ROUTINE_KEY}weekly", week_first, weekly),
    ]


def replan(s: Session) -> list[Effect]:
    """The routine reminders cancelled and planned afresh."""
    return [CancelNudges(ROUTINE_KEY, prefix=True), *routine_nudges(s)]


def describe_nudge(kind: str, payload: Mapping[str, Any]) -> str | None:
    """The routine's reminders as /reminders lists them."""
    label = {
        "daily_checkin": "Your daily check-in",
        "weekly_planning": "Your weekly planning session",
    }.get(kind)
    if label is not None and "snoozed_from" in payload:
        label += " (snoozed)"
    return label


def render_nudge(kind: str, payload: Mapping[str, Any]) -> Reply | None:
    if kind == "daily_checkin":
        return Reply("Time for your 30-second check-in.", ((Button("Check in", OPEN_DAILY),),))
    if kind == "weekly_planning":
        text = (
            "Your weekly planning session: 30 to 60 minutes to look back at the week and plan "
            "the next (exam hours, work priorities, your top three application tasks)."
        )
        return Reply(text, ((Button("Start", OPEN_WEEKLY),),))
    return None


FEATURE = Feature(
    name="checkins",
    flows=(CHECKIN, WEEKLY_FLOW),
    commands={"checkin": start_daily, "weekly": start_weekly, "history": show_history},
    buttons={OPEN_DAILY: lambda s, _r: start_daily(s), OPEN_WEEKLY: lambda s, _r: start_weekly(s)},
    finished=finished,
    reminders=Reminders(
        frozenset({"daily_checkin", "weekly_planning"}), render_nudge, describe_nudge, replan
    ),
    reads=(
        Reads(
            "routine",
            commands=frozenset({"checkin", "weekly", "history"}),
            buttons=("@ci.", "@wk."),
            flows=frozenset({DAILY, WEEKLY}),
        ),
    ),
    remembers=(CARE_LOW_MOOD, CARE_SLEEP),
)
