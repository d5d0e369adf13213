"""Retrieval quality and embedding speed per model, on the shipped courses. Prints a table.

    .venv/bin/python bench/retrieval_quality.py [--models use-multilingual-v3,...] [--lessons-only]

One embedded PostgreSQL (a temporary data directory, deleted afterwards) with the courses of
content/ imported; for each model, a chunk table of its own indexed by the portal's own code,
then every question set of tests/data/retrieval_questions searched as the Search page does
(language filter, lessons only). Prints hit@5 and MRR (top 5) per set, chunks embedded per
second while indexing, query embedding p50 and the model's load time. `--lessons-only` leaves
the words out of the index: faster, and it changes only the keyword side's word statistics.

A model whose package is not installed is reported and skipped.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import learn_app.rag  # noqa: E402,F401  (sets the offline/telemetry switches first)

QUESTIONS = ROOT / "tests" / "data" / "retrieval_questions"


def question_sets() -> dict[str, list[tuple[str, str, str]]]:
    sets = {}
    for path in sorted(QUESTIONS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        sets[path.stem] = [
            (course, str(q["question"]), str(q["lesson"]))
            for course, qs in data.items()
            for q in qs
        ]
    return sets


def evaluate(model: str) -> dict:
    """Index the imported courses into a table of the model's own and ask every question."""
    from sqlmodel import Session, select

    from learn_app.config import get_settings
    from learn_app.db import get_engine
    from learn_app.models import Course, Document
    from learn_app.rag import embedder
    from learn_app.rag.indexing import rebuild_index
    from learn_app.rag.retrieval import reset_retrieval, search
    from learn_app.rag.store import reset_document_store

    settings = get_settings()
    settings.embedding_model = model
    settings.rag_table = "chunks_" + "".join(c if c.isalnum() else "_" for c in model.lower())
    reset_document_store()
    reset_retrieval()
    started = time.perf_counter()
    embedder.load_model(model)
    loaded = time.perf_counter() - started

    with Session(get_engine(), expire_on_commit=False) as session:
        report = rebuild_index(session)
        reset_retrieval()
        slugs = {d.id: d.slug for d in session.exec(select(Document)).all()}
        language = {c.slug: c.language for c in session.exec(select(Course)).all()}

    timings = []
    for _ in range(3):
        for question in ("How do I make a verb polite?", "丁寧な形はどうやって作りますか？"):
            t = time.perf_counter()
            embedder.embed_query(question)
            timings.append((time.perf_counter() - t) * 1000)
    timings.sort()

    scores = {}
    for category, asked in question_sets().items():
        hits, reciprocal = 0, 0.0
        for course, question, expected in asked:
            found = search(question, language=language[course], source_types=["lesson"], limit=5)
            top5 = [slugs.get(p.source_id, "?") for p in found]
            if expected in top5:
                hits += 1
                reciprocal += 1 / (top5.index(expected) + 1)
        scores[category] = (hits / len(asked), reciprocal / len(asked), len(asked))
    reset_retrieval()
    reset_document_store()
    return {
        "scores": scores,
        "load_s": loaded,
        "chunks_per_s": report.chunks_written / report.seconds if report.seconds else 0.0,
        "query_p50": statistics.median(timings),
        "query_p95": timings[int(len(timings) * 0.95) - 1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="use-multilingual-v3,multilingual-e5-small")
    parser.add_argument(
        "--lessons-only",
        action="store_true",
        help="index the lessons but not the words (faster; the questions search lessons)",
    )
    args = parser.parse_args()

    from sqlmodel import Session, update

    from learn_app.db import get_engine, migrate, start_embedded_server
    from learn_app.models import Word
    from learn_app.rag.embedder import EmbedderUnavailable
    from learn_app.services.content.importer import load_content_folder

    data_dir = Path(tempfile.mkdtemp(prefix="learn-quality-"))
    os.environ.setdefault("XDG_RUNTIME_DIR", str(data_dir))
    os.environ["DATABASE_URL"] = start_embedded_server(data_dir / "pgdata", cleanup_mode="delete")
    from learn_app.config import get_settings

    get_settings().index_on_change = False  # indexed below, once per model
    migrate()
    with Session(get_engine()) as session:
        load_content_folder(session, ROOT / "content")
        if args.lessons_only:  # the questions search lessons only; words only cost embedding
            session.exec(update(Word).values(status="draft"))
        session.commit()

    rows = []
    for model in args.models.split(","):
        try:
            rows.append((model, evaluate(model)))
        except EmbedderUnavailable as error:
            print(f"{model}: skipped ({error})", flush=True)
            continue
        print(f"{model}: done", flush=True)

    categories = sorted({c for _, r in rows for c in r["scores"]})
    header = f"{'model':<24}" + "".join(f"{c + ' hit@5/MRR':>22}" for c in categories)
    header += f"{'chunks/s':>10}{'query p50 ms':>14}{'load s':>8}"
    print(header)
    print("-" * len(header))
    for model, r in rows:
        line = f"{model:<24}"
        for c in categories:
            hit, mrr, n = r["scores"][c]
            line += f"{f'{hit:.2f} / {mrr:.2f} (n={n})':>22}"
        line += f"{r['chunks_per_s']:>10.1f}{r['query_p50']:>14.1f}{r['load_s']:>8.1f}"
        print(line)


if __name__ == "__main__":
    main()
