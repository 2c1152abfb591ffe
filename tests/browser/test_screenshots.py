"""The screenshots of ``docs/console.md``, taken from the live example shop.

With ``WAFLOW_SCREENSHOTS`` set to a folder (``WAFLOW_SCREENSHOTS=docs/img .venv/bin/python -m
pytest tests/browser/test_screenshots.py``) each test writes its picture there; without it the
same pages are opened and checked, so the pictures cannot describe a page that no longer works.
Install Debian's ``fonts-noto-color-emoji`` before taking them, or the bot's emoji are boxes.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from bot import simulate
from tests.analytics.seed import seed
from tests.browser.conftest import Console, login, wait_for
from tests.browser.test_orders import Customer, order_a_cake
from tests.browser.test_simulator import say, tap

pytestmark = pytest.mark.browser

CUSTOMER = "34611222333"


def snap(browser: WebDriver, name: str, height: int = 900) -> None:
    """Save the window as ``<WAFLOW_SCREENSHOTS>/<name>.png`` when that variable is set."""
    folder = os.environ.get("WAFLOW_SCREENSHOTS")
    if folder:
        browser.set_window_size(1280, height)
        browser.save_screenshot(str(Path(folder) / f"{name}.png"))
    browser.set_window_size(1280, 900)


def test_the_inbox(browser: WebDriver, console: Console) -> None:
    console.deliver(simulate.text(CUSTOMER, "hi", name="Ana García"))
    console.deliver(simulate.text("34699887766", "hi", name="Luis"))
    console.deliver(
        simulate.text(CUSTOMER, "Can I talk to someone about a wedding cake?", name="Ana García")
    )
    login(browser, console, "agent", path="/console/inbox")
    first = "a[href^='/console/inbox/']"
    assert wait_for(browser, lambda b: b.find_element(By.CSS_SELECTOR, first).text) == "Ana García"
    href = wait_for(browser, lambda b: b.find_element(By.CSS_SELECTOR, first).get_attribute("href"))
    browser.get(href)  # waiting for a person: first
    box = browser.find_element(By.CSS_SELECTOR, "textarea[name=text]")
    box.send_keys("Hello Ana! I'm Marta from the bakery. For how many guests?")
    box.submit()
    wait_for(browser, lambda b: "I'm Marta from the bakery" in b.page_source)
    snap(browser, "console-inbox")


def test_an_order(browser: WebDriver, console: Console) -> None:
    number = order_a_cake(Customer(console, name="Ana García"))
    login(browser, console, "owner", path=f"/console/orders/{number}")
    assert "waiting for payment" in wait_for(
        browser, lambda b: b.find_element(By.TAG_NAME, "h1").text
    )
    snap(browser, "console-order", height=1200)


def test_the_dashboard(browser: WebDriver, console: Console) -> None:
    seed(console.engine)
    login(browser, console, "owner", path="/console/analytics?start=2025-03-03&end=2025-03-09")
    page = browser.find_element(By.ID, "analytics")
    wait_for(browser, lambda b: page.get_attribute("data-charts") == "drawn")
    snap(browser, "console-dashboard", height=1400)


def test_the_simulator(browser: WebDriver, console: Console) -> None:
    login(browser, console, "agent", path="/console/simulator")
    say(browser, "hi")
    for step in ("Order cakes & treats", "Cakes", "Chocolate fudge cake"):
        tap(browser, step)
    say(browser, "2")
    assert "2 × Chocolate fudge cake" in browser.page_source
    snap(browser, "console-simulator")
