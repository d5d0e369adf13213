"""Administration of accounts. Only admins may use it; the services enforce that (403)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from learn_app.api.deps import CallerDep, ClientIp, SessionDep
from learn_app.api.routes.ids import RowId
from learn_app.api.schemas import Pagination, UserAdminChanges, UserAdminView, UserPage
from learn_app.services import auth, people

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
