"""The SPARQL 1.1 Protocol at /sparql: methods, dataset, content negotiation, errors, updates, limits."""

from __future__ import annotations

import json
import time

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings

POLICIES = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a vg:Policy }"
TITLES = "PREFIX dcterms: <http://purl.org/dc/terms/> SELECT ?t WHERE { ?d dcterms:title ?t } ORDER BY ?t"
CONSTRUCT = "CONSTRUCT { ?c ?p ?o } WHERE { ?c a <https://w3id.org/vigie/ontology#Company> ; ?p ?o }"
DOC_B = "https://w3id.org/vigie/id/document/doc_b"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
TOKEN = "s3cret-token"


def count(response) -> int:
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def titles(response) -> list[str]:
    return [b["t"]["value"] for b in response.json()["results"]["bindings"]]


@pytest.fixture
def fresh_store():
    """A writable copy of the API corpus, for tests that write."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parent / "fixtures" / "api_corpus.py"
    spec = importlib.util.spec_from_file_location("vigie_api_corpus_fresh", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_store()


def client_for(store, **settings) -> TestClient:
    return TestClient(create_app(store, Settings(**settings)))


# ---------------------------------------------------------------- methods


def test_get_query_answers_sparql_json(api_client):
    response = api_client.get("/sparql", params={"query": POLICIES})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/sparql-results+json"
    assert count(response) == 3


def test_post_form_query(api_client):
    assert count(api_client.post("/sparql", data={"query": POLICIES})) == 3


def test_post_direct_query(api_client):
    response = api_client.post("/sparql", content=POLICIES, headers={"Content-Type": "application/sparql-query"})
    assert count(response) == 3


def test_post_direct_query_with_charset_in_content_type(api_client):
    headers = {"Content-Type": "application/sparql-query; charset=utf-8"}
    assert count(api_client.post("/sparql", content=POLICIES.encode(), headers=headers)) == 3


def test_default_graph_is_the_union_of_all_graphs(api_client):
    assert titles(api_client.get("/sparql", params={"query": TITLES})) == [
        "Amazon suspend Rekognition", "IBM abandonne", "Microsoft refuse de vendre"]


def test_default_graph_uri_restricts_the_default_graph(api_client):
    response = api_client.get("/sparql", params={"query": TITLES, "default-graph-uri": DOC_B})
    assert titles(response) == ["Microsoft refuse de vendre"]


def test_named_graph_uri_restricts_the_named_graphs(api_client):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = api_client.get("/sparql", params={"query": query, "named-graph-uri": DOC_B})
    assert [b["g"]["value"] for b in response.json()["results"]["bindings"]] == [DOC_B]


def test_from_clause_of_the_query_is_respected(api_client):
    query = TITLES.replace("SELECT ?t WHERE", f"SELECT ?t FROM <{DOC_B}> WHERE")
    assert titles(api_client.get("/sparql", params={"query": query})) == ["Microsoft refuse de vendre"]


def test_vigie_prefixes_are_predeclared(api_client):
    query = "SELECT ?l WHERE { company:ibm skos:prefLabel ?l }"
    assert api_client.get("/sparql", params={"query": query}).json()["results"]["bindings"][0]["l"]["value"] == "IBM"


# ---------------------------------------------------------------- content negotiation


@pytest.mark.parametrize("accept,media", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("application/xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("*/*", "application/sparql-results+json"),
])
def test_select_results_follow_the_accept_header(api_client, accept, media):
    response = api_client.get("/sparql", params={"query": POLICIES}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)


def test_select_xml_results_parse_back(api_client):
    response = api_client.get("/sparql", params={"query": TITLES}, headers={"Accept": "application/sparql-results+xml"})
    rows = list(ox.parse_query_results(response.content, ox.QueryResultsFormat.XML))
    assert [r["t"].value for r in rows] == ["Amazon suspend Rekognition", "IBM abandonne", "Microsoft refuse de vendre"]


def test_select_csv_results_have_a_header_line(api_client):
    response = api_client.get("/sparql", params={"query": TITLES}, headers={"Accept": "text/csv"})
    assert response.text.splitlines() == [
        "t", "Amazon suspend Rekognition", "IBM abandonne", "Microsoft refuse de vendre"]


def test_select_tsv_results_are_rdf_terms(api_client):
    response = api_client.get("/sparql", params={"query": TITLES}, headers={"Accept": "text/tab-separated-values"})
    assert response.text.splitlines()[:2] == ["?t", '"Amazon suspend Rekognition"']


def test_json_results_keep_datatypes_and_languages(api_client):
    query = 'SELECT ?i ?l WHERE { BIND(42 AS ?i) BIND("moratoire"@fr AS ?l) }'
    binding = api_client.get("/sparql", params={"query": query}).json()["results"]["bindings"][0]
    assert binding["i"] == {"type": "literal", "value": "42", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    assert binding["l"] == {"type": "literal", "value": "moratoire", "xml:lang": "fr"}


def test_json_results_leave_unbound_variables_out(api_client):
    query = "SELECT ?a ?b WHERE { BIND(1 AS ?a) }"
    body = api_client.get("/sparql", params={"query": query}).json()
    assert body["head"]["vars"] == ["a", "b"] and list(body["results"]["bindings"][0]) == ["a"]


def test_ask_answers_a_boolean(api_client):
    response = api_client.get("/sparql", params={"query": "ASK { company:amazon a vg:Company }"})
    assert response.json() == {"head": {}, "boolean": True}


def test_ask_answers_xml_when_asked(api_client):
    response = api_client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"},
                              headers={"Accept": "application/sparql-results+xml"})
    assert b"<boolean>true</boolean>" in response.content


@pytest.mark.parametrize("accept,fmt", [
    ("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML), ("application/ld+json", ox.RdfFormat.JSON_LD),
])
def test_construct_results_follow_the_accept_header(api_client, accept, fmt):
    response = api_client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    subjects = {t.subject.value for t in ox.parse(response.content, format=fmt)}
    assert "https://w3id.org/vigie/id/company/amazon" in subjects


def test_construct_defaults_to_turtle(api_client):
    response = api_client.get("/sparql", params={"query": CONSTRUCT})
    assert response.headers["content-type"].startswith("text/turtle")


def test_construct_triples_are_not_repeated_per_article(api_client):
    query = "CONSTRUCT { company:amazon skos:prefLabel ?l } WHERE { company:amazon skos:prefLabel ?l }"
    body = api_client.get("/sparql", params={"query": query}, headers={"Accept": "application/n-triples"}).text
    assert len(body.strip().splitlines()) == 1


def test_describe_answers_rdf(api_client):
    response = api_client.get("/sparql", params={"query": "DESCRIBE company:ibm"})
    assert response.headers["content-type"].startswith("text/turtle")
    assert list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))


def test_select_refuses_an_rdf_format_with_406(api_client):
    response = api_client.get("/sparql", params={"query": POLICIES}, headers={"Accept": "text/turtle"})
    assert response.status_code == 406 and "SELECT" in response.json()["detail"]


def test_construct_refuses_a_results_format_with_406(api_client):
    response = api_client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "text/csv"})
    assert response.status_code == 406


def test_format_parameter_overrides_accept(api_client):
    response = api_client.get("/sparql", params={"query": POLICIES, "format": "csv"},
                              headers={"Accept": "application/sparql-results+json"})
    assert response.headers["content-type"].startswith("text/csv")


# ---------------------------------------------------------------- errors


def test_malformed_query_is_400_with_the_parser_message(api_client):
    response = api_client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("malformed query: error at 1:")


def test_missing_query_is_400(api_client):
    response = api_client.get("/sparql")
    assert response.status_code == 400 and response.json() == {"detail": "missing 'query' parameter"}


def test_two_query_parameters_are_400(api_client):
    assert api_client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D").status_code == 400


def test_query_and_update_together_are_400(api_client):
    response = api_client.post("/sparql", data={"query": "ASK {}", "update": "CLEAR ALL"})
    assert response.status_code == 400


def test_unsupported_content_type_is_415(api_client):
    response = api_client.post("/sparql", content="ASK {}", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


def test_update_sent_as_query_is_400(api_client):
    response = api_client.get("/sparql", params={"query": "DROP ALL"})
    assert response.status_code == 400


def test_invalid_default_graph_uri_is_400(api_client):
    response = api_client.get("/sparql", params={"query": "ASK {}", "default-graph-uri": "not an iri"})
    assert response.status_code == 400


def test_injection_in_a_sparql_literal_is_just_a_string(api_client):
    query = 'SELECT ?s WHERE { ?s skos:prefLabel "amazon\' } ; DROP ALL ; #" }'
    response = api_client.get("/sparql", params={"query": query})
    assert response.status_code == 200 and response.json()["results"]["bindings"] == []


# ---------------------------------------------------------------- updates


def test_update_is_refused_403_without_a_configured_token(api_client, api_store):
    before = len(api_store)
    response = api_client.post("/sparql", data={"update": "DROP ALL"}, headers={"Authorization": "Bearer x"})
    assert response.status_code == 403 and len(api_store) == before


def test_direct_update_is_refused_403_without_a_configured_token(api_client, api_store):
    before = len(api_store)
    response = api_client.post("/sparql", content="DROP ALL", headers={"Content-Type": "application/sparql-update"})
    assert response.status_code == 403 and len(api_store) == before


def test_update_without_authorization_is_401_when_a_token_is_configured(fresh_store):
    before = len(fresh_store)
    response = client_for(fresh_store, update_token=TOKEN).post("/sparql", data={"update": "DROP ALL"})
    assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"
    assert len(fresh_store) == before


def test_update_with_a_wrong_token_is_403(fresh_store):
    before = len(fresh_store)
    response = client_for(fresh_store, update_token=TOKEN).post(
        "/sparql", data={"update": "DROP ALL"}, headers={"Authorization": "Bearer wrong"})
    assert response.status_code == 403 and len(fresh_store) == before


def test_update_with_the_token_is_applied(fresh_store):
    client = client_for(fresh_store, update_token=TOKEN)
    update = 'INSERT DATA { GRAPH <urn:test> { company:ibm skos:altLabel "IBM Corp" } }'
    response = client.post("/sparql", content=update, headers={
        "Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 204
    assert "IBM Corp" in client.get("/companies").json()["items"][1]["aliases"]


def test_malformed_update_with_the_token_is_400(fresh_store):
    response = client_for(fresh_store, update_token=TOKEN).post(
        "/sparql", data={"update": "INSERT NONSENSE"}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 400


def test_update_by_get_is_400(fresh_store):
    response = client_for(fresh_store, update_token=TOKEN).get(
        "/sparql", params={"update": "DROP ALL"}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 400 and len(fresh_store) > 0


# ---------------------------------------------------------------- limits


def test_service_clause_is_refused_without_a_network_call(api_client):
    query = "SELECT * WHERE { SERVICE <http://198.51.100.1/sparql> { ?s ?p ?o } }"
    started = time.monotonic()
    response = api_client.get("/sparql", params={"query": query})
    assert response.status_code == 400 and "SERVICE" in response.json()["detail"]
    assert time.monotonic() - started < 2


def test_service_keyword_in_a_string_is_not_refused(api_client):
    response = api_client.get("/sparql", params={"query": 'SELECT ?x WHERE { BIND("SERVICE" AS ?x) }'})
    assert response.status_code == 200


def test_result_larger_than_the_cap_is_413(api_store):
    response = client_for(api_store, max_rows=5).get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 413 and "LIMIT" in response.json()["detail"]


def test_result_within_the_cap_is_served(api_store):
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 5"
    response = client_for(api_store, max_rows=5).get("/sparql", params={"query": query})
    assert len(response.json()["results"]["bindings"]) == 5


def test_query_larger_than_the_limit_is_413(api_store):
    query = "ASK { }" + "#" * 2000
    assert client_for(api_store, max_query_bytes=1000).post("/sparql", data={"query": query}).status_code == 413


def test_streaming_query_past_the_time_limit_is_503_and_the_server_answers_next(api_store):
    client = client_for(api_store, query_timeout=0.3, max_rows=10**9)
    started = time.monotonic()
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"})
    assert response.status_code == 503 and "time limit" in response.json()["detail"]
    assert time.monotonic() - started < 3
    assert count(client.get("/sparql", params={"query": POLICIES})) == 3


def _big_store():
    from vigie.store import Store

    store = Store(None)
    store.oxigraph.extend(
        ox.Quad(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal(i), ox.DefaultGraph())
        for i in range(150)
    )
    return store


def test_blocking_query_past_the_time_limit_keeps_its_slot_but_rest_keeps_answering():
    client = client_for(_big_store(), query_timeout=0.2, max_running_queries=1, query_queue_seconds=0)
    hostile = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 3.4M rows, ~0.5 s
    assert client.get("/sparql", params={"query": hostile}).status_code == 503
    busy = client.get("/sparql", params={"query": "ASK {}"})
    assert busy.status_code == 503 and "too many" in busy.json()["detail"]
    assert client.get("/companies").status_code == 200
    deadline = time.monotonic() + 30
    while client.get("/sparql", params={"query": "ASK {}"}).status_code == 503:
        assert time.monotonic() < deadline, "the slot was never given back"
        time.sleep(0.1)


def test_a_query_waits_a_bounded_time_for_a_busy_slot_instead_of_a_503():
    client = client_for(_big_store(), query_timeout=0.2, max_running_queries=1, query_queue_seconds=10)
    hostile = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # keeps its slot ~0.5 s
    assert client.get("/sparql", params={"query": hostile}).status_code == 503
    started = time.monotonic()
    assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200
    assert time.monotonic() - started < 10


def test_error_bodies_are_json(api_client):
    response = api_client.get("/sparql", params={"query": "SELEKT"})
    assert response.headers["content-type"] == "application/json" and json.loads(response.text)["detail"]


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { service <http://198.51.100.1/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <http://198.51.100.1/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { FILTER(1<2)SERVICE <http://198.51.100.1/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { <http://x/\\u0022> ?p ?o . SERVICE <http://198.51.100.1/> { ?s ?p ?o } }",
])
def test_service_clause_in_any_spelling_is_refused(api_client, query):
    response = api_client.get("/sparql", params={"query": query})
    assert response.status_code == 400 and "SERVICE" in response.json()["detail"]


def test_get_without_query_asking_for_turtle_answers_the_service_description(api_client):
    response = api_client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    triples = list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert any(t.object.value == sd + "Service" for t in triples)
    assert any(t.object.value == sd + "UnionDefaultGraph" for t in triples)
