"""Real SPARQL clients against the API served by uvicorn on loopback: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

import urllib.error

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

VG = "https://w3id.org/vigie/ontology#"
POLICIES = f"SELECT DISTINCT ?p WHERE {{ ?p a <{VG}Policy> }} ORDER BY ?p"
POLICY_IDS = [
    "https://w3id.org/vigie/id/policy/amazon-moratorium-facial-recognition",
    "https://w3id.org/vigie/id/policy/ibm-withdrawal-facial-recognition",
    "https://w3id.org/vigie/id/policy/microsoft-sales-refusal-facial-recognition",
]


@pytest.fixture
def wrapper(api_server) -> SPARQLWrapper:
    return SPARQLWrapper(f"{api_server.url}/sparql")


def test_sparqlwrapper_select_json(wrapper):
    wrapper.setQuery(POLICIES)
    wrapper.setReturnFormat(JSON)
    bindings = wrapper.query().convert()["results"]["bindings"]
    assert [b["p"]["value"] for b in bindings] == POLICY_IDS


def test_sparqlwrapper_select_xml(wrapper):
    wrapper.setQuery(POLICIES)
    wrapper.setReturnFormat(XML)
    document = wrapper.query().convert()
    assert [node.firstChild.data for node in document.getElementsByTagName("uri")] == POLICY_IDS


def test_sparqlwrapper_select_csv(wrapper):
    wrapper.setQuery(POLICIES)
    wrapper.setReturnFormat(CSV)
    assert wrapper.query().convert().decode().split() == ["p", *POLICY_IDS]


def test_sparqlwrapper_select_by_post(wrapper):
    wrapper.setQuery(POLICIES)
    wrapper.setMethod(POST)
    wrapper.setReturnFormat(JSON)
    assert len(wrapper.query().convert()["results"]["bindings"]) == 3


def test_sparqlwrapper_ask(wrapper):
    wrapper.setQuery(f"ASK {{ ?p a <{VG}Policy> }}")
    wrapper.setReturnFormat(JSON)
    assert wrapper.query().convert()["boolean"] is True


def test_sparqlwrapper_construct_turtle(wrapper):
    wrapper.setQuery(f"CONSTRUCT {{ ?p a <{VG}Policy> }} WHERE {{ ?p a <{VG}Policy> }}")
    wrapper.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=wrapper.query().convert(), format="turtle")
    assert sorted(str(s) for s in graph.subjects()) == POLICY_IDS


def test_sparqlwrapper_construct_default_rdfxml(wrapper):
    wrapper.setQuery(f"CONSTRUCT {{ ?p a <{VG}Policy> }} WHERE {{ ?p a <{VG}Policy> }}")
    wrapper.setReturnFormat(XML)
    graph = wrapper.query().convert()
    assert len(graph) == 3


def test_sparqlwrapper_malformed_query_raises_bad_formed(wrapper):
    wrapper.setQuery("SELECT * WHERE { ?s ?p }")
    with pytest.raises(QueryBadFormed):
        wrapper.query()


def test_rdflib_sparqlstore_select(api_server):
    graph = rdflib.Graph(SPARQLStore(f"{api_server.url}/sparql"))
    rows = graph.query(POLICIES)
    assert [str(row.p) for row in rows] == POLICY_IDS


def test_rdflib_sparqlstore_triples(api_server):
    graph = rdflib.Graph(SPARQLStore(f"{api_server.url}/sparql"))
    company = rdflib.URIRef("https://w3id.org/vigie/id/company/ibm")
    labels = set(graph.objects(company, rdflib.SKOS.prefLabel))
    assert labels == {rdflib.Literal("IBM")}


def test_rdflib_sparqlstore_ask(api_server):
    graph = rdflib.Graph(SPARQLStore(f"{api_server.url}/sparql"))
    assert graph.query(f"ASK {{ ?p a <{VG}Policy> }}").askAnswer is True


def test_rdflib_sparqlstore_construct(api_server):
    graph = rdflib.Graph(SPARQLStore(f"{api_server.url}/sparql"))
    result = graph.query(f"CONSTRUCT {{ ?p a <{VG}Policy> }} WHERE {{ ?p a <{VG}Policy> }}")
    assert len(result.graph) == 3


def test_rdflib_sparqlupdatestore_update_is_refused_403(api_server, api_store):
    endpoint = f"{api_server.url}/sparql"
    graph = rdflib.Graph(SPARQLUpdateStore(endpoint, endpoint), identifier=rdflib.URIRef("urn:test"))
    before = len(api_store)
    with pytest.raises(urllib.error.HTTPError) as refused:
        graph.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert refused.value.code == 403 and len(api_store) == before
