"""The nudge sweep on real databases (SQLite and PostgreSQL), with a fake Telegram.

The fake sender stands in for Telegram only (it records what would be sent and raises what
Telegram would); the sweep, the repositories and the database are the real ones. Nothing
sleeps for real: the sweeper gets a fake ``sleep`` that records the wait and moves a fake
monotonic clock.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from telegram import error as tg_error
from telegram.ext import Application

from bot.nudges import (
    JOB_NAME,
    PRUNE_JOB_NAME,
    Blocked,
    NudgeSweeper,
    Pacer,
    Rejected,
    RetryAfter,
    SendError,
    SweepReport,
    TelegramSender,
    TransientError,
    install,
)
from conversations.features.reminders import nudge_buttons
from conversations.messages import Reply
from storage.db import Database
from storage.models import Nudge, User
from tests.conftest import Clock

MEETING = {"source": "dean", "meeting": "2026-04-02", "tz": "America/Chicago"}
NEW_YORK = ZoneInfo("America/New_York")


class FakeTelegram:
    """Records (chat_id, text, buttons as data) for every delivered reply; ``fail`` scripts
    the errors a chat gets, one per send, before sends to it succeed again."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, tuple[tuple[str, ...], ...]]] = []
        self.tries: Counter[str] = Counter()
        self.fail: dict[str, list[SendError]] = {}
        self.always_fail: dict[str, Callable[[], SendError]] = {}

    async def send(self, chat_id: str, reply: Reply) -> None:
        await asyncio.sleep(0)  # a real send yields to the loop; let other sweeps run
        self.tries[chat_id] += 1
        if chat_id in self.always_fail:
            raise self.always_fail[chat_id]()
        if self.fail.get(chat_id):
            raise self.fail[chat_id].pop(0)
        buttons = tuple(tuple(b.data for b in row) for row in reply.buttons)
        self.sent.append((chat_id, reply.text, buttons))

    def nudge_ids(self) -> list[int]:
        """Which nudge each delivered message was (from its "done" button)."""
        return [int(buttons[-1][0].rsplit(".", 1)[1]) for _, _, buttons in self.sent]


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)

    def monotonic(self) -> float:
        return self.now


def sweeper_for(
    db: Database, telegram: FakeTelegram, clock: Clock, time: FakeTime | None = None, **kw: Any
) -> NudgeSweeper:
    time = time or FakeTime()
    return NudgeSweeper(db, telegram, clock, sleep=time.sleep, monotonic=time.monotonic, **kw)


async def add_user(db: Database, external_id: str = "1001", channel: str = "telegram") -> int:
    async with db.unit_of_work() as repo:
        user = await repo.users.get_or_create(channel, external_id, "Maya")
        return user.id


async def add_nudge(
    db: Database,
    user_id: int,
    due_at: datetime,
    kind: str = "pm_meeting_before",
    payload: dict[str, Any] | None = None,
    key: str = "pm:dean",
) -> int:
    async with db.unit_of_work() as repo:
        await repo.nudges.add(user_id, kind, key, due_at, dict(payload or MEETING))
        await repo.session.flush()
        query = select(Nudge.id).where(Nudge.user_id == user_id).order_by(Nudge.id.desc())
        return (await repo.session.execute(query.limit(1))).scalar_one()


async def nudges_of(db: Database, user_id: int) -> list[Nudge]:
    async with db.unit_of_work() as repo:
        query = select(Nudge).where(Nudge.user_id == user_id).order_by(Nudge.id)
        return list((await repo.session.execute(query)).scalars())


async def user_row(db: Database, user_id: int) -> User:
    async with db.unit_of_work() as repo:
        user = await repo.session.get(User, user_id)
        assert user is not None
        return user


# ---------------------------------------------------------------- the happy path


async def test_a_due_nudge_is_sent_once_with_the_nudge_buttons(db: Database, clock: Clock) -> None:
    user = await add_user(db)
    due = await add_nudge(db, user, clock.now - timedelta(minutes=1))
    later = await add_nudge(db, user, clock.now + timedelta(hours=2), key="pm:advisor")
    telegram = FakeTelegram()
    sweeper = sweeper_for(db, telegram, clock)

    assert await sweeper.sweep_once() == SweepReport(sent=1)
    assert await sweeper.sweep_once() == SweepReport()  # nothing twice

    [(chat, text, buttons)] = telegram.sent
    assert chat == "1001"
    assert "dean's office" in text
    expected = tuple(tuple(b.data for b in row) for row in nudge_buttons(due))
    assert buttons[-len(expected) :] == expected  # snooze an hour, tomorrow, done
    rows = {n.id: n for n in await nudges_of(db, user)}
    assert rows[due].state == "sent" and rows[due].sent_at == clock.now
    assert rows[later].state == "pending"  # not yet due: untouched

    clock.advance(hours=2)
    assert await sweeper.sweep_once() == SweepReport(sent=1)
    assert telegram.nudge_ids() == [due, later]


async def test_a_paused_user_gets_nothing_until_they_resume(db: Database, clock: Clock) -> None:
    user = await add_user(db)
    nudge = await add_nudge(db, user, clock.now)
    async with db.unit_of_work() as repo:
        row = await repo.session.get(User, user)
        assert row is not None
        row.paused_at = clock.now
    telegram = FakeTelegram()
    sweeper = sweeper_for(db, telegram, clock)

    clock.advance(hours=3)  # a short pause; after a long one, stale nudges expire
    assert await sweeper.sweep_once() == SweepReport()
    assert [(n.state, n.claimed_at) for n in await nudges_of(db, user)] == [("pending", None)]

    async with db.unit_of_work() as repo:
        row = await repo.session.get(User, user)
        assert row is not None
        row.paused_at = None
    assert await sweeper.sweep_once() == SweepReport(sent=1)
    assert telegram.nudge_ids() == [nudge]


# ---------------------------------------------------------------- what Telegram says back


async def test_a_403_marks_the_user_blocked_and_cancels_what_they_are_owed(
    db: Database, clock: Clock
) -> None:
    blocker = await add_user(db, "1001")
    other = await add_user(db, "2002")
    await add_nudge(db, blocker, clock.now)
    await add_nudge(db, blocker, clock.now + timedelta(days=1), key="pm:advisor")
    await add_nudge(db, blocker, clock.now + timedelta(days=2), kind="pm_notes_after")
    theirs = await add_nudge(db, other, clock.now)
    telegram = FakeTelegram()
    telegram.always_fail["1001"] = Blocked
    sweeper = sweeper_for(db, telegram, clock)

    assert await sweeper.sweep_once() == SweepReport(sent=1, blocked=1)
    assert (await user_row(db, blocker)).blocked_at == clock.now
    assert {n.state for n in await nudges_of(db, blocker)} == {"cancelled"}
    assert telegram.nudge_ids() == [theirs]

    clock.advance(days=3)
    assert await sweeper.sweep_once() == SweepReport()
    assert telegram.tries["1001"] == 1

    # They write to us again: nudges planned from now on reach them; the old ones stay gone.
    async with db.unit_of_work() as repo:
        await repo.users.unblock(blocker)
    del telegram.always_fail["1001"]
    fresh = await add_nudge(db, blocker, clock.now)
    assert await sweeper.sweep_once() == SweepReport(sent=1)
    assert telegram.nudge_ids() == [theirs, fresh]


async def test_a_429_waits_the_seconds_telegram_asks_then_sends(db: Database, clock: Clock) -> None:
    user = await add_user(db)
    nudge = await add_nudge(db, user, clock.now)
    telegram = FakeTelegram()
    telegram.fail["1001"] = [RetryAfter(7)]
    time = FakeTime()

    report = await sweeper_for(db, telegram, clock, time).sweep_once()

    assert report == SweepReport(sent=1)
    assert time.sleeps == [7]
    assert telegram.tries["1001"] == 2
    assert telegram.nudge_ids() == [nudge]
    [row] = await nudges_of(db, user)
    assert (row.state, row.attempts) == ("sent", 0)


async def test_a_second_429_puts_the_nudge_back_for_later(db: Database, clock: Clock) -> None:
    user = await add_user(db)
    await add_nudge(db, user, clock.now)
    telegram = FakeTelegram()
    telegram.fail["1001"] = [RetryAfter(7), RetryAfter(600)]
    time = FakeTime()

    report = await sweeper_for(db, telegram, clock, time).sweep_once()

    assert report == SweepReport(retried=1)
    assert time.sleeps == [7]  # it waited once, and did not wait the second time
    [row] = await nudges_of(db, user)
    assert (row.state, row.attempts) == ("pending", 1)
    assert row.due_at == clock.now + timedelta(seconds=600)  # no sooner than Telegram asked


async def test_a_long_flood_wait_puts_the_batch_back_instead_of_sleeping(
    db: Database, clock: Clock
) -> None:
    users = [await add_user(db, str(1001 + i)) for i in range(3)]
    for user in users:
        await add_nudge(db, user, clock.now)
    telegram = FakeTelegram()
    telegram.fail["1001"] = [RetryAfter(300)]
    time = FakeTime()
    sweeper = sweeper_for(db, telegram, clock, time)

    assert await sweeper.sweep_once() == SweepReport(deferred=3)
    assert [s for s in time.sleeps if s > 1] == []  # no five-minute nap holding the claims
    assert sum(telegram.tries.values()) == 1  # the others were not even tried
    for user in users:
        [row] = await nudges_of(db, user)
        assert (row.state, row.attempts) == ("pending", 0)
        assert row.due_at == clock.now + timedelta(seconds=300)

    clock.advance(minutes=5)
    assert await sweeper.sweep_once() == SweepReport(sent=3)


async def test_network_errors_retry_with_growing_delays_then_fail(
    db: Database, clock: Clock
) -> None:
    user = await add_user(db)
    await add_nudge(db, user, clock.now)
    telegram = FakeTelegram()
    telegram.always_fail["1001"] = lambda: TransientError("TimedOut")
    sweeper = sweeper_for(db, telegram, clock)

    delays = []
    for _ in range(4):
        assert await sweeper.sweep_once() == SweepReport(retried=1)
        [row] = await nudges_of(db, user)
        assert row.state == "pending"
        delays.append(row.due_at - clock.now)
        clock.advance(seconds=(row.due_at - clock.now).total_seconds() - 1)
        assert await sweeper.sweep_once() == SweepReport()  # not before its new time
        clock.advance(seconds=1)

    assert delays == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert await sweeper.sweep_once() == SweepReport(failed=1)
    [row] = await nudges_of(db, user)
    assert (row.state, row.attempts) == ("failed", 5)
    assert telegram.tries["1001"] == 5
    clock.advance(days=1)
    assert await sweeper.sweep_once() == SweepReport()


# ---------------------------------------------------------------- time: recurring, quiet


async def test_a_daily_nudge_keeps_its_local_time_across_the_dst_change(
    db: Database, clock: Clock
) -> None:
    # 07:00 in New York on Saturday March 7, 2026 is 12:00 UTC (EST); clocks spring forward
    # on Sunday March 8, so the next 07:00 is 11:00 UTC (EDT).
    clock.now = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)
    user = await add_user(db)
    payload = {
        "source": "dean",
        "meeting": "2026-03-06",
        "every": "day",
        "at": "07:00",
        "tz": "America/New_York",
    }
    first = await add_nudge(db, user, clock.now, kind="pm_notes_after", payload=payload)
    telegram = FakeTelegram()
    sweeper = sweeper_for(db, telegram, clock)

    assert await sweeper.sweep_once() == SweepReport(sent=1)
    assert await sweeper.sweep_once() == SweepReport()
    rows = await nudges_of(db, user)
    assert (rows[0].id, rows[0].state) == (first, "sent")
    [following] = [n for n in rows if n.state == "pending"]
    assert following.due_at == datetime(2026, 3, 8, 11, 0, tzinfo=UTC)
    assert (following.kind, following.key, following.payload) == (
        "pm_notes_after",
        "pm:dean",
        payload,
    )
    before = rows[0].due_at
    assert (before.hour, following.due_at.hour) == (12, 11)  # the UTC hour moved...
    assert before.astimezone(NEW_YORK).hour == following.due_at.astimezone(NEW_YORK).hour == 7

    clock.now = following.due_at
    assert await sweeper.sweep_once() == SweepReport(sent=1)
    pending = [n for n in await nudges_of(db, user) if n.state == "pending"]
    assert [n.due_at for n in pending] == [datetime(2026, 3, 9, 11, 0, tzinfo=UTC)]
    assert len(telegram.sent) == 2


async def test_quiet_hours_defer_a_late_nudge_to_the_morning(db: Database, clock: Clock) -> None:
    late = datetime(2026, 3, 25, 23, 30, tzinfo=NEW_YORK)
    clock.now = late.astimezone(UTC)
    user = await add_user(db)
    payload = {"source": "dean", "meeting": "2026-04-02", "tz": "America/New_York"}
    await add_nudge(db, user, clock.now, payload=payload)
    telegram = FakeTelegram()
    sweeper = sweeper_for(db, telegram, clock)

    assert await sweeper.sweep_once() == SweepReport(deferred=1)
    assert telegram.sent == []
    [row] = await nudges_of(db, user)
    assert (row.state, row.attempts) == ("pending", 0)
    assert row.due_at.astimezone(NEW_YORK) == datetime(2026, 3, 26, 7, 0, tzinfo=NEW_YORK)

    clock.advance(hours=7)  # 06:30 local: still quiet, and not yet due
    assert await sweeper.sweep_once() == SweepReport()
    clock.advance(minutes=30)
    assert await sweeper.sweep_once() == SweepReport(sent=1)


# ---------------------------------------------------------------- crashes and replicas


async def test_a_nudge_claimed_by_a_process_that_died_is_sent_exactly_once(
    db: Database, clock: Clock
) -> None:
    user = await add_user(db)
    nudge = await add_nudge(db, user, clock.now)
    async with db.unit_of_work() as repo:  # a sweep claims it, then the process dies
        [(claimed, _)] = await repo.nudges.claim_due(clock.now)
    assert claimed.id == nudge
    telegram = FakeTelegram()
    sweeper = sweeper_for(db, telegram, clock)

    assert await sweeper.sweep_once() == SweepReport()  # a live claim is left alone
    clock.advance(minutes=4, seconds=59)
    assert await sweeper.sweep_once() == SweepReport()
    clock.advance(seconds=2)  # past the five-minute stale timeout
    assert await sweeper.sweep_once() == SweepReport(sent=1)
    clock.advance(minutes=10)
    assert await sweeper.sweep_once() == SweepReport()
    assert telegram.nudge_ids() == [nudge]


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
async def test_two_sweepers_at_once_never_send_a_nudge_twice(db: Database, clock: Clock) -> None:
    ids: list[int] = []
    async with db.unit_of_work() as repo:
        for u in range(20):
            user = await repo.users.get_or_create("telegram", str(5000 + u), None)
            for i in range(10):
                due = clock.now - timedelta(minutes=i * 7 + u)
                await repo.nudges.add(user.id, "pm_meeting_before", "pm:dean", due, MEETING)
        await repo.session.flush()
        ids = list((await repo.session.execute(select(Nudge.id))).scalars())
    assert len(ids) == 200
    telegram = FakeTelegram()
    replicas = [Database(db.url), Database(db.url)]
    try:
        sweepers = [sweeper_for(r, telegram, clock, limit=15) for r in replicas]
        reports = await asyncio.gather(*(s.sweep_once() for s in sweepers))
    finally:
        for replica in replicas:
            await replica.dispose()

    sent = telegram.nudge_ids()
    assert sorted(sent) == sorted(ids)  # all of them, none twice
    assert sum(r.sent for r in reports) == 200
    async with db.unit_of_work() as repo:
        states = (await repo.session.execute(select(Nudge.state))).scalars()
        assert set(states) == {"sent"}


# ---------------------------------------------------------------- what cannot be sent


async def test_a_nudge_nobody_can_render_fails_with_a_warning_naming_only_its_kind(
    db: Database, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    user = await add_user(db)
    await add_nudge(db, user, clock.now, kind="no_such_kind", payload={"note": "my own words"})
    telegram = FakeTelegram()

    with caplog.at_level(logging.DEBUG, logger="bot.nudges"):
        assert await sweeper_for(db, telegram, clock).sweep_once() == SweepReport(failed=1)

    assert telegram.sent == []
    assert [n.state for n in await nudges_of(db, user)] == ["failed"]
    assert "no_such_kind" in caplog.text
    assert "my own words" not in caplog.text


async def test_a_user_on_another_channel_is_not_sent_to(db: Database, clock: Clock) -> None:
    user = await add_user(db, "local", channel="terminal")
    await add_nudge(db, user, clock.now)
    telegram = FakeTelegram()
    assert await sweeper_for(db, telegram, clock).sweep_once() == SweepReport(failed=1)
    assert telegram.sent == []


async def test_a_message_telegram_rejects_is_not_retried(db: Database, clock: Clock) -> None:
    user = await add_user(db)
    await add_nudge(db, user, clock.now)
    telegram = FakeTelegram()
    telegram.fail["1001"] = [Rejected("BadRequest")]
    assert await sweeper_for(db, telegram, clock).sweep_once() == SweepReport(failed=1)
    [row] = await nudges_of(db, user)
    assert (row.state, row.attempts) == ("failed", 1)


async def test_a_big_backlog_is_claimed_in_batches_in_due_order(db: Database, clock: Clock) -> None:
    user = await add_user(db)
    ids = [await add_nudge(db, user, clock.now - timedelta(minutes=m)) for m in range(12)]
    telegram = FakeTelegram()
    time = FakeTime()
    report = await sweeper_for(db, telegram, clock, time, limit=5).sweep_once()
    assert report == SweepReport(sent=12)
    assert telegram.nudge_ids() == list(reversed(ids))  # the oldest first
    assert time.sleeps == [pytest.approx(1.0)] * 11  # one message a second to one chat


# ---------------------------------------------------------------- pacing


async def test_the_pacer_spaces_messages_to_one_chat_and_in_all() -> None:
    time = FakeTime()
    pacer = Pacer(time.sleep, time.monotonic, per_chat_interval=1.0, per_second=10)
    for chat in ("a", "b", "c", "a"):
        await pacer.wait(chat)
    assert time.sleeps == [pytest.approx(0.1), pytest.approx(0.1), pytest.approx(0.8)]


# ---------------------------------------------------------------- the Telegram side


class FakeBot:
    """Telegram's Bot API as PTB would answer it: records calls, raises what it is given."""

    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.calls: list[tuple[str, str, Any]] = []

    async def send_message(self, chat_id: str, text: str, reply_markup: Any = None) -> None:
        if self.error is not None:
            raise self.error
        self.calls.append((chat_id, text, reply_markup))


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (tg_error.Forbidden("Forbidden: bot was blocked by the user"), Blocked),
        (tg_error.RetryAfter(12), RetryAfter),
        (tg_error.TimedOut(), TransientError),
        (tg_error.NetworkError("connection reset"), TransientError),
        (tg_error.BadRequest("Chat not found"), Rejected),
    ],
)
async def test_telegram_errors_become_sender_errors(error: Exception, expected: type) -> None:
    sender = TelegramSender(FakeBot(error))  # type: ignore[arg-type]
    with pytest.raises(expected) as caught:
        await sender.send("1001", Reply("hi"))
    if isinstance(caught.value, RetryAfter):
        assert caught.value.seconds == 12


async def test_telegram_sender_splits_long_text_and_puts_the_buttons_last() -> None:
    bot = FakeBot()
    reply = Reply(("line\n" * 1200).strip(), nudge_buttons(9))
    await TelegramSender(bot).send("1001", reply)  # type: ignore[arg-type]
    assert len(bot.calls) == 2
    assert bot.calls[0][2] is None
    markup = bot.calls[1][2]
    assert [[b.callback_data for b in row] for row in markup.inline_keyboard] == [
        ["@nd.hour.9", "@nd.tomorrow.9"],
        ["@nd.done.9"],
    ]


# ---------------------------------------------------------------- the job


class ExplodingSweeper:
    def __init__(self) -> None:
        self.runs = 0

    async def sweep_once(self) -> SweepReport:
        self.runs += 1
        raise ConnectionError("database went away")


async def test_install_registers_one_job_that_survives_a_failing_sweep(
    caplog: pytest.LogCaptureFixture,
) -> None:
    application = Application.builder().token("123:TEST").build()
    sweeper = ExplodingSweeper()
    install(application, sweeper, interval=60)  # type: ignore[arg-type]
    install(application, sweeper, interval=60)  # type: ignore[arg-type]
    assert application.job_queue is not None
    jobs = [j for j in application.job_queue.jobs() if not j.removed]
    assert sorted(j.name for j in jobs) == sorted([JOB_NAME, PRUNE_JOB_NAME])
    jobs = [j for j in jobs if j.name == JOB_NAME]

    with caplog.at_level(logging.ERROR, logger="bot.nudges"):
        await jobs[0].callback(None)  # type: ignore[arg-type]
        await jobs[0].callback(None)  # type: ignore[arg-type]
    assert sweeper.runs == 2
    assert "ConnectionError" in caplog.text


async def test_a_nudge_a_day_late_expires_instead_of_misleading(db: Database, clock: Clock) -> None:
    """After a long outage, "Tomorrow: your meeting" must not arrive a week late."""
    user = await add_user(db)
    stale = await add_nudge(db, user, clock.now - timedelta(days=7))
    fresh = await add_nudge(db, user, clock.now - timedelta(hours=3), key="pm:advisor")
    telegram = FakeTelegram()
    report = await sweeper_for(db, telegram, clock).sweep_once()
    assert report == SweepReport(sent=1, expired=1)
    assert telegram.nudge_ids() == [fresh], "a few hours late still goes out"
    states = {n.id: n.state for n in await nudges_of(db, user)}
    assert states == {stale: "expired", fresh: "sent"}


async def test_a_stale_recurring_nudge_moves_on_to_its_next_time(
    db: Database, clock: Clock
) -> None:
    clock.now = datetime(2026, 3, 25, 15, 0, tzinfo=UTC)  # 11:00 in New York
    user = await add_user(db)
    payload = {**MEETING, "every": "day", "at": "07:00", "tz": "America/New_York"}
    week_ago = datetime(2026, 3, 18, 11, 0, tzinfo=UTC)
    await add_nudge(db, user, week_ago, kind="pm_notes_after", payload=payload)
    telegram = FakeTelegram()
    assert await sweeper_for(db, telegram, clock).sweep_once() == SweepReport(expired=1)
    assert telegram.sent == []
    [pending] = [n for n in await nudges_of(db, user) if n.state == "pending"]
    assert pending.due_at == datetime(2026, 3, 26, 11, 0, tzinfo=UTC), "tomorrow, 07:00 local"
