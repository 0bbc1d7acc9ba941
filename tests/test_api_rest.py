"""REST routes over the small exact graph of tests/fixtures/api_corpus.py (real Oxigraph, real ASGI app)."""

from __future__ import annotations

from urllib.parse import quote

import pyoxigraph as ox
import pytest

AMAZON_POLICY = "amazon-moratorium-facial-recognition"
MICROSOFT_POLICY = "microsoft-sales-refusal-facial-recognition"
IBM_POLICY = "ibm-withdrawal-facial-recognition"

ENTITY_ROUTES = [
    "/company/{}", "/company/{}/policies", "/policies/{}", "/policies/{}/exceptions", "/advocate/{}",
    "/legislature/{}", "/documents/{}",
]
INJECTIONS = [
    "amazon' } ; DROP ALL ; #", "<http://x>", "ama zon", "{amazon}", "amazon\"", "a" * 5000, "amazon>",
    "?company", "amazon%00",
]


# ---------------------------------------------------------------- companies


def test_companies_lists_the_companies_of_the_articles(api_client):
    body = api_client.get("/companies").json()
    assert [c["id"] for c in body["items"]] == ["amazon", "ibm", "marinus-analytics", "microsoft"]
    assert body["total"] == 4


def test_companies_leaves_out_gazetteer_companies_no_article_mentions(api_client):
    ids = {c["id"] for c in api_client.get("/companies").json()["items"]}
    assert "nec" not in ids and "google" not in ids


def test_company_item_has_label_aliases_and_wikidata(api_client):
    amazon = api_client.get("/companies").json()["items"][0]
    assert amazon["iri"] == "https://w3id.org/vigie/id/company/amazon"
    assert amazon["label"] == "Amazon" and amazon["wikidata"] == "Q3884"
    assert "AWS" in amazon["aliases"] and "Amazon" not in amazon["aliases"]


def test_companies_paginates_with_limit_and_offset(api_client):
    body = api_client.get("/companies", params={"limit": 2, "offset": 1}).json()
    assert [c["id"] for c in body["items"]] == ["ibm", "marinus-analytics"]
    assert (body["total"], body["limit"], body["offset"]) == (4, 2, 1)


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 100000}, {"offset": -1}, {"limit": "x"}])
def test_companies_refuses_bad_pagination_with_422(api_client, params):
    assert api_client.get("/companies", params=params).status_code == 422


def test_company_returns_the_company_and_its_policies(api_client):
    body = api_client.get("/company/amazon").json()
    assert body["company"]["id"] == "amazon"
    assert [p["id"] for p in body["items"]] == [AMAZON_POLICY]


def test_company_id_is_case_insensitive(api_client):
    assert api_client.get("/company/Amazon").json() == api_client.get("/company/amazon").json()


def test_company_policies_route_has_the_same_shape(api_client):
    body = api_client.get("/company/microsoft/policies").json()
    assert body["company"]["label"] == "Microsoft" and [p["id"] for p in body["items"]] == [MICROSOFT_POLICY]


def test_policy_values_are_vocabulary_slugs(api_client):
    policy = api_client.get("/company/amazon/policies").json()["items"][0]
    assert {k: policy[k] for k in ("type", "technology", "restricted_users", "jurisdiction", "duration",
                                   "announced", "products", "awaits_legislature")} == {
        "type": "moratorium", "technology": "facial-recognition", "restricted_users": ["law-enforcement"],
        "jurisdiction": "US", "duration": "P1Y", "announced": "2020-06-10", "products": ["rekognition"],
        "awaits_legislature": "us-congress"}


def test_policy_exceptions_have_purpose_label_and_beneficiaries(api_client):
    exception = api_client.get("/company/amazon/policies").json()["items"][0]["exceptions"][0]
    assert exception["purpose"] == "human-trafficking"
    assert exception["label"] == "lutte contre la traite des êtres humains"
    assert {(b["kind"], b["id"]) for b in exception["beneficiaries"]} == {
        ("advocate", "thorn"), ("company", "marinus-analytics")}


def test_policy_reported_by_two_articles_is_one_item_with_two_sources(api_client):
    policy = api_client.get("/company/amazon/policies").json()["items"][0]
    assert [s["document"] for s in policy["sources"]] == ["doc_a", "doc_c"]


def test_policy_source_quote_is_the_span_of_the_article_text(api_client, api_store):
    source = api_client.get("/company/amazon/policies").json()["items"][0]["sources"][0]
    text = api_store.select(
        # The text stays in the article's graph (the consolidated default graph leaves it out).
        "SELECT ?text WHERE { GRAPH ?g { <https://w3id.org/vigie/id/document/doc_a> vg:text ?text } }")[0]["text"].value
    assert text[source["start"]:source["end"]] == source["quote"]
    assert source["title"] == "Amazon suspend Rekognition" and source["date"] == "2020-06-10"


def test_policy_condition_is_the_text_as_written(api_client):
    policy = api_client.get("/company/microsoft").json()["items"][0]
    assert policy["condition"] == "tant qu'il n'y aura pas de loi"


def test_policy_without_restricted_users_has_an_empty_list(api_client):
    policy = api_client.get("/company/ibm").json()["items"][0]
    assert policy["restricted_users"] == [] and policy["exceptions"] == []


def test_company_that_no_article_mentions_is_404(api_client):
    response = api_client.get("/company/nec")
    assert response.status_code == 404 and response.json() == {"detail": "no company 'nec'"}


def test_unknown_company_is_404_with_detail(api_client):
    response = api_client.get("/company/xyz")
    assert response.status_code == 404
    assert response.json() == {"detail": "no company 'xyz'"}


# ---------------------------------------------------------------- policies


def test_policies_lists_every_policy_sorted_by_company(api_client):
    body = api_client.get("/policies").json()
    assert [p["id"] for p in body["items"]] == [AMAZON_POLICY, IBM_POLICY, MICROSOFT_POLICY]
    assert body["total"] == 3


def test_policies_filter_by_type(api_client):
    body = api_client.get("/policies", params={"type": "withdrawal"}).json()
    assert [p["id"] for p in body["items"]] == [IBM_POLICY]


def test_policies_filter_by_company_is_case_insensitive(api_client):
    body = api_client.get("/policies", params={"company": "MICROSOFT"}).json()
    assert [p["id"] for p in body["items"]] == [MICROSOFT_POLICY]


def test_policies_filter_by_restricted_user(api_client):
    body = api_client.get("/policies", params={"restricted_user": "law-enforcement"}).json()
    assert [p["id"] for p in body["items"]] == [AMAZON_POLICY, MICROSOFT_POLICY]


def test_policies_filters_combine(api_client):
    params = {"restricted_user": "law-enforcement", "type": "moratorium", "company": "amazon"}
    assert [p["id"] for p in api_client.get("/policies", params=params).json()["items"]] == [AMAZON_POLICY]


def test_policies_filter_by_unknown_company_is_an_empty_list(api_client):
    assert api_client.get("/policies", params={"company": "nobody"}).json() == {
        "items": [], "total": 0, "limit": 100, "offset": 0}


@pytest.mark.parametrize("params", [{"type": "ban"}, {"restricted_user": "aliens"},
                                    {"company": "amazon' } ; DROP ALL ; #"}, {"type": "<http://x>"}])
def test_policies_refuse_unknown_or_invalid_filter_with_422(api_client, params):
    response = api_client.get("/policies", params=params)
    assert response.status_code == 422 and "detail" in response.json()


def test_policy_by_id(api_client):
    policy = api_client.get(f"/policies/{AMAZON_POLICY}").json()
    assert policy["id"] == AMAZON_POLICY and policy["company"] == "amazon"


def test_policy_exceptions_route_lists_the_exceptions(api_client):
    exceptions = api_client.get(f"/policies/{AMAZON_POLICY.upper()}/exceptions").json()
    assert [e["purpose"] for e in exceptions] == ["human-trafficking"]


def test_unknown_policy_is_404(api_client):
    response = api_client.get("/policies/amazon-ban-everything")
    assert response.status_code == 404 and response.json() == {"detail": "no policy 'amazon-ban-everything'"}


# ---------------------------------------------------------------- advocates, legislatures


def test_advocates_lists_organisations_and_their_speakers(api_client):
    items = api_client.get("/advocates").json()["items"]
    assert {(a["kind"], a["id"]) for a in items} == {
        ("advocate", "aclu"), ("advocate", "thorn"), ("person", "nicole-ozer")}


def test_advocate_has_targets_members_and_statements_with_quotes(api_client):
    body = api_client.get("/advocate/ACLU").json()
    assert [t["id"] for t in body["advocate"]["targets"]] == ["us-congress"]
    assert [m["id"] for m in body["members"]] == ["nicole-ozer"]
    quotes = {s["speaker"]["id"]: s["quote"] for s in body["statements"]}
    assert quotes == {"aclu": "L'ACLU demande au Congrès d'agir.",
                      "nicole-ozer": "« Amazon et Microsoft doivent s'engager »"}


def test_advocate_statement_has_its_source_sentence(api_client):
    statement = next(s for s in api_client.get("/advocate/aclu").json()["statements"] if s["id"] == "doc_a-0")
    assert statement["sources"][0]["document"] == "doc_a"


def test_person_speaking_for_an_advocate_has_role_and_affiliation(api_client):
    body = api_client.get("/advocate/nicole-ozer").json()
    assert body["advocate"]["role"] == "directrice" and body["advocate"]["affiliation"]["id"] == "aclu"
    assert [t["id"] for t in body["statements"][0]["targets"]] == ["amazon", "microsoft"]


def test_company_is_not_an_advocate(api_client):
    assert api_client.get("/advocate/amazon").status_code == 404


def test_legislatures_lists_the_congress(api_client):
    assert [leg["id"] for leg in api_client.get("/legislatures").json()["items"]] == ["us-congress"]


def test_legislature_says_which_policies_wait_for_it(api_client):
    body = api_client.get("/legislature/us-congress").json()
    assert [(p["company"]["id"], p["type"]) for p in body["policies"]] == [
        ("amazon", "moratorium"), ("microsoft", "sales-refusal")]


def test_legislature_says_which_advocates_call_on_it(api_client):
    body = api_client.get("/legislature/US-Congress").json()
    assert [a["id"] for a in body["advocates"]] == ["aclu"]
    assert [s["quote"] for s in body["statements"]] == ["L'ACLU demande au Congrès d'agir."]


def test_unknown_legislature_is_404(api_client):
    assert api_client.get("/legislature/bundestag").json() == {"detail": "no legislature 'bundestag'"}


# ---------------------------------------------------------------- documents


def test_documents_lists_articles_with_metadata(api_client, api_store):
    items = api_client.get("/documents").json()["items"]
    # Newest first: the order the store was written in (the server copy is written graph by graph).
    rows = api_store.select("SELECT ?d ?n WHERE { ?d vg:position ?n }")
    newest = [row["d"].value.rsplit("/", 1)[1] for row in sorted(rows, key=lambda r: -int(r["n"].value))]
    assert [d["id"] for d in items] == newest and sorted(newest) == ["doc_a", "doc_b", "doc_c"]
    doc_a = next(d for d in items if d["id"] == "doc_a")
    assert doc_a["title"] == "Amazon suspend Rekognition" and doc_a["source"] == "Le Monde"


def test_document_lists_the_facts_drawn_from_it(api_client):
    body = api_client.get("/documents/doc_b").json()
    assert body["document"]["title"] == "Microsoft refuse de vendre"
    assert [m["id"] for m in body["mentions"]] == ["aclu", "amazon", "microsoft", "nicole-ozer"]
    assert [(p["id"], p["type"]) for p in body["policies"]] == [(MICROSOFT_POLICY, "sales-refusal")]
    assert body["statements"][0]["speaker"]["id"] == "nicole-ozer"


def test_document_policy_quotes_are_this_articles_sentences(api_client):
    policy = next(p for p in api_client.get("/documents/doc_c").json()["policies"] if p["company"] == "amazon")
    assert [q["quote"] for q in policy["quotes"]] == ["Amazon met en pause Rekognition pour un an."]


def test_unknown_document_is_404(api_client):
    assert api_client.get("/documents/doc_z").json() == {"detail": "no document 'doc_z'"}


# ---------------------------------------------------------------- invalid ids, injections


@pytest.mark.parametrize("route", ENTITY_ROUTES)
@pytest.mark.parametrize("payload", INJECTIONS)
def test_injection_payload_as_id_is_404_not_a_server_error(api_client, route, payload):
    response = api_client.get(route.format(quote(payload, safe="")))
    assert response.status_code in (404, 422)
    assert response.headers["content-type"].startswith("application/json")


def test_injection_attempts_leave_the_graph_unchanged(api_client, api_store):
    before = len(api_store)
    for payload in INJECTIONS:
        api_client.get(f"/company/{payload}")
        api_client.get("/policies", params={"company": payload, "type": payload})
    assert len(api_store) == before


def test_not_found_detail_is_shortened_for_very_long_ids(api_client):
    detail = api_client.get("/company/" + "a" * 5000).json()["detail"]
    assert len(detail) < 120


# ---------------------------------------------------------------- RDF views


@pytest.mark.parametrize("route", ["/company/amazon", "/company/amazon/policies", f"/policies/{AMAZON_POLICY}",
                                   "/advocate/aclu", "/legislature/us-congress", "/documents/doc_a"])
def test_entity_route_answers_turtle_when_asked(api_client, route):
    response = api_client.get(route, headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    triples = list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))
    assert triples


def test_company_turtle_holds_the_company_and_its_policies(api_client):
    body = api_client.get("/company/amazon", headers={"Accept": "text/turtle"}).content
    subjects = {t.subject.value for t in ox.parse(body, format=ox.RdfFormat.TURTLE)}
    assert "https://w3id.org/vigie/id/company/amazon" in subjects
    assert f"https://w3id.org/vigie/id/policy/{AMAZON_POLICY}" in subjects


def test_policy_turtle_holds_its_exception_and_evidence(api_client):
    body = api_client.get(f"/policies/{AMAZON_POLICY}", headers={"Accept": "text/turtle"}).content
    types = {t.object.value for t in ox.parse(body, format=ox.RdfFormat.TURTLE)
             if t.predicate.value.endswith("#type")}
    assert {"https://w3id.org/vigie/ontology#Exception", "https://w3id.org/vigie/ontology#Evidence"} <= types


def test_document_rdf_is_its_named_graph(api_client, api_store):
    body = api_client.get("/documents/doc_b", headers={"Accept": "application/n-triples"}).content
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)}
    graph = ox.NamedNode("https://w3id.org/vigie/id/document/doc_b")
    assert triples == {ox.Triple(q.subject, q.predicate, q.object) for q in api_store.quads(graph)}


@pytest.mark.parametrize("accept,media", [("application/ld+json", "application/ld+json"),
                                          ("application/rdf+xml", "application/rdf+xml"),
                                          ("application/n-triples", "application/n-triples")])
def test_entity_route_answers_other_rdf_formats(api_client, accept, media):
    response = api_client.get("/company/ibm", headers={"Accept": accept})
    assert response.headers["content-type"].startswith(media)
    assert list(ox.parse(response.content, format=ox.RdfFormat.from_media_type(media)))


def test_entity_route_prefers_json_by_default(api_client):
    response = api_client.get("/company/ibm", headers={"Accept": "*/*"})
    assert response.headers["content-type"] == "application/json"


def test_entity_route_follows_q_values(api_client):
    response = api_client.get("/company/ibm", headers={"Accept": "application/json;q=0.5, text/turtle"})
    assert response.headers["content-type"].startswith("text/turtle")


def test_entity_route_refuses_unproducible_format_with_406(api_client):
    response = api_client.get("/company/ibm", headers={"Accept": "text/csv"})
    assert response.status_code == 406 and "detail" in response.json()


def test_unknown_entity_in_turtle_is_still_404(api_client):
    assert api_client.get("/company/xyz", headers={"Accept": "text/turtle"}).status_code == 404


# ---------------------------------------------------------------- named queries


def test_queries_lists_named_queries_with_parameters(api_client):
    items = {q["name"]: q for q in api_client.get("/queries").json()["items"]}
    assert items["policy_facts"]["params"][1] == {
        "name": "company", "type": "company", "required": False,
        "description": "Only the policies of this company (e.g. amazon)"}
    assert items["describe_company"]["form"] == "CONSTRUCT"


def test_named_query_runs_with_a_bound_parameter(api_client):
    body = api_client.get("/queries/companies", params={"company": "IBM"}).json()
    assert {b["company"]["value"] for b in body["results"]["bindings"]} == {"https://w3id.org/vigie/id/company/ibm"}


def test_named_query_answers_csv_when_asked(api_client):
    response = api_client.get("/queries/documents", headers={"Accept": "text/csv"})
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text.splitlines()[0] == "document,identifier,title,date,source,hash,url,site,story"


def test_named_construct_query_answers_turtle(api_client):
    response = api_client.get("/queries/describe_company", params={"company": "ibm"})
    assert response.headers["content-type"].startswith("text/turtle")
    assert list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))


def test_unknown_named_query_is_404(api_client):
    response = api_client.get("/queries/drop_all")
    assert response.status_code == 404 and response.json() == {"detail": "no query 'drop_all'"}


def test_named_query_with_injection_parameter_is_422(api_client):
    response = api_client.get("/queries/companies", params={"company": "ibm' } ; DROP ALL ; #"})
    assert response.status_code == 422


def test_named_query_with_unknown_parameter_is_422(api_client):
    assert api_client.get("/queries/companies", params={"colour": "red"}).status_code == 422


def test_named_query_missing_required_parameter_is_422(api_client):
    response = api_client.get("/queries/describe_company")
    assert response.status_code == 422 and response.json() == {"detail": "missing parameter 'company'"}


def test_named_query_with_repeated_parameter_is_422(api_client):
    assert api_client.get("/queries/companies?company=ibm&company=amazon").status_code == 422


# ---------------------------------------------------------------- export, docs


@pytest.mark.parametrize("name,media,extension", [
    ("turtle", "text/turtle", "ttl"), ("trig", "application/trig", "trig"),
    ("nquads", "application/n-quads", "nq"), ("ntriples", "application/n-triples", "nt"),
    ("jsonld", "application/ld+json", "jsonld"),
])
def test_export_streams_the_graph_in_each_format(api_client, name, media, extension):
    response = api_client.get("/export", params={"format": name})
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    assert response.headers["content-disposition"] == f'attachment; filename="vigie.{extension}"'
    assert list(ox.parse(response.content, format=ox.RdfFormat.from_media_type(media)))


def test_export_in_trig_keeps_one_graph_per_article(api_client):
    body = api_client.get("/export", params={"format": "trig"}).content
    graphs = {q.graph_name.value for q in ox.parse(body, format=ox.RdfFormat.TRIG)}
    assert graphs == {f"https://w3id.org/vigie/id/document/doc_{x}" for x in "abc"}


def test_export_refuses_unknown_format_with_422(api_client):
    assert api_client.get("/export", params={"format": "docx"}).status_code == 422


def test_openapi_lists_the_rest_routes(api_client):
    paths = api_client.get("/openapi.json").json()["paths"]
    for path in ("/companies", "/company/{id}", "/company/{id}/policies", "/policies", "/policies/{id}",
                 "/policies/{id}/exceptions", "/advocates", "/advocate/{id}", "/legislatures",
                 "/legislature/{id}", "/documents", "/documents/{id}", "/queries", "/queries/{name}",
                 "/sparql", "/export"):
        assert path in paths


def test_openapi_documents_the_policy_shape(api_client):
    schemas = api_client.get("/openapi.json").json()["components"]["schemas"]
    assert {"type", "technology", "restricted_users", "exceptions", "sources"} <= set(schemas["Policy"]["properties"])


def test_docs_page_renders(api_client):
    response = api_client.get("/docs")
    assert response.status_code == 200 and "swagger" in response.text.lower()
