"""geo.events on its own: which sentences assert which event types, negation and hypotheticals,
sentence/paragraph/clause splitting, and the fatality/arrest figures.

These are pure functions over strings, so each case is one sentence and one expected answer.
"""
from __future__ import annotations

import pytest

from geo.events import about_protest, clause_bounds, figures, find_triggers, paragraphs, split_sentences
from geo.taxonomy import TYPE_NAMES


def types(sentence: str) -> set[str]:
    return {t.event_type for t in find_triggers(sentence)}


# ------------------------------------------------------------------ triggers by type

@pytest.mark.parametrize("sentence, expected", [
    # protest
    ("Thousands of people rallied in the central square.", "protest"),
    ("Protesters marched through the city centre.", "protest"),
    ("Teachers held a picket outside the akimat.", "protest"),
    ("Residents took to the streets after the price rise.", "protest"),
    ("A demonstration was held in front of the city hall.", "protest"),
    ("Drivers blocked the highway to the port.", "protest"),
    # strike
    ("Oil workers went on strike at the field.", "strike"),
    ("Copper miners staged a walkout.", "strike"),
    ("Workers at the steel plant stopped work.", "strike"),
    ("The strikers gathered at the gates.", "strike"),
    # riot
    ("Protesters stormed the akimat.", "riot"),
    ("Police are clamping down on striking truckers.", "repression"),
    ("Protesters storm the president's official residence.", "riot"),
    ("Rioters set fire to the mayor's office.", "riot"),
    ("Demonstrators clashed with police.", "riot"),
    ("Young men built barricades across the avenue.", "riot"),
    ("Shops were looted overnight.", "riot"),
    # repression
    ("Security forces opened fire on the crowd.", "repression"),
    ("Police detained the organisers.", "repression"),
    ("Riot police dispersed the crowd.", "repression"),
    ("Police used tear gas against the crowd.", "repression"),
    ("Officers beat the journalists.", "repression"),
    # state_response
    ("A state of emergency was declared.", "state_response"),
    ("The authorities imposed a curfew.", "state_response"),
    ("The internet was cut across the region.", "state_response"),
    ("Troops were deployed to the city.", "state_response"),
    ("The president dismissed the government.", "state_response"),
    ("The government resigned.", "state_response"),
])
def test_each_type_from_a_realistic_sentence(sentence, expected):
    assert expected in TYPE_NAMES
    assert expected in types(sentence), find_triggers(sentence)


def test_trigger_offsets_point_at_the_trigger_text():
    s = "On Tuesday police opened fire on strikers and detained dozens."
    for t in find_triggers(s):
        assert s[t.start:t.end] == t.text
    assert {"repression", "strike"} <= types(s)


def test_several_types_in_one_sentence_all_found_in_text_order():
    s = "A state of emergency and a curfew were declared, and the internet was cut."
    found = find_triggers(s)
    assert [t.text for t in found] == ["state of emergency", "curfew", "internet was cut"]
    assert [t.start for t in found] == sorted(t.start for t in found)


def test_a_word_of_several_senses_needs_protest_nearby():
    """'gathered' in an article that never speaks of protest is a crowd, not a demonstration."""
    assert find_triggers("Fans gathered at the stadium before kick-off.", "", protest_article=False) == []
    found = find_triggers("Thousands gathered in the square.", "Protesters demanded his resignation.",
                          protest_article=False)
    assert [t.event_type for t in found] == ["protest"]


def test_tear_gas_thrown_at_the_police_is_a_riot_thrown_by_the_police_is_not():
    found = types("Police hurled tear gas at a rally in Kisumu on Tuesday.")
    assert "repression" in found and "riot" not in found
    assert "riot" in types("A few youths hurled tear gas canisters back at the police.")


def test_stone_throwing_is_a_riot_and_moving_a_crowd_on_a_dispersal():
    assert "riot" in types("Police fired tear gas at stone-throwing youths.")
    assert types("Police moved the crowd on.") == {"repression"}


def test_blocked_motorways_and_dumped_manure_are_protests():
    assert "protest" in types("Farmers blocked motorways around Lyon on Friday.")
    assert types("Farmers dumped manure outside the prefecture in Agen.") == {"protest"}


def test_a_warning_strike_is_a_strike_a_warning_of_one_is_not():
    assert types("Public-sector workers staged warning strikes at airports on Friday.") == {"strike"}
    assert types("The union warned of a strike next week.") == set()


def test_refusing_to_start_shifts_is_a_strike_and_a_building_set_alight_a_riot():
    assert types("The workers refused to start their shifts.") == {"strike"}
    assert types("The akimat was set alight by the crowd.") == {"riot"}
    assert types("By 3 pm the city hall was on fire.") == {"riot"}


def test_a_habit_over_recent_years_is_no_event():
    assert types("Oil workers in the region have held several strikes in recent years.") == set()
    assert types("Over the past decade, miners have often walked out.") == set()
    assert types("Between 2018 and 2021, strikes broke out every year in the oil fields.") == {"strike"}


def test_troops_beginning_to_arrive_are_a_state_response():
    assert types("On January 6, troops of the CSTO began arriving in Kazakhstan amid the protests.") >= {"state_response"}


def test_the_grievance_of_a_protest_is_no_repression_it_reports():
    assert types("Thousands protested against the arrest of the mayor.") == {"protest"}
    assert types("The town saw big rallies in 2019 against the May 2019 arrest of its mayor.") == {"protest"}
    assert types("Police broke up the rally and arrested ten people.") == {"repression"}


def test_violence_by_the_crowd_is_a_riot_not_repression():
    assert types("Dozens of passers-by were beaten by rioters.") == {"riot"}
    assert types("Protesters were beaten by police.") == {"protest", "repression"}


def test_the_cause_of_protests_is_no_crackdown_on_them():
    assert types("The rallies began on 3 March, sparked by the detention of a popular mayor.") == {"protest"}
    assert "repression" in types("The unrest was sparked by the detention of protesters in Almaty.")


@pytest.mark.parametrize("sentence, expected", [
    # timelines and headlines tell in the present
    ("March 31: Hundreds of protesters try to storm the president's private residence.", "riot"),
    ("April 3: The entire cabinet resigns.", "state_response"),
    ("May 9: Mahinda Rajapaksa resigns as prime minister.", "state_response"),
    ("May 9: Government supporters attack the protest camp.", "riot"),
    ("July 13: Protesters occupy the prime minister's office.", "riot"),
    ("April 9: Protesters set up a camp outside the presidential secretariat.", "protest"),
])
def test_the_historic_present_of_timelines(sentence, expected):
    assert expected in types(sentence)


def test_workers_joining_a_strike_told_before_are_on_strike():
    before = "Oil workers went on strike in Zhanaozen on Monday."
    assert {t.event_type for t in find_triggers("They were joined on Tuesday by miners in Karaganda.", before)} \
        == {"strike"}
    assert find_triggers("The bill was supported by teachers.", "Parliament debated the bill.") == []


def test_clashes_blamed_on_someone_are_judged_not_told_again():
    assert types("Officials blamed the clashes in Shymkent on provocateurs.") == set()


@pytest.mark.parametrize("sentence, expected", [
    ("The BNP enforced a hartal across Dhaka on Sunday.", "strike"),
    ("Shops stayed shut in Kolkata during the bandh on Monday.", "strike"),
    ("Doctors began a go-slow at public hospitals in Nairobi.", "strike"),
    ("Nurses are working to rule in Lagos.", "strike"),
    ("Residents observed a sit-at-home order in Enugu on Monday.", "strike"),
    ("Farmers staged a dharna outside the collectorate in Ludhiana.", "protest"),
    ("Students gheraoed the vice-chancellor in Jadavpur.", "protest"),
    ("Farmers held a chakka jam on national highways.", "protest"),
    ("Residents held a cacerolazo in Santiago on Friday night.", "protest"),
    ("Unions called a paro nacional that paralysed Bogota on Wednesday.", "strike"),
    ("Truckers set up roadblocks on the Pan-American Highway.", "protest"),
    ("Activists occupied the square in Bishkek.", "protest"),
    ("Women formed human chains along the avenues of Minsk.", "protest"),
])
def test_regional_names_of_strikes_and_protests(sentence, expected):
    assert types(sentence) == {expected}


def test_the_states_roadblocks_and_occupations_are_no_protest():
    assert types("Police set up roadblocks around the city.") == set()
    assert types("Troops occupied the city.") == set()
    # blocking and occupying are the crowd's protest, the forces' own act when they do it
    assert types("Soldiers blocked the main highway into Osh on Monday.") == set()
    assert types("Riot police occupied the square before dawn.") == set()
    assert types("Pensioners, angry at police, blocked roads on Monday.") == {"protest"}
    assert types("Police fined traders who blocked the bridge.") == {"protest"}
    assert "protest" in types("Gendarmes fired tear gas at crowds who had blocked roads with burning tyres.")


@pytest.mark.parametrize("sentence, expected", [
    ("Villagers blocked more than 40 roads across the province on Thursday.", "protest"),
    ("Students occupied the area around the rectorate, blocking traffic for hours.", "protest"),
    ("Unemployed workers blocked the 9 de Julio avenue on Thursday.", "protest"),
    ("Dockers staged a 24-hour stoppage at the port in solidarity.", "strike"),
    ("Miners began a two-day stoppage on Monday.", "strike"),
])
def test_blocked_roads_counted_traffic_and_stoppages_of_a_length(sentence, expected):
    assert expected in types(sentence)


@pytest.mark.parametrize("sentence, expected", [
    ("The president deployed the military to support the police.", {"state_response"}),
    ("Oct. 21 – Dockworkers in Valparaiso walk off the job.", {"strike"}),  # a timeline's historic present
    ("Residents blockaded the fuel depot for two weeks.", {"protest"}),
])
def test_the_military_deployed_a_walkout_told_in_the_present_a_blockade_as_a_verb(sentence, expected):
    assert types(sentence) == expected


def test_camping_outside_offices_is_a_protest_and_people_rallying_make_an_article_about_protest():
    assert types("More than 200 nurses from clinics across the county on Monday camped outside the health "
                 "ministry.") == {"protest"}
    assert about_protest("Nurses rally over unpaid allowances\n\nSome carried placards.")
    # a rally of prices is not people rallying
    assert not about_protest("Copper extends rally\n\nThe rally in copper prices continued; shares rose.")


def test_a_rally_of_prices_is_read_around_the_word_not_across_the_sentence():
    assert types("After a sharp rise in fuel prices last month, residents of Taraz held a peaceful rally on "
                 "Monday.") == {"protest"}
    assert types("Copper extended its rally on Monday as prices hit a record.") == set()
    assert types("The rupee extended its rally after the announcement.") == set()


def test_protesters_encircled_by_police_and_a_car_surrounded_by_protesters():
    assert types("Police encircled about 50 protesters near the square for seven hours.") == {"repression", "protest"}
    assert types("The minister's car was surrounded by protesters.") == {"protest"}


def test_whom_a_protest_stands_up_for_is_no_crackdown_it_reports():
    assert types("In 2019 a demonstration was held in Leeds to support Belarusian students who were arrested "
                 "in Minsk.") == {"protest"}
    assert types("Hundreds marched on Sunday demanding the release of activists detained last month.") == {"protest"}
    # force met by the protest itself is reported
    assert types("Hundreds marched to support the miners, and police detained 20 of them.") == {"protest", "repression"}


def test_police_stations_attacked_by_number_are_a_riot():
    assert types("Overnight, protesters in Cali attacked at least 16 police stations.") == {"riot"}


def test_traders_shops_kept_shut_and_bills_burnt():
    assert "strike" in types("Traders kept their shops closed on Saturday against new taxes.")
    assert types("In Quetta, protesters burnt electricity bills outside the power company.") == {"protest"}
    assert types("The chain kept its stores closed for the holiday.") == set()


@pytest.mark.parametrize("sentence, expected", [
    ("The rally was broken up by police.", {"repression"}),
    ("Dozens were injured when police charged the crowd.", {"repression"}),
    ("Officers used pepper spray on the crowd.", {"repression"}),
    ("Security forces stormed the protest camp at dawn.", {"repression"}),
    ("The marchers were forcibly removed from the bridge.", {"protest", "repression"}),
    ("Demonstrators chanted slogans against the governor.", {"protest"}),
    ("Workers occupied the factory on Monday.", {"protest"}),
    ("Truckers parked their lorries across the motorway.", {"protest"}),
    ("Residents banged pots and pans from their balconies.", {"protest"}),
    ("Miners refused to come to the surface.", {"strike"}),
    ("The strike entered its third week.", {"strike"}),
    ("Authorities blocked access to Facebook and WhatsApp.", {"state_response"}),
    ("The cabinet was dismissed on Wednesday.", {"state_response"}),
    ("The national guard was mobilised.", {"state_response"}),
    ("Parliament voted to scrap the tax increase.", {"state_response"}),
    ("A police car was overturned near the square.", {"riot"}),
    ("Nobody was arrested.", set()),
    ("No one was detained at the rally.", set()),
    ("Workers voted to strike from next month.", set()),
    ("Demonstrators pelted the parliament building with eggs.", {"riot"}),
    ("A mob attacked the headquarters of the ruling party.", {"riot"}),
    ("Demonstrators broke through police cordons.", {"riot"}),
    ("Protesters fought running battles with police.", {"riot"}),
    ("Crowds occupied the regional government building.", {"riot"}),
    ("Crowds occupied the main square.", {"protest"}),
    ("Police fired warning shots.", {"repression"}),
    ("Dockworkers refused to unload ships.", {"strike"}),
    ("Pilots stayed off the job.", {"strike"}),
    ("Authorities declared a state of siege in three provinces.", {"state_response"}),
    ("The president invoked emergency powers on Friday.", {"state_response"}),
    ("The president ordered troops onto the streets.", {"state_response"}),
    ("The authorities cut off mobile phone networks in the region.", {"state_response"}),
])
def test_common_ways_news_tells_force_protest_and_strike(sentence, expected):
    assert types(sentence) == expected


@pytest.mark.parametrize("sentence, kind", [
    ("Security forces used excessive and lethal force against protesters.", "repression"),
    ("Police used disproportionate force on the marchers.", "repression"),
    ("Authorities imposed severe restrictions on internet access in the province.", "state_response"),
    ("Internet and mobile data services have been cut across the country since Thursday.", "state_response"),
    ("Students occupied schools and universities for months.", "protest"),
    ("Officers hauled away a score of marchers in central Almaty.", "repression"),
    ("Officers bundled the marchers into police vans.", "repression"),
    ("Police mobilised about 9,000 officers and set up fences to keep the marchers out.", "state_response"),
    ("Riot police kettled hundreds of students near the station.", "repression"),
    ("Several marchers were hurt when mounted police charged.", "repression"),
    ("Protesters overran the parliament compound on Tuesday.", "riot"),
    ("Traders downed shutters across the old town.", "strike"),
    ("Forty miners refused to come up from the pit after their shift.", "strike"),
    ("Residents banged pots from their balconies at nine.", "protest"),
    ("Students blocked faculties in Belgrade in late November.", "protest"),
])
def test_force_and_internet_restrictions_told_with_adjectives(sentence, kind):
    assert kind in types(sentence)


def test_an_employers_pay_deal_is_no_state_concession():
    assert "state_response" not in types("Workers went home after the company agreed to raise wages by 30%.")
    assert "state_response" in types("The ministry agreed to raise teachers' salaries after the strike.")


def test_a_removal_from_office_is_no_crackdown():
    assert types("The governor was removed from his post.") == set()


def test_a_picket_among_strikes_is_the_strikers_a_picket_held_is_a_protest():
    before = "Nurses walked out across the region on Thursday."
    assert {t.event_type for t in find_triggers("The picket at Luton was the biggest yet.", before)} == {"strike"}
    assert {t.event_type for t in find_triggers("Pensioners held pickets outside the ministry.", before)} == {"protest"}
    assert {t.event_type for t in find_triggers("The picket at Luton was the biggest yet.", "")} == {"protest"}
    # a stoppage is a strike too, for the picket as for workers who "were joined" in it
    stoppage = "Dockers began a work stoppage on Monday."
    assert {t.event_type for t in find_triggers("The picket at Luton was the biggest yet.", stoppage)} == {"strike"}


def test_an_opening_subordinate_clause_ends_the_scope_of_its_failure():
    assert types("When the union refused to call off the walkout, the president called in the army.") \
        >= {"state_response"}
    assert types("If talks fail, workers will strike.") == set()
    assert types("Officers began clamping down on picketing dockers at the port.") >= {"repression"}


def test_a_named_persons_arrest_is_no_force_against_protesters():
    assert "repression" not in types("Marchers saw Ivanov's arrest as a plot to remove a rival.")
    assert "repression" in types("Police arrested 40 protesters.")


def test_a_stoppage_in_play_is_no_strike():
    assert types("The match resumed after a brief stoppage for an injury.") == set()
    # nor a coach's complaint to the referee a protest (workers protesting to the government are)
    assert types("The coach protested to the referee over a penalty decision.") == set()
    assert types("Workers protested to the government over pay.") == {"protest"}


def test_a_new_conjunct_ends_the_scope_of_an_earlier_would():
    assert "riot" in types("Supporters stormed the Green Zone after he said he would quit politics, and at least "
                           "15 people were killed in clashes with security forces.")
    assert types("He said workers would strike and march on Monday.") == set()


def test_what_a_strike_shut_says_it_happened():
    assert types("The strike shut airports in Lagos and Abuja and grounded flights.") == {"strike"}


def test_internet_suspended_and_gatherings_restricted():
    before = "Farmers protested at the border."
    assert {t.event_type for t in find_triggers("Authorities suspended mobile internet services in seven districts.",
                                                before)} == {"state_response"}
    # the gatherings a restriction or a ban is about are not held
    assert find_triggers("Police imposed restrictions on large gatherings for a month.", before) == []
    assert find_triggers("An order was issued banning gatherings of more than four people.", before) == []


def test_a_habit_judged_is_no_event():
    assert types("Strikes are not new to France.") == set()
    assert types("Protests are common in the region.") == set()
    assert types("Strikes were reported in Aktau.") == {"strike"}


def test_an_amount_of_strikes_is_events_not_a_reference():
    assert types("Unions have held ten days of nationwide strikes since January.") == {"strike"}
    assert types("A new wave of protests swept the country.") == {"protest"}
    assert types("Rubbish piled up in the streets as binmen struck.") == {"strike"}


def test_breaking_into_protests_or_tears_is_no_riot():
    assert types("Workers in several towns broke into spontaneous protests over the price rise.") == {"protest"}
    assert types("The crowd burst into tears.") == set()
    assert types("Protesters broke into the regional akimat.") == {"riot"}


def test_a_hunger_strike_is_a_protest_not_a_work_stoppage():
    assert types("They held a hunger strike.") == {"protest"}  # SCHEME: strike = work stoppage


@pytest.mark.parametrize("sentence", [
    "Airstrikes hit the town.",
    "Russian air strikes hit the city overnight.",
    "Lightning strikes killed 23 people.",
    "Copper prices staged a rally on Tuesday.",
    "The foreign ministry handed the envoy a formal protest note.",
    "The film \"Protest Song\" premiered on Monday.",
    "More than 200 people were killed when the warehouse exploded.",
    "Police arrested two men on suspicion of burglary.",
    "The protest leaders met the governor.",
    "The price of gas rose sharply.",
    "The minister spoke about the economy.",
    "Parliament passed the anti-protest laws.",
    "The government clamped down on tax evasion.",
    "The government lifted the state of emergency on Monday.",
    "Authorities eased the curfew in the capital.",
    "Anti-riot police were on standby.",
    "Spurs beat Brighton 2-1 on Saturday, but the visitors protested furiously after a late penalty.",
    "The ministry imposed a news blockade on the region.",
    "Police charged that the organisers had been paid.",
    "He was convicted of rioting in 2019.",
])
def test_look_alikes_are_not_triggers(sentence):
    assert types(sentence) == set()


# ------------------------------------------------------------------ negation, hypotheticals, demands, plans

@pytest.mark.parametrize("sentence", [
    "The soldiers refused to disperse demonstrators.",
    "The union threatened to strike.",
    "Workers may strike next week.",
    "They called for a general strike.",
    "Protests are planned for Saturday.",
    "Police did not disperse the crowd.",
    "If the government does not act, there will be riots.",
    "The opposition urged people to rally in the square.",
    "Workers are ready to go on strike.",
    "The union leader spent a week touring the mining towns as a way of reviving the strikes.",
    "The minister met union leaders in a bid to avert a strike.",
    "The union pressed the ministry to release detained unionists.",
    "Organisers had hoped to hold a rally but called it off.",
    "Rumours of a strike spread through the depot.",
    "Police denied using tear gas.",
])
def test_negated_or_hypothetical_triggers_are_not_asserted(sentence):
    assert find_triggers(sentence) == [], find_triggers(sentence)


def test_did_not_hesitate_asserts_the_repression():
    assert "repression" in types("Police did not hesitate to repress strikers.")


def test_did_not_stop_the_protests_still_asserts_the_protests():
    # "X did not stop the protests": the negation bears on "stop", the protests happened.
    assert "protest" in types("The arrests did not stop the protests.")


def test_negation_stays_in_its_clause():
    # the negated clause does not contaminate the other clause of the sentence
    assert types("Police did not intervene, but workers went on strike.") == {"strike"}
    assert types("Workers went on strike, but police did not intervene.") == {"strike"}


def test_reference_to_the_known_movement_is_not_a_new_event():
    assert find_triggers("The protests in Kazakhstan have not reached a revolution.") == []
    # "during the demonstrations" frames another event; "the strikes of 1997" have their own date
    assert types("Several districts reported dozens of arrests during the demonstrations.") == {"repression"}
    assert "strike" in types("Miners stayed out longer than during the strikes of 1997.")
    assert types("The union said the strike on 15 December was the largest in its history.") == {"strike"}
    assert types("The union said the strike was the largest in its history.") == set()
    # after the people who do it, the word is their verb: "thousands of farmers rally" is a rally
    assert types("Thousands of farmers rally at the border crossing.") == {"protest"}
    # a verb in a relative clause about another noun says nothing new of the strike
    assert "strike" not in types("For many, the general strike is the heir of the marches that began in 2019.")
    # the noun itself is no verb of its clause: "told the gathering" tells of no new gathering
    assert types("The union leader addressed the gathering and said managers had offered talks.") == set()
    assert types("Miners in the Karaganda region went on strike.") == {"strike"}
    # "the strike was almost general in the region" says how far the strike went: it asserts it
    assert types("By then the strike was almost general in the whole Mangystau region.") == {"strike"}
    # a verb inside a compound is no verb of the clause: "student-led" says nothing new of the protests
    assert [t.text for t in find_triggers("The protests were inspired by student-led rallies abroad.")] == ["rallies"]
    # protests that "surged" or "peaked" are told to have happened then
    assert types("The rallies peaked in 2016 before fading away.") == {"protest"}


def test_a_protest_dispersed_is_a_protest_and_a_repression():
    # a rally took place, and was dispersed: SCHEME.md counts both
    assert types("Police dispersed a rally outside the akimat.") == {"protest", "repression"}
    assert types("Police fired tear gas at a demonstration of teachers.") == {"protest", "repression"}
    # "the rally" is one the article has told already: the sentence adds its dispersal
    assert types("Police dispersed the rally.") == {"repression"}


# ------------------------------------------------------------------ clauses, sentences, paragraphs

def test_clause_bounds_split_at_semicolon():
    s = "Workers went on strike in Atyrau; police dispersed the rally in Aktau."
    first, second = clause_bounds(s, 5), clause_bounds(s, s.index("police"))
    assert s[first[0]:first[1]] == "Workers went on strike in Atyrau"
    assert s[second[0]:second[1]].strip() == "police dispersed the rally in Aktau."


def test_sentences_respect_abbreviations_and_blank_lines():
    t = "Mr. Tokayev spoke on Jan. 5 in Almaty. Protests spread! Did they? Yes.\n\nNew para. U.S. officials said so."
    assert [t[a:b] for a, b in split_sentences(t)] == [
        "Mr. Tokayev spoke on Jan. 5 in Almaty.", "Protests spread!", "Did they?", "Yes.", "New para.",
        "U.S. officials said so."]


def test_sentences_split_at_bullets_and_spans_are_trimmed():
    t = "Strikes:\n- Oil workers went on strike in Aktau.\n- Miners stopped work in Zhezkazgan.  "
    spans = split_sentences(t)
    assert [t[a:b] for a, b in spans] == [
        "Strikes:", "- Oil workers went on strike in Aktau.", "- Miners stopped work in Zhezkazgan."]
    assert all(not t[a].isspace() and not t[b - 1].isspace() for a, b in spans)


def test_sentences_of_empty_or_blank_text():
    assert split_sentences("") == []
    assert split_sentences(" \n\n \t") == []


def test_paragraphs_by_blank_lines():
    t = "One. Two.\n\nThree.\n  \nFour."
    assert [t[a:b] for a, b in paragraphs(t)] == ["One. Two.", "Three.", "Four."]


def test_paragraphs_one_per_line_when_pasted_so():
    long = "Workers went on strike and rallied in the square for higher wages. " * 4
    t = "\n".join([long.strip(), long.strip(), "Short line.", long.strip()])
    assert len(paragraphs(t)) == 4


# ------------------------------------------------------------------ figures

@pytest.mark.parametrize("sentence, killed, arrested", [
    ("Dozens were killed.", 12, None),
    ("164 people were killed in Almaty.", 164, None),
    ("Nearly 10,000 people were detained.", None, 10000),
    ("nearly 10,000 detained", None, 10000),
    ("At least 225 people died, and 4,353 were arrested.", 225, 4353),
    ("Police dispersed the rally.", None, None),
    ("Hundreds were detained and dozens were killed.", 12, 100),
])
def test_figures(sentence, killed, arrested):
    assert figures(sentence) == (killed, arrested)


@pytest.mark.parametrize("sentence, killed, arrested", [
    # a date or year before the verb is not a figure
    ("On 6 January 2022 police killed 26 protesters.", 26, None),
    ("On 6 January police arrested 44 people.", None, 44),
    ("In 2011 police killed 16 oil workers.", 16, None),
])
def test_dates_are_not_taken_for_figures(sentence, killed, arrested):
    assert figures(sentence) == (killed, arrested)


@pytest.mark.parametrize("sentence, arrested", [
    # the figure after the verb (active voice) is the common wire phrasing
    ("Police detained 9,900 people.", 9900),
    ("Police arrested 44 people.", 44),
    ("Ten thousand people were detained.", 10000),
])
def test_arrest_figures_in_other_phrasings(sentence, arrested):
    assert figures(sentence)[1] == arrested


def test_day_of_month_in_a_real_sentence_is_not_a_death_toll():
    # tests/corpus/104: the Gomel repression event got fatalities=9 from "on 9 August died"
    s = ("In Gomel, a 25-year-old man who had been detained during protests on 9 August died in custody "
         "on 12 August, his mother told reporters.")
    killed, arrested = figures(s)
    assert killed in (None, 1) and arrested is None


def test_every_trigger_opens_with_known_letters():
    """A trigger pattern that may begin with anything (a leading \\w+) silently turns the word-start
    matching off and makes extraction several times slower."""
    from geo import events as E

    assert E._OPENINGS is not None


def test_word_start_matching_finds_exactly_what_a_full_scan_finds():
    """find_triggers matches only at word starts that open a trigger (a speed-up): on every article
    under tests/ and seeds/ it must give the matches of scanning every position."""
    from pathlib import Path

    from geo import events as E

    root = Path(__file__).resolve().parent.parent
    files = sorted((root / "tests").rglob("*.txt")) + sorted((root / "seeds").glob("*.txt"))
    sentences = 0
    for f in files:
        text = f.read_text(encoding="utf-8", errors="replace")
        for a, b in split_sentences(text):
            s = text[a:b]
            full = [(m.start(), m.end(), m.lastgroup) for m in E._ALL_TRIGGERS.finditer(s)]
            fast = [(m.start(), m.end(), m.lastgroup) for m in E._trigger_matches(s)]
            assert fast == full, s
            sentences += 1
    assert sentences > 1000
