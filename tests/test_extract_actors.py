"""Advocates, people, legislatures and statements."""

from __future__ import annotations


def actor(extraction, key):
    return next((a for a in extraction.actors if a.ref.key == key), None)


def test_person_working_for_an_advocate_is_an_advocate_with_role_and_affiliation(extract_text):
    text = ("Nicole Ozer, directrice de la technologie et des libertés civiles de l’ACLU, a déclaré : "
            "« Amazon doit aller plus loin. »")
    ozer = actor(extract_text(text), "nicole-ozer")
    assert ozer.ref.kind == "advocate"
    assert ozer.affiliation.key == "aclu"
    assert ozer.role.startswith("directrice")


def test_company_spokesperson_is_a_person_not_an_advocate(extract_text):
    text = "« Nous soutenons une régulation », a déclaré Brad Smith, président de Microsoft."
    smith = actor(extract_text(text), "brad-smith")
    assert smith.ref.kind == "person" and smith.affiliation.key == "microsoft"


def test_role_before_the_name_with_possessive(extract_text):
    text = "IBM change de cap : son nouveau PDG, Arvind Krishna, a écrit au Congrès."
    krishna = actor(extract_text(text), "arvind-krishna")
    assert krishna.ref.kind == "person" and krishna.affiliation.key == "ibm"


def test_unknown_organisation_that_campaigns_is_an_advocate(extract_text):
    ex = extract_text("L'Association canadienne des libertés civiles a dénoncé une surveillance de masse.")
    advocates = {a.ref.key for a in ex.actors if a.ref.kind == "advocate"}
    assert "association-canadienne-des-libertes-civiles" in advocates


def test_company_criticising_is_not_an_advocate(extract_text):
    ex = extract_text("IBM a critiqué les entreprises qui vendent la reconnaissance faciale.")
    assert actor(ex, "ibm").ref.kind == "company"


def test_call_on_a_company_is_a_statement_with_its_target(extract_text):
    ex = extract_text("L'ACLU a appelé Microsoft à prendre la même décision.")
    statement = next(s for s in ex.statements if s.speaker.key == "aclu")
    assert [t.key for t in statement.targets] == ["microsoft"]


def test_advocate_quote_is_a_statement_targeting_who_it_names(extract_text):
    text = ("Matt Cagle, avocat de l’ACLU, a déclaré : « Amazon et le Congrès doivent agir. »")
    statement = next(s for s in extract_text(text).statements if s.quote)
    assert statement.speaker.key == "matt-cagle"
    assert {t.key for t in statement.targets} == {"amazon", "us-congress"}


def test_pronoun_after_quote_is_the_last_speaker(extract_text):
    text = ("Nicole Ozer, directrice à l’ACLU, a déclaré : « Bien. » « Amazon doit aller plus loin », "
            "a-t-elle ajouté.")
    speakers = [s.speaker.key for s in extract_text(text).statements if s.quote]
    assert speakers == ["nicole-ozer", "nicole-ozer"]


def test_french_names_of_the_us_congress(extract_text):
    ex = extract_text("Amazon restait prête à aider les parlementaires américains.")
    assert actor(ex, "us-congress").ref.kind == "legislature"


def test_city_council_is_a_legislature(extract_text):
    ex = extract_text("Le conseil municipal de Saint-Brieuc a voté l'interdiction de la reconnaissance faciale.")
    council = actor(ex, "conseil-municipal-de-saint-brieuc")
    assert council is not None and council.ref.kind == "legislature"


def test_a_city_council_in_the_gazetteer_is_its_known_legislature(extract_text):
    ex = extract_text("Le conseil municipal de San Francisco a voté l'interdiction de la reconnaissance faciale.")
    assert keys(ex, "legislature") == {"san-francisco-board-of-supervisors"}


def test_qualified_senate_is_not_the_french_senate(extract_text):
    ex = extract_text("Le Sénat de Californie examine un texte sur les caméras-piétons.")
    assert actor(ex, "senat") is None
    assert actor(ex, "senat-de-californie").ref.kind == "legislature"


def test_city_council_deciding_is_not_a_company_policy(extract_text):
    ex = extract_text("Le conseil municipal de Portland a interdit la reconnaissance faciale aux commerces.")
    assert ex.policies == []


def test_newspaper_cited_as_source_is_not_an_actor(extract_text):
    ex = extract_text("La décision d'Amazon a été révélée par le New York Times.\n\nSource : The Register")
    assert {a.ref.key for a in ex.actors} == {"amazon"}


def test_comparison_is_not_a_target(extract_text):
    ex = extract_text("L'ACLU a appelé Microsoft à prendre la même décision qu'IBM, Google et Amazon.")
    statement = next(s for s in ex.statements if s.speaker.key == "aclu")
    assert [t.key for t in statement.targets] == ["microsoft"]


def test_ministry_deciding_is_not_a_company(extract_text):
    ex = extract_text("Le ministère de l'Intérieur a suspendu l'usage de la reconnaissance faciale.")
    assert ex.policies == [] and not [a for a in ex.actors if a.ref.kind == "company"]


def test_senator_calling_for_a_law_is_not_an_advocate(extract_text):
    ex = extract_text("Le sénateur Ed Markey a demandé au Congrès d'adopter une loi sur la reconnaissance faciale.")
    assert not [a for a in ex.actors if a.ref.kind == "advocate"]


def test_ngo_campaigning_is_an_advocate(extract_text):
    ex = extract_text("« C'est une victoire », s'est félicitée l'ONG Digital Freedom Europe, qui mène la campagne.")
    assert "digital-freedom-europe" in {a.ref.key for a in ex.actors if a.ref.kind == "advocate"}


def test_known_european_digital_rights_network_is_edri(extract_text):
    ex = extract_text("« C'est une victoire », s'est félicitée l'ONG European Digital Rights, qui mène la campagne.")
    assert "edri" in {a.ref.key for a in ex.actors if a.ref.kind == "advocate"}


def test_researcher_campaigning_is_an_advocate_and_her_university_is_not(extract_text):
    ex = extract_text("Joy Buolamwini, chercheuse au MIT, a dénoncé les biais des logiciels d'Amazon.")
    kinds = {a.ref.key: a.ref.kind for a in ex.actors}
    assert kinds.get("joy-buolamwini") == "advocate"
    assert "mit" not in kinds


def test_unknown_affiliation_that_neither_decides_nor_campaigns_is_not_emitted(extract_text):
    ex = extract_text("Kate Crawford, cofondatrice du Lumen Institute, plaide pour un moratoire.")
    assert {a.ref.key for a in ex.actors} == {"kate-crawford"}


def test_known_research_advocate_is_the_affiliation(extract_text):
    ex = extract_text("Kate Crawford, cofondatrice de l'AI Now Institute, plaide pour un moratoire.")
    assert actor(ex, "kate-crawford").affiliation.key == "ai-now-institute"


def test_state_senate_with_state_of(extract_text):
    ex = extract_text("Le Sénat de l'État de Washington a adopté une loi sur la reconnaissance faciale.")
    assert actor(ex, "senat-de-l-etat-de-washington").ref.kind == "legislature"


def test_shareholders_meeting_is_not_a_legislature(extract_text):
    ex = extract_text("L'assemblée générale des actionnaires d'Amazon a rejeté la proposition.")
    assert not [a for a in ex.actors if a.ref.kind == "legislature"]


# ---------------------------------------------------------------- issue 13: advocates named other ways


def test_person_of_a_named_organisation_is_an_advocate_with_its_affiliation(extract_text):
    ex = extract_text("Jane Doe, de l'organisation Privacy International, a dénoncé la surveillance de masse.")
    assert actor(ex, "jane-doe").ref.kind == "advocate"
    assert actor(ex, "jane-doe").affiliation.key == "privacy-international"


def test_person_who_leads_an_organisation_is_affiliated_to_it(extract_text):
    ex = extract_text("Evan Greer, qui dirige Fight for the Future, a critiqué Amazon.")
    assert actor(ex, "evan-greer").affiliation.key == "fight-for-the-future"


def test_comma_and_de_before_a_place_does_not_make_a_person(extract_text):
    ex = extract_text("Amazon a suspendu la reconnaissance faciale, de Seattle à Boston.")
    assert not [a for a in ex.actors if a.ref.kind in ("advocate", "person")]


def test_state_chapter_is_a_name_of_the_organisation(extract_text):
    ex = extract_text("L'ACLU du Massachusetts a demandé à Amazon de cesser de vendre la reconnaissance faciale.")
    aclu = actor(ex, "aclu")
    assert aclu.ref.kind == "advocate" and "ACLU du Massachusetts" in aclu.aliases
    assert actor(ex, "massachusetts") is None


def test_city_branch_is_a_name_of_the_organisation(extract_text):
    ex = extract_text("La branche new-yorkaise de l'ACLU a dénoncé la vidéosurveillance.")
    assert "branche new-yorkaise de l'ACLU" in actor(ex, "aclu").aliases


def test_organisation_named_after_its_description_is_an_advocate(extract_text):
    text = ("Le collectif de salariés No Azure for Apartheid salue une victoire. « C'est une première », a déclaré "
            "Hossam Nasr, l'un des organisateurs du collectif.")
    ex = extract_text(text)
    assert actor(ex, "no-azure-for-apartheid").ref.kind == "advocate"
    assert actor(ex, "hossam-nasr").affiliation.key == "no-azure-for-apartheid"
    assert actor(ex, "azure") is None


def test_description_before_a_known_advocate_keeps_the_known_one(extract_text):
    ex = extract_text("L'association Amnesty International a dénoncé la vidéosurveillance.")
    assert {a.ref.key for a in ex.actors} == {"amnesty-international"}


# ---------------------------------------------------------------- issue 13: legislatures


def test_coordinated_chambers_are_two_legislatures(extract_text):
    ex = extract_text("Le Sénat puis l'Assemblée nationale ont voté une loi sur la reconnaissance faciale.")
    assert {a.ref.key for a in ex.actors if a.ref.kind == "legislature"} == {"senat", "assemblee-nationale"}


def test_bare_senate_in_an_american_article_is_the_us_senate(extract_text):
    ex = extract_text("Aux États-Unis, le Sénat a voté une loi américaine sur la reconnaissance faciale.")
    assert {a.ref.key for a in ex.actors if a.ref.kind == "legislature"} == {"us-senate"}


def test_bare_senate_in_a_french_article_is_the_french_senate(extract_text):
    ex = extract_text("En France, le Sénat a voté une loi française sur la reconnaissance faciale.")
    assert {a.ref.key for a in ex.actors if a.ref.kind == "legislature"} == {"senat"}


def test_national_chambers_of_other_countries_are_known(extract_text):
    ex = extract_text("Le Bundestag et le Parlement européen ont débattu de la reconnaissance faciale.")
    assert {a.ref.key for a in ex.actors if a.ref.kind == "legislature"} == {"bundestag", "european-parliament"}


def test_described_city_council_is_the_article_s_city_council(extract_text):
    text = ("La ville de Somerville a débattu. Les élus du conseil de la ville ont voté l'interdiction de la "
            "reconnaissance faciale.")
    ex = extract_text(text)
    assert [a.ref.key for a in ex.actors if a.ref.kind == "legislature"] == ["conseil-municipal-de-somerville"]


def test_described_county_council_is_the_article_s_county_council(extract_text):
    ex = extract_text("Le comté de King a débattu de la reconnaissance faciale. Le conseil du comté a voté.")
    assert [a.ref.key for a in ex.actors if a.ref.kind == "legislature"] == ["conseil-du-comte-de-king"]


def test_board_of_directors_is_not_a_council(extract_text):
    ex = extract_text("Le conseil d'administration d'Amazon a rejeté la proposition sur la reconnaissance faciale.")
    assert not [a for a in ex.actors if a.ref.kind == "legislature"]


def test_senator_is_a_person_not_a_legislature(extract_text):
    ex = extract_text("Le sénateur Ed Markey a critiqué la reconnaissance faciale.")
    assert not [a for a in ex.actors if a.ref.kind == "legislature"]


def test_one_word_name_inside_a_longer_name_is_not_that_actor(extract_text):
    ex = extract_text("Au Mobile World Congress, Microsoft a défendu ses casques militaires.")
    assert not [a for a in ex.actors if a.ref.kind == "legislature"]


# ---------------------------------------------------------------- issue 13, batch 9: advocates and councils


def keys(extraction, kind):
    return {a.ref.key for a in extraction.actors if a.ref.kind == kind}


def test_union_named_after_a_delegates_role_is_an_advocate(extract_text):
    text = ("« Il a fallu une loi pour que ça cesse », résume Paul Martin, délégué syndical Solidaires Informatique "
            "dans un centre d'appels de Lille.")
    assert "solidaires-informatique" in keys(extract_text(text), "advocate")


def test_collective_with_a_lower_case_name_is_kept_whole(extract_text):
    text = ("Le collectif Nos visages ne sont pas à vendre, né en 2021 à Lyon, demande à Microsoft de renoncer à "
            "la reconnaissance faciale.")
    advocates = keys(extract_text(text), "advocate")
    assert "nos-visages-ne-sont-pas-a-vendre" in advocates
    assert "nos" not in advocates


def test_hyphenated_association_name_is_kept_whole(extract_text):
    text = "L'association e-Vigilance demande à Microsoft de renoncer à la reconnaissance faciale."
    assert "e-vigilance" in keys(extract_text(text), "advocate")


def test_camel_case_name_after_a_rights_description_is_an_advocate(extract_text):
    text = ("L'organisation canadienne de défense des libertés numériques OpenRights dénonce la reconnaissance "
            "faciale de Clearview.")
    assert "openrights" in keys(extract_text(text), "advocate")


def test_rights_group_antecedent_of_a_campaigning_relative_is_an_advocate(extract_text):
    text = ("Les outils ont servi contre des manifestants, selon le centre de défense des droits humains Vesna, "
            "qui avait appelé Microsoft à cesser ses ventes.")
    assert "vesna" in keys(extract_text(text), "advocate")


def test_defence_committee_of_a_parliament_is_no_rights_group(extract_text):
    text = "La commission des affaires étrangères et de la défense de la Knesset n'a pas fixé de date."
    extraction = extract_text(text)
    assert "knesset" not in keys(extraction, "advocate")
    assert "knesset" in keys(extraction, "legislature")


def test_organisation_named_by_a_campaigning_noun_decides_no_policy(extract_text):
    text = ("L'organisation de défense des libertés Article 21 y voit la preuve qu'une interdiction de la "
            "reconnaissance faciale change les pratiques.")
    assert not [p for p in extract_text(text).policies if p.company == "article-21"]


def test_organisation_apposition_names_an_advocate(extract_text):
    text = ("Vigilo Civic, une organisation qui lutte contre le profilage, réclame une loi sur la reconnaissance "
            "faciale.")
    assert "vigilo-civic" in keys(extract_text(text), "advocate")


def test_generic_council_is_no_legislature(extract_text):
    text = "L'ACLU réclame que chaque conseil municipal vote sur l'installation des caméras dans les États."
    assert keys(extract_text(text), "legislature") == set()


def test_described_council_takes_the_place_named_just_before(extract_text):
    text = ("Les caméras sont installées dans 49 États. À Oakland, en Californie, le conseil municipal a refusé de "
            "prolonger le contrat.")
    assert "conseil-municipal-d-oakland" in keys(extract_text(text), "legislature")


def test_regional_council_is_a_legislature(extract_text):
    text = "Le conseil régional de Bretagne a adopté une délibération interdisant la biométrie dans les lycées."
    assert any("bretagne" in k for k in keys(extract_text(text), "legislature"))


# ---------------------------------------------------------------- issue 13: whose role "sa directrice" names


def test_a_possessive_role_after_a_sentence_names_its_subject_not_its_object(extract_text):
    ex = extract_text("La Quadrature du Net a attaqué Clearview AI en mars. « Cette entreprise vit de "
                      "nos visages », a réagi sa directrice générale, Lena Harwick.")
    assert actor(ex, "lena-harwick").affiliation.key == "la-quadrature-du-net"
    assert actor(ex, "lena-harwick").ref.kind == "advocate"


def test_a_possessive_role_after_a_quote_does_not_name_a_firm_the_quote_names(extract_text):
    ex = extract_text("Pour Amnesty International, une suspension ne suffit pas. « Palantir doit rompre ce contrat », "
                      "estime sa secrétaire générale, Marta Oyelaran.")
    assert actor(ex, "marta-oyelaran").affiliation.key == "amnesty-international"


def test_a_possessive_role_right_after_a_name_is_that_name_s(extract_text):
    ex = extract_text("L'Electronic Frontier Foundation critique Google. Mais aussi Microsoft qui, par la voix de "
                      "Tom Varnier, son président, a confirmé sa position.")
    assert actor(ex, "tom-varnier").affiliation.key == "microsoft"


def test_a_colleague_is_of_the_organisation_last_named_not_of_the_sentence_s_subject(extract_text):
    ex = extract_text("Meta a qualifié cet usage de non autorisé. Ce choix inquiète Heidi Marsh, chercheuse à "
                      "l'AI Now Institute. Avec ses collègues Sara Pellin et Omar Dahl, elle dénonce le contrat.")
    assert actor(ex, "sara-pellin").affiliation.key == "ai-now-institute"


# ---------------------------------------------------------------- issue 13: names that say what they defend


def test_an_institute_whose_name_defends_consumers_is_an_advocate(extract_text):
    ex = extract_text("L'Institut péruvien de défense des consommateurs a dénoncé les caméras de la chaîne Tambo.")
    assert any(a.ref.kind == "advocate" and a.label.startswith("Institut péruvien") for a in ex.actors)


def test_a_national_institute_is_no_advocate_even_with_rights_in_its_name(extract_text):
    ex = extract_text("L'Institut national des droits de l'homme a publié un avis sur les caméras de la chaîne Tambo.")
    assert not [a for a in ex.actors if a.ref.kind == "advocate"]


def test_an_english_name_saying_civil_liberties_is_an_advocate(extract_text):
    ex = extract_text("La Andean Civil Liberties Union, qui défend la vie privée, réclame que Tambo renonce à ses "
                      "caméras.")
    assert any(a.ref.kind == "advocate" and a.label == "Andean Civil Liberties Union" for a in ex.actors)



def test_a_bare_parliament_is_the_parliament_of_the_article_s_country_even_one_the_gazetteer_lacks(extract_text):
    ex = extract_text("Au Kenya, la loi sur la protection des données adoptée par le Parlement l'an dernier exempte "
                      "les services de renseignement. Les associations kényanes dénoncent la surveillance.")
    assert keys(ex, "legislature") == {"parlement-ke"}


def test_senators_named_together_are_politicians_whatever_follows_the_names(extract_text):
    ex = extract_text("Le projet de loi, déposé en mars par les sénateurs Lindsey Marlow et Richard Pellam, inquiète "
                      "les défenseurs de la vie privée.")
    assert not keys(ex, "advocate")


def test_a_person_who_leads_one_of_its_programmes_belongs_to_the_organisation_just_named(extract_text):
    ex = extract_text("Pour l'ACLU du Massachusetts, il faut légiférer. « La loi doit précéder la technologie », "
                      "souligne Kate Morrow, qui dirige son programme consacré aux technologies.")
    assert actor(ex, "kate-morrow").ref.kind == "advocate"


def test_an_english_name_the_ner_cut_short_reads_on_to_its_last_capitalised_word(extract_text):
    ex = extract_text("La requête avait été déposée par la Uganda Human Rights Commission, qui dénonce la "
                      "surveillance.")
    assert keys(ex, "advocate") == {"uganda-human-rights-commission"}


def test_a_lower_case_nationality_after_an_english_name_is_not_part_of_it(extract_text):
    ex = extract_text("Les artistes sont partagés. La Featured Painters Coalition britannique, qui défend les "
                      "peintres, a salué la fermeté du label.")
    assert keys(ex, "advocate") == {"featured-painters-coalition"}


def test_a_french_name_keeps_its_nationality(extract_text):
    ex = extract_text("Le Sénat brésilien a adopté la loi sur l'intelligence artificielle.")
    assert keys(ex, "legislature") == {"brazilian-congress"}


def test_a_name_translated_into_french_keeps_the_original_acronym_as_its_alias(extract_text):
    ex = extract_text("L'Institut péruvien de défense des consommateurs (Aspec) a saisi le régulateur. Selon "
                      "Aspec, les caméras de la chaîne Tambo sont illégales.")
    advocates = [a for a in ex.actors if a.ref.kind == "advocate"]
    assert len(advocates) == 1 and {"Aspec", "Institut péruvien de défense des consommateurs"} <= advocates[0].aliases


def test_a_government_council_that_denounces_is_no_advocate(extract_text):
    ex = extract_text("Le Conseil des ministres a dénoncé une surveillance de masse et approuvé un projet de loi.")
    assert not {k for k in keys(ex, "advocate") if k.startswith("conseil")}


def test_a_council_for_a_cause_that_denounces_is_an_advocate(extract_text):
    ex = extract_text("Le Conseil des relations américano-islamiques a dénoncé une surveillance de masse.")
    assert "conseil-des-relations-americano-islamiques" in keys(ex, "advocate")


def test_an_english_name_that_says_what_it_fights_is_a_campaigning_organisation(extract_text):
    ex = extract_text("« Il faut protéger les victimes », estime Erica Olsen, directrice du programme Safety Net au "
                      "National Network to End Domestic Violence.")
    assert {"national-network-to-end-domestic-violence", "erica-olsen"} <= keys(ex, "advocate")


def test_a_bill_named_after_privacy_is_no_advocate(extract_text):
    ex = extract_text("« Ce texte ne va pas assez loin », estime le Future of Privacy Forum, qui soutient "
                      "l'American Privacy Rights Act.")
    assert keys(ex, "advocate") == {"future-of-privacy-forum"}


def test_a_name_that_is_a_commercial_web_address_is_a_company(extract_text):
    ex = extract_text("Wyze perd son fournisseur. En cause : son fournisseur, la start-up Xnor.ai, a mis fin au "
                      "contrat. Xnor.ai a été rachetée.")
    assert "xnor-ai" in keys(ex, "company")


def test_a_dot_org_name_is_no_company(extract_text):
    ex = extract_text("« C'est un auxiliaire de la censure », dénonce Charlie Smith, cofondateur de GreatFire.org, "
                      "qui recense les applications retirées. GreatFire.org publie la liste.")
    assert not {k for k in keys(ex, "company") if k.startswith("greatfire")}


def test_a_body_of_firms_described_before_its_name_is_no_advocate(extract_text):
    ex = extract_text("La fédération du numérique Bitkom a vivement critiqué une interdiction « générale et non "
                      "annoncée » de la reconnaissance faciale.")
    assert "bitkom" not in keys(ex, "advocate")


def test_a_known_chamber_s_whole_name_is_not_read_again_as_an_unknown_one(extract_text):
    ex = extract_text("Le texte a été adopté par la Grande Assemblée nationale de Turquie en octobre.")
    assert keys(ex, "legislature") == {"turkish-parliament"}


def test_a_site_that_closes_its_doors_is_a_business(extract_text):
    ex = extract_text("Deepfakes : Pictorafakes, le plus grand site du genre, baisse le rideau\n date 2025-05\n"
                      "C'était une plaque tournante. Pictorafakes a fermé ses portes.", date=None)
    assert "pictorafakes" in keys(ex, "company")


def test_an_acronym_after_a_state_body_written_in_lower_case_names_that_body_not_a_company(extract_text):
    ex = extract_text("Trottinettes : Uber refuse de livrer à Los Angeles les trajets de ses clients en temps réel. "
                      "Le département des transports de Los Angeles (LADOT) a suspendu mardi 29 octobre le permis de "
                      "Jump, la filiale du groupe qui loue des trottinettes, faute pour l'entreprise de respecter les "
                      "règles de partage de données. « Toutes les autres entreprises autorisées à Los Angeles "
                      "respectent les règles », insiste Connie Llanos, porte-parole du LADOT.")
    assert "ladot" not in keys(ex, "company")
    assert not any(p.company == "ladot" for p in ex.policies)


def test_an_acronym_after_a_company_description_still_names_the_company(extract_text):
    ex = extract_text("Le service de cloud d'Amazon (AWS) a cessé de vendre son logiciel à la police.")
    assert not any("service-de-cloud" in a.ref.key for a in ex.actors)


def test_a_press_agency_in_a_photo_credit_is_no_actor(extract_text):
    ex = extract_text("La CNIL néerlandaise inflige une amende à Clearview AI.\n"
                      "Photo : le siège de l'autorité à La Haye. © Koen van Weel / ANP / AFP")
    assert "chinese-npc" not in keys(ex, "legislature")


def test_a_name_listed_with_places_is_a_place_not_a_company(extract_text):
    ex = extract_text("Measurement Systems payait les développeurs pour intégrer son module et s'intéressait en "
                      "priorité aux utilisateurs du Moyen-Orient, d'Asie et d'Europe centrale et orientale.")
    assert "moyen-orient" not in keys(ex, "company")


def test_a_mayor_named_with_the_party_s_acronym_is_no_advocate(extract_text):
    ex = extract_text("La ville renonce aux capteurs. Le maire (LR), Gaël Perdriau, ne désarme pas pour autant : il "
                      "appelle le Parlement à voter une loi qui encadrerait ce type d'outils.")
    assert "gael-perdriau" not in keys(ex, "advocate")


def test_a_platform_s_store_named_alone_is_a_product_of_its_maker_not_a_company(extract_text):
    ex = extract_text("Google a retiré mardi une centaine d'applications. Le Play Store, qui en compte des millions, "
                      "avait déjà banni les applications de ce courtier en données.")
    store = actor(ex, "google-play")
    assert store is not None and store.ref.kind == "product" and store.made_by.key == "google"
    assert "play-store" not in keys(ex, "company")
