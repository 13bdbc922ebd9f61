"""geo.pipeline end to end on small articles: one event per (place, day span, type), with places,
dates, the historical flag, figures and the evidence sentence, merged within and across articles.

Every article is a real ``Document`` run through the real gazetteer; unless said otherwise it is
dated Friday 2022-01-07, so "on Tuesday" is 2022-01-04 and "yesterday" is 2022-01-06.
"""
from __future__ import annotations

import hashlib

import pytest

from geo.documents import document_from_bytes, read_paths
from geo.evaluate import haversine_km
from geo.gazetteer import Gazetteer
from geo.merge import corroboration
from geo.model import Document, Event, Section
from geo.paths import SEEDS_DIR
from geo.pipeline import extract_document, extract_documents
from geo.taxonomy import TYPE_NAMES

FRIDAY = "2022-01-07"
NUR_SULTAN = (51.18, 71.45)


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def doc(text: str, published: str | None = FRIDAY, name: str = "a.txt", **kw) -> Document:
    return Document(name=name, text=text, sha256=hashlib.sha256(text.encode()).hexdigest(),
                    published=published, **kw)


@pytest.fixture
def run(gaz):
    def _run(text: str, published: str | None = FRIDAY, name: str = "a.txt", **kw) -> list[Event]:
        return extract_document(doc(text, published, name, **kw), gaz)
    return _run


def summary(events: list[Event]) -> set[tuple[str, str, str, str]]:
    """(type, place, start, end) of each event: what most tests compare."""
    return {(e.event_type, e.place, e.date_start, e.date_end) for e in events}


def of_type(events: list[Event], event_type: str) -> list[Event]:
    return [e for e in events if e.event_type == event_type]


# ------------------------------------------------------------------ one event per type

@pytest.mark.parametrize("text, expected", [
    ("Thousands of people rallied in Aktau on 5 January.", ("protest", "Aktau")),
    ("Protesters marched through Almaty on 5 January.", ("protest", "Almaty")),
    ("Teachers held a picket outside the akimat in Shymkent on 5 January.", ("protest", "Shymkent")),
    ("People took to the streets of Taraz on 5 January.", ("protest", "Taraz")),
    ("Oil workers went on strike in Zhanaozen on 5 January.", ("strike", "Zhanaozen")),
    ("Workers at the plant stopped work in Temirtau on 5 January.", ("strike", "Temirtau")),
    ("Protesters stormed the akimat in Almaty on 5 January.", ("riot", "Almaty")),
    ("Rioters set fire to the mayor's office in Almaty on 5 January.", ("riot", "Almaty")),
    ("Demonstrators clashed with police in Aktobe on 5 January.", ("riot", "Aktobe")),
    ("Protesters built barricades in Taldykorgan on 5 January.", ("riot", "Taldykorgan")),
    ("Security forces opened fire on protesters in Almaty on 5 January.", ("repression", "Almaty")),
    ("Police detained dozens of protesters in Shymkent on 5 January.", ("repression", "Shymkent")),
    ("Police dispersed the rally in Aktobe on 5 January.", ("repression", "Aktobe")),
    ("Police used tear gas against the crowd in Almaty on 5 January.", ("repression", "Almaty")),
    ("A state of emergency was declared in Almaty on 5 January.", ("state_response", "Almaty")),
    ("A curfew was imposed in Aktau on 5 January.", ("state_response", "Aktau")),
    ("The internet was cut in Almaty on 5 January.", ("state_response", "Almaty")),
    ("Amid the protests, Russian troops were deployed in Almaty on 5 January.", ("state_response", "Almaty")),
    ("Teachers called in sick en masse in Aktobe on 5 January.", ("strike", "Aktobe")),
    ("A sickout by nurses closed wards in Aktau on 5 January.", ("strike", "Aktau")),
    ("Miners at the gold deposit in Aktobe declined to turn up for work on 5 January.", ("strike", "Aktobe")),
    ("Drivers in Taraz stayed away from work on 5 January.", ("strike", "Taraz")),
])
def test_each_type_placed_and_dated(run, text, expected):
    evs = run(text)
    assert (expected[0], expected[1], "2022-01-05", "2022-01-05") in summary(evs), summary(evs)
    ev = next(e for e in evs if e.event_type == expected[0])
    assert ev.country == "KZ" and ev.time_precision == "day" and not ev.historical
    assert ev.event_type in TYPE_NAMES


def test_a_strike_in_the_copper_town_is_placed_there(run, gaz):
    evs = run("Copper miners staged a walkout in Zhezkazgan on 4 January.")
    (ev,) = evs
    town = gaz.resolve_name("Zhezkazgan", "KZ").place
    assert ev.event_type == "strike" and ev.place_id == town.id and ev.date_start == "2022-01-04"


@pytest.mark.parametrize("text", [
    "In Kazakhstan, President Tokayev dismissed the government on 5 January.",
    "Kazakhstan's government resigned on 5 January.",
    "The government resigned in Kazakhstan on 5 January.",
])
def test_dismissal_of_the_government_is_placed_at_the_capital(run, gaz, text):
    (ev,) = of_type(run(text), "state_response")
    assert ev.place_id == gaz.capital("KZ").id and ev.place in ("Astana", "Nur-Sultan")
    assert haversine_km(ev.lat, ev.lon, *NUR_SULTAN) < 30
    assert ev.level == "city" and ev.date_start == "2022-01-05"


def test_government_of_country_resigned_is_placed_at_the_capital(run, gaz):
    # "The government of Kazakhstan resigned" is the same fact as "Kazakhstan's government resigned"
    evs = of_type(run("The government of Kazakhstan resigned on 5 January."), "state_response")
    assert [e.place_id for e in evs] == [gaz.capital("KZ").id]


# ------------------------------------------------------------------ not asserted -> no event

@pytest.mark.parametrize("text", [
    "In Almaty the soldiers refused to disperse demonstrators on 5 January.",
    "In Aktau the union threatened to strike on 5 January.",
    "Workers in Aktau may strike next week.",
    "In Almaty they called for a general strike on 5 January.",
    "Protests in Almaty are planned for Saturday.",
    "Police did not disperse the crowd in Almaty on 5 January.",
    "If the government does not act, there will be riots in Almaty.",
    "This week's digest covers labour unrest and protests in Kazakhstan and beyond.",
])
def test_negations_and_hypotheticals_give_no_event(run, text):
    assert run(text) == []


def test_background_year_in_a_relative_clause_does_not_date_todays_event(run):
    evs = run("Hundreds of workers rallied outside the akimat in Zhanaozen, the town where oil workers went "
              "on strike in 2011.")
    today = [e for e in evs if not e.historical]
    assert [(e.event_type, e.place, e.date_start) for e in today] == [("protest", "Zhanaozen", FRIDAY)], summary(evs)
    assert {e.date_start[:4] for e in evs if e.historical} == {"2011"}


def test_sites_listed_after_a_colon_each_keep_their_own_place(run):
    evs = run("Oil workers went on strike on 5 January at three sites: the Tengiz oil field in Atyrau region, "
              "the port in Aktau and the akimat in Zhanaozen.")
    by_place = {e.place: e.site for e in evs if e.event_type == "strike"}
    assert {"Aktau", "Zhanaozen"} <= set(by_place), summary(evs)
    assert by_place["Aktau"] != "Tengiz oil field" and by_place["Zhanaozen"] != "Tengiz oil field"
    # nor to a place another trigger of the sentence owns
    evs = run("The strike follows a two-day stoppage at the Tengiz oil field in December and a month-long strike "
              "by Zhanaozen oil workers in 2011.")
    assert [(e.place, e.site) for e in evs if e.date_start.startswith("2011")] == [("Zhanaozen", None)], summary(evs)


def test_every_day_of_a_listed_pair_is_an_event_whichever_is_nearer(run):
    evs = run("On 3 January and 5 January, thousands of teachers held sit-ins in Aktobe.")
    assert summary(evs) == {("protest", "Aktobe", "2022-01-03", "2022-01-03"),
                            ("protest", "Aktobe", "2022-01-05", "2022-01-05")}, summary(evs)


def test_listed_days_that_follow_one_another_are_one_span(run):
    evs = run("Nurses in Aktobe walked out on Wednesday and Thursday.")
    assert summary(evs) == {("strike", "Aktobe", "2022-01-05", "2022-01-06")}, summary(evs)
    evs = run("Teachers held sit-ins in Aktobe on 2 January, 3 January and 5 January.")
    assert summary(evs) == {("protest", "Aktobe", "2022-01-02", "2022-01-03"),
                            ("protest", "Aktobe", "2022-01-05", "2022-01-05")}, summary(evs)


def test_a_season_running_past_the_report_is_not_the_day_the_story_goes_on(run):
    evs = run("Nurses in Aktobe walked out on Thursday in the second round of strikes this winter.\n\n"
              "Picket lines formed outside hospitals in Aktobe and Aktau.")
    assert ("strike", "Aktau", "2022-01-06", "2022-01-06") in summary(evs), summary(evs)


def test_a_road_blockade_is_a_protest_without_another_protest_word(run):
    evs = run("Mill workers staged a road blockade in Aktobe on Monday, demanding unpaid wages.")
    assert summary(evs) == {("protest", "Aktobe", "2022-01-03", "2022-01-03")}, summary(evs)


def test_an_earlier_day_named_as_an_events_owner_does_not_turn_the_story_back(run):
    evs = run("Soldiers patrolled the streets of Almaty on Thursday, a day after protests turned deadly.\n\n"
              "Wednesday's clashes, in which two men died, came after a rise in fuel prices.\n\n"
              "Residents saw troops deploying in Aktau.")
    assert ("state_response", "Aktau", "2022-01-06", "2022-01-06") in summary(evs), summary(evs)


def test_forces_deploying_are_deployed(run):
    evs = run("As protests spread, residents saw troops deploying in Aktau and Atyrau on Thursday.")
    assert {t for t in summary(evs) if t[0] == "state_response"} == {
        ("state_response", "Aktau", "2022-01-06", "2022-01-06"),
        ("state_response", "Atyrau", "2022-01-06", "2022-01-06")}, summary(evs)


def test_force_in_one_city_as_protests_spread_to_others_stays_in_that_city(run):
    got = summary(run("Kazakh police fired tear gas and water cannon at protesters in Almaty on Thursday as "
                      "demonstrations against fuel prices spread to other towns, including Aktau and Atyrau."))
    assert {p for t, p, _, _ in got if t == "repression"} == {"Almaty"}, got
    assert {"Aktau", "Atyrau"} <= {p for t, p, _, _ in got if t == "protest"}, got


def test_the_citys_main_plaza_is_in_the_city_told_before(run):
    got = summary(run("About 5,000 miners clashed with police in La Paz on Thursday.\n\n"
                      "On Thursday thousands rallied in the city's main plaza."))
    assert ("protest", "La Paz", "2022-01-06", "2022-01-06") in got, got


def test_both_cities_are_the_last_two_told_apart(run):
    got = summary(run("In Almaty, several hundred people gathered on Sunday. Police detained 100 protesters.\n\n"
                      "In the capital, Nur-Sultan, police detained about 50 people on Sunday.\n\n"
                      "Mobile internet was cut off in both cities for several hours on Sunday.", "2019-06-10"))
    assert {p for t, p, _, _ in got if t == "state_response"} == {"Almaty", "Astana"}, got


def test_a_timelines_present_tense_price_cut_is_a_concession(run):
    got = summary(run("January 4. The government cuts the price of gas in Mangistau region. Protesters in Almaty "
                      "clash with police overnight.", "2022-01-12"))
    assert ("state_response", "Mangystau Region", "2022-01-04", "2022-01-04") in got, got


def test_clashes_that_broke_out_are_on_the_storys_day_not_the_episodes_start(run):
    got = summary(run("SUCRE, Bolivia — Opposition leaders proclaimed a general strike on Tuesday.\n\n"
                      "Clashes erupted in Santa Cruz, in the east, between marchers and supporters of the "
                      "government. Pro-strike groups put up roadblocks.", "2008-08-20"))
    assert ("riot", "Santa Cruz de la Sierra", "2008-08-19", "2008-08-19") in got, got
    assert not any(t == "strike" and p != "Bolivia" for t, p, _, _ in got), got  # 'pro-strike' names no strike


def test_a_year_told_after_since_is_no_past_episode_the_story_goes_back_to(run):
    got = summary(run("On October 6th the government raised metro fares in Santiago. Within two weeks the capital "
                      "was ablaze: metro stations were torched.\n\nThe president declared a state of emergency and "
                      "sent soldiers onto the streets for the first time since the return to democracy in 1990. A "
                      "curfew was imposed in Santiago and later in other cities.", "2019-10-24"))
    assert not any(start.startswith("1990") for _, _, start, _ in got), got


def test_an_appeal_asks_for_protests_it_reports_none(run):
    got = summary(run("Oil workers in Aktau have been on strike since Monday.\n\nPlease write to the strikers and "
                      "send protests to the management in Aktau."))
    assert {t for t, *_ in got} == {"strike"}, got


def test_a_countrys_government_building_is_in_its_capital(run):
    got = summary(run("Hundreds of protesters rallied outside the Armenian government building on Thursday.",
                      "2020-11-13"))
    assert {p for _, p, _, _ in got} == {"Yerevan"}, got
    # (local "government buildings" are a city's own: not the capital's)
    got = summary(run("Protests in Mangystau region began on Sunday.\n\nOn Thursday the protests turned into clashes "
                      "with police, and crowds were storming government buildings and TV offices in Kazakhstan's "
                      "third city of Shymkent."))
    assert "Astana" not in {p for _, p, _, _ in got}, got


def test_a_city_and_elsewhere_is_the_city_and_the_country(run):
    got = summary(run("A rights group said more than 100 protesters were detained in Almaty and elsewhere on Thursday."))
    assert {p for t, p, _, _ in got if t == "repression"} == {"Almaty", "Kazakhstan"}, got


def test_the_story_goes_on_at_the_dates_its_events_took(run):
    """"Protests began after a price rise took effect on January 1": January 1 dates the price rise,
    not the protests, and the story does not go on on that day; a stretch "since Monday" goes on today."""
    got = summary(run("Rallies in Mangystau region began early in the year after a fuel price rise took "
                      "effect on January 1.\n\nAuthorities declared a state of emergency in Almaty.", "2022-01-05"))
    assert ("state_response", "Almaty", "2022-01-05", "2022-01-05") in got, got
    got = summary(run("ALMATY – Students held a sit-in at the university since Monday.\n\n"
                      "Hours later, thousands marched through Almaty.", "2022-01-06"))
    assert ("protest", "Almaty", "2022-01-06", "2022-01-06") in got, got


def test_the_war_a_protest_is_against_is_not_where_it_was(run):
    got = summary(run("Students in Almaty marched on Thursday against the war in Ukraine.\n\n"
                      "Dockers walked off the job in Aktau on Thursday in a protest of the invasion of Ukraine."))
    assert {p for _, p, _, _ in got} == {"Almaty", "Aktau"}, got


def test_where_a_road_leads_is_no_event_place(run):
    """"Clashes in Taraz as police blocked the roads leading to Almaty": the clashes were in Taraz, and
    the site told next is Taraz's, not Almaty's."""
    evs = run("Protesters marched in Almaty on Wednesday.\n\n"
              "Taraz saw violent clashes on Thursday as police blocked all exits leading towards Almaty. "
              "Police fired tear gas at protesters near the regional akimat.")
    places = {(t, p) for t, p, _, _ in summary(evs) if t in ("riot", "repression")}
    assert places == {("riot", "Taraz"), ("repression", "Taraz")}, summary(evs)


def test_a_foreign_capital_that_speaks_is_its_government_not_a_place(run):
    evs = run("Police detained dozens of protesters in Almaty on Thursday. The march, which Washington has "
              "long backed, was the largest in years.\n\nMoscow condemned the protests on Thursday.")
    assert {e.place for e in evs} == {"Almaty"}, summary(evs)


def test_a_strike_continued_since_a_day_runs_to_the_report(run):
    evs = run("Doctors in Aktau and Atyrau continued a strike that began on 3 January.")
    assert summary(evs) == {("strike", "Aktau", "2022-01-03", FRIDAY), ("strike", "Atyrau", "2022-01-03", FRIDAY)}


def test_days_counted_from_another_event(run):
    # the new event after the phrase's count, the one named in it before the story's day
    evs = run("A blast hit the port of Aktau on 4 January. The prime minister resigned six days after the blast.",
              published="2022-01-12")
    assert ("state_response", "Astana", "2022-01-10", "2022-01-10") in summary(evs), summary(evs)
    evs = run("Thousands marched in Almaty on 16 January. The rallies came four days after the president "
              "dismissed the cabinet.", published="2022-01-17")
    assert ("state_response", "Astana", "2022-01-12", "2022-01-12") in summary(evs), summary(evs)
    # a stretch counted from an event is no day of its own
    evs = run("Police detained 700 protesters in Almaty on 9 January. Nearly 7,000 people had been detained "
              "in the first four days after the election.", published="2022-01-12")
    assert "2022-01-13" not in {e.date_start for e in evs}


def test_what_began_as_rallies_began_with_the_episode(run):
    evs = run("On 2 January rallies began in Zhanaozen. Troops fired on protesters in Almaty on 5 January. "
              "What began as peaceful rallies in Zhanaozen became widespread violence.", published="2022-01-20")
    assert {e.date_start for e in of_type(evs, "protest") if e.place == "Zhanaozen"} == {"2022-01-02"}, summary(evs)


def test_protesters_met_by_force_were_protesting_there(run):
    evs = run("In the port city of Vladivostok, police detained dozens of protesters on 23 January.",
              published="2022-01-23")
    assert summary(evs) == {("repression", "Vladivostok", "2022-01-23", "2022-01-23"),
                            ("protest", "Vladivostok", "2022-01-23", "2022-01-23")}
    # not for a past year, nor for a whole country
    evs = run("Protesters rallied in Almaty on 5 January. In 2015 the army killed hundreds of protesters in Shymkent.")
    assert ("repression", "Shymkent", "2015-01-01", "2015-12-31") in summary(evs)
    assert "Shymkent" not in {e.place for e in of_type(evs, "protest")}, summary(evs)
    # strikers detained were on strike, which is told by its own words, not read as a protest
    evs = run("Police detained strikers at the plant in Temirtau on 5 January.")
    assert "protest" not in {e.event_type for e in evs}


def test_a_road_named_after_a_far_town_is_in_the_articles_city(run):
    # roads take the name of where they lead: "Aktobe highway" at the edge of Almaty is in Almaty, 1,300 km
    # from Aktobe; a town near the city keeps its own place
    text = ("ALMATY, Jan 5 (Reuters) - Protesters rallied in Almaty on Wednesday. Police fired tear gas in Almaty "
            "again. Demonstrators blocked the highway to Aktobe on the outskirts of the city on Wednesday, and "
            "others rallied at the Taraz bypass. Hundreds marched on the road to Kaskelen.")
    evs = run(text, published="2022-01-05")
    places = {e.place for e in of_type(evs, "protest")}
    assert not places & {"Aktobe", "Taraz"} and "Almaty" in places, summary(evs)
    assert "Kaskelen" in places
    # a road between two towns names a road even near the city: workers blocked it in Almaty
    evs = run("ALMATY, Jan 5 (Reuters) - Workers rallied in Almaty on Wednesday. Police fired tear gas in Almaty "
              "again. Workers blocked the Kaskelen-Almaty highway on the outskirts of the city on Wednesday.",
              published="2022-01-05")
    assert "Kaskelen" not in {e.place for e in evs}, summary(evs)


def test_police_violence_counted_over_a_past_year_is_no_crackdown_on_protest(run):
    text = ("Protesters rallied in Almaty on 5 January against police brutality. Last year police killed 60 people "
            "in Kazakhstan, according to a rights group.")
    assert {e.event_type for e in run(text)} == {"protest"}
    # force against strikers or protesters in a past year is a repression all the same
    evs = run("Protesters rallied in Almaty on 5 January. In 2011 police shot dead striking oil workers in Zhanaozen.")
    assert ("repression", "Zhanaozen", "2011-01-01", "2011-12-31") in summary(evs)


@pytest.mark.parametrize("sentence", [
    "Authorities shut down the internet across the country on Wednesday.",
    "Access to social media platforms was restricted nationwide on Wednesday.",
    "The government blocked messaging apps on Wednesday.",
    "President Tokayev dissolved his cabinet on Wednesday.",
    "The government agreed on Wednesday to raise teachers' salaries by 10%.",
    "Parliament voted on Wednesday to drop the tax increase.",
])
def test_state_responses_of_real_reporting(run, sentence):
    evs = run("Thousands of protesters rallied in Almaty on 4 January against the gas price rise. " + sentence)
    assert [e.date_start for e in of_type(evs, "state_response")] == ["2022-01-05"], summary(evs)


def test_a_beginning_years_ago_does_not_run_to_the_report(run):
    evs = run("Protests in Almaty began on 3 January 2018 and continued for weeks.", published="2023-01-19")
    assert summary(evs) == {("protest", "Almaty", "2018-01-03", "2018-01-03")}
    evs = run("Protests in Almaty began on 3 January and have continued since.", published="2023-01-19")
    assert summary(evs) == {("protest", "Almaty", "2023-01-03", "2023-01-19")}


def test_an_unplaced_event_at_parliament_is_in_the_capital(run):
    # a roundup's paragraph: no city of its own, the parliament is the country's
    evs = run("Kyrgyzstan: A general strike halted buses in Osh and Jalal-Abad on Thursday.\n"
              "Police fired tear gas at protesters outside parliament.", published="2022-01-07")
    rep = of_type(evs, "repression")
    assert [(e.place, e.site) for e in rep] == [("Bishkek", "parliament")], summary(evs)
    evs = run("Kyrgyzstan: Police fired tear gas at protesters near the Presidential Secretariat on Thursday.")
    assert [(e.place, e.site) for e in of_type(evs, "repression")] == [("Bishkek", "Presidential Secretariat")]


def test_a_place_named_for_a_planned_strike_is_not_given_to_the_strike_before_it(run):
    evs = run("The walkout in Aktau on 5 January followed a strike in Atyrau on 4 January and a planned "
              "walkout in Oral.")
    assert {(e.event_type, e.place) for e in evs} == {("strike", "Aktau"), ("strike", "Atyrau")}, summary(evs)
    # nor its date: the strike last month is not dated by the plan's Monday
    evs = run("Workers recalled a strike in Atyrau last month and a planned walkout in Aktau on Monday.")
    assert summary(evs) == {("strike", "Atyrau", "2021-12-01", "2021-12-31")}, summary(evs)


@pytest.mark.parametrize("text", [
    "Ukrainian forces repelled Russian attacks near Bakhmut on Tuesday, the general staff said. Clashes continued "
    "in the Donetsk region, where artillery fire killed three civilians.",
    "Manchester City stormed to a 4-0 win over Arsenal on Sunday, with Haaland striking twice.",
    "Thousands of fans marched to the stadium in Buenos Aires on Sunday ahead of the derby.",
    "Heavy snow blocked roads in Karaganda region on Wednesday, and police closed the highway to Astana.",
    "The army said its troops had been deployed to the border with Afghanistan on Friday as part of an exercise.",
    "Kenya's parliament passed the finance bill on Tuesday; the opposition walked out of the chamber.",
    "In Toledo, the gunman entered the building through a side door on Tuesday, police said.",
    "The company gave a live demonstration of its glasses in Almaty on Tuesday. The demonstration ran for four "
    "minutes. About 3,000 people gathered around the stands afterwards to try the glasses.",
])
def test_ordinary_news_of_war_sport_and_weather_gives_no_event(run, text):
    assert run(text, published="2023-11-03") == []


def test_did_not_hesitate_to_repress_strikers_is_a_repression(run):
    evs = run("The police in Zhanaozen did not hesitate to repress strikers on 4 January.")
    assert ("repression", "Zhanaozen", "2022-01-04", "2022-01-04") in summary(evs)


def test_did_not_stop_the_protests_is_a_protest(run):
    evs = run("The arrests in Almaty on 5 January did not stop the protests.")
    assert ("protest", "Almaty", "2022-01-05", "2022-01-05") in summary(evs), summary(evs)


# ------------------------------------------------------------------ lists of places

def test_list_of_cities_gives_one_event_per_city_with_aliases(run):
    evs = run("Strikes began in Atyrau, Uralsk, Aktyubinsk and Almaty on 4 January.")
    assert summary(evs) == {("strike", p, "2022-01-04", "2022-01-04") for p in ("Atyrau", "Oral", "Aktobe", "Almaty")}
    mentions = {e.place: e.place_mention for e in evs}
    assert mentions["Oral"] == "Uralsk" and mentions["Aktobe"] == "Aktyubinsk"


def test_state_of_emergency_in_a_city_and_two_regions(run):
    evs = run("The state of emergency was declared in Almaty city, the Almaty and Mangystau regions on 5 January.")
    got = {(e.place, e.level) for e in evs}
    assert got == {("Almaty", "city"), ("Almaty Region", "region"), ("Mangystau Region", "region")}
    assert {e.event_type for e in evs} == {"state_response"}
    assert {e.region_code for e in evs if e.level == "region"} == {"KZ19", "KZ47"}


# ------------------------------------------------------------------ dates

def test_relative_weekday_resolved_from_the_article_date(run):
    assert summary(run("Protesters rallied in Aktau on Tuesday.")) == {("protest", "Aktau", "2022-01-04", "2022-01-04")}


def test_night_from_4_to_5_january_is_a_range(run):
    (ev,) = run("Clashes broke out in Almaty in the night from 4 to 5 January.")
    assert (ev.date_start, ev.date_end, ev.time_precision) == ("2022-01-04", "2022-01-05", "range")


@pytest.mark.parametrize("word, day", [("yesterday", "2022-01-06"), ("today", "2022-01-07")])
def test_yesterday_and_today(run, word, day):
    assert summary(run(f"Protesters rallied in Aktau {word}.")) == {("protest", "Aktau", day, day)}


def test_the_next_day_refers_to_the_previous_sentence(run):
    evs = run("Oil workers in Zhanaozen went on strike on 2 January. The next day, police detained strikers "
              "in Zhanaozen.")
    assert ("strike", "Zhanaozen", "2022-01-02", "2022-01-02") in summary(evs)
    assert ("repression", "Zhanaozen", "2022-01-03", "2022-01-03") in summary(evs)


def test_undated_sentence_takes_the_paragraphs_narrative_date(run):
    evs = run("On 5 January, protesters stormed the akimat in Almaty. Police detained protesters in Aktobe.")
    assert ("repression", "Aktobe", "2022-01-05", "2022-01-05") in summary(evs)


def test_undated_sentence_without_narrative_takes_the_article_date(run):
    assert summary(run("Police detained protesters in Aktobe.")) == {
        ("repression", "Aktobe", FRIDAY, FRIDAY), ("protest", "Aktobe", FRIDAY, FRIDAY)}


def test_dated_section_of_a_compilation_governs_its_relative_dates(gaz):
    text = ("Solidarity with Kazakhstan\n\nStatement of the Socialist Movement\n\n"
            "On Tuesday, oil workers went on strike in Atyrau. Police detained strikers in Aktau yesterday.\n\n"
            "6 January 2022\nReproduced from a website.\n\nLondon picket report\n\n"
            "On Thursday, activists picketed the Kazakh embassy in London. Yesterday a rally was held in London.\n")
    d = document_from_bytes("comp.txt", text.encode(), {"published": "2022-01-10"})
    assert d.published == "2022-01-10" and d.sections and d.sections[0].date == "2022-01-06"
    got = summary(extract_document(d, gaz))
    # "yesterday" in the statement of 6 January is the 5th, in the report of 10 January the 9th
    assert ("repression", "Aktau", "2022-01-05", "2022-01-05") in got
    assert ("protest", "London", "2022-01-09", "2022-01-09") in got
    assert ("strike", "Atyrau", "2022-01-04", "2022-01-04") in got
    assert ("protest", "London", "2022-01-06", "2022-01-06") in got


def test_section_date_set_on_the_document_governs(run):
    text = "Police detained strikers in Aktau yesterday.\n\nPolice detained strikers in Atyrau yesterday."
    second = text.index("Police detained strikers in Atyrau")
    evs = run(text, published="2022-01-10", sections=[Section(0, second - 2, "2022-01-06")])
    got = {(e.place, e.date_start) for e in of_type(evs, "repression")}
    assert got == {("Aktau", "2022-01-05"), ("Atyrau", "2022-01-09")}


def test_explicit_year_is_historical_with_year_precision(run):
    text = "Protests erupted in Almaty on 5 January. In 2011 oil workers went on strike in Zhanaozen."
    (old,) = [e for e in run(text) if e.place == "Zhanaozen"]
    assert old.event_type == "strike" and old.historical
    assert (old.date_start, old.date_end, old.time_precision) == ("2011-01-01", "2011-12-31", "year")
    (new,) = [e for e in run(text) if e.place == "Almaty"]
    assert not new.historical


def test_ten_years_ago_is_historical_with_year_precision(run):
    evs = run("Protests erupted in Almaty on 5 January. Ten years ago, police shot striking oil workers "
              "in Zhanaozen.")
    old = [e for e in evs if e.place == "Zhanaozen"]
    assert old and all(e.historical and e.time_precision == "year" for e in old)
    # ten years before January 2022 is about January 2012, give or take months: a year's window around
    # it, which holds a December 2011 event (as SCHEME's annotation has it) and January 2012 alike
    assert all((e.date_start, e.date_end) == ("2011-07-09", "2012-07-07") for e in old)
    assert "repression" in {e.event_type for e in old}


def test_events_after_the_article_date_are_dropped(run):
    assert run("Protesters rallied in Aktau on 9 January.") == []
    assert run("Protesters rallied in Aktau on 12 January.") == []


# ------------------------------------------------------------------ places

def test_sentence_without_a_place_is_a_country_event(run):
    evs = run("Protests erupted in Kazakhstan on 2 January. Workers went on strike on 4 January.")
    (strike,) = of_type(evs, "strike")
    assert (strike.place_id, strike.level, strike.date_start) == ("country:KZ", "country", "2022-01-04")


def test_across_the_country_is_a_country_event_not_the_last_city(run):
    evs = run("Protests continued in Almaty on 5 January. On 6 January, strikes spread across the country.")
    (strike,) = of_type(evs, "strike")
    assert strike.level == "country" and strike.country == "KZ" and strike.date_start == "2022-01-06"


def test_the_city_refers_back_to_the_previous_sentence(run):
    evs = run("Protesters stormed the akimat in Almaty on 5 January. Police opened fire in the city.")
    assert ("repression", "Almaty", "2022-01-05", "2022-01-05") in summary(evs)


def test_demonym_is_not_an_event_place(run):
    evs = run("Amid the protests, Russian troops were deployed in Almaty on 6 January.")
    assert {(e.place, e.country) for e in evs} == {("Almaty", "KZ")}
    evs = run("Amid the protests, Russian troops arrived in Kazakhstan on 6 January.")
    assert {(e.event_type, e.place_id) for e in evs} == {("state_response", "country:KZ")}


def test_troops_from_russia_is_not_an_event_in_russia(run):
    evs = run("Protests erupted in Kazakhstan. The CSTO sent troops from Russia on 6 January.")
    assert all(e.country == "KZ" for e in evs)
    assert ("state_response", "Kazakhstan", "2022-01-06", "2022-01-06") in summary(evs)


def test_troops_from_russia_arrived_in_a_city(run):
    evs = run("Protests in Kazakhstan continued on 5 January. On 6 January troops from Russia arrived in Almaty.")
    assert all(e.country == "KZ" for e in evs)
    assert ("state_response", "Almaty", "2022-01-06", "2022-01-06") in summary(evs), summary(evs)


def test_container_region_or_country_after_a_town_is_only_a_qualifier(run):
    evs = run("Oil workers went on strike in Zhanaozen in western Kazakhstan on 2 January.")
    assert summary(evs) == {("strike", "Zhanaozen", "2022-01-02", "2022-01-02")}


def test_site_keeps_the_town_as_place(run):
    (ev,) = run("Protesters stormed the akimat in Almaty on 5 January.")
    assert ev.place == "Almaty" and ev.level == "site" and "akimat" in ev.site.lower()


# ------------------------------------------------------------------ evidence and ids

ARTICLE = (
    "Kazakhstan: the week in review\n\n"
    "On 4 January, oil workers went on strike in Zhanaozen and Aktau. "
    "Police dispersed a rally in Aktobe the same day.\n\n"
    "On 5 January protesters stormed the akimat in Almaty — «ура» — and set fire to cars. "
    "A state of emergency was declared in Almaty.\n"
)


def test_every_source_carries_doc_sentence_and_exact_offsets(gaz):
    d = doc(ARTICLE, name="review.txt", title="Kazakhstan: the week in review", publisher="Pub")
    evs = extract_document(d, gaz)
    assert len(evs) >= 5
    for ev in evs:
        for s in ev.sources:
            assert s.doc == "review.txt" and s.publisher == "Pub" and s.published == FRIDAY
            assert d.text[s.start:s.end] == s.evidence
            assert s.evidence.strip() == s.evidence and "\n\n" not in s.evidence


def test_evidence_offsets_hold_on_the_seed_articles(gaz):
    docs, problems = read_paths([SEEDS_DIR])
    assert not problems and len(docs) == 5
    by_name = {d.name: d for d in docs}
    evs = extract_documents(docs, gaz)
    assert evs
    for ev in evs:
        for s in ev.sources:
            assert by_name[s.doc].text[s.start:s.end] == s.evidence


def test_event_ids_are_stable_across_runs(gaz):
    first = [e.event_id for e in extract_document(doc(ARTICLE), gaz)]
    second = [e.event_id for e in extract_document(doc(ARTICLE), Gazetteer.load())]
    assert first == second and len(set(first)) == len(first)
    # the id depends on what the event is, not on which article reported it
    other = [e.event_id for e in extract_document(doc(ARTICLE, name="b.txt"), gaz)]
    assert other == first


# ------------------------------------------------------------------ merging

def test_same_event_twice_in_one_article_is_one_event_with_two_sources(run):
    evs = run("On 4 January, police dispersed the rally in Aktobe. Later on 4 January the police dispersed "
              "a rally in Aktobe again, local media said.")
    (ev,) = of_type(evs, "repression")
    assert len(ev.sources) == 2 and corroboration(ev) == 1
    assert ev.sources[0].start < ev.sources[1].start


def test_same_event_in_two_articles_is_corroborated(gaz):
    a = doc("Oil workers went on strike in Zhanaozen on 4 January.", name="a.txt")
    b = doc("On 4 January a strike began at the oil fields of Zhanaozen.", name="b.txt", published="2022-01-10")
    evs = extract_documents([a, b], gaz)
    (ev,) = [e for e in evs if e.event_type == "strike"]
    assert corroboration(ev) == 2 and {s.doc for s in ev.sources} == {"a.txt", "b.txt"}
    assert ev.confidence > max(e.confidence for d in (a, b) for e in extract_document(d, gaz))


def test_same_place_and_type_on_different_days_stays_two_events(gaz):
    a = doc("Oil workers went on strike in Zhanaozen on 3 January.", name="a.txt")
    b = doc("Oil workers went on strike in Zhanaozen on 4 January.", name="b.txt")
    evs = extract_documents([a, b], gaz)
    assert sorted(e.date_start for e in evs) == ["2022-01-03", "2022-01-04"]
    assert all(corroboration(e) == 1 for e in evs)


# ------------------------------------------------------------------ figures on events

def test_figures_land_on_repression_events(run):
    evs = run("Dozens of protesters were killed in Almaty on 6 January. In Almaty on 5 January security forces "
              "opened fire on the crowd and 164 people were killed. Nearly 10,000 people were detained in Kazakhstan on 6 January.")
    rep = {(e.place, e.date_start): e for e in of_type(evs, "repression")}
    assert rep[("Almaty", "2022-01-06")].fatalities == 12
    assert rep[("Almaty", "2022-01-05")].fatalities == 164
    assert rep[("Kazakhstan", "2022-01-06")].arrests == 10000


def test_no_figure_gives_none_and_other_types_carry_none(run):
    evs = run("Police dispersed the rally in Aktobe on 4 January. Oil workers went on strike in Aktau on 4 "
              "January after 5 colleagues died in an accident.")
    (strike,) = of_type(evs, "strike")
    assert strike.fatalities is None and strike.arrests is None  # figures belong to repression only
    (rep,) = of_type(evs, "repression")
    assert rep.fatalities is None and rep.arrests is None


def test_a_date_is_not_a_fatality_figure_on_the_event(run):
    (ev,) = of_type(run("On 6 January 2022 police killed 26 protesters in Almaty."), "repression")
    assert ev.fatalities == 26


# ------------------------------------------------------------------ bad input

def test_empty_text_gives_no_events(run):
    assert run("") == []
    assert run("  \n\n\t ") == []


def test_article_without_a_date_keeps_only_explicitly_dated_events(run):
    text = ("Protesters rallied in Aktau on 5 January. Police detained protesters in Aktobe yesterday. "
            "In 2011 oil workers went on strike in Zhanaozen. Protests erupted in Almaty on 5 January 2022.")
    evs = run(text, published=None)
    # undated (no year, no anchor) sentences give nothing; sentences with a year give their events
    assert summary(evs) == {("strike", "Zhanaozen", "2011-01-01", "2011-12-31"),
                            ("protest", "Almaty", "2022-01-05", "2022-01-05")}
    for e in evs:
        assert e.date_start[:4] in e.sources[0].evidence
    assert [e.historical for e in evs if e.place == "Zhanaozen"] == [True]


def test_no_known_place_and_no_country_gives_nothing(run):
    assert run("Protesters rallied in Xyzzyville on 5 January.") == []
    assert run("Protesters rallied on 5 January.") == []


def test_no_known_place_with_a_known_country_falls_back_to_the_country(run):
    evs = run("The crisis in Kazakhstan deepened. Protesters rallied in Xyzzyville on 5 January.")
    assert summary(evs) == {("protest", "Kazakhstan", "2022-01-05", "2022-01-05")}


def test_hostile_text_goes_unchanged_into_evidence(gaz):
    sentence = ('Oil workers went on strike in Zhanaozen on 4 January 2022 <script>alert("x")</script> '
                'demanding "fair" prices — «ура» 🚩 <img src=x onerror=1> & \'more\'.')
    d = doc("Report\n\n" + sentence + "\n")
    (ev,) = extract_document(d, gaz)
    assert ev.sources[0].evidence == sentence
    assert d.text[ev.sources[0].start:ev.sources[0].end] == sentence


# ------------------------------------------------------------------ real reporting (issue 7)

def test_a_dateline_city_is_where_the_report_was_filed_not_an_event_place(run):
    evs = run("NAIROBI, Kenya (AP) — Police fired tear gas at protesters in Mombasa on Tuesday.\n\n"
              "Demonstrators also blocked roads in Kisumu.", "2024-07-16")
    assert {e.place for e in evs} >= {"Mombasa"}
    assert "Nairobi" not in {e.place for e in evs}


def test_a_foreign_demonym_names_the_country_of_an_unplaced_event(run):
    evs = run("Protests continued across Kenya on Monday.\n\n"
              "Uzbek security forces detained dozens of activists on Monday, a rights group said.", "2024-07-16")
    assert ("repression", "Uzbekistan", "2024-07-15", "2024-07-15") in summary(evs)


def test_the_capital_by_description_for_any_country(run):
    evs = run("Thousands marched through the Kenyan capital on Tuesday.", "2024-07-16")
    assert ("protest", "Nairobi", "2024-07-16", "2024-07-16") in summary(evs)


def test_ordinary_news_sentences_give_no_events(run):
    text = ("The company said its profits rallied in the second quarter, and shares marched higher. "
            "More than 200 people were killed when the warehouse exploded. "
            "Police arrested two men on suspicion of burglary. "
            "India stormed to a four-wicket victory, and the striker scored twice. "
            "Russian air strikes hit the city overnight. "
            "The foreign ministry handed the envoy a formal protest note.")
    assert run(text, "2024-07-16") == []


def test_background_inside_a_sentence_takes_its_own_year(run):
    evs = run("Hundreds of miners rallied on Friday in Temirtau, the town where miners struck in July 1989.",
              "2025-03-07")
    strikes = of_type(evs, "strike")
    assert [(e.date_start, e.date_end, e.historical) for e in strikes] == [("1989-07-01", "1989-07-31", True)]
    assert ("protest", "Temirtau", "2025-03-07", "2025-03-07") in summary(evs)


def test_a_local_papers_street_events_are_in_its_dateline_city(run):
    """A local paper filed from Thessaloniki names streets and squares, not its city, in every sentence;
    an agency's bureau city ('NAIROBI, Kenya (AP)') is no such locale."""
    evs = run("THESSALONIKI – Thousands of students marched along Egnatia Street on Thursday against the bill.\n\n"
              "In Athens, lecturers held a rally outside parliament on Wednesday, and in Athens riot police "
              "detained students.", "2021-02-11", name="local.txt")
    assert ("protest", "Thessaloníki", "2021-02-11", "2021-02-11") in summary(evs)


def test_force_told_without_a_place_in_a_local_paper_is_in_its_dateline_city(run):
    """A local paper filed from Thessaloniki that says "police detained 20 people" says it of its city; the
    same lines in a paper's copy of an agency's wire ("(AFP)" in its publisher line) keep the country."""
    text = ("THESSALONIKI – Police detained 20 protesters on Thursday after a scuffle with officers.\n\n"
            "The students had gathered to protest against the education bill, Greek media said.")
    local = summary(run("Students detained\nMakedonia, 2021-02-11\n\n" + text, "2021-02-11", name="local.txt"))
    assert ("repression", "Thessaloníki", "2021-02-11", "2021-02-11") in local, local
    wire = summary(run("Students detained\nThe Daily (AFP), 2021-02-11\n\n" + text, "2021-02-11", name="wire.txt"))
    assert not any(place == "Thessaloníki" for _, place, _, _ in wire), wire


def test_a_foreign_country_named_as_the_place_of_the_event(run):
    evs = run("Bishkek traders marched on Monday. Officials watched nervously in January 2022 as protests over "
              "fuel prices in neighbouring Kazakhstan turned deadly.", "2025-03-26")
    assert ("protest", "Kazakhstan", "2022-01-01", "2022-01-31") in summary(evs)


def test_a_when_clause_after_since_happened_on_that_date(run):
    """"Rallies have gone on since June 2021, when police fired on protesters": the shooting was in June
    2021; the rallies run from then to the report's day."""
    evs = run("Rallies have continued in Almaty since June 2021, when police fired rubber bullets at protesters.")
    assert ("repression", "Almaty", "2021-06-01", "2021-06-30") in summary(evs)
    assert ("protest", "Almaty", "2021-06-01", FRIDAY) in summary(evs)


def test_a_comparison_with_a_past_date_dates_nothing(run):
    """"the largest protests since June 2021" are today's; June 2021 is what they are compared with."""
    evs = run("On Friday, thousands protested in Almaty, the largest protests since June 2021.")
    assert summary(evs) == {("protest", "Almaty", FRIDAY, FRIDAY)}
    evs = run("In the largest protests since February 20, thousands marched in Almaty.")
    assert summary(evs) == {("protest", "Almaty", FRIDAY, FRIDAY)}


def test_a_lead_without_a_place_is_the_event_placed_just_after(run):
    """News leads with what happened and says where in the next sentence: one strike, in Faisalabad, backed
    by both sentences; not a second one at the country."""
    text = ("KARACHI: Thousands of Pakistani textile workers walked out on Sunday over unpaid wages.\n\n"
            "Police fired water cannon at striking mill workers in Faisalabad, a textile hub.")
    evs = run(text, "2019-01-14")
    strikes = of_type(evs, "strike")
    assert [(e.place, e.date_start) for e in strikes] == [("Faisalabad", "2019-01-13")]
    assert len(strikes[0].sources) == 2 and strikes[0].sources[1].evidence.startswith("KARACHI: Thousands")
    # "similar protests were held in ...": other events than the lead's, which keeps its own
    evs = run("KARACHI: Thousands of Pakistani students protested on Sunday against the exam rules.\n\n"
              "Similar protests were held in Multan and Lahore on Sunday.", "2024-07-16")
    assert ("protest", "Pakistan", "2024-07-14", "2024-07-14") in summary(evs)
    # further in, an unplaced sentence stays where it is: it may be another event
    evs = run("Workers in Faisalabad struck on Sunday.\n\n" + text.split(": ", 1)[1], "2019-01-14")
    assert ("strike", "Pakistan", "2019-01-13", "2019-01-13") in summary(evs)


def test_a_place_that_says_whose_official_acted_is_not_the_event_place(run):
    evs = run("On Friday, residents gathered in Osh to protest against abuses by Jalal-Abad's police chief.",
              "2022-10-02")
    assert {e.place for e in evs} == {"Osh"}, summary(evs)
    # ... or without the possessive ("a spokesman for the Karaganda governor"), while "Temirtau officials" met
    # the miners in Temirtau
    evs = run("A spokesman for the Karaganda governor said the striking miners had met senior Temirtau officials "
              "on Monday.", "2011-12-19")
    assert {e.place for e in evs} == {"Temirtau"}, summary(evs)
    # the official's place alone still places what the sentence tells
    evs = run("Almaty's police chief ordered officers to disperse the rally on Thursday.")
    assert "Almaty" in {e.place for e in evs}, summary(evs)


def test_a_trigger_without_a_place_does_not_take_one_from_a_later_conjunct(run):
    evs = run("Scuffles broke out between police and protesters at a rally in Shymkent on Tuesday, and thousands "
              "of workers marched in Taraz and Almaty.")
    assert {e.place for e in of_type(evs, "riot")} == {"Shymkent"}, summary(evs)
    # a later conjunct that refers back takes the places told before it
    evs = run("Thousands took to the streets in Minsk and Brest on Tuesday night, and riot police dispersed them "
              "with stun grenades.", "2020-08-12")
    assert {e.place for e in of_type(evs, "repression")} == {"Minsk", "Brest"}, summary(evs)


def test_a_place_framing_a_comparison_across_its_history_is_no_event_place(run):
    evs = run("Thousands of nurses walked off the job on Monday at hospitals in Duluth, launching the largest "
              "nurses' strike in U.S. history.", "2023-09-12")
    assert {e.place for e in evs} == {"Duluth"}, summary(evs)


def test_an_event_named_a_day_after_a_dated_one_is_a_day_before_it(run):
    evs = run("DAKAR, June 2 (Reuters) - Police fired tear gas at stone-throwing protesters in Dakar on Friday, a "
              "day after clashes that killed nine people.", "2023-06-02")
    assert ("riot", "Dakar", "2023-06-01", "2023-06-01") in summary(evs)
    assert ("repression", "Dakar", "2023-06-02", "2023-06-02") in summary(evs)
    # the phrase dates only the event it names, not one told further on
    evs = run("On Thursday, a week after the shooting, a few dozen protesters laid flowers in Almaty before police "
              "moved them on.")
    assert ("repression", "Almaty", "2022-01-06", "2022-01-06") in summary(evs)


def test_a_liveblog_lead_at_a_named_street_outside_parliament_is_in_the_capital(run):
    """The entry names its place (a street, outside parliament), which the gazetteer does not know: the
    country's parliament is in its capital, and the lead is not merged into a rally told later elsewhere."""
    text = ("Live: protests over the election results in Georgia\n\n"
            "19:40 — Thousands have gathered on Rustaveli Avenue outside parliament, waving flags.\n\n"
            "00:20 — A smaller rally continues in Batumi, where around 300 people marched to the city hall.")
    evs = run(text, "2024-10-28", name="live.txt")
    assert ("protest", "Tbilisi") in {(e.event_type, e.place) for e in evs}, summary(evs)
    batumi = [e for e in evs if e.place == "Batumi"]
    assert batumi and all(not s.evidence.startswith("19:40") for e in batumi for s in e.sources)


def test_a_square_named_before_its_name_is_a_site_of_the_city(run):
    evs = run("In Lima, police cordoned off the Plaza San Martín, where demonstrators gathered on Wednesday evening.",
              "2023-01-19")
    assert [(e.event_type, e.place, e.site) for e in evs] == [("protest", "Lima", "Plaza San Martín")], summary(evs)


def test_a_site_told_without_a_place_is_in_the_one_city_of_the_country_named(run):
    text = ("(Geneva) – Authorities in Ghana should release the nurses detained at a protest in Kumasi, rights "
            "groups said.\n\nOn Monday, officers beat several nurses with batons outside Komfo Anokye Teaching "
            "Hospital.")
    evs = run(text, "2024-03-06")
    assert ("repression", "Kumasi", "2024-03-04", "2024-03-04") in summary(evs), summary(evs)
    # with two cities of the country named, the site's city is not known: the country stands for it
    evs = run(text.replace("in Kumasi", "in Kumasi and Tamale"), "2024-03-06")
    assert ("repression", "Ghana", "2024-03-04", "2024-03-04") in summary(evs), summary(evs)


def test_protests_in_so_many_counties_are_the_countrys_and_the_named_ones(run):
    evs = run("Demonstrations took place in at least 30 of Kenya's 47 counties on Tuesday, including Mombasa and "
              "Kisumu.", "2024-06-27")
    assert {e.place for e in evs} == {"Kenya", "Mombasa", "Kisumu"}, summary(evs)


def test_a_street_named_after_its_kind_in_any_language_is_a_site(run):
    evs = run("In Turin, students marched along Via Po on Friday.", "2023-03-11")
    assert [(e.place, e.site) for e in evs] == [("Turin", "Via Po")], summary(evs)


def test_a_square_named_after_a_possessive_city_is_the_square(run):
    evs = run("On Friday more than a million people marched in Santiago's Plaza Italia.", "2019-10-26")
    assert [(e.place, e.site) for e in evs] == [("Santiago", "Plaza Italia")], summary(evs)


def test_the_province_refers_back_to_the_province_named_before(run):
    evs = run("Teachers marched in Khatlon Province on Monday.\n\nLast year, teachers in the province went on "
              "strike over the same issue.", "2024-03-06")
    assert ("strike", "Khatlon", "2023-01-01", "2023-12-31") in summary(evs), summary(evs)


def test_a_roundup_item_headed_by_a_country_is_about_that_country(run):
    text = ("Strikes and protests this week\n\nGermany: Workers at airports in Hamburg and Munich staged warning "
            "strikes on Friday. Unions in Germany said more would follow.\n\nGermany: Teachers in Berlin marched "
            "on Thursday.\n\nNigeria: Students at the University of Lagos protested on Wednesday. Police "
            "dispersed them with tear gas.\n\nFrance: Refuse collectors in Paris walked out on Monday. On "
            "Saturday, unions said a million people marched across the country.")
    got = summary(run(text, "2023-03-13"))
    assert ("protest", "Lagos", "2023-03-08", "2023-03-08") in got, got
    assert ("repression", "Lagos", "2023-03-08", "2023-03-08") in got, got
    assert ("protest", "France", "2023-03-11", "2023-03-11") in got, got
    assert not any(place == "Germany" and kind != "strike" for kind, place, *_ in got), got


def test_a_paragraph_gone_back_to_a_past_episode_dates_its_undated_events_there(run):
    text = ("Police detained 30 relatives of jailed activists in Osh on Sunday.\n\n"
            "In March 2021, at least 12 people were killed when security forces put down protests in Osh. The "
            "government declared a state of emergency in the region.\n\n"
            "Police said the detainees would be released.")
    got = summary(run(text, "2023-07-03"))
    assert ("state_response", "2021-03-01", "2021-03-31") in {(k, a, b) for k, _, a, b in got}, got
    assert not any(kind == "state_response" and start.startswith("2023") for kind, _, start, _ in got), got


def test_a_capital_that_acts_is_the_government_not_the_place(run):
    evs = run("Protesters rallied in Khorugh on Monday. On Tuesday Dushanbe imposed a curfew in the region of "
              "Gorno-Badakhshan.", "2022-05-18")
    assert ("state_response", "Gorno-Badakhshan", "2022-05-17", "2022-05-17") in summary(evs), summary(evs)
    assert "Dushanbe" not in {e.place for e in evs}, summary(evs)
    # named alone, the capital that decides is where its decision stands
    evs = run("Protesters rallied in Khorugh on Monday. On Tuesday Dushanbe imposed a curfew.", "2022-05-18")
    assert {e.place for e in evs if e.event_type == "state_response"} == {"Dushanbe"}, summary(evs)


def test_an_event_of_the_reports_day_counted_from_an_earlier_one_stays_on_that_day(run):
    evs = run("Hundreds of oil workers in the Atyrau region have continued a strike over pay, two weeks after "
              "deadly unrest swept the country.", "2022-01-19")
    assert ("strike", "Atyrau Region", "2022-01-19", "2022-01-19") in summary(evs), summary(evs)


def test_both_cities_are_the_two_cities_named_before(run):
    text = ("Activists were jailed for joining protests in Bishkek and Osh on June 6.\n\n"
            "Police detained dozens of protesters in both cities on June 6, answering a call by the movement "
            "Democratic Choice of Kyrgyzstan. In Osh, police encircled protesters near Lenin Square.\n\n"
            "Police said both cities were calm on June 8.")
    got = summary(run(text, "2021-06-10"))
    assert {("repression", "Bishkek"), ("repression", "Osh")} <= {(k, p) for k, p, *_ in got}, got
    assert ("repression", "Osh", "2021-06-06", "2021-06-06") in got, got  # and "encircled protesters" is force
    assert not any(p == "Kyrgyzstan" for _, p, *_ in got), got


def test_a_when_clause_after_since_and_a_named_event_happened_then(run):
    evs = run("The rallies are the largest in Kyrgyzstan since the 2010 Osh unrest, when police shot dead "
              "dozens of protesters.", "2016-04-26")
    assert ("repression", "Osh", "2010-01-01", "2010-12-31") in summary(evs), summary(evs)


def test_no_place_from_a_later_main_clause_but_from_a_while_clause(run):
    got = summary(run("Last Thursday, more than a million protesters marched, and over 450 were arrested, mostly "
                      "in Lyon.", "2023-03-28"))
    assert ("protest", "France", "2023-03-23", "2023-03-23") in got, got
    assert ("repression", "Lyon", "2023-03-23", "2023-03-23") in got, got
    got = summary(run("Dozens of protesters were arrested on Monday, while they were marching to the town hall "
                      "in Pune.", "2024-09-17"))
    assert ("repression", "Pune", "2024-09-16", "2024-09-16") in got, got


def test_a_date_in_a_later_main_clause_dates_that_clause_only(run):
    got = summary(run("Strikes continued at the refineries in Normandy on Tuesday, and refuse collectors in Paris "
                      "have been on strike since March 6.", "2023-03-28"))
    assert ("strike", "Normandy", "2023-03-28", "2023-03-28") in got, got
    assert ("strike", "Paris", "2023-03-06", "2023-03-28") in got, got
    got = summary(run("Strikes continued at the refineries in Normandy, and refuse collectors in Paris have been "
                      "on strike since March 6.", "2023-03-28"))
    assert not any(p == "Normandy" and a == "2023-03-06" for _, p, a, _ in got), got


def test_a_date_after_a_participle_of_the_same_act_dates_it(run):
    got = summary(run("Security forces killed at least 40 people after firing live ammunition at protesters in "
                      "Mandalay on 3 March.", "2021-03-10"))
    assert ("repression", "Mandalay", "2021-03-03", "2021-03-03") in got, got
    # ... but not across a relative clause about someone else
    got = summary(run("In Taraz, protesters pulled down a statue of the former president, who ruled for decades "
                      "before stepping down in 2019.", "2022-01-07"))
    assert ("riot", "Taraz", "2022-01-07", "2022-01-07") in got, got


def test_a_date_of_a_strike_due_later_is_not_the_days_of_those_joining(run):
    got = summary(run("Nurses in Leeds walked out on Tuesday. At the General Infirmary in Leeds, nurses were joined "
                      "by ambulance workers, who are due to strike on Thursday.", "2022-12-21"))
    assert not any(a == "2022-12-15" for _, _, a, _ in got), got  # (the Thursday before the report)
    assert ("strike", "Leeds", "2022-12-20", "2022-12-20") in got, got


def test_a_publication_line_after_the_lead_dates_no_story(run):
    text = ("LAHORE: Traders in Multan kept up a sit-in on Saturday against electricity bills.\n\n"
            "Published September 3, 2023\n\n"
            "In Multan, traders also staged a sit-in outside the offices of the power company.")
    got = summary(run(text, "2023-09-03"))
    assert got == {("protest", "Multan", "2023-09-02", "2023-09-02")}, got


def test_a_national_strike_with_no_place_of_its_own_is_the_countrys(run):
    got = summary(run("Thousands marched on Wednesday in Bogota and Cali, a week after a national strike against "
                      "a tax reform began on April 28.", "2021-05-06"))
    assert ("strike", "Colombia", "2021-04-28", "2021-04-28") in got, got
    assert not any(k == "strike" and p != "Colombia" for k, p, *_ in got), got


def test_the_datelines_date_is_not_the_narrative_day(run):
    text = ("KHULNA, July 19 (Reuters) - At least 12 people were killed on Thursday as protesters clashed with "
            "police in Khulna.\n\nProtesters set fire to two police outposts in Khulna.")
    got = summary(run(text, "2024-07-19"))
    assert ("riot", "Khulna", "2024-07-18", "2024-07-18") in got, got
    assert not any(a == "2024-07-19" for _, _, a, _ in got), got


def test_a_general_strike_with_marches_in_the_capital_is_the_countrys(run):
    got = summary(run("The unions staged a 12-hour general strike on Wednesday, with tens of thousands of people "
                      "marching to Congress in Montevideo.", "2024-01-25"))
    assert ("strike", "Uruguay", "2024-01-24", "2024-01-24") in got, got


def test_in_protest_at_is_the_purpose_of_a_riot_not_a_protest_where_the_grievance_is(run):
    got = summary(run("Hundreds of protesters stormed the Danish embassy in Baghdad on Thursday and set it on fire in "
                      "protest at a planned burning of a Koran in Denmark.", "2023-07-21"))
    assert not any(p == "Denmark" for _, p, *_ in got), got


def test_what_they_protested_is_no_new_protest_what_they_did_is(run):
    text = ("On Tuesday soldiers opened fire on protesters at the toll gate in Lekki.\n\n"
            "They were marching against the fuel tax.\n\nThey had blocked the road for days.")
    evs = run(text, "2020-10-21")
    assert not any("marching against" in e.sources[0].evidence for e in evs), summary(evs)
    assert any("blocked the road" in e.sources[0].evidence for e in evs), summary(evs)


def test_the_capital_of_a_region_is_its_largest_city_the_article_names(run):
    text = ("NUKUS, Uzbekistan -- Police in the capital of Uzbekistan's autonomous Karakalpakstan region detained "
            "at least 30 protesters who gathered outside the prosecutor's office on Sunday.")
    got = summary(run(text, "2023-07-03"))
    assert ("repression", "Nukus", "2023-07-02", "2023-07-02") in got, got
    assert not any(p == "Karakalpakstan" for _, p, *_ in got), got


def test_a_timeline_entry_goes_on_at_the_site_it_named(run):
    text = ("Timeline of the day\n\n14:05 Thousands of farmers rally at the Old Bridge in Mostar. Some push "
            "down barricades and police fire tear gas.\n\n15:30 Police detain farmers in Mostar.")
    evs = run(text, "2023-04-26")
    fired = [(e.event_type, e.site) for e in evs if "tear gas" in e.sources[0].evidence]
    assert ("repression", "Old Bridge") in fired, summary(evs)
    # a new entry (paragraph) does not inherit it
    assert all(e.site is None for e in evs if "detain farmers" in e.sources[0].evidence), summary(evs)


def test_skirmishes_that_also_broke_out_are_of_the_narrative_day_not_the_episodes_start(run):
    text = ("Lille, 2019-12-06\n\nPolice used tear gas at protests in Lille yesterday.\n\n"
            "Clashes also broke out between riot police and marchers in Rennes.")
    got = summary(run(text, "2019-12-06"))
    assert ("riot", "Rennes", "2019-12-05", "2019-12-05") in got, got


def test_cities_from_one_place_to_another_are_both_places(run):
    got = summary(run("On Thursday protesters held rallies in towns from Toulouse in the south to Rouen in the "
                      "north.", "2019-12-06"))
    assert {"Toulouse", "Rouen"} <= {p for _, p, *_ in got}, got
    got = summary(run("On Thursday thousands took to the streets from Toulouse to Rouen.", "2019-12-06"))
    assert {"Toulouse", "Rouen"} <= {p for _, p, *_ in got}, got
    # ... and where a strike spread from and to
    got = summary(run("On Thursday the strike spread from Zhanaozen to Aktau and Atyrau.", "2022-01-07"))
    assert {p for _, p, *_ in got} == {"Zhanaozen", "Aktau", "Atyrau"}, got
    # ... and a city described beside its name is still where they came from
    got = summary(run("Many had walked for two days from Astana, the capital, to join the rally in Karaganda on "
                      "Thursday.", "2022-01-07"))
    assert "Astana" not in {p for _, p, *_ in got}, got
    # troops from a country are where they came from
    got = summary(run("Troops from Russia were deployed to Almaty on Thursday.", "2022-01-07"))
    assert "Russia" not in {p for _, p, *_ in got}, got


def test_a_region_in_an_apposition_only_says_where_the_city_is(run):
    evs = run("In Aktau, the regional centre of Mangystau, the protest in front of the akimat continued on Tuesday.",
              "2022-01-05")
    assert {e.place for e in evs} == {"Aktau"}, summary(evs)


def test_an_event_dated_by_its_own_beginning(run):
    evs = run("Several hundred residents rallied in Uralsk on Tuesday, joining protests that began on January 2 in "
              "Zhanaozen.", "2022-01-05")
    assert ("protest", "Zhanaozen", "2022-01-02", "2022-01-02") in summary(evs), summary(evs)
    assert ("protest", "Oral", "2022-01-04", "2022-01-04") in summary(evs), summary(evs)


def test_a_state_of_emergency_over_floods_is_no_response_to_protest(run):
    text = ("ATYRAU -- More than 5,000 residents were evacuated on Sunday as floodwaters rose along the Ural River.\n\n"
            "A state of emergency has been declared in Atyrau and West Kazakhstan regions.")
    assert run(text, "2024-04-08") == []
    # in an article about protest, it is one
    evs = run("Thousands protested in Atyrau on Sunday against the gas price. A state of emergency has been "
              "declared in Atyrau region.", "2024-04-08")
    assert "state_response" in {e.event_type for e in evs}


def test_a_region_naming_whose_police_acted_is_not_where(run):
    evs = run("Dozens of protesters were detained by the Almaty region police on Monday at the Kaskelen akimat.",
              "2024-09-16")
    assert {e.place for e in of_type(evs, "repression")} == {"Kaskelen"}, summary(evs)


def test_the_items_of_a_list_introduced_by_a_colon_are_the_events_places(run):
    text = ("Workers in Kazakhstan walked out on Friday at the following plants:\n\n"
            "  • the ArcelorMittal steel plant in Temirtau;\n"
            "  • the copper smelter in Balkhash.\n\n"
            "The two plants employ 13,000 workers.")
    evs = run(text)
    assert {(e.event_type, e.place) for e in evs} == {("strike", "Temirtau"), ("strike", "Balqash")}, summary(evs)
    # a planned walkout lists no events
    evs = run(text.replace("walked out on Friday", "plan to walk out next week"))
    assert not {e.place for e in evs} & {"Temirtau", "Balkhash"}, summary(evs)


def test_a_dash_that_names_places_spells_out_where(run):
    evs = run("Mass rallies began on 5 January in the regional centres of Eastern Kazakhstan, where there were none before "
              "– in Petropavl, Pavlodar and Semey.")
    assert {"Petropavl", "Pavlodar", "Semey"} <= {e.place for e in of_type(evs, "protest")}, summary(evs)


def test_a_site_of_a_subordinate_clause_is_not_the_events(run):
    evs = run("Police used tear gas against protesters in Rennes on Thursday after the president forced the reform "
              "through parliament.", "2023-03-24")
    assert {(e.place, e.site) for e in evs} == {("Rennes", None)}, summary(evs)


def test_an_event_dated_by_its_own_of_phrase(run):
    evs = run("A court in Hrodna on Wednesday sentenced an activist for taking part in the protests of August 2020.",
              "2023-06-14")
    assert ("protest", "Hrodna", "2020-08-01", "2020-08-31") in summary(evs), summary(evs)


def test_the_country_whose_police_acted_is_not_where_the_city_named_is(run):
    evs = run("Police in Kyrgyzstan detained at least 26 protesters on Sunday evening after several hundred people "
              "rallied outside the government building in Bishkek.", "2022-10-24")
    assert {e.place for e in of_type(evs, "repression")} == {"Bishkek"}, summary(evs)
    # a curfew the authorities of a region imposed is over that region
    evs = run("Authorities in Almaty region imposed a curfew after protesters clashed with police in Kaskelen on "
              "Sunday.", "2022-10-24")
    assert "Almaty Region" in {e.place for e in of_type(evs, "state_response")}, summary(evs)


def test_a_headline_above_a_publisher_line_is_no_sentence_of_the_article(run):
    title = "Kyrgyz police detain dozens of protesters after Bishkek rally over border deal"
    text = title + "\n24.kg, 2022-10-24\n\nPolice detained 26 protesters in Bishkek on Sunday evening."
    evs = run(text, "2022-10-24", title=title)
    assert {(e.event_type, e.date_start) for e in evs} == {("repression", "2022-10-23"), ("protest", "2022-10-23")}
