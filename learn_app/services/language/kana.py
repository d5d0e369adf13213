"""Japanese readings as learners type them: hiragana, katakana or romaji, reduced to one key.

A reading is turned into a *reading key*: lower-case romaji in one canonical spelling, so
that every way of writing the same sounds gives the same key.

- Kana of either script is romanised with `jaconv`; full-width letters are folded (NFKC).
- Hepburn, Kunrei and wāpuro spellings meet: shi/si, chi/ti, tsu/tu, fu/hu, ji/zi,
  sha/sya, cha/tya, ja/zya/jya, dzu/du/zu, tch/cch (っち), m/n before b, p, m (shimbun).
- ん may be written n, nn or n' (kon'ya, konnya, konya); を may be o or wo.
- Long vowels: ō, ô, oo and ou are one sound; likewise ā/aa, ū/uu, ē/ee, ī/ii; katakana ー and
  a typed hyphen lengthen the vowel before them (コーヒー = koohii = kōhī = ko-hi-).
- Spaces, apostrophes and punctuation carry no sound and are dropped.

The key is deliberately lossy (こんや and こにゃ meet): it is for checking answers, where
accepting an unlikely near-homophone costs less than refusing a correct spelling.
"""

from __future__ import annotations

import re
import unicodedata

import jaconv

LONG_VOWEL_MARK = "ー"

_MACRONS = str.maketrans(
    {
        "ā": "aa",
        "ī": "ii",
        "ū": "uu",
        "ē": "ee",
        "ō": "oo",
        "â": "aa",
        "î": "ii",
        "û": "uu",
        "ê": "ee",
        "ô": "oo",
    }
)

# Loanword kana that jaconv would spell letter by letter (ティ → "tei").
_EXTENDED_KANA = {
    "てぃ": "ti",
    "でぃ": "di",
    "とぅ": "tu",
    "どぅ": "du",
    "うぃ": "wi",
    "うぇ": "we",
    "うぉ": "wo",
    "ちぇ": "che",
    "しぇ": "she",
    "じぇ": "je",
    "ゔぁ": "va",
    "ゔぃ": "vi",
    "ゔぇ": "ve",
    "ゔぉ": "vo",
    "ぢゃ": "ja",
    "ぢゅ": "ju",
    "ぢょ": "jo",
    "つぁ": "tsa",
    "いぇ": "ye",
    "ふゅ": "fyu",
}
_EXTENDED_PATTERN = re.compile("|".join(_EXTENDED_KANA))

# Applied in order to lower-case ASCII romaji; each folds one spelling variant into another.
_CANONICAL = [
    (re.compile(r"m(?=[bpm])"), "n"),
    (re.compile(r"c(?=ch)"), "t"),
    (re.compile(r"shi"), "si"),
    (re.compile(r"sh"), "sy"),
    (re.compile(r"chi"), "ti"),
    (re.compile(r"ch"), "ty"),
    (re.compile(r"tsu"), "tu"),
    (re.compile(r"fu"), "hu"),
    (re.compile(r"jy"), "zy"),
    (re.compile(r"ji"), "zi"),
    (re.compile(r"j"), "zy"),
    (re.compile(r"dzu"), "zu"),
    (re.compile(r"du"), "zu"),
    (re.compile(r"di"), "zi"),
    (re.compile(r"wo"), "o"),
    (re.compile(r"nn"), "n"),
    (re.compile(r"ou"), "oo"),
]
_HELD = "\ue000"  # ー while jaconv works, which would make it a hyphen like a typed one
_LENGTHENED = re.compile(r"([aeiou])-")
_LONG_VOWELS = re.compile(r"([aeiou])\1+")


def is_kanji(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or char in "々〆ヶ"


def has_kanji(text: str) -> bool:
    return any(is_kanji(char) for char in text)


def to_hiragana(text: str) -> str:
    """Katakana (full- or half-width) as hiragana; everything else unchanged."""
    return jaconv.kata2hira(unicodedata.normalize("NFKC", text))


def romanise(text: str) -> str:
    """Kana as wāpuro-style romaji (ー kept as a doubled vowel), for showing next to kana."""
    kana = to_hiragana(text).replace("〜", "").replace("~", "")
    kana = _EXTENDED_PATTERN.sub(lambda found: _EXTENDED_KANA[found.group()], kana)
    # A small っ with nothing after it (an exclamation) has no letter to double.
    kana = re.sub(r"っ(?![\u3041-\u3096])", "", kana)
    romaji = jaconv.kana2alphabet(kana.replace(LONG_VOWEL_MARK, _HELD))
    return re.sub(f"([aeiou]){_HELD}", r"\1\1", romaji).replace(_HELD, "")


def reading_keys(text: str) -> set[str]:
    """The canonical keys of a reading typed in kana or romaji (or a mix of the two).

    A typed hyphen may be a long-vowel mark or a separator, so both readings are offered.
    """
    romaji = romanise(text.lower().translate(_MACRONS))
    variants = {_LENGTHENED.sub(r"\1\1", romaji), romaji.replace("-", "")}
    return {key for key in (_canonical(variant) for variant in variants) if key}


def reading_key(text: str) -> str:
    """The one key of a reading written in kana (where no hyphen can be ambiguous)."""
    keys = sorted(reading_keys(text), key=len, reverse=True)
    return keys[0] if keys else ""


def without_long_vowels(key: str) -> str:
    """The key with every long vowel shortened: tōkyō and tokyo meet."""
    return _LONG_VOWELS.sub(r"\1", key)


def _canonical(romaji: str) -> str:
    key = re.sub(r"[^a-z]", "", romaji)
    for pattern, replacement in _CANONICAL:
        key = pattern.sub(replacement, key)
    return key
