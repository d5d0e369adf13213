"""A browser tab as the Reflex backend sees it: one socket.io connection on `/_event`.

The compiled frontend connects with its tab token in the query string, sends each event as
`{name, payload, router_data}` on the socket.io event `event`, and applies the state deltas
(`{delta: {state: {var: value}}, events: [...]}`) the backend sends back; the backend runs
the events a handler chains itself and sends only the browser's own (`_redirect`, ...). A
reply carries no end marker, so a call here waits until the merged state shows the outcome
the page would show.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from typing import Any

import socketio

FIELD_MARKER = "_rx_state_"
HYDRATE = "reflex___state____state.hydrate"
ON_LOAD = "reflex___state____state.reflex___state____on_load_internal_state.on_load_internal"
# The frontend connects to `{api_url}/_event`: socket.io's path and its namespace.
EVENT_PATH = "/_event"

StateView = dict[str, dict[str, Any]]


class TabError(Exception):
    """The backend did not show the expected outcome in time, or the socket failed."""


class Tab:
    def __init__(self, backend: int, frontend: int) -> None:
        self.backend, self.frontend = backend, frontend
        self.token = str(uuid.uuid4())
        self.state: StateView = {}
        self.browser_events: list[dict[str, Any]] = []
        self.router: dict[str, Any] = {}
        self._changed = asyncio.Event()
        self.sio = socketio.AsyncClient(reconnection=False)
        self.sio.on("event", self._on_update, namespace=EVENT_PATH)

    async def open(self) -> None:
        await self.sio.connect(
            f"http://127.0.0.1:{self.backend}?token={self.token}",
            socketio_path=EVENT_PATH,
            namespaces=[EVENT_PATH],
            transports=["websocket"],
            headers={"Origin": f"http://localhost:{self.frontend}"},
            wait_timeout=30,
        )

    async def close(self) -> None:
        await self.sio.disconnect()

    async def _on_update(self, update: dict[str, Any]) -> None:
        for state, values in (update.get("delta") or {}).items():
            merged = self.state.setdefault(state, {})
            for name, value in values.items():
                merged[name.removesuffix(FIELD_MARKER)] = value
        self.browser_events += update.get("events") or []
        self._changed.set()

    def var(self, state: str, name: str) -> Any:
        return self.state.get(state, {}).get(name)

    def _route(self, path: str, query: dict[str, str] | None) -> None:
        search = "&".join(f"{k}={v}" for k, v in (query or {}).items())
        self.router = {"pathname": path, "asPath": path + (f"?{search}" if search else "")}
        if query:
            self.router["query"] = dict(query)

    async def goto(self, path: str, storage: dict[str, str] | None = None) -> None:
        """A page load: hydrate on the page's route with the browser's stored values (its
        on_load handlers follow)."""
        self._route(path, None)
        await self.send(HYDRATE, {"vars": storage or {}})

    async def navigate(self, path: str, query: dict[str, str] | None = None) -> None:
        """A link followed inside the app: the new page's on_load handlers run."""
        self._route(path, query)
        await self.send(ON_LOAD, {})

    async def send(self, name: str, payload: dict[str, Any]) -> None:
        event = {"name": name, "payload": payload, "router_data": self.router}
        await self.sio.emit("event", event, namespace=EVENT_PATH)

    async def call(
        self,
        name: str,
        payload: dict[str, Any],
        until: Callable[[Tab], bool],
        timeout: float = 30,
    ) -> float:
        """Send an event and wait until `until(self)` holds; the seconds it took."""
        self._changed.clear()
        started = time.perf_counter()
        await self.send(name, payload)
        return await self.wait(until, started, timeout)

    async def wait(self, until: Callable[[Tab], bool], started: float, timeout: float) -> float:
        deadline = started + timeout
        while not until(self):
            remaining = deadline - time.perf_counter()
            if remaining <= 0 or not self.sio.connected:
                raise TabError("no answer" if self.sio.connected else "disconnected")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except TimeoutError:
                continue
        return time.perf_counter() - started

    def redirect_path(self) -> str | None:
        """The path of the last `_redirect` the backend asked the browser to follow."""
        for event in reversed(self.browser_events):
            if event.get("name") == "_redirect":
                return str(event.get("payload", {}).get("path", ""))
        return None
