"""An index written by another embedding model is rebuilt, never searched with mixed vectors."""

from __future__ import annotations

import pytest
import sqlalchemy
from sqlmodel import select

from learn_app.models import RagSource
from learn_app.rag.embedder import embedding_dimension, model_name
from learn_app.rag.indexing import index_signature, sync_index
from learn_app.rag.retrieval import reset_retrieval, search
from learn_app.rag.store import get_document_store, new_document_store, reset_document_store

pytestmark = pytest.mark.integration

LESSON = """## Counting people

People are counted with 人: ひとり (one person), ふたり (two people), さんにん (three people).
"""


def vector_size(store) -> int:
    from learn_app.db import get_engine

    with get_engine().connect() as connection:
        return connection.execute(
            sqlalchemy.text(
                "SELECT atttypmod FROM pg_attribute WHERE attname = 'embedding' "
                "AND attrelid = to_regclass(:table)"
            ),
            {"table": f'"{store.schema_name}"."{store.table_name}"'},
        ).scalar_one()


@pytest.fixture
def counted_lesson(session, add_lesson, empty_index):
    lesson = add_lesson("Counting people", LESSON, summary="How to count people.")
    sync_index(session)
    reset_retrieval()
    return lesson


def test_the_index_records_the_model_that_wrote_it(counted_lesson) -> None:
    signature = get_document_store().index_signature()
    assert signature == index_signature()
    assert f"model={model_name()}" in signature
    assert f"dimension={embedding_dimension()}" in signature


def test_an_index_from_another_model_is_rebuilt_on_the_next_sync(session, counted_lesson) -> None:
    store = get_document_store()
    store.record_index_signature("model=all-MiniLM-L6-v2 dimension=384 keywords=1")
    before = session.exec(select(RagSource)).all()
    assert before

    report = sync_index(session)

    assert report.added == len(before)  # every source embedded again, none kept
    assert report.unchanged == 0
    assert get_document_store().index_signature() == index_signature()
    found = search("how do I count people", language="ja", source_types=["lesson"])
    assert [p.source_id for p in found] == [counted_lesson.id]


def test_an_index_of_another_vector_size_is_recreated_at_the_models_size(
    session, add_lesson, empty_index
) -> None:
    add_lesson("Counting people", LESSON)
    empty_index.delete_table()
    reset_document_store()
    old = new_document_store(dimension=384)  # as all-MiniLM-L6-v2 left it
    old.count_documents()  # creates the table
    from haystack import Document

    old.write_documents([Document(id="lesson-999-0", content="stale", embedding=[0.1] * 384)])
    old.close()
    assert vector_size(old) == 384

    report = sync_index(session)

    store = get_document_store()
    assert vector_size(store) == embedding_dimension() != 384
    assert report.chunks_written >= 1
    assert "lesson-999-0" not in {d.id for d in store.filter_documents()}
    reset_retrieval()
    assert search("count people", language="ja", source_types=["lesson"])


def test_a_search_on_another_models_index_finds_nothing_until_the_rebuild_is_done(
    counted_lesson,
) -> None:
    from learn_app.rag import worker

    get_document_store().record_index_signature("model=all-MiniLM-L6-v2 dimension=384 keywords=1")
    reset_retrieval()

    assert search("how do I count people", language="ja", source_types=["lesson"]) == []
    assert worker.wait_idle(timeout=300), "the rebuild did not finish"

    assert get_document_store().index_signature() == index_signature()
    found = search("how do I count people", language="ja", source_types=["lesson"])
    assert [p.source_id for p in found] == [counted_lesson.id]
