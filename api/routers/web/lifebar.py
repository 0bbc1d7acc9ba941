"""A policy's life drawn as a bar over time (issue 16): its periods in force and its events, with quotes.

The bar is plain HTML positioned in percent of a shared scale (:class:`Scale`), so the policies of a page line
up and the page needs no script. The read model (``Graph.policy_history``) gives the events and periods.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pyoxigraph as ox

from api import models as m
from api.graph import Graph

from .views import Labels

STATUS_NAMES = {"in force": "en vigueur", "ended": "terminée", "unknown": "statut inconnu"}


@dataclass
class Mark:
    """An event on the bar: where, what, when, and the sentences that report it."""

    left: float
    type: str
    label: str
    date: str
    dated: bool  # False: the date is the first article's, the event happened by then
    until: str | None
    open_ended: bool
    quotes: list[m.Source] = field(default_factory=list)


@dataclass
class Segment:
    left: float
    width: float
    start: str
    end: str | None


@dataclass
class Life:
    status: str
    status_label: str
    segments: list[Segment]
    marks: list[Mark]


@dataclass(frozen=True)
class Scale:
    """From the earliest day shown to today (or the latest day shown), in percent."""

    first: dt.date
    last: dt.date

    @classmethod
    def of(cls, histories: list[m.PolicyHistory]) -> Scale:
        days = [_date(d) for h in histories for e in h.events for d in (e.day, e.until) if d]
        today = dt.date.today()
        first = min(days, default=today - dt.timedelta(days=365))
        last = max([*days, today])
        return cls(first, last if last > first else first + dt.timedelta(days=1))

    def at(self, day: str) -> float:
        span = (self.last - self.first).days or 1
        return round(100 * min(max((_date(day) - self.first).days / span, 0.0), 1.0), 2)


def _date(day: str) -> dt.date:
    return dt.date.fromisoformat(day[:10] if len(day) >= 10 else (day + "-01-01")[:10] if len(day) == 4
                                 else day + "-01")


def life(history: m.PolicyHistory, scale: Scale, names: Labels) -> Life:
    """The bar of one policy on ``scale``."""
    segments = []
    for period in history.periods:
        left = scale.at(period.start)
        right = scale.at(period.end) if period.end else 100.0
        segments.append(Segment(left, max(right - left, 0.5), period.start, period.end))
    marks = [Mark(scale.at(e.day), e.type, names.concept(e.type), e.date or e.day, e.date is not None, e.until,
                  e.open_ended, e.sources) for e in history.events if e.day]
    return Life(history.status, STATUS_NAMES.get(history.status, history.status), segments, marks)


def lives(graph: Graph, policies: list[str], names: Labels) -> tuple[dict[str, Life], Scale]:
    """The bars of ``policies`` (IRIs) on one scale, by IRI; a policy without events has none."""
    histories = [h for iri in policies if (h := graph.policy_history(ox.NamedNode(iri))) is not None and h.events]
    scale = Scale.of(histories)
    return {h.iri: life(h, scale, names) for h in histories}, scale
