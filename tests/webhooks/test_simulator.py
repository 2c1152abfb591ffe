"""The web chat simulator's sandbox: the example shop's real pipeline on a database of its own."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

import pytest
import responses
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from bot.config import Config
from bot.errors import ConfigError
from bot.runtime import Runtime
from flows.features.business import StripeSettings
from storage.db import read_connection
from tests.examples.test_shop_bot import example_env
from webhooks.bootstrap import load_business_config, make_runtime
from webhooks.simulator import (
    SimulatedCustomer,
    sandbox_runtime,
    simulated_number,
    simulator_business,
    simulator_database_url,
)


def row_counts(engine: Engine) -> dict[str, int]:
    """The tables of ``engine`` that hold rows, with their counts."""
    with read_connection(engine) as conn:
        counts = {
            table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in SQLModel.metadata.sorted_tables
        }
    return {name: count for name, count in counts.items() if count}


@pytest.fixture
def shop_config(tmp_path: Path) -> Config:
    """The example shop's settings, its database and the simulator's in ``tmp_path``."""
    env = example_env(f"sqlite:///{tmp_path / 'shop.db'}")
    env["WAFLOW_SIMULATOR_DATABASE_URL"] = f"sqlite:///{tmp_path / 'simulator.db'}"
    return Config.from_env(env, dotenv=None)


@pytest.fixture
def app_runtime(shop_config: Config) -> Runtime:
    """The shop's own runtime, as the app builds it."""
    return make_runtime(shop_config, business=load_business_config(shop_config))


@pytest.fixture
def simulator(shop_config: Config, app_runtime: Runtime) -> Runtime:
    """The simulator's runtime: the app's handler on the simulator's database."""
    runtime, _ = sandbox_runtime(
        shop_config,
        handler=app_runtime.handler,
        database_url=simulator_database_url(shop_config),
    )
    return runtime


@pytest.fixture
def ana(simulator: Runtime) -> SimulatedCustomer:
    return SimulatedCustomer(simulator, simulated_number(7), "Ana")


def test_hi_gives_the_main_menu(ana: SimulatedCustomer) -> None:
    ana.text("hi")

    said, menu = [entry.view for entry in ana.transcript()]
    assert said == {"side": "customer", "kind": "text", "body": "hi"}
    assert menu["side"] == "bot"
    assert menu["kind"] == "list"
    assert menu["body"] == "Hi Ana! Welcome to Miga Bakery 🥐 How can I help you?"
    rows = [row["title"] for section in menu["sections"] for row in section["rows"]]
    assert rows[:3] == ["Order cakes & treats", "Track my order", "Wedding cakes & tastings"]


def test_tapping_a_row_sends_its_reply(ana: SimulatedCustomer) -> None:
    ana.text("hi")
    menu = ana.transcript()[-1]
    assert menu.message_id is not None

    assert ana.tap(menu.message_id, 0)

    entries = ana.transcript()
    assert entries[2].view == {
        "side": "customer",
        "kind": "reply",
        "body": "Order cakes &amp; treats",
    }
    assert entries[3].view["button"] == "Categories"
    assert [r["title"] for r in entries[3].view["sections"][0]["rows"]] == [
        "Cakes",
        "Treats",
        "Recipes & classes",
    ]


def test_a_tap_outside_what_was_offered_is_refused(
    ana: SimulatedCustomer, simulator: Runtime
) -> None:
    ana.text("hi")
    menu_id = ana.transcript()[-1].message_id
    ben = SimulatedCustomer(simulator, simulated_number(8), "Ben")
    assert menu_id is not None

    assert not ana.tap(menu_id, 99)
    assert not ana.tap(menu_id + 1000, 0)
    assert not ben.tap(menu_id, 0)  # another staff member's message
    assert len(ana.transcript()) == 2
    assert ben.transcript() == []


def test_location_and_media_reach_the_bot(ana: SimulatedCustomer) -> None:
    ana.text("hi")
    ana.location(40.4168, -3.7038, place="Sol")
    ana.media("image", caption="my cake")

    views = [entry.view for entry in ana.transcript()]
    kinds = [(view["side"], view["kind"]) for view in views]
    assert ("customer", "location") in kinds
    assert ("customer", "media") in kinds
    assert views[kinds.index(("customer", "location"))]["location"]["name"] == "Sol"
    assert views[-1]["side"] == "bot"  # the bot answered the image too


def test_start_over_resets_the_conversation(ana: SimulatedCustomer, simulator: Runtime) -> None:
    ana.text("hi")
    ana.tap(ana.transcript()[-1].message_id or 0, 0)  # into the shop

    ana.reset()

    assert ana.transcript() == []
    assert "waflow_conversation" not in row_counts(simulator.engine)
    ana.text("hi")
    assert ana.transcript()[-1].view["body"].startswith("Hi Ana! Welcome to Miga Bakery")


def test_start_over_leaves_other_staff_alone(ana: SimulatedCustomer, simulator: Runtime) -> None:
    ben = SimulatedCustomer(simulator, simulated_number(8), "Ben")
    ana.text("hi")
    ben.text("hi")

    ana.reset()

    assert len(ben.transcript()) == 2


def test_the_shops_database_gets_no_rows(
    ana: SimulatedCustomer, app_runtime: Runtime, simulator: Runtime
) -> None:
    ana.text("hi")
    ana.tap(ana.transcript()[-1].message_id or 0, 0)

    assert row_counts(app_runtime.engine) == {}
    assert row_counts(simulator.engine)["waflow_outbox"] == 3


def tap(customer: SimulatedCustomer, title: str) -> None:
    """Tap the choice ``title`` of the bot's latest message that offers it."""
    for entry in reversed(customer.transcript()):
        view = entry.view
        offered = [b["title"] for b in view.get("buttons", ())] + [
            row["title"] for section in view.get("sections", ()) for row in section["rows"]
        ]
        if title in offered and entry.message_id is not None:
            assert customer.tap(entry.message_id, offered.index(title))
            return
    raise AssertionError(f"{title!r} is not offered")


def test_payments_are_manual_in_the_simulator_even_with_stripe(
    shop_config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    business = load_business_config(shop_config)
    assert business is not None
    stripe = StripeSettings(
        secret_key_env="STRIPE_SECRET_KEY",
        webhook_secret_env="STRIPE_WEBHOOK_SECRET",
        success_url="https://miga.example/thanks",
        cancel_url="https://miga.example/basket",
    )
    paying = dataclasses.replace(
        business,
        payments=business.payments.model_copy(update={"provider": "stripe", "stripe": stripe}),
    )
    monkeypatch.setenv("STRIPE_SECRET_KEY", "sk_test_simulator")
    runtime, _ = sandbox_runtime(
        shop_config,
        business=simulator_business(paying),
        database_url=simulator_database_url(shop_config),
    )
    ana = SimulatedCustomer(runtime, simulated_number(7), "Ana")

    with responses.RequestsMock():  # any HTTP call (Stripe's API) would fail the test
        ana.text("hi")
        for step in ("Order cakes & treats", "Treats", "Cookie box"):
            tap(ana, step)
        ana.text("1")
        for step in ("Checkout", "Delivery", "Type address"):
            tap(ana, step)
        ana.text("Calle Mayor 1, 28013 Madrid")
        tap(ana, "Place order")

    said = " ".join(str(entry.view.get("body")) for entry in ana.transcript()[-3:])
    assert "Your order number is" in said
    assert "by Bizum to +34 600 000 000" in said  # the manual payment instructions
    assert paying.payments.provider == "stripe"  # the shop's own business is unchanged


def test_the_default_database_lies_beside_a_sqlite_shops_or_in_a_private_folder(
    tmp_path: Path,
) -> None:
    shop = f"sqlite:///{tmp_path / 'shop.db'}"
    beside = simulator_database_url(Config(database_url=shop))
    elsewhere = simulator_database_url(Config(database_url="postgresql://db/shop"))
    chosen = Config(database_url=shop, extra={"WAFLOW_SIMULATOR_DATABASE_URL": "x://"})

    assert beside == f"sqlite:///{tmp_path / 'shop.simulator.db'}"
    folder = Path(elsewhere.removeprefix("sqlite:///")).parent
    assert folder.parent == Path(tempfile.gettempdir())
    assert folder.stat().st_mode & 0o077 == 0  # nobody else may open it
    assert elsewhere == simulator_database_url(Config(database_url="postgres://db/shop"))
    assert simulator_database_url(chosen) == "x://"


@pytest.mark.parametrize(
    ("shop", "simulator"),
    [
        ("postgres://db/shop", "postgresql://db/shop"),
        ("sqlite:///{tmp}/shop.db", "sqlite:///{tmp}/./shop.db"),
    ],
)
def test_the_simulator_never_shares_the_shops_database(
    tmp_path: Path, shop: str, simulator: str
) -> None:
    same = Config(
        database_url=shop.format(tmp=tmp_path),
        extra={"WAFLOW_SIMULATOR_DATABASE_URL": simulator.format(tmp=tmp_path)},
    )
    with pytest.raises(ConfigError, match="must name another database than DATABASE_URL"):
        simulator_database_url(same)


def test_each_staff_member_has_a_test_number() -> None:
    numbers = {simulated_number(staff_id) for staff_id in (1, 2, 1234567)}
    assert numbers == {"15550000001", "15550000002", "15551234567"}
