"""One update, one unit of work: load the user, ask the coach, store what it decided.

This is the whole path of data through the house: ``bot`` finds the user and their
dialogue state in ``storage``, the pure coach in ``conversations`` answers with replies and
effects, the effects and the new state are committed in one transaction, and only then
does the transport send the replies. If anything fails, nothing of this turn is stored,
and the user's place in the conversation is exactly where it was.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from conversations import coach
from conversations.care import CRISIS_EVENT
from conversations.checkins import CARE_LOW_MOOD, CARE_SLEEP
from conversations.coach import CoachConfig, UserView
from conversations.messages import (
    Attachment,
    CancelNudges,
    DeleteAllData,
    DialogueState,
    ExportData,
    Press,
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
    Turn,
    UserInput,
)
from conversations.nudging import nudge_id_in
from conversations.planner import replan_everything
from conversations.session import NudgeView
from conversations.texts import EXPORT_CAPTION
from storage.db import Database
from storage.repo import Repo


@dataclass(frozen=True)
class Who:
    """Who is talking: a channel ("telegram", "terminal") and their id on it."""

    channel: str
    external_id: str
    first_name: str | None = None


# The events whose last time the coach needs (care messages are not repeated too soon).
SHOWN_KINDS = (CRISIS_EVENT, CARE_LOW_MOOD, CARE_SLEEP)
# How far back check-ins and weekly plans are read (streaks, trends, reviews, /history).
ROUTINE_WINDOW = timedelta(days=35)

# After /resume, one-off reminders overdue by more than this are let go rather than sent.
LET_GO_AFTER = timedelta(days=1)


def utc_now() -> datetime:
    return datetime.now(UTC)


class CoachService:
    def __init__(
        self,
        db: Database,
        config: CoachConfig | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.db = db
        self.config = config or CoachConfig()
        self.clock = clock

    async def handle(self, who: Who, inp: UserInput) -> Turn:
        now = self.clock()
        async with self.db.unit_of_work() as repo:
            user, stored = await repo.user_with_state(who.channel, who.external_id, who.first_name)
            returning = user.blocked_at is not None
            if returning:  # they blocked us once and are back: reminders may resume
                await repo.users.unblock(user.id)
            view = UserView(
                first_name=user.first_name,
                answers=await repo.answers.latest(user.id),
                paused=user.paused_at is not None,
                last_shown=await repo.events.last_of(user.id, SHOWN_KINDS),
                **await self._heavier(repo, user.id, inp, coach.reads(inp, stored.flow), now),
            )
            state = DialogueState(stored.flow, stored.step, stored.data)
            # The coach is pure but may draw a chart or a PDF: off the event loop it goes.
            turn = await asyncio.to_thread(coach.handle, inp, state, view, now, self.config)
            erasing = any(isinstance(e, DeleteAllData) for e in turn.effects)
            if returning and not erasing:
                turn = replace(turn, effects=turn.effects + replan_everything(view, now))
            extra = await self._apply(repo, user.id, turn, now)
            if not erasing:
                await repo.dialogue.put(user.id, turn.state.flow, turn.state.step, turn.state.data)
        return replace(turn, replies=turn.replies + extra)

    async def _heavier(
        self, repo: Repo, user_id: int, inp: UserInput, wanted: set[str], now: datetime
    ) -> dict[str, Any]:
        """The parts of the user's data that only some turns read, loaded for those turns."""
        loaded: dict[str, Any] = {}
        if "problems" in wanted:
            loaded["problems"] = await repo.problems.latest(user_id)
        if "nudges" in wanted:
            rows = await repo.nudges.pending(user_id)
            named = nudge_id_in(inp.data if isinstance(inp, Press) else None)
            if named is not None and all(n.id != named for n in rows):
                one = await repo.nudges.get(user_id, named)
                rows = [*rows, one] if one is not None else rows
            loaded["nudges"] = tuple(
                NudgeView(n.id, n.kind, n.key, n.due_at, n.state, dict(n.payload)) for n in rows
            )
        if "routine" in wanted:
            since = now.date() - ROUTINE_WINDOW
            checkins = await repo.checkins.since(user_id, since)
            plans = await repo.week_plans.since(user_id, since)
            loaded["checkins"] = tuple({**c, "day": d.isoformat()} for d, c in checkins)
            loaded["week_plans"] = tuple({**p, "week_start": d.isoformat()} for d, p in plans)
        if "practice" in wanted:
            loaded["practice"] = tuple(
                {
                    "question": a.question,
                    "answer": a.answer,
                    "seconds": a.seconds,
                    "report": dict(a.report),
                    "created_at": a.created_at.isoformat(),
                }
                for a in await repo.practice.recent(user_id)
            )
        return loaded

    async def _apply(
        self, repo: Repo, user_id: int, turn: Turn, now: datetime
    ) -> tuple[Reply, ...]:
        extra: list[Reply] = []
        for effect in turn.effects:
            if isinstance(effect, SaveAnswer):
                await repo.answers.add(
                    user_id,
                    effect.flow,
                    effect.key,
                    effect.raw_text,
                    effect.value,
                    skipped=effect.skipped,
                )
            elif isinstance(effect, RecordEvent):
                await repo.events.add(user_id, effect.kind, effect.detail)
            elif isinstance(effect, ExportData):
                await repo.session.flush()
                extra.append(Reply("", document=await export_file(repo, user_id, now)))
            elif isinstance(effect, ScheduleNudge):
                await repo.nudges.add(
                    user_id, effect.kind, effect.key, effect.due_at, effect.payload
                )
            elif isinstance(effect, CancelNudges):
                await repo.nudges.cancel_pending(user_id, effect.key, prefix=effect.prefix)
            elif isinstance(effect, SetNudgeState):
                await repo.nudges.set_state(user_id, effect.nudge_id, effect.state)
            elif isinstance(effect, SetPaused):
                await repo.users.set_paused(user_id, now if effect.paused else None)
                if not effect.paused:
                    await repo.nudges.let_go_overdue(user_id, now - LET_GO_AFTER)
            elif isinstance(effect, SavePracticeAttempt):
                await repo.practice.add(
                    user_id, effect.question, effect.answer, effect.seconds, effect.report
                )
            elif isinstance(effect, SaveCheckIn):
                await repo.checkins.put(user_id, effect.day, effect.content)
            elif isinstance(effect, SaveWeekPlan):
                await repo.week_plans.put(user_id, effect.week_start, effect.content)
            elif isinstance(effect, SaveProblemsList):
                await repo.problems.add(user_id, effect.made_on, effect.content)
            elif isinstance(effect, DeleteAllData):
                await repo.delete_user(user_id)
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
