"""Writing practice: the learner writes a sentence with two or three words they are learning,
and gets it graded.

The target words are words the learner is learning: words they have cards for (the soonest
due first), of the group their study session is on; until there are enough of those, the
group's other words (or, with no group, the words of the groups they study) fill in.

Grading is a JSON task (`rag.chains`): the words and the sentence go to the model as
delimited data, and the reply must meet `GRADING_SCHEMA` — a score from 0 to 100, the
corrected sentence, each correction explained in the learner's own language, and whether
each target word was used correctly. With no model to ask, the offline rules
(`writing_checks`) look for the target words and check the script and the punctuation, give
no score, and the submission's notice says that full feedback needs an AI provider.

Every submission is kept, graded or not; reading them and teachers' comments are
`writing_submissions` (re-exported here).
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from learn_app.llm import json_tasks
from learn_app.models import CardState, Status, User, Word, WordGroupMember, WritingSubmission
from learn_app.rag.retrieval import Passage
from learn_app.services.achievements import events as achievement_events
from learn_app.services.content.common import is_editor
from learn_app.services.content.groups import get_group
from learn_app.services.errors import InvalidInput, NotFound
from learn_app.services.language.languages import language_name
from learn_app.services.language.writing_checks import (
    WordForms,
    has_target_script,
    punctuation_check,
    script_check,
    word_check,
    wrong_script_message,
)
from learn_app.services.study import plan, session_history
from learn_app.services.tutor.writing_submissions import (
    MAX_LISTED,
    CommentView,
    SubmissionView,
    add_comment,
    get_submission,
    list_learner_submissions,
    list_own_submissions,
)

__all__ = [
    "GRADING_SCHEMA",
    "MAX_LISTED",
    "MAX_TEXT_CHARS",
    "CommentView",
    "SubmissionView",
    "TargetWord",
    "WritingPrompt",
    "add_comment",
    "get_submission",
    "grade_writing",
    "list_learner_submissions",
    "list_own_submissions",
    "writing_prompt",
]

PURPOSE = "writing"
MAX_TEXT_CHARS = 500
TARGET_WORDS = 3
# The learning words a prompt picks from: the soonest due, so practice goes where it helps.
LEARNING_CANDIDATES = 12
FILL_GROUPS = 3
FALLBACK_NOTE = (
    "Only the target words, the script and the punctuation were checked. "
    "Full feedback needs an AI provider."
)

_TEXT = {"type": "string", "maxLength": 1000}
GRADING_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["score", "corrected", "corrections", "target_words"],
    "properties": {
        "score": {"type": "integer", "minimum": 0, "maximum": 100},
        "corrected": {"type": "string", "minLength": 1, "maxLength": 2000},
        "corrections": {
            "type": "array",
            "maxItems": 20,
            "items": {
                "type": "object",
                "required": ["original", "correction", "explanation"],
                "properties": {"original": _TEXT, "correction": _TEXT, "explanation": _TEXT},
            },
        },
        "target_words": {
            "type": "array",
            "maxItems": 10,
            "items": {
                "type": "object",
                "required": ["term", "used", "correct", "note"],
                "properties": {
                    "term": _TEXT,
                    "used": {"type": "boolean"},
                    "correct": {"type": "boolean"},
                    "note": _TEXT,
                },
            },
        },
    },
}


@dataclass(frozen=True)
class TargetWord:
    word_id: int
    term: str
    reading: str
    romaji: str
    meaning: str
    part_of_speech: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "word_id": self.word_id,
            "term": self.term,
            "reading": self.reading,
            "romaji": self.romaji,
            "meaning": self.meaning,
            "part_of_speech": self.part_of_speech,
        }


@dataclass(frozen=True)
class WritingPrompt:
    language: str
    words: list[TargetWord]


def _target_word(word: Word) -> TargetWord:
    return TargetWord(
        word_id=word.id or 0,
        term=word.term,
        reading=word.reading,
        romaji=str((word.parts or {}).get("romaji") or ""),
        meaning=word.meaning,
        part_of_speech=word.part_of_speech,
    )


# ------------------------------------------------------------------------------ the prompt


def writing_prompt(
    session: Session,
    user: User,
    *,
    study_session_id: int | None = None,
    exclude_word_ids: Iterable[int] = (),
) -> WritingPrompt:
    """Two or three words to write a sentence with; `exclude_word_ids` (the last prompt's)
    are left out while there are others to choose from."""
    group_id = None
    if study_session_id is not None:
        group_id = session_history.own_session(session, user, study_session_id).group_id
    language = get_group(session, group_id).language if group_id else user.target_language
    excluded = set(exclude_word_ids)
    learning = _learning_words(session, user, language, group_id)
    fresh = [w for w in learning if w.id not in excluded]
    chosen = random.sample(fresh, min(TARGET_WORDS, len(fresh)))
    if len(chosen) < TARGET_WORDS:
        taken = {w.id for w in chosen}
        others = [w for w in _other_words(session, user, language, group_id) if w.id not in taken]
        others.sort(key=lambda w: w.id in excluded)  # stable: the usual order, excluded last
        chosen += others[: TARGET_WORDS - len(chosen)]
    if not chosen:
        raise NotFound("There are no words to write with yet. Study a word group first.")
    return WritingPrompt(language, [_target_word(word) for word in chosen])


def _learning_words(
    session: Session, user: User, language: str, group_id: int | None
) -> list[Word]:
    query = (
        select(Word)
        .join(CardState, col(CardState.word_id) == col(Word.id))
        .where(
            CardState.user_id == user.id,
            Word.language == language,
            Word.status == Status.published.value,
        )
        .order_by(col(CardState.due), col(Word.id))
        .limit(LEARNING_CANDIDATES)
    )
    if group_id is not None:
        members = select(WordGroupMember.word_id).where(WordGroupMember.group_id == group_id)
        query = query.where(col(Word.id).in_(members))
    return list(session.exec(query).all())


def _other_words(session: Session, user: User, language: str, group_id: int | None) -> list[Word]:
    """The group's words in study order; with no group, those of the groups studied."""
    group_ids = [group_id] if group_id is not None else plan.study_group_ids(session, user)
    order: list[int] = []
    for gid in group_ids[:FILL_GROUPS]:
        order += plan.group_study_order(session, user, gid)[:LEARNING_CANDIDATES]
    order = list(dict.fromkeys(order))
    words = {
        w.id: w
        for w in session.exec(
            select(Word).where(col(Word.id).in_(order), Word.language == language)
        ).all()
    }
    return [words[word_id] for word_id in order if word_id in words]


# -------------------------------------------------------------------------------- grading


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().strip("〜~").casefold()


def _word_line(word: TargetWord) -> str:
    spelled = [s for s in (word.reading if word.reading != word.term else "", word.romaji) if s]
    head = word.term + (f" ({', '.join(spelled)})" if spelled else "")
    kind = f" [{word.part_of_speech}]" if word.part_of_speech else ""
    return f"- {head}: {word.meaning}{kind}"


def _check_grading(data: Any, variables: Mapping[str, Any]) -> list[str]:
    """The schema's shape, plus an entry for every target word."""
    given = {_key(str(entry["term"])) for entry in data["target_words"]}
    return [
        f"target_words: there is no entry for the target word “{word['term']}”"
        for word in variables["word_forms"]
        if not {_key(word["term"]), _key(word["reading"])} & given
    ]


def offline_checks(variables: Mapping[str, Any], passages: Sequence[Passage]) -> dict[str, Any]:
    """The rules' answer: no score, each target word looked for, script and punctuation."""
    text, language = str(variables["sentence"]), str(variables["language"])
    words = [WordForms.from_dict(word) for word in variables["word_forms"]]
    return {
        "score": None,
        "corrected": "",
        "corrections": [],
        "target_words": [word_check(word, text, language).as_dict() for word in words],
        "checks": [
            script_check(text, language).as_dict(),
            punctuation_check(text, language).as_dict(),
        ],
    }


WRITING_TASK = json_tasks.JsonTask(
    purpose=PURPOSE,
    system_template="writing_system.txt",
    user_template="writing_grade.txt",
    schema=GRADING_SCHEMA,
    rules=offline_checks,
    fallback_note=FALLBACK_NOTE,
    check=_check_grading,
    lesson_passages=2,
    word_passages=0,
)


def _graded(data: Mapping[str, Any], words: Sequence[TargetWord]) -> dict[str, Any]:
    """The model's grading in our shape: target words in the order given, with our terms."""
    entries: dict[str, Mapping[str, Any]] = {}
    for entry in data["target_words"]:
        entries.setdefault(_key(str(entry["term"])), entry)
    target_words = []
    for word in words:
        entry = entries.get(_key(word.term)) or entries[_key(word.reading)]
        target_words.append(
            {
                "term": word.term,
                "used": bool(entry["used"]),
                "correct": bool(entry["correct"]),
                "note": str(entry["note"]),
            }
        )
    return {
        "score": int(data["score"]),
        "corrected": str(data["corrected"]),
        "corrections": [
            {name: str(c[name]) for name in ("original", "correction", "explanation")}
            for c in data["corrections"]
        ],
        "target_words": target_words,
    }


def _target_words(session: Session, user: User, word_ids: Sequence[int]) -> list[Word]:
    ids = list(dict.fromkeys(word_ids))
    if not 1 <= len(ids) <= TARGET_WORDS:
        raise InvalidInput(f"Give one to {TARGET_WORDS} target words.", field="word_ids")
    found = {w.id: w for w in session.exec(select(Word).where(col(Word.id).in_(ids))).all()}
    words = [found.get(word_id) for word_id in ids]
    if any(
        w is None or (w.status != Status.published.value and not is_editor(user)) for w in words
    ):
        raise NotFound("That word does not exist.", field="word_ids")
    languages = {w.language for w in words if w is not None}
    if len(languages) > 1:
        raise InvalidInput("The target words must all be of one language.", field="word_ids")
    return [w for w in words if w is not None]


def _sentence(text: str | None, language: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput("Write a sentence that uses the words.", field="text")
    if len(text) > MAX_TEXT_CHARS:
        raise InvalidInput(
            f"Keep it to {MAX_TEXT_CHARS} characters: this is {len(text)}.", field="text"
        )
    if not has_target_script(text, language):
        raise InvalidInput(wrong_script_message(language), field="text")
    return text


def grade_writing(
    session: Session,
    user: User,
    text: str,
    target_word_ids: Sequence[int],
    study_session_id: int | None = None,
) -> SubmissionView:
    """Grade the learner's sentence and keep it; offline, the rules check what they can."""
    if study_session_id is not None:
        session_history.own_session(session, user, study_session_id)
    found = _target_words(session, user, target_word_ids)
    words = [_target_word(word) for word in found]
    language = found[0].language
    sentence = _sentence(text, language)
    variables = {
        "language_name": language_name(language),
        "native_language_name": language_name(user.native_language),
        "target_words": "\n".join(_word_line(word) for word in words),
        "sentence": sentence,
        "language": language,
        "word_forms": [
            {
                "term": word.term,
                "reading": word.reading,
                "romaji": str((word.parts or {}).get("romaji") or ""),
                "part_of_speech": word.part_of_speech,
                "verb_class": str((word.parts or {}).get("verb_class") or ""),
            }
            for word in found
        ],
    }
    query = " ".join(f"{w.term} {w.meaning}" for w in words)
    result = json_tasks.run_json_task(
        session, user, WRITING_TASK, variables, query=query, language=language
    )
    feedback = result.data if result.offline else _graded(result.data, words)
    submission = WritingSubmission(
        user_id=user.id,
        study_session_id=study_session_id,
        language=language,
        target_words=[word.as_dict() for word in words],
        text=sentence,
        score=feedback["score"],
        feedback=feedback,
        provider=result.provider[:32],
        notice=(result.notice or "")[:300],
    )
    session.add(submission)
    session.flush()
    achievement_events.on_writing_scored(session, user.id)
    return SubmissionView(submission, user.display_name, [])
