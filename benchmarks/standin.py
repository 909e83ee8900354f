"""A stand-in for the Bot API on 127.0.0.1: a real HTTP server that answers what the sweep
asks (getMe, sendMessage) as Telegram does, within Telegram's limits, and records what it
accepted so a benchmark can count what was lost, sent twice, or refused.

Limits (a generic cell rate algorithm, the "leaky bucket as a meter"): about ``per_bot``
messages a second in all and ``per_chat`` a second to one chat, each with ``slack`` seconds
of tolerance for network jitter (so a sender spacing one chat's messages exactly a second
apart is never refused for a late packet, but a burst is). Over either limit the answer is
Telegram's 429, "Too Many Requests: retry after N" with ``parameters.retry_after`` N, in
whole ``retry_unit`` (a second, as Telegram says; a tenth in the scaled-down small runs).
Chats in ``blocked`` get 403 "Forbidden: bot was blocked by the user". Every answer comes
``latency`` seconds after the request arrived (a round trip to Telegram's servers).

Nothing is logged: the request path carries the bot token, and messages carry user text.
Records keep the chat, the buttons' callback data (which identify a reminder) and the time.
"""

from __future__ import annotations

import asyncio
import gc
import json
import math
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import tornado.httpserver
import tornado.netutil
import tornado.web

ROOT = Path(__file__).resolve().parent.parent
TOO_MANY = "Too Many Requests: retry after {}"
BLOCKED = "Forbidden: bot was blocked by the user"
BOT_USER = {
    "id": 777000111,
    "is_bot": True,
    "first_name": "Stand-in",
    "username": "standin_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
# Methods answered with a plain ``true`` (what a bot may call while it starts or stops).
_TRUE_METHODS = {"deletewebhook", "setmycommands", "close", "logout"}


@dataclass(frozen=True)
class Accepted:
    """A message Telegram would have delivered."""

    chat_id: str
    buttons: tuple[str, ...]  # callback data of its inline keyboard, in order
    at: float  # time.monotonic() when it arrived


@dataclass(frozen=True)
class Refused:
    chat_id: str
    status: int  # 429 or 403
    reason: str  # "bot" (the bot-wide limit), "chat" (one chat's limit), "blocked"
    at: float
    retry_after: float = 0.0


@dataclass
class Limit:
    """One rate, as a generic cell rate algorithm: a message is accepted unless it comes
    more than ``slack`` seconds before its theoretical arrival time."""

    per_second: float
    slack: float
    _due: dict[str, float] = field(default_factory=dict)

    def wait(self, key: str, now: float) -> float:
        """Seconds before a message for ``key`` would be accepted (0: now)."""
        due = self._due.get(key, now)
        return max(0.0, due - self.slack - now)

    def take(self, key: str, now: float) -> None:
        self._due[key] = max(self._due.get(key, now), now) + 1.0 / self.per_second


class StandIn:
    """The Bot API as far as the sweep sees it. Use ``serve`` (in this event loop) or
    ``in_process`` (a process of its own, so the measured code cannot delay its clock)."""

    def __init__(
        self,
        *,
        per_bot: float = 30.0,
        per_chat: float = 1.0,
        slack: float = 0.1,
        retry_unit: float = 1.0,
        latency: float = 0.0,
        blocked: set[str] | frozenset[str] = frozenset(),
    ) -> None:
        self.bot_limit = Limit(per_bot, slack)
        self.chat_limit = Limit(per_chat, slack)
        self.retry_unit = retry_unit
        self.latency = latency
        self.blocked = frozenset(blocked)
        self.accepted: list[Accepted] = []
        self.refused: list[Refused] = []
        self.requests = 0
        self._message_id = 0

    # ------------------------------------------------------------ what the bench reads

    @property
    def first_request_at(self) -> float | None:
        times = [a.at for a in self.accepted] + [r.at for r in self.refused]
        return min(times) if times else None

    def too_many(self, after: float = 0.0) -> list[Refused]:
        """The 429s answered more than ``after`` seconds after the first request."""
        start = self.first_request_at
        if start is None:
            return []
        return [r for r in self.refused if r.status == 429 and r.at - start > after]

    # ------------------------------------------------------------ answering

    def answer(self, method: str, args: dict[str, Any], now: float) -> tuple[int, dict[str, Any]]:
        """The status and JSON body Telegram would answer ``method`` with, at ``now``."""
        self.requests += 1
        name = method.lower()
        if name == "getme":
            return 200, {"ok": True, "result": BOT_USER}
        if name in _TRUE_METHODS:
            return 200, {"ok": True, "result": True}
        if name != "sendmessage":
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        chat_id = str(args.get("chat_id", ""))
        if not chat_id or "text" not in args:
            description = "Bad Request: message text is empty"
            return 400, {"ok": False, "error_code": 400, "description": description}
        bot_wait = self.bot_limit.wait("bot", now)
        chat_wait = self.chat_limit.wait(chat_id, now)
        if bot_wait > 0 or chat_wait > 0:
            reason = "bot" if bot_wait >= chat_wait else "chat"
            units = max(1, math.ceil(max(bot_wait, chat_wait) / self.retry_unit - 1e-9))
            retry: float = units if self.retry_unit == 1.0 else round(units * self.retry_unit, 3)
            self.refused.append(Refused(chat_id, 429, reason, now, float(retry)))
            body = {
                "ok": False,
                "error_code": 429,
                "description": TOO_MANY.format(retry),
                "parameters": {"retry_after": retry},
            }
            return 429, body
        self.bot_limit.take("bot", now)
        self.chat_limit.take(chat_id, now)
        if chat_id in self.blocked:
            self.refused.append(Refused(chat_id, 403, "blocked", now))
            return 403, {"ok": False, "error_code": 403, "description": BLOCKED}
        markup = _json_arg(args.get("reply_markup"))
        self.accepted.append(Accepted(chat_id, _callback_data(markup), now))
        self._message_id += 1
        message: dict[str, Any] = {
            "message_id": self._message_id,
            "date": int(time.time()),
            "chat": {"id": _chat_number(chat_id), "type": "private", "first_name": "User"},
            "from": BOT_USER,
            "text": str(args["text"]),
        }
        if markup:
            message["reply_markup"] = markup
        return 200, {"ok": True, "result": message}

    # ------------------------------------------------------------ serving

    def application(self) -> tornado.web.Application:
        # No access log: the path carries the bot token.
        return tornado.web.Application(
            [(r"/bot[^/]+/([A-Za-z]+)", _Handler, {"standin": self})],
            log_function=lambda handler: None,
        )

    @contextmanager
    def in_process(self) -> Iterator[str]:
        """Serve from a process of its own (so the measured code's pauses, a garbage
        collection say, cannot delay its clock); yields the base URL (".../bot"). On leaving,
        what it accepted and refused is copied here. ``time.monotonic`` is the machine's
        clock, the same in both processes."""
        config = {
            "per_bot": self.bot_limit.per_second,
            "per_chat": self.chat_limit.per_second,
            "slack": self.bot_limit.slack,
            "retry_unit": self.retry_unit,
            "latency": self.latency,
            "blocked": sorted(self.blocked),
        }
        child = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.standin", json.dumps(config)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert child.stdout is not None and child.stdin is not None
            url = child.stdout.readline().strip()
            if not url.startswith("http://"):
                raise RuntimeError("the stand-in Bot API did not start")
            yield url
            child.stdin.close()  # "stop": it answers with its records
            records = json.loads(child.stdout.readline())
            self.accepted += [Accepted(c, tuple(b), at) for c, b, at in records["accepted"]]
            self.refused += [Refused(*r) for r in records["refused"]]
            self.requests += records["requests"]
            child.wait(10)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()

    async def start(self) -> tuple[tornado.httpserver.HTTPServer, str]:
        """Listen on a free port of 127.0.0.1 in this event loop; (server, base URL)."""
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        server = tornado.httpserver.HTTPServer(self.application())
        server.add_sockets(sockets)
        port = sockets[0].getsockname()[1]
        return server, f"http://127.0.0.1:{port}/bot"


class _Handler(tornado.web.RequestHandler):
    def initialize(self, standin: StandIn) -> None:
        self.standin = standin

    async def get(self, method: str) -> None:
        await self.post(method)

    async def post(self, method: str) -> None:
        now = time.monotonic()
        status, body = self.standin.answer(method, self._args(), now)
        if self.standin.latency > 0:
            await asyncio.sleep(max(0.0, now + self.standin.latency - time.monotonic()))
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))

    def _args(self) -> dict[str, Any]:
        content_type = self.request.headers.get("Content-Type", "")
        if content_type.startswith("application/json") and self.request.body:
            loaded = json.loads(self.request.body)
            return loaded if isinstance(loaded, dict) else {}
        args: dict[str, Any] = {k: v[-1].decode() for k, v in self.request.arguments.items()}
        return args


def _json_arg(value: Any) -> Any:
    """PTB sends object parameters (reply_markup) as JSON strings in a form."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def _callback_data(markup: Any) -> tuple[str, ...]:
    if not isinstance(markup, dict):
        return ()
    rows = markup.get("inline_keyboard") or []
    return tuple(
        str(button["callback_data"])
        for row in rows
        for button in row
        if isinstance(button, dict) and "callback_data" in button
    )


def _chat_number(chat_id: str) -> int | str:
    try:
        return int(chat_id)
    except ValueError:
        return chat_id


async def _serve_until_stdin_closes(config: dict[str, Any]) -> None:
    standin = StandIn(
        per_bot=config["per_bot"],
        per_chat=config["per_chat"],
        slack=config["slack"],
        retry_unit=config["retry_unit"],
        latency=config["latency"],
        blocked=set(config["blocked"]),
    )
    server, url = await standin.start()
    gc.freeze()  # what is loaded by now lives on: keep collections short while measuring
    print(url, flush=True)
    await asyncio.to_thread(sys.stdin.read)  # until the parent closes it
    server.stop()
    records = {
        "accepted": [[a.chat_id, list(a.buttons), a.at] for a in standin.accepted],
        "refused": [list(asdict(r).values()) for r in standin.refused],
        "requests": standin.requests,
    }
    print(json.dumps(records), flush=True)


if __name__ == "__main__":
    asyncio.run(_serve_until_stdin_closes(json.loads(sys.argv[1])))
