"""Reminders the user controls: /reminders, /pause, /resume, /settings, and nudge buttons.

Every nudge arrives with three buttons: snooze an hour, snooze to tomorrow, or done. Done on
a milestone counts it as done: the milestone is ticked off in the plan (its owner says which,
``Reminders.completes``) and what was still planned for it is cancelled. Done on a recurring
reminder (the daily check-in, the weekly planning) closes only that one: the series goes on.
A snoozed copy is a one-off; snoozing a recurring reminder past the series' own next one
("Tomorrow" on a daily reminder) makes no copy, since the next one is coming anyway. Which
reminders exist, and their words, belong to the features that plan them (their ``Reminders``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from conversations import texts
from conversations.engine import Choice, Context, Flow, Outcome, Question
from conversations.messages import (
    Button,
    CancelNudges,
    RecordEvent,
    Reply,
    SaveAnswer,
    ScheduleNudge,
    SetNudgeState,
    SetPaused,
    Turn,
    button_number,
)
from conversations.rules.clock import CLOCKS, typing_examples
from conversations.rules.parsing import parse_clock_time, parse_weekday, zone_for
from conversations.rules.reminders import (
    local_day,
    local_moment,
    next_due,
    quiet_until,
    repeats,
    series_of,
    snoozed_copy,
)
from conversations.session import SETTINGS_FLOW, Feature, NudgeView, Reads, Session

NUDGE_PREFIX = "@nd."
HANDLED = {"snoozed", "done", "cancelled"}


def nudge_buttons(nudge_id: int) -> tuple[tuple[Button, ...], ...]:
    """The row under every nudge: snooze an hour, snooze to tomorrow, or mark it done."""
    return (
        (
            Button("Snooze 1 hour", f"{NUDGE_PREFIX}hour.{nudge_id}"),
            Button("Tomorrow", f"{NUDGE_PREFIX}tomorrow.{nudge_id}"),
        ),
        (Button("Done ✓", f"{NUDGE_PREFIX}done.{nudge_id}"),),
    )


def with_nudge_buttons(reply: Reply, nudge_id: int) -> Reply:
    return replace(reply, buttons=reply.buttons + nudge_buttons(nudge_id))


WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _clock(text: str, ctx: Context) -> str:
    return parse_clock_time(text).strftime("%H:%M")


def _time_question(
    key: str, title: str, prompt: str | Callable[[Context], str], times: tuple[str, ...]
) -> Question:
    """A time of day, offered as ``times`` ("HH:MM", labelled in the user's clock) or typed."""
    return Question(
        key,
        title,
        prompt,
        choices=tuple(Choice(at, at, typed=True) for at in times),
        parse=_clock,
        columns=3,
        clock=True,
    )


def _weekday(text: str, ctx: Context) -> str:
    return parse_weekday(text)


def _checkin_at(s: Session | Context) -> str:
    """The daily check-in's time in the user's clock (it is set apart from the others)."""
    user = s.user
    at = user.profile.get("checkin_time") if user is not None else None
    return user.time_of_day(at) if user is not None and at else "the time you chose"


def _nudge_time_prompt(ctx: Context) -> str:
    return (
        "At what time of day should your reminders come? This time is for the plan's "
        "reminders (new phases, deadlines), your feedback meetings and your weekly planning "
        f"session; your daily check-in keeps its own time ({_checkin_at(ctx)}).\n"
        f"Tap a time or type one (like {typing_examples(ctx.hour24)})."
    )


SETTINGS = Flow(
    name=SETTINGS_FLOW,
    code="st",
    change_hint="send /settings",
    fresh_runs=True,
    questions=(
        _time_question(
            "nudge_time", "Reminder time", _nudge_time_prompt, ("08:00", "12:30", "18:00")
        ),
        _time_question(
            "quiet_start",
            "Quiet hours start",
            "Quiet hours: no reminders between two times. When do they start?",
            ("21:00", "22:00", "23:00"),
        ),
        _time_question(
            "quiet_end", "Quiet hours end", "And when do they end?", ("06:00", "07:00", "08:00")
        ),
        Question(
            "weekly_day",
            "Weekly planning day",
            "Which day for your weekly planning session?",
            choices=tuple(
                Choice(code, name[:3])
                for code, name in zip(WEEKDAY_CODES, WEEKDAY_NAMES, strict=True)
            ),
            parse=_weekday,
            columns=7,
        ),
    ),
)


def _local(s: Session, moment: datetime) -> str:
    zone = zone_for(str(s.user.profile.get("timezone") or "UTC"))
    local = moment.astimezone(zone)
    return f"{local:%a, %b} {local.day}, {s.user.time_of_day(local)}"


def show_reminders(s: Session) -> Turn:
    pending = sorted((n for n in s.user.nudges if n.state == "pending"), key=lambda n: n.due_at)
    if not pending:
        return s.turn(
            Reply("No reminders are planned right now. /plan sets up your plan's reminders.")
        )
    lines = [
        f"• {_local(s, n.due_at)}: {s.describe_nudge(n.kind, n.payload)}" for n in pending[:10]
    ]
    more = f"\n…and {len(pending) - 10} more." if len(pending) > 10 else ""
    paused = "\n\nReminders are paused: /resume turns them back on." if s.user.paused else ""
    buttons = ((Button("Change times and quiet hours", "@nd.settings"),),)
    text = "Coming up (your local time):\n" + "\n".join(lines) + more + paused
    return s.turn(Reply(text, buttons))


def pause(s: Session) -> Turn:
    if s.user.paused:
        return s.turn(Reply("Reminders are already paused. /resume turns them back on."))
    text = (
        "Paused. No reminders until you send /resume. Your plan and answers stay as they are; "
        "taking a breather is part of a long year."
    )
    return s.turn(Reply(text), effects=(SetPaused(True),))


def resume(s: Session) -> Turn:
    if not s.user.paused:
        return s.turn(Reply("Reminders are on. /reminders shows what's coming."))
    text = (
        "Welcome back: reminders are on again. Anything that fell due while you were away "
        "and is more than a day old has been let go, so you won't get a pile at once."
    )
    # Planned afresh from today: nothing that fell due during the pause piles up.
    return s.turn(Reply(text), effects=(SetPaused(False), *s.replan()))


def _when_reminders_come(s: Session) -> str:
    """Which reminder comes when: the daily check-in has its own time, the rest share one."""
    user = s.user
    current = user.nudge_settings
    day = str(user.flow_answers(SETTINGS_FLOW).get("weekly_day") or "sun")
    planning_day = dict(zip(WEEKDAY_CODES, WEEKDAY_NAMES, strict=True)).get(day, "Sunday")
    return (
        f"• Your daily check-in: {_checkin_at(s)}.\n"
        f"• Everything else (new phases, deadlines, feedback meetings, and your weekly "
        f"planning on {planning_day}s): {user.time_of_day(current.at)}.\n"
        f"• Quiet hours: nothing arrives between {user.time_of_day(current.quiet[0])} and "
        f"{user.time_of_day(current.quiet[1])}."
    )


def _clock_button(s: Session) -> Button:
    if s.user.hour24:
        return Button("Use the 12-hour clock (AM/PM)", f"{NUDGE_PREFIX}clock.12h")
    return Button("Use the 24-hour clock", f"{NUDGE_PREFIX}clock.24h")


def start_settings(s: Session, preface: str | None = None) -> Turn:
    if not s.user.profile:
        return s.turn(Reply(texts.NEED_PROFILE))
    tz = s.user.profile.get("timezone") or "not set"
    buttons = (
        (
            Button("Daily check-in time", "@edit.checkin_time"),
            Button("Wake time", "@edit.wake_time"),
        ),
        (Button("Reminder time and quiet hours, planning day", "@nd.settings"),),
        (Button(f"Time zone ({tz})", "@edit.timezone"), Button("Start date", "@edit.start_date")),
        (_clock_button(s),),
    )
    wake = s.user.profile.get("wake_time")
    wake_line = (
        f"Your planned wake time is {s.user.time_of_day(wake)}: the check-in asks if you made it."
        if wake
        else "No wake time is set, so the check-in doesn't ask about mornings."
    )
    text = (
        f"When reminders come, in your time:\n{_when_reminders_come(s)}\n\n{wake_line}\n\n"
        "What would you like to change?"
    )
    return s.turn(Reply(f"{preface}\n\n{text}" if preface else text, buttons))


def set_clock(s: Session, clock: str) -> Turn:
    """Times shown as 7:00 PM or 19:00 from now on: /settings again, in the new clock."""
    save = SaveAnswer(SETTINGS_FLOW, "clock", None, clock)
    view = s.after((save,))
    view.state = s.state  # the clock changes nothing about where they are
    turn = start_settings(view, "Done: times now show like " + view.user.time_of_day("19:00") + ".")
    return Turn(turn.replies, s.state, (save,), "Saved ✓")


def _nudge(s: Session, arg: str) -> NudgeView | None:
    wanted = button_number(arg)
    return next((n for n in s.user.nudges if n.id == wanted), None)


def _series_goes_on(s: Session, nudge: NudgeView) -> ScheduleNudge | None:
    """The next row of a recurring nudge whose button is pressed before the sweep recorded it
    as sent (a send that timed out after Telegram delivered it leaves it pending): the sweep
    will not write it now, so the button does. None when the sweep already did."""
    if repeats(nudge.payload) is None or nudge.state not in ("pending", "claimed"):
        return None
    due = next_due(nudge.kind, nudge.payload, nudge.due_at)
    while due is not None and due <= s.now_utc:
        due = next_due(nudge.kind, nudge.payload, due)
    if due is None:
        return None
    return ScheduleNudge(nudge.kind, nudge.key, due, dict(nudge.payload))


def _next_in_series(s: Session, nudge: NudgeView, planned: ScheduleNudge | None) -> datetime | None:
    """When the series ``nudge`` belongs to comes next (its one pending row), if it has one."""
    if planned is not None:
        return planned.due_at
    if series_of(nudge.payload) is None:
        return None
    ahead = [
        n.due_at
        for n in s.user.nudges
        if n.state == "pending"
        and n.key == nudge.key
        and n.kind == nudge.kind
        and repeats(n.payload) is not None
    ]
    return min(ahead, default=None)


def on_button(s: Session, rest: str) -> Turn:
    action, _, arg = rest.partition(".")
    if action == "settings":
        return s.begin(SETTINGS)
    if action == "clock" and arg in CLOCKS:
        return set_clock(s, arg)
    nudge = _nudge(s, arg)
    if action not in ("hour", "tomorrow", "done") or nudge is None:
        return s.turn(
            Reply("That reminder isn't there anymore, so nothing changed."), toast="Nothing changed"
        )
    if nudge.state in HANDLED:
        return s.turn(toast="Already taken care of ✓")
    # A button acts on this one reminder. A recurring series (or a snoozed copy of one)
    # goes on whatever is pressed; a milestone's Done closes what is left for the milestone.
    going_on = _series_goes_on(s, nudge)
    series_row = (going_on,) if going_on is not None else ()
    if action == "done":
        closes = () if series_of(nudge.payload) else (CancelNudges(nudge.key),)
        # A plan milestone's reminder: the milestone itself is done, not just this message.
        ticks = s.tick(s.completed_by_nudge(nudge.kind, nudge.payload))
        effects = (
            SetNudgeState(nudge.id, "done"),
            *closes,
            *series_row,
            *ticks,
            RecordEvent("nudge_done", {"key": nudge.key}),
        )
        text = "Marked done. Nice work."
        if ticks:
            text += " I've ticked it off in your plan (/plan shows it)."
        return s.turn(Reply(text), effects=effects, toast="Done ✓")
    if action == "hour":
        due = s.now_utc + timedelta(hours=1)
        due = quiet_until(nudge.payload, due) or due
    else:
        tomorrow = local_day(s.now_utc, nudge.payload) + timedelta(days=1)
        due = local_moment(tomorrow, str(nudge.payload.get("at") or "09:00"), nudge.payload)
    snoozed = SetNudgeState(nudge.id, "snoozed")
    upcoming = _next_in_series(s, nudge, going_on)
    if upcoming is not None and (
        upcoming <= due
        if action == "hour"
        else local_day(upcoming, nudge.payload) <= local_day(due, nudge.payload)
    ):
        # The series' own next one comes first (or the same day, for "Tomorrow"): that one
        # is the reminder, rather than a copy arriving beside it.
        text = (
            f"Snoozed until {_local(s, upcoming)}. That's when your next one is due anyway, "
            "so it will be just the one."
        )
        return s.turn(Reply(text), effects=(snoozed, *series_row), toast="Snoozed")
    copy = ScheduleNudge(nudge.kind, nudge.key, due, snoozed_copy(nudge.payload, nudge.id))
    text = f"Snoozed until {_local(s, due)}."
    return s.turn(Reply(text), effects=(snoozed, copy, *series_row), toast="Snoozed")


def finished(s: Session, flow: Flow, result: Outcome) -> Turn:
    view = s.after(result.effects)
    text = (
        f"Saved, and the reminders ahead are re-planned:\n{_when_reminders_come(view)}\n\n"
        "Your daily check-in keeps its own time; tap below to move it too."
    )
    buttons = ((Button("Move my daily check-in", "@edit.checkin_time"),),)
    return view.turn(Reply(text, buttons), effects=view.replan())


def nudge_id_in(data: str | None) -> int | None:
    """The nudge id a nudge button names ("@nd.hour.42" -> 42), else None."""
    if not data or not data.startswith(NUDGE_PREFIX):
        return None
    return button_number(data.rsplit(".", 1)[-1])


FEATURE = Feature(
    name="nudging",
    flows=(SETTINGS,),
    commands={
        "reminders": show_reminders,
        "pause": pause,
        "resume": resume,
        "settings": start_settings,
    },
    buttons={NUDGE_PREFIX: on_button},
    finished=finished,
    # Pending reminders (and the one a pressed reminder button names, see ``nudge_id_in``).
    reads=(Reads("nudges", commands=frozenset({"reminders"}), buttons=(NUDGE_PREFIX,)),),
)
