"""The ontology documentation: generated from the Turtle, committed, and up to date."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from vigie.cli import app
from vigie.ontology_docs import render

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "ontology.md"


def test_committed_ontology_page_is_up_to_date():
    assert PAGE.read_text(encoding="utf-8") == render(), "docs/ontology.md is out of date: run `vigie docs`"


def test_page_lists_every_class_with_its_french_label():
    page = render()
    assert "| `vg:Policy` | Policy | Politique |" in page
    assert "| `vg:Legislature` | Legislature | Assemblée législative |" in page


def test_page_gives_domain_and_range_of_properties():
    assert "| `vg:issuedBy` | issued by | émise par | `vg:Policy` | `vg:Company` | FunctionalProperty |" in render()


def test_page_lists_concepts_with_notation_and_both_labels():
    assert "| `vg:LawEnforcement` | `law-enforcement` | law enforcement | forces de l'ordre |" in render()


def test_page_summarises_the_gazetteer():
    page = render()
    assert "| `company:amazon` | `vg:Company` | Amazon | `wd:Q3884` |" in page


def test_page_lists_the_shape_messages():
    assert "A policy has exactly one issuing company." in render()


def test_docs_command_writes_the_page(tmp_path):
    out = tmp_path / "ontology.md"
    result = CliRunner().invoke(app, ["docs", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == render()


def test_docs_check_fails_on_a_stale_page(tmp_path):
    out = tmp_path / "ontology.md"
    out.write_text("# old\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["docs", "--check", "-o", str(out)])
    assert result.exit_code == 1
    assert "out of date" in result.output
