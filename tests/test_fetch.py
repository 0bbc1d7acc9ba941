"""The polite HTTP client (issue 17), against real HTTP servers on 127.0.0.1: its User-Agent, robots.txt,
one request at a time per host with a delay, timeouts, size limit, redirects, conditional GET, errors."""

from __future__ import annotations

import itertools

import pytest
from web_site import Site

from vigie.fetch import USER_AGENT, FetchError, FetchPolicy, PoliteClient

FAST = FetchPolicy(timeout=1.0, deadline=30.0, delay=0.05, max_bytes=100_000, max_redirects=3)


@pytest.fixture
def site():
    site = Site().start()
    yield site
    site.stop()


def test_every_request_names_vigie_and_robots_txt_is_read_once(site):
    site.put("/a.html", "<p>a</p>")
    site.put("/b.html", "<p>b</p>")
    with PoliteClient(FAST) as client:
        client.get(site.url("/a.html"))
        client.get(site.url("/b.html"))
    assert site.paths() == ["/robots.txt", "/a.html", "/b.html"]
    assert {hit.headers["User-Agent"] for hit in site.hits} == {USER_AGENT}


def test_robots_txt_is_obeyed(site):
    site.put("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    site.put("/private/x.html", "<p>x</p>")
    with PoliteClient(FAST) as client, pytest.raises(FetchError, match=r"robots\.txt"):
        client.get(site.url("/private/x.html"))
    assert "/private/x.html" not in site.paths()


def test_one_request_at_a_time_per_host_spaced_by_the_delay():
    sites = [Site().start() for _ in range(2)]
    try:
        for site in sites:
            for n in range(4):
                site.put(f"/{n}.html", f"<p>{n}</p>")
        urls = [(site.url(f"/{n}.html"), {}) for site in sites for n in range(4)]
        policy = FetchPolicy(timeout=5.0, delay=0.2, hosts_in_parallel=2)
        with PoliteClient(policy) as client:
            answers = dict(client.get_many(urls))
        assert all(answer.status == 200 for answer in answers.values())
        for site in sites:
            assert site.most_active == 1
            hits = sorted(site.hits, key=lambda hit: hit.started)
            assert all(b.started - a.ended >= 0.2 - 0.01 for a, b in itertools.pairwise(hits))
    finally:
        for site in sites:
            site.stop()


def test_errors_are_one_line_each(site):
    site.redirect("/loop-a", site.url("/loop-b"))
    site.redirect("/loop-b", site.url("/loop-a"))
    site.put("/big.html", "x" * 200_000)
    site.put("/slow.html", "", hang=True)
    cases = {"/missing.html": "HTTP 404", "/loop-a": "redirects", "/big.html": "too large",
             "/slow.html": "no answer within 1 s"}
    with PoliteClient(FAST) as client:
        for path, reason in cases.items():
            with pytest.raises(FetchError, match=reason) as caught:
                client.get(site.url(path))
            assert "\n" not in str(caught.value)
        with pytest.raises(FetchError, match="not a web address"):
            client.get("ftp://127.0.0.1/x")


def test_a_refused_connection_is_one_line():
    site = Site()  # never started: its port is bound but nobody answers... so close it
    url = site.url("/x.html")
    site.server.server_close()
    with PoliteClient(FAST) as client, pytest.raises(FetchError, match="cannot fetch"):
        client.get(url)


def test_redirects_are_followed_within_bounds(site):
    site.put("/final.html", "<p>final</p>")
    site.redirect("/old.html", "/final.html", status=301)
    with PoliteClient(FAST) as client:
        answer = client.get(site.url("/old.html"))
    assert answer.final_url == site.url("/final.html") and answer.content == b"<p>final</p>"


def test_conditional_get_answers_not_modified(site):
    site.put("/feed.xml", "<rss/>", content_type="application/rss+xml", conditional=True)
    with PoliteClient(FAST) as client:
        first = client.get(site.url("/feed.xml"))
        again = client.get(site.url("/feed.xml"), etag=first.etag, last_modified=first.last_modified)
    assert first.status == 200 and first.etag and again.not_modified
    assert site.hits[-1].headers["If-None-Match"] == first.etag
