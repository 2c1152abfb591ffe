"""Human handoff (:class:`HandoffFeature`): a customer asks for a person, the bot pauses.

The modules are ``handoff`` (pausing, alerting the staff, giving the customer back to the bot,
pausing while a person answers from the WhatsApp Business app), ``models`` (the handoff events
and the inbox's tables), ``inbox`` (the console inbox's rules), ``web`` (its pages),
``hooks`` (``handoff.notify``) and ``cli`` (``waflow handoff``).
"""

from __future__ import annotations

from flows.features._feature import ConsoleLink, Feature
from flows.features.handoff.handoff import (
    HandoffError,
    paused_contacts,
    release,
    release_idle,
    request_handoff,
)
from flows.features.handoff.models import HandoffEvent


class HandoffFeature(Feature):
    """Handing a customer over to a person: ``handoff.notify``, echoes, ``waflow handoff``."""

    name = "handoff"
    personal_data = "flows.features.handoff.personal:handoff_data"
    hook_registrar = "flows.features.handoff.hooks:register_handoff_hooks"
    update_listener = "flows.features.handoff.handoff:echo_listener"
    periodic_task = "flows.features.handoff.handoff:release_idle_task"
    command_group = "flows.features.handoff.cli:handoff"
    console_factory = "flows.features.handoff.web:inbox_pages"
    console_links = (
        ConsoleLink("Inbox", "waflow_handoff_console.conversations", rank=10),
        ConsoleLink(
            "Saved replies", "waflow_handoff_console.saved_replies", owner_only=True, rank=11
        ),
    )


__all__ = [
    "HandoffError",
    "HandoffEvent",
    "HandoffFeature",
    "paused_contacts",
    "release",
    "release_idle",
    "request_handoff",
]
