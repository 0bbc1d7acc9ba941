"""A policy's life: the events an article reports about an existing policy (issue 16).

*Amazon a prolongé son moratoire jusqu'à nouvel ordre*, *Sentrix lève son moratoire*, *la suspension est
reconduite d'un an*, *élargit son interdiction aux agences fédérales*: a verb or noun of the policy-event
scheme of ``vocab.ttl`` (``vg:PolicyEventScheme``: its labels are this module's lexicon) about a **policy
noun** (a noun the policy-type triggers mark: *moratoire, suspension, interdiction…*, or a company's
*décision / engagement*) is an event of that policy, not a new policy. *A prolongé son contrat* has no
policy noun: no event.

Each event gets the company (the decider of the event's clause), the technology (the policy noun's clause,
else the article's), the policy type (the noun's), a date (the clause's, relative dates resolved against
the article's), the end it sets (*jusqu'en octobre 2026*, *d'un an*, *jusqu'à nouvel ordre*) and the scope it
adds (*à l'armée*). :func:`attach` then gives each event to the article's policy of that company and
technology (the same IRI as every other article's), and adds the policy's own announcement as an event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy
from spacy.attrs import LEMMA, LOWER
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from extractors.context import SPEECH_VERBS, ArticleContext, Mention
from extractors.dates import (
    MONTHS,
    UNITS,
    WEEKDAYS,
    add_duration,
    duration_of,
    relative_dates,
    resolve_span,
)
from extractors.facts import Evidence, Policy, PolicyEvent
from extractors.lexicons import among, hash_ids, load_lexicons
from extractors.policies import (
    ANNOUNCE_VERBS,
    TRIGGER_SPANS,
    PolicyCandidate,
    PolicyReader,
    _cancelled,
    _hedged,
    _window,
    trigger_labels,
    word_forms,
)

EXTRACTOR = "history"
#: Nouns that stand for a company's policy without saying its type ("revenir sur sa décision").
DECISION_NOUNS = {"décision", "engagement", "politique", "mesure", "choix", "position"}
#: How far after the event word its policy noun may be ("prolongeait d'un an, jusqu'en octobre 2026, le moratoire").
_REACH = 12
_CLAUSE_END = {",", ";", ":", "(", ")", ".", "!", "?", "«", "»", "–", "—"}
_UNTIL = {"jusqu'", "jusqu’", "jusque"}
_SCOPE_PREPS = {"à", "au", "aux"}
#: Words a label's matching skips ("à / aux" stay: "étendre à" widens, "étendre" alone extends).
_FUNCTION = {"le", "la", "les", "l'", "l’", "de", "des", "du", "d'", "d’", "en", "se", "s'", "s’", "un", "une",
             "son", "sa", "ses"}


@dataclass(frozen=True)
class EventLabel:
    type: str  # notation: extended, widened, narrowed, lifted, reinstated
    words: tuple[str, ...]


@lru_cache(maxsize=1)
def event_labels() -> tuple[EventLabel, ...]:
    """The policy-event scheme's labels (French and English) as word sequences."""
    out = []
    for concept in load_lexicons().scheme("event"):
        for label in concept.labels:
            words = tuple(w for w in re.findall(r"[\w\-]+", label.lower()) if w not in _FUNCTION)
            if words and concept.notation != "announced":
                out.append(EventLabel(concept.notation, words))
    return tuple(out)


@lru_cache(maxsize=1)
def open_end_labels() -> tuple[str, ...]:
    """Phrasings of an open end ("jusqu'à nouvel ordre", "indéfiniment"), from the policy-end scheme."""
    return tuple(label for c in load_lexicons().scheme("end") for label in c.labels)


@dataclass
class EventCandidate:
    """An event as read in one clause, before it is given to a policy."""

    company: Mention
    technology: str
    policy_type: str | None  # from the policy noun; None for "sa décision"
    event: PolicyEvent
    sentence: Span
    span: Span  # the event words and its policy noun
    evidence: list[Evidence] = field(default_factory=list)


class EventFinder:
    """Finds event words (by lemma or inflected form, the other words of a label within a few tokens)."""

    GAP = 3

    def __init__(self, vocab: Vocab) -> None:
        self.by_head: dict[str, list[EventLabel]] = {}
        for label in event_labels():
            self.by_head.setdefault(label.words[0], []).append(label)
        self.forms: dict[str, set[str]] = {}
        for head in self.by_head:
            for form in {head, *word_forms(head)}:
                self.forms.setdefault(form, set()).add(head)
        self._ids = hash_ids(self.forms)
        self.open_end = PhraseMatcher(vocab, attr="LOWER")
        self.open_end.add("OPEN", [Doc(vocab, words=re.findall(r"\w+['’]?|['’]", label.lower()))
                                   for label in open_end_labels()])

    def __call__(self, doc: Doc) -> list[tuple[Span, str]]:
        array = doc.to_array([LOWER, LEMMA])
        hits = among(array[:, 0], self._ids) | among(array[:, 1], self._ids)
        found = []
        for i in numpy.flatnonzero(hits).tolist():
            token = doc[i]
            heads = self.forms.get(token.lower_, set()) | self.forms.get(token.lemma_.lower(), set())
            for head in heads:
                for label in sorted(self.by_head[head], key=lambda lab: -len(lab.words)):
                    end = self._rest(doc, i + 1, label.words[1:], token.sent.end)
                    if end is not None:
                        found.append((Span(doc, i, end, label=label.type), label.type))
                        break
        spans = filter_spans([span for span, _ in found])
        return [(span, span.label_) for span in spans]

    def _rest(self, doc: Doc, i: int, words: tuple[str, ...], limit: int) -> int | None:
        end = i
        for word in words:
            forms = {word, *word_forms(word)}
            j = end
            while j < limit and j - end <= self.GAP:
                if doc[j].lower_ in forms or doc[j].lemma_.lower() == word:
                    break
                j += 1
            else:
                return None
            end = j + 1
        return end


class HistoryReader:
    """Reads the events of an article's policies (one instance per process, beside the PolicyReader)."""

    def __init__(self, vocab: Vocab, policies: PolicyReader) -> None:
        self.find = EventFinder(vocab)
        self.policies = policies

    def read(self, ctx: ArticleContext) -> list[EventCandidate]:
        doc = ctx.doc
        nouns = _policy_nouns(doc)
        dominant = ctx.dominant_technology()
        out: list[EventCandidate] = []
        for span, etype in self.find(doc):
            noun = _noun_of(span, nouns)
            if noun is None or _cancelled(span, False, ctx.text) or _hedged(span):
                continue
            companies, _collective, _how = self.policies.deciders(ctx, span)
            if not companies:
                companies, _collective, _how = self.policies.deciders(ctx, noun)
            if not companies:
                continue
            sent = span.sent
            window = _window(span)[0] | _window(noun)[0]
            technology, products = self.policies._technology(ctx, noun, window, sent, dominant)
            technology = technology or dominant
            if technology is None:
                continue
            event = self._event(ctx, span, noun, etype, window)
            event.products = products if event.type in ("widened", "narrowed") else []
            evidence = ctx.evidence(sent, EXTRACTOR, 0.8)
            event.evidence = [evidence]
            ptype = noun.label_.partition("|")[0] if noun.label_ else None
            for company in companies:
                out.append(EventCandidate(company, technology, ptype, event, sent,
                                          ctx.doc[min(span.start, noun.start):max(span.end, noun.end)], [evidence]))
        return out

    def _event(self, ctx: ArticleContext, span: Span, noun: Span, etype: str, window: set[int]) -> PolicyEvent:
        doc, sent = ctx.doc, span.sent
        date, until = self._dates(ctx, span, noun)
        duration = None
        for match in self.policies.dates(doc, as_spans=True):
            if match.label_ == "DURATION" and match.start in window and sent.start <= match.start < sent.end:
                duration = duration_of(match)
                break
        open_ended = any(sent.start <= start < sent.end for _, start, _ in self.find.open_end(doc))
        scope_users, scope_juris = _scope(ctx, noun, window)
        event = PolicyEvent(etype, date=date, open_ended=open_ended and etype == "extended")
        if etype == "extended":
            event.duration = duration
            event.until = None if open_ended else until or add_duration(date, duration)
        if etype in ("widened", "narrowed"):
            event.users, event.jurisdiction = scope_users, scope_juris
        return event

    def _dates(self, ctx: ArticleContext, span: Span, noun: Span) -> tuple[str | None, str | None]:
        """The event's date (nearest to its words, outside other clauses) and the end it sets (*jusqu'en …*)."""
        doc, sent, article_date = ctx.doc, span.sent, ctx.document.date
        found: list[tuple[Span, str]] = []
        for match in filter_spans([m for m in self.policies.dates(doc, as_spans=True)
                                   if m.label_ in ("DATE", "RELDAY") and sent.start <= m.start < sent.end]):
            value = resolve_span(match, article_date)
            if value:
                found.append((match, value))
        relative = relative_dates(sent, article_date) + _until_years(sent)
        covered = {i for s, _ in relative for i in range(s.start, s.end)}
        found = [(s, v) for s, v in found if not covered.intersection(range(s.start, s.end))] + relative
        elsewhere = _other_clauses(span, noun)
        date = until = None
        best = None
        for match, value in found:
            if _after_until(doc, match):
                until = until or value
                continue
            if elsewhere.intersection(range(match.start, match.end)) and match[0].lower_ != "il":
                continue  # ("il y a un an" is parsed as a clause of its own: it dates the sentence)
            distance = min(abs(match.start - span.start), abs(match.start - span.end))
            if best is None or distance < best:
                best, date = distance, value
        return date, until


def _policy_nouns(doc: Doc) -> list[Span]:
    """Policy nouns: the noun triggers of policy types (label = type), and decision nouns (no label)."""
    nouns = []
    single = _policy_words()
    for trigger in doc.spans.get(TRIGGER_SPANS, []):
        # "prolonger le moratoire" is a label too: a policy noun inside a verb's trigger ("moratoire"; not the
        # "fin" of "mettre fin")
        nouns += [Span(doc, t.i, t.i + 1, label=trigger.label_) for t in trigger
                  if t.pos_ == "NOUN" and (len(trigger) == 1 or t.lemma_.lower() in single)]
    taken = {s.start for s in nouns}
    for token in doc:
        if token.pos_ == "NOUN" and token.lemma_.lower() in DECISION_NOUNS and token.i not in taken \
                and _own(token):
            nouns.append(Span(doc, token.i, token.i + 1, label=""))
    return sorted(nouns, key=lambda s: s.start)


def _own(noun) -> bool:
    """"sa décision", "cette décision": a decision already named (not "…, une décision qui …")."""
    return any(c.dep_ == "det" and ("Poss=Yes" in c.morph or c.lower_ in ("ce", "cette", "cet"))
               for c in noun.children)


@lru_cache(maxsize=1)
def _policy_words() -> frozenset[str]:
    """One-word labels of the policy-type scheme: the nouns that name a policy on their own (moratoire …)."""
    return frozenset(label.words[0] for label in trigger_labels() if len(label.words) == 1)


def _noun_of(span: Span, nouns: list[Span]) -> Span | None:
    """The policy noun an event word is about: its object or complement, the passive subject, or a noun
    right after it in its clause ("prolonge d'un an sa pause", "la levée de son moratoire")."""
    head, doc = span[0], span.doc
    sent = span.sent
    for noun in nouns:
        if not sent.start <= noun.start < sent.end or span.start <= noun.start < span.end:
            continue
        token = noun[0]
        # a decision noun only as the event's object ("revient sur sa décision"; not "…, une décision qui …")
        deps = ("obj", "obl", "obl:arg", "nmod", "nsubj:pass", "nsubj") if noun.label_ else ("obj", "obl:arg")
        if token.head.i == head.i and token.dep_ in deps:
            if token.dep_ == "nsubj" and head.pos_ != "VERB":
                continue
            return noun
        # "a prolongé d'un an sa pause": a noun right after, with no other clause or phrase in between (a
        # syntactic object may be further: "reconduit en mars dernier, pour un an, le gel")
        if span.end <= token.i <= span.end + _REACH and all(_inserted(t) for t in doc[span.end:token.i]):
            return noun
    return None


_TIME_WORDS = {*MONTHS, *UNITS, *WEEKDAYS, "hier", "dernier", "dernière", "passé", "passée", "nouvel", "ordre", "fin",
               "début"}


def _inserted(token) -> bool:
    """A word that may stand between an event word and its policy noun: function words, and time phrases
    between commas ("reconduit en mars dernier, pour un an, le gel"), but no other noun, verb or clause."""
    if token.text in _CLAUSE_END:
        return token.text == ","
    return token.pos_ not in ("VERB", "AUX", "NOUN", "PROPN") or token.lower_ in _TIME_WORDS


def _other_clauses(span: Span, noun: Span) -> set[int]:
    """Tokens of relative and adnominal clauses that do not hold the event ("…, décrété en juin 2020")."""
    out: set[int] = set()
    sent = span.sent
    inside = set(range(span.start, span.end))
    reports: set[int] = set()
    for token in sent:
        if token.dep_ in ("acl:relcl", "acl", "advcl", "parataxis") and token.i not in inside:
            sub = {t.i for t in token.subtree}
            if not sub & inside:
                out |= sub
        if token.dep_ == "parataxis" and (token.lemma_ in ANNOUNCE_VERBS or token.lemma_ in SPEECH_VERBS):
            reports |= {t.i for t in token.subtree}  # "…, a indiqué mardi 18 mai un porte-parole": the report's date
    return out - reports


def _until_years(sent: Span) -> list[tuple[Span, str]]:
    """"jusqu'en 2025": a year only (the date finder reads months and days)."""
    doc = sent.doc
    return [(doc[t.i - 1:t.i + 1], t.text) for t in sent
            if t.i >= sent.start + 2 and re.fullmatch(r"(19|20)\d\d", t.text) and doc[t.i - 1].lower_ == "en"
            and doc[t.i - 2].lower_ in _UNTIL]


def _after_until(doc: Doc, match: Span) -> bool:
    """"jusqu'en octobre 2026", "jusqu'au 30 juin": the date an extension runs to."""
    before = {t.lower_ for t in doc[max(0, match.start - 2):match.start]}
    return bool(before & _UNTIL) or (match.start > 0 and doc[match.start].lower_ == "en"
                                     and doc[match.start - 1].lower_ in _UNTIL)


def _scope(ctx: ArticleContext, noun: Span, window: set[int]) -> tuple[list[str], str | None]:
    """User groups and the territory an event adds after "à / aux" ("étend son moratoire à l'armée")."""
    doc = ctx.doc
    users: list[str] = []
    juris = None
    for span in ctx.concepts:
        if span.start not in window or span.start <= noun.start:
            continue
        if not any(t.lower_ in _SCOPE_PREPS for t in doc[max(noun.end, span.start - 3):span.start]):
            continue
        scheme, _, notation = span.label_.partition(":")
        if scheme == "users" and notation not in users:
            users.append(notation)
        elif scheme == "juris" and juris is None:
            juris = notation
    return users, juris


# ------------------------------------------------------------ policy candidates and events


def _event_tokens(events: list[EventCandidate]) -> dict[int, set[int]]:
    """Sentence start → tokens of the events' words and policy nouns."""
    out: dict[int, set[int]] = {}
    for e in events:
        out.setdefault(e.sentence.start, set()).update(range(e.span.start, e.span.end))
    return out


def settle_candidates(candidates: list[PolicyCandidate], events: list[EventCandidate]) -> None:
    """A policy read in an event's own words is that event's policy, not a new decision (issue 16).

    Its date is the event's, not the policy's announcement (*a reconduit sa suspension, a indiqué mardi 18
    mai*); and where the article reads the company's policy on that technology outside events with another
    type, the event's words take that type (an extension is not a second, different policy).
    """
    if not events:
        return
    tokens = _event_tokens(events)
    dates = {(e.sentence.start, e.company.key): e.event.date for e in events}
    own = [c for c in candidates if set(range(c.trigger.start, c.trigger.end)) & tokens.get(c.sentence.start, set())]
    outside: dict[tuple[str, str], dict[str, int]] = {}
    for cand in candidates:
        if cand not in own and cand.strong:
            types = outside.setdefault((cand.company.key, cand.technology), {})
            types[cand.type] = types.get(cand.type, 0) + 1
    for cand in own:
        cand.news = False  # the article reports the event, not when the policy was announced
        if cand.announced and cand.announced == dates.get((cand.sentence.start, cand.company.key)):
            cand.announced = None
        types = outside.get((cand.company.key, cand.technology))
        if types and cand.type not in types:
            cand.type = max(types, key=lambda t: (types[t], t))


def attach(policies: list[Policy], events: list[EventCandidate]) -> list[Policy]:
    """Give each event to the article's policy of its company and technology (its noun's type first), and add
    each dated policy's announcement as an event. Returns the policies the article names only through events
    ("Google a levé son moratoire"): an event of an existing policy, not a new one; their IRI is the one
    other articles give the same company, type and technology."""
    named: list[Policy] = []
    for event in events:
        target = _target(policies, event) or _target(named, event)
        if target is None:
            if event.policy_type is None:
                continue
            target = Policy(event.company.key, event.policy_type, event.technology, confirmed=False)
            named.append(target)
        _add(target, event.event)
    for policy in [*policies, *named]:
        _fold_undated(policy)
        if policy.announced:
            evidence = policy.evidence[:1]
            _add(policy, PolicyEvent("announced", date=policy.announced,
                                     until=add_duration(policy.announced, policy.duration), evidence=evidence))
    return named


def _fold_undated(policy: Policy) -> None:
    """"Sentrix lève son moratoire" (the title) and "a annoncé jeudi 12 septembre la fin de son moratoire": an
    undated event is the article's one dated event of the same type."""
    for event in [e for e in policy.events if e.date is None]:
        dated = [e for e in policy.events if e.type == event.type and e.date is not None]
        if len(dated) == 1:
            policy.events.remove(event)
            event.date = dated[0].date
            _add(policy, event)


def _target(policies: list[Policy], event: EventCandidate) -> Policy | None:
    mine = [p for p in policies if p.company == event.company.key and p.technology == event.technology]
    same = [p for p in mine if p.type == event.policy_type]
    if same:
        return same[0]
    if not mine:
        return None
    return max(mine, key=lambda p: (p.confirmed, len(p.evidence)))


def _add(policy: Policy, event: PolicyEvent) -> None:
    """One event per type and date in a policy: the same step read twice gives its evidence and details once."""
    for mine in policy.events:
        if mine.type == event.type and mine.date == event.date:
            mine.until = mine.until or event.until
            mine.open_ended = mine.open_ended or event.open_ended
            mine.duration = mine.duration or event.duration
            mine.users += [u for u in event.users if u not in mine.users]
            mine.evidence += [e for e in event.evidence if e not in mine.evidence]
            return
    policy.events.append(PolicyEvent(event.type, event.date, event.until, event.open_ended, event.duration,
                                     list(event.users), event.jurisdiction, list(event.products),
                                     list(event.evidence)))

