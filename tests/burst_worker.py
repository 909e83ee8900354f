"""One replica of the bot for ``tests/test_user_lock.py``: its own process, database and
service, sending one message of a user's burst per trial at the same moment as its twin.

    python -m tests.burst_worker URL BARRIER_DIR ROLE TEXT USER [USER ...]

The worker starts (imports, connects) while the test prepares the users, and begins when
``BARRIER_DIR/go`` appears. For each user (one trial each) it writes ``BARRIER_DIR/ready-<trial>-<ROLE>``, waits
for the twin's file (a bounded wait), then sends TEXT as that user and prints one JSON line
with the reply. Nothing here decides what is right; the test does.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.service import CoachService, Who
from conversations.messages import Text
from storage.db import Database

NOW = datetime(2026, 3, 25, 15, 0, tzinfo=UTC)
WAIT_SECONDS = 30.0


def _wait_for(path: Path) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not path.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {path.name}")
        time.sleep(0.0002)  # a busy-ish wait: both twins must leave it at the same moment


async def main(url: str, barrier: Path, role: str, words: str, users: list[str]) -> None:
    db = Database(url)
    service = CoachService(db, clock=lambda: NOW)
    try:
        async with db.unit_of_work() as repo:  # open a pooled connection before the race
            await repo.users.find("telegram", "warm-up")
        twin = "b" if role == "a" else "a"
        _wait_for(barrier / "go")
        for trial, external_id in enumerate(users):
            (barrier / f"ready-{trial}-{role}").touch()
            _wait_for(barrier / f"ready-{trial}-{twin}")
            turn = await service.handle(Who("telegram", external_id, "Maya"), Text(words))
            line = {"trial": trial, "replies": [r.text for r in turn.replies], "toast": turn.toast}
            print(json.dumps(line), flush=True)
    finally:
        await db.dispose()


if __name__ == "__main__":
    url, barrier, role, words, *users = sys.argv[1:]
    asyncio.run(main(url, Path(barrier), role, words, users))
