"""The FastAPI application mounted on Reflex's backend; Reflex's own routes are mounted inside it.

Reflex appends its app as a catch-all mount after our routes, so every route of ours lives under
/api, and a last route of our own answers any other /api path (404, or 405 for a known path
with the wrong method, as JSON) before the request could fall through to Reflex.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from fastapi import APIRouter, FastAPI, Request
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.routing import Route, compile_path

from learn_app.api.errors import install_error_handlers
from learn_app.api.limits import BodySizeLimit
from learn_app.api.routes import (
    access_tokens,
    achievements,
    admin,
    assignments,
    audio,
    auth,
    class_dashboard,
    classes,
    courses,
    dashboard,
    examples,
    groups,
    health,
    imports,
    lessons,
    me,
    my_classes,
    plan,
    progress,
    search,
    sentences,
    speaking,
    study_activities,
    study_sessions,
    tutor,
    vocabulary,
    words,
    writing,
)
from learn_app.ops.requests import RequestContext
from learn_app.services.content.course_format import MAX_UPLOAD_BYTES

API_PREFIX = "/api"
# In the order their routers are matched, after the answer route (`study_sessions.answers`),
# which is matched before any other: each router passed over costs a request tens of
# microseconds, and answers are the most frequent request by far. No two areas share a path.
AREAS = (
    study_sessions,
    auth,
    me,
    access_tokens,
    admin,
    classes,
    my_classes,
    class_dashboard,
    assignments,
    courses,
    words,
    groups,
    lessons,
    imports,
    vocabulary,
    examples,
    search,
    audio,
    study_activities,
    sentences,
    dashboard,
    achievements,
    plan,
    progress,
    tutor,
    writing,
    speaking,
    health,
)
# No request to the API needs more than a few kilobytes; this leaves room for an absurd but
# well-formed field (a megabyte-long password) to reach the service and get its own message.
MAX_BODY_BYTES = 2 * 1024 * 1024
# Course files may be up to MAX_UPLOAD_BYTES; a multipart form adds a little framing.
IMPORT_PREFIX = f"{API_PREFIX}/content/import"
MAX_IMPORT_BODY_BYTES = MAX_UPLOAD_BYTES + 64 * 1024
_ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def create_api() -> FastAPI:
    api = FastAPI(
        title="learn_app API",
        version="1",
        docs_url="/api/docs",
        openapi_url="/api/openapi.json",
        swagger_ui_oauth2_redirect_url="/api/docs/oauth2-redirect",
        redoc_url=None,
    )
    install_error_handlers(api)
    api.add_middleware(
        BodySizeLimit,
        max_bytes=MAX_BODY_BYTES,
        prefix=API_PREFIX,
        upload_prefix=IMPORT_PREFIX,
        upload_max_bytes=MAX_IMPORT_BODY_BYTES,
    )
    # Outermost: every request gets its id, log line and latency sample, refused ones too.
    api.add_middleware(RequestContext)
    # The answer route first of all, before the documentation's and /health's.
    api.include_router(study_sessions.answers, prefix=API_PREFIX)
    api.router.routes.insert(0, api.router.routes.pop())
    # /health, /ready and /metrics beside the API, outside its schema.
    api.include_router(health.root_router)

    router = APIRouter(prefix=API_PREFIX)
    for area in AREAS:
        router.include_router(area.router)
    endpoints = _endpoint_patterns(
        [route for route in api.routes if isinstance(route, Route)],
        [
            route
            for area_router in (study_sessions.answers, *(area.router for area in AREAS))
            for route in area_router.routes
            if isinstance(route, APIRoute)
        ],
    )

    @router.api_route("", methods=_ALL_METHODS, include_in_schema=False)
    @router.api_route("/{path:path}", methods=_ALL_METHODS, include_in_schema=False)
    async def no_such_endpoint(request: Request) -> None:
        allowed = sorted(
            {
                method
                for pattern, methods in endpoints
                if pattern.match(request.url.path)
                for method in methods
            }
        )
        if allowed:
            raise HTTPException(
                405,
                f"{request.method} is not allowed on {request.url.path}; "
                f"use {' or '.join(allowed)}.",
                headers={"Allow": ", ".join(allowed)},
            )
        raise HTTPException(404, f"There is no API endpoint at {request.url.path}.")

    api.include_router(router)
    return api


def _endpoint_patterns(
    app_routes: Iterable[Route], api_routes: Iterable[APIRoute]
) -> list[tuple[re.Pattern[str], set[str]]]:
    """Each known path as a regex with the methods it accepts, for telling 405 from 404."""
    paths = [(route.path, route.methods or set()) for route in app_routes]
    paths += [(API_PREFIX + route.path, route.methods or set()) for route in api_routes]
    return [(compile_path(path)[0], set(methods)) for path, methods in paths]


api_app = create_api()
