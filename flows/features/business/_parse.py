"""Reading each section of a business file into the dataclasses of ``_model``.

Every reader records problems on a :class:`flows._fields.Reader` (file, line and key path)
instead of raising, so one load reports every mistake of a file. Prices are read as quoted
decimal text (``price: "12.50"``) or integer minor units (``price_minor: 1250``); a bare YAML
number is refused because ``12.5`` would be a float and ``1250`` is ambiguous.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flows._fields import Reader
from flows._yaml import join
from flows.features.business._model import (
    BusinessContact,
    BusinessInfo,
    Catalog,
    Category,
    Delivery,
    DigitalDelivery,
    Payments,
    Product,
    StripeSettings,
    TemplateRef,
    Templates,
)
from flows.features.business.money import is_currency, parse_amount

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_PREFIX_RE = re.compile(r"^[A-Z]{1,4}$")
_ENV_RE = re.compile(r"^[A-Z_][A-Z0-9_]*$")
_TEMPLATE_RE = re.compile(r"^[a-z0-9_]{1,512}$")
ORDER_UPDATE_PARAMS = frozenset({"number", "status", "tracking_url", "total", "name"})
TOP_LEVEL = (
    "business", "catalog", "delivery", "payments", "templates",
    "services", "hours", "holidays", "booking", "surveys", "handoff",
)  # fmt: skip


def _url(r: Reader, data: Mapping[str, Any], key: str, path: str) -> str | None:
    value = r.text(data, key, path)
    if value is not None and not value.startswith(("https://", "http://")):
        r.error(f"{key!r} must be an http(s) URL, got {value!r}", join(path, key))
        return None
    return value


def money(r: Reader, data: Mapping[str, Any], key: str, path: str, currency: str) -> int | None:
    """Read ``key`` (quoted decimal text) or ``key_minor`` (whole minor units); ``None`` if absent."""
    minor_key = f"{key}_minor"
    if key in data and minor_key in data:
        r.error(f"give either {key!r} or {minor_key!r}, not both", join(path, key))
        return None
    if minor_key in data:
        return r.integer(data, minor_key, path, minimum=0)
    value = data.get(key)
    if value is None:
        return None
    where = join(path, key)
    if isinstance(value, bool) or not isinstance(value, str):
        r.error(
            f'write {key!r} as quoted text such as {key}: "12.50", or in minor units as '
            f"{minor_key}: 1250 (a bare number can lose cents); got {value!r}",
            where,
        )
        return None
    try:
        return parse_amount(value, currency)
    except ValueError as exc:
        r.error(str(exc), where)
        return None


def unique_id(
    r: Reader, data: Mapping[str, Any], path: str, what: str, seen: set[str]
) -> str | None:
    value = r.required(data, "id", path, what)
    if value is None:
        return None
    if not ID_RE.match(value):
        r.error(
            f"{what} id must be 1-64 letters, digits, '_', '-' or '.'; got {value!r}",
            join(path, "id"),
        )
        return None
    if value in seen:
        r.error(f"duplicate {what} id {value!r}", join(path, "id"))
        return None
    seen.add(value)
    return value


def item_list(r: Reader, value: Any, path: str, what: str) -> list[tuple[str, dict[str, Any]]]:
    if value is None:
        return []
    if not isinstance(value, list):
        r.error(f"{what} must be a list, got {type(value).__name__}", path)
        return []
    return [(join(path, i), r.mapping(item, join(path, i))) for i, item in enumerate(value)]


def read_business(r: Reader, raw: Any) -> BusinessInfo | None:
    """The ``business`` section."""
    path = "business"
    data = r.mapping(raw, path, "the 'business' section to be a mapping")
    r.keys(
        data,
        path,
        ("name", "timezone", "currency", "locale", "order_prefix", "contact"),
        "business",
    )
    name = r.required(data, "name", path, "business")
    zone = r.required(data, "timezone", path, "business")
    if zone is not None:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            r.error(
                f"unknown time zone {zone!r}: use an IANA name such as Europe/Madrid",
                join(path, "timezone"),
            )
            zone = None
    currency = r.required(data, "currency", path, "business")
    if currency is not None and not is_currency(currency):
        r.error(
            f"unknown currency {currency!r}: use an ISO 4217 code such as EUR or USD",
            join(path, "currency"),
        )
        currency = None
    locale = r.text(data, "locale", path) or "en_US"
    prefix = r.text(data, "order_prefix", path) or _default_prefix(name or "")
    if not _PREFIX_RE.match(prefix):
        r.error(
            f"order_prefix must be 1-4 capital letters, got {prefix!r}", join(path, "order_prefix")
        )
    contact = r.mapping(data.get("contact", {}), join(path, "contact"))
    cpath = join(path, "contact")
    r.keys(contact, cpath, ("phone", "email", "address", "website"), "business.contact")
    info = BusinessContact(
        phone=r.text(contact, "phone", cpath),
        email=r.text(contact, "email", cpath),
        address=r.text(contact, "address", cpath),
        website=_url(r, contact, "website", cpath),
    )
    if name is None or zone is None or currency is None:
        return None
    return BusinessInfo(name, zone, currency, locale, prefix, info)


def _default_prefix(name: str) -> str:
    letters = [ch for ch in name.upper() if "A" <= ch <= "Z"]
    return "".join(letters[:2]) if len(letters) >= 2 else "OR"


def read_catalog(r: Reader, raw: Any, currency: str) -> Catalog:
    """The ``catalog`` section."""
    path = "catalog"
    data = r.mapping(raw, path)
    r.keys(data, path, ("catalog_id", "categories", "products"), "catalog")
    seen: set[str] = set()
    categories: list[Category] = []
    for where, item in item_list(r, data.get("categories"), join(path, "categories"), "categories"):
        r.keys(item, where, ("id", "title", "description"), "a category")
        cid = unique_id(r, item, where, "category", seen)
        title = r.required(item, "title", where, "a category")
        if cid and title:
            categories.append(Category(cid, title, r.text(item, "description", where)))
    products: list[Product] = []
    product_ids: set[str] = set()
    skus: set[str] = set()
    for where, item in item_list(r, data.get("products"), join(path, "products"), "products"):
        product = _product(r, item, where, currency, product_ids, {c.id for c in categories})
        if product is None:
            continue
        if product.retailer_id is not None:
            if product.retailer_id in skus:
                r.error(
                    f"duplicate retailer_id {product.retailer_id!r}", join(where, "retailer_id")
                )
            skus.add(product.retailer_id)
        products.append(product)
    return Catalog(tuple(categories), tuple(products), r.text(data, "catalog_id", path))


_PRODUCT_KEYS = (
    "id", "title", "description", "category", "price", "price_minor", "kind", "stock",
    "image", "retailer_id", "digital", "max_per_order",
)  # fmt: skip


def _product(
    r: Reader, item: dict[str, Any], where: str, currency: str, seen: set[str], categories: set[str]
) -> Product | None:
    r.keys(item, where, _PRODUCT_KEYS, "a product")
    pid = unique_id(r, item, where, "product", seen)
    title = r.required(item, "title", where, "a product")
    price = money(r, item, "price", where, currency)
    if price is None and "price" not in item and "price_minor" not in item:
        r.error("a product needs 'price' (quoted, e.g. \"12.50\") or 'price_minor'", where)
    category = r.text(item, "category", where)
    if category is not None and category not in categories:
        known = ", ".join(sorted(categories)) or "none defined"
        r.error(f"unknown category {category!r} (known: {known})", join(where, "category"))
    kind = item.get("kind", "physical")
    if kind not in ("physical", "digital"):
        r.error(f"kind must be 'physical' or 'digital', got {kind!r}", join(where, "kind"))
        kind = "physical"
    stock = r.integer(item, "stock", where, minimum=0)
    max_per_order = r.integer(item, "max_per_order", where, minimum=1)
    digital = _digital(r, item.get("digital"), join(where, "digital"))
    if kind == "digital" and digital is None and "digital" not in item:
        r.error(
            "a digital product needs 'digital: {document: URL, filename: ...}' or '{link: URL}'",
            where,
        )
    if kind == "physical" and "digital" in item:
        r.error("'digital' is only for products with kind: digital", join(where, "digital"))
    if pid is None or title is None or price is None:
        return None
    return Product(
        id=pid,
        title=title,
        price=price,
        category=category,
        description=r.text(item, "description", where),
        kind=kind,
        stock=stock,
        image=_url(r, item, "image", where),
        retailer_id=r.text(item, "retailer_id", where),
        digital=digital if kind == "digital" else None,
        max_per_order=max_per_order or 50,
    )


def _digital(r: Reader, raw: Any, path: str) -> DigitalDelivery | None:
    if raw is None:
        return None
    data = r.mapping(raw, path)
    r.keys(data, path, ("document", "filename", "link"), "digital")
    if ("document" in data) == ("link" in data):
        r.error("give exactly one of 'document' (a file URL) or 'link'", path)
        return None
    if "link" in data:
        link = _url(r, data, "link", path)
        return DigitalDelivery("link", link) if link else None
    url = _url(r, data, "document", path)
    return DigitalDelivery("document", url, r.text(data, "filename", path)) if url else None


def read_delivery(r: Reader, raw: Any, currency: str, needs_fulfilment: bool) -> Delivery:
    """The ``delivery`` section."""
    path = "delivery"
    data = r.mapping(raw, path)
    keys = (
        "pickup",
        "pickup_address",
        "delivery",
        "fee",
        "fee_minor",
        "free_over",
        "free_over_minor",
    )
    r.keys(data, path, keys, "delivery")
    result = Delivery(
        pickup=r.boolean(data, "pickup", path, True),
        pickup_address=r.text(data, "pickup_address", path),
        delivery=r.boolean(data, "delivery", path, "fee" in data or "fee_minor" in data),
        fee=money(r, data, "fee", path, currency) or 0,
        free_over=money(r, data, "free_over", path, currency),
    )
    if needs_fulfilment and not (result.pickup or result.delivery):
        r.error("physical products need pickup: true or delivery: true", path)
    return result


def read_payments(r: Reader, raw: Any) -> Payments:
    """The ``payments`` section."""
    path = "payments"
    data = r.mapping(raw, path)
    r.keys(data, path, ("provider", "instructions", "stripe", "unpaid_expiry"), "payments")
    provider = data.get("provider", "manual")
    if provider not in ("manual", "stripe"):
        r.error(f"provider must be 'manual' or 'stripe', got {provider!r}", join(path, "provider"))
        provider = "manual"
    expiry = r.duration(data, "unpaid_expiry", path) or timedelta(minutes=30)
    stripe = None
    if provider == "stripe" or "stripe" in data:
        spath = join(path, "stripe")
        sdata = r.mapping(data.get("stripe"), spath, "a 'stripe' mapping (provider: stripe)")
        r.keys(
            sdata,
            spath,
            ("secret_key_env", "webhook_secret_env", "success_url", "cancel_url"),
            "stripe",
        )
        envs = {}
        for key, default in (
            ("secret_key_env", "STRIPE_SECRET_KEY"),
            ("webhook_secret_env", "STRIPE_WEBHOOK_SECRET"),
        ):
            name = r.text(sdata, key, spath) or default
            if not _ENV_RE.match(name):
                r.error(
                    f"{key} names an environment variable (e.g. {default}), got {name!r}",
                    join(spath, key),
                )
            envs[key] = name
        success = _url(r, sdata, "success_url", spath) if "success_url" in sdata else None
        cancel = _url(r, sdata, "cancel_url", spath) if "cancel_url" in sdata else None
        if success is None or cancel is None:
            r.error("stripe needs success_url and cancel_url (https URLs)", spath)
        stripe = StripeSettings(
            envs["secret_key_env"], envs["webhook_secret_env"], success or "", cancel or ""
        )
    instructions = r.text(data, "instructions", path)
    if instructions is not None:
        try:
            instructions.format(number="X", total="X")
        except (KeyError, IndexError, ValueError):
            r.error(
                "instructions may only use the placeholders {number} and {total}",
                join(path, "instructions"),
            )
    return Payments(provider, instructions or Payments.instructions, stripe, expiry)


def read_templates(r: Reader, raw: Any) -> Templates:
    """The ``templates`` section; ``language`` at its top is the default of every template."""
    path = "templates"
    data = r.mapping(raw, path)
    names = ("order_update", "booking_reminder", "survey_invite", "handoff")
    r.keys(data, path, (*names, "language"), "templates")
    default_language = r.text(data, "language", path) or "en_US"
    found: dict[str, TemplateRef] = {}
    for name in names:
        value, where = data.get(name), join(path, name)
        if value is None:
            continue
        item = (
            {"name": value}
            if isinstance(value, str)
            else r.mapping(value, where, "a name or a mapping")
        )
        r.keys(item, where, ("name", "language", "params"), f"templates.{name}")
        tname = r.required(item, "name", where, f"templates.{name}")
        if tname is not None and not _TEMPLATE_RE.match(tname):
            r.error(f"template names are lowercase letters, digits and '_', got {tname!r}", where)
            continue
        params = r.strings(item, "params", where)
        if name == "order_update":
            params = params or ("number", "status")
            for bad in sorted(set(params) - ORDER_UPDATE_PARAMS):
                known = ", ".join(sorted(ORDER_UPDATE_PARAMS))
                r.error(
                    f"unknown order_update parameter {bad!r} (known: {known})",
                    join(where, "params"),
                )
        if tname is not None:
            found[name] = TemplateRef(
                tname, r.text(item, "language", where) or default_language, params
            )
    return Templates(**found)


__all__ = [
    "ID_RE",
    "ORDER_UPDATE_PARAMS",
    "TOP_LEVEL",
    "item_list",
    "money",
    "read_business",
    "read_catalog",
    "read_delivery",
    "read_payments",
    "read_templates",
    "unique_id",
]
