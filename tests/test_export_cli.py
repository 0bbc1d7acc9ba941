"""`vigie export` and `vigie validate` on a real on-disk store: options, files, exit codes, messages."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from export_fixtures import build_store, extraction_a
from typer.testing import CliRunner

from extractors.rdf import extraction_to_quads
from ontology.namespaces import VG
from vigie.cli import app
from vigie.store import Store

DOC_B = ox.NamedNode("https://w3id.org/vigie/id/document/002_article_b")


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "store"
    store = build_store(path)
    store.flush()
    del store
    return path


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.mark.parametrize("name", ["turtle", "trig", "nquads", "ntriples", "jsonld"])
def test_export_writes_a_file_that_parses(store_path, tmp_path, name):
    out = tmp_path / f"export.{name}"
    result = run("export", "--store", store_path, "--format", name, "-o", out)
    assert result.exit_code == 0, result.output
    fmt = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
           "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}[name]
    assert list(ox.parse(path=str(out), format=fmt))
    assert not (tmp_path / f"export.{name}.part").exists()


def test_export_of_one_document_keeps_only_its_graph(store_path, tmp_path):
    out = tmp_path / "b.nq"
    result = run("export", "--store", store_path, "-f", "nquads", "--document", "002_article_b", "-o", out)
    assert result.exit_code == 0, result.output
    assert {q.graph_name for q in ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS)} == {DOC_B}


def test_export_of_one_company_in_jsonld_has_its_policy(store_path, tmp_path):
    out = tmp_path / "ibm.jsonld"
    result = run("export", "--store", store_path, "-f", "jsonld", "--company", "ibm", "-o", out)
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    ids = {node["@id"] for graph in document["@graph"] for node in graph["@graph"]}
    assert "policy:ibm-withdrawal-facial-recognition" in ids
    assert "policy:amazon-moratorium-facial-recognition" not in ids


def test_export_of_an_unknown_company_fails_with_one_line(store_path):
    result = run("export", "--store", store_path, "--company", "acme")
    assert result.exit_code == 1
    assert result.output.strip() == "vigie: error: no company 'acme' in the store"


def test_export_of_an_unknown_document_fails(store_path):
    result = run("export", "--store", store_path, "--document", "999_missing")
    assert result.exit_code == 1
    assert "no document '999_missing'" in result.output


def test_export_rejects_an_unknown_format(store_path):
    result = run("export", "--store", store_path, "--format", "yaml")
    assert result.exit_code == 1
    assert "unknown RDF format 'yaml'" in result.output


def test_export_include_ontology_adds_the_classes(store_path, tmp_path):
    out = tmp_path / "all.ttl"
    assert run("export", "--store", store_path, "--include-ontology", "-o", out).exit_code == 0
    triples = list(ox.parse(path=str(out), format=ox.RdfFormat.TURTLE))
    assert any(t.subject == VG.Policy for t in triples)


def test_validate_passes_on_a_conforming_store(store_path):
    result = run("validate", "--store", store_path)
    assert result.exit_code == 0, result.output
    assert "2 article graph(s) conform" in result.output


def test_validate_fails_with_a_readable_report(tmp_path):
    quads = [q for q in extraction_to_quads(extraction_a()) if q.predicate != VG.issuedBy]
    store = Store(tmp_path / "broken")
    store.replace_graphs({quads[0].graph_name: quads})
    store.flush()
    del store
    result = run("validate", "--store", tmp_path / "broken")
    assert result.exit_code == 1
    assert "A policy has exactly one issuing company." in result.output
    assert "policy:amazon-moratorium-facial-recognition  vg:issuedBy" in result.output
    assert "the graph does not conform: 1 violation(s)" in result.output
