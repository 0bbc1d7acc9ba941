"""What following the news remembers between runs, in an SQLite file beside the store.

Feeds' validators (ETag, Last-Modified) for conditional GETs; each page seen (its canonical link, the
fingerprint of its feed item, its document id and content hash, its own validators); and each web
article's MinHash signature and story (:mod:`vigie.stories`). A page is recorded only once its article
graph is written, in one SQLite transaction: after a ``kill -9`` a re-run fetches what was not recorded
and finds in the store, by content hash, what was written but not yet recorded.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from vigie.backends import is_store_url

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, checked REAL);
CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, fingerprint TEXT, document TEXT, content_hash TEXT,
                                  etag TEXT, last_modified TEXT, seen REAL);
CREATE TABLE IF NOT EXISTS stories (document TEXT PRIMARY KEY, story TEXT NOT NULL, signature BLOB NOT NULL);
"""


def default_state_path(store: str | Path) -> Path:
    """Beside an embedded store (``data/store`` → ``data/store.follow.sqlite``); for a server, in ``data/``."""
    if is_store_url(str(store)):
        host = urlsplit(str(store)).netloc.replace(":", "_") or "server"
        return Path("data") / f"follow-{host}.sqlite"
    path = Path(store)
    return path.with_name(path.name + ".follow.sqlite")


@dataclass(frozen=True)
class PageRecord:
    fingerprint: str | None
    document: str | None
    content_hash: str | None
    etag: str | None
    last_modified: str | None


class CrawlState:
    """The SQLite file (WAL journal: each record is one transaction, whole after a crash)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    # ------------------------------------------------------------ feeds

    def feed_validators(self, url: str) -> dict[str, str]:
        row = self._db.execute("SELECT etag, last_modified FROM feeds WHERE url = ?", (url,)).fetchone()
        return {k: v for k, v in zip(("etag", "last_modified"), row or (), strict=False) if v}

    def record_feed(self, url: str, etag: str | None, last_modified: str | None) -> None:
        with self._db:
            self._db.execute("INSERT OR REPLACE INTO feeds VALUES (?, ?, ?, ?)",
                             (url, etag, last_modified, time.time()))

    # ------------------------------------------------------------ pages

    def page(self, key: str) -> PageRecord | None:
        row = self._db.execute(
            "SELECT fingerprint, document, content_hash, etag, last_modified FROM pages WHERE key = ?", (key,)
        ).fetchone()
        return PageRecord(*row) if row else None

    def record_page(self, key: str, *, fingerprint: str | None, document: str | None = None,
                    content_hash: str | None = None, etag: str | None = None, last_modified: str | None = None,
                    story: tuple[str, bytes] | None = None) -> None:
        """Remember a page (and its article's story and signature), in one transaction."""
        with self._db:
            self._db.execute("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?, ?)",
                             (key, fingerprint, document, content_hash, etag, last_modified, time.time()))
            if story is not None and document is not None:
                self._db.execute("INSERT OR REPLACE INTO stories VALUES (?, ?, ?)", (document, *story))

    # ------------------------------------------------------------ stories

    def stories(self) -> list[tuple[str, str, bytes]]:
        """``(document, story, signature)`` of every web article recorded, oldest story first."""
        return self._db.execute("SELECT document, story, signature FROM stories ORDER BY rowid").fetchall()
