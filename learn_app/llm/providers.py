"""Chat models behind one interface: Claude through the official SDK, any OpenAI-compatible
server (`learn_app.llm.openai_compatible`), and the offline tutor (`learn_app.llm.offline`).

A provider turns a system prompt and a conversation into text, whole (`complete`) or in pieces
(`stream`, whose last item is the `ChatResult`). Providers know nothing of learners, budgets or
logging; `learn_app.llm.calls` decides which one answers and records the call.

Choosing the model is a setting, not code. LEARN_LLM_PROVIDER picks the API: `anthropic`
(ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, LEARN_ANTHROPIC_MODEL: Claude, a proxy, or Ollama at its
root, which speaks the Messages API too), `openai` (LEARN_OPENAI_BASE_URL, LEARN_OPENAI_API_KEY,
LEARN_OPENAI_MODEL: OpenAI, or Ollama, vLLM, LM Studio, llama.cpp, LiteLLM at their `/v1`
address), or `offline`; `auto` takes the first one configured, in that order.
"""

from __future__ import annotations

import ipaddress
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal, Protocol, TypeVar, cast
from urllib.parse import urlsplit

from learn_app.config import Settings
from learn_app.rag.retrieval import Passage

# The SDK is imported by the calls that use it: importing it takes seconds, and a server
# start (or a portal with no Claude configured) should not wait for it.
if TYPE_CHECKING:
    import anthropic

Role = Literal["user", "assistant"]
C = TypeVar("C")

# USD per million input and output tokens, for the cost column of `llm_call`. A model missing
# here is logged with no cost rather than a wrong one, unless it runs on a server of our own.
PRICES_PER_MILLION_TOKENS: dict[str, tuple[float, float]] = {
    "claude-opus-4-6": (5.0, 25.0),
    "claude-opus-4-5": (5.0, 25.0),
    "claude-opus-4-1": (15.0, 75.0),
    "claude-sonnet-4-6": (3.0, 15.0),
    "claude-sonnet-4-5": (3.0, 15.0),
    "claude-sonnet-4-0": (3.0, 15.0),
    "claude-haiku-4-5": (1.0, 5.0),
    "claude-3-5-haiku-latest": (0.8, 4.0),
    "gpt-5": (1.25, 10.0),
    "gpt-5-mini": (0.25, 2.0),
    "gpt-5-nano": (0.05, 0.4),
    "gpt-4.1": (2.0, 8.0),
    "gpt-4.1-mini": (0.4, 1.6),
    "gpt-4.1-nano": (0.1, 0.4),
    "gpt-4o": (2.5, 10.0),
    "gpt-4o-mini": (0.15, 0.6),
}

# A snapshot of a listed model: Anthropic dates as -20250929, OpenAI's as -2025-04-14.
_DATED = re.compile(r"-(\d{8}|\d{4}-\d{2}-\d{2})$")

_PRIVATE_NAME_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa")


def is_self_hosted(base_url: str | None) -> bool:
    """Whether the server runs on this machine or the private network (Ollama, vLLM, LM Studio
    beside the portal): a loopback or private address, or a name no public host has (a
    one-label name such as a Compose service `ollama`, or a private suffix)."""
    host = (urlsplit(base_url).hostname or "") if base_url else ""
    if not host:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "." not in host or host.endswith(_PRIVATE_NAME_SUFFIXES)
    return address.is_loopback or address.is_private or address.is_link_local


def estimated_cost_usd(
    model: str, input_tokens: int, output_tokens: int, *, self_hosted: bool = False
) -> float | None:
    """From the price table, where a dated snapshot ("claude-sonnet-4-5-20250929") costs as its
    model; a model the table does not list costs nothing on a server of our own, and is unknown
    (None) anywhere else. A listed model keeps its price behind a local proxy, which forwards
    to the paid API."""
    prices = PRICES_PER_MILLION_TOKENS.get(_DATED.sub("", model))
    if prices is None:
        return 0.0 if self_hosted else None
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
    # Answered by a server on this machine or the private network (`is_self_hosted`).
    self_hosted: bool = False


class ProviderFailed(Exception):
    """The provider could not answer (timeout, server error after retries, bad key)."""


def elapsed_ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)


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


def sdk_client(
    make: Callable[..., C], api_key: str | None, base_url: str | None, settings: Settings
) -> C:
    """The SDK's client (`make`: `anthropic.Anthropic`, `openai.OpenAI`) with the settings'
    timeout and retries: both SDKs retry a timeout, 408, 409, 429 and 5xx with exponential
    backoff (honouring Retry-After) up to `llm_max_retries` times; what still fails becomes
    `ProviderFailed` (`provider_failures`). One client per configuration, so its connections
    are reused between questions; everything is passed explicitly, so an SDK never reads its
    own environment variables behind the settings' back."""
    client = _client(
        make, api_key, base_url, settings.llm_timeout_seconds, settings.llm_max_retries
    )
    return cast(C, client)


@lru_cache(maxsize=8)
def _client(
    make: Callable[..., object],
    api_key: str | None,
    base_url: str | None,
    timeout: float,
    max_retries: int,
) -> object:
    return make(api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries)


@contextmanager
def provider_failures(
    sdk_error: type[Exception], *, malformed: tuple[type[Exception], ...] = ()
) -> Iterator[None]:
    """The SDK's errors (after its retries) as `ProviderFailed`; and, for a server that may
    answer 200 with something else, the `malformed` errors reading the reply raises."""
    try:
        yield
    except sdk_error as error:
        raise ProviderFailed(type(error).__name__) from error
    except malformed as error:
        raise ProviderFailed(f"not a chat completion: {type(error).__name__}") from error


class AnthropicProvider:
    """Claude over the Messages API; the SDK retries 429/5xx/529 with exponential backoff."""

    name = "anthropic"

    def __init__(self, settings: Settings) -> None:
        import anthropic

        self.model = settings.anthropic_model
        self._has_key = bool(settings.anthropic_api_key)
        self._self_hosted = is_self_hosted(settings.anthropic_base_url)
        self._sdk_error = anthropic.AnthropicError
        self._client = sdk_client(
            anthropic.Anthropic, settings.anthropic_api_key, settings.anthropic_base_url, settings
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
        with provider_failures(self._sdk_error):
            reply = self._client.messages.create(**self._request(system, messages, max_tokens))  # type: ignore[call-overload]
        text = "".join(block.text for block in reply.content if block.type == "text")
        return self._result(text, reply, started)

    def _result(self, text: str, reply: anthropic.types.Message, started: float) -> ChatResult:
        return ChatResult(
            text=text,
            provider=self.name,
            model=reply.model or self.model,
            input_tokens=reply.usage.input_tokens,
            output_tokens=reply.usage.output_tokens,
            latency_ms=elapsed_ms(started),
            self_hosted=self._self_hosted,
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
        with (
            provider_failures(self._sdk_error),
            self._client.messages.stream(
                **self._request(system, messages, max_tokens)  # type: ignore[arg-type]
            ) as stream,
        ):
            for text in stream.text_stream:
                pieces.append(text)
                yield text
            final = stream.get_final_message()
        yield self._result("".join(pieces), final, started)
