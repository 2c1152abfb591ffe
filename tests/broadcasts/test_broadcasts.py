"""Broadcasts: making one, its segments, pacing within the rate and the messaging limit,
sending through the outbox, Meta's 131049 and 131050, and the report."""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import responses
from click.testing import CliRunner
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot.client import CloudClient
from bot.config import Config
from bot.turn import NAME_LIMIT
from flows.features.booking.models import Booking
from flows.features.broadcasts import broadcasts as engine_
from flows.features.broadcasts.broadcasts import BroadcastError, create, expand, run
from flows.features.broadcasts.models import Broadcast, BroadcastRecipient
from flows.features.broadcasts.report import report
from flows.features.broadcasts.segments import Segment, audience_count
from flows.features.broadcasts.settings import broadcast_settings
from flows.features.business import (
    BusinessConfig,
    BusinessConfigError,
    check_business,
    load_business,
    parse_business,
)
from flows.features.consent.models import ConsentEvent, record
from flows.features.customers.tags import add_tag
from flows.features.shop.models import Order, OrderLine
from storage.db import read_session, transaction
from storage.errors import ConfigError
from storage.models import InboundUpdate, OutboxMessage
from storage.statuses import record_status
from tests.broadcasts.kit import NOW, add_customer, shop_yaml
from tests.console.consolekit import SHOP
from tests.helpers import Clock, load_payload
from webhooks._cli_flows import validate
from webhooks.bootstrap import make_handler
from webhooks.mockgraph import graph_error, sent_reply


def make(engine: Engine, business: BusinessConfig, **kw: Any) -> int:
    """A draft broadcast of ``spring_sale`` to everyone (or ``kw``); returns its id."""
    args: dict[str, Any] = dict(
        title="Spring sale",
        template="spring_sale",
        params={"code": "SPRING10"},
        segment=Segment(),
        created_by="test",
        now=NOW,
    )
    args.update(kw)
    with transaction(engine) as session:
        return create(session, business, **args).id or 0


def customers(engine: Engine, count: int, **kw: Any) -> list[str]:
    numbers = [f"3460000{i:04d}" for i in range(count)]
    with transaction(engine) as session:
        for number in numbers:
            add_customer(session, number, f"C{number[-4:]}", **kw)
    return numbers


# -- making one --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"template": "nope"}, "unknown template 'nope'"),
        ({"params": {}}, "needs a value for parameter 'code'"),
        ({"params": {"code": "X", "colour": "red"}}, "has no parameter 'colour'"),
        ({"params": {"code": "x" * 1001}}, "longer than 1000"),
        ({"title": "  "}, "title must be"),
        ({"segment": Segment(bought="ghost")}, "unknown product 'ghost'"),
        ({"segment": Segment(booked="ghost")}, "unknown service 'ghost'"),
        ({"segment": Segment(active_days=0)}, "active days must be 1 to 3650"),
        ({"segment": Segment(tags=("no way!",))}, "a tag is made of"),
    ],
    ids=[
        "unknown-template", "missing-param", "unknown-param", "long-param", "no-title",
        "unknown-product", "unknown-service", "bad-days", "bad-tag",
    ],
)  # fmt: skip
def test_bad_broadcasts_are_refused_with_the_reason(
    engine: Engine, business: BusinessConfig, changes: dict[str, Any], error: str
) -> None:
    with pytest.raises(BroadcastError, match=error):
        make(engine, business, **changes)


def test_a_broadcast_is_a_marketing_draft_with_name_filled_per_customer(
    engine: Engine, business: BusinessConfig
) -> None:
    broadcast_id = make(engine, business)
    with read_session(engine) as session:
        made = session.get(Broadcast, broadcast_id)
    assert made is not None
    assert (made.state, made.category, made.language) == ("draft", "marketing", "en_GB")
    assert made.params == {"name": "{name}", "code": "SPRING10"}  # name: the customer's


def test_a_long_profile_name_is_cut_as_every_message_shows_it(
    engine: Engine, business: BusinessConfig
) -> None:
    broadcast_id = make(engine, business)
    with read_session(engine) as session:
        made = session.get(Broadcast, broadcast_id)
    assert made is not None

    message = engine_.payload(made, "34600000001", "Ana " * 500, broadcast_settings(business))

    first = message["template"]["components"][0]["parameters"][0]["text"]
    assert first.startswith("Ana Ana")
    assert first.endswith("…")
    assert len(first) == NAME_LIMIT
    padded = engine_.payload(made, "34600000001", " " * 70 + "Bob", broadcast_settings(business))
    assert padded["template"]["components"][0]["parameters"][0]["text"] == "Bob"


# -- segments ----------------------------------------------------------------------------------


def _order(session: Any, wa_id: str, product: str, status: str) -> None:
    order = Order(number=f"BK-{wa_id[-4:]}", wa_id=wa_id, status=status, currency="EUR")
    session.add(order)
    session.flush()
    session.add(
        OrderLine(order_id=order.id, product_id=product, title=product, quantity=1, line_total=100)
    )


def _referral(session: Any, wa_id: str, source_id: str) -> None:
    value = load_payload("inbound", "text.json")["entry"][0]["changes"][0]["value"]
    message = {**value["messages"][0], "from": wa_id, "referral": {"source_id": source_id}}
    session.add(
        InboundUpdate(
            dedupe_key=f"message:ad-{wa_id}",
            kind="message",
            field="messages",
            wa_id=wa_id,
            value={**value, "messages": [message]},
            state="done",
        )
    )


@pytest.fixture
def crowd(engine: Engine) -> None:
    """Seven customers: tagged, opted in, buyers, a booker, an ad's, an opted-out VIP."""
    with transaction(engine) as session:
        add_customer(session, "100", "Vip", last_inbound_at=NOW - timedelta(days=1))
        add_customer(session, "101", "Opted")
        add_customer(session, "102", "Buyer", last_inbound_at=NOW - timedelta(days=40))
        add_customer(session, "103", "Booker", last_inbound_at=None)
        add_customer(session, "104", "FromAd")
        gone = add_customer(session, "105", "Gone")
        for wa_id in ("100", "105"):
            add_tag(session, wa_id, "VIP", NOW)
        opted = add_customer(session, "106", "InAgain")
        record(session, opted, "out", "keyword", NOW - timedelta(days=9))
        record(session, opted, "in", "keyword", NOW - timedelta(days=8))
        record(session, gone, "out", "keyword", NOW - timedelta(days=2))
        _order(session, "102", "choc", "delivered")
        _order(session, "101", "choc", "pending_payment")  # not bought: unpaid
        session.add(
            Booking(wa_id="103", service="tasting", resource="lucia", start_at=NOW, end_at=NOW)
        )
        _referral(session, "104", "ad-123")


@pytest.mark.parametrize(
    ("segment", "expected"),
    [
        (Segment(), {"100", "101", "102", "103", "104", "105", "106"}),
        (Segment(tags=("vip",)), {"100", "105"}),
        (Segment(opted_in=True), {"106"}),
        (Segment(bought="choc"), {"102"}),
        (Segment(booked="tasting"), {"103"}),
        (Segment(active_days=7), {"100", "101", "104", "105", "106"}),
        (Segment(ad="ad-123"), {"104"}),
        (Segment(tags=("vip",), active_days=2), {"100"}),
        (Segment(bought="choc", active_days=7), set()),
    ],
    ids=["all", "tag", "opted-in", "bought", "booked", "active", "ad", "tag+active", "none"],
)
def test_segments_pick_their_customers_whatever_their_consent(
    engine: Engine, crowd: None, segment: Segment, expected: set[str]
) -> None:
    from flows.features.broadcasts.segments import audience_batch

    with read_session(engine) as session:
        found = {c.wa_id for c in audience_batch(session, segment, NOW, after=0, limit=100)}
        assert audience_count(session, segment, NOW) == len(expected)
    assert found == expected


# -- pacing ------------------------------------------------------------------------------------


def _expand(engine: Engine, business: BusinessConfig, broadcast_id: int, seconds: float) -> Any:
    with transaction(engine) as session:
        broadcast = engine_.find(session, broadcast_id)
        engine_.begin(session, broadcast, NOW)
        return expand(session, business, broadcast, NOW, horizon=timedelta(seconds=seconds))


def test_messages_are_paced_at_the_rate_and_queued_once(
    engine: Engine, business: BusinessConfig
) -> None:
    customers(engine, 25)
    broadcast_id = make(engine, business)
    first = _expand(engine, business, broadcast_id, 1.0)  # rate 10/s: ten go out in a second
    again = _expand(engine, business, broadcast_id, 1.0)  # nothing more is due in that second
    assert (first.queued, again.queued) == (10, 0)
    with read_session(engine) as session:
        rows = session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
    gaps = {(b.next_attempt_at - a.next_attempt_at) for a, b in itertools.pairwise(rows)}
    assert gaps == {timedelta(seconds=0.1)}
    assert rows[0].payload["biz_opaque_callback_data"] == f"waflow-outbox:{rows[0].id}"
    assert all(r.category == "marketing" for r in rows)
    more = _expand(engine, business, broadcast_id, 10.0)
    assert more.queued == 15
    with read_session(engine) as session:
        recipients = session.exec(select(BroadcastRecipient.wa_id)).all()
        made = session.get(Broadcast, broadcast_id)
    assert len(recipients) == len(set(recipients)) == 25
    assert made is not None
    assert made.expanded


@pytest.mark.parametrize("business", [{"messaging_limit": "3"}], indirect=True)
def test_the_messaging_limit_holds_out_of_window_customers_back(
    engine: Engine, business: BusinessConfig
) -> None:
    customers(engine, 2, last_inbound_at=NOW - timedelta(hours=2))  # in their window: free
    customers_out = [f"3470000{i:04d}" for i in range(5)]
    with transaction(engine) as session:
        for number in customers_out:
            add_customer(session, number, last_inbound_at=None)
    broadcast_id = make(engine, business)
    done = _expand(engine, business, broadcast_id, 3600)
    assert (done.queued, done.waiting) == (2 + 3, True)
    with read_session(engine) as session:
        made = session.get(Broadcast, broadcast_id)
    assert made is not None
    assert not made.expanded


# -- sending -----------------------------------------------------------------------------------


def _sleeping(clock: Clock) -> Any:
    def sleep(seconds: float) -> None:
        clock.now += timedelta(seconds=seconds)

    return sleep


def test_send_runs_until_done_and_reports_it(
    engine: Engine,
    business: BusinessConfig,
    cloud_client: CloudClient,
    sent: list[dict[str, Any]],
    clock: Clock,
) -> None:
    numbers = customers(engine, 12)
    broadcast_id = make(engine, business)
    seen: list[int] = []
    state = run(
        engine,
        business,
        broadcast_id,
        cloud_client,
        clock=clock,
        sleep=_sleeping(clock),
        on_progress=lambda p: seen.append(p.finished),
    )
    assert state == "done"
    assert sorted(b["to"] for b in sent) == numbers
    first = sent[0]["template"]
    assert first["name"] == "spring_sale"
    assert first["components"][0]["parameters"] == [
        {"type": "text", "text": "C0000"},
        {"type": "text", "text": "SPRING10"},
    ]
    assert all(b["biz_opaque_callback_data"].startswith("waflow-outbox:") for b in sent)
    assert seen[-1] == 12
    assert seen == sorted(seen)
    with read_session(engine) as session:
        made = engine_.find(session, broadcast_id)
        result = report(session, made, timedelta(hours=24))
    assert (result.audience, result.sent, result.failed_total, result.pending) == (12, 12, 0, 0)


def test_131049_is_not_retried_and_131050_records_an_opt_out(
    engine: Engine,
    business: BusinessConfig,
    cloud_client: CloudClient,
    graph: responses.RequestsMock,
    config: Config,
    clock: Clock,
) -> None:
    customers(engine, 3)
    calls: list[str] = []

    def answer(request: Any) -> tuple[int, dict[str, str], str]:
        to = json.loads(request.body)["to"]
        calls.append(to)
        codes = {"34600000000": 131049, "34600000001": 131050}
        if to in codes:
            body, status = graph_error(codes[to])
            return status, {}, json.dumps(body)
        return 200, {}, json.dumps(sent_reply(to, f"wamid.{to}"))

    graph.add_callback(responses.POST, config.messages_url, callback=answer)
    broadcast_id = make(engine, business)
    assert (
        run(engine, business, broadcast_id, cloud_client, clock=clock, sleep=_sleeping(clock))
        == "done"
    )
    assert sorted(calls) == ["34600000000", "34600000001", "34600000002"]  # each once
    with read_session(engine) as session:
        result = report(session, engine_.find(session, broadcast_id), timedelta(hours=24))
        events = session.exec(select(ConsentEvent)).all()
    assert result.sent == 1
    assert result.failed == {"131049": 1, "131050": 1}
    assert [(e.wa_id, e.opted, e.source) for e in events] == [("34600000001", "out", "meta")]


def test_cancel_withdraws_what_is_not_sent(engine: Engine, business: BusinessConfig) -> None:
    customers(engine, 5)
    broadcast_id = make(engine, business)
    _expand(engine, business, broadcast_id, 3600)
    with transaction(engine) as session:
        withdrawn = engine_.cancel(session, engine_.find(session, broadcast_id), NOW)
    assert withdrawn == 5
    with read_session(engine) as session:
        states = set(session.exec(select(OutboxMessage.state)).all())
        result = report(session, engine_.find(session, broadcast_id), timedelta(hours=24))
    assert states == {"cancelled"}
    assert result.cancelled == 5
    with pytest.raises(BroadcastError, match="already cancelled"), transaction(engine) as session:
        engine_.cancel(session, engine_.find(session, broadcast_id), NOW)


def test_the_bots_task_starts_a_scheduled_broadcast_when_it_is_due(
    engine: Engine, business: BusinessConfig
) -> None:
    customers(engine, 3)
    broadcast_id = make(engine, business)
    with transaction(engine) as session:
        engine_.schedule(
            session, engine_.find(session, broadcast_id), NOW + timedelta(hours=1), NOW
        )
    assert engine_.broadcast_task(engine, business, NOW) is False  # not yet
    assert engine_.broadcast_task(engine, business, NOW + timedelta(hours=1)) is True
    with read_session(engine) as session:
        made = engine_.find(session, broadcast_id)
        queued = session.exec(select(OutboxMessage.next_attempt_at)).all()
    assert made.state == "sending"
    assert made.audience == 3
    assert sorted(queued)[0] == NOW + timedelta(hours=1)


def test_a_late_failed_status_with_131049_is_reported_by_its_code(
    engine: Engine,
    business: BusinessConfig,
    cloud_client: CloudClient,
    sent: list[dict[str, Any]],
    clock: Clock,
) -> None:
    customers(engine, 2)
    broadcast_id = make(engine, business)
    run(engine, business, broadcast_id, cloud_client, clock=clock, sleep=_sleeping(clock))
    with transaction(engine) as session:
        wamids = session.exec(select(OutboxMessage.wamid).order_by(col(OutboxMessage.id))).all()
        record_status(session, wamids[0] or "", "failed", at=NOW, errors=[{"code": 131049}])
        record_status(session, wamids[1] or "", "read", at=NOW)
    with read_session(engine) as session:
        result = report(session, engine_.find(session, broadcast_id), timedelta(hours=24))
        states = session.exec(select(OutboxMessage.state)).all()
    assert (result.sent, result.delivered, result.read, result.failed) == (2, 1, 1, {"131049": 1})
    assert states == ["sent", "sent"]  # nothing queued again


APPROVED = """\
templates:
  language: en_GB
  approved:
    - {name: spring_sale, category: marketing, params: [name, code]}
    - {name: otp, category: authentication, params: [code]}
    - {name: follow_up, category: marketing, params: [name]}
"""
WRONG = """
    - spring_sael
    - otp
    - {name: follow_up, params: [x]}
    - spring_sale
    - {name: spring_sale, language: en_GB}"""


def _with_approved(templates: str) -> str:
    return shop_yaml(templates).replace("templates:\n  language: en_GB\n", APPROVED)


def test_every_broadcast_template_mistake_is_found_when_the_file_loads() -> None:
    text = _with_approved(WRONG)
    _, errors = check_business(text, "shop.yaml")
    first = text.splitlines().index("    - spring_sael") + 1
    assert [(e.line, e.path) for e in errors] == [
        (first, "broadcasts.templates[0]"),
        (first + 1, "broadcasts.templates[1]"),
        (first + 2, "broadcasts.templates[2].params"),
        (first + 4, "broadcasts.templates[4]"),
    ]
    assert [e.message for e in errors] == [
        "template 'spring_sael' is not declared; did you mean 'spring_sale'? (declared: "
        "follow_up, order_update, otp, spring_sale); declare it under templates.approved",
        "template 'otp' (declared at templates.approved[1]) is an authentication template: "
        "Meta allows those for one-time passcodes only, so a broadcast needs a utility or "
        "marketing template",
        "template 'follow_up' (en_GB) is declared twice with different params: [name] at "
        "templates.approved[2], [x] here",
        "template 'spring_sale' (en_GB) is listed twice (also at broadcasts.templates[3])",
    ]


@pytest.mark.parametrize(
    ("templates", "error"),
    [
        ("[ghost]", "template 'ghost' is not declared (declared: order_update)"),
        ("[{name: order_update, params: [code]}]", "declared twice with different params"),
        ("[{name: otp, params: [code], category: authentication}]", "an authentication template"),
    ],
    ids=["undeclared", "declared-differently", "authentication"],
)
def test_broadcast_templates_must_be_declared_once(templates: str, error: str) -> None:
    with pytest.raises(BusinessConfigError, match=re.escape(error)) as caught:
        parse_business(shop_yaml(templates), "shop.yaml")
    assert caught.value.path is not None
    assert caught.value.path.startswith("broadcasts.templates[0]")
    assert caught.value.line == 73


def test_the_templates_of_the_other_sections_are_checked_first() -> None:
    text = _with_approved(WRONG).replace("  rate: 10", "  rate: fast")
    _, errors = check_business(text, "shop.yaml")
    assert [e.path for e in errors] == ["broadcasts.rate"]  # the rest once the section reads


def test_waflow_validate_reports_the_broadcast_templates(tmp_path: Path) -> None:
    bad = tmp_path / "shop.yaml"
    bad.write_text(_with_approved(WRONG), encoding="utf-8")
    result = CliRunner().invoke(validate, ["--business", str(bad)], env={"WAFLOW_HOOKS": ""})
    assert result.exit_code == 2
    assert "has 4 mistakes:" in result.output
    assert result.output.count(f"{bad}:") == 4
    assert "0 errors" not in result.output


def test_a_broadcast_template_declared_here_takes_marketing() -> None:
    text = _with_approved("[spring_sale, {name: news, params: [code]}, {name: otp2, params: []}]")
    settings = broadcast_settings(parse_business(text, "shop.yaml"))
    assert [(t.name, t.category, t.params) for t in settings.templates] == [
        ("spring_sale", "marketing", ("name", "code")),
        ("news", "marketing", ("code",)),
        ("otp2", "marketing", ()),
    ]


def test_a_broadcast_template_may_name_an_approved_one(engine: Engine) -> None:
    settings = broadcast_settings(load_business(SHOP / "business.yaml"))
    (ref,) = settings.templates
    assert (ref.name, ref.language, ref.category, ref.params) == (
        "spring_sale", "en_GB", "marketing", ("name", "code"),
    )  # fmt: skip


def test_settings_not_checked_by_the_loader_are_refused_when_read() -> None:
    business = parse_business(shop_yaml(), "shop.yaml")
    unchecked = dataclasses.replace(business, broadcasts={"templates": [{"name": "ghost"}]})
    with pytest.raises(ConfigError, match=re.escape("broadcasts.templates[0]: template 'ghost'")):
        make_handler(Config(access_token="t", phone_number_id="1"), unchecked)
