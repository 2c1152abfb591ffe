"""The analytics dashboard in Chromium: its charts are drawn (a screenshot that is not blank).

The screenshot of the revenue chart's canvas is decoded here with :mod:`zlib` (an 8-bit RGB or
RGBA PNG, as Chromium writes them) and its distinct colours counted: a blank canvas has one.
"""

from __future__ import annotations

import struct
import zlib

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from tests.analytics.seed import seed
from tests.browser.conftest import Console, login, wait_for

pytestmark = pytest.mark.browser


def png_pixels(png: bytes) -> set[tuple[int, ...]]:
    """The distinct pixel values of an 8-bit, non-interlaced RGB or RGBA PNG."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks, header = 8, [], b""
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        data = png[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = data
        elif kind == b"IDAT":
            chunks.append(data)
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert (depth, interlace) == (8, 0), "an 8-bit, non-interlaced PNG"
    assert colour in (2, 6), "an RGB or RGBA PNG"
    size = 4 if colour == 6 else 3
    raw = zlib.decompress(b"".join(chunks))
    stride = width * size
    previous = bytearray(stride)
    pixels: set[tuple[int, ...]] = set()
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - size] if i >= size else 0
            up = previous[i]
            corner = previous[i - size] if i >= size else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - corner
                near = min(
                    (abs(guess - left), 0, left),
                    (abs(guess - up), 1, up),
                    (abs(guess - corner), 2, corner),
                )
                line[i] = (line[i] + near[2]) & 0xFF
        pixels.update(tuple(line[i : i + size]) for i in range(0, stride, size))
        previous = line
    return pixels


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
    colours = png_pixels(canvas.screenshot_as_png)
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
