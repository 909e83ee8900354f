"""Test databases: a SQLite file per test, and a fresh PostgreSQL database per test.

PostgreSQL tests read TEST_DATABASE_URL (for example postgresql://root@127.0.0.1:5432/test).
Without it they are skipped with the reason printed; with REQUIRE_POSTGRES=1 (CI) a missing
or unreachable server fails the run instead.
"""

from __future__ import annotations

import os
import uuid

import asyncpg
import pytest
from sqlalchemy.engine import make_url


def _unavailable(reason: str) -> None:
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        pytest.fail(f"PostgreSQL is required here but {reason}")
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


def postgres_base_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url:
        _unavailable("TEST_DATABASE_URL is not set")
    return url


def _plain(url: str) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


async def create_postgres_database(base_url: str) -> str:
    """A new, empty database on the server of ``base_url``; returns its URL."""
    name = f"rc_test_{uuid.uuid4().hex[:12]}"
    try:
        conn = await asyncpg.connect(_plain(base_url), timeout=10)
    except (OSError, asyncpg.PostgresError) as error:
        _unavailable(f"cannot connect to TEST_DATABASE_URL ({type(error).__name__})")
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


async def drop_postgres_database(base_url: str, url: str) -> None:
    name = make_url(url).database
    conn = await asyncpg.connect(_plain(base_url), timeout=10)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
