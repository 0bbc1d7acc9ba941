"""SHACL validation of Vigie graphs against ``ontology/shapes.ttl`` with pyshacl.

The data graph is the union of the graphs checked (an article's graph for ``vigie ingest --validate``,
every article's graph for ``vigie validate``) and of the gazetteer, as the store's queries see them:
shared nodes such as a policy reported by four articles are checked once, with everything the
articles say about them, and a known actor the article only refers to is typed by the gazetteer.

The report lists each violation on one line — the node (in Vigie's compact names), the property, the
shape's message, the offending value and the article(s) the node comes from — so that a reader can
go straight to the fact at fault.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import pyoxigraph as ox
import rdflib

import ontology
from extractors.facts import Extraction

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Violation:
    """One SHACL result: the focus node, the property path, the message and the offending value."""

    focus: str
    path: str | None
    message: str
    value: str | None
    constraint: str
    severity: str = "Violation"
    documents: tuple[str, ...] = ()

    def line(self) -> str:
        """One readable line: ``policy:x  vg:issuedBy: A policy has exactly one issuing company. [MinCount]``."""
        from vigie.export import compact

        text = compact(self.focus)
        if self.path:
            text += f"  {self.path}"
        text += f": {self.message}"
        if self.value is not None:
            text += f" (value: {self.value})"
        text += f" [{self.constraint}]"
        if self.documents:
            text += "  in " + ", ".join(compact(d) for d in self.documents)
        return text


@dataclass
class ValidationReport:
    conforms: bool
    text: str  # pyshacl's own report, complete
    violations: int
    results: list[Violation] = field(default_factory=list)

    def summary(self, limit: int = 50) -> str:
        """A readable report: a count per message, then one line per violation (at most ``limit``)."""
        if self.conforms:
            return "conforms to ontology/shapes.ttl"
        lines = [f"{self.violations} violation(s) of ontology/shapes.ttl"]
        for message, count in Counter(r.message for r in self.results).most_common():
            lines.append(f"  {count:>5} × {message}")
        lines.append("")
        for result in self.results[:limit]:
            lines.append("  " + result.line())
        if len(self.results) > limit:
            lines.append(f"  … and {len(self.results) - limit} more")
        return "\n".join(lines)


@cache
def _shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology.path(ontology.SHAPES), format="turtle")


def _short(node) -> str | None:
    from vigie.export import compact

    if node is None:
        return None
    if isinstance(node, rdflib.URIRef):
        return compact(str(node))
    if isinstance(node, rdflib.BNode):
        return None
    text = str(node) if len(str(node)) <= 60 else str(node)[:57] + "…"
    if node.language:
        return f'"{text}"@{node.language}'
    datatype = str(node.datatype) if node.datatype else None
    if datatype in (None, str(rdflib.XSD.string)):
        return f'"{text}"'
    if datatype in (str(rdflib.XSD.integer), str(rdflib.XSD.decimal)):
        return text
    return f'"{text}"^^{compact(datatype)}'


def _path_text(results: rdflib.Graph, path) -> str | None:
    if path is None:
        return None
    if isinstance(path, rdflib.URIRef):
        return _short(path)
    inverse = results.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{_short(inverse)}"
    return path.n3()


_FOCUS_ARROW = re.compile(r"(?:<[^<>\s]+>|\S+:\S+)->")
_IRI = re.compile(r"<([^<>\s]+)>")


def _message(message) -> str:
    """The shape's message, or pyshacl's default one made readable and the same for every node:
    ``Less than 1 values on <…/evidence/x-3>->vg:start`` becomes ``Less than 1 values on vg:start``."""
    from vigie.export import compact

    if message is None:
        return "constraint not met"
    text = _FOCUS_ARROW.sub("", str(message))
    return _IRI.sub(lambda m: compact(m.group(1)), text)


def validate_graph(graph: rdflib.Graph) -> ValidationReport:
    """Validate an rdflib graph against the shapes."""
    import pyshacl

    conforms, results, text = pyshacl.validate(graph, shacl_graph=_shapes(), inference="none", advanced=True)
    violations = []
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        message = results.value(result, SH.resultMessage)
        constraint = results.value(result, SH.sourceConstraintComponent)
        severity = results.value(result, SH.resultSeverity)
        violations.append(Violation(
            focus=str(results.value(result, SH.focusNode)),
            path=_path_text(results, results.value(result, SH.resultPath)),
            message=_message(message),
            value=_short(results.value(result, SH.value)),
            constraint=str(constraint).rsplit("#", 1)[-1].removesuffix("ConstraintComponent") if constraint else "?",
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
        ))
    violations.sort(key=lambda v: (v.focus, v.path or "", v.message))
    return ValidationReport(bool(conforms), str(text), len(violations), violations)


@cache
def _gazetteer() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology.path(ontology.GAZETTEER), format="turtle")


def validate_ntriples(data: bytes, *, with_gazetteer: bool = True) -> ValidationReport:
    """Validate a graph given as N-Triples (the union of the graphs to check).

    ``with_gazetteer``: a known actor the data refers to without describing it (a policy that awaits
    ``legislature:us-congress`` in an article that never names the Congress) is described by the
    gazetteer (``ontology/entities.ttl``, a graph of every store), as the store's queries see it. Actors
    the data does describe are checked as described; unknown ones must be described by the articles.
    """
    graph = rdflib.Graph()
    graph.parse(data=data, format="nt")
    if with_gazetteer:
        gazetteer = _gazetteer()
        referenced = {o for o in graph.objects() if isinstance(o, rdflib.URIRef)}
        for entity in set(gazetteer.subjects(rdflib.RDF.type, None)) & referenced:
            if (entity, None, None) not in graph:
                for triple in gazetteer.triples((entity, None, None)):
                    graph.add(triple)
    return validate_graph(graph)


def validate_quads(quads: Iterable[ox.Quad], *, with_gazetteer: bool = True) -> ValidationReport:
    """Validate quads as one graph (named graphs merged), with the gazetteer beside them by default."""
    triples = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    return validate_ntriples(data, with_gazetteer=with_gazetteer)


def validate_store(
    store, graphs: list[ox.NamedNode] | None = None, *, with_gazetteer: bool = True
) -> ValidationReport:
    """Validate the union of ``graphs`` (default: every article's graph) of a Vigie store, with the
    gazetteer beside them (see :func:`validate_ntriples`).

    Each violation names the article graphs its focus node appears in as a subject.
    """
    graphs = store.document_graphs() if graphs is None else graphs
    report = validate_quads((q for graph in graphs for q in store.quads(graph)), with_gazetteer=with_gazetteer)
    wanted = set(graphs)
    located = []
    for violation in report.results:
        if violation.focus.startswith(("http://", "https://")):
            node = ox.NamedNode(violation.focus)
            documents = sorted({q.graph_name.value for q in store.quads(None, subject=node)
                                if q.graph_name in wanted})
            violation = Violation(**{**violation.__dict__, "documents": tuple(documents)})
        located.append(violation)
    report.results = located
    return report


def article_checker():
    """A ``validate`` callback for :func:`vigie.ingest.ingest_paths`: the reason an article fails, or None."""

    def check(_extraction: Extraction, quads: list) -> str | None:
        report = validate_quads(quads)
        if report.conforms:
            return None
        first = report.results[0].line() if report.results else report.text.splitlines()[0]
        return f"{report.violations} SHACL violation(s); first: {first}"

    return check
