"""One article as the extractors see it: the parsed doc, its actor mentions, concepts, quotes and speakers.

Built once per article from the span groups the pipeline components wrote; the fact extractors
(``policies``, ``exceptions``, ``actors``) read it and never re-scan the whole doc token by token.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from spacy.tokens import Doc, Span, Token

from extractors.entities import (
    ACTOR_SPANS,
    ANAPHORA_SPANS,
    CAMPAIGNING_SPANS,
    CANDIDATE_SPANS,
    DESCRIBED_SPANS,
    is_public_body,
)
from extractors.facts import ActorRef, Document, Evidence
from extractors.lexicons import CONCEPT_SPANS, load_lexicons
from ontology.iris import slugify

#: Verbs that introduce reported speech (lemmas).
SPEECH_VERBS = {"déclarer", "ajouter", "expliquer", "affirmer", "indiquer", "dire", "souligner", "préciser",
                "confirmer", "estimer", "écrire", "annoncer", "poursuivre", "conclure", "assurer", "réagir",
                "commenter", "lancer", "déplorer", "regretter", "dénoncer", "reconnaître", "plaider",
                "rappeler", "observer", "noter", "insister", "avertir", "prévenir", "répondre", "juger",
                "martèle", "marteler", "résumer", "détailler", "justifier", "tweeter", "publier", "saluer",
                "critiquer", "demander", "exhorter", "réclamer", "alerter", "appeler"}
_OPEN = {"«": "»", "“": "”", '"': '"'}
_PRONOUNS_1ST = {"nous", "on", "je", "j'", "j’", "notre", "nos"}


@dataclass
class Mention:
    """An actor mention: a span resolved to an entity (known, or a candidate named by its text)."""

    start: int  # token indices
    end: int
    kind: str  # company | advocate | legislature | product | ORG | PER
    key: str
    text: str
    anaphor: bool = False
    collective: bool = False  # one of several referents of a plural description

    @property
    def ref(self) -> ActorRef:
        return ActorRef(self.kind, self.key)  # type: ignore[arg-type]


#: What speaks for a company when a description names it ("le compte officiel de l'entreprise").
_COMPANY_VOICES = {"compte", "communiqué", "direction", "service", "blog"}
_OF = {"de", "du", "d'", "d’", "des"}


@dataclass
class Quote:
    start: int  # token index of the opening mark
    end: int  # token index after the closing mark
    speaker: Mention | None = None


#: A company's documents, which speak for it ("», indique le communiqué").
_DOCUMENT_NOUNS = {"note", "communiqué", "lettre", "message", "courriel", "billet", "déclaration", "mémo", "mail",
                   "e-mail", "courrier", "circulaire", "publication"}


@dataclass
class ArticleContext:
    """Everything the fact extractors need about one parsed article."""

    doc: Doc
    document: Document
    mentions: list[Mention] = field(default_factory=list)
    concepts: list[Span] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    affiliations: dict[str, Mention] = field(default_factory=dict)  # person key → organisation mention
    roles: dict[str, str] = field(default_factory=dict)  # person key → role as written
    described: set[str] = field(default_factory=set)  # keys of unknown names the text calls companies
    campaigning: set[str] = field(default_factory=set)  # keys of names after "l'association", "le collectif" …
    _starts: list[int] = field(default_factory=list)

    @classmethod
    def build(cls, doc: Doc, document: Document) -> ArticleContext:
        ctx = cls(doc, document)
        for span in doc.spans.get(ACTOR_SPANS, []):
            kind, key = span.label_.split(":", 1)
            ctx.mentions.append(Mention(span.start, span.end, kind, key, span.text))
        # "des fournisseurs de VPN": a technology's name that the NER read as an organisation is no actor
        techs = [(s.start, s.end) for s in doc.spans.get(CONCEPT_SPANS, []) if s.label_.startswith("tech:")]
        for span in doc.spans.get(CANDIDATE_SPANS, []):
            if any(start <= span.start and span.end <= end for start, end in techs):
                continue
            kind, _, key = span.label_.partition("|")  # "ORG|tessellate-semiconductor": a short name's key
            key = key or slugify(span.text)
            if key:
                ctx.mentions.append(Mention(span.start, span.end, kind, key, span.text))
        anaphora: dict[tuple[int, int], list[str]] = {}
        for span in doc.spans.get(ANAPHORA_SPANS, []):
            anaphora.setdefault((span.start, span.end), []).append(span.label_)
        for (start, end), labels in anaphora.items():
            for label in labels:
                kind, key = label.split(":", 1)
                ctx.mentions.append(Mention(start, end, kind, key, doc[start:end].text, anaphor=True,
                                            collective=len(labels) > 1))
        ctx.campaigning = {slugify(span.text) for span in doc.spans.get(CAMPAIGNING_SPANS, [])}
        ctx.described = {slugify(span.text) for span in doc.spans.get(DESCRIBED_SPANS, [])
                         if not is_public_body(span.text)}
        for m in ctx.mentions:
            if m.kind == "ORG" and m.key in ctx.described:
                m.kind = "company"  # a name the text calls a company ("l'opérateur belge X") is one
        ctx._full_company_names()
        ctx._short_organisation_names()
        ctx.concepts = sorted(doc.spans.get(CONCEPT_SPANS, []), key=lambda s: s.start)
        ctx.mentions.sort(key=lambda m: (m.start, m.end))
        ctx._starts = [m.start for m in ctx.mentions]
        return ctx

    def _full_company_names(self) -> None:
        """"Thermo Fisher Scientific" (read as a person) beside "Thermo Fisher": the company's full name."""
        firms = {m.text: m.key for m in self.mentions if m.kind == "company" and not m.anaphor}
        for m in self.mentions:
            if m.kind in ("ORG", "PER"):
                key = next((k for name, k in firms.items() if m.text.startswith(name + " ")), None)
                if key is not None:
                    m.kind, m.key = "company", key

    def _short_organisation_names(self) -> None:
        """"Hynix" (a title's reading) beside "SK Hynix": the organisation named in full elsewhere."""
        words = {t.lower_ for t in self.doc if t.is_lower}
        # not "le forum Phica" read as "Forum Phica": a common noun before the name describes it
        full = {m.text: (m.kind, m.key) for m in self.mentions if m.kind in ("ORG", "company") and " " in m.text
                and not m.anaphor and m.text.split()[0].lower() not in words}
        for m in self.mentions:
            if m.kind == "ORG" and " " not in m.text:
                found = next((v for name, v in full.items() if name.endswith(" " + m.text)), None)
                if found is not None:
                    m.kind, m.key = found

    @cached_property
    def text(self) -> str:
        """The doc's text (``Doc.text`` joins every token's text on each call)."""
        return self.doc.text

    def span_text(self, span: Span) -> str:
        """``span.text`` without a ``Token`` per token: a slice of the doc's text."""
        return self.text[span.start_char:span.end_char]

    # ------------------------------------------------------------ lookups

    def mentions_at(self, i: int) -> list[Mention]:
        """Mentions covering token ``i``."""
        out = []
        pos = bisect_right(self._starts, i)
        for m in reversed(self.mentions[max(0, pos - 8):pos]):
            if m.start <= i < m.end:
                out.append(m)
        return out

    def mentions_in(self, start: int, end: int, kinds: set[str] | None = None) -> list[Mention]:
        lo = bisect_right(self._starts, start - 1)
        hi = bisect_right(self._starts, end - 1)
        return [m for m in self.mentions[lo:hi] if m.end <= end and (kinds is None or m.kind in kinds)]

    def last_before(self, i: int, kinds: set[str], limit: int = 400) -> Mention | None:
        """The most recent mention of one of ``kinds`` ending before token ``i`` (within ``limit`` tokens)."""
        pos = bisect_right(self._starts, i - 1)
        for m in reversed(self.mentions[:pos]):
            if m.end <= i and m.kind in kinds:
                return m if i - m.end <= limit else None
        return None

    def concepts_in(self, start: int, end: int, scheme: str) -> list[Span]:
        prefix = scheme + ":"
        return [s for s in self.concepts if s.start >= start and s.end <= end and s.label_.startswith(prefix)]

    def dominant_technology(self) -> str | None:
        """The technology the article is about: the most mentioned one (generic surveillance last)."""
        counts = Counter(s.label_.split(":", 1)[1] for s in self.concepts if s.label_.startswith("tech:"))
        if not counts:
            # "Ring … met un terme à l'outil": the technology of the known products the article names
            techs = _product_technologies()
            counts = Counter(techs[m.key] for m in self.mentions if m.kind == "product" and m.key in techs)
            return counts.most_common(1)[0][0] if counts else None
        specific = {k: v for k, v in counts.items() if k != "surveillance"}
        pool = specific or counts
        return max(pool, key=lambda k: (pool[k], -min(s.start for s in self.concepts if s.label_ == f"tech:{k}")))

    def quote_at(self, i: int) -> Quote | None:
        for quote in self.quotes:
            if quote.start < i < quote.end:
                return quote
        return None

    def add_mention(self, mention: Mention) -> None:
        """A mention found after the article's names were read (kept in text order)."""
        self.mentions.append(mention)
        self.mentions.sort(key=lambda m: (m.start, m.end))
        self._starts = [m.start for m in self.mentions]

    def company_of(self, mention: Mention | None) -> Mention | None:
        """The company a mention stands for: itself, or a person's employer."""
        if mention is None:
            return None
        if mention.kind == "company":
            return mention
        if mention.kind == "ORG":
            # "la CEDH": an acronym carries its full name's key ("cour-europeenne-des-droits-de-l-homme")
            public = is_public_body(mention.text) or is_public_body(mention.key.replace("-", " "))
            return None if public or mention.key in self.campaigning else mention
        if mention.kind == "PER":
            org = self.affiliations.get(mention.key)
            if org is not None and org.kind in ("company", "ORG"):
                return self.company_of(org)
        if mention.kind == "product":
            # "Ring ne permettra plus …": a product named as an actor is its maker's subsidiary or brand
            maker = _makers().get(mention.key)
            if maker is not None:
                return Mention(mention.start, mention.end, "company", maker, mention.text, anaphor=True)
        return None

    def evidence(self, sent: Span, extractor: str, confidence: float) -> Evidence:
        """Evidence for a sentence: its text in the original document, without surrounding blanks."""
        # The first and last tokens that are not blanks (else the sentence's own), found from each end.
        doc = self.doc
        first, last = sent.start, sent.end - 1
        while first <= last and doc[first].is_space:
            first += 1
        if first > last:
            first, last = sent.start, sent.end - 1
        else:
            while doc[last].is_space:
                last -= 1
        start = doc[first].idx
        end = doc[last].idx + len(doc[last].text)
        text = self.document.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return Evidence(text[start:end], start, end, extractor, round(confidence, 2))

    # ------------------------------------------------------------ quotes

    def find_quotes(self, marks: list[int]) -> None:
        """Pair quotation marks (token indices); speakers come later (:meth:`find_speakers`), once people's
        roles are read."""
        doc = self.doc
        open_at: int | None = None
        closer = ""
        for i in marks:
            text = doc[i].text
            if open_at is None:
                if text in _OPEN:
                    open_at, closer = i, _OPEN[text]
            elif text == closer:
                if i - open_at > 1:
                    self.quotes.append(Quote(open_at, i + 1))
                open_at = None

    def find_speakers(self) -> None:
        """Each quote's speaker (a company's spokesperson stands for the company)."""
        previous: Quote | None = None
        for quote in self.quotes:
            quote.speaker = self._speaker(quote)
            if quote.speaker is None and previous is not None and self._continues(previous, quote):
                quote.speaker = previous.speaker  # "« … », reconnaît la note. « … »": the same voice goes on
            previous = quote

    def _named_in_description(self, j: int) -> list[Mention]:
        """"», a écrit sa directrice des communications, Janine Ramparas": the name the description leads to."""
        doc = self.doc
        if doc[j].pos_ != "DET":
            return []
        voice = j + 1 < len(doc) and doc[j + 1].lower_ in _COMPANY_VOICES
        for k in range(j + 1, min(len(doc), j + 12)):
            # "le compte officiel consacré aux affaires publiques de …": a participle describes the voice
            participle = voice and "Part" in doc[k].morph.get("VerbForm")
            if doc[k].text in (".", ";", "«", "»", ":") or (doc[k].pos_ in ("VERB", "AUX") and not participle):
                return []
            found = self.mentions_at(k)
            if found:
                # only a company's spokesperson: other speakers keep the old reading (no speaker)
                people = [m for m in found if m.kind == "PER"
                          and getattr(self.affiliations.get(m.key), "kind", None) == "company"]
                if not people and voice and doc[k - 1].lower_ in _OF:
                    # "», a indiqué le compte officiel … de l'entreprise": the company speaks
                    return [m for m in found if m.kind == "company"]
                return people
        return []

    def _speaker(self, quote: Quote) -> Mention | None:
        doc = self.doc
        # After: "», a déclaré la société", "» explique Brad Smith", "», a-t-elle ajouté".
        j = quote.end
        limit = min(len(doc), quote.end + 8)
        verb_seen = False
        pronoun = False
        while j < limit:
            token = doc[j]
            if token.is_punct and token.text in ",":
                j += 1
                continue
            if token.lemma_ in SPEECH_VERBS or (token.pos_ in ("VERB",) and token.lemma_ in SPEECH_VERBS):
                verb_seen = True
            elif token.pos_ == "AUX" or token.is_space:
                pass
            elif verb_seen:
                found = self.mentions_at(j) or self._named_in_description(j)
                if found:
                    return found[0]
                if token.pos_ == "DET" and j + 1 < len(doc) and doc[j + 1].lemma_.lower() in _DOCUMENT_NOUNS:
                    # "», reconnaît la note": a company's own document speaks for the company the article is
                    # about (the one named most so far), not the last one named in passing
                    return self._main_company_before(quote.start)
                if token.lower_ in ("-elle", "-il", "elle", "il"):
                    return self.last_speaker(quote.start)
                break
            elif token.lower_ in ("-elle", "-il", "-t", "t"):
                pronoun = pronoun or token.lower_ != "-t"
            else:
                break
            j += 1
        if verb_seen and pronoun:
            return self.last_speaker(quote.start)
        # Before, in the same sentence: "X, directrice …, a déclaré : «", "Microsoft qui, par la voix de
        # Brad Smith, a confirmé : " — the subject of the speech verb, else the mention nearest to it.
        sent = doc[quote.start].sent
        verbs = [t for t in doc[sent.start:quote.start] if t.lemma_ in SPEECH_VERBS and t.pos_ == "VERB"]
        if not verbs:
            # The quote opens its own sentence after "… a confirmé son point de vue : "
            prev = [t for t in doc[max(0, sent.start - 3):quote.start] if not t.is_space]
            if sent.start == 0 or not prev or prev[-1].text != ":":
                return None
            sent = doc[sent.start - 1].sent
            verbs = [t for t in sent if t.lemma_ in SPEECH_VERBS and t.pos_ == "VERB"]
            if not verbs:
                return None
        verb = verbs[-1]
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubj:pass"):
                found = self.mentions_at(child.i)
                if found:
                    return found[0]
        before = [m for m in self.mentions_in(sent.start, verb.i)
                  if m.kind in ("company", "advocate", "PER", "ORG", "legislature")]
        people = [m for m in before if m.kind == "PER"]
        if people:
            return people[-1]
        return before[-1] if before else None

    def _main_company_before(self, i: int) -> Mention | None:
        companies = [m for m in self.mentions_in(0, i) if m.kind == "company"]
        if not companies:
            return None
        top, _ = Counter(m.key for m in companies).most_common(1)[0]
        return next(m for m in reversed(companies) if m.key == top)

    def _continues(self, previous: Quote, quote: Quote) -> bool:
        """The quote follows the previous one in the same paragraph, a few words apart."""
        between = self.doc[previous.end:quote.start]
        return len(between) <= 6 and not any("\n" in t.text for t in between)

    def last_speaker(self, i: int) -> Mention | None:
        for quote in reversed(self.quotes):
            if quote.start < i and quote.speaker is not None:
                return quote.speaker
        return self.last_before(i, {"PER"})

    def first_person_company(self, i: int) -> Mention | None:
        """The company "nous" stands for inside a quote at token ``i``."""
        quote = self.quote_at(i)
        if quote is None:
            return None
        if quote.speaker is None:
            # "« SoundCloud n'a jamais utilisé … Nous n'utiliserons pas … »" (an open letter, no speaker named):
            # the one company the quote itself names before "nous"
            named = {m.key: m for m in self.mentions_in(quote.start, i) if m.kind == "company" and not m.anaphor}
            others = self.mentions_in(quote.start, i, {"advocate", "legislature", "PER"})
            if len(named) == 1 and not others:
                return next(iter(named.values()))
            if self._unnamed_spokesperson(quote) and not others:
                # "« Nous n'utilisons plus … », confirme un porte-parole": the company the article last named
                return self.last_before(quote.start, {"company"}, limit=150)
            return None
        return self.company_of(quote.speaker)

    def _unnamed_spokesperson(self, quote: Quote) -> bool:
        """The quote is reported by "un(e) porte-parole" with no organisation named ("…, a indiqué un
        porte-parole"; not "un porte-parole de la police")."""
        doc = self.doc
        for j in range(quote.end, min(quote.end + 8, len(doc) - 1)):
            if doc[j].lower_ in (".", "»", "«") or (doc[j].is_sent_start and j > quote.end):
                return False
            if doc[j].lower_ in ("porte-parole", "porte-paroles") and doc[j - 1].lower_ in ("un", "une"):
                return doc[j + 1].lower_ not in ("de", "du", "d'", "d’", "des")  # "de la police": someone else's
        return False


@lru_cache(maxsize=1)
def _makers() -> dict[str, str]:
    """Product key → its maker's company key (from the gazetteer)."""
    return {e.key: e.made_by for e in load_lexicons().entries.values() if e.kind == "product" and e.made_by}


@lru_cache(maxsize=1)
def _product_technologies() -> dict[str, str]:
    """Product key → the notation of the technology it is (from the gazetteer)."""
    return {e.key: e.technology for e in load_lexicons().entries.values() if e.kind == "product" and e.technology}


def is_first_person(token: Token) -> bool:
    return token.lower_ in _PRONOUNS_1ST
