"""Ingesting the web: page URLs, feeds and saved pages → documents → facts → the store, incrementally.

A feed's items are followed to their pages. A page seen before whose feed item says the same (see
:class:`vigie.feeds.FeedItem`) is not fetched again; a page asked for by URL is fetched with a
conditional GET. A fetched page whose text is the one already stored under its id is unchanged; one
whose text changed is re-extracted and its article graph replaced. Pages not in French are skipped
(one line each). Wire copy republished by several sites joins the story of its first article
(:mod:`vigie.stories`): its graph says ``dcterms:isVersionOf`` that article. What was done is recorded
in :class:`vigie.crawl_state.CrawlState` only once the article is in the store.

Pages are extracted and written a batch at a time (``batch_size`` pages, consolidated together) as their
sites answer, not once the slowest site has: a round killed while it waits for a site has written and
recorded the batches before, and a re-run fetches only the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path

from pyoxigraph import Quad

from extractors.documents import DocumentError
from extractors.facts import Document, Extraction
from extractors.rdf import document_iri, extraction_to_quads
from extractors.web_documents import HTML_SUFFIXES, canonical_url, document_from_html, read_html_file
from ontology.namespaces import DCTERMS, VG
from vigie.crawl_state import CrawlState
from vigie.feeds import FEED_SUFFIXES, FeedError, FeedItem, looks_like_feed, parse_feed
from vigie.fetch import Fetched, FetchError, PoliteClient
from vigie.ingest import MAX_FACTS_PER_ARTICLE, IngestReport
from vigie.language import not_french
from vigie.store import GraphStore
from vigie.stories import StoryIndex, to_bytes

#: Largest web page or feed accepted, in bytes.
MAX_PAGE_BYTES = 5_000_000


def is_web_source(spec: str) -> bool:
    """Whether ``vigie ingest`` reads ``spec`` here: a web address, a saved page or a feed file."""
    return spec.startswith(("http://", "https://")) or spec.lower().endswith((*HTML_SUFFIXES, *FEED_SUFFIXES))


@dataclass
class _Page:
    """A page to read: where it is, its state key, its feed item's fingerprint, its validators."""

    link: str
    key: str
    fingerprint: str | None = None
    validators: dict = field(default_factory=dict)
    fetched: Fetched | None = None


class WebIngest:
    """One round over web sources (page URLs, feed URLs, feed files, saved pages) into ``store``."""

    def __init__(self, store: GraphStore, extractor, state: CrawlState, client: PoliteClient, *,
                 batch_size: int = 16, max_facts: int = MAX_FACTS_PER_ARTICLE,
                 validate: Callable[[Extraction, list], str | None] | None = None,
                 progress: Callable[[int, str], None] | None = None) -> None:
        """``progress(total, name)``: the number of pages known so far, and a page done."""
        self.store, self.extractor, self.state, self.client = store, extractor, state, client
        self.batch_size, self.max_facts, self.validate = batch_size, max_facts, validate
        self.progress = progress or (lambda _total, _name: None)
        self.stories = StoryIndex(state.stories())
        self._pages: dict[str, _Page] = {}  # document id → the page it was read from
        self._feeds: dict[str, tuple[Fetched, list[str]]] = {}  # feed key → its answer and item links
        self._total = 0

    # ------------------------------------------------------------ the round

    def run(self, sources: Iterable[str]) -> IngestReport:
        report = IngestReport()
        documents: list[Document] = []
        pages: list[_Page] = []
        for source in sources:
            self._expand(source, report, documents, pages)
        self._total = len(documents) + len(pages)
        self.progress(self._total, "")
        self._write(self._french(self._fresh(self._documents(documents, pages, report), report), report), report)
        self._record_feeds(report)
        return report

    def _record_feeds(self, report: IngestReport) -> None:
        """A feed's validators are kept once every item of it is done: until then it is read again in full."""
        failed = {name for name, _ in report.failed}
        for key, (answer, links) in self._feeds.items():
            if not failed.intersection(links):
                self.state.record_feed(key, answer.etag, answer.last_modified)

    def _expand(self, source: str, report: IngestReport, documents: list[Document], pages: list[_Page]) -> None:
        """Sort one source into saved pages, feed items to follow, or a page already fetched."""
        try:
            if not source.startswith(("http://", "https://")):
                self._expand_file(Path(source), report, documents, pages)
                return
            key = canonical_url(source)
            known = self.state.page(key)
            validators = self.state.feed_validators(key) or _validators(known)
            answer = self.client.get(source, **validators)
        except (FetchError, FeedError, DocumentError) as exc:
            report.failed.append((source, str(exc)))
            return
        if answer.not_modified and self.state.feed_validators(key):
            report.unchanged.append(source)  # a feed that has not changed: its items were followed last time
        elif looks_like_feed(answer.content, answer.content_type) or self.state.feed_validators(key):
            self._follow_feed(source, key, answer, report, pages)
        else:
            pages.append(_Page(source, key, None, _validators(known), answer))

    def _expand_file(self, path: Path, report: IngestReport, documents: list[Document], pages: list[_Page]) -> None:
        if path.suffix.lower() in HTML_SUFFIXES:
            documents.append(read_html_file(path, max_bytes=MAX_PAGE_BYTES))
            return
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise FeedError(f"cannot read: {exc.strerror or exc}") from None
        pages.extend(self._unseen(parse_feed(data), report))

    def _follow_feed(self, source: str, key: str, answer: Fetched, report: IngestReport, pages: list[_Page]) -> None:
        if answer.not_modified:
            report.unchanged.append(source)
            return
        try:
            items = parse_feed(answer.content, answer.final_url)
        except FeedError as exc:
            report.failed.append((source, str(exc)))
            return
        pages.extend(self._unseen(items, report))
        self._feeds[key] = (answer, [item.link for item in items])

    def _unseen(self, items: list[FeedItem], report: IngestReport) -> Iterator[_Page]:
        """The items to fetch: those not recorded, or whose feed entry changed; the others are unchanged."""
        for item in items:
            known = self.state.page(item.key)
            if known is not None and known.fingerprint == item.fingerprint:
                report.unchanged.append(item.link)
                continue
            yield _Page(item.link, item.key, item.fingerprint, _validators(known))

    # ------------------------------------------------------------ pages → documents

    def _documents(self, saved: list[Document], pages: list[_Page], report: IngestReport) -> Iterator[Document]:
        for document in saved:
            self._pages[document.id] = _Page(document.path or document.id, document.url or document.path or "")
            yield document
        fetched = [page for page in pages if page.fetched is not None]
        to_fetch = {page.link: page for page in pages if page.fetched is None}
        answers = self.client.get_many((page.link, page.validators) for page in to_fetch.values())
        # Lazily: the pages of the sites that answered are read while the slower ones are awaited.
        for page, answer in chain(((p, p.fetched) for p in fetched), ((to_fetch[url], a) for url, a in answers)):
            document = self._document(page, answer, report)
            if document is not None:
                yield document

    def _document(self, page: _Page, answer: Fetched | FetchError, report: IngestReport) -> Document | None:
        if isinstance(answer, FetchError):
            return self._done_failing(page, str(answer), report)
        if answer.not_modified:
            self._record_not_modified(page, answer)
            report.unchanged.append(page.link)
            self.progress(self._total, page.link)
            return None
        try:
            document = document_from_html(answer.content, answer.final_url, charset=answer.charset)
        except DocumentError as exc:
            return self._done_failing(page, str(exc), report)
        page.fetched = answer
        self._pages[document.id] = page
        return document

    def _record_not_modified(self, page: _Page, answer: Fetched) -> None:
        known = self.state.page(page.key)
        self.state.record_page(
            page.key, fingerprint=page.fingerprint, document=known.document if known else None,
            content_hash=known.content_hash if known else None, etag=answer.etag or page.validators.get("etag"),
            last_modified=answer.last_modified or page.validators.get("last_modified"),
        )

    def _done_failing(self, page: _Page, reason: str, report: IngestReport) -> None:
        report.failed.append((page.link, reason))
        self.progress(self._total, page.link)
        return None

    # ------------------------------------------------------------ documents → store

    def _french(self, documents: Iterable[Document], report: IngestReport) -> Iterator[Document]:
        for document in documents:
            reason = not_french(document.body)
            if reason is None:
                yield document
                continue
            report.skipped.append((self._name(document), reason))
            self._record(document, story=None)
            self.progress(self._total, self._name(document))

    def _fresh(self, documents: Iterable[Document], report: IngestReport) -> Iterator[Document]:
        """The documents to extract: not the text already stored under their id, not seen in this round."""
        taken: set[str] = set()
        for document in documents:
            if document.id in taken or self._stored_hash(document) == document.content_hash:
                report.unchanged.append(self._name(document))
                story = self.stories.assign(document.id, document.body)
                self._record(document, story=story)
                self.progress(self._total, self._name(document))
                continue
            taken.add(document.id)
            yield document

    def _write(self, documents: Iterable[Document], report: IngestReport) -> None:
        """Extract and write the documents, one batch at a time as they come."""
        pending = iter(documents)
        while chunk := list(islice(pending, self.batch_size)):
            self._write_batch(chunk, report)

    def _write_batch(self, documents: list[Document], report: IngestReport) -> None:
        batch: dict = {}
        written: list[tuple[Document, tuple]] = []
        for extraction in self.extractor.extract(documents, batch_size=self.batch_size):
            document = extraction.document
            quads = self._quads(extraction, report)
            if quads is not None:
                story = self.stories.assign(document.id, document.body)
                quads += _story_quads(document, story[0])
                if self._stored_hash(document) is not None:
                    report.changed.append(self._name(document))
                batch[document_iri(document.id)] = quads
                written.append((document, story))
                report.ingested.append(self._name(document))
                report.quads += len(quads)
            self.progress(self._total, self._name(document))
            if len(batch) >= self.batch_size:
                self._flush(batch, written)
        self._flush(batch, written)

    def _quads(self, extraction: Extraction, report: IngestReport) -> list[Quad] | None:
        name = self._name(extraction.document)
        if extraction.fact_count() > self.max_facts:
            report.failed.append((name, f"too many facts: {extraction.fact_count()} (maximum {self.max_facts})"))
            return None
        quads = extraction_to_quads(extraction)
        problem = self.validate(extraction, quads) if self.validate else None
        if problem:
            report.failed.append((name, f"does not conform to the shapes: {problem}"))
            return None
        return quads

    def _flush(self, batch: dict, written: list[tuple[Document, tuple]]) -> None:
        """Write a batch of article graphs, then (only then) record their pages."""
        if batch:
            self.store.replace_graphs(batch)
            self.store.flush()
        for document, story in written:
            self._record(document, story=story)
        batch.clear()
        written.clear()

    def _record(self, document: Document, *, story: tuple | None) -> None:
        page = self._pages.get(document.id)
        if page is None or not page.key:
            return
        answer = page.fetched
        self.state.record_page(
            page.key, fingerprint=page.fingerprint, document=document.id, content_hash=document.content_hash,
            etag=answer.etag if answer else None, last_modified=answer.last_modified if answer else None,
            story=(story[0], to_bytes(story[1])) if story else None,
        )

    def _stored_hash(self, document: Document) -> str | None:
        graph = document_iri(document.id)
        found = next(iter(self.store.quads(graph, subject=graph, predicate=VG.contentHash)), None)
        return found.object.value if found is not None else None

    def _name(self, document: Document) -> str:
        page = self._pages.get(document.id)
        return page.link if page is not None else document.url or document.path or document.id


def _validators(known) -> dict:
    if known is None:
        return {}
    return {k: v for k, v in (("etag", known.etag), ("last_modified", known.last_modified)) if v}


def _story_quads(document: Document, story: str) -> list[Quad]:
    """An article republishing an earlier one's dispatch is a version of it."""
    if story == document.id:
        return []
    graph = document_iri(document.id)
    return [Quad(graph, DCTERMS.isVersionOf, document_iri(story), graph)]


