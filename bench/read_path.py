"""Issue 14's read-path benchmark: lookups over the consolidated graph at 5, 10,000 and 100,000 articles.

``python -m bench.read_path [--sizes 5,10000,100000] [--duration 5] [--store-dir data/bench/read-path] [--rebuild]
[--only TEXT] [--against REV]``

The stores hold the five seed articles (extracted once by the real ingest) and copies of their article
graphs under new article IRIs, written through ``Store.replace_graphs`` (the write path, which keeps the
consolidated graph), so a fact is repeated by up to ``size / 5`` articles. Above :data:`BULK_ABOVE` articles
(100,000: the write path would take half an hour) the copies and their consolidated triples are written
straight into the store (``bulk_extend``) and the counts and newest sources computed from the seeds, giving
the same graphs as the write path. A store built by an earlier run is reused (a marker file beside it;
``--rebuild`` builds it again). Then, with the answer cache off,
each route is served by ``vigie serve``'s app (uvicorn, one worker, read-only store) and loaded at 1
connection for ``--duration`` seconds (wrk if installed, else the bounded Python client); the trivial FastAPI
route (``bench.trivial``) is measured the same way in the same run. ``/sparql``'s point query (the policies
of one company) is also sent to ``oxigraph serve`` on a copy of the same store, at 1 and 8 connections.
With ``--against REV`` (a commit), each route is also served by the code of that commit (``git archive`` in a
temporary folder, same stores, same Python environment), measured right after the current code: a before and
after in the same run. Prints a Markdown table; the figures are pasted in BENCHMARKS.md with the command.
"""

from __future__ import annotations

import argparse
import heapq
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import pyoxigraph as ox

from bench.loadgen import load, wrk_path
from bench.util import ROOT, Server, free_port, log
from ontology.namespaces import DCTERMS, RDF, VG, XSD

TURTLE = {"Accept": "text/turtle"}
#: (route, request headers): the lookups, then the descriptions and details bounded later in issue 14.
ROUTES: list[tuple[str, dict | None]] = [
    ("/company/amazon/policies", None), ("/companies?limit=20", None), ("/policies?limit=20", None),
    ("/advocates?limit=20", None), ("/ui/company/amazon", None),
    ("/company/amazon", TURTLE), ("/policies/amazon-moratorium-facial-recognition", TURTLE),
    ("/advocate/aclu", None), ("/advocate/aclu", TURTLE), ("/legislature/us-congress", None),
    ("/legislature/us-congress", TURTLE), ("/documents/001_311bd3e3553eda90", TURTLE), ("/documents?limit=20", None),
    ("/documents?limit=5&offset=0", None), ("/documents?limit=5&offset=4995", None), ("/ui/documents", None),
]
POINT_QUERY = ("PREFIX vg: <https://w3id.org/vigie/ontology#> SELECT ?policy WHERE "
               "{ ?policy vg:issuedBy <https://w3id.org/vigie/id/company/amazon> }")


#: Stores larger than this are written in bulk (:func:`write_bulk`), not through the write path.
BULK_ABOVE = 10_000
#: Quads per ``bulk_extend`` call.
BULK_BATCH = 1_000_000


def build(size: int, target: Path, bulk: bool | None = None) -> float:
    """A store of ``size`` articles: the seeds, then copies of their graphs; returns seconds per article.

    The copies go through ``Store.replace_graphs`` unless ``bulk`` (default: above :data:`BULK_ABOVE`)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from consolidation_helpers import article_graphs, copy_of

    from extractors.pipeline import Extractor
    from vigie.ingest import ingest_paths
    from vigie.store import Store

    if target.exists():
        shutil.rmtree(target)
    store = Store(target)
    store.load_schema()
    ingest_paths(store, [ROOT / "seeds"], Extractor())
    graphs = article_graphs(store.oxigraph)
    started = time.perf_counter()
    if size > BULK_ABOVE if bulk is None else bulk:
        write_bulk(store.oxigraph, graphs, size // len(graphs))
    else:
        for i in range(1, size // len(graphs)):
            store.replace_graphs(dict(copy_of(g, quads, f"c{i}") for g, quads in graphs.items()))
    seconds = time.perf_counter() - started
    store.flush()
    del store
    return seconds / max(1, size - len(graphs))


def write_bulk(store: ox.Store, graphs: dict[ox.NamedNode, list[ox.Quad]], copies: int) -> None:
    """``copies - 1`` copies of the seed ``graphs`` (as ``build`` names them), written with ``bulk_extend``
    with their consolidated triples, then each counted node's ``vg:articleCount`` and ``vg:latestSource``
    set to what the write path would leave: every copy is its own story, dated as its seed."""
    from consolidation_helpers import copy_of

    from vigie.consolidation import FACTS, STORE_NODE, consolidated, window

    first, seeds = window(store)  # the seeds', written through the write path
    count = seeds
    batch: list[ox.Quad] = []
    for i in range(1, copies):
        for graph, quads in graphs.items():
            name, copy = copy_of(graph, quads, f"c{i}")
            batch += copy
            batch += [ox.Quad(q.subject, q.predicate, q.object, FACTS) for q in copy if consolidated(q)]
            batch.append(ox.Quad(name, VG.position, _integer(first + count), FACTS))  # as the write path: next
            count += 1
        if len(batch) >= BULK_BATCH or i == copies - 1:
            store.bulk_extend(batch)
            batch.clear()
            log(f"read path: {(i + 1) * len(graphs):,} articles written")
    store.remove(ox.Quad(STORE_NODE, VG.documentCount, _integer(seeds), FACTS))
    store.add(ox.Quad(STORE_NODE, VG.documentCount, _integer(count), FACTS))
    _recount(store, graphs, copies)
    store.optimize()  # as `vigie reindex` leaves it: bulk-written SST files slow every seek until compacted


def _integer(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=XSD.integer)


def _recount(store: ox.Store, graphs: dict[ox.NamedNode, list[ox.Quad]], copies: int) -> None:
    """Replaces the counts and newest sources of the nodes the seeds state, for ``copies`` of each seed."""
    from vigie.consolidation import FACTS, NOT_COUNTED, SOURCES_KEPT

    stating: dict = {}
    for graph, quads in graphs.items():
        for q in quads:
            if q.predicate == RDF.type and q.object not in NOT_COUNTED:
                stating.setdefault(q.subject, set()).add(graph)
    dates = {g: next((q.object.value for q in store.quads_for_pattern(g, DCTERMS.date, None, FACTS)), "")
             for g in graphs}
    for node, seeds in stating.items():
        for predicate in (VG.articleCount, VG.latestSource):
            for q in list(store.quads_for_pattern(node, predicate, None, FACTS)):
                store.remove(q)
        store.add(ox.Quad(node, VG.articleCount, ox.Literal(str(len(seeds) * copies), datatype=XSD.integer), FACTS))
        # Newest first by date, then IRI (as vigie.consolidation orders them): seeds × copies, lazily.
        newest = heapq.nlargest(SOURCES_KEPT, ((dates[g], iri) for g in seeds
                                               for iri in (g.value, *(f"{g.value}-c{i}" for i in range(1, copies)))))
        store.extend(ox.Quad(node, VG.latestSource, ox.NamedNode(iri), FACTS) for _, iri in newest)


def cached_build(size: int, target: Path, rebuild: bool = False) -> float:
    """:func:`build`, or the store a previous run built for ``size`` (its marker file says how fast it was
    written); ``rebuild`` builds it again. Returns seconds per article written."""
    marker = target.with_name(target.name + ".built.json")
    if not rebuild and marker.exists() and target.exists():
        log(f"read path: reusing {target} (built {json.loads(marker.read_text())['built']})")
        return json.loads(marker.read_text())["seconds_per_article"]
    marker.unlink(missing_ok=True)
    seconds = build(size, target)
    marker.write_text(json.dumps({"size": size, "seconds_per_article": seconds,
                                  "built": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}))
    return seconds


def measure(url: str, *, connections: int, duration: float, wrk: str | None, headers: dict | None = None) -> dict:
    return load(url, connections=connections, duration=duration, max_requests=50_000, wrk=wrk, headers=headers)


def checkout(rev: str) -> Path:
    """The source tree of commit ``rev`` (``git archive``), in a new temporary folder."""
    tree = Path(tempfile.mkdtemp(prefix="vigie-bench-"))
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def run(sizes: list[int], duration: float, store_dir: Path, rebuild: bool = False, only: str = "",
        against: str | None = None) -> None:
    """Measure the routes whose name holds ``only`` (all by default; ``/sparql``: the point query only), and
    with ``against`` the same routes served by the code of that commit."""
    wrk = wrk_path(install=False)
    routes = [(route, headers) for route, headers in ROUTES if only in route]
    trivial = Server("bench.trivial:create_app", ready_path="/ping")
    before = checkout(against) if against else None
    rows = []
    try:
        for size in sizes:
            target = store_dir / f"store-{size}"
            log(f"read path: store of {size} articles")
            write_ms = cached_build(size, target, rebuild) * 1000
            env = {"VIGIE_STORE": str(target), "VIGIE_STORE_READ_ONLY": "1", "VIGIE_REST_CACHE": "0"}
            vigie = Server("api.app:create_app", env=env, ready_path="/companies")
            old = Server("api.app:create_app", env=env, ready_path="/companies", cwd=before) if before else None
            try:
                if routes:
                    base = measure(f"{trivial.base}/ping", connections=1, duration=duration, wrk=wrk)
                for route, headers in routes:
                    what = route + (" (Turtle)" if headers else "")
                    got = measure(f"{vigie.base}{route}", connections=1, duration=duration, wrk=wrk, headers=headers)
                    rows.append((size, what, got, base))
                    if old is not None:
                        got = measure(f"{old.base}{route}", connections=1, duration=duration, wrk=wrk,
                                      headers=headers)
                        rows.append((size, f"{what} (at {against})", got, base))
                if only in "/sparql point query":
                    rows += _sparql_rows(size, target, vigie, duration, wrk)
            finally:
                vigie.stop()
                if old is not None:
                    old.stop()
            rows.append((size, "write ms/article", {"p50_ms": write_ms}, None))
    finally:
        trivial.stop()
        if before is not None:
            shutil.rmtree(before, ignore_errors=True)
    _print(rows)


def _sparql_rows(size: int, target: Path, vigie: Server, duration: float, wrk: str | None) -> list:
    copy = target.with_name(target.name + "-oxigraph")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(target, copy, ignore=shutil.ignore_patterns("LOCK"))
    port = free_port()
    oxigraph = subprocess.Popen([str(Path(sys.executable).with_name("oxigraph")), "serve-read-only", "--location",
                                 str(copy), "--bind", f"127.0.0.1:{port}"], stderr=subprocess.DEVNULL)
    rows = []
    try:
        time.sleep(2)
        query = urllib.parse.quote(POINT_QUERY)
        for connections in (1, 8):
            ours = measure(f"{vigie.base}/sparql?query={query}", connections=connections, duration=duration,
                           wrk=wrk)
            theirs = measure(f"http://127.0.0.1:{port}/query?query={query}", connections=connections,
                             duration=duration, wrk=wrk)
            rows.append((size, f"/sparql point query, {connections} conn.", ours, theirs))
    finally:
        oxigraph.terminate()
        oxigraph.wait(timeout=30)
        shutil.rmtree(copy, ignore_errors=True)
    return rows


def _print(rows: list) -> None:
    print("| articles | what | p50 ms | p99 ms | req/s | errors | baseline req/s | ratio |")
    print("|---|---|---|---|---|---|---|---|")
    for size, what, got, base in rows:
        ratio = got.get("rps", 0) / base["rps"] if base and base.get("rps") else float("nan")
        print(f"| {size:,} | {what} | {got.get('p50_ms', float('nan')):.2f} | {got.get('p99_ms', float('nan')):.2f} "
              f"| {got.get('rps', float('nan')):.0f} | {got.get('errors', 0)} "
              f"| {base.get('rps', float('nan')) if base else float('nan'):.0f} | {ratio:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.read_path", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="5,10000", help="articles per store (default 5,10000)")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds of load per measure")
    parser.add_argument("--store-dir", type=Path, default=ROOT / "data" / "bench" / "read-path")
    parser.add_argument("--rebuild", action="store_true",
                        help="build the stores again (by default a store built by an earlier run is reused)")
    parser.add_argument("--only", default="", help="measure only the routes whose name holds this text "
                        "('/sparql': the point query against oxigraph serve)")
    parser.add_argument("--against", metavar="REV", help="also serve the routes with the code of this commit "
                        "(git archive; same stores), measured right after the current code")
    args = parser.parse_args()
    run([int(x) for x in args.sizes.split(",")], args.duration, args.store_dir, args.rebuild, args.only, args.against)


if __name__ == "__main__":
    main()
