"""The registry of study activities: the built-in ones, pages of this app, and external ones.

A built-in activity lives at `/study/{slug}`; an external one is another site, opened at its
absolute URL. Either is launched with `?group_id=…&session_id=…` (as in the lang-portal design),
so the activity knows which words to show and which study session to record answers in.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, col, select

from learn_app.models import ActivityKind, Role, StudyActivity, User
from learn_app.services import audit
from learn_app.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from learn_app.services.language.text import clean_name

SLUG_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


@dataclass(frozen=True)
class BuiltinActivity:
    slug: str
    name: str
    description: str

    @property
    def url(self) -> str:
        return f"/study/{self.slug}"

    @property
    def preview_image(self) -> str:
        return f"/activities/{self.slug}.svg"  # assets/activities/{slug}.svg


BUILTIN_ACTIVITIES = (
    BuiltinActivity(
        "flashcards",
        "Flashcards",
        "See a word, recall its meaning, flip the card to check, and rate how well you knew "
        "it: Again, Hard, Good or Easy (keys 1–4).",
    ),
    BuiltinActivity(
        "multiple-choice",
        "Multiple choice",
        "Pick the right meaning of a word, or the word for a meaning, from four options taken "
        "from the same group.",
    ),
    BuiltinActivity(
        "typing",
        "Typing",
        "Type the meaning or the reading of a word. Small typos and missing accents are "
        "accepted and pointed out.",
    ),
    BuiltinActivity(
        "listening",
        "Listening",
        "Hear a word or an example sentence and choose what it means.",
    ),
    BuiltinActivity(
        "cloze",
        "Cloze",
        "Complete an example sentence with its missing word.",
    ),
    BuiltinActivity(
        "writing",
        "Writing",
        "Write a sentence with two or three words you are learning, and get it corrected, "
        "with each mistake explained in your own language.",
    ),
    BuiltinActivity(
        "sentence-builder",
        "Sentence constructor",
        "Build a sentence from its English meaning, with hints when you want them: the words, "
        "then the word order, then clues on particles and endings. The answer only if you ask.",
    ),
    BuiltinActivity(
        "speaking",
        "Speaking",
        "Hear a word or a sentence, say it, and see how it sounded: a score for every word "
        "(for Japanese every mora, and your pitch against the reference voice's). Hold Space "
        "to record.",
    ),
)
BUILTIN_SLUGS = tuple(activity.slug for activity in BUILTIN_ACTIVITIES)

# What each kind of exercise asks of the learner; clients of the API choose a launch flow by it.
EXERCISE_TYPES = {
    "recognition": "see a word, recall or pick its meaning (flashcards, multiple choice)",
    "recall": "see a meaning, type the word or its reading (typing)",
    "listening": "hear a word or sentence, pick its meaning",
    "cloze": "complete a sentence with its missing word",
    "writing": "write a sentence with given words",
    "sentence_building": "build a sentence from its English meaning",
    "speaking": "say a word or sentence aloud",
    "external": "an activity hosted elsewhere, opened at its URL",
}
_EXERCISE_TYPE_OF_SLUG = {
    "flashcards": "recognition",
    "multiple-choice": "recognition",
    "typing": "recall",
    "listening": "listening",
    "cloze": "cloze",
    "writing": "writing",
    "sentence-builder": "sentence_building",
    "speaking": "speaking",
}


def exercise_type(slug: str, kind: str) -> str:
    """The activity's exercise type (a key of `EXERCISE_TYPES`)."""
    if kind == ActivityKind.external.value:
        return "external"
    return _EXERCISE_TYPE_OF_SLUG.get(slug, "recognition")


def ensure_builtin_activities(session: Session) -> None:
    """Create or refresh the built-in activities; safe to run any number of times, at once."""
    rows = [
        {
            "slug": a.slug,
            "name": a.name,
            "kind": ActivityKind.builtin.value,
            "description": a.description,
            "preview_image": a.preview_image,
            "url": a.url,
        }
        for a in BUILTIN_ACTIVITIES
    ]
    statement = insert(StudyActivity).values(rows)
    session.exec(
        statement.on_conflict_do_update(
            index_elements=["slug"],
            set_={
                key: statement.excluded[key]
                for key in ("name", "kind", "description", "preview_image", "url")
            },
        )
    )


def list_activities(session: Session) -> list[StudyActivity]:
    """Every activity, the built-in ones first in their usual order, then external by name."""
    activities = list(session.exec(select(StudyActivity)))
    if not set(BUILTIN_SLUGS) <= {a.slug for a in activities}:
        ensure_builtin_activities(session)
        activities = list(session.exec(select(StudyActivity)))
    order = {slug: n for n, slug in enumerate(BUILTIN_SLUGS)}
    return sorted(activities, key=lambda a: (order.get(a.slug, len(order)), a.name.lower(), a.id))


def get_activity(session: Session, activity_id: int) -> StudyActivity:
    """The activity by id. The built-in ones are created on first use, so a client that asks
    for one by id before anything listed them (a fresh database) still finds it."""
    activity = session.get(StudyActivity, activity_id)
    if activity is None and _builtins_missing(session):
        ensure_builtin_activities(session)
        activity = session.get(StudyActivity, activity_id)
    if activity is None:
        raise NotFound("That study activity does not exist.")
    return activity


def _builtins_missing(session: Session) -> bool:
    present = session.exec(
        select(StudyActivity.slug).where(col(StudyActivity.slug).in_(BUILTIN_SLUGS))
    ).all()
    return len(set(present)) < len(BUILTIN_SLUGS)


def get_activity_by_slug(session: Session, slug: str) -> StudyActivity:
    """The activity a page such as `/study/flashcards` belongs to."""
    activity = session.exec(select(StudyActivity).where(StudyActivity.slug == slug)).first()
    if activity is None and slug in BUILTIN_SLUGS:
        ensure_builtin_activities(session)
        activity = session.exec(select(StudyActivity).where(StudyActivity.slug == slug)).first()
    if activity is None:
        raise NotFound("That study activity does not exist.")
    return activity


def launch_url(activity: StudyActivity, *, group_id: int | None, session_id: int) -> str:
    """Where the Launch button goes: the activity's URL with the group and the study session."""
    query: dict[str, int] = {} if group_id is None else {"group_id": group_id}
    query["session_id"] = session_id
    separator = "&" if "?" in activity.url else "?"
    return f"{activity.url}{separator}{urlencode(query)}"


def add_external_activity(
    session: Session,
    admin: User,
    *,
    slug: str,
    name: str,
    url: str,
    description: str = "",
    preview_image: str = "",
) -> StudyActivity:
    """Register an activity hosted elsewhere (admins only); it must be an absolute http(s) URL."""
    if admin.role != Role.admin.value:
        raise PermissionDenied("Only admins can add study activities.")
    slug = (slug or "").strip().lower()
    if not slug or len(slug) > 60 or not set(slug) <= SLUG_CHARACTERS:
        raise InvalidInput(
            "Use up to 60 lower-case letters, digits and dashes for the slug.", field="slug"
        )
    if session.exec(select(StudyActivity.id).where(StudyActivity.slug == slug)).first():
        raise Conflict("Another activity already uses that slug.", field="slug")
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 400:
        raise InvalidInput("Give the activity's full address, starting https://.", field="url")
    activity = StudyActivity(
        slug=slug,
        name=clean_name(name, field="name", label="Activity name", max_length=120),
        kind=ActivityKind.external.value,
        description=(description or "").strip()[:2000],
        preview_image=(preview_image or "").strip()[:400],
        url=url,
    )
    session.add(activity)
    session.flush()
    audit.record(session, "study.activity_added", actor_id=admin.id, activity_id=activity.id)
    return activity


__all__ = [
    "BUILTIN_ACTIVITIES",
    "BUILTIN_SLUGS",
    "add_external_activity",
    "ensure_builtin_activities",
    "get_activity",
    "get_activity_by_slug",
    "launch_url",
    "list_activities",
]
