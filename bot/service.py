"""One update, one unit of work: load the user, ask the coach, store what it decided.

This is the whole path of data through the house: ``bot`` finds the user and their
dialogue state in ``storage``, the pure coach in ``conversations`` answers with replies and
effects, the effects and the new state are committed in one transaction, and only then
does the transport send the replies. If anything fails, nothing of this turn is stored,
and the user's place in the conversation is exactly where it was.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from conversations import coach
from conversations.coach import CoachConfig, UserView
from conversations.messages import (
    Attachment,
    CancelNudges,
    DeleteAllData,
    DialogueState,
    ExportData,
    RecordEvent,
    Reply,
    SaveAnswer,
    SaveProblemsList,
    ScheduleNudge,
    Turn,
    UserInput,
)
from conversations.texts import EXPORT_CAPTION
from storage.db import Database
from storage.repo import Repo


@dataclass(frozen=True)
class Who:
    """Who is talking: a channel ("telegram", "terminal") and their id on it."""

    channel: str
    external_id: str
    first_name: str | None = None


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
            user = await repo.users.get_or_create(who.channel, who.external_id, who.first_name)
            stored = await repo.dialogue.get(user.id)
            view = UserView(
                first_name=user.first_name,
                answers=await repo.answers.latest(user.id),
                problems=await repo.problems.latest(user.id),
            )
            state = DialogueState(stored.flow, stored.step, stored.data)
            turn = coach.handle(inp, state, view, now, self.config)
            extra = await self._apply(repo, user.id, turn, now)
            if not any(isinstance(e, DeleteAllData) for e in turn.effects):
                await repo.dialogue.put(user.id, turn.state.flow, turn.state.step, turn.state.data)
        return replace(turn, replies=turn.replies + extra)

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
                await repo.nudges.cancel_pending(user_id, effect.key)
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
