"""SQLModel tables, one module per aggregate. Importing this package registers them all."""

from learn_app.models.audit import AuditEvent
from learn_app.models.classes import Classroom, Enrollment
from learn_app.models.content import (
    Course,
    Document,
    RagSource,
    Status,
    Word,
    WordGroup,
    WordGroupMember,
)
from learn_app.models.study import (
    ActivityKind,
    CardStage,
    CardState,
    LearnerScheduler,
    Review,
    ReviewRating,
    StudyActivity,
    StudySession,
)
from learn_app.models.tutor import CallOutcome, LlmCall, TutorConversation, TutorMessage
from learn_app.models.users import AuthSession, Role, User
from learn_app.models.writing import ExampleDraft, WritingComment, WritingSubmission

TABLES = (
    User,
    AuthSession,
    AuditEvent,
    Course,
    Word,
    WordGroup,
    WordGroupMember,
    Document,
    RagSource,
    StudyActivity,
    StudySession,
    Review,
    CardState,
    LearnerScheduler,
    Classroom,
    Enrollment,
    LlmCall,
    TutorConversation,
    TutorMessage,
    WritingSubmission,
    WritingComment,
    ExampleDraft,
)

__all__ = [
    "TABLES",
    "ActivityKind",
    "AuditEvent",
    "AuthSession",
    "CallOutcome",
    "CardStage",
    "CardState",
    "Classroom",
    "Course",
    "Document",
    "Enrollment",
    "ExampleDraft",
    "LearnerScheduler",
    "LlmCall",
    "RagSource",
    "Review",
    "ReviewRating",
    "Role",
    "Status",
    "StudyActivity",
    "StudySession",
    "TutorConversation",
    "TutorMessage",
    "User",
    "Word",
    "WordGroup",
    "WordGroupMember",
    "WritingComment",
    "WritingSubmission",
]
