"""Issue 13, batch 10: unknown companies found by the part they play (weak cues that add up), and national
chambers named by a country's adjective. Invented names, not those of any test batch."""

from __future__ import annotations


def refs(extraction, kind=None):
    return {a.ref.key for a in extraction.actors if kind is None or a.ref.kind == kind}


def test_clients_of_and_chez_make_a_company(extract_text):
    ex = extract_text("Les clients de Brovanel ne pourront plus utiliser la reconnaissance faciale. Chez Brovanel, "
                      "on assure que la décision est définitive.")
    assert "brovanel" in refs(ex, "company")


def test_apposition_with_an_occupation_makes_a_company(extract_text):
    ex = extract_text("Selon nos informations, Quertiva, spécialiste danois de la vidéosurveillance, a annoncé mardi "
                      "qu'il cessait de vendre la reconnaissance faciale à la police.")
    assert "quertiva" in refs(ex, "company")
    assert any(p.company == "quertiva" for p in ex.policies)


def test_introduced_after_a_description_makes_a_company(extract_text):
    ex = extract_text("La police avait fait appel à un laboratoire texan, Morvique, pour analyser les images. "
                      "Le laboratoire n'a pas répondu.")
    assert "morvique" in refs(ex, "company")


def test_company_name_ending_with_one_cue_makes_a_company(extract_text):
    ex = extract_text("Selon Pellaro Technologies, la reconnaissance faciale reste utile. Chez Pellaro Technologies, "
                      "les ingénieurs sont partagés.")
    assert "pellaro-technologies" in refs(ex, "company")


def test_one_weak_cue_is_not_enough(extract_text):
    ex = extract_text("Le salon s'est tenu chez Dravenne, près de la gare. La reconnaissance faciale y était exposée.")
    assert "dravenne" not in refs(ex, "company")


def test_a_place_is_no_company(extract_text):
    ex = extract_text("La firme de Ternavik emploie 40 personnes. Les clients de la firme, installée à Ternavik, "
                      "utilisent la reconnaissance faciale.")
    assert "ternavik" not in refs(ex, "company")


def test_an_acronym_qualifying_a_noun_is_no_company(extract_text):
    ex = extract_text("Les clients de la société ont envoyé leur profil ADN. Chez les clients ADN, la base ADN "
                      "est fermée.")
    assert "adn" not in refs(ex, "company")


def test_a_person_after_a_role_is_no_company(extract_text):
    ex = extract_text("Le patron du groupe, Ilario Sventi, a jugé la reconnaissance faciale dangereuse.")
    assert "ilario-sventi" not in refs(ex, "company")


def test_addressee_of_a_demand_is_not_a_place(extract_text):
    ex = extract_text("L'association demande à Corvalia de renoncer à la reconnaissance faciale. Les clients de "
                      "Corvalia sont inquiets.")
    assert "corvalia" in refs(ex, "company")


def test_parliament_named_by_a_country_adjective(extract_text):
    ex = extract_text("Le Parlement éthiopien doit examiner une loi sur la reconnaissance faciale.")
    assert any(a.ref.kind == "legislature" and a.label == "Parlement éthiopien" for a in ex.actors)


def test_cantonal_parliament_by_its_adjective(extract_text):
    ex = extract_text("Des députés du Grand Conseil genevois ont déposé une interpellation.")
    assert any(a.ref.kind == "legislature" and a.label == "Grand Conseil genevois" for a in ex.actors)


def test_federal_council_is_no_legislature(extract_text):
    ex = extract_text("Le Conseil fédéral suisse a répondu aux questions sur la reconnaissance faciale.")
    assert not any(a.ref.kind == "legislature" and "Conseil fédéral" in a.label for a in ex.actors)


def test_known_parliament_keeps_its_key(extract_text):
    ex = extract_text("Le Parlement européen a voté une résolution sur la reconnaissance faciale.")
    assert "european-parliament" in refs(ex, "legislature")
    assert "parlement-europeen" not in refs(ex, "legislature")


def test_national_title_takes_the_article_country(extract_text):
    ex = extract_text("Au Brésil, le Sénat fédéral examine un projet de loi sur la reconnaissance faciale.")
    assert any(a.ref.kind == "legislature" and a.label == "Sénat fédéral" for a in ex.actors)
