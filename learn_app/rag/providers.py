"""Chat models behind one interface: Claude through the official SDK, and the offline tutor.

A provider turns a system prompt and a conversation into text, whole (`complete`) or in pieces
(`stream`, whose last item is the `ChatResult`). Providers know nothing of learners, budgets or
logging; `learn_app.rag.llm` decides which one answers and records the call.

Another Anthropic-compatible server (a proxy, a gateway in front of Ollama or an
OpenAI-compatible model) is a setting, not code: ANTHROPIC_BASE_URL and LEARN_ANTHROPIC_MODEL
(and ANTHROPIC_API_KEY set to whatever that server accepts).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, Protocol

import anthropic

from learn_app.config import Settings
from learn_app.rag.retrieval import Passage

Role = Literal["user", "assistant"]

# USD per million input and output tokens, for the cost column of `llm_call`. A model missing
# here is logged with no cost rather than a wrong one.
PRICES_PER_MILLION_TOKENS: dict[str, tuple[float, float]] = {
    "claude-opus-4-5": (5.0, 25.0),
    "claude-opus-4-1": (15.0, 75.0),
    "claude-sonnet-4-5": (3.0, 15.0),
    "claude-sonnet-4-0": (3.0, 15.0),
    "claude-haiku-4-5": (1.0, 5.0),
    "claude-3-5-haiku-latest": (0.8, 4.0),
}


def estimated_cost_usd(model: str, input_tokens: int, output_tokens: int) -> float | None:
    """From the price table; a dated model name ("claude-sonnet-4-5-20250929") counts as its
    family's."""
    names = [name for name in PRICES_PER_MILLION_TOKENS if model.startswith(name)]
    if not names:
        return None
    prices = PRICES_PER_MILLION_TOKENS[max(names, key=len)]
    return (input_tokens * prices[0] + output_tokens * prices[1]) / 1_000_000


@dataclass(frozen=True)
class ChatMessage:
    role: Role
    text: str


@dataclass(frozen=True)
class Grounding:
    """What the offline tutor answers from: the learner's question and the numbered passages."""

    question: str
    passages: Sequence[Passage] = ()


@dataclass(frozen=True)
class ChatResult:
    text: str
    provider: str
    model: str
    input_tokens: int
    output_tokens: int
    latency_ms: int


class ProviderFailed(Exception):
    """The provider could not answer (timeout, server error after retries, bad key)."""


class ChatProvider(Protocol):
    name: str
    model: str

    def complete(
        self,
        system: str,
        messages: Sequence[ChatMessage],
        *,
        max_tokens: int,
        grounding: Grounding | None = None,
    ) -> ChatResult: ...

    def stream(
        self,
        system: str,
        messages: Sequence[ChatMessage],
        *,
        max_tokens: int,
        grounding: Grounding | None = None,
    ) -> Iterator[str | ChatResult]:
        """Text pieces as they arrive, then one `ChatResult` holding the whole text."""
        ...


def _elapsed_ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)


@lru_cache(maxsize=4)
def _client(
    api_key: str | None, base_url: str | None, timeout: float, max_retries: int
) -> anthropic.Anthropic:
    """One SDK client per configuration, so its connections are reused between questions."""
    return anthropic.Anthropic(
        api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries
    )


class AnthropicProvider:
    """Claude over the Messages API; the SDK retries 429/5xx/529 with exponential backoff."""

    name = "anthropic"

    def __init__(self, settings: Settings) -> None:
        self.model = settings.anthropic_model
        self._has_key = bool(settings.anthropic_api_key)
        self._client = _client(
            settings.anthropic_api_key,
            settings.anthropic_base_url,
            settings.llm_timeout_seconds,
            settings.llm_max_retries,
        )

    def _request(
        self, system: str, messages: Sequence[ChatMessage], max_tokens: int
    ) -> dict[str, object]:
        if not self._has_key:
            raise ProviderFailed("no ANTHROPIC_API_KEY set")
        return {
            "model": self.model,
            "max_tokens": max_tokens,
            "system": system,
            "messages": [{"role": m.role, "content": m.text} for m in messages],
        }

    def complete(
        self,
        system: str,
        messages: Sequence[ChatMessage],
        *,
        max_tokens: int,
        grounding: Grounding | None = None,
    ) -> ChatResult:
        started = time.perf_counter()
        try:
            reply = self._client.messages.create(**self._request(system, messages, max_tokens))  # type: ignore[call-overload]
        except anthropic.AnthropicError as error:
            raise ProviderFailed(type(error).__name__) from error
        text = "".join(block.text for block in reply.content if block.type == "text")
        return ChatResult(
            text=text,
            provider=self.name,
            model=reply.model or self.model,
            input_tokens=reply.usage.input_tokens,
            output_tokens=reply.usage.output_tokens,
            latency_ms=_elapsed_ms(started),
        )

    def stream(
        self,
        system: str,
        messages: Sequence[ChatMessage],
        *,
        max_tokens: int,
        grounding: Grounding | None = None,
    ) -> Iterator[str | ChatResult]:
        started = time.perf_counter()
        pieces: list[str] = []
        try:
            with self._client.messages.stream(
                **self._request(system, messages, max_tokens)  # type: ignore[arg-type]
            ) as stream:
                for text in stream.text_stream:
                    pieces.append(text)
                    yield text
                final = stream.get_final_message()
        except anthropic.AnthropicError as error:
            raise ProviderFailed(type(error).__name__) from error
        yield ChatResult(
            text="".join(pieces),
            provider=self.name,
            model=final.model or self.model,
            input_tokens=final.usage.input_tokens,
            output_tokens=final.usage.output_tokens,
            latency_ms=_elapsed_ms(started),
        )
