"""assignments

`assignment`: a teacher sets a class a word group to study (in one activity, or any) by a due
date. Each learner's completion is derived from their reviews, so nothing else is stored.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 21:50:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import pgvector.sqlalchemy


# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('classroom_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['study_activity.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['classroom_id'], ['classroom.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['word_group.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_assignment_classroom_id'), 'assignment', ['classroom_id'], unique=False)
    op.create_index(op.f('ix_assignment_group_id'), 'assignment', ['group_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_assignment_group_id'), table_name='assignment')
    op.drop_index(op.f('ix_assignment_classroom_id'), table_name='assignment')
    op.drop_table('assignment')
