"""Dates and durations in French text, resolved against the article's date.

``le 10 juin``, ``hier 10 juin``, ``mercredi 10 juin 2020`` → ``2020-06-10`` (the year from the text or
the article's date); ``hier`` / ``ce jeudi`` only when the article's date is a full day.
``en mai 2021``, ``début juin`` → ``2021-05``, ``2020-06`` (month only); ``le mois dernier`` → the month before
the article's, ``au début du mois`` → the article's month.
``pendant un an``, ``d'un an``, ``pour six mois`` → ``P1Y``, ``P6M``.
"""

from __future__ import annotations

import datetime as dt
import re

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

MONTHS = {"janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
          "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12}
WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6}
NUMBERS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
           "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "dix-huit": 18, "vingt": 20,
           "vingt-quatre": 24, "trente": 30, "quelques": None}
UNITS = {"an": "Y", "ans": "Y", "année": "Y", "années": "Y", "mois": "M", "semaine": "W", "semaines": "W",
         "jour": "D", "jours": "D"}
_DAY = re.compile(r"^(?:0?[1-9]|[12]\d|3[01])(?:er)?$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")


_DAYS = {str(d) for d in range(1, 32)} | {"1er", "01", "02", "03", "04", "05", "06", "07", "08", "09"}
_YEARS = {str(y) for y in range(1990, 2046)}
_SMALL_NUMBERS = {str(n) for n in range(1, 121)}
_LEADS = {"le", "hier", "ce", *WEEKDAYS}
_PREPS = {"pendant", "durant", "pour", "d'", "d’", "de", "sur"}
_MONTH_LEADS = {"en", "début", "mi-", "fin", "courant"}
_LAST = {"dernier", "passé"}


class DateFinder:
    """Finds ``DATE`` (*le 10 juin 2020*), ``RELDAY`` (*hier*, *ce jeudi*) and ``DURATION`` (*d'un an*) spans.

    A phrase matcher finds the cue words (month names, time units, *hier*, weekdays) by hash lookup;
    only their neighbours are then inspected, so the cost does not grow with per-token predicates.
    """

    def __init__(self, vocab: Vocab) -> None:
        self.cues = PhraseMatcher(vocab, attr="LOWER")
        self.cues.add("MONTH", [Doc(vocab, words=[m]) for m in MONTHS])
        self.cues.add("UNIT", [Doc(vocab, words=[u]) for u in UNITS])
        self.cues.add("RELDAY", [Doc(vocab, words=[w]) for w in ["hier", *WEEKDAYS]])

    def __call__(self, doc: Doc, as_spans: bool = True) -> list[Span]:
        out: list[Span] = []
        for match_id, start, _end in self.cues(doc):
            kind = doc.vocab.strings[match_id]
            if kind == "MONTH":
                if start > 0 and doc[start - 1].lower_ in _MONTH_LEADS:
                    # "en mai 2021", "début juin": a month-only date
                    end = start + 1
                    if end < len(doc) and doc[end].text in _YEARS:
                        end += 1
                    out.append(Span(doc, start - 1, end, label="DATE"))
                    continue
                if start == 0 or doc[start - 1].lower_ not in _DAYS:
                    continue
                begin = start - 1
                while begin > 0 and start - begin < 3 and doc[begin - 1].lower_ in _LEADS:
                    begin -= 1
                end = start + 1
                if end < len(doc) and doc[end].text in _YEARS:
                    end += 1
                out.append(Span(doc, begin, end, label="DATE"))
            elif kind == "UNIT":
                if doc[start].lower_ == "mois" and start > 0 and start + 1 < len(doc) \
                        and doc[start - 1].lower_ == "le" and doc[start + 1].lower_ in _LAST:
                    out.append(Span(doc, start - 1, start + 2, label="DATE"))  # "le mois dernier"
                    continue
                if doc[start].lower_ == "mois" and start >= 2 and doc[start - 1].lower_ == "du" \
                        and doc[start - 2].lower_ in ("début", "fin", "milieu", "courant"):
                    out.append(Span(doc, start - 2, start + 1, label="DATE"))  # "au début du mois": this month
                    continue
                if start < 2 or doc[start - 2].lower_ not in _PREPS:
                    continue
                number = doc[start - 1].lower_
                if (NUMBERS.get(number)) or number in _SMALL_NUMBERS:
                    out.append(Span(doc, start - 2, start + 1, label="DURATION"))
            else:
                begin = start - 1 if start > 0 and doc[start - 1].lower_ == "ce" else start
                out.append(Span(doc, begin, start + 1, label="RELDAY"))
        return out


def build_matcher(vocab: Vocab) -> DateFinder:
    """The date and duration finder (kept under this name for callers that match like a ``Matcher``)."""
    return DateFinder(vocab)


def resolve_date(span: Span, article_date: str | None) -> str | None:
    """ISO date of a ``DATE`` match, or ``None`` when the year cannot be known."""
    words = [t.lower_ for t in span]
    day = next((int(w.removesuffix("er")) for w in words if _DAY.match(w)), None)
    month = next((MONTHS[w] for w in words if w in MONTHS), None)
    year = next((int(w) for w in words if _YEAR.match(w)), None)
    if month is None and "mois" in words and "du" in words and article_date:
        return article_date[:7]  # "au début du mois": the article's month
    if month is None and "mois" in words and article_date:
        # "le mois dernier": the month before the article's
        year, month = int(article_date[:4]), int(article_date[5:7]) - 1
        return f"{year - 1}-12" if month == 0 else f"{year}-{month:02d}"
    if day is None and month is not None and words[0] != "le":
        # "en mai 2021": a month (the year from the text or the article's, the last such month)
        if year is None:
            if not article_date:
                return None
            year = int(article_date[:4]) - (1 if month > int(article_date[5:7]) else 0)
        return f"{year}-{month:02d}"
    if day is None or month is None:
        return None
    if year is None:
        if not article_date:
            return None
        year = int(article_date[:4])
        article_month = int(article_date[5:7])
        # A day in a later month than the article's (beyond a few weeks) is last year's.
        if month > article_month + 1:
            year -= 1
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def resolve_relative_day(span: Span, article_date: str | None) -> str | None:
    """``hier`` / ``ce jeudi`` / ``jeudi`` against a full-day article date (the most recent such day)."""
    if not article_date or len(article_date) != 10:
        return None
    try:
        today = dt.date.fromisoformat(article_date)
    except ValueError:
        return None
    words = [t.lower_ for t in span]
    if words == ["hier"]:
        return (today - dt.timedelta(days=1)).isoformat()
    weekday = next((WEEKDAYS[w] for w in words if w in WEEKDAYS), None)
    if weekday is None:
        return None
    back = (today.weekday() - weekday) % 7
    return (today - dt.timedelta(days=back)).isoformat()


def duration_of(span: Span) -> str | None:
    """ISO 8601 duration of a ``DURATION`` match: ``d'un an`` → ``P1Y``."""
    value = unit = None
    for token in span:
        word = token.lower_
        if NUMBERS.get(word):
            value = NUMBERS[word]
        elif word.isdigit():
            value = int(word)
        elif word in UNITS:
            unit = UNITS[word]
    if value is None or unit is None:
        return None
    return f"P{value}{unit}"
