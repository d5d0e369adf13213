"""The pipeline components built with local stand-ins for their collaborators (the course
search, the models behind the budget and the ledger): what each passes to them and what it
returns, with no database, index or provider."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from learn_app.llm import calls
from learn_app.llm.chains import CourseRetriever, LlmContext, StreamingGenerator
from learn_app.llm.json_tasks import FALLBACK_MODEL, JsonTask, ModelGenerator, run_json_task
from learn_app.llm.providers import ChatMessage, ChatResult, Grounding
from learn_app.models import CallOutcome
from learn_app.rag.retrieval import Passage

VECTOR = [0.6, 0.8]


def passage(kind: str, source_id: int) -> Passage:
    return Passage(
        text=f"{kind} {source_id}", score=1.0, source_type=kind, source_id=source_id,
        title=f"{kind.title()} {source_id}", language="ja", chunk_id=f"{kind}-{source_id}",
    )  # fmt: skip


@dataclass
class StandInSearch:
    """Answers from a fixed list per source type and writes down every call."""

    found: dict[str, list[Passage]]
    calls: list[tuple[Any, ...]] = field(default_factory=list)

    def query_vector(self, query: str, language: str) -> list[float]:
        self.calls.append(("embed", query, language))
        return VECTOR

    def passages(
        self, query: str, *, language: str, limit: int, source_type: str, query_vector: list[float]
    ) -> list[Passage]:
        self.calls.append(("search", query, language, limit, source_type, query_vector))
        return self.found[source_type][:limit]


@dataclass
class StandInModels:
    """A model that replies with `replies` in turn (a string is a reason for no reply), or
    streams `pieces`; the budget and ledger are a list."""

    replies: list[str] = field(default_factory=list)
    pieces: list[str] = field(default_factory=list)
    unavailable: str | None = None
    daily_budget: int = 7
    asked: list[dict[str, Any]] = field(default_factory=list)
    ledger: list[dict[str, Any]] = field(default_factory=list)

    def generate_stream(
        self, session: Any, user: Any, *, purpose: str, system: str,
        messages: Sequence[ChatMessage], grounding: Grounding,
    ) -> Iterator[str | calls.Generation]:  # fmt: skip
        self.asked.append({"purpose": purpose, "system": system, "grounding": grounding})
        yield from self.pieces
        yield calls.Generation(ChatResult("".join(self.pieces), "stand-in", "m1", 3, 4, 5))

    def unavailable_reason(self, session: Any, user: Any) -> str | None:
        return self.unavailable

    def generate_from_model(
        self, session: Any, user: Any, *, purpose: str, system: str,
        messages: Sequence[ChatMessage], max_tokens: int | None = None,
    ) -> ChatResult | str:  # fmt: skip
        self.asked.append(
            {"purpose": purpose, "system": system, "messages": list(messages),
             "max_tokens": max_tokens, "session": session, "user": user}
        )  # fmt: skip
        reply = self.replies.pop(0)
        if reply in ("offline", "budget", "unavailable"):
            return reply
        return ChatResult(reply, "stand-in", "m1", 10, 20, 30)

    def record_call(
        self, session: Any, user: Any, *, purpose: str, provider: str, model: str,
        outcome: CallOutcome,
    ) -> Any:  # fmt: skip
        self.ledger.append(
            {"purpose": purpose, "provider": provider, "model": model, "outcome": outcome}
        )


SESSION, USER = object(), object()
CONTEXT = LlmContext(SESSION, USER)  # type: ignore[arg-type]


def test_the_retriever_embeds_the_question_once_and_asks_for_lessons_then_words() -> None:
    search = StandInSearch({"lesson": [passage("lesson", n) for n in (1, 2, 3)],
                            "word": [passage("word", n) for n in (7, 8)]})  # fmt: skip
    retriever = CourseRetriever(search, lesson_limit=2, word_limit=1)

    found = retriever.run(query="how do counters work", language="ja")["passages"]

    assert [(p.source_type, p.source_id) for p in found] == [
        ("lesson", 1), ("lesson", 2), ("word", 7),
    ]  # fmt: skip
    assert search.calls == [
        ("embed", "how do counters work", "ja"),
        ("search", "how do counters work", "ja", 2, "lesson", VECTOR),
        ("search", "how do counters work", "ja", 1, "word", VECTOR),
    ]


def test_the_retriever_asks_nothing_for_a_blank_question() -> None:
    search = StandInSearch({"lesson": [passage("lesson", 1)], "word": []})

    assert CourseRetriever(search).run(query="   ", language="ja") == {"passages": []}
    assert search.calls == []


def test_the_model_generator_passes_its_purpose_and_token_limit_and_routes_the_reply() -> None:
    models = StandInModels(replies=['{"ok": true}', "budget"])
    generator = ModelGenerator(models, "grading", max_tokens=900)
    messages = [ChatMessage("user", "Grade this")]

    reply = generator.run(system="Be brief.", messages=messages, context=CONTEXT)
    refused = generator.run(system="Be brief.", messages=messages, context=CONTEXT)

    assert reply["reply"].text == '{"ok": true}'
    assert refused["unavailable"].kind == "budget"
    assert models.asked[0] == {
        "purpose": "grading", "system": "Be brief.", "messages": messages, "max_tokens": 900,
        "session": SESSION, "user": USER,
    }  # fmt: skip


def test_the_streaming_generator_hands_on_each_piece_then_the_generation() -> None:
    models = StandInModels(pieces=["Counters ", "follow ", "numbers."])
    streamed: list[str] = []
    grounding = Grounding("counters?")

    out = StreamingGenerator(models, "tutor").run(
        system="You are a tutor.", messages=[ChatMessage("user", "counters?")],
        grounding=grounding, context=CONTEXT, streaming_callback=streamed.append,
    )  # fmt: skip

    assert streamed == ["Counters ", "follow ", "numbers."]
    assert out["generation"].result.text == "Counters follow numbers."
    assert models.asked == [
        {"purpose": "tutor", "system": "You are a tutor.", "grounding": grounding}
    ]


def test_with_the_budget_spent_a_task_with_rules_asks_no_model_and_logs_the_refusal() -> None:
    models = StandInModels(pieces=["never sent"], unavailable="budget", daily_budget=7)
    streamed: list[str] = []

    out = StreamingGenerator(models, "explain", rules_model="explain-rules").run(
        system="s", messages=[], grounding=Grounding("q"), context=CONTEXT,
        streaming_callback=streamed.append,
    )  # fmt: skip

    generation = out["generation"]
    assert (generation.result.text, generation.result.model) == ("", "explain-rules")
    assert "7" in (generation.notice or "")
    assert streamed == [] and models.asked == []
    assert models.ledger == [
        {"purpose": "explain", "provider": "offline", "model": "explain-rules",
         "outcome": CallOutcome.budget},
    ]  # fmt: skip


SCORE_TASK = JsonTask(
    purpose="scoring",
    system_template="tutor_system.txt",
    user_template="tutor_question.txt",
    schema={"type": "object", "required": ["score"], "properties": {"score": {"type": "integer"}}},
    rules=lambda variables, passages: {"score": len(passages)},
    fallback_note="The rules scored it.",
    lesson_passages=1,
    word_passages=1,
)
VARIABLES = {"question": "q", "language_name": "Japanese", "native_language_name": "English"}


def test_a_json_task_repairs_an_unreadable_reply_once_with_the_given_collaborators() -> None:
    search = StandInSearch({"lesson": [passage("lesson", 1)], "word": [passage("word", 2)]})
    models = StandInModels(replies=["not json at all", '{"score": 4}'])

    result = run_json_task(
        SESSION, USER, SCORE_TASK, VARIABLES, query="q", language="ja",  # type: ignore[arg-type]
        models=models, search=search,
    )  # fmt: skip

    assert (result.data, result.repaired, result.model) == ({"score": 4}, True, "m1")
    assert [a["purpose"] for a in models.asked] == ["scoring", "scoring-repair"]
    repair = models.asked[1]["messages"]
    assert repair[-2] == ChatMessage("assistant", "not json at all")
    assert [p.source_id for p in result.passages] == [1, 2]
    assert models.ledger == []


def test_a_json_task_without_a_model_answers_by_its_rules_and_says_why() -> None:
    search = StandInSearch({"lesson": [passage("lesson", 1)], "word": [passage("word", 2)]})
    models = StandInModels(replies=["budget"], daily_budget=3)

    result = run_json_task(
        SESSION, USER, SCORE_TASK, VARIABLES, query="q", language="ja",  # type: ignore[arg-type]
        models=models, search=search,
    )  # fmt: skip

    assert (result.data, result.model, result.offline) == ({"score": 2}, FALLBACK_MODEL, True)
    assert result.notice == "You have used today's 3 AI answers. The rules scored it."
    assert models.ledger == [
        {"purpose": "scoring", "provider": "offline", "model": FALLBACK_MODEL,
         "outcome": CallOutcome.budget},
    ]  # fmt: skip
