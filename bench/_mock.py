"""The load runs' transport for the mock Cloud API: :class:`webhooks.mockgraph.MockGraph` served
by the harness's asyncio server.

The mock itself (Meta's checks and answers, the record, the ``/_mock/`` controls) is the one in
:mod:`webhooks.mockgraph`, the same that ``waflow mock-graph`` serves with werkzeug. This module
only puts it behind :func:`bench._http.serve`, which does far less per request than a threaded
WSGI server, so the mock stays out of the way of what is measured. Every request is answered on
the event loop except the ``POST /_mock/wait`` long poll, which blocks and so runs in a thread;
the load generator follows the record through it with an ``after`` cursor, reading each send's
``received_monotonic`` to get end-to-end latency.

Run it as ``python -m bench._mock --port 0``: it prints ``port=<n>`` once it listens.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Awaitable
from urllib.parse import parse_qsl

from bench._http import Answer, Handler, serve
from webhooks.mockgraph import MockGraph


def transport(mock: MockGraph) -> Handler:
    """A :data:`bench._http.Handler` answering every request with ``mock``."""

    def answer(method: str, target: str, body: bytes, headers: dict[str, str]) -> Answer:
        path, _, query = target.partition("?")
        base_url = f"http://{headers.get('host', '127.0.0.1')}/"
        reply = mock.handle(method, path, dict(parse_qsl(query)), headers, body, base_url=base_url)
        return Answer(reply.status, reply.body)

    def handle(
        method: str, target: str, body: bytes, headers: dict[str, str]
    ) -> Answer | Awaitable[Answer]:
        if target.startswith("/_mock/wait"):
            loop = asyncio.get_running_loop()
            return loop.run_in_executor(None, answer, method, target, body, headers)
        return answer(method, target, body, headers)

    return handle


async def _main(host: str, port: int, token: str | None) -> None:
    server = await serve(transport(MockGraph(token)), host, port)
    print(f"port={server.sockets[0].getsockname()[1]}", flush=True)
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
