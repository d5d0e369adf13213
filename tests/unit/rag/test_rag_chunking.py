"""How a source is cut into chunks before it is embedded."""

from __future__ import annotations

from learn_app.rag.indexing import CHUNK_MIN_WORDS, CHUNK_OVERLAP, CHUNK_WORDS, chunk_sources
from learn_app.rag.sources import IndexedSource


def source(text: str, *, source_type: str = "lesson", source_id: int = 12) -> IndexedSource:
    meta = {"source_type": source_type, "source_id": source_id, "title": "T", "language": "ja"}
    return IndexedSource(source_type, source_id, text, meta)


def test_a_short_source_is_one_chunk_named_after_it() -> None:
    chunks = chunk_sources([source("みず (mizu): water", source_type="word", source_id=7)])

    assert [c.id for c in chunks] == ["word-7-0"]
    assert chunks[0].content == "みず (mizu): water"
    assert chunks[0].meta == {
        "source_type": "word",
        "source_id": 7,
        "title": "T",
        "language": "ja",
        "chunk": 0,
    }


def test_a_long_lesson_is_cut_into_overlapping_chunks_in_order() -> None:
    words = [f"w{n}" for n in range(400)]
    chunks = chunk_sources([source(" ".join(words))])

    assert [c.id for c in chunks] == [f"lesson-12-{n}" for n in range(len(chunks))]
    assert all(len(c.content.split()) <= CHUNK_WORDS for c in chunks)
    starts = [c.content.split()[0] for c in chunks]
    step = CHUNK_WORDS - CHUNK_OVERLAP
    assert starts == [f"w{n}" for n in range(0, 400 - CHUNK_MIN_WORDS, step)]
    assert chunks[-1].content.split()[-1] == "w399"


def test_markdown_keeps_its_lines_but_loses_table_rules_and_blank_lines() -> None:
    text = "## Counters\n\n| counter | for |\n|---|:---:|\n| 本 | bottles |\n\n\nEnd.  Done."

    (chunk,) = chunk_sources([source(text)])

    assert chunk.content == "## Counters\n| counter | for |\n\n| 本 | bottles |\nEnd. Done."


def test_chunk_ids_do_not_depend_on_other_sources_in_the_batch() -> None:
    alone = chunk_sources([source("one two three", source_id=1)])
    together = chunk_sources([source("zero", source_id=9), source("one two three", source_id=1)])

    assert [c.id for c in alone] == [c.id for c in together if c.meta["source_id"] == 1]
