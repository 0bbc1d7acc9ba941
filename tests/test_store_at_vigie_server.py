"""`--store http://HOST:PORT` at a running `vigie serve` (issue 15): the CLI writes and reads through it with
the default endpoints (Vigie answers Oxigraph server's /query, /update and /store) and the write token."""

from __future__ import annotations

import pytest
from reliability_helpers import SEEDS, clean_env, run_vigie, serve

TOKEN = "w-s3cret"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from vigie.store import Store

    store = tmp_path_factory.mktemp("vigie-server") / "store"
    Store(store).load_schema()  # an empty store, as `vigie serve` serves an existing one
    with serve(store, env=clean_env(VIGIE_WRITE_TOKEN=TOKEN)) as running:
        yield running


@pytest.fixture(scope="module")
def ingested(server):
    result = run_vigie("ingest", SEEDS, "--store", server.url, "-q", env=clean_env(VIGIE_WRITE_TOKEN=TOKEN))
    assert result.returncode == 0, result.stderr
    return result


def test_ingest_through_a_running_vigie_serve_with_its_write_token(ingested):
    assert "5 articles ingested, 0 unchanged, 0 failed" in ingested.stdout


def test_ingest_through_a_running_vigie_serve_without_the_token_is_refused_in_one_line(server, ingested):
    result = run_vigie("ingest", SEEDS, "--store", server.url, "-q")
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "refused" in lines[0] and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [["stats"], ["export", "-f", "nquads"],
                                     ["query", "SELECT ?p WHERE { ?p a vg:Policy } ORDER BY ?p"],
                                     ["eval", str(SEEDS / "gold.json")]])
def test_cli_commands_print_the_same_through_vigie_serve_as_on_the_folder(command, server, ingested,
                                                                         seeds_store_path):
    remote = run_vigie(*command, "--store", server.url)
    embedded = run_vigie(*command, "--store", seeds_store_path)
    assert remote.returncode == embedded.returncode == 0, remote.stderr + embedded.stderr
    assert sorted(remote.stdout.splitlines()) == sorted(embedded.stdout.splitlines())


def test_the_server_answers_at_oxigraph_servers_query_path(server, ingested):
    with server.client() as client:
        response = client.post("/query", data={"query": "SELECT ?p WHERE { ?p a vg:Policy }"},
                               headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200 and len(response.json()["results"]["bindings"]) == 4
