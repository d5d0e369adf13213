"""Course levels: three groups a level, passed when 90% of its words are remembered for a week,
which opens the next level for a learner who follows levels."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session

from learn_app.models import CardState, Course, Word, WordGroup, WordGroupMember
from learn_app.services.achievements import goals, levels


def a_course_of_four_groups(session: Session) -> list[list[int]]:
    course = Course(slug="ja-levels", language="ja", title="Levels course")
    session.add(course)
    session.flush()
    groups = []
    for g in range(4):
        group = WordGroup(course_id=course.id, slug=f"g{g}", language="ja", name=f"Group {g}")
        session.add(group)
        session.flush()
        ids = []
        for n in range(5):
            word = Word(
                course_id=course.id, language="ja", term=f"語{g}-{n}", reading="ご", meaning="w"
            )
            session.add(word)
            session.flush()
            session.add(WordGroupMember(group_id=group.id, word_id=word.id, position=n))
            ids.append(word.id)
        groups.append(ids)
    session.commit()
    return groups


def remember(session: Session, user_id: int, word_ids: list[int], stability: float) -> None:
    at = datetime(2026, 3, 1, tzinfo=UTC)
    for word_id in word_ids:
        session.add(
            CardState(
                user_id=user_id, word_id=word_id, stability=stability, due=at, introduced_at=at
            )
        )
    session.commit()


def test_a_level_passes_at_90_percent_of_words_strong_and_opens_the_next(session, learner) -> None:
    groups = a_course_of_four_groups(session)
    level_one = [w for g in groups[:3] for w in g]  # 15 words: 14 must be strong
    remember(session, learner.id, level_one[:13], 7.0)
    remember(session, learner.id, level_one[13:14], 6.9)
    (course,) = levels.course_levels(session, learner)
    first, second = course.levels
    assert [len(first.groups), len(second.groups)] == [3, 1]
    assert (first.words, first.strong_words, first.needed, first.passed) == (15, 13, 14, False)
    assert (second.unlocked, course.current) == (False, 1)

    remember(session, learner.id, level_one[14:], 7.0)
    (course,) = levels.course_levels(session, learner)
    assert course.levels[0].passed and course.levels[1].unlocked
    assert course.current == 2
    assert course.open_group_ids == {g for lv in course.levels for g in (x.id for x in lv.groups)}


def test_following_levels_is_a_setting_of_the_learner(session, learner) -> None:
    a_course_of_four_groups(session)
    assert levels.course_levels(session, learner)[0].follow_levels is False
    goals.set_follow_levels(session, learner, True)
    session.commit()
    assert levels.course_levels(session, learner)[0].follow_levels is True


def test_true_retention_counts_answers_to_cards_past_their_learning_steps(
    session, learner, words
) -> None:
    """200 answers to review-stage cards in 30 days, 90% right, meet a 90% target; 199 do not,
    nor answers to new or learning cards, nor older ones."""
    from datetime import timedelta

    from learn_app.models import Review
    from learn_app.services.achievements.measures import retention

    now = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)

    def answers(count: int, *, right: int, stage: str, days_ago: float) -> None:
        for n in range(count):
            session.add(
                Review(
                    user_id=learner.id,
                    word_id=words[n % len(words)],
                    rating="good" if n < right else "again",
                    correct=n < right,
                    card_stage=stage,
                    reviewed_at=now - timedelta(days=days_ago),
                )
            )
        session.commit()

    answers(199, right=180, stage="review", days_ago=29.9)
    answers(40, right=0, stage="learning", days_ago=1)
    answers(40, right=0, stage="review", days_ago=30.1)
    kept = retention(session, learner, now=now)
    assert (kept.reviews, kept.correct, kept.met) == (199, 180, False)
    answers(1, right=0, stage="review", days_ago=0)
    kept = retention(session, learner, now=now)
    assert (kept.reviews, kept.correct, kept.met) == (200, 180, True)
