"""SHACL validation of Vigie graphs against ``ontology/shapes.ttl`` with pyshacl."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox
import rdflib

import ontology
from extractors.facts import Extraction


@dataclass
class ValidationReport:
    conforms: bool
    text: str
    violations: int


@cache
def _shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology.path(ontology.SHAPES), format="turtle")


@cache
def _vocabularies() -> bytes:
    # The data is validated together with the vocabularies and gazetteer it points into.
    return ontology.read(ontology.VOCABULARIES).encode() + b"\n"


def validate_ntriples(data: bytes) -> ValidationReport:
    """Validate a graph given as N-Triples (the union of the graphs to check)."""
    import pyshacl

    graph = rdflib.Graph()
    graph.parse(data=data, format="nt")
    conforms, results, text = pyshacl.validate(graph, shacl_graph=_shapes(), inference="none", advanced=True)
    violations = len(list(results.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#ValidationResult"))))
    return ValidationReport(bool(conforms), str(text), violations)


def validate_quads(quads) -> ValidationReport:
    """Validate quads as one graph (named graphs merged)."""
    triples = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
    return validate_ntriples(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")


def article_checker():
    """A ``validate`` callback for :func:`vigie.ingest.ingest_paths`: the reason an article fails, or None."""

    def check(_extraction: Extraction, quads: list) -> str | None:
        report = validate_quads(quads)
        if report.conforms:
            return None
        first = next((line.strip() for line in report.text.splitlines() if "Message:" in line), "")
        return f"{report.violations} violation(s); {first}"

    return check
