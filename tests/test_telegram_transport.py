"""The Telegram layer through real python-telegram-bot objects, replies read from the emulator.

The emulator's user side can only type and press buttons, so updates it cannot produce
(stickers, voice notes, photos with captions, edits, group messages) are fed to the real
Application as the Bot API would deliver them; the bot's answers still travel over HTTP.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import text
from telegram import Update
from telegram.ext import Application

from bot.render import chunks
from bot.service import CoachService
from bot.settings import Settings
from bot.telegram_bot import build_application, command_input
from conversations import texts
from storage.db import Database
from tests.emulator_client import Emulator

CHAT = 7001
_next_id = iter(range(1, 10_000))


@pytest.fixture
async def app(emulator: Emulator, tmp_path: Path) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    settings = Settings(
        telegram_bot_token=SecretStr(emulator.token),
        telegram_api_base_url=emulator.base_url,
        database_url=f"sqlite:///{tmp_path / 'coach.db'}",
    )
    service = CoachService(Database(settings.database_url))
    await service.db.migrate()
    application = build_application(settings, service)
    await application.initialize()
    try:
        yield application
    finally:
        await application.shutdown()
        await service.db.dispose()


def _message(**fields: Any) -> dict[str, Any]:
    return {
        "message_id": next(_next_id),
        "date": int(time.time()),
        "chat": {"id": CHAT, "type": "private", "first_name": "Ana"},
        "from": {"id": CHAT, "is_bot": False, "first_name": "Ana"},
        **fields,
    }


async def _feed(app: Application, update: dict[str, Any]) -> None:  # type: ignore[type-arg]
    update = {"update_id": next(_next_id), **update}
    await app.process_update(Update.de_json(update, app.bot))


def _texts(emulator: Emulator) -> list[str]:
    return [m.text or "" for m in emulator.bot_messages(CHAT)]


async def test_a_sticker_mid_question_gets_a_kind_line_and_the_question(
    app: Application,  # type: ignore[type-arg]
    emulator: Emulator,
) -> None:
    await _feed(app, {"message": _message(text="/start", entities=[_command(6)])})
    sticker = {
        "file_id": "s1",
        "file_unique_id": "u1",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
    await _feed(app, {"message": _message(sticker=sticker)})
    last = _texts(emulator)[-1]
    assert "can't use a sticker" in last and "what should I call you" in last


def _command(length: int) -> dict[str, Any]:
    return {"type": "bot_command", "offset": 0, "length": length}


async def test_voice_photo_and_location_are_answered(app: Application, emulator: Emulator) -> None:  # type: ignore[type-arg]
    await _feed(
        app, {"message": _message(voice={"file_id": "v", "file_unique_id": "v", "duration": 7})}
    )
    assert "a voice note" in _texts(emulator)[-1]
    photo = [{"file_id": "p", "file_unique_id": "p", "width": 90, "height": 90}]
    await _feed(app, {"message": _message(photo=photo)})
    assert "a photo" in _texts(emulator)[-1]
    await _feed(app, {"message": _message(location={"latitude": 41.9, "longitude": -87.6})})
    assert "a location" in _texts(emulator)[-1]


async def test_crisis_words_in_a_photo_caption_get_the_crisis_reply(
    app: Application,  # type: ignore[type-arg]
    emulator: Emulator,
) -> None:
    photo = [{"file_id": "p", "file_unique_id": "p", "width": 90, "height": 90}]
    await _feed(app, {"message": _message(photo=photo, caption="I want to kill myself")})
    assert "988" in _texts(emulator)[-1]


async def test_an_edited_message_and_a_group_message_are_answered(
    app: Application,  # type: ignore[type-arg]
    emulator: Emulator,
) -> None:
    edited = _message(text="46", edit_date=int(time.time()))
    await _feed(app, {"edited_message": edited})
    assert "edited a message" in _texts(emulator)[-1]
    group = _message(text="hello")
    group["chat"] = {"id": -100, "type": "group", "title": "Class of 2026"}
    await _feed(app, {"message": group})
    [reply] = emulator.bot_messages(-100)
    assert reply.text == texts.GROUP_ONLY_PRIVATE


async def test_a_failure_inside_is_answered_with_an_apology_not_silence(
    app: Application,  # type: ignore[type-arg]
    emulator: Emulator,
) -> None:
    db: Database = app.bot_data["service"].db
    async with db.engine.begin() as conn:
        await conn.execute(text("DROP TABLE answers"))  # a broken database, for real
    await _feed(app, {"message": _message(text="/start", entities=[_command(6)])})
    await _feed(app, {"message": _message(text="Ana")})
    assert _texts(emulator)[-1] == texts.SORRY_ERROR


async def test_updates_without_a_chat_are_ignored_without_an_error(
    app: Application,  # type: ignore[type-arg]
    emulator: Emulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from tests.test_e2e_telegram import _chatless_updates

    with caplog.at_level(logging.INFO):
        for update in _chatless_updates():
            await _feed(app, update)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert emulator.bot_messages(5561) == []
    ignored = [r.getMessage() for r in caplog.records if r.name == "bot.telegram_bot"]
    assert len(ignored) == 3, "the three without a chat are logged once each, by kind"
    assert all("without a chat" in line for line in ignored), ignored


def test_long_replies_are_split_at_line_breaks_within_telegrams_limit() -> None:
    body = "\n".join(f"line {i} " + "x" * 80 for i in range(200))
    parts = chunks(body)
    assert len(parts) > 1 and all(len(p) <= 4096 for p in parts)
    assert "\n".join(parts) == body


def test_commands_with_the_bot_name_and_arguments() -> None:
    assert command_input("/Start@RematchCoachBot hello").name == "start"
    assert command_input("/profile").args == ""


async def _press(app: Application, message: Any, label: str) -> None:  # type: ignore[type-arg]
    """A tap on the button ``label`` of ``message`` (a bot message the emulator recorded)."""
    data = next(d for row in message.buttons for text, d in row if label in text)
    query = {
        "id": f"cb{next(_next_id)}",
        "from": {"id": CHAT, "is_bot": False, "first_name": "Ana"},
        "chat_instance": "7001",
        "data": data,
        "message": message.raw,
    }
    await _feed(app, {"callback_query": query})


async def test_the_problems_list_is_edited_in_place_not_sent_again(
    app: Application,  # type: ignore[type-arg]
    emulator: Emulator,
) -> None:
    from bot.service import Who
    from tests.coach_chat import SEED_ONBOARDING, scripted_input

    service: CoachService = app.bot_data["service"]
    ana, last = Who("telegram", str(CHAT), "Maya"), None
    for step in SEED_ONBOARDING:  # the app's clock is the real one: the start date typed
        step = ("type", "today") if step[1].startswith("Today (") else step
        last = await service.handle(ana, scripted_input(step, last))
    await _feed(app, {"message": _message(text="/postmortem", entities=[_command(11)])})
    await _press(app, emulator.bot_messages(CHAT)[-1], "Build my Problems List")
    sent = emulator.bot_messages(CHAT)
    editor = sent[-1]
    assert editor.text is not None and "most urgent first" in editor.text
    assert len(editor.text) > 1000, "a long message, not one to send again on every move"

    await _press(app, editor, "Drop 1")
    after = emulator.bot_messages(CHAT)
    assert len(after) == len(sent), "nothing new was sent"
    edited = after[-1]
    assert edited.message_id == editor.message_id and edited.edited
    assert edited.text is not None and edited.text.index("1. A list too academic") > 0
    assert edited.buttons[0][0][0] == "This is right ✓"
    assert edited.callback_data != editor.callback_data, "the keyboard changed with the list"
