"""The mock Cloud API of the load runs: Meta's send endpoint plus a cheap feed of what was sent.

It answers ``POST /<version>/<phone_number_id>/messages`` with the same rules and bodies as
:mod:`webhooks.mockgraph` (it reuses that module's body checks and error envelopes), but it is
built for throughput: one asyncio process, no per-request framework, records kept as small
tuples. The load generator learns about replies through one long-poll cursor,
``GET /_bench/events?after=<n>&timeout=<s>``, which returns every send recorded after the
``n``-th as ``[to, monotonic_time]`` pairs; ``time.monotonic`` is system-wide on Linux, so the
load generator compares it directly with its own clock to get end-to-end latency.
``POST /_bench/sink`` answers at once and measures the load generator alone.

Run it as ``python -m bench._mock --port 0``: it prints ``port=<n>`` once it listens.
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import itertools
import json
import os
import signal
import sys
import time
from typing import Any
from urllib.parse import parse_qs

from bench._http import Answer, serve
from webhooks._mockgraph_rules import body_problem, digits, graph_error

MAX_POLL_SECONDS = 5.0


class MockCloudApi:
    """The mock's state: recorded sends (``to``, time) and the long-poll waiters.

    Args:
        access_token: When set, sends must carry ``Authorization: Bearer <token>``.
    """

    def __init__(self, access_token: str | None = None) -> None:
        self.expected = f"Bearer {access_token}".encode() if access_token else None
        self.sent: list[tuple[str, float]] = []
        self.reads = 0
        self.rejected = 0
        self._changed = asyncio.Event()
        self._ids = itertools.count(1)
        self._prefix = os.urandom(6).hex()

    def handle(self, method: str, target: str, body: bytes, headers: dict[str, str]) -> Any:
        """Route one request (see :data:`bench._http.Handler`)."""
        path, _, query = target.partition("?")
        if method == "POST" and path.endswith("/messages"):
            return self._send(body, headers)
        if method == "GET" and path == "/_bench/events":
            return self._events(query)
        if path == "/_bench/sink":
            return Answer(200, b"{}")
        if method == "GET" and path == "/_bench/stats":
            stats = {"sent": len(self.sent), "reads": self.reads, "rejected": self.rejected}
            return Answer(200, json.dumps(stats).encode())
        if method == "DELETE" and path == "/_bench/records":
            self.sent.clear()
            self.reads = self.rejected = 0
            return Answer(200, b"{}")
        error, _ = graph_error(2500, details=f"Unknown path components: {path}")
        return Answer(404, json.dumps(error).encode())

    def _send(self, raw: bytes, headers: dict[str, str]) -> Answer:
        now = time.monotonic()
        if self.expected is not None:
            given = headers.get("authorization", "").encode("utf-8", "replace")
            if not hmac.compare_digest(given, self.expected):
                self.rejected += 1
                error, status = graph_error(190)
                return Answer(status, json.dumps(error).encode())
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        if problem := body_problem(body):
            self.rejected += 1
            error, status = graph_error(100, details=problem)
            return Answer(status, json.dumps(error).encode())
        if "status" in body:
            self.reads += 1
            return Answer(200, b'{"success": true}')
        to = body["to"]
        self.sent.append((to, now))
        self._changed.set()
        answer = {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": digits(to)}],
            "messages": [{"id": f"wamid.bench.{self._prefix}{next(self._ids):010d}"}],
        }
        return Answer(200, json.dumps(answer).encode())

    async def _events(self, query: str) -> Answer:
        params = parse_qs(query)
        after = int(params.get("after", ["0"])[0])
        timeout = min(float(params.get("timeout", ["1"])[0]), MAX_POLL_SECONDS)
        deadline = time.monotonic() + timeout
        while len(self.sent) <= after:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), left)
            except TimeoutError:
                break
        events = self.sent[after:]
        payload = {"next": after + len(events), "events": events}
        return Answer(200, json.dumps(payload).encode())


async def _main(host: str, port: int, token: str | None) -> None:
    api = MockCloudApi(token)
    server = await serve(api.handle, host, port)
    bound = server.sockets[0].getsockname()[1]
    print(f"port={bound}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.close()


def main(argv: list[str] | None = None) -> None:
    """Command-line entry: ``python -m bench._mock --port 0 [--token T]``."""
    parser = argparse.ArgumentParser(prog="python -m bench._mock")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token", default=None, help="expected access token")
    args = parser.parse_args(argv)
    asyncio.run(_main(args.host, args.port, args.token))
    sys.exit(0)


if __name__ == "__main__":
    main()
