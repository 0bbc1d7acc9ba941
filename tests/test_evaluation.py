"""Scoring against a gold file follows the rules of the vigie-gold/1 format."""

from __future__ import annotations

import pytest

from vigie.evaluation import (
    ExtractedEntity,
    ExtractedGraph,
    ExtractedPolicy,
    evaluate,
    evaluate_per_article,
    gold_for_document,
    load_gold,
    normalise,
    read_graph,
    read_graphs_by_document,
)

GOLD = {
    "format": "vigie-gold/1",
    "companies": [
        {"key": "ibm", "names": ["IBM", "Big Blue"]},
        {"key": "amazon", "names": ["Amazon", "AWS"]},
        {"key": "thorn", "names": ["Thorn"], "optional": True},
    ],
    "advocates": [{"key": "aclu", "names": ["Union américaine pour les libertés civiles"]}],
    "legislatures": [],
    "policies": [
        {"company": "amazon", "type": "moratorium", "restricted_users": ["law-enforcement"], "duration": "P1Y",
         "exceptions": ["human-trafficking"], "jurisdiction": "US", "announced": "2020-06-10"},
        {"company": "ibm", "type": "*", "optional": True},
    ],
}


def graph(entities=None, policies=None) -> ExtractedGraph:
    g = ExtractedGraph()
    for category, items in (entities or {}).items():
        g.entities[category].extend(items)
    g.policies.extend(policies or [])
    return g


def amazon_moratorium(**changes) -> ExtractedPolicy:
    values = dict(company="amazon", type="moratorium", restricted_users={"law-enforcement"}, duration="P1Y",
                  exceptions={"human-trafficking"}, jurisdiction="US", announced="2020-06-10")
    values.update(changes)
    return ExtractedPolicy(**values)


def test_names_match_without_case_accents_punctuation_or_spaces():
    assert normalise("Union américaine pour les Libertés-civiles") == normalise("unionamericainepourleslibertesciviles")


def test_entity_matches_gold_by_alias():
    result = evaluate(GOLD, graph({"companies": [ExtractedEntity("big-blue", {"Big Blue"})]}))
    assert (result.categories["companies"].tp, result.categories["companies"].fn) == (1, 1)


def test_unmatched_extracted_entity_is_a_false_positive():
    result = evaluate(GOLD, graph({"companies": [ExtractedEntity("fbi", {"FBI"})]}))
    assert result.categories["companies"].fp == 1
    assert result.categories["companies"].spurious == ["fbi"]


def test_optional_entries_count_neither_way():
    result = evaluate(GOLD, graph({"companies": [ExtractedEntity("thorn", {"Thorn"})]}))
    score = result.categories["companies"]
    assert (score.tp, score.fp, score.fn) == (0, 0, 2)


def test_policy_matches_on_company_and_type_and_scores_attributes():
    result = evaluate(GOLD, graph(policies=[amazon_moratorium(duration=None)]))
    assert result.categories["policies"].tp == 1
    assert result.attributes["duration"] == (0, 1)
    assert result.attributes["restricted_users"] == (1, 1)


def test_wildcard_optional_policy_tolerates_any_type():
    result = evaluate(GOLD, graph(policies=[amazon_moratorium(), ExtractedPolicy("ibm", "withdrawal")]))
    assert result.categories["policies"].fp == 0


def test_policy_of_wrong_type_is_a_miss_and_a_false_positive():
    result = evaluate(GOLD, graph(policies=[amazon_moratorium(type="withdrawal")]))
    policies = result.categories["policies"]
    assert (policies.tp, policies.fp, policies.fn) == (0, 1, 1)


def test_policy_company_matches_the_gold_company_by_the_extracted_company_s_names():
    # the graph's "web-services" is also "AWS", one of the gold Amazon's names: as for the entity, so for its policy
    result = evaluate(GOLD, graph({"companies": [ExtractedEntity("web-services", {"AWS"})]},
                                  [amazon_moratorium(company="web-services")]))
    policies = result.categories["policies"]
    assert (policies.tp, policies.fp, policies.fn) == (1, 0, 0)


def test_policy_company_that_is_a_gold_key_matches_that_company_only():
    gold = {"format": "vigie-gold/1", "companies": [{"key": "meta", "names": ["Meta"]},
                                                   {"key": "facebook", "names": ["Facebook"]}],
            "policies": [{"company": "facebook", "type": "moratorium"}]}
    result = evaluate(gold, graph({"companies": [ExtractedEntity("meta", {"Meta", "Facebook"})]},
                                  [ExtractedPolicy("meta", "moratorium")]))
    policies = result.categories["policies"]
    assert (policies.tp, policies.fp, policies.fn) == (0, 1, 1)


def test_perfect_reading_scores_one():
    result = evaluate(GOLD, graph(
        {"companies": [ExtractedEntity("ibm", {"IBM"}), ExtractedEntity("amazon", {"Amazon"})],
         "advocates": [ExtractedEntity("aclu", {"ACLU", "Union américaine pour les libertés civiles"})]},
        [amazon_moratorium()],
    ))
    assert result.micro.f1 == 1.0
    assert result.attribute_accuracy == 1.0


def test_gold_file_without_format_marker_is_refused(tmp_path):
    path = tmp_path / "gold.json"
    path.write_text('{"companies": []}', encoding="utf-8")
    with pytest.raises(ValueError, match="vigie-gold/1"):
        load_gold(path)


def test_seeds_gold_file_loads(seeds_dir):
    gold = load_gold(seeds_dir / "gold.json")
    assert {p["company"] for p in gold["policies"]} >= {"amazon", "microsoft", "ibm", "google"}


# ------------------------------------------------------------------ per article (vigie eval --per-article)

PER_ARTICLE_GOLD = {
    "format": "vigie-gold/1",
    "companies": [
        {"key": "amazon", "names": ["Amazon"], "docs": ["a_amazon"]},
        {"key": "ibm", "names": ["IBM", "Big Blue"], "docs": ["b_ibm"]},
        {"key": "reuters", "names": ["Reuters"], "optional": True},
    ],
    "advocates": [],
    "legislatures": [],
    "policies": [
        {"company": "amazon", "type": "moratorium", "restricted_users": ["law-enforcement"], "exceptions": [],
         "docs": ["a_amazon"]},
    ],
}


def test_per_article_policy_read_from_the_wrong_article_is_a_false_positive_there_and_a_miss():
    moratorium = ExtractedPolicy("amazon", "moratorium", restricted_users={"law-enforcement"})
    graphs = {"a_amazon": graph(), "b_ibm": graph(policies=[moratorium])}
    policies = evaluate_per_article(PER_ARTICLE_GOLD, graphs).categories["policies"]
    assert (policies.tp, policies.fp, policies.fn) == (0, 1, 1)
    assert policies.spurious == ["b_ibm: amazon/moratorium"] and policies.misses == ["a_amazon: amazon/moratorium"]
    # The corpus-wide score does not see where the policy was read.
    assert evaluate(PER_ARTICLE_GOLD, graph(policies=[moratorium])).categories["policies"].tp == 1


def test_per_article_entity_found_in_an_article_not_listing_it_is_a_false_positive_there():
    amazon = ExtractedEntity("amazon", {"Amazon"})
    graphs = {"a_amazon": graph({"companies": [amazon]}), "b_ibm": graph({"companies": [amazon]})}
    companies = evaluate_per_article(PER_ARTICLE_GOLD, graphs).categories["companies"]
    assert (companies.tp, companies.fp) == (1, 1)
    assert companies.spurious == ["b_ibm: amazon"]


def test_per_article_entry_without_docs_is_tolerated_in_every_article():
    reuters = ExtractedEntity("reuters", {"Reuters"})
    graphs = {"a_amazon": graph({"companies": [reuters]}), "b_ibm": graph({"companies": [reuters]})}
    assert evaluate_per_article(PER_ARTICLE_GOLD, graphs).categories["companies"].fp == 0


def test_per_article_optional_entry_with_docs_is_tolerated_only_in_its_articles():
    gold = {**PER_ARTICLE_GOLD, "policies": [{"company": "ibm", "type": "*", "optional": True, "docs": ["b_ibm"]}]}
    withdrawal = ExtractedPolicy("ibm", "withdrawal")
    assert evaluate_per_article(gold, {"b_ibm": graph(policies=[withdrawal])}).categories["policies"].fp == 0
    assert evaluate_per_article(gold, {"a_amazon": graph(policies=[withdrawal])}).categories["policies"].fp == 1


def test_per_article_article_the_graph_lacks_counts_its_gold_entries_as_misses():
    result = evaluate_per_article(PER_ARTICLE_GOLD, {})
    assert result.categories["companies"].misses == ["a_amazon: amazon", "b_ibm: ibm"]
    assert result.categories["policies"].fn == 1


def test_per_article_attributes_are_compared_with_the_articles_own_policy():
    gold = {"format": "vigie-gold/1", "companies": [{"key": "apple", "names": ["Apple"], "docs": ["x", "y"]}],
            "policies": [
                {"company": "apple", "type": "withdrawal", "jurisdiction": "GB", "docs": ["x"]},
                {"company": "apple", "type": "withdrawal", "jurisdiction": None, "docs": ["y"]},
            ]}
    graphs = {"x": graph(policies=[ExtractedPolicy("apple", "withdrawal", jurisdiction="GB")]),
              "y": graph(policies=[ExtractedPolicy("apple", "withdrawal")])}
    assert evaluate_per_article(gold, graphs).attributes["jurisdiction"] == (2, 2)
    merged = graph(policies=[*graphs["x"].policies, *graphs["y"].policies])
    assert evaluate(gold, merged).attributes["jurisdiction"] == (1, 2)  # both entries meet the first policy


def test_per_article_policy_company_resolves_through_the_whole_gold_files_names():
    gold = {**PER_ARTICLE_GOLD, "policies": [{"company": "ibm", "type": "withdrawal", "docs": ["c_other"]}]}
    graphs = {"c_other": graph(policies=[ExtractedPolicy("big-blue", "withdrawal")])}
    assert evaluate_per_article(gold, graphs).categories["policies"].tp == 1


def test_per_article_gold_docs_are_read_as_document_ids():
    gold = {"format": "vigie-gold/1", "companies": [{"key": "ibm", "names": ["IBM"], "docs": ["Article 01"]}]}
    assert gold_for_document(gold, "article-01")["companies"][0]["key"] == "ibm"
    assert gold_for_document(gold, "article-02")["companies"] == []


def _hand_made_store():
    """Two article graphs: Amazon named in ``a_amazon``; Amazon and its moratorium in ``b_ibm``."""
    from ontology.iris import mint
    from vigie.store import Store

    a, b = mint("document", "a_amazon"), mint("document", "b_ibm")
    amazon, policy = mint("company", "amazon"), mint("policy", "amazon-moratorium-facial-recognition")
    store = Store(None)
    store.load_schema()
    store.update(f"""
        PREFIX vg: <https://w3id.org/vigie/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        INSERT DATA {{
          GRAPH {a} {{ {a} a vg:Document . {amazon} a vg:Company ; skos:prefLabel "Amazon" . }}
          GRAPH {b} {{
            {b} a vg:Document . {amazon} a vg:Company ; skos:prefLabel "Amazon" .
            {policy} a vg:Policy ; vg:issuedBy {amazon} ; vg:policyType vg:Moratorium ;
              vg:restrictedUser vg:LawEnforcement .
          }}
        }}""")
    return store


def test_read_graphs_by_document_keeps_each_articles_facts_apart():
    graphs = read_graphs_by_document(_hand_made_store())
    assert set(graphs) == {"a_amazon", "b_ibm"}
    assert graphs["a_amazon"].policies == []
    assert [(p.company, p.type, p.restricted_users) for p in graphs["b_ibm"].policies] == [
        ("amazon", "moratorium", {"law-enforcement"})]
    assert [e.id for e in graphs["a_amazon"].entities["companies"]] == ["amazon"]


def test_read_graph_still_merges_the_articles():
    merged = read_graph(_hand_made_store())
    assert [e.id for e in merged.entities["companies"]] == ["amazon"]
    assert [(p.company, p.type) for p in merged.policies] == [("amazon", "moratorium")]


def test_per_article_scores_a_hand_made_store_where_the_policy_sits_in_the_wrong_article():
    result = evaluate_per_article(PER_ARTICLE_GOLD, read_graphs_by_document(_hand_made_store()))
    assert result.categories["policies"].spurious == ["b_ibm: amazon/moratorium"]
    assert result.categories["companies"].spurious == ["b_ibm: amazon"]
    assert result.categories["companies"].misses == ["b_ibm: ibm"]


def test_per_article_on_the_seeds_store_reads_every_article(seeds_store, seeds_dir):
    graphs = read_graphs_by_document(seeds_store)
    assert set(graphs) == {p.stem for p in seeds_dir.glob("*.txt")}
    result = evaluate_per_article(load_gold(seeds_dir / "gold.json"), graphs)
    assert result.micro.tp > 0


def test_cli_eval_per_article_flag(seeds_store_path, seeds_dir):
    from typer.testing import CliRunner

    from vigie.cli import app

    result = CliRunner().invoke(app, ["eval", str(seeds_dir / "gold.json"), "--store", str(seeds_store_path),
                                      "--per-article", "-v"])
    assert result.exit_code == 0, result.output
    assert "(per article)" in result.stdout and "micro" in result.stdout


def test_policy_events_are_scored_apart_where_the_gold_lists_them():
    """Issue 16: a gold policy's ``events`` match on type and a date agreeing to the coarser precision."""
    from vigie.evaluation import ExtractedGraph, ExtractedPolicy, evaluate

    gold = {"format": "vigie-gold/1", "companies": [], "policies": [
        {"company": "amazon", "type": "moratorium",
         "events": [{"type": "announced", "date": "2020-06"}, {"type": "extended", "date": "2021-05-18"}]},
        {"company": "ibm", "type": "withdrawal"},  # no "events": not scored on them
    ]}
    graph = ExtractedGraph(policies=[
        ExtractedPolicy("amazon", "moratorium", events={("announced", "2020-06-10"), ("lifted", "2022-01-01")}),
        ExtractedPolicy("ibm", "withdrawal", events={("announced", "2020-06-08")}),
    ])
    result = evaluate(gold, graph)
    assert (result.events.tp, result.events.fp, result.events.fn) == (1, 1, 1)
    assert result.micro.f1 == 1.0  # the events do not change the micro F1
