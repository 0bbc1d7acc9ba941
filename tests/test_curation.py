"""Curation over HTTP (TestClient): rejecting a policy, undoing it, adding aliases, with who and when."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from ontology.namespaces import CURATION_GRAPH, PROV, SKOS, VG
from vigie.export import dump

TOKEN = "cur-s3cret"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
POLICY = "amazon-moratorium-facial-recognition"
POLICY_IRI = ox.NamedNode(f"https://w3id.org/vigie/id/policy/{POLICY}")
AMAZON = ox.NamedNode("https://w3id.org/vigie/id/company/amazon")
WHO = {"by": "Marie Dupont", "reason": "Doublon d'une autre politique"}


@pytest.fixture
def store():
    path = Path(__file__).parent / "fixtures" / "api_corpus.py"
    spec = importlib.util.spec_from_file_location("vigie_api_corpus_curation", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_store()


@pytest.fixture
def client(store):
    with TestClient(create_app(store, Settings(update_token=TOKEN))) as c:
        yield c


def policy_ids(client, url: str = "/company/amazon/policies") -> set[str]:
    return {p["id"] for p in client.get(url).json()["items"]}


def reject(client, policy: str = POLICY, body: dict | None = None):
    return client.post(f"/policies/{policy}/reject", json=body or WHO, headers=AUTH)


# ---------------------------------------------------------------- rejecting


def test_rejecting_a_policy_answers_201_with_who_why_and_when(client):
    response = reject(client)
    assert response.status_code == 201
    body = response.json()
    assert (body["policy"], body["by"], body["reason"]) == (POLICY, "Marie Dupont", "Doublon d'une autre politique")
    assert body["at"].endswith("Z")


def test_rejected_policy_leaves_the_company_policies(client):
    assert POLICY in policy_ids(client)
    reject(client)
    assert POLICY not in policy_ids(client)


def test_rejected_policy_leaves_the_policy_list(client):
    reject(client)
    assert POLICY not in policy_ids(client, "/policies")


def test_rejected_policy_leaves_the_company_view(client):
    reject(client)
    assert POLICY not in {p["id"] for p in client.get("/company/amazon").json()["items"]}


def test_rejected_policy_leaves_the_legislature_view(client):
    reject(client)
    assert POLICY not in {p["id"] for p in client.get("/legislature/us-congress").json()["policies"]}


def test_rejected_policy_leaves_the_document_view(client):
    reject(client)
    assert POLICY not in {p["id"] for p in client.get("/documents/doc_a").json()["policies"]}


def test_rejected_policy_leaves_the_company_rdf_view(client):
    reject(client)
    assert POLICY not in client.get("/company/amazon", headers={"Accept": "text/turtle"}).text


def test_rejected_policy_answers_410_saying_who_why_and_when(client):
    reject(client)
    response = client.get(f"/policies/{POLICY}")
    assert response.status_code == 410
    rejected = response.json()["rejected"]
    assert (rejected["by"], rejected["reason"]) == ("Marie Dupont", "Doublon d'une autre politique")
    assert "Marie Dupont" in response.json()["detail"] and rejected["at"]


def test_rejected_policy_leaves_the_turtle_export(client):
    reject(client)
    export = client.get("/export", params={"format": "turtle"}).text
    assert f"policy:{POLICY} a vg:Policy" not in export and f"vg:supports policy:{POLICY}" not in export
    assert "policy:microsoft-sales-refusal-facial-recognition" in export


def test_export_keeps_the_rejection_itself(client):
    reject(client)
    export = client.get("/export", params={"format": "turtle"}).text
    assert "vg:Rejection" in export


def test_rejection_is_written_only_in_the_curation_graph(client, store):
    reject(client)
    graphs = {q.graph_name for q in store.quads(None, predicate=VG.rejects)}
    assert graphs == {CURATION_GRAPH}


def test_rejection_records_the_curator_as_a_prov_agent(client, store):
    reject(client)
    agents = [q.object for q in store.quads(CURATION_GRAPH, predicate=PROV.wasAssociatedWith)]
    assert [a.value for a in agents] == ["https://w3id.org/vigie/id/curator/marie-dupont"]


def test_rejecting_without_a_token_is_401_and_changes_nothing(client):
    response = client.post(f"/policies/{POLICY}/reject", json=WHO)
    assert response.status_code == 401 and POLICY in policy_ids(client)


def test_rejecting_with_a_wrong_token_is_403_and_changes_nothing(client):
    response = client.post(f"/policies/{POLICY}/reject", json=WHO, headers={"Authorization": "Bearer no"})
    assert response.status_code == 403 and POLICY in policy_ids(client)


def test_rejecting_an_unknown_policy_is_404(client):
    assert reject(client, "amazon-nothing").status_code == 404


def test_rejecting_without_a_curator_name_is_422(client):
    assert reject(client, body={"reason": "no name"}).status_code == 422


def test_rejections_are_listed(client):
    reject(client)
    assert [r["policy"] for r in client.get("/curation/rejections").json()] == [POLICY]


# ---------------------------------------------------------------- undoing


def test_undoing_a_rejection_brings_the_policy_back(client):
    reject(client)
    assert client.delete(f"/policies/{POLICY}/reject", headers=AUTH).status_code == 204
    assert POLICY in policy_ids(client) and client.get(f"/policies/{POLICY}").status_code == 200


def test_undoing_brings_the_policy_back_in_the_export(client):
    reject(client)
    client.delete(f"/policies/{POLICY}/reject", headers=AUTH)
    assert f"policy:{POLICY} a vg:Policy" in client.get("/export", params={"format": "turtle"}).text


def test_undoing_a_policy_that_is_not_rejected_is_404(client):
    assert client.delete(f"/policies/{POLICY}/reject", headers=AUTH).status_code == 404


def test_undoing_without_a_token_is_401_and_keeps_the_rejection(client):
    reject(client)
    assert client.delete(f"/policies/{POLICY}/reject").status_code == 401
    assert POLICY not in policy_ids(client)


# ---------------------------------------------------------------- aliases


def test_added_alias_is_listed_with_the_company(client):
    response = client.post("/company/amazon/aliases", json={"alias": "le géant de la vente en ligne", **WHO},
                           headers=AUTH)
    assert response.status_code == 201 and response.json()["entity"] == "amazon"
    assert "le géant de la vente en ligne" in client.get("/company/amazon").json()["company"]["aliases"]


def test_added_alias_is_an_alt_label_in_the_curation_graph(client, store):
    client.post("/company/amazon/aliases", json={"alias": "le géant de la vente en ligne", **WHO}, headers=AUTH)
    labels = {q.object for q in store.quads(CURATION_GRAPH, subject=AMAZON, predicate=SKOS.altLabel)}
    assert labels == {ox.Literal("le géant de la vente en ligne")}


def test_alias_for_an_unknown_company_is_404(client):
    response = client.post("/company/nobody/aliases", json={"alias": "X", **WHO}, headers=AUTH)
    assert response.status_code == 404


def test_alias_without_a_token_is_401(client, store):
    response = client.post("/company/amazon/aliases", json={"alias": "X", **WHO})
    assert response.status_code == 401 and not list(store.quads(CURATION_GRAPH))


def test_alias_with_a_sparql_looking_value_is_stored_as_a_string(client, store):
    alias = 'x" } ; DROP ALL ; INSERT DATA { <a:b> <c:d> "e'
    assert client.post("/company/amazon/aliases", json={"alias": alias, **WHO}, headers=AUTH).status_code == 201
    assert ox.Literal(alias) in {q.object for q in store.quads(CURATION_GRAPH, predicate=SKOS.altLabel)}
    assert POLICY in policy_ids(client)


def test_curated_aliases_are_what_the_next_ingest_hands_to_the_extractors(client, store):
    from vigie.cli import curated_aliases

    client.post("/company/amazon/aliases", json={"alias": "le géant de la vente en ligne", **WHO}, headers=AUTH)
    assert curated_aliases(store) == [("company", "amazon", "le géant de la vente en ligne")]


# ---------------------------------------------------------------- other views


def test_rejected_policy_leaves_the_document_rdf_view(client):
    reject(client)
    turtle = client.get("/documents/doc_a", headers={"Accept": "text/turtle"}).text
    assert POLICY not in turtle and "doc_a" in turtle


def test_rejected_policy_leaves_the_company_web_page(client):
    assert POLICY in client.get("/ui/company/amazon").text
    reject(client)
    assert POLICY not in client.get("/ui/company/amazon").text


def test_rejected_policy_leaves_the_timeline_page(client):
    assert POLICY in client.get("/ui/timeline").text
    reject(client)
    assert POLICY not in client.get("/ui/timeline").text


def test_rejected_policy_leaves_the_document_web_page(client):
    reject(client)
    assert POLICY not in client.get("/ui/document/doc_a").text


def test_a_rejection_written_by_sparql_update_is_honoured_and_undone(client):
    update = (f"INSERT DATA {{ GRAPH <{CURATION_GRAPH.value}> {{ <urn:rejection:1> a vg:Rejection ; "
              f"vg:rejects <{POLICY_IRI.value}> }} }}")
    assert client.post("/sparql", data={"update": update}, headers=AUTH).status_code == 204
    assert POLICY not in policy_ids(client) and client.get(f"/policies/{POLICY}").status_code == 410
    assert client.delete(f"/policies/{POLICY}/reject", headers=AUTH).status_code == 204
    assert POLICY in policy_ids(client)


def test_corrections_conform_to_the_shapes(client, store):
    from vigie.validation import validate_quads

    reject(client)
    client.post("/company/amazon/aliases", json={"alias": "le géant de la vente en ligne", **WHO}, headers=AUTH)
    report = validate_quads(store.quads(CURATION_GRAPH))
    assert report.conforms, report.summary()


def test_a_correction_without_its_curator_does_not_conform(client, store):
    from vigie.validation import validate_quads

    reject(client)
    quads = [q for q in store.quads(CURATION_GRAPH) if q.predicate != PROV.wasAssociatedWith]
    assert not validate_quads(quads).conforms


def test_a_statement_added_to_the_curation_graph_is_served_marked_curated(client):
    update = f"""INSERT DATA {{ GRAPH <{CURATION_GRAPH.value}> {{
        statement:aclu-amazon-curated a vg:Statement ; vg:speaker advocate:aclu ; vg:target company:amazon ;
            vg:quote "L'ACLU demande à Amazon de renoncer à Rekognition." }} }}"""
    assert client.post("/sparql", data={"update": update}, headers=AUTH).status_code == 204
    statements = {s["id"]: s for s in client.get("/advocate/aclu").json()["statements"]}
    assert [s["curated"] for s in statements["aclu-amazon-curated"]["sources"]] == [True]
    assert statements["aclu-amazon-curated"]["targets"][0]["id"] == "amazon"


def test_an_exception_added_to_the_curation_graph_marks_its_policy_curated(client):
    update = f"""INSERT DATA {{ GRAPH <{CURATION_GRAPH.value}> {{
        policy:{POLICY} vg:hasException exception:amazon-curated-research .
        exception:amazon-curated-research a vg:Exception ; vg:purpose vg:Research }} }}"""
    assert client.post("/sparql", data={"update": update}, headers=AUTH).status_code == 204
    policy = client.get(f"/policies/{POLICY}").json()
    assert "amazon-curated-research" in {e["id"] for e in policy["exceptions"]}
    assert {s["curated"] for s in policy["sources"]} == {False, True}


EXPORT_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
                  "ntriples": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML}


@pytest.mark.parametrize("name", list(EXPORT_FORMATS))
def test_rejected_policy_has_no_statement_in_any_export_format(client, name):
    reject(client)
    parsed = list(ox.parse(client.get("/export", params={"format": name}).content, format=EXPORT_FORMATS[name]))
    assert not [q for q in parsed if q.subject == POLICY_IRI]
    assert not [q for q in parsed if q.predicate == VG.supports and q.object == POLICY_IRI]
    assert [q for q in parsed if q.predicate == VG.rejects and q.object == POLICY_IRI]


def test_rejected_policy_leaves_the_company_export(client, store):
    import io

    reject(client)
    out = io.BytesIO()
    dump(store, out, ox.RdfFormat.N_QUADS, company=AMAZON)
    subjects = {q.subject for q in ox.parse(out.getvalue(), format=ox.RdfFormat.N_QUADS)}
    assert POLICY_IRI not in subjects and AMAZON in subjects


def test_export_with_include_rejected_keeps_the_policy(client, store):
    import io

    reject(client)
    out = io.BytesIO()
    dump(store, out, ox.RdfFormat.N_QUADS, include_rejected=True)
    assert POLICY_IRI in {q.subject for q in ox.parse(out.getvalue(), format=ox.RdfFormat.N_QUADS)}


def test_alias_for_a_company_known_only_to_the_gazetteer_is_accepted(client):
    response = client.post("/company/palantir/aliases", json={"alias": "la société de Peter Thiel", **WHO},
                           headers=AUTH)
    assert response.status_code == 201 and response.json()["entity"] == "palantir"


def test_alias_for_an_advocate_is_accepted(client):
    response = client.post("/advocate/aclu/aliases", json={"alias": "l'Union américaine", **WHO}, headers=AUTH)
    assert response.status_code == 201


def test_alias_for_a_legislature_is_accepted(client):
    response = client.post("/legislature/us-congress/aliases", json={"alias": "le Capitole", **WHO}, headers=AUTH)
    assert response.status_code == 201


def test_added_aliases_are_listed_with_who_and_when(client):
    client.post("/company/amazon/aliases", json={"alias": "le géant de la vente en ligne", **WHO}, headers=AUTH)
    listed = client.get("/curation/aliases").json()
    assert [(a["entity"], a["alias"], a["by"]) for a in listed] == [
        ("amazon", "le géant de la vente en ligne", "Marie Dupont")]
    assert listed[0]["at"]


def test_rejected_policy_leaves_the_legislature_web_page(client):
    assert POLICY in client.get("/ui/legislature/us-congress").text
    reject(client)
    assert POLICY not in client.get("/ui/legislature/us-congress").text
