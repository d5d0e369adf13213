"""class join codes and invitations

Learners are enrolled only by their own consent: a class has a join code (`join_code`,
`join_code_enabled`, `join_code_expires_at`) and teachers invite by email
(`class_invitation`, kept by address whether or not an account has it); the learner accepts
or declines. Existing enrolments stay.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 01:00:00.000000

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0013"
down_revision: Union[str, None] = "0012"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("classroom", sa.Column("join_code", sa.String(length=16), nullable=True))
    op.add_column(
        "classroom",
        sa.Column("join_code_enabled", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.alter_column("classroom", "join_code_enabled", server_default=None)
    op.add_column(
        "classroom", sa.Column("join_code_expires_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.create_unique_constraint("classroom_join_code_key", "classroom", ["join_code"])
    op.create_table(
        "class_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("classroom_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("declined_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["classroom_id"], ["classroom.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["invited_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("classroom_id", "email"),
    )
    op.create_index(
        op.f("ix_class_invitation_classroom_id"), "class_invitation", ["classroom_id"]
    )
    op.create_index(op.f("ix_class_invitation_email"), "class_invitation", ["email"])


def downgrade() -> None:
    op.drop_index(op.f("ix_class_invitation_email"), table_name="class_invitation")
    op.drop_index(op.f("ix_class_invitation_classroom_id"), table_name="class_invitation")
    op.drop_table("class_invitation")
    op.drop_constraint("classroom_join_code_key", "classroom", type_="unique")
    op.drop_column("classroom", "join_code_expires_at")
    op.drop_column("classroom", "join_code_enabled")
    op.drop_column("classroom", "join_code")
