"""Explain my answer: after a wrong answer in a study activity, the tutor explains the mistake.

The word, the expected answer and the learner's answer go to the model as escaped data between
tags; the numbered passages are the word's own entry, the word the learner's answer belongs to
(when it is another word of the course) and the lessons about the word. The model explains in
the learner's own language. Each explanation is kept as a tutor conversation, so it can be
reopened or followed up like any question.

With no model to ask (offline by configuration, today's budget spent, the provider failing)
the explanation is put together from the word's entry and one sentence quoted from a lesson:
quoting passages would not say what was wrong with the answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from haystack import Pipeline, component
from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from learn_app.llm import calls as llm
from learn_app.llm import chains
from learn_app.llm.chains import LlmContext
from learn_app.llm.offline import OfflineProvider, sentences
from learn_app.models import Status, TutorConversation, User, Word
from learn_app.rag import retrieval
from learn_app.rag.retrieval import Passage
from learn_app.rag.sources import word_source
from learn_app.services.content.common import is_editor
from learn_app.services.errors import InvalidInput, NotFound
from learn_app.services.language.languages import language_name
from learn_app.services.study import session_history
from learn_app.services.study.activities import get_activity
from learn_app.services.tutor.tutor import TutorAnswer, keep_answer, keep_question

__all__ = ["ExplanationStarted", "explain_answer", "explain_answer_stream", "learner_question"]

PURPOSE = "explain"
MAX_ANSWER_CHARS = 400  # a chosen option can be any word's meaning, which holds up to 400
# Lessons searched, then the ones that mention the word are kept, up to LESSON_PASSAGES.
LESSON_CANDIDATES = 6
LESSON_PASSAGES = 2
TITLE_CHARS = 120
TITLE_ANSWER_CHARS = 40
OFFLINE_MODEL = "explain-rules-v1"
OFFLINE_INTRO = "Offline tutor — your answer next to the course:"
_KANA_OR_KANJI = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
# Enough to keep the learner's answer from being read as emphasis, a link, HTML or a citation.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


@dataclass(frozen=True)
class ExplanationStarted:
    """The learner's side of the conversation is stored; the explanation follows."""

    question: str
    conversation_id: int


@dataclass(frozen=True)
class _Mistake:
    word: Word
    given: str
    expected: str
    activity: str
    other_word: Word | None  # the word the given answer belongs to, when it is one

    def __deepcopy__(self, memo: dict[int, Any]) -> _Mistake:
        return self  # rows of this session, passed through the pipeline as they are


@dataclass(frozen=True)
class _Prepared:
    conversation: TutorConversation
    question: str
    mistake: _Mistake


# ------------------------------------------------------------------------------ the mistake


def _answer(text: str | None, field: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(f"Say what {what} to have it explained.", field=field)
    if len(text) > MAX_ANSWER_CHARS:
        raise InvalidInput(f"Answers can be at most {MAX_ANSWER_CHARS} characters.", field=field)
    return text


def _visible_word(session: Session, user: User, word_id: int) -> Word:
    """Learners see published words only, as everywhere else."""
    word = session.get(Word, word_id)
    if word is None or (word.status != Status.published.value and not is_editor(user)):
        raise NotFound("That word does not exist.")
    return word


def _activity_name(session: Session, user: User, session_id: int | None) -> str:
    if session_id is None:
        return ""
    return get_activity(
        session, session_history.own_session(session, user, session_id).activity_id
    ).name


def _other_word(session: Session, word: Word, given: str) -> Word | None:
    """A published word of the same language whose term, reading or meaning is the answer
    given: the usual mistake in a multiple-choice question is picking a neighbour."""
    return session.exec(
        select(Word)
        .where(
            Word.language == word.language,
            Word.status == Status.published.value,
            Word.id != word.id,
            or_(
                col(Word.term) == given,
                col(Word.reading) == given,
                func.lower(col(Word.meaning)) == given.lower(),
            ),
        )
        .order_by(col(Word.id))
        .limit(1)
    ).first()


def _head(word: Word) -> str:
    """The word as a learner looks it up: 駅 (えき, eki)."""
    romaji = str(word.parts.get("romaji") or "")
    spelled = [s for s in (word.reading if word.reading != word.term else "", romaji) if s]
    return word.term + (f" ({', '.join(spelled)})" if spelled else "")


def learner_question(term: str, given: str, expected: str) -> str:
    """The learner's turn of the conversation, in their words."""
    return f"Why not “{given}” for {term}? The answer is “{expected}”."


def _title(term: str, given: str) -> str:
    if len(given) > TITLE_ANSWER_CHARS:
        given = given[: TITLE_ANSWER_CHARS - 1] + "…"
    return f"Why not “{given}” for {term}?"[:TITLE_CHARS]


# ------------------------------------------------------------------------------- passages


def _word_passage(word: Word) -> Passage:
    source = word_source(word)
    return Passage(
        text=source.text,
        score=1.0,
        source_type=source.source_type,
        source_id=source.source_id,
        title=str(source.meta["title"]),
        language=word.language,
        chunk_id=source.document_id,
    )


def _mentions(text: str, word: Word) -> bool:
    if _KANA_OR_KANJI.search(word.term):
        return word.term in text
    return re.search(rf"(?<!\w){re.escape(word.term)}(?!\w)", text, re.IGNORECASE) is not None


def _lessons_about(word: Word) -> list[Passage]:
    """The lessons that best match the word, those that mention it first."""
    found = retrieval.search(
        f"{word.term} {word.reading} {word.meaning}",
        language=word.language,
        limit=LESSON_CANDIDATES,
        source_types=["lesson"],
    )
    mentioning = [p for p in found if _mentions(p.text, word)]
    return [*mentioning, *(p for p in found if p not in mentioning)][:LESSON_PASSAGES]


def _passages(mistake: _Mistake) -> list[Passage]:
    words = [mistake.word, *([mistake.other_word] if mistake.other_word else [])]
    return [*(_word_passage(w) for w in words), *_lessons_about(mistake.word)]


@component
class MistakePassages:
    """The explanation's passages: the word's entry, the word the answer belongs to, and the
    lessons about the word."""

    @component.output_types(passages=list[Passage])
    def run(self, mistake: _Mistake) -> dict[str, Any]:
        return {"passages": _passages(mistake)}


@cache
def _pipeline() -> Pipeline:
    return chains.tutor_pipeline(
        PURPOSE, MistakePassages(), user_template="explain_answer.txt", rules_model=OFFLINE_MODEL
    )


def _run(
    session: Session,
    user: User,
    prepared: _Prepared,
    on_piece: Callable[[str], None] | None = None,
) -> tuple[llm.Generation, list[Passage]]:
    mistake = prepared.mistake
    variables = {
        "question": prepared.question,
        "language_name": language_name(mistake.word.language),
        "native_language_name": language_name(user.native_language),
        "activity": mistake.activity or "(not given)",
        "word": _head(mistake.word),
        "expected": mistake.expected,
        "given": mistake.given,
    }
    outputs = _pipeline().run(
        {
            "retrieve": {"mistake": mistake},
            "prompt": {"variables": variables},
            "generate": {"context": LlmContext(session, user), "streaming_callback": on_piece},
        },
        include_outputs_from={"retrieve"},
    )
    return outputs["generate"]["generation"], outputs["retrieve"]["passages"]


# -------------------------------------------------------------------- the conversation


def _prepare(
    session: Session,
    user: User,
    word_id: int,
    given: str,
    expected: str | None,
    session_id: int | None,
) -> _Prepared:
    given = _answer(given, "given", "you answered")
    word = _visible_word(session, user, word_id)
    expected = _answer(expected or word.meaning, "expected", "the answer was")
    mistake = _Mistake(
        word=word,
        given=given,
        expected=expected,
        activity=_activity_name(session, user, session_id),
        other_word=_other_word(session, word, given),
    )
    question = learner_question(word.term, given, expected)
    conversation = TutorConversation(
        user_id=user.id,
        title=_title(word.term, given),
        language=word.language,
    )
    keep_question(session, conversation, question)
    return _Prepared(conversation, question, mistake)


def _finish(
    session: Session,
    prepared: _Prepared,
    generation: llm.Generation,
    passages: Sequence[Passage],
) -> TutorAnswer:
    if generation.result.provider == OfflineProvider.name:
        # No model answered, and quotes alone would not say what was wrong.
        text = offline_explanation(prepared.mistake, passages)
        generation = replace(generation, result=replace(generation.result, text=text))
    return keep_answer(session, prepared.conversation, generation, passages)


def explain_answer(
    session: Session,
    user: User,
    *,
    word_id: int,
    given: str,
    expected: str | None = None,
    session_id: int | None = None,
) -> TutorAnswer:
    """The tutor's explanation of answering `given` where `expected` (by default the word's
    meaning) was right, kept as a new conversation. `session_id` names the learner's study
    session, so the explanation knows which activity asked."""
    prepared = _prepare(session, user, word_id, given, expected, session_id)
    return _finish(session, prepared, *_run(session, user, prepared))


def explain_answer_stream(
    session: Session,
    user: User,
    *,
    word_id: int,
    given: str,
    expected: str | None = None,
    session_id: int | None = None,
) -> Iterator[ExplanationStarted | str | TutorAnswer]:
    """As `explain_answer`: an `ExplanationStarted` once the learner's turn is stored, the
    explanation's text as it arrives, then the whole `TutorAnswer`, which supersedes the
    pieces if the provider failed part-way."""
    prepared = _prepare(session, user, word_id, given, expected, session_id)
    yield ExplanationStarted(prepared.question, prepared.conversation.id)
    streamed = False
    for item in chains.pieces_then_result(lambda on_piece: _run(session, user, prepared, on_piece)):
        if isinstance(item, str):
            streamed = True
            yield item
            continue
        answer = _finish(session, prepared, *item)
        if not streamed:  # the rules' explanation, which arrives whole
            yield from answer.answer.splitlines(keepends=True)
        yield answer


# --------------------------------------------------------------- the offline explanation


def _plain(text: str) -> str:
    """Text shown as itself in Markdown: the learner's answer is not markup."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _lesson_quote(word: Word, lessons: Sequence[tuple[int, Passage]]) -> tuple[int, str] | None:
    """The lesson sentence that says most about the word: one with the word in it first,
    then its reading, then the words of its meaning."""
    meaning_words = set(re.findall(r"[^\W_]{3,}", word.meaning.lower()))
    best: tuple[float, int, str] | None = None
    for number, passage in lessons:
        for sentence in sentences(passage.text):
            text = sentence.text
            score = 3.0 * (word.term in text) + 2.0 * bool(word.reading and word.reading in text)
            score += 0.5 * len(meaning_words & set(re.findall(r"[^\W_]+", text.lower())))
            if score > 0 and (best is None or score > best[0]):
                best = (score, number, text)
    return None if best is None else (best[1], best[2][:320])


def offline_explanation(mistake: _Mistake, passages: Sequence[Passage]) -> str:
    """The answers side by side, the word's entry [1], the word the answer belongs to, and
    one quoted lesson sentence, each with its passage number."""
    word, other = mistake.word, mistake.other_word
    lines = [
        OFFLINE_INTRO,
        "",
        f"- You answered “{_plain(mistake.given)}”; the expected answer is "
        f"“{_plain(mistake.expected)}”.",
        f"- {_plain(_head(word))} means “{_plain(word.meaning)}” [1].",
    ]
    if word.example_sentence:
        example = f"- Example: {_plain(word.example_sentence)}"
        if word.example_translation:
            example += f" — {_plain(word.example_translation)}"
        lines.append(example + " [1]")
    if other is not None and other.meaning.lower() == mistake.given.lower():
        lines.append(f"- “{_plain(mistake.given)}” is another word: {_plain(_head(other))} [2].")
    elif other is not None:
        lines.append(
            f"- {_plain(_head(other))} is another word: it means “{_plain(other.meaning)}” [2]."
        )
    lessons = [(n, p) for n, p in enumerate(passages, start=1) if p.source_type == "lesson"]
    quote = _lesson_quote(word, lessons)
    if quote is not None:
        number, text = quote
        title = passages[number - 1].title
        lines.append(f"- From the lesson “{_plain(title)}”: {_plain(text)} [{number}]")
    return "\n".join(lines)
