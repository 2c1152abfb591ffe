"""Issue 11's console pages in Chromium: a customer's tags, consent and data, and a broadcast.

The owner tags a customer and records their opt-out on their page, sends a broadcast to the
tag from the Broadcasts page (the running bot's minute task queues it), sees it in its report,
then erases the other customer after typing their number.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select
from sqlmodel import select

from flows.features.broadcasts.broadcasts import broadcast_task
from flows.features.business import load_business
from flows.features.consent.models import ConsentEvent
from storage.db import read_session, transaction
from storage.models import Contact, OutboxMessage, utcnow
from tests.browser.conftest import SHOP, Console, click_and_load, login, wait_for

pytestmark = pytest.mark.browser

ANA, BEN = "34600777001", "34600777002"


def customers(console: Console) -> dict[str, int]:
    now = utcnow()
    with transaction(console.engine) as session:
        found = {}
        for wa_id, name in ((ANA, "Ana"), (BEN, "Ben")):
            contact = Contact(wa_id=wa_id, name=name, last_inbound_at=now)
            session.add(contact)
            session.flush()
            assert contact.id is not None
            found[wa_id] = contact.id
    return found


def tag(browser: WebDriver, name: str) -> None:
    section = browser.find_element(By.ID, "tags")
    section.find_element(By.NAME, "tag").send_keys(name)
    click_and_load(browser, section.find_element(By.CSS_SELECTOR, "button.btn-primary"))


def test_tags_consent_a_broadcast_and_an_erasure(browser: WebDriver, console: Console) -> None:
    ids = customers(console)
    login(browser, console, "owner", path=f"/console/customers/{ids[ANA]}")
    tag(browser, "VIP")
    assert "vip" in browser.find_element(By.ID, "tags").text
    browser.get(console.page(f"/console/customers/{ids[BEN]}"))
    tag(browser, "vip")
    form = browser.find_element(By.ID, "consent-form")
    form.find_element(By.NAME, "note").send_keys("asked by phone")
    click_and_load(browser, form.find_element(By.CSS_SELECTOR, 'button[value="out"]'))
    assert (
        "will get no more marketing messages"
        in browser.find_element(By.CSS_SELECTOR, ".flash").text
    )
    assert "asked by phone" in browser.find_element(By.ID, "consent-history").text

    browser.get(console.page("/console/broadcasts"))
    new = browser.find_element(By.ID, "new-broadcast")
    new.find_element(By.NAME, "title").send_keys("Spring sale")
    Select(new.find_element(By.NAME, "template")).select_by_value("spring_sale")
    new.find_element(By.NAME, "param_code").send_keys("SPRING10")
    new.find_element(By.NAME, "tags").send_keys("vip")
    click_and_load(browser, new.find_element(By.CSS_SELECTOR, 'button[value="preview"]'))
    assert browser.find_element(By.ID, "audience").text == "2"
    assert browser.find_element(By.ID, "opted-out").text == "1"  # Ben: recorded, not sent
    start = browser.find_element(By.ID, "about").find_element(By.CSS_SELECTOR, ".btn-primary")
    click_and_load(browser, start)
    assert broadcast_task(console.engine, load_business(SHOP / "business.yaml"), utcnow())
    console.runtime.wake_sender()
    sent, reached = console.graph.wait_for(1, timeout=10, to=ANA)
    assert reached
    assert sent[0].json["template"]["name"] == "spring_sale"
    browser.refresh()
    wait_for(browser, lambda b: "Suppressed" in b.find_element(By.TAG_NAME, "body").text)
    report = browser.find_element(By.TAG_NAME, "body").text
    assert "Suppressed (opted out) 1" in report
    with read_session(console.engine) as session:
        ben_rows = session.exec(select(OutboxMessage.state).where(OutboxMessage.wa_id == BEN))
        assert list(ben_rows) == ["suppressed"]
        sources = session.exec(select(ConsentEvent.source).where(ConsentEvent.wa_id == BEN))
        assert list(sources) == ["staff"]

    browser.get(console.page(f"/console/customers/{ids[BEN]}"))
    erase = browser.find_element(By.ID, "privacy").find_element(By.CSS_SELECTOR, "a.btn-danger")
    click_and_load(browser, erase)
    box = browser.find_element(By.ID, "erase")
    box.find_element(By.NAME, "number").send_keys("+34 600 777 002")
    click_and_load(browser, box.find_element(By.CSS_SELECTOR, "button.btn-danger"))
    assert "erased" in browser.find_element(By.CSS_SELECTOR, ".flash").text.lower()
    with read_session(console.engine) as session:
        left = session.exec(select(Contact.wa_id).order_by(Contact.wa_id))
        assert list(left) == [ANA]
