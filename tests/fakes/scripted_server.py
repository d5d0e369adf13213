"""What the fake model APIs share: a loopback HTTP server answering one POST endpoint, whose
next responses tests can script (`fail_next`, `hang_next`, `reply_next`) and whose requests
they read back (`requests`).

A subclass names its endpoint and gives the API's shapes: the whole reply as JSON, the
streamed reply as server-sent-event frames, and an error body.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Self


@dataclass(frozen=True)
class Frame:
    """One server-sent event; `piece` frames wait `chunk_delay` before they are sent."""

    text: str
    piece: bool = False


@dataclass
class ScriptedServer:
    endpoint: ClassVar[str]  # the path answered, e.g. "/v1/messages"
    url_suffix: ClassVar[str] = ""  # what clients add to the server's root

    reply: str = ""
    # Pieces the streamed reply is cut into.
    chunk_chars: int = 8
    # Pause between streamed pieces, so a page can be seen filling in.
    chunk_delay: float = 0.0
    requests: list[dict[str, Any]] = field(default_factory=list)
    _script: deque[tuple[str, float]] = field(default_factory=deque)
    _replies: deque[str] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    # ------------------------------------------------------------------ the API's shapes

    def response(self, body: dict[str, Any], text: str) -> dict[str, Any]:
        raise NotImplementedError

    def frames(self, body: dict[str, Any], text: str) -> list[Frame]:
        raise NotImplementedError

    def error(self, status: int, message: str) -> dict[str, Any]:
        raise NotImplementedError

    # ------------------------------------------------------------------------ scripting

    @property
    def base_url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{self.url_suffix}"

    def pieces(self, text: str) -> list[str]:
        return [text[i : i + self.chunk_chars] for i in range(0, len(text), self.chunk_chars)]

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

    # ---------------------------------------------------------------------- serving

    def start(self) -> Self:
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
                if self.path.split("?")[0] != fake.endpoint:
                    return self._json(404, fake.error(404, "not found"))
                action = fake._next_action()
                if action and action[0] == "hang":
                    time.sleep(action[1])
                    return self._json(500, fake.error(500, "hung"))
                if action and action[0] == "status":
                    status = int(action[1])
                    return self._json(status, fake.error(status, "scripted failure"))
                text = fake._reply_text()
                if body.get("stream"):
                    return self._sse(fake.frames(body, text))
                return self._json(200, fake.response(body, text))

            def _json(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.send_header("retry-after-ms", "10")
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

            def _sse(self, frames: list[Frame]) -> None:
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.send_header("cache-control", "no-cache")
                self.send_header("connection", "close")
                self.end_headers()
                for frame in frames:
                    if frame.piece and fake.chunk_delay:
                        time.sleep(fake.chunk_delay)
                    try:
                        self.wfile.write(frame.text.encode())
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
