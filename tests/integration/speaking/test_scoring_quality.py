"""How well scores tell a sentence said right from a different sentence, and point at the
word that was wrong — measured on course sentences the calibration was never fitted on.

Recordings are synthesised (see `voices.learner`): real learners' speech will score lower
and noisier, so these are the scorer's upper bound, and a regression guard.
"""

from __future__ import annotations

import numpy as np
import pytest

from learn_app.services.speaking import japanese
from learn_app.services.speaking.calibration import auc
from learn_app.services.speaking.fitting import held_out_half, mismatch_for
from learn_app.services.speaking.scoring import Target, latin_words

PAIRS = 50
SUBSTITUTIONS = 20


def _separation(scorer, spoken, language: str) -> tuple[float, list[int], list[int]]:
    targets = held_out_half(language)[:PAIRS]
    assert len(targets) == PAIRS
    matched, mismatched = [], []
    for index, target in enumerate(targets):
        samples = spoken(language, target.text, index)
        heard = scorer.transcribe(samples, language)
        matched.append(scorer.evaluate(samples, target, transcript=heard).judgement["score"])
        other = mismatch_for(targets, index)
        mismatched.append(scorer.evaluate(samples, other, transcript=heard).judgement["score"])
    return auc(matched, mismatched), matched, mismatched


@pytest.mark.parametrize("language", ["ja", "es"])
def test_the_right_sentence_scores_clearly_above_a_different_one(scorer, spoken, language) -> None:
    area, matched, mismatched = _separation(scorer, spoken, language)
    print(
        f"\n{language}: AUC {area:.3f} over {PAIRS} matched / {PAIRS} mismatched pairs; "
        f"median score {np.median(matched):.0f} said right, {np.median(mismatched):.0f} wrong"
    )
    assert area >= 0.95
    assert np.median(matched) >= 70
    assert np.median(mismatched) <= 30


def _japanese_substitutions() -> list[tuple[Target, str, int]]:
    """(target, sentence said instead, index of the word swapped): a noun of two or more
    morae replaced by a noun of another held-out sentence that sounds different."""
    import pyopenjtalk

    targets = held_out_half("ja")
    nouns = []
    for target in targets:
        for node in pyopenjtalk.run_frontend(target.text):
            if node["pos"] == "名詞" and node["mora_size"] >= 2 and node["pos_group1"] != "数":
                nouns.append((node["string"], node["pron"]))
    cases = []
    for index, target in enumerate(targets):
        if len(cases) == SUBSTITUTIONS:
            break
        words = japanese.words_of(target.text)
        nodes = pyopenjtalk.run_frontend(target.text)
        for node in nodes:
            texts = [w.text for w in words]
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


def _spanish_substitutions() -> list[tuple[Target, str, int]]:
    targets = held_out_half("es")
    pool = [w for t in targets for _, w in latin_words(t.text) if len(w) >= 5]
    cases = []
    for index, target in enumerate(targets):
        if len(cases) == SUBSTITUTIONS:
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


@pytest.mark.parametrize("language", ["ja", "es"])
def test_the_swapped_word_gets_the_lowest_word_score(scorer, spoken, language) -> None:
    cases = _japanese_substitutions() if language == "ja" else _spanish_substitutions()
    assert len(cases) == SUBSTITUTIONS
    found = 0
    for variant, (target, said, swapped) in enumerate(cases):
        samples = spoken(language, said, variant)
        words = scorer.evaluate(samples, target).judgement["words"]
        scores = [w["score"] for w in words]
        lowest = min(scores)
        if scores[swapped] == lowest and scores.count(lowest) == 1:
            found += 1
    rate = found / len(cases)
    print(f"\n{language}: the swapped word scored lowest in {found} of {len(cases)} sentences")
    assert rate >= 0.8
