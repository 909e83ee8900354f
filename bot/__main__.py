"""Command line: ``python -m bot [run|telegram|terminal|migrate]``.

``run`` (the default) starts the bot on Telegram when TELEGRAM_BOT_TOKEN is set, and the
same coach in this terminal when it is not.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.logs import setup_logging
from bot.service import CoachService
from bot.settings import Settings
from conversations.coach import CoachConfig
from storage.db import Database

NO_TOKEN = (
    "No TELEGRAM_BOT_TOKEN set: talk to @BotFather on Telegram (/newbot) to get one, put it in "
    ".env as TELEGRAM_BOT_TOKEN=..., and run again. Meanwhile, here is the same coach in "
    "your terminal."
)


def make_service(settings: Settings, *, webapp: bool | None = None) -> CoachService:
    """The coach as configured; ``webapp`` says whether its replies may offer buttons that
    open the Mini App (by default: when WEBAPP_URL is set)."""
    config = CoachConfig(
        crisis_lines=settings.crisis_lines,
        max_text_chars=settings.max_message_chars,
        care_quiet_days=settings.care_repeat_days,
        practice_target=settings.practice_target,
        webapp=bool(settings.webapp_url) if webapp is None else webapp,
    )
    return CoachService(Database(settings.database_url), config)


async def _terminal(settings: Settings) -> None:
    from bot.terminal import run_terminal

    # The terminal has no Telegram to open the page: it prints a local link instead.
    service = make_service(settings, webapp=False)
    try:
        await service.db.migrate()
        await run_terminal(
            service,
            settings.terminal_outbox,
            page=(settings.webapp_listen, settings.webapp_port),
        )
    finally:
        await service.db.dispose()


async def _migrate(settings: Settings) -> None:
    db = Database(settings.database_url)
    try:
        await db.migrate()
    finally:
        await db.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="rematch-coach", description=__doc__)
    parser.add_argument(
        "mode", nargs="?", default="run", choices=["run", "telegram", "terminal", "migrate"]
    )
    mode = parser.parse_args(argv).mode
    settings = Settings()
    secrets = [settings.token or ""]
    if settings.webhook_secret is not None:
        secrets.append(settings.webhook_secret.get_secret_value())
    # In the terminal, only warnings reach the screen so the chat stays readable.
    terminal = mode == "terminal" or (mode == "run" and settings.token is None)
    setup_logging("WARNING" if terminal else settings.log_level, secrets)
    if mode == "migrate":
        asyncio.run(_migrate(settings))
        return 0
    if terminal:
        if mode == "run":
            print(NO_TOKEN, file=sys.stderr)
        asyncio.run(_terminal(settings))
        return 0
    if settings.token is None:
        print("TELEGRAM_BOT_TOKEN is not set.", file=sys.stderr)
        return 2
    from bot.telegram_bot import run_telegram

    run_telegram(settings, make_service(settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
