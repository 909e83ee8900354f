"""Telegram without the network, for the benchmarks: a Bot API answered in memory, updates as
the Bot API would deliver them, and a driver that times each update end to end.

``LocalBotApi`` is a ``telegram.request.BaseRequest``: python-telegram-bot builds and encodes
every request as it would for HTTP (``json_parameters``, the same work as its HTTPX layer),
and gets a canned Bot API answer back at once. Nothing is logged or kept of what is sent,
only counts.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

from conversations.messages import Command, Press, Text, UserInput
from conversations.texts import SORRY_ERROR

TOKEN = "123456:benchmark-token-answered-locally"
BOT_ID = 123456
_BOT = {"id": BOT_ID, "is_bot": True, "first_name": "Bench", "username": "bench_bot"}
_ME = {**_BOT, "can_join_groups": False, "can_read_all_group_messages": False}
# Methods whose answer is a Message; every other method answers True.
_MESSAGE_METHODS = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "editMessageText",
        "editMessageReplyMarkup",
        "editMessageCaption",
    }
)
_DATE = 1_774_450_800  # 2026-03-25 15:00 UTC


class LocalBotApi(BaseRequest):
    """A Bot API server in memory: canned answers, counts of calls, no network."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.apologies = 0  # texts.SORRY_ERROR sent: an update that failed inside
        self._message_id = 0

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def sends(self) -> int:
        """Messages sent or edited (what a user sees), answers to button presses excluded."""
        return sum(n for method, n in self.calls.items() if method in _MESSAGE_METHODS)

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        self.calls[name] += 1
        # What PTB's HTTPX layer encodes for the wire, so that cost stays in the figures.
        params = request_data.json_parameters if request_data is not None else {}
        result: Any = True
        if name == "getMe":
            result = _ME
        elif name in _MESSAGE_METHODS:
            if params.get("text") == SORRY_ERROR:
                self.apologies += 1
            self._message_id += 1
            chat = int(params.get("chat_id", "0") or 0)
            result = {
                "message_id": self._message_id,
                "date": _DATE,
                "chat": {"id": chat, "type": "private"},
                "from": _BOT,
            }
        return 200, json.dumps({"ok": True, "result": result}).encode()


# ---------------------------------------------------------------- updates


@dataclass(frozen=True)
class Event:
    """One thing a user does, before it is written as a Telegram update."""

    chat_id: int
    first_name: str
    inp: UserInput


class UpdateWriter:
    """Writes events as the JSON bodies the Bot API delivers (numbered in order)."""

    def __init__(self, first_id: int = 1) -> None:
        self._next = first_id

    def _id(self) -> int:
        self._next += 1
        return self._next

    def _message(self, event: Event, text: str) -> dict[str, Any]:
        person = {"id": event.chat_id, "first_name": event.first_name}
        message: dict[str, Any] = {
            "message_id": self._id(),
            "date": _DATE,
            "chat": {**person, "type": "private"},
            "from": {**person, "is_bot": False},
            "text": text,
        }
        if text.startswith("/"):
            length = len(text.split(" ", 1)[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return message

    def project(self, event: Event) -> bytes:
        """The update the coach gets: a command, a text, or a press on one of its buttons."""
        inp = event.inp
        if isinstance(inp, Press):
            person = {"id": event.chat_id, "first_name": event.first_name}
            shown = {
                "message_id": self._id(),
                "date": _DATE,
                "chat": {**person, "type": "private"},
                "from": _BOT,
                "text": "…",
            }
            body: dict[str, Any] = {
                "callback_query": {
                    "id": str(self._id()),
                    "from": {**person, "is_bot": False},
                    "chat_instance": str(event.chat_id),
                    "data": inp.data,
                    "message": shown,
                }
            }
        else:
            body = {"message": self._message(event, _text_of(inp))}
        return json.dumps({"update_id": self._id(), **body}).encode()

    def plain(self, event: Event) -> bytes:
        """The same event as a plain message (the anchors have one MessageHandler): a press
        becomes a message carrying the button's data."""
        inp = event.inp
        text = inp.data if isinstance(inp, Press) else _text_of(inp)
        return json.dumps({"update_id": self._id(), "message": self._message(event, text)}).encode()


def _text_of(inp: UserInput) -> str:
    if isinstance(inp, Command):
        return f"/{inp.name}" + (f" {inp.args}" if inp.args else "")
    if isinstance(inp, Text):
        return inp.text
    raise TypeError(f"no update written for {type(inp).__name__}")


# ---------------------------------------------------------------- driving


@dataclass(frozen=True)
class Timing:
    latencies: list[float]  # seconds, one per update
    elapsed: float  # seconds for the whole stream
    errors: int  # records logged at ERROR or above while it ran
    unanswered: int = 0  # updates after which no message was sent or edited

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0


class _CountErrors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@contextmanager
def counting_errors() -> Iterator[_CountErrors]:
    """Counts what is logged at ERROR or above (a handler's exception, PTB's own errors)."""
    handler = _CountErrors()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


async def drive(
    application: Application,
    payloads: Sequence[bytes],
    replies: Callable[[], int] | None = None,
) -> Timing:
    """Feed each update body to the application, one after another, as the webhook would:
    each latency runs from the bytes to the last reply handed to the Bot API. ``replies``
    (messages sent so far) lets updates that got no answer be counted."""
    latencies: list[float] = []
    unanswered = 0
    bot = application.bot
    with counting_errors() as errors:
        start = time.perf_counter()
        for raw in payloads:
            before = replies() if replies is not None else 0
            began = time.perf_counter()
            await application.process_update(Update.de_json(json.loads(raw), bot))
            latencies.append(time.perf_counter() - began)
            if replies is not None and replies() == before:
                unanswered += 1
        elapsed = time.perf_counter() - start
    return Timing(latencies, elapsed, errors.count, unanswered)
