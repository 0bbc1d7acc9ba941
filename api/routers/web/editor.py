"""The SPARQL editor page: its example queries, running a query for the results table, download links."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox

from api.engine import Engine
from api.sparql_results import SparqlError
from ontology.iris import split
from ontology.namespaces import PREFIXES
from queries import NamedQuery, Registry

from .formatting import compact, href

#: Rows shown in the SPARQL results table (downloads go to /sparql, with its own cap).
MAX_ROWS = 1000

DEFAULT_QUERY = """PREFIX vg: <https://w3id.org/vigie/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?company ?label ?policy ?type WHERE {
  ?policy a vg:Policy ; vg:issuedBy ?company ; vg:policyType ?type .
  OPTIONAL { ?company skos:prefLabel ?label }
}
ORDER BY ?label
"""


@dataclass
class Results:
    form: str  # SELECT | ASK | CONSTRUCT
    variables: list[str] = field(default_factory=list)
    rows: list[list[dict[str, Any]]] = field(default_factory=list)
    boolean: bool | None = None
    total: int = 0
    truncated: bool = False


def cell(term: dict[str, Any] | None) -> dict[str, Any]:
    """A table cell for a term in SPARQL JSON results form."""
    if term is None:
        return {"text": "", "kind": "unbound"}
    kind, value = term.get("type"), term.get("value")
    if kind == "uri":
        parts = split(value)
        return {"text": compact(value), "kind": "iri", "iri": value, "url": href(*parts) if parts else None}
    if kind in ("literal", "typed-literal"):
        extra = f"@{term['xml:lang']}" if term.get("xml:lang") else ""
        if not extra and term.get("datatype"):
            extra = "^^" + compact(term["datatype"])
        return {"text": value, "kind": "literal", "extra": extra}
    if kind == "bnode":
        return {"text": f"_:{value}", "kind": "bnode"}
    if kind == "triple" and isinstance(value, dict):
        inner = " ".join(cell(value.get(k))["text"] for k in ("subject", "predicate", "object"))
        return {"text": f"<< {inner} >>", "kind": "other"}
    return {"text": str(value), "kind": "other"}


def _term_json(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != PREFIXES["xsd"] + "string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "other", "value": str(term)}


async def run_sparql(engine: Engine, query: str) -> Results:
    """Run a query through the API's engine (its time limit, row cap and concurrency bound) for the table."""
    form = await engine.accept(query)
    graph = form in ("CONSTRUCT", "DESCRIBE")
    answer = await engine.run(query, engine.offer_for(form, None, "ntriples" if graph else "json"))
    if graph:
        return _triples_table(answer.body)
    doc = json.loads(answer.body)
    if "boolean" in doc:
        return Results("ASK", boolean=bool(doc["boolean"]))
    names = doc.get("head", {}).get("vars", [])
    bindings = doc.get("results", {}).get("bindings", [])
    rows = [[cell(b.get(name)) for name in names] for b in bindings[:MAX_ROWS]]
    return Results("SELECT", names, rows, total=len(bindings), truncated=len(bindings) > MAX_ROWS)


def _triples_table(body: bytes) -> Results:
    out = Results("CONSTRUCT", ["subject", "predicate", "object"])
    for triple in ox.parse(body, format=ox.RdfFormat.N_TRIPLES):
        out.total += 1
        if len(out.rows) < MAX_ROWS:
            out.rows.append([cell(_term_json(t)) for t in (triple.subject, triple.predicate, triple.object)])
    out.truncated = out.total > len(out.rows)
    return out


def download_links(query: str, form: str) -> list[tuple[str, str]]:
    """Links to the SPARQL endpoint for the same query, in files people open elsewhere."""
    names = ("csv", "tsv", "json") if form in ("SELECT", "ASK") else ("turtle", "ntriples")
    return [(name, "/sparql?" + urlencode({"query": query, "format": name})) for name in names]


def examples(registry: Registry) -> list[NamedQuery]:
    """The named queries offered as examples, those behind the REST routes first."""
    return sorted(registry, key=lambda q: (q.name.startswith(("eval_", "web_")), q.name))


async def editor(engine: Engine, registry: Registry, query: str | None, example: str | None
                 ) -> tuple[int, dict[str, Any]]:
    """The page's status and template context: ``query`` run (if any), else ``example``'s text to edit."""
    chosen = registry[example] if example and example in registry else None
    text = query if query is not None else (chosen.sparql if chosen else DEFAULT_QUERY)
    results = error = None
    status = 200
    if query is not None and query.strip():
        try:
            results = await run_sparql(engine, query)
        except SparqlError as exc:
            error, status = f"Requête invalide ou refusée : {exc.message}", exc.status
    downloads = download_links(query, results.form) if results and query else []
    return status, {"query": text, "results": results, "error": error, "examples": examples(registry),
                    "chosen": chosen, "downloads": downloads}
