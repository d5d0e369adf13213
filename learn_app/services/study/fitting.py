"""Fits learners' FSRS parameters in the background, never inside a request.

A review that crosses a fitting point asks for a fit (`request_fit`) after it commits. One
thread per process takes the requests in turn and runs each fit in a child process
(`python -m learn_app.services.study.fitting USER_ID`), so a fit never competes with the web
server for its interpreter or its memory. The child reads the review log, fits, and keeps the
parameters, each step in its own short transaction.

The optimizer is FSRS's reference one, fsrs-rs (Rust, through `fsrs-rs-python`). On the same
review logs (bench/fsrs_fitting.py) its parameters predict later recall within 0.5 % of the log
loss of the `fsrs` package's PyTorch optimizer, both far better than the defaults, in a
thousandth of the CPU time and without PyTorch's 750 MB.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from fsrs import ReviewLog, Scheduler
from fsrs.scheduler import DEFAULT_PARAMETERS
from fsrs_rs_python import FSRS, FSRSItem, FSRSReview
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, col, func, select

from learn_app.logging import get_logger
from learn_app.models import LearnerScheduler, Review, ReviewRating
from learn_app.models.base import utcnow
from learn_app.services.study.fsrs_terms import (
    FSRS_RATINGS,
    MIN_REVIEWS_TO_FIT,
    STORED_RATINGS,
    utc,
)

log = get_logger("learn_app.fitting")


@dataclass(frozen=True)
class FitResult:
    user_id: int
    parameters: list[float]
    review_count: int
    fitted_at: datetime


def review_log(session: Session, user_id: int) -> list[ReviewLog]:
    """The learner's answers as FSRS review logs, one card per word, oldest first."""
    rows = session.exec(
        select(Review.word_id, Review.rating, Review.reviewed_at, Review.latency_ms)
        .where(Review.user_id == user_id)
        .order_by(col(Review.reviewed_at), col(Review.id))
    ).all()
    return [
        ReviewLog(
            card_id=word_id,
            rating=FSRS_RATINGS[ReviewRating(rating)],
            review_datetime=utc(at),
            review_duration=latency,
        )
        for word_id, rating, at, latency in rows
        if rating in STORED_RATINGS
    ]


def fsrs_items(logs: Sequence[ReviewLog]) -> list[FSRSItem]:
    """The review log as the optimizer's training items.

    Each review that comes at least a day after the card's previous one is an item: the card's
    reviews up to and including it, each with the whole days since the review before (0 for the
    first) — the elapsed days the scheduler itself uses when it predicts recall. Reviews within
    a day of the previous one shape the card's memory but are not predicted.
    """
    by_card: defaultdict[int, list[ReviewLog]] = defaultdict(list)
    for entry in logs:
        by_card[entry.card_id].append(entry)
    items = []
    for history in by_card.values():
        history.sort(key=lambda entry: entry.review_datetime)
        reviews: list[FSRSReview] = []
        previous: datetime | None = None
        for entry in history:
            elapsed = (entry.review_datetime - previous).days if previous else 0
            reviews.append(FSRSReview(int(entry.rating), elapsed))
            if elapsed > 0:
                items.append(FSRSItem(list(reviews)))
            previous = entry.review_datetime
    return items


def compute_parameters(logs: Sequence[ReviewLog]) -> list[float]:
    """Run the FSRS optimizer: about a second of CPU per few thousand reviews, so never in a
    request.

    With too few reviews a day or more after the card's previous one, the optimizer keeps the
    defaults.
    """
    fitted = FSRS(DEFAULT_PARAMETERS).compute_parameters(fsrs_items(logs))
    # fsrs-rs works in 32-bit floats: 0.2119999974966 is the default 0.212.
    return [round(float(p), 4) for p in fitted]


def save_parameters(
    session: Session,
    user_id: int,
    parameters: Sequence[float],
    *,
    review_count: int,
    now: datetime | None = None,
) -> FitResult:
    """Keep fitted parameters for the learner (checked by FSRS first); their next review uses
    them."""
    values = [float(p) for p in parameters]
    Scheduler(parameters=values)  # raises ValueError for parameters FSRS would refuse
    fitted_at = now or utcnow()
    session.exec(
        insert(LearnerScheduler)
        .values(
            user_id=user_id,
            parameters=values,
            reviews_recorded=review_count,
            fitted_at=fitted_at,
            fitted_on_reviews=review_count,
        )
        .on_conflict_do_update(
            index_elements=["user_id"],
            set_={"parameters": values, "fitted_at": fitted_at, "fitted_on_reviews": review_count},
        )
    )
    log.info("scheduler.parameters_fitted", user_id=user_id, reviews=review_count)
    return FitResult(user_id, values, review_count, fitted_at)


def fit_parameters(
    session: Session, user_id: int, *, now: datetime | None = None
) -> FitResult | None:
    """Fit and keep the learner's own FSRS parameters; None below `MIN_REVIEWS_TO_FIT` reviews.

    Slow (it runs the optimizer): call it from the background fitting job, not from a request.
    """
    logs = review_log(session, user_id)
    if len(logs) < MIN_REVIEWS_TO_FIT:
        return None
    parameters = compute_parameters(logs)
    return save_parameters(session, user_id, parameters, review_count=len(logs), now=now)


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
    command = [sys.executable, "-m", "learn_app.services.study.fitting", str(user_id)]
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
        print("usage: python -m learn_app.services.study.fitting USER_ID", file=sys.stderr)
        return 2
    fit_now(int(args[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
