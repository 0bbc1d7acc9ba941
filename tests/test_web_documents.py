"""Web pages → documents (issue 17): trafilatura's main text without the page furniture, the page's
metadata, a stable id per URL, and the seeds' facts read from their pages equal to those from their files."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pyoxigraph as ox
import pytest
from web_pages import article_page, page_from_file

from extractors.documents import DocumentError, read_document
from extractors.rdf import document_iri, extraction_to_quads
from extractors.web_documents import canonical_url, document_from_html, read_html_file, url_document_id
from ontology.namespaces import DCTERMS, SCHEMA, VG

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
URL = "https://www.journal-tech.example/tech/2020/06/amazon-moratoire.html"


def test_a_page_is_its_article_text_without_menus_banners_related_links_or_comments():
    document = document_from_html(page_from_file(SEEDS[1], url=URL), URL + "?utm_source=rss&utm_medium=feed")
    for furniture in ("Accueil", "cookies", "À lire aussi", "Google renonce", "Et Google alors", "Mentions légales",
                      "Partager sur Facebook", "Clearview AI a suspendu"):
        assert furniture not in document.body, furniture
    assert "Amazon a annoncé interdire pendant un an" in document.body
    assert len(document.body) == len(document.text)


def test_a_page_keeps_its_title_date_site_author_and_canonical_url():
    html = article_page("Amazon suspend Rekognition", ["Amazon a suspendu la vente de Rekognition à la police."],
                        url=URL, date="2020-06-10", site="Journal Tech", author="Claire Martin")
    document = document_from_html(html, URL + "?utm_campaign=x#commentaires")
    assert (document.title, document.date, document.site, document.author, document.url) == (
        "Amazon suspend Rekognition", "2020-06-10", "Journal Tech", "Claire Martin", URL)


def test_a_page_id_is_stable_for_its_url_whatever_tracking_parameters_or_fragment():
    assert canonical_url("HTTPS://WWW.Journal-Tech.example:443/tech/a.html?utm_source=rss&fbclid=1#top") == (
        "https://www.journal-tech.example/tech/a.html")
    first = url_document_id(URL)
    assert first == url_document_id(URL + "?utm_source=rss") == url_document_id(URL + "#comments")
    assert first.startswith("www.journal-tech.example-amazon-moratoire-")
    assert first != url_document_id(URL.replace("amazon", "ibm"))
    # The page's own canonical link names it, whatever link it was fetched through.
    html = article_page("Titre", ["Amazon a suspendu la vente de Rekognition à la police."], url=URL)
    assert document_from_html(html, "https://mirror.example/x?id=3").id == first


def test_a_saved_page_is_read_like_a_fetched_one(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(page_from_file(SEEDS[0], url=URL), encoding="utf-8")
    document = read_html_file(path)
    assert document.url == URL and document.id == url_document_id(URL) and document.path == str(path)


@pytest.mark.parametrize("html, reason", [
    ("<html><body><nav><a href='/'>Accueil</a></nav></body></html>", "no article text"),
    (b"\x00\x01\x02binary\x00", "binary"),
])
def test_a_page_without_article_text_is_one_line(html, reason):
    with pytest.raises(DocumentError, match=reason) as caught:
        document_from_html(html, URL)
    assert "\n" not in str(caught.value)


def test_a_page_in_a_declared_or_misdeclared_encoding_is_decoded():
    html = article_page("Été", ["Amazon a suspendu la vente de Rekognition à la police cet été."], url=URL)
    latin = html.replace('charset="utf-8"', 'charset="iso-8859-1"').encode("iso-8859-1")
    assert "cet été" in document_from_html(latin, URL).body
    assert "cet été" in document_from_html(latin, URL, charset="utf-8").body  # a wrong header


def test_a_web_document_graph_says_its_url_site_and_author():
    html = article_page("Amazon suspend Rekognition", ["Amazon a suspendu la vente de Rekognition à la police."],
                        url=URL, site="Journal Tech")
    from extractors.facts import Extraction

    quads = extraction_to_quads(Extraction(document_from_html(html, URL)))
    graph = quads[0].graph_name
    assert ox.Quad(graph, SCHEMA.url, ox.NamedNode(URL), graph) in quads
    assert ox.Quad(graph, DCTERMS.publisher, ox.Literal("Journal Tech"), graph) in quads
    assert ox.Quad(graph, DCTERMS.creator, ox.Literal("Claire Martin"), graph) in quads


#: Predicates that restate the article's own metadata on another node (a policy event's report date).
DOCUMENT_DATE = {VG.reportedOn}


def facts(quads: list[ox.Quad], doc_id: str) -> set[tuple]:
    """An article graph's facts: every quad but the document's metadata, with the article's id written DOC and
    each evidence node as what it supports, its quote and its extractor (offsets depend on the layout)."""
    document = document_iri(doc_id)

    def term(node) -> str:
        return node.value.replace(doc_id, "DOC") if isinstance(node, ox.NamedNode) else str(node)

    evidence: dict[str, dict] = {}
    out = set()
    for quad in quads:
        if quad.subject == document or quad.predicate in DOCUMENT_DATE:
            continue
        if "/evidence/" in quad.subject.value:
            evidence.setdefault(quad.subject.value, {})[quad.predicate] = quad.object
        else:
            out.add((term(quad.subject), quad.predicate.value, term(quad.object)))
    for found in evidence.values():
        out.add(("evidence", term(found[VG.supports]), " ".join(found[VG.quote].value.split()),
                 term(found[ox.NamedNode("http://www.w3.org/ns/prov#wasGeneratedBy")])))
    return out


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_a_seed_read_from_its_page_yields_the_facts_of_its_file(seed, extractor):
    """Same quads except the document's metadata (and evidence offsets, which follow each text's layout). A page
    carries a full publication day where a seed's date line gives a month: the file is read with the page's day,
    so that both say the same (the day dates "ce jeudi" and a lead's undated decision)."""
    url = f"https://journal-tech.example/tech/{seed.stem}.html"
    from_page = document_from_html(page_from_file(seed, url=url), url + "?utm_source=rss")
    from_file = dataclasses.replace(read_document(seed), date=from_page.date)
    quads_file = extraction_to_quads(extractor.extract_one(from_file))
    quads_page = extraction_to_quads(extractor.extract_one(from_page))
    expected, got = facts(quads_file, from_file.id), facts(quads_page, from_page.id)
    if seed.stem.startswith("003"):
        # spaCy splits the page's opening sentence after "Coup sur coup" (the file's starts after its date line):
        # the same facts, supported by the same sentences, one of them quoted from its second clause.
        expected, got = _without_quotes(expected), _without_quotes(got)
    assert got == expected


def _without_quotes(found: set[tuple]) -> set[tuple]:
    return {(f[0], f[1], f[3]) if f[0] == "evidence" else f for f in found}
