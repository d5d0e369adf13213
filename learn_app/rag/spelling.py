"""Questions as learners type them: romaji folded to kana, misspelt words matched to the course's.

Both only add to a question; nothing the learner typed is taken away, so a word that only
looked misspelt (a Spanish word, a name) still matches as typed.

- Romaji: a learner without a Japanese keyboard types "nanji desu ka". For questions about
  Japanese, each Latin word that reads completely as kana (and is not a common English word)
  is added in hiragana (なんじ です か), which the keyword side matches against the lessons'
  kana and the embedder reads as Japanese.
- Spelling: a word of the question that the indexed content never uses ("maried") is added
  with the closest word that it does use ("married"), by edit distance (one edit for words up
  to five letters, two beyond), the more common word winning a tie. The vocabulary is the set
  of Latin-script words of the published lessons and words, kept with the index.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable

import jaconv
from rapidfuzz import process
from rapidfuzz.distance import OSA

LATIN_WORD = re.compile(r"[a-zà-öø-ÿ]+(?:'[a-z]+)?", re.IGNORECASE)
_KANA_ONLY = re.compile(r"[ぁ-ゖー]+")
# jaconv leaves a stray consonant as っ ("and" → あんっ) and "wh"/"we" as small vowels (うぇ):
# English, not romaji.
_NOT_ROMAJI = re.compile(r"^っ|っ$|っ(?=[あいうえおん])|[ぁぃぅぇぉ]")
# Words under this length are never corrected (too many neighbours one edit away).
MIN_CORRECTED_LENGTH = 4
VOCABULARY_TTL_SECONDS = 60.0

# English words that also read as kana ("do" → ど, "made" → まで, "same" → さめ): in a question
# written in English they are English. Romaji for these words stays untranslated, which costs
# little: the embedder and the lesson text carry the Japanese forms (まで, から) as well.
_ENGLISH_KANA_LOOKALIKES = frozenset(
    [
        "a",
        "i",
        "o",
        "u",
        "e",
        "an",
        "am",
        "as",
        "at",
        "be",
        "by",
        "do",
        "go",
        "he",
        "hi",
        "in",
        "is",
        "it",
        "me",
        "my",
        "no",
        "of",
        "oh",
        "on",
        "or",
        "so",
        "to",
        "up",
        "us",
        "we",
        "are",
        "ate",
        "bad",
        "bat",
        "box",
        "but",
        "can",
        "cat",
        "day",
        "did",
        "die",
        "dog",
        "due",
        "eat",
        "end",
        "far",
        "for",
        "fun",
        "get",
        "had",
        "has",
        "hat",
        "her",
        "him",
        "his",
        "how",
        "its",
        "let",
        "man",
        "may",
        "men",
        "new",
        "not",
        "now",
        "one",
        "our",
        "out",
        "own",
        "pay",
        "put",
        "say",
        "see",
        "she",
        "sit",
        "son",
        "ten",
        "the",
        "too",
        "two",
        "use",
        "was",
        "way",
        "who",
        "why",
        "yes",
        "yet",
        "you",
        "ago",
        "age",
        "bike",
        "came",
        "come",
        "cake",
        "done",
        "fine",
        "game",
        "gave",
        "give",
        "gone",
        "hate",
        "home",
        "hope",
        "kite",
        "late",
        "like",
        "line",
        "made",
        "make",
        "mean",
        "mine",
        "more",
        "name",
        "need",
        "nine",
        "note",
        "once",
        "page",
        "same",
        "save",
        "seem",
        "side",
        "some",
        "take",
        "tape",
        "tie",
        "time",
        "tone",
        "wake",
        "wane",
        "were",
        "wide",
        "wine",
        "wise",
        "wore",
        "yoke",
    ]
)


def fold_romaji(question: str) -> str:
    """The question's romaji words in hiragana, space-separated ("" when there are none)."""
    kana = []
    for word in LATIN_WORD.findall(question):
        lowered = word.lower()
        if len(lowered) < 2 or lowered in _ENGLISH_KANA_LOOKALIKES:
            continue
        folded = jaconv.alphabet2kana(lowered.replace("'", ""))
        if _KANA_ONLY.fullmatch(folded) and not _NOT_ROMAJI.search(folded):
            kana.append(folded)
    return " ".join(kana)


def vocabulary_of(texts: Iterable[str]) -> Counter[str]:
    """Latin-script words (lower case) and how many of `texts` use each."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update({w.lower() for w in LATIN_WORD.findall(text) if len(w) >= 3})
    return counts


class Speller:
    """Closest-word suggestions against the index's vocabulary, reloaded every minute."""

    def __init__(self, load: Callable[[], dict[str, int]]) -> None:
        self._load = load
        self._lock = threading.Lock()
        self._words: dict[str, int] = {}
        self._choices: list[str] = []
        self._loaded_at = float("-inf")

    def _vocabulary(self) -> tuple[dict[str, int], list[str]]:
        with self._lock:
            if time.monotonic() - self._loaded_at > VOCABULARY_TTL_SECONDS:
                self._words = self._load()
                self._choices = list(self._words)
                self._loaded_at = time.monotonic()
            return self._words, self._choices

    def forget(self) -> None:
        """Reload the vocabulary on next use (after the index changed in this process)."""
        with self._lock:
            self._loaded_at = float("-inf")

    def corrections(self, question: str) -> list[str]:
        """Closest known words for the question's unknown ones, in question order."""
        words, choices = self._vocabulary()
        if not choices:
            return []
        found: list[str] = []
        for word in LATIN_WORD.findall(question):
            lowered = word.lower()
            if len(lowered) < MIN_CORRECTED_LENGTH or lowered in words:
                continue
            allowed = 1 if len(lowered) <= 5 else 2
            candidates = process.extract(
                lowered, choices, scorer=OSA.distance, score_cutoff=allowed, limit=8
            )
            if not candidates:
                continue
            best = min(candidates, key=lambda c: (c[1], -words[c[0]]))
            if best[0] not in found:
                found.append(best[0])
        return found
