"""A small, fast HTTP/1.1 client and server on asyncio, for loopback load runs only.

This module owns the wire: a keep-alive connection pool (:class:`HttpPool`) that sends requests
and reads ``Content-Length`` or chunked answers, and a server protocol (:func:`serve`) that
parses ``Content-Length`` requests and calls a handler. Both stay in the standard library, so
the harness runs wherever the project's own test dependencies are installed, and both do far
less per request than a general-purpose framework: on this 2-core machine one process pushes
several thousand requests per second, which keeps the load generator and the mock Cloud API out
of the way of what is measured. They speak only the subset of HTTP that gunicorn, Flask and this
package produce; they are not general-purpose clients or servers.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

_REASONS = {200: "OK", 201: "Created", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found"}


class HttpError(Exception):
    """The connection failed or the answer could not be read."""


@dataclass(frozen=True)
class Answer:
    """One HTTP answer: the status code and the raw body."""

    status: int
    body: bytes


class _ClientConnection(asyncio.Protocol):
    """One keep-alive connection carrying one request at a time."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self._buf = bytearray()
        self._waiter: asyncio.Future[Answer] | None = None
        self._got_bytes = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._waiter is not None and not self._waiter.done():
            err = _StaleConnection() if not self._got_bytes else HttpError("connection lost")
            self._waiter.set_exception(err)

    def send(self, data: bytes) -> asyncio.Future[Answer]:
        assert self.transport is not None
        self._waiter = asyncio.get_running_loop().create_future()
        self._got_bytes = False
        self._buf.clear()
        self.transport.write(data)
        return self._waiter

    def data_received(self, data: bytes) -> None:
        self._got_bytes = True
        self._buf += data
        waiter = self._waiter
        if waiter is None or waiter.done():
            return
        try:
            parsed = _parse_answer(self._buf)
        except HttpError as exc:
            waiter.set_exception(exc)
            return
        if parsed is not None:
            answer, keep_alive = parsed
            self._waiter = None
            if not keep_alive and self.transport is not None:
                self.transport.close()
                self.closed = True
            waiter.set_result(answer)


class _StaleConnection(HttpError):
    """The server closed an idle keep-alive connection before answering: safe to resend."""


def _parse_answer(buf: bytearray) -> tuple[Answer, bool] | None:
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        return None
    head = bytes(buf[:end]).decode("latin-1").split("\r\n")
    try:
        status = int(head[0].split(" ", 2)[1])
    except (IndexError, ValueError) as exc:
        raise HttpError(f"bad status line {head[0]!r}") from exc
    headers = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    keep_alive = headers.get("connection", "").lower() != "close"
    start = end + 4
    if "content-length" in headers:
        size = int(headers["content-length"])
        if len(buf) - start < size:
            return None
        return Answer(status, bytes(buf[start : start + size])), keep_alive
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = _dechunk(buf, start)
        return (Answer(status, body), keep_alive) if body is not None else None
    raise HttpError("answer without Content-Length or chunked encoding")


def _dechunk(buf: bytearray, pos: int) -> bytes | None:
    out = bytearray()
    while True:
        line_end = buf.find(b"\r\n", pos)
        if line_end < 0:
            return None
        size = int(bytes(buf[pos:line_end]).split(b";")[0], 16)
        pos = line_end + 2
        if size == 0:
            return bytes(out) if buf.find(b"\r\n", pos) >= 0 else None
        if len(buf) < pos + size + 2:
            return None
        out += buf[pos : pos + size]
        pos += size + 2


class HttpPool:
    """Keep-alive connections to one loopback server, at most ``size`` at once.

    Args:
        host: The server's address.
        port: The server's port.
        size: The most connections open (and requests in flight) at the same time.
    """

    def __init__(self, host: str, port: int, size: int = 64) -> None:
        self.host, self.port, self.size = host, port, size
        self._idle: deque[_ClientConnection] = deque()
        self._open = 0
        self._slots = asyncio.Semaphore(size)

    async def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> Answer:
        """Send one request and return the answer (one retry on a stale idle connection).

        Raises:
            HttpError: The request failed.
        """
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        lines.append(f"Content-Length: {len(body)}")
        data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        async with self._slots:
            for attempt in (1, 2):
                conn = await self._connection()
                try:
                    answer = await conn.send(data)
                except _StaleConnection:
                    self._drop(conn)
                    if attempt == 2:
                        raise
                    continue
                except BaseException:
                    self._drop(conn)
                    raise
                if conn.closed:
                    self._drop(conn)
                else:
                    self._idle.append(conn)
                return answer
        raise AssertionError("unreachable")

    async def _connection(self) -> _ClientConnection:
        while self._idle:
            conn = self._idle.pop()
            if not conn.closed:
                return conn
            self._open -= 1
        loop = asyncio.get_running_loop()
        try:
            _, conn = await loop.create_connection(_ClientConnection, self.host, self.port)
        except OSError as exc:
            raise HttpError(f"cannot connect to {self.host}:{self.port}: {exc}") from exc
        self._open += 1
        return conn

    def _drop(self, conn: _ClientConnection) -> None:
        self._open -= 1
        if conn.transport is not None:
            conn.transport.close()

    def close(self) -> None:
        """Close every idle connection."""
        while self._idle:
            self._drop(self._idle.pop())


Handler = Callable[[str, str, bytes, dict[str, str]], "Answer | Awaitable[Answer]"]
"""``handler(method, target, body, headers)`` returns an :class:`Answer` or awaits one."""


class _ServerConnection(asyncio.Protocol):
    """Parses requests on one connection and answers them in order."""

    def __init__(self, handler: Handler) -> None:
        self._handler = handler
        self._buf = bytearray()
        self._busy = False
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self._buf += data
        if not self._busy:
            self._next()

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None

    def _next(self) -> None:
        while self.transport is not None:
            request = self._take_request()
            if request is None:
                return
            method, target, body, headers = request
            result = self._handler(method, target, body, headers)
            if isinstance(result, Answer):
                self._write(result)
                continue
            self._busy = True
            task = asyncio.ensure_future(result)
            task.add_done_callback(self._finished)
            return

    def _finished(self, task: asyncio.Future[Answer]) -> None:
        self._busy = False
        try:
            answer = task.result()
        except Exception as exc:  # a handler bug: answer 500 rather than hang the client
            answer = Answer(500, repr(exc).encode())
        self._write(answer)
        self._next()

    def _take_request(self) -> tuple[str, str, bytes, dict[str, str]] | None:
        end = self._buf.find(b"\r\n\r\n")
        if end < 0:
            return None
        head = bytes(self._buf[:end]).decode("latin-1").split("\r\n")
        headers = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        size = int(headers.get("content-length", "0"))
        if len(self._buf) < end + 4 + size:
            return None
        body = bytes(self._buf[end + 4 : end + 4 + size])
        del self._buf[: end + 4 + size]
        method, target, _ = [*head[0].split(" "), "", ""][:3]
        return method, target, body, headers

    def _write(self, answer: Answer) -> None:
        if self.transport is None:
            return
        reason = _REASONS.get(answer.status, "Status")
        head = (
            f"HTTP/1.1 {answer.status} {reason}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(answer.body)}\r\n\r\n"
        )
        self.transport.write(head.encode("latin-1") + answer.body)


async def serve(handler: Handler, host: str, port: int) -> asyncio.Server:
    """Start serving ``handler`` on ``host:port`` (port 0 picks a free one)."""
    loop = asyncio.get_running_loop()
    return await loop.create_server(lambda: _ServerConnection(handler), host, port, backlog=1024)


async def wait_closed(server: asyncio.Server) -> None:
    """Close a server started by :func:`serve`."""
    server.close()
    with contextlib.suppress(Exception):
        await asyncio.wait_for(server.wait_closed(), 2.0)


__all__ = ["Answer", "HttpError", "HttpPool", "serve", "wait_closed"]
