"""A business's own catalogs: `waflow i18n extract` and `update`, `waflow validate`'s check of
them, and the fixtures' `language` options (the business's and the customer's)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from click.testing import CliRunner

from bot.config import Config
from flows import FlowHandler
from webhooks.cli import cli
from webhooks.fixtures import FixtureError, parse_fixture, run_fixture

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "shop_bot"

BUSINESS = """\
business:
  name: Pan de Ana
  timezone: Europe/Madrid
  currency: EUR
catalog:
  categories:
    - {id: bread, title: Bread, description: Baked this morning}
  products:
    - {id: loaf, title: Sourdough loaf, category: bread, price: "4.00", image: https://x.example/a.jpg}
payments:
  instructions: "Send {total} for order {number}."
"""

FLOW = """\
schema: 1
flow: hello
version: 1
start: ask
triggers: {keywords: [bonjour]}
slots: {size: {type: choice}}
states:
  ask:
    ask: "Which size, {{ contact.name }}?"
    expect:
      type: choice
      list_button: Sizes
      options:
        - {id: s, title: Small}
        - {id: l, title: Large, description: Feeds four}
    validate: [{check: "value != 'l'", message: "Large is sold out today."}]
    reprompt: {unrecognized: "Please pick a size.", invalid: "{{ error }}"}
    save: size
    next: bye
  bye:
    say: "{{ labels.size }}"
    next: done
  done:
    say: "Thanks!"
    end: true
"""

HOOKS = """\
from flows import HookContext, Hooks

hooks = Hooks()


@hooks.action("ana.note")
def note(ctx: HookContext) -> str:
    return ctx.texts.plural("{n} loaf left", "{n} loaves left", 2) + ctx.texts("Fresh today!")
"""


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A business folder: its business file, one flow and a hooks file."""
    (tmp_path / "business.yaml").write_text(BUSINESS, encoding="utf-8")
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / "hello.yaml").write_text(FLOW, encoding="utf-8")
    (tmp_path / "hooks.py").write_text(HOOKS, encoding="utf-8")
    return tmp_path


def _env(shop: Path, hooks: bool = True) -> dict[str, str]:
    return {
        "WAFLOW_BUSINESS": str(shop / "business.yaml"),
        "WAFLOW_FLOWS": str(shop / "flows"),
        "WAFLOW_HOOKS": str(shop / "hooks.py") if hooks else "",
    }


def _run(shop: Path, *args: str, hooks: bool = True) -> str:
    result = CliRunner().invoke(cli, list(args), env=_env(shop, hooks))
    assert result.exit_code == 0, result.output
    return result.output


def _entries(file: Path) -> dict[str, object]:
    with file.open("rb") as po:
        catalog = read_po(po)
    return {str(m.id[0] if isinstance(m.id, tuple) else m.id): m.string for m in catalog if m.id}


def test_extract_lists_the_business_texts_with_their_file_and_line(shop: Path) -> None:
    output = _run(shop, "i18n", "extract")
    pot = shop / "locales" / "messages.pot"
    assert f"wrote {pot}" in output
    text = pot.read_text(encoding="utf-8")
    for location, msgid in [
        ("business.yaml:7", '"Bread"'),
        ("business.yaml:7", '"Baked this morning"'),
        ("business.yaml:9", '"Sourdough loaf"'),
        ("business.yaml:11", '"Send {total} for order {number}."'),
        ("flows/hello.yaml:9", '"Which size, {{ contact.name }}?"'),
        ("flows/hello.yaml:12", '"Sizes"'),
        ("flows/hello.yaml:14", '"Small"'),
        ("flows/hello.yaml:15", '"Feeds four"'),
        ("flows/hello.yaml:16", '"Large is sold out today."'),
        ("flows/hello.yaml:17", '"Please pick a size."'),
        ("flows/hello.yaml:24", '"Thanks!"'),
        ("hooks.py:8", '"Fresh today!"'),
    ]:
        assert f"#: {location}\n" in text.split(f"msgid {msgid}")[0].rsplit("\n\n", 1)[-1], msgid
    assert 'msgid "{n} loaf left"\nmsgid_plural "{n} loaves left"' in text
    assert "python-brace-format" in text  # {total}, {n}: the placeholders a translation keeps
    assert '"{{ labels.size }}"' not in text  # nothing but an expression: nothing to translate
    assert "https://" not in text  # an address is not a text
    assert "Translations template for Pan de Ana." in text
    assert '#: business.yaml:2\nmsgid "Pan de Ana"' in text  # the shop's name: ctx.texts(...)


def test_update_keeps_translations_and_a_changed_flow_text_shows_up(shop: Path) -> None:
    _run(shop, "i18n", "extract")
    output = _run(shop, "i18n", "update", "-l", "es", "-l", "id")
    po = shop / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    assert f"created {po}" in output
    assert (
        "Plural-Forms: nplurals=1"
        in (po.parent.parent.parent / "id/LC_MESSAGES/messages.po").read_text()
    )
    with po.open("rb") as file:
        catalog = read_po(file)
    catalog["Thanks!"].string = "¡Gracias!"
    catalog["Bread"].string = "Pan"
    catalog["{n} loaf left"].string = ("Queda {n} pan", "Quedan {n} panes", "Quedan {n} panes")
    with po.open("wb") as file:
        write_po(file, catalog)

    flow = shop / "flows" / "hello.yaml"
    flow.write_text(FLOW.replace("Please pick a size.", "Tap a size, please."), encoding="utf-8")
    _run(shop, "i18n", "extract")
    output = _run(shop, "i18n", "update")  # every language that has a catalog
    assert f"updated {po}" in output
    entries = _entries(po)
    assert entries["Thanks!"] == "¡Gracias!"
    assert entries["Bread"] == "Pan"
    assert entries["{n} loaf left"] == ("Queda {n} pan", "Quedan {n} panes", "Quedan {n} panes")
    assert entries["Tap a size, please."] in ("", None)  # new: to translate
    assert "Please pick a size." not in entries
    assert '#~ msgid "Please pick a size."' in po.read_text(encoding="utf-8")  # kept, obsolete


def test_update_needs_the_template_first(shop: Path) -> None:
    result = CliRunner().invoke(cli, ["i18n", "update"], env=_env(shop))
    assert result.exit_code != 0
    assert "run `waflow i18n extract` first" in result.output
    assert "Traceback" not in result.output


def test_validate_warns_of_a_missing_and_a_stale_entry(shop: Path) -> None:
    _run(shop, "i18n", "extract", hooks=False)
    _run(shop, "i18n", "update", "-l", "es", hooks=False)
    po = shop / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as file:
        catalog = read_po(file)
    del catalog["Thanks!"]
    catalog.add("Goodbye!", "¡Adiós!")  # a text the business no longer sends
    catalog["Small"].string = "Pequeño"
    catalog["Small"].flags.add("fuzzy")  # a guess `update` made: not sent until reviewed
    with po.open("wb") as file:
        write_po(file, catalog)

    result = CliRunner().invoke(cli, ["validate", str(shop / "flows")], env=_env(shop, False))
    assert result.exit_code == 0, result.output  # warnings only
    assert f"{po}: warning [catalog-missing] 'Thanks!': no entry in es" in result.output
    assert f"{po}:" in result.output
    assert "warning [catalog-obsolete] 'Goodbye!'" in result.output
    assert "warning [catalog-fuzzy] 'Small'" in result.output
    assert result.output.count("[catalog-") == 3
    strict = CliRunner().invoke(
        cli, ["validate", "--strict", str(shop / "flows")], env=_env(shop, False)
    )
    assert strict.exit_code == 1


def test_validate_keeps_a_re_wording_of_waflows_text_and_reports_a_wrong_template(
    shop: Path,
) -> None:
    _run(shop, "i18n", "extract", hooks=False)
    _run(shop, "i18n", "update", "-l", "es", hooks=False)
    po = shop / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as file:
        catalog = read_po(file)
    catalog.add(FlowHandler.STOPPED_TEXT, "Lo dejamos aquí: escríbenos cuando quieras.")
    catalog["Which size, {{ contact.name }}?"].string = "¿Qué tamaño, {{ contact.name }?"
    with po.open("wb") as file:
        write_po(file, catalog)

    result = CliRunner().invoke(cli, ["validate", str(shop / "flows")], env=_env(shop, False))
    assert result.exit_code == 1, result.output
    assert "error [catalog-template] 'Which size, {{ contact.name }}?'" in result.output
    assert "catalog-obsolete" not in result.output  # a re-wording of waflow's own text
    assert result.output.count("[catalog-") == 1


def test_validate_warns_of_a_translated_row_title_too_long_for_whatsapp(shop: Path) -> None:
    _run(shop, "i18n", "extract", hooks=False)
    _run(shop, "i18n", "update", "-l", "es", hooks=False)
    po = shop / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as file:
        catalog = read_po(file)
    catalog["Bread"].string = "Pan"
    catalog["Baked this morning"].string = "Horneado esta mañana"  # 20 of 72: fine
    catalog["Sourdough loaf"].string = "Hogaza de masa madre de centeno"  # 31 of 24
    with po.open("wb") as file:
        write_po(file, catalog)

    result = CliRunner().invoke(cli, ["validate", str(shop / "flows")], env=_env(shop, False))
    assert result.exit_code == 0, result.output  # a warning
    assert (
        "warning [catalog-too-long] 'Sourdough loaf': the translation has 31 characters, "
        "WhatsApp allows 24 here" in result.output
    )
    assert result.output.count("[catalog-") == 1


def test_update_reads_only_the_languages_waflow_speaks(shop: Path) -> None:
    _run(shop, "i18n", "extract")
    for code in ("fr", "de_DE"):
        result = CliRunner().invoke(cli, ["i18n", "update", "-l", code], env=_env(shop))
        assert result.exit_code != 0
        assert f"waflow does not speak {code!r}" in result.output
        assert "es, pt_BR, id" in result.output
        assert "Traceback" not in result.output
    assert not (shop / "locales" / "fr").exists()
    output = _run(shop, "i18n", "update", "-l", "pt", "-l", "es_MX")
    assert "note: 'pt' is read as 'pt_BR'" in output
    assert "note: 'es_MX' is read as 'es'" in output
    assert sorted(p.name for p in (shop / "locales").iterdir() if p.is_dir()) == ["es", "pt_BR"]


def test_validate_finds_the_example_shops_catalogs_complete() -> None:
    env = {
        "WAFLOW_BUSINESS": str(EXAMPLE / "business.yaml"),
        "WAFLOW_FLOWS": str(EXAMPLE / "flows"),
        "WAFLOW_HOOKS": str(EXAMPLE / "hooks.py"),
    }
    result = CliRunner().invoke(cli, ["validate", "--strict"], env=env)
    assert result.exit_code == 0, result.output
    assert "catalog-" not in result.output


def test_the_example_shops_template_is_up_to_date(tmp_path: Path) -> None:
    env = {
        "WAFLOW_BUSINESS": str(EXAMPLE / "business.yaml"),
        "WAFLOW_FLOWS": str(EXAMPLE / "flows"),
        "WAFLOW_HOOKS": str(EXAMPLE / "hooks.py"),
    }
    pot = tmp_path / "messages.pot"
    result = CliRunner().invoke(cli, ["i18n", "extract", "-o", str(pot)], env=env)
    assert result.exit_code == 0, result.output
    assert _entries(pot).keys() == _entries(EXAMPLE / "locales" / "messages.pot").keys()


# -- the fixtures' language options ---------------------------------------------------------


def _fixture(tmp_path: Path, bot: str, contact: str, steps: str) -> Path:
    file = tmp_path / "lang.fixture.yaml"
    body = f"""\
        fixture: 1
        bot: {{business: {EXAMPLE}/business.yaml, flows: [{EXAMPLE}/flows], hooks: {EXAMPLE}/hooks.py{bot}}}
        contact: {{wa_id: "34611222333", name: Lucía{contact}}}
        clock: "2026-03-03T09:00:00Z"
        steps:
    """
    file.write_text(textwrap.dedent(body) + textwrap.indent(textwrap.dedent(steps), "  "))
    return file


QUESTION = "  - user: gluten\n  - bot: {text_contains: %s}\n"


@pytest.mark.parametrize(
    ("bot", "contact", "question"),
    [
        ("", "", "Which of our products"),  # the business file's language: English
        (", language: es", "", "¿Sobre qué producto"),  # the business's language, changed
        (", language: es", ", language: pt-BR", "Sobre qual dos nossos"),  # the customer's wins
        ("", ", language: id", "Produk mana"),
    ],
)
def test_a_fixture_sets_the_business_or_the_customers_language(
    tmp_path: Path, bot: str, contact: str, question: str
) -> None:
    file = _fixture(tmp_path, bot, contact, "")
    file.write_text(file.read_text() + QUESTION % f'"{question}"', encoding="utf-8")
    result = run_fixture(parse_fixture(file.read_text(), file), config=Config())
    assert result.passed, result.render()


def test_an_unknown_fixture_language_is_a_located_error(tmp_path: Path) -> None:
    file = _fixture(tmp_path, ", language: klingon", "", "- user: hi\n")
    with pytest.raises(FixtureError) as caught:
        parse_fixture(file.read_text(), file)
    message = str(caught.value)
    assert "bot.language" in message
    assert "unknown language 'klingon'" in message
