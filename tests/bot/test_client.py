"""Tests for bot.client and bot._ratelimit: error mapping, sending, retries, pacing, sandbox."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import responses

from bot import client as client_module
from bot._graph_errors import stops_sending
from bot._ratelimit import Backoff, RateLimiter, RetryPolicy
from bot.client import (
    CloudClient,
    Media,
    SandboxClient,
    Sender,
    SendResult,
    graph_error_from_response,
    make_client,
)
from bot.config import Config
from bot.errors import (
    AccountError,
    AuthError,
    ConfigError,
    GraphError,
    InvalidParameterError,
    PairRateLimitError,
    RecipientError,
    ReEngagementError,
    TemplateError,
    ThrottlingError,
    TransientError,
    TransportError,
)
from tests.conftest import unexpected_calls

ENVELOPES = Path(__file__).parent.parent / "payloads" / "graph_errors"
TOKEN = "EAAGtestTOKENnever-in-logs-0123456789"
PHONE = "16505551234"
CONFIG = Config(access_token=TOKEN, phone_number_id="106540352242922", app_secret="s")
URL = "https://graph.facebook.com/v23.0/106540352242922/messages"
TEXT = {
    "messaging_product": "whatsapp",
    "recipient_type": "individual",
    "to": "+" + PHONE,
    "type": "text",
    "text": {"body": "Hello", "preview_url": False},
}
ACCEPTED = {
    "messaging_product": "whatsapp",
    "contacts": [{"input": "+" + PHONE, "wa_id": PHONE}],
    "messages": [{"id": "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI=", "message_status": "accepted"}],
}


def load(stem: str) -> dict[str, Any]:
    """Read one envelope data file: ``{"source", "http_status", "body"}``."""
    data: dict[str, Any] = json.loads((ENVELOPES / f"{stem}.json").read_text(encoding="utf-8"))
    return data


# stem -> (class, code, fbtrace_id, retryable)
EXPECTED: dict[str, tuple[type[GraphError], int | None, str | None, bool]] = {
    "130429_throughput": (ThrottlingError, 130429, "Az8or2yhqkZfEZ-_4Qn_Bam", True),
    "131056_pair_rate_limit": (PairRateLimitError, 131056, "AbCq3nSxT0b9Qf2yW1nKJ4L", True),
    "131047_re_engagement": (ReEngagementError, 131047, "A1bnsV8Xq6GQpYhVX9Zk0kE", False),
    "190_token_expired": (AuthError, 190, "AvE1xZ3dNq1bHc8YVw2oP7s", False),
    "10_permission_denied": (AuthError, 10, "AjhRz4m0fQm3S2kD9uT6wXy", False),
    "132001_template_missing": (TemplateError, 132001, "A3f9Lq2Zc7HvN0pWr5sKdTu", False),
    "131026_undeliverable": (RecipientError, 131026, "AHx7Yw3Ka1bE5dR2tQm9ZcV", False),
    "131050_marketing_opt_out": (RecipientError, 131050, "AqW2e8Rt5Yu1Io9Pa3Sd7Fg", False),
    "368_policy_block": (AccountError, 368, "AZx1Cv3Bn5Mq7Wr9Ty2Uo4P", False),
    "100_invalid_parameter": (InvalidParameterError, 100, "AB2Fo4Wn6Hs8Kd0Lq3Vz5Xy", False),
    "131009_parameter_value": (InvalidParameterError, 131009, "AR4t6Yh8Jk0Lz2Xc4Vb6Nm8", False),
    "131000_unknown": (TransientError, 131000, "Ap9Oi8Uy7Tr6Ee5Ww4Qq3Aa", True),
    "2_service_unavailable": (TransientError, 2, "ADc3Vf5Bg7Nh9Mj1Kl3Po5I", True),
    "133004_server_unavailable": (TransientError, 133004, "AKl2Mn4Bv6Cx8Za0Sd2Fg4H", True),
    "131057_maintenance": (TransientError, 131057, "AGh5Jk7Lz9Xc1Vb3Nm5Qw7E", True),
    "4_app_rate_limit": (ThrottlingError, 4, "AYu6Io8Pa0Sd2Fg4Hj6Kl8Z", True),
    "80007_waba_rate_limit": (ThrottlingError, 80007, "AQw1Er3Ty5Ui7Op9As1Df3G", True),
    "999999_unknown_code": (GraphError, 999999, "ANm9Bv7Cx5Za3Sd1Fg9Hj7K", False),
    "1200_is_transient_flag": (TransientError, 1200, "AVb8Nm6Qw4Er2Ty0Ui8Op6A", True),
    "500_html_body": (TransientError, None, None, True),
}


class FakeClock:
    """A monotonic clock that only moves when told to."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def graph() -> Iterator[responses.RequestsMock]:
    """A ``responses`` mock of Graph; unregistered calls fail, registered ones must be used."""
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.fixture
def sleeps() -> list[float]:
    """Every delay the client asked to sleep, in order."""
    return []


@pytest.fixture
def cloud(sleeps: list[float]) -> Iterator[CloudClient]:
    """A CloudClient that never sleeps for real, jitter pinned to the middle (no spread)."""
    with CloudClient(CONFIG, sleep=sleeps.append, rand=lambda: 0.5) as client:
        yield client


def add_envelope(graph: responses.RequestsMock, stem: str) -> None:
    """Register one error answer from a data file."""
    data = load(stem)
    if isinstance(data["body"], str):
        graph.add(
            responses.POST,
            URL,
            body=data["body"],
            status=data["http_status"],
            content_type="text/html",
        )
    else:
        graph.add(responses.POST, URL, json=data["body"], status=data["http_status"])


# --- graph_error_from_response -------------------------------------------------------------


def test_every_envelope_file_has_an_expectation() -> None:
    assert sorted(p.stem for p in ENVELOPES.glob("*.json")) == sorted(EXPECTED)


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_envelope_maps_to_its_family(stem: str) -> None:
    cls, code, fbtrace_id, retryable = EXPECTED[stem]
    data = load(stem)

    error = graph_error_from_response(data["http_status"], json.dumps(data["body"]).encode())

    assert type(error) is cls
    assert error.code == code
    assert error.fbtrace_id == fbtrace_id
    assert error.http_status == data["http_status"]
    assert error.retryable is retryable
    body = data["body"]
    if isinstance(body, dict):
        assert error.details == body["error"].get("error_data", {}).get("details")
        assert error.is_transient == body["error"].get("is_transient")
        assert error.raw == body


def test_error_keeps_every_field_of_the_envelope() -> None:
    body = load("130429_throughput")["body"]

    error = graph_error_from_response(400, body)

    assert error.message == "(#130429) Rate limit hit"
    assert error.code == 130429
    assert error.subcode == 2494055
    assert error.details == "Cloud API message throughput has been reached."
    assert error.fbtrace_id == "Az8or2yhqkZfEZ-_4Qn_Bam"
    assert error.is_transient is None
    assert error.raw == body
    assert str(error) == (
        "[130429] (#130429) Rate limit hit - Cloud API message throughput has been reached. "
        "(fbtrace_id Az8or2yhqkZfEZ-_4Qn_Bam)"
    )


def _envelope(code: Any, **extra: Any) -> dict[str, Any]:
    return {"error": {"message": f"(#{code}) x", "type": "OAuthException", "code": code, **extra}}


@pytest.mark.parametrize(
    ("status", "body", "cls", "retryable"),
    [
        pytest.param(502, None, TransientError, True, id="5xx-no-body"),
        pytest.param(503, b"", TransientError, True, id="5xx-empty-body"),
        pytest.param(500, {"unexpected": True}, TransientError, True, id="5xx-json-not-envelope"),
        pytest.param(404, "<html>Not Found</html>", TransportError, False, id="4xx-html"),
        pytest.param(400, b"\xff\xfe not utf-8", TransportError, False, id="4xx-undecodable-bytes"),
        pytest.param(400, {"foo": 1}, TransportError, False, id="4xx-json-not-envelope"),
        pytest.param(401, b"", AuthError, False, id="401-no-envelope"),
        pytest.param(403, "<html>Forbidden</html>", AuthError, False, id="403-no-envelope"),
        pytest.param(429, "Too Many Requests", ThrottlingError, True, id="429-no-envelope"),
        pytest.param(408, b"", TransportError, True, id="408-no-envelope"),
        pytest.param(400, _envelope("190"), AuthError, False, id="code-as-string"),
        pytest.param(403, _envelope(200), AuthError, False, id="permission-200"),
        pytest.param(403, _envelope(299), AuthError, False, id="permission-299"),
        pytest.param(400, _envelope(300), GraphError, False, id="just-above-permission-range"),
        pytest.param(400, _envelope(132015), TemplateError, False, id="template-paused"),
        pytest.param(500, _envelope(424242), TransientError, True, id="unknown-code-on-5xx"),
        pytest.param(400, _envelope(424242), GraphError, False, id="unknown-code-on-4xx"),
        pytest.param(
            400, _envelope(100, is_transient=True), InvalidParameterError, False, id="family-wins"
        ),
        pytest.param(400, _envelope(131048), ThrottlingError, False, id="spam-limit-no-retry"),
        pytest.param(400, _envelope(131049), ThrottlingError, False, id="marketing-cap-no-retry"),
        pytest.param(400, {"error": {"message": "no code"}}, GraphError, False, id="no-code"),
    ],
)
def test_graph_error_edge_cases(status: int, body: Any, cls: type, retryable: bool) -> None:
    error = graph_error_from_response(status, body)

    assert type(error) is cls
    assert error.http_status == status
    assert error.retryable is retryable


@pytest.mark.parametrize(
    ("status", "body", "stops"),
    [
        pytest.param(400, _envelope(190), True, id="190-token-expired"),
        pytest.param(400, _envelope(0), True, id="0-auth"),
        pytest.param(403, _envelope(10), True, id="10-permission"),
        pytest.param(403, _envelope(250), True, id="250-permission-range"),
        pytest.param(400, _envelope(131005), True, id="131005-access-denied"),
        pytest.param(400, _envelope(368), True, id="368-account-restricted"),
        pytest.param(400, _envelope(131031), True, id="131031-account-locked"),
        pytest.param(400, _envelope(131042), True, id="131042-billing"),
        pytest.param(400, _envelope(131045), True, id="131045-registration"),
        pytest.param(400, _envelope(133010), True, id="133010-not-registered"),
        pytest.param(401, b"", True, id="401-no-envelope"),
        pytest.param(404, "<html>Not Found</html>", True, id="404-wrong-base-url"),
        pytest.param(400, _envelope(130497), False, id="130497-one-country"),
        pytest.param(400, _envelope(131026), False, id="131026-one-recipient"),
        pytest.param(400, _envelope(100), False, id="100-one-payload"),
        pytest.param(400, _envelope(130429), False, id="130429-throughput"),
        pytest.param(503, b"", False, id="503"),
        pytest.param(400, {"foo": 1}, False, id="400-no-envelope"),
    ],
)
def test_errors_about_the_whole_account_stop_sending(status: int, body: Any, stops: bool) -> None:
    assert stops_sending(graph_error_from_response(status, body)) is stops


def test_a_timeout_does_not_stop_sending() -> None:
    assert stops_sending(TransportError("POST timed out")) is False


def test_marking_one_error_final_leaves_its_class_retryable() -> None:
    graph_error_from_response(400, _envelope(131048))

    assert ThrottlingError.retryable is True
    assert graph_error_from_response(400, _envelope(130429)).retryable is True


# --- send and mark_read ----------------------------------------------------------------------


def test_send_posts_exact_json_with_bearer_token(
    graph: responses.RequestsMock, cloud: CloudClient
) -> None:
    graph.add(responses.POST, URL, json=ACCEPTED)

    result = cloud.send(TEXT)

    assert result == SendResult(
        wamid="wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI=",
        wa_id=PHONE,
        message_status="accepted",
        raw=ACCEPTED,
    )
    (call,) = graph.calls
    assert json.loads(call.request.body or b"") == TEXT
    assert call.request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert call.request.headers["Content-Type"] == "application/json"


def test_send_without_contacts_or_status(graph: responses.RequestsMock, cloud: CloudClient) -> None:
    graph.add(responses.POST, URL, json={"messages": [{"id": "wamid.X"}]})

    result = cloud.send(TEXT)

    assert (result.wamid, result.wa_id, result.message_status) == ("wamid.X", None, None)


def test_token_stays_off_the_session(graph: responses.RequestsMock, cloud: CloudClient) -> None:
    graph.add(responses.POST, URL, json=ACCEPTED)

    cloud.send(TEXT)

    assert "Authorization" not in cloud._session.headers


@pytest.mark.parametrize(
    ("typing", "expected_body"),
    [
        pytest.param(
            False,
            {"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.IN"},
            id="read-only",
        ),
        pytest.param(
            True,
            {
                "messaging_product": "whatsapp",
                "status": "read",
                "message_id": "wamid.IN",
                "typing_indicator": {"type": "text"},
            },
            id="with-typing",
        ),
    ],
)
def test_mark_read_body(
    graph: responses.RequestsMock, cloud: CloudClient, typing: bool, expected_body: dict[str, Any]
) -> None:
    graph.add(responses.POST, URL, json={"success": True})

    assert cloud.mark_read("wamid.IN", typing=typing) is True

    assert json.loads(graph.calls[0].request.body or b"") == expected_body


def test_mark_read_reports_failure(graph: responses.RequestsMock, cloud: CloudClient) -> None:
    graph.add(responses.POST, URL, json={"success": False})

    assert cloud.mark_read("wamid.IN") is False


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"<html>ok</html>", id="not-json"),
        pytest.param(b"[1, 2]", id="json-list"),
        pytest.param(b'{"messaging_product": "whatsapp", "messages": []}', id="no-wamid"),
    ],
)
def test_unusable_success_answer_is_not_retried(
    graph: responses.RequestsMock, cloud: CloudClient, sleeps: list[float], body: bytes
) -> None:
    graph.add(responses.POST, URL, body=body, status=200)

    with pytest.raises(TransportError) as info:
        cloud.send(TEXT)

    assert info.value.retryable is False
    assert len(graph.calls) == 1
    assert sleeps == []


def test_error_envelope_inside_a_200_is_raised(
    graph: responses.RequestsMock, cloud: CloudClient
) -> None:
    graph.add(responses.POST, URL, json=load("131047_re_engagement")["body"], status=200)

    with pytest.raises(ReEngagementError):
        cloud.send(TEXT)


# --- media download --------------------------------------------------------------------------

MEDIA_ID = "1234567890123456"
MEDIA_INFO = "https://graph.facebook.com/v23.0/" + MEDIA_ID
LOOKASIDE = "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1234567890123456"


def test_download_media_asks_for_the_url_then_fetches_it_with_the_token(
    graph: responses.RequestsMock, cloud: CloudClient
) -> None:
    info = {"url": LOOKASIDE, "mime_type": "image/jpeg", "id": MEDIA_ID, "file_size": 3}
    graph.add(responses.GET, MEDIA_INFO, json=info)
    graph.add(
        responses.GET, LOOKASIDE, body=b"\xff\xd8\xff", content_type="image/jpeg; charset=binary"
    )

    media = cloud.download_media(MEDIA_ID)

    assert media == Media(b"\xff\xd8\xff", "image/jpeg")
    assert [call.request.headers["Authorization"] for call in graph.calls] == [
        f"Bearer {TOKEN}"
    ] * 2


def test_download_media_raises_the_graph_error_of_an_expired_url(
    graph: responses.RequestsMock, cloud: CloudClient
) -> None:
    graph.add(responses.GET, MEDIA_INFO, json={"url": LOOKASIDE, "mime_type": "image/jpeg"})
    graph.add(responses.GET, LOOKASIDE, status=404, json={"error": {"code": 131052}})

    with pytest.raises(GraphError) as caught:
        cloud.download_media(MEDIA_ID)

    assert caught.value.http_status == 404


@pytest.mark.parametrize(
    "answer",
    [
        {"id": MEDIA_ID},
        {"url": "http://lookaside.fbsbx.com/x"},  # not HTTPS
        {"url": "https://evil.example/?fbsbx.com"},  # not Meta's host
        {"url": "https://fbsbx.com.evil.example/x"},
    ],
)
def test_download_media_takes_the_token_only_to_metas_media_hosts(
    graph: responses.RequestsMock, cloud: CloudClient, answer: dict[str, str]
) -> None:
    graph.add(responses.GET, MEDIA_INFO, json=answer)

    with pytest.raises(TransportError, match="without a Meta download url"):
        cloud.download_media(MEDIA_ID)
    assert len(graph.calls) == 1  # the token went nowhere else


# --- retries ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rand", "expected_sleep"),
    [
        pytest.param(0.0, 0.375, id="lowest-jitter"),
        pytest.param(0.5, 0.5, id="no-jitter"),
        pytest.param(0.999, 0.62475, id="highest-jitter"),
    ],
)
def test_throughput_limit_then_success_retries_once(
    graph: responses.RequestsMock, rand: float, expected_sleep: float
) -> None:
    add_envelope(graph, "130429_throughput")
    graph.add(responses.POST, URL, json=ACCEPTED)
    sleeps: list[float] = []
    client = CloudClient(CONFIG, sleep=sleeps.append, rand=lambda: rand)

    result = client.send(TEXT)

    assert result.wamid == ACCEPTED["messages"][0]["id"]
    assert len(graph.calls) == 2
    assert sleeps == [pytest.approx(expected_sleep)]
    assert 0.5 * 0.75 <= sleeps[0] <= 0.5 * 1.25


@pytest.mark.parametrize(
    ("rand", "expected"),
    [
        pytest.param(0.0, [1.0, 4.0, 16.0], id="meta-4-power-x"),
        pytest.param(0.5, [1.125, 4.5, 18.0], id="jitter-only-adds"),
        pytest.param(1.0, [1.25, 5.0, 20.0], id="capped-by-max-delay"),
    ],
)
def test_pair_rate_limit_backs_off_four_to_the_x(
    graph: responses.RequestsMock, rand: float, expected: list[float]
) -> None:
    for _ in range(4):
        add_envelope(graph, "131056_pair_rate_limit")
    sleeps: list[float] = []
    client = CloudClient(CONFIG, sleep=sleeps.append, rand=lambda: rand)

    with pytest.raises(PairRateLimitError) as info:
        client.send(TEXT)

    assert info.value.fbtrace_id == "AbCq3nSxT0b9Qf2yW1nKJ4L"
    assert len(graph.calls) == 4
    assert sleeps == pytest.approx(expected)


@pytest.mark.parametrize(
    "stem",
    ["500_html_body", "2_service_unavailable", "131000_unknown", "133004_server_unavailable"],
)
def test_server_errors_are_retried(
    graph: responses.RequestsMock, cloud: CloudClient, sleeps: list[float], stem: str
) -> None:
    add_envelope(graph, stem)
    add_envelope(graph, stem)
    graph.add(responses.POST, URL, json=ACCEPTED)

    assert cloud.send(TEXT).wamid == ACCEPTED["messages"][0]["id"]

    assert len(graph.calls) == 3
    assert sleeps == [0.5, 1.0]


def test_server_errors_give_up_after_max_attempts(
    graph: responses.RequestsMock, cloud: CloudClient, sleeps: list[float]
) -> None:
    for _ in range(4):
        add_envelope(graph, "2_service_unavailable")

    with pytest.raises(TransientError) as info:
        cloud.send(TEXT)

    assert info.value.code == 2
    assert len(graph.calls) == 4
    assert sleeps == [0.5, 1.0, 2.0]


@pytest.mark.parametrize(
    "exc",
    [
        pytest.param(requests.ReadTimeout("read timed out"), id="read-timeout"),
        pytest.param(requests.ConnectTimeout("connect timed out"), id="connect-timeout"),
        pytest.param(requests.ConnectionError("connection reset"), id="connection-error"),
    ],
)
def test_network_failures_become_transport_errors_after_max_attempts(
    graph: responses.RequestsMock, sleeps: list[float], exc: Exception
) -> None:
    for _ in range(3):
        graph.add(responses.POST, URL, body=exc)
    client = CloudClient(CONFIG, sleep=sleeps.append, rand=lambda: 0.5, retry=RetryPolicy(3))

    with pytest.raises(TransportError) as info:
        client.send(TEXT)

    assert info.value.__cause__ is exc
    assert info.value.code is None
    assert len(graph.calls) == 3
    assert sleeps == [0.5, 1.0]


def test_timeout_then_success_recovers(
    graph: responses.RequestsMock, cloud: CloudClient, sleeps: list[float]
) -> None:
    graph.add(responses.POST, URL, body=requests.ReadTimeout("slow"))
    graph.add(responses.POST, URL, json=ACCEPTED)

    assert cloud.send(TEXT).wa_id == PHONE
    assert len(graph.calls) == 2
    assert sleeps == [0.5]


def test_other_request_failures_are_not_retried(sleeps: list[float]) -> None:
    broken = Config(access_token=TOKEN, phone_number_id="1", api_base_url="http://[::1")
    client = CloudClient(broken, sleep=sleeps.append)

    with pytest.raises(TransportError) as info:
        client.send(TEXT)

    assert isinstance(info.value.__cause__, requests.RequestException)
    assert info.value.retryable is False
    assert sleeps == []


def test_timeout_is_passed_to_requests(graph: responses.RequestsMock, sleeps: list[float]) -> None:
    graph.add(responses.POST, URL, json=ACCEPTED)
    client = CloudClient(CONFIG, timeout=(1.5, 7.0), sleep=sleeps.append)

    client.send(TEXT)

    assert graph.calls[0].request.req_kwargs["timeout"] == (1.5, 7.0)


@pytest.mark.parametrize(
    ("stem", "cls"),
    [
        pytest.param("190_token_expired", AuthError, id="auth-190"),
        pytest.param("10_permission_denied", AuthError, id="permission-10"),
        pytest.param("100_invalid_parameter", InvalidParameterError, id="invalid-100"),
        pytest.param("131047_re_engagement", ReEngagementError, id="re-engagement-131047"),
        pytest.param("132001_template_missing", TemplateError, id="template-132001"),
        pytest.param("131026_undeliverable", RecipientError, id="recipient-131026"),
        pytest.param("368_policy_block", AccountError, id="account-368"),
        pytest.param("999999_unknown_code", GraphError, id="unknown-999999"),
    ],
)
def test_permanent_errors_are_sent_once(
    graph: responses.RequestsMock,
    cloud: CloudClient,
    sleeps: list[float],
    stem: str,
    cls: type[GraphError],
) -> None:
    add_envelope(graph, stem)

    with pytest.raises(cls) as info:
        cloud.send(TEXT)

    assert type(info.value) is cls
    assert info.value.code == EXPECTED[stem][1]
    assert len(graph.calls) == 1
    assert sleeps == []


def test_single_attempt_policy_never_retries(graph: responses.RequestsMock) -> None:
    add_envelope(graph, "130429_throughput")
    sleeps: list[float] = []
    client = CloudClient(CONFIG, sleep=sleeps.append, retry=RetryPolicy(max_attempts=1))

    with pytest.raises(ThrottlingError):
        client.send(TEXT)

    assert len(graph.calls) == 1
    assert sleeps == []


# --- logging ---------------------------------------------------------------------------------


def test_logs_mask_recipient_show_fbtrace_and_never_the_token(
    graph: responses.RequestsMock, cloud: CloudClient, caplog: pytest.LogCaptureFixture
) -> None:
    add_envelope(graph, "130429_throughput")
    add_envelope(graph, "100_invalid_parameter")
    caplog.set_level(logging.DEBUG, logger="bot.client")

    with pytest.raises(InvalidParameterError):
        cloud.send(TEXT)

    text = caplog.text
    assert "Az8or2yhqkZfEZ-_4Qn_Bam" in text
    assert "AB2Fo4Wn6Hs8Kd0Lq3Vz5Xy" in text
    assert "…1234" in text
    assert PHONE not in text
    assert TOKEN not in text
    assert [r.levelname for r in caplog.records] == ["INFO", "WARNING"]


def test_a_list_page_failing_to_connect_never_shows_the_token_of_its_next_link(
    graph: responses.RequestsMock, cloud: CloudClient, caplog: pytest.LogCaptureFixture
) -> None:
    # Graph writes the token into paging.next; requests quotes the URL in a connection error.
    secret = "SECRETnext0123"
    listing = "https://graph.facebook.com/v23.0/102290129340398/message_templates"
    first = {
        "data": [{"name": "a"}],
        "paging": {"next": f"{listing}?access_token={secret}&limit=2&after=MjQZD"},
    }
    asked: list[str] = []

    def refuse(request: Any) -> tuple[int, dict[str, str], str]:
        asked.append(request.url)
        raise requests.ConnectionError(f"Max retries exceeded with url: {request.url}")

    graph.add(responses.GET, f"{listing}?limit=2", json=first)
    graph.add_callback(responses.GET, listing, callback=refuse)
    caplog.set_level(logging.DEBUG)

    with pytest.raises(TransportError) as info:
        cloud.get_list("102290129340398/message_templates", {"limit": "2"})

    assert asked == [f"{listing}?limit=2&after=MjQZD"] * 4
    assert all(call.request.headers["Authorization"] == f"Bearer {TOKEN}" for call in graph.calls)
    assert "failed to connect" in str(info.value)
    assert secret not in str(info.value)
    assert secret not in repr(info.value.__cause__)
    assert all(secret not in r.getMessage() for r in caplog.records)
    assert secret not in caplog.text


def test_a_list_next_link_keeps_every_parameter_but_credentials(
    graph: responses.RequestsMock, cloud: CloudClient
) -> None:
    listing = "https://graph.facebook.com/v23.0/1/message_templates"
    next_link = f"{listing}?fields=a%2Cb&Access_Token=x&appsecret_proof=y&after=Q%3D%3D"
    graph.add(responses.GET, listing, json={"data": [], "paging": {"next": next_link}})
    graph.add(responses.GET, f"{listing}?fields=a%2Cb&after=Q%3D%3D", json={"data": []})

    assert cloud.get_list("1/message_templates") == []
    assert graph.calls[1].request.url == f"{listing}?fields=a%2Cb&after=Q%3D%3D"


# --- RetryPolicy -----------------------------------------------------------------------------

THROTTLED = ThrottlingError("x", code=130429)
PAIR = PairRateLimitError("x", code=131056)


@pytest.mark.parametrize(
    ("attempt", "rand", "error", "expected"),
    [
        pytest.param(1, 0.5, THROTTLED, 0.5, id="first-retry"),
        pytest.param(2, 0.5, THROTTLED, 1.0, id="doubles"),
        pytest.param(4, 0.5, THROTTLED, 4.0, id="doubles-again"),
        pytest.param(7, 0.5, THROTTLED, 20.0, id="capped"),
        pytest.param(7, 0.0, THROTTLED, 15.0, id="capped-then-jitter-down"),
        pytest.param(7, 1.0, THROTTLED, 20.0, id="jitter-never-passes-cap"),
        pytest.param(1, 0.0, THROTTLED, 0.375, id="minus-quarter"),
        pytest.param(1, 1.0, THROTTLED, 0.625, id="plus-quarter"),
        pytest.param(0, 0.5, THROTTLED, 0.5, id="attempt-zero-as-first"),
        pytest.param(5000, 0.5, THROTTLED, 20.0, id="huge-attempt-no-overflow"),
        pytest.param(1, 0.5, PAIR, 1.125, id="pair-1"),
        pytest.param(3, 0.0, PAIR, 16.0, id="pair-16"),
        pytest.param(4, 0.0, PAIR, 20.0, id="pair-64-capped"),
    ],
)
def test_retry_delay(attempt: int, rand: float, error: GraphError, expected: float) -> None:
    assert RetryPolicy().delay(attempt, error, rand) == pytest.approx(expected)


def test_retry_delay_without_jitter_is_exact() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=100.0, jitter=0.0)

    assert [policy.delay(n, THROTTLED, 0.9) for n in (1, 2, 3)] == [1.0, 2.0, 4.0]
    assert [policy.delay(n, PAIR, 0.9) for n in (1, 2, 3, 4)] == [1.0, 4.0, 16.0, 64.0]


@pytest.mark.parametrize(
    ("rule", "rand", "expected"),
    [
        pytest.param(Backoff(1.0, 300.0), 0.9, [1.0, 2.0, 4.0, 256.0, 300.0], id="no-jitter-capped"),
        pytest.param(Backoff(2.0, 8.0, jitter=0.5), 0.0, [1.0, 2.0, 4.0, 4.0, 4.0], id="jitter-down"),
        pytest.param(
            Backoff(2.0, 8.0, jitter=0.5, lengthen_only=True), 1.0, [3.0, 6.0, 8.0, 8.0, 8.0],
            id="lengthen-only-hard-cap",
        ),
        pytest.param(
            Backoff(4.0, 64.0, 4.0, jitter=0.25, lengthen_only=True, hard_cap=False), 1.0,
            [5.0, 20.0, 80.0, 80.0, 80.0], id="soft-cap-jitter-passes-it",
        ),
    ],
)  # fmt: skip
def test_backoff_is_exponential_capped_and_jittered(
    rule: Backoff, rand: float, expected: list[float]
) -> None:
    assert [rule.delay(n, rand) for n in (1, 2, 3, 9, 5000)] == expected


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"max_attempts": 0}, id="no-attempts"),
        pytest.param({"base_delay": -1.0}, id="negative-base"),
        pytest.param({"max_delay": -1.0}, id="negative-max"),
        pytest.param({"jitter": 1.5}, id="jitter-above-one"),
    ],
)
def test_retry_policy_rejects_nonsense(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        RetryPolicy(**kwargs)


# --- RateLimiter -----------------------------------------------------------------------------


def test_rate_limiter_allows_a_burst_then_waits() -> None:
    clock = FakeClock()
    slept: list[float] = []
    limiter = RateLimiter(rate=2.0, burst=3, clock=clock, sleep=slept.append)

    assert [limiter.acquire() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert slept == []
    assert limiter.acquire() == pytest.approx(0.5)
    clock.now += 0.75  # the reserved token, then half of the next one
    assert limiter.acquire() == pytest.approx(0.25)
    clock.now += 1.25
    assert limiter.acquire() == 0.0
    assert slept == pytest.approx([0.5, 0.25])


def test_rate_limiter_refill_is_capped_at_burst() -> None:
    clock = FakeClock()
    limiter = RateLimiter(rate=10.0, burst=2, clock=clock, sleep=lambda _: None)
    limiter.acquire()
    limiter.acquire()
    clock.now += 3600

    assert [limiter.acquire() for _ in range(2)] == [0.0, 0.0]
    assert limiter.acquire() == pytest.approx(0.1)


def test_rate_limiter_acquire_sleeps_for_its_reservation() -> None:
    clock = FakeClock()
    slept: list[float] = []
    limiter = RateLimiter(rate=4.0, burst=1, clock=clock, sleep=slept.append)

    waits = [limiter.acquire() for _ in range(3)]

    assert waits == pytest.approx([0.0, 0.25, 0.5])
    assert slept == pytest.approx([0.25, 0.5])


def test_rate_limiter_ignores_a_clock_going_backwards() -> None:
    clock = FakeClock()
    limiter = RateLimiter(rate=1.0, burst=1, clock=clock, sleep=lambda _: None)
    limiter.acquire()
    clock.now -= 50

    assert limiter.acquire() == pytest.approx(1.0)


def test_rate_limiter_reservations_are_thread_safe() -> None:
    slept: list[float] = []
    limiter = RateLimiter(rate=100.0, burst=1, clock=FakeClock(), sleep=slept.append)
    start = threading.Barrier(8)

    def worker() -> None:
        start.wait()
        for _ in range(50):
            limiter.acquire()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(round(s * 100) for s in slept) == list(range(1, 400))


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"rate": 0.0, "burst": 1}, id="zero-rate"),
        pytest.param({"burst": 0}, id="no-burst"),
    ],
)
def test_rate_limiter_rejects_nonsense(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        RateLimiter(**kwargs)


def test_client_takes_one_token_per_request(graph: responses.RequestsMock) -> None:
    add_envelope(graph, "130429_throughput")
    graph.add(responses.POST, URL, json=ACCEPTED)
    graph.add(responses.POST, URL, json=ACCEPTED)
    limiter_sleeps: list[float] = []
    limiter = RateLimiter(rate=1.0, burst=1, clock=FakeClock(), sleep=limiter_sleeps.append)
    client = CloudClient(CONFIG, sleep=lambda _: None, rate_limiter=limiter)

    client.send(TEXT)
    client.send(TEXT)

    assert limiter_sleeps == pytest.approx([1.0, 2.0])


def test_a_read_receipt_takes_a_free_token_or_is_skipped_and_never_retried(
    graph: responses.RequestsMock,
) -> None:
    add_envelope(graph, "130429_throughput")
    graph.add(responses.POST, URL, json={"success": True})
    clock = FakeClock()
    limiter_sleeps: list[float] = []
    limiter = RateLimiter(rate=1.0, burst=1, clock=clock, sleep=limiter_sleeps.append)
    client = CloudClient(CONFIG, sleep=lambda _: None, rate_limiter=limiter)

    with pytest.raises(GraphError):
        client.mark_read("wamid.IN1")  # throttled: not retried
    assert client.mark_read("wamid.IN2") is False  # no token free: skipped, no call
    clock.now += 1.0
    assert client.mark_read("wamid.IN3") is True

    assert limiter_sleeps == []  # it never waits: a message would wait behind it
    assert [json.loads(c.request.body or b"")["message_id"] for c in graph.calls] == [
        "wamid.IN1",
        "wamid.IN3",
    ]


def test_default_rate_limiter_is_metas_default_throughput(sleeps: list[float]) -> None:
    client = CloudClient(CONFIG, sleep=sleeps.append)

    assert (client.rate_limiter.rate, client.rate_limiter.burst) == (80.0, 80)


# --- construction, closing, sandbox, factory -------------------------------------------------


def test_cloud_client_refuses_sandbox_config() -> None:
    with pytest.raises(ConfigError, match="WHATSAPP_ACCESS_TOKEN"):
        CloudClient(Config())


def test_close_closes_only_an_owned_session(monkeypatch: pytest.MonkeyPatch) -> None:
    closed: list[str] = []
    borrowed = requests.Session()
    monkeypatch.setattr(borrowed, "close", lambda: closed.append("borrowed"))

    with CloudClient(CONFIG, session=borrowed):
        pass
    owned = CloudClient(CONFIG)
    monkeypatch.setattr(owned._session, "close", lambda: closed.append("owned"))
    with owned:
        pass

    assert closed == ["owned"]


def test_sandbox_records_and_echoes(graph: responses.RequestsMock) -> None:
    echoed: list[dict[str, Any]] = []
    sandbox = SandboxClient(echo=echoed.append)
    payload = json.loads(json.dumps(TEXT))

    first = sandbox.send(payload)
    payload["text"]["body"] = "changed after sending"
    second = sandbox.send({**TEXT, "to": PHONE})

    assert (first.wamid, second.wamid) == ("wamid.sandbox.1", "wamid.sandbox.2")
    assert (first.wa_id, first.message_status) == (PHONE, "accepted")
    assert first.raw["messages"][0]["id"] == "wamid.sandbox.1"
    assert sandbox.sent == [TEXT, {**TEXT, "to": PHONE}]
    assert echoed == sandbox.sent
    assert len(graph.calls) == 0


@pytest.mark.parametrize(
    ("to", "wa_id"),
    [("16505551234", "16505551234"), ("+1 650-555-1234", "16505551234"), ("alias", "alias")],
    ids=["digits", "formatted", "no-digits"],
)
def test_sandbox_answers_with_metas_send_body(to: str, wa_id: str) -> None:
    result = SandboxClient().send({**TEXT, "to": to})

    assert result.raw == {
        "messaging_product": "whatsapp",
        "contacts": [{"input": to, "wa_id": wa_id}],
        "messages": [{"id": "wamid.sandbox.1", "message_status": "accepted"}],
    }
    assert result.wa_id == wa_id


def test_sandbox_mark_read_records_ids() -> None:
    sandbox = SandboxClient()

    assert sandbox.mark_read("wamid.A") is True
    assert sandbox.mark_read("wamid.B", typing=True) is True
    assert sandbox.read == ["wamid.A", "wamid.B"]
    assert sandbox.sent == []


@pytest.mark.parametrize(
    ("config", "cls"),
    [
        pytest.param(Config(), SandboxClient, id="no-token-sandbox"),
        pytest.param(CONFIG, CloudClient, id="token-cloud"),
    ],
)
def test_make_client_picks_by_config(config: Config, cls: type) -> None:
    client = make_client(config, echo=print, sleep=lambda _: None, retry=RetryPolicy(2))

    assert type(client) is cls
    assert isinstance(client, Sender)


def test_make_client_passes_echo_to_the_sandbox() -> None:
    echoed: list[dict[str, Any]] = []
    client = make_client(Config(), echo=echoed.append)

    client.send(TEXT)

    assert echoed == [TEXT]


def test_public_api_is_pinned() -> None:
    assert set(client_module.__all__) == {
        "DEFAULT_RETRY",
        "CloudClient",
        "Media",
        "RetryPolicy",
        "SandboxClient",
        "SendResult",
        "Sender",
        "graph_error_from_response",
        "make_client",
    }
    assert all(hasattr(client_module, name) for name in client_module.__all__)


@pytest.mark.parametrize(
    ("status", "body"),
    [
        pytest.param(404, b"<html><body>Sorry, this page isn't available</body></html>", id="404"),
        pytest.param(401, b"", id="401"),
    ],
)
def test_a_4xx_without_envelope_is_not_retried(
    graph: responses.RequestsMock, status: int, body: bytes
) -> None:
    graph.add(responses.POST, URL, body=body, status=status)
    cloud = CloudClient(CONFIG, retry=RetryPolicy(max_attempts=4), sleep=lambda _s: None)

    with pytest.raises(GraphError) as info:
        cloud.send(TEXT)

    assert info.value.retryable is False
    assert info.value.http_status == status
    assert len(graph.calls) == 1


def test_a_429_without_envelope_is_throttling_and_retried(graph: responses.RequestsMock) -> None:
    graph.add(responses.POST, URL, body="Too Many Requests", status=429)
    graph.add(responses.POST, URL, json=ACCEPTED)
    cloud = CloudClient(CONFIG, retry=RetryPolicy(max_attempts=2), sleep=lambda _s: None)

    result = cloud.send(TEXT)

    assert result.wamid == ACCEPTED["messages"][0]["id"]
    assert len(graph.calls) == 2


def test_the_graph_fixture_lists_calls_without_a_registered_answer() -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_callback(responses.POST, URL, callback=lambda _r: requests.ReadTimeout("slow"))
        cloud = CloudClient(CONFIG, retry=RetryPolicy(max_attempts=1), sleep=lambda _s: None)
        for url in (URL, "https://graph.facebook.com/v23.0/other/messages"):
            cloud.config = Config(access_token=TOKEN, phone_number_id=url.split("/")[-2])
            with pytest.raises(TransportError):
                cloud.send(TEXT)

        unexpected = unexpected_calls(mock)

    assert unexpected == ["POST https://graph.facebook.com/v23.0/other/messages"]


@pytest.mark.parametrize(
    ("env", "proxy"),
    [
        ({"HTTPS_PROXY": "http://proxy.test:3128"}, "http://proxy.test:3128"),
        ({"HTTPS_PROXY": "http://proxy.test:3128", "NO_PROXY": "graph.facebook.com"}, None),
        ({}, None),
    ],
    ids=["proxy", "no-proxy-for-graph", "none"],
)
def test_the_client_reads_proxy_settings_once(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], proxy: str | None
) -> None:
    for name in ("HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    cloud = CloudClient(CONFIG)

    assert cloud._session.proxies.get("https") == proxy


def test_sending_does_not_scan_the_environment_per_request(
    graph: responses.RequestsMock, cloud: CloudClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph.add(responses.POST, URL, json=ACCEPTED)
    scans: list[str] = []
    real = requests.sessions.get_environ_proxies

    def counting(url: str, no_proxy: str | None = None) -> dict[str, str]:
        scans.append(url)
        return real(url, no_proxy=no_proxy)

    monkeypatch.setattr(requests.sessions, "get_environ_proxies", counting)

    for _ in range(3):
        cloud.send(TEXT)

    assert scans == []
