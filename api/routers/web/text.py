"""An article's text on a page: where a quote sits, the snippet around it, the text cut at its facts."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from .views import Snippet

FACT_KINDS = {"policy": "Politique", "exception": "Exception", "statement": "Déclaration", "actor": "Acteur"}
#: Which kind of fact colours a piece of text several facts cover.
FACT_ORDER = ("policy", "exception", "statement", "actor")


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
        return min((f.kind for f in self.facts), key=FACT_ORDER.index)

    @property
    def title(self) -> str:
        return " ; ".join(f"[{f.number}] {f.kind_name} : {f.description}" for f in self.facts)


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


def segments(text: str, facts: list[Fact]) -> list[Segment]:
    """Cut the text at every fact boundary; each piece knows the facts that cover it."""
    cuts = sorted({0, len(text), *(f.start for f in facts), *(f.end for f in facts)})
    pieces: list[Segment] = []
    for a, b in itertools.pairwise(cuts):
        covering = [f for f in facts if f.start <= a and f.end >= b]
        if pieces and not covering and not pieces[-1].facts:
            pieces[-1].text += text[a:b]
        else:
            starts = any(f.start == a for f in covering)
            pieces.append(Segment(text[a:b], covering, a if starts else None))
    return pieces
