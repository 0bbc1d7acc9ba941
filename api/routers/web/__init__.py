"""Pages for people: search, companies with their policies, exceptions and quoted evidence, advocates,
legislatures, articles with their facts highlighted in place, a timeline, a graph view and a SPARQL editor.

Server-rendered with Jinja2 (autoescaped), so every read page works without JavaScript; the only script is
a small helper on the SPARQL page. JSON routes are left to the REST routers: pages live at ``/`` and under
``/ui/``. Ids from URLs are checked with :func:`ontology.iris.is_slug` before they are minted into IRIs.

- :mod:`.routes`: the ``APIRouter`` (HTTP: ids, redirects, 404 pages);
- :mod:`.pages`: what each page shows (its template context);
- :mod:`.reads`: the store reads for pages, folded into :mod:`.views` dataclasses;
- :mod:`.text`: quotes located in an article's text, snippets, the text cut at its facts;
- :mod:`.layout`: graph drawings (columns of nodes, SVG paths);
- :mod:`.editor`: the SPARQL editor page;
- :mod:`.formatting` and :mod:`.templates`: French dates and names, the Jinja environment.
"""

from .routes import router

__all__ = ["router"]
