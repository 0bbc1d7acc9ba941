"""The HTTP tests of tests/test_web.py, unchanged, with the pages over a real `oxigraph serve` (RemoteStore).

Only the ``client`` fixture differs; the tests that need no client (helpers, a store of their own) are not repeated.
"""

from __future__ import annotations

import pytest
from conftest import OxigraphServer, copy_store
from fastapi.testclient import TestClient
from test_web import (  # noqa: F401 - the same tests, on the server backend
    test_article_page_highlights_facts_in_place,
    test_beneficiary_and_advocate_pages,
    test_company_ids_are_case_insensitive_and_checked,
    test_company_page_shows_policy_exceptions_and_highlighted_quotes,
    test_every_link_of_the_pages_leads_somewhere,
    test_every_page_renders_accessible_html,
    test_graph_page_has_an_svg_and_a_text_version,
    test_home_lists_and_searches_accent_free,
    test_hostile_article_is_escaped,
    test_hostile_search_is_escaped,
    test_json_routes_are_untouched,
    test_legislature_page_lists_who_calls_on_it_and_what_waits_for_it,
    test_sparql_page_construct_ask_and_errors,
    test_sparql_page_runs_queries_and_links_downloads,
    test_static_assets,
    test_timeline_orders_announcements,
)
from test_web_support import build_web_store


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from api.app import create_app
    from api.settings import Settings
    from vigie.remote_store import RemoteStore

    server = OxigraphServer(tmp_path_factory.mktemp("web-server") / "db", args=("--timeout-s", "10")).start()
    store = RemoteStore(server.url)
    try:
        copy_store(build_web_store(), store)
        with TestClient(create_app(store, Settings())) as test_client:
            yield test_client
    finally:
        store.close()
        server.stop()


def test_this_suite_runs_on_the_remote_store(client):
    from vigie.remote_store import RemoteStore

    assert isinstance(client.app.state.vigie.store, RemoteStore)
