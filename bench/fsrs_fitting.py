"""Fitting learners' FSRS parameters: fsrs-rs (the portal's optimizer) against the `fsrs`
package's PyTorch optimizer, on the same review logs. Prints a table.

    .venv/bin/python bench/fsrs_fitting.py [--learners 4] [--days 150] [--new-per-day 12]

The learners are simulated, since a review log's recall outcomes only mean something when the
memory behind them is known. Each learner has their own memory: FSRS-6 parameters drawn around
the defaults (each multiplied by a log-normal factor, σ 0.35, kept within FSRS's bounds). They
study as the portal has them study before any fit — the FSRS scheduler with the default
parameters, retention 0.9, learning steps of 1 and 10 minutes — on most days (one in eight
skipped), at a random hour, meeting `--new-per-day` new words a day. Whether a due word is
recalled is drawn from the learner's own memory; a recalled word is rated Hard, Good or Easy
(15 / 75 / 10 %), a first meeting Again, Hard, Good or Easy (25 / 10 / 55 / 10 %).

Each optimizer fits on the first 75% of the days (the log a fit would have then) and the
parameters are judged on the later reviews, replayed with the portal's own scheduler, as the
portal would use them: log loss of the predicted recall and RMSE over 20 bins of predicted
recall (each bin's mean prediction against its recall rate, weighted by size). The learner's
true parameters and the defaults are judged alike, as the floor and the starting point.

Each fit runs in a child process of its own, which loads what the portal's fitting process
loads (`learn_app.services.study.fitting`) and then the optimizer: the times are the fit's
wall-clock and CPU seconds (imports excluded), the memory the child's peak resident size.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fsrs import Card, Rating, ReviewLog, Scheduler  # noqa: E402
from fsrs.scheduler import (  # noqa: E402
    DEFAULT_PARAMETERS,
    LOWER_BOUNDS_PARAMETERS,
    UPPER_BOUNDS_PARAMETERS,
)

START = datetime(2026, 1, 5, tzinfo=UTC)
TRAIN_SHARE = 0.75
BINS = 20
SKIP_DAY = 1 / 8
FIRST_RATINGS = [
    (Rating.Again, 0.25),
    (Rating.Hard, 0.10),
    (Rating.Good, 0.55),
    (Rating.Easy, 0.10),
]
RECALLED_RATINGS = [(Rating.Hard, 0.15), (Rating.Good, 0.75), (Rating.Easy, 0.10)]


def pick(rng: random.Random, weighted: list[tuple[Rating, float]]) -> Rating:
    roll, total = rng.random(), 0.0
    for rating, weight in weighted:
        total += weight
        if roll < total:
            return rating
    return weighted[-1][0]


def learner_memory(rng: random.Random) -> list[float]:
    """A learner's own FSRS parameters, around the defaults."""
    return [
        min(hi, max(lo, p * math.exp(rng.gauss(0, 0.35))))
        for p, lo, hi in zip(
            DEFAULT_PARAMETERS, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True
        )
    ]


def simulate(seed: int, days: int, new_per_day: int) -> tuple[list[float], list[ReviewLog]]:
    """A learner's true parameters and their review log (oldest first)."""
    rng = random.Random(seed)
    true_parameters = learner_memory(rng)
    portal = Scheduler(enable_fuzzing=False)
    memory = Scheduler(parameters=true_parameters, enable_fuzzing=False)
    cards: list[tuple[Card, Card]] = []  # (as the portal schedules it, as the learner remembers)
    logs: list[ReviewLog] = []
    for day in range(days):
        if rng.random() < SKIP_DAY:
            continue
        now = START + timedelta(days=day, hours=rng.randint(7, 21), minutes=rng.randint(0, 59))
        session_end = now + timedelta(minutes=45)
        for _ in range(new_per_day):
            card_id = len(cards) + 1
            cards.append((Card(card_id=card_id, due=now), Card(card_id=card_id, due=now)))
        while True:
            due = [i for i, (scheduled, _) in enumerate(cards) if scheduled.due <= now]
            if not due:
                later = min((c[0].due for c in cards if c[0].due <= session_end), default=None)
                if later is None:
                    break
                now = later
                continue
            for i in due:
                scheduled, remembered = cards[i]
                if remembered.last_review is None:
                    rating = pick(rng, FIRST_RATINGS)
                else:
                    recall = memory.get_card_retrievability(remembered, now)
                    rating = pick(rng, RECALLED_RATINGS) if rng.random() < recall else Rating.Again
                scheduled, _ = portal.review_card(scheduled, rating, now)
                remembered, _ = memory.review_card(remembered, rating, now)
                cards[i] = (scheduled, remembered)
                logs.append(ReviewLog(scheduled.card_id, rating, now, 4000))
                now += timedelta(seconds=rng.randint(5, 20))
    return true_parameters, logs


@dataclass(frozen=True)
class Judgement:
    log_loss: float
    rmse_bins: float
    predicted: int


def judge(parameters: list[float], logs: list[ReviewLog], since: datetime) -> Judgement:
    """How well `parameters` predict recall of the reviews from `since`, replayed by the
    portal's scheduler (only reviews a day or more after the card's previous one)."""
    scheduler = Scheduler(parameters=parameters, enable_fuzzing=False)
    cards: dict[int, Card] = {}
    pairs: list[tuple[float, int]] = []
    for entry in logs:
        card = cards.get(entry.card_id) or Card(card_id=entry.card_id, due=entry.review_datetime)
        if (
            entry.review_datetime >= since
            and card.last_review is not None
            and (entry.review_datetime - card.last_review).days > 0
        ):
            predicted = scheduler.get_card_retrievability(card, entry.review_datetime)
            pairs.append((predicted, 0 if entry.rating == Rating.Again else 1))
        cards[entry.card_id], _ = scheduler.review_card(card, entry.rating, entry.review_datetime)
    loss = 0.0
    bins: dict[int, list[tuple[float, int]]] = {}
    for p, y in pairs:
        p = min(max(p, 1e-6), 1 - 1e-6)
        loss -= y * math.log(p) + (1 - y) * math.log(1 - p)
        bins.setdefault(min(BINS - 1, int(p * BINS)), []).append((p, y))
    squared = 0.0
    for members in bins.values():
        mean_predicted = sum(p for p, _ in members) / len(members)
        recall_rate = sum(y for _, y in members) / len(members)
        squared += len(members) * (mean_predicted - recall_rate) ** 2
    return Judgement(loss / len(pairs), math.sqrt(squared / len(pairs)), len(pairs))


# ---------------------------------------------------------------------------- fitting child


@dataclass(frozen=True)
class Fit:
    parameters: list[float]
    seconds: float
    cpu_seconds: float
    peak_mb: float


def fit_in_child(optimizer: str, logs: list[ReviewLog]) -> Fit:
    """One fit in a fresh process."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump([[e.card_id, int(e.rating), e.review_datetime.isoformat()] for e in logs], file)
    try:
        output = subprocess.run(
            [sys.executable, __file__, "--fit", optimizer, file.name],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(file.name)
    return Fit(**json.loads(output.strip().splitlines()[-1]))


def fit_here(optimizer: str, path: str) -> None:
    logs = [
        ReviewLog(card_id, Rating(rating), datetime.fromisoformat(at), None)
        for card_id, rating, at in json.loads(Path(path).read_text())
    ]
    from learn_app.services.study.fitting import compute_parameters

    if optimizer == "fsrs-rs":
        fit = compute_parameters
    else:
        from fsrs import Optimizer  # the optimizer extra: torch, pandas

        def fit(logs: list[ReviewLog]) -> list[float]:
            return [float(p) for p in Optimizer(logs).compute_optimal_parameters()]

    started, cpu_started = time.perf_counter(), time.process_time()
    parameters = fit(logs)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(asdict(Fit(parameters, seconds, cpu_seconds, peak_mb))))


def torch_optimizer_installed() -> bool:
    """The `fsrs` package defines its Optimizer either way; it works only with torch."""
    return importlib.util.find_spec("torch") is not None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=4)
    parser.add_argument("--days", type=int, default=150)
    parser.add_argument("--new-per-day", type=int, default=12)
    parser.add_argument("--fit", nargs=2, metavar=("OPTIMIZER", "LOGS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fit:
        fit_here(*args.fit)
        return
    optimizers = ["fsrs-rs"] + (["fsrs (torch)"] if torch_optimizer_installed() else [])
    if len(optimizers) == 1:
        print("(the fsrs package's optimizer extra is not installed: fsrs-rs alone)")
    print(
        f"{'learner':>7} {'reviews':>7} {'judged':>6}  {'parameters':<13} "
        f"{'log loss':>8} {'RMSE':>6} {'fit s':>6} {'CPU s':>6} {'peak MB':>7}"
    )
    totals: dict[str, list[float]] = {}
    for learner in range(1, args.learners + 1):
        true_parameters, logs = simulate(learner, args.days, args.new_per_day)
        since = START + timedelta(days=round(args.days * TRAIN_SHARE))
        train = [e for e in logs if e.review_datetime < since]
        rows: list[tuple[str, list[float], str]] = [
            ("true", true_parameters, ""),
            ("defaults", list(DEFAULT_PARAMETERS), ""),
        ]
        for optimizer in optimizers:
            fit = fit_in_child(optimizer, train)
            figures = f"{fit.seconds:6.1f} {fit.cpu_seconds:6.1f} {fit.peak_mb:7.0f}"
            rows.append((optimizer, fit.parameters, figures))
            totals.setdefault(f"{optimizer} fit seconds", []).append(fit.seconds)
            totals.setdefault(f"{optimizer} CPU seconds", []).append(fit.cpu_seconds)
            totals.setdefault(f"{optimizer} peak MB", []).append(fit.peak_mb)
        for name, parameters, figures in rows:
            judged = judge(parameters, logs, since)
            totals.setdefault(f"{name} log loss", []).append(judged.log_loss)
            totals.setdefault(f"{name} RMSE", []).append(judged.rmse_bins)
            print(
                f"{learner:>7} {len(train):>7} {judged.predicted:>6}  {name:<13} "
                f"{judged.log_loss:8.4f} {judged.rmse_bins:6.4f} {figures}"
            )
    print("\nmeans over the learners:")
    for name, values in totals.items():
        print(f"  {name:<24} {sum(values) / len(values):.4f}")


if __name__ == "__main__":
    main()
