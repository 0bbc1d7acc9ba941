"""Ingestion: article files → documents → extractions → quads → store, in batches.

Bad files are reported one line each and skipped; the good ones are written, one transaction per
batch, each article in its own named graph. An article already in the store under the same content
hash is skipped (re-ingesting changes nothing); an article whose file name is in the store with other
content is replaced.

Sharding: ``ingest_paths(..., shard=(i, n))`` (``vigie ingest --shard i/n``) ingests only the files of
shard ``i`` of ``n`` (1-based), so ``n`` hosts can split one corpus and write into one SPARQL server.
A file's shard is a stable hash (SHA-256) of its document id, which is derived from the file name alone:
the split is the same on every host whatever folder the corpus is mounted at, every file lands in
exactly one shard, and two files that would write the same article graph always land in the same one.
Re-running a shard is harmless (unchanged articles are skipped by content hash). Content-hash
de-duplication across shards is best effort: the same text under two names in two shards may be
written twice, under its two ids.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from extractors.documents import MAX_ARTICLE_BYTES, DocumentError, document_id, read_document
from extractors.facts import Document, Extraction
from extractors.rdf import document_iri, extraction_to_quads
from vigie.language import not_french
from vigie.store import GraphStore

#: File suffixes read as articles when a folder is given.
ARTICLE_SUFFIXES = (".txt",)
#: Default maximum number of facts (actors + policies + statements) one article may yield.
MAX_FACTS_PER_ARTICLE = 2_000


@dataclass
class IngestReport:
    """What an ingest did: counts, and one line per file that could not be ingested."""

    ingested: list[str] = field(default_factory=list)  # new and changed articles written
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    quads: int = 0
    changed: list[str] = field(default_factory=list)  # of ``ingested``: articles whose graph was replaced
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path or URL, reason): not failures

    @property
    def new(self) -> list[str]:
        changed = set(self.changed)
        return [name for name in self.ingested if name not in changed]

    @property
    def ok(self) -> bool:
        return not self.failed


def find_articles(paths: Iterable[Path | str], suffixes: tuple[str, ...] = ARTICLE_SUFFIXES
                  ) -> Iterator[tuple[Path, str | None]]:
    """Files to ingest, in a stable order: ``(path, None)`` or ``(path, reason)`` when it cannot be listed.
    Inside folders, the files ending with one of ``suffixes``."""
    for raw in paths:
        path = Path(raw)
        try:
            is_dir, exists = path.is_dir(), path.exists()
        except OSError as exc:  # e.g. inside a folder this user may not search
            yield path, f"cannot read: {exc.strerror or exc}"
            continue
        if is_dir:
            seen: set[tuple[int, int]] = set()
            unreadable: list[OSError] = []
            # followlinks=False: a symlink loop cannot make the walk run forever.
            for root, dirs, files in os.walk(path, onerror=unreadable.append, followlinks=False):
                yield from ((Path(e.filename), f"cannot read folder: {e.strerror or e}") for e in unreadable)
                unreadable.clear()
                dirs.sort()
                for name in sorted(files):
                    file = Path(root) / name
                    if name.startswith(".") or file.suffix.lower() not in suffixes:
                        continue
                    try:
                        st = file.stat()
                    except OSError as exc:
                        yield file, f"cannot read: {exc.strerror or exc}"
                        continue
                    if (st.st_dev, st.st_ino) in seen:
                        continue
                    seen.add((st.st_dev, st.st_ino))
                    yield file, None
            yield from ((Path(e.filename), f"cannot read folder: {e.strerror or e}") for e in unreadable)
        elif exists:
            yield path, None
        elif path.is_symlink():
            yield path, "broken or looping symbolic link"
        else:
            yield path, "no such file or folder"


def parse_shard(spec: str) -> tuple[int, int]:
    """``"i/n"`` → ``(i, n)`` with ``1 <= i <= n``; ``ValueError`` with a readable message otherwise."""
    try:
        index, count = (int(part) for part in spec.strip().split("/"))
    except ValueError:
        raise ValueError(f"a shard is written i/n, e.g. 1/4 (got {spec!r})") from None
    if count < 1 or not 1 <= index <= count:
        raise ValueError(f"shard {spec!r}: i must be between 1 and n")
    return index, count


def shard_of(path: Path | str, count: int) -> int:
    """The shard (1-based, of ``count``) a file belongs to: a stable hash of its document id."""
    key = document_id(Path(path).stem).encode("utf-8")
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big") % count + 1


def in_shard(path: Path | str, shard: tuple[int, int] | None) -> bool:
    return shard is None or shard_of(path, shard[1]) == shard[0]


def read_documents(
    paths: Iterable[Path | str],
    report: IngestReport,
    *,
    max_bytes: int = MAX_ARTICLE_BYTES,
    shard: tuple[int, int] | None = None,
) -> Iterator[Document]:
    """Read each article (of ``shard`` only, if given), recording the bad ones in ``report`` instead of raising."""
    for path, problem in find_articles(paths):
        if not in_shard(path, shard):
            continue
        if problem:
            report.failed.append((str(path), problem))
            continue
        try:
            yield read_document(path, max_bytes=max_bytes)
        except DocumentError as exc:
            report.failed.append((str(path), str(exc)))
        except OSError as exc:  # unreadable (permissions, a folder named like a file, a vanished file)
            report.failed.append((str(path), f"cannot read: {exc.strerror or exc}"))


def max_characters(extractor) -> int:
    """The longest text the extractor's spaCy pipeline accepts (1,000,000 without one)."""
    return getattr(getattr(extractor, "nlp", None), "max_length", None) or 1_000_000


def fresh_documents(
    store: GraphStore,
    documents: Iterable[Document],
    report: IngestReport,
    *,
    max_chars: int = 1_000_000,
    progress: Callable[[Document], None] | None = None,
) -> Iterator[Document]:
    """The documents to extract: not already in the store (by content hash), not seen earlier in this run,
    not too long, in French; the others are recorded in ``report`` (unchanged, skipped or failed)."""
    seen: dict[str, str] = {}
    taken: dict[str, str] = {}
    for document in documents:
        name = document.path or document.id
        # spaCy refuses longer texts with an exception that would end the whole ingest: refuse the article instead.
        if len(document.text) > max_chars:
            report.failed.append((name, f"too long: {len(document.text)} characters (maximum {max_chars})"))
            continue
        graph = document_iri(document.id).value
        if store.document_with_hash(document.content_hash) or seen.get(document.content_hash):
            report.unchanged.append(name)
            if progress:
                progress(document)
            continue
        language = not_french(document.body)
        if language:  # one line, never extracted (the check reads the article's opening only)
            report.skipped.append((name, language))
            continue
        if graph in taken:
            # Two files of this run whose names differ only by case, accents or punctuation would be
            # one article: the second would silently replace the first.
            report.failed.append((name, f"same document id {document.id!r} as {taken[graph]} (rename one of them)"))
            continue
        taken[graph] = name
        seen[document.content_hash] = graph
        yield document


def checked_quads(
    extraction: Extraction,
    report: IngestReport,
    *,
    max_facts: int = MAX_FACTS_PER_ARTICLE,
    validate: Callable[[Extraction, list], str | None] | None = None,
) -> list | None:
    """An extraction's quads, counted in ``report`` as ingested; ``None`` (and a line in ``report.failed``)
    when it has too many facts or does not conform."""
    name = extraction.document.path or extraction.document.id
    if extraction.fact_count() > max_facts:
        report.failed.append((name, f"too many facts: {extraction.fact_count()} (maximum {max_facts})"))
        return None
    quads = extraction_to_quads(extraction)
    if validate is not None:
        problem = validate(extraction, quads)
        if problem:
            report.failed.append((name, f"does not conform to the shapes: {problem}"))
            return None
    report.ingested.append(name)
    report.quads += len(quads)
    return quads


def ingest_paths(
    store: GraphStore,
    paths: Iterable[Path | str],
    extractor=None,
    *,
    batch_size: int = 16,
    workers: int = 1,
    max_bytes: int = MAX_ARTICLE_BYTES,
    max_facts: int = MAX_FACTS_PER_ARTICLE,
    validate: Callable[[Extraction, list], str | None] | None = None,
    progress: Callable[[Document], None] | None = None,
    shard: tuple[int, int] | None = None,
) -> IngestReport:
    """Ingest article files or folders into ``store``; returns what was done and what failed.

    ``shard=(i, n)`` ingests only the files of shard ``i`` of ``n`` (see the module's docstring).

    ``validate`` may check an article's quads before they are written and return a reason to refuse it.
    """
    if extractor is None:
        from extractors.pipeline import Extractor

        extractor = Extractor()
    report = IngestReport()
    documents = fresh_documents(store, read_documents(paths, report, max_bytes=max_bytes, shard=shard), report,
                                max_chars=max_characters(extractor), progress=progress)
    batch: dict = {}
    for extraction in extractor.extract(documents, batch_size=batch_size, n_process=workers):
        quads = checked_quads(extraction, report, max_facts=max_facts, validate=validate)
        if quads is None:
            continue
        batch[document_iri(extraction.document.id)] = quads
        if progress:
            progress(extraction.document)
        if len(batch) >= batch_size:
            store.replace_graphs(batch)
            batch = {}
    if batch:
        store.replace_graphs(batch)
    store.flush()
    return report
