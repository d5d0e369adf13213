"""Generated example sentences for words without one, kept as drafts until a teacher publishes.

Claude is the fake Messages API in `tests/fakes/anthropic_server.py`; `offline` has no model.
"""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select

from learn_app.models import (
    Course,
    Document,
    ExampleDraft,
    User,
    Word,
    WordGroup,
    WordGroupMember,
)
from learn_app.rag.indexing import sync_index
from learn_app.services.authoring import example_drafts, examples
from learn_app.services.errors import Conflict, InvalidInput, PermissionDenied

# Every spec starts from settings with no model configured (`claude` or `offline` then choose).
pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("fresh_settings")]


@pytest.fixture
def words(session: Session, small_course: Course, teacher: User) -> dict[str, Word]:
    """A group of station words: 駅 and 乗る have no example; すみません has one using 駅.

    The course is `teacher`'s, so they may publish its examples."""
    small_course.owner_id = teacher.id
    session.add(small_course)
    rows = {
        "eki": Word(
            course_id=small_course.id,
            language="ja",
            term="駅",
            reading="えき",
            meaning="station",
            part_of_speech="noun",
            parts={"romaji": "eki"},
        ),
        "noru": Word(
            course_id=small_course.id,
            language="ja",
            term="乗る",
            reading="のる",
            meaning="to ride",
            part_of_speech="verb",
            parts={"romaji": "noru", "verb_class": "godan"},
        ),
        "sumimasen": Word(
            course_id=small_course.id,
            language="ja",
            term="すみません",
            reading="すみません",
            meaning="excuse me",
            part_of_speech="expression",
            example_sentence="すみません、駅はどこですか。",
            example_translation="Excuse me, where is the station?",
            parts={"romaji": "sumimasen", "example_reading": "すみません、えきはどこですか。"},
        ),
    }
    session.add_all(rows.values())
    session.flush()
    group = WordGroup(course_id=small_course.id, language="ja", slug="station", name="Station")
    session.add(group)
    session.flush()
    for position, word in enumerate(rows.values()):
        session.add(WordGroupMember(group_id=group.id, word_id=word.id, position=position))
    session.commit()
    return rows


@pytest.fixture
def ticket(session: Session, small_course: Course) -> Word:
    """切符 (ticket), with no example; a lesson of the course says a sentence with it."""
    session.add(
        Document(
            course_id=small_course.id,
            slug="tickets",
            language="ja",
            level="JLPT N5",
            title="Buying tickets",
            body="At the ticket office say 切符を二枚ください。 (kippu o nimai kudasai): "
            "two tickets, please.\n",
            status="published",
            position=3,
        )
    )
    word = Word(
        course_id=small_course.id,
        language="ja",
        term="切符",
        reading="きっぷ",
        meaning="ticket",
        part_of_speech="noun",
    )
    session.add(word)
    session.commit()
    sync_index(session)
    return word


@pytest.fixture
def group_id(session: Session, words) -> int:
    return session.exec(select(WordGroup.id).where(WordGroup.slug == "station")).one()


def example(word: Word, sentence: str, reading: str, translation: str) -> dict:
    return {
        "word_id": word.id,
        "sentence": sentence,
        "reading": reading,
        "translation": translation,
    }


def station_examples(words: dict[str, Word]) -> str:
    return json.dumps(
        {
            "examples": [
                example(
                    words["eki"],
                    "駅で会いましょう。",
                    "えきであいましょう。",
                    "Let's meet at the station.",
                ),
                example(
                    words["noru"],
                    "電車に乗りました。",
                    "でんしゃにのりました。",
                    "I got on the train.",
                ),
            ]
        },
        ensure_ascii=False,
    )


def test_only_words_without_an_example_are_sent_as_delimited_data(
    session, teacher, words, group_id, claude
) -> None:
    claude.reply_next(station_examples(words))

    run = examples.draft_examples(session, teacher, group_id=group_id)

    content = claude.requests[0]["body"]["messages"][0]["content"]
    assert f"word_id={words['eki'].id}; term=駅; reading=えき; meaning=station" in content
    assert "term=乗る" in content and "verb_class=godan" in content
    assert "term=すみません" not in content
    assert "Write one example sentence for each of these 2 words." in content
    assert run.skipped == 1
    assert "the whole sentence in kana" in claude.requests[0]["body"]["system"]


def test_the_sentences_are_kept_as_drafts_and_the_words_are_unchanged(
    session, teacher, words, group_id, claude
) -> None:
    claude.reply_next(station_examples(words))

    run = examples.draft_examples(session, teacher, group_id=group_id)
    session.commit()

    assert (run.provider, run.notice, run.missing) == ("anthropic", None, 0)
    assert [(d.sentence, d.status, d.provider) for d in run.drafts] == [
        ("駅で会いましょう。", "draft", "anthropic"),
        ("電車に乗りました。", "draft", "anthropic"),
    ]
    session.refresh(words["eki"])
    assert words["eki"].example_sentence == ""


def test_a_sentence_without_its_word_is_sent_back_and_the_repair_is_used(
    session, teacher, words, group_id, claude
) -> None:
    wrong = json.loads(station_examples(words))
    wrong["examples"][0]["sentence"] = "電車に乗りました。"
    claude.reply_next(json.dumps(wrong, ensure_ascii=False), station_examples(words))

    run = examples.draft_examples(session, teacher, group_id=group_id)

    repair = claude.requests[1]["body"]["messages"][-1]["content"]
    assert "examples/0/sentence: the sentence does not use 駅 or a form of it" in repair
    assert run.drafts[0].sentence == "駅で会いましょう。"


def test_a_reading_in_romaji_is_sent_back(session, teacher, words, group_id, claude) -> None:
    wrong = json.loads(station_examples(words))
    wrong["examples"][1]["reading"] = "densha ni norimashita"
    claude.reply_next(json.dumps(wrong, ensure_ascii=False), station_examples(words))

    examples.draft_examples(session, teacher, group_id=group_id)

    repair = claude.requests[1]["body"]["messages"][-1]["content"]
    assert "examples/1/reading: 'densha ni norimashita' should be written in kana only" in repair


def test_offline_a_course_sentence_that_uses_the_word_is_reused(
    session, teacher, words, group_id, offline
) -> None:
    run = examples.draft_examples(session, teacher, group_id=group_id)

    assert run.provider == "offline"
    assert run.notice.startswith("No AI model is set up for this portal.")
    assert [(d.word_id, d.sentence, d.translation, d.reading) for d in run.drafts] == [
        (
            words["eki"].id,
            "すみません、駅はどこですか。",
            "Excuse me, where is the station?",
            "すみません、えきはどこですか。",
        )
    ]
    assert run.missing == 1


def test_offline_a_lesson_sentence_is_reused_without_a_translation(
    session, teacher, ticket, offline
) -> None:
    run = examples.draft_examples(session, teacher, word_ids=[ticket.id])

    assert [(d.sentence, d.translation) for d in run.drafts] == [("切符を二枚ください。", "")]


def test_words_with_a_draft_waiting_are_not_drafted_again(
    session, teacher, words, group_id, claude
) -> None:
    claude.reply_next(station_examples(words))
    examples.draft_examples(session, teacher, group_id=group_id)
    session.commit()

    run = examples.draft_examples(session, teacher, group_id=group_id)

    assert (run.drafts, run.skipped) == ([], 3)
    assert len(claude.requests) == 1


def drafted(session, teacher, words, group_id, claude) -> list[ExampleDraft]:
    claude.reply_next(station_examples(words))
    run = examples.draft_examples(session, teacher, group_id=group_id)
    session.commit()
    return run.drafts


def test_an_edited_draft_once_published_is_the_words_example(
    session, teacher, words, group_id, claude
) -> None:
    eki, _ = drafted(session, teacher, words, group_id, claude)
    example_drafts.update_draft(
        session,
        teacher,
        eki.id,
        sentence="駅で待っています。",
        reading="えきでまっています。",
        translation="I am waiting at the station.",
    )

    example_drafts.publish_draft(session, teacher, eki.id)
    session.commit()

    word = session.get(Word, words["eki"].id)
    session.refresh(word)
    assert (word.example_sentence, word.example_translation, word.parts["example_reading"]) == (
        "駅で待っています。",
        "I am waiting at the station.",
        "えきでまっています。",
    )
    session.refresh(eki)
    assert (eki.status, eki.reviewed_by_id) == ("published", teacher.id)
    assert eki.reviewed_at is not None
    assert [view.word.term for view in example_drafts.list_drafts(session, teacher)] == ["乗る"]


def test_a_rejected_draft_leaves_the_word_alone(session, teacher, words, group_id, claude) -> None:
    _, noru = drafted(session, teacher, words, group_id, claude)

    example_drafts.reject_draft(session, teacher, noru.id)
    session.commit()

    session.refresh(noru)
    assert noru.status == "rejected"
    assert session.get(Word, words["noru"].id).example_sentence == ""
    assert [
        v.draft.id for v in example_drafts.list_drafts(session, teacher, status="rejected")
    ] == [noru.id]


def test_a_published_draft_cannot_be_published_or_rejected_again(
    session, teacher, words, group_id, claude
) -> None:
    eki, _ = drafted(session, teacher, words, group_id, claude)
    example_drafts.publish_draft(session, teacher, eki.id)
    session.commit()

    with pytest.raises(Conflict):
        example_drafts.reject_draft(session, teacher, eki.id)


def test_an_edit_that_drops_the_word_is_refused(session, teacher, words, group_id, claude) -> None:
    eki, _ = drafted(session, teacher, words, group_id, claude)

    with pytest.raises(InvalidInput) as refused:
        example_drafts.update_draft(session, teacher, eki.id, sentence="電車に乗りました。")

    assert refused.value.field == "sentence"


def test_a_draft_without_a_translation_is_not_published(session, teacher, ticket, offline) -> None:
    [draft] = examples.draft_examples(session, teacher, word_ids=[ticket.id]).drafts

    with pytest.raises(InvalidInput) as refused:
        example_drafts.publish_draft(session, teacher, draft.id)

    assert refused.value.field == "translation"


def test_learners_may_not_draft_or_publish(session, learner, words, group_id, claude) -> None:
    with pytest.raises(PermissionDenied):
        examples.draft_examples(session, learner, group_id=group_id)
    with pytest.raises(PermissionDenied):
        example_drafts.list_drafts(session, learner)
    assert claude.requests == []
