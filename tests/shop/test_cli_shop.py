"""``waflow orders``: list, show, update, mark-paid, expire and stock, against a real database."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import Engine
from sqlmodel import select

from flows.features import cli as staff_cli
from flows.features.business import BusinessConfig
from flows.features.shop.cli import orders
from flows.features.shop.models import Order
from storage.db import transaction
from storage.models import Contact
from tests.shop.conftest import PlaceOrder
from tests.shop.shopkit import ANA, NOW, SHOP_FILE, reload, stock_of
from webhooks.cli import cli as waflow


@pytest.fixture
def run(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A runner whose DATABASE_URL is the test database and whose clock is NOW + 10 min."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("WAFLOW_BUSINESS", str(SHOP_FILE))
    monkeypatch.setattr(staff_cli, "clock", lambda: NOW + timedelta(minutes=10))
    return CliRunner()


@pytest.fixture
def two_orders(place_order: PlaceOrder, manual_business: BusinessConfig) -> tuple[Order, Order]:
    """BK-XXXXX (unpaid, delivery) and BK-XXXXY (unpaid, pickup, placed 20 minutes later)."""
    first = place_order(
        items={"choc": 2}, fulfilment="delivery", address="Gran Via 2", config=manual_business
    )
    second = place_order("34600333444", items={"tart": 1}, now=NOW + timedelta(minutes=20))
    return first, second


def test_list_and_filter(run: CliRunner, two_orders: tuple[Order, Order]) -> None:
    result = run.invoke(orders, ["list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines] == ["BK-XXXXY", "BK-XXXXX"]
    assert "…1222" in lines[1]
    assert ANA not in result.output
    assert "€55.00" in lines[1]
    assert run.invoke(orders, ["list", "--status", "paid"]).output == "no orders\n"


def test_list_full_numbers(run: CliRunner, two_orders: tuple[Order, Order]) -> None:
    result = run.invoke(orders, ["list", "--full-numbers"])
    assert result.exit_code == 0, result.output
    assert f"+{ANA}" in result.output.splitlines()[1]


def test_show(run: CliRunner, engine: Engine, two_orders: tuple[Order, Order]) -> None:
    with transaction(engine) as session:
        session.exec(select(Contact).where(Contact.wa_id == ANA)).one().name = "Ana García"
        session.exec(select(Contact).where(Contact.wa_id == "34600333444")).one().name = None
    result = run.invoke(orders, ["show", "bk-xxxxx"])
    assert result.exit_code == 0, result.output
    assert "Order BK-XXXXX: waiting for payment" in result.output
    assert "2 × Chocolate cake — €55.00" in result.output
    assert "Customer: Ana García, …1222" in result.output
    assert ANA not in result.output
    assert "Deliver to: Gran Via 2" in result.output
    full = run.invoke(orders, ["show", "BK-XXXXX", "--full-numbers"])
    assert f"Customer: Ana García, +{ANA}" in full.output
    nameless = run.invoke(orders, ["show", "BK-XXXXY"])
    assert "Customer: (no name), …3444" in nameless.output
    missing = run.invoke(orders, ["show", "BK-ZZZZZ"])
    assert missing.exit_code == 2
    assert "no order BK-ZZZZZ" in missing.output


def test_mark_paid_update_and_refusals(
    run: CliRunner, engine: Engine, two_orders: tuple[Order, Order]
) -> None:
    paid = run.invoke(orders, ["mark-paid", "BK-XXXXX", "--reference", "bizum 99"])
    assert paid.exit_code == 0
    assert "BK-XXXXX marked paid; customer: text" in paid.output
    again = run.invoke(orders, ["mark-paid", "BK-XXXXX"])
    assert "not changed: it is paid" in again.output
    shipped = run.invoke(
        orders,
        ["update", "BK-XXXXX", "--status", "shipped", "--tracking-url", "https://t.example/9"],
    )
    assert shipped.exit_code == 0
    assert "is now on its way; customer: text" in shipped.output
    back = run.invoke(orders, ["update", "BK-XXXXX", "--status", "preparing"])
    assert back.exit_code == 2
    assert "it can change to delivered" in back.output
    assert reload(engine, "BK-XXXXX").tracking_url == "https://t.example/9"


def test_expire_for_cron(run: CliRunner, engine: Engine, two_orders: tuple[Order, Order]) -> None:
    assert run.invoke(orders, ["expire"]).output == "expired 0 order(s)\n"
    staff_cli.clock = lambda: NOW + timedelta(minutes=35)  # monkeypatch restores it
    assert run.invoke(orders, ["expire"]).output == "expired 1 order(s): BK-XXXXX\n"
    assert stock_of(engine, "choc") == 5


def test_stock(run: CliRunner, engine: Engine) -> None:
    result = run.invoke(orders, ["stock", "--set", "choc=12"])
    assert result.exit_code == 0, result.output
    assert "choc                     12" in result.output
    assert "tart                     unlimited" in result.output
    assert stock_of(engine, "choc") == 12
    assert run.invoke(orders, ["stock", "--set", "nope=1"]).exit_code == 2


def test_business_file_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WAFLOW_BUSINESS", raising=False)
    result = CliRunner().invoke(orders, ["list"])
    assert result.exit_code == 2
    assert "--business" in result.output


def test_invalid_business_file(
    tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad.yaml"  # type: ignore[operator]
    bad.write_text("business: {name: X}\n")
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    result = CliRunner().invoke(orders, ["--business", str(bad), "list"])
    assert result.exit_code == 2
    assert "needs 'timezone'" in result.output


def test_a_business_file_with_mistakes_is_reported_whole(
    run: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("business: {name: B, timezone: Mars/Base, currency: EURO}\n", encoding="utf-8")
    monkeypatch.setenv("WAFLOW_BUSINESS", str(bad))
    result = run.invoke(orders, ["list"])
    assert result.exit_code == 2
    assert "has 2 mistakes:" in result.output
    assert "business.timezone" in result.output
    assert "business.currency" in result.output


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--business", str(SHOP_FILE), "list"], id="before-the-command"),
        pytest.param(["list", "--business", str(SHOP_FILE)], id="after-the-command"),
    ],
)
def test_business_before_or_after_the_command(
    run: CliRunner,
    two_orders: tuple[Order, Order],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
) -> None:
    monkeypatch.delenv("WAFLOW_BUSINESS")
    result = run.invoke(orders, args)
    assert result.exit_code == 0, result.output
    assert [line.split()[0] for line in result.output.splitlines()] == ["BK-XXXXY", "BK-XXXXX"]


def test_business_after_the_command_wins(
    run: CliRunner, two_orders: tuple[Order, Order], tmp_path: pytest.TempPathFactory
) -> None:
    bad = tmp_path / "bad.yaml"  # type: ignore[operator]
    bad.write_text("business: {name: X}\n")
    result = run.invoke(orders, ["--business", str(SHOP_FILE), "list", "--business", str(bad)])
    assert result.exit_code == 2
    assert "needs 'timezone'" in result.output
    good = run.invoke(orders, ["--business", str(bad), "list", "--business", str(SHOP_FILE)])
    assert good.exit_code == 0, good.output


def test_help_needs_no_business_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WAFLOW_BUSINESS", raising=False)
    result = CliRunner().invoke(orders, ["show", "--help"])
    assert result.exit_code == 0, result.output
    assert "--business" in result.output


def test_business_file_and_database_from_dot_env(
    engine: Engine, two_orders: tuple[Order, Order], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = engine.url.render_as_string(hide_password=False)
    (tmp_path / ".env").write_text(f"WAFLOW_BUSINESS={SHOP_FILE}\nDATABASE_URL={url}\n")
    monkeypatch.chdir(tmp_path)
    for name in ("WAFLOW_BUSINESS", "DATABASE_URL"):
        monkeypatch.setenv(name, "")  # recorded, so what .env sets is undone after the test
        monkeypatch.delenv(name)
    result = CliRunner().invoke(waflow, ["orders", "list"])
    assert result.exit_code == 0, result.output
    assert [line.split()[0] for line in result.output.splitlines()] == ["BK-XXXXY", "BK-XXXXX"]
