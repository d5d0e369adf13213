"""an answer with no time recorded adds no time to the day tables

`least(latency_ms, 60000)` is 60000 when `latency_ms` is NULL (PostgreSQL's least ignores
NULLs), so each answer stored without a time (a REST client that sends none, an imported
review log) was counted as a full minute in `review_day_count.ms_sum` and `ms_n`, and the
Progress page's seconds per answer and the minutes of its forecasts rose with them.

The statements of 0015 (`review_day_statements`) and their static copy of 0017
(`review_day_on_insert`) are defined again from their own text with only that expression
changed, and every day row's `ms_sum` and `ms_n` are counted again from the answers, by the
day in the zone the row was counted in and the same grouping as the trigger's. The downgrade
puts the old expression back and counts the two columns the old way.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 05:30:00.000000

"""

from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = "0019"
down_revision: Union[str, None] = "0018"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_OLD = "least(r.latency_ms, 60000) AS ms"
_NEW = "CASE WHEN r.latency_ms IS NOT NULL THEN least(r.latency_ms, 60000) END AS ms"
_FUNCTIONS = ("review_day_statements(text)", "review_day_on_insert()")


def _swap(old: str, new: str) -> None:
    """Each function defined again from its current text with `old` replaced by `new`."""
    for function in _FUNCTIONS:
        op.execute(
            f"""
            DO $do$
            DECLARE definition text := pg_get_functiondef('{function}'::regprocedure);
            BEGIN
                IF position('{old}' IN definition) = 0 THEN
                    RAISE EXCEPTION '{function} does not hold the expression to replace';
                END IF;
                EXECUTE replace(definition, '{old}', '{new}');
            END
            $do$
            """
        )


def _recount(ms: str) -> None:
    """`ms_sum` and `ms_n` of every day row counted again from the answers, `ms` being one
    answer's counted time (`r.` its review row)."""
    op.execute(
        f"""
        UPDATE review_day_count t
        SET ms_sum = c.ms_sum, ms_n = c.ms_n
        FROM (
            SELECT a.user_id, a.day, a.kind, a.rating, a.mature,
                   coalesce(sum(a.ms), 0) AS ms_sum, count(a.ms) AS ms_n
            FROM (
                SELECT r.user_id, timezone(z.timezone, r.reviewed_at)::date AS day,
                       coalesce(r.card_stage, 'review') AS kind, r.rating,
                       coalesce(r.card_stage, 'review') = 'review'
                           AND coalesce(r.elapsed_days, 0) >= 21 AS mature,
                       {ms} AS ms
                FROM review r
                JOIN review_day_zone z ON z.user_id = r.user_id
            ) a
            GROUP BY 1, 2, 3, 4, 5
        ) c
        WHERE (c.user_id, c.day, c.kind, c.rating, c.mature)
              = (t.user_id, t.day, t.kind, t.rating, t.mature)
          AND (t.ms_sum, t.ms_n) IS DISTINCT FROM (c.ms_sum, c.ms_n)
        """
    )


def upgrade() -> None:
    _swap(_OLD, _NEW)
    _recount(_NEW.removesuffix(" AS ms"))


def downgrade() -> None:
    _swap(_NEW, _OLD)
    _recount(_OLD.removesuffix(" AS ms"))
