"""Broadcasts (:class:`BroadcastsFeature`): a declared template sent to a segment of customers.

The modules are ``settings`` (the business file's ``broadcasts`` section: templates, rate,
messaging limit, doubt period), ``models`` (the :class:`Broadcast` and its recipients),
``segments`` (who a broadcast reaches), ``broadcasts`` (making, previewing, scheduling, queueing
paced through the outbox, cancelling, sending in-process, the running bot's periodic task),
``report`` (sent, delivered, read, failed by code, replied, opted out), ``replies`` (a stop
word answering a broadcast recorded as ``broadcast_reply``; Meta's 131050 as an opt-out),
``cli`` (``waflow broadcast``) and ``web`` (the owners' console page). It sits above the shop,
booking, consent and customers features, whose tables its segments read. See
``docs/broadcasts.md``.
"""

from __future__ import annotations

from flows.features._feature import ConsoleLink, Feature
from flows.features.broadcasts.models import Broadcast, BroadcastRecipient
from flows.features.broadcasts.segments import Segment
from flows.features.broadcasts.settings import BroadcastSettings, check_broadcasts
from flows.features.business import on_section, settings_reader

on_section("broadcasts", settings_reader(BroadcastSettings), check=check_broadcasts)


class BroadcastsFeature(Feature):
    """Campaigns: a template to a segment, paced within Meta's limits, exactly once."""

    name = "broadcasts"
    handler_wrapper = "flows.features.broadcasts.replies:broadcast_replies"
    update_listener = "flows.features.broadcasts.replies:stop_listener"
    personal_data = "flows.features.broadcasts.personal:broadcast_data"
    periodic_task = "flows.features.broadcasts.broadcasts:broadcast_task"
    command_group = "flows.features.broadcasts.cli:broadcast"
    console_factory = "flows.features.broadcasts.web:broadcast_pages"
    console_links = (
        ConsoleLink("Broadcasts", "waflow_broadcasts_console.broadcasts", owner_only=True, rank=60),
    )


__all__ = [
    "Broadcast",
    "BroadcastRecipient",
    "BroadcastSettings",
    "BroadcastsFeature",
    "Segment",
]
