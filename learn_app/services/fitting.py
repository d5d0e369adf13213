"""Fits learners' FSRS parameters in the background, never inside a request.

A review that crosses a fitting point asks for a fit (`request_fit`) after it commits. One
thread per process takes the requests in turn and runs each fit in a child process
(`python -m learn_app.services.fitting USER_ID`): the optimizer is seconds of Python-level
torch work that would otherwise hold the interpreter lock the web server needs. The child
reads the review log, fits, and keeps the parameters, each step in its own short transaction.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Sequence

from sqlmodel import col, func, select

from learn_app.logging import get_logger
from learn_app.models import Review
from learn_app.services.scheduling import (
    MIN_REVIEWS_TO_FIT,
    FitResult,
    compute_parameters,
    review_log,
    save_parameters,
)

log = get_logger("learn_app.fitting")

FIT_TIMEOUT_SECONDS = 30 * 60

_lock = threading.Lock()
_pending: list[int] = []
_wanted = threading.Event()
_idle = threading.Event()
_idle.set()
_thread: threading.Thread | None = None


def request_fit(user_id: int) -> None:
    """Ask for the learner's parameters to be fitted soon; returns at once."""
    global _thread
    with _lock:
        if user_id not in _pending:
            _pending.append(user_id)
        _idle.clear()
        _wanted.set()
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_run, name="fsrs-fitting", daemon=True)
            _thread.start()


def wait_idle(timeout: float | None = None) -> bool:
    """Wait until no fit is waiting or running; True if that happened within `timeout`."""
    return _idle.wait(timeout)


def _run() -> None:
    while True:
        if not _wanted.wait(timeout=300):
            continue
        with _lock:
            user_id = _pending.pop(0) if _pending else None
            if user_id is None:
                _wanted.clear()
                _idle.set()
                continue
        try:
            _fit_in_child_process(user_id)
        except Exception:
            log.exception("fitting.failed", user_id=user_id)


def _fit_in_child_process(user_id: int) -> None:
    command = [sys.executable, "-m", "learn_app.services.fitting", str(user_id)]
    result = subprocess.run(command, timeout=FIT_TIMEOUT_SECONDS, check=False)  # noqa: S603
    if result.returncode != 0:
        log.error("fitting.child_failed", user_id=user_id, returncode=result.returncode)


def fit_now(user_id: int) -> FitResult | None:
    """Fit and keep the learner's parameters here and now (what the child process runs).

    The optimizer runs outside any transaction. A learner who reset their history meanwhile
    keeps the defaults: parameters fitted on answers that no longer exist are dropped.
    """
    from learn_app.db import session_scope

    with session_scope() as session:
        logs = review_log(session, user_id)
    if len(logs) < MIN_REVIEWS_TO_FIT:
        return None
    parameters = compute_parameters(logs)
    with session_scope() as session:
        kept = session.exec(
            select(func.count(col(Review.id))).where(Review.user_id == user_id)
        ).one()
        if kept < len(logs):
            log.info("fitting.dropped_after_reset", user_id=user_id)
            return None
        return save_parameters(session, user_id, parameters, review_count=len(logs))


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1 or not args[0].isdigit():
        print("usage: python -m learn_app.services.fitting USER_ID", file=sys.stderr)
        return 2
    fit_now(int(args[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
