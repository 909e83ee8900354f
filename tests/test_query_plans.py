"""The reminder queries read by index, flat in the number of users.

Each test runs the repository's real method, records the SQL it sent, and asks the
database how it runs it (``EXPLAIN QUERY PLAN`` on SQLite, ``EXPLAIN`` on PostgreSQL) over a
table holding many users' reminders: one user's queries search by that user, and the
sweep's claim reads the due ones in order with no sort of everything due. The plans
before migration 0006 and the split claim: one user's rows found through (state, due_at),
every pending row of every user, and a temporary B-tree sorting all that was due.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, insert, text

from storage.db import Database
from storage.models import Nudge, User
from storage.repo import Repo

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
USERS = 300
PER_USER = 8


async def fill(db: Database) -> None:
    """USERS users with PER_USER reminders each, a few of them due, most pending later."""
    async with db.unit_of_work() as repo:
        await repo.session.execute(
            insert(User),
            [{"channel": "telegram", "external_id": str(i)} for i in range(1, USERS + 1)],
        )
        rows = [
            {
                "user_id": u,
                "kind": "milestone_due",
                "key": f"plan:ms:{k}",
                "due_at": NOW + timedelta(days=k - 1, minutes=u),
                "payload": {},
                "state": "pending" if k % 4 else "sent",
            }
            for u in range(1, USERS + 1)
            for k in range(PER_USER)
        ]
        await repo.session.execute(insert(Nudge), rows)
        if db.dialect == "postgresql":
            await repo.session.execute(text("ANALYZE nudges"))
            await repo.session.execute(text("ANALYZE users"))


@contextmanager
def recorded(db: Database) -> Iterator[list[tuple[str, Any]]]:
    """Every statement the engine sends while the block runs, with its parameters."""
    sent: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "UPDATE")):
            sent.append((statement, parameters))

    event.listen(db.engine.sync_engine, "before_cursor_execute", keep)
    try:
        yield sent
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", keep)


async def plans_of(db: Database, call: Callable[[Repo], Awaitable[object]]) -> list[str]:
    """How the database runs each statement ``call`` sends (rolled back afterwards)."""
    with recorded(db) as sent:
        async with db.unit_of_work() as repo:
            await call(repo)
    explain = "EXPLAIN QUERY PLAN " if db.dialect == "sqlite" else "EXPLAIN "
    plans = []
    async with db.engine.connect() as conn:
        for statement, parameters in sent:
            rows = (await conn.exec_driver_sql(explain + statement, parameters)).all()
            plans.append("\n".join(str(row[-1]) for row in rows))
        await conn.rollback()
    return plans


@pytest.fixture
async def filled(db: Database) -> Database:
    await fill(db)
    return db


async def test_one_users_pending_reminders_are_searched_by_that_user(filled: Database) -> None:
    [plan] = await plans_of(filled, lambda repo: repo.nudges.pending(7))
    # Any ordering left to do is of this user's few rows, not of everyone's.
    assert "ix_nudges_user_state_due" in plan, plan


async def test_cancelling_a_users_key_searches_by_that_user(filled: Database) -> None:
    [plan] = await plans_of(
        filled, lambda repo: repo.nudges.cancel_pending(7, "plan:", prefix=True)
    )
    assert "ix_nudges_user_state_due" in plan or "ix_nudges_user_key" in plan, plan
    assert "ix_nudges_state_due_id" not in plan, plan


async def test_letting_overdue_ones_go_searches_by_that_user(filled: Database) -> None:
    [plan] = await plans_of(filled, lambda repo: repo.nudges.let_go_overdue(7, NOW))
    assert "ix_nudges_user_state_due" in plan, plan


async def test_the_claim_reads_due_reminders_in_order_without_a_sort(filled: Database) -> None:
    plans = await plans_of(filled, lambda repo: repo.nudges.claim_due(NOW, limit=50))
    stale, pending = [p for p in plans if "nudges" in p]  # stale claims, then pending ones
    # Stale claims are the few rows a crashed sweep left: searched by state, sorted if need be.
    assert "ix_nudges_state_due_id" in stale, stale
    # Everything due is read straight off the index in due order, LIMIT rows and no more.
    assert "ix_nudges_state_due_id" in pending, pending
    assert "TEMP B-TREE" not in pending and "Sort" not in pending, pending


async def test_the_claim_takes_stale_claims_first_then_due_ones_in_due_order(
    filled: Database,
) -> None:
    async with filled.unit_of_work() as repo:
        first = await repo.nudges.claim_due(NOW + timedelta(hours=1), limit=5)
    async with filled.unit_of_work() as repo:
        # Ten minutes later the first claim is stale (never sent): it comes back first.
        again = await repo.nudges.claim_due(NOW + timedelta(hours=1, minutes=10), limit=8)
    assert [n.due_at for n, _ in first] == sorted(n.due_at for n, _ in first)
    assert [n.id for n, _ in again][:5] == [n.id for n, _ in first]
    later = [n.due_at for n, _ in again][5:]
    assert later == sorted(later) and len(later) == 3


async def test_pruning_reads_each_finished_state_by_index(filled: Database) -> None:
    plans = await plans_of(filled, lambda repo: repo.nudges.prune(NOW - timedelta(days=30)))
    selects = [p for p in plans if "nudges" in p]
    assert selects, plans
    for plan in selects:
        assert "ix_nudges_state_due_id" in plan, plan
