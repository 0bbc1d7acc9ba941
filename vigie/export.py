"""Export of the knowledge graph: readable Turtle, TriG, N-Quads, N-Triples and JSON-LD, streamed.

What is written, and in which order:

- **Dataset formats** (TriG, N-Quads, JSON-LD) keep each article's named graph. Graphs are written one
  after the other; inside a graph, subjects in IRI order, each subject once, ``rdf:type`` and
  ``skos:prefLabel`` first. Only one graph is held in memory at a time (an article's graph: a few
  hundred quads).
- **Triple formats** (Turtle, N-Triples, RDF/XML) get the union of the graphs, each triple once and
  each subject in one block (a policy reported by four articles is one block, not four). The graphs
  are read one after the other; a subject is written, with its triples from every graph, the first time
  it is met. Only the subjects present in several graphs (entities and policies, not the evidence that
  makes up most of the graph) are remembered, to skip them later. Subjects therefore come graph by
  graph, in IRI order within each graph (sorting them all would hold them all).

Subsets: :func:`company_quads` selects one company's facts (its policies, their exceptions, the
statements aimed at it, their evidence and the articles they come from) as a self-contained graph
that still conforms to ``ontology/shapes.ttl``; one article is simply its named graph.
"""

from __future__ import annotations

import gc
import json
import tempfile
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from itertools import groupby
from pathlib import Path
from typing import IO, TYPE_CHECKING

import pyoxigraph as ox

import ontology
from ontology.namespaces import (
    DCTERMS,
    GAZETTEER_GRAPH,
    ONTOLOGY_GRAPH,
    OWL,
    PREFIXES,
    PROV,
    RDF,
    SKOS,
    VG,
    VOCABULARY_GRAPH,
    XSD,
)

if TYPE_CHECKING:
    from vigie.store import GraphStore

#: The graphs of the ontology, vocabularies and gazetteer (left out of exports unless asked for).
SCHEMA_GRAPHS = (ONTOLOGY_GRAPH, VOCABULARY_GRAPH, GAZETTEER_GRAPH)

#: Where the JSON-LD context is published (and the file it is read from).
CONTEXT_URL = "https://w3id.org/vigie/context.jsonld"
CONTEXT_FILE = "context.jsonld"

Term = ox.NamedNode | ox.BlankNode | ox.Literal

_FIRST_PREDICATES = {RDF.type.value: 0, SKOS.prefLabel.value: 1}


def _predicate_key(predicate: ox.NamedNode) -> tuple[int, str]:
    return _predicate_rank(predicate.value)


@lru_cache(maxsize=4096)
def _predicate_rank(iri: str) -> tuple[int, str]:
    return (_FIRST_PREDICATES.get(iri, 2), compact(iri))


def _object_key(term: Term) -> tuple[int, str, str]:
    if isinstance(term, ox.Literal):
        return (1, term.value, str(term))
    return (0, str(term), "")


def _triple_key(triple: ox.Triple | ox.Quad) -> tuple:
    return (_predicate_key(triple.predicate), _object_key(triple.object))


def _subject_key(term: ox.NamedNode | ox.BlankNode) -> tuple[int, str]:
    return (0, term.value) if isinstance(term, ox.NamedNode) else (1, term.value)


@cache
def _prefix_table() -> list[tuple[str, str]]:
    # Longest namespace first, so company: wins over a shorter prefix of the same IRI.
    return sorted(((ns, name) for name, ns in PREFIXES.items()), key=lambda item: -len(item[0]))


def compact(iri: str) -> str:
    """``prefix:local`` when a Vigie prefix covers ``iri`` with a simple local name, else ``iri``."""
    for namespace, name in _prefix_table():
        if iri.startswith(namespace):
            local = iri[len(namespace):]
            if local and all(c.isalnum() or c in "-_." for c in local) and not local.startswith(("-", ".")):
                return f"{name}:{local}"
    return iri


# --------------------------------------------------------------- selection


def select_graphs(
    store: GraphStore, graphs: Iterable[ox.NamedNode] | None = None, *, include_schema: bool = False
) -> list[ox.NamedNode]:
    """The graphs an export reads: ``graphs`` (default: every article graph in the order the articles were
    added, then the curation graphs, in IRI order), then the ontology, vocabulary and gazetteer graphs when
    ``include_schema``. The order of addition is what a dump keeps of the article list (``vigie restore``
    gives the articles their places in the order it reads them)."""
    schema = list(SCHEMA_GRAPHS)
    if graphs is None:
        added = {row["d"]: int(row["n"].value) for row in store.select("SELECT ?d ?n WHERE { ?d vg:position ?n }")}
        selected = sorted((g for g in store.named_graphs() if g not in schema),
                          key=lambda g: (added.get(g, len(added)), g.value))
    else:
        selected = list(dict.fromkeys(graphs))
    if include_schema:
        present = set(store.named_graphs())
        selected += [g for g in schema if g not in selected and g in present]
    return selected


def union_triples(store: GraphStore, graphs: list[ox.NamedNode]) -> Iterator[ox.Triple]:
    """The union of ``graphs`` as triples: each triple once, grouped by subject, ``rdf:type`` first.

    The graphs are read one after the other; a subject is written when it is first met, with its
    triples from every selected graph. Held in memory: the subjects of the graph being read, and the
    subjects found in several graphs (companies, advocates, policies: the graph's entities, not its
    evidence), so that a later graph does not write them again. Everything else streams.
    """
    wanted = set(graphs)
    shared: set = set()
    for graph in graphs:
        # One graph's subjects (an article's: a few dozen). Not groupby: only the on-disk store
        # iterates a graph in subject order, the in-memory one does not.
        for subject in sorted(dict.fromkeys(q.subject for q in store.quads(graph)), key=_subject_key):
            if subject in shared:
                continue
            triples, elsewhere = _subject_triples(store, subject, graph, wanted)
            if elsewhere:
                shared.add(subject)
            yield from sorted(triples, key=_triple_key)


def _subject_triples(
    store: GraphStore, subject: ox.NamedNode | ox.BlankNode, graph: ox.NamedNode, wanted: set
) -> tuple[set[ox.Triple], bool]:
    """The distinct triples of ``subject`` in the ``wanted`` graphs, and whether a graph other than ``graph``
    holds some. Read as a stream: a company stated by every article is its few triples, not a quad per article."""
    triples: set[ox.Triple] = set()
    elsewhere = False
    for q in store.quads(None, subject=subject):
        if q.graph_name in wanted:
            triples.add(ox.Triple(q.subject, q.predicate, q.object))
            elsewhere = elsewhere or q.graph_name != graph
    return triples, elsewhere


def dataset_quads(store: GraphStore, graphs: Iterable[ox.NamedNode]) -> Iterator[ox.Quad]:
    """The quads of each graph in turn, subjects in IRI order, one graph in memory at a time."""
    for graph in graphs:
        yield from sort_graph(store.quads(graph))


def sort_graph(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Quads of one graph in reading order: by subject, then ``rdf:type``, label, other predicates."""
    return sorted(quads, key=lambda q: (_subject_key(q.subject), _triple_key(q)))


#: Triples of an actor merely referenced by a company's facts (a beneficiary, a legislature, a speaker):
#: enough to name and type it, not its own facts.
_DESCRIPTIVE = {RDF.type, SKOS.prefLabel, SKOS.altLabel, OWL.sameAs, VG.madeBy, VG.affiliation}
#: Predicates whose objects are actors worth describing in a company's subset.
_REFERENCES = {VG.beneficiary, VG.awaitsLegislationFrom, VG.speaker, VG.product, VG.target, VG.madeBy,
               VG.affiliation, PROV.wasGeneratedBy}
#: A document in a company's subset: its metadata, not the list of everything it mentions.
_DOCUMENT_KEEP = {RDF.type, DCTERMS.identifier, DCTERMS['title'], DCTERMS.date, VG.contentHash, VG.text,
                  VG.sourceName}


def company_quads(store: GraphStore, company: ox.NamedNode, graphs: list[ox.NamedNode]) -> list[ox.Quad]:
    """One company's facts in ``graphs``, each quad in its article's graph, sorted by graph and subject.

    The subset is self-contained: the company; the policies it issued, their exceptions and events; the
    products it makes; the people affiliated to it; the statements aimed at it; the evidence of all
    these; the articles the evidence comes from (metadata and text); and, for every other actor they
    refer to, its type and labels. It is held in memory (it is one company's share of the graph).
    """
    wanted = set(graphs)

    def objects(subject, predicate):
        return {q.object for q in store.quads(None, subject=subject, predicate=predicate) if q.graph_name in wanted}

    def subjects(predicate, obj):
        return {q.subject for q in store.quads(None, predicate=predicate, object=obj) if q.graph_name in wanted}

    policies = subjects(VG.issuedBy, company)
    exceptions = {e for p in policies for e in objects(p, VG.hasException)}
    exceptions |= {e for p in policies for e in objects(p, VG.hasEvent)}  # the policies' events (issue 16)
    statements = {
        s for s in subjects(VG.target, company)
        if any(True for _ in store.quads(None, subject=s, predicate=RDF.type, object=VG.Statement))
    }
    core = {company} | policies | exceptions | statements
    core |= subjects(VG.madeBy, company) | subjects(VG.affiliation, company)
    evidence = {e for node in core for e in subjects(VG.supports, node)}
    documents = {d for e in evidence for d in objects(e, PROV.wasDerivedFrom)}
    full = core | evidence
    referenced = {
        q.object
        for node in full
        for q in store.quads(None, subject=node)
        if q.graph_name in wanted and q.predicate in _REFERENCES and isinstance(q.object, ox.NamedNode)
    } - full - documents

    selected: set[ox.Quad] = set()
    for node in full:
        selected.update(q for q in store.quads(None, subject=node) if q.graph_name in wanted)
    # Documents and referenced actors are described from the graphs the facts come from only.
    used = {q.graph_name for q in selected}
    for node in documents:
        selected.update(
            q for q in store.quads(None, subject=node)
            if q.graph_name in used and (q.predicate in _DOCUMENT_KEEP or q.object in full)
        )
    for node in referenced:
        selected.update(
            q for q in store.quads(None, subject=node)
            if q.graph_name in used and (q.predicate in _DESCRIPTIVE or q.object == company)
        )
    order = {g: i for i, g in enumerate(graphs)}
    return sorted(selected, key=lambda q: (order[q.graph_name], _subject_key(q.subject), _triple_key(q)))


def triples_of(quads: Iterable[ox.Quad]) -> Iterator[ox.Triple]:
    """The union of sorted quads as triples: duplicates across graphs removed, grouped by subject."""
    by_subject = sorted(
        {ox.Triple(q.subject, q.predicate, q.object) for q in quads},
        key=lambda t: (_subject_key(t.subject), _triple_key(t)),
    )
    yield from by_subject


# ----------------------------------------------------------------- JSON-LD


@cache
def context() -> dict:
    """The published JSON-LD ``@context`` (``ontology/context.jsonld``), with this installation's IRI prefixes."""
    published = json.loads(ontology.path(CONTEXT_FILE).read_text(encoding="utf-8"))["@context"]
    # Instance prefixes follow VIGIE_BASE_IRI, so that what is compacted here expands back the same.
    return {**published, **{name: PREFIXES[name] for name in published if name in PREFIXES}}


@cache
def _terms() -> dict[str, tuple[str, str | None]]:
    """Property IRI → (term, coercion) for the terms of the context that name a property."""
    ctx = context()
    prefixes = {name: value for name, value in ctx.items() if isinstance(value, str) and value[-1:] in "/#"}
    terms: dict[str, tuple[str, str | None]] = {}
    for name, value in ctx.items():
        if name.startswith("@") or name in prefixes:
            continue
        if isinstance(value, str):
            iri, coercion = value, None
        else:
            iri, coercion = value["@id"], value.get("@type")
        iri = _expand(iri, prefixes)
        if coercion is not None and coercion != "@id":
            coercion = _expand(coercion, prefixes)
        terms.setdefault(iri, (name, coercion))
    return terms


def _expand(value: str, prefixes: dict[str, str]) -> str:
    prefix, sep, local = value.partition(":")
    if sep and prefix in prefixes:
        return prefixes[prefix] + local
    return value


def _node_id(term: ox.NamedNode | ox.BlankNode) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else compact(term.value)


def _literal_object(literal: ox.Literal) -> dict:
    if literal.language:
        return {"@value": literal.value, "@language": literal.language}
    datatype = literal.datatype.value
    if datatype == XSD.string.value:
        return {"@value": literal.value}
    return {"@value": literal.value, "@type": compact(datatype)}


def _property_value(predicate: ox.NamedNode, obj: Term) -> tuple[str, object]:
    """The key and JSON value of one triple's predicate and object, using the context's terms when they fit."""
    term = _terms().get(predicate.value)
    if term is not None:
        name, coercion = term
        if coercion == "@id":
            if isinstance(obj, ox.NamedNode | ox.BlankNode):
                return name, _node_id(obj)
        elif coercion is not None:
            if isinstance(obj, ox.Literal) and not obj.language and obj.datatype.value == coercion:
                if coercion == XSD.integer.value and _canonical_int(obj.value):
                    return name, int(obj.value)  # a JSON number reads back as xsd:integer
                return name, obj.value
        elif isinstance(obj, ox.Literal):
            if obj.language is None and obj.datatype.value == XSD.string.value:
                return name, obj.value
            return name, _literal_object(obj)
        else:
            return name, {"@id": _node_id(obj)}
    key = compact(predicate.value)
    if isinstance(obj, ox.Literal):
        return key, _literal_object(obj)
    return key, {"@id": _node_id(obj)}


def _canonical_int(lexical: str) -> bool:
    return lexical.lstrip("-").isdigit() and str(int(lexical)) == lexical


def _node_object(subject, triples: list) -> dict:
    node: dict = {"@id": _node_id(subject)}
    types = [_node_id(t.object) for t in triples if t.predicate == RDF.type and not isinstance(t.object, ox.Literal)]
    if types:
        node["@type"] = types
    for triple in triples:
        if triple.predicate == RDF.type and not isinstance(triple.object, ox.Literal):
            continue
        key, value = _property_value(triple.predicate, triple.object)
        node.setdefault(key, []).append(value)
    return {k: (v[0] if isinstance(v, list) and len(v) == 1 and k not in ("@type",) else v) for k, v in node.items()}


def write_jsonld(output: IO[bytes], quads: Iterable[ox.Quad | ox.Triple], *, indent: bool = True) -> None:
    """Stream quads (grouped by graph, then subject) as one JSON-LD 1.1 document with the Vigie context.

    Each named graph becomes ``{"@id": graph, "@graph": [nodes]}``; triples and default-graph quads are
    top-level nodes. The context is written inline (the same object as ``ontology/context.jsonld``),
    so the file parses offline.
    """
    sep = "\n" if indent else ""
    dumps = (lambda obj, level: json.dumps(obj, ensure_ascii=False, indent=None)) if indent else (
        lambda obj, level: json.dumps(obj, ensure_ascii=False, separators=(",", ":")))
    ctx = json.dumps({"@context": context()}, ensure_ascii=False, indent=1 if indent else None)
    output.write(ctx[:-1].rstrip().encode())
    output.write(f',{sep}"@graph": [{sep}'.encode())
    first_item = True

    def graph_of(item):
        graph = getattr(item, "graph_name", None)
        return None if graph is None or isinstance(graph, ox.DefaultGraph) else graph

    for graph, items in groupby(quads, key=graph_of):
        prefix = "" if first_item else f",{sep}"
        first_item = False
        if graph is not None:
            output.write(f'{prefix}{{"@id": {json.dumps(_node_id(graph))}, "@graph": [{sep}'.encode())
        else:
            output.write(prefix.encode())
        first_node = True
        for subject, triples in groupby(items, key=lambda t: t.subject):
            node = _node_object(subject, list(triples))
            indent_str = "    " if graph is not None else "  "
            text = ("" if first_node else f",{sep}") + (indent_str if indent else "") + dumps(node, 2)
            output.write(text.encode())
            first_node = False
        if graph is not None:
            output.write(f"{sep}  ]}}".encode())
    output.write(f"{sep}]}}{sep}".encode())


# --------------------------------------------------------------- subsets by id


class UnknownId(ValueError):
    """A company or document id that names nothing in the store."""


def company_iri(store: GraphStore, ident: str) -> ox.NamedNode:
    """The IRI of a company given by slug (``amazon``) or IRI; :class:`UnknownId` when no graph knows it."""
    iri = _iri_of("company", ident)
    if not any(True for _ in store.quads(None, subject=iri, predicate=RDF.type, object=VG.Company)):
        raise UnknownId(f"no company {ident!r} in the store")
    return iri


def document_iri(store: GraphStore, ident: str) -> ox.NamedNode:
    """The IRI (= graph name) of an article given by id (file stem) or IRI; :class:`UnknownId` if absent."""
    iri = _iri_of("document", ident)
    if iri not in set(store.named_graphs()):
        raise UnknownId(f"no document {ident!r} in the store")
    return iri


def _iri_of(kind: str, ident: str) -> ox.NamedNode:
    from ontology.iris import is_slug, mint

    ident = ident.strip()
    if ident.startswith(("http://", "https://")):
        try:
            return ox.NamedNode(ident)
        except ValueError:
            raise UnknownId(f"not an IRI: {ident!r}") from None
    if not is_slug(ident):
        raise UnknownId(f"not a {kind} id: {ident!r} (expected lower-case letters, digits, - _ .)")
    return mint(kind, ident)


def file_name(fmt_name: str, *, company: str | None = None, document: str | None = None) -> str:
    """A download file name: ``vigie.ttl``, ``vigie-company-amazon.jsonld``, ``vigie-document-001_x.trig``."""
    from vigie.formats import EXTENSIONS

    parts = ["vigie"]
    for kind, ident in (("company", company), ("document", document)):
        if ident:
            slug = ident.rstrip("/").rsplit("/", 1)[-1]
            # ASCII only: the name goes into a Content-Disposition header, which HTTP sends as latin-1.
            parts.append(f"{kind}-{''.join(c if c.isascii() and (c.isalnum() or c in '-_.') else '-' for c in slug)}")
    return "-".join(parts) + "." + EXTENSIONS.get(fmt_name, fmt_name)


# ------------------------------------------------------------------- entry


def _write_from_local_copy(store: GraphStore, output, fmt, selected, company) -> None:
    """Copy the selected graphs of ``store``, graph by graph, into a temporary embedded store on disk,
    and export from it."""
    from vigie.store import Store

    with tempfile.TemporaryDirectory(prefix="vigie-export-", ignore_cleanup_errors=True) as folder:
        local = Store(Path(folder) / "store")
        try:
            for graph in selected:
                local.oxigraph.bulk_extend(store.quads(graph))
            _write(local, output, fmt, selected, company)
        finally:
            del local  # the last reference: RocksDB is closed before its folder is removed
            gc.collect()


class _PrefixOrder:
    """A binary writer that puts the ``@prefix`` lines Oxigraph writes first in Vigie's order
    (``vg:`` first, as in :data:`~ontology.namespaces.PREFIXES`), then passes everything through."""

    def __init__(self, output: IO[bytes]) -> None:
        self._output = output
        self._head: bytearray | None = bytearray()

    def write(self, data: bytes) -> int:
        if self._head is None:
            return self._output.write(data) or len(data)
        self._head += data
        lines = bytes(self._head).split(b"\n")
        count = 0
        while count < len(lines) - 1 and lines[count].startswith(b"@prefix "):
            count += 1
        if count == len(lines) - 1 and (not lines[-1] or b"@prefix ".startswith(lines[-1][:8])):
            return len(data)  # still inside the header
        order = {f"{name}:".encode(): i for i, name in enumerate(PREFIXES)}
        header = sorted(lines[:count], key=lambda line: order.get(line.split(b" ")[1], len(order)))
        rest = b"\n".join(lines[count:])
        self._head = None
        self._output.write(b"".join(line + b"\n" for line in header) + (b"\n" if header else b"") + rest)
        return len(data)

    def flush(self) -> None:
        """Oxigraph flushes at the end: a header with nothing after it is written then."""
        if self._head:
            self._output.write(bytes(self._head))
            self._head = None
        if hasattr(self._output, "flush"):
            self._output.flush()


def dump(
    store: GraphStore,
    output: IO[bytes],
    fmt: ox.RdfFormat,
    *,
    graphs: Iterable[ox.NamedNode] | None = None,
    include_schema: bool = False,
    company: ox.NamedNode | None = None,
    include_rejected: bool = False,
) -> None:
    """Serialise the store, some graphs or one company's facts to ``output``, streaming from the store.

    As :func:`write`, but the policies a curator rejected are left out (the rejections stay) unless
    ``include_rejected``; see :mod:`vigie.curation`.
    """
    from vigie import curation

    source = store if include_rejected else curation.without_rejected(store)
    write(source, output, fmt, graphs=graphs, include_schema=include_schema, company=company)


def write(
    store: GraphStore,
    output: IO[bytes],
    fmt: ox.RdfFormat,
    *,
    graphs: Iterable[ox.NamedNode] | None = None,
    include_schema: bool = False,
    company: ox.NamedNode | None = None,
) -> None:
    """Serialise the store, some graphs, or one company's facts in those graphs, to ``output``.

    TriG, N-Quads and JSON-LD keep the named graphs; Turtle, N-Triples and RDF/XML get their union,
    each triple once and each subject in one block. JSON-LD uses the published Vigie ``@context``.
    """
    selected = select_graphs(store, graphs, include_schema=include_schema)
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        ordered = _PrefixOrder(output)
        try:
            _write(store, ordered, fmt, selected, company)
        finally:
            ordered.flush()
    else:
        _write(store, output, fmt, selected, company)


def _write(store, output, fmt, selected, company) -> None:
    if (company is not None or not fmt.supports_datasets) and not hasattr(store, "oxigraph"):
        # A SPARQL server: reading it one subject at a time would be one request per subject.
        # Copy the selected graphs (one request each) into a temporary on-disk store, export from it.
        return _write_from_local_copy(store, output, fmt, selected, company)
    prefixes = dict(PREFIXES)
    if company is not None:
        quads = company_quads(store, company, selected)
        if fmt == ox.RdfFormat.JSON_LD:
            write_jsonld(output, quads)
        elif fmt.supports_datasets:
            ox.serialize(quads, output, format=fmt, prefixes=prefixes)
        else:
            ox.serialize(triples_of(quads), output, format=fmt, prefixes=prefixes)
    elif fmt == ox.RdfFormat.JSON_LD:
        write_jsonld(output, dataset_quads(store, selected))
    elif fmt.supports_datasets:
        ox.serialize(dataset_quads(store, selected), output, format=fmt, prefixes=prefixes)
    else:
        ox.serialize(union_triples(store, selected), output, format=fmt, prefixes=prefixes)
