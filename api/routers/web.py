"""Pages for people: search, companies with their policies, exceptions and quoted evidence, advocates,
legislatures, articles with their facts highlighted in place, a timeline, a graph view and a SPARQL editor.

Server-rendered with Jinja2 (autoescaped), so every read page works without JavaScript; the only script is
a small helper on the SPARQL page. JSON routes are left to the REST routers: pages live at ``/`` and under
``/ui/``. Data is read through the ``queries/web_*.rq`` files with values bound as substitutions; ids from
URLs are checked with :func:`ontology.iris.is_slug` before they are minted into IRIs.
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Annotated, Any
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader

from api.engine import SparqlError
from ontology.iris import is_slug, mint, split
from ontology.namespaces import PREFIXES, VG
from queries import registry

router = APIRouter(include_in_schema=False)

#: Content-Security-Policy of every page: no inline script or style, nothing from elsewhere.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
#: Rows shown in the SPARQL results table (downloads go to /sparql, with its own cap).
MAX_ROWS = 1000
#: Source articles quoted per fact, and statements listed per section (the rest are counted, not shown).
MAX_SOURCES = 8
MAX_STATEMENTS = 50
#: Articles per page of the article list.
PAGE_SIZE = 100
MAX_SEARCH_CHARS = 200

KIND_OF_CLASS = {VG.Company.value: "company", VG.Advocate.value: "advocate", VG.Legislature.value: "legislature"}
KIND_NAMES = {"company": "Entreprise", "advocate": "Défenseur des libertés", "legislature": "Assemblée"}
KIND_PLURALS = {"company": "Entreprises", "advocate": "Défenseurs des libertés", "legislature": "Assemblées"}
PAGE_KINDS = ("company", "advocate", "legislature")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")

_STATIC = {
    "vigie.css": "text/css; charset=utf-8",
    "sparql.js": "text/javascript; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}


# ----------------------------------------------------------------------------- rendering


@cache
def _env() -> Environment:
    env = Environment(loader=PackageLoader("api", "templates"), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True)
    env.globals.update(href=href, kind_names=KIND_NAMES, kind_plurals=KIND_PLURALS, node_w=NODE_W)
    env.filters.update(human_date=human_date, human_duration=human_duration)
    return env


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    html = _env().get_template(template).render(request=request, path=request.url.path, **context)
    return HTMLResponse(html, status_code=status_code, headers={
        "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"})


def not_found(request: Request, message: str) -> HTMLResponse:
    return render(request, "error.html", status_code=404, title="Introuvable", message=message)


def href(kind: str, slug: str) -> str | None:
    """URL of the page of a thing, if it has one."""
    if kind in PAGE_KINDS or kind == "document":
        return f"/ui/{kind}/{slug}"
    return None


def human_date(value: str | None) -> str:
    """``2020-06-10`` → ``10 juin 2020``; ``2020-06`` → ``juin 2020``; anything else as is."""
    if not value:
        return ""
    match = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", value)
    if not match or not 1 <= int(match[2]) <= 12:
        return value
    month = MONTHS[int(match[2]) - 1]
    if match[3]:
        day = int(match[3])
        return f"{'1er' if day == 1 else day} {month} {match[1]}"
    return f"{month} {match[1]}"


def human_duration(value: str | None) -> str:
    """``P1Y`` → ``1 an``; ``P6M`` → ``6 mois``; anything else as is."""
    if not value:
        return ""
    match = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?", value)
    if not match or not any(match.groups()):
        return value
    parts = []
    for number, one, many in zip(match.groups(), ("an", "mois", "semaine", "jour"),
                                 ("ans", "mois", "semaines", "jours"), strict=True):
        if number:
            parts.append(f"{int(number)} {one if int(number) == 1 else many}")
    return " ".join(parts)


def fold(text: str) -> str:
    """Lower-case, accent-free, punctuation as spaces: what search compares."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", bare).split())


# ----------------------------------------------------------------------------- data access


def _store(request: Request):
    """The app's store (``create_app`` puts it in ``app.state.vigie``)."""
    return request.app.state.vigie.store


def _rows(store, name: str, **bindings: ox.NamedNode | ox.Literal) -> list[dict[str, Any]]:
    return store.select(registry()[name].text_for(bindings), bindings=bindings or None)


def _value(term: Any) -> str | None:
    return None if term is None else term.value


def _int(term: Any, default: int = -1) -> int:
    try:
        return int(term.value)
    except (AttributeError, ValueError):
        return default


def slug_of(iri: ox.NamedNode) -> str:
    return _slug(iri.value)


def _slug(iri: str) -> str:
    parts = split(iri)
    return parts[1] if parts else iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


@dataclass
class Labels:
    """Names of things: preferred labels (French first), aliases and vocabulary notations."""

    pref: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    notation: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, store) -> Labels:
        labels = cls()
        ranked: dict[str, tuple[int, str]] = {}
        for row in _rows(store, "web_labels"):
            term, kind, label = row["term"].value, row["kind"].value, row["label"]
            if kind == "alt":
                if label.value not in labels.aliases[term]:
                    labels.aliases[term].append(label.value)
                continue
            if kind == "notation":
                labels.notation[term] = label.value
                continue
            lang = label.language or ""
            rank = (0 if lang == "fr" else 1 if not lang else 3 if lang == "en" else 4) + (kind == "rdfs")
            if term not in ranked or (rank, label.value) < ranked[term]:
                ranked[term] = (rank, label.value)
        labels.pref = {term: value for term, (_, value) in ranked.items()}
        return labels

    def __call__(self, term: Any) -> str:
        iri = term if isinstance(term, str) else term.value
        if iri in self.pref:
            return self.pref[iri]
        parts = split(iri)
        if parts:
            return parts[1]
        return compact(iri)


def compact(iri: str) -> str:
    """``vg:Policy`` for a known namespace, the IRI otherwise."""
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(best):
            best, name = namespace, prefix
    if best:
        local = iri[len(best):]
        if re.fullmatch(r"[\w.-]*", local) and not local.endswith("."):
            return f"{name}:{local}"
    return iri


@dataclass
class Ref:
    """A link to a thing: its kind, slug, label and page URL (if any)."""

    kind: str
    slug: str
    label: str
    url: str | None

    @classmethod
    def of(cls, iri: str, labels: Labels) -> Ref:
        parts = split(iri)
        kind, slug = parts if parts else ("", iri)
        return cls(kind, slug, labels(iri), href(kind, slug) if parts else None)


@dataclass
class Entity:
    iri: str
    kind: str
    slug: str
    label: str
    aliases: list[str]
    documents: int
    url: str
    score: int = 0


def entities(store, labels: Labels, entity: ox.NamedNode | None = None) -> list[Entity]:
    """Companies, advocates and legislatures (or just ``entity``), the most mentioned first."""
    found: dict[str, Entity] = {}
    for row in _rows(store, "web_entities", **({"entity": entity} if entity is not None else {})):
        iri, kind = row["entity"].value, KIND_OF_CLASS[row["class"].value]
        parts = split(iri)
        if not parts or parts[0] != kind:
            continue
        documents = _int(row.get("documents"), 0)
        if iri in found:
            found[iri].documents = max(found[iri].documents, documents)
            continue
        label = labels(iri)
        seen: dict[str, str] = {}  # one alias per spelling (case, accents and apostrophes aside)
        for alias in sorted(labels.aliases.get(iri, []), key=str.casefold):
            key = fold(alias.replace("’", "'"))
            if key != fold(label) and key not in seen:
                seen[key] = alias
        found[iri] = Entity(iri, kind, parts[1], label, list(seen.values()), documents, href(kind, parts[1]) or "")
    return sorted(found.values(), key=lambda e: (-e.documents, fold(e.label)))


def search(all_entities: list[Entity], query: str) -> list[Entity]:
    """Entities whose label or an alias contains the query, accents and case ignored; best first."""
    needle = fold(query)
    if not needle:
        return []
    hits = []
    for entity in all_entities:
        label = fold(entity.label)
        aliases = [fold(a) for a in entity.aliases] + [fold(entity.slug.replace("-", " "))]
        if label == needle:
            score = 0
        elif label.startswith(needle):
            score = 1
        elif needle in aliases:
            score = 2
        elif needle in label or any(w.startswith(needle) for w in label.split()):
            score = 3
        elif any(needle in a for a in aliases):
            score = 4
        else:
            continue
        hits.append(Entity(**{**entity.__dict__, "score": score}))
    return sorted(hits, key=lambda e: (e.score, -e.documents, fold(e.label)))


# --- documents and evidence


@dataclass
class DocumentInfo:
    iri: str
    slug: str
    title: str
    date: str | None
    source: str | None
    evidences: int = 0
    text: str | None = None

    @property
    def url(self) -> str:
        return f"/ui/document/{self.slug}"


def documents(store) -> dict[str, DocumentInfo]:
    docs = {}
    for row in _rows(store, "web_documents"):
        iri = row["document"].value
        docs[iri] = DocumentInfo(iri, _slug(iri), _value(row.get("title")) or _slug(iri), _value(row.get("date")),
                                 _value(row.get("source")), _int(row.get("evidences"), 0))
    return docs


def document(store, slug: str) -> DocumentInfo | None:
    iri = mint("document", slug)
    rows = _rows(store, "web_document", document=iri)
    if not rows:
        return None
    row = rows[0]
    return DocumentInfo(iri.value, slug, _value(row.get("title")) or slug, _value(row.get("date")),
                        _value(row.get("source")), text=_value(row.get("text")))


@dataclass
class Snippet:
    """A quoted sentence with a little of the text around it, the sentence itself highlighted."""

    before: str
    quote: str
    after: str
    start: int
    end: int
    confidence: str | None = None


def locate(text: str | None, start: int, end: int, quote: str) -> tuple[int, int] | None:
    """The span of an evidence in its article: its offsets if they hold, else where its quote is found."""
    if not text:
        return None
    if 0 <= start < end <= len(text) and (not quote or _same(text[start:end], quote)):
        return start, end
    if quote:
        found = text.find(quote)
        if found >= 0:
            return found, found + len(quote)
    if 0 <= start < end <= len(text):
        return start, end
    return None


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def snippet(text: str | None, start: int, end: int, quote: str, context: int = 90) -> Snippet:
    """The sentence at ``start``–``end`` with up to ``context`` characters of its paragraph on each side."""
    span = locate(text, start, end, quote)
    if span is None or text is None:
        return Snippet("", quote, "", start, end)
    s, e = span
    before = text[max(0, s - context):s]
    after = text[e:e + context]
    cut_before = "\n" in before or s - context > 0
    cut_after = "\n" in after or e + context < len(text)
    before = before.rsplit("\n", 1)[-1]
    after = after.split("\n", 1)[0]
    if cut_before and len(before) >= context - 1 and " " in before:
        before = "… " + before.split(" ", 1)[1]
    if cut_after and len(after) >= context - 1 and " " in after:
        after = after.rsplit(" ", 1)[0] + " …"
    return Snippet(before, " ".join(text[s:e].split("\n")), after, s, e)


@dataclass
class Source:
    """One article reporting a fact, with the quoted sentences."""

    document: DocumentInfo
    quotes: list[Snippet] = field(default_factory=list)


class Sources(list):
    """The first :data:`MAX_SOURCES` sources of a fact; ``total`` counts them all."""

    total: int = 0


class Evidences:
    """Collects evidence rows per subject and renders them as sources with highlighted snippets.

    Each source article is read once (metadata and text), when a snippet of it is first needed.
    """

    def __init__(self, store) -> None:
        self.store = store
        self._docs: dict[str, DocumentInfo] = {}
        # subject → (document, start, end, quote, confidence) → None: an ordered set per subject
        self.by_subject: dict[str, dict[tuple[str, int, int, str, str | None], None]] = defaultdict(dict)

    def add(self, subject: str, doc: str, start: int, end: int, quote: str, confidence: str | None = None) -> None:
        self.by_subject[subject][(doc, start, end, quote, confidence)] = None

    def document(self, doc: str) -> DocumentInfo:
        if doc not in self._docs:
            parts = split(doc)
            info = document(self.store, parts[1]) if parts and parts[0] == "document" else None
            self._docs[doc] = info or DocumentInfo(doc, _slug(doc), _slug(doc), None, None)
        return self._docs[doc]

    def sources(self, subject: str) -> Sources:
        """The articles reporting ``subject`` (the earliest first, at most :data:`MAX_SOURCES` read)."""
        items = self.by_subject.get(subject, {})
        by_doc: dict[str, list[tuple[str, int, int, str, str | None]]] = defaultdict(list)
        for item in items:
            by_doc[item[0]].append(item)
        chosen = sorted(by_doc)[:MAX_SOURCES]
        out = Sources()
        out.total = len(by_doc)
        for doc in chosen:
            info = self.document(doc)
            source = Source(info)
            for _, start, end, quote, confidence in sorted(by_doc[doc], key=lambda i: i[1]):
                piece = snippet(info.text, start, end, quote)
                piece.confidence = confidence
                if all((q.start, q.end) != (piece.start, piece.end) for q in source.quotes):
                    source.quotes.append(piece)
            out.append(source)
        out.sort(key=lambda s: (s.document.date or "9999", s.document.slug))
        return out


# --- companies


@dataclass
class ExceptionView:
    iri: str
    slug: str
    purposes: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    beneficiaries: list[Ref] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)


@dataclass
class PolicyView:
    iri: str
    slug: str
    company: Ref | None = None
    types: list[str] = field(default_factory=list)
    technologies: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    restricted_users: list[str] = field(default_factory=list)
    jurisdictions: list[str] = field(default_factory=list)
    durations: list[str] = field(default_factory=list)
    announced: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    awaits: list[Ref] = field(default_factory=list)
    exceptions: list[ExceptionView] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

    @property
    def title(self) -> str:
        what = " / ".join(self.types) or "Politique"
        tech = ", ".join(self.technologies)
        return f"{what[:1].upper()}{what[1:]}" + (f" — {tech}" if tech else "")


def _add(values: list, value: Any) -> None:
    if value not in values:
        values.append(value)


_POLICY_FIELDS = {
    VG.policyType.value: "types", VG.technology.value: "technologies", VG.product.value: "products",
    VG.restrictedUser.value: "restricted_users", VG.jurisdiction.value: "jurisdictions",
}


def company_policies(store, company: ox.NamedNode, labels: Labels) -> list[PolicyView]:
    policies: dict[str, PolicyView] = {}
    exceptions: dict[str, ExceptionView] = {}
    for row in _rows(store, "web_company_policies", company=company):
        iri, prop, value = row["policy"].value, row["property"].value, row["value"]
        policy = policies.setdefault(iri, PolicyView(iri, _slug(iri), Ref.of(company.value, labels)))
        if prop in _POLICY_FIELDS:
            _add(getattr(policy, _POLICY_FIELDS[prop]), labels(value))
        elif prop == VG.duration.value:
            _add(policy.durations, value.value)
        elif prop == VG.announced.value:
            _add(policy.announced, value.value)
        elif prop == VG.condition.value:
            _add(policy.conditions, value.value)
        elif prop == VG.awaitsLegislationFrom.value:
            _add(policy.awaits, Ref.of(value.value, labels))
        elif prop == VG.hasException.value:
            view = exceptions.setdefault(value.value, ExceptionView(value.value, _slug(value.value)))
            if view not in policy.exceptions:
                policy.exceptions.append(view)
    for row in _rows(store, "web_company_exceptions", company=company):
        iri, prop, value = row["exception"].value, row["property"].value, row["value"]
        view = exceptions.setdefault(iri, ExceptionView(iri, _slug(iri)))
        policy = policies.get(row["policy"].value)
        if policy is not None and view not in policy.exceptions:
            policy.exceptions.append(view)
        if prop == VG.purpose.value:
            _add(view.purposes, labels(value))
        elif prop == VG.beneficiary.value:
            _add(view.beneficiaries, Ref.of(value.value, labels))
        elif prop.endswith("#label") and len(value.value) <= 120:
            _add(view.labels, value.value)
    evidence = Evidences(store)
    for row in _rows(store, "web_company_evidence", company=company):
        confidence = _value(row.get("confidence"))
        evidence.add(row["subject"].value, row["document"].value, _int(row["start"]), _int(row["end"]),
                     row["quote"].value, confidence)
    for policy in policies.values():
        policy.sources = evidence.sources(policy.iri)
        policy.announced.sort()
        for view in policy.exceptions:
            view.sources = evidence.sources(view.iri)
            view.beneficiaries.sort(key=lambda r: fold(r.label))
    return sorted(policies.values(), key=lambda p: (p.announced[:1] or ["9999"], p.slug))


# --- statements (who calls on whom)


@dataclass
class StatementView:
    iri: str
    speaker: Ref
    organisation: Ref | None = None
    targets: list[Ref] = field(default_factory=list)
    quote: str | None = None
    sources: list[Source] = field(default_factory=list)


def statements(store, actor: ox.NamedNode, labels: Labels, keep: Any = None) -> list[StatementView]:
    """The statements ``actor`` made (itself or through a person speaking for it) or is targeted by.

    ``keep`` (a predicate) selects the statements wanted; only the first :data:`MAX_STATEMENTS` of those
    get their sources read.
    """
    views: dict[str, StatementView] = {}
    evidence = Evidences(store)
    for row in _rows(store, "web_statements", actor=actor):
        iri = row["statement"].value
        view = views.setdefault(iri, StatementView(iri, Ref.of(row["speaker"].value, labels)))
        if row.get("organisation") is not None:
            view.organisation = Ref.of(row["organisation"].value, labels)
        if row.get("target") is not None:
            _add(view.targets, Ref.of(row["target"].value, labels))
        if row.get("quote") is not None:
            view.quote = row["quote"].value
        if row.get("evidence") is not None:
            evidence.add(iri, row["document"].value, _int(row.get("start")), _int(row.get("end")),
                         view.quote or "")
    ordered = sorted((v for v in views.values() if keep is None or keep(v)),
                     key=lambda v: (fold(v.speaker.label), v.iri))
    for view in ordered[:MAX_STATEMENTS]:  # the pages show at most this many: read only their sources
        view.sources = evidence.sources(view.iri)
    return ordered


def _speaks_for(view: StatementView, iri: str) -> bool:
    slug_iri = {view.speaker.kind + "/" + view.speaker.slug}
    if view.organisation:
        slug_iri.add(view.organisation.kind + "/" + view.organisation.slug)
    parts = split(iri)
    return bool(parts) and f"{parts[0]}/{parts[1]}" in slug_iri


def _targets(view: StatementView, iri: str) -> bool:
    parts = split(iri)
    return bool(parts) and any((t.kind, t.slug) == parts for t in view.targets)


# --- timeline


@dataclass
class TimelineItem:
    policy: str
    slug: str
    company: Ref
    types: list[str]
    technologies: list[str]
    date: str
    announced: bool  # False: the date is the earliest article's, not the announcement's

    @property
    def url(self) -> str:
        return f"{self.company.url}#policy-{self.slug}"


def timeline(store, labels: Labels, legislature: ox.NamedNode | None = None) -> list[TimelineItem]:
    """Policies by date: announced, else first reported (only those awaiting ``legislature``'s law, if given)."""
    items: dict[str, dict[str, Any]] = {}
    rows = (_rows(store, "web_awaiting", legislature=legislature) if legislature is not None
            else _rows(store, "web_timeline"))
    for row in rows:
        iri = row["policy"].value
        item = items.setdefault(iri, {"company": row["company"].value, "types": [], "tech": [],
                                      "announced": [], "reported": []})
        _add(item["types"], labels(row["type"]))
        if row.get("technology") is not None:
            _add(item["tech"], labels(row["technology"]))
        if row.get("announced") is not None:
            _add(item["announced"], row["announced"].value)
        if row.get("reported") is not None:
            _add(item["reported"], row["reported"].value)
    result = []
    for iri, item in items.items():
        dates = sorted(item["announced"]) or sorted(item["reported"])
        result.append(TimelineItem(iri, _slug(iri), Ref.of(item["company"], labels), item["types"], item["tech"],
                                   dates[0] if dates else "", bool(item["announced"])))
    return sorted(result, key=lambda i: (i.date or "9999", fold(i.company.label)))


# --- graph view (inline SVG, laid out in columns)


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
class Graph:
    nodes: list[Node]
    edges: list[Edge]
    width: int
    height: int
    columns: list[tuple[float, str]]
    truncated: bool = False


NODE_W, NODE_H, COL_GAP, ROW_GAP, TOP = 156, 34, 44, 14, 34
RELATION_NAMES = {"issued": "émet", "exception": "exception", "beneficiary": "bénéficiaire",
                  "awaits": "attend une loi de", "calls-on": "interpelle"}


def layout(columns: list[tuple[str, list[Node]]], edges: list[tuple[str, str, str]]) -> Graph:
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
    return Graph(list(placed.values()), kept, width, max(height, TOP + NODE_H) + 10, heads)


def _node(iri: str, labels: Labels, kind: str | None = None, url: str | None = None) -> Node:
    ref = Ref.of(iri, labels)
    return Node(iri, ref.label, kind or ref.kind, url or ref.url)


def relations(store) -> list[tuple[str, str, str]]:
    return [(r["source"].value, r["relation"].value, r["target"].value) for r in _rows(store, "web_relations")]


def company_graph(company: ox.NamedNode, policies: list[PolicyView], labels: Labels,
                  called_by: list[StatementView]) -> Graph | None:
    """Who calls on the company → the company → its policies → exceptions and legislatures → beneficiaries."""
    if not policies:
        return None
    me = company.value
    callers: dict[str, Node] = {}
    for statement in called_by:
        ref = statement.organisation or statement.speaker
        callers.setdefault(f"{ref.kind}/{ref.slug}", Node(f"{ref.kind}/{ref.slug}", ref.label, ref.kind, ref.url))
    cols: list[tuple[str, list[Node]]] = []
    if callers:
        cols.append(("Interpellée par", sorted(callers.values(), key=lambda n: fold(n.label))))
    cols.append(("Entreprise", [_node(me, labels)]))
    policy_nodes = [Node(p.iri, p.title, "policy", f"#policy-{p.slug}") for p in policies]
    cols.append(("Politiques", policy_nodes))
    third: list[Node] = []
    fourth: dict[str, Node] = {}
    graph_edges = [(i, "calls-on", me) for i in callers] + [(me, "issued", p.iri) for p in policies]
    for policy in policies:
        for view in policy.exceptions:
            label = "Exception : " + (", ".join(view.purposes) or view.slug)
            third.append(Node(view.iri, label, "exception", f"#exception-{view.slug}"))
            graph_edges.append((policy.iri, "exception", view.iri))
            for ref in view.beneficiaries:
                node_id = f"{ref.kind}/{ref.slug}"
                fourth.setdefault(node_id, Node(node_id, ref.label, ref.kind, ref.url))
                graph_edges.append((view.iri, "beneficiary", node_id))
        for ref in policy.awaits:
            node_id = f"{ref.kind}/{ref.slug}"
            if all(n.id != node_id for n in third):
                third.append(Node(node_id, ref.label, ref.kind, ref.url))
            graph_edges.append((policy.iri, "awaits", node_id))
    if third:
        cols.append(("Exceptions et assemblées", third))
    if fourth:
        cols.append(("Bénéficiaires", sorted(fourth.values(), key=lambda n: fold(n.label))))
    return layout(cols, graph_edges)


#: Companies drawn in the overview graph (those with the most policies); the text list below it has them all.
GRAPH_COMPANIES = 30


def overview_graph(labels: Labels, edges: list[tuple[str, str, str]], items: list[TimelineItem]) -> Graph | None:
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
    graph_edges = [(s, r, t) for s, r, t in edges if r in ("calls-on", "issued", "awaits")]
    cols = []
    if advocates:
        cols.append(("Défenseurs", [_node(i, labels) for i in advocates]))
    cols.append(("Entreprises", sorted(companies, key=lambda n: fold(n.label))))
    cols.append(("Politiques", policies))
    if legislatures:
        cols.append(("Assemblées", [_node(i, labels) for i in legislatures]))
    graph = layout(cols, graph_edges)
    graph.truncated = len(count) > len(kept)
    return graph


# --- an article with its facts highlighted in place


@dataclass
class Fact:
    number: int
    kind: str  # policy | exception | statement | actor
    kind_name: str
    description: str
    url: str | None
    start: int
    end: int
    quote: str
    extractor: str
    confidence: str | None


@dataclass
class Segment:
    text: str
    facts: list[Fact]
    anchor: int | None = None  # the offset, when a fact starts here (target of ``#car-<offset>`` links)

    @property
    def kind(self) -> str:
        order = ("policy", "exception", "statement", "actor")
        return min((f.kind for f in self.facts), key=order.index)

    @property
    def title(self) -> str:
        return " ; ".join(f"[{f.number}] {f.kind_name} : {f.description}" for f in self.facts)


FACT_KINDS = {"policy": "Politique", "exception": "Exception", "statement": "Déclaration", "actor": "Acteur"}


def article_facts(store, info: DocumentInfo, labels: Labels) -> list[Fact]:
    graph: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for row in _rows(store, "web_document_graph", document=ox.NamedNode(info.iri)):
        graph[row["s"].value][row["p"].value].append(row["o"])
    rdf_type = PREFIXES["rdf"] + "type"

    def one(subject: str, prop: Any) -> Any:
        values = graph.get(subject, {}).get(prop.value, [])
        return values[0] if values else None

    def label(iri: str) -> str:
        found = one(iri, ox.NamedNode(PREFIXES["skos"] + "prefLabel"))
        return labels.pref.get(iri) or (found.value if found is not None else labels(iri))

    def describe(subject: str) -> tuple[str, str, str | None]:
        types = {t.value for t in graph.get(subject, {}).get(rdf_type, [])}
        if VG.Policy.value in types:
            company = one(subject, VG.issuedBy)
            kind = one(subject, VG.policyType)
            tech = one(subject, VG.technology)
            name = label(company.value) if company is not None else "?"
            text = f"{name} — {labels(kind) if kind else 'politique'}" + (f" ({labels(tech)})" if tech else "")
            url = f"/ui/company/{_slug(company.value)}#policy-{_slug(subject)}" if company is not None else None
            return "policy", text, url
        if VG.Exception.value in types:
            purpose = one(subject, VG.purpose)
            owner = next((s for s, props in graph.items()
                          if any(o.value == subject for o in props.get(VG.hasException.value, []))), None)
            company = one(owner, VG.issuedBy) if owner else None
            text = labels(purpose) if purpose is not None else _slug(subject)
            if company is not None:
                text += f" (politique de {label(company.value)})"
            url = f"/ui/company/{_slug(company.value)}#exception-{_slug(subject)}" if company is not None else None
            return "exception", text, url
        if VG.Statement.value in types:
            speaker = one(subject, VG.speaker)
            targets = [label(t.value) for t in graph.get(subject, {}).get(VG.target.value, [])]
            text = (label(speaker.value) if speaker is not None else "?") + (
                " → " + ", ".join(targets) if targets else "")
            ref = Ref.of(speaker.value, labels) if speaker is not None else None
            return "statement", text, ref.url if ref else None
        ref = Ref.of(subject, labels)
        return "actor", label(subject), ref.url

    facts = []
    evidences = [s for s, props in graph.items()
                 if any(t.value == VG.Evidence.value for t in props.get(rdf_type, []))]
    for ev in evidences:
        subject = one(ev, VG.supports)
        if subject is None:
            continue
        quote = one(ev, VG.quote)
        span = locate(info.text, _int(one(ev, VG.start)), _int(one(ev, VG.end)), quote.value if quote else "")
        if span is None:
            continue
        kind, text, url = describe(subject.value)
        extractor = one(ev, ox.NamedNode(PREFIXES["prov"] + "wasGeneratedBy"))
        facts.append(Fact(0, kind, FACT_KINDS[kind], text, url, span[0], span[1],
                          info.text[span[0]:span[1]] if info.text else "",
                          _slug(extractor.value) if extractor is not None else "", _value(one(ev, VG.confidence))))
    order = ("policy", "exception", "statement", "actor")
    facts.sort(key=lambda f: (f.start, order.index(f.kind), f.description))
    for number, fact in enumerate(facts, 1):
        fact.number = number
    return facts


def segments(text: str, facts: list[Fact]) -> list[Segment]:
    """Cut the text at every fact boundary; each piece knows the facts that cover it."""
    cuts = sorted({0, len(text), *(f.start for f in facts), *(f.end for f in facts)})
    pieces = []
    for a, b in itertools.pairwise(cuts):
        covering = [f for f in facts if f.start <= a and f.end >= b]
        if pieces and not covering and not pieces[-1].facts:
            pieces[-1].text += text[a:b]
        else:
            starts = any(f.start == a for f in covering)
            pieces.append(Segment(text[a:b], covering, a if starts else None))
    return pieces


# --- SPARQL


@dataclass
class Results:
    form: str  # SELECT | ASK | CONSTRUCT
    variables: list[str] = field(default_factory=list)
    rows: list[list[dict[str, Any]]] = field(default_factory=list)
    boolean: bool | None = None
    total: int = 0
    truncated: bool = False


def cell(term: dict[str, Any] | None) -> dict[str, Any]:
    """A table cell for a term in SPARQL JSON results form."""
    if term is None:
        return {"text": "", "kind": "unbound"}
    kind, value = term.get("type"), term.get("value")
    if kind == "uri":
        parts = split(value)
        return {"text": compact(value), "kind": "iri", "iri": value, "url": href(*parts) if parts else None}
    if kind in ("literal", "typed-literal"):
        extra = f"@{term['xml:lang']}" if term.get("xml:lang") else ""
        if not extra and term.get("datatype"):
            extra = "^^" + compact(term["datatype"])
        return {"text": value, "kind": "literal", "extra": extra}
    if kind == "bnode":
        return {"text": f"_:{value}", "kind": "bnode"}
    if kind == "triple" and isinstance(value, dict):
        inner = " ".join(cell(value.get(k))["text"] for k in ("subject", "predicate", "object"))
        return {"text": f"<< {inner} >>", "kind": "other"}
    return {"text": str(value), "kind": "other"}


def _term_json(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != PREFIXES["xsd"] + "string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "other", "value": str(term)}


async def run_sparql(engine, query: str) -> Results:
    """Run a query through the API's engine (its time limit, row cap and concurrency bound) for the table."""
    form = await engine.accept(query)
    graph = form in ("CONSTRUCT", "DESCRIBE")
    answer = await engine.run(query, engine.offer_for(form, None, "ntriples" if graph else "json"))
    if graph:
        out = Results("CONSTRUCT", ["subject", "predicate", "object"])
        for triple in ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES):
            out.total += 1
            if len(out.rows) < MAX_ROWS:
                out.rows.append([cell(_term_json(t)) for t in (triple.subject, triple.predicate, triple.object)])
        out.truncated = out.total > len(out.rows)
        return out
    doc = json.loads(answer.body)
    if "boolean" in doc:
        return Results("ASK", boolean=bool(doc["boolean"]))
    names = doc.get("head", {}).get("vars", [])
    bindings = doc.get("results", {}).get("bindings", [])
    rows = [[cell(b.get(name)) for name in names] for b in bindings[:MAX_ROWS]]
    return Results("SELECT", names, rows, total=len(bindings), truncated=len(bindings) > MAX_ROWS)


def download_links(query: str, form: str) -> list[tuple[str, str]]:
    """Links to the SPARQL endpoint for the same query, in files people open elsewhere."""
    names = ("csv", "tsv", "json") if form in ("SELECT", "ASK") else ("turtle", "ntriples")
    return [(name, "/sparql?" + urlencode({"query": query, "format": name})) for name in names]


# ----------------------------------------------------------------------------- routes


@router.get("/", response_class=HTMLResponse)
def home(request: Request, q: Annotated[str | None, Query(max_length=MAX_SEARCH_CHARS)] = None) -> HTMLResponse:
    store = _store(request)
    labels = Labels.load(store)
    everyone = entities(store, labels)
    hits = search(everyone, q) if q else None
    mentioned = {kind: [e for e in everyone if e.kind == kind and e.documents] for kind in PAGE_KINDS}
    known = {kind: [e for e in everyone if e.kind == kind and not e.documents] for kind in PAGE_KINDS}
    docs = sorted(documents(store).values(), key=lambda d: (d.date or "", d.slug), reverse=True)
    return render(request, "home.html", title="Vigie", q=q or "", hits=hits, mentioned=mentioned, known=known,
                  documents=docs)


@router.get("/ui", include_in_schema=False)
def ui_root() -> RedirectResponse:
    return RedirectResponse("/", status_code=307)


def _actor(request: Request, kind: str, id: str) -> tuple[Any, Labels, ox.NamedNode, Entity] | Response:
    """The store, labels, IRI and entity of a page's id; a 404 page or a redirect to the lower-case id."""
    slug = id.strip().lower()
    name = KIND_NAMES[kind].lower()
    if not is_slug(slug):
        return not_found(request, f"Identifiant invalide pour une page « {name} ».")
    if slug != id:
        return RedirectResponse(f"/ui/{kind}/{slug}", status_code=308)
    store = _store(request)
    labels = Labels.load(store)
    iri = mint(kind, slug)
    found = [e for e in entities(store, labels, iri) if e.kind == kind]
    if not found:
        return not_found(request, f"Aucune entrée « {name} » avec l’identifiant {slug}.")
    return store, labels, iri, found[0]


@router.get("/ui/company/{id}", response_class=HTMLResponse)
def company_page(request: Request, id: str) -> Response:
    found = _actor(request, "company", id)
    if isinstance(found, Response):
        return found
    store, labels, iri, found_entity = found
    policies = company_policies(store, iri, labels)
    called_by = statements(store, iri, labels, lambda s: _targets(s, iri.value))
    benefits = _benefits(store, labels, iri)
    query = (f"PREFIX vg: <{VG}>\n# The policies of {slug_of(iri)}, one row per property and value\n"
             f"SELECT DISTINCT ?policy ?property ?value WHERE {{\n"
             f"  GRAPH ?article {{ ?policy vg:issuedBy <{iri.value}> ; ?property ?value }}\n}}\n"
             "ORDER BY ?policy ?property")
    return render(request, "company.html", title=labels(iri), entity=found_entity,
                  sparql_url="/ui/sparql?" + urlencode({"query": query}),
                  policies=policies, called_by=called_by[:MAX_STATEMENTS], called_by_total=len(called_by),
                  benefits=benefits,
                  graph=company_graph(iri, policies, labels, called_by))


def _benefits(store, labels: Labels, iri: ox.NamedNode) -> list[dict[str, Any]]:
    found = []
    for row in _rows(store, "web_beneficiaries", beneficiary=iri):
        company = Ref.of(row["company"].value, labels)
        found.append({"company": company, "purpose": labels(row["purpose"]) if row.get("purpose") else "",
                      "url": f"{company.url}#exception-{_slug(row['exception'].value)}"})
    return sorted(found, key=lambda b: (fold(b["company"].label), b["purpose"]))


def _actor_page(request: Request, kind: str, id: str) -> Response:
    found = _actor(request, kind, id)
    if isinstance(found, Response):
        return found
    store, labels, iri, found_entity = found
    says = statements(store, iri, labels, lambda s: _speaks_for(s, iri.value))
    called_by = statements(store, iri, labels, lambda s: _targets(s, iri.value))
    calls_on: dict[str, dict[str, Any]] = {}
    for statement in says:
        for target in statement.targets:
            entry = calls_on.setdefault(f"{target.kind}/{target.slug}", {"target": target, "statements": []})
            entry["statements"].append(statement)
    awaiting = timeline(store, labels, iri) if kind == "legislature" else []
    return render(request, "actor.html", title=labels(iri), kind=kind, entity=found_entity,
                  calls_on=sorted(calls_on.values(), key=lambda e: fold(e["target"].label)),
                  says=says, called_by=called_by[:MAX_STATEMENTS], called_by_total=len(called_by),
                  awaiting=awaiting, benefits=_benefits(store, labels, iri))


@router.get("/ui/advocate/{id}", response_class=HTMLResponse)
def advocate_page(request: Request, id: str) -> Response:
    return _actor_page(request, "advocate", id)


@router.get("/ui/legislature/{id}", response_class=HTMLResponse)
def legislature_page(request: Request, id: str) -> Response:
    return _actor_page(request, "legislature", id)


@router.get("/ui/documents", response_class=HTMLResponse)
def documents_page(request: Request, page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> HTMLResponse:
    docs = sorted(documents(_store(request)).values(), key=lambda d: (d.date or "", d.slug), reverse=True)
    pages = max(1, -(-len(docs) // PAGE_SIZE))
    shown = docs[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    return render(request, "documents.html", title="Articles", documents=shown, total=len(docs), page=page,
                  pages=pages)


@router.get("/ui/document/{id}", response_class=HTMLResponse)
def document_page(request: Request, id: str) -> Response:
    slug = id.strip().lower()
    if not is_slug(slug):
        return not_found(request, "Identifiant d’article invalide.")
    store = _store(request)
    info = document(store, slug)
    if info is None:
        return not_found(request, f"Aucun article avec l’identifiant {slug}.")
    labels = Labels.load(store)
    facts = article_facts(store, info, labels)
    counts = {kind: sum(1 for f in facts if f.kind == kind) for kind in FACT_KINDS}
    return render(request, "document.html", title=info.title, doc=info, facts=facts, counts=counts,
                  segments=segments(info.text or "", facts))


@router.get("/ui/timeline", response_class=HTMLResponse)
def timeline_page(request: Request) -> HTMLResponse:
    store = _store(request)
    items = timeline(store, Labels.load(store))
    months: dict[str, list[TimelineItem]] = {}
    for item in items:
        months.setdefault(item.date[:7] if item.date else "", []).append(item)
    return render(request, "timeline.html", title="Chronologie des annonces", months=months)


@router.get("/ui/graph", response_class=HTMLResponse)
def graph_page(request: Request) -> HTMLResponse:
    store = _store(request)
    labels = Labels.load(store)
    edges = relations(store)
    items = timeline(store, labels)
    graph = overview_graph(labels, edges, items)
    by_policy = {i.policy: i for i in items}

    def name(iri: str) -> tuple[str, str | None]:
        if iri in by_policy:
            item = by_policy[iri]
            return f"{item.company.label} : {', '.join(item.types)}", item.url
        ref = Ref.of(iri, labels)
        return ref.label, ref.url

    listed = [(*name(s)[:1], RELATION_NAMES.get(r, r), name(t)[0], name(s)[1], name(t)[1])
              for s, r, t in edges if r in ("calls-on", "awaits")]
    return render(request, "graph.html", title="Graphe", graph=graph, items=items,
                  listed=sorted(set(listed), key=lambda e: (fold(e[0]), fold(e[2]))))


def _examples() -> list[Any]:
    return sorted(registry(), key=lambda q: (q.name.startswith(("eval_", "web_")), q.name))


DEFAULT_QUERY = """PREFIX vg: <https://w3id.org/vigie/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?company ?label ?policy ?type WHERE {
  ?policy a vg:Policy ; vg:issuedBy ?company ; vg:policyType ?type .
  OPTIONAL { ?company skos:prefLabel ?label }
}
ORDER BY ?label
"""


async def _sparql_page(request: Request, query: str | None, example: str | None) -> HTMLResponse:
    engine = request.app.state.vigie.engine
    examples = _examples()
    chosen = registry()[example] if example and example in registry() else None
    text = query if query is not None else (chosen.sparql if chosen else DEFAULT_QUERY)
    results = error = None
    status = 200
    if query is not None and query.strip():
        try:
            results = await run_sparql(engine, query)
        except SparqlError as exc:
            error, status = f"Requête invalide ou refusée : {exc.message}", exc.status
    downloads = download_links(query, results.form) if results and query else []
    return render(request, "sparql.html", status_code=status, title="SPARQL", query=text, results=results,
                  error=error, examples=examples, chosen=chosen, downloads=downloads)


@router.get("/ui/sparql", response_class=HTMLResponse)
async def sparql_page(
    request: Request,
    query: Annotated[str | None, Query()] = None,
    example: Annotated[str | None, Query(max_length=100)] = None,
) -> HTMLResponse:
    return await _sparql_page(request, query, example)


@router.post("/ui/sparql", response_class=HTMLResponse)
async def sparql_post(request: Request, query: Annotated[str, Form()] = "") -> HTMLResponse:
    return await _sparql_page(request, query, None)


@router.get("/ui/static/{name}")
def static(name: str) -> Response:
    if name not in _STATIC:
        return Response("not found\n", status_code=404, media_type="text/plain")
    data = resources.files("api").joinpath("static", name).read_bytes()
    return Response(data, media_type=_STATIC[name], headers={"Cache-Control": "public, max-age=3600",
                                                             "X-Content-Type-Options": "nosniff"})

