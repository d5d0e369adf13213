"""How the offline tutor reads a learner's question: which words say what it is about, and how
much each counts.

Questions come in English, Spanish, Japanese script and romaji, often misspelt, and the
lessons answering them are written in English with the taught language quoted in its own
script and in romaji. So a question's words are read several ways, each counting as much as
it can be trusted:

- Latin words lower-cased, accents folded ("cómo" matches "como": learners leave accents out)
  and lightly stemmed; English's common words dropped.
- Japanese script as overlapping two-character pieces, the keyword index's terms; the content
  words of a question written in Japanese also in romaji (ひらがな → hiragana, 五段 → godan),
  the way the lessons name grammar in English.
- Romaji also in kana, as search reads it.
- The taught language's function words (Spanish articles, prepositions and pronouns; Japanese
  particles, in romaji or as a single kana) count a quarter: every sentence has them, so they
  say little about which lesson answers.
- A word no passage uses also as the passages' closest word, at half weight: it is a guess,
  and a correctly spelt word the passages happen not to use ("pasar") can land on another one
  ("pagar").
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

import jaconv

from learn_app.rag.retrieval import Passage
from learn_app.rag.spelling import Speller, fold_romaji, vocabulary_of

log = logging.getLogger(__name__)

# How much a word counts beside one the learner typed that carries meaning.
GUESSED_WEIGHT = 0.5
FUNCTION_WORD_WEIGHT = 0.25

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Kana and kanji: Japanese runs words together, so it is matched in two-character pieces.
JAPANESE_RUN = re.compile(r"[ぁ-ゖァ-ヺー一-鿿㐀-䶿々〆ヶ]+")
_HIRAGANA_CHARACTER = re.compile(r"[ぁ-ゖ]")
_COMMON_WORDS = """a an and are as at be by can do does did for from how i in is it its me my of
on or say says should the this that to use used using what when where which who why with you your
i'm what's there their they them we our if so than then into about also just like"""
_STOPWORDS = frozenset(_COMMON_WORDS.split())
# The taught languages' function words, accents folded as questions are read: kept (a question
# may be about them) but counting little.
_SPANISH_FUNCTION_WORDS = """a al de del el la lo los las un una unos unas y e o u ni que en con
por para se me te le les nos mi mis tu tus su sus es son como cual cuales donde cuando quien
porque digo dice decir no si muy mas pero este esta esto ese esa eso hay"""
_JAPANESE_PARTICLES = "wa ga no ni o wo e de to mo ka ne yo ya"
_FUNCTION_WORDS = {
    "es": frozenset(_SPANISH_FUNCTION_WORDS.split()),
    "ja": frozenset(_JAPANESE_PARTICLES.split()),
}
# Parts of speech (Open JTalk's) whose words carry a question's meaning.
_CONTENT_POS = frozenset({"名詞", "動詞", "形容詞", "副詞", "形容動詞"})
_NOT_CONTENT = frozenset({"非自立", "代名詞"})
MIN_READING_LETTERS = 3


def question_words(text: str) -> set[str]:
    """The words that identify what `text` is about: its Latin-script words, folded, without
    the common ones, and each run of Japanese as overlapping two-character pieces (丁寧な形 →
    丁寧 寧な な形; a single character stands for itself)."""
    lowered = text.lower()
    words = {
        _stem(_fold_accents(w))
        for w in _WORD.findall(JAPANESE_RUN.sub(" ", lowered))
        if w not in _STOPWORDS
    }
    for run in JAPANESE_RUN.findall(lowered):
        words.update(run[i : i + 2] for i in range(max(1, len(run) - 1)))
    return words


def _fold_accents(word: str) -> str:
    """Accents folded ("cómo" → "como", "día" → "dia"); ñ stays, being a letter of its own."""
    if word.isascii():
        return word
    return "".join(c if c == "ñ" else _without_marks(c) for c in word)


def _without_marks(character: str) -> str:
    decomposed = unicodedata.normalize("NFD", character)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _stem(word: str) -> str:
    """Enough folding to match "counters" with "counter", "bottles" with "bottle" and
    "casually" with "casual"."""
    for suffix in ("ing", "ly", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def as_asked(question: str, passages: Sequence[Passage]) -> str:
    """The question with what retrieval also searched for: its romaji in kana (when the
    passages are Japanese) and, for a word no passage uses, the passages' closest word."""
    return " ".join([question, *_guesses(question, passages)])


def _guesses(question: str, passages: Sequence[Passage]) -> list[str]:
    extra = []
    if any(p.language == "ja" for p in passages):
        extra.append(fold_romaji(question))
    known = vocabulary_of(f"{p.title} {p.text}" for p in passages)
    extra.extend(Speller(lambda: dict(known)).corrections(question))
    return [e for e in extra if e]


def question_importance(question: str, passages: Sequence[Passage]) -> dict[str, float]:
    """Each word the question is read as (see the module's docstring) → how much it counts,
    before how rare it is among the passages is weighed in."""
    typed = question_words(question) | japanese_readings(question)
    romaji = question_words(fold_romaji(question)) if _japanese(passages) else set()
    guessed = question_words(" ".join(_guesses(question, passages))) - typed - romaji
    language = _language(passages)
    importance = {}
    for word in typed | romaji | guessed:
        weight = GUESSED_WEIGHT if word in guessed else 1.0
        if _is_function_word(word, language):
            weight *= FUNCTION_WORD_WEIGHT
        importance[word] = weight
    return importance


def _japanese(passages: Sequence[Passage]) -> bool:
    return any(p.language == "ja" for p in passages)


def _language(passages: Sequence[Passage]) -> str:
    """The passages' language: the course's, the one the question is about."""
    languages = [p.language for p in passages]
    return max(set(languages), key=languages.count) if languages else ""


def _is_function_word(word: str, language: str) -> bool:
    if word in _FUNCTION_WORDS.get(language, ()):
        return True
    # A lone hiragana is a particle (は, が, に): content words of one kana are written in kanji.
    return language == "ja" and len(word) == 1 and bool(_HIRAGANA_CHARACTER.match(word))


def japanese_readings(question: str) -> set[str]:
    """The content words of a question written in Japanese script, in romaji, and of each two
    nouns in a row (五段 → godan): the lessons name grammar in English with romaji."""
    if not JAPANESE_RUN.search(question):
        return set()
    words = [w for w in _japanese_words(question) if JAPANESE_RUN.fullmatch(w["string"])]
    readings = set()
    for i, word in enumerate(words):
        if word["pos"] in _CONTENT_POS and word["pos_group1"] not in _NOT_CONTENT:
            readings.add(_romaji(word["read"]))
        if i and word["pos"] == "名詞" and words[i - 1]["pos"] == "名詞":
            readings.add(_romaji(words[i - 1]["read"] + word["read"]))
    return {r for r in readings if len(r) >= MIN_READING_LETTERS}


def _romaji(katakana: str) -> str:
    """Hepburn-like romaji ("ヒラガナ" → "hiragana"); "" for what does not read as letters
    (a small っ at a word's end)."""
    letters: str = jaconv.kata2alphabet(jaconv.hira2kata(katakana)).lower()
    return letters if letters.isascii() and letters.isalpha() and "x" not in letters else ""


def _japanese_words(text: str) -> Iterable[dict[str, Any]]:
    """Open JTalk's words of `text` (the speaking features' dictionary), or none if it does not
    load: the question is then read without romaji."""
    analyse = _open_jtalk()
    return analyse(text) if analyse is not None else []


@cache
def _open_jtalk() -> Any:
    try:
        import pyopenjtalk
    except ImportError:  # pragma: no cover - installed with the project
        log.warning("pyopenjtalk does not load: Japanese questions are not read in romaji")
        return None
    return pyopenjtalk.run_frontend
