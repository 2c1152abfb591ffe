"""Issue 11's Must show: a broadcast of 2,000 customers killed half-way and restarted sends each
message exactly once.

``waflow broadcast send`` runs as a real process against the mock Cloud API on a loopback port
and is killed with SIGKILL as the mock has accepted half the messages but not yet answered the
last one: the worst case, a send Meta took whose answer never came back. Meta's statuses for the
accepted messages (with the callback data the bot set) reach the webhook as Meta would send
them, the lost one's late, while the restarted command holds that message in doubt: the mock
has received each customer exactly once, and the report says 2,000 sent.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from bot.config import Config
from flows.features.broadcasts.broadcasts import create, find
from flows.features.broadcasts.report import report
from flows.features.broadcasts.segments import Segment
from flows.features.business import load_business
from storage import outbox
from storage.db import make_engine, read_session, reset_schema, transaction
from storage.models import Contact, OutboxMessage, utcnow
from tests.broadcasts.kit import shop_yaml
from tests.helpers import PHONE_NUMBER_ID
from webhooks._serve import ServerHandle, serve_in_thread
from webhooks.bootstrap import make_app, make_runtime
from webhooks.mockgraph import RecordedRequest, create_mock_graph_app, mock_store
from webhooks.signature import sign

CUSTOMERS = 2000
TOKEN = "crash-test-token"
SECRET = "crash-test-secret"
ROOT = Path(__file__).resolve().parents[2]


class LostAnswer:
    """WSGI middleware: the ``nth`` send reaches the mock (it is accepted) but its answer is held
    until :attr:`release` is set, so the sender dies waiting for it; :attr:`body` is its body."""

    def __init__(self, app: Any, nth: int) -> None:
        self.app, self.nth, self.count = app, nth, 0
        self.lock = threading.Lock()
        self.held, self.release = threading.Event(), threading.Event()
        self.body: dict[str, Any] = {}

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if environ["REQUEST_METHOD"] != "POST" or not environ["PATH_INFO"].endswith("/messages"):
            return self.app(environ, start_response)
        raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(raw)
        with self.lock:
            self.count += 1
            mine = self.count == self.nth
        answer = b"".join(self.app(environ, start_response))
        if mine:
            self.body = json.loads(raw)
            self.held.set()
            self.release.wait(60)
        return [answer]


@pytest.fixture
def mock_graph() -> Iterator[tuple[ServerHandle, Any, LostAnswer]]:
    app = create_mock_graph_app(access_token=TOKEN)
    lost = LostAnswer(app.wsgi_app, CUSTOMERS // 2)
    app.wsgi_app = lost  # type: ignore[method-assign]
    try:
        with serve_in_thread(app) as handle:
            yield handle, mock_store(app), lost
    finally:
        lost.release.set()


def _send(environ: dict[str, str], business: Path) -> subprocess.Popen[bytes]:
    code = "from webhooks.cli import main; main()"
    command = [sys.executable, "-c", code, "broadcast", "--business", str(business), "send", "1"]
    return subprocess.Popen(  # noqa: S603 - our own command
        command, cwd=ROOT, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def _statuses(records: list[RecordedRequest], status: str) -> list[dict[str, Any]]:
    """Meta's webhook bodies for ``records``' messages, 50 statuses a body, as Meta batches."""
    items = [
        {
            "id": r.response["messages"][0]["id"],
            "status": status,
            "timestamp": str(int(r.received_at) + 1),
            "recipient_id": r.to,
            "biz_opaque_callback_data": r.json["biz_opaque_callback_data"],
        }
        for r in records
        if r.status == 200
    ]
    return [
        {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "102290129340398",
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {
                                    "display_phone_number": "15550783881",
                                    "phone_number_id": PHONE_NUMBER_ID,
                                },
                                "statuses": items[i : i + 50],
                            },
                        }
                    ],
                }
            ],
        }
        for i in range(0, len(items), 50)
    ]


def _deliver(webhook: FlaskClient, bodies: list[dict[str, Any]]) -> None:
    for body in bodies:
        raw = json.dumps(body).encode()
        headers = {"X-Hub-Signature-256": sign(raw, SECRET), "Content-Type": "application/json"}
        assert webhook.post("/webhook", data=raw, headers=headers).status_code == 200


def test_a_broadcast_killed_half_way_and_restarted_sends_each_message_once(
    tmp_path: Path, mock_graph: tuple[ServerHandle, Any, LostAnswer]
) -> None:
    handle, store, lost = mock_graph
    database = f"sqlite:///{tmp_path / 'shop.db'}"
    business_file = tmp_path / "business.yaml"
    business_file.write_text(
        shop_yaml(rate="80", messaging_limit="unlimited", lease="2s", doubt_period="30s"),
        encoding="utf-8",
    )
    business = load_business(business_file)
    engine = make_engine(database)
    reset_schema(engine)
    numbers = [f"4915{i:07d}" for i in range(CUSTOMERS)]
    with transaction(engine) as session:
        session.add_all(Contact(wa_id=n, name=f"Customer {n[-4:]}") for n in numbers)
    with transaction(engine) as session:
        made = create(
            session,
            business,
            title="Spring sale",
            template="spring_sale",
            params={"code": "SPRING10"},
            segment=Segment(),
            created_by="test",
            now=utcnow(),
        )
        assert made.id == 1
    environ = {
        **os.environ,
        "DATABASE_URL": database,
        "WHATSAPP_ACCESS_TOKEN": TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "WHATSAPP_API_BASE_URL": handle.url,
        "WHATSAPP_APP_SECRET": SECRET,
    }
    started = time.monotonic()

    first = _send(environ, business_file)
    assert lost.held.wait(120), first.communicate()  # half accepted, the last answer not sent
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    killed_at = len(store.requests())
    assert CUSTOMERS // 2 <= killed_at < CUSTOMERS
    lost_data = lost.body["biz_opaque_callback_data"]
    (answer_lost,) = [
        r for r in store.requests() if r.json["biz_opaque_callback_data"] == lost_data
    ]

    # Meta's statuses for what it accepted, through the signed webhook, as Meta would send them:
    # all but the last one's, which comes late.
    config = Config(
        access_token=TOKEN,
        phone_number_id=PHONE_NUMBER_ID,
        app_secret=SECRET,
        api_base_url=handle.url,
        database_url=database,
    )
    runtime = make_runtime(config, inline=True, engine=engine, business=business)
    webhook = make_app(runtime, config, business).test_client()
    accepted = [r for r in store.requests() if r is not answer_lost]
    _deliver(webhook, _statuses(accepted, "sent"))
    _deliver(webhook, _statuses(accepted, "delivered"))
    time.sleep(2.5)  # the dead sender's lease (2 s) has run out

    second = _send(environ, business_file)
    row_id = int(lost_data.removeprefix(outbox.CALLBACK_PREFIX))
    deadline = time.monotonic() + 60
    while _lease_of(engine, row_id) != outbox.IN_DOUBT:  # the restarted sender holds it
        assert second.poll() is None, second.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    _deliver(webhook, _statuses([answer_lost], "sent"))  # its status, late: it was sent
    out, err = second.communicate(timeout=180)
    assert second.returncode == 0, err.decode()
    elapsed = time.monotonic() - started
    assert "were being sent when their sender stopped" in err.decode()

    sends = [r for r in store.requests() if r.kind == "message"]
    per_customer = Counter(r.to for r in sends)
    assert sorted(per_customer) == numbers
    assert set(per_customer.values()) == {1}  # each customer exactly once
    assert "broadcast #1 done" in out.decode()
    assert "sent:       2000" in out.decode()
    _deliver(webhook, _statuses([answer_lost, *sends[killed_at:]], "delivered"))
    with read_session(engine) as session:
        result = report(session, find(session, 1), timedelta(hours=24))
    assert (result.sent, result.delivered, result.pending, result.failed_total) == (
        CUSTOMERS,
        CUSTOMERS,
        0,
        0,
    )
    print(  # the duration the report asks for
        f"\n{CUSTOMERS} customers, killed after {killed_at} accepted (the last answer lost), "
        f"resumed: {elapsed:.1f} s in all"
    )
    runtime.engine.dispose()


def _lease_of(engine: Any, row_id: int) -> str | None:
    with read_session(engine) as session:
        row = session.get(OutboxMessage, row_id)
    return None if row is None else row.lease
