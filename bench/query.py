"""Benchmark 4: query latency and throughput over HTTP, against pyoxigraph in-process and a trivial route.

A store is built with the seeds and ``--articles`` synthetic articles (cached under ``data/bench``).
Then, for the company-policies lookup and a ``/sparql`` SELECT:

* **in-process**: the SPARQL the lookup runs (on an embedded store, besides its index look-ups: see
  ``api/lookups.py``) run directly on ``pyoxigraph.Store.query`` (the consolidated default graph, the company
  bound by ``substitutions``), every row read, sequentially: p50/p99 and calls/s; and the same through
  Vigie's ``Store.select`` (the Python layer the API uses);
* **HTTP**: Vigie's app served by uvicorn on loopback (``api.app:create_app``, as ``vigie serve`` does,
  store opened read-only, no access log) and a trivial FastAPI route (``bench.trivial``) served by the
  same uvicorn with the same options, each under wrk (or the Python client) at 1, 8 and 32 connections
  for ``--duration`` seconds: requests/s, p50, p99.

The load generator runs on the same two cores as the server: requests/s are those of the pair, which
is why the trivial route, measured the same way in the same run, is the yardstick.
"""

from __future__ import annotations

import gc
import json
import os
import re
import time
import urllib.parse
from pathlib import Path

import pyoxigraph as ox

from bench.extraction import corpus_paths
from bench.loadgen import load, wrk_path
from bench.util import ROOT, WORK, Server, latency_summary, log, time_calls

COMPANY = "amazon"
#: The company-policies lookup when the API's own query file cannot be found (DESIGN.md's).
FALLBACK_POLICIES = """PREFIX vg: <https://w3id.org/vigie/ontology#>
SELECT ?company ?policy ?type ?exception WHERE {
  ?policy vg:issuedBy ?company ; vg:policyType ?type .
  OPTIONAL { ?policy vg:hasException ?exception }
}"""
#: The SELECT sent to /sparql (and run in-process): a company's policies with their types and labels.
SPARQL_SELECT = """PREFIX vg: <https://w3id.org/vigie/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?policy ?type ?label WHERE {
  ?policy vg:issuedBy <https://w3id.org/vigie/id/company/amazon> ; vg:policyType ?type .
  OPTIONAL { ?type skos:prefLabel ?label FILTER(lang(?label) = "fr") }
}"""


def _consume(solutions) -> int:
    """Read every value of every row (as a client would); the number of rows."""
    rows = 0
    for row in solutions:
        rows += 1
        for _value in row:
            pass
    return rows


class _Recorder:
    """A store proxy that records the SELECTs run through it (to replay them on raw pyoxigraph)."""

    def __init__(self, store) -> None:
        self._store = store
        self.selects: list[tuple[str, dict]] = []

    def select(self, sparql: str, **kwargs):
        self.selects.append((sparql, dict(kwargs.get("bindings") or {})))
        return self._store.select(sparql, **kwargs)

    def __getattr__(self, name: str):
        return getattr(self._store, name)


def lookup_functions(path: Path) -> dict:
    """The company-policies lookup in-process, three ways.

    * ``graph``: what ``GET /company/{id}/policies`` computes, minus HTTP: the API's ``Graph.companies``
      and ``Graph.policies`` (answer cache off, so every call computes);
    * ``select``: the same SELECTs (recorded from one ``graph`` call) through Vigie's ``Store.select``;
    * ``raw``: the same SELECTs on ``pyoxigraph.Store.query`` (the consolidated default graph, substitutions),
      every row read.

    On an embedded store ``graph`` also reads by index look-ups (``api/lookups.py``), which are not replayed.

    Without the API layer, DESIGN.md's company_policies query stands in for all three.
    """
    from ontology.iris import mint
    from vigie.store import PREFIXES, Store

    store = Store(path, read_only=True)
    raw = store.oxigraph
    company = mint("company", COMPANY)
    out: dict = {"store": store}
    try:
        from api import lookups
        from api.graph import Graph
        from queries import registry

        by_text = {q.sparql: q.name for q in registry()}
        by_text.update({getattr(lookups, name).partition("VALUES")[0]: f"api.lookups.{name}"
                        for name in ("EVIDENCE", "ARTICLES")})
        recorder = _Recorder(store)
        graph = Graph(recorder, registry())
        graph.companies(company)
        graph.policies(company=company)
        selects = list(recorder.selects)
        graph = Graph(store, registry())

        def graph_lookup() -> int:
            return len(graph.companies(company)) + len(graph.policies(company=company))

        out["graph"] = graph_lookup
    except Exception as exc:  # no API layer (yet): measure DESIGN.md's query
        log(f"lookup: no API Graph layer ({exc}); using DESIGN.md's company_policies")
        by_text = {FALLBACK_POLICIES: "DESIGN.md company_policies"}
        selects = [(FALLBACK_POLICIES, {"company": company})]
    out["queries"] = [by_text.get(sparql, by_text.get(sparql.partition("VALUES")[0], "(unnamed)"))
                      for sparql, _ in selects]
    prepared = [(sparql, {ox.Variable(k): v for k, v in bindings.items()}) for sparql, bindings in selects]

    def raw_lookup() -> int:
        return sum(_consume(raw.query(sparql, prefixes=PREFIXES, substitutions=subs)) for sparql, subs in prepared)

    def select_lookup() -> int:
        return sum(len(store.select(sparql, bindings=bindings)) for sparql, bindings in selects)

    out["raw"] = raw_lookup
    out["select"] = select_lookup
    return out


def build_store(articles: int, seed: int) -> Path:
    """Store with the seeds and ``articles`` synthetic articles (rebuilt when the extractors change)."""
    from bench.storeload import _source_key

    path = WORK / f"query-store-{seed}-{articles}"
    stamp = path / "bench-stamp.json"
    key = {"articles": articles, "seed": seed, "source": _source_key()}
    if stamp.exists() and json.loads(stamp.read_text()) == key:
        return path
    from vigie.ingest import ingest_paths
    from vigie.store import Store

    log(f"query: building a store with the seeds + {articles} articles")
    if path.exists():
        import shutil

        shutil.rmtree(path)
    store = Store(path)
    store.load_schema()
    sources = [ROOT / "seeds"] + (corpus_paths(articles, seed) if articles else [])
    report = ingest_paths(store, sources)
    if report.failed:
        log(f"query: {len(report.failed)} articles failed: {report.failed[:3]}")
    store.flush()
    del store
    gc.collect()
    stamp.write_text(json.dumps(key))
    return path


def in_process(path: Path, *, n: int, max_seconds: float) -> dict:
    fns = lookup_functions(path)
    store = fns["store"]
    raw = store.oxigraph

    def raw_sparql() -> int:
        return _consume(raw.query(SPARQL_SELECT))

    def vigie_sparql() -> int:
        return len(store.select(SPARQL_SELECT))

    out = {"lookup_queries": fns["queries"], "rows_policies": fns["raw"](), "rows_sparql": raw_sparql(),
           "quads": len(store)}
    timed = [("raw_policies", fns["raw"]), ("vigie_policies", fns["select"])]
    if "graph" in fns:
        timed.append(("graph_policies", fns["graph"]))
    timed += [("raw_sparql", raw_sparql), ("vigie_sparql", vigie_sparql)]
    for name, fn in timed:
        out[name] = latency_summary(time_calls(fn, n=n, max_seconds=max_seconds))
        log(f"query in-process {name}: p50 {out[name]['p50_ms']:.2f} ms")
    return out


def find_policies_path(server: Server) -> str | None:
    status, body = server.get("/openapi.json")
    if status != 200:
        return None
    paths = json.loads(body).get("paths", {})
    for candidate in paths:
        if re.fullmatch(r"/(?:api/)?compan(?:y|ies)/\{[^}]+\}/policies/?", candidate) and "get" in paths[candidate]:
            return re.sub(r"\{[^}]+\}", COMPANY, candidate, count=1)
    return None


def http(path: Path, *, connections: list[int], duration: float, max_requests: int, server_workers: int,
         install_wrk: bool, policies_path: str | None) -> dict:
    wrk = wrk_path(install_wrk)
    tool = "wrk" if wrk else "python"
    log(f"query: load generator {tool}")
    # The engine admits VIGIE_MAX_RUNNING_QUERIES SPARQL queries at once (default 2) and answers 503 beyond:
    # raised here so every request is answered; one extra run below measures the default's shedding.
    # The REST answer cache is off for the main runs, so that every request computes its answer; the
    # default configuration (cache on, same URL again and again) is measured separately below.
    env = {"VIGIE_STORE": str(path), "VIGIE_STORE_READ_ONLY": "1", "VIGIE_MAX_RUNNING_QUERIES": "64",
           "VIGIE_REST_CACHE": "0"}
    sparql = "/sparql?" + urllib.parse.urlencode({"query": SPARQL_SELECT})
    accept = {"Accept": "application/sparql-results+json"}
    out: dict = {"tool": tool, "server_workers": server_workers, "duration_s": duration, "runs": {}}
    with Server("api.app:create_app", env=env, workers=server_workers, ready_path="/openapi.json") as vigie:
        lookup = policies_path or find_policies_path(vigie)
        if not lookup:
            raise RuntimeError("no /company/{id}/policies route in the API's OpenAPI document")
        out["policies_path"] = lookup
        targets = {"policies": (vigie.base + lookup, {"Accept": "application/json"}),
                   "sparql": (vigie.base + sparql, accept)}
        for name, (url, headers) in targets.items():
            status, body = vigie.get(url[len(vigie.base):], headers)
            out[f"{name}_status"] = status
            out[f"{name}_bytes"] = len(body)
            if status != 200:
                raise RuntimeError(f"{url} answered {status}: {body[:300]!r}")
        for c in connections:
            for name, (url, headers) in targets.items():
                load(url, connections=c, duration=1, max_requests=200, wrk=wrk, headers=headers)  # warm-up
                out["runs"][f"{name}@{c}"] = load(url, connections=c, duration=duration,
                                                  max_requests=max_requests, wrk=wrk, headers=headers)
                log(f"query: {name}@{c}: {out['runs'][f'{name}@{c}']}")
    busiest = max(connections)
    default_env = {"VIGIE_STORE": str(path), "VIGIE_STORE_READ_ONLY": "1"}
    with Server("api.app:create_app", env=default_env, workers=server_workers, ready_path="/openapi.json") as vigie:
        url = vigie.base + lookup
        for c in connections:
            load(url, connections=c, duration=1, max_requests=200, wrk=wrk, headers={"Accept": "application/json"})
            out["runs"][f"policies-cached@{c}"] = load(url, connections=c, duration=duration,
                                                       max_requests=max_requests, wrk=wrk,
                                                       headers={"Accept": "application/json"})
            log(f"query: policies-cached@{c}: {out['runs'][f'policies-cached@{c}']}")
        if busiest > 2:
            url = vigie.base + sparql
            out["runs"][f"sparql-default-limit@{busiest}"] = load(url, connections=busiest, duration=duration,
                                                                  max_requests=max_requests, wrk=wrk, headers=accept)
    with Server("bench.trivial:create_app", workers=server_workers, ready_path="/ping") as trivial:
        for c in connections:
            load(trivial.base + "/ping", connections=c, duration=1, max_requests=200, wrk=wrk)
            out["runs"][f"trivial@{c}"] = load(trivial.base + "/ping", connections=c, duration=duration,
                                               max_requests=max_requests, wrk=wrk)
            log(f"query: trivial@{c}: {out['runs'][f'trivial@{c}']}")
    return out


def query(articles: int, seed: int, *, connections: list[int], duration: float, max_requests: int,
          server_workers: int, install_wrk: bool, in_process_calls: int, policies_path: str | None) -> dict:
    path = build_store(articles, seed)
    out: dict = {"articles": articles}
    t0 = time.perf_counter()
    out["in_process"] = in_process(path, n=in_process_calls, max_seconds=20)
    gc.collect()  # the read-only store is closed before the server opens it
    out["http"] = http(path, connections=connections, duration=duration, max_requests=max_requests,
                       server_workers=server_workers, install_wrk=install_wrk, policies_path=policies_path)
    out["seconds"] = time.perf_counter() - t0
    out["pid"] = os.getpid()
    return out
