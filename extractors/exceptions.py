"""Exceptions to a policy: what use stays allowed (purpose), and for whom (beneficiaries).

Read in sentences with an exception marker (*sauf*, *à l'exception de*, *excepté*, *hormis*, *réservée à*,
*continuer à permettre / autoriser / fournir*, *reste autorisé*) that name a purpose of the exception
scheme of ``vocab.ttl`` (*traite des êtres humains*, *enfants disparus* …). Beneficiaries are the
organisations named in the sentence other than the deciding company (*Thorn, le Centre international
pour les enfants disparus et exploités, et Marinus Analytics*).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from extractors.context import ArticleContext, Mention
from extractors.entities import is_public_body
from extractors.facts import ActorRef, Evidence

EXTRACTOR = "exceptions"


_MARKERS = ["sauf", "excepté", "exceptés", "hormis", "exception", "exceptions", "réservé", "réservée", "réservés",
            "réservées",
            "exclusivement", "uniquement", "seuls", "seules", "entorse", "dérogation", "dérogations",
            "échappe", "échappent", "échappera", "échapperont"]
_CONTINUE = ["continuer", "rester", "demeurer"]
_ALLOW = {"permettre", "autoriser", "fournir", "proposer", "vendre", "utiliser", "accessible", "autorisé",
          "disponible", "ouvert", "acquérir", "assurer", "satisfaire", "admis", "admise", "admises", "actif"}


class MarkerFinder:
    """Exception markers: *sauf*, *à l'exception de*, *hormis* …, and *continuer / rester* followed within
    three words by *permettre, autoriser, fournir, disponible* … (phrase matchers, then a look around)."""

    def __init__(self, vocab: Vocab) -> None:
        self.words = PhraseMatcher(vocab, attr="LOWER")
        self.words.add("MARKER", [Doc(vocab, words=[w]) for w in _MARKERS])
        self.verbs = PhraseMatcher(vocab, attr="LEMMA")
        self.verbs.add("CONTINUE", [Doc(vocab, words=[w], lemmas=[w]) for w in _CONTINUE])

    def __call__(self, doc: Doc) -> list[Span]:
        out = [doc[start:end] for _, start, end in self.words(doc)]
        for _, start, _end in self.verbs(doc):
            for j in range(start + 1, min(len(doc), start + 5)):
                if doc[j].lemma_.lower() in _ALLOW or doc[j].lower_ in _ALLOW:
                    out.append(doc[start:j + 1])
                    break
        return sorted(out, key=lambda s: s.start)


@dataclass
class ExceptionCandidate:
    """An exception read in one sentence, for a company's policy (attached at merge time)."""

    company: Mention | None
    purposes: list[str]
    beneficiaries: list[Mention]
    sentence: Span
    label: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    #: Each purpose's own words ("aider à sauver les victimes de la traite des êtres humains").
    labels: dict[str, str] = field(default_factory=dict)


def purpose_label(span: Span) -> str:
    """The words of one allowed use: the infinitive clause the purpose belongs to ("réunir les enfants
    disparus avec leurs familles"), else its noun phrase ("la disparition d'enfants"), whole, without the
    uses coordinated with it (each is an exception of its own)."""
    head = span.root
    top = head
    while top.head.i != top.i and top.dep_ not in ("conj", "appos", "ROOT"):
        if top.head.pos_ == "VERB" and top.head.morph.get("VerbForm") == ["Inf"]:
            top = top.head
            break
        if top.head.pos_ not in ("NOUN", "PROPN", "ADJ") or _colon_between(top.head, top):
            break  # "deux cas précis : la traite …": the use is what the colon introduces
        top = top.head
    apart = {t.i for child in top.children if _colon_between(child, top) for t in child.subtree}
    words = [t for t in top.subtree if not _in_coordination(t, top) and t.i not in apart]
    while len(words) > 1 and (words[0].dep_ in ("mark", "case", "cc") or words[0].pos_ in ("ADP", "CCONJ")):
        words = words[1:]  # "à réunir …", "pour aider …": the use, not the word introducing it
    text = "".join(t.text_with_ws for t in words) if words else span.text
    return text.strip(" ,;:.")


def _colon_between(a, b) -> bool:
    low, high = sorted((a.i, b.i))
    return any(t.text in (":", "—", "–") for t in a.doc[low + 1:high])


def _in_coordination(token, top) -> bool:
    """Whether ``token`` belongs to a use coordinated with ``top``'s ("… et à réunir …")."""
    while token.i != top.i:
        if token.dep_ in ("conj", "cc") and token.head.i == top.i:
            return True
        if token.head.i == token.i:
            return False  # the sentence's root: not under ``top``
        token = token.head
    return False


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
        labels: dict[str, str] = {}
        first_purpose = None
        for span in ctx.concepts_in(sent.start, sent.end, "purpose"):
            if occupied.intersection(range(span.start, span.end)):
                continue  # "enfants disparus" inside "Centre international pour les enfants disparus …"
            slug = span.label_.split(":", 1)[1]
            if slug not in purposes:
                purposes.append(slug)
                labels[slug] = purpose_label(span)
                first_purpose = first_purpose or span
        if not purposes:
            continue
        done.add(sent.start)
        company = decider(ctx, marker)
        beneficiaries: list[Mention] = []
        for m in ctx.mentions_in(sent.start, sent.end, {"company", "advocate", "ORG"}):
            if m.anaphor or (company is not None and m.key == company.key):
                continue
            if m.kind == "ORG" and is_public_body(m.text):
                continue  # "sauf pour le ministère de la Défense": a user group, not an organisation we track
            if m.key not in {b.key for b in beneficiaries}:
                beneficiaries.append(m)
        label = None
        if first_purpose is not None:
            label = ctx.doc[marker.start:min(sent.end, first_purpose.end)].text
        out.append(ExceptionCandidate(company, purposes, beneficiaries, sent, label,
                                      [ctx.evidence(sent, EXTRACTOR, 0.85)], labels))
    return out


def beneficiary_ref(m: Mention) -> ActorRef:
    if m.kind in ("company", "advocate"):
        return m.ref
    return ActorRef("company", m.key)
