"""The rows of a few named queries, read by index look-ups on an embedded store instead of SPARQL.

A company's policies (``GET /company/{id}/policies``, the company page) and one policy (``/policies/{id}``,
each item of ``/policies``) are a handful of look-ups from the bound subject in the consolidated graph: its
triples, its exceptions', its newest articles' evidence. On an embedded store, pyoxigraph's
``quads_for_pattern`` answers each in some microseconds, while the same ``policy_*.rq`` queries spend about
as long in parsing and planning as in reading (five queries: 1 ms of parsing alone, out of 3-4 ms).

Each function here returns the rows of one named query, the same rows as the SPARQL text (same variables,
same values; the order of the rows is not part of either), so that :class:`api.graph.Graph` folds them in
one place whichever way they were read. Only the bindings a route uses are read this way (``None``
otherwise: the caller runs the query). A SPARQL server, or a store whose consolidated graph is not built
yet (read-only, written by an earlier version), is read with the queries (:attr:`GraphStore.indexed`).
The tests compare both ways on the seeds, a test corpus with curation and the API corpus
(``tests/test_api_lookups.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from ontology.namespaces import DCTERMS, OWL, RDF, RDFS, SCHEMA, SKOS, VG
from vigie.store import GraphStore

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Row = dict[str, Term]


def fill_values(sparql: str, name: str, terms: Iterable[Term]) -> str:
    """The query with its ``VALUES ?name { UNDEF }`` block holding ``terms``: RDF terms read from the store
    or built from validated integers, serialised by pyoxigraph (never text a user sent)."""
    values = f"VALUES ?{name} {{ " + " ".join(str(t) for t in terms) + " }"
    return sparql.replace(f"VALUES ?{name} {{ UNDEF }}", values)


_S = ox.Literal  # the keys of the rows are plain literals, as the queries BIND them

# The terms looked up, once (each attribute of a ``Namespace`` is a new ``NamedNode``).
_TYPE, _POLICY, _COMPANY, _ISSUED_BY, _POLICY_TYPE = RDF.type, VG.Policy, VG.Company, VG.issuedBy, VG.policyType
_REJECTS, _LATEST, _HAS_EVENT, _MENTIONS = VG.rejects, VG.latestSource, VG.hasEvent, VG.mentions
_NOTATION, _PREF_LABEL, _ALT_LABEL, _SAME_AS = SKOS.notation, SKOS.prefLabel, SKOS.altLabel, OWL.sameAs
_PURPOSE, _LABEL, _BENEFICIARY = VG.purpose, RDFS.label, VG.beneficiary
_EXISTS, _EXCEPTION_LABEL, _BENEFICIARY_KEY = _S("exists"), _S("exception_label"), _S("beneficiary")

#: policy_facts.rq: the policy's properties and their keys.
FACT_KEYS: dict[ox.NamedNode, ox.Literal] = {
    RDF.type: _EXISTS, VG.technology: _S("technology"), VG.product: _S("product"),
    VG.restrictedUser: _S("restricted_user"), VG.jurisdiction: _S("jurisdiction"), VG.duration: _S("duration"),
    VG.announced: _S("announced"), VG.condition: _S("condition"), VG.awaitsLegislationFrom: _S("awaits"),
    VG.hasException: _S("exception"), VG.articleCount: _S("articles"),
}
#: Keys whose value's notation :meth:`api.graph.Graph.policies` reads (it reads none for the others).
_NOTED = frozenset({"technology", "restricted_user", "jurisdiction", "exception"})

#: policy_events.rq: the event's properties and their keys.
EVENT_KEYS: dict[ox.NamedNode, ox.Literal] = {
    VG.eventType: _S("type"), VG.eventDate: _S("date"), VG.reportedOn: _S("reported"), VG.until: _S("until"),
    VG.openEnded: _S("open_ended"), VG.eventDuration: _S("duration"), VG.scopeUser: _S("user"),
    VG.scopeJurisdiction: _S("jurisdiction"), VG.scopeProduct: _S("product"),
}
_EVENT_NOTED = frozenset({"type", "user", "jurisdiction"})

#: companies.rq: the properties of a company and their keys.
COMPANY_KEYS: dict[ox.NamedNode, ox.Literal] = {
    RDF.type: _EXISTS, SKOS.prefLabel: _S("label"), SKOS.altLabel: _S("alias"), OWL.sameAs: _S("sameAs"),
}

#: policy_sources.rq's fields of an evidence and of an article, by predicate.
_SUPPORTS = VG.supports
_EVIDENCE_FIELDS = {VG.quote: "quote", VG.start: "start", VG.end: "end"}
ARTICLE_FIELDS = {DCTERMS.title: "title", DCTERMS.date: "date", SCHEMA.url: "url", DCTERMS.publisher: "site",
                  DCTERMS.isVersionOf: "story"}


class Reader:
    """Look-ups in one store's consolidated graph for one answer (what it read once is not read again)."""

    def __init__(self, store: GraphStore) -> None:
        self.lookup = store.lookup
        self._notations: dict[Term, list[Term]] = {}
        self._labels: dict[Term, list[Term]] = {}

    def objects(self, subject: Term, predicate: ox.NamedNode) -> list[Term]:
        return [q.object for q in self.lookup(subject, predicate, None)]

    def subjects(self, predicate: ox.NamedNode, object: Term) -> list[Term]:
        return [q.subject for q in self.lookup(None, predicate, object)]

    def has(self, subject: Term | None, predicate: ox.NamedNode, object: Term | None) -> bool:
        return next(iter(self.lookup(subject, predicate, object)), None) is not None

    def notations(self, term: Term) -> list[Term]:
        """``?term skos:notation ?n``: none for a literal."""
        if isinstance(term, ox.Literal):
            return []
        found = self._notations.get(term)
        if found is None:
            found = self._notations[term] = self.objects(term, _NOTATION)
        return found

    def pref_labels(self, term: Term) -> list[Term]:
        found = self._labels.get(term)
        if found is None:
            found = self._labels[term] = self.objects(term, _PREF_LABEL)
        return found


def _combinations(fields: dict[str, list[Term]], names: Iterable[str]) -> Iterator[dict[str, Term]]:
    """Every combination of the fields' values, as a row of independent ``OPTIONAL``s gives them."""
    rows: list[dict[str, Term]] = [{}]
    for name in names:
        values = fields.get(name)
        if values:
            rows = [{**row, name: value} for row in rows for value in values]
    return iter(rows)


# ------------------------------------------------------------------ policies


def policy_rows(
    store: GraphStore,
    *,
    policy: ox.NamedNode | None = None,
    company: ox.NamedNode | None = None,
    type: ox.NamedNode | None = None,
) -> tuple[list[Row], list[Row], list[Row]] | None:
    """The rows of ``policy_facts``, ``policy_exceptions`` and ``policy_sources`` for one policy or one
    company's (optionally of one type), or ``None`` for other bindings (the caller runs the queries).

    One look-up for each policy's triples, a few for each of its exceptions and concepts, then two queries for
    the sources of all of them (:func:`_source_rows`). A rejected policy has no rows (the facts query leaves it
    out, and the other two are read for the policies it answers only)."""
    if policy is None and company is None:
        return None
    read = Reader(store)
    candidates = [policy] if policy is not None else read.subjects(_ISSUED_BY, company)  # type: ignore[arg-type]
    facts: list[Row] = []
    exceptions: list[Row] = []
    heads: dict[Term, Row] = {}  # the policies with newest articles, for their sources
    for p in dict.fromkeys(candidates):
        triples = [(q.predicate, q.object) for q in store.lookup(p, None, None)]
        companies = [o for pr, o in triples if pr == _ISSUED_BY and (company is None or o == company)]
        types = [o for pr, o in triples if pr == _POLICY_TYPE and (type is None or o == type)]
        if not companies or not types or (_TYPE, _POLICY) not in triples or read.has(None, _REJECTS, p):
            continue
        head: Row = {"policy": p, "company": companies[0], "type": types[0]}
        type_notation = read.notations(types[0])
        fact: Row = {**head, "type_notation": type_notation[0]} if type_notation else head
        facts.append({**fact, "key": _EXISTS})
        for predicate, value in triples:
            key = FACT_KEYS.get(predicate)
            if key is None or key is _EXISTS:
                continue
            row = {**fact, "key": key, "value": value}
            if key.value not in _NOTED:
                facts.append(row)
                continue
            notations = read.notations(value)
            if key.value == "exception":
                facts += _exception_fact_rows(read, row, notations, read.objects(value, _PURPOSE))
                exceptions += _exception_rows(read, head, value)
                continue
            facts += [{**row, "notation": n} for n in notations] or [row]
        if any(pr == _LATEST for pr, _ in triples):
            heads[p] = head
    return facts, exceptions, _source_rows(store, heads) if heads else []


def _exception_fact_rows(read: Reader, row: Row, notations: list[Term], purposes: list[Term]) -> list[Row]:
    """policy_facts.rq's rows of one exception: one per purpose (``?extra``), with ``?notation`` the
    exception's own notation, else the purpose's."""
    pairs = [(purpose, n) for purpose in purposes for n in read.notations(purpose) or [None]] or [(None, None)]
    rows = []
    for own in notations or [None]:
        for purpose, notation in pairs:
            found = dict(row)
            if purpose is not None:
                found["extra"] = purpose
            chosen = own if own is not None else notation  # COALESCE(?value_notation, ?purpose_notation)
            if chosen is not None:
                found["notation"] = chosen
            rows.append(found)
    return rows


def _exception_rows(read: Reader, head: Row, exception: Term) -> list[Row]:
    """policy_exceptions.rq's rows of one exception: its labels, its beneficiaries with their labels."""
    base = {**head, "value": exception}
    rows: list[Row] = [{**base, "key": _EXCEPTION_LABEL, "label": label} for label in read.objects(exception, _LABEL)]
    for beneficiary in read.objects(exception, _BENEFICIARY):
        row = {**base, "key": _BENEFICIARY_KEY, "extra": beneficiary}
        rows += [{**row, "label": label} for label in read.pref_labels(beneficiary)] or [row]
    return rows


def _source_rows(store: GraphStore, heads: dict[Term, Row]) -> list[Row]:
    """policy_sources.rq's rows of the policies of ``heads``: their newest articles' evidence of them (in the
    article's own graph), each with the evidence's and the article's fields. Look-ups only: a policy's newest
    articles (ten at most), the evidence in each article's graph, the evidence's and the article's fields."""
    read = Reader(store)
    articles: dict[Term, dict[str, list[Term]]] = {}
    rows: list[Row] = []
    for policy, head in heads.items():
        for document in dict.fromkeys(read.objects(policy, _LATEST)):
            fields = articles.get(document)
            if fields is None:
                fields = articles[document] = _article_fields(store, document)
            for value in dict.fromkeys(q.subject for q in store.lookup(None, _SUPPORTS, policy, document)):
                evidence = {name: read.objects(value, predicate) for predicate, name in _EVIDENCE_FIELDS.items()}
                for found in _combinations(evidence, ("quote", "start", "end")):
                    base = {**head, "document": document, "value": value, **found}
                    rows += [{**base, **more} for more in _combinations(fields, ARTICLE_FIELDS.values())]
    return rows


def _article_fields(store: GraphStore, document: Term) -> dict[str, list[Term]]:
    """The article's title, date, url, site and story, each value once."""
    fields: dict[str, list[Term]] = {}
    for predicate, name in ARTICLE_FIELDS.items():
        values = list(dict.fromkeys(q.object for q in store.lookup(document, predicate, None)))  # type: ignore[arg-type]
        if values:
            fields[name] = values
    return fields


def event_rows(
    store: GraphStore, *, policy: ox.NamedNode | None = None, company: ox.NamedNode | None = None
) -> list[Row] | None:
    """The rows of ``policy_events`` for one policy or one company's, or ``None`` for all policies."""
    if policy is None and company is None:
        return None
    read = Reader(store)
    if policy is not None:
        pairs = [(policy, c) for c in read.objects(policy, _ISSUED_BY) if company is None or c == company]
    else:
        pairs = [(p, company) for p in read.subjects(_ISSUED_BY, company)]  # type: ignore[arg-type]
    rows: list[Row] = []
    for p, c in dict.fromkeys(pairs):
        events = read.objects(p, _HAS_EVENT)
        if not events or read.has(None, _REJECTS, p):
            continue
        for event in dict.fromkeys(events):
            for q in store.lookup(event, None, None):
                key = EVENT_KEYS.get(q.predicate)
                if key is None:
                    continue
                row = {"policy": p, "company": c, "event": event, "key": key, "value": q.object}
                notations = read.notations(q.object) if key.value in _EVENT_NOTED else []
                rows += [{**row, "notation": n} for n in notations] or [row]
    return rows


# ------------------------------------------------------------------ companies


def company_rows(store: GraphStore, company: ox.NamedNode | None) -> list[Row] | None:
    """The rows of ``companies`` for one company, or ``None`` for the list (the caller runs the query)."""
    if company is None:
        return None
    read = Reader(store)
    if not read.has(company, _TYPE, _COMPANY):
        return []
    if not (read.has(None, _MENTIONS, company) or read.has(None, _ISSUED_BY, company)):
        return []
    rows: list[Row] = [{"company": company, "key": _EXISTS}]
    for predicate in (_PREF_LABEL, _ALT_LABEL, _SAME_AS):
        key = COMPANY_KEYS[predicate]
        rows += [{"company": company, "key": key, "value": value} for value in read.objects(company, predicate)]
    return rows

