"""The evidence in one attempt, and the scores it earns.

`gather` collects raw evidence from the recording, its transcript and the target — which is
kept with the attempt as it is, so a better model can be fitted on real attempts later —
and `judge` turns it into scores through a `Calibration`.

Depth by language: every language gets intelligibility (what Whisper heard against the
target, as a character error rate; Japanese compared in kana). Japanese adds a score per word
and per mora from forced alignment of the target's phones (snfa), and a pitch-accent
comparison with Open JTalk's reading of the sentence. Spanish gets a score per word from
which target words were heard, and how surely, with each word's IPA to say it from. English
gets the same, and a score per phone from forced alignment of the target's phones
(pocketsphinx, see `english`), which also weighs in each word's score.

`measure` takes what needs only the recording and the target (alignment, pitch), so the
worker runs it while Whisper transcribes; `gather` adds what the transcript says.
"""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from rapidfuzz.distance import Levenshtein

from learn_app.services.speaking import english, japanese, pitch
from learn_app.services.speaking.alignment import align, log_posteriors
from learn_app.services.speaking.asr import Transcript
from learn_app.services.speaking.calibration import Calibration
from learn_app.services.speaking.english import GOP_FLOOR
from learn_app.services.speaking.voices import ipa

LANGUAGES = ("ja", "es", "en")
IPA_VOICES = {"en": "en-us"}  # espeak-ng voice for the IPA shown under each word
PHONE_MODEL = "en-phone"  # the calibration's model for one English phone, from its GOP
PITCH_GAP_CAP = 8.0  # semitones: "no usable contour" counts as this far off


@dataclass(frozen=True)
class Target:
    language: str
    text: str
    reading: str = ""  # Japanese: the course's kana, when it has one


@dataclass
class UnitEvidence:
    """A Japanese mora or a Spanish word: what was measured for it."""

    text: str
    values: dict[str, float]
    ipa: str = ""
    heard: str = ""
    phones: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class WordEvidence:
    text: str
    kana: str
    units: list[UnitEvidence]


@dataclass
class Evidence:
    language: str
    target: str
    target_kana: str
    heard: str
    heard_kana: str
    cer: float
    asr: dict[str, float]
    words: list[WordEvidence]
    learner_pitch: dict[str, list[float]] | None = None
    reference_pitch: dict[str, list[float]] | None = None
    pitch_gap: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# --------------------------------------------------------------------------- text handling


def plain_latin(text: str) -> str:
    """Lower case, accents and punctuation gone: what ASR output is compared in."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c if c.isalnum() else " " for c in kept)


def latin_words(text: str) -> list[tuple[str, str]]:
    """(as written, plain) for every word of `text`."""
    pairs: list[tuple[str, str]] = []
    for raw in text.split():
        plain = plain_latin(raw).replace(" ", "")
        if plain:
            shown = raw.strip("¡!¿?.,;:«»\"'()…")
            pairs.append((shown or raw, plain))
    return pairs


def character_error_rate(heard: str, target: str) -> float:
    if not target:
        return 1.0
    return min(Levenshtein.distance(heard, target) / len(target), 1.5)


def align_words(target: list[str], heard: list[str]) -> list[int | None]:
    """For each target word, the index of the heard word it lines up with (None: not heard),
    by edit distance over words where a substitution costs how unlike the two words are."""
    n, m = len(target), len(heard)
    cost = np.zeros((n + 1, m + 1))
    cost[:, 0] = np.arange(n + 1)
    cost[0, :] = np.arange(m + 1)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            unlike = 1 - Levenshtein.normalized_similarity(target[i - 1], heard[j - 1])
            cost[i, j] = min(cost[i - 1, j] + 1, cost[i, j - 1] + 1, cost[i - 1, j - 1] + unlike)
    matched: list[int | None] = [None] * n
    i, j = n, m
    while i > 0 and j > 0:
        unlike = 1 - Levenshtein.normalized_similarity(target[i - 1], heard[j - 1])
        if np.isclose(cost[i, j], cost[i - 1, j - 1] + unlike):
            if unlike < 1:
                matched[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif np.isclose(cost[i, j], cost[i - 1, j] + 1):
            i -= 1
        else:
            j -= 1
    return matched


# ------------------------------------------------------------------------------- evidence


@dataclass
class Acoustic:
    """What is measured from the recording and the target alone, without the transcript — so
    it can be measured while Whisper is still listening: per phone of the target, where it
    lies and its GOP (Japanese and English), and the pitch contours (Japanese)."""

    phones: list[list[list[dict[str, Any]]]]  # per word, per unit, its phones
    learner_pitch: pitch.Contour | None = None
    reference_pitch: pitch.Contour | None = None
    pitch_gap: float | None = None


def _phone_rows(aligned: list[Any]) -> list[dict[str, Any]]:
    return [
        {"phone": a.phone, "gop": round(a.gop, 3), "start_ms": a.start_ms, "end_ms": a.end_ms}
        for a in aligned
    ]


def measure(
    samples: np.ndarray, rate: int, target: Target, reference: pitch.Contour | None = None
) -> Acoustic:
    """The transcript-free half of the evidence (nothing at all for Spanish)."""
    if target.language == "en":
        words = english.words_of(latin_words(target.text))
        scored = english.scorer().score(samples, words) if words else []
        return Acoustic([[_phone_rows(aligned)] for aligned in scored])
    if target.language != "ja":
        return Acoustic([])
    words_ja = japanese.words_of(target.text)
    phones = [p for w in words_ja for m in w.morae for p in m.phones]
    aligned = align(log_posteriors(samples), phones) if phones else []
    cursor = 0
    rows: list[list[list[dict[str, Any]]]] = []
    for word in words_ja:
        rows.append([])
        for mora in word.morae:
            rows[-1].append(_phone_rows(aligned[cursor : cursor + len(mora.phones)]))
            cursor += len(mora.phones)
    learner = pitch.contour(samples, rate)
    gap = None
    if reference is not None:
        distance, _ = pitch.dtw_distance(learner, reference)
        gap = min(distance, PITCH_GAP_CAP)
    return Acoustic(rows, learner, reference, gap)


def gather(
    samples: np.ndarray,
    rate: int,
    transcript: Transcript,
    target: Target,
    reference: pitch.Contour | None = None,
    acoustic: Acoustic | None = None,
) -> Evidence:
    """Everything measured about one attempt at `target`, before any calibration
    (`acoustic`: the transcript-free half, when it was measured already)."""
    if acoustic is None:
        acoustic = measure(samples, rate, target, reference)
    asr = {"avg_logprob": transcript.avg_logprob, "no_speech_prob": transcript.no_speech_prob}
    if target.language == "ja":
        return _japanese(transcript, target, acoustic, asr)
    return _latin(transcript, target, acoustic, asr)


def _japanese(
    transcript: Transcript, target: Target, acoustic: Acoustic, asr: dict[str, float]
) -> Evidence:
    words = japanese.words_of(target.text)
    target_kana = japanese.spoken_kana(target.reading or target.text)
    heard_kana = japanese.spoken_kana(transcript.text)
    word_evidence: list[WordEvidence] = []
    for word, word_phones in zip(words, acoustic.phones, strict=True):
        units = [
            UnitEvidence(
                japanese.to_hiragana(mora.kana),
                {"gop": float(np.mean([p["gop"] for p in own]))},
                phones=own,
            )
            for mora, own in zip(word.morae, word_phones, strict=True)
        ]
        word_evidence.append(WordEvidence(word.text, japanese.to_hiragana(word.kana), units))
    learner, reference = acoustic.learner_pitch, acoustic.reference_pitch
    return Evidence(
        language="ja",
        target=target.text,
        target_kana=japanese.to_hiragana(target_kana),
        heard=transcript.text,
        heard_kana=japanese.to_hiragana(heard_kana),
        cer=character_error_rate(heard_kana, target_kana),
        asr=asr,
        words=word_evidence,
        learner_pitch=None if learner is None else asdict(learner),
        reference_pitch=None if reference is None else asdict(reference),
        pitch_gap=acoustic.pitch_gap,
    )


def _latin(
    transcript: Transcript, target: Target, acoustic: Acoustic, asr: dict[str, float]
) -> Evidence:
    """Spanish and English: which target words were heard, and how surely; English adds the
    GOP of each word's phones."""
    wanted = latin_words(target.text)
    heard_words = [(plain_latin(w.text).replace(" ", ""), w.probability) for w in transcript.words]
    heard_words = [(text, p) for text, p in heard_words if text]
    matches = align_words([plain for _, plain in wanted], [text for text, _ in heard_words])
    phones = acoustic.phones or [[[]] for _ in wanted]
    words: list[WordEvidence] = []
    for (shown, plain), match, [own] in zip(wanted, matches, phones, strict=True):
        if match is None:
            heard, similarity, probability = "", 0.0, 0.0
        else:
            heard, probability = heard_words[match]
            similarity = Levenshtein.normalized_similarity(plain, heard)
        values = {"similarity": similarity, "probability": float(probability)}
        if target.language == "en":
            values["gop"] = float(np.mean([p["gop"] for p in own])) if own else GOP_FLOOR
        unit = UnitEvidence(
            shown,
            values,
            ipa=ipa(shown, IPA_VOICES.get(target.language, target.language)),
            heard=heard,
            phones=own,
        )
        words.append(WordEvidence(shown, "", [unit]))
    target_plain = "".join(plain_latin(target.text).split())
    heard_plain = "".join(plain_latin(transcript.text).split())
    return Evidence(
        language=target.language,
        target=target.text,
        target_kana="",
        heard=transcript.text,
        heard_kana="",
        cer=character_error_rate(heard_plain, target_plain),
        asr=asr,
        words=words,
    )


# ------------------------------------------------------------------------------ judgement


def unit_values(evidence: Evidence, calibration: Calibration) -> list[list[dict[str, float]]]:
    """Per word, per unit: the features the unit model reads (phone GOPs normalised)."""
    out: list[list[dict[str, float]]] = []
    heard = iter(_heard_shares(evidence)) if evidence.language == "ja" else None
    for word in evidence.words:
        rows = []
        for unit in word.units:
            if heard is not None:
                rows.append({"gop": _normalised_mean(unit, calibration), "heard": next(heard)})
            elif evidence.language == "en":
                rows.append({**unit.values, "gop": _normalised_mean(unit, calibration)})
            else:
                rows.append(dict(unit.values))
        out.append(rows)
    return out


def _normalised_mean(unit: UnitEvidence, calibration: Calibration) -> float:
    gops = [calibration.normalised_gop(p["phone"], p["gop"]) for p in unit.phones]
    return float(np.mean(gops)) if gops else -10.0


def _heard_shares(evidence: Evidence) -> list[float]:
    """Japanese: how much of each target mora the transcript has, in order."""
    morae = [
        (unit.text, unit.phones[-1]["phone"] if unit.phones else "")
        for word in evidence.words
        for unit in word.units
    ]
    return japanese.heard_morae(japanese.comparable_morae(morae), evidence.heard_kana)


def utterance_values(evidence: Evidence, calibration: Calibration) -> dict[str, float]:
    units = unit_values(evidence, calibration)
    values = {"cer": evidence.cer, "avg_logprob": evidence.asr["avg_logprob"]}
    if evidence.language in ("ja", "en"):
        word_means = [float(np.mean([u["gop"] for u in w])) for w in units if w]
        morae = [u["gop"] for w in units for u in w]
        values["gop_mean"] = float(np.mean(morae)) if morae else -10.0
        values["gop_worst_word"] = min(word_means) if word_means else -10.0
    if evidence.language == "ja":
        values["pitch_gap"] = PITCH_GAP_CAP if evidence.pitch_gap is None else evidence.pitch_gap
    else:
        sims = [u["similarity"] for w in units for u in w]
        probs = [u["probability"] for w in units for u in w]
        values["similarity_mean"] = float(np.mean(sims)) if sims else 0.0
        values["similarity_worst"] = min(sims) if sims else 0.0
        values["probability_mean"] = float(np.mean(probs)) if probs else 0.0
    return values


def _phone_scores(word: WordEvidence, calibration: Calibration) -> list[dict[str, Any]]:
    """English: each phone of the word, with its IPA and a 0–100 score from its GOP."""
    model = calibration.unit.get(PHONE_MODEL)
    return [
        {
            "phone": p["phone"],
            "ipa": english.ipa_of(p["phone"]),
            "score": None
            if model is None
            else model.score({"gop": calibration.normalised_gop(p["phone"], p["gop"])}),
        }
        for unit in word.units
        for p in unit.phones
    ]


def judge(evidence: Evidence, calibration: Calibration) -> dict[str, Any]:
    """Scores for the attempt, its words, (Japanese) morae and (English) phones, all 0–100."""
    utterance_model = calibration.utterance[evidence.language]
    unit_model = calibration.unit[evidence.language]
    units = unit_values(evidence, calibration)
    words = []
    for word, rows in zip(evidence.words, units, strict=True):
        scored = [
            {
                "text": unit.text,
                "score": unit_model.score(row),
                "ipa": unit.ipa,
                "heard": unit.heard,
            }
            for unit, row in zip(word.units, rows, strict=True)
        ]
        words.append(
            {
                "text": word.text,
                "kana": word.kana,
                "score": round(float(np.mean([s["score"] for s in scored]))) if scored else 0,
                "ipa": scored[0]["ipa"] if evidence.language != "ja" and scored else "",
                "heard": scored[0]["heard"] if evidence.language != "ja" and scored else "",
                "morae": scored if evidence.language == "ja" else [],
                "phones": _phone_scores(word, calibration) if evidence.language == "en" else [],
            }
        )
    values = utterance_values(evidence, calibration)
    pitch_score = None
    if evidence.language == "ja" and evidence.pitch_gap is not None:
        # 1 semitone off on average sounds native; 5 or more, a different accent.
        pitch_score = round(float(np.clip((5.0 - evidence.pitch_gap) / 4.0, 0, 1) * 100))
    return {
        "score": utterance_model.score(values),
        "intelligibility": round(max(0.0, 1.0 - evidence.cer) * 100),
        "pitch_score": pitch_score,
        "words": words,
        "values": values,
    }
