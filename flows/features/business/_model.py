"""The typed shape of a business file: frozen pydantic models that read and check each section.

This module owns what a shop, its catalog, delivery and payment options, its message templates
and its bookings settings look like, and the rules each section follows. The models *are* the
configuration objects the features use: :func:`~flows.features.business.load_business`
validates the YAML against :class:`BusinessFile` (errors located by file, line and key path,
unknown keys with a "did you mean") and hands out a :class:`BusinessConfig`. Money is held in
integer minor units of ``business.currency`` (read as quoted decimal text, ``price: "12.50"``,
or whole minor units, ``price_minor: 1250``; a bare YAML number is refused because ``12.5``
would be a float and ``1250`` is ambiguous), durations as :class:`~datetime.timedelta`, times
of day as :class:`~datetime.time`.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, ClassVar, Literal, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    StrictBool,
    StrictInt,
    ValidationInfo,
    model_validator,
)

from bot.errors import ConfigError
from flows import (
    BUILTIN_CATALOGS,
    LANGUAGES,
    SOURCE,
    USER_DOMAIN,
    Catalogs,
    OptText,
    Record,
    Source,
    Strings,
    Text,
    Texts,
    Typed,
    fail,
    items,
    language_of,
    parse_duration,
    problem,
    texts_for,
)
from flows.features.business.money import format_money, is_currency, parse_amount
from flows.features.business.timestamps import as_utc
from storage import outbox

ProductKind = Literal["physical", "digital"]
ProviderName = Literal["manual", "stripe"]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""The keys of ``hours``; index 0 is Monday, as in :meth:`datetime.date.weekday`."""
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_PREFIX_RE = re.compile(r"^[A-Z]{1,4}$")
_ENV_RE = re.compile(r"^[A-Z_][A-Z0-9_]*$")
_TEMPLATE_RE = re.compile(r"^[a-z0-9_]{1,512}$")
_UNKNOWN_CURRENCY = "unknown currency {value!r}: use an ISO 4217 code such as EUR or USD"
_PLACEHOLDERS = "instructions may only use the placeholders {{number}} and {{total}}"
_RANGE_RE = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")
TEMPLATE_PARAMS: Mapping[str, frozenset[str] | None] = MappingProxyType(
    {
        "order_update": frozenset({"number", "status", "tracking_url", "total", "name"}),
        "booking_reminder": frozenset(
            {"name", "service", "date", "time", "when", "staff", "id", "business"}
        ),
        "booking_update": frozenset(
            {"name", "service", "date", "time", "when", "staff", "id", "business", "status"}
        ),
        "survey_invite": frozenset({"name", "survey", "business"}),
        "handoff": frozenset({"name", "number", "message", "business", "link"}),
        "replies": None,
    }
)
"""Each use of a template (a key of ``templates``) → the parameter names its feature fills.

``None``: any names (``replies``: each labels a field staff fill in). The features fill them in
``shop.order_status``, ``booking.reminders``, ``booking.notices``, ``surveys.invites`` and
``handoff.handoff``; their tests send each use with every name listed here.
"""
_USE_DEFAULTS: Mapping[str, Mapping[str, Any]] = MappingProxyType(
    {
        "order_update": {"params": ("number", "status")},
        "survey_invite": {"category": "marketing"},  # by Meta's rules
    }
)
_DECLARING = frozenset({"params", "category"})
"""A use giving one of these declares its template; naming only ``name`` (and ``language``)
refers to a declared one."""


# -- field types ------------------------------------------------------------------------------


def _check(test: Any, message: str) -> AfterValidator:
    """An ``AfterValidator`` refusing values (other than ``None``) for which ``test`` is false."""

    def check(value: Any) -> Any:
        if value is not None and not test(value):
            raise problem(message.format(value=value))
        return value

    return AfterValidator(check)


_LANGUAGES = ", ".join(LANGUAGES)


def _known_language(name: str) -> bool:
    return name in LANGUAGES


def _zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _amount(value: Any, info: ValidationInfo) -> int:
    """Quoted decimal text in the business currency (``info.context["currency"]``)."""
    key = info.field_name
    if isinstance(value, int) and not isinstance(value, bool) and info.context is None:
        return value  # built in Python, already in minor units
    if not isinstance(value, str):
        raise problem(
            f'write {key!r} as quoted text such as {key}: "12.50", or in minor units as '
            f"{key}_minor: 1250 (a bare number can lose cents); got {value!r}"
        )
    try:
        return parse_amount(value, (info.context or {}).get("currency", "EUR"))
    except ValueError as exc:
        raise problem(str(exc)) from exc


def _span(value: Any) -> timedelta:
    return value if isinstance(value, timedelta) else parse_duration(value)


Id = Annotated[
    Text, _check(_ID_RE.match, "ids are 1-64 letters, digits, '_', '-' or '.'; got {value!r}")
]
_URL = _check(
    lambda v: v.startswith(("https://", "http://")), "must be an http(s) URL, got {value!r}"
)
Url = Annotated[OptText, _URL]
StrictUrl = Annotated[Text, _URL]
Money = Annotated[int, BeforeValidator(_amount)]
OptMoney = Annotated[int | None, BeforeValidator(_amount)]
Minor = Annotated[StrictInt | None, Field(ge=0, repr=False)]
Span = Annotated[timedelta, BeforeValidator(_span)]
EnvName = Annotated[
    Text,
    _check(
        _ENV_RE.match, "must name an environment variable such as STRIPE_SECRET_KEY, got {value!r}"
    ),
]


def _unique(records: tuple[Any, ...], field_name: str, what: str, where: str) -> list[Any]:
    """A ``duplicate <what>`` problem for each repeated ``field_name``, at ``where[i].field``."""
    values = [getattr(record, field_name) for record in records]
    return [
        (f"duplicate {what} {value!r}", (where, index, field_name))
        for index, value in enumerate(values)
        if value is not None and value in values[:index]
    ]


class _Priced(Record):
    """A record whose ``amounts`` may each be given as ``key`` or, in minor units, ``key_minor``."""

    amounts: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def rules(cls, data: dict[str, Any]) -> list[tuple[str, tuple[str | int, ...]]]:
        return [
            (f"give either {key!r} or {key}_minor, not both", (key,))
            for key in cls.amounts
            if key in data and f"{key}_minor" in data
        ]

    @model_validator(mode="after")
    def _minor(self) -> Self:
        for key in self.amounts:
            minor = getattr(self, f"{key}_minor")
            if minor is not None:
                object.__setattr__(self, key, minor)
        return self


# -- business and catalog -----------------------------------------------------------------------


class BusinessContact(Record, what="business.contact"):
    """How customers reach the business (all optional, shown in messages as given)."""

    phone: OptText = None
    email: OptText = None
    address: OptText = None
    website: Url = None


class BusinessInfo(Record, what="business", expected="the 'business' section to be a mapping"):
    """The ``business`` section.

    Attributes:
        timezone: An IANA zone such as ``Europe/Madrid`` (checked with :mod:`zoneinfo`).
        currency: An ISO 4217 code such as ``EUR``; every amount in the file is in it.
        locale: A locale such as ``es_ES``, used to format amounts and dates.
        language: The language customers are answered in by default (``en``, ``es``,
            ``pt_BR``, ``id``; see docs/languages.md); by default the language of ``locale``.
        order_prefix: The letters in front of order numbers (``BK`` in ``BK-7F3K2``); by
            default the first two letters of the name.
    """

    name: Text
    timezone: Annotated[
        Text, _check(_zone, "unknown time zone {value!r}: use an IANA name such as Europe/Madrid")
    ]
    currency: Annotated[Text, _check(is_currency, _UNKNOWN_CURRENCY)]
    locale: Text = "en_US"
    language: Annotated[
        OptText, _check(_known_language, "unknown language {value!r}: use one of " + _LANGUAGES)
    ] = None
    order_prefix: Annotated[
        Text, _check(_PREFIX_RE.match, "order_prefix must be 1-4 capital letters, got {value!r}")
    ] = ""
    contact: BusinessContact = BusinessContact()

    @model_validator(mode="before")
    @classmethod
    def _default_language(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and data.get("language") is None:
            locale = data.get("locale")
            return {**data, "language": language_of(locale if isinstance(locale, str) else None)}
        return data

    @model_validator(mode="after")
    def _prefix(self) -> BusinessInfo:
        if not self.order_prefix:
            letters = [ch for ch in self.name.upper() if "A" <= ch <= "Z"]
            prefix = "".join(letters[:2]) if len(letters) >= 2 else "OR"
            object.__setattr__(self, "order_prefix", prefix)
        return self

    @property
    def tz(self) -> ZoneInfo:
        """The time zone object."""
        return ZoneInfo(self.timezone)


class Category(Record, what="a category"):
    """A product category shown as one row of a list message."""

    id: Id
    title: Text
    description: OptText = None


class DigitalDelivery(Record, what="digital"):
    """What a buyer of a digital product receives right after payment.

    Written ``{document: URL, filename: ...}`` (a file sent as a WhatsApp document) or
    ``{link: URL}`` (a text with a URL).
    """

    document: Url = None
    link: Url = None
    filename: OptText = None

    @classmethod
    def rules(cls, data: dict[str, Any]) -> list[tuple[str, tuple[str | int, ...]]]:
        if ("document" in data) == ("link" in data):
            return [("give exactly one of 'document' (a file URL) or 'link'", ())]
        return []

    @property
    def kind(self) -> Literal["document", "link"]:
        """``document`` or ``link``."""
        return "link" if self.link else "document"

    @property
    def url(self) -> str:
        """The file's public URL, or the link."""
        return self.link or self.document or ""


class Product(_Priced, what="a product"):
    """One product of the catalog.

    Attributes:
        price: The unit price in minor units of the business currency.
        kind: ``physical`` (needs pickup or delivery) or ``digital`` (sent after payment).
        stock: The opening stock; ``None`` means unlimited. The live level is in the database.
        retailer_id: The product's SKU in WhatsApp's native catalog, for ``order`` messages.
        max_per_order: The most a customer may put in one order line.
    """

    id: Id
    title: Text
    price: Money = 0
    price_minor: Minor = None
    category: OptText = None
    description: OptText = None
    kind: ProductKind = "physical"
    stock: Annotated[StrictInt | None, Field(ge=0)] = None
    image: Url = None
    retailer_id: OptText = None
    digital: DigitalDelivery | None = None
    max_per_order: Annotated[StrictInt, Field(ge=1)] = 50
    amounts = ("price",)

    @classmethod
    def rules(cls, data: dict[str, Any]) -> list[tuple[str, tuple[str | int, ...]]]:
        found = super().rules(data)
        if "price" not in data and "price_minor" not in data:
            found.append(("a product needs 'price' (quoted, e.g. \"12.50\") or 'price_minor'", ()))
        kind = data.get("kind", "physical")
        if kind == "digital" and "digital" not in data:
            message = (
                "a digital product needs 'digital: {document: URL, filename: ...}' or '{link: URL}'"
            )
            found.append((message, ()))
        if kind == "physical" and "digital" in data:
            found.append(("'digital' is only for products with kind: digital", ("digital",)))
        return found


class Catalog(Record, what="catalog"):
    """The ``catalog`` section: categories and products, in the file's order.

    ``catalog_id`` is the id of the Meta Commerce catalog linked to the WhatsApp number, if any.
    """

    categories: tuple[Category, ...] = ()
    products: tuple[Product, ...] = ()
    catalog_id: OptText = None

    @model_validator(mode="after")
    def _references(self) -> Catalog:
        found = _unique(self.categories, "id", "category id", "categories")
        found += _unique(self.products, "id", "product id", "products")
        found += _unique(self.products, "retailer_id", "retailer_id", "products")
        known = {c.id for c in self.categories}
        for index, product in enumerate(self.products):
            if product.category is not None and product.category not in known:
                names = ", ".join(sorted(known)) or "none defined"
                message = f"unknown category {product.category!r} (known: {names})"
                found.append((message, ("products", index, "category")))
        if found:
            fail(*found)
        return self

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


# -- delivery, payments, templates --------------------------------------------------------------


class Delivery(_Priced, what="delivery"):
    """The ``delivery`` section (amounts in minor units).

    Attributes:
        pickup: Customers may collect their order (at ``pickup_address``, if given).
        delivery: The shop delivers to an address or a shared location (by default when a
            fee is given).
        free_over: Orders whose subtotal is at least this much are delivered free.
    """

    pickup: StrictBool = True
    pickup_address: OptText = None
    delivery: StrictBool = False
    fee: Money = 0
    fee_minor: Minor = None
    free_over: OptMoney = None
    free_over_minor: Minor = None
    amounts = ("fee", "free_over")

    @model_validator(mode="after")
    def _delivers(self) -> Delivery:
        given = self.model_fields_set
        if "delivery" not in given and given & {"fee", "fee_minor"}:
            object.__setattr__(self, "delivery", True)
        return self

    def fee_for(self, subtotal: int) -> int:
        """The delivery fee for an order of ``subtotal`` minor units."""
        if self.free_over is not None and subtotal >= self.free_over:
            return 0
        return self.fee


class StripeSettings(Record, what="stripe", expected="a 'stripe' mapping (provider: stripe)"):
    """Stripe Checkout settings; the secrets themselves live in environment variables.

    Attributes:
        secret_key_env: The variable holding the secret API key (``sk_live_…``).
        webhook_secret_env: The variable holding the webhook endpoint secret (``whsec_…``).
        success_url: Where Stripe sends the customer after paying.
        cancel_url: Where Stripe sends the customer who gives up.
    """

    secret_key_env: EnvName = "STRIPE_SECRET_KEY"  # noqa: S105 (a variable name)
    webhook_secret_env: EnvName = "STRIPE_WEBHOOK_SECRET"  # noqa: S105
    success_url: StrictUrl = ""
    cancel_url: StrictUrl = ""

    @classmethod
    def rules(cls, data: dict[str, Any]) -> list[tuple[str, tuple[str | int, ...]]]:
        if data.get("success_url") is None or data.get("cancel_url") is None:
            return [("stripe needs success_url and cancel_url (https URLs)", ())]
        return []

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


def _placeholders(text: str) -> bool:
    try:
        text.format(number="X", total="X")
    except (KeyError, IndexError, ValueError):
        return False
    return True


class Payments(Record, what="payments"):
    """The ``payments`` section.

    Attributes:
        provider: ``manual`` (instructions; staff marks orders paid) or ``stripe``.
        instructions: For ``manual``: how to pay; ``{number}`` and ``{total}`` are filled in.
        stripe: Stripe Checkout settings, for ``stripe``.
        unpaid_expiry: How long an unpaid order keeps its stock before it expires.
    """

    provider: ProviderName = "manual"
    instructions: Annotated[Text, _check(_placeholders, _PLACEHOLDERS)] = (
        "We will send you the payment details for order {number} ({total})."
    )
    stripe: StripeSettings | None = None
    unpaid_expiry: Span = timedelta(minutes=30)

    @classmethod
    def rules(cls, data: dict[str, Any]) -> list[tuple[str, tuple[str | int, ...]]]:
        if data.get("provider") == "stripe" and data.get("stripe") is None:
            return [("expected a 'stripe' mapping (provider: stripe), got nothing", ("stripe",))]
        return []


class TemplateRef(Record, what="a template", expected="a name or a mapping"):
    """An approved template for messages outside the 24-hour window.

    Written as its name or ``{name, language, params, category}``: under ``templates.approved``
    (declared once, as in WhatsApp Manager) or where a feature uses it (``templates.<use>``).
    A use that gives only the name (and the language) refers to a declared template; one that
    gives ``params`` or ``category`` declares it there.

    Attributes:
        name: The template's name in WhatsApp Manager.
        language: Its language code, such as ``en_US`` (by default ``templates.language``).
        params: Which values fill the body variables, in order (each use fills the names
            :data:`TEMPLATE_PARAMS` lists, such as ``number`` and ``status`` for
            ``order_update``).
        category: Its category in WhatsApp Manager: ``marketing`` templates are never sent to
            a customer who opted out (``utility`` by default; ``survey_invite``: ``marketing``).
    """

    name: Text
    language: Text = "en_US"
    params: Strings = ()
    category: outbox.Category = "utility"

    @classmethod
    def shorthand(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value

    @classmethod
    def rules(cls, data: dict[str, Any]) -> list[tuple[str, tuple[str | int, ...]]]:
        name = data.get("name")
        if isinstance(name, str) and not _TEMPLATE_RE.match(name):
            return [(f"template names are lowercase letters, digits and '_', got {name!r}", ())]
        return []


_Loc = tuple[str | int, ...]
_Problem = tuple[str, _Loc]
_Declared = dict[tuple[str, str], tuple[TemplateRef, frozenset[str], str]]
"""(name, language) → the declaration, its declared fields, and its key path (first one wins)."""


def _where(loc: _Loc, root: str = "templates") -> str:
    """``("replies", 1)`` → ``templates.replies[1]``: the key path of ``loc`` under ``root``."""
    return root + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)


def _declare(
    declared: _Declared,
    ref: TemplateRef,
    fields: frozenset[str],
    loc: _Loc,
    root: str = "templates",
) -> list[_Problem]:
    """Record ``ref`` declared at ``loc`` (under ``root``); a problem per field it declares
    differently from before."""
    key = (ref.name, ref.language)
    if key not in declared:
        declared[key] = (ref, fields, _where(loc, root))
        return []
    first, known, where = declared[key]
    found = [
        (
            f"template {ref.name!r} ({ref.language}) is declared twice with different {name}: "
            f"{_shown(getattr(first, name))} at {where}, {_shown(getattr(ref, name))} here",
            (*loc, name),
        )
        for name in sorted(fields & known)
        if getattr(first, name) != getattr(ref, name)
    ]
    if not found and fields - known:
        extra = {name: getattr(ref, name) for name in fields - known}
        declared[key] = (first.model_copy(update=extra), known | fields, where)
    return found


def _shown(value: Any) -> str:
    return f"[{', '.join(value)}]" if isinstance(value, tuple) else str(value)


class Templates(Record, what="templates"):
    """The ``templates`` section; a missing template means "do not send outside the window".

    ``approved`` declares the shop's approved templates once, each with its category and
    parameters (``waflow templates pull`` prints them from the Cloud API, ``waflow templates
    check`` compares them with it). Each use (the keys of :data:`TEMPLATE_PARAMS` this section
    has: ``order_update``, ``survey_invite``, ``replies``...) names a declared template, or
    declares one where it stands as a mapping with ``params`` or ``category``. Loading checks
    that each use names only parameters its feature fills, that with ``approved`` given every
    name is declared, that no template is declared twice differently, and that no use is an
    ``authentication`` template (one-time passcodes only). ``language`` is the
    language of every template that names none; ``replies`` are the approved templates staff
    may send a customer from the console's inbox outside the 24-hour window (their ``params``
    name the fields staff fill in).
    """

    approved: tuple[TemplateRef, ...] = ()
    order_update: TemplateRef | None = None
    booking_reminder: TemplateRef | None = None
    booking_update: TemplateRef | None = None
    survey_invite: TemplateRef | None = None
    handoff: TemplateRef | None = None
    replies: tuple[TemplateRef, ...] = ()
    language: Text = "en_US"

    def uses(self) -> Iterator[tuple[str, TemplateRef]]:
        """Each use of a template the file gives, as ``(use, template)`` (``replies`` once each)."""
        for use, _loc, ref in self._uses():
            yield use, ref

    def declared(self) -> tuple[TemplateRef, ...]:
        """Every template the file declares or uses, once per name and language.

        ``approved`` first, then the uses' own, in the file's order.
        """
        found: dict[tuple[str, str], TemplateRef] = {}
        for ref in (*self.approved, *(ref for _use, ref in self.uses())):
            found.setdefault((ref.name, ref.language), ref)
        return tuple(found.values())

    def _uses(self) -> Iterator[tuple[str, _Loc, TemplateRef]]:
        for use in TEMPLATE_PARAMS:
            if use == "replies":
                yield from ((use, ("replies", i), ref) for i, ref in enumerate(self.replies))
            elif use in type(self).model_fields and (ref := getattr(self, use)) is not None:
                yield use, (use,), ref

    def _in_language(self, ref: TemplateRef) -> TemplateRef:
        if "language" in ref.model_fields_set:
            return ref
        return ref.model_copy(update={"language": self.language})

    def resolve(
        self,
        refs: Sequence[TemplateRef],
        root: str,
        *,
        use: str,
        defaults: Mapping[str, Any] | None = None,
    ) -> tuple[tuple[TemplateRef, ...], list[tuple[str, str]]]:
        """Complete the templates another section lists, as this section's uses are completed.

        For a feature's own section, checked once the file is loaded (see
        :func:`~flows.features.business.on_section`): each of ``refs`` names a template declared
        in this section (in any case, ``approved`` given or not) or declares its own with
        ``params`` or ``category``, never differently from another declaration; none may be an
        ``authentication`` template.

        Args:
            refs: The templates as written (a :class:`TemplateRef` keeps which fields it gives).
            root: Their key path in the file, such as ``broadcasts.templates``.
            use: What they are for, in messages (``a broadcast``).
            defaults: The fields a template declared in ``refs`` has unless it gives them
                (``{"category": "marketing"}``).

        Returns:
            The templates completed (those that can be) and the problems, each as ``(message,
            key path)``.
        """
        declared, _found = self._declarations(self.approved)
        found: list[_Problem] = []
        for index, ref in enumerate(refs):
            if given := ref.model_fields_set & _DECLARING:
                found += _declare(
                    declared, self._in_language(ref), frozenset(given), (index,), root
                )
        resolved: list[TemplateRef] = []
        for index, ref in enumerate(refs):
            done = self._resolved((index,), ref, declared, catalog=True, defaults=defaults or {})
            if isinstance(done, TemplateRef):
                resolved.append(done)
                found += _use_problems(use, (index,), ref, done, declared, None, root)
            else:
                found.append(done)
        return tuple(resolved), [(message, _where(loc, root)) for message, loc in found]

    def _declarations(self, approved: tuple[TemplateRef, ...]) -> tuple[_Declared, list[_Problem]]:
        """The templates ``approved`` and the uses declare; a problem per conflicting one."""
        declared: _Declared = {}
        found: list[_Problem] = []
        for index, ref in enumerate(approved):
            found += _declare(declared, ref, _DECLARING, ("approved", index))
        for _use, loc, ref in self._uses():
            if given := ref.model_fields_set & _DECLARING:
                found += _declare(declared, self._in_language(ref), frozenset(given), loc)
        return declared, found

    @model_validator(mode="after")
    def _resolve(self) -> Templates:
        approved = tuple(self._in_language(ref) for ref in self.approved)
        found: list[_Problem] = [
            (
                f"a declared template needs its 'category' as in WhatsApp Manager (marketing, "
                f"utility or authentication); {ref.name!r} has none",
                ("approved", index),
            )
            for index, ref in enumerate(self.approved)
            if "category" not in ref.model_fields_set
        ]
        declared, conflicts = self._declarations(approved)
        found += conflicts
        uses = list(self._uses())
        resolved: dict[_Loc, TemplateRef] = {}
        for use, loc, ref in uses:
            defaults = _USE_DEFAULTS.get(use, {})
            ref_or_problem = self._resolved(loc, ref, declared, bool(approved), defaults)
            if isinstance(ref_or_problem, TemplateRef):
                resolved[loc] = ref_or_problem
                fillable = TEMPLATE_PARAMS[use]
                found += _use_problems(use, loc, ref, ref_or_problem, declared, fillable)
            else:
                found.append(ref_or_problem)
        if found:
            fail(*found)
        object.__setattr__(self, "approved", approved)
        for use, loc, _ref in uses:
            if use != "replies":
                object.__setattr__(self, use, resolved[loc])
        replies = tuple(resolved[("replies", i)] for i in range(len(self.replies)))
        object.__setattr__(self, "replies", replies)
        return self

    def _resolved(
        self,
        loc: _Loc,
        ref: TemplateRef,
        declared: _Declared,
        catalog: bool,
        defaults: Mapping[str, Any],
    ) -> TemplateRef | _Problem:
        """``ref`` completed from its declaration and the use's ``defaults``, or why it can't be."""
        given = ref.model_fields_set & _DECLARING
        chosen = "language" in ref.model_fields_set
        ref = self._in_language(ref)
        same = [key for key in declared if key[0] == ref.name]
        if chosen or (ref.name, self.language) in declared:
            same = [key for key in same if key[1] == ref.language]
        if len(same) > 1:
            languages = ", ".join(sorted(language for _name, language in same))
            message = (
                f"template {ref.name!r} is declared in several languages ({languages}): "
                f"say which, as {{name: {ref.name}, language: ...}}"
            )
            return message, loc
        if not same and not given and catalog:
            return _undeclared(ref, declared), loc
        update: dict[str, Any] = dict(defaults)
        if same:
            declaration, fields, _where_declared = declared[same[0]]
            update |= {name: getattr(declaration, name) for name in fields}
            update["language"] = declaration.language
        update |= {name: getattr(ref, name) for name in given}
        return ref.model_copy(update=update)


def _undeclared(ref: TemplateRef, declared: _Declared) -> str:
    """Why ``ref`` (a name only) matches no declared template, with what it may have meant."""
    languages = sorted(language for name, language in declared if name == ref.name)
    if languages:
        return (
            f"template {ref.name!r} is not declared in {ref.language} (declared in "
            f"{', '.join(languages)}); declare it under templates.approved"
        )
    names = sorted({name for name, _language in declared})
    close = difflib.get_close_matches(ref.name, names, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return (
        f"template {ref.name!r} is not declared{hint} (declared: {', '.join(names)}); "
        "declare it under templates.approved"
    )


def _use_problems(
    use: str,
    loc: _Loc,
    ref: TemplateRef,
    resolved: TemplateRef,
    declared: _Declared,
    fillable: frozenset[str] | None,
    root: str = "templates",
) -> list[_Problem]:
    """What is wrong with ``resolved`` (``ref`` as written, at ``loc`` under ``root``) as the
    template of ``use``, whose feature fills the parameters ``fillable`` (``None``: any)."""
    found: list[_Problem] = []
    given = ref.model_fields_set
    origin = declared.get((resolved.name, resolved.language))
    here_path = _where(loc, root)
    elsewhere = f" (declared at {origin[2]})" if origin and origin[2] != here_path else ""
    if fillable is not None:
        known = ", ".join(sorted(fillable))
        here = "params" in given
        where, declared_at = ((*loc, "params"), "") if here else (loc, elsewhere)
        found += [
            (f"unknown {use} parameter {name!r}{declared_at} (known: {known})", where)
            for name in resolved.params
            if name not in fillable
        ]
    if resolved.category == "authentication":
        here = "category" in given
        message = (
            f"template {resolved.name!r}{'' if here else elsewhere} is an authentication "
            f"template: Meta allows those for one-time passcodes only, so {use} needs a utility "
            "or marketing template"
        )
        found.append((message, (*loc, "category") if here else loc))
    return found


# -- bookings, handoff --------------------------------------------------------------------------


class Service(_Priced, what="a service"):
    """A bookable service (``services[]``).

    ``duration`` is written like ``45m`` or ``1h30m``; ``price`` (minor units) is optional;
    ``staff`` names who can do it (free-form ids; empty means anyone).
    """

    id: Id
    title: Text
    duration: Span
    price: OptMoney = None
    price_minor: Minor = None
    staff: Strings = ()
    amounts = ("price",)


class TimeRange(Record):
    """An opening interval within one day, ``start`` < ``end``."""

    start: time
    end: time


def _clock(hours: str, minutes: str) -> time | None:
    h, m = int(hours), int(minutes)
    return time(h, m) if h < 24 and m < 60 else None


def _range(text: Any) -> TimeRange:
    match = _RANGE_RE.match(text.strip()) if isinstance(text, str) else None
    start = _clock(*match.group(1, 2)) if match else None
    end = _clock(*match.group(3, 4)) if match else None
    if start is None or end is None or start >= end:
        raise problem(f'opening hours look like "09:00-13:00" (start before end), got {text!r}')
    return TimeRange(start=start, end=end)


def _day(value: Any) -> tuple[TimeRange, ...]:
    """``"09:00-13:00"``, a list of such ranges in order, or ``closed``."""
    if isinstance(value, tuple):  # built in Python
        return value
    if value == "closed":
        return ()
    if not isinstance(value, list):
        return (_range(value),)
    ranges = items(value, _range)
    late = [
        (f"{value[i]!r} overlaps or comes before the previous interval", (i,))
        for i in range(1, len(ranges))
        if ranges[i].start < ranges[i - 1].end
    ]
    if late:
        fail(*late)
    return tuple(ranges)


_Day = Annotated[tuple[TimeRange, ...], BeforeValidator(_day)]


class OpeningHours(Record, what="hours"):
    """The ``hours`` section: opening intervals per weekday; absent days are closed.

    Written ``mon: ["09:00-13:00", "16:00-20:00"]``, ``sat: "10:00-14:00"``, ``sun: closed``.
    """

    mon: _Day = ()
    tue: _Day = ()
    wed: _Day = ()
    thu: _Day = ()
    fri: _Day = ()
    sat: _Day = ()
    sun: _Day = ()

    def on(self, day: date) -> tuple[TimeRange, ...]:
        """The intervals of the weekday of ``day`` (holidays are not applied here)."""
        intervals: tuple[TimeRange, ...] = getattr(self, WEEKDAYS[day.weekday()])
        return intervals


def _notice(value: Any) -> Any:
    return timedelta(0) if value in (0, "0", "0m") else value


class BookingSettings(Record, what="booking"):
    """The ``booking`` section.

    Attributes:
        slot_length: The step between offered start times.
        min_notice: How far ahead of now a booking must start (``0`` allows right away).
        horizon: How far into the future bookings are offered.
    """

    slot_length: Span = timedelta(minutes=30)
    min_notice: Annotated[Span, BeforeValidator(_notice)] = timedelta(hours=1)
    horizon: Span = timedelta(days=30)


def _phone(number: str | None) -> str | None:
    if number is None:
        return None
    digits = re.sub(r"[\s()+-]", "", number)
    if not digits.isdigit() or not 6 <= len(digits) <= 15:
        raise problem(f"notify_number must be a phone number in international form, got {number!r}")
    return digits


class HandoffSettings(Record, what="handoff"):
    """The ``handoff`` section: who is told of a handoff request, and when the bot speaks again.

    Attributes:
        notify_number: The staff number alerted when a customer asks for a person.
        console_url: The console's address (``https://shop.example.com``): the alert then
            links to the customer's conversation.
        echo_pause_minutes: How long the bot stays quiet for a customer after a person wrote to
            them from the WhatsApp Business app (``0``: it does not).
        release_after_minutes: Give a customer back to the bot after this long without a
            message either way (unset: never).
        release_text: What a customer given back to the bot is told.
        after_hours_text: What a customer asking for a person outside the opening hours is
            told; ``{opens}`` becomes the next opening time.
    """

    notify_number: Annotated[OptText, AfterValidator(_phone)] = None
    console_url: Annotated[Url, AfterValidator(lambda url: url and url.rstrip("/"))] = None
    echo_pause_minutes: Annotated[StrictInt, Field(ge=0)] = 30
    release_after_minutes: Annotated[StrictInt | None, Field(ge=1)] = None
    release_text: Text = (
        "You're chatting with our assistant again. Send *menu* to see what I can do."
    )
    after_hours_text: Text = (
        "We're closed right now. Someone from the team will answer here when we open, {opens}."
    )


def _holiday(value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise problem(f"holidays are dates such as 2025-12-25, got {value!r}") from None


def _holidays(value: Any) -> tuple[date, ...]:
    if not isinstance(value, list):
        raise problem("holidays must be a list of dates such as 2025-12-25")
    return tuple(sorted(set(items(value, _holiday))))


# -- the file -----------------------------------------------------------------------------------


class BusinessFile(
    Typed, what="the business file", expected="the file to be a mapping with a 'business' section"
):
    """The whole business file as written; :func:`load_business` turns it into a config."""

    business: BusinessInfo | None = None
    catalog: Catalog = Catalog()
    delivery: Delivery = Delivery()
    payments: Payments = Payments()
    templates: Templates = Templates()
    services: tuple[Service, ...] = ()
    hours: OpeningHours = OpeningHours()
    holidays: Annotated[tuple[date, ...], BeforeValidator(_holidays)] = ()
    booking: BookingSettings = BookingSettings()
    surveys: dict[str, Any] = Field(default_factory=dict)
    handoff: HandoffSettings = HandoffSettings()
    consent: dict[str, Any] = Field(default_factory=dict)
    privacy: dict[str, Any] = Field(default_factory=dict)
    broadcasts: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def rules(cls, data: dict[str, Any]) -> list[tuple[str, tuple[str | int, ...]]]:
        if data.get("business") is None:
            return [("the file needs a 'business' section (name, timezone, currency)", ())]
        return []

    @model_validator(mode="after")
    def _fulfilment(self) -> BusinessFile:
        physical = any(p.kind == "physical" for p in self.catalog.products)
        if physical and not (self.delivery.pickup or self.delivery.delivery):
            fail(("physical products need pickup: true or delivery: true", ("delivery",)))
        return self


@dataclass(frozen=True)
class BusinessConfig:
    """One business file, checked and typed; each attribute is the section of the same name.

    ``surveys`` holds the surveys by id as the surveys feature reads them (see
    :func:`~flows.features.business.on_section`), raw mappings when it is not loaded; so does
    ``consent`` hold the consent feature's settings by key, and ``privacy`` the privacy
    feature's; ``file`` is the file it was read from, if any.
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
    consent: Mapping[str, Any] = field(default_factory=dict)
    privacy: Mapping[str, Any] = field(default_factory=dict)
    broadcasts: Mapping[str, Any] = field(default_factory=dict)
    file: str | None = None

    @property
    def currency(self) -> str:
        """The business currency (``business.currency``)."""
        return self.business.currency

    @property
    def tz(self) -> ZoneInfo:
        """The business time zone."""
        return self.business.tz

    def local(self, moment: datetime) -> datetime:
        """``moment`` on the business's wall clock (a naive one is UTC)."""
        return as_utc(moment).astimezone(self.tz)

    def service(self, service_id: str) -> Service | None:
        """The service with this id, or ``None``."""
        return next((s for s in self.services if s.id == service_id), None)

    def money(self, minor: int, currency: str | None = None) -> str:
        """``minor`` units of ``currency`` (default: the business's) in the business's locale."""
        return format_money(minor, currency or self.currency, self.business.locale)

    @property
    def catalogs(self) -> Catalogs:
        """The business's message catalogs (``locales/`` next to its file), then waflow's."""
        return business_catalogs(self.file)

    def texts(self, language: str | None = None) -> Texts:
        """The words and formats for a customer whose remembered language is ``language``
        (``Contact.language``); the business's language when ``None``."""
        info = self.business
        return texts_for(
            language, info.language or SOURCE, locale=info.locale, catalogs=self.catalogs
        )


@cache
def business_catalogs(file: str | None) -> Catalogs:
    """The catalogs of the business file ``file``: its ``locales/`` folder, then waflow's."""
    if file is None:
        return BUILTIN_CATALOGS
    return Catalogs(Source(Path(file).resolve().parent / "locales", USER_DOMAIN))
