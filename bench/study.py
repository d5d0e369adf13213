"""Recording answers and building today's plan for a learner with 50,000 cards. Prints a table.

    .venv/bin/python bench/study.py [--cards 50000] [--answers 500] [--plans 200]
                                    [--clients 50] [--rest-answers 20] [--pause 2]

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

- record_review over REST: `--clients` learners (signed up and in over REST, each with a study
  session of today's plan and 2,000 of the bench learner's cards) answering at once through
  `POST /api/study_sessions/{id}/words/{word_id}/review` on a uvicorn server in a child process,
  `--rest-answers` each, once back to back (the server saturated) and once at a learner's pace
  (`--pause` seconds of thought per answer); the time is each round trip as the client saw it.

Aims (issue 4): p95 ≤ 20 ms to record an answer, ≤ 50 ms to build the plan.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._db import Timing, bench_database  # noqa: E402

GROUP_SIZE = 500
NEW_WORDS = 1000
STUDIED_GROUPS = 5


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
    from learn_app.services.study import activities
    from learn_app.services.study import sessions as study

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
    from learn_app.services.study import sessions as study

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
    from learn_app.services.study import plan

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
    from learn_app.services.study import plan

    def build(_n: int) -> None:
        with session_scope() as session:
            plan.forecast(session, session.get(User, world.learner_id))

    timed(5, build)
    return Timing(f"forecast (30 days, {world.cards:,} cards)", timed(calls, build))


# The API server for the REST half runs in its own process, as the portal's backend does, so
# the clients timing it do not share its interpreter lock. Fits are left to the bench process.
_API_SERVER = """
import sys

import uvicorn

from learn_app.services.study import fitting

fitting.request_fit = lambda user_id: None
from learn_app.api.app import api_app

uvicorn.run(api_app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning",
            access_log=False, timeout_keep_alive=30)
"""
REST_CARDS_PER_LEARNER = 2_000
REST_PASSWORD = "bench password 123"
_rest_numbers = itertools.count(1)


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_api_server(port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        # Bench learners sign up and in from one address, with cheap password hashes.
        "LEARN_SIGN_UP_RATE_LIMIT": "100000",
        "LEARN_SIGN_IN_RATE_LIMIT": "100000",
        "LEARN_BCRYPT_ROUNDS": "4",
    }
    return subprocess.Popen([sys.executable, "-c", _API_SERVER, str(port)], cwd=ROOT, env=env)


def _wait_until_serving(base_url: str, server: subprocess.Popen[bytes]) -> None:
    import httpx

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the API server exited with {server.returncode}")
        try:
            if httpx.get(base_url + "/api/health", timeout=5, trust_env=False).is_success:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the API server did not start within 120 seconds")


def _rest_learners(world: BenchWorld, base_url: str, count: int) -> list[tuple[str, int]]:
    """`count` learners who sign up and in over REST, each with a study session of today's plan
    and the first `REST_CARDS_PER_LEARNER` cards of the bench learner (copied in SQL), so most
    answers update a card they already have: (bearer token, study session id) each."""
    import httpx
    import sqlalchemy

    flashcards = None
    accounts: list[tuple[str, int]] = []
    user_ids: list[int] = []
    with httpx.Client(base_url=base_url, timeout=60, trust_env=False) as http:
        for n in range(count):
            email = f"rest{next(_rest_numbers)}@example.com"
            registered = http.post(
                "/api/auth/register",
                json={"email": email, "password": REST_PASSWORD, "display_name": f"Rest {n}"},
            )
            registered.raise_for_status()
            user_ids.append(registered.json()["id"])
            token = http.post(
                "/api/auth/token", data={"username": email, "password": REST_PASSWORD}
            )
            token.raise_for_status()
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
            if flashcards is None:
                listed = http.get("/api/study_activities", headers=headers).json()
                flashcards = next(a["id"] for a in listed if a["slug"] == "flashcards")
            started = http.post(
                "/api/study_activities",
                json={"study_activity_id": flashcards, "group_id": None},
                headers=headers,
            )
            started.raise_for_status()
            accounts.append((headers["Authorization"], started.json()["id"]))
    engine = sqlalchemy.create_engine(world.database_url)
    with engine.begin() as db:
        db.execute(
            sqlalchemy.text(
                "INSERT INTO card_state (user_id, word_id, state, step, stability, difficulty,"
                " due, last_review, reps, lapses, introduced_at)"
                " SELECT u.id, c.word_id, c.state, c.step, c.stability, c.difficulty, c.due,"
                " c.last_review, c.reps, c.lapses, c.introduced_at"
                " FROM card_state c CROSS JOIN unnest(CAST(:users AS integer[])) AS u(id)"
                " WHERE c.user_id = :learner AND c.word_id <= :cards"
            ),
            {"users": user_ids, "learner": world.learner_id, "cards": REST_CARDS_PER_LEARNER},
        )
    with engine.connect() as db:
        db.execution_options(isolation_level="AUTOCOMMIT").execute(
            sqlalchemy.text("ANALYZE card_state")
        )
    engine.dispose()
    return accounts


def measure_record_review_over_rest(
    world: BenchWorld,
    *,
    clients: int = 50,
    answers_per_client: int = 20,
    pause_s: float = 0.0,
    time_limit_s: float = 120.0,
) -> Timing | None:
    """The REST half: `clients` learners answering at once through the API.

    The API runs under uvicorn in a child process on a loopback port (one worker, as the
    Reflex backend serves it). Each client is one learner with their own session, sending
    `POST /api/study_sessions/{id}/words/{word_id}/review` {correct, latency_ms} —
    mostly words they have a card for, one in ten new — `answers_per_client` times after two
    untimed warm-up answers, stopping early past `time_limit_s`. With `pause_s` 0 each client
    sends its next answer as soon as the last is answered (the server saturated: the time is
    mostly queueing, `clients` / throughput); otherwise it thinks for a random 0.5–1.5 ×
    `pause_s` first, as a learner does. The figure is each request's round trip as its client
    saw it.
    """
    import asyncio

    import httpx

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    server = _start_api_server(port)
    try:
        _wait_until_serving(base_url, server)
        accounts = _rest_learners(world, base_url, clients)
        known = world.word_ids[:REST_CARDS_PER_LEARNER]
        fresh = world.word_ids[world.cards :]
        samples: list[float] = []
        refused: list[str] = []
        dropped: list[str] = []

        async def client(http: httpx.AsyncClient, n: int, deadline: float) -> None:
            token, session_id = accounts[n]
            rng = random.Random(1000 + n)
            for k in range(answers_per_client + 2):
                if pause_s:
                    await asyncio.sleep(pause_s * rng.uniform(0.5, 1.5))
                if time.monotonic() > deadline:
                    return
                word_id = rng.choice(fresh) if k % 10 == 5 else rng.choice(known)
                started = time.perf_counter()
                try:
                    response = await http.post(
                        f"/api/study_sessions/{session_id}/words/{word_id}/review",
                        json={"correct": rng.random() > 0.2, "latency_ms": rng.randint(800, 9000)},
                        headers={"Authorization": token},
                    )
                except httpx.TransportError as error:  # not retried: an answer is not idempotent
                    dropped.append(type(error).__name__)
                    continue
                elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 201:
                    refused.append(f"{response.status_code} {response.text[:200]}")
                elif k >= 2:
                    samples.append(elapsed)

        async def run_all() -> float:
            limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
            async with httpx.AsyncClient(
                base_url=base_url, limits=limits, timeout=60, trust_env=False
            ) as http:
                started = time.perf_counter()
                deadline = time.monotonic() + time_limit_s
                await asyncio.gather(*(client(http, n, deadline) for n in range(clients)))
                return time.perf_counter() - started

        wall = asyncio.run(run_all())
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    if refused:
        raise RuntimeError(f"{len(refused)} answers were refused, e.g. {refused[0]}")
    total = len(samples) + 2 * clients
    pace = f"one answer per ~{pause_s:g} s each" if pause_s else "back to back"
    return Timing(
        f"record_review over REST ({clients} clients, {pace})",
        samples,
        aim_p95_ms=20,
        note=f"{total / wall:.0f} answers/s through one uvicorn worker"
        + (f"; {len(dropped)} connections dropped ({dropped[0]})" if dropped else ""),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=50_000)
    parser.add_argument("--answers", type=int, default=500)
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--clients", type=int, default=50, help="concurrent REST clients")
    parser.add_argument("--rest-answers", type=int, default=20, help="answers per REST client")
    parser.add_argument(
        "--pause", type=float, default=2.0, help="seconds a paced REST client thinks per answer"
    )
    args = parser.parse_args()

    database = bench_database("learn-bench-study-")
    url = database.url

    # A review that reaches a fitting point asks for a background fit; here they are counted,
    # not run, so the optimizer does not compete with the calls being timed.
    from learn_app.services.study import fitting

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
    rest = [
        measure_record_review_over_rest(
            world, clients=args.clients, answers_per_client=args.rest_answers, pause_s=pause
        )
        for pause in (0.0, args.pause)
    ]
    rows += [row for row in rest if row is not None]
    header = f"{'operation':<62} {'n':>5} {'median ms':>10} {'p95 ms':>8} {'aim p95':>8}"
    print(header)
    print("-" * len(header))
    for row in rows:
        aim = f"{row.aim_p95_ms:.0f}" if row.aim_p95_ms else "-"
        print(f"{row.name:<62} {len(row.samples):>5} {row.median:>10.2f} {row.p95:>8.2f} {aim:>8}")
    for row in rows:
        if row.note:
            print(f"({row.name}: {row.note})")
    if fits_requested:
        print(f"({len(fits_requested)} background fits were asked for and not run)")


if __name__ == "__main__":
    main()
