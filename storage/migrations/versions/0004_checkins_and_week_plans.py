"""Daily check-ins and weekly plans.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
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
        "checkins",
        sa.Column("id", sa.Integer(), primary_key=True),
        _user_fk(),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("content", JSON, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.UniqueConstraint("user_id", "day", name="uq_checkins_user_day"),
    )
    op.create_table(
        "week_plans",
        sa.Column("id", sa.Integer(), primary_key=True),
        _user_fk(),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("content", JSON, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.UniqueConstraint("user_id", "week_start", name="uq_week_plans_user_week"),
    )


def downgrade() -> None:
    op.drop_table("week_plans")
    op.drop_table("checkins")
