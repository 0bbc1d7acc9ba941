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

from extractors.french_calendar import MONTHS, WEEKDAYS

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


def resolve_span(span: Span, article_date: str | None) -> str | None:
    """ISO date of a ``DATE`` match (:func:`resolve_date`) or a ``RELDAY`` one (:func:`resolve_relative_day`)."""
    return resolve_date(span, article_date) if span.label_ == "DATE" else resolve_relative_day(span, article_date)


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


# ------------------------------------------------------------ relative dates (extractors.history)

_PAST = {"dernier", "dernière", "passé", "passée"}
_YEAR_WORDS = {"an", "année"}


def _shift(article_date: str, years: int = 0, months: int = 0, days: int = 0) -> str:
    """``article_date`` moved back, at the article date's own precision (a day or a month)."""
    year, month = int(article_date[:4]), int(article_date[5:7]) if len(article_date) >= 7 else 1
    total = year * 12 + (month - 1) - years * 12 - months
    year, month = divmod(total, 12)
    if len(article_date) < 10:
        return f"{year:04d}-{month + 1:02d}"
    day = min(int(article_date[8:10]), 28 if month + 1 == 2 else 30 if month + 1 in (4, 6, 9, 11) else 31)
    return (dt.date(year, month + 1, day) - dt.timedelta(days=days)).isoformat()


def relative_dates(sent: Span, article_date: str | None) -> list[tuple[Span, str]]:
    """Dates said relative to the article's: *l'an dernier*, *l'année passée* → the year before; *il y a un
    an / deux mois / trois semaines* → the article's date moved back; *en juin dernier*, *le 10 juin dernier*
    → the last such month (day) strictly before the article's."""
    if not article_date or len(article_date) < 7:
        return []
    doc, out = sent.doc, []
    for token in sent:
        word, i = token.lower_, token.i
        if word in _PAST and i > sent.start:
            before = doc[i - 1].lower_
            if before in _YEAR_WORDS:
                out.append((doc[max(sent.start, i - 2):i + 1], str(int(article_date[:4]) - 1)))
            elif before in MONTHS:
                out.append(_last_month(doc, i - 1, sent.start, article_date))
        elif word == "il" and i + 3 < sent.end and doc[i + 1].lower_ == "y" and doc[i + 2].lower_ == "a":
            found = _ago(doc, i, article_date)
            if found:
                out.append(found)
    return out


def _last_month(doc: Doc, m: int, start: int, article_date: str) -> tuple[Span, str]:
    month = MONTHS[doc[m].lower_]
    year = int(article_date[:4]) - (1 if month >= int(article_date[5:7]) else 0)
    day_token = doc[m - 1].lower_ if m > start else ""
    if _DAY.match(day_token):
        day = int(day_token.removesuffix("er"))
        if month == int(article_date[5:7]) and len(article_date) == 10 and day < int(article_date[8:10]):
            year += 1  # "le 3 mai dernier" in an article of 18 May: this month
        try:
            return doc[m - 1:m + 2], dt.date(year, month, day).isoformat()
        except ValueError:
            pass
    return doc[m:m + 2], f"{year}-{month:02d}"


def _ago(doc: Doc, i: int, article_date: str) -> tuple[Span, str] | None:
    """"il y a un an", "il y a deux mois" → the article's date moved back."""
    number, unit = doc[i + 3].lower_, doc[i + 4].lower_ if i + 4 < len(doc) else ""
    value = NUMBERS.get(number) or (int(number) if number.isdigit() and int(number) < 200 else None)
    if not value or unit not in UNITS:
        return None
    kind = UNITS[unit]
    if kind == "Y":
        return doc[i:i + 5], _shift(article_date, years=value) if len(article_date) == 10 else str(
            int(article_date[:4]) - value)
    if kind == "M":
        return doc[i:i + 5], _shift(article_date, months=value)
    if len(article_date) < 10:
        return None
    return doc[i:i + 5], _shift(article_date, days=value * (7 if kind == "W" else 1))


def add_duration(date: str | None, duration: str | None) -> str | None:
    """``date`` plus an ISO duration of years, months, weeks or days (``2020-06-10`` + ``P1Y`` → ``2021-06-10``),
    at the date's precision; ``None`` when either is unknown."""
    match = re.fullmatch(r"P(\d+)([YMWD])", duration or "")
    if not date or not match or len(date) < 7:
        return None
    value, unit = int(match[1]), match[2]
    year, month = int(date[:4]), int(date[5:7])
    if unit in ("Y", "M"):
        total = year * 12 + month - 1 + value * (12 if unit == "Y" else 1)
        year, month = divmod(total, 12)
        if len(date) < 10:
            return f"{year:04d}-{month + 1:02d}"
        day = min(int(date[8:10]), 28 if month + 1 == 2 else 30 if month + 1 in (4, 6, 9, 11) else 31)
        return dt.date(year, month + 1, day).isoformat()
    if len(date) < 10:
        return None
    return (dt.date.fromisoformat(date) + dt.timedelta(days=value * (7 if unit == "W" else 1))).isoformat()
