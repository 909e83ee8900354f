"""Logs never carry a user's words, not even the library's record of an update it cannot read.

python-telegram-bot logs the raw data of an update it cannot parse, whole, at CRITICAL
(``telegram.ext.ExtBot`` and ``telegram.ext.Updater``). Here a real Application polls a local
stand-in for the Bot API that hands out such an update (a poll from a server older than Bot
API 9.6, which PTB 22.8 refuses), with the production logging set up, and no record at any
level may contain the words in it, while a line still says an update could not be read.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Iterator
from typing import Any

import pytest
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

from bot.logs import setup_logging

TOKEN = "123456:LOGS-TEST-TOKEN"
WORDS = "Zanzibar velvet seventy-one"


def unreadable_update(update_id: int) -> dict[str, Any]:
    poll = {  # no persistent_id, allows_revoting, members_only: PTB 22.8 raises TypeError
        "id": "p1",
        "question": f"{WORDS}?",
        "options": [{"text": WORDS, "voter_count": 0}],
        "total_voter_count": 0,
        "is_closed": False,
        "is_anonymous": True,
        "type": "regular",
        "allows_multiple_answers": False,
    }
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": 42, "type": "private", "first_name": "Ana"},
            "from": {"id": 42, "is_bot": False, "first_name": "Ana"},
            "text": f"my answer is {WORDS}",
            "poll": poll,
        },
    }


class LocalBotAPI(BaseRequest):
    """The Bot API calls polling makes, answered here. getUpdates hands out the bad update a
    few times (PTB asks again with the same offset), then nothing, so polling stops cleanly."""

    def __init__(self) -> None:
        self.polls = 0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float:
        return 1.0

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1].lower()
        result: Any = True
        if endpoint == "getme":
            result = {"id": 1, "is_bot": True, "first_name": "Coach", "username": "coach_bot"}
        elif endpoint == "getupdates":
            self.polls += 1
            await asyncio.sleep(0.01)
            result = [unreadable_update(7)] if self.polls <= 3 else []
        return 200, json.dumps({"ok": True, "result": result}).encode()


@pytest.fixture
def production_logging(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """bot.logs.setup_logging as `make run` calls it, with pytest still listening; undone after."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level, logging.getLogRecordFactory())
    names = ("telegram", "telegram.ext.ExtBot", "httpx", "httpcore", "apscheduler", "aiosqlite")
    levels = {n: logging.getLogger(n).level for n in names}
    setup_logging("DEBUG", [TOKEN])
    root.addHandler(caplog.handler)
    caplog.handler.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        root.handlers[:], root.level = saved[0], saved[1]
        logging.setLogRecordFactory(saved[2])
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


@pytest.mark.parametrize("library_level", ["floored", "DEBUG"])
async def test_an_update_the_library_cannot_read_is_logged_without_its_words(
    production_logging: None,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    library_level: str,
) -> None:
    if library_level == "DEBUG":  # even if someone lifts the floor, nothing leaks
        logging.getLogger("telegram").setLevel(logging.DEBUG)
    local = LocalBotAPI()
    app = Application.builder().token(TOKEN).request(local).get_updates_request(local).build()
    async with app:
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.01, timeout=0)
        deadline = time.monotonic() + 10
        while local.polls < 4:
            assert time.monotonic() < deadline, "polling never asked for updates"
            await asyncio.sleep(0.01)
        await app.updater.stop()

    records = caplog.records
    assert records, "the logs were captured"
    for record in records:
        assert WORDS not in repr(vars(record)), f"{record.name} logged the user's words"
        assert WORDS not in caplog.handler.format(record)
    assert WORDS not in capsys.readouterr().err, "nor does the log stream show them"
    assert TOKEN not in caplog.text
    said = [
        r.getMessage()
        for r in records
        if r.levelno >= logging.WARNING and r.name.startswith("telegram.")
    ]
    assert any("Error while parsing updates" in line for line in said), said
    assert "TypeError" in caplog.text, "the kind of error still shows"


def test_an_exception_message_is_withheld_but_its_kind_and_place_are_kept(
    production_logging: None, caplog: pytest.LogCaptureFixture
) -> None:
    """A driver may quote the value it refused (asyncpg does); a traceback keeps the rest."""
    log = logging.getLogger("bot.telegram_bot")
    try:
        raise ValueError(f"invalid input for query argument $4: {WORDS!r}")
    except ValueError as error:
        log.error("error while handling an update: %s", type(error).__name__, exc_info=error)
    [record] = [r for r in caplog.records if r.name == "bot.telegram_bot"]
    shown = caplog.handler.format(record)
    assert WORDS not in shown and WORDS not in repr(vars(record))
    assert "ValueError" in shown and "test_logs.py" in shown, "kind and place are kept"
