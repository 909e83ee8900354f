"""Python side of the local Telegram Bot API emulator (``tests/emulator/launcher.js``).

The emulator is a Node process serving the Bot API under ``http://127.0.0.1:PORT/bot<token>/``
(the bot under test talks to it through PTB's ``base_url``) plus a user-side API used here to play
the human: send texts and commands, press inline buttons, and read back what the bot sent.

Typical use in an async test (the bot runs in the same event loop, hence ``await wait_for``)::

    emu = Emulator().start()
    bot = telegram.Bot(emu.token, base_url=emu.base_url)
    chat = emu.chat(1001)
    chat.send_command("/start")
    [reply] = await chat.wait_for_new()
    chat.press(reply.buttons[0][0][1])
    ...
    emu.stop()
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import contextlib
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx

EMULATOR_DIR = Path(__file__).resolve().parent / "emulator"
LAUNCHER = EMULATOR_DIR / "launcher.js"
PACKAGE_DIR = EMULATOR_DIR / "node_modules" / "telegram-test-api"
# "<bot id>:<secret>" like a real token: PTB checks getMe's id against the prefix.
DEFAULT_TOKEN = "424242:EMULATOR-TEST-TOKEN"

Predicate = Callable[[list["BotMessage"]], Any]


def node_available() -> bool:
    """True when a ``node`` executable is on PATH."""
    return shutil.which("node") is not None


def emulator_installed() -> bool:
    """True when ``npm install`` has been run in tests/emulator."""
    return LAUNCHER.is_file() and (PACKAGE_DIR / "package.json").is_file()


def skip_reason() -> str | None:
    """Why emulator tests cannot run here, or None when they can."""
    if not node_available():
        return "node is not installed (needed for the Telegram Bot API emulator)"
    if not emulator_installed():
        return f"emulator packages missing: run `npm ci` (or `npm install`) in {EMULATOR_DIR}"
    return None


def _backoff(timeout: float) -> Iterator[float]:
    """Pauses between polls, growing from 20 ms to 250 ms, until ``timeout`` has passed."""
    deadline = time.monotonic() + timeout
    delay = 0.02
    while time.monotonic() <= deadline:
        yield delay
        delay = min(delay * 1.5, 0.25)


class EmulatorError(RuntimeError):
    """The emulator could not start, or a user-side request was refused."""


@dataclass
class BotMessage:
    """One message the bot sent to a chat, in its current (possibly edited) state."""

    message_id: int
    kind: str  # "text" | "document" | "photo"
    text: str | None  # text, or the caption of a document/photo (HTML tags already stripped)
    raw_text: str | None  # exactly what the bot sent (with HTML tags, if any)
    parse_mode: str | None
    buttons: list[list[tuple[str, str | None]]]  # inline keyboard rows of (text, callback_data)
    keyboard: list[list[str]]  # reply keyboard rows (button texts), if one was sent
    edits: list[dict[str, Any]]  # each edit: method, date, text, caption, reply_markup, raw_text
    deleted: bool
    file_name: str | None = None
    mime_type: str | None = None
    content: bytes | None = None  # uploaded bytes (None when sent by file_id/URL)
    raw: dict[str, Any] = field(default_factory=dict)  # the Telegram Message as JSON

    @property
    def edited(self) -> bool:
        return bool(self.edits)

    @property
    def callback_data(self) -> list[str]:
        """All callback_data values of the inline keyboard, flattened."""
        return [data for row in self.buttons for _, data in row if data is not None]

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> BotMessage:
        msg = record["message"]
        inline = (msg.get("reply_markup") or {}).get("inline_keyboard") or []
        sent = record.get("sent_reply_markup") or {}
        reply_rows = sent.get("keyboard") or []
        file = record.get("file") or {}
        data = file.get("data_base64")
        return cls(
            message_id=record["message_id"],
            kind=record["kind"],
            text=msg.get("text", msg.get("caption")),
            raw_text=record.get("raw_text"),
            parse_mode=record.get("parse_mode"),
            buttons=[[(b["text"], b.get("callback_data")) for b in row] for row in inline],
            keyboard=[[b if isinstance(b, str) else b["text"] for b in row] for row in reply_rows],
            edits=list(record.get("edits") or []),
            deleted=bool(record.get("deleted")),
            file_name=file.get("file_name"),
            mime_type=file.get("mime_type"),
            content=base64.b64decode(data) if data is not None else None,
            raw=msg,
        )


class Emulator:
    """Starts, stops and queries one emulator process."""

    def __init__(self, token: str = DEFAULT_TOKEN, *, startup_timeout: float = 30.0) -> None:
        self.token = token
        self.startup_timeout = startup_timeout
        self._proc: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._port: int | None = None
        self._http: httpx.Client | None = None

    # ---- process ---------------------------------------------------------------------
    def start(self, port: int | None = None) -> Emulator:
        """Spawn the launcher (on ``port``, or a free one) and wait until it listens."""
        if self._proc is not None:
            raise EmulatorError("emulator already started")
        reason = skip_reason()
        if reason:
            raise EmulatorError(reason)
        self._stderr = tempfile.TemporaryFile()
        env = {**os.environ, "EMULATOR_PORT": str(port or 0), "EMULATOR_WATCH_STDIN": "1"}
        # stdin stays an open pipe: if this Python process dies, the launcher sees EOF and exits.
        self._proc = subprocess.Popen(
            ["node", str(LAUNCHER)],
            cwd=EMULATOR_DIR,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        ready = threading.Event()

        def read_stdout() -> None:  # keeps draining so the pipe never fills up
            assert self._proc is not None and self._proc.stdout is not None
            for line in self._proc.stdout:
                words = line.decode(errors="replace").split()
                if len(words) == 2 and words[0] == "READY":
                    self._port = int(words[1])
                    ready.set()

        threading.Thread(target=read_stdout, name="emulator-stdout", daemon=True).start()
        deadline = time.monotonic() + self.startup_timeout
        while not ready.wait(0.05):
            if self._proc.poll() is not None or time.monotonic() > deadline:
                why = "exited" if self._proc.poll() is not None else "did not report READY in time"
                log = self.stderr_text()
                self.stop()
                raise EmulatorError(f"emulator {why}; its stderr:\n{log}")
        self._http = httpx.Client(base_url=self.root_url, timeout=30.0)
        atexit.register(self.stop)
        return self

    def stop(self) -> None:
        """Terminate the launcher (SIGTERM, then SIGKILL) and release everything."""
        if self._http is not None:
            self._http.close()
            self._http = None
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(10)
            for pipe in (proc.stdin, proc.stdout):
                if pipe is not None:
                    with contextlib.suppress(OSError):
                        pipe.close()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        self._port = None

    def __enter__(self) -> Emulator:
        return self.start() if self._proc is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stderr_text(self) -> str:
        """What the launcher wrote to stderr so far (unsupported methods, crashes)."""
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")

    @property
    def port(self) -> int:
        if self._port is None:
            raise EmulatorError("emulator not started")
        return self._port

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """For ``telegram.Bot(token, base_url=...)`` / ``ApplicationBuilder().base_url(...)``."""
        return f"{self.root_url}/bot"

    # ---- raw requests ----------------------------------------------------------------
    def request(self, path: str, payload: dict[str, Any] | None = None) -> Any:
        """POST JSON to a user-side or /test route; return ``result`` or raise EmulatorError."""
        if self._http is None:
            raise EmulatorError("emulator not started")
        response = self._http.post(path, json=payload or {})
        body = response.json()
        if not body.get("ok"):
            raise EmulatorError(f"{path}: {body.get('description') or body}")
        return body["result"]

    # ---- user side and inspection ----------------------------------------------------
    def chat(
        self,
        chat_id: int = 1001,
        *,
        user_id: int | None = None,
        first_name: str = "Test",
        username: str | None = "tester",
        language_code: str | None = "en",
    ) -> Chat:
        """A private chat between one user and the bot (user id defaults to the chat id)."""
        return Chat(self, chat_id, user_id or chat_id, first_name, username, language_code)

    def bot_messages(self, chat_id: int | None = None) -> list[BotMessage]:
        """Everything the bot sent (to one chat, or to all), in order."""
        payload: dict[str, Any] = {"token": self.token}
        if chat_id is not None:
            payload["chatId"] = chat_id
        return [BotMessage.from_json(r) for r in self.request("/test/botMessages", payload)]

    def commands(self, scope: str = "default", language_code: str = "") -> list[tuple[str, str]]:
        """The (command, description) pairs the bot registered with setMyCommands."""
        for entry in self.request("/test/commands", {"token": self.token}):
            if entry["scope"].get("type") == scope and entry["language_code"] == language_code:
                return [(c["command"], c["description"]) for c in entry["commands"]]
        return []

    def calls(self, method: str | None = None) -> list[dict[str, Any]]:
        """Log of bot API calls (except getUpdates): method, params, files, time."""
        payload: dict[str, Any] = {"token": self.token}
        if method:
            payload["method"] = method
        return list(self.request("/test/calls", payload))

    def callback_answers(self, callback_query_id: str) -> list[dict[str, Any]] | None:
        """answerCallbackQuery calls for one press (None if the id is unknown)."""
        result = self.request("/test/callbackAnswers", {"id": callback_query_id})
        return None if result is None else list(result)

    def fail_next(
        self,
        method: str,
        status: int = 500,
        *,
        description: str | None = None,
        retry_after: int | None = None,
        chat_id: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of a bot method fail with ``status``.

        429 carries ``parameters.retry_after`` (PTB raises RetryAfter); 403 is "bot was blocked
        by the user" (Forbidden); status 0 drops the connection (PTB raises NetworkError).
        """
        payload: dict[str, Any] = {"method": method, "status": status, "times": times}
        for key, value in (
            ("description", description),
            ("retry_after", retry_after),
            ("chatId", chat_id),
        ):
            if value is not None:
                payload[key] = value
        self.request("/test/failNext", payload)

    def webhook(self) -> dict[str, Any] | None:
        """The webhook the bot registered (url, has_secret, deliveries), or None."""
        result = self.request("/test/webhook", {"token": self.token})
        return None if result is None else dict(result)

    def block(self, chat_id: int, blocked: bool = True) -> None:
        """While blocked, every bot call aimed at this chat answers 403 Forbidden."""
        self.request("/test/block", {"chatId": chat_id, "blocked": blocked})

    def reset(self) -> None:
        """Forget all messages, commands, injected failures and blocks (ids keep growing)."""
        self.request("/test/reset")


class Chat:
    """One user talking to the bot in a private chat."""

    def __init__(
        self,
        emulator: Emulator,
        chat_id: int,
        user_id: int,
        first_name: str,
        username: str | None,
        language_code: str | None,
    ) -> None:
        self.emulator = emulator
        self.chat_id = chat_id
        self.user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            self.user["username"] = username
        if language_code:
            self.user["language_code"] = language_code
        self._baseline = 0  # bot message count at the last user action, for wait_for_new

    def _chat(self) -> dict[str, Any]:
        chat: dict[str, Any] = {
            "id": self.chat_id,
            "type": "private",
            "first_name": self.user["first_name"],
        }
        if "username" in self.user:
            chat["username"] = self.user["username"]
        return chat

    def _send(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        self._baseline = len(self.bot_messages())
        body = {"botToken": self.emulator.token, "from": self.user, "chat": self._chat(), **payload}
        return dict(self.emulator.request(path, body))

    def send_text(self, text: str) -> int:
        """The user types a message; returns its message_id. Leading /commands get an entity."""
        return int(self._send("/sendMessage", {"text": text})["message_id"])

    def send_command(self, command: str) -> int:
        """E.g. ``send_command("/start")`` or ``send_command("/goal 250")``."""
        if not command.startswith("/"):
            command = "/" + command
        return int(self._send("/sendCommand", {"text": command})["message_id"])

    def send_voice(self, duration: int) -> int:
        """The user sends a voice note of ``duration`` seconds; returns its message_id."""
        return int(self._send("/sendVoice", {"duration": duration})["message_id"])

    def send_document(
        self, file_name: str, content: bytes, mime_type: str, caption: str | None = None
    ) -> int:
        """The user sends a file (a spreadsheet, a .docx...); returns its message_id. The bot
        downloads it through getFile, as from Telegram."""
        payload: dict[str, Any] = {
            "file_name": file_name,
            "mime_type": mime_type,
            "content_base64": base64.b64encode(content).decode(),
        }
        if caption is not None:
            payload["caption"] = caption
        return int(self._send("/sendDocument", payload)["message_id"])

    def press(self, callback_data: str, message_id: int | None = None) -> str:
        """Press an inline button; returns the callback query id.

        Without ``message_id`` the press goes to the latest bot message carrying a button with
        this callback_data (an error if there is none). With it, the press is sent as is, even
        if that message no longer shows the button (a stale keyboard).
        """
        payload: dict[str, Any] = {"data": callback_data}
        if message_id is not None:
            payload["message_id"] = message_id
        return str(self._send("/sendCallback", payload)["callback_query_id"])

    def bot_messages(self) -> list[BotMessage]:
        """Everything the bot sent to this chat, in order, in its current state."""
        return self.emulator.bot_messages(self.chat_id)

    def last(self) -> BotMessage | None:
        messages = self.bot_messages()
        return messages[-1] if messages else None

    def _check(self, condition: int | Predicate) -> tuple[bool, list[BotMessage]]:
        messages = self.bot_messages()
        if isinstance(condition, int):
            return len(messages) >= condition, messages
        return bool(condition(messages)), messages

    def _timeout_error(self, condition: object, timeout: float) -> AssertionError:
        dump = "\n".join(
            f"  #{m.message_id} {m.kind}: {m.text!r} buttons={m.buttons} edits={len(m.edits)}"
            for m in self.bot_messages()
        )
        return AssertionError(
            f"chat {self.chat_id}: {condition!r} not met within {timeout}s; bot messages:\n"
            f"{dump or '  (none)'}\nemulator stderr:\n{self.emulator.stderr_text()[-2000:]}"
        )

    async def wait_for(self, condition: int | Predicate, timeout: float = 20.0) -> list[BotMessage]:
        """Wait until the chat holds ``condition`` messages (an int) or ``condition(messages)``
        is truthy; returns the messages. Polls briefly, yielding to the event loop so a bot
        running in the same loop keeps working. Raises AssertionError on timeout."""
        for delay in _backoff(timeout):
            ok, messages = self._check(condition)
            if ok:
                return messages
            await asyncio.sleep(delay)
        raise self._timeout_error(condition, timeout)

    def wait_for_sync(self, condition: int | Predicate, timeout: float = 20.0) -> list[BotMessage]:
        """Blocking variant of :meth:`wait_for`, for a bot running in another process/thread."""
        for delay in _backoff(timeout):
            ok, messages = self._check(condition)
            if ok:
                return messages
            time.sleep(delay)
        raise self._timeout_error(condition, timeout)

    async def wait_for_new(self, count: int = 1, timeout: float = 20.0) -> Sequence[BotMessage]:
        """Wait for ``count`` messages sent after the last send_text/send_command/press and
        return just those."""
        baseline = self._baseline
        messages = await self.wait_for(baseline + count, timeout)
        return messages[baseline:]
