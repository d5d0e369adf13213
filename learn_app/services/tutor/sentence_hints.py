"""The sentence constructor's three hints by rule, from a sentence's pieces: the course
words in dictionary form, the word order as slots ("[topic] は [object] を [verb]"), and clues
on particles, conjugation and agreement — none of which spells out the sentence.

They answer when no model does (none set up, the budget spent, the provider failing or its
reply unusable), and the vocabulary is also what the model is told the course's words are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from learn_app.models import Word
from learn_app.services.language.inflection import fold
from learn_app.services.language.sentence_parts import JAPANESE_PARTICLES, Piece

__all__ = ["clues", "structure", "vocabulary"]

_PARTICLE_ROLES = {
    "は": "topic",
    "には": "place or time",
    "では": "place",
    "が": "subject",
    "を": "object",
    "で": "place or means",
    "へ": "direction",
    "と": "with whom",
    "も": "also",
    "の": "noun",
    "から": "from",
    "まで": "until",
    "や": "noun",
}
_TIME_MEANING = re.compile(
    r"\b(today|tomorrow|yesterday|morning|evening|night|noon|day|days|week|month|year|"
    r"o'clock|now|time|every|weekend|sunday|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|spring|summer|autumn|winter)\b",
    re.IGNORECASE,
)
_JAPANESE_ROLES = {
    "verb": "verb",
    "i-adjective": "い-adjective",
    "na-adjective": "な-adjective",
    "adverb": "adverb",
    "number": "number",
    "counter": "number",
    "expression": "expression",
    "interjection": "expression",
    "conjunction": "conjunction",
}
# (kana ending, what the form is), the longer endings first.
_VERB_FORMS = (
    ("ませんでした", "polite past negative (-ませんでした)"),
    ("ましょう", "“let's …” form (-ましょう)"),
    ("ました", "polite past (-ました)"),
    ("ません", "polite negative (-ません)"),
    ("ます", "polite form (-ます)"),
    ("たかった", "“wanted to” form (-たかった)"),
    ("たい", "“want to” form (-たい)"),
    ("なかった", "plain past negative (-なかった)"),
    ("ない", "plain negative (-ない)"),
    ("れば", "conditional (-ば)"),
    ("ば", "conditional (-ば)"),
    ("よう", "volitional form (let's …)"),
    ("て", "て-form"),
    ("で", "て-form"),
    ("た", "plain past (-た)"),
    ("だ", "plain past (-た)"),
)
_ADJECTIVE_FORMS = (
    ("くなかった", "past negative (-くなかった)"),
    ("かった", "past form (-かった)"),
    ("くない", "negative form (-くない)"),
    ("くて", "て-form (-くて)"),
    ("く", "adverb form (-く)"),
)


_SPANISH_ROLES = {
    "noun": "noun",
    "verb": "verb",
    "adjective": "adjective",
    "adverb": "adverb",
    "pronoun": "pronoun",
    "number": "number",
    "expression": "expression",
    "interjection": "expression",
    "determiner": "determiner",
}
_ARTICLES = {
    ("masculine", False): "el / un",
    ("feminine", False): "la / una",
    ("masculine", True): "los / unos",
    ("feminine", True): "las / unas",
}
_SPANISH_SENTENCE_END = {".", "…"}


def vocabulary(found: Sequence[Piece], item_word: Word | None = None) -> list[dict[str, str]]:
    """The course words of the sentence in dictionary form, each once, in the sentence's order;
    particles, articles and prepositions are the structure's and the clues' business."""
    rows: list[dict[str, str]] = []
    seen: set[int | None] = set()
    words = [piece.word for piece in found if piece.kind == "word" and piece.word is not None]
    if item_word is not None and item_word.id not in {w.id for w in words}:
        words.insert(0, item_word)
    for word in words:
        if word.id in seen:
            continue
        seen.add(word.id)
        reading = word.reading if word.reading and word.reading != word.term else ""
        rows.append({"term": word.term, "reading": reading, "meaning": word.meaning})
    return rows


def structure(found: Sequence[Piece], language: str) -> str:
    """The word order as slots, with particles (Japanese) or prepositions (Spanish) between
    them and no word of the sentence filled in."""
    if language == "ja":
        return _japanese_structure(found)
    return _spanish_structure(found)


def clues(found: Sequence[Piece], language: str) -> list[str]:
    """Particles and conjugation (Japanese), or agreement and conjugation (Spanish)."""
    if language == "ja":
        return _japanese_clues(found)
    return _spanish_clues(found)


# ------------------------------------------------------------------------------ Japanese


def _is_time(word: Word) -> bool:
    return word.part_of_speech in ("noun", "adverb") and bool(_TIME_MEANING.search(word.meaning))


def _japanese_role(piece: Piece, following: Piece | None) -> str:
    particle = following.text if following is not None and following.kind == "particle" else ""
    word = piece.word
    if particle in ("に", "には") and word is not None and _is_time(word):
        return "time"
    if particle == "に":
        return "place or person"
    if particle in _PARTICLE_ROLES:
        return _PARTICLE_ROLES[particle]
    if word is None:
        return "word"
    if _is_time(word):
        return "time"
    return _JAPANESE_ROLES.get(word.part_of_speech, "noun")


def _japanese_structure(found: Sequence[Piece]) -> str:
    slots: list[str] = []
    for n, piece in enumerate(found):
        following = found[n + 1] if n + 1 < len(found) else None
        if piece.kind in ("word", "other"):
            slots.append(f"[{_japanese_role(piece, following)}]")
        elif piece.kind in ("particle", "ending"):
            slots.append(piece.text)
        elif piece.text in ("、", ",") and slots:
            slots[-1] += "、"
    return " ".join(slots)


def _form_described(piece: Piece) -> str:
    word = piece.word
    assert word is not None
    written = piece.kana or piece.text
    forms = _ADJECTIVE_FORMS if word.part_of_speech == "i-adjective" else _VERB_FORMS
    for ending, described in forms:
        if written.endswith(ending):
            return described
    return "conjugated form"


def _head(word: Word) -> str:
    reading = word.reading if word.reading and word.reading != word.term else ""
    return f"{word.term} ({reading})" if reading else word.term


def _japanese_clues(found: Sequence[Piece]) -> list[str]:
    notes: list[str] = []
    particles = list(dict.fromkeys(p.text for p in found if p.kind == "particle"))
    for particle in particles:
        notes.append(f"{particle} {JAPANESE_PARTICLES[particle]}")
    for n, piece in enumerate(found):
        word = piece.word
        if word is None or word.part_of_speech not in ("verb", "i-adjective"):
            continue
        following = found[n + 1] if n + 1 < len(found) else None
        if piece.text == word.term.strip("〜~ "):
            if word.part_of_speech == "verb":
                notes.append(f"{_head(word)} stays in its dictionary form here.")
            continue
        note = f"{_head(word)} is not in its dictionary form: use its {_form_described(piece)}"
        if following is not None and following.text == "ください":
            note += ", followed by ください to ask politely"
        notes.append(note + ".")
    endings = [p.text for p in found if p.kind == "ending"]
    if any(e.startswith("です") or e.startswith("でした") for e in endings):
        notes.append("It ends politely with です (or its past, でした).")
    if not notes:
        notes.append(
            "Japanese puts the verb (or です) last; what the sentence is about comes first, "
            "marked with は."
        )
    return notes


# ------------------------------------------------------------------------------- Spanish


def _spanish_structure(found: Sequence[Piece]) -> str:
    slots: list[str] = []
    attach = False  # the next slot follows ¿ or ¡ with no space
    for n, piece in enumerate(found):
        if piece.kind == "punct":
            if piece.text in ("¿", "¡"):
                slots.append(piece.text)
                attach = True
            elif piece.text in _SPANISH_SENTENCE_END and n == len(found) - 1:
                continue
            elif slots:
                slots[-1] += piece.text
            continue
        if piece.kind == "word" and piece.word is not None:
            slot = f"[{_SPANISH_ROLES.get(piece.word.part_of_speech, 'word')}]"
        elif piece.kind == "article":
            slot = "[article]"
        elif piece.kind == "particle":
            slot = piece.text.lower()
        elif piece.text[:1].isupper() and n > 0 and found[n - 1].text not in ("¿", "¡", "."):
            slot = "[name]"
        else:
            slot = "[word]"
        if attach and slots:
            slots[-1] += slot
        else:
            slots.append(slot)
        attach = False
    return " ".join(slots)


def _plural(token: str, term: str) -> bool:
    token, term = fold(token), fold(term)
    return token != term and token.endswith("s") and not term.endswith("s")


def _verb_clue(piece: Piece) -> str:
    word = piece.word
    assert word is not None
    token = fold(piece.text)
    infinitive = fold(word.term)
    if token == infinitive or token + "se" == infinitive:
        return f"{word.term} stays in the infinitive here."
    if token.endswith(("ando", "iendo", "yendo")):
        return f"{word.term} is in its -ando / -iendo form (…ing) here."
    if token.endswith(("amos", "emos", "imos")):
        person = "the nosotros form (we …)"
    elif token.endswith(("o", "oy")) and not token.endswith(("ado", "ido")):
        person = "the yo form (I …)"
    else:
        person = "the form that fits who does it"
    return f"{word.term} is conjugated here: {person}, in the tense the English uses."


def _spanish_clues(found: Sequence[Piece]) -> list[str]:
    notes: list[str] = []
    for n, piece in enumerate(found):
        word = piece.word
        if piece.kind != "word" or word is None:
            continue
        if word.part_of_speech == "noun":
            gender = str((word.parts or {}).get("gender", ""))
            if gender in ("masculine", "feminine"):
                plural = _plural(piece.text, word.term)
                notes.append(
                    f"{word.term} is {gender}{' and plural here' if plural else ''}: its "
                    f"article ({_ARTICLES[(gender, plural)]}) and adjectives agree with it."
                )
        elif word.part_of_speech == "verb":
            notes.append(_verb_clue(piece))
        elif word.part_of_speech == "adjective" and _after_noun(found, n):
            notes.append(f"{word.term} comes after the noun it describes, and agrees with it.")
    texts = [piece.text.lower() for piece in found]
    if "no" in texts:
        notes.append("It is negative: no goes right before the verb.")
    if "¿" in texts or "?" in texts:
        notes.append("It is a question: open it with ¿ and close it with ?.")
    if "¡" in texts or "!" in texts:
        notes.append("It has an exclamation: open it with ¡ and close it with !.")
    if not notes:
        notes.append("Spanish usually leaves out I, you and we: a verb's ending says who.")
    return notes


def _after_noun(found: Sequence[Piece], n: int) -> bool:
    before = found[n - 1].word if n > 0 else None
    return before is not None and before.part_of_speech == "noun"
