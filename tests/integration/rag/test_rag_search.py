"""Hybrid search: what a learner's question finds, and what it must never find."""

from __future__ import annotations

import tempfile
from collections.abc import Callable

import psycopg
import pytest
from haystack.components.joiners import DocumentJoiner
from haystack_integrations.components.retrievers.pgvector import (
    PgvectorEmbeddingRetriever,
    PgvectorKeywordRetriever,
)
from psycopg import pq

from learn_app.models import Status
from learn_app.rag import retrieval
from learn_app.rag.embedder import embed_query
from learn_app.rag.hybrid import HybridSearcher
from learn_app.rag.indexing import sync_index
from learn_app.rag.retrieval import search
from learn_app.rag.store import get_document_store, new_document_store

pytestmark = pytest.mark.integration

TRAINS = """## Taking the train

At the ticket machine choose your destination's fare, then go through the gate.
To ask where a train leaves from, say: 何番線ですか (nanbansen desu ka) — which platform?
The last train (終電, shuuden) leaves around midnight; miss it and you take a taxi.
"""

WEATHER = """## Talking about the weather

あついですね — it's hot, isn't it. さむいですね — it's cold, isn't it.
あめが ふっています — it is raining. Small talk about the weather opens many conversations.
"""

SUBJUNCTIVE = """## Wishes and doubts

After *espero que*, *quiero que* and *dudo que* the verb takes the subjunctive:
Espero que vengas. I hope you come. Dudo que llueva. I doubt it will rain.
"""

SER_ESTAR = """## Two verbs "to be"

Use *ser* for what something is (identity, origin, time) and *estar* for where it is and how
it is right now: Soy de Madrid. Estoy cansado.
"""


@pytest.fixture
def indexed(session, add_lesson, add_word, empty_index):
    lessons = {
        "trains": add_lesson("On the train", TRAINS, summary="Buy tickets and find platforms."),
        "weather": add_lesson("The weather", WEATHER, summary="Small talk about the weather."),
        "subjunctive": add_lesson("The subjunctive", SUBJUNCTIVE, language="es"),
        "ser_estar": add_lesson("Ser and estar", SER_ESTAR, language="es"),
        "draft": add_lesson(
            "Riding the bus",
            "Which bus goes to the station? Ask the driver which platform and stop.",
            status=Status.draft,
        ),
    }
    words = {
        "madrugada": add_word(
            "madrugada",
            "the small hours, early morning",
            language="es",
            part_of_speech="noun",
            parts={"gender": "feminine"},
        ),
        "densha": add_word("でんしゃ", "train", reading="でんしゃ", part_of_speech="noun"),
    }
    sync_index(session)
    return lessons, words


def keys(passages) -> list[tuple[str, int]]:
    return [(p.source_type, p.source_id) for p in passages]


def test_a_paraphrased_question_finds_the_lesson_about_it(indexed) -> None:
    lessons, _ = indexed

    found = search("Where does my train depart from at the station?", language="ja", limit=3)

    assert found[0].source_type == "lesson"
    assert found[0].source_id == lessons["trains"].id
    assert found[0].title == "On the train"
    assert found[0].language == "ja"
    assert "何番線ですか" in found[0].text


def test_the_language_filter_keeps_out_the_other_courses_content(indexed) -> None:
    lessons, _ = indexed

    spanish = search("when do I use the verb to be", language="es", limit=10)
    japanese = search("when do I use the verb to be", language="ja", limit=10)

    assert {p.language for p in spanish} == {"es"}
    assert ("lesson", lessons["ser_estar"].id) == keys(spanish)[0]
    assert {p.language for p in japanese} == {"ja"}


def test_drafts_are_never_returned(indexed) -> None:
    lessons, _ = indexed
    draft = ("lesson", lessons["draft"].id)

    for question in ("which bus goes to the station", "Riding the bus", "bus driver stop"):
        assert draft not in keys(search(question, limit=20))


def test_words_are_found_by_their_meaning_and_by_their_spelling(indexed) -> None:
    _, words = indexed

    by_spelling = search("madrugada", limit=3)
    by_meaning = search("what is the word for train", language="ja", source_types=["word"])

    assert keys(by_spelling)[0] == ("word", words["madrugada"].id)
    assert by_spelling[0].title == "madrugada — the small hours, early morning"
    assert keys(by_meaning)[0] == ("word", words["densha"].id)
    assert {p.source_type for p in by_meaning} == {"word"}


def test_each_source_appears_once_unless_asked_for_every_chunk(
    session, add_lesson, empty_index
) -> None:
    paragraph = "Particles follow the word they mark: は for the topic, を for the object. " * 8
    lesson = add_lesson("Particles", "\n\n".join([paragraph] * 6))
    sync_index(session)

    distinct = search("which particle marks the object", limit=5)
    every_chunk = search("which particle marks the object", limit=5, distinct_sources=False)

    assert keys(distinct) == [("lesson", lesson.id)]
    assert len(every_chunk) == 5
    assert {p.source_id for p in every_chunk} == {lesson.id}
    assert len({p.chunk_id for p in every_chunk}) == 5


def test_a_blank_question_finds_nothing(indexed) -> None:
    assert search("   ") == []


def round_trips(connection: psycopg.Connection, action: Callable[[], object]) -> int:
    """How many times the client waits for the server while `action` runs (libpq's trace: each
    wait ends with the server's ReadyForQuery)."""
    with tempfile.TemporaryFile("w+") as trace:
        connection.pgconn.trace(trace.fileno())
        connection.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        try:
            action()
        finally:
            connection.pgconn.untrace()
        trace.seek(0)
        return sum(1 for line in trace if "\tReadyForQuery" in line)


def test_a_search_is_one_round_trip_to_the_database(indexed) -> None:
    questions = [
        ("Where does my train depart from?", "ja", None),
        ("nanbansen desu ka", "ja", None),
        ("when do I use the verb to be", "es", ["lesson"]),
        ("madrugada", None, None),
    ]
    for question, language, source_types in questions:  # each kind of search once
        search(question, language=language, source_types=source_types)
    with retrieval._pool.searcher() as searcher:
        connection = searcher.store._connection
    assert connection is not None

    counts = [
        round_trips(
            connection,
            lambda q=question, lang=language, types=source_types: search(
                q, language=lang, source_types=types
            ),
        )
        for question, language, source_types in questions * 2
    ]

    assert counts == [1] * len(counts)


def test_the_search_ranks_as_haystacks_retrievers_and_joiner_did(indexed) -> None:
    # The former search: the store's two retrievers fused by Haystack's joiner.
    store = get_document_store()
    vector_half = PgvectorEmbeddingRetriever(document_store=store)
    keyword_half = PgvectorKeywordRetriever(document_store=store)
    joiner = DocumentJoiner(join_mode="reciprocal_rank_fusion")
    searcher = HybridSearcher(new_document_store())
    asked = [
        ("Where does my train depart from at the station?", "ja", None),
        ("nanbansen desu ka", "ja", ["lesson"]),
        ("when do I use the verb to be", "es", None),
        ("what is the word for train", "ja", ["word"]),
        ("madrugada", None, None),
        ("espero que vengas", None, ["lesson", "word"]),
    ]
    try:
        for question, language, source_types in asked:
            text = retrieval.searched_text(question, language)
            embedding = embed_query(text)
            filters = retrieval.search_filters(language=language, source_types=source_types)
            lists = [
                vector_half.run(query_embedding=embedding, filters=filters, top_k=20)["documents"],
                keyword_half.run(query=text, filters=filters, top_k=20)["documents"],
            ]
            before = [(d.id, d.score) for d in joiner.run(documents=lists)["documents"]]

            now = searcher.search(embedding, text, top_k=20, filters=filters)

            assert [(h.id, h.score) for h in now] == before, question
            assert before, question
    finally:
        searcher.store.close()
