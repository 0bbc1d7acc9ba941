"""Human corrections to the graph, kept where re-extraction cannot reach them.

Curators' statements live in the curation graph (:data:`~ontology.namespaces.CURATION_GRAPH`), never in an
article's graph: ``vigie ingest`` replaces an article's graph wholesale, so anything written there would be
lost on the next run, while the curation graph is left alone.

Three corrections, each one a ``prov:Activity`` with who (``prov:wasAssociatedWith`` a curator) and when
(``prov:endedAtTime``)::

    curation:rejection/amazon-moratorium-facial-recognition a vg:Rejection ;
        vg:rejects policy:amazon-moratorium-facial-recognition ;
        vg:reason "Doublon de la politique …" ;
        prov:wasAssociatedWith curator:marie-dupont ;
        prov:endedAtTime "2026-11-23T06:00:00Z"^^xsd:dateTime .

- **Rejection** of a policy: the REST answers (the named queries filter on ``vg:rejects``) and the exports
  (:func:`without_rejected`) leave the policy out, and since the rejection names the policy's IRI, which the
  extractors mint again identically, it still applies after the articles are extracted again.
- **Undo** of a rejection: the rejection's statements are removed.
- **Alias** of an entity: a ``skos:altLabel`` in the curation graph (which ``vigie ingest`` hands to the
  extractors as an extra gazetteer alias) and a ``vg:AliasAddition`` that records who and when.

Every value a curator gives is written as an RDF term serialised by pyoxigraph, never pasted into SPARQL.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import pyoxigraph as ox

from ontology.iris import slugify, split
from ontology.namespaces import BASE_IRI, CURATION_GRAPH, PROV, RDF, RDFS, SKOS, VG, XSD
from vigie.store import GraphStore, QueryResult, Term

#: Longest name, reason or alias accepted from a curator.
MAX_TEXT = 2000


class CurationError(ValueError):
    """A correction that cannot be recorded (the message is for the curator)."""


@dataclass(frozen=True)
class Rejection:
    """A curator's rejection of a policy."""

    iri: str
    policy: str
    by: str | None
    reason: str | None
    at: str | None


@dataclass(frozen=True)
class AliasAddition:
    """A curator's new alias for an entity."""

    iri: str
    entity: str
    alias: str
    language: str | None
    by: str | None
    reason: str | None
    at: str | None


def now() -> str:
    """The current UTC time as an ``xsd:dateTime`` lexical form (seconds, ``Z``)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _text(value: str | None, what: str, *, required: bool = False) -> str | None:
    if value is None or not value.strip():
        if required:
            raise CurationError(f"{what} is required")
        return None
    value = " ".join(value.split())
    if len(value) > MAX_TEXT:
        raise CurationError(f"{what} is longer than {MAX_TEXT} characters")
    return value


def curator_iri(name: str) -> ox.NamedNode:
    """The IRI of the curator called ``name`` (``…/id/curator/marie-dupont``)."""
    key = slugify(name)
    if not key:
        raise CurationError(f"cannot make an identifier of the curator name {name[:80]!r}")
    return ox.NamedNode(f"{BASE_IRI}curator/{key[:100]}")


def rejection_iri(policy: ox.NamedNode) -> ox.NamedNode:
    parts = split(policy.value)
    key = parts[1] if parts else hashlib.sha256(policy.value.encode()).hexdigest()[:24]
    return ox.NamedNode(f"{BASE_IRI}curation/rejection/{key}")


def alias_iri(entity: ox.NamedNode, alias: str) -> ox.NamedNode:
    parts = split(entity.value)
    head = f"{parts[0]}-{parts[1]}" if parts else "entity"
    digest = hashlib.sha256(f"{entity.value}\n{alias}".encode()).hexdigest()[:16]
    return ox.NamedNode(f"{BASE_IRI}curation/alias/{head}-{digest}")


def _record(store: GraphStore, node: ox.NamedNode,
            statements: Sequence[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]]) -> None:
    """Replace what the curation graph says about ``node`` with ``statements``, in one write."""
    store.edit_graph(
        CURATION_GRAPH,
        remove=list(store.quads(CURATION_GRAPH, subject=node)),
        add=[ox.Quad(s, p, o, CURATION_GRAPH) for s, p, o in statements],
    )


def _activity(
    node: ox.NamedNode, cls: ox.NamedNode, by: str, reason: str | None, at: str
) -> list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]]:
    curator = curator_iri(by)
    statements: list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]] = [
        (node, RDF.type, cls),
        (node, PROV.wasAssociatedWith, curator),
        (node, PROV.endedAtTime, ox.Literal(at, datatype=XSD.dateTime)),
        (curator, RDF.type, PROV.Agent),
        (curator, RDFS.label, ox.Literal(by)),
    ]
    if reason:
        statements.append((node, VG.reason, ox.Literal(reason)))
    return statements


# ------------------------------------------------------------------ rejections


def reject(store: GraphStore, policy: ox.NamedNode, *, by: str, reason: str | None = None,
           at: str | None = None) -> Rejection:
    """Record that ``by`` rejects ``policy`` (replacing an earlier rejection of it), in one update."""
    who = _text(by, "the curator's name ('by')", required=True)
    why = _text(reason, "the reason")
    when = at or now()
    assert who is not None
    node = rejection_iri(policy)
    statements = [*_activity(node, VG.Rejection, who, why, when), (node, VG.rejects, policy)]
    _record(store, node, statements)
    return Rejection(node.value, policy.value, who, why, when)


def rejections(store: GraphStore, policy: ox.NamedNode | None = None) -> list[Rejection]:
    """The rejections of ``policy`` (of every policy when ``None``), newest first."""
    found = []
    for quad in store.quads(None, predicate=VG.rejects, object=policy):
        if not isinstance(quad.subject, ox.NamedNode) or not isinstance(quad.object, ox.NamedNode):
            continue
        values: dict[str, str] = {}
        for fact in store.quads(quad.graph_name if isinstance(quad.graph_name, ox.NamedNode) else None,
                                subject=quad.subject):
            if fact.predicate == PROV.wasAssociatedWith and isinstance(fact.object, ox.NamedNode):
                values["by"] = _name_of(store, fact.object)
            elif fact.predicate == PROV.endedAtTime:
                values["at"] = fact.object.value
            elif fact.predicate == VG.reason:
                values["reason"] = fact.object.value
        found.append(Rejection(quad.subject.value, quad.object.value, values.get("by"), values.get("reason"),
                               values.get("at")))
    unique = {(r.iri, r.policy): r for r in found}
    return sorted(unique.values(), key=lambda r: (r.at or "", r.iri), reverse=True)


def _name_of(store: GraphStore, agent: ox.NamedNode) -> str:
    for quad in store.quads(None, subject=agent, predicate=RDFS.label):
        return quad.object.value
    parts = agent.value.rsplit("/", 1)
    return parts[-1]


def unreject(store: GraphStore, policy: ox.NamedNode) -> bool:
    """Remove every rejection of ``policy`` (from whatever graph holds it, normally the curation graph);
    ``False`` if there was none."""
    if not any(True for _ in store.quads(None, predicate=VG.rejects, object=policy)):
        return False
    for quad in list(store.quads(None, predicate=VG.rejects, object=policy)):
        if isinstance(quad.graph_name, ox.NamedNode):
            store.edit_graph(quad.graph_name, remove=list(store.quads(quad.graph_name, subject=quad.subject)))
    return True


# ------------------------------------------------------------------ aliases


def add_alias(store: GraphStore, entity: ox.NamedNode, alias: str, *, by: str, language: str | None = None,
              reason: str | None = None, at: str | None = None) -> AliasAddition:
    """Give ``entity`` a new ``skos:altLabel`` in the curation graph, recording who and when."""
    who = _text(by, "the curator's name ('by')", required=True)
    name = _text(alias, "the alias", required=True)
    why = _text(reason, "the reason")
    assert who is not None and name is not None
    try:
        label = ox.Literal(name, language=language) if language else ox.Literal(name)
    except ValueError:
        raise CurationError(f"invalid language tag {language!r}") from None
    when = at or now()
    node = alias_iri(entity, name)
    statements = [
        *_activity(node, VG.AliasAddition, who, why, when),
        (node, VG.corrects, entity),
        (node, VG.alias, label),
        (entity, SKOS.altLabel, label),
    ]
    _record(store, node, statements)
    return AliasAddition(node.value, entity.value, name, language or None, who, why, when)


def alias_additions(store: GraphStore) -> list[AliasAddition]:
    """The alias additions recorded in the curation graph, newest first."""
    found = []
    for quad in store.quads(CURATION_GRAPH, predicate=RDF.type, object=VG.AliasAddition):
        if not isinstance(quad.subject, ox.NamedNode):
            continue
        values: dict[str, object] = {}
        for fact in store.quads(CURATION_GRAPH, subject=quad.subject):
            if fact.predicate == PROV.wasAssociatedWith and isinstance(fact.object, ox.NamedNode):
                values["by"] = _name_of(store, fact.object)
            elif fact.predicate == PROV.endedAtTime:
                values["at"] = fact.object.value
            elif fact.predicate == VG.reason:
                values["reason"] = fact.object.value
            elif fact.predicate == VG.corrects:
                values["entity"] = fact.object.value
            elif fact.predicate == VG.alias and isinstance(fact.object, ox.Literal):
                values["alias"] = fact.object.value
                values["language"] = fact.object.language
        if "entity" in values and "alias" in values:
            found.append(AliasAddition(quad.subject.value, str(values["entity"]), str(values["alias"]),
                                       values.get("language"), values.get("by"), values.get("reason"),  # type: ignore[arg-type]
                                       values.get("at")))  # type: ignore[arg-type]
    return sorted(found, key=lambda a: (a.at or "", a.iri), reverse=True)


def curated_aliases(store: GraphStore) -> list[tuple[str, str, str]]:
    """Aliases of Vigie entities in the curation graph, as ``(kind, key, alias)`` for the extractors."""
    aliases = []
    for quad in store.quads(CURATION_GRAPH, predicate=SKOS.altLabel):
        parts = split(quad.subject.value) if isinstance(quad.subject, ox.NamedNode) else None
        if parts and isinstance(quad.object, ox.Literal):
            aliases.append((parts[0], parts[1], quad.object.value))
    return sorted(set(aliases))


# ------------------------------------------------------------------ curated facts


def curated_subjects(store: GraphStore) -> set[str]:
    """IRIs of the things the curation graph states facts about (curated facts, not correction records)."""
    records = {VG.Rejection, VG.AliasAddition, PROV.Agent}
    kinds: dict[str, set] = {}
    for quad in store.quads(CURATION_GRAPH):
        if isinstance(quad.subject, ox.NamedNode):
            bucket = kinds.setdefault(quad.subject.value, set())
            if quad.predicate == RDF.type:
                bucket.add(quad.object)
    return {iri for iri, types in kinds.items() if not types & records}


# ------------------------------------------------------------------ exports without rejected policies


def hidden_nodes(store: GraphStore) -> tuple[set[Term], set[Term]]:
    """``(policies, nodes)``: the rejected policies, and every node an export leaves out because of them
    (the policies, the evidence supporting them, the exceptions no other policy has)."""
    policies: set[Term] = {q.object for q in store.quads(None, predicate=VG.rejects)
                           if isinstance(q.object, ox.NamedNode)}
    if not policies:
        return set(), set()
    nodes: set[Term] = set(policies)
    exceptions: set[Term] = set()
    for policy in policies:
        exceptions |= {q.object for q in store.quads(None, subject=policy, predicate=VG.hasException)}  # type: ignore[arg-type]
    for exception in exceptions:
        others = {q.subject for q in store.quads(None, predicate=VG.hasException, object=exception)} - policies
        if not others:
            nodes.add(exception)
    for node in list(nodes):
        nodes |= {q.subject for q in store.quads(None, predicate=VG.supports, object=node)}  # type: ignore[arg-type]
    return policies, nodes


def without_rejected(store: GraphStore) -> GraphStore:
    """``store`` as an export should see it: without the rejected policies' facts (the store itself when
    nothing is rejected). The rejections themselves stay, so an export still says what was rejected."""
    policies, nodes = hidden_nodes(store)
    if not policies:
        return store
    if hasattr(store, "oxigraph"):  # embedded: the exporter reads it directly (no temporary copy)
        return _FilteredEmbedded(store, policies, nodes)
    return _Filtered(store, policies, nodes)


class _Filtered(GraphStore):
    """A read view of a store whose :meth:`quads` leave out the hidden nodes (what the exporter reads)."""

    def __init__(self, inner: GraphStore, policies: set[Term], nodes: set[Term]) -> None:
        self.inner = inner
        self.read_only = True
        self._policies = policies
        self._nodes = nodes

    def _keep(self, quad: ox.Quad) -> bool:
        if quad.subject in self._nodes:
            return False
        return quad.object not in self._policies or quad.predicate == VG.rejects

    @property
    def location(self) -> str:
        return self.inner.location

    def replace_graphs(self, graphs: Mapping[ox.NamedNode, Sequence[ox.Quad]]) -> None:
        self._check_writable()

    def remove_graph(self, graph: ox.NamedNode) -> bool:
        self._check_writable()
        return False

    def update(self, sparql: str) -> None:
        self._check_writable()

    def rebuild(self) -> int:
        self._check_writable()
        return 0

    def query(self, sparql: str, **kwargs) -> QueryResult:  # type: ignore[override]
        return self.inner.query(sparql, **kwargs)

    def document_with_hash(self, content_hash: str) -> str | None:
        return self.inner.document_with_hash(content_hash)

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        return self.inner.named_graphs()

    def document_graphs(self) -> list[ox.NamedNode]:
        return self.inner.document_graphs()

    def quads(self, graph: ox.NamedNode | None = None, **pattern) -> Iterator[ox.Quad]:  # type: ignore[override]
        return (q for q in self.inner.quads(graph, **pattern) if self._keep(q))

    def __len__(self) -> int:
        return sum(1 for _ in self.quads())


class _FilteredEmbedded(_Filtered):
    @property
    def oxigraph(self) -> ox.Store:
        return self.inner.oxigraph  # type: ignore[attr-defined]
