"""The typed shape of a business file: frozen dataclasses, one per section.

This module owns only the data: what a shop, its catalog, delivery and payment options, its
message templates and its bookings settings look like once a business YAML file has been read
and checked (see :mod:`flows.features.business` for loading). Money is held in integer minor
units of ``business.currency``, durations as :class:`~datetime.timedelta`, times of day as
:class:`~datetime.time`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from bot.errors import ConfigError

ProductKind = Literal["physical", "digital"]
ProviderName = Literal["manual", "stripe"]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""The keys of ``hours``; index 0 is Monday, as in :meth:`datetime.date.weekday`."""


@dataclass(frozen=True)
class BusinessContact:
    """How customers reach the business (all optional, shown in messages as given)."""

    phone: str | None = None
    email: str | None = None
    address: str | None = None
    website: str | None = None


@dataclass(frozen=True)
class BusinessInfo:
    """The ``business`` section.

    Attributes:
        name: The shop's name.
        timezone: An IANA zone such as ``Europe/Madrid`` (checked with :mod:`zoneinfo`).
        currency: An ISO 4217 code such as ``EUR``; every amount in the file is in it.
        locale: A locale such as ``es_ES``, used to format amounts and dates.
        order_prefix: The letters in front of order numbers (``BK`` in ``BK-7F3K2``).
        contact: Phone, email, address, website.
    """

    name: str
    timezone: str
    currency: str
    locale: str = "en_US"
    order_prefix: str = "OR"
    contact: BusinessContact = field(default_factory=BusinessContact)

    @property
    def tz(self) -> ZoneInfo:
        """The time zone object."""
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class Category:
    """A product category shown as one row of a list message."""

    id: str
    title: str
    description: str | None = None


@dataclass(frozen=True)
class DigitalDelivery:
    """What a buyer of a digital product receives right after payment.

    Attributes:
        kind: ``document`` (a file sent as a WhatsApp document) or ``link`` (a text with a URL).
        url: The file's public URL, or the link.
        filename: The name the document is shown with (documents only).
    """

    kind: Literal["document", "link"]
    url: str
    filename: str | None = None


@dataclass(frozen=True)
class Product:
    """One product of the catalog.

    Attributes:
        id: Our id (also used in list row ids).
        title: The name customers see.
        price: The unit price in minor units of the business currency.
        category: The id of its category, if any.
        description: A longer text for the product detail.
        kind: ``physical`` (needs pickup or delivery) or ``digital`` (sent after payment).
        stock: The opening stock; ``None`` means unlimited. The live level is in the database.
        image: The URL of a product photo.
        retailer_id: The product's SKU in WhatsApp's native catalog, for ``order`` messages.
        digital: How a digital product is delivered.
        max_per_order: The most a customer may put in one order line.
    """

    id: str
    title: str
    price: int
    category: str | None = None
    description: str | None = None
    kind: ProductKind = "physical"
    stock: int | None = None
    image: str | None = None
    retailer_id: str | None = None
    digital: DigitalDelivery | None = None
    max_per_order: int = 50


@dataclass(frozen=True)
class Catalog:
    """The ``catalog`` section: categories and products, in the file's order.

    Attributes:
        categories: The categories.
        products: The products.
        catalog_id: The id of the Meta Commerce catalog linked to the WhatsApp number, if any.
    """

    categories: tuple[Category, ...] = ()
    products: tuple[Product, ...] = ()
    catalog_id: str | None = None

    def product(self, product_id: str) -> Product | None:
        """The product with this id, or ``None``."""
        return next((p for p in self.products if p.id == product_id), None)

    def by_retailer_id(self, retailer_id: str) -> Product | None:
        """The product with this native-catalog SKU (or, failing that, this id), or ``None``."""
        found = next((p for p in self.products if p.retailer_id == retailer_id), None)
        return found or next(
            (p for p in self.products if p.id == retailer_id and not p.retailer_id), None
        )

    def category(self, category_id: str) -> Category | None:
        """The category with this id, or ``None``."""
        return next((c for c in self.categories if c.id == category_id), None)

    def in_category(self, category_id: str | None) -> tuple[Product, ...]:
        """The products of a category; all products when ``category_id`` is ``None``."""
        if category_id is None:
            return self.products
        return tuple(p for p in self.products if p.category == category_id)


@dataclass(frozen=True)
class Delivery:
    """The ``delivery`` section.

    Attributes:
        pickup: Customers may collect their order.
        pickup_address: Where, shown in the order summary.
        delivery: The shop delivers to an address or a shared location.
        fee: The delivery fee in minor units.
        free_over: Orders whose subtotal is at least this much are delivered free.
    """

    pickup: bool = True
    pickup_address: str | None = None
    delivery: bool = False
    fee: int = 0
    free_over: int | None = None

    def fee_for(self, subtotal: int) -> int:
        """The delivery fee for an order of ``subtotal`` minor units."""
        if self.free_over is not None and subtotal >= self.free_over:
            return 0
        return self.fee


@dataclass(frozen=True)
class StripeSettings:
    """Stripe Checkout settings; the secrets themselves live in environment variables.

    Attributes:
        secret_key_env: The variable holding the secret API key (``sk_live_…``).
        webhook_secret_env: The variable holding the webhook endpoint secret (``whsec_…``).
        success_url: Where Stripe sends the customer after paying.
        cancel_url: Where Stripe sends the customer who gives up.
    """

    secret_key_env: str = "STRIPE_SECRET_KEY"  # noqa: S105 (a variable name)
    webhook_secret_env: str = "STRIPE_WEBHOOK_SECRET"  # noqa: S105
    success_url: str = ""
    cancel_url: str = ""

    def secret_key(self, environ: Mapping[str, str] | None = None) -> str:
        """Read the secret API key. Raises ConfigError when the variable is unset."""
        return _env(self.secret_key_env, environ)

    def webhook_secret(self, environ: Mapping[str, str] | None = None) -> str:
        """Read the webhook endpoint secret. Raises ConfigError when the variable is unset."""
        return _env(self.webhook_secret_env, environ)


def _env(name: str, environ: Mapping[str, str] | None) -> str:
    value = (os.environ if environ is None else environ).get(name, "").strip()
    if not value:
        raise ConfigError(
            f"the business file names the environment variable {name}, but it is not set"
        )
    return value


@dataclass(frozen=True)
class Payments:
    """The ``payments`` section.

    Attributes:
        provider: ``manual`` (instructions; staff marks orders paid) or ``stripe``.
        instructions: For ``manual``: how to pay; ``{number}`` and ``{total}`` are filled in.
        stripe: Stripe Checkout settings, for ``stripe``.
        unpaid_expiry: How long an unpaid order keeps its stock before it expires.
    """

    provider: ProviderName = "manual"
    instructions: str = "We will send you the payment details for order {number} ({total})."
    stripe: StripeSettings | None = None
    unpaid_expiry: timedelta = timedelta(minutes=30)


@dataclass(frozen=True)
class TemplateRef:
    """An approved template for messages outside the 24-hour window.

    Attributes:
        name: The template's name in WhatsApp Manager.
        language: Its language code, such as ``en_US``.
        params: Which values fill the body variables, in order (for ``order_update``:
            ``number``, ``status``, ``tracking_url``, ``total``, ``name``).
    """

    name: str
    language: str = "en_US"
    params: tuple[str, ...] = ()


@dataclass(frozen=True)
class Templates:
    """The ``templates`` section; a missing template means "do not send outside the window"."""

    order_update: TemplateRef | None = None
    booking_reminder: TemplateRef | None = None
    survey_invite: TemplateRef | None = None
    handoff: TemplateRef | None = None


@dataclass(frozen=True)
class Service:
    """A bookable service (``services[]``).

    Attributes:
        id: Our id.
        title: The name customers see.
        duration: How long it takes.
        price: The price in minor units, if shown.
        staff: Who can do it (free-form ids); empty means anyone.
    """

    id: str
    title: str
    duration: timedelta
    price: int | None = None
    staff: tuple[str, ...] = ()


@dataclass(frozen=True)
class TimeRange:
    """An opening interval within one day, ``start`` < ``end``."""

    start: time
    end: time


@dataclass(frozen=True)
class OpeningHours:
    """The ``hours`` section: opening intervals per weekday (0 = Monday); absent days are closed."""

    days: Mapping[int, tuple[TimeRange, ...]] = field(default_factory=dict)

    def on(self, day: date) -> tuple[TimeRange, ...]:
        """The intervals of the weekday of ``day`` (holidays are not applied here)."""
        return self.days.get(day.weekday(), ())


@dataclass(frozen=True)
class BookingSettings:
    """The ``booking`` section.

    Attributes:
        slot_length: The step between offered start times.
        min_notice: How far ahead of now a booking must start.
        horizon: How far into the future bookings are offered.
    """

    slot_length: timedelta = timedelta(minutes=30)
    min_notice: timedelta = timedelta(hours=1)
    horizon: timedelta = timedelta(days=30)


@dataclass(frozen=True)
class HandoffSettings:
    """The ``handoff`` section: who is told when a customer asks for a human.

    Attributes:
        notify_number: The staff WhatsApp number (digits, international form).
    """

    notify_number: str | None = None


@dataclass(frozen=True)
class BusinessConfig:
    """One business file, checked and typed. Attribute names follow the file's sections.

    Attributes:
        business: Name, time zone, currency, locale, contact.
        catalog: Categories and products.
        delivery: Pickup and delivery options.
        payments: The payment provider and unpaid-order expiry.
        templates: Templates for messages outside the 24-hour window.
        services: Bookable services.
        hours: Opening hours.
        holidays: Closed days.
        booking: Booking slot settings.
        surveys: Surveys by id: parsed by
            ``flows.features.surveys.definitions.parse_survey`` when that module exists, raw
            mappings otherwise.
        handoff: Human handoff settings.
        file: The file it was read from, if any.
    """

    business: BusinessInfo
    catalog: Catalog = field(default_factory=Catalog)
    delivery: Delivery = field(default_factory=Delivery)
    payments: Payments = field(default_factory=Payments)
    templates: Templates = field(default_factory=Templates)
    services: tuple[Service, ...] = ()
    hours: OpeningHours = field(default_factory=OpeningHours)
    holidays: tuple[date, ...] = ()
    booking: BookingSettings = field(default_factory=BookingSettings)
    surveys: Mapping[str, Any] = field(default_factory=dict)
    handoff: HandoffSettings = field(default_factory=HandoffSettings)
    file: str | None = None

    @property
    def currency(self) -> str:
        """The business currency (``business.currency``)."""
        return self.business.currency

    @property
    def tz(self) -> ZoneInfo:
        """The business time zone."""
        return self.business.tz

    def service(self, service_id: str) -> Service | None:
        """The service with this id, or ``None``."""
        return next((s for s in self.services if s.id == service_id), None)


__all__ = [
    "WEEKDAYS",
    "BookingSettings",
    "BusinessConfig",
    "BusinessContact",
    "BusinessInfo",
    "Catalog",
    "Category",
    "Delivery",
    "DigitalDelivery",
    "HandoffSettings",
    "OpeningHours",
    "Payments",
    "Product",
    "ProductKind",
    "ProviderName",
    "Service",
    "StripeSettings",
    "TemplateRef",
    "Templates",
    "TimeRange",
]
