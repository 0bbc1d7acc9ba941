"""Hostile SPARQL against a live `vigie serve`: a cartesian product, a huge LIMIT, a deep property path and
SERVICE clauses to another host. Each is answered within the time limit with a clear error, no other host
is called, the server stays up and serves the next request.

The server runs with a 2 s time limit, a 1,000-row cap and 4 query slots. pyoxigraph cannot cancel a
query that computes in one step (an aggregate, ORDER BY): its thread runs on after the 503 and holds a
slot, so this module has its own server, stopped when the module ends.
"""

from __future__ import annotations

import shutil
import time

import httpx
import pytest
from reliability_helpers import clean_env, serve
from test_security_guard import FEDERATED, Listener

pytestmark = pytest.mark.slow

TIME_LIMIT = 2.0
MAX_ROWS = 1000
SLACK = 6.0  # seconds allowed beyond the limit for a loaded, shared machine

CARTESIAN_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CARTESIAN_ROWS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
HUGE_LIMIT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 1000000000000"
DEEP_PATH = "SELECT (COUNT(*) AS ?n) WHERE { ?s ((<urn:x>|!<urn:x>)*/(<urn:x>|!<urn:x>)*)* ?o }"
SORTED_PRODUCT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY DESC(STR(?c)) ?f LIMIT 1"


@pytest.fixture(scope="module")
def server(tmp_path_factory, seeds_store_path):
    store = tmp_path_factory.mktemp("hostile") / "store"
    shutil.copytree(seeds_store_path, store, ignore=shutil.ignore_patterns("LOCK"))
    # No wait for a slot (VIGIE_QUERY_QUEUE_SECONDS=0): with a wait as long as the time limit, whether a
    # query beyond the slots is refused or gets a slot freed by a stopped one is a race.
    env = clean_env(VIGIE_QUERY_TIMEOUT=str(TIME_LIMIT), VIGIE_MAX_ROWS=str(MAX_ROWS),
                    VIGIE_MAX_RUNNING_QUERIES="4", VIGIE_QUERY_QUEUE_SECONDS="0")
    with serve(store, env=env) as running:
        yield running


def ask(server, query: str, timeout: float = 60) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    with httpx.Client(base_url=server.url, timeout=timeout) as client:
        response = client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    return response, time.monotonic() - started


def serves_the_next_request(server) -> None:
    assert server.alive(), server.output()[-2000:]
    with httpx.Client(base_url=server.url, timeout=10) as client:
        assert client.get("/companies").status_code == 200
        response = client.post("/sparql", data={"query": "ASK { ?s a vg:Company }"},
                               headers={"Accept": "application/sparql-results+json"})
        assert response.status_code == 200, response.text
        assert response.json()["boolean"] is True


def test_cartesian_product_count_is_stopped_at_the_time_limit(server):
    response, elapsed = ask(server, CARTESIAN_COUNT)
    assert response.status_code == 503, response.text
    assert "time limit" in response.json()["detail"]
    assert elapsed < TIME_LIMIT + SLACK
    serves_the_next_request(server)


def test_cartesian_product_rows_are_stopped_at_the_row_cap(server):
    response, elapsed = ask(server, CARTESIAN_ROWS)
    assert response.status_code == 413, response.text
    assert f"more than {MAX_ROWS} rows" in response.json()["detail"]
    assert elapsed < TIME_LIMIT + SLACK
    serves_the_next_request(server)


def test_huge_limit_is_stopped_at_the_row_cap(server):
    response, elapsed = ask(server, HUGE_LIMIT)
    assert response.status_code == 413, response.text
    assert "LIMIT" in response.json()["detail"]
    assert elapsed < TIME_LIMIT + SLACK
    serves_the_next_request(server)


def test_deep_property_path_is_stopped_at_the_time_limit(server):
    response, elapsed = ask(server, DEEP_PATH)
    assert response.status_code == 503, response.text
    assert "time limit" in response.json()["detail"]
    assert elapsed < TIME_LIMIT + SLACK
    serves_the_next_request(server)


def test_sort_of_a_product_is_stopped_at_the_time_limit(server):
    response, elapsed = ask(server, SORTED_PRODUCT)
    assert response.status_code in (200, 503), response.text
    assert elapsed < TIME_LIMIT + SLACK
    serves_the_next_request(server)


@pytest.mark.parametrize("name", FEDERATED)
def test_service_clause_is_refused_and_no_other_host_is_called(server, name):
    listener = Listener()
    try:
        response, elapsed = ask(server, FEDERATED[name].replace("PORT", str(listener.port)))
        time.sleep(0.2)
        assert listener.connections == 0, "the server called another host"
    finally:
        listener.close()
    assert response.status_code == 400, response.text
    assert "SERVICE" in response.json()["detail"]
    assert elapsed < TIME_LIMIT + SLACK
    serves_the_next_request(server)


def test_when_every_slot_is_held_queries_are_refused_at_once_and_rest_still_answers(server):
    """Hostile queries beyond the slots are refused immediately (503, Retry-After), never queued."""
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda _: ask(server, CARTESIAN_COUNT), range(6)))
    statuses = [response.status_code for response, _ in answers]
    assert set(statuses) == {503}, statuses
    assert max(elapsed for _, elapsed in answers) < TIME_LIMIT + SLACK
    assert any("too many queries" in response.json()["detail"] for response, _ in answers)
    with httpx.Client(base_url=server.url, timeout=10) as client:
        assert client.get("/companies").status_code == 200
        assert client.get("/policies").status_code == 200
