"""Facts → RDF quads, in the named graph of the article they were read in.

The shape of the graph (documented in ``ontology/vigie.ttl`` and checked by ``ontology/shapes.ttl``):
a ``vg:Document`` with its metadata and original text; the actors it mentions with their labels;
``vg:Policy`` nodes shared across articles by IRI (company, type, technology); their
``vg:Exception``; advocates' ``vg:Statement``; and one ``vg:Evidence`` per fact and sentence.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from pyoxigraph import Literal, NamedNode, Quad

from extractors.facts import Actor, ActorRef, Evidence, Extraction, Policy, PolicyEvent, PolicyException, Statement
from extractors.lexicons import load_lexicons
from ontology.iris import mint, policy_slug
from ontology.namespaces import DCTERMS, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, VG, WD, XSD

_CLASS = {
    "company": VG.Company,
    "advocate": VG.Advocate,
    "legislature": VG.Legislature,
    "person": VG.Person,
    "product": VG.Product,
}
_POLICY_TYPES = {
    "moratorium": VG.Moratorium,
    "sales-refusal": VG.SalesRefusal,
    "withdrawal": VG.Withdrawal,
    "restriction": VG.Restriction,
}

#: Event types (notations of vg:PolicyEventScheme) → their concepts.
EVENT_TYPES = {
    "announced": VG.Announcement,
    "extended": VG.Extension,
    "widened": VG.Widening,
    "narrowed": VG.Narrowing,
    "lifted": VG.Lifting,
    "reinstated": VG.Reinstatement,
}


#: Around a condition's words: blanks and the sentence's own punctuation ("… solide ».\n").
_CONDITION_EDGES = " \t\n.;,:"


#: Schemes of the concepts a policy points to by notation (types and events have their own IRIs here).
_VALUE_SCHEMES = ("tech", "users", "purpose", "juris")


@lru_cache(maxsize=1)
def _vocabulary_iris() -> dict[str, NamedNode]:
    """Each value concept's IRI in ``ontology/vocab.ttl`` by its notation: ``JP`` → ``wd:Q17``,
    ``generative-ai`` → ``vg:GenerativeAI`` (the IRI a SPARQL user finds with its labels)."""
    out: dict[str, NamedNode] = {}
    for c in load_lexicons().concepts:
        if c.scheme in _VALUE_SCHEMES and c.iri:
            out.setdefault(c.notation, NamedNode(c.iri))
    return out


def concept(slug: str) -> NamedNode:
    """IRI of a vocabulary concept from its notation: ``law-enforcement`` → ``vg:LawEnforcement``, ``JP`` →
    ``wd:Q17``; a notation the vocabulary lacks gets ``vg:`` + its words capitalised."""
    if slug in _POLICY_TYPES:
        return _POLICY_TYPES[slug]
    known = _vocabulary_iris().get(slug)
    if known is not None:
        return known
    return VG["".join(part.capitalize() for part in slug.split("-"))]


def actor_iri(ref: ActorRef) -> NamedNode:
    return mint(ref.kind, ref.key)


def document_iri(doc_id: str) -> NamedNode:
    return mint("document", doc_id)


def policy_iri(policy: Policy) -> NamedNode:
    return mint("policy", policy_slug(policy.company, policy.type, policy.technology))


def exception_iri(policy: Policy, exception: PolicyException) -> NamedNode:
    return mint("exception", f"{policy_iri(policy).value.rsplit('/', 1)[1]}-{exception.purpose}")


def event_iri(policy: Policy, event: PolicyEvent) -> NamedNode:
    """One node per policy, event type and date: every article reporting the same step supports it, and
    re-ingesting an article mints the same IRIs."""
    return mint("event", f"{policy_iri(policy).value.rsplit('/', 1)[1]}-{event.type}-{event.date or 'undated'}")


def _web_address(url: str) -> NamedNode | Literal:
    """A page's URL as an IRI, or as an ``xsd:anyURI`` literal when it is not a valid IRI."""
    try:
        return NamedNode(url)
    except ValueError:
        return Literal(url, datatype=XSD.anyURI)


def _date(value: str) -> Literal:
    if len(value) == 4:
        return Literal(value, datatype=XSD.gYear)
    return Literal(value, datatype=XSD.date if len(value) == 10 else XSD.gYearMonth)


class _Writer:
    """Accumulates the quads of one article's graph."""

    def __init__(self, extraction: Extraction) -> None:
        self.doc = extraction.document
        self.graph = document_iri(self.doc.id)
        self.quads: list[Quad] = []
        self._evidence_count = 0
        self._extractors: set[str] = set()

    def add(self, s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> None:
        self.quads.append(Quad(s, p, o, self.graph))

    def evidence(self, subject: NamedNode, items: list[Evidence]) -> None:
        for ev in items:
            node = mint("evidence", f"{self.doc.id}-{self._evidence_count}")
            self._evidence_count += 1
            extractor = mint("extractor", ev.extractor)
            self._extractors.add(ev.extractor)
            self.add(node, RDF.type, VG.Evidence)
            self.add(node, VG.supports, subject)
            self.add(node, PROV.wasDerivedFrom, self.graph)
            self.add(node, PROV.wasGeneratedBy, extractor)
            self.add(node, VG.quote, Literal(ev.quote))
            self.add(node, VG.start, Literal(ev.start))
            self.add(node, VG.end, Literal(ev.end))
            self.add(node, VG.confidence, Literal(f"{ev.confidence:.2f}", datatype=XSD.decimal))

    def document(self) -> None:
        d, g = self.doc, self.graph
        self.add(g, RDF.type, VG.Document)
        self.add(g, DCTERMS.identifier, Literal(d.id))
        self.add(g, DCTERMS["title"], Literal(d.title))  # DCTERMS.title is str.title
        self.add(g, VG.contentHash, Literal(d.content_hash))
        # The text as read, with its furniture (the date line, "Sources : …", share buttons) blanked out: offsets
        # are those of the file, and what a page shows or a quote cites is article text only.
        self.add(g, VG.text, Literal(d.body))
        if d.date:
            self.add(g, DCTERMS.date, _date(d.date))
        if d.source:
            self.add(g, VG.sourceName, Literal(d.source))
        if d.url:  # a web page: where it is, the site that published it, who signed it
            self.add(g, SCHEMA.url, _web_address(d.url))
        if d.site:
            self.add(g, DCTERMS.publisher, Literal(d.site))
        if d.author:
            self.add(g, DCTERMS.creator, Literal(d.author))

    def actor(self, actor: Actor) -> None:
        node = actor_iri(actor.ref)
        self.add(node, RDF.type, _CLASS[actor.ref.kind])
        self.add(node, SKOS.prefLabel, Literal(actor.label))
        for alias in sorted(actor.aliases - {actor.label}):
            self.add(node, SKOS.altLabel, Literal(alias))
        if actor.wikidata:
            self.add(node, OWL.sameAs, WD[actor.wikidata])
        if actor.role:
            self.add(node, VG.role, Literal(actor.role))
        if actor.affiliation:
            self.add(node, VG.affiliation, actor_iri(actor.affiliation))
        if actor.made_by:
            self.add(node, VG.madeBy, actor_iri(actor.made_by))
        self.add(self.graph, VG.mentions, node)
        self.evidence(node, actor.evidence)

    def policy(self, policy: Policy) -> None:
        node = policy_iri(policy)
        self.add(node, RDF.type, VG.Policy)
        self.add(node, VG.issuedBy, mint("company", policy.company))
        self.add(node, VG.policyType, concept(policy.type))
        self.add(node, VG.technology, concept(policy.technology))
        for product in policy.products:
            self.add(node, VG.product, mint("product", product))
        for users in policy.restricted_users:
            self.add(node, VG.restrictedUser, concept(users))
        if policy.jurisdiction:
            self.add(node, VG.jurisdiction, concept(policy.jurisdiction))
        if policy.duration:
            self.add(node, VG.duration, Literal(policy.duration, datatype=XSD.duration))
        if policy.announced:
            self.add(node, VG.announced, _date(policy.announced))
        if policy.condition and policy.condition.strip(_CONDITION_EDGES):
            self.add(node, VG.condition, Literal(policy.condition.strip(_CONDITION_EDGES)))
        if policy.awaits_legislature:
            self.add(node, VG.awaitsLegislationFrom, mint("legislature", policy.awaits_legislature))
        for exception in policy.exceptions:
            enode = exception_iri(policy, exception)
            self.add(node, VG.hasException, enode)
            self.add(enode, RDF.type, VG.Exception)
            self.add(enode, VG.purpose, concept(exception.purpose))
            if exception.label:
                self.add(enode, RDFS.label, Literal(exception.label))
            for ref in exception.beneficiaries:
                self.add(enode, VG.beneficiary, actor_iri(ref))
            self.evidence(enode, exception.evidence)
        for event in policy.events:
            self.event(node, policy, event)
        self.evidence(node, policy.evidence)

    def event(self, node: NamedNode, policy: Policy, event: PolicyEvent) -> None:
        enode = event_iri(policy, event)
        self.add(node, VG.hasEvent, enode)
        self.add(enode, RDF.type, VG.PolicyEvent)
        self.add(enode, VG.eventType, EVENT_TYPES[event.type])
        if event.date:
            self.add(enode, VG.eventDate, _date(event.date))
        if self.doc.date:
            self.add(enode, VG.reportedOn, _date(self.doc.date))
        if event.until:
            self.add(enode, VG.until, _date(event.until))
        if event.open_ended:
            self.add(enode, VG.openEnded, Literal(True))
        if event.duration:
            self.add(enode, VG.eventDuration, Literal(event.duration, datatype=XSD.duration))
        for users in event.users:
            self.add(enode, VG.scopeUser, concept(users))
        if event.jurisdiction:
            self.add(enode, VG.scopeJurisdiction, concept(event.jurisdiction))
        for product in event.products:
            self.add(enode, VG.scopeProduct, mint("product", product))
        self.evidence(enode, event.evidence)

    def statement(self, index: int, statement: Statement) -> None:
        node = mint("statement", f"{self.doc.id}-{index}")
        speaker = actor_iri(statement.speaker)
        self.add(node, RDF.type, VG.Statement)
        self.add(node, VG.speaker, speaker)
        if statement.quote:
            self.add(node, VG.quote, Literal(statement.quote))
        for target in statement.targets:
            target_node = actor_iri(target)
            self.add(node, VG.target, target_node)
            # Also on the speaker, so "whom does the ACLU call on" is one triple pattern.
            self.add(speaker, VG.target, target_node)
        self.evidence(node, statement.evidence)

    def extractors(self) -> None:
        for name in sorted(self._extractors):
            node = mint("extractor", name)
            self.add(node, RDF.type, VG.Extractor)
            self.add(node, RDFS.label, Literal(name))


def extraction_to_quads(extraction: Extraction) -> list[Quad]:
    """All quads of one article, in the named graph ``document/<id>``. Duplicates are removed."""
    writer = _Writer(extraction)
    writer.document()
    for actor in extraction.actors:
        writer.actor(actor)
    for policy in extraction.policies:
        writer.policy(policy)
    for policy in extraction.history:  # an existing policy's events only: its node is other articles'
        for event in policy.events:
            writer.event(policy_iri(policy), policy, event)
    for index, statement in enumerate(extraction.statements):
        writer.statement(index, statement)
    writer.extractors()
    return list(dict.fromkeys(writer.quads))


def iter_quads(extractions: list[Extraction]) -> Iterator[Quad]:
    for extraction in extractions:
        yield from extraction_to_quads(extraction)
