"""The mock Graph API answers like Meta, records what it gets, and injects queued errors."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from bot._ratelimit import RetryPolicy
from bot.client import CloudClient
from bot.config import Config
from bot.errors import (
    AuthError,
    GraphError,
    InvalidParameterError,
    PairRateLimitError,
    ReEngagementError,
    TemplateError,
    ThrottlingError,
    TransientError,
)
from webhooks import _cli_testing
from webhooks._serve import ServerHandle, serve_in_thread
from webhooks.mockgraph import (
    ERROR_CATALOGUE,
    MockGraph,
    create_mock_graph_app,
    mock_store,
    sent_reply,
)

TOKEN = "EAAGtest-token-1234"
SEND = "/v23.0/106540352242922/messages"
ALICE = "16505551234"
BOB = "5511987654321"


def text_to(to: str, body: str = "Hello") -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "text",
        "text": {"body": body},
    }


@pytest.fixture
def mock_app() -> Flask:
    return create_mock_graph_app(access_token=TOKEN)


@pytest.fixture
def mock_client(mock_app: Flask) -> FlaskClient:
    return mock_app.test_client()


@pytest.fixture
def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def served(mock_app: Flask) -> Iterator[ServerHandle]:
    with serve_in_thread(mock_app) as handle:
        yield handle


# --- sending ---------------------------------------------------------------------------------


def test_send_answers_with_meta_success_shape(
    mock_client: FlaskClient, auth: dict[str, str]
) -> None:
    response = mock_client.post(SEND, json=text_to("+1 650-555-1234"), headers=auth)

    assert response.status_code == 200
    body = response.get_json()
    assert body["messaging_product"] == "whatsapp"
    assert body["contacts"] == [{"input": "+1 650-555-1234", "wa_id": ALICE}]
    [message] = body["messages"]
    assert message["id"].startswith("wamid.")


def test_each_send_gets_a_unique_wamid(mock_client: FlaskClient, auth: dict[str, str]) -> None:
    ids = {
        mock_client.post(SEND, json=text_to(ALICE), headers=auth).get_json()["messages"][0]["id"]
        for _ in range(20)
    }
    assert len(ids) == 20


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"status": "read", "message_id": "wamid.IN1"}, id="mark-read"),
        pytest.param(
            {"status": "read", "message_id": "wamid.IN1", "typing_indicator": {"type": "text"}},
            id="mark-read-typing",
        ),
    ],
)
def test_mark_as_read_answers_success_true(
    mock_client: FlaskClient, auth: dict[str, str], body: dict[str, Any]
) -> None:
    response = mock_client.post(SEND, json={"messaging_product": "whatsapp", **body}, headers=auth)

    assert response.status_code == 200
    assert response.get_json() == {"success": True}
    assert mock_store(mock_client.application).requests()[0].kind == "read"


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param({"type": "image", "image": {"link": "https://example.com/a.jpg"}}, id="image"),
        pytest.param(
            {"type": "document", "document": {"id": "1234", "filename": "a.pdf"}}, id="doc"
        ),
        pytest.param(
            {"type": "template", "template": {"name": "hello", "language": {"code": "en_US"}}},
            id="template",
        ),
        pytest.param(
            {
                "type": "interactive",
                "interactive": {
                    "type": "button",
                    "body": {"text": "Pick"},
                    "action": {"buttons": [{"type": "reply", "reply": {"id": "y", "title": "Y"}}]},
                },
            },
            id="buttons",
        ),
        pytest.param(
            {"type": "reaction", "reaction": {"message_id": "w", "emoji": ""}}, id="unreact"
        ),
        pytest.param(
            {"type": "location", "location": {"latitude": 1, "longitude": 2}}, id="location"
        ),
        pytest.param(
            {"type": "contacts", "contacts": [{"name": {"formatted_name": "A"}}]}, id="cards"
        ),
        pytest.param({"type": None, "text": {"body": "x"}}, id="type-defaults-to-text"),
    ],
)
def test_valid_bodies_of_each_type_are_accepted(
    mock_client: FlaskClient, auth: dict[str, str], extra: dict[str, Any]
) -> None:
    body = {"messaging_product": "whatsapp", "to": ALICE, **extra}
    if body["type"] is None:
        del body["type"]

    response = mock_client.post(SEND, json=body, headers=auth)

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["contacts"][0]["wa_id"] == ALICE


@pytest.mark.parametrize(
    ("body", "mentions"),
    [
        pytest.param(
            {"to": ALICE, "type": "text", "text": {"body": "x"}},
            "messaging_product",
            id="no-product",
        ),
        pytest.param(
            {**text_to(ALICE), "messaging_product": "sms"}, "messaging_product", id="wrong-product"
        ),
        pytest.param({**text_to(ALICE), "to": ""}, "to", id="empty-to"),
        pytest.param({**text_to(ALICE), "type": "fax"}, "type", id="unknown-type"),
        pytest.param({**text_to(ALICE), "type": "image"}, "image", id="type-object-missing"),
        pytest.param({**text_to(ALICE), "text": {}}, "body", id="text-without-body"),
        pytest.param({**text_to(ALICE, "x" * 4097)}, "4096", id="text-too-long"),
        pytest.param(
            {**text_to(ALICE), "type": "image", "image": {"id": "1", "link": "https://x"}},
            "exactly one",
            id="media-id-and-link",
        ),
        pytest.param(
            {"messaging_product": "whatsapp", "status": "read"}, "message_id", id="read-no-id"
        ),
        pytest.param(
            {**text_to(ALICE), "recipient_type": "broadcast"}, "recipient_type", id="bad-rtype"
        ),
        pytest.param(["not", "an", "object"], "JSON object", id="json-list"),
        pytest.param(
            {
                **text_to(ALICE),
                "type": "interactive",
                "interactive": {
                    "type": "button",
                    "body": {"text": "Pick"},
                    "action": {
                        "buttons": [{"type": "reply", "reply": {"id": "y", "title": "Y" * 21}}]
                    },
                },
            },
            "interactive.action.buttons[0].reply.title must be",
            id="bot-limit-checker",
        ),
    ],
)
def test_malformed_bodies_get_error_100(
    mock_client: FlaskClient, auth: dict[str, str], body: Any, mentions: str
) -> None:
    response = mock_client.post(SEND, json=body, headers=auth)

    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == 100
    assert error["type"] == "OAuthException"
    assert mentions in error["error_data"]["details"]


def test_a_body_that_is_not_json_gets_error_100(
    mock_client: FlaskClient, auth: dict[str, str]
) -> None:
    response = mock_client.post(SEND, data=b"to=123", headers=auth)

    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == 100


# --- access token ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="missing"),
        pytest.param({"Authorization": "Bearer wrong"}, id="wrong-token"),
        pytest.param({"Authorization": TOKEN}, id="no-bearer-scheme"),
        pytest.param({"Authorization": f"Bearer {TOKEN}x"}, id="token-with-suffix"),
    ],
)
def test_a_wrong_token_gets_190_oauth_exception(
    mock_client: FlaskClient, headers: dict[str, str]
) -> None:
    response = mock_client.post(SEND, json=text_to(ALICE), headers=headers)

    assert response.status_code == 401
    error = response.get_json()["error"]
    assert error["code"] == 190
    assert error["type"] == "OAuthException"
    assert error["message"].startswith("(#190) ")
    assert error["fbtrace_id"]


def test_without_a_configured_token_any_caller_is_accepted() -> None:
    open_client = create_mock_graph_app().test_client()

    assert open_client.post(SEND, json=text_to(ALICE)).status_code == 200


# --- injected errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "http_status"),
    [
        pytest.param(130429, 400, id="130429-throughput"),
        pytest.param(131047, 400, id="131047-reengagement"),
        pytest.param(131056, 400, id="131056-pair-rate"),
        pytest.param(131000, 500, id="131000-unknown"),
        pytest.param(132001, 400, id="132001-template"),
        pytest.param(190, 401, id="190-token"),
        pytest.param(133004, 503, id="133004-unavailable"),
        pytest.param(999999, 400, id="uncatalogued-code"),
    ],
)
def test_queued_error_is_returned_n_times_then_normal_answers(
    mock_client: FlaskClient, auth: dict[str, str], code: int, http_status: int
) -> None:
    queued = mock_client.post("/_mock/fail", json={"code": code, "times": 2})
    assert queued.status_code == 201

    answers = [mock_client.post(SEND, json=text_to(ALICE), headers=auth) for _ in range(3)]

    for failed in answers[:2]:
        assert failed.status_code == http_status
        error = failed.get_json()["error"]
        assert error["code"] == code
        assert error["type"] == "OAuthException"
        assert error["message"].startswith(f"(#{code}) ")
        assert error["error_data"]["messaging_product"] == "whatsapp"
        assert error["error_data"]["details"]
        assert len(error["fbtrace_id"]) >= 16
    assert (
        answers[0].get_json()["error"]["fbtrace_id"] != answers[1].get_json()["error"]["fbtrace_id"]
    )
    assert answers[2].status_code == 200
    assert answers[2].get_json()["messages"][0]["id"].startswith("wamid.")


def test_throughput_error_carries_its_subcode_like_meta_example(
    mock_client: FlaskClient, auth: dict[str, str]
) -> None:
    mock_client.post("/_mock/fail", json={"code": 130429})

    error = mock_client.post(SEND, json=text_to(ALICE), headers=auth).get_json()["error"]

    assert error["error_subcode"] == 2494055
    assert error["error_data"]["details"] == ERROR_CATALOGUE[130429][1]


def test_queued_error_for_one_recipient_spares_the_others(
    mock_client: FlaskClient, auth: dict[str, str]
) -> None:
    mock_client.post("/_mock/fail", json={"code": 131056, "to": "+" + BOB})

    to_alice = mock_client.post(SEND, json=text_to(ALICE), headers=auth)
    to_bob = mock_client.post(SEND, json=text_to(BOB), headers=auth)
    bob_again = mock_client.post(SEND, json=text_to(BOB), headers=auth)

    assert to_alice.status_code == 200
    assert to_bob.get_json()["error"]["code"] == 131056
    assert bob_again.status_code == 200


def test_queued_error_skips_mark_as_read_and_can_override_http_status(
    mock_client: FlaskClient, auth: dict[str, str]
) -> None:
    mock_client.post("/_mock/fail", json={"code": 130429, "http_status": 429})
    read = {"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.IN"}

    assert mock_client.post(SEND, json=read, headers=auth).status_code == 200
    assert mock_client.post(SEND, json=text_to(ALICE), headers=auth).status_code == 429


def test_queued_errors_are_listed_and_can_be_cleared(mock_client: FlaskClient) -> None:
    mock_client.post("/_mock/fail", json={"code": 131047, "times": 3, "to": ALICE})

    assert mock_client.get("/_mock/fail").get_json()["pending"] == [
        {"code": 131047, "times": 3, "to": ALICE, "http_status": None}
    ]
    mock_client.delete("/_mock/fail")
    assert mock_client.get("/_mock/fail").get_json()["pending"] == []


@pytest.mark.parametrize(
    ("spec", "error"),
    [
        pytest.param({}, "code: Field required", id="no-code"),
        pytest.param({"code": "131047"}, "code: ", id="code-as-string"),
        pytest.param({"code": 131047, "times": 0}, "times: ", id="zero-times"),
        pytest.param({"code": 131047, "to": 5511}, "to: ", id="to-not-string"),
        pytest.param({"code": 131047, "http_status": 200}, "http_status: ", id="success-status"),
        pytest.param([131047], "body must be a JSON object", id="not-an-object"),
    ],
)
def test_invalid_failure_specs_are_refused(mock_client: FlaskClient, spec: Any, error: str) -> None:
    answer = mock_client.post("/_mock/fail", json=spec)
    assert answer.status_code == 400
    assert answer.get_json()["error"].startswith(error)
    assert mock_client.get("/_mock/fail").get_json()["pending"] == []


# --- recording -------------------------------------------------------------------------------


def test_requests_are_recorded_without_the_token(
    mock_client: FlaskClient, auth: dict[str, str]
) -> None:
    before = time.time()
    mock_client.post(SEND, json=text_to(ALICE, "one"), headers=auth)
    mock_client.post(SEND, json=text_to(BOB, "two"), headers=auth)

    listed = mock_client.get("/_mock/messages").get_json()

    assert listed["count"] == 2
    first, second = listed["messages"]
    assert (first["seq"], second["seq"]) == (1, 2)
    assert first["path"] == SEND
    assert first["json"] == text_to(ALICE, "one")
    assert first["headers"]["Authorization"] == "[redacted]"
    assert TOKEN not in str(listed)
    assert first["received_at"] >= before
    assert first["status"] == 200
    assert first["response"]["contacts"][0]["wa_id"] == ALICE


def test_recorded_messages_filter_by_recipient(
    mock_client: FlaskClient, auth: dict[str, str]
) -> None:
    for to in (ALICE, BOB, ALICE):
        mock_client.post(SEND, json=text_to(to), headers=auth)

    listed = mock_client.get("/_mock/messages", query_string={"to": "+" + ALICE}).get_json()

    assert [m["to"] for m in listed["messages"]] == [ALICE, ALICE]


def test_delete_resets_recordings_and_queued_failures(
    mock_client: FlaskClient, auth: dict[str, str]
) -> None:
    mock_client.post(SEND, json=text_to(ALICE), headers=auth)
    mock_client.post("/_mock/fail", json={"code": 131000})

    assert mock_client.delete("/_mock/messages").get_json() == {"cleared": 1}
    assert mock_client.get("/_mock/messages").get_json()["count"] == 0
    assert mock_client.post(SEND, json=text_to(ALICE), headers=auth).status_code == 200


# --- long-poll -------------------------------------------------------------------------------


def test_wait_returns_at_once_when_enough_were_recorded(
    mock_client: FlaskClient, auth: dict[str, str]
) -> None:
    mock_client.post(SEND, json=text_to(ALICE), headers=auth)

    answer = mock_client.post("/_mock/wait", json={"count": 1, "timeout": 5}).get_json()

    assert answer["timed_out"] is False
    assert answer["count"] == 1


def test_wait_reports_a_timeout_with_what_it_has(mock_client: FlaskClient) -> None:
    answer = mock_client.post("/_mock/wait", json={"count": 1, "timeout": 0.01}).get_json()

    assert answer == {"count": 0, "timed_out": True, "messages": []}


def test_wait_blocks_until_messages_arrive(mock_app: Flask, served: ServerHandle) -> None:
    store = mock_store(mock_app)
    answers: list[dict[str, Any]] = []

    def long_poll() -> None:
        wait = {"count": 2, "timeout": 10, "to": BOB}
        answers.append(requests.post(f"{served.url}/_mock/wait", json=wait, timeout=15).json())

    waiter = threading.Thread(target=long_poll)
    waiter.start()
    for _ in range(2000):  # until the long-poll is parked on the store (tiny waits)
        if store.waiting:
            break
        time.sleep(0.001)
    assert store.waiting == 1
    auth = {"Authorization": f"Bearer {TOKEN}"}
    for to in (ALICE, BOB, BOB):
        requests.post(served.url + SEND, json=text_to(to), headers=auth, timeout=5)
    waiter.join(timeout=10)

    [answer] = answers
    assert answer["timed_out"] is False
    assert [m["to"] for m in answer["messages"]] == [BOB, BOB]


@pytest.mark.parametrize(
    "spec",
    [
        pytest.param({"count": -1}, id="negative-count"),
        pytest.param({"count": True}, id="bool-count"),
        pytest.param({"count": 1, "timeout": "soon"}, id="text-timeout"),
        pytest.param({"count": 1, "to": 16505551234}, id="number-to"),
        pytest.param({"count": 1, "after": -1}, id="negative-after"),
        pytest.param({"count": 1, "after": "2"}, id="text-after"),
    ],
)
def test_wait_refuses_bad_arguments(mock_client: FlaskClient, spec: dict[str, Any]) -> None:
    assert mock_client.post("/_mock/wait", json=spec).status_code == 400


def test_after_follows_the_record_with_a_cursor(
    mock_client: FlaskClient, auth: dict[str, str]
) -> None:
    for to in (ALICE, BOB, ALICE):
        mock_client.post(SEND, json=text_to(to), headers=auth)

    listed = mock_client.get("/_mock/messages", query_string={"after": 1}).get_json()
    waited = mock_client.post("/_mock/wait", json={"count": 3, "after": 2, "timeout": 1})
    mine = mock_client.get("/_mock/messages", query_string={"after": 1, "to": ALICE}).get_json()

    assert [m["seq"] for m in listed["messages"]] == [2, 3]
    assert [m["seq"] for m in waited.get_json()["messages"]] == [3]
    assert waited.get_json()["timed_out"] is False
    assert [m["seq"] for m in mine["messages"]] == [3]
    assert mock_client.get("/_mock/messages?after=x").status_code == 400


def test_the_mock_answers_without_a_web_framework() -> None:
    mock = MockGraph(access_token=TOKEN)
    headers = {"authorization": f"Bearer {TOKEN}", "host": "mock.test"}

    sent = mock.handle("POST", SEND, {}, headers, json.dumps(text_to(ALICE)).encode())
    refused = mock.handle("POST", SEND, {}, {}, json.dumps(text_to(ALICE)).encode())
    media = mock.handle("GET", "/v23.0/42", {}, headers, b"", base_url="http://mock.test/")

    assert (sent.status, refused.status) == (200, 401)
    assert json.loads(sent.body) == sent_reply(ALICE, json.loads(sent.body)["messages"][0]["id"])
    assert json.loads(media.body)["url"] == "http://mock.test/_mock/media/42"
    record, refused_record = mock.store.requests()
    assert record.headers["authorization"] == "[redacted]"
    assert record.received_monotonic <= time.monotonic()
    assert refused_record.status == 401


# --- media and unknown paths -----------------------------------------------------------------


def test_media_id_resolves_to_a_downloadable_url(
    served: ServerHandle, auth: dict[str, str]
) -> None:
    info = requests.get(f"{served.url}/v23.0/987654321", headers=auth, timeout=5).json()

    assert info["id"] == "987654321"
    assert info["messaging_product"] == "whatsapp"
    assert info["url"].startswith(served.url)
    content = requests.get(info["url"], headers=auth, timeout=5).content
    assert hashlib.sha256(content).hexdigest() == info["sha256"]
    assert len(content) == info["file_size"]


def test_media_needs_the_token(mock_client: FlaskClient) -> None:
    response = mock_client.get("/v23.0/987654321")

    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == 190


@pytest.mark.parametrize(
    ("method", "path"),
    [
        pytest.param("GET", "/_mock/nothing-here", id="unknown-control"),
        pytest.param("GET", "/_mock/", id="empty-control"),
        pytest.param("POST", "/_mock/1065/messages", id="control-prefix-is-no-version"),
        pytest.param("POST", "//1065/messages", id="empty-version"),
        pytest.param("PUT", SEND, id="wrong-method"),
        pytest.param("GET", "/v23.0/1/2/3", id="too-deep"),
    ],
)
def test_unknown_paths_get_a_graph_error(mock_client: FlaskClient, method: str, path: str) -> None:
    response = mock_client.open(path, method=method)

    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == 2500


# --- the real Cloud API client against the mock -------------------------------------------


def cloud_client(url: str, token: str = TOKEN, attempts: int = 1) -> CloudClient:
    config = Config(
        access_token=token,
        phone_number_id="106540352242922",
        app_secret="s",
        api_base_url=url,
    )
    return CloudClient(config, retry=RetryPolicy(max_attempts=attempts), sleep=lambda _s: None)


def test_cloud_client_sends_and_marks_read_through_the_mock(served: ServerHandle) -> None:
    with cloud_client(served.url) as client:
        result = client.send(text_to("+" + ALICE))
        read = client.mark_read("wamid.IN1", typing=True)

    assert result.wamid.startswith("wamid.")
    assert result.wa_id == ALICE
    assert read is True


@pytest.mark.parametrize(
    ("code", "family"),
    [
        pytest.param(130429, ThrottlingError, id="130429-throttling"),
        pytest.param(131056, PairRateLimitError, id="131056-pair-rate"),
        pytest.param(131047, ReEngagementError, id="131047-reengagement"),
        pytest.param(131000, TransientError, id="131000-transient"),
        pytest.param(132001, TemplateError, id="132001-template"),
        pytest.param(100, InvalidParameterError, id="100-invalid"),
    ],
)
def test_cloud_client_maps_each_injected_error_to_its_family(
    mock_client: FlaskClient, served: ServerHandle, code: int, family: type[GraphError]
) -> None:
    mock_client.post("/_mock/fail", json={"code": code})

    with cloud_client(served.url) as client, pytest.raises(family) as caught:
        client.send(text_to(ALICE))

    assert caught.value.code == code
    assert caught.value.fbtrace_id
    assert caught.value.details == ERROR_CATALOGUE[code][1]


def test_cloud_client_retries_a_transient_error_then_succeeds(
    mock_app: Flask, mock_client: FlaskClient, served: ServerHandle
) -> None:
    mock_client.post("/_mock/fail", json={"code": 131000})

    with cloud_client(served.url, attempts=2) as client:
        result = client.send(text_to(ALICE))

    assert result.wamid.startswith("wamid.")
    assert [r.status for r in mock_store(mock_app).requests()] == [500, 200]


def test_cloud_client_with_a_wrong_token_gets_auth_error(served: ServerHandle) -> None:
    with cloud_client(served.url, token="not-the-token") as client, pytest.raises(AuthError):
        client.send(text_to(ALICE))


# --- serving ---------------------------------------------------------------------------------


def test_serve_in_thread_binds_a_free_loopback_port_and_stops(mock_app: Flask) -> None:
    handle = serve_in_thread(mock_app)
    assert handle.url == f"http://127.0.0.1:{handle.port}"
    assert handle.port > 0
    assert requests.get(f"{handle.url}/_mock/messages", timeout=5).status_code == 200

    handle.stop()
    handle.stop()  # idempotent

    assert not handle.running
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{handle.url}/_mock/messages", timeout=5)


def test_serve_in_thread_reports_a_port_in_use(mock_app: Flask, served: ServerHandle) -> None:
    with pytest.raises(OSError, match="cannot listen"):
        serve_in_thread(mock_app, port=served.port)


# --- CLI -------------------------------------------------------------------------------------


def test_mock_graph_command_serves_and_prints_the_base_url_hint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[int] = []

    def instead_of_blocking(handle: ServerHandle) -> None:
        sent = requests.post(handle.url + SEND, json=text_to(ALICE), timeout=5)
        seen.append(sent.status_code)

    monkeypatch.setattr(_cli_testing, "_wait_for_shutdown", instead_of_blocking)

    result = CliRunner().invoke(
        _cli_testing.mock_graph, ["--port", "0", "--access-token", "secret-token-9876"]
    )

    assert result.exit_code == 0, result.output
    assert seen == [401]  # the token is enforced
    assert "WHATSAPP_API_BASE_URL=http://127.0.0.1:" in result.output
    assert "secret-token-9876" not in result.output
    assert "9876" in result.output


def test_mock_graph_command_stops_on_ctrl_c(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(handle: ServerHandle) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(_cli_testing, "_wait_for_shutdown", interrupted)

    result = CliRunner().invoke(_cli_testing.mock_graph, ["--port", "0"])

    assert result.exit_code == 0
    assert "Stopped." in result.output
