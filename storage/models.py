"""What the coach remembers, as SQLAlchemy 2 declarative models.

Every table that holds something about a person has a ``user_id`` column pointing at
``users`` with ON DELETE CASCADE: that is the one rule /export and /delete rely on (they
walk every such table), and a test checks no table breaks it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in UTC on every backend (SQLite keeps no zone, so we put it back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use UTC-aware datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


JSONValue = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSONValue}  # noqa: RUF012


class User(Base):
    """One person on one channel (a Telegram chat, or the local terminal)."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("channel", "external_id", name="uq_users_channel_external"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    first_name: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set by /pause (cleared by /resume): no nudges are sent while it is set.
    paused_at: Mapped[datetime | None]
    # Set when Telegram says the user blocked the bot (403): no more nudges, ever, until
    # they write to us again.
    blocked_at: Mapped[datetime | None]


class Answer(Base):
    """Every answer as given (raw text) and as understood (value), never overwritten."""

    __tablename__ = "answers"
    __table_args__ = (Index("ix_answers_user_flow_key", "user_id", "flow", "key", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    flow: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(64))
    raw_text: Mapped[str | None] = mapped_column(Text)
    value: Mapped[Any] = mapped_column(JSONValue, nullable=True)
    skipped: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DialogueStateRow(Base):
    """Where a user is in a conversation, so a restart or a second replica loses nothing."""

    __tablename__ = "dialogue_states"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    flow: Mapped[str | None] = mapped_column(String(32))
    step: Mapped[str | None] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # What every turn reads, kept here so the row the turn reads anyway carries it: the
    # latest answer to each question by flow (as ``answers`` would give it) and, by event
    # kind, when it last happened (ISO text). NULL: not built yet; the next turn builds it
    # from the ``answers`` and ``events`` tables (see ``storage.repo.Dialogue.remembered``).
    answers: Mapped[dict[str, Any] | None] = mapped_column(JSONValue, nullable=True)
    last_events: Mapped[dict[str, Any] | None] = mapped_column(JSONValue, nullable=True)


class Event(Base):
    """Something that happened for a user (never their words): a flow finished, support shown."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_user_kind", "user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Nudge(Base):
    """A message the coach owes a user at a moment: written by the plan, sent by the sweep.

    ``key`` groups the nudges of one thing (say "pm:dean" for one feedback meeting) so a
    change of plan can cancel them together. ``state``: pending -> claimed -> sent, or
    cancelled / failed. Times are UTC; the user's local time was applied when it was planned.
    """

    __tablename__ = "nudges"
    __table_args__ = (
        # The sweep's claim: pending rows in due order, a range scan with no sort.
        Index("ix_nudges_state_due_id", "state", "due_at", "id"),
        Index("ix_nudges_user_key", "user_id", "key"),
        # One user's rows (pending, cancel, let go): never a walk over every user's.
        Index("ix_nudges_user_state_due", "user_id", "state", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(48))
    key: Mapped[str] = mapped_column(String(96))
    due_at: Mapped[datetime]
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProblemsListRow(Base):
    """Each Problems List the user settled on, kept with its date so a later review can compare."""

    __tablename__ = "problems_lists"
    __table_args__ = (Index("ix_problems_lists_user", "user_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    made_on: Mapped[date] = mapped_column(Date)
    content: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CheckInRow(Base):
    """One daily check-in per local day; a second one the same day updates it."""

    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("user_id", "day", name="uq_checkins_user_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    content: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class WeekPlanRow(Base):
    """The plan made at a weekly planning session; next week's review compares against it."""

    __tablename__ = "week_plans"
    __table_args__ = (UniqueConstraint("user_id", "week_start", name="uq_week_plans_user_week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    week_start: Mapped[date] = mapped_column(Date)
    content: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class PracticeAttempt(Base):
    """One practiced interview answer (typed, or a voice note's length) and its report."""

    __tablename__ = "practice_attempts"
    __table_args__ = (Index("ix_practice_user_question", "user_id", "question", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(String(32))
    answer: Mapped[str | None] = mapped_column(Text)
    seconds: Mapped[int | None]
    report: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Record(Base):
    """One item a tracker keeps (a letter writer, an exam, a statement draft, a CV entry...).

    Every tracker shares this table: ``kind`` says whose item it is and ``key`` names it
    among the user's items of that kind (an edit replaces the content under the same key), so
    a new tracker needs no table, no repository and no migration of its own.
    """

    __tablename__ = "records"
    __table_args__ = (UniqueConstraint("user_id", "kind", "key", name="uq_records_user_kind_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(64))
    content: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
