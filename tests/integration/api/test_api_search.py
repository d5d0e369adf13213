"""/api/search: the published lessons and words that best answer a question, best first.

The index is real (pgvector, the bundled embedding model) and kept small: two short courses.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from sqlmodel import Session, select

from learn_app.config import get_settings
from learn_app.models import Document, Word
from tests.fixtures.courses import course_text

TRAVEL = course_text("ja-travel.yaml")

GRAMMAR = course_text("es-grammar.yaml")


@pytest.fixture
def empty_index(database_url: str) -> Iterator[None]:
    """The chunk table lives outside the app's tables, so it is emptied here, around the test."""
    from learn_app.rag.store import get_document_store

    store = get_document_store()
    store.delete_all_documents()
    yield
    store.delete_all_documents()


@pytest.fixture
def indexed(session: Session, store_course, empty_index: None) -> dict[str, tuple[str, int]]:
    """Both courses stored and indexed; each lesson and word by slug or term as (type, id)."""
    from learn_app.rag.indexing import sync_index

    store_course(TRAVEL)
    store_course(GRAMMAR)
    sync_index(session)
    sources = {d.slug: ("lesson", d.id) for d in session.exec(select(Document))}
    sources |= {w.term: ("word", w.id) for w in session.exec(select(Word))}
    return sources


def search(client, account, q: str, **params):
    return client.get("/api/search", params={"q": q, **params}, headers=account.headers)


def sources(response) -> list[tuple[str, int]]:
    return [(hit["source_type"], hit["source_id"]) for hit in response.json()["results"]]


def test_a_question_finds_the_lesson_that_answers_it_first(client, learner, indexed):
    response = search(client, learner, "Where does my train leave from?", language="ja")

    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "Where does my train leave from?"
    best = body["results"][0]
    assert (best["source_type"], best["source_id"]) == indexed["trains"]
    assert (best["title"], best["language"]) == ("On the train", "ja")
    assert "何番線ですか" in best["text"]


def test_results_are_ranked_best_first_and_each_source_appears_once(client, learner, indexed):
    response = search(client, learner, "train ticket platform", limit=10)

    scores = [hit["score"] for hit in response.json()["results"]]
    assert scores == sorted(scores, reverse=True)
    assert all(score > 0 for score in scores)
    assert len(set(sources(response))) == len(sources(response))


def test_words_are_found_with_their_meaning_as_the_title(client, learner, indexed):
    response = search(client, learner, "tren", language="es", limit=1)

    [hit] = response.json()["results"]
    assert (hit["source_type"], hit["source_id"]) == indexed["tren"]
    assert hit["title"] == "tren — train"


def test_the_language_filter_keeps_out_the_other_courses(client, learner, indexed):
    spanish = search(client, learner, "train", language="es", limit=10).json()["results"]
    every = search(client, learner, "train", limit=10).json()["results"]

    assert {hit["language"] for hit in spanish} == {"es"}
    assert {hit["language"] for hit in every} == {"es", "ja"}


def test_a_language_with_no_content_finds_nothing(client, learner, indexed):
    response = search(client, learner, "train", language="fr")

    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize("role", ["learner", "teacher"])
def test_drafts_are_never_found_even_by_teachers(client, request, indexed, role):
    account = request.getfixturevalue(role)
    drafts = {indexed["bus"], indexed["切符"]}

    for question in ("Which bus goes to the station?", "Riding the bus", "bus ticket kippu"):
        found = sources(search(client, account, question, limit=20))
        assert drafts.isdisjoint(found), question


def test_no_more_results_than_the_limit(client, learner, indexed):
    response = search(client, learner, "train", limit=2)

    assert len(response.json()["results"]) == 2


@pytest.mark.parametrize("q", ["?!", "'; DROP TABLE word; --", "& | ! ( )", "東京"])
def test_a_query_of_odd_characters_is_answered_not_an_error(client, learner, indexed, q):
    response = search(client, learner, q)

    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)


def test_control_characters_in_a_question_are_left_out(client, learner, indexed):
    response = search(client, learner, "train\u0000 platform\u0007", language="ja")

    assert response.status_code == 200
    assert response.json()["query"] == "train platform"
    assert sources(response)[0] == indexed["trains"]


def test_publishing_and_unpublishing_through_the_api_reach_search_by_themselves(
    client, admin, learner, indexed, monkeypatch
):
    """An admin edits the stored courses (they have no owner teacher)."""
    monkeypatch.setattr(get_settings(), "index_on_change", True)
    ticket, trains = indexed["切符"], indexed["trains"]

    published = client.patch(
        f"/api/words/{ticket[1]}", json={"status": "published"}, headers=admin.headers
    )
    unpublished = client.patch(
        f"/api/lessons/{trains[1]}", json={"status": "draft"}, headers=admin.headers
    )
    assert (published.status_code, unpublished.status_code) == (200, 200)
    assert sys.modules["learn_app.rag.worker"].wait_idle(timeout=60)

    found = sources(search(client, learner, "train ticket kippu platform", limit=20))
    assert ticket in found
    assert trains not in found


# ------------------------------------------------------------------------------ refusals


def test_search_needs_a_token(client):
    response = client.get("/api/search", params={"q": "train"})

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["detail"]


@pytest.mark.parametrize("q", ["", "   ", "\t\n", "\u0000"])
def test_an_empty_question_is_refused_naming_q(client, learner, q):
    response = search(client, learner, q)

    assert response.status_code == 422
    assert response.json()["field"] == "q"
    assert response.json()["detail"]


def test_a_question_of_only_spaces_says_what_to_type(client, learner):
    response = search(client, learner, "   ")

    assert response.json() == {
        "detail": "Type a question or some words to search for.",
        "field": "q",
    }


def test_a_missing_question_is_refused_naming_q(client, learner):
    response = client.get("/api/search", headers=learner.headers)

    assert response.status_code == 422
    assert response.json() == {"detail": "q is required.", "field": "q"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "x" * 501}, "q"),
        ({"q": "train", "limit": 0}, "limit"),
        ({"q": "train", "limit": 21}, "limit"),
        ({"q": "train", "language": "klingonese"}, "language"),
    ],
)
def test_a_parameter_out_of_range_is_refused_naming_it(client, learner, params, field):
    response = client.get("/api/search", params=params, headers=learner.headers)

    assert response.status_code == 422
    assert response.json()["field"] == field
