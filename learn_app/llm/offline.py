"""The offline tutor: answers by quoting the course, so the portal works with no model at all.

From each retrieved passage it takes the sentence that shares most words with the question and
quotes it with the passage's number, best first. It never invents text, so its answers are
only as good as retrieval, and it says so.

The question is read as retrieval reads it, and a little more (`question_reading`): Japanese
script as two-character pieces (the keyword index's terms) and its content words also in
romaji, romaji also in kana, accents folded, the taught language's function words counting
little, and a word the passages never use also as the closest word they do use, at half
weight. Which passages are quoted, and in what order, weighs both how much of the question
the quoted sentence covers and how highly retrieval ranked the passage: the ranking saw the
meaning of the whole passage, the sentence only its own words.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from learn_app.llm.providers import ChatMessage, ChatResult, Grounding
from learn_app.llm.question_reading import question_importance, question_words
from learn_app.rag.retrieval import Passage

OFFLINE_MODEL = "extractive-v1"
MAX_QUOTES = 3
MAX_WORD_QUOTES = 1
MAX_QUOTE_CHARS = 320
# How much retrieval's fused score (1.0: first by meaning and by words) counts beside the share
# of the question's words the quoted sentence holds (1.0: all of them).
RETRIEVAL_WEIGHT = 0.5
# Quoted when no lesson shares a word with the question: retrieval's best, found by meaning.
UNMATCHED_LESSONS = 2
INTRO = "Offline tutor — quoting the course:"
NOTHING_FOUND = (
    "Offline tutor: I found nothing in the course about that. Try other words, or browse "
    "the lessons."
)

_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+")
_NEW_UNIT = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|>|\|)")
_HEADING = re.compile(r"^\s*#{1,6}\s+(.*)$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}")


@dataclass(frozen=True)
class _Sentence:
    text: str
    heading: str


def _tidy(unit: str) -> str:
    unit = re.sub(r"^\s*(?:[-*+]\s+|\d+[.)]\s+|>\s*)", "", unit)
    if unit.lstrip().startswith("|"):
        unit = " — ".join(cell.strip() for cell in unit.strip().strip("|").split("|"))
    return unit.replace("**", "").strip()


def sentences(text: str) -> list[_Sentence]:
    """The quotable sentences of a Markdown passage, each with the heading it sits under.

    Lessons are hard-wrapped, so lines join into paragraphs; list items, table rows and
    headings start a unit of their own.
    """
    units: list[tuple[str, str]] = []
    heading, current = "", ""
    for line in [*text.splitlines(), ""]:
        match = _HEADING.match(line)
        if not line.strip() or match or _NEW_UNIT.match(line) or _TABLE_RULE.match(line):
            if current:
                units.append((current, heading))
            current = ""
            if match:
                heading = match.group(1).strip()
                continue
            if not line.strip() or _TABLE_RULE.match(line):
                continue
        current = f"{current} {line.strip()}" if current else line.strip()
    found = []
    for unit, under in units:
        for piece in _SENTENCE_END.split(_tidy(unit)):
            if len(piece) >= 3:
                found.append(_Sentence(piece, under))
    return found


@dataclass(frozen=True)
class _Quote:
    number: int
    text: str
    score: float
    is_word: bool


def _best_quote(number: int, passage: Passage, weights: dict[str, float]) -> _Quote | None:
    """The passage's sentence, or two neighbouring ones, that best match the question."""

    # A sentence is read under its heading and its lesson's title, which say what it is about.
    title_words = question_words(passage.title)

    def score(words: set[str], heading: str) -> float:
        found = sum(weights.get(w, 0.0) for w in words)
        context = question_words(heading) | title_words
        return found + 0.5 * sum(weights.get(w, 0.0) for w in context)

    found = sentences(passage.text)
    words = [question_words(s.text) for s in found]
    candidates: list[tuple[float, str]] = []
    for i, sentence in enumerate(found):
        alone = score(words[i], sentence.heading)
        candidates.append((alone, sentence.text))
        if i + 1 < len(found) and found[i + 1].heading == sentence.heading:
            together = score(words[i] | words[i + 1], sentence.heading)
            if together > max(alone, score(words[i + 1], sentence.heading)):
                candidates.append((together, f"{sentence.text} {found[i + 1].text}"))
    if not candidates:
        return None
    best_score, best_text = max(candidates, key=lambda c: c[0])
    return _Quote(number, best_text[:MAX_QUOTE_CHARS], best_score, passage.source_type == "word")


def _word_weights(question: str, passages: Sequence[Passage]) -> dict[str, float]:
    """The question's words as the tutor reads them (`question_reading`), rarer ones (in these
    passages) weighing more."""
    units = [question_words(s.text) for p in passages for s in sentences(p.text)]
    weights = {}
    for word, importance in question_importance(question, passages).items():
        holding = sum(1 for unit in units if word in unit)
        weights[word] = importance * (1.0 + math.log((1 + len(units)) / (1 + holding)))
    return weights


def extractive_answer(question: str, passages: Sequence[Passage]) -> str:
    """Quotes from the passages, each with its [n], most relevant first."""
    weights = _word_weights(question, passages)
    quotes = [q for n, p in enumerate(passages, start=1) if (q := _best_quote(n, p, weights))]
    if not quotes:
        return NOTHING_FOUND
    whole_question = sum(weights.values()) or 1.0

    def standing(quote: _Quote) -> float:
        retrieval = passages[quote.number - 1].score
        return quote.score / whole_question + RETRIEVAL_WEIGHT * retrieval

    # Lessons explain, word entries only illustrate: lessons and words are chosen apart, at
    # most one word, so that short word entries full of the question's words do not push out
    # the lesson that answers it. A passage sharing no word with the question is quoted only
    # if no passage of its kind does: retrieval found it by meaning, better than nothing.
    lessons = [q for q in quotes if not q.is_word]
    words = [q for q in quotes if q.is_word]
    lessons = [q for q in lessons if q.score > 0] or lessons[:UNMATCHED_LESSONS]
    words = [q for q in words if q.score > 0] or ([] if lessons else words[:1])
    chosen = sorted(lessons, key=standing, reverse=True)[:MAX_QUOTES]
    chosen += sorted(words, key=standing, reverse=True)[:MAX_WORD_QUOTES]
    lines = [INTRO, ""]
    # Retrieval order breaks ties: it already weighed meaning as well as words.
    for quote in sorted(chosen, key=lambda q: (-standing(q), q.number)):
        title = passages[quote.number - 1].title
        lines.append(f"- {quote.text} [{quote.number}] ({title})")
    return "\n".join(lines)


class OfflineProvider:
    """Always available, no network; labelled "offline" wherever its answers are shown."""

    name = "offline"
    model = OFFLINE_MODEL

    def complete(
        self,
        system: str,
        messages: Sequence[ChatMessage],
        *,
        max_tokens: int = 0,
        grounding: Grounding | None = None,
    ) -> ChatResult:
        started = time.perf_counter()
        if grounding is None:
            text = NOTHING_FOUND
        else:
            text = extractive_answer(grounding.question, grounding.passages)
        return ChatResult(
            text=text,
            provider=self.name,
            model=self.model,
            input_tokens=0,
            output_tokens=0,
            latency_ms=round((time.perf_counter() - started) * 1000),
        )

    def stream(
        self,
        system: str,
        messages: Sequence[ChatMessage],
        *,
        max_tokens: int = 0,
        grounding: Grounding | None = None,
    ) -> Iterator[str | ChatResult]:
        result = self.complete(system, messages, max_tokens=max_tokens, grounding=grounding)
        yield from result.text.splitlines(keepends=True)
        yield result
