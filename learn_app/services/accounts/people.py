"""Admin's view of accounts: find people, change their role, disable or re-enable them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, func, or_, select

from learn_app.models import Role, User
from learn_app.services import audit
from learn_app.services.accounts.auth import require_role, revoke_all_sessions
from learn_app.services.errors import InvalidInput, NotFound
from learn_app.services.language.text import clean_search

PAGE_SIZE = 25


@dataclass(frozen=True)
class UserPage:
    users: list[User]
    page: int
    total_pages: int
    total: int


def list_users(session: Session, actor: User, *, search: str = "", page: int = 1) -> UserPage:
    require_role(actor, Role.admin)
    query = select(User)
    search = clean_search(search)
    if search:
        escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = "%" + escaped + "%"
        query = query.where(
            or_(
                col(User.email).ilike(pattern, escape="\\"),
                col(User.display_name).ilike(pattern, escape="\\"),
            )
        )
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    total_pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), total_pages)
    users = session.exec(
        query.order_by(col(User.created_at).desc(), col(User.id).desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return UserPage(users=list(users), page=page, total_pages=total_pages, total=total)


def set_active(session: Session, actor: User, user_id: int, active: bool, *, ip: str = "") -> User:
    """Disable or re-enable an account. Disabling signs it out everywhere, so re-enabling it
    later does not revive the sign-ins it had: its owner signs in again."""
    require_role(actor, Role.admin)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("That user does not exist.")
    if user.id == actor.id and not active:
        raise InvalidInput("You can't disable your own account.")
    if user.is_active != active:
        user.is_active = active
        session.add(user)
        event = "user.enabled" if active else "user.disabled"
        revoked = 0 if active else revoke_all_sessions(session, user)
        audit.record(session, event, user_id=user.id, actor_id=actor.id, ip=ip, revoked=revoked)
    return user
