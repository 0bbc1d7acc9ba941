"""Following feeds (issue 17): `vigie watch --once` and `vigie ingest FEED` over real local sites — new,
changed and unchanged pages, one line per page that fails (404, redirect loop, a host that hangs, a page
without article text, a page not in French), nothing fetched twice, wire copy recorded as one story."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner
from web_pages import article_page, article_parts, atom, page_from_file, rss
from web_site import Site

from extractors.web_documents import url_document_id
from ontology.namespaces import DCTERMS, SCHEMA, VG
from vigie.cli import app
from vigie.crawl_state import CrawlState, default_state_path
from vigie.store import Store

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
DISPATCH = ROOT / "tests" / "corpus" / "104_amazon_prolonge.txt"
ENGLISH = [
    "Amazon said on Tuesday that it would extend indefinitely its moratorium on police use of its facial "
    "recognition software, Rekognition, which it had announced last year after the killing of George Floyd.",
    "Civil rights groups welcomed the decision but asked the company to stop selling surveillance products.",
]
runner = CliRunner()
OPTIONS = ["--delay", "0.01", "--timeout", "1", "-q"]


class News:
    """Three news sites with a feed each, the same dispatch on all three, and a host that hangs."""

    def __init__(self) -> None:
        self.a, self.b, self.c, self.slow = (Site().start() for _ in range(4))
        self.a_items: list[dict] = []
        title, paragraphs, _ = article_parts(DISPATCH)
        for n, seed in enumerate(SEEDS):
            self.a_items.append(self.page(self.a, f"/tech/seed-{n}.html", page_from_file, seed, "Le Journal Tech"))
        self.dispatch = {}
        for site, name, headline, layout in ((self.a, "Le Journal Tech", title, "classic"),
                                              (self.b, "Tech Hebdo", "Rekognition : Amazon prolonge", "magazine"),
                                              (self.c, "Le Quotidien Numérique", "Amazon, moratoire sans fin", "blog")):
            url = site.put("/depeche-amazon.html", article_page(
                headline, [*paragraphs, f"(Avec AFP, repris par {name})"], url=site.url("/depeche-amazon.html"),
                date="2021-05-20", site=name, layout=layout))
            self.dispatch[name] = url
        self.a_items.append({"title": title, "link": self.dispatch["Le Journal Tech"], "date": "2021-05-20"})
        self.a_items += [
            {"title": "Disparu", "link": self.a.url("/gone.html")},
            {"title": "Boucle", "link": self.a.redirect("/loop-a", self.a.url("/loop-b"))},
            {"title": "Lent", "link": self.slow.put("/slow.html", "", hang=True)},
            {"title": "In English", "link": self.a.put("/en.html", article_page(
                "Amazon extends its moratorium", ENGLISH, url=self.a.url("/en.html"), lang="en"))},
            {"title": "Vide", "link": self.a.put("/index.html", "<html><body><nav>Accueil</nav></body></html>")},
        ]
        self.a.redirect("/loop-b", self.a.url("/loop-a"))
        self.a.put("/rss.xml", rss(self.a_items), content_type="application/rss+xml", conditional=True)
        corpus = sorted((ROOT / "tests" / "corpus").glob("*.txt"))
        b_items = [{"title": "dépêche", "link": self.dispatch["Tech Hebdo"], "date": "2021-05-20"},
                   self.page(self.b, "/a/101.html", page_from_file, corpus[0], "Tech Hebdo")]
        self.b.put("/atom.xml", atom(b_items), content_type="application/atom+xml")
        c_items = [{"title": "dépêche", "link": self.dispatch["Le Quotidien Numérique"], "date": "2021-05-20"},
                   self.page(self.c, "/a/105.html", page_from_file, corpus[4], "Le Quotidien Numérique")]
        self.c.put("/feed", rss(c_items), content_type="application/rss+xml")
        self.feeds = [self.a.url("/rss.xml"), self.b.url("/atom.xml"), self.c.url("/feed")]

    @staticmethod
    def page(site: Site, path: str, build, source: Path, name: str) -> dict:
        url = site.put(path, build(source, url=site.url(path), site=name))
        return {"title": source.stem, "link": url + "?utm_source=rss&utm_medium=feed", "date": "2020-06-15"}

    def stop(self) -> None:
        for site in (self.a, self.b, self.c, self.slow):
            site.stop()


@pytest.fixture(scope="module")
def news():
    news = News()
    yield news
    news.stop()


@pytest.fixture(scope="module")
def followed(news, tmp_path_factory, extractor):
    """Two rounds of `vigie watch --once` over the three feeds (listed in a file)."""
    folder = tmp_path_factory.mktemp("watch")
    feeds = folder / "feeds.txt"
    feeds.write_text("# three feeds\n" + "\n".join(news.feeds) + "\n", encoding="utf-8")
    store = folder / "store"
    first = runner.invoke(app, ["watch", "--once", "--feeds", str(feeds), "--store", str(store), *OPTIONS])
    hits = {id(site): len(site.hits) for site in (news.a, news.b, news.c)}
    second = runner.invoke(app, ["watch", "--once", "--feeds", str(feeds), "--store", str(store), *OPTIONS])
    return {"store": store, "feeds": feeds, "first": first, "second": second, "hits_after_first": hits}


def test_a_round_ingests_the_new_pages_and_gives_one_line_per_failure(followed, news):
    first = followed["first"]
    assert first.exit_code == 2, first.output
    assert "10 articles ingested, 0 unchanged, 4 failed" in first.stdout
    assert "(10 new, 0 changed, 1 not in French)" in first.stdout
    lines = first.stderr.splitlines()
    expected = {news.a.url("/gone.html"): "HTTP 404", news.a.url("/loop-a"): "redirects",
                news.slow.url("/slow.html"): "no answer within 1 s", news.a.url("/index.html"): "no article text",
                news.a.url("/en.html"): "written in English, not French"}
    for url, reason in expected.items():
        assert [line for line in lines if url in line and reason in line], (url, first.stderr)
    assert "Traceback" not in first.output


def test_a_second_round_fetches_nothing_again(followed, news):
    second = followed["second"]
    assert "0 articles ingested" in second.stdout and "10 unchanged" not in second.stderr
    before = followed["hits_after_first"]
    fetched = [hit.path for site in (news.a, news.b, news.c) for hit in site.hits[before[id(site)]:]]
    # The feeds (the first one answers 304), robots.txt, and again the pages that failed: nothing else.
    retried = ("/robots.txt", "/rss.xml", "/atom.xml", "/feed", "/gone", "/loop", "/index")
    assert fetched and all(path.startswith(retried) for path in fetched), fetched


def test_the_pages_keep_their_url_site_and_date(followed, news):
    store = Store(followed["store"], read_only=True)
    url = news.a.url("/tech/seed-1.html")
    graph = ox.NamedNode(f"https://w3id.org/vigie/id/document/{url_document_id(url)}")
    assert next(iter(store.quads(graph, subject=graph, predicate=SCHEMA.url))).object == ox.NamedNode(url)
    assert next(iter(store.quads(graph, subject=graph, predicate=DCTERMS.publisher))).object.value == "Le Journal Tech"
    assert next(iter(store.quads(graph, subject=graph, predicate=DCTERMS.date))).object.value == "2020-06-15"


def test_wire_copy_on_three_sites_is_one_story(followed, news):
    store = Store(followed["store"], read_only=True)
    ids = {name: url_document_id(url) for name, url in news.dispatch.items()}
    first = ox.NamedNode(f"https://w3id.org/vigie/id/document/{ids['Le Journal Tech']}")
    for name in ("Tech Hebdo", "Le Quotidien Numérique"):
        graph = ox.NamedNode(f"https://w3id.org/vigie/id/document/{ids[name]}")
        assert [q.object for q in store.quads(graph, subject=graph, predicate=DCTERMS.isVersionOf)] == [first], name
    state = CrawlState(default_state_path(followed["store"]))
    stories = {doc: story for doc, story, _ in state.stories()}
    assert {stories[i] for i in ids.values()} == {ids["Le Journal Tech"]}
    assert len(set(stories.values())) == len(stories) - 2  # every other article is a story of its own
    state.close()


def test_a_changed_page_is_re_extracted_and_its_graph_replaced(followed, news, extractor):
    url = news.a.url("/tech/seed-2.html")
    graph = ox.NamedNode(f"https://w3id.org/vigie/id/document/{url_document_id(url)}")
    title, paragraphs, _ = article_parts(SEEDS[2])
    news.a.put("/tech/seed-2.html", article_page(title, [*paragraphs, "Mise à jour : Microsoft confirme sa "
                                                         "décision."], url=url, date="2020-06-15"))
    news.a_items[2] = {**news.a_items[2], "date": "2020-06-16"}  # the feed says the item was updated
    news.a.put("/rss.xml", rss(news.a_items), content_type="application/rss+xml", conditional=True)
    result = runner.invoke(app, ["watch", "--once", "--feeds", str(followed["feeds"]), "--store",
                                 str(followed["store"]), *OPTIONS])
    # The page not in French was recorded: it is not fetched again while its feed item says the same.
    assert "1 articles ingested, 10 unchanged, 4 failed" in result.stdout, result.output
    assert "(0 new, 1 changed, 0 not in French)" in result.stdout
    store = Store(followed["store"], read_only=True)
    text = list(store.quads(graph, subject=graph, predicate=VG.text))
    assert len(text) == 1 and "Microsoft confirme sa décision" in text[0].object.value


def test_ingest_takes_a_feed_file_and_a_page_url(news, tmp_path, extractor):
    feed = tmp_path / "feed.xml"
    feed.write_text(rss(news.a_items[:1]), encoding="utf-8")
    store = tmp_path / "store"
    result = runner.invoke(app, ["ingest", str(feed), news.dispatch["Tech Hebdo"], "--store", str(store), "-q"])
    assert result.exit_code == 0, result.output
    assert "2 articles ingested, 0 unchanged, 0 failed" in result.stdout
    again = runner.invoke(app, ["ingest", str(feed), news.dispatch["Tech Hebdo"], "--store", str(store), "-q"])
    assert "0 articles ingested, 2 unchanged, 0 failed" in again.stdout, again.output


def test_rest_sources_say_which_articles_are_one_dispatch_and_pages_show_url_and_site(followed, news):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings

    ids = {name: url_document_id(url) for name, url in news.dispatch.items()}
    with TestClient(create_app(Store(followed["store"], read_only=True), Settings())) as client:
        sources = client.get("/policies/amazon-moratorium-facial-recognition/sources?limit=1000").json()["items"]
        copies = [s for s in sources if s["document"] in ids.values()]
        assert {s["site"] for s in copies} == set(ids)
        assert {s["story"] for s in copies} == {ids["Le Journal Tech"]}
        assert {s["url"] for s in copies} == set(news.dispatch.values())
        others = {s["story"] for s in sources if s["document"] not in ids.values()}
        assert others and ids["Le Journal Tech"] not in others  # the seeds' pages are stories of their own
        # The dispatch on three sites is one independent source, not three confirmations.
        policy = client.get("/policies/amazon-moratorium-facial-recognition").json()
        articles = {s["document"] for s in sources}
        assert policy["sources_total"] == len({s["story"] for s in sources}) == len(articles) - 2
        detail = client.get(f"/documents/{ids['Tech Hebdo']}").json()["document"]
        assert (detail["url"], detail["site"], detail["story"]) == (
            news.dispatch["Tech Hebdo"], "Tech Hebdo", ids["Le Journal Tech"])
        page = client.get(f"/ui/document/{ids['Tech Hebdo']}").text
        assert "Tech Hebdo" in page and f'href="{news.dispatch["Tech Hebdo"]}"' in page
