"""The SPARQL editor a browser gets at /sparql (issue 15): YASGUI from the package, a query typed into it
shows its table, the named queries are its examples, and nothing is requested from another host."""

from __future__ import annotations

import pytest
from test_docs_offline import network_logging_driver, off_the_machine, requested_urls
from test_web_browser import serve

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

pytestmark = pytest.mark.slow

QUERY = "PREFIX vg: <https://w3id.org/vigie/ontology#>\nSELECT ?company WHERE { ?policy vg:issuedBy ?company }"


@pytest.fixture(scope="module")
def live_server(api_store):
    with serve(api_store) as url:
        yield url


@pytest.fixture()
def browser():
    driver = network_logging_driver()
    yield driver
    driver.quit()


def _editor(browser, live_server):
    browser.get(f"{live_server}/sparql")
    WebDriverWait(browser, 20).until(lambda d: d.execute_script("return !!window.vigieYasgui"))


def _run(browser, query: str) -> str:
    browser.execute_script("window.vigieYasgui.getTab().setQuery(arguments[0]);"
                           "window.vigieYasgui.getTab().getYasqe().query();", query)
    WebDriverWait(browser, 20).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".yasr table.dataTable tbody tr td"))
    return browser.find_element(By.CSS_SELECTOR, ".yasr").text


def test_a_query_typed_into_the_editor_shows_its_table(live_server, browser):
    _editor(browser, live_server)
    table = _run(browser, QUERY)
    assert "company/amazon" in table or "amazon" in table


def test_the_editor_requests_nothing_from_another_host(live_server, browser):
    _editor(browser, live_server)
    _run(browser, QUERY)
    assert off_the_machine(requested_urls(browser), live_server) == []


def test_a_named_query_is_an_example_the_editor_loads(live_server, browser):
    _editor(browser, live_server)
    browser.find_element(By.CSS_SELECTOR, '#examples button').click()
    loaded = browser.execute_script("return window.vigieYasgui.getTab().getQuery()")
    assert "SELECT" in loaded or "CONSTRUCT" in loaded


def test_without_javascript_the_page_still_lists_the_examples_and_links_the_form_editor(live_server):
    import httpx

    page = httpx.get(f"{live_server}/sparql", headers={"Accept": "text/html"}).text
    assert '<a href="/ui/sparql">' in page and "policy_facts" in page
