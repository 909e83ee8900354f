"""Telegram transport: python-telegram-bot wiring, one thin layer around the coach.

Each update becomes one coach input (a command, text, a button press, or "something else"),
the service answers it in one unit of work, and the replies are rendered here as messages,
inline keyboards, edits and documents. Handlers are listed in one ordered table below.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
from dataclasses import replace
from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

from telegram import (
    BotCommand,
    MenuButtonWebApp,
    Message,
    Update,
    WebAppInfo,
)
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationHandlerStop,
    BaseHandler,
    BaseRateLimiter,
    CallbackQueryHandler,
    ContextTypes,
    ExtBot,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.nudges import NudgeSweeper, TelegramSender, install
from bot.render import keyboard, send_reply
from bot.service import CoachService, Who
from bot.settings import Settings
from bot.webapp import Served, WebApp, local_app, serve_locally
from bot.webhook import serve_webhook
from conversations import texts
from conversations.messages import Command, Other, Press, Text, Turn, UserInput

log = logging.getLogger(__name__)
# Opt in now to PTB's coming durations-as-timedelta (we handle both), which also silences
# its deprecation warning on every voice note.
os.environ.setdefault("PTB_TIMEDELTA", "1")

_OTHER_KINDS = (  # most specific first: an animation also carries a document, a venue a location
    "sticker",
    "animation",
    "photo",
    "voice",
    "video_note",
    "video",
    "audio",
    "document",
    "venue",
    "location",
    "contact",
    "poll",
    "dice",
)


def _service(context: ContextTypes.DEFAULT_TYPE) -> CoachService:
    service: CoachService = context.application.bot_data["service"]
    return service


def _who(update: Update) -> Who:
    chat = update.effective_chat
    user = update.effective_user
    assert chat is not None
    return Who("telegram", str(chat.id), user.first_name if user else None)


def command_input(text: str) -> Command:
    head, _, args = text.strip()[1:].partition(" ")
    return Command(head.split("@")[0].lower(), args.strip())


# A document up to this size is fetched and handed to the coach (a statement draft, a program
# list); a bigger one arrives with its size only, so the feature can say why it can't use it.
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


async def other_input(message: Message) -> Other:
    kind = next((k for k in _OTHER_KINDS if getattr(message, k, None)), "other")
    seconds: int | None = None
    if message.voice is not None:
        duration = message.voice.duration  # an int or a timedelta, by PTB's settings
        seconds = int(duration.total_seconds()) if isinstance(duration, timedelta) else duration
    other = Other(kind, seconds, caption=message.caption)
    if kind == "document" and message.document is not None:
        return await _with_document(other, message)
    return other


async def _with_document(other: Other, message: Message) -> Other:
    """The document's name, type and size, and its bytes when small enough to fetch. A failed
    download is logged by kind only (never the name or the words) and passes no bytes."""
    document = message.document
    assert document is not None
    size = document.file_size
    content: bytes | None = None
    if size is None or size <= MAX_DOCUMENT_BYTES:
        try:
            file = await document.get_file()
            data = bytes(await file.download_as_bytearray())
        except (TelegramError, OSError) as error:
            log.warning("document of %s bytes not downloaded (%s)", size, type(error).__name__)
        else:
            if len(data) <= MAX_DOCUMENT_BYTES:
                content = data
            size = len(data)
    return replace(
        other,
        file_name=document.file_name,
        mime_type=document.mime_type,
        file_size=size,
        content=content,
    )


# ---------------------------------------------------------------- handlers


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.text is not None
    await _answer(update, context, command_input(update.message.text))


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.text is not None
    await _answer(update, context, Text(update.message.text))


async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.callback_query is not None
    await _answer(update, context, Press(update.callback_query.data or ""))


async def on_other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    await _answer(update, context, await other_input(update.message))


async def on_edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _answer(update, context, Other("edited"))


async def skip_without_chat(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An update without a chat (a poll, an inline query, a button on an inline message) has
    nobody to answer: logged once by kind and handed to no handler."""
    if update.effective_chat is None:
        kind = next((k for k in Update.ALL_TYPES if getattr(update, k, None) is not None), "?")
        log.info("update %s without a chat (%s); ignored", update.update_id, kind)
        raise ApplicationHandlerStop


async def on_group(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, texts.GROUP_ONLY_PRIVATE)


PRIVATE = filters.ChatType.PRIVATE
HANDLERS: tuple[BaseHandler[Update, ContextTypes.DEFAULT_TYPE, None], ...] = (
    MessageHandler(filters.UpdateType.EDITED_MESSAGE & PRIVATE, on_edited),
    MessageHandler(filters.UpdateType.MESSAGE & ~PRIVATE, on_group),
    MessageHandler(filters.UpdateType.MESSAGE & PRIVATE & filters.COMMAND, on_command),
    MessageHandler(filters.UpdateType.MESSAGE & PRIVATE & filters.TEXT, on_text),
    CallbackQueryHandler(on_press),
    MessageHandler(filters.UpdateType.MESSAGE & PRIVATE, on_other),
)


async def _answer(update: Update, context: ContextTypes.DEFAULT_TYPE, inp: UserInput) -> None:
    turn = await _service(context).handle(_who(update), inp)
    await deliver(update, context, turn)


# ---------------------------------------------------------------- rendering


async def deliver(update: Update, context: ContextTypes.DEFAULT_TYPE, turn: Turn) -> None:
    query = update.callback_query
    if query is not None:
        try:
            await query.answer(turn.toast)
        except BadRequest:  # too old to answer; the replies below still go out
            log.info("callback query %s could not be answered", query.id)
    chat = update.effective_chat
    assert chat is not None
    webapp_url = context.bot_data.get("webapp_url")
    for reply in turn.replies:
        if reply.edit and query is not None and query.message is not None:
            try:
                await query.edit_message_text(reply.text, reply_markup=keyboard(reply, webapp_url))
                continue
            except BadRequest as error:
                if "not modified" in str(error).lower():
                    continue
                log.info("could not edit message; sending a new one")
        await send_reply(context.bot, chat.id, reply, webapp_url)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log what failed (never the message), and tell the user their answers are safe."""
    error = context.error
    if isinstance(error, Forbidden):
        log.info("user blocked the bot or left the chat")
        return
    log.error("error while handling an update: %s", type(error).__name__, exc_info=error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            if update.callback_query is not None:
                await update.callback_query.answer()
            await context.bot.send_message(update.effective_chat.id, texts.SORRY_ERROR)
        except TelegramError:
            log.warning("could not tell the user about the error")


# ---------------------------------------------------------------- application

MENU_BUTTON = "List & plan"  # the chat's menu button, when the Mini App is served


async def _post_init(application: Application) -> None:
    service = application.bot_data["service"]
    await service.db.migrate()
    await application.bot_data["sweep_bot"].initialize()
    commands = [BotCommand(name, about) for name, about in texts.COMMANDS]
    try:
        await application.bot.set_my_commands(commands)
    except TelegramError as error:  # the menu is a nicety; the bot must still start
        log.warning("could not set the command menu (%s); continuing", type(error).__name__)
    url = application.bot_data.get("webapp_url")
    if url:  # the chat's menu button opens the Mini App
        button = MenuButtonWebApp(MENU_BUTTON, WebAppInfo(url))
        try:
            await application.bot.set_chat_menu_button(menu_button=button)
        except TelegramError as error:
            log.warning("could not set the menu button (%s); continuing", type(error).__name__)
    local: LocalPage | None = application.bot_data.get("local_webapp")
    if local is not None:
        await local.start()


async def _post_shutdown(application: Application) -> None:
    local: LocalPage | None = application.bot_data.get("local_webapp")
    if local is not None:
        await local.stop()
    await application.bot_data["sweep_bot"].shutdown()
    await application.bot_data["service"].db.dispose()


def build_application(
    settings: Settings,
    service: CoachService,
    *,
    rate_limiter: BaseRateLimiter[Any] | None = None,
    request: BaseRequest | None = None,
) -> Application:
    """The bot as it runs. ``rate_limiter`` and ``request`` are for the benchmarks only (a
    limiter without pacing, a Bot API answered in memory); production passes neither and
    gets ``AIORateLimiter(max_retries=3)`` and HTTP to Telegram."""
    token = settings.token
    if token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    builder = (
        Application.builder()
        .token(token)
        .rate_limiter(rate_limiter or AIORateLimiter(max_retries=3))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    sweep_bot = ExtBot(token, request=request)
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    if settings.telegram_api_base_url:
        base = settings.telegram_api_base_url.rstrip("/")
        files = base.removesuffix("/bot") + "/file/bot"
        builder = builder.base_url(base).base_file_url(files)
        sweep_bot = ExtBot(token, base_url=base, base_file_url=files, request=request)
    if settings.webhook_url:  # our own webhook server feeds the update queue (bot/webhook.py)
        builder = builder.updater(None)
    application = builder.build()
    application.bot_data["service"] = service
    application.bot_data["webapp_url"] = settings.webapp_url
    # One job sweeps due nudges every minute (rows in the database, not in-memory jobs). The
    # sweep paces its own sends and answers a 429 itself, with a wait it bounds; so its bot
    # has no rate limiter, whose hidden retries could outlive the claim's lease.
    application.bot_data["sweep_bot"] = sweep_bot
    sweeper = NudgeSweeper(
        service.db, TelegramSender(sweep_bot), per_second=settings.nudge_sends_per_second
    )
    install(
        application,
        sweeper,
        interval=settings.nudge_sweep_seconds,
        keep=timedelta(days=settings.nudge_retention_days),
    )
    application.add_handler(TypeHandler(Update, skip_without_chat), group=-1)
    application.add_handlers(list(HANDLERS))
    application.add_error_handler(on_error)
    return application


def webhook_secret(settings: Settings) -> str:
    """The secret Telegram sends with each webhook call; stable across replicas by default."""
    if settings.webhook_secret is not None:
        return settings.webhook_secret.get_secret_value()
    token = settings.token or ""
    return hashlib.sha256(f"rematch-coach-webhook:{token}".encode()).hexdigest()


class LocalPage:
    """The Mini App on 127.0.0.1 in polling mode, started and stopped with the bot."""

    def __init__(self, webapp: WebApp, host: str, port: int) -> None:
        self.webapp, self.host, self.port = webapp, host, port
        self.served: Served | None = None

    async def start(self) -> None:
        self.served = await serve_locally(local_app(self.webapp), self.host, self.port)
        if self.served is not None:
            address = f"http://{self.host}:{self.served.port}/"
            log.info("mini app page served on %s", address)
            print(f"Mini App page: {address} (Telegram opens it through WEBAPP_URL)", flush=True)

    async def stop(self) -> None:
        if self.served is not None:
            await self.served.stop()


def run_telegram(settings: Settings, service: CoachService) -> None:
    application = build_application(settings, service)
    token = settings.token
    assert token is not None
    webapp = WebApp(service, token)
    if settings.webhook_url:
        log.info("starting in webhook mode on port %s", settings.port)
        # The page lives under WEBAPP_URL's path on the webhook's own server (only when set:
        # nothing links to it otherwise).
        page = urlparse(settings.webapp_url).path if settings.webapp_url else None
        webhook = serve_webhook(
            application,
            listen=settings.webhook_listen,
            port=settings.port,
            path=urlparse(settings.webhook_url).path,
            url=settings.webhook_url,
            secret=webhook_secret(settings),
            allowed_updates=Update.ALL_TYPES,
            routes=(webapp.mount(page),) if page is not None else (),
        )
        asyncio.run(webhook)
    else:
        application.bot_data["local_webapp"] = LocalPage(
            webapp, settings.webapp_listen, settings.webapp_port
        )
        log.info("starting in long-polling mode")
        application.run_polling(
            poll_interval=settings.poll_interval,
            timeout=settings.poll_timeout,
            allowed_updates=Update.ALL_TYPES,
        )
