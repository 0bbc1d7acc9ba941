"""Helpers for the web tests: a small store built from hand-written facts over two real seed articles.

The facts are what a careful reader finds in ``seeds/001`` (Amazon's moratorium) and ``seeds/000``
(Microsoft's refusal), written by hand so the web pages can be tested without the extractors, plus one
hostile article whose title and text carry markup that must come out escaped.
"""

from __future__ import annotations

from pathlib import Path

from extractors.documents import document_from_text, read_document
from extractors.facts import (
    Actor,
    ActorRef,
    Document,
    Evidence,
    Extraction,
    Policy,
    PolicyException,
    Statement,
)
from extractors.rdf import extraction_to_quads
from vigie.store import Store

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

AMAZON = ActorRef("company", "amazon")
MICROSOFT = ActorRef("company", "microsoft")
IBM = ActorRef("company", "ibm")
MARINUS = ActorRef("company", "marinus-analytics")
ACLU = ActorRef("advocate", "aclu")
THORN = ActorRef("advocate", "thorn")
ICMEC = ActorRef("advocate", "icmec")
CONGRESS = ActorRef("legislature", "us-congress")

HOSTILE_TITLE = "<script>alert('titre')</script> Amazon & co"


def evidence(doc: Document, fragment: str, extractor: str, confidence: float = 0.9) -> Evidence:
    """Evidence for the sentence of ``doc`` that holds ``fragment`` (offsets into the original text)."""
    start = doc.text.index(fragment)
    return Evidence(fragment, start, start + len(fragment), extractor, confidence)


def amazon_article() -> Extraction:
    doc = read_document(SEEDS / "001_311bd3e3553eda90.txt")
    announce = evidence(
        doc,
        "Le 10 juin, Amazon a annoncé interdire pendant un an à la police d’utiliser son logiciel de "
        "reconnaissance faciale Rekognition",
        "policies",
    )
    moratorium = evidence(
        doc,
        "Nous mettons en place un moratoire d'un an sur l'utilisation par la police de la technologie de "
        "reconnaissance faciale d'Amazon.",
        "policies",
    )
    allowed = evidence(
        doc,
        "Nous continuerons à permettre à des organisations comme Thorn, le Centre international pour les "
        "enfants disparus et exploités, et Marinus Analytics d'utiliser Amazon Rekognition pour aider à "
        "sauver les victimes de la traite des êtres humains et à réunir les enfants disparus avec leurs familles",
        "exceptions",
    )
    ibm = evidence(doc, "IBM, annonçant son retrait du marché de la reconnaissance faciale", "policies", 0.7)
    demand = evidence(
        doc,
        "Amazon doit s'engager à respecter un moratoire général sur l'utilisation de la reconnaissance "
        "faciale par les forces de l'ordre",
        "actors",
    )
    ask_ms = evidence(doc, "Nicole Ozer a également demandé à Microsoft et à d’autres sociétés de faire de même",
                      "actors")
    return Extraction(
        document=doc,
        actors=[
            Actor(AMAZON, "Amazon", {"AWS"}, wikidata="Q3884", known=True, evidence=[announce]),
            Actor(IBM, "IBM", known=True, evidence=[ibm]),
            Actor(MICROSOFT, "Microsoft", known=True, evidence=[ask_ms]),
            Actor(MARINUS, "Marinus Analytics", known=True, evidence=[allowed]),
            Actor(ACLU, "ACLU", {"Union américaine pour les libertés civiles"}, wikidata="Q21637", known=True,
                  evidence=[evidence(doc, "L’Union américaine pour les libertés civiles (ACLU)", "entities")]),
            Actor(THORN, "Thorn", known=True, evidence=[allowed]),
            Actor(ICMEC, "ICMEC", {"Centre international pour les enfants disparus et exploités"}, known=True,
                  evidence=[allowed]),
            Actor(CONGRESS, "US Congress", {"Congrès"}, known=True, evidence=[
                evidence(doc, "le Congrès semble prêt à relever ce défi", "entities")]),
            Actor(ActorRef("person", "nicole-ozer"), "Nicole Ozer", affiliation=ACLU,
                  role="directrice de la technologie et des libertés civiles", evidence=[ask_ms]),
            Actor(ActorRef("product", "rekognition"), "Rekognition", made_by=AMAZON, evidence=[announce]),
        ],
        policies=[
            Policy(
                "amazon", "moratorium", "facial-recognition", products=["rekognition"],
                restricted_users=["law-enforcement"], jurisdiction="US", duration="P1Y",
                announced="2020-06-10", awaits_legislature="us-congress",
                exceptions=[
                    PolicyException("human-trafficking", [THORN, ICMEC, MARINUS],
                                    "sauver les victimes de la traite des êtres humains", [allowed]),
                    PolicyException("missing-children", [THORN, ICMEC, MARINUS],
                                    "réunir les enfants disparus avec leurs familles", [allowed]),
                ],
                evidence=[announce, moratorium],
            ),
            Policy("ibm", "withdrawal", "facial-recognition", evidence=[ibm]),
        ],
        statements=[
            Statement(ACLU, [AMAZON, CONGRESS], demand.quote, [demand]),
            Statement(ACLU, [MICROSOFT], ask_ms.quote, [ask_ms]),
        ],
    )


def microsoft_article() -> Extraction:
    doc = read_document(SEEDS / "000_9416cb79d778b375.txt")
    both = evidence(
        doc,
        "les deux firmes ont tout simplement retiré leur technologie de reconnaissance faciale de la "
        "commercialisation pour les forces de l’ordre.",
        "policies",
    )
    ms = evidence(
        doc,
        "D’après Microsoft, ses services ne seront plus disponibles à moins qu’il n’y ait une nouvelle "
        "législation fédérale basée avant tout sur les droits humains.",
        "policies",
    )
    return Extraction(
        document=doc,
        actors=[
            Actor(MICROSOFT, "Microsoft", known=True, evidence=[ms]),
            Actor(AMAZON, "Amazon", {"la firme de Jeff Bezos"}, known=True, evidence=[both]),
        ],
        policies=[
            Policy("microsoft", "sales-refusal", "facial-recognition", restricted_users=["law-enforcement"],
                   jurisdiction="US", awaits_legislature="us-congress",
                   condition="à moins qu’il n’y ait une nouvelle législation fédérale", evidence=[both, ms]),
            Policy("amazon", "moratorium", "facial-recognition", restricted_users=["law-enforcement"],
                   jurisdiction="US", evidence=[both]),
        ],
    )


def hostile_article() -> Extraction:
    text = (
        f"{HOSTILE_TITLE}\n2020-06-12\n\n"
        "La société Évil a annoncé <b>refuser</b> de vendre sa reconnaissance faciale à la police "
        "<img src=x onerror=alert(1)>.\n"
    )
    doc = document_from_text(text, "hostile-doc")
    sentence = evidence(doc, "La société Évil a annoncé <b>refuser</b> de vendre sa reconnaissance faciale",
                        "policies")
    return Extraction(
        document=doc,
        actors=[Actor(ActorRef("company", "evil-corp"), "Évil <Corp>", {"\"Evil\" & Co"}, evidence=[sentence])],
        policies=[Policy("evil-corp", "sales-refusal", "facial-recognition",
                         restricted_users=["law-enforcement"], announced="2020-06-12", evidence=[sentence])],
    )


def build_web_store(path: Path | None = None) -> Store:
    """A store with the schema graphs and the three hand-made articles."""
    store = Store(path)
    store.load_schema()
    for extraction in (amazon_article(), microsoft_article(), hostile_article()):
        quads = extraction_to_quads(extraction)
        store.replace_graphs({quads[0].graph_name: quads})
    store.flush()
    return store
