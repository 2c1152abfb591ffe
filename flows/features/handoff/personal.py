"""What the handoff keeps about a customer (its ``personal_data`` entry): the inbox's state.

The handoff events stay pseudonymised (the response-time figures do not change); the inbox
thread, the staff's notes and which staff member wrote which reply are deleted. The export
leaves out which staff member claimed, was assigned, wrote a note or replied.
"""

from __future__ import annotations

from flows.features._personal import PersonalTables, Rows
from flows.features.handoff.models import HandoffEvent, InboxNote, InboxThread, StaffReply
from storage.models import OutboxMessage

handoff_data = PersonalTables(
    Rows(HandoffEvent, keep=True, omit=("staff_id",)),
    Rows(InboxThread, omit=("assignee_id",)),
    Rows(InboxNote, omit=("staff_id",)),
    Rows(StaffReply, "outbox_id", via=OutboxMessage, omit=("staff_id",)),
)
"""The handoff's tables about a customer."""

__all__ = ["handoff_data"]
