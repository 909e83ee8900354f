"""One user's turns are serialised on every database: messages handled at once (two
replicas, or python-telegram-bot's ``concurrent_updates``) behave as if sent one by one.

On SQLite and on real PostgreSQL: ten taps of one button at once through the service, a new
user's first messages at once, and two separate processes (each its own ``Database`` and
``CoachService``) sending one message each of a user's burst at the same moment.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from bot.service import CoachService, Who
from conversations import texts
from conversations.messages import Command, Text, UserInput
from storage.db import Database
from storage.models import Answer, DialogueStateRow, User
from tests.conftest import Clock
from tests.test_service import button_of

ROOT = Path(__file__).resolve().parent.parent
TRIALS = 10
MEETING = {"source": "dean", "meeting": "2026-04-02", "tz": "America/Chicago"}


async def _at_specialty(service: CoachService, who: Who) -> None:
    """Onboarding up to the open specialty question (name and degree answered)."""
    turn = await service.handle(who, Command("start"))
    turn = await service.handle(who, button_of(turn, "Maya"))
    turn = await service.handle(who, button_of(turn, "US MD"))
    assert "Which specialty" in turn.replies[-1].text


async def _stored(db: Database, external_id: str) -> dict[str, Any]:
    """What is stored for one user: every answer row in order, and the dialogue state."""
    async with db.unit_of_work() as repo:
        user = await repo.users.find("telegram", external_id)
        assert user is not None
        rows = await repo.session.execute(
            select(Answer.flow, Answer.key, Answer.raw_text, Answer.value)
            .where(Answer.user_id == user.id)
            .order_by(Answer.id)
        )
        state = await repo.session.get(DialogueStateRow, user.id)
        assert state is not None
        return {
            "answers": [tuple(r) for r in rows],
            "state": (state.flow, state.step, state.data),
        }


# ---------------------------------------------------------------- one process, many tasks


async def _warm(db: Database, connections: int = 10) -> None:
    """Open pooled connections ahead, so the racing turns start together rather than one
    by one as each new connection is made."""
    opened = [await db.engine.connect() for _ in range(connections)]
    for conn in opened:
        await conn.close()


async def test_ten_taps_of_one_button_at_once_save_one_answer(service: CoachService) -> None:
    for round_ in range(3):  # a race may go the right way by chance: try a few times
        maya = Who("telegram", f"42{round_}", "Maya")
        turn = await service.handle(maya, Command("start"))
        turn = await service.handle(maya, button_of(turn, "Maya"))
        us_md = button_of(turn, "US MD")
        await _warm(service.db)

        turns = await asyncio.gather(*(service.handle(maya, us_md) for _ in range(10)))

        toasts = Counter(t.toast for t in turns)
        assert toasts == {"Saved ✓": 1, texts.ALREADY_SAVED: 9}, (round_, toasts)
        [saved] = [t for t in turns if t.toast == "Saved ✓"]
        assert "Which specialty" in saved.replies[-1].text  # the next question, asked once
        assert all(t.replies == () for t in turns if t is not saved)  # a toast, nothing more
        stored = await _stored(service.db, maya.external_id)
        degree = [a for a in stored["answers"] if a[1] == "degree"]
        assert degree == [("onboarding", "degree", "US MD", "us_md")]
        flow, step, data = stored["state"]
        assert (flow, step, data["history"]) == ("onboarding", "specialty", ["name", "degree"])


async def test_a_new_users_first_messages_at_once_make_one_user(service: CoachService) -> None:
    sam = Who("telegram", "5151", "Sam")
    inputs: list[UserInput] = [Command("start"), Text("hello"), Command("start"), Text("Sam")]
    await _warm(service.db)

    turns = await asyncio.gather(*(service.handle(sam, inputs[i % 4]) for i in range(10)))

    assert all(t.replies for t in turns), "every message gets a reply"
    async with service.db.unit_of_work() as repo:
        users = await repo.session.execute(select(User.id).where(User.external_id == "5151"))
        assert len(users.all()) == 1
    stored = await _stored(service.db, "5151")
    assert stored["state"][0] == "onboarding"
    names = [a for a in stored["answers"] if a[1] == "name"]
    assert len(names) <= 1, "the name question is answered at most once"


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
async def test_a_turn_holds_its_user_but_not_the_sweep(db: Database, clock: Clock) -> None:
    """On PostgreSQL a turn holds its user's row until it ends: another turn of the same
    user waits (here, with a short lock_timeout, it gives up), another user's turn does not,
    nor does the sweep planning this user's next reminder (a foreign-key check on the user
    row: with a plain FOR UPDATE it would wait, and could deadlock with the turn)."""
    async with db.unit_of_work() as repo:
        maya, _ = await repo.user_with_state("telegram", "6161", "Maya")
        await repo.user_with_state("telegram", "7171", "Sam")
    async with db.unit_of_work() as turn:
        await turn.user_with_state("telegram", "6161", "Maya")  # held from here to the end

        with pytest.raises(DBAPIError, match="lock"):
            async with db.unit_of_work() as twin:
                await twin.session.execute(text("SET LOCAL lock_timeout = '200ms'"))
                await twin.user_with_state("telegram", "6161", "Maya")
        async with db.unit_of_work() as other:
            await other.session.execute(text("SET LOCAL lock_timeout = '5s'"))
            await other.user_with_state("telegram", "7171", "Sam")
        async with db.unit_of_work() as sweep:
            await sweep.session.execute(text("SET LOCAL lock_timeout = '5s'"))
            await sweep.nudges.add(maya.id, "pm_meeting_before", "pm:dean", clock.now, MEETING)
            await sweep.session.flush()


# ---------------------------------------------------------------- two processes


def _worker(url: str, barrier: Path, role: str, words: str, users: list[str]) -> subprocess.Popen:
    args = [sys.executable, "-m", "tests.burst_worker", url, str(barrier), role, words, *users]
    return subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


async def test_two_processes_answering_one_users_burst_lose_no_answer(
    db: Database, clock: Clock, tmp_path: Path
) -> None:
    """Two replicas each get one message of a burst, at the same moment: the specialty typed
    by one, "45" (the number of programs) by the other. Whatever order the database picks,
    the result is one of the two serial orders: nothing overwritten, nothing lost."""
    service = CoachService(db, clock=clock)
    first, second = Text("Internal Medicine"), Text("45")
    serial: list[dict[str, Any]] = []
    for name, order in (("serial-ab", (first, second)), ("serial-ba", (second, first))):
        await _at_specialty(service, Who("telegram", name, "Maya"))
        for message in order:
            await service.handle(Who("telegram", name, "Maya"), message)
        serial.append(await _stored(db, name))
    assert serial[0] != serial[1]
    users = [f"burst-{trial}" for trial in range(TRIALS)]
    workers = [  # they start up while the users are prepared, and wait for "go"
        _worker(db.url, tmp_path, "a", first.text, users),
        _worker(db.url, tmp_path, "b", second.text, users),
    ]
    outputs = []
    try:
        for external_id in users:
            await _at_specialty(service, Who("telegram", external_id, "Maya"))
        (tmp_path / "go").touch()
        for worker in workers:
            out, err = await asyncio.to_thread(worker.communicate, timeout=60)
            assert worker.returncode == 0, err.decode()[-3000:]
            outputs.append([json.loads(line) for line in out.decode().splitlines()])
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()

    assert [len(o) for o in outputs] == [TRIALS, TRIALS]
    assert all(line["replies"] for o in outputs for line in o), "every message got a reply"
    lost = []
    for external_id in users:
        stored = await _stored(db, external_id)
        if stored not in serial:
            lost.append((external_id, stored["answers"][2:], stored["state"][1]))
    assert not lost, f"{len(lost)} of {TRIALS} trials match no serial order: {lost}"
