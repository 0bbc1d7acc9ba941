"""Policies on short French sentences: decider, type, arguments, negation, demands and hedging."""

from __future__ import annotations

import pytest


def policies(extraction, company=None):
    return [p for p in extraction.policies if company is None or p.company == company]


def one(extraction, company):
    found = policies(extraction, company)
    assert len(found) == 1, [(p.company, p.type) for p in extraction.policies]
    return found[0]


def test_subject_suspending_is_a_moratorium(extract_text):
    p = one(extract_text("IBM a suspendu la vente de son logiciel de reconnaissance faciale."), "ibm")
    assert (p.type, p.technology) == ("moratorium", "facial-recognition")


def test_refusing_to_sell_to_police_is_a_sales_refusal_with_users(extract_text):
    p = one(extract_text("Google refuse de vendre ses outils de reconnaissance faciale à la police."), "google")
    assert p.type == "sales-refusal"
    assert p.restricted_users == ["law-enforcement"]


def test_coordinated_user_groups_are_all_restricted(extract_text):
    p = one(extract_text("Google refuse de vendre la reconnaissance faciale aux forces de l'ordre ou à l'armée."),
            "google")
    assert set(p.restricted_users) == {"law-enforcement", "military"}


def test_duration_makes_a_ban_a_moratorium(extract_text):
    p = one(extract_text("Amazon a annoncé interdire pendant un an à la police d'utiliser sa reconnaissance faciale."),
            "amazon")
    assert (p.type, p.duration) == ("moratorium", "P1Y")


def test_duration_of_a_noun_trigger(extract_text):
    p = one(extract_text("Amazon décrète un moratoire de six mois sur la reconnaissance faciale."), "amazon")
    assert p.duration == "P6M"


def test_withdrawal_for_some_users_only_is_a_sales_refusal(extract_text):
    text = "Microsoft a retiré sa reconnaissance faciale de la commercialisation pour les forces de l'ordre."
    assert one(extract_text(text), "microsoft").type == "sales-refusal"


def test_leaving_the_market_is_a_withdrawal(extract_text):
    p = one(extract_text("Big Blue a décidé de se retirer du marché de la reconnaissance faciale."), "ibm")
    assert (p.type, p.restricted_users) == ("withdrawal", [])


def test_restricting_access_is_a_restriction(extract_text):
    text = "Microsoft va restreindre l'accès à ses outils de reconnaissance faciale."
    assert one(extract_text(text), "microsoft").type == "restriction"


def test_announcement_date_resolved_against_article_date(extract_text):
    p = one(extract_text("Le 10 juin, Amazon a annoncé suspendre la reconnaissance faciale pour la police."), "amazon")
    assert p.announced == "2020-06-10"


def test_hier_with_explicit_day(extract_text):
    text = "Hier 10 juin, Amazon a mis en pause ses services de reconnaissance faciale."
    assert one(extract_text(text), "amazon").announced == "2020-06-10"


def test_weekday_without_full_article_date_gives_no_date(extract_text):
    text = "Ce jeudi, Microsoft a suspendu la vente de reconnaissance faciale."
    assert one(extract_text(text), "microsoft").announced is None


def test_condition_on_federal_law_awaits_us_congress(extract_text):
    text = ("Microsoft ne vendra pas sa reconnaissance faciale à la police tant qu'il n'y aura pas "
            "de législation fédérale.")
    p = one(extract_text(text), "microsoft")
    assert p.awaits_legislature == "us-congress"
    assert p.jurisdiction == "US"
    assert p.condition.startswith("tant qu")


def test_jurisdiction_from_user_group_adjective(extract_text):
    text = "Microsoft refuse de fournir la reconnaissance faciale à la police américaine."
    assert one(extract_text(text), "microsoft").jurisdiction == "US"


def test_product_is_attached(extract_text):
    text = "Amazon suspend l'utilisation de Rekognition par la police."
    p = one(extract_text(text), "amazon")
    assert p.products == ["rekognition"]
    assert p.technology == "facial-recognition"  # the product's article is about it


def test_not_yet_sold_is_not_a_policy(extract_text):
    assert not policies(extract_text(
        "Contrairement à Amazon, Microsoft n'avait pas encore vendu sa reconnaissance faciale à la police."))


def test_negated_decision_is_not_a_policy(extract_text):
    assert not policies(extract_text("Amazon n'a pas suspendu la vente de sa reconnaissance faciale."))


def test_demanded_decision_is_not_a_policy(extract_text):
    text = "L'ACLU a demandé à Amazon de suspendre la vente de sa reconnaissance faciale à la police."
    assert not policies(extract_text(text))


def test_owed_decision_is_not_a_policy(extract_text):
    text = "Amazon doit s'engager à respecter un moratoire sur la reconnaissance faciale."
    assert not policies(extract_text(text))


def test_purpose_clause_is_not_a_policy(extract_text):
    text = "Microsoft a rédigé une proposition de loi afin d'encadrer la reconnaissance faciale."
    assert not policies(extract_text(text))


def test_question_is_not_a_policy(extract_text):
    assert not policies(extract_text("Amazon va-t-il suspendre la reconnaissance faciale ?"))


def test_hedged_decision_has_low_confidence(extract_text):
    p = one(extract_text("Microsoft envisage de suspendre la vente de sa reconnaissance faciale."), "microsoft")
    assert max(ev.confidence for ev in p.evidence) <= 0.5
    assert not p.confirmed


def test_generic_subject_decides_nothing(extract_text):
    text = "Les fabricants de reconnaissance faciale refusent de vendre cette technologie à la police. Amazon aussi."
    assert not policies(extract_text(text))


def test_law_restricting_is_not_a_company_decision(extract_text):
    text = "Amazon attend une législation fédérale encadrant l'usage de la reconnaissance faciale."
    assert not policies(extract_text(text))


def test_relative_clause_decider(extract_text):
    text = "Il rejoint ainsi Google qui, depuis longtemps, refuse de vendre ses logiciels de reconnaissance faciale."
    assert one(extract_text(text), "google").type == "sales-refusal"


def test_reported_pronoun_is_the_reporting_subject(extract_text):
    text = "Meta a annoncé mardi qu'elle allait fermer son système de reconnaissance faciale."
    assert one(extract_text(text), "meta").type == "withdrawal"


def test_first_person_in_quote_is_the_speaking_company(extract_text):
    text = ("« Nous mettons en place un moratoire d'un an sur l'utilisation par la police de notre "
            "reconnaissance faciale », a déclaré Amazon.")
    p = one(extract_text(text), "amazon")
    assert (p.type, p.duration) == ("moratorium", "P1Y")


def test_quote_of_a_spokesperson_speaks_for_the_company(extract_text):
    text = ("Brad Smith, président de Microsoft, a déclaré : « Nous ne vendrons pas notre reconnaissance "
            "faciale à la police. »")
    assert one(extract_text(text), "microsoft").type == "sales-refusal"


def test_definite_description_decides(extract_text):
    text = "IBM critique ses concurrents. La société a décidé de se retirer de la reconnaissance faciale."
    assert one(extract_text(text), "ibm").type == "withdrawal"


def test_collective_statement_is_weak_and_folded_into_individual_decision(extract_text):
    text = ("Amazon, IBM et Microsoft ont annoncé la suspension de leurs activités de reconnaissance faciale. "
            "IBM a décidé de se retirer du marché de la reconnaissance faciale.")
    ibm = one(extract_text(text), "ibm")
    assert ibm.type == "withdrawal"
    assert len(ibm.evidence) == 2


def test_one_policy_per_company_type_and_technology_with_all_evidence(extract_text):
    text = ("Amazon a mis en pause la vente de Rekognition à la police. "
            "Cette pause d'un an de la reconnaissance faciale d'Amazon doit laisser du temps au Congrès.")
    p = one(extract_text(text), "amazon")
    assert p.type == "moratorium" and len(p.evidence) == 2


def test_policy_needs_a_technology(extract_text):
    assert not policies(extract_text("Amazon a suspendu la livraison de colis le dimanche."))


@pytest.mark.parametrize("label", ["interdire temporairement", "cesser de vendre", "se retirer"])
def test_trigger_labels_come_from_the_vocabulary(label):
    from extractors.policies import trigger_labels

    words = {" ".join(t.words) for t in trigger_labels()}
    assert any(w in label for w in words)


def test_evidence_quotes_the_sentence_in_the_original_text(extract_text):
    ex = extract_text("Le 10 juin, Amazon a suspendu la reconnaissance faciale. Autre chose.")
    ev = ex.policies[0].evidence[0]
    assert ex.document.text[ev.start:ev.end] == ev.quote
    assert ev.quote.startswith("Le 10 juin") and ev.extractor == "policies"


def test_no_longer_offering_to_anyone_is_a_withdrawal(extract_text):
    text = "IBM annonce que le groupe n'offrira plus de logiciels de reconnaissance faciale à usage général."
    assert one(extract_text(text), "ibm").type == "withdrawal"


def test_not_offering_what_was_never_sold_is_a_refusal(extract_text):
    text = "Google ne proposera pas d'API de reconnaissance faciale à usage général."
    assert one(extract_text(text), "google").type == "sales-refusal"


def test_no_longer_selling_to_some_users_is_a_refusal(extract_text):
    text = "Clearview AI s'engage à ne plus vendre sa reconnaissance faciale aux entreprises privées."
    p = one(extract_text(text), "clearview-ai")
    assert (p.type, p.restricted_users) == ("sales-refusal", ["private-companies"])


def test_demonstrative_reference_to_the_decision_counts_as_evidence_and_awaits_congress(extract_text):
    text = ("Amazon suspend pendant un an la vente de sa reconnaissance faciale à la police. « Nous espérons que "
            "ce moratoire donnera au Congrès le temps d'adopter des règles », a ajouté Amazon.")
    p = one(extract_text(text), "amazon")
    assert len(p.evidence) == 2 and p.awaits_legislature == "us-congress"


def test_nearest_of_two_subjects_decides(extract_text):
    text = ("Le billet explique que le Congrès semblant prêt à légiférer, l'entreprise de Jeff Bezos mettait "
            "ses services de reconnaissance faciale en pause.")
    assert one(extract_text(text), "amazon").type == "moratorium"


def test_disabled_by_default_is_a_restriction(extract_text):
    text = "Facebook désactive par défaut la reconnaissance faciale pour ses nouveaux utilisateurs."
    assert one(extract_text(text), "meta").type == "restriction"


@pytest.mark.parametrize("text", [
    "Google a levé son moratoire sur la reconnaissance faciale.",
    "Amazon met fin à son moratoire sur la reconnaissance faciale.",
])
def test_ending_a_policy_is_not_a_new_policy(extract_text, text):
    assert not policies(extract_text(text))


def test_ending_sales_is_a_withdrawal(extract_text):
    text = "Microsoft met fin à la vente de ses outils de reconnaissance des émotions."
    p = one(extract_text(text), "microsoft")
    assert (p.type, p.technology) == ("withdrawal", "emotion-recognition")


def test_denied_intention_is_not_a_policy(extract_text):
    text = "Amazon n'a pas l'intention de cesser de vendre sa reconnaissance faciale à la police."
    assert not policies(extract_text(text))


def test_passive_decision_about_a_feature_belongs_to_the_company_in_focus(extract_text):
    text = ("Meta va tester la reconnaissance faciale contre les arnaques. La fonction ne sera pas proposée "
            "dans l'Union européenne.")
    p = one(extract_text(text), "meta")
    assert (p.type, p.jurisdiction) == ("sales-refusal", "EU")


def test_no_longer_selling_said_with_an_auxiliary_is_still_a_decision(extract_text):
    text = "Microsoft ne va plus vendre sa reconnaissance faciale à la police."
    assert one(extract_text(text), "microsoft").type == "sales-refusal"


def test_armed_groups_are_not_the_military(extract_text):
    text = "Google refuse de vendre sa reconnaissance faciale aux groupes armés et à la police."
    assert one(extract_text(text), "google").restricted_users == ["law-enforcement"]


def test_company_announcement_date_dates_a_decision_phrased_elsewhere(extract_text):
    text = ("Facebook désactive par défaut la reconnaissance faciale\n"
            "Le réseau social a annoncé mardi 3 septembre qu'il changeait ses réglages.")
    p = one(extract_text(text, date="2019-09"), "meta")
    assert (p.type, p.announced) == ("restriction", "2019-09-03")


def test_announcement_of_something_else_does_not_override_the_decision_date(extract_text):
    text = ("Le 3 juin, Amazon a annoncé un don de 10 millions de dollars. Le 10 juin, Amazon a suspendu "
            "la vente de sa reconnaissance faciale à la police.")
    assert one(extract_text(text), "amazon").announced == "2020-06-10"


# ---------------------------------------------------------------- other sensitive technologies (issue 13)


def test_not_renewing_a_military_project_contract_is_a_withdrawal_from_it(extract_text):
    # Leaving a project is a withdrawal; ending contracts with a customer, without a project, is a refusal to
    # sell to it (tests/test_extract_recall.py), as the vocabulary's definitions say.
    text = ("Google ne renouvellera pas son contrat avec le Pentagone pour le projet d'intelligence artificielle "
            "militaire Maven.")
    p = one(extract_text(text), "google")
    assert (p.type, p.restricted_users) == ("withdrawal", ["military"])


def test_refusing_to_sell_without_a_contract_stays_a_sales_refusal(extract_text):
    text = "Microsoft refuse de vendre ses services cloud à l'armée israélienne."
    p = one(extract_text(text), "microsoft")
    assert (p.type, p.technology, p.restricted_users) == ("sales-refusal", "cloud-computing", ["military"])


@pytest.mark.parametrize(("text", "company", "technology"), [
    ("OpenAI suspend son outil de clonage de voix.", "openai", "voice-cloning"),
    ("Apple renonce au chiffrement de bout en bout au Royaume-Uni.", "apple", "encryption"),
    ("Anduril refuse de fournir des drones armés aux régimes autoritaires.", "anduril", "autonomous-weapons"),
    ("NSO Group a cessé de vendre son logiciel espion Pegasus aux gouvernements.", "nso-group", "spyware"),
    ("Palantir refuse de vendre son logiciel de police prédictive à la police.", "palantir", "predictive-policing"),
    ("Mistral AI suspend son IA générative pour les armées.", "mistral-ai", "generative-ai"),
])
def test_other_sensitive_technologies_carry_policies(extract_text, text, company, technology):
    assert one(extract_text(text), company).technology == technology


def test_abandon_noun_is_a_withdrawal(extract_text):
    p = one(extract_text("Google a annoncé l'abandon de ses activités de reconnaissance faciale."), "google")
    assert p.type == "withdrawal"


def test_ban_noun_for_the_police_is_a_sales_refusal(extract_text):
    text = "Microsoft a annoncé l'interdiction de son logiciel de reconnaissance faciale pour la police."
    p = one(extract_text(text), "microsoft")
    assert (p.type, p.restricted_users) == ("sales-refusal", ["law-enforcement"])


def test_suspending_an_account_is_not_a_policy(extract_text):
    text = "Twitter a suspendu son compte après des messages sur la reconnaissance faciale."
    assert not extract_text(text).policies


def test_their_moratorium_takes_the_article_technology(extract_text):
    text = "IBM et Amazon ont critiqué la reconnaissance faciale. Les deux entreprises ont annoncé leur moratoire."
    assert {(p.company, p.type, p.technology) for p in extract_text(text).policies} == {
        ("ibm", "moratorium", "facial-recognition"), ("amazon", "moratorium", "facial-recognition")}


def test_extending_a_suspension_is_the_moratorium(extract_text):
    text = ("Amazon avait suspendu la vente de Rekognition à la police. La société a reconduit sa suspension "
            "pour une durée indéterminée.")
    assert [p.type for p in extract_text(text).policies] == ["moratorium"]


def test_freezing_development_is_a_moratorium(extract_text):
    text = "Microsoft a décidé de geler le développement de ses outils de reconnaissance des émotions."
    p = one(extract_text(text), "microsoft")
    assert (p.type, p.technology) == ("moratorium", "emotion-recognition")


def test_settlement_commitment_not_to_sell_to_private_companies(extract_text):
    text = ("Dans le cadre d'un accord, Clearview AI s'engage à ne plus vendre sa base de données de "
            "reconnaissance faciale à des entreprises privées.")
    p = one(extract_text(text), "clearview-ai")
    assert (p.type, p.restricted_users) == ("sales-refusal", ["private-companies"])


def test_withdrawal_for_every_customer_has_no_restricted_users(extract_text):
    text = "Microsoft retire la reconnaissance des émotions pour tous ses clients, y compris la police."
    p = one(extract_text(text), "microsoft")
    assert (p.type, p.restricted_users) == ("withdrawal", [])


def test_a_list_of_names_right_before_the_verb_decides_together(extract_text):
    text = ("Dans une lettre ouverte, Boston Dynamics, Agility Robotics, Clearpath Robotics et Unitree Robotics "
            "promettent de ne pas ajouter d'armes à leurs robots.")
    assert {p.company for p in extract_text(text).policies} == {
        "boston-dynamics", "agility-robotics", "clearpath-robotics", "unitree-robotics"}


def test_a_product_named_as_decider_is_its_maker(extract_text):
    text = "Ring a annoncé qu'elle mettait un terme à son outil de demandes de vidéos de surveillance."
    assert [(p.company, p.type) for p in extract_text(text).policies] == [("amazon", "withdrawal")]


def test_a_duration_measuring_a_contract_is_not_the_decision_s(extract_text):
    text = ("Google renonce à fournir ses services cloud à l'armée, un contrat estimé à 10 milliards de dollars "
            "sur dix ans.")
    p = one(extract_text(text), "google")
    assert (p.type, p.duration) == ("sales-refusal", None)


def test_joint_decision_shares_the_article_announcement_date(extract_text):
    text = ("Boston Dynamics s'est engagé jeudi 6 octobre à ne pas ajouter d'armes à ses robots. Dans une lettre, "
            "Agility Robotics et Unitree Robotics promettent de ne pas ajouter d'armes à leurs robots.")
    assert {p.company: p.announced for p in extract_text(text, date="2022-10").policies} == {
        "boston-dynamics": "2022-10-06", "agility-robotics": "2022-10-06", "unitree-robotics": "2022-10-06"}


def test_will_not_use_is_a_decision(extract_text):
    p = one(extract_text("Zoom n'utilisera pas la reconnaissance des émotions dans ses produits."), "zoom")
    assert p.technology == "emotion-recognition"


def test_has_never_used_is_a_fact_not_a_decision(extract_text):
    assert not extract_text("Zoom n'a pas utilisé la reconnaissance des émotions dans ses produits.").policies


def test_country_named_is_the_jurisdiction(extract_text):
    p = one(extract_text("Google restreint son IA générative en Inde pendant les élections."), "google")
    assert p.jurisdiction == "IN"


def test_nationality_adjective_of_another_country_is_not_a_jurisdiction(extract_text):
    text = "Microsoft cesse de fournir ses services cloud à l'armée israélienne."
    assert one(extract_text(text), "microsoft").jurisdiction is None


def test_asking_a_court_to_ban_is_not_the_banned_company_s_policy(extract_text):
    text = ("Apple demande à la justice d'interdire à l'éditeur du logiciel espion Pegasus, NSO Group, d'utiliser "
            "ses services.")
    assert not [p for p in extract_text(text).policies if p.company == "nso-group"]


def test_a_product_name_between_trigger_words_does_not_break_the_trigger(extract_text):
    text = "Microsoft a décidé de ne pas mettre VALL-E à la disposition du public, par crainte du clonage de voix."
    assert one(extract_text(text), "microsoft").type in ("sales-refusal", "withdrawal")


def test_extending_a_moratorium_indefinitely_leaves_it_without_duration(extract_text):
    text = ("Amazon avait décrété un moratoire d'un an sur la reconnaissance faciale pour la police. "
            "Amazon a reconduit sa suspension pour une durée indéterminée.")
    p = one(extract_text(text), "amazon")
    assert (p.type, p.duration) == ("moratorium", None)


def test_country_adjective_of_the_restricted_users_is_the_jurisdiction(extract_text):
    text = "La société Kestrana ne fournira plus son logiciel espion aux autorités espagnoles."
    p = next(iter(extract_text(text).policies))
    assert (p.company, p.restricted_users, p.jurisdiction) == ("kestrana", ["government"], "ES")


def test_country_adjective_of_a_part_of_the_users_is_no_jurisdiction(extract_text):
    text = "Microsoft a cessé de fournir ses services de cloud à une unité du ministère israélien de la Défense."
    assert next(iter(extract_text(text).policies)).jurisdiction is None


def test_country_adjective_of_the_company_is_no_jurisdiction(extract_text):
    p = next(iter(extract_text("Le groupe français Bravia a cessé de vendre ses drones aux armées.").policies))
    assert (p.company, p.jurisdiction) == ("bravia", None)


def test_country_named_in_the_decision_is_its_jurisdiction_beyond_the_first_countries(extract_text):
    text = "La société Orvane a suspendu la livraison de ses systèmes de reconnaissance faciale en Birmanie."
    assert next(iter(extract_text(text).policies)).jurisdiction == "MM"


def test_decision_reported_in_a_passive_clause_is_the_reporting_company_s(extract_text):
    text = "La société Kavlo a annoncé que la reconnaissance faciale serait désactivée par défaut dans son logiciel."
    assert [(p.company, p.type) for p in extract_text(text).policies] == [("kavlo", "restriction")]


def test_government_reporting_a_passive_clause_makes_no_policy(extract_text):
    text = "Le gouvernement a annoncé que la reconnaissance faciale serait désactivée dans les gares."
    assert not extract_text(text).policies


def test_freezing_the_release_of_a_model_concerns_the_article_s_technology(extract_text):
    text = ("L'IA générative inquiète. La société Orphane a décidé de geler pour trois mois la publication de son "
            "modèle.")
    p = next(iter(extract_text(text).policies))
    assert (p.company, p.type, p.technology, p.duration) == ("orphane", "moratorium", "generative-ai", "P3M")


def test_title_decision_takes_the_technology_of_the_body_s_same_decision(extractor):
    from extractors.documents import document_from_text

    text = ("Puces dans les drones russes : le britannique Corvel gèle ses ventes aux fabricants militaires\n"
            " date 2024-03\nLe groupe a annoncé qu'il suspendait pour deux ans la vente de ses puces "
            "d'intelligence artificielle aux armées.\n")
    policies = extractor.extract_one(document_from_text(text, "t")).policies
    assert [(p.company, p.type, p.duration) for p in policies] == [("corvel", "moratorium", "P2Y")]


# ---------------------------------------------------------------- issue 13, batch 9: decision phrasings


def test_postponing_indefinitely_is_a_moratorium(extract_text):
    text = "Microsoft a reporté à une date indéterminée le lancement de sa reconnaissance faciale en Europe."
    assert one(extract_text(text), "microsoft").type == "moratorium"


def test_reporter_as_a_noun_is_no_trigger(extract_text):
    text = "Un reporter de l'AFP a longuement interrogé IBM sur sa reconnaissance faciale."
    assert policies(extract_text(text)) == []


def test_putting_to_sleep_for_months_is_a_moratorium(extract_text):
    p = one(extract_text("Amazon a mis en sommeil pendant trois mois son service de reconnaissance faciale."), "amazon")
    assert (p.type, p.duration) == ("moratorium", "P3M")


def test_clause_coordinated_after_a_negation_is_no_denied_intention(extract_text):
    text = ("Microsoft vend un outil de reconnaissance faciale. L'outil ne disparaît pas, mais il est mis en pause "
            "pendant six mois, a précisé Microsoft.")
    assert one(extract_text(text), "microsoft").type == "moratorium"


def test_conditional_reported_by_a_past_verb_is_a_confirmed_decision(extract_text):
    text = ("Microsoft a annoncé vendredi qu'il n'accepterait plus comme clientes les sociétés détenues par des "
            "fonds étrangers pour son IA générative.")
    p = one(extract_text(text), "microsoft")
    assert (p.type, p.confirmed) == ("sales-refusal", True)


def test_conditional_in_a_main_clause_stays_a_hedge(extract_text):
    text = "Selon la presse, Microsoft suspendrait la vente de sa reconnaissance faciale."
    assert one(extract_text(text), "microsoft").confirmed is False


def test_stopping_sales_in_several_countries_is_a_sales_refusal(extract_text):
    text = "IBM a cessé de vendre ses logiciels de reconnaissance faciale dans ces deux pays."
    assert one(extract_text(text), "ibm").type == "sales-refusal"


def test_stopping_sales_to_nobody_in_particular_stays_a_withdrawal(extract_text):
    text = "IBM a cessé de vendre ses logiciels de reconnaissance faciale."
    assert one(extract_text(text), "ibm").type == "withdrawal"


def test_no_new_customer_accepted_is_no_sales_refusal(extract_text):
    text = "IBM ferme son service de reconnaissance faciale : aucun nouveau client ne sera accepté."
    assert {p.type for p in policies(extract_text(text), "ibm")} == {"withdrawal"}


def test_pluperfect_with_deja_recalls_an_earlier_decision(extract_text):
    text = "En 2019, Amazon avait déjà suspendu la vente de sa reconnaissance faciale."
    assert policies(extract_text(text)) == []


def test_rule_set_with_desormais_is_a_restriction(extract_text):
    text = ("Microsoft a renforcé ses procédures : toute vente de reconnaissance faciale devra désormais être "
            "approuvée par un comité d'éthique.")
    assert one(extract_text(text), "microsoft").type == "restriction"


def test_approval_owed_without_desormais_stays_a_demand(extract_text):
    text = ("Les ONG estiment que toute vente de reconnaissance faciale par Microsoft devrait être approuvée "
            "par un comité indépendant.")
    assert policies(extract_text(text)) == []


def test_denied_intention_reported_by_the_press_is_no_decision(extract_text):
    text = ("Microsoft a démenti les informations qui lui prêtaient l'intention de quitter le marché de la "
            "reconnaissance faciale.")
    assert policies(extract_text(text)) == []


def test_removing_apps_from_a_store_is_moderation(extract_text):
    text = "Apple a retiré de sa boutique plusieurs applications de reconnaissance faciale."
    assert policies(extract_text(text)) == []


def test_company_named_inside_its_description_decides(extract_text):
    text = "Le groupe de Seattle Amazon abandonne la reconnaissance faciale."
    assert one(extract_text(text), "amazon").type == "withdrawal"


def test_negation_before_ni_and_faire_savoir_reporter(extract_text):
    text = "IBM a fait savoir que son logiciel de reconnaissance faciale ne serait plus ni vendu ni mis à jour."
    assert one(extract_text(text), "ibm").type == "withdrawal"


def test_passive_pronoun_takes_the_article_technology(extract_text):
    text = ("Microsoft vend un outil de reconnaissance faciale. Il est mis en sommeil pendant six mois, a précisé "
            "Microsoft.")
    p = one(extract_text(text), "microsoft")
    assert (p.type, p.technology) == ("moratorium", "facial-recognition")


def test_users_a_product_is_intended_for_are_not_restricted(extract_text):
    text = "Axon suspend son projet de drones armés destinés aux écoles."
    assert one(extract_text(text), "axon").restricted_users == []


def test_schools_are_a_user_group(extract_text):
    text = "Microsoft ne vendra plus sa reconnaissance faciale aux établissements scolaires."
    p = one(extract_text(text), "microsoft")
    assert (p.type, p.restricted_users) == ("sales-refusal", ["schools"])


def test_cutting_servers_in_a_country_is_a_withdrawal(extract_text):
    p = one(extract_text("Proton a choisi de couper ses serveurs VPN en Inde."), "proton")
    assert (p.type, p.technology, p.jurisdiction) == ("withdrawal", "vpn", "IN")


def test_blocking_searches_is_a_restriction(extract_text):
    text = "Microsoft bloquera automatiquement les recherches de reconnaissance faciale des services de police."
    assert one(extract_text(text), "microsoft").type == "restriction"


def test_a_country_cutting_access_is_no_policy(extract_text):
    assert policies(extract_text("L'Inde coupe régulièrement l'accès aux VPN.")) == []


def test_rumoured_past_conditional_is_a_hedge(extract_text):
    text = "Selon la presse, Microsoft aurait décidé de suspendre la vente de sa reconnaissance faciale."
    assert one(extract_text(text), "microsoft").confirmed is False


def test_customers_informed_of_a_conditional_is_a_confirmed_decision(extract_text):
    text = "IBM a informé ses clients que sa reconnaissance faciale serait retirée du marché européen."
    p = one(extract_text(text), "ibm")
    assert (p.type, p.confirmed) == ("withdrawal", True)


# ---------------------------------------------------------------- issue 13, batch 11: general rules


def test_technologies_outside_the_old_scheme_are_named(extract_text):
    p = one(extract_text("Google a suspendu la vente de son logiciel de traduction automatique à la police."), "google")
    assert p.technology == "machine-translation"
    p = one(extract_text("IBM retire du marché son détecteur de mensonges."), "ibm")
    assert p.technology == "lie-detection"


def test_location_data_and_satellite_images_are_technologies(extract_text):
    p = one(extract_text("Google cesse de vendre les données de localisation de ses utilisateurs."), "google")
    assert p.technology == "surveillance"
    p = one(extract_text("Airbus a suspendu la vente de ses images satellites du Yémen."), "airbus")
    assert p.technology == "satellite-imagery"


def test_a_definite_description_without_a_name_stands_for_the_company_named_last(extract_text):
    text = ("Les policiers devront se passer de Microsoft. Le spécialiste américain du logiciel a fait savoir "
            "qu'il interdirait désormais l'usage de sa traduction automatique à la police.")
    p = one(extract_text(text), "microsoft")
    assert (p.type, p.restricted_users) == ("sales-refusal", ["law-enforcement"])


def test_a_description_does_not_stand_for_a_university(extract_text):
    text = ("L'Université de Lyon a publié une étude. La société a annoncé qu'elle cessait de vendre "
            "son logiciel de reconnaissance faciale.")
    assert not [p for p in extract_text(text).policies if "universite" in p.company]


def test_a_bill_aiming_at_a_ban_is_no_decision(extract_text):
    text = "Google, de son côté, soutient une proposition de loi visant à interdire la reconnaissance faciale."
    assert not extract_text(text).policies


def test_a_demand_verb_read_on_a_noun_does_not_cancel_the_decision(extractor):
    # "pousse" (la jeune pousse) is also a form of "pousser", a demand verb
    from extractors.policies import TRIGGER_SPANS, _cancelled

    doc = extractor.nlp("La jeune pousse Clearview renonce à vendre son logiciel de reconnaissance faciale.")
    assert [_cancelled(t, False) for t in doc.spans[TRIGGER_SPANS]] == [None, None]


def test_pushing_a_company_to_stop_is_still_a_demand(extract_text):
    text = "Amnesty pousse Google à cesser de vendre la reconnaissance faciale à la police."
    assert not extract_text(text).policies


def test_an_inverted_reporting_clause_names_the_decider(extract_text):
    text = ("Google vend des logiciels de reconnaissance faciale. La commercialisation de ces logiciels à la police "
            "sera arrêtée le 1er septembre, a indiqué mardi la société.")
    assert [p.company for p in extract_text(text).policies] == ["google"]


def test_an_inverted_reporting_clause_of_a_campaigner_names_no_company(extract_text):
    text = ("Google vend des logiciels de reconnaissance faciale. La commercialisation de ces logiciels à la police "
            "doit être arrêtée, a déclaré mardi Amnesty International.")
    assert not extract_text(text).policies


def test_a_description_does_not_stand_for_a_name_in_a_list(extract_text):
    text = ("Chez Palantir, la jeune entreprise qui vend cet outil, la décision a été prise. L'outil suit les messages "
            "publiés sur Facebook, TikTok, Instagram ou Telegram. Dans le même message, l'entreprise annonce "
            "suspendre pour six mois sa reconnaissance faciale.")
    assert [p.company for p in extract_text(text).policies] == ["palantir"]


def test_a_description_still_stands_for_the_last_of_two_coordinated_names(extract_text):
    text = "Microsoft travaille avec Amazon. L'entreprise a suspendu la vente de sa reconnaissance faciale."
    assert {p.company for p in extract_text(text).policies} <= {"amazon", "microsoft"}
