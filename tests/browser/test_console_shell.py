"""The console's shell in Chromium: login, roles, CSRF, logout (server-side), escaping."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from bot import simulate
from flows.features.console import audit
from storage.db import transaction
from tests.browser.conftest import Console, click_and_load, login

pytestmark = pytest.mark.browser


def test_a_console_page_sends_a_stranger_to_the_login_and_back(
    browser: WebDriver, console: Console
) -> None:
    browser.get(console.page("/console/audit"))
    assert "/console/login?next=/console/audit" in browser.current_url

    login(browser, console, "owner", path="/console/audit")

    assert browser.current_url == console.page("/console/audit")
    assert "staff.login" in browser.find_element(By.ID, "audit").text


def test_the_login_page_is_styled_by_the_apps_own_stylesheet(
    browser: WebDriver, console: Console
) -> None:
    browser.get(console.page("/console/login"))
    bar = browser.find_element(By.CSS_SELECTOR, ".topbar")
    assert bar.value_of_css_property("background-color") == "rgba(7, 94, 84, 1)"
    assert browser.get_log("browser") == []  # no CSP violation, nothing refused


def test_wrong_password_is_refused_with_one_message_for_every_account(
    browser: WebDriver, console: Console
) -> None:
    for email in (console.owner[0], "nobody@bakery.test"):
        browser.get(console.page("/console/login"))
        browser.find_element(By.NAME, "email").send_keys(email)
        browser.find_element(By.NAME, "password").send_keys("not the password")
        click_and_load(browser, browser.find_element(By.CSS_SELECTOR, "#login-form button"))
        assert "Wrong e-mail or password." in browser.find_element(By.CSS_SELECTOR, ".flash").text
    assert browser.get_cookie("waflow_console") is None


def test_an_agent_is_refused_the_owners_pages_and_does_not_see_them(
    browser: WebDriver, console: Console
) -> None:
    login(browser, console, "agent")
    menu = browser.find_element(By.CSS_SELECTOR, ".topbar").text
    assert "Staff" not in menu
    assert "Audit log" not in menu

    browser.get(console.page("/console/staff"))

    assert browser.find_element(By.TAG_NAME, "h1").text == "Owners only"
    assert console.agent[0] in browser.find_element(By.CSS_SELECTOR, ".who").text


def test_a_form_without_its_csrf_token_is_refused(browser: WebDriver, console: Console) -> None:
    login(browser, console, "owner", path="/console/staff")
    form = browser.find_element(By.ID, "add-staff")
    browser.execute_script("arguments[0].querySelector('[name=csrf_token]').remove()", form)
    form.find_element(By.NAME, "email").send_keys("forged@bakery.test")
    form.find_element(By.NAME, "password").send_keys("forged password")
    click_and_load(browser, form.find_element(By.CSS_SELECTOR, "button"))

    assert browser.find_element(By.TAG_NAME, "h1").text == "This form has expired"
    browser.get(console.page("/console/staff"))
    assert "forged@bakery.test" not in browser.page_source


def test_an_owner_adds_an_agent_who_can_then_log_in(browser: WebDriver, console: Console) -> None:
    login(browser, console, "owner", path="/console/staff")
    form = browser.find_element(By.ID, "add-staff")
    form.find_element(By.NAME, "email").send_keys("new@bakery.test")
    form.find_element(By.NAME, "password").send_keys("a new password")
    click_and_load(browser, form.find_element(By.CSS_SELECTOR, "button"))
    assert "new@bakery.test can now log in as owner." in browser.page_source

    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, ".who button"))
    assert "/console/login" in browser.current_url
    console.agent = ("new@bakery.test", "a new password")
    login(browser, console, "agent")
    assert "new@bakery.test" in browser.find_element(By.CSS_SELECTOR, ".who").text


def test_logging_out_ends_the_session_on_the_server(browser: WebDriver, console: Console) -> None:
    login(browser, console, "owner")
    cookie = browser.get_cookie("waflow_console")
    assert cookie is not None
    assert cookie["httpOnly"]
    assert cookie["secure"]

    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, ".who button"))
    assert "/console/login" in browser.current_url
    browser.add_cookie({k: cookie[k] for k in ("name", "value", "path")})  # the stolen cookie
    browser.get(console.page("/console/staff"))

    assert "/console/login" in browser.current_url


def test_a_webhook_delivered_to_the_live_app_is_answered(console: Console) -> None:
    console.deliver(simulate.text("15550009999", "hi", name="Ana"))
    replies, reached = console.graph.wait_for(1, timeout=10, to="15550009999")
    assert reached
    assert replies[0].to == "15550009999"
    assert replies[0].status == 200


def test_staff_text_is_shown_as_text_never_run(browser: WebDriver, console: Console) -> None:
    with transaction(console.engine) as session:
        audit(session, None, "note", "<script>document.title='owned'</script>")
    login(browser, console, "owner", path="/console/audit")

    assert "<script>document.title='owned'</script>" in browser.find_element(By.ID, "audit").text
    assert browser.title != "owned"
