"""The business file: a complete example loads into typed sections; every mistake is located."""

from __future__ import annotations

import dataclasses
import textwrap
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.errors import ConfigError, FlowError, WaflowError
from flows.features.business import (
    BusinessConfig,
    BusinessConfigError,
    TemplateRef,
    check_business,
    load_business,
    parse_business,
)
from flows.features.business import money as _money
from tests.shop.shopkit import SHOP_FILE, STRIPE_ENV

MINIMAL = """\
business:
  name: Bella Bakery
  timezone: Europe/Madrid
  currency: EUR
"""


def test_example_file_loads_every_shop_section(business: BusinessConfig) -> None:
    assert business.business.name == "Bella Bakery"
    assert business.tz.key == "Europe/Madrid"
    assert business.currency == "EUR"
    assert business.business.order_prefix == "BK"
    choc = business.catalog.product("choc")
    assert choc is not None
    assert (choc.price, choc.stock, choc.retailer_id) == (2750, 5, "SKU-CHOC")
    assert business.catalog.by_retailer_id("SKU-LEMON") == business.catalog.product("lemon")
    tart = business.catalog.product("tart")
    assert tart is not None
    assert tart.stock is None
    assert tart.max_per_order == 12
    ebook, course = business.catalog.product("ebook"), business.catalog.product("class")
    assert ebook is not None
    assert ebook.digital is not None
    assert (ebook.digital.kind, ebook.digital.filename) == ("document", "bella-recipes.pdf")
    assert course is not None
    assert course.digital is not None
    assert course.price == 1500
    assert course.digital.kind == "link"
    assert [c.id for c in business.catalog.categories] == ["cakes", "cookies", "digital"]
    assert len(business.catalog.in_category("cookies")) == 12
    assert business.delivery.fee_for(3999) == 350
    assert business.delivery.fee_for(4000) == 0
    assert business.payments.provider == "stripe"
    assert business.payments.unpaid_expiry == timedelta(minutes=30)
    assert business.templates.order_update == TemplateRef(
        "order_update", "en_GB", ("number", "status", "tracking_url")
    )
    assert business.file == str(SHOP_FILE)


def test_stripe_secrets_are_read_from_the_named_variables(business: BusinessConfig) -> None:
    stripe = business.payments.stripe
    assert stripe is not None
    assert stripe.secret_key(STRIPE_ENV) == "sk_test_51Hbella"
    assert stripe.webhook_secret(STRIPE_ENV) == "whsec_test_bella"
    with pytest.raises(ConfigError, match="BELLA_STRIPE_KEY"):
        stripe.secret_key({})


def test_bookings_sections_are_parsed() -> None:
    config = parse_business(
        MINIMAL
        + textwrap.dedent(
            """\
            services:
              - {id: cut, title: Haircut, duration: 45m, price: "20.00", staff: [ana, bea]}
              - {id: dye, title: Colour, duration: 1h30m}
            hours:
              mon: ["09:00-13:00", "16:00-20:00"]
              sat: "10:00-14:00"
              sun: closed
            holidays: [2025-12-25, "2026-01-01"]
            booking: {slot_length: 15m, min_notice: 0, horizon: 60d}
            handoff: {notify_number: "+34 600 999 888"}
            templates: {booking_reminder: reminder_v2, handoff: {name: staff_alert, language: es}}
            """
        )
    )
    assert config.services[0].duration == timedelta(minutes=45)
    assert (config.services[0].price, config.services[0].staff) == (2000, ("ana", "bea"))
    assert config.services[1].price is None
    assert config.hours.on(date(2025, 3, 3))[1].start == time(16, 0)  # a Monday
    assert config.hours.on(date(2025, 3, 8))[0].end == time(14, 0)  # a Saturday
    assert config.hours.on(date(2025, 3, 9)) == ()  # Sunday: closed
    assert config.holidays == (date(2025, 12, 25), date(2026, 1, 1))
    assert config.booking.min_notice == timedelta(0)
    assert config.booking.horizon == timedelta(days=60)
    assert config.handoff.notify_number == "34600999888"
    assert config.templates.booking_reminder == TemplateRef("reminder_v2", "en_US")
    assert config.templates.handoff == TemplateRef("staff_alert", "es")


def test_minimal_file_gets_safe_defaults() -> None:
    config = parse_business(MINIMAL)
    assert config.catalog.products == ()
    assert config.payments.provider == "manual"
    assert config.delivery.pickup
    assert not config.delivery.delivery
    assert config.business.order_prefix == "BE"
    assert config.templates.order_update is None


def _with(extra: str) -> str:
    """MINIMAL plus ``extra``; an indented ``  key: value`` replaces that business key."""
    if not extra.startswith("  "):
        return MINIMAL + extra
    key = extra.split(":", 1)[0]
    kept = [line for line in MINIMAL.splitlines(keepends=True) if not line.startswith(key + ":")]
    return "".join(kept) + extra


BAD = [
    pytest.param('  currency: EURO\n', "business.currency", "ISO 4217", id="unknown-currency"),
    pytest.param("  timezone: Mars/Olympus\n", "business.timezone", "IANA", id="unknown-timezone"),
    pytest.param("  nmae: x\n", "business.nmae", "did you mean 'name'", id="typo-suggestion"),
    pytest.param("  order_prefix: bk\n", "business.order_prefix", "capital", id="bad-prefix"),
    pytest.param(
        "catalog:\n  products:\n    - {id: a, title: A, price: 12.5}\n",
        "catalog.products[0].price", "quoted text", id="float-price",
    ),
    pytest.param(
        "catalog:\n  products:\n    - {id: a, title: A, price: 12}\n",
        "catalog.products[0].price", "price_minor", id="bare-integer-price",
    ),
    pytest.param(
        "catalog:\n  products:\n    - {id: a, title: A, price: \"12.505\"}\n",
        "catalog.products[0].price", "more than 2 decimals", id="too-many-decimals",
    ),
    pytest.param(
        "catalog:\n  products:\n    - {id: a, title: A, price: \"-3\"}\n",
        "catalog.products[0].price", "plain decimal", id="negative-price",
    ),
    pytest.param(
        "catalog:\n  products:\n    - {id: a, title: A}\n",
        "catalog.products[0]", "needs 'price'", id="missing-price",
    ),
    pytest.param(
        "catalog:\n  products:\n    - {id: a, title: A, price: \"1\"}\n    - {id: a, title: B, price: \"1\"}\n",
        "catalog.products[1].id", "duplicate product id", id="duplicate-product",
    ),
    pytest.param(
        "catalog:\n  products:\n    - {id: a, title: A, price: \"1\", category: pies}\n",
        "catalog.products[0].category", "unknown category", id="unknown-category",
    ),
    pytest.param(
        "catalog:\n  products:\n    - {id: a, title: A, price: \"1\", stock: -2}\n",
        "catalog.products[0].stock", "at least 0", id="negative-stock",
    ),
    pytest.param(
        "catalog:\n  products:\n    - {id: a, title: A, price: \"1\", kind: digital}\n",
        "catalog.products[0]", "digital product needs", id="digital-without-delivery",
    ),
    pytest.param(
        "catalog:\n  products:\n    - {id: a, title: A, price: \"1\", kind: digital, digital: {link: ftp://x}}\n",
        "catalog.products[0].digital.link", "http(s) URL", id="digital-bad-link",
    ),
    pytest.param(
        "catalog:\n  products:\n    - {id: a, title: A, price: \"1\"}\ndelivery: {pickup: false}\n",
        "delivery", "pickup: true or delivery: true", id="no-way-to-fulfil",
    ),
    pytest.param("payments: {provider: paypal}\n", "payments.provider", "'manual' or 'stripe'", id="provider"),
    pytest.param("payments: {provider: stripe, stripe: {}}\n", "payments.stripe", "success_url", id="stripe-urls"),
    pytest.param("payments: {unpaid_expiry: 30}\n", "payments.unpaid_expiry", "add a unit", id="duration-unit"),
    pytest.param(
        "payments: {instructions: 'Pay {amount}'}\n", "payments.instructions", "{number}", id="placeholder"
    ),
    pytest.param(
        "templates: {order_update: {name: Order-Update}}\n", "templates.order_update", "lowercase", id="template-name"
    ),
    pytest.param(
        "templates: {survey_invite: {name: x, category: promo}}\n",
        "templates.survey_invite.category", "'marketing', 'utility' or 'authentication'",
        id="template-category",
    ),
    pytest.param("hours: {mon: 9-5}\n", "hours.mon", "09:00-13:00", id="hours-format"),
    pytest.param("hours: {mon: [\"09:00-13:00\", \"12:00-14:00\"]}\n", "hours.mon[1]", "overlaps", id="hours-overlap"),
    pytest.param("hours: {monday: [\"09:00-13:00\"]}\n", "hours.monday", "did you mean 'mon'", id="hours-day"),
    pytest.param("holidays: [christmas]\n", "holidays[0]", "dates such as", id="holiday"),
    pytest.param("services: [{id: cut, title: Cut}]\n", "services[0]", "duration", id="service-duration"),
    pytest.param("handoff: {notify_number: call me}\n", "handoff.notify_number", "phone number", id="handoff-number"),
    pytest.param("shop: {}\n", "shop", "unknown key", id="unknown-section"),
    pytest.param(
        "catalog:\n  products:\n    - {id: a, title: A, price: \"1\", price_minor: 100}\n",
        "catalog.products[0].price", "not both", id="price-and-minor",
    ),
    pytest.param(
        "catalog:\n  products:\n    - {id: a, title: A, price: \"1\", stok: 3}\n",
        "catalog.products[0].stok", "did you mean 'stock'", id="product-typo",
    ),
    pytest.param("delivery: {pickup: \"yes\"}\n", "delivery.pickup", "true or false", id="not-a-bool"),
    pytest.param(
        "templates: {order_update: {name: x, params: [colour]}}\n",
        "templates.order_update.params", "unknown order_update parameter", id="template-param",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("extra", "path", "message"), BAD)
def test_mistakes_are_reported_with_line_and_key_path(extra: str, path: str, message: str) -> None:
    _config, errors = check_business(_with(extra), "bella.yaml")
    matching = [e for e in errors if e.path == path]
    assert matching, [str(e) for e in errors]
    error = matching[0]
    assert message in error.message
    assert error.file == "bella.yaml"
    assert error.line is not None
    assert error.line >= 1
    assert str(error).startswith(f"bella.yaml:{error.line} ({path}): ")


def test_the_line_points_at_the_offending_key() -> None:
    text = MINIMAL + "catalog:\n  products:\n    - id: a\n      title: A\n      price: 3.5\n"
    _, errors = check_business(text, "bella.yaml")
    assert [(e.line, e.path) for e in errors] == [(9, "catalog.products[0].price")]


def test_parse_raises_one_error_holding_all() -> None:
    text = MINIMAL.replace("EUR", "EURO") + "payments: {provider: paypal}\n"
    with pytest.raises(BusinessConfigError) as caught:
        parse_business(text, "bella.yaml")
    assert isinstance(caught.value, FlowError)
    assert isinstance(caught.value, WaflowError)
    assert len(caught.value.errors) == 2
    assert "and 1 more problem" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("business: [\n", "YAML syntax error", id="syntax"),
        pytest.param(MINIMAL + "business: {}\n", "duplicate key", id="duplicate-key"),
        pytest.param("catalog: {}\n", "needs a 'business' section", id="no-business"),
        pytest.param("", "empty", id="empty"),
    ],
)
def test_unreadable_files(text: str, message: str) -> None:
    with pytest.raises(BusinessConfigError, match=message):
        parse_business(text, "bella.yaml")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BusinessConfigError, match="cannot read"):
        load_business(tmp_path / "nope.yaml")


def test_surveys_are_kept_or_parsed() -> None:
    config = parse_business(MINIMAL + "surveys: {}\n")
    assert dict(config.surveys) == {}


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        pytest.param("27.50", "EUR", 2750, id="eur"),
        pytest.param("0.1", "EUR", 10, id="one-decimal"),
        pytest.param("27", "EUR", 2700, id="whole"),
        pytest.param("1500", "JPY", 1500, id="zero-decimal-jpy"),
        pytest.param("1.234", "KWD", 1234, id="three-decimal-kwd"),
        pytest.param("0.00", "USD", 0, id="zero"),
    ],
)
def test_parse_amount_is_exact(text: str, currency: str, minor: int) -> None:
    assert _money.parse_amount(text, currency) == minor


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        pytest.param("12.5", "JPY", id="decimals-on-yen"),
        pytest.param("1e3", "EUR", id="exponent"),
        pytest.param("1,50", "EUR", id="comma"),
        pytest.param("", "EUR", id="empty"),
        pytest.param("NaN", "EUR", id="nan"),
    ],
)
def test_parse_amount_refuses(text: str, currency: str) -> None:
    with pytest.raises(ValueError, match=r"decimal|decimals"):
        _money.parse_amount(text, currency)


def test_parse_amount_quotes_what_was_written() -> None:
    with pytest.raises(ValueError, match=r"^'1\.001' has more than 2 decimals, too many for EUR$"):
        _money.parse_amount("1.001", "EUR")


@pytest.mark.parametrize(
    ("minor", "currency", "locale", "shown"),
    [
        pytest.param(2750, "EUR", "en_GB", "€27.50", id="en-eur"),
        pytest.param(123456, "EUR", "es_ES", "1.234,56\xa0€", id="es-eur"),
        pytest.param(123456, "EUR", "fr_FR", "1\u202f234,56\xa0€", id="fr-eur"),
        pytest.param(1500, "JPY", "en_US", "¥1,500", id="yen"),
        pytest.param(1234, "KWD", "en", "KWD1.234", id="three-decimals"),
        pytest.param(5000000, "IDR", "id_ID", "Rp50.000", id="whole-rupiah"),
        pytest.param(123456, "IDR", "id_ID", "Rp1.234,56", id="rupiah-and-cents"),
        pytest.param(-500, "USD", "en_US", "-$5.00", id="negative"),
    ],
)
def test_format_money(minor: int, currency: str, locale: str, shown: str) -> None:
    assert _money.format_money(minor, currency, locale) == shown


def test_minor_units_and_section_defaults() -> None:
    config = parse_business(
        MINIMAL
        + "catalog:\n  products:\n    - {id: a, title: A, price_minor: 1250}\n"
        + "delivery: {fee_minor: 300}\n"
        + "templates: {language: es, order_update: status_v1}\n"
    )
    product = config.catalog.product("a")
    assert product is not None
    assert product.price == 1250
    assert (config.delivery.delivery, config.delivery.fee) == (True, 300)
    assert config.templates.order_update == TemplateRef("status_v1", "es", ("number", "status"))


def test_template_categories_default_to_utility_but_a_survey_invitation_is_marketing() -> None:
    config = parse_business(
        MINIMAL
        + "templates:\n"
        + "  order_update: status_v1\n"
        + "  booking_reminder: {name: reminder, category: marketing}\n"
        + "  survey_invite: feedback_invite\n"
        + "  handoff: {name: staff_alert, category: marketing}\n"
        + "  replies: [follow_up, {name: sale, category: marketing}]\n"
    )
    templates = config.templates
    assert templates.order_update is not None
    assert templates.order_update.category == "utility"
    assert templates.booking_reminder == TemplateRef("reminder", category="marketing")
    assert templates.survey_invite == TemplateRef("feedback_invite", category="marketing")
    assert templates.handoff == TemplateRef("staff_alert", category="marketing")
    assert [r.category for r in templates.replies] == ["utility", "marketing"]


def test_a_survey_invitation_may_be_declared_utility() -> None:
    text = MINIMAL + "templates: {survey_invite: {name: invite, category: utility}}\n"
    assert parse_business(text).templates.survey_invite == TemplateRef("invite")


def test_survey_mistakes_are_reported_with_the_others() -> None:
    text = MINIMAL + "payments: {provider: paypal}\nsurveys: {quick: {questions: []}}\n"
    _, errors = check_business(text, "bella.yaml")
    assert [e.path for e in errors] == ["payments.provider", "surveys.quick.questions"]


def test_config_objects_are_frozen_and_comparable(business: BusinessConfig) -> None:
    ref = TemplateRef("order_update", params=("number",))
    assert ref == TemplateRef(name="order_update", language="en_US", params=("number",))
    with pytest.raises(ValidationError):
        ref.name = "other"  # type: ignore[misc]


def test_business_money_uses_the_business_currency_and_locale(business: BusinessConfig) -> None:
    business = dataclasses.replace(
        business, business=business.business.model_copy(update={"locale": "es_ES"})
    )
    assert business.money(123456) == _money.format_money(123456, business.currency, "es_ES")
    assert business.money(1500, "JPY") == "1.500\xa0JP¥"  # as CLDR writes yen in Spain


def test_business_local_is_the_wall_clock_of_the_business(business: BusinessConfig) -> None:
    moment = datetime(2026, 1, 5, 12, 0)  # naive: UTC
    assert business.local(moment) == moment.replace(tzinfo=UTC).astimezone(business.tz)
    assert business.local(moment).tzinfo == business.tz


SEVERAL = MINIMAL.replace("EUR", "EURO") + textwrap.dedent("""\
    payments: {provider: paypal}
    privacy: {retention_days: soon}
    consent: {stop_words: [[]]}
    templates: {approved: [{name: Bad-Name, category: utility}]}
    """)


def test_mistakes_in_several_sections_are_all_reported_by_line() -> None:
    _, errors = check_business(SEVERAL, "bella.yaml")
    assert [(e.line, e.path) for e in errors] == [
        (4, "business.currency"),
        (5, "payments.provider"),
        (6, "privacy.retention_days"),
        (7, "consent.stop_words[0]"),
        (8, "templates.approved[0]"),
    ]
    with pytest.raises(BusinessConfigError) as caught:
        parse_business(SEVERAL, "bella.yaml")
    assert [str(e) for e in caught.value.errors] == [str(e) for e in errors]
    assert str(caught.value).count("\n") == 0  # one line where one is expected (logs, servers)
