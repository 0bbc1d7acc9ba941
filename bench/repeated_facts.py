"""REST routes and named queries on a store where many articles repeat the same facts.

Oxigraph's union default graph does not deduplicate: a triple held by N article graphs is matched N
times, so a join of k triple patterns about a node every article repeats costs N^k before DISTINCT. This
benchmark builds a store where ``--articles`` copies of one article (tests/fixtures/api_corpus.py's
``doc_a``: the Amazon moratorium, its exception, an ACLU statement to Congress) plus that corpus' other
two articles, then times every REST route (JSON and RDF views, REST answer cache off) and every named
query of ``queries/``, each in a child process with a time limit::

    python -m bench.repeated_facts --articles 200 --timeout 120

Prints a Markdown table; raw figures go to ``bench/results/repeated_facts-<articles>.json``.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "data" / "bench"
RESULTS = ROOT / "bench" / "results"

POLICY = "amazon-moratorium-facial-recognition"
#: (label, path, Accept) of every REST route of the five entity kinds.
ROUTES = [
    ("companies", "/companies", None),
    ("company", "/company/amazon", None),
    ("company policies", "/company/amazon/policies", None),
    ("company (Turtle)", "/company/amazon", "text/turtle"),
    ("policies", "/policies", None),
    ("policies ?company", "/policies?company=amazon", None),
    ("policies ?type", "/policies?type=moratorium", None),
    ("policies ?restricted_user", "/policies?restricted_user=law-enforcement", None),
    ("policy", f"/policies/{POLICY}", None),
    ("policy exceptions", f"/policies/{POLICY}/exceptions", None),
    ("policy (Turtle)", f"/policies/{POLICY}", "text/turtle"),
    ("advocates", "/advocates", None),
    ("advocate", "/advocate/aclu", None),
    ("advocate person", "/advocate/nicole-ozer", None),
    ("advocate (Turtle)", "/advocate/aclu", "text/turtle"),
    ("legislatures", "/legislatures", None),
    ("legislature", "/legislature/us-congress", None),
    ("legislature (Turtle)", "/legislature/us-congress", "text/turtle"),
    ("documents", "/documents", None),
    ("document", "/documents/doc_a", None),
    ("document (Turtle)", "/documents/doc_a", "text/turtle"),
]
#: Values for the required parameters of the named queries.
PARAMS = {
    "advocate": "aclu", "actor": "aclu", "beneficiary": "thorn", "company": "amazon", "document": "doc_a",
    "legislature": "us-congress", "policy": POLICY, "restricted_user": "law-enforcement",
}


def corpus_module():
    """tests/fixtures/api_corpus.py (the exact API test corpus), loaded from its path."""
    spec = importlib.util.spec_from_file_location("vigie_api_corpus", ROOT / "tests" / "fixtures" / "api_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def repeated_extractions(copies: int) -> list:
    """The API corpus with ``doc_a`` repeated ``copies`` times (``doc_a``, ``doc_a_0002``…: distinct ids and
    content hashes, the same policy, exception, actors and statement)."""
    first, *others = corpus_module().extractions()
    out = []
    for i in range(copies):
        doc_id = first.document.id if i == 0 else f"{first.document.id}_{i + 1:04d}"
        document = dataclasses.replace(first.document, id=doc_id, content_hash=f"hash-{doc_id}")
        out.append(dataclasses.replace(first, document=document))
    return out + others


def build_store(copies: int, path: Path | None = None):
    """A store (in memory, or on disk at ``path``) with the schema and :func:`repeated_extractions`."""
    from extractors.rdf import document_iri, extraction_to_quads
    from vigie.store import Store

    store = Store(path)
    store.load_schema()
    store.replace_graphs({document_iri(e.document.id): extraction_to_quads(e) for e in repeated_extractions(copies)})
    store.flush()
    return store


# ------------------------------------------------------------------ children (one measurement each)


def _child_route(store_path: str, path: str, accept: str | None) -> dict:
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings
    from vigie.store import Store

    store = Store(store_path, read_only=True)
    settings = Settings(rest_cache=False, sparql_workers=False, query_timeout=3600.0)
    with TestClient(create_app(store, settings)) as client:
        headers = {"Accept": accept} if accept else {}
        t0 = time.perf_counter()
        response = client.get(path, headers=headers)
        seconds = time.perf_counter() - t0
    return {"seconds": seconds, "status": response.status_code, "bytes": len(response.content)}


def _child_query(store_path: str, name: str) -> dict:
    from queries import registry
    from vigie.store import Store

    store = Store(store_path, read_only=True)
    query = registry()[name]
    values = {p.name: PARAMS[p.name] for p in query.params if p.required}
    concepts = {row["notation"].value: row["concept"] for row in store.select(registry()["concepts"].sparql)}
    bindings = registry().bind(name, values, concept=concepts.get)
    t0 = time.perf_counter()
    result = store.query(query.text_for(bindings), bindings=bindings)
    rows = sum(1 for _ in result)
    return {"seconds": time.perf_counter() - t0, "rows": rows}


def _run(args: list[str], timeout: float) -> dict:
    cmd = [sys.executable, "-m", "bench.repeated_facts", "--child", *args]
    try:
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"seconds": None, "timeout": timeout}
    if done.returncode != 0:
        return {"seconds": None, "error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _fmt(result: dict) -> str:
    if result.get("seconds") is None:
        return f"> {result['timeout']:.0f} s" if "timeout" in result else "error"
    return f"{result['seconds']:.3f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.repeated_facts", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200, help="copies of the repeated article (default 200)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per route or query (default 120)")
    parser.add_argument("--only", choices=("routes", "queries"), help="time only the routes or only the queries")
    parser.add_argument("--reuse", action="store_true", help="reuse the store a previous run built (same --articles)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, store_path, *rest = args.child
        if kind == "route":
            result = _child_route(store_path, rest[0], rest[1] if len(rest) > 1 and rest[1] else None)
        else:
            result = _child_query(store_path, rest[0])
        print(json.dumps(result))
        return 0

    from queries import registry
    from vigie.store import Store

    store_path = WORK / f"repeated-facts-{args.articles}"
    t0 = time.perf_counter()
    if args.reuse and store_path.exists():
        quads = len(Store(store_path, read_only=True))
    else:
        if store_path.exists():
            import shutil

            shutil.rmtree(store_path)
        store_path.parent.mkdir(parents=True, exist_ok=True)
        store = build_store(args.articles, store_path)
        quads = len(store)
        del store
    print(f"store: {args.articles} copies of doc_a + 2 articles, {quads} quads, ready in "
          f"{time.perf_counter() - t0:.1f} s", file=sys.stderr)
    results: dict = {"articles": args.articles, "quads": quads, "routes": {}, "queries": {}}
    lines = [f"| route ({args.articles} articles repeating the policy) | seconds |", "|---|---:|"]
    if args.only != "queries":
        for label, path, accept in ROUTES:
            result = _run(["route", str(store_path), path, accept or ""], args.timeout)
            results["routes"][label] = {"path": path, "accept": accept, **result}
            lines.append(f"| `GET {path}`{' (' + accept + ')' if accept else ''} | {_fmt(result)} |")
            print(lines[-1], file=sys.stderr)
    if args.only != "routes":
        lines += ["", f"| named query ({args.articles} articles) | seconds | rows |", "|---|---:|---:|"]
        for query in registry():
            result = _run(["query", str(store_path), query.name], args.timeout)
            results["queries"][query.name] = result
            lines.append(f"| `{query.name}` | {_fmt(result)} | {result.get('rows', '')} |")
            print(lines[-1], file=sys.stderr)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"repeated_facts-{args.articles}.json").write_text(json.dumps(results, indent=2))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
