"""The outbox: replies committed with the state that caused them, sent after commit.

A sender claims due *pending* rows with a lease: ``next_attempt_at`` moves to the lease's end,
``lease`` gets a new token and ``owner`` the claiming process's (:mod:`storage.senders`). A claim
whose owner is gone (its process id is dead, or, on another host, its heartbeat is stale) is
taken over at once; the lease's end is the last resort for every claim, owned or not (a claim
without an owner, an owner of this host that hangs but lives). A sender that lost its claim
records nothing (:func:`record_outcomes` checks the token). Only
each contact's oldest unsent row is due, which keeps its replies in order and lets one
contact's back-off leave everyone else alone.

The outbox is also the one place the marketing rule is enforced, so no feature can forget it:
a message queued with ``category="marketing"`` for a contact whose ``marketing_opt_out`` is
set is stored ``suppressed`` (with :data:`SUPPRESSED` as its ``last_error``) instead of
``pending``, so no sender ever claims it and the console and ``waflow db status`` show it.

A message that may find the customer's 24-hour window closed carries its ``fallback``: an
approved template's payload, sent in its place, or :data:`HOLD`. A held row (state ``held``,
:data:`HELD` in its ``last_error``) waits, out of the queue, until the customer next writes:
:func:`release_held`, in the turn that processes their message, makes it due again ahead of
the reply (head of line is the lowest id).

*Exactly once* for marketing (and broadcast) rows: the Cloud API has no idempotency key, so such a
row is sent with ``biz_opaque_callback_data`` naming it (:func:`callback_data`). A claim that finds
one whose last claim ended unrecorded (its sender died mid-send) does not send it again at once:
the row is *in doubt* (:data:`IN_DOUBT`) for a doubt period, during which a status webhook carrying
its callback data settles it (:func:`reconcile`: sent, or failed for a ``failed`` status); only
after that period without one is it sent again. Replies in a conversation keep the fast
at-least-once.

*The read lane*: the read receipt (and "typing…" indicator) of a customer message is a
:class:`~storage.models.ReadReceipt` row, queued with the message itself
(:func:`queue_receipts`, in the inbox's transaction, before the turn runs) in a table of its
own, so it is never a contact's head of line and nothing that counts or shows messages sees it.
A sender takes it (:func:`take_receipts`: deleted as it is taken, at most once) and sends it
beside the replies, best effort; one found stale is dropped.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any, Literal

from sqlalchemy import (
    JSON,
    Boolean,
    Integer,
    String,
    and_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    update,
)
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from storage import senders
from storage._types import UTCDateTime
from storage.models import Contact, InboundUpdate, OutboxMessage, ReadReceipt, utcnow

log = logging.getLogger(__name__)

_OUTBOX: Any = OutboxMessage.__table__  # type: ignore[attr-defined]

Category = Literal["marketing", "utility", "authentication"]
"""Meta's template categories; ``None`` in their place is a reply in a conversation."""
SUPPRESSED = "customer opted out of marketing"
"""The ``last_error`` of a marketing message stored ``suppressed``."""
HOLD = "hold"
"""A ``fallback``: keep the message until the customer next writes when the window is closed."""
HELD = "held: sent when the customer next writes"
"""The ``last_error`` (beginning) of a message stored ``held``."""
Fallback = dict[str, Any] | str
"""What to send when the window is closed: a template's payload, or :data:`HOLD`."""
IN_DOUBT = "in-doubt"
"""The ``lease`` of a row whose send may have reached Meta: it waits for its status webhook."""
DOUBT = timedelta(minutes=10)
"""How long an in-doubt row waits for its status webhook before it is sent again."""
CALLBACK_PREFIX = "waflow-outbox:"
"""The start of the ``biz_opaque_callback_data`` that names an outbox row."""


def enqueue(
    session: Session,
    wa_id: str,
    payloads: Sequence[dict[str, Any]],
    *,
    inbound_id: int | None = None,
    now: datetime | None = None,
    category: Category | None = None,
    fallback: Fallback | None = None,
    held: bool = False,
) -> list[OutboxMessage]:
    """Add replies for one contact to the outbox in the current transaction.

    ``now`` (the wall clock by default) stamps the rows and makes them due. The sender sends
    payloads as stored: check them against WhatsApp's limits first (``bot.messages`` builders
    do; ``bot.messages.check`` checks one written by hand). ``category`` says what kind of
    message it is (``None``: a reply in a conversation); ``marketing`` to a contact who opted
    out is stored ``suppressed``, never sent (check the rows' ``state``).

    ``fallback`` is what the sender does if the window is closed when it sends (a template's
    payload to send instead, or :data:`HOLD`; ``None``: the row fails). ``held`` stores the
    rows ``held`` at once (the caller knows the window is closed), to go out when the customer
    next writes (with :data:`HOLD` as their fallback unless one is given).
    """
    values = _rows(session, wa_id, payloads, inbound_id, now, category, fallback, held)
    rows = [OutboxMessage(**row) for row in values]
    session.add_all(rows)
    return rows


_ENQUEUE = insert(_OUTBOX)


def enqueue_rows(
    session: Session,
    wa_id: str,
    payloads: Sequence[dict[str, Any]],
    *,
    inbound_id: int | None = None,
    now: datetime | None = None,
    category: Category | None = None,
) -> None:
    """:func:`enqueue` as one plain ``INSERT`` (no ORM objects): the processing hot path.

    Without a ``category`` (a reply) it runs no other query.
    """
    if payloads:
        rows = _rows(session, wa_id, payloads, inbound_id, now, category, None, False)
        session.connection().execute(_ENQUEUE, rows)


def _rows(
    session: Session,
    wa_id: str,
    payloads: Sequence[dict[str, Any]],
    inbound_id: int | None,
    now: datetime | None,
    category: Category | None,
    fallback: Fallback | None,
    held: bool,
) -> list[dict[str, Any]]:
    # The table's column defaults fill state and attempts; the other columns stay NULL.
    now = now or utcnow()
    common: dict[str, Any] = dict(
        wa_id=wa_id, inbound_id=inbound_id, created_at=now, next_attempt_at=now, category=category
    )
    if held:  # and held again if the window closes before it is sent
        common.update(state="held", last_error=HELD, fallback=fallback or HOLD)
    elif fallback is not None:
        common["fallback"] = fallback
    if category == "marketing":
        contact_id = _opted_out(session, wa_id)
        if contact_id is not None:
            log.info(
                "%d marketing message(s) to contact #%d suppressed: %s",
                len(payloads),
                contact_id,
                SUPPRESSED,
            )
            common.update(state="suppressed", last_error=SUPPRESSED)
    return [dict(common, payload=p) for p in payloads]


def _opted_out(session: Session, wa_id: str) -> int | None:
    """The contact id of ``wa_id`` if they opted out of marketing; ``None`` otherwise."""
    query = select(Contact.id).where(Contact.wa_id == wa_id, col(Contact.marketing_opt_out))
    return session.exec(query).first()


def _heads(*, only_some: bool = False) -> Any:
    """Each contact's oldest pending row and its queue length (``only_some``: of ``wa_ids``)."""
    head = (
        select(
            func.min(OutboxMessage.id).label("id"),
            func.count(col(OutboxMessage.id)).label("queued"),
        )
        .where(OutboxMessage.state == "pending")
        .group_by(col(OutboxMessage.wa_id))
    )
    if only_some:
        head = head.where(col(OutboxMessage.wa_id).in_(bindparam("wa_ids", expanding=True)))
    return head.subquery()


@dataclass(frozen=True)
class Claimed:
    """A claimed head-of-line message, with what the sender needs to send it.

    Attributes:
        lease: This claim's token (pass it back in each :class:`Outcome`).
        leased_until: When the claim ends and another sender may take the row.
        more: Whether more rows of the same contact wait behind it.
        last_inbound_at: When the contact last wrote (the 24-hour window), if ever.
        fallback: What to do if the window is closed (see :func:`enqueue`).
        category: The message's category (``marketing`` is sent with callback data naming it).
    """

    id: int
    wa_id: str
    payload: dict[str, Any]
    attempts: int
    created_at: datetime
    lease: str
    leased_until: datetime
    more: bool
    last_inbound_at: datetime | None
    fallback: Fallback | None = None
    category: str | None = None


@dataclass(frozen=True)
class Claim:
    """What one :func:`claim` took, and whether more heads were due than it took."""

    rows: list[Claimed]
    more_due: bool


_owner_gone = senders.owner_gone()


@cache
def _claim_query(postgres: bool, only_some: bool) -> Any:
    """The claim's SELECT, built once per variant; parameters ``now``, ``n`` (and ``wa_ids``)."""
    heads = _heads(only_some=only_some)
    contact = Contact.__table__  # type: ignore[attr-defined]
    query = (
        sa_select(
            _OUTBOX.c.id,
            _OUTBOX.c.wa_id,
            _OUTBOX.c.payload,
            _OUTBOX.c.attempts,
            _OUTBOX.c.created_at,
            _OUTBOX.c.category,
            _OUTBOX.c.lease,
            heads.c.queued,
            contact.c.last_inbound_at,
            _OUTBOX.c.fallback,
        )
        .select_from(_OUTBOX)
        .join(heads, _OUTBOX.c.id == heads.c.id)
        .outerjoin(contact, contact.c.wa_id == _OUTBOX.c.wa_id)
        # Repeated outside the subquery: PostgreSQL re-checks only this WHERE on a row
        # another sender changed meanwhile (it does not re-run the GROUP BY), so a row
        # just marked sent, or claimed again, must fail it here.
        .where(_OUTBOX.c.state == "pending")
        .where(
            or_(
                _OUTBOX.c.next_attempt_at <= bindparam("now", type_=UTCDateTime()),
                # claimed by a process that is gone: taken over before its lease ends
                and_(_OUTBOX.c.lease.is_not(None), _OUTBOX.c.lease != IN_DOUBT, _owner_gone),
            )
        )
        .order_by(_OUTBOX.c.id)
        .limit(bindparam("n", type_=Integer()))
    )
    return query.with_for_update(skip_locked=True, of=_OUTBOX) if postgres else query


_LEASE = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id.in_(bindparam("ids", expanding=True)))
    .values(
        next_attempt_at=bindparam("until", type_=UTCDateTime()),
        lease=bindparam("token", type_=String()),
        owner=bindparam("owner", type_=String()),
    )
)


def claim(
    session: Session,
    now: datetime,
    *,
    limit: int = 100,
    lease: timedelta = timedelta(seconds=60),
    wa_ids: Sequence[str] | None = None,
    doubt: timedelta = DOUBT,
    owner: str | None = None,
    stale: timedelta = senders.STALE,
) -> Claim:
    """Claim the due head-of-line message of up to ``limit`` contacts.

    A head claimed by a sender process that is gone (:mod:`storage.senders`) is due at once.

    Args:
        session: An open transaction; commit it to make the claim visible to other senders.
        limit: At most this many rows. Keep it small (about the number sent in parallel): a
            claim must be sent before its lease ends, or another sender takes it over.
        lease: How long the claim holds before another sender may take the row again.
        wa_ids: Only these contacts (inline mode); all contacts when ``None``.
        doubt: How long a marketing row whose lease ran out unrecorded waits for its status
            webhook (:func:`reconcile`) before it is sent again; it is not claimed meanwhile.
        owner: The claiming process's token (:func:`storage.senders.register`); ``None``: the
            claim has no owner and only its lease's end frees it. An owned claim is freed
            earlier when its owner is gone, and at its lease's end in any case.
        stale: An owner of another host whose heartbeat is older than this is gone (one of
            this host is gone once :func:`storage.senders.reap` finds its process dead).

    Returns:
        The claimed rows, oldest first, leased until ``now + lease`` with this claim's token;
        and whether further heads were due (one more is read, not claimed, to know).
    """
    if wa_ids is not None and not wa_ids:
        return Claim([], False)
    conn = session.connection()
    query = _claim_query(conn.dialect.name == "postgresql", wa_ids is not None)
    params = {
        "now": now,
        "n": limit + 1,
        "wa_ids": list(wa_ids or ()),
        "alive_since": now - stale,
        "this_host": senders.this_host(),
    }
    found = conn.execute(query, params).all()
    more_due = len(found) > limit
    found = found[:limit]
    doubtful = [r.id for r in found if r.lease not in (None, IN_DOUBT) and exactly_once(r)]
    if doubtful:
        _put_in_doubt(conn, doubtful, now + doubt)
        found = [r for r in found if r.id not in doubtful]
        more_due = True
    if not found:
        return Claim([], more_due)
    token = uuid.uuid4().hex
    until = now + lease
    ids = [r.id for r in found]
    conn.execute(_LEASE, {"ids": ids, "until": until, "token": token, "owner": owner})
    return Claim(
        [
            Claimed(
                int(r.id),
                r.wa_id,
                dict(r.payload),
                int(r.attempts),
                r.created_at,
                token,
                until,
                int(r.queued) > 1,
                r.last_inbound_at,
                r.fallback,
                r.category,
            )
            for r in found
        ],
        more_due,
    )


def exactly_once(row: Any) -> bool:
    """Whether an outbox row (with ``category`` and ``payload``) is sent exactly once: marketing,
    or carrying its own callback data (a broadcast); a reply is sent at least once."""
    data = row.payload.get("biz_opaque_callback_data") if isinstance(row.payload, dict) else None
    return row.category == "marketing" or str(data or "").startswith(CALLBACK_PREFIX)


def callback_data(row_id: int) -> str:
    """The ``biz_opaque_callback_data`` naming outbox row ``row_id``."""
    return f"{CALLBACK_PREFIX}{row_id}"


def _put_in_doubt(conn: Connection, ids: list[int], until: datetime) -> None:
    log.warning(
        "%d marketing message(s) were being sent when their sender stopped; they wait until %s "
        "for a status webhook before being sent again",
        len(ids),
        until.isoformat(),
    )
    conn.execute(_LEASE, {"ids": ids, "until": until, "token": IN_DOUBT, "owner": None})


def _reconciling(**values: Any) -> Any:
    """The update settling the pending row ``r_id`` (for ``r_to``'s wa_id, when given)."""
    recipient = bindparam("r_to", type_=String())
    return (
        update(_OUTBOX)
        .where(_OUTBOX.c.id == bindparam("r_id"))
        .where(_OUTBOX.c.state == "pending")
        .where(or_(recipient.is_(None), _OUTBOX.c.wa_id == recipient))
        .values(wamid=bindparam("r_wamid", type_=String()), **values)
    )


_RECONCILE_SENT = _reconciling(
    state="sent",
    sent_at=func.coalesce(_OUTBOX.c.sent_at, bindparam("r_at", type_=UTCDateTime())),
)
_RECONCILE_FAILED = _reconciling(
    state="failed", last_error=bindparam("r_error", type_=String()), lease=None
)
_MAX_ROW_DIGITS = 18
"""The longest row id callback data may name (any 18 digits fit a database integer)."""


def reconcile(
    session: Session,
    data: str | None,
    wamid: str,
    at: datetime,
    *,
    recipient_id: str | None = None,
    failure: str | None = None,
) -> bool:
    """Settle the pending row a status webhook's ``biz_opaque_callback_data`` names.

    Any status proves Meta received the message, so an in-doubt row (or one whose answer was
    lost and is waiting for a retry) is never sent again. A ``failed`` status (``failure``: its
    error, ``[code] title``) records the row ``failed`` with it and ``wamid``, as a send Meta
    refused: its lease is dropped, so a sender still sending it records nothing over it. Any
    other status marks the row ``sent`` with ``wamid``; its lease is kept: the sender still
    sending it records its outcome as usual (:func:`record_outcomes` accepts the same wamid).

    Only :func:`callback_data` in ASCII digits counts, and a status naming its recipient
    (``recipient_id``) settles only a row for that wa_id: anything else changes nothing.

    Returns:
        Whether a pending row was settled.
    """
    if not data or not data.startswith(CALLBACK_PREFIX):
        return False
    number = data.removeprefix(CALLBACK_PREFIX)
    if not (number.isascii() and number.isdigit()) or len(number) > _MAX_ROW_DIGITS:
        return False
    params = {
        "r_id": int(number),
        "r_wamid": wamid,
        "r_at": at,
        "r_to": recipient_id.lstrip("+") if recipient_id else None,
        "r_error": failure[:2000] if failure is not None else None,
    }
    statement = _RECONCILE_SENT if failure is None else _RECONCILE_FAILED
    return bool(session.connection().execute(statement, params).rowcount)


@dataclass(frozen=True)
class Outcome:
    """What a sender learned about one claimed row, recorded by :func:`record_outcomes`.

    Attributes:
        lease: The token of the claim that sent it.
        state: ``sent``, ``pending`` (try again at ``next_attempt_at``), ``failed`` or
            ``held`` (the window was closed: wait for the customer's next message).
        error: The error of this attempt (``None`` once sent); cut to 2,000 characters.
        wamid: Meta's id of the accepted message.
        sent_at: When Meta accepted it.
        next_attempt_at: When to try again (``pending`` only).
        count_attempt: ``False`` when nothing reached Meta (sending paused): the try is not
            counted.
        payload: The fallback template sent (or to send) in the stored payload's place; the
            row's payload becomes it and its ``fallback`` is cleared.
    """

    row_id: int
    lease: str
    state: str
    error: str | None = None
    wamid: str | None = None
    sent_at: datetime | None = None
    next_attempt_at: datetime | None = None
    count_attempt: bool = True
    payload: dict[str, Any] | None = None


_RECORD = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id == bindparam("b_id"))
    .where(
        or_(
            _OUTBOX.c.lease == bindparam("b_lease"),
            # a send that outlived its lease, now in doubt, which Meta took: it is sent
            and_(_OUTBOX.c.lease == IN_DOUBT, bindparam("b_wamid", type_=String()).is_not(None)),
        )
    )
    # or already marked sent with this wamid by its status webhook (reconcile)
    .where(
        or_(_OUTBOX.c.state == "pending", _OUTBOX.c.wamid == bindparam("b_wamid", type_=String()))
    )
    .values(
        state=bindparam("b_state", type_=String()),
        wamid=func.coalesce(bindparam("b_wamid", type_=String()), _OUTBOX.c.wamid),
        sent_at=bindparam("b_sent_at", type_=UTCDateTime()),
        last_error=bindparam("b_error", type_=String()),
        next_attempt_at=func.coalesce(
            bindparam("b_next", type_=UTCDateTime()), _OUTBOX.c.next_attempt_at
        ),
        attempts=_OUTBOX.c.attempts + bindparam("b_tried", type_=Integer()),
        lease=None,
        owner=None,
    )
)


_SWAP = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id == bindparam("b_id"))
    .where(_OUTBOX.c.lease == bindparam("b_lease"))
    .where(_OUTBOX.c.state == "pending")
    .values(payload=bindparam("b_payload", type_=JSON()), fallback=None)
)


def record_outcomes(session: Session | Connection, outcomes: Sequence[Outcome]) -> int:
    """Record outcomes in one statement; rows whose lease is no longer theirs are left alone.

    An outcome with a ``payload`` (a fallback template sent instead) first swaps the row's payload,
    in one more statement. One exception to the lease rule: a row put in doubt (:data:`IN_DOUBT`)
    takes a late outcome that Meta accepted the message (it has a wamid), which settles the doubt.

    Returns:
        How many rows were updated: fewer than ``len(outcomes)`` when claims had ended and
        another sender had taken the rows over meanwhile.
    """
    if not outcomes:
        return 0
    conn = session.connection() if isinstance(session, Session) else session
    swaps = [
        {"b_id": o.row_id, "b_lease": o.lease, "b_payload": o.payload}
        for o in outcomes
        if o.payload is not None
    ]
    if swaps:
        conn.execute(_SWAP, swaps)
    params = [
        {
            "b_id": o.row_id,
            "b_lease": o.lease,
            "b_state": o.state,
            "b_wamid": o.wamid,
            "b_sent_at": o.sent_at,
            "b_error": o.error[:2000] if o.error is not None else None,
            "b_next": o.next_attempt_at,
            "b_tried": 1 if o.count_attempt else 0,
        }
        for o in outcomes
    ]
    if len(params) == 1:
        return int(conn.execute(_RECORD, params[0]).rowcount)
    # executemany: drivers report the total rowcount of every parameter set, or -1.
    count = conn.execute(_RECORD, params).rowcount
    return int(count) if count is not None and count >= 0 else len(params)


_RELEASE = (
    update(_OUTBOX)
    .where(_OUTBOX.c.wa_id == bindparam("r_wa_id"))
    .where(_OUTBOX.c.state == "held")
    .values(
        state="pending",
        next_attempt_at=bindparam("r_now", type_=UTCDateTime()),
        last_error=bindparam("r_note", type_=String()),
    )
)


def release_held(session: Session, wa_id: str, now: datetime) -> int:
    """Make the contact's held messages due now (they wrote: the window is open again).

    Call it in the transaction of the turn that processes their message, before its reply is
    queued: the held rows have lower ids, so they go out first, in their original order. One
    ``UPDATE``, through the ``(state, next_attempt_at)`` index: it reads held rows only.

    Returns:
        How many were released.
    """
    params = {"r_wa_id": wa_id, "r_now": now, "r_note": "released: the customer wrote again"}
    count = session.connection().execute(_RELEASE, params).rowcount
    if count:
        log.info("%d held message(s) released: the customer wrote again", count)
    return int(count or 0)


def window_closed_after_send(session: Session, wamid: str) -> str | None:
    """Apply a sent row's fallback when Meta later reports 131047 for it (a status webhook).

    A fallback template is due at once (as of the row's own send time).

    Returns:
        ``template`` (its fallback template is due now in its place), ``held``, or ``None`` (no
        such row, or it had no fallback: it stays as it is).
    """
    found = session.exec(
        select(OutboxMessage).where(
            OutboxMessage.wamid == wamid,
            # or recorded failed by that status itself (reconcile), if it named the row
            col(OutboxMessage.state).in_(("sent", "failed")),
        )
    ).first()
    if found is None or found.fallback is None:
        return None
    note = "the 24-hour window was closed (131047)"
    if isinstance(found.fallback, dict):
        found.payload, found.state = found.fallback, "pending"
        found.last_error = f"{note}; sent as template {template_name(found.fallback)} instead"
        found.next_attempt_at = found.sent_at or found.next_attempt_at
        kind = "template"
    else:
        found.state, found.last_error = "held", f"{HELD} ({note})"
        kind = "held"
    found.fallback, found.wamid, found.sent_at = None, None, None
    session.add(found)
    return kind


def template_name(payload: dict[str, Any]) -> str:
    """The name of a template payload's template (``?`` if it is not one)."""
    template = payload.get("template")
    return str(template.get("name", "?")) if isinstance(template, dict) else "?"


def next_due_at(session: Session) -> datetime | None:
    """When the earliest head-of-line message becomes due (rows behind a head wait for it)."""
    heads = _heads()
    query = select(func.min(OutboxMessage.next_attempt_at)).join(
        heads, col(OutboxMessage.id) == heads.c.id
    )
    return session.exec(query).one()


# -- the read lane --------------------------------------------------------------------------

_RECEIPT: Any = ReadReceipt.__table__  # type: ignore[attr-defined]
_INBOUND: Any = InboundUpdate.__table__  # type: ignore[attr-defined]
_CONTACT: Any = Contact.__table__  # type: ignore[attr-defined]

NO_RECEIPT_TYPES = ("reaction", "revoke", "system")
"""Customer "messages" that get no read receipt: nothing the customer wrote is waiting."""
RECEIPT_STALE = timedelta(seconds=25)
"""A receipt older than this is dropped: Meta's typing indicator lasts 25 s at most."""


_MAX_WAMID = 255
"""The longest wamid a receipt is queued for (its column holds 300; real ones are far shorter)."""


def _queue_receipts_statement() -> Any:
    message = _INBOUND.c.value[("messages", 0)]
    wamid = message[("id",)].as_string()
    kind = message[("type",)].as_string()
    found = sa_select(
        _INBOUND.c.wa_id,
        wamid,
        bindparam("typing", type_=Boolean()),
        _INBOUND.c.id,
        bindparam("now", type_=UTCDateTime()),
    ).where(
        _INBOUND.c.id.in_(bindparam("ids", expanding=True)),
        _INBOUND.c.kind == "message",
        _INBOUND.c.wa_id.is_not(None),
        func.length(wamid) <= _MAX_WAMID,  # garbage would not fit: no receipt, never a 500
        func.coalesce(kind, "").not_in(NO_RECEIPT_TYPES),
    )
    columns = ["wa_id", "message_id", "typing", "inbound_id", "created_at"]
    return insert(_RECEIPT).from_select(columns, found)


_QUEUE_RECEIPTS = _queue_receipts_statement()


def queue_receipts(
    session: Session, inbound_ids: Sequence[int], *, typing: bool, now: datetime
) -> int:
    """Queue the read receipt of each customer message among the inbox rows ``inbound_ids``.

    One ``INSERT … SELECT`` in the caller's transaction (the one storing the messages): rows
    that are not customer messages, and reactions, revokes and system messages, get none.

    Args:
        typing: Also show the typing indicator (a reply is expected).

    Returns:
        How many were queued.
    """
    if not inbound_ids:
        return 0
    params = {"ids": list(inbound_ids), "typing": typing, "now": now}
    return int(session.connection().execute(_QUEUE_RECEIPTS, params).rowcount or 0)


@dataclass(frozen=True)
class Receipt:
    """A read receipt taken for sending.

    Attributes:
        message_id: The customer message's wamid.
        typing: Show the typing indicator too (no reply queued for the contact yet).
        created_at: When it was queued (with the message).
    """

    wa_id: str
    message_id: str
    typing: bool
    created_at: datetime


def _take_receipts_query(postgres: bool) -> Any:
    replies = _OUTBOX.alias("reply")
    since = replies.c.created_at >= _RECEIPT.c.created_at
    queued = exists().where(
        replies.c.wa_id == _RECEIPT.c.wa_id, replies.c.state == "pending", since
    )
    answered = exists().where(
        replies.c.wa_id == _RECEIPT.c.wa_id,
        replies.c.state == "sent",
        replies.c.sent_at >= _RECEIPT.c.created_at,
    )
    now = bindparam("now", type_=UTCDateTime())
    paused = or_(_CONTACT.c.paused == literal(True), _CONTACT.c.paused_until > now)
    query = (
        sa_select(
            _RECEIPT.c.id,
            _RECEIPT.c.wa_id,
            _RECEIPT.c.message_id,
            _RECEIPT.c.typing,
            _RECEIPT.c.created_at,
            queued.label("queued"),
            or_(answered, func.coalesce(paused, False)).label("moot"),
        )
        .select_from(_RECEIPT)
        .outerjoin(_CONTACT, _CONTACT.c.wa_id == _RECEIPT.c.wa_id)
        .order_by(_RECEIPT.c.id)
        .limit(bindparam("n", type_=Integer()))
    )
    return query.with_for_update(skip_locked=True, of=_RECEIPT) if postgres else query


_TAKE_RECEIPTS = {postgres: _take_receipts_query(postgres) for postgres in (False, True)}
_DELETE_RECEIPTS = delete(_RECEIPT).where(_RECEIPT.c.id.in_(bindparam("ids", expanding=True)))


def take_receipts(
    session: Session, now: datetime, *, limit: int = 100, stale: timedelta = RECEIPT_STALE
) -> list[Receipt]:
    """Take the oldest queued read receipts (deleted here: each is sent at most once).

    Dropped instead of returned: one older than ``stale``, one whose contact a reply was sent
    to since it was queued, or whose bot is paused (a person is answering: they read it), and
    all but a contact's newest (marking a message read marks the earlier ones too). One whose
    contact has a reply queued since comes without the typing indicator.

    Returns:
        What to send, oldest first. Nothing is read from the outbox's queue of replies.
    """
    conn = session.connection()
    found = conn.execute(
        _TAKE_RECEIPTS[conn.dialect.name == "postgresql"], {"now": now, "n": limit}
    ).all()
    if not found:
        return []
    conn.execute(_DELETE_RECEIPTS, {"ids": [r.id for r in found]})
    newest = {r.wa_id: r for r in found}  # marking a message read marks the earlier ones too
    return [
        Receipt(r.wa_id, r.message_id, bool(r.typing) and not r.queued, r.created_at)
        for r in found
        if newest[r.wa_id] is r and not r.moot and now - r.created_at <= stale
    ]


__all__ = [
    "CALLBACK_PREFIX",
    "DOUBT",
    "HELD",
    "HOLD",
    "IN_DOUBT",
    "NO_RECEIPT_TYPES",
    "RECEIPT_STALE",
    "SUPPRESSED",
    "Category",
    "Claim",
    "Claimed",
    "Fallback",
    "Outcome",
    "Receipt",
    "callback_data",
    "claim",
    "enqueue",
    "enqueue_rows",
    "exactly_once",
    "next_due_at",
    "queue_receipts",
    "reconcile",
    "record_outcomes",
    "release_held",
    "take_receipts",
    "template_name",
    "window_closed_after_send",
]
