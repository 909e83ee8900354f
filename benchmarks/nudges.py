"""Nudges at scale: reminders stay rows until they are due, so starting costs the same for any
number of users, and one sweep reads only what is due.

(i) Start-up: the time and the extra resident memory (RSS) of starting the coach's reminder
machinery over the stored reminders: ``build_application`` (the Bot API answered in memory,
the production rate limiter), ``initialize``, ``post_init`` (migrations, the sweep's bot, the
command menu) and ``start`` (the JobQueue with its two jobs: the sweep every minute, the
daily prune). Against the naive design: a bare PTB Application whose JobQueue gets one
``run_once`` job for each stored pending reminder (read in due order, so each job is
appended). Each start-up runs in a fresh Python process, its modules imported before the
clock starts, so no run reuses memory another freed.

(ii) One sweep: 1,000 reminders (one each of 1,000 users drawn at random) made due at the
benchmark's clock, nothing else due. "claim + render" is the sweeper's own ``sweep_once``
(claims in batches of its ``limit``, one short transaction each) with every claimed reminder
rendered as the sweep renders it (``catalog.render_nudge`` and its buttons) and handed to a
sender that does nothing; nothing recorded. "whole sweep" is the unchanged ``NudgeSweeper``
(pacing set out of the way), so it also records each send in its own transaction and plans
the next reminder of a daily or weekly series. Each on a fresh copy of the database.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from telegram.ext import Application, ContextTypes

from benchmarks import population
from benchmarks.local_telegram import TOKEN, LocalBotApi
from benchmarks.report import RUNS, Row, median
from benchmarks.updates import settings_for
from bot.nudges import NudgeSweeper, SweepReport
from bot.service import CoachService
from bot.telegram_bot import build_application
from conversations import catalog
from conversations.features.reminders import with_nudge_buttons
from conversations.messages import Reply
from storage.db import Database
from storage.models import Nudge, User

SECTION = "nudges"
ROOT = Path(__file__).resolve().parent.parent
# The benchmark's clock: a minute after the stored users started; nothing is due yet then
# (every planned reminder is later), and it is daytime in all four US zones.
CLOCK = population.ONBOARDED_AT + timedelta(minutes=1)


@dataclass(frozen=True)
class Scale:
    sizes: tuple[int, ...]
    due: int
    runs: int
    naive_once_from: int  # the naive anchor runs once at this many users or more


FULL = Scale(sizes=(1_000, 100_000), due=1_000, runs=RUNS, naive_once_from=100_000)
SMALL = Scale(sizes=(50,), due=15, runs=1, naive_once_from=50)


# ---------------------------------------------------------------- (i) start-up


def _rss() -> int:
    """Resident memory of this process, in bytes."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


async def start_project(path: Path) -> dict[str, float]:
    url = population.url_of(path)
    gc.collect()
    rss, began = _rss(), time.perf_counter()
    service = CoachService(Database(url))
    application = build_application(settings_for(url), service, request=LocalBotApi())
    await application.initialize()
    assert application.post_init is not None and application.job_queue is not None
    await application.post_init(application)
    await application.start()  # the JobQueue starts: the sweep's first run is 5 s away
    seconds = time.perf_counter() - began
    extra = _rss() - rss
    jobs = len(application.job_queue.jobs())
    await application.stop()
    await application.shutdown()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)
    return {"seconds": seconds, "mib": extra / 2**20, "jobs": jobs}


async def _naive_send(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The naive design's job: render and send one reminder (never reached here)."""


async def start_naive(path: Path) -> dict[str, float]:
    url = population.url_of(path)
    gc.collect()
    rss, began = _rss(), time.perf_counter()
    api = LocalBotApi()
    application = (
        Application.builder().token(TOKEN).request(api).get_updates_request(api).updater(None)
    ).build()
    queue = application.job_queue
    assert queue is not None
    await application.initialize()
    db = Database(url)
    query = (
        select(Nudge.id, Nudge.kind, Nudge.payload, Nudge.due_at, User.external_id)
        .join(User, User.id == Nudge.user_id)
        .where(Nudge.state == "pending")
        .order_by(Nudge.due_at, Nudge.id)
        .execution_options(yield_per=5_000)
    )
    async with db.engine.connect() as conn:
        rows = await conn.stream(query)
        async for nudge_id, kind, payload, due_at, chat in rows:
            queue.run_once(
                _naive_send,
                when=due_at - population.ONBOARDED_AT,  # as far ahead as it was when stored
                data=(nudge_id, kind, payload),
                name=f"nudge-{nudge_id}",
                chat_id=int(chat),
            )
    await db.dispose()
    await application.start()
    seconds = time.perf_counter() - began
    extra = _rss() - rss
    jobs = len(queue.jobs())
    await application.stop()
    await application.shutdown()
    return {"seconds": seconds, "mib": extra / 2**20, "jobs": jobs}


STARTS = {"project": start_project, "naive": start_naive}


@dataclass(frozen=True)
class Startup:
    seconds: float
    mib: float
    jobs: int


def startup(design: str, path: Path) -> Startup:
    """One start-up, in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.nudges", "--startup", design, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"start-up of {design} failed:\n{done.stderr[-2000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return Startup(figures["seconds"], figures["mib"], int(figures["jobs"]))


# ---------------------------------------------------------------- (ii) one sweep


class NullSender:
    """Delivers nothing, at once."""

    def __init__(self) -> None:
        self.sent = 0

    async def send(self, chat_id: str, reply: Reply) -> None:
        self.sent += 1


class ClaimAndRender(NudgeSweeper):
    """The sweep's loop of claims, each claimed reminder rendered and handed to the sender
    as ``NudgeSweeper`` does, and nothing recorded (the claims stay claimed)."""

    async def _send_batch(
        self,
        batch: list[tuple[Nudge, User]],
        claimed: float,
        report: SweepReport,
        begun: asyncio.Event,
    ) -> None:
        begun.set()  # nothing waits on a chat here: the next claim may go at once
        for nudge, user in batch:
            reply = catalog.render_nudge(nudge.kind, nudge.payload)
            if reply is None:
                report.failed += 1
                continue
            await self.sender.send(user.external_id, with_nudge_buttons(reply, nudge.id))
            report.sent += 1


def make_due(path: Path, users: int, due: int, seed: int) -> None:
    """``due`` users (at random), one pending reminder each, due within the half hour before
    ``CLOCK``; checks that nothing else is due."""
    rng = random.Random(seed)
    chosen = rng.sample(range(1, users + 1), due)
    conn = sqlite3.connect(path)
    try:
        marks = ", ".join("?" for _ in chosen)
        pending: dict[int, list[int]] = {}
        query = f"SELECT user_id, id FROM nudges WHERE state = 'pending' AND user_id IN ({marks}) ORDER BY id"
        for user_id, nudge_id in conn.execute(query, chosen):
            pending.setdefault(user_id, []).append(nudge_id)
        changes = [
            (population.sqlite_time(CLOCK - timedelta(seconds=i % 1800)), rng.choice(pending[u]))
            for i, u in enumerate(chosen)
        ]
        with conn:
            conn.executemany("UPDATE nudges SET due_at = ? WHERE id = ?", changes)
        now = population.sqlite_time(CLOCK)
        found = conn.execute(
            "SELECT COUNT(*) FROM nudges WHERE state = 'pending' AND due_at <= ?", (now,)
        ).fetchone()[0]
    finally:
        conn.close()
    if found != due:
        raise RuntimeError(f"{found} reminders due at the benchmark's clock, not {due}")


async def sweep(
    built: population.Built, folder: Path, due: int, *, whole: bool
) -> tuple[float, SweepReport]:
    """(seconds, report) of one sweep over ``due`` due reminders, on a fresh copy."""
    path = population.copy_of(built, folder)
    make_due(path, built.users, due, seed=built.users)
    db = Database(population.url_of(path))
    kind = NudgeSweeper if whole else ClaimAndRender
    sweeper = kind(db, NullSender(), clock=lambda: CLOCK, per_second=1e9)
    try:
        async with db.unit_of_work() as repo:  # the connection opened outside the timing
            await repo.nudges.pending(0)
        began = time.perf_counter()
        report = await sweeper.sweep_once()
        seconds = time.perf_counter() - began
    finally:
        await db.dispose()
        path.unlink()
    return seconds, report


# ---------------------------------------------------------------- rows


async def measure_size(users: int, scale: Scale, folder: Path) -> list[Row]:
    built = await population.cached(users)
    if built.seconds:
        print(f"nudges: built the {users:,}-user database in {built.seconds:.1f} s: {built.path}")
    stored = population.count(built.path, "SELECT COUNT(*) FROM nudges WHERE state = 'pending'")
    size = f"{users:,} users"
    naive_runs = 1 if users >= scale.naive_once_from else scale.runs
    shared = population.copy_of(built, folder)  # start-ups only read
    ours = [startup("project", shared) for _ in range(scale.runs)]
    naive = [startup("naive", shared) for _ in range(naive_runs)]
    shared.unlink()
    if any(s.jobs != 2 for s in ours) or any(n.jobs != stored for n in naive):
        raise RuntimeError("a start-up did not schedule what it should")
    claims = [await sweep(built, folder, scale.due, whole=False) for _ in range(scale.runs)]
    sweeps = [await sweep(built, folder, scale.due, whole=True) for _ in range(scale.runs)]
    for _, report in claims + sweeps:
        if report.sent != scale.due or report.total != scale.due:
            raise RuntimeError(f"a sweep handled {report} of {scale.due} due reminders")
    naive_name = "naive JobQueue" + (" (one run)" if naive_runs == 1 < scale.runs else "")
    start_s = median([s.seconds for s in ours])
    start_mib = median([s.mib for s in ours])
    claim_ms = median([c[0] for c in claims]) * 1e3
    due = f"{scale.due:,} due"
    return [
        Row(SECTION, f"pending reminders stored, {size}", stored, "count"),
        Row(
            SECTION,
            f"start-up of the reminder machinery, {size}",
            start_s,
            "s",
            anchor=median([n.seconds for n in naive]),
            anchor_name=naive_name,
            target="< 1 s",
            met=start_s < 1.0,
        ),
        Row(
            SECTION,
            f"extra memory (RSS) at start-up, {size}",
            start_mib,
            "MiB",
            anchor=median([n.mib for n in naive]),
            anchor_name=naive_name,
            target="< 50 MiB",
            met=start_mib < 50.0,
        ),
        Row(
            SECTION,
            f"claim + render {due}, {size}",
            claim_ms,
            "ms",
            target="< 100 ms",
            met=claim_ms < 100.0,
        ),
        Row(
            SECTION,
            f"whole sweep of {due} (claim, render, no-op send, record each), {size}",
            median([s[0] for s in sweeps]) * 1e3,
            "ms",
        ),
    ]


async def run(small: bool) -> list[Row]:
    scale = SMALL if small else FULL
    print(
        f"nudges: start-up in a fresh process each (median of {scale.runs}; the naive anchor "
        f"once at {scale.naive_once_from:,} users or more); a sweep of {scale.due:,} due "
        f"reminders on a fresh copy each run (median of {scale.runs}); sender does nothing"
    )
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-nudges-") as tmp:
        for users in scale.sizes:
            rows += await measure_size(users, scale, Path(tmp))
    return rows


def _child(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.nudges")
    parser.add_argument("--startup", choices=sorted(STARTS), required=True)
    parser.add_argument("database", type=Path)
    args = parser.parse_args(argv)
    figures: dict[str, Any] = asyncio.run(STARTS[args.startup](args.database))
    print(json.dumps(figures))


if __name__ == "__main__":
    _child(sys.argv[1:])
