"""Dates and durations resolved against the article's date."""

from __future__ import annotations

import pytest
from spacy.util import filter_spans

from extractors.dates import build_matcher, duration_of, resolve_date, resolve_relative_day


@pytest.fixture(scope="module")
def matches(extractor):
    matcher = build_matcher(extractor.nlp.vocab)

    def run(text: str, label: str):
        doc = extractor.nlp.make_doc(text)
        return filter_spans([span for span in matcher(doc, as_spans=True) if span.label_ == label])

    return run


def test_day_and_month_take_the_article_year(matches):
    assert resolve_date(matches("Le 10 juin, Amazon", "DATE")[0], "2020-06") == "2020-06-10"


def test_explicit_year_wins(matches):
    assert resolve_date(matches("le 13 décembre 2018", "DATE")[0], "2020-06") == "2018-12-13"


def test_later_month_than_the_article_is_last_year(matches):
    assert resolve_date(matches("le 3 décembre", "DATE")[0], "2020-06") == "2019-12-03"


def test_no_article_date_no_year(matches):
    assert resolve_date(matches("le 10 juin", "DATE")[0], None) is None


def test_impossible_day_is_none(matches):
    assert resolve_date(matches("le 31 février", "DATE")[0], "2020-02") is None


def test_hier_needs_a_full_article_date(matches):
    span = matches("hier, Amazon", "RELDAY")[0]
    assert resolve_relative_day(span, "2020-06") is None
    assert resolve_relative_day(span, "2020-06-11") == "2020-06-10"


def test_weekday_is_the_last_such_day(matches):
    span = matches("ce jeudi", "RELDAY")[-1]
    assert resolve_relative_day(span, "2020-06-13") == "2020-06-11"


@pytest.mark.parametrize(("text", "iso"), [
    ("pendant un an", "P1Y"), ("d'un an", "P1Y"), ("pour six mois", "P6M"), ("durant 18 mois", "P18M"),
    ("pendant cinq ans", "P5Y"), ("de deux semaines", "P2W"),
])
def test_durations(matches, text, iso):
    assert duration_of(matches(text, "DURATION")[0]) == iso


def test_since_is_not_a_duration(matches):
    assert matches("depuis deux ans", "DURATION") == []


def test_month_and_year_is_a_month_date(matches):
    assert resolve_date(matches("Amazon a annoncé en mai 2021 que", "DATE")[0], "2021-06") == "2021-05"


def test_month_without_year_later_than_the_article_is_last_year(matches):
    assert resolve_date(matches("annoncé en mai que", "DATE")[0], "2021-03") == "2020-05"


def test_last_month_is_the_month_before_the_article(matches):
    assert resolve_date(matches("annoncé le mois dernier que", "DATE")[0], "2021-01") == "2020-12"


def test_month_name_without_a_lead_is_not_a_date(matches):
    assert not matches("le rapport de mai 2021 dit", "DATE")


def test_month_only_announcement_date(extract_text):
    ex = extract_text("Microsoft a annoncé en mai 2021 la suspension de la reconnaissance faciale.", date="2021-06")
    assert [p.announced for p in ex.policies] == ["2021-05"]


def test_dated_announcement_noun_names_the_company_s_announcement(extract_text):
    text = ("Google ne renouvellera pas son contrat sur les drones militaires. L'annonce a été faite vendredi "
            "1er juin par Diane Greene, la patronne de Google.")
    assert [p.announced for p in extract_text(text, date="2018-06").policies] == ["2018-06-01"]


def test_start_of_the_month_is_the_article_s_month(matches):
    assert resolve_date(matches("Au début du mois, IBM a annoncé que", "DATE")[0], "2020-06-25") == "2020-06"
