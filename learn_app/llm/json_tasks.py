"""JSON tasks: grading a sentence, hints, a word list, example sentences. Each runs as a Haystack
pipeline of the components in `chains` and here:

    retrieve → prompt → generate → validate ─valid──────────────────────────→ result
                           │           └invalid→ repair prompt → regenerate → revalidate
                           │                                          │          │    └valid→ result
                           └unavailable→ rule-based fallback ←────────┴──────────┘invalid
                                                  └─────────────────────────────→ result

so a reply that fails its JSON schema gets exactly one repair attempt, and when there is no model
(offline by configuration, the learner's budget spent, the provider failing) or the repair fails
too, the task's own rules answer and the result carries a notice saying which of these happened.
"""

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import jsonschema
from haystack import Pipeline, component
from haystack.core.component.types import Variadic
from sqlmodel import Session

from learn_app.llm import calls as llm
from learn_app.llm.chains import (
    CourseRetriever,
    CourseSearch,
    LlmContext,
    TaskPrompt,
    as_data,
    template,
)
from learn_app.llm.providers import ChatMessage, ChatResult
from learn_app.models import CallOutcome, User
from learn_app.rag.retrieval import Passage

FALLBACK_MODEL = "rules-v1"


_FENCE = re.compile(r"^\s*```(?:json)?\s*\n?(.*?)\n?\s*```\s*$", re.DOTALL)


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
class ModelGenerator:
    """One reply from a real model of `models`, or the reason there is none. Never the
    offline tutor: a task's own rules are its fallback."""

    def __init__(self, models: llm.ModelCalls, purpose: str, max_tokens: int | None = None) -> None:
        self.models = models
        self.purpose = purpose
        self.max_tokens = max_tokens

    @component.output_types(reply=ChatResult, unavailable=FallbackReason)
    def run(self, system: str, messages: list[ChatMessage], context: LlmContext) -> dict[str, Any]:
        outcome = self.models.generate_from_model(
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


def json_task_pipeline(
    task: JsonTask, *, models: llm.ModelCalls | None = None, search: CourseSearch | None = None
) -> Pipeline:
    """The pipeline of a JSON task, its models and search the portal's unless given."""
    models = models or llm.ModelCalls()
    retriever = CourseRetriever(search or CourseSearch(), task.lesson_passages, task.word_passages)
    pipeline = Pipeline()
    pipeline.add_component("retrieve", retriever)
    pipeline.add_component("prompt", TaskPrompt(task.system_template, task.user_template))
    pipeline.add_component("generate", ModelGenerator(models, task.purpose, task.max_tokens))
    pipeline.add_component("validate", JsonValidator(task.schema, task.check))
    pipeline.add_component("repair_prompt", RepairPrompt())
    pipeline.add_component(
        "regenerate", ModelGenerator(models, f"{task.purpose}-repair"[:32], task.max_tokens)
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


def _notice(task: JsonTask, reason: FallbackReason, budget: int) -> str:
    return f"{REASON_NOTICES[reason.kind].format(budget=budget)} {task.fallback_note}"


def run_json_task(
    session: Session,
    user: User,
    task: JsonTask,
    variables: Mapping[str, Any],
    *,
    query: str = "",
    language: str,
    models: llm.ModelCalls | None = None,
    search: CourseSearch | None = None,
) -> TaskResult:
    """Run `task` for `user`: the model's validated JSON, repaired once if need be, or the
    rules' answer with a notice saying why. `models` and `search` are the portal's unless
    given."""
    models = models or llm.ModelCalls()
    context = LlmContext(session, user)
    outputs = json_task_pipeline(task, models=models, search=search).run(
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
    models.record_call(
        session, user, purpose=task.purpose, provider="offline", model=FALLBACK_MODEL,
        outcome=outcome,
    )  # fmt: skip
    notice = _notice(task, reason, models.daily_budget)
    return TaskResult(fallback["data"], "offline", FALLBACK_MODEL, False, notice, passages)
