"""Actor mentions: gazetteer names and aliases, NER candidates, definite descriptions."""

from __future__ import annotations


def refs(extraction, kind=None):
    return {a.ref.key for a in extraction.actors if kind is None or a.ref.kind == kind}


def test_gazetteer_alias_links_to_the_company(extract_text):
    assert "ibm" in refs(extract_text("Big Blue a présenté ses résultats."), "company")


def test_description_alias_links_to_the_company(extract_text):
    assert "amazon" in refs(extract_text("La firme de Jeff Bezos a publié un communiqué."), "company")


def test_known_company_carries_wikidata_and_aliases(extract_text):
    amazon = next(a for a in extract_text("AWS a publié un communiqué.").actors if a.ref.key == "amazon")
    assert amazon.wikidata == "Q3884" and amazon.known
    assert "AWS" in amazon.aliases


def test_french_name_of_an_advocate_links_to_it(extract_text):
    ex = extract_text("L’Union américaine pour les libertés civiles a publié un rapport.")
    assert "aclu" in refs(ex, "advocate")


def test_lower_case_common_word_is_not_a_product(extract_text):
    assert "ring" not in refs(extract_text("Le téléphone a sonné, un ring puis deux."))


def test_capitalised_product_is_a_product_not_a_company(extract_text):
    ex = extract_text("Amazon vend aussi Ring, ses sonnettes connectées.")
    assert "ring" in refs(ex, "product") and "ring" not in refs(ex, "company")


def test_fbi_and_police_are_not_companies(extract_text):
    ex = extract_text("Le FBI et la police de Minneapolis ont ouvert une enquête.")
    assert refs(ex, "company") == set()


def test_person_without_a_role_is_not_an_actor(extract_text):
    ex = extract_text("Depuis la mort de George Floyd, les manifestations se multiplient.")
    assert "george-floyd" not in refs(ex)


def test_definite_description_resolves_to_the_last_company(extract_text):
    text = ("Microsoft publie un rapport. Google aussi. La société a décidé de suspendre la vente de sa "
            "reconnaissance faciale.")
    assert [p.company for p in extract_text(text).policies] == ["google"]


def test_plural_description_resolves_to_the_last_two_companies(extract_text):
    text = ("Microsoft et Amazon réagissent. Les deux firmes ont suspendu la vente de leur reconnaissance "
            "faciale à la police.")
    assert {p.company for p in extract_text(text).policies} == {"microsoft", "amazon"}


def test_description_skips_names_inside_quotes(extract_text):
    text = ("Amazon a publié un billet. « Nous continuerons à travailler avec Thorn et Marinus Analytics », "
            "a déclaré la société.")
    from extractors.context import ArticleContext

    del ArticleContext  # the resolution is visible on the speaker's policies; here: no policy, no crash
    ex = extract_text(text)
    assert "amazon" in refs(ex, "company")


def test_description_before_a_name_is_an_apposition(extract_text):
    text = "La société IBM a décidé de se retirer du marché de la reconnaissance faciale."
    assert [p.company for p in extract_text(text).policies] == ["ibm"]


def test_unknown_organisation_deciding_a_policy_is_a_company(extract_text):
    text = "La start-up Kairos a annoncé qu'elle cessait de vendre sa reconnaissance faciale à la police."
    ex = extract_text(text)
    assert [p.company for p in ex.policies] == ["kairos"]
    assert "kairos" in refs(ex, "company")


def test_unknown_organisation_without_a_role_is_not_emitted(extract_text):
    ex = extract_text("Selon l'agence Reuters, la décision est attendue.")
    assert refs(ex) == set()


def test_extra_aliases_extend_the_gazetteer():
    from extractors.documents import document_from_text
    from extractors.lexicons import load_lexicons
    from extractors.pipeline import Extractor, load_nlp

    extractor = Extractor(load_nlp(), extra_aliases=[("company", "amazon", "le géant de la vente en ligne")])
    try:
        ex = extractor.extract_one(document_from_text(" date 2020-06 Le géant de la vente en ligne réagit.", "a"))
        assert "amazon" in refs(ex, "company")
    finally:
        entry = load_lexicons().entries[("company", "amazon")]
        entry.aliases.remove("le géant de la vente en ligne")
        load_nlp().replace_pipe("vigie_gazetteer", "vigie_gazetteer")
        load_nlp().replace_pipe("vigie_anaphora", "vigie_anaphora")


def test_name_after_a_role_is_an_organisation(extract_text):
    text = ("Brian Brackeen, le PDG de Kairos, explique que sa société refusera toujours de vendre ses "
            "logiciels de reconnaissance faciale à la police.")
    ex = extract_text(text)
    assert [p.company for p in ex.policies] == ["kairos"]
    assert actor_of(ex, "brian-brackeen").affiliation.key == "kairos"


def test_description_by_place_of_a_known_company(extract_text):
    ex = extract_text("Le groupe de Redmond plaide pour une régulation de la reconnaissance faciale.")
    assert refs(ex, "advocate") == set()
    text = "Le groupe de Redmond a suspendu la vente de sa reconnaissance faciale."
    assert [p.company for p in extract_text(text).policies] == ["microsoft"]


def test_hyphenated_compound_does_not_split_the_sentence(extract_text):
    text = ("Microsoft a refusé d'équiper les caméras-piétons d'une agence de police avec sa reconnaissance "
            "faciale.")
    assert extract_text(text).policies[0].restricted_users == ["law-enforcement"]


def actor_of(extraction, key):
    return next(a for a in extraction.actors if a.ref.key == key)


def test_unknown_name_described_as_a_company_is_a_company(extract_text):
    ex = extract_text("La start-up Paravision travaille avec des aéroports.")
    assert refs(ex, "company") == {"paravision"}


def test_apposition_after_the_name_describes_a_company(extract_text):
    ex = extract_text("Clearview AI, une start-up new-yorkaise, a aspiré des milliards de photos.")
    assert refs(ex, "company") == {"clearview-ai"}


def test_newspaper_named_as_source_is_not_a_company(extract_text):
    assert refs(extract_text("Selon le New York Times, la décision est attendue.")) == set()


def test_role_before_the_name_wins_over_a_verb_read_as_a_role(extract_text):
    ex = extract_text("Le PDG de Kairos, Brian Brackeen, critique Amazon.")
    assert actor_of(ex, "brian-brackeen").affiliation.key == "kairos"


def test_maker_of_a_mentioned_product_is_mentioned(extract_text):
    ex = extract_text("La police d'Orlando utilise Amazon Rekognition.")
    amazon = actor_of(ex, "amazon")
    assert amazon.ref.kind == "company" and amazon.evidence
    assert "Amazon Rekognition" not in amazon.aliases


def test_company_noun_with_adjective_and_complement_names_the_company(extract_text):
    text = ("Le fabricant chinois de drones DJI a annoncé qu'il suspendait ses ventes de drones en Russie. "
            "DJI suspend aussi ses activités en Ukraine.")
    ex = extract_text(text)
    assert {a.ref.key for a in ex.actors if a.ref.kind == "company"} == {"dji"}
    assert [(p.company, p.type) for p in ex.policies] == [("dji", "moratorium")]


def test_company_noun_before_a_place_complement_is_not_a_name(extract_text):
    ex = extract_text("Le fabricant de Shenzhen a suspendu ses ventes de drones.")
    assert not [a for a in ex.actors if a.ref.kind == "company"]


def test_chain_noun_with_complement_and_adjective_names_the_company(extract_text):
    text = ("La chaîne de pharmacies américaine Rite Aid a accepté de cesser d'utiliser la reconnaissance faciale "
            "pendant cinq ans.")
    p = next(p for p in extract_text(text, date="2023-12").policies)
    assert (p.company, p.type, p.duration) == ("rite-aid", "moratorium", "P5Y")


def test_names_listed_after_a_plural_company_noun_are_companies(extract_text):
    text = "Les sociétés Cobwebs et Cognyte ont cessé de vendre leurs logiciels espions aux gouvernements."
    assert {p.company for p in extract_text(text).policies} == {"cobwebs", "cognyte"}


def test_names_given_as_examples_of_companies_are_companies(extract_text):
    text = "Des entreprises françaises comme Wintics ou Videtics refusent de vendre la reconnaissance faciale."
    assert {p.company for p in extract_text(text).policies} == {"wintics", "videtics"}


def test_known_name_after_a_description_is_not_replaced_by_its_adjective(extract_text):
    ex = extract_text("La société macédonienne Cytrox a cessé de vendre son logiciel espion.")
    assert {a.ref.key for a in ex.actors if a.ref.kind == "company"} == {"cytrox"}


def test_la_societe_is_the_previous_sentence_s_subject_not_its_last_name(extract_text):
    text = ("Microsoft a signé un accord de cloud avec Amazon. La société a suspendu la vente de la reconnaissance "
            "faciale à la police.")
    assert [p.company for p in extract_text(text).policies] == ["microsoft"]


def test_la_societe_is_the_last_company_when_the_previous_sentence_names_one(extract_text):
    text = "Amazon est critiqué par l'ACLU. La société a suspendu la vente de la reconnaissance faciale à la police."
    assert [p.company for p in extract_text(text).policies] == ["amazon"]


def _companies(ex) -> set[str]:
    return {a.ref.key for a in ex.actors if a.ref.kind == "company"}


def test_lower_case_demonym_before_a_name_makes_it_a_company(extract_text):
    ex = extract_text("Le suédois Norrvik a cessé de vendre ses drones aux armées.")
    assert _companies(ex) == {"norrvik"}
    assert [p.company for p in ex.policies] == ["norrvik"]


def test_capitalised_nationality_before_a_name_is_a_person_not_a_company(extract_text):
    ex = extract_text("Le Suédois Lars Berg a dénoncé la vente de drones aux armées.")
    assert not _companies(ex)


def test_political_adjective_or_newspaper_noun_before_a_name_is_not_a_company(extract_text):
    ex = extract_text("Selon le quotidien Svenska Posten, le républicain Ted Cruz a dénoncé la vente de drones.")
    assert not _companies(ex)


def test_company_noun_with_several_complements_names_the_company(extract_text):
    text = ("Le fournisseur suisse d'hébergement en nuage Alpenwolk refuse de fournir des services de cloud "
            "aux armées.")
    ex = extract_text(text)
    assert _companies(ex) == {"alpenwolk"}
    assert [(p.company, p.type) for p in ex.policies] == [("alpenwolk", "sales-refusal")]


def test_group_of_defence_of_rights_is_not_a_company(extract_text):
    ex = extract_text("Le groupe de défense des droits numériques Bitfreiheit a dénoncé la vente de logiciels espions.")
    assert not _companies(ex)


def test_first_word_of_a_described_name_is_the_same_company(extract_text):
    text = ("Le fabricant danois de caméras Lindqvist Optics a suspendu ses ventes de reconnaissance faciale à la "
            "police. Lindqvist a aussi cessé de vendre ses drones.")
    ex = extract_text(text)
    assert _companies(ex) == {"lindqvist-optics"}
    assert {p.company for p in ex.policies} == {"lindqvist-optics"}


def test_ranked_description_resolves_to_the_described_company(extract_text):
    text = ("La société Telvio est critiquée par ses abonnés. Le deuxième opérateur mobile suisse a annoncé qu'il "
            "cesserait de vendre les données de géolocalisation de ses abonnés.")
    assert [p.company for p in extract_text(text).policies] == ["telvio"]


def test_founder_of_a_name_makes_it_a_company_everywhere_in_the_article(extract_text):
    text = ("Les étudiants filmés par Examly seront rassurés. L'éditeur nantais de logiciels a retiré son module "
            "de reconnaissance des émotions, a indiqué Jean Morel, le fondateur d'Examly.")
    ex = extract_text(text)
    assert _companies(ex) == {"examly"}
    assert [p.company for p in ex.policies] == ["examly"]


def test_described_company_that_asks_for_a_law_is_not_an_advocate(extract_text):
    ex = extract_text("La start-up Dravo a demandé au gouvernement de légiférer sur la reconnaissance faciale.")
    assert _companies(ex) == {"dravo"}
    assert not [a for a in ex.actors if a.ref.kind == "advocate"]


def test_spokesman_of_the_collective_is_affiliated_to_it_not_to_the_company(extract_text):
    text = ("La société Harfang a suspendu la vente de drones aux armées. Le collectif Stop Drones salue la "
            "décision. Jean Dupont, porte-parole du collectif, demande plus.")
    people = {a.ref.key: a for a in extract_text(text).actors}
    assert people["jean-dupont"].affiliation.key == "stop-drones"


def test_known_description_introducing_another_name_is_that_name(extract_text):
    text = ("Le réseau social suédois Flimr durcit ses règles. La plateforme a annoncé qu'elle restreignait l'usage "
            "de l'IA générative.")
    ex = extract_text(text)
    assert _companies(ex) == {"flimr"}
    assert [p.company for p in ex.policies] == ["flimr"]


def test_name_before_a_company_apposition_is_a_company_even_unseen_by_the_ner(extract_text):
    text = ("Kavlo, une start-up de Rennes qui vend aux communes un logiciel, a annoncé jeudi que la reconnaissance "
            "faciale serait désactivée par défaut.")
    assert [(p.company, p.type) for p in extract_text(text).policies] == [("kavlo", "restriction")]


def test_unknown_subject_then_a_company_description_is_a_company(extract_text):
    text = ("Zorvex a choisi de fermer ses serveurs de reconnaissance faciale en Inde. L'entreprise, qui emploie "
            "200 personnes, a indiqué qu'elle ne reviendrait pas.")
    assert "zorvex" in refs(extract_text(text), "company")


def test_product_named_before_a_company_description_is_no_company(extract_text):
    text = ("Microsoft présente Lumio, son outil de reconnaissance faciale. Lumio ne disparaît pas. Le groupe "
            "décidera ensuite.")
    assert "lumio" not in refs(extract_text(text), "company")


def test_technology_acronym_read_as_an_organisation_is_no_actor(extract_text):
    extraction = extract_text("Des fournisseurs de VPN retirent leurs serveurs d'Inde.")
    assert "vpn" not in refs(extraction)


def test_pme_introduces_a_company(extract_text):
    text = "Vexilo, une PME lyonnaise, ne vendra plus ses lecteurs biométriques aux lycées."
    assert "vexilo" in refs(extract_text(text), "company")
