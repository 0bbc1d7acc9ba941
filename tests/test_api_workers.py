"""/sparql over an on-disk store: queries run in worker processes, and a runaway one is killed at the limit."""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings

COUNT_POLICIES = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a vg:Policy }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # ~10^12 rows


def _corpus():
    path = Path(__file__).parent / "fixtures" / "api_corpus.py"
    spec = importlib.util.spec_from_file_location("vigie_api_corpus_workers", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def disk_store(tmp_path):
    return _corpus().build_store(tmp_path / "store")


@pytest.fixture
def app(disk_store):
    app = create_app(disk_store, Settings(query_timeout=1.0, max_running_queries=1))
    yield app
    app.state.vigie.engine.close()


def count(response) -> int:
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_on_disk_store_gets_worker_processes(app):
    assert app.state.vigie.engine.workers is not None


def test_in_memory_store_runs_queries_in_threads(api_store):
    assert create_app(api_store, Settings()).state.vigie.engine.workers is None


def test_query_is_answered_by_a_worker(app):
    assert count(TestClient(app).get("/sparql", params={"query": COUNT_POLICIES})) == 3


def test_malformed_query_in_a_worker_is_400_with_the_parser_message(app):
    response = TestClient(app).get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400 and response.json()["detail"].startswith("malformed query")


def test_select_in_csv_from_a_worker(app):
    response = TestClient(app).get("/sparql", params={"query": COUNT_POLICIES}, headers={"Accept": "text/csv"})
    assert response.text.splitlines() == ["n", "3"]


def test_runaway_query_is_stopped_at_the_limit_and_the_next_query_is_served(app):
    client = TestClient(app)
    client.get("/sparql", params={"query": "ASK {}"})  # a started worker: its start-up is not query time
    started = time.monotonic()
    response = client.get("/sparql", params={"query": RUNAWAY})
    assert response.status_code == 503 and "time limit" in response.json()["detail"]
    assert time.monotonic() - started < 5
    # One slot only (max_running_queries=1), and yet the next query is served: the runaway worker was killed.
    assert count(client.get("/sparql", params={"query": COUNT_POLICIES})) == 3


def test_runaway_worker_process_is_killed(app):
    client = TestClient(app)
    client.get("/sparql", params={"query": "ASK {}"})
    (worker,) = app.state.vigie.engine.workers._idle  # the one the runaway query will get
    client.get("/sparql", params={"query": RUNAWAY})
    assert worker.process.poll() is not None


def test_a_write_by_the_server_is_seen_by_the_workers(disk_store, app):
    client = TestClient(app)
    query = 'ASK { company:ibm skos:altLabel "IBM Corp" }'
    assert client.get("/sparql", params={"query": query}).json()["boolean"] is False
    disk_store.update('INSERT DATA { GRAPH <urn:test> { company:ibm skos:altLabel "IBM Corp" } }')
    assert client.get("/sparql", params={"query": query}).json()["boolean"] is True


def test_workers_are_stopped_when_the_app_shuts_down(disk_store):
    app = create_app(disk_store, Settings())
    with TestClient(app) as client:
        client.get("/sparql", params={"query": "ASK {}"})
        workers = list(app.state.vigie.engine.workers._all)
    assert workers and not any(worker.alive for worker in workers)


def test_shutting_down_while_workers_start_leaves_no_error_and_no_process(disk_store):
    import threading

    from api.sparql_worker import WorkerPool

    pool = WorkerPool(str(disk_store.path))
    errors: list[BaseException] = []

    def start() -> None:
        try:
            pool.prestart(2)
        except BaseException as exc:  # what the thread would have died of
            errors.append(exc)

    thread = threading.Thread(target=start)
    thread.start()
    time.sleep(0.05)  # the workers are spawned and importing, not ready yet
    started = list(pool._all)
    pool.close()
    thread.join(timeout=30)
    assert not thread.is_alive() and errors == []
    assert not any(worker.alive for worker in started) and not pool._all
