"""What every integration spec shares: people to act as, and content indexed only on request.

Integration specs index content when they ask for it, not in the background after each edit.
The setting comes from the environment, so fixtures that rebuild the settings (to point the
tutor at a fake model, say) keep it. A spec of background indexing turns it back on itself.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

import pytest
from sqlmodel import Session

from learn_app.config import get_settings
from learn_app.models import Role, User
from learn_app.services.accounts import auth
from tests.fixtures.embeddings import RememberedEmbeddings
from tests.fixtures.users import PASSWORD


@pytest.fixture(autouse=True)
def _no_background_indexing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("LEARN_INDEX_ON_CHANGE", "false")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def _embeddings_of_this_run() -> RememberedEmbeddings:
    return RememberedEmbeddings()


@pytest.fixture(scope="module")
def remembered_embeddings(
    _embeddings_of_this_run: RememberedEmbeddings,
) -> Iterator[RememberedEmbeddings]:
    """For a module that indexes the shipped courses: texts another such module of this run
    embedded already come from memory (see `tests.fixtures.embeddings`)."""
    with _embeddings_of_this_run.active():
        yield _embeddings_of_this_run


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def make_user(session: Session) -> Callable[..., User]:
    """A signed-up account (learner1@example.com, "Learner 1", …) with `PASSWORD`, committed;
    the keyword arguments set its profile."""
    numbers = itertools.count(1)

    def make(
        role: Role = Role.learner,
        *,
        email: str | None = None,
        display_name: str | None = None,
        password: str = PASSWORD,
        timezone: str = "UTC",
        daily_goal: int | None = None,
        desired_retention: float | None = None,
        target_language: str | None = None,
    ) -> User:
        number = next(numbers)
        user = auth.register(
            session,
            email=email or f"{role.value}{number}@example.com",
            password=password,
            display_name=display_name or f"{role.value.title()} {number}",
            role=role,
            rate_limited=False,
        )
        user.timezone = timezone
        if daily_goal is not None:
            user.daily_goal = daily_goal
        if desired_retention is not None:
            user.desired_retention = desired_retention
        if target_language is not None:
            user.target_language = target_language
        session.add(user)
        session.commit()
        return user

    return make


@pytest.fixture
def learner(make_user: Callable[..., User]) -> User:
    return make_user(Role.learner)


@pytest.fixture
def teacher(make_user: Callable[..., User]) -> User:
    return make_user(Role.teacher)


@pytest.fixture
def admin(make_user: Callable[..., User]) -> User:
    return make_user(Role.admin)


@pytest.fixture
def make_learner(make_user: Callable[..., User]) -> Callable[..., User]:
    """`make_user` by the name the study, tutor and achievements specs give it."""
    return make_user


@pytest.fixture
def enrol(session: Session) -> Callable[[User, int, User], None]:
    """`enrol(teacher, classroom_id, learner)`: the teacher invites, the learner accepts."""
    from tests.fixtures.classes import enrol as enrol_by_invitation

    def enrol(teacher: User, classroom_id: int, learner: User) -> None:
        enrol_by_invitation(session, teacher, classroom_id, learner)

    return enrol
