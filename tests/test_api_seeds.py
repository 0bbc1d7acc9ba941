"""The API over the store the real ingest builds from seeds/: every listed entity resolves, ids round-trip."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

SEED_IDS = ["000_9416cb79d778b375", "001_311bd3e3553eda90", "002_28d21b56e46a46c3", "003_eec3ae581d7a92d8",
            "004_ca1e3c34a96bc908"]


def test_documents_are_the_five_seed_articles(seeds_api_client):
    body = seeds_api_client.get("/documents").json()
    assert [d["id"] for d in body["items"]] == SEED_IDS[::-1] and body["total"] == 5  # newest first


def test_amazon_moratorium_on_facial_recognition_for_the_police(seeds_api_client):
    policies = seeds_api_client.get("/company/Amazon/policies").json()["items"]
    moratorium = next(p for p in policies if p["type"] == "moratorium")
    assert moratorium["technology"] == "facial-recognition"
    assert "law-enforcement" in moratorium["restricted_users"]
    assert len({s["document"] for s in moratorium["sources"]}) >= 2


@pytest.mark.parametrize("route,key", [("/companies", "company"), ("/advocates", "advocate"),
                                       ("/legislatures", "legislature"), ("/documents", "documents")])
def test_every_listed_entity_has_a_detail_page(seeds_api_client, route, key):
    items = seeds_api_client.get(route).json()["items"]
    assert items
    for item in items:
        path = f"/{key}/{item['id']}" if key != "documents" else f"/documents/{item['id']}"
        assert seeds_api_client.get(path).status_code == 200, path


def test_every_policy_resolves_by_id_and_belongs_to_its_company(seeds_api_client):
    for policy in seeds_api_client.get("/policies").json()["items"]:
        assert seeds_api_client.get(f"/policies/{policy['id']}").json() == policy
        company = seeds_api_client.get(f"/company/{policy['company']}").json()
        assert policy["id"] in {p["id"] for p in company["items"]}


def test_policy_sources_are_spans_of_their_articles(seeds_api_client, seeds_store):
    texts = {row["d"].value.rsplit("/", 1)[1]: row["t"].value
             for row in seeds_store.select("SELECT ?d ?t WHERE { GRAPH ?d { ?d a vg:Document ; vg:text ?t } }")}
    for policy in seeds_api_client.get("/policies").json()["items"]:
        for source in policy["sources"]:
            assert texts[source["document"]][source["start"]:source["end"]] == source["quote"]


def test_policy_vocabulary_values_are_notations_of_the_vocabulary(seeds_api_client, seeds_store):
    notations = {row["n"].value for row in seeds_store.select("SELECT ?n WHERE { ?c skos:notation ?n }")}
    for policy in seeds_api_client.get("/policies").json()["items"]:
        values = [policy["type"], policy["technology"], *policy["restricted_users"],
                  *[e["purpose"] for e in policy["exceptions"]]]
        if policy["jurisdiction"]:
            values.append(policy["jurisdiction"])
        assert set(values) <= notations, policy["id"]


def test_company_turtle_parses_and_holds_its_policies(seeds_api_client):
    response = seeds_api_client.get("/company/amazon", headers={"Accept": "text/turtle"})
    subjects = {t.subject.value for t in ox.parse(response.content, format=ox.RdfFormat.TURTLE)}
    policies = seeds_api_client.get("/company/amazon").json()["items"]
    assert {p["iri"] for p in policies} <= subjects


def test_sparql_counts_the_seed_documents(seeds_api_client):
    query = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a vg:Document }"
    body = seeds_api_client.get("/sparql", params={"query": query}).json()
    assert body["results"]["bindings"][0]["n"]["value"] == "5"


@pytest.mark.parametrize("params", [{}, {"type": "moratorium"}, {"company": "amazon"},
                                    {"restricted_user": "law-enforcement"}])
def test_pages_of_policies_put_together_are_the_whole_list_in_order(seeds_api_client, params):
    whole = seeds_api_client.get("/policies", params=params).json()
    pages = [seeds_api_client.get("/policies", params={**params, "limit": 1, "offset": i}).json()
             for i in range(whole["total"] + 1)]
    assert whole["total"] >= 1 and all(page["total"] == whole["total"] for page in pages)
    assert [item for page in pages for item in page["items"]] == whole["items"]
    assert [(p["company"], p["id"]) for p in whole["items"]] == sorted((p["company"], p["id"]) for p in whole["items"])


def test_a_listed_policy_is_the_policy_its_own_route_returns(seeds_api_client):
    for policy in seeds_api_client.get("/policies").json()["items"]:
        assert seeds_api_client.get(f"/policies/{policy['id']}").json() == policy
