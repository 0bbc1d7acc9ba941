"""What the pages read from the store, folded into the small dataclasses of :mod:`.views`.

Policies come from the REST read model (:meth:`api.graph.Graph.policies`, with its answer cache), so a policy
is folded in one place; the pages add only what it does not carry (names in French, quoted sentences in
context, first-report dates, statements, articles) with ``queries/web_*.rq`` through :meth:`Graph.rows`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

import pyoxigraph as ox

from api import models as m
from api.graph import Graph, fill_values
from ontology.iris import is_slug, mint, split
from ontology.namespaces import PREFIXES, VG

from .formatting import fold, href, slug_of
from .layout import Link
from .text import FACT_KINDS, FACT_ORDER, Fact, locate, snippet
from .views import (
    DocumentInfo,
    Entity,
    ExceptionView,
    Labels,
    PolicyView,
    Ref,
    Source,
    Sources,
    StatementView,
    TimelineItem,
)

KIND_OF_CLASS = {VG.Company.value: "company", VG.Advocate.value: "advocate", VG.Legislature.value: "legislature"}
#: Source articles quoted per fact, and statements listed per section (the rest are counted, not shown).
MAX_SOURCES = 8
MAX_STATEMENTS = 50


def _value(term: Any) -> str | None:
    return None if term is None else term.value


def _int(term: Any, default: int = -1) -> int:
    try:
        return int(term.value)
    except (AttributeError, ValueError):
        return default


def _add(values: list, value: Any) -> None:
    if value not in values:
        values.append(value)


# --- names


def labels(graph: Graph) -> Labels:
    """Every name in the store; the preferred label ranked French, untagged, English, other (skos before rdfs)."""
    found = Labels()
    ranked: dict[str, tuple[int, str]] = {}
    for row in graph.rows("web_labels"):
        term, kind, label = row["term"].value, row["kind"].value, row["label"]
        if kind == "alt":
            if label.value not in found.aliases[term]:
                found.aliases[term].append(label.value)
        elif kind == "notation":
            found.notation[term] = label.value
        else:
            lang = getattr(label, "language", None) or ""
            rank = (0 if lang == "fr" else 1 if not lang else 3 if lang == "en" else 4) + (kind == "rdfs")
            if term not in ranked or (rank, label.value) < ranked[term]:
                ranked[term] = (rank, label.value)
    found.pref = {term: value for term, (_, value) in ranked.items()}
    found.by_notation = {value: term for term, value in found.notation.items()}
    found.by_notation.update({value.lower(): term for term, value in found.notation.items()
                              if value.lower() not in found.by_notation})
    return found


def entities(graph: Graph, names: Labels, entity: ox.NamedNode | None = None) -> list[Entity]:
    """Companies, advocates and legislatures (or just ``entity``), the most mentioned first."""
    found: dict[str, Entity] = {}
    for row in graph.rows("web_entities", entity=entity):
        iri, kind = row["entity"].value, KIND_OF_CLASS[row["class"].value]
        parts = split(iri)
        if not parts or parts[0] != kind:
            continue
        documents = _int(row.get("documents"), 0)
        if iri in found:
            found[iri].documents = max(found[iri].documents, documents)
            continue
        label = names(iri)
        found[iri] = Entity(iri, kind, parts[1], label, _aliases(names, iri, label), documents,
                            href(kind, parts[1]) or "")
    return sorted(found.values(), key=lambda e: (-e.documents, fold(e.label)))


def _aliases(names: Labels, iri: str, label: str) -> list[str]:
    """One alias per spelling (case, accents and apostrophes aside), not the label's."""
    seen: dict[str, str] = {}
    for alias in sorted(names.aliases.get(iri, []), key=str.casefold):
        key = fold(alias.replace("’", "'"))
        if key != fold(label) and key not in seen:
            seen[key] = alias
    return list(seen.values())


# --- articles and evidence


def documents(graph: Graph, only: Sequence[ox.NamedNode] | None = None) -> dict[str, DocumentInfo]:
    """The articles with their metadata and count of evidence: every one, or those of ``only`` (a page)."""
    rows = (graph.rows("web_documents") if only is None else
            graph.store.select(fill_values(graph.registry["web_documents"].sparql, "document", only)))
    docs = {}
    for row in rows:
        iri = row["document"].value
        docs[iri] = DocumentInfo(iri, slug_of(iri), _value(row.get("title")) or slug_of(iri),
                                 _value(row.get("date")), _value(row.get("source")), _int(row.get("evidences"), 0))
    return docs


def document(graph: Graph, slug: str) -> DocumentInfo | None:
    """One article with its text (``None`` if there is no such article)."""
    iri = mint("document", slug)
    rows = graph.rows("web_document", document=iri)
    if not rows:
        return None
    row = rows[0]
    return DocumentInfo(iri.value, slug, _value(row.get("title")) or slug, _value(row.get("date")),
                        _value(row.get("source")), text=_value(row.get("text")), web_url=_value(row.get("url")),
                        site=_value(row.get("site")))


#: One quoted sentence: (document, start, end, quote, confidence).
Quote = tuple[str, int, int, str, str | None]


class Evidences:
    """Collects evidence rows per subject and renders them as sources with highlighted snippets.

    Each source article is read once (metadata and text), when a snippet of it is first needed.
    """

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._docs: dict[str, DocumentInfo] = {}
        self.by_subject: dict[str, dict[Quote, None]] = defaultdict(dict)  # an ordered set per subject

    def add(self, subject: str, doc: str, start: int, end: int, quote: str, confidence: str | None = None) -> None:
        self.by_subject[subject][(doc, start, end, quote, confidence)] = None

    def document(self, doc: str) -> DocumentInfo:
        if doc not in self._docs:
            parts = split(doc)
            info = document(self.graph, parts[1]) if parts and parts[0] == "document" else None
            self._docs[doc] = info or DocumentInfo(doc, slug_of(doc), slug_of(doc), None, None)
        return self._docs[doc]

    def sources(self, subject: str) -> Sources:
        """The articles reporting ``subject`` (the earliest first, at most :data:`MAX_SOURCES` read)."""
        by_doc: dict[str, list[Quote]] = defaultdict(list)
        for item in self.by_subject.get(subject, {}):
            by_doc[item[0]].append(item)
        out = Sources()
        out.total = len(by_doc)
        for doc in sorted(by_doc)[:MAX_SOURCES]:
            out.append(self._source(doc, by_doc[doc]))
        out.sort(key=lambda s: (s.document.date or "9999", s.document.slug))
        return out

    def _source(self, doc: str, quotes: list[Quote]) -> Source:
        info = self.document(doc)
        source = Source(info)
        for _, start, end, quote, confidence in sorted(quotes, key=lambda i: i[1]):
            piece = snippet(info.text, start, end, quote)
            piece.confidence = confidence
            if all((q.start, q.end) != (piece.start, piece.end) for q in source.quotes):
                source.quotes.append(piece)
        return source


# --- policies, as the REST read model folds them (api.graph.Graph.policies)


def _iri(kind: str, slug: str) -> str:
    """The IRI behind a slug of the REST model (which gives other IRIs whole)."""
    return mint(kind, slug).value if is_slug(slug) else slug


def policy_view(policy: m.Policy, names: Labels) -> PolicyView:
    """A policy of the REST model, its concepts and actors named for the page (its sources are added apart)."""
    return PolicyView(
        policy.iri, policy.id, Ref.of(_iri("company", policy.company), names),
        types=[names.concept(policy.type)] if policy.type else [],
        technologies=[names.concept(policy.technology)] if policy.technology else [],
        products=[names(_iri("product", product)) for product in policy.products],
        restricted_users=[names.concept(user) for user in policy.restricted_users],
        jurisdictions=[names.concept(policy.jurisdiction)] if policy.jurisdiction else [],
        durations=[policy.duration] if policy.duration else [],
        announced=[policy.announced] if policy.announced else [],
        conditions=[policy.condition] if policy.condition else [],
        awaits=[Ref.of(_iri("legislature", policy.awaits_legislature), names)] if policy.awaits_legislature else [],
        exceptions=[_exception_view(exception, names) for exception in policy.exceptions],
    )


def _exception_view(exception: m.PolicyException, names: Labels) -> ExceptionView:
    beneficiaries = sorted((Ref.of(b.iri, names) for b in exception.beneficiaries), key=lambda r: fold(r.label))
    return ExceptionView(exception.iri, exception.id,
                         purposes=[names.concept(exception.purpose)] if exception.purpose else [],
                         labels=[exception.label] if exception.label else [], beneficiaries=beneficiaries)


def company_policies(graph: Graph, company: ox.NamedNode, names: Labels) -> list[PolicyView]:
    """The company's policies with the sentences reporting them and their exceptions, quoted in context."""
    found = graph.policies(company=company)
    totals = {policy.iri: policy.sources_total for policy in found}
    policies = [policy_view(policy, names) for policy in found]
    # The REST model quotes the newest articles of a policy without confidence, and no exception's: read them
    # (the newest ten articles each; how many report the policy in all is the REST model's count).
    evidence = Evidences(graph)
    for row in graph.rows("web_company_evidence", company=company):
        evidence.add(row["subject"].value, row["document"].value, _int(row["start"]), _int(row["end"]),
                     row["quote"].value, _value(row.get("confidence")))
    for policy in policies:
        policy.sources = evidence.sources(policy.iri)
        policy.sources.total = max(policy.sources.total, totals.get(policy.iri, 0))
        for view in policy.exceptions:
            view.sources = evidence.sources(view.iri)
    return sorted(policies, key=lambda p: (p.announced[:1] or ["9999"], p.slug))


def benefits(graph: Graph, names: Labels, iri: ox.NamedNode) -> list[dict[str, Any]]:
    """The exceptions ``iri`` benefits from: the company whose policy it is, the purpose, a link to it."""
    found = []
    for policy_iri in sorted(graph.policies_with_beneficiary(iri)):
        for policy in graph.policies(policy=ox.NamedNode(policy_iri)):
            company = Ref.of(_iri("company", policy.company), names)
            for exception in policy.exceptions:
                if any(b.iri == iri.value for b in exception.beneficiaries):
                    found.append({"company": company,
                                  "purpose": names.concept(exception.purpose) if exception.purpose else "",
                                  "url": f"{company.url}#exception-{exception.id}"})
    return sorted(found, key=lambda b: (fold(b["company"].label), b["purpose"]))


# --- statements (who calls on whom)


def statements(graph: Graph, actor: ox.NamedNode, names: Labels,
               keep: Callable[[StatementView], bool] | None = None) -> list[StatementView]:
    """The statements ``actor`` made (itself or through a person speaking for it) or is targeted by.

    ``keep`` selects the statements wanted; only the first :data:`MAX_STATEMENTS` of those get their
    sources read.
    """
    views: dict[str, StatementView] = {}
    evidence = Evidences(graph)
    for row in graph.rows("web_statements", actor=actor):
        iri = row["statement"].value
        view = views.setdefault(iri, StatementView(iri, Ref.of(row["speaker"].value, names)))
        if row.get("organisation") is not None:
            view.organisation = Ref.of(row["organisation"].value, names)
        if row.get("target") is not None:
            _add(view.targets, Ref.of(row["target"].value, names))
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


# --- timeline and graph view


def _reported(graph: Graph, policy: ox.NamedNode | None = None) -> dict[str, str]:
    """The date of the first article reporting each policy (or ``policy``)."""
    return {row["policy"].value: row["reported"].value for row in graph.rows("web_timeline", policy=policy)
            if row.get("reported") is not None}


def _item(policy: m.Policy, names: Labels, reported: dict[str, str]) -> TimelineItem:
    view = policy_view(policy, names)
    return TimelineItem(policy.iri, policy.id, Ref.of(_iri("company", policy.company), names), view.types,
                        view.technologies, policy.announced or reported.get(policy.iri, ""),
                        policy.announced is not None)


def _by_date(items: list[TimelineItem]) -> list[TimelineItem]:
    return sorted(items, key=lambda i: (i.date or "9999", fold(i.company.label)))


def timeline(graph: Graph, names: Labels) -> list[TimelineItem]:
    """Every policy by date: announced, else first reported."""
    reported = _reported(graph)
    return _by_date([_item(policy, names, reported) for policy in graph.policies()])


def awaiting(graph: Graph, names: Labels, legislature: ox.NamedNode) -> list[TimelineItem]:
    """The policies that wait for ``legislature``'s law (as its REST view lists them), by date."""
    detail = graph.legislature_detail(legislature)
    items = []
    for waiting in detail.policies if detail else []:
        policy = ox.NamedNode(waiting.iri)
        reported = _reported(graph, policy)
        items += [_item(found, names, reported) for found in graph.policies(policy=policy)]
    return _by_date(items)


def relations(graph: Graph) -> list[Link]:
    """The edges of the overview graph: companies issue policies, which await a law; advocates call on actors."""
    edges: list[Link] = []
    for policy in graph.policies():
        edges.append((_iri("company", policy.company), "issued", policy.iri))
        if policy.awaits_legislature:
            edges.append((policy.iri, "awaits", _iri("legislature", policy.awaits_legislature)))
    edges += [(r["source"].value, r["relation"].value, r["target"].value) for r in graph.rows("web_relations")]
    return edges


# --- an article with its facts highlighted in place


def article_facts(graph: Graph, info: DocumentInfo, names: Labels) -> list[Fact]:
    """The facts read in an article, numbered in the order of the text."""
    triples: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for row in graph.rows("web_document_graph", document=ox.NamedNode(info.iri)):
        triples[row["s"].value][row["p"].value].append(row["o"])
    describe = _Describer(triples, names)
    facts = []
    for ev in describe.subjects_of(VG.Evidence.value):
        fact = describe.evidence(ev, info)
        if fact is not None:
            facts.append(fact)
    facts.sort(key=lambda f: (f.start, FACT_ORDER.index(f.kind), f.description))
    for number, fact in enumerate(facts, 1):
        fact.number = number
    return facts


_RDF_TYPE = PREFIXES["rdf"] + "type"


class _Describer:
    """Describes the subjects of one article's triples: what kind of fact, in a few words, and its page."""

    def __init__(self, triples: dict[str, dict[str, list[Any]]], names: Labels) -> None:
        self.triples = triples
        self.names = names

    def one(self, subject: str, prop: Any) -> Any:
        values = self.triples.get(subject, {}).get(prop.value, [])
        return values[0] if values else None

    def subjects_of(self, cls: str) -> list[str]:
        return [s for s, props in self.triples.items() if any(t.value == cls for t in props.get(_RDF_TYPE, []))]

    def label(self, iri: str) -> str:
        """Its label in the store, else the one the article gives it."""
        found = self.one(iri, ox.NamedNode(PREFIXES["skos"] + "prefLabel"))
        return self.names.pref.get(iri) or (found.value if found is not None else self.names(iri))

    def evidence(self, ev: str, info: DocumentInfo) -> Fact | None:
        subject = self.one(ev, VG.supports)
        if subject is None:
            return None
        quote = self.one(ev, VG.quote)
        span = locate(info.text, _int(self.one(ev, VG.start)), _int(self.one(ev, VG.end)),
                      quote.value if quote else "")
        if span is None:
            return None
        kind, text, url = self.describe(subject.value)
        extractor = self.one(ev, ox.NamedNode(PREFIXES["prov"] + "wasGeneratedBy"))
        return Fact(0, kind, FACT_KINDS[kind], text, url, span[0], span[1],
                    info.text[span[0]:span[1]] if info.text else "",
                    slug_of(extractor.value) if extractor is not None else "", _value(self.one(ev, VG.confidence)))

    def describe(self, subject: str) -> tuple[str, str, str | None]:
        types = {t.value for t in self.triples.get(subject, {}).get(_RDF_TYPE, [])}
        if VG.Policy.value in types:
            return self._policy(subject)
        if VG.Exception.value in types:
            return self._exception(subject)
        if VG.Statement.value in types:
            return self._statement(subject)
        if VG.PolicyEvent.value in types:
            return self._event(subject)
        return "actor", self.label(subject), Ref.of(subject, self.names).url

    def _event(self, subject: str) -> tuple[str, str, str | None]:
        """A step of a policy's life (issue 16), shown as a fact about its policy."""
        kind, date = self.one(subject, VG.eventType), self.one(subject, VG.eventDate)
        owner = next((s for s, props in self.triples.items()
                      if any(o.value == subject for o in props.get(VG.hasEvent.value, []))), None)
        if owner is not None and self.one(owner, VG.issuedBy) is not None:
            _kind, text, url = self._policy(owner)
        else:  # an article reporting only the event: the policy node is other articles'
            text, url = (slug_of(owner) if owner else slug_of(subject)), None
        text += f" · {self.names(kind) if kind else 'événement'}" + (f" ({date.value})" if date is not None else "")
        return "policy", text, url

    def _policy(self, subject: str) -> tuple[str, str, str | None]:
        company, kind, tech = (self.one(subject, p) for p in (VG.issuedBy, VG.policyType, VG.technology))
        name = self.label(company.value) if company is not None else "?"
        text = f"{name} — {self.names(kind) if kind else 'politique'}" + (f" ({self.names(tech)})" if tech else "")
        url = f"/ui/company/{slug_of(company.value)}#policy-{slug_of(subject)}" if company is not None else None
        return "policy", text, url

    def _exception(self, subject: str) -> tuple[str, str, str | None]:
        purpose = self.one(subject, VG.purpose)
        owner = next((s for s, props in self.triples.items()
                      if any(o.value == subject for o in props.get(VG.hasException.value, []))), None)
        company = self.one(owner, VG.issuedBy) if owner else None
        text = self.names(purpose) if purpose is not None else slug_of(subject)
        if company is not None:
            text += f" (politique de {self.label(company.value)})"
        url = f"/ui/company/{slug_of(company.value)}#exception-{slug_of(subject)}" if company is not None else None
        return "exception", text, url

    def _statement(self, subject: str) -> tuple[str, str, str | None]:
        speaker = self.one(subject, VG.speaker)
        targets = [self.label(t.value) for t in self.triples.get(subject, {}).get(VG.target.value, [])]
        text = (self.label(speaker.value) if speaker is not None else "?") + (
            " → " + ", ".join(targets) if targets else "")
        return "statement", text, Ref.of(speaker.value, self.names).url if speaker is not None else None
