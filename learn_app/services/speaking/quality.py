"""How well scores tell a sentence said right from a different one, and point at the word that
was wrong — measured on held-out course sentences (`fitting.held_out_half`) the calibration
was never fitted on. The specs hold a small set of these to thresholds on every run;
`bench/speaking_quality.py` measures the full figures.

Recordings are synthesised (`voices.learner`): real learners' speech will score lower and
noisier, so these are the scorer's upper bound, and a regression guard.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from learn_app.services.speaking import japanese, voices
from learn_app.services.speaking.calibration import auc
from learn_app.services.speaking.fitting import held_out_half, mismatch_for
from learn_app.services.speaking.scoring import Target, latin_words

if TYPE_CHECKING:
    from learn_app.services.speaking.worker import SpeakingEngine

Speaker = Callable[[str, str, int], np.ndarray]  # (language, text, variant) → 16 kHz samples


@dataclass(frozen=True)
class Separation:
    auc: float
    matched: list[int]
    mismatched: list[int]


@dataclass(frozen=True)
class Localisation:
    found: int
    cases: int


def separation(
    engine: SpeakingEngine, language: str, pairs: int, speak: Speaker = voices.learner
) -> Separation:
    """Scores of `pairs` held-out sentences said right, and of the same recordings scored
    against another sentence of similar length; one transcription serves both."""
    targets = held_out_half(language)[:pairs]
    if len(targets) < pairs:
        raise ValueError(f"only {len(targets)} held-out {language} sentences")
    matched, mismatched = [], []
    for index, target in enumerate(targets):
        samples = speak(language, target.text, index)
        heard = engine.transcribe(samples, language)
        matched.append(engine.evaluate(samples, target, transcript=heard).judgement["score"])
        other = mismatch_for(targets, index)
        mismatched.append(engine.evaluate(samples, other, transcript=heard).judgement["score"])
    return Separation(auc(matched, mismatched), matched, mismatched)


def localisation(
    engine: SpeakingEngine, language: str, count: int, speak: Speaker = voices.learner
) -> Localisation:
    """In how many of `count` sentences said with one word swapped for another the swapped
    word gets the lowest word score, alone."""
    cases = substitutions(language, count)
    found = 0
    for variant, (target, said, swapped) in enumerate(cases):
        words = engine.evaluate(speak(language, said, variant), target).judgement["words"]
        scores = [w["score"] for w in words]
        lowest = min(scores)
        if scores[swapped] == lowest and scores.count(lowest) == 1:
            found += 1
    return Localisation(found, len(cases))


def substitutions(language: str, count: int) -> list[tuple[Target, str, int]]:
    """(target, sentence said instead, index of the word swapped), `count` of them."""
    cases = _japanese(count) if language == "ja" else _latin(language, count)
    if len(cases) < count:
        raise ValueError(f"only {len(cases)} {language} sentences to swap a word in")
    return cases


def _japanese(count: int) -> list[tuple[Target, str, int]]:
    """A noun of two or more morae replaced by a noun of another held-out sentence that
    sounds different."""
    import pyopenjtalk

    targets = held_out_half("ja")
    nouns = []
    for target in targets:
        for node in pyopenjtalk.run_frontend(target.text):
            if node["pos"] == "名詞" and node["mora_size"] >= 2 and node["pos_group1"] != "数":
                nouns.append((node["string"], node["pron"]))
    cases: list[tuple[Target, str, int]] = []
    for index, target in enumerate(targets):
        if len(cases) == count:
            break
        words = japanese.words_of(target.text)
        texts = [w.text for w in words]
        nodes = pyopenjtalk.run_frontend(target.text)
        for node in nodes:
            if (
                node["pos"] == "名詞"
                and node["mora_size"] >= 2
                and texts.count(node["string"]) == 1
                and len(words) >= 3
            ):
                swap = nouns[(index * 7) % len(nouns)]
                offset = 1
                while swap[1][:2] == node["pron"][:2] or swap[0] in target.text:
                    swap = nouns[(index * 7 + offset) % len(nouns)]
                    offset += 1
                said = "".join(swap[0] if n is node else n["string"] for n in nodes)
                cases.append((target, said, texts.index(node["string"])))
                break
    return cases


def _latin(language: str, count: int) -> list[tuple[Target, str, int]]:
    """Spanish and English: a word of four or more letters replaced by a word of five or more
    from another held-out sentence, starting differently."""
    targets = held_out_half(language)
    pool = [w for t in targets for _, w in latin_words(t.text) if len(w) >= 5]
    cases: list[tuple[Target, str, int]] = []
    for index, target in enumerate(targets):
        if len(cases) == count:
            break
        words = latin_words(target.text)
        plain = [p for _, p in words]
        choices = [i for i, p in enumerate(plain) if len(p) >= 4 and plain.count(p) == 1]
        if len(words) < 3 or not choices:
            continue
        position = choices[index % len(choices)]
        swap = pool[(index * 11) % len(pool)]
        offset = 1
        while swap in plain or swap[:3] == plain[position][:3]:
            swap = pool[(index * 11 + offset) % len(pool)]
            offset += 1
        said = " ".join(swap if i == position else shown for i, (shown, _) in enumerate(words))
        cases.append((target, said, position))
    return cases
