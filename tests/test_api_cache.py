"""The REST answer cache: answers stay right after every write made to the store."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.cache import AnswerCache
from api.settings import Settings
from ontology.iris import mint
from ontology.namespaces import SKOS


@pytest.fixture
def store():
    path = Path(__file__).parent / "fixtures" / "api_corpus.py"
    spec = importlib.util.spec_from_file_location("vigie_api_corpus_cache", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_store()


def aliases(client: TestClient, company: str) -> list[str]:
    return client.get(f"/company/{company}").json()["company"]["aliases"]


def test_update_on_the_store_object_shows_at_once(store):
    client = TestClient(create_app(store, Settings()))
    assert "IBM Corp" not in aliases(client, "ibm")
    store.update('INSERT DATA { GRAPH <urn:test> { company:ibm skos:altLabel "IBM Corp" } }')
    assert "IBM Corp" in aliases(client, "ibm")


def test_replaced_graph_shows_at_once(store):
    client = TestClient(create_app(store, Settings()))
    assert client.get("/documents").json()["total"] == 3
    store.remove_graph(mint("document", "doc_c"))
    assert client.get("/documents").json()["total"] == 2
    assert client.get("/company/ibm").status_code == 404  # only doc_c mentioned IBM


def test_update_through_the_sparql_endpoint_shows_at_once(store):
    client = TestClient(create_app(store, Settings(update_token="t")))
    aliases(client, "ibm")
    update = 'INSERT DATA { GRAPH <urn:test> { company:ibm skos:altLabel "Big Blue Corp" } }'
    assert client.post("/sparql", data={"update": update}, headers={"Authorization": "Bearer t"}).status_code == 204
    assert "Big Blue Corp" in aliases(client, "ibm")


def test_cache_can_be_turned_off(store):
    app = create_app(store, Settings(rest_cache=False))
    assert app.state.vigie.graph.cache.enabled is False
    TestClient(app).get("/companies")
    # A write below the store's interface, which the cache cannot see (into the consolidated graph, which
    # the answers read): with the cache off it still shows.
    store.oxigraph.add(ox.Quad(mint("company", "ibm"), SKOS.altLabel, ox.Literal("Q"), ox.DefaultGraph()))
    assert "Q" in aliases(TestClient(app), "ibm")


def test_cache_keeps_answers_apart_by_arguments():
    cache = AnswerCache()
    assert cache.get_or_compute(("a", 1), lambda: "one") == "one"
    assert cache.get_or_compute(("a", 2), lambda: "two") == "two"
    assert cache.get_or_compute(("a", 1), lambda: "other") == "one"


def test_cache_forgets_after_invalidate():
    cache = AnswerCache()
    cache.get_or_compute(("k",), lambda: 1)
    cache.invalidate()
    assert cache.get_or_compute(("k",), lambda: 2) == 2


def test_cache_forgets_answers_older_than_max_age():
    cache = AnswerCache(max_age=0.0)
    cache.get_or_compute(("k",), lambda: 1)
    assert cache.get_or_compute(("k",), lambda: 2) == 2


def test_cache_is_bounded():
    cache = AnswerCache(max_entries=2)
    for i in range(5):
        cache.get_or_compute((i,), lambda i=i: i)
    assert cache.get_or_compute((0,), lambda: "recomputed") == "recomputed"
