"""The example shop (examples/shop_bot), run as `make demo` runs it, with its database overridden.

Like SQLModel's tutorial tests, every test builds the bot from the example's own configuration
(``examples/shop_bot/.env.example``: its business file, flows and hooks) and overrides only
``DATABASE_URL`` (a temporary SQLite file, or the test PostgreSQL server). Customers talk
through :class:`webhooks._chat.ChatSession`, the terminal chat's engine, so every message goes
through the real pipeline (inbox, flow engine, outbox, sandbox client); the staff side uses the
real ``waflow`` commands and the order-status API of the Flask app.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from dotenv import dotenv_values
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

import flows.features.shop.models
import flows.features.surveys.models  # noqa: F401  (registers the business tables before the schema is built)
from bot.client import SandboxClient
from bot.config import Config
from bot.runtime import Runtime
from bot.sending import OutboxSender
from flows._validate import validate_flows
from flows.features import cli as staff_cli
from flows.features.booking.models import Booking
from flows.features.business import BusinessConfig, parse_business
from flows.features.business.timestamps import as_utc
from flows.features.handoff.handoff import after_hours_text
from storage.models import utcnow
from webhooks._chat import ChatSession
from webhooks.bootstrap import (
    BUILTIN_FLOWS,
    load_business_config,
    make_app,
    make_flow_set,
    make_hooks,
    make_runtime,
)
from webhooks.cli import cli
from webhooks.simulator import choices

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "shop_bot"
ANA = "34611000001"
BEN = "34611000002"
STAFF = "34600000001"
ORDER_NUMBER = re.compile(r"MG-[0-9A-Z]{5}")
FIXTURES = sorted((EXAMPLE / "fixtures").glob("*.fixture.yaml"))


def example_env(database_url: str) -> dict[str, str]:
    """The example's ``.env.example`` settings, with the database overridden."""
    values = dotenv_values(EXAMPLE / ".env.example")
    env = {key: value for key, value in values.items() if value}
    env["DATABASE_URL"] = database_url
    return env


def waflow(env: dict[str, str], *args: str) -> str:
    """Run a ``waflow`` command with ``env`` set; return its output (it must succeed)."""
    result: Result = CliRunner().invoke(cli, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.output


def visible(payload: dict[str, Any]) -> str:
    """What the customer reads: a text, an interactive body, a caption, a template's name."""
    kind = payload["type"]
    if kind == "text":
        return str(payload["text"]["body"])
    if kind == "interactive":
        return str(payload["interactive"]["body"]["text"])
    if kind == "template":
        return f"(template {payload['template']['name']})"
    return str(payload[kind].get("caption", f"({kind})"))


@dataclass
class Customer:
    """A customer typing into the terminal chat; :meth:`tap` taps any button of the last turn."""

    chat: ChatSession
    shop: Shop
    last: list[dict[str, Any]] = field(default_factory=list)
    seen: int = 0

    def say(self, line: str) -> list[str]:
        """Type ``line``; return what the customer reads."""
        self.chat.say(line)
        return self._new()

    def tap(self, title: str) -> list[str]:
        """Tap the button or list row titled ``title`` among the last turn's messages."""
        offered = [c for p in self.last for c in choices(p)]
        titles = [c.title for c in offered]
        assert title in titles, f"{title!r} is not offered; offered: {titles}"
        self.chat.choices = offered  # the chat numbers choices; the number taps one
        return self.say(str(titles.index(title) + 1))

    def rows(self) -> list[str]:
        """The titles of the buttons and rows offered in the last turn."""
        return [c.title for p in self.last for c in choices(p)]

    def receive(self) -> list[str]:
        """Deliver what was queued outside a turn (staff commands, the API); return all news."""
        self.shop.runtime.sender.drain([self.chat.wa_id])
        return self._new()

    def _new(self) -> list[str]:
        sent = self.shop.client.sent
        self.last = [p for p in sent[self.seen :] if p["to"] == self.chat.wa_id]
        self.seen = len(sent)
        return [visible(p) for p in self.last]


@dataclass
class Shop:
    """The example bot, its sandbox client and the staff's command line."""

    config: Config
    business: BusinessConfig
    runtime: Runtime
    client: SandboxClient
    env: dict[str, str]

    def customer(self, wa_id: str = ANA, name: str = "Ana") -> Customer:
        """A customer chatting with the bot."""
        return Customer(ChatSession(self.runtime, self.client, wa_id=wa_id, name=name), self)

    def waflow(self, *args: str) -> str:
        """Run a ``waflow`` command with the example's environment; return its output."""
        return waflow(self.env, *args)

    def deliver(self, wa_id: str) -> list[dict[str, Any]]:
        """Send what is due for ``wa_id`` now, as the running bot's sender would; return it."""
        self.runtime.sender.drain([wa_id])
        return [p for p in self.client.sent if p["to"] == wa_id]


@pytest.fixture(autouse=True)
def _from_the_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """The example's paths are relative to the repository root, where `make demo` runs."""
    monkeypatch.chdir(ROOT)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The example's settings on a fresh SQLite file, for tests that need no conversation."""
    return example_env(f"sqlite:///{tmp_path / 'shop.db'}")


@pytest.fixture
def shop(db_url: str, engine: Engine) -> Shop:
    """The example bot on an empty database, in inline mode (each message answered at once)."""
    env = example_env(db_url)
    config = Config.from_env(env, dotenv=None)
    business = load_business_config(config)
    assert business is not None
    client = SandboxClient()
    runtime = make_runtime(config, inline=True, engine=engine, client=client, business=business)
    return Shop(config, business, runtime, client, env)


@pytest.fixture
def ana(shop: Shop) -> Customer:
    return shop.customer()


def buy(customer: Customer, category: str, product: str, quantity: str | None) -> None:
    """Browse to ``product`` and put ``quantity`` in the cart (``None``: a digital product)."""
    customer.say("shop")
    customer.tap(category)
    customer.tap(product)
    if quantity is not None:
        customer.say(quantity)
    assert customer.rows() == ["Checkout", "Keep shopping", "Change cart"]


def place_order(customer: Customer) -> str:
    """Tap "Place order" on the summary; return the new order's number."""
    replies = customer.tap("Place order")
    match = ORDER_NUMBER.search(replies[-1])
    assert match, replies
    return match.group()


def test_a_very_long_profile_name_is_greeted_cut_with_the_menu(shop: Shop) -> None:
    long = shop.customer(name="Ana " * 500)

    greeting = long.say("hi")[0]

    assert greeting.startswith("Hi Ana Ana")
    assert "…! Welcome to Miga Bakery 🥐" in greeting  # 60 characters, then the greeting
    assert len(greeting) < 200
    assert "Order cakes & treats" in long.rows()  # the menu, not the apology


# -- buying ---------------------------------------------------------------------------------


def test_a_cake_paid_by_transfer_is_shipped_then_delivered(
    shop: Shop, ana: Customer, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert ana.say("hi")[0] == "Hi Ana! Welcome to Miga Bakery 🥐 How can I help you?"
    assert ana.tap("Order cakes & treats")[0].startswith("Welcome to Miga Bakery!")
    assert ana.rows() == ["Cakes", "Treats", "Recipes & classes"]
    ana.tap("Cakes")
    assert ana.tap("Carrot cake") == [
        "*Carrot cake*\n€28.00\nWalnuts, cinnamon, cream cheese frosting\n2 left",
        "How many would you like? Send a number from 1 to 2.",
    ]
    assert ana.say("3") == ["You can order at most 2 of Carrot cake at once."]
    ana.say("2")
    ana.tap("Checkout")
    ana.tap("Delivery")
    ana.tap("Type address")
    assert ana.say("Calle de Hortaleza 10, 28004 Madrid") == [
        "2 × Carrot cake — €56.00\nDelivery: free\nTotal: €56.00\n"
        "Deliver to: Calle de Hortaleza 10, 28004 Madrid"
    ]
    number = place_order(ana)
    assert ana.last[0]["text"]["body"].startswith(
        f"To confirm order {number}, please send €56.00 by Bizum"
    )

    # The bakery sees the transfer and marks the order paid from the command line.
    assert "marked paid; customer: text" in shop.waflow("orders", "mark-paid", number)
    assert ana.receive() == [
        f"Payment received for order {number} (€56.00). Thank you! "
        "We'll tell you when it's on its way."
    ]

    # The delivery company's system reports it shipped through the order-status API.
    monkeypatch.setenv("WAFLOW_SHOP_API_TOKEN", "miga-api-token")
    api = make_app(shop.runtime, shop.config, shop.business).test_client()
    tracking = "https://track.example/MIGA1"
    response = api.post(
        f"/api/orders/{number}/status",
        json={"status": "shipped", "tracking_url": tracking},
        headers={"Authorization": "Bearer miga-api-token"},
    )
    assert response.status_code == 200
    assert response.json == {
        "number": number,
        "status": "shipped",
        "changed": True,
        "notified": "text",
    }
    assert ana.receive() == [f"Your order {number} is on its way.\nTrack it here: {tracking}"]

    # Delivered: the customer is told, and invited to the feedback survey.
    shop.waflow("orders", "update", number, "--status", "delivered")
    assert ana.receive() == [
        f"Your order {number} is delivered.\nTrack it here: {tracking}",
        "Thank you for ordering from Miga! Would you answer a few quick questions?",
    ]
    assert ana.rows() == ["Begin", "Not now"]
    assert ana.tap("Begin")[-1] == "How did you like your order?"


def test_the_recipe_book_is_sent_as_a_document_once_paid(shop: Shop, ana: Customer) -> None:
    buy(ana, "Recipes & classes", "Miga recipe book", None)  # no "how many" for a PDF
    assert ana.tap("Checkout") == ["1 × Miga recipe book — €9.90\nTotal: €9.90"]
    number = place_order(ana)
    assert shop.waflow("orders", "list", "--status", "pending_payment").startswith(number)

    shop.waflow("orders", "mark-paid", number, "--reference", "BIZUM-0042")
    assert ana.receive() == [
        f"Payment received for order {number} (€9.90). Thank you!",
        "Miga recipe book",
    ]
    document = ana.last[1]["document"]
    assert document["link"] == "https://miga.example/files/miga-recipes.pdf"
    assert document["filename"] == "miga-recipes.pdf"

    # A paying customer is greeted as a regular (the bakery's own hook).
    assert ana.say("menu")[0] == (
        "Welcome back, Ana! Every 5th order comes with a free box of cookies: 4 to go. "
        "How can I help you?"
    )


def test_the_last_cake_goes_to_one_customer(shop: Shop, ana: Customer) -> None:
    ben = shop.customer(BEN, "Ben")
    buy(ana, "Cakes", "Carrot cake", "2")
    buy(ben, "Cakes", "Carrot cake", "2")
    ana.tap("Checkout")
    ana.tap("Pickup")
    ana.say("friday 11:00")
    place_order(ana)
    ben.tap("Checkout")
    ben.tap("Pickup")
    ben.say("friday 11:00")
    assert ben.tap("Place order")[:3] == [
        "Sorry, Carrot cake just sold out.",
        "Your cart is empty.",  # the sold-out line left the cart: back to the categories
        "Welcome to Miga Bakery! What would you like to see?",
    ]
    assert re.search(r"(?m)^carrot\s+0$", shop.waflow("orders", "stock"))


# -- the bakery's own flows and hooks -----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        pytest.param("28004", "Good news: we deliver there!", id="postcode-inside"),
        pytest.param("Calle Mayor 1, 28013 Madrid", "Good news", id="address-inside"),
        pytest.param("Carrer de Pelai 8, 08001 Barcelona", "Sorry, we only", id="outside"),
    ],
)
def test_delivery_area(ana: Customer, typed: str, answer: str) -> None:
    assert ana.say("do you deliver") == [
        "Where should we deliver? Send your postcode or your full address."
    ]
    assert ana.say("near the park") == [
        "Please send your postcode (five digits, for example 28004)."
    ]
    assert ana.say(typed)[0].startswith(answer)
    assert ana.tap("Not now") == ["Thanks! Send *menu* whenever you need us."]


def test_delivery_area_leads_to_the_shop(ana: Customer) -> None:
    ana.say("hi")
    ana.tap("Do you deliver to me?")
    ana.say("28010")
    assert ana.tap("Order now")[0].startswith("Welcome to Miga Bakery!")


def test_allergens(ana: Customer) -> None:
    ana.say("hi")
    assert ana.tap("Allergens") == ["Which of our products would you like to know about?"]
    assert ana.tap("Carrot cake") == [
        "*Carrot cake* contains gluten (wheat), eggs, milk and nuts (walnuts).",
        "Everything is baked in one kitchen that also handles nuts, sesame and soya, so we "
        "can't rule out traces. For a special diet, type *talk to a person*.",
    ]


# -- booking, survey, handoff -------------------------------------------------------------------


def test_booking_a_wedding_consultation_and_its_reminder(
    shop: Shop, ana: Customer, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana.say("hi")
    ana.tap("Wedding cakes & tastings")
    assert ana.rows() == ["Wedding consultation", "Cake tasting"]
    assert ana.tap("Wedding consultation")[0] == (
        "Wedding consultation (1 h). Which day suits you?"
    )
    day = ana.rows()[2]  # the third day offered: more than 24 hours ahead
    ana.tap(day)
    time = ana.rows()[0]
    assert ana.tap(time)[0].endswith("Shall I book it?")
    assert ana.tap("Confirm")[0].startswith(f"Booked! Wedding consultation, {day} at {time}")

    with Session(shop.runtime.engine) as session:
        booking = session.exec(select(Booking)).one()
    start = as_utc(booking.start_at)
    listing = shop.waflow(
        "bookings", "list", "--date", f"{start.astimezone(shop.business.tz):%Y-%m-%d}"
    )
    assert "1 booking(s)" in listing
    assert re.search(rf"{time}-\d\d:\d\d\s+Wedding consultation\s+(lucia|marco)", listing)

    # The README's cron line, run an hour before: Ana has not written for a day by then, so
    # the reminder is the approved booking_reminder template, sent by the bot's sender.
    later = start - timedelta(hours=1)
    monkeypatch.setattr(staff_cli, "clock", lambda: later)
    assert "reminders queued: 1 (0 text, 1 template)" in shop.waflow("bookings", "remind")
    OutboxSender(shop.runtime.engine, shop.client, clock=lambda: later).drain([ANA])
    assert ana.receive() == ["(template booking_reminder)"]
    params = ana.last[0]["template"]["components"][0]["parameters"]
    assert [p["text"] for p in params] == ["Ana", "Wedding consultation", f"{day} at {time}"]


def test_the_feedback_survey_and_its_results(shop: Shop, ana: Customer, tmp_path: Path) -> None:
    assert ana.say("feedback") == [
        "Thank you for ordering from Miga! Would you answer a few quick questions?",
        "How did you like your order?",
    ]
    ana.tap("⭐⭐⭐ 3")
    assert ana.say("11") == ["Please answer with a number from 0 to 10."]
    assert ana.say("5") == ["Sorry we fell short. What should we do better?"]
    assert ana.say("The icing had melted") == ["Anything else you would like to tell us?"]
    assert ana.tap("Skip") == ["Thank you! Your answers help us bake better. 🧁"]
    assert ana.say("review") == ["You have already answered this survey. Thank you!"]

    out = tmp_path / "feedback.csv"
    results = shop.waflow("survey", "results", "feedback", "--csv", str(out))
    assert results.startswith("Miga feedback (feedback): 1 responses")
    assert "NPS -100.0" in results
    [row] = list(csv.DictReader(out.open(encoding="utf-8")))
    assert row["improve"] == "The icing had melted"


def test_talking_to_a_person_until_staff_release(shop: Shop, ana: Customer) -> None:
    ana.say("hi")
    closed = after_hours_text(shop.business, utcnow())  # the example runs on the wall clock
    assert ana.tap("Talk to a person") == [
        *([closed] if closed else []),
        "I'm passing you to someone from the bakery. They'll answer here as soon as they can.",
    ]
    assert ana.say("Can you write 'Happy birthday Leo' on the cake?") == []

    # The shop's phone gets the approved handoff template (it has not written in 24 hours).
    [alert] = shop.deliver(STAFF)
    assert alert["template"]["name"] == "staff_handoff"

    assert "1 customer(s) with a person" in shop.waflow("handoff", "list")
    assert "(they were told)" in shop.waflow("handoff", "release", ANA)
    assert ana.receive() == [
        "You're chatting with our assistant again. Send *menu* to see what I can do."
    ]
    assert ana.say("menu")[0].startswith("Hi Ana!")


# -- checks of the example's files ------------------------------------------------------------


def test_there_are_fixtures_for_each_part_of_the_example() -> None:
    """The fixtures themselves are collected by the pytest plugin (``testpaths``: examples)."""
    names = " ".join(p.name for p in FIXTURES)
    for part in ("purchase", "booking", "feedback", "person", "allergens", "delivery_area"):
        assert part in names, part


def test_the_assembled_bot_passes_the_validator(env: dict[str, str]) -> None:
    config = Config.from_env(env, dotenv=None)
    business = load_business_config(config)
    flows = make_flow_set(config, business)
    hooks = make_hooks(config, business)
    assert [str(d) for d in validate_flows(flows, hooks=hooks)] == []
    assert {"main_menu", "allergens", "delivery_area", "survey_feedback"} <= set(flows.ids)
    assert {"bakery.greeting", "bakery.has_postcode", "bakery.delivers_here"} <= {
        name for kind in ("action", "validator", "condition") for name in hooks.names(kind)
    }


def test_waflow_validate_strict_passes_on_what_the_bot_loads(
    env: dict[str, str], tmp_path: Path
) -> None:
    """`waflow validate` sees files, not the assembled bot: give it exactly what the bot loads.

    That is the built-in flows the example does not replace, the flows generated from the
    business file's surveys, the example's flows, and a hooks file holding the bot's registry
    (the built-in hooks plus the example's own).
    """
    generated = tmp_path / "surveys"
    waflow(env, "survey", "flows", "--out", str(generated))
    own = {path.stem for path in (EXAMPLE / "flows").glob("*.yaml")}
    builtin = [p for d in BUILTIN_FLOWS for p in sorted(d.glob("*.yaml")) if p.stem not in own]
    registry = tmp_path / "all_hooks.py"
    registry.write_text(
        "from bot.config import Config\n"
        "from webhooks.bootstrap import load_business_config, make_hooks\n"
        "config = Config.from_env()\n"
        "hooks = make_hooks(config, load_business_config(config))\n",
        encoding="utf-8",
    )
    paths = [*map(str, builtin), str(generated), str(EXAMPLE / "flows")]
    output = waflow(env, "validate", "--strict", "--hooks", str(registry), *paths)
    assert output.strip().endswith("0 errors, 0 warnings")


def test_the_commented_stripe_settings_are_valid() -> None:
    text = (EXAMPLE / "business.yaml").read_text(encoding="utf-8")
    text = text.replace("  provider: manual", "  provider: stripe")
    text = re.sub(r"(?m)^  # (stripe:|  \w)", r"  \1", text)
    business = parse_business(text, "business.yaml")
    assert business.payments.provider == "stripe"
    assert business.payments.stripe is not None
    assert business.payments.stripe.secret_key_env == "STRIPE_SECRET_KEY"


def test_make_demo_runs_the_chat_with_the_example(tmp_path: Path) -> None:
    """The Makefile's `demo` line: the example's variables on the command line, `waflow chat`."""
    env = makefile_variables("SHOP_BOT")
    assert env["WAFLOW_BUSINESS"] == "examples/shop_bot/business.yaml"
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'shop.db'}"
    typed = "hi\nallergens\n3\nmenu\n/quit\n"
    result = CliRunner().invoke(cli, ["chat", "--name", "Ana"], env=env, input=typed)
    assert result.exit_code == 0, result.output
    assert "bot: Hi Ana! Welcome to Miga Bakery 🥐 How can I help you?" in result.output
    assert "[5] Do you deliver to me? - Check your postcode" in result.output
    assert "*Carrot cake* contains gluten" in result.output
    assert result.output.rstrip().endswith("bye")


def makefile_variables(name: str) -> dict[str, str]:
    """The ``KEY=value`` settings of a Makefile variable (``NAME := A=1 B=2 \\``)."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    match = re.search(rf"(?m)^{name} :=(.*)$", makefile)
    assert match, f"no {name} in the Makefile"
    return dict(item.split("=", 1) for item in match.group(1).split())
