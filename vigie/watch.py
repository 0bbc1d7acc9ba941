"""Following the news: ``vigie watch`` reads its feeds every so often, ``--once`` for one round (cron).

Each round is a :class:`vigie.web_ingest.WebIngest` over the feeds, with a fresh polite client (so
robots.txt is read again); what is known between rounds lives in the crawl state beside the store.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from vigie.crawl_state import CrawlState
from vigie.fetch import FetchPolicy, PoliteClient
from vigie.ingest import IngestReport
from vigie.store import GraphStore
from vigie.web_ingest import WebIngest

_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$", re.I)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> float:
    """``"15m"`` → 900.0 seconds (``s``, ``m``, ``h``, ``d``; a bare number is seconds)."""
    match = _INTERVAL.match(text)
    if not match or float(match.group(1)) <= 0:
        raise ValueError(f"an interval is written like 30s, 15m, 2h or 1d (got {text!r})")
    return float(match.group(1)) * _UNITS[(match.group(2) or "s").lower()]


@dataclass
class Round:
    """Everything one round needs but the sources."""

    store: GraphStore
    extractor: object
    state: CrawlState
    policy: FetchPolicy
    batch_size: int = 16
    validate: Callable | None = None

    def run(self, sources: Iterable[str], progress: Callable[[int, str], None] | None = None) -> IngestReport:
        with PoliteClient(self.policy) as client:
            web = WebIngest(self.store, self.extractor, self.state, client, batch_size=self.batch_size,
                            validate=self.validate, progress=progress)
            return web.run(sources)


def summary(report: IngestReport, store: str) -> str:
    """The closing line of ``vigie ingest`` and of each ``vigie watch`` round."""
    line = (f"{len(report.ingested)} articles ingested, {len(report.unchanged)} unchanged, "
            f"{len(report.failed)} failed, {report.quads} quads written to {store}")
    if report.changed or report.skipped or report.new != report.ingested:
        line += f" ({len(report.new)} new, {len(report.changed)} changed, {len(report.skipped)} not in French)"
    return line


def problems(report: IngestReport) -> list[str]:
    """One line per page or file that failed or was skipped."""
    lines = [f"vigie: skipped {name}: {reason}" for name, reason in report.skipped]
    return lines + [f"vigie: skipped {name}: {reason}" for name, reason in report.failed]


def watch(round_: Round, sources: list[str], every: float, stop: threading.Event,
          report: Callable[[IngestReport], None]) -> None:
    """Run rounds until ``stop`` is set, ``every`` seconds from the start of one to the start of the next."""
    import time

    while not stop.is_set():
        started = time.monotonic()
        report(round_.run(sources))
        stop.wait(max(0.0, every - (time.monotonic() - started)))
