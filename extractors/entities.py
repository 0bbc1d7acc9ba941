"""Actor mentions: gazetteer names, NER candidates, and definite descriptions resolved to companies.

Two components:

* ``vigie_gazetteer`` (before ``ner``) marks the names and aliases of ``entities.ttl`` as entities with
  labels ``"<kind>:<key>"``; the statistical NER then respects them and labels around them.
* ``vigie_anaphora`` (after ``ner``) collects the NER's ``ORG``/``PER`` spans that the gazetteer does
  not know into ``doc.spans["vigie_candidates"]``, and resolves definite descriptions of companies
  (*la société*, *la firme*, *l'entreprise*, *le groupe*, *les deux firmes*) to the most recent
  companies mentioned, in ``doc.spans["vigie_anaphora"]`` (one span per referent, label
  ``"company:<key>"``).

Everything is stored as span groups so that docs survive ``nlp.pipe(n_process=…)``.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy
from spacy.attrs import LOWER, ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from extractors.acronyms import acronym_occurrences, glossed_names
from extractors.lexicons import among, hash_ids, load_lexicons, phrase_patterns
from ontology.iris import slugify

ACTOR_SPANS = "vigie_actors"
CANDIDATE_SPANS = "vigie_candidates"
ANAPHORA_SPANS = "vigie_anaphora"
CAMPAIGNING_SPANS = "vigie_campaigning"  # names after "l'association / le collectif / l'ONG …"
DESCRIBED_SPANS = "vigie_described"  # unknown names described as companies ("la start-up Kairos")

#: Nouns that, after a definite or demonstrative determiner, describe a company already mentioned.
COMPANY_NOUNS = ["société", "firme", "entreprise", "groupe", "géant", "compagnie", "multinationale",
                 "constructeur", "éditeur", "fabricant", "mastodonte", "plateforme", "start-up", "startup",
                 "chaîne", "enseigne", "distributeur", "détaillant", "fournisseur", "prestataire", "sous-traitant",
                 "pme", "hébergeur", "régie", "banque", "assureur", "néobanque", "réseau social",
                 "numéro un", "numéro deux"]
#: Nouns that introduce a company's name ("l'opérateur belge X", "le spécialiste français de … X") but are too
#: vague to stand for one on their own ("le réseau", "le laboratoire").
INTRO_NOUNS = ["opérateur", "concepteur", "courtier", "spécialiste", "réseau", "laboratoire", "studio",
               "développeur", "vendeur", "équipementier", "hébergeur", "fonds", "filiale", "marque", "leader",
               "messagerie", "application"]
_INTRO_ONLY = {n for w in INTRO_NOUNS for n in (w, w + "s", w + "x")} - {"opérateur", "concepteur", "courtier",
                                                                           "équipementier", "hébergeur"}
_SINGULAR_DETS = {"la", "le", "l'", "l’", "cette", "ce", "cet"}
_ARTICLES = {"le", "la", "les", "l'", "l’"}
#: Ordinals and ranks between a determiner and a company noun ("le troisième opérateur").
_RANKS = {"premier", "première", "second", "seconde", "principal", "principale", "numéro", "petit", "petite",
          "grand", "jeune", "nouveau", "nouvelle"}
#: Endings of demonyms ("le norvégien Skyfjord", "le berlinois Klipz"): after a determiner and in lower case,
#: a demonym before a name makes it a company (people's nationalities are capitalised: "le Norvégien X").
DEMONYM_ENDINGS = ("ais", "aise", "ois", "oise", "ien", "ienne", "éen", "éenne", "an", "ane", "and", "ande")
#: Words with those endings that are not demonyms.
NOT_DEMONYMS = {"quotidien", "quotidienne", "ancien", "ancienne", "gardien", "gardienne", "doyen", "moyen",
                "citoyen", "citoyenne", "grand", "marchand", "marchande", "mais", "jamais", "désormais", "biais",
                "mois", "fois", "trois", "bois", "choix", "plan", "écran", "élan", "rang", "chrétien", "paysan",
                "partisan", "artisan", "courtisan", "vétéran", "musulman", "mien", "sien", "tien", "bien",
                "rien", "lien", "soutien", "entretien", "maintien", "chien", "européen", "européenne"}
_POSSESSIVE_DETS = {"sa", "son"}  # "sa société", "son entreprise": the company last named
_OF = {"de", "d'", "d’", "du", "chez"}
#: Roles whose complement names an organisation ("le PDG de Kairos").
ROLE_NOUNS = ["pdg", "ceo", "président", "présidente", "directeur", "directrice", "fondateur", "fondatrice",
              "cofondateur", "cofondatrice", "co-fondateur", "patron", "patronne", "dirigeant", "dirigeante",
              "porte-parole", "vice-président", "vice-présidente", "directeur général", "directrice générale"]
#: Other nouns that, right after "Name Surname,", say the name is a person's.
PERSON_ROLE_NOUNS = ["chercheur", "chercheuse", "avocat", "avocate", "militant", "militante", "professeur",
                     "professeure", "directeur", "directrice", "responsable", "ingénieur", "ingénieure",
                     "porte-parole", "sénateur", "sénatrice", "député", "députée", "eurodéputé", "eurodéputée",
                     "maire", "ministre", "juriste", "analyste", "experte", "expert", "spécialiste", "membre",
                     "ancien", "ancienne", "haut", "haute", "vice-présidente", "présidente", "fondatrice"]
_DESCRIPTION = re.compile(r"^(?:la |le |l'|l’)(?:firme|société|géant|groupe|entreprise|compagnie) (?:de |d'|d’)(.+)$",
                          re.I)
_NUMBERS = {"deux": 2, "trois": 3, "quatre": 4, "2": 2, "3": 3, "4": 4}
#: Company nouns of several words ("la jeune pousse genevoise X": the press's word for a start-up).
_MULTIWORD_COMPANY_NOUNS = ["start-up", "jeune pousse", "jeunes pousses"]
_COMPANY_WORDS = {n for w in COMPANY_NOUNS for n in (w, w + "s")} - {"plateforme", "groupe"}
#: Words that are never a company or advocate on their own (NER false positives in this genre).
NOT_ACTORS = {"fbi", "cia", "nsa", "police", "afro-américain", "afro-américains", "etats-unis", "états-unis",
              "usa", "congrès", "sénat", "maison blanche", "maison-blanche", "pentagone", "ice", "dhs", "gafam",
              "kremlin", "élysée", "matignon", "downing street", "bercy", "quai d'orsay",
              # a sentence's first word the NER takes for a name ("Mercredi, le groupe …"), "secrétaires d'État"
              "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "d'état", "d’état"}


#: Titles written before a person's name, not part of it.
HONORIFICS = {"M.", "Mme", "Mlle", "Me", "Maître", "Dr", "Pr", "Mgr", "Mr", "Mrs", "Ms"}
QUOTE_PAIRS = {"«": "»", "“": "”", '"': '"'}


def quoted_tokens(doc: Doc, marks: list[int]) -> dict[int, int]:
    """Token index → index of its opening quotation mark, for tokens inside quotations."""
    out: dict[int, int] = {}
    open_at: int | None = None
    closer = ""
    for i in marks:
        text = doc[i].text
        if open_at is None:
            if text in QUOTE_PAIRS:
                open_at, closer = i, QUOTE_PAIRS[text]
        elif text == closer:
            for j in range(open_at + 1, i):
                out[j] = open_at
            open_at = None
    return out


#: First words of unknown organisations that are public bodies, never companies (they may be regulators
#: who campaign, except the ones in :data:`NOT_ADVOCATES`).
PUBLIC_BODIES = {"ministère", "gouvernement", "commission", "union", "conseil", "parlement", "assemblée", "sénat",
                 "tribunal", "cour", "justice", "autorité", "agence", "département", "ville", "mairie", "état",
                 "police", "gendarmerie", "université", "commissariat", "office", "bureau", "préfecture", "armée",
                 "pentagone", "maison", "école", "institut", "hôpital", "comité", "cnil", "ftc", "fcc", "onu",
                 "nations", "garde", "service", "services", "ministre", "gouvernements", "administration",
                 "régulateur", "secrétariat", "procureur", "parquet", "ue"}
NOT_ADVOCATES = {"ministère", "gouvernement", "union", "tribunal", "cour", "justice", "police", "gendarmerie",
                 "armée", "ville", "mairie", "préfecture", "université", "école", "institut", "département", "état",
                 "maison", "pentagone", "hôpital", "service", "services", "ministre", "garde", "administration",
                 "procureur", "parquet", "ue",
                 # parties campaign for votes, and "l'Intérieur" is a ministry
                 "parti", "verts", "intérieur"}


def first_word(text: str) -> str:
    words = [w for w in re.split(r"[\s'’]+", text.lower()) if w and w not in ("la", "le", "les", "l", "du", "de")]
    return words[0] if words else ""


#: Last words of public bodies' English names ("Federal Trade Commission", "Consumer Financial Protection Bureau").
_PUBLIC_BODY_LAST_WORDS = {"commission", "agency", "authority", "bureau", "department", "ministry", "court"}


def is_public_body(text: str) -> bool:
    """"Ministère de l'Intérieur", "Commission européenne", "Université Stanford", "Federal Trade Commission":
    not a company."""
    words = text.split()
    english = len(words) > 1 and all(w[:1].isupper() for w in words)
    return first_word(text) in PUBLIC_BODIES or text.lower() in NOT_ACTORS or (
        english and words[-1].lower() in _PUBLIC_BODY_LAST_WORDS)


@Language.factory("vigie_gazetteer")
def make_gazetteer(nlp: Language, name: str) -> Gazetteer:
    return Gazetteer(nlp)


#: Label of a gazetteer name for the statistical NER, by kind: one the NER already has. Preset entities force
#: the NER's moves whatever their label, but a label it does not know is added to its model, which widens its
#: output layer (four moves per label) for every later doc: with the gazetteer's own ``kind:key`` labels the
#: NER cost grew with the number of distinct known actors seen (18 → 74 moves after 100 articles, the NER
#: ~50 % slower). The ``kind:key`` labels stay in ``doc.spans["vigie_actors"]``.
NER_LABELS = {"product": "MISC"}
NER_DEFAULT_LABEL = "ORG"


class Gazetteer:
    """Marks known actors and products by their names and aliases (case-insensitive, whole tokens)."""

    def __init__(self, nlp: Language) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.case_sensitive: set[str] = set()
        for entry in load_lexicons().entries.values():
            names = [entry.label, *entry.aliases]
            self.matcher.add(f"{entry.kind}:{entry.key}", phrase_patterns(nlp, names))
            # One-word capitalised names ("Ring", "Zoom", "Meta") are common words in lower case.
            # (unless the name is also written in lower case: "noyb" is how noyb writes itself)
            written_lower = {n for n in names if n.islower()}
            self.case_sensitive |= {n for n in names
                                    if " " not in n and n[:1].isupper() and n.lower() not in written_lower}
        self.case_sensitive_lower = {n.lower() for n in self.case_sensitive}
        self.demonyms = _juris_adjectives()
        # Contextual names ("X"): matched as written, kept only where one of the actor's context words is.
        self.contextual = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.context_words = PhraseMatcher(nlp.vocab, attr="LOWER")
        for entry in load_lexicons().entries.values():
            if entry.contextual_names and entry.context_words:
                label = f"{entry.kind}:{entry.key}"
                self.contextual.add(label, [nlp.make_doc(name) for name in entry.contextual_names])
                self.context_words.add(label, phrase_patterns(nlp, entry.context_words))

    def _contextual_spans(self, doc: Doc) -> list[Span]:
        """The contextual names of the actors whose context words the article has, outside their common uses
        ("plainte contre X", "rayons X", "l'X")."""
        cued = {match_id for match_id, _, _ in self.context_words(doc)}
        return [Span(doc, start, end, label=doc.vocab.strings[match_id])
                for match_id, start, end in self.contextual(doc)
                if match_id in cued and not (start > 0 and doc[start - 1].lower_ in _COMMON_USES_BEFORE)
                and not (end < len(doc) and doc[end].text in ("-", "–") and end + 1 < len(doc)
                         and not doc[end].whitespace_)]

    def __call__(self, doc: Doc) -> Doc:
        spans = self._contextual_spans(doc)
        for match_id, start, end in self.matcher(doc):
            span = Span(doc, start, end, label=doc.vocab.strings[match_id])
            if len(span) == 1 and span.text.lower() in self.case_sensitive_lower and not span.text[:1].isupper():
                continue
            if len(span) == 1 and start > 0 and _inside_name(doc, start):
                continue  # "Mobile World Congress" is not the Congress
            if span[0].lower_ in _ARTICLES and end < len(doc) and (
                    _is_name(doc[end]) or _name_after_description(doc, end) or _is_demonym(doc[end], self.demonyms)):
                continue  # "le réseau social berlinois Klipz": a known description introducing another name
            spans.append(span)
        spans = filter_spans(spans)
        doc.spans[ACTOR_SPANS] = spans
        doc.set_ents([Span(doc, span.start, span.end, label=_ner_label(span.label_)) for span in spans],
                     default="unmodified")
        return doc


#: Words before a one-letter name that make it the letter ("plainte contre X", "né sous X", "rayons X", "l'X").
_COMMON_USES_BEFORE = {"contre", "sous", "rayon", "rayons", "génération", "l'", "l’", "monsieur", "m.", "mme",
                       "madame", "type", "axe", "facteur", "variable", "chromosome", "malcolm", "classé"}


def _join_split_names(doc: Doc, covered: set[int]) -> None:
    """"Mary" + "Anne Franks", "Nayara" (PER) + "Energy" (ORG): names the NER cut in two, side by side with only
    a space between, are one name (an organisation's if either part is one)."""
    ents = list(doc.ents)
    joined, changed = [], False
    for ent in ents:
        prev = joined[-1] if joined else None
        if prev is not None and prev.end == ent.start and {prev.label_, ent.label_} <= {"PER", "ORG"} \
                and doc[prev.end - 1].whitespace_ == " " and not covered.intersection(range(prev.start, ent.end)) \
                and not doc[ent.start].is_sent_start and ent[0].is_title:
            label = "ORG" if "ORG" in (prev.label_, ent.label_) else "PER"
            joined[-1] = Span(doc, prev.start, ent.end, label=label)
            changed = True
        else:
            joined.append(ent)
    if changed:
        doc.ents = joined


def _after_role_comma(doc: Doc, i: int) -> bool:
    """"au PDG, Sundar Pichai": a name set off right after an executive's title is that person (the NER often
    reads an unfamiliar full name as an organisation)."""
    return i >= 2 and doc[i - 1].text == "," and doc[i - 2].lower_ in EXECUTIVE_ROLES and len(doc[i].text) > 1


def _inside_name(doc: Doc, i: int) -> bool:
    """A one-word name right after other capitalised words of a name ("Mobile World Congress")."""
    before = doc[i - 1]
    return before.is_title and before.is_alpha and not before.is_sent_start and i >= 2 and doc[i - 2].is_title \
        and doc[i - 2].is_alpha


def _ner_label(label: str) -> str:
    return NER_LABELS.get(label.partition(":")[0], NER_DEFAULT_LABEL)


@Language.factory("vigie_anaphora")
def make_anaphora(nlp: Language, name: str) -> Anaphora:
    return Anaphora(nlp)


class Anaphora:
    """NER candidates for unknown actors, and definite descriptions resolved to known companies."""

    def __init__(self, nlp: Language) -> None:
        # Company nouns and quotation marks by hash lookup; determiners are checked around each hit.
        self.nouns = PhraseMatcher(nlp.vocab, attr="LOWER")
        nouns = sorted({n for w in COMPANY_NOUNS for n in (w, w + "s", w + "x")})
        nouns += sorted({n for w in INTRO_NOUNS for n in (w, w + "s", w + "x")})
        self.nouns.add("NOUN", [nlp.make_doc(n) for n in nouns + _MULTIWORD_COMPANY_NOUNS])
        self.determiners = hash_ids(["le", "la", "l'", "l’"])
        self.demonyms = _juris_adjectives()
        self.quotes = PhraseMatcher(nlp.vocab, attr="ORTH")
        marks = sorted(set(QUOTE_PAIRS) | set(QUOTE_PAIRS.values()))
        self.quotes.add("Q", [Doc(nlp.vocab, words=[m]) for m in marks])
        self.roles = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.roles.add("ROLE", [nlp.make_doc(r) for r in ROLE_NOUNS])
        self.organisations = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.organisations.add("ORG", [nlp.make_doc(n) for n in sorted(_CAMPAIGN_ORGANISATIONS)])
        self.affiliation_cues = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.affiliation_cues.add("AFFIL", [nlp.make_doc(", " + cue) for cue in _AFFILIATION_CUES])
        self.person_roles = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.person_roles.add("ROLE", [nlp.make_doc(r) for r in ROLE_NOUNS + PERSON_ROLE_NOUNS])
        # "la firme de Redmond" in the gazetteer makes "le groupe de Redmond" Microsoft too: the place or
        # person of a company's descriptions, with any company noun.
        self.described: dict[str, str] = {}
        for entry in load_lexicons().entries.values():
            if entry.kind != "company":
                continue
            for alias in entry.aliases:
                found = _DESCRIPTION.match(alias)
                if found and found.group(1)[:1].isupper():
                    self.described[found.group(1).lower()] = entry.key

    def matches(self, doc: Doc) -> list[tuple[str, int, int]]:
        """("ONE" | "MANY", start, end) for "la société", "les deux firmes"."""
        out = []
        for _, start, end in self.nouns(doc):
            if start >= 1 and doc[start - 1].lower_ in _SINGULAR_DETS:
                out.append(("ONE", start - 1, end))
            elif start >= 2 and _is_rank(doc[start - 1]) and doc[start - 2].lower_ in _SINGULAR_DETS:
                out.append(("ONE", start - 2, end))  # "le troisième opérateur mobile belge"
            elif start >= 1 and doc[start - 1].lower_ in _POSSESSIVE_DETS:
                out.append(("POSS", start - 1, end))
            elif start >= 2 and doc[start - 1].lower_ in _NUMBERS and doc[start - 2].lower_ in ("les", "ces"):
                out.append(("MANY", start - 2, end))
        return sorted(out, key=lambda m: m[1])

    def _national_platform(self, doc: Doc, i: int) -> bool:
        """"une plateforme californienne", "le groupe sud-coréen": a platform or group with a nationality is
        a firm's description (a bare "plateforme" may be a public service's)."""
        return i + 1 < len(doc) and doc[i].lower_ in ("plateforme", "groupe", "site") \
            and _is_demonym(doc[i + 1], self.demonyms)

    def _appositions(self, doc: Doc, covered: set[int], candidates: list[Span],
                     nouns: PhraseMatcher | None = None) -> list[tuple[int, int]]:
        """Capitalised words before ", un/une + company noun" (or ``nouns``) that no entity covers: a name."""
        taken = covered | {i for c in candidates for i in range(c.start, c.end)}
        ner_starts = {e.start for e in doc.ents}
        out = []
        for _, start, _end in (nouns or self.nouns)(doc):
            if start < 3 or doc[start - 2].text != ",":
                continue
            definite = doc[start - 1].lower_ in ("le", "la", "l'", "l’")
            if doc[start - 1].lower_ not in ("un", "une") and not definite:
                continue
            last = first = start - 2
            while first > 0 and last - first < 4 and first - 1 not in taken and doc[first - 1].is_alpha \
                    and doc[first - 1].text[:1].isupper():  # "MacArthur" too
                first -= 1
            opening = first == doc[first].sent.start
            if doc[first].lower_ in _ARTICLES and first + 1 in ner_starts:
                first += 1  # "La NewsGuild, le syndicat …": the NER's name, not the sentence's capitalised article
            nouns_here = _APPOSITION_WORDS if nouns is None else _CAMPAIGN_ORGANISATIONS
            if definite and (not opening or doc[start].lower_ not in nouns_here
                             or any(t.pos_ != "PROPN" for t in doc[first:last])
                             or _opening_participle(doc[first:last])):
                # only a sentence's opening proper name is set off this way ("En France, la société …",
                # "Sollicitée, l'entreprise …" are no names)
                continue
            if first < last and doc[first:last].text.lower() not in NOT_ACTORS and not is_public_body(
                    doc[first:last].text):
                out.append((first, last))
        return out

    def _introduced(self, doc: Doc, covered: set[int]) -> dict[int, tuple[int, int]]:
        """Names introduced as companies, by the start of their introduction: "la start-up Kairos", "le
        fabricant danois de caméras de surveillance Vexa Vision", "le norvégien Skyfjord"."""
        out: dict[int, tuple[int, int]] = {}
        for kind, start, end in self.matches(doc):
            if kind != "ONE" or start in covered or end >= len(doc):
                continue
            named_at = _name_after_description(doc, end)
            if named_at is None and _is_name(doc[end]):
                named_at = end
            if named_at is not None and named_at not in covered:
                out[start] = (named_at, _name_end(doc, named_at, covered))
        lower = doc.to_array([LOWER])
        for i in numpy.flatnonzero(among(lower, self.determiners)).tolist():
            if i + 2 < len(doc) and i + 1 not in covered and i + 2 not in covered and i not in out \
                    and _is_demonym(doc[i + 1], self.demonyms) and _is_name(doc[i + 2]) \
                    and (doc[i + 2].is_title or doc[i + 2].is_upper):
                out[i] = (i + 2, _name_end(doc, i + 2, covered))
        return out

    def _subjects_described_next(self, doc: Doc, covered: set[int], described: list[Span]
                                 ) -> list[tuple[int, int]]:
        """"Surfshark a emboîté le pas. L'entreprise, qui …": an unknown name, subject of a sentence whose
        next sentence opens on a company description, is that company (its product's name, often)."""
        out = []
        taken = covered | {i for span in described for i in range(span.start, span.end)}
        for kind, start, end in self.matches(doc):
            sent = doc[start].sent
            if kind != "ONE" or start != sent.start or doc[end - 1].lower_ in _INTRO_ONLY or sent.start == 0:
                continue
            if end < len(doc) and (_is_name(doc[end]) or doc[end].i in covered):
                continue  # "La société IBM": named here
            previous = doc[sent.start - 1].sent
            subject = next((t for t in previous if t.dep_ == "nsubj"), None)
            if subject is None or subject.i in taken or not subject.text[:1].isupper() \
                    or subject.pos_ not in ("PROPN", "X") or subject.ent_type_ in ("PER", "LOC") \
                    or subject.text.lower() in NOT_ACTORS or _product_named(doc, subject):
                continue
            first, last = subject.i, subject.i + 1
            while last < len(doc) and _is_name(doc[last]) and last not in taken and doc[last].head == subject:
                last += 1
            out.append((first, last))
        return out

    def _trim_demonyms(self, doc: Doc) -> None:
        """"la Featured Artists Coalition britannique": the lower-case adjective after a name is the article's,
        not part of the name."""
        ents = list(doc.ents)
        trimmed = False
        for i, ent in enumerate(ents):
            end = ent.end
            while ent.label_ in ("ORG", "MISC") and end - ent.start > 1 and _is_demonym(doc[end - 1], self.demonyms):
                end -= 1
            kept = _capitalised_words(doc[ent.start:end])
            # only a name of capitalised words ("Sénat brésilien", "Banque centrale européenne" keep theirs)
            if end != ent.end and kept is not None and len(kept) >= 2:
                ents[i] = Span(doc, ent.start, end, label=ent.label_)
                trimmed = True
        if trimmed:
            doc.ents = ents

    def __call__(self, doc: Doc) -> Doc:
        known = doc.spans.get(ACTOR_SPANS, [])
        covered = {i for span in known for i in range(span.start, span.end)}
        _join_split_names(doc, covered)
        self._trim_demonyms(doc)
        candidates = []
        lower_words = {t.lower for t in doc if t.is_lower}
        for ent in doc.ents:
            if ent.label_ in ("ORG", "PER") and not covered.intersection(range(ent.start, ent.end)):
                text = ent.text.strip()
                if text.lower() in NOT_ACTORS or not any(ch.isupper() for ch in text) or len(text) < 2:
                    continue
                if len(ent) == 1 and ent.start == ent.sent.start and ent[0].lower in lower_words:
                    continue  # "Semi-conducteurs : …", "semi-conducteurs" further down: a word, capitalised first
                end = ent.end
                # "Unitree Robotics" read as "Unitree": the capitalised foreign words that follow belong to it
                while ent.label_ == "ORG" and end < len(doc) and end not in covered and doc[end].is_title \
                        and ((doc[end].pos_ in ("PROPN", "X") and doc[end].ent_iob_ != "B")
                             or _english_name_goes_on(ent, doc[end])):
                    end += 1
                start = ent.start
                while ent.label_ == "PER" and start < end - 1 and doc[start].text in HONORIFICS:
                    start += 1  # "Me Nadia Cherkaoui" is Nadia Cherkaoui
                candidates.append(Span(doc, start, end, label="PER" if _after_role_comma(doc, start) else ent.label_))
        # "ANYbotics, Open Robotics et Unitree Robotics": a name the NER calls MISC inside a list of
        # organisations is one of them.
        org_ends = {c.end for c in candidates if c.label_ == "ORG"} | {s.end for s in known}
        org_starts = {c.start for c in candidates if c.label_ == "ORG"} | {s.start for s in known}
        for ent in doc.ents:
            if ent.label_ != "MISC" or covered.intersection(range(ent.start, ent.end)) or ent.start < 2:
                continue
            before = doc[ent.start - 1].lower_ in _LIST_WORDS and ent.start - 1 in org_ends
            after = ent.end + 1 < len(doc) and doc[ent.end].lower_ in _LIST_WORDS and ent.end + 1 in org_starts
            if before or after:
                candidates.append(Span(doc, ent.start, ent.end, label="ORG"))
                org_ends.add(ent.end)  # the list goes on: "…, OpenVote et DataWacht"
        # "La Coalition for App Fairness, qui regroupe …": a name the NER calls MISC that begins with the noun
        # of an organisation is one
        for ent in doc.ents:
            if ent.label_ == "MISC" and len(ent) >= 2 and ent[0].is_title and (
                    ent[0].lower_ in _ORGANISATION_HEADS or _english_organisation_name(ent)) \
                    and not covered.intersection(range(ent.start, ent.end)):
                candidates = [c for c in candidates if not (c.start < ent.end and c.end > ent.start)]
                candidates.append(Span(doc, ent.start, ent.end, label="ORG"))
        # "Joy Buolamwini, chercheuse au MIT": a name followed by a person's role is a person, even when
        # the NER missed it (it often does for foreign names).
        taken = covered | {i for c in candidates for i in range(c.start, c.end)}
        # "Jane Doe, de l'organisation Privacy International", "Evan Greer, qui dirige Fight for the Future":
        # a name followed by the organisation it works for is a person too.
        starts = [start for _, start, _end in self.person_roles(doc)]
        for _, start, end in self.affiliation_cues(doc):
            window = range(end, min(len(doc), end + 4))
            if doc[start + 1].lower_ == "qui" or any(
                    i in covered or doc[i].lower_ in _ORGANISATION_NOUNS for i in window):
                starts.append(start + 1)
        for start in sorted(set(starts)):
            comma = start - 1
            if comma < 2 or doc[comma].text != "," or comma - 1 in taken:
                continue
            first = comma
            while first > 0 and comma - first < 3 and _is_name(doc[first - 1]) and first - 1 not in taken:
                first -= 1
            if comma - first >= 2:  # first name and surname at least
                candidates.append(Span(doc, first, comma, label="PER"))

        # "le collectif de salariés No Azure for Apartheid", "l'association Technopolice": an organisation
        # named after the noun that describes it (a name the gazetteer knows in part is still this one).
        campaigning: list[Span] = []
        for _, start, end in self.organisations(doc):
            if start == 0 or doc[start - 1].lower_ not in _ORG_DETS or start in covered:
                continue
            first = _name_after_description(doc, end, lower_names=True)
            if first is None or first in covered:
                continue
            last = _organisation_name_end(doc, first)
            if last - first > 8:
                continue
            if doc[start].is_title and first == end and not doc[start].is_sent_start:
                first = start  # "la Coalition Against Stalkerware": a capitalised noun begins the name itself
            known = [k for k in known if not (k.start < last and k.end > first)]
            covered = {i for span in known for i in range(span.start, span.end)}
            candidates = [c for c in candidates if not (c.start < last and c.end > first)]
            candidates.append(Span(doc, first, last, label="ORG"))
            campaigning.append(Span(doc, first, last, label="ORG"))
        for first, last in [*_defenders(doc, covered, campaigning), *_demanding_names(doc, covered, campaigning)]:
            candidates = [c for c in candidates if not (c.start < last and c.end > first)]
            candidates.append(Span(doc, first, last, label="ORG"))
            campaigning.append(Span(doc, first, last, label="ORG"))
        doc.spans[CAMPAIGNING_SPANS] = campaigning
        doc.spans[ACTOR_SPANS] = known
        quoted = quoted_tokens(doc, sorted(start for _, start, _ in self.quotes(doc)))
        companies = [span for span in known if span.label_.startswith("company:")]
        described: list[Span] = []  # unknown names the text itself calls companies
        # "Clearview AI, une start-up new-yorkaise": an apposition after the name
        for ent in doc.ents:
            if ent.label_ in ("ORG", "PER", "MISC") and not covered.intersection(range(ent.start, ent.end)) \
                    and ent.end + 2 < len(doc) and doc[ent.end].text == "," \
                    and doc[ent.end + 1].lower_ in ("un", "une", "la", "le", "l'", "l’") \
                    and (_company_noun(doc, ent.end + 2, _APPOSITION_WORDS if ent.start == ent.sent.start
                                       else _COMPANY_WORDS) or self._national_platform(doc, ent.end + 2)) \
                    and ent.text.lower() not in NOT_ACTORS \
                    and not _opening_participle(ent) and not _phrase_of_words(ent):
                candidates = [c for c in candidates if not (c.start < ent.end and c.end > ent.start)]
                candidates.append(Span(doc, ent.start, ent.end, label="ORG"))
                described.append(Span(doc, ent.start, ent.end, label="ORG"))
        # "Controle Alt Delete, une organisation qui …": an organisation's name before its description.
        for first, last in self._appositions(doc, covered, candidates, self.organisations):
            candidates.append(Span(doc, first, last, label="ORG"))
        # The same when the NER saw no name there ("Ocelis, une start-up de Villeurbanne" read as a verb).
        for first, last in self._appositions(doc, covered, candidates):
            candidates.append(Span(doc, first, last, label="ORG"))
            described.append(Span(doc, first, last, label="ORG"))
        # "le PDG de Kairos", "fondatrice de Clearview": the name after a role is an organisation,
        # whatever the NER says (it often reads an unknown firm as a person).
        ent_ends = {e.start: e.end for e in doc.ents if e.label_ in ("ORG", "MISC")}
        for _, _start, end in self.roles(doc):
            if end + 1 >= len(doc) or doc[end].lower_ not in _OF or end + 1 in covered or not _is_name(doc[end + 1]):
                continue
            name_end = end + 1
            while name_end < len(doc) and _is_name(doc[name_end]) and name_end not in covered:
                name_end += 1
            # "directeur général du Future of Privacy Forum": the NER's longer name, small words included
            ner_end = ent_ends.get(end + 1, name_end)
            if ner_end > name_end and not covered.intersection(range(name_end, ner_end)):
                name_end = ner_end
            key = slugify(doc[end + 1:name_end].text)
            if not key or doc[end + 1:name_end].text.lower() in NOT_ACTORS:
                continue
            candidates = [c for c in candidates if not (c.start < name_end and c.end > end + 1)]
            candidates.append(Span(doc, end + 1, name_end, label="ORG"))
            companies.append(Span(doc, end + 1, name_end, label=f"ORG:{key}"))
            if doc[_start:end].text.lower() in EXECUTIVE_ROLES and not _institution_name(doc[end + 1:name_end]) \
                    and not _organisation_apposition(doc, name_end):
                described.append(Span(doc, end + 1, name_end, label="ORG"))  # has a CEO: a company
        # "les sociétés Cobwebs et Cognyte", "des entreprises françaises comme Wintics ou Videtics": names
        # listed after a plural company noun are companies.
        for _, start, end in self.nouns(doc):
            if start == 0 or doc[start - 1].lower_ not in _PLURAL_DETS or not doc[start].lower_.endswith(("s", "x")):
                continue
            j = end
            while j < len(doc) and doc[j].pos_ == "ADJ" and doc[j].is_lower:
                j += 1
            if j + 1 < len(doc) and doc[j].lower_ in _EXAMPLE_WORDS:
                j += 2 if doc[j].lower_ in ("tels", "telles") and doc[j + 1].lower_ == "que" else 1
            listed = []
            while j < len(doc) and not doc[j].is_sent_start and _is_name(doc[j]) and j not in covered:
                name_end = j
                while name_end < len(doc) and _is_name(doc[name_end]) and name_end not in covered:
                    name_end += 1
                listed.append((j, name_end))
                j = name_end
                if j + 1 < len(doc) and doc[j].lower_ in _LIST_WORDS and _is_name(doc[j + 1]):
                    j += 1
                else:
                    break
            for first, last in listed:
                candidates = [c for c in candidates if not (c.start < last and c.end > first)]
                candidates.append(Span(doc, first, last, label="ORG"))
                described.append(Span(doc, first, last, label="ORG"))
        # "le fabricant danois de caméras de surveillance Vexa Vision", "le norvégien Skyfjord": names
        # introduced by a company noun or a demonym.
        # "le réseau militant Campact": the campaigning description wins over the company noun it contains
        introduced = [(first, last) for first, last in self._introduced(doc, covered).values()
                      if not any(c.start <= first < c.end for c in campaigning)]
        for first, last in [*introduced, *self._subjects_described_next(doc, covered, described)]:
            candidates = [c for c in candidates if not (c.start < last and c.end > first)]
            candidates.append(Span(doc, first, last, label="ORG"))
            described.append(Span(doc, first, last, label="ORG"))
        # The same name elsewhere in the article ("DJI suspend …" after "le fabricant chinois de drones DJI"),
        # and its first word alone ("Tessellate" for "Tessellate Semiconductor"), is the same company, whatever
        # the NER read there: later descriptions ("l'éditeur", "la société") can refer to it.
        # Names that play a company's part (several weak cues add up), whatever the NER read there.
        for span in scored_companies(doc, covered, candidates, described, campaigning, self.demonyms):
            candidates = [c for c in candidates if not (c.start < span.end and c.end > span.start)]
            candidates.append(span)
            described.append(span)
        candidates, glossed = _with_glossed_names(doc, covered, candidates)
        if glossed:
            doc.spans[CAMPAIGNING_SPANS] = _respanned(list(doc.spans[CAMPAIGNING_SPANS]), glossed)
            described = _respanned(described, glossed)
            companies = _respanned(companies, glossed, keyed=True)
        described = [s for s in described if any(ch.isupper() for ch in s.text)]  # "des salariés malgaches"
        candidates, named = _same_names(doc, covered, candidates, described)
        companies += named
        companies.sort(key=lambda c: c.start)
        anaphora: list[Span] = []
        for kind, start, end in self.matches(doc):
            if start in covered or start in introduced:  # part of a known description, or names a company
                continue
            nxt = doc[end] if end < len(doc) else None
            if nxt is not None and nxt.lower_ in _OF and kind == "ONE" and end + 1 < len(doc):
                # "le groupe de Redmond" → the company whose known descriptions name Redmond
                for length in (3, 2, 1):
                    name = doc[end + 1:min(len(doc), end + 1 + length)].text.lower()
                    if name in self.described:
                        anaphora.append(Span(doc, start, end + 1 + length,
                                             label=f"company:{self.described[name]}"))
                        break
                else:
                    name = None
                if name is not None:
                    continue
            if kind != "POSS" and doc[end - 1].lower_ in _INTRO_ONLY:
                continue  # "le réseau", "le laboratoire": too vague to stand for a company
            # "la société IBM" is an apposition, not an anaphor; "la firme de Palo Alto" is unknown.
            if nxt is not None and (nxt.i in covered or (nxt.lower_ in ("de", "d'", "d’") and end + 1 < len(doc)
                                                           and doc[end + 1].pos_ == "PROPN")):
                continue
            # Names inside a quotation are less salient than the narrative's: skip them unless the
            # description is in the same quotation ("», a déclaré la société" is not Thorn).
            before = [c for c in companies + anaphora
                      if c.end <= start and (c.start not in quoted or quoted[c.start] == quoted.get(start))
                      and doc[c.start].lower_ not in ACADEMIC_WORDS  # "la société" is no university
                      and not is_public_body(c.text)]  # "dans l'Union européenne, l'éditeur …"
            before.sort(key=lambda s: s.start)
            if len(before) > 1 and _enumerated(doc, before[-1]):
                # "… sur X, TikTok, Instagram ou Telegram. … l'entreprise": a name in a list of three or more is
                # not what a later description stands for
                before = [c for c in before if not _enumerated(doc, c)] or before
            wanted = _NUMBERS[doc[start + 1].lower_] if kind == "MANY" else 1
            if wanted == 1 and before:
                # "Microsoft a signé avec Amazon … La société …": the company the previous sentence is about
                # (its subject), not the last name in it
                sent = doc[before[-1].start].sent
                if start >= sent.end:
                    inside = [c for c in before if c.start >= sent.start]
                    subjects = [c for c in inside if any(t.dep_ in ("nsubj", "nsubj:pass") for t in doc[c.start:c.end])]
                    if len({c.label_ for c in inside}) > 1 and subjects:
                        before = [c for c in before if c.label_ != subjects[-1].label_] + [subjects[-1]]
            referents: list[str] = []
            for span in reversed(before):
                if span.label_ not in referents:
                    referents.append(span.label_)
                if len(referents) == wanted:
                    break
            if len(referents) == wanted:
                anaphora.extend(Span(doc, start, end, label=label) for label in referents)
        doc.spans[ANAPHORA_SPANS] = anaphora
        # "Sollicité, Microsoft n'a pas souhaité commenter": whatever rule took it for a name, it is a participle
        candidates = [c for c in candidates if not _participle_before_comma(c)]
        doc.spans[CANDIDATE_SPANS] = sorted(candidates, key=lambda c: c.start)
        doc.spans[DESCRIBED_SPANS] = [c for c in described if not _participle_before_comma(c)]
        return doc


#: Heads of a State body's name the press writes in lower case before its acronym ("le département des
#: transports de Los Angeles (LADOT)"): the acronym names that body, not a company.
_GLOSSED_PUBLIC_HEADS = frozenset({"ministère", "département", "agence", "commission", "autorité", "office", "bureau",
                                   "préfecture", "administration", "secrétariat"})


def _with_glossed_names(doc: Doc, covered: set[int], candidates: list[Span]) -> tuple[list[Span], list[Span]]:
    """"Le Collectif des livreurs autonomes de plateformes (CLAP)": the whole name replaces the parts
    the NER or other cues found, and the bare acronym elsewhere is the same organisation.

    Returns the candidates and the full names found."""
    glossed = []
    for first, last, acronym in glossed_names(doc, covered, _GLOSSED_PUBLIC_HEADS):
        key = slugify(doc[first:last].text)
        if not key:
            continue
        spans = [Span(doc, first, last, label=f"ORG|{key}")]
        spans += [Span(doc, i, i + 1, label=f"ORG|{key}") for i in acronym_occurrences(doc, acronym, covered)]
        for span in spans:
            candidates = [c for c in candidates if not (c.start < span.end and c.end > span.start)]
            candidates.append(span)
        glossed.append(spans[0])
    return candidates, glossed


def _respanned(spans: list[Span], names: list[Span], keyed: bool = False) -> list[Span]:
    """``spans`` where a part of a glossed name ("Groupe" of "Groupe pour une Suisse sans armée (GSsA)")
    is replaced by the whole name, keeping what the part was found to be."""
    out = []
    for span in spans:
        name = next((n for n in names if n.start < span.end and span.start < n.end), None)
        if name is None:
            out.append(span)
        elif not any(s.start == name.start and s.end == name.end for s in out):
            label = f"{span.label_.split(':', 1)[0]}:{name.label_.split('|', 1)[1]}" if keyed else span.label_
            out.append(Span(span.doc, name.start, name.end, label=label))
    return out


_LIST_WORDS = {",", "et", "ou"}
_PLURAL_DETS = {"les", "des", "ces", "deux", "trois", "quatre", "cinq", "plusieurs", "d'autres", "autres"}
_EXAMPLE_WORDS = {"comme", "tels", "telles", "dont", "notamment", ":"}
#: Nouns naming a campaigning organisation (an organisation named after one decides no company policy).
_CAMPAIGN_ORGANISATIONS = {"collectif", "association", "ong", "coalition", "fondation", "mouvement", "ligue",
                           "syndicat", "fédération", "organisation", "centre de défense", "organisme",
                           "réseau militant", "groupe de défense", "organisme de défense"}
_ORG_DETS = {"le", "la", "l'", "l’", "du", "de", "d'", "d’", "au", "un", "une", "cette", "ce"}
_NAME_CONNECTORS = {"for", "of", "the", "and", "de", "des", "du", "pour", "contre", "sans", "&"}
#: After "Name Surname,": the organisation the person works for follows.
_AFFILIATION_CUES = ["de", "du", "d'", "d’", "qui dirige", "qui préside", "qui a fondé", "qui a cofondé",
                     "qui coordonne", "qui représente", "qui anime", "qui travaille pour", "qui travaille à"]
#: Nouns of organisations (after "de l'", "du" in an affiliation).
_ORGANISATION_NOUNS = {"organisation", "groupe", "association", "collectif", "ong", "coalition", "fondation", "ligue",
                       "branche", "section", "antenne", "campagne", "mouvement", "institut", "centre", "réseau"}
#: First words of organisations' names, French and English ("Coalition for App Fairness", "Ligue des droits …").
_ORGANISATION_HEADS = {"coalition", "alliance", "association", "foundation", "fondation", "league", "ligue", "union",
                       "institute", "institut", "center", "centre", "council", "committee", "comité", "federation",
                       "fédération", "collectif", "network", "réseau", "observatory", "observatoire", "fund",
                       "syndicat", "mouvement", "movement"}
#: Nouns that end or head the English name of an organisation ("Japan Civil Liberties Union", "Editors Guild
#: of India", "Future of Privacy Forum").
_ENGLISH_ORGANISATION_NOUNS = {"union", "guild", "forum", "coalition", "alliance", "institute", "center", "council",
                               "network", "foundation", "society", "league", "committee", "federation", "coalizão"}
#: Small words inside an English (or Portuguese) name of capitalised words ("Network to End Domestic Violence").
_ENGLISH_NAME_CONNECTORS = {"of", "for", "the", "to", "and", "on", "na", "da", "do", "de"}


def _capitalised_words(span: Span) -> list[Token] | None:
    """The words of a name whose every word but its small connectors is capitalised; ``None`` otherwise."""
    words = [t for t in span if t.lower_ not in _ENGLISH_NAME_CONNECTORS]
    return words if all(t.text[:1].isupper() for t in words) else None


def _english_name_goes_on(ent: Span, token: Token) -> bool:
    """"Kenya Human Rights" + "Commission", "National Network to End Domestic" + "Violence" (read as MISC): the
    NER cut an English name of capitalised words short."""
    return len(ent) >= 2 and _capitalised_words(ent) is not None and token.pos_ in ("PROPN", "X", "NOUN") \
        and (token.ent_iob_ != "B" or token.ent_type_ == "MISC")


def _english_organisation_name(span: Span) -> bool:
    """A capitalised multi-word name (small connectors aside) with an organisation noun in it."""
    words = _capitalised_words(span)
    return words is not None and any(t.lower_ in _ENGLISH_ORGANISATION_NOUNS for t in words)


#: First words of the bodies an industry forms, and the firms they gather ("l'Association des assureurs
#: britanniques", "la Fédération bancaire", "the Association of British Insurers").
TRADE_BODY_HEADS = {"association", "fédération", "union", "chambre", "groupement", "syndicat", "conseil",
                     "alliance", "council", "federation"}
_INDUSTRY_MEMBERS = {"assureurs", "banques", "banquiers", "opérateurs", "éditeurs", "fabricants", "constructeurs",
                     "industriels", "entreprises", "plateformes", "fournisseurs", "distributeurs", "détaillants",
                     "commerçants", "annonceurs", "hébergeurs", "sociétés", "équipementiers", "insurers", "banks",
                     "manufacturers", "operators", "publishers", "companies", "providers", "retailers", "bancaire",
                     "bancaires",
                     # a sector, or the employers: "la fédération du numérique", "l'organisation patronale"
                     "numérique", "industrie", "industries", "télécoms", "télécommunications", "patronale", "patronal",
                     "professionnelle", "professionnel", "employeurs", "patronat"}


def is_trade_body(span: Span) -> bool:
    """A body of firms named by the firms it gathers: the first word a body's, then, before any other noun,
    the industry's ("Association des assureurs britanniques", "Fédération bancaire française")."""
    if len(span) < 2 or span[0].lower_ not in TRADE_BODY_HEADS:
        return False
    for token in span[1:]:
        if token.lower_ in _INDUSTRY_MEMBERS:
            return True
        if token.pos_ not in ("ADP", "DET", "ADJ") and token.lower_ not in ("de", "des", "of", "the", "d'", "d’"):
            return False
    return False


EXECUTIVE_ROLES = {"pdg", "ceo", "directeur général", "directrice générale", "patron", "patronne", "fondateur",
                   "fondatrice", "cofondateur", "cofondatrice", "co-fondateur", "co-fondatrice"}


def _name_after_description(doc: Doc, i: int, lower_names: bool = False) -> int | None:
    """Index of a name after a company noun's adjectives and "de/en" + noun complements
    ("[le fournisseur] norvégien d'informatique en nuage Skyfjord"), or ``None``."""
    j = i
    the_product = False  # the last complement is one definite product: "le fabricant du drone X"
    while j < min(len(doc), i + 10):
        token = doc[j]
        if token.pos_ == "ADJ" and token.is_lower:
            j += 1
            continue
        k = j + 1
        if token.lower_ in _COMPLEMENT_PREPS and k < len(doc) and doc[k].lower_ in ("la", "l'", "l’") \
                and token.lower_ != "en":
            k += 1
        if token.lower_ in _COMPLEMENT_PREPS and k < len(doc) and doc[k].pos_ == "NOUN" and doc[k].is_lower \
                and (lower_names or doc[k].lower_ not in _NOT_COMPANY_COMPLEMENTS):
            the_product = (token.lower_ == "du" or k == j + 2) and doc[k].lower_ in PRODUCT_NOUNS
            j = k + 1
            continue
        break
    if (j == i and not lower_names) or j >= len(doc) or the_product:
        return None
    token = doc[j]
    if lower_names and token.pos_ == "NOUN" and token.is_lower and j + 1 < len(doc) and (
            doc[j + 1].text == "#" or doc[j + 1].is_title or doc[j + 1].like_num):
        j += 1  # "le collectif citoyen #BlockSidewalk": a noun used as an adjective
        token = doc[j]
    if lower_names:  # after an organisation noun, any capitalised word starts the name ("No Azure …")
        if token.text == "#" and j + 1 < len(doc) and not token.whitespace_:
            return j  # "le collectif #StopFisha"
        if token.like_num and j + 1 < len(doc) and doc[j + 1].is_title:
            return j  # "le collectif de parents 36 Months"
        word = _glued(doc, j)
        capitalised = any(ch.isupper() for ch in word) and word[:1].isalpha()  # "OpenMedia", "e-Enfance"
        return j if (capitalised or (token.pos_ == "PROPN" and token.is_alpha)) and len(word) > 1 else None
    return j if token.pos_ in ("PROPN", "NOUN", "X") and (token.is_upper or token.is_title) and token.is_alpha \
        and len(token) > 1 else None


def _glued(doc: Doc, i: int) -> str:
    """The text of the tokens written together from ``i`` ("e-Enfance", "SFLC.in")."""
    end = i
    while end + 1 < len(doc) and not doc[end].whitespace_ and doc[end + 1].text not in (",", ".", ")", "»"):
        end += 1
    return doc[i:end + 1].text


def _organisation_name_end(doc: Doc, first: int) -> int:
    """End of an organisation's name: its capitalised words, glued tokens, numbers ("Article 19"),
    connectors; a name in lower-case words ("le collectif Nos paumes ne sont pas des badges, né …") runs to
    the comma when that comes soon."""
    last = first + 1
    while last < len(doc) and (not doc[last - 1].whitespace_ and doc[last].text not in (",", ".", ")", "»")):
        last += 1  # "#StopFisha", "e-Enfance"
    while last < len(doc) and (_is_name(doc[last]) or (doc[last].like_num and doc[last - 1].is_title) or (
            doc[last].lower_ in _NAME_CONNECTORS and last + 1 < len(doc) and doc[last + 1].is_title)):
        last += 1
    comma = last
    while comma < min(len(doc), first + 9) and doc[comma].is_lower and doc[comma].is_alpha:
        comma += 1
    if comma > last and comma < len(doc) and doc[comma].text == "," and doc[first].is_title \
            and doc[comma + 1:comma + 2].text.lower() in _APPOSITION_STARTS:
        return comma
    return last


#: Verbs of a relative clause that make the name before it a campaigning organisation ("le réseau SAFEnet, qui
#: défend la liberté d'expression", "la Coalition X, qui fédère des dizaines d'associations").
_DEFENDING_VERBS = {"défendre", "militer", "lutter", "fédérer", "regrouper", "rassembler", "œuvrer", "plaider"}
#: Vague nouns that name an organisation of either kind; the relative clause after the name decides.
_VAGUE_ORGANISATIONS = {"réseau", "campagne", "groupe", "plateforme", "initiative"}


def _defenders(doc: Doc, covered: set[int], campaigning: list[Span]) -> list[tuple[int, int]]:
    """Names after a vague organisation noun ("le réseau SAFEnet", "la campagne Right2Know") followed by a
    relative clause of defence (", qui défend …"), or standing beside an advocacy group ("la campagne
    Right2Know et l'ONG Privacy International"): campaigning organisations, not companies."""
    taken = covered | {i for c in campaigning for i in range(c.start, c.end)}
    out = []
    for token in doc[1:-2]:
        if token.lower_ not in _VAGUE_ORGANISATIONS or doc[token.i - 1].lower_ not in _ORG_DETS:
            continue
        first = _name_after_description(doc, token.i + 1, lower_names=True)
        if first is None or first in taken:
            continue
        last = _organisation_name_end(doc, first)
        after = doc[last:min(len(doc), last + 4)]
        defends = len(after) > 2 and after[0].text == "," and after[1].lower_ == "qui" and any(
            t.lemma_ in _DEFENDING_VERBS for t in after[2:])
        # "la campagne Right2Know et l'ONG Privacy International": listed with an advocacy group
        beside = len(after) > 2 and after[0].lower_ in (",", "et") and after[1].lower_ in _ORG_DETS and (
            after[2].lower_ in _CAMPAIGN_ORGANISATIONS)
        if (defends or beside) and last - first <= 6:
            out.append((first, last))
    return out


#: Verbs of a relative clause that make an organisation's name before it a campaigner's ("ParentsTogether, qui
#: réclame depuis des mois des garde-fous").
_DEMANDING_VERBS = _DEFENDING_VERBS | {"réclamer", "exiger", "dénoncer", "alerter"}
#: Their present forms, for a lemmatizer's slip ("réclame" read as its own lemma).
_DEMANDING_FORMS = {v[:-2] + e for v in _DEMANDING_VERBS if v.endswith("er") for e in ("e", "ent")}


def _demanding_names(doc: Doc, covered: set[int], campaigning: list[Span]) -> list[tuple[int, int]]:
    """Organisations' names (the NER's, not people's) followed by ", qui" and a verb of demand or defence
    (after at most one adverb or pronoun): campaigning organisations."""
    taken = covered | {i for c in campaigning for i in range(c.start, c.end)}
    out = []
    for ent in doc.ents:
        if ent.label_ not in ("ORG", "MISC") or taken.intersection(range(ent.start, ent.end)) \
                or is_public_body(ent.text):  # "L'UE, qui défend l'accord"
            continue
        after = doc[ent.end:min(len(doc), ent.end + 6)]
        if len(after) > 2 and after[0].text == "," and after[1].lower_ == "qui" and any(
                (t.lemma_ in _DEMANDING_VERBS and t.pos_ == "VERB") or t.lower_ in _DEMANDING_FORMS
                for t in after[2:4]):
            out.append((ent.start, ent.end))
    return out


#: Words that open an apposition after a name ("…, né en 2022", "…, qui"): what precedes is the whole name.
_APPOSITION_STARTS = {"né", "née", "créé", "créée", "fondé", "fondée", "lancé", "lancée", "qui", "basé", "basée"}


_COMPLEMENT_PREPS = {"de", "d'", "d’", "du", "des", "en"}
#: Singular nouns of one product: the name after "du drone", "de l'application" is the product's.
PRODUCT_NOUNS = {"drone", "logiciel", "application", "appli", "robot", "chatbot", "modèle", "assistant",
                 "générateur", "outil", "système", "programme", "service", "jeu", "casque", "téléphone",
                 "smartphone", "satellite", "missile", "avion", "véhicule", "caméra", "algorithme"}
#: Complements that make a "groupe" something else than a company ("le groupe de défense des droits X").
_NOT_COMPANY_COMPLEMENTS = {"défense", "pression", "travail", "réflexion", "experts", "militants", "citoyens",
                            "parlementaires", "députés", "sénateurs", "pays", "états"}


def _product_named(doc: Doc, name: Token) -> bool:
    """"Pulse, son module d'analyse": a name the text calls someone's product somewhere."""
    orth = name.orth
    return any(t.orth == orth and t.i + 2 < len(doc) and doc[t.i + 1].text == ","
               and doc[t.i + 2].lower_ in _POSSESSIVE_DETS for t in doc)


def _name_end(doc: Doc, i: int, covered: set[int]) -> int:
    end = i + 1
    while end < len(doc) and _is_name(doc[end]) and end not in covered:
        end += 1
    return end


def _is_rank(token) -> bool:
    return token.lower_ in _RANKS or token.lower_.endswith("ième")


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    """Capitalised one-word labels of the jurisdictions ("Chine", "France", "India")."""
    labels = {label for c in load_lexicons().scheme("juris") for label in c.labels}
    return frozenset(label for label in labels if label[:1].isupper() and " " not in label)


def _juris_adjectives() -> frozenset[str]:
    """Lower-case one-word labels of the jurisdictions ("britannique", "belge", "birman")."""
    labels = {label for c in load_lexicons().scheme("juris") for label in c.labels}
    return frozenset(label for label in labels if label.islower() and " " not in label)


def _is_demonym(token, adjectives: frozenset[str]) -> bool:
    """A lower-case demonym: a jurisdiction's adjective or a word with a demonym's ending ("berlinois")."""
    word = token.lower_
    if not token.is_lower or word in NOT_DEMONYMS or token.pos_ not in ("ADJ", "NOUN", "PROPN"):
        return False
    return word in adjectives or (len(word) > 5 and word.endswith(DEMONYM_ENDINGS) and not word.endswith("icien"))


def _same_names(doc: Doc, covered: set[int], candidates: list[Span], described: list[Span]
                ) -> tuple[list[Span], list[Span]]:
    """Every occurrence of a described name, and of the first word of a longer one, as a candidate ``ORG``
    (replacing the NER's reading of it) and as a company antecedent (label ``ORG:key``)."""
    names: dict[tuple[int, ...], str] = {}
    for span in sorted(described, key=len, reverse=True):  # a first word is the longest name's
        key = slugify(span.text)
        if not key:
            continue
        names.setdefault(tuple(t.orth for t in span), key)
        first = span[0]
        if len(span) > 1 and first.is_alpha and len(first) > 3 and (first.is_title or first.is_upper):
            names.setdefault((first.orth,), key)
    if not names:
        return candidates, []
    orth = doc.to_array([ORTH])
    found: list[Span] = []
    for name, key in sorted(names.items(), key=lambda kv: -len(kv[0])):
        for start in numpy.flatnonzero(orth == name[0]).tolist():
            end = start + len(name)
            if end > len(doc) or tuple(orth[start:end].tolist()) != name or covered.intersection(range(start, end)):
                continue
            if (end < len(doc) and _is_name(doc[end]) and doc[end].text != "(") or any(
                    f.start < end and f.end > start for f in found):
                continue  # "Lumicom Insights" is another name
            found.append(Span(doc, start, end, label=key))
    kept = [c for c in candidates if not any(c.start >= f.start and c.end <= f.end for f in found)]
    spans = [f for f in found if not any(c.start < f.end and c.end > f.start for c in kept)]
    label = {f: f"ORG|{f.label_}" if slugify(f.text) != f.label_ else "ORG" for f in spans}
    kept += [Span(doc, f.start, f.end, label=label[f]) for f in spans]
    return kept, [Span(doc, f.start, f.end, label=f"ORG:{f.label_}") for f in found]


#: Words of the names of institutions, which have founders and directors but are not companies.
INSTITUTION_WORDS = {"institute", "institut", "foundation", "fondation", "center", "centre", "initiative",
                     "project", "projet", "alliance", "network", "council", "coalition", "association", "collectif",
                     "campaign", "union", "league", "ligue", "society", "watch", "lab", "observatoire", "fund",
                     "forum"}


_LIST_WORDS = {",", "et", "ou"}


def _enumerated(doc: Doc, span: Span) -> bool:
    """A name in an enumeration of three names or more ("X, TikTok, Instagram ou Telegram")."""
    def names_on(step: int) -> int:
        count, i = 0, (span.start - 1 if step < 0 else span.end)
        while 0 <= i < len(doc) and doc[i].lower_ in _LIST_WORDS:
            j = i + step
            if not (0 <= j < len(doc)) or not (doc[j].is_title or doc[j].is_upper or doc[j].pos_ == "PROPN"):
                break
            count += 1
            while 0 <= j + step < len(doc) and doc[j + step].pos_ == "PROPN":
                j += step  # the other words of a name of several words
            i = j + step
        return count
    return names_on(-1) + names_on(1) >= 2


#: First words of academic and care institutions: a company's description never stands for them.
ACADEMIC_WORDS = {"université", "university", "universität", "universidad", "école", "hôpital", "hôpitaux", "chu"}


def _institution_name(span: Span) -> bool:
    return any(t.lower_ in INSTITUTION_WORDS for t in span)


#: Nouns that, in an apposition right after a name, say it is a company ("Nothing, la marque de smartphones").
#: The introducing nouns too vague even there ("X, le réseau …", "X, le laboratoire …", "X, le leader …").
_VAGUE_IN_APPOSITION = {"réseau", "laboratoire", "vendeur", "fonds", "leader"}
_APPOSITION_WORDS = _COMPANY_WORDS | {n for w in INTRO_NOUNS if w not in _VAGUE_IN_APPOSITION for n in (w, w + "s")}


def _company_noun(doc: Doc, i: int, words: set[str] = _COMPANY_WORDS) -> bool:
    """A company noun at ``i``, possibly after an adjective ("une jeune entreprise", "une start-up")."""
    for j in (i, i + 1):
        if j < len(doc) and (doc[j].lower_ in words or doc[j:j + 3].text.lower() == "start-up"):
            return True
        if j < len(doc) and doc[j].pos_ != "ADJ":
            break
    return False


def _is_name(token) -> bool:
    if token.pos_ == "PROPN":
        # a lower-case word the tagger calls a proper noun ("l'entreprise new-yorkaise") is no name
        return not token.text.islower()
    # "HealthEngine", "MacArthur": a capital inside the word is a name's too, whatever the tagger says
    return not token.is_sent_start and token.is_alpha and token.text[:1].isupper() and (
        token.is_title or (not token.is_upper and any(ch.isupper() for ch in token.text[1:])))


# ---------------------------------------------------------------- unknown companies by their role

#: Nouns whose "de X" complement is the business that has them ("les clients de X", "la direction de X",
#: "le concurrent allemand de X", "le directeur technique de X").
BUSINESS_NOUNS = {"client", "clients", "cliente", "clientes", "abonné", "abonnés", "utilisateur", "utilisateurs",
                  "produit", "produits", "logiciel", "logiciels", "service", "services", "application",
                  "applications", "plateforme", "filiale", "filiales", "pdg", "ceo", "salarié", "salariés",
                  "employé", "employés", "actionnaire", "actionnaires", "direction", "concurrent", "concurrents",
                  "concurrente", "rival", "rivaux", "catalogue", "offre", "cofondateur", "cofondatrice", "serveurs",
                  "technologie", "outil", "outils", "marque", "rachat", "revendeurs", "sous-traitant", "fournisseur",
                  "magasins", "usine", "usines"}
#: Verbs (lemmas) whose subject is a business.
BUSINESS_VERBS = {"vendre", "commercialiser", "fournir", "proposer", "développer", "lancer", "racheter",
                  "acquérir", "facturer", "licencier", "embaucher", "équiper", "livrer", "exploiter", "héberger",
                  "collecter", "fabriquer", "produire", "distribuer", "céder", "revendre", "breveter", "éditer",
                  "concevoir", "employer", "revendiquer", "commercialise",
                  # a firm's decisions on what it offers: "X renonce à …", "X bannit les modèles …"
                  "renoncer", "bannir", "désactiver"}
#: Nouns that, in apposition to a name or introducing it, describe a business ("X, spécialiste irlandais de
#: …", "X, leader européen de …", "la boutique X", "un laboratoire texan, X").
OCCUPATION_NOUNS = {"spécialiste", "spécialistes", "leader", "numéro", "pionnier", "pionnière", "champion",
                    "championne", "boutique", "concurrent", "concurrente", "rival", "filiale", "laboratoire",
                    "opérateur", "courtier", "développeur", "concepteur", "vendeur", "équipementier", "studio",
                    "magasin", "éditrice", "fabricante", "assureur", "banque", "fournisseur", "prestataire",
                    "sous-traitant", "géant", "entreprise", "société", "firme", "groupe", "éditeur", "fabricant",
                    "constructeur", "start-up", "startup", "pme", "hébergeur", "distributeur", "détaillant",
                    "enseigne", "chaîne", "compagnie", "multinationale", "supermarché", "hypermarché",
                    "opératrice", "propriétaire", "exploitant", "exploitante", "gestionnaire",
                    # broadcasters ("X, la station publique régionale"); not "la radio NPR", a source far more often
                    "station", "diffuseur", "radiodiffuseur"}
#: Occupation nouns that public services share with firms ("la plateforme publique X"): half a cue.
WEAK_OCCUPATION_NOUNS = {"plateforme", "application", "messagerie", "site"}
#: Last words of company names ("Maxar Technologies", "Orthrus Labs").
COMPANY_NAME_ENDINGS = {"technologies", "technology", "labs", "networks", "systems", "inc", "inc.", "corp",
                        "corporation", "ltd", "gmbh", "sa", "sas", "ag", "llc", "plc", "robotics", "analytics",
                        "software", "telecom", "solutions", "dynamics", "semiconductor", "semiconductors",
                        "electronics", "industries", "holdings", "aerospace", "biotech", "therapeutics",
                        "communications", "interactive", "games", "motors", "automotive", "pharma", "scientific",
                        "pharmaceuticals", "instruments", "group", "media", "security", "defense", "defence"}
#: Verbs (lemmas) whose "à X" is where something is ("créée à Helsinki", "basée à Dublin").
_LOCATED = {"être", "baser", "installer", "situer", "implanter", "créer", "fonder", "établir", "naître", "vivre",
            "habiter", "travailler", "trouver", "réunir", "tenir", "ouvrir", "arriver", "aller", "venir"}
_PLACE_PREPS = {"à", "en", "au", "aux", "dans", "près", "vers"}
_INTRO_DETS = {"le", "la", "l'", "l’", "un", "une", "ce", "cet", "cette"}
_ROLE_WORDS = set(ROLE_NOUNS) | set(PERSON_ROLE_NOUNS)
#: Business cues needed for an unknown name to be a company (several weak cues add up).
COMPANY_SCORE = 2


def _occurrences(doc: Doc, name: tuple[int, ...], orth) -> list[int]:
    out = []
    for start in numpy.flatnonzero(orth == name[0]).tolist():
        end = start + len(name)
        if end <= len(doc) and tuple(orth[start:end].tolist()) == name \
                and not (end < len(doc) and _is_name(doc[end]) and doc[end].text != "("):
            out.append(start)
    return out


def _singular(word: str) -> str:
    """"hébergeurs" → "hébergeur", "réseaux" → "réseau": enough for the occupation nouns."""
    if word.endswith("x") and word[:-1].endswith(("eau", "eu")):
        return word[:-1]
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


#: Occupation nouns no person has ("Svea Ekonomi, filiale de …"; "X, spécialiste de …" may be a person).
_FIRM_NOUNS = set(COMPANY_NOUNS) | {"filiale", "start-up", "startup", "opérateur", "équipementier"}


def _occupation_apposition(doc: Doc, end: int, nouns: set[str] = OCCUPATION_NOUNS) -> int:
    """The weight of an apposition after a name that describes a business: "X, spécialiste irlandais de …",
    "X, la boutique d'applications …", "X, filiale finlandaise du groupe …" (2; 1 for a vague noun)."""
    if end + 1 >= len(doc) or doc[end].text != ",":
        return 0
    j = end + 1
    if doc[j].lower_ in ("un", "une", "la", "le", "l'", "l’", "ce", "cette", "sa", "son", "leur"):
        j += 1  # "Jumpshot, sa filiale qui …"
    # "X, l'un des plus grands propriétaires de centres commerciaux": one of a kind of firm
    if j + 1 < len(doc) and doc[j].lower_ in ("un", "une") and doc[j + 1].lower_ == "des":
        j += 2
    while j < len(doc) and (doc[j].pos_ == "ADJ" or _is_rank(doc[j]) or doc[j].lower_ == "plus") \
            and doc[j].is_lower and j - end < 6:
        j += 1
    noun = _singular(doc[j].lower_) if j < len(doc) else ""
    if noun in nouns or _network_of_outlets(doc, j):
        return 2
    return 1 if noun in WEAK_OCCUPATION_NOUNS else 0


#: A name that is a commercial web address ("Xnor.ai"; "GreatFire.org" is no company).
_COMMERCIAL_DOMAIN = re.compile(r"\w\.(?:ai|io|com|co|app|tech)$", re.I)


def _business_cues(doc: Doc, start: int, end: int, demonyms: frozenset[str]) -> int:
    """The business cues of one occurrence of a name (see :func:`scored_companies`)."""
    score = 0
    before = doc[start - 1] if start > 0 else None
    # "chez X"
    if before is not None and before.lower_ == "chez":
        score += 1
    # "les clients de X", "le directeur technique de X", "le concurrent allemand de X"
    if before is not None and before.lower_ in _OF and before.lower_ != "chez":
        j = start - 2
        while j >= 0 and doc[j].pos_ == "ADJ" and doc[j].is_lower and start - j < 5:
            j -= 1
        # not after a possessive: in "ses usines d'Arizona" the owner is another, X is where they are
        if j >= 0 and doc[j].lower_ in BUSINESS_NOUNS and not (j > 0 and doc[j - 1].lower_ in _POSSESSIVES):
            score += 2
    score += _occupation_apposition(doc, end)
    # "la boutique X", "un laboratoire texan, X", "le courtier en données X"
    j = start - 1
    if j >= 0 and doc[j].text == ",":
        j -= 1
    k = j
    # the name right after the description's noun or adjective, not after "de" ("la firme de Dublin": a place)
    while j >= 0 and k >= 0 and start - k < 8 and doc[j].pos_ in ("NOUN", "ADJ") and doc[k].is_lower and (
            doc[k].pos_ in ("ADJ", "NOUN") or doc[k].lower_ in _COMPLEMENT_PREPS | {"la", "l'", "l’"}
            or _is_demonym(doc[k], demonyms)):
        if doc[k].lower_ in _ROLE_WORDS or doc[k].lower_ in _NOT_COMPANY_COMPLEMENTS:
            break  # "le patron du groupe, X": a person; "le groupe de défense des droits X": campaigners
        if doc[k].lower_ in PRODUCT_NOUNS and k > 0 and doc[k - 1].lower_ in ("du", "l'", "l’", "la"):
            break  # "le fabricant du drone X": the product's name
        if doc[k].lower_ in OCCUPATION_NOUNS | WEAK_OCCUPATION_NOUNS and k > 0 and doc[k - 1].lower_ in _INTRO_DETS:
            score += 2 if doc[k].lower_ in OCCUPATION_NOUNS else 1
            break
        k -= 1
    # "Maxar Technologies"; "Xnor.ai", "Character.ai": a commercial web address
    if (end - start > 1 and doc[end - 1].lower_ in COMPANY_NAME_ENDINGS) or _COMMERCIAL_DOMAIN.search(
            doc[start:end].text):
        score += 2
    # subject of a business verb: "X commercialise …"
    root = doc[start:end].root
    if root.dep_ in ("nsubj", "nsubj:pass") and root.head.lemma_.lower() in BUSINESS_VERBS:
        score += 1
    # "MrDeepFakes a fermé ses portes", "X baisse le rideau": what a business does when it closes
    if root.dep_ == "nsubj" and any((root.head.lemma_.lower(), c.lemma_.lower()) in _CLOSING_SHOP
                                    for c in root.head.children if c.dep_ == "obj"):
        score += 1
    return score


#: (verb, object) lemmas of a business closing down.
_CLOSING_SHOP = {("fermer", "porte"), ("baisser", "rideau"), ("mettre", "clé"), ("tirer", "rideau")}


#: Outlets a business runs as a network ("premier réseau de pharmacies", "une chaîne de cliniques").
_OUTLETS = {"pharmacies", "magasins", "boutiques", "agences", "cliniques", "supermarchés", "hypermarchés",
            "restaurants", "hôtels", "concessions", "salles", "laboratoires", "librairies", "stations"}


def _network_of_outlets(doc: Doc, j: int) -> bool:
    """"réseau de pharmacies", "chaîne d'hôtels": a business however vague the noun on its own."""
    return j + 2 < len(doc) and doc[j].lower_ in ("réseau", "chaîne", "groupe") and doc[j + 1].lower_ in (
        "de", "d'", "d’") and doc[j + 2].lower_ in _OUTLETS


_POSSESSIVES = {"ses", "son", "sa", "leurs", "leur", "nos", "notre", "vos", "votre"}


def _listed_with(doc: Doc, start: int, end: int, firms: set[int]) -> bool:
    """"Bunnings, Kmart et The Good Guys": a name listed right next to a company's."""
    before = start - 2 >= 0 and doc[start - 1].lower_ in _LIST_WORDS and start - 2 in firms
    after = end + 1 < len(doc) and doc[end].lower_ in _LIST_WORDS and end + 1 in firms
    return before or after


def _organisation_apposition(doc: Doc, end: int) -> bool:
    """"fondateur de Fairly Trained, une organisation à but non lucratif": a founder's organisation that the
    text calls one is no company."""
    return end + 2 < len(doc) and doc[end].text == "," and doc[end + 1].lower_ in ("une", "un", "la", "l'", "l’") \
        and doc[end + 2].lower_ in _NON_PROFIT_NOUNS


#: Nouns that make an organisation non-commercial in an apposition (not "groupe", "réseau": firms too).
_NON_PROFIT_NOUNS = {"organisation", "association", "ong", "coalition", "fondation", "ligue", "collectif", "mouvement"}


def _phrase_of_words(span: Span) -> bool:
    """"Trois jours après des révélations embarrassantes": an entity holding two lower-case content words is a
    phrase the NER took for a name (names have at most one: "Fondation pour la défense des droits")."""
    return sum(1 for t in span if t.is_lower and t.is_alpha and t.pos_ in ("NOUN", "ADJ", "VERB", "ADV")) >= 2 \
        and span[0].pos_ in ("NUM", "ADV", "ADP", "DET")


def _opening_participle(span: Span) -> bool:
    """"Sollicitée, l'entreprise X n'a pas …": a past participle opening a sentence, capitalised, is no name."""
    doc = span.doc
    return len(span) == 1 and span.text.lower().endswith(("é", "ée", "és", "ées")) and (
        span[0].is_sent_start or span.start == 0 or doc[span.start - 1].is_space)


def _participle_before_comma(span: Span) -> bool:
    return _opening_participle(span) and span.end < len(span.doc) and span.doc[span.end].text == ","


_PLACE_LIST_PREPS = {"de", "d'", "d’", "du", "des", "à", "au", "aux", "en"}


def _listed_with_places(doc: Doc, start: int, end: int) -> bool:
    """A name in a list of places the NER knows, each with its preposition: "de Majorque, de Valence et
    de Saragosse", "du Moyen-Orient, d'Asie et d'Europe centrale", "d'Asie et du Moyen-Orient"."""
    if start == 0 or doc[start - 1].lower_ not in _PLACE_LIST_PREPS:
        return False
    j = end
    while j < len(doc) and j - end < 3 and doc[j].lower_ in {",", "et", "ou"}:
        j += 1
    after = j > end and j + 1 < len(doc) and doc[j].lower_ in _PLACE_LIST_PREPS and _place_at(doc, j + 1)
    k = start - 2  # back over "et", "," to the previous place's last word
    while k >= 0 and start - 2 - k < 2 and doc[k].lower_ in {",", "et", "ou"}:
        k -= 1
    before = False
    if 0 <= k < start - 2 and doc[k].ent_type_ == "LOC":
        first = k
        while first > 0 and doc[first].ent_iob_ != "B":
            first -= 1
        before = first > 0 and doc[first - 1].lower_ in _PLACE_LIST_PREPS
    return after or before


def _place_at(doc: Doc, i: int) -> bool:
    """A place the NER knows starts at token ``i``."""
    return doc[i].ent_type_ == "LOC" and doc[i].ent_iob_ == "B"


def _not_a_company_name(doc: Doc, span: Span, occurrences: list[int], demonyms: frozenset[str]) -> bool:
    """Negative evidence: public bodies, lower-case words, demonyms, places, an acronym used as a modifier
    ("les tests ADN"), a person's full name."""
    text = span.text
    if not any(ch.isupper() for ch in text) or len(text) < 3 or text.lower().startswith("ex-") or is_public_body(text) \
            or text.lower() in NOT_ACTORS or first_word(text) in _CAMPAIGN_ORGANISATIONS | INSTITUTION_WORDS \
            or any(t.lower_ in INSTITUTION_WORDS for t in span):
        return True
    if any(_is_demonym(t, demonyms) or t.lower_ in demonyms for t in span):
        return True
    if re.fullmatch(r"[XVI]+e", text) or _opening_participle(span) or text.lower().endswith(".org"):
        return True  # "le XXIe siècle"; "Sollicitée, la société …": a sentence's first participle
    for start in occurrences:
        if _listed_with_places(doc, start, start + len(span)):
            return True  # "de Majorque, de Valence et de Saragosse"
        before = doc[start - 1] if start > 0 else None
        if before is None:
            continue
        addressee = before.lower_ == "à" and start > 1 and doc[start - 2].pos_ in ("VERB", "AUX") \
            and doc[start - 2].lemma_.lower() not in _LOCATED  # "demande à X de …", not "créée à Helsinki"
        if (before.lower_ in _PLACE_PREPS and before.pos_ == "ADP" and not addressee) or (
                before.lower_ in _ARTICLES and start > 1 and doc[start - 2].lower_ in _PLACE_PREPS):
            return True  # a place ("à Tampere", "dans l'Illinois")
        if span.text.isupper() and before.pos_ == "NOUN" and before.is_lower and not (
                start > 1 and doc[start - 2].lower_ in ("du", "des", "de", "d'", "d’")):
            return True  # "la base ADN": an acronym qualifying a noun ("le géant du logiciel SAP": a name)
        if before.lower_ in _CAMPAIGN_ORGANISATIONS or _organisation_apposition(doc, start + len(span)):
            return True  # "l'association X"; "X, une organisation de défense des droits …"
    return False


def scored_companies(doc: Doc, covered: set[int], candidates: list[Span], described: list[Span],
                     campaigning: list[Span], demonyms: frozenset[str]) -> list[Span]:
    """Unknown names that play a company's part in the article: several weak cues over all their
    occurrences add up (*chez X*; *les clients / la direction / le concurrent de X*; an apposition or
    introduction with an occupation noun, *X, spécialiste irlandais de …*, *la boutique X*; a company-name
    ending, *… Technologies*, or a commercial web address, *Xnor.ai*; subject of *vendre, commercialiser,
    fournir …*), unless something says it is no company (a public body, a place, a demonym, an acronym
    qualifying a noun, a campaigning organisation, a *.org* address).
    The NER's label does not matter: it often reads an unknown firm as a person or a place."""
    taken = {i for s in [*described, *campaigning] for i in range(s.start, s.end)}
    names: dict[tuple[int, ...], Span] = {}
    spans = [c for c in candidates if c.label_ == "ORG" or (c.label_ == "PER" and len(c) == 1)]
    spans += [e for e in doc.ents if e.label_ in ("LOC", "MISC", "PER") and len(e) <= 3]
    # A brand the NER passed over ("des grands magasins Kmart"): a capitalised proper noun outside any entity.
    spans += [doc[t.i:t.i + 1] for t in doc if t.pos_ == "PROPN" and t.ent_iob_ == "O" and t.is_alpha
              and t.text[:1].isupper() and len(t) > 2]
    for span in spans:
        if covered.intersection(range(span.start, span.end)) or taken.intersection(range(span.start, span.end)):
            continue
        if not all(t.is_title or t.is_upper or any(ch.isupper() for ch in t.text[1:]) or t.is_punct
                   for t in span if t.is_alpha or t.is_punct):
            continue
        if span.label_ == "PER" and len(span) > 1 and span[-1].lower_ not in COMPANY_NAME_ENDINGS \
                and _occupation_apposition(doc, span.end, _FIRM_NOUNS) < 2:
            continue  # a person's full name, not "Thermo Fisher Scientific" nor "Svea Ekonomi, filiale de …"
        names.setdefault(tuple(t.orth for t in span), span)
    if not names:
        return []
    orth = doc.to_array([ORTH])
    scores: dict[tuple[int, ...], tuple[list[int], int]] = {}
    for name, span in names.items():
        occurrences = [s for s in _occurrences(doc, name, orth) if not covered.intersection(range(s, s + len(name)))]
        if not occurrences or _not_a_company_name(doc, span, occurrences, demonyms):
            continue
        # A name somebody has as a first name or surname ("Orla Keane", "Keane") is a person's, unless an
        # apposition says what business it is.
        if not any(_occupation_apposition(doc, s + len(name), _FIRM_NOUNS) == 2 for s in occurrences) and any(
                e.label_ == "PER" and len(e) > 1 and e[-1].lower_ not in COMPANY_NAME_ENDINGS
               and e[-1].text not in _country_names()  # "Kohler Chine": a firm's national branch
               and any(t.orth in name for t in e) for e in doc.ents):
            continue
        scores[name] = occurrences, sum(_business_cues(doc, s, s + len(name), demonyms) for s in occurrences)
    # Then the names listed beside a company, known or just found ("Bunnings, Kmart et The Good Guys").
    found = {name for name, (_, score) in scores.items() if score >= COMPANY_SCORE}
    firms = covered | {i for span in described for i in range(span.start, span.end)} | {
        i for name in found for s in scores[name][0] for i in range(s, s + len(name))}
    out = []
    for name, (occurrences, score) in scores.items():
        score += sum(1 for s in occurrences if _listed_with(doc, s, s + len(name), firms))
        if score >= COMPANY_SCORE:
            out.append(Span(doc, occurrences[0], occurrences[0] + len(name), label="ORG"))
    return out
