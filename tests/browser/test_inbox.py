"""The inbox in Chromium: a handoff answered from the console, taken and given back, echoes."""

from __future__ import annotations

import copy
import time
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.select import Select

from bot import messages, simulate
from flows.features.handoff.handoff import BACK_TEXT
from tests.browser.conftest import Console, click_and_load, login, wait_for
from tests.helpers import load_payload

pytestmark = pytest.mark.browser

ANA = "34611222333"
BOB = "34611444555"


def sent_to(console: Console, wa_id: str) -> list[dict[str, Any]]:
    """The bodies the app sent to ``wa_id`` through the mock Cloud API so far."""
    return [record.json for record in console.graph.requests(wa_id)]


def next_to(console: Console, wa_id: str, before: int, timeout: float = 10) -> dict[str, Any]:
    """The first body sent to ``wa_id`` after the ``before`` already there."""
    records, reached = console.graph.wait_for(before + 1, timeout, to=wa_id)
    assert reached, [r.json for r in records]
    return records[before].json


def wait_sent(console: Console, wa_id: str, text: str, timeout: float = 10) -> None:
    """Wait until a message to ``wa_id`` that says ``text`` reached the mock Cloud API."""
    deadline = time.monotonic() + timeout
    while not any(text in messages.describe(body) for body in sent_to(console, wa_id)):
        assert time.monotonic() < deadline, f"nothing saying {text!r} was sent"
        time.sleep(0.05)


def ask_for_a_person(console: Console, wa_id: str, name: str) -> None:
    """``wa_id`` greets the bot, then asks for a person; wait until the bot's turns are sent."""
    console.deliver(simulate.text(wa_id, "hi", name=name))
    wait_sent(console, wa_id, "How can I help you?")
    console.deliver(simulate.text(wa_id, "talk to a person", name=name))
    wait_sent(console, wa_id, "I'm passing you to someone")  # the turn's last message


def rows(browser: WebDriver) -> list[str]:
    return [row.text for row in browser.find_elements(By.CSS_SELECTOR, "#threads tr.thread")]


def open_conversation(browser: WebDriver, name: str) -> None:
    click_and_load(browser, browser.find_element(By.LINK_TEXT, name))
    wait_for(browser, lambda b: b.find_elements(By.ID, "transcript"))


def transcript(browser: WebDriver) -> str:
    return str(browser.find_element(By.ID, "transcript").text)


def test_a_customer_asking_for_a_person_comes_first_and_is_answered_from_the_inbox(
    browser: WebDriver, console: Console
) -> None:
    login(browser, console, "agent", path="/console/inbox")
    assert "No conversations yet" in browser.page_source

    ask_for_a_person(console, ANA, "Ana")
    console.deliver(simulate.text(BOB, "hi", name="Bob"))

    # The open page updates itself: no reload.
    wait_for(browser, lambda b: len(rows(b)) == 2 and "Bob" in b.page_source)
    first = rows(browser)[0]
    assert "Ana" in first
    assert "waiting for a person" in first
    open_conversation(browser, "Ana")
    assert "talk to a person" in transcript(browser)
    assert browser.find_element(By.ID, "bot-state").text == "bot paused"

    before = len(sent_to(console, ANA))
    browser.find_element(By.ID, "reply-text").send_keys("Hi Ana, Lucia here. How can I help?")
    click_and_load(
        browser, browser.find_element(By.CSS_SELECTOR, "#reply-form button[type=submit]")
    )

    sent = next_to(console, ANA, before)
    assert sent["text"]["body"] == "Hi Ana, Lucia here. How can I help?"
    assert "Reply queued." in browser.find_element(By.CSS_SELECTOR, ".flash").text
    wait_for(browser, lambda b: "agent@bakery.test" in transcript(b))
    assert "with agent@bakery.test" in browser.find_element(By.ID, "status").text


def test_a_handoff_is_taken_then_given_back_and_the_customer_is_told(
    browser: WebDriver, console: Console
) -> None:
    ask_for_a_person(console, ANA, "Ana")
    login(browser, console, "owner", path="/console/inbox")
    open_conversation(browser, "Ana")

    click_and_load(browser, browser.find_element(By.ID, "claim"))
    assert "The conversation is yours" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    assert "with owner@bakery.test" in browser.find_element(By.ID, "status").text
    assert not browser.find_elements(By.ID, "claim")  # it is already theirs

    before = len(sent_to(console, ANA))
    click_and_load(browser, browser.find_element(By.ID, "release"))

    assert next_to(console, ANA, before)["text"]["body"] == BACK_TEXT
    assert "they were told" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    assert browser.find_element(By.ID, "bot-state").text == "bot active"
    assert not browser.find_elements(By.ID, "release")  # only "Pause the bot" is offered now
    assert browser.find_elements(By.ID, "pause")


def test_a_customer_text_holding_a_script_is_shown_as_text(
    browser: WebDriver, console: Console
) -> None:
    hostile = '<script>document.title="pwned"</script><img src=x onerror=alert(1)>'
    console.deliver(simulate.text(ANA, hostile, name="<b>Ana</b>"))
    login(browser, console, "owner", path="/console/inbox")
    wait_for(browser, lambda b: rows(b))

    open_conversation(browser, "<b>Ana</b>")

    wait_for(browser, lambda b: hostile in transcript(b))
    assert browser.title != "pwned"
    assert not browser.find_elements(By.CSS_SELECTOR, "#transcript script, #transcript img")


def echo(to: str, body: str) -> dict[str, Any]:
    """The echo payload file, sent now by the shop's owner to ``to`` from the Business app."""
    payload = copy.deepcopy(load_payload("inbound", "smb_message_echo.json"))
    item = payload["entry"][0]["changes"][0]["value"]["message_echoes"][0]
    item.update(
        to=f"+{to}", id=simulate.new_wamid(), timestamp=str(int(time.time())), text={"body": body}
    )
    return payload


def test_an_echo_from_the_business_app_shows_and_pauses_the_bot(
    browser: WebDriver, console: Console
) -> None:
    console.deliver(simulate.text(ANA, "hi", name="Ana"))
    wait_sent(console, ANA, "How can I help you?")
    login(browser, console, "owner", path="/console/inbox")
    open_conversation(browser, "Ana")
    assert browser.find_element(By.ID, "bot-state").text == "bot active"

    console.deliver(echo(ANA, "Hi Ana, Marta here: yes, we have gluten-free cakes."))

    wait_for(browser, lambda b: "gluten-free" in transcript(b))
    assert "Owner (WhatsApp Business app)" in transcript(browser)
    before = len(sent_to(console, ANA))
    console.deliver(simulate.text(ANA, "great, one for Saturday", name="Ana"))

    wait_for(browser, lambda b: "one for Saturday" in transcript(b))
    assert browser.find_element(By.ID, "bot-state").text.startswith("bot paused")
    _, reached = console.graph.wait_for(before + 1, 2, to=ANA)
    assert not reached, "the bot talked over the owner"


def test_an_owners_saved_reply_goes_into_the_reply_box_with_a_click(
    browser: WebDriver, console: Console
) -> None:
    login(browser, console, "owner", path="/console/inbox/saved")
    form = browser.find_element(By.ID, "add-saved")
    form.find_element(By.NAME, "title").send_keys("Opening hours")
    form.find_element(By.NAME, "body").send_keys("We open at 8:00, Monday to Saturday.")
    click_and_load(browser, form.find_element(By.CSS_SELECTOR, "button"))
    assert "Opening hours" in browser.find_element(By.ID, "saved-replies").text
    ask_for_a_person(console, ANA, "Ana")  # the bot is quiet for her now
    browser.get(console.page("/console/inbox"))
    wait_for(browser, lambda b: rows(b))
    open_conversation(browser, "Ana")

    Select(browser.find_element(By.ID, "saved-reply")).select_by_visible_text("Opening hours")

    box = browser.find_element(By.ID, "reply-text")
    assert box.get_attribute("value") == "We open at 8:00, Monday to Saturday."
    before = len(sent_to(console, ANA))
    box.send_keys(" See you!")
    click_and_load(
        browser, browser.find_element(By.CSS_SELECTOR, "#reply-form button[type=submit]")
    )
    sent = next_to(console, ANA, before)
    assert sent["text"]["body"] == "We open at 8:00, Monday to Saturday. See you!"
