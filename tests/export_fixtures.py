"""Hand-made extractions written by the real ``extractors.rdf``: two articles reporting one Amazon
moratorium (so a policy node is shared across named graphs), an exception, an advocate's statement,
an IBM withdrawal, and the schema graphs. Used by the export and validation tests."""

from __future__ import annotations

import pyoxigraph as ox
import rdflib
from rdflib.compare import isomorphic

from extractors.documents import document_from_text
from extractors.facts import Actor, ActorRef, Evidence, Extraction, Policy, PolicyException, Statement
from extractors.rdf import extraction_to_quads
from vigie.formats import rdf_format
from vigie.store import Store

#: rdflib's parser names for the export formats.
RDFLIB_NAMES = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "ntriples": "nt", "jsonld": "json-ld"}

TEXT_A = (
    "Amazon suspend la reconnaissance faciale pour la police\n"
    "10 juin 2020\n\n"
    "Le 10 juin, Amazon a annoncé interdire pendant un an à la police l'utilisation de Rekognition. "
    "L'entreprise continuera à permettre à Thorn de l'utiliser contre la traite des êtres humains. "
    "L'ACLU appelle le Congrès à légiférer.\n"
)
TEXT_B = (
    "IBM renonce à la reconnaissance faciale\n"
    "8 juin 2020\n\n"
    "IBM a annoncé se retirer du marché de la reconnaissance faciale. "
    "Amazon a de son côté suspendu pour un an la vente de Rekognition à la police.\n"
)

AMAZON = ActorRef("company", "amazon")
IBM = ActorRef("company", "ibm")
THORN = ActorRef("advocate", "thorn")
ACLU = ActorRef("advocate", "aclu")
CONGRESS = ActorRef("legislature", "us-congress")
REKOGNITION = ActorRef("product", "rekognition")


def _ev(text: str, fragment: str, extractor: str = "policies") -> Evidence:
    start = text.index(fragment)
    return Evidence(fragment, start, start + len(fragment), extractor, 0.9)


def extraction_a() -> Extraction:
    doc = document_from_text(TEXT_A, "001_article_a")
    t = doc.text
    sentence = "Le 10 juin, Amazon a annoncé interdire pendant un an à la police l'utilisation de Rekognition."
    return Extraction(
        document=doc,
        actors=[
            Actor(AMAZON, "Amazon", {"AWS"}, wikidata="Q3884", known=True, evidence=[_ev(t, sentence, "entities")]),
            Actor(THORN, "Thorn", known=True, evidence=[_ev(t, "Thorn", "entities")]),
            Actor(ACLU, "ACLU", {"Union américaine pour les libertés civiles"}, known=True,
                  evidence=[_ev(t, "L'ACLU appelle le Congrès à légiférer.", "actors")]),
            Actor(CONGRESS, "Congrès des États-Unis", {"Congrès"}, known=True,
                  evidence=[_ev(t, "Congrès", "entities")]),
            Actor(REKOGNITION, "Rekognition", made_by=AMAZON, evidence=[_ev(t, "Rekognition", "entities")]),
        ],
        policies=[
            Policy(
                "amazon", "moratorium", "facial-recognition", products=["rekognition"],
                restricted_users=["law-enforcement"], jurisdiction="US", duration="P1Y", announced="2020-06-10",
                awaits_legislature="us-congress",
                exceptions=[PolicyException("human-trafficking", [THORN], "traite des êtres humains",
                                            [_ev(t, "contre la traite des êtres humains")])],
                evidence=[_ev(t, sentence)],
            )
        ],
        statements=[
            Statement(ACLU, [CONGRESS], "légiférer", [_ev(t, "L'ACLU appelle le Congrès à légiférer.", "actors")])
        ],
    )


def extraction_b() -> Extraction:
    doc = document_from_text(TEXT_B, "002_article_b")
    t = doc.text
    return Extraction(
        document=doc,
        actors=[
            Actor(IBM, "IBM", {"Big Blue"}, wikidata="Q37156", known=True,
                  evidence=[_ev(t, "IBM a annoncé", "entities")]),
            Actor(AMAZON, "Amazon", wikidata="Q3884", known=True,
                  evidence=[_ev(t, "Amazon a de son côté", "entities")]),
            Actor(REKOGNITION, "Rekognition", made_by=AMAZON, evidence=[_ev(t, "Rekognition", "entities")]),
        ],
        policies=[
            Policy("ibm", "withdrawal", "facial-recognition", announced="2020-06",
                   evidence=[_ev(t, "IBM a annoncé se retirer du marché de la reconnaissance faciale.")]),
            Policy("amazon", "moratorium", "facial-recognition", products=["rekognition"],
                   restricted_users=["law-enforcement"], duration="P1Y",
                   evidence=[_ev(t, "Amazon a de son côté suspendu pour un an la vente de Rekognition à la police.")]),
        ],
    )


def build_store(path=None, *, schema: bool = True, articles: bool = True) -> Store:
    """A store (in memory when ``path`` is None) holding the two articles, and the schema graphs."""
    store = Store(path)
    if schema:
        store.load_schema()
    for extraction in (extraction_a(), extraction_b()) if articles else ():
        quads = extraction_to_quads(extraction)
        store.replace_graphs({quads[0].graph_name: quads})
    return store


# ------------------------------------------------------------ comparing graphs


def to_rdflib_graph(triples) -> rdflib.Graph:
    """A pyoxigraph triple/quad iterable as an rdflib graph, via N-Triples (terms converted by a parser)."""
    data = ox.serialize((ox.Triple(t.subject, t.predicate, t.object) for t in triples), format=ox.RdfFormat.N_TRIPLES)
    return rdflib.Graph().parse(data=data or b"", format="nt")


def expected_graphs(store, graphs) -> dict[str, rdflib.Graph]:
    return {g.value: to_rdflib_graph(store.quads(g)) for g in graphs}


def rdflib_graphs(data: bytes, name: str) -> dict[str, rdflib.Graph]:
    dataset = rdflib.Dataset()
    dataset.parse(data=data, format=RDFLIB_NAMES[name])
    graphs = {}
    for context in dataset.graphs():
        if len(context):
            graphs[str(context.identifier)] = rdflib.Graph() + context
    return graphs


def oxigraph_graphs(data: bytes, name: str) -> dict[str, rdflib.Graph]:
    by_graph: dict[str, list] = {}
    for quad in ox.parse(data, format=rdf_format(name)):
        name = "" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        by_graph.setdefault(name, []).append(quad)
    return {g: to_rdflib_graph(quads) for g, quads in by_graph.items()}


def assert_same_graphs(actual: dict[str, rdflib.Graph], expected: dict[str, rdflib.Graph]) -> None:
    assert sorted(actual) == sorted(expected)
    for name, graph in expected.items():
        assert len(actual[name]) == len(graph), name
        assert isomorphic(actual[name], graph), name
