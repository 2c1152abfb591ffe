"""The back office in Chromium: a customer orders on WhatsApp, the owner marks the order paid.

The customer's conversation goes through the live app as signed webhook bodies; the bot's
answers, and the owner's notice to the customer, are read from the mock Cloud API.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from bot import simulate
from tests.browser.conftest import Console, click_and_load, login, wait_for

pytestmark = pytest.mark.browser

ORDER_NUMBER = re.compile(r"MG-[0-9A-Z]{5}")


def _choices(payload: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The buttons or list rows of a sent message as ``(kind, id, title)``."""
    action = payload.get("interactive", {}).get("action", {})
    buttons = [("button", b["reply"]["id"], b["reply"]["title"]) for b in action.get("buttons", [])]
    rows = [("list", r["id"], r["title"]) for s in action.get("sections", []) for r in s["rows"]]
    return buttons + rows


def _body(payload: dict[str, Any]) -> str:
    if payload.get("type") == "text":
        return str(payload["text"]["body"])
    return str(payload.get("interactive", {}).get("body", {}).get("text", ""))


@dataclass
class Customer:
    """A customer writing to the live shop through signed webhook bodies."""

    console: Console
    wa_id: str = "34611222333"
    name: str = "Ana"
    seen: int = 0

    def sent(self) -> list[dict[str, Any]]:
        """Every message the bot sent to the customer so far, oldest first."""
        records, _ = self.console.graph.wait_for(0, timeout=0, to=self.wa_id)
        return [r.json for r in records if r.json is not None]

    def expect(
        self, found: Callable[[dict[str, Any]], bool], timeout: float = 15
    ) -> dict[str, Any]:
        """Wait for a new message to the customer for which ``found`` holds; return it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            messages = self.sent()
            for index, payload in enumerate(messages[self.seen :], start=self.seen):
                if found(payload):
                    self.seen = index + 1
                    return payload
            time.sleep(0.05)
        raise AssertionError(f"no such message; sent: {[_body(p) for p in self.sent()]}")

    def say(self, text: str) -> None:
        """Type ``text``."""
        self.console.deliver(simulate.text(self.wa_id, text, name=self.name))

    def tap(self, title: str) -> None:
        """Wait until a button or row titled ``title`` is offered, then tap it."""
        offered = self.expect(lambda p: title in [t for _, _, t in _choices(p)])
        kind, reply_id = next((k, i) for k, i, t in _choices(offered) if t == title)
        make = simulate.button_reply if kind == "button" else simulate.list_reply
        self.console.deliver(make(self.wa_id, reply_id, title, name=self.name))


def order_a_cake(customer: Customer) -> str:
    """Buy one chocolate cake for pickup, as a customer does on WhatsApp; the order's number."""
    customer.say("shop")
    customer.tap("Cakes")
    customer.tap("Chocolate fudge cake")
    customer.expect(lambda p: "How many would you like?" in _body(p))
    customer.say("1")
    customer.tap("Checkout")
    customer.tap("Pickup")
    customer.say("friday 11:00")  # a day and a time the shop is open
    customer.tap("Place order")
    confirmation = customer.expect(lambda p: ORDER_NUMBER.search(_body(p)) is not None)
    found = ORDER_NUMBER.search(_body(confirmation))
    assert found is not None
    return found.group()


def test_the_owner_marks_a_whatsapp_order_paid_and_the_customer_is_told(
    browser: WebDriver, console: Console
) -> None:
    customer = Customer(console)
    number = order_a_cake(customer)

    login(browser, console, "owner", path="/console/orders?status=pending_payment")
    click_and_load(browser, browser.find_element(By.LINK_TEXT, number))
    wait_for(browser, lambda b: b.current_url.endswith(f"/console/orders/{number}"))
    assert "waiting for payment" in browser.find_element(By.TAG_NAME, "h1").text
    assert "Chocolate fudge cake" in browser.find_element(By.ID, "items").text
    assert "Ana" in browser.find_element(By.ID, "customer").text

    form = browser.find_element(By.ID, "action-paid")
    form.find_element(By.NAME, "reference").send_keys("BIZUM 4411")
    click_and_load(browser, form.find_element(By.CSS_SELECTOR, "button"))

    wait_for(browser, lambda b: "is now paid" in b.find_element(By.CSS_SELECTOR, ".flash").text)
    assert "paid" in browser.find_element(By.TAG_NAME, "h1").text
    assert "Reference: BIZUM 4411" in browser.find_element(By.ID, "payment").text
    assert browser.find_elements(By.ID, "action-paid") == []
    notice = customer.expect(lambda p: "Payment received" in _body(p))
    assert _body(notice) == (
        f"Payment received for order {number} (€32.00). Thank you! "
        "We'll tell you when it's ready for pickup."
    )

    browser.get(console.page("/console/audit"))
    first_row = browser.find_element(By.CSS_SELECTOR, "#audit tbody tr").text
    assert "order.paid" in first_row
    assert number in first_row
    assert console.owner[0] in first_row


def test_an_agent_is_refused_the_orders(browser: WebDriver, console: Console) -> None:
    login(browser, console, "agent")
    assert "Orders" not in browser.find_element(By.CSS_SELECTOR, ".topbar").text

    browser.get(console.page("/console/orders"))

    assert browser.find_element(By.TAG_NAME, "h1").text == "Owners only"
