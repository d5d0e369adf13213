"""The words a class keeps getting wrong, and a word group made from them for re-teaching.

They are counted with the rest of the class dashboard, in the same pass over the class's
answers (`class_dashboard`); this module holds what one of them is, and makes the group.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from learn_app.models import User, Word, WordGroup
from learn_app.services.content.groups import add_words_to_group, create_group
from learn_app.services.errors import InvalidInput, NotFound
from learn_app.services.study.class_scope import teacher_class

MAX_GROUP_WORDS = 100


@dataclass(frozen=True)
class MissedWord:
    """A word of the class's language answered wrong in the window: most misses first, then
    missed by more learners, then the higher share of the class's answers wrong."""

    word_id: int
    term: str
    reading: str
    meaning: str
    misses: int
    answers: int
    learners_missed: int
    misses_by_learner: dict[int, int] = field(default_factory=dict)

    @property
    def miss_rate(self) -> float:
        """Percent of the class's answers to this word that were wrong."""
        return round(100.0 * self.misses / self.answers, 1) if self.answers else 0.0


def group_from_missed_words(
    session: Session,
    teacher: User,
    class_id: int,
    word_ids: list[int],
    *,
    name: str = "",
    now: datetime | None = None,
) -> WordGroup:
    """A new word group of these words, in the course most of them belong to (of two with as
    many, the course of the word listed first), so the teacher can re-teach them (and assign
    the group). Named after the class unless a name is given."""
    classroom = teacher_class(session, teacher, class_id)
    ids = list(dict.fromkeys(word_ids))
    if not ids:
        raise InvalidInput("Choose at least one word for the group.", field="word_ids")
    if len(ids) > MAX_GROUP_WORDS:
        raise InvalidInput(
            f"A group made from missed words can hold at most {MAX_GROUP_WORDS} words.",
            field="word_ids",
        )
    found = {w.id: w for w in session.exec(select(Word).where(col(Word.id).in_(ids)))}
    words = [found[word_id] for word_id in ids if word_id in found]
    if len(words) != len(ids):
        raise NotFound("One of those words does not exist.", field="word_ids")
    if any(word.language != classroom.language for word in words):
        raise InvalidInput(
            "The group can only hold words of the language the class studies.", field="word_ids"
        )
    courses = Counter(word.course_id for word in words if word.course_id is not None)
    if not courses:
        raise InvalidInput(
            "These words belong to no course, so they can't be put in a group.",
            field="word_ids",
        )
    course_id = courses.most_common(1)[0][0]
    day = (now or datetime.now(UTC)).strftime("%-d %b %Y")
    group = create_group(
        session,
        teacher,
        course_id=course_id,
        name=name.strip() or f"Re-teach: {classroom.name} ({day})"[:120],
        description=f"Words the class {classroom.name} missed most often, as of {day}.",
    )
    add_words_to_group(session, teacher, group.id, ids)
    return group
