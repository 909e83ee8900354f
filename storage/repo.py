"""Repositories over one session: ``repo.users``, ``repo.answers``, ``repo.dialogue``...

Every query takes the user it serves; nothing here reads across users. Nothing here
commits: the caller's unit of work does (see ``storage.db.Database.unit_of_work``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Row, Table, and_, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.orm.attributes import set_committed_value

from storage.models import (
    Answer,
    Base,
    CheckInRow,
    DialogueStateRow,
    Event,
    Nudge,
    PracticeAttempt,
    ProblemsListRow,
    Record,
    User,
    WeekPlanRow,
    utcnow,
)

# The largest id an integer primary key holds (PostgreSQL's 4-byte integer).
MAX_ROW_ID = 2**31 - 1


@dataclass(frozen=True)
class StoredState:
    flow: str | None
    step: str | None
    data: dict[str, Any]


@dataclass(frozen=True)
class Remembered:
    """What every turn reads: the latest answer to each question by flow (skipped ones are
    None), and when each kind of event last happened for the user."""

    answers: dict[str, dict[str, Any]]
    last_events: dict[str, datetime]


class Users:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, channel: str, external_id: str) -> User | None:
        query = select(User).where(User.channel == channel, User.external_id == external_id)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def get_or_create(
        self,
        channel: str,
        external_id: str,
        first_name: str | None,
        *,
        now: datetime | None = None,
    ) -> User:
        """The user, created (joined at ``now``, default: the clock) when new."""
        user = await self.find(channel, external_id)
        if user is None:
            try:
                # A savepoint, so a twin insert from another replica only undoes this insert.
                async with self.session.begin_nested():
                    user = User(
                        channel=channel,
                        external_id=external_id,
                        first_name=first_name,
                        created_at=now or utcnow(),
                    )
                    self.session.add(user)
            except IntegrityError:
                user = await self.find(channel, external_id)
                assert user is not None
        elif first_name and user.first_name != first_name:
            user.first_name = first_name
        return user

    async def mark_blocked(self, user_id: int, now: datetime) -> None:
        """Telegram said this user blocked the bot: remember it and cancel what we still owe.

        The nudges being sent right now (claimed) are cancelled too, so no retry brings
        them back; ``unblock`` does not revive them.
        """
        await self.session.execute(update(User).where(User.id == user_id).values(blocked_at=now))
        await self.session.execute(
            update(Nudge)
            .where(Nudge.user_id == user_id, Nudge.state.in_(("pending", "claimed")))
            .values(state="cancelled", claimed_at=None)
        )

    async def set_paused(self, user_id: int, since: datetime | None) -> None:
        """/pause (a moment) or /resume (None)."""
        await self.session.execute(update(User).where(User.id == user_id).values(paused_at=since))

    async def unblock(self, user_id: int) -> None:
        """They wrote to us again: nudges planned from now on are sent."""
        await self.session.execute(update(User).where(User.id == user_id).values(blocked_at=None))


class Answers:
    def __init__(self, session: AsyncSession, dialogue: Dialogue) -> None:
        self.session = session
        self.dialogue = dialogue

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
        await self.dialogue.note_answer(user_id, flow, key, value)

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
    """Where each user is in a conversation, and what every turn reads (``remembered``).

    ``remembered`` comes off the state row the turn reads anyway, and is kept true by
    ``Answers.add`` and ``Events.add``, which note what they store here; ``put`` writes it
    back in the turn's one UPDATE. A row without it (written before revision 0007, or after
    an answer was stored outside a turn) is built once from the tables.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        # Rows read in this unit of work, held so ``put`` needs no second read (the
        # session's identity map only keeps objects something else still refers to).
        self._rows: dict[int, DialogueStateRow | None] = {}
        self._remembered: dict[int, Remembered] = {}

    def remember(self, user_id: int, row: DialogueStateRow | None) -> None:
        """A row (or its absence) already read in this unit of work, so it is not read again."""
        self._rows[user_id] = row

    async def _row(self, user_id: int) -> DialogueStateRow | None:
        if user_id not in self._rows:
            self._rows[user_id] = await self.session.get(DialogueStateRow, user_id)
        return self._rows[user_id]

    async def get(self, user_id: int) -> StoredState:
        row = await self._row(user_id)
        if row is None:
            return StoredState(None, None, {})
        return StoredState(row.flow, row.step, dict(row.data or {}))

    async def remembered(self, user_id: int, answers: Answers, events: Events) -> Remembered:
        """The user's latest answers and last events: off their state row when it has them
        (no query beyond the row), else from ``answers`` and ``events`` (built once)."""
        if user_id in self._remembered:
            return self._remembered[user_id]
        row = await self._row(user_id)
        if row is not None and row.answers is not None and row.last_events is not None:
            # Copies: the row keeps what was read, so ``put`` writes only what changed.
            known = Remembered(
                {flow: dict(keys) for flow, keys in row.answers.items()},
                {kind: _aware(when) for kind, when in row.last_events.items()},
            )
        else:
            known = Remembered(await answers.latest(user_id), await events.last_of(user_id))
        self._remembered[user_id] = known
        return known

    async def note_answer(self, user_id: int, flow: str, key: str, value: Any) -> None:
        known = self._remembered.get(user_id)
        if known is None:
            await self._forget(user_id)
        else:
            known.answers.setdefault(flow, {})[key] = value

    async def note_event(self, user_id: int, kind: str, when: datetime) -> None:
        known = self._remembered.get(user_id)
        if known is None:
            await self._forget(user_id)
        else:
            known.last_events[kind] = when

    async def _forget(self, user_id: int) -> None:
        """Stored outside a turn (a script, a test): the next turn rebuilds from the tables."""
        row = await self._row(user_id)
        if row is not None:
            row.answers = row.last_events = None

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
        known = self._remembered.get(user_id)
        if known is not None:
            row.answers = {flow: dict(keys) for flow, keys in known.answers.items()}
            row.last_events = {kind: when.isoformat() for kind, when in known.last_events.items()}


class Events:
    def __init__(self, session: AsyncSession, dialogue: Dialogue) -> None:
        self.session = session
        self.dialogue = dialogue

    async def add(
        self,
        user_id: int,
        kind: str,
        detail: dict[str, Any] | None = None,
        *,
        at: datetime | None = None,
    ) -> None:
        """Record that ``kind`` happened, at ``at`` (the turn's moment; default: now)."""
        when = at or utcnow()
        self.session.add(Event(user_id=user_id, kind=kind, detail=detail or {}, created_at=when))
        await self.dialogue.note_event(user_id, kind, when)

    async def last(self, user_id: int, kind: str) -> datetime | None:
        """When ``kind`` last happened for this user (None: never)."""
        query = (
            select(Event.created_at)
            .where(Event.user_id == user_id, Event.kind == kind)
            .order_by(Event.id.desc())
            .limit(1)
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def last_of(
        self, user_id: int, kinds: tuple[str, ...] | None = None
    ) -> dict[str, datetime]:
        """When each of ``kinds`` (default: every kind) last happened for this user (kinds
        never seen are absent)."""
        query = select(Event.kind, func.max(Event.created_at)).where(Event.user_id == user_id)
        if kinds is not None:
            query = query.where(Event.kind.in_(kinds))
        query = query.group_by(Event.kind)
        rows = await self.session.execute(query)
        return {kind: _aware(when) for kind, when in rows if when is not None}

    async def kinds(self, user_id: int) -> list[str]:
        query = select(Event.kind).where(Event.user_id == user_id).order_by(Event.id)
        return list((await self.session.execute(query)).scalars())


# What a nudge becomes once nothing more will be done with it.
FINISHED_STATES = ("sent", "done", "snoozed", "cancelled", "expired", "failed")


class Nudges:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self, user_id: int, kind: str, key: str, due_at: datetime, payload: dict[str, Any]
    ) -> None:
        await self.add_many(user_id, [(kind, key, due_at, payload)])

    async def add_many(
        self, user_id: int, nudges: list[tuple[str, str, datetime, dict[str, Any]]]
    ) -> None:
        """Several nudges (kind, key, due_at, payload) in one INSERT: a plan writes dozens."""
        if nudges:
            rows = [
                {"user_id": user_id, "kind": kind, "key": key, "due_at": due, "payload": payload}
                for kind, key, due, payload in nudges
            ]
            await self.session.execute(insert(Nudge), rows)

    async def cancel_pending(self, user_id: int, key: str, *, prefix: bool = False) -> None:
        """Cancel what is still owed for ``key`` (say, a meeting whose date changed).

        With ``prefix``, every key that starts with ``key`` ("plan:" is the whole plan).
        """
        which = Nudge.key.startswith(key, autoescape=True) if prefix else Nudge.key == key
        await self.session.execute(
            update(Nudge)
            .where(Nudge.user_id == user_id, which, Nudge.state == "pending")
            .values(state="cancelled")
        )

    async def get(self, user_id: int, nudge_id: int) -> Nudge | None:
        """One nudge, only if it is this user's (the id may come from a forged button)."""
        if not 0 < nudge_id <= MAX_ROW_ID:  # PostgreSQL refuses to compare past its integer
            return None
        query = select(Nudge).where(Nudge.id == nudge_id, Nudge.user_id == user_id)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def set_state(self, user_id: int, nudge_id: int, state: str) -> None:
        """The user acted on one of their nudges (snoozed, done)."""
        await self.session.execute(
            update(Nudge).where(Nudge.id == nudge_id, Nudge.user_id == user_id).values(state=state)
        )

    async def let_go_overdue(self, user_id: int, before: datetime) -> int:
        """Cancel one-off nudges that fell due before ``before`` (after a pause): no pile-up.

        Recurring ones stay: the sweep sends the latest and plans the next from there.
        """
        query = select(Nudge).where(
            Nudge.user_id == user_id, Nudge.state == "pending", Nudge.due_at < before
        )
        overdue = [
            n for n in (await self.session.execute(query)).scalars() if not n.payload.get("every")
        ]
        for nudge in overdue:
            nudge.state = "cancelled"
        return len(overdue)

    async def pending(self, user_id: int) -> list[Nudge]:
        query = (
            select(Nudge)
            .where(Nudge.user_id == user_id, Nudge.state == "pending")
            .order_by(Nudge.due_at, Nudge.id)
        )
        return list((await self.session.execute(query)).scalars())

    # ------------------------------------------------------------ the sweep

    async def claim_due(
        self,
        now: datetime,
        *,
        limit: int = 50,
        stale_after: timedelta = timedelta(minutes=5),
    ) -> list[tuple[Nudge, User]]:
        """Claim up to ``limit`` nudges due by ``now``, oldest first, with their users.

        Due means pending with ``due_at <= now``, or claimed before ``now - stale_after`` by
        a sweep that never finished (a crash, a restart): so a restart loses no nudge.
        Users who paused or blocked the bot are left out; their rows stay as they are.

        The sweep's only queries across users. On PostgreSQL the rows are locked with
        ``FOR UPDATE OF nudges SKIP LOCKED``, so two replicas claiming at once get disjoint
        sets; on SQLite the unit of work already began with BEGIN IMMEDIATE (one writer).
        The caller commits the claim at once and sends outside this transaction.
        """
        # Two range scans rather than one OR, so each reads its index in order with no sort:
        # stale claims first (rare, and older than anything pending), then pending by due time.
        stale = and_(Nudge.state == "claimed", Nudge.claimed_at < now - stale_after)
        pending = and_(Nudge.state == "pending", Nudge.due_at <= now)
        claimed: list[tuple[Nudge, User]] = []
        for due in (stale, pending):
            if len(claimed) >= limit:
                break
            claimed += await self._due(due, limit - len(claimed))
        if claimed:
            # One UPDATE for the batch (not one per row at flush); the objects are told what
            # the row now holds, as committed values, so nothing is written twice.
            ids = [nudge.id for nudge, _ in claimed]
            await self.session.execute(
                update(Nudge)
                .where(Nudge.id.in_(ids))
                .values(state="claimed", claimed_at=now)
                .execution_options(synchronize_session=False)
            )
            for nudge, _ in claimed:
                set_committed_value(nudge, "state", "claimed")
                set_committed_value(nudge, "claimed_at", now)
        return claimed

    async def prune(self, before: datetime, *, limit: int = 5000) -> int:
        """Delete up to ``limit`` finished nudges (sent, done, snoozed, cancelled, expired,
        failed) due before ``before``; the number deleted. Maintenance across users, like the
        claim: each state is one range scan of the (state, due_at, id) index."""
        deleted = 0
        for state in FINISHED_STATES:
            if deleted >= limit:
                break
            old = (
                select(Nudge.id)
                .where(Nudge.state == state, Nudge.due_at < before)
                .order_by(Nudge.due_at, Nudge.id)
                .limit(limit - deleted)
            )
            ids = list((await self.session.execute(old)).scalars())
            if ids:
                await self.session.execute(delete(Nudge).where(Nudge.id.in_(ids)))
                deleted += len(ids)
        return deleted

    async def _due(self, due: Any, limit: int) -> list[tuple[Nudge, User]]:
        query = (
            select(Nudge, User)
            .join(User, User.id == Nudge.user_id)
            .where(due, User.paused_at.is_(None), User.blocked_at.is_(None))
            .order_by(Nudge.due_at, Nudge.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=Nudge)
        )
        return [(nudge, user) for nudge, user in await self.session.execute(query)]

    async def mark_sent(self, nudge_id: int, now: datetime) -> bool:
        """Record a nudge as sent. False if it was no longer claimed (another sweep that
        took over a stale claim got there first, or the user blocked us meanwhile): then
        the caller must not plan its next occurrence a second time."""
        result = await self.session.execute(
            update(Nudge)
            .where(Nudge.id == nudge_id, Nudge.state == "claimed")
            .values(state="sent", sent_at=now, claimed_at=None)
            .returning(Nudge.id)
        )
        return result.scalar_one_or_none() is not None

    async def retry_later(self, nudge_id: int, due_at: datetime) -> None:
        """A send failed for a passing reason: back to pending at ``due_at``, one more attempt."""
        await self.session.execute(
            update(Nudge)
            .where(Nudge.id == nudge_id, Nudge.state == "claimed")
            .values(state="pending", due_at=due_at, claimed_at=None, attempts=Nudge.attempts + 1)
        )

    async def mark_failed(self, nudge_id: int, *, attempted: bool = False) -> None:
        """Give up on a nudge (``attempted``: this failure was a send, count it)."""
        values: dict[str, Any] = {"state": "failed", "claimed_at": None}
        if attempted:
            values["attempts"] = Nudge.attempts + 1
        await self.session.execute(
            update(Nudge).where(Nudge.id == nudge_id, Nudge.state == "claimed").values(**values)
        )

    async def expire(self, nudge_id: int) -> None:
        """Too late to be useful (the bot was down for days): never sent, kept as "expired"."""
        await self.session.execute(
            update(Nudge)
            .where(Nudge.id == nudge_id, Nudge.state == "claimed")
            .values(state="expired", claimed_at=None)
        )

    async def defer(self, nudge_id: int, due_at: datetime) -> None:
        """Not now (quiet hours): back to pending at ``due_at``; no attempt was made."""
        await self.session.execute(
            update(Nudge)
            .where(Nudge.id == nudge_id, Nudge.state == "claimed")
            .values(state="pending", due_at=due_at, claimed_at=None)
        )


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


class Dated:
    """One JSON row per user and day (check-ins) or per user and week (weekly plans)."""

    def __init__(
        self,
        session: AsyncSession,
        model: type[CheckInRow] | type[WeekPlanRow],
        day_column: InstrumentedAttribute[date],
    ) -> None:
        self.session = session
        self.model = model
        self.day_column = day_column

    async def put(self, user_id: int, day: date, content: dict[str, Any]) -> None:
        """Insert, or update the row of that day (a second check-in the same day)."""
        query = select(self.model).where(self.model.user_id == user_id, self.day_column == day)
        row: Any = (await self.session.execute(query)).scalar_one_or_none()
        if row is None:
            fields = {"user_id": user_id, "content": content, self.day_column.key: day}
            self.session.add(self.model(**fields))
        else:
            row.content, row.updated_at = content, utcnow()

    async def since(self, user_id: int, first: date) -> list[tuple[date, dict[str, Any]]]:
        """(day, content) from ``first`` on, oldest first."""
        query = (
            select(self.day_column, self.model.content)
            .where(self.model.user_id == user_id, self.day_column >= first)
            .order_by(self.day_column)
        )
        return [(day, dict(content)) for day, content in await self.session.execute(query)]


class Practice:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self,
        user_id: int,
        question: str,
        answer: str | None,
        seconds: int | None,
        report: dict[str, Any],
    ) -> None:
        self.session.add(
            PracticeAttempt(
                user_id=user_id, question=question, answer=answer, seconds=seconds, report=report
            )
        )

    async def recent(self, user_id: int, limit: int = 60) -> list[PracticeAttempt]:
        """The latest attempts, oldest first."""
        query = (
            select(PracticeAttempt)
            .where(PracticeAttempt.user_id == user_id)
            .order_by(PracticeAttempt.id.desc())
            .limit(limit)
        )
        return list(reversed(list((await self.session.execute(query)).scalars())))


class Records:
    """The items trackers keep, by kind and key (see ``storage.models.Record``)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def put(self, user_id: int, kind: str, key: str, content: dict[str, Any]) -> None:
        """Insert the item, or replace the content of the one under the same kind and key.

        A turn holds its user (see ``Repo.user_with_state``), so no other turn of theirs
        inserts the same key between the read and the insert."""
        query = select(Record).where(
            Record.user_id == user_id, Record.kind == kind, Record.key == key
        )
        row = (await self.session.execute(query)).scalar_one_or_none()
        if row is None:
            self.session.add(Record(user_id=user_id, kind=kind, key=key, content=content))
        else:
            row.content, row.updated_at = content, utcnow()

    async def drop(self, user_id: int, kind: str, key: str) -> None:
        await self.session.execute(
            delete(Record).where(Record.user_id == user_id, Record.kind == kind, Record.key == key)
        )

    async def of_kinds(self, user_id: int, kinds: set[str]) -> list[Row[Any]]:
        """The user's items of these kinds, oldest first, as plain rows (kind, key, content,
        created_at, updated_at): a list of 300 programs is read on every turn that shows it,
        so no ORM object is built for each."""
        await self.session.flush()  # an item put earlier in this unit of work is read back
        query = (
            select(Record.kind, Record.key, Record.content, Record.created_at, Record.updated_at)
            .where(Record.user_id == user_id, Record.kind.in_(sorted(kinds)))
            .order_by(Record.id)
        )
        return list(await self.session.execute(query))


def user_tables() -> list[Table]:
    """Every table holding a user's data (all of them carry ``user_id``)."""
    return [t for t in Base.metadata.sorted_tables if "user_id" in t.c]


class Repo:
    """The repositories of one unit of work."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.users = Users(session)
        self.dialogue = Dialogue(session)
        self.answers = Answers(session, self.dialogue)
        self.events = Events(session, self.dialogue)
        self.nudges = Nudges(session)
        self.problems = ProblemsLists(session)
        self.checkins = Dated(session, CheckInRow, CheckInRow.day)
        self.week_plans = Dated(session, WeekPlanRow, WeekPlanRow.week_start)
        self.practice = Practice(session)
        self.records = Records(session)
        # SQLite has no row locks (nor FOR UPDATE): its unit of work locks the whole database.
        self._row_locks = session.get_bind().dialect.name != "sqlite"

    async def hold_user(self, user_id: int) -> None:
        """Wait for, then hold, the lock a turn of this user holds (see ``user_with_state``),
        so what the sweep records of a user's reminder never interleaves with their turn.
        SQLite's unit of work holds the whole database already."""
        if self._row_locks:
            lock = select(User.id).where(User.id == user_id).with_for_update(key_share=True)
            await self.session.execute(lock)

    async def user_with_state(
        self,
        channel: str,
        external_id: str,
        first_name: str | None,
        *,
        now: datetime | None = None,
    ) -> tuple[User, StoredState]:
        """The user and their dialogue state, with this user's turns serialised.

        Every turn needs both, and two messages of one user handled at once (two replicas,
        or python-telegram-bot's ``concurrent_updates``) must not both answer the question
        they both saw open. So the turn that reads the state holds the user until its unit
        of work ends, and the other waits and then reads what the first one stored:

        - PostgreSQL: the user's row is locked first (``FOR NO KEY UPDATE``: it excludes
          another turn's lock but not the foreign-key checks of rows inserted for this user
          elsewhere, such as the sweep's next reminder, so no deadlock with the sweep), the
          row being created first for a new user (a twin insert waits for ours, then finds
          it). The state is read by a later statement, which under READ COMMITTED sees what
          the previous holder of the lock committed; a lock taken in the same statement as
          the join would hand back the state as it was before the wait.
        - SQLite: the unit of work began with ``BEGIN IMMEDIATE`` (see ``storage.db``), the
          database's one write lock, held to the end: one read does it all.
        """
        if self._row_locks:
            lock = (
                select(User.id)
                .where(User.channel == channel, User.external_id == external_id)
                .with_for_update(key_share=True)
            )
            if (await self.session.execute(lock)).scalar_one_or_none() is None:
                await self.users.get_or_create(channel, external_id, first_name, now=now)
                (await self.session.execute(lock)).scalar_one()
        query = (
            select(User, DialogueStateRow)
            .outerjoin(DialogueStateRow, DialogueStateRow.user_id == User.id)
            .where(User.channel == channel, User.external_id == external_id)
            # Rows read before the lock was ours (a new user's twin insert) are read again.
            .execution_options(populate_existing=self._row_locks)
        )
        found = (await self.session.execute(query)).one_or_none()
        if found is None:
            user = await self.users.get_or_create(channel, external_id, first_name, now=now)
        else:
            user = found[0]
            self.dialogue.remember(user.id, found[1])
            if first_name and user.first_name != first_name:
                user.first_name = first_name
        return user, await self.dialogue.get(user.id)

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

    async def remembered(self, user_id: int) -> Remembered:
        """The user's latest answers and last events (see ``Dialogue.remembered``)."""
        return await self.dialogue.remembered(user_id, self.answers, self.events)

    async def delete_user(self, user_id: int) -> None:
        """Erase every row of one user (children first, so no backend needs cascades)."""
        for table in reversed(user_tables()):
            await self.session.execute(delete(table).where(table.c.user_id == user_id))
        users = Base.metadata.tables["users"]
        await self.session.execute(delete(users).where(users.c.id == user_id))


def _aware(when: datetime | str) -> datetime:
    # An aggregate skips the column type's conversion, so SQLite hands back naive UTC (or text);
    # a JSON column holds ISO text.
    if isinstance(when, str):
        when = datetime.fromisoformat(when)
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime | date) else v for k, v in row.items()}
