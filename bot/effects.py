"""What a turn stores: each kind of effect the coach decides, mapped to the one function that
stores it. ``CoachService`` applies a turn's effects through ``APPLY``, in order (a run of
reminders through ``APPLY_RUN``, in one statement); a feature with data of its own adds its
effect and one line here.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby
from typing import Any, get_args

from conversations.messages import (
    Attachment,
    CancelNudges,
    DeleteAllData,
    DropRecord,
    Effect,
    ExportData,
    PutRecord,
    RecordEvent,
    Reply,
    SaveAnswer,
    SaveCheckIn,
    SavePracticeAttempt,
    SaveProblemsList,
    SaveWeekPlan,
    ScheduleNudge,
    SetNudgeState,
    SetPaused,
)
from conversations.texts import EXPORT_CAPTION
from storage.repo import Repo

# After /resume, one-off reminders overdue by more than this are let go rather than sent.
LET_GO_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class Store:
    """Where an effect is stored: the turn's repositories, the user, and the turn's moment."""

    repo: Repo
    user_id: int
    now: datetime


# An applier may answer with an extra reply (the export's file); most answer None.
Applier = Callable[[Store, Any], Awaitable[Reply | None]]


async def _save_answer(at: Store, e: SaveAnswer) -> None:
    await at.repo.answers.add(at.user_id, e.flow, e.key, e.raw_text, e.value, skipped=e.skipped)


async def _record_event(at: Store, e: RecordEvent) -> None:
    await at.repo.events.add(at.user_id, e.kind, e.detail, at=at.now)


async def _export(at: Store, _e: ExportData) -> Reply:
    await at.repo.session.flush()  # what this turn stored is in the file too
    return Reply("", document=await export_file(at.repo, at.user_id, at.now))


async def _schedule(at: Store, es: list[ScheduleNudge]) -> None:
    await at.repo.nudges.add_many(at.user_id, [(e.kind, e.key, e.due_at, e.payload) for e in es])


async def _cancel(at: Store, e: CancelNudges) -> None:
    await at.repo.nudges.cancel_pending(at.user_id, e.key, prefix=e.prefix)


async def _nudge_state(at: Store, e: SetNudgeState) -> None:
    await at.repo.nudges.set_state(at.user_id, e.nudge_id, e.state)


async def _paused(at: Store, e: SetPaused) -> None:
    await at.repo.users.set_paused(at.user_id, at.now if e.paused else None)
    if not e.paused:
        await at.repo.nudges.let_go_overdue(at.user_id, at.now - LET_GO_AFTER)


async def _practice(at: Store, e: SavePracticeAttempt) -> None:
    await at.repo.practice.add(at.user_id, e.question, e.answer, e.seconds, e.report)


async def _checkin(at: Store, e: SaveCheckIn) -> None:
    await at.repo.checkins.put(at.user_id, e.day, e.content)


async def _week_plan(at: Store, e: SaveWeekPlan) -> None:
    await at.repo.week_plans.put(at.user_id, e.week_start, e.content)


async def _problems(at: Store, e: SaveProblemsList) -> None:
    await at.repo.problems.add(at.user_id, e.made_on, e.content)


async def _put_record(at: Store, e: PutRecord) -> None:
    await at.repo.records.put(at.user_id, e.kind, e.key, e.content)


async def _drop_record(at: Store, e: DropRecord) -> None:
    await at.repo.records.drop(at.user_id, e.kind, e.key)


async def _delete(at: Store, _e: DeleteAllData) -> None:
    await at.repo.delete_user(at.user_id)


APPLY: dict[type, Applier] = {
    SaveAnswer: _save_answer,
    RecordEvent: _record_event,
    ExportData: _export,
    CancelNudges: _cancel,
    SetNudgeState: _nudge_state,
    SetPaused: _paused,
    SavePracticeAttempt: _practice,
    SaveCheckIn: _checkin,
    SaveWeekPlan: _week_plan,
    SaveProblemsList: _problems,
    PutRecord: _put_record,
    DropRecord: _drop_record,
    DeleteAllData: _delete,
}
# Effects stored a run at a time: consecutive ones of these types go to one applier call
# (finishing onboarding plans dozens of reminders: one INSERT, not dozens).
APPLY_RUN: dict[type, Callable[[Store, list[Any]], Awaitable[None]]] = {
    ScheduleNudge: _schedule,
}
_missing = set(get_args(Effect)) - set(APPLY) - set(APPLY_RUN)
assert not _missing, f"effects nobody stores: {_missing}"


async def apply(at: Store, effects: tuple[Effect, ...]) -> tuple[Reply, ...]:
    """Store a turn's effects in order; the replies some of them add (the export's file)."""
    extra: list[Reply] = []
    for kind, run in groupby(effects, key=type):
        if kind in APPLY_RUN:
            await APPLY_RUN[kind](at, list(run))
            continue
        for effect in run:
            reply = await APPLY[kind](at, effect)
            if reply is not None:
                extra.append(reply)
    return tuple(extra)


async def export_file(repo: Repo, user_id: int, now: datetime) -> Attachment:
    data = {
        "about": "Everything Rematch Coach has stored about you.",
        "exported_at": now.isoformat(),
        **await repo.export_user(user_id),
    }
    content = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False).encode()
    return Attachment(
        filename=f"rematch-coach-export-{now:%Y-%m-%d}.json",
        content=content,
        mime_type="application/json",
        caption=EXPORT_CAPTION,
    )
