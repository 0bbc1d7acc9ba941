"""Parallel extraction (``--workers N``) gives exactly what one process gives."""

from __future__ import annotations

from pathlib import Path

from extractors.documents import read_document
from extractors.rdf import extraction_to_quads


def test_two_workers_extract_the_same_quads_as_one(extractor, seeds_dir: Path):
    documents = [read_document(p) for p in sorted(seeds_dir.glob("*.txt"))]

    def quads(n_process: int) -> list[list[str]]:
        extractions = list(extractor.extract(iter(documents), batch_size=2, n_process=n_process))
        return [sorted(map(str, extraction_to_quads(e))) for e in extractions]

    one = quads(1)
    assert len(one) == len(documents)
    assert quads(2) == one
