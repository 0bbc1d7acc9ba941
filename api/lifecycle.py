"""A policy's validity from its events (issue 16): in force on a day, its periods, its status.

One definition, the same as the named query ``policies_in_force``: a policy is **in force on day D** when

- one of its starting events (announced, reinstated, extended, widened, narrowed) happened on or before D,
  with no lifting between that event and D (both included), and
- the latest of its end-setting events (announced, reinstated, extended) on or before D sets no end
  (``vg:until`` absent: open or unknown) or an end after D.

An event's day is its date, else the earliest date of the articles reporting it (it happened by then); a
month or a year stands for its first day. The periods are the runs of days in force, found by evaluating
the definition at each event's day and each end (the only days it can change); a policy without dated
events has none and its status is ``unknown``. Everything is read from the policy's own events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

STARTS = {"announced", "reinstated", "extended", "widened", "narrowed"}
END_SETTERS = {"announced", "reinstated", "extended"}
IN_FORCE, ENDED, UNKNOWN = "in force", "ended", "unknown"


def day(value: str | None) -> str | None:
    """``2020-06`` → ``2020-06-01``, ``2020`` → ``2020-01-01``; a full date as is; ``None`` for none."""
    if not value:
        return None
    return {4: value + "-01-01", 7: value + "-01"}.get(len(value), value[:10])


def earliest(dates: Iterable[str]) -> str | None:
    """The earliest of the dates articles give one announcement; a month (or year) that a more precise date
    falls in is that date, read less precisely, not an earlier one.

    >>> earliest(["2020-06", "2020-06-10"])
    '2020-06-10'
    >>> earliest(["2020-05", "2020-06-10"])
    '2020-05'
    """
    values = set(dates)
    precise = [v for v in values if not any(other != v and other.startswith(v) for other in values)]
    return min(precise, key=lambda v: (day(v), -len(v)), default=None)


@dataclass(frozen=True)
class Step:
    """What the validity needs of one event."""

    type: str
    day: str  # YYYY-MM-DD
    until: str | None = None  # YYYY-MM-DD


def in_force(steps: list[Step], on: str) -> bool:
    """Whether the policy is in force on day ``on`` (YYYY-MM-DD)."""
    lifts = [s.day for s in steps if s.type == "lifted" and s.day <= on]
    started = any(s.type in STARTS and s.day <= on and not any(s.day <= lift for lift in lifts) for s in steps)
    if not started:
        return False
    setters = [s for s in steps if s.type in END_SETTERS and s.day <= on]
    if not setters:
        return True
    latest = max(s.day for s in setters)
    return any(s.until is None or s.until > on for s in setters if s.day == latest)


def periods(steps: list[Step]) -> list[tuple[str, str | None]]:
    """The periods in force, ``(first day, first day no longer in force or None)``, in order."""
    points = sorted({s.day for s in steps} | {s.until for s in steps if s.until})
    out: list[tuple[str, str | None]] = []
    start = None
    for point in points:
        now = in_force(steps, point)
        if now and start is None:
            start = point
        elif not now and start is not None:
            out.append((start, point))
            start = None
    if start is not None:
        out.append((start, None))
    return out


def status(spans: list[tuple[str, str | None]], today: str | None = None) -> str:
    """``in force`` / ``ended`` / ``unknown`` (no dated event, or only future ones) on ``today``."""
    today = today or dt.date.today().isoformat()
    for start, end in spans:
        if start <= today and (end is None or today < end):
            return IN_FORCE
    if spans and spans[-1][1] is not None and spans[-1][1] <= today:
        return ENDED
    return UNKNOWN
