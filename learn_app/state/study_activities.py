"""Study Activities: the activities, one activity with its past sessions, and launching one.

Launching asks for a word group, starts a study session through `learn_app.services.study.sessions`
(which decides whether the learner may study that group) and sends the learner to the
activity with `?group_id=…&session_id=…`: a page of this app, or another site in a new tab.
"""

from __future__ import annotations

import dataclasses

import reflex as rx
from reflex_base.event import EventSpec
from sqlmodel import Session

from learn_app.models import ActivityKind, StudyActivity, User
from learn_app.services import paging
from learn_app.services.content import groups as groups_service
from learn_app.services.errors import NotFound
from learn_app.services.study import activities, plan, session_history
from learn_app.services.study import sessions as study
from learn_app.state import formatting
from learn_app.state.auth import ProtectedState, Signed, signed_in_handler
from learn_app.state.content import page_label, route_number
from learn_app.state.inputs import checked_id, id_or_zero
from learn_app.state.signed_in import off_loop
from learn_app.state.study_sessions import SessionItem, session_items

SESSIONS_PER_PAGE = 10
MAX_GROUP_PAGES = 10  # at most 1,000 groups in the launch dialog

__all__ = [
    "ActivitiesState",
    "ActivityCard",
    "ActivityState",
    "GroupChoice",
    "LaunchState",
]


@dataclasses.dataclass
class ActivityCard:
    id: int
    slug: str
    name: str
    description: str
    image: str
    external: bool
    page_url: str


def _card(activity: StudyActivity) -> ActivityCard:
    return ActivityCard(
        id=activity.id or 0,
        slug=activity.slug,
        name=activity.name,
        description=activity.description,
        image=activity.preview_image,
        external=activity.kind == ActivityKind.external.value,
        page_url=f"/study-activities/{activity.id}",
    )


@dataclasses.dataclass
class GroupChoice:
    value: str  # the group's id, as the select submits it
    label: str


def _group_choices(session: Session, user: User) -> list[GroupChoice]:
    """Groups the learner can study (those with words), their target language's first."""
    rows: list[groups_service.GroupRow] = []
    for page in range(1, MAX_GROUP_PAGES + 1):
        found = groups_service.list_groups(session, user, page=page, per_page=paging.MAX_PAGE_SIZE)
        rows += found.items
        if page >= found.total_pages:
            break
    usable = sorted(
        (row for row in rows if row.word_count),
        key=lambda row: (row.group.language != user.target_language, row.group.name.lower()),
    )

    def label(row: groups_service.GroupRow) -> str:
        words = "1 word" if row.word_count == 1 else f"{row.word_count} words"
        if row.group.language == user.target_language:
            return f"{row.group.name} · {words}"
        return f"{row.group.name} ({formatting.language(row.group.language)}) · {words}"

    return [GroupChoice(str(row.group.id), label(row)) for row in usable]


def _default_group(session: Session, user: User, choices: list[GroupChoice]) -> str:
    """The group studied most recently; before any session, the first of the courses."""
    offered = {choice.value for choice in choices}
    preferred = (str(g) for g in plan.study_group_ids(session, user))
    return next((g for g in preferred if g in offered), choices[0].value if choices else "")


class ActivitiesState(ProtectedState):
    loaded: bool = False
    cards: list[ActivityCard] = []

    @rx.event
    @signed_in_handler()
    def load(self, signed: Signed) -> None:
        self.cards = [_card(a) for a in activities.list_activities(signed.session)]
        self.loaded = True


class LaunchState(ProtectedState):
    """The Launch dialog: which group to study with the chosen activity."""

    dialog_open: bool = False
    activity_ref: int = 0
    activity_name: str = ""
    groups: list[GroupChoice] = []
    chosen_group: str = ""
    error: str = ""
    launched_url: str = ""  # an external activity, opened in a new tab

    @rx.event
    @signed_in_handler()
    def open_for(self, signed: Signed, activity_ref: int, activity_name: str) -> None:
        self.error = ""
        self.launched_url = ""
        self.activity_ref, self.activity_name = id_or_zero(activity_ref), activity_name
        self.groups = _group_choices(signed.session, signed.user)
        self.chosen_group = _default_group(signed.session, signed.user, self.groups)
        self.dialog_open = True

    @rx.event
    def set_dialog_open(self, value: bool) -> None:
        self.dialog_open = value

    @rx.event
    def choose_group(self, value: str) -> None:
        self.chosen_group = value
        self.error = ""

    @rx.event
    @signed_in_handler("error")
    def launch(self, signed: Signed) -> EventSpec | None:
        self.error = ""
        if not self.chosen_group.isdigit():
            self.error = "Choose a word group to study."
            return None
        group_id = checked_id(self.chosen_group, "word group")
        activity = activities.get_activity(signed.session, self.activity_ref)
        started = study.start_session(signed.session, signed.user, activity.id, group_id)
        url = activities.launch_url(activity, group_id=started.group_id, session_id=started.id or 0)
        if activity.kind == ActivityKind.external.value:
            self.launched_url = url
            return rx.redirect(url, is_external=True)
        self.dialog_open = False
        return rx.redirect(url)


class ActivityState(ProtectedState):
    """One activity's page: what it is, and the learner's sessions of it."""

    loaded: bool = False
    missing: str = ""
    activity_ref: int = 0
    activity_name: str = ""
    description: str = ""
    image: str = ""
    external: bool = False
    sessions: list[SessionItem] = []
    page: int = 1
    total_pages: int = 1
    total: int = 0

    @rx.var
    def page_label(self) -> str:
        return page_label(self.page, self.total_pages, self.total, "session", "sessions")

    @signed_in_handler({NotFound: "missing"}, loaded="loaded")
    def _list(self, signed: Signed) -> None:
        user = signed.user
        activity = activities.get_activity(signed.session, self.activity_ref)
        found = session_history.list_sessions(
            signed.session,
            user,
            activity_id=self.activity_ref,
            page=self.page,
            per_page=SESSIONS_PER_PAGE,
        )
        card = _card(activity)
        self.activity_name, self.description = card.name, card.description
        self.image, self.external = card.image, card.external
        self.sessions = session_items(found.items, user.timezone)
        self.page, self.total_pages, self.total = found.page, found.total_pages, found.total

    @rx.event
    @off_loop
    def load(self) -> EventSpec | None:
        self.loaded = False
        self.missing = ""
        self.page = 1
        self.activity_ref = route_number(self.router.url.path, 1)
        return self._list()

    @rx.event
    @off_loop
    def go_to_page(self, page: int) -> EventSpec | None:
        self.page = max(1, min(page, self.total_pages))
        return self._list()
