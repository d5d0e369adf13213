"""What every signed-in page does the same way, because every handler is written with
`signed_in_handler`: a lapsed sign-in goes to the sign-in page and back, a refusal lands in the
page's own error field (beside the form field it is about), and ids from the browser are
checked like REST ids. The handlers run on real states over the real database, signed in
with real tokens, as the browser's events run them.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import reflex as rx
from sqlmodel import Session, select

from learn_app.config import get_settings
from learn_app.db import session_scope
from learn_app.models import AccessToken, Course, CourseEditor, Role, User, Word
from learn_app.services.accounts import auth
from learn_app.services.content import groups as groups_service
from learn_app.services.content import words as words_service
from learn_app.services.errors import NotAuthenticated
from learn_app.state.account import NEW_TOKEN_FIELD, ApiTokensState
from learn_app.state.auth import ProtectedState, Signed, run_signed_in, signed_in_handler
from learn_app.state.content_groups import GroupState
from learn_app.state.content_words import WordFormState, WordState
from learn_app.state.inputs import MAX_ROW_ID, checked_id, id_or_zero
from learn_app.state.privacy import MyDataState
from learn_app.state.settings import ProfileState

pytestmark = pytest.mark.integration

PASSWORD = "correct horse battery staple"


class ReadingRoomState(ProtectedState):
    """A page whose handler yields: it shows that it is working, then what it read."""

    error: str = ""
    steps: list[str] = []

    @rx.event
    @signed_in_handler("error")
    def read_word(self, signed: Signed, word_id: int) -> Iterator[None]:
        self.steps = ["reading"]
        yield
        word_id = checked_id(word_id, "word")
        word = words_service.get_word(signed.session, signed.user, word_id).word
        self.steps = [*self.steps, word.term]

    @rx.event
    @signed_in_handler("error")
    def read_twice(self, signed: Signed) -> None:
        self.read_inside()

    @signed_in_handler()
    def read_inside(self, signed: Signed) -> None:
        self.steps = ["read inside"]


@pytest.fixture(autouse=True)
def _no_background_indexing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "index_on_change", False)


@pytest.fixture
def person(session: Session) -> Callable[[Role, str], User]:
    def make(role: Role, name: str) -> User:
        user = auth.register(
            session,
            email=f"{name.lower()}@school.example",
            password=PASSWORD,
            display_name=name,
            role=role,
            rate_limited=False,
        )
        session.commit()
        return user

    return make


@pytest.fixture
def course(session: Session) -> Course:
    course = Course(slug="ja-handlers", language="ja", title="Handlers Japanese")
    session.add(course)
    session.commit()
    return course


def editing(session: Session, course: Course, teacher: User) -> User:
    """`teacher`, listed as an editor of `course` (a course is edited by its editors only)."""
    session.add(CourseEditor(course_id=course.id, user_id=teacher.id))
    session.commit()
    return teacher


@pytest.fixture
def cat(session: Session, course: Course, person) -> Word:
    editor = editing(session, course, person(Role.teacher, "Tanaka"))
    values = {"term": "猫", "reading": "ねこ", "meaning": "cat", "part_of_speech": "noun"}
    word = words_service.create_word(session, editor, course_id=course.id, values=values)
    session.commit()
    return word


@pytest.fixture
def page(engine) -> Callable[..., Any]:
    """The page's state in a fresh state tree, opened at `path`, signed in as `user` (or with
    `token` as it is)."""

    def open_page(state_class: type[rx.State], path: str, user: User | None = None, token=""):
        root = rx.State(_reflex_internal_init=True)
        root._update_router_vars({"pathname": path, "asPath": path, "query": {}}, {})
        state = root.get_substate(state_class.get_full_name().split(".")[1:])
        if user is not None:
            with session_scope() as session:
                token = auth.sign_in(session, email=user.email, password=PASSWORD).token
        state.token = token
        return state

    return open_page


def _run(handler, state: rx.State, *args: Any) -> Any:
    """Run an event handler as Reflex does: its function on the state, returning its events."""
    return handler.fn(state, *args)


def test_a_lapsed_sign_in_goes_to_the_sign_in_page_and_back_to_the_page(page, cat) -> None:
    state = page(WordState, f"/words/{cat.id}", token="a token from long ago")

    redirect = _run(WordState.load, state)

    target = str(redirect)
    assert "/signin?next=" in target
    assert f"%2Fwords%2F{cat.id}" in target
    assert (state.token, state.signed_in, state.loaded) == ("", False, False)


def test_a_refusal_is_shown_in_the_pages_error_field_and_changes_nothing(
    page, person, cat, session
) -> None:
    learner = person(Role.learner, "Ada")
    state = page(WordState, f"/words/{cat.id}", user=learner)
    _run(WordState.load, state)

    follow_up = _run(WordState.delete, state)

    assert follow_up is None
    assert state.error == "Only teachers and admins can change course content."
    assert session.get(Word, cat.id) is not None
    assert (state.signed_in, state.display_name) == (True, "Ada")


def test_a_form_refusal_is_shown_beside_its_field_and_what_was_typed_stays(
    page, person, course, cat, session
) -> None:
    teacher = editing(session, course, person(Role.teacher, "Sato"))
    state = page(WordFormState, "/words/new", user=teacher)
    _run(WordFormState.load, state)
    typed = {"term": "猫", "reading": "ねこ", "meaning": "a cat again", "part_of_speech": "noun"}

    follow_up = _run(WordFormState.save, state, typed)

    assert follow_up is None
    assert list(state.errors) == ["term"]
    assert "already has the word" in state.errors["term"]
    assert session.exec(select(Word).where(Word.meaning == "a cat again")).first() is None


def test_a_refusal_about_no_field_of_the_form_is_shown_above_it(page, person) -> None:
    learner = person(Role.learner, "Ben")
    state = page(ProfileState, "/settings", user=learner)

    _run(ProfileState.save, state, {"display_name": "Ben", "daily_goal": "many"})

    assert set(state.errors) == {"daily_goal"}
    assert state.saved_message == ""


def test_a_word_that_does_not_exist_is_said_and_the_page_counts_as_loaded(page, person) -> None:
    state = page(WordState, "/words/999999", user=person(Role.learner, "Cy"))

    follow_up = _run(WordState.load, state)

    assert follow_up is None
    assert state.missing == "That word does not exist."
    assert state.loaded is True


def test_an_address_with_an_id_no_row_can_have_is_a_missing_word_not_a_database_error(
    page, person
) -> None:
    state = page(WordState, f"/words/{MAX_ROW_ID + 1}", user=person(Role.learner, "Di"))

    _run(WordState.load, state)

    assert state.missing == "That word does not exist."


def test_an_event_with_an_id_out_of_range_gets_a_clear_message(
    page, person, course, cat, session
) -> None:
    teacher = editing(session, course, person(Role.teacher, "Ito"))
    group = groups_service.create_group(session, teacher, course_id=course.id, name="Animals")
    session.commit()
    state = page(GroupState, f"/groups/{group.id}", user=teacher)
    _run(GroupState.load, state)

    _run(GroupState.add_word, state, 2**40)

    assert state.error == (
        f"That word doesn't exist: ids are whole numbers from 1 to {MAX_ROW_ID}."
    )
    assert state.message == ""

    _run(GroupState.add_word, state, cat.id)

    assert (state.error, state.message) == ("", "“The word” is now in the group.")
    assert [row.term for row in state.words] == ["猫"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, 1),
        ("42", 42),
        (MAX_ROW_ID, MAX_ROW_ID),
        (0, 0),
        (-3, 0),
        (MAX_ROW_ID + 1, 0),
        ("12a", 0),
        ("", 0),
        (None, 0),
        (True, 0),
        (2.0, 0),
        ("４２", 0),
    ],
)
def test_ids_from_the_browser_are_whole_numbers_a_row_can_have(
    value: object, expected: int
) -> None:
    assert id_or_zero(value) == expected


def test_a_handler_that_yields_shows_each_step_and_its_refusal(page, person, cat) -> None:
    state = page(ReadingRoomState, "/reading", user=person(Role.learner, "Eve"))

    steps = list(_run(ReadingRoomState.read_word, state, cat.id))

    assert steps == [None]
    assert (state.steps, state.error) == (["reading", "猫"], "")

    list(_run(ReadingRoomState.read_word, state, 999999))

    assert state.error == "That word does not exist."


def test_a_handler_that_yields_sends_a_lapsed_sign_in_to_the_sign_in_page(page) -> None:
    state = page(ReadingRoomState, "/reading", token="not a token")

    handler = _run(ReadingRoomState.read_word, state, 1)
    with pytest.raises(StopIteration) as stopped:
        next(handler)

    assert "/signin?next=%2Freading" in str(stopped.value.value)
    assert state.steps == []


def test_a_signed_in_handler_started_inside_another_is_refused(page, person) -> None:
    state = page(ReadingRoomState, "/reading", user=person(Role.learner, "Fay"))

    with pytest.raises(RuntimeError, match="inside another signed-in handler"):
        _run(ReadingRoomState.read_twice, state)


def test_background_work_runs_for_the_caller_behind_the_token(person) -> None:
    learner = person(Role.learner, "Gus")
    with session_scope() as session:
        token = auth.sign_in(session, email=learner.email, password=PASSWORD).token

    name = asyncio.run(run_signed_in(token, lambda signed: signed.user.display_name))

    assert name == "Gus"
    with pytest.raises(NotAuthenticated):
        asyncio.run(run_signed_in("not a token", lambda signed: signed.user.display_name))


def test_settings_downloads_the_signed_in_persons_own_data(page, person) -> None:
    learner = person(Role.learner, "Eve")
    person(Role.learner, "Fay")
    state = page(MyDataState, "/settings", user=learner)

    download = _run(MyDataState.download_json, state)

    (_, url), (_, filename) = download.args
    assert filename._var_value == "my-data.json"
    data = json.loads(base64.b64decode(url._var_value.split("base64,", 1)[1]))
    assert data["profile"]["email"] == "eve@school.example"
    assert "password_hash" not in data["profile"]
    assert len(data["sign_in_sessions"]) == 1
    assert state.error == ""

    lapsed = page(MyDataState, "/settings", token="a token from long ago")
    assert "/signin?next=" in str(_run(MyDataState.download_json, lapsed))


def test_a_new_api_tokens_secret_goes_to_the_browser_once_and_never_into_the_state(
    page, person, session
) -> None:

    learner = person(Role.learner, "Gil")
    state = page(ApiTokensState, "/settings", user=learner)

    shown = _run(ApiTokensState.create, state, {"name": "Script", "scope": "study"})

    secret = next(
        arg._var_value
        for name, arg in shown.args
        if isinstance(arg._var_value, str) and arg._var_value.startswith("lp_")
    )
    assert "_set_value" in str(shown)
    assert NEW_TOKEN_FIELD.replace("-", "_") in str(shown)
    stored = session.exec(select(AccessToken)).one()
    assert (stored.name, stored.scope, stored.hint) == ("Script", "study", secret[-4:])
    assert [row.name for row in state.tokens] == ["Script"]
    assert state.created_name == "Script"
    assert secret[3:] not in str(state.dict())
    assert secret[3:].encode() not in state._serialize()
