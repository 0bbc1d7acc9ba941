"""Policies: who decides what about which technology, for whom, for how long, until when.

The ``vigie_triggers`` component marks policy triggers from the labels of the policy-type scheme of
``vocab.ttl`` in ``doc.spans["vigie_triggers"]`` (label = type notation, ``|neg`` when the label is a
negated phrasing such as *ne pas vendre*). A label is read as a sequence of content words: the first is
matched on lemma or inflected form, the others must follow within a few tokens
(*mettre ses services en pause* matches *mettre en pause*).

:func:`extract_policies` then reads each trigger's clause: the decider (syntactic subject, relative
antecedent, speaker of the quote, possessive), the arguments in the trigger's subtree (technology,
product, users, jurisdiction, duration), the date of the sentence, a *tant que …* condition, and
cancels triggers that are demanded, negated, in a purpose clause or not yet true.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

import numpy
from spacy.attrs import LEMMA, LOWER
from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from extractors.context import SPEECH_VERBS, ArticleContext, Mention, is_first_person
from extractors.dates import build_matcher, duration_of, resolve_span
from extractors.entities import ACTOR_SPANS, COMPANY_NOUNS, INSTITUTION_WORDS, INTRO_NOUNS, NOT_ACTORS, first_word
from extractors.facts import Evidence
from extractors.lexicons import among, hash_ids, inflections, load_lexicons
from ontology.iris import slugify

TRIGGER_SPANS = "vigie_triggers"
#: Why a trigger was dropped, at DEBUG level: the first thing to read when a decision is missed.
log = logging.getLogger(__name__)
EXTRACTOR = "policies"

_FUNCTION_WORDS = {"le", "la", "les", "l'", "l’", "de", "des", "du", "d'", "d’", "à", "au", "aux", "en",
                   "se", "s'", "s’", "un", "une"}
_NEGATION_WORDS = {"ne", "n'", "n’", "pas", "plus"}
_NEG_CHILDREN = {"ne", "n'", "n’", "pas", "plus", "jamais", "guère", "aucun", "aucune"}
#: Governing verbs that make a trigger something asked for or owed, not decided (lemmas).
DEMAND_VERBS = {"demander", "appeler", "exhorter", "réclamer", "plaider", "exiger", "inviter", "presser",
                "pousser", "inciter", "encourager", "implorer", "supplier", "devoir", "falloir", "enjoindre",
                "sommer", "militer", "vouloir_que"}
#: Shops of other firms' products: removing something from them is moderation, not a policy.
STORE_NOUNS = {"boutique", "magasin", "store", "kiosque"}
#: Governing verbs that deny the decision they govern (lemmas).
DENIAL_VERBS = {"démentir", "nier", "réfuter", "contester"}
#: Governing verbs and moods that make a decision uncertain.
HEDGE_VERBS = {"envisager", "réfléchir", "songer", "étudier", "pouvoir", "projeter", "hésiter", "discuter",
               "examiner", "évaluer"}
#: Nouns that can stand for the technology when the article names it elsewhere.
TECH_NOUNS = {"technologie", "robot", "drone", "machine", "appareil", "logiciel", "service", "outil", "système",
              "produit", "solution", "api",
              "fonctionnalité", "activité", "offre", "algorithme", "marché", "secteur", "programme",
              "plateforme", "caméra", "fonction", "application", "interface", "modèle", "module", "générateur",
              "puce", "accélérateur", "terminal", "capteur", "version", "serveur", "gamme", "catalogue"}
_CONDITION = re.compile(r"\b(tant qu['’]|jusqu['’]à ce qu['’]?e?|à moins qu['’]?e?|en attendant|d['’]ici à ce qu)",
                        re.I)
_LAW_WORDS = {"loi", "législation", "règle", "réglementation", "règlementation", "régulation", "légiférer",
              "cadre", "encadrement",
              "réglementer", "législatif", "législative"}
#: National legislature awaited when a condition speaks of (federal) law in a jurisdiction.
NATIONAL_LEGISLATURE = {"US": "us-congress", "FR": "assemblee-nationale", "EU": "european-parliament",
                        "GB": "uk-parliament"}
_NOUN_DURATION_PREPS = {"sur", "de", "d'", "d’"}
_PREVERBAL = {"ne", "n'", "n’", "se", "s'", "s’", "y", "en", "lui", "leur", "le", "la", "les", "l'", "l’"}
_OPEN_ENDED = {"indéfiniment", "indéterminée", "indéterminé", "illimitée", "illimité"}
_TEMPORARY = {"temporairement", "provisoirement", "momentanément"}
_OF_WORDS = {"de", "du", "des", "d'", "d’", "l'", "l’", "la", "le", "les"}
PRECEDENCE = ["moratorium", "sales-refusal", "withdrawal", "restriction"]


@dataclass(frozen=True)
class TriggerLabel:
    type: str
    words: tuple[str, ...]  # content words, lower-case, in order
    negated: bool


def trigger_labels() -> list[TriggerLabel]:
    """The policy-type scheme's labels as trigger specifications (French and English labels)."""
    out = []
    for concept in load_lexicons().scheme("type"):
        for label in concept.labels:
            words = re.findall(r"[\w\-]+['’]?|['’]", label.lower())
            negated = any(w in _NEGATION_WORDS for w in words) and ("ne" in words or "pas" in words)
            content = tuple(w for w in words if w not in _FUNCTION_WORDS and w not in _NEGATION_WORDS)
            if content:
                out.append(TriggerLabel(concept.notation, content, negated))
    return out


def verb_forms(word: str) -> set[str]:
    """Common conjugated forms of an infinitive, so that a lemmatizer slip ("ferme" read as an
    adjective) does not hide a trigger."""
    if word.endswith("er") and len(word) > 4:
        stem = word[:-2]
        endings = ["e", "es", "ent", "ons", "ez", "ait", "aient", "é", "ée", "és", "ées", "era", "eront",
                   "erait", "eraient", "ant", "era"]
    elif word.endswith("ir") and len(word) > 4:
        stem = word[:-2]
        endings = ["is", "it", "issent", "issons", "issait", "issaient", "i", "ie", "ira", "iront", "irait",
                   "issant"]
    elif word.endswith("re") and len(word) > 4:
        stem = word[:-2]
        endings = ["s", "", "ons", "ez", "ent", "ait", "aient", "u", "ue", "us", "ra", "ront", "rait", "ant"]
    else:
        return set()
    forms = {stem + e for e in endings}
    if stem.endswith("g"):  # "nous suspendons" / "nous mangeons"
        forms.add(stem + "eons")
    if stem.endswith("c"):
        forms.add(stem[:-1] + "çons")
    return forms


@lru_cache(maxsize=4096)
def word_forms(word: str) -> frozenset[str]:
    return frozenset(inflections(word) | verb_forms(word))


def _word_matches(token: Token, word: str) -> bool:
    return token.lemma_.lower() == word or token.lower_ in word_forms(word)


@Language.factory("vigie_triggers")
def make_triggers(nlp: Language, name: str) -> TriggerMatcher:
    return TriggerMatcher(nlp)


class TriggerMatcher:
    """Finds policy triggers; the longest label wins where several overlap."""

    GAP = 4  # tokens allowed between two content words of a label
    #: "ne communiquer les données de leurs clients à la police que sur mandat": the "que" of a restrictive
    #: "ne … que" comes after the verb's whole object
    RESTRICTIVE_GAP = 14

    def __init__(self, nlp: Language) -> None:
        self.labels = trigger_labels()
        self.by_head: dict[str, list[TriggerLabel]] = {}
        for label in self.labels:
            self.by_head.setdefault(label.words[0], []).append(label)
        # A head matches a token by lemma or by lower-cased form: two dict lookups per token. (A Matcher of
        # ``[{"LEMMA": head}], [{"LOWER": {"IN": forms}}]`` patterns gave the same matches in the same
        # order but tried every head's predicate on every token: ~10 % of the extraction time.)
        self._order = {head: i for i, head in enumerate(self.by_head)}
        self._heads_by_form: dict[str, list[str]] = {}
        for head in self.by_head:
            for form in word_forms(head):
                self._heads_by_form.setdefault(form, []).append(head)
        # The tokens that can match, found on the doc's arrays of hashes: no Token object for the others.
        self._form_ids = hash_ids(self._heads_by_form)
        self._lemma_ids = hash_ids(self._order)

    def _matches(self, doc: Doc):
        """``(head, token index)`` of each head found, by token, then in the order of ``by_head``."""
        order, by_form = self._order, self._heads_by_form
        array = doc.to_array([LOWER, LEMMA])
        hits = among(array[:, 0], self._form_ids) | among(array[:, 1], self._lemma_ids)
        for i in numpy.flatnonzero(hits).tolist():
            token = doc[i]
            heads = by_form.get(token.lower_)  # unique, in by_head order
            lemma = token.lemma_
            if lemma in order and (heads is None or lemma not in heads):
                heads = sorted([*(heads or ()), lemma], key=order.__getitem__)
            if heads:
                for head in heads:
                    yield head, token.i

    def __call__(self, doc: Doc) -> Doc:
        names = frozenset(i for span in doc.spans.get(ACTOR_SPANS, []) if len(span) > 1
                          for i in range(span.start, span.end))
        found: list[tuple[int, Span]] = []
        seen: set[tuple[int, str]] = set()
        forms: dict[int, tuple[str, str]] = {}  # token index → (lower-case form, lower-case lemma), as read
        for head, start in self._matches(doc):
            if (start, head) in seen:
                continue
            seen.add((start, head))
            sent_end = doc[start].sent.end
            for label in self.by_head[head]:
                end = self._match_rest(doc, start + 1, label.words[1:], sent_end, forms, names)
                if end is None:
                    continue
                span = Span(doc, start, end, label=label.type + ("|neg" if label.negated else ""))
                found.append((len(label.words) * 100 + (end - start), span))
        found.sort(key=lambda item: -item[0])
        kept: list[Span] = []
        taken: set[int] = set()
        for _score, span in found:
            if taken.intersection(range(span.start, span.end)):
                continue
            kept.append(span)
            taken.update(range(span.start, span.end))
        doc.spans[TRIGGER_SPANS] = sorted(kept, key=lambda s: s.start)
        return doc

    def _match_rest(self, doc: Doc, i: int, words: tuple[str, ...], limit: int,
                    forms: dict[int, tuple[str, str]], names: frozenset[int] = frozenset()) -> int | None:
        """End of a label's other ``words`` after token ``i``; ``forms`` caches the tokens' strings (the
        labels of one head scan the same tokens) -- the same test as :func:`_word_matches`."""
        end = i
        for word in words:
            j = end
            inflected = word_forms(word)
            gap = self.RESTRICTIVE_GAP if word in ("que", "qu'", "qu’") else self.GAP
            seen = 0  # words of a known name in between ("mettre VALL-E 2 à la disposition") do not count
            while j < limit and seen <= gap:
                strings = forms.get(j)
                if strings is None:
                    token = doc[j]
                    strings = forms[j] = (token.lower_, token.lemma_.lower())
                if strings[1] == word or strings[0] in inflected:
                    break
                if j not in names:
                    seen += 1
                j += 1
            else:
                return None
            if gap > self.GAP and not _restrictive_que(doc, end, j):
                return None
            end = j + 1
        return end


#: Words that make "que" a conjunction ("tant que", "parce que", "alors que") and negations that make the
#: sentence a "ne … pas", not a restrictive "ne … que".
_CONJUNCTION_BEFORE_QUE = {"tant", "parce", "alors", "bien", "ainsi", "avant", "dès", "pour", "sans", "après",
                           "plus", "moins", "autant", "même", "sauf", "tandis", "pendant", "lors", "afin", "si",
                           "jusqu'", "jusqu’", "maintenant", "depuis", "encore", "tel", "telle"}
_NOT_RESTRICTIVE = {"pas", "jamais", "plus", "guère", "aucun", "aucune", "rien", "personne", "point"}


#: First words of the institutions that decide, as a firm does, what they use (a university switching off a
#: detector, a hospital pausing a tool); they are no company anywhere else (an affiliation, a place of research).
DECIDING_INSTITUTIONS = {"université", "university", "universität", "universidad", "école", "college", "collège",
                         "lycée", "hôpital"}
#: Nouns that, after a definite article, stand for the university, school or hospital the article is about.
_INSTITUTION_NOUNS = {"établissement", "université", "école", "hôpital", "campus", "faculté"}
_INSTITUTION_KEYS = {slugify(word) for word in DECIDING_INSTITUTIONS}


def _institution_anaphor(ctx: ArticleContext, subject: Token) -> Mention | None:
    """"L'établissement a annoncé …" after "l'Université de Californie à Los Angeles": the institution last named
    (within a few sentences), when the subject is such a noun with a definite article and no name of its own."""
    if subject.lower_ not in _INSTITUTION_NOUNS or ctx.mentions_at(subject.i) or not any(
            c.dep_ == "det" and c.lower_ in ("l'", "l’", "le", "la") for c in subject.children):
        return None
    if any(c.dep_ in ("nmod", "appos", "flat:name") for c in subject.children):
        return None  # "l'université de Genève", "l'école X": a name of its own, not an anaphor
    found = ctx.last_before(subject.i, {"ORG"}, limit=150)
    # the key, not the text: "UCLA" carries its full name's key ("universite-de-californie-a-los-angeles")
    if found is not None and not found.anaphor and found.key.split("-")[0] in _INSTITUTION_KEYS:
        return found
    return None


def _restrictive_que(doc: Doc, start: int, que: int) -> bool:
    """Whether the "que" at ``que`` closes a restrictive "ne … que" opened right before the verb ending at
    ``start`` ("ne communiquer …", "n'accepte …")."""
    if doc[que - 1].lower_ in _CONJUNCTION_BEFORE_QUE or doc[que].dep_ == "fixed":
        return False
    if not any(t.lower_ in ("ne", "n'", "n’") for t in doc[max(0, start - 4):start - 1]):
        return False
    return not any(t.lower_ in _NOT_RESTRICTIVE for t in doc[start:que])


# ---------------------------------------------------------------- extraction


@dataclass
class PolicyCandidate:
    """A policy as read in one clause, before merging."""

    company: Mention
    type: str
    technology: str
    sentence: Span
    trigger: Span
    products: list[str] = field(default_factory=list)
    restricted_users: list[str] = field(default_factory=list)
    jurisdiction: str | None = None
    duration: str | None = None
    announced: str | None = None
    condition: str | None = None
    awaits_legislature: str | None = None
    strong: bool = True  # an individual, unhedged decision (not "A, B et C ont annoncé …")
    open_ended: bool = False  # "indéfiniment", "pour une durée indéterminée"
    news: bool = False  # read in the title or lead, not in the pluperfect: the decision the article reports
    confidence: float = 0.9
    evidence: list[Evidence] = field(default_factory=list)


def is_negated(token: Token) -> bool:
    doc = token.doc
    start = max(token.sent.start, token.i - (6 if _after_ni(token) else 3))
    ne = any(t.lower_ in ("ne", "n'", "n’") for t in doc[start:token.i])
    for c in token.children:
        if c.lower_ not in _NEG_CHILDREN:
            continue
        if c.lower_ == "plus" and not ne and c.i + 1 < len(doc) and doc[c.i + 1].lower_ in ("de", "d'", "d’"):
            continue  # "bloquait plus de 25 000 adresses": more than, no negation
        return True
    return ne


def _after_ni(token: Token) -> bool:
    """"ne serait plus ni vendu ni mis à jour": the negation is further left, before *ni*."""
    return token.i > token.sent.start and token.doc[token.i - 1].lower_ == "ni"


def _verbal_chain(token: Token) -> list[Token]:
    """The trigger and the words governing it within its clause (infinitive complements, objects).

    Adverbial and adnominal clauses (``advcl``, ``acl``: *…, annonçant son retrait*) are not climbed:
    their implicit subject is not the governing clause's subject.
    """
    chain = [token]
    current = token
    for _ in range(5):
        if _climbs(current) and current.head is not current:
            current = current.head
            chain.append(current)
        else:
            break
    return chain


_CLIMB = ("xcomp", "obj", "ccomp", "obl:arg", "conj", "nmod")


def _climbs(token: Token) -> bool:
    """Whether the clause governing ``token`` shares its subject: a complement, or the aim of measures
    ("xAI a pris des mesures pour bannir …": xAI bans)."""
    return token.dep_ in _CLIMB or (token.dep_ == "advcl" and _measures_taken(token) and any(
        c.dep_ == "mark" and c.lower_ in ("pour", "afin") for c in token.children))


def _cancelled(trigger: Span, negated_label: bool, text: str | None = None) -> str | None:
    """Why a trigger is not a decision (``None`` when it is one); ``text`` is the doc's, when known."""
    head = trigger[0]
    sent = trigger.sent
    sent_text = sent.text if text is None else text[sent.start_char:sent.end_char]
    if sent_text.rstrip().endswith("?"):
        return "question"
    negated = is_negated(head)
    if negated_label:
        if not negated:
            return "negation missing"
        if any(t.lower_ == "encore" for t in head.doc[max(sent.start, head.i - 4):min(sent.end, head.i + 5)]):
            return "not yet"  # "n'avait pas encore vendu": a fact about the past, no decision
        if "Part" in head.morph.get("VerbForm") and any(c.dep_ == "aux:tense" for c in head.children):
            return "past fact"  # "n'a pas vendu" (a passive "ne sera pas proposée" is a decision)
    elif negated and head.pos_ in ("VERB", "AUX") and not _only(trigger):
        return "negated"  # "n'accepterait plus que les vidéos …": ne … (plus) que restricts, it denies nothing
    # "n'a pas l'intention de cesser de vendre", "ne compte pas suspendre": the intention is denied
    if not negated_label:
        for governor in _governors(head, 3):
            if governor.pos_ in ("VERB", "AUX") and governor.i < head.i and is_negated(governor):
                return "negated intention"
    doc = head.doc
    if head.dep_ == "acl" and head.head.pos_ == "NOUN" and "Part" in head.morph.get("VerbForm") and not any(
            c.dep_ == "aux:tense" for c in head.children) and not _finite_form(head):
        # "Voxility, …, a mis fin": a misparsed clause; "Civitai bannit les modèles": a finite verb
        return "modifier"  # "une législation fédérale encadrant l'usage …": the law restricts, not a company
    child = head
    for governor in _ancestors(head):
        if child.dep_.startswith("nsubj"):
            break  # "cette pause doit laisser du temps": the trigger is the subject, not what is owed
        demand = governor.lemma_ in DEMAND_VERBS or (governor.pos_ == "VERB" and governor.lower_ in _demand_forms())
        if demand and not _new_rule(governor) and not _after_determiner(governor) and not _own_staff(governor):
            return "demanded"  # "demande à la justice d'interdire" (lemmatised as the noun "demande")
        child = governor
    if _asked_of_others(trigger):
        return "demanded"  # "… et demande aux États de bannir …" however the parser attached it
    if _recalled(head):
        return "recalled"
    # not across a juxtaposed clause: in "« Le monde n'est pas prêt » : ils retirent leur application", the
    # quote's adjective governs no decision
    if "Fin" not in head.morph.get("VerbForm") and not _finite_form(head) and any(
            a.lemma_.lower() in _READY and a.pos_ == "ADJ" for a in _ancestors(head, 3, until="parataxis")):
        return "ready"  # "se dit prête à retirer ses serveurs si …": willing, not decided
    if any(a.lemma_.lower() in _OPTION_NOUNS and a.head.lemma_.lower() in HEDGE_VERBS for a in _ancestors(head, 3)):
        return "considered"  # "dit étudier la possibilité de ne plus vendre": an option, not a decision
    if any(a.lemma_.lower() == "menacer" for a in _ancestors(head, 3)):
        return "threatened"  # "avait menacé de cesser d'héberger Gab si …"
    if trigger.label_ == "withdrawal" and any(c.lemma_.lower() in STORE_NOUNS for c in head.children) and not any(
            c.dep_ == "obj" and c.lemma_.lower() not in _LISTED_ITEMS for c in head.children):
        # "ont retiré de leurs boutiques plusieurs applications": other firms' products ("retire de sa boutique
        # les données de fréquentation …" is its own product)
        return "moderation"
    if any(a.lemma_ in DENIAL_VERBS for a in _ancestors(head, 5)):
        return "denied"  # "a démenti les informations qui lui prêtaient l'intention de quitter le pays"
    if _homograph(trigger):
        return "noun homograph"
    for token in [head, *_ancestors(head)]:
        # "afin d'encadrer", "pour interdire": an aim, not a decision
        if "Inf" in token.morph.get("VerbForm"):
            before = [t.lower_ for t in doc[max(sent.start, token.i - 3):token.i] if not t.is_space]
            if before and (before[-1] == "pour" or "afin" in before[-2:]) and _measures_taken(token):
                break  # the measures are the decision; what is above them is their aim
            if before and (before[-1] == "pour" or "afin" in before[-2:]) and not _amends_rules(token):
                return "purpose"
            if token.head is not token and token.head.lemma_ == "viser" and token.dep_ in ("xcomp", "obl:arg") \
                    and not _an_update_aims(token.head):
                return "purpose"  # "une proposition de loi visant à interdire …": what a text aims at
    return None


#: Nouns of a firm's change to its own rules: what such a change "vise à" do is done ("Cette mise à jour vise
#: à interdire …"), unlike a bill's aim.
_UPDATE_NOUNS = {"mise", "modification", "changement", "révision", "actualisation"}


def _amends_rules(token: Token) -> bool:
    """"a modifié ses règles pour interdire", "a mis à jour les règles de sa régie … pour interdire": the
    change is the decision, the infinitive says what it does (the parser hangs it on the verb, on the rules,
    or elsewhere when an apposition cuts the clause: the amending verb before the rules then says it)."""
    head = token.head
    if head is token:
        return False
    if head.lemma_.lower() in _AMENDING_VERBS or _puts_up_to_date(head):
        return True
    if head.lemma_.lower() not in _RULE_NOUNS | {"politique"}:
        return False
    doc = token.doc
    return any(t.lemma_.lower() in _AMENDING_VERBS or _puts_up_to_date(t)
               for t in doc[max(head.sent.start, head.i - 25):head.i])


def _puts_up_to_date(token: Token) -> bool:
    """"mettre à jour", "a mis à jour": the verb of an update."""
    doc = token.doc
    return token.lemma_.lower() == "mettre" and token.i + 2 < len(doc) and doc[token.i + 1].lower_ == "à" \
        and doc[token.i + 2].lower_ == "jour"


def _an_update_aims(verb: Token) -> bool:
    """"Cette mise à jour vise à interdire …": the subject of "viser" is a change of rules."""
    return any(c.dep_ == "nsubj" and c.lemma_.lower() in _UPDATE_NOUNS for c in verb.children)


def _measures_taken(token: Token) -> bool:
    """"nous avons pris des mesures pour restreindre l'accès …": the measures are that decision, not an aim."""
    head = token.head
    return head.lemma_.lower() in ("mesure", "disposition") or (head.lemma_.lower() == "prendre" and any(
        c.dep_ == "obj" and c.lemma_.lower() in ("mesure", "disposition") for c in head.children))


def _dropped(trigger: Span, why: str) -> None:
    """Log why a trigger is no decision (formatted only when DEBUG is on: this runs for every trigger)."""
    if log.isEnabledFor(logging.DEBUG):
        log.debug("%r: %s | %s", trigger.text, why, trigger.sent.text[:160])


_READY = {"prêt", "prête", "disposé", "disposée"}
#: "mettre fin, à ce stade, à …", "renonce, pour l'heure, à …": a decision for now, a moratorium (not when negated:
#: "ne … pas à ce stade" is a refusal).
_FOR_NOW = re.compile(r"\b(?:à ce stade|pour l['’]heure|pour le moment|pour l['’]instant|dans l['’]immédiat)\b",
                      re.IGNORECASE)
#: "n'accepterait plus, jusqu'à nouvel ordre, …": a stop until further notice is a pause, negated or not.
_UNTIL_FURTHER_NOTICE = re.compile(r"\bjusqu['’]à nouvel ordre\b", re.IGNORECASE)


def _for_the_time_of(doc: Doc, trigger: Span) -> bool:
    """"…, le temps d'une enquête", "le temps de revoir ses pratiques" after the trigger: for as long as
    something lasts."""
    return any(doc[i].lower_ == "temps" and doc[i - 1].lower_ == "le" and i + 1 < len(doc)
               and doc[i + 1].lower_ in ("de", "d'", "d’") for i in range(trigger.end + 1, trigger.sent.end))


def _after_determiner(token: Token) -> bool:
    """A verb form right after a determiner (and adjectives) is a noun misread: "la jeune pousse X"."""
    doc = token.doc
    j = token.i - 1
    while j >= token.sent.start and doc[j].pos_ == "ADJ" and doc[j].is_lower and token.i - j < 3:
        j -= 1
    if j < token.sent.start or doc[j].pos_ != "DET":
        return False
    return j < token.i - 1 or doc[j].lower_ not in _PREVERBAL  # "les pousse à": a clitic pronoun


def _governors(token: Token, limit: int) -> list[Token]:
    """The verbs governing ``token`` up to a coordination (a coordinated clause is another statement)."""
    return _ancestors(token, limit, until="conj")


_RULE_ADVERBS = {"désormais", "dorénavant", "maintenant"}


def _new_rule(verb: Token) -> bool:
    """"toute vente devra désormais être approuvée": *devoir* + *désormais* states a rule, not an obligation."""
    if verb.lemma_ != "devoir":
        return False
    doc = verb.doc
    return any(t.lower_ in _RULE_ADVERBS for t in doc[verb.i:min(verb.sent.end, verb.i + 3)])


def _pluperfect(head: Token) -> bool:
    """"avait suspendu": an auxiliary in the imperfect, a decision before the one reported."""
    return any(c.dep_ in ("aux:tense", "aux") and "Imp" in c.morph.get("Tense") and c.lemma_ in ("avoir", "être")
               for c in head.children)


def _recalled(head: Token) -> bool:
    """"elle avait déjà renoncé à …": a pluperfect with *déjà* recalls an earlier decision; "Jusqu'ici, le
    réseau étiquetait …": an imperfect after "jusqu'ici" is the state the news ends."""
    aux = [c for c in head.children if c.dep_ == "aux:tense" and "Imp" in c.morph.get("Tense")]
    if aux and any(c.lower_ == "déjà" for c in head.children):
        return True
    # the tagger often reads an imperfect as a conditional: its ending says it
    imperfect = head.pos_ in ("VERB", "AUX") and ("Imp" in head.morph.get("Tense") or (head.lower_.endswith(
        ("ait", "aient")) and not head.lower_.endswith(("rait", "raient"))))
    return (imperfect or bool(aux)) and _UNTIL_NOW.match(head.sent.text.lstrip()) is not None


#: Openings of a sentence that describes how things were before the news.
_UNTIL_NOW = re.compile(r"(?:jusqu['’](?:ici|à présent|alors|à maintenant)|jusque-là)\b", re.I)


#: Verb labels whose infinitive is also a noun ("un reporter", "le devoir").
def _homograph(trigger: Span) -> bool:
    """A one-word verb label read on a noun spelt like the infinitive: "le reporter de l'AFP"."""
    head = trigger[0]
    return len(trigger) == 1 and head.pos_ == "NOUN" and head.lower_.endswith(("er", "ir")) and (
        head.lower_ == head.lemma_.lower() or head.lower_.rstrip("s") == head.lemma_.lower())


@lru_cache(maxsize=1)
def _demand_forms() -> frozenset[str]:
    return frozenset(form for verb in DEMAND_VERBS for form in verb_forms(verb))


def _asked_of_others(trigger: Span) -> bool:
    """"demande aux États de bannir …", "appelle les fabricants à cesser …": a demand form, its addressee
    ("à/aux X" or a direct object) and "de/à" right before the trigger, within six words and no punctuation."""
    doc = trigger.doc
    start = trigger.start
    if start < 3 or doc[start - 1].lower_ not in ("de", "d'", "d’", "à"):
        return False
    for j in range(start - 2, max(trigger.sent.start, start - 8) - 1, -1):
        word = doc[j]
        demand = (word.lower_ in _demand_forms() or word.lower_ in ("demande", "demandent")) and not (
            _after_determiner(word))  # "la jeune pousse X renonce à vendre": "pousse" is no verb there
        if demand:
            return not _staff_addressed(doc[j + 1:start - 1])
        if word.is_punct or word.pos_ in ("VERB", "AUX"):
            return False  # the trigger is another verb's complement ("renonce à vendre")
    return False


def _ancestors(token: Token, limit: int = 4, until: str | None = None) -> list[Token]:
    """The heads above ``token``, nearest first, at most ``limit``; with ``until``, none above a token attached
    by that dependency (``"conj"``: a coordinated clause; ``"parataxis"``: a juxtaposed one)."""
    out = []
    current = token
    for _ in range(limit):
        if current.head is current or current.dep_ == until:
            break
        current = current.head
        out.append(current)
    return out


#: Nouns of an option a firm may take ("étudier la possibilité de …", "envisager l'hypothèse d'un retrait").
_OPTION_NOUNS = {"possibilité", "éventualité", "hypothèse", "option", "idée", "piste"}

#: Verbs by which a firm rewrites its own terms: their aim is the rule ("a modifié ses conditions pour interdire …").
_AMENDING_VERBS = {"modifier", "changer", "réviser", "amender", "actualiser", "réécrire", "compléter"}


def _lifted(triggers: list[Span]) -> set[int]:
    """Starts of triggers that end a policy rather than make one: "Google a levé son moratoire",
    "Amazon met fin à son moratoire" (both the ending verb and the policy noun)."""
    out: set[int] = set()
    nouns = {t.start: t for t in triggers if t[0].pos_ == "NOUN" and not t.label_.endswith("|neg")}
    for trigger in triggers:
        head = trigger[0]
        if head.pos_ == "NOUN" and head.head.lemma_ in LIFT_VERBS:
            out.add(trigger.start)
        if trigger.label_ == "withdrawal" and head.pos_ != "NOUN":
            doc = head.doc
            end = min(trigger.sent.end, trigger.end + 4)
            for i in range(trigger.end, end):
                if i in nouns and doc[i].lemma_.lower() in POLICY_NOUNS:
                    out |= {trigger.start, i}
    return out


#: Verbs by which a company makes a decision public.
ANNOUNCE_VERBS = {"annoncer", "dévoiler", "confirmer", "indiquer", "déclarer", "officialiser", "publier",
                  "communiquer", "révéler", "promettre", "jurer"}
#: Nouns of an announcement: a dated sentence about one with one company names the company's announcement.
ANNOUNCE_NOUNS = {"annonce", "décision"}
#: Verbs that end a policy named by their object.
LIFT_VERBS = {"lever", "annuler", "abroger", "terminer", "achever", "révoquer", "assouplir"}
#: Nouns that name a policy (so that "mettre fin à son moratoire" ends one).
POLICY_NOUNS = {"moratoire", "suspension", "pause", "interdiction", "gel", "refus", "embargo"}


_PLACE_NOUNS = {"pays", "territoires", "régions"}


def _title_end(ctx: ArticleContext) -> int:
    """Character offset of the end of the title line (-1 when the text is one line)."""
    return ctx.text.find("\n", ctx.doc[0].idx if len(ctx.doc) else 0)


def _in_title(ctx: ArticleContext, sent: Span) -> bool:
    """The sentence is (part of) the title line."""
    return sent.start_char < _title_end(ctx)


def _dated(matches: list[Span]) -> list[Span]:
    """The ``DATE`` and ``RELDAY`` matches of the date matcher, overlaps resolved."""
    return filter_spans([m for m in matches if m.label_ in ("DATE", "RELDAY")])


def _territory(ctx: ArticleContext, span: Span) -> bool:
    """A jurisdiction concept that says where something applies: not *fédéral*, not a nationality ("le
    groupe américain")."""
    return span.label_.startswith("juris:") and span.text.lower() not in ("fédéral", "fédérale", "fédéraux") \
        and not _nationality(ctx, span)


def title_jurisdiction(ctx: ArticleContext) -> str | None:
    """The one territory the title names ("États-Unis : SafeGraph retire …", "… aux autorités de Hongkong"),
    not a nationality ("le groupe américain"): where the decision the article reports applies."""
    end = _title_end(ctx)
    found = {s.label_.split(":", 1)[1] for s in ctx.concepts if s.start_char < end and _territory(ctx, s)}
    return found.pop() if len(found) == 1 else None


def _in_lead(ctx: ArticleContext, sent: Span, sentences: int = 3) -> bool:
    """The sentence is the title or one of the lead's first sentences, or in the lead's paragraph (the first
    after the title and date line: the parser may cut its sentences in pieces). The title line counts as one
    sentence however the parser splits it ("Puces d'IA : TSMC | coupe le robinet …"), and a blanked date line
    not at all."""
    title_end = _title_end(ctx)
    if title_end >= 0 and sent.start_char < _lead_paragraph_end(ctx, title_end):
        return True
    n = 0
    for other in ctx.doc.sents:
        if not any(t.is_alpha for t in other):
            continue  # a date line blanked from the text
        in_title = title_end >= 0 and other.start_char < title_end
        if n >= sentences and not in_title:
            return False
        if other.start == sent.start:
            return True
        if not in_title or other.end_char >= title_end:
            n += 1
    return False


def _lead_paragraph_end(ctx: ArticleContext, title_end: int) -> int:
    """Character offset of the end of the first paragraph with words after the title line."""
    text = ctx.text
    start = title_end
    while True:
        end = text.find("\n", start + 1)
        line = text[start:end if end >= 0 else len(text)]
        if any(c.isalpha() for c in line):
            return end if end >= 0 else len(text)
        if end < 0:
            return len(text)
        start = end


def _unknown_name(ctx: ArticleContext, subject: Token) -> Mention | None:
    """"Spotify interdit les clones vocaux" where the NER saw no name: a capitalised proper noun deciding,
    named again in the article, and nobody's first name or surname, is a company."""
    doc = ctx.doc
    if subject.dep_ != "nsubj" or subject.pos_ not in ("PROPN", "X") or not subject.is_alpha or len(subject) < 3 \
            or not subject.text[:1].isupper() or subject.ent_type_ in ("PER", "LOC") \
            or subject.lower_ in NOT_ACTORS or ctx.mentions_at(subject.i):
        return None
    end = subject.i + 1
    while end < len(doc) and doc[end].dep_ == "flat:name" and doc[end].head == subject and doc[end].is_title:
        end += 1
    name = doc[subject.i:end]
    occurrences = sum(1 for t in doc if t.orth == subject.orth)
    if occurrences < 2 or any(e.label_ in ("PER", "LOC") and subject.orth in {t.orth for t in e} for e in doc.ents):
        return None
    key = slugify(name.text)
    return Mention(name.start, name.end, "company", key, name.text) if key else None


#: A ban lifted case by case ("sauf si l'artiste l'a autorisée", "qu'avec son consentement explicite"):
#: the technology stays on offer under a condition, a restriction.
_PERMITTED_IF = re.compile(
    r"\bsauf (?:si|avec|accord|autorisation|consentement|dérogation)\b|\bqu['’]avec (?:son|leur|l['’]|un|une)\s*"
    r"(?:accord|consentement|autorisation|feu vert)|\bsur (?:autorisation|dérogation)\b|\bsans (?:son|leur) "
    r"(?:accord|consentement)\b", re.I)
#: User groups that say what a "government agency of …" is.
_SPECIFIC_USERS = {"users:law-enforcement", "users:military"}
#: Nouns of a joint undertaking: leaving one is a withdrawal, not a refusal to serve a customer.
_PROJECT_NOUNS = {"projet", "programme", "initiative", "partenariat", "consortium"}
#: How a decider was found that leaves no doubt it is the one deciding (not the nearest name).
_FIRM_DECIDERS = {"subject", "pronoun", "speaker", "first person", "apposition", "relative", "passive",
                  "unknown name", "preverbal names", "sentence subject", "turn"}
#: Key of the dates announced in the lead by a subject that is no known company (see ``announcements``).
LEAD_ANNOUNCEMENT = ""
#: The technology of a policy about something the vocabulary does not list (``vg:OtherTechnology``).
OTHER_TECHNOLOGY = "other"


def _territorial(ctx: ArticleContext, window: set[int]) -> bool:
    """"cesser de vendre dans ces deux pays": a stop for several territories refuses sales there (one
    market left, "au Royaume-Uni", stays a withdrawal with its jurisdiction)."""
    doc = ctx.doc
    return any(doc[i].lower_ in _PLACE_NOUNS and doc[i - 1].lower_ in _SEVERAL for i in window if i > 0)


_SEVERAL = {"ces", "deux", "trois", "plusieurs", "certains", "certaines"}
_MARKET_NOUNS = {"marché", "pays", "territoire"}


def _in_other_clause(span: Span, trigger: Span) -> bool:
    """"… avant une directive qui oblige à conserver pendant cinq ans": a duration inside a relative or
    participial clause that does not hold the trigger measures that clause."""
    for token in _ancestors(span[0], 6):
        if token.dep_ in ("acl:relcl", "acl") and not (token.left_edge.i <= trigger.start <= token.right_edge.i):
            return True
    return False


def _leaves_a_market(ctx: ArticleContext, trigger: Span, window: set[int]) -> bool:
    """"son retrait du marché russe", "suspend ses activités en Russie": a firm leaving a country, whatever
    it sold there."""
    if trigger.label_.partition("|")[0] not in ("withdrawal", "moratorium"):
        return False
    doc = ctx.doc
    # "tourne le dos à Moscou", "quitte la Chine": the place left is the trigger's own complement
    places = any(c.ent_type_ in ("LOC", "GPE") and c.dep_ in ("obj", "obl", "obl:arg", "obl:mod")
                 for t in trigger for c in t.children)
    return places or any(doc[i].lemma_.lower() in _MARKET_NOUNS for i in window) or any(
        s.start in window for s in ctx.concepts if s.label_.startswith("juris:"))


_STAFF = {"salarié", "salariée", "employé", "employée", "personnel", "collaborateur", "collaboratrice", "agent",
          "équipe", "ingénieur", "développeur"}


def _to_own_staff(trigger: Span) -> bool:
    """"interdit à ses salariés d'utiliser …": a rule for the firm's own staff restricts a use, it refuses no
    sale."""
    doc = trigger.doc
    end = min(trigger.sent.end, trigger.end + 4)
    return any(doc[i].lower_ in ("à", "aux") and doc[i + 1].lower_ in ("ses", "leurs", "son", "sa", "leur", "tous")
               and any(doc[k].lemma_.lower() in _STAFF for k in range(i + 1, min(i + 4, len(doc))))
               for i in range(trigger.end, end) if i + 1 < len(doc))


#: Who holds an account on a platform: banning them refuses them the service.
_MEMBER_NOUNS = {"compte", "utilisateur", "utilisatrice", "membre", "abonné", "streamer", "co-streamer", "créateur",
                 "créatrice", "joueur", "vendeur", "annonceur", "personne", "influenceur", "client"}

#: Verbs and nouns that forbid something outright.
_PROHIBITIONS = {"interdire", "bannir", "proscrire", "interdiction", "bannissement", "prohiber"}


def _bans_content(trigger: Span, technology: str | None) -> bool:
    """"Tumblr bannit la pornographie", "interdira les contenus sexuellement explicites": a platform forbidding a
    kind of content restricts what its users may publish; it refuses nobody a sale."""
    head = trigger[0]
    if technology != "content-moderation" or head.lemma_.lower() not in _PROHIBITIONS:
        return False
    # "a banni l'ensemble des co-streamers", "bannit les comptes": it refuses people its service
    objects = [c for c in head.children if c.dep_ == "obj"]
    objects += [n for o in objects for n in o.children if n.dep_ == "nmod"]  # "l'ensemble des …"
    return not any(o.lemma_.lower() in _MEMBER_NOUNS for o in objects)


#: What users post on a platform; removing these (of a kind) is moderating them, not withdrawing a product.
_POSTED_CONTENT = {"vidéo", "contenu", "publication", "image", "photo", "message", "deepfake", "deepfakes", "gif",
                   "post", "commentaire", "montage", "trucage"}
#: Verbs of removing posts.
_REMOVALS = {"supprimer", "retirer", "effacer", "enlever"}


def _removes_posted_content(trigger: Span) -> bool:
    """"Gfycat supprime les deepfakes", "retire les vidéos truquées": a platform removing a kind of what its
    users post (the object a plural content noun, not the platform's own: "ses vidéos", "son application")."""
    head = trigger[0]
    if len(trigger) != 1 or head.lemma_.lower() not in _REMOVALS:
        return False
    for obj in (c for c in head.children if c.dep_ == "obj"):
        dets = [d for d in obj.children if d.dep_ == "det"]
        own = any("Poss=Yes" in str(d.morph) for d in dets)
        plural = "Number=Plur" in str(obj.morph) or any("Number=Plur" in str(d.morph) for d in dets)
        if obj.lemma_.lower() in _POSTED_CONTENT and plural and not own:
            return True
    return False


def _closes_to(trigger: Span) -> bool:
    """"ferme la porte de ses sites aux robots d'OpenAI", "ferme sa recherche aux visages d'enfants": closing
    something to some (named after "à") keeps it open to the others. Read on the surface: headlines with these
    idioms are seldom parsed right."""
    head = trigger[0]
    if not head.lower_.startswith("ferm"):
        return False
    doc = head.doc
    for i in range(trigger.end, min(trigger.sent.end, trigger.end + 8)):
        if doc[i].is_punct:
            return False
        if doc[i].lower_ == "à" and i + 1 < len(doc) and doc[i + 1].lower_ == "titre":
            return False  # "à titre préventif"; "aux titres « artificiels »" are closed out
        if doc[i].lower_ in ("à", "aux", "au") and i + 1 < len(doc) and doc[i + 1].pos_ in ("NOUN", "DET", "ADJ"):
            noun = next((t for t in doc[i + 1:min(len(doc), i + 4)] if t.pos_ == "NOUN"), None)
            # "fermerait à son tour", "à partir de": no one it is closed to; "ferme la porte aux entreprises
            # chinoises": customers refused, a refusal to sell
            return noun is not None and noun.lemma_.lower() not in _NOT_CLOSED_TO
    return False


_TAKES_EFFECT = ("à partir du", "à partir de", "à compter du", "à compter de", "dès le")


def _takes_effect(date: Span) -> bool:
    """"à partir du 11 août", "dès le 1er mars": the date a decision takes effect."""
    doc = date.doc
    before = " ".join(t.lower_ for t in doc[max(0, date.start - 3):date.start])
    return before.endswith(_TAKES_EFFECT) or " ".join(
        t.lower_ for t in date[:3]).startswith(_TAKES_EFFECT)


def _hidden_from_view(trigger: Span) -> bool:
    """"exclut ces titres de ses recommandations", "retire de ses résultats de recherche les jeux …": taken out
    of what the firm shows, still offered (a restriction, not a refusal to sell nor a withdrawal)."""
    doc = trigger.doc
    for i in range(trigger.end, min(trigger.sent.end - 2, trigger.end + 10)):
        if doc[i].lower_ in ("de", "des", "du") and "Poss=Yes" in doc[i + 1].morph \
                and doc[i + 2].lemma_.lower() in _SHOWN_NOUNS:
            return True
    return False


#: What a platform shows, as opposed to what it sells: "ses recommandations", "ses résultats de recherche".
_SHOWN_NOUNS = {"recommandation", "résultat", "recherche", "page", "fil", "playlist", "suggestion", "classement",
                "flux", "vitrine", "navigation"}


#: Nouns after "fermer … à" that do not name whom a thing is closed to, or that name customers refused.
_NOT_CLOSED_TO = {"tour", "terme", "cause", "nouveau", "entreprise", "société", "client", "cliente",
                  "gouvernement", "état", "pays", "armée", "agence", "firme", "groupe", "organisation", "parti",
                  "police", "annonceur", "candidat"}


#: Nouns of using something: forbidding a use of one's works or products restricts it.
_USE_NOUNS = {"utilisation", "usage", "exploitation", "réutilisation", "emploi"}


def _forbids_a_use(trigger: Span) -> bool:
    """"pour interdire leur utilisation dans l'entraînement des IA": a use forbidden to anyone restricts the
    product; a sale refused to a customer names who (checked by the caller: no restricted users)."""
    head = trigger[0]
    return head.lemma_.lower() in _PROHIBITIONS and any(
        c.dep_ == "obj" and c.lemma_.lower() in _USE_NOUNS for c in head.children)


#: What stores list for others: withdrawing them from a store is moderation, not a product decision.
_LISTED_ITEMS = {"application", "app", "appli", "jeu", "extension", "contenu", "vidéo", "podcast", "livre", "titre",
                 "morceau", "film", "série", "annonce", "publicité", "compte"}


def _quits_a_country(ctx: ArticleContext, trigger: Span) -> bool:
    """"quitte l'Australie", "tourne le dos à la Russie": a country within three words after the trigger."""
    end = min(trigger.sent.end, trigger.end + 3)
    return any(trigger.end <= s.start < end for s in ctx.concepts if s.label_.startswith("juris:"))


def _by_default(doc: Doc, trigger: Span, window: set[int]) -> bool:
    """"par défaut" right after the trigger: a default changes, the feature stays (an opt-in)."""
    end = min(trigger.sent.end, trigger.end + 4)
    words = [t.lower_ for t in doc[trigger.start:end]]
    return any(a == "par" and b == "défaut" for a, b in pairwise(words))


def _stops(trigger: Span) -> bool:
    """Whether a trigger says the company stops doing something ("ne … plus", "cesser de", "arrêter de")."""
    head = trigger[0]
    if head.lemma_ in ("cesser", "arrêter") or head.lower_.startswith(("cess", "arrêt")):
        return True
    doc = head.doc
    start = max(trigger.sent.start, head.i - 3) if _after_ni(head) else head.i
    if any(t.lower_ in ("aucun", "aucune") for t in doc[max(trigger.sent.start, head.i - 6):head.i]):
        return True  # "aucun nouveau client ne sera accepté": nobody at all
    return any(t.lower_ == "plus" for t in doc[start:min(trigger.sent.end, head.i + 3)]) or any(
        c.lower_ == "plus" for c in head.children)


_TO = {"à", "aux", "au"}


def _to_recipients(trigger: Span) -> bool:
    """"ne vendra plus son logiciel aux commerces": the customers refused are named (a refusal to sell to
    them, not a withdrawal), whether or not the vocabulary has their group. The parser hangs "aux X" on the
    verb or on its object's complements."""
    for verb in (t for t in trigger if t.pos_ == "VERB"):
        # "cessent de livrer leurs puces à Huawei": a named customer the parser calls a modifier
        frontier = [c for c in verb.children if c.dep_ in _ARGUMENTS or (c.dep_ == "obl:mod" and c.pos_ == "PROPN")]
        for _depth in range(3):
            # a named customer too ("ses services à 8chan"), not a place ("à Moscou")
            for noun in (n for n in frontier if n.i > verb.i and (
                    n.pos_ == "NOUN" or (n.pos_ == "PROPN" and n.ent_type_ != "LOC"))):
                if any(c.dep_ == "case" and c.lower_ in _TO for c in noun.children):
                    return noun.lemma_.lower() not in _NOT_RECIPIENTS
            frontier = [c for n in frontier for c in n.children if c.dep_ in ("nmod", "obl")]
    return False


def _serves_customers(ctx: ArticleContext, trigger: Span) -> bool:
    """"ne plus servir les clients chinois": the object is the customers themselves; "suspendre ses relations
    commerciales avec Huawei": the customer is named after "avec"."""
    objects = [c for t in trigger for c in t.children if c.dep_ == "obj"]
    if any(o.lemma_.lower() in _SERVED for o in objects):
        return True
    # the parser hangs "avec X" on the object or on the verb
    partners = [t.head for o in objects for t in o.subtree if t.lower_ == "avec"] + [
        c for t in trigger for c in t.children if any(g.lower_ == "avec" for g in c.children)]
    return bool(objects) and any(m.kind == "company" for p in partners for m in ctx.mentions_at(p.i))


def _only(trigger: Span) -> bool:
    """"ne livrera ses images qu'avec un délai", "ne les vendra qu'aux polices européennes": ne … que,
    the technology still offered, on a condition or to some only."""
    head = trigger[0]
    doc = head.doc
    if not any(t.lower_ in ("ne", "n'", "n’") for t in doc[max(head.sent.start, head.i - 3):head.i]):
        return False
    for t in doc[max(head.sent.start, head.i - 2):min(head.sent.end, head.i + 12)]:
        if t.lower_ in _FULL_NEGATION:
            return False  # "ne … pas … tant que": a negation, not "ne … que"
        if t.i > head.i and t.lower_ in ("que", "qu'", "qu’") and doc[t.i - 1].lower_ not in _CONJUNCTION_HEADS \
                and t.i + 1 < len(doc) and doc[t.i + 1].pos_ in ("ADP", "DET", "NUM"):
            return True
        if t.i > head.i and t.is_punct:
            break
    return False


_FULL_NEGATION = {"pas", "jamais", "aucun", "aucune", "rien", "guère"}  # "ne … plus que": only
#: Words making "que" a conjunction ("tant que", "avant que", "bien que"), not the "que" of "ne … que".
_CONJUNCTION_HEADS = {"tant", "avant", "pour", "ce", "alors", "bien", "parce", "afin", "sans", "dès", "après",
                      "jusqu'à", "jusqu’à", "à", "ainsi", "même"}


def _sells_a_product(trigger: Span) -> bool:
    """"ne vendra plus ses casques aux employeurs", "retire son logiciel": a trade verb with an object, or an
    object that is a device or software, not any business decision."""
    for token in trigger:
        objects = [c for c in token.children if c.dep_ in ("obj", "nsubj:pass") and c.pos_ in ("NOUN", "PROPN")]
        if objects and (token.lemma_.lower() in _TRADE_VERBS or any(o.lemma_.lower() in TECH_NOUNS for o in objects)):
            return True
    return False


_ARGUMENTS = {"obl:arg", "obl", "iobj", "obj", "nmod"}
_TRADE_VERBS = {"vendre", "commercialiser", "fournir", "livrer", "exporter", "distribuer", "louer", "revendre"}


#: Nouns after "à" that are places or everybody, not particular customers ("à l'étranger", "aux nouveaux
#: utilisateurs": a withdrawal for all who come).
_NOT_RECIPIENTS = {"étranger", "pays", "monde", "marché", "échelle", "niveau", "total", "fois", "fin", "avenir",
                   "utilisateur", "client", "public", "consommateur", "particulier", "abonné", "internaute",
                   "usager", "personne", "tout"}


def _orders(trigger: Span) -> bool:
    """"ne plus accepter de publicités politiques": what it no longer accepts is customers' orders, a refusal to
    sell to them, not an offering it leaves."""
    # "n'accepterait plus, « à l'avenir », de publicité de …": the parser makes an inserted partitive a modifier
    return trigger[0].lemma_.lower() == "accepter" and any(
        t.dep_ in ("obj", "obl:arg", "obl:mod") and t.lemma_.lower() in _ORDER_NOUNS for t in trigger[0].children)


_ORDER_NOUNS = {"publicité", "annonce", "commande", "campagne", "contrat", "marché", "réclame", "spot"}
#: Nouns of the advertising a platform sells: banning it refuses advertisers' orders.
_AD_NOUNS = {"publicité", "annonce", "promotion", "réclame", "spot"}


def _bans_ads(trigger: Span) -> bool:
    """"interdire la promotion des services de …", "bannit les publicités pour …": the platform refuses to
    sell its advertising for them, a sales refusal, not a rule on what its users do."""
    return trigger[0].lemma_.lower() in ("interdire", "bannir", "proscrire") and any(
        t.dep_ in ("obj", "obl:arg") and t.lemma_.lower() in _AD_NOUNS for t in trigger[0].children)


def _as_customers(doc: Doc, window: set[int]) -> bool:
    """"n'acceptera plus comme clientes les sociétés …": the customers refused are named."""
    return any(doc[i].lower_ == "comme" and i + 1 < len(doc) and doc[i + 1].lemma_.lower() in _SERVED
               for i in window)


#: Nouns of trading a technology: "la commercialisation de …" decided by a company is about the article's one.
_TRADE_NOUNS = {"vente", "commercialisation", "fourniture", "livraison", "exportation", "distribution", "revente"}
#: Nouns of an activity on a technology: an object that may stand for the article's technology.
ACTIVITY_NOUNS = {"vente", "commercialisation", "utilisation", "usage", "développement", "déploiement", "accès",
                  "travail", "recherche", "fourniture", "livraison", "exportation", "export", "distribution",
                  "recours", "emploi", "mise", "collaboration", "participation", "partenariat", "contrat", "projet",
                  "activité", "programme", "modèle", "capacité", "option", "réseau", "base", "donnée", "caméra",
                  "drone", "arme", "image", "voix", "vidéo", "message", "messagerie", "chiffrement", "outil",
                  # what a firm offers: "suspend les essais gratuits", "bloquent les sites", "restreint le partage"
                  "essai", "offre", "service", "fonction", "fonctionnalité", "version", "application",
                  "plateforme", "produit", "équipement", "partage", "hébergement", "serveur", "site", "domaine",
                  "téléversement", "inscription", "possibilité", "opération", "commande", "importation", "protection",
                  "relation", "coopération", "échange", "approvisionnement", "affaire"}


def _other_object(ctx: ArticleContext, head: Token, products: list[str]) -> bool:
    """A verb trigger whose direct object is a thing that is not a technology ("suspendre son compte")."""
    if head.pos_ != "VERB" or products:
        return False
    objects = [c for c in head.children if c.dep_ == "obj" and c.pos_ == "NOUN" and head.i < c.i <= head.i + 3]
    if len(objects) != 1:
        return False
    obj = objects[0]
    # "coupe le robinet des essais gratuits": a figurative object stands for its complement
    lemmas = {obj.lemma_.lower()} | {c.lemma_.lower() for c in obj.children if c.dep_ == "nmod" and any(
        g.dep_ == "case" and g.lower_ in _OF_WORDS for g in c.children)}
    if lemmas & (TECH_NOUNS | ACTIVITY_NOUNS | POLICY_NOUNS | _SERVED):
        return False  # "ne plus servir les clients chinois": the customers are what is decided about
    if _every_account_of_a_country(ctx, obj):
        return False  # "désactive tous les comptes au Venezuela": it leaves that market, no user in particular
    sub = [t.i for t in obj.subtree]
    return not ctx.concepts_in(min(sub), max(sub) + 1, "tech") and not ctx.mentions_in(min(sub), max(sub) + 1)


def _every_account_closed(ctx: ArticleContext, trigger: Span) -> bool:
    """The trigger's object is every account of a place ("désactive tous les comptes au Venezuela")."""
    return any(c.dep_ == "obj" and _every_account_of_a_country(ctx, c) for t in trigger for c in t.children)


def _every_account_of_a_country(ctx: ArticleContext, obj: Token) -> bool:
    """"tous les comptes au Venezuela": every account (or user) of a place, not one user's."""
    if obj.lemma_.lower() not in _MEMBER_NOUNS or not any(
            c.lemma_.lower() == "tout" and c.dep_ in ("amod", "det", "advmod") for c in obj.children):
        return False
    return any(c.dep_ == "nmod" and (c.ent_type_ in ("LOC", "GPE") or ctx.concepts_in(c.i, c.i + 1, "juris"))
               for c in obj.children)


#: Adverbs of a negation the parser may hang a partitive object on ("ne … plus de services").
_NEGATION_ADVERBS = _NEG_CHILDREN - {"ne", "n'", "n’", "aucun", "aucune"}

#: Words of the customers a decision is about ("n'acceptera plus comme clientes les sociétés …").
_SERVED = {"client", "cliente", "clientèle"}


_INTENDED = {"destiné", "destinée", "destinés", "destinées", "conçu", "conçue", "conçus", "conçues"}


def _intended_for(doc: Doc, start: int) -> bool:
    """Users after "destinés à/aux": they describe a product, not whom the decision restricts."""
    return any(t.lower_ in _INTENDED for t in doc[max(0, start - 3):start])


_THING_PRONOUNS = {"il", "elle", "le", "la", "l'", "l’", "les", "en"}


def _pronoun_argument(doc: Doc, window: set[int]) -> bool:
    """"il est mis en sommeil", "refuser de le fournir": the thing decided about was named before."""
    return any(doc[i].pos_ == "PRON" and doc[i].lower_ in _THING_PRONOUNS and doc[i].dep_ in ("nsubj:pass", "obj")
               for i in window)


def _served(ctx: ArticleContext, window: set[int]) -> bool:
    """Users named in the clause: a decision about whom the company serves is about its technology."""
    return any(s.start in window for s in ctx.concepts_in(min(window), max(window) + 1, "users"))


_ALL_WORDS = {"tous", "toutes", "ensemble", "totalité", "chacun"}
_CUSTOMER_WORDS = {"client", "clients", "utilisateur", "utilisateurs", "clientèle", "monde", "public"}


def _everyone(doc: Doc, window: set[int]) -> bool:
    """"pour tous ses clients", "pour l'ensemble de ses utilisateurs": a decision for every customer."""
    for i in window:
        if doc[i].lower_ in _ALL_WORDS:
            following = {doc[j].lower_ for j in range(i + 1, min(len(doc), i + 4))}
            if following & _CUSTOMER_WORDS:
                return True
    return False


#: Objects that make a non-renewal the end of one engagement: the company leaves it (a withdrawal).
ENGAGEMENT_NOUNS = {"contrat", "projet", "partenariat", "collaboration", "programme"}


_RENEW = {"renouveler", "reconduire", "prolonger"}


def _ends_engagement(trigger: Span) -> bool:
    """"ne pas renouveler son contrat": an existing engagement left to expire (not "renoncer au contrat", a
    bid not made, which stays a refusal to sell to that customer)."""
    head = trigger[0]
    if head.lemma_.lower() not in _RENEW and not head.lower_.startswith(("renouvel", "recondui")):
        return False
    objects = [c for c in head.children if c.dep_ in ("obj", "obl:arg", "nmod")]
    return any(o.lemma_.lower() in ENGAGEMENT_NOUNS and o.i >= trigger.end - 1 for o in objects)


_ACTOR_NOUNS = {n for w in COMPANY_NOUNS + INTRO_NOUNS for n in (w, w + "s", w + "x")}
#: A company's rules, whose prohibitions are its decisions ("ses conditions d'utilisation interdisent …").
_RULE_NOUNS = {"règle", "condition", "charte", "directive", "protection", "règlement", "cgu"}
#: Nouns whose definite description, alone, stands for a company already named ("le spécialiste bordelais de …").
_DESCRIPTION_NOUNS = {*COMPANY_NOUNS, "opérateur", "concepteur", "courtier", "spécialiste", "développeur",
                      "équipementier", "hébergeur", "site", "réseau", "application", "registraire"}
_DEFINITE_DETS = {"le", "la", "l'", "l’", "ce", "cet", "cette"}
#: Words of organisations that are not companies (a description does not stand for them).
_NOT_COMPANY_WORDS = {"université", "école", "ministère", "parlement", "gouvernement", "conseil",
                      "commission", "autorité", "tribunal", "cour", "agence", "union"}


#: A firm's own people: what it asks them to do, it decides ("demande à ses salariés de suspendre …").
_STAFF = {"salariés", "salarié", "employés", "équipes", "personnel", "collaborateurs", "filiales", "ingénieurs",
          "vendeurs", "commerciaux", "agents", "cadres", "distributeurs", "revendeurs"}


_THEIR = {"ses", "son", "leurs", "leur"}


def _own_staff(demand: Token) -> bool:
    """The demand is addressed to the speaker's own staff ("à ses salariés", "à ses équipes")."""
    return any(c.lower_ in _STAFF and any(d.lower_ in _THEIR for d in c.children)
               for c in demand.children if c.dep_ in ("obl:arg", "obl", "iobj", "obj", "obl:mod"))


def _staff_addressed(words: Span) -> bool:
    """The words between a demand and its infinitive name the speaker's own staff ("à ses salariés")."""
    return any(t.lower_ in _STAFF for t in words) and any(t.lower_ in _THEIR for t in words)


def _previous_subject(ctx: ArticleContext, pronoun: Token) -> Mention | None:
    """"La chaîne de pharmacies … a transmis des données à Facebook. Elle a cessé …": a pronoun subject of
    a main clause continues the previous sentence's subject when that is a company of the same gender,
    not the last company named (the complement's)."""
    sent = pronoun.sent
    if pronoun.head != sent.root or sent.start == 0:
        return None
    previous = ctx.doc[sent.start - 1].sent
    subject = next((t for t in previous.root.children if t.dep_ == "nsubj"), None)
    if subject is None:
        return None
    gender = subject.morph.get("Gender")
    if gender and gender != pronoun.morph.get("Gender"):
        return None
    found = [m for m in ctx.mentions_at(subject.i) if m.kind == "company"]
    return found[0] if found else None


def _nationality(ctx: ArticleContext, span: Span) -> bool:
    """A country adjective that says where an actor is from ("le groupe français", "le norvégien Skyfjord"),
    not where a policy applies."""
    token = span[0]
    if len(span) != 1 or not token.is_lower:
        return False
    head = token.head
    if head.lower_ in _ACTOR_NOUNS or head.pos_ == "PROPN":
        return True
    near = [head.i, token.i + 1, token.i - 1]
    if any(m.kind in ("company", "ORG") for i in near if 0 <= i < len(ctx.doc) for m in ctx.mentions_at(i)):
        return True
    # "aux autorités espagnoles", "le marché chinois": the users or the market; "une unité du ministère
    # israélien": a part of them only, or anything else, says nothing of the policy's territory
    users = any(s.start <= head.i < s.end for s in ctx.concepts_in(head.sent.start, head.sent.end, "users"))
    part = head.dep_ == "nmod" and head.head.pos_ == "NOUN" and head.head.lower_ not in _ACTIVITY_HEADS
    return not ((users and not part) or head.lemma_.lower() in _PLACE_HEADS)


_PLACE_HEADS = {"marché", "territoire", "pays", "sol", "filiale", "site", "usine", "activité", "clientèle", "client"}
_ACTIVITY_HEADS = {"vente", "fourniture", "livraison", "accès", "usage", "utilisation", "exportation"}


def _hedged(trigger: Span) -> bool:
    return any(token.lemma_ in HEDGE_VERBS or (_conditional(token) and not _future_in_past(token))
               for token in _verbal_chain(trigger[0]))


_CND_ENDINGS = ("rait", "raient", "rais", "rions", "riez")
_CND_STEMS = ("aur", "ser", "pourr", "devr", "fer", "ir", "voudr", "saur", "viendr", "faudr", "tiendr", "verr")


def _conditional(token: Token) -> bool:
    """A conditional verb or auxiliary ("suspendrait", "aurait décidé"), also when the tagger reads an
    imperfect: the future stem (the infinitive, or an irregular stem) + an imperfect ending."""
    for verb in (token, *(c for c in token.children if c.dep_.startswith("aux"))):
        if "Cnd" in verb.morph.get("Mood"):
            return True
        form, lemma = verb.lower_, verb.lemma_.lower()
        if verb.pos_ in ("VERB", "AUX") and form.endswith(_CND_ENDINGS):
            stem = form[:form.rindex("r") + 1]
            if stem in (lemma, lemma[:-1]) or stem in _CND_STEMS:
                return True
    return False


def _future_in_past(token: Token) -> bool:
    """"a annoncé qu'elle n'accepterait plus": a conditional reported by a verb in the past is its future."""
    clause = next((t for t in (token, *_ancestors(token, 3)) if _that_clause(t)), None)
    if clause is None or clause.head is clause:
        return False
    verb = _reporting_verb(clause.head)
    reporting = verb.lemma_ in ANNOUNCE_VERBS or verb.lemma_ in SPEECH_VERBS or verb.lemma_ in _INFORM_VERBS
    return reporting and not _conditional(verb)


_INFORM_VERBS = {"informer", "prévenir", "notifier", "signaler", "faire", "avertir"}


def _that_clause(token: Token) -> bool:
    """A complement clause ("… qu'elle ne proposerait plus"), also when parsed as an adverbial one."""
    if token.dep_ == "ccomp":
        return True
    doc = token.doc
    return token.dep_ == "advcl" and token.head.i < token.i and any(
        t.lower_ in ("que", "qu'", "qu’") and t.pos_ in ("SCONJ", "PRON") for t in doc[token.head.i + 1:token.i])


def _reporting_verb_misparsed(subject: Token) -> Token | None:
    """The reporting verb of "X a annoncé mercredi qu'il …" when the parser read the *que* clause as a relative
    one: *que* right before the pronoun, and before it, in the same sentence, a verb of announcing with no
    other verb between."""
    doc = subject.doc
    if subject.i < 2 or doc[subject.i - 1].lower_ not in ("que", "qu'", "qu’"):
        return None
    for token in reversed(doc[subject.sent.start:subject.i - 1]):
        if token.pos_ in ("VERB", "AUX") and token.dep_ not in ("aux:tense", "aux", "aux:pass"):
            return token if token.lemma_ in ANNOUNCE_VERBS else None
    return None


def _described_mentions(ctx: ArticleContext, subject: Token) -> list[Mention]:
    """The names in a subject's description after its head word, outside its relative clauses ("Le géant de
    l'Internet Kakao, qui venait de signer avec OpenAI": Kakao, not OpenAI)."""
    relative = {t.i for r in subject.subtree if r.dep_ == "acl:relcl" for t in r.subtree}
    return [m for t in subject.subtree if t.i > subject.i and t.i not in relative for m in ctx.mentions_at(t.i)]


def _named_before_apposition(ctx: ArticleContext, subject: Token) -> Mention | None:
    """"X, la filiale de Y, a annoncé": a description in apposition to the company opening the sentence
    (the parser often makes the description the subject and hangs the name elsewhere)."""
    if subject.pos_ != "NOUN" or subject.lower_ not in _ACTOR_NOUNS:
        return None
    doc = ctx.doc
    first = subject.left_edge.i
    if first < 2 or doc[first - 1].text != ",":
        return None
    for m in ctx.mentions_at(first - 2):
        company = ctx.company_of(m) if m.kind != "PER" else None
        if company is not None and m.start == subject.sent.start:
            return company
    return None


def _reporting_verb(verb: Token) -> Token:
    """"a fait savoir que …": the verb whose subject reports the clause (*faire* of *faire savoir*)."""
    if verb.lemma_ == "savoir" and verb.head.lemma_ == "faire" and verb.head is not verb:
        return verb.head
    return verb


def _window(trigger: Span) -> tuple[set[int], Token]:
    """Token indices of the trigger's clause (its subtree; for a noun, the governing verb's subtree)."""
    head = trigger[0]
    root = head
    if head.pos_ == "NOUN" and head.dep_ in ("obj", "nsubj:pass", "obl:arg") and head.head.pos_ == "VERB":
        root = head.head
    sent = head.sent
    indices = {t.i for t in root.subtree if sent.start <= t.i < sent.end}
    for child in root.children:
        # the subject is not an argument; "puisque …", "qui …" clauses are other events
        # (a passive subject is the thing decided about: "la fonction ne sera pas proposée" keeps it)
        if child.dep_ == "nsubj" or child.dep_ in ("advcl", "acl:relcl", "parataxis"):
            indices -= {t.i for t in child.subtree}
    indices |= set(range(trigger.start, trigger.end))
    # Attachment errors are common in long noun phrases ("prolonger son moratoire sur la vente de son
    # logiciel aux forces de l'ordre"): the words after the trigger up to the clause boundary count too.
    doc = head.doc
    i = trigger.end
    while i < sent.end and doc[i].text not in _CLAUSE_END and doc[i].lower_ not in _CLAUSE_WORDS:
        indices.add(i)
        i += 1
    return indices, root


_CLAUSE_END = {",", ";", ":", "(", ")", "«", "»", '"', "“", "”", ".", "!", "?", "–", "—"}
_CLAUSE_WORDS = {"qui", "que", "qu'", "qu’", "dont", "parce", "puisque", "car", "mais", "suite", "après",
                 "depuis", "lorsque", "quand", "alors", "tandis", "selon"}


#: What a firm offers, as the object of a decision verb ("suspend les essais gratuits", "ferme l'accès").
_OFFERINGS = {"essai", "offre", "service", "fonction", "fonctionnalité", "version", "application", "accès",
              "inscription", "abonnement", "outil", "option", "vente", "commercialisation", "fourniture",
              "livraison", "exportation", "distribution", "produit", "programme", "api", "modèle", "générateur",
              "expérimentation", "test", "dispositif", "système", "déploiement", "utilisation", "usage",
              "filiale", "rubrique", "espace", "commentaire"}


#: How a decider was found when the sentence names it or speaks for it (not the nearest name).
_NAMED_DECIDERS = {"subject", "pronoun", "apposition", "speaker", "first person"}


#: What a platform suspends or removes of one user's: moderation of a person, not a decision on a technology.
_PERSONAL_OBJECTS = {"compte", "profil", "page", "message", "publication", "tweet", "post", "commentaire",
                     "photo", "vidéo", "utilisateur", "internaute", "membre", "abonné", "chaîne"}


def _personal_object(trigger: Span) -> bool:
    """The trigger's direct object is one user's account, post or person ("X suspend le compte de Y")."""
    return any(c.dep_ == "obj" and c.lemma_.lower() in _PERSONAL_OBJECTS for token in trigger for c in token.children)


#: Nouns of an agreement with a supplier.
_AGREEMENT_NOUNS = {"contrat", "contrats", "partenariat", "partenariats", "accord", "accords"}


def _contract_with_a_vendor(ctx: ArticleContext, window: set[int], deciders: list[Mention]) -> bool:
    """"la suspension de son contrat avec l'entreprise": an agreement with another company (named or
    described) in the clause, whose business is the article's technology."""
    doc = ctx.doc
    own = {m.key for m in deciders}
    for i in sorted(window):
        if doc[i].lower_ in _AGREEMENT_NOUNS and i + 1 < len(doc) and doc[i + 1].lower_ == "avec":
            partners = [ctx.company_of(m) for j in range(i + 2, min(i + 6, len(doc))) for m in ctx.mentions_at(j)]
            if any(p is not None and p.key not in own for p in partners):
                return True
    return False


def _stops_an_offering(trigger: Span) -> bool:
    """The trigger's object (or the noun right after an inserted phrase) is one of the firm's offerings;
    "renonçait à développer Quayside": a named project of its own, the object of its infinitive."""
    doc = trigger.doc
    verbs = [*trigger, *(t for token in trigger for t in token.children
                         if t.dep_ in ("xcomp", "obl:arg") and t.pos_ == "VERB")]
    if any(t.dep_ == "obj" and t.pos_ == "PROPN" for verb in verbs[len(trigger):] for t in verb.children):
        return True
    objects = [t for token in verbs for t in token.children if t.dep_ == "obj" and t.pos_ == "NOUN"]
    if not objects:
        j = _after_insertion(trigger)
        if j is not None and doc[j].pos_ == "DET":
            objects = [doc[k] for k in range(j + 1, min(j + 4, len(doc))) if doc[k].pos_ == "NOUN"][:1]
    return any(o.lemma_.lower() in _OFFERINGS for o in objects)


def _after_insertion(trigger: Span) -> int | None:
    """The token after a verb trigger, its negation's second word and a phrase set off by commas."""
    doc = trigger.doc
    j = trigger.end
    while j < len(doc) and doc[j].lower_ in ("plus", "pas", "jamais", "désormais", "donc", "aussi"):
        j += 1
    if j < len(doc) and doc[j].text == ",":
        close = next((k for k in range(j + 1, min(j + 10, len(doc))) if doc[k].text == ","), None)
        if close is None:
            return None
        j = close + 1
    return j if j < len(doc) else None


def _finite_form(token: Token) -> bool:
    """A verb tagged as a participle whose form is not one ("Civitai bannit", "X bloque"): headlines misparse."""
    text, lemma = token.lower_, token.lemma_.lower()
    if lemma.endswith("er"):
        return text == lemma[:-2] + "e" or text == lemma[:-2] + "ent"
    if lemma.endswith("ir"):
        return text in (lemma[:-2] + "it", lemma[:-2] + "issent")
    return False


def _object_after_insertion(trigger: Span) -> bool:
    """"a suspendu, mardi 28 mars, les essais gratuits": a verb's object after an inserted phrase, which the
    parser often hangs elsewhere (the object is a determiner and a noun right after the insertion)."""
    doc = trigger.doc
    if trigger[-1].pos_ not in ("VERB", "AUX"):
        return False
    j = _after_insertion(trigger)
    if j is None or doc[j].pos_ != "DET" or doc[j].lower_ in ("à", "au", "aux"):
        return False
    return any(doc[k].pos_ == "NOUN" for k in range(j + 1, min(j + 4, len(doc))))


#: Nouns of adverbial phrases the parser takes for subjects: "de son côté", "pour sa part", "à son tour".
_ADVERBIAL_NOUNS = {"côté", "part", "tour"}


def _subjects(verb: Token) -> list[Token]:
    """A verb's subjects; "Le géant X, …, a de son côté interdit": not "côté", and the subject the parser
    hung on the auxiliary."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubj:pass")]
    real = [s for s in subjects if not (s.lower_ in _ADVERBIAL_NOUNS and any(
        c.dep_ == "det" and "Poss=Yes" in str(c.morph) for c in s.children))]
    if subjects and not real:
        real = [c for aux in verb.children if aux.dep_.startswith("aux") for c in aux.children
                if c.dep_ in ("nsubj", "nsubj:pass")]
        return real or subjects
    return real


#: What laws ban or allow, not what firms sell: "l'avortement est désormais interdit dans plusieurs États".
_LAWFUL_ACTS = {"avortement", "mariage", "manifestation", "rassemblement", "grève", "euthanasie", "contraception"}


def _a_right_banned(ctx: ArticleContext, subjects: list[Token]) -> bool:
    """The passive's subject is an act a law bans or allows, with no product or technology of its own."""
    return any(s.lemma_.lower() in _LAWFUL_ACTS and not ctx.concepts_in(s.left_edge.i, s.right_edge.i + 1, "tech")
               and not ctx.mentions_in(s.left_edge.i, s.right_edge.i + 1) for s in subjects)


def _listed_after_comma(ctx: ArticleContext, mentions: list[Mention]) -> bool:
    """Names set off by a comma after a plural description: its members, not its complement."""
    first = min(m.start for m in mentions)
    return first > 0 and ctx.doc[first - 1].text == ","


def _uncut_start(doc: Doc, sent: Span) -> int:
    """Where the sentence really starts: the parser sometimes ends one inside an inserted clause, and the next
    opens on its closing comma ("L'israélien Cellebrite, dont les boîtiers …saisis | , ne vendra plus …"), or
    on a lower-case word after a name it cut off ("Facebook | serre la vis sur sa messagerie")."""
    if sent.start == 0:
        return 0
    first, previous = doc[sent.start], doc[sent.start - 1].sent
    if first.text == ",":
        return previous.start
    name = [t for t in previous if not t.is_space]
    if first.is_alpha and first.is_lower and 0 < len(name) <= 3 and all(t.text[:1].isupper() for t in name):
        return previous.start  # only a name was cut off, not a clause whose object is named
    return sent.start


def _opens(doc: Doc, start: int, m: Mention) -> bool:
    """The name opens the sentence, after a determiner and a word or two of description at most ("L'israélien
    Cellebrite", "Le géant Kakao"; not "Selon Cellebrite")."""
    before = doc[start:m.start]
    return len(before) <= 3 and all(t.pos_ == "DET" or (t.is_lower and t.pos_ in ("ADJ", "NOUN")) for t in before)


class PolicyReader:
    """Reads policy candidates from an article context (one instance per process)."""

    def __init__(self, nlp: Language) -> None:
        self.dates = build_matcher(nlp.vocab)

    # -------------------------------------------------------- deciders

    def deciders(self, ctx: ArticleContext, trigger: Span) -> tuple[list[Mention], bool, str]:
        """Companies deciding the trigger, whether the statement is collective, and how they were found."""
        head = trigger[0]
        for token in _verbal_chain(head):
            subjects = _subjects(token)
            if subjects:
                # Two subjects happen when the parser swallows a clause ("et que le Congrès semblant
                # prêt …, l'entreprise mettait …"): the one nearest to the verb first.
                for subject in sorted(subjects, key=lambda t: abs(token.i - t.i)):
                    found, how = self.resolve_subject(ctx, subject)
                    if found is not None and how == "apposition":
                        # "Dans une lettre, A, B et C promettent": the parser hangs the list on "lettre"
                        chain = self._names_before_verb(ctx, token)
                        if len(chain) > len(found) and {m.key for m in found} <= {m.key for m in chain}:
                            found = chain
                    if found is not None:
                        collective = len(found) > 1 or any(m.collective for m in found) or how == "plural pronoun"
                        return found, collective, how
                # "Dans une lettre, A, B et C promettent de …" misparsed: the names right before the verb
                chain = self._names_before_verb(ctx, token)
                if chain:
                    return chain, len(chain) > 1, "preverbal names"
                # "X a annoncé que la reconnaissance faciale serait désactivée": the reporting clause's subject
                reported = self._reporter(ctx, token)
                if reported:
                    return reported, len(reported) > 1, "reported"
                # A passive sentence about a thing ("La fonction ne sera pas proposée en Europe"): the
                # company is the agent ("par X") or the one the text is talking about.
                if any(c.dep_ == "nsubj:pass" or c.dep_.startswith("aux:pass")
                       for verb in (token, head) for c in verb.children) and not _a_right_banned(ctx, subjects):
                    company = ctx.last_before(token.i, {"company"}, limit=80)
                    if company is not None:
                        return [company], company.collective, "passive"
                return [], False, "non-actor subject"
            if not _climbs(token):
                break
        # No subject: a noun's possessor or complement, the quote's speaker, the nearest company.
        if head.pos_ == "NOUN":
            # "le moratoire d'Amazon", "la pause de la reconnaissance faciale d'Amazon", "… annoncée par X"
            sent = head.sent  # once: Token.sent scans the sentence, so per token it made this cubic
            inside = [m for t in head.subtree if t.i != head.i and sent.start <= t.i < sent.end
                      and t.dep_ not in ("acl:relcl",) for m in ctx.mentions_at(t.i)]
            companies = self._companies(ctx, [m for m in inside if m.kind != "PER"])
            if companies:
                return companies[:1], False, "complement"
            det = next((c for c in head.children if c.dep_ == "det" and "Poss=Yes" in str(c.morph)), None)
            if det is not None and det.lower_ in ("leur", "leurs"):
                return [], False, "plural possessive"
        quote = ctx.quote_at(head.i)
        if quote is not None:
            company = ctx.company_of(quote.speaker)
            return ([company], False, "speaker") if company else ([], False, "quote")
        sent = head.sent
        start = _uncut_start(ctx.doc, sent)
        for m in reversed(ctx.mentions_in(start, head.i)):
            company = ctx.company_of(m)
            if company is not None:
                chain = self._chain_before(ctx, m.end) if m.kind != "PER" else [company]
                chain = chain or [company]
                # "Midjourney coupe le robinet": a name right before the verb is its subject, misparsed
                adjacent = m.end == head.i and m.kind != "PER" and (
                    head.pos_ in ("VERB", "AUX") or (head.is_lower and head.pos_ in ("PROPN", "ADJ")))
                # "Muslim Pro, qui …, a annoncé avoir mis fin à …": the name opening the sentence is its subject
                opening = _opens(ctx.doc, start, m) and m.kind != "PER" and head.pos_ in ("VERB", "AUX")
                how = "preverbal names" if adjacent else "sentence subject" if opening else "nearest"
                return chain, m.collective or len(chain) > 1, how
        det = next((c for c in head.children if c.dep_ == "det" and "Poss=Yes" in str(c.morph)), None)
        if det is not None:
            company = ctx.last_before(head.i, {"company"})
            if company is not None:
                return [company], company.collective, "possessive"
        return [], False, "none"

    def _turn_of(self, ctx: ArticleContext, trigger: Span) -> list[Mention]:
        """"c'est au tour d'Apple de fermer la porte": the company whose turn it is decides the infinitive."""
        doc = ctx.doc
        j = trigger.start - 1
        if j < 4 or doc[j].lower_ not in ("de", "d'", "d’"):
            return []
        mentions = ctx.mentions_at(j - 1)
        if not mentions:
            return []
        start = min(m.start for m in mentions)
        if start < 3 or doc[start - 1].lower_ not in ("de", "d'", "d’") or doc[start - 2].lower_ != "tour" \
                or doc[start - 3].lower_ != "au":
            return []
        return self._companies(ctx, mentions)

    def _reporter(self, ctx: ArticleContext, verb: Token) -> list[Mention]:
        """Companies reporting a clause ("X a annoncé que …", "…, indique l'entreprise")."""
        if verb.dep_ not in ("ccomp", "parataxis") or verb.head is verb:
            # "La vente … sera arrêtée le 1er septembre, a indiqué la société": the reporting verb follows,
            # inverted, as a dependent of the clause it reports
            doc = verb.doc
            for child in verb.children:
                if child.i <= verb.i or child.dep_ not in ("parataxis", "ccomp", "conj") or not (
                        child.lemma_ in ANNOUNCE_VERBS or child.lemma_ in SPEECH_VERBS):
                    continue
                j = child.i - 1
                while j > verb.i and doc[j].pos_ == "AUX":
                    j -= 1
                if doc[j].text not in (",", "»", "”"):
                    continue  # an inverted reporting clause comes after a comma or a quote
                for subject in (c for c in child.children if c.dep_ == "nsubj" and c.i > child.i):
                    found, _how = self.resolve_subject(ctx, subject)
                    if found:
                        return found
            return []
        head = _reporting_verb(verb.head)
        if head.lemma_ not in ANNOUNCE_VERBS and head.lemma_ not in SPEECH_VERBS and head.lemma_ != "faire":
            return []
        for subject in (c for c in head.children if c.dep_ == "nsubj"):
            found, _how = self.resolve_subject(ctx, subject)
            if found:
                return found
        return []

    def _companies(self, ctx: ArticleContext, mentions: list[Mention], institutions: bool = False) -> list[Mention]:
        """The companies ``mentions`` stand for; with ``institutions``, the universities, schools and hospitals
        too (as the subject of a decision only: elsewhere they are shareholders, places, affiliations)."""
        out = []
        for m in mentions:
            company = ctx.company_of(m)
            if company is None and institutions and m.kind == "ORG" and first_word(m.text) in DECIDING_INSTITUTIONS \
                    and m.key not in ctx.campaigning:
                company = m  # "l'université Vanderbilt désactive le détecteur": a customer deciding its own use
            if company is not None and company.key not in {c.key for c in out}:
                out.append(company)
        return out

    def _named_before_description(self, ctx: ArticleContext, subject: Token) -> list[Mention]:
        """"Nothing, la marque de smartphones …, a retiré": the parser takes the description for the subject and
        hangs the sentence's opening name elsewhere; the name set off by a comma before it is the company."""
        left = subject.left_edge.i
        if subject.pos_ != "NOUN" or left < 2 or ctx.doc[left - 1].text != ",":
            return []
        named = [m for m in self._companies(ctx, ctx.mentions_at(left - 2)) if not m.anaphor]
        sent_start = subject.sent.start
        return named if len(named) == 1 and all(m.start == sent_start for m in named) else []

    def _named_before_cut(self, ctx: ArticleContext, subject: Token) -> list[Mention]:
        """"La National Australia Bank (NAB) | , l'une des quatre grandes banques du pays, a cessé …": the parser
        ends a sentence after a parenthesis, and the next opens on the comma of the apposition that is now the
        subject; the company is the name that ended the previous one."""
        doc = ctx.doc
        sent = subject.sent
        if doc[sent.start].text != "," or subject.i - sent.start > 4 or subject.pos_ not in ("NOUN", "PRON", "NUM"):
            return []
        j = sent.start - 1
        if j > 2 and doc[j].text == ")" and doc[j - 2].text == "(":
            j -= 3  # "(NAB)"
        named = [m for m in self._companies(ctx, ctx.mentions_at(j)) if not m.anaphor] if j >= 0 else []
        return named if len(named) == 1 else []

    def _rules_owner(self, ctx: ArticleContext, subject: Token) -> list[Mention]:
        """The company whose rules are the subject: "les conditions d'utilisation de Twitter interdisent", "AWS a
        annoncé de nouvelles protections, qui interdisent désormais …" (a possessive alone says too little:
        "X rappelle que ses conditions interdisent depuis toujours …" recalls, and names no one)."""
        noun = subject
        if subject.lower_ == "qui" and subject.head.dep_ == "acl:relcl":
            noun = subject.head.head
        if noun.lemma_.lower() not in _RULE_NOUNS or noun.pos_ != "NOUN":
            return []
        for child in noun.children:  # "les règles de la plateforme X", "les conditions d'utilisation de X"
            if child.dep_ == "nmod":
                for t in [child, *(c for c in child.children if c.dep_ == "nmod")]:
                    named = self._companies(ctx, ctx.mentions_at(t.i))
                    if named:
                        return named
        if noun is not subject:
            # "… a annoncé de nouvelles protections pour son réseau, qui interdisent": the clause's subject
            matrix = [c for c in noun.head.children if c.dep_ == "nsubj"] if noun.head is not noun else []
            return [m for subj in matrix for m in self._companies(ctx, ctx.mentions_at(subj.i))]
        return []

    def resolve_subject(self, ctx: ArticleContext, subject: Token) -> tuple[list[Mention] | None, str]:
        """Companies a subject stands for; ``None`` when it is explicitly something else."""
        doc = ctx.doc
        direct = self._companies(ctx, ctx.mentions_at(subject.i), institutions=True)
        if direct and all(m.anaphor for m in direct):
            # "Le géant de l'Internet Kakao, qui …": a description that names its company is no anaphor
            named = self._companies(ctx, [m for m in _described_mentions(ctx, subject) if not m.anaphor])
            if len(named) == 1:
                return named, "apposition"
        if direct:
            for conj in subject.children:
                if conj.dep_ == "conj":
                    for extra in self._companies(ctx, ctx.mentions_at(conj.i)):
                        if extra.key not in {c.key for c in direct}:
                            direct.append(extra)
            # "A, B et C ont annoncé": coordinated names left of the subject head
            direct += [c for c in self._chain_before(ctx, subject.i) if c.key not in {d.key for d in direct}]
            return direct, "subject"
        if ctx.mentions_at(subject.i):
            return None, "non-company actor"
        institution = _institution_anaphor(ctx, subject)
        if institution is not None:
            return [institution], "institution"
        named = self._named_before_description(ctx, subject) or self._named_before_cut(ctx, subject)
        if named:
            return named, "apposition"
        owner = self._rules_owner(ctx, subject)
        if owner:
            return owner, "rules"
        if subject.lower_ == "qui" or (subject.dep_ == "nsubj" and subject.lower_ in ("lequel", "laquelle")):
            chain = self._chain_before(ctx, subject.i)
            return (chain or None), "relative"
        if is_first_person(subject):
            company = ctx.first_person_company(subject.i)
            return ([company] if company else None), "first person"
        if subject.lower_ in ("il", "elle", "ils", "elles"):
            # "X a annoncé qu'elle suspendait …": the pronoun is the reporting clause's subject.
            clause = subject.head
            if clause.dep_ == "conj" and (clause.head.dep_ in ("ccomp", "xcomp") or _that_clause(clause.head)):
                clause = clause.head  # "a annoncé qu'elle mettait fin à … et qu'elle ne transmettrait plus …"
            if (clause.dep_ in ("ccomp", "xcomp") or _that_clause(clause)) and clause.head is not clause:
                verb = clause.head
                matrix = [c for c in verb.children if c.dep_ in ("nsubj", "nsubj:pass")]
                named = [m for subj in matrix for m in [_named_before_apposition(ctx, subj)] if m is not None]
                if named:  # "Sidewalk Labs, la filiale d'urbanisme d'Alphabet, a annoncé qu'elle …"
                    return named, "pronoun"
                institution = next((m for subj in matrix for m in [_institution_anaphor(ctx, subj)] if m), None)
                if institution is not None:  # "L'établissement a annoncé qu'il renonçait …"
                    return [institution], "pronoun"
                if matrix:  # not in a relative clause: "L'entreprise, qui a fusionné avec X, a indiqué qu'elle …"
                    # not in a relative clause, nor in an apposition describing a named subject ("Sidewalk
                    # Labs, la filiale d'urbanisme d'Alphabet, a annoncé qu'elle …")
                    relative = {t.i for subj in matrix for r in subj.subtree
                                if r.dep_ == "acl:relcl" or (r.dep_ == "appos" and r.head is subj
                                                             and ctx.mentions_at(subj.i))
                                for t in r.subtree}
                    inside = [m for subj in matrix for t in subj.subtree if t.i not in relative
                              for m in ctx.mentions_at(t.i)]
                else:  # subject misparsed: the names before the reporting verb
                    inside = ctx.mentions_in(verb.sent.start, verb.i)
                companies = self._companies(ctx, inside, institutions=True)
                if companies:
                    plural = subject.lower_ in ("ils", "elles")
                    return companies, "plural pronoun" if plural else "pronoun"
                # "Cruise a annoncé qu'elle suspendait …" where the NER saw no name: the reporter is the decider
                unknown = next((u for subj in matrix for u in [_unknown_name(ctx, subj)] if u is not None), None)
                if unknown is not None and subject.lower_ in ("il", "elle"):
                    ctx.add_mention(unknown)
                    return [unknown], "unknown name"
            reporting = _reporting_verb_misparsed(subject)
            if reporting is not None:
                # "Google, Mozilla et Apple ont annoncé mercredi qu'ils bloqueraient …" parsed as a relative
                # clause of "Google": the names before the reporting verb
                companies = self._companies(ctx, ctx.mentions_in(reporting.sent.start, reporting.i))
                if companies and (subject.lower_ in ("ils", "elles") or len(companies) == 1):
                    return companies, "plural pronoun" if subject.lower_ in ("ils", "elles") else "pronoun"
            if subject.lower_ in ("ils", "elles"):
                return None, "plural pronoun"
            company = _previous_subject(ctx, subject) or ctx.last_before(subject.i, {"company"}, limit=120)
            return ([company] if company else None), "pronoun"
        # "La société IBM": a description followed by the name.
        nxt = subject.i + 1
        while nxt < len(doc) - 1 and doc[nxt].pos_ == "ADJ" and doc[nxt].is_lower:
            nxt += 1  # "la jeune pousse lyonnaise Veltrix"
        if nxt < len(doc):
            companies = self._companies(ctx, ctx.mentions_at(nxt))
            if companies and subject.pos_ == "NOUN":
                return companies, "apposition"
        for child in subject.children:
            if child.dep_ in ("appos", "flat:name"):
                companies = self._companies(ctx, ctx.mentions_at(child.i))
                if companies:
                    # "Les opérateurs du pays, Orange, SFR et Bouygues Telecom, ont …": the listed names too
                    for conj in (c for c in child.children if c.dep_ == "conj"):
                        companies += [m for m in self._companies(ctx, ctx.mentions_at(conj.i))
                                      if m.key not in {c.key for c in companies}]
                    return companies, "apposition"
        if subject.lower_ in _ACTOR_NOUNS:
            # "La société d'Utrecht Prognosa abandonne": the name inside the description (not in a relative)
            inside = _described_mentions(ctx, subject)
            companies = self._companies(ctx, inside)
            if len(companies) == 1:
                return companies, "apposition"
            if len(companies) > 1 and "Number=Plur" in str(subject.morph) and _listed_after_comma(ctx, inside):
                # "Les trois principaux fournisseurs d'accès du pays, Telstra, Optus et Vodafone, ont …"
                return companies, "apposition"
            if not inside and subject.lower_ in _DESCRIPTION_NOUNS and any(
                    c.dep_ == "det" and c.lower_ in _DEFINITE_DETS for c in subject.children):
                # "Le spécialiste montréalais de la traduction automatique a fait savoir …": a definite
                # description with no name stands for the organisation named last
                company = self._named_last(ctx, subject.i)
                if company is not None:
                    return [company], "description"
        unknown = _unknown_name(ctx, subject)
        if unknown is not None:
            ctx.add_mention(unknown)
            return [unknown], "unknown name"
        return None, "other"

    def _named_last(self, ctx: ArticleContext, i: int, limit: int = 150) -> Mention | None:
        """The last organisation named before token ``i`` that can be a company (not a person's name)."""
        for m in reversed(ctx.mentions_in(max(0, i - limit), i)):
            if m.kind in ("PER", "advocate", "legislature", "product"):
                continue
            if first_word(m.text) in INSTITUTION_WORDS or any(w.lower() in _NOT_COMPANY_WORDS for w in m.text.split()):
                continue
            company = ctx.company_of(m)
            if company is not None:
                return company
        return None

    def _names_before_verb(self, ctx: ArticleContext, verb: Token) -> list[Mention]:
        """Companies coordinated right before a finite verb group (its subject in French word order)."""
        doc = ctx.doc
        i = verb.i
        while i > verb.sent.start and (doc[i - 1].pos_ == "AUX" or doc[i - 1].lower_ in _PREVERBAL):
            i -= 1
        if i == 0 or not ctx.mentions_at(i - 1):
            return []
        return self._chain_before(ctx, i)

    def _chain_before(self, ctx: ArticleContext, i: int) -> list[Mention]:
        """Companies coordinated immediately before token ``i``: "IBM ainsi qu'Amazon qui"."""
        doc = ctx.doc
        out: list[Mention] = []
        j = i - 1
        while j >= 0:
            token = doc[j]
            if token.is_space or token.text in (",",) or token.lower_ in ("et", "ou", "ainsi", "qu'", "qu’", "que"):
                j -= 1
                continue
            found = self._companies(ctx, ctx.mentions_at(j))
            if not found:
                break
            out.extend(c for c in found if c.key not in {o.key for o in out})
            j = min(m.start for m in ctx.mentions_at(j)) - 1
        return list(reversed(out))

    # -------------------------------------------------------- arguments

    def read(self, ctx: ArticleContext) -> list[PolicyCandidate]:
        """All policy candidates of the article, in text order."""
        doc = ctx.doc
        matches = self.dates(doc, as_spans=True)
        dates = _dated(matches)
        durations = [m for m in matches if m.label_ == "DURATION"]
        dominant = ctx.dominant_technology()
        out: list[PolicyCandidate] = []
        triggers = list(doc.spans.get(TRIGGER_SPANS, []))
        lifted = _lifted(triggers)
        for trigger in triggers:
            ptype, _, neg = trigger.label_.partition("|")
            cancelled = "lifted" if trigger.start in lifted else _cancelled(trigger, bool(neg), ctx.text)
            if cancelled:
                _dropped(trigger, cancelled)
                continue
            window, _root = _window(trigger)
            sent = trigger.sent
            technology, products = self._technology(ctx, trigger, window, sent, dominant)
            turn = self._turn_of(ctx, trigger)
            if turn and technology is None and dominant is not None:
                # "Après Google, c'est au tour d'Apple de fermer la porte": the same decision as the one before,
                # on the article's technology, whatever the idiom's object
                technology = dominant
            own_object = technology is not None or self._decides_something(ctx, trigger, products)
            if not own_object and not _in_title(ctx, sent):
                _dropped(trigger, "no technology and no object of its own")
                continue
            companies, collective, how = (turn, len(turn) > 1, "turn") if turn else self.deciders(ctx, trigger)
            if not companies:
                _dropped(trigger, f"no deciding company ({how})")
                continue
            if not own_object and (how not in _NAMED_DECIDERS or _personal_object(trigger)):
                # the title's named firm doing something to a thing the vocabulary does not know ("Meta
                # débranche la réalité augmentée au Texas"): its decision; an account or a post is not one
                _dropped(trigger, f"no technology and no object of its own (decider {how})")
                continue
            if technology is None and dominant is not None and how in _FIRM_DECIDERS \
                    and _contract_with_a_vendor(ctx, window, companies):
                technology = dominant  # "la suspension de son propre contrat avec l'entreprise": its vendor's
            if technology is None:
                # A company plainly deciding about a thing the sentence names without the vocabulary's words
                # ("OpenAI met en pause les vidéos de …"): the article's technology, or one not yet listed.
                # Only in the title and lead, which state the decision the article reports (further down, a
                # verb without a technology is as often about contracts, accounts or staff, unless the contract
                # is with a vendor, above).
                firm = how in _FIRM_DECIDERS or (how == "nearest" and sent.start == 0)
                # further down, a named company plainly stopping one of its offerings still decides
                # ("Midjourney a suspendu, mardi 28 mars, les essais gratuits")
                offering = how in _NAMED_DECIDERS and (
                    _stops_an_offering(trigger) or _every_account_closed(ctx, trigger))
                if not firm or not (_in_lead(ctx, sent) or offering):
                    _dropped(trigger, f"no technology, decider {how}, firm {firm}")
                    continue
                # the title's named firm doing something to a thing of its own ("Experian tire un trait sur la
                # notation de crédit"): a decision, whatever the thing
                headline = _in_title(ctx, sent) and how in _NAMED_DECIDERS
                technology = dominant or (OTHER_TECHNOLOGY if headline or _sells_a_product(trigger)
                                          or _to_recipients(trigger) or _serves_customers(ctx, trigger)
                                          or _orders(trigger) or _bans_ads(trigger)
                                          or _leaves_a_market(ctx, trigger, window) else None)
                if technology is None:
                    _dropped(trigger, "no technology in the article")
                    continue  # "Amazon a suspendu la livraison de colis": a decision, but on no technology
            hedged = _hedged(trigger)
            users = []
            previous_end = -10
            for span in ctx.concepts:
                if span.label_.startswith("users:") and span.start in window:
                    between = {t.lower_ for t in doc[previous_end:span.start]} if previous_end >= 0 else {""}
                    previous_end = span.end
                    if between and between <= _OF_WORDS:
                        if users and users[-1] == "government" and span.label_ in _SPECIFIC_USERS:
                            users[-1] = span.label_.split(":", 1)[1]  # "agences fédérales de police": police
                        continue  # "services de police de l'État": a complement, not a second group
                    if _intended_for(doc, span.start):
                        continue  # "son projet de drones destinés aux écoles": the product's market
                    slug = span.label_.split(":", 1)[1]
                    if slug not in users:
                        users.append(slug)
            if not own_object:
                users = []  # "Kick bannit les co-streamers, … dans le viseur du gouvernement": not whom it serves
            if users and _everyone(doc, window):
                users = []  # "pour tous ses clients, y compris la police": nobody in particular
            if users and ptype == "withdrawal" and _quits_a_country(ctx, trigger):
                users = []  # "quitte l'Australie après des pressions de la police": the police are the cause
            jurisdiction = next((s.label_.split(":", 1)[1] for s in ctx.concepts
                                 if s.start in window and _territory(ctx, s)), None)
            duration = None
            for span in durations:
                adjacent = trigger.start <= span.start <= trigger.end + 2
                # "un contrat estimé à 10 milliards sur dix ans": "sur"/"de" + a duration far from the trigger
                # measures something else
                if adjacent or (span.start in window and span[0].lower_ not in _NOUN_DURATION_PREPS
                                and not _in_other_clause(span, trigger)):
                    duration = duration_of(span)
                    break
            open_ended = any(doc[i].lower_ in _OPEN_ENDED for i in window)
            if open_ended:
                duration = None
            announced = self._date(ctx, sent, dates, trigger)
            news = _in_lead(ctx, sent) and not _pluperfect(trigger[0])
            condition, awaits, cond_juris = self.condition(ctx, sent, window)
            # "… donnera au Congrès suffisamment de temps pour mettre en œuvre des règles"
            awaits = awaits or self.awaited_legislature(ctx, sent)
            jurisdiction = jurisdiction or cond_juris
            # Type from the vocabulary definitions: a time-limited refusal is a moratorium; a
            # withdrawal for some users only is a refusal to sell to them.
            text = ctx.span_text(sent)
            temporary = duration or any(doc[i].lower_ in _TEMPORARY for i in window) or _for_the_time_of(doc, trigger) \
                or (not neg and bool(_FOR_NOW.search(text))) or bool(_UNTIL_FURTHER_NOTICE.search(text))
            if temporary and ptype in ("sales-refusal", "withdrawal"):
                ptype = "moratorium"
            if ptype in ("sales-refusal", "withdrawal") and _ends_engagement(trigger) and (
                    not users or any(doc[i].lemma_.lower() in _PROJECT_NOUNS for i in window)):
                ptype = "withdrawal"  # "ne renouvellera pas son contrat … pour le projet Maven": it leaves it
            elif ptype == "withdrawal" and users and _ends_engagement(trigger):
                ptype = "sales-refusal"  # "… avec l'ICE et le CBP": it stops providing to those customers
            elif ptype == "withdrawal" and users:
                ptype = "sales-refusal"
            elif ptype in ("sales-refusal", "withdrawal") and (_PERMITTED_IF.search(ctx.span_text(sent))
                                                               or _only(trigger) or _to_own_staff(trigger)):
                ptype = "restriction"  # "interdit … sauf si l'artiste l'a autorisée": allowed under a condition
            elif ptype == "sales-refusal" and not users and not _bans_ads(trigger) and (
                    _bans_content(trigger, technology) or _forbids_a_use(trigger) or how == "rules"):
                ptype = "restriction"  # "ses conditions d'utilisation interdisent …": what users may do with it
            elif ptype in ("sales-refusal", "withdrawal") and not users and (_closes_to(trigger)
                                                                              or _hidden_from_view(trigger)):
                ptype = "restriction"  # "ferme sa banque d'images aux créations des IA": closed to some only
            elif ptype == "withdrawal" and not users and _removes_posted_content(trigger):
                ptype = "restriction"  # "supprime les deepfakes": users' posts of a kind, not an offering of its own
            elif ptype == "withdrawal" and _by_default(doc, trigger, window):
                ptype = "restriction"  # "désactive par défaut": still offered, on request only
            elif ptype == "sales-refusal" and not users and _stops(trigger) and not _territorial(ctx, window) \
                    and not _as_customers(doc, window) and not _to_recipients(trigger) and not _orders(trigger):
                ptype = "withdrawal"  # "n'offrira plus", "cesse de vendre" to anyone: it leaves the market
            confidence = 0.9 if how in ("subject", "speaker", "first person", "apposition", "relative") else 0.75
            if collective:
                confidence = 0.6
            if hedged:
                confidence = min(confidence, 0.5)
            for company in companies:
                out.append(PolicyCandidate(
                    company=company, type=ptype, technology=technology, sentence=sent, trigger=trigger,
                    products=products, restricted_users=list(users), jurisdiction=jurisdiction,
                    duration=duration, announced=announced, condition=condition, awaits_legislature=awaits,
                    strong=not (collective or hedged), confidence=confidence, open_ended=open_ended,
                    news=news,
                    evidence=[ctx.evidence(sent, EXTRACTOR, confidence)],
                ))
        return out

    def _decides_something(self, ctx: ArticleContext, trigger: Span, products: list[str]) -> bool:
        """The trigger has an object of its own (a noun or a product), not another thing's ("son compte")."""
        trades = any(t.lemma_.lower() in _TRADE_VERBS for t in trigger)  # what one sells is a product
        if len(trigger) == 1 and not trades and _other_object(ctx, trigger[0], products):
            return False
        # "ne fournira plus de services": the parser hangs the object on the negation's "plus"
        children = [t for token in trigger for c in token.children
                    for t in ([c, *c.children] if c.lower_ in _NEGATION_ADVERBS else [c])]
        return bool(products) or any(
            t.pos_ in ("NOUN", "PROPN") and t.dep_ in ("obj", "obl:arg", "obl", "nmod", "nsubj:pass")
            for t in children) or trigger[-1].pos_ == "NOUN" \
            or _object_after_insertion(trigger) or any(
            # "renonce à entraîner son IA avec …": an infinitive that has an object of its own
            t.pos_ == "VERB" and t.dep_ in ("xcomp", "obl:arg", "ccomp") and any(
                o.dep_ == "obj" and o.pos_ in ("NOUN", "PROPN") for o in t.children)
            for token in trigger for t in token.children)

    def _technology(self, ctx: ArticleContext, trigger: Span, window: set[int], sent: Span,
                    dominant: str | None) -> tuple[str | None, list[str]]:
        products = []
        for m in ctx.mentions_in(sent.start, sent.end, {"product"}):
            if m.start in window and m.key not in products:
                products.append(m.key)
        if len(trigger) == 1 and _other_object(ctx, trigger[0], products):
            return None, products  # "Twitter a suspendu son compte": the decision is about something else
        techs = [s for s in ctx.concepts_in(sent.start, sent.end, "tech")]
        in_window = [s for s in techs if s.start in window]
        specific = [s for s in in_window if s.label_ != "tech:surveillance"]
        if specific:
            # "équiper les caméras-piétons … avec sa reconnaissance faciale": the article's technology first
            labels = [s.label_.split(":", 1)[1] for s in specific]
            return (dominant if dominant in labels else labels[0]), products
        lex = load_lexicons()
        for key in products:
            entry = lex.entries.get(("product", key))
            if entry is not None and entry.technology:
                return entry.technology, products
        demonstrative = ("ce", "cet", "cette")
        nouns = [t for t in trigger if t.pos_ == "NOUN"]  # "reconduit sa suspension": the label's noun
        if dominant and any(c.dep_ == "det" and (c.lower_ in demonstrative or "Poss=Yes" in c.morph)
                            for noun in nouns for c in noun.children):
            return dominant, products  # "ce moratoire", "leur moratoire": the decision the article is about
        if in_window and dominant in (None, "surveillance"):
            return "surveillance", products  # the generic technology only when nothing more specific
        about = in_window or products or any(ctx.doc[i].lemma_.lower() in TECH_NOUNS | _SERVED | _TRADE_NOUNS
                                             for i in window)
        if (about or _served(ctx, window) or _pronoun_argument(ctx.doc, window)) and dominant:
            return dominant, products
        near = [s for s in techs if s.label_ != "tech:surveillance"]
        if near:
            return near[0].label_.split(":", 1)[1], products
        return None, products

    def news_day(self, ctx: ArticleContext, days: int = 6) -> str | None:
        """The latest day the title or lead dates within the ``days`` before a day-precise date line ("a annoncé
        lundi 3 décembre" in an article of 4 December): the day of the news the article reports, whatever
        sentence or subject carries it; not a day a decision takes effect."""
        published = ctx.document.date
        if not published or len(published) != 10:
            return None
        latest = dt.date.fromisoformat(published)
        found = []
        for span in _dated(self.dates(ctx.doc, as_spans=True)):
            if _takes_effect(span) or not _in_lead(ctx, span.sent):
                continue
            value = resolve_span(span, published)
            if value and len(value) == 10 and 0 <= (latest - dt.date.fromisoformat(value)).days <= days:
                found.append(value)
        return max(found, default=None)

    def announcements(self, ctx: ArticleContext) -> dict[str, set[str]]:
        """Dates of the sentences where a company is the subject of *annoncer, dévoiler, confirmer …*."""
        doc = ctx.doc
        out: dict[str, set[str]] = {}
        spans = _dated(self.dates(doc, as_spans=True))
        for span in spans:
            value = resolve_span(span, ctx.document.date)
            if value is None:
                continue
            sent = span.sent
            for token in sent:
                if token.lemma_.lower() in ANNOUNCE_NOUNS and token.pos_ == "NOUN":
                    # "L'annonce a été faite vendredi 1er juin par Diane Greene, la patronne de Google Cloud"
                    companies = self._companies(ctx, ctx.mentions_in(sent.start, sent.end))
                    if len(companies) == 1:
                        out.setdefault(companies[0].key, set()).add(value)
                    continue
                if token.lemma_ not in ANNOUNCE_VERBS or token.pos_ != "VERB":
                    continue
                for subject in (c for c in token.children if c.dep_ == "nsubj"):
                    found, _how = self.resolve_subject(ctx, subject)
                    for company in found or []:
                        out.setdefault(company.key, set()).add(value)
                    if not found and _in_lead(ctx, sent):
                        # "Les responsables de cette messagerie … ont annoncé le 15 octobre que …": the lead's
                        # announcement, for a decision the article gives no date of its own
                        out.setdefault(LEAD_ANNOUNCEMENT, set()).add(value)
        return out

    def _date(self, ctx: ArticleContext, sent: Span, dates: list[Span], trigger: Span) -> str | None:
        best = None
        in_sentence = [s for s in dates if sent.start <= s.start < sent.end]
        # "a annoncé, vendredi 10 juillet, qu'il interdirait à partir du 11 août": the date it takes effect is not
        # the date of the decision, when the sentence has another
        announced = [s for s in in_sentence if not _takes_effect(s)]
        for span in announced or in_sentence:
            value = resolve_span(span, ctx.document.date)
            if value and (best is None or abs(span.start - trigger.start) < best[0]):
                best = (abs(span.start - trigger.start), value)
        return best[1] if best else None

    def condition(self, ctx: ArticleContext, sent: Span, window: set[int] | None = None
                  ) -> tuple[str | None, str | None, str | None]:
        """A "tant que / à moins que / jusqu'à ce que" clause, the legislature it awaits, its jurisdiction."""
        text = ctx.span_text(sent)
        found = _CONDITION.search(text)
        if not found:
            return None, None, None
        start_char = sent.start_char + found.start()
        clause = ctx.doc.char_span(start_char, sent.end_char, alignment_mode="expand")
        if clause is None:
            return None, None, None
        end = clause.end
        for token in clause[1:]:
            if token.text in (",", "»", "”", ";", ":", '"') and token.i > clause.start + 3:
                end = token.i
                break
        clause = ctx.doc[clause.start:end]
        lemmas = {t.lemma_.lower() for t in clause}
        if not lemmas & _LAW_WORDS:
            return clause.text, None, None
        legislature = next((m.key for m in ctx.mentions_in(sent.start, sent.end, {"legislature"})), None)
        juris = next((s.label_.split(":", 1)[1] for s in ctx.concepts_in(clause.start, clause.end, "juris")), None)
        if legislature is None and juris:
            legislature = NATIONAL_LEGISLATURE.get(juris)
        return clause.text, legislature, juris

    def awaited_legislature(self, ctx: ArticleContext, sent: Span) -> str | None:
        """A legislature named in a sentence that speaks of law-making."""
        if not any(t.lemma_.lower() in _LAW_WORDS for t in sent):
            return None
        return next((m.key for m in ctx.mentions_in(sent.start, sent.end, {"legislature"})), None)
