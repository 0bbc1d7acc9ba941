"""The synthetic corpus of the scale benchmarks: deterministic, distinct articles, renamed actors."""

from __future__ import annotations

from bench.corpus import Article, company_name, generate, make_article, write_corpus
from extractors.documents import content_hash, document_from_text

SEED_COMPANIES = ("Amazon", "Microsoft", "IBM", "Google", "Apple")


def test_same_seed_same_corpus():
    first = [(a.name, a.text) for a in generate(40, seed=3)]
    again = [(a.name, a.text) for a in generate(40, seed=3)]
    assert first == again


def test_other_seed_other_corpus():
    assert [a.text for a in generate(10, seed=0)] != [a.text for a in generate(10, seed=1)]


def test_smaller_corpus_is_a_prefix_of_the_larger():
    small = [a.text for a in generate(20, seed=0)]
    assert small == [a.text for a in generate(60, seed=0)][:20]


def test_distinct_content_hashes_and_names():
    articles = list(generate(300, seed=0))
    assert len({content_hash(a.text) for a in articles}) == len(articles)
    assert len({a.name for a in articles}) == len(articles)


def test_articles_read_like_the_seeds():
    article: Article = make_article(7, seed=0)
    document = document_from_text(article.text, "x")
    assert document.date is not None and len(document.date) == 7
    assert 150 < len(article.text.split()) < 1200
    assert document.title


def test_the_graph_grows_new_companies():
    articles = list(generate(400, seed=0))
    companies = {c for a in articles for c in a.companies}
    assert len(companies - set(SEED_COMPANIES)) > 200
    # Most articles use synthetic names, and the renaming is consistent: no seed company left when all
    # five slots were renamed.
    renamed = [a for a in articles if not set(a.companies) & set(SEED_COMPANIES)]
    assert len(renamed) > len(articles) // 2
    for a in renamed[:50]:
        for name in SEED_COMPANIES:
            assert f" {name} " not in a.text
    assert len({company_name(k) for k in range(12_096)}) == 12_096


def test_write_corpus_is_reused(tmp_path):
    folder = write_corpus(tmp_path / "c", 12, seed=0)
    files = sorted(p.name for p in folder.glob("*.txt"))
    assert len(files) == 12
    stamp = (folder / files[0]).stat().st_mtime_ns
    write_corpus(folder, 12, seed=0)
    assert (folder / files[0]).stat().st_mtime_ns == stamp
