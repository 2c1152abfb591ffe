"""The simulated customer's edits, reactions and call permission replies parse as Meta's do."""

from __future__ import annotations

from datetime import UTC, datetime

from bot import simulate
from bot.inbound import (
    CallPermissionReply,
    EditMessage,
    ReactionMessage,
    TextMessage,
    parse_payload,
)

WA_ID = "16505551234"
T = 1773480600.0


def test_an_edit_carries_the_original_id_and_the_new_text() -> None:
    (update,) = parse_payload(simulate.edit(WA_ID, "wamid.OLD", "lemon", msg_id="wamid.NEW"))

    assert isinstance(update, EditMessage)
    assert (update.id, update.original_message_id) == ("wamid.NEW", "wamid.OLD")
    assert isinstance(update.edited, TextMessage)
    assert (update.edited.id, update.edited.body) == ("wamid.OLD", "lemon")


def test_a_reaction_and_its_removal() -> None:
    (added,) = parse_payload(simulate.reaction(WA_ID, "wamid.BOT", "👍"))
    (removed,) = parse_payload(simulate.reaction(WA_ID, "wamid.BOT", ""))

    assert isinstance(added, ReactionMessage)
    assert isinstance(removed, ReactionMessage)
    assert (added.message_id, added.emoji, added.removed, removed.removed) == (
        "wamid.BOT",
        "👍",
        False,
        True,
    )


def test_a_temporary_acceptance_expires_after_seven_days() -> None:
    (update,) = parse_payload(simulate.call_permission_reply(WA_ID, "accept", timestamp=T))

    assert isinstance(update, CallPermissionReply)
    assert (update.accepted, update.is_permanent, update.response_source) == (
        True,
        False,
        "user_action",
    )
    assert update.expires_at == datetime.fromtimestamp(T + 7 * 86400, UTC)
    assert update.choice_id == "call_permission:accept"


def test_a_permanent_acceptance_and_a_refusal_have_no_expiry() -> None:
    permanent = simulate.call_permission_reply(WA_ID, "accept", permanent=True)
    refusal = simulate.call_permission_reply(WA_ID, "reject", source="automatic")
    updates = [parse_payload(body)[0] for body in (permanent, refusal)]

    assert all(isinstance(u, CallPermissionReply) and u.expires_at is None for u in updates)
    assert [(u.choice_id, u.automatic) for u in updates if isinstance(u, CallPermissionReply)] == [
        ("call_permission:accept", False),
        ("call_permission:reject", True),
    ]
