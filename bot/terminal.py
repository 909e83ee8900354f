"""The same coach in a terminal: one line is one message, buttons become lettered choices.

Type the letter or the label of a choice (a number typed is always that number); a line
starting with "/" is a command. Files the
coach sends are written to the outbox folder and their paths printed. Piped input works:
each line is a message, and the end of input ends the session.
"""

from __future__ import annotations

import asyncio
import getpass
import re
import string
import sys
from pathlib import Path
from typing import TextIO

from bot.service import CoachService, Who
from bot.webapp import WebApp, local_app, serve_locally, terminal_key, terminal_link
from conversations.messages import Button, Command, Press, Text, Turn, UserInput

LETTERS = string.ascii_lowercase
_LETTER_RE = re.compile(r"\(?([a-z])[).]?", re.IGNORECASE)


def to_input(line: str, buttons: list[Button]) -> UserInput:
    """One typed line as the coach's input: a command, a button by its letter, or text.

    Buttons are lettered (a, b, c...) rather than numbered, so a number typed is always that
    number: 5 on "hours today?" is five hours, never the fifth button. A label typed goes to
    the coach as text, which reads it as that button (``catalog.heard``).
    """
    stripped = line.strip()
    if stripped.startswith("/") and len(stripped) > 1:
        head, _, args = stripped[1:].partition(" ")
        return Command(head.split("@")[0].lower(), args.strip())
    letter = _LETTER_RE.fullmatch(stripped)
    if letter is not None:
        index = LETTERS.index(letter[1].lower())
        if index < len(buttons):
            return Press(buttons[index].data)
    return Text(line)


class TerminalChat:
    def __init__(self, service: CoachService, outbox: Path, out: TextIO) -> None:
        self.service = service
        self.outbox = outbox
        self.out = out
        self.buttons: list[Button] = []
        self.who = Who("terminal", _local_user())

    async def say(self, line: str) -> None:
        turn = await self.service.handle(self.who, to_input(line, self.buttons))
        self.render(turn)

    def render(self, turn: Turn) -> None:
        if turn.toast:
            self.print(f"  ({turn.toast})")
        shown: list[Button] = []
        for reply in turn.replies:
            if reply.text:
                self.print(reply.text)
            for kind, attachment in (("file", reply.document), ("picture", reply.photo)):
                if attachment is not None:
                    path = self.save(attachment.filename, attachment.content)
                    self.print(f"[{kind}] {attachment.caption or attachment.filename} -> {path}")
            if reply.buttons:
                shown = [b for row in reply.buttons for b in row]
                for n, button in enumerate(shown):
                    # Past z (no screen has that many), a button is typed by its label.
                    self.print(f"  {LETTERS[n] if n < len(LETTERS) else '-'}) {button.label}")
            self.print("")
        if turn.replies:
            self.buttons = shown

    def save(self, filename: str, content: bytes) -> Path:
        self.outbox.mkdir(parents=True, exist_ok=True)
        path = self.outbox / filename
        stem, suffix, n = path.stem, path.suffix, 1
        while path.exists():
            n += 1
            path = self.outbox / f"{stem}-{n}{suffix}"
        path.write_bytes(content)
        return path.resolve()

    def print(self, text: str) -> None:
        print(text, file=self.out, flush=True)


def _local_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers; one local user is enough
        return "local"


async def run_terminal(
    service: CoachService,
    outbox: Path,
    stdin: TextIO = sys.stdin,
    page: tuple[str, int] | None = None,
) -> None:
    """The chat in this terminal; with ``page`` (host, port), the Mini App's page is served
    there too, for a browser, at a link signed for this terminal's user (valid a day)."""
    chat = TerminalChat(service, outbox, sys.stdout)
    interactive = stdin.isatty()
    served = None
    if page is not None:
        key = terminal_key()
        served = await serve_locally(local_app(WebApp(service, key, "terminal")), *page)
        if served is not None:
            base = f"http://{page[0]}:{served.port}/"
            link = terminal_link(base, chat.who.external_id, None, key)
            chat.print(f"Your program list and plan in a browser: {link}\n")
    try:
        if interactive:
            chat.print("Rematch Coach in your terminal. Ctrl-D leaves; your answers are kept.\n")
            await chat.say("/start")
        while True:
            if interactive:
                print("> ", end="", flush=True)
            line = await asyncio.to_thread(stdin.readline)
            if not line:
                break
            await chat.say(line.rstrip("\n"))
    finally:
        if served is not None:
            await served.stop()
