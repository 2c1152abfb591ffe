"""The inbox's rules on both databases: the list's order, transcripts, replies and staff actions."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot import messages, simulate
from bot.inbound import parse_payload
from flows.features.business import BusinessConfig, parse_business
from flows.features.console import AuditEvent, StaffUser, add_staff
from flows.features.handoff import inbox
from flows.features.handoff.handoff import BACK_TEXT, release
from flows.features.handoff.models import HandoffEvent, InboxThread, StaffReply
from storage import outbox
from storage.db import read_session, transaction
from storage.models import Contact, Conversation, InboundUpdate, MessageStatus, OutboxMessage
from tests.handoff.conftest import CUSTOMER, NOW, add_contact
from tests.helpers import load_payload

OTHER = "34600333444"
THIRD = "34600555666"


@pytest.fixture
def staff(engine: Engine) -> tuple[int, int]:
    """An owner and an agent: their ids."""
    with transaction(engine) as session:
        owner = add_staff(session, "owner@salon.test", "owner", "owner password 1")
        agent = add_staff(session, "agent@salon.test", "agent", "agent password 1")
        session.flush()
        assert owner.id is not None
        assert agent.id is not None
        return owner.id, agent.id


def store(engine: Engine, body: dict[str, Any], at: datetime) -> int:
    """Store one webhook body's update as the webhook does; its inbound id."""
    (update,) = parse_payload(body)
    with transaction(engine) as session:
        row = InboundUpdate(
            dedupe_key=update.dedupe_key,
            kind=update.kind,
            field=update.field,
            wa_id=update.wa_id,
            value=update.raw_value,
            received_at=at,
            state="done",
        )
        session.add(row)
        session.flush()
        return int(row.id or 0)


def echo(to: str, body: str) -> dict[str, Any]:
    """The echo payload file, readdressed: the owner wrote ``body`` from the Business app."""
    payload = copy.deepcopy(load_payload("inbound", "smb_message_echo.json"))
    item = payload["entry"][0]["changes"][0]["value"]["message_echoes"][0]
    item.update(to=f"+{to}", id=simulate.new_wamid(), text={"body": body})
    return payload


def queue(engine: Engine, wa_id: str, text: str, at: datetime, **fields: Any) -> int:
    """An outbox row to ``wa_id`` (the bot's unless a StaffReply says otherwise); its id."""
    with transaction(engine) as session:
        row = OutboxMessage(
            wa_id=wa_id, payload=messages.text(wa_id, text), created_at=at, **fields
        )
        session.add(row)
        session.flush()
        return int(row.id or 0)


def act(engine: Engine, staff_id: int, change: Any) -> Any:
    """Run ``change(session, contact, actor)`` for the customer in one transaction."""
    with transaction(engine) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == CUSTOMER)).one()
        actor = session.get(StaffUser, staff_id)
        return change(session, contact, actor)


def audits(engine: Engine) -> list[tuple[str, str]]:
    with read_session(engine) as session:
        return [
            (a.action, a.target) for a in session.exec(select(AuditEvent).order_by(AuditEvent.id))
        ]


def test_the_list_puts_waiting_customers_first_then_unread_then_the_rest(
    engine: Engine, staff: tuple[int, int]
) -> None:
    add_contact(engine, OTHER, wrote_ago=timedelta(minutes=1), name="Read")
    add_contact(engine, THIRD, wrote_ago=timedelta(minutes=2), name="Unread")
    waiting = add_contact(
        engine, CUSTOMER, wrote_ago=timedelta(minutes=30), name="Ana", paused=True
    )
    store(engine, simulate.text(OTHER, "thanks"), NOW - timedelta(minutes=1))
    store(engine, simulate.text(THIRD, "where is my order?"), NOW - timedelta(minutes=2))
    store(engine, simulate.text(CUSTOMER, "a person please"), NOW - timedelta(minutes=30))
    queue(engine, CUSTOMER, "Someone will answer soon.", NOW - timedelta(minutes=29))
    with transaction(engine) as session:
        other = session.exec(select(Contact).where(Contact.wa_id == OTHER)).one()
        inbox.mark_read(session, other)

    with read_session(engine) as session:
        listed = inbox.threads(session, NOW)

    assert [(t.contact.name, t.paused, t.unread) for t in listed] == [
        ("Ana", True, True),
        ("Unread", False, True),
        ("Read", False, False),
    ]
    first = listed[0]
    assert first.contact.id == waiting
    # The bot's "someone will answer" is no answer: she waits from her own message.
    assert first.waiting_since == NOW - timedelta(minutes=30)
    assert first.preview == "Someone will answer soon."
    assert listed[1].preview == "where is my order?"
    assert [t.waiting_since for t in listed[1:]] == [None, None]  # the bot answers them


def test_a_search_finds_any_customer_by_name_or_number_and_says_when_the_list_is_cut(
    engine: Engine,
) -> None:
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(days=400), name="Ana López")
    add_contact(engine, OTHER, wrote_ago=timedelta(minutes=1), name="100% Bea_b")
    add_contact(engine, THIRD, wrote_ago=timedelta(minutes=2), name="Carla")

    def found(search: str, limit: int = inbox.LIST_LIMIT) -> list[str | None]:
        with read_session(engine) as session:
            return [t.contact.name for t in inbox.threads(session, NOW, search=search, limit=limit)]

    def cut(search: str, limit: int) -> bool:
        with read_session(engine) as session:
            return inbox.cut(session, search=search, limit=limit)

    assert found("", limit=2) == ["100% Bea_b", "Carla"]  # the oldest is left out...
    assert cut("", 2)
    assert found("ana", limit=2) == ["Ana López"]  # ...and a search finds her
    assert not cut("ana", 2)
    assert not cut("", 3)
    assert found("ANA") == found("  ana ") == ["Ana López"]
    assert found("+34 600-111 222") == ["Ana López"]
    assert found("0% b") == ["100% Bea_b"]
    assert found("%") == found("_") == ["100% Bea_b"]  # wildcards are plain characters...
    assert found("C_rla") == found("An%z") == []  # ...matching no other character
    assert found("nobody") == []


def test_a_customer_with_a_person_who_was_answered_waits_no_more_and_ranks_by_recency(
    engine: Engine, staff: tuple[int, int], salon: BusinessConfig
) -> None:
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(minutes=30), name="Ana", paused=True)
    add_contact(engine, THIRD, wrote_ago=timedelta(minutes=2), name="Unread")
    store(engine, simulate.text(CUSTOMER, "a person please"), NOW - timedelta(minutes=30))
    store(engine, simulate.text(THIRD, "where is my order?"), NOW - timedelta(minutes=2))
    act(
        engine,
        staff[1],
        lambda s, c, a: inbox.send_reply(s, salon, c, a, NOW - timedelta(minutes=20), text="Hi"),
    )
    with transaction(engine) as session:
        inbox.mark_read(
            session, session.exec(select(Contact).where(Contact.wa_id == CUSTOMER)).one()
        )

    with read_session(engine) as session:
        listed = inbox.threads(session, NOW)

    assert [(t.contact.name, t.paused, t.waiting_since) for t in listed] == [
        ("Unread", False, None),
        ("Ana", True, None),  # with a person, answered: not waiting
    ]


def test_a_staff_reply_or_an_echo_ends_the_wait(engine: Engine, staff: tuple[int, int]) -> None:
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(minutes=5), paused=True)
    add_contact(engine, OTHER, wrote_ago=timedelta(minutes=5), paused=True)
    store(engine, simulate.text(CUSTOMER, "hello?"), NOW - timedelta(minutes=5))
    store(engine, simulate.text(OTHER, "hello?"), NOW - timedelta(minutes=5))
    reply = queue(engine, CUSTOMER, "Hi, Marta here", NOW - timedelta(minutes=1))
    with transaction(engine) as session:
        session.add(StaffReply(outbox_id=reply, staff_id=staff[1]))
    store(engine, echo(OTHER, "Hi, owner here"), NOW - timedelta(minutes=1))

    with read_session(engine) as session:
        listed = inbox.threads(session, NOW)

    assert [(t.contact.wa_id, t.waiting_since) for t in listed] == [
        (CUSTOMER, None),
        (OTHER, None),
    ]
    assert {t.preview for t in listed} == {"Hi, Marta here", "Hi, owner here"}


def test_the_transcript_shows_every_kind_of_message_with_its_author_and_tick(
    engine: Engine, staff: tuple[int, int], salon: BusinessConfig
) -> None:
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(minutes=1), name="Ana")
    at = NOW - timedelta(minutes=10)
    store(engine, simulate.text(CUSTOMER, "<script>alert(1)</script>"), at)
    store(engine, simulate.button_reply(CUSTOMER, "yes", "Yes please"), at + timedelta(seconds=1))
    store(
        engine,
        simulate.location(CUSTOMER, 40.4168, -3.7038, place="Sol"),
        at + timedelta(seconds=2),
    )
    picture = simulate.media(CUSTOMER, "image", caption="the cake")
    media_id = picture["entry"][0]["changes"][0]["value"]["messages"][0]["image"]["id"]
    store(engine, picture, at + timedelta(seconds=3))
    store(engine, echo(CUSTOMER, "Owner here"), at + timedelta(seconds=4))
    queue(engine, CUSTOMER, "Menu", at + timedelta(seconds=5), state="sent", wamid="w.1")
    mine = queue(engine, CUSTOMER, "Hi Ana", at + timedelta(seconds=6), state="sent", wamid="w.2")
    queue(engine, CUSTOMER, "Lost", at + timedelta(seconds=7), state="failed", last_error="131026")
    queue(engine, CUSTOMER, "Later", at + timedelta(seconds=8))
    queue(
        engine,
        CUSTOMER,
        "Spring sale",
        at + timedelta(seconds=9),
        state="suppressed",
        category="marketing",
        last_error=outbox.SUPPRESSED,
    )
    with transaction(engine) as session:
        session.add(StaffReply(outbox_id=mine, staff_id=staff[1]))
        session.add(MessageStatus(wamid="w.1", status="read", rank=3))
        errors = [{"code": 131047, "title": "Re-engagement message"}]
        session.add(MessageStatus(wamid="w.2", status="failed", rank=4, errors=errors))
        session.add(Conversation(wa_id=CUSTOMER, flow="booking", state="pick_day"))
    act(engine, staff[0], lambda s, c, a: inbox.add_note(s, c, a, "VIP customer", NOW))

    with read_session(engine) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == CUSTOMER)).one()
        view = inbox.transcript(session, contact, NOW)

    assert [(e.side, e.text, e.label, e.author, e.tick, e.error) for e in view.entries] == [
        ("customer", "<script>alert(1)</script>", "", None, None, None),
        ("customer", "Yes please", "button", None, None, None),
        ("customer", "Sol (40.41680, -3.70380)", "location", None, None, None),
        ("customer", "the cake", "image", None, None, None),
        ("owner", "Owner here", "", None, None, None),
        ("bot", "Menu", "", None, "read", None),
        ("staff", "Hi Ana", "", "agent@salon.test", "failed", "Re-engagement message"),
        ("bot", "Lost", "", None, "failed", "131026"),
        ("bot", "Later", "", None, "queued", None),
        ("bot", "Spring sale", "", None, "suppressed", outbox.SUPPRESSED),
        ("note", "VIP customer", "", "owner@salon.test", None, None),
    ]
    assert view.entries[3].media_id == media_id
    assert (view.flow, view.state, view.paused, view.window_open) == (
        "booking",
        "pick_day",
        False,
        True,
    )
    with read_session(engine) as session:
        assert inbox.has_media(session, contact, media_id)
        assert not inbox.has_media(session, contact, "999")


def test_media_of_another_customer_is_not_theirs(engine: Engine) -> None:
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(minutes=1))
    add_contact(engine, OTHER, wrote_ago=timedelta(minutes=1))
    picture = simulate.media(OTHER, "image")
    media_id = picture["entry"][0]["changes"][0]["value"]["messages"][0]["image"]["id"]
    store(engine, picture, NOW)

    with read_session(engine) as session:
        mine = session.exec(select(Contact).where(Contact.wa_id == CUSTOMER)).one()
        theirs = session.exec(select(Contact).where(Contact.wa_id == OTHER)).one()
        assert not inbox.has_media(session, mine, media_id)
        assert inbox.has_media(session, theirs, media_id)


def test_a_staff_reply_in_the_window_is_queued_and_takes_the_conversation(
    engine: Engine, staff: tuple[int, int], salon: BusinessConfig
) -> None:
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(hours=1))

    row = act(
        engine, staff[1], lambda s, c, a: inbox.send_reply(s, salon, c, a, NOW, text=" On my way ")
    )

    with read_session(engine) as session:
        sent = session.get(OutboxMessage, row.id)
        thread = session.exec(select(InboxThread)).one()
        contact = session.exec(select(Contact)).one()
        events = [(e.kind, e.staff_id) for e in session.exec(select(HandoffEvent))]
        author = session.get(StaffReply, row.id)
    assert sent is not None
    assert sent.payload["text"]["body"] == "On my way"
    assert author is not None
    assert author.staff_id == staff[1]
    assert thread.assignee_id == staff[1]
    assert contact.paused  # the bot does not talk over the person
    assert events == [("claimed", staff[1])]
    assert audits(engine) == [("inbox.reply", f"contact #{contact.id}")]


@pytest.mark.parametrize("how", ["released", "idle_released"])
def test_a_customer_given_back_to_the_bot_outside_the_inbox_is_nobodys_and_a_reply_pauses_again(
    engine: Engine, staff: tuple[int, int], salon: BusinessConfig, how: str
) -> None:
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(hours=1))
    act(engine, staff[1], lambda s, c, a: inbox.claim(s, c, a, NOW))
    with transaction(engine) as session:  # `waflow handoff release`, or the idle sweep
        release(session, CUSTOMER, NOW, kind=how)  # type: ignore[arg-type]
    with read_session(engine) as session:
        assert session.exec(select(InboxThread)).one().assignee_id is None

    act(engine, staff[1], lambda s, c, a: inbox.send_reply(s, salon, c, a, NOW, text="Hi again"))

    with read_session(engine) as session:
        assert session.exec(select(InboxThread)).one().assignee_id == staff[1]
        assert session.exec(select(Contact)).one().paused  # the bot stays quiet again


def test_outside_the_window_only_a_declared_template_with_its_values_is_sent(
    engine: Engine, staff: tuple[int, int], salon: BusinessConfig
) -> None:
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(hours=25))

    def reply(**kw: Any) -> Any:
        return act(engine, staff[0], lambda s, c, a: inbox.send_reply(s, salon, c, a, NOW, **kw))

    with pytest.raises(inbox.InboxError, match="24-hour window is closed"):
        reply(text="hello")
    with pytest.raises(inbox.InboxError, match="choose an approved template"):
        reply(template="not_declared")
    with pytest.raises(inbox.InboxError, match="Fill in every parameter"):
        reply(template="booking_reminder", values=["Ana", "Cut", " "])

    row = reply(template="booking_reminder", values=["Ana", "Cut", "Monday 10:00"])

    assert row.payload["template"] == {
        "name": "booking_reminder",
        "language": {"code": "es_ES"},
        "components": [
            {
                "type": "body",
                "parameters": [
                    {"type": "text", "text": "Ana"},
                    {"type": "text", "text": "Cut"},
                    {"type": "text", "text": "Monday 10:00"},
                ],
            }
        ],
    }
    assert [t.name for t in inbox.templates(salon)] == ["booking_reminder"]


def test_the_staff_alert_template_is_never_offered_nor_sent_to_a_customer(
    engine: Engine, staff: tuple[int, int], salon: BusinessConfig
) -> None:
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(hours=25))
    alert = salon.templates.handoff
    assert alert is not None
    assert alert.name not in [t.name for t in inbox.templates(salon)]

    with pytest.raises(inbox.InboxError, match="choose an approved template"):
        act(
            engine,
            staff[0],
            lambda s, c, a: inbox.send_reply(
                s, salon, c, a, NOW, template=alert.name, values=["x"] * len(alert.params)
            ),
        )
    with read_session(engine) as session:
        assert session.exec(select(OutboxMessage)).all() == []


def test_the_shops_own_reply_templates_come_first_in_their_language(
    engine: Engine, staff: tuple[int, int]
) -> None:
    shop = parse_business(
        "business: {name: Salon, currency: EUR, timezone: Europe/Madrid}\n"
        "templates:\n  language: es_ES\n  handoff: staff_alert\n"
        "  order_update: order_update\n"
        "  replies: [{name: follow_up, params: [name, message]}, {name: hola, language: en_US}]\n",
        "shop.yaml",
    )
    offered = [(t.name, t.language, t.params) for t in inbox.templates(shop)]
    assert offered == [
        ("follow_up", "es_ES", ("name", "message")),
        ("hola", "en_US", ()),
        ("order_update", "es_ES", ("number", "status")),
    ]
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(hours=25))
    row = act(
        engine,
        staff[0],
        lambda s, c, a: inbox.send_reply(
            s, shop, c, a, NOW, template="follow_up", values=["Ana", "your cake is ready"]
        ),
    )
    assert row.payload["template"]["name"] == "follow_up"
    assert row.payload["template"]["language"] == {"code": "es_ES"}


def test_a_reply_over_whatsapps_limit_is_refused_and_nothing_is_queued(
    engine: Engine, staff: tuple[int, int], salon: BusinessConfig
) -> None:
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(hours=1))

    with pytest.raises(inbox.InboxError, match="WhatsApp would refuse"):
        act(
            engine, staff[0], lambda s, c, a: inbox.send_reply(s, salon, c, a, NOW, text="x" * 5000)
        )

    with read_session(engine) as session:
        assert session.exec(select(OutboxMessage)).all() == []
        assert session.exec(select(InboxThread)).all() == []


def test_claim_assign_release_pause_and_resume_refuse_what_does_not_apply(
    engine: Engine, staff: tuple[int, int], salon: BusinessConfig
) -> None:
    owner, agent = staff
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(hours=1))

    with pytest.raises(inbox.InboxError, match="not paused"):
        act(engine, owner, lambda s, c, a: inbox.release_to_bot(s, salon, c, a, NOW))
    with pytest.raises(inbox.InboxError, match="not paused"):
        act(engine, owner, lambda s, c, a: inbox.resume(s, c, a, NOW))

    act(engine, owner, lambda s, c, a: inbox.claim(s, c, a, NOW))
    with pytest.raises(inbox.InboxError, match="You already have"):
        act(engine, owner, lambda s, c, a: inbox.claim(s, c, a, NOW))
    with pytest.raises(inbox.InboxError, match="already paused"):
        act(engine, owner, lambda s, c, a: inbox.pause(s, c, a, NOW))

    def assign(s: Session, c: Contact, a: StaffUser) -> None:
        inbox.claim(s, c, a, NOW, assignee=s.get(StaffUser, agent))

    act(engine, owner, assign)
    with pytest.raises(inbox.InboxError, match=r"agent@salon\.test already has"):
        act(engine, owner, assign)

    told = act(engine, agent, lambda s, c, a: inbox.release_to_bot(s, salon, c, a, NOW))

    with read_session(engine) as session:
        contact = session.exec(select(Contact)).one()
        thread = session.exec(select(InboxThread)).one()
        [note] = session.exec(select(OutboxMessage)).all()
        events = session.exec(select(HandoffEvent).order_by(col(HandoffEvent.id))).all()
    assert told
    assert not contact.paused
    assert thread.assignee_id is None
    assert note.payload["text"]["body"] == BACK_TEXT
    assert [(e.kind, e.staff_id) for e in events] == [
        ("claimed", owner),
        ("claimed", agent),
        ("released", agent),
    ]
    target = f"contact #{contact.id}"
    assert audits(engine) == [
        ("inbox.claim", target),
        ("inbox.assign", target),
        ("inbox.release", target),
    ]


def test_pause_then_resume_says_nothing_to_the_customer(
    engine: Engine, staff: tuple[int, int]
) -> None:
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(hours=1), paused_until=NOW + timedelta(1))
    with read_session(engine) as session:
        contact = session.exec(select(Contact)).one()
        assert inbox.transcript(session, contact, NOW).paused_until == NOW + timedelta(1)

    act(engine, staff[1], lambda s, c, a: inbox.resume(s, c, a, NOW))
    with read_session(engine) as session:
        contact = session.exec(select(Contact)).one()
    assert not contact.bot_paused(NOW)
    assert contact.paused_until is None

    act(engine, staff[1], lambda s, c, a: inbox.pause(s, c, a, NOW))

    with read_session(engine) as session:
        assert session.exec(select(Contact)).one().paused
        assert session.exec(select(OutboxMessage)).all() == []
    assert [action for action, _ in audits(engine)] == ["inbox.resume", "inbox.pause"]


def test_notes_and_saved_replies_refuse_empty_or_long_texts(
    engine: Engine, staff: tuple[int, int]
) -> None:
    add_contact(engine, CUSTOMER, wrote_ago=None)
    for body in ("  ", "x" * (inbox.MAX_NOTE + 1)):
        with pytest.raises(inbox.InboxError, match="A note has"):
            act(engine, staff[0], lambda s, c, a, body=body: inbox.add_note(s, c, a, body, NOW))

    with transaction(engine) as session:
        actor = session.get(StaffUser, staff[0])
        assert actor is not None
        with pytest.raises(inbox.InboxError, match="title"):
            inbox.save_reply(session, actor, "", "Hello")
        with pytest.raises(inbox.InboxError, match="A saved reply has"):
            inbox.save_reply(session, actor, "Hello", " ")
        inbox.save_reply(session, actor, "Opening hours", "We open at 9.")
        inbox.save_reply(session, actor, "Address", "Calle Mayor 1.")
    with transaction(engine) as session:
        actor = session.get(StaffUser, staff[0])
        assert actor is not None
        replies = inbox.saved_replies(session)
        assert [r.title for r in replies] == ["Address", "Opening hours"]
        inbox.delete_saved_reply(session, actor, int(replies[0].id or 0))
        with pytest.raises(inbox.InboxError, match="no longer exists"):
            inbox.delete_saved_reply(session, actor, 10_000)
    with read_session(engine) as session:
        assert [r.title for r in inbox.saved_replies(session)] == ["Opening hours"]


def test_mark_read_counts_only_the_customers_messages(engine: Engine) -> None:
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(minutes=3))
    first = store(engine, simulate.text(CUSTOMER, "one"), NOW - timedelta(minutes=3))
    store(engine, echo(CUSTOMER, "owner"), NOW - timedelta(minutes=2))
    with transaction(engine) as session:
        inbox.mark_read(session, session.exec(select(Contact)).one())
    with read_session(engine) as session:
        assert session.exec(select(InboxThread)).one().read_up_to == first
        assert not inbox.threads(session, NOW)[0].unread

    store(engine, simulate.text(CUSTOMER, "two"), NOW)

    with read_session(engine) as session:
        assert inbox.threads(session, NOW)[0].unread


def test_a_held_message_shows_as_held_in_the_transcript(engine: Engine) -> None:
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(hours=30), name="Ana")
    with transaction(engine) as session:
        outbox.enqueue(
            session, CUSTOMER, [messages.text(CUSTOMER, "Your book")], now=NOW, held=True
        )

    with read_session(engine) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == CUSTOMER)).one()
        view = inbox.transcript(session, contact, NOW)

    assert [(e.side, e.text, e.tick, e.error) for e in view.entries] == [
        ("bot", "Your book", "held", outbox.HELD)
    ]
