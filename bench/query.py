"""Benchmark 4: query latency and throughput over HTTP, against pyoxigraph in-process and a trivial route.

A store is built with the seeds and ``--articles`` synthetic articles (cached under ``data/bench``).
Then, for the company-policies lookup and a ``/sparql`` SELECT:

* **in-process**: the same SPARQL run directly on ``pyoxigraph.Store.query`` (union default graph,
  the company bound by ``substitutions``), every row read, sequentially: p50/p99 and calls/s; and the
  same through Vigie's ``Store.select`` (the Python layer the API uses);
* **HTTP**: Vigie's app served by uvicorn on loopback (``api.app:create_app``, as ``vigie serve`` does,
  store opened read-only, no access log) and a trivial FastAPI route (``bench.trivial``) served by the
  same uvicorn with the same options, each under wrk (or the Python client) at 1, 8 and 32 connections
  for ``--duration`` seconds: requests/s, p50, p99.

The load generator runs on the same two cores as the server: requests/s are those of the pair, which
is why the trivial route, measured the same way in the same run, is the yardstick.
"""

from __future__ import annotations

import gc
import hashlib
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


def policies_query() -> tuple[str, str]:
    """(name, text) of the query the REST lookup runs, as far as the registry says."""
    try:
        from queries import load_text

        for name in ("company_policies", "policies_of_company", "web_company_policies"):
            try:
                return name, load_text(name)
            except Exception:
                continue
    except ImportError:
        pass
    return "DESIGN.md company_policies", FALLBACK_POLICIES


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


def in_process(path: Path, policies_text: str, *, n: int, max_seconds: float) -> dict:
    from ontology.iris import mint
    from vigie.store import PREFIXES, Store

    store = Store(path, read_only=True)
    raw = store.oxigraph
    company = mint("company", COMPANY)
    subs = {ox.Variable("company"): company}
    uses_company = "?company" in policies_text

    def raw_policies() -> int:
        kwargs = {"substitutions": subs} if uses_company else {}
        return sum(1 for row in raw.query(policies_text, use_default_graph_as_union=True, prefixes=PREFIXES,
                                          **kwargs) for _ in row)

    def vigie_policies() -> int:
        return len(store.select(policies_text, bindings={"company": company} if uses_company else None))

    def raw_sparql() -> int:
        return sum(1 for row in raw.query(SPARQL_SELECT, use_default_graph_as_union=True) for _ in row)

    def vigie_sparql() -> int:
        return len(store.select(SPARQL_SELECT))

    out = {"rows_policies": len(store.select(policies_text, bindings={"company": company}
                                             if uses_company else None)),
           "rows_sparql": len(store.select(SPARQL_SELECT)), "quads": len(store)}
    for name, fn in (("raw_policies", raw_policies), ("vigie_policies", vigie_policies),
                     ("raw_sparql", raw_sparql), ("vigie_sparql", vigie_sparql)):
        out[name] = latency_summary(time_calls(fn, n=n, max_seconds=max_seconds))
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
    env = {"VIGIE_STORE": str(path), "VIGIE_STORE_READ_ONLY": "1"}
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
    name, text = policies_query()
    out = {"articles": articles, "policies_query": name,
           "policies_query_sha": hashlib.sha1(text.encode()).hexdigest()[:8]}
    t0 = time.perf_counter()
    out["in_process"] = in_process(path, text, n=in_process_calls, max_seconds=20)
    gc.collect()  # the read-only store is closed before the server opens it
    out["http"] = http(path, connections=connections, duration=duration, max_requests=max_requests,
                       server_workers=server_workers, install_wrk=install_wrk, policies_path=policies_path)
    out["seconds"] = time.perf_counter() - t0
    out["pid"] = os.getpid()
    return out
