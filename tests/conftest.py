"""Shared fixtures: the real spaCy pipeline and a real Oxigraph store built from the seeds, once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def extractor():
    """The real Vigie extractor (fr_core_news_md + Vigie components), loaded once."""
    from extractors.pipeline import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def seeds_store_path(tmp_path_factory, extractor) -> Path:
    """An on-disk store holding the five seed articles, built once by the real ingest. Do not write to it."""
    from vigie.ingest import ingest_paths
    from vigie.store import Store

    path = tmp_path_factory.mktemp("seeds") / "store"
    store = Store(path)
    store.load_schema()
    report = ingest_paths(store, [SEEDS], extractor)
    assert report.ok, report.failed
    del store
    return path


@pytest.fixture(scope="session")
def seeds_store(seeds_store_path):
    """The seeds store opened read-only (shared by the whole session)."""
    from vigie.store import Store

    return Store(seeds_store_path, read_only=True)
