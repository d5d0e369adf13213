"""league tiers

Class leagues promote and demote: `league_tier` holds each learner's tier in a class's league
(0 = Bronze) and the last week's move; `class_league.settled_week` is the Monday of the last
week whose moves were made.

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-02 01:30:00.000000

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0016"
down_revision: Union[str, None] = "0014"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("class_league", sa.Column("settled_week", sa.Date(), nullable=True))
    op.create_table(
        "league_tier",
        sa.Column("classroom_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("tier", sa.Integer(), nullable=False),
        sa.Column("moved", sa.Integer(), nullable=False),
        sa.Column("moved_week", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["classroom_id"], ["classroom.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["learner_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("classroom_id", "learner_id"),
    )


def downgrade() -> None:
    op.drop_table("league_tier")
    op.drop_column("class_league", "settled_week")
