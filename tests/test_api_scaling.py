"""REST answers and named queries when many articles repeat the same facts (not a timing test).

Oxigraph's union default graph does not deduplicate: a triple held by N article graphs is matched N times,
so a query joining k repeated facts about a node produced N^k rows before DISTINCT (200 articles repeating
the Amazon policy: /company/amazon took a minute). These tests build the API test corpus with its first
article (doc_a: the Amazon moratorium, its exception, the ACLU's call on Congress) repeated by n articles
and check that each repeating article adds the same number of rows to every query, counted *before* the
final DISTINCT, and that the REST answers do not change.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from ontology.namespaces import VG
from queries import Registry

ROOT = Path(__file__).resolve().parents[1]
REPEATS = 30
POLICY = "amazon-moratorium-facial-recognition"
#: A value for every parameter of the named queries (ids of the API test corpus).
VALUES = {
    "advocate": "aclu", "actor": "aclu", "beneficiary": "marinus-analytics", "company": "amazon",
    "document": "doc_a", "entity": "amazon", "legislature": "us-congress", "policy": POLICY,
    "restricted_user": "law-enforcement", "type": "moratorium", "at": "2020-07-01",
}
REGISTRY = Registry.load(strict=True)
#: (query, parameters): each query with its required parameters, and once more with each optional one.
CASES = [
    (query.name, params)
    for query in REGISTRY
    for params in [
        tuple(p.name for p in query.params if p.required),
        *[(*(r.name for r in query.params if r.required), p.name) for p in query.params if not p.required],
    ]
]
ROUTES = [
    "/companies", "/company/amazon", "/company/amazon/policies", "/company/microsoft", "/policies",
    "/policies?company=amazon", "/policies?type=moratorium", "/policies?restricted_user=law-enforcement",
    f"/policies/{POLICY}", f"/policies/{POLICY}/exceptions", "/advocates", "/advocate/aclu",
    "/advocate/nicole-ozer", "/legislatures", "/legislature/us-congress", "/documents", "/documents/doc_a",
    "/documents/doc_b",
]
RDF_ROUTES = ["/company/amazon", f"/policies/{POLICY}", "/advocate/aclu", "/legislature/us-congress",
              "/documents/doc_a"]
#: The copies of doc_a are doc_a_0002, doc_a_0003...: their ids, and the ids of their statements and evidence.
COPY = re.compile(r"doc_a_\d{4}")


def _corpus():
    spec = importlib.util.spec_from_file_location("vigie_api_corpus", ROOT / "tests" / "fixtures" / "api_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_store(repeats: int):
    """The API test corpus with doc_a repeated by ``repeats`` articles (distinct ids and content hashes)."""
    from extractors.rdf import document_iri, extraction_to_quads
    from vigie.store import Store

    first, *others = _corpus().extractions()
    extractions = []
    for i in range(repeats):
        doc_id = first.document.id if i == 0 else f"{first.document.id}_{i + 1:04d}"
        document = dataclasses.replace(first.document, id=doc_id, content_hash=f"hash-{doc_id}")
        extractions.append(dataclasses.replace(first, document=document))
    store = Store(None)
    store.load_schema()
    store.replace_graphs({document_iri(e.document.id): extraction_to_quads(e) for e in [*extractions, *others]})
    return store


@pytest.fixture(scope="module")
def stores():
    return {n: build_store(n) for n in (1, 2, REPEATS)}


def rows_before_distinct(store, name: str, params: tuple[str, ...]) -> int:
    """Rows (or constructed triples, duplicates included) of a named query, its outer DISTINCT left out."""
    query = REGISTRY[name]
    concepts = {row["notation"].value: row["concept"] for row in store.select(REGISTRY["concepts"].sparql)}
    bindings = REGISTRY.bind(name, {p: VALUES[p] for p in params}, concept=concepts.get)
    sparql = re.sub(r"\bSELECT\s+DISTINCT\b", "SELECT", query.sparql, count=1, flags=re.IGNORECASE)
    return sum(1 for _ in store.query(sparql, bindings=bindings))


@pytest.mark.parametrize(("name", "params"), CASES, ids=[f"{n}-{'-'.join(p) or 'all'}" for n, p in CASES])
def test_each_repeating_article_adds_the_same_number_of_rows_to_a_query(stores, name, params):
    """Rows grow at most linearly with the articles repeating a fact, never as a power of them (counted before
    DISTINCT); with the consolidated graph most do not grow at all, and sources stop at the ten newest."""
    one, two, many = (rows_before_distinct(stores[n], name, params) for n in (1, 2, REPEATS))
    assert many <= one + (REPEATS - 1) * (two - one), (one, two, many)


# ------------------------------------------------------------------ REST answers


def _client(store):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings

    return TestClient(create_app(store, Settings(rest_cache=False, sparql_workers=False)))


@pytest.fixture(scope="module")
def clients(stores):
    with _client(stores[1]) as one, _client(stores[REPEATS]) as many:
        yield one, many


#: What a policy says of its sources depends on how many articles report it (bounded, see the tests below).
_SOURCE_KEYS = {"total", "sources", "sources_total", "sources_next"}


def _without_copies(value):
    """A JSON answer without what the copies of doc_a add themselves: their articles, statements and sources."""
    if isinstance(value, dict):
        return {k: _without_copies(v) for k, v in value.items() if k not in _SOURCE_KEYS}
    if isinstance(value, list):
        return [_without_copies(v) for v in value if not _from_a_copy(v)]
    return value


def _from_a_copy(item) -> bool:
    return isinstance(item, dict) and bool(COPY.search(f"{item.get('id', '')} {item.get('document', '')}"))


@pytest.mark.parametrize("path", ROUTES)
def test_rest_answer_is_the_same_for_one_and_many_articles_repeating_a_policy(clients, path):
    one, many = (client.get(path) for client in clients)
    assert one.status_code == many.status_code == 200
    assert _without_copies(many.json()) == _without_copies(one.json())


def _triples(response) -> list[ox.Triple]:
    return list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))


def _triples_without_copies(response) -> set[str]:
    """The triples, without the copies' own nodes, the article counts (which count the copies), the links to
    the newest articles (copies among them) and the evidence (that of the newest articles, see below)."""
    return {str(t) for t in _triples(response)
            if not COPY.search(str(t)) and t.predicate not in (VG.articleCount, VG.latestSource)
            and "/evidence/" not in t.subject.value}


@pytest.mark.parametrize("path", RDF_ROUTES)
def test_rdf_answer_is_the_same_for_one_and_many_articles_repeating_a_policy(clients, path):
    one, many = (client.get(path, headers={"Accept": "text/turtle"}) for client in clients)
    assert one.status_code == many.status_code == 200
    assert _triples_without_copies(many) == _triples_without_copies(one)


# ------------------------------------------------------------------ bounded sources


def test_a_policy_reported_by_many_articles_shows_the_sources_of_its_ten_newest(clients):
    _, many = clients
    policy = many.get(f"/policies/{POLICY}").json()
    assert policy["sources_total"] == REPEATS + 1  # the copies of doc_a, and doc_c
    assert len({source["document"] for source in policy["sources"]}) == 10
    assert policy["sources_next"] == f"/policies/{POLICY}/sources?offset=0"


def test_a_policy_reported_by_few_articles_shows_them_all_and_no_next_link(clients):
    one, _ = clients
    policy = one.get(f"/policies/{POLICY}").json()
    assert policy["sources_total"] == len({source["document"] for source in policy["sources"]}) == 2
    assert policy["sources_next"] is None


def test_the_sources_route_pages_over_every_sentence_newest_article_first(clients):
    _, many = clients
    first = many.get(f"/policies/{POLICY}/sources", params={"limit": 5}).json()
    rest = many.get(f"/policies/{POLICY}/sources", params={"offset": 5, "limit": 1000}).json()
    items = first["items"] + rest["items"]
    assert first["total"] == rest["total"] == len(items) and len(first["items"]) == 5
    copies = {f"doc_a_{i:04d}" for i in range(2, REPEATS + 1)}
    assert {source["document"] for source in items} == {"doc_c", "doc_a", *copies}
    dates = [source["date"] or "" for source in items]
    assert dates == sorted(dates, reverse=True)


def test_the_sources_route_of_an_unknown_policy_is_a_404(clients):
    one, _ = clients
    assert one.get("/policies/nobody-moratorium-facial-recognition/sources").status_code == 404


# ------------------------------------------------------------------ bounded descriptions and statements

PROV_DERIVED = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
POLICY_IRI = ox.NamedNode(f"https://w3id.org/vigie/id/policy/{POLICY}")


def _objects(triples: list[ox.Triple], predicate: ox.NamedNode, subject: ox.NamedNode | None = None) -> set[str]:
    return {t.object.value for t in triples if t.predicate == predicate and subject in (None, t.subject)}


@pytest.mark.parametrize("path", ["/company/amazon", f"/policies/{POLICY}"])
def test_an_rdf_description_counts_a_policys_articles_and_links_its_ten_newest(clients, path):
    _, many = clients
    triples = _triples(many.get(path, headers={"Accept": "text/turtle"}))
    assert _objects(triples, VG.articleCount, POLICY_IRI) == {str(REPEATS + 1)}
    assert len(_objects(triples, VG.latestSource, POLICY_IRI)) == 10


@pytest.mark.parametrize("path", ["/company/amazon", f"/policies/{POLICY}", "/advocate/aclu",
                                  "/legislature/us-congress"])
def test_an_rdf_description_carries_only_the_evidence_of_the_newest_articles_of_its_nodes(clients, path):
    _, many = clients
    triples = _triples(many.get(path, headers={"Accept": "text/turtle"}))
    assert _objects(triples, PROV_DERIVED) <= _objects(triples, VG.latestSource)
    assert len(_objects(triples, PROV_DERIVED)) <= 10 * len({t.subject for t in triples
                                                             if t.predicate == VG.latestSource})


def test_an_rdf_description_of_a_policy_reported_by_few_articles_carries_all_their_evidence(clients):
    one, _ = clients
    triples = _triples(one.get(f"/policies/{POLICY}", headers={"Accept": "text/turtle"}))
    assert {d.rsplit("/", 1)[1] for d in _objects(triples, PROV_DERIVED, None)} == {"doc_a", "doc_c"}


@pytest.fixture(scope="module")
def statement_client():
    """The API test corpus with doc_a's graph copied by 14 more articles: its statement is stated 15 times."""
    from consolidation_helpers import article_graphs, copy_of

    store = build_store(1)
    doc_a = next((g, q) for g, q in article_graphs(store.oxigraph).items() if g.value.endswith("/doc_a"))
    store.replace_graphs(dict(copy_of(*doc_a, f"c{i:02d}") for i in range(14)))
    with _client(store) as client:
        yield client


def test_a_statement_stated_by_many_articles_shows_the_sources_of_its_ten_newest_and_counts_them_all(
        statement_client):
    statement = next(s for s in statement_client.get("/advocate/aclu").json()["statements"] if s["id"] == "doc_a-0")
    assert len({source["document"] for source in statement["sources"]}) == 10
    assert statement["sources_total"] == 15


def test_a_statement_stated_by_one_article_shows_its_sources_and_counts_one(clients):
    one, _ = clients
    statement = next(s for s in one.get("/advocate/aclu").json()["statements"] if s["id"] == "doc_a-0")
    assert [source["document"] for source in statement["sources"]] == ["doc_a"]
    assert statement["sources_total"] == 1


def test_a_legislatures_statements_show_the_sources_of_their_ten_newest_articles(statement_client):
    statement = next(s for s in statement_client.get("/legislature/us-congress").json()["statements"]
                     if s["id"] == "doc_a-0")
    assert len({source["document"] for source in statement["sources"]}) == 10
    assert statement["sources_total"] == 15
