"""Reading articles: decoding, metadata, boilerplate, and clear refusals of bad files."""

from __future__ import annotations

import codecs

import pytest

from extractors.documents import DocumentError, decode, document_from_text, read_document


def test_body_keeps_the_length_of_the_text_so_offsets_are_shared(seeds_dir):
    for path in seeds_dir.glob("*.txt"):
        document = read_document(path)
        assert len(document.body) == len(document.text)


def test_first_line_is_the_title():
    doc = document_from_text("Amazon met en pause ses services\nLe texte de l'article.\n", "a")
    assert doc.title == "Amazon met en pause ses services"


def test_date_line_gives_the_month_and_is_blanked_from_the_body():
    doc = document_from_text(" date 2020-06 Le 10 juin, Amazon a annoncé une pause.", "a")
    assert doc.date == "2020-06"
    assert "date" not in doc.body and "2020-06" not in doc.body
    assert doc.title.startswith("Le 10 juin, Amazon a annoncé")


def test_source_line_is_metadata_not_body():
    doc = document_from_text("Titre\n\nUn texte.\n\nSource : The Register\n\nLaisser un commentaire\n", "a")
    assert doc.source == "The Register"
    assert "Register" not in doc.body and "commentaire" not in doc.body


def test_source_and_question_glued_to_the_last_paragraph_are_removed():
    doc = document_from_text("Titre\nIl a parlé.Sources : Amazon Qu'en pensez-vous ?", "a")
    assert doc.source == "Amazon"
    assert doc.body.rstrip().endswith("Il a parlé.")


def test_pingbacks_are_boilerplate():
    doc = document_from_text("Titre\nTexte.\nPing : Que deviennent vos photos ? | Un blog\n", "a")
    assert "Ping" not in doc.body


def test_same_text_has_same_content_hash_whatever_the_whitespace():
    a = document_from_text("Titre\nUn  texte.\n", "a")
    b = document_from_text("Titre\r\nUn texte.", "b")
    assert a.content_hash == b.content_hash


def test_utf8_with_bom_is_decoded():
    assert decode(codecs.BOM_UTF8 + "Été".encode()) == ("Été", "utf-8-sig")


def test_latin1_text_is_decoded_not_mangled():
    text, encoding = decode("La société a annoncé une pause d'un an.".encode("latin-1"))
    assert text == "La société a annoncé une pause d'un an."
    assert encoding == "cp1252"


def test_declared_encoding_is_used():
    data = "<meta charset=iso-8859-15> Un été à Paris €".encode("iso-8859-15")
    assert decode(data)[0].endswith("Un été à Paris €")


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty"), (b"   \n\t ", "empty"), (b"\x00\x01\x02binary\x00", "binary"), (b"1234 5678\n", "no text")],
)
def test_bad_bytes_are_refused_with_a_reason(data, reason):
    with pytest.raises(DocumentError, match=reason):
        decode(data)


def test_article_of_only_boilerplate_is_refused():
    with pytest.raises(DocumentError, match="boilerplate"):
        document_from_text("Laisser un commentaire\nPlease enter your comment!\n", "a")


def test_too_large_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 2048)
    with pytest.raises(DocumentError, match="too large"):
        read_document(path, max_bytes=1024)


def test_file_name_becomes_a_slug_id(tmp_path):
    path = tmp_path / "Article Été 2020!.txt"
    path.write_text("Titre\nTexte.", encoding="utf-8")
    assert read_document(path).id == "article-ete-2020"


def test_an_article_without_a_title_line_is_titled_by_its_whole_first_sentence():
    sentence = ("Le 10 juin, Amazon a annoncé interdire pendant un an à la police d'utiliser son logiciel de "
                "reconnaissance faciale Rekognition, suite aux manifestations contre les violences policières")
    doc = document_from_text(f" date 2020-06 {sentence}. La suite de l'article.", "a")
    assert doc.title == sentence


def test_a_first_sentence_too_long_for_a_title_is_cut_after_a_clause_not_mid_word():
    clause = "Le 10 juin, Amazon a annoncé une pause de son logiciel de reconnaissance faciale"
    doc = document_from_text(f" date 2020-06 {clause}, " + "et encore " * 40 + "la fin.", "a")
    assert doc.title == clause


def test_a_photo_credit_is_blanked_and_its_caption_kept():
    doc = document_from_text("Titre\n\nPhoto : le siège de Mullvad à Göteborg. © Adam Ihse / TT News Agency / AFP\n"
                             "Le texte.", "t")
    assert "Mullvad" in doc.body and "AFP" not in doc.body and "TT News" not in doc.body
    assert len(doc.body) == len(doc.text)
