"""What every turn reads, kept on the dialogue-state row it already reads.

Every turn needs the user's latest answer to each question and when each kind of event last
happened (care messages stay quiet for some days after being shown). Reading them from the
``answers`` and ``events`` tables cost two more queries a turn, one of them a read of every
answer the user ever gave. Two JSON columns on ``dialogue_states`` now hold both, written by
the UPDATE the turn makes anyway. NULL means "not built yet" (rows from before this
revision): the next turn builds them from the tables once, so no backfill is needed here.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSONValue = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("dialogue_states") as batch:
        batch.add_column(sa.Column("answers", JSONValue, nullable=True))
        batch.add_column(sa.Column("last_events", JSONValue, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dialogue_states") as batch:
        batch.drop_column("last_events")
        batch.drop_column("answers")
