"""Backup and restore with the real `vigie` command: `vigie backup DIR`, `vigie restore DIR|DUMP`,
no re-extraction, and an old store left whole when a restore cannot complete."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from reliability_helpers import ROOT, clean_env, run_vigie

from vigie.store import SCHEMA_GRAPHS


def quads(path: Path, *, schema: bool = True) -> set[ox.Quad]:
    store = ox.Store.read_only(str(path))
    skip = set() if schema else set(SCHEMA_GRAPHS.values())
    # The named graphs: the consolidated default graph is derived from them.
    return {q for q in store if q.graph_name not in skip and not isinstance(q.graph_name, ox.DefaultGraph)}


@pytest.fixture()
def store(tmp_path, seeds_store_path) -> Path:
    path = tmp_path / "store"
    shutil.copytree(seeds_store_path, path, ignore=shutil.ignore_patterns("LOCK"))
    return path


def test_backup_folder_opens_as_a_store_with_every_quad(store, tmp_path):
    result = run_vigie("backup", tmp_path / "backup", "--store", store)
    assert result.returncode == 0, result.stderr
    assert quads(tmp_path / "backup") == quads(store)
    assert f"{len(quads(store))} quads backed up" in result.stdout


def test_backup_refuses_an_existing_folder(store, tmp_path):
    (tmp_path / "backup").mkdir()
    result = run_vigie("backup", tmp_path / "backup", "--store", store)
    assert result.returncode == 1
    assert "already exists" in result.stderr and "Traceback" not in result.stderr


def test_restore_from_a_backup_gives_back_every_quad(store, tmp_path):
    assert run_vigie("backup", tmp_path / "backup", "--store", store).returncode == 0
    result = run_vigie("restore", tmp_path / "backup", "--store", tmp_path / "restored")
    assert result.returncode == 0, result.stderr
    assert quads(tmp_path / "restored") == quads(store)
    assert "5 articles restored" in result.stdout


def test_restore_from_an_nquads_dump_needs_no_extraction(store, tmp_path):
    dump = tmp_path / "graph.nq"
    assert run_vigie("export", "--store", store, "-f", "nquads", "-o", dump).returncode == 0
    # spaCy and the extractors cannot even be imported here: the dump is loaded as it is.
    blocked = "import sys; sys.modules['spacy'] = None; sys.modules['extractors.pipeline'] = None; "
    result = subprocess.run(
        [sys.executable, "-c", blocked + "from vigie.cli import app; app()",
         "restore", str(dump), "--store", str(tmp_path / "restored")],
        capture_output=True, text=True, timeout=120, cwd=ROOT, env=clean_env(),
    )
    assert result.returncode == 0, result.stderr
    assert quads(tmp_path / "restored", schema=False) == quads(store, schema=False)
    assert {q.graph_name for q in quads(tmp_path / "restored")} >= set(SCHEMA_GRAPHS.values())


def test_restore_does_not_overwrite_a_store_without_force(store, tmp_path):
    dump = tmp_path / "graph.nq"
    assert run_vigie("export", "--store", store, "-f", "nquads", "-o", dump).returncode == 0
    before = quads(store)
    result = run_vigie("restore", dump, "--store", store)
    assert result.returncode == 1
    assert "--force" in result.stderr
    assert quads(store) == before


def test_restore_from_a_malformed_dump_leaves_the_old_store_whole(store, tmp_path):
    dump = tmp_path / "graph.nq"
    assert run_vigie("export", "--store", store, "-f", "nquads", "-o", dump).returncode == 0
    with dump.open("a", encoding="utf-8") as handle:  # a dump cut off in the middle of a line
        handle.write('<https://w3id.org/vigie/id/company/x> <http://www.w3.org/2004/02/skos/core#prefLabel> "X')
    before = quads(store)
    result = run_vigie("restore", dump, "--store", store, "--force")
    assert result.returncode == 1
    assert "not valid" in result.stderr and "Traceback" not in result.stderr
    assert quads(store) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".store")) == []


def test_restore_with_force_replaces_the_store(store, tmp_path):
    dump = tmp_path / "one.nq"
    graph = next(g for g in ox.Store.read_only(str(store)).named_graphs() if "/document/" in g.value)
    one = [q for q in ox.Store.read_only(str(store)).quads_for_pattern(None, None, None, graph)]
    ox.serialize(one, str(dump), format=ox.RdfFormat.N_QUADS)
    result = run_vigie("restore", dump, "--store", store, "--force")
    assert result.returncode == 0, result.stderr
    assert quads(store, schema=False) == set(one)
    assert "1 articles restored" in result.stdout


def _newest_first(path: Path) -> list[str]:
    store = ox.Store.read_only(str(path))
    rows = store.query("SELECT ?d ?n WHERE { ?d <https://w3id.org/vigie/ontology#position> ?n }")
    return [row["d"].value for row in sorted(rows, key=lambda r: -int(r["n"].value))]


@pytest.mark.parametrize("suffix", [".nq", ".trig"])
def test_restore_from_a_dump_keeps_the_order_the_articles_were_added_in(store, tmp_path, suffix):
    from vigie.store import Store

    graphs = sorted(Store(store, read_only=True).document_graphs(), key=lambda g: g.value)
    article_quads = {g: list(ox.Store.read_only(str(store)).quads_for_pattern(None, None, None, g)) for g in graphs}
    added = tmp_path / "added"
    writer = Store(added)
    for graph in (graphs[3], graphs[0], graphs[4], graphs[1], graphs[2]):  # one write each, not in IRI order
        writer.replace_graphs({graph: article_quads[graph]})
    del writer
    assert _newest_first(added) != [g.value for g in reversed(graphs)]
    dump = tmp_path / f"graph{suffix}"
    assert run_vigie("export", "--store", added, "-f", suffix.lstrip(".").replace("nq", "nquads"),
                     "-o", dump).returncode == 0
    assert run_vigie("restore", dump, "--store", tmp_path / "restored").returncode == 0
    assert _newest_first(tmp_path / "restored") == _newest_first(added)
