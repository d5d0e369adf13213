"""Scoring off the event loop: one worker process holds the models and scores attempts.

Whisper and the aligner are CPU-bound and hold the GIL for long stretches, so they run in a
process of their own (spawned, so it never inherits the web server's threads). It loads the
models once and scores one attempt at a time with two threads, which keeps a 2-core server
responsive for everyone else. `score` is awaited by the API and the page alike.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from learn_app.services.speaking import pitch
from learn_app.services.speaking.asr import Recogniser, Transcript, model_dir
from learn_app.services.speaking.audio import SAMPLE_RATE
from learn_app.services.speaking.calibration import Calibration, shipped
from learn_app.services.speaking.scoring import Acoustic, Evidence, Target, gather, judge, measure
from learn_app.services.speaking.voices import open_jtalk

SCORING_THREADS = 2


@dataclass(frozen=True)
class Scored:
    evidence: Evidence
    judgement: dict[str, Any]
    seconds: float


class SpeakingEngine:
    """Models loaded once; `evaluate` scores a recording against a target."""

    def __init__(self, whisper_dir: Path, *, threads: int = SCORING_THREADS) -> None:
        self.recogniser = Recogniser(whisper_dir, threads=threads)
        # The aligners and the pitch tracker run beside Whisper, which leaves the GIL while
        # it computes: the two overlap instead of adding up.
        self._beside = ThreadPoolExecutor(max_workers=1, thread_name_prefix="speaking-acoustic")
        # Both aligners load once, in the background, so no learner waits for them.
        self._beside.submit(_load_aligners)

    def transcribe(self, samples: np.ndarray, language: str) -> Transcript:
        return self.recogniser.transcribe(samples, language)

    def evaluate(
        self,
        samples: np.ndarray,
        target: Target,
        *,
        transcript: Transcript | None = None,
        calibration: Calibration | None = None,
    ) -> Scored:
        import time

        started = time.perf_counter()
        acoustic = self._beside.submit(_measure, samples, target)
        heard = transcript or self.transcribe(samples, target.language)
        evidence = gather(samples, SAMPLE_RATE, heard, target, acoustic=acoustic.result())
        judgement = judge(evidence, calibration or shipped())
        return Scored(evidence, judgement, time.perf_counter() - started)


def _load_aligners() -> None:
    from learn_app.services.speaking import alignment, english

    alignment.phone_set()
    english.scorer()


def _measure(samples: np.ndarray, target: Target) -> Acoustic:
    reference = reference_contour(target.text) if target.language == "ja" else None
    return measure(samples, SAMPLE_RATE, target, reference)


@lru_cache(maxsize=256)
def reference_contour(text: str) -> pitch.Contour:
    samples, rate = open_jtalk(text)
    return pitch.contour(samples, rate)


# ------------------------------------------------------------------------ the worker process

_engine: SpeakingEngine | None = None


def _start_worker(whisper_dir: str) -> None:
    global _engine
    _engine = SpeakingEngine(Path(whisper_dir))


def _score_in_worker(samples: np.ndarray, target: Target) -> Scored:
    assert _engine is not None
    return _engine.evaluate(samples, target)


def _worker_pid() -> int:
    import os

    return os.getpid()


_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def pool(data_dir: Path, whisper_model: str = "") -> ProcessPoolExecutor:
    """The scoring worker, started on first use (the model files are assembled first)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            directory = model_dir(data_dir, whisper_model)
            _pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(str(directory),),
            )
        return _pool


def worker_pid(data_dir: Path) -> int:
    return pool(data_dir).submit(_worker_pid).result()


async def score(samples: np.ndarray, target: Target, *, data_dir: Path) -> Scored:
    executor = await asyncio.to_thread(pool, data_dir)
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(executor, _score_in_worker, samples, target)


def shutdown() -> None:
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.shutdown(wait=True, cancel_futures=True)
            _pool = None
