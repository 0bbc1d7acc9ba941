"""Index look-ups on embedded stores (issue 14): ``GraphStore.lookup`` and the rows :mod:`api.lookups` reads
with it, which must be the rows of the named queries they stand for, and REST answers that are the same
byte for byte whether a store is read with look-ups or with the queries."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api import lookups
from api.app import create_app
from api.settings import Settings
from ontology.iris import mint
from ontology.namespaces import CURATION_GRAPH, RDF, RDFS, VG
from queries import registry
from vigie import curation
from vigie.remote_store import RemoteStore
from vigie.store import GraphStore, Store

ROOT = Path(__file__).resolve().parents[1]
DOC_A, DOC_B = (ox.NamedNode(f"https://w3id.org/vigie/id/document/{x}") for x in ("a", "b"))
POLICY = ox.NamedNode("https://w3id.org/vigie/id/policy/acme-moratorium-drones")


def _article(doc: ox.NamedNode, text: str) -> list[ox.Quad]:
    evidence = ox.NamedNode(doc.value + "/evidence/1")
    return [ox.Quad(s, p, o, doc) for s, p, o in [
        (doc, RDF.type, VG.Document), (doc, VG.text, ox.Literal(text)),
        (POLICY, RDF.type, VG.Policy), (POLICY, VG.duration, ox.Literal("P1Y")),
        (evidence, VG.supports, POLICY), (evidence, VG.quote, ox.Literal(text)),
    ]]


# ------------------------------------------------------------------ the store's look-up method


def test_lookup_reads_the_consolidated_graph_each_triple_once_or_one_article_graph(tmp_path):
    store = Store(tmp_path / "store")
    store.replace_graphs({DOC_A: _article(DOC_A, "Texte A."), DOC_B: _article(DOC_B, "Texte B.")})
    assert store.indexed
    assert [q.object for q in store.lookup(POLICY, VG.duration)] == [ox.Literal("P1Y")]  # two articles, once
    assert all(isinstance(q.graph_name, ox.DefaultGraph) for q in store.lookup(POLICY))
    assert {q.subject for q in store.lookup(None, VG.supports, POLICY)} == {
        ox.NamedNode(DOC_A.value + "/evidence/1"), ox.NamedNode(DOC_B.value + "/evidence/1")}
    assert [q.subject for q in store.lookup(None, VG.supports, POLICY, DOC_B)] == [
        ox.NamedNode(DOC_B.value + "/evidence/1")]
    assert not list(store.lookup(DOC_A, VG.text))  # the full text stays in the article's graph
    assert [q.object for q in store.lookup(DOC_A, VG.text, None, DOC_A)] == [ox.Literal("Texte A.")]
    store.remove_graph(DOC_A)
    assert [q.object for q in store.lookup(POLICY, VG.duration)] == [ox.Literal("P1Y")]
    assert not list(store.lookup(None, VG.supports, POLICY, DOC_A))
    store.remove_graph(DOC_B)
    assert not list(store.lookup(POLICY))


def test_a_store_whose_consolidated_graph_is_not_built_has_no_lookups_and_answers_with_queries(
    tmp_path, seeds_store_path
):
    path = tmp_path / "store"
    shutil.copytree(seeds_store_path, path, ignore=shutil.ignore_patterns("LOCK"))
    raw = ox.Store(str(path))
    raw.clear_graph(ox.DefaultGraph())
    del raw
    store = Store(path, read_only=True)
    assert not store.indexed
    with pytest.raises(NotImplementedError):
        store.lookup(POLICY)
    app = create_app(store=store, settings=_settings(path))
    with TestClient(app) as client:
        answer = client.get("/company/amazon/policies")
    assert answer.status_code == 200 and answer.json()["items"]


def test_sparql_servers_are_read_with_queries():
    assert not GraphStore.indexed
    assert not RemoteStore.indexed


# ------------------------------------------------------------------ the rows: those of the named queries


def _settings(path) -> Settings:
    return Settings(store_path=str(path), read_only=True, rest_cache=False, sparql_workers=False)


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory, seeds_store_path, extractor):
    """The seeds and the first test corpus, with a rejected policy and curated facts (an exception added to a
    policy, a restricted user to another, an alias)."""
    from vigie.ingest import ingest_paths

    path = tmp_path_factory.mktemp("lookups") / "store"
    shutil.copytree(seeds_store_path, path, ignore=shutil.ignore_patterns("LOCK"))
    store = Store(path)
    assert ingest_paths(store, [ROOT / "tests" / "corpus"], extractor).ok
    policies = sorted({q.subject.value for q in store.lookup(None, VG.issuedBy)})
    curation.reject(store, ox.NamedNode(policies[0]), by="Test Curator")
    curation.add_alias(store, mint("company", "amazon"), "AMZN", by="Test Curator")
    exception = ox.NamedNode(policies[1].replace("/policy/", "/exception/") + "-curated")
    store.edit_graph(CURATION_GRAPH, add=[
        ox.Quad(ox.NamedNode(policies[1]), VG.hasException, exception, CURATION_GRAPH),
        ox.Quad(exception, RDFS.label, ox.Literal("exception ajoutée", language="fr"), CURATION_GRAPH),
        ox.Quad(exception, VG.beneficiary, mint("company", "amazon"), CURATION_GRAPH),
        ox.Quad(ox.NamedNode(policies[2]), VG.restrictedUser, VG.LawEnforcement, CURATION_GRAPH),
    ])
    store.flush()
    del store
    return Store(path, read_only=True)


@pytest.fixture(params=["seeds", "corpus", "api"])
def store(request, seeds_store, corpus_store, api_store):
    return {"seeds": seeds_store, "corpus": corpus_store, "api": api_store}[request.param]


def _subjects(store: GraphStore, predicate: ox.NamedNode) -> list[ox.NamedNode]:
    return sorted({q.subject for q in store.lookup(None, predicate)}, key=str)  # type: ignore[arg-type]


def _objects(store: GraphStore, predicate: ox.NamedNode) -> list[ox.NamedNode]:
    return sorted({q.object for q in store.lookup(None, predicate) if isinstance(q.object, ox.NamedNode)}, key=str)


def _set(rows) -> set[frozenset]:
    return {frozenset(row.items()) for row in rows}


def _query(store: GraphStore, name: str, **bound) -> list[dict]:
    return store.select(registry()[name].text_for(bound), bindings=bound)


def _expected_policy_rows(store: GraphStore, **bound) -> tuple[set, set, set]:
    facts = _query(store, "policy_facts", **bound)
    for row in facts:  # the fold reads no notation for these keys, and the look-ups do not read it
        if row.get("key") in (ox.Literal("product"), ox.Literal("awaits")):
            row.pop("notation", None)
    answered = {row["policy"] for row in facts}  # the other two are read for the policies the facts answer
    exceptions = [row for row in _query(store, "policy_exceptions", **bound) if row["policy"] in answered]
    sources = [row for row in _query(store, "policy_sources", **bound) if row["policy"] in answered]
    return _set(facts), _set(exceptions), _set(sources)


def test_a_companys_policies_are_the_rows_of_the_policy_queries(store):
    companies = _objects(store, VG.issuedBy)
    assert companies
    for company in companies:
        found = lookups.policy_rows(store, company=company)
        assert found is not None
        assert tuple(_set(rows) for rows in found) == _expected_policy_rows(store, company=company), company
        assert _set(lookups.event_rows(store, company=company)) == _set(_query(store, "policy_events",
                                                                               company=company)), company


def test_one_policys_rows_are_those_of_the_policy_queries_with_or_without_a_type(store):
    for policy in _subjects(store, VG.issuedBy):
        found = lookups.policy_rows(store, policy=policy)
        assert tuple(_set(rows) for rows in found) == _expected_policy_rows(store, policy=policy), policy
        assert _set(lookups.event_rows(store, policy=policy)) == _set(_query(store, "policy_events", policy=policy))
        for type in {q.object for q in store.lookup(policy, VG.policyType)} | {VG.Withdrawal}:
            found = lookups.policy_rows(store, policy=policy, type=type)
            assert tuple(_set(rows) for rows in found) == _expected_policy_rows(store, policy=policy, type=type)


def test_a_companys_rows_are_those_of_the_companies_query(store):
    for company in [*_subjects(store, VG.mentions), *_objects(store, VG.mentions), mint("company", "nobody")]:
        assert _set(lookups.company_rows(store, company)) == _set(_query(store, "companies", company=company))


def test_the_lists_are_left_to_the_queries(store):
    assert lookups.policy_rows(store) is None
    assert lookups.policy_rows(store, type=VG.Moratorium) is None
    assert lookups.event_rows(store) is None
    assert lookups.company_rows(store, None) is None


# ------------------------------------------------------------------ the REST answers: the same bytes


def _answers(store: GraphStore) -> dict[str, str]:
    app = create_app(store=store, settings=_settings(getattr(store, "path", None) or ":memory:"))
    answers = {}
    with TestClient(app) as client:
        def get(path: str):
            answer = client.get(path)
            answers[path] = f"{answer.status_code} {answer.text}"
            return answer

        companies = [c["id"] for c in get("/companies?limit=1000").json()["items"]]
        policies = [p["id"] for p in get("/policies?limit=1000").json()["items"]]
        for company in companies:
            for path in (f"/company/{company}", f"/company/{company}/policies",
                         f"/company/{company}/policies?at=2021-01-01", f"/policies?company={company}",
                         f"/policies?company={company}&type=moratorium", f"/ui/company/{company}"):
                get(path)
        for policy in policies:
            for path in (f"/policies/{policy}", f"/policies/{policy}/exceptions", f"/policies/{policy}/history"):
                get(path)
    return answers


def test_rest_answers_are_the_same_bytes_with_lookups_and_with_the_queries(store, monkeypatch):
    assert store.indexed
    with_lookups = _answers(store)
    monkeypatch.setattr(Store, "indexed", False)
    assert not store.indexed
    assert _answers(store) == with_lookups
    assert len(with_lookups) > 10
