"""content archive and owners

Words and lessons are archived (status 'archived', `archived_at`) instead of deleted, so that
learners' reviews of them stay; a course has an owner (`course.owner_id`) and editors
(`course_editor`). Courses created before this have no owner: admins, or editors an admin
lists, change them.

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-01 23:10:00.000000

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0012"
down_revision: Union[str, None] = "0010"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("course", sa.Column("owner_id", sa.Integer(), nullable=True))
    op.create_foreign_key(
        "course_owner_id_fkey", "course", "user", ["owner_id"], ["id"], ondelete="SET NULL"
    )
    op.create_table(
        "course_editor",
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["course_id"], ["course.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("course_id", "user_id"),
    )
    op.create_index(op.f("ix_course_editor_user_id"), "course_editor", ["user_id"], unique=False)
    op.add_column("word", sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("document", sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("document", "archived_at")
    op.drop_column("word", "archived_at")
    op.drop_index(op.f("ix_course_editor_user_id"), table_name="course_editor")
    op.drop_table("course_editor")
    op.drop_constraint("course_owner_id_fkey", "course", type_="foreignkey")
    op.drop_column("course", "owner_id")
