"""Replaying webhook files: exact bytes, valid signatures, order, failures and the summary."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import responses
from click.testing import CliRunner
from flask import Flask, redirect, request
from werkzeug.wrappers import Response

from bot.errors import PayloadError
from webhooks import _replay
from webhooks._cli_testing import replay as replay_command
from webhooks._replay import (
    ReplayResult,
    ReplaySummary,
    WebhookBody,
    group_by_contact,
    load_webhooks,
    replay,
    restamp,
)
from webhooks._serve import serve_in_thread
from webhooks.signature import SIGNATURE_HEADER, signature_valid

PAYLOADS = Path(__file__).parent.parent / "payloads" / "replay"
SECRET = "test-app-secret"
ALICE = "16505551234"
BOB = "5511987654321"


@dataclass
class Received:
    body: bytes
    signature: str | None
    signature_ok: bool
    user_agent: str


@dataclass
class Receiver:
    """A bot stand-in: checks the signature like the real webhook, records, answers a status."""

    url: str = ""
    got: list[Received] = field(default_factory=list)
    status_for: Callable[[dict[str, Any]], int] = lambda _doc: 200

    def bodies(self) -> list[bytes]:
        return [r.body for r in self.got]


def make_receiver_app(receiver: Receiver) -> Flask:
    app = Flask("receiver")
    lock = threading.Lock()

    @app.post("/webhook")
    def webhook() -> tuple[str, int]:
        raw = request.get_data()  # raw bytes first, as the real receiver must
        header = request.headers.get(SIGNATURE_HEADER)
        valid = signature_valid(raw, header, SECRET)
        with lock:
            receiver.got.append(Received(raw, header, valid, request.user_agent.string))
        if not valid:
            return "bad signature", 401
        return "", receiver.status_for(json.loads(raw))

    @app.post("/moved")
    def moved() -> Response:
        return redirect("/webhook", code=307)  # would succeed if a replay followed it

    return app


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    rec = Receiver()
    with serve_in_thread(make_receiver_app(rec)) as handle:
        rec.url = f"{handle.url}/webhook"
        yield rec


@pytest.fixture
def dead_url() -> str:
    handle = serve_in_thread(Flask("gone"))
    handle.stop()
    return f"{handle.url}/webhook"


def text_body(frm: str, wamid: str) -> dict[str, Any]:
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
        "contacts": [{"profile": {"name": "X"}, "wa_id": frm}],
        "messages": [
            {"from": frm, "id": wamid, "timestamp": "1", "type": "text", "text": {"body": "hi"}}
        ],
    }
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "messages", "value": value}]}],
    }


def status_body(recipient: str, wamid: str) -> dict[str, Any]:
    doc = text_body(recipient, wamid)
    value = doc["entry"][0]["changes"][0]["value"]
    del value["contacts"], value["messages"]
    value["statuses"] = [
        {"id": wamid, "status": "read", "timestamp": "2", "recipient_id": recipient}
    ]
    return doc


def sender_of(doc: dict[str, Any]) -> str:
    value = doc["entry"][0]["changes"][0]["value"]
    if "messages" in value:
        return str(value["messages"][0]["from"])
    return str(value["statuses"][0]["recipient_id"])


def wamid_of(doc: dict[str, Any]) -> str:
    value = doc["entry"][0]["changes"][0]["value"]
    item = value["messages"][0] if "messages" in value else value["statuses"][0]
    return str(item["id"])


# --- loading ---------------------------------------------------------------------------------


def test_sample_directory_loads_in_name_order_with_contacts() -> None:
    bodies = load_webhooks([PAYLOADS])

    assert [Path(b.source.split("[")[0]).name for b in bodies] == [
        "001_text_alice.json",
        "002_text_bob.json",
        "003_status_alice.json",
        "004_burst_bob.json",
        "004_burst_bob.json",
    ]
    assert [b.contacts for b in bodies] == [(ALICE,), (BOB,), (ALICE,), (BOB,), (BOB,)]
    assert bodies[3].source.endswith("004_burst_bob.json[0]")


def test_a_single_body_file_is_kept_byte_for_byte() -> None:
    path = PAYLOADS / "002_text_bob.json"

    [body] = load_webhooks([path])

    assert body.body == path.read_bytes()
    assert b"Jo\\u00e3o" in body.body  # Meta's escaped form survives


def test_list_file_elements_are_exact_slices_of_the_file() -> None:
    path = PAYLOADS / "004_burst_bob.json"
    raw = path.read_bytes()

    bodies = load_webhooks([path])

    assert [json.loads(b.body) for b in bodies] == json.loads(raw)
    for body in bodies:
        assert body.body in raw
        assert body.body.startswith(b"{")
        assert body.body.endswith(b"}")


def test_list_slicing_copes_with_odd_whitespace_and_raw_utf8(tmp_path: Path) -> None:
    path = tmp_path / "odd.json"
    path.write_bytes('\ufeff\r\n [ {"a":1} ,\t{"b": "\\u00e9"}\n,{"c":"é ✓"}\n]\n'.encode())

    bodies = load_webhooks([path])

    assert [b.body for b in bodies] == [b'{"a":1}', b'{"b": "\\u00e9"}', '{"c":"é ✓"}'.encode()]


def test_a_directory_means_its_json_files_in_name_order(tmp_path: Path) -> None:
    for name in ("b.json", "a.json", "10.json"):
        (tmp_path / name).write_text(json.dumps({"name": name}))
    (tmp_path / "notes.txt").write_text("not a webhook")

    bodies = load_webhooks([tmp_path])

    assert [json.loads(b.body)["name"] for b in bodies] == ["10.json", "a.json", "b.json"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param("broken.json", b'{"object": ', id="invalid-json"),
        pytest.param("number.json", b"42", id="not-object-or-list"),
        pytest.param("mixed.json", b'[{"a": 1}, "text"]', id="list-with-non-object"),
        pytest.param("latin1.json", '{"n": "é"}'.encode("latin-1"), id="not-utf8"),
        pytest.param("missing.json", None, id="missing-file"),
        pytest.param("empty-dir", b"", id="empty-directory"),
    ],
)
def test_unreadable_input_raises_payload_error_naming_it(
    tmp_path: Path, name: str, content: bytes | None
) -> None:
    path = tmp_path / name
    if name == "empty-dir":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)

    with pytest.raises(PayloadError, match=name):
        load_webhooks([path])


def test_bodies_sharing_a_contact_are_grouped_in_order() -> None:
    bodies = [
        WebhookBody("0", b"", ("A",)),
        WebhookBody("1", b"", ("B",)),
        WebhookBody("2", b"", ("A", "C")),  # a batch touching two customers joins their groups
        WebhookBody("3", b"", ("C",)),
        WebhookBody("4", b"", ("D",)),
        WebhookBody("5", b"", ()),
    ]

    assert group_by_contact(bodies) == [[0, 2, 3], [1], [4], [5]]


# --- re-stamping -----------------------------------------------------------------------------


def stamps(body: bytes) -> list[int]:
    return [int(t) for t in re.findall(rb'"timestamp":\s*"?(\d+)', body)]


def test_restamp_moves_every_timestamp_so_the_latest_is_now() -> None:
    bodies = load_webhooks([PAYLOADS])
    before = [stamps(b.body) for b in bodies]

    moved = restamp(bodies, now=1_800_000_000.7)

    after = [stamps(b.body) for b in moved]
    assert max(max(s) for s in after) == 1_800_000_000
    offset = after[0][0] - before[0][0]
    assert after == [[t + offset for t in s] for s in before]  # the spacing is kept
    for old, new in zip(bodies, moved, strict=True):
        assert (new.source, new.contacts) == (old.source, old.contacts)
        assert re.sub(rb"\d{10}", b"T", new.body) == re.sub(rb"\d{10}", b"T", old.body)


def test_restamp_leaves_text_and_bodies_without_timestamps_alone() -> None:
    text = b'{"messages":[{"timestamp": 100, "text":{"body":"{\\"timestamp\\":\\"5\\"}"}}]}'
    plain = WebhookBody("plain", b'{"object":"whatsapp_business_account","entry":[]}')

    moved = restamp([WebhookBody("text", text), plain], now=1000)

    assert moved[0].body == text.replace(b"100", b"1000")
    assert moved[1] == plain
    assert restamp([plain], now=1000) == [plain]


# --- sending ---------------------------------------------------------------------------------


def test_bodies_arrive_byte_identical_in_order_with_valid_signatures(receiver: Receiver) -> None:
    expected = [b.body for b in load_webhooks([PAYLOADS])]

    summary = replay([PAYLOADS], receiver.url, app_secret=SECRET)

    assert receiver.bodies() == expected
    assert receiver.bodies()[0] == (PAYLOADS / "001_text_alice.json").read_bytes()
    assert all(r.signature_ok for r in receiver.got)
    assert {r.user_agent for r in receiver.got} == {"facebookexternalua"}
    assert summary.total == 5
    assert summary.by_status == {200: 5}
    assert summary.failures == ()
    assert summary.ok


def test_bodies_already_loaded_are_sent_as_loaded(receiver: Receiver) -> None:
    bodies = load_webhooks([PAYLOADS])
    summary = replay(bodies, receiver.url, app_secret=SECRET)

    assert [r.body for r in receiver.got] == [b.body for b in bodies]
    assert summary.ok


def test_without_a_secret_no_signature_is_sent(receiver: Receiver) -> None:
    summary = replay([PAYLOADS / "001_text_alice.json"], receiver.url, app_secret=None)

    assert receiver.got[0].signature is None
    assert summary.by_status == {401: 1}
    assert not summary.ok


def test_concurrent_replay_keeps_order_per_contact(receiver: Receiver, tmp_path: Path) -> None:
    contacts = [ALICE, BOB, "447700900123", "919876543210"]
    docs = []
    for n in range(10):
        for contact in contacts:
            docs.append(text_body(contact, f"wamid.{contact}.{n}"))
        docs.append(status_body(contacts[n % 4], f"wamid.status.{n}"))
    (tmp_path / "many.json").write_text(json.dumps(docs, indent=1))

    summary = replay([tmp_path], receiver.url, app_secret=SECRET, concurrency=3)

    assert summary.total == len(docs) == 50
    assert summary.by_status == {200: 50}
    arrived = [json.loads(body) for body in receiver.bodies()]
    for contact in contacts:
        sent_order = [wamid_of(d) for d in docs if sender_of(d) == contact]
        arrival_order = [wamid_of(d) for d in arrived if sender_of(d) == contact]
        assert arrival_order == sent_order
    assert all(r.signature_ok for r in receiver.got)


def test_non_2xx_answers_are_counted_as_failures(receiver: Receiver) -> None:
    receiver.status_for = lambda doc: 500 if sender_of(doc) == BOB else 200

    summary = replay([PAYLOADS], receiver.url, app_secret=SECRET)

    assert summary.total == 5
    assert summary.by_status == {200: 2, 500: 3}
    assert [Path(f.source).name for f in summary.failures] == [
        "002_text_bob.json",
        "004_burst_bob.json[0]",
        "004_burst_bob.json[1]",
    ]
    assert all(f.status == 500 and f.error == "HTTP 500" for f in summary.failures)
    assert not summary.ok


def test_redirects_are_not_followed_but_reported(receiver: Receiver) -> None:
    moved_url = receiver.url.replace("/webhook", "/moved")

    summary = replay([PAYLOADS / "001_text_alice.json"], moved_url, app_secret=SECRET)

    assert summary.by_status == {307: 1}
    assert receiver.got == []
    assert not summary.ok


def test_connection_errors_are_failures_without_a_status(dead_url: str) -> None:
    summary = replay([PAYLOADS / "001_text_alice.json"], dead_url, app_secret=SECRET, timeout=2)

    assert summary.total == 1
    assert summary.by_status == {}
    [failure] = summary.failures
    assert failure.status is None
    assert failure.error is not None
    assert "ConnectionError" in failure.error


def test_progress_is_called_once_per_request(receiver: Receiver) -> None:
    seen: list[ReplayResult] = []

    replay([PAYLOADS], receiver.url, app_secret=SECRET, concurrency=2, progress=seen.append)

    assert len(seen) == 5
    assert all(r.ok for r in seen)


def test_pace_spaces_requests_apart(receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]
    sleeps: list[float] = []

    def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    monkeypatch.setattr(_replay, "_clock", lambda: now[0])
    monkeypatch.setattr(_replay, "_sleep", fake_sleep)

    replay([PAYLOADS / "004_burst_bob.json"], receiver.url, app_secret=SECRET, pace=0.25)
    replay([PAYLOADS / "001_text_alice.json"], receiver.url, app_secret=SECRET, pace=0.25)

    assert sleeps == [0.25]  # between the two bodies of the first run; a new run starts at once
    assert len(receiver.got) == 3


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"concurrency": 0}, id="zero-workers"),
        pytest.param({"pace": -1}, id="neg-pace"),
    ],
)
def test_bad_settings_are_refused(receiver: Receiver, kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        replay([PAYLOADS], receiver.url, app_secret=SECRET, **kwargs)
    assert receiver.got == []


# --- summary ---------------------------------------------------------------------------------


def test_summary_percentiles_use_nearest_rank() -> None:
    results = [ReplayResult(f"f{i}", 200, i / 1000) for i in range(100, 0, -1)]

    summary = ReplaySummary.from_results(results)

    assert (summary.p50, summary.p95, summary.p99, summary.max) == (0.05, 0.095, 0.099, 0.1)
    assert summary.total == 100
    assert summary.by_status == {200: 100}


def test_summary_of_nothing_is_zeros() -> None:
    summary = ReplaySummary.from_results([])

    assert (summary.total, summary.p50, summary.max, summary.ok) == (0, 0.0, 0.0, True)


def test_summary_lines_name_counts_and_failures() -> None:
    summary = ReplaySummary.from_results(
        [
            ReplayResult("a.json", 200, 0.002),
            ReplayResult("b.json", 500, 0.004, "HTTP 500: boom"),
            ReplayResult("c.json", None, 0.001, "ConnectionError: refused"),
        ]
    )

    text = "\n".join(summary.lines())

    assert "Replayed 3 webhook(s): 1 ok, 2 failed" in text
    assert "200 x1, 500 x1, no answer x1" in text
    assert "max 4.0" in text
    assert "b.json: HTTP 500: boom" in text
    assert "c.json: ConnectionError: refused" in text


# --- CLI -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env_secret", "answer", "exit_code"),
    [
        pytest.param(["--secret", SECRET], None, 200, 0, id="all-ok"),
        pytest.param([], SECRET, 200, 0, id="secret-from-env"),
        pytest.param(["--secret", SECRET, "--concurrency", "3"], None, 200, 0, id="concurrent"),
        pytest.param(["--secret", SECRET], None, 500, 1, id="receiver-500"),
        pytest.param([], "wrong-secret", 200, 1, id="wrong-secret-refused"),
        pytest.param([], None, 200, 1, id="unsigned-refused"),
    ],
)
def test_replay_command_exit_codes(
    receiver: Receiver,
    args: list[str],
    env_secret: str | None,
    answer: int,
    exit_code: int,
) -> None:
    receiver.status_for = lambda _doc: answer

    result = CliRunner().invoke(
        replay_command,
        [str(PAYLOADS), "--url", receiver.url, *args],
        env={"WHATSAPP_APP_SECRET": env_secret},
    )

    assert result.exit_code == exit_code, result.output
    assert "Replayed 5 webhook(s)" in result.output
    assert len(receiver.got) == 5
    if env_secret is None and not args:
        assert "unsigned" in result.output
    assert SECRET not in result.output


def test_replay_command_fails_when_the_bot_is_down(dead_url: str) -> None:
    result = CliRunner().invoke(
        replay_command, [str(PAYLOADS / "001_text_alice.json"), "--url", dead_url, "--secret", "s"]
    )

    assert result.exit_code == 1
    assert "no answer x1" in result.output


@pytest.mark.parametrize(
    ("make_args", "message"),
    [
        pytest.param(lambda p: [str(p / "bad.json"), "--url", "http://x"], "bad.json", id="bad"),
        pytest.param(lambda p: [str(p / "ok.json"), "--url", "ftp://x"], "--url", id="bad-url"),
        pytest.param(lambda p: [str(p / "nope.json"), "--url", "http://x"], "nope", id="missing"),
        pytest.param(lambda p: ["--url", "http://x"], "FILES", id="no-files"),
    ],
)
def test_replay_command_usage_errors_exit_2(
    tmp_path: Path, make_args: Callable[[Path], list[str]], message: str
) -> None:
    (tmp_path / "bad.json").write_text("{not json")
    (tmp_path / "ok.json").write_text("{}")

    result = CliRunner().invoke(replay_command, make_args(tmp_path))

    assert result.exit_code == 2
    assert message in result.output


def test_replay_command_restamps_unless_told_to_keep_timestamps(receiver: Receiver) -> None:
    files = [str(PAYLOADS), "--url", receiver.url, "--secret", SECRET]

    fresh = CliRunner().invoke(replay_command, files)
    kept = CliRunner().invoke(replay_command, [*files, "--keep-timestamps"])

    assert fresh.exit_code == kept.exit_code == 0, fresh.output + kept.output
    sent_fresh, sent_kept = receiver.bodies()[:5], receiver.bodies()[5:]
    assert abs(max(t for b in sent_fresh for t in stamps(b)) - time.time()) < 60
    assert all(r.signature_ok for r in receiver.got)
    assert sent_kept == [b.body for b in load_webhooks([PAYLOADS])]


@pytest.mark.parametrize(
    ("args", "answered"),
    [
        pytest.param([], [ALICE, BOB, BOB, BOB], id="restamped-answered"),
        pytest.param(["--keep-timestamps"], [], id="january-window-closed"),
    ],
)
def test_replayed_samples_are_answered_by_the_bot(
    app: Flask,
    graph: responses.RequestsMock,
    sent: list[dict[str, Any]],
    args: list[str],
    answered: list[str],
) -> None:
    with serve_in_thread(app) as handle:
        graph.add_passthru(handle.url)
        result = CliRunner().invoke(
            replay_command,
            [str(PAYLOADS), "--url", f"{handle.url}/webhook", *args],
            env={"WHATSAPP_APP_SECRET": SECRET},
        )

    assert result.exit_code == 0, result.output
    assert "Replayed 5 webhook(s): 5 ok, 0 failed" in result.output
    assert sorted(body["to"] for body in sent) == answered
