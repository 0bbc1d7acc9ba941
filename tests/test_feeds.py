"""Feeds (issue 17): RSS 2.0 and Atom items, what is not a feed, feed lists."""

from __future__ import annotations

import pytest
from web_pages import atom, rss

from vigie.feeds import FeedError, looks_like_feed, parse_feed, read_feed_list

ITEMS = [
    {"title": "Amazon suspend Rekognition", "link": "https://a.example/tech/amazon.html?utm_source=rss",
     "date": "2020-06-10"},
    {"title": "IBM se retire", "link": "https://a.example/tech/ibm.html", "date": "2020-06-09"},
    {"title": "Doublon", "link": "https://a.example/tech/ibm.html#comments", "date": "2020-06-09"},
]


@pytest.mark.parametrize("build", [rss, atom])
def test_a_feed_gives_its_items_by_canonical_link(build):
    items = parse_feed(build(ITEMS).encode("utf-8"))
    assert [item.key for item in items] == ["https://a.example/tech/amazon.html", "https://a.example/tech/ibm.html"]
    assert items[0].link == ITEMS[0]["link"] and items[0].title == "Amazon suspend Rekognition"
    assert looks_like_feed(build(ITEMS).encode("utf-8"))


def test_an_item_fingerprint_changes_with_what_the_feed_says():
    before = parse_feed(rss(ITEMS[:1]).encode())[0]
    same = parse_feed(rss(ITEMS[:1]).encode())[0]
    updated = parse_feed(rss([{**ITEMS[0], "date": "2020-06-11"}]).encode())[0]
    assert before.fingerprint == same.fingerprint != updated.fingerprint


def test_relative_links_are_resolved_against_the_feed():
    feed = rss([{"title": "x", "link": "/tech/x.html"}]).encode()
    assert parse_feed(feed, "https://a.example/rss.xml")[0].link == "https://a.example/tech/x.html"


@pytest.mark.parametrize("data", [b"<html><body><p>Bonjour</p></body></html>", b"\x00\x01 not xml", b""])
def test_what_is_not_a_feed_is_one_line(data):
    with pytest.raises(FeedError, match="not an RSS or Atom feed") as caught:
        parse_feed(data)
    assert "\n" not in str(caught.value)
    assert not looks_like_feed(data, "text/html")


def test_a_feed_list_is_one_url_a_line(tmp_path):
    path = tmp_path / "feeds.txt"
    path.write_text("# my feeds\nhttps://a.example/rss.xml\n\n  https://b.example/atom.xml  \n", encoding="utf-8")
    assert read_feed_list(path) == ["https://a.example/rss.xml", "https://b.example/atom.xml"]
    with pytest.raises(FeedError, match="cannot read the feed list"):
        read_feed_list(tmp_path / "missing.txt")
