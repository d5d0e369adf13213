"""The API served over real HTTP by uvicorn in a background thread, and accounts to call it with."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import count

import httpx
import pytest
import uvicorn
from sqlalchemy import event, text
from sqlmodel import Session, select

from learn_app.db import get_engine
from learn_app.models import Course, Document, Role, Word, WordGroup
from learn_app.services.accounts import auth
from learn_app.services.content.course_files import parse_course_text
from learn_app.services.content.importer import apply_import
from tests.fixtures.courses import course_text

PASSWORD = "correct horse battery"
_numbers = count(1)


@pytest.fixture(scope="session")
def api_url(database_url: str) -> Iterator[str]:
    from learn_app.api.app import api_app

    # IPPROTO_TCP named, not left 0: asyncio sets TCP_NODELAY only on connections accepted from
    # a socket whose protocol says TCP. Without it every small response waited ~40 ms (Nagle
    # against the client's delayed ACK).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(api_app, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    _wait_until_serving(url, server, thread)
    yield url
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


def _wait_until_serving(url: str, server: uvicorn.Server, thread: threading.Thread) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if not thread.is_alive():
            raise RuntimeError("the API server stopped while starting")
        if server.started:
            try:
                httpx.get(url + "/api/health", timeout=5, trust_env=False)
                return
            except httpx.TransportError:
                pass
        time.sleep(0.05)
    raise RuntimeError("the API server did not start within 30 seconds")


@pytest.fixture
def client(api_url: str, engine) -> Iterator[httpx.Client]:
    """An HTTP client for one test; depending on `engine` empties the tables afterwards."""
    with httpx.Client(base_url=api_url, timeout=30, trust_env=False) as http:
        yield http


@dataclass
class Account:
    """Someone with an account, signed in once: `headers` carry that sign-in's bearer token."""

    id: int
    email: str
    display_name: str
    token: str
    password: str = PASSWORD
    headers: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.headers = {"Authorization": f"Bearer {self.token}"}


def unique_email(name: str) -> str:
    return f"{name}{next(_numbers)}@example.com"


@pytest.fixture
def sign_in(client: httpx.Client) -> Callable[..., httpx.Response]:
    """POST the OAuth2 password form; returns the raw response."""

    def sign_in(
        email: str, password: str = PASSWORD, *, user_agent: str = "pytest"
    ) -> httpx.Response:
        return client.post(
            "/api/auth/token",
            data={"username": email, "password": password},
            headers={"User-Agent": user_agent},
        )

    return sign_in


@pytest.fixture
def new_token(sign_in: Callable[..., httpx.Response]) -> Callable[..., str]:
    """Sign in again (another device) and return that session's token."""

    def new_token(email: str, password: str = PASSWORD, **kwargs: str) -> str:
        response = sign_in(email, password, **kwargs)
        assert response.status_code == 200, response.text
        return response.json()["access_token"]

    return new_token


@pytest.fixture
def new_account(
    client: httpx.Client, session: Session, new_token: Callable[..., str]
) -> Callable[..., Account]:
    """Create and sign in an account: learners sign up over HTTP, other roles via the services."""

    def new_account(role: Role = Role.learner, display_name: str = "Lena Learner") -> Account:
        email = unique_email(role.value)
        if role is Role.learner:
            response = client.post(
                "/api/auth/register",
                json={"email": email, "password": PASSWORD, "display_name": display_name},
            )
            assert response.status_code == 201, response.text
            user_id = response.json()["id"]
        else:
            if role is Role.admin:
                user = auth.create_admin(
                    session, email=email, password=PASSWORD, display_name=display_name
                )
            else:
                user = auth.register(
                    session,
                    email=email,
                    password=PASSWORD,
                    display_name=display_name,
                    role=role,
                    rate_limited=False,
                )
            session.commit()
            user_id = user.id
        return Account(user_id, email, display_name, new_token(email))

    return new_account


@pytest.fixture
def learner(new_account: Callable[..., Account]) -> Account:
    return new_account(Role.learner, "Lena Learner")


@pytest.fixture
def admin(new_account: Callable[..., Account]) -> Account:
    return new_account(Role.admin, "Ada Admin")


@pytest.fixture
def teacher(new_account: Callable[..., Account]) -> Account:
    return new_account(Role.teacher, "Tomás Teacher")


@pytest.fixture
def other_teacher(new_account: Callable[..., Account]) -> Account:
    return new_account(Role.teacher, "Tara Teacher")


# --- course content -------------------------------------------------------------------------

JAPANESE_COURSE = course_text("ja-mini-api.yaml")

SPANISH_COURSE = course_text("es-mini-api.yaml")


@dataclass(frozen=True)
class Content:
    """Ids of what the two small courses hold; 鳥 (bird) and the 'counters' lesson are drafts."""

    japanese: int
    spanish: int
    groups: dict[str, int]
    words: dict[str, int]
    lessons: dict[str, int]


def import_course_text(session: Session, text: str) -> None:
    apply_import(session, None, parse_course_text(text, file="course.yaml", fmt="yaml"))


@pytest.fixture
def content(session: Session, teacher: Account) -> Content:
    """A small Japanese course and a small Spanish one, as an import would store them, both
    owned by `teacher` (who may therefore edit them; other teachers may not)."""
    import_course_text(session, JAPANESE_COURSE)
    import_course_text(session, SPANISH_COURSE)
    for course in session.exec(select(Course)):
        course.owner_id = teacher.id
        session.add(course)
    session.commit()
    courses = {c.slug: c.id for c in session.exec(select(Course))}
    return Content(
        japanese=courses["ja-mini"],
        spanish=courses["es-mini"],
        groups={g.slug: g.id for g in session.exec(select(WordGroup))},
        words={w.term: w.id for w in session.exec(select(Word))},
        lessons={d.slug: d.id for d in session.exec(select(Document))},
    )


@pytest.fixture
def japanese_course() -> str:
    """The small Japanese course as a teacher's YAML file (what `content` imports)."""
    return JAPANESE_COURSE


@pytest.fixture
def store_course(session: Session) -> Callable[[str], None]:
    """Store a course from its YAML text, as an import by the system would (then commit)."""

    def store(text: str) -> None:
        import_course_text(session, text)
        session.commit()

    return store


@pytest.fixture
def upload(client: httpx.Client) -> Callable[..., httpx.Response]:
    """Send a file to the import (or, with `preview=True`, its preview) as a browser form would."""

    def upload(
        account: Account,
        text: str,
        name: str = "course.yaml",
        *,
        preview: bool = False,
        **form: object,
    ) -> httpx.Response:
        path = "/api/content/import/preview" if preview else "/api/content/import"
        return client.post(
            path,
            files={"file": (name, text.encode(), "application/octet-stream")},
            data={field: str(value) for field, value in form.items()},
            headers=account.headers,
        )

    return upload


# --- study ----------------------------------------------------------------------------------


@pytest.fixture
def activity_ids(client: httpx.Client, learner: Account) -> dict[str, int]:
    """The built-in study activities' ids by slug, as a client finds them."""
    response = client.get("/api/study_activities", headers=learner.headers)
    assert response.status_code == 200, response.text
    return {activity["slug"]: activity["id"] for activity in response.json()}


@pytest.fixture
def launch(client: httpx.Client, activity_ids: dict[str, int]) -> Callable[..., dict]:
    """Launch an activity (flashcards unless told) on a group: the new study session."""

    def launch(account: Account, group_id: int | None, activity: str = "flashcards") -> dict:
        response = client.post(
            "/api/study_activities",
            json={"group_id": group_id, "study_activity_id": activity_ids[activity]},
            headers=account.headers,
        )
        assert response.status_code == 201, response.text
        return response.json()

    return launch


@pytest.fixture
def answer(client: httpx.Client) -> Callable[..., httpx.Response]:
    """Send one answer to a word in a study session; returns the raw response."""

    def answer(account: Account, session_id: int, word_id: int, **body: object) -> httpx.Response:
        return client.post(
            f"/api/study_sessions/{session_id}/words/{word_id}/review",
            json={"correct": True, **body},
            headers=account.headers,
        )

    return answer


@pytest.fixture
def drop_connections(session: Session) -> Iterator[Callable[[], None]]:
    """Call it to end every database connection the portal opened since the fixture began, as
    a PostgreSQL restart would; they were in use a moment before, so they go unchecked when
    next handed out."""
    engine = get_engine()
    engine.dispose()  # from here, every connection the portal opens is noted
    opened: list[int] = []

    def note(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        opened.append(dbapi_connection.info.backend_pid)

    def drop() -> None:
        assert opened, "the portal opened no connection yet"
        ended = session.execute(
            text("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM unnest(:pids) pid"),
            {"pids": opened},
        ).scalar_one()
        session.commit()
        assert ended == len(opened)

    event.listen(engine, "connect", note)
    try:
        yield drop
    finally:
        event.remove(engine, "connect", note)
