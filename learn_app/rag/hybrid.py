"""One search, one statement: the meaning half and the words half of a question, ranked together.

The two halves are the store's own searches (HNSW over the embeddings, full text over the
chunk terms; see store.py), run as two parts of one SQL statement on one connection, so a
search is one round trip to the database. The question's embedding travels as a binary
`halfvec` parameter (1 KB) rather than as 512 numbers spelled out in the query text, and the
statement's text depends only on `top_k` and the filters' shape, so it is prepared once per
connection and each later search sends only its parameters.

Each chunk comes back once with its rank in either half; they are fused here by reciprocal
rank fusion exactly as Haystack's `DocumentJoiner(join_mode="reciprocal_rank_fusion")` fuses
the two retrievers' lists (same constant, same scores, same order for equal scores).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from haystack_integrations.document_stores.pgvector.filters import (
    _convert_filters_to_where_clause_and_params,
)
from pgvector import HalfVector, Vector
from psycopg.sql import SQL, Composed, Identifier
from psycopg.sql import Literal as SQLLiteral

from learn_app.rag.store import VECTOR_TYPE, ContentStore

# Reciprocal rank fusion's constant, as Haystack's joiner has it (60 in the paper, plus one for
# ranks counted from zero).
RRF_K = 61
_HALVES = 2

# Both halves, ranked, each chunk once. A half's rank is the order its own query returns rows
# in (`row_number() OVER ()` over an ordered subquery), so ties stay as each half's search
# leaves them. The meaning half is the store's HNSW query: nearest first by the index, then
# sorted by score, equal scores by id (iterative scans may return neighbours slightly out of
# order); the words half ranks equal scores by chunk id too.
_HYBRID_QUERY = """
WITH nearest AS (
    SELECT id, content, meta, row_number() OVER () AS rank
    FROM (
        SELECT id, content, meta, score
        FROM (
            SELECT id, content, meta, 1 - (embedding <=> %b) AS score
            FROM {schema}.{table}{where}
            ORDER BY embedding <=> %b
            LIMIT {top_k}
        ) AS found
        ORDER BY score DESC, id
    ) AS ordered
), keyword AS (
    SELECT id, content, meta, row_number() OVER () AS rank
    FROM ({keyword}) AS ordered
)
SELECT coalesce(nearest.id, keyword.id), coalesce(nearest.content, keyword.content),
       coalesce(nearest.meta, keyword.meta), nearest.rank, keyword.rank
FROM nearest FULL JOIN keyword ON keyword.id = nearest.id
"""


@dataclass(frozen=True)
class Hit:
    """A chunk found by either half; ranks count from 0, `None` where that half missed it."""

    id: str
    content: str
    meta: dict[str, Any]
    vector_rank: int | None
    keyword_rank: int | None
    score: float  # the fused score: higher is better


def fuse(hits: Sequence[Hit]) -> list[Hit]:
    """`hits` scored by reciprocal rank fusion of their two ranks, best first.

    The same arithmetic as Haystack's `_reciprocal_rank_fusion` over [meaning list, keyword
    list] with equal weights, and the same order among equal scores: the meaning half's
    chunks in its order, then the keyword half's others in theirs.
    """
    weight = 1 / _HALVES
    in_vector = sorted((h for h in hits if h.vector_rank is not None), key=_vector_rank)
    keyword_only = sorted((h for h in hits if h.vector_rank is None), key=_keyword_rank)
    scored = []
    for hit in [*in_vector, *keyword_only]:
        score: float = 0
        for rank in (hit.vector_rank, hit.keyword_rank):
            if rank is not None:
                score += (weight * _HALVES) / (RRF_K + rank)
        score /= _HALVES / RRF_K
        scored.append(Hit(hit.id, hit.content, hit.meta, hit.vector_rank, hit.keyword_rank, score))
    return sorted(scored, key=lambda h: h.score, reverse=True)


def _as_stored(values: Sequence[float]) -> HalfVector | Vector:
    """The question's embedding as the column's type (a binary parameter of 2 bytes a value)."""
    as_list = list(values)
    return HalfVector(as_list) if VECTOR_TYPE == "halfvec" else Vector(as_list)


def _vector_rank(hit: Hit) -> int:
    return hit.vector_rank if hit.vector_rank is not None else 0


def _keyword_rank(hit: Hit) -> int:
    return hit.keyword_rank if hit.keyword_rank is not None else 0


class HybridSearcher:
    """Runs the hybrid statement on a store's connection (one searcher per thread at a time).

    The connection is checked by using it: a search that finds it closed, or the table gone
    (dropped and made again by a rebuild), reconnects once and runs again.
    """

    def __init__(self, store: ContentStore) -> None:
        self.store = store
        self._statements: dict[tuple[int, str], bytes] = {}

    def search(
        self,
        query_embedding: Sequence[float],
        text: str,
        *,
        top_k: int,
        filters: dict[str, Any] | None = None,
    ) -> list[Hit]:
        """The chunks the two halves find for the question (`top_k` each), fused, best first."""
        if len(query_embedding) != self.store.embedding_dimension:
            raise ValueError(
                f"query embedding has {len(query_embedding)} dimensions, the index "
                f"{self.store.embedding_dimension}"
            )
        statement, where_params = self.statement(text, top_k=top_k, filters=filters)
        vector = _as_stored(query_embedding)
        params = (vector, *where_params, vector, text, *where_params)
        rows = self._execute(statement, params)
        return fuse(
            [
                Hit(
                    id=row[0],
                    content=row[1] or "",
                    meta=row[2] or {},
                    vector_rank=None if row[3] is None else int(row[3]) - 1,
                    keyword_rank=None if row[4] is None else int(row[4]) - 1,
                    score=0.0,
                )
                for row in rows
            ]
        )

    def statement(
        self, text: str, *, top_k: int, filters: dict[str, Any] | None = None
    ) -> tuple[bytes, tuple[Any, ...]]:
        """The hybrid statement (rendered once per shape) and its filter parameters (each half
        takes them once)."""
        where: Composed | SQL = SQL("")
        where_params: tuple[Any, ...] = ()
        if filters:
            where, where_params = _convert_filters_to_where_clause_and_params(filters)
        key = (top_k, repr(where))
        statement = self._statements.get(key)
        if statement is None:
            keyword, _ = self.store._build_keyword_retrieval_query(text, top_k, filters)
            statement = (
                SQL(_HYBRID_QUERY)
                .format(
                    schema=Identifier(self.store.schema_name),
                    table=Identifier(self.store.table_name),
                    where=where,
                    top_k=SQLLiteral(top_k),
                    keyword=keyword,
                )
                .as_bytes()
            )
            self._statements[key] = statement
        return statement, tuple(where_params)

    def _execute(self, statement: bytes, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        store = self.store
        for attempt in (1, 2):
            if store._connection is None or store._cursor is None:
                store._ensure_db_setup()
            assert store._cursor is not None
            try:
                # Prepared on first use: later searches send only the parameters.
                return store._cursor.execute(statement, params, prepare=True).fetchall()
            except (psycopg.OperationalError, psycopg.errors.UndefinedTable):
                if attempt == 2:
                    raise
                # Closed by the server, or the table was dropped: open anew (which creates
                # the table again if it is missing) and run once more.
                store.close()
                store._table_initialized = False
        raise AssertionError("unreachable")
