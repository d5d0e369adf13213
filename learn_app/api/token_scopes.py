"""What a program holding a personal access token may call, by the token's scope.

`read`: any GET (or HEAD) the person could make. `study`: that, and the requests that start
a study session or answer in one. Nothing else — no change to the account, its tokens,
classes, content or anyone else's data — whatever the person's role.
"""

from __future__ import annotations

from starlette.routing import compile_path

from learn_app.services.accounts import access_tokens
from learn_app.services.errors import PermissionDenied

READ_METHODS = frozenset({"GET", "HEAD"})
# Tokens are made, listed and revoked with a sign-in only: a token cannot multiply itself.
TOKENS_PATH = "/api/me/tokens"

# (method, path) of the requests a `study` token may make beside reading.
STUDY_ENDPOINTS: tuple[tuple[str, str], ...] = (
    ("POST", "/api/study_activities"),
    ("POST", "/api/study_sessions/{session_id}/words/{word_id}/review"),
    ("POST", "/api/study_sessions/{session_id}/end"),
    ("POST", "/api/me/assignments/{assignment_id}/start"),
    ("POST", "/api/sentences/next"),
    ("POST", "/api/sentences/{item_id}/hints/{level}"),
    ("POST", "/api/sentences/{item_id}/attempts"),
    ("POST", "/api/sentences/{item_id}/reveal"),
    ("POST", "/api/writing/submissions"),
    ("POST", "/api/speaking/attempts"),
)
_STUDY_PATTERNS = tuple((method, compile_path(path)[0]) for method, path in STUDY_ENDPOINTS)


def allows(scope: str, method: str, path: str) -> bool:
    if method.upper() in READ_METHODS:
        return scope in access_tokens.SCOPES
    if scope != access_tokens.STUDY:
        return False
    return any(
        method.upper() == allowed and pattern.fullmatch(path)
        for allowed, pattern in _STUDY_PATTERNS
    )


def check(scope: str, method: str, path: str) -> None:
    """PermissionDenied (403), saying what the token can do, when its scope does not reach."""
    if path == TOKENS_PATH or path.startswith(TOKENS_PATH + "/"):
        raise PermissionDenied(access_tokens.NEEDS_SIGN_IN)
    if allows(scope, method, path):
        return
    if scope == access_tokens.READ:
        raise PermissionDenied(
            "This API token has the read scope: it can only read (GET). "
            "Make a token with the study scope to answer, or sign in to change anything else."
        )
    raise PermissionDenied(
        "This API token has the study scope: it can read, start study sessions and answer "
        "in them, nothing else. Sign in to change your account, classes or content."
    )
