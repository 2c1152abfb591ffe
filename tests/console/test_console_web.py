"""The console's shell over HTTP: redirects, CSRF, headers, roles, staff pages, audit."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy.engine import Engine
from sqlmodel import select

from flows.features.console import AuditEvent, StaffUser
from flows.features.console.web import CONTENT_SECURITY_POLICY
from storage.db import transaction
from tests.console.consolekit import AGENT, OWNER, Login, csrf_of


@pytest.mark.parametrize("path", ["/console/", "/console/staff", "/console/audit", "/console/nope"])
def test_every_console_address_sends_a_stranger_to_the_login(shop_app: Flask, path: str) -> None:
    answer = shop_app.test_client().get(path)
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/console/login?next=")


def test_the_stylesheet_is_served_to_the_login_page(shop_app: Flask) -> None:
    answer = shop_app.test_client().get("/console/static/waflow_console/console.css")
    assert answer.status_code == 200
    assert answer.mimetype == "text/css"


def test_console_answers_carry_the_security_headers(shop_app: Flask) -> None:
    answer = shop_app.test_client().get("/console/login")
    assert answer.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" not in shop_app.test_client().get("/healthz").headers


def test_the_webhook_needs_no_csrf_token(shop_app: Flask) -> None:
    assert shop_app.test_client().post("/webhook", json={"object": "x"}).status_code == 200


def test_login_without_a_csrf_token_is_refused(shop_app: Flask) -> None:
    client = shop_app.test_client()
    answer = client.post("/console/login", data={"email": OWNER[0], "password": OWNER[1]})
    assert answer.status_code == 400
    assert "This form has expired" in answer.get_data(as_text=True)


def test_the_session_cookie_is_secure_httponly_and_lax(shop_app: Flask) -> None:
    client = shop_app.test_client()
    token = csrf_of(client)
    answer = client.post(
        "/console/login", data={"email": OWNER[0], "password": OWNER[1], "csrf_token": token}
    )
    cookie = answer.headers["Set-Cookie"]
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_plain_http_from_another_host_is_refused_at_login(shop_app: Flask) -> None:
    client = shop_app.test_client()
    page = client.get("/console/login", base_url="http://shop.example.com").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    answer = client.post(
        "/console/login",
        data={"email": OWNER[0], "password": OWNER[1], "csrf_token": token},
        base_url="http://shop.example.com",
    )
    assert answer.status_code == 400
    assert "Open the console over https://" in answer.get_data(as_text=True)


def test_login_goes_back_only_to_a_console_page(shop_app: Flask) -> None:
    for target, landing in [("/console/audit", "/console/audit"), ("//evil.test/x", "/console/")]:
        client = shop_app.test_client()
        token = csrf_of(client)
        answer = client.post(
            "/console/login",
            data={"email": OWNER[0], "password": OWNER[1], "csrf_token": token, "next": target},
        )
        assert answer.headers["Location"] == landing


def test_logging_in_gives_a_new_csrf_token(shop_app: Flask) -> None:
    client = shop_app.test_client()
    before = csrf_of(client)
    client.post(
        "/console/login", data={"email": OWNER[0], "password": OWNER[1], "csrf_token": before}
    )
    answer = client.post("/console/staff", data={"csrf_token": before, "action": "x"})
    assert answer.status_code == 400  # the token of the page before login is worthless now
    assert "This form has expired" in answer.get_data(as_text=True)


def test_guessing_is_braked_before_any_hashing_and_says_the_same_for_any_e_mail(
    shop_app: Flask,
) -> None:
    for email in ("nobody@bakery.test", OWNER[0]):
        client = shop_app.test_client()
        for _ in range(5):
            token = csrf_of(client)
            client.post(
                "/console/login", data={"email": email, "password": "guess", "csrf_token": token}
            )
        token = csrf_of(client)
        answer = client.post(
            "/console/login", data={"email": email, "password": "guess", "csrf_token": token}
        )
        assert answer.status_code == 401
        assert "Too many failed attempts" in answer.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        "/console/inbox/99999999999999999999999",
        "/console/customers/99999999999999999999999",
        "/console/orders?to=9999-12-31",
        "/console/orders?page=%C2%B2",
        "/console/customers?page=%C2%B2",
        "/console/orders?_method=x&_external=1",
    ],
)
def test_odd_addresses_are_4xx_or_ignored_never_500(logged_in: Login, path: str) -> None:
    answer = logged_in("owner").get(path)
    assert answer.status_code < 500


def test_an_agent_gets_403_on_owner_pages(logged_in: Login) -> None:
    agent = logged_in("agent")
    assert agent.get("/console/staff").status_code == 403
    assert agent.get("/console/audit").status_code == 403


def test_an_owner_adds_and_removes_staff_and_it_is_audited(
    logged_in: Login, shop_engine: Engine
) -> None:
    owner = logged_in("owner")
    token = csrf_of(owner, "/console/staff")
    form = {"csrf_token": token, "action": "add", "email": "new@bakery.test", "role": "agent"}
    bad = owner.post("/console/staff", data={**form, "password": "short"}, follow_redirects=True)
    assert "A password needs at least 10 characters." in bad.get_data(as_text=True)
    owner.post("/console/staff", data={**form, "password": "long enough pw"})
    owner.post("/console/staff", data={**form, "action": "remove"})
    with transaction(shop_engine) as session:
        emails = set(session.exec(select(StaffUser.email)))
        actions = list(session.exec(select(AuditEvent.action, AuditEvent.target)))
    assert emails == {OWNER[0], AGENT[0]}
    assert ("staff.add", "new@bakery.test") in actions
    assert ("staff.remove", "new@bakery.test") in actions


def test_an_owner_cannot_remove_themself(logged_in: Login) -> None:
    owner = logged_in("owner")
    token = csrf_of(owner, "/console/staff")
    answer = owner.post(
        "/console/staff",
        data={"csrf_token": token, "action": "remove", "email": OWNER[0]},
        follow_redirects=True,
    )
    assert "You cannot remove your own account." in answer.get_data(as_text=True)


def test_changing_ones_password_logs_out_everywhere(logged_in: Login) -> None:
    first, second = logged_in("agent"), logged_in("agent")
    token = csrf_of(first, "/console/account")
    answer = first.post(
        "/console/account",
        data={
            "csrf_token": token,
            "current": AGENT[1],
            "new": "fresh password",
            "repeat": "fresh password",
        },
    )
    assert answer.headers["Location"] == "/console/login"
    assert second.get("/console/account").status_code == 302
