"""`vigie ingest` on a folder of good articles mixed with bad files: each bad one is one clear line,
the good ones are ingested, the exit code says some failed, and the summary counts both.

The real command runs once, in a subprocess, over one folder; each test checks one behaviour of that run.
"""

from __future__ import annotations

import codecs
import ctypes
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from reliability_helpers import SEEDS, run_vigie

from ontology.namespaces import VG
from vigie.store import Store

pytestmark = pytest.mark.slow

PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE = 1
CAP_DAC_READ_SEARCH = 2
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def seed_text(i: int) -> str:
    return SEED_FILES[i].read_text(encoding="utf-8")


def latinised(text: str) -> str:
    """The text with the few characters Latin-1 lacks spelt the old way (œ → oe, ’ → ')."""
    for char, plain in {"’": "'", "œ": "oe", "–": "-", "…": "...", "“": '"', "”": '"'}.items():
        text = text.replace(char, plain)
    return text


#: Bad files: name → the words its one line must contain.
BAD = {
    "empty.txt": "empty file",
    "binary.txt": "binary file",
    "huge.txt": "too large: 52428800 bytes (maximum 2000000)",
    "boilerplate.txt": "no article text once boilerplate is removed",
    "loop-a.txt": "cannot read: Too many levels of symbolic links",
    "loop-b.txt": "cannot read: Too many levels of symbolic links",
    "fifo.txt": "not a regular file",
    "unreadable.txt": "cannot read: Permission denied",
    "lying-charset.txt": "declared encoding 'utf-8' does not decode the file",
    "bad-bom.txt": "invalid utf-8-sig after its byte-order mark",
    "long.txt": "too long: 1100006 characters (maximum 1000000)",  # under the byte limit, over spaCy's
    "plain_.txt": "same document id 'plain' as ",  # another article, its name differs by punctuation only
}
GOOD = ["plain.txt", "latin1.txt", "bom.txt", "utf16.txt", "declared.txt"]


def make_folder(root: Path) -> Path:
    corpus = root / "corpus"
    corpus.mkdir()
    # Good articles, in every encoding Vigie reads.
    (corpus / "plain.txt").write_text(seed_text(0), encoding="utf-8")
    (corpus / "latin1.txt").write_bytes(latinised(seed_text(1)).encode("latin-1"))
    (corpus / "bom.txt").write_bytes(codecs.BOM_UTF8 + seed_text(2).encode("utf-8"))
    (corpus / "utf16.txt").write_bytes(seed_text(3).encode("utf-16"))
    declared = f"<meta charset=iso-8859-15>\n{latinised(seed_text(4))}"
    (corpus / "declared.txt").write_bytes(declared.encode("iso-8859-15"))
    # Bad ones.
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40)
    with (corpus / "huge.txt").open("wb") as handle:  # a real 50 MB file of French text
        block = seed_text(0).encode("utf-8")
        size = 50 * 1024 * 1024
        while size > 0:
            handle.write(block[:size])
            size -= len(block[:size])
    (corpus / "plain_.txt").write_text(seed_text(0) + "\nUne autre version, un autre jour.\n", encoding="utf-8")
    (corpus / "zz-copy-of-plain.txt").write_text(seed_text(0), encoding="utf-8")  # same article, another name
    (corpus / "long.txt").write_text("Titre\n" + "Il pleut. " * 110_000, encoding="utf-8")
    (corpus / "boilerplate.txt").write_text(
        "Laisser un commentaire\nPlease enter your comment!\nPartager sur Facebook\n1234\n", encoding="utf-8"
    )
    os.symlink("loop-b.txt", corpus / "loop-a.txt")
    os.symlink("loop-a.txt", corpus / "loop-b.txt")
    os.mkfifo(corpus / "fifo.txt")
    (corpus / "unreadable.txt").write_text(seed_text(0) + "\nUne autre version.\n", encoding="utf-8")
    os.chmod(corpus / "unreadable.txt", 0)
    (corpus / "lying-charset.txt").write_bytes(
        "<meta charset=utf-8>\nLa société a annoncé une pause.".encode("cp1252")
    )
    (corpus / "bad-bom.txt").write_bytes(codecs.BOM_UTF8 + b"La soci\xe9t\xe9 a annonc\xe9 une pause.")
    # A folder symlink that points back up: the walk must end, and it is not an article.
    (corpus / "sub").mkdir()
    os.symlink("..", corpus / "sub" / "back")
    (corpus / "sub" / "notes.md").write_text("pas un article", encoding="utf-8")
    return corpus


def without_file_permission_override() -> None:  # pragma: no cover - runs in the child
    """Drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the bounding set before exec: the child stays
    root (it can run the interpreter under /root) but file permissions now apply to it."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@pytest.fixture(scope="module")
def run():
    """One real `vigie ingest` over the mixed folder. Root reads a chmod 000 file anyway, so as root the
    command runs without the capabilities that override file permissions: the file is then truly unreadable."""
    root = Path(tempfile.mkdtemp(prefix="vigie-input-"))
    corpus = make_folder(root)
    store = root / "store"
    result = run_vigie(
        "ingest", corpus, "--store", store, "-q",
        preexec_fn=without_file_permission_override if os.geteuid() == 0 else None,
    )
    yield corpus, store, result
    os.chmod(corpus / "unreadable.txt", stat.S_IRUSR | stat.S_IWUSR)
    shutil.rmtree(root, ignore_errors=True)


def skipped_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("vigie: skipped ")]


def test_exit_code_says_some_files_failed(run):
    _, _, result = run
    assert result.returncode == 2, result.stderr


def test_summary_counts_ingested_and_failed(run):
    _, _, result = run
    assert re.search(rf"\b{len(GOOD)} articles ingested, 1 unchanged, {len(BAD)} failed\b", result.stdout), (
        result.stdout + result.stderr
    )


def test_each_bad_file_is_one_line_naming_the_file_and_the_reason(run):
    corpus, _, result = run
    lines = skipped_lines(result)
    for name, reason in BAD.items():
        mine = [line for line in lines if line.startswith(f"vigie: skipped {corpus / name}: ")]
        assert len(mine) == 1, (name, lines)
        assert reason in mine[0], mine[0]
    assert len(lines) == len(BAD)


def test_no_traceback_on_bad_input(run):
    _, _, result = run
    assert "Traceback" not in result.stderr
    assert "Error" not in result.stderr.replace("vigie: error", "")


def test_good_articles_are_in_the_store_one_graph_each(run):
    _, store, _ = run
    db = Store(store, read_only=True)
    ids = sorted(g.value.rsplit("/", 1)[-1] for g in db.document_graphs())
    assert ids == sorted(Path(name).stem for name in GOOD)


def as_read(text: str) -> str:
    """The text Vigie stores for an article: as read, with its furniture (the date line…) blanked."""
    from extractors.documents import document_from_text

    return document_from_text(text, "x").body


def stored_texts(store: Path, stem: str) -> list[str]:
    graph = ox.NamedNode(f"https://w3id.org/vigie/id/document/{stem}")
    db = Store(store, read_only=True)
    return [q.object.value for q in db.oxigraph.quads_for_pattern(None, VG.text, None, graph)]


def test_latin1_and_declared_encodings_are_decoded_not_mangled(run):
    corpus, store, _ = run
    for name, original in (("latin1.txt", "latin-1"), ("declared.txt", "iso-8859-15")):
        expected = as_read((corpus / name).read_bytes().decode(original).replace("\r\n", "\n"))
        texts = stored_texts(store, Path(name).stem)
        assert texts == [expected], name
        assert "é" in texts[0] and "Ã©" not in texts[0] and "\ufffd" not in texts[0]


def test_utf16_and_bom_articles_read_like_utf8(run):
    _, store, _ = run
    for stem, seed in (("bom", 2), ("utf16", 3)):
        assert stored_texts(store, stem) == [as_read(seed_text(seed))], stem


@pytest.fixture(scope="module")
def limited():
    """One real `vigie ingest --max-bytes 3000 --max-facts 2`: a long article, a short one with many facts,
    and a short one with few."""
    root = Path(tempfile.mkdtemp(prefix="vigie-limits-"))
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "long.txt").write_text(seed_text(1), encoding="utf-8")  # 3,586 bytes
    (corpus / "many-facts.txt").write_text(seed_text(0), encoding="utf-8")  # 2,262 bytes, many facts
    (corpus / "short.txt").write_text("Une brève.\nIl pleut sur la ville ce matin.\n", encoding="utf-8")
    store = root / "store"
    result = run_vigie("ingest", corpus, "--store", store, "-q", "--max-bytes", "3000", "--max-facts", "2")
    yield corpus, store, result
    shutil.rmtree(root, ignore_errors=True)


def test_article_over_the_size_limit_is_refused_with_its_size_and_the_limit(limited):
    corpus, _, result = limited
    assert f"vigie: skipped {corpus / 'long.txt'}: too large: 3586 bytes (maximum 3000)" in result.stderr


def test_article_over_the_fact_limit_is_refused_with_its_count_and_the_limit(limited):
    corpus, _, result = limited
    line = next(line for line in skipped_lines(result) if "many-facts.txt" in line)
    assert re.fullmatch(rf"vigie: skipped {re.escape(str(corpus / 'many-facts.txt'))}: too many facts: \d+ "
                        r"\(maximum 2\)", line), line


def test_articles_over_a_limit_are_not_written_and_the_others_are(limited):
    _, store, result = limited
    assert result.returncode == 2
    assert "1 articles ingested, 0 unchanged, 2 failed" in result.stdout
    ids = [g.value.rsplit("/", 1)[-1] for g in Store(store, read_only=True).document_graphs()]
    assert ids == ["short"]
