"""The study activities registry: the built-in activities, and external ones admins add."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from learn_app.models import Role, StudyActivity
from learn_app.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from learn_app.services.study import activities

pytestmark = pytest.mark.integration

ASSETS = Path(__file__).resolve().parents[3] / "assets"
BUILTIN = [
    "flashcards", "multiple-choice", "typing", "listening", "cloze", "writing", "sentence-builder",
    "speaking",
]  # fmt: skip


def test_the_built_in_activities_are_listed_in_their_usual_order(session) -> None:
    assert [a.slug for a in activities.list_activities(session)] == BUILTIN


def test_each_built_in_activity_opens_its_page_in_the_app(session) -> None:
    for activity in activities.list_activities(session):
        assert activity.kind == "builtin"
        assert activity.url == f"/study/{activity.slug}"
        assert activity.name and activity.description


def test_each_built_in_activity_has_a_real_svg_preview_image(session) -> None:
    for activity in activities.list_activities(session):
        assert activity.preview_image == f"/activities/{activity.slug}.svg"
        image = ASSETS / activity.preview_image.lstrip("/")
        text = image.read_text(encoding="utf-8")
        assert text.lstrip().startswith("<svg") and "<title" in text


def test_seeding_the_built_in_activities_again_changes_nothing(session, engine) -> None:
    first = {a.slug: a.id for a in activities.list_activities(session)}
    activities.ensure_builtin_activities(session)
    activities.ensure_builtin_activities(session)
    session.commit()
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(StudyActivity)).one() == len(BUILTIN)
    assert {a.slug: a.id for a in activities.list_activities(session)} == first


def test_an_activity_is_found_by_id_and_by_slug(session) -> None:
    typing = activities.get_activity_by_slug(session, "typing")
    assert activities.get_activity(session, typing.id).slug == "typing"


def test_a_built_in_activity_is_found_by_id_before_anything_listed_them(session) -> None:
    """A fresh database has no activity rows until someone asks; asking by id also counts."""
    assert activities.get_activity(session, 1).slug in BUILTIN


def test_an_activity_that_does_not_exist_is_not_found(session) -> None:
    with pytest.raises(NotFound):
        activities.get_activity(session, 999_999)
    with pytest.raises(NotFound):
        activities.get_activity_by_slug(session, "karaoke")


def test_launching_an_activity_passes_the_group_and_the_study_session(session) -> None:
    flashcards = activities.get_activity_by_slug(session, "flashcards")
    assert (
        activities.launch_url(flashcards, group_id=3, session_id=17)
        == "/study/flashcards?group_id=3&session_id=17"
    )
    assert activities.launch_url(flashcards, group_id=None, session_id=17) == (
        "/study/flashcards?session_id=17"
    )


def test_an_admin_adds_an_external_activity_launched_at_its_own_address(
    session, make_learner
) -> None:
    admin = make_learner(role=Role.admin)
    quiz = activities.add_external_activity(
        session, admin, slug="kanji-quiz", name="Kanji quiz", url="https://quiz.example/play"
    )
    assert quiz.kind == "external"
    assert [a.slug for a in activities.list_activities(session)][-1] == "kanji-quiz"
    assert activities.launch_url(quiz, group_id=2, session_id=5) == (
        "https://quiz.example/play?group_id=2&session_id=5"
    )


def test_only_admins_add_activities(session, learner) -> None:
    with pytest.raises(PermissionDenied):
        activities.add_external_activity(
            session, learner, slug="x", name="X", url="https://x.example"
        )


@pytest.mark.parametrize("url", ["/relative", "javascript:alert(1)", "ftp://x.example/", ""])
def test_an_external_activity_needs_an_absolute_web_address(session, make_learner, url) -> None:
    with pytest.raises(InvalidInput):
        activities.add_external_activity(
            session, make_learner(role=Role.admin), slug="quiz", name="Quiz", url=url
        )


def test_an_external_activity_cannot_take_a_built_in_slug(session, make_learner) -> None:
    activities.list_activities(session)
    with pytest.raises(Conflict):
        activities.add_external_activity(
            session,
            make_learner(role=Role.admin),
            slug="typing",
            name="Typing",
            url="https://x.example",
        )
