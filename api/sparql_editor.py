"""The SPARQL editor a browser gets at ``/sparql``: YASGUI (syntax highlighting, prefix completion, sortable
result tables, downloads), with Vigie's named queries as examples, and a page readable without JavaScript.

YASGUI's built assets (``@zazuko/yasgui``, MIT, see ``static/yasgui/LICENSE``) are served from the package:
nothing is fetched from another host. Its completion of classes and properties, which asks a remote
vocabulary service, is left out; prefix and variable completion work offline.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from queries import Registry

#: The vendored YASGUI files, by the name they are served under.
ASSETS = {
    "yasgui.min.js": "text/javascript; charset=utf-8",
    "yasgui.min.css": "text/css; charset=utf-8",
    "LICENSE": "text/plain; charset=utf-8",
}
ASSET_DIR = Path(__file__).parent / "static" / "yasgui"

_START = """PREFIX vg: <https://w3id.org/vigie/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
# The policies and who issued them: the default graph holds each fact once (docs/api.md)
SELECT ?policy ?company ?type WHERE {
  ?policy a vg:Policy ; vg:issuedBy ?company ; vg:policyType ?type .
}
ORDER BY ?company"""


def wants_editor(accept: str) -> bool:
    """Whether a request without a query comes from a browser (it asks for HTML)."""
    return "text/html" in accept.lower()


def page(endpoint: str, registry: Registry) -> str:
    """The editor page: YASGUI on ``endpoint``, the named queries as examples (also listed for readers
    without JavaScript, with the form-based editor at ``/ui/sparql``)."""
    examples = [{"name": q.name, "summary": q.summary, "query": q.sparql}
                for q in sorted(registry, key=lambda q: q.name)]
    items = "\n".join(
        f'<li><button type="button" data-example="{i}">{escape(e["name"])}</button> {escape(e["summary"])}'
        f'<details><summary>SPARQL</summary><pre>{escape(e["query"])}</pre></details></li>'
        for i, e in enumerate(examples)
    )
    config = json.dumps({"endpoint": endpoint, "start": _START, "examples": examples}).replace("</", "<\\/")
    return _PAGE.format(items=items, config=config, start=escape(_START))


_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8">
<title>Vigie — éditeur SPARQL</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="/ui/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/sparql/editor/yasgui.min.css">
<style>body{{font-family:system-ui,sans-serif;margin:1rem 2rem}} #examples li{{margin:.3rem 0}}
#examples pre{{background:#f6f6f6;padding:.5rem;overflow:auto}}</style>
</head><body>
<h1>Vigie — éditeur SPARQL</h1>
<p>Le graphe par défaut contient chaque fait une fois ; les articles sont des graphes nommés
(<code>GRAPH ?article {{ … }}</code>). Points d'accès : <code>/sparql</code> (SPARQL 1.1 Protocol).</p>
<noscript><p>Sans JavaScript : <a href="/ui/sparql">l'éditeur en formulaire</a>, ou
<code>curl -G /sparql --data-urlencode 'query=…'</code>.</p><pre>{start}</pre></noscript>
<div id="yasgui"></div>
<h2>Exemples (requêtes nommées)</h2>
<ul id="examples">{items}</ul>
<script src="/sparql/editor/yasgui.min.js"></script>
<script>
(function () {{
  var config = {config};
  if (!window.Yasgui) return;
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];  // no remote vocabulary service
  var yasgui = new Yasgui(document.getElementById("yasgui"), {{
    requestConfig: {{ endpoint: config.endpoint, method: "POST" }},
    copyEndpointOnNewTab: false, endpointCatalogueOptions: {{ getData: function () {{ return []; }} }},
    persistenceId: null
  }});
  var tab = yasgui.getTab();
  if (!tab.getQuery().trim() || /SELECT \\* WHERE/.test(tab.getQuery())) tab.setQuery(config.start);
  document.querySelectorAll("#examples button").forEach(function (button) {{
    button.addEventListener("click", function () {{
      yasgui.getTab().setQuery(config.examples[Number(button.dataset.example)].query);
      window.scrollTo(0, 0);
    }});
  }});
  window.vigieYasgui = yasgui;
}})();
</script>
</body></html>
"""
