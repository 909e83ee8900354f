"""What a turn reads beyond the user's answers: each heavier part of their data, by the name
a feature's ``Reads`` declares, mapped to the one function that loads it into the
``UserView``. Most turns load none of them (``conversations.catalog.reads`` says which).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from conversations.catalog import FEATURES
from conversations.features.reminders import nudge_id_in
from conversations.messages import Press, UserInput
from conversations.session import RECORDS, NudgeView, RecordView
from storage.repo import Repo

# How far back check-ins and weekly plans are read (streaks, trends, reviews, /history).
ROUTINE_WINDOW = timedelta(days=35)

# A loader returns the UserView fields it fills.
Loader = Callable[[Repo, int, UserInput, datetime], Awaitable[dict[str, Any]]]


async def _problems(repo: Repo, user_id: int, _inp: UserInput, _now: datetime) -> dict[str, Any]:
    return {"problems": await repo.problems.latest(user_id)}


async def _nudges(repo: Repo, user_id: int, inp: UserInput, _now: datetime) -> dict[str, Any]:
    """The pending ones, plus the one a pressed reminder button names (snoozed, done...)."""
    rows = await repo.nudges.pending(user_id)
    named = nudge_id_in(inp.data if isinstance(inp, Press) else None)
    if named is not None and all(n.id != named for n in rows):
        one = await repo.nudges.get(user_id, named)
        rows = [*rows, one] if one is not None else rows
    return {
        "nudges": tuple(
            NudgeView(n.id, n.kind, n.key, n.due_at, n.state, dict(n.payload)) for n in rows
        )
    }


async def _routine(repo: Repo, user_id: int, _inp: UserInput, now: datetime) -> dict[str, Any]:
    since = now.date() - ROUTINE_WINDOW
    checkins = await repo.checkins.since(user_id, since)
    plans = await repo.week_plans.since(user_id, since)
    return {
        "checkins": tuple({**c, "day": d.isoformat()} for d, c in checkins),
        "week_plans": tuple({**p, "week_start": d.isoformat()} for d, p in plans),
    }


async def _practice(repo: Repo, user_id: int, _inp: UserInput, _now: datetime) -> dict[str, Any]:
    attempts = await repo.practice.recent(user_id)
    return {
        "practice": tuple(
            {
                "question": a.question,
                "answer": a.answer,
                "seconds": a.seconds,
                "report": dict(a.report),
                "created_at": a.created_at.isoformat(),
            }
            for a in attempts
        )
    }


async def _records(repo: Repo, user_id: int, kinds: set[str]) -> dict[str, Any]:
    """A tracker's items, by kind (every kind asked for is there, empty when they have none)."""
    found: dict[str, list[RecordView]] = {kind: [] for kind in kinds}
    for row in await repo.records.of_kinds(user_id, kinds):
        found[row.kind].append(
            RecordView(row.kind, row.key, dict(row.content), row.created_at, row.updated_at)
        )
    return {"records": {kind: tuple(items) for kind, items in found.items()}}


LOADERS: dict[str, Loader] = {
    "problems": _problems,
    "nudges": _nudges,
    "routine": _routine,
    "practice": _practice,
}
# "records:<kind>" is a tracker's items of that kind: one loader serves every tracker.
_declared = {r.name for f in FEATURES for r in f.reads if not r.name.startswith(RECORDS)}
assert _declared <= set(LOADERS), f"reads nobody loads: {_declared - set(LOADERS)}"


async def load(
    repo: Repo, user_id: int, inp: UserInput, wanted: set[str], now: datetime
) -> dict[str, Any]:
    """The UserView fields of the parts this turn reads."""
    loaded: dict[str, Any] = {}
    kinds = {name.removeprefix(RECORDS) for name in wanted if name.startswith(RECORDS)}
    if kinds:  # every tracker's items this turn reads, in one query
        loaded.update(await _records(repo, user_id, kinds))
    for name in sorted(wanted - {RECORDS + kind for kind in kinds}):
        loaded.update(await LOADERS[name](repo, user_id, inp, now))
    return loaded
