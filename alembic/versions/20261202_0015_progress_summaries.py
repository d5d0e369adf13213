"""progress summaries: each learner's answers counted per day, and words known per week

The Progress page and the class dashboards count a year of answers; these tables hold them
already counted, so a page reads a few thousand rows instead of tens of thousands of answers.

- `review_day_count`: a learner's answers on one of their own days (in their time zone), by
  card stage, rating and young/mature — answers, right answers, answer time (each capped at a
  minute, as the page counts it) and how many answers had a time.
- `review_day_recall`: review-stage answers with FSRS's prediction, by day and prediction bin
  (twentieths) — answers, right answers and the sum of the predictions.
- `review_day_session`: answers by day and study session (0: none), whose activity is looked
  up when they are read, as for the answers themselves.
- `review_day_zone`: the time zone the learner's days were counted in.
- `review_word_latest`: each word's latest answer (its time and the stability it left).
- `words_known_week`: estimated words known (ΣR) at the start of each past week, for the
  forgetting curve's decay it was worked out with; filled when the Progress page is read.

A statement trigger on `review` keeps the day tables and latest answers right in the same transaction as any
insert, update or delete of answers (one grouped upsert per statement, whatever its size) and
drops the week totals from the earliest answer changed on; a trigger on "user" counts a
learner's days again when their time zone changes. Deleting an account removes its rows.
Existing answers are counted here.

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-02 01:00:00.000000

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0015"
down_revision: Union[str, None] = "0013"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# These follow learn_app/services/study/analytics/answers.py: MAX_ANSWER_SECONDS,
# MATURE_DAYS and CALIBRATION_BINS; a test compares the tables with the answers themselves.
_FUNCTIONS = r"""
CREATE FUNCTION review_day_zone_name(tz text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
BEGIN
    PERFORM timezone(tz, now());
    RETURN coalesce(tz, 'UTC');
EXCEPTION WHEN others THEN
    RETURN 'UTC';
END
$$;

-- The statements that add the answers `source` yields (review rows with a `sign` column,
-- 1 to add them, -1 to take them away) to the day tables.
CREATE FUNCTION review_day_statements(source text) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $fn$
SELECT ARRAY[
format($q$
    INSERT INTO review_day_zone (user_id, timezone)
    SELECT s.user_id, review_day_zone_name(u.timezone)
    FROM (SELECT DISTINCT user_id FROM (%s) x) s JOIN "user" u ON u.id = s.user_id
    ORDER BY s.user_id
    ON CONFLICT (user_id) DO NOTHING
$q$, source),
format($q$
    WITH answers AS MATERIALIZED (
        SELECT r.user_id, timezone(z.timezone, r.reviewed_at)::date AS day,
               coalesce(r.card_stage, 'review') AS kind, r.rating, r.correct, r.sign,
               coalesce(r.elapsed_days, 0) AS elapsed, r.retrievability,
               least(r.latency_ms, 60000) AS ms, coalesce(r.session_id, 0) AS session_id
        FROM (%s) r
        JOIN review_day_zone z ON z.user_id = r.user_id
    ),
    counts AS (
        INSERT INTO review_day_count AS t (user_id, day, kind, rating, mature, answers,
                                            correct, ms_sum, ms_n)
        SELECT user_id, day, kind, rating, kind = 'review' AND elapsed >= 21,
               sum(sign), coalesce(sum(sign) FILTER (WHERE correct), 0),
               coalesce(sum(sign * ms), 0), coalesce(sum(sign) FILTER (WHERE ms IS NOT NULL), 0)
        FROM answers
        GROUP BY 1, 2, 3, 4, 5
        ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (user_id, day, kind, rating, mature) DO UPDATE
        SET answers = t.answers + excluded.answers,
            correct = t.correct + excluded.correct,
            ms_sum = t.ms_sum + excluded.ms_sum,
            ms_n = t.ms_n + excluded.ms_n
    ),
    recall AS (
        INSERT INTO review_day_recall AS t (user_id, day, bin, answers, correct, predicted)
        SELECT user_id, day, least(floor(retrievability * 20)::int, 19),
               sum(sign), coalesce(sum(sign) FILTER (WHERE correct), 0),
               sum(sign * retrievability)
        FROM answers
        WHERE kind = 'review' AND retrievability IS NOT NULL
        GROUP BY 1, 2, 3
        ORDER BY 1, 2, 3
        ON CONFLICT (user_id, day, bin) DO UPDATE
        SET answers = t.answers + excluded.answers,
            correct = t.correct + excluded.correct,
            predicted = t.predicted + excluded.predicted
    )
    INSERT INTO review_day_session AS t (user_id, day, session_id, answers, correct)
    SELECT user_id, day, session_id, sum(sign), coalesce(sum(sign) FILTER (WHERE correct), 0)
    FROM answers
    GROUP BY 1, 2, 3
    ORDER BY 1, 2, 3
    ON CONFLICT (user_id, day, session_id) DO UPDATE
    SET answers = t.answers + excluded.answers, correct = t.correct + excluded.correct
$q$, source),
format($q$
    DELETE FROM words_known_week w
    USING (SELECT user_id, min(reviewed_at) AS earliest FROM (%s) x GROUP BY user_id) c
    WHERE w.user_id = c.user_id AND w.at >= c.earliest
$q$, source)
]
$fn$;

-- Each word's latest answer, from the new answers `source` yields.
CREATE FUNCTION review_latest_added(source text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
SELECT format($q$
    INSERT INTO review_word_latest AS t (user_id, word_id, reviewed_at, review_id, stability)
    SELECT DISTINCT ON (user_id, word_id) user_id, word_id, reviewed_at, id, stability
    FROM (%s) x
    ORDER BY user_id, word_id, reviewed_at DESC, id DESC
    ON CONFLICT (user_id, word_id) DO UPDATE
    SET reviewed_at = excluded.reviewed_at, review_id = excluded.review_id,
        stability = excluded.stability
    WHERE (excluded.reviewed_at, excluded.review_id) > (t.reviewed_at, t.review_id)
$q$, source)
$fn$;

-- The words whose answers `source` changed or removed: their latest answer looked up again.
CREATE FUNCTION review_latest_changed(source text) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $fn$
SELECT ARRAY[
format($q$
    DELETE FROM review_word_latest t
    USING (SELECT DISTINCT user_id, word_id FROM (%s) x) c
    WHERE t.user_id = c.user_id AND t.word_id = c.word_id
$q$, source),
format($q$
    INSERT INTO review_word_latest (user_id, word_id, reviewed_at, review_id, stability)
    SELECT DISTINCT ON (r.user_id, r.word_id) r.user_id, r.word_id, r.reviewed_at, r.id,
           r.stability
    FROM review r
    JOIN (SELECT DISTINCT user_id, word_id FROM (%s) x) c
      ON c.user_id = r.user_id AND c.word_id = r.word_id
    ORDER BY r.user_id, r.word_id, r.reviewed_at DESC, r.id DESC
    ON CONFLICT (user_id, word_id) DO NOTHING
$q$, source)
]
$fn$;

-- Rows a deletion brought to nothing go.
CREATE FUNCTION review_day_prune(users int[]) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM review_day_count WHERE user_id = ANY(users) AND answers = 0;
    DELETE FROM review_day_recall WHERE user_id = ANY(users) AND answers = 0;
    DELETE FROM review_day_session WHERE user_id = ANY(users) AND answers = 0;
$$;

CREATE FUNCTION review_day_on_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    source text;
    statement text;
    users int[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        source := 'SELECT n.*, 1 AS sign FROM review_new n';
    ELSIF TG_OP = 'DELETE' THEN
        source := 'SELECT o.*, -1 AS sign FROM review_old o';
    ELSE
        source := 'SELECT o.*, -1 AS sign FROM review_old o'
                  ' UNION ALL SELECT n.*, 1 AS sign FROM review_new n';
    END IF;
    FOREACH statement IN ARRAY review_day_statements(source) LOOP
        EXECUTE statement;
    END LOOP;
    IF TG_OP = 'INSERT' THEN
        EXECUTE review_latest_added(source);
    ELSE
        EXECUTE 'SELECT array_agg(DISTINCT user_id) FROM review_old' INTO users;
        PERFORM review_day_prune(users);
        FOREACH statement IN ARRAY review_latest_changed(source) LOOP
            EXECUTE statement;
        END LOOP;
    END IF;
    RETURN NULL;
END
$$;

-- Count one learner's days again (in the zone their profile names now).
CREATE FUNCTION review_day_rebuild(learner int) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    statement text;
BEGIN
    DELETE FROM review_day_count WHERE user_id = learner;
    DELETE FROM review_day_recall WHERE user_id = learner;
    DELETE FROM review_day_session WHERE user_id = learner;
    DELETE FROM review_day_zone WHERE user_id = learner;
    DELETE FROM words_known_week WHERE user_id = learner;
    FOREACH statement IN ARRAY review_day_statements(
        format('SELECT r.*, 1 AS sign FROM review r WHERE r.user_id = %s', learner)
    ) LOOP
        EXECUTE statement;
    END LOOP;
END
$$;

CREATE FUNCTION review_day_on_zone_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM review_day_rebuild(NEW.id);
    RETURN NULL;
END
$$;
"""

_TRIGGERS = """
CREATE TRIGGER review_day_insert AFTER INSERT ON review
    REFERENCING NEW TABLE AS review_new
    FOR EACH STATEMENT EXECUTE FUNCTION review_day_on_change();
CREATE TRIGGER review_day_update AFTER UPDATE ON review
    REFERENCING OLD TABLE AS review_old NEW TABLE AS review_new
    FOR EACH STATEMENT EXECUTE FUNCTION review_day_on_change();
CREATE TRIGGER review_day_delete AFTER DELETE ON review
    REFERENCING OLD TABLE AS review_old
    FOR EACH STATEMENT EXECUTE FUNCTION review_day_on_change();
CREATE TRIGGER review_day_zone_change AFTER UPDATE OF timezone ON "user"
    FOR EACH ROW WHEN (OLD.timezone IS DISTINCT FROM NEW.timezone)
    EXECUTE FUNCTION review_day_on_zone_change();
"""


def _learner_day_table(name: str, *columns: sa.Column, key: list[str]) -> None:
    op.create_table(
        name,
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("day", sa.Date(), nullable=False),
        *columns,
        sa.PrimaryKeyConstraint("user_id", "day", *key),
    )


def upgrade() -> None:
    _learner_day_table(
        "review_day_count",
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("rating", sa.String(8), nullable=False),
        sa.Column("mature", sa.Boolean(), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        sa.Column("ms_sum", sa.BigInteger(), nullable=False),
        sa.Column("ms_n", sa.Integer(), nullable=False),
        key=["kind", "rating", "mature"],
    )
    _learner_day_table(
        "review_day_recall",
        sa.Column("bin", sa.SmallInteger(), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        sa.Column("predicted", sa.Float(), nullable=False),
        key=["bin"],
    )
    _learner_day_table(
        "review_day_session",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        key=["session_id"],
    )
    op.create_table(
        "review_day_zone",
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("user.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("timezone", sa.String(), nullable=False),
    )
    op.create_table(
        "review_word_latest",
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("word_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("stability", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("user_id", "word_id"),
    )
    op.create_table(
        "words_known_week",
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decay", sa.Float(), nullable=False),
        sa.Column("words_known", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "at"),
    )
    op.execute(_FUNCTIONS)
    op.execute(
        """
        DO $$
        DECLARE statement text;
        BEGIN
            FOREACH statement IN ARRAY review_day_statements(
                'SELECT r.*, 1 AS sign FROM review r'
            ) LOOP
                EXECUTE statement;
            END LOOP;
            EXECUTE review_latest_added('SELECT r.* FROM review r');
        END
        $$
        """
    )
    op.execute(_TRIGGERS)
    op.execute(
        "ANALYZE review_day_count, review_day_recall, review_day_session, review_word_latest"
    )


def downgrade() -> None:
    op.execute('DROP TRIGGER review_day_zone_change ON "user"')
    for trigger in ("review_day_insert", "review_day_update", "review_day_delete"):
        op.execute(f"DROP TRIGGER {trigger} ON review")
    for function in (
        "review_day_on_zone_change()",
        "review_day_rebuild(int)",
        "review_day_on_change()",
        "review_day_prune(int[])",
        "review_latest_changed(text)",
        "review_latest_added(text)",
        "review_day_statements(text)",
        "review_day_zone_name(text)",
    ):
        op.execute(f"DROP FUNCTION {function}")
    for table in (
        "words_known_week",
        "review_word_latest",
        "review_day_zone",
        "review_day_session",
        "review_day_recall",
        "review_day_count",
    ):
        op.drop_table(table)
