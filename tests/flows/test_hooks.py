"""The hook registry: names only, never import paths."""

from __future__ import annotations

import pytest

from bot.errors import FlowError
from flows import HookContext, Hooks


def test_register_and_get() -> None:
    hooks = Hooks()

    @hooks.action("orders.create")
    def create(ctx: HookContext) -> str:
        return "ok"

    hooks.validator("orders.zip")(lambda ctx, value: True)
    assert hooks.get("action", "orders.create") is create
    assert hooks.names("action") == {"orders.create"}
    assert hooks.names("validator") == {"orders.zip"}
    assert "orders.zip" in hooks
    assert "nope" not in hooks


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("os.system", id="looks-dotted-but-unregistered"),
        pytest.param("Orders", id="uppercase"),
    ],
)
def test_unknown_names_are_never_imported(name: str) -> None:
    with pytest.raises(FlowError, match="no action hook named"):
        Hooks().get("action", name)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("orders:create", id="colon"),
        pytest.param("orders.Create", id="uppercase"),
        pytest.param("", id="empty"),
        pytest.param("a..b", id="empty-part"),
    ],
)
def test_malformed_names_are_refused(name: str) -> None:
    with pytest.raises(FlowError, match="dotted lowercase words"):
        Hooks().action(name)


def test_a_name_is_registered_once() -> None:
    hooks = Hooks()
    hooks.condition("vip")(lambda ctx: True)
    with pytest.raises(FlowError, match="registered twice"):
        hooks.condition("vip")(lambda ctx: False)
