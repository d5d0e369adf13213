"""Backfill: what existing learners' history already earns — XP for every review and piece of
writing, their streak (freezes included), the running counts and the achievements they reach.

Idempotent: ledger rows are keyed to their review or writing, counts are recomputed from the
history rather than added to, and awards are unique. Badges given by the backfill are marked
seen, so a learner is not greeted by a pile of toasts; the Achievements page lists them.

Set-based: the ledger is one INSERT … SELECT over every review, and the history behind the
counts is read by a handful of GROUP BY queries over all the learners at once
(`history.read_histories`); only the streak replay and the awards run per learner, over a few
hundred study days rather than their reviews.

It is run by the migration that creates these tables and by
`python -m learn_app.cli backfill-achievements`. It names the columns it reads, so a later
column on `user` or `review` does not break the migration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, col, delete, select

from learn_app.models import User
from learn_app.models.achievements import LearnerMotivation, StreakFreezeUse, UserAchievement
from learn_app.services.achievements import awards, clock, progress, xp
from learn_app.services.achievements.bulk import keys_and_indexes_set_aside
from learn_app.services.achievements.history import History, read_histories
from learn_app.services.achievements.measures import Measures, Retention
from learn_app.services.achievements.progress import WRITING
from learn_app.services.study.activities import BUILTIN_SLUGS
from learn_app.services.study.streaks import replay


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


# Each learner's time zone, once, from one scan of the zone names (reading them is slow): UTC
# for a name PostgreSQL does not know.
ZONES_SQL = """
zones AS MATERIALIZED (
    SELECT u.id, coalesce(z.name, 'UTC') AS tz
    FROM "user" u
    LEFT JOIN (SELECT DISTINCT name FROM pg_timezone_names) z ON z.name = u.timezone
    WHERE TRUE {only_learner}
)"""

# Every review without a ledger entry gets one, in one statement, its day in the learner's
# zone. A repeat is a later answer to the same word in the same session (numbered in one sort
# rather than looked up per answer). A review that has its entry is skipped by the unique
# review_id (an index probe); a NOT EXISTS against the ledger being filled would be planned
# from its statistics when it was empty, as a scan of it per review.
REVIEW_LEDGER_SQL = f"""
WITH {ZONES_SQL},
answers AS (
    SELECT r.id, r.user_id, r.session_id, r.correct, r.latency_ms, r.reviewed_at, z.tz,
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
       (r.reviewed_at AT TIME ZONE r.tz)::date
FROM answers r
LEFT JOIN study_session s ON s.id = r.session_id
LEFT JOIN study_activity a ON a.id = s.activity_id
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
ON CONFLICT DO NOTHING
"""  # noqa: S608 (only constants of this module are formatted in)

LEARNERS_WITH_HISTORY_SQL = text(
    "SELECT user_id FROM review GROUP BY user_id"
    " UNION SELECT user_id FROM writing_submission GROUP BY user_id"
)


def backfill_all(
    session: Session, *, now: datetime | None = None, bulk: bool = False
) -> BackfillReport:
    """Backfill every learner who has studied. `bulk` (the migration, with nothing else
    writing) loads the ledger with its keys and indexes set aside: minutes, not hours, for
    millions of reviews."""
    if bulk:
        with keys_and_indexes_set_aside(session.connection(), "xp_entry"):
            added = _ledger(session, None)
    else:
        added = _ledger(session, None)
    studied = session.connection().execute(LEARNERS_WITH_HISTORY_SQL)
    user_ids = sorted(int(row[0]) for row in studied)
    awarded = _recount(session, user_ids, now=now)
    return BackfillReport(len(user_ids), added, sum(len(slugs) for slugs in awarded.values()))


def backfill_learner(session: Session, user_id: int, *, now: datetime | None = None) -> list[str]:
    """Backfill one learner; returns the achievements awarded."""
    _ledger(session, user_id)
    return _recount(session, [user_id], now=now).get(user_id, [])


def recount_after_reset(session: Session, user_id: int, *, now: datetime | None = None) -> None:
    """After the learner's study history was reset: their counts, streak and freezes are what
    the history left (their writing) earns, as if the removed answers never happened, and a
    badge that history no longer earns is taken back (it can be earned again). Their settings
    — weekly goal, vacation, following levels — stay."""
    state = progress.locked_state(session, user_id)
    fresh = LearnerMotivation(user_id=user_id, activities_tried=[])
    for name in progress.RUNNING_COUNTS:
        setattr(state, name, getattr(fresh, name))
    session.add(state)
    session.exec(delete(StreakFreezeUse).where(col(StreakFreezeUse.user_id) == user_id))
    session.flush()
    kept = _recount(session, [user_id], now=now, award_new=False)
    session.exec(
        delete(UserAchievement).where(
            col(UserAchievement.user_id) == user_id,
            col(UserAchievement.achievement).not_in(sorted(kept.get(user_id, []))),
        )
    )


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


def _recount(
    session: Session, user_ids: list[int], *, now: datetime | None, award_new: bool = True
) -> dict[int, list[str]]:
    """Recount each learner's state from their history and award what it reaches (marked
    seen). Returns, per learner, the badges awarded — or, without `award_new`, every badge the
    history reaches."""
    at = clock.moment(now)
    learners = [
        LearnerRow(int(uid), str(tz), float(retention))
        for uid, tz, retention in session.exec(
            select(User.id, User.timezone, User.desired_retention).where(col(User.id).in_(user_ids))
        )
    ]
    histories = read_histories(session, [learner.id for learner in learners], at)
    result: dict[int, list[str]] = {}
    for learner in learners:
        history = histories.get(learner.id, History())
        state = progress.locked_state(session, learner.id)
        _apply(session, state, history)
        progress.check_backlog(
            session, state, clock.local_day(at, clock.zone(learner.timezone)), at
        )
        state.updated_at = at
        session.add(state)
        session.flush()
        measures = Measures(
            session,
            learner,  # type: ignore[arg-type]
            state,
            now=at,
            mature=history.mature_words,
            retention=Retention(
                history.retention_reviews, history.retention_correct, learner.desired_retention
            ),
        )
        if award_new:
            reached = awards.newly_reached(measures, awards.earned_slugs(session, learner.id))
            result[learner.id] = awards.award(
                session, learner.id, [a.slug for a in reached], now=at, seen=True
            )
        else:
            result[learner.id] = [a.slug for a in awards.newly_reached(measures, set())]
    return result


def _apply(session: Session, state: LearnerMotivation, history: History) -> None:
    """Set the learner's running counts to what their history holds."""
    streak, frozen = replay(history.days, history.vacations)
    state.streak_current, state.streak_best = streak.current, streak.best
    state.streak_last_day, state.freezes_held = streak.last_day, streak.freezes
    if frozen:
        session.exec(
            insert(StreakFreezeUse)
            .values([{"user_id": state.user_id, "day": d} for d in frozen])
            .on_conflict_do_nothing()
        )
    state.weekends_both_days = history.weekends_both_days()
    state.total_reviews, state.total_xp = history.reviews, history.xp
    state.activities_tried = [slug for slug in BUILTIN_SLUGS if slug in history.activities]
    state.sentences_without_hints = history.sentences_without_hints
    state.finished_sessions = history.finished_sessions
    state.flawless_sessions = history.flawless_sessions
    state.best_writing_score = history.best_writing_score
    state.writing_synced_id = history.last_writing_id
    met = history.weeks_meeting(state.weekly_goal_kind, state.weekly_goal_target)
    state.weekly_goals_met = len(met)
    state.goal_met_week = met[-1] if met else None
