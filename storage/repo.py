"""Repositories over one session: ``repo.users``, ``repo.answers``, ``repo.dialogue``...

Every query takes the user it serves; nothing here reads across users. Nothing here
commits: the caller's unit of work does (see ``storage.db.Database.unit_of_work``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Answer,
    Base,
    DialogueStateRow,
    Event,
    Nudge,
    ProblemsListRow,
    User,
    utcnow,
)


@dataclass(frozen=True)
class StoredState:
    flow: str | None
    step: str | None
    data: dict[str, Any]


class Users:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, channel: str, external_id: str) -> User | None:
        query = select(User).where(User.channel == channel, User.external_id == external_id)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def get_or_create(self, channel: str, external_id: str, first_name: str | None) -> User:
        user = await self.find(channel, external_id)
        if user is None:
            try:
                # A savepoint, so a twin insert from another replica only undoes this insert.
                async with self.session.begin_nested():
                    user = User(channel=channel, external_id=external_id, first_name=first_name)
                    self.session.add(user)
            except IntegrityError:
                user = await self.find(channel, external_id)
                assert user is not None
        elif first_name and user.first_name != first_name:
            user.first_name = first_name
        return user


class Answers:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self,
        user_id: int,
        flow: str,
        key: str,
        raw_text: str | None,
        value: Any,
        *,
        skipped: bool = False,
    ) -> None:
        self.session.add(
            Answer(
                user_id=user_id,
                flow=flow,
                key=key,
                raw_text=raw_text,
                value=value,
                skipped=skipped,
            )
        )

    async def latest(self, user_id: int) -> dict[str, dict[str, Any]]:
        """The newest answer to each question, grouped by flow (skipped ones are None)."""
        query = select(Answer.flow, Answer.key, Answer.value).where(Answer.user_id == user_id)
        latest: dict[str, dict[str, Any]] = {}
        for flow, key, value in await self.session.execute(query.order_by(Answer.id)):
            latest.setdefault(flow, {})[key] = value
        return latest

    async def history(self, user_id: int, flow: str, key: str) -> list[Answer]:
        query = (
            select(Answer)
            .where(Answer.user_id == user_id, Answer.flow == flow, Answer.key == key)
            .order_by(Answer.id)
        )
        return list((await self.session.execute(query)).scalars())


class Dialogue:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        # Rows read in this unit of work, held so ``put`` needs no second read (the
        # session's identity map only keeps objects something else still refers to).
        self._rows: dict[int, DialogueStateRow | None] = {}

    async def _row(self, user_id: int) -> DialogueStateRow | None:
        if user_id not in self._rows:
            self._rows[user_id] = await self.session.get(DialogueStateRow, user_id)
        return self._rows[user_id]

    async def get(self, user_id: int) -> StoredState:
        row = await self._row(user_id)
        if row is None:
            return StoredState(None, None, {})
        return StoredState(row.flow, row.step, dict(row.data or {}))

    async def put(
        self, user_id: int, flow: str | None, step: str | None, data: dict[str, Any]
    ) -> None:
        row = await self._row(user_id)
        if row is None:
            row = DialogueStateRow(user_id=user_id, flow=flow, step=step, data=data)
            self.session.add(row)
            self._rows[user_id] = row
        else:
            row.flow, row.step, row.data = flow, step, data
            row.updated_at = utcnow()


class Events:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, user_id: int, kind: str, detail: dict[str, Any] | None = None) -> None:
        self.session.add(Event(user_id=user_id, kind=kind, detail=detail or {}))

    async def kinds(self, user_id: int) -> list[str]:
        query = select(Event.kind).where(Event.user_id == user_id).order_by(Event.id)
        return list((await self.session.execute(query)).scalars())


class Nudges:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self, user_id: int, kind: str, key: str, due_at: datetime, payload: dict[str, Any]
    ) -> None:
        self.session.add(Nudge(user_id=user_id, kind=kind, key=key, due_at=due_at, payload=payload))

    async def cancel_pending(self, user_id: int, key: str) -> None:
        """Cancel what is still owed for ``key`` (say, a meeting whose date changed)."""
        await self.session.execute(
            update(Nudge)
            .where(Nudge.user_id == user_id, Nudge.key == key, Nudge.state == "pending")
            .values(state="cancelled")
        )

    async def pending(self, user_id: int) -> list[Nudge]:
        query = (
            select(Nudge)
            .where(Nudge.user_id == user_id, Nudge.state == "pending")
            .order_by(Nudge.due_at, Nudge.id)
        )
        return list((await self.session.execute(query)).scalars())


class ProblemsLists:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, user_id: int, made_on: date, content: dict[str, Any]) -> None:
        self.session.add(ProblemsListRow(user_id=user_id, made_on=made_on, content=content))

    async def latest(self, user_id: int) -> dict[str, Any] | None:
        query = (
            select(ProblemsListRow.content)
            .where(ProblemsListRow.user_id == user_id)
            .order_by(ProblemsListRow.id.desc())
            .limit(1)
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def count(self, user_id: int) -> int:
        query = select(ProblemsListRow.id).where(ProblemsListRow.user_id == user_id)
        return len((await self.session.execute(query)).all())


def user_tables() -> list[Table]:
    """Every table holding a user's data (all of them carry ``user_id``)."""
    return [t for t in Base.metadata.sorted_tables if "user_id" in t.c]


class Repo:
    """The repositories of one unit of work."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.users = Users(session)
        self.answers = Answers(session)
        self.dialogue = Dialogue(session)
        self.events = Events(session)
        self.nudges = Nudges(session)
        self.problems = ProblemsLists(session)

    async def export_user(self, user_id: int) -> dict[str, Any]:
        """Everything stored about one user, table by table, JSON-safe."""
        users = Base.metadata.tables["users"]
        row = (await self.session.execute(select(users).where(users.c.id == user_id))).one()
        export: dict[str, Any] = {"user": _jsonable(dict(row._mapping))}
        for table in user_tables():
            query = select(table).where(table.c.user_id == user_id)
            query = query.order_by(*table.primary_key.columns)
            rows = await self.session.execute(query)
            export[table.name] = [_jsonable(dict(r._mapping)) for r in rows]
        return export

    async def delete_user(self, user_id: int) -> None:
        """Erase every row of one user (children first, so no backend needs cascades)."""
        for table in reversed(user_tables()):
            await self.session.execute(delete(table).where(table.c.user_id == user_id))
        users = Base.metadata.tables["users"]
        await self.session.execute(delete(users).where(users.c.id == user_id))


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime | date) else v for k, v in row.items()}
