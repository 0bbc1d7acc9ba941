"""Press date lines under a title: ``Publié le 21 février 2019 à 18h40``, ``Mis à jour le 28/07/2021 à 18h05``,
``17/04/2023 – 19:20``, ``Par Les Echos avec Reuters – 25 mars 2022``, ``Séoul, le 20 février 2020 (AFP)``.

>>> press_date("Publié le samedi 2 septembre 2023 à 10h15")
'2023-09-02'
>>> press_date("Mis à jour le 06/08/2018 à 09h15")
'2018-08-06'
>>> press_date("Le Sénat a voté le 2 septembre 2023 une loi sur la reconnaissance faciale.") is None
True
"""

from __future__ import annotations

import datetime as dt
import re

from extractors.french_calendar import MONTHS

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_WRITTEN = re.compile(rf"\b(?P<day>[0-3]?\d)(?:er)?\s+(?P<month>{_MONTH_NAMES})\s+(?P<year>(?:19|20)\d\d)\b", re.I)
_NUMERIC = re.compile(r"\b(?P<day>[0-3]?\d)/(?P<month>[01]?\d)/(?P<year>(?:19|20)\d\d)\b")
#: A date line is short and is not a sentence of the article (no verb-like length, no closing full stop).
MAX_DATELINE = 110
MAX_DATELINE_WORDS = 16


def press_date(line: str) -> str | None:
    """The day (``YYYY-MM-DD``) a press date line gives, or ``None`` when the line is not one."""
    stripped = line.strip()
    if not stripped or len(stripped) > MAX_DATELINE or len(stripped.split()) > MAX_DATELINE_WORDS:
        return None
    if stripped.endswith(".") and not stripped.endswith(("AFP.", "Reuters.")):
        return None  # a sentence of the article that happens to hold a date
    found = _WRITTEN.search(stripped)
    if found:
        month = MONTHS[found.group("month").lower()]
    else:
        found = _NUMERIC.search(stripped)
        if not found:
            return None
        month = int(found.group("month"))
    try:
        return dt.date(int(found.group("year")), month, int(found.group("day"))).isoformat()
    except ValueError:
        return None
