"""From an article to its events: sentences, triggers, places, dates, one event per (place, days, type).

Each sentence that asserts an event (``geo.events``) is linked to the places
of its clause (``geo.gazetteer``: a list "strikes in Atyrau, Uralsk and Aktobe"
gives one event per place) and to the date of its clause (``geo.timex``,
anchored on the article's or section's own date). A sentence with no date
takes the narrative date of its paragraph, else the article's date; a
sentence with no place takes the article's main country, or the place a
"the city"/"there" refers back to. The sentence is kept as evidence.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

from geo import timex
from geo.events import Trigger, clause_bounds, figures, find_triggers, paragraphs, split_sentences
from geo.gazetteer import Gazetteer
from geo.merge import merge_events
from geo.model import Document, Event, Mention, Place, Source

# An event ending this long before the article's date lies outside its episode.
HISTORICAL_DAYS = 60

COUNTRYWIDE = re.compile(
    r"\b(?:(?:across|throughout|all over|around|in most of|most of|half of|(?:almost|nearly) (?:all|the whole)(?: of)?|"
    r"the whole of|the rest of)\s+(?:the\s+)?(?:whole\s+|entire\s+)?country|nationwide|country-wide|countrywide|"
    r"(?:many|several|numerous|other|more|some|a number of|dozens of|various|different|most) (?:cities|towns|regions|places|"
    r"parts of the country|oblasts)|the regions\b|the country\b(?![’']s)|the whole country|the entire country)",
    re.IGNORECASE,
)
REFERS_BACK = re.compile(r"\b(?:the (?:city|town|village|region|oblast|settlement)\b(?![’']s)|there\b|the same city)",
                         re.IGNORECASE)
SITE_WORDS = re.compile(
    r"\b(?:(?:city|regional|local|district|government|administrative|administration|state|police|akimat)\s+)*"
    r"(?:akimats?|city hall|administration (?:buildings?|offices?)|administrative buildings?|government buildings?|"
    r"buildings? of (?:the )?(?:city|regional|local)? ?(?:and regional )?(?:akimats?|administrations?)|"
    r"city administration(?: office)?|airport|police stations?|headquarters|presidential residence|residence|"
    r"(?:oil|gas) ?fields?|mines?\b|plants?\b|refiner(?:y|ies)|embassy|consulate|square)",
    re.IGNORECASE,
)
PRESENT = re.compile(r"\b(?:at present|currently|now|at the moment|as of today|this evening|today|tonight|ongoing|"
                     r"continu(?:e|es|ing) to|remain(?:s)?)\b", re.IGNORECASE)
GOVERNMENT_DISMISSAL = re.compile(r"government|cabinet|prime minister|sacked|removed", re.IGNORECASE)


def _iso(d: date) -> str:
    return d.isoformat()


def _date(s: str) -> date:
    return date.fromisoformat(s)


def main_country(mentions: list[Mention]) -> str | None:
    """The country the article is mostly about: most places (and demonyms) named in it."""
    counts: Counter[str] = Counter()
    for m in mentions:
        if m.place is not None:
            counts[m.place.country] += 1 if not m.demonym else 0.5
    return counts.most_common(1)[0][0] if counts else None


class _Span:
    """A resolved date for an event: ISO start/end, precision, and whether it is a guess."""

    def __init__(self, start: str, end: str, precision: str, uncertain: bool = False, explicit: bool = False):
        self.start, self.end, self.precision = start, end, precision
        self.uncertain, self.explicit = uncertain, explicit


def _span_of(t: timex.TimeSpan) -> _Span:
    return _Span(t.date_start, t.date_end, t.precision, explicit=True)


def _pick_date(trigger: Trigger, sentence: str, spans: list[timex.TimeSpan]) -> timex.TimeSpan | None:
    """The date expression governing a trigger: in its clause before it, else in its clause, else the sentence's."""
    if not spans:
        return None
    cs, ce = clause_bounds(sentence, trigger.start)
    in_clause = [s for s in spans if cs <= s.start < ce]
    before = [s for s in in_clause if s.start < trigger.start]
    if before:
        return before[-1]
    if in_clause:
        return in_clause[0]
    before = [s for s in spans if s.start < trigger.start]
    return before[-1] if before else spans[0]


def _places_for(trigger: Trigger, sentence: str, places: list[Mention]) -> list[Mention]:
    """Places of the trigger's clause; else of the sentence."""
    cs, ce = clause_bounds(sentence, trigger.start)
    in_clause = [m for m in places if cs <= m.start < ce]
    return in_clause or places


def _drop_containers(mentions: list[Mention], gaz: Gazetteer) -> list[Mention]:
    """"Zhanaozen in western Kazakhstan": the country or macro-region only qualifies the city."""
    specific = [m for m in mentions if m.place.level in ("city", "site")]
    if not specific:
        return mentions
    out = []
    for m in mentions:
        p = m.place
        if p.level == "country" and any(s.place.country == p.country for s in specific):
            continue
        if p.level == "region" and p.id.startswith("region:") and any(s.place.country == p.country for s in specific):
            continue
        out.append(m)
    return out


def _site_name(sentence: str, start: int, end: int) -> str | None:
    m = SITE_WORDS.search(sentence, start, end)
    return m.group(0) if m else None


def _make_event(trigger: Trigger, place: Place, mention_text: str, span: _Span, doc: Document,
                sent_start: int, sentence: str, anchor: str | None, confidence: float,
                site: str | None) -> Event:
    historical = False
    if anchor:
        historical = _date(span.end) < _date(anchor) - timedelta(days=HISTORICAL_DAYS)
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


def extract_document(doc: Document, gazetteer: Gazetteer | None = None) -> list[Event]:
    """The events one article asserts, merged within it (one per place, day span and type)."""
    gaz = gazetteer or Gazetteer.load()
    text = doc.text
    mentions = gaz.find(text)
    country = main_country(mentions)
    country_place = gaz.country(country) if country else None
    events: list[Event] = []
    for p_start, p_end in paragraphs(text):
        narrative: _Span | None = None
        last_place: Mention | None = None
        for s0, s1 in split_sentences(text[p_start:p_end]):
            s_start, s_end = p_start + s0, p_start + s1
            sentence = text[s_start:s_end]
            anchor = doc.date_at(s_start) or doc.published
            spans = timex.tag(sentence, anchor) if anchor or re.search(r"\d{4}", sentence) else []
            sent_mentions = [m for m in mentions if s_start <= m.start < s_end]
            places = [Mention(m.text, m.start - s_start, m.end - s_start, m.place, m.confidence, m.candidates)
                      for m in sent_mentions if m.place is not None and not m.demonym
                      and not _is_origin(text, m.start) and not _is_possessive_country(text, m)]
            places = _drop_containers(places, gaz)
            triggers = find_triggers(sentence)
            for trig in triggers:
                events.extend(_events_for(trig, sentence, s_start, spans, places, narrative, last_place,
                                          country_place, doc, anchor, gaz, sent_mentions))
            # the narrative date and place carry over to the next sentences of the paragraph
            dated = [s for s in spans if s.precision in ("day", "range")]
            if dated and anchor and _date(dated[-1].date_end) >= _date(anchor) - timedelta(days=HISTORICAL_DAYS):
                narrative = _span_of(dated[-1])
            city_like = [m for m in places if m.place.level in ("city", "site", "region")]
            if city_like:
                last_place = city_like[-1]
    return merge_events(events)


def _is_origin(text: str, pos: int) -> bool:
    """"troops from Russia": a place of origin, not where the event happened."""
    return bool(re.search(r"\bfrom\s+(?:the\s+)?$", text[max(0, pos - 12):pos]))


def _is_possessive_country(text: str, m: Mention) -> bool:
    return m.place is not None and m.place.level == "country" and text[m.end:m.end + 2] in ("'s", "’s")


def _events_for(trig: Trigger, sentence: str, s_start: int, spans: list[timex.TimeSpan], places: list[Mention],
                narrative: _Span | None, last_place: Mention | None, country_place: Place | None,
                doc: Document, anchor: str | None, gaz: Gazetteer, sent_mentions: list[Mention]) -> list[Event]:
    conf = 0.6
    picked = _pick_date(trig, sentence, spans)
    if picked is not None:
        span = _span_of(picked)
        conf += 0.15
    elif narrative is not None and not PRESENT.search(sentence):
        span = narrative
    elif anchor:
        span = _Span(anchor, anchor, "day", uncertain=False)
        conf -= 0.05
    else:
        return []  # no date at all: nothing defensible to put on a timeline

    chosen = _places_for(trig, sentence, places)
    targets: list[tuple[Place, str, float]] = []
    if trig.event_type == "state_response" and GOVERNMENT_DISMISSAL.search(trig.text) and country_place:
        cap = gaz.capital(country_place.country)
        if cap is not None:
            targets.append((cap, "the capital", 0.8))
    if not targets:
        cs, ce = clause_bounds(sentence, trig.start)
        foreign_ok = trig.event_type in ("protest", "strike", "riot")
        for m in chosen:
            p = m.place
            if p.level == "country" and country_place and p.country != country_place.country and not foreign_ok:
                continue
            targets.append((p, m.text, m.confidence))
        if not targets:
            wide = COUNTRYWIDE.search(sentence)
            back = REFERS_BACK.search(sentence)
            if back and last_place is not None and not wide:
                targets.append((last_place.place, last_place.text, 0.6 * last_place.confidence))
            elif country_place is not None:
                mention = wide.group(0) if wide else country_place.name
                targets.append((country_place, mention, 0.8 if wide else 0.55))
    site = _site_name(sentence, 0, len(sentence))
    out = []
    seen = set()
    for place, mention_text, pconf in targets:
        if place.id in seen:
            continue
        seen.add(place.id)
        out.append(_make_event(trig, place, mention_text, span, doc, s_start, sentence, anchor,
                               conf * max(pconf, 0.3) + 0.2, site))
    return out


def extract_documents(docs: list[Document], gazetteer: Gazetteer | None = None) -> list[Event]:
    """Events of many articles, merged across them (one event, several sources)."""
    gaz = gazetteer or Gazetteer.load()
    events: list[Event] = []
    for doc in docs:
        events.extend(extract_document(doc, gaz))
    return merge_events(events)
