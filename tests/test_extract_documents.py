"""The extractors' additions to document reading (the rest is tested in test_documents.py)."""

from __future__ import annotations

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
