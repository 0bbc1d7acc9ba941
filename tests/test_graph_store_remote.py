"""The suite of tests/test_graph_store.py (Graph Store Protocol, Update), with the API over `oxigraph serve`.

Only the `store` fixture differs: a RemoteStore on a server reset to the API corpus before each test.
"""

from __future__ import annotations

import pytest
from conftest import api_corpus_store, copy_store
from test_graph_store import *  # noqa: F403 - the same tests, on the server backend


@pytest.fixture(scope="module")
def remote_store(api_oxigraph_server):
    from vigie.remote_store import RemoteStore

    store = RemoteStore(api_oxigraph_server.url)
    yield store
    store.close()


@pytest.fixture
def store(remote_store):
    remote_store.update("DROP SILENT ALL")
    copy_store(api_corpus_store(), remote_store)
    return remote_store


def test_this_suite_runs_on_the_remote_store(client):
    from vigie.remote_store import RemoteStore

    assert isinstance(client.app.state.vigie.store, RemoteStore)
