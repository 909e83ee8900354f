"""The two anchors of the updates benchmark, measured in the same run as the coach, on a
stream of the same shape (the same users, the same number of updates, in the same order;
a button press arrives as a message carrying the button's data, since each anchor has one
MessageHandler), through the same in-memory Bot API, with no rate limiter:

- ``echo``: a bare python-telegram-bot Application that answers every message with its text
  (the cost of PTB itself: parsing an update, dispatching it, sending a reply);
- ``store``: the same, doing exactly one async SQLAlchemy transaction per update on SQLite
  in WAL mode (read the user row, insert an answer row, update the state row) before it
  answers: the floor for a bot that remembers something per message. Its own three small
  tables, with as many users already in them as the coach's database has.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from benchmarks.local_telegram import TOKEN, LocalBotApi, Timing, drive
from benchmarks.population import FIRST_NAME, chat_id

metadata = MetaData()
users = Table(
    "anchor_users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("chat_id", BigInteger, nullable=False, unique=True),
    Column("first_name", String(64)),
)
answers = Table(
    "anchor_answers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("anchor_users.id"), nullable=False),
    Column("key", String(64), nullable=False),
    Column("value", Text),
    Column("created_at", DateTime, nullable=False),
)
states = Table(
    "anchor_states",
    metadata,
    Column("user_id", ForeignKey("anchor_users.id"), primary_key=True),
    Column("step", Integer, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)


def _application() -> tuple[Application, LocalBotApi]:
    api = LocalBotApi()
    application = (
        Application.builder().token(TOKEN).request(api).get_updates_request(api).updater(None)
    ).build()
    return application, api


async def _run(
    application: Application,
    payloads: Sequence[bytes],
    warmup: Sequence[bytes],
    api: LocalBotApi,
) -> Timing:
    await application.initialize()
    try:
        await drive(application, warmup)
        return await drive(application, payloads, replies=lambda: api.sends)
    finally:
        await application.shutdown()


# ---------------------------------------------------------------- echo


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.message
    assert message is not None and message.text is not None
    await message.reply_text(message.text)


async def echo(payloads: Sequence[bytes], warmup: Sequence[bytes]) -> Timing:
    application, api = _application()
    application.add_handler(MessageHandler(filters.TEXT, _echo))
    return await _run(application, payloads, warmup, api)


# ---------------------------------------------------------------- store


def prepare(path: Path, count: int) -> Path:
    """A database with ``count`` users (the coach's chat ids) and their state rows."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")
            metadata.create_all(conn)
            now = _now()
            people = [
                {"id": n, "chat_id": chat_id(n), "first_name": FIRST_NAME}
                for n in range(1, count + 1)
            ]
            conn.execute(insert(users), people)
            rows = [{"user_id": n, "step": 0, "updated_at": now} for n in range(1, count + 1)]
            conn.execute(insert(states), rows)
    finally:
        engine.dispose()
    return path


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # As the coach's database does: our own BEGIN, WAL, NORMAL sync, foreign keys.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _on_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _engine(path: Path) -> AsyncEngine:
    engine = create_async_engine(f"sqlite+aiosqlite:///{path}")
    event.listen(engine.sync_engine, "connect", _on_connect)
    event.listen(engine.sync_engine, "begin", _on_begin)
    return engine


async def _store(update_: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update_.message
    assert message is not None and message.text is not None
    engine: AsyncEngine = context.bot_data["engine"]
    now = _now()
    async with engine.begin() as conn:  # one transaction
        found = (
            await conn.execute(select(users.c.id).where(users.c.chat_id == message.chat_id))
        ).first()
        if found is None:
            new = insert(users).values(chat_id=message.chat_id, first_name=FIRST_NAME)
            inserted = (await conn.execute(new)).inserted_primary_key
            assert inserted is not None
            user_id = inserted[0]
            await conn.execute(insert(states).values(user_id=user_id, step=0, updated_at=now))
        else:
            user_id = found[0]
        await conn.execute(
            insert(answers).values(user_id=user_id, key="text", value=message.text, created_at=now)
        )
        await conn.execute(
            update(states)
            .where(states.c.user_id == user_id)
            .values(step=states.c.step + 1, updated_at=now)
        )
    await message.reply_text("Noted.")


async def store(
    prepared: Path, folder: Path, payloads: Sequence[bytes], warmup: Sequence[bytes]
) -> Timing:
    """One run on a fresh copy of ``prepared`` (see ``prepare``)."""
    path = folder / "anchor.db"
    shutil.copyfile(prepared, path)
    engine = _engine(path)
    application, api = _application()
    application.bot_data["engine"] = engine
    application.add_handler(MessageHandler(filters.TEXT, _store))
    try:
        return await _run(application, payloads, warmup, api)
    finally:
        await engine.dispose()
        path.unlink()
