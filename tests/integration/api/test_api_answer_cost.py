"""An answer over REST is cheap — a few statements, one commit — and stores exactly what the
scheduler, the Progress day tables, the XP ledger and the metrics say it should."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

import httpx
import pytest
from sqlalchemy import event, text
from sqlmodel import col, select

from learn_app.db import get_engine
from learn_app.models import CardState, Review, User
from learn_app.models.achievements import LearnerMotivation, XpEntry
from learn_app.services.study import scheduling

pytestmark = pytest.mark.integration

# What one answer sends, BEGIN and COMMIT aside: the caller, the session and word, the learner's
# scheduler row counted with the card locked (and, for a word's first answer, the card's
# creation), the card's update, the review, and the counting of the answer.
STATEMENTS_PER_ANSWER = 6
STATEMENTS_PER_FIRST_ANSWER_TO_A_WORD = 7


@pytest.fixture
def animals(learner, content, launch):
    return launch(learner, content.groups["animals"])


@dataclass
class Sent:
    statements: list[str] = field(default_factory=list)
    commits: int = 0


@contextmanager
def statements_sent() -> Iterator[Sent]:
    """What the portal's engine sends meanwhile (the API is served in this process)."""
    sent = Sent()
    engine = get_engine()

    def statement(_conn, _cursor, sql, *_args) -> None:  # type: ignore[no-untyped-def]
        sent.statements.append(sql)

    def commit(_conn) -> None:  # type: ignore[no-untyped-def]
        sent.commits += 1

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", commit)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "commit", commit)


def test_an_answer_sends_at_most_six_statements_and_commits_once(
    learner, content, animals, answer
) -> None:
    cat, dog = content.words["猫"], content.words["犬"]
    assert answer(learner, animals["id"], cat).status_code == 201  # the day and card exist now

    with statements_sent() as again:
        assert answer(learner, animals["id"], cat, rating="easy").status_code == 201
    with statements_sent() as first:
        assert answer(learner, animals["id"], dog, correct=False).status_code == 201

    assert len(again.statements) <= STATEMENTS_PER_ANSWER, again.statements
    assert len(first.statements) <= STATEMENTS_PER_FIRST_ANSWER_TO_A_WORD, first.statements
    assert again.commits == first.commits == 1


def metric(client: httpx.Client, rating: str) -> float:
    found = re.search(
        rf'^learn_app_reviews_recorded_total\{{rating="{rating}"\}} (\S+)$',
        client.get("/metrics").text,
        re.MULTILINE,
    )
    return float(found.group(1)) if found else 0.0


def test_answers_store_the_cards_fsrs_gives_and_are_counted_once_everywhere(
    client, session, learner, content, animals, answer
) -> None:
    cat, dog = content.words["猫"], content.words["犬"]
    given = [
        (cat, {"correct": True, "rating": "good", "latency_ms": 2300, "response": "cat"}),
        (dog, {"correct": False, "latency_ms": 70000}),
        (cat, {"correct": True, "rating": "hard"}),
        (dog, {"correct": True, "rating": "easy", "latency_ms": 900}),
        (cat, {"correct": True, "rating": "easy", "response": "neko"}),
    ]
    good_before = metric(client, "good")

    replies = []
    for word_id, body in given:
        reply = answer(learner, animals["id"], word_id, **body)
        assert reply.status_code == 201, reply.text
        replies.append(reply.json())

    user = session.get(User, learner.id)
    reviews = session.exec(
        select(Review).where(Review.user_id == learner.id).order_by(col(Review.id))
    ).all()
    assert [r.id for r in reviews] == [reply["id"] for reply in replies]
    assert [(r.word_id, r.rating, r.correct, r.latency_ms, r.response) for r in reviews] == [
        (cat, "good", True, 2300, "cat"),
        (dog, "again", False, 70000, ""),
        (cat, "hard", True, None, ""),
        (dog, "easy", True, 900, ""),
        (cat, "easy", True, None, "neko"),
    ]
    assert {r.session_id for r in reviews} == {animals["id"]}

    # Each word's card is what FSRS makes of its answers, replayed; so is what each review
    # kept of the memory before it.
    scheduler = scheduling.build_scheduler(user.desired_retention)
    for word_id in (cat, dog):
        mine = [
            (r, reply) for r, reply in zip(reviews, replies, strict=True) if r.word_id == word_id
        ]
        first_at = mine[0][0].reviewed_at
        replayed = CardState(
            user_id=learner.id, word_id=word_id, state="learning", step=0, due=first_at,
            reps=0, lapses=0, introduced_at=first_at,
        )  # fmt: skip
        for n, (review, reply) in enumerate(mine):
            assert review.card_stage == ("new" if n == 0 else replayed.state)
            assert (review.elapsed_days is None) == (n == 0)
            scheduling.apply_review(
                replayed, scheduling.resolve_rating(review.correct, review.rating),
                review.reviewed_at, scheduler, latency_ms=review.latency_ms,
            )  # fmt: skip
            assert (review.stability, review.difficulty) == (
                replayed.stability,
                replayed.difficulty,
            )
            assert datetime.fromisoformat(reply["next_review_at"]) > review.reviewed_at
        stored = session.get(CardState, (learner.id, word_id))
        assert stored is not None
        assert (stored.state, stored.step, stored.stability, stored.difficulty) == (
            replayed.state,
            replayed.step,
            replayed.stability,
            replayed.difficulty,
        )
        # The due time is fuzzed (FSRS spreads reviews out), so it is the last reply's.
        assert (stored.due, stored.last_review, stored.reps, stored.lapses) == (
            datetime.fromisoformat(mine[-1][1]["next_review_at"]),
            replayed.last_review,
            len(mine),
            replayed.lapses,
        )

    # The Progress day tables, the XP ledger, the running counts and the metrics count each
    # answer once.
    def one(sql: str) -> tuple:
        return tuple(session.execute(text(sql), {"u": learner.id}).one())

    assert one(
        "SELECT sum(answers), sum(correct), sum(ms_sum), sum(ms_n) FROM review_day_count"
        " WHERE user_id = :u"
    ) == one(  # as the Progress page counts the answers themselves
        "SELECT count(*), count(*) FILTER (WHERE correct),"
        " sum(least(latency_ms, 60000)) FILTER (WHERE latency_ms IS NOT NULL),"
        " count(latency_ms) FROM review WHERE user_id = :u"
    )
    assert one("SELECT sum(answers), sum(correct) FROM review_day_session WHERE user_id = :u") == (
        5,
        4,
    )
    latest = session.execute(
        text("SELECT word_id, review_id FROM review_word_latest WHERE user_id = :u"),
        {"u": learner.id},
    ).all()
    assert dict(latest) == {cat: reviews[4].id, dog: reviews[3].id}
    ledger = session.exec(select(XpEntry.review_id).where(XpEntry.user_id == learner.id)).all()
    assert sorted(ledger) == [r.id for r in reviews]
    motivation = session.get(LearnerMotivation, learner.id)
    assert motivation is not None and motivation.total_reviews == 5
    assert metric(client, "good") == good_before + 1


@pytest.mark.parametrize("token", [None, "not-a-token"])
def test_an_answer_without_a_valid_token_is_a_401_whatever_its_body(
    client, content, animals, token
) -> None:
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    response = client.post(
        f"/api/study_sessions/{animals['id']}/words/{content.words['猫']}/review",
        json={"correct": "perhaps"},
        headers=headers,
    )

    assert response.status_code == 401


def test_many_answers_at_once_all_get_their_answer_and_are_stored_once(
    api_url, session, learner, content, animals
) -> None:
    """Answers take turns in a few worker threads (`deps.ANSWER_THREADS`); 60 sent at once,
    15 times as many, are all taken, none lost or doubled."""
    import asyncio

    words = [content.words["猫"], content.words["犬"]]  # the same two cards, locked in turn

    async def all_at_once() -> list[int]:
        limits = httpx.Limits(max_connections=60)
        async with httpx.AsyncClient(
            base_url=api_url, limits=limits, timeout=60, trust_env=False
        ) as http:
            replies = await asyncio.gather(
                *(
                    http.post(
                        f"/api/study_sessions/{animals['id']}/words/{words[n % len(words)]}/review",
                        json={"correct": True, "response": f"at once {n}"},
                        headers=learner.headers,
                    )
                    for n in range(60)
                )
            )
        return [reply.status_code for reply in replies]

    assert asyncio.run(all_at_once()) == [201] * 60
    stored = session.exec(select(Review.response).where(Review.user_id == learner.id)).all()
    assert sorted(stored) == sorted(f"at once {n}" for n in range(60))
