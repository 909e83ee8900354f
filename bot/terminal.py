"""The same coach in a terminal: one line is one message, buttons become numbered choices.

Type the number or the label of a choice; a line starting with "/" is a command. Files the
coach sends are written to the outbox folder and their paths printed. Piped input works:
each line is a message, and the end of input ends the session.
"""

from __future__ import annotations

import asyncio
import getpass
import sys
from pathlib import Path
from typing import TextIO

from bot.service import CoachService, Who
from conversations.messages import Button, Command, Press, Text, Turn, UserInput, button_number


def to_input(line: str, buttons: list[Button]) -> UserInput:
    stripped = line.strip()
    if stripped.startswith("/") and len(stripped) > 1:
        head, _, args = stripped[1:].partition(" ")
        return Command(head.split("@")[0].lower(), args.strip())
    # A label first: on a "how many?" question with buttons 0-5, typing 4 means four.
    for button in buttons:
        if stripped.lower() == button.label.lower():
            return Press(button.data)
    number = button_number(stripped)
    if number is not None and 1 <= number <= len(buttons):
        return Press(buttons[number - 1].data)
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
                for n, button in enumerate(shown, 1):
                    self.print(f"  {n}) {button.label}")
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


async def run_terminal(service: CoachService, outbox: Path, stdin: TextIO = sys.stdin) -> None:
    chat = TerminalChat(service, outbox, sys.stdout)
    interactive = stdin.isatty()
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
