"""The web pages in a real browser: headless Chromium (Debian ``chromium`` + ``chromium-driver``) via Selenium.

A live uvicorn serves the pages on a free local port. Screenshots go to ``tests/artifacts/`` (not
committed); with ``VIGIE_UPDATE_SCREENSHOT=1`` the Amazon page is also saved as ``docs/amazon.png``, the
README's screenshot.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402
from test_web_support import build_web_store  # noqa: E402

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("VIGIE_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("VIGIE_CHROMEDRIVER", "/usr/bin/chromedriver")
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=fr-FR",
)
POLICY = "policy-amazon-moratorium-facial-recognition"


def _browser_paths() -> tuple[str, str]:
    chromium = shutil.which(CHROMIUM) or shutil.which("chromium")
    driver = shutil.which(CHROMEDRIVER) or shutil.which("chromedriver")
    if not (chromium and driver):
        message = "headless Chromium missing: apt-get install chromium chromium-driver (make browser)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return chromium, driver


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _app(store):
    from api.app import create_app
    from api.settings import Settings

    return create_app(store, Settings())


@contextlib.contextmanager
def serve(store):
    """A live uvicorn serving the whole Vigie app over ``store`` on a free local port; yields its base URL."""
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(_app(store), host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def live_server():
    """The hand-made store of ``test_web_support`` (what a careful reader finds in two seed articles)."""
    with serve(build_web_store()) as url:
        yield url


def _driver(javascript: bool = True):
    chromium, driver_path = _browser_paths()
    options = Options()
    options.binary_location = chromium
    for flag in FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    return webdriver.Chrome(service=Service(executable_path=driver_path), options=options)


@pytest.fixture(scope="module")
def browser():
    driver = _driver()
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def _screenshot(driver, name: str, full_page: bool = True) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    if full_page:
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1280, min(max(int(height) + 120, 900), 6000))
    driver.save_screenshot(str(path))
    driver.set_window_size(1280, 900)
    return path


def _console_errors(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def test_amazon_page_shows_the_moratorium_its_exceptions_and_a_quote(live_server, browser):
    browser.get_log("browser")
    browser.get(f"{live_server}/ui/company/amazon")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Amazon"

    policy = browser.find_element(By.ID, POLICY)
    assert policy.is_displayed()
    text = policy.text
    assert "Moratoire" in text
    assert "forces de l'ordre" in text
    assert "1 an" in text
    assert "10 juin 2020" in text

    exceptions = policy.find_elements(By.CSS_SELECTOR, "li.exception")
    names = [e.find_element(By.TAG_NAME, "strong").text for e in exceptions]
    assert sorted(names) == ["enfants disparus", "traite des êtres humains"]
    assert all(e.is_displayed() for e in exceptions)
    assert "Thorn" in exceptions[0].text

    marks = [m for m in policy.find_elements(By.CSS_SELECTOR, "blockquote.quote mark") if m.is_displayed()]
    quotes = " ".join(m.text for m in marks)
    assert "Nous mettons en place un moratoire" in quotes
    # The highlighted quote really is highlighted: a background colour, not the page's.
    colour = marks[0].value_of_css_property("background-color")
    assert colour not in ("rgba(0, 0, 0, 0)", "rgba(255, 255, 255, 1)")

    assert browser.find_element(By.CSS_SELECTOR, "figure.graph svg").is_displayed()
    assert _console_errors(browser) == []
    _screenshot(browser, "amazon-hand-made")


def test_sparql_editor_runs_a_query_and_shows_the_table(live_server, browser):
    browser.get_log("browser")
    browser.get(f"{live_server}/ui/sparql")
    editor = browser.find_element(By.ID, "query")
    assert browser.find_element(By.CSS_SELECTOR, "label[for=query]").is_displayed()
    editor.clear()
    editor.send_keys(
        "PREFIX vg: <https://w3id.org/vigie/ontology#>\n"
        "SELECT DISTINCT ?exception ?purpose WHERE {\n"
        "  ?policy vg:issuedBy company:amazon ; vg:hasException ?exception .\n"
        "  ?exception vg:purpose ?purpose }\n"
        "ORDER BY ?purpose"
    )
    editor.send_keys(Keys.CONTROL, Keys.ENTER)  # the page's script: Ctrl+Enter runs the query
    table = WebDriverWait(browser, 20).until(ec.visibility_of_element_located((By.ID, "results-table")))
    headers = [th.text for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    assert headers == ["exception", "purpose"]
    rows = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")]
            for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
    assert [row[1] for row in rows] == ["vg:HumanTrafficking", "vg:MissingChildren"]
    assert browser.find_element(By.ID, "result-count").text.startswith("2 lignes")
    links = {a.text: a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, ".downloads a")}
    assert "CSV" in links and "format=csv" in links["CSV"]
    assert _console_errors(browser) == []
    _screenshot(browser, "sparql")


def test_sparql_example_and_error(live_server, browser):
    browser.get(f"{live_server}/ui/sparql")
    browser.find_element(By.CSS_SELECTOR, "a.example[data-name='web_timeline']").click()
    editor = WebDriverWait(browser, 10).until(ec.presence_of_element_located((By.ID, "query")))
    assert "web_timeline" in editor.get_attribute("value")
    browser.find_element(By.ID, "run").click()
    table = WebDriverWait(browser, 20).until(ec.visibility_of_element_located((By.ID, "results-table")))
    assert "company:amazon" in table.text

    browser.get(f"{live_server}/ui/sparql")
    editor = browser.find_element(By.ID, "query")
    editor.clear()
    editor.send_keys("SELECT WHERE nonsense")
    browser.find_element(By.ID, "run").click()
    alert = WebDriverWait(browser, 20).until(ec.visibility_of_element_located((By.CSS_SELECTOR, "[role=alert]")))
    assert "invalide" in alert.text


def test_search_by_keyboard_and_accent_free(live_server, browser):
    browser.get(f"{live_server}/")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    skip = browser.switch_to.active_element
    assert skip.text == "Aller au contenu"
    box = browser.find_element(By.ID, "q")
    box.send_keys("congres", Keys.ENTER)  # no accent, lower case: finds "Congrès" (an alias of US Congress)
    results = WebDriverWait(browser, 10).until(ec.visibility_of_element_located((By.ID, "resultats")))
    section = results.find_element(By.XPATH, "..")
    link = section.find_element(By.LINK_TEXT, "US Congress")
    link.click()
    WebDriverWait(browser, 10).until(ec.url_contains("/ui/legislature/us-congress"))
    assert "ACLU" in browser.find_element(By.ID, "interpelle-par").find_element(By.XPATH, "..").text
    _screenshot(browser, "legislature")


def test_article_highlights_facts_in_place(live_server, browser):
    browser.get(f"{live_server}/ui/document/001_311bd3e3553eda90")
    marks = browser.find_elements(By.CSS_SELECTOR, ".text mark.fact-policy")
    assert any("Nous mettons en place un moratoire" in m.text for m in marks)
    assert browser.find_elements(By.CSS_SELECTOR, ".text mark.fact-exception")
    items = browser.find_elements(By.CSS_SELECTOR, ".fact-list li")
    assert any("Amazon — moratoire" in li.text for li in items)
    _screenshot(browser, "article")


def test_hostile_text_is_shown_not_run(live_server, browser):
    browser.get(f"{live_server}/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert "<script>alert(1)</script>" in browser.find_element(By.ID, "resultats").text
    browser.get(f"{live_server}/ui/document/hostile-doc")
    assert "<script>" in browser.find_element(By.TAG_NAME, "h1").text
    assert "<img src=x onerror=alert(1)>" in browser.find_element(By.CSS_SELECTOR, ".text").text
    browser.find_element(By.TAG_NAME, "body")  # no alert() blocked the page


def test_read_pages_work_without_javascript(live_server):
    driver = _driver(javascript=False)
    try:
        driver.get(f"{live_server}/ui/company/amazon")
        assert "traite des êtres humains" in driver.find_element(By.ID, POLICY).text
        driver.get(f"{live_server}/ui/sparql?example=web_entities")
        driver.find_element(By.ID, "run").click()  # a plain form submission
        table = WebDriverWait(driver, 20).until(ec.visibility_of_element_located((By.ID, "results-table")))
        assert "company:amazon" in table.text
        driver.get(f"{live_server}/ui/timeline")
        assert "Amazon" in driver.find_element(By.CSS_SELECTOR, "ol.timeline").text
        _screenshot(driver, "timeline")
        driver.get(f"{live_server}/ui/graph")
        assert driver.find_element(By.CSS_SELECTOR, "figure.graph svg").is_displayed()
        _screenshot(driver, "graph")
    finally:
        driver.quit()


def test_amazon_page_on_the_seeds_as_extracted(seeds_store, browser):
    """End to end: the five seed articles through the real extractors, then the Amazon page in Chromium."""
    with serve(seeds_store) as url:
        browser.get_log("browser")  # drop what earlier tests logged
        browser.get(f"{url}/ui/company/amazon")
        policy = browser.find_element(By.ID, POLICY)
        assert "Moratoire" in policy.find_element(By.TAG_NAME, "h3").text
        exceptions = policy.find_elements(By.CSS_SELECTOR, "li.exception")
        names = {e.find_element(By.TAG_NAME, "strong").text for e in exceptions}
        assert {"traite des êtres humains", "enfants disparus"} <= names
        quotes = " ".join(m.text for m in policy.find_elements(By.CSS_SELECTOR, "blockquote.quote mark"))
        assert "moratoire d'un an" in quotes
        assert _console_errors(browser) == []
        _screenshot(browser, "amazon")
        if os.environ.get("VIGIE_UPDATE_SCREENSHOT"):  # the README's picture: the top of the page
            browser.set_window_size(1280, 1350)
            browser.execute_script("window.scrollTo(0, 0)")
            browser.save_screenshot(str(ROOT / "docs" / "amazon.png"))
            browser.set_window_size(1280, 900)


A11Y_PAGES = ["/", "/?q=amazon", "/ui/company/amazon", "/ui/advocate/aclu", "/ui/legislature/us-congress",
              "/ui/document/001_311bd3e3553eda90", "/ui/documents", "/ui/timeline", "/ui/graph",
              "/ui/sparql?query=SELECT+%3Fs+WHERE+%7B+%3Fs+a+vg%3APolicy+%7D"]


@pytest.mark.parametrize("path", A11Y_PAGES)
def test_pages_pass_axe_accessibility_checks(live_server, browser, path):
    """axe-core (the engine behind Lighthouse's accessibility audit), WCAG 2 A and AA rules, in Chromium."""
    axe_module = pytest.importorskip("axe_selenium_python")
    browser.get(f"{live_server}{path}")
    axe = axe_module.Axe(browser)
    axe.inject()
    results = axe.run(options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}})
    problems = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
                for v in results["violations"]]
    assert not problems, "\n".join(problems)
    assert len(results["passes"]) > 10  # the engine did run
