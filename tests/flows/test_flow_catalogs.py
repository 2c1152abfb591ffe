"""A flow's own texts in the customer's language: a business's catalogs before waflow's."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from flows import USER_DOMAIN, Catalogs, HookContext, Hooks, Source, catalog_problems, texts_for
from tests.flows.flowkit import MakeChat

MENU = """\
schema: 1
flow: menu
version: 1
start: pick
triggers: {keywords: [menu]}
slots: {cake: string}
states:
  pick:
    ask: "Hello {{ contact.name }}! Which cake?"
    expect:
      type: choice
      options:
        - {id: choc, title: Chocolate}
        - {id: lemon, title: Lemon}
    save: cake
    next: note
  note: {run: shop.note, next: done}
  done:
    say: "You chose {{ labels.cake }}."
    end: true
"""

SPANISH = {
    "Hello {{ contact.name }}! Which cake?": "¡Hola, {{ contact.name }}! ¿Qué tarta quieres?",
    "Chocolate": "Chocolate negro",
    "Lemon": "Limón",
    "You chose {{ labels.cake }}.": "Has elegido {{ labels.cake }}.",
    # Spanish has three plural forms in CLDR (one, many for millions, other).
    "Noted: {n} cake": ("Anotada: {n} tarta", "Anotadas: {n} tartas", "Anotadas: {n} tartas"),
}


def write_catalog(folder: Path, language: str, entries: dict[str, str | tuple[str, ...]]) -> Path:
    """Write a business's ``messages.po`` for ``language`` under ``folder`` (Babel's writer)."""
    catalog = Catalog(locale=language, domain=USER_DOMAIN)
    for key, text in entries.items():
        if isinstance(text, tuple):
            catalog.add((key, key.replace("cake", "cakes")), text)
        else:
            catalog.add(key, text)
    po = folder / language / "LC_MESSAGES" / f"{USER_DOMAIN}.po"
    po.parent.mkdir(parents=True, exist_ok=True)
    with po.open("wb") as out:
        write_po(out, catalog)
    return po


@pytest.fixture
def catalogs(tmp_path: Path) -> Catalogs:
    write_catalog(tmp_path, "es", SPANISH)
    return Catalogs(Source(tmp_path, USER_DOMAIN))


@pytest.fixture
def noted(hooks: Hooks) -> list[str]:
    said: list[str] = []

    @hooks.action("shop.note")
    def note(ctx: HookContext) -> None:
        said.append(ctx.texts.plural("Noted: {n} cake", "Noted: {n} cakes", 3))

    return said


def test_a_flows_texts_and_titles_are_sent_in_the_customers_language(
    make_chat: MakeChat, catalogs: Catalogs, noted: list[str]
) -> None:
    chat = make_chat(MENU, language="es", catalogs=catalogs)
    [question] = chat.send("menu")
    assert question["interactive"]["body"]["text"] == "¡Hola, Ana! ¿Qué tarta quieres?"
    titles = [b["reply"]["title"] for b in question["interactive"]["action"]["buttons"]]
    assert titles == ["Chocolate negro", "Limón"]
    assert chat.say("limón") == ["Has elegido Limón."]  # typed in Spanish, accent or not
    assert noted == ["Anotadas: 3 tartas"]


def test_the_written_title_still_works_and_english_is_unchanged(
    make_chat: MakeChat, catalogs: Catalogs, noted: list[str]
) -> None:
    spanish = make_chat(MENU, language="es", catalogs=catalogs)
    spanish.send("menu")
    assert spanish.say("Lemon") == ["Has elegido Limón."]
    english = make_chat(MENU, catalogs=catalogs)
    [question] = english.send("menu")
    assert question["interactive"]["body"]["text"] == "Hello Ana! Which cake?"
    assert english.say("lemon") == ["You chose Lemon."]
    assert noted == ["Anotadas: 3 tartas", "Noted: 3 cakes"]


def test_a_language_without_a_catalog_sends_the_texts_as_written(
    make_chat: MakeChat, catalogs: Catalogs, noted: list[str]
) -> None:
    chat = make_chat(MENU, language="id", catalogs=catalogs)
    [question] = chat.send("menu")
    assert question["interactive"]["body"]["text"] == "Hello Ana! Which cake?"


def test_a_translation_must_keep_the_expressions(tmp_path: Path) -> None:
    po = write_catalog(
        tmp_path, "es", {"You chose {{ labels.cake }}.": "Has elegido {{ labels.tarta }}."}
    )
    [problem] = catalog_problems(Source(tmp_path, USER_DOMAIN))
    assert str(problem).startswith(f"{po}:")
    assert problem.code == "catalog-placeholders"
    assert "['labels.tarta'], the original text ['labels.cake']" in problem.message


@pytest.mark.parametrize(
    ("language", "locale", "amount", "day"),
    [
        ("en", "en_GB", "€27.50", "Sunday 13 December"),
        ("es", "es_ES", "27,50\xa0€", "domingo, 13 de diciembre"),
        ("es", "en_GB", "27,50\xa0€", "domingo, 13 de diciembre"),
        ("pt_BR", "es_ES", "€\xa027,50", "domingo, 13 de dezembro"),
        ("id", None, "€27,50", "Minggu, 13 Desember"),
    ],
)
def test_amounts_and_dates_are_written_the_way_the_language_writes_them(
    language: str, locale: str | None, amount: str, day: str
) -> None:
    texts = texts_for(language, locale=locale)
    assert texts.money(2750, "EUR") == amount
    assert texts.date(date(2026, 12, 13)) == day


def test_amounts_keep_the_currencys_minor_unit() -> None:
    texts = texts_for("es", locale="es_ES")
    assert texts.money(1200, "JPY") == "1.200\xa0JPY"
    assert texts.money(1234, "KWD") == "1,234\xa0KWD"
