"""A SQLite database of many onboarded users, as the coach itself would leave it; cached.

A handful of template users go through onboarding for real (``CoachService``, the seed's
script with a few variations: specialty, time zone, check-in time), so their answers,
dialogue state, events and the plan's pending reminders are exactly what the planner
writes. Then their rows are copied, table by table (every table with a ``user_id``), for
everyone else: new ids, a Telegram chat id each, and the reminders' due times moved by a
whole number of days per user (users who started on different days), in chunks of
``executemany``. The file is cached under ``benchmarks/.cache/`` and rebuilt when the
schema's newest migration changes (or the builder's ``FORMAT``); a benchmark works on a copy.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory

from bot.service import CoachService, Who
from conversations.messages import Turn
from storage.db import Database, alembic_config
from storage.repo import user_tables
from tests.coach_chat import SEED_ONBOARDING, scripted_input

CACHE = Path(__file__).parent / ".cache"
# When the templates were onboarded (the seed's "Today (Mar 25)"); every reminder is later.
ONBOARDED_AT = datetime(2026, 3, 25, 15, 0, tzinfo=UTC)
FORMAT = 1  # bump when what the builder writes changes, so old cached files are rebuilt
FIRST_NAME = "Maya"
_CHAT_BASE = 500_000_000
_CHUNK = 2_000  # users per executemany round
_SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores a DateTime in SQLite

# (specialty, time zone, check-in time typed): the seed's answers varied, one per template.
TEMPLATES: tuple[tuple[str, str, str], ...] = (
    ("Internal Medicine", "Central", "7am"),
    ("Family Medicine", "Eastern", "8am"),
    ("Pediatrics", "Mountain", "12:30"),
    ("Psychiatry", "Pacific", "6pm"),
    ("Internal Medicine", "Eastern", "19:30"),
    ("Family Medicine", "Pacific", "9am"),
    ("Pediatrics", "Central", "7:30"),
    ("Psychiatry", "Mountain", "21:00"),
)


def chat_id(user: int) -> int:
    """The Telegram chat id of the ``user``-th user (1-based) of a built database."""
    return _CHAT_BASE + user


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def script(specialty: str, zone: str, checkin_time: str) -> list[tuple[str, str]]:
    """The seed's onboarding with three answers changed."""
    swap = {
        ("tap", "Internal Medicine"): ("tap", specialty),
        ("tap", "Central"): ("tap", zone),
        ("type", "7am"): ("type", checkin_time),
    }
    return [swap.get(step, step) for step in SEED_ONBOARDING]


@dataclass(frozen=True)
class Built:
    path: Path
    users: int
    seconds: float  # how long the build took (0: it came from the cache)


async def cached(users: int, cache: Path | None = None) -> Built:
    """The database of ``users`` users, built once and kept under ``cache``."""
    folder = cache or CACHE
    path = folder / f"users-{users}.db"
    if _fresh(path, users):
        return Built(path, users, 0.0)
    start = time.perf_counter()
    templates = await _templates(folder, min(users, len(TEMPLATES)))
    partial = folder / f"users-{users}.building.db"
    shutil.copyfile(templates, partial)
    with _bulk(partial) as conn:
        _copy_templates(conn, min(users, len(TEMPLATES)), users)
    partial.replace(path)
    _mark(path, users)
    return Built(path, users, time.perf_counter() - start)


async def _templates(folder: Path, count: int) -> Path:
    """The template users alone, onboarded for real (cached too: every size starts from it)."""
    path = folder / f"templates-{count}.db"
    if not _fresh(path, count):
        partial = _empty(folder / f"templates-{count}.building.db")
        await _onboard_templates(partial, count)
        partial.replace(path)
        _mark(path, count)
    return path


def _empty(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    return path


def _key(users: int) -> dict[str, Any]:
    return {"head": head_revision(), "format": FORMAT, "users": users}


def _fresh(path: Path, users: int) -> bool:
    meta = path.with_suffix(".json")
    return path.exists() and meta.exists() and json.loads(meta.read_text()) == _key(users)


def _mark(path: Path, users: int) -> None:
    path.with_suffix(".json").write_text(json.dumps(_key(users)))


def copy_of(built: Built, folder: Path) -> Path:
    """A copy to work on (a benchmark's writes never reach the cache)."""
    target = folder / f"users-{built.users}.db"
    shutil.copyfile(built.path, target)
    return target


def url_of(path: Path) -> str:
    return f"sqlite:///{path}"


async def _onboard_templates(path: Path, count: int) -> None:
    service = CoachService(Database(url_of(path)), clock=lambda: ONBOARDED_AT)
    await service.db.migrate()
    try:
        for n in range(1, count + 1):
            who = Who("telegram", str(chat_id(n)), FIRST_NAME)
            last: Turn | None = None
            for step in script(*TEMPLATES[n - 1]):
                last = await service.handle(who, scripted_input(step, last))
    finally:
        await service.db.dispose()


class _bulk:
    """A plain sqlite3 connection tuned for one big load, put back to WAL when done."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> sqlite3.Connection:
        self.conn = sqlite3.connect(self.path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=DELETE")
        self.conn.execute("PRAGMA synchronous=OFF")
        self.conn.execute("PRAGMA cache_size=-512000")  # 500 MiB of pages while loading
        return self.conn

    def __exit__(self, *exc: object) -> None:
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.close()


def _rows(conn: sqlite3.Connection, table: str, where: str, args: tuple[Any, ...]) -> list[Any]:
    return conn.execute(f"SELECT * FROM {table} WHERE {where}", args).fetchall()


def _shifted(value: str | None, days: int) -> str | None:
    if value is None or days == 0:
        return value
    moment = datetime.fromisoformat(value) + timedelta(days=days)
    return moment.strftime(_SQLITE_TIME)


def _copy_templates(conn: sqlite3.Connection, templates: int, users: int) -> None:
    """Users ``templates + 1`` to ``users``, each a copy of template ``(n - 1) % templates``."""
    tables = [t.name for t in user_tables()]
    # Column order as the migrations made them (what SELECT * gives), not as the models list.
    columns = {t: [d[1] for d in conn.execute(f"PRAGMA table_info({t})")] for t in tables}
    user_columns = [d[1] for d in conn.execute("PRAGMA table_info(users)")]
    template_users = [_rows(conn, "users", "id = ?", (n,))[0] for n in range(1, templates + 1)]
    template_rows = {
        t: [_rows(conn, t, "user_id = ?", (n,)) for n in range(1, templates + 1)] for t in tables
    }
    next_id = {
        t: conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {t}").fetchone()[0] + 1
        for t in tables
        if "id" in columns[t]
    }
    conn.execute("BEGIN")
    for first in range(templates + 1, users + 1, _CHUNK):
        batch: dict[str, list[tuple[Any, ...]]] = {"users": []}
        batch.update({t: [] for t in tables})
        for n in range(first, min(first + _CHUNK, users + 1)):
            k = (n - 1) % templates
            row = dict(zip(user_columns, template_users[k], strict=True))
            row.update(id=n, external_id=str(chat_id(n)))
            batch["users"].append(tuple(row.values()))
            days = _days_later(n)
            for table, per_template in template_rows.items():
                names = columns[table]
                for values in per_template[k]:
                    copy = dict(zip(names, values, strict=True))
                    copy["user_id"] = n
                    if "id" in copy:
                        copy["id"] = next_id[table]
                        next_id[table] += 1
                    if table == "nudges":
                        copy["due_at"] = _shifted(copy["due_at"], days)
                    batch[table].append(tuple(copy.values()))
        _insert(conn, "users", user_columns, batch.pop("users"))
        for table, rows in batch.items():
            _insert(conn, table, columns[table], rows)
    conn.execute("COMMIT")


def _days_later(n: int) -> int:
    """How many days after the templates user ``n`` started (0 to 59, spread evenly)."""
    return (n * 37) % 60


def _insert(conn: sqlite3.Connection, table: str, names: list[str], rows: list[Any]) -> None:
    if rows:
        marks = ", ".join("?" for _ in names)
        conn.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})", rows)


def count(path: Path, query: str, *args: Any) -> int:
    with _connect(path) as conn:
        return int(conn.execute(query, args).fetchone()[0])


class _connect:
    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> sqlite3.Connection:
        self.conn = sqlite3.connect(self.path)
        return self.conn

    def __exit__(self, *exc: object) -> None:
        self.conn.close()


def sqlite_time(moment: datetime) -> str:
    """A UTC moment as SQLAlchemy writes it in SQLite (naive UTC text)."""
    return moment.astimezone(UTC).replace(tzinfo=None).strftime(_SQLITE_TIME)
