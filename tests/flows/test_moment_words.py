"""A customer's own words for a day, read by every date question (flows.english_moment)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from flows import english_moment
from flows._moments import parse_date, parse_datetime

TUESDAY = date(2026, 3, 3)


@pytest.mark.parametrize(
    ("language", "typed", "english"),
    [
        ("es", "mañana a las 11:00", "tomorrow at 11:00"),
        ("es", "manana 11:00", "tomorrow 11:00"),
        ("es", "el próximo viernes", "next friday"),
        ("es", "el viernes que viene", "next friday"),
        ("es", "pasado mañana", "day after tomorrow"),
        ("es", "15 de diciembre", "15 dec"),
        ("es", "miércoles 15:00", "wednesday 15:00"),
        ("es", "13 mar", "13 mar"),
        ("pt_BR", "amanhã às 11:00", "tomorrow at 11:00"),
        ("pt_BR", "próxima sexta", "next friday"),
        ("pt_BR", "sexta que vem", "next friday"),
        ("pt_BR", "segunda-feira", "monday"),
        ("pt_BR", "25 de dezembro", "25 dec"),
        ("id", "besok jam 11:00", "tomorrow at 11:00"),
        ("id", "jumat depan", "next friday"),
        ("id", "25 Desember", "25 dec"),
        ("es", "el lunes a las 5 de la tarde", "monday at 5 pm"),
        ("es", "mañana a las 10 de la mañana", "tomorrow at 10 am"),
        ("pt_BR", "amanhã às 3 da tarde", "tomorrow at 3 pm"),
        ("pt_BR", "às dez", "at dez"),  # ten, not December: left unread rather than misread
        ("id", "besok jam 3 sore", "tomorrow at 3 pm"),
        ("en", "next friday", "next friday"),
        ("es", "31/02", "31/02"),
        ("es", "cuando puedas", "cuando puedas"),
    ],
)
def test_a_customers_day_words_are_read_in_english(language: str, typed: str, english: str) -> None:
    assert english_moment(typed, language) == english


@pytest.mark.parametrize(
    ("language", "typed", "day"),
    [
        ("es", "el próximo viernes", date(2026, 3, 6)),
        ("es", "mañana", date(2026, 3, 4)),
        ("pt_BR", "depois de amanhã", date(2026, 3, 5)),
        ("pt_BR", "25 de dezembro", date(2026, 12, 25)),
        ("id", "besok", date(2026, 3, 4)),
        ("id", "senin", date(2026, 3, 9)),
    ],
)
def test_the_date_readers_read_them(language: str, typed: str, day: date) -> None:
    assert parse_date(english_moment(typed, language), TUESDAY) == day


def test_a_day_and_a_time_in_spanish() -> None:
    now = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    moment = parse_datetime(english_moment("el jueves a las 16:30", "es"), now)
    assert moment == datetime(2026, 3, 5, 16, 30, tzinfo=UTC)
