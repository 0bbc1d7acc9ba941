"""What each page shows: the template context of every page, built from :mod:`.reads` (no HTTP here)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox

from api.graph import Graph
from ontology.namespaces import VG

from . import lifebar, reads
from .formatting import PAGE_KINDS, fold, slug_of
from .layout import RELATION_NAMES, company_graph, overview_graph
from .text import FACT_KINDS, segments
from .views import DocumentInfo, Entity, Labels, Ref, StatementView, TimelineItem

#: Articles per page of the article list.
PAGE_SIZE = 100
#: The newest articles the home page shows.
HOME_DOCUMENTS = 10


def search(all_entities: list[Entity], query: str) -> list[Entity]:
    """Entities whose label or an alias contains the query, accents and case ignored; best first."""
    needle = fold(query)
    if not needle:
        return []
    hits = []
    for entity in all_entities:
        score = _score(entity, needle)
        if score is not None:
            hits.append(Entity(**{**entity.__dict__, "score": score}))
    return sorted(hits, key=lambda e: (e.score, -e.documents, fold(e.label)))


def _score(entity: Entity, needle: str) -> int | None:
    """0 for the exact name, then name prefix, exact alias, word of the name, part of an alias; else ``None``."""
    label = fold(entity.label)
    aliases = [fold(a) for a in entity.aliases] + [fold(entity.slug.replace("-", " "))]
    if label == needle:
        return 0
    if label.startswith(needle):
        return 1
    if needle in aliases:
        return 2
    if needle in label or any(w.startswith(needle) for w in label.split()):
        return 3
    if any(needle in a for a in aliases):
        return 4
    return None


def _newest_first(graph: Graph) -> list[DocumentInfo]:
    return sorted(reads.documents(graph).values(), key=lambda d: (d.date or "", d.slug), reverse=True)


def newest_documents(graph: Graph, limit: int, offset: int = 0) -> tuple[list[DocumentInfo], int]:
    """One page of the articles, newest first, and their number: the page's articles only (their positions,
    :meth:`Graph.newest_documents`); a store without positions lists every article, by date."""
    found = graph.newest_documents(limit, offset)
    if found is None:
        docs = _newest_first(graph)
        return docs[offset:offset + limit], len(docs)
    page, total = found
    infos = reads.documents(graph, page) if page else {}
    return [infos[d.value] for d in page if d.value in infos], total


def home(graph: Graph, q: str | None) -> dict[str, Any]:
    everyone = reads.entities(graph, reads.labels(graph))
    mentioned = {kind: [e for e in everyone if e.kind == kind and e.documents] for kind in PAGE_KINDS}
    known = {kind: [e for e in everyone if e.kind == kind and not e.documents] for kind in PAGE_KINDS}
    newest, total = newest_documents(graph, HOME_DOCUMENTS)
    return {"title": "Vigie", "q": q or "", "hits": search(everyone, q) if q else None, "mentioned": mentioned,
            "known": known, "documents": newest, "documents_total": total}


def actor(graph: Graph, kind: str, iri: ox.NamedNode) -> tuple[Labels, Entity] | None:
    """The names and the entity of an actor's page, if ``iri`` is a known ``kind``."""
    names = reads.labels(graph)
    found = [e for e in reads.entities(graph, names, iri) if e.kind == kind]
    return (names, found[0]) if found else None


def _sparql_link(iri: ox.NamedNode) -> str:
    """The editor with a query listing the company's policies, one row per property and value."""
    query = (f"PREFIX vg: <{VG}>\n# The policies of {slug_of(iri.value)}, one row per property and value\n"
             f"SELECT DISTINCT ?policy ?property ?value WHERE {{\n"
             f"  GRAPH ?article {{ ?policy vg:issuedBy <{iri.value}> ; ?property ?value }}\n}}\n"
             "ORDER BY ?policy ?property")
    return "/ui/sparql?" + urlencode({"query": query})


def company(graph: Graph, names: Labels, iri: ox.NamedNode, entity: Entity) -> dict[str, Any]:
    policies = reads.company_policies(graph, iri, names)
    bars, scale = lifebar.lives(graph, [p.iri for p in policies], names)
    for policy in policies:
        policy.life = bars.get(policy.iri)
    called_by = reads.statements(graph, iri, names, lambda s: s.calls_on(iri.value))
    return {"title": names(iri), "entity": entity, "sparql_url": _sparql_link(iri), "policies": policies,
            "scale": scale,
            "called_by": called_by[:reads.MAX_STATEMENTS], "called_by_total": len(called_by),
            "benefits": reads.benefits(graph, names, iri),
            "graph": company_graph(iri.value, policies, names, called_by)}


def _calls_on(says: list[StatementView]) -> list[dict[str, Any]]:
    """The targets of an actor's statements, each with the statements calling on it."""
    calls_on: dict[str, dict[str, Any]] = {}
    for statement in says:
        for target in statement.targets:
            entry = calls_on.setdefault(f"{target.kind}/{target.slug}", {"target": target, "statements": []})
            entry["statements"].append(statement)
    return sorted(calls_on.values(), key=lambda e: fold(e["target"].label))


def advocate_or_legislature(graph: Graph, names: Labels, kind: str, iri: ox.NamedNode,
                            entity: Entity) -> dict[str, Any]:
    says = reads.statements(graph, iri, names, lambda s: s.speaks_for(iri.value))
    called_by = reads.statements(graph, iri, names, lambda s: s.calls_on(iri.value))
    awaiting = reads.awaiting(graph, names, iri) if kind == "legislature" else []
    return {"title": names(iri), "kind": kind, "entity": entity, "calls_on": _calls_on(says), "says": says,
            "called_by": called_by[:reads.MAX_STATEMENTS], "called_by_total": len(called_by),
            "awaiting": awaiting, "benefits": reads.benefits(graph, names, iri)}


def documents(graph: Graph, page: int) -> dict[str, Any]:
    """One page of the article list, newest first: its :data:`PAGE_SIZE` articles only."""
    shown, total = newest_documents(graph, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    return {"title": "Articles", "documents": shown, "total": total, "page": page, "pages": pages}


def document(graph: Graph, info: DocumentInfo) -> dict[str, Any]:
    facts = reads.article_facts(graph, info, reads.labels(graph))
    counts = {kind: sum(1 for f in facts if f.kind == kind) for kind in FACT_KINDS}
    return {"title": info.title, "doc": info, "facts": facts, "counts": counts,
            "segments": segments(info.text or "", facts)}


def timeline(graph: Graph) -> dict[str, Any]:
    months: dict[str, list[TimelineItem]] = {}
    names = reads.labels(graph)
    items = reads.timeline(graph, names)
    bars, scale = lifebar.lives(graph, [item.policy for item in items], names)
    for item in items:
        item.life = bars.get(item.policy)
        months.setdefault(item.date[:7] if item.date else "", []).append(item)
    lives = [item for item in items if item.life]
    return {"title": "Chronologie des annonces", "months": months, "lives": lives, "scale": scale}


def overview(graph: Graph) -> dict[str, Any]:
    """The graph page: the drawing, and the same edges as text (calls on, awaits)."""
    names = reads.labels(graph)
    edges = reads.relations(graph)
    items = reads.timeline(graph, names)
    by_policy = {i.policy: i for i in items}

    def name(iri: str) -> tuple[str, str | None]:
        if iri in by_policy:
            item = by_policy[iri]
            return f"{item.company.label} : {', '.join(item.types)}", item.url
        ref = Ref.of(iri, names)
        return ref.label, ref.url

    listed = [(name(s)[0], RELATION_NAMES.get(r, r), name(t)[0], name(s)[1], name(t)[1])
              for s, r, t in edges if r in ("calls-on", "awaits")]
    return {"title": "Graphe", "graph": overview_graph(names, edges, items), "items": items,
            "listed": sorted(set(listed), key=lambda e: (fold(e[0]), fold(e[2])))}
