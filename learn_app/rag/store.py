"""The chunk store: a `PgvectorDocumentStore` in its own schema of the portal's database.

The table lives in `settings.rag_schema` (Alembic leaves that schema alone) and is created,
with its indexes, the first time a store touches it. One store per process serves indexing;
retrieval opens its own (see `retrieval.py`), because a store holds a single connection and
cursor and so must not be used by two threads at once.
"""

from __future__ import annotations

import threading
from typing import Any, Literal

import psycopg
from haystack.utils.auth import Secret
from haystack_integrations.document_stores.pgvector import PgvectorDocumentStore
from haystack_integrations.document_stores.pgvector.filters import (
    _convert_filters_to_where_clause_and_params,
)
from psycopg import Connection
from psycopg.sql import SQL, Composed, Identifier
from psycopg.sql import Literal as SQLLiteral

from learn_app.config import get_settings

# HNSW graph shape, chosen with bench/retrieval.py (recall@5 >= 0.95 at 100k chunks).
HNSW_M = 16
HNSW_EF_CONSTRUCTION = 64
# Embeddings are stored in half precision (2 bytes a dimension): the HNSW index is half the
# size (130 MB instead of 260 MB at 100k chunks of 512 dimensions), so a search reads a third
# as many pages that are not in PostgreSQL's buffers, and a chunk's row keeps its embedding
# inline (STORAGE MAIN) instead of in the TOAST table, which the score of each hit read from.
# Ranking by half-precision cosine kept recall@5 at 1.000 in bench/retrieval.py.
VECTOR_TYPE: Literal["vector", "halfvec"] = "halfvec"
# Keyword search uses a question's words rarest first while together they occur in at most
# this share of all chunks: a common word ("verb", "japanese") says little about which chunk
# is meant, and the bound keeps the rows to rank small however large the index grows.
COMMON_WORD_SHARE = 0.1
# ... and in at most this many chunks: ranking reads each matching chunk's terms, so at 100k
# chunks a 10% reach meant ranking up to 10,000 rows (70+ ms); a word found in thousands of
# chunks does not single one out either.
KEYWORD_MATCH_CAP = 2000
# Keyword matches ranked before filters (language, source type) apply: a filter keeping a
# share of the content keeps about that share of these.
KEYWORD_CANDIDATES = 200
# A question of only common words is searched for chunks holding them together, when together
# they are expected in at most this many chunks (and COMMON_WORD_SHARE of them): ranking 2,000
# matches took 40 ms at 100k chunks, twice the vector half.
KEYWORD_TOGETHER_CAP = 500
# Matches ranked at most, whatever the statistics expected (they are sampled estimates).
KEYWORD_RANKED_ROWS = KEYWORD_MATCH_CAP

# The full-text side table: each chunk's tsvector, kept in step by triggers. Japanese is
# written without spaces, so the English parser sees a whole clause as one "word"; each run of
# kana and kanji is therefore also indexed as overlapping two-character grams (`cjk_bigrams`:
# 丁寧な形 → 丁寧 寧な な形), the same for chunks and questions, so a question in Japanese
# script (or romaji folded to kana, see spelling.py) shares terms with the lesson about it.
# Ranking reads the stored tsvector instead of re-parsing every matching chunk's text (a
# hundred times slower), and it lives beside the chunk table so the upstream `SELECT *`
# queries, which turn unknown columns into meta, never see it.
_KEYWORD_SETUP = """
SELECT pg_advisory_xact_lock(hashtext('learn_app.rag keyword setup'));
CREATE OR REPLACE FUNCTION {schema}.cjk_bigrams(body text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(string_agg(substr(run, i, 2), ' '), '')
    FROM (SELECT m[1] AS run
          FROM regexp_matches(body, '([ぁ-ゖァ-ヺー一-鿿㐀-䶿々〆ヶ]+)', 'g') AS m) AS runs,
         generate_series(1, greatest(char_length(run) - 1, 1)) AS i
$$;
CREATE OR REPLACE FUNCTION {schema}.chunk_terms(body text, config regconfig) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT to_tsvector(config, coalesce(body, ''))
        || to_tsvector('simple', {schema}.cjk_bigrams(coalesce(body, '')))
$$;
CREATE TABLE IF NOT EXISTS {schema}.{words} (
    word text PRIMARY KEY,
    sources integer NOT NULL
);
CREATE TABLE IF NOT EXISTS {schema}.{terms} (
    chunk_id varchar(128) PRIMARY KEY,
    terms tsvector NOT NULL
);
CREATE INDEX IF NOT EXISTS {terms_index} ON {schema}.{terms} USING gin (terms);
CREATE OR REPLACE FUNCTION {schema}.{sync_terms}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE {schema}.{terms};
        RETURN NULL;
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM {schema}.{terms} WHERE chunk_id = OLD.id;
        RETURN OLD;
    END IF;
    INSERT INTO {schema}.{terms} (chunk_id, terms)
    VALUES (NEW.id, {schema}.chunk_terms(NEW.content, {language}))
    ON CONFLICT (chunk_id) DO UPDATE SET terms = EXCLUDED.terms;
    RETURN NEW;
END
$$;
CREATE OR REPLACE TRIGGER {row_trigger}
    AFTER INSERT OR UPDATE OF content OR DELETE ON {schema}.{table}
    FOR EACH ROW EXECUTE FUNCTION {schema}.{sync_terms}();
CREATE OR REPLACE TRIGGER {truncate_trigger}
    AFTER TRUNCATE ON {schema}.{table}
    FOR EACH STATEMENT EXECUTE FUNCTION {schema}.{sync_terms}();
INSERT INTO {schema}.{terms} (chunk_id, terms)
    SELECT id, {schema}.chunk_terms(content, {language}) FROM {schema}.{table}
    ON CONFLICT (chunk_id) DO NOTHING;
ALTER TABLE {schema}.{table} ALTER COLUMN embedding SET STORAGE MAIN;
CREATE INDEX IF NOT EXISTS {language_index} ON {schema}.{table} ((meta->>'language'));
CREATE INDEX IF NOT EXISTS {source_index} ON {schema}.{table}
    ((meta->>'source_type'), (meta->>'source_id'));
"""

# Any of the question's distinctive words may match (plainto_tsquery would require all of
# them, which a question in plain English almost never satisfies). Words are taken rarest first
# while together they occur in at most COMMON_WORD_SHARE of the chunks (and KEYWORD_MATCH_CAP
# chunks; the table's row count is the planner's estimate in pg_class), so a question of common
# words cannot make the ranking read most of the index; how common a word is comes from the
# planner's statistics on the side table, so this costs no extra scan.
# A question made only of common words ("japanese verb") has no such word: it asks for chunks
# holding its words together instead, rarest first until together (their shares multiplied)
# they are expected in at most COMMON_WORD_SHARE and KEYWORD_TOGETHER_CAP of the chunks, and
# not at all if all of them together are not; a lone word found everywhere leaves the ranking
# to the meaning half.
# Ranking happens in the side table over at most KEYWORD_RANKED_ROWS matches (a bound for when
# the statistics are wrong), and only the best KEYWORD_CANDIDATES chunks are joined for their
# text and meta (and filtered): joining every match first cost most of the time at 100k chunks.
_KEYWORD_QUERY = """
WITH query_words AS (
    SELECT DISTINCT lexeme FROM unnest({schema}.chunk_terms(%s, {language}))
), common_words AS (
    SELECT e.lexeme, e.share
    FROM pg_stats AS s,
         unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS e(lexeme, share)
    WHERE s.schemaname = {schema_name} AND s.tablename = {terms_name} AND s.attname = 'terms'
), chunks AS (
    SELECT greatest(c.reltuples, 1)::float8 AS total
    FROM pg_class AS c
    WHERE c.oid = to_regclass(quote_ident({schema_name}) || '.' || quote_ident({terms_name}))
), reach_cap AS (
    SELECT coalesce((SELECT least({common_share}, {match_cap} / total) FROM chunks),
                    {common_share}) AS share,
           coalesce((SELECT least({common_share}, {together_cap} / total) FROM chunks),
                    {common_share}) AS together_share
), rarest_first AS (
    SELECT w.lexeme,
           sum(coalesce(c.share, 0)) OVER (ORDER BY coalesce(c.share, 0), w.lexeme) AS reach,
           exp(sum(ln(greatest(coalesce(c.share, 0), 1e-9))) OVER (
               ORDER BY coalesce(c.share, 0), w.lexeme
               ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)) AS together,
           coalesce(exp(sum(ln(greatest(coalesce(c.share, 0), 1e-9))) OVER (
               ORDER BY coalesce(c.share, 0), w.lexeme
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)), 1.0) AS together_before
    FROM query_words AS w LEFT JOIN common_words AS c USING (lexeme)
), all_together AS (
    SELECT string_agg(quote_literal(r.lexeme), ' & ') AS query, min(r.together) AS together
    FROM rarest_first AS r, reach_cap
    WHERE r.together_before > reach_cap.together_share
), search AS (
    SELECT coalesce(
        (SELECT string_agg(quote_literal(r.lexeme), ' | ')
         FROM rarest_first AS r, reach_cap WHERE r.reach <= reach_cap.share),
        (SELECT a.query FROM all_together AS a, reach_cap
         WHERE a.together <= reach_cap.together_share)
    )::tsquery AS query
), matches AS (
    SELECT t.chunk_id, t.terms, search.query
    FROM search
    JOIN {schema}.{terms} AS t ON t.terms @@ search.query
    LIMIT {ranked_rows}
), best AS (
    SELECT chunk_id, ts_rank(terms, query) AS score
    FROM matches
    ORDER BY score DESC, chunk_id
    LIMIT {candidates}
)
SELECT {columns}, best.score
FROM best
JOIN {schema}.{table} ON {schema}.{table}.id = best.chunk_id
"""

# Retrieval returns chunks without their embeddings: nothing downstream needs them, and
# Haystack's pipeline deep-copies every document between components (15 ms for 40 vectors).
_RESULT_COLUMNS = ("id", "content", "blob_data", "blob_meta", "blob_mime_type", "meta")

# Bump when the keyword side's layout changes (what chunk_terms indexes): the index is rebuilt.
KEYWORD_FORMAT = "2"

_lock = threading.Lock()
# Held while the schema and the tables are created: several processes (and threads of one)
# may find them missing at once, and PostgreSQL's IF NOT EXISTS does not make that safe.
_SETUP_LOCK = "SELECT pg_advisory_lock(hashtext('learn_app.rag setup'))"
_SETUP_UNLOCK = "SELECT pg_advisory_unlock(hashtext('learn_app.rag setup'))"
_store: ContentStore | None = None
_schemas_made: set[tuple[str, str]] = set()


class ContentStore(PgvectorDocumentStore):
    """`PgvectorDocumentStore` tuned for a learner's questions.

    - Every new connection gets `hnsw.ef_search` (upstream sets it once, on the connection that
      creates the table, and loses it on reconnect) and iterative index scans, so a search
      filtered to one language still returns `top_k` chunks.
    - Keyword search matches any distinctive word of the question and ranks stored tsvectors
      (see `_KEYWORD_SETUP` and `_KEYWORD_QUERY`).
    - Expression indexes on `meta->>'language'` and `source_type` give the planner real
      selectivities for the filters (without them it assumes 0.5% and sorts the whole table).
    - A dropped table is recreated on next use rather than failing.
    """

    @property
    def terms_table(self) -> str:
        return f"{self.table_name}_terms"

    @property
    def words_table(self) -> str:
        """The content's Latin-script words, for spelling suggestions (see spelling.py)."""
        return f"{self.table_name}_words"

    def _create_connection(self) -> Connection:
        connection = super()._create_connection()
        if self.search_strategy == "hnsw":
            ef_search = self.hnsw_ef_search or get_settings().rag_hnsw_ef_search
            connection.execute(SQL("SET hnsw.ef_search = {}").format(SQLLiteral(ef_search)))
            connection.execute("SET hnsw.iterative_scan = relaxed_order")
            connection.commit()
        return connection

    _initializing = False

    def _ensure_db_setup(self) -> None:
        super()._ensure_db_setup()
        if not self._table_initialized:
            self._initialize_table()

    def _initialize_table(self) -> None:
        if self._initializing:  # re-entered through delete_table when recreate_table is set
            return
        self._initializing = True
        assert self._cursor is not None
        self._cursor.execute(_SETUP_LOCK)
        try:
            super()._initialize_table()
            self._initialize_keyword_table()
        finally:
            self._initializing = False
            self._cursor.execute(_SETUP_UNLOCK)

    def _initialize_keyword_table(self) -> None:
        """Create the side table, its triggers and filter indexes once (filled from the chunks)."""
        assert self._cursor is not None
        exists = self._cursor.execute(
            "SELECT to_regclass(%s) IS NOT NULL",
            (f'"{self.schema_name}"."{self.terms_table}"',),
        ).fetchone()
        if exists and exists[0]:
            return
        table = self.table_name
        self._execute_sql(
            cursor=self._cursor,
            sql_query=SQL(_KEYWORD_SETUP).format(
                schema=Identifier(self.schema_name),
                table=Identifier(table),
                terms=Identifier(self.terms_table),
                words=Identifier(self.words_table),
                terms_index=Identifier(f"{self.terms_table}_gin"),
                sync_terms=Identifier(f"{self.terms_table}_sync"),
                row_trigger=Identifier(f"{self.terms_table}_rows"),
                truncate_trigger=Identifier(f"{self.terms_table}_truncate"),
                language_index=Identifier(f"{table}_language"),
                source_index=Identifier(f"{table}_source"),
                language=SQLLiteral(self.language),
            ),
            error_msg="Could not create the keyword table",
        )

    def _handle_hnsw(self) -> None:
        """Create the HNSW index unless it exists (upstream logs a warning every start-up)."""
        assert self._cursor is not None
        exists = self._cursor.execute(
            "SELECT 1 FROM pg_indexes WHERE schemaname = %s AND tablename = %s AND indexname = %s",
            (self.schema_name, self.table_name, self.hnsw_index_name),
        ).fetchone()
        if exists and not self.hnsw_recreate_index_if_exists:
            return
        super()._handle_hnsw()

    def delete_table(self) -> None:
        super().delete_table()
        assert self._cursor is not None
        self._execute_sql(
            cursor=self._cursor,
            sql_query=SQL(
                "DROP TABLE IF EXISTS {}.{}, {}.{}; DROP FUNCTION IF EXISTS {}.{}()"
            ).format(
                Identifier(self.schema_name),
                Identifier(self.terms_table),
                Identifier(self.schema_name),
                Identifier(self.words_table),
                Identifier(self.schema_name),
                Identifier(f"{self.terms_table}_sync"),
            ),
            error_msg="Could not drop the keyword table",
        )
        self._table_initialized = False

    def index_signature(self) -> str | None:
        """What wrote the vectors in the table (model and dimension), as recorded at creation."""
        self._ensure_db_setup()
        assert self._cursor is not None
        row = self._cursor.execute(
            "SELECT obj_description(to_regclass(%s), 'pg_class')",
            (f'"{self.schema_name}"."{self.table_name}"',),
        ).fetchone()
        return row[0] if row else None

    def record_index_signature(self, signature: str) -> None:
        """Record what writes the vectors (a comment on the chunk table, dropped with it)."""
        self._ensure_db_setup()
        assert self._cursor is not None
        self._execute_sql(
            cursor=self._cursor,
            sql_query=SQL("COMMENT ON TABLE {}.{} IS {}").format(
                Identifier(self.schema_name), Identifier(self.table_name), SQLLiteral(signature)
            ),
            error_msg="Could not record the index signature",
        )

    def replace_vocabulary(self, counts: dict[str, int]) -> None:
        """Make `counts` (word → sources using it) the vocabulary, in one transaction."""
        self._ensure_db_setup()
        assert self._connection is not None
        table = SQL("{}.{}").format(Identifier(self.schema_name), Identifier(self.words_table))
        with self._connection.transaction(), self._connection.cursor() as cursor:
            cursor.execute(SQL("DELETE FROM {}").format(table))
            with cursor.copy(SQL("COPY {} (word, sources) FROM STDIN").format(table)) as copy:
                for word, sources in counts.items():
                    copy.write_row((word, sources))

    def vocabulary(self) -> dict[str, int]:
        """The content's words and how many sources use each."""
        self._ensure_db_setup()
        assert self._cursor is not None
        rows = self._cursor.execute(
            SQL("SELECT word, sources FROM {}.{}").format(
                Identifier(self.schema_name), Identifier(self.words_table)
            )
        ).fetchall()
        return {row[0]: int(row[1]) for row in rows}

    def analyze(self) -> None:
        """Refresh the planner's statistics, which keyword search reads word frequencies from."""
        self._ensure_db_setup()
        assert self._cursor is not None
        for table in (self.table_name, self.terms_table):
            self._execute_sql(
                cursor=self._cursor,
                sql_query=SQL("ANALYZE {}.{}").format(
                    Identifier(self.schema_name), Identifier(table)
                ),
                error_msg="Could not analyze the chunk tables",
            )

    def _check_and_build_embedding_retrieval_query(
        self,
        query_embedding: list[float],
        vector_function: Literal["cosine_similarity", "inner_product", "l2_distance"] | None,
        top_k: int,
        filters: dict[str, Any] | None = None,
    ) -> tuple[Composed, tuple[Any, ...]]:
        nearest, params = super()._check_and_build_embedding_retrieval_query(
            query_embedding, vector_function, top_k, filters
        )
        # Iterative scans may return neighbours slightly out of order: sort the few found (equal
        # scores, as of chunks with the same text, by id).
        order = "ASC" if (vector_function or self.vector_function) == "l2_distance" else "DESC"
        sql_query = SQL("SELECT {}, score FROM (").format(_columns()) + nearest
        return sql_query + SQL(f") AS nearest ORDER BY score {order}, id"), params

    def _build_keyword_retrieval_query(
        self, query: str, top_k: int, filters: dict[str, Any] | None = None
    ) -> tuple[Composed, tuple[Any, ...]]:
        sql_query = SQL(_KEYWORD_QUERY).format(
            schema=Identifier(self.schema_name),
            table=Identifier(self.table_name),
            terms=Identifier(self.terms_table),
            columns=_columns(Identifier(self.schema_name, self.table_name)),
            schema_name=SQLLiteral(self.schema_name),
            terms_name=SQLLiteral(self.terms_table),
            common_share=SQLLiteral(COMMON_WORD_SHARE),
            match_cap=SQLLiteral(float(KEYWORD_MATCH_CAP)),
            together_cap=SQLLiteral(float(KEYWORD_TOGETHER_CAP)),
            candidates=SQLLiteral(max(KEYWORD_CANDIDATES, top_k)),
            ranked_rows=SQLLiteral(KEYWORD_RANKED_ROWS),
            language=SQLLiteral(self.language),
        )
        params: tuple[Any, ...] = ()
        if filters:
            where, params = _convert_filters_to_where_clause_and_params(filters)
            sql_query += where
        # Chunks ranked alike (the question's words as often in each) come in one order: by id.
        sql_query += SQL(" ORDER BY best.score DESC, best.chunk_id LIMIT {}").format(
            SQLLiteral(top_k)
        )
        return sql_query, params


def _columns(table: Identifier | None = None) -> Composed:
    if table is None:
        return SQL(", ").join(Identifier(c) for c in _RESULT_COLUMNS)
    return SQL(", ").join(SQL("{}.{}").format(table, Identifier(c)) for c in _RESULT_COLUMNS)


def connection_string() -> str:
    """The portal database's URL as libpq wants it (no SQLAlchemy driver name)."""
    from learn_app.db import database_url

    return database_url().replace("postgresql+psycopg://", "postgresql://", 1)


def ensure_schema(url: str, schema: str) -> None:
    """Create the store's schema if missing; the store creates its table but not the schema."""
    if (url, schema) in _schemas_made:
        return
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(_SETUP_LOCK)
        connection.execute("CREATE EXTENSION IF NOT EXISTS vector")
        connection.execute(SQL("CREATE SCHEMA IF NOT EXISTS {}").format(Identifier(schema)))
    _schemas_made.add((url, schema))


def new_document_store(
    *,
    url: str | None = None,
    schema: str | None = None,
    table: str | None = None,
    hnsw_ef_search: int | None = None,
    hnsw_m: int = HNSW_M,
    hnsw_ef_construction: int = HNSW_EF_CONSTRUCTION,
    exact: bool = False,
    dimension: int | None = None,
) -> ContentStore:
    """A new store (own connection) on the configured table, or on the one given.

    `exact=True` creates no HNSW index (bulk loads build it afterwards, much faster).
    `dimension` defaults to the configured embedding model's.
    """
    from learn_app.rag.embedder import embedding_dimension

    settings = get_settings()
    url = url or connection_string()
    schema = schema or settings.rag_schema
    table = table or settings.rag_table
    ensure_schema(url, schema)
    return ContentStore(
        connection_string=Secret.from_token(url),
        create_extension=False,
        schema_name=schema,
        table_name=table,
        language="english",
        embedding_dimension=dimension or embedding_dimension(),
        vector_function="cosine_similarity",
        vector_type=VECTOR_TYPE,
        search_strategy="exact_nearest_neighbor" if exact else "hnsw",
        hnsw_index_creation_kwargs={"m": hnsw_m, "ef_construction": hnsw_ef_construction},
        hnsw_ef_search=hnsw_ef_search or settings.rag_hnsw_ef_search,
        hnsw_index_name=f"{table}_hnsw",
        keyword_index_name=f"{table}_keyword",
    )


def get_document_store() -> ContentStore:
    """The process's store for indexing and maintenance."""
    global _store
    with _lock:
        if _store is None:
            _store = new_document_store()
        return _store


def reset_document_store() -> None:
    """Close the process's store; the next `get_document_store()` opens a fresh one."""
    global _store
    with _lock:
        if _store is not None:
            _store.close()
        _store = None
        _schemas_made.clear()
