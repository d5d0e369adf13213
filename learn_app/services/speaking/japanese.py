"""A Japanese target as the learner will be scored on it: words, their morae, and phones.

Open JTalk (pyopenjtalk-plus, dictionary bundled) splits the sentence into words and gives
each its pronunciation in katakana — particles as spoken (は → ワ), long vowels as ー. A mora
is one kana with any small kana after it; its phones are Open JTalk's own for that kana, in
the phone set the snfa aligner was trained on (lower case: snfa does not tell devoiced vowels
apart). Transcripts are compared with targets in kana, so 学生 and がくせい are the same.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

SMALL_KANA = frozenset("ァィゥェォャュョヮ")
_PUNCTUATION_PRON = frozenset("、。？！・「」『』（）…―～ー")
_UNIFY = str.maketrans({"ヲ": "オ", "ヂ": "ジ", "ヅ": "ズ", "ヮ": "ワ"})


@dataclass(frozen=True)
class Mora:
    kana: str
    phones: tuple[str, ...]


@dataclass(frozen=True)
class TargetWord:
    text: str  # as written in the sentence (kanji and kana)
    kana: str  # as spoken, katakana
    morae: tuple[Mora, ...]


def _openjtalk() -> Any:  # imported lazily: the web process never needs Open JTalk's dictionary
    import pyopenjtalk

    return pyopenjtalk


def to_hiragana(katakana: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in katakana)


def split_morae(katakana: str) -> list[str]:
    morae: list[str] = []
    for char in katakana:
        if char in SMALL_KANA and morae:
            morae[-1] += char
        else:
            morae.append(char)
    return morae


@lru_cache(maxsize=512)
def _mora_phones(mora: str) -> tuple[str, ...]:
    if mora == "ッ":
        return ("cl",)
    if mora == "ン":
        return ("n",)
    phones = _openjtalk().g2p(mora).lower().split()
    return tuple("n" if p == "n" else p for p in phones)


def words_of(text: str) -> list[TargetWord]:
    """The spoken words of `text`, punctuation left out."""
    words: list[TargetWord] = []
    for node in _openjtalk().run_frontend(unicodedata.normalize("NFKC", text)):
        pron = node["pron"].replace("’", "").replace("'", "")
        if not pron or all(c in _PUNCTUATION_PRON or not _is_kana(c) for c in pron):
            continue
        morae: list[Mora] = []
        for kana in split_morae(pron):
            if kana == "ー":
                vowel = _previous_vowel(morae, words)
                if vowel is None:
                    continue
                morae.append(Mora(kana, (vowel,)))
            elif _is_kana(kana[0]):
                phones = _mora_phones(kana)
                if phones:
                    morae.append(Mora(kana, phones))
        if morae:
            words.append(TargetWord(node["string"], "".join(m.kana for m in morae), tuple(morae)))
    return words


def _previous_vowel(morae: list[Mora], words: list[TargetWord]) -> str | None:
    last = morae[-1] if morae else (words[-1].morae[-1] if words else None)
    if last is None:
        return None
    vowel = last.phones[-1]
    return vowel if vowel in ("a", "i", "u", "e", "o") else None


def _is_kana(char: str) -> bool:
    return "ァ" <= char <= "ヶ" or char == "ー"


def spoken_kana(text: str) -> str:
    """Katakana of how `text` is read, for comparing transcripts: no punctuation or spaces,
    ー for long vowels as Open JTalk writes them, and kana that sound alike unified."""
    if not text.strip():
        return ""
    kana = _openjtalk().g2p(unicodedata.normalize("NFKC", text), kana=True)
    kana = "".join(c for c in kana if _is_kana(c)).translate(_UNIFY)
    return _plain_long_vowels(kana)


_VOWEL_KANA = {"a": "ア", "i": "イ", "u": "ウ", "e": "エ", "o": "オ"}


def _plain_long_vowels(kana: str) -> str:
    """セー, セイ and セエ (and オー, オウ) sound the same: write every long vowel out."""
    out: list[str] = []
    vowel: str | None = None
    for mora in split_morae(kana):
        if mora == "ー" or (mora == "イ" and vowel == "e") or (mora == "ウ" and vowel == "o"):
            if vowel is not None:
                out.append(_VOWEL_KANA[vowel])
            continue
        out.append(mora)
        phones = _mora_phones(mora) if mora not in ("ッ", "ン") else ()
        vowel = phones[-1] if phones and phones[-1] in _VOWEL_KANA else None
    return "".join(out)


_VOWEL_HIRAGANA = {"a": "あ", "i": "い", "u": "う", "e": "え", "o": "お"}
_UNIFY_HIRAGANA = str.maketrans({"を": "お", "ぢ": "じ", "づ": "ず", "ゎ": "わ"})


def comparable_morae(morae: list[tuple[str, str]]) -> list[str]:
    """Each mora (hiragana, its last phone) spelled as `spoken_kana` spells transcripts, so
    the two line up character by character: long vowels written out, alike kana unified."""
    out: list[str] = []
    previous = ""
    for kana, last_phone in morae:
        if kana == "ー" or (kana == "い" and previous == "e") or (kana == "う" and previous == "o"):
            out.append(_VOWEL_HIRAGANA.get(previous or last_phone, kana))
        else:
            out.append(kana.translate(_UNIFY_HIRAGANA))
        previous = last_phone if last_phone in _VOWEL_HIRAGANA else ""
    return out


def heard_morae(morae: list[str], heard: str) -> list[float]:
    """For each mora, the share of its kana that the transcript has in the same place (an
    edit-distance alignment of the two kana strings): 1 heard as written, 0 replaced or
    missing."""
    from rapidfuzz.distance import Levenshtein

    target = "".join(morae)
    missed = [False] * len(target)
    for tag, source, _ in Levenshtein.editops(target, heard):
        if tag in ("replace", "delete"):
            missed[int(source)] = True
    shares: list[float] = []
    position = 0
    for mora in morae:
        span = missed[position : position + len(mora)]
        shares.append(1.0 - sum(span) / max(len(span), 1))
        position += len(mora)
    return shares
