"""Stripe Checkout without the Stripe SDK: create sessions, verify webhooks, handle their events.

:class:`StripeCheckout` creates a Checkout Session with one form-encoded POST (its ``_post`` is
the only place that touches ``requests``, sending an ``Idempotency-Key`` so a retried turn gets
the same session). :func:`verify_signature` checks ``Stripe-Signature`` (HMAC-SHA256 of
``"{t}.{raw body}"``, constant-time, 300 s tolerance). :func:`handle_event` marks the order paid
on a completed session whose payment is ``paid`` for the right amount, expires it on
``checkout.session.expired``, and handles each event id once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

import requests
from sqlmodel import Session

from flows import Texts
from flows.features.business import BusinessConfig, StripeSettings
from flows.features.business.timestamps import as_utc
from flows.features.shop._errors import PaymentError, SignatureError
from flows.features.shop.models import Order, OrderLine, add_event, record_payment_event
from flows.features.shop.order_status import mark_paid, update_order_status
from flows.features.shop.orders import get_order
from flows.features.shop.payments import PaymentStart

log = logging.getLogger(__name__)

API_BASE = "https://api.stripe.com/v1"
SIGNATURE_HEADER = "Stripe-Signature"
TOLERANCE = 300
"""Seconds a signed webhook stays acceptable (Stripe's libraries use the same default)."""
_MIN_SESSION = timedelta(minutes=31)  # Stripe refuses expires_at under 30 minutes away
HANDLED_EVENTS = (
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.expired",
    "checkout.session.async_payment_failed",
)


class StripeError(PaymentError):
    """Stripe answered with an error or could not be reached.

    ``str(exc)`` is safe for customers; ``detail`` holds Stripe's own message for logs.
    """

    def __init__(
        self, detail: str, *, http_status: int | None = None, code: str | None = None
    ) -> None:
        super().__init__(
            "Sorry, we could not start the payment right now. Please try again in a moment."
        )
        self.detail = detail
        self.http_status = http_status
        self.code = code
        self.in_progress = http_status == 409  # the same idempotency key is in flight
        self.transient = http_status is None or http_status in (409, 429) or http_status >= 500


STRIPE_LOCALES = {"en": "en", "es": "es", "pt_BR": "pt-BR", "id": "id"}
"""Stripe Checkout's ``locale`` for each language waflow speaks."""


def checkout_form(
    order: Order,
    lines: Sequence[OrderLine],
    settings: StripeSettings,
    now: datetime,
    texts: Texts | None = None,
) -> list[tuple[str, str]]:
    """The form fields of ``POST /v1/checkout/sessions`` for an order (amounts in minor units);
    the items' names and the page itself (Stripe's ``locale``) in ``texts``' language (by
    default English)."""
    texts = texts or Texts()
    currency = order.currency.lower()
    fields: list[tuple[str, str]] = [
        ("mode", "payment"),
        ("locale", STRIPE_LOCALES.get(texts.language, "auto")),
        ("success_url", settings.success_url),
        ("cancel_url", settings.cancel_url),
        ("client_reference_id", order.number),
        ("metadata[order_number]", order.number),
        ("payment_intent_data[metadata][order_number]", order.number),
    ]
    items = [(texts(line.title), line.unit_price, line.quantity) for line in lines]
    if order.delivery_fee:
        items.append((texts("Delivery"), order.delivery_fee, 1))
    for index, (name, amount, quantity) in enumerate(items):
        prefix = f"line_items[{index}]"
        fields += [
            (f"{prefix}[quantity]", str(quantity)),
            (f"{prefix}[price_data][currency]", currency),
            (f"{prefix}[price_data][unit_amount]", str(amount)),
            (f"{prefix}[price_data][product_data][name]", name),
        ]
    if order.expires_at is not None:
        expires = max(as_utc(order.expires_at), as_utc(now) + _MIN_SESSION)
        fields.append(("expires_at", str(int(expires.timestamp()))))
    return fields


class StripeCheckout:
    """The Stripe Checkout payment provider.

    Requests go to :attr:`api_base` (set it to test against stripe-mock) and time out after
    :attr:`timeout` seconds; connection errors, 409 (a concurrent request with the same
    idempotency key is still running), 429 and 5xx are tried :attr:`attempts` times in all, with
    the same idempotency key.

    Args:
        settings: From the business file.
        secret_key: The secret API key (from the environment variable the file names).
    """

    name = "stripe"
    remote = True
    api_base = API_BASE
    timeout = 10.0
    attempts = 2

    def __init__(self, settings: StripeSettings, *, secret_key: str) -> None:
        self.settings = settings
        self._key = secret_key
        self._http = requests.Session()
        self._sleep: Callable[[float], None] = time.sleep

    def start(
        self,
        order: Order,
        lines: Sequence[OrderLine],
        business: BusinessConfig,
        now: datetime,
        texts: Texts,
    ) -> PaymentStart:
        """Create a Checkout Session for the order; its URL is the payment page, in the
        customer's language."""
        form = checkout_form(order, lines, self.settings, now, texts)
        session = self._post(
            "/checkout/sessions", form, idempotency_key=f"waflow-checkout-{order.number}"
        )
        url, ref = session.get("url"), session.get("id")
        if not isinstance(url, str) or not isinstance(ref, str):
            raise StripeError("the Checkout Session has no id or url")
        return PaymentStart(reference=ref, url=url)

    def _post(
        self, path: str, form: list[tuple[str, str]], *, idempotency_key: str
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self._key}", "Idempotency-Key": idempotency_key}
        error: StripeError | None = None
        for attempt in range(self.attempts):
            if attempt:
                self._sleep(0.5 * attempt)
            try:
                response = self._http.post(
                    self.api_base + path, data=form, headers=headers, timeout=self.timeout
                )
            except requests.RequestException as exc:
                error = StripeError(f"cannot reach Stripe: {type(exc).__name__}")
                continue
            try:
                body: Any = response.json()
            except ValueError:
                body = {}
            if response.ok and isinstance(body, dict):
                return body
            details = body.get("error", {}) if isinstance(body, dict) else {}
            error = StripeError(
                f"HTTP {response.status_code}: {details.get('message', 'no error message')}",
                http_status=response.status_code,
                code=details.get("code") or details.get("type"),
            )
            if not error.transient:
                break
        assert error is not None
        level = logging.INFO if error.in_progress else logging.ERROR  # its answer comes later
        log.log(level, "Stripe %s failed: %s", path, error.detail)
        raise error


def signature_header(payload: bytes, secret: str, timestamp: int) -> str:
    """The ``Stripe-Signature`` value Stripe would send (for tests and local tooling)."""
    digest = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify_signature(payload: bytes, header: str | None, secret: str, *, now: datetime) -> None:
    """Check a Stripe webhook's signature over the raw body (exactly as received).

    Args:
        payload: The request body.
        header: The ``Stripe-Signature`` header.
        secret: The endpoint's signing secret (``whsec_…``).
        now: The current time; the signed timestamp may be :data:`TOLERANCE` seconds away.

    Raises:
        SignatureError: Missing or malformed header, no matching ``v1`` signature, or a
            timestamp outside the tolerance (a replayed capture).
    """
    if not header:
        raise SignatureError(f"missing {SIGNATURE_HEADER} header")
    pairs = [part.strip().split("=", 1) for part in header.split(",") if "=" in part]
    stamps = [value for key, value in pairs if key == "t"]
    candidates = [value for key, value in pairs if key == "v1"]
    if len(stamps) != 1 or not stamps[0].isdigit() or not candidates:
        raise SignatureError(f"malformed {SIGNATURE_HEADER} header")
    expected = signature_header(payload, secret, int(stamps[0])).split("v1=", 1)[1]
    if not any(hmac.compare_digest(expected, candidate) for candidate in candidates):
        raise SignatureError("signature does not match")
    if abs(as_utc(now).timestamp() - int(stamps[0])) > TOLERANCE:
        raise SignatureError("signature timestamp is outside the tolerance")


def parse_event(payload: bytes) -> dict[str, Any]:
    """Decode a webhook body into an event dict.

    Raises:
        PaymentError: Not JSON, or not an event.
    """
    try:
        event = json.loads(payload)
    except (UnicodeDecodeError, ValueError) as exc:
        raise PaymentError("the webhook body is not JSON") from exc
    if not isinstance(event, dict) or not all(
        isinstance(event.get(k), str) for k in ("id", "type")
    ):
        raise PaymentError("the webhook body is not a Stripe event")
    return event


def handle_event(
    session: Session, business: BusinessConfig, event: dict[str, Any], now: datetime
) -> str:
    """Apply a verified Stripe event to its order, once per event id.

    The event is recorded in ``session`` with its effects; ``event`` must be verified
    (:func:`verify_signature`, :func:`parse_event`).

    Returns:
        What happened: ``paid``, ``already_paid``, ``refund_needed`` (paid after the order was
        cancelled, or expired with its stock gone), ``expired``, ``duplicate``, ``ignored``,
        ``unknown_order``, ``awaiting_payment``, ``amount_mismatch`` or ``payment_failed``.
    """
    now = as_utc(now)
    etype = str(event.get("type"))
    if etype not in HANDLED_EVENTS:
        return "ignored"
    obj = (event.get("data") or {}).get("object") or {}
    metadata = obj.get("metadata") or {}
    number = obj.get("client_reference_id") or metadata.get("order_number")
    number = str(number) if number else None
    if not record_payment_event(session, "stripe", str(event["id"]), etype, number, now):
        return "duplicate"
    order = get_order(session, number) if number else None
    if order is None:
        log.warning("Stripe event %s (%s) names no known order", event.get("id"), etype)
        return "unknown_order"
    if etype == "checkout.session.expired":
        if order.status != "pending_payment" or order.payment_reference != obj.get("id"):
            return "ignored"
        update_order_status(session, business, order.number, "expired", now=now, actor="stripe")
        return "expired"
    if etype == "checkout.session.async_payment_failed":
        add_event(session, order, now, note="the customer's payment failed", actor="stripe")
        return "payment_failed"
    if obj.get("payment_status") != "paid":
        return "awaiting_payment"
    amount, currency = obj.get("amount_total"), str(obj.get("currency", "")).upper()
    if amount != order.total or currency != order.currency:
        text = f"Stripe reported {amount} {currency}, the order is {order.total} {order.currency}: check it"
        add_event(session, order, now, note=text, actor="stripe")
        log.error("order %s: %s", order.number, text)
        return "amount_mismatch"
    intent = obj.get("payment_intent")
    note = f"Stripe payment {intent}" if isinstance(intent, str) else None
    change = mark_paid(session, business, order.number, now=now, actor="stripe", note=note)
    if change.changed:
        return "paid"
    return "refund_needed" if change.order.status in ("expired", "cancelled") else "already_paid"


__all__ = [
    "API_BASE",
    "HANDLED_EVENTS",
    "SIGNATURE_HEADER",
    "TOLERANCE",
    "StripeCheckout",
    "StripeError",
    "checkout_form",
    "handle_event",
    "parse_event",
    "signature_header",
    "verify_signature",
]
