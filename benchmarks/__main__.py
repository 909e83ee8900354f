"""`make bench`: how much a message costs, as ratios measured in one run on this machine.

Timings on a shared machine are noisy, so nothing here is a pass/fail test. We compare
within one run: the pure coach (the floor), the same turns through the service on SQLite
(what a user waits for, minus the network), and memory per onboarded user.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

from bot.service import CoachService, Who
from conversations import coach
from conversations.coach import UserView
from conversations.messages import DialogueState, SaveAnswer
from storage.db import Database
from tests.coach_chat import SEED_ONBOARDING, scripted_input

NOW = datetime(2026, 3, 25, 15, 0, tzinfo=UTC)
SCRIPT = SEED_ONBOARDING


def pure_onboardings(n: int) -> float:
    """Seconds per turn of the coach alone (no storage)."""
    start = time.perf_counter()
    for _ in range(n):
        state, answers, last = DialogueState(), {"onboarding": {}}, None
        for step in SCRIPT:
            turn = coach.handle(scripted_input(step, last), state, UserView("Maya", answers), NOW)
            for effect in turn.effects:
                if isinstance(effect, SaveAnswer):
                    answers.setdefault(effect.flow, {})[effect.key] = effect.value
            state, last = turn.state, turn
    return (time.perf_counter() - start) / (n * len(SCRIPT))


async def service_onboardings(n: int, url: str) -> float:
    """Seconds per turn through the service, one unit of work per message, on a database."""
    service = CoachService(Database(url), clock=lambda: NOW)
    await service.db.migrate()
    start = time.perf_counter()
    for i in range(n):
        who, last = Who("telegram", str(10_000 + i), "Maya"), None
        for step in SCRIPT:
            last = await service.handle(who, scripted_input(step, last))
    elapsed = time.perf_counter() - start
    await service.db.dispose()
    return elapsed / (n * len(SCRIPT))


async def bare_write(n: int, url: str) -> float:
    """Seconds per smallest write transaction on the same database: the floor for a turn."""
    db = Database(url)
    await db.migrate()
    async with db.unit_of_work() as repo:
        user = await repo.users.get_or_create("bench", "floor", None)
    start = time.perf_counter()
    for _ in range(n):
        async with db.unit_of_work() as repo:
            await repo.events.add(user.id, "bench")
    elapsed = time.perf_counter() - start
    await db.dispose()
    return elapsed / n


async def memory_per_user(n: int, url: str) -> float:
    """Peak Python memory while onboarding n users, in KiB per user."""
    tracemalloc.start()
    await service_onboardings(n, url)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024 / n


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pure = pure_onboardings(200)
        floor = asyncio.run(bare_write(500, f"sqlite:///{Path(tmp) / 'floor.db'}"))
        sqlite = asyncio.run(service_onboardings(40, f"sqlite:///{Path(tmp) / 'bench.db'}"))
        kib = asyncio.run(memory_per_user(20, f"sqlite:///{Path(tmp) / 'mem.db'}"))
    print(f"turns in one onboarding: {len(SCRIPT)}")
    print(f"pure coach:              {pure * 1e3:8.3f} ms per turn")
    print(f"one-row write (floor):   {floor * 1e3:8.3f} ms per transaction")
    print(f"service turn on SQLite:  {sqlite * 1e3:8.3f} ms per turn")
    # A turn reads the user, their state and answers, then writes: a few statements in one
    # transaction. Target: no more than 4x the cheapest write transaction on the same file.
    ratio, target = sqlite / floor, 4.0
    verdict = "within" if ratio <= target else "OVER"
    print(f"turn / floor: {ratio:.1f}x ({verdict} the {target:.0f}x target)")
    print(f"coach share of a turn: {pure / sqlite:.1%}")
    print(f"peak Python memory while onboarding: {kib:.0f} KiB per user (target: under 64)")


if __name__ == "__main__":
    main()
