"""Running the real bot, unchanged, as a process against the local Bot API emulator."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.emulator_client import BotMessage, Chat, Emulator, skip_reason

ROOT = Path(__file__).resolve().parents[1]


def require_emulator() -> None:
    reason = skip_reason()
    if reason is None:
        return
    if os.environ.get("REQUIRE_E2E") == "1":
        pytest.fail(f"end-to-end tests are required here but {reason}")
    pytest.skip(f"end-to-end tests skipped: {reason}")


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    require_emulator()
    emu = Emulator().start()
    try:
        yield emu
    finally:
        emu.stop()


class BotProcess:
    """``python -m bot telegram`` pointed at the emulator, with its logs kept for inspection."""

    def __init__(self, emulator: Emulator, workdir: Path, **env: str) -> None:
        self.emulator = emulator
        self.workdir = workdir
        self.log = workdir / "bot.log"
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"},
            "TELEGRAM_BOT_TOKEN": emulator.token,
            "TELEGRAM_API_BASE_URL": emulator.base_url,
            "DATABASE_URL": f"sqlite:///{workdir / 'coach.db'}",
            "POLL_TIMEOUT": "2",
            "LOG_LEVEL": "DEBUG",  # the most talkative level must still not leak anything
            "PYTHONPATH": str(ROOT),
            **env,
        }
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> BotProcess:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot", "telegram"],
                cwd=self.workdir,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return self

    def kill_hard(self) -> None:
        """kill -9: no shutdown hooks, nothing flushed on the way out."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)

    def logs(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@pytest.fixture
def bot(emulator: Emulator, tmp_path: Path) -> Iterator[BotProcess]:
    process = BotProcess(emulator, tmp_path).start()
    try:
        yield process
    finally:
        process.stop()


def replies(chat: Chat, count: int = 1, timeout: float = 30.0) -> list[BotMessage]:
    """Wait for ``count`` bot messages sent after the user's latest message or press."""
    baseline = chat._baseline
    messages = chat.wait_for_sync(baseline + count, timeout)
    return messages[baseline:]


def button(message: BotMessage, label: str) -> str:
    for row in message.buttons:
        for text, data in row:
            if text == label and data is not None:
                return data
    raise AssertionError(f"no {label!r} button in {message.buttons}")


def onboard_directly(workdir: Path, chat_id: int) -> None:
    """Put the seed's onboarded user in the bot's database, through the real service.

    End-to-end tests of later steps start from here instead of tapping through twenty-five
    onboarding questions over HTTP (the onboarding itself has its own end-to-end test).
    """
    import asyncio
    from datetime import UTC, datetime

    from bot.service import CoachService, Who
    from storage.db import Database
    from tests.coach_chat import SEED_ONBOARDING, scripted_input

    async def run() -> None:
        clock = datetime(2026, 3, 25, 15, 0, tzinfo=UTC)
        service = CoachService(Database(f"sqlite:///{workdir / 'coach.db'}"), clock=lambda: clock)
        await service.db.migrate()
        who, last = Who("telegram", str(chat_id), "Maya"), None
        try:
            for step in SEED_ONBOARDING:
                last = await service.handle(who, scripted_input(step, last))
        finally:
            await service.db.dispose()

    asyncio.run(run())
