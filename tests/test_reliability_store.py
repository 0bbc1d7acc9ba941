"""Store integrity: whole articles only after a kill -9, a re-run completes the store, re-ingesting
changes nothing, and a store in use by another process is refused with a clear message."""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from consolidation_helpers import assert_consolidated_graph_exact
from reliability_helpers import ROOT, SEEDS, clean_env, run_vigie, variant_corpus, vigie_command

from extractors.documents import read_document
from extractors.pipeline import CONSOLIDATION_WINDOW
from extractors.rdf import document_iri, extraction_to_quads
from vigie.store import Store

GRAPHS_PER_BATCH = 40
QUADS_PER_GRAPH = 500

WRITER = textwrap.dedent(
    f"""
    import sys
    import pyoxigraph as ox
    from vigie.store import Store

    store = Store(sys.argv[1])
    p = ox.NamedNode("https://example.org/p")
    batch = 0
    while True:
        graphs = {{}}
        for g in range({GRAPHS_PER_BATCH}):
            name = ox.NamedNode(f"https://example.org/g/{{batch}}-{{g}}")
            graphs[name] = [
                ox.Quad(ox.NamedNode(f"https://example.org/s/{{batch}}-{{g}}-{{i}}"), p, ox.Literal(i), name)
                for i in range({QUADS_PER_GRAPH})
            ]
        store.replace_graphs(graphs)
        print("batch", batch, flush=True)
        batch += 1
    """
)


def graph_sizes(path: Path) -> Counter:
    store = ox.Store.read_only(str(path))
    return Counter(q.graph_name.value for q in store if isinstance(q.graph_name, ox.NamedNode))


def test_kill_during_large_write_transactions_leaves_only_whole_graphs(tmp_path):
    """A writer that spends most of its time inside `replace_graphs` transactions is killed (SIGKILL)
    at several moments: every graph in the store is whole, and batches are all-or-nothing."""
    store = tmp_path / "store"
    for delay in (0.05, 0.23, 0.41):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(store)], stdout=subprocess.PIPE,
                                  text=True, cwd=ROOT, env=clean_env())
        assert writer.stdout is not None
        assert writer.stdout.readline().startswith("batch"), "the writer never wrote a batch"
        time.sleep(delay)
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        sizes = graph_sizes(store)
        assert sizes, "nothing survived the kill"
        assert set(sizes.values()) == {QUADS_PER_GRAPH}, "a graph was half-written"
        per_batch = Counter(name.rsplit("/", 1)[-1].split("-")[0] for name in sizes)
        assert set(per_batch.values()) == {GRAPHS_PER_BATCH}, "a batch was half-written"


def expected_sizes(extractor, paths: list[Path]) -> dict[str, int]:
    """Quads per article graph as a clean, in-process ingest of each article gives them."""
    documents = [read_document(path) for path in paths]
    return {
        document_iri(extraction.document.id).value: len(extraction_to_quads(extraction))
        for extraction in extractor.extract(iter(documents), batch_size=16)
    }


def document_sizes(path: Path) -> dict[str, int]:
    store = Store(path, read_only=True)
    graphs = {g.value for g in store.document_graphs()}
    sizes = graph_sizes(path)
    return {g: sizes[g] for g in graphs}


def ingest_until(corpus: Path, store: Path, articles: int, timeout: float = 240) -> int:
    """Run the real `vigie ingest` on a terminal (so it draws its progress), and SIGKILL it once its
    progress shows ``articles`` done. Returns the progress count seen."""
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [*vigie_command(), "ingest", str(corpus), "--store", str(store), "--batch-size", "8"],
        stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, cwd=ROOT,
        env=clean_env(TERM="xterm", COLUMNS="120"),
    )
    os.close(slave)
    seen, output, deadline = 0, b"", time.monotonic() + timeout
    try:
        while seen < articles:
            assert time.monotonic() < deadline, output[-2000:].decode(errors="replace")
            ready, _, _ = select.select([master], [], [], 1)
            if not ready:
                assert process.poll() is None, output[-2000:].decode(errors="replace")
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                pytest.fail("vigie ingest ended before it was killed:\n" + output[-2000:].decode(errors="replace"))
            output = (output + chunk)[-20000:]
            counts = [int(m) for m in re.findall(rb"(\d+)/\d+", output)]
            seen = max(counts, default=0)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        os.close(master)
    return seen


@pytest.mark.slow
def test_kill_9_mid_ingest_leaves_whole_articles_and_a_rerun_completes_the_store(tmp_path, extractor):
    # Extraction hands its results over one consolidation window at a time, and the window's batches are
    # then written in a burst: a kill timed on progress within the first window raced with that burst (and
    # lost on a fast machine). With one window and a part, the kill lands once the first window shows done,
    # while the second one is still being extracted (a second or more), so no write of it has started.
    corpus = tmp_path / "corpus"
    paths = variant_corpus(corpus, CONSOLIDATION_WINDOW + 40)
    store = tmp_path / "store"
    ingest_until(corpus, store, articles=CONSOLIDATION_WINDOW)

    after_kill = document_sizes(store)
    assert 0 < len(after_kill) < len(paths), "the kill did not land in the middle of the ingest"
    expected = expected_sizes(extractor, paths)
    for graph, size in after_kill.items():
        assert size == expected[graph], f"{graph} is not whole after the kill"
    assert_consolidated_graph_exact(store, tmp_path)  # written in the same transactions as the articles

    rerun = run_vigie("ingest", corpus, "--store", store, "-q")
    assert rerun.returncode == 0, rerun.stderr
    assert f"{len(paths) - len(after_kill)} articles ingested, {len(after_kill)} unchanged, 0 failed" in rerun.stdout
    assert document_sizes(store) == expected
    assert_consolidated_graph_exact(store, tmp_path / "after-rerun")


@pytest.fixture()
def seeds_copy(tmp_path, seeds_store_path) -> Path:
    path = tmp_path / "store"
    shutil.copytree(seeds_store_path, path, ignore=shutil.ignore_patterns("LOCK"))
    return path


def all_quads(path: Path) -> set:
    return set(ox.Store.read_only(str(path)))


def test_reingesting_the_seeds_changes_no_quad(seeds_copy, extractor):
    from vigie.ingest import ingest_paths

    before = all_quads(seeds_copy)
    store = Store(seeds_copy)
    report = ingest_paths(store, [SEEDS], extractor)
    del store
    assert (len(report.ingested), len(report.unchanged)) == (0, 5)
    assert all_quads(seeds_copy) == before


def test_same_article_under_another_file_name_changes_no_quad(seeds_copy, extractor, tmp_path):
    from vigie.ingest import ingest_paths

    before = all_quads(seeds_copy)
    renamed = tmp_path / "renamed"
    renamed.mkdir()
    for path in SEEDS.glob("*.txt"):
        # Another name, and other line endings and spacing: still the same article.
        text = path.read_text(encoding="utf-8").replace("\n", "\r\n").replace(". ", ".  ")
        (renamed / f"copie de {path.stem}.txt").write_text(text, encoding="utf-8", newline="")
    store = Store(seeds_copy)
    report = ingest_paths(store, [renamed], extractor)
    del store
    assert (len(report.ingested), len(report.unchanged)) == (0, 5)
    assert all_quads(seeds_copy) == before


def test_ingest_into_a_store_another_process_holds_says_so_in_one_line(seeds_copy):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, pyoxigraph; s = pyoxigraph.Store(sys.argv[1]); print('open', flush=True);"
         " sys.stdin.read()", str(seeds_copy)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        result = run_vigie("ingest", SEEDS, "--store", seeds_copy, "-q")
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"store {seeds_copy} is in use by another process" in lines[0]
    assert "--store http" in lines[0]  # tells how to ingest through the running server instead
