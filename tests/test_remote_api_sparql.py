"""The SPARQL protocol API suite (tests/test_api_sparql.py), unchanged, over a real `oxigraph serve`.

The test functions are those of test_api_sparql; only the fixtures differ: `api_store` and `fresh_store`
are RemoteStores, so the API runs on the server backend exactly as it runs on the embedded one.
"""

from __future__ import annotations

import pytest
from conftest import OxigraphServer, api_corpus_store, copy_store
from test_api_sparql import *  # noqa: F403 - the same tests, on the server backend

from vigie.remote_store import RemoteStore


@pytest.fixture(scope="module")
def api_store(api_server_store):
    return api_server_store


@pytest.fixture(scope="module")
def api_client(api_server_client):
    return api_server_client


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory):
    server = OxigraphServer(tmp_path_factory.mktemp("fresh-server") / "db", args=("--timeout-s", "10")).start()
    yield server
    server.stop()


@pytest.fixture
def fresh_store(fresh_server):
    """A writable copy of the API corpus on a server of its own, reset for each test."""
    store = RemoteStore(fresh_server.url)
    store.update("DROP SILENT ALL")
    copy_store(api_corpus_store(), store)
    yield store
    store.close()


def test_this_suite_runs_on_the_remote_store(api_client):
    from vigie.remote_store import RemoteStore

    assert isinstance(api_client.app.state.vigie.store, RemoteStore)
