"""The document-level model an article is read against (geo.focus): dateline, credit lines, main
country, main city, the city a local report was filed from."""
from __future__ import annotations

import pytest

from geo.events import paragraphs
from geo.focus import ArticleFocus, read_focus
from geo.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def focus_of(text: str, gaz: Gazetteer) -> ArticleFocus:
    return read_focus(text, gaz.find(text), paragraphs(text), None, gaz)


def test_a_list_of_cities_counts_as_one_mention_shared_by_its_members(gaz):
    # Batumi and Kutaisi are named twice, but each time together: half a mention each time. Tbilisi,
    # named twice on its own, is the city the article is about.
    text = ("Protesters rallied in Batumi and Kutaisi on Monday. Police watched the marches in Batumi and "
            "Kutaisi. In Tbilisi, thousands protested outside parliament. Tbilisi police detained ten.")
    focus = focus_of(text, gaz)
    assert focus.country is not None and focus.country.country == "GE"
    assert focus.city is not None and focus.city.name == "Tbilisi"


def test_no_main_city_without_a_clear_lead(gaz):
    text = ("Protesters rallied in Batumi on Monday. Police watched the march in Batumi. In Tbilisi, "
            "thousands protested outside parliament. Tbilisi police detained ten.")
    assert focus_of(text, gaz).city is None


def test_dateline_and_byline_are_where_the_report_was_filed_and_who_wrote_it(gaz):
    text = ("TBILISI, Dec 1 (Reuters) - Protesters rallied in Georgia on Monday. Police detained ten "
            "protesters in Tbilisi.\n\nBy John Smith, Georgia Today")
    focus = focus_of(text, gaz)
    assert focus.dateline is not None and text[slice(*focus.dateline)].startswith("TBILISI, Dec 1 (Reuters) -")
    assert [text[a:b] for a, b in focus.credits] == ["By John Smith, Georgia Today"]
    assert focus.in_dateline(text.index("TBILISI")) and focus.in_dateline(text.index("Georgia Today"))
    assert not focus.in_dateline(text.index("Tbilisi."))
    # an agency's bureau city is not the paper's own city; with the body's Tbilisi it is the main city
    assert focus.filed_at is None
    assert focus.city is not None and focus.city.name == "Tbilisi"


def test_a_dateline_with_a_double_hyphen_for_a_dash(gaz):
    text = "DHAKA, Nov. 2 (Xinhua) -- Thousands of garment workers rallied in Gazipur on Thursday."
    focus = focus_of(text, gaz)
    assert focus.dateline is not None and text[slice(*focus.dateline)].startswith("DHAKA, Nov. 2 (Xinhua) --")
    assert focus.in_dateline(text.index("Xinhua")) and not focus.in_dateline(text.index("Gazipur"))


def test_a_dateline_whose_date_was_left_out(gaz):
    text = "LIMA,  (Reuters) – Police fired tear gas on Tuesday at marchers in the centre of Lima."
    focus = focus_of(text, gaz)
    assert focus.dateline is not None and focus.in_dateline(text.index("Reuters"))
    assert not focus.in_dateline(text.rindex("Lima"))


def test_an_ngo_dateline_with_a_state(gaz):
    text = "(Washington, DC) – Peruvian security forces used excessive force against protesters in Juliaca."
    focus = focus_of(text, gaz)
    assert focus.dateline is not None and focus.in_dateline(text.index("Washington"))


def test_a_local_papers_dateline_city_is_where_it_was_filed(gaz):
    focus = focus_of("BATUMI, Georgia — Protesters rallied in Georgia on Monday. The protest was peaceful.", gaz)
    assert focus.filed_at is not None and focus.filed_at.name == "Batumi"
    assert focus.about_protest


def test_a_city_named_with_its_description_is_one_mention(gaz):
    """"the capital Quito" is one mention of Quito, not two: one sentence naming it does not make it the
    article's main city."""
    text = ("Protests spread across Ecuador on Monday. One of the provinces includes the capital Quito.\n\n"
            "Clashes with security forces left 43 people injured.")
    assert focus_of(text, gaz).city is None


def test_an_agency_copy_has_no_local_dateline_city(gaz):
    focus = focus_of("Workers rally\nThe Daily (AFP), 2019-01-14\n\nBATUMI — Protesters rallied in Georgia.", gaz)
    assert focus.dateline is not None and focus.filed_at is None


def test_an_article_that_does_not_speak_of_protest(gaz):
    focus = focus_of("Copper prices rallied on Monday in London as investors gathered for the results.", gaz)
    assert not focus.about_protest
