"""pronunciation attempts

`pronunciation_attempt`: each spoken attempt at a word or sentence, its scores, raw evidence
and recording (16 kHz WAV, capped at 30 s); `speaking_preference`: a learner's pass mark.

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-01 22:40:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = '0010'
down_revision: Union[str, None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('pronunciation_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('word_id', sa.Integer(), nullable=False),
    sa.Column('part', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('target_text', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('review_id', sa.Integer(), nullable=True),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('pass_score', sa.Integer(), nullable=False),
    sa.Column('rating', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('heard', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('features', sa.JSON(), nullable=False),
    sa.Column('audio', sa.LargeBinary(), nullable=False),
    sa.Column('audio_seconds', sa.Float(), nullable=False),
    sa.Column('scoring_ms', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['study_session.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['word_id'], ['word.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_pronunciation_attempt_user_id_created_at', 'pronunciation_attempt', ['user_id', 'created_at'], unique=False)
    op.create_index(op.f('ix_pronunciation_attempt_word_id'), 'pronunciation_attempt', ['word_id'], unique=False)
    op.create_index(op.f('ix_pronunciation_attempt_session_id'), 'pronunciation_attempt', ['session_id'], unique=False)
    op.create_table('speaking_preference',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('pass_score', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id')
    )


def downgrade() -> None:
    op.drop_table('speaking_preference')
    op.drop_index(op.f('ix_pronunciation_attempt_session_id'), table_name='pronunciation_attempt')
    op.drop_index(op.f('ix_pronunciation_attempt_word_id'), table_name='pronunciation_attempt')
    op.drop_index('ix_pronunciation_attempt_user_id_created_at', table_name='pronunciation_attempt')
    op.drop_table('pronunciation_attempt')
