"""Study sessions and the answers given in them.

A learner starts a session of an activity on a word group (or, for today's plan, on no group),
answers words in it, and ends it with a summary. Each answer is a `review` written in the same
transaction as the update of that word's FSRS `card_state`, so the two never disagree: the
caller's transaction commits both or neither. Learners see and write only their own sessions;
another learner's session is NotFound, exactly like one that does not exist.

Per-word correct/wrong counts over all of a learner's answers are `content.list_words` and
`content.get_word`; this module counts answers within one session.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fsrs import Card, Scheduler
from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, col, func, select

from learn_app.models import (
    CardStage,
    CardState,
    LearnerScheduler,
    Review,
    ReviewRating,
    Status,
    StudyActivity,
    StudySession,
    User,
    Word,
    WordGroup,
    WordGroupMember,
)
from learn_app.models.base import utcnow
from learn_app.services import audit
from learn_app.services.content.common import is_editor
from learn_app.services.content.groups import get_group
from learn_app.services.errors import Conflict, InvalidInput, NotFound
from learn_app.services.paging import MAX_PAGE_SIZE, Page
from learn_app.services.study import scheduling
from learn_app.services.study.activities import (  # the latter two re-exported for callers of study
    get_activity,
    get_activity_by_slug,  # noqa: F401
    list_activities,  # noqa: F401
)

MAX_RESPONSE_LENGTH = 1000
MAX_LATENCY_MS = 24 * 60 * 60 * 1000
# Headings of a session without a group: today's plan, or the words chosen on Progress.
TODAYS_PLAN = "Today's plan"
HARDEST_WORDS = "Hardest words"

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
class SessionRow:
    """One study session as the sessions list shows it."""

    id: int
    activity_id: int
    activity_name: str
    activity_slug: str
    group_id: int | None
    group_name: str | None
    started_at: datetime
    ended_at: datetime | None
    review_count: int
    correct_count: int
    chosen_words: bool = False  # the session works through words chosen on Progress

    @property
    def heading(self) -> str:
        """What the session studied, as a page heads it (`session_heading`)."""
        if self.group_id is not None and self.group_name:
            return self.group_name
        return HARDEST_WORDS if self.chosen_words else TODAYS_PLAN

    @property
    def wrong_count(self) -> int:
        return self.review_count - self.correct_count

    @property
    def accuracy(self) -> float:
        """Percent of answers right, one decimal; 0 for a session with no answers."""
        if not self.review_count:
            return 0.0
        return round(100.0 * self.correct_count / self.review_count, 1)


@dataclass(frozen=True)
class SessionWord:
    """A word answered in a session, with how often it was answered right and wrong there."""

    word_id: int
    term: str
    reading: str
    meaning: str
    correct: int
    wrong: int
    romaji: str = ""
    language: str = ""


@dataclass(frozen=True)
class SessionDetail:
    session: SessionRow
    words: list[SessionWord]  # in the order they were first answered


@dataclass(frozen=True)
class SessionSummary:
    session: SessionRow
    duration_seconds: int
    # Words answered wrong at least once, the most often missed first.
    words_to_review: list[SessionWord]

    @property
    def accuracy(self) -> float:
        return self.session.accuracy


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
        started_at=_moment(now),
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


def session_heading(study: StudySession, group_name: str | None = None) -> str:
    """What a session studies, as its pages head it: its group (`group_name`), the hardest
    words a learner chose to study on Progress, or today's plan."""
    if study.group_id is not None and group_name:
        return group_name
    return HARDEST_WORDS if study.word_ids else TODAYS_PLAN


def own_session(session: Session, user: User, study_session_id: int) -> StudySession:
    """The learner's study session; NotFound for anyone else's."""
    study = session.get(StudySession, study_session_id)
    if study is None or study.user_id != user.id:
        raise NotFound("That study session does not exist.")
    return study


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
    study = own_session(session, user, study_session_id)
    if study.ended_at is not None:
        raise Conflict("This study session has ended; start a new one to go on.")
    chosen = scheduling.resolve_rating(correct, rating)
    _require_studyable_word(session, user, word_id)
    if latency_ms is not None and latency_ms < 0:
        raise InvalidInput("The answer time can't be negative.", field="latency_ms")
    latency = None if latency_ms is None else min(int(latency_ms), MAX_LATENCY_MS)
    at = _moment(now)

    scheduler = scheduling.scheduler_for_review(session, user)
    card = _locked_card(session, user.id, word_id, at)
    stage, elapsed_days, predicted = _memory_before(card, at, scheduler)
    scheduling.apply_review(card, chosen, at, scheduler, latency_ms=latency)
    review = Review(
        session_id=study.id,
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
    session.add(card)
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


def _require_studyable_word(session: Session, user: User, word_id: int) -> None:
    status = session.exec(select(Word.status).where(Word.id == word_id)).first()
    if status is None or (status != Status.published.value and not is_editor(user)):
        raise NotFound("That word does not exist.")


def _locked_card(session: Session, user_id: int, word_id: int, at: datetime) -> CardState:
    """The learner's card for the word, locked for this transaction; created on first answer."""
    query = (
        select(CardState)
        .where(CardState.user_id == user_id, CardState.word_id == word_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    card = session.exec(query).first()
    if card is None:
        session.exec(
            insert(CardState)
            .values(
                user_id=user_id,
                word_id=word_id,
                state=CardStage.learning.value,
                step=0,
                due=at,
                reps=0,
                lapses=0,
                introduced_at=at,
            )
            .on_conflict_do_nothing()
        )
        card = session.exec(query).one()
    return card


def end_session(
    session: Session, user: User, study_session_id: int, *, now: datetime | None = None
) -> SessionSummary:
    """End the session (ending it again changes nothing) and sum it up."""
    study = own_session(session, user, study_session_id)
    if study.ended_at is None:
        study.ended_at = max(_moment(now), study.started_at)
        session.add(study)
        session.flush()
        _announce(session, study)
    return session_summary(session, user, study_session_id, now=now)


def session_summary(
    session: Session, user: User, study_session_id: int, *, now: datetime | None = None
) -> SessionSummary:
    """Accuracy, time spent (until now, while the session is open) and the words missed."""
    row = session_row(session, user, study_session_id)
    end = row.ended_at or _moment(now)
    words = _session_words(session, study_session_id)
    return SessionSummary(
        session=row,
        duration_seconds=max(0, int((end - row.started_at).total_seconds())),
        words_to_review=sorted((w for w in words if w.wrong), key=lambda w: -w.wrong),
    )


def list_sessions(
    session: Session,
    user: User,
    *,
    activity_id: int | None = None,
    group_id: int | None = None,
    page: int = 1,
    per_page: int = 20,
) -> Page:
    """The learner's sessions, newest first, as `SessionRow`s; filter by activity or group."""
    page, per_page = max(1, page), min(max(1, per_page), MAX_PAGE_SIZE)
    conditions: list[Any] = [StudySession.user_id == user.id]
    if activity_id is not None:
        conditions.append(StudySession.activity_id == activity_id)
    if group_id is not None:
        conditions.append(StudySession.group_id == group_id)
    total = session.exec(select(func.count(col(StudySession.id))).where(*conditions)).one()
    rows = _session_rows(session, *conditions, limit=per_page, offset=(page - 1) * per_page)
    return Page(rows, page, per_page, int(total))


def get_session(session: Session, user: User, study_session_id: int) -> SessionDetail:
    """The session with every word answered in it, right and wrong counted."""
    row = session_row(session, user, study_session_id)
    return SessionDetail(row, _session_words(session, study_session_id))


def session_row(session: Session, user: User, study_session_id: int) -> SessionRow:
    """The learner's session with its answers counted, without the words."""
    own_session(session, user, study_session_id)
    (row,) = _session_rows(session, StudySession.id == study_session_id, limit=1)
    return row


def session_words(
    session: Session, user: User, study_session_id: int, *, page: int = 1, per_page: int = 100
) -> Page:
    """The words answered in the learner's session, in the order first answered, a page at a
    time, as `SessionWord`s."""
    own_session(session, user, study_session_id)
    page, per_page = max(1, page), min(max(1, per_page), MAX_PAGE_SIZE)
    total = session.exec(
        select(func.count(func.distinct(Review.word_id))).where(
            Review.session_id == study_session_id
        )
    ).one()
    words = _session_words(session, study_session_id, limit=per_page, offset=(page - 1) * per_page)
    return Page(words, page, per_page, int(total))


def last_session(session: Session, user: User) -> SessionRow | None:
    """The learner's most recently started session, or None before their first."""
    rows = _session_rows(session, StudySession.user_id == user.id, limit=1)
    return rows[0] if rows else None


def _session_rows(
    session: Session, *conditions: Any, limit: int, offset: int = 0
) -> list[SessionRow]:
    """Sessions newest first, one page of them, with their answers counted in SQL."""
    newest_first = (col(StudySession.started_at).desc(), col(StudySession.id).desc())
    paged = (
        select(StudySession.id)
        .where(*conditions)
        .order_by(*newest_first)
        .offset(offset)
        .limit(limit)
        .subquery()
    )
    correct = func.count(col(Review.id)).filter(col(Review.correct))
    rows = session.exec(
        select(  # type: ignore[call-overload]
            StudySession,
            StudyActivity.name,
            StudyActivity.slug,
            WordGroup.name,
            func.count(col(Review.id)),
            correct,
        )
        .join(paged, paged.c.id == col(StudySession.id))
        .join(StudyActivity, col(StudyActivity.id) == col(StudySession.activity_id))
        .join(WordGroup, col(WordGroup.id) == col(StudySession.group_id), isouter=True)
        .join(Review, col(Review.session_id) == col(StudySession.id), isouter=True)
        .group_by(col(StudySession.id), col(StudyActivity.id), col(WordGroup.id))
        .order_by(*newest_first)
    ).all()
    return [
        SessionRow(
            id=study.id,
            activity_id=study.activity_id,
            activity_name=activity_name,
            activity_slug=activity_slug,
            group_id=study.group_id,
            group_name=group_name,
            started_at=study.started_at,
            ended_at=study.ended_at,
            review_count=int(total),
            correct_count=int(right),
            chosen_words=bool(study.word_ids),
        )
        for study, activity_name, activity_slug, group_name, total, right in rows
    ]


def _session_words(
    session: Session, study_session_id: int, *, limit: int | None = None, offset: int = 0
) -> list[SessionWord]:
    first_answer = func.min(col(Review.id))
    rows = session.exec(
        select(  # type: ignore[call-overload]
            Word.id,
            Word.term,
            Word.reading,
            Word.meaning,
            func.count(col(Review.id)).filter(col(Review.correct)),
            func.count(col(Review.id)).filter(~col(Review.correct)),
            func.coalesce(Word.parts["romaji"].as_string(), ""),
            Word.language,
        )
        .join(Review, col(Review.word_id) == col(Word.id))
        .where(Review.session_id == study_session_id)
        .group_by(col(Word.id))
        .order_by(first_answer, col(Word.id))
        .offset(offset)
        .limit(limit)
    ).all()
    return [
        SessionWord(word_id, term, reading, meaning, int(right), int(wrong), romaji, language)
        for word_id, term, reading, meaning, right, wrong, romaji, language in rows
    ]


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


def _moment(now: datetime | None) -> datetime:
    if now is None:
        return utcnow()
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)
