"""Is the backend up, can it serve, and how is it doing? For load balancers and monitoring.

`/api/health` (in the API's documentation) answers 200 when the database answers. Beside the
API, at the backend's root and outside its schema:

- `/health`  liveness: the process answers; nothing else is checked.
- `/ready`   readiness: the database and, when the state lives in Redis, Redis answer.
- `/metrics` Prometheus metrics; for this host only, or with `LEARN_METRICS_TOKEN` as bearer.
"""

from __future__ import annotations

import hmac
import ipaddress

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from learn_app import db
from learn_app.api.schemas.common import Health
from learn_app.config import get_settings
from learn_app.logging import get_logger
from learn_app.ops import metrics

router = APIRouter(tags=["health"])
root_router = APIRouter(include_in_schema=False)
log = get_logger("learn_app.api")


def _database_answers() -> bool:
    try:
        return db.ping()
    except Exception as exc:  # any failure to reach the database means "not ready"
        log.warning("api.health_database_down", error=type(exc).__name__)
        return False


def _redis_answers(url: str) -> bool:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except redis.RedisError as exc:
        log.warning("api.health_redis_down", error=type(exc).__name__)
        return False


@router.get("/health", responses={503: {"model": Health}})
def health(response: Response) -> Health:
    """200 when the database answers; 503 (same shape) when it does not."""
    database = _database_answers()
    if not database:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return Health(status="ok" if database else "degraded", database=database)


@root_router.get("/health")
async def live() -> JSONResponse:
    return JSONResponse({"status": "ok"})


@root_router.get("/ready")
async def ready() -> JSONResponse:
    checks = {"database": await run_in_threadpool(_database_answers)}
    redis_url = get_settings().redis_url
    if redis_url:
        checks["redis"] = await run_in_threadpool(_redis_answers, redis_url)
    ok = all(checks.values())
    return JSONResponse(
        {"status": "ready" if ok else "unavailable", **checks},
        status_code=200 if ok else 503,
    )


def _from_this_host(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _has_token(request: Request, token: str | None) -> bool:
    if not token:
        return False
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.encode(), token.encode())


@root_router.get("/metrics")
async def metrics_page(request: Request) -> Response:
    token = get_settings().metrics_token
    # A proxy in front makes every request look local; then only the token lets one in.
    proxied = "x-forwarded-for" in request.headers
    if not (_has_token(request, token) or (_from_this_host(request) and not proxied)):
        return JSONResponse(
            {"detail": "Metrics are served to this host, or with the metrics token."},
            status_code=403,
        )
    body, content_type = await run_in_threadpool(metrics.render)
    return Response(body, media_type=content_type)
