"""Speaking practice: how well scores separate and localise, over the full held-out sets.

    .venv/bin/python bench/speaking_quality.py [--pairs 50] [--swaps 20] [--languages ja es en]

For each language, `--pairs` held-out course sentences (English: the specs' English course)
are said by the stand-in learner voices and scored against their own text and against another
sentence of similar length: the AUC says how often a sentence said right outscores one said
wrong. Then `--swaps` sentences are said with one word swapped for another: how often the
swapped word gets the lowest word score, alone. The specs hold a smaller set to thresholds;
these are the figures to report. Scoring runs in this process with the worker's engine.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from learn_app.config import get_settings
from learn_app.services.speaking import quality
from learn_app.services.speaking.asr import model_dir
from learn_app.services.speaking.worker import SpeakingEngine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=int, default=50)
    parser.add_argument("--swaps", type=int, default=20)
    parser.add_argument("--languages", nargs="+", default=["ja", "es", "en"])
    args = parser.parse_args()
    engine = SpeakingEngine(model_dir(get_settings().data_dir))
    print(
        f"{'language':8} {'pairs':>5} {'AUC':>6} {'median right':>12} {'median wrong':>12}"
        f" {'swapped lowest':>15} {'seconds':>8}"
    )
    for language in args.languages:
        started = time.perf_counter()
        separated = quality.separation(engine, language, args.pairs)
        located = quality.localisation(engine, language, args.swaps)
        print(
            f"{language:8} {args.pairs:5d} {separated.auc:6.3f}"
            f" {np.median(separated.matched):12.0f} {np.median(separated.mismatched):12.0f}"
            f" {located.found:>8d} of {located.cases:<3d} {time.perf_counter() - started:8.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
