"""Pitch contours and how closely the learner's follows the reference voice's.

The fundamental frequency comes from WORLD's DIO + StoneMask (pyworld), every 10 ms. Voices
differ in register, so each contour is in semitones from its own speaker's median; unvoiced
frames are left out and the voiced ones resampled to a fixed length before dynamic time
warping lines up the two, whatever the speaking rate. The distance is the mean gap in
semitones along the warping path: Japanese pitch accent is a rise or a fall between morae
of about 2–5 semitones, so a gap of 1–2 is close and 4+ means the accent moved.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FRAME_MS = 10.0
POINTS = 120
MIN_VOICED_FRAMES = 10


@dataclass(frozen=True)
class Contour:
    times: list[float]  # seconds
    semitones: list[float]  # from the speaker's median


def contour(samples: np.ndarray, rate: int) -> Contour:
    import pyworld

    signal = samples.astype(np.float64)
    f0, times = pyworld.dio(signal, rate, f0_floor=60.0, f0_ceil=600.0, frame_period=FRAME_MS)
    f0 = pyworld.stonemask(signal, f0, times, rate)
    voiced = f0 > 0
    if np.count_nonzero(voiced) < MIN_VOICED_FRAMES:
        return Contour([], [])
    semitones = 12 * np.log2(f0[voiced] / np.median(f0[voiced]))
    return Contour(
        [round(float(t), 3) for t in times[voiced]], [round(float(s), 2) for s in semitones]
    )


def _resampled(values: list[float]) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64)
    positions = np.linspace(0, array.size - 1, POINTS)
    return np.interp(positions, np.arange(array.size), array)


def dtw_distance(learner: Contour, reference: Contour) -> tuple[float, list[tuple[int, int]]]:
    """Mean semitone gap along the best time warping of the two contours, and the path
    (indices into the resampled contours); infinite when either has too little voicing."""
    if not learner.semitones or not reference.semitones:
        return float("inf"), []
    a = _resampled(learner.semitones)
    b = _resampled(reference.semitones)
    cost = np.abs(a[:, None] - b[None, :])
    n, m = cost.shape
    total = np.full((n + 1, m + 1), np.inf)
    total[0, 0] = 0.0
    for i in range(1, n + 1):
        row = cost[i - 1]
        previous = total[i - 1]
        diagonal_or_up = np.minimum(previous[1:], previous[:-1]) + row
        current = total[i]
        for j in range(1, m + 1):
            current[j] = min(diagonal_or_up[j - 1], current[j - 1] + row[j - 1])
    path: list[tuple[int, int]] = []
    i, j = n, m
    while i > 0 and j > 0:
        path.append((i - 1, j - 1))
        steps = (total[i - 1, j - 1], total[i - 1, j], total[i, j - 1])
        move = int(np.argmin(steps))
        if move == 0:
            i, j = i - 1, j - 1
        elif move == 1:
            i -= 1
        else:
            j -= 1
    path.reverse()
    gaps = [cost[p, q] for p, q in path]
    return float(np.mean(gaps)), path
