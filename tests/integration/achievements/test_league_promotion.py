"""A class league's tiers move at the end of each week — once the week has ended in every
learner's time zone — and show on the league: the week's top learner moves up, the bottom one
down, each week once however often the league is looked at."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from learn_app.db import session_scope
from learn_app.models import Classroom, Enrollment, User
from learn_app.services.achievements import leagues

LEAGUE_ON = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday 2 March
TOKYO_MONDAY = datetime(
    2026, 3, 8, 15, 30, tzinfo=UTC
)  # 9 March 00:30 in Tokyo, still Sunday in New York
NEW_YORK_MONDAY = datetime(2026, 3, 9, 4, 30, tzinfo=UTC)  # 9 March 00:30 in New York (EDT)
NEXT_MONDAY = NEW_YORK_MONDAY + timedelta(days=7)


def study(user, start, answer, words, at: datetime, right: int, wrong: int = 0) -> None:
    """Answers in one flashcards session: 10 XP for each right one, 2 for each wrong one."""
    session_id = start(user, at=at)
    for n in range(right + wrong):
        answer(user, session_id, words[n], at=at + timedelta(minutes=n), correct=n < right)


def view(teacher: User, classroom_id: int, at: datetime) -> dict[str, tuple[str, int]]:
    with session_scope() as s:
        league = leagues.class_league(s, s.get(User, teacher.id), classroom_id, now=at)
        s.commit()
    return {row.display_name: (row.tier_name, row.moved) for row in league.rows}


def test_tiers_move_when_the_week_has_ended_everywhere_and_once(
    make_learner, teacher, words, start, answer
) -> None:
    tokyo = make_learner(display_name="Tomo", timezone="Asia/Tokyo")
    new_york = make_learner(display_name="Nia", timezone="America/New_York")
    ana, ben, cai = (make_learner(display_name=name) for name in ("Ana", "Ben", "Cai"))
    with session_scope() as s:
        classroom = Classroom(teacher_id=teacher.id, name="Japanese 1", language="ja")
        s.add(classroom)
        s.flush()
        for learner in (tokyo, new_york, ana, ben, cai):
            s.add(Enrollment(classroom_id=classroom.id, learner_id=learner.id))
        leagues.set_league(s, s.get(User, teacher.id), classroom.id, True, now=LEAGUE_ON)
        s.commit()
        classroom_id = classroom.id

    # The week of 2 March, each in their own zone. Nia's answers at 23:30 on Sunday in
    # New York (03:30 on Monday in UTC) still count for it, and put her on top.
    study(tokyo, start, answer, words, datetime(2026, 3, 3, 10, tzinfo=UTC), 3)
    study(new_york, start, answer, words, datetime(2026, 3, 9, 3, 30, tzinfo=UTC), 4)
    study(ana, start, answer, words, datetime(2026, 3, 4, 10, tzinfo=UTC), 2)
    study(ben, start, answer, words, datetime(2026, 3, 5, 10, tzinfo=UTC), 1)

    # Monday has come in Tokyo but not in New York: nothing has moved yet.
    assert set(view(teacher, classroom_id, TOKYO_MONDAY).values()) == {("Bronze", 0)}

    settled = view(teacher, classroom_id, NEW_YORK_MONDAY)
    assert settled["Nia"] == ("Silver", 1)
    assert settled["Cai"] == ("Bronze", 0)  # last, but Bronze is the lowest tier
    assert [settled[name] for name in ("Tomo", "Ana", "Ben")] == [("Bronze", 0)] * 3
    assert view(teacher, classroom_id, NEW_YORK_MONDAY + timedelta(hours=5)) == settled

    # The week of 9 March: Tomo leads, Nia earns nothing and goes back down.
    study(tokyo, start, answer, words, datetime(2026, 3, 10, 1, tzinfo=UTC), 5)
    study(ana, start, answer, words, datetime(2026, 3, 11, 10, tzinfo=UTC), 2)
    study(ben, start, answer, words, datetime(2026, 3, 12, 10, tzinfo=UTC), 1)
    study(cai, start, answer, words, datetime(2026, 3, 13, 10, tzinfo=UTC), 0, wrong=1)

    week_two = view(teacher, classroom_id, NEXT_MONDAY)
    assert week_two["Tomo"] == ("Silver", 1)
    assert week_two["Nia"] == ("Bronze", -1)
    assert [week_two[name] for name in ("Ana", "Ben", "Cai")] == [("Bronze", 0)] * 3


def test_the_league_states_its_rule_for_the_class_size(make_learner, teacher) -> None:
    learners = [make_learner(display_name=f"L{n}") for n in range(3)]
    with session_scope() as s:
        classroom = Classroom(teacher_id=teacher.id, name="Small class", language="ja")
        s.add(classroom)
        s.flush()
        for learner in learners:
            s.add(Enrollment(classroom_id=classroom.id, learner_id=learner.id))
        leagues.set_league(s, s.get(User, teacher.id), classroom.id, True, now=LEAGUE_ON)
        s.commit()
        league = leagues.class_league(s, s.get(User, teacher.id), classroom.id, now=LEAGUE_ON)
    assert (league.moving_up, league.moving_down) == (1, 0)
    assert league.rule == (
        "When the week has ended in everyone's time zone, the top 1 moves up a tier and "
        "nobody moves down in a class of under five (Bronze to Diamond)."
    )
