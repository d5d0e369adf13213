"""A course sentence cut into pieces: the course's words in it, and what lies between them.

A sentence is cut into `Piece`s: course words (found in any of their forms, by `inflection`),
particles and other small words kept as they are, endings such as です, punctuation, and words
the course does not know. `sentence_hints` makes the offline hints from the pieces, and
`sentence_answers` compares an attempt with them.

Rules rather than a parser: they need no dictionary beyond the course's own words, and give the
same answer every time. A word the course lacks is still a piece, just not a named one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from learn_app.models import Word
from learn_app.services.language import kana
from learn_app.services.language.answers import SPANISH_ARTICLES
from learn_app.services.language.inflection import SpanishForms, fold, japanese_forms, spanish_forms

__all__ = ["JAPANESE_PARTICLES", "Piece", "pieces", "spanish_words"]

# Longest first, so には is read as one particle and not に then は.
JAPANESE_PARTICLES = {
    "には": "marks a place or time, as the topic.",
    "では": "marks where something happens, as the topic.",
    "から": "means from (a place or time), or because after a clause.",
    "まで": "means until, or as far as.",
    "は": "marks the topic, what the sentence is about (read wa).",
    "が": "marks the subject, often something new or the one that does it.",
    "を": "marks the direct object, what the action is done to (read o).",
    "に": "marks a point in time, a destination, or where something is.",
    "で": "marks where an action happens, or the means it is done with.",
    "へ": "marks the direction of movement (read e).",
    "と": "joins two nouns (and), or marks who you do something with.",
    "も": "means also or too, in place of は, が or を.",
    "の": "links two nouns: A の B is the B of A.",
    "や": "joins nouns in a list that is not complete (… and so on).",
    "か": "at the end makes the sentence a question.",
    "ね": "at the end asks for agreement (…, isn't it?).",
    "よ": "at the end tells the listener something new.",
}
_FINAL_PARTICLES = {"か", "ね", "よ"}
_ENDINGS = ("でした", "です", "ください")
_PARTICLE_KANA = set("はがをにでへともの")
_NUMERALS = set("一二三四五六七八九十百千万何")
_JAPANESE_PUNCTUATION = re.compile(r"[\s、。，．,.!?！？「」『』（）()・…〜~\"“”]")

_SPANISH_TOKEN = re.compile(r"[¿¡?!.,;:…—«»\"“”]|[^\W\d_]+|\d+")
# Kept as they are in the structure: they are its frame, as particles are in Japanese.
_SPANISH_FRAME = {
    "a", "al", "de", "del", "en", "con", "por", "para", "sin", "y", "o", "pero", "que", "no",
}  # fmt: skip


@dataclass(frozen=True)
class Piece:
    """A piece of a sentence. `kind` is "word" (a course word, in `word`), "particle" (a
    Japanese particle or a Spanish preposition, conjunction or no), "article", "ending"
    (です, ください), "punct", or "other" (a word the course does not know)."""

    text: str
    kind: str
    word: Word | None = None
    kana: str = ""  # Japanese: the kana of the word's form as the sentence has it


def pieces(
    sentence: str, language: str, words: Sequence[Word], *, item_word: Word | None = None
) -> list[Piece]:
    """The sentence cut into pieces, in order, with the course's words found in it.

    `item_word` (the word the sentence is the example of) is looked for even in a short
    kana-only form such as いい, which elsewhere would be found inside other words."""
    if language == "ja":
        return _japanese_pieces(unicodedata.normalize("NFKC", sentence), words, item_word)
    return _spanish_pieces(sentence, words)


# ------------------------------------------------------------------------------ Japanese


def _is_content_char(char: str) -> bool:
    katakana = "\u30a0" <= char <= "\u30ff"
    return kana.is_kanji(char) or katakana or (char.isalnum() and char.isascii())


def _is_hiragana(char: str) -> bool:
    return "\u3041" <= char <= "\u309f"


def _japanese_spans(
    sentence: str, words: Sequence[Word], item_word: Word | None
) -> list[tuple[int, int, Word, str]]:
    """Where the course words stand in the sentence, longest first and never overlapping.

    The sentence's own word wins a tie, and a suffix such as 〜本 loses one unless it follows
    a number. A kanji word
    joined to kanji the course does not know (上 of 上着) is part of an unknown compound, and a
    kana-only word after kana that are not a particle (きました of すきました) is the end of
    another word: neither is taken."""
    item_id = item_word.id if item_word is not None else None
    candidates: list[tuple[int, int, int, Word, str]] = []
    for word in words:
        verb_class = str((word.parts or {}).get("verb_class", ""))
        rank = 0 if word.id == item_id else 2 if word.term.startswith(("〜", "~")) else 1
        # One kana alone (て, め) is found everywhere; kana-only words need three.
        shortest = 2 if word.id == item_id else 3
        for written, form_kana in japanese_forms(
            word.term, word.reading, word.part_of_speech, verb_class
        ):
            kana_only = not any(_is_content_char(c) for c in written)
            if not written or (kana_only and len(written) < shortest):
                continue
            start = sentence.find(written)
            while start >= 0:
                before = sentence[start - 1] if start else ""
                # After a number, a counter (〜人, 〜本) is meant rather than the noun (人, 本).
                here = -1 if rank == 2 and (before.isdigit() or before in _NUMERALS) else rank
                if not (kana_only and _is_hiragana(before) and before not in _PARTICLE_KANA):
                    candidates.append((start, start + len(written), here, word, form_kana))
                start = sentence.find(written, start + 1)
    candidates.sort(key=lambda c: (c[0] - c[1], c[2], c[0]))
    chosen = _without_overlaps(candidates, len(sentence))
    covered = {at for start, end, *_ in chosen for at in range(start, end)}

    def in_unknown_compound(start: int, end: int) -> bool:
        return any(
            0 <= at < len(sentence) and kana.is_kanji(sentence[at]) and at not in covered
            for at in (start - 1, end)
        )

    return sorted(
        ((s, e, word, form) for s, e, _, word, form in chosen if not in_unknown_compound(s, e)),
        key=lambda c: c[0],
    )


def _without_overlaps(
    candidates: Sequence[tuple[int, int, int, Word, str]], length: int
) -> list[tuple[int, int, int, Word, str]]:
    taken = [False] * length
    chosen = []
    for candidate in candidates:
        start, end = candidate[0], candidate[1]
        if not any(taken[start:end]):
            taken[start:end] = [True] * (end - start)
            chosen.append(candidate)
    return chosen


def _japanese_pieces(sentence: str, words: Sequence[Word], item_word: Word | None) -> list[Piece]:
    found: list[Piece] = []
    at = 0
    for start, end, word, form_kana in _japanese_spans(sentence, words, item_word):
        found += _japanese_gap(sentence[at:start], after_content=bool(found) and _content(found))
        found.append(Piece(sentence[start:end], "word", word, form_kana))
        at = end
    found += _japanese_gap(sentence[at:], after_content=bool(found) and _content(found))
    return found


def _content(found: Sequence[Piece]) -> bool:
    return found[-1].kind in ("word", "other", "ending")


def _japanese_gap(text: str, *, after_content: bool) -> list[Piece]:
    """The text between two course words: particles, endings, punctuation and unknown words."""
    found: list[Piece] = []
    for chunk in re.findall(
        r"\s+|[、。，．,.!?！？「」『』（）()・…〜~\"“”]|[^\s、。，．,.!?！？「」『』（）()・…〜~\"“”]+",
        text,
    ):
        if _JAPANESE_PUNCTUATION.fullmatch(chunk[0]):
            if not chunk.isspace():
                found.append(Piece(chunk, "punct"))
            after_content = False
            continue
        found += _japanese_run(chunk, after_content=after_content)
        after_content = bool(found) and _content(found)
    return found


def _japanese_run(run: str, *, after_content: bool) -> list[Piece]:
    """A run without punctuation: content words (kanji, katakana) with what follows them."""
    found: list[Piece] = []
    for script_chunk in re.findall(r"[^\u3041-\u309f]+|[\u3041-\u309f]+", run):
        if not _is_hiragana(script_chunk[0]):
            found.append(Piece(script_chunk, "other"))
            after_content = True
            continue
        rest = script_chunk
        while rest:
            particle = _leading(rest, JAPANESE_PARTICLES) if after_content else ""
            ending = _leading(rest, _ENDINGS)
            if ending:
                found.append(Piece(ending, "ending"))
                rest, after_content = rest[len(ending) :], True
            elif particle:
                found.append(Piece(particle, "particle"))
                rest, after_content = rest[len(particle) :], particle in _FINAL_PARTICLES
            else:
                rest = _okurigana(found, rest)
                after_content = True
    return found


def _leading(text: str, choices: Iterable[str]) -> str:
    return next((choice for choice in choices if text.startswith(choice)), "")


def _okurigana(found: list[Piece], rest: str) -> str:
    """Hiragana that belong to the word before them (or are a word of their own), up to the
    next ending or final particle-like kana; what is left is returned."""
    cut = len(rest)
    for ending in _ENDINGS:
        at = rest.find(ending, 1)
        if at > 0:
            cut = min(cut, at)
    if cut == len(rest) and len(rest) > 1 and rest[-1] in "はがをへにでと":
        cut = len(rest) - 1
    text, rest = rest[:cut], rest[cut:]
    if found and found[-1].kind == "other":
        found[-1] = Piece(found[-1].text + text, "other")
    else:
        found.append(Piece(text, "other"))
    return rest


# ------------------------------------------------------------------------------- Spanish


@lru_cache(maxsize=4096)
def _forms(term: str, part_of_speech: str) -> SpanishForms:
    return spanish_forms(term, part_of_speech)


def spanish_words(text: str) -> list[str]:
    """The words of a Spanish text, lower case, without punctuation."""
    return [
        unicodedata.normalize("NFC", token.lower())
        for token in _SPANISH_TOKEN.findall(text)
        if token[0].isalnum()
    ]


def _phrase(term: str) -> tuple[str, ...]:
    return tuple(fold(word) for word in spanish_words(term))


def _spanish_match(token: str, words: Sequence[Word]) -> Word | None:
    """The course word `token` is a form of: its dictionary form first, then a verb."""
    folded = fold(token)
    exact = [w for w in words if _phrase(w.term) == (folded,)]
    if exact:
        return exact[0]
    forms = [
        w for w in words if len(_phrase(w.term)) == 1 and token in _forms(w.term, w.part_of_speech)
    ]
    forms.sort(key=lambda w: w.part_of_speech != "verb")
    return forms[0] if forms else None


def _spanish_pieces(sentence: str, words: Sequence[Word]) -> list[Piece]:
    tokens = _SPANISH_TOKEN.findall(unicodedata.normalize("NFC", sentence))
    phrases = sorted(
        ((_phrase(w.term), w) for w in words if len(_phrase(w.term)) > 1),
        key=lambda item: -len(item[0]),
    )
    found: list[Piece] = []
    n = 0
    while n < len(tokens):
        token = tokens[n]
        if not token[0].isalnum():
            found.append(Piece(token, "punct"))
            n += 1
            continue
        phrase = _phrase_at(tokens, n, phrases)
        if phrase is not None:
            length, word = phrase
            found.append(Piece(" ".join(tokens[n : n + length]), "word", word))
            n += length
            continue
        lowered = unicodedata.normalize("NFC", token.lower())
        if lowered in SPANISH_ARTICLES:
            found.append(Piece(token, "article"))
        elif lowered in _SPANISH_FRAME:
            found.append(Piece(token, "particle"))
        else:
            match = _spanish_match(lowered, words)
            found.append(Piece(token, "word", match) if match else Piece(token, "other"))
        n += 1
    return found


def _phrase_at(
    tokens: Sequence[str], at: int, phrases: Sequence[tuple[tuple[str, ...], Word]]
) -> tuple[int, Word] | None:
    """A course phrase (buenos días, por favor) starting at `at`, skipping punctuation in it."""
    words_here = [(i, fold(t)) for i, t in enumerate(tokens[at:], start=at) if t[0].isalnum()]
    for phrase, word in phrases:
        window = words_here[: len(phrase)]
        matches = len(window) == len(phrase) and tuple(w for _, w in window) == phrase
        if matches and window[0][0] == at:
            return window[-1][0] - at + 1, word
    return None
