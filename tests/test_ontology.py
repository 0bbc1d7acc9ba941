"""The ontology files parse, declare what the product needs, and the shapes load."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, SKOS

import ontology
from ontology.iris import is_slug, mint, slugify, split
from ontology.namespaces import VG

VGNS = rdflib.Namespace(str(VG))


@pytest.mark.parametrize("name", [ontology.ONTOLOGY, ontology.VOCABULARIES, ontology.GAZETTEER, ontology.SHAPES])
def test_each_ontology_file_is_valid_turtle(name):
    assert len(rdflib.Graph().parse(ontology.path(name), format="turtle")) > 50


@pytest.mark.parametrize(
    "cls", ["Company", "Policy", "Exception", "Advocate", "Legislature", "Document", "Product", "Person", "Evidence"]
)
def test_ontology_declares_each_class_with_french_and_english_labels(cls):
    graph = rdflib.Graph().parse(ontology.path(ontology.ONTOLOGY))
    assert (VGNS[cls], RDF.type, OWL.Class) in graph
    languages = {label.language for label in graph.objects(VGNS[cls], rdflib.RDFS.label)}
    assert {"fr", "en"} <= languages


@pytest.mark.parametrize(
    ("scheme", "notations"),
    [
        ("PolicyTypeScheme", {"moratorium", "sales-refusal", "withdrawal", "restriction"}),
        ("UserGroupScheme", {"law-enforcement", "military", "government", "private-companies", "schools", "employers"}),
    ],
)
def test_vocabulary_scheme_holds_the_controlled_values(scheme, notations):
    graph = rdflib.Graph().parse(ontology.path(ontology.VOCABULARIES))
    found = {str(graph.value(c, SKOS.notation)) for c in graph.subjects(SKOS.inScheme, VGNS[scheme])}
    assert found == notations


def test_every_concept_has_a_french_label_and_a_unique_notation():
    graph = rdflib.Graph().parse(ontology.path(ontology.VOCABULARIES))
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    notations = [str(graph.value(c, SKOS.notation)) for c in concepts]
    assert len(notations) == len(set(notations))
    for concept in concepts:
        assert any(label.language == "fr" for label in graph.objects(concept, SKOS.prefLabel)), concept


def test_shapes_load_as_a_shacl_graph():
    graph = rdflib.Graph().parse(ontology.path(ontology.SHAPES))
    shapes = set(graph.subjects(RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#NodeShape")))
    assert len(shapes) >= 6


def test_gazetteer_entities_have_one_label_each():
    graph = ox.Store()
    graph.load(path=str(ontology.path(ontology.GAZETTEER)), format=ox.RdfFormat.TURTLE)
    rows = graph.query(
        "SELECT ?e (COUNT(?l) AS ?n) WHERE { ?e <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } GROUP BY ?e"
    )
    counts = [int(row["n"].value) for row in rows]
    assert counts and all(n == 1 for n in counts)


def test_slugify_removes_accents_and_punctuation():
    assert slugify("Union américaine pour les libertés civiles") == "union-americaine-pour-les-libertes-civiles"
    assert slugify("Clearview.ai") == "clearview-ai"


def test_mint_refuses_what_is_not_a_slug():
    for bad in ["amazon> <x", "a b", "", "{x}", "é"]:
        with pytest.raises(ValueError):
            mint("company", bad)


def test_minted_iri_splits_back_into_kind_and_slug():
    iri = mint("legislature", "us-congress")
    assert split(iri.value) == ("legislature", "us-congress")
    assert is_slug("us-congress") and not is_slug("US Congress")
