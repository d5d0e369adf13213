"""achievements, XP, streaks, weekly goals, class leagues

`user_achievement`: badges earned, unique per learner and badge; `xp_entry`: the XP ledger,
one row per review or piece of writing; `learner_motivation`: each learner's streak, goal
settings and running counts; `streak_freeze_use`: days a streak freeze covered;
`vacation_period`: days away; `class_league`: classes whose teacher turned the league on.

Then what existing learners' history earns is backfilled (idempotent, also
`python -m learn_app.cli backfill-achievements`).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 22:10:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import pgvector.sqlalchemy


# revision identifiers, used by Alembic.
revision: str = '0008'
down_revision: Union[str, None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('user_achievement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('achievement', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('earned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'achievement', name='uq_user_achievement')
    )
    op.create_index(op.f('ix_user_achievement_user_id'), 'user_achievement', ['user_id'], unique=False)
    op.create_table('xp_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=True),
    sa.Column('writing_submission_id', sa.Integer(), nullable=True),
    sa.Column('activity', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('seconds', sa.Integer(), nullable=False),
    sa.Column('earned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('local_day', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['writing_submission_id'], ['writing_submission.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('review_id'),
    sa.UniqueConstraint('writing_submission_id')
    )
    op.create_index('ix_xp_entry_user_id_local_day', 'xp_entry', ['user_id', 'local_day'], unique=False)
    op.create_table('learner_motivation',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('weekly_goal_kind', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('weekly_goal_target', sa.Integer(), nullable=False),
    sa.Column('follow_levels', sa.Boolean(), nullable=False),
    sa.Column('vacation_since', sa.Date(), nullable=True),
    sa.Column('streak_current', sa.Integer(), nullable=False),
    sa.Column('streak_best', sa.Integer(), nullable=False),
    sa.Column('streak_last_day', sa.Date(), nullable=True),
    sa.Column('freezes_held', sa.Integer(), nullable=False),
    sa.Column('total_reviews', sa.Integer(), nullable=False),
    sa.Column('total_xp', sa.Integer(), nullable=False),
    sa.Column('finished_sessions', sa.Integer(), nullable=False),
    sa.Column('flawless_sessions', sa.Integer(), nullable=False),
    sa.Column('sentences_without_hints', sa.Integer(), nullable=False),
    sa.Column('best_writing_score', sa.Integer(), nullable=False),
    sa.Column('writing_synced_id', sa.Integer(), nullable=False),
    sa.Column('weekends_both_days', sa.Integer(), nullable=False),
    sa.Column('backlog_clear_run', sa.Integer(), nullable=False),
    sa.Column('backlog_best_run', sa.Integer(), nullable=False),
    sa.Column('backlog_last_day', sa.Date(), nullable=True),
    sa.Column('weekly_goals_met', sa.Integer(), nullable=False),
    sa.Column('goal_met_week', sa.Date(), nullable=True),
    sa.Column('activities_tried', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id')
    )
    op.create_table('streak_freeze_use',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'day', name='uq_streak_freeze_use_day')
    )
    op.create_index(op.f('ix_streak_freeze_use_user_id'), 'streak_freeze_use', ['user_id'], unique=False)
    op.create_table('vacation_period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_vacation_period_user_id'), 'vacation_period', ['user_id'], unique=False)
    op.create_table('class_league',
    sa.Column('classroom_id', sa.Integer(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['user.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['classroom_id'], ['classroom.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('classroom_id')
    )

    # What existing learners' history already earns.
    from sqlmodel import Session

    from learn_app.services.achievements.backfill import backfill_all

    session = Session(bind=op.get_bind())
    try:
        backfill_all(session, bulk=True)  # nothing else writes during a migration
        session.flush()
    finally:
        session.close()


def downgrade() -> None:
    op.drop_table('class_league')
    op.drop_index(op.f('ix_vacation_period_user_id'), table_name='vacation_period')
    op.drop_table('vacation_period')
    op.drop_index(op.f('ix_streak_freeze_use_user_id'), table_name='streak_freeze_use')
    op.drop_table('streak_freeze_use')
    op.drop_table('learner_motivation')
    op.drop_index('ix_xp_entry_user_id_local_day', table_name='xp_entry')
    op.drop_table('xp_entry')
    op.drop_index(op.f('ix_user_achievement_user_id'), table_name='user_achievement')
    op.drop_table('user_achievement')
