"""Is the API up, and can it reach its database? For load balancers and uptime checks."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from learn_app import db
from learn_app.api.schemas.common import Health
from learn_app.logging import get_logger

router = APIRouter(tags=["health"])
log = get_logger("learn_app.api")


@router.get("/health", responses={503: {"model": Health}})
def health(response: Response) -> Health:
    """200 when the database answers; 503 (same shape) when it does not."""
    try:
        database = db.ping()
    except Exception as exc:  # any failure to reach the database means "not healthy"
        log.warning("api.health_database_down", error=type(exc).__name__)
        database = False
    if not database:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return Health(status="ok" if database else "degraded", database=database)
