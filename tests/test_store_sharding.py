"""`vigie ingest --shard i/n`: which files a shard takes (a stable hash of the document id)."""

from __future__ import annotations

from pathlib import Path

import pytest

from vigie.ingest import IngestReport, in_shard, parse_shard, read_documents, shard_of

NAMES = [f"{i:03d}_article.txt" for i in range(200)]


def test_every_file_is_in_exactly_one_shard():
    for count in (1, 2, 3, 7):
        for name in NAMES:
            assert sum(in_shard(name, (i, count)) for i in range(1, count + 1)) == 1


def test_shards_are_roughly_even():
    sizes = [sum(shard_of(name, 4) == i for name in NAMES) for i in range(1, 5)]
    assert min(sizes) >= 30, sizes


def test_a_files_shard_does_not_depend_on_its_folder():
    assert shard_of(Path("/mnt/corpus/a/001_x.txt"), 5) == shard_of(Path("/data/other/001_x.txt"), 5)


def test_files_with_the_same_document_id_share_a_shard():
    # "Été 2020.txt" and "ete-2020.txt" both become the document id "ete-2020": one graph, one shard.
    assert all(shard_of("Été 2020.txt", n) == shard_of("ete-2020.txt", n) for n in range(1, 9))


def test_shard_of_is_the_same_on_every_host_and_run():
    # Pinned values: SHA-256 of the document id, not Python's per-process salted hash().
    assert [shard_of("001_311bd3e3553eda90.txt", n) for n in (2, 3, 4)] == [1, 3, 1]


@pytest.mark.parametrize("spec", ["0/2", "3/2", "1/0", "2", "a/b", "1/2/3", ""])
def test_a_malformed_shard_is_refused(spec):
    with pytest.raises(ValueError, match="shard"):
        parse_shard(spec)


def test_a_shard_is_written_i_slash_n():
    assert parse_shard(" 2/4 ") == (2, 4)


def test_reading_a_shard_reads_only_its_files(tmp_path):
    for name in NAMES[:20]:
        (tmp_path / name).write_text("Titre\nAmazon suspend Rekognition.\n", encoding="utf-8")
    report = IngestReport()
    read = {Path(d.path).name for d in read_documents([tmp_path], report, shard=(2, 3))}
    assert read == {name for name in NAMES[:20] if shard_of(name, 3) == 2}
    assert not report.failed
