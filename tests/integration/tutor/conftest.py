"""A fake Claude over real HTTP, learners, and a small indexed course for the tutor specs.

`claude` points the SDK at the fake server (ANTHROPIC_BASE_URL, a dummy key) with a short
timeout and fast retries; without it the tutor runs offline, as it does with no key set.
`openai_compatible` does the same with a fake OpenAI-compatible server, set up as a local
Ollama would be (a base URL and a model, no key).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fakes.anthropic_server import FakeAnthropic
from fakes.openai_server import FakeOpenAI
from sqlmodel import Session, delete

from learn_app.config import get_settings
from learn_app.models import Course, Document, RagSource, Role, User
from learn_app.rag.indexing import sync_index
from learn_app.rag.store import get_document_store
from learn_app.services.accounts import auth

TIMEOUT_SECONDS = 0.5
MAX_RETRIES = 2
OPENAI_ENV = (
    "LEARN_OPENAI_API_KEY", "OPENAI_API_KEY", "LEARN_OPENAI_BASE_URL", "OPENAI_BASE_URL",
    "LEARN_OPENAI_MODEL",
)  # fmt: skip
# The model a local Ollama would serve: a name the price table does not list.
LOCAL_MODEL = "llama3.2:3b"


@pytest.fixture(scope="session")
def fake_server() -> Iterator[FakeAnthropic]:
    server = FakeAnthropic().start()
    yield server
    server.stop()


@pytest.fixture
def fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Environment changes made through the returned monkeypatch reach `get_settings()`."""
    for name in ("ANTHROPIC_API_KEY", "LEARN_ANTHROPIC_API_KEY", "LEARN_LLM_PROVIDER"):
        monkeypatch.delenv(name, raising=False)
    for name in OPENAI_ENV:
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def claude(fake_server: FakeAnthropic, fresh_settings: pytest.MonkeyPatch) -> FakeAnthropic:
    """The tutor's provider is Claude, served by the fake at its base URL."""
    fake_server.reset()
    fresh_settings.setenv("ANTHROPIC_API_KEY", "sk-ant-test-dummy")
    fresh_settings.setenv("ANTHROPIC_BASE_URL", fake_server.base_url)
    fresh_settings.setenv("LEARN_ANTHROPIC_MODEL", "claude-sonnet-4-6")
    fresh_settings.setenv("LEARN_LLM_TIMEOUT_SECONDS", str(TIMEOUT_SECONDS))
    fresh_settings.setenv("LEARN_LLM_MAX_RETRIES", str(MAX_RETRIES))
    get_settings.cache_clear()
    return fake_server


@pytest.fixture
def offline(fresh_settings: pytest.MonkeyPatch) -> None:
    """No key: the tutor answers offline."""
    get_settings.cache_clear()


@pytest.fixture
def teacher(session: Session) -> User:
    """The teacher who drafts examples and imports vocabulary."""
    user = auth.register(
        session,
        email="tomoko.teacher@example.com",
        password="correct horse battery staple",
        display_name="Tomoko Teacher",
        role=Role.teacher,
        rate_limited=False,
    )
    session.commit()
    return user


@pytest.fixture
def learner(make_learner) -> User:
    return make_learner(email="zebedee.quux@example.com", display_name="Zebedee Quux")


APOLOGIES = """\
すみません (sumimasen) is the everyday polite apology. It also thanks someone for trouble they
took, and gets a waiter's attention.

ごめんなさい (gomen nasai) is a warmer apology for friends and family. To your boss, say
申し訳ありません (mōshiwake arimasen), the most formal apology.
"""

COUNTERS = """\
Japanese counts things with counters. Long thin things such as bottles and pens take 本 (hon):
いっぽん, にほん, さんぼん. People take 人 (nin): ひとり, ふたり, さんにん.
"""


@pytest.fixture
def small_course(session: Session) -> Iterator[Course]:
    """Two published Japanese lessons, indexed."""
    course = Course(slug="ja-tutor", language="ja", title="Japanese for the tutor specs")
    session.add(course)
    session.flush()
    for position, (slug, title, body) in enumerate(
        [
            ("apologising", "Apologising and thanking", APOLOGIES),
            ("counters", "Numbers and counters", COUNTERS),
        ]
    ):
        session.add(
            Document(
                course_id=course.id,
                slug=slug,
                language="ja",
                level="JLPT N5",
                title=title,
                body=body,
                status="published",
                position=position,
            )
        )
    session.commit()
    get_document_store().delete_all_documents()
    sync_index(session)
    yield course
    get_document_store().delete_all_documents()
    for table in (RagSource, Document, Course):
        session.exec(delete(table))
    session.commit()


@pytest.fixture(scope="session")
def fake_openai_server() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI().start()
    yield server
    server.stop()


@pytest.fixture
def openai_compatible(
    fake_openai_server: FakeOpenAI, fresh_settings: pytest.MonkeyPatch
) -> FakeOpenAI:
    """The tutor's provider is an OpenAI-compatible server on this machine, configured as one
    would configure Ollama: the provider, a base URL, a model, and no key."""
    fake_openai_server.reset()
    fresh_settings.setenv("LEARN_LLM_PROVIDER", "openai")
    fresh_settings.setenv("LEARN_OPENAI_BASE_URL", fake_openai_server.base_url)
    fresh_settings.setenv("LEARN_OPENAI_MODEL", LOCAL_MODEL)
    fresh_settings.setenv("LEARN_LLM_TIMEOUT_SECONDS", str(TIMEOUT_SECONDS))
    fresh_settings.setenv("LEARN_LLM_MAX_RETRIES", str(MAX_RETRIES))
    get_settings.cache_clear()
    return fake_openai_server
