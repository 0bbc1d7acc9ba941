"""The API suite of tests/test_export_api.py, unchanged, over a real `oxigraph serve`.

The test functions are those of test_export_api; only the fixtures differ: `api_store` is a RemoteStore and
`api_client` an app over it, so the API runs on the server backend exactly as on the embedded one.
"""

from __future__ import annotations

import pytest
from test_export_api import *  # noqa: F403 - the same tests, on the server backend


@pytest.fixture(scope="module")
def api_store(api_server_store):
    return api_server_store


@pytest.fixture(scope="module")
def api_client(api_server_client):
    return api_server_client


def test_this_suite_runs_on_the_remote_store(api_client):
    from vigie.remote_store import RemoteStore

    assert isinstance(api_client.app.state.vigie.store, RemoteStore)
