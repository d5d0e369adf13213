"""A stand-in for the Anthropic Messages API, served over real HTTP on a loopback port.

It answers POST /v1/messages as JSON, or as server-sent events when the request asks to
stream, with the event sequence the real API sends. Tests queue failures (`fail_next`), make it
hang past the client's timeout (`hang_next`), and read back every request it got (`requests`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, ClassVar

from fakes.scripted_server import Frame, ScriptedServer

ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}


@dataclass
class FakeAnthropic(ScriptedServer):
    endpoint: ClassVar[str] = "/v1/messages"

    reply: str = "Use すみません to apologise politely [1]. It also gets attention [2]."
    input_tokens: int = 321
    output_tokens: int = 45

    def response(self, body: dict[str, Any], text: str) -> dict[str, Any]:
        return self._message(body, text)

    def frames(self, body: dict[str, Any], text: str) -> list[Frame]:
        return [
            Frame(
                f"event: {event['type']}\ndata: {json.dumps(event)}\n\n",
                piece=event["type"] == "content_block_delta",
            )
            for event in self._events(body, text)
        ]

    def error(self, status: int, message: str) -> dict[str, Any]:
        return {
            "type": "error",
            "error": {"type": ERROR_TYPES.get(status, "api_error"), "message": message},
        }

    def _message(self, body: dict[str, Any], text: str | None = None) -> dict[str, Any]:
        return {
            "id": "msg_fake",
            "type": "message",
            "role": "assistant",
            "model": body.get("model", "claude-fake"),
            "content": [{"type": "text", "text": self.reply if text is None else text}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": self.input_tokens, "output_tokens": self.output_tokens},
        }

    def _events(self, body: dict[str, Any], text: str) -> list[dict[str, Any]]:
        start = self._message(body, text) | {
            "content": [],
            "stop_reason": None,
            "usage": {"input_tokens": self.input_tokens, "output_tokens": 1},
        }
        pieces = self.pieces(text)
        return [
            {"type": "message_start", "message": start},
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            },
            *(
                {
                    "type": "content_block_delta",
                    "index": 0,
                    "delta": {"type": "text_delta", "text": p},
                }
                for p in pieces
            ),
            {"type": "content_block_stop", "index": 0},
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"output_tokens": self.output_tokens},
            },
            {"type": "message_stop"},
        ]
