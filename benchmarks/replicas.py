"""Benchmark 4, replicas: two bot processes on one PostgreSQL database.

The sweep: two real OS processes, each with its own ``NudgeSweeper`` and the sweep's own
PTB bot (as ``benchmarks.delivery`` builds them), sweep the same 3,000 due reminders (the
delivery bench's population) at the same moment, delivering to one stand-in Bot API that
keeps Telegram's limits and records what it accepted. Counted: reminders sent twice, owed
reminders never sent, and the time from the first accepted to the last. The bot-wide limit
is the bot's, not a process's: each replica paces itself at NUDGE_SENDS_PER_SECOND divided
by the number of replicas (14 a second each, 28 in all), as two replicas must be set up.

The burst: a user sends the onboarding answers as fast as they can tap (20 messages, one
every 5 ms), each message going to the other process than the one before (a load balancer
in front of two webhook replicas), through ``CoachService.handle``; ten users at once.
Replicas promise no order between messages that arrive together, only that one user's turns
do not overlap: so what is checked holds in any order. Every answer a process reported
saved (a ``SaveAnswer`` of a committed turn) is stored; no question has two answers; the
dialogue state's history is exactly the answered questions, in the order they were stored;
every message got a reply.

The same two worker processes do both, one after the other (``python -m benchmarks.replicas
worker ...``), on a fresh database on the server of BENCH_DATABASE_URL or TEST_DATABASE_URL
(default postgresql://root@127.0.0.1:5432/test), dropped afterwards. Without a server: a row
that says so. ``small``: 60 reminders for 40 chats ten times faster, two bursts.

    python -m benchmarks.replicas [--small]
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import select
from sqlalchemy.engine import make_url

from benchmarks import delivery
from benchmarks.report import RUNS, Row, median, table
from bot.nudges import NudgeSweeper, TelegramSender
from bot.service import CoachService, Who
from conversations.messages import Command, Press, SaveAnswer, Text, Turn, UserInput
from storage.db import Database
from storage.models import Answer, DialogueStateRow, Nudge
from tests.coach_chat import SEED_ONBOARDING, scripted_input

SECTION = "replicas"
DEFAULT_SERVER = "postgresql://root@127.0.0.1:5432/test"
ROOT = Path(__file__).resolve().parent.parent
REPLICAS = 2
NOW = datetime(2026, 3, 25, 15, 0, tzinfo=UTC)  # the burst's clock (the script's dates)
BURST = 20  # messages, after /start
SPACING = 0.005  # seconds between two messages of a burst
STARTUP_SECONDS = 60.0


@dataclass(frozen=True)
class Scale:
    delivery: delivery.Scale
    bursts: int


FULL = Scale(delivery.FULL, bursts=10)
SMALL = Scale(delivery.SMALL, bursts=2)


class Unreachable(Exception):
    """No PostgreSQL server to measure on."""


# ---------------------------------------------------------------- a fresh database


def server_url() -> str:
    return (
        os.environ.get("BENCH_DATABASE_URL")
        or os.environ.get("TEST_DATABASE_URL")
        or (DEFAULT_SERVER)
    )


def _plain(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _where(url: str) -> str:
    """The server, without user or password, for a row's text."""
    parsed = make_url(url)
    return f"{parsed.host or 'localhost'}:{parsed.port or 5432}"


async def fresh_database(server: str) -> str:
    name = f"rc_bench_{uuid.uuid4().hex[:12]}"
    try:
        conn = await asyncpg.connect(_plain(server), timeout=10)
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        raise Unreachable(type(error).__name__) from error
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


async def drop_database(server: str, url: str) -> None:
    conn = await asyncpg.connect(_plain(server), timeout=10)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
    finally:
        await conn.close()


# ---------------------------------------------------------------- worker processes


def _tail(log: Path) -> str:
    """The end of a worker's error output (ids and exception names, never a message)."""
    return log.read_text(errors="replace")[-2000:]


async def _spawn(*args: str, log: Path) -> asyncio.subprocess.Process:
    with log.open("wb") as err:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "benchmarks.replicas",
            *args,
            cwd=ROOT,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=err,
        )


async def _line(worker: asyncio.subprocess.Process, log: Path, within: float) -> str:
    assert worker.stdout is not None
    try:
        line = await asyncio.wait_for(worker.stdout.readline(), within)
    except TimeoutError:
        line = b""
    if not line:
        worker.kill()
        await worker.wait()
        raise RuntimeError(f"a worker stopped: {_tail(log)}")
    return line.decode()


async def _run_workers(
    commands: Sequence[Sequence[str]], words: Sequence[Callable[[], str]], folder: Path
) -> list[list[str]]:
    """Start the workers and wait until each is ready; then, for each word, say it to all
    at once and collect each one's answer (a line)."""
    logs = [folder / f"worker-{i}.log" for i in range(len(commands))]
    workers = [await _spawn(*c, log=log) for c, log in zip(commands, logs, strict=True)]
    try:
        for worker, log in zip(workers, logs, strict=True):
            assert (await _line(worker, log, STARTUP_SECONDS)).strip() == "ready"
        answers = []
        for word in words:
            said = word()
            for worker in workers:
                assert worker.stdin is not None
                worker.stdin.write(f"{said}\n".encode())
                await worker.stdin.drain()
            answers.append(
                [await _line(w, log, 1800) for w, log in zip(workers, logs, strict=True)]
            )
        for worker, log in zip(workers, logs, strict=True):
            if await worker.wait() != 0:
                raise RuntimeError(f"a worker failed: {_tail(log)}")
        return answers
    finally:
        for worker in workers:
            if worker.returncode is None:
                worker.kill()
                await worker.wait()


async def _heard() -> str:
    """Wait for the parent's word (a line on stdin)."""
    return (await asyncio.to_thread(sys.stdin.readline)).strip()


def _encode(inp: UserInput) -> list[str]:
    if isinstance(inp, Command):
        return ["command", inp.name]
    if isinstance(inp, Text):
        return ["text", inp.text]
    assert isinstance(inp, Press)
    return ["press", inp.data]


def _decode(code: Sequence[str]) -> UserInput:
    kind, value = code
    return {"command": Command, "text": Text, "press": Press}[kind](value)


async def worker(url: str, base_url: str, per_second: float, per_chat: float, plan: str) -> None:
    """One replica: its own database pool, sweep and service. Says "ready"; on "go" sweeps
    once and prints its report; then, on a start time, sends its share of the bursts
    (messages ``role``, ``role + 2``... of each user's, each at its moment) and prints what
    each turn did."""
    db = Database(url)
    settings = delivery.settings_for(base_url, url)
    bot = delivery.sweep_bot(settings, db)
    service = CoachService(db, clock=lambda: NOW)
    burst = json.loads(plan)
    inputs = [_decode(code) for code in burst["inputs"]]
    try:
        await bot.initialize()
        async with db.unit_of_work() as repo:  # a pooled connection before the race
            await repo.users.find("telegram", "warm-up")
        sweeper = NudgeSweeper(
            db, TelegramSender(bot), per_second=per_second, per_chat_interval=per_chat
        )
        print("ready", flush=True)
        await _heard()
        report = await sweeper.sweep_once()
        print(json.dumps(asdict(report)), flush=True)
        start = float(await _heard())

        async def one_user(external_id: str) -> list[dict[str, Any]]:
            answered = []
            for k in range(burst["role"], len(inputs), REPLICAS):
                await asyncio.sleep(max(0.0, start + k * SPACING - time.time()))
                began = time.time()
                turn = await service.handle(Who("telegram", external_id, "Maya"), inputs[k])
                line = {"user": external_id, "k": k, "began": began, "ended": time.time()}
                answered.append({**line, **_what_it_did(turn)})
            return answered

        done = await asyncio.gather(*(one_user(u) for u in burst["users"]))
        print(json.dumps([line for lines in done for line in lines]), flush=True)
    finally:
        await bot.shutdown()
        await db.dispose()


def _what_it_did(turn: Turn) -> dict[str, Any]:
    saved = [[e.flow, e.key, e.value] for e in turn.effects if isinstance(e, SaveAnswer)]
    return {"saved": saved, "answered": bool(turn.replies) or turn.toast is not None}


# ---------------------------------------------------------------- what is checked


@dataclass(frozen=True)
class Swept:
    seconds: float  # first to last accepted
    lost: int  # owed, never accepted, or not recorded as sent
    twice: int
    late_429: int


@dataclass(frozen=True)
class Bursts:
    lost: int  # answers a process reported saved that are not stored
    inconsistent: int  # users whose answers and dialogue state disagree
    unanswered: int  # messages that got neither a reply nor a toast
    overlapped: int  # turns under way while the other process had one of the same user


async def burst_inputs(service: CoachService) -> list[UserInput]:
    """The onboarding script's first messages after /start, learnt from a user answering
    one at a time (a tap is the data of a button the coach showed)."""
    who = Who("telegram", "reference", "Maya")
    inputs: list[UserInput] = []
    last: Turn | None = None
    for step in SEED_ONBOARDING[: BURST + 1]:
        inp = scripted_input(step, last)
        last = await service.handle(who, inp)
        inputs.append(inp)
    return inputs[1:]


async def _stored(db: Database, external_id: str) -> tuple[list[list[Any]], dict[str, Any]]:
    async with db.unit_of_work() as repo:
        user = await repo.users.find("telegram", external_id)
        assert user is not None
        rows = await repo.session.execute(
            select(Answer.flow, Answer.key, Answer.value)
            .where(Answer.user_id == user.id)
            .order_by(Answer.id)
        )
        answers = [[flow, key, value] for flow, key, value in rows]
        state = await repo.session.get(DialogueStateRow, user.id)
        assert state is not None
        return answers, {"flow": state.flow, "step": state.step, "data": dict(state.data)}


def consistent(answers: list[list[Any]], state: dict[str, Any]) -> bool:
    """One answer per question, and the dialogue's history is the questions answered, in
    the order they were stored (a turn that answered from a stale state breaks either)."""
    keys = [key for flow, key, _ in answers if flow == state["flow"]]
    history = list(state["data"].get("history", []))
    return len(keys) == len(set(keys)) and keys == history


async def check_bursts(db: Database, users: list[str], lines: list[dict[str, Any]]) -> Bursts:
    lost = inconsistent = 0
    for external_id in users:
        answers, state = await _stored(db, external_id)
        stored = Counter(json.dumps(a, sort_keys=True) for a in answers)
        for line in lines:
            if line["user"] != external_id:
                continue
            for saved in line["saved"]:
                key = json.dumps(saved, sort_keys=True)
                if stored[key] > 0:
                    stored[key] -= 1
                else:
                    lost += 1
        inconsistent += not consistent(answers, state)
    unanswered = sum(not line["answered"] for line in lines)
    missing = len(users) * BURST - len(lines)  # turns that never came back
    return Bursts(lost, inconsistent, unanswered + missing, overlapping(lines))


def overlapping(lines: list[dict[str, Any]]) -> int:
    """How many turns were under way at the same time as a turn of the same user in the
    other process (the race the user lock must settle; the machine's one clock)."""
    count = 0
    for line in lines:
        count += any(
            other["user"] == line["user"]
            and other["k"] % REPLICAS != line["k"] % REPLICAS
            and other["began"] < line["ended"]
            and line["began"] < other["ended"]
            for other in lines
        )
    return count


# ---------------------------------------------------------------- one run


async def one_run(scale: Scale, url: str, folder: Path) -> tuple[Swept, Bursts]:
    """On a fresh database: the delivery population and the burst users, prepared here;
    then two workers sweep at once, and then answer the bursts."""
    d = scale.delivery
    db = Database(url)
    try:
        await db.migrate()
        population = await delivery.populate(
            db, d.chats, d.busy, blocked_share=d.blocked_share, seed=d.seed
        )
        service = CoachService(db, clock=lambda: NOW)
        inputs = await burst_inputs(service)
        users = [f"burst-{i}" for i in range(scale.bursts)]
        for external_id in users:  # at the first question, as after /start
            await service.handle(Who("telegram", external_id, "Maya"), Command("start"))
        standin = delivery.standin_for(d, population.blocked)
        per_second = delivery.settings_for("", url).nudge_sends_per_second * d.speed
        with standin.in_process() as base_url:
            commands = [
                [
                    "worker",
                    url,
                    base_url,
                    str(per_second / REPLICAS),
                    str(1.0 / d.speed),
                    json.dumps(
                        {"role": role, "users": users, "inputs": [_encode(i) for i in inputs]}
                    ),
                ]
                for role in range(REPLICAS)
            ]
            _, burst_out = await _run_workers(
                commands, [lambda: "go", lambda: f"{time.time() + 0.2:.6f}"], folder
            )
        async with db.unit_of_work() as repo:
            query = select(Nudge.id).where(Nudge.state == "sent")
            sent_in_db = set((await repo.session.execute(query)).scalars())
        seen = delivery.judge(
            standin, population, await delivery.blocked_marked(db, population), d.speed
        )
        lines = [line for out in burst_out for line in json.loads(out)]
        burst = await check_bursts(db, users, lines)
    finally:
        await db.dispose()
    swept = Swept(
        seconds=seen.seconds,
        lost=max(seen.lost, len(population.owed - sent_in_db)),
        twice=seen.duplicated + seen.strays,
        late_429=seen.late_429,
    )
    return swept, burst


def rows_for(scale: Scale, sweeps: list[Swept], burst_runs: list[Bursts]) -> list[Row]:
    d = scale.delivery
    runs = f"{len(sweeps)} run{'s' if len(sweeps) > 1 else ''}"
    per_second = 28.0 * d.speed
    who = f"{REPLICAS} processes sweep {d.reminders:,} reminders on PostgreSQL"
    pace = d.reminders / per_second
    seconds = median([s.seconds for s in sweeps])
    twice = max(s.twice for s in sweeps)
    lost = max(s.lost for s in sweeps)
    late = max(s.late_429 for s in sweeps)
    first = "first second" if d.speed == 1 else f"first {1 / d.speed:g} s"
    bursty = f"{REPLICAS} processes answer {scale.bursts} users' bursts of {BURST} (alternating)"
    worst = {
        "lost": max(b.lost for b in burst_runs),
        "inconsistent": max(b.inconsistent for b in burst_runs),
        "unanswered": max(b.unanswered for b in burst_runs),
    }
    return [
        Row(
            SECTION,
            f"{who}: sent twice (worst of {runs})",
            twice,
            "count",
            None,
            "",
            "0",
            twice == 0,
        ),
        Row(
            SECTION,
            f"{who}: lost, owed but never sent (worst of {runs})",
            lost,
            "count",
            None,
            "",
            "0",
            lost == 0,
        ),
        Row(
            SECTION,
            f"{who} at {per_second / REPLICAS:g}/s each: time, first to last accepted (median)",
            seconds,
            "s",
            pace,
            f"the pace, {per_second:g}/s in all",
        ),
        Row(SECTION, f"{who}: 429s after the {first} (worst of {runs})", late, "count"),
        Row(
            SECTION,
            f"{bursty}: turns under way at once with the other process's (median)",
            median([b.overlapped for b in burst_runs]),
            "count",
        ),
        Row(
            SECTION,
            f"{bursty}: answers lost (worst of {runs})",
            worst["lost"],
            "count",
            None,
            "",
            "0",
            worst["lost"] == 0,
        ),
        Row(
            SECTION,
            f"{bursty}: users whose dialogue state and answers disagree (worst of {runs})",
            worst["inconsistent"],
            "count",
            None,
            "",
            "0",
            worst["inconsistent"] == 0,
        ),
        Row(
            SECTION,
            f"{bursty}: messages without a reply (worst of {runs})",
            worst["unanswered"],
            "count",
            None,
            "",
            "0",
            worst["unanswered"] == 0,
        ),
    ]


def unreachable_rows(server: str, why: str) -> list[Row]:
    return [
        Row(
            SECTION,
            f"PostgreSQL at {_where(server)} unreachable ({why}): nothing measured",
            0,
            "count",
            None,
            "",
            "a server to measure on",
            False,
        )
    ]


async def run(small: bool) -> list[Row]:
    scale = SMALL if small else FULL
    server = server_url()
    sweeps: list[Swept] = []
    burst_runs: list[Bursts] = []
    for _ in range(1 if small else RUNS):  # the small run only has to work
        try:
            url = await fresh_database(server)
        except Unreachable as error:
            return unreachable_rows(server, str(error))
        try:
            with tempfile.TemporaryDirectory() as folder:
                swept, burst = await one_run(scale, url, Path(folder))
        finally:
            await drop_database(server, url)
        sweeps.append(swept)
        burst_runs.append(burst)
    return rows_for(scale, sweeps, burst_runs)


def main(argv: list[str]) -> None:
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    if argv and argv[0] == "worker":
        url, base_url, per_second, per_chat, plan = argv[1:6]
        asyncio.run(worker(url, base_url, float(per_second), float(per_chat), plan))
    else:
        print(table(asyncio.run(run("--small" in argv))))


if __name__ == "__main__":
    main(sys.argv[1:])
