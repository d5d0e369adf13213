"""The health of the portal's pieces as an admin reads it on Admin → System.

The same checks as `/ready` (the database, Redis when the state lives there), plus what a
monitor cannot see from outside: how many backend workers serve, whether the frontend build
matches the sources, and the answer time the backend's own metrics recorded since the start.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from learn_app.config import Settings

ROOT = Path(__file__).resolve().parent.parent.parent
# The page events and the REST route that record an answer.
ANSWER_HANDLERS = {"StudyRunState.rate", "StudyRunState.choose", "StudyRunState.submit_answer"}
ANSWER_ROUTE = "/api/study_sessions/{session_id}/words/{word_id}/review"


@dataclass(frozen=True)
class Piece:
    name: str
    ok: bool
    detail: str


def system_health(settings: Settings, database_answers: Callable[[], bool]) -> list[Piece]:
    """`database_answers` is the database's ping (the database module sits above this one)."""
    return [
        _database(database_answers),
        _redis(settings),
        _workers(settings),
        _frontend(settings),
        _answers(),
    ]


def _database(database_answers: Callable[[], bool]) -> Piece:
    try:
        ok = database_answers()
    except Exception as error:  # any failure to reach it is what the admin needs to see
        return Piece("Database", False, f"does not answer ({type(error).__name__})")
    return Piece("Database", ok, "answers" if ok else "does not answer")


def _redis(settings: Settings) -> Piece:
    url = os.environ.get("REFLEX_REDIS_URL") or settings.redis_url
    if not url:
        return Piece("Redis", True, "not used: one backend process keeps the learners' state")
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        try:
            client.ping()
        finally:
            client.close()
    except redis.RedisError as error:
        return Piece("Redis", False, f"does not answer ({type(error).__name__})")
    return Piece("Redis", True, "answers; the learners' state is kept there")


def _workers(settings: Settings) -> Piece:
    """This process and its siblings under the production server that forked them."""
    import psutil

    wanted = settings.workers or os.cpu_count() or 1
    try:
        parent = psutil.Process(os.getppid())
        serving = "learn_app.ops.serve" in " ".join(parent.cmdline())
        count = len(parent.children()) if serving else 0
    except psutil.Error:
        serving, count = False, 0
    if not serving:
        return Piece("Backend workers", True, "1 process (the development server)")
    return Piece("Backend workers", count >= wanted, f"{count} of {wanted} serving (LEARN_WORKERS)")


def _frontend(settings: Settings) -> Piece:
    from learn_app.ops.frontend import finished_build, source_digest

    digest = source_digest(ROOT, settings.browser_api_url)
    if finished_build(settings.frontend_builds, digest) is not None:
        return Piece("Frontend build", True, f"build {digest} matches the sources")
    return Piece(
        "Frontend build",
        False,
        "no production build for the current sources: the next start builds it",
    )


def _answers() -> Piece:
    p95, count = answer_time_p95()
    if count == 0:
        return Piece("Answer time", True, "no answers since the backend started")
    return Piece("Answer time", p95 <= 0.25, f"95% of {count} answers took ≤ {1000 * p95:.0f} ms")


def answer_time_p95() -> tuple[float, int]:
    """The 95th percentile of answer time since the start (the upper edge of its histogram
    bucket, in seconds) and how many answers it counts, from every worker's samples."""
    from learn_app.ops import metrics

    buckets: dict[float, float] = {}
    for family in metrics.collect():
        if family.name not in (
            "learn_app_event_duration_seconds",
            "learn_app_http_request_duration_seconds",
        ):
            continue
        for sample in family.samples:
            if not sample.name.endswith("_bucket") or not _is_answer(sample.labels):
                continue
            edge = float(sample.labels["le"])
            buckets[edge] = buckets.get(edge, 0.0) + sample.value
    if not buckets:
        return 0.0, 0
    edges = sorted(buckets)
    total = buckets[edges[-1]]
    if total == 0:
        return 0.0, 0
    for edge in edges:
        if buckets[edge] >= 0.95 * total:
            return (edge if not math.isinf(edge) else edges[-2]), int(total)
    return edges[-1], int(total)


def _is_answer(labels: dict[str, str]) -> bool:
    if labels.get("handler") in ANSWER_HANDLERS:
        return True
    return labels.get("route") == ANSWER_ROUTE and labels.get("method") == "POST"
