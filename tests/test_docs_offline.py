"""The API docs work offline (issue 15): /docs (Swagger UI) and /redoc in headless Chromium list the
operations, and the browser requests nothing from another host."""

from __future__ import annotations

import json

import pytest

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402
from test_web_browser import FLAGS, _browser_paths, serve  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def live_server(api_store):
    with serve(api_store) as url:
        yield url


def network_logging_driver():
    """Headless Chromium that logs every request it sends (and the console)."""
    chromium, driver_path = _browser_paths()
    options = Options()
    options.binary_location = chromium
    for flag in FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture()
def browser():
    driver = network_logging_driver()
    yield driver
    driver.quit()


def requested_urls(driver) -> list[str]:
    """Every URL the page asked for (Chromium's network log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def off_the_machine(urls: list[str], base: str) -> list[str]:
    return [url for url in urls if not url.startswith((base, "data:", "blob:", "about:"))]


def test_swagger_ui_lists_the_operations_with_no_request_leaving_the_machine(live_server, browser):
    browser.get(f"{live_server}/docs")
    WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.CSS_SELECTOR, ".opblock")))
    operations = browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")
    assert any(op.text.strip().startswith("/company/{id}/policies") for op in operations)
    urls = requested_urls(browser)
    assert any(url.endswith("/openapi.json") for url in urls)
    assert off_the_machine(urls, live_server) == []


def test_redoc_lists_the_operations_with_no_request_leaving_the_machine(live_server, browser):
    browser.get(f"{live_server}/redoc")
    WebDriverWait(browser, 20).until(
        lambda driver: "/company/{id}/policies" in driver.find_element(By.TAG_NAME, "body").text
    )
    assert off_the_machine(requested_urls(browser), live_server) == []
