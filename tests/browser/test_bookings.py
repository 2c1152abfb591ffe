"""The bookings agenda in Chromium: the owner cancels a booking and the customer is told."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from flows.features.booking import Bookings
from flows.features.business import load_business
from storage.db import transaction
from storage.models import Contact, utcnow
from tests.browser.conftest import SHOP, Console, click_and_load, login

pytestmark = pytest.mark.browser

CUSTOMER = "34600555666"


def test_the_owner_cancels_a_booking_and_the_customer_is_told(
    browser: WebDriver, console: Console
) -> None:
    rules = Bookings(load_business(SHOP / "business.yaml"))
    now = utcnow()
    with transaction(console.engine) as session:
        session.add(Contact(wa_id=CUSTOMER, name="Ana", last_inbound_at=now))  # window open
        day = rules.free_days(session, "tasting", now)[0][0]
        start = rules.free_times(session, "tasting", day, now)[0]
        booking = rules.book(session, CUSTOMER, "tasting", start, now)
    login(browser, console, "owner", path=f"/console/bookings?view=week&date={day}")
    row = browser.find_element(By.ID, f"booking-{booking.id}")
    assert "Ana" in row.text
    assert "confirmed" in row.text

    click_and_load(browser, row.find_element(By.CSS_SELECTOR, "button.btn-danger"))

    flash = browser.find_element(By.CSS_SELECTOR, ".flash")
    assert flash.text.startswith("Cancelled: Cake tasting, ")
    assert flash.text.endswith("customer told.")
    assert "cancelled" in browser.find_element(By.ID, f"booking-{booking.id}").text
    sent, reached = console.graph.wait_for(1, timeout=10, to=CUSTOMER)
    assert reached
    assert sent[0].status == 200
    assert sent[0].json["text"]["body"].startswith("Sorry, we had to cancel your booking")
