"""Recurring reminders as a user lives them, on real databases (SQLite and PostgreSQL).

The daily check-in reminder is one series (key ``routine:daily``): the sweep sends today's
and writes tomorrow's. Buttons act on one reminder, never on the series: "Done" closes that
one, a snoozed copy is a one-off, and snoozing a daily reminder to tomorrow lets tomorrow's
regular one be the reminder (no second copy at the same time). The series keeps exactly one
pending row at any time. Buttons are pressed through the real service, and the real sweep
sends against a fake Telegram (see tests/test_sweeper.py), with a fake clock.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.service import CoachService, Who
from conversations.messages import Press, Turn
from conversations.rules.reminders import next_due
from storage.models import Nudge
from tests.conftest import Clock
from tests.test_service import onboarded
from tests.test_sweeper import FakeTelegram, nudges_of, sweeper_for

MAYA = Who("telegram", "4242", "Maya")
CHICAGO = ZoneInfo("America/Chicago")
CHECK_IN = "Time for your 30-second check-in."
DAILY = "routine:daily"
FIRST_DAILY = datetime(2026, 3, 26, 7, 0, tzinfo=CHICAGO)  # the morning after onboarding


def said(turn: Turn) -> str:
    return "\n".join(r.text for r in turn.replies)


async def press(service: CoachService, telegram: FakeTelegram, nudge_id: int, action: str) -> Turn:
    """Tap a button under the message the sweep delivered for ``nudge_id``."""
    wanted = f"@nd.{action}.{nudge_id}"
    for _, _, rows in telegram.sent:
        if any(wanted in row for row in rows):
            return await service.handle(MAYA, Press(wanted))
    raise AssertionError(f"no message carried {wanted}")


def pending_daily(rows: list[Nudge]) -> tuple[list[Nudge], list[Nudge]]:
    """The daily series' pending rows, and the pending snoozed copies of it."""
    pending = [n for n in rows if n.state == "pending" and n.key == DAILY]
    series = [n for n in pending if n.payload.get("every") == "day"]
    copies = [n for n in pending if n.payload.get("every") != "day"]
    return series, copies


async def pending_routine(service: CoachService, user: int) -> list[Nudge]:
    """The pending rows of the check-in series (daily and weekly), and their snoozed copies."""
    async with service.db.unit_of_work() as repo:
        query = select(Nudge).where(
            Nudge.user_id == user, Nudge.state == "pending", Nudge.key.startswith("routine:")
        )
        return list((await repo.session.execute(query)).scalars())


def check_ins_sent(telegram: FakeTelegram, since: int = 0) -> list[int]:
    """The ids of the check-in reminders delivered, from message ``since`` on."""
    ids = telegram.nudge_ids()
    return [ids[i] for i, sent in enumerate(telegram.sent) if sent[1] == CHECK_IN and i >= since]


async def first_check_in(service: CoachService, clock: Clock) -> tuple[int, FakeTelegram, int]:
    """Onboard, then sweep at 7:00 on March 26: (user id, the fake Telegram, the sent id)."""
    user = await onboarded(service)
    telegram = FakeTelegram()
    clock.now = FIRST_DAILY.astimezone(UTC)
    await sweeper_for(service.db, telegram, clock).sweep_once()
    [sent] = check_ins_sent(telegram)
    return user, telegram, sent


# ---------------------------------------------------------------- defect 1: done


async def test_done_on_the_daily_reminder_closes_that_one_and_the_series_goes_on(
    service: CoachService, clock: Clock
) -> None:
    user, telegram, today = await first_check_in(service, clock)
    series, _ = pending_daily(await nudges_of(service.db, user))
    assert [n.due_at for n in series] == [(FIRST_DAILY + timedelta(days=1)).astimezone(UTC)]

    clock.advance(minutes=5)
    turn = await press(service, telegram, today, "done")
    assert "Marked done" in said(turn)

    rows = {n.id: n for n in await nudges_of(service.db, user)}
    assert rows[today].state == "done"
    still = pending_daily(list(rows.values()))[0]
    assert [n.id for n in still] == [n.id for n in series], "tomorrow's is still planned"

    clock.now = (FIRST_DAILY + timedelta(days=1)).astimezone(UTC)
    await sweeper_for(service.db, telegram, clock).sweep_once()
    assert len(check_ins_sent(telegram)) == 2, "and it arrives"


async def test_done_on_a_milestone_still_cancels_what_is_left_for_it(
    service: CoachService, clock: Clock
) -> None:
    """One-off reminders keep their behaviour: the "on the day" row goes with the heads-up."""
    user = await onboarded(service)
    rows = await nudges_of(service.db, user)
    before = next(n for n in rows if n.kind == "milestone_before")
    on_the_day = [n for n in rows if n.key == before.key and n.kind == "milestone_due"]
    assert on_the_day and on_the_day[0].state == "pending"
    telegram = FakeTelegram()
    clock.now = before.due_at
    await sweeper_for(service.db, telegram, clock).sweep_once()
    await press(service, telegram, before.id, "done")
    left = [n for n in await nudges_of(service.db, user) if n.key == before.key]
    assert {n.id: n.state for n in left if n.id != before.id} == {on_the_day[0].id: "cancelled"}


# ---------------------------------------------------------------- defect 2: snooze


async def test_a_snoozed_daily_reminder_is_a_one_off_and_the_series_stays_single(
    service: CoachService, clock: Clock
) -> None:
    user, telegram, today = await first_check_in(service, clock)
    turn = await press(service, telegram, today, "hour")
    assert "Snoozed until" in said(turn)
    series, [copy] = pending_daily(await nudges_of(service.db, user))
    assert "every" not in copy.payload and copy.payload["snoozed_from"] == today

    sweeper = sweeper_for(service.db, telegram, clock)
    clock.advance(hours=1)
    await sweeper.sweep_once()
    assert check_ins_sent(telegram) == [today, copy.id]
    after, copies = pending_daily(await nudges_of(service.db, user))
    assert [n.id for n in after] == [n.id for n in series] and copies == [], "no second series"

    for day in range(1, 4):  # one a day from here on, not two
        clock.now = (FIRST_DAILY + timedelta(days=day)).astimezone(UTC)
        await sweeper.sweep_once()
        assert len(check_ins_sent(telegram)) == 2 + day
        assert len(pending_daily(await nudges_of(service.db, user))[0]) == 1


async def test_done_on_a_snoozed_copy_keeps_the_series(service: CoachService, clock: Clock) -> None:
    user, telegram, today = await first_check_in(service, clock)
    await press(service, telegram, today, "hour")
    clock.advance(hours=1)
    await sweeper_for(service.db, telegram, clock).sweep_once()
    [_, copy] = check_ins_sent(telegram)

    turn = await press(service, telegram, copy, "done")
    assert "Marked done" in said(turn)
    series, copies = pending_daily(await nudges_of(service.db, user))
    assert [n.due_at for n in series] == [(FIRST_DAILY + timedelta(days=1)).astimezone(UTC)]
    assert copies == []


async def test_tomorrow_on_a_daily_reminder_skips_today_without_a_second_copy(
    service: CoachService, clock: Clock
) -> None:
    user, telegram, today = await first_check_in(service, clock)
    turn = await press(service, telegram, today, "tomorrow")
    assert "Snoozed until Fri, Mar 27, 7:00 AM" in said(turn), said(turn)
    assert "just the one" in said(turn)
    rows = await nudges_of(service.db, user)
    assert next(n for n in rows if n.id == today).state == "snoozed"
    series, copies = pending_daily(rows)
    assert len(series) == 1 and copies == [], "tomorrow's regular one is the reminder"

    clock.now = (FIRST_DAILY + timedelta(days=1)).astimezone(UTC)
    await sweeper_for(service.db, telegram, clock).sweep_once()
    assert len(check_ins_sent(telegram)) == 2, "one tomorrow, not two at the same minute"


async def test_tomorrow_on_the_weekly_reminder_is_a_one_off_copy_for_tomorrow(
    service: CoachService, clock: Clock
) -> None:
    user = await onboarded(service)
    [weekly] = [n for n in await nudges_of(service.db, user) if n.key == "routine:weekly"]
    telegram = FakeTelegram()
    clock.now = weekly.due_at
    await sweeper_for(service.db, telegram, clock).sweep_once()
    await press(service, telegram, weekly.id, "tomorrow")
    pending = [
        n
        for n in await nudges_of(service.db, user)
        if n.key == "routine:weekly" and n.state == "pending"
    ]
    copy = next(n for n in pending if "snoozed_from" in n.payload)
    series = [n for n in pending if n.payload.get("every") == "week"]
    assert "every" not in copy.payload
    assert copy.due_at == weekly.due_at + timedelta(days=1)
    assert [n.due_at for n in series] == [weekly.due_at + timedelta(days=7)]


async def test_a_button_on_a_daily_reminder_still_pending_keeps_the_series(
    service: CoachService, clock: Clock
) -> None:
    """A send that timed out after Telegram delivered it leaves the row pending; a tap on
    its buttons then must not end the series (the sweep will never write its next row)."""
    user = await onboarded(service)
    [today], _ = pending_daily(await nudges_of(service.db, user))
    clock.now = today.due_at + timedelta(minutes=2)
    turn = await service.handle(MAYA, Press(f"@nd.done.{today.id}"))
    assert "Marked done" in said(turn)
    series, _ = pending_daily(await nudges_of(service.db, user))
    assert [n.due_at for n in series] == [today.due_at + timedelta(days=1)]


def test_a_snoozed_copy_stored_before_the_fix_does_not_start_a_second_series() -> None:
    """Copies written by older versions still carry ``every``; sending one plans nothing."""
    payload = {"tz": "America/Chicago", "at": "07:00", "every": "day", "snoozed_from": 12}
    assert next_due("daily_checkin", payload, FIRST_DAILY.astimezone(UTC)) is None
    del payload["snoozed_from"]
    assert next_due("daily_checkin", payload, FIRST_DAILY.astimezone(UTC)) is not None


# ---------------------------------------------------------------- thirty days


# What the user does with each day's check-in reminder, then with each snoozed copy of it.
WEEK_OF_HABITS = (
    ("done",),
    ("hour",),  # snoozed an hour, the copy left alone
    ("tomorrow",),  # not today: tomorrow's regular one is the reminder
    (),  # ignored
    ("hour", "done"),  # done on the snoozed copy
    ("hour", "tomorrow"),  # the copy snoozed to tomorrow
    ("hour", "hour", "done"),  # snoozed twice
)


async def test_thirty_days_of_done_and_snoozes_keep_one_daily_series(
    service: CoachService, clock: Clock
) -> None:
    user = await onboarded(service)
    telegram = FakeTelegram()
    sweeper = sweeper_for(service.db, telegram, clock)
    delivered: Counter[date] = Counter()  # check-in reminders per local day
    regular_times: list[str] = []
    seen = 0
    first_day = FIRST_DAILY.date()
    end = FIRST_DAILY + timedelta(days=30)
    clock.now = datetime(2026, 3, 25, 16, 0, tzinfo=UTC)  # on the hour, after onboarding

    while clock.now < end:
        await sweeper.sweep_once()
        for nudge_id in check_ins_sent(telegram, seen):
            local = clock.now.astimezone(CHICAGO)
            habit = WEEK_OF_HABITS[(local.date() - first_day).days % len(WEEK_OF_HABITS)]
            step = delivered[local.date()]  # 0: the regular one, then each snoozed copy
            if step == 0:
                regular_times.append(f"{local:%H:%M}")
            delivered[local.date()] += 1
            if step < len(habit):
                turn = await press(service, telegram, nudge_id, habit[step])
                assert ("Marked done" if habit[step] == "done" else "Snoozed") in said(turn)
        seen = len(telegram.sent)

        rows = await pending_routine(service, user)
        series, copies = pending_daily(rows)
        assert len(series) == 1, f"{clock.now}: the daily series has {len(series)} pending rows"
        assert len(copies) <= 1, f"{clock.now}: {len(copies)} snoozed copies"
        weekly = [n for n in rows if n.key == "routine:weekly"]
        assert [n.payload.get("every") for n in weekly] == ["week"], "the weekly one goes on too"
        clock.advance(hours=1)

    days = [first_day + timedelta(days=d) for d in range(30)]
    expected = {
        d: 1 + WEEK_OF_HABITS[(d - first_day).days % len(WEEK_OF_HABITS)].count("hour")
        for d in days
    }
    assert dict(delivered) == expected, "one a day, plus each snoozed copy on its day"
    assert regular_times == ["07:00"] * 30
    series, _ = pending_daily(await nudges_of(service.db, user))
    assert [n.due_at for n in series] == [end.astimezone(UTC)], "and the series goes on"
