"""Hybrid search over the chunk index: meaning (embeddings) and words (full text), fused.

A learner's question is embedded and matched against chunk embeddings (HNSW), and its words
against PostgreSQL's full-text index; the two ranked lists are joined by reciprocal rank fusion,
which rewards chunks both find without having to compare their unrelated scores.

Pipelines are built once and reused. A pipeline's store holds one connection, so each
concurrent caller borrows its own pipeline from a small pool; all pipelines share one model.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from haystack import Document, Pipeline, component
from haystack.components.joiners import DocumentJoiner
from haystack_integrations.components.retrievers.pgvector import (
    PgvectorEmbeddingRetriever,
    PgvectorKeywordRetriever,
)

from learn_app.rag import indexing
from learn_app.rag.embedder import embed_query, text_embedder
from learn_app.rag.spelling import Speller, fold_romaji
from learn_app.rag.store import ContentStore, new_document_store

log = logging.getLogger(__name__)

# Chunks each retriever hands to the fusion, at least; more than `limit` so that several chunks
# of one lesson still leave room for other sources after de-duplication.
MIN_CANDIDATES = 20
POOL_SIZE = 4


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk and where it came from; `score` is the fused rank score."""

    text: str
    score: float
    source_type: str
    source_id: int
    title: str
    language: str
    chunk_id: str


@dataclass(frozen=True)
class QueryVector:
    """A query's embedding, handed to a pipeline as one value.

    Haystack copies a pipeline's inputs item by item; for a plain list of 384 floats that copy
    cost more than both searches together.
    """

    values: list[float]

    def __deepcopy__(self, memo: dict[int, Any]) -> QueryVector:
        return self  # never changed after it is made

    def to_dict(self) -> dict[str, Any]:
        """For Haystack's pipeline snapshots (made when a run fails)."""
        return {"values": self.values}


@component
class VectorRetriever(PgvectorEmbeddingRetriever):
    """`PgvectorEmbeddingRetriever` taking the query's embedding as a `QueryVector`."""

    @component.output_types(documents=list[Document])
    def run(  # type: ignore[override]
        self,
        query_vector: QueryVector,
        filters: dict[str, Any] | None = None,
        top_k: int | None = None,
    ) -> dict[str, list[Document]]:
        # (`@component` rebuilds the class, so the parent is named rather than `super()`.)
        return PgvectorEmbeddingRetriever.run(
            self, query_embedding=query_vector.values, filters=filters, top_k=top_k
        )

    @component.output_types(documents=list[Document])
    async def run_async(  # type: ignore[override]
        self,
        query_vector: QueryVector,
        filters: dict[str, Any] | None = None,
        top_k: int | None = None,
    ) -> dict[str, list[Document]]:
        return await PgvectorEmbeddingRetriever.run_async(
            self, query_embedding=query_vector.values, filters=filters, top_k=top_k
        )


def build_retrieval_pipeline(store: ContentStore, *, embed_queries: bool = True) -> Pipeline:
    """query → (embed → HNSW) + (full text) → reciprocal rank fusion.

    With `embed_queries=False` the caller passes the embedding itself, as
    `embedding_retriever.query_vector` (a `QueryVector`).
    """
    pipeline = Pipeline()
    if embed_queries:
        pipeline.add_component("query_embedder", text_embedder())
        retriever = PgvectorEmbeddingRetriever(document_store=store, top_k=MIN_CANDIDATES)
    else:
        retriever = VectorRetriever(document_store=store, top_k=MIN_CANDIDATES)
    pipeline.add_component("embedding_retriever", retriever)
    pipeline.add_component(
        "keyword_retriever", PgvectorKeywordRetriever(document_store=store, top_k=MIN_CANDIDATES)
    )
    pipeline.add_component("joiner", DocumentJoiner(join_mode="reciprocal_rank_fusion"))
    if embed_queries:
        pipeline.connect("query_embedder.embedding", "embedding_retriever.query_embedding")
    pipeline.connect("embedding_retriever.documents", "joiner.documents")
    pipeline.connect("keyword_retriever.documents", "joiner.documents")
    return pipeline


class _PipelinePool:
    """Up to `size` retrieval pipelines, each with its own store connection, made on demand."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._idle: queue.SimpleQueue[Pipeline] = queue.SimpleQueue()
        self._all: dict[int, Pipeline] = {}
        self._lock = threading.Lock()

    @contextmanager
    def pipeline(self) -> Iterator[Pipeline]:
        pipeline = self._take()
        try:
            yield pipeline
        finally:
            with self._lock:
                if id(pipeline) in self._all:  # not closed meanwhile
                    self._idle.put(pipeline)

    def _take(self) -> Pipeline:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if len(self._all) < self._size:
                # Queries are embedded before the pipeline runs, so callers searching one
                # question several ways embed it once.
                pipeline = build_retrieval_pipeline(new_document_store(), embed_queries=False)
                pipeline.warm_up()
                self._all[id(pipeline)] = pipeline
                return pipeline
        return self._idle.get()

    def close(self) -> None:
        with self._lock:
            for pipeline in self._all.values():
                pipeline.get_component("embedding_retriever").document_store.close()  # type: ignore[attr-defined]
            self._all.clear()
            self._idle = queue.SimpleQueue()


_pool = _PipelinePool(POOL_SIZE)


def _load_vocabulary() -> dict[str, int]:
    with _pool.pipeline() as pipeline:
        store: ContentStore = pipeline.get_component("embedding_retriever").document_store  # type: ignore[attr-defined]
        return store.vocabulary()


_speller = Speller(_load_vocabulary)


_index_checked = threading.Event()


def _index_matches_model() -> bool:
    """Whether the index was written by the configured model; if not, a rebuild is started.

    Searching vectors of another model (or size) would return nonsense or fail, so until the
    background rebuild is done searches find nothing. Checked once per process (and again after
    `reset_retrieval`); a start of the portal rebuilds in the foreground before serving.
    """
    if _index_checked.is_set():
        return True
    with _pool.pipeline() as pipeline:
        store = pipeline.get_component("embedding_retriever").document_store  # type: ignore[attr-defined]
        recorded = store.index_signature()
        empty = recorded is None and not store.count_documents()
    if recorded == indexing.index_signature() or empty:
        _index_checked.set()
        return True
    from learn_app.rag.worker import request_sync

    log.warning("rag index was written by %r; searching nothing until it is rebuilt", recorded)
    request_sync()
    return False


def forget_vocabulary() -> None:
    """The index's words changed: spelling suggestions reload them on the next search."""
    _speller.forget()


def search_filters(
    *, language: str | None = None, source_types: list[str] | None = None
) -> dict[str, Any] | None:
    """Haystack metadata filters for the chunks a learner may be shown."""
    conditions: list[dict[str, Any]] = []
    if language:
        conditions.append({"field": "meta.language", "operator": "==", "value": language})
    if source_types:
        conditions.append({"field": "meta.source_type", "operator": "in", "value": source_types})
    if not conditions:
        return None
    return {"operator": "AND", "conditions": conditions}


def search(
    query: str,
    *,
    language: str | None = None,
    limit: int = 5,
    source_types: list[str] | None = None,
    distinct_sources: bool = True,
    query_embedding: list[float] | None = None,
) -> list[Passage]:
    """The `limit` passages that best answer `query`, best first.

    `language` keeps only content of that language (the learner's target language);
    `source_types` keeps only "lesson" or "word" chunks. With `distinct_sources` (the default)
    each lesson or word appears once, through its best chunk. `query_embedding`, when the
    caller has embedded `query` already (`embed_query`), saves embedding it again.
    """
    query = query.strip()
    if not query or limit <= 0 or not _index_matches_model():
        return []
    searched = searched_text(query, language)
    if query_embedding is None:
        query_embedding = embed_query(searched)
    candidates = max(MIN_CANDIDATES, limit * 4)
    filters = search_filters(language=language, source_types=source_types)
    retriever_inputs: dict[str, Any] = {"top_k": candidates}
    if filters:
        retriever_inputs["filters"] = filters
    with _pool.pipeline() as pipeline:
        result = pipeline.run(
            {
                "embedding_retriever": {
                    "query_vector": QueryVector(query_embedding),
                    **retriever_inputs,
                },
                "keyword_retriever": {"query": searched, **retriever_inputs},
            }
        )
    return _passages(result["joiner"]["documents"], limit=limit, distinct=distinct_sources)


def searched_text(query: str, language: str | None) -> str:
    """The question as searched: as typed, plus its romaji in kana (questions about Japanese)
    and the course's own spelling of words it does not use (see spelling.py).

    Callers that embed the question themselves (`query_embedding`) embed this text.
    """
    extra = []
    if language == "ja":
        extra.append(fold_romaji(query))
    extra.extend(_speller.corrections(query))
    return " ".join([query, *(e for e in extra if e)])


def _passages(documents: list[Document], *, limit: int, distinct: bool) -> list[Passage]:
    passages: list[Passage] = []
    seen: set[tuple[str, int]] = set()
    for doc in documents:
        meta = doc.meta
        key = (str(meta.get("source_type", "")), int(meta.get("source_id", 0)))
        if distinct and key in seen:
            continue
        seen.add(key)
        passages.append(
            Passage(
                text=doc.content or "",
                score=float(doc.score or 0.0),
                source_type=key[0],
                source_id=key[1],
                title=str(meta.get("title", "")),
                language=str(meta.get("language", "")),
                chunk_id=doc.id,
            )
        )
        if len(passages) == limit:
            break
    return passages


def warm_up() -> None:
    """Load the model and open one pipeline's connection now, not on the first question."""
    embed_query("warm up")
    with _pool.pipeline():
        pass


def reset_retrieval() -> None:
    """Close every pooled pipeline's connection (tests; after the store's table is dropped)."""
    _pool.close()
    _speller.forget()
    _index_checked.clear()


indexing.add_reader(
    indexing.IndexReader(forget_vocabulary=forget_vocabulary, forget_table=reset_retrieval)
)
