"""The extractors' additions to document reading (the rest is tested in test_documents.py)."""

from __future__ import annotations

import pytest

from extractors.documents import document_from_text


def test_date_line_under_the_title_is_the_date_and_is_blanked():
    doc = document_from_text("Axon met en pause son projet\n date 2022-06\nLe 5 juin, Axon a annoncé …", "a")
    assert doc.date == "2022-06"
    assert doc.title == "Axon met en pause son projet"
    assert "date" not in doc.body and len(doc.body) == len(doc.text)


def test_date_word_in_prose_is_not_a_date_line():
    doc = document_from_text("Titre\nLa date 2020-06 fixée par Amazon approche.", "b")
    assert doc.date is None


def test_date_line_far_down_the_article_is_not_the_article_date():
    lines = ["Titre"] + [f"Paragraphe {i}." for i in range(8)] + [" date 2019-01"]
    assert document_from_text("\n".join(lines), "c").date is None


def test_date_line_heading_the_body_after_a_blank_line_is_read_and_blanked():
    text = "Microsoft suspend la reconnaissance faciale\n\n date 2021-05 Le 3 mai, Microsoft a annoncé …"
    doc = document_from_text(text, "d")
    assert doc.date == "2021-05"
    assert doc.title == "Microsoft suspend la reconnaissance faciale"
    assert "date" not in doc.body and "2021-05" not in doc.body and "Le 3 mai" in doc.body
    assert len(doc.body) == len(doc.text)


@pytest.mark.parametrize(("line", "day"), [
    ("Publié le 21 février 2019 à 18h40", "2019-02-21"),
    ("Mis à jour le 28/07/2021 à 18h05", "2021-07-28"),
    ("17/04/2023 – 19:20", "2023-04-17"),
    ("Par Les Echos avec Reuters – 25 mars 2022 à 09h12", "2022-03-25"),
    ("Séoul, le 20 février 2020 à 07h30 (AFP)", "2020-02-20"),
    ("Publié le samedi 2 septembre 2023 à 10h15", "2023-09-02"),
    ("Le 1er juin 2020, mis à jour à 10h02", "2020-06-01"),
    ("Istanbul (AFP) – 19 sept. 2022 à 19:40", "2022-09-19"),
    ("Les Echos – 6 févr. 2024 à 7:30", "2024-02-06"),
    ("08.06.2023 – 07h40", "2023-06-08"),
    ("Publié le 02-07-20 à 07h55", "2020-07-02"),
    ("Publié le 11 janvier 2019 à 07h30 - Mis à jour le 11 janvier 2019 à 12h05", "2019-01-11"),
])
def test_a_press_date_line_under_the_title_is_the_articles_day_and_is_blanked(line, day):
    doc = document_from_text(f"Axon met en pause son projet\n{line}\nMercredi, Axon a annoncé une pause.", "p")
    assert doc.date == day
    assert line.split()[-1] not in doc.body and "Mercredi, Axon" in doc.body
    assert len(doc.body) == len(doc.text)


def test_a_first_sentence_holding_a_date_is_no_date_line():
    doc = document_from_text("Titre\nLe Sénat a voté le 2 septembre 2023 une loi sur la reconnaissance faciale.", "q")
    assert doc.date is None and "Sénat" in doc.body


def test_an_impossible_day_is_no_date():
    doc = document_from_text("Titre\nPublié le 31/02/2023 à 10h00\nTexte de l'article.", "r")
    assert doc.date is None
