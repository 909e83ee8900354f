"""Webhook mode: a small Starlette app, served by uvicorn in the bot's event loop, in front
of the Application's update queue (and, beside it, the Mini App's page: ``bot/webapp.py``).

python-telegram-bot's built-in webhook server answers 500 to a body that is not JSON (and
Telegram retries a 5xx), and logs an update it cannot parse whole, words included. This one
answers as the Bot API expects and logs each refused or ignored call once, by size, id and
kind, never the body:

- 403 without the secret token Telegram was given (checked in constant time);
- 400 for a body that is not JSON, or JSON that is not an update object (no integer
  ``update_id``);
- 200 for everything else, including an update the library cannot read: it is ignored, since
  Telegram would only send it again;
- a handler's failure never reaches the server: updates are queued, and the Application
  handles them (and its error handler answers the user).

The Application runs without PTB's Updater here (``Application.builder().updater(None)``),
so ``serve_webhook`` does what ``Application.run_webhook`` would: initialise, run
``post_init``, register the webhook, start, and on SIGINT or SIGTERM stop in order (as
python-telegram-bot's custom webhook example does with Starlette and uvicorn).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route
from telegram import Bot, Update
from telegram.ext import Application, ExtBot

from bot.webapp import Served, app_with, bind

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class TelegramWebhook:
    """The one route Telegram calls: checks the secret, reads the update, queues it."""

    def __init__(self, bot: Bot, queue: asyncio.Queue[object], secret: str) -> None:
        self.bot = bot
        self.queue = queue
        self.secret = secret

    async def handle(self, request: Request) -> JSONResponse:
        status = await self._accept(request)
        return JSONResponse({"ok": status == HTTPStatus.OK}, status_code=status)

    async def _accept(self, request: Request) -> HTTPStatus:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            log.info("webhook: a call without the right secret token; refused (403)")
            return HTTPStatus.FORBIDDEN
        body = await request.body()
        try:
            data: Any = json.loads(body)
        except (ValueError, RecursionError):  # not UTF-8, not JSON, or nested beyond reason
            log.warning("webhook: a body that is not JSON (%d bytes); refused (400)", len(body))
            return HTTPStatus.BAD_REQUEST
        update_id = data.get("update_id") if isinstance(data, dict) else None
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            log.warning("webhook: JSON that is not an update (%s); refused (400)", _shape(data))
            return HTTPStatus.BAD_REQUEST
        try:
            update = Update.de_json(data, self.bot)
        except Exception as error:
            kind = next((k for k in data if k in Update.ALL_TYPES), "unknown kind")
            log.warning(
                "webhook: update %s (%s) could not be read (%s); ignored",
                update_id,
                kind,
                type(error).__name__,
            )
            return HTTPStatus.OK
        if isinstance(self.bot, ExtBot):  # as PTB does: arbitrary callback data, if enabled
            self.bot.insert_callback_data(update)
        await self.queue.put(update)
        return HTTPStatus.OK


def _shape(data: object) -> str:
    if isinstance(data, dict):
        return "an object without an integer update_id"
    return "null" if data is None else type(data).__name__


def webhook_routes(
    path: str, bot: Bot, queue: asyncio.Queue[object], secret: str
) -> list[BaseRoute]:
    """The webhook's route, with and without a trailing slash; POST only (else 405)."""
    route = "/" + path.strip("/")
    endpoint = TelegramWebhook(bot, queue, secret)
    paths = [route] if route == "/" else [route, route + "/"]
    return [Route(p, endpoint.handle, methods=["POST"]) for p in paths]


async def serve_webhook(
    application: Application,
    *,
    listen: str,
    port: int,
    path: str,
    url: str,
    secret: str,
    allowed_updates: Sequence[str],
    routes: Sequence[BaseRoute] = (),
) -> None:
    """Run ``application`` behind the webhook until SIGINT or SIGTERM; ``routes`` are served
    beside it (the Mini App)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        hook = webhook_routes(path, application.bot, application.update_queue, secret)
        server = Served(app_with([*hook, *routes]), bind(listen, port))
        await server.start()
        try:
            await application.bot.set_webhook(
                url, secret_token=secret, allowed_updates=allowed_updates
            )
            await application.start()
            log.info("webhook server listening")
            await stop.wait()
        finally:
            await server.stop()  # no new calls; the queued updates are still handled below
            if application.running:
                await application.stop()
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
