"""Any server that speaks OpenAI's Chat Completions API, through the official `openai` SDK.

That is OpenAI itself, and — at their `/v1` address — Ollama, vLLM, LM Studio, llama.cpp's
server, LiteLLM and most gateways, so choosing one of them is a matter of LEARN_OPENAI_BASE_URL
and LEARN_OPENAI_MODEL. The tutor's rules go first, as the system message. Streamed answers ask
for token counts in a last chunk (`stream_options.include_usage`); a server that sends none is
logged with zero tokens rather than failed, since the answer itself is fine.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from learn_app.config import Settings
from learn_app.llm.providers import (
    ChatMessage,
    ChatResult,
    Grounding,
    ProviderFailed,
    elapsed_ms,
    is_self_hosted,
    provider_failures,
    sdk_client,
)

# The SDK is imported by the calls that use it (see `learn_app.llm.providers`).
if TYPE_CHECKING:
    import openai

OPENAI_API_URL = "https://api.openai.com/v1"
# What reading a 200 that is not a chat completion raises (the base URL points elsewhere).
NOT_A_CHAT_COMPLETION = (AttributeError, IndexError, TypeError, ValueError)
# Local servers ignore the key, but the SDK will not send a request without one.
PLACEHOLDER_API_KEY = "not-needed"


def _sdk_error() -> type[Exception]:
    import openai  # imported already: there is a client

    return openai.OpenAIError


def _tokens(usage: Any, field: str) -> int:
    return int(getattr(usage, field, 0) or 0)


class OpenAICompatibleProvider:
    """Chat Completions; the SDK retries timeouts, 408, 409, 429 and 5xx with exponential
    backoff (honouring Retry-After), and every SDK error becomes `ProviderFailed`."""

    name = "openai"

    def __init__(self, settings: Settings) -> None:
        self.model = settings.openai_model
        base_url = settings.openai_base_url or OPENAI_API_URL
        api_key = settings.openai_api_key or (
            PLACEHOLDER_API_KEY if settings.openai_base_url else None
        )
        self._self_hosted = is_self_hosted(settings.openai_base_url)
        # OpenAI's reasoning models refuse `max_tokens`; most other servers know only it.
        self._limit_field = (
            "max_completion_tokens"
            if urlsplit(base_url).hostname == urlsplit(OPENAI_API_URL).hostname
            else "max_tokens"
        )
        self._client: openai.OpenAI | None = None
        if api_key:
            import openai

            self._client = sdk_client(openai.OpenAI, api_key, base_url, settings)

    def _request(
        self, system: str, messages: Sequence[ChatMessage], max_tokens: int
    ) -> tuple[openai.OpenAI, dict[str, Any]]:
        if self._client is None:
            raise ProviderFailed("neither LEARN_OPENAI_API_KEY nor LEARN_OPENAI_BASE_URL set")
        return self._client, {
            "model": self.model,
            self._limit_field: max_tokens,
            "messages": [
                {"role": "system", "content": system},
                *({"role": m.role, "content": m.text} for m in messages),
            ],
        }

    def _result(self, text: str, model: str | None, usage: Any, started: float) -> ChatResult:
        return ChatResult(
            text=text,
            provider=self.name,
            model=model or self.model,
            input_tokens=_tokens(usage, "prompt_tokens"),
            output_tokens=_tokens(usage, "completion_tokens"),
            latency_ms=elapsed_ms(started),
            self_hosted=self._self_hosted,
        )

    def complete(
        self,
        system: str,
        messages: Sequence[ChatMessage],
        *,
        max_tokens: int,
        grounding: Grounding | None = None,
    ) -> ChatResult:
        started = time.perf_counter()
        client, request = self._request(system, messages, max_tokens)
        with provider_failures(_sdk_error(), malformed=NOT_A_CHAT_COMPLETION):
            reply = client.chat.completions.create(**request)
            text = reply.choices[0].message.content or ""
            model, usage = reply.model, reply.usage
        return self._result(text, model, usage, started)

    def stream(
        self,
        system: str,
        messages: Sequence[ChatMessage],
        *,
        max_tokens: int,
        grounding: Grounding | None = None,
    ) -> Iterator[str | ChatResult]:
        started = time.perf_counter()
        client, request = self._request(system, messages, max_tokens)
        pieces: list[str] = []
        model: str | None = None
        usage: Any = None
        with (
            provider_failures(_sdk_error(), malformed=NOT_A_CHAT_COMPLETION),
            client.chat.completions.create(
                **request, stream=True, stream_options={"include_usage": True}
            ) as chunks,
        ):
            for chunk in chunks:
                model = chunk.model or model
                usage = chunk.usage or usage
                text = chunk.choices[0].delta.content if chunk.choices else None
                if text:
                    pieces.append(text)
                    yield text
        yield self._result("".join(pieces), model, usage, started)
