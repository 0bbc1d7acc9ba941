"""Scoring against a gold file follows the rules of the vigie-gold/1 format."""

from __future__ import annotations

import pytest

from vigie.evaluation import ExtractedEntity, ExtractedGraph, ExtractedPolicy, evaluate, load_gold, normalise

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
