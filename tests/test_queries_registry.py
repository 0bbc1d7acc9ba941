"""The named-query registry: headers parsed, every shipped file loads, parameters bound as RDF terms only."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ontology.iris import mint
from queries import QueryError, QueryFileError, Registry, load_text, parse_query_file, registry

HEADER = """#+ name: example
#+ summary: An example
#+ description: Longer text.
#+ tags: rest, test
#+ params:
#+   - company: company, required. The company's id
#+   - type: concept, optional. A policy type
#+   - year: integer, optional.
PREFIX vg: <https://w3id.org/vigie/ontology#>
SELECT ?company ?type ?year ?policy WHERE { ?policy vg:issuedBy ?company ; vg:policyType ?type }
"""


def concepts(value: str) -> ox.NamedNode | None:
    return {"moratorium": ox.NamedNode("https://w3id.org/vigie/ontology#Moratorium")}.get(value.lower())


def test_every_shipped_query_file_loads_strictly():
    loaded = Registry.load(strict=True)
    assert "policy_facts" in loaded and "companies" in loaded


def test_default_registry_has_no_load_errors():
    assert registry().errors == []


def test_header_fields_are_parsed():
    query = parse_query_file(HEADER)
    assert (query.name, query.summary, query.description, query.tags) == (
        "example", "An example", "Longer text.", ("rest", "test"))


def test_header_parameters_are_parsed_with_type_and_requiredness():
    params = parse_query_file(HEADER).params
    assert [(p.name, p.type, p.required) for p in params] == [
        ("company", "company", True), ("type", "concept", False), ("year", "integer", False)]


def test_query_form_is_detected():
    assert parse_query_file(HEADER).form == "SELECT"
    assert registry()["describe_company"].form == "CONSTRUCT"


def test_parameter_missing_from_projection_is_a_file_error():
    text = HEADER.replace("SELECT ?company ?type ?year ?policy", "SELECT ?policy")
    with pytest.raises(QueryFileError, match="projection"):
        parse_query_file(text)


def test_unknown_parameter_type_is_a_file_error():
    with pytest.raises(QueryFileError, match="unknown parameter type"):
        parse_query_file(HEADER.replace("company, required", "gizmo, required"))


def test_missing_summary_is_a_file_error():
    with pytest.raises(QueryFileError, match="summary"):
        parse_query_file(HEADER.replace("#+ summary: An example\n", ""))


def test_malformed_file_is_skipped_and_reported_when_not_strict(tmp_path):
    (tmp_path / "good.rq").write_text(HEADER, encoding="utf-8")
    (tmp_path / "bad.rq").write_text("#+ name: Bad Name\n#+ summary: x\nSELECT * {}", encoding="utf-8")
    loaded = Registry.load(tmp_path)
    assert list(loaded.queries) == ["example"] and len(loaded.errors) == 1


def test_entity_parameter_is_minted_from_a_case_insensitive_slug(tmp_path):
    (tmp_path / "q.rq").write_text(HEADER, encoding="utf-8")
    bound = Registry.load(tmp_path).bind("example", {"company": "Amazon"}, concepts)
    assert bound == {"company": mint("company", "amazon")}


def test_concept_parameter_is_resolved_by_notation(tmp_path):
    (tmp_path / "q.rq").write_text(HEADER, encoding="utf-8")
    bound = Registry.load(tmp_path).bind("example", {"company": "ibm", "type": "Moratorium"}, concepts)
    assert bound["type"] == ox.NamedNode("https://w3id.org/vigie/ontology#Moratorium")


def test_integer_parameter_becomes_a_typed_literal(tmp_path):
    (tmp_path / "q.rq").write_text(HEADER, encoding="utf-8")
    bound = Registry.load(tmp_path).bind("example", {"company": "ibm", "year": "2020"}, concepts)
    assert bound["year"] == ox.Literal("2020", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))


@pytest.mark.parametrize("payload", [
    "amazon' } ; DROP ALL ; #", "<http://x>", "ama zon", "{amazon}", "a" * 300, "", "amazon\n",
])
def test_injection_payload_in_entity_parameter_is_refused(tmp_path, payload):
    (tmp_path / "q.rq").write_text(HEADER, encoding="utf-8")
    with pytest.raises(QueryError, match="invalid company"):
        Registry.load(tmp_path).bind("example", {"company": payload}, concepts)


def test_unknown_concept_is_refused(tmp_path):
    (tmp_path / "q.rq").write_text(HEADER, encoding="utf-8")
    with pytest.raises(QueryError, match="unknown type"):
        Registry.load(tmp_path).bind("example", {"company": "ibm", "type": "ban"}, concepts)


def test_missing_required_parameter_is_refused(tmp_path):
    (tmp_path / "q.rq").write_text(HEADER, encoding="utf-8")
    with pytest.raises(QueryError, match="missing parameter 'company'"):
        Registry.load(tmp_path).bind("example", {}, concepts)


def test_unknown_parameter_is_refused(tmp_path):
    (tmp_path / "q.rq").write_text(HEADER, encoding="utf-8")
    with pytest.raises(QueryError, match="unknown parameter 'colour'"):
        Registry.load(tmp_path).bind("example", {"company": "ibm", "colour": "red"}, concepts)


def test_unknown_query_name_is_a_query_error():
    with pytest.raises(QueryError, match="no query 'nope'"):
        registry()["nope"]


def test_load_text_returns_a_file_and_refuses_odd_names():
    assert "SELECT" in load_text("companies")
    with pytest.raises(KeyError):
        load_text("../pyproject")


# ------------------------------------------------------------------ placeholders that restrict subqueries

PLACEHOLDER_QUERY = HEADER.replace(
    "SELECT ?company ?type ?year ?policy WHERE { ?policy vg:issuedBy ?company ; vg:policyType ?type }",
    "SELECT ?company ?type ?year ?policy WHERE {\n"
    "  { SELECT DISTINCT ?policy ?company WHERE { VALUES ?company { UNDEF } ?policy vg:issuedBy ?company } }\n"
    "  ?policy vg:policyType ?type }",
)


def test_a_bound_value_fills_its_placeholder_with_the_terms_ntriples_form():
    query = parse_query_file(PLACEHOLDER_QUERY)
    text = query.text_for({"company": mint("company", "amazon")})
    assert "VALUES ?company { <https://w3id.org/vigie/id/company/amazon> }" in text
    assert "UNDEF" not in text


def test_an_unbound_parameter_leaves_its_placeholder_restricting_nothing():
    query = parse_query_file(PLACEHOLDER_QUERY)
    assert query.text_for({}) == query.sparql
    assert query.text_for({"type": concepts("moratorium")}) == query.sparql


def test_a_placeholder_of_a_variable_that_is_not_a_parameter_is_left_alone():
    query = parse_query_file(PLACEHOLDER_QUERY.replace("VALUES ?company { UNDEF }", "VALUES ?other { UNDEF }"))
    assert query.text_for({"other": mint("company", "amazon")}) == query.sparql


def test_a_literal_with_sparql_syntax_in_it_stays_one_escaped_literal():
    query = parse_query_file(PLACEHOLDER_QUERY)
    payload = ox.Literal('x" } } ; DROP ALL ; SELECT * WHERE { "')
    text = query.text_for({"company": payload})
    store = ox.Store()
    assert list(store.query(text)) == []  # parses, and matches nothing
    assert text.count("VALUES ?company {") == 1 and '\\"' in text


@pytest.mark.parametrize("name", ["policy_facts", "policy_exceptions", "policy_sources"])
@pytest.mark.parametrize("param, value", [("company", "amazon"), ("company", "ibm"), ("policy", None),
                                          ("type", "moratorium")])
def test_a_query_restricted_through_its_placeholders_answers_the_rows_of_the_whole_answer_for_that_value(
    seeds_store, name, param, value
):
    query = registry()[name]
    assert "{ UNDEF }" in query.sparql
    every = seeds_store.select(query.text_for({}))
    if param == "policy":
        value = sorted(row["policy"].value.rsplit("/", 1)[1] for row in every)[0]
    concept = {row["notation"].value: row["concept"] for row in seeds_store.select(registry()["concepts"].sparql)}
    bound = registry().bind(name, {param: value}, concept=concept.get)
    restricted = seeds_store.select(query.text_for(bound), bindings=bound)

    def rows(result):
        return sorted(sorted((k, str(v)) for k, v in row.items()) for row in result)

    expected = [row for row in every if row[param] == bound[param]]
    assert every and rows(restricted) == rows(expected)
