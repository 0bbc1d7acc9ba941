"""`vigie ingest FOLDER` (issue 17): saved .html pages inside a folder are read like pages named on the
command line, and an article file not in French is skipped with one line, never extracted."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from typer.testing import CliRunner
from web_pages import page_from_file

from extractors.documents import document_id
from extractors.web_documents import url_document_id
from ontology.namespaces import DCTERMS, SCHEMA, VG
from vigie.cli import app
from vigie.store import Store

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
ENGLISH = ("Amazon extends its moratorium\n\nAmazon said on Tuesday that it would extend indefinitely its moratorium "
           "on police use of its facial recognition software, Rekognition, announced last year. Civil rights "
           "groups welcomed the decision but asked the company to stop selling surveillance products.\n")
PAGE_URL = "https://www.example.fr/tech/ibm-renonce.html"
runner = CliRunner()


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    (folder / "web").mkdir(parents=True)
    (folder / "001_seed.txt").write_text(SEEDS[0].read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "002_english.txt").write_text(ENGLISH, encoding="utf-8")
    (folder / "web" / "ibm.html").write_text(page_from_file(SEEDS[1], url=PAGE_URL, site="Le Journal Tech"),
                                             encoding="utf-8")
    return folder


def test_a_folder_s_pages_are_read_and_its_english_article_skipped_in_one_line(tmp_path):
    store = tmp_path / "store"
    result = runner.invoke(app, ["ingest", str(_folder(tmp_path)), "--store", str(store), "-q"])
    assert result.exit_code == 0, result.output
    assert "2 articles ingested, 0 unchanged, 0 failed" in result.stdout
    assert "1 not in French" in result.stdout
    [line] = result.stderr.splitlines()
    assert "002_english.txt" in line and "written in English, not French" in line
    db = Store(store, read_only=True)
    page = ox.NamedNode(f"https://w3id.org/vigie/id/document/{url_document_id(PAGE_URL)}")
    assert [q.object for q in db.quads(page, subject=page, predicate=SCHEMA.url)] == [ox.NamedNode(PAGE_URL)]
    assert next(iter(db.quads(page, subject=page, predicate=DCTERMS.publisher))).object.value == "Le Journal Tech"
    english = ox.NamedNode(f"https://w3id.org/vigie/id/document/{document_id('002_english')}")
    assert not list(db.quads(english)) and len(db.document_graphs()) == 2
    assert not db.select("SELECT ?d WHERE { ?d vg:text ?t }")  # (text stays in article graphs)
    assert any(True for _ in db.quads(page, predicate=VG.text))


def test_re_ingesting_the_folder_changes_nothing(tmp_path):
    folder, store = _folder(tmp_path), tmp_path / "store"
    runner.invoke(app, ["ingest", str(folder), "--store", str(store), "-q"])
    again = runner.invoke(app, ["ingest", str(folder), "--store", str(store), "-q"])
    assert "0 articles ingested, 2 unchanged, 0 failed" in again.stdout, again.output
    assert "written in English" in again.stderr
