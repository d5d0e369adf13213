"""Course levels, as WaniKani has them: a level is passed when 90% of its words are remembered
for a week (FSRS stability of 7 days or more), and passing it opens the next.

A course's levels are its groups in course order, `GROUPS_PER_LEVEL` at a time. Unlocking is
advice: a learner who follows levels sees the groups of a level not yet open as locked, but
nothing stops them studying any group.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_
from sqlmodel import Session, col, select

from learn_app.models import CardState, Course, Status, User, Word, WordGroup, WordGroupMember
from learn_app.services.achievements import progress

GROUPS_PER_LEVEL = 3
PASS_SHARE = 0.9
PASS_STABILITY_DAYS = 7.0


@dataclass(frozen=True)
class LevelGroup:
    id: int
    name: str


@dataclass(frozen=True)
class Level:
    number: int
    groups: list[LevelGroup]
    words: int
    strong_words: int  # stability of 7 days or more
    unlocked: bool

    @property
    def needed(self) -> int:
        """Words that must be strong to pass: 90% of the level's words, rounded up."""
        return -(-self.words * int(PASS_SHARE * 100) // 100)

    @property
    def passed(self) -> bool:
        return self.words > 0 and self.strong_words >= self.needed

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.strong_words / self.needed)) if self.needed else 0


@dataclass(frozen=True)
class CourseLevels:
    course_id: int
    title: str
    levels: list[Level]
    follow_levels: bool

    @property
    def current(self) -> int:
        """The first level not passed (the last one when all are)."""
        return next((lv.number for lv in self.levels if not lv.passed), len(self.levels))

    @property
    def open_group_ids(self) -> set[int]:
        """Groups a learner following levels is advised to study: those of open levels."""
        return {g.id for lv in self.levels if lv.unlocked for g in lv.groups}


def course_levels(session: Session, user: User) -> list[CourseLevels]:
    """The levels of every course in the language the learner studies."""
    follow = progress.read_state(session, user.id or 0).follow_levels
    courses = session.exec(
        select(Course.id, Course.title)
        .where(Course.language == user.target_language)
        .order_by(col(Course.title), col(Course.id))
    ).all()
    if not courses:
        return []
    course_ids = [course_id for course_id, _ in courses]
    groups = session.exec(
        select(WordGroup.id, WordGroup.course_id, WordGroup.name)
        .where(col(WordGroup.course_id).in_(course_ids))
        .order_by(col(WordGroup.course_id), col(WordGroup.id))
    ).all()
    members = session.exec(
        select(WordGroupMember.group_id, Word.id, CardState.stability)
        .join(Word, col(Word.id) == col(WordGroupMember.word_id))
        .join(
            CardState,
            and_(col(CardState.word_id) == col(Word.id), col(CardState.user_id) == user.id),
            isouter=True,
        )
        .where(
            col(WordGroupMember.group_id).in_([g for g, _, _ in groups]),
            Word.status == Status.published.value,
        )
    ).all()
    words_of: dict[int, dict[int, float]] = {}
    for group_id, word_id, stability in members:
        words_of.setdefault(group_id, {})[word_id] = float(stability or 0.0)
    found = []
    for course_id, title in courses:
        course_groups = [LevelGroup(g, name) for g, c, name in groups if c == course_id]
        levels: list[Level] = []
        for start in range(0, len(course_groups), GROUPS_PER_LEVEL):
            chunk = course_groups[start : start + GROUPS_PER_LEVEL]
            words: dict[int, float] = {}
            for group in chunk:
                words.update(words_of.get(group.id, {}))
            unlocked = not levels or levels[-1].passed
            levels.append(
                Level(
                    number=len(levels) + 1,
                    groups=chunk,
                    words=len(words),
                    strong_words=sum(1 for s in words.values() if s >= PASS_STABILITY_DAYS),
                    unlocked=unlocked,
                )
            )
        if levels:
            found.append(CourseLevels(course_id, title, levels, follow))
    return found
