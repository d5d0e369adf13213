"""Incremental indexing: only what changed since the last sync is embedded again."""

from __future__ import annotations

import pytest
from sqlmodel import select

from learn_app.models import RagSource, Status
from learn_app.rag.indexing import rebuild_index, sync_index
from learn_app.rag.retrieval import search

pytestmark = pytest.mark.integration

PARTICLES = """## Topic and subject

は marks what the sentence is about; が marks who does something or what is new.

わたしは がくせいです。 I am a student (as for me, student).
だれが きましたか。 Who came?

## Common mistakes

Using は for a question word: だれは is wrong; question words take が.
"""

COUNTERS = """## Counting things

Japanese counts objects with counters chosen by shape: 本 (ほん) for long thin things such as
bottles, pencils and trees; 枚 (まい) for flat things such as paper, shirts and tickets;
匹 (ひき) for small animals.

ビールを 二本 ください。 Two bottles of beer, please.
"""


@pytest.fixture
def small_course(add_lesson, add_word, empty_index):
    particles = add_lesson("は and が", PARTICLES, summary="Topic versus subject.")
    counters = add_lesson("Counters", COUNTERS, summary="Count bottles, paper and animals.")
    words = [
        add_word("みず", "water", reading="みず", part_of_speech="noun", parts={"romaji": "mizu"}),
        add_word("たべる", "to eat", reading="たべる", part_of_speech="verb"),
        add_word("ほん", "book", reading="ほん", part_of_speech="noun"),
    ]
    return particles, counters, words


def chunk_ids_of_or_none(session, source_type: str, source_id: int) -> list[str] | None:
    row = session.exec(
        select(RagSource).where(
            RagSource.source_type == source_type, RagSource.source_id == source_id
        )
    ).one_or_none()
    return None if row is None else row.chunk_ids


def chunk_ids_of(session, source_type: str, source_id: int) -> list[str]:
    chunk_ids = chunk_ids_of_or_none(session, source_type, source_id)
    assert chunk_ids is not None, f"{source_type} {source_id} is not indexed"
    return chunk_ids


def test_the_first_sync_indexes_every_published_lesson_and_word(
    session, small_course, add_lesson, chunk_rows
) -> None:
    particles, counters, words = small_course
    draft = add_lesson("Keigo", "Honorific speech.", status=Status.draft)

    report = sync_index(session)

    assert (report.added, report.updated, report.removed, report.unchanged) == (5, 0, 0, 0)
    stored = chunk_rows()
    assert report.chunks_written == len(stored) == 5  # each of these is one chunk
    assert set(stored) == {
        f"lesson-{particles.id}-0",
        f"lesson-{counters.id}-0",
        *(f"word-{w.id}-0" for w in words),
    }
    assert not any(chunk_id.startswith(f"lesson-{draft.id}-") for chunk_id in stored)
    assert chunk_ids_of(session, "lesson", particles.id) == [f"lesson-{particles.id}-0"]


def test_editing_one_lesson_re_embeds_only_that_lesson(session, small_course, chunk_rows) -> None:
    _particles, counters, _ = small_course
    sync_index(session)
    before = chunk_rows()

    counters.body += "\n枚 also counts pizzas: ピザを 二枚 ください。\n"
    session.add(counters)
    session.commit()
    report = sync_index(session)

    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 1, 0, 4)
    assert report.chunks_written == 1
    after = chunk_rows()
    edited = f"lesson-{counters.id}-0"
    assert "pizzas" in after[edited][1]
    assert after[edited][0] != before[edited][0]
    # Every other chunk is the very same row version: not rewritten, not re-embedded.
    assert {k: v for k, v in after.items() if k != edited} == {
        k: v for k, v in before.items() if k != edited
    }


def test_a_sync_with_nothing_changed_does_nothing(session, small_course, chunk_rows) -> None:
    sync_index(session)
    before = chunk_rows()

    report = sync_index(session)

    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 0, 0, 5)
    assert report.chunks_written == 0
    assert chunk_rows() == before


def test_an_unpublished_lesson_leaves_the_index(session, small_course, chunk_rows) -> None:
    _, counters, _ = small_course
    sync_index(session)
    assert search("how do I count bottles", source_types=["lesson"])[0].source_id == counters.id

    counters.status = Status.draft.value
    session.add(counters)
    session.commit()
    report = sync_index(session)

    assert (report.removed, report.unchanged) == (1, 4)
    assert not any(k.startswith(f"lesson-{counters.id}-") for k in chunk_rows())
    found = search("how do I count bottles", limit=10)
    assert ("lesson", counters.id) not in {(p.source_type, p.source_id) for p in found}
    assert chunk_ids_of_or_none(session, "lesson", counters.id) is None


def test_a_deleted_word_leaves_the_index(session, small_course, chunk_rows) -> None:
    *_, words = small_course
    water = words[0]
    sync_index(session)
    assert search("water", source_types=["word"])[0].source_id == water.id

    session.delete(water)
    session.commit()
    report = sync_index(session)

    assert (report.removed, report.unchanged) == (1, 4)
    assert f"word-{water.id}-0" not in chunk_rows()
    assert water.id not in {p.source_id for p in search("water", source_types=["word"])}


def test_a_longer_lesson_is_split_into_chunks_that_shrink_back_when_it_does(
    session, add_lesson, empty_index, chunk_rows
) -> None:
    paragraph = "Verbs in the polite form end in ます and change to ました in the past. " * 6
    long_body = "\n\n".join(f"## Part {n}\n\n{paragraph}" for n in range(8))
    lesson = add_lesson("Polite verbs", long_body)
    sync_index(session)
    long_chunks = chunk_ids_of(session, "lesson", lesson.id)
    assert len(long_chunks) >= 4
    assert long_chunks == [f"lesson-{lesson.id}-{n}" for n in range(len(long_chunks))]

    lesson.body = paragraph
    session.add(lesson)
    session.commit()
    sync_index(session)

    assert chunk_ids_of(session, "lesson", lesson.id) == [f"lesson-{lesson.id}-0"]
    assert set(chunk_rows()) == {f"lesson-{lesson.id}-0"}


def test_chunks_lost_from_the_store_are_restored_by_the_next_sync(
    session, small_course, empty_index, chunk_rows
) -> None:
    particles, _, _ = small_course
    sync_index(session)
    empty_index.delete_documents([f"lesson-{particles.id}-0"])

    report = sync_index(session)

    assert (report.updated, report.chunks_written) == (1, 1)
    assert f"lesson-{particles.id}-0" in chunk_rows()


def test_rebuild_embeds_everything_again(session, small_course, chunk_rows) -> None:
    sync_index(session)
    before = chunk_rows()

    report = rebuild_index(session)

    assert (report.added, report.chunks_written) == (5, 5)
    after = chunk_rows()
    assert set(after) == set(before)
    assert len(session.exec(select(RagSource)).all()) == 5
