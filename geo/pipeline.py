"""From an article to its events: sentences, triggers, places, dates, one event per (place, days, type).

Each sentence that asserts an event (``geo.events``) is linked to the places
of its clause (``geo.gazetteer`` finds them, ``geo.linking`` assigns them: a
list "strikes in Atyrau, Uralsk and Aktobe" gives one event per place) and to
the date of its clause (``geo.dating``, anchored on the article's or section's
own date). A sentence with no date takes the narrative date, else the
article's date; a sentence with no place takes the place the previous sentence
named or "the city" refers to, else the article's main country. The sentence
is kept as evidence.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from geo import timex
from geo.dating import (
    BESIDE, PRESENT, SUBORDINATE, DateSpan, date_near, episode_start, gap, inherit_year, is_historical, is_own_date,
    join_days, listed_with, pick_date, shift, span_of, tag_document, to_date, up_to,
)
from geo.events import (
    FIRED_ON_CROWD, PROTEST_CONTEXT, STRIKE_WORDS, VICTIMS, Trigger, clause_bounds, figures, find_triggers,
    paragraphs, split_sentences,
)
from geo.fingerprint import extractor_version
from geo.focus import ArticleFocus, one_per_apposition, read_focus
from geo.gazetteer import Gazetteer
from geo.linking import (
    COUNTRYWIDE, NAMED_SITE, REFERS_BACK, drop_agent_jurisdictions, drop_containers, is_foreign_government,
    is_government_acting, is_history_frame, is_origin, is_possessive_country, is_whose_official, owners, referents,
    site_name,
)
from geo.merge import merge_events
from geo.placedata import haversine_km
from geo.model import Document, Event, Mention, Place, Source


def __getattr__(name: str) -> str:
    """``EXTRACTOR_VERSION``: what made the events (geo/fingerprint.py); a store built by another
    extractor is re-extracted. Computed on first use, not at import: hashing every module and data
    file is wasted on the worker processes of a parallel ingest, which only extract."""
    if name == "EXTRACTOR_VERSION":
        version = extractor_version()
        globals()["EXTRACTOR_VERSION"] = version
        return version
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


OTHER_PLACES = re.compile(r"\b(?:and|as well as|like|in)\s+(?:in\s+)?(?:many|several|numerous|dozens of|a number of)?\s*"
                          r"other (?:\w+ )?(?:cities|towns|regions|places|parts of the country)\b"
                          r"|\b(?:and|or) elsewhere\b"
                          r"|\b(?:across|throughout|all over|around) the (?:whole |entire )?country\b"
                          r"|\bin (?:more than |over |at least |some |nearly |almost )?\d+ (?:of (?:the |[A-Z][\w-]*['’]s )?"
                          r"\d+ )?(?:cities|towns|provinces|regions|districts|counties|states)\b", re.IGNORECASE)
ONGOING = re.compile(r"\bcontinu(?:ed|es|ing)\s+(?:\w+\s+){0,3}?(?:strikes?|walkouts?|protests?|sit-ins?|blockades?|"
                     r"demonstrations?|occupations?)\s+(?:that|which)\s+(?:had\s+)?(?:began|begun|started)\b"
                     r"|\b(?:began|started|broke out|erupted|launched)\b[^.;]{0,80}?\b(?:and|but) (?:has |have |had )?"
                     r"(?:continued|continues|go(?:es|ne)? on|is still|are still|remains?|persist(?:s|ed)?)\b"
                     r"|\b(?:has|have) (?:been )?(?:continued|gone on|persisted) (?:since|from)\b", re.IGNORECASE)
# How far back a beginning may lie for "began ... and continues" to run to the report's day.
ONGOING_MAX_DAYS = 92
# the trigger's own verb says it began: "the protests started in ...", "a strike broke out at ..."
# (not "clashes also broke out", "fighting later erupted": another event of the story, on its day)
BEGINNING = re.compile(r"\W*(?:(?!also\b|again\b|later\b|then\b|too\b|soon\b|subsequently\b)\w+\W+){0,2}?"
                       r"(?:began|started|broke out|erupted|originated)\b", re.IGNORECASE)
WHERE_BEFORE = re.compile(r",?\s*\bwhere\s*$", re.IGNORECASE)
BEGAN_AS = re.compile(r"\b(?:began|started) as (?:\w+ ){0,2}$", re.IGNORECASE)
# Roads and border posts named after the town they lead to ("the Aktobe highway", "the highway to Taraz").
ROAD_AFTER = re.compile(r"(?:\s*-\s*[A-Z][\w-]+)?\s+(?:border|bypass|road|highway|expressway|motorway|toll plaza)\b",
                        re.IGNORECASE)
ROAD_TO = re.compile(r"\b(?:highway|road|route|motorway|expressway)\s+(?:to|from|towards)\s+$", re.IGNORECASE)
ROAD_KM = 100.0
# "six days after the blast", "a week before the vote": an event dated from another one
OFFSET = re.compile(r"\b(?P<n>a|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+(?P<unit>days?|weeks?)\s+"
                    r"(?P<dir>after|before)\b", re.IGNORECASE)
# How far after "a day after" the event it names may start ("a day after the deadly clashes").
OFFSET_REACH = 20
# "in the first four days after the election", "within two weeks after": a stretch, not a day
DURATION_BEFORE = re.compile(r"\b(?:first|within|for|over|during|past|last|next|the|in)\s+$", re.IGNORECASE)
_NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10}
GOVERNMENT_DISMISSAL = re.compile(r"government|cabinet|prime minister|sacked|removed", re.IGNORECASE)
# A decision of the state with no place of its own (a resignation, a concession) is taken in the capital.
DECISION = re.compile(r"resign|quit|stepped down|dismiss|withdr|scrap|revok|repeal|shelv|revers|suspend|pay|wage|salar|"
                      r"increase|rise|raise|price|cut|lower|reduc|capped|dissolv|disband|abolish", re.IGNORECASE)
# Sites of a country's own institutions, which stand in its capital (not "the regional parliament").
NATIONAL_SITE = re.compile(r"(?:the\s+)?(?:parliament(?: building)?|presidential (?:palace|residence|administration|"
                           r"secretariat|office)|(?:president|prime minister)['’]s (?:official )?(?:residence|palace|office)|"
                           r"national assembly|congress|supreme court|constitutional court|government house|"
                           r"government (?:building|headquarters|offices)\b|building of the (?:[A-Z]\w+ )?government)",
                           re.IGNORECASE)
# "a dozen cities across Kazakhstan, including ...", "in Kazakhstan": the country as a place, not an actor
ACTORS = re.compile(r"\s+(?:(?:riot|security|special|armed|state|border|government|police)\s+)?(?:security forces|"
                    r"forces|police|troops|soldiers|army|military|authorities|government|regime|officials|"
                    r"protesters|demonstrators|workers|unions?|students|teachers|miners|nurses|doctors|farmers|"
                    r"truckers|drivers|activists|opposition|strikers|employees|dockers|pilots)\b", re.IGNORECASE)
FOREIGN_IN = re.compile(r"\bin\s+(?:neighbou?ring\s+)?$", re.IGNORECASE)
LOCATIVE = re.compile(r"\b(?:in|across|throughout|all over|around|nationwide in)\s+(?:the\s+)?$", re.IGNORECASE)


def _make_event(trigger: Trigger, place: Place, mention_text: str, span: DateSpan, doc: Document,
                sent_start: int, sentence: str, episode: date | None, confidence: float,
                site: str | None) -> Event:
    historical = is_historical(span.end, span.precision, episode)
    level = place.level
    name = place.name
    if place.level == "site":
        site = place.name
        name = place.town or place.name
    elif site and place.level == "city":
        level = "site"
    else:
        site = None
    fatalities, arrests = figures(sentence) if trigger.event_type == "repression" else (None, None)
    return Event(
        event_type=trigger.event_type, place=name, place_id=place.id, level=level, lat=place.lat, lon=place.lon,
        country=place.country, date_start=span.start, date_end=span.end, time_precision=span.precision,
        admin1=place.admin1, site=site, place_mention=mention_text, region_code=place.region_code,
        historical=historical, date_uncertain=span.uncertain, confidence=round(confidence, 3),
        fatalities=fatalities, arrests=arrests,
        sources=[Source(doc=doc.name, evidence=sentence, start=sent_start, end=sent_start + len(sentence),
                        title=doc.title, publisher=doc.publisher, published=doc.published, url=doc.url)],
    )


_SINCE_BEFORE = re.compile(r"\bsince\b[^,.;:]{0,50}$", re.IGNORECASE)
# The longest span a sentence's story can be said to go on at: days and a night, a weekend, a week
NARRATIVE_DAYS = 7


@dataclass
class _Discourse:
    """What the sentences read so far leave to the next one: the narrative day (the latest day of the
    episode told so far), a past episode the paragraph went back to, the place the story is at, the
    places "the city", "the region" and "both cities" refer to, the text a word of several senses is
    read against, and the list an introduction ending in ":" opened."""

    anchor: str | None  # the date of the article or of the dated section being read
    narrative: DateSpan | None = None
    para_narrative: DateSpan | None = None  # the paragraph's own latest day
    background: DateSpan | None = None  # a past episode this paragraph went back to ("In July 2022, ...")
    last_place: Mention | None = None
    last_site: tuple[str, str] | None = None  # (place id, site name) the last sentence's events were at
    recent: dict[str, list[Mention]] = field(default_factory=dict)  # "the city", "the region", "both cities"
    previous: str = ""  # the sentences just before
    picked: list[timex.TimeSpan] = field(default_factory=list)  # the dates the sentence's triggers took
    list_of: list[str] = field(default_factory=list)  # the event types an introduction gives the bullets after it
    intro_events: list[Event] = field(default_factory=list)  # the introduction's own events at the country

    @property
    def day(self) -> DateSpan | None:
        """The day an undated sentence is told on."""
        return self.background or self.narrative

    def new_paragraph(self) -> None:
        self.para_narrative = self.background = self.last_place = self.last_site = None

    def read_at(self, anchor: str | None) -> None:
        """A new piece (a heading, a dated section) starts its own narrative."""
        if anchor != self.anchor:
            self.narrative, self.para_narrative, self.anchor = None, None, anchor

    def dated(self, spans: list[timex.TimeSpan], heading: bool, told: bool, episode: date | None,
              sentence: str = "") -> None:
        """Carry the sentence's latest day of the episode over to the sentences after it; a sentence that
        tells events of a past episode only ("In July 2022, 21 people were killed") keeps its paragraph
        there until the paragraph dates something else (the next paragraph comes back to the story)."""
        anchor = self.anchor
        days = [s for s in spans if s.precision in ("day", "range") and anchor
                and not is_historical(s.date_end, s.precision, episode) and to_date(s.date_start) <= to_date(anchor)]
        if days and not heading:
            # (not a heading's date: a "Published September 3, 2023" line after the lead dates no story)
            # (a day before a season: "walked out on Thursday ... in the strikes this winter" goes on on
            # Thursday, not across the winter)
            short = [s for s in days if (to_date(s.date_end) - to_date(s.date_start)).days <= NARRATIVE_DAYS]
            latest = max(short or days, key=lambda s: s.date_end)
            if self.para_narrative is None or latest.date_end >= self.para_narrative.end:
                # (a stretch "since Monday" goes on today: the story is at its last day)
                self.para_narrative = DateSpan(latest.date_end, latest.date_end, "day") \
                    if latest.text.lower().startswith("since ") else span_of(latest)
            self.narrative = self.para_narrative
            self.background = None
        elif told:
            # (not a reference point: "for the first time since the return to democracy in 1990")
            past = [s for s in spans if anchor and is_historical(s.date_end, s.precision, episode)
                    and not _SINCE_BEFORE.search(sentence, max(0, s.start - 60), s.start)]
            if past:
                self.background = span_of(max(past, key=lambda s: s.date_end))

    def placed(self, places: list[Mention], events: list[Event]) -> None:
        """The sentence's places are what "the city" or an unplaced next sentence refers to: one place is
        where the story goes on; after a list ("spread to Almaty, Aktau and Oral") an unplaced sentence is
        about all of them, which the country stands for. The one named site the sentence's events were
        at is where the story goes on too."""
        city_like = [m for m in places if m.place.level in ("city", "site", "region")]
        if city_like:
            self.last_place = city_like[-1] if len({m.place.id for m in city_like}) == 1 else None
            sites = {(e.place_id, e.site) for e in events if e.level == "site" and e.site and e.site[:1].isupper()}
            self.last_site = next(iter(sites)) if len(sites) == 1 else None
        for m in city_like:
            self.recent["region" if m.place.level == "region" else "city"] = [m]
        cities = {m.place.id: m for m in city_like if m.place.level == "city"}
        if len(cities) == 2:
            self.recent["both"] = list(cities.values())
        elif len(cities) == 1:
            # "In Almaty, ... In the capital, Nur-Sultan, ... in both cities": the last two cities told apart
            last = self.recent.get("last_city", [])
            city = next(iter(cities.values()))
            if last and last[0].place.id != city.place.id:
                self.recent["both"] = [last[0], city]
            self.recent["last_city"] = [city]


# "in the capital of Mangistau region", "the regional capital of Karakalpakstan": a region's capital
_CAPITAL_OF = re.compile(r"\bcapital\s+of\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}$", re.IGNORECASE)


def _region_cities(mentions: list[Mention]) -> dict[tuple[str, str | None], Place]:
    """The largest city an article names in each region (its dateline's too), as a region's capital
    mostly is: what "the capital of Mangistau region" refers to in a report filed from Aktau."""
    best: dict[tuple[str, str | None], Place] = {}
    for m in mentions:
        p = m.place
        if p is not None and p.level == "city" and not m.demonym:
            known = best.get((p.country, p.admin1))
            if known is None or p.population > known.population:
                best[(p.country, p.admin1)] = p
    return best


def _event_places(text: str, sentence: str, s_start: int, mentions: list[Mention], focus: ArticleFocus,
                  gaz: Gazetteer, region_cities: dict[tuple[str, str | None], Place] | None = None) -> list[Mention]:
    """The sentence's mentions that can be an event's place (in sentence offsets): not a dateline, an
    origin, a possessive country, a history frame, a container of another place, whose official acted
    or a capital acting as its government; "the capital of" a region is the region's city the article
    names."""
    # "from Astana, the capital,": a description beside the name is the same mention, read with it
    mentions = one_per_apposition(mentions)
    places = [Mention(m.text, m.start - s_start, m.end - s_start, m.place, m.confidence, m.candidates)
              for m in mentions if m.place is not None and not m.demonym and not focus.in_dateline(m.start)
              and not is_origin(text, m.start) and not is_possessive_country(text, m)
              and not is_history_frame(text, m)
              and not is_foreign_government(text, m, gaz.is_capital(m.place),
                                            focus.country.country if focus.country else None)]
    if region_cities:
        places = [Mention(m.text, m.start, m.end, region_cities[(m.place.country, m.place.admin1)], m.confidence)
                  if m.place.level == "region" and (m.place.country, m.place.admin1) in region_cities
                  and _CAPITAL_OF.search(sentence, max(0, m.start - 40), m.start) else m for m in places]
    places = drop_containers(places, sentence)
    if len(places) > 1:
        # "in Osh to protest ... by Jalal-Abad's police chief": the other place is the event's
        places = [m for m in places if not is_whose_official(sentence, m)] or places
    if places and (len(places) > 1 or REFERS_BACK.search(sentence)):
        # "Tashkent declared a state of emergency in the region": the government acting, not the place
        places = [m for m in places if not is_government_acting(sentence, m, gaz.is_capital(m.place))]
    return places


def _national(text: str, s_start: int, mentions: list[Mention], focus: ArticleFocus) -> list[Mention]:
    """ "Uzbek security forces", "French unions": a demonym naming who acted, in a foreign country."""
    return [Mention(m.text, m.start - s_start, m.end - s_start, m.place, m.confidence, demonym=True)
            for m in mentions if m.demonym and m.place is not None
            and (focus.country is None or m.place.country != focus.country.country) and ACTORS.match(text, m.end)]


def extract_document(doc: Document, gazetteer: Gazetteer | None = None) -> list[Event]:
    """The events one article asserts, merged within it (one per place, day span and type).

    The article is read once (its places, dates, paragraphs and focus); then each sentence is linked:
    its triggers, the places each trigger owns and the date each takes, against what the sentences
    before it left (``_Discourse``)."""
    gaz = gazetteer or Gazetteer.load()
    text = doc.text
    mentions = gaz.find(text)
    blocks = paragraphs(text)
    all_spans = tag_document(doc)
    focus = read_focus(text, mentions, blocks, episode_start(all_spans, doc.published), gaz)
    # each sentence takes its dates and places by bisection, so time grows linearly with the article
    all_spans = sorted(all_spans, key=lambda t: t.start)
    mentions = sorted((_road_named_after(m, text, focus) for m in mentions), key=lambda m: m.start)
    span_starts = [t.start for t in all_spans]
    mention_starts = [m.start for m in mentions]
    region_cities = _region_cities(mentions)
    events: list[Event] = []
    state = _Discourse(doc.published)
    for p_start, p_end in blocks:
        state.new_paragraph()
        para_focus = _under_country_heading(text, p_start, p_end, mentions, mention_starts, focus)
        for s0, s1 in split_sentences(text[p_start:p_end]):
            s_start, s_end = p_start + s0, p_start + s1
            sentence = text[s_start:s_end]
            state.read_at(doc.date_at(s_start) or doc.published)
            spans = inherit_year([shift(t, -s_start) for t in
                                  all_spans[bisect_left(span_starts, s_start):bisect_left(span_starts, s_end)]])
            sent_mentions = mentions[bisect_left(mention_starts, s_start):bisect_left(mention_starts, s_end)]
            places = _event_places(text, sentence, s_start, sent_mentions, focus, gaz, region_cities)
            national = _national(text, s_start, sent_mentions, para_focus)
            heading = _is_heading(sentence, doc)
            unasserted: list[Trigger] = []
            triggers = [] if heading else find_triggers(sentence, state.previous, focus.about_protest, unasserted)
            state.previous = (state.previous + " " + sentence)[-400:]
            if not any(t.event_type == "state_response" for t in triggers):
                # (a curfew "imposed by the authorities in Lagos State" is over the state: its jurisdiction)
                places = drop_agent_jurisdictions(places, sentence)
            if not places and not spans and PRONOUN_SUBJECT.match(sentence):
                # "They were marching against the fuel tax", "They had gathered to denounce the arrests": what
                # the protesters just told of protested; no new protest, and none at a place or day
                # the sentence does not give (but "They had blocked roads" tells what they did)
                triggers = [t for t in triggers if not (t.event_type == "protest" and MOTIVE.match(sentence, t.end))]
            owned = owners(triggers, sentence, places, unasserted)
            # "... and a planned walkout in Oklahoma on Monday": the plan's date dates no event
            own_spans = [t for t in spans if not _planned_date(t, unasserted, triggers, sentence)] \
                if unasserted else spans
            bullet = BULLET.match(sentence) is not None
            if bullet and state.list_of and not triggers and places:
                # "Protests took place in the following cities:" / "• Ford's Michigan Assembly in Wayne": each
                # item names a place of the event the introduction tells, which the items place more precisely
                triggers = [Trigger(t, 0, 0, "") for t in state.list_of]
                owned = {i: places for i in range(len(triggers))}
                events = [e for e in events if not any(e is i for i in state.intro_events)]
                state.intro_events = []
            elif not bullet:
                state.list_of = sorted({t.event_type for t in triggers}) if sentence.rstrip().endswith(":") else []
            first = len(events)
            state.picked = []
            for i, trig in enumerate(triggers):
                events.extend(_events_for(trig, sentence, s_start, own_spans, owned[i], national, state, para_focus,
                                          doc, gaz, places))
            if state.list_of and not bullet:
                state.intro_events = [e for e in events[first:] if e.level == "country"]
            # (not the dateline's date: "DHAKA, July 19 (Reuters) - ... killed on Thursday" goes on on Thursday)
            # (nor an earlier day named as an event's owner: after "on Friday", "Thursday's clashes, in
            # which ..." look back, and the story goes on on Friday)
            # (a sentence whose events took dates carries those on: "protests began after the price rise
            # took effect on March 1" does not go on on March 1)
            carried = [t for t in spans if any(t is p for p in state.picked)] if triggers else spans
            state.dated([t for t in carried if not focus.in_dateline(s_start + t.start)
                         and not (sentence[t.end:t.end + 2] in ("'s", "’s") and state.narrative is not None
                                  and t.date_end < state.narrative.end)],
                        heading, bool(triggers), focus.episode, sentence)
            state.placed(places, events[first:])
    return merge_events(_lead_told_more_precisely(events))


# "France: Refuse collectors in Paris ...", "• Nigeria – Students ...": a roundup item headed by its country
COUNTRY_HEADING = re.compile(r"\s*(?:[-*•]\s*)?([A-Z][\w.'’ -]{1,40}?)\s*(?::|\s[–—-])\s")


def _under_country_heading(text: str, start: int, end: int, mentions: list[Mention], mention_starts: list[int],
                           focus: ArticleFocus) -> ArticleFocus:
    """The focus a paragraph is read against: in a roundup, an item headed by a country ("Nigeria: Students
    protested ...", "Police dispersed them") is about that country, not the article's main one, and its
    main city and filing city are not the item's."""
    m = COUNTRY_HEADING.match(text, start, end)
    if m is None:
        return focus
    i = bisect_left(mention_starts, m.start(1))
    head = mentions[i] if i < len(mentions) and mentions[i].start == m.start(1) else None
    if head is None or head.place is None or head.place.level != "country" or head.end != m.end(1):
        return focus
    if focus.country is not None and head.place.id == focus.country.id:
        return focus
    return replace(focus, country=head.place, city=None, filed_at=None, only_city=None)


# A sentence whose subject is a pronoun for people told of before
PRONOUN_SUBJECT = re.compile(r"\s*(?:They|He|She|We)\b")
MOTIVE = re.compile(r"\s+(?:against|over|about|to (?:protest|demand|denounce|condemn|oppose))\b", re.IGNORECASE)
# A list item: a line opening with a bullet mark or a number.
BULLET = re.compile(r"\s*(?:[-*•–—]|\d{1,2}[.)])\s+")


# How far after an article's lead the same event may be told again with its place.
RETOLD_WITHIN = 600
# "Similar protests were held in Chittagong", "workers also struck in Aktau": another event than the lead's
ANOTHER = re.compile(r"\b(?:similar|also|too|other|another|as well|elsewhere|meanwhile|likewise)\b", re.IGNORECASE)


def _lead_told_more_precisely(events: list[Event]) -> list[Event]:
    """Drop an event of the article's lead put at its country only because the lead named no place, when
    the next sentences tell an event of the same type on the same days at a place of that country: news
    leads with what happened and says where just after ("KARACHI: Thousands of textile workers walked out
    on Sunday ... Police dispersed striking mill workers in Faisalabad"). The lead becomes further
    evidence of the placed event. Only the lead: further in, an unplaced sentence followed by a placed
    one is as often another event (oil workers struck at one plant, miners at a town's mine)."""
    if not events:
        return events
    first = min(e.sources[0].start for e in events)
    # (a lead that names a site, "on Rustaveli Avenue", has a place of its own the gazetteer does not know)
    lead = [e for e in events if e.sources[0].start == first and e.level == "country" and not e.place_mention
            and e.event_type != "state_response"
            and not NAMED_SITE.search(e.sources[0].evidence)]
    dropped: set[int] = set()
    for e in lead:
        src = e.sources[0]
        later = [f for f in events if f.level in ("city", "site") and f.country == e.country
                 and f.event_type == e.event_type
                 and src.end <= f.sources[0].start <= src.end + RETOLD_WITHIN
                 and (f.date_start, f.date_end) == (e.date_start, e.date_end)
                 and not ANOTHER.search(f.sources[0].evidence)]
        if later:
            dropped.add(id(e))
            later[0].sources = later[0].sources + [src]
    return [e for e in events if id(e) not in dropped]


HEADING_START = re.compile(r"^\W*(?:read also|see also|related|photo|image|video|source|reproduced from|"
                           r"first published|share|tags?)\b", re.IGNORECASE)
# A sentence about the writing itself ("This blog post discusses the national strike") reports nothing.
ABOUT_THE_WRITING = re.compile(r"^\W*(?:this|the|our)\s+(?:weekly\s+|daily\s+|monthly\s+|(?:week|month|day|year)['’]s\s+)?(?:digest|round-?up|newsletter|"
                               r"briefing|summary|live (?:blog|coverage|updates))\b|^\W*live (?:coverage|updates) of\b"
                               r"|^\W*(?:this|the|our|in this)\s+(?:blog\s+)?(?:article|post|report|story|piece|book|film|"
                               r"documentary|study|paper|essay|analysis|review|episode|podcast|series|exhibition|"
                               r"chapter|section|briefing)\s+(?:\w+\s+){0,2}?(?:discuss|describ|examin|explor|look|"
                               r"analy[sz]|cover|recount|tell|trac|revisit|review|consider|chronicl)\w*\b"
                               r"|^\W*(?:finally|first|then|next),?\s+(?:it|the (?:article|post|report))\s+"
                               r"(?:discuss|describ|examin|explor|look|analy[sz]|cover)\w*\b", re.IGNORECASE)


# A bullet or sentence opening with an imperative is a demand ("- release everyone detained...").
DEMAND_START = re.compile(r"^\W*(?:\d{1,2}[.)]\s*)?(?:an?\s+|the\s+)?(?:immediate(?:ly)?\s+)?(?:please|ensuring|release|ensure|stop|free|drop|end|investigate|allow|respect|"
                          r"withdraw|lift|restore|guarantee|bring|provide|grant|repeal|cancel|abolish|let|"
                          r"hands off|down with|no to|support|join|sign)\b", re.IGNORECASE)


def _is_heading(sentence: str, doc: Document) -> bool:
    """Titles, headings, captions without a verb, "Read also:" links: not assertions of events."""
    s = sentence.strip().lstrip("#*• ").strip()
    if doc.title and s.strip("*# ") == doc.title.strip():
        return True
    if HEADING_START.match(s) or DEMAND_START.match(s) or ABOUT_THE_WRITING.match(s):
        return True
    if re.search(r"\?[\"'”’)\]]*$", s):
        return True  # a question asserts nothing ("Have there been protests since?")
    # (a line of six words or more ending in ":" introduces a list: "Workers walked out at these plants:")
    return len(s.split()) < 12 and not re.search(r"[.!?…][\"'”’)\]]*$", s) \
        and not (s.endswith(":") and len(s.split()) >= 6)


def _road_named_after(m: Mention, text: str, focus: ArticleFocus) -> Mention:
    """A road or a border post named after a far town stands in the article's city: "the highway to
    Aktobe on the outskirts of Almaty"; a "Karnal bypass" or a border post in a report from Delhi.
    Roads take the name of where they lead, so a town more than ROAD_KM from the city the article is
    about names the road, not the place of what happened on it; a road between two towns ("the
    Almaty-Bishkek highway") names a road at any distance."""
    local = focus.city or focus.filed_at
    if local is None or m.place is None or m.place.level not in ("city", "region") or m.place.id == local.id:
        return m
    road = ROAD_AFTER.match(text, m.end)
    if not (road or ROAD_TO.search(text, max(0, m.start - 30), m.start)):
        return m
    # "the Almaty-Bishkek highway" joins two towns: it names a road wherever it runs, near or far
    between = road is not None and "-" in road.group(0).split()[0]
    if not between and haversine_km(m.place.lat, m.place.lon, local.lat, local.lon) <= ROAD_KM:
        return m
    return Mention(m.text, m.start, m.end, local, m.confidence, m.candidates,
                   reason=f"a road named after {m.place.name}, in {local.name}")


def _offset(base: DateSpan, trig: Trigger, sentence: str, now: bool = False) -> DateSpan:
    """The day of an undated trigger whose sentence counts days from another event.

    The sentence's own undated day (``base``, the narrative's) is that of the event the story is on.
    A new event told before "six days after the blast" is that many days after it ("the prime minister
    resigned six days after the blast"); the event told after the phrase is that many days before the
    one the sentence is about ("the rallies came four days after the governor resigned").
    When the base is the report's own day (``now``), the event told before the phrase is that day's:
    "workers have continued a strike, two weeks after deadly unrest" did not strike two weeks after
    the report.
    """
    m = OFFSET.search(sentence)
    if m is None or base.start != base.end or DURATION_BEFORE.search(sentence, 0, m.start()):
        return base
    n = int(m.group("n")) if m.group("n").isdigit() else _NUMBER_WORDS[m.group("n").lower()]
    days = n * (7 if m.group("unit").lower().startswith("week") else 1)
    sign = 1 if m.group("dir").lower() == "after" else -1
    if trig.start >= m.end():
        sign = -sign
    elif trig.end > m.start():
        return base
    if now and sign > 0:
        return base
    day = (to_date(base.start) + timedelta(days=sign * days)).isoformat()
    return DateSpan(day, day, "day", uncertain=True)


def _planned_date(span: timex.TimeSpan, planned: list[Trigger], triggers: list[Trigger], sentence: str) -> bool:
    """Whether a date follows a planned trigger in its clause with no asserted trigger between them."""
    for u in planned:
        cs, ce = clause_bounds(sentence, u.start)
        if u.end <= span.start < ce and not any(u.end <= t.start < span.start for t in triggers):
            return True
    return False


def _events_for(trig: Trigger, sentence: str, s_start: int, spans: list[timex.TimeSpan], chosen: list[Mention],
                national: list[Mention], state: _Discourse, focus: ArticleFocus, doc: Document, gaz: Gazetteer,
                named: list[Mention] = ()) -> list[Event]:
    country_place, episode = focus.country, focus.episode
    narrative, last_place, anchor, recent = state.day, state.last_place, state.anchor, state.recent
    conf = 0.6
    picked = pick_date(trig, sentence, spans)
    if picked is not None:
        state.picked.extend([picked, *listed_with(picked, sentence, spans)])
    also: list[DateSpan] = []  # "general strikes on March 3 and March 9": one event per listed day
    if picked is not None:
        span = span_of(picked)
        if picked.precision == "day" and picked.end <= trig.start:
            # "police fired tear gas on Friday, a day after clashes that killed nine": a day before it
            # (only the event the phrase names: "On 13 January, a week after the shooting, people laid
            # flowers before police moved them on" dates the police's act to the 13th)
            offset = OFFSET.search(sentence, picked.end, trig.start)
            if offset is not None and trig.start - offset.end() <= OFFSET_REACH:
                span = _offset(span, trig, sentence)
        span, also = join_days(span, [span_of(t) for t in listed_with(picked, sentence, spans)])
        conf += 0.15
        if anchor and span.end < anchor and ONGOING.search(sentence, max(0, trig.start - 40)) \
                and (to_date(anchor) - to_date(span.start)).days <= ONGOING_MAX_DAYS:
            # "a strike, which began on 3 March and continued ...": from that day to the report's
            # (not a wave of years ago that "continued" then: it ran on then, not to today)
            span = DateSpan(span.start, anchor, "range", span.uncertain)
    elif episode is not None and (BEGINNING.match(sentence, trig.end) or BEGAN_AS.search(sentence, 0, trig.start)) \
            and not (trig.event_type in ("riot", "repression") and narrative is not None):
        # "the protests started in Zhanaozen", "what began as peaceful rallies": undated, a beginning is
        # the start of the episode
        span = DateSpan(episode.isoformat(), episode.isoformat(), "day", uncertain=True)
    elif narrative is not None and not PRESENT.search(sentence, *clause_bounds(sentence, trig.start)):
        span = _offset(narrative, trig, sentence)
    elif anchor:
        span = _offset(DateSpan(anchor, anchor, "day", uncertain=False), trig, sentence, now=True)
        conf -= 0.05
    else:
        return []  # no date at all: nothing defensible to put on a timeline

    cs, ce = clause_bounds(sentence, trig.start)
    # not a site named in a subordinate clause after the trigger: "police used tear gas in Rennes after the
    # president forced the reform through parliament" was not at parliament
    sub = SUBORDINATE.search(sentence, trig.end, ce)
    site = site_name(sentence, cs, sub.start() if sub else ce)
    where = WHERE_BEFORE.search(sentence, max(0, cs - 12), cs) if site is None and cs > 0 else None
    if where is not None and where.start() > 0:
        # "police cordoned off the Plaza San Martín, where demonstrators gathered": the site "where" refers to
        site = site_name(sentence, clause_bounds(sentence, where.start() - 1)[0], where.start())
    site_of: dict[str, str | None] = {}  # of several places named, the one the site stands in
    targets: list[tuple[Place, str, float, DateSpan]] = []
    if trig.event_type == "state_response" and GOVERNMENT_DISMISSAL.search(trig.text) and country_place:
        cap = gaz.capital(country_place.country)
        if cap is not None:
            targets.append((cap, "the capital", 0.8, span))
    if not targets:
        foreign_ok = trig.event_type in ("protest", "strike", "riot")
        own = is_own_date(trig, sentence, picked)  # the trigger's own date: no place's date dates it instead
        for m in chosen:
            p = m.place
            near = None if own else date_near(m, trig, sentence, spans)
            pspan = span_of(near) if near is not None and near is not picked else span
            own_date = near is not None and gap(near, m) <= BESIDE
            # ("protests over fuel prices in neighbouring Kazakhstan": named as the place of the trigger)
            its_place = 0 <= m.start - trig.end <= 40 and FOREIGN_IN.search(sentence, max(0, m.start - 20), m.start)
            if p.level == "country" and country_place and p.country != country_place.country and (
                    not foreign_ok or not (own_date or its_place)):
                continue  # "the wave we saw in Iran": a foreign country needs its own date to be an event
            targets.append((p, m.text, m.confidence, pspan))
            if site and len(named) > 1:  # of the places the sentence names, the one the site stands in
                site_of[p.id] = site if _site_is_of(site, m, named, sentence, cs, ce) else None
        # "Sri Lanka lifted a curfew imposed in parts of Colombo": a country whose own place is named too
        # only says where that place is
        # ("in Kazakhstan there were more strikes ..., mostly in Mangystau" keeps the country: it is where)
        inside = {p.country for p, *_ in targets if p.level != "country"}
        first_local = min((m.start for m in chosen if m.place.level != "country"), default=len(sentence))
        whole = {m.place.country for m in chosen if m.place.level == "country" and m.start < first_local
                 and LOCATIVE.search(sentence, max(0, m.start - 20), m.start)}
        targets = [t for t in targets if not (t[0].level == "country" and t[0].country in inside - whole)]
        if site and NATIONAL_SITE.fullmatch(site):
            # "protesters near parliament in Kyrgyzstan": the country's institution, in its capital
            targets = [(gaz.capital(t[0].country), t[1], t[2], t[3])
                       if t[0].level == "country" and gaz.capital(t[0].country) is not None else t for t in targets]
        others = OTHER_PLACES.search(sentence, cs, ce) or OTHER_PLACES.search(sentence)
        if targets and others and country_place is not None:
            # "in Kyzylorda and in many other towns", "330 in Minsk ... across the country": the named
            # places, and the country for the rest
            targets.append((country_place, others.group(0), 0.6, span))
        back_in_clause = REFERS_BACK.search(sentence, cs, ce) \
            if targets and all(t[0].level == "country" for t in targets) else None
        if back_in_clause is not None:
            # "police detained protesters in both cities", beside "the movement Democratic Choice of Kazakhstan":
            # the cities referred to are more precise than a country named
            refs = [r for r in referents(back_in_clause, recent) if r.place.country in {t[0].country for t in targets}]
            if refs:
                targets = [(r.place, r.text, 0.6 * r.confidence, span) for r in refs]
        if not targets:
            wide = COUNTRYWIDE.search(sentence)
            back = REFERS_BACK.search(sentence)
            refs = referents(back, recent) if back else []
            local = not wide and trig.event_type != "state_response"
            nation = [m for m in national if cs <= m.start < ce and trig.event_type != "state_response"]
            if nation:
                # "Uzbek security forces detained dozens": in that country, when nothing more precise is said
                targets.append((nation[0].place, nation[0].text, 0.6, span))
            elif refs and not wide:
                targets.extend((ref.place, ref.text, 0.6 * ref.confidence, span) for ref in refs)
            elif last_place is not None and local:
                targets.append((last_place.place, last_place.text, 0.6 * last_place.confidence, span))
                if site is None and state.last_site is not None and state.last_site[0] == last_place.place.id:
                    # a timeline's "14:05 Crowds mass at the Old Bridge ... Police fire tear gas": still there
                    site = state.last_site[1]
            elif local and focus.filed_at is not None and (site or trig.event_type in ("riot", "repression")):
                # a named square or street, in a report filed from a city of the country: that city's
                targets.append((focus.filed_at, "", 0.5, span))
            elif focus.city is not None and local and (trig.event_type in ("riot", "repression") or site):
                # force used or met in an article about one city happened there, and so did whatever
                # happened at a named site ("outside the parliament"); a protest or a strike told without a
                # place is, in news, told of the country ("the protests started in October")
                targets.append((focus.city, "", 0.5, span))
            elif site and local and (NATIONAL_SITE.fullmatch(site) or NATIONAL_SITE.search(sentence, cs, ce)) \
                    and country_place is not None \
                    and gaz.capital(country_place.country) is not None:
                # "outside parliament", "at the presidential palace": a country's institutions are in its capital
                targets.append((gaz.capital(country_place.country), "", 0.5, span))
            elif site and local and focus.only_city is not None:
                # "outside Makerere University" in an article whose one city of the country is Kampala
                targets.append((focus.only_city, "", 0.5, span))
            elif trig.event_type == "state_response" and not wide and DECISION.search(trig.text) \
                    and country_place is not None and gaz.capital(country_place.country) is not None:
                # "the head of the police resigned", "decided to withdraw the bill": in the capital
                targets.append((gaz.capital(country_place.country), "", 0.5, span))
            elif country_place is not None:
                # the country stands for a place the sentence does not name: no mention ("")
                targets.append((country_place, wide.group(0) if wide else "", 0.8 if wide else 0.55, span))
    # force counted over a whole year outside the article's episode with no protester named ("last year police
    # killed 60 people", "in 2016 it was accused of routinely torturing people") is police violence in
    # general, not a crackdown on protest
    generic = trig.event_type == "repression" and not (VICTIMS.search(sentence) or FIRED_ON_CROWD.search(sentence)
                                                       or PROTEST_CONTEXT.search(sentence)
                                                       or STRIKE_WORDS.search(sentence))
    implied = trig.event_type == "protest" and VICTIMS.fullmatch(trig.text) is not None
    out = []
    seen = set()
    for place, mention_text, pconf, pspan in targets:
        if place.id in seen:
            continue
        seen.add(place.id)
        for day in [pspan] + (also if pspan == span else []):
            day = up_to(day, anchor)
            if day is None:
                continue  # after the article's own date: announced or planned, not reported
            if generic and day.precision == "year" and is_historical(day.end, day.precision, episode):
                continue
            if implied and (is_historical(day.end, day.precision, episode) or place.level == "country"):
                # a protest read only from protesters met by force stands for a place of the story's
                # episode; a country or a past year says too little of where and when they gathered
                continue
            out.append(_make_event(trig, place, mention_text, day, doc, s_start, sentence, episode,
                                   conf * max(pconf, 0.3) + 0.2, site_of.get(place.id, site)))
    return out


def _site_is_of(site: str, m: Mention, chosen: list[Mention], sentence: str, cs: int, ce: int) -> bool:
    """Whether a site named in the clause stands in the place ``m``: no other place is named between
    them ("at Ford's plant in Wayne, GM's near St. Louis and the Toledo Assembly Complex in Ohio": the
    complex is Toledo's, not Wayne's)."""
    at = sentence.find(site, cs, ce)
    if at < 0:
        return True
    lo, hi = min(at, m.start), max(at + len(site), m.end)
    return not any(o is not m and o.place.id != m.place.id and o.start < hi and o.end > lo for o in chosen)


def extract_documents(docs: list[Document], gazetteer: Gazetteer | None = None) -> list[Event]:
    """Events of many articles, merged across them (one event, several sources)."""
    gaz = gazetteer or Gazetteer.load()
    events: list[Event] = []
    for doc in docs:
        events.extend(extract_document(doc, gaz))
    return merge_events(events)
