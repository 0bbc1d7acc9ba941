"""The REST layer's view of the graph: runs the named queries of ``queries/`` and shapes their rows.

Each method runs one or two queries (never one per item) and groups the rows in Python. The queries
return one row per fact (``?key``, ``?value``...), so multi-valued facts never multiply each other.
"""

from __future__ import annotations

import re
import threading
import time
from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from api import lifecycle, lookups
from api import models as m
from api.cache import AnswerCache, cached
from api.lookups import fill_values
from ontology.iris import split
from ontology.namespaces import XSD
from queries import Registry
from vigie.consolidation import SOURCES_KEPT
from vigie.curation import curated_subjects
from vigie.store import GraphStore

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Row = dict[str, Term]

_WIKIDATA = "http://www.wikidata.org/entity/"


def slug(iri: str) -> str:
    """The slug of a Vigie IRI (``…/company/amazon`` → ``amazon``), or the IRI itself."""
    parts = split(iri)
    return parts[1] if parts else iri


def kind(iri: str) -> str:
    parts = split(iri)
    return parts[0] if parts else "other"


def concept_slug(iri: str, notation: Term | None = None) -> str:
    """A concept's notation, or a slug of its local name (``vg:LawEnforcement`` → ``law-enforcement``)."""
    if notation is not None:
        return notation.value
    local = re.split(r"[#/]", iri)[-1]
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", local).lower()


def _v(row: Row, name: str) -> str | None:
    term = row.get(name)
    return term.value if term is not None else None


def _int(row: Row, name: str) -> int | None:
    value = _v(row, name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _pick(values: Iterable[str]) -> str | None:
    """One value out of several (articles may disagree): the shortest, then the first alphabetically."""
    return min(values, key=lambda v: (len(v), v), default=None)


def _label(labels: dict[str, set[str]], iri: str) -> str | None:
    return _pick(labels.get(iri, ()))


def _ref(iri: str, label: str | None) -> m.ActorRef:
    return m.ActorRef(id=slug(iri), kind=kind(iri), iri=iri, label=label)


def _source(row: Row) -> m.Source:
    return m.Source(
        document=slug(row["document"].value),
        title=_v(row, "title"),
        date=_v(row, "date"),
        quote=_v(row, "quote"),
        start=_int(row, "start"),
        end=_int(row, "end"),
        url=_v(row, "url"),
        site=_v(row, "site"),
        story=slug(row["story"].value) if "story" in row else slug(row["document"].value),
    )


def _sources_next(iri: str, articles: set[str], shown: dict) -> str | None:
    """The sources route of a policy when more articles report it than its answer shows: more stories than
    articles shown, or as many articles shown as the newest kept (copies of a dispatch count once in the
    stories, so more articles may be behind them)."""
    total = max((int(n) for n in articles), default=0)
    documents = {source.document for source in shown.values() if not source.curated}
    more = total > len(documents) or len(documents) >= SOURCES_KEPT
    return f"/policies/{slug(iri)}/sources?offset=0" if more else None


_EVENT_ORDER = {"announced": 0, "reinstated": 1, "extended": 2, "widened": 3, "narrowed": 4, "lifted": 5}


def _event(iri: str, values: dict[str, set[str]]) -> m.PolicyEvent:
    date = _pick(values["date"])
    reported = min((lifecycle.day(r) for r in values["reported"]), default=None)
    return m.PolicyEvent(
        id=slug(iri), iri=iri, type=_pick(values["type"]) or "", date=date,
        day=lifecycle.day(date) or reported, until=min(values["until"], default=None),
        open_ended="true" in values["open_ended"] or "1" in values["open_ended"],
        duration=_pick(values["duration"]), restricted_users=sorted(values["user"]),
        jurisdiction=_pick(values["jurisdiction"]), products=sorted(values["product"]),
    )


def _steps(events: list[m.PolicyEvent]) -> list[lifecycle.Step]:
    return [lifecycle.Step(e.type, e.day, lifecycle.day(e.until)) for e in events if e.day]


def _validity(events: list[m.PolicyEvent]) -> dict:
    """A policy's status today and its latest period in force, from its events."""
    spans = lifecycle.periods(_steps(events))
    last = spans[-1] if spans else (None, None)
    return {"status": lifecycle.status(spans), "valid_from": last[0], "valid_until": last[1]}


def _exception() -> dict:
    return {"purposes": set(), "labels": set(), "beneficiaries": {}}


#: The source of facts a curator wrote into the curation graph (SPARQL Update, /store).
CURATED_SOURCE = m.Source(document="curation", title="Curation", curated=True)


def _source_key(source: m.Source) -> tuple:
    return (source.document, source.start if source.start is not None else -1, source.quote or "")


class Graph:
    """Typed access to the knowledge graph for the REST routes."""

    def __init__(self, store: GraphStore, registry: Registry, cache: AnswerCache | None = None) -> None:
        self.store = store
        self.registry = registry
        self.cache = cache or AnswerCache(enabled=False)
        self._concepts: dict[str, ox.NamedNode] | None = None
        self._concepts_generation, self._concepts_read = -1, 0.0
        self._lock = threading.Lock()

    def rows(self, name: str, **bindings: ox.NamedNode | ox.Literal | None) -> list[Row]:
        """Rows of the named query ``name`` with the given (already validated) bindings."""
        bound = {k: v for k, v in bindings.items() if v is not None}
        return self.store.select(self.registry[name].text_for(bound), bindings=bound)  # type: ignore[return-value]

    @cached
    def triples(self, name: str, **bindings: ox.NamedNode) -> list[ox.Triple]:
        """Triples of a named CONSTRUCT query."""
        result = self.store.query(self.registry[name].text_for(bindings), bindings=bindings)
        return list(dict.fromkeys(result))  # type: ignore[arg-type]

    # ------------------------------------------------------------ vocabulary

    def concept(self, notation: str) -> ox.NamedNode | None:
        """The concept whose ``skos:notation`` is ``notation`` (case-insensitive), or ``None``.

        The notations are read once, again after each write to the store, and on a miss at most every
        few seconds (so unknown values sent in a loop do not each cost a query).
        """
        key = notation.strip().lower()
        concepts = self._concept_map()
        if key not in concepts and time.monotonic() - self._concepts_read > 5.0:
            concepts = self._concept_map(refresh=True)
        return concepts.get(key)

    def _concept_map(self, refresh: bool = False) -> dict[str, ox.NamedNode]:
        with self._lock:
            generation = self.cache.generation
            if self._concepts is None or refresh or generation != self._concepts_generation:
                self._concepts = {
                    row["notation"].value.lower(): row["concept"]  # type: ignore[misc]
                    for row in self.rows("concepts")
                    if isinstance(row.get("concept"), ox.NamedNode)
                }
                self._concepts_generation, self._concepts_read = generation, time.monotonic()
            return self._concepts

    # ------------------------------------------------------------ entities with labels

    def _labelled(self, query: str, var: str, rows: list[Row] | None = None, **bindings: ox.NamedNode | None
                  ) -> dict[str, dict]:
        """Entities of a ``*s.rq`` list query (its ``rows`` when they were read otherwise), as
        ``{iri: {"label": .., "aliases": .., ...}}``."""
        entities: dict[str, dict] = {}
        object_labels: dict[str, set[str]] = defaultdict(set)
        for row in self.rows(query, **bindings) if rows is None else rows:
            if var not in row:  # key = object_label: a label of an affiliation or target, once per entity
                if "value" in row and "label" in row:
                    object_labels[row["value"].value].add(row["label"].value)
                continue
            iri = row[var].value
            entity = entities.setdefault(
                iri, {"labels": set(), "aliases": set(), "wikidata": set(), "roles": set(), "affiliations": {},
                      "targets": {}}
            )
            key = _v(row, "key")
            value = _v(row, "value")
            if value is None:
                continue
            if key == "label":
                entity["labels"].add(value)
            elif key == "alias":
                entity["aliases"].add(value)
            elif key == "sameAs" and value.startswith(_WIKIDATA):
                entity["wikidata"].add(value[len(_WIKIDATA):])
            elif key == "role":
                entity["roles"].add(value)
            elif key in ("affiliation", "target"):
                bucket = entity["affiliations" if key == "affiliation" else "targets"]
                bucket.setdefault(value, set())
                if "label" in row:
                    bucket[value].add(row["label"].value)
        for entity in entities.values():
            for bucket in (entity["affiliations"], entity["targets"]):
                for value, labels in bucket.items():
                    labels.update(object_labels.get(value, ()))
        return entities

    @staticmethod
    def _names(entity: dict) -> tuple[str | None, list[str]]:
        label = _pick(entity["labels"])
        return label, sorted(entity["aliases"] - {label})

    @cached
    def companies(self, company: ox.NamedNode | None = None) -> list[m.Company]:
        out = []
        rows = lookups.company_rows(self.store, company) if self.store.indexed else None
        for iri, entity in sorted(self._labelled("companies", "company", rows, company=company).items()):
            label, aliases = self._names(entity)
            out.append(m.Company(id=slug(iri), iri=iri, label=label, aliases=aliases,
                                 wikidata=_pick(entity["wikidata"])))
        return out

    @cached
    def legislatures(self, legislature: ox.NamedNode | None = None) -> list[m.Legislature]:
        out = []
        for iri, entity in sorted(self._labelled("legislatures", "legislature", legislature=legislature).items()):
            label, aliases = self._names(entity)
            out.append(m.Legislature(id=slug(iri), iri=iri, label=label, aliases=aliases,
                                     wikidata=_pick(entity["wikidata"])))
        return out

    @cached
    def advocates(self, advocate: ox.NamedNode | None = None) -> list[m.Advocate]:
        out = []
        for iri, entity in sorted(self._labelled("advocates", "advocate", advocate=advocate).items()):
            label, aliases = self._names(entity)
            affiliation = _pick(entity["affiliations"])
            out.append(m.Advocate(
                id=slug(iri), iri=iri, kind=kind(iri), label=label, aliases=aliases,
                wikidata=_pick(entity["wikidata"]), role=_pick(entity["roles"]),
                affiliation=_ref(affiliation, _pick(entity["affiliations"][affiliation])) if affiliation else None,
                targets=[_ref(t, _pick(labels)) for t, labels in sorted(entity["targets"].items())],
            ))
        return out

    # ------------------------------------------------------------ policies

    @cached
    def policies(
        self,
        *,
        policy: ox.NamedNode | None = None,
        company: ox.NamedNode | None = None,
        type: ox.NamedNode | None = None,
    ) -> list[m.Policy]:
        """Policies with all their facts (three queries: facts, exception details, sources), by company then id.

        One policy's or one company's are read by index look-ups on an embedded store (:mod:`api.lookups`:
        the same rows as the three queries, without parsing them)."""
        bound = {"policy": policy, "company": company, "type": type}
        looked_up = lookups.policy_rows(self.store, **bound) if self.store.indexed else None
        facts: dict[str, dict] = {}
        for row in self.rows("policy_facts", **bound) if looked_up is None else looked_up[0]:
            iri = row["policy"].value
            p = facts.get(iri)
            if p is None:
                p = facts[iri] = {
                    "company": row["company"].value,
                    "type": concept_slug(row["type"].value, row.get("type_notation")),
                    "values": defaultdict(set),
                    "exceptions": {},
                    "sources": {},
                }
            key = _v(row, "key")
            value = _v(row, "value")
            if key in (None, "exists") or value is None:
                continue
            if key in ("technology", "restricted_user", "jurisdiction"):
                p["values"][key].add(concept_slug(value, row.get("notation")))
            elif key in ("product", "awaits"):
                p["values"][key].add(slug(value))
            elif key in ("duration", "announced", "condition", "articles"):
                p["values"][key].add(value)
            elif key == "exception":
                exc = p["exceptions"].setdefault(value, _exception())
                if "extra" in row:
                    exc["purposes"].add(concept_slug(row["extra"].value, row.get("notation")))
        if not facts:
            return []
        for row in self.rows("policy_exceptions", **bound) if looked_up is None else looked_up[1]:
            p = facts.get(row["policy"].value)  # absent: a policy the facts query left out (e.g. rejected)
            if p is None or "value" not in row:
                continue
            exc = p["exceptions"].setdefault(row["value"].value, _exception())
            if row["key"].value == "exception_label" and "label" in row:
                exc["labels"].add(row["label"].value)
            elif row["key"].value == "beneficiary" and "extra" in row:
                labels = exc["beneficiaries"].setdefault(row["extra"].value, set())
                if "label" in row:
                    labels.add(row["label"].value)
        for row in self.rows("policy_sources", **bound) if looked_up is None else looked_up[2]:
            p = facts.get(row["policy"].value)
            if p is not None and "document" in row:
                p["sources"][row["value"].value] = _source(row)
        out = []
        curated = curated_subjects(self.store) if facts else set()
        events = self.policy_events(policy=policy, company=company)
        for iri, p in facts.items():
            values = p["values"]
            validity = _validity(events.get(iri, []))
            if iri in curated or curated.intersection(p["exceptions"]):
                p["sources"]["curation"] = CURATED_SOURCE
            out.append(m.Policy(
                id=slug(iri),
                iri=iri,
                company=slug(p["company"]),
                type=p["type"],
                technology=_pick(values["technology"]),
                products=sorted(values["product"]),
                restricted_users=sorted(values["restricted_user"]),
                jurisdiction=_pick(values["jurisdiction"]),
                duration=_pick(values["duration"]),
                announced=lifecycle.earliest(values["announced"]),
                condition=_pick(values["condition"]),
                awaits_legislature=_pick(values["awaits"]),
                exceptions=[
                    m.PolicyException(
                        id=slug(e_iri), iri=e_iri, purpose=_pick(e["purposes"]), label=_pick(e["labels"]),
                        beneficiaries=[_ref(b, _pick(labels)) for b, labels in sorted(e["beneficiaries"].items())],
                    )
                    for e_iri, e in sorted(p["exceptions"].items())
                ],
                sources=sorted(p["sources"].values(), key=_source_key),
                sources_total=max((int(n) for n in values["articles"]), default=0),
                sources_next=_sources_next(iri, values["articles"], p["sources"]),
                **validity,
            ))
        out.sort(key=lambda p: (p.company, p.id))
        return out

    # ------------------------------------------------------------ history (issue 16)

    @cached
    def policy_events(self, *, policy: ox.NamedNode | None = None, company: ox.NamedNode | None = None
                      ) -> dict[str, list[m.PolicyEvent]]:
        """The events of the policies asked for (all, one policy's, one company's), by policy IRI, in order.

        One query over the events' own triples: it grows with the events of the policies asked for."""
        found: dict[str, dict[str, dict]] = defaultdict(dict)
        rows = lookups.event_rows(self.store, policy=policy, company=company) if self.store.indexed else None
        for row in self.rows("policy_events", policy=policy, company=company) if rows is None else rows:
            event = found[row["policy"].value].setdefault(row["event"].value, defaultdict(set))
            event[row["key"].value].add(concept_slug(row["value"].value, row.get("notation"))
                                        if row["key"].value in ("type", "user", "jurisdiction")
                                        else slug(row["value"].value) if row["key"].value == "product"
                                        else row["value"].value)
        out = {}
        for iri, events in found.items():
            out[iri] = sorted((_event(e_iri, values) for e_iri, values in events.items()),
                              key=lambda e: (e.day or "9999", _EVENT_ORDER.get(e.type, 9), e.id))
        return out

    @cached
    def policy_history(self, policy: ox.NamedNode) -> m.PolicyHistory | None:
        """One policy's events with the sentences reporting them, its periods in force and its status."""
        found = self.policies(policy=policy)
        if not found:
            return None
        events = self.policy_events(policy=policy).get(policy.value, [])
        by_iri = {e.iri: e for e in events}
        for row in self.rows("policy_history", policy=policy):
            event = by_iri.get(row["event"].value)
            if event is not None and "document" in row:
                source = m.Source(document=slug(row["document"].value), title=_v(row, "title"),
                                  date=_v(row, "article_date"), quote=_v(row, "quote"), start=_int(row, "start"),
                                  end=_int(row, "end"))
                if source not in event.sources:
                    event.sources.append(source)
        head = found[0]
        spans = lifecycle.periods(_steps(events))
        return m.PolicyHistory(policy=head.id, iri=head.iri, company=head.company, status=head.status,
                               valid_from=head.valid_from, valid_until=head.valid_until,
                               periods=[m.Period(start=a, end=b) for a, b in spans], events=events)

    @cached
    def in_force(self, on: str, *, company: ox.NamedNode | None = None) -> set[str]:
        """IRIs of the policies (of ``company``) in force on day ``on`` (YYYY-MM-DD), from their events only."""
        day = lifecycle.day(on) or on
        return {iri for iri, events in self.policy_events(company=company).items()
                if lifecycle.in_force(_steps(events), day)}

    @cached
    def policy_sources(self, policy: ox.NamedNode) -> list[m.Source]:
        """All the sentences reporting one policy, newest article first (reads every article stating it)."""
        rows = self.rows("policy_sources_page", policy=policy)
        return [_source(row) for row in rows if "document" in row]

    @cached
    def policy_ids(self, *, company: ox.NamedNode | None = None, type: ox.NamedNode | None = None) -> list[str]:
        """IRIs of the policies (not rejected), optionally of one company or type, by company then id.

        Lists page over these and read the facts of one page's policies only: reading every policy's facts
        and sources to show a page of them grows with the whole graph.
        """
        rows = self.rows("policy_ids", company=company, type=type)
        heads = {(slug(row["company"].value), slug(row["policy"].value)): row["policy"].value for row in rows}
        return [heads[key] for key in sorted(heads)]

    @cached
    def policies_with_user(self, restricted_user: ox.NamedNode) -> set[str]:
        """IRIs of the policies restricting ``restricted_user``."""
        return {row["policy"].value for row in self.rows("policies_with_user", restricted_user=restricted_user)}

    @cached
    def policies_with_beneficiary(self, beneficiary: ox.NamedNode) -> set[str]:
        """IRIs of the policies (not rejected) with an exception that benefits ``beneficiary``."""
        return {row["policy"].value for row in self.rows("policies_with_beneficiary", beneficiary=beneficiary)}

    # ------------------------------------------------------------ statements

    def _statements(self, rows: list[Row], default_speaker: tuple[str, str | None] | None = None
                    ) -> list[m.Statement]:
        statements: dict[str, dict] = {}
        # Labels of speakers and targets come in rows of their own (key = label), once per entity rather than
        # once per statement: a label every article repeats would otherwise multiply the statements' rows.
        names: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            if _v(row, "key") == "label" and "value" in row and "label" in row:
                names[row["value"].value].add(row["label"].value)
        for row in rows:
            if "statement" not in row:
                continue
            iri = row["statement"].value
            s = statements.setdefault(iri, {"speaker": None, "quotes": set(), "targets": {}, "sources": {},
                                            "articles": 0})
            if "speaker" in row:
                s["speaker"] = (row["speaker"].value, _v(row, "speaker_label"))
            key = _v(row, "key")
            if key == "statement":
                s["articles"] = max(s["articles"], _int(row, "articles") or 0)
            if key == "statement" and "quote" in row:
                s["quotes"].add(row["quote"].value)
            elif key in ("target", "statement_target") and "value" in row:
                label_var = "company_label" if key == "statement_target" else "label"
                labels = s["targets"].setdefault(row["value"].value, set())
                if label_var in row:
                    labels.add(row[label_var].value)
            elif key == "source" and "document" in row and "value" in row:
                s["sources"][row["value"].value] = _source(row)
        out = []
        curated = curated_subjects(self.store) if statements else set()
        for iri, s in sorted(statements.items()):
            speaker = s["speaker"] or default_speaker
            if speaker is None:
                continue
            if speaker[1] is None:
                speaker = (speaker[0], _pick(names.get(speaker[0], ())))
            if iri in curated:
                s["sources"]["curation"] = CURATED_SOURCE
            out.append(m.Statement(
                id=slug(iri), iri=iri, speaker=_ref(*speaker), quote=_pick(s["quotes"]),
                targets=[_ref(t, _pick(labels | names.get(t, set()))) for t, labels in sorted(s["targets"].items())],
                sources=sorted(s["sources"].values(), key=_source_key),
                sources_total=s["articles"],
            ))
        return out

    @cached
    def advocate_detail(self, advocate: ox.NamedNode) -> m.AdvocateDetail | None:
        found = self.advocates(advocate)
        if not found:
            return None
        head = found[0]
        rows = self.rows("advocate_statements", advocate=advocate)
        members: dict[str, set[str]] = {}
        labels: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            if _v(row, "key") == "member" and "value" in row:
                members.setdefault(row["value"].value, set())
                if "label" in row:
                    members[row["value"].value].add(row["label"].value)
        labels.update(members)
        for row in rows:
            if "speaker" in row and row["speaker"].value in members:
                row["speaker_label"] = ox.Literal(_pick(members[row["speaker"].value]) or "")
        return m.AdvocateDetail(
            advocate=head,
            members=[_ref(iri, _pick(names)) for iri, names in sorted(members.items())],
            statements=self._statements(rows, default_speaker=(head.iri, head.label)),
        )

    @cached
    def legislature_detail(self, legislature: ox.NamedNode) -> m.LegislatureDetail | None:
        found = self.legislatures(legislature)
        if not found:
            return None
        rows = self.rows("legislature_requests", legislature=legislature)
        policies: dict[str, dict] = {}
        advocates: dict[str, set[str]] = {}
        statement_rows = []
        for row in rows:
            key = _v(row, "key")
            if key == "policy" and "value" in row:
                p = policies.setdefault(row["value"].value, {"company": row["company"].value, "labels": set(),
                                                             "types": set(), "conditions": set()})
                for var, bucket in (("company_label", "labels"), ("type", "types"), ("condition", "conditions")):
                    if var in row:
                        p[bucket].add(row[var].value)
            elif key == "advocate" and "value" in row:
                names = advocates.setdefault(row["value"].value, set())
                if "label" in row:
                    names.add(row["label"].value)
            else:  # statement, statement_target, source, and the labels of their speakers and targets
                statement_rows.append(row)
        return m.LegislatureDetail(
            legislature=found[0],
            policies=[
                m.AwaitingPolicy(id=slug(iri), iri=iri, company=_ref(p["company"], _pick(p["labels"])),
                                 type=_pick(p["types"]), condition=_pick(p["conditions"]))
                for iri, p in sorted(policies.items())
            ],
            advocates=[_ref(iri, _pick(names)) for iri, names in sorted(advocates.items())],
            statements=self._statements(statement_rows),
        )

    # ------------------------------------------------------------ documents

    @cached
    def documents(self, document: ox.NamedNode | None = None) -> list[m.Document]:
        return self._documents(self.rows("documents", document=document))

    @cached
    def document_ids(self) -> list[str]:
        """The articles' IRIs, sorted (codepoint order, as SPARQL's ``ORDER BY`` on IRIs)."""
        return sorted({row["document"].value for row in self.rows("document_ids")})

    @cached
    def newest_documents(self, limit: int, offset: int = 0) -> tuple[list[ox.NamedNode], int] | None:
        """The IRIs of one page of the articles, newest first, and the number of articles in all; ``None``
        when the store keeps no positions (empty, or written by an earlier version and opened read-only).

        The articles' positions are dense (:mod:`vigie.consolidation`), so the page is ``limit`` index
        look-ups from the newest position down, and the total is read from the store's node: the cost
        of a page does not grow with the number of articles."""
        window = self.rows("document_window")
        if not window:
            return None
        first, count = int(window[0]["first"].value), int(window[0]["count"].value)
        newest = first + count - 1 - offset
        positions = range(newest, max(first, newest - limit + 1) - 1, -1)
        if not positions:
            return [], count
        numbers = [ox.Literal(str(n), datatype=XSD.integer) for n in positions]
        rows = self.store.select(fill_values(self.registry["documents_at"].sparql, "position", numbers))
        at = {int(row["position"].value): row["document"] for row in rows}
        return [at[n] for n in positions if n in at], count  # type: ignore[misc]

    @cached
    def document_page(self, limit: int, offset: int = 0) -> tuple[list[m.Document], int]:
        """One page of :meth:`documents`, newest first (the order they were added in), and the number of
        articles in all: :meth:`newest_documents`, then the metadata of the page's articles only, with one
        ``VALUES`` block of their IRIs (terms read from the store, serialised by pyoxigraph).

        A store without positions is listed by IRI, reading and sorting every IRI (linear in the articles:
        0.9 s at 100,000)."""
        found = self.newest_documents(limit, offset)
        if found is None:
            ids = self.document_ids()
            page, total = [ox.NamedNode(iri) for iri in ids[offset:offset + limit]], len(ids)
        else:
            page, total = found
        if not page:
            return [], total
        text = fill_values(self.registry["documents"].sparql, "document", page)
        found_docs = {d.iri: d for d in self._documents(self.store.select(text))}  # type: ignore[arg-type]
        return [found_docs[d.value] for d in page if d.value in found_docs], total

    @staticmethod
    def _documents(rows: list[Row]) -> list[m.Document]:
        seen: dict[str, m.Document] = {}
        for row in rows:
            iri = row["document"].value
            if iri not in seen:
                seen[iri] = m.Document(
                    id=_v(row, "identifier") or slug(iri), iri=iri, title=_v(row, "title"), date=_v(row, "date"),
                    source=_v(row, "source"), content_hash=_v(row, "hash"), url=_v(row, "url"),
                    site=_v(row, "site"), story=slug(row["story"].value) if "story" in row else None,
                )
        return list(seen.values())

    @cached
    def document_detail(self, document: ox.NamedNode) -> m.DocumentDetail | None:
        found = self.documents(document)
        if not found:
            return None
        mentions: dict[str, set[str]] = {}
        policies: dict[str, dict] = {}
        statements: dict[str, dict] = {}
        for row in self.rows("document_facts", document=document):
            key, value = _v(row, "key"), _v(row, "value")
            if value is None:
                continue
            if key == "mention":
                names = mentions.setdefault(value, set())
                if "label" in row:
                    names.add(row["label"].value)
            elif key in ("policy", "policy_source"):
                p = policies.setdefault(value, {"company": None, "types": set(), "quotes": {}})
                if key == "policy":
                    p["company"] = _v(row, "extra")
                    if "notation" in row:
                        p["types"].add(row["notation"].value)
                elif "quote" in row:
                    quote = m.Quote(quote=_v(row, "quote"), start=_int(row, "start"), end=_int(row, "end"))
                    p["quotes"][(quote.start, quote.quote)] = quote
            elif key in ("statement", "statement_target"):
                s = statements.setdefault(value, {"speaker": None, "labels": set(), "quote": None, "targets": {}})
                if key == "statement":
                    s["speaker"] = _v(row, "extra")
                    s["quote"] = _v(row, "quote")
                    if "label" in row:
                        s["labels"].add(row["label"].value)
                elif "extra" in row:
                    names = s["targets"].setdefault(row["extra"].value, set())
                    if "label" in row:
                        names.add(row["label"].value)
        return m.DocumentDetail(
            document=found[0],
            mentions=[_ref(iri, _pick(names)) for iri, names in sorted(mentions.items())],
            policies=[
                m.DocumentPolicy(
                    id=slug(iri), iri=iri, company=slug(p["company"] or ""), type=_pick(p["types"]),
                    quotes=[p["quotes"][k] for k in sorted(p["quotes"], key=lambda k: (k[0] or -1, k[1] or ""))],
                )
                for iri, p in sorted(policies.items())
                if p["company"]
            ],
            statements=[
                m.DocumentStatement(
                    id=slug(iri), iri=iri, speaker=_ref(s["speaker"], _pick(s["labels"])), quote=s["quote"],
                    targets=[_ref(t, _pick(names)) for t, names in sorted(s["targets"].items())],
                )
                for iri, s in sorted(statements.items())
                if s["speaker"]
            ],
        )
