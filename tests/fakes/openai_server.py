"""A stand-in for an OpenAI-compatible Chat Completions server, over real HTTP on loopback.

It answers POST /v1/chat/completions as JSON, or — when the request asks to stream — as
server-sent `data: {...}` chunks ending with `data: [DONE]`, as OpenAI, Ollama and vLLM send
them. Tests queue failures (`fail_next`), make it hang past the client's timeout
(`hang_next`), script replies (`reply_next`), turn off the usage chunk that some servers never
send (`send_usage`), and read back every request it got (`requests`).
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
    401: "invalid_api_key",
    404: "not_found_error",
    429: "rate_limit_exceeded",
    500: "server_error",
    503: "server_error",
}


@dataclass
class FakeOpenAI:
    reply: str = "Say 申し訳ありません to your boss [1]; すみません is the everyday one [2]."
    prompt_tokens: int = 287
    completion_tokens: int = 39
    # Pieces the streamed reply is cut into.
    chunk_chars: int = 8
    # Pause between streamed pieces, so a page can be seen filling in.
    chunk_delay: float = 0.0
    # Whether a stream asking for usage (`stream_options.include_usage`) gets its last chunk.
    send_usage: bool = True
    requests: list[dict[str, Any]] = field(default_factory=list)
    _script: deque[tuple[str, float]] = field(default_factory=deque)
    _replies: deque[str] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        """The address an OpenAI client is given: the server's root plus `/v1`."""
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

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
            self.send_usage = True

    def _reply_text(self) -> str:
        with self._lock:
            return self._replies.popleft() if self._replies else self.reply

    def _next_action(self) -> tuple[str, float] | None:
        with self._lock:
            return self._script.popleft() if self._script else None

    def start(self) -> FakeOpenAI:
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
                if self.path.split("?")[0] != "/v1/chat/completions":
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
                    return self._sse(fake._chunks(body, text))
                return self._json(200, fake._completion(body, text))

            def _json(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.send_header("retry-after-ms", "10")
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

            def _sse(self, chunks: list[dict[str, Any]]) -> None:
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.send_header("cache-control", "no-cache")
                self.send_header("connection", "close")
                self.end_headers()
                frames = [f"data: {json.dumps(chunk)}\n\n" for chunk in chunks]
                for frame in [*frames, "data: [DONE]\n\n"]:
                    if fake.chunk_delay:
                        time.sleep(fake.chunk_delay)
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

        pieces = [text[i : i + self.chunk_chars] for i in range(0, len(text), self.chunk_chars)]
        chunks = [
            chunk({"role": "assistant", "content": ""}),
            *(chunk({"content": p}) for p in pieces),
            chunk({}, "stop"),
        ]
        wants_usage = (body.get("stream_options") or {}).get("include_usage")
        if wants_usage and self.send_usage:
            chunks.append(chunks[-1] | {"choices": [], "usage": self._usage()})
        return chunks


def _error(status: int, message: str) -> dict[str, Any]:
    return {
        "error": {
            "message": message,
            "type": ERROR_TYPES.get(status, "server_error"),
            "param": None,
            "code": None,
        }
    }
