"""Shared fixtures: real databases (SQLite, PostgreSQL), a service with a clock we control."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.service import CoachService
from storage.db import Database
from tests.databases import create_postgres_database, drop_postgres_database, postgres_base_url
from tests.e2e import bot, emulator  # noqa: F401  (fixtures for the end-to-end tests)


class Clock:
    """A clock tests move by hand: no sleeping, no flakiness."""

    def __init__(self, now: datetime = datetime(2026, 3, 25, 15, 0, tzinfo=UTC)) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'coach.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(request: pytest.FixtureRequest, sqlite_url: str) -> AsyncIterator[str]:
    """The URL of an empty database, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield sqlite_url
        return
    base = postgres_base_url()
    url = await create_postgres_database(base)
    try:
        yield url
    finally:
        await drop_postgres_database(base, url)


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    database = Database(db_url)
    await database.migrate()
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
async def service(db: Database, clock: Clock) -> CoachService:
    return CoachService(db, clock=clock)
