"""The analytics dashboard in Chromium: its charts are drawn (a screenshot that is not blank).

The screenshot of the revenue chart's canvas is decoded with Pillow and its distinct colours
counted: a blank canvas has one.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from tests.analytics.seed import seed
from tests.browser.conftest import Console, login, wait_for

pytestmark = pytest.mark.browser


def png_colours(png: bytes) -> set[tuple[int, ...]]:
    """The distinct pixel values of a PNG."""
    with Image.open(io.BytesIO(png)) as image:
        return {colour for _, colour in image.convert("RGBA").getcolors(maxcolors=1 << 24) or []}


def test_the_dashboard_draws_its_charts(console: Console, browser: WebDriver) -> None:
    seed(console.engine)
    login(browser, console)
    browser.get_log("browser")  # drop what the login page logged
    browser.get(console.page("/console/analytics?start=2025-03-03&end=2025-03-09"))
    wait_for(browser, lambda b: b.find_element(By.ID, "analytics").get_attribute("data-charts"))
    assert browser.find_element(By.ID, "analytics").get_attribute("data-charts") == "drawn"
    canvas = browser.find_element(By.CSS_SELECTOR, 'canvas[data-chart="revenue"]')
    assert canvas.get_attribute("data-drawn") == "true"
    assert canvas.size["width"] > 100
    assert canvas.size["height"] > 100
    colours = png_colours(canvas.screenshot_as_png)
    assert len(colours) > 10, f"the chart looks blank: {sorted(colours)[:5]}"
    table = browser.find_element(By.CSS_SELECTOR, "#report-revenue table").text
    assert "€25.00" in table
    refused = [
        entry["message"]
        for entry in browser.get_log("browser")
        if entry["level"] == "SEVERE"
        and ("Content Security Policy" in entry["message"] or "analytics" in entry["message"])
    ]
    assert refused == []  # nothing refused by the Content-Security-Policy, no failed request
