"""RSS 2.0 and Atom feeds: bytes → the items to follow (feedparser), and feed lists.

An item is known by its canonical link (:func:`extractors.web_documents.canonical_url`) and has a
fingerprint of what the feed says about it (id, dates, title, summary): an item seen before with the
same fingerprint need not be fetched again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser

from extractors.web_documents import canonical_url

#: Content types that announce a feed rather than a page.
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml")
#: File suffixes read as feeds by ``vigie ingest``.
FEED_SUFFIXES = (".xml", ".rss", ".atom")


class FeedError(ValueError):
    """Something that is not a readable RSS or Atom feed; the message is one line."""


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed: where its page is and what the feed says about it."""

    link: str
    key: str  # canonical link
    title: str
    fingerprint: str


def parse_feed(data: bytes, base_url: str | None = None) -> list[FeedItem]:
    """The items of an RSS or Atom feed, in feed order; :class:`FeedError` if ``data`` is not a feed."""
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version"):
        problem = parsed.get("bozo_exception")
        raise FeedError(f"not an RSS or Atom feed{f' ({_one_line(problem)})' if problem else ''}")
    items, seen = [], set()
    for entry in parsed.entries:
        item = _item(entry, base_url)
        if item is not None and item.key not in seen:
            seen.add(item.key)
            items.append(item)
    return items


def looks_like_feed(data: bytes, content_type: str = "") -> bool:
    """Whether an answer is a feed: its content type, or XML whose root is ``rss``, ``feed`` or ``rdf:RDF``."""
    if content_type in FEED_TYPES or content_type.endswith(("+xml", "/rss")):
        return True
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf:rdf")) and b"<html" not in head


def read_feed_list(path: Path | str) -> list[str]:
    """URLs of a feed list file: one a line; blank lines and ``#`` comments ignored."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise FeedError(f"cannot read the feed list {path}: {getattr(exc, 'strerror', None) or exc}") from None
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _item(entry, base_url: str | None) -> FeedItem | None:
    link = entry.get("link") or next((lk.get("href") for lk in entry.get("links", ()) if lk.get("href")), None)
    if not link:
        return None
    link = urljoin(base_url, link.strip()) if base_url else link.strip()
    if urlsplit(link).scheme not in ("http", "https"):
        return None
    # Read from the entry's own keys: feedparser's get("updated") falls back on "published" with a warning.
    said = "\x1f".join(str(dict.get(entry, k, "")) for k in ("id", "published", "updated", "title", "summary"))
    return FeedItem(link=link, key=canonical_url(link), title=str(entry.get("title", "")),
                    fingerprint=hashlib.sha256(said.encode("utf-8")).hexdigest())


def _one_line(problem: object) -> str:
    return " ".join(str(problem).split())[:160]
