"""Ingesting articles: one named graph per article, idempotent, traceable, bad files reported."""

from __future__ import annotations

import shutil

import pytest

from extractors.rdf import document_iri
from vigie.ingest import ingest_paths
from vigie.store import Store


@pytest.fixture()
def store() -> Store:
    s = Store(None)
    s.load_schema()
    return s


def test_each_seed_article_gets_its_own_named_graph(seeds_store, seeds_dir):
    graphs = {g.value for g in seeds_store.document_graphs()}
    assert graphs == {document_iri(p.stem).value for p in seeds_dir.glob("*.txt")}


def test_reingesting_the_same_articles_changes_nothing(store, extractor, seeds_dir):
    ingest_paths(store, [seeds_dir], extractor)
    size = len(store)
    report = ingest_paths(store, [seeds_dir], extractor)
    assert len(store) == size
    assert report.ingested == [] and len(report.unchanged) == 5


def test_same_article_under_another_name_is_recognised(store, extractor, seeds_dir, tmp_path):
    first = tmp_path / "a.txt"
    shutil.copy(next(seeds_dir.glob("*.txt")), first)
    ingest_paths(store, [first], extractor)
    size = len(store)
    copy = tmp_path / "copy-of-a.txt"
    shutil.copy(first, copy)
    report = ingest_paths(store, [copy], extractor)
    assert report.unchanged == [str(copy)] and len(store) == size


def test_changed_article_replaces_its_graph(store, extractor, tmp_path):
    path = tmp_path / "article.txt"
    path.write_text("IBM se retire\nIBM a annoncé se retirer du marché de la reconnaissance faciale.", encoding="utf-8")
    ingest_paths(store, [path], extractor)
    path.write_text("Un titre\nUn texte sans entreprise.", encoding="utf-8")
    report = ingest_paths(store, [path], extractor)
    assert report.ingested == [str(path)]
    titles = store.select("SELECT ?t WHERE { ?d dcterms:title ?t }")
    assert [r["t"].value for r in titles] == ["Un titre"]


def test_missing_path_is_reported_and_the_rest_ingested(store, extractor, seeds_dir, tmp_path):
    report = ingest_paths(store, [tmp_path / "nope", seeds_dir], extractor)
    assert report.failed == [(str(tmp_path / "nope"), "no such file or folder")]
    assert len(report.ingested) == 5


def test_every_evidence_quote_is_the_span_of_its_article(seeds_store):
    rows = seeds_store.select(
        """SELECT ?quote ?start ?end ?text WHERE {
             GRAPH ?g { ?e a vg:Evidence ; vg:quote ?quote ; vg:start ?start ; vg:end ?end ;
                           prov:wasDerivedFrom ?g . ?g vg:text ?text } }"""
    )
    assert rows
    for row in rows:
        start, end = int(row["start"].value), int(row["end"].value)
        assert row["text"].value[start:end] == row["quote"].value


def test_every_policy_has_evidence_in_an_article(seeds_store):
    rows = seeds_store.select(
        "SELECT ?p WHERE { ?p a vg:Policy FILTER NOT EXISTS { ?e vg:supports ?p ; prov:wasDerivedFrom ?d } }"
    )
    assert rows == []


# ---------------------------------------------------------------- unreadable paths (issue 19)


def test_a_path_the_system_cannot_stat_is_one_line_not_a_traceback(tmp_path):
    from reliability_helpers import run_vigie

    result = run_vigie("ingest", "a" * 5000 + ".txt", "--store", tmp_path / "store")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "cannot read" in result.stderr


def test_an_unreadable_subfolder_is_reported_not_skipped(tmp_path, monkeypatch):
    import os

    from vigie.ingest import find_articles

    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "a.txt").write_text("Titre\n\nTexte.", encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    real_scandir = os.scandir

    def scandir(path="."):  # the tests run as root, who may read any folder: the OS's refusal, reproduced
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(locked))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = list(find_articles([tmp_path]))
    assert (tmp_path / "open" / "a.txt", None) in found
    assert (locked, "cannot read folder: Permission denied") in found
