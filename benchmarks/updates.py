"""Updates through the real Application: what a user waits for, minus the network.

A stream of updates (half of them onboarding steps of new users, the whole seed script each;
half ``/checkin`` of users already in the database, interleaved at random, each user's own
steps in order) goes through the ``telegram.ext.Application`` that
``bot.telegram_bot.build_application`` makes for production (its handlers, error handler,
JobQueue with the sweep and prune jobs installed), with two changes: the Bot API is answered
in memory (``LocalBotApi``) and its AIORateLimiter paces nothing (``overall_max_rate=0``,
``group_max_rate=0``; it still wraps every call). The job queue is not started, so no sweep
runs during the timing. Updates are fed one after another through ``process_update`` (the
Application handles one update at a time, as in production), each timed from its JSON bytes
to its last reply. Databases: SQLite files of 1,000 and 100,000 onboarded users
(``benchmarks.population``). The anchors (``benchmarks.anchors``) run the same stream in the
same run; each figure is the median of ``RUNS`` runs, after a short warm-up.
"""

from __future__ import annotations

import random
import tempfile
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from pydantic import SecretStr
from telegram.ext import AIORateLimiter

from benchmarks import anchors, population
from benchmarks.local_telegram import TOKEN, Event, LocalBotApi, Timing, UpdateWriter, drive
from benchmarks.report import RUNS, Row, median, percentile
from bot.service import CoachService
from bot.settings import Settings
from bot.telegram_bot import build_application
from conversations.messages import Command, UserInput
from storage.db import Database
from tests.coach_chat import SEED_ONBOARDING, CoachChat, scripted_input

SECTION = "updates"
CLOCK = population.ONBOARDED_AT  # the coach's clock: the day the stored users started
NEWCOMERS = 900_000_000  # chat ids of the users who onboard during the run


@dataclass(frozen=True)
class Scale:
    updates: int
    sizes: tuple[int, ...]  # users in the database
    warmup: int
    runs: int


FULL = Scale(updates=2_000, sizes=(1_000, 100_000), warmup=50, runs=RUNS)
SMALL = Scale(updates=100, sizes=(20, 50), warmup=10, runs=1)


def unpaced_limiter() -> AIORateLimiter:
    """The production limiter with its pacing set to zero (retries as in production)."""
    return AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=3)


def onboarding_inputs() -> list[UserInput]:
    """The seed's onboarding as the inputs a user sends (a tap is the button's data)."""
    chat = CoachChat(now=CLOCK, first_name=population.FIRST_NAME)
    inputs: list[UserInput] = []
    for step in SEED_ONBOARDING:
        inp = scripted_input(step, chat.last)
        chat.send(inp)
        inputs.append(inp)
    return inputs


def stream(updates: int, users: int, seed: int, newcomers_from: int) -> list[Event]:
    """``updates`` events: half onboarding steps of new users, half /checkin of stored users."""
    script = onboarding_inputs()
    newcomers = max(1, updates // 2 // len(script))
    checkins = max(0, updates - newcomers * len(script))
    rng = random.Random(seed)
    steps = {newcomers_from + j: deque(script) for j in range(newcomers)}
    if checkins <= users:
        checking_in = rng.sample(range(1, users + 1), checkins)
    else:
        checking_in = [rng.randint(1, users) for _ in range(checkins)]
    order: list[int] = [chat for chat in steps for _ in script] + [
        -(i + 1) for i in range(checkins)
    ]
    rng.shuffle(order)
    events: list[Event] = []
    for token in order[:updates]:
        if token > 0:
            events.append(Event(token, population.FIRST_NAME, steps[token].popleft()))
        else:
            chat = population.chat_id(checking_in[-token - 1])
            events.append(Event(chat, population.FIRST_NAME, Command("checkin")))
    return events


def settings_for(url: str) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        telegram_bot_token=SecretStr(TOKEN),
        telegram_api_base_url=None,
        webhook_url=None,
        database_url=url,
    )


async def project(
    built: population.Built, folder: Path, payloads: list[bytes], warmup: list[bytes]
) -> tuple[Timing, int]:
    """One run of the coach's Application on a fresh copy of the database; (timing, apologies)."""
    path = population.copy_of(built, folder)
    url = population.url_of(path)
    api = LocalBotApi()
    service = CoachService(Database(url), clock=lambda: CLOCK)
    application = build_application(
        settings_for(url), service, rate_limiter=unpaced_limiter(), request=api
    )
    await application.initialize()
    try:
        assert application.post_init is not None
        await application.post_init(application)  # as run_polling does: migrate, the menu
        await drive(application, warmup)
        before = api.apologies
        timing = await drive(application, payloads, replies=lambda: api.sends)
        return timing, api.apologies - before
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
        path.unlink()


@dataclass
class Figures:
    rate: list[float]
    p50: list[float]  # ms
    p99: list[float]  # ms
    errors: int = 0

    @classmethod
    def empty(cls) -> Figures:
        return cls([], [], [])

    def add(self, timing: Timing, apologies: int = 0) -> None:
        ms = [t * 1e3 for t in timing.latencies]
        self.rate.append(timing.per_second)
        self.p50.append(percentile(ms, 50))
        self.p99.append(percentile(ms, 99))
        self.errors = max(self.errors, timing.errors + apologies + timing.unanswered)


async def measure_size(users: int, scale: Scale, folder: Path) -> list[Row]:
    built = await population.cached(users)
    if built.seconds:
        print(f"updates: built the {users:,}-user database in {built.seconds:.1f} s: {built.path}")
    events = stream(scale.updates, users, seed=users, newcomers_from=NEWCOMERS)
    warm = stream(scale.warmup, users, seed=users + 1, newcomers_from=NEWCOMERS + 100_000)
    coach, plain = UpdateWriter(), UpdateWriter()
    payloads, warmup = [coach.project(e) for e in events], [coach.project(e) for e in warm]
    plain_payloads = [plain.plain(e) for e in events]
    plain_warmup = [plain.plain(e) for e in warm]
    prepared = anchors.prepare(folder / f"anchor-{users}.db", users)
    echo, store, ours = Figures.empty(), Figures.empty(), Figures.empty()
    for _ in range(scale.runs):  # interleaved, so a noisy moment touches all three alike
        echo.add(await anchors.echo(plain_payloads, plain_warmup))
        store.add(await anchors.store(prepared, folder, plain_payloads, plain_warmup))
        ours.add(*await project(built, folder, payloads, warmup))
    prepared.unlink()
    size = f"{users:,} users"
    store_rate, rate = median(store.rate), median(ours.rate)
    p99 = median(ours.p99)
    return [
        Row(SECTION, f"echo anchor, {size}", median(echo.rate), "updates/s"),
        Row(SECTION, f"store anchor, {size}", store_rate, "updates/s"),
        Row(
            SECTION,
            f"project (limiter pacing 0), {size}",
            rate,
            "updates/s",
            anchor=store_rate,
            anchor_name="store anchor",
            target=">= 0.8x store anchor",
            met=rate >= 0.8 * store_rate,
        ),
        Row(
            SECTION,
            f"project p50 latency, {size}",
            median(ours.p50),
            "ms",
            anchor=median(store.p50),
            anchor_name="store anchor p50",
        ),
        Row(
            SECTION,
            f"project p99 latency, {size}",
            p99,
            "ms",
            anchor=median(store.p99),
            anchor_name="store anchor p99",
            target="<= 5 ms",
            met=p99 <= 5.0,
        ),
        Row(
            SECTION,
            f"errors: logged, apologised, unanswered (all three bots), {size}",
            ours.errors + echo.errors + store.errors,
            "count",
            target="0",
            met=ours.errors + echo.errors + store.errors == 0,
        ),
    ]


async def run(small: bool) -> list[Row]:
    scale = SMALL if small else FULL
    script = len(onboarding_inputs())
    newcomers = max(1, scale.updates // 2 // script)
    print(
        f"updates: {scale.updates:,} updates a run ({newcomers} new users onboarding, "
        f"{script} steps each; the rest /checkin of stored users), after {scale.warmup} "
        f"warm-up updates; median of {scale.runs} run(s); one update at a time through "
        "Application.process_update; Bot API answered in memory; the project's "
        "AIORateLimiter built with overall_max_rate=0, group_max_rate=0 (no pacing)"
    )
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-updates-") as tmp:
        for users in scale.sizes:
            rows += await measure_size(users, scale, Path(tmp))
    return rows
