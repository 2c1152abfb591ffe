"""The feature registry: each built-in feature plugs in through ``Feature``, the core names none."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from flask import Blueprint
from sqlmodel import SQLModel

import flows
import flows.features
from bot.config import Config
from bot.errors import ConfigError
from flows.features import BUILTIN, Feature, WebContext
from flows.features._feature import _load
from flows.features.broadcasts.replies import BroadcastReplies
from flows.features.business import BusinessConfig, load_business
from flows.features.consent import ConsentKeywords
from storage.db import make_engine
from webhooks.bootstrap import builtin_flows, make_handler
from webhooks.cli import cli

ROOT = Path(__file__).parents[1]
BUSINESS = ROOT / "flows" / "features" / "business" / "fixtures" / "business.yaml"


@pytest.fixture(scope="module")
def business() -> BusinessConfig:
    return load_business(BUSINESS)


def test_every_feature_is_a_folder_with_its_flows() -> None:
    for feature in BUILTIN:
        folder = ROOT / "flows" / "features" / feature.name
        assert folder.is_dir(), feature.name
        if feature.flows_dir is not None:
            assert feature.flows_dir.parent == folder
            assert list(feature.flows_dir.glob("*.yaml")), feature.name


ENTRIES = {
    "hook_registrar": ("hooks", "business"),
    "flow_generator": ("business",),
    "handler_wrapper": ("handler", "business"),
    "update_listener": ("business",),
    "periodic_task": ("engine", "business", "now"),
    "command_group": None,
    "blueprint_factory": ("engine", "business"),
    "console_factory": ("context",),
}


@pytest.mark.parametrize("feature", BUILTIN, ids=lambda feature: feature.name)
def test_every_entry_of_a_feature_is_its_own_and_takes_what_it_is_given(feature: Feature) -> None:
    package = type(feature).__module__
    for attribute, arguments in ENTRIES.items():
        entry = getattr(feature, attribute)
        if entry is None:
            continue
        assert entry.startswith(package + "."), (attribute, entry)
        target = _load(entry)
        if arguments is None:
            assert isinstance(target, click.Group)
        else:
            keywords = (
                {"environ": None, "after_commit": None} if attribute == "blueprint_factory" else {}
            )
            inspect.signature(target).bind(*arguments, **keywords)


def test_an_entry_that_cannot_be_loaded_names_itself() -> None:
    with pytest.raises(ConfigError, match=r"feature entry 'flows.features.shop.hooks:nope' cannot"):
        _load("flows.features.shop.hooks:nope")


def test_every_command_group_of_a_feature_is_a_waflow_command() -> None:
    groups = [group for feature in BUILTIN if (group := feature.cli()) is not None]
    assert sorted(g.name or "" for g in groups) == [
        "bookings",
        "broadcast",
        "consent",
        "customers",
        "handoff",
        "orders",
        "privacy",
        "staff",
        "survey",
        "templates",
    ]
    for group in groups:
        assert isinstance(group, click.Group)
        assert cli.commands[group.name or ""] is group


def test_features_serve_their_routes(business: BusinessConfig) -> None:
    context = WebContext(make_engine("sqlite://"), business, environ={})
    served = {
        feature.name: blueprint
        for feature in BUILTIN
        if (blueprint := feature.blueprint(context)) is not None
    }
    assert sorted(served) == ["privacy", "shop", "tracking"]
    assert all(isinstance(b, Blueprint) for b in served.values())


def test_features_give_the_console_their_pages_and_menu_entries(business: BusinessConfig) -> None:
    context = WebContext(make_engine("sqlite://"), business, environ={})
    pages = {f.name: b for f in BUILTIN if (b := f.console(context)) is not None}
    assert "console" in pages
    for name, blueprint in pages.items():
        assert isinstance(blueprint, Blueprint), name
        assert blueprint.url_prefix == "/console", name
    for feature in BUILTIN:
        for link in feature.console_links:
            assert link.endpoint.split(".")[0] == pages[feature.name].name, link


def test_the_flows_of_every_feature_and_the_generated_ones(business: BusinessConfig) -> None:
    ids = {flow.id for flow in builtin_flows(business)}
    assert {"main_menu", "purchase", "track_order", "booking", "survey", "languages"} <= ids
    assert any(flow_id.startswith("survey_") for flow_id in ids)


def register_hello_hooks(hooks: flows.Hooks, business: BusinessConfig) -> None:
    hooks.action("hello.wave")(lambda ctx: "wave")


def test_a_new_feature_needs_only_its_class(business: BusinessConfig, tmp_path: Path) -> None:
    (tmp_path / "hello.yaml").write_text(
        "schema: 1\nflow: hello\nversion: 1\nstart: hi\ntriggers: {keywords: [hello]}\n"
        "states:\n  hi: {say: Hello!, end: true}\n",
        encoding="utf-8",
    )

    class Hello(Feature):
        name = "hello"
        flows_dir = tmp_path
        hook_registrar = f"{__name__}:register_hello_hooks"

    feature = Hello()
    hooks = flows.Hooks()
    feature.register_hooks(hooks, business)
    assert hooks.names("action") == {"hello.wave"}
    assert [flow.id for flow in builtin_flows(business, (feature,))] == ["hello"]
    assert feature.cli() is None
    assert feature.wrap_handler(handler := object(), business) is handler  # type: ignore[arg-type]


def test_importing_the_features_registers_their_tables() -> None:
    tables = set(SQLModel.metadata.tables)
    assert {"waflow_order", "waflow_booking", "waflow_survey_response"} <= tables


def test_the_core_imports_no_feature() -> None:
    core = [*ROOT.glob("bot/*.py"), *ROOT.glob("storage/*.py"), *ROOT.glob("flows/*.py")]
    naming = [
        str(path.relative_to(ROOT))
        for path in core
        if re.search(r"^\s*(from|import) flows\.features", path.read_text(), re.M)
    ]
    assert naming == []


def test_features_import_the_business_file_and_the_console_but_no_other_feature() -> None:
    builds_on = {
        "tracking": {"shop"},  # order tracking is the shop's orders seen by customers
        "analytics": {"shop", "surveys", "handoff"},  # it counts what the others record
        "customers": {"shop", "booking", "surveys", "consent", "privacy"},  # a profile gathers all
        "privacy": {"consent", "shop", "booking"},  # consent's word folding; the audit log's
        # entries about a customer's orders and bookings
        "broadcasts": {"shop", "booking", "consent", "customers"},  # segments read their tables
    }
    features = {feature.name for feature in BUILTIN} - {"business", "console"}
    crossing = [
        f"{path.relative_to(ROOT)} -> {other}"
        for name in features
        for path in (ROOT / "flows" / "features" / name).rglob("*.py")
        for other in re.findall(
            r"^\s*(?:from|import) flows\.features\.(\w+)", path.read_text(), re.M
        )
        if other in features - {name} - builds_on.get(name, set())
    ]
    assert crossing == []


def test_storage_and_the_engine_load_without_the_features() -> None:
    code = (
        "import sys, storage.db, bot.runtime, flows\n"
        "assert not [m for m in sys.modules if m.startswith('flows.features')], 'features loaded'\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)  # noqa: S603


def test_only_a_features_cli_and_web_modules_load_click_and_flask() -> None:
    code = (
        "import sys, flows.features\n"
        "assert 'click' not in sys.modules and 'flask' not in sys.modules, 'loaded'\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)  # noqa: S603


def test_a_feature_reads_its_own_section_of_the_business_file(
    business: BusinessConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.features.business import _load
    from flows.features.surveys import SurveyDef

    assert isinstance(business.surveys["feedback"], SurveyDef)  # read by the surveys feature
    monkeypatch.setattr(_load, "_section_readers", {})
    raw = load_business(BUSINESS).surveys["feedback"]
    assert isinstance(raw, dict)  # no feature reads the section: its entries stay as written
    assert raw["title"] == "Feedback"


def test_the_consent_keywords_wrap_every_other_handler(business: BusinessConfig) -> None:
    handler = make_handler(Config(access_token="t", phone_number_id="1"), business)
    # outermost: a STOP answering a broadcast is recorded as such, then the consent keywords
    # answer STOP in any state
    assert isinstance(handler, BroadcastReplies)
    assert isinstance(handler.handler, ConsentKeywords)
