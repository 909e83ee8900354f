"""Nudges found by their user, and claimed in order straight off an index.

A user's own reminder queries (pending ones for /reminders, cancelling a re-planned key,
letting overdue ones go after /resume) read only that user's rows through a new index on
(user_id, state, due_at), instead of walking every pending reminder of every user by
(state, due_at). The sweep's index gains ``id``, the claim's tie-break, so PostgreSQL reads
due rows in claim order with no sort (SQLite's indexes end with the row id already).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_nudges_user_state_due", "nudges", ["user_id", "state", "due_at"])
    op.drop_index("ix_nudges_state_due", table_name="nudges")
    op.create_index("ix_nudges_state_due_id", "nudges", ["state", "due_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_nudges_state_due_id", table_name="nudges")
    op.create_index("ix_nudges_state_due", "nudges", ["state", "due_at"])
    op.drop_index("ix_nudges_user_state_due", table_name="nudges")
