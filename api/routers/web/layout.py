"""Graph drawings for the pages: nodes laid out in columns, left to right, drawn as inline SVG by the templates."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ontology.iris import is_slug, mint

from .formatting import fold
from .views import Labels, PolicyView, Ref, StatementView, TimelineItem

NODE_W, NODE_H, COL_GAP, ROW_GAP, TOP = 156, 34, 44, 14, 34
RELATION_NAMES = {"issued": "émet", "exception": "exception", "beneficiary": "bénéficiaire",
                  "awaits": "attend une loi de", "calls-on": "interpelle"}
#: Companies drawn in the overview graph (those with the most policies); the text list below it has them all.
GRAPH_COMPANIES = 30

#: An edge before layout: (source id, relation, target id).
Link = tuple[str, str, str]


@dataclass
class Node:
    id: str
    label: str
    kind: str
    url: str | None
    x: float = 0
    y: float = 0

    @property
    def short(self) -> str:
        return self.label if len(self.label) <= 21 else self.label[:20] + "…"


@dataclass
class Edge:
    source: Node
    target: Node
    relation: str

    @property
    def path(self) -> str:
        x1, y1 = self.source.x + NODE_W, self.source.y + NODE_H / 2
        x2, y2 = self.target.x, self.target.y + NODE_H / 2
        mid = (x1 + x2) / 2
        return f"M{x1:.0f},{y1:.0f} C{mid:.0f},{y1:.0f} {mid:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"


@dataclass
class Drawing:
    """A laid-out graph: placed nodes, the edges kept, the size and the column headings."""

    nodes: list[Node]
    edges: list[Edge]
    width: int
    height: int
    columns: list[tuple[float, str]]
    truncated: bool = False


def layout(columns: list[tuple[str, list[Node]]], edges: list[Link]) -> Drawing:
    """Place the nodes of each column top to bottom and keep the edges that go left to right."""
    placed: dict[str, Node] = {}
    column_of: dict[str, int] = {}
    heads = []
    height = 0
    for index, (title, nodes) in enumerate(columns):
        x = 10 + index * (NODE_W + COL_GAP)
        heads.append((x + NODE_W / 2, title))
        for row, node in enumerate(nodes):
            node.x, node.y = x, TOP + row * (NODE_H + ROW_GAP)
            placed[node.id] = node
            column_of[node.id] = index
        height = max(height, TOP + len(nodes) * (NODE_H + ROW_GAP))
    kept = [Edge(placed[s], placed[t], r) for s, r, t in edges
            if s in placed and t in placed and column_of[s] < column_of[t]]
    width = 20 + len(columns) * NODE_W + (len(columns) - 1) * COL_GAP
    return Drawing(list(placed.values()), kept, width, max(height, TOP + NODE_H) + 10, heads)


def _node(iri: str, labels: Labels) -> Node:
    ref = Ref.of(iri, labels)
    return Node(iri, ref.label, ref.kind, ref.url)


def _ref_node(ref: Ref) -> Node:
    return Node(f"{ref.kind}/{ref.slug}", ref.label, ref.kind, ref.url)


def company_graph(company: str, policies: list[PolicyView], labels: Labels,
                  called_by: list[StatementView]) -> Drawing | None:
    """Who calls on the company → the company → its policies → exceptions and legislatures → beneficiaries."""
    if not policies:
        return None
    callers: dict[str, Node] = {}
    for statement in called_by:
        node = _ref_node(statement.organisation or statement.speaker)
        callers.setdefault(node.id, node)
    cols: list[tuple[str, list[Node]]] = []
    if callers:
        cols.append(("Interpellée par", sorted(callers.values(), key=lambda n: fold(n.label))))
    cols.append(("Entreprise", [_node(company, labels)]))
    cols.append(("Politiques", [Node(p.iri, p.title, "policy", f"#policy-{p.slug}") for p in policies]))
    third, fourth, edges = _policy_targets(policies)
    if third:
        cols.append(("Exceptions et assemblées", third))
    if fourth:
        cols.append(("Bénéficiaires", sorted(fourth, key=lambda n: fold(n.label))))
    edges = [(i, "calls-on", company) for i in callers] + [(company, "issued", p.iri) for p in policies] + edges
    return layout(cols, edges)


def _policy_targets(policies: list[PolicyView]) -> tuple[list[Node], list[Node], list[Link]]:
    """The exceptions and awaited legislatures of ``policies``, the exceptions' beneficiaries, and their edges."""
    third: list[Node] = []
    fourth: dict[str, Node] = {}
    edges: list[Link] = []
    for policy in policies:
        for view in policy.exceptions:
            label = "Exception : " + (", ".join(view.purposes) or view.slug)
            third.append(Node(view.iri, label, "exception", f"#exception-{view.slug}"))
            edges.append((policy.iri, "exception", view.iri))
            for ref in view.beneficiaries:
                node = fourth.setdefault(f"{ref.kind}/{ref.slug}", _ref_node(ref))
                edges.append((view.iri, "beneficiary", node.id))
        for ref in policy.awaits:
            node = _ref_node(ref)
            if all(n.id != node.id for n in third):
                third.append(node)
            edges.append((policy.iri, "awaits", node.id))
    return third, list(fourth.values()), edges


def overview_graph(labels: Labels, edges: list[Link], items: list[TimelineItem]) -> Drawing | None:
    """Advocates → companies → policies → legislatures, for the companies with the most policies."""
    if not items:
        return None
    count: dict[str, int] = defaultdict(int)
    for item in items:
        count[item.company.slug] += 1
    kept = sorted(count, key=lambda slug: (-count[slug], slug))[:GRAPH_COMPANIES]
    companies = [_node(mint("company", slug).value, labels) for slug in kept if is_slug(slug)]
    company_ids = {n.id for n in companies}
    policies = [Node(i.policy, f"{i.company.label} : {', '.join(i.types)}", "policy", i.url) for i in items
                if i.company.slug in kept]
    policy_ids = {p.id for p in policies}
    advocates = sorted({s for s, r, t in edges if r == "calls-on" and t in company_ids},
                       key=lambda i: fold(labels(i)))[:GRAPH_COMPANIES]
    legislatures = sorted({t for s, r, t in edges if r == "awaits" and s in policy_ids},
                          key=lambda i: fold(labels(i)))[:GRAPH_COMPANIES]
    cols = []
    if advocates:
        cols.append(("Défenseurs", [_node(i, labels) for i in advocates]))
    cols.append(("Entreprises", sorted(companies, key=lambda n: fold(n.label))))
    cols.append(("Politiques", policies))
    if legislatures:
        cols.append(("Assemblées", [_node(i, labels) for i in legislatures]))
    graph = layout(cols, [(s, r, t) for s, r, t in edges if r in ("calls-on", "issued", "awaits")])
    graph.truncated = len(count) > len(kept)
    return graph

