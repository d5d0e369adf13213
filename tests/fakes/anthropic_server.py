"""A stand-in for the Anthropic Messages API, served over real HTTP on a loopback port.

It answers POST /v1/messages as JSON, or as server-sent events when the request asks to
stream, with the event sequence the real API sends. Tests queue failures (`fail_next`), make it
hang past the client's timeout (`hang_next`), and read back every request it got (`requests`).
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}


@dataclass
class FakeAnthropic:
    reply: str = "Use すみません to apologise politely [1]. It also gets attention [2]."
    input_tokens: int = 321
    output_tokens: int = 45
    # Pieces the streamed reply is cut into.
    chunk_chars: int = 8
    # Pause between streamed pieces, so a page can be seen filling in.
    chunk_delay: float = 0.0
    requests: list[dict[str, Any]] = field(default_factory=list)
    _script: deque[tuple[str, float]] = field(default_factory=deque)
    _replies: deque[str] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def fail_next(self, status: int, times: int = 1) -> None:
        """The next `times` requests get an error response with this HTTP status."""
        with self._lock:
            self._script.extend([("status", float(status))] * times)

    def hang_next(self, seconds: float, times: int = 1) -> None:
        """The next `times` requests get no response for `seconds`."""
        with self._lock:
            self._script.extend([("hang", seconds)] * times)

    def reply_next(self, *texts: str) -> None:
        """The next successful responses carry these texts, in order, instead of `reply`."""
        with self._lock:
            self._replies.extend(texts)

    def reset(self) -> None:
        with self._lock:
            self._script.clear()
            self._replies.clear()
            self.requests.clear()
            self.chunk_delay = 0.0

    def _reply_text(self) -> str:
        with self._lock:
            return self._replies.popleft() if self._replies else self.reply

    def _next_action(self) -> tuple[str, float] | None:
        with self._lock:
            return self._script.popleft() if self._script else None

    def start(self) -> FakeAnthropic:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                with fake._lock:
                    fake.requests.append(
                        {"path": self.path, "headers": dict(self.headers), "body": body}
                    )
                if self.path.split("?")[0] != "/v1/messages":
                    return self._json(404, _error(404, "not found"))
                action = fake._next_action()
                if action and action[0] == "hang":
                    time.sleep(action[1])
                    return self._json(500, _error(500, "hung"))
                if action and action[0] == "status":
                    status = int(action[1])
                    return self._json(status, _error(status, "scripted failure"))
                text = fake._reply_text()
                if body.get("stream"):
                    return self._sse(fake._events(body, text))
                return self._json(200, fake._message(body, text))

            def _json(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.send_header("retry-after-ms", "10")
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

            def _sse(self, events: list[dict[str, Any]]) -> None:
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.send_header("cache-control", "no-cache")
                self.send_header("connection", "close")
                self.end_headers()
                for event in events:
                    if event["type"] == "content_block_delta" and fake.chunk_delay:
                        time.sleep(fake.chunk_delay)
                    frame = f"event: {event['type']}\ndata: {json.dumps(event)}\n\n"
                    try:
                        self.wfile.write(frame.encode())
                        self.wfile.flush()
                    except (BrokenPipeError, ConnectionResetError):
                        break
                self.close_connection = True

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

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
        pieces = [text[i : i + self.chunk_chars] for i in range(0, len(text), self.chunk_chars)]
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


def _error(status: int, message: str) -> dict[str, Any]:
    return {
        "type": "error",
        "error": {"type": ERROR_TYPES.get(status, "api_error"), "message": message},
    }
