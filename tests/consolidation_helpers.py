"""Helpers for the consolidated-graph tests: copies of real article graphs, and the exactness check."""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from vigie import consolidation


def article_graphs(store: ox.Store) -> dict[ox.NamedNode, list[ox.Quad]]:
    """The article graphs of an Oxigraph store, by graph."""
    from ontology.namespaces import RDF, VG

    documents = [q.subject for q in store.quads_for_pattern(None, RDF.type, VG.Document, None)
                 if q.subject == q.graph_name]
    return {doc: list(store.quads_for_pattern(None, None, None, doc)) for doc in documents}


def copy_of(graph: ox.NamedNode, quads: Sequence[ox.Quad], tag: str) -> tuple[ox.NamedNode, list[ox.Quad]]:
    """The article graph as if another article said the same: its document and evidence IRIs renamed."""
    new_graph = ox.NamedNode(f"{graph.value}-{tag}")

    def rename(term):
        if isinstance(term, ox.NamedNode) and (term == graph or "/evidence/" in term.value):
            return ox.NamedNode(f"{term.value}-{tag}")
        return term

    return new_graph, [ox.Quad(rename(q.subject), q.predicate, rename(q.object), new_graph) for q in quads]


def version_of(graph: ox.NamedNode, quads: Sequence[ox.Quad], tag: str,
               story: ox.NamedNode) -> tuple[ox.NamedNode, list[ox.Quad]]:
    """A copy of the article graph on another site, republishing the dispatch of ``story``
    (``dcterms:isVersionOf``, as :mod:`vigie.web_ingest` writes it)."""
    from ontology.namespaces import DCTERMS

    new_graph, copy = copy_of(graph, quads, tag)
    return new_graph, [*copy, ox.Quad(new_graph, DCTERMS.isVersionOf, story, new_graph)]


def changed(quads: Sequence[ox.Quad], rng: random.Random) -> list[ox.Quad]:
    """The article graph after its text changed: a random part of its facts gone (the document kept)."""
    graph = quads[0].graph_name
    return [q for q in quads if q.subject == graph or rng.random() < 0.7]


def random_writes(store, pool: Mapping[ox.NamedNode, list[ox.Quad]], rng: random.Random, steps: int, *,
                  max_batch: int = 4, ingest: float = 0.5, reingest: float = 0.7,
                  reread: Callable[[ox.NamedNode, list[ox.Quad], random.Random], list[ox.Quad]] | None = None,
                  after_step: Callable[[int, dict], None] | None = None) -> dict[ox.NamedNode, list[ox.Quad]]:
    """Play ``steps`` random writes on ``store`` (a :class:`vigie.store.Store` or any backend):
    ingests of 1..``max_batch`` graphs of ``pool`` (below ``ingest``), re-ingests of a written graph with
    part of its facts gone (below ``reingest``; ``reread`` builds the new quads, :func:`changed` by default),
    and removals. ``after_step(step, written)`` runs after each write; the graphs written last are returned."""
    names = sorted(pool, key=lambda g: g.value)
    written: dict[ox.NamedNode, list[ox.Quad]] = {}
    for step in range(steps):
        action = rng.random()
        if action < ingest or not written:
            batch = {g: pool[g] for g in rng.sample(names, k=rng.randint(1, max_batch))}
            store.replace_graphs(batch)
            written.update(batch)
        elif action < reingest:
            graph = rng.choice(sorted(written, key=lambda g: g.value))
            written[graph] = (reread or (lambda _g, quads, r: changed(quads, r)))(graph, pool[graph], rng)
            store.replace_graphs({graph: written[graph]})
        else:
            graph = rng.choice(sorted(written, key=lambda g: g.value))
            assert store.remove_graph(graph)
            del written[graph]
        if after_step is not None:
            after_step(step, written)
    return written


def facts(store: ox.Store) -> set:
    return set(consolidation.facts(store))


def rebuilt_facts(store: ox.Store) -> set:
    """The consolidated graph recomputed from the named graphs, on a copy (the store is left as it is).

    The articles' positions are copied too: a rebuild keeps the positions it finds (they record the order
    of addition, which the named graphs do not), so the two graphs are equal only if the incremental
    positions were dense (a rebuild renumbers positions with holes or repeats)."""
    from ontology.namespaces import VG

    copy = ox.Store()
    copy.extend(q for q in store.quads_for_pattern(None, None, None, None)
                if not isinstance(q.graph_name, ox.DefaultGraph) or q.predicate == VG.position)
    consolidation.rebuild(copy)
    return facts(copy)


def assert_positions_dense(store: ox.Store) -> None:
    """Every article has one position, none else has one, and they are ``first … first + count - 1``."""
    from ontology.namespaces import VG

    documents = set(article_graphs(store))
    positions = [(q.subject, int(q.object.value))
                 for q in store.quads_for_pattern(None, VG.position, None, consolidation.FACTS)]
    first, count = consolidation.window(store)
    assert {d for d, _ in positions} == documents and len(positions) == len(documents) == count
    assert sorted(n for _, n in positions) == list(range(first, first + count))


def assert_consolidated_graph_exact(path: Path, scratch: Path) -> None:
    """The on-disk store's consolidated graph equals the one rebuilt from its named graphs (with the
    positions it holds), and its articles' positions are dense."""
    copy = scratch / "exactness-copy"
    shutil.copytree(path, copy, ignore=shutil.ignore_patterns("LOCK"))
    store = ox.Store(str(copy))
    incremental = facts(store)
    rebuilt = rebuilt_facts(store)
    assert incremental == rebuilt, (
        f"{len(incremental - rebuilt)} consolidated triples too many, {len(rebuilt - incremental)} missing"
    )
    assert_positions_dense(store)
