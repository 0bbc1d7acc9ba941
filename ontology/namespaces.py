"""Namespace objects for the vocabularies Vigie writes, in the manner of ``rdflib.namespace``.

``VG.Policy`` is a ``pyoxigraph.NamedNode``; ``str(VG)`` is the namespace IRI.
"""

from __future__ import annotations

import os

from pyoxigraph import NamedNode


class Namespace(str):
    """An IRI prefix whose attributes and items are ``NamedNode`` terms.

    Every public attribute is a term, including names that ``str`` would otherwise answer with a
    method (``DCTERMS.title``, ``DCTERMS.format``): use ``str(ns)`` for the prefix as text.
    """

    __slots__ = ()

    def term(self, name: str) -> NamedNode:
        return NamedNode(str.__add__(self, name))

    def __getattribute__(self, name: str):
        if name.startswith("_") or name == "term":
            return super().__getattribute__(name)
        return NamedNode(str.__add__(self, name))

    def __getitem__(self, name: str) -> NamedNode:  # type: ignore[override]
        return NamedNode(str.__add__(self, name))


#: Base of every instance IRI; override with VIGIE_BASE_IRI (must end with '/').
BASE_IRI = os.environ.get("VIGIE_BASE_IRI", "https://w3id.org/vigie/id/")

VG = Namespace("https://w3id.org/vigie/ontology#")
ID = Namespace(BASE_IRI)
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
SH = Namespace("http://www.w3.org/ns/shacl#")

#: Graph names of the ontology and vocabulary files inside the store.
ONTOLOGY_GRAPH = NamedNode("https://w3id.org/vigie/ontology")
VOCABULARY_GRAPH = NamedNode("https://w3id.org/vigie/vocab")
GAZETTEER_GRAPH = NamedNode(BASE_IRI + "graph/gazetteer")
CURATION_GRAPH = NamedNode(BASE_IRI + "graph/curation")

#: The prefixes Vigie uses in Turtle exports and SPARQL queries.
PREFIXES: dict[str, str] = {
    "vg": str(VG),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "schema": str(SCHEMA),
    "wd": str(WD),
    "company": BASE_IRI + "company/",
    "advocate": BASE_IRI + "advocate/",
    "legislature": BASE_IRI + "legislature/",
    "person": BASE_IRI + "person/",
    "product": BASE_IRI + "product/",
    "policy": BASE_IRI + "policy/",
    "exception": BASE_IRI + "exception/",
    "statement": BASE_IRI + "statement/",
    "evidence": BASE_IRI + "evidence/",
    "document": BASE_IRI + "document/",
    "extractor": BASE_IRI + "extractor/",
}
