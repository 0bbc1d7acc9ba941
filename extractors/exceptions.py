"""Exceptions to a policy: what use stays allowed (purpose), and for whom (beneficiaries).

Read in sentences with an exception marker (*sauf*, *à l'exception de*, *excepté*, *hormis*,
*continuer à permettre / autoriser / fournir*, *reste autorisé*) that name a purpose of the exception
scheme of ``vocab.ttl`` (*traite des êtres humains*, *enfants disparus* …). Beneficiaries are the
organisations named in the sentence other than the deciding company (*Thorn, le Centre international
pour les enfants disparus et exploités, et Marinus Analytics*).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.matcher import Matcher
from spacy.tokens import Span
from spacy.vocab import Vocab

from extractors.context import ArticleContext, Mention
from extractors.facts import ActorRef, Evidence

EXTRACTOR = "exceptions"


def add_patterns(matcher: Matcher) -> None:
    """Exception markers, added to the article matcher under ``EXCEPTION``."""
    cont = {"LEMMA": {"IN": ["continuer", "rester", "demeurer"]}}
    allow = {"LEMMA": {"IN": ["permettre", "autoriser", "fournir", "proposer", "vendre", "utiliser",
                              "accessible", "autorisé", "disponible", "ouvert"]}}
    matcher.add("EXCEPTION", [
        [{"LOWER": {"IN": ["sauf", "excepté", "hormis", "exceptés"]}}],
        [{"LOWER": "à"}, {"LOWER": {"IN": ["l'", "l’"]}}, {"LOWER": "exception"}],
        [{"LOWER": "exception"}, {"LOWER": "faite"}],
        [{"LOWER": {"IN": ["une", "des", "deux", "quelques"]}}, {"LOWER": {"IN": ["exception", "exceptions"]}}],
        [cont, {"OP": "?"}, {"OP": "?"}, allow],
    ])


def build_matcher(vocab: Vocab) -> Matcher:
    matcher = Matcher(vocab)
    add_patterns(matcher)
    return matcher


@dataclass
class ExceptionCandidate:
    """An exception read in one sentence, for a company's policy (attached at merge time)."""

    company: Mention | None
    purposes: list[str]
    beneficiaries: list[Mention]
    sentence: Span
    label: str | None = None
    evidence: list[Evidence] = field(default_factory=list)


def read_exceptions(ctx: ArticleContext, markers: list[Span], decider) -> list[ExceptionCandidate]:
    """Exception candidates; ``decider(ctx, span)`` resolves the company of a marker's clause."""
    out: list[ExceptionCandidate] = []
    done: set[int] = set()
    for marker in markers:
        sent = marker.sent
        if sent.start in done:
            continue
        occupied = {i for m in ctx.mentions_in(sent.start, sent.end) if m.kind != "product"
                    for i in range(m.start, m.end)}
        purposes: list[str] = []
        first_purpose = None
        for span in ctx.concepts_in(sent.start, sent.end, "purpose"):
            if occupied.intersection(range(span.start, span.end)):
                continue  # "enfants disparus" inside "Centre international pour les enfants disparus …"
            slug = span.label_.split(":", 1)[1]
            if slug not in purposes:
                purposes.append(slug)
                first_purpose = first_purpose or span
        if not purposes:
            continue
        done.add(sent.start)
        company = decider(ctx, marker)
        beneficiaries: list[Mention] = []
        for m in ctx.mentions_in(sent.start, sent.end, {"company", "advocate", "ORG"}):
            if m.anaphor or (company is not None and m.key == company.key):
                continue
            if m.key not in {b.key for b in beneficiaries}:
                beneficiaries.append(m)
        label = None
        if first_purpose is not None:
            label = ctx.doc[marker.start:min(sent.end, first_purpose.end)].text
        out.append(ExceptionCandidate(company, purposes, beneficiaries, sent, label,
                                      [ctx.evidence(sent, EXTRACTOR, 0.85)]))
    return out


def beneficiary_ref(m: Mention) -> ActorRef:
    if m.kind in ("company", "advocate"):
        return m.ref
    return ActorRef("company", m.key)
