"""Human handoff (:class:`HandoffFeature`): a customer asks for a person, the bot pauses.

The modules are ``handoff`` (pausing, alerting the staff, giving the customer back to the bot),
``hooks`` (``handoff.notify``) and ``cli`` (``waflow handoff``).
"""

from __future__ import annotations

from flows.features._feature import Feature
from flows.features.handoff.handoff import HandoffError, paused_contacts, release, request_handoff


class HandoffFeature(Feature):
    """Handing a customer over to a person: ``handoff.notify``, ``waflow handoff``."""

    name = "handoff"
    hook_registrar = "flows.features.handoff.hooks:register_handoff_hooks"
    command_group = "flows.features.handoff.cli:handoff"


__all__ = ["HandoffError", "HandoffFeature", "paused_contacts", "release", "request_handoff"]
