"""Writes over HTTP: the Graph Store Protocol at /store and SPARQL 1.1 Update at /sparql, behind the write token."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from ontology.namespaces import CURATION_GRAPH, VG

TOKEN = "gsp-s3cret"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
GRAPH = "http://example.org/g/notes"
EX = "http://example.org/"
TURTLE = '@prefix ex: <http://example.org/> .\nex:a ex:says "bonjour"@fr ; ex:knows ex:b .\n'
DOC_A = "https://w3id.org/vigie/id/document/doc_a"

BODIES = {
    "application/n-triples": f'<{EX}a> <{EX}says> "bonjour"@fr .\n<{EX}a> <{EX}knows> <{EX}b> .\n',
    "text/turtle": TURTLE,
    "application/n-quads": f'<{EX}a> <{EX}says> "bonjour"@fr .\n<{EX}a> <{EX}knows> <{EX}b> .\n',
    "application/trig": TURTLE,
    "application/rdf+xml": (
        '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/a">'
        '<ex:says xml:lang="fr">bonjour</ex:says><ex:knows rdf:resource="http://example.org/b"/>'
        "</rdf:Description></rdf:RDF>"
    ),
    "application/ld+json": json.dumps({
        "@id": f"{EX}a", f"{EX}says": {"@value": "bonjour", "@language": "fr"}, f"{EX}knows": {"@id": f"{EX}b"},
    }),
}


def corpus_store():
    """A writable copy of the API corpus (three articles), in memory."""
    path = Path(__file__).parent / "fixtures" / "api_corpus.py"
    spec = importlib.util.spec_from_file_location("vigie_api_corpus_gsp", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_store()


@pytest.fixture
def store():
    return corpus_store()


@pytest.fixture
def client(store):
    with TestClient(create_app(store, Settings(update_token=TOKEN))) as c:
        yield c


def triples(response) -> set[tuple[str, str, str]]:
    graph = rdflib.Graph().parse(data=response.text, format=response.headers["content-type"].split(";")[0])
    return {(str(s), str(p), str(o)) for s, p, o in graph}


def in_graph(store, graph: str) -> int:
    return sum(1 for _ in store.quads(ox.NamedNode(graph)))


# ---------------------------------------------------------------- reads (everyone)


def test_get_of_an_article_graph_answers_its_triples_in_turtle(client):
    response = client.get("/store", params={"graph": DOC_A}, headers={"Authorization": ""})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    assert any(p.endswith("#issuedBy") for _, p, _ in triples(response))


def test_get_follows_the_accept_header(client):
    response = client.get("/store", params={"graph": DOC_A}, headers={"Accept": "application/n-triples"})
    assert response.headers["content-type"].startswith("application/n-triples") and " .\n" in response.text


def test_get_of_an_unknown_graph_is_404(client):
    assert client.get("/store", params={"graph": "http://example.org/none"}).status_code == 404


def test_get_of_the_default_graph_answers_the_consolidated_graph_each_triple_once(client, store):
    response = client.get("/store", params={"default": ""}, headers={"Accept": "application/n-triples"})
    lines = [line for line in response.text.splitlines() if line.strip()]
    named = {(q.subject.value, q.predicate.value, q.object.value) for q in store.quads()}
    assert response.status_code == 200 and lines and len(lines) == len(set(lines))
    derived = (VG.articleCount.value, VG.latestSource.value,  # what the consolidated graph adds of its own
               VG.position.value, VG.firstPosition.value, VG.documentCount.value)
    assert {t for t in triples(response) if t[1] not in derived} <= named


def test_get_without_a_graph_answers_the_dataset_with_named_graphs(client):
    response = client.get("/store", headers={"Accept": "application/n-quads"})
    assert response.status_code == 200 and f"<{DOC_A}> ." in response.text


def test_head_answers_headers_without_a_body(client):
    response = client.head("/store", params={"graph": DOC_A})
    assert response.status_code == 200 and response.content == b""
    assert response.headers["content-type"].startswith("text/turtle")


def test_graph_and_default_together_are_400(client):
    assert client.get("/store", params={"graph": DOC_A, "default": ""}).status_code == 400


def test_an_invalid_graph_iri_is_400(client):
    assert client.get("/store", params={"graph": "not an iri"}).status_code == 400


# ---------------------------------------------------------------- the token


def test_put_without_a_token_is_401_and_writes_nothing(client, store):
    response = client.put("/store", params={"graph": GRAPH}, content=TURTLE, headers={"Content-Type": "text/turtle"})
    assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"
    assert in_graph(store, GRAPH) == 0


def test_put_with_a_wrong_token_is_403_and_writes_nothing(client, store):
    response = client.put("/store", params={"graph": GRAPH}, content=TURTLE,
                          headers={"Content-Type": "text/turtle", "Authorization": "Bearer nope"})
    assert response.status_code == 403 and in_graph(store, GRAPH) == 0


def test_delete_without_a_token_is_401_and_keeps_the_graph(client, store):
    before = in_graph(store, DOC_A)
    assert client.delete("/store", params={"graph": DOC_A}).status_code == 401
    assert in_graph(store, DOC_A) == before


def test_writes_are_403_on_a_server_without_a_write_token(store):
    with TestClient(create_app(store, Settings())) as read_only:
        response = read_only.post("/store", params={"graph": GRAPH}, content=TURTLE,
                                  headers={"Content-Type": "text/turtle", **AUTH})
    assert response.status_code == 403 and in_graph(store, GRAPH) == 0


# ---------------------------------------------------------------- writes


def test_put_of_a_new_graph_is_201_and_readable_back(client):
    response = client.put("/store", params={"graph": GRAPH}, content=TURTLE,
                          headers={"Content-Type": "text/turtle", **AUTH})
    assert response.status_code == 201
    assert (f"{EX}a", f"{EX}knows", f"{EX}b") in triples(client.get("/store", params={"graph": GRAPH}))


def test_put_of_an_existing_graph_replaces_it_with_204(client, store):
    client.put("/store", params={"graph": GRAPH}, content=TURTLE, headers={"Content-Type": "text/turtle", **AUTH})
    response = client.put("/store", params={"graph": GRAPH}, content=f"<{EX}x> <{EX}y> <{EX}z> .",
                          headers={"Content-Type": "application/n-triples", **AUTH})
    assert response.status_code == 204 and in_graph(store, GRAPH) == 1


def test_post_adds_to_an_existing_graph_with_204(client, store):
    client.put("/store", params={"graph": GRAPH}, content=TURTLE, headers={"Content-Type": "text/turtle", **AUTH})
    response = client.post("/store", params={"graph": GRAPH}, content=f"<{EX}x> <{EX}y> <{EX}z> .",
                           headers={"Content-Type": "application/n-triples", **AUTH})
    assert response.status_code == 204 and in_graph(store, GRAPH) == 3


def test_post_to_a_new_graph_is_201(client):
    response = client.post("/store", params={"graph": GRAPH}, content=TURTLE,
                           headers={"Content-Type": "text/turtle", **AUTH})
    assert response.status_code == 201


def test_post_without_a_graph_creates_one_and_says_where(client):
    response = client.post("/store", content=TURTLE, headers={"Content-Type": "text/turtle", **AUTH})
    assert response.status_code == 201
    assert client.get(response.headers["location"]).status_code == 200


def test_post_of_a_dataset_keeps_its_named_graphs(client, store):
    body = f"<{EX}a> <{EX}b> <{EX}c> <{GRAPH}> .\n"
    response = client.post("/store", content=body, headers={"Content-Type": "application/n-quads", **AUTH})
    assert response.status_code == 204 and in_graph(store, GRAPH) == 1


def test_writes_to_the_default_graph_are_refused_because_vigie_derives_it(client):
    for method in ("PUT", "POST", "DELETE"):
        response = client.request(method, "/store", params={"default": ""}, content=TURTLE,
                                  headers={"Content-Type": "text/turtle", **AUTH})
        assert response.status_code == 409 and "consolidated" in response.json()["detail"], method


def test_delete_removes_the_graph_then_it_is_404(client, store):
    assert client.delete("/store", params={"graph": DOC_A}, headers=AUTH).status_code == 204
    assert in_graph(store, DOC_A) == 0
    assert client.get("/store", params={"graph": DOC_A}).status_code == 404


def test_delete_of_an_unknown_graph_is_404(client):
    assert client.delete("/store", params={"graph": GRAPH}, headers=AUTH).status_code == 404


@pytest.mark.parametrize("media", list(BODIES))
def test_each_rdf_syntax_is_accepted_as_a_body(client, store, media):
    response = client.put("/store", params={"graph": GRAPH}, content=BODIES[media],
                          headers={"Content-Type": media, **AUTH})
    assert response.status_code == 201 and in_graph(store, GRAPH) == 2


def test_a_body_without_content_type_is_400(client, store):
    response = client.put("/store", params={"graph": GRAPH}, content=TURTLE.encode(), headers=AUTH)
    assert response.status_code == 400 and in_graph(store, GRAPH) == 0


def test_an_unsupported_content_type_is_415(client, store):
    response = client.put("/store", params={"graph": GRAPH}, content="a,b",
                          headers={"Content-Type": "text/csv", **AUTH})
    assert response.status_code == 415 and in_graph(store, GRAPH) == 0


def test_a_malformed_body_is_400_and_writes_nothing(client, store):
    response = client.put("/store", params={"graph": DOC_A}, content="ex:a ex:b",
                          headers={"Content-Type": "text/turtle", **AUTH})
    assert response.status_code == 400 and "parse" in response.json()["detail"]
    assert in_graph(store, DOC_A) > 0


def test_a_dataset_body_for_one_graph_is_400(client, store):
    body = f"<{EX}a> <{EX}b> <{EX}c> <{EX}other> .\n"
    response = client.put("/store", params={"graph": GRAPH}, content=body,
                          headers={"Content-Type": "application/n-quads", **AUTH})
    assert response.status_code == 400 and in_graph(store, GRAPH) == 0


def test_a_policy_added_to_the_curation_graph_is_served_by_rest_marked_curated(client):
    body = (
        "@prefix vg: <https://w3id.org/vigie/ontology#> .\n"
        "<https://w3id.org/vigie/id/policy/ibm-restriction-facial-recognition> a vg:Policy ;\n"
        "  vg:issuedBy <https://w3id.org/vigie/id/company/ibm> ; vg:policyType vg:Restriction ;\n"
        "  vg:technology vg:FacialRecognition .\n"
    )
    response = client.post("/store", params={"graph": CURATION_GRAPH.value}, content=body,
                           headers={"Content-Type": "text/turtle", **AUTH})
    assert response.status_code in (201, 204)
    items = {p["id"]: p for p in client.get("/company/ibm/policies").json()["items"]}
    assert items["ibm-restriction-facial-recognition"]["sources"] == [
        {"document": "curation", "title": "Curation", "date": None, "quote": None, "start": None, "end": None,
         "url": None, "site": None, "story": None, "curated": True}
    ]


def test_extracted_policies_are_not_marked_curated(client):
    sources = [s for p in client.get("/company/amazon/policies").json()["items"] for s in p["sources"]]
    assert sources and not any(s["curated"] for s in sources)


# ---------------------------------------------------------------- SPARQL 1.1 Update on /sparql

INSERT = f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <{EX}a> <{EX}b> "c" }} }}'


def test_form_update_with_the_token_is_204_and_applied(client, store):
    response = client.post("/sparql", data={"update": INSERT}, headers=AUTH)
    assert response.status_code == 204 and in_graph(store, GRAPH) == 1


def test_direct_update_with_the_token_is_204_and_applied(client, store):
    response = client.post("/sparql", content=INSERT,
                           headers={"Content-Type": "application/sparql-update; charset=utf-8", **AUTH})
    assert response.status_code == 204 and in_graph(store, GRAPH) == 1


def test_update_without_the_token_is_401_and_writes_nothing(client, store):
    response = client.post("/sparql", data={"update": INSERT})
    assert response.status_code == 401 and in_graph(store, GRAPH) == 0


def test_update_with_a_wrong_token_is_403_and_writes_nothing(client, store):
    response = client.post("/sparql", data={"update": INSERT}, headers={"Authorization": "Bearer wrong"})
    assert response.status_code == 403 and in_graph(store, GRAPH) == 0


def test_update_with_a_basic_scheme_is_403(client, store):
    response = client.post("/sparql", data={"update": INSERT}, headers={"Authorization": f"Basic {TOKEN}"})
    assert response.status_code == 403 and in_graph(store, GRAPH) == 0


COPY_TITLES = (
    f"INSERT {{ GRAPH <{GRAPH}> {{ ?d <{EX}title> ?t }} }} "
    "WHERE { ?d <http://purl.org/dc/terms/title> ?t }"
)


def test_using_graph_uri_sets_the_dataset_of_the_update(client, store):
    response = client.post("/sparql", data={"update": COPY_TITLES, "using-graph-uri": DOC_A}, headers=AUTH)
    assert response.status_code == 204 and in_graph(store, GRAPH) == 1


def test_using_named_graph_uri_sets_the_named_graphs_of_the_update(client, store):
    update = (f"INSERT {{ GRAPH <{GRAPH}> {{ ?g <{EX}has> ?d }} }} "
              "WHERE { GRAPH ?g { ?d a <https://w3id.org/vigie/ontology#Document> } }")
    response = client.post(f"/sparql?using-named-graph-uri={DOC_A}", content=update,
                           headers={"Content-Type": "application/sparql-update", **AUTH})
    assert response.status_code == 204 and in_graph(store, GRAPH) == 1


def test_using_graph_uri_with_a_using_clause_in_the_update_is_400(client, store):
    update = COPY_TITLES.replace(" WHERE", f" USING <{DOC_A}> WHERE")
    response = client.post("/sparql", data={"update": update, "using-graph-uri": DOC_A}, headers=AUTH)
    assert response.status_code == 400 and in_graph(store, GRAPH) == 0


def test_two_update_parameters_are_400(client, store):
    response = client.post("/sparql", data={"update": [INSERT, INSERT]}, headers=AUTH)
    assert response.status_code == 400 and in_graph(store, GRAPH) == 0


def test_update_in_the_body_and_in_a_parameter_is_400(client, store):
    response = client.post("/sparql", params={"update": INSERT}, content=INSERT,
                           headers={"Content-Type": "application/sparql-update", **AUTH})
    assert response.status_code == 400 and in_graph(store, GRAPH) == 0


def test_update_without_content_type_is_refused(client, store):
    response = client.post("/sparql", content=INSERT.encode(), headers=AUTH)
    assert response.status_code in (400, 415) and in_graph(store, GRAPH) == 0


def test_sparql_1_2_version_parameter_is_accepted(client):
    response = client.get("/sparql", params={"query": "ASK {}", "version": "1.2"})
    assert response.status_code == 200 and response.json()["boolean"] is True


def test_unknown_version_parameter_is_400(client):
    assert client.get("/sparql", params={"query": "ASK {}", "version": "9.9"}).status_code == 400


def test_get_with_a_body_is_400(client):
    response = client.request("GET", "/sparql", params={"query": "ASK {}"}, content=b"ASK {}",
                              headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400


# ---------------------------------------------------------------- a real server


def test_live_server_refuses_a_write_without_token_and_takes_it_with_the_token(store):
    from conftest import ApiServer

    with ApiServer(create_app(store, Settings(update_token=TOKEN))) as server:
        url = f"{server.url}/store"
        refused = httpx.put(url, params={"graph": GRAPH}, content=TURTLE, headers={"Content-Type": "text/turtle"})
        created = httpx.put(url, params={"graph": GRAPH}, content=TURTLE,
                            headers={"Content-Type": "text/turtle", **AUTH})
        read = httpx.get(url, params={"graph": GRAPH}, headers={"Accept": "application/n-triples"})
    assert (refused.status_code, created.status_code, read.status_code) == (401, 201, 200)
    assert f"<{EX}a> <{EX}knows> <{EX}b> ." in read.text


def test_sparqlwrapper_update_with_the_token_is_applied(store):
    from conftest import ApiServer
    from SPARQLWrapper import POST, SPARQLWrapper

    with ApiServer(create_app(store, Settings(update_token=TOKEN))) as server:
        client = SPARQLWrapper(f"{server.url}/sparql", updateEndpoint=f"{server.url}/sparql")
        client.setMethod(POST)
        client.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
        client.setQuery(INSERT)
        status = client.query().response.status
    assert status == 204 and in_graph(store, GRAPH) == 1


def test_rdflib_update_store_with_the_token_writes_a_graph(store):
    from conftest import ApiServer
    from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

    with ApiServer(create_app(store, Settings(update_token=TOKEN))) as server:
        remote = SPARQLUpdateStore(f"{server.url}/sparql", f"{server.url}/sparql", headers=AUTH)
        graph = rdflib.Graph(remote, identifier=rdflib.URIRef(GRAPH))
        graph.add((rdflib.URIRef(f"{EX}a"), rdflib.URIRef(f"{EX}b"), rdflib.Literal("c")))
        remote.close()
    assert in_graph(store, GRAPH) == 1


def test_get_of_the_dataset_in_trig_parses_back_with_every_graph(client, store):
    response = client.get("/store", headers={"Accept": "application/trig"})
    graphs = {q.graph_name for q in ox.parse(response.content, format=ox.RdfFormat.TRIG)}
    assert response.status_code == 200 and graphs == set(store.named_graphs())


def test_using_graph_uri_applies_to_each_operation_and_leaves_delete_where_alone(client, store):
    names = COPY_TITLES.replace(f"{EX}title>", f"{EX}name>")
    update = f"DELETE WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }} ;\n{COPY_TITLES} ;\n{names}"
    response = client.post("/sparql", data={"update": update, "using-graph-uri": DOC_A}, headers=AUTH)
    assert response.status_code == 204 and in_graph(store, GRAPH) == 2


def test_write_token_comes_from_vigie_write_token():
    assert Settings.from_env({"VIGIE_WRITE_TOKEN": "w"}).update_token == "w"


def test_vigie_update_token_still_works_as_the_older_name():
    assert Settings.from_env({"VIGIE_UPDATE_TOKEN": "u"}).update_token == "u"


def test_vigie_write_token_wins_over_the_older_name():
    assert Settings.from_env({"VIGIE_WRITE_TOKEN": "w", "VIGIE_UPDATE_TOKEN": "u"}).update_token == "w"


def test_serve_takes_update_token_as_an_alias_of_write_token():
    from typer.testing import CliRunner

    from vigie.cli import app

    result = CliRunner().invoke(app, ["serve", "--update-token", "t", "--store", "/nonexistent/store"])
    assert result.exit_code != 0 and "no such option" not in result.output.lower()
    assert "no store at" in result.output
