"""Organisations named with their acronym: "l'Association québécoise des avocats … (AQAADI)".

The press introduces an organisation it will name again by its full name and its acronym in
parentheses. Both are the same organisation: the full name is read whole (lower-case words and articles
included, which the NER rarely does), and every later bare acronym refers to it.
"""

from __future__ import annotations

import unicodedata

from spacy.tokens import Doc, Token

#: How far back a full name may start before its parenthesised acronym.
MAX_NAME_TOKENS = 14
#: Small words that may sit inside a name but never start one.
_NOT_STARTS = {"le", "la", "les", "l'", "l’", "un", "une", "des", "du", "de", "d'", "d’", "au", "aux", "à",
               "et", "en", "pour", "sur", "the", "of", "for", "and"}
#: Nouns that open an organisation's name translated into French ("Institut brésilien de défense des
#: consommateurs (Idec)").
#: Not "association", "fédération" or "chambre": industries' bodies are named so ("l'Association des assureurs
#: britanniques (ABI)"), and a known trade body is told apart from its full name only.
_TRANSLATED_HEADS = {"institut", "union", "projet", "centre", "fondation", "comité", "fonds", "ligue", "observatoire",
                     "coalition", "réseau", "mouvement"}
#: Words whose initials an acronym usually skips.
_SKIPPED = _NOT_STARTS | {"par", "contre", "sans", "dans", "to", "against", "on"}


def _plain(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(ch))


def is_acronym(text: str) -> bool:
    """``"AQAADI"``, ``"GSsA"``, ``"CeSIA"``, ``"Idec"``: short, alphabetic, starting with a capital."""
    letters = text.replace("-", "").replace(".", "").replace("&", "")
    return 2 <= len(letters) <= 10 and letters.isalpha() and letters[0].isupper()


def initials_match(acronym: str, words: list[str]) -> bool:
    """The acronym's letters are, in order, initials of the name's words (small words optional).

    >>> initials_match("ARPD", ["Assistance", "et", "recherche", "de", "personnes", "disparues"])
    True
    """
    letters = [ch for ch in _plain(acronym) if ch.isalpha()]
    initials = [(_plain(w)[:1], _plain(w) in _SKIPPED) for w in words if w[:1].isalpha()]

    def match(i: int, j: int, budget: int) -> bool:
        if i == len(letters):
            return sum(1 for _, skippable in initials[j:] if not skippable) <= budget
        if j == len(initials):
            return False
        first, skippable = initials[j]
        if first == letters[i] and match(i + 1, j + 1, budget):
            return True
        # Small words are optional; one word may be left out ("travailleurs et travailleuses" → T).
        return match(i, j + 1, budget if skippable else budget - 1) if skippable or budget else False

    return bool(letters) and bool(initials) and letters[0] == initials[0][0] and match(0, 0, 1)


def _finite_verb(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") and "Fin" in token.morph.get("VerbForm")


def _boundaries(doc: Doc, paren: int) -> list[int]:
    """Where a name before ``doc[paren]`` may start: after the nearest punctuation, verb or pronoun, then
    after each earlier comma ("l'Ordre des traducteurs, terminologues et interprètes … (OTTIAQ)")."""
    sent_start = doc[paren].sent.start
    out = []
    start = paren
    while start > max(sent_start, paren - MAX_NAME_TOKENS):
        token = doc[start - 1]
        if token.text == "," and start < paren:
            out.append(start)
            start -= 1
            continue
        if token.is_punct or token.is_space or _finite_verb(token) or token.pos_ in ("PRON", "SCONJ"):
            break
        start -= 1
    out.append(start)
    return out


def _first_capital(doc: Doc, start: int, paren: int, heads: frozenset[str] = frozenset()) -> int | None:
    """The name opens on its first capitalised word after the boundary ("l'association Résistance …"), or on
    one of ``heads`` written in lower case ("le département des transports de Los Angeles (LADOT)")."""
    while start < paren and doc[start].lower_ not in heads and (
            not doc[start].text[:1].isupper() or doc[start].lower_ in _NOT_STARTS):
        start += 1
    return start if start < paren else None


def glossed_names(doc: Doc, covered: set[int], heads: frozenset[str] = frozenset()) -> list[tuple[int, int, str]]:
    """``(first, last, acronym)`` for each "Full Name (ACRONYM)" whose tokens no known entity covers.

    A name of one or two words counts only when the acronym spells its initials ("Paris (AFP)" is a
    dateline, "Jean Martin (PS)" a party). A name may open on one of ``heads`` in lower case, as the press
    writes the bodies of a State ("le département des transports de Los Angeles (LADOT)").
    """
    out = []
    for token in doc:
        i = token.i
        if token.text != "(" or i + 2 >= len(doc) or doc[i + 2].text != ")" or not is_acronym(doc[i + 1].text):
            continue
        acronym = doc[i + 1].text
        starts = [s for s in (_first_capital(doc, b, i, heads) for b in _boundaries(doc, i)) if s is not None]
        spelled = [s for s in starts if initials_match(acronym, [t.text for t in doc[s:i]])]
        if spelled:
            first = spelled[0]
        elif starts and sum(1 for t in doc[starts[0]:i] if t.text[:1].isupper()) >= 2 and i - starts[0] >= 3:
            first = starts[0]
        elif starts and i - starts[0] >= 4 and doc[starts[0]].lower_ in _TRANSLATED_HEADS | heads:
            # "l'Union hongroise pour les libertés civiles (TASZ)": a name translated into French keeps the
            # acronym of the original, whose initials it does not spell
            first = starts[0]
        else:
            continue
        if not covered.intersection(range(first, i + 2)):
            out.append((first, i, acronym))
    return out


def acronym_occurrences(doc: Doc, acronym: str, covered: set[int]) -> list[int]:
    """Indices of the tokens that are ``acronym`` alone (its later mentions)."""
    return [t.i for t in doc if t.text == acronym and t.i not in covered]
