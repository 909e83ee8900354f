"""The Mini App: one page inside Telegram with the program list (a table to sort, filter and
edit) and the 12-month plan (the timeline, "you are here", what is due).

Served by the bot's own process (a Starlette app run by uvicorn in the bot's event loop): in
webhook mode on the webhook's server, under the path of ``WEBAPP_URL``; in polling and
terminal mode on 127.0.0.1 (``WEBAPP_PORT``). Routes, relative to where the page lives:

- ``GET /``: the page; ``GET /static/...``: its script and style (no CDN: all served here);
- ``GET /api/programs``, ``POST /api/programs/{key}`` (tier, status, notes as a JSON
  object), ``GET /api/plan``.

Every API call carries the launch data Telegram signs (``initData``) in the header
``Authorization: tma <initData>``, checked exactly as the Bot API documents
(``check_init_data``): without it, with a forged or altered one, or one older than a day,
the answer is 401 and nothing is read or stored. The user is the one the launch data names,
never an id from the URL or the body. Reads and edits are ``messages.Form`` inputs answered
by ``CoachService.handle`` like a chat message: one unit of work, the same checks, the plan
settled, the dialogue left where it was; so the page and the chat never disagree.

Nothing here logs the launch data, a note, or the token.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import secrets
import socket
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot.service import CoachService, Who
from conversations.messages import Form

log = logging.getLogger(__name__)

STATIC = Path(__file__).with_name("webapp_static")
AUTH_SCHEME = "tma"
MAX_AGE = timedelta(days=1)
# A launch a little in the future is a clock slightly ahead; more is not a real launch.
CLOCK_SKEW = timedelta(minutes=5)
MAX_INIT_DATA = 8192  # Telegram's launch data is well under this; a bound on what we parse
MAX_BODY = 4096  # an edit is a tier, a status and at most 500 characters of notes

# The page's own rules: scripts, styles and calls only from where it is served.
_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors https://web.telegram.org https://*.telegram.org"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


# ---------------------------------------------------------------- the launch data


class InitDataError(ValueError):
    """Launch data that proves nothing (the reason is for logs: kinds only, never values)."""


@dataclass(frozen=True)
class WebAppUser:
    """Who opened the page, as the signed launch data names them."""

    id: str
    first_name: str | None = None


def secret_key(token: str) -> bytes:
    """HMAC-SHA256 of the bot token with the key "WebAppData", as the Bot API documents."""
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def _data_check_string(fields: Mapping[str, str]) -> str:
    return "\n".join(f"{k}={fields[k]}" for k in sorted(fields) if k != "hash")


def sign_init_data(fields: Mapping[str, str], token: str) -> str:
    """Launch data as Telegram makes it (the fields, then their ``hash``): for tests and for
    the terminal's local link."""
    digest = hmac.new(
        secret_key(token), _data_check_string(fields).encode(), hashlib.sha256
    ).hexdigest()
    return urlencode({**fields, "hash": digest}, quote_via=quote)


def check_init_data(init_data: str, token: str, now: datetime) -> WebAppUser:
    """The user the launch data names, once it is proven: every field but ``hash``, sorted
    by key, as ``key=value`` lines, signed with HMAC-SHA256 under ``secret_key(token)``, must
    give ``hash``; ``auth_date`` must be at most a day old. Else ``InitDataError``."""
    if not init_data or len(init_data) > MAX_INIT_DATA:
        raise InitDataError("missing or oversized")
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise InitDataError("not a query string") from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise InitDataError("a field given twice")
    given = fields.get("hash", "")
    expected = hmac.new(
        secret_key(token), _data_check_string(fields).encode(), hashlib.sha256
    ).hexdigest()
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise InitDataError("bad signature")
    raw_date = fields.get("auth_date", "")
    if not (raw_date.isascii() and raw_date.isdigit() and len(raw_date) <= 12):
        raise InitDataError("no auth_date")
    signed_at = datetime.fromtimestamp(int(raw_date), UTC)
    if now - signed_at > MAX_AGE or signed_at - now > CLOCK_SKEW:
        raise InitDataError("expired")
    try:
        user = json.loads(fields.get("user", ""))
    except ValueError:
        raise InitDataError("no user") from None
    uid = user.get("id") if isinstance(user, dict) else None
    if isinstance(uid, bool) or not isinstance(uid, int | str) or not str(uid).strip():
        raise InitDataError("no user id")
    name = user.get("first_name")
    return WebAppUser(str(uid), name if isinstance(name, str) else None)


# ---------------------------------------------------------------- the routes


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class WebApp:
    """What the page's routes need: the service, the channel its users talk on, and the key
    the launch data is signed with (the bot token; a random one in the terminal)."""

    service: CoachService
    token: str
    channel: str = "telegram"
    clock: Callable[[], datetime] = _now

    def who(self, request: Request) -> Who | None:
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != AUTH_SCHEME:
            return None
        try:
            user = check_init_data(value.strip(), self.token, self.clock())
        except InitDataError as error:
            log.info("mini app: launch data refused (%s)", error)
            return None
        return Who(self.channel, user.id, user.first_name)

    async def ask(self, request: Request, form: Form) -> Response:
        who = self.who(request)
        if who is None:
            return _json({"ok": False, "error": "Open this page from the bot in Telegram."}, 401)
        turn = await self.service.handle(who, form)
        data = dict(turn.data or {})
        if "error" in data:
            status = 404 if data.get("code") == "not_found" else 400
            return _json({"ok": False, "error": data["error"]}, status)
        return _json({"ok": True, **data})

    async def page(self, request: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers=_SECURITY_HEADERS)

    async def programs(self, request: Request) -> Response:
        return await self.ask(request, Form("program.list"))

    async def plan(self, request: Request) -> Response:
        return await self.ask(request, Form("plan.view"))

    async def set_program(self, request: Request) -> Response:
        if self.who(request) is None:  # before the body is even read
            return _json({"ok": False, "error": "Open this page from the bot in Telegram."}, 401)
        body = await request.body()
        fields = _fields(body)
        if fields is None:
            return _json({"ok": False, "error": "Send the change as a JSON object of text."}, 400)
        key = request.path_params["key"]
        return await self.ask(request, Form("program.set", {**fields, "key": key}))

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/", self.page, methods=["GET"]),
            Route("/api/programs", self.programs, methods=["GET"]),
            Route("/api/programs/{key:path}", self.set_program, methods=["POST"]),
            Route("/api/plan", self.plan, methods=["GET"]),
            Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
        ]

    def mount(self, path: str) -> BaseRoute:
        """The page and its API under ``path`` ("/app" for https://host/app/)."""
        return Mount("/" + path.strip("/"), routes=self.routes())


def _fields(body: bytes) -> dict[str, str] | None:
    if len(body) > MAX_BODY:
        return None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or "key" in data:
        return None
    if not all(isinstance(v, str) for v in data.values()):
        return None
    return {str(k): v for k, v in data.items()}


def _json(data: Mapping[str, Any], status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers={"Cache-Control": "no-store"})


def local_app(webapp: WebApp) -> Starlette:
    """The page alone, at the root (polling and terminal mode, and the tests)."""
    return Starlette(routes=webapp.routes())


def app_with(routes: Sequence[BaseRoute]) -> Starlette:
    return Starlette(routes=list(routes))


def terminal_link(base: str, user_id: str, first_name: str | None, token: str) -> str:
    """The local page's address with launch data signed for this terminal's user."""
    user = json.dumps({"id": user_id, "first_name": first_name or user_id})
    fields = {"auth_date": str(int(_now().timestamp())), "user": user}
    return f"{base}#{urlencode({'tgWebAppData': sign_init_data(fields, token)})}"


def terminal_key() -> str:
    """A key for the terminal's launch data: new each run, never written anywhere."""
    return secrets.token_urlsafe(32)


# ---------------------------------------------------------------- serving


class _Server(uvicorn.Server):
    """uvicorn inside the bot's own event loop: the bot handles SIGINT and SIGTERM itself."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def bind(host: str, port: int) -> socket.socket:
    """A listening socket (OSError when the port is taken): bound here so a taken port is
    the caller's to handle, not a reason for uvicorn to exit the process."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


class Served:
    """An ASGI app served by uvicorn on one socket, started and stopped from the bot's loop."""

    def __init__(self, app: Any, sock: socket.socket) -> None:
        logging.getLogger("uvicorn.error").setLevel(logging.WARNING)
        config = uvicorn.Config(
            app,
            log_config=None,
            access_log=False,  # the ids and kinds worth logging are logged by the routes
            lifespan="off",
            server_header=False,
            timeout_graceful_shutdown=5,
        )
        self.server = _Server(config)
        self.sock = sock
        self.task: asyncio.Task[None] | None = None

    @property
    def port(self) -> int:
        return int(self.sock.getsockname()[1])

    async def start(self) -> None:
        self.task = asyncio.create_task(self.server.serve(sockets=[self.sock]))
        while not self.server.started:
            if self.task.done():
                await self.task  # raises what stopped it
                raise OSError("the web server stopped while starting")
            await asyncio.sleep(0.01)

    async def stop(self) -> None:
        if self.task is None:
            return
        self.server.should_exit = True
        with contextlib.suppress(Exception):
            await self.task
        self.task = None
        self.sock.close()


async def serve_locally(app: Any, host: str, port: int) -> Served | None:
    """Serve ``app`` on host:port; None (with a warning) when the port is taken, so the bot
    itself still runs."""
    try:
        sock = bind(host, port)
    except OSError as error:
        log.warning(
            "mini app: port %s not available (%s); the page is not served",
            port,
            type(error).__name__,
        )
        return None
    served = Served(app, sock)
    await served.start()
    return served
