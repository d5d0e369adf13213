"""An English target as the learner is scored on it: its words, their phones, and how well each
phone is in the recording.

pocketsphinx ships CMU Sphinx's US English acoustic model and the CMU pronouncing dictionary
(ARPABET phones). A word the dictionary lacks (a name, a number written in digits) gets its
phones from espeak-ng's IPA, mapped onto the same phone set.

A recording is scored against the target words in three passes of one decoder:
1. a free phone loop (every phone may follow every other, no language model) decodes it
   knowing nothing of the target — per frame, the best any phone sequence does;
2. the words are forced onto it in order (an optional pause before each word and after the
   last; the dictionary's pronunciation variants allowed), and then their phones (pocketsphinx's
   state-level alignment);
3. a phone's goodness of pronunciation (GOP) is its aligned acoustic score minus the phone
   loop's score over the same frames, per frame: near 0 when no other phone fits those frames
   better, far below when something else was said there.
When the words cannot be forced onto the recording at all, each phone gets the floor.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from learn_app.services.speaking.alignment import AlignedPhone
from learn_app.services.speaking.audio import SAMPLE_RATE
from learn_app.services.speaking.voices import ipa

GOP_FLOOR = -12.0
# pocketsphinx's acoustic scores are log-likelihoods in units of log(1.0001) shifted right by
# 10 bits; this turns a per-frame difference of two of them into nats.
SCORE_TO_GOP = 1024 * np.log(1.0001)
FRAMES_PER_SECOND = 100
PAUSE = "<pause>"  # a dictionary word of silence, for the pauses the grammar allows
MAX_ADDED_WORDS = 5000  # words added to the dictionary before the decoder is rebuilt

_IPA_TO_ARPABET = {
    "eɪ": "EY", "aɪ": "AY", "ɔɪ": "OY", "aʊ": "AW", "oʊ": "OW", "əʊ": "OW", "tʃ": "CH",
    "dʒ": "JH", "ɪə": "IH", "eə": "EH", "ʊə": "UH", "ɑ": "AA", "ɒ": "AA", "ɔ": "AO",
    "æ": "AE", "ʌ": "AH", "ə": "AH", "ɐ": "AH", "ɚ": "ER", "ɜ": "ER", "ᵻ": "IH", "ɪ": "IH",
    "i": "IY", "u": "UW", "ʊ": "UH", "ɛ": "EH", "e": "EH", "a": "AE", "o": "OW", "p": "P",
    "b": "B", "t": "T", "d": "D", "k": "K", "g": "G", "ɡ": "G", "f": "F", "v": "V",
    "θ": "TH", "ð": "DH", "s": "S", "z": "Z", "ʃ": "SH", "ʒ": "ZH", "h": "HH", "m": "M",
    "n": "N", "ŋ": "NG", "l": "L", "ɫ": "L", "ɹ": "R", "r": "R", "ɾ": "D", "j": "Y",
    "w": "W", "ʔ": "T", "x": "HH",
}  # fmt: skip
_ARPABET_TO_IPA = {
    "AA": "ɑ", "AE": "æ", "AH": "ʌ", "AO": "ɔ", "AW": "aʊ", "AY": "aɪ", "B": "b", "CH": "tʃ",
    "D": "d", "DH": "ð", "EH": "ɛ", "ER": "ɝ", "EY": "eɪ", "F": "f", "G": "ɡ", "HH": "h",
    "IH": "ɪ", "IY": "i", "JH": "dʒ", "K": "k", "L": "l", "M": "m", "N": "n", "NG": "ŋ",
    "OW": "oʊ", "OY": "ɔɪ", "P": "p", "R": "ɹ", "S": "s", "SH": "ʃ", "T": "t", "TH": "θ",
    "UH": "ʊ", "UW": "u", "V": "v", "W": "w", "Y": "j", "Z": "z", "ZH": "ʒ",
}  # fmt: skip
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")


@dataclass(frozen=True)
class EnglishWord:
    text: str  # as written in the sentence
    keys: tuple[str, ...]  # the dictionary words it is said as (one, or more: well-known, 25)


def dictionary_keys(word: str) -> tuple[str, ...]:
    """The dictionary words a written word is looked up as: lower case, accents dropped."""
    decomposed = unicodedata.normalize("NFKD", word.lower().replace("’", "'"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return tuple(_TOKEN.findall(plain))


def ipa_of(phone: str) -> str:
    """The IPA symbol of an ARPABET phone, for showing it to a learner."""
    return _ARPABET_TO_IPA.get(phone, phone.lower())


def arpabet_from_ipa(ipa: str) -> list[str]:
    """espeak-ng's IPA for a word as ARPABET phones (stress, length and unknown marks dropped)."""
    text = "".join(c for c in unicodedata.normalize("NFD", ipa) if not unicodedata.combining(c))
    text = re.sub(r"[ˈˌː\s\-_']", "", text)
    phones: list[str] = []
    index = 0
    while index < len(text):
        pair = text[index : index + 2]
        if pair in _IPA_TO_ARPABET:
            phones.append(_IPA_TO_ARPABET[pair])
            index += 2
            continue
        if text[index] in _IPA_TO_ARPABET:
            phones.append(_IPA_TO_ARPABET[text[index]])
        index += 1
    return phones


class PhoneScorer:
    """One pocketsphinx decoder with the en-US model; not thread-safe (one per worker)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._decoder = self._new_decoder()
        self._added = 0

    @staticmethod
    def _new_decoder() -> Any:
        import pocketsphinx

        # Beams wider than the recogniser's: a phrase said oddly must still be forced onto
        # the recording, so its phones can be scored rather than the alignment given up.
        decoder = pocketsphinx.Decoder(
            samprate=SAMPLE_RATE,
            lm=None,
            loglevel="FATAL",
            fsgusefiller=False,
            bestpath=False,
            beam=1e-80,
            pbeam=1e-80,
            wbeam=1e-60,
        )
        decoder.add_word(PAUSE, "SIL", True)
        decoder.add_allphone_file("phone-loop", None)
        return decoder

    def phones_of(self, word: EnglishWord) -> list[str]:
        """The phones `word` is said with (the dictionary's first pronunciation)."""
        with self._lock:
            return [p for key in word.keys for p in self._ensure(key)]

    def _ensure(self, key: str) -> list[str]:
        found = self._decoder.lookup_word(key)
        if found:
            return str(found).split()
        phones = arpabet_from_ipa(ipa(key, "en-us"))
        if not phones:
            return []
        if self._added >= MAX_ADDED_WORDS:
            self._decoder, self._added = self._new_decoder(), 0
        self._decoder.add_word(key, " ".join(phones), True)
        self._added += 1
        return phones

    def score(self, samples: np.ndarray, words: list[EnglishWord]) -> list[list[AlignedPhone]]:
        """For each word, its phones placed on the recording, each with its GOP."""
        with self._lock:
            wanted = [[p for key in w.keys for p in self._ensure(key)] for w in words]
            keys = [(i, key) for i, w in enumerate(words) for key in w.keys if self._ensure(key)]
            if not keys:
                return [[] for _ in words]
            data = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()
            loop = self._loop_per_frame(data)
            aligned = self._align(data, [key for _, key in keys])
        if aligned is None:
            return [[AlignedPhone(p, 0, 0, GOP_FLOOR) for p in phones] for phones in wanted]
        out: list[list[AlignedPhone]] = [[] for _ in words]
        for (index, _), phones in zip(keys, aligned, strict=True):
            for name, start, duration, score in phones:
                frames = max(duration, 1)
                rest = float(loop[start : start + frames].sum())
                gop = max((score - rest) / frames * SCORE_TO_GOP, GOP_FLOOR)
                ms = 1000 // FRAMES_PER_SECOND
                out[index].append(AlignedPhone(name, start * ms, (start + frames) * ms, gop))
        return out

    def _decode(self, data: bytes) -> None:
        self._decoder.start_utt()
        self._decoder.process_raw(data, full_utt=True)
        self._decoder.end_utt()

    def _loop_per_frame(self, data: bytes) -> np.ndarray:
        """The free phone loop's acoustic score of each frame (its phones' spread evenly)."""
        decoder = self._decoder
        decoder.activate_search("phone-loop")
        self._decode(data)
        log = decoder.logmath
        per_frame = np.zeros(len(data) // 2 // (SAMPLE_RATE // FRAMES_PER_SECOND) + 2)
        for segment in decoder.seg() or ():
            first, last = segment.start_frame, segment.end_frame
            score = log.log(segment.ascore) if segment.ascore > 0 else 0
            per_frame[first : last + 1] = score / max(last - first + 1, 1)
        return per_frame

    def _align(self, data: bytes, keys: list[str]) -> list[list[tuple[str, int, int, int]]] | None:
        """Per dictionary word, its phones as (phone, first frame, frames, score); None when
        the words cannot be forced onto the recording."""
        decoder = self._decoder
        n = len(keys)
        # States 0..n run along the words; n+1+i is a pause before word i; 2n+1 is after the
        # last word, before a closing pause. No empty transitions: pocketsphinx's sub-word
        # alignment needs a word on every step.
        transitions: list[tuple[int, int, float, str]] = []
        for i, key in enumerate(keys):
            last = i == n - 1
            transitions.append((i, i + 1, 0.25 if last else 0.5, key))
            transitions.append((i, n + 1 + i, 0.5, PAUSE))
            transitions.append((n + 1 + i, i + 1, 0.5 if last else 1.0, key))
        transitions += [(n - 1, 2 * n + 1, 0.25, keys[-1]), (2 * n, 2 * n + 1, 0.5, keys[-1])]
        transitions.append((2 * n + 1, n, 1.0, PAUSE))
        grammar = decoder.create_fsg("target", 0, n, transitions)
        decoder.add_fsg("target", grammar)
        decoder.activate_search("target")
        self._decode(data)
        if decoder.hyp() is None:
            return None
        try:
            decoder.set_alignment()
            self._decode(data)
        except RuntimeError:
            return None
        alignment = decoder.get_alignment()
        if alignment is None:
            return None
        words = [
            [(p.name, int(p.start), int(p.duration), int(p.score)) for p in word]
            for word in alignment
            if word.name != PAUSE
        ]
        return words if len(words) == n else None


@lru_cache(maxsize=1)
def scorer() -> PhoneScorer:
    return PhoneScorer()


def words_of(pairs: list[tuple[str, str]]) -> list[EnglishWord]:
    """The target's words (as `scoring.latin_words` splits them) with their dictionary keys."""
    return [EnglishWord(shown, dictionary_keys(shown)) for shown, _ in pairs]
