"""A stand-in for an OpenAI-compatible Chat Completions server, over real HTTP on loopback.

It answers POST /v1/chat/completions as JSON, or — when the request asks to stream — as
server-sent `data: {...}` chunks ending with `data: [DONE]`, as OpenAI, Ollama and vLLM send
them. Tests queue failures (`fail_next`), make it hang past the client's timeout
(`hang_next`), script replies (`reply_next`), turn off the usage chunk that some servers never
send (`send_usage`), and read back every request it got (`requests`).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, ClassVar

from fakes.scripted_server import Frame, ScriptedServer

ERROR_TYPES = {
    400: "invalid_request_error",
    401: "invalid_api_key",
    404: "not_found_error",
    429: "rate_limit_exceeded",
    500: "server_error",
    503: "server_error",
}


@dataclass
class FakeOpenAI(ScriptedServer):
    endpoint: ClassVar[str] = "/v1/chat/completions"
    # An OpenAI client is given the server's root plus `/v1`.
    url_suffix: ClassVar[str] = "/v1"

    reply: str = "Say 申し訳ありません to your boss [1]; すみません is the everyday one [2]."
    prompt_tokens: int = 287
    completion_tokens: int = 39
    # Whether a stream asking for usage (`stream_options.include_usage`) gets its last chunk.
    send_usage: bool = True

    def reset(self) -> None:
        super().reset()
        self.send_usage = True

    def response(self, body: dict[str, Any], text: str) -> dict[str, Any]:
        return self._completion(body, text)

    def frames(self, body: dict[str, Any], text: str) -> list[Frame]:
        chunks = [f"data: {json.dumps(chunk)}\n\n" for chunk in self._chunks(body, text)]
        return [Frame(chunk, piece=True) for chunk in [*chunks, "data: [DONE]\n\n"]]

    def error(self, status: int, message: str) -> dict[str, Any]:
        return {
            "error": {
                "message": message,
                "type": ERROR_TYPES.get(status, "server_error"),
                "param": None,
                "code": None,
            }
        }

    def _usage(self) -> dict[str, int]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.prompt_tokens + self.completion_tokens,
        }

    def _completion(self, body: dict[str, Any], text: str) -> dict[str, Any]:
        return {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "gpt-fake"),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": "stop",
                }
            ],
            "usage": self._usage(),
        }

    def _chunks(self, body: dict[str, Any], text: str) -> list[dict[str, Any]]:
        def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
            return {
                "id": "chatcmpl-fake",
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": body.get("model", "gpt-fake"),
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
            }

        pieces = self.pieces(text)
        chunks = [
            chunk({"role": "assistant", "content": ""}),
            *(chunk({"content": p}) for p in pieces),
            chunk({}, "stop"),
        ]
        wants_usage = (body.get("stream_options") or {}).get("include_usage")
        if wants_usage and self.send_usage:
            chunks.append(chunks[-1] | {"choices": [], "usage": self._usage()})
        return chunks
