"""The engine's own words in the business's and the customer's language (gettext catalogs)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from flows import (
    LANGUAGES,
    Diagnostic,
    FlowHandler,
    HookContext,
    Hooks,
    _i18n,
    catalog_problems,
    language_of,
    translate,
)
from flows.features.business import BusinessConfigError, parse_business
from storage.models import Contact
from tests.flows import flowkit as kit
from tests.flows.flowkit import MakeChat

ASK = """\
schema: 1
flow: ask
version: 1
start: ask_qty
triggers: {keywords: [cake]}
slots: {qty: integer}
settings: {max_retries: 1}
states:
  ask_qty:
    ask: "How many cakes?"
    expect: {type: number, integer: true}
    save: qty
    next: done
  done:
    say: "Done."
    end: true
"""

ENGINE_TEXTS = [value for name, value in vars(FlowHandler).items() if name.endswith("_TEXT")]


def test_every_catalog_has_the_english_keys_and_placeholders() -> None:
    assert catalog_problems() == []


@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_every_engine_text_is_translated(language: str) -> None:
    assert len(ENGINE_TEXTS) >= 10
    for text in ENGINE_TEXTS:
        assert translate(text, language) not in ("", text), (language, text)


def test_problems_name_missing_extra_untranslated_and_placeholder_differences(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def write(language: str, entries: dict[str, str]) -> None:
        folder = tmp_path / language / "LC_MESSAGES"
        folder.mkdir(parents=True)
        body = "".join(f'msgid "{key}"\nmsgstr "{text}"\n\n' for key, text in entries.items())
        (folder / "waflow.po").write_text(body, encoding="utf-8")

    english = {"Hello {name}": "", "Bye": "", "Thanks": ""}
    write("en", english)
    write("es", {"Hello {name}": "Hola {nombre}", "Bye": "", "Extra": "Más"})
    write("pt_BR", {key: "x {name}" if "{" in key else "x" for key in english})
    write("id", {key: "y {name}" if "{" in key else "y" for key in english})
    monkeypatch.setattr(_i18n, "LOCALES", tmp_path)
    es = str(tmp_path / "es" / "LC_MESSAGES" / "waflow.po")
    assert [str(problem) for problem in catalog_problems()] == [
        f"{es}: error [catalog-missing] 'Thanks': no entry in es",
        f"{es}:1: error [catalog-placeholders] 'Hello {{name}}': uses the placeholders"
        " ['nombre'], the original text ['name']",
        f"{es}:4: error [catalog-untranslated] 'Bye': no translation",
        f"{es}:7: error [catalog-extra] 'Extra': not in English",
    ]


def test_validate_reports_the_catalogs_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from webhooks._cli_flows import validate

    flow = tmp_path / "ask.yaml"
    flow.write_text(ASK, encoding="utf-8")
    assert CliRunner().invoke(validate, [str(flow)]).exit_code == 0
    problem = Diagnostic("error", "no entry in es", "es.po", None, "'Bye'", "catalog-missing")
    monkeypatch.setattr("webhooks._cli_flows.catalog_problems", lambda: [problem])
    result = CliRunner().invoke(validate, [str(flow)])
    assert result.exit_code == 1
    assert "es.po: error [catalog-missing] 'Bye': no entry in es" in result.output


@pytest.mark.parametrize(
    ("tag", "language"),
    [
        ("es_ES", "es"),
        ("es-MX", "es"),
        ("pt-BR", "pt_BR"),
        ("pt_PT", "pt_BR"),
        ("id_ID", "id"),
        ("EN_us", "en"),
        ("fr_FR", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_locale_tags_map_to_a_catalog(tag: str | None, language: str) -> None:
    assert language_of(tag) == language


def test_a_spanish_business_gets_the_engines_words_in_spanish(make_chat: MakeChat) -> None:
    chat = make_chat(ASK, language="es_ES")
    assert chat.say("hello") == ["¡Hola! Todavía no puedo ayudarte con eso aquí."]
    chat.send("cake")
    chat.send("lots")
    assert chat.say("heaps") == [
        "Lo siento, sigo sin entenderte. Lo dejamos aquí: envíame un mensaje para empezar de nuevo."
    ]
    assert chat.conversation.status == "ended"


def test_a_refusal_without_words_is_said_in_spanish(make_chat: MakeChat, hooks: Hooks) -> None:
    @hooks.validator("stock.available")
    def available(ctx: HookContext, value: int) -> bool:
        return value < 3

    source = ASK.replace(
        "    save: qty\n",
        "    validate: [{hook: stock.available}]\n"
        "    reprompt: {invalid: '{{ error }} (1-2)'}\n"
        "    save: qty\n",
    )
    chat = make_chat(source, language="es")
    chat.send("cake")
    assert chat.say("5") == ["Lo siento, no puedo aceptar esa respuesta. Inténtalo de nuevo. (1-2)"]
    assert chat.say("7") == [
        "Lo siento, no puedo aceptar esa respuesta. Inténtalo de nuevo.",
        "Lo dejamos aquí: envíame un mensaje para empezar de nuevo.",
    ]


def test_an_english_business_keeps_english(make_chat: MakeChat) -> None:
    chat = make_chat(ASK)
    assert chat.say("hello") == [FlowHandler.NOTHING_TEXT]


def _remember(chat: kit.Chat, language: str | None) -> None:
    with Session(chat.engine) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == kit.WA_ID)).one()
        contact.language = language
        session.add(contact)
        session.commit()


def test_the_customers_remembered_language_wins(make_chat: MakeChat) -> None:
    chat = make_chat(ASK, language="es")
    chat.send("hello")
    _remember(chat, "pt_BR")
    assert chat.say("hello") == ["Olá! Ainda não posso ajudar com isso aqui."]
    _remember(chat, "klingon")  # an unknown stored value falls back to the business's
    assert chat.say("hello") == ["¡Hola! Todavía no puedo ayudarte con eso aquí."]


def test_a_subclasss_own_words_are_sent_as_they_are(make_chat: MakeChat) -> None:
    class Shop(FlowHandler):
        NOTHING_TEXT = "¡Bienvenido a Sol!"

    chat = make_chat(ASK, language="id")
    chat.handler.__class__ = Shop
    assert chat.say("hello") == ["¡Bienvenido a Sol!"]


BUSINESS = "business: {name: Sol, timezone: Europe/Madrid, currency: EUR%s}\n"


@pytest.mark.parametrize(
    ("extra", "language"),
    [
        ("", "en"),
        (", locale: es_ES", "es"),
        (", locale: pt-BR", "pt_BR"),
        (", locale: fr_FR", "en"),
        (", locale: es_ES, language: id", "id"),
    ],
)
def test_the_business_file_sets_the_default_language(extra: str, language: str) -> None:
    assert parse_business(BUSINESS % extra).business.language == language


def test_an_unknown_language_is_a_located_error() -> None:
    with pytest.raises(BusinessConfigError, match=r"business\.language: unknown language 'fr'"):
        parse_business(BUSINESS % ", language: fr")


def test_the_bootstrap_gives_the_engine_the_business_files_language() -> None:
    from bot.config import Config
    from webhooks.bootstrap import make_handler

    fixture = Path(__file__).parents[2] / "flows/features/business/fixtures/business.yaml"
    text = fixture.read_text(encoding="utf-8")
    business = parse_business(text.replace("business:\n", "business:\n  language: es\n", 1))
    handler = make_handler(Config(access_token="t", phone_number_id="1"), business)
    while not isinstance(handler, FlowHandler):
        handler = handler.handler  # type: ignore[attr-defined]  # the features' wrappers
    assert handler.language == "es"


def test_problems_check_templates_tags_every_plural_form_and_fuzzy_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vip = "Hi {{ name }}{% if vip %}, welcome back{% endif %}!"
    cond = "{% if paid %}Paid.{% else %}Not paid.{% endif %}"

    def write(language: str, vip_text: str, cond_text: str, forms: list[str], bye: str) -> None:
        folder = tmp_path / language / "LC_MESSAGES"
        folder.mkdir(parents=True)
        plural = "".join(f'msgstr[{index}] "{form}"\n' for index, form in enumerate(forms))
        body = (
            f'msgid "{vip}"\nmsgstr "{vip_text}"\n\n'
            f'msgid "{cond}"\nmsgstr "{cond_text}"\n\n'
            f'msgid "{{n}} item"\nmsgid_plural "{{n}} items"\n{plural}\n'
            f'{bye}msgid "Bye"\nmsgstr "{"" if language == "en" else "Adiós"}"\n'
        )
        (folder / "waflow.po").write_text(body, encoding="utf-8")

    write("en", "", "", ["", ""], "")
    write(  # a tag left out, a tag not closed, a plural form without {n}, a fuzzy entry
        "es",
        "Hola {{ name }}!",
        "{% if paid %}Pagado.",
        ["{n} artículo", "{n} artículos de {who}", "muchos artículos"],
        "#, fuzzy\n",
    )
    # the same tags and expressions, written with other spaces and whitespace control: fine
    write(
        "pt_BR",
        "Oi {{name}}{%- if  vip -%}, que bom te ver{% endif %}!",
        cond.replace("Paid.", "Pago.").replace("Not paid.", "Não pago."),
        ["{n} item", "{n} de itens", "{n} itens"],
        "",
    )
    hai = "Hai {{ name }}{% if vip %}, selamat datang{% endif %}!"
    write("id", hai, cond, ["{n} barang"], "")
    monkeypatch.setattr(_i18n, "LOCALES", tmp_path)
    es = str(tmp_path / "es" / "LC_MESSAGES" / "waflow.po")
    found = [str(problem) for problem in catalog_problems()]
    assert [line.split(" error ")[1].split(":")[0] for line in found] == [
        "[catalog-placeholders] 'Hi {{ name }}{% if vip %}, welcome back{% endif %}!'",
        "[catalog-template] '{% if paid %}Paid.{% else %}Not paid.{% endif %}'",
        "[catalog-placeholders] '{n} item'",
        "[catalog-placeholders] '{n} item'",
        "[catalog-fuzzy] 'Bye'",
    ]
    assert all(line.startswith(f"{es}:") for line in found)
    assert "the original text ['name', '{% endif %}', '{% if vip %}']" in found[0]
    assert "not a valid template" in found[1]
    assert "plural form 1 uses the placeholders ['n', 'who']" in found[2]
    assert "plural form 2 uses the placeholders []" in found[3]
    assert "sent in English" in found[4]
