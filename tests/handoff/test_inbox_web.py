"""The inbox pages over HTTP: logins, roles, CSRF, replies, actions, polling, the media proxy."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import responses
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot import messages, simulate
from bot.client import SandboxClient
from bot.config import Config
from flows.features.business import parse_business
from flows.features.console import AuditEvent, add_staff
from flows.features.handoff import inbox
from flows.features.handoff.handoff import console_link
from flows.features.handoff.models import SavedReply, StaffReply
from storage import outbox
from storage.db import read_session, transaction
from storage.models import Contact, OutboxMessage, utcnow
from tests.console.consolekit import OWNER, SHOP, Login, csrf_of
from tests.helpers import load_payload
from webhooks.bootstrap import load_business_config, make_app, make_runtime
from webhooks.signature import SIGNATURE_HEADER, sign

CUSTOMER = "34611222333"
# The console's fixtures: the example shop on both databases, and logged-in clients.


def deliver(app: Flask, body: dict[str, Any]) -> None:
    """A webhook body, processed at once (the shop app runs inline, unsigned)."""
    answer = app.test_client().post(
        "/webhook", data=json.dumps(body), content_type="application/json"
    )
    assert answer.status_code == 200


def contact_id(engine: Engine, wa_id: str = CUSTOMER) -> int:
    with read_session(engine) as session:
        return int(session.exec(select(Contact).where(Contact.wa_id == wa_id)).one().id or 0)


def post(client: FlaskClient, path: str, **form: str) -> Any:
    """POST a console form with a fresh CSRF token."""
    return client.post(path, data={"csrf_token": csrf_of(client, "/console/inbox"), **form})


def flashed(client: FlaskClient, answer: Any) -> str:
    """The flash messages on the page a 303 leads to."""
    assert answer.status_code == 303, answer.get_data(as_text=True)[:300]
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    return " ".join(re.findall(r'<p class="flash[^>]*>([^<]*)</p>', page))


def test_the_inbox_needs_a_login(shop_app: Flask) -> None:
    for path in ("/console/inbox", "/console/inbox/poll", "/console/inbox/1"):
        answer = shop_app.test_client().get(path)
        assert answer.status_code == 302
        assert answer.headers["Location"].startswith("/console/login")


def test_a_customer_asking_for_a_person_comes_first_and_the_poll_sees_new_messages(
    shop_app: Flask, shop_engine: Engine, logged_in: Login
) -> None:
    deliver(shop_app, simulate.text("34611999888", "hi", name="Early"))
    deliver(shop_app, simulate.text(CUSTOMER, "talk to a person", name="Ana"))
    deliver(shop_app, simulate.text("34611777666", "hi", name="Late"))
    agent = logged_in("agent")

    page = agent.get("/console/inbox").get_data(as_text=True)

    names = re.findall(r'/console/inbox/\d+">([^<]*)</a>', page)
    assert names == ["Ana", "Late", "Early"]
    assert "waiting for a person" in page
    stamp = re.search(r'data-stamp="([0-9a-f]+)"', page)
    assert stamp is not None
    assert agent.get("/console/inbox/poll").get_json() == {"stamp": stamp.group(1), "waiting": 1}

    deliver(shop_app, simulate.text(CUSTOMER, "hello? <b>anyone</b>", name="Ana"))

    assert agent.get("/console/inbox/poll").get_json()["stamp"] != stamp.group(1)
    transcript = agent.get(f"/console/inbox/{contact_id(shop_engine)}").get_data(as_text=True)
    assert "hello? &lt;b&gt;anyone&lt;/b&gt;" in transcript
    assert "bot paused" in transcript


def test_a_search_reaches_customers_past_the_cut_and_the_poll_keeps_it(
    shop_app: Flask, shop_engine: Engine, logged_in: Login
) -> None:
    deliver(shop_app, simulate.text(CUSTOMER, "hi", name="Ana <i>"))
    later = utcnow() + timedelta(minutes=1)
    with transaction(shop_engine) as session:  # a list's worth of customers who wrote later
        session.add_all(
            Contact(wa_id=f"3461000{n:04d}", name=f"Later {n}", last_inbound_at=later)
            for n in range(inbox.LIST_LIMIT)
        )
    agent = logged_in("agent")

    page = agent.get("/console/inbox").get_data(as_text=True)
    names = re.findall(r'/console/inbox/\d+">([^<]*)</a>', page)
    assert len(names) == inbox.LIST_LIMIT
    assert "Ana &lt;i&gt;" not in names
    assert "Showing the 200 most recent; search to find others." in page
    assert '<form method="get" class="toolbar" id="inbox-search" role="search">' in page

    page = agent.get("/console/inbox?q=ana+%3Ci").get_data(as_text=True)
    assert re.findall(r'/console/inbox/\d+">([^<]*)</a>', page) == ["Ana &lt;i&gt;"]
    assert 'value="ana &lt;i"' in page
    assert "search to find others" not in page
    poll = re.search(r'data-poll="([^"]+)"', page)
    assert poll is not None
    assert poll.group(1) == "/console/inbox/poll?q=ana+%3Ci"
    assert agent.get(poll.group(1).replace("&amp;", "&")).get_json()["waiting"] == 0

    page = agent.get("/console/inbox?q=" + "611 222").get_data(as_text=True)
    assert re.findall(r'/console/inbox/\d+">([^<]*)</a>', page) == ["Ana &lt;i&gt;"]
    page = agent.get("/console/inbox?q=%25").get_data(as_text=True)
    assert "No customer's name or number holds “%”." in page


def test_the_staff_alerts_link_opens_the_customers_conversation(
    shop_app: Flask, shop_engine: Engine, logged_in: Login
) -> None:
    deliver(shop_app, simulate.text(CUSTOMER, "talk to a person", name="Ana"))
    business = parse_business((SHOP / "business.yaml").read_text(), "business.yaml")
    settings = business.handoff.model_copy(update={"console_url": "https://miga.example"})
    with read_session(shop_engine) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == CUSTOMER)).one()
    link = console_link(replace(business, handoff=settings), contact)
    assert link is not None

    page = logged_in("agent").get(urlsplit(link).path)

    assert page.status_code == 200
    assert "talk to a person" in page.get_data(as_text=True)


def test_a_reply_needs_its_csrf_token(
    shop_app: Flask, shop_engine: Engine, logged_in: Login
) -> None:
    deliver(shop_app, simulate.text(CUSTOMER, "hi"))
    agent = logged_in("agent")

    answer = agent.post(f"/console/inbox/{contact_id(shop_engine)}/reply", data={"text": "Hi"})

    assert answer.status_code == 400
    with read_session(shop_engine) as session:
        assert session.exec(select(StaffReply)).all() == []


def test_a_reply_is_sent_marked_as_the_staff_members_and_audited(
    shop_app: Flask, shop_engine: Engine, logged_in: Login
) -> None:
    deliver(shop_app, simulate.text(CUSTOMER, "hi"))
    agent = logged_in("agent")
    cid = contact_id(shop_engine)

    answer = post(agent, f"/console/inbox/{cid}/reply", text="Hello <Ana>")

    assert flashed(agent, answer) == "Reply queued."
    with read_session(shop_engine) as session:
        (reply,) = session.exec(select(StaffReply)).all()
        row = session.get(OutboxMessage, reply.outbox_id)
        actions = [a.action for a in session.exec(select(AuditEvent))]
    assert row is not None
    assert row.payload["text"]["body"] == "Hello <Ana>"
    assert row.state == "sent"  # after_commit woke the sender
    assert "inbox.reply" in actions
    page = agent.get(f"/console/inbox/{cid}").get_data(as_text=True)
    assert "agent@bakery.test" in page
    assert "Hello &lt;Ana&gt;" in page


def stop_marketing(wa_id: str) -> dict[str, Any]:
    """The ``user_preferences`` stop payload file, readdressed to ``wa_id``."""
    payload = load_payload("inbound", "user_preferences_stop.json")
    value = payload["entry"][0]["changes"][0]["value"]
    value["contacts"][0]["wa_id"] = value["user_preferences"][0]["wa_id"] = wa_id
    return payload


def test_a_marketing_template_to_an_opted_out_customer_shows_as_not_sent(
    shop_app: Flask, shop_engine: Engine, logged_in: Login
) -> None:
    deliver(shop_app, stop_marketing(CUSTOMER))
    owner = logged_in("owner")
    cid = contact_id(shop_engine)
    form = {
        "csrf_token": csrf_of(owner, "/console/inbox"),
        "template": "feedback_invite",  # survey_invite: marketing by default
        "value": ["Ana", "Bella"],
    }

    answer = owner.post(f"/console/inbox/{cid}/reply", data=form)

    assert flashed(owner, answer) == "Reply queued."
    with read_session(shop_engine) as session:
        (row,) = session.exec(select(OutboxMessage)).all()
    assert (row.state, row.category, row.wamid) == ("suppressed", "marketing", None)
    assert row.last_error == outbox.SUPPRESSED
    page = owner.get(f"/console/inbox/{cid}").get_data(as_text=True)
    assert "not sent: opted out of marketing" in page
    assert "✓ sent" not in page


def test_a_held_message_shows_as_held_in_the_inbox(
    shop_app: Flask, shop_engine: Engine, logged_in: Login
) -> None:
    deliver(shop_app, simulate.text(CUSTOMER, "hi", name="Ana"))
    with transaction(shop_engine) as session:
        book = messages.document(CUSTOMER, link="https://miga.example/b.pdf", filename="b.pdf")
        outbox.enqueue(session, CUSTOMER, [book], held=True)
    owner = logged_in("owner")

    page = owner.get(f"/console/inbox/{contact_id(shop_engine)}").get_data(as_text=True)

    assert "held: sent when the customer next writes" in page


@pytest.mark.parametrize(
    ("path", "form", "message"),
    [
        ("action", {"action": "assign", "assignee": "not a number"}, "Choose a member of staff"),
        ("action", {"action": "assign", "assignee": "999"}, "Choose a member of staff"),
        ("action", {"action": "dance"}, "Unknown action."),
        ("action", {"action": "release"}, "nothing to release"),
        ("action", {"action": "resume"}, "not paused"),
        ("reply", {"text": "", "saved": "x"}, "no longer exists"),
        ("reply", {"text": "  "}, "Write a reply"),
        ("reply", {"text": "x" * 5000}, "WhatsApp would refuse"),
        ("note", {"note": ""}, "A note has 1 to 2000 characters."),
    ],
)
def test_bad_form_values_are_refused_with_a_message_not_an_error(
    shop_app: Flask,
    shop_engine: Engine,
    logged_in: Login,
    path: str,
    form: dict[str, str],
    message: str,
) -> None:
    deliver(shop_app, simulate.text(CUSTOMER, "hi"))
    owner = logged_in("owner")

    answer = post(owner, f"/console/inbox/{contact_id(shop_engine)}/{path}", **form)

    assert message in flashed(owner, answer)
    with read_session(shop_engine) as session:
        assert session.exec(select(StaffReply)).all() == []


def test_an_unknown_customer_is_a_404_page(logged_in: Login) -> None:
    owner = logged_in("owner")
    assert owner.get("/console/inbox/4242").status_code == 404
    assert post(owner, "/console/inbox/4242/action", action="claim").status_code == 404


def test_take_then_give_back_to_the_bot(
    shop_app: Flask, shop_engine: Engine, logged_in: Login
) -> None:
    deliver(shop_app, simulate.text(CUSTOMER, "hi"))
    agent = logged_in("agent")
    cid = contact_id(shop_engine)

    assert "The conversation is yours" in flashed(
        agent, post(agent, f"/console/inbox/{cid}/action", action="claim")
    )
    assert "You already have" in flashed(
        agent, post(agent, f"/console/inbox/{cid}/action", action="claim")
    )
    assert "they were told" in flashed(
        agent, post(agent, f"/console/inbox/{cid}/action", action="release")
    )
    with read_session(shop_engine) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == CUSTOMER)).one()
        last = session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id).desc())).first()
    assert not contact.paused
    assert last is not None
    assert last.payload["text"]["body"].startswith("You're chatting with our assistant again")


def test_outside_the_window_the_page_offers_the_templates_only(
    shop_app: Flask, shop_engine: Engine, logged_in: Login
) -> None:
    with transaction(shop_engine) as session:
        session.add(Contact(wa_id=CUSTOMER, name="Old friend"))
    owner = logged_in("owner")
    cid = contact_id(shop_engine)

    page = owner.get(f"/console/inbox/{cid}").get_data(as_text=True)

    assert 'name="text"' not in page
    assert re.findall(r'name="template" value="([a-z_]+)"', page) == [
        "follow_up",  # the example shop's own reply template first
        "order_update",
        "booking_reminder",
        "booking_update",
        "feedback_invite",
    ]  # never staff_handoff: that is the alert to staff
    answer = post(
        owner,
        f"/console/inbox/{cid}/reply",
        template="feedback_invite",
        value="Ana",
    )
    assert "Fill in every parameter" in flashed(owner, answer)
    answer = post(owner, f"/console/inbox/{cid}/reply", template="staff_handoff", value="Ana")
    assert "choose an approved template" in flashed(owner, answer)


def test_saved_replies_are_the_owners_and_fill_an_empty_reply(
    shop_app: Flask, shop_engine: Engine, logged_in: Login
) -> None:
    agent, owner = logged_in("agent"), logged_in("owner")
    assert agent.get("/console/inbox/saved").status_code == 403
    assert "Saved replies" not in agent.get("/console/inbox").get_data(as_text=True)

    answer = post(owner, "/console/inbox/saved", title="Hours", body="We open at 9.")
    assert flashed(owner, answer) == "Reply saved."
    assert "no longer exists" in flashed(
        owner, post(owner, "/console/inbox/saved", action="delete", id="nope")
    )
    deliver(shop_app, simulate.text(CUSTOMER, "when do you open?"))
    with read_session(shop_engine) as session:
        saved = session.exec(select(SavedReply)).one()
    cid = contact_id(shop_engine)
    assert 'data-body="We open at 9."' in agent.get(f"/console/inbox/{cid}").get_data(as_text=True)

    post(agent, f"/console/inbox/{cid}/reply", text="", saved=str(saved.id))

    with read_session(shop_engine) as session:
        (reply,) = session.exec(select(StaffReply)).all()
        row = session.get(OutboxMessage, reply.outbox_id)
    assert row is not None
    assert row.payload["text"]["body"] == "We open at 9."


# -- the media proxy, against a mocked Cloud API -------------------------------------------------

TOKEN = "media-test-token"
GRAPH = "https://graph.example.test"


@pytest.fixture
def cloud_app(tmp_path: Path) -> Iterator[Flask]:
    """The example shop with a Cloud API token (media downloads), its messages kept in a sandbox."""
    environ = {
        "WAFLOW_BUSINESS": str(SHOP / "business.yaml"),
        "WAFLOW_FLOWS": str(SHOP / "flows"),
        "WAFLOW_HOOKS": str(SHOP / "hooks.py"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shop.db'}",
        "WHATSAPP_ACCESS_TOKEN": TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": "106540352242922",
        "WHATSAPP_APP_SECRET": "media-test-secret",
        "WHATSAPP_VERIFY_TOKEN": "media-test-verify",
        "WHATSAPP_API_BASE_URL": GRAPH,
    }
    config = Config.from_env(environ, dotenv=None)
    business = load_business_config(config)
    runtime = make_runtime(config, business=business, inline=True, client=SandboxClient())
    with transaction(runtime.engine) as session:
        add_staff(session, OWNER[0], "owner", OWNER[1])
    app = make_app(runtime, config, business)
    app.extensions["waflow.test.engine"] = runtime.engine
    yield app
    runtime.engine.dispose()


def test_media_comes_through_the_proxy_and_only_the_customers_own(cloud_app: Flask) -> None:
    engine: Engine = cloud_app.extensions["waflow.test.engine"]
    picture = simulate.media(CUSTOMER, "image", caption="this cake")
    media_id = picture["entry"][0]["changes"][0]["value"]["messages"][0]["image"]["id"]
    document = simulate.media("34611000000", "document")
    theirs = document["entry"][0]["changes"][0]["value"]["messages"][0]["document"]["id"]
    with responses.RequestsMock() as graph:  # the bot's replies go to the sandbox
        for body in (picture, document):
            cloud_app.test_client().post(
                "/webhook",
                data=json.dumps(body),
                content_type="application/json",
                headers={SIGNATURE_HEADER: sign(json.dumps(body).encode(), "media-test-secret")},
            )
    client = cloud_app.test_client()
    token = csrf_of(client)
    client.post(
        "/console/login", data={"email": OWNER[0], "password": OWNER[1], "csrf_token": token}
    )
    cid = contact_id(engine)
    page = client.get(f"/console/inbox/{cid}").get_data(as_text=True)
    proxy = f"/console/inbox/{cid}/media/{media_id}"
    assert f'src="{proxy}"' in page
    assert "lookaside" not in page

    with responses.RequestsMock() as graph:
        lookaside = f"{GRAPH}/_media/{media_id}"
        graph.add(responses.GET, f"{GRAPH}/v23.0/{media_id}", json={"url": lookaside})
        graph.add(responses.GET, lookaside, body=b"JPEG", content_type="image/jpeg")
        answer = client.get(proxy)
        assert [c.request.headers["Authorization"] for c in graph.calls] == [f"Bearer {TOKEN}"] * 2

    assert answer.status_code == 200
    assert answer.data == b"JPEG"
    assert answer.mimetype == "image/jpeg"
    with responses.RequestsMock():  # no call to Meta for a media id that is not theirs
        assert client.get(f"/console/inbox/{cid}/media/{theirs}").status_code == 404
    assert cloud_app.test_client().get(proxy).status_code == 302  # a stranger: the login

    with responses.RequestsMock() as graph:
        graph.add(responses.GET, f"{GRAPH}/v23.0/{media_id}", status=404, json={"error": {}})
        failed = client.get(proxy)
    assert failed.status_code == 502
    assert "could not be downloaded" in failed.get_data(as_text=True)
