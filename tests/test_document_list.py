"""The article list pages over positions (issue 14): each article has a dense position kept by every write,
so ``/documents`` and ``/ui/documents`` read one page of articles, newest first, whatever the store holds."""

from __future__ import annotations

import random
import re

import pyoxigraph as ox
import pytest
from consolidation_helpers import (
    article_graphs,
    assert_positions_dense,
    changed,
    copy_of,
    facts,
    random_writes,
    rebuilt_facts,
)

from ontology.namespaces import VG
from vigie import consolidation
from vigie.store import Store


@pytest.fixture(scope="module")
def seed_graphs(seeds_store_path):
    return article_graphs(ox.Store.read_only(str(seeds_store_path)))


def _client(store):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings

    return TestClient(create_app(store, Settings()))


def _newest_first(store) -> list[str]:
    """The articles' IRIs by position, highest (newest) first, read from the consolidated graph."""
    rows = store.select("SELECT ?d ?n WHERE { ?d vg:position ?n }")
    return [row["d"].value for row in sorted(rows, key=lambda r: -int(r["n"].value))]


def _slug(iri: str) -> str:
    return iri.rsplit("/", 1)[1]


def _written_and_thinned(tmp_path, seed_graphs) -> Store:
    """A store after ingests in several writes, a re-ingest and removals (the oldest took their places)."""
    store = Store(tmp_path / "store")
    for i in range(4):
        store.replace_graphs(dict(copy_of(g, quads, f"w{i}") for g, quads in seed_graphs.items()))
    graphs = sorted(article_graphs(store.oxigraph), key=lambda g: g.value)
    store.replace_graphs({graphs[3]: changed(article_graphs(store.oxigraph)[graphs[3]], random.Random(3))})
    for graph in (graphs[7], graphs[12], graphs[0]):
        assert store.remove_graph(graph)
    assert_positions_dense(store.oxigraph)
    return store


def test_a_page_at_offset_k_is_the_articles_at_positions_newest_minus_k_and_down(tmp_path, seed_graphs):
    store = _written_and_thinned(tmp_path, seed_graphs)
    expected = _newest_first(store)
    assert len(expected) == 17
    with _client(store) as client:
        for offset in (0, 1, 5, 15, 16, 17, 40):
            body = client.get(f"/documents?limit=3&offset={offset}").json()
            assert [d["iri"] for d in body["items"]] == expected[offset:offset + 3], offset
            assert body["total"] == 17
        everything = client.get("/documents?limit=1000").json()["items"]
    assert {d["iri"] for d in everything} == {g.value for g in store.document_graphs()}


def test_a_new_article_comes_first_and_a_removed_one_gives_its_place_to_the_oldest(tmp_path, seed_graphs):
    store = Store(tmp_path / "store")
    pool = [copy_of(g, quads, f"n{i}") for i in range(2) for g, quads in seed_graphs.items()]
    for graph, quads in pool:  # one write each: the order of addition
        store.replace_graphs({graph: quads})
    names = [g.value for g, _ in pool]
    assert _newest_first(store) == names[::-1]
    store.replace_graphs({pool[4][0]: pool[4][1]})  # re-ingested: keeps its place
    assert _newest_first(store) == names[::-1]
    store.remove_graph(pool[6][0])
    assert _newest_first(store) == [names[i] for i in (9, 8, 7, 0, 5, 4, 3, 2, 1)]
    assert consolidation.window(store.oxigraph) == (1, 9)


def test_the_last_article_removed_leaves_an_empty_consolidated_graph_and_positions_start_again(tmp_path, seed_graphs):
    store = Store(tmp_path / "store")
    (graph, quads), (other, other_quads), *_ = seed_graphs.items()
    store.replace_graphs({graph: quads})
    store.remove_graph(graph)
    assert facts(store.oxigraph) == set()
    store.replace_graphs({other: other_quads})
    assert consolidation.window(store.oxigraph) == (0, 1)


def test_every_backend_keeps_positions_dense_and_a_rebuild_keeps_them(store_backend, seed_graphs):
    store = store_backend.open()
    pool = dict(copy_of(g, quads, f"p{i}") for i in range(3) for g, quads in seed_graphs.items())
    random_writes(store, pool, random.Random(41), 25, max_batch=3,
                  after_step=lambda _step, written: _assert_dense(store, set(written)))
    before = _positions(store)
    store.rebuild()
    assert _positions(store) == before


def _positions(store) -> dict:
    return {row["d"]: int(row["n"].value) for row in store.select("SELECT ?d ?n WHERE { ?d vg:position ?n }")}


def _assert_dense(store, written: set[ox.NamedNode]) -> None:
    positions = _positions(store)
    [window] = store.select("SELECT ?f ?c WHERE { ?s vg:firstPosition ?f ; vg:documentCount ?c }") or [{}]
    first, count = (int(window["f"].value), int(window["c"].value)) if window else (0, 0)
    assert set(positions) == written and count == len(written)
    assert sorted(positions.values()) == list(range(first, first + count))


def test_a_store_written_before_positions_gets_them_when_opened_and_lists_by_iri_read_only(tmp_path, seed_graphs):
    store = Store(tmp_path / "store")
    store.replace_graphs(seed_graphs)
    del store
    raw = ox.Store(str(tmp_path / "store"))
    for predicate in (VG.position, VG.firstPosition, VG.documentCount):
        for quad in list(raw.quads_for_pattern(None, predicate, None, consolidation.FACTS)):
            raw.remove(quad)
    del raw
    with _client(Store(tmp_path / "store", read_only=True)) as client:
        ids = [d["iri"] for d in client.get("/documents").json()["items"]]
    assert ids == sorted(ids) and len(ids) == 5  # no positions: by IRI, reading every IRI
    store = Store(tmp_path / "store")  # writable: rebuilt once, positions given in IRI order
    assert_positions_dense(store.oxigraph)
    assert _newest_first(store) == sorted(ids, reverse=True)
    assert facts(store.oxigraph) == rebuilt_facts(store.oxigraph)


def test_the_web_article_list_pages_newest_first_with_next_and_previous_links(tmp_path, seed_graphs, monkeypatch):
    from api.routers.web import pages

    monkeypatch.setattr(pages, "PAGE_SIZE", 4)
    store = _written_and_thinned(tmp_path, seed_graphs)
    expected = _newest_first(store)
    titles = {row["d"].value: row["t"].value
              for row in store.select("SELECT ?d ?t WHERE { ?d a vg:Document ; dcterms:title ?t }")}
    with _client(store) as client:
        for page in (1, 2, 5):
            html = client.get(f"/ui/documents?page={page}").text
            shown = re.findall(r'<tr><td><a href="/ui/document/([^"]+)">', html)
            assert shown == [_slug(iri) for iri in expected[(page - 1) * 4:page * 4]], page
            assert "17 articles" in html and f"page {page} sur 5" in html
            assert ('rel="prev"' in html) == (page > 1) and ('rel="next"' in html) == (page < 5)
        assert titles[expected[0]] in client.get("/").text  # the home page shows the newest
