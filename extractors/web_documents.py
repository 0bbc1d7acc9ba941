"""Reading web pages: HTML → :class:`~extractors.facts.Document`.

trafilatura finds the main text (menus, cookie banners, related links and comments left out) and the
page's title, site name, author and canonical URL; htmldate its publication date. The text is then read
like an article file (:func:`extractors.documents.document_from_text`): the title is its first line,
the furniture trafilatura kept is blanked at the same offsets. A page's id is stable for its URL: the
canonical URL, normalised and without tracking parameters (courlan), so a page fetched again, or
through another link to it, is the same article.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from urllib.parse import urlsplit

import courlan
import htmldate
import trafilatura

from extractors.documents import MAX_ARTICLE_BYTES, DocumentError, decode, document_from_text, document_id
from extractors.facts import Document

#: File suffixes read as web pages.
HTML_SUFFIXES = (".html", ".htm")
#: Fewer words than this in the main text: a page without an article (an index, a menu, an error page).
MIN_ARTICLE_WORDS = 8


def canonical_url(url: str) -> str:
    """``url`` normalised (scheme and host lower-cased, default port, fragment and tracking parameters
    such as ``utm_*`` dropped): the same page has one canonical URL however it was linked."""
    return courlan.normalize_url(url.strip(), strict=True)


def url_document_id(url: str) -> str:
    """A stable, readable id for a page: its host and last path segment, and a hash of its canonical URL."""
    canonical = canonical_url(url)
    parts = urlsplit(canonical)
    segment = next((s for s in reversed(parts.path.split("/")) if s), "")
    segment = segment.rsplit(".", 1)[0] if segment.endswith((".html", ".htm", ".php")) else segment
    readable = document_id(f"{parts.hostname or 'page'}-{segment}")[:80].strip("-_.")
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]
    return f"{readable}-{digest}"


def read_html_file(path: Path | str, *, max_bytes: int = MAX_ARTICLE_BYTES) -> Document:
    """Read a saved web page; its id comes from its canonical URL when it states one, else its file name."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError(f"too large: {size} bytes (maximum {max_bytes})")
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read: {exc.strerror or exc}") from exc
    return document_from_html(data, None, path=str(path), fallback_id=document_id(path.stem))


def document_from_html(
    data: bytes | str,
    url: str | None,
    *,
    charset: str | None = None,
    path: str | None = None,
    fallback_id: str | None = None,
) -> Document:
    """One web page as a document. ``url`` is where it was fetched (``None`` for a file); ``charset`` the
    one the server declared. Raises :class:`DocumentError` with a one-line reason."""
    html, encoding = _decode(data, charset)
    page = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True,
    )
    text = (page.text or "").strip() if page is not None else ""
    if len(text.split()) < MIN_ARTICLE_WORDS:
        raise DocumentError("no article text in the page")
    canonical = _canonical_of(page.url, url)
    if canonical is None and fallback_id is None:
        raise DocumentError("the page has no URL")
    doc_id = url_document_id(canonical) if canonical else fallback_id
    title = (page.title or "").strip() or None
    document = document_from_text(_with_title(title, text), doc_id, path=path or url, encoding=encoding)
    return dataclasses.replace(
        document,
        title=title or document.title,
        date=publication_date(html, url) or document.date,
        url=canonical,
        site=(page.sitename or "").strip() or page.hostname or _host(canonical),
        author=(page.author or "").strip() or None,
    )


def publication_date(html: str, url: str | None = None) -> str | None:
    """The page's original publication date, ``YYYY-MM-DD``, from its markup (htmldate; not guessed from the
    text, where a copyright year or a related link's date would be wrong), or ``None``."""
    try:
        return htmldate.find_date(html, extensive_search=False, original_date=True, url=url)
    except (ValueError, TypeError):
        return None


def _decode(data: bytes | str, charset: str | None) -> tuple[str, str]:
    if isinstance(data, str):
        return data, "utf-8"
    if charset:
        try:
            return data.decode(charset), charset.lower()
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong header: fall back on the bytes' own evidence
    return decode(data)


def _canonical_of(declared: str | None, fetched: str | None) -> str | None:
    """The page's canonical URL: the one it declares (if it is a web address), else where it was fetched."""
    for candidate in (declared, fetched):
        if candidate and urlsplit(candidate).scheme in ("http", "https") and urlsplit(candidate).hostname:
            return canonical_url(candidate)
    return None


def _host(url: str | None) -> str | None:
    return urlsplit(url).hostname if url else None


def _with_title(title: str | None, text: str) -> str:
    """The text with the headline as its first line (article files start that way), unless the page
    already opens with it, or its first paragraph begins with the headline's words (then it is not repeated)."""
    if not title:
        return text
    lines = text.split("\n")
    if lines[0].strip() == title and len(lines) > 1 and lines[1].strip().startswith(title.rstrip("…. ")):
        return "\n".join(lines[1:])
    if lines[0].strip() == title or lines[0].strip().startswith(title.rstrip("…. ")):
        return text
    return f"{title}\n{text}"
