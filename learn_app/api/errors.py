"""Every failure becomes JSON `{"detail": message, "field": name-or-null}`; no stack trace leaves.

Domain errors carry their own message and status. FastAPI's validation errors are reworded into
one readable sentence. Database errors that a client can provoke (a race on a unique email, a
value the column can't hold) get a 4xx; anything else is logged here and answered with a plain
500.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from learn_app.logging import get_logger
from learn_app.services.errors import DomainError, NotAuthenticated, RateLimited

log = get_logger("learn_app.api")

TOO_LARGE = "The request body is too large for the API."

# Where FastAPI says a parameter came from; the client cares about the name only.
_SOURCES = {"body", "query", "path", "header", "cookie"}


def problem(
    status_code: int,
    detail: str,
    *,
    field: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(
        {"detail": detail, "field": field}, status_code=status_code, headers=headers
    )


async def domain_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    headers: dict[str, str] = {}
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, NotAuthenticated):
        headers["WWW-Authenticate"] = "Bearer"
    return problem(exc.status_code, exc.message, field=exc.field, headers=headers)


async def validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    field, detail = describe_validation_errors(exc.errors())
    return problem(422, detail, field=field)


def describe_validation_errors(errors: Sequence[Any]) -> tuple[str | None, str]:
    """The first offending field, and one sentence naming every problem (never echoing input)."""
    fields: list[str | None] = []
    sentences: list[str] = []
    for error in errors:
        path = [part for part in error.get("loc", ()) if part not in _SOURCES]
        field = ".".join(str(part) for part in path if isinstance(part, str)) or None
        kind = error.get("type", "")
        message = str(error.get("msg", "is not valid")).removeprefix("Value error, ")
        if kind == "json_invalid":
            field, sentence = None, "The request body is not valid JSON."
        elif field is None and kind in ("model_attributes_type", "dict_type"):
            sentence = "The request body must be a JSON object, sent as application/json."
        elif kind == "missing" and field is None:
            sentence = "The request needs a body."
        elif kind == "missing":
            sentence = f"{field} is required."
        elif kind == "extra_forbidden":
            sentence = f"{field} is not a field you can send here."
        elif field is None:
            sentence = message.rstrip(".") + "."
        else:
            sentence = f"{field}: {message.rstrip('.')}."
        fields.append(field)
        if sentence not in sentences:
            sentences.append(sentence)
    first_field = next((field for field in fields if field), None)
    return first_field, " ".join(sentences) or "The request is not valid."


async def http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return problem(exc.status_code, str(exc.detail), headers=dict(exc.headers or {}))


async def integrity_error(request: Request, exc: Exception) -> JSONResponse:
    log.warning("api.integrity_error", path=request.url.path, error=type(exc).__name__)
    return problem(409, "That clashes with a change made at the same moment. Please try again.")


async def data_error(request: Request, exc: Exception) -> JSONResponse:
    log.warning("api.data_error", path=request.url.path, error=str(exc).splitlines()[0])
    return problem(422, "One of the values is not one the portal can store.")


async def database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    log.error("api.database_unavailable", path=request.url.path, error=type(exc).__name__)
    return problem(
        503,
        "The database is not answering. Please try again shortly.",
        headers={"Retry-After": "5"},
    )


async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    # Starlette re-raises after answering, so the server's log also gets the traceback, and the
    # server then drops the connection: saying so keeps a client from sending its next request
    # down it (which would be reset).
    log.error(
        "api.unexpected_error",
        path=request.url.path,
        method=request.method,
        error=f"{type(exc).__name__}: {exc}"[:500],
    )
    return problem(
        500,
        "Something went wrong on our side. Please try again.",
        headers={"Connection": "close"},
    )


def install_error_handlers(api: FastAPI) -> None:
    api.add_exception_handler(DomainError, domain_error)
    api.add_exception_handler(RequestValidationError, validation_error)
    api.add_exception_handler(StarletteHTTPException, http_error)
    api.add_exception_handler(IntegrityError, integrity_error)
    api.add_exception_handler(DataError, data_error)
    api.add_exception_handler(OperationalError, database_unavailable)
    api.add_exception_handler(Exception, unexpected_error)
