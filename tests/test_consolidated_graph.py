"""The consolidated graph (issue 14): the default graph holds each fact once, every write keeps it exact,
and a rebuild from the article graphs gives the same graph."""

from __future__ import annotations

import random
import re
import shutil

import pyoxigraph as ox
import pytest
from consolidation_helpers import (
    article_graphs,
    assert_consolidated_graph_exact,
    assert_positions_dense,
    changed,
    copy_of,
    facts,
    random_writes,
    rebuilt_facts,
    version_of,
)

from ontology.namespaces import CURATION_GRAPH, DCTERMS, RDF, VG
from vigie import consolidation, curation
from vigie.store import Store

AMAZON_MORATORIUM = ox.NamedNode("https://w3id.org/vigie/id/policy/amazon-moratorium-facial-recognition")


@pytest.fixture()
def seeds_copy(tmp_path, seeds_store_path):
    path = tmp_path / "store"
    shutil.copytree(seeds_store_path, path, ignore=shutil.ignore_patterns("LOCK"))
    return path


@pytest.fixture(scope="module")
def seed_graphs(seeds_store_path):
    return article_graphs(ox.Store.read_only(str(seeds_store_path)))


def test_the_seeds_consolidated_graph_equals_the_one_rebuilt_from_their_article_graphs(seeds_store_path, tmp_path):
    assert_consolidated_graph_exact(seeds_store_path, tmp_path)


def test_a_default_graph_select_over_400_articles_has_no_repeated_row(tmp_path, seed_graphs):
    store = Store(tmp_path / "store")
    store.load_schema()
    for i in range(80):
        store.replace_graphs(dict(copy_of(g, quads, f"c{i}") for g, quads in seed_graphs.items()))
    for query in ("SELECT ?p WHERE { ?p a vg:Policy }",
                  "SELECT ?p ?c ?t WHERE { ?p vg:issuedBy ?c ; vg:policyType ?t }",
                  "SELECT ?s ?label WHERE { ?s skos:prefLabel ?label }"):
        rows = [tuple(sorted((k, str(v)) for k, v in row.items())) for row in store.select(query)]
        assert rows and len(rows) == len(set(rows)), query
    assert len(store.select("SELECT ?p WHERE { ?p a vg:Policy }")) == 4


def test_a_policy_carries_the_number_of_articles_that_state_it(tmp_path, seed_graphs):
    store = Store(tmp_path / "store")
    stating = [g for g, quads in seed_graphs.items() if any(q.subject == AMAZON_MORATORIUM for q in quads)]
    store.replace_graphs(seed_graphs)
    assert consolidation.article_count(store.oxigraph, AMAZON_MORATORIUM) == len(stating)
    store.remove_graph(stating[0])
    assert consolidation.article_count(store.oxigraph, AMAZON_MORATORIUM) == len(stating) - 1


def test_removing_an_article_keeps_the_facts_other_articles_state_and_drops_its_own(tmp_path, seed_graphs):
    store = Store(tmp_path / "store")
    (graph, quads), *_ = seed_graphs.items()
    copy_graph, copy_quads = copy_of(graph, quads, "copy")
    store.replace_graphs({graph: quads, copy_graph: copy_quads})
    store.remove_graph(copy_graph)
    assert not store.select("SELECT ?s WHERE { ?s ?p ?o FILTER (CONTAINS(STR(?s), '-copy')) }")
    assert store.select("SELECT ?p WHERE { ?p a vg:Policy }")
    store.remove_graph(graph)
    assert not store.select("SELECT ?p WHERE { ?p a vg:Policy }")
    assert facts(store.oxigraph) == set()


def test_the_article_text_stays_in_the_article_graph_only(seeds_store):
    assert not seeds_store.select("SELECT ?d WHERE { ?d vg:text ?text }")
    assert seeds_store.select("SELECT ?d WHERE { GRAPH ?d { ?d vg:text ?text } }")


def test_incremental_equals_rebuilt_after_a_random_sequence_of_ingests_reingests_and_removals(tmp_path, seed_graphs):
    store = Store(tmp_path / "store")
    store.load_schema()
    pool = dict(copy_of(g, quads, f"v{i}") for i in range(6) for g, quads in seed_graphs.items())

    def check(step: int, _written) -> None:
        assert_positions_dense(store.oxigraph)
        if step % 30 == 29:
            assert facts(store.oxigraph) == rebuilt_facts(store.oxigraph), f"diverged at step {step}"

    random_writes(store, pool, random.Random(14), 120, ingest=0.45, reingest=0.75, after_step=check)
    assert facts(store.oxigraph) == rebuilt_facts(store.oxigraph)


def test_curators_corrections_keep_the_consolidated_graph_exact(seeds_copy):
    store = Store(seeds_copy)
    curation.reject(store, AMAZON_MORATORIUM, by="Marie Dupont", reason="doublon")
    assert store.select("SELECT ?r ?p WHERE { ?r vg:rejects ?p }", bindings={"p": AMAZON_MORATORIUM})
    amazon = ox.NamedNode("https://w3id.org/vigie/id/company/amazon")
    curation.add_alias(store, amazon, "AMZN", by="Marie Dupont")
    assert facts(store.oxigraph) == rebuilt_facts(store.oxigraph)
    assert curation.unreject(store, AMAZON_MORATORIUM)
    assert not store.select("SELECT ?r ?p WHERE { ?r vg:rejects ?p }", bindings={"p": AMAZON_MORATORIUM})
    assert facts(store.oxigraph) == rebuilt_facts(store.oxigraph)
    assert any(True for _ in store.quads(CURATION_GRAPH, subject=amazon))


def test_a_sparql_update_on_an_article_graph_shows_in_the_consolidated_graph(seeds_copy):
    store = Store(seeds_copy)
    graph = store.document_graphs()[0]
    store.update(f"INSERT DATA {{ GRAPH {graph} {{ <https://example.org/x> a vg:Company }} }}")
    assert store.select("ASK { <https://example.org/x> a vg:Company }".replace("ASK", "SELECT * WHERE"))
    store.update(f"DROP GRAPH {graph}")
    assert facts(store.oxigraph) == rebuilt_facts(store.oxigraph)


def test_a_store_written_before_the_consolidated_graph_is_consolidated_when_opened(seeds_copy, seed_graphs):
    raw = ox.Store(str(seeds_copy))
    raw.clear_graph(ox.DefaultGraph())
    del raw
    store = Store(seeds_copy)
    assert len(store.select("SELECT ?p WHERE { ?p a vg:Policy }")) == 4
    assert facts(store.oxigraph) == rebuilt_facts(store.oxigraph)


def test_an_interrupted_rebuild_is_completed_at_the_next_open(seeds_copy):
    raw = ox.Store(str(seeds_copy))
    expected = facts(raw)
    raw.remove(next(raw.quads_for_pattern(None, RDF.type, VG.Policy, ox.DefaultGraph())))
    raw.add(consolidation.REBUILDING)
    del raw
    store = Store(seeds_copy)
    assert facts(store.oxigraph) == expected


def test_a_read_only_store_not_yet_consolidated_answers_from_the_union_of_its_graphs(seeds_copy):
    raw = ox.Store(str(seeds_copy))
    raw.clear_graph(ox.DefaultGraph())
    del raw
    store = Store(seeds_copy, read_only=True)
    assert {row["p"] for row in store.select("SELECT DISTINCT ?p WHERE { ?p a vg:Policy }")}


def test_blank_nodes_of_a_written_graph_are_named_so_that_it_can_be_removed_exactly(tmp_path):
    store = Store(tmp_path / "store")
    graph = ox.NamedNode("https://example.org/g")
    node = ox.BlankNode("b1")
    store.replace_graphs({graph: [ox.Quad(node, RDF.type, VG.Company, graph)]})
    [quad] = store.quads(graph)
    assert quad.subject.value.startswith(consolidation.GENID)
    store.remove_graph(graph)
    assert facts(store.oxigraph) == set()


def _default_graph(store) -> set:
    return {(row["s"], row["p"], row["o"]) for row in store.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
            if row["p"] != VG.consolidation}


def test_every_backend_keeps_its_default_graph_the_consolidated_graph(store_backend, seed_graphs):
    store = store_backend.open()
    rng = random.Random(7)
    pool = [copy_of(g, quads, f"r{i}") for i in range(2) for g, quads in seed_graphs.items()]
    graph, quads = _moratorium_article(seed_graphs)
    story = next(g for g, _ in pool if g.value.startswith(graph.value))
    copies = [version_of(graph, quads, f"v{i}", story) for i in range(2)]  # one story: counted once
    store.replace_graphs(dict(pool[:6] + copies[:1]))
    store.replace_graphs({pool[0][0]: changed(pool[0][1], rng), **dict(pool[6:] + copies[1:])})
    assert store.remove_graph(pool[3][0])
    assert not store.remove_graph(pool[3][0])
    incremental = _default_graph(store)
    assert len(store.select("SELECT ?p WHERE { ?p a vg:Policy }")) == 4
    counts = {row["n"].value for row in store.select(f"SELECT ?n WHERE {{ {AMAZON_MORATORIUM} vg:articleCount ?n }}")}
    rows = store.select(f"SELECT ?g ?v WHERE {{ GRAPH ?g {{ ?g a vg:Document . {AMAZON_MORATORIUM} a vg:Policy "
                        "OPTIONAL { ?g dcterms:isVersionOf ?v } } }")
    assert len(rows) == len(stating := {row["g"] for row in rows}) and len(stating) > 3
    assert counts == {str(len({row.get("v", row["g"]) for row in rows}))}  # the copies add nothing to their story
    store.rebuild()
    assert _default_graph(store) == incremental


def test_vigie_reindex_rebuilds_the_consolidated_graph_and_says_its_size(seeds_copy):
    from reliability_helpers import run_vigie

    raw = ox.Store(str(seeds_copy))
    expected = facts(raw)
    raw.remove(next(raw.quads_for_pattern(None, RDF.type, VG.Policy, ox.DefaultGraph())))
    del raw
    result = run_vigie("reindex", "--store", seeds_copy)
    assert result.returncode == 0, result.stderr
    assert re.match(r"consolidated graph rebuilt: \d+ triples in [\d.]+ s", result.stdout)
    assert facts(ox.Store.read_only(str(seeds_copy))) == expected


def _dated(quads: list[ox.Quad], day: int) -> list[ox.Quad]:
    graph = quads[0].graph_name
    date = ox.Literal(f"2021-01-{day:02d}", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    return [ox.Quad(q.subject, q.predicate, date, q.graph_name) if q.subject == graph and q.predicate == DCTERMS.date
            else q for q in quads]


def test_a_policy_links_its_ten_newest_articles_and_the_next_one_replaces_a_removed_one(tmp_path, seed_graphs):
    store = Store(tmp_path / "store")
    graph, quads = next((g, q) for g, q in seed_graphs.items() if any(x.subject == AMAZON_MORATORIUM for x in q))
    copies = dict(copy_of(graph, _dated(quads, day), f"d{day}") for day in range(1, 26))
    for name, copy in copies.items():  # one write each, oldest first
        store.replace_graphs({name: copy})
    newest = sorted(copies, key=lambda g: int(g.value.rsplit("-d", 1)[1]), reverse=True)

    def linked():
        return {q.object for q in store.quads(ox.DefaultGraph(), subject=AMAZON_MORATORIUM,
                                              predicate=VG.latestSource)}

    assert linked() == set(newest[:consolidation.SOURCES_KEPT])
    store.remove_graph(newest[0])
    assert linked() == set(newest[1:consolidation.SOURCES_KEPT + 1])
    assert facts(store.oxigraph) == rebuilt_facts(store.oxigraph)


# ------------------------------------------------------------------ stories (issue 17)


def _moratorium_article(seed_graphs) -> tuple[ox.NamedNode, list[ox.Quad]]:
    return next((g, q) for g, q in seed_graphs.items() if any(x.subject == AMAZON_MORATORIUM for x in q))


def test_copies_of_one_dispatch_count_once_and_each_stays_a_source(tmp_path, seed_graphs):
    store = Store(tmp_path / "store")
    graph, quads = _moratorium_article(seed_graphs)
    story, first = copy_of(graph, quads, "afp")
    copies = dict(version_of(graph, quads, f"site{i}", story) for i in range(3))
    other, other_quads = copy_of(graph, quads, "own")  # an article of its own saying the same
    store.replace_graphs({story: first, **copies})

    def count() -> int:
        return consolidation.article_count(store.oxigraph, AMAZON_MORATORIUM)

    def linked() -> set:
        return {q.object for q in store.quads(ox.DefaultGraph(), subject=AMAZON_MORATORIUM, predicate=VG.latestSource)}

    assert count() == 1 and linked() == {story, *copies}
    store.replace_graphs({other: other_quads})
    assert count() == 2
    store.remove_graph(story)  # the copies still tell the story
    assert count() == 2 and linked() == {other, *copies}
    for copy in list(copies)[:2]:
        store.remove_graph(copy)
    assert count() == 2
    store.remove_graph(list(copies)[2])
    assert count() == 1 and linked() == {other}
    assert facts(store.oxigraph) == rebuilt_facts(store.oxigraph)


def test_an_article_becoming_a_copy_and_back_keeps_the_counts_exact(tmp_path, seed_graphs):
    store = Store(tmp_path / "store")
    graph, quads = _moratorium_article(seed_graphs)
    a, a_quads = copy_of(graph, quads, "a")
    b, b_quads = copy_of(graph, quads, "b")
    store.replace_graphs({a: a_quads, b: b_quads})
    assert consolidation.article_count(store.oxigraph, AMAZON_MORATORIUM) == 2
    store.replace_graphs({b: [*b_quads, ox.Quad(b, DCTERMS.isVersionOf, a, b)]})  # re-read as a's copy
    assert consolidation.article_count(store.oxigraph, AMAZON_MORATORIUM) == 1
    store.replace_graphs({a: [*a_quads, ox.Quad(a, DCTERMS.isVersionOf, b, a)], b: b_quads})  # roles swapped
    assert consolidation.article_count(store.oxigraph, AMAZON_MORATORIUM) == 1
    assert facts(store.oxigraph) == rebuilt_facts(store.oxigraph)


def test_incremental_equals_rebuilt_with_copies_written_removed_and_rewritten_in_any_order(tmp_path, seed_graphs):
    store = Store(tmp_path / "store")
    originals = [copy_of(g, quads, f"s{i}") for i in range(3) for g, quads in seed_graphs.items()]
    source = dict(seed_graphs)
    pool = dict(originals)
    for story, _ in originals:  # copies of each story, written before or after it, or without it
        base = story.value.rsplit("-", 1)[0]
        seed = ox.NamedNode(base)
        pool.update(version_of(seed, source[seed], f"{story.value.rsplit('-', 1)[1]}c{i}", story) for i in range(3))
    names = sorted(pool, key=lambda g: g.value)

    def reread(graph, quads, rng) -> list[ox.Quad]:  # its facts changed, or it is now (or no longer) a copy
        quads = changed(quads, rng)
        if rng.random() < 0.5:
            quads = [q for q in quads if q.predicate != DCTERMS.isVersionOf]
            if rng.random() < 0.5:
                quads.append(ox.Quad(graph, DCTERMS.isVersionOf, rng.choice(names), graph))
        return quads

    def check(step: int, _written) -> None:
        if step % 25 == 24:
            assert facts(store.oxigraph) == rebuilt_facts(store.oxigraph), f"diverged at step {step}"

    random_writes(store, pool, random.Random(17), 150, max_batch=5, reread=reread, after_step=check)
    assert facts(store.oxigraph) == rebuilt_facts(store.oxigraph)
