"""progress analytics: what the scheduler knew at each answer, and an index per word

`review` keeps the card's stage before the answer, the days since the word's previous answer,
FSRS's predicted recall and the stability and difficulty the answer left, so true retention,
calibration and words known over time are counted in SQL. Existing answers get their stage and
days from their order (the first answer of a word is new; an answer a day or more after the
previous one is a review; a same-day one is learning, or relearning once the word had been
reviewed on an earlier day); their predictions stay null. A (user_id, word_id, reviewed_at)
index serves each word's answers in order. `study_session.word_ids` lets a session work through
chosen words (Progress → hardest words → study these now).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 22:10:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import pgvector.sqlalchemy


# revision identifiers, used by Alembic.
revision: str = '0006'
down_revision: Union[str, None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column('study_session', sa.Column('word_ids', sa.JSON(), nullable=True))
    op.add_column('review', sa.Column('card_stage', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True))
    op.add_column('review', sa.Column('elapsed_days', sa.Float(), nullable=True))
    op.add_column('review', sa.Column('retrievability', sa.Float(), nullable=True))
    op.add_column('review', sa.Column('stability', sa.Float(), nullable=True))
    op.add_column('review', sa.Column('difficulty', sa.Float(), nullable=True))
    op.create_index('ix_review_user_id_word_id_reviewed_at', 'review', ['user_id', 'word_id', 'reviewed_at'], unique=False)
    op.execute(
        """
        UPDATE review r SET card_stage = o.stage, elapsed_days = o.elapsed
        FROM (
            SELECT id,
                   extract(epoch FROM reviewed_at - previous_at) / 86400 AS elapsed,
                   CASE WHEN previous_at IS NULL THEN 'new'
                        WHEN reviewed_at - previous_at >= interval '1 day' THEN 'review'
                        WHEN reviewed_at - first_at >= interval '1 day' THEN 'relearning'
                        ELSE 'learning' END AS stage
            FROM (
                SELECT id, reviewed_at,
                       lag(reviewed_at) OVER w AS previous_at,
                       first_value(reviewed_at) OVER w AS first_at
                FROM review
                WINDOW w AS (PARTITION BY user_id, word_id ORDER BY reviewed_at, id)
            ) ordered
        ) o
        WHERE r.id = o.id
        """
    )


def downgrade() -> None:
    op.drop_index('ix_review_user_id_word_id_reviewed_at', table_name='review')
    op.drop_column('review', 'difficulty')
    op.drop_column('review', 'stability')
    op.drop_column('review', 'retrievability')
    op.drop_column('review', 'elapsed_days')
    op.drop_column('review', 'card_stage')
    op.drop_column('study_session', 'word_ids')
