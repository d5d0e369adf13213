"""Model chaining: each LLM task is a Haystack pipeline built from the components here.

A JSON task (grading a sentence, hints, a word list, example sentences) runs

    retrieve → prompt → generate → validate ─valid──────────────────────────→ result
                           │           └invalid→ repair prompt → regenerate → revalidate
                           │                                          │          │    └valid→ result
                           └unavailable→ rule-based fallback ←────────┴──────────┘invalid
                                                  └─────────────────────────────→ result

so a reply that fails its JSON schema gets exactly one repair attempt, and when there is no model
(offline by configuration, the learner's budget spent, the provider failing) or the repair fails
too, the task's own rules answer and the result carries a notice saying which of these happened.

The tutor runs retrieve → prompt → generate, streaming through a callback.

Prompts are templates in `learn_app/llm/prompts/`; every value put into them is escaped data
between tags, never instructions. Session and learner travel through the pipelines inside a
`LlmContext`, which Haystack's input copying leaves alone.
"""

import html
import json
import queue
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import jsonschema
from haystack import Pipeline, component
from haystack.core.component.types import Variadic
from sqlmodel import Session

from learn_app.config import get_settings
from learn_app.llm import calls as llm
from learn_app.llm.offline import OfflineProvider
from learn_app.llm.providers import ChatMessage, ChatResult, Grounding
from learn_app.models import CallOutcome, User
from learn_app.rag import retrieval
from learn_app.rag.embedder import embed_query
from learn_app.rag.retrieval import Passage

PROMPTS = Path(__file__).resolve().parent / "prompts"
FALLBACK_MODEL = "rules-v1"
T = TypeVar("T")
_FENCE = re.compile(r"^\s*```(?:json)?\s*\n?(.*?)\n?\s*```\s*$", re.DOTALL)


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


@dataclass(frozen=True)
class FallbackReason:
    """Why the rules answer instead of the model; `reply` and `errors` when it was unreadable."""

    kind: str  # "offline", "budget", "unavailable" or "unreadable"
    reply: str = ""
    errors: tuple[str, ...] = ()


# What the learner is told, by reason; the task adds what its rules can and cannot do.
REASON_NOTICES = {
    "offline": "No AI model is set up for this portal.",
    "budget": "You have used today's {budget} AI answers.",
    "unavailable": "The AI model is unavailable right now.",
    "unreadable": "The AI model's reply could not be read, even after asking it again.",
}


@component
class CourseRetriever:
    """The course passages most relevant to a query: lessons first, then words."""

    def __init__(self, lesson_limit: int = 4, word_limit: int = 2) -> None:
        self.lesson_limit = lesson_limit
        self.word_limit = word_limit

    @component.output_types(passages=list[Passage])
    def run(self, query: str, language: str) -> dict[str, Any]:
        if not query.strip() or (self.lesson_limit + self.word_limit) == 0:
            return {"passages": []}
        # Searched apart: in one search the many short word entries crowd out the lesson
        # that explains the point. The question is embedded once for both, as searched
        # (romaji also in kana, misspelt words also as the course spells them).
        embedding = embed_query(retrieval.searched_text(query, language))
        passages: list[Passage] = []
        for source_type, limit in (("lesson", self.lesson_limit), ("word", self.word_limit)):
            passages += retrieval.search(
                query, language=language, limit=limit, source_types=[source_type],
                query_embedding=embedding,
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
    """The answer from the best provider available, pieces through the callback.

    The offline tutor's quotes stand in when the provider fails or the budget is spent (see
    `llm`). A task with rules of its own sets `rules_model`: then, when no model would answer,
    nothing is asked or streamed and the `Generation` has empty text from that model, for
    the caller's rules to fill in.
    """

    def __init__(self, purpose: str, rules_model: str | None = None) -> None:
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
            reason = llm.unavailable_reason(session, user)
            if reason is not None:
                return {"generation": self._rules(session, user, reason)}
        for item in llm.generate_stream(
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
        llm.record_call(
            session, user, purpose=self.purpose, provider=OfflineProvider.name,
            model=self.rules_model, outcome=CallOutcome.budget if budget else CallOutcome.ok,
        )  # fmt: skip
        notice = llm.BUDGET_NOTICE.format(budget=get_settings().llm_daily_budget)
        result = ChatResult("", OfflineProvider.name, self.rules_model, 0, 0, 0)
        return llm.Generation(result, notice if budget else None)


@component
class ModelGenerator:
    """One reply from a real model, or the reason there is none. Never the offline tutor:
    a task's own rules are its fallback."""

    def __init__(self, purpose: str, max_tokens: int | None = None) -> None:
        self.purpose = purpose
        self.max_tokens = max_tokens

    @component.output_types(reply=ChatResult, unavailable=FallbackReason)
    def run(self, system: str, messages: list[ChatMessage], context: LlmContext) -> dict[str, Any]:
        outcome = llm.generate_from_model(
            context.session, context.user, purpose=self.purpose, system=system,
            messages=messages, max_tokens=self.max_tokens,
        )  # fmt: skip
        if isinstance(outcome, ChatResult):
            return {"reply": outcome}
        return {"unavailable": FallbackReason(kind=outcome)}


def parse_json_reply(text: str) -> Any:
    """The JSON value of a model's reply, tolerating a Markdown fence or words around it."""
    text = text.strip()
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group(1).strip()
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        starts = [i for i in (text.find("{"), text.find("[")) if i >= 0]
        if not starts:
            raise
        start = min(starts)
        end = max(text.rfind("}"), text.rfind("]"))
        return json.loads(text[start : end + 1])


@component
class JsonValidator:
    """Routes a reply: `valid` when it parses and meets the schema and the task's own checks,
    otherwise `invalid` with the reasons, for a repair or the fallback."""

    def __init__(
        self,
        schema: dict[str, Any],
        check: Callable[[Any, Mapping[str, Any]], list[str]] | None = None,
    ) -> None:
        self.schema = schema
        self.check = check
        self._validator = jsonschema.Draft202012Validator(schema)

    @component.output_types(valid=dict[str, Any], invalid=FallbackReason)
    def run(self, reply: ChatResult, variables: dict[str, Any]) -> dict[str, Any]:
        try:
            data = parse_json_reply(reply.text)
        except json.JSONDecodeError as error:
            return {"invalid": FallbackReason("unreadable", reply.text, (f"not JSON: {error}",))}
        errors = [
            f"{'/'.join(str(p) for p in e.absolute_path) or '(top)'}: {e.message}"
            for e in sorted(self._validator.iter_errors(data), key=lambda e: list(e.path))
        ][:10]
        if not errors and self.check is not None:
            errors = self.check(data, variables)
        if errors:
            return {"invalid": FallbackReason("unreadable", reply.text, tuple(errors))}
        return {"valid": {"data": data, "provider": reply.provider, "model": reply.model}}


@component
class RepairPrompt:
    """The conversation again, with the unreadable reply and what was wrong with it."""

    @component.output_types(system=str, messages=list[ChatMessage])
    def run(
        self, system: str, messages: list[ChatMessage], rejected: FallbackReason
    ) -> dict[str, Any]:
        problems = "\n".join(f"- {error}" for error in rejected.errors)
        repair = template("repair_json.txt").format(problems=as_data(problems))
        return {
            "system": system,
            "messages": [
                *messages,
                ChatMessage("assistant", rejected.reply or "(empty)"),
                ChatMessage("user", repair),
            ],
        }


@component
class RuleBasedFallback:
    """The task's own rules, when no model reply could be used."""

    def __init__(self, rules: Callable[[Mapping[str, Any], Sequence[Passage]], Any]) -> None:
        self.rules = rules

    @component.output_types(result=dict[str, Any])
    def run(
        self,
        reason: Variadic[FallbackReason],
        variables: dict[str, Any],
        passages: list[Passage],
    ) -> dict[str, Any]:
        reasons = list(reason)
        return {"result": {"data": self.rules(variables, passages), "reason": reasons[0]}}


@dataclass(frozen=True)
class JsonTask:
    """An LLM task whose answer is JSON meeting `schema`, with rules for when there is no model.

    `system_template` and `user_template` are files in prompts/ formatted with the variables
    (escaped), `{passages}` and, for the repair, the errors. `check` adds the task's own tests
    beyond the schema (a score in range, a field in the right script). `rules` answers in the
    schema's shape, or a shape of its own the caller knows, from the variables and passages.
    `fallback_note` ends the notice shown when the rules answer.
    """

    purpose: str
    system_template: str
    user_template: str
    schema: dict[str, Any]
    rules: Callable[[Mapping[str, Any], Sequence[Passage]], Any]
    fallback_note: str
    check: Callable[[Any, Mapping[str, Any]], list[str]] | None = None
    lesson_passages: int = 3
    word_passages: int = 2
    # The reply's token limit when it needs more than LEARN_LLM_MAX_TOKENS (a long word list).
    max_tokens: int | None = None


@dataclass(frozen=True)
class TaskResult:
    data: Any
    provider: str  # the model's provider, or "offline" when the rules answered
    model: str
    repaired: bool = False
    notice: str | None = None
    passages: list[Passage] = field(default_factory=list)

    @property
    def offline(self) -> bool:
        return self.model == FALLBACK_MODEL


def json_task_pipeline(task: JsonTask) -> Pipeline:
    pipeline = Pipeline()
    pipeline.add_component("retrieve", CourseRetriever(task.lesson_passages, task.word_passages))
    pipeline.add_component("prompt", TaskPrompt(task.system_template, task.user_template))
    pipeline.add_component("generate", ModelGenerator(task.purpose, task.max_tokens))
    pipeline.add_component("validate", JsonValidator(task.schema, task.check))
    pipeline.add_component("repair_prompt", RepairPrompt())
    pipeline.add_component(
        "regenerate", ModelGenerator(f"{task.purpose}-repair"[:32], task.max_tokens)
    )
    pipeline.add_component("revalidate", JsonValidator(task.schema, task.check))
    pipeline.add_component("fallback", RuleBasedFallback(task.rules))

    pipeline.connect("retrieve.passages", "prompt.passages")
    pipeline.connect("prompt.system", "generate.system")
    pipeline.connect("prompt.messages", "generate.messages")
    pipeline.connect("generate.reply", "validate.reply")
    pipeline.connect("prompt.variables", "validate.variables")
    pipeline.connect("validate.invalid", "repair_prompt.rejected")
    pipeline.connect("prompt.system", "repair_prompt.system")
    pipeline.connect("prompt.messages", "repair_prompt.messages")
    pipeline.connect("repair_prompt.system", "regenerate.system")
    pipeline.connect("repair_prompt.messages", "regenerate.messages")
    pipeline.connect("regenerate.reply", "revalidate.reply")
    pipeline.connect("prompt.variables", "revalidate.variables")
    pipeline.connect("generate.unavailable", "fallback.reason")
    pipeline.connect("regenerate.unavailable", "fallback.reason")
    pipeline.connect("revalidate.invalid", "fallback.reason")
    pipeline.connect("prompt.variables", "fallback.variables")
    pipeline.connect("retrieve.passages", "fallback.passages")
    return pipeline


def _notice(task: JsonTask, reason: FallbackReason) -> str:
    budget = get_settings().llm_daily_budget
    return f"{REASON_NOTICES[reason.kind].format(budget=budget)} {task.fallback_note}"


def run_json_task(
    session: Session,
    user: User,
    task: JsonTask,
    variables: Mapping[str, Any],
    *,
    query: str = "",
    language: str,
) -> TaskResult:
    """Run `task` for `user`: the model's validated JSON, repaired once if need be, or the
    rules' answer with a notice saying why."""
    context = LlmContext(session, user)
    outputs = json_task_pipeline(task).run(
        {
            "retrieve": {"query": query, "language": language},
            "prompt": {"variables": dict(variables)},
            "generate": {"context": context},
            "regenerate": {"context": context},
        },
        include_outputs_from={"retrieve"},
    )
    passages = outputs["retrieve"]["passages"]
    for name, repaired in (("validate", False), ("revalidate", True)):
        valid = outputs.get(name, {}).get("valid")
        if valid is not None:
            return TaskResult(
                valid["data"], valid["provider"], valid["model"], repaired, None, passages
            )
    fallback = outputs["fallback"]["result"]
    reason: FallbackReason = fallback["reason"]
    outcome = {"budget": CallOutcome.budget, "offline": CallOutcome.ok}.get(
        reason.kind, CallOutcome.fallback
    )
    llm.record_call(
        session, user, purpose=task.purpose, provider="offline", model=FALLBACK_MODEL,
        outcome=outcome,
    )  # fmt: skip
    return TaskResult(
        fallback["data"], "offline", FALLBACK_MODEL, False, _notice(task, reason), passages
    )


def tutor_pipeline(
    purpose: str,
    retriever: Any,
    *,
    user_template: str = "tutor_question.txt",
    rules_model: str | None = None,
) -> Pipeline:
    """retrieve → prompt → streaming generate, under the tutor's system prompt. `retriever`
    is a component with a `passages` output (`CourseRetriever`, or a task's own)."""
    pipeline = Pipeline()
    pipeline.add_component("retrieve", retriever)
    pipeline.add_component("prompt", TaskPrompt("tutor_system.txt", user_template))
    pipeline.add_component("generate", StreamingGenerator(purpose, rules_model))
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
