"""A lean HTTP/1.1 client for REST clients that answer back to back: one kept-alive
connection per client, the request written as bytes and the reply read by its
Content-Length. httpx costs 4-11 ms of CPU per request here, as much as the portal spends
answering it; on a machine whose cores the clients share with the portal, that cost would be
measured as the portal's slowness. This one costs well under a millisecond."""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any


class LeanHttpError(Exception):
    """The connection broke or the reply was not one this client reads."""


class KeepAliveConnection:
    """POSTs JSON to one host over one connection, opened again when the server closed it."""

    def __init__(self, host: str, port: int, headers: dict[str, str]) -> None:
        self.host, self.port = host, port
        self.head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post_json(self, path: str, body: dict[str, Any]) -> tuple[int, bytes]:
        """The reply's status and body; reconnects once if the kept connection was closed."""
        payload = json.dumps(body).encode()
        request = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{self.head}"
            f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
        ).encode() + payload
        for attempt in (1, 2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            try:
                assert self.reader is not None
                self.writer.write(request)
                await self.writer.drain()
                return await self._reply(self.reader)
            except (ConnectionError, asyncio.IncompleteReadError) as error:
                await self.close()
                if attempt == 2:
                    raise LeanHttpError(type(error).__name__) from error
        raise AssertionError("unreachable")

    async def _reply(self, reader: asyncio.StreamReader) -> tuple[int, bytes]:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        length, close = None, False
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding":
                raise LeanHttpError(f"transfer-encoding {value.strip()} is not read here")
            elif name == "connection" and value.strip().lower() == "close":
                close = True
        body = await reader.readexactly(length) if length else b""
        if close:
            await self.close()
        return status, body

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(ConnectionError):
                await self.writer.wait_closed()
        self.reader = self.writer = None
