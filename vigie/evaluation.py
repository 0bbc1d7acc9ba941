"""Scoring a knowledge graph against a gold file (format ``vigie-gold/1``).

The rules are those of the gold format: names match after lower-casing and removing accents,
punctuation and spaces; optional gold entries count neither way; policies match on (company, type),
and their attributes are then scored as accuracy over the matched policies. A gold policy with ``events``
(``[{"type": "extended", "date": "2021-05-18"}, …]``) also scores the policy's events (issue 16): an event
matches on its type and a date that agrees to the coarser precision (``2021-05`` matches ``2021-05-18``; no
date matches no date), as precision/recall of its own, apart from the micro F1; policies without ``events``
in the gold are not scored on them.

:func:`evaluate` scores the whole graph against the whole gold file; :func:`evaluate_per_article` scores
each article's graph against the gold entries whose ``docs`` name that article, so a fact counts only
where its article holds it (``vigie eval --per-article``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ontology.iris import split
from ontology.namespaces import VG

CATEGORIES = ("companies", "advocates", "legislatures", "policies")
ATTRIBUTES = ("restricted_users", "exceptions", "duration", "announced", "jurisdiction")
_CLASS_CATEGORY = {VG.Company.value: "companies", VG.Advocate.value: "advocates", VG.Legislature.value: "legislatures"}
_PROPERTY = {
    VG.issuedBy.value: "company",
    VG.policyType.value: "type",
    VG.restrictedUser.value: "restricted_users",
    VG.jurisdiction.value: "jurisdiction",
    VG.duration.value: "duration",
    VG.announced.value: "announced",
    VG.awaitsLegislationFrom.value: "awaits_legislature",
}


def normalise(name: str) -> str:
    """Lower-case, accents, punctuation and spaces removed: ``"Big Blue"`` → ``"bigblue"``."""
    decomposed = unicodedata.normalize("NFKD", name.lower())
    return re.sub(r"[\W_]+", "", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


@dataclass
class ExtractedEntity:
    id: str
    names: set[str]
    affiliation: str | None = None
    targets: set[str] = field(default_factory=set)


@dataclass
class ExtractedPolicy:
    company: str
    type: str
    restricted_users: set[str] = field(default_factory=set)
    exceptions: set[str] = field(default_factory=set)
    duration: str | None = None
    announced: str | None = None
    jurisdiction: str | None = None
    events: set[tuple[str, str | None]] = field(default_factory=set)  # (type, date)


@dataclass
class ExtractedGraph:
    """What a graph holds, in the terms of a gold file."""

    entities: dict[str, list[ExtractedEntity]] = field(default_factory=lambda: defaultdict(list))
    policies: list[ExtractedPolicy] = field(default_factory=list)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    categories: dict[str, Score]
    attributes: dict[str, tuple[int, int]]  # name → (correct, total)
    attribute_errors: list[str] = field(default_factory=list)
    events: Score = field(default_factory=lambda: Score())  # policies' events, where the gold lists them

    @property
    def micro(self) -> Score:
        total = Score()
        for score in self.categories.values():
            total.tp += score.tp
            total.fp += score.fp
            total.fn += score.fn
        return total

    @property
    def attribute_accuracy(self) -> float:
        correct = sum(c for c, _ in self.attributes.values())
        total = sum(t for _, t in self.attributes.values())
        return correct / total if total else 1.0


def load_gold(path: Path | str) -> dict:
    """Read a gold file, checking its format marker."""
    gold = json.loads(Path(path).read_text(encoding="utf-8"))
    if gold.get("format") != "vigie-gold/1":
        raise ValueError(f"{path}: not a vigie-gold/1 file")
    return gold


def _entry_names(entry: dict) -> set[str]:
    return {normalise(entry["key"])} | {normalise(n) for n in entry.get("names", [])}


def _matches(entity: ExtractedEntity, entry: dict) -> bool:
    return bool(({normalise(entity.id)} | {normalise(n) for n in entity.names}) & _entry_names(entry))


def _score_entities(entries: list[dict], extracted: list[ExtractedEntity]) -> Score:
    score = Score()
    for entry in entries:
        if entry.get("optional"):
            continue
        if any(_matches(e, entry) for e in extracted):
            score.tp += 1
        else:
            score.fn += 1
            score.misses.append(entry["key"])
    for entity in extracted:
        if not any(_matches(entity, entry) for entry in entries):
            score.fp += 1
            score.spurious.append(entity.id)
    return score


def _company_matches(policy_company: str, gold_company: str, companies: list[dict],
                     names: dict[str, set[str]] | None = None) -> bool:
    """Whether a policy's company is the gold's: the same key, or (as entities match) a name in common, unless
    the policy's key is itself a gold company (then only that one)."""
    if normalise(policy_company) == normalise(gold_company):
        return True
    entry = next((c for c in companies if c["key"] == gold_company), None)
    if entry is None:
        return False
    own = {normalise(policy_company)}
    if own & _entry_names(entry):
        return True
    if names is None or any(normalise(c["key"]) in own for c in companies):
        return False
    return bool(names.get(policy_company, set()) & _entry_names(entry))


def _company_names(graph: ExtractedGraph) -> dict[str, set[str]]:
    """Each extracted company's key and names, normalised: "meta" is also "Facebook" when the graph says so."""
    return {e.id: {normalise(e.id)} | {normalise(n) for n in e.names} for e in graph.entities.get("companies", [])}


def evaluate(gold: dict, graph: ExtractedGraph, *, aliases: list[dict] | None = None) -> Evaluation:
    """Score ``graph`` against ``gold``.

    ``aliases``: the gold company entries whose names resolve a policy's company (default: ``gold``'s own
    companies; :func:`evaluate_per_article` passes the whole file's, as an article's gold may not list
    every company whose policy it reports).
    """
    categories = {
        name: _score_entities(gold.get(name, []), graph.entities.get(name, []))
        for name in ("companies", "advocates", "legislatures")
    }
    policies = Score()
    events = Score()
    attributes = {name: [0, 0] for name in ATTRIBUTES}
    errors: list[str] = []
    gold_policies = gold.get("policies", [])
    companies = gold.get("companies", []) if aliases is None else aliases
    names = _company_names(graph)

    def pairs(entry: dict) -> list[ExtractedPolicy]:
        return [
            p for p in graph.policies
            if _company_matches(p.company, entry["company"], companies, names)
            and (entry["type"] == "*" or p.type == entry["type"])
        ]

    for entry in gold_policies:
        found = pairs(entry)
        if entry.get("optional"):
            continue
        if not found:
            policies.fn += 1
            policies.misses.append(f"{entry['company']}/{entry['type']}")
            continue
        policies.tp += 1
        policy = found[0]
        expected = {
            "restricted_users": set(entry.get("restricted_users", [])),
            "exceptions": set(entry.get("exceptions", [])),
            "duration": entry.get("duration"),
            "announced": entry.get("announced"),
            "jurisdiction": entry.get("jurisdiction"),
        }
        if "events" in entry:
            _score_events(entry, policy, events)
        for name in ATTRIBUTES:
            got = getattr(policy, name)
            attributes[name][1] += 1
            if got == expected[name]:
                attributes[name][0] += 1
            else:
                errors.append(f"{entry['company']}/{entry['type']} {name}: expected {expected[name]!r}, got {got!r}")
    for policy in graph.policies:
        if not any(
            _company_matches(policy.company, e["company"], companies, names) and e["type"] in ("*", policy.type)
            for e in gold_policies
        ):
            policies.fp += 1
            policies.spurious.append(f"{policy.company}/{policy.type}")
    categories["policies"] = policies
    return Evaluation(categories, {k: (v[0], v[1]) for k, v in attributes.items()}, errors, events)


def _same_date(gold: str | None, got: str | None) -> bool:
    """Dates agree to the coarser precision: ``2021-05`` and ``2021-05-18``; no date only with no date."""
    if gold is None or got is None:
        return gold is got
    size = min(len(gold), len(got))
    return gold[:size] == got[:size]


def _score_events(entry: dict, policy: ExtractedPolicy, score: Score) -> None:
    """The gold entry's events against the extracted policy's: each extracted event matches one gold event."""
    name = f"{entry['company']}/{entry['type']}"
    left = sorted(policy.events, key=lambda e: (e[0], e[1] or ""))
    for event in entry["events"]:
        found = next((e for e in left if e[0] == event["type"] and _same_date(event.get("date"), e[1])), None)
        if found is None:
            score.fn += 1
            score.misses.append(f"{name} {event['type']} {event.get('date')}")
        else:
            score.tp += 1
            left.remove(found)
    score.fp += len(left)
    score.spurious += [f"{name} {t} {d}" for t, d in left]


def _document_key(doc: str) -> str:
    """A gold ``docs`` value (a file stem) as the store names the article (its document id)."""
    from extractors.documents import document_id

    return document_id(doc)


def gold_for_document(gold: dict, doc: str) -> dict:
    """The gold entries that hold in article ``doc`` (a document id): those whose ``docs`` name it.

    An entry without ``docs`` cannot be placed in an article: it is tolerated (optional) in every article.
    """
    local: dict = {"format": gold.get("format")}
    for name in CATEGORIES:
        entries = []
        for entry in gold.get(name, []):
            docs = entry.get("docs")
            if docs is None:
                entries.append({**entry, "optional": True})
            elif doc in {_document_key(d) for d in docs}:
                entries.append(entry)
        local[name] = entries
    return local


def evaluate_per_article(gold: dict, graphs: dict[str, ExtractedGraph]) -> Evaluation:
    """Score each article's graph (``graphs``: document id → what that article's graph holds) against the
    gold entries of that article, and add the counts up.

    A policy or entity read from an article whose gold does not list it there is a false positive in that
    article, and the gold's entry, if its own article did not yield it, a false negative. An article the
    gold names but the graph lacks counts its gold entries as misses. Misses, spurious facts and attribute
    errors are prefixed with the article's id.
    """
    docs = set(graphs)
    for name in CATEGORIES:
        for entry in gold.get(name, []):
            docs |= {_document_key(d) for d in entry.get("docs") or []}
    categories = {name: Score() for name in CATEGORIES}
    events = Score()
    attributes = {name: [0, 0] for name in ATTRIBUTES}
    errors: list[str] = []
    for doc in sorted(docs):
        result = evaluate(gold_for_document(gold, doc), graphs.get(doc) or ExtractedGraph(),
                          aliases=gold.get("companies", []))
        for name, score in result.categories.items():
            total = categories[name]
            total.tp += score.tp
            total.fp += score.fp
            total.fn += score.fn
            total.misses += [f"{doc}: {m}" for m in score.misses]
            total.spurious += [f"{doc}: {x}" for x in score.spurious]
        for name, (correct, count) in result.attributes.items():
            attributes[name][0] += correct
            attributes[name][1] += count
        errors += [f"{doc}: {e}" for e in result.attribute_errors]
        events.tp += result.events.tp
        events.fp += result.events.fp
        events.fn += result.events.fn
        events.misses += [f"{doc}: {m}" for m in result.events.misses]
        events.spurious += [f"{doc}: {x}" for x in result.events.spurious]
    return Evaluation(categories, {k: (v[0], v[1]) for k, v in attributes.items()}, errors, events)


def _slug(iri: str) -> str:
    parts = split(iri)
    return parts[1] if parts else iri


def read_graph(store) -> ExtractedGraph:
    """Collect what the articles' graphs of ``store`` hold, using the ``queries/eval_*.rq`` queries."""
    return _read_graphs(store, by_document=False).get("", ExtractedGraph())


def read_graphs_by_document(store) -> dict[str, ExtractedGraph]:
    """What each article's graph of ``store`` holds on its own, keyed by document id (``--per-article``)."""
    return _read_graphs(store, by_document=True)


def _read_graphs(store, *, by_document: bool) -> dict[str, ExtractedGraph]:
    from queries import load_text

    def doc_of(row) -> str:
        return _slug(row["g"].value) if by_document else ""

    graphs: dict[str, ExtractedGraph] = defaultdict(ExtractedGraph)
    by_iri: dict[tuple[str, str, str], ExtractedEntity] = {}
    for row in store.select(load_text("eval_actors")):
        category = _CLASS_CATEGORY[row["class"].value]
        doc = doc_of(row)
        key = (doc, category, row["actor"].value)
        entity = by_iri.get(key)
        if entity is None:
            entity = ExtractedEntity(_slug(row["actor"].value), set())
            by_iri[key] = entity
            graphs[doc].entities[category].append(entity)
        entity.names.add(row["label"].value)
        if "affiliation" in row:
            entity.affiliation = _slug(row["affiliation"].value)
    targets: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in store.select(load_text("eval_targets")):
        targets[(doc_of(row), row["advocate"].value)].add(_slug(row["target"].value))
    for (doc, category, iri), entity in by_iri.items():
        if category == "advocates":
            entity.targets = targets.get((doc, iri), set())

    values: dict[tuple[str, str], dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for row in store.select(load_text("eval_policies")):
        name = _PROPERTY[row["property"].value]
        value = row["notation"].value if "notation" in row else _slug(row["value"].value)
        values[(doc_of(row), row["policy"].value)][name][value] += 1
    exceptions: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in store.select(load_text("eval_exceptions")):
        exceptions[(doc_of(row), row["policy"].value)].add(row["purpose"].value)
    events: dict[tuple[str, str], set[tuple[str, str | None]]] = defaultdict(set)
    for row in store.select(load_text("eval_events")):
        events[(doc_of(row), row["policy"].value)].add((row["type"].value, row["date"].value if "date" in row
                                                                          else None))

    def most_common(counter: Counter) -> str | None:
        # Articles may disagree on a single-valued attribute: keep the reading most of them share.
        return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if counter else None

    for (doc, iri), attrs in values.items():
        graphs[doc].policies.append(ExtractedPolicy(
            company=most_common(attrs["company"]) or "",
            type=most_common(attrs["type"]) or "",
            restricted_users=set(attrs["restricted_users"]),
            exceptions=exceptions.get((doc, iri), set()),
            duration=most_common(attrs["duration"]),
            announced=most_common(attrs["announced"]),
            jurisdiction=most_common(attrs["jurisdiction"]),
            events=events.get((doc, iri), set()),
        ))
    return dict(graphs)
