"""How pages say things: French dates and durations, names of kinds, page URLs, compact IRIs, search folding."""

from __future__ import annotations

import re
import unicodedata

from ontology.iris import split
from ontology.namespaces import PREFIXES

KIND_NAMES = {"company": "Entreprise", "advocate": "Défenseur des libertés", "legislature": "Assemblée"}
KIND_PLURALS = {"company": "Entreprises", "advocate": "Défenseurs des libertés", "legislature": "Assemblées"}
#: Kinds of actors that have a page of their own.
PAGE_KINDS = ("company", "advocate", "legislature")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")


def href(kind: str, slug: str) -> str | None:
    """URL of the page of a thing, if it has one."""
    if kind in PAGE_KINDS or kind == "document":
        return f"/ui/{kind}/{slug}"
    return None


def slug_of(iri: str) -> str:
    """The slug of a Vigie IRI, else the IRI's last segment."""
    parts = split(iri)
    return parts[1] if parts else iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def human_date(value: str | None) -> str:
    """``2020-06-10`` → ``10 juin 2020``; ``2020-06`` → ``juin 2020``; anything else as is."""
    if not value:
        return ""
    match = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", value)
    if not match or not 1 <= int(match[2]) <= 12:
        return value
    month = MONTHS[int(match[2]) - 1]
    if match[3]:
        day = int(match[3])
        return f"{'1er' if day == 1 else day} {month} {match[1]}"
    return f"{month} {match[1]}"


def human_duration(value: str | None) -> str:
    """``P1Y`` → ``1 an``; ``P6M`` → ``6 mois``; anything else as is."""
    if not value:
        return ""
    match = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?", value)
    if not match or not any(match.groups()):
        return value
    parts = []
    for number, one, many in zip(match.groups(), ("an", "mois", "semaine", "jour"),
                                 ("ans", "mois", "semaines", "jours"), strict=True):
        if number:
            parts.append(f"{int(number)} {one if int(number) == 1 else many}")
    return " ".join(parts)


def fold(text: str) -> str:
    """Lower-case, accent-free, punctuation as spaces: what search and sorting compare."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", bare).split())


def compact(iri: str) -> str:
    """``vg:Policy`` for a known namespace, the IRI otherwise."""
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(best):
            best, name = namespace, prefix
    if best:
        local = iri[len(best):]
        if re.fullmatch(r"[\w.-]*", local) and not local.endswith("."):
            return f"{name}:{local}"
    return iri
