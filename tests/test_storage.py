"""Storage on real SQLite and real PostgreSQL: what is kept, for whom, and what is erased."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from storage.db import Database, async_url
from storage.models import Base
from storage.repo import user_tables


def test_plain_urls_get_an_async_driver() -> None:
    assert async_url("sqlite:///data/x.db") == "sqlite+aiosqlite:///data/x.db"
    assert async_url("postgresql://u@h:5432/db") == "postgresql+asyncpg://u@h:5432/db"
    assert async_url("postgres://u:pw@h/db") == "postgresql+asyncpg://u:pw@h/db"
    assert async_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


async def test_migrations_create_every_table_and_can_run_again(db: Database) -> None:
    await db.migrate()  # at every start-up: must be a no-op the second time
    async with db.engine.connect() as conn:
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


async def test_every_personal_table_is_tied_to_its_user_with_cascade() -> None:
    for table in user_tables():
        fks = [fk for fk in table.foreign_keys if fk.parent.name == "user_id"]
        assert fks and fks[0].column.table.name == "users", table.name
        assert fks[0].ondelete == "CASCADE", table.name
    assert set(Base.metadata.tables) == {"users"} | {t.name for t in user_tables()}


async def test_every_answer_is_kept_and_the_latest_wins(db: Database) -> None:
    async with db.unit_of_work() as repo:
        user = await repo.users.get_or_create("telegram", "42", "Maya")
        await repo.answers.add(user.id, "onboarding", "step2", "215", 215)
        await repo.answers.add(user.id, "onboarding", "step2", "223", 223)
        await repo.answers.add(user.id, "onboarding", "name", None, None, skipped=True)
    async with db.unit_of_work() as repo:
        user = await repo.users.get_or_create("telegram", "42", "Maya")
        latest = await repo.answers.latest(user.id)
        history = await repo.answers.history(user.id, "onboarding", "step2")
    assert latest == {"onboarding": {"step2": 223, "name": None}}
    assert [(a.raw_text, a.value) for a in history] == [("215", 215), ("223", 223)]
    assert all(a.created_at.tzinfo is not None for a in history)


async def test_dialogue_state_round_trips(db: Database) -> None:
    async with db.unit_of_work() as repo:
        user = await repo.users.get_or_create("telegram", "7", None)
        await repo.dialogue.put(user.id, "onboarding", "step2", {"history": ["a", "b"]})
    async with db.unit_of_work() as repo:
        await repo.dialogue.put(user.id, "onboarding", "step1", {"history": ["a"], "n": 1})
    async with db.unit_of_work() as repo:
        state = await repo.dialogue.get(user.id)
    assert (state.flow, state.step, state.data) == (
        "onboarding",
        "step1",
        {"history": ["a"], "n": 1},
    )


async def test_a_failed_unit_of_work_stores_nothing(db: Database) -> None:
    try:
        async with db.unit_of_work() as repo:
            user = await repo.users.get_or_create("telegram", "9", None)
            await repo.answers.add(user.id, "onboarding", "degree", "US MD", "us_md")
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    async with db.unit_of_work() as repo:
        assert await repo.users.find("telegram", "9") is None


async def test_users_are_one_row_per_channel_and_id(db: Database) -> None:
    async with db.unit_of_work() as repo:
        a = await repo.users.get_or_create("telegram", "1", "A")
        b = await repo.users.get_or_create("telegram", "1", "A")
        c = await repo.users.get_or_create("terminal", "1", None)
    assert a.id == b.id != c.id


async def _two_users(db: Database) -> tuple[int, int]:
    async with db.unit_of_work() as repo:
        mine = await repo.users.get_or_create("telegram", "100", "Maya")
        theirs = await repo.users.get_or_create("telegram", "200", "Sam")
        for user, score in ((mine, 223), (theirs, 250)):
            await repo.answers.add(user.id, "onboarding", "step2", str(score), score)
            await repo.dialogue.put(user.id, "onboarding", "papers", {})
            await repo.events.add(user.id, "started")
            await repo.nudges.add(
                user.id, "pm_notes_after", "pm:dean", datetime(2026, 4, 2, tzinfo=UTC), {}
            )
            await repo.problems.add(user.id, date(2026, 4, 8), {"top": [str(score)]})
            await repo.checkins.put(user.id, date(2026, 4, 8), {"mood": 3})
            await repo.week_plans.put(user.id, date(2026, 4, 6), {"exam_hours": 10})
            await repo.practice.add(user.id, "past_year", "I did not match.", None, {})
            await repo.records.put(user.id, "letter", "w1", {"name": f"Writer {score}"})
    # Every personal table gets rows here, so the export and delete tests cover it.
    return mine.id, theirs.id


async def test_export_holds_everything_of_one_user_and_nothing_of_another(db: Database) -> None:
    mine, _ = await _two_users(db)
    async with db.unit_of_work() as repo:
        export = await repo.export_user(mine)
    assert export["user"]["first_name"] == "Maya"
    assert [a["value"] for a in export["answers"]] == [223]
    assert export["dialogue_states"][0]["step"] == "papers"
    assert [e["kind"] for e in export["events"]] == ["started"]
    for table in user_tables():
        assert table.name in export
        assert all(row["user_id"] == mine for row in export[table.name])
    datetime.fromisoformat(export["answers"][0]["created_at"])  # JSON-safe timestamps


async def test_delete_erases_every_row_of_one_user_only(db: Database) -> None:
    mine, theirs = await _two_users(db)
    async with db.unit_of_work() as repo:
        await repo.delete_user(mine)
    async with db.engine.connect() as conn:
        for table in user_tables():
            rows = (await conn.execute(text(f"SELECT user_id FROM {table.name}"))).all()
            assert {r[0] for r in rows} == {theirs}, table.name
        users = (await conn.execute(text("SELECT id FROM users"))).all()
    assert [u[0] for u in users] == [theirs]


async def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_url: str) -> None:
    database = Database(sqlite_url)
    try:
        await database.migrate()
        async with database.engine.connect() as conn:
            assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1
    finally:
        await database.dispose()


async def test_timestamps_come_back_in_utc(db: Database) -> None:
    async with db.unit_of_work() as repo:
        user = await repo.users.get_or_create("telegram", "5", None)
    assert user.created_at.tzinfo is not None
    async with db.unit_of_work() as repo:
        again = await repo.users.find("telegram", "5")
    assert again is not None and again.created_at.utcoffset() == UTC.utcoffset(None)


async def test_database_errors_never_carry_the_users_words(db: Database) -> None:
    """An error message ends up in logs, so it must not quote the answer being stored."""
    secret = "my leave of absence was for depression"
    with pytest.raises(IntegrityError) as failure:
        async with db.unit_of_work() as repo:
            await repo.answers.add(987_654, "onboarding", "red_flags", secret, ["loa"])
    assert secret not in str(failure.value)


async def test_the_migrations_build_exactly_the_models(db: Database) -> None:
    """Autogenerate finds nothing to add: every model change came with its migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    def diff(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        return list(compare_metadata(context, Base.metadata))

    async with db.engine.connect() as conn:
        assert await conn.run_sync(diff) == []


async def test_nudges_are_cancelled_by_key_for_one_user_only(db: Database) -> None:
    mine, theirs = await _two_users(db)
    due = datetime(2026, 4, 1, 13, 0, tzinfo=UTC)
    async with db.unit_of_work() as repo:
        for user in (mine, theirs):
            await repo.nudges.add(user, "pm_meeting_before", "pm:dean", due, {"source": "dean"})
            await repo.nudges.add(user, "pm_notes_after", "pm:advisor", due, {})
    async with db.unit_of_work() as repo:
        await repo.nudges.cancel_pending(mine, "pm:dean")
    async with db.unit_of_work() as repo:
        # _two_users gave each one "pm:dean" nudge already; all of mine on that key are gone.
        assert [n.key for n in await repo.nudges.pending(mine)] == ["pm:advisor"]
        assert [n.key for n in await repo.nudges.pending(theirs)].count("pm:dean") == 2
        assert (await repo.nudges.pending(mine))[0].due_at == due


async def test_a_second_check_in_the_same_day_updates_it(db: Database) -> None:
    mine, theirs = await _two_users(db)
    async with db.unit_of_work() as repo:
        await repo.checkins.put(mine, date(2026, 4, 8), {"mood": 4})
        await repo.checkins.put(mine, date(2026, 4, 9), {"mood": 2})
    async with db.unit_of_work() as repo:
        rows = await repo.checkins.since(mine, date(2026, 4, 1))
        other = await repo.checkins.since(theirs, date(2026, 4, 1))
    assert rows == [(date(2026, 4, 8), {"mood": 4}), (date(2026, 4, 9), {"mood": 2})]
    assert other == [(date(2026, 4, 8), {"mood": 3})]
