"""Errors a caller can cause. The UI shows `message`; the API answers with `status_code`."""

from __future__ import annotations


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    status_code = 422


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


class NotAuthenticated(DomainError):
    status_code = 401


class PermissionDenied(DomainError):
    status_code = 403


class AccountLocked(DomainError):
    status_code = 423


class RateLimited(DomainError):
    status_code = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
