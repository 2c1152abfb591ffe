"""The engine's own words in the customer's language: hints, refusals, the prompts it lays out,
the yes/no and ordinal words it understands, and the ``money`` and ``date`` filters."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlmodel import Session, select

from bot.inbound import Message, parse_value
from flows import ExpectSpec, Option, texts_for
from flows._choice import match_option, match_yes_no
from flows._inputs import Accepted, Invalid, Unrecognized, read_answer
from flows._template import ENV, TEXTS_NAME
from storage.models import Contact
from tests.flows import flowkit as kit
from tests.flows.flowkit import MakeChat

FLAVOURS = [f"Flavour {n}" for n in range(1, 13)]
ORDER = """\
schema: 1
flow: order
version: 1
start: qty
triggers: {keywords: [cake]}
settings: {max_retries: 3}
states:
  qty:
    ask: "How many?"
    expect: {type: number, min: 1, max: 5}
    save: qty
    next: day
  day:
    ask: "Which day?"
    expect: {type: date}
    save: day
    next: sure
  sure:
    ask: "Shall I order?"
    expect: {type: yes_no}
    save: ok
    next: flavour
  flavour:
    ask: "Which flavour?"
    expect:
      type: choice
      options: OPTIONS
    save: flavour
    next: done
  done:
    say: "{{ 27.5 | money('EUR') }}, {{ slots.day | date('%A %d %B') }}, {{ slots.flavour }}"
    end: true
""".replace(
    "OPTIONS",
    "[" + ", ".join(f"{{id: f{n}, title: '{t}'}}" for n, t in enumerate(FLAVOURS, 1)) + "]",
)
"""Today is Monday 3 March 2025 (the test clock): a week from today is 10 March."""


def _list(payload: dict[str, Any]) -> tuple[str, list[tuple[str, str, str | None]]]:
    """The list button and every row ``(id, title, description)`` of a list message."""
    action = payload["interactive"]["action"]
    rows = [
        (r["id"], r["title"], r.get("description")) for s in action["sections"] for r in s["rows"]
    ]
    return action["button"], rows


WORDS = {
    "es": {
        "unread": "Perdona, no te he entendido. Responde con un número, por favor.",
        "range": "Envíame un número del 1 al 5, por favor.",
        "two": "dos",
        "date": "Perdona, no te he entendido. Envíame una fecha, como 10/3/25.",
        "yes_no": "Perdona, no te he entendido. Responde sí o no, por favor.",
        "buttons": ["Sí", "No"],
        "yes": "sí",
        "choose": "Elegir",
        "more": ("Más…", "Opciones 10–12 de 12"),
        "next": "más",
        "second": "la segunda",
        "done": "27,50\xa0€, lunes, 10 de marzo, f11",
    },
    "id": {
        "unread": "Maaf, saya tidak mengerti. Silakan balas dengan angka.",
        "range": "Silakan kirim angka dari 1 sampai 5.",
        "two": "dua",
        "date": "Maaf, saya tidak mengerti. Silakan kirim tanggal, misalnya 10/3/25.",
        "yes_no": "Maaf, saya tidak mengerti. Silakan jawab ya atau tidak.",
        "buttons": ["Ya", "Tidak"],
        "yes": "ya",
        "choose": "Pilih",
        "more": ("Berikutnya…", "Opsi 10–12 dari 12"),
        "next": "berikutnya",
        "second": "yang kedua",
        "done": "€27,50, Senin, 10 Maret, f11",
    },
    "en": {
        "unread": "Sorry, I didn't understand that. Please reply with a number.",
        "range": "Please send a number from 1 to 5.",
        "two": "two",
        "date": "Sorry, I didn't understand that. Please send a date, like 10/03/2025.",
        "yes_no": "Sorry, I didn't understand that. Please answer yes or no.",
        "buttons": ["Yes", "No"],
        "yes": "yes",
        "choose": "Choose",
        "more": ("More…", "Options 10–12 of 12"),
        "next": "more",
        "second": "the second",
        "done": "27.50 EUR, Monday 10 March, f11",
    },
}


@pytest.mark.parametrize("language", ["es", "id", "en"])
def test_a_conversation_in_the_customers_language(make_chat: MakeChat, language: str) -> None:
    words = WORDS[language]
    chat = make_chat(ORDER, language=language)
    chat.send("cake")
    assert chat.say("lots") == [words["unread"]]
    assert chat.say("9") == [words["range"]]
    assert chat.say(words["two"]) == ["Which day?"]
    assert chat.say("soon") == [words["date"]]
    [question] = chat.send("10/03/2025")
    assert kit.buttons(question) == words["buttons"]
    [again] = chat.send("maybe")
    assert (kit.body(again), kit.buttons(again)) == (words["yes_no"], words["buttons"])
    [flavours] = chat.send(words["yes"])
    button, rows = _list(flavours)
    assert button == words["choose"]
    assert rows[-1] == ("__more__:1", *words["more"])
    [second_page] = chat.send(words["next"])
    assert [title for _, title, _ in _list(second_page)[1]][:3] == FLAVOURS[9:]
    assert chat.say(words["second"]) == [words["done"]]
    assert chat.conversation.slots["qty"] == 2


def test_a_sticker_is_named_in_spanish(make_chat: MakeChat) -> None:
    chat = make_chat(ORDER, language="es")
    chat.send("cake")
    [reply] = chat.deliver(kit.media("sticker"))
    assert kit.body(reply) == "Todavía no puedo leer stickers — responde con un número, por favor."


def test_the_customers_remembered_language_writes_the_hints(make_chat: MakeChat) -> None:
    chat = make_chat(ORDER)
    chat.send("cake")
    with Session(chat.engine) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == kit.WA_ID)).one()
        contact.language = "pt_BR"
        session.add(contact)
        session.commit()
    assert chat.say("9") == ["Por favor, envie um número de 1 a 5."]


NOW = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)


def _message(body: str) -> Message:
    item = {"from": kit.WA_ID, "id": "wamid.X", "timestamp": "1740996000", **kit.text(body)}
    parsed = parse_value("messages", kit.value(item))[0]
    assert isinstance(parsed, Message)
    return parsed


@pytest.mark.parametrize(
    ("expect", "typed", "language", "result"),
    [
        ({"type": "number", "min": 0.5}, "0,2", "es", Invalid("Envíame un número de 0,5 o más, por favor.")),
        ({"type": "number", "integer": True}, "2,5", "pt_BR", Invalid("Por favor, envie um número inteiro.")),
        ({"type": "number"}, "selusin", "id", Accepted(12, 12)),
        ({"type": "text", "max_length": 3}, "hola", "es", Invalid("Que no pase de 3 caracteres, por favor (el tuyo tiene 4).")),
        ({"type": "text", "min_length": 1}, " ", "id", Unrecognized("Silakan ketik jawaban Anda.")),
        ({"type": "date", "future_only": True}, "01/03/2025", "es", Invalid("Elige una fecha a partir del 3 mar 2025, por favor.")),
        ({"type": "media", "kinds": ["image", "video"]}, "hi", "es", Unrecognized("Envíame una foto o un vídeo, por favor.")),
        ({"type": "phone"}, "12", "pt_BR", Invalid("Esse número de telefone parece curto ou longo demais. Por favor, envie um número de telefone com o código do país, como +55 11 91234-5678.")),
        ({"type": "yes_no"}, "não", "pt_BR", Accepted(False, False)),
        ({"type": "yes_no"}, "enggak", "id", Accepted(False, False)),
        ({"type": "yes_no"}, "claro", "es", Accepted(True, True)),
    ],
    ids=str,
)  # fmt: skip
def test_read_answer_writes_in_the_customers_language(
    expect: dict[str, Any], typed: str, language: str, result: Any
) -> None:
    read = read_answer(ExpectSpec(**expect), _message(typed), now=NOW, texts=texts_for(language))
    assert read == result


def test_read_answer_defaults_to_english() -> None:
    spec = ExpectSpec(type="number", min=1, max=5)
    assert read_answer(spec, _message("9"), now=NOW) == Invalid("Please send a number from 1 to 5.")


OPTIONS = tuple(Option(id=f"o{n}", title=f"Option {n}") for n in range(1, 5))


@pytest.mark.parametrize(
    ("typed", "language", "expected"),
    [
        ("segunda", "es", "o2"),
        ("la tercera opción", "es", "o3"),
        ("a primeira", "pt_BR", "o1"),
        ("kedua", "id", "o2"),
        ("pilihan ketiga", "id", "o3"),
        ("terakhir", "id", "o4"),
        ("second", "id", "o2"),
        ("kedua", "en", None),
    ],
)
def test_ordinals_in_the_customers_language(
    typed: str, language: str, expected: str | None
) -> None:
    option = match_option(OPTIONS, choice_id=None, text=typed, language=language)
    assert (option.id if option else None) == expected


@pytest.mark.parametrize(
    ("typed", "language", "expected"),
    [
        ("sí", "es", True),
        ("si", "en", True),
        ("vale", "es", True),
        ("no", "es", False),
        ("sim", "pt_BR", True),
        ("não", "pt_BR", False),
        ("ya", "id", True),
        ("iya", "id", True),
        ("tidak", "id", False),
        ("gak", "id", False),
        ("ya", "en", None),
    ],
)
def test_yes_and_no_in_the_customers_language(
    typed: str, language: str, expected: bool | None
) -> None:
    assert match_yes_no(choice_id=None, text=typed, language=language) is expected


def _render(source: str, language: str | None, **values: Any) -> str:
    context = {TEXTS_NAME: texts_for(language)} if language else {}
    return ENV.from_string(source).render({**context, **values})


@pytest.mark.parametrize(
    ("source", "language", "expected"),
    [
        ("{{ 27.5 | money('EUR') }}", "es", "27,50\xa0€"),
        ("{{ 1234.5 | money('BRL') }}", "pt_BR", "R$\xa01.234,50"),
        ("{{ 1234.5 | money }}", "es", "1.234,50"),
        ("{{ 1234.5 | money('EUR') }}", "en", "1,234.50 EUR"),
        ("{{ 1234.5 | money('EUR') }}", None, "1,234.50 EUR"),
        ("{{ d | date('%A %d %B') }}", "es", "viernes, 6 de marzo"),
        ("{{ d | date('%A %d %B') }}", "pt_BR", "sexta-feira, 6 de março"),
        ("{{ d | date }}", "id", "6 Mar 2026"),
        ("{{ d | date('%d/%m') }}", "es", "6/3"),
        ("{{ d | date('%A %d %B') }}", "en", "Friday 06 March"),
        ("{{ d | date('%A %d %B') }}", None, "Friday 06 March"),
        ("{{ d | date('%H:%M') }}", "es", "00:00"),
    ],
)
def test_money_and_date_filters_write_in_the_customers_language(
    source: str, language: str | None, expected: str
) -> None:
    assert _render(source, language, d=date(2026, 3, 6)) == expected


@pytest.mark.parametrize(
    ("language", "typed"),
    [("es", "el próximo viernes"), ("pt_BR", "sexta que vem"), ("id", "jumat depan")],
)
def test_a_date_question_reads_the_customers_words(
    make_chat: MakeChat, language: str, typed: str
) -> None:
    chat = make_chat(ORDER, language=language)
    chat.send("cake")
    chat.send("2")
    [question] = chat.send(typed)
    assert len(kit.buttons(question)) == 2  # understood: on to the Yes/No question
    assert chat.conversation.slots["day"] == "2025-03-07"  # the Friday after Monday 3 March


def test_a_weekday_named_like_an_ordinal_is_the_weekday() -> None:
    days = ["Segunda-feira", "Terça-feira", "Quarta-feira", "Quinta-feira", "Sexta-feira"]
    options = [Option(id=day[:3].lower(), title=day) for day in days]

    def pick(text: str) -> str | None:
        found = match_option(options, choice_id=None, text=text, language="pt_BR")
        return found.id if found else None

    assert [pick(t) for t in ("sexta", "segunda", "quinta")] == ["sex", "seg", "qui"]
    assert [pick(t) for t in ("a segunda", "2", "dois")] == ["ter", "ter", "ter"]  # ordinals
