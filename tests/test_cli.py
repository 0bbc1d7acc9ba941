"""The `vigie` command: exit 0 on the seeds, one clear line and a non-zero exit on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vigie.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def built_store(tmp_path_factory, seeds_dir, extractor) -> Path:
    store = tmp_path_factory.mktemp("cli") / "store"
    result = runner.invoke(app, ["ingest", str(seeds_dir), "--store", str(store), "-q"])
    assert result.exit_code == 0, result.output
    return store


def test_ingest_prints_a_summary(built_store, seeds_dir):
    result = runner.invoke(app, ["ingest", str(seeds_dir), "--store", str(built_store), "-q"])
    assert result.exit_code == 0
    assert "0 articles ingested, 5 unchanged, 0 failed" in result.output


def test_ingest_of_a_missing_path_fails_with_one_clear_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "from vigie.cli import app; app()", "ingest", str(tmp_path / "missing"),
         "--store", str(tmp_path / "s"), "-q"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert f"skipped {tmp_path / 'missing'}: no such file or folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_query_prints_sparql_json(built_store):
    result = runner.invoke(app, ["query", "SELECT ?c WHERE { ?c a vg:Company }", "--store", str(built_store)])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["results"]["bindings"]


def test_query_from_a_rq_file(built_store):
    result = runner.invoke(app, ["query", "queries/stats_classes.rq", "--store", str(built_store), "-f", "csv"])
    assert result.exit_code == 0
    assert result.stdout.startswith("class,count")


def test_malformed_query_is_one_line_error(built_store):
    result = runner.invoke(app, ["query", "SELECT WHERE {", "--store", str(built_store)])
    assert result.exit_code == 1
    assert "malformed SPARQL" in result.stderr


def test_commands_on_a_missing_store_say_so(tmp_path):
    for command in (["stats"], ["export"], ["query", "ASK {}"], ["serve"]):
        result = runner.invoke(app, [*command, "--store", str(tmp_path / "none")])
        assert result.exit_code == 1, command
        assert "no store at" in result.stderr


def test_export_writes_turtle(built_store, tmp_path):
    out = tmp_path / "graph.ttl"
    result = runner.invoke(app, ["export", "--store", str(built_store), "-o", str(out)])
    assert result.exit_code == 0
    assert "@prefix vg:" in out.read_text(encoding="utf-8")


def test_unknown_export_format_is_refused(built_store):
    result = runner.invoke(app, ["export", "--store", str(built_store), "--format", "docx"])
    assert result.exit_code == 1 and "unknown RDF format" in result.stderr


def test_stats_counts_classes_and_articles(built_store):
    result = runner.invoke(app, ["stats", "--store", str(built_store)])
    assert result.exit_code == 0
    assert "Policy" in result.stdout and "001_311bd3e3553eda90" in result.stdout


def test_eval_prints_the_table_and_honours_min_f1(built_store, seeds_dir):
    result = runner.invoke(app, ["eval", str(seeds_dir / "gold.json"), "--store", str(built_store)])
    assert result.exit_code == 0
    assert "micro" in result.stdout and "policy attribute accuracy" in result.stdout
    strict = runner.invoke(app, ["eval", str(seeds_dir / "gold.json"), "--store", str(built_store), "--min-f1", "1.01"])
    assert strict.exit_code == 1 and "below --min-f1" in strict.stderr
