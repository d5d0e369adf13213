"""Everything the portal stores about one person, as JSON they can download (and their answers
as CSV): the right to a copy of one's data, without asking an admin.

Secrets are left out (the password hash, the id a sign-in token is checked against, the hash
of an API token); recorded speech is described (length, score) rather than embedded, so the
file stays small.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy import inspect as sql_inspect
from sqlmodel import Session, SQLModel, col, select

from learn_app.models import (
    AccessToken,
    Assignment,
    AuthSession,
    CardState,
    Classroom,
    Enrollment,
    LearnerMotivation,
    LearnerScheduler,
    LlmCall,
    PronunciationAttempt,
    Review,
    StreakFreezeUse,
    StudySession,
    TutorConversation,
    TutorMessage,
    User,
    UserAchievement,
    VacationPeriod,
    Word,
    WritingComment,
    WritingSubmission,
    XpEntry,
)
from learn_app.models.base import utcnow

FORMAT_VERSION = 1
LEFT_OUT = {
    User: {"password_hash", "failed_logins", "locked_until"},
    AuthSession: {"id"},
    AccessToken: {"secret_hash"},
    PronunciationAttempt: {"audio", "features"},
}
# Tables holding rows of one person, by the column that names them.
OWN_ROWS: dict[str, tuple[type[SQLModel], Any]] = {
    "study_sessions": (StudySession, StudySession.user_id),
    "reviews": (Review, Review.user_id),
    "card_states": (CardState, CardState.user_id),
    "scheduler": (LearnerScheduler, LearnerScheduler.user_id),
    "writing_submissions": (WritingSubmission, WritingSubmission.user_id),
    "tutor_conversations": (TutorConversation, TutorConversation.user_id),
    "achievements": (UserAchievement, UserAchievement.user_id),
    "xp": (XpEntry, XpEntry.user_id),
    "motivation": (LearnerMotivation, LearnerMotivation.user_id),
    "streak_freezes_used": (StreakFreezeUse, StreakFreezeUse.user_id),
    "vacations": (VacationPeriod, VacationPeriod.user_id),
    "speaking_attempts": (PronunciationAttempt, PronunciationAttempt.user_id),
    "model_calls": (LlmCall, LlmCall.user_id),
    "sign_in_sessions": (AuthSession, AuthSession.user_id),
    "api_tokens": (AccessToken, AccessToken.user_id),
    "class_memberships": (Enrollment, Enrollment.learner_id),
}


def _row(row: SQLModel) -> dict[str, Any]:
    return row.model_dump(mode="json", exclude=LEFT_OUT.get(type(row), set()))


def export_data(session: Session, user: User) -> dict[str, Any]:
    """A JSON-ready dict of everything stored about `user`."""
    data: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "exported_at": utcnow().isoformat(),
        "profile": _row(user),
    }
    for name, (table, column) in OWN_ROWS.items():
        order = sql_inspect(table).primary_key  # oldest first, as stored
        rows = session.exec(select(table).where(column == user.id).order_by(*order)).all()
        data[name] = [_row(r) for r in rows]
    conversation_ids = [c["id"] for c in data["tutor_conversations"]]
    messages = session.exec(
        select(TutorMessage)
        .where(col(TutorMessage.conversation_id).in_(conversation_ids))
        .order_by(col(TutorMessage.id))
    ).all()
    by_conversation: dict[int, list[dict[str, Any]]] = {}
    for message in messages:
        by_conversation.setdefault(message.conversation_id, []).append(_row(message))
    for conversation in data["tutor_conversations"]:
        conversation["messages"] = by_conversation.get(conversation["id"], [])
    submission_ids = [s["id"] for s in data["writing_submissions"]]
    data["writing_comments"] = [
        _row(c)
        for c in session.exec(
            select(WritingComment)
            .where(col(WritingComment.submission_id).in_(submission_ids))
            .order_by(col(WritingComment.id))
        )
    ]
    class_ids = [m["classroom_id"] for m in data["class_memberships"]]
    data["classes"] = [
        {"id": c.id, "name": c.name, "language": c.language}
        for c in session.exec(
            select(Classroom).where(col(Classroom.id).in_(class_ids)).order_by(col(Classroom.id))
        )
    ]
    data["assignments"] = [
        _row(a)
        for a in session.exec(
            select(Assignment)
            .where(col(Assignment.classroom_id).in_(class_ids))
            .order_by(col(Assignment.id))
        )
    ]
    return data


REVIEW_COLUMNS = (
    "reviewed_at",
    "word_id",
    "term",
    "reading",
    "meaning",
    "correct",
    "rating",
    "response",
    "session_id",
)


def reviews_csv(session: Session, user: User) -> str:
    """Every answer the person gave, oldest first, with the word it was about."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(REVIEW_COLUMNS)
    rows = session.exec(
        select(Review, Word)
        .join(Word, col(Word.id) == col(Review.word_id))
        .where(Review.user_id == user.id)
        .order_by(col(Review.reviewed_at), col(Review.id))
    )
    for review, word in rows:
        writer.writerow(
            [
                review.reviewed_at.isoformat(),
                review.word_id,
                word.term,
                word.reading,
                word.meaning,
                "yes" if review.correct else "no",
                review.rating,
                review.response,
                review.session_id if review.session_id is not None else "",
            ]
        )
    return out.getvalue()
