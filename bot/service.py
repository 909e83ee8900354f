"""One update, one unit of work: load the user, ask the coach, store what it decided.

This is the whole path of data through the house: ``bot`` finds the user and their
dialogue state in ``storage``, the pure coach in ``conversations`` answers with replies and
effects, the effects and the new state are committed in one transaction, and only then
does the transport send the replies. If anything fails, nothing of this turn is stored,
and the user's place in the conversation is exactly where it was. Input from every transport
is cleaned here first, so what a database cannot store never reaches it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from bot import effects, reads
from conversations import catalog, coach
from conversations.coach import CoachConfig, UserView
from conversations.messages import (
    DeleteAllData,
    DialogueState,
    Turn,
    UserInput,
    clean_input,
    clean_text,
)
from storage.db import Database


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
        # Every transport's input passes here: what cannot be stored (a NUL, a lone
        # surrogate, control characters) is cleaned before the coach sees or stores it.
        inp = clean_input(inp)
        if who.first_name is not None:
            who = replace(who, first_name=clean_text(who.first_name).strip() or None)
        now = self.clock()
        async with self.db.unit_of_work() as repo:
            user, stored = await repo.user_with_state(
                who.channel, who.external_id, who.first_name, now=now
            )
            returning = user.blocked_at is not None
            if returning:  # they blocked us once and are back: reminders may resume
                await repo.users.unblock(user.id)
            # Answers and last events come off the state row just read: no query of their own.
            known = await repo.remembered(user.id)
            state = DialogueState(stored.flow, stored.step, stored.data)
            # A button's label typed reads what tapping the button reads.
            meant = catalog.heard(inp, state)
            view = UserView(
                first_name=user.first_name,
                joined_at=user.created_at,
                answers=known.answers,
                paused=user.paused_at is not None,
                last_shown={k: t for k, t in known.last_events.items() if k in catalog.REMEMBERED},
                **await reads.load(repo, user.id, meant, catalog.reads(meant, stored.flow), now),
            )
            # The coach is pure but may draw a chart or a PDF: off the event loop it goes.
            turn = await asyncio.to_thread(coach.handle, inp, state, view, now, self.config)
            erasing = any(isinstance(e, DeleteAllData) for e in turn.effects)
            if returning and not erasing:
                turn = replace(turn, effects=turn.effects + catalog.replan_everything(view, now))
            extra = await effects.apply(effects.Store(repo, user.id, now), turn.effects)
            if not erasing:
                await repo.dialogue.put(user.id, turn.state.flow, turn.state.step, turn.state.data)
        return replace(turn, replies=turn.replies + extra)
