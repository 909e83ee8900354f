"""Benchmark 3, delivery: the real sweep against a stand-in Bot API that keeps Telegram's
limits (``benchmarks.standin``), beside a naive sender (what the sweep did before issue 10).

The morning rush: 3,000 reminders due for 2,000 chats on a SQLite file, a quarter of the
users (500) with three due at the same moment, 2% of the users having blocked the bot.
Reminders fall due on whole minutes over the last ten (as daily check-ins at 08:00 do),
and were created over time, so one user's three are not neighbours in the due order.

The sweep is the real one: ``NudgeSweeper`` with ``TelegramSender`` over the PTB ``ExtBot``
that ``bot.telegram_bot.build_application`` builds for it, pointed at the stand-in, at the
project's ``NUDGE_SENDS_PER_SECOND``. The stand-in answers in 100 ms (a round trip to
Telegram), at most about 30 messages a second in all and one a second per chat, 429 over
either, 403 for the blocked. It records every message it accepted, so the bench counts
what was lost (due, not blocked, never accepted) and what was sent twice.

The anchor sends each due reminder one at a time in due order and waits for each, sleeping
through a 429 as Telegram asks. It takes minutes at full scale, so it runs on a slice of
the same shape (150 reminders for 100 chats) and its time for all is extrapolated.

``small`` (``make test``): 60 reminders for 40 chats, everything ten times faster (limits,
the sweep's pace, the latency, retry_after in tenths of a second).

    python -m benchmarks.delivery [--small]
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import select
from telegram import Bot

from benchmarks.report import RUNS, Row, median, table
from benchmarks.standin import StandIn
from bot.nudges import (
    Blocked,
    NudgeSweeper,
    RetryAfter,
    SendError,
    SweepReport,
    TelegramSender,
    utc_now,
)
from bot.service import CoachService
from bot.settings import Settings
from bot.telegram_bot import build_application
from conversations import catalog
from conversations.features.reminders import NUDGE_PREFIX, with_nudge_buttons
from storage.db import Database
from storage.models import Nudge, User

SECTION = "delivery"
TOKEN = "123456789:stand-in-token-not-a-secret"
KIND = "pm_meeting_before"
# No quiet hours (start == end): the bench runs at any hour of the day.
PAYLOAD = {"source": "dean", "meeting": "2026-04-02", "tz": "UTC", "quiet": ["00:00", "00:00"]}
DONE = f"{NUDGE_PREFIX}done."


@dataclass(frozen=True)
class Scale:
    chats: int
    busy: int  # users with three reminders due at one moment
    speed: float  # 1: Telegram's limits; 10: every limit, pace and latency ten times faster
    slice_chats: int  # the naive anchor's slice
    slice_busy: int
    latency: float = 0.1  # seconds, at speed 1
    blocked_share: float = 0.02
    seed: int = 10

    @property
    def reminders(self) -> int:
        return reminders_for(self.chats, self.busy)


def reminders_for(chats: int, busy: int) -> int:
    return 3 * busy + (chats - busy)


FULL = Scale(chats=2000, busy=500, speed=1.0, slice_chats=100, slice_busy=25)
SMALL = Scale(chats=40, busy=10, speed=10.0, slice_chats=20, slice_busy=5)


# ---------------------------------------------------------------- the population


@dataclass(frozen=True)
class Population:
    due: dict[int, str]  # reminder id -> its chat
    blocked: frozenset[str]  # chats that blocked the bot

    @property
    def owed(self) -> set[int]:
        """The reminders that must reach their chat (the blocked ones cannot)."""
        return {nudge for nudge, chat in self.due.items() if chat not in self.blocked}


async def populate(
    db: Database, chats: int, busy: int, *, blocked_share: float = 0.02, seed: int = 10
) -> Population:
    """``chats`` users, ``busy`` of them with three reminders due at one moment, the others
    with one; moments on whole minutes over the last ten; ids in a shuffled order."""
    rng = random.Random(seed)
    chat_ids = [str(100_000 + i) for i in range(chats)]
    threes = set(rng.sample(chat_ids, busy))
    blocked = frozenset(rng.sample(chat_ids, max(1, round(chats * blocked_share))))
    now = utc_now().replace(second=0, microsecond=0)
    planned = []
    for chat in chat_ids:
        due_at = now - timedelta(minutes=rng.randrange(10))
        planned += [(chat, n, due_at) for n in range(3 if chat in threes else 1)]
    rng.shuffle(planned)  # created over days: one user's reminders are not neighbours
    async with db.unit_of_work() as repo:
        users = [User(channel="telegram", external_id=c, first_name="Bench") for c in chat_ids]
        repo.session.add_all(users)
        await repo.session.flush()
        user_ids = {u.external_id: u.id for u in users}
        nudges = [
            Nudge(
                user_id=user_ids[chat],
                kind=KIND,
                key=f"pm:bench{n}",
                due_at=due_at,
                payload=dict(PAYLOAD),
            )
            for chat, n, due_at in planned
        ]
        repo.session.add_all(nudges)
        await repo.session.flush()
        due = {nudge.id: chat for nudge, (chat, _, _) in zip(nudges, planned, strict=True)}
    return Population(due, blocked)


async def blocked_marked(db: Database, population: Population) -> tuple[int, int]:
    """(blocked users marked blocked, other users marked blocked)."""
    async with db.unit_of_work() as repo:
        query = select(User.external_id).where(User.blocked_at.is_not(None))
        marked = set((await repo.session.execute(query)).scalars())
    return len(marked & population.blocked), len(marked - population.blocked)


# ---------------------------------------------------------------- what reached Telegram


def standin_for(scale: Scale, blocked: Iterable[str]) -> StandIn:
    return StandIn(
        per_bot=30.0 * scale.speed,
        per_chat=1.0 * scale.speed,
        slack=0.1 / scale.speed,
        retry_unit=1.0 / scale.speed,
        latency=scale.latency / scale.speed,
        blocked=frozenset(blocked),
    )


def reminder_of(buttons: tuple[str, ...]) -> int | None:
    """Which reminder a message was, from its Done button."""
    for data in buttons:
        if data.startswith(DONE) and data[len(DONE) :].isdigit():
            return int(data[len(DONE) :])
    return None


@dataclass(frozen=True)
class Delivered:
    """One delivery, as the stand-in saw it and the database recorded it."""

    accepted: int
    rate: float  # accepted messages a second, first to last accepted
    seconds: float  # first to last accepted
    late_429: int  # 429s after the first second
    lost: int  # owed, never accepted
    duplicated: int  # accepted more than once (each extra copy counts)
    strays: int  # accepted messages that were no due reminder
    blocked_marked: int
    wrongly_marked: int
    blocked_expected: int
    owed: int


def judge(
    standin: StandIn, population: Population, marked: tuple[int, int], speed: float
) -> Delivered:
    times = sorted(a.at for a in standin.accepted)
    seen = Counter(reminder_of(a.buttons) for a in standin.accepted)
    strays = sum(n for nudge, n in seen.items() if nudge is None or nudge not in population.due)
    span = times[-1] - times[0] if len(times) > 1 else 0.0
    owed = population.owed
    return Delivered(
        accepted=len(times),
        rate=(len(times) - 1) / span if span > 0 else 0.0,
        seconds=span,
        late_429=len(standin.too_many(after=1.0 / speed)),
        lost=len(owed - set(seen)),
        duplicated=sum(n - 1 for nudge, n in seen.items() if nudge is not None and n > 1),
        strays=strays,
        blocked_marked=marked[0],
        wrongly_marked=marked[1],
        blocked_expected=len(population.blocked),
        owed=len(owed),
    )


# ---------------------------------------------------------------- the two senders


def settings_for(base_url: str, database_url: str) -> Settings:
    return Settings(
        telegram_bot_token=SecretStr(TOKEN),
        telegram_api_base_url=base_url,
        database_url=database_url,
    )


def sweep_bot(settings: Settings, db: Database) -> Bot:
    """The bot the sweep sends with, built exactly as the running bot builds it."""
    application = build_application(settings, CoachService(db))
    bot: Bot = application.bot_data["sweep_bot"]
    return bot


def sweeper_for(db: Database, bot: Bot, settings: Settings, speed: float) -> NudgeSweeper:
    """The sweep as ``build_application`` makes it (its pace scaled by ``speed``)."""
    return NudgeSweeper(
        db,
        TelegramSender(bot),
        per_second=settings.nudge_sends_per_second * speed,
        per_chat_interval=1.0 / speed,
    )


async def naive_sweep(db: Database, sender: TelegramSender) -> int:
    """Before issue 10: every due reminder in due order, one at a time, waiting for each and
    sleeping through a 429 for as long as Telegram asks. The number sent."""
    sent = 0
    while True:
        async with db.unit_of_work() as repo:
            batch = await repo.nudges.claim_due(utc_now(), limit=200)
        for nudge, user in batch:
            reply = catalog.render_nudge(nudge.kind, nudge.payload)
            assert reply is not None
            message = with_nudge_buttons(reply, nudge.id)
            while True:
                try:
                    await sender.send(user.external_id, message)
                except RetryAfter as flood:
                    await asyncio.sleep(flood.seconds)
                    continue
                except Blocked:
                    async with db.unit_of_work() as repo:
                        await repo.users.mark_blocked(user.id, utc_now())
                except SendError:
                    async with db.unit_of_work() as repo:
                        await repo.nudges.retry_later(nudge.id, utc_now() + timedelta(minutes=1))
                else:
                    async with db.unit_of_work() as repo:
                        await repo.nudges.mark_sent(nudge.id, utc_now())
                    sent += 1
                break
        if len(batch) < 200:
            return sent


async def deliver_once(
    scale: Scale, *, naive: bool, folder: Path
) -> tuple[Delivered, SweepReport | None]:
    """One delivery on a fresh SQLite file: the sweep (all of it) or the naive sender (the
    slice)."""
    chats, busy = (scale.slice_chats, scale.slice_busy) if naive else (scale.chats, scale.busy)
    url = f"sqlite:///{folder / ('naive.db' if naive else 'sweep.db')}"
    db = Database(url)
    try:
        await db.migrate()
        population = await populate(
            db, chats, busy, blocked_share=scale.blocked_share, seed=scale.seed
        )
        standin = standin_for(scale, population.blocked)
        report: SweepReport | None = None
        with standin.in_process() as base_url:
            settings = settings_for(base_url, url)
            bot = sweep_bot(settings, db)
            await bot.initialize()
            try:
                if naive:
                    await naive_sweep(db, TelegramSender(bot))
                else:
                    report = await sweeper_for(db, bot, settings, scale.speed).sweep_once()
            finally:
                await bot.shutdown()
        marked = await blocked_marked(db, population)
    finally:
        await db.dispose()
    return judge(standin, population, marked, scale.speed), report


# ---------------------------------------------------------------- the rows


def rows_for(scale: Scale, sweeps: list[Delivered], naives: list[Delivered]) -> list[Row]:
    """Rates and times: the median of the runs. Lost, duplicated, 429s, blocked marked: the
    worst run (a median would hide one bad run)."""
    per_second = 28.0 * scale.speed
    rate = median([d.rate for d in sweeps])
    naive_rate = median([d.rate for d in naives])
    seconds = median([d.seconds for d in sweeps])
    owed = sweeps[0].owed
    naive_all = owed / naive_rate if naive_rate > 0 else 0.0
    slice_size = reminders_for(scale.slice_chats, scale.slice_busy)
    naive_name = f"naive, {slice_size}-reminder slice"
    expected = sweeps[0].blocked_expected
    runs = f"{len(sweeps)} run{'s' if len(sweeps) > 1 else ''}"
    late = max(d.late_429 for d in sweeps)
    lost = max(d.lost for d in sweeps)
    twice = max(d.duplicated + d.strays for d in sweeps)
    marked = min(d.blocked_marked - d.wrongly_marked for d in sweeps)
    first = "first second" if scale.speed == 1 else f"first {1 / scale.speed:g} s"
    who = f"{scale.reminders:,} reminders, {scale.chats:,} chats ({scale.busy:,} with 3 due)"
    return [
        Row(
            SECTION,
            f"sweep, {who}: sustained, first to last accepted (median of {runs})",
            rate,
            "msg/s",
            naive_rate,
            naive_name,
            f">= {per_second:g} msg/s",
            rate >= per_second,
        ),
        Row(
            SECTION,
            f"sweep: time for all {owed:,} owed (anchor extrapolated from its slice)",
            seconds,
            "s",
            naive_all,
            "naive, extrapolated",
        ),
        Row(
            SECTION,
            f"sweep: 429s after the {first} (worst of {runs})",
            late,
            "count",
            max(d.late_429 for d in naives),
            naive_name,
            "0",
            late == 0,
        ),
        Row(
            SECTION,
            f"sweep: lost, owed but never accepted (worst of {runs})",
            lost,
            "count",
            max(d.lost for d in naives),
            naive_name,
            "0",
            lost == 0,
        ),
        Row(
            SECTION,
            f"sweep: duplicated, accepted twice (worst of {runs})",
            twice,
            "count",
            max(d.duplicated + d.strays for d in naives),
            naive_name,
            "0",
            twice == 0,
        ),
        Row(
            SECTION,
            f"sweep: blocked users marked in the DB, of {expected} blocked (worst of {runs})",
            marked,
            "count",
            None,
            "",
            f"= {expected}",
            marked == expected,
        ),
    ]


async def run(small: bool) -> list[Row]:
    scale = SMALL if small else FULL
    runs = 1 if small else RUNS  # the small run only has to work
    sweeps: list[Delivered] = []
    naives: list[Delivered] = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            sweeps.append((await deliver_once(scale, naive=False, folder=Path(folder)))[0])
            naives.append((await deliver_once(scale, naive=True, folder=Path(folder)))[0])
    return rows_for(scale, sweeps, naives)


def main(argv: list[str]) -> None:
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    print(table(asyncio.run(run("--small" in argv))))


if __name__ == "__main__":
    main(sys.argv[1:])
