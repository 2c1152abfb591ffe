"""The web chat simulator in Chromium: a purchase of the example shop, start to confirmation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.config import Config
from flows.features.console import StaffUser
from flows.features.shop.models import Order
from storage.db import make_engine, read_session
from tests.browser.conftest import Console, login, wait_for
from webhooks.simulator import simulated_number, simulator_database_url

pytestmark = pytest.mark.browser
ADDRESS = "<script>alert(1)</script> Calle Mayor 1, 28013 Madrid"


@pytest.fixture
def simulator_engine(console: Console) -> Iterator[Engine]:
    """The simulator's own database (a temp file, deleted afterwards)."""
    url = simulator_database_url(Config(database_url=console.engine.url.render_as_string()))
    engine = make_engine(url)
    yield engine
    engine.dispose()
    path = Path(url.removeprefix("sqlite:///"))
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()


def messages(browser: WebDriver) -> list[WebElement]:
    return browser.find_elements(By.CSS_SELECTOR, "#sim-transcript .sim-msg")


def answered(browser: WebDriver, before: int) -> None:
    """Wait until the conversation grew and its last message is the bot's."""

    def done(b: WebDriver) -> bool:
        shown = messages(b)
        busy = "sim-busy" in b.find_element(By.ID, "simulator").get_attribute("class")
        return (
            not busy and len(shown) > before + 1 and "sim-bot" in shown[-1].get_attribute("class")
        )

    wait_for(browser, done)


def say(browser: WebDriver, text: str) -> None:
    before = len(messages(browser))
    box = browser.find_element(By.CSS_SELECTOR, "#sim-compose input[name=text]")
    box.send_keys(text + Keys.ENTER)
    answered(browser, before)


def tap(browser: WebDriver, title: str) -> None:
    """Tap the button or list row ``title`` of the bot's latest message that offers it."""
    before = len(messages(browser))
    for message in reversed(messages(browser)):
        for summary in message.find_elements(By.CSS_SELECTOR, "details.sim-list > summary"):
            summary.click()  # open the list, as WhatsApp opens its sheet
        found = [b for b in message.find_elements(By.CSS_SELECTOR, "button.sim-choice")]
        choice = next((b for b in found if b.text.split("\n")[0] == title), None)
        if choice is not None:
            choice.click()
            answered(browser, before)
            return
    raise AssertionError(f"{title!r} is not offered")


def test_a_purchase_ends_in_the_simulators_database_and_script_stays_text(
    browser: WebDriver, console: Console, simulator_engine: Engine
) -> None:
    login(browser, console, "owner", path="/console/simulator")
    say(browser, "hi")
    for step in ("Order cakes & treats", "Treats", "Cookie box"):
        tap(browser, step)
    say(browser, "1")
    for step in ("Checkout", "Delivery", "Type address"):
        tap(browser, step)
    say(browser, ADDRESS)
    summary = messages(browser)[-1].text
    tap(browser, "Place order")

    assert f"Deliver to: {ADDRESS}" in summary  # the bot's echo, shown as text
    assert browser.find_elements(By.CSS_SELECTOR, "#sim-transcript script") == []
    confirmation = messages(browser)[-1].text
    number = re.search(r"Your order number is (MG-\w{5})", confirmation)
    assert number is not None, confirmation
    with read_session(console.engine) as session:
        owner = session.exec(select(StaffUser).where(StaffUser.email == console.owner[0])).one()
        assert session.exec(select(Order)).all() == []  # the shop's own database: untouched
    with read_session(simulator_engine) as session:
        order = session.exec(select(Order).where(Order.number == number.group(1))).one()
    assert order.wa_id == simulated_number(owner.id or 0)
    assert (order.status, order.fulfilment, order.total) == ("pending_payment", "delivery", 1850)
    assert order.address == ADDRESS
    assert console.graph.requests() == []  # nothing reached the (mock) Cloud API
