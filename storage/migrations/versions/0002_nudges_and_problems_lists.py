"""Nudges (due messages, swept and sent) and stored Problems Lists.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
WHEN = sa.DateTime(timezone=True)


def _user_fk() -> sa.Column:
    return sa.Column(
        "user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "nudges",
        sa.Column("id", sa.Integer(), primary_key=True),
        _user_fk(),
        sa.Column("kind", sa.String(48), nullable=False),
        sa.Column("key", sa.String(96), nullable=False),
        sa.Column("due_at", WHEN, nullable=False),
        sa.Column("payload", JSON, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_at", WHEN, nullable=True),
        sa.Column("sent_at", WHEN, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_index("ix_nudges_state_due", "nudges", ["state", "due_at"])
    op.create_index("ix_nudges_user_key", "nudges", ["user_id", "key"])
    op.create_table(
        "problems_lists",
        sa.Column("id", sa.Integer(), primary_key=True),
        _user_fk(),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("content", JSON, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_index("ix_problems_lists_user", "problems_lists", ["user_id", "id"])


def downgrade() -> None:
    op.drop_table("problems_lists")
    op.drop_table("nudges")
