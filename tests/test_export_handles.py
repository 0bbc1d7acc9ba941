"""Exports of an on-disk store opened read-only go through fresh handles, each dropped after a budget of
quads (RocksDB's block cache belongs to the open store: a dropped handle frees it). The output must be
the same, byte for byte, as an export through one handle, whatever the budget; a store written to during
the export makes it go on with the caller's own handle; read views (the curation filter) still apply."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
from export_fixtures import build_store

from vigie import curation, export
from vigie.formats import EXPORT_FORMATS, rdf_format
from vigie.store import Store

POLICY = "https://w3id.org/vigie/id/policy/amazon-moratorium-facial-recognition"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("handles") / "store"
    store = build_store(path)
    store.flush()
    del store
    return path


def dump(store, name: str, **kwargs) -> bytes:
    out = io.BytesIO()
    store.dump(out, rdf_format(name), **kwargs)
    return out.getvalue()


def one_handle(path, name: str, **kwargs) -> bytes:
    """The export through the caller's handle only (a store opened for writing is never reopened)."""
    return dump(Store(path), name, **kwargs)


@pytest.fixture
def opens(monkeypatch):
    """A budget of one quad and one graph name per handle; counts the handles opened."""
    monkeypatch.setattr(export._FreshHandles, "BUDGET", 1)
    monkeypatch.setattr(export._FreshHandles, "LISTING", 1)
    count = [0]
    real = export._FreshHandles._open

    def counting(self):
        count[0] += 1
        return real(self)

    monkeypatch.setattr(export._FreshHandles, "_open", counting)
    return count


def test_a_read_only_store_is_read_through_fresh_handles(store_path):
    assert isinstance(export._source(Store(store_path, read_only=True)), export._FreshHandles)
    assert type(export._source(Store(store_path))) is export._Source
    assert type(export._source(Store(None))) is export._Source


@pytest.mark.parametrize("name", EXPORT_FORMATS)
@pytest.mark.parametrize("include_schema", [False, True])
def test_fresh_handles_write_the_same_bytes(store_path, opens, name, include_schema):
    expected = one_handle(store_path, name, include_schema=include_schema)
    assert dump(Store(store_path, read_only=True), name, include_schema=include_schema) == expected
    assert opens[0] > 3  # the listing and the graphs each went through several handles


def test_the_graph_listing_is_the_store_listing(store_path, opens):
    store = Store(store_path, read_only=True)
    assert export.select_graphs(store, include_schema=True) == export.select_graphs(
        Store(store_path), include_schema=True)
    assert opens[0] >= len(list(store.named_graphs()))


@pytest.mark.parametrize("name", ["turtle", "trig"])
def test_a_store_written_during_the_export_goes_on_with_the_callers_handle(store_path, opens, monkeypatch, name):
    expected = one_handle(store_path, name)
    real = export._disk_state
    calls = [0]

    def changing(path):
        calls[0] += 1
        return real(path) + ([("000999.log", calls[0], 0)] if calls[0] > 4 else [])

    monkeypatch.setattr(export, "_disk_state", changing)
    assert dump(Store(store_path, read_only=True), name) == expected
    assert opens[0] == 4  # the first handles, then none: the store had changed


@pytest.mark.parametrize("name", ["turtle", "nquads"])
def test_fresh_handles_keep_the_curation_filter(tmp_path, opens, name):
    path = tmp_path / "store"
    store = build_store(path)
    curation.reject(store, ox.NamedNode(POLICY), by="A. Analyst", reason="misread")
    store.flush()
    expected = dump(store, name)
    assert expected != dump(store, name, include_rejected=True)  # the rejected policy's facts are left out
    del store
    assert dump(Store(path, read_only=True), name) == expected
    assert opens[0] > 3
