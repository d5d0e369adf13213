"""Administration: accounts and external study activities. Only admins may use it; the services
enforce that (403)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from learn_app.api.deps import CallerDep, ClientIp, SessionDep
from learn_app.api.routes.ids import RowId
from learn_app.api.schemas.accounts import UserAdminChanges, UserAdminView, UserPage
from learn_app.api.schemas.common import Pagination
from learn_app.api.schemas.study import ExternalActivityCreate, StudyActivityPublic
from learn_app.api.schemas.system import SystemUsagePublic
from learn_app.services.accounts import auth, people, system
from learn_app.services.study import activities

router = APIRouter(prefix="/admin", tags=["admin"])


@router.get("/users")
def list_users(
    caller: CallerDep,
    session: SessionDep,
    search: Annotated[str, Query(max_length=200)] = "",
    page: int = 1,
) -> UserPage:
    """Accounts whose email or display name contains `search`, newest first, a page at a time."""
    found = people.list_users(session, caller.user, search=search, page=page)
    return UserPage(
        items=[UserAdminView.model_validate(user) for user in found.users],
        pagination=Pagination(
            current_page=found.page,
            total_pages=found.total_pages,
            total_items=found.total,
            items_per_page=people.PAGE_SIZE,
        ),
    )


@router.patch("/users/{user_id}")
def update_user(
    user_id: RowId,
    body: UserAdminChanges,
    caller: CallerDep,
    session: SessionDep,
    ip: ClientIp,
) -> UserAdminView:
    """Change someone's role and/or enable or disable their account, all or nothing."""
    user = None
    if body.role is not None:
        user = auth.set_role(session, caller.user, user_id, body.role.value, ip=ip)
    if body.is_active is not None:
        user = people.set_active(session, caller.user, user_id, body.is_active, ip=ip)
    return UserAdminView.model_validate(user)


@router.post("/study_activities", status_code=status.HTTP_201_CREATED)
def add_study_activity(
    body: ExternalActivityCreate, caller: CallerDep, session: SessionDep
) -> StudyActivityPublic:
    """Register a study activity hosted elsewhere; learners then launch it like the built-in
    ones, and it is opened with the group and the new session in its query string."""
    activity = activities.add_external_activity(
        session,
        caller.user,
        slug=body.slug,
        name=body.name,
        url=body.url,
        description=body.description,
        preview_image=body.preview_image,
    )
    return StudyActivityPublic.model_validate(activity)


@router.get("/system/usage")
def system_usage(
    caller: CallerDep,
    session: SessionDep,
    days: Annotated[int, Query(ge=1, le=system.MAX_DAYS)] = 30,
) -> SystemUsagePublic:
    """Learners active per day, answers per hour (the last 48), model calls and spend per day."""
    usage = system.system_usage(session, caller.user, days=days)
    return SystemUsagePublic.model_validate(usage, from_attributes=True)
