"""Model chaining: each LLM task is a Haystack pipeline built from the components here.

The tutor runs retrieve → prompt → generate, streaming through a callback. The JSON tasks
(grading a sentence, hints, a word list, example sentences) add validation, one repair and
their own rules as a fallback: see `json_tasks`.

Prompts are templates in `learn_app/llm/prompts/`; every value put into them is escaped data
between tags, never instructions. Session and learner travel through the pipelines inside a
`LlmContext`, which Haystack's input copying leaves alone.

Components get their collaborators when they are built, as Haystack's own do: the retriever a
`CourseSearch` (the course's hybrid search), the generators a `calls.ModelCalls` (the provider
behind the learner's budget and the call ledger). The pipeline builders pass the portal's own
unless given others (tests give local stand-ins).
"""

import html
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from haystack import Pipeline, component
from sqlmodel import Session

from learn_app.llm import calls as llm
from learn_app.llm.offline import OfflineProvider
from learn_app.llm.providers import ChatMessage, ChatResult, Grounding
from learn_app.models import CallOutcome, User
from learn_app.rag import retrieval
from learn_app.rag.embedder import embed_query
from learn_app.rag.retrieval import Passage

PROMPTS = Path(__file__).resolve().parent / "prompts"
T = TypeVar("T")


@cache
def template(name: str) -> str:
    return (PROMPTS / name).read_text("utf-8")


def as_data(text: str) -> str:
    """Text safe to put between our tags: it cannot close them or open its own."""
    return html.escape(text, quote=False)


def passage_blocks(passages: Sequence[Passage]) -> str:
    return "\n".join(
        f'<passage id="{n}" title="{as_data(p.title)}">\n{as_data(p.text)}\n</passage>'
        for n, p in enumerate(passages, start=1)
    )


@dataclass(frozen=True)
class LlmContext:
    """Who a pipeline runs for. Passed by reference: deep-copying a database session is wrong."""

    session: Session
    user: User

    def __deepcopy__(self, memo: dict[int, Any]) -> "LlmContext":
        return self


class CourseSearch:
    """The course's hybrid search (`rag.retrieval`), what `CourseRetriever` searches with."""

    def query_vector(self, query: str, language: str) -> list[float]:
        """The query's embedding, as searched (see `retrieval.searched_text`)."""
        return embed_query(retrieval.searched_text(query, language))

    def passages(
        self, query: str, *, language: str, limit: int, source_type: str, query_vector: list[float]
    ) -> list[Passage]:
        """The `limit` best passages of one source type ("lesson" or "word"), best first."""
        return retrieval.search(
            query, language=language, limit=limit, source_types=[source_type],
            query_embedding=query_vector,
        )  # fmt: skip


@component
class CourseRetriever:
    """The course passages most relevant to a query, found with `search`: lessons first, then
    words."""

    def __init__(self, search: CourseSearch, lesson_limit: int = 4, word_limit: int = 2) -> None:
        self.search = search
        self.lesson_limit = lesson_limit
        self.word_limit = word_limit

    @component.output_types(passages=list[Passage])
    def run(self, query: str, language: str) -> dict[str, Any]:
        if not query.strip() or (self.lesson_limit + self.word_limit) == 0:
            return {"passages": []}
        # Searched apart: in one search the many short word entries crowd out the lesson
        # that explains the point. The question is embedded once for both, as searched
        # (romaji also in kana, misspelt words also as the course spells them).
        embedding = self.search.query_vector(query, language)
        passages: list[Passage] = []
        for source_type, limit in (("lesson", self.lesson_limit), ("word", self.word_limit)):
            passages += self.search.passages(
                query, language=language, limit=limit, source_type=source_type,
                query_vector=embedding,
            )  # fmt: skip
        return {"passages": passages}


@component
class TaskPrompt:
    """The system prompt and the learner's message, rendered from two templates.

    Every value is escaped as data; `passages` fill `{passages}` as numbered, delimited blocks.
    """

    def __init__(self, system_template: str, user_template: str) -> None:
        self.system_template = system_template
        self.user_template = user_template

    @component.output_types(
        system=str,
        messages=list[ChatMessage],
        grounding=Grounding,
        variables=dict[str, Any],
    )
    def run(
        self,
        variables: dict[str, Any],
        passages: list[Passage],
        history: list[ChatMessage] | None = None,
    ) -> dict[str, Any]:
        values = {name: as_data(str(value)) for name, value in variables.items()}
        values["passages"] = passage_blocks(passages) or "(none found)"
        system = template(self.system_template).format(**values)
        message = template(self.user_template).format(**values)
        return {
            "system": system,
            "messages": [*(history or []), ChatMessage("user", message)],
            "grounding": Grounding(question=str(variables.get("question", "")), passages=passages),
            "variables": variables,
        }


@component
class StreamingGenerator:
    """The answer from the best provider `models` has, pieces through the callback.

    The offline tutor's quotes stand in when the provider fails or the budget is spent (see
    `calls`). A task with rules of its own sets `rules_model`: then, when no model would
    answer, nothing is asked or streamed and the `Generation` has empty text from that model,
    for the caller's rules to fill in.
    """

    def __init__(
        self, models: llm.ModelCalls, purpose: str, rules_model: str | None = None
    ) -> None:
        self.models = models
        self.purpose = purpose
        self.rules_model = rules_model

    @component.output_types(generation=llm.Generation)
    def run(
        self,
        system: str,
        messages: list[ChatMessage],
        grounding: Grounding,
        context: LlmContext,
        streaming_callback: Callable[[str], None] | None = None,
    ) -> dict[str, Any]:
        session, user = context.session, context.user
        if self.rules_model is not None:
            reason = self.models.unavailable_reason(session, user)
            if reason is not None:
                return {"generation": self._rules(session, user, reason)}
        for item in self.models.generate_stream(
            session, user, purpose=self.purpose, system=system, messages=messages,
            grounding=grounding,
        ):  # fmt: skip
            if isinstance(item, llm.Generation):
                return {"generation": item}
            if streaming_callback is not None:
                streaming_callback(item)
        raise RuntimeError("the provider stream ended without a result")  # pragma: no cover

    def _rules(self, session: Session, user: User, reason: str) -> llm.Generation:
        assert self.rules_model is not None
        budget = reason == "budget"
        self.models.record_call(
            session, user, purpose=self.purpose, provider=OfflineProvider.name,
            model=self.rules_model, outcome=CallOutcome.budget if budget else CallOutcome.ok,
        )  # fmt: skip
        notice = llm.BUDGET_NOTICE.format(budget=self.models.daily_budget)
        result = ChatResult("", OfflineProvider.name, self.rules_model, 0, 0, 0)
        return llm.Generation(result, notice if budget else None)


def tutor_pipeline(
    purpose: str,
    retriever: Any,
    *,
    user_template: str = "tutor_question.txt",
    rules_model: str | None = None,
    models: llm.ModelCalls | None = None,
) -> Pipeline:
    """retrieve → prompt → streaming generate, under the tutor's system prompt. `retriever`
    is a component with a `passages` output (`CourseRetriever`, or a task's own); `models`
    the portal's unless given."""
    generator = StreamingGenerator(models or llm.ModelCalls(), purpose, rules_model)
    pipeline = Pipeline()
    pipeline.add_component("retrieve", retriever)
    pipeline.add_component("prompt", TaskPrompt("tutor_system.txt", user_template))
    pipeline.add_component("generate", generator)
    pipeline.connect("retrieve.passages", "prompt.passages")
    pipeline.connect("prompt.system", "generate.system")
    pipeline.connect("prompt.messages", "generate.messages")
    pipeline.connect("prompt.grounding", "generate.grounding")
    return pipeline


def pieces_then_result(run: Callable[[Callable[[str], None]], T]) -> Iterator[str | T]:
    """Call `run(on_piece)` on a worker thread and yield the pieces it streams, then what it
    returns. The caller's database session is used by one thread at a time: this one waits.
    """
    pieces: queue.SimpleQueue[str | BaseException | None] = queue.SimpleQueue()
    outcome: list[T] = []

    def work() -> None:
        try:
            outcome.append(run(pieces.put))
            pieces.put(None)
        except BaseException as error:
            pieces.put(error)

    worker = threading.Thread(target=work, name="pipeline-stream", daemon=True)
    worker.start()
    while (item := pieces.get()) is not None:
        if isinstance(item, BaseException):
            worker.join()
            raise item
        yield item
    worker.join()
    yield outcome[0]
