"""The consolidated graph: every fact once, beside the article graphs that say it.

Each article's named graph keeps what that article says, with its evidence (the provenance). The store's
**default graph** is the consolidated graph: the set union of the triples of all named graphs (articles,
ontology, vocabularies, gazetteer, curation), **each triple once**, without the articles' full text
(``vg:text``, which stays in the article's graph), plus, for every node typed in an article (an entity, a
policy, an exception, a statement; not the documents and evidences themselves), ``vg:articleCount``: the
number of stories that state it. An article is its own story, but a copy of a dispatch republished by
several sites (its graph says ``dcterms:isVersionOf`` the first article) is of its first article's story:
the copies count once, not as independent confirmations (each stays a source, linked by
``vg:latestSource``).

A SPARQL query on the default graph therefore answers each fact once, however many articles repeat it,
and a lookup costs what its answer costs, not what the corpus holds. Article graphs stay reachable with
``GRAPH ?g``.

Every write keeps it exact, incrementally and in the same transaction as the article graphs:
:func:`plan` reads only the graphs being replaced and one index look-up per triple they hold (is it in the
consolidated graph? is it held by another graph?), never a scan of the corpus, and :meth:`Change.update`
is the one SPARQL Update (one Oxigraph transaction) that writes the article graphs and the consolidated
graph together. A count changes by the stories of the graphs written that no other article stating the
node tells (look-ups bounded by each story's copies).
:func:`rebuild` recomputes it from the named graphs (``vigie reindex``).

>>> import pyoxigraph as ox
>>> from ontology.namespaces import RDF, VG
>>> store = ox.Store()
>>> a, b, policy = (ox.NamedNode(f"https://example.org/{x}") for x in ("a", "b", "policy"))
>>> for doc in (a, b):
...     store.update(plan(store, {doc: [ox.Quad(doc, RDF.type, VG.Document, doc),
...                                     ox.Quad(policy, RDF.type, VG.Policy, doc)]}).update())
>>> len(list(store.quads_for_pattern(policy, RDF.type, None, ox.DefaultGraph())))
1
>>> article_count(store, policy)
2
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from ontology.namespaces import BASE_IRI, DCTERMS, RDF, VG, XSD

#: The graph the consolidated facts live in: the store's default graph.
FACTS = ox.DefaultGraph()

#: Predicates kept in the article graphs only (the article's full text: large, and never a shared fact).
NOT_CONSOLIDATED = frozenset({VG.text})

#: Types whose nodes are not counted: each document and evidence belongs to one article by construction.
NOT_COUNTED = frozenset({VG.Document, VG.Evidence})

#: How many of the newest articles stating a node the consolidated graph links (``vg:latestSource``): what a
#: REST answer shows first, read without touching the other articles.
SOURCES_KEPT = 10

#: Where blank nodes of written graphs are skolemised (RDF 1.1 §3.5): a written graph names every node, so
#: that it can be compared, removed and consolidated exactly.
GENID = f"{BASE_IRI}.well-known/genid/"

#: Marks a consolidated graph being rebuilt; a store opened with it (a rebuild was interrupted) rebuilds.
REBUILDING = ox.Quad(ox.NamedNode(f"{BASE_IRI}store"), VG.consolidation, ox.Literal("rebuilding"), FACTS)

Triple = tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.Literal]


def consolidated(quad: ox.Quad) -> bool:
    """Whether a named graph's quad has its triple in the consolidated graph."""
    return quad.predicate not in NOT_CONSOLIDATED


def skolemise(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The quads with each blank node replaced by a ``/.well-known/genid/`` IRI (same label, same IRI)."""

    def named(term):
        return ox.NamedNode(GENID + term.value) if isinstance(term, ox.BlankNode) else term

    return [
        q if not (isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode))
        else ox.Quad(named(q.subject), q.predicate, named(q.object), q.graph_name)
        for q in quads
    ]


@dataclass
class Change:
    """One write: the named graphs to drop and to write, and the consolidated graph's triples to remove
    and add. :meth:`update` is its text: one SPARQL Update, so one transaction in Oxigraph and Fuseki."""

    drop: list[ox.NamedNode] = field(default_factory=list)
    write: dict[ox.NamedNode, Sequence[ox.Quad]] = field(default_factory=dict)
    facts_remove: list[Triple] = field(default_factory=list)
    facts_add: list[Triple] = field(default_factory=list)

    def update(self) -> str:
        """The SPARQL Update text. Terms are N-Triples written by pyoxigraph from RDF terms, never pasted text."""
        operations = []
        if self.facts_remove:
            operations.append("DELETE DATA {\n" + "\n".join(_triple(t) for t in self.facts_remove) + "\n}")
        operations += [f"DROP SILENT GRAPH {graph}" for graph in self.drop]
        operations += [f"CREATE SILENT GRAPH {graph}" for graph, quads in self.write.items() if not quads]
        blocks = [
            f"GRAPH {graph} {{\n" + "\n".join(_triple((q.subject, q.predicate, q.object)) for q in quads) + "\n}"
            for graph, quads in self.write.items() if quads
        ]
        if self.facts_add:
            blocks.append("\n".join(_triple(t) for t in self.facts_add))
        if blocks:
            operations.append("INSERT DATA {\n" + "\n".join(blocks) + "\n}")
        return " ;\n".join(operations) or "CLEAR SILENT GRAPH <urn:vigie:nothing>"


def _triple(t: Triple) -> str:
    return f"{t[0]} {t[1]} {t[2]} ."


def plan(
    store: ox.Store,
    graphs: Mapping[ox.NamedNode, Sequence[ox.Quad]],
    remove: Iterable[ox.NamedNode] = (),
) -> Change:
    """The change that replaces each of ``graphs`` with its quads and removes the graphs of ``remove``,
    keeping the consolidated graph exact. Reads only the graphs concerned and index look-ups."""
    targets = {*graphs, *remove}
    old = {g: list(store.quads_for_pattern(None, None, None, g)) for g in targets if store.contains_named_graph(g)}
    new_triples = {_t(q) for quads in graphs.values() for q in quads if consolidated(q)}
    old_triples = {_t(q) for quads in old.values() for q in quads if consolidated(q)} - new_triples
    change = Change(drop=list(old), write=dict(graphs))
    change.facts_add = [t for t in new_triples if not _in_facts(store, t)]
    change.facts_remove = [t for t in old_triples if not _held_elsewhere(store, t, targets)]
    stating_new = _typed_in_articles(graphs)
    counts = _recount(store, change, targets, before=_told(_typed_in_articles(old), old),
                      after=_told(stating_new, graphs))
    _relink_newest(store, change, graphs, targets, counts, stating_new)
    _reposition(store, change, graphs, targets)
    return change


def _t(quad: ox.Quad) -> Triple:
    return (quad.subject, quad.predicate, quad.object)  # type: ignore[return-value]


def _in_facts(store: ox.Store, t: Triple) -> bool:
    return any(True for _ in store.quads_for_pattern(t[0], t[1], t[2], FACTS))


def _held_elsewhere(store: ox.Store, t: Triple, targets: set[ox.NamedNode]) -> bool:
    """Whether a named graph other than ``targets`` holds the triple (stops at the first one)."""
    return any(
        not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name not in targets
        for q in store.quads_for_pattern(t[0], t[1], t[2], None)
    )


def _typed_in_articles(graphs: Mapping[ox.NamedNode, Sequence[ox.Quad]]) -> dict:
    """For each counted node, the given article graphs that type it (graphs that are not articles count not)."""
    stating: dict = {}
    for graph, quads in graphs.items():
        if not any(q.subject == graph and q.predicate == RDF.type and q.object == VG.Document for q in quads):
            continue
        for node in {q.subject for q in quads if q.predicate == RDF.type and q.object not in NOT_COUNTED}:
            stating.setdefault(node, set()).add(graph)
    return stating


def stories_of(article: ox.NamedNode, quads: Iterable[ox.Quad]) -> set[ox.NamedNode]:
    """The stories an article graph tells: the articles it is a version of (``dcterms:isVersionOf``), or itself."""
    versions = {q.object for q in quads if q.subject == article and q.predicate == DCTERMS.isVersionOf}
    return {v for v in versions if isinstance(v, ox.NamedNode)} or {article}  # type: ignore[misc]


def _told(stating: Mapping, graphs: Mapping[ox.NamedNode, Sequence[ox.Quad]]) -> dict:
    """For each counted node, the stories the given article graphs stating it tell."""
    stories = {g: stories_of(g, graphs[g]) for g in {g for gs in stating.values() for g in gs}}
    return {node: set().union(*(stories[g] for g in gs)) for node, gs in stating.items()}


def article_count(store: ox.Store, node: ox.NamedNode | ox.BlankNode) -> int:
    """``vg:articleCount`` of a node in the consolidated graph (0 when absent)."""
    for quad in store.quads_for_pattern(node, VG.articleCount, None, FACTS):
        return int(quad.object.value)
    return 0


def _recount(store: ox.Store, change: Change, targets: set[ox.NamedNode], *, before: Mapping, after: Mapping) -> dict:
    """Adds the count changes; returns each node's count after the write.

    A story the written graphs stop (or start) telling about a node counts one less (or more) unless an
    article outside ``targets`` tells it about the node too."""
    counts = {}
    for node in before.keys() | after.keys():
        old_stories, new_stories = before.get(node, set()), after.get(node, set())
        elsewhere = {s for s in old_stories ^ new_stories if _told_elsewhere(store, node, s, targets)}
        old = article_count(store, node)
        lost, gained = old_stories - new_stories - elsewhere, new_stories - old_stories - elsewhere
        new = counts[node] = old - len(lost) + len(gained)
        if new == old:
            continue
        if old:
            change.facts_remove.append((node, VG.articleCount, _integer(old)))
        if new > 0:
            change.facts_add.append((node, VG.articleCount, _integer(new)))
    return counts


def _told_elsewhere(store: ox.Store, node: ox.NamedNode, story: ox.NamedNode, targets: set[ox.NamedNode]) -> bool:
    """Whether an article graph not in ``targets`` tells ``story`` and types ``node`` (one look-up per copy)."""
    copies = (q.subject for q in store.quads_for_pattern(None, DCTERMS.isVersionOf, story, None)
              if q.subject == q.graph_name)
    for article in (story, *copies):
        if article in targets or not _types(store, article, node):
            continue
        if article != story or story in stories_of(story, store.quads_for_pattern(story, DCTERMS.isVersionOf,
                                                                                  None, story)):
            return True
    return False


def _types(store: ox.Store, article: ox.NamedNode, node: ox.NamedNode) -> bool:
    """Whether ``article`` is an article graph that types ``node`` (with a counted type)."""
    return (any(q.object not in NOT_COUNTED for q in store.quads_for_pattern(node, RDF.type, None, article))
            and any(True for _ in store.quads_for_pattern(article, RDF.type, VG.Document, article)))


# ------------------------------------------------------------------ newest sources


def _newest(store: ox.Store, documents: Iterable[ox.NamedNode],
            written: Mapping[ox.NamedNode, Sequence[ox.Quad]], dates: dict | None = None) -> list[ox.NamedNode]:
    """The :data:`SOURCES_KEPT` newest documents, by date then IRI (the order SPARQL gives with STR)."""
    dates = {} if dates is None else dates
    for d in documents:
        if d not in dates:
            quads = written.get(d)
            found = ((q.object.value for q in quads if q.subject == d and q.predicate == DCTERMS.date)
                     if quads is not None else
                     (q.object.value for q in store.quads_for_pattern(d, DCTERMS.date, None, FACTS)))
            dates[d] = next(found, "")
    keyed = sorted(((dates[d], d.value, d) for d in set(documents)), reverse=True)
    return [d for _, _, d in keyed[:SOURCES_KEPT]]


def _stating(store: ox.Store, node: ox.NamedNode, exclude: set[ox.NamedNode]) -> set[ox.NamedNode]:
    """Every article graph that types ``node``, but ``exclude`` (one look-up per article stating it)."""
    graphs = {q.graph_name for q in store.quads_for_pattern(node, RDF.type, None, None)
              if isinstance(q.graph_name, ox.NamedNode) and q.graph_name not in exclude and q.object not in NOT_COUNTED}
    return {g for g in graphs if any(True for _ in store.quads_for_pattern(g, RDF.type, VG.Document, g))}


def _relink_newest(store: ox.Store, change: Change, graphs: Mapping[ox.NamedNode, Sequence[ox.Quad]],
                   targets: set[ox.NamedNode], counts: Mapping, stating_new: Mapping) -> None:
    """Keeps ``vg:latestSource`` on each counted node: its :data:`SOURCES_KEPT` newest articles.

    Invariant: the links are the newest articles stating the node (all of them when fewer than
    :data:`SOURCES_KEPT`). New articles only compete with the kept ones; all the articles stating the node
    are read only when a kept one stops stating it and the links were full (others may exist).
    """
    dates: dict = {}
    for node, total in counts.items():
        current = [q.object for q in store.quads_for_pattern(node, VG.latestSource, None, FACTS)]
        new = stating_new.get(node, set())
        lost = any(d in targets and d not in new for d in current)
        if not new and not lost:
            continue  # its articles were rewritten, still stating it: the newest are the same
        candidates = {d for d in current if d not in targets} | new
        if lost and len(current) >= SOURCES_KEPT:
            candidates = _stating(store, node, targets) | new
        top = _newest(store, candidates, graphs, dates) if total > 0 else []
        change.facts_remove += [(node, VG.latestSource, d) for d in current if d not in top]
        change.facts_add += [(node, VG.latestSource, d) for d in top if d not in current]


def _integer(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=XSD.integer)


# ------------------------------------------------------------------ positions (bounded paging)


def is_document(graph: ox.NamedNode, quads: Iterable[ox.Quad]) -> bool:
    """Whether the graph's quads type it ``vg:Document`` (an article graph)."""
    return any(q.subject == graph and q.predicate == RDF.type and q.object == VG.Document for q in quads)


class _Window:
    """The articles' positions during one write: the store's, overlaid with the write's changes.

    Positions are dense: the articles hold ``first … first + count - 1``, one each. A new article takes
    the next one (it is the newest); a removed article's place is taken by the oldest one (``first``),
    and ``first`` moves up, so that the newest articles, which a list shows first, keep their places and
    a removal costs two look-ups whatever the number of articles."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.old_first, self.old_count = window(store)
        self.first, self.count = self.old_first, self.old_count
        self.moved: dict[ox.NamedNode, int | None] = {}
        self.holder: dict[int, ox.NamedNode | None] = {}

    def position(self, doc: ox.NamedNode) -> int | None:
        if doc in self.moved:
            return self.moved[doc]
        return stored_position(self.store, doc)

    def at(self, n: int) -> ox.NamedNode | None:
        if n in self.holder:
            return self.holder[n]
        found = next(self.store.quads_for_pattern(None, VG.position, _integer(n), FACTS), None)
        return found.subject if found is not None and isinstance(found.subject, ox.NamedNode) else None

    def _place(self, doc: ox.NamedNode, n: int | None) -> None:
        self.moved[doc] = n
        if n is not None:
            self.holder[n] = doc

    def add(self, doc: ox.NamedNode) -> None:
        self._place(doc, self.first + self.count)
        self.count += 1

    def remove(self, doc: ox.NamedNode, n: int) -> None:
        oldest = self.at(self.first)
        self.holder[self.first] = None
        if oldest is not None and oldest != doc:
            self._place(oldest, n)
        self._place(doc, None)
        self.first, self.count = self.first + 1, self.count - 1
        if self.count == 0:
            self.first = 0  # an empty store keeps no window: the next article starts again at 0

    def write(self, change: Change) -> None:
        """Adds the position triples that changed, and the store's window, to ``change``."""
        removed: list[Triple] = _window_triples(self.old_first, self.old_count)
        added: list[Triple] = _window_triples(self.first, self.count)
        for doc, new in self.moved.items():
            old = stored_position(self.store, doc)
            if old != new:
                removed += [(doc, VG.position, _integer(old))] if old is not None else []
                added += [(doc, VG.position, _integer(new))] if new is not None else []
        change.facts_remove += [t for t in removed if t not in added]  # a triple in both stays as it is
        change.facts_add += [t for t in added if t not in removed]


#: The store's own node: it carries the window of positions (and the rebuild marker).
STORE_NODE = REBUILDING.subject


def _window_triples(first: int, count: int) -> list[Triple]:
    """The store node's window triples (none when there is no article: an empty store has an empty graph)."""
    if count <= 0:
        return []
    return [(STORE_NODE, VG.firstPosition, _integer(first)), (STORE_NODE, VG.documentCount, _integer(count))]


def window(store: ox.Store) -> tuple[int, int]:
    """``(first position, number of articles)`` as the consolidated graph says (``(0, 0)`` when absent)."""
    values = []
    for predicate in (VG.firstPosition, VG.documentCount):
        found = next(store.quads_for_pattern(STORE_NODE, predicate, None, FACTS), None)
        values.append(int(found.object.value) if found is not None else 0)
    return values[0], values[1]


def stored_position(store: ox.Store, doc: ox.NamedNode) -> int | None:
    """An article's ``vg:position`` in the consolidated graph (``None`` when it has none)."""
    found = next(store.quads_for_pattern(doc, VG.position, None, FACTS), None)
    return int(found.object.value) if found is not None else None


def _reposition(store: ox.Store, change: Change, graphs: Mapping[ox.NamedNode, Sequence[ox.Quad]],
                targets: set[ox.NamedNode]) -> None:
    """Keeps the positions dense: a graph that becomes an article takes the next position, one that stops
    being one (removed, or rewritten without its ``vg:Document``) gives its place to the oldest article.
    Index look-ups only (two per article written or removed)."""
    positions = _Window(store)
    for graph in sorted(targets, key=lambda g: g.value):  # sorted: the same write gives the same positions
        now = graph in graphs and is_document(graph, graphs[graph])
        n = positions.position(graph)
        if n is not None and not now:
            positions.remove(graph, n)
        elif n is None and now:
            positions.add(graph)
    positions.write(change)


def ordered(found: Mapping[ox.NamedNode, int], documents: Iterable[ox.NamedNode]) -> tuple[int, list[ox.NamedNode]]:
    """The positions a rebuild gives: ``(first, articles in position order)``.

    The articles that had a position keep their order (and their positions when they were dense), from the
    lowest one found; those without one (a store written before positions existed, or written by an
    arbitrary SPARQL Update) follow, newest, in IRI order."""
    documents = set(documents)
    kept = sorted((d for d in documents if d in found), key=lambda d: (found[d], d.value))
    fresh = sorted((d for d in documents if d not in found), key=lambda d: d.value)
    first = found[kept[0]] if kept else 0
    return first, kept + fresh


def _rebuild_positions(store: ox.Store, found: Mapping[ox.NamedNode, int]) -> None:
    documents = (q.subject for q in store.quads_for_pattern(None, RDF.type, VG.Document, None)
                 if q.subject == q.graph_name and isinstance(q.subject, ox.NamedNode))
    first, order = ordered(found, documents)
    store.extend(ox.Quad(d, VG.position, _integer(first + i), FACTS) for i, d in enumerate(order))
    store.extend(ox.Quad(*t, FACTS) for t in _window_triples(first, len(order)))


def _found_positions(store: ox.Store) -> dict[ox.NamedNode, int]:
    return {q.subject: int(q.object.value) for q in store.quads_for_pattern(None, VG.position, None, FACTS)
            if isinstance(q.subject, ox.NamedNode)}


# ------------------------------------------------------------------ rebuild


def needs_rebuild(store: ox.Store) -> bool:
    """Whether the consolidated graph is missing (a store written before it existed) or half-rebuilt."""
    if any(True for _ in store.quads_for_pattern(REBUILDING.subject, REBUILDING.predicate, None, FACTS)):
        return True
    if any(True for _ in store.quads_for_pattern(None, None, None, FACTS)):
        return False
    return any(True for _ in store.quads_for_pattern(None, RDF.type, None, None))


def needs_positions(store: ox.Store) -> bool:
    """Whether the articles have no positions (a store written before they existed): two look-ups."""
    return (not any(True for _ in store.quads_for_pattern(STORE_NODE, VG.documentCount, None, FACTS))
            and any(q.subject == q.graph_name for q in store.quads_for_pattern(None, RDF.type, VG.Document, None)))


def give_positions(store: ox.Store) -> None:
    """Gives positions to the articles of a store written before they existed (in IRI order), keeping any
    found: linear in the articles, but no rebuild of the rest of the consolidated graph."""
    found = _found_positions(store)
    for predicate in (VG.position, VG.firstPosition, VG.documentCount):
        for quad in list(store.quads_for_pattern(None, predicate, None, FACTS)):
            store.remove(quad)
    _rebuild_positions(store, found)


def rebuild(store: ox.Store, chunk: int = 100_000) -> int:
    """Recompute the consolidated graph from the named graphs; returns its number of triples.

    Streams graph by graph (memory bounded by the largest graph and ``chunk``). Interrupted, it leaves a
    marker that makes the next writable open rebuild again.
    """
    found = _found_positions(store)  # kept: a rebuild does not reorder the article list
    store.clear_graph(FACTS)
    store.add(REBUILDING)
    for graph in list(store.named_graphs()):
        batch = [ox.Quad(q.subject, q.predicate, q.object, FACTS)
                 for q in store.quads_for_pattern(None, None, None, graph) if consolidated(q)]
        for start in range(0, len(batch), chunk):
            store.bulk_extend(batch[start:start + chunk])
    pairs = _all_pairs(store)
    stating: dict = {}
    for node, graph in pairs:
        stating.setdefault(node, set()).add(graph)
    stories = {g: stories_of(g, store.quads_for_pattern(g, DCTERMS.isVersionOf, None, g)) for _, g in pairs}
    store.extend(ox.Quad(node, VG.articleCount, _integer(len(set().union(*(stories[g] for g in graphs)))), FACTS)
                 for node, graphs in stating.items())
    store.extend(ox.Quad(node, VG.latestSource, d, FACTS)
                 for node, graphs in stating.items() for d in _newest(store, graphs, {}))
    _rebuild_positions(store, found)
    store.remove(REBUILDING)
    # bulk_extend leaves overlapping SST files behind: index seeks on the rebuilt graph cost 3-6x more until
    # RocksDB compacts them (BENCHMARKS.md, 100,000 articles), so the rebuild compacts before it returns
    store.optimize()
    return sum(1 for _ in store.quads_for_pattern(None, None, None, FACTS))


def _all_pairs(store: ox.Store) -> set[tuple]:
    """Every (counted node, article graph typing it)."""
    documents = {
        q.subject for q in store.quads_for_pattern(None, RDF.type, VG.Document, None) if q.subject == q.graph_name
    }
    return {
        (q.subject, q.graph_name) for q in store.quads_for_pattern(None, RDF.type, None, None)
        if q.graph_name in documents and q.object not in NOT_COUNTED
    }


def facts(store: ox.Store) -> Iterator[Triple]:
    """The consolidated graph's triples (without the rebuild marker)."""
    for q in store.quads_for_pattern(None, None, None, FACTS):
        if q.predicate != REBUILDING.predicate:
            yield _t(q)


# ------------------------------------------------------------------ on a SPARQL server

_TEXT, _COUNT, _DOCUMENT, _LATEST = str(VG.text), str(VG.articleCount), str(VG.Document), str(VG.latestSource)
_NOT_COUNTED = ", ".join(str(t) for t in sorted(NOT_COUNTED, key=str))
#: Binds ?story to each story (:func:`stories_of`) of each article ?d typing ?s with a counted type.
_STORY_PATTERN = (f"GRAPH ?d {{ ?d a {_DOCUMENT} . ?s a ?t OPTIONAL {{ ?d {DCTERMS.isVersionOf} ?version }} }} "
                  f"FILTER (?t NOT IN ({_NOT_COUNTED})) FILTER (!BOUND(?version) || isIRI(?version)) "
                  f"BIND (COALESCE(?version, ?d) AS ?story)")


def counted_nodes(quads: Iterable[ox.Quad]) -> set[ox.NamedNode]:
    """The nodes whose ``vg:articleCount`` a write of these quads may change (typed, not counted types)."""
    return {q.subject for q in quads  # type: ignore[misc]
            if q.predicate == RDF.type and q.object not in NOT_COUNTED and isinstance(q.subject, ox.NamedNode)}


#: The nodes the graphs of ``?g`` type, whose counts a write of those graphs changes (read before it).
COUNTED_IN_GRAPHS = f"SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s a ?t }} FILTER (?t NOT IN ({_NOT_COUNTED})) }}"


def server_update(graphs: Mapping[ox.NamedNode, bytes], remove: Iterable[ox.NamedNode] = (),
                  recount: Iterable[ox.NamedNode] = ()) -> str:
    """The one SPARQL Update that replaces each of ``graphs`` with its N-Triples and removes the graphs of
    ``remove`` on a SPARQL 1.1 server, keeping its default graph the consolidated graph.

    ``recount`` are the nodes the old and new graphs type (:func:`counted_nodes`, :data:`COUNTED_IN_GRAPHS`).
    The server computes what to remove (the triples no other graph holds) and the counts with look-ups
    bound by the graphs and nodes concerned; the request is one transaction on Oxigraph and Fuseki.
    """
    targets = [*graphs, *remove]
    if not targets:
        return ""
    values = " ".join(str(g) for g in targets)
    operations = [
        f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} VALUES ?g {{ {values} }} "
        f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} FILTER (?h NOT IN ({', '.join(str(g) for g in targets)})) }} }}",
        *(f"DROP SILENT GRAPH {g}" for g in targets),
    ]
    for graph, body in graphs.items():
        operations.append(f"CREATE SILENT GRAPH {graph}")
        if body:
            operations.append(f"INSERT DATA {{ GRAPH {graph} {{\n{body.decode('utf-8')}}} }}")
    if graphs:
        written = " ".join(str(g) for g in graphs)
        operations.append(f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} VALUES ?g {{ {written} }} "
                          f"FILTER (?p != {_TEXT}) }}")
    for graph in sorted(targets, key=lambda g: g.value):  # the order plan() follows
        operations += server_reposition(graph)
    nodes = " ".join(sorted(str(n) for n in recount))
    if nodes:
        operations += [
            f"DELETE {{ ?s {_COUNT} ?n }} WHERE {{ VALUES ?s {{ {nodes} }} ?s {_COUNT} ?n }}",
            f"INSERT {{ ?s {_COUNT} ?c }} WHERE {{ SELECT ?s (COUNT(DISTINCT ?story) AS ?c) WHERE {{ "
            f"VALUES ?s {{ {nodes} }} {_STORY_PATTERN} }} GROUP BY ?s }}",
            *server_newest_sources(sorted(recount, key=str)),
        ]
    return " ;\n".join(operations)


_POSITION, _FIRST, _DOCUMENTS = str(VG.position), str(VG.firstPosition), str(VG.documentCount)


def server_reposition(graph: ox.NamedNode) -> list[str]:
    """Update operations that keep the positions dense on a server after ``graph`` was written or removed,
    as :func:`plan` does: an article without a position takes the next one; a position whose graph is no
    longer an article is given to the oldest article. Each reads the store node and one or two articles."""
    store, not_article = str(STORE_NODE), f"FILTER NOT EXISTS {{ GRAPH {graph} {{ {graph} a {_DOCUMENT} }} }}"
    window = (f"OPTIONAL {{ {store} {_FIRST} ?first0 }} OPTIONAL {{ {store} {_DOCUMENTS} ?count0 }} "
              "BIND (COALESCE(?first0, 0) AS ?first) BIND (COALESCE(?count0, 0) AS ?count)")
    return [
        # Removed: the oldest article takes its place (not itself, when it is the oldest) ...
        f"DELETE {{ ?oldest {_POSITION} ?first }} INSERT {{ ?oldest {_POSITION} ?n }} WHERE {{ "
        f"{graph} {_POSITION} ?n {not_article} {store} {_FIRST} ?first . ?oldest {_POSITION} ?first "
        f"FILTER (?oldest != {graph}) }}",
        # ... and the window starts one later.
        f"DELETE {{ {graph} {_POSITION} ?n . {store} {_FIRST} ?first . {store} {_DOCUMENTS} ?count }} "
        f"INSERT {{ {store} {_FIRST} ?next . {store} {_DOCUMENTS} ?left }} WHERE {{ {graph} {_POSITION} ?n "
        f"{not_article} {window} BIND (?first + 1 AS ?next) BIND (?count - 1 AS ?left) }}",
        f"DELETE WHERE {{ {store} {_DOCUMENTS} 0 ; {_FIRST} ?first }}",  # no article left: an empty graph
        # Written as an article without a position: the next one.
        f"DELETE {{ {store} {_DOCUMENTS} ?count }} "
        f"INSERT {{ {graph} {_POSITION} ?n . {store} {_FIRST} ?first . {store} {_DOCUMENTS} ?more }} WHERE {{ "
        f"GRAPH {graph} {{ {graph} a {_DOCUMENT} }} FILTER NOT EXISTS {{ {graph} {_POSITION} ?any }} {window} "
        "BIND (?first + ?count AS ?n) BIND (?count + 1 AS ?more) }",
    ]


def server_positions(found: Mapping[ox.NamedNode, int], documents: Iterable[ox.NamedNode],
                     batch: int = 5_000) -> list[str]:
    """Update requests that give a server's articles the positions :func:`rebuild` gives (:func:`ordered`):
    the first one removes every position, the others insert them ``batch`` articles at a time."""
    first, order = ordered(found, documents)
    requests = [" ;\n".join([f"DELETE WHERE {{ ?d {_POSITION} ?n }}", f"DELETE WHERE {{ {STORE_NODE} {_FIRST} ?f }}",
                              f"DELETE WHERE {{ {STORE_NODE} {_DOCUMENTS} ?c }}"])]
    triples = [*_window_triples(first, len(order)),
               *((d, VG.position, _integer(first + i)) for i, d in enumerate(order))]
    for start in range(0, len(triples), batch):
        requests.append("INSERT DATA {\n" + "\n".join(_triple(t) for t in triples[start:start + batch]) + "\n}")
    return requests


def server_newest_sources(nodes: Sequence[ox.NamedNode]) -> list[str]:
    """Update operations that recompute ``vg:latestSource`` of each node on a server (one per node: SPARQL
    has no "first k of each group"; each reads the articles stating that node)."""
    if not nodes:
        return []
    values = " ".join(str(n) for n in nodes)
    operations = [f"DELETE {{ ?s {_LATEST} ?d }} WHERE {{ VALUES ?s {{ {values} }} ?s {_LATEST} ?d }}"]
    for node in nodes:
        operations.append(
            f"INSERT {{ {node} {_LATEST} ?d }} WHERE {{ SELECT DISTINCT ?d ?date WHERE {{ "
            f"GRAPH ?d {{ ?d a {_DOCUMENT} . {node} a ?t }} FILTER (?t NOT IN ({_NOT_COUNTED})) "
            f"OPTIONAL {{ ?d {DCTERMS.date} ?date }} }} ORDER BY DESC(STR(?date)) DESC(STR(?d)) LIMIT {SOURCES_KEPT} }}"
        )
    return operations


#: Recomputes the consolidated graph on a SPARQL server from its named graphs (a cost that grows with the
#: store: for ``vigie reindex`` and after arbitrary updates), but the newest-source links, which follow
#: with :func:`server_newest_sources` for every counted node.
SERVER_REBUILD = " ;\n".join([
    f"DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER (?p NOT IN ({_COUNT}, {_POSITION}, {_FIRST}, {_DOCUMENTS})) "
    f"FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} }} }}",
    f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (?p != {_TEXT}) "
    f"FILTER NOT EXISTS {{ ?s ?p ?o }} }}",
    f"DELETE WHERE {{ ?s {_COUNT} ?n }}",
    f"DELETE WHERE {{ ?s {_LATEST} ?d }}",
    f"INSERT {{ ?s {_COUNT} ?c }} WHERE {{ SELECT ?s (COUNT(DISTINCT ?story) AS ?c) WHERE {{ "
    f"{_STORY_PATTERN} }} GROUP BY ?s }}",
])
