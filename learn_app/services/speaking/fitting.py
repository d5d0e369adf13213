"""Fit the score calibration on synthesised speech, and measure how well scores separate.

    python -m learn_app.services.speaking.fitting [--per-language 60] [--languages en]

Course example sentences are split in two by position: the even ones fit the calibration
(written to `calibration.json`), the odd ones are held out for the tests, so the figures the
tests assert are on sentences the fit never saw. Each sentence is said by a stand-in learner
voice (`voices.learner`); a *matched* pair scores it against its own text, a *mismatched*
pair against another sentence of similar length. The portal ships no English course, so
English sentences come from the specs' English course (tests/data/courses/en-speaking.yaml).
`--languages` refits only those languages and keeps the others' fits as they are.
"""

from __future__ import annotations

import argparse
import pickle
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import yaml

from learn_app.services.speaking import voices
from learn_app.services.speaking.calibration import (
    CALIBRATION_FILE,
    Calibration,
    Logistic,
    PhoneNorm,
    auc,
    fit_logistic,
    from_json,
)
from learn_app.services.speaking.scoring import (
    PHONE_MODEL,
    Evidence,
    Target,
    gather,
    unit_values,
    utterance_values,
)

if TYPE_CHECKING:  # for the annotation only: collect() imports the worker when it runs
    from learn_app.services.speaking.worker import SpeakingEngine

ROOT = Path(__file__).resolve().parents[3]
COURSE_FILES = {
    "ja": ROOT / "content" / "ja-en" / "course.yaml",
    "es": ROOT / "content" / "es-en" / "course.yaml",
    "en": ROOT / "tests" / "data" / "courses" / "en-speaking.yaml",
}
UTTERANCE_FEATURES = {
    "ja": ("cer", "gop_mean", "gop_worst_word", "pitch_gap"),
    "es": ("cer", "similarity_mean", "similarity_worst", "probability_mean"),
    "en": ("cer", "similarity_mean", "gop_mean", "gop_worst_word"),
}
UNIT_FEATURES = {
    "ja": ("gop", "heard"),
    "es": ("similarity", "probability"),
    "en": ("similarity", "gop"),
}


def course_sentences(language: str) -> list[Target]:
    """The course's example sentences in order, each once, 2 to 40 characters long."""
    course = yaml.safe_load(COURSE_FILES[language].read_text("utf-8"))
    seen: set[str] = set()
    targets: list[Target] = []
    for group in course["groups"]:
        for word in group["words"]:
            text = (word.get("example_sentence") or "").strip()
            if not text or text in seen or not 2 <= len(text) <= 40:
                continue
            seen.add(text)
            targets.append(Target(language, text, (word.get("example_reading") or "").strip()))
    return targets


def fit_half(language: str) -> list[Target]:
    return course_sentences(language)[0::2]


def held_out_half(language: str) -> list[Target]:
    return course_sentences(language)[1::2]


def mismatch_for(targets: list[Target], index: int) -> Target:
    """Another sentence of the list, the nearest in length that is not the same text."""
    own = targets[index]
    others = [t for t in targets if t.text != own.text]
    return min(others, key=lambda t: (abs(len(t.text) - len(own.text)), t.text))


@dataclass
class Pair:
    evidence: Evidence
    matched: bool


def collect(engine: SpeakingEngine, targets: list[Target]) -> list[Pair]:
    """A matched and a mismatched pair per sentence; one transcription serves both."""
    from learn_app.services.speaking.audio import SAMPLE_RATE
    from learn_app.services.speaking.worker import reference_contour

    pairs: list[Pair] = []
    for index, target in enumerate(targets):
        samples = voices.learner(target.language, target.text, index)
        heard = engine.transcribe(samples, target.language)
        for candidate, matched in ((target, True), (mismatch_for(targets, index), False)):
            reference = reference_contour(candidate.text) if candidate.language == "ja" else None
            evidence = gather(samples, SAMPLE_RATE, heard, candidate, reference)
            pairs.append(Pair(evidence, matched))
    return pairs


def phone_norms(pairs: list[Pair]) -> dict[str, PhoneNorm]:
    gops: dict[str, list[float]] = {}
    for pair in pairs:
        if not pair.matched:
            continue
        for word in pair.evidence.words:
            for unit in word.units:
                for phone in unit.phones:
                    gops.setdefault(phone["phone"], []).append(phone["gop"])
    return {
        phone: PhoneNorm(float(np.mean(v)), max(float(np.std(v)), 0.5))
        for phone, v in gops.items()
        if len(v) >= 3
    }


def fit(pairs_by_language: dict[str, list[Pair]], keep: Calibration | None = None) -> Calibration:
    """A calibration fitted on the pairs; the languages they lack keep `keep`'s fits."""
    norms: dict[str, PhoneNorm] = {}
    utterance, unit = {}, {}
    if keep is not None:
        others = [lang for lang in keep.utterance if lang not in pairs_by_language]
        utterance = {lang: keep.utterance[lang] for lang in others}
        unit = {k: v for k, v in keep.unit.items() if k.partition("-")[0] in others}
        norms = {p: n for p, n in keep.phones.items() if _phone_language(p) in others}
    for language, pairs in pairs_by_language.items():
        if language in ("ja", "en"):
            norms.update(phone_norms(pairs))
    partial = Calibration({}, {}, norms)
    for language, pairs in pairs_by_language.items():
        rows = [utterance_values(p.evidence, partial) for p in pairs]
        labels = [int(p.matched) for p in pairs]
        utterance[language] = fit_logistic(rows, labels, UTTERANCE_FEATURES[language])
        unit_rows, unit_labels = [], []
        for pair in pairs:
            for word in unit_values(pair.evidence, partial):
                for row in word:
                    unit_rows.append(row)
                    unit_labels.append(int(pair.matched))
        unit[language] = fit_logistic(unit_rows, unit_labels, UNIT_FEATURES[language])
        if language == "en":
            unit[PHONE_MODEL] = _phone_model(pairs, partial)
    return Calibration(utterance, unit, norms)


def _phone_language(phone: str) -> str:
    """English phones are ARPABET (upper case); the Japanese aligner's are lower case."""
    return "en" if phone.isupper() else "ja"


def _phone_model(pairs: list[Pair], calibration: Calibration) -> Logistic:
    """One English phone's score from its normalised GOP, fitted on every phone of the pairs."""
    rows, labels = [], []
    for pair in pairs:
        for word in pair.evidence.words:
            for unit in word.units:
                for phone in unit.phones:
                    rows.append({"gop": calibration.normalised_gop(phone["phone"], phone["gop"])})
                    labels.append(int(pair.matched))
    return fit_logistic(rows, labels, ("gop",))


def separation(pairs: list[Pair], calibration: Calibration) -> float:
    from learn_app.services.speaking.scoring import judge

    scores = [(judge(p.evidence, calibration)["score"], p.matched) for p in pairs]
    return auc([s for s, m in scores if m], [s for s, m in scores if not m])


def main() -> None:
    from learn_app.config import get_settings
    from learn_app.services.speaking.asr import model_dir
    from learn_app.services.speaking.worker import SpeakingEngine

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-language", type=int, default=60)
    parser.add_argument("--out", type=Path, default=CALIBRATION_FILE)
    parser.add_argument(
        "--evidence", type=Path, help="keep the measured pairs here, and refit from them if there"
    )
    parser.add_argument("--languages", nargs="+", default=list(COURSE_FILES))
    args = parser.parse_args()
    if args.evidence and args.evidence.exists():
        pairs: dict[str, list[Pair]] = pickle.loads(args.evidence.read_bytes())  # noqa: S301
    else:
        engine = SpeakingEngine(model_dir(get_settings().data_dir))
        pairs = {}
        for language in args.languages:
            started = time.perf_counter()
            pairs[language] = collect(engine, fit_half(language)[: args.per_language])
            seconds = time.perf_counter() - started
            print(f"{language}: {len(pairs[language])} pairs in {seconds:.0f} s", flush=True)
        if args.evidence:
            args.evidence.write_bytes(pickle.dumps(pairs))
    kept = from_json(args.out.read_text("utf-8")) if args.out.exists() else None
    calibration = fit(pairs, kept)
    args.out.write_text(calibration.to_json() + "\n", encoding="utf-8")
    for language, language_pairs in pairs.items():
        area = separation(language_pairs, calibration)
        print(f"{language}: AUC on the fitting sentences {area:.3f}")


if __name__ == "__main__":
    main()
