"""Study sessions and the answers given in them.

A learner starts a session of an activity on a word group (or, for today's plan, on no group),
answers words in it, and ends it with a summary (sessions as lists and pages show them are in
`session_history`). Each answer is a `review` written in the same transaction as the update of
that word's FSRS `card_state`, so the two never disagree: the caller's transaction commits both
or neither. Learners see and write only their own sessions;
another learner's session is NotFound, exactly like one that does not exist.

Per-word correct/wrong counts over all of a learner's answers are `content.list_words` and
`content.get_word`; this module counts answers within one session.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from fsrs import Card, Scheduler
from sqlalchemy import delete
from sqlmodel import Session, col, func, select

from learn_app.models import (
    CardState,
    LearnerScheduler,
    Review,
    ReviewRating,
    Status,
    StudySession,
    User,
    Word,
    WordGroupMember,
)
from learn_app.services import audit
from learn_app.services.content.common import is_editor
from learn_app.services.content.groups import get_group
from learn_app.services.errors import Conflict, InvalidInput, NotFound
from learn_app.services.study import answer_rows, scheduling
from learn_app.services.study.activities import (  # the latter two re-exported for callers of study
    get_activity,
    get_activity_by_slug,  # noqa: F401
    list_activities,  # noqa: F401
)
from learn_app.services.study.session_history import (
    SESSION_NOT_FOUND,
    SessionSummary,
    session_summary,
    utc_moment,
)
from learn_app.services.study.session_history import (  # re-exported for the speaking package
    own_session as own_session,
)

MAX_RESPONSE_LENGTH = 1000
MAX_LATENCY_MS = 24 * 60 * 60 * 1000

# Work that follows a recorded answer or a session's end, registered by packages that come later
# in the import order (achievements); each listener is called with the database session and the
# new review or the ended session, inside the caller's transaction, and should defer its work.
StudyListener = Callable[[Session, "Review | StudySession"], None]
_study_listeners: list[StudyListener] = []


def on_study_event(listener: StudyListener) -> None:
    """Call `listener` for every review recorded and every session ended from now on."""
    if listener not in _study_listeners:
        _study_listeners.append(listener)


def _announce(session: Session, row: Review | StudySession) -> None:
    for listener in _study_listeners:
        listener(session, row)


# Work that must follow a reset of a learner's history in the same transaction (the counts the
# achievements package keeps from that history), registered the same way.
HistoryResetListener = Callable[[Session, int], None]
_reset_listeners: list[HistoryResetListener] = []


def on_history_reset(listener: HistoryResetListener) -> None:
    """Call `listener` with the learner's id inside every reset of their history from now on."""
    if listener not in _reset_listeners:
        _reset_listeners.append(listener)


@dataclass(frozen=True)
class RecordedReview:
    review: Review
    card: CardState  # the word's card after this answer: card.due is when it comes back


@dataclass(frozen=True)
class StudyProgress:
    total_words_studied: int
    total_available_words: int


@dataclass(frozen=True)
class HistoryReset:
    reviews: int
    sessions: int
    cards: int


# ------------------------------------------------------------------------------ sessions


def start_session(
    session: Session,
    user: User,
    activity_id: int,
    group_id: int | None,
    *,
    word_ids: list[int] | None = None,
    now: datetime | None = None,
) -> StudySession:
    """A new study session of the activity on the group; `group_id=None` studies today's plan,
    or, given `word_ids` (the hardest words on Progress), those words in that order.

    A learner can study a group that holds published words; editors any group.
    """
    activity = get_activity(session, activity_id)
    if group_id is not None:
        get_group(session, group_id)
        if not is_editor(user) and not _has_published_words(session, group_id):
            raise InvalidInput("This group has no words to study yet.", field="group_id")
    chosen = list(dict.fromkeys(int(w) for w in word_ids)) if word_ids else None
    if word_ids is not None and not chosen:
        raise InvalidInput("Choose at least one word to study.", field="word_ids")
    study = StudySession(
        user_id=user.id,
        activity_id=activity.id,
        group_id=group_id,
        word_ids=chosen,
        started_at=utc_moment(now),
    )
    session.add(study)
    session.flush()
    return study


def _has_published_words(session: Session, group_id: int) -> bool:
    return (
        session.exec(
            select(WordGroupMember.id)
            .join(Word, col(Word.id) == col(WordGroupMember.word_id))
            .where(WordGroupMember.group_id == group_id, Word.status == Status.published.value)
            .limit(1)
        ).first()
        is not None
    )


def record_review(
    session: Session,
    user: User,
    study_session_id: int,
    word_id: int,
    *,
    correct: bool,
    rating: str | ReviewRating | None = None,
    response: str = "",
    latency_ms: int | None = None,
    now: datetime | None = None,
) -> RecordedReview:
    """Store one answer and reschedule the word, in the caller's transaction.

    `rating` is the activity's own grade (flashcards); without one it follows from `correct`
    (see `scheduling.rating_for_answer`; a typing answer accepted with a typo passes
    `rating="hard"`). Two tabs answering the same card at once both count: the learner's
    scheduler row, then the card row, are locked until the transaction ends, so the second
    answer is applied to the card the first one left.
    """
    chosen = _answerable(session, user, study_session_id, word_id, correct, rating)
    if latency_ms is not None and latency_ms < 0:
        raise InvalidInput("The answer time can't be negative.", field="latency_ms")
    latency = None if latency_ms is None else min(int(latency_ms), MAX_LATENCY_MS)
    at = utc_moment(now)

    scheduler, counted = scheduling.scheduler_for_review(session, user, word_id)
    card = answer_rows.locked_card(session, user.id, word_id, at, counted)
    stage, elapsed_days, predicted = _memory_before(card, at, scheduler)
    scheduling.apply_review(card, chosen, at, scheduler, latency_ms=latency)
    review = Review(
        session_id=study_session_id,
        user_id=user.id,
        word_id=word_id,
        rating=chosen.value,
        correct=bool(correct),
        response=(response or "")[:MAX_RESPONSE_LENGTH],
        latency_ms=latency,
        reviewed_at=at,
        card_stage=stage,
        elapsed_days=elapsed_days,
        retrievability=predicted,
        stability=card.stability,
        difficulty=card.difficulty,
    )
    answer_rows.write_card(session, card)
    session.add(review)
    session.flush()
    _announce(session, review)
    return RecordedReview(review, card)


def _memory_before(
    card: CardState, at: datetime, scheduler: Scheduler
) -> tuple[str, float | None, float | None]:
    """What the scheduler knew as the answer was given — the card's stage ("new" for a word's
    first answer), the days since its previous answer and FSRS's predicted recall — kept on the
    review for the progress figures (true retention, calibration)."""
    if card.last_review is None or card.reps == 0:
        return "new", None, None
    last = card.last_review if card.last_review.tzinfo else card.last_review.replace(tzinfo=UTC)
    elapsed = max(0.0, (at - last).total_seconds() / 86400)
    predicted = None
    if card.stability:
        predicted = scheduler.get_card_retrievability(
            Card(stability=card.stability, difficulty=card.difficulty, last_review=last), at
        )
    return card.state, elapsed, predicted


def _answerable(
    session: Session,
    user: User,
    study_session_id: int,
    word_id: int,
    correct: bool,
    rating: str | ReviewRating | None,
) -> ReviewRating:
    """The rating to store, once the session is the learner's own and open, the rating fits
    the answer and the word is one they may study — refused in that order, each as
    `own_session`, `resolve_rating` and a word lookup would; one query reads the session and
    the word."""
    found = answer_rows.session_and_word(session, study_session_id, word_id)
    if found is None or found[0] != user.id:
        raise NotFound(SESSION_NOT_FOUND)
    if found[1] is not None:
        raise Conflict("This study session has ended; start a new one to go on.")
    chosen = scheduling.resolve_rating(correct, rating)
    status = found[2]
    if status is None or (status != Status.published.value and not is_editor(user)):
        raise NotFound("That word does not exist.")
    return chosen


def end_session(
    session: Session, user: User, study_session_id: int, *, now: datetime | None = None
) -> SessionSummary:
    """End the session (ending it again changes nothing) and sum it up."""
    study = own_session(session, user, study_session_id)
    if study.ended_at is None:
        study.ended_at = max(utc_moment(now), study.started_at)
        session.add(study)
        session.flush()
        _announce(session, study)
    return session_summary(session, user, study_session_id, now=now)


# ------------------------------------------------------------------------------ progress


def study_progress(session: Session, user: User) -> StudyProgress:
    """Words of the learner's target language they have answered, out of all published ones."""
    in_target_language = (
        Word.language == user.target_language,
        Word.status == Status.published.value,
    )
    studied = session.exec(
        select(func.count())
        .select_from(CardState)
        .join(Word, col(Word.id) == col(CardState.word_id))
        .where(CardState.user_id == user.id, *in_target_language)
    ).one()
    available = session.exec(select(func.count(col(Word.id))).where(*in_target_language)).one()
    return StudyProgress(total_words_studied=int(studied), total_available_words=int(available))


def reset_history(session: Session, user: User, *, ip: str = "") -> HistoryReset:
    """Forget every answer, session and card of the learner, and their fitted parameters; what
    was counted from them goes too (`on_history_reset`: XP, streak, achievements).

    Their settings (daily goal, retention, languages) stay. The scheduler row goes first: it
    is the lock `record_review` takes first, so a reset and an answer never deadlock.
    """
    session.exec(delete(LearnerScheduler).where(col(LearnerScheduler.user_id) == user.id))
    reviews = session.exec(delete(Review).where(col(Review.user_id) == user.id)).rowcount
    sessions = session.exec(
        delete(StudySession).where(col(StudySession.user_id) == user.id)
    ).rowcount
    cards = session.exec(delete(CardState).where(col(CardState.user_id) == user.id)).rowcount
    for listener in _reset_listeners:
        listener(session, user.id)
    audit.record(
        session,
        "study.history_reset",
        user_id=user.id,
        actor_id=user.id,
        ip=ip,
        reviews=reviews,
        sessions=sessions,
        cards=cards,
    )
    return HistoryReset(reviews=reviews, sessions=sessions, cards=cards)
