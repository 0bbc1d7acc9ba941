"""The suite of tests/test_graph_store.py (Graph Store Protocol, Update), with the API over `oxigraph serve`.

Only the `store` fixture differs: a RemoteStore on a server of its own, holding the API corpus, for each test.
"""

from __future__ import annotations

import pytest
from test_graph_store import *  # noqa: F403 - the same tests, on the server backend


@pytest.fixture
def store(api_corpus_on_fresh_server):
    return api_corpus_on_fresh_server


def test_this_suite_runs_on_the_remote_store(client):
    from vigie.remote_store import RemoteStore

    assert isinstance(client.app.state.vigie.store, RemoteStore)
