"""Issue 16: a policy's life as dated events — read in short sentences, kept across articles and ingest runs,
and answered by the REST routes and the named queries (what was in force on a given day)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from api.lifecycle import Step, earliest, in_force, periods, status
from extractors.dates import add_duration

HISTORY = Path(__file__).resolve().parent / "corpus_history"


def events_of(extraction, company: str | None = None) -> list[tuple]:
    return sorted((p.company, p.type, p.technology, e.type, e.date)
                  for p in [*extraction.policies, *extraction.history] for e in p.events
                  if e.type != "announced" and (company is None or p.company == company))


# ------------------------------------------------------------ extraction: short sentences


@pytest.mark.parametrize(("text", "date", "expected"), [
    ("Amazon a prolongé son moratoire sur la reconnaissance faciale jusqu'à nouvel ordre.", "2021-05-18",
     ("amazon", "moratorium", "facial-recognition", "extended", None)),
    ("IBM a levé le 3 mars son moratoire sur la reconnaissance faciale.", "2021-06",
     ("ibm", "moratorium", "facial-recognition", "lifted", "2021-03-03")),
    ("Amazon a mis fin l'an dernier à son moratoire sur la reconnaissance faciale.", "2021-05",
     ("amazon", "moratorium", "facial-recognition", "lifted", "2020")),
    ("Il y a un an, Amazon a reconduit son moratoire sur la reconnaissance faciale.", "2021-05-18",
     ("amazon", "moratorium", "facial-recognition", "extended", "2020-05-18")),
    ("Amazon a rétabli en juin dernier son moratoire sur la reconnaissance faciale.", "2021-06-20",
     ("amazon", "moratorium", "facial-recognition", "reinstated", "2020-06")),
    ("Microsoft a élargi le 2 février son moratoire sur la reconnaissance faciale à l'armée.", "2021-03",
     ("microsoft", "moratorium", "facial-recognition", "widened", "2021-02-02")),
    ("La suspension de la reconnaissance faciale par Amazon est reconduite indéfiniment.", "2021-05",
     ("amazon", "moratorium", "facial-recognition", "extended", None)),
])
def test_event_phrasings(extract_text, text, date, expected):
    assert expected in events_of(extract_text(text, date=date))


@pytest.mark.parametrize("text", [
    "Amazon a prolongé son contrat avec la police de Seattle pour la reconnaissance faciale.",
    "Amazon n'a pas prolongé son moratoire sur la reconnaissance faciale.",
    "L'ACLU demande à Amazon de lever son moratoire sur la reconnaissance faciale.",
    "Le moratoire d'Amazon sur la reconnaissance faciale doit prendre fin en juin.",
    "Amazon a étendu son réseau de centres de données en Europe.",
    "Amazon va-t-il lever son moratoire sur la reconnaissance faciale ?",
])
def test_near_misses_are_no_policy_events(extract_text, text):
    assert events_of(extract_text(text, date="2021-05-18")) == []


def test_extension_sets_its_end_and_duration(extract_text):
    extraction = extract_text("Ursus Robotics a annoncé mercredi 24 septembre qu'elle prolongeait d'un an, jusqu'en "
                              "octobre 2026, le moratoire sur la vente de ses drones à la police.", date="2025-09-24")
    [event] = [e for p in [*extraction.policies, *extraction.history] for e in p.events if e.type == "extended"]
    assert (event.date, event.until, event.duration, event.open_ended) == ("2025-09-24", "2026-10", "P1Y", False)


def test_open_end_is_read(extract_text):
    extraction = extract_text("Amazon a prolongé mardi 18 mai son moratoire sur la reconnaissance faciale, jusqu'à "
                              "nouvel ordre.", date="2021-05-18")
    [event] = [e for p in [*extraction.policies, *extraction.history] for e in p.events if e.type == "extended"]
    assert event.open_ended and event.until is None and event.date == "2021-05-18"


def test_an_extension_is_not_a_new_policy(extract_text):
    extraction = extract_text("Amazon avait suspendu en juin 2020 la vente de son logiciel de reconnaissance faciale "
                              "à la police. Mardi 18 mai, Amazon a prolongé son interdiction de vendre la "
                              "reconnaissance faciale à la police.", date="2021-05-18")
    assert {(p.company, p.type) for p in extraction.policies} == {("amazon", "moratorium")}
    assert ("amazon", "moratorium", "facial-recognition", "extended", "2021-05-18") in events_of(extraction)


def test_a_lifting_alone_is_an_event_of_the_existing_policy_not_a_new_one(extract_text):
    extraction = extract_text("Google a levé le 3 mars son moratoire sur la reconnaissance faciale.", date="2021-06")
    assert extraction.policies == []
    [policy] = extraction.history
    assert (policy.company, policy.type, [(e.type, e.date) for e in policy.events]) == (
        "google", "moratorium", [("lifted", "2021-03-03")])


def test_the_extension_date_is_not_the_announcement(extract_text):
    extraction = extract_text("Amazon a reconduit mardi 18 mai son moratoire sur la reconnaissance faciale.",
                              date="2021-05-18")
    [policy] = extraction.policies
    assert policy.announced is None and [e.type for e in policy.events] == ["extended"]


# ------------------------------------------------------------ validity (api/lifecycle.py)


def test_validity_from_events():
    steps = [Step("announced", "2020-06-10", add_duration("2020-06-10", "P1Y")),
             Step("extended", "2021-05-18", None)]
    assert not in_force(steps, "2020-01-01") and in_force(steps, "2021-01-01") and in_force(steps, "2030-01-01")
    assert periods(steps) == [("2020-06-10", None)]
    lapsed = [Step("announced", "2020-06-10", "2021-06-10")]
    assert periods(lapsed) == [("2020-06-10", "2021-06-10")] and status(periods(lapsed), "2022-01-01") == "ended"
    lifted = [*steps, Step("lifted", "2023-02-01"), Step("reinstated", "2024-01-01")]
    assert periods(lifted) == [("2020-06-10", "2023-02-01"), ("2024-01-01", None)]
    assert not in_force(lifted, "2023-06-01") and in_force(lifted, "2024-06-01")
    assert status([], "2024-01-01") == "unknown"


def test_the_earliest_announcement_is_the_precise_date_a_month_stands_for():
    assert earliest(["2022-06", "2022-06-17"]) == "2022-06-17"
    assert earliest(["2022-05", "2022-06-17"]) == "2022-05"
    assert earliest(["2022", "2022-06"]) == "2022-06"
    assert earliest([]) is None


def test_rest_reads_the_precise_announcement_over_another_article_s_month(tmp_path, extractor):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings
    from vigie.ingest import ingest_paths
    from vigie.store import Store

    undated = tmp_path / "a_lead.txt"
    undated.write_text("Australie : The Good Guys appuie sur pause\nPublié le 20 juin 2022\nLa chaîne The Good Guys "
                       "a annoncé qu'elle suspendait son essai de reconnaissance faciale.\n", encoding="utf-8")
    dated = tmp_path / "b_dated.txt"
    dated.write_text("Reconnaissance faciale en magasin\nPublié le 25 juin 2022\nLe 17 juin 2022, la chaîne The Good "
                     "Guys a suspendu son essai de reconnaissance faciale.\n", encoding="utf-8")
    store = Store(tmp_path / "store")
    store.load_schema()
    assert ingest_paths(store, [undated, dated], extractor).ok
    with TestClient(create_app(store, Settings())) as client:
        response = client.get("/company/the-good-guys/policies")
    assert response.status_code == 200, response.text
    assert [p["announced"] for p in response.json()["items"]] == ["2022-06-17"]


# ------------------------------------------------------------ store and API: pairs of articles, separate ingests


@pytest.fixture(scope="module")
def history_store(tmp_path_factory, extractor):
    """The history corpus, each article ingested on its own (separate `vigie ingest` runs)."""
    from vigie.ingest import ingest_paths
    from vigie.store import Store

    store = Store(tmp_path_factory.mktemp("history") / "store")
    store.load_schema()
    for path in sorted(HISTORY.glob("*.txt")):
        assert ingest_paths(store, [path], extractor).ok
    return store


@pytest.fixture(scope="module")
def history_client(history_store):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings

    with TestClient(create_app(history_store, Settings())) as client:
        yield client


def _history(client, policy: str) -> dict:
    response = client.get(f"/policies/{policy}/history")
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(("policy", "events"), [
    ("amazon-moratorium-facial-recognition", [("announced", "2020-06-10"), ("extended", "2021-05-18")]),
    ("microsoft-moratorium-emotion-recognition", [("announced", "2022-06-21"), ("lifted", "2024-03-05")]),
    ("ibm-moratorium-predictive-policing", [("announced", "2021-03-15"), ("extended", "2022-03")]),
])
def test_an_announcement_and_a_later_article_give_one_policy_with_two_events(history_client, policy, events):
    body = _history(history_client, policy)
    assert [(e["type"], e["date"]) for e in body["events"]] == events
    assert all(e["sources"] and e["sources"][0]["quote"] for e in body["events"])
    company = policy.split("-")[0]
    assert [p["id"] for p in history_client.get(f"/company/{company}/policies").json()["items"]] == [policy]


@pytest.mark.parametrize(("day", "expected"), [
    ("2020-01-01", set()),
    ("2021-01-01", {"amazon-moratorium-facial-recognition"}),
    ("2021-06-01", {"amazon-moratorium-facial-recognition", "ibm-moratorium-predictive-policing"}),
    ("2023-01-01", {"amazon-moratorium-facial-recognition", "ibm-moratorium-predictive-policing",
                    "microsoft-moratorium-emotion-recognition"}),
    ("2023-06-01", {"amazon-moratorium-facial-recognition", "microsoft-moratorium-emotion-recognition"}),
    ("2024-04-01", {"amazon-moratorium-facial-recognition"}),
])
def test_in_force_on_a_day(history_client, history_store, day, expected):
    listed = history_client.get("/policies", params={"in_force": day}).json()
    assert {p["id"] for p in listed["items"]} == expected and listed["total"] == len(expected)
    for company in ("amazon", "microsoft", "ibm"):
        items = history_client.get(f"/company/{company}/policies", params={"at": day}).json()["items"]
        assert {p["id"] for p in items} == {e for e in expected if e.startswith(company)}
    # the named query answers the same from SPARQL
    from queries import registry

    query = registry()["policies_in_force"]
    at = ox.Literal(day, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    rows = history_store.select(query.text_for({"at": at}), bindings={"at": at})
    assert {row["policy"].value.rsplit("/", 1)[1] for row in rows} == expected


def test_status_and_interval(history_client):
    policies = {p["id"]: p for p in history_client.get("/policies").json()["items"]}
    amazon = policies["amazon-moratorium-facial-recognition"]
    assert (amazon["status"], amazon["valid_from"], amazon["valid_until"]) == ("in force", "2020-06-10", None)
    microsoft = policies["microsoft-moratorium-emotion-recognition"]
    assert (microsoft["status"], microsoft["valid_from"], microsoft["valid_until"]) == (
        "ended", "2022-06-21", "2024-03-05")  # lifted before its two years were over
    ibm = policies["ibm-moratorium-predictive-policing"]
    assert (ibm["status"], ibm["valid_until"]) == ("ended", "2023-03-01")


@pytest.mark.parametrize("bad", ["2021-13-01", "2021-02-30", "yesterday", "2021-01-01'}", "2021-1-1"])
def test_days_are_checked(history_client, bad):
    assert history_client.get("/policies", params={"in_force": bad}).status_code == 422
    assert history_client.get("/company/amazon/policies", params={"at": bad}).status_code == 422


def test_unknown_policy_history_is_404(history_client):
    assert history_client.get("/policies/nobody-moratorium-facial-recognition/history").status_code == 404


def test_reingesting_changes_nothing(history_store, extractor):
    """Each article extracted again and its graph replaced (what a re-ingest of a changed file does): the
    same event IRIs, the same consolidated graph."""
    from extractors.documents import read_document
    from extractors.rdf import document_iri, extraction_to_quads

    before = sorted(map(str, history_store.quads()))
    for path in sorted(HISTORY.glob("*.txt")):
        extraction = extractor.extract_one(read_document(path))
        history_store.replace_graphs({document_iri(extraction.document.id): extraction_to_quads(extraction)})
    assert sorted(map(str, history_store.quads())) == before


def test_events_conform_to_the_shapes(history_store):
    from vigie.validation import validate_store

    report = validate_store(history_store)
    assert report.conforms, report.summary()


# ------------------------------------------------------------ web pages: each policy's life as a bar


def test_company_page_shows_the_life_of_its_policy(history_client):
    page = history_client.get("/ui/company/microsoft").text
    assert 'class="life-track"' in page and "life-mark life-lifted" in page and "life-mark life-announced" in page
    assert "terminée" in page and "5 mars 2024" in page
    assert "Microsoft a levé mardi 5 mars son moratoire" in page  # the event's quote


def test_timeline_shows_every_policy_life(history_client):
    page = history_client.get("/ui/timeline").text
    assert page.count('class="life-track"') == 3 and "life-mark life-extended" in page and "en vigueur" in page


def test_named_queries_answer_from_the_queries_route(history_client):
    body = history_client.get("/queries/policies_in_force", params={"at": "2024-04-01"},
                              headers={"Accept": "application/sparql-results+json"}).json()
    assert [b["policy"]["value"].rsplit("/", 1)[1] for b in body["results"]["bindings"]] == [
        "amazon-moratorium-facial-recognition"]
    assert history_client.get("/queries/policies_in_force", params={"at": "2024-04-01'} ?x"}).status_code == 422
    history = history_client.get("/queries/policy_history", params={"policy": "amazon-moratorium-facial-recognition"},
                                 headers={"Accept": "application/sparql-results+json"}).json()
    assert {b["type"]["value"] for b in history["results"]["bindings"]} == {"announced", "extended"}


def test_an_article_page_shows_its_events_as_facts_of_the_policy(history_client):
    page = history_client.get("/ui/document/04_microsoft_leve").text
    assert page.count("levée (2024-03-05)") >= 1


@pytest.mark.parametrize(("text", "expected"), [
    ("Amazon a maintenu son moratoire sur la reconnaissance faciale jusqu'en 2025.", ("extended", None, "2025")),
    ("Amazon a prolongé en mai son moratoire sur la reconnaissance faciale jusqu'en octobre 2026.",
     ("extended", "2021-05", "2026-10")),
    ("IBM est revenu le 4 mai sur son retrait du marché de la reconnaissance faciale.",
     ("lifted", "2021-05-04", None)),
    ("Microsoft a assoupli en mars son interdiction de vendre la reconnaissance faciale à la police.",
     ("narrowed", "2021-03", None)),
])
def test_more_phrasings(extract_text, text, expected):
    extraction = extract_text(text, date="2021-06-15")
    assert expected in [(e.type, e.date, e.until) for p in [*extraction.policies, *extraction.history]
                        for e in p.events]
