"""SHACL validation: hand-made and extracted graphs conform; broken ones do not, with a readable report."""

from __future__ import annotations

import importlib.util

import pyoxigraph as ox
import pytest
from export_fixtures import build_store, extraction_a

from extractors.rdf import extraction_to_quads
from ontology.namespaces import VG
from vigie.store import Store
from vigie.validation import article_checker, validate_quads, validate_store

POLICY = ox.NamedNode("https://w3id.org/vigie/id/policy/amazon-moratorium-facial-recognition")
needs_pipeline = pytest.mark.skipif(
    importlib.util.find_spec("extractors.pipeline") is None, reason="the extraction pipeline is not written yet"
)


def article_quads() -> list[ox.Quad]:
    return extraction_to_quads(extraction_a())


def without(quads, predicate, subject_type=None) -> list[ox.Quad]:
    """The quads minus every ``predicate`` triple (of subjects of ``subject_type`` when given)."""
    typed = {q.subject for q in quads if subject_type is None or q.object == subject_type}
    return [q for q in quads if not (q.predicate == predicate and q.subject in typed)]


def test_extracted_article_graph_conforms():
    assert validate_quads(article_quads()).conforms


def test_store_of_two_articles_conforms():
    assert validate_store(build_store()).conforms


def test_policy_without_company_does_not_conform():
    report = validate_quads(without(article_quads(), VG.issuedBy))
    assert not report.conforms
    assert any(r.path == "vg:issuedBy" and r.constraint == "MinCount" for r in report.results)


def test_policy_without_company_is_reported_with_the_shape_message():
    report = validate_quads(without(article_quads(), VG.issuedBy))
    assert "policy:amazon-moratorium-facial-recognition  vg:issuedBy: A policy has exactly one issuing company." \
        in report.summary()


def test_evidence_without_offsets_does_not_conform():
    quads = without(without(article_quads(), VG.start), VG.end)
    report = validate_quads(quads)
    assert not report.conforms
    assert {r.path for r in report.results} == {"vg:start", "vg:end"}
    assert all(r.focus.startswith("https://w3id.org/vigie/id/evidence/") for r in report.results)


def test_evidence_with_negative_offset_does_not_conform():
    quads = [ox.Quad(q.subject, q.predicate, ox.Literal(-1), q.graph_name) if q.predicate == VG.start else q
             for q in article_quads()]
    report = validate_quads(quads)
    assert not report.conforms
    assert any(r.constraint == "MinInclusive" and r.value == "-1" for r in report.results)


def test_report_counts_violations_per_message():
    report = validate_quads(without(article_quads(), VG.start))
    evidence_count = sum(1 for q in article_quads() if q.object == VG.Evidence)
    assert report.violations == evidence_count
    assert report.summary().splitlines()[:2] == [
        f"{evidence_count} violation(s) of ontology/shapes.ttl",
        f"{evidence_count:>7} × Less than 1 values on vg:start",
    ]


def test_policy_type_outside_the_scheme_does_not_conform():
    quads = [ox.Quad(q.subject, q.predicate, VG.Ban, q.graph_name) if q.predicate == VG.policyType else q
             for q in article_quads()]
    report = validate_quads(quads)
    assert any(r.path == "vg:policyType" and r.value == "vg:Ban" for r in report.results)


def test_store_report_names_the_article_of_a_violation():
    store = Store(None)
    quads = without(article_quads(), VG.issuedBy)
    store.replace_graphs({quads[0].graph_name: quads})
    report = validate_store(store)
    issued = [r for r in report.results if r.path == "vg:issuedBy"]
    assert issued[0].documents == ("https://w3id.org/vigie/id/document/001_article_a",)
    assert "in document:001_article_a" in issued[0].line()


def test_article_checker_accepts_a_good_article():
    assert article_checker()(extraction_a(), article_quads()) is None


def test_article_checker_explains_a_bad_article_in_one_line():
    reason = article_checker()(extraction_a(), without(article_quads(), VG.issuedBy))
    assert reason.startswith("1 SHACL violation(s); first: policy:amazon-moratorium-facial-recognition  vg:issuedBy")
    assert "\n" not in reason


@needs_pipeline
def test_seeds_graph_conforms_to_the_shapes(seeds_store):
    report = validate_store(seeds_store)
    assert report.conforms, report.summary()


def test_known_legislature_the_article_does_not_describe_conforms_through_the_gazetteer():
    quads = [q for q in article_quads() if q.subject != ox.NamedNode("https://w3id.org/vigie/id/legislature/us-congress")]
    assert validate_quads(quads).conforms
    assert not validate_quads(quads, with_gazetteer=False).conforms


def test_unknown_legislature_the_article_does_not_describe_does_not_conform():
    congress = ox.NamedNode("https://w3id.org/vigie/id/legislature/us-congress")
    unknown = ox.NamedNode("https://w3id.org/vigie/id/legislature/conseil-de-nulle-part")
    quads = [ox.Quad(q.subject, q.predicate, unknown, q.graph_name) if q.object == congress else q
             for q in article_quads() if q.subject != congress]
    report = validate_quads(quads)
    assert any(r.path == "vg:awaitsLegislationFrom" and r.constraint == "Class" for r in report.results)


@needs_pipeline
def test_each_seed_article_conforms_on_its_own(seeds_store):
    for graph in seeds_store.document_graphs():
        report = validate_quads(seeds_store.quads(graph))
        assert report.conforms, f"{graph.value}\n{report.summary()}"
