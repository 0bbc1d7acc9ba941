"""People, advocates, legislatures and what advocates say.

* People (NER ``PER``) get a role and an affiliation from their apposition (*Nicole Ozer, directrice …
  de l'ACLU*; *son nouveau CEO, Arvind Krishna*); a person working for an advocate, or campaigning
  without a company, is an advocate; a company's spokesperson is a person.
* Advocates are the known advocates of the gazetteer, and unknown organisations that campaign
  (subject of *demander, appeler, exhorter, réclamer, plaider, dénoncer, saluer, critiquer* …) or are
  described as one (*l'association X*, *X, une ONG*).
* Statements: the quotes of advocates and the sentences where they call on or criticise someone,
  with their targets (companies and legislatures).
* Legislatures: the known ones, and bodies named as such (*le conseil municipal de San Francisco*).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from extractors.context import ArticleContext, Mention
from extractors.entities import (
    NOT_ADVOCATES,
    PERSON_ROLE_NOUNS,
    ROLE_NOUNS,
    TRADE_BODY_HEADS,
    _is_demonym,
    first_word,
    is_public_body,
    is_trade_body,
)
from extractors.facts import Actor, ActorRef, Evidence, Statement
from extractors.lexicons import load_lexicons
from ontology.iris import slugify

EXTRACTOR = "actors"

#: Verbs of campaigning (lemmas): their subjects are advocates, their objects targets.
CAMPAIGN_VERBS = {"demander", "appeler", "exhorter", "réclamer", "plaider", "dénoncer", "saluer", "critiquer",
                  "exiger", "militer", "alerter", "interpeller", "condamner", "contester", "pétitionner",
                  "fustiger", "presser", "mobiliser", "lutter", "attaquer", "poursuivre", "accuser"}
#: Campaigning said with a verb and its noun ("mène campagne contre", "fait campagne pour"), by lemmas.
CAMPAIGN_PHRASES = [("mener", "campagne"), ("faire", "campagne"), ("mener", "le", "combat"),
                    ("monter", "au", "créneau")]
#: Verbs of a stance on a decision ("salue", "regrette", "juge que", "appuie la démarche"): an organisation
#: (not a person: a firm's spokesman "estime" too) taking one in an article about a decision campaigns.
STANCE_VERBS = {"estimer", "juger", "regretter", "déplorer", "appuyer", "soutenir", "rappeler", "souligner",
                "avertir", "prévenir", "inquiéter", "alarmer", "indigner", "féliciter", "protester", "craindre",
                "redouter", "applaudir", "approuver", "qualifier", "réjouir", "exulter"}
#: Nouns that describe a campaigning organisation or person.
CAMPAIGN_NOUNS = {"association", "ong", "organisation", "collectif", "fondation", "coalition", "ligue",
                  "militant", "militante", "militants", "défenseur", "défenseurs", "défenseuse", "avocat",
                  "avocate", "activiste", "chercheuse", "chercheur", "groupe de défense"}
#: Nouns that describe a campaigning organisation ("l'association X", "X, une ONG").
CAMPAIGN_ORGANISATIONS = {"association", "ong", "organisation", "collectif", "fondation", "coalition", "ligue",
                          "foundation", "alliance", "mouvement", "syndicat", "syndical", "fédération", "organisme"}
#: Words that, inside an organisation's own name, say it campaigns ("Fondation des femmes", "Coalition
#: Against Stalkerware", "Syndicat des travailleurs du jeu vidéo").
CAMPAIGN_NAME_WORDS = {"association", "fondation", "foundation", "ligue", "league", "collectif", "coalition",
                       "alliance", "syndicat", "fédération", "federation", "committee", "comité", "observatoire",
                       "observatory", "mouvement", "movement", "union", "fund"}
#: Roles of politicians: they call for laws, they are not advocates.
POLITICAL_ROLES = {"sénateur", "sénatrice", "député", "députée", "eurodéputé", "eurodéputée", "élu", "élue",
                   "maire", "ministre", "parlementaire", "représentant", "représentante", "gouverneur",
                   "gouverneure", "conseiller", "conseillère", "secrétaire", "commissaire", "rapporteur",
                   "rapporteure", "candidat", "candidate"}
#: Nouns that make a description an institution that legislates.
LEGISLATIVE_NOUNS = {"conseil", "parlement", "assemblée", "législature", "sénat", "chambre"}


@dataclass
class ActorReading:
    actors: dict[ActorRef, Actor] = field(default_factory=dict)
    statements: list[Statement] = field(default_factory=list)


def read_people(ctx: ArticleContext) -> None:
    """Fill ``ctx.roles`` and ``ctx.affiliations`` for the people of the article."""
    for m in ctx.mentions:
        if m.kind != "PER" or m.key in ctx.roles:
            continue
        after, before = _role_after(ctx, m), _role_before(ctx, m)
        role = after or before
        if after is not None and before is not None and (
                (not _has_role_noun(after) and _has_role_noun(before)) or _political(before)):
            # "Le PDG de Kairos, Brian Brackeen, critique Amazon": "critique" is the verb; "les sénateurs X et
            # Y, inquiète les défenseurs …": the title before the names is theirs
            role = before
        if role is None:
            role = _leading_clause(ctx, m)  # "Evan Greer, qui dirige Fight for the Future"
        if role is None:
            continue
        ctx.roles[m.key] = role.text
        # "professeure à l'université X et présidente de la Cyber Civil Rights Initiative": the rights group
        # first, then the first organisation named.
        orgs = [o for o in ctx.mentions_in(role.start, role.end) if o.kind in _ORGANISATION_KINDS]
        org = next((o for o in orgs if o.kind == "advocate" or o.key in ctx.campaigning), orgs[0] if orgs else None)
        if org is None and any(t.lower_ in _ORGANISATION_WORDS for t in role) and any(
                t.lower_ in ("du", "de", "l'", "l’", "ce", "cette", "cet") for t in role):
            # "l'un des organisateurs du collectif": the organisation last named
            org = _last_organisation(ctx, m.start)
        if org is None and any(t.lower_ in ("son", "sa", "ses") for t in role):
            # "sa présidente, Camille Roussel": the organisation the passage is about, a company or a rights group;
            # "ses collègues X et Y": the organisation last named, a colleague's
            org = (ctx.last_before(min(role.start, m.start), {"company", "advocate", "ORG"}, limit=80)
                   if any(t.lower_ in _RELATIONS for t in role) else _possessor(ctx, min(role.start, m.start)))
        if org is not None:
            ctx.affiliations[m.key] = _glossed_advocate(ctx, org) or org


_ORGANISATION_KINDS = {"company", "advocate", "ORG", "legislature"}
#: Roles relative to a person, not to an organisation ("ses collègues", "sa consœur").
_RELATIONS = {"collègue", "collègues", "confrère", "confrères", "consœur", "consœurs", "camarade", "camarades",
              "associé", "associée", "associés"}
_RESEARCH_ROLES = {"chercheur", "chercheuse", "professeur", "professeure", "enseignant", "enseignante",
                   "universitaire", "doctorant", "doctorante", "cofondateur", "cofondatrice", "fondateur",
                   "fondatrice", "maître", "maîtresse", "directeur", "directrice"}
_INSTITUTES = {"institute", "institut", "university", "université", "universität", "school", "école", "center",
               "centre", "lab", "laboratoire"}


def _possessor(ctx: ArticleContext, i: int, limit: int = 80) -> Mention | None:
    """Whose role "sa directrice, X" names: the organisation last named before token ``i`` outside quotes, or
    the subject of the sentence that names it.

    "L'Authors Guild a attaqué OpenAI … « … », a réagi sa directrice générale": the possessive follows the
    sentence's subject, not its object; "Pour Amnesty International, une suspension ne suffit pas. « … », estime
    sa secrétaire générale": the organisation last named.
    """
    kinds = {"company", "advocate", "ORG"}
    # a name in a quote is the speaker's topic, not the passage's
    named = [m for m in ctx.mentions_in(max(0, i - limit), i, kinds)
             if not m.collective and ctx.quote_at(m.start) is None]
    if not named:
        return ctx.last_before(i, kinds, limit=limit)
    last = named[-1]
    if last.kind == "advocate" or _is_subject(ctx.doc[last.start:last.end]):
        return last
    sentence = ctx.doc[last.start].sent
    subject = next((m for m in named if sentence.start <= m.start < last.start and m.key != last.key
                    and _is_subject(ctx.doc[m.start:m.end])), None)
    return subject or last


def _is_subject(span: Span) -> bool:
    """Whether a mention is (or names, in apposition: "L'ONG britannique Hong Kong Watch") a main clause's
    subject. A noun opening a sentence whose verb the parser missed ("L'ONG X, qui …, appelle …" read with
    "ONG" as root) counts as one."""
    token = span.root
    for _ in range(3):
        if token.dep_ in ("nsubj", "nsubj:pass", "dislocated"):
            return token.head.dep_ in ("ROOT", "conj") or token.head == token.sent.root
        if token.dep_ == "ROOT":
            return token.pos_ in ("NOUN", "PROPN") and token.i - token.sent.start <= 1
        if token.dep_ not in ("appos", "flat:name", "nmod", "amod") or token.head is token:
            return False
        token = token.head
    return False


def _glossed_advocate(ctx: ArticleContext, org: Mention) -> Mention | None:
    """"l'Union new-yorkaise pour les libertés civiles (NYCLU)": the known advocate its acronym names."""
    doc = ctx.doc
    if org.end + 2 < len(doc) and doc[org.end].text == "(":
        inside = ctx.mentions_in(org.end + 1, org.end + 4, {"advocate"})
        if inside and inside[0].start == org.end + 1:
            return inside[0]
    return None


def _last_organisation(ctx: ArticleContext, i: int, limit: int = 80) -> Mention | None:
    """The organisation last named before token ``i``: an advocate or an unknown organisation, not a
    description standing for a company."""
    for m in reversed(ctx.mentions_in(max(0, i - limit), i)):
        if m.kind in ("advocate", "ORG") and not m.anaphor:
            return m
    return None


#: First words that usually make a public body ("Institut national …", "Union européenne") unless the name
#: says whose rights it defends.
_CAUSE_HEADS = {"institut", "union"}
_CAUSE_IN_NAME = re.compile(
    r"\b(?:défense|protection|lutte|pour|défendre|protéger)\s+(?:des|de la|de l['’]|du|les|la|contre)?\s*"
    r"(?:droits?|libertés?|consommateurs|victimes|usagers|vie privée|corruption|personnes)\b"
    r"|\b(?:human|civil|digital|consumer)\s+(?:rights|liberties)\b|\bcivil liberties\b|\bconsumer\b"
    # English names that say what they stand for: "Future of Privacy Forum", "National Network to End Domestic
    # Violence", "Democracy Watch", "Equal Justice Initiative"
    r"|\b(?:privacy|democracy|justice)\b"
    r"|\bto\s+(?:end|stop|protect|defend|fight)\b")


def defends_in_name(text: str) -> bool:
    """Whether an organisation's name says what it defends: "Institut brésilien de défense des consommateurs",
    "Kenya Human Rights Commission", "Japan Civil Liberties Union", "Union … pour les libertés civiles"."""
    words = text.lower().split()
    if not words or words[-1] in _LAW_WORDS or set(words) & _GOVERNMENT_WORDS:
        return False  # "American Privacy Rights Act", "Department of Justice": a law, a government
    return not _is_state_body(text) and bool(_CAUSE_IN_NAME.search(text.lower()))


#: Last words of a law's English name, and words of a government's.
_LAW_WORDS = {"act", "bill", "law", "acts"}
_GOVERNMENT_WORDS = {"department", "ministry", "court", "bureau", "office", "agency"}


#: What follows "Conseil" or "Commission" in the name of a government or a state's institution.
_GOVERNING = re.compile(r"^(?:conseil|commission)(?:$|\s+(?:des\s+ministres|de\s+l['’]union|de\s+sécurité|d['’]état"
                        r"|constitutionnel|fédéral|supérieur|municipal|régional|départemental|général"
                        r"|d['’]administration))")


def _described_as_trade_body(doc: Doc, start: int) -> bool:
    """"La fédération du numérique Bitkom": a body of firms described before its name."""
    sent_start = doc[start].sent.start
    for j in range(start - 1, max(sent_start, start - 6) - 1, -1):
        if doc[j].lower_ in TRADE_BODY_HEADS:
            return is_trade_body(doc[j:start])
        if not doc[j].is_lower:
            return False
    return False


def _governing_council(text: str) -> bool:
    """"le Conseil des ministres", "le Conseil de l'Union", "la Commission européenne", a bare "Conseil": a
    government or an institution, never a campaigning council ("Conseil canadien pour les réfugiés"); any
    council or commission named European is the EU's or the Council of Europe's."""
    lowered = text.lower().strip()
    return bool(_GOVERNING.match(lowered)) or (first_word(text) in ("commission", "conseil") and "europ" in lowered)


def _is_state_body(text: str) -> bool:
    """A state body whose name speaks of rights ("Commission nationale de l'informatique et des libertés",
    "Cour européenne des droits de l'homme", "Défenseur des droits")."""
    words = text.lower().split()
    second = words[1] if len(words) > 1 else ""
    return first_word(text) in _STATE_HEADS or second in ("national", "nationale", "fédéral", "fédérale")


_STATE_HEADS = {"commission", "cour", "tribunal", "conseil", "ministère", "défenseur", "haut", "haute", "autorité",
                "comité", "office", "agence"}


#: What a rights group defends ("de défense des droits humains", "… de la vie privée", "… des consommateurs").
_DEFENDED = {"droits", "droit", "libertés", "liberté", "victimes", "consommateurs", "usagers", "vie",
             "intérêts", "migrants", "réfugiés", "salariés", "travailleurs"}
_ORGANISATION_WORDS = {"collectif", "association", "ong", "coalition", "organisation", "mouvement", "fondation"}
_LEADING_VERBS = {"diriger", "présider", "fonder", "cofonder", "coordonner", "représenter", "animer"}


def _leading_clause(ctx: ArticleContext, m: Mention) -> Span | None:
    """", qui dirige Y" right after a person's name: the clause, when it names an organisation."""
    doc = ctx.doc
    if m.end + 2 >= len(doc) or doc[m.end].text != "," or doc[m.end + 1].lower_ != "qui":
        return None
    end = m.end + 2
    while end < min(len(doc), m.end + 12) and doc[end].text not in _STOP:
        end += 1
    clause = doc[m.end + 2:end]
    if not any(t.lemma_.lower() in _LEADING_VERBS for t in clause[:3]):
        return None
    # ", qui dirige son programme consacré aux technologies": the organisation the possessive refers to
    possessive = any(t.lower_ in ("son", "sa", "ses") for t in clause[1:3])
    if not possessive and not ctx.mentions_in(clause.start, clause.end, {"advocate", "ORG", "company"}):
        return None
    return clause


def _political_word(word: str) -> bool:
    """A politician's title, singular or plural ("sénatrice", "les sénateurs", "des élus")."""
    return word in POLITICAL_ROLES or word.removesuffix("s") in POLITICAL_ROLES


def _political(span: Span) -> bool:
    """Whether a span holds a politician's title."""
    return any(_political_word(t.lower_) for t in span)


def _has_role_noun(span: Span) -> bool:
    return any(t.lower_ in _ROLE_WORDS for t in span)


_ROLE_WORDS = set(ROLE_NOUNS) | set(PERSON_ROLE_NOUNS)
_STOP = {",", ".", ":", ";", "«", "»", "(", ")", "!", "?", '"', "“", "”"}


def _role_after(ctx: ArticleContext, m: Mention) -> Span | None:
    doc = ctx.doc
    if m.end >= len(doc) or doc[m.end].text != ",":
        return None
    start = m.end + 1
    end = start
    while end < min(len(doc), start + 25):
        token = doc[end]
        if token.text in _STOP or token.is_space:
            break
        if token.pos_ in ("VERB", "AUX") and "Fin" in token.morph.get("VerbForm"):
            break
        end += 1
    span = doc[start:end]
    if not len(span):
        return None
    if span[0].lower_ in ("de", "du", "d'", "d’") and ctx.mentions_in(span.start, span.end, _ORGANISATION_KINDS):
        return span  # "Mary Wareham, de Human Rights Watch, …"
    participle = span[0].pos_ == "VERB" and "Part" in span[0].morph.get("VerbForm") and span[0].lower_.startswith(
        "chargé")  # "chargée des données des consommateurs chez CHOICE"
    if not any(t.pos_ == "NOUN" for t in span) or (span[0].pos_ in ("VERB", "AUX", "PRON") and not participle):
        return None
    return span


def _role_before(ctx: ArticleContext, m: Mention) -> Span | None:
    doc = ctx.doc
    end = m.start
    if end > 0 and doc[end - 1].text == ",":
        end -= 1
    if end > 2 and doc[end - 1].text == ")" and doc[end - 3].text == "(" and doc[end - 2].is_upper:
        end -= 3  # "Le maire (LR), Gaël Perdriau": a party's acronym between the title and the name
    start = end
    sent_start = doc[m.start].sent.start
    while start > max(sent_start, end - 10):
        token = doc[start - 1]
        # "le vice-premier ministre chargé du numérique, X": the participle belongs to the role
        stop = token.pos_ in ("VERB", "AUX", "SCONJ", "PRON") and not token.lower_.startswith("chargé")
        if token.text in _STOP or token.is_space or stop:
            break
        start -= 1
    span = doc[start:end]
    if not len(span) or not any(t.pos_ == "NOUN" for t in span):
        return None
    return span


def _subject_of(token: Token) -> Token | None:
    current = token
    for _ in range(3):
        subjects = [c for c in current.children if c.dep_ in ("nsubj", "nsubj:pass")]
        if subjects:
            return subjects[0]
        if current.dep_ in ("xcomp", "conj", "ccomp") and current.head is not current:
            current = current.head
        else:
            break
    # "« … », s'est réjoui le Katiba Institute": after a quote the subject is inverted, often read as an object
    if token.dep_ == "parataxis":
        inverted = [c for c in token.children if c.dep_ in ("obj", "nsubj") and c.i > token.i]
        if inverted:
            return inverted[0]
    return None


class ActorReader:
    """Builds the actors and statements of one article."""

    def read(self, ctx: ArticleContext, campaign_verbs: list[Token], policy_companies: set[ActorRef],
             beneficiaries: dict[ActorRef, Mention], stance_verbs: list[Token] = ()) -> ActorReading:
        out = ActorReading()
        lex = load_lexicons()
        doc = ctx.doc
        campaigners: dict[str, Mention] = {}  # key of ORG/PER candidates that campaign

        # Who campaigns: subjects of campaigning verbs, and organisations described as campaigners.
        subjects: list[tuple[Token, Mention]] = []
        for verb in campaign_verbs:
            subject = _subject_of(verb)
            if subject is None:
                continue
            speaker = self._resolve(ctx, subject)
            if speaker is not None:
                subjects.append((verb, speaker))
                if speaker.kind in ("ORG", "PER"):
                    campaigners[speaker.key] = speaker
        for verb in stance_verbs:
            subject = _subject_of(verb)
            speaker = self._resolve(ctx, subject) if subject is not None else None
            if speaker is not None and speaker.kind == "ORG":
                campaigners[speaker.key] = speaker
        for m in ctx.mentions:
            if m.kind == "ORG" and self._described_as_campaigner(ctx, m):
                campaigners[m.key] = m
        # "Léonie Favre, secrétaire du Groupe pour une Suisse sans armée, qui demande …": the organisation a
        # campaigner speaks for campaigns (a company's is checked below: one that decides is no advocate).
        for person in [c for c in campaigners.values() if c.kind == "PER"]:
            org = ctx.affiliations.get(person.key)
            role = set(re.findall(r"[\w-]+", ctx.roles.get(person.key, "").lower()))
            # not a university or an institute a researcher works at ("chercheuse au MIT", "cofondatrice du
            # Lumen Institute"): they speak for themselves
            if org is not None and org.kind == "ORG" and org.key not in ctx.described and not role & _RESEARCH_ROLES \
                    and not {w.lower() for w in re.findall(r"\w+", org.text)} & _INSTITUTES:
                campaigners.setdefault(org.key, org)

        def advocate_ref(m: Mention) -> ActorRef | None:
            if m.kind == "advocate":
                return m.ref
            if m.kind == "ORG" and m.key in campaigners and ActorRef("company", m.key) not in policy_companies:
                first = first_word(m.text)
                # "l'Institut brésilien de défense des consommateurs", "l'Union hongroise pour les libertés
                # civiles": an institute or a union whose name says whose rights it defends is a rights group
                named_cause = first in _CAUSE_HEADS and defends_in_name(m.text)
                if (first in NOT_ADVOCATES and not named_cause) or _governing_council(m.text):
                    return None  # governments, ministries, EU institutions, courts, police: not advocates
                if is_trade_body(doc[m.start:m.end]) or _described_as_trade_body(doc, m.start):
                    return None  # "l'Association des assureurs britanniques" lobbies for firms, not for rights
                return ActorRef("advocate", m.key)
            if m.kind == "PER":
                org = ctx.affiliations.get(m.key)
                if org is not None and advocate_ref(org) is not None:
                    return ActorRef("advocate", m.key)
                role = ctx.roles.get(m.key, "").lower()
                if any(_political_word(w) for w in re.findall(r"[\w-]+", role)):
                    return None  # a senator or a minister calling for a law is a politician, not an advocate
                # Campaigning without a company behind: a researcher at a university, an activist.
                unaffiliated = org is None or (org.kind == "ORG" and not _company_org(org))
                if unaffiliated and (m.key in campaigners or any(n in role.split() for n in CAMPAIGN_NOUNS)):
                    return ActorRef("advocate", m.key)
            return None

        def _company_org(org: Mention) -> bool:
            """An unknown organisation is taken for a company only when it decides or benefits."""
            return ActorRef("company", org.key) in policy_companies | set(beneficiaries) or org.key in ctx.described

        def add(ref: ActorRef, m: Mention, label: str) -> Actor:
            actor = out.actors.get(ref)
            if actor is None:
                entry = lex.entries.get((ref.kind, ref.key))
                if entry is not None:
                    actor = Actor(ref, entry.label, set(entry.aliases), entry.wikidata, known=True)
                    if entry.made_by:
                        actor.made_by = ActorRef("company", entry.made_by)
                else:
                    actor = Actor(ref, label)
                out.actors[ref] = actor
            if not m.anaphor:
                actor.aliases.add(m.text.strip())
                if len(actor.evidence) < 3:
                    sent = doc[m.start].sent
                    ev = ctx.evidence(sent, EXTRACTOR, 0.9 if actor.known else 0.7)
                    if ev not in actor.evidence:
                        actor.evidence.append(ev)
            return actor

        for m in ctx.mentions:
            if m.anaphor:
                continue
            if m.kind in ("company", "advocate", "legislature", "product"):
                add(m.ref, m, m.text)
            elif m.kind == "ORG":
                ref = advocate_ref(m)
                if ref is None and (ActorRef("company", m.key) in policy_companies | set(beneficiaries)
                                    or (m.key in ctx.described and not is_public_body(m.text))):
                    ref = ActorRef("company", m.key)
                if ref is not None:
                    add(ref, m, m.text)
            elif m.kind == "PER":
                ref = advocate_ref(m)
                if ref is None and m.key in ctx.affiliations and ctx.company_of(m) is not None:
                    ref = ActorRef("person", m.key)
                if ref is not None:
                    actor = add(ref, m, m.text)
                    actor.role = ctx.roles.get(m.key)
                    org = ctx.affiliations.get(m.key)
                    if org is not None:
                        org_ref = advocate_ref(org)
                        if org_ref is None and (org.kind == "company" or (org.kind == "ORG" and _company_org(org))):
                            org_ref = ActorRef("company", org.key)
                        if org_ref is None and org.kind in ("advocate", "legislature"):
                            org_ref = org.ref
                        # An unknown organisation that neither campaigns nor decides (a university, an
                        # institute) is left out rather than guessed as a company.
                        if org_ref is not None:
                            actor.affiliation = org_ref
                            if org_ref not in out.actors:
                                add(org_ref, org, org.text)
        for ref in policy_companies:
            if ref not in out.actors and ref.kind == "company":
                m = next((x for x in ctx.mentions if x.key == ref.key), None)
                if m is not None:
                    add(ref, m, m.text)
        # "Amazon Rekognition" names Amazon too: the maker of a mentioned product is mentioned.
        for actor in list(out.actors.values()):
            maker = actor.made_by
            if maker is not None and maker not in out.actors and (maker.kind, maker.key) in lex.entries:
                m = next(x for x in ctx.mentions if x.ref == actor.ref)
                company = add(maker, Mention(m.start, m.end, maker.kind, maker.key, m.text, anaphor=True), m.text)
                company.evidence.append(ctx.evidence(doc[m.start].sent, EXTRACTOR, 0.8))

        # Statements: advocates' quotes, and their calls and criticisms.
        for quote in ctx.quotes:
            if quote.speaker is None:
                continue
            ref = advocate_ref(quote.speaker)
            if ref is None:
                continue
            span = doc[quote.start:quote.end]
            targets = self._targets(ctx, quote.start, quote.end, exclude=ref)
            sent = doc[quote.start].sent
            ev_span = doc[min(sent.start, quote.start):max(sent.end, quote.end)]
            out.statements.append(Statement(ref, targets, span.text.strip("«»“”\" "),
                                            [self._evidence(ctx, ev_span)]))
        for verb, speaker in subjects:
            ref = advocate_ref(speaker)
            if ref is None:
                continue
            subject = _subject_of(verb)
            excluded = {t.i for t in subject.subtree} if subject is not None else set()
            # Whom they call on, not what they compare with: "appelé Microsoft à prendre la même
            # décision qu'IBM, Google et Amazon" targets Microsoft only.
            for child in verb.children:
                if child.dep_ in ("xcomp", "ccomp", "advcl"):
                    excluded |= {t.i for t in child.subtree}
            indices = [t.i for t in verb.subtree if t.i not in excluded]
            if not indices:
                continue
            targets = self._targets(ctx, min(indices), max(indices) + 1, exclude=ref, only=set(indices))
            if not targets:
                continue
            sent = verb.sent
            out.statements.append(Statement(ref, targets, None, [self._evidence(ctx, sent)]))
        return out

    def _evidence(self, ctx: ArticleContext, span: Span) -> Evidence:
        return ctx.evidence(span, EXTRACTOR, 0.8)

    def _targets(self, ctx: ArticleContext, start: int, end: int, exclude: ActorRef,
                 only: set[int] | None = None) -> list[ActorRef]:
        targets: list[ActorRef] = []
        for m in ctx.mentions_in(start, end, {"company", "legislature"}):
            if only is not None and m.start not in only:
                continue
            if m.ref != exclude and m.ref not in targets:
                targets.append(m.ref)
        return targets

    def _resolve(self, ctx: ArticleContext, subject: Token) -> Mention | None:
        found = ctx.mentions_at(subject.i)
        if not found:
            # "Joy Buolamwini, chercheuse au MIT, a dénoncé": the person, not the institution in her role
            inside = [m for t in subject.subtree for m in ctx.mentions_at(t.i)]
            people = [m for m in inside if m.kind == "PER"]
            found = people[:1]
        if found:
            return found[0] if found[0].kind in ("advocate", "ORG", "PER") else None
        if subject.lower_ in ("elle", "il"):
            m = ctx.last_before(subject.i, {"advocate", "PER", "ORG", "company"}, limit=120)
            return m if m is not None and m.kind != "company" else None
        if subject.lower_ == "qui" and subject.head.dep_ == "acl:relcl":
            # "Viasna, qui avait appelé l'entreprise à …": the relative's antecedent
            found = ctx.mentions_at(subject.head.head.i)
            return found[0] if found and found[0].kind in ("advocate", "ORG", "PER") else None
        for child in subject.children:
            if child.dep_ in ("appos", "flat:name", "nmod"):
                found = ctx.mentions_at(child.i)
                if found and found[0].kind in ("advocate", "ORG", "PER"):
                    return found[0]
        return None

    def _described_as_campaigner(self, ctx: ArticleContext, m: Mention) -> bool:
        if m.key in ctx.campaigning or _listed_with_advocate(ctx, m):
            return True
        doc = ctx.doc
        # "… interrogé par l'AFP. Le syndicat Verdi": the next sentence's words are not its (the parser may split
        # a sentence inside a name, hence the sentences of its first and last words)
        before = doc[max(doc[m.start].sent.start, m.start - 3):m.start]
        after = doc[m.end:min(doc[m.end - 1].sent.end, m.end + 5)]
        words = {t.lemma_.lower() for t in before} | {t.lemma_.lower() for t in after}
        if words & CAMPAIGN_ORGANISATIONS:
            return True
        # "la Ligue des droits humains", "le Committee to Protect Journalists": the name says what it is
        if {w.lower() for w in re.findall(r"\w+", m.text)} & CAMPAIGN_NAME_WORDS or defends_in_name(m.text):
            return True
        # "le centre de défense des droits humains Viasna": a description of a rights group before the name
        wider = [t.lower_ for t in doc[max(doc[m.start].sent.start, m.start - 8):m.start]]
        for i, word in enumerate(wider):
            if word == "défense":
                rest = [w for w in wider[i + 1:i + 4] if w not in ("des", "de", "du", "la", "l'", "l’")]
                if rest and rest[0] in _DEFENDED:
                    return True
        return False


#: What may stand between two names of one enumeration ("Campax, WeCollect et l'ONG britannique Privacy
#: International"): separators, determiners, lower-case adjectives and organisation nouns.
_LIST_FILLERS = {",", "et", "ou", "le", "la", "les", "l'", "l’"} | CAMPAIGN_ORGANISATIONS | {"réseau", "campagne"}


_PLACE_WORDS = {"à", "en", "au", "aux", "de", "du", "d'", "d’", "et", "dans"}


def _located_appositions(span: Span) -> set[int]:
    """Token indices of the ", basée à Berlin et à Zurich," segments inside ``span``: where an enumerated
    organisation sits, set off by commas, is no break in the enumeration."""
    out: set[int] = set()
    tokens = list(span)
    for k, token in enumerate(tokens):
        if token.text != "," or k + 1 >= len(tokens):
            continue
        first = tokens[k + 1]
        if not (first.is_lower and first.text.endswith(("é", "ée", "és", "ées"))):
            continue
        end = next((j for j in range(k + 2, len(tokens)) if tokens[j].text == ","), None)
        segment = tokens[k + 2:end] if end is not None else []
        if segment and len(segment) <= 8 and all(t.lower_ in _PLACE_WORDS or t.ent_type_ == "LOC"
                                                 or (t.is_title and t.pos_ == "PROPN") for t in segment):
            out.update(t.i for t in tokens[k + 1:end + 1])
    return out


def _listed_with_advocate(ctx: ArticleContext, m: Mention) -> bool:
    """An unknown organisation enumerated next to a known advocacy group campaigns with it: "la campagne
    Right2Know et l'ONG Privacy International", "la Digitale Gesellschaft, Campax, WeCollect et PublicBeta"."""
    def filler(span: Span) -> bool:
        kept = [t for t in span if t.i not in _located_appositions(span)]
        return len(kept) <= 5 and any(t.text in (",", "et", "ou") for t in kept) and all(
            t.lower_ in _LIST_FILLERS or (t.pos_ == "ADJ" and t.is_lower) for t in kept)

    doc = ctx.doc
    sent = doc[m.start].sent
    names = ctx.mentions_in(sent.start, sent.end, {"advocate", "ORG", "company"})
    at = next((k for k, other in enumerate(names) if other.start == m.start), None)
    for step in (-1, 1):  # walk the enumeration both ways from m
        k = at
        while k is not None and 0 <= k + step < len(names):
            a, b = sorted((names[k], names[k + step]), key=lambda x: x.start)
            if b.start < a.end or not filler(doc[a.end:b.start]) or names[k + step].kind == "company":
                break
            k += step
            if names[k].kind == "advocate" or names[k].key in ctx.campaigning:
                return True
    return False


def legislature_mentions(ctx: ArticleContext, heads: list[Token]) -> list[Mention]:
    """Unknown legislative bodies named as such: "le conseil municipal de San Francisco".

    ``heads`` are the article's nouns of :data:`LEGISLATIVE_NOUNS` (found by the article matcher).
    """
    doc = ctx.doc
    out = []
    known = {i for m in ctx.mentions if m.kind not in ("ORG", "PER", "legislature") for i in range(m.start, m.end)}
    for token in heads:
        if token.i in known:
            continue
        sent = token.sent
        end = token.i + 1
        # "conseil municipal de (la ville de)? San Francisco", "Parlement de l'État de Washington"
        while end < sent.end and end - token.i < 8 and not _name(doc[end]):
            # "le Sénat puis l'Assemblée": a coordination is two bodies
            if doc[end].text in _STOP or doc[end].pos_ in ("VERB", "AUX", "CCONJ") or doc[end].lower_ in _THEN:
                break
            end += 1
        if end >= sent.end or not _name(doc[end]) or doc[end - 1].lower_ not in ("de", "d'", "d’", "du", "l'", "l’"):
            described = _described_council(ctx, token, end)
            if described is not None:
                out.append(described)
            continue
        name_end = end
        while name_end < sent.end and _name(doc[name_end]):
            name_end += 1
            # "Sénat de l'État de Washington", "conseil municipal de Saint-Denis"
            if name_end + 1 < sent.end and doc[name_end].lower_ in ("de", "d'", "d’") and _name(doc[name_end + 1]):
                name_end += 1
        words = {t.lower_ for t in doc[token.i:end]}
        if any(i in known for i in range(end, name_end)) or any(
                t.pos_ == "NOUN" and t.lower_ not in _PLACE_NOUNS for t in doc[token.i + 1:end]):
            continue  # "l'assemblée générale des actionnaires d'Amazon" is not a legislature
        lemma = token.lemma_.lower()
        if lemma == "conseil" and not words & {"municipal", "ville", "régional", "départemental", "métropolitain"}:
            continue
        if lemma == "chambre" and not words & {"représentants", "députés"}:
            continue
        if lemma == "assemblée" and not words & {"législative", "nationale", "générale"}:
            continue
        if any(m.kind == "legislature" and m.start <= token.i and name_end <= m.end for m in ctx.mentions_at(token.i)):
            continue  # inside a known chamber's whole name ("la Grande Assemblée nationale de Turquie")
        span = doc[token.i:name_end]
        out.append(Mention(span.start, span.end, "legislature", slugify(span.text), span.text))
    return out


_GENERIC_DETS = {"chaque", "tout", "tous", "les", "des", "un", "aucun", "plusieurs", "certains"}
_PLACE_NOUNS = {"ville", "état", "comté", "province", "région", "canton", "district", "municipalité"}
_THEN = {"puis", "avant", "après", "ainsi", "tandis", "ni"}
#: Which council a description names, by its words: the city's or the county's.
_COUNCIL_KINDS = {"municipal": "ville", "ville": "ville", "comté": "comté"}
_COUNCIL_LABELS = {"ville": "conseil municipal de {}", "comté": "conseil du comté de {}"}


def _described_council(ctx: ArticleContext, token: Token, end: int) -> Mention | None:
    """"les élus du conseil de la ville", "le conseil du comté": the council of the city or county the
    article is about (the place last named as "la ville de X" / "le comté de X", else its most named place)."""
    doc = ctx.doc
    if token.lemma_.lower() != "conseil" or (token.i > 0 and doc[token.i - 1].lower_ in _GENERIC_DETS):
        return None  # "chaque conseil municipal": any council, none in particular
    words = [t.lower_ for t in doc[token.i + 1:min(end, token.i + 5)]]
    kind = next((_COUNCIL_KINDS[w] for w in words if w in _COUNCIL_KINDS), None)
    if kind is None:
        return None
    place = _article_place(ctx, kind, token.i)
    if place is None:
        return None
    stop = token.i + 1
    while stop < len(doc) and doc[stop].lower_ in (*_COUNCIL_KINDS, "de", "du", "la", "l'", "l’", "municipal"):
        stop += 1
    label = _COUNCIL_LABELS[kind].format(place)
    if place[:1].lower() in "aeiouyéèâîôh":
        label = label.replace(" de " + place, " d'" + place)  # "conseil municipal d'Austin"
    return Mention(token.i, stop, "legislature", slugify(label), label)


def _article_place(ctx: ArticleContext, kind: str, before: int) -> str | None:
    doc = ctx.doc
    # "la ville de Somerville", "le comté de King" (only articles with a described council get here)
    named = []
    for t in doc:
        if t.lower_ == kind and t.i + 2 < len(doc) and doc[t.i + 1].lower_ in ("de", "d'", "d’") \
                and _name(doc[t.i + 2]):
            end = t.i + 2
            while end < len(doc) and _name(doc[end]):
                end += 1
            named.append(doc[t.i + 2:end])
    if named:
        earlier = [s for s in named if s.start < before]
        return (earlier or named)[-1].text
    if kind != "ville":
        return None
    countries = {label.lower() for c in load_lexicons().scheme("juris") for label in c.labels}
    # proper names only ("les États" is a common noun the NER may tag)
    ents = [s for s in doc.ents if s.label_ == "LOC" and s.text.lower() not in countries and s.root.pos_ == "PROPN"]
    # "à Austin, au Texas, le conseil municipal": the place named just before, in the council's sentence
    sent = doc[before].sent
    near = [s for s in ents if sent.start <= s.start < before and doc[s.start - 1].lower_ == "à"]
    if near:
        return near[0].text
    places = Counter(s.text for s in ents)
    return places.most_common(1)[0][0] if places else None


def _name(token: Token) -> bool:
    return token.pos_ == "PROPN" or (token.is_title and token.is_alpha and token.lower_ not in ("la", "le", "les"))


#: Nouns of a local branch of an organisation ("la branche new-yorkaise de l'ACLU").
CHAPTER_NOUNS = {"branche", "section", "antenne", "chapitre", "délégation", "filiale"}


def chapter_mentions(ctx: ArticleContext) -> list[tuple[Mention, Mention]]:
    """State or city chapters of known advocates: "l'ACLU du Massachusetts", "la branche new-yorkaise de
    l'ACLU". Returns (known mention, chapter mention) pairs: the chapter's name as written is a name of the
    organisation (the whole span is the mention, so the place is not read as another actor)."""
    doc = ctx.doc
    out = []
    for m in ctx.mentions:
        if m.kind != "advocate" or m.anaphor:
            continue
        start, end = m.start, m.end
        # after: "ACLU du Massachusetts", "ACLU de Californie du Nord"
        j = end
        if j + 1 < len(doc) and doc[j].lower_ in ("du", "de", "d'", "d’") and _place(doc[j + 1]):
            j += 1
            while j < len(doc) and (_place(doc[j]) or (
                    doc[j].lower_ in ("du", "de", "d'", "d’") and j + 1 < len(doc) and _place(doc[j + 1]))):
                j += 1
            end = j
        # before: "la branche new-yorkaise de l'ACLU", "la section française d'Amnesty International"
        i = start
        if i >= 2 and doc[i - 1].lower_ in ("l'", "l’") and doc[i - 2].lower_ == "de":
            i -= 2
        elif i >= 1 and doc[i - 1].lower_ in ("d'", "d’", "de", "du"):
            i -= 1
        if i < start:
            k = i - 1
            while k >= 0 and doc[k].pos_ == "ADJ" and i - k < 3:
                k -= 1
            if k >= 0 and doc[k].lower_ in CHAPTER_NOUNS and doc[k].pos_ == "NOUN":
                start = k
        if (start, end) == (m.start, m.end):
            continue
        span = doc[start:end]
        out.append((m, Mention(start, end, "advocate", m.key, span.text)))
    return out


def _place(token: Token) -> bool:
    return token.ent_type_ == "LOC" or (token.is_title and token.pos_ == "PROPN")


#: Bare titles of national chambers, by the jurisdiction the article is about ("le Sénat" in an article about
#: the United States is the US Senate).
BARE_CHAMBERS = {"sénat": {"US": "us-senate", "FR": "senat"}, "senat": {"US": "us-senate", "FR": "senat"}}


def resolve_bare_chambers(ctx: ArticleContext) -> None:
    """Give bare chamber titles the chamber of the article's main jurisdiction (*le Sénat*; *le Parlement*
    in an article about India is the Indian Parliament)."""
    bare = [m for m in ctx.mentions if m.kind == "legislature" and _bare_title(m.text) in BARE_CHAMBERS]
    parliaments = [m for m in ctx.mentions if m.kind == "ORG" and m.text == "Parlement"]
    if not bare and not parliaments:
        return
    counts = Counter(s.label_.split(":", 1)[1] for s in ctx.concepts if s.label_.startswith("juris:"))
    if not counts:
        return
    juris = counts.most_common(1)[0][0]
    # a country the gazetteer has no parliament for keeps the title, keyed by the country ("parlement-ke")
    parliament = _national_parliaments().get(juris) or (f"parlement-{juris.lower()}" if juris != "US" else None)
    for m in parliaments if parliament else []:
        m.kind, m.key = "legislature", parliament
    for m in bare:
        key = BARE_CHAMBERS[_bare_title(m.text)].get(juris)
        if key is not None:
            m.key = key


@lru_cache(maxsize=1)
def _national_parliaments() -> dict[str, str]:
    """Country code → the gazetteer key of its parliament, found by the title *Parlement* + the country's
    adjective (*Parlement indien* for ``IN``)."""
    lex = load_lexicons()
    names = {n.lower(): key for (kind, key), e in lex.entries.items() if kind == "legislature"
             for n in (e.label, *e.aliases)}
    out = {}
    for concept in lex.scheme("juris"):
        key = next((names[f"parlement {label.lower()}"] for label in concept.labels
                    if f"parlement {label.lower()}" in names), None)
        if key is not None:
            out[concept.notation] = key
    return out


def _bare_title(text: str) -> str:
    return re.sub(r"^(?:la |le |l['’])", "", text.lower().strip())


#: Titles of national chambers ("le Parlement éthiopien", "la Chambre des députés luxembourgeoise", "le Sénat
#: fédéral", "le Grand Conseil vaudois"): the head noun and the words that may follow it within the title.
CHAMBER_HEADS = {"parlement", "congrès", "sénat", "chambre", "assemblée", "diète", "conseil"}
_CHAMBER_OF = {"des députés", "des représentants", "des communes", "basse", "haute"}
#: Adjectives that make a chamber the national one of the country the article is about.
_NATIONAL = {"fédéral", "fédérale", "national", "nationale"}


def national_chambers(ctx: ArticleContext, demonyms: frozenset[str]) -> list[Mention]:
    """Chambers named by their title and a country's adjective (*le Parlement éthiopien*, *le Grand Conseil
    vaudois*), or by a national title in an article about one country (*le Sénat fédéral*, *la Chambre des
    députés*: that country's), with the key of the title and the country."""
    doc = ctx.doc
    out = []
    juris = None
    counts = Counter(s.label_.split(":", 1)[1] for s in ctx.concepts if s.label_.startswith("juris:"))
    if counts:
        juris = counts.most_common(1)[0][0]
    for token in doc:
        word = token.lower_
        if word not in CHAMBER_HEADS or not token.is_title:
            continue
        start = token.i
        if word == "conseil" and not (start > 0 and doc[start - 1].lower_ == "grand"):
            continue  # "Conseil fédéral", "Conseil d'État": governments; "Grand Conseil": a cantonal parliament
        if word == "conseil":
            start -= 1
        end = token.i + 1
        for words in _CHAMBER_OF:
            n = len(words.split())
            if doc[end:end + n].text.lower() == words:
                end += n
                break
        adjective = doc[end] if end < len(doc) else None
        if any(m.kind == "legislature" and m.start <= start and m.end >= end + 1 for m in ctx.mentions_at(start)):
            continue  # known: "le Parlement européen"
        if adjective is not None and _is_demonym(adjective, demonyms):
            span = doc[start:end + 1]
            out.append(Mention(span.start, span.end, "legislature", slugify(span.text), span.text))
        elif juris is not None and adjective is not None and adjective.lower_ in _NATIONAL \
                and word in ("parlement", "congrès", "sénat", "assemblée"):
            span = doc[start:end + 1]
            out.append(Mention(span.start, span.end, "legislature", f"{slugify(span.text)}-{juris.lower()}",
                               span.text))
        elif juris is not None and word == "chambre" and end > token.i + 1:
            # "la Chambre des députés" in an article about one country: that country's lower chamber
            span = doc[start:end]
            out.append(Mention(span.start, span.end, "legislature", f"{slugify(span.text)}-{juris.lower()}",
                               span.text))
    return out
