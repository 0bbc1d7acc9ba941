"""Issue 13's recall rules on short sentences written for them (not copied from any evaluated article):
organisations glossed by an acronym, possessive roles, stance verbs, unknown deciders, policy types."""

from __future__ import annotations

import pytest

from extractors.acronyms import glossed_names, initials_match, is_acronym


def actor(extraction, key):
    return next((a for a in extraction.actors if a.ref.key == key), None)


def kinds(extraction):
    return {a.ref.key: a.ref.kind for a in extraction.actors}


def policy_types(extraction, company):
    return {p.type for p in extraction.policies if p.company == company}


# ---------------------------------------------------------------- acronyms


def test_acronym_letters_are_initials_of_the_name_small_words_optional():
    assert initials_match("FNLC", ["Fédération", "nationale", "des", "libertés", "civiles"])
    assert initials_match("LDH", ["Ligue", "des", "droits", "de", "l'", "Homme"])
    assert not initials_match("ABC", ["Fédération", "nationale", "des", "libertés"])


def test_one_content_word_may_be_left_out_of_an_acronym():
    assert initials_match("SPVA", ["Syndicat", "des", "pilotes", "et", "pilotes", "volontaires", "associés"])


def test_an_acronym_is_short_alphabetic_and_capitalised():
    assert is_acronym("FNLC") and is_acronym("CeSIA") and is_acronym("Idec")
    assert not is_acronym("2024") and not is_acronym("x") and not is_acronym("association")


def test_a_glossed_name_is_read_whole_lower_case_words_included(extractor):
    doc = extractor.nlp("Le Collectif des usagers du numérique scolaire (CUNS) dénonce le projet.")
    (first, last, acronym), = glossed_names(doc, set())
    assert (doc[first:last].text, acronym) == ("Collectif des usagers du numérique scolaire", "CUNS")


def test_a_dateline_is_not_a_glossed_name(extractor):
    assert glossed_names(extractor.nlp("Paris (AFP) Le ministre a parlé."), set()) == []


def test_the_bare_acronym_later_is_the_same_organisation(extract_text):
    ex = extract_text("L'Association lyonnaise pour les libertés numériques (ALLN) a dénoncé le contrat. "
                      "Selon l'ALLN, la ville doit renoncer à ce système.")
    advocate = actor(ex, "association-lyonnaise-pour-les-libertes-numeriques")
    assert advocate is not None and advocate.ref.kind == "advocate"
    assert "ALLN" in advocate.aliases


# ---------------------------------------------------------------- advocates


def test_a_possessive_role_names_the_rights_group_last_named(extract_text):
    ex = extract_text("Le collectif Vigilance Numérique a dénoncé la décision de Kairos. « C'est trop peu », "
                      "estime sa porte-parole, Jeanne Marchal.")
    marchal = actor(ex, "jeanne-marchal")
    assert marchal.ref.kind == "advocate" and marchal.affiliation.key == "vigilance-numerique"


def test_a_possessive_role_after_a_company_is_the_company_s_person(extract_text):
    ex = extract_text("IBM a quitté le marché de la reconnaissance faciale. « Nous ne reviendrons pas », "
                      "affirme son directeur, Paul Durand.")
    assert actor(ex, "paul-durand").ref.kind == "person"


def test_an_organisation_whose_name_says_it_campaigns_is_an_advocate(extract_text):
    ex = extract_text("La Fondation pour les droits des locataires estime que la décision arrive trop tard.")
    assert kinds(ex).get("fondation-pour-les-droits-des-locataires") == "advocate"


def test_an_organisation_taking_a_stance_on_a_decision_is_an_advocate(extract_text):
    ex = extract_text("Amazon a suspendu la vente de Rekognition à la police. Access Now regrette une mesure "
                      "temporaire.")
    assert kinds(ex).get("access-now") == "advocate"


def test_a_campaign_verb_the_lemmatiser_misreads_still_counts(extract_text):
    ex = extract_text("Le Conseil national pour la défense des réfugiés (CNDR) réclame une loi.")
    assert kinds(ex).get("conseil-national-pour-la-defense-des-refugies") == "advocate"


#: Unknown names and what the text shows them to be: (behaviour, sentence, key, kind).
ACTORS_BY_CUE = [
    ("a_militant_network_is_an_advocate_not_a_company",
     "L'association Liberté Codes et le réseau militant Vox Civica ont relancé la pétition.",
     "vox-civica", "advocate"),
    ("a_network_that_defends_a_freedom_is_an_advocate",
     "La plainte a été déposée par le réseau NetLibre, qui défend la liberté d'expression en "
     "Afrique de l'Ouest.",
     "netlibre", "advocate"),
    ("a_campaign_listed_with_an_ngo_is_an_advocate",
     "La campagne Stop2Track et l'ONG Privacy International saluent un tournant.",
     "stop2track", "advocate"),
    ("an_organisation_set_off_as_a_rights_group_is_an_advocate_not_a_company",
     "« Ciblez le régime », dénonce Aria Tehrani, chercheuse chez Daneshgah Group, une "
     "organisation de défense des droits numériques, qui appelle Washington à agir.",
     "daneshgah-group", "advocate"),
    ("a_rights_group_with_an_inner_capital_is_read_from_its_apposition",
     "Une étude du McAllister Justice Center, une organisation de défense des droits civiques, "
     "concluait que les alertes étaient inutiles.",
     "mcallister-justice-center", "advocate"),
    ("an_inverted_subject_after_a_quote_takes_a_stance",
     "Le tribunal a ordonné la suppression des données. « C'est une victoire », s'est réjoui "
     "le Nakuru Institute, qui avait saisi la justice.",
     "nakuru-institute", "advocate"),
    ("a_person_campaigning_in_a_verb_and_noun_phrase_is_an_advocate",
     "Le lycée a installé des caméras de reconnaissance faciale. Paul Renard, père d'élève, mène "
     "campagne depuis deux ans contre le dispositif.",
     "paul-renard", "advocate"),
    ("a_camel_case_name_after_a_chief_executive_role_is_a_company",
     "« Nous arrêtons », a indiqué Lena Moss, la directrice générale de MediConnect. "
     "MediConnect a annoncé qu'il mettait fin à la vente de son logiciel de reconnaissance faciale.",
     "mediconnect", "company"),
    ("a_name_read_as_a_person_is_a_company_when_called_a_subsidiary",
     "Un client s'est vu refuser un crédit par Nora Fintek, filiale finlandaise du groupe "
     "suédois Nora.",
     "nora-fintek", "company"),
    ("a_network_of_pharmacies_in_apposition_is_a_company",
     "Apotekia, premier réseau de pharmacies du pays, a désactivé le pixel de suivi de Meta.",
     "apotekia", "company"),
    ("a_capitalised_organisation_noun_begins_the_name_it_introduces",
     "La Coalition Against Stalkerware, qui regroupe des ONG, dénonce ces logiciels espions.",
     "coalition-against-stalkerware", "advocate"),
    ("a_lower_case_organisation_noun_stays_outside_the_name",
     "La coalition Reclaim Your Face dénonce la reconnaissance faciale.",
     "reclaim-your-face", "advocate"),
    ("an_organisation_that_demands_in_a_relative_clause_campaigns",
     "ParentsTogether, qui réclame depuis des mois des garde-fous, salue la décision de Meta.",
     "parentstogether", "advocate"),
    ("a_name_set_off_by_a_union_noun_campaigns_without_its_sentence_s_article",
     "La NewsGuild, le syndicat qui représente une partie des journalistes, dénonce la décision.",
     "newsguild", "advocate"),
]


@pytest.mark.parametrize(("text", "key", "kind"), [row[1:] for row in ACTORS_BY_CUE],
                         ids=[row[0] for row in ACTORS_BY_CUE])
def test_an_unknown_name_is_what_the_text_shows_it_to_be(extract_text, text, key, kind):
    assert kinds(extract_text(text)).get(key) == kind


def test_a_network_that_sells_is_not_made_an_advocate(extract_text):
    ex = extract_text("Le réseau Telvia, qui vend des forfaits mobiles, a suspendu la reconnaissance faciale.")
    assert kinds(ex).get("telvia") != "advocate"


def test_names_enumerated_with_a_known_rights_group_campaign_with_it(extract_text):
    ex = extract_text("Le référendum a été lancé par la Quadrature du Net, Civitas Lab, OpenVote et DataWacht.")
    found = kinds(ex)
    assert [found.get(k) for k in ("civitas-lab", "openvote", "datawacht")] == ["advocate"] * 3


def test_an_enumeration_stops_at_a_known_company(extract_text):
    ex = extract_text("Amnesty International, Orange et Sopraval ont signé la charte.")
    assert kinds(ex).get("sopraval") != "advocate"


def test_a_political_party_criticising_is_no_advocate(extract_text):
    ex = extract_text("Le Parti pirate et les Verts dénoncent la décision de Clearview AI.")
    assert not {k for k, v in kinds(ex).items() if v == "advocate"}


def test_an_organisation_glossed_by_a_known_advocate_s_acronym_is_that_advocate(extract_text):
    ex = extract_text("« Les écoles ne sont pas des laboratoires », s'est félicitée Lise Caron, juriste à "
                      "l'Union new-yorkaise pour les libertés civiles (NYCLU), qui avait attaqué le district.")
    caron = actor(ex, "lise-caron")
    assert caron.ref.kind == "advocate" and caron.affiliation.key == "nyclu"


def test_a_news_agency_interviewing_someone_is_no_advocate_because_of_the_next_sentence(extract_text):
    ex = extract_text("« Interdire n'est pas une stratégie », estime un analyste interrogé par l'AFP. "
                      "Le syndicat Verdi demande à être associé aux discussions.")
    assert kinds(ex).get("afp") != "advocate"


def test_an_honorific_is_not_part_of_a_person_s_name(extract_text):
    ex = extract_text("Me Louise Garnier, avocate de la Ligue des droits de l'Homme, demande une interdiction.")
    assert actor(ex, "louise-garnier") is not None


# ---------------------------------------------------------------- policies


def test_a_firm_asking_its_own_staff_to_stop_decides(extract_text):
    ex = extract_text("Puces : le concepteur britannique Arvelis a demandé à ses salariés de suspendre toutes "
                      "ses relations commerciales avec Huawei.")
    assert policy_types(ex, "arvelis") == {"moratorium"}


def test_a_demand_to_other_firms_is_no_decision_however_parsed(extract_text):
    ex = extract_text("L'ONG appelle les deux fabricants à cesser de fournir du matériel utilisé à ces fins et "
                      "demande aux États de bannir l'exportation de technologies de surveillance vers Israël.")
    assert ex.policies == []


def test_no_longer_serving_customers_is_a_decision_about_them(extract_text):
    ex = extract_text("Le fabricant néerlandais Lithona cesse de servir les clients chinois.")
    assert policy_types(ex, "lithona") != set()


def test_a_pronoun_continues_the_previous_sentence_s_company_subject(extract_text):
    ex = extract_text("Pharmacie : Apotheka débranche le traceur publicitaire. La chaîne de pharmacies "
                      "suédoise Apotheka a transmis à Facebook des données de ses clients. Elle a cessé "
                      "d'utiliser l'outil de suivi.")
    assert {p.company for p in ex.policies} <= {"apotheka"}


def test_a_headline_firm_dropping_a_thing_of_its_own_decides_whatever_the_thing(extract_text):
    ex = extract_text("Pays-Bas : Equifax tire un trait sur la notation de crédit des particuliers\n"
                      "Publié le 17 octobre 2024 à 10h20\n\nLe groupe a été sanctionné par le régulateur.",
                      date=None)
    assert policy_types(ex, "equifax") != set()


def test_the_same_phrase_below_the_lead_is_no_decision_without_a_technology(extract_text):
    ex = extract_text("Le régulateur publie son rapport annuel\nPublié le 17 octobre 2024 à 10h20\n\n"
                      "Il rappelle les sanctions de l'an dernier. Il cite plusieurs dossiers. Il annonce des "
                      "contrôles. Plus loin, Equifax tire un trait sur la notation de crédit des particuliers.",
                      date=None)
    assert policy_types(ex, "equifax") == set()


def test_freezing_new_business_is_a_decision_of_its_own(extract_text):
    ex = extract_text("Iran : Ericsson gèle ses nouvelles affaires, coincé entre Washington et Bruxelles\n"
                      "Publié le 21 mars 2019\n\nLe groupe finlandais ne signera plus de contrats.", date=None)
    assert policy_types(ex, "ericsson") != set()


def test_a_platform_of_a_group_is_the_company_that_decides(extract_text):
    ex = extract_text("YouTube a suspendu la reconnaissance faciale dans ses outils de modération.")
    assert kinds(ex).get("youtube") == "company" and policy_types(ex, "youtube") != set()


def test_a_person_described_by_a_role_a_firm_may_share_stays_a_person(extract_text):
    ex = extract_text("Lena Moss, spécialiste des exportations sécuritaires, a demandé l'interdiction de la "
                      "reconnaissance faciale.")
    assert kinds(ex).get("lena-moss") != "company"


def test_a_lower_case_demonym_after_a_company_noun_is_no_name(extract_text):
    ex = extract_text("Verilab, l'entreprise new-yorkaise qui édite le logiciel de reconnaissance faciale, a "
                      "suspendu son service.")
    assert "new-yorkaise" not in kinds(ex)


def test_a_broadcaster_in_apposition_decides(extract_text):
    ex = extract_text("Radio Wiślana, la station publique régionale, a annoncé qu'elle mettait fin à ses "
                      "présentateurs virtuels.")
    assert [(p.company.endswith("wislana"), p.type) for p in ex.policies] == [(True, "withdrawal")]


def test_a_factory_of_a_name_makes_it_a_company_but_not_its_own_factories_of_a_place(extract_text):
    ex = extract_text("Solvara ouvrira une usine au Texas. Le groupe recevra une subvention pour ses usines "
                      "d'Oregon. L'usine d'Ormex a fermé. Ormex a vendu plus de cinq millions de bagues.")
    found = kinds(ex)
    assert found.get("ormex") == "company" and found.get("oregon") is None


def test_a_proper_noun_deciding_and_named_again_is_a_company(extract_text):
    ex = extract_text("Vocalia interdit les clones vocaux sur sa plateforme. Vocalia compte des millions "
                      "d'abonnés.")
    assert kinds(ex).get("vocalia") == "company"
    assert policy_types(ex, "vocalia")


def test_customers_named_after_the_verb_keep_a_refusal_to_sell(extract_text):
    ex = extract_text("Le finlandais Kivi ne vendra plus son logiciel de reconnaissance faciale aux "
                      "supermarchés.")
    assert policy_types(ex, "kivi") == {"sales-refusal"}


def test_stopping_for_every_new_user_is_a_withdrawal(extract_text):
    ex = extract_text("Apple ne proposera plus sa messagerie chiffrée aux nouveaux utilisateurs en Suède.")
    assert policy_types(ex, "apple") == {"withdrawal"}


def test_a_ban_allowed_case_by_case_is_a_restriction(extract_text):
    ex = extract_text("Google interdit le clonage de voix, sauf si la personne imitée l'a autorisé.")
    assert policy_types(ex, "google") == {"restriction"}


def test_ending_contracts_with_a_police_is_a_refusal_to_sell(extract_text):
    ex = extract_text("Microsoft a annoncé qu'elle ne renouvellera pas son contrat de cloud avec la police "
                      "des frontières.")
    assert policy_types(ex, "microsoft") == {"sales-refusal"}


def test_leaving_a_project_is_a_withdrawal(extract_text):
    ex = extract_text("Google ne renouvellera pas son contrat avec l'armée pour le projet Maven.")
    assert policy_types(ex, "google") == {"withdrawal"}


def test_a_decision_in_the_title_about_an_unlisted_thing_takes_the_article_s_technology(extract_text):
    ex = extract_text("Nimbus met en pause ses avatars de défunts\n date 2025-03\nLe studio Nimbus "
                      "développe une IA générative. La société a annoncé mardi cette pause.", date=None)
    assert {(p.company, p.technology) for p in ex.policies} >= {("nimbus", "generative-ai")}


def test_an_unlisted_technology_is_the_other_technology(extract_text):
    ex = extract_text("Cerebra ne vendra plus ses casques aux employeurs\n date 2025-03\nCerebra, une "
                      "start-up lyonnaise, a pris cette décision lundi.", date=None)
    assert [(p.type, p.technology) for p in ex.policies if p.company == "cerebra"] == [("sales-refusal", "other")]


def test_a_title_s_verb_of_stopping_folds_into_the_body_s_type(extract_text):
    ex = extract_text("Modelia ferme ses modèles d'IA générative aux partis\n date 2025-03\nModelia, une "
                      "start-up parisienne, a annoncé qu'elle suspendait jusqu'en mars l'accès de ses modèles "
                      "d'IA générative aux partis politiques.", date=None)
    assert policy_types(ex, "modelia") == {"moratorium"}


def test_selling_only_on_a_condition_is_a_restriction(extract_text):
    ex = extract_text("Maxar, l'opérateur de satellites, a annoncé qu'il ne livrerait plus ses images "
                      "satellitaires du Yémen à la presse qu'avec un délai d'un mois.")
    assert policy_types(ex, "maxar") == {"restriction"}


def test_a_refusal_until_a_law_is_no_restriction(extract_text):
    ex = extract_text("Microsoft ne vendra pas sa reconnaissance faciale à la police tant qu'une loi ne "
                      "l'encadrera pas.")
    assert policy_types(ex, "microsoft") == {"sales-refusal"}


# ---------------------------------------------------------------- attributes


def test_an_exception_in_its_own_sentence_belongs_to_the_deciding_company(extract_text):
    ex = extract_text("Kivi, éditeur finlandais, cessera de vendre son logiciel de reconnaissance faciale aux "
                      "magasins. Le logiciel restera toutefois accessible aux universités à des fins de recherche.")
    purposes = {e.purpose for p in ex.policies if p.company == "kivi" for e in p.exceptions}
    assert purposes == {"research"}


def test_only_some_escaping_a_freeze_is_an_exception(extract_text):
    ex = extract_text("Amazon gèle la vente de sa reconnaissance faciale à la police. Seules les enquêtes sur "
                      "la traite des êtres humains échapperont à ce gel.")
    purposes = {e.purpose for p in ex.policies if p.company == "amazon" for e in p.exceptions}
    assert purposes == {"human-trafficking"}


def test_a_government_agency_of_police_is_the_police(extract_text):
    ex = extract_text("Microsoft refuse de vendre sa reconnaissance faciale aux agences fédérales de police.")
    assert [p.restricted_users for p in ex.policies if p.company == "microsoft"] == [["law-enforcement"]]


# ---------------------------------------------------------------- what a firm offers, markets, clauses


def test_suspending_an_offering_in_the_lead_is_a_decision(extract_text):
    ex = extract_text("Pictora suspend ses essais gratuits\n date 2024-02\nLa société Pictora, qui édite un "
                      "générateur d'images par intelligence artificielle, a suspendu ses essais gratuits.", date=None)
    assert policy_types(ex, "pictora")


def test_suspending_an_account_is_no_decision(extract_text):
    ex = extract_text("Pictora a suspendu son compte\n date 2024-02\nLa société Pictora a suspendu le compte "
                      "d'un internaute après des images truquées.", date=None)
    assert policy_types(ex, "pictora") == set()


def test_a_headline_firm_blocking_a_thing_outside_the_vocabulary_decides(extract_text):
    ex = extract_text("Pictora cède à Berlin et bloque 64 canaux complotistes\n date 2024-02\n"
                      "La messagerie Pictora a bloqué 64 canaux accusés de diffuser des appels à la haine.", date=None)
    assert policy_types(ex, "pictora")


def test_a_headline_firm_blocking_one_account_decides_nothing(extract_text):
    ex = extract_text("Pictora cède à Berlin et bloque le compte d'un député\n date 2024-02\n"
                      "La messagerie Pictora a bloqué le compte d'un député accusé de diffuser des appels à la haine.",
                      date=None)
    assert policy_types(ex, "pictora") == set()


def test_rules_updated_to_ban_ads_for_a_service_refuse_to_sell_them(extract_text):
    ex = extract_text("Pictora durcit ses règles\n date 2024-05\nLa plateforme Pictora a mis à jour, mardi, les règles "
                      "de sa régie publicitaire pour interdire la promotion des services de deepfakes pornographiques.",
                      date=None)
    assert policy_types(ex, "pictora") == {"sales-refusal"}


def test_the_company_whose_turn_it_is_decides_on_the_article_s_technology(extract_text):
    ex = extract_text("Logiciels espions : Pictora aussi\n date 2021-04\nLa boutique de Kestrel a retiré l'application "
                      "espionne Exodus la semaine dernière. Après Kestrel, c'est au tour de Pictora de fermer la "
                      "porte. La société Pictora n'a pas commenté.", date=None)
    assert [(p.company, p.technology) for p in ex.policies if p.company == "pictora"] == [("pictora", "spyware")]


def test_labelling_generated_images_is_a_restriction(extract_text):
    ex = extract_text("IA : Pictora va étiqueter automatiquement les images générées\n date 2024-05\nLe réseau social "
                      "Pictora a annoncé jeudi qu'il apposerait désormais automatiquement la mention « généré par IA » "
                      "sur les images produites par des outils d'intelligence artificielle.", date=None)
    assert policy_types(ex, "pictora") == {"restriction"}


def test_what_a_firm_did_until_now_is_no_decision(extract_text):
    ex = extract_text("IA : les images générées\n date 2024-05\nLe réseau social Pictora a été critiqué. Jusqu'ici, "
                      "la société Pictora étiquetait automatiquement les contenus générés par intelligence "
                      "artificielle.", date=None)
    assert policy_types(ex, "pictora") == set()


def test_we_in_a_quote_of_an_unnamed_spokesperson_is_the_company_just_named(extract_text):
    ex = extract_text("Magasins : la reconnaissance faciale en question\n date 2024-05\nLa chaîne Pictora avait "
                      "installé des caméras dans ses magasins. « Nous n'utilisons plus aucun outil de reconnaissance "
                      "faciale », confirme un porte-parole.", date=None)
    assert policy_types(ex, "pictora") == {"withdrawal"}


def test_we_in_a_quote_of_another_body_s_spokesperson_is_not_the_company(extract_text):
    ex = extract_text("Magasins : la reconnaissance faciale en question\n date 2024-05\nLa chaîne Pictora avait "
                      "installé des caméras dans ses magasins. « Nous n'utilisons plus aucun outil de reconnaissance "
                      "faciale », confirme un porte-parole de la police de Lyon.", date=None)
    assert policy_types(ex, "pictora") == set()


def test_suspending_its_contract_with_the_vendor_decides_on_the_vendor_s_technology(extract_text):
    ex = extract_text("Reconnaissance faciale : Pictora suspend ses contrats\n date 2020-04\nLa start-up de "
                      "reconnaissance faciale Pictora a annoncé mercredi qu'elle suspendait ses contrats avec la "
                      "police. Son fondateur avait fréquenté des militants extrémistes. Le procureur s'est dit choqué. "
                      "Les élus demandent un audit.\n\nL'université de Genève a, elle aussi, annoncé mardi la "
                      "suspension de son propre contrat avec l'entreprise, en attendant l'audit.", date=None)
    assert [(p.type, p.technology) for p in ex.policies if p.company == "universite-de-geneve"] == [
        ("moratorium", "facial-recognition")]


def test_a_figurative_object_stands_for_its_complement(extract_text):
    ex = extract_text("Pictora coupe le robinet des essais gratuits\n date 2024-02\nLa start-up Pictora, qui "
                      "édite un générateur d'images, a pris cette décision mardi.", date=None)
    assert policy_types(ex, "pictora")


def test_leaving_a_country_s_market_is_a_withdrawal_whatever_was_sold(extract_text):
    ex = extract_text("Telkor quitte la Russie\n date 2022-04\nL'équipementier finlandais Telkor a annoncé "
                      "mardi son retrait du marché russe.", date=None)
    assert policy_types(ex, "telkor") == {"withdrawal"}


def test_a_participle_with_its_auxiliary_is_a_clause_not_a_modifier(extract_text):
    ex = extract_text("L'hébergeur Servalia, qui louait des serveurs au forum, a mis fin à ce contrat de "
                      "reconnaissance faciale lundi.")
    assert policy_types(ex, "servalia")


def test_a_duration_inside_another_clause_does_not_make_a_moratorium(extract_text):
    ex = extract_text("Privanet, fournisseur de réseaux privés virtuels, a annoncé qu'il retirerait ses "
                      "serveurs de VPN installés en Inde avant "
                      "l'entrée en vigueur d'une directive qui oblige à conserver pendant cinq ans les "
                      "données des utilisateurs.")
    assert policy_types(ex, "privanet") == {"withdrawal"}


# ---------------------------------------------------------------- unknown companies and what is not one


def test_a_name_introduced_by_its_shop_kind_and_renouncing_is_a_company(extract_text):
    ex = extract_text("Frescalia renonce à la reconnaissance faciale dans ses magasins. Devant un supermarché "
                      "Frescalia de Séville, les clients ont salué la décision.")
    assert kinds(ex).get("frescalia") == "company"


def test_a_century_is_no_company(extract_text):
    ex = extract_text("Le ministre veut donner à la police les outils du XXIe siècle. Les clients du XXIe "
                      "siècle achètent en ligne.")
    assert "xxie" not in kinds(ex)


def test_a_name_listed_among_places_is_a_place(extract_text):
    ex = extract_text("Le système équipait les magasins de Tarvila, de Valence et de Saragosse.")
    assert "tarvila" not in kinds(ex)


def test_the_name_after_the_maker_of_one_product_is_the_product(extract_text):
    ex = extract_text("Le fabricant du drone Kestrel choisit son camp. Le fabricant turc Ankora exclut toute "
                      "vente de drones militaires à la Russie.")
    assert kinds(ex).get("kestrel") != "company"


def test_renouncing_to_an_infinitive_with_its_object_is_a_decision(extract_text):
    ex = extract_text("Orbilink renonce à entraîner son IA générative\n date 2024-09\nLa société Orbilink "
                      "renonce, pour l'heure, à entraîner son IA générative avec les données de ses membres.",
                      date=None)
    assert policy_types(ex, "orbilink")


def test_ready_to_withdraw_under_a_condition_is_no_decision(extract_text):
    ex = extract_text("La société Orbilink se dit prête à retirer ses serveurs de VPN si aucune autre solution "
                      "n'est trouvée.")
    assert policy_types(ex, "orbilink") == set()


def test_a_company_in_the_subject_s_relative_clause_does_not_decide(extract_text):
    ex = extract_text("Le fournisseur de VPN Velanet a cessé ses activités en Inde. L'entreprise Orbilink, qui "
                      "a fusionné avec Velanet, a indiqué qu'elle fermerait ses serveurs de VPN indiens.")
    quotes = {e.quote for p in ex.policies if p.company == "velanet" for e in p.evidence}
    assert not any("fermerait" in q for q in quotes)


def test_cutting_a_service_for_the_time_of_an_inquiry_is_a_moratorium(extract_text):
    ex = extract_text("La société Nuvola a annoncé qu'elle coupait son service d'hébergement en nuage au forum "
                      "à partir de lundi, le temps d'une enquête.")
    assert policy_types(ex, "nuvola") == {"moratorium"}


def test_a_threat_to_stop_hosting_is_no_decision(extract_text):
    ex = extract_text("En août, Nuvola avait menacé de cesser d'héberger le forum sur son cloud si deux messages "
                      "n'étaient pas retirés.")
    assert policy_types(ex, "nuvola") == set()


def test_the_community_site_is_the_company_named_last(extract_text):
    ex = extract_text("La société Forumly veut faire payer les robots d'IA générative. Le site communautaire a "
                      "annoncé mardi qu'il cesserait d'offrir un accès gratuit à son interface de programmation "
                      "aux entreprises d'IA générative.")
    assert policy_types(ex, "forumly")


def test_a_participle_opening_a_sentence_before_a_description_is_no_company(extract_text):
    ex = extract_text("Le tribunal a annulé la loi. Sollicitée, l'entreprise Datavox n'a pas souhaité commenter. "
                      "Sollicitée par la presse, la police n'a pas répondu.")
    assert "sollicitee" not in kinds(ex)


def test_ending_a_use_for_now_is_a_moratorium(extract_text):
    ex = extract_text("La société Forenza a annoncé qu'elle avait décidé de mettre fin, à ce stade, à l'utilisation "
                      "de son logiciel espion par la police serbe.")
    assert policy_types(ex, "forenza") == {"moratorium"}


def test_not_selling_at_this_stage_stays_a_refusal(extract_text):
    ex = extract_text("La société Forenza ne commercialisera pas de reconnaissance faciale sur ses caméras à ce "
                      "stade.")
    assert policy_types(ex, "forenza") == {"sales-refusal"}


def test_refusing_to_hand_anything_to_named_recipients_is_a_decision(extract_text):
    ex = extract_text("La société Menstra promet de ne rien livrer aux autorités américaines\n date 2022-06\n"
                      "L'éditeur berlinois a publié un message sur son site.", date=None)
    assert policy_types(ex, "menstra") == {"sales-refusal"}


def test_a_person_like_name_ending_like_a_firm_is_a_company(extract_text):
    ex = extract_text("Hollis Varga Scientific a annoncé l'arrêt de ses ventes de séquenceurs ADN à la police. "
                      "Les clients de Hollis Varga Scientific devront changer de fournisseur.")
    assert kinds(ex).get("hollis-varga-scientific") == "company"


def test_stopping_service_to_a_named_customer_is_a_refusal_to_it(extract_text):
    ex = extract_text("La société Shieldora a annoncé qu'elle cesserait de fournir ses services d'hébergement en "
                      "nuage à VoxHub à partir de minuit.")
    assert policy_types(ex, "shieldora") == {"sales-refusal"}


def test_stopping_service_in_a_city_is_no_refusal_to_a_customer(extract_text):
    ex = extract_text("La société Shieldora a annoncé qu'elle cesserait de fournir ses services d'hébergement en "
                      "nuage à Moscou à partir de minuit.")
    assert "sales-refusal" not in policy_types(ex, "shieldora")


def test_a_full_name_read_as_a_person_after_the_short_name_is_the_company(extract_text):
    ex = extract_text("Le fabricant Orvalis est critiqué. Orvalis Bioscience a annoncé l'arrêt de la vente de ses "
                      "tests ADN à la police chinoise.")
    assert policy_types(ex, "orvalis") == {"sales-refusal"}


def test_names_set_off_after_a_plural_description_all_decide(extract_text):
    ex = extract_text("Les trois principaux opérateurs du pays, Orange, SFR et Bouygues Telecom, ont commencé à "
                      "bloquer les sites qui hébergent des contenus terroristes.")
    assert all(policy_types(ex, key) for key in ("orange", "sfr", "bouygues-telecom"))


def test_a_named_firm_suspending_an_offering_decides_outside_the_lead(extract_text):
    ex = extract_text("Les générateurs d'images inquiètent. Les experts parlent de désinformation. Le débat enfle. "
                      "Les élus s'en mêlent. Midjourney a suspendu, mardi 28 mars, les essais gratuits qui "
                      "permettaient à tous de créer quelques images.")
    assert policy_types(ex, "midjourney") == {"moratorium"}


def test_a_named_firm_suspending_an_account_outside_the_lead_decides_nothing(extract_text):
    ex = extract_text("Les générateurs d'images inquiètent. Les experts parlent de désinformation. Le débat enfle. "
                      "Les élus s'en mêlent. Midjourney a suspendu, mardi 28 mars, le compte d'un journaliste.")
    assert policy_types(ex, "midjourney") == set()


def test_a_bare_parliament_in_an_article_about_one_country_is_its_parliament(extract_text):
    ex = extract_text("En Inde, la police de Lucknow installe des caméras. Le projet de loi sur les données, déposé "
                      "au Parlement en décembre, n'a toujours pas été adopté. La police indienne se tait.")
    assert kinds(ex).get("indian-parliament") == "legislature" and "parlement" not in kinds(ex)


def test_a_bare_parliament_without_a_country_is_no_advocate(extract_text):
    ex = extract_text("Le Parlement doit examiner le texte. L'association Lumen dénonce le projet.")
    assert kinds(ex).get("parlement") != "advocate"


def test_a_quote_written_by_the_firms_described_spokesperson_is_the_firms(extract_text):
    ex = extract_text("Le groupe Brevalon a installé des caméras de reconnaissance faciale dans ses centres "
                      "commerciaux. « Nous avons suspendu "
                      "l'utilisation des caméras en attendant la fin de l'enquête », a écrit sa directrice des "
                      "communications, Janine Ramparas, dans un courriel.")
    assert policy_types(ex, "brevalon") == {"moratorium"}


def test_leaving_a_country_is_a_withdrawal(extract_text):
    ex = extract_text("La messagerie chiffrée Velcrypt quitte l'Australie après des pressions de la police.")
    assert policy_types(ex, "velcrypt") == {"withdrawal"}


def test_one_of_the_biggest_owners_of_malls_is_a_company(extract_text):
    ex = extract_text("Les bornes de Brantwell Properties filmaient les passants. Brantwell Properties, l'un des plus "
                      "grands propriétaires de centres commerciaux du pays, a reconnu le test.")
    assert kinds(ex).get("brantwell-properties") == "company"


def test_one_of_the_oldest_image_hosts_is_a_company(extract_text):
    ex = extract_text("Depuis mardi, Pixhaven, l'un des plus anciens hébergeurs d'images du Web, n'est plus "
                      "accessible au Royaume-Uni.")
    assert kinds(ex).get("pixhaven") == "company"


def test_a_description_naming_its_company_after_another_firm_is_that_company(extract_text):
    ex = extract_text("Le géant chinois Qinghe a suspendu son application de discussion. Le géant des télécoms "
                      "Vodafone, qui venait de signer un partenariat avec OpenAI, a de son côté interdit à ses "
                      "salariés d'utiliser le chatbot de Qinghe.")
    assert "restriction" in policy_types(ex, "vodafone")


def test_forbidding_its_own_staff_a_tool_is_a_restriction_not_a_refusal(extract_text):
    ex = extract_text("La société Haneul a interdit à ses salariés d'utiliser les chatbots d'IA générative.")
    assert policy_types(ex, "haneul") == {"restriction"}


def test_withdrawing_its_own_data_from_its_store_is_a_withdrawal(extract_text):
    ex = extract_text("La société Geoflux retire de sa boutique les données de localisation des cliniques, a "
                      "annoncé son fondateur.")
    assert policy_types(ex, "geoflux") == {"withdrawal"}


def test_withdrawing_apps_from_its_store_is_moderation(extract_text):
    ex = extract_text("Apple a retiré de sa boutique plusieurs applications de reconnaissance faciale.")
    assert policy_types(ex, "apple") == set()


def test_nous_in_a_quote_without_speaker_is_the_company_the_quote_names(extract_text):
    ex = extract_text("La société Trivela publie une lettre ouverte. « Trivela n'a jamais vendu ses données. Nous ne "
                      "vendrons pas de données de localisation à la police », indique la lettre.")
    assert policy_types(ex, "trivela") == {"sales-refusal"}


def test_a_firms_national_branch_read_as_a_person_keeps_the_firm_a_company(extract_text):
    ex = extract_text("Chaque client entrant dans une boutique Vollmer était photographié. « Nous présentons nos "
                      "excuses », a écrit Vollmer Chine sur son compte. Vollmer a retiré les caméras.")
    assert kinds(ex).get("vollmer") == "company"



def test_an_acronym_after_a_sector_complement_is_a_company_name(extract_text):
    ex = extract_text("Le géant allemand du logiciel KVX fait un pas de plus hors de Russie. KVX a annoncé qu'il "
                      "fermait ses services d'informatique en nuage dans le pays.")
    assert kinds(ex).get("kvx") == "company"


def test_an_acronym_qualifying_a_noun_is_no_company(extract_text):
    ex = extract_text("La base ADN de la police sera fermée. Les tests ADN coûtent cher.")
    assert "adn" not in kinds(ex)


def test_a_pronoun_after_a_firm_and_its_parent_in_apposition_is_the_firm(extract_text):
    ex = extract_text("Sidewalk Labs, la filiale d'urbanisme d'Alphabet, a annoncé jeudi qu'elle renonçait à "
                      "développer Quayside, son quartier de vidéosurveillance algorithmique à Toronto. Sidewalk Labs "
                      "emploie 300 personnes.")
    assert policy_types(ex, "sidewalk-labs") == {"withdrawal"} and not policy_types(ex, "google")


def test_a_minister_in_charge_of_a_portfolio_is_no_advocate(extract_text):
    ex = extract_text("Début mars, le vice-premier ministre ukrainien chargé du numérique, Mykhaïlo Fedorov, avait "
                      "publiquement appelé Microsoft à cesser de vendre ses services en Russie.")
    assert kinds(ex).get("mykhailo-fedorov") != "advocate"


def test_a_quote_of_the_firms_internal_memo_speaks_for_the_firm(extract_text):
    ex = extract_text("Le groupe Velor a réuni ses salariés lundi. Selon Velor, les fuites se multiplient, et "
                      "ChatGPT d'OpenAI est en cause. « Les outils d'IA générative posent un risque », reconnaît la "
                      "note. « Nous restreignons l'usage de l'IA générative sur nos appareils. »")
    assert policy_types(ex, "velor") and not policy_types(ex, "openai")


def test_making_a_feature_optional_is_a_restriction(extract_text):
    ex = extract_text("La société Veridot rend facultative la reconnaissance faciale pour ses utilisateurs.")
    assert policy_types(ex, "veridot") == {"restriction"}


def test_an_opening_phrase_before_a_description_is_no_company(extract_text):
    ex = extract_text("Avast ferme Jumpshot, sa filiale qui revendait l'historique de navigation de ses clients\n"
                      "Par Le Figaro avec AFP – 31 janvier 2020\nTrois jours après des révélations embarrassantes, "
                      "l'éditeur tchèque d'antivirus Avast tire un trait sur la revente de données. Son directeur "
                      "général a annoncé jeudi la fermeture de Jumpshot.", date=None)
    assert not any(key.startswith("trois-jours") for key in kinds(ex))


def test_a_bare_chamber_of_deputies_in_an_article_about_one_country_is_a_legislature(extract_text):
    ex = extract_text("Au Brésil, le Sénat a adopté le texte. Le projet de loi brésilien doit maintenant être "
                      "examiné par la Chambre des députés, à Brasília.")
    assert any(kind == "legislature" and key.startswith("chambre-des-deputes") for key, kind in kinds(ex).items())


def test_a_name_set_off_by_its_possessive_description_is_a_company(extract_text):
    ex = extract_text("Avast ferme Hopshot, sa filiale qui revendait l'historique de navigation de ses clients. "
                      "Hopshot vendait ces données à de grandes entreprises.")
    assert kinds(ex).get("hopshot") == "company"


def test_terminating_its_contracts_with_data_brokers_is_a_refusal(extract_text):
    ex = extract_text("L'opérateur Telvia a annoncé la résiliation de ses contrats avec les agrégateurs de données "
                      "de localisation.")
    assert policy_types(ex, "telvia") == {"sales-refusal"}


def test_ceasing_to_work_with_data_brokers_is_a_refusal(extract_text):
    ex = extract_text("L'opérateur Telvia a annoncé qu'il cessait de travailler avec les agrégateurs de données de "
                      "localisation.")
    assert policy_types(ex, "telvia") == {"sales-refusal"}


def test_a_collective_named_after_a_noun_used_as_adjective_is_an_advocate(extract_text):
    ex = extract_text("Le collectif citoyen #BlockHarbour, qui militait depuis deux ans contre le projet, appelle "
                      "les pouvoirs publics à renoncer aux capteurs.")
    assert kinds(ex).get("blockharbour") == "advocate"


def test_a_collective_whose_name_starts_with_a_number_is_an_advocate(extract_text):
    ex = extract_text("Le collectif de parents 24 Heures, à l'origine de la campagne, salue une victoire.")
    assert kinds(ex).get("24-heures") == "advocate"


def test_a_founders_non_profit_organisation_is_no_company(extract_text):
    ex = extract_text("Début mai, Ed Newton-Rex, devenu fondateur de Fairly Trained, une organisation à but non "
                      "lucratif qui milite pour le consentement des auteurs, a alerté les musiciens.")
    assert kinds(ex).get("fairly-trained") == "advocate"


def test_a_decision_without_a_date_takes_the_leads_dated_announcement(extract_text):
    ex = extract_text("La messagerie chiffrée Velcrypt quitte l'Australie\nPublié le 24 octobre 2024\nLes "
                      "responsables de cette messagerie ont annoncé le 15 octobre que le projet serait désormais "
                      "piloté depuis la Suisse.", date=None)
    assert {p.announced for p in ex.policies if p.company == "velcrypt"} == {"2024-10-15"}


_TUMBLR = "Tumblr bannit la pornographie de sa plateforme\nPar Le Figaro – 4 décembre 2018\n"
_GOOD_GUYS = "Un débat relancé\nPublié le 20 juin 2022\n"


@pytest.mark.parametrize(("text", "date", "company", "announced"), [
    pytest.param("Australie : The Good Guys appuie sur pause\nPublié le 20 juin 2022\nLa chaîne The Good Guys a "
                 "annoncé qu'elle suspendait son essai de reconnaissance faciale dans deux magasins.", None,
                 "the-good-guys", "2022-06", id="undated lead decision: the article's month"),
    pytest.param(_TUMBLR + "Le réseau de microblogs a annoncé lundi 3 décembre qu'il n'accepterait plus les "
                 "contenus pour adultes.", None, "tumblr", "2018-12-03", id="title decision: the day the lead gives"),
    pytest.param(_TUMBLR + "Le 2 novembre, une application de Tumblr avait disparu d'une boutique en ligne.", None,
                 "tumblr", "2018-12", id="a lead day weeks before the article is not its news"),
    pytest.param(_TUMBLR + "Le réseau social a changé ses règles. Elles s'appliquent à partir du 3 décembre.", None,
                 "tumblr", "2018-12", id="the day a ban takes effect is not the news"),
    pytest.param(_GOOD_GUYS + "La chaîne The Good Guys avait suspendu son essai de reconnaissance faciale dans deux "
                 "magasins.", None, "the-good-guys", None, id="a decision recalled in the pluperfect"),
    pytest.param(_GOOD_GUYS + "Le commerce australien découvre la reconnaissance faciale. " * 4 + "\n\nLes caméras "
                 "filment les clients. Plus loin, la chaîne The Good Guys suspend son essai de reconnaissance "
                 "faciale.", None, "the-good-guys", None, id="a decision far from the lead"),
    pytest.param("La chaîne The Good Guys a annoncé qu'elle suspendait son essai de reconnaissance faciale dans "
                 "deux magasins.", "2022-06", "the-good-guys", None, id="a month-only date line dates nothing"),
])
def test_a_decision_with_no_date_of_its_own_takes_the_news_date_of_its_article(extract_text, text, date, company,
                                                                                announced):
    ex = extract_text(text, date=date)
    assert {p.announced for p in ex.policies if p.company == company} == {announced}


_SAFEGRAPH = ("\nPublié le 5 mai 2022\nLe courtier SafeGraph a annoncé qu'il cessait de vendre les données de "
              "localisation.")


@pytest.mark.parametrize(("title", "jurisdiction"), [
    pytest.param("États-Unis : SafeGraph retire les données des cliniques", "US", id="a territory the title names"),
    pytest.param("Le courtier américain SafeGraph retire des données", None, id="a nationality is no territory"),
    pytest.param("De la France au Japon, SafeGraph retire des données", None, id="two territories bound nothing"),
])
def test_the_territory_a_title_names_bounds_the_decision_its_lead_reports(extract_text, title, jurisdiction):
    ex = extract_text(title + _SAFEGRAPH, date=None)
    assert {p.jurisdiction for p in ex.policies if p.company == "safegraph"} == {jurisdiction}


def test_a_role_s_organisation_is_the_ner_s_whole_name_small_words_included(extract_text):
    ex = extract_text("Jules Polonetsky, directeur général du Future of Privacy Forum, salue la décision de Google.")
    assert "future" not in kinds(ex)


def test_a_firm_claiming_figures_in_a_relative_clause_does_not_campaign(extract_text):
    ex = extract_text("Le principal concurrent, le lyonnais Alise, qui revendique 500 établissements équipés, "
                      "dit étudier la question.")
    assert kinds(ex).get("alise") != "advocate"


def test_a_union_of_states_defending_an_accord_does_not_campaign(extract_text):
    ex = extract_text("L'UE, qui défend l'accord, a réactivé une loi de blocage.")
    assert "ue" not in kinds(ex)


def test_a_plural_pronoun_after_a_misparsed_reporting_clause_is_every_reporter(extract_text):
    ex = extract_text("Google, Mozilla et Apple ont annoncé mercredi 21 août qu'ils ne vendraient plus de logiciels "
                      "de reconnaissance faciale à la police.")
    assert {(p.company, p.type) for p in ex.policies} == {
        ("google", "sales-refusal"), ("mozilla", "sales-refusal"), ("apple", "sales-refusal")}


def test_blocking_a_root_certificate_is_about_encryption(extract_text):
    ex = extract_text("Google a annoncé mercredi qu'il bloquerait dans Chrome le certificat racine imposé par le "
                      "gouvernement.")
    assert {(p.company, p.technology) for p in ex.policies} == {("google", "encryption")}


def test_a_company_s_terms_of_use_forbidding_a_use_restrict_it(extract_text):
    ex = extract_text("Les conditions d'utilisation de Twitter interdisent d'utiliser ses contenus à des fins de "
                      "reconnaissance faciale.")
    assert {(p.company, p.type) for p in ex.policies} == {("twitter", "restriction")}


def test_public_rules_forbidding_a_use_are_no_company_s_decision(extract_text):
    ex = extract_text("Les règles européennes interdisent la reconnaissance faciale en temps réel.")
    assert ex.policies == []


def test_a_public_body_s_english_name_ending_in_commission_decides_nothing(extract_text):
    ex = extract_text("La Federal Trade Commission a interdit mercredi à SpyFone de vendre des logiciels espions.")
    assert "federal-trade-commission" not in kinds(ex)
    assert all(p.company != "federal-trade-commission" for p in ex.policies)


def test_banning_sexually_explicit_content_is_about_content_moderation(extract_text):
    ex = extract_text("La plateforme de blogs Pixora bannit les contenus sexuellement explicites à partir du 17 "
                      "décembre.")
    assert {p.technology for p in ex.policies if p.company == "pixora"} == {"content-moderation"}


# ---------------------------------------------------------------- session of 2026-12-07


def test_a_platform_forbidding_a_kind_of_content_restricts_it(extract_text):
    ex = extract_text("La plateforme de blogs Pixora interdira les contenus pornographiques à partir du 17 décembre.")
    assert policy_types(ex, "pixora") == {"restriction"}


def test_a_platform_banning_accounts_refuses_them_its_service(extract_text):
    ex = extract_text("La plateforme de vidéo Kordo a annoncé avoir banni l'ensemble des comptes qui diffusaient des "
                      "contenus haineux.")
    assert policy_types(ex, "kordo") == {"sales-refusal"}


def test_jeune_pousse_introduces_a_company_like_start_up(extract_text):
    ex = extract_text("La jeune pousse Veltrix renonce à son logiciel de reconnaissance faciale.")
    assert kinds(ex).get("veltrix") == "company"
    assert policy_types(ex, "veltrix") == {"withdrawal"}


def test_a_quoted_adjective_in_a_juxtaposed_clause_does_not_make_the_decision_a_willingness(extract_text):
    ex = extract_text("« Le public n'est pas prêt » : la start-up Dornix retire son application de reconnaissance "
                      "faciale.")
    assert policy_types(ex, "dornix") == {"withdrawal"}


def test_forbidding_the_use_of_its_works_for_training_restricts_it(extract_text):
    ex = extract_text("L'éditeur Quillon a modifié ses conditions pour interdire leur utilisation dans "
                      "l'entraînement des modèles d'IA générative.")
    assert policy_types(ex, "quillon") == {"restriction"}


def test_studying_the_possibility_of_a_refusal_is_no_decision(extract_text):
    ex = extract_text("La société Brivex dit étudier la possibilité de ne plus vendre de logiciels de reconnaissance "
                      "faciale.")
    assert policy_types(ex, "brivex") == set()


def test_a_pronoun_in_a_second_that_clause_is_the_reporters(extract_text):
    ex = extract_text("Le constructeur Movana a annoncé qu'il mettait fin à son partenariat avec le courtier en "
                      "données Dataxis et qu'il ne transmettrait plus aucune donnée de conduite à des tiers.")
    assert policy_types(ex, "dataxis") == set()
    assert "sales-refusal" in policy_types(ex, "movana")


def test_ceasing_to_pass_on_driving_data_is_a_refusal_about_surveillance(extract_text):
    ex = extract_text("Le constructeur Movana a cessé de transmettre les données de conduite de ses clients aux "
                      "courtiers.")
    assert {(p.type, p.technology) for p in ex.policies if p.company == "movana"} == {("sales-refusal", "surveillance")}


def test_an_opening_name_before_a_brand_description_is_the_deciding_company(extract_text):
    ex = extract_text("Vortek, la marque de smartphones fondée par Karl Zinn, a retiré samedi son application de "
                      "messagerie chiffrée.")
    assert kinds(ex).get("vortek") == "company"
    assert policy_types(ex, "vortek") == {"withdrawal"}


def test_an_opening_place_before_a_company_description_is_no_company(extract_text):
    ex = extract_text("En France, la société Brivex a suspendu son système de reconnaissance faciale.")
    assert "en-france" not in kinds(ex)
    assert policy_types(ex, "brivex") == {"moratorium"}


def test_a_commitment_not_to_integrate_language_models_is_a_refusal(extract_text):
    ex = extract_text("La société Talvi a annoncé qu'elle n'intégrera pas de grands modèles de langage à son "
                      "navigateur.")
    assert policy_types(ex, "talvi") == {"sales-refusal"}


def test_a_voice_clone_made_only_with_consent_is_a_restriction(extract_text):
    ex = extract_text("La start-up Sonavox ne pourra créer une voix de synthèse qu'avec le consentement du comédien.")
    assert policy_types(ex, "sonavox") == {"restriction"}


def test_turning_its_back_on_a_capital_is_leaving_that_market(extract_text):
    ex = extract_text("Le groupe Veltrix tourne le dos à Moscou.")
    assert {(p.type, p.technology) for p in ex.policies if p.company == "veltrix"} == {("withdrawal", "other")}


def test_selling_its_businesses_in_a_country_is_a_withdrawal(extract_text):
    ex = extract_text("La société Vandex a cédé ses activités russes à un consortium.")
    assert policy_types(ex, "vandex") == {"withdrawal"}


def test_a_partitive_object_after_ne_plus_is_the_refusals_object(extract_text):
    ex = extract_text("La société Veltrix ne fournira plus de logiciels de reconnaissance faciale aux polices "
                      "municipales.")
    assert policy_types(ex, "veltrix") == {"sales-refusal"}


def test_closing_its_service_to_some_is_a_restriction(extract_text):
    ex = extract_text("La banque d'images Pictavo ferme son catalogue aux créations de l'IA générative.")
    assert policy_types(ex, "pictavo") == {"restriction"}


def test_closing_the_door_to_customers_is_still_a_refusal(extract_text):
    ex = extract_text("La société Pictavo ferme la porte aux entreprises chinoises pour ses services d'IA "
                      "générative.")
    assert policy_types(ex, "pictavo") == {"sales-refusal"}


def test_closing_its_servers_in_turn_is_no_restriction(extract_text):
    ex = extract_text("La société Veltrix a indiqué qu'elle fermerait à son tour ses serveurs de VPN en Inde.")
    assert "restriction" not in policy_types(ex, "veltrix")


def test_backpedalling_on_a_technology_is_a_restriction(extract_text):
    ex = extract_text("La start-up Veltrix fait machine arrière sur la reconnaissance faciale.")
    assert policy_types(ex, "veltrix") == {"restriction"}


def test_training_ai_on_a_catalogue_is_about_generative_ai(extract_text):
    ex = extract_text("Deezer interdit la fouille de textes et de données de son catalogue.")
    assert {p.technology for p in ex.policies if p.company == "deezer"} == {"generative-ai"}


def test_a_public_body_is_no_referent_for_a_company_description(extract_text):
    ex = extract_text("Pour les ouvrages diffusés dans l'Union européenne, l'éditeur ajoute une réserve sur la "
                      "fouille de textes et de données.")
    assert "union-europeenne" not in kinds(ex)


def test_a_title_split_at_its_colon_counts_as_one_sentence_of_the_lead(extract_text):
    ex = extract_text("Semi-conducteurs : Qualcomm coupe le robinet\nPublié le 10 novembre 2024 à 17h40\n"
                      "Le fondeur se range derrière Washington. Qualcomm a annoncé qu'il cessait de vendre ses "
                      "puces aux clients chinois.", date=None)
    quotes = {e.quote for p in ex.policies if p.company == "qualcomm" for e in p.evidence}
    assert any("cessait de vendre" in q for q in quotes), quotes


def test_a_bank_introduces_a_company(extract_text):
    ex = extract_text("La banque turque DenizBank a suspendu lundi les opérations passant par le système de "
                      "paiement russe Mir.")
    assert kinds(ex).get("denizbank") == "company"
    assert policy_types(ex, "denizbank") == {"moratorium"}


def test_plus_de_is_more_than_not_a_negation(extract_text):
    ex = extract_text("La société Veltrix a annoncé qu'elle bloquait plus de 2 000 caméras de reconnaissance "
                      "faciale dans ses magasins.")
    assert policy_types(ex, "veltrix") != set()


def test_ne_plus_que_restricts_it_does_not_deny(extract_text):
    ex = extract_text("La société Veltrix a annoncé qu'elle n'accepterait plus que les contenus pornographiques "
                      "publiés par des utilisateurs vérifiés.")
    assert policy_types(ex, "veltrix") == {"restriction"}


def test_a_technology_label_matches_without_its_inner_article(extractor):
    doc = extractor.nlp("Musique générée par IA : la plateforme retire ces titres de ses recommandations.")
    assert [(s.text, s.label_) for s in doc.spans["vigie_concepts"]] == [("générée par IA", "tech:generative-ai")]



def test_taking_things_out_of_what_a_platform_shows_is_a_restriction(extract_text):
    ex = extract_text("La plateforme de streaming Sonora a annoncé mardi qu'elle exclut désormais les titres "
                      "générés par IA de ses recommandations algorithmiques.")
    assert {(p.company, p.type) for p in ex.policies} == {("sonora", "restriction")}


def test_closing_a_feature_to_titles_is_a_restriction(extract_text):
    ex = extract_text("La plateforme de streaming Sonora ferme la porte de ses recommandations aux titres générés "
                      "par IA, a-t-elle annoncé mardi.")
    assert {(p.company, p.type) for p in ex.policies} == {("sonora", "restriction")}


def test_the_date_a_ban_takes_effect_is_not_when_it_was_announced(extract_text):
    ex = extract_text("Google a annoncé, vendredi 10 juillet, qu'il interdirait à partir du 11 août la publicité "
                      "pour les logiciels espions.")
    assert {(p.company, p.announced) for p in ex.policies} == {("google", "2020-07-10")}


def test_a_name_the_ner_calls_misc_that_begins_with_an_organisation_noun_is_an_organisation(extract_text):
    ex = extract_text("La Coalition for Fair Apps, qui regroupe des éditeurs d'applications, dénonce une tactique "
                      "d'intimidation.")
    assert kinds(ex).get("coalition-for-fair-apps") == "advocate"


def test_stopping_deliveries_to_a_named_firm_is_a_refusal_to_sell(extract_text):
    ex = extract_text("À partir de ce mardi 15 septembre, Samsung cesse de livrer ses puces mémoire à Huawei, "
                      "rapportent plusieurs médias sud-coréens.")
    assert {(p.company, p.type) for p in ex.policies} == {("samsung", "sales-refusal")}


def test_a_capitalised_title_word_written_lower_case_further_down_is_no_organisation(extract_text):
    ex = extract_text("Semi-conducteurs : les coréens Korvex et Samsung coupent les ponts avec Huawei\n"
                      "La part de Huawei dans les exportations de semi-conducteurs reste limitée.")
    assert "semi-conducteurs" not in kinds(ex)


def test_an_organisation_s_last_word_alone_is_that_organisation(extract_text):
    ex = extract_text("Les coréens Hynix et Samsung coupent les ponts avec Huawei\n"
                      "Le fabricant SK Hynix a confirmé qu'il cessait de livrer Huawei.")
    assert "hynix" not in kinds(ex)


def test_a_name_set_off_as_a_messaging_app_is_a_company(extract_text):
    ex = extract_text("Kalimo, la messagerie émiratie soupçonnée d'espionnage, a cessé de fonctionner. "
                      "Kalimo n'a pas répondu.")
    assert kinds(ex).get("kalimo") == "company"


def test_a_decision_anywhere_in_the_lead_paragraph_takes_the_article_s_technology(extract_text):
    ex = extract_text("Australie : les assureurs-vie se privent des tests génétiques pendant cinq ans\n"
                      "Sous la pression du Parlement, les compagnies d'assurance-vie australiennes acceptent de ne "
                      "plus exploiter les résultats de tests génétiques. Le Financial Services Council (FSC), qui "
                      "fédère le secteur, a annoncé cette semaine un moratoire qui entrera en vigueur le 1er juillet.\n"
                      "Le candidat reste libre de communiquer un résultat favorable.")
    assert ("financial-services-council", "moratorium", "dna-testing") in {
        (p.company, p.type, p.technology) for p in ex.policies}


def test_a_weekday_opening_a_sentence_is_no_company(extract_text):
    ex = extract_text("Mercredi, le groupe Sonora a suspendu la reconnaissance faciale. Mercredi, il a confirmé.")
    assert "mercredi" not in kinds(ex)


def test_a_court_named_by_its_acronym_decides_nothing(extract_text):
    ex = extract_text("La Cour européenne des droits de l'homme (CEDH) a jugé que la Russie avait violé le droit. "
                      "La CEDH a interdit l'usage de la reconnaissance faciale contre un manifestant.")
    assert not ex.policies


def test_a_common_french_idiom_for_stopping_sales_is_a_refusal_to_sell(extract_text):
    ex = extract_text("Le fabricant Torvane a décidé de fermer le robinet aux forces de l'ordre chinoises, qui "
                      "utilisaient ses outils d'extraction de données de téléphones.")
    assert {(p.company, p.type) for p in ex.policies} == {("torvane", "sales-refusal")}


def test_x_is_the_social_network_where_the_article_names_its_owner_or_products(extract_text):
    ex = extract_text("Le réseau social d'Elon Musk a cédé. X a accepté jeudi de suspendre l'entraînement de Grok, "
                      "son IA générative, sur les messages de ses utilisateurs européens.")
    assert kinds(ex).get("twitter") == "company"


def test_x_as_an_unknown_party_or_without_the_network_s_context_is_no_company(extract_text):
    ex = extract_text("Elon Musk a porté plainte contre X pour diffamation, et une autre plainte vise le réseau "
                      "social pour avoir suspendu des comptes.", doc_id="t1")
    assert "twitter" not in kinds(ex)
    ex = extract_text("X a accepté jeudi de suspendre le traitement des données de ses utilisateurs.", doc_id="t2")
    assert "twitter" not in kinds(ex)


def test_a_platform_given_a_nationality_in_apposition_is_a_company(extract_text):
    ex = extract_text("Deepfakes : Velcast fait le ménage\nVelcast, une plateforme californienne d'hébergement de "
                      "vidéos, a commencé mercredi à supprimer les deepfakes.")
    assert kinds(ex).get("velcast") == "company"


def test_a_body_of_firms_campaigning_is_no_advocate(extract_text):
    ex = extract_text("L'Association des assureurs britanniques réclame une loi sur les tests génétiques. "
                      "La Ligue des droits humains demande une interdiction.")
    assert "association-des-assureurs-britanniques" not in kinds(ex)


def test_a_university_suspending_a_tool_it_uses_decides(extract_text):
    ex = extract_text("L'université Cornell a annoncé mercredi qu'elle suspendait la reconnaissance faciale sur son "
                      "campus.")
    assert ("universite-cornell", "moratorium") in {(p.company, p.type) for p in ex.policies}


def test_a_university_named_beside_a_decision_it_does_not_take_decides_nothing(extract_text):
    ex = extract_text("Issue d'un laboratoire de l'Université de Lausanne, la société Veltis a annoncé le retrait "
                      "de son logiciel de reconnaissance des émotions.")
    assert {p.company for p in ex.policies} == {"veltis"}


def test_a_name_set_off_after_an_executive_s_title_is_that_person(extract_text):
    ex = extract_text("Quarante-deux élus avaient écrit au PDG, Sundar Pichai, pour lui demander de cesser de "
                      "collecter les données de localisation des utilisateurs.")
    assert kinds(ex).get("sundar-pichai") != "company" and not ex.policies


def test_an_administration_ordering_a_removal_is_no_company(extract_text):
    ex = extract_text("Apple a retiré vendredi WhatsApp de sa boutique d'applications en Chine, à la demande de "
                      "l'Administration du cyberespace de Chine, qui invoque la sécurité nationale.")
    assert "administration-du-cyberespace-de-chine" not in kinds(ex)


def test_a_name_the_ner_cut_in_two_is_one_name(extract_text):
    ex = extract_text("Pour Mary Anne Franks, professeure de droit et militante, ces suppressions ne suffiront pas : "
                      "elle appelle le Congrès à adopter une loi fédérale.")
    assert "mary-anne-franks" in kinds(ex) and "anne-franks" not in kinds(ex)


def test_a_restrictive_ne_que_after_a_long_object_is_a_restriction(extract_text):
    ex = extract_text("23andMe et Ancestry se sont engagés mardi à ne communiquer les données génétiques de leurs "
                      "utilisateurs aux forces de l'ordre que sur présentation d'un mandat.")
    assert {(p.company, p.type) for p in ex.policies} == {("23andme", "restriction"), ("ancestry", "restriction")}


def test_ne_pas_followed_by_tant_que_is_no_restrictive_ne_que(extract_text):
    ex = extract_text("Le groupe Sonora a annoncé qu'il ne vendrait pas sa technologie de reconnaissance faciale à "
                      "la police tant qu'aucune loi fédérale ne serait adoptée.")
    assert "restriction" not in {p.type for p in ex.policies}


def test_the_establishment_after_a_named_university_is_that_university(extract_text):
    ex = extract_text("L'Université Cornell ne scrutera pas les visages de ses étudiants. L'établissement a annoncé "
                      "mercredi qu'il renonçait à utiliser la reconnaissance faciale sur les caméras de son campus.")
    assert ("universite-cornell", "withdrawal") in {(p.company, p.type) for p in ex.policies}


def test_refusing_the_police_a_backdoor_is_a_refusal_to_sell(extract_text):
    ex = extract_text("Le fabricant Velcom refuse d'ouvrir une porte dérobée au FBI dans ses téléphones chiffrés.")
    assert ("velcom", "sales-refusal") in {(p.company, p.type) for p in ex.policies}


def test_a_participle_opening_a_sentence_before_a_comma_is_no_company(extract_text):
    ex = extract_text("Microsoft a suspendu les services du raffineur. Sollicité, Microsoft n'a pas souhaité "
                      "commenter.")
    assert "sollicite" not in kinds(ex)


def test_an_organisation_listed_with_a_known_advocate_across_where_they_sit_campaigns_too(extract_text):
    ex = extract_text("L'étude a été publiée par deux organisations européennes, AlgorithmWatch, basée à Berlin et "
                      "à Zurich, et Tracking Lab, installée à Paris. Elles demandent une loi.")
    assert kinds(ex).get("tracking-lab") == "advocate"


def test_a_platform_removing_a_kind_of_users_posts_restricts_them(extract_text):
    ex = extract_text("Les faussaires perdent leur hébergeur favori. Velcast, une plateforme californienne "
                      "d'hébergement de vidéos, a commencé mercredi à supprimer les deepfakes pornographiques générés "
                      "par intelligence artificielle.")
    assert {(p.company, p.type) for p in ex.policies} == {("velcast", "restriction")}


def test_the_social_network_stands_for_the_network_the_article_named_not_for_facebook(extract_text):
    ex = extract_text("Le gouvernement s'est vu opposer un refus par Twitter. Faute de pouvoir tenir un registre, le "
                      "réseau social a décidé de ne plus accepter en France de publicités politiques.")
    assert {p.company for p in ex.policies} == {"twitter"}


def test_no_longer_accepting_political_ads_refuses_to_sell_them(extract_text):
    ex = extract_text("Twitter a décidé de ne plus accepter de publicités politiques en France.")
    assert {(p.company, p.type) for p in ex.policies} == {("twitter", "sales-refusal")}


def test_no_longer_offering_a_service_to_anyone_still_leaves_the_market(extract_text):
    ex = extract_text("IBM a décidé de ne plus commercialiser son logiciel de reconnaissance faciale.")
    assert {(p.company, p.type) for p in ex.policies} == {("ibm", "withdrawal")}


def test_measures_taken_to_restrict_are_the_decision_not_an_aim(extract_text):
    ex = extract_text("Twitter a pris des mesures pour restreindre l'accès à la reconnaissance faciale en Turquie.")
    assert {(p.company, p.type) for p in ex.policies} == {("twitter", "restriction")}


def test_a_law_passed_to_restrict_is_still_an_aim(extract_text):
    ex = extract_text("Le Parlement a voté une loi pour restreindre l'accès à la reconnaissance faciale.")
    assert not ex.policies


def test_a_company_s_official_account_speaking_is_the_company(extract_text):
    ex = extract_text("Velcast, une start-up française, a répondu aux critiques. « Nous avons pris des mesures pour "
                      "restreindre l'accès à la "
                      "reconnaissance faciale en Turquie », a indiqué le compte officiel consacré aux affaires "
                      "publiques de l'entreprise.")
    assert {(p.company, p.type) for p in ex.policies} == {("velcast", "restriction")}


def test_the_number_one_of_a_market_stands_for_the_company_named_before(extract_text):
    ex = extract_text("Spotify fait le ménage. Le numéro un mondial de l'écoute en ligne a retiré les titres générés "
                      "par intelligence artificielle de Velcast.")
    assert "spotify" in {p.company for p in ex.policies}


def test_whoever_takes_the_measures_decides_what_they_aim_at_even_in_a_quote(extract_text):
    ex = extract_text("« Depuis que nous avons vu ces messages, xAI a pris des mesures pour bannir les discours de "
                      "haine générés par intelligence artificielle », a écrit l'équipe.")
    assert {p.company for p in ex.policies} == {"xai"}


def test_promising_a_technology_stays_optional_restricts_it(extract_text):
    ex = extract_text("La chaîne Orvalis promet que la reconnaissance faciale restera facultative pour ses clients.")
    assert {(p.company, p.type) for p in ex.policies} == {("orvalis", "restriction")}


def test_a_technology_staying_optional_with_nobody_promising_decides_nothing(extract_text):
    ex = extract_text("Selon les experts, la reconnaissance faciale restera facultative dans les magasins.")
    assert not ex.policies


def test_an_apposition_the_parser_cut_from_its_name_still_names_the_decider(extract_text):
    ex = extract_text("Distributeurs : la fin d'un projet\n date 2020-02\nRetirer de l'argent d'un simple regard : la "
                      "promesse aura fait long feu. La National Australia Bank (NAB), l'une des quatre grandes banques "
                      "du pays, a cessé de travailler sur ses distributeurs automatiques à reconnaissance faciale, a "
                      "révélé cette semaine le site spécialisé iTnews.", date=None)
    assert {p.company for p in ex.policies} == {"national-australia-bank"}


def test_an_act_a_law_bans_is_no_company_s_passive_decision(extract_text):
    ex = extract_text("Santé connectée : la bague Pictora\n date 2025-09\nLa société Pictora vend des bagues "
                      "connectées qui collectent des données de santé. Des utilisatrices s'inquiètent, dans un pays où "
                      "l'avortement est désormais interdit dans plusieurs États.", date=None)
    assert policy_types(ex, "pictora") == set()


def test_deactivating_every_account_of_a_country_withdraws_from_it(extract_text):
    ex = extract_text("Sanctions : l'éditeur Lumora coupe ses logiciels\n date 2021-03\nLe décret présidentiel "
                      "interdit les transactions avec le pays. Plus loin dans l'article, on apprend que, pour s'y "
                      "conformer, Lumora désactive tous les comptes au Venezuela.", date=None)
    assert ("lumora", "withdrawal") in {(p.company, p.type) for p in ex.policies}


def test_deactivating_one_user_s_account_decides_nothing(extract_text):
    ex = extract_text("Le réseau social Lumora a désactivé mardi le compte d'un militant vénézuélien.")
    assert not ex.policies


def test_no_longer_accepting_ads_from_a_class_of_advertisers_refuses_them_the_sale(extract_text):
    ex = extract_text("Publicité : la règle change\n date 2019-08\nLe réseau social Lumora a publié ses chiffres. "
                      "Lumora a annoncé lundi qu'il n'accepterait plus, « à l'avenir », de publicité de la part des "
                      "médias contrôlés par l'État.", date=None)
    assert ("lumora", "sales-refusal") in {(p.company, p.type) for p in ex.policies}


def test_a_name_opening_the_sentence_after_a_description_decides_its_verb(extract_text):
    ex = extract_text("Téléphones : la fin d'un marché\n date 2021-08\nL'israélien Forenso, dont les boîtiers "
                      "permettent de déverrouiller et d'aspirer le contenu des smartphones saisis, ne vendra plus ses "
                      "produits à la police du Bangladesh.", date=None)
    assert ("forenso", "sales-refusal") in {(p.company, p.type) for p in ex.policies}


def test_reducing_some_customers_access_to_a_programme_restricts_it(extract_text):
    ex = extract_text("Microsoft a confirmé mercredi avoir réduit l'accès des entreprises chinoises à son programme "
                      "d'alerte précoce sur les vulnérabilités.")
    assert ("microsoft", "restriction") in {(p.company, p.type) for p in ex.policies}


def test_a_name_the_sentence_splitter_cut_off_still_decides_the_verb_after_it(extract_text):
    # spaCy ends a sentence after "Facebook" here, and the next opens on "serre"
    ex = extract_text("Désinformation : sur Messenger, on ne pourra plus transférer un message qu'à cinq "
                      "destinataires\n\nPublié le 04/09/2020 à 08:05 | Par Julien Moreau\n\nFacebook serre la vis sur "
                      "sa messagerie à deux mois de l'élection présidentielle américaine.", date=None)
    assert ("meta", "restriction") in {(p.company, p.type) for p in ex.policies}


def test_a_clause_cut_after_a_named_object_is_not_decided_by_that_name(extract_text):
    ex = extract_text("La société californienne, qui revendique 200 millions de participants quotidiens en mars "
                      "contre 10 millions en décembre, avait déjà retiré quelques jours plus tôt de son application "
                      "iOS un kit de Facebook qui transmettait des données au réseau social, et a désactivé une "
                      "fonction qui rapprochait les utilisateurs de leur profil LinkedIn.")
    assert "meta" not in {p.company for p in ex.policies}


def test_no_longer_accepting_something_until_further_notice_is_a_moratorium(extract_text):
    ex = extract_text("La plateforme Lumora a annoncé cette semaine qu'elle n'accepterait plus, jusqu'à nouvel ordre, "
                      "les œuvres produites par IA générative.")
    assert {(p.company, p.type) for p in ex.policies} == {("lumora", "moratorium")}


def test_a_firm_opposing_a_flat_refusal_to_a_government_s_demand_refuses(extract_text):
    ex = extract_text("Chiffrement : la messagerie Lumora oppose une fin de non-recevoir aux gouvernements\n date "
                      "2019-12\nPas de porte dérobée dans le chiffrement de bout en bout, pour personne.", date=None)
    assert ("lumora", "sales-refusal") in {(p.company, p.type) for p in ex.policies}
