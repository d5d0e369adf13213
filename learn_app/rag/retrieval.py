"""Hybrid search over the chunk index: meaning (embeddings) and words (full text), fused.

A learner's question is embedded and matched against chunk embeddings (HNSW), and its words
against PostgreSQL's full-text index; the two ranked lists are joined by reciprocal rank fusion,
which rewards chunks both find without having to compare their unrelated scores. Both halves
run as one SQL statement (see hybrid.py): a search is one round trip to the database.

A searcher's store holds one connection, so each concurrent caller borrows its own searcher
from a small pool; all callers share one embedding model.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from learn_app.rag import indexing
from learn_app.rag.embedder import embed_query
from learn_app.rag.hybrid import Hit, HybridSearcher
from learn_app.rag.spelling import Speller, fold_romaji
from learn_app.rag.store import new_document_store

log = logging.getLogger(__name__)

# Chunks each half of the search hands to the fusion, at least; more than `limit` so that several
# chunks of one lesson still leave room for other sources after de-duplication.
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


class _SearcherPool:
    """Up to `size` searchers, each with its own store connection, made on demand."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._idle: queue.SimpleQueue[HybridSearcher] = queue.SimpleQueue()
        self._all: dict[int, HybridSearcher] = {}
        self._lock = threading.Lock()

    @contextmanager
    def searcher(self) -> Iterator[HybridSearcher]:
        searcher = self._take()
        try:
            yield searcher
        finally:
            with self._lock:
                if id(searcher) in self._all:  # not closed meanwhile
                    self._idle.put(searcher)

    def _take(self) -> HybridSearcher:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if len(self._all) < self._size:
                searcher = HybridSearcher(new_document_store())
                self._all[id(searcher)] = searcher
                return searcher
        return self._idle.get()

    def close(self) -> None:
        with self._lock:
            for searcher in self._all.values():
                searcher.store.close()
            self._all.clear()
            self._idle = queue.SimpleQueue()


_pool = _SearcherPool(POOL_SIZE)


def _load_vocabulary() -> dict[str, int]:
    with _pool.searcher() as searcher:
        return searcher.store.vocabulary()


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
    with _pool.searcher() as searcher:
        store = searcher.store
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
    with _pool.searcher() as searcher:
        hits = searcher.search(query_embedding, searched, top_k=candidates, filters=filters)
    return _passages(hits, limit=limit, distinct=distinct_sources)


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


def _passages(hits: list[Hit], *, limit: int, distinct: bool) -> list[Passage]:
    passages: list[Passage] = []
    seen: set[tuple[str, int]] = set()
    for hit in hits:
        meta = hit.meta
        key = (str(meta.get("source_type", "")), int(meta.get("source_id", 0)))
        if distinct and key in seen:
            continue
        seen.add(key)
        passages.append(
            Passage(
                text=hit.content,
                score=hit.score,
                source_type=key[0],
                source_id=key[1],
                title=str(meta.get("title", "")),
                language=str(meta.get("language", "")),
                chunk_id=hit.id,
            )
        )
        if len(passages) == limit:
            break
    return passages


def warm_up() -> None:
    """Load the model and open one searcher's connection now, not on the first question."""
    embed_query("warm up")
    with _pool.searcher() as searcher:
        searcher.store.count_documents()


def reset_retrieval() -> None:
    """Close every pooled searcher's connection (tests; after the store's table is dropped)."""
    _pool.close()
    _speller.forget()
    _index_checked.clear()


indexing.add_reader(
    indexing.IndexReader(forget_vocabulary=forget_vocabulary, forget_table=reset_retrieval)
)
