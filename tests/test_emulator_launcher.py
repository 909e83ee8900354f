"""The Telegram Bot API emulator answers real python-telegram-bot objects like Telegram does.

These tests use plain PTB (``telegram.Bot`` / ``telegram.ext.Application``), not our bot, so a
failure here points at the emulator rather than at Rematch Coach.
"""

from __future__ import annotations

import asyncio
import struct
import time
import zlib
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    MessageEntity,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

try:  # works whether or not tests/ is a package
    from tests.emulator_client import DEFAULT_TOKEN, Emulator, EmulatorError, skip_reason
except ModuleNotFoundError:
    from emulator_client import DEFAULT_TOKEN, Emulator, EmulatorError, skip_reason  # type: ignore[no-redef, unused-ignore]

KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Yes", callback_data="yes"),
            InlineKeyboardButton("No", callback_data="no"),
        ],
        [InlineKeyboardButton("Later", callback_data="later")],
    ]
)


def tiny_png(width: int = 3, height: int = 2) -> bytes:
    """A valid PNG, built here so no image library is needed."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def emulator_process() -> Iterator[Emulator]:
    reason = skip_reason()
    if reason:
        print(f"skipping emulator tests: {reason}")
        pytest.skip(reason)
    emulator = Emulator().start()
    try:
        yield emulator
    finally:
        emulator.stop()


@pytest.fixture
def emu(emulator_process: Emulator) -> Emulator:
    emulator_process.reset()
    return emulator_process


@pytest.fixture
async def bot(emu: Emulator) -> AsyncIterator[Bot]:
    async with Bot(emu.token, base_url=emu.base_url) as the_bot:  # initialize() calls getMe
        yield the_bot


def recent(message: Message) -> bool:
    """Dates must be seconds, not milliseconds: a ms value would land far in the future."""
    return abs(message.date.timestamp() - time.time()) < 600


async def test_get_me_is_a_full_bot_user(bot: Bot) -> None:
    me = await bot.get_me()
    assert me.is_bot is True
    assert me.username and me.first_name
    assert me.id == int(DEFAULT_TOKEN.split(":")[0])


async def test_send_message_with_inline_keyboard_is_seen_by_the_client(
    emu: Emulator, bot: Bot
) -> None:
    chat = emu.chat(2001)
    sent = await bot.send_message(chat.chat_id, "Pick one", reply_markup=KEYBOARD)
    assert isinstance(sent, Message)
    assert sent.from_user is not None and sent.from_user.is_bot
    assert sent.chat.id == chat.chat_id and sent.chat.type == "private"
    assert recent(sent)
    assert sent.reply_markup == KEYBOARD

    [seen] = await chat.wait_for(1)
    assert seen.message_id == sent.message_id
    assert seen.text == "Pick one"
    assert seen.buttons == [[("Yes", "yes"), ("No", "no")], [("Later", "later")]]
    assert seen.callback_data == ["yes", "no", "later"]


async def test_reply_keyboard_is_recorded(emu: Emulator, bot: Bot) -> None:
    chat = emu.chat(2002)
    markup = ReplyKeyboardMarkup([["Morning", "Evening"]], one_time_keyboard=True)
    sent = await bot.send_message(chat.chat_id, "When?", reply_markup=markup)
    assert sent.reply_markup is None  # Telegram returns only inline keyboards on a Message
    [seen] = chat.bot_messages()
    assert seen.keyboard == [["Morning", "Evening"]]


async def test_user_text_and_command_arrive_as_updates(emu: Emulator, bot: Bot) -> None:
    chat = emu.chat(2003, first_name="Ada")
    chat.send_text("hello there")
    chat.send_command("/start deep-link")
    updates = await bot.get_updates(timeout=5)
    assert [type(u) for u in updates] == [Update, Update]
    text, command = (u.message for u in updates)
    assert text is not None and command is not None
    assert text.text == "hello there" and not text.entities
    assert text.from_user is not None and text.from_user.first_name == "Ada"
    assert text.chat.id == chat.chat_id and recent(text)
    assert command.text == "/start deep-link"
    assert command.parse_entities([MessageEntity.BOT_COMMAND]) != {}
    assert list(command.parse_entities().values()) == ["/start"]
    assert updates[0].update_id < updates[1].update_id


async def test_a_document_from_the_user_is_downloaded_as_from_telegram(emu: Emulator) -> None:
    chat = emu.chat(2010, first_name="Ada")
    content = b"name,city\nMercy Hospital,Chicago\n"
    chat.send_document("programs.csv", content, "text/csv", caption="my list")
    files = emu.base_url.removesuffix("/bot") + "/file/bot"
    async with Bot(emu.token, base_url=emu.base_url, base_file_url=files) as bot:
        [update] = await bot.get_updates(timeout=5)
        message = update.message
        assert message is not None and message.document is not None
        assert message.document.file_name == "programs.csv"
        assert message.document.mime_type == "text/csv"
        assert message.document.file_size == len(content) and message.caption == "my list"
        file = await message.document.get_file()
        assert bytes(await file.download_as_bytearray()) == content
        with pytest.raises(BadRequest):
            await bot.get_file("doc-unknown")


async def test_callback_press_arrives_with_message_and_can_be_answered(
    emu: Emulator, bot: Bot
) -> None:
    chat = emu.chat(2004)
    sent = await bot.send_message(chat.chat_id, "Ready?", reply_markup=KEYBOARD)
    query_id = chat.press("later")
    [update] = await bot.get_updates(timeout=5)
    query = update.callback_query
    assert query is not None
    assert query.id == query_id and query.data == "later" and query.chat_instance
    assert query.from_user.id == chat.user["id"]
    assert isinstance(query.message, Message)
    assert query.message.message_id == sent.message_id and query.message.text == "Ready?"
    assert await query.answer("Noted") is True
    assert emu.callback_answers(query_id) == [{"text": "Noted", "show_alert": False, "url": None}]
    with pytest.raises(BadRequest, match=r"(?i)query ID is invalid"):
        await bot.answer_callback_query("no-such-query")


def test_pressing_a_missing_button_is_refused(emu: Emulator) -> None:
    with pytest.raises(EmulatorError, match="callback_data"):
        emu.chat(2005).press("nothing-shows-this")


async def test_offset_confirms_updates(emu: Emulator, bot: Bot) -> None:
    chat = emu.chat(2006)
    chat.send_text("one")
    chat.send_text("two")
    first = await bot.get_updates(timeout=5)
    assert [u.message.text for u in first if u.message] == ["one", "two"]
    # Unconfirmed updates are delivered again, as by Telegram.
    assert len(await bot.get_updates()) == 2
    assert (await bot.get_webhook_info()).pending_update_count == 2
    next_offset = first[-1].update_id + 1
    assert await bot.get_updates(offset=next_offset) == ()
    chat.send_text("three")
    [third] = await bot.get_updates(offset=next_offset, timeout=5)
    assert third.message is not None and third.message.text == "three"
    assert await bot.get_updates(offset=third.update_id + 1) == ()


async def test_long_poll_returns_when_an_update_arrives(emu: Emulator, bot: Bot) -> None:
    chat = emu.chat(2007)
    poll = asyncio.create_task(bot.get_updates(timeout=30, read_timeout=60))
    await asyncio.sleep(0.3)  # let the poll reach the emulator; order does not matter for success
    chat.send_text("wake up")
    updates = await asyncio.wait_for(poll, timeout=45)
    assert [u.message.text for u in updates if u.message] == ["wake up"]


async def test_long_poll_times_out_empty(bot: Bot) -> None:
    assert await bot.get_updates(timeout=1) == ()


async def test_edit_message_text_returns_message_and_is_recorded(emu: Emulator, bot: Bot) -> None:
    chat = emu.chat(2008)
    sent = await bot.send_message(chat.chat_id, "Question?", reply_markup=KEYBOARD)
    edited = await bot.edit_message_text(
        "Answered", chat_id=chat.chat_id, message_id=sent.message_id, reply_markup=KEYBOARD
    )
    assert isinstance(edited, Message)
    assert edited.text == "Answered" and edited.edit_date is not None
    assert edited.reply_markup == KEYBOARD

    # As on Telegram: an edit that does not resend the keyboard removes it ...
    edited = await bot.edit_message_text(
        "Answered: yes", chat_id=chat.chat_id, message_id=sent.message_id
    )
    assert isinstance(edited, Message) and edited.reply_markup is None
    # ... and an edit that changes nothing is refused.
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_text(
            "Answered: yes", chat_id=chat.chat_id, message_id=sent.message_id
        )

    [seen] = chat.bot_messages()
    assert seen.text == "Answered: yes" and seen.buttons == []
    assert [e["text"] for e in seen.edits] == ["Answered", "Answered: yes"]

    restored = await bot.edit_message_reply_markup(
        chat_id=chat.chat_id, message_id=sent.message_id, reply_markup=KEYBOARD
    )
    assert isinstance(restored, Message) and restored.reply_markup == KEYBOARD
    assert chat.bot_messages()[0].callback_data == ["yes", "no", "later"]
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=chat.chat_id, message_id=999999)


async def test_send_document_bytes_are_recorded(emu: Emulator, bot: Bot) -> None:
    chat = emu.chat(2009)
    payload = b"date,score\n2025-01-01,231\n" * 50
    sent = await bot.send_document(
        chat.chat_id, InputFile(payload, filename="progress.csv"), caption="Your export"
    )
    assert sent.document is not None
    assert sent.document.file_name == "progress.csv"
    assert sent.document.file_size == len(payload)
    assert sent.caption == "Your export"
    [seen] = chat.bot_messages()
    assert seen.kind == "document" and seen.file_name == "progress.csv"
    assert seen.content == payload and seen.text == "Your export"


async def test_send_photo_bytes_are_recorded(emu: Emulator, bot: Bot) -> None:
    chat = emu.chat(2010)
    png = tiny_png(3, 2)
    sent = await bot.send_photo(chat.chat_id, InputFile(png, filename="chart.png"))
    assert sent.photo and (sent.photo[-1].width, sent.photo[-1].height) == (3, 2)
    [seen] = chat.bot_messages()
    assert seen.kind == "photo" and seen.file_name == "chart.png" and seen.content == png


async def test_set_and_get_my_commands(emu: Emulator, bot: Bot) -> None:
    commands = [BotCommand("start", "Start over"), BotCommand("today", "Today's plan")]
    assert await bot.set_my_commands(commands) is True
    assert tuple(await bot.get_my_commands()) == tuple(commands)
    assert emu.commands() == [("start", "Start over"), ("today", "Today's plan")]
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Bad-Command", "nope")])


async def test_webhook_methods(bot: Bot) -> None:
    assert await bot.delete_webhook(drop_pending_updates=True) is True
    assert (await bot.get_webhook_info()).url == ""


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # PTB's RetryAfter
async def test_fail_next_and_block(emu: Emulator, bot: Bot) -> None:
    emu.fail_next("setMyCommands", 500)
    with pytest.raises(TelegramError):
        await bot.set_my_commands([BotCommand("start", "Start")])
    assert await bot.set_my_commands([BotCommand("start", "Start")]) is True  # only once

    emu.fail_next("sendMessage", 429, retry_after=7)
    with pytest.raises(RetryAfter, match=r"Retry in (7(\.0)? seconds|0:00:07)"):
        await bot.send_message(2011, "hi")

    emu.fail_next("sendMessage", 0)  # dropped connection
    with pytest.raises(NetworkError):
        await bot.send_message(2011, "hi")

    emu.block(2011)
    with pytest.raises(Forbidden, match=r"(?i)blocked"):
        await bot.send_message(2011, "hi")
    emu.block(2011, blocked=False)
    assert (await bot.send_message(2011, "hi")).text == "hi"


async def test_html_is_validated_and_stripped(emu: Emulator, bot: Bot) -> None:
    chat = emu.chat(2012)
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(chat.chat_id, "score < 200", parse_mode="HTML")
    sent = await bot.send_message(chat.chat_id, "<b>Score</b> &lt; 200", parse_mode="HTML")
    assert sent.text == "Score < 200"
    [seen] = chat.bot_messages()
    assert seen.raw_text == "<b>Score</b> &lt; 200" and seen.parse_mode == "HTML"
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(chat.chat_id, "   ")


async def test_unknown_method_answers_not_found(bot: Bot) -> None:
    with pytest.raises(TelegramError):
        await bot.do_api_request("noSuchMethod")


def test_package_client_routes_still_work(emu: Emulator) -> None:
    chat = emu.chat(2013)
    chat.send_command("/start")
    # The package's own client route returns bot messages; its body format is kept.
    url = f"{emu.root_url}/getUpdatesHistory"
    history = httpx.post(url, json={"token": emu.token}, timeout=10).json()["result"]
    assert any(item.get("message", {}).get("text") == "/start" for item in history)


async def test_application_polling_round_trip(emu: Emulator) -> None:
    async def start(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text("Welcome!", reply_markup=KEYBOARD)

    async def pressed(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text(f"You chose {query.data}")

    app = Application.builder().token(emu.token).base_url(emu.base_url).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    await app.initialize()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0.1, timeout=1)
    await app.start()
    try:
        chat = emu.chat(2014)
        chat.send_command("/start")
        [welcome] = await chat.wait_for_new(timeout=30)
        assert welcome.text == "Welcome!" and welcome.callback_data == ["yes", "no", "later"]

        query_id = chat.press("no")
        await chat.wait_for(lambda ms: ms and ms[-1].text == "You chose no", timeout=30)
        assert chat.bot_messages()[-1].buttons == []
        assert emu.callback_answers(query_id) == [{"text": None, "show_alert": False, "url": None}]
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
