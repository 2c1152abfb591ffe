"""Browser tests: the console in a real Chromium (Debian's package) driven by Selenium.

``console`` serves the example shop on a real threaded WSGI server over loopback, with a SQLite
database, the background runtime and the mock Cloud API on a second loopback server; ``browser``
is one headless Chromium for the session (cookies cleared per test); ``Console.deliver`` posts a
signed webhook body as Meta does. Without Chromium the tests
are skipped, except under CI (``CI`` set), where that is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from selenium import webdriver
from selenium.common.exceptions import (
    NoSuchElementException,
    StaleElementReferenceException,
    WebDriverException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait
from sqlalchemy.engine import Engine
from werkzeug.serving import BaseWSGIServer, make_server

from bot.config import Config
from bot.runtime import Runtime
from flows.features.console import add_staff
from storage.db import transaction
from webhooks.bootstrap import load_business_config, make_app, make_runtime
from webhooks.mockgraph import MockGraphStore, create_mock_graph_app, mock_store
from webhooks.signature import SIGNATURE_HEADER, sign

CHROMIUM = os.environ.get("WAFLOW_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("WAFLOW_CHROMEDRIVER", "/usr/bin/chromedriver")
SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop_bot"
TOKEN = "browser-test-token"
APP_SECRET = "browser-test-app-secret"  # signs the test's webhook bodies
OWNER = ("owner@bakery.test", "owner password 1")
AGENT = ("agent@bakery.test", "agent password 1")


class LiveServer:
    """A WSGI app on a real threaded server on 127.0.0.1 (a free port), until :meth:`close`."""

    def __init__(self, app: Flask) -> None:
        self.server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.thread.join(5)


@dataclass
class Console:
    """The live example shop: its console at :attr:`url`, what it sent in :attr:`graph`."""

    url: str
    engine: Engine
    runtime: Runtime
    graph: MockGraphStore
    simulator_url: str
    owner: tuple[str, str] = OWNER
    agent: tuple[str, str] = AGENT

    def page(self, path: str) -> str:
        """The absolute URL of ``path`` (``/console/...``)."""
        return self.url + path

    def deliver(self, body: dict[str, Any]) -> None:
        """POST a webhook body to the live app, signed as Meta signs it; it must answer 200."""
        raw = json.dumps(body).encode()
        answer = requests.post(
            self.url + "/webhook",
            data=raw,
            headers={"Content-Type": "application/json", SIGNATURE_HEADER: sign(raw, APP_SECRET)},
            timeout=10,
        )
        assert answer.status_code == 200, answer.text


@pytest.fixture
def console(tmp_path: Path) -> Iterator[Console]:
    """The example shop served for real, with an owner and an agent account."""
    graph_app = create_mock_graph_app(access_token=TOKEN)
    graph = LiveServer(graph_app)
    environ = {
        "WAFLOW_BUSINESS": str(SHOP / "business.yaml"),
        "WAFLOW_FLOWS": str(SHOP / "flows"),
        "WAFLOW_HOOKS": str(SHOP / "hooks.py"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shop.db'}",
        "WAFLOW_SIMULATOR_DATABASE_URL": f"sqlite:///{tmp_path / 'simulator.db'}",
        "WHATSAPP_ACCESS_TOKEN": TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": "106540352242922",
        "WHATSAPP_APP_SECRET": APP_SECRET,
        "WHATSAPP_VERIFY_TOKEN": "browser-test-verify",
        "WHATSAPP_API_BASE_URL": graph.url,
    }
    config = Config.from_env(environ, dotenv=None)
    business = load_business_config(config)
    assert business is not None
    # The analytics seeds and screenshots have fixed dates: no retention purge under them.
    business = replace(business, privacy={})
    runtime = make_runtime(config, business=business)
    with transaction(runtime.engine) as session:
        add_staff(session, *OWNER[:1], "owner", OWNER[1])
        add_staff(session, *AGENT[:1], "agent", AGENT[1])
    runtime.start()
    server = LiveServer(make_app(runtime, config, business))
    try:
        yield Console(
            server.url,
            runtime.engine,
            runtime,
            mock_store(graph_app),
            environ["WAFLOW_SIMULATOR_DATABASE_URL"],
        )
    finally:
        server.close()
        runtime.stop()
        graph.close()
        runtime.engine.dispose()


def _chromium_missing() -> str | None:
    for path in (CHROMIUM, CHROMEDRIVER):
        if shutil.which(path) is None:
            return f"{path} is not installed (apt-get install chromium chromium-driver)"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[WebDriver]:
    """One headless Chromium for the session."""
    if (missing := _chromium_missing()) is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests: {missing}")
        pytest.skip(missing)
    profile = tempfile.mkdtemp(prefix="waflow-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(autouse=True)
def _fresh_cookies(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "browser" in request.fixturenames:
        request.getfixturevalue("browser").delete_all_cookies()


def wait_for(browser: WebDriver, condition: Callable[[WebDriver], Any], timeout: float = 10) -> Any:
    """Wait until ``condition(browser)`` is truthy and return it.

    An element the page replaced while ``condition`` read it (the inbox redraws itself every few
    seconds, a page may still be replacing the previous one) is read again on the next try
    rather than failing the wait: Chromium reports that as a stale element, or as a node that
    "does not belong to the document".
    """

    def tolerant(driver: WebDriver) -> Any:
        try:
            return condition(driver)
        except WebDriverException as exc:
            if "does not belong to the document" in str(exc):
                return False
            raise

    ignored = (StaleElementReferenceException, NoSuchElementException)
    return WebDriverWait(browser, timeout, ignored_exceptions=ignored).until(tolerant)


def click_and_load(browser: WebDriver, element: WebElement, timeout: float = 10) -> None:
    """Click ``element`` (a submit button, a link) and wait until the next page replaced this one."""
    page = browser.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(browser, timeout).until(expected_conditions.staleness_of(page))


def login(
    browser: WebDriver, console: Console, role: str = "owner", path: str = "/console/"
) -> None:
    """Log in through the form as the owner or the agent, from ``path``."""
    email, password = console.owner if role == "owner" else console.agent
    browser.get(console.page(path))
    wait_for(browser, expected_conditions.presence_of_element_located((By.NAME, "email")))
    browser.find_element(By.NAME, "email").send_keys(email)
    browser.find_element(By.NAME, "password").send_keys(password)
    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, "#login-form button"))
    assert "/console/login" not in browser.current_url, "login failed"
