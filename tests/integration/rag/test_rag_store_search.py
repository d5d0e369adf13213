"""The chunk store's two searches on an index of its own: what a filter with few matches and a
question of only common words get back."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator

import numpy as np
import psycopg
import pytest
from haystack import Document
from haystack_integrations.components.retrievers.pgvector import PgvectorKeywordRetriever
from pgvector import HalfVector

from learn_app.config import get_settings
from learn_app.rag import store as store_module
from learn_app.rag.hybrid import HybridSearcher
from learn_app.rag.retrieval import search_filters
from learn_app.rag.store import ContentStore, connection_string, new_document_store

pytestmark = pytest.mark.integration

DIMENSION = 64


@pytest.fixture
def own_store(database_url: str) -> Iterator[ContentStore]:
    """A store on a schema of its own, dropped afterwards."""
    schema = f"rag_search_{uuid.uuid4().hex[:8]}"
    store = new_document_store(schema=schema, table="chunks", dimension=DIMENSION)
    yield store
    store.close()
    with psycopg.connect(connection_string(), autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    store_module._schemas_made.discard((connection_string(), schema))


def unit_vectors(count: int, seed: int) -> np.ndarray:
    rows = np.random.default_rng(seed).standard_normal((count, DIMENSION))
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def nearest(found: list, top_k: int) -> list:
    """The meaning half's chunks, nearest first."""
    by_meaning = sorted(
        (h for h in found if h.vector_rank is not None), key=lambda h: h.vector_rank
    )
    assert [h.vector_rank for h in by_meaning] == list(range(min(top_k, len(by_meaning))))
    return by_meaning


def chunk(number: int, text: str, vector: np.ndarray, language: str = "es") -> Document:
    meta = {"source_type": "lesson", "source_id": number, "language": language}
    return Document(id=f"lesson-{number}-0", content=text, embedding=vector.tolist(), meta=meta)


def test_a_filtered_search_goes_on_past_ef_search_until_it_has_top_k_chunks(
    own_store: ContentStore,
) -> None:
    # Half the chunks are Spanish, close to the question; the Japanese half lies far from it.
    # The first `ef_search` (40) neighbours the index finds are all Spanish, so a search for
    # Japanese chunks that stopped there (as it does with `hnsw.iterative_scan = off`) finds
    # none at all after the language filter.
    rng = np.random.default_rng(3)
    near = unit_vectors(1, seed=4)[0]
    spanish = near + 0.6 * rng.standard_normal((1000, DIMENSION)) / np.sqrt(DIMENSION)
    japanese = unit_vectors(1000, seed=5)
    vectors = np.vstack([spanish / np.linalg.norm(spanish, axis=1, keepdims=True), japanese])
    own_store.write_documents(
        [chunk(i, f"chunk {i}", v, "es" if i < 1000 else "ja") for i, v in enumerate(vectors)]
    )
    own_store.analyze()
    searcher = HybridSearcher(own_store)
    ja_only = search_filters(language="ja")
    # On 2,000 chunks the planner sorts the Japanese half (found by its language index) by
    # distance; on 100k (see bench/retrieval.py) it walks the HNSW index for a filter keeping
    # half the chunks. Make it walk the index here too.
    connection = own_store._connection
    assert connection is not None
    connection.execute(f'DROP INDEX "{own_store.schema_name}".chunks_language')
    connection.execute("SET enable_seqscan = off")

    found = nearest(searcher.search(near.tolist(), "chunk", top_k=20, filters=ja_only), 20)

    exact = 1000 + np.argsort(-(japanese @ near))[:20]
    assert len(found) == 20
    assert {h.meta["language"] for h in found} == {"ja"}
    assert len({h.meta["source_id"] for h in found} & set(exact.tolist())) >= 18
    # Best first, although found in rounds (cosine in half precision: equal to 1e-3).
    closeness = [float(vectors[h.meta["source_id"]] @ near) for h in found]
    assert all(a >= b - 1e-3 for a, b in itertools.pairwise(closeness))
    # ... and it was the HNSW index that found them, with the configured breadth.
    statement, params = searcher.statement("chunk", top_k=20, filters=ja_only)
    vector = HalfVector(near.tolist())
    plan = connection.execute(
        b"EXPLAIN " + statement, (vector, *params, vector, "chunk", *params)
    ).fetchall()
    assert any("chunks_hnsw" in row[0] for row in plan)
    assert connection.execute("SHOW hnsw.ef_search").fetchone() == (
        str(get_settings().rag_hnsw_ef_search),
    )


def test_the_nearest_chunks_are_found_in_half_precision(own_store: ContentStore) -> None:
    vectors = unit_vectors(300, seed=5)
    own_store.write_documents([chunk(i, f"chunk {i}", v) for i, v in enumerate(vectors)])
    query = vectors[17] + 0.3 * unit_vectors(1, seed=6)[0]
    exact = np.argsort(-(vectors @ (query / np.linalg.norm(query))))[:5]

    found = nearest(HybridSearcher(own_store).search(query.tolist(), "chunk", top_k=5), 5)

    assert [h.meta["source_id"] for h in found] == exact.tolist()
    with psycopg.connect(connection_string()) as connection:
        column = connection.execute(
            "SELECT format_type(atttypid, atttypmod), attstorage FROM pg_attribute"
            " WHERE attrelid = to_regclass(%s) AND attname = 'embedding'",
            (f'"{own_store.schema_name}"."chunks"',),
        ).fetchone()
    assert column == (f"halfvec({DIMENSION})", "m")


def common_word_index(store: ContentStore) -> None:
    """40 chunks: "grammar" in 14 (35%), "particle" in 10 (25%), both in 4, "kanji" in one."""
    vectors = unit_vectors(40, seed=7)
    texts = [
        " ".join(
            ["lesson"]
            + (["grammar"] if i % 3 == 0 else [])
            + (["particle"] if i % 4 == 0 else [])
            + (["kanji"] if i == 7 else [])
            + [f"item{i}"]
        )
        for i in range(40)
    ]
    store.write_documents(
        [chunk(i, t, v) for i, (t, v) in enumerate(zip(texts, vectors, strict=True))]
    )
    store.analyze()  # the word shares keyword search reads


def keyword_hits(store: ContentStore, question: str) -> list[int]:
    retriever = PgvectorKeywordRetriever(document_store=store, top_k=30)
    return sorted(d.meta["source_id"] for d in retriever.run(query=question)["documents"])


def test_a_question_of_only_common_words_finds_the_chunks_holding_them_together(
    own_store: ContentStore,
) -> None:
    common_word_index(own_store)

    # Neither word is distinctive (each is in more than 10% of the chunks); together they are
    # expected in 35% x 25% = 9% of them, so the chunks that hold both are ranked.
    assert keyword_hits(own_store, "grammar particle") == [0, 12, 24, 36]


def test_a_rare_word_is_searched_on_its_own_beside_common_ones(own_store: ContentStore) -> None:
    common_word_index(own_store)

    assert keyword_hits(own_store, "kanji grammar particle") == [7]


def test_common_words_expected_together_in_too_many_chunks_leave_the_ranking_to_meaning(
    own_store: ContentStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    common_word_index(own_store)

    assert keyword_hits(own_store, "grammar") == []  # one word in 35% of the chunks
    # As at 100k chunks, where together they must be expected in at most 500: here at most 2
    # (5%), which "grammar" and "particle" (9%) are not.
    monkeypatch.setattr(store_module, "KEYWORD_TOGETHER_CAP", 2)
    assert keyword_hits(own_store, "grammar particle") == []
    assert keyword_hits(own_store, "grammar kanji") == [7]
