"""Making, starting, pacing and finishing broadcasts, through the outbox.

A broadcast is made (:func:`create`, a ``draft``), previewed (:func:`preview`), then started now
(:func:`begin`) or scheduled (:func:`schedule`, started by the running bot's
:func:`broadcast_task`). While it is ``sending``, :func:`expand` queues its audience a batch at a
time: each batch's :class:`~.models.BroadcastRecipient` rows (unique per customer) and outbox
rows are written in one transaction, after the last customer already queued, so an interrupted
broadcast resumes where it was and never queues anyone twice. Pacing is the outbox rows'
``next_attempt_at``, one every ``1/rate`` seconds, and the messaging limit a budget of unique
customers outside their 24-hour window per rolling 24 hours: when it is spent the rest wait.
Each message carries ``biz_opaque_callback_data`` naming its outbox row, so a send cut off by a
crash is sent again only if no status webhook says Meta took it (:mod:`storage.outbox`).
:func:`run` is ``waflow broadcast send``: it queues and sends in-process until the end.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, not_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot import messages
from bot.client import Sender
from bot.config import mask
from bot.errors import LimitError, WaflowError
from bot.sending import WINDOW, OutboxSender
from bot.turn import shown_name
from flows.features.broadcasts.models import Broadcast, BroadcastRecipient
from flows.features.broadcasts.segments import Segment, audience_batch, audience_count
from flows.features.broadcasts.settings import BroadcastSettings, broadcast_settings
from flows.features.business import BusinessConfig
from flows.features.business.timestamps import as_utc
from flows.features.consent.models import record
from storage import outbox
from storage.db import is_postgres, transaction
from storage.models import Contact, OutboxMessage, utcnow

log = logging.getLogger(__name__)

NAME = "{name}"
"""In a parameter value, the customer's profile name."""
BATCH = 500
"""The most customers one expansion step reads and queues."""
MAX_PARAM = 1000
"""The longest parameter value staff may give."""
STOP_CODE = 131050
"""Meta's "the user stopped marketing messages"."""
_PAST_GRACE = timedelta(minutes=1)
_OUTBOX: Any = OutboxMessage.__table__  # type: ignore[attr-defined]


class BroadcastError(WaflowError, ValueError):
    """A broadcast that cannot be made or changed as asked (its message says why)."""


# -- making one -------------------------------------------------------------------------------


def create(
    session: Session,
    business: BusinessConfig,
    *,
    title: str,
    template: str,
    params: Mapping[str, str],
    segment: Segment,
    created_by: str,
    now: datetime,
) -> Broadcast:
    """Make a ``draft`` broadcast of a declared template to ``segment``.

    Args:
        title: What staff call it.
        template: The name of a template declared in the ``broadcasts`` section.
        params: A value for each of the template's parameters by name (``{name}``: the
            customer's profile name); a parameter called ``name`` given no value is ``{name}``.
        segment: Who receives it.
        created_by: Who made it.

    Raises:
        BroadcastError: The template is not declared, a parameter is missing, unknown or too
            long, the title is empty, or the segment cannot be used.
    """
    settings = broadcast_settings(business)
    ref = settings.template(template)
    if ref is None:
        known = ", ".join(t.name for t in settings.templates) or "none is declared"
        raise BroadcastError(f"unknown template {template!r} (broadcasts.templates: {known})")
    title = title.strip()
    if not title or len(title) > 200 or not title.isprintable():
        raise BroadcastError("the title must be 1 to 200 characters, none of them control ones")
    values = {k: v.strip() for k, v in params.items()}
    if "name" in ref.params and not values.get("name"):
        values["name"] = NAME
    unknown = sorted(set(values) - set(ref.params))
    if unknown:
        expected = ", ".join(ref.params) or "none"
        raise BroadcastError(f"template {ref.name} has no parameter {unknown[0]!r} ({expected})")
    missing = [p for p in ref.params if not values.get(p)]
    if missing:
        raise BroadcastError(f"template {ref.name} needs a value for parameter {missing[0]!r}")
    long = [p for p in ref.params if len(values[p]) > MAX_PARAM]
    if long:
        raise BroadcastError(f"parameter {long[0]!r} is longer than {MAX_PARAM} characters")
    # PostgreSQL stores no NUL; Meta refuses a new line or a tab in a parameter (132018)
    control = [p for p in ref.params if not values[p].isprintable()]
    if control:
        raise BroadcastError(f"parameter {control[0]!r} has a control character")
    try:
        checked = segment.check(business)
    except WaflowError as exc:
        raise BroadcastError(str(exc)) from exc
    broadcast = Broadcast(
        title=title,
        template=ref.name,
        language=ref.language,
        category=ref.category,
        params={p: values[p] for p in ref.params},
        segment=checked.as_json(),
        created_by=created_by[:256],
        created_at=as_utc(now),
    )
    session.add(broadcast)
    session.flush()
    try:
        payload(broadcast, "10000000000", "Ana", settings)  # the parameters fit WhatsApp's limits
    except LimitError as exc:
        raise BroadcastError(f"the message cannot be sent: {exc}") from exc
    return broadcast


def payload(
    broadcast: Broadcast, wa_id: str, name: str | None, settings: BroadcastSettings
) -> dict[str, Any]:
    """The template message of ``broadcast`` for customer ``wa_id`` called ``name``.

    Raises:
        LimitError: A value breaks WhatsApp's limits for template parameters.
    """
    who = shown_name((name or "").strip()) or settings.name_fallback
    values = [str(v).replace(NAME, who) for v in broadcast.params.values()]
    components = [messages.body_params(*values)] if values else None
    return messages.template(wa_id, broadcast.template, broadcast.language, components)


@dataclass(frozen=True)
class Preview:
    """What a broadcast would do now: how many it reaches and one of its messages.

    Attributes:
        audience: Customers matching its segment.
        sample_to: The customer the sample is for (``None``: nobody it would be sent to).
        sample: That customer's message, as it would be sent.
        outside_window: Customers it would be sent to whose 24-hour window is closed (they
            count against the messaging limit).
        opted_out: Matching customers who opted out of marketing (a marketing broadcast): the
            outbox records their message ``suppressed``, never sent.
    """

    audience: int
    sample_to: str | None
    sample: dict[str, Any] | None
    outside_window: int
    opted_out: int = 0


def preview(
    session: Session, business: BusinessConfig, broadcast: Broadcast, now: datetime
) -> Preview:
    """The audience count and a rendered sample of ``broadcast`` at ``now``."""
    segment = Segment.from_json(broadcast.segment)
    count = audience_count(session, segment, now)
    sent_to = segment.where(now)
    if broadcast.category == "marketing":
        sent_to = and_(sent_to, not_(col(Contact.marketing_opt_out)))
    sendable = int(session.exec(select(func.count(col(Contact.id))).where(sent_to)).one())
    inside = select(func.count(col(Contact.id))).where(sent_to)
    inside = inside.where(col(Contact.last_inbound_at) > now - WINDOW)
    outside = sendable - int(session.exec(inside).one())
    first = session.exec(select(Contact).where(sent_to).order_by(col(Contact.id)).limit(1)).first()
    if first is None:
        return Preview(count, None, None, outside, count - sendable)
    message = payload(broadcast, first.wa_id, first.name, broadcast_settings(business))
    return Preview(count, first.wa_id, message, outside, count - sendable)


def sample_text(message: Mapping[str, Any]) -> str:
    """A sample message in one line: the template and its values (``spring_sale: Ana, X10``)."""
    template = message.get("template", {})
    values = [
        str(p.get("text", ""))
        for c in template.get("components", ())
        for p in c.get("parameters", ())
    ]
    language = template.get("language", {}).get("code", "")
    return f"{template.get('name', '?')} ({language}): {', '.join(values) or 'no parameters'}"


# -- its life ---------------------------------------------------------------------------------


def find(session: Session, broadcast_id: int, *, lock: bool = False) -> Broadcast:
    """Broadcast ``broadcast_id`` (``lock``: held until the transaction ends, on PostgreSQL).

    Raises:
        BroadcastError: There is none.
    """
    query = select(Broadcast).where(Broadcast.id == broadcast_id)
    if lock and is_postgres(session):
        query = query.with_for_update()
    found = session.exec(query).first()
    if found is None:
        raise BroadcastError(f"no broadcast #{broadcast_id}")
    return found


def listing(session: Session, limit: int = 200) -> list[Broadcast]:
    """The broadcasts, newest first."""
    query = select(Broadcast).order_by(col(Broadcast.id).desc()).limit(limit)
    return list(session.exec(query))


def schedule(session: Session, broadcast: Broadcast, at: datetime, now: datetime) -> None:
    """Have the running bot start ``broadcast`` at ``at`` (now, if ``at`` is this minute).

    Raises:
        BroadcastError: It is already sending, done or cancelled, or ``at`` passed more than a
            minute ago (a typo, not "now").
    """
    if broadcast.state not in ("draft", "scheduled"):
        raise BroadcastError(
            f"broadcast #{broadcast.id} is {broadcast.state}: it cannot be scheduled"
        )
    if as_utc(at) < as_utc(now) - _PAST_GRACE:
        raise BroadcastError("that time has passed: pick a later one, or send it now")
    broadcast.state = "scheduled"
    broadcast.scheduled_at = max(as_utc(at), as_utc(now))
    session.add(broadcast)


def begin(session: Session, broadcast: Broadcast, now: datetime) -> None:
    """Start sending ``broadcast`` now (a draft or a scheduled one; one sending is left as is).

    Raises:
        BroadcastError: It is done or cancelled.
    """
    if broadcast.state == "sending":
        return
    if broadcast.state not in ("draft", "scheduled"):
        raise BroadcastError(f"broadcast #{broadcast.id} is {broadcast.state}: it cannot start")
    segment = Segment.from_json(broadcast.segment)
    broadcast.state = "sending"
    broadcast.started_at = as_utc(now)
    broadcast.next_slot_at = as_utc(now)
    broadcast.audience = audience_count(session, segment, now)
    session.add(broadcast)
    log.info("broadcast #%s started: %d customer(s)", broadcast.id, broadcast.audience)


def cancel(session: Session, broadcast: Broadcast, now: datetime) -> int:
    """Cancel ``broadcast``: nobody else is queued, and its unsent messages are not sent.

    Messages already being sent (leased) finish. Returns how many queued messages were
    withdrawn.

    Raises:
        BroadcastError: It is already done or cancelled.
    """
    if broadcast.state in ("done", "cancelled"):
        raise BroadcastError(f"broadcast #{broadcast.id} is already {broadcast.state}")
    broadcast.state = "cancelled"
    broadcast.finished_at = as_utc(now)
    session.add(broadcast)
    ids = select(BroadcastRecipient.outbox_id).where(
        BroadcastRecipient.broadcast_id == broadcast.id
    )
    withdraw = (
        update(_OUTBOX)
        .where(_OUTBOX.c.id.in_(ids.scalar_subquery()))
        .where(_OUTBOX.c.state == "pending")
        .where(_OUTBOX.c.lease.is_(None))
        .values(state="cancelled", last_error="broadcast cancelled")
    )
    return int(session.connection().execute(withdraw).rowcount)


# -- queueing, paced --------------------------------------------------------------------------


def reached_today(session: Session, now: datetime) -> int:
    """Unique customers sent a business-initiated message (one with a category) in 24 hours.

    It counts every such message queued, in the window or not: a conservative reading of the
    messaging limit, which counts customers outside their window only.
    """
    query = (
        select(func.count(func.distinct(OutboxMessage.wa_id)))
        .where(col(OutboxMessage.category).is_not(None))
        .where(col(OutboxMessage.state).in_(("pending", "sent")))
        .where(OutboxMessage.created_at >= now - WINDOW)
    )
    return int(session.exec(query).one())


@dataclass(frozen=True)
class Expansion:
    """What one :func:`expand` did.

    Attributes:
        queued: Customers queued.
        waiting: The messaging limit is spent: the next customers wait for it.
    """

    queued: int = 0
    waiting: bool = False


def expand(
    session: Session,
    business: BusinessConfig,
    broadcast: Broadcast,
    now: datetime,
    *,
    horizon: timedelta,
    settings: BroadcastSettings | None = None,
) -> Expansion:
    """Queue the next customers of a ``sending`` broadcast, as many as go out within ``horizon``.

    Each customer gets a recipient row and an outbox row due at its pacing slot, with callback
    data naming that row. A customer who opted out of marketing gets one too, which the outbox
    records ``suppressed`` (a marketing broadcast): it takes no slot and no share of the
    messaging limit. Customers outside their 24-hour window are queued only while the
    messaging limit allows.
    """
    if broadcast.state != "sending" or broadcast.expanded:
        return Expansion()
    settings = settings or broadcast_settings(business)
    segment = Segment.from_json(broadcast.segment)
    step = timedelta(seconds=1 / settings.rate)
    slot = max(as_utc(now), as_utc(broadcast.next_slot_at or now))
    end = as_utc(now) + horizon
    limit = settings.daily_limit
    budget = math.inf if limit is None else limit - reached_today(session, now)
    queued, waiting = 0, False
    marketing = broadcast.category == "marketing"
    while slot < end and not broadcast.expanded and not waiting:
        wanted = min(BATCH, max(1, math.ceil((end - slot) / step)))
        batch = audience_batch(session, segment, now, after=broadcast.cursor, limit=wanted)
        pairs: list[tuple[BroadcastRecipient, OutboxMessage | None]] = []
        for contact in batch:
            suppressed = marketing and contact.marketing_opt_out
            last = contact.last_inbound_at
            outside = not suppressed and (last is None or as_utc(last) <= as_utc(now) - WINDOW)
            if outside and budget <= 0:
                waiting = True
                break
            budget -= 1 if outside else 0
            pairs.append(_queue_one(session, broadcast, contact, now, slot, settings))
            slot += timedelta(0) if suppressed else step
            broadcast.cursor = int(contact.id or 0)
        if not waiting and len(batch) < wanted:
            broadcast.expanded = True
        session.flush()
        for recipient, row in pairs:
            if row is not None:
                row.payload = {
                    **row.payload,
                    "biz_opaque_callback_data": outbox.callback_data(row.id or 0),
                }
                recipient.outbox_id = row.id
                session.add(recipient)
        queued += len(pairs)
    broadcast.next_slot_at = slot
    session.add(broadcast)
    session.flush()
    if waiting:
        log.info("broadcast #%s waits for the messaging limit (%d a day)", broadcast.id, limit)
    return Expansion(queued, waiting)


def _queue_one(
    session: Session,
    broadcast: Broadcast,
    contact: Contact,
    now: datetime,
    slot: datetime,
    settings: BroadcastSettings,
) -> tuple[BroadcastRecipient, OutboxMessage | None]:
    recipient = BroadcastRecipient(
        broadcast_id=broadcast.id or 0, wa_id=contact.wa_id, queued_at=as_utc(now)
    )
    session.add(recipient)
    try:
        message = payload(broadcast, contact.wa_id, contact.name, settings)
    except LimitError as exc:
        log.warning("broadcast #%s skips %s: %s", broadcast.id, mask(contact.wa_id), exc)
        recipient.state, recipient.error = "skipped", str(exc)[:500]
        return recipient, None
    category: Any = broadcast.category
    (row,) = outbox.enqueue(session, contact.wa_id, [message], now=now, category=category)
    row.next_attempt_at = slot
    if row.state == "suppressed":
        recipient.state = "suppressed"
    return recipient, row


# -- after sending ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """How far a broadcast is.

    Attributes:
        audience: Customers it reached when it started.
        queued: Customers queued so far.
        unsent: Queued messages not yet sent or given up.
    """

    audience: int
    queued: int
    unsent: int

    @property
    def finished(self) -> int:
        """Customers whose message was sent or given up."""
        return self.queued - self.unsent


def _recipients_outbox(broadcast_id: int) -> Any:
    return (
        select(BroadcastRecipient, OutboxMessage)
        .join(OutboxMessage, col(OutboxMessage.id) == col(BroadcastRecipient.outbox_id))
        .where(BroadcastRecipient.broadcast_id == broadcast_id)
    )


def settle(session: Session, broadcast: Broadcast, now: datetime) -> Progress:
    """Record Meta's 131050 refusals as opt-outs (source ``meta``) and finish a broadcast whose
    customers are all queued and whose messages are all sent or given up."""
    refused = (
        _recipients_outbox(broadcast.id or 0)
        .where(col(BroadcastRecipient.stop_recorded).is_(False))
        .where(OutboxMessage.state == "failed")
        .where(col(OutboxMessage.last_error).contains(f"[{STOP_CODE}]"))
    )
    for recipient, _row in session.exec(refused):
        contact = session.exec(select(Contact).where(Contact.wa_id == recipient.wa_id)).first()
        if contact is not None and not contact.marketing_opt_out:
            detail = {"code": STOP_CODE, "broadcast": broadcast.id}
            record(session, contact, "out", "meta", now, detail)
        recipient.stop_recorded = True
        session.add(recipient)
    progress = progress_of(session, broadcast)
    if broadcast.state == "sending" and broadcast.expanded and progress.unsent == 0:
        broadcast.state = "done"
        broadcast.finished_at = as_utc(now)
        session.add(broadcast)
        log.info("broadcast #%s done: %d customer(s)", broadcast.id, progress.queued)
    return progress


def progress_of(session: Session, broadcast: Broadcast) -> Progress:
    """How far ``broadcast`` is (see :class:`Progress`)."""
    queued = session.exec(
        select(func.count(col(BroadcastRecipient.id))).where(
            BroadcastRecipient.broadcast_id == broadcast.id
        )
    ).one()
    unsent = session.exec(
        select(func.count(col(OutboxMessage.id)))
        .join(BroadcastRecipient, col(OutboxMessage.id) == col(BroadcastRecipient.outbox_id))
        .where(BroadcastRecipient.broadcast_id == broadcast.id)
        .where(OutboxMessage.state == "pending")
    ).one()
    return Progress(broadcast.audience or 0, int(queued), int(unsent))


# -- running ----------------------------------------------------------------------------------


def run(
    engine: Engine,
    business: BusinessConfig,
    broadcast_id: int,
    client: Sender,
    *,
    clock: Callable[[], datetime] = utcnow,
    sleep: Callable[[float], None] = time.sleep,
    on_progress: Callable[[Progress], None] | None = None,
    concurrency: int = 8,
) -> str:
    """Send broadcast ``broadcast_id`` in this process until it is done (``waflow broadcast send``).

    It starts a draft or scheduled broadcast, then queues and sends, paced; run again after an
    interruption, it resumes (messages cut off mid-send wait for their status webhook for the
    doubt period first). Other queued messages due meanwhile are sent too.

    Returns:
        The broadcast's state at the end (``done`` or ``cancelled``), or ``waiting`` when the
        messaging limit holds the rest back (the running bot goes on when it allows).

    Raises:
        BroadcastError: There is no such broadcast, or it cannot start.
    """
    settings = broadcast_settings(business)
    with transaction(engine) as session:
        broadcast = find(session, broadcast_id, lock=True)
        if broadcast.state in ("done", "cancelled"):
            return broadcast.state
        begin(session, broadcast, clock())
    sender = OutboxSender(
        engine,
        client,
        clock=clock,
        concurrency=concurrency,
        lease=settings.lease,
        doubt=settings.doubt_period,
    )
    horizon = timedelta(seconds=max(1.0, 2 * concurrency / settings.rate))
    try:
        while True:
            with transaction(engine) as session:
                broadcast = find(session, broadcast_id, lock=True)
                expansion = expand(
                    session, business, broadcast, clock(), horizon=horizon, settings=settings
                )
            sender.drain()
            with transaction(engine) as session:
                broadcast = find(session, broadcast_id, lock=True)
                progress = settle(session, broadcast, clock())
                state = broadcast.state
            if on_progress is not None:
                on_progress(progress)
            if state != "sending":
                return state
            if expansion.waiting and progress.unsent == 0:
                return "waiting"
            due = sender.next_due_in()
            sleep(min(0.5, 0.5 if due is None else max(due, 0.001)))
    finally:
        sender.close()


def broadcast_task(engine: Engine, business: BusinessConfig, now: datetime) -> bool:
    """The running bot's periodic work: start due scheduled broadcasts, queue the next ones.

    Each ``sending`` broadcast gets the customers who go out in the next 90 seconds (the task
    runs about once a minute); the bot's sender sends them when due.

    Returns:
        Whether messages were queued.
    """
    if not business.broadcasts.get("templates"):
        return False
    settings = broadcast_settings(business)
    with transaction(engine) as session:
        due = select(Broadcast).where(Broadcast.state == "scheduled")
        for broadcast in session.exec(due.where(col(Broadcast.scheduled_at) <= now)):
            begin(session, broadcast, now)
        sending = select(Broadcast.id).where(Broadcast.state == "sending")
        ids = list(session.exec(sending))
    queued = False
    for broadcast_id in ids:
        with transaction(engine) as session:
            broadcast = find(session, broadcast_id or 0, lock=True)
            expansion = expand(
                session, business, broadcast, now, horizon=timedelta(seconds=90), settings=settings
            )
            settle(session, broadcast, now)
        queued = queued or expansion.queued > 0
    return queued


__all__ = [
    "BATCH",
    "NAME",
    "BroadcastError",
    "Expansion",
    "Preview",
    "Progress",
    "begin",
    "broadcast_task",
    "cancel",
    "create",
    "expand",
    "find",
    "listing",
    "payload",
    "preview",
    "progress_of",
    "reached_today",
    "run",
    "sample_text",
    "schedule",
    "settle",
]
