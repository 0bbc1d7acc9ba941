"""`vigie watch --once` killed with SIGKILL in the middle of a round (issue 17): a real process against a real
local site, killed while it waits for a page the site holds back, once the batches before that page are
written. The store is left consistent, and a re-run completes the round: each page written once, the
pages done before the kill counted unchanged and not fetched again, the graphs those of an uninterrupted
round."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from consolidation_helpers import assert_consolidated_graph_exact
from reliability_helpers import clean_env, run_vigie, vigie_command
from web_pages import page_from_file, rss
from web_site import Site

from extractors.web_documents import url_document_id
from ontology.namespaces import VG
from vigie.consolidation import facts
from vigie.crawl_state import default_state_path

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = [*sorted((ROOT / "seeds").glob("*.txt")), sorted((ROOT / "tests" / "corpus").glob("*.txt"))[0]]
#: Two pages per batch: the site's first four pages are two batches, written before the held-back page.
OPTIONS = ["--delay", "0.01", "--timeout", "300", "--batch-size", "2", "-q"]
WRITTEN_BEFORE_KILL = 4


class Newsroom:
    """A site with a feed of five pages and a second site whose one page is held back until ``gate`` is set.

    The polite client fetches each site's pages in turn, the first site's first: its four first pages make
    two batches, written while the second site's page is awaited; the first site's fifth page waits in the
    third batch with it."""

    def __init__(self) -> None:
        self.a, self.b = Site().start(), Site().start()
        self.gate = threading.Event()
        items = []
        for n, article in enumerate(ARTICLES):
            site = self.b if n == 4 else self.a
            path = f"/article-{n}.html"
            url = site.put(path, page_from_file(article, url=site.url(path), site="Le Journal Tech"),
                           gate=self.gate if site is self.b else None)
            items.append({"title": article.stem, "link": url, "date": f"2021-03-{n + 1:02d}"})
        self.pages = [item["link"] for item in items]
        self.held = self.b.routes["/article-4.html"]
        self.feed = self.a.put("/rss.xml", rss(items), content_type="application/rss+xml")

    def stop(self) -> None:
        self.gate.set()
        for site in (self.a, self.b):
            site.stop()


@pytest.fixture(scope="module")
def newsroom():
    room = Newsroom()
    yield room
    room.stop()


def _recorded(state: Path) -> int:
    """Pages the crawl state records as written (read beside the running process: SQLite WAL)."""
    if not state.exists():
        return 0
    with sqlite3.connect(f"file:{state}?mode=ro", uri=True, timeout=30) as db:
        try:
            return db.execute("SELECT COUNT(*) FROM pages WHERE document IS NOT NULL").fetchone()[0]
        except sqlite3.OperationalError:  # the tables are not created yet
            return 0


def _kill_mid_round(room: Newsroom, store: Path, scratch: Path) -> None:
    """Start the round; once the held-back page is asked for and the batches before it are recorded, SIGKILL."""
    log = (scratch / "killed.out").open("w")
    process = subprocess.Popen([*vigie_command(), "watch", "--once", room.feed, "--store", str(store), *OPTIONS],
                               stdout=log, stderr=subprocess.STDOUT, env=clean_env(), cwd=ROOT)
    state = default_state_path(store)
    deadline = time.monotonic() + 180
    try:
        assert room.held.arrived.wait(180), "the round never asked for the held-back page"
        while _recorded(state) < WRITTEN_BEFORE_KILL:  # waits for a state, not for a time
            assert process.poll() is None, (scratch / "killed.out").read_text()
            assert time.monotonic() < deadline, "the batches before the held-back page were not written"
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=60)
        log.close()
        room.gate.set()  # the page is answered from now on (to a dead client first)
    assert process.returncode == -signal.SIGKILL


def _documents(store: Path) -> dict[str, int]:
    """Each article graph of a store, with how many texts it holds."""
    db = ox.Store.read_only(str(store))
    graphs = {q.subject.value: q.graph_name for q in db.quads_for_pattern(None, None, VG.Document, None)
              if q.subject == q.graph_name}
    return {iri: len(list(db.quads_for_pattern(None, VG.text, None, g))) for iri, g in graphs.items()}


def _named_graphs(store: Path) -> set:
    db = ox.Store.read_only(str(store))
    return {q for q in db.quads_for_pattern(None, None, None, None) if not isinstance(q.graph_name, ox.DefaultGraph)}


@pytest.fixture(scope="module")
def killed(newsroom, tmp_path_factory):
    scratch = tmp_path_factory.mktemp("killed")
    store = scratch / "store"
    _kill_mid_round(newsroom, store, scratch)
    after_kill = _documents(store)
    assert_consolidated_graph_exact(store, scratch)  # consistent as the kill left it
    hits = {site: len(site.hits) for site in (newsroom.a, newsroom.b)}
    rerun = run_vigie("watch", "--once", newsroom.feed, "--store", store, *OPTIONS)
    fetched = [hit.path for site in (newsroom.a, newsroom.b) for hit in site.hits[hits[site]:]]
    return {"store": store, "after_kill": after_kill, "fetched": fetched, "rerun": rerun}


def test_the_kill_leaves_the_batches_written_before_it_whole_and_nothing_else(killed, newsroom):
    expected = {f"https://w3id.org/vigie/id/document/{url_document_id(url)}" for url in newsroom.pages[:4]}
    assert set(killed["after_kill"]) == expected
    assert set(killed["after_kill"].values()) == {1}


def test_a_re_run_completes_the_round_and_counts_the_rest(killed, newsroom, tmp_path):
    rerun = killed["rerun"]
    assert rerun.returncode == 0, rerun.stderr
    assert f"2 articles ingested, {WRITTEN_BEFORE_KILL} unchanged, 0 failed" in rerun.stdout, rerun.stdout
    documents = _documents(killed["store"])
    assert set(documents) == {f"https://w3id.org/vigie/id/document/{url_document_id(u)}" for u in newsroom.pages}
    assert set(documents.values()) == {1}  # each page written once: one article graph, one text
    assert_consolidated_graph_exact(killed["store"], tmp_path)


def test_the_re_run_fetches_only_what_the_kill_left_undone(killed, newsroom):
    pages = sorted(path for path in killed["fetched"] if path.startswith("/article"))
    assert pages == ["/article-4.html", "/article-5.html"], killed["fetched"]


def test_the_interrupted_round_ends_as_an_uninterrupted_one(killed, newsroom, tmp_path):
    fresh = tmp_path / "store"
    result = run_vigie("watch", "--once", newsroom.feed, "--store", fresh, *OPTIONS)
    assert "6 articles ingested, 0 unchanged, 0 failed" in result.stdout, result.stdout + result.stderr
    assert _named_graphs(killed["store"]) == _named_graphs(fresh)
    assert set(facts(ox.Store.read_only(str(killed["store"])))) == set(facts(ox.Store.read_only(str(fresh))))
