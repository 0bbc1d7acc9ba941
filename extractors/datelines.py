"""Press date lines under a title: ``Publié le 21 février 2019 à 18h40``, ``Mis à jour le 28/07/2021 à 18h05``,
``17/04/2023 – 19:20``, ``Par Les Echos avec Reuters – 25 mars 2022``, ``Séoul, le 20 février 2020 (AFP)``.

>>> press_date("Publié le samedi 2 septembre 2023 à 10h15")
'2023-09-02'
>>> press_date("Mis à jour le 06/08/2018 à 09h15")
'2018-08-06'
>>> press_date("Istanbul (AFP) – 19 sept. 2022 à 19:40")
'2022-09-19'
>>> press_date("Publié le 02-07-20 à 07h55"), press_date("08.06.2023 – 07h40")
('2020-07-02', '2023-06-08')
>>> press_date("Le Sénat a voté le 2 septembre 2023 une loi sur la reconnaissance faciale.") is None
True
"""

from __future__ import annotations

import datetime as dt
import re

from extractors.french_calendar import MONTHS

#: The abbreviations date lines use ("19 sept. 2022", "3 déc. 2024", "6 févr. 2024").
_ABBREVIATIONS = {"janv": 1, "févr": 2, "fevr": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11, "déc": 12,
                  "dec": 12}
_MONTH_FORMS = {**MONTHS, **_ABBREVIATIONS}
_MONTH_NAMES = "|".join(sorted(_MONTH_FORMS, key=len, reverse=True))
_WRITTEN = re.compile(
    rf"\b(?P<day>[0-3]?\d)(?:er)?\s+(?P<month>{_MONTH_NAMES})\.?\s+(?P<year>(?:19|20)\d\d)\b", re.I)
#: "28/07/2021", "08.06.2023", "02-07-20" (two-digit years are this century's).
_NUMERIC = re.compile(r"\b(?P<day>[0-3]?\d)(?P<sep>[/.-])(?P<month>[01]?\d)(?P=sep)(?P<year>(?:19|20)?\d\d)\b")
#: A date line is short and is not a sentence of the article (no verb-like length, no closing full stop).
MAX_DATELINE = 110
MAX_DATELINE_WORDS = 24


def press_date(line: str) -> str | None:
    """The day (``YYYY-MM-DD``) a press date line gives, or ``None`` when the line is not one."""
    stripped = line.strip()
    if not stripped or len(stripped) > MAX_DATELINE or len(stripped.split()) > MAX_DATELINE_WORDS:
        return None
    if stripped.endswith(".") and not stripped.endswith(("AFP.", "Reuters.")):
        return None  # a sentence of the article that happens to hold a date
    found = _WRITTEN.search(stripped)
    if found:
        month = _MONTH_FORMS[found.group("month").lower()]
    else:
        found = _NUMERIC.search(stripped)
        if not found:
            return None
        month = int(found.group("month"))
    year = int(found.group("year"))
    try:
        return dt.date(year if year > 99 else 2000 + year, month, int(found.group("day"))).isoformat()
    except ValueError:
        return None
