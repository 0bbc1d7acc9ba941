"""The web pages over HTTP (no browser): status codes, key content, escaping of hostile input, assets."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from test_web_support import HOSTILE_TITLE, build_web_store

from api.routers.web.formatting import fold, human_date, human_duration
from api.routers.web.pages import search
from api.routers.web.text import locate, segments, snippet


@pytest.fixture(scope="module")
def client():
    from api.app import create_app
    from api.settings import Settings

    app = create_app(build_web_store(), Settings())
    with TestClient(app) as test_client:
        yield test_client


class _Checker(HTMLParser):
    """Collects what accessibility checks need: ids, labels, form controls, images, scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.labels: set[str] = set()
        self.controls: list[dict] = []
        self.scripts: list[dict] = []
        self.inline_styles = 0
        self.html_lang = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if "style" in attrs:
            self.inline_styles += 1
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag == "label" and "for" in attrs:
            self.labels.add(attrs["for"])
        if tag in ("input", "textarea", "select") and attrs.get("type") != "hidden":
            self.controls.append(attrs)
        if tag == "script":
            self.scripts.append(attrs)


def check_page(html: str) -> _Checker:
    checker = _Checker()
    checker.feed(html)
    assert checker.html_lang == "fr"
    duplicates = {i for i in checker.ids if checker.ids.count(i) > 1}
    assert not duplicates, duplicates
    for control in checker.controls:
        assert control.get("id") in checker.labels or control.get("aria-label"), control
    assert all(s.get("src", "").startswith("/ui/static/") for s in checker.scripts)  # no inline script, no CDN
    assert checker.inline_styles == 0  # the CSP forbids them
    return checker


PAGES = [
    "/", "/?q=amazon", "/ui/company/amazon", "/ui/company/microsoft", "/ui/company/ibm",
    "/ui/company/marinus-analytics", "/ui/advocate/aclu", "/ui/advocate/thorn", "/ui/legislature/us-congress",
    "/ui/documents", "/ui/document/001_311bd3e3553eda90", "/ui/document/000_9416cb79d778b375",
    "/ui/document/hostile-doc", "/ui/timeline", "/ui/graph", "/ui/sparql", "/ui/sparql?example=companies",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_renders_accessible_html(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    check_page(response.text)


def test_home_lists_and_searches_accent_free(client):
    html = client.get("/").text
    assert 'href="/ui/company/amazon"' in html
    assert 'href="/ui/advocate/aclu"' in html
    assert 'href="/ui/legislature/us-congress"' in html
    for query, expected in [("congres", "/ui/legislature/us-congress"), ("CONGRÈS", "/ui/legislature/us-congress"),
                            ("union americaine", "/ui/advocate/aclu"), ("firme de jeff", "/ui/company/amazon"),
                            ("big blue", "/ui/company/ibm"), ("redmond", "/ui/company/microsoft")]:
        html = client.get("/", params={"q": query}).text
        results = html.split('id="resultats"', 1)[1].split("</section>", 1)[0]
        assert f'href="{expected}"' in results, query
    html = client.get("/", params={"q": "zzzz-nothing"}).text
    assert "Aucun résultat" in html


def test_search_ranks_the_exact_name_first():
    from api.routers.web.views import Entity

    people = [Entity("a", "company", "amazon", "Amazon", ["AWS"], 3, "/a"),
              Entity("b", "company", "amazonia", "Amazonia Corp", [], 9, "/b"),
              Entity("c", "advocate", "x", "X", ["Amazon Watch"], 1, "/c")]
    assert [e.slug for e in search(people, "amazon")] == ["amazon", "amazonia", "x"]
    assert [e.slug for e in search(people, "aws")] == ["amazon"]
    assert search(people, "   ") == []


def test_hostile_search_is_escaped(client):
    response = client.get("/", params={"q": '<script>alert("x")</script>'})
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in response.text
    assert client.get("/", params={"q": "a" * 1000}).status_code == 422


def test_company_page_shows_policy_exceptions_and_highlighted_quotes(client):
    html = client.get("/ui/company/amazon").text
    policy = html.split('id="policy-amazon-moratorium-facial-recognition"', 1)[1].split("</article>", 1)[0]
    assert "moratoire" in policy
    assert "forces de l&#39;ordre" in policy
    assert "États-Unis" in policy
    assert "1 an" in policy
    assert '<time datetime="2020-06-10">10 juin 2020</time>' in policy
    assert 'href="/ui/legislature/us-congress"' in policy
    assert 'id="exception-amazon-moratorium-facial-recognition-human-trafficking"' in policy
    assert "traite des êtres humains" in policy and "enfants disparus" in policy
    assert 'href="/ui/advocate/thorn"' in policy and 'href="/ui/company/marinus-analytics"' in policy
    assert re.search(r"<mark>Nous mettons en place un moratoire d&#39;un an", policy)
    # Quotes from both source articles, each linked to the sentence in the article.
    assert 'href="/ui/document/001_311bd3e3553eda90#car-' in policy
    assert 'href="/ui/document/000_9416cb79d778b375#car-' in policy
    assert "Interpellée par" in html and 'href="/ui/advocate/aclu"' in html
    assert "<svg" in html and 'role="img"' in html


def test_company_ids_are_case_insensitive_and_checked(client):
    response = client.get("/ui/company/Amazon", follow_redirects=False)
    assert response.status_code == 308 and response.headers["location"] == "/ui/company/amazon"
    for bad in ["nope", "%3Cscript%3E", "a%20b", "amazon%22%3E", "..%2F..%2Fetc"]:
        response = client.get(f"/ui/company/{bad}")
        assert response.status_code == 404, bad
        assert "<script>" not in response.text
    assert client.get("/ui/advocate/amazon").status_code == 404  # a company, not an advocate
    assert client.get("/ui/document/nope").status_code == 404


def test_json_routes_are_untouched(client):
    response = client.get("/company/amazon")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["company"]["id"] == "amazon"


def test_beneficiary_and_advocate_pages(client):
    html = client.get("/ui/company/marinus-analytics").text
    assert "Bénéficiaire d’exceptions" in html and 'href="/ui/company/amazon#exception-' in html
    html = client.get("/ui/advocate/aclu").text
    calls = html.split('id="interpelle"', 1)[1].split("</section>", 1)[0]
    for target in ("/ui/company/amazon", "/ui/company/microsoft", "/ui/legislature/us-congress"):
        assert f'href="{target}"' in calls
    assert "<mark>Amazon doit s&#39;engager" in calls


def test_legislature_page_lists_who_calls_on_it_and_what_waits_for_it(client):
    html = client.get("/ui/legislature/us-congress").text
    called = html.split('id="interpelle-par"', 1)[1].split("</section>", 1)[0]
    assert 'href="/ui/advocate/aclu"' in called
    waiting = html.split('id="attente"', 1)[1].split("</section>", 1)[0]
    assert "Amazon" in waiting and "Microsoft" in waiting


def test_article_page_highlights_facts_in_place(client):
    html = client.get("/ui/document/001_311bd3e3553eda90").text
    text = html.split('class="text"', 1)[1].split("</div>", 1)[0]
    assert re.search(r'<mark class="fact fact-policy" id="car-\d+" title="[^"]*Amazon — moratoire', text)
    assert 'class="fact fact-exception"' in text
    assert 'class="fact fact-statement"' in text
    # The marks cut the text, they do not change it: without tags it is the article as stored (its furniture,
    # such as the date line, blanked), unescaped.
    from html import unescape

    from test_web_support import amazon_article

    assert unescape(re.sub(r"<[^>]+>", "", text.split(">", 1)[1])) == amazon_article().document.body


def test_hostile_article_is_escaped(client):
    html = client.get("/ui/document/hostile-doc").text
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>refuser" not in html
    assert "&lt;script&gt;alert(&#39;titre&#39;)&lt;/script&gt; Amazon &amp; co" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    html = client.get("/ui/company/evil-corp").text
    assert "Évil &lt;Corp&gt;" in html and "<Corp>" not in html
    assert "&lt;b&gt;refuser&lt;/b&gt;" in html
    assert HOSTILE_TITLE not in html


def test_timeline_orders_announcements(client):
    html = client.get("/ui/timeline").text
    assert html.index("Amazon") < html.index("Évil")  # 10 June before 12 June
    assert '<time datetime="2020-06-10">10 juin 2020</time>' in html
    assert 'href="/ui/company/amazon#policy-amazon-moratorium-facial-recognition"' in html
    assert "date de l’article" in html  # Microsoft's refusal has no announcement date: its article's is used


def test_graph_page_has_an_svg_and_a_text_version(client):
    html = client.get("/ui/graph").text
    assert html.count("<svg") == 1 and "<title" in html
    assert 'href="/ui/advocate/aclu"' in html
    assert "interpelle" in html and "attend une loi de" in html


def test_sparql_page_runs_queries_and_links_downloads(client):
    query = "SELECT DISTINCT ?policy WHERE { ?policy a vg:Policy } ORDER BY ?policy"
    html = client.get("/ui/sparql", params={"query": query}).text
    assert 'id="results-table"' in html
    assert "policy:amazon-moratorium-facial-recognition" in html
    assert "4 lignes" in html
    links = re.findall(r'href="(/sparql\?[^"]+)"', html)
    assert any("format=csv" in link for link in links)
    csv_link = next(link for link in links if "format=csv" in link).replace("&amp;", "&")
    response = client.get(csv_link)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "amazon-moratorium-facial-recognition" in response.text
    # POST works too (the page's script uses it for long queries).
    html = client.post("/ui/sparql", data={"query": query}).text
    assert "4 lignes" in html


def test_sparql_page_construct_ask_and_errors(client):
    html = client.get("/ui/sparql", params={
        "query": "CONSTRUCT { ?p a vg:Policy } WHERE { ?p a vg:Policy }"}).text
    assert "format=turtle" in html and "rdf:type" in html
    html = client.get("/ui/sparql", params={"query": "ASK { ?p a vg:Policy }"}).text
    assert "vrai" in html
    response = client.get("/ui/sparql", params={"query": "SELECT <script> WHERE"})
    assert response.status_code == 400
    assert 'role="alert"' in response.text and "<script>" not in response.text.split("<textarea", 1)[1]
    response = client.get("/ui/sparql", params={"query": "DELETE WHERE { ?s ?p ?o }"})
    assert response.status_code == 400
    response = client.get("/ui/sparql", params={"example": "web_timeline"})
    assert "#+ name: web_timeline" in response.text and 'aria-current="true"' in response.text
    assert client.get("/ui/sparql", params={"example": "<nope>"}).status_code == 200


def test_static_assets(client):
    for name, kind in [("vigie.css", "text/css"), ("sparql.js", "text/javascript"), ("favicon.svg", "image/svg")]:
        response = client.get(f"/ui/static/{name}")
        assert response.status_code == 200 and response.headers["content-type"].startswith(kind)
    assert client.get("/ui/static/..%2Fapp.py").status_code == 404
    assert client.get("/ui/static/nope.js").status_code == 404


def test_helpers():
    assert human_date("2020-06-10") == "10 juin 2020"
    assert human_date("2020-06-01") == "1er juin 2020"
    assert human_date("2020-06") == "juin 2020"
    assert human_date("bientôt") == "bientôt"
    assert human_duration("P1Y") == "1 an"
    assert human_duration("P2Y6M") == "2 ans 6 mois"
    assert human_duration("P") == "P"
    assert fold("Congrès  Américain!") == "congres americain"
    text = "Un. Deux trois. Quatre."
    assert locate(text, 4, 15, "Deux trois.") == (4, 15)
    assert locate(text, 0, 3, "Deux trois.") == (4, 15)  # wrong offsets: found by the quote
    assert locate(text, 50, 60, "absent") is None
    piece = snippet(text, 4, 15, "Deux trois.")
    assert (piece.before, piece.quote, piece.after) == ("Un. ", "Deux trois.", " Quatre.")


def test_segments_cover_the_text_once():
    from api.routers.web.text import Fact

    def fact(kind, start, end):
        return Fact(0, kind, kind, kind, None, start, end, "", "", None)

    text = "abcdefghij"
    pieces = segments(text, [fact("actor", 2, 5), fact("policy", 0, 8)])
    assert "".join(p.text for p in pieces) == text
    assert [(p.text, p.kind if p.facts else None) for p in pieces] == [
        ("ab", "policy"), ("cde", "policy"), ("fgh", "policy"), ("ij", None)]
    assert [p.anchor for p in pieces] == [0, 2, None, None]


def test_pages_stay_fast_when_many_articles_repeat_a_fact():
    """A policy reported by n articles is n copies of its triples in the union default graph: joins across
    them would multiply rows by n per pattern (minutes at n = 100). The web queries join inside one graph."""
    import copy
    import dataclasses
    import time

    from test_web_support import amazon_article

    from api.app import create_app
    from api.settings import Settings
    from extractors.rdf import extraction_to_quads
    from vigie.store import Store

    store = Store(None)
    store.load_schema()
    graphs = {}
    for i in range(120):
        extraction = copy.deepcopy(amazon_article())
        extraction.document = dataclasses.replace(extraction.document, id=f"copy-{i}", content_hash=f"h{i}",
                                                  date=f"2020-06-{1 + i % 28:02d}")
        quads = extraction_to_quads(extraction)
        graphs[quads[0].graph_name] = quads
    store.replace_graphs(graphs)
    with TestClient(create_app(store, Settings())) as client:
        for url in ["/", "/ui/company/amazon", "/ui/advocate/aclu", "/ui/legislature/us-congress",
                    "/ui/company/marinus-analytics", "/ui/timeline", "/ui/graph", "/ui/documents?page=2"]:
            started = time.monotonic()
            response = client.get(url)
            assert response.status_code == 200, url
            assert time.monotonic() - started < 20, url
        html = client.get("/ui/company/amazon").text
        assert "120 articles, 8 cités ici" in html
        html = client.get("/ui/documents?page=2").text
        assert "page 2 sur 2" in html and 'rel="prev"' in html


def test_every_link_of_the_pages_leads_somewhere(client):
    """Crawl the pages from the home page: every local link answers 200 (pages, JSON views, SPARQL downloads)."""
    from collections import Counter, deque
    from html import unescape
    from urllib.parse import urldefrag, urlsplit

    def route(url: str) -> str:
        """The route a URL exercises: "/ui/company/amazon" and "/ui/company/ibm" are both "/ui/company/*"."""
        parts = urlsplit(url)
        segments = parts.path.split("/")
        return "/".join(segments[:3] + ["*"] * (len(segments) > 3)) + "?" + ",".join(sorted(
            field.partition("=")[0] for field in parts.query.split("&") if field))

    # Breadth first, and at most 40 URLs per route: every kind of page and link is followed, and the crawl
    # does not grow with the gazetteer (ontology/entities.ttl gives every known actor a page).
    seen: set[str] = set()
    per_route: Counter[str] = Counter()
    queue = deque(["/", "/ui/sparql?query=SELECT+%3Fs+WHERE+%7B+%3Fs+a+vg%3APolicy+%7D"])
    while queue:
        url = queue.popleft()
        if url in seen or per_route[route(url)] >= 40:
            continue
        seen.add(url)
        per_route[route(url)] += 1
        response = client.get(url)
        assert response.status_code == 200, url
        if not url.startswith("/ui/") and url != "/":
            continue  # JSON, CSV...: not crawled further
        for link in re.findall(r'href="([^"#][^"]*)"', response.text):
            target = urldefrag(unescape(link)).url
            if target.startswith("/") and not target.startswith("//") and target not in seen:
                queue.append(target)
    assert len(per_route) >= 20, sorted(per_route)  # pages, JSON views, downloads, SPARQL, paging…
    assert {"/ui/company/amazon", "/ui/advocate/thorn", "/ui/timeline", "/company/amazon"} <= seen
    assert any(u.startswith("/sparql?") and "format=csv" in u for u in seen)
