"""The benchmark serves the one mock Cloud API (:mod:`webhooks.mockgraph`) on its asyncio server."""

from __future__ import annotations

import asyncio
import json

from bench._http import HttpPool, serve, wait_closed
from bench._mock import transport
from webhooks.mockgraph import MockGraph

SEND = "/v23.0/106540352242922/messages"
TEXT = {
    "messaging_product": "whatsapp",
    "to": "16505551234",
    "type": "text",
    "text": {"body": "hi"},
}


async def _exchange() -> tuple[int, dict[str, object], dict[str, object]]:
    mock = MockGraph(access_token="tok")
    server = await serve(transport(mock), "127.0.0.1", 0)
    pool = HttpPool("127.0.0.1", server.sockets[0].getsockname()[1], size=4)
    try:
        poll = json.dumps({"count": 1, "after": 0, "timeout": 5}).encode()
        waiting = asyncio.create_task(pool.request("POST", "/_mock/wait", poll))
        await asyncio.sleep(0.05)  # the long poll runs in a thread; the send is not blocked
        sent = await pool.request(
            "POST", SEND, json.dumps(TEXT).encode(), {"Authorization": "Bearer tok"}
        )
        fed = await waiting
        return sent.status, json.loads(sent.body), json.loads(fed.body)
    finally:
        pool.close()
        await wait_closed(server)


def test_a_send_is_answered_and_fed_to_the_long_poll() -> None:
    status, answer, feed = asyncio.run(_exchange())

    assert status == 200
    assert answer["contacts"] == [{"input": "16505551234", "wa_id": "16505551234"}]
    assert feed["timed_out"] is False
    [record] = feed["messages"]  # type: ignore[misc]
    assert record["to"] == "16505551234"
    assert record["kind"] == "message"
