"""Speaking practice: how long scoring takes per clip length, and what the scorer holds.

    .venv/bin/python bench/speaking.py [--runs 7] [--lengths 2 5 10 20] [--languages ja es en]

Clips are course sentences said by the stand-in learner voices (Open JTalk for Japanese,
espeak-ng for Spanish and English; English sentences from the specs' English course), strung
together to about each length. Each is scored through the real scoring worker process (as the
API and the page do), `--runs` times; the figures are wall-clock seconds from handing the clip
over to having its scores, and the CPU seconds the worker spent on it (all its threads), which
a busy machine changes far less. The worker's memory is its resident set after the runs
(VmRSS) and at its peak (VmHWM), from /proc.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path

import numpy as np

from learn_app.services.speaking import voices, worker
from learn_app.services.speaking.audio import SAMPLE_RATE
from learn_app.services.speaking.fitting import course_sentences
from learn_app.services.speaking.scoring import Target


def clip(language: str, seconds: float) -> tuple[np.ndarray, Target]:
    """Sentences said one after another until the clip is about `seconds` long."""
    parts: list[np.ndarray] = []
    texts: list[str] = []
    for index, target in enumerate(course_sentences(language)[5:]):
        said = voices.learner(language, target.text, index)
        if parts and sum(p.size for p in parts) + said.size > seconds * SAMPLE_RATE * 1.15:
            continue
        parts.append(said)
        texts.append(target.text)
        if sum(p.size for p in parts) >= seconds * SAMPLE_RATE * 0.85:
            break
    joiner = "" if language == "ja" else " "
    return np.concatenate(parts), Target(language, joiner.join(texts))


def memory(pid: int) -> tuple[float, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        fields[name] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def cpu_seconds(pid: int) -> float:
    """CPU time the worker has used, all its threads (user + system): unlike wall-clock time
    it hardly depends on what else the machine is running."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--lengths", type=float, nargs="+", default=[2, 5, 10, 20])
    parser.add_argument("--languages", nargs="+", default=["ja", "es", "en"])
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="bench-speaking-"))
    started = time.perf_counter()
    pid = await asyncio.to_thread(worker.worker_pid, data_dir)
    print(f"worker started (models loaded) in {time.perf_counter() - started:.1f} s, pid {pid}")
    rss, peak = memory(pid)
    print(f"worker memory after loading: {rss:.0f} MB resident")
    print(
        f"{'language':8} {'clip s':>7} {'first s':>8} {'p50 s':>7} {'p95 s':>7}"
        f" {'x real time':>11} {'CPU s p50':>10}"
    )
    for language in args.languages:
        for length in args.lengths:
            samples, target = clip(language, length)
            seconds = samples.size / SAMPLE_RATE
            times, cpu = [], []
            for _ in range(args.runs):
                began, used = time.perf_counter(), cpu_seconds(pid)
                await worker.score(samples, target, data_dir=data_dir)
                times.append(time.perf_counter() - began)
                cpu.append(cpu_seconds(pid) - used)
            # The first run also makes the reference voice's pitch contour (Japanese), which
            # later attempts at the same sentence find made; p50 and p95 are over all runs.
            p50, p95 = np.percentile(times, 50), np.percentile(times, 95)
            print(
                f"{language:8} {seconds:7.1f} {times[0]:8.2f} {p50:7.2f} {p95:7.2f}"
                f" {p50 / seconds:11.2f} {np.median(cpu):10.2f}"
            )
    rss, peak = memory(pid)
    print(f"worker memory after scoring: {rss:.0f} MB resident, {peak:.0f} MB at its peak")
    worker.shutdown()


if __name__ == "__main__":
    asyncio.run(main())
