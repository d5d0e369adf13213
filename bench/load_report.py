"""What `bench/load.py` prints: the answers' round trips (whole run, sign-in phase, steady
state), errors and reviews stored, the backend's own time per event, the load average, and the
CPU each part of the machine used."""

from __future__ import annotations

import argparse
import os
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

import httpx


@dataclass
class Results:
    # (when the answer was sent, time.monotonic(); its round trip in seconds)
    latencies: list[tuple[float, float]] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    sent: int = 0
    acknowledged: int = 0
    joined: int = 0  # learners answering (or given up) so far
    all_joined_at: float | None = None  # when the last of them started answering

    def took(self, sent_at: float, seconds: float) -> None:
        self.latencies.append((sent_at, seconds))

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


def server_times(backend: int) -> None:
    """What the backend's own metrics say each page event and route took (mean), so the
    round trip splits into work and waiting."""
    text = httpx.get(f"http://127.0.0.1:{backend}/metrics", trust_env=False).text
    totals: dict[str, list[float]] = {}
    pattern = re.compile(
        r"^learn_app_(event|http_request)_duration_seconds_(sum|count)\{(.*)\} (\S+)$"
    )
    for line in text.splitlines():
        match = pattern.match(line)
        if match:
            labels = dict(re.findall(r'(\w+)="([^"]*)"', match.group(3)))
            key = labels.get("handler") or f"{labels.get('method')} {labels.get('route')}"
            pair = totals.setdefault(key, [0.0, 0.0])
            pair[0 if match.group(2) == "sum" else 1] += float(match.group(4))
    busiest = sorted(totals.items(), key=lambda item: -item[1][0])[:10]
    print(
        "server time (mean): "
        + "; ".join(f"{name} {1000 * s / n:.0f} ms x{n:.0f}" for name, (s, n) in busiest if n)
    )


def loads(loads: tuple[float, float, float]) -> str:
    return " / ".join(f"{value:.2f}" for value in loads)


class CpuUsage:
    """CPU seconds over the run: this process (the simulated browsers), the portal (its
    processes: the Reflex workers, Redis, the frontend server), PostgreSQL (the processes
    serving its data directory) and the whole machine (which includes other people's work)."""

    def __init__(self, portal: int, data: Path) -> None:
        self.portal, self.pgdata = portal, str(data / "pgdata")
        self.start = self._sample()

    def _sample(self) -> dict[str, float]:
        import psutil

        def spent(process: psutil.Process) -> float:
            # What it used, and what its children that have ended used.
            times = process.cpu_times()
            return times.user + times.system + times.children_user + times.children_system

        own = psutil.Process().cpu_times()
        sample = {"browsers": own.user + own.system, "portal": 0.0, "postgres": 0.0}
        postgres: set[int] = set()
        for process in psutil.process_iter(["cmdline"]):
            try:
                if any(self.pgdata in part for part in process.info["cmdline"] or ()):
                    postgres.add(process.pid)
                    postgres.update(child.pid for child in process.children(recursive=True))
            except psutil.Error:
                continue
        try:
            portal = psutil.Process(self.portal)
            processes = [portal, *portal.children(recursive=True)]
        except psutil.Error:
            processes = []
        for process in processes:
            try:
                sample["portal"] += spent(process)
            except psutil.Error:
                continue
        for pid in postgres:
            try:
                sample["postgres"] += spent(psutil.Process(pid))
            except psutil.Error:
                continue
        machine = psutil.cpu_times()
        busy = machine.user + machine.system + machine.nice + machine.irq + machine.softirq
        sample["machine"] = busy
        return sample

    def stop(self) -> None:
        self.end = self._sample()

    def report(self, elapsed: float) -> None:
        """Each part's CPU seconds and share of the machine's cores over the run."""
        cores = os.cpu_count() or 1
        spent = {kind: self.end[kind] - self.start[kind] for kind in self.start}
        shown = "; ".join(
            f"{kind} {spent[kind]:.0f} s ({100 * spent[kind] / (elapsed * cores):.0f}%)"
            for kind in ("browsers", "portal", "postgres", "machine")
        )
        print(f"CPU over the run, share of {cores} cores: {shown}")
        print(
            "  (portal: its workers, Redis and frontend server; postgres: the server and its"
            " connections; machine: everything running, other people's work included)"
        )


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def report(
    args: argparse.Namespace, results: Results, sessions: int, elapsed: float, stored: int
) -> None:
    mode = "back to back" if args.back_to_back else "every 3-8 s"
    kind = "REST clients" if args.rest else "browser learners"
    print(
        f"{args.learners} {kind} ({sessions} sessions) answering {mode}, "
        f"{args.workers} worker(s), {elapsed:.0f}s"
    )
    ms = [1000 * seconds for _, seconds in results.latencies]
    print(f"answer round trip: {_spread(ms)}; {len(ms) / elapsed:.1f} answers/s")
    joined = results.all_joined_at
    if joined is None:
        print("  not every learner started answering before the end")
    else:
        first = min((at for at, _ in results.latencies), default=joined)
        early = [1000 * seconds for at, seconds in results.latencies if at < joined]
        steady = [1000 * seconds for at, seconds in results.latencies if at >= joined]
        print(
            f"  while learners sign in and launch (first {max(0.0, joined - first):.0f}s of "
            f"answering, {len(early)} answers): {_spread(early)}"
        )
        print(f"  steady state, every learner in ({len(steady)} answers): {_spread(steady)}")
    errors = sum(results.errors.values())
    print(f"errors: {errors} {results.errors or ''}")
    print(
        f"reviews: sent {results.sent}, acknowledged {results.acknowledged}, stored {stored}"
        f" ({'none lost or doubled' if stored == results.acknowledged else 'MISMATCH'})"
    )


def _spread(ms: list[float]) -> str:
    if len(ms) < 2:
        return f"{len(ms)} answer(s)"
    return (
        f"p50 {percentile(ms, 50):.0f} ms, p95 {percentile(ms, 95):.0f} ms, "
        f"p99 {percentile(ms, 99):.0f} ms, max {max(ms):.0f} ms"
    )
