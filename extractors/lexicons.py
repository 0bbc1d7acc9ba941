"""The lexicons: SKOS vocabularies (``vocab.ttl``) and the gazetteer (``entities.ttl``) as matcher data.

Everything the extractors know by name comes from these two Turtle files, read once per process.
The ``vigie_concepts`` component marks vocabulary mentions (technologies, user groups, purposes,
jurisdictions) as ``doc.spans["vigie_concepts"]`` with labels ``"<scheme>:<notation>"``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy
import pyoxigraph
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.util import filter_spans

import ontology

VG = "https://w3id.org/vigie/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
WIKIDATA = "http://www.wikidata.org/entity/"
DCTERMS_SUBJECT = "http://purl.org/dc/terms/subject"

#: Concept schemes of vocab.ttl, by the short name used in span labels.
SCHEMES = {
    "type": VG + "PolicyTypeScheme",
    "users": VG + "UserGroupScheme",
    "tech": VG + "TechnologyScheme",
    "purpose": VG + "ExceptionPurposeScheme",
    "juris": VG + "JurisdictionScheme",
    "event": VG + "PolicyEventScheme",  # a policy's life (extractors.history), not marked as concepts
    "end": VG + "PolicyEndScheme",
}
#: Schemes whose labels are read by their own matchers (policy triggers, policy events), not marked as concepts.
NOT_CONCEPTS = ("type", "event", "end")
#: Gazetteer classes, by actor kind.
KINDS = {VG + "Company": "company", VG + "Advocate": "advocate", VG + "Legislature": "legislature",
         VG + "Product": "product"}

CONCEPT_SPANS = "vigie_concepts"


@dataclass(frozen=True)
class Concept:
    """One SKOS concept: its scheme short name, notation (slug) and French labels (pref first)."""

    scheme: str
    notation: str
    labels: tuple[str, ...]
    iri: str = ""


@dataclass
class Entry:
    """One gazetteer entity."""

    kind: str
    key: str
    label: str
    aliases: list[str] = field(default_factory=list)
    wikidata: str | None = None
    made_by: str | None = None  # for products: company key
    technology: str | None = None  # for products: notation of the technology (dcterms:subject)
    contextual_names: list[str] = field(default_factory=list)  # vg:contextualName: "X", as written
    context_words: list[str] = field(default_factory=list)  # vg:contextWord: what makes those names count


@dataclass
class Lexicons:
    concepts: list[Concept]
    entries: dict[tuple[str, str], Entry]

    def scheme(self, name: str) -> list[Concept]:
        return [c for c in self.concepts if c.scheme == name]


def _literal_values(store: pyoxigraph.Store, subject: pyoxigraph.NamedNode, predicate: str,
                    languages: tuple[str | None, ...]) -> list[str]:
    values = []
    for quad in store.quads_for_pattern(subject, pyoxigraph.NamedNode(predicate), None):
        obj = quad.object
        if isinstance(obj, pyoxigraph.Literal) and obj.language in languages:
            values.append(obj.value)
    return sorted(values)


@lru_cache(maxsize=1)
def load_lexicons() -> Lexicons:
    """Read vocab.ttl and entities.ttl (cached: once per process)."""
    store = pyoxigraph.Store()
    for name in (ontology.VOCABULARIES, ontology.GAZETTEER):
        with open(ontology.path(name), "rb") as handle:
            store.bulk_load(handle, pyoxigraph.RdfFormat.TURTLE, to_graph=pyoxigraph.DefaultGraph())
    in_scheme = pyoxigraph.NamedNode(SKOS + "inScheme")
    concepts: list[Concept] = []
    for short, scheme in SCHEMES.items():
        for quad in store.quads_for_pattern(None, in_scheme, pyoxigraph.NamedNode(scheme)):
            subject = quad.subject
            notation = _literal_values(store, subject, SKOS + "notation", (None,))
            pref = _literal_values(store, subject, SKOS + "prefLabel", ("fr",))
            alt = _literal_values(store, subject, SKOS + "altLabel", ("fr", "en"))
            if notation:
                concepts.append(Concept(short, notation[0], tuple(dict.fromkeys(pref + alt)), subject.value))
    entries: dict[tuple[str, str], Entry] = {}
    notations = {}
    for quad in store.quads_for_pattern(None, pyoxigraph.NamedNode(SKOS + "notation"), None):
        notations[quad.subject.value] = quad.object.value
    rdf_type = pyoxigraph.NamedNode(RDF_TYPE)
    for cls, kind in KINDS.items():
        for quad in store.quads_for_pattern(None, rdf_type, pyoxigraph.NamedNode(cls)):
            subject = quad.subject
            key = subject.value.rstrip("/").rsplit("/", 1)[1]
            labels = _literal_values(store, subject, SKOS + "prefLabel", (None, "fr", "en"))
            aliases = _literal_values(store, subject, SKOS + "altLabel", (None, "fr", "en"))
            wikidata = None
            for same in store.quads_for_pattern(subject, pyoxigraph.NamedNode(OWL_SAME_AS), None):
                if same.object.value.startswith(WIKIDATA):
                    wikidata = same.object.value[len(WIKIDATA):]
            made_by = None
            for maker in store.quads_for_pattern(subject, pyoxigraph.NamedNode(VG + "madeBy"), None):
                made_by = maker.object.value.rsplit("/", 1)[1]
            technology = None
            for topic in store.quads_for_pattern(subject, pyoxigraph.NamedNode(DCTERMS_SUBJECT), None):
                technology = notations.get(topic.object.value)
            entries[(kind, key)] = Entry(kind, key, labels[0] if labels else key, aliases, wikidata, made_by,
                                         technology, _literal_values(store, subject, VG + "contextualName", (None,)),
                                         _literal_values(store, subject, VG + "contextWord", (None, "fr", "en")))
    concepts.sort(key=lambda c: (c.scheme, c.notation))
    return Lexicons(concepts, entries)


def hash_ids(strings: Iterable[str]) -> numpy.ndarray:
    """The spaCy hashes of ``strings``, sorted, for :func:`among`."""
    return numpy.array(sorted({get_string_id(s) for s in strings}), dtype="uint64")


def among(values: numpy.ndarray, ids: numpy.ndarray) -> numpy.ndarray:
    """Which of ``values`` (a column of ``Doc.to_array``) are in ``ids`` (from :func:`hash_ids`).

    A binary search per token: ``numpy.isin`` sorts both arrays on every call, which cost more than the rest.
    """
    if not len(ids):
        return numpy.zeros(len(values), dtype=bool)
    found = numpy.searchsorted(ids, values)
    return ids[numpy.minimum(found, len(ids) - 1)] == values


_APOSTROPHES = re.compile(r"['’]")


def variants(label: str) -> set[str]:
    """Surface variants of a label that differ only by apostrophe or hyphen typography."""
    out = {label}
    if _APOSTROPHES.search(label):
        out |= {_APOSTROPHES.sub("'", label), _APOSTROPHES.sub("’", label)}
    if "É" in label or "é" in label[:1]:
        out.add(label.replace("É", "E"))
    return out


def phrase_patterns(nlp: Language, labels: Iterable[str]) -> list[Doc]:
    """Tokenised pattern docs (tokenizer only: matching is on LOWER)."""
    texts = sorted({v for label in labels for v in variants(label)})
    return [nlp.make_doc(text) for text in texts]


_ARTICLES = {"le", "la", "les", "l'", "l’"}
_DE = {"de", "des", "du", "d'", "d’"}
_A = {"à", "au", "aux"}


def inflections(word: str) -> set[str]:
    """Forms a lexicon word may take in text: gender/number endings, article and contraction variants."""
    w = word.lower()
    for group in (_ARTICLES, _DE, _A):
        if w in group:
            return set(group)
    if not w.isalpha() or len(w) < 3:
        return {w, *variants(w)}
    forms = {w, w + "s", w + "x", w + "e", w + "es"}
    if w.endswith("e"):
        forms |= {w[:-1], w[:-1] + "s"}
    if w.endswith("al"):
        forms.add(w[:-2] + "aux")
    if w.endswith("aux"):
        forms |= {w[:-3] + "al", w[:-3] + "ale", w[:-3] + "ales"}
    return forms


def token_patterns(nlp: Language, label: str) -> list[list[dict]]:
    """Matcher patterns for a lexicon label, one per apostrophe variant, tolerant to inflection."""
    patterns = []
    for text in sorted(variants(label)):
        words = [t.text for t in nlp.make_doc(text)]
        # an article inside a label may be left out ("générée par l'IA", "générée par IA"), not a first one
        optional = [bool(i) and w.lower() in _ARTICLES for i, w in enumerate(words)]
        patterns.append([{"LOWER": {"IN": sorted(inflections(w))}, **({"OP": "?"} if skip else {})}
                         for w, skip in zip(words, optional, strict=True)])
    return patterns


def _forms(token_pattern: dict) -> list[str | None]:
    """The lower-cased forms a token pattern accepts; ``None`` stands for the token left out."""
    forms: list[str | None] = [f for f in token_pattern["LOWER"]["IN"] if f == f.lower()]
    return [*forms, None] if token_pattern.get("OP") == "?" else forms


@Language.factory("vigie_concepts")
def make_concepts(nlp: Language, name: str) -> VocabularyMatcher:
    return VocabularyMatcher(nlp)


class VocabularyMatcher:
    """Marks mentions of vocabulary concepts (all schemes but policy types, which are triggers).

    Labels are matched word by word on lower-cased forms, tolerant to gender, number and article
    variants, so ``forces de l'ordre`` in the lexicon finds ``force de l’ordre`` in the text without
    depending on the statistical lemmatizer.
    """

    def __init__(self, nlp: Language) -> None:
        # The token patterns (one set of lower-cased forms per word) are expanded into every phrase they
        # accept, for a PhraseMatcher: the same matches as a Matcher of ``{"LOWER": {"IN": forms}}``
        # patterns, but a hash lookup per token instead of every pattern's set predicate on every token
        # (that Matcher took about a quarter of the extraction time; see BENCHMARKS.md).
        lex = load_lexicons()
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for concept in lex.concepts:
            if concept.scheme in NOT_CONCEPTS:
                continue
            phrases = [
                Doc(nlp.vocab, words=[w for w in words if w is not None])
                for label in concept.labels
                for pattern in token_patterns(nlp, label)
                for words in itertools.product(*(_forms(t) for t in pattern))
            ]
            self.matcher.add(f"{concept.scheme}:{concept.notation}", phrases)

    def __call__(self, doc: Doc) -> Doc:
        spans = self.matcher(doc, as_spans=True)
        kept = []
        for span in filter_spans(spans):
            # "violences policières": an adjective alone is not a user group (a country adjective is
            # a jurisdiction, so only user groups are filtered).
            # "groupes armés": nor is a participle read as a form of "armée".
            if len(span) == 1 and span[0].pos_ not in ("NOUN", "PROPN") and span.label_.startswith("users:"):
                continue
            kept.append(span)
        doc.spans[CONCEPT_SPANS] = kept
        return doc
