"""The webhook endpoint: handshake, authentication, size and shape checks, durable storage.

A signed body that is not JSON is kept in the quarantine and answered 200 (Meta would deliver
it again for days); ``tests/webhooks/test_poison.py`` has the bodies the database refuses.
"""

from __future__ import annotations

import http.client
import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot import simulate
from bot.client import CloudClient
from bot.runtime import Runtime
from bot.starter import StarterHandler
from storage import quarantine
from storage.db import make_engine
from storage.models import Contact
from tests.helpers import PostWebhook, stored_updates
from webhooks._serve import serve_in_thread
from webhooks.app import MAX_BODY_BYTES, create_app
from webhooks.signature import sign


def kept_bodies(engine: Engine) -> list[bytes]:
    """The bodies kept in the quarantine, oldest first, as received."""
    with Session(engine) as session:
        return [quarantine.raw_body(row.body) for row in reversed(quarantine.latest(session))]


# -- GET handshake ----------------------------------------------------------------------------


def test_handshake_echoes_challenge(client: FlaskClient) -> None:
    query = {
        "hub.mode": "subscribe",
        "hub.verify_token": "verify-me",
        "hub.challenge": "1158201444",
    }
    response = client.get("/webhook", query_string=query)
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "1158201444"
    assert response.mimetype == "text/plain"


@pytest.mark.parametrize(
    "query",
    [
        pytest.param(
            {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
            id="wrong-token",
        ),
        pytest.param(
            {"hub.mode": "unsubscribe", "hub.verify_token": "verify-me", "hub.challenge": "1"},
            id="wrong-mode",
        ),
        pytest.param({"hub.mode": "subscribe", "hub.challenge": "1"}, id="no-token"),
        pytest.param({"hub.mode": "subscribe", "hub.verify_token": "verify-me"}, id="no-challenge"),
    ],
)
def test_handshake_refused(client: FlaskClient, query: dict[str, str]) -> None:
    response = client.get("/webhook", query_string=query)
    assert response.status_code == 403


# -- POST authentication ------------------------------------------------------------------------


def test_missing_signature_is_401_and_nothing_stored(
    post_webhook: PostWebhook, engine: Engine, sent: list[dict[str, Any]]
) -> None:
    response = post_webhook(simulate.text("15550001111", "hi"), secret=None)
    assert response.status_code == 401
    assert stored_updates(engine) == []
    assert sent == []


@pytest.mark.parametrize(
    "signature",
    [
        pytest.param("sha256=" + "0" * 64, id="wrong-digest"),
        pytest.param("sha1=abcdef", id="wrong-algorithm"),
        pytest.param("sha256=", id="empty-digest"),
        pytest.param("garbage", id="garbage"),
        pytest.param("sha256=é", id="non-ascii"),
    ],
)
def test_wrong_signature_is_403_and_nothing_stored(
    post_webhook: PostWebhook, engine: Engine, signature: str
) -> None:
    response = post_webhook(simulate.text("15550001111", "hi"), signature=signature)
    assert response.status_code == 403
    assert stored_updates(engine) == []


def test_signature_made_with_another_secret_is_refused(
    post_webhook: PostWebhook, engine: Engine
) -> None:
    response = post_webhook(simulate.text("15550001111", "hi"), secret="someone-elses-secret")
    assert response.status_code == 403
    assert stored_updates(engine) == []


@pytest.mark.parametrize(
    "raw",
    [
        # Meta escapes non-ASCII as \uXXXX with lowercase hex: hash those bytes as they are.
        pytest.param(
            b'{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":'
            b'{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881",'
            b'"phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Jos\\u00e9 \\ud83c\\udf82"},'
            b'"wa_id":"15550002222"}],"messages":[{"from":"15550002222","id":"wamid.ESC1",'
            b'"timestamp":"1760000000","type":"text","text":{"body":"Ol\\u00e1"}}]},"field":"messages"}]}]}',
            id="escaped-unicode",
        ),
        pytest.param(
            '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":'
            '{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881",'
            '"phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"José 🎂"},'
            '"wa_id":"15550002222"}],"messages":[{"from":"15550002222","id":"wamid.RAW1",'
            '"timestamp":"1760000000","type":"text","text":{"body":"Olá"}}]},"field":"messages"}]}]}'.encode(),
            id="raw-utf8",
        ),
    ],
)
def test_non_ascii_body_is_verified_byte_for_byte(
    post_webhook: PostWebhook, engine: Engine, raw: bytes
) -> None:
    response = post_webhook(raw)
    assert response.status_code == 200
    with Session(engine) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == "15550002222")).one()
    assert contact.name == "José 🎂"
    # Re-serialising the parsed JSON would change the bytes, and so the signature:
    reencoded = json.dumps(json.loads(raw), ensure_ascii=False).encode()
    assert sign(reencoded, "test-app-secret") != sign(raw, "test-app-secret")


# -- POST shape ---------------------------------------------------------------------------------


def test_body_over_3_mb_is_413(post_webhook: PostWebhook, engine: Engine) -> None:
    payload = simulate.text("15550001111", "x" * (MAX_BODY_BYTES + 10))
    response = post_webhook(payload)
    assert response.status_code == 413
    assert stored_updates(engine) == []


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"{not json", id="broken"),
        pytest.param(b"", id="empty"),
        pytest.param(b"\xff\xfe\x00", id="not-utf8"),
    ],
)
def test_a_signed_body_that_is_not_json_is_kept_and_answered_200(
    post_webhook: PostWebhook, engine: Engine, raw: bytes
) -> None:
    response = post_webhook(raw)
    assert response.status_code == 200  # Meta would deliver it again for days
    assert response.json == {"quarantined": "unparsable"}
    assert stored_updates(engine) == []
    assert kept_bodies(engine) == [raw]


def test_an_unsigned_body_that_is_not_json_is_refused_and_not_kept(
    post_webhook: PostWebhook, engine: Engine
) -> None:
    assert post_webhook(b"{not json", secret=None).status_code == 401
    assert post_webhook(b"{not json", secret="someone-elses-secret").status_code == 403
    assert kept_bodies(engine) == []


def test_a_sandbox_body_that_is_not_json_is_kept(runtime: Runtime, engine: Engine) -> None:
    app = create_app(runtime, app_secret="")  # sandbox: nothing is authenticated
    response = app.test_client().post("/webhook", data=b"{not json")
    assert response.status_code == 200
    assert kept_bodies(engine) == [b"{not json"]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            {
                "object": "whatsapp_business_account",
                "entry": [
                    {
                        "id": "1",
                        "changes": [
                            {
                                "field": "message_template_status_update",
                                "value": {
                                    "event": "APPROVED",
                                    "message_template_id": 1,
                                    "message_template_name": "x",
                                },
                            }
                        ],
                    }
                ],
            },
            id="unknown-field",
        ),
        pytest.param({"hello": "world"}, id="not-an-envelope"),
        pytest.param([1, 2, 3], id="a-list"),
    ],
)
def test_unknown_shapes_are_stored_and_answered_200(
    post_webhook: PostWebhook, engine: Engine, body: Any, sent: list[dict[str, Any]]
) -> None:
    response = post_webhook(json.dumps(body).encode())
    assert response.status_code == 200
    rows = stored_updates(engine)
    assert len(rows) == 1
    assert rows[0].kind == "unknown"
    assert rows[0].state == "done"
    assert sent == []


def test_batch_of_entries_changes_and_messages_is_handled_whole(
    post_webhook: PostWebhook, engine: Engine, sent: list[dict[str, Any]]
) -> None:
    first = simulate.text("15550000001", "hello", msg_id="wamid.B1")
    second = simulate.text("15550000002", "hola", msg_id="wamid.B2")
    third = simulate.text("15550000001", "again", msg_id="wamid.B3")
    status = simulate.status("wamid.OLD", "15550000003", "delivered")
    # Two entries; the first has two changes; one change carries two messages.
    first["entry"][0]["changes"][0]["value"]["messages"].append(
        third["entry"][0]["changes"][0]["value"]["messages"][0]
    )
    first["entry"][0]["changes"].append(status["entry"][0]["changes"][0])
    first["entry"].append(second["entry"][0])
    response = post_webhook(first)
    assert response.status_code == 200
    assert response.get_json() == {"received": 4, "stored": 4}
    rows = stored_updates(engine)
    assert [r.dedupe_key for r in rows] == [
        "message:wamid.B1",
        "message:wamid.B3",
        "status:wamid.OLD:delivered",
        "message:wamid.B2",
    ]
    assert all(r.state == "done" for r in rows)
    assert sorted(body["to"] for body in sent) == ["15550000001", "15550000001", "15550000002"]


def test_duplicate_delivery_is_processed_once(
    post_webhook: PostWebhook, engine: Engine, sent: list[dict[str, Any]]
) -> None:
    body = simulate.text("15550001111", "hi", msg_id="wamid.DUP")
    assert post_webhook(body).text == '{"received": 1, "stored": 1}'  # the exact body
    assert post_webhook(body).get_json() == {"received": 1, "stored": 0}
    assert len(stored_updates(engine)) == 1
    assert len(sent) == 1


def test_healthz(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"  # the backlog: tests/webhooks/test_healthz.py


def test_healthz_reports_a_dead_database(cloud_client: CloudClient) -> None:
    dead = make_engine("postgresql://nobody@127.0.0.1:1/nothing")  # nothing listens on port 1
    runtime = Runtime(engine=dead, handler=StarterHandler(), client=cloud_client, inline=True)
    response = create_app(runtime, app_secret="s").test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "error"


def test_json_nested_too_deep_is_kept_as_unparsable(
    post_webhook: PostWebhook, engine: Engine
) -> None:
    raw = b"[" * 100_000 + b"]" * 100_000
    response = post_webhook(raw)
    assert response.status_code == 200
    assert response.json == {"quarantined": "unparsable"}
    assert stored_updates(engine) == []
    assert kept_bodies(engine) == [raw]


def test_chunked_body_over_3_mb_is_413_on_a_real_server(app: Flask, engine: Engine) -> None:
    body = json.dumps(simulate.text("15550001111", "x" * (MAX_BODY_BYTES + 10))).encode()
    with serve_in_thread(app) as server:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        connection.putrequest("POST", "/webhook")
        connection.putheader("Transfer-Encoding", "chunked")
        connection.putheader("Content-Type", "application/json")
        connection.putheader("X-Hub-Signature-256", sign(body, "test-app-secret"))
        connection.endheaders()
        for start in range(0, len(body), 1 << 20):
            chunk = body[start : start + (1 << 20)]
            connection.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        connection.send(b"0\r\n\r\n")
        status = connection.getresponse().status
        connection.close()
    assert status == 413
    assert stored_updates(engine) == []


def test_chunked_body_within_the_limit_is_accepted_on_a_real_server(
    app: Flask, engine: Engine, sent: list[dict[str, Any]]
) -> None:
    body = json.dumps(simulate.text("15550001111", "hi", msg_id="wamid.CHUNK")).encode()
    with serve_in_thread(app) as server:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        connection.putrequest("POST", "/webhook")
        connection.putheader("Transfer-Encoding", "chunked")
        connection.putheader("X-Hub-Signature-256", sign(body, "test-app-secret"))
        connection.endheaders()
        half = len(body) // 2
        for chunk in (body[:half], body[half:]):
            connection.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        connection.send(b"0\r\n\r\n")
        status = connection.getresponse().status
        connection.close()
    assert status == 200
    assert [r.dedupe_key for r in stored_updates(engine)] == ["message:wamid.CHUNK"]
