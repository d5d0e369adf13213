"""Keeping the chunk index in step with the published lessons and words.

`sync_index` compares each published source's content hash with the one recorded in
`rag_source` and re-embeds only what changed: editing one lesson re-embeds that lesson's
chunks, a second run with nothing changed embeds nothing. Chunk ids are derived from the source
(`lesson-12-0`, `lesson-12-1`, `word-7-0`), so a source's chunks can always be found, replaced
and deleted exactly.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy
from haystack import Document, Pipeline, component
from haystack.components.preprocessors import DocumentCleaner, DocumentSplitter
from haystack.components.writers import DocumentWriter
from haystack.document_stores.types import DuplicatePolicy
from sqlmodel import Session, delete, select

from learn_app.models import RagSource
from learn_app.models.base import utcnow
from learn_app.rag.embedder import document_embedder, embedding_dimension, model_name
from learn_app.rag.sources import IndexedSource, published_sources
from learn_app.rag.spelling import vocabulary_of
from learn_app.rag.store import (
    KEYWORD_FORMAT,
    ContentStore,
    get_document_store,
    reset_document_store,
)

log = logging.getLogger(__name__)

# ~150 words keep a chunk about one point of a lesson and within a transformer embedder's
# 256-token window (all-MiniLM-L6-v2, e5), with room for the title and for Japanese examples
# (many tokens per "word"); 30 words of overlap keep a sentence cut at a boundary
# findable from either side. A tail shorter than 30 words joins the chunk before it.
CHUNK_WORDS = 150
CHUNK_OVERLAP = 30
CHUNK_MIN_WORDS = 30

# Markdown table rules (|---|:---:|) carry no meaning and cost tokens.
_TABLE_RULE = r"(?m)^[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*(?::?-{3,}:?)?[ \t]*$"
# Serialises index changes across processes (the key is arbitrary but fixed).
_ADVISORY_LOCK_KEY = 0x6C6561726E726167  # "learnrag"
_index_lock = threading.RLock()


@dataclass(frozen=True)
class IndexReader:
    """What a reader of the index caches, and how it lets go of it: the spelling vocabulary
    (after a sync changed the index's words) and everything of the table (after it is dropped).
    Retrieval registers itself, so indexing never has to import it."""

    forget_vocabulary: Callable[[], None]
    forget_table: Callable[[], None]


_readers: list[IndexReader] = []


def add_reader(reader: IndexReader) -> None:
    _readers.append(reader)


@dataclass(frozen=True)
class SyncReport:
    """What one sync did; `unchanged` sources were neither embedded nor touched."""

    added: int
    updated: int
    removed: int
    unchanged: int
    chunks_written: int
    seconds: float


@component
class ChunkNamer:
    """Names each chunk `{source_type}-{source_id}-{n}` and keeps only meta worth storing.

    The splitter records its parent's id (`lesson-12`) in `meta["source_id"]`; the parent's
    numeric id is restored from it, so a chunk's meta says which lesson or word it came from.
    """

    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document]) -> dict[str, list[Document]]:
        named = []
        for chunk in documents:
            parent = str(chunk.meta["source_id"])
            number = int(chunk.meta.get("split_id", 0))
            meta = {
                k: v
                for k, v in chunk.meta.items()
                if k not in {"_split_overlap", "split_idx_start", "page_number", "split_id"}
            }
            meta["source_id"] = int(parent.rsplit("-", 1)[1])
            meta["chunk"] = number
            named.append(Document(id=f"{parent}-{number}", content=chunk.content, meta=meta))
        return {"documents": named}


def _add_chunking(pipeline: Pipeline) -> None:
    """cleaner → splitter → namer: a source in, its named chunks out of `namer`."""
    pipeline.add_component(
        "cleaner",
        DocumentCleaner(
            keep_id=True,
            remove_empty_lines=True,
            # The default collapses line breaks too, flattening the Markdown the tutor quotes.
            remove_extra_whitespaces=False,
            replace_regexes={_TABLE_RULE: "", r"[ \t]+": " "},
            strip_whitespaces=True,
            unicode_normalization="NFC",
        ),
    )
    pipeline.add_component(
        "splitter",
        DocumentSplitter(
            split_by="word",
            split_length=CHUNK_WORDS,
            split_overlap=CHUNK_OVERLAP,
            split_threshold=CHUNK_MIN_WORDS,
        ),
    )
    pipeline.add_component("namer", ChunkNamer())
    pipeline.connect("cleaner.documents", "splitter.documents")
    pipeline.connect("splitter.documents", "namer.documents")


def build_chunking_pipeline() -> Pipeline:
    """The indexing pipeline without embedding and writing: what chunks a source becomes."""
    pipeline = Pipeline()
    _add_chunking(pipeline)
    return pipeline


def build_indexing_pipeline(store: ContentStore) -> Pipeline:
    """clean → split → name → embed → write (overwriting chunks with the same id)."""
    pipeline = Pipeline()
    _add_chunking(pipeline)
    pipeline.add_component("embedder", document_embedder())
    pipeline.add_component(
        "writer", DocumentWriter(document_store=store, policy=DuplicatePolicy.OVERWRITE)
    )
    pipeline.connect("namer.documents", "embedder.documents")
    pipeline.connect("embedder.documents", "writer.documents")
    return pipeline


def _as_documents(sources: list[IndexedSource]) -> list[Document]:
    return [Document(id=s.document_id, content=s.text, meta=dict(s.meta)) for s in sources]


def chunk_sources(sources: list[IndexedSource]) -> list[Document]:
    """The chunks `sources` are indexed as, without embedding them."""
    if not sources:
        return []
    result = build_chunking_pipeline().run({"cleaner": {"documents": _as_documents(sources)}})
    chunks: list[Document] = result["namer"]["documents"]
    return chunks


def _embed_and_write(store: ContentStore, sources: list[IndexedSource]) -> list[Document]:
    """Run the indexing pipeline over all `sources` at once; return the chunks written."""
    if not sources:
        return []
    result = build_indexing_pipeline(store).run(
        {"cleaner": {"documents": _as_documents(sources)}}, include_outputs_from={"namer"}
    )
    written: list[Document] = result["namer"]["documents"]
    return written


def index_signature() -> str:
    """What the configured settings write into the index: model, vector size, keyword format.

    Recorded on the chunk table; an index recorded with anything else is rebuilt before use.
    """
    return f"model={model_name()} dimension={embedding_dimension()} keywords={KEYWORD_FORMAT}"


def _lock_index(session: Session) -> None:
    """Wait for any other process's sync; held until the session's transaction ends."""
    session.exec(select(sqlalchemy.func.pg_advisory_xact_lock(_ADVISORY_LOCK_KEY)))


def sync_index(session: Session) -> SyncReport:
    """Bring the chunk index in line with what is published now; embed only what changed.

    New and changed sources are (re-)embedded in one pipeline run after their old chunks are
    deleted; sources no longer published lose their chunks and their `rag_source` row. A source
    whose recorded chunks are missing from the store counts as changed, and chunks no source
    claims are deleted, so an interrupted sync or rebuild heals on the next one.
    Commits the session.
    """
    started = time.perf_counter()
    with _index_lock:
        _lock_index(session)
        store = _store_for_current_model(session)
        stored = _stored_chunk_ids(session, store)
        current = {s.key: s for s in published_sources(session)}
        indexed = {(r.source_type, r.source_id): r for r in session.exec(select(RagSource)).all()}

        stale = [r for key, r in indexed.items() if key not in current]
        changed = [
            s
            for key, s in current.items()
            if key in indexed
            and (
                indexed[key].content_hash != s.content_hash
                or not stored.issuperset(indexed[key].chunk_ids)
            )
        ]
        new = [s for key, s in current.items() if key not in indexed]

        obsolete = {c for r in stale for c in r.chunk_ids}
        obsolete |= {c for s in changed for c in indexed[s.key].chunk_ids}
        store.delete_documents(sorted(obsolete & stored))

        chunks = _embed_and_write(store, [*changed, *new])
        chunk_ids: dict[tuple[str, int], list[str]] = {}
        for chunk in chunks:
            key = (chunk.meta["source_type"], chunk.meta["source_id"])
            chunk_ids.setdefault(key, []).append(chunk.id)

        for row in stale:
            session.delete(row)
        for source in changed:
            row = indexed[source.key]
            row.content_hash = source.content_hash
            row.chunk_ids = chunk_ids.get(source.key, [])
            row.indexed_at = utcnow()
            session.add(row)
        for source in new:
            session.add(
                RagSource(
                    source_type=source.source_type,
                    source_id=source.source_id,
                    content_hash=source.content_hash,
                    chunk_ids=chunk_ids.get(source.key, []),
                )
            )

        claimed = {c for ids in chunk_ids.values() for c in ids}
        claimed |= {c for key, r in indexed.items() if key in current for c in r.chunk_ids}
        orphans = stored - obsolete - claimed
        store.delete_documents(sorted(orphans))
        session.commit()
        if chunks or obsolete or orphans:
            store.replace_vocabulary(vocabulary_of(s.text for s in current.values()))
            for reader in _readers:
                reader.forget_vocabulary()
            store.analyze()  # keyword search reads word frequencies from the statistics
        report = SyncReport(
            added=len(new),
            updated=len(changed),
            removed=len(stale),
            unchanged=len(current) - len(new) - len(changed),
            chunks_written=len(chunks),
            seconds=round(time.perf_counter() - started, 3),
        )
    log.info("rag index synced: %s", report)
    return report


def rebuild_index(session: Session) -> SyncReport:
    """Drop the chunk table and index every published source afresh.

    The table is recreated from the current settings, so this is also how a new embedding
    model (or dimension) or new HNSW parameters take effect. Commits the session.
    """
    with _index_lock:
        _lock_index(session)
        get_document_store().delete_table()
        reset_document_store()
        session.exec(delete(RagSource))
        # Same transaction, so the advisory lock is still held; sync_index re-takes it at once.
        return sync_index(session)


def _store_for_current_model(session: Session) -> ContentStore:
    """The chunk store, emptied and re-created first if another model or layout wrote it.

    Vectors of two models are never comparable (nor, often, of one size), so an index from
    another model (or from before signatures were recorded) is dropped whole and every source
    is indexed again in this sync. Runs at every start (`cli run` syncs) and every sync.
    """
    store = get_document_store()
    wanted = index_signature()
    recorded = store.index_signature()
    if recorded == wanted:
        return store
    if recorded is None and not store.count_documents():  # a new, empty table
        store.record_index_signature(wanted)
        return store
    log.warning("rag index was written by %r; rebuilding it for %r", recorded, wanted)
    store.delete_table()
    reset_document_store()
    for reader in _readers:
        reader.forget_table()  # pooled connections may hold plans for the old table
    session.exec(delete(RagSource))
    store = get_document_store()
    store.record_index_signature(wanted)
    return store


def _stored_chunk_ids(session: Session, store: ContentStore) -> set[str]:
    """The ids of the chunks in the store (creating its table on the very first use)."""
    store.count_documents()
    chunks = sqlalchemy.table(store.table_name, sqlalchemy.column("id"), schema=store.schema_name)
    return set(session.exec(select(chunks.c.id)).all())
