"""A broadcast's report: sent, delivered, read, failed by code, replied and opted out.

Read from what is already stored: the outbox rows its recipients name (sent, failed with Meta's
code in the error, suppressed, cancelled, still queued), Meta's statuses of those messages
(:class:`storage.models.MessageStatus`: delivered, read, failed with a code), the messages the
customers sent after theirs (replied, within ``broadcasts.reply_window``) and the consent
ledger (opted out after theirs, within the same window, by any means).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from flows.features.broadcasts.models import Broadcast, BroadcastRecipient
from flows.features.business.timestamps import as_utc
from flows.features.consent.models import ConsentEvent
from storage.models import InboundUpdate, MessageStatus, OutboxMessage

_CODE = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True)
class Report:
    """What became of a broadcast's messages.

    Attributes:
        audience: Customers its segment matched when it started.
        queued: Customers queued so far.
        pending: Messages not sent yet (paced, waiting for a retry or in doubt).
        sent: Messages Meta accepted.
        delivered: Messages delivered (or read).
        read: Messages read.
        failed: Messages refused or failed, by Meta's error code (``"other"`` without one).
        suppressed: Customers who had opted out when their message was queued.
        cancelled: Messages withdrawn by a cancel.
        skipped: Customers whose message could not be made.
        replied: Customers who wrote after their message, within the reply window.
        opted_out: Customers who opted out after their message, within the reply window.
    """

    audience: int = 0
    queued: int = 0
    pending: int = 0
    sent: int = 0
    delivered: int = 0
    read: int = 0
    failed: dict[str, int] = field(default_factory=dict)
    suppressed: int = 0
    cancelled: int = 0
    skipped: int = 0
    replied: int = 0
    opted_out: int = 0

    @property
    def failed_total(self) -> int:
        """Every failure, whatever its code."""
        return sum(self.failed.values())

    def lines(self) -> list[str]:
        """The report as ``label: value`` lines (the CLI prints them)."""
        failed = ", ".join(f"{code}: {n}" for code, n in sorted(self.failed.items()))
        return [
            f"audience:   {self.audience}",
            f"queued:     {self.queued} ({self.pending} not sent yet)",
            f"sent:       {self.sent}",
            f"delivered:  {self.delivered}",
            f"read:       {self.read}",
            f"failed:     {self.failed_total}" + (f" ({failed})" if failed else ""),
            f"suppressed: {self.suppressed} (opted out)",
            f"cancelled:  {self.cancelled}",
            f"skipped:    {self.skipped}",
            f"replied:    {self.replied}",
            f"opted out:  {self.opted_out}",
        ]


def error_code(error: str | None) -> str:
    """Meta's error code in an outbox row's ``last_error`` (``"[131049] …"``), or ``other``."""
    found = _CODE.search(error or "")
    return found.group(1) if found else "other"


def _status_code(errors: Sequence[Any]) -> str:
    first = errors[0] if errors and isinstance(errors[0], dict) else {}
    code = first.get("code")
    return str(code) if code is not None else "other"


def report(session: Session, broadcast: Broadcast, window: timedelta) -> Report:
    """The report of ``broadcast``; ``window`` is how long after a message a reply counts."""
    rows = session.execute(
        sa_select(
            col(BroadcastRecipient.wa_id),
            col(BroadcastRecipient.state),
            col(OutboxMessage.state),
            col(OutboxMessage.last_error),
            col(OutboxMessage.wamid),
            col(OutboxMessage.sent_at),
        )
        .select_from(BroadcastRecipient)
        .outerjoin(OutboxMessage, col(OutboxMessage.id) == col(BroadcastRecipient.outbox_id))
        .where(col(BroadcastRecipient.broadcast_id) == broadcast.id)
    ).all()
    states: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    sent_at: dict[str, datetime] = {}
    wamids: dict[str, str] = {}
    for wa_id, recipient_state, state, error, wamid, at in rows:
        if recipient_state != "queued":
            states[recipient_state] += 1
            continue
        states[state] += 1
        if state == "failed":
            failed[error_code(error)] += 1
        if state == "sent" and at is not None:
            sent_at[wa_id] = as_utc(at)
            if wamid:
                wamids[wamid] = wa_id
    delivered = read = 0
    if wamids:
        statuses = session.exec(
            select(MessageStatus.status, MessageStatus.errors).where(
                col(MessageStatus.wamid).in_(_wamids(broadcast))
            )
        ).all()
        for status, errors in statuses:
            delivered += status in ("delivered", "read", "played")
            read += status in ("read", "played")
            if status == "failed":
                failed[_status_code(errors)] += 1
    return Report(
        audience=broadcast.audience or 0,
        queued=len(rows),
        pending=states["pending"],
        sent=states["sent"],
        delivered=delivered,
        read=read,
        failed=dict(failed),
        suppressed=states["suppressed"],
        cancelled=states["cancelled"],
        skipped=states["skipped"],
        replied=_after(session, broadcast, sent_at, window, replies=True),
        opted_out=_after(session, broadcast, sent_at, window, replies=False),
    )


def _wamids(broadcast: Broadcast) -> Any:
    return (
        select(OutboxMessage.wamid)
        .join(BroadcastRecipient, col(BroadcastRecipient.outbox_id) == col(OutboxMessage.id))
        .where(BroadcastRecipient.broadcast_id == broadcast.id)
        .where(col(OutboxMessage.wamid).is_not(None))
        # a row a failed status recorded failed (reconcile) is counted by its own error
        .where(col(OutboxMessage.state) == "sent")
    )


def _after(
    session: Session,
    broadcast: Broadcast,
    sent_at: dict[str, datetime],
    window: timedelta,
    *,
    replies: bool,
) -> int:
    """Customers who wrote (``replies``) or opted out within ``window`` after their message."""
    if not sent_at or broadcast.started_at is None:
        return 0
    recipients = select(BroadcastRecipient.wa_id).where(
        BroadcastRecipient.broadcast_id == broadcast.id
    )
    since = as_utc(broadcast.started_at)
    if replies:
        query: Any = (
            select(InboundUpdate.wa_id, InboundUpdate.received_at)
            .where(InboundUpdate.kind == "message")
            .where(col(InboundUpdate.wa_id).in_(recipients))
            .where(InboundUpdate.received_at >= since)
        )
    else:
        query = (
            select(ConsentEvent.wa_id, ConsentEvent.at)
            .where(ConsentEvent.opted == "out")
            .where(col(ConsentEvent.wa_id).in_(recipients))
            .where(ConsentEvent.at >= since)
        )
    who = set()
    for wa_id, at in session.exec(query):
        sent = sent_at.get(wa_id)
        if sent is not None and sent <= as_utc(at) <= sent + window:
            who.add(wa_id)
    return len(who)


__all__ = ["Report", "error_code", "report"]
