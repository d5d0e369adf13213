"""Backfill: what existing learners' history already earns — XP for every review and piece of
writing, their streak (freezes included), the running counts and the achievements they reach.

Idempotent: ledger rows are keyed to their review or writing, counts are recomputed from the
history rather than added to, and awards are unique. Badges given by the backfill are marked
seen, so a learner is not greeted by a pile of toasts; the Achievements page lists them.

It is run by the migration that creates these tables and by
`python -m learn_app.cli backfill-achievements`. It names the columns it reads, so a later
column on `user` or `review` does not break the migration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Date, cast, exists, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from learn_app.models import Review, StudyActivity, StudySession, User, WritingSubmission
from learn_app.models.achievements import StreakFreezeUse, XpEntry
from learn_app.services.achievements import awards, clock, progress, xp
from learn_app.services.achievements.progress import SENTENCE_BUILDER, UNAIDED_RATINGS, WRITING
from learn_app.services.achievements.rules import FLAWLESS_SESSION_MIN_ANSWERS
from learn_app.services.achievements.streaks import replay
from learn_app.services.study.activities import BUILTIN_SLUGS


@dataclass(frozen=True)
class LearnerRow:
    id: int
    timezone: str
    desired_retention: float


@dataclass(frozen=True)
class BackfillReport:
    learners: int
    xp_entries: int
    achievements: int

    def __str__(self) -> str:
        return (
            f"{self.learners} learners: {self.xp_entries} XP entries added, "
            f"{self.achievements} achievements awarded"
        )


def _points_sql() -> str:
    cases = " ".join(f"WHEN '{slug}' THEN {points}" for slug, points in xp.ACTIVITY_POINTS.items())
    return f"CASE coalesce(a.slug, '') {cases} ELSE {xp.OTHER_ACTIVITY_POINTS} END"


# Each learner's time zone, once: UTC for a name PostgreSQL does not know.
ZONES_SQL = """
zones AS MATERIALIZED (
    SELECT u.id,
           coalesce((SELECT z.name FROM pg_timezone_names z WHERE z.name = u.timezone LIMIT 1),
                    'UTC') AS tz
    FROM "user" u
    WHERE TRUE {only_learner}
)"""

# Every review without a ledger entry gets one, in one statement, its day in the learner's
# zone. A repeat is a later answer to the same word in the same session (numbered in one sort
# rather than looked up per answer).
REVIEW_LEDGER_SQL = f"""
WITH {ZONES_SQL},
answers AS (
    SELECT r.id, r.user_id, r.session_id, r.correct, r.latency_ms, r.reviewed_at,
           r.session_id IS NOT NULL
           AND row_number() OVER (PARTITION BY r.session_id, r.word_id ORDER BY r.id) > 1
           AS repeated
    FROM review r JOIN zones z ON z.id = r.user_id
)
INSERT INTO xp_entry (user_id, review_id, activity, points, seconds, earned_at, local_day)
SELECT r.user_id, r.id, left(coalesce(a.slug, ''), 60),
       CASE WHEN r.repeated THEN 0
            WHEN NOT r.correct THEN {xp.WRONG_ANSWER_POINTS}
            ELSE {_points_sql()} END,
       CASE WHEN r.latency_ms IS NULL THEN {xp.SECONDS_WITHOUT_LATENCY}
            ELSE greatest(1, least({xp.MAX_SECONDS_PER_REVIEW},
                                   (greatest(r.latency_ms, 0) + 500) / 1000)) END,
       r.reviewed_at,
       (r.reviewed_at AT TIME ZONE z.tz)::date
FROM answers r
JOIN zones z ON z.id = r.user_id
LEFT JOIN study_session s ON s.id = r.session_id
LEFT JOIN study_activity a ON a.id = s.activity_id
WHERE NOT EXISTS (SELECT 1 FROM xp_entry x WHERE x.review_id = r.id)
ON CONFLICT DO NOTHING
"""  # noqa: S608 (only constants of this module are formatted in)

WRITING_LEDGER_SQL = f"""
WITH {ZONES_SQL}
INSERT INTO xp_entry (user_id, writing_submission_id, activity, points, seconds, earned_at,
                      local_day)
SELECT w.user_id, w.id, '{WRITING}', {xp.WRITING_POINTS}, {xp.SECONDS_PER_WRITING},
       w.created_at, (w.created_at AT TIME ZONE z.tz)::date
FROM writing_submission w
JOIN zones z ON z.id = w.user_id
WHERE NOT EXISTS (SELECT 1 FROM xp_entry x WHERE x.writing_submission_id = w.id)
ON CONFLICT DO NOTHING
"""  # noqa: S608 (only constants of this module are formatted in)


def backfill_all(session: Session, *, now: datetime | None = None) -> BackfillReport:
    """Backfill every learner who has studied."""
    added = _ledger(session, None)
    user_ids = sorted(
        set(session.exec(select(Review.user_id).distinct()))
        | set(session.exec(select(WritingSubmission.user_id).distinct()))
    )
    awarded = sum(len(_recount(session, user_id, now=now)) for user_id in user_ids)
    return BackfillReport(len(user_ids), added, awarded)


def backfill_learner(session: Session, user_id: int, *, now: datetime | None = None) -> list[str]:
    """Backfill one learner; returns the achievements awarded."""
    _ledger(session, user_id)
    return _recount(session, user_id, now=now)


def _ledger(session: Session, user_id: int | None) -> int:
    only = "AND u.id = :user_id" if user_id is not None else ""
    params = {"user_id": user_id} if user_id is not None else {}
    added = 0
    for statement in (REVIEW_LEDGER_SQL, WRITING_LEDGER_SQL):
        result = session.connection().execute(
            text(statement.replace("{only_learner}", only)), params
        )
        added += max(0, result.rowcount or 0)
    return added


def _recount(session: Session, user_id: int, *, now: datetime | None) -> list[str]:
    found = session.exec(
        select(User.id, User.timezone, User.desired_retention).where(User.id == user_id)
    ).first()
    if found is None:
        return []
    learner = LearnerRow(int(found[0]), str(found[1]), float(found[2]))
    at = clock.moment(now)
    state = progress.locked_state(session, user_id)
    away = progress.vacations(session, user_id)

    days: list[date] = list(
        session.exec(select(col(XpEntry.local_day)).distinct().where(XpEntry.user_id == user_id))
    )
    streak, frozen = replay(days, away)
    state.streak_current, state.streak_best = streak.current, streak.best
    state.streak_last_day, state.freezes_held = streak.last_day, streak.freezes
    if frozen:
        session.exec(
            insert(StreakFreezeUse)
            .values([{"user_id": user_id, "day": d} for d in frozen])
            .on_conflict_do_nothing()
        )
    day_set = set(days)
    state.weekends_both_days = sum(
        1 for d in day_set if d.weekday() == 6 and d - timedelta(days=1) in day_set
    )

    reviews, points = session.exec(
        select(
            func.count(col(XpEntry.review_id)),
            func.coalesce(func.sum(XpEntry.points), 0),
        ).where(XpEntry.user_id == user_id)
    ).one()
    state.total_reviews, state.total_xp = int(reviews), int(points)
    tried = set(session.exec(select(XpEntry.activity).distinct().where(XpEntry.user_id == user_id)))
    state.activities_tried = [slug for slug in BUILTIN_SLUGS if slug in tried]

    earlier = aliased(Review)
    state.sentences_without_hints = int(
        session.exec(
            select(func.count(col(Review.id)))
            .join(StudySession, col(StudySession.id) == col(Review.session_id))
            .join(StudyActivity, col(StudyActivity.id) == col(StudySession.activity_id))
            .where(
                Review.user_id == user_id,
                StudyActivity.slug == SENTENCE_BUILDER,
                col(Review.rating).in_(sorted(UNAIDED_RATINGS)),
                ~exists().where(
                    col(earlier.session_id) == col(Review.session_id),
                    col(earlier.word_id) == col(Review.word_id),
                    col(earlier.id) < col(Review.id),
                ),
            )
        ).one()
    )

    per_session = (
        select(
            func.count(col(Review.id)).label("answers"),
            func.count(col(Review.id)).filter(~col(Review.correct)).label("wrong"),
        )
        .join(StudySession, col(StudySession.id) == col(Review.session_id))
        .where(StudySession.user_id == user_id, col(StudySession.ended_at).is_not(None))
        .group_by(col(StudySession.id))
        .subquery()
    )
    finished, flawless = session.exec(
        select(
            func.count(),
            func.count().filter(
                per_session.c.answers >= FLAWLESS_SESSION_MIN_ANSWERS, per_session.c.wrong == 0
            ),
        ).select_from(per_session)
    ).one()
    state.finished_sessions, state.flawless_sessions = int(finished), int(flawless)

    best, last = session.exec(
        select(
            func.coalesce(func.max(WritingSubmission.score), 0),
            func.coalesce(func.max(WritingSubmission.id), 0),
        ).where(WritingSubmission.user_id == user_id)
    ).one()
    state.best_writing_score, state.writing_synced_id = int(best or 0), int(last)

    measure = XpEntry.seconds if state.weekly_goal_kind == "minutes" else XpEntry.points
    week = func.date_trunc("week", XpEntry.local_day)
    weeks = session.exec(
        select(cast(week, Date), func.sum(measure)).where(XpEntry.user_id == user_id).group_by(week)
    ).all()
    scale = 60 if state.weekly_goal_kind == "minutes" else 1
    met = sorted(
        monday
        for monday, total in weeks
        if state.weekly_goal_target > 0 and int(total) // scale >= state.weekly_goal_target
    )
    state.weekly_goals_met = len(met)
    state.goal_met_week = met[-1] if met else None
    progress.check_backlog(session, state, clock.local_day(at, clock.zone(learner.timezone)), at)

    state.updated_at = at
    session.add(state)
    session.flush()
    reached = awards.reached(session, learner, state, queried=True, now=at)
    return awards.award(session, user_id, [a.slug for a in reached], now=at, seen=True)
