"""Finished reminders are pruned once they are old; pending ones never are.

Weeks of a daily reminder are simulated with a fake clock: the sweep sends each day's, the
daily prune runs, and the table holds about the retention's worth of rows, not a year's.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.nudges import SweepReport
from storage.db import Database
from storage.models import Nudge
from tests.conftest import Clock
from tests.test_sweeper import FakeTelegram, add_nudge, add_user, nudges_of, sweeper_for

DAILY = {"tz": "UTC", "at": "15:00", "quiet": ["22:00", "07:00"], "every": "day"}
KEEP = timedelta(days=30)


async def count(db: Database) -> int:
    async with db.unit_of_work() as repo:
        return (await repo.session.execute(select(func.count(Nudge.id)))).scalar_one()


async def test_ten_weeks_of_a_daily_reminder_keep_thirty_days_of_rows(
    db: Database, clock: Clock
) -> None:
    user = await add_user(db)
    await add_nudge(db, user, clock.now, "daily_checkin", DAILY, key="routine:daily")
    telegram = FakeTelegram()
    sweeper = sweeper_for(db, telegram, clock)
    start = clock.now
    for day in range(70):
        assert await sweeper.sweep_once() == SweepReport(sent=1), day
        await sweeper.prune_once(KEEP, chunk=7)
        rows = await nudges_of(db, user)
        assert [n.state for n in rows].count("pending") == 1  # the series goes on
        assert all(clock.now - n.due_at <= KEEP for n in rows)  # nothing older is kept
        clock.advance(days=1)
    assert len(telegram.sent) == 70
    # What is kept: the last 30 days of sent ones, today's, and tomorrow's pending one.
    assert await count(db) == 32
    assert min(n.due_at for n in await nudges_of(db, user)) == start + timedelta(days=69) - KEEP


async def test_pending_and_recent_rows_are_never_pruned(db: Database, clock: Clock) -> None:
    user = await add_user(db)
    old_pending = await add_nudge(db, user, clock.now - timedelta(days=90), key="pm:a")
    recent = await add_nudge(db, user, clock.now - timedelta(days=3), key="pm:b")
    old_done = await add_nudge(db, user, clock.now - timedelta(days=40), key="pm:c")
    async with db.unit_of_work() as repo:
        await repo.nudges.set_state(user, recent, "sent")
        await repo.nudges.set_state(user, old_done, "done")
    sweeper = sweeper_for(db, FakeTelegram(), clock)
    assert await sweeper.prune_once(KEEP) == 1
    assert {n.id for n in await nudges_of(db, user)} == {old_pending, recent}
    assert await sweeper.prune_once(KEEP) == 0  # nothing twice


async def test_a_large_backlog_is_pruned_in_short_chunks(db: Database, clock: Clock) -> None:
    user = await add_user(db)
    for i in range(25):
        n = await add_nudge(db, user, clock.now - timedelta(days=40 + i), key=f"pm:{i}")
        async with db.unit_of_work() as repo:
            await repo.nudges.set_state(user, n, "expired" if i % 2 else "cancelled")
    assert await sweeper_for(db, FakeTelegram(), clock).prune_once(KEEP, chunk=4) == 25
    assert await count(db) == 0
