"""Exports: every format parses back with rdflib and pyoxigraph to the same graph(s); named graphs are
kept by the dataset formats; Turtle is readable (prefixes, one block per subject); subsets."""

from __future__ import annotations

import io
import json
from collections import Counter

import pyoxigraph as ox
import pytest
import rdflib
from export_fixtures import (
    RDFLIB_NAMES,
    assert_same_graphs,
    build_store,
    expected_graphs,
    extraction_a,
    extraction_b,
    oxigraph_graphs,
    rdflib_graphs,
    to_rdflib_graph,
)
from rdflib.compare import isomorphic

from extractors.rdf import extraction_to_quads
from ontology.namespaces import GAZETTEER_GRAPH, ONTOLOGY_GRAPH, VG
from vigie import export
from vigie.formats import EXPORT_FORMATS, rdf_format

DOC_A = ox.NamedNode("https://w3id.org/vigie/id/document/001_article_a")
DOC_B = ox.NamedNode("https://w3id.org/vigie/id/document/002_article_b")
AMAZON = ox.NamedNode("https://w3id.org/vigie/id/company/amazon")
IBM = ox.NamedNode("https://w3id.org/vigie/id/company/ibm")
AMAZON_POLICY = ox.NamedNode("https://w3id.org/vigie/id/policy/amazon-moratorium-facial-recognition")

DATASET_FORMATS = ["trig", "nquads", "jsonld"]
TRIPLE_FORMATS = ["turtle", "ntriples"]


@pytest.fixture(scope="module")
def store():
    return build_store()


def dump(store, name: str, **kwargs) -> bytes:
    out = io.BytesIO()
    export.dump(store, out, rdf_format(name), **kwargs)
    return out.getvalue()


@pytest.mark.parametrize("name", DATASET_FORMATS)
def test_dataset_export_round_trips_through_rdflib_graph_by_graph(store, name):
    data = dump(store, name)
    assert_same_graphs(rdflib_graphs(data, name), expected_graphs(store, [DOC_A, DOC_B]))


@pytest.mark.parametrize("name", DATASET_FORMATS)
def test_dataset_export_round_trips_through_pyoxigraph_graph_by_graph(store, name):
    data = dump(store, name)
    assert_same_graphs(oxigraph_graphs(data, name), expected_graphs(store, [DOC_A, DOC_B]))


@pytest.mark.parametrize("name", DATASET_FORMATS)
def test_dataset_export_has_the_same_quad_count_as_the_store(store, name):
    data = dump(store, name)
    expected = sum(1 for g in (DOC_A, DOC_B) for _ in store.quads(g))
    assert sum(1 for _ in ox.parse(data, format=rdf_format(name))) == expected
    dataset = rdflib.Dataset().parse(data=data, format=RDFLIB_NAMES[name])
    assert sum(1 for _ in dataset.quads((None, None, None, None))) == expected


@pytest.mark.parametrize("name", TRIPLE_FORMATS)
def test_triple_export_is_the_union_of_the_article_graphs(store, name):
    data = dump(store, name)
    union = to_rdflib_graph(q for g in (DOC_A, DOC_B) for q in store.quads(g))
    from_rdflib = rdflib.Graph().parse(data=data, format=RDFLIB_NAMES[name])
    from_oxigraph = to_rdflib_graph(ox.parse(data, format=rdf_format(name)))
    for parsed in (from_rdflib, from_oxigraph):
        assert len(parsed) == len(union)
        assert isomorphic(parsed, union)


@pytest.mark.parametrize("name", TRIPLE_FORMATS)
def test_triple_export_writes_each_triple_once(store, name):
    data = dump(store, name)
    triples = list(ox.parse(data, format=rdf_format(name)))
    assert len(triples) == len(set(triples))


def test_turtle_writes_each_subject_in_one_block(store):
    # The Amazon policy is in both articles' graphs: one block, not two.
    triples = list(ox.parse(dump(store, "turtle"), format=ox.RdfFormat.TURTLE))
    runs = [s for i, s in enumerate(t.subject for t in triples) if i == 0 or triples[i - 1].subject != s]
    assert len(runs) == len(set(runs))
    text = dump(store, "turtle").decode()
    assert text.count("policy:amazon-moratorium-facial-recognition a vg:Policy") == 1


def test_turtle_declares_the_project_prefixes_with_vg_first(store):
    lines = dump(store, "turtle").decode().splitlines()
    assert lines[0] == "@prefix vg: <https://w3id.org/vigie/ontology#> ."
    for prefix in ("prov", "dcterms", "skos", "owl", "xsd"):
        assert any(line.startswith(f"@prefix {prefix}: ") for line in lines)


def test_turtle_uses_compact_names_for_instances(store):
    text = dump(store, "turtle").decode()
    assert "vg:issuedBy company:amazon" in text
    assert "<https://w3id.org/vigie/id/company/amazon>" not in text


def test_default_export_leaves_out_the_ontology(store):
    graphs = {q.graph_name for q in ox.parse(dump(store, "nquads"), format=ox.RdfFormat.N_QUADS)}
    assert graphs == {DOC_A, DOC_B}


def test_include_ontology_adds_the_schema_graphs(store):
    graphs = {q.graph_name for q in ox.parse(dump(store, "trig", include_schema=True), format=ox.RdfFormat.TRIG)}
    assert {ONTOLOGY_GRAPH, GAZETTEER_GRAPH, DOC_A, DOC_B} <= graphs


def test_turtle_with_ontology_parses_with_rdflib(store):
    graph = rdflib.Graph().parse(data=dump(store, "turtle", include_schema=True), format="turtle")
    assert (rdflib.URIRef(VG.Policy.value), rdflib.RDF.type, rdflib.OWL.Class) in graph


def test_document_export_holds_only_that_article(store):
    quads = list(ox.parse(dump(store, "nquads", graphs=[DOC_B]), format=ox.RdfFormat.N_QUADS))
    assert {q.graph_name for q in quads} == {DOC_B}
    assert len(quads) == sum(1 for _ in store.quads(DOC_B))


def test_company_export_holds_its_policies_from_every_article(store):
    quads = list(ox.parse(dump(store, "nquads", company=AMAZON), format=ox.RdfFormat.N_QUADS))
    graphs_of_policy = {q.graph_name for q in quads if q.subject == AMAZON_POLICY}
    assert graphs_of_policy == {DOC_A, DOC_B}


def test_company_export_leaves_out_other_companies_policies(store):
    quads = list(ox.parse(dump(store, "nquads", company=AMAZON), format=ox.RdfFormat.N_QUADS))
    assert not any(q.object == IBM for q in quads)
    assert not any("ibm-withdrawal" in q.subject.value for q in quads)


def test_company_export_keeps_the_evidence_and_its_document(store):
    triples = {(t.subject, t.predicate, t.object) for t in ox.parse(dump(store, "turtle", company=IBM),
                                                                    format=ox.RdfFormat.TURTLE)}
    evidence = [s for s, p, o in triples if p == VG.supports and "ibm-withdrawal" in o.value]
    assert evidence
    assert any(s == DOC_B and o == VG.Document for s, _, o in triples)


def test_company_export_names_the_actors_its_facts_refer_to(store):
    triples = list(ox.parse(dump(store, "turtle", company=AMAZON), format=ox.RdfFormat.TURTLE))
    thorn = ox.NamedNode("https://w3id.org/vigie/id/advocate/thorn")
    assert any(t.subject == thorn and t.object == VG.Advocate for t in triples)


def test_empty_store_exports_a_parseable_turtle_file():
    data = dump(build_store(schema=False, articles=False), "turtle")
    assert list(ox.parse(data, format=ox.RdfFormat.TURTLE)) == []
    assert len(rdflib.Graph().parse(data=data, format="turtle")) == 0


def test_jsonld_uses_the_published_context(store):
    document = json.loads(dump(store, "jsonld"))
    with open(export.ontology.path(export.CONTEXT_FILE), encoding="utf-8") as handle:
        published = json.load(handle)["@context"]
    assert document["@context"] == published


def test_jsonld_is_compact_and_readable(store):
    document = json.loads(dump(store, "jsonld"))
    graph_a = next(g for g in document["@graph"] if g["@id"] == "document:001_article_a")
    policy = next(n for n in graph_a["@graph"] if n["@id"] == "policy:amazon-moratorium-facial-recognition")
    assert policy["@type"] == ["vg:Policy"]
    assert policy["issuedBy"] == "company:amazon"
    assert policy["duration"] == "P1Y"
    evidence = next(n for n in graph_a["@graph"] if n.get("@type") == ["vg:Evidence"])
    assert isinstance(evidence["start"], int)


def test_every_export_format_has_a_name_users_can_type():
    assert set(EXPORT_FORMATS) == {"turtle", "trig", "nquads", "ntriples", "jsonld"}
    for name in EXPORT_FORMATS:
        rdf_format(name)


def test_union_triples_give_each_subject_one_run(store):
    subjects = [t.subject.value for t in export.union_triples(store, [DOC_A, DOC_B])]
    runs = [s for i, s in enumerate(subjects) if i == 0 or subjects[i - 1] != s]
    assert Counter(runs).most_common(1)[0][1] == 1


def test_union_triples_put_the_type_first_in_each_block(store):
    triples = list(export.union_triples(store, [DOC_A, DOC_B]))
    firsts = [t for i, t in enumerate(triples) if i == 0 or triples[i - 1].subject != t.subject]
    assert all(t.predicate.value.endswith("#type") for t in firsts)


@pytest.mark.parametrize("name", ["turtle", "trig", "jsonld"])
def test_export_is_the_same_from_an_embedded_store_and_a_sparql_server(store_backend, name):
    db = store_backend.open()
    db.load_schema()
    for extraction in (extraction_a(), extraction_b()):
        quads = extraction_to_quads(extraction)
        db.replace_graphs({quads[0].graph_name: quads})
    out = io.BytesIO()
    export.dump(db, out, rdf_format(name))
    expected = dump(build_store(), name)
    assert_same_graphs(oxigraph_graphs(out.getvalue(), name), oxigraph_graphs(expected, name))


def test_company_export_is_the_same_from_a_sparql_server(store_backend):
    db = store_backend.open()
    for extraction in (extraction_a(), extraction_b()):
        quads = extraction_to_quads(extraction)
        db.replace_graphs({quads[0].graph_name: quads})
    out = io.BytesIO()
    export.dump(db, out, ox.RdfFormat.N_QUADS, company=AMAZON)
    expected = dump(build_store(), "nquads", company=AMAZON)
    assert_same_graphs(oxigraph_graphs(out.getvalue(), "nquads"), oxigraph_graphs(expected, "nquads"))


@pytest.mark.parametrize("name", DATASET_FORMATS)
def test_export_with_the_ontology_round_trips_language_tags_and_schema_graphs(store, name):
    data = dump(store, name, include_schema=True)
    expected = expected_graphs(store, export.select_graphs(store, include_schema=True))
    assert_same_graphs(rdflib_graphs(data, name), expected)
    assert_same_graphs(oxigraph_graphs(data, name), expected)
