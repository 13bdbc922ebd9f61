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

def _extractor_version() -> str:
    """A fingerprint of the extractor's code and curated data: when it changes, stored events were
    made by an older extractor (the default store re-extracts itself then)."""
    import hashlib
    from pathlib import Path

    from geo.paths import DATA_DIR

    here = Path(__file__).parent
    digest = hashlib.sha1()
    for name in ("pipeline.py", "events.py", "gazetteer.py", "placedata.py", "timex.py", "documents.py",
                 "merge.py", "taxonomy.py"):
        digest.update((here / name).read_bytes())
    for path in sorted((DATA_DIR / "curated").glob("*.csv")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


EXTRACTOR_VERSION = _extractor_version()

# An event ending this long before the start of the article's episode lies outside it (historical).
HISTORICAL_MARGIN_DAYS = 31

COUNTRYWIDE = re.compile(
    r"\b(?:(?:across|throughout|all over|around|in most of|most of|half of|(?:almost|nearly) (?:all|the whole)(?: of)?|"
    r"the whole of|the rest of)\s+(?:the\s+)?(?:whole\s+|entire\s+)?country|nationwide|country-wide|countrywide|"
    r"(?:many|several|numerous|other|more|some|a number of|dozens of|various|different|most) (?:cities|towns|regions|places|"
    r"parts of the country|oblasts)|the regions\b|the country\b(?![’']s)|the whole country|the entire country)",
    re.IGNORECASE,
)
REFERS_BACK = re.compile(r"\b(?:the (?:city|town|village|region|oblast|settlement)\b(?![’']s)|the same city|"
                         r"there\b(?!\s+(?:is|are|was|were|have|has|had|will|would|may|might|could|must|seems?|"
                         r"appears?|remains?|exists?|being|been)\b))",
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


def _segments(doc: Document) -> list[tuple[int, int, str | None]]:
    """Stretches of the text with the date each is anchored on: dated sections, else the article's."""
    cuts = sorted((sec.start, sec.end, sec.date) for sec in doc.sections)
    out, pos = [], 0
    for start, end, day in cuts:
        if start > pos:
            out.append((pos, start, doc.published))
        out.append((max(start, pos), end, day))
        pos = max(pos, end)
    if pos < len(doc.text):
        out.append((pos, len(doc.text), doc.published))
    return [seg for seg in out if seg[1] > seg[0]]


def _shift(t: timex.TimeSpan, delta: int) -> timex.TimeSpan:
    return timex.TimeSpan(t.start + delta, t.end + delta, t.text, t.date_start, t.date_end, t.precision, t.relative)


def tag_document(doc: Document) -> list[timex.TimeSpan]:
    """Every date expression of the article, each section tagged against its own date, so that
    "the same day" and "the next day" can refer back across sentences."""
    spans = []
    for start, end, anchor in _segments(doc):
        spans.extend(_shift(t, start) for t in timex.tag(doc.text[start:end], anchor))
    return spans


def episode_start(spans: list[timex.TimeSpan], published: str | None) -> date | None:
    """The first day of the episode an article is about.

    The month the article's day-precise dates fall in most often (a report of
    10 January on 2-9 January; an NGO statement of March on January's events)
    marks the episode; its earliest date in that month is where it starts.
    """
    limit = _date(published) if published else None
    days = [_date(t.date_start) for t in spans if t.precision in ("day", "range")
            and (limit is None or _date(t.date_start) <= limit)]
    if not days:
        return limit
    month = Counter((d.year, d.month) for d in days).most_common(1)[0][0]
    return min(d for d in days if (d.year, d.month) == month)


def is_historical(span_start: str, span_end: str, precision: str, start: date | None) -> bool:
    """Whether an event lies before the article's episode (the 2011 massacre, last year's strikes)."""
    if start is None:
        return False
    end = _date(span_end)
    if precision == "year":
        return end.year < start.year or end < start
    return end < start - timedelta(days=HISTORICAL_MARGIN_DAYS) or (
        precision == "month" and end < start)


WEEKDAY = re.compile(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.IGNORECASE)
DEICTIC = re.compile(r"\b(?:last|past|previous|this|next|coming)\b", re.IGNORECASE)


def is_retrospective(spans: list[timex.TimeSpan], published: str | None) -> bool:
    """Whether an article tells a story that ended days before it was published (a weekly
    review, a statement a week later): then a bare "on Monday" belongs to the story's week."""
    if not published:
        return False
    pub = _date(published)
    told = [_date(t.date_end) for t in spans if not t.relative and t.precision in ("day", "range")
            and _date(t.date_end) < pub]
    return bool(told) and (pub - max(told)).days > 4


def _narrative_weekday(t: timex.TimeSpan, narrative: "_Span | None") -> timex.TimeSpan:
    """ "On Monday" in a story told about 2-5 January, published on the 12th: the Monday of the story
    (3 January), not the Monday before publication. Only a bare weekday moves ("last Monday" stays),
    and only when the week before publication is far from the narrative."""
    if narrative is None or not t.relative or t.precision != "day" or not WEEKDAY.search(t.text) \
            or DEICTIC.search(t.text) or t.date_start != t.date_end:
        return t
    day, told = _date(t.date_start), _date(narrative.end)
    if abs((day - told).days) <= 6:
        return t
    options = [day - timedelta(days=7 * k) for k in range(0, 6)]
    best = min(options, key=lambda d: (abs((d - told).days), -d.toordinal()))
    if best == day:
        return t
    iso = best.isoformat()
    return timex.TimeSpan(t.start, t.end, t.text, iso, iso, t.precision, t.relative)


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


UNTIL = re.compile(r"\b(?:until|till|through|up to|by|before|extended to)\s+(?:the\s+)?$", re.IGNORECASE)


def _distance(span: timex.TimeSpan, start: int, end: int) -> int:
    """Characters between a date expression and a trigger (a date before it wins a tie)."""
    if span.end <= start:
        return start - span.end
    if span.start >= end:
        return span.start - end + 1
    return 0


def _pick_date(trigger: Trigger, sentence: str, spans: list[timex.TimeSpan]) -> timex.TimeSpan | None:
    """The date expression governing a trigger: in its clause before it, else in its clause, else the sentence's.
    An end date ("a state of emergency until 5 January") never dates the event."""
    spans = [s for s in spans if not UNTIL.search(sentence[max(0, s.start - 20):s.start])]
    if not spans:
        return None
    cs, ce = clause_bounds(sentence, trigger.start)
    in_clause = [s for s in spans if cs <= s.start < ce]
    if in_clause:
        # the nearest: "seized on Wednesday, security forces opened fire on Thursday"
        return min(in_clause, key=lambda s: _distance(s, trigger.start, trigger.end))
    before = [s for s in spans if s.start < trigger.start]
    return before[-1] if before else spans[0]


def _owners(triggers: list[Trigger], sentence: str, places: list[Mention]) -> dict[int, list[Mention]]:
    """Which trigger each place belongs to: the nearest trigger before it in its clause, else the
    nearest after it. "Strikes started in Atyrau, Uralsk and Almaty, where riots broke out": the cities
    belong to the strikes. A trigger that owns no place takes the nearest place before it."""
    owned: dict[int, list[Mention]] = {i: [] for i in range(len(triggers))}
    for m in places:
        cs, ce = clause_bounds(sentence, m.start)
        left = [i for i, t in enumerate(triggers) if cs <= t.start < m.start]
        right = [i for i, t in enumerate(triggers) if m.end <= t.start < ce]
        if left:
            owned[left[-1]].append(m)
        elif right:
            owned[right[0]].append(m)
    for i, t in enumerate(triggers):
        if not owned[i] and places:
            cs, ce = clause_bounds(sentence, t.start)
            same_clause = [m for m in places if cs <= m.start < ce]
            if same_clause:  # "demonstrations and blockades spread throughout Kazakhstan"
                owned[i] = same_clause
                continue
            if COUNTRYWIDE.search(sentence, cs, ce):
                continue  # "... troops landed in the country": the country, not a city of another clause
            before = [m for m in places if m.start < t.start]
            nearest = before[-1] if before else min(places, key=lambda m: m.start - t.end)
            if re.match(r"\s*itself\s*,\s*where\b", sentence[nearest.end:]):
                owned[i] = [nearest]  # "... and in Almaty itself, where riots broke out": that place alone
            else:
                owned[i] = _list_of(nearest, places, sentence)
    return owned


LIST_GAP = re.compile(r"\s*(?:,|,?\s+(?:and|or)|&)\s+(?:in\s+)?(?:the\s+)?")


def _list_of(member: Mention, places: list[Mention], sentence: str) -> list[Mention]:
    """The coordinated list a place belongs to: "Minsk, Brest, Grodno and Gomel"."""
    i = places.index(member)
    lo = hi = i
    while lo > 0 and LIST_GAP.fullmatch(sentence[places[lo - 1].end:places[lo].start]):
        lo -= 1
    while hi + 1 < len(places) and LIST_GAP.fullmatch(sentence[places[hi].end:places[hi + 1].start]):
        hi += 1
    return places[lo:hi + 1]


def _date_near(place: Mention, trigger: Trigger, sentence: str, spans: list[timex.TimeSpan]) -> timex.TimeSpan | None:
    """With several dates in the clause, the one nearest the place ("in Zhanaozen in 2011 and in last
    year's strike wave"); else the date governing the trigger."""
    cs, ce = clause_bounds(sentence, trigger.start)
    in_clause = [s for s in spans if cs <= s.start < ce]
    if len({s.date_start[:4] for s in in_clause}) > 1:
        near = [s for s in in_clause if min(abs(s.start - place.end), abs(place.start - s.end)) <= 30]
        if near:
            return min(near, key=lambda s: min(abs(s.start - place.end), abs(place.start - s.end)))
    return _pick_date(trigger, sentence, spans)


QUALIFIER_GAP = re.compile(r"(?:,\s*|\s+in\s+(?:the\s+)?(?:\w+\s+){0,2}|\s+\()$")


def _drop_containers(mentions: list[Mention], sentence: str) -> list[Mention]:
    """"Zhanaozen in western Kazakhstan", "Paris, France", "Temirtau in Karaganda region": a country
    or region named right after a place inside it only says where that place is."""
    out = []
    for i, m in enumerate(mentions):
        prev = mentions[i - 1] if i else None
        p = m.place
        if prev is not None and p.level in ("country", "region") and prev.place.level in ("city", "site") \
                and prev.place.country == p.country and m.start - prev.end <= 40 \
                and QUALIFIER_GAP.search(sentence[prev.end:m.start]) \
                and (p.level == "country" or p.id.startswith("region:") or prev.place.admin1 == p.admin1):
            continue
        out.append(m)
    return out


def _site_name(sentence: str, start: int, end: int) -> str | None:
    m = SITE_WORDS.search(sentence, start, end)
    return m.group(0) if m else None


def _make_event(trigger: Trigger, place: Place, mention_text: str, span: _Span, doc: Document,
                sent_start: int, sentence: str, episode: date | None, confidence: float,
                site: str | None) -> Event:
    historical = is_historical(span.start, span.end, span.precision, episode)
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
    all_spans = tag_document(doc)
    episode = episode_start(all_spans, doc.published)
    retrospective = is_retrospective(all_spans, doc.published)
    narrative: _Span | None = None
    current_anchor = doc.published
    recent: dict[str, Mention] = {}  # the last city and region named, for "the city", "the region"
    for p_start, p_end in paragraphs(text):
        para_narrative: _Span | None = None
        last_place: Mention | None = None
        for s0, s1 in split_sentences(text[p_start:p_end]):
            s_start, s_end = p_start + s0, p_start + s1
            sentence = text[s_start:s_end]
            anchor = doc.date_at(s_start) or doc.published
            spans = [_narrative_weekday(_shift(t, -s_start), narrative if retrospective else None)
                     for t in all_spans if s_start <= t.start < s_end]
            sent_mentions = [m for m in mentions if s_start <= m.start < s_end]
            places = [Mention(m.text, m.start - s_start, m.end - s_start, m.place, m.confidence, m.candidates)
                      for m in sent_mentions if m.place is not None and not m.demonym
                      and not _is_origin(text, m.start) and not _is_possessive_country(text, m)]
            places = _drop_containers(places, sentence)
            heading = _is_heading(sentence, doc)
            if anchor != current_anchor:
                # a new piece (a heading, a dated section) starts its own narrative
                narrative, para_narrative, current_anchor = None, None, anchor
            triggers = [] if heading else find_triggers(sentence)
            owners = _owners(triggers, sentence, places)
            for i, trig in enumerate(triggers):
                events.extend(_events_for(trig, sentence, s_start, spans, owners[i], narrative, last_place,
                                          country_place, doc, anchor, episode, gaz, recent))
            # the narrative date (the latest day of the episode told so far) carries over
            dated = [s for s in spans if s.precision in ("day", "range") and anchor
                     and not is_historical(s.date_start, s.date_end, s.precision, episode)
                     and _date(s.date_start) <= _date(anchor)]
            if dated:
                latest = max(dated, key=lambda s: s.date_end)
                if para_narrative is None or latest.date_end >= para_narrative.end:
                    para_narrative = _span_of(latest)
                narrative = para_narrative
            # the place of this sentence is what "the city" or an unplaced next sentence refers to
            city_like = [m for m in places if m.place.level in ("city", "site", "region")]
            last_place = city_like[-1] if city_like else None
            for m in city_like:
                recent["region" if m.place.level == "region" else "city"] = m
    return merge_events(events)


HEADING_START = re.compile(r"^\W*(?:read also|see also|related|photo|image|video|source|reproduced from|"
                           r"first published|share|tags?)\b", re.IGNORECASE)


# A bullet or sentence opening with an imperative is a demand ("- release everyone detained...").
DEMAND_START = re.compile(r"^\W*(?:an?\s+|the\s+)?(?:immediate(?:ly)?\s+)?(?:release|ensure|stop|free|drop|end|investigate|allow|respect|"
                          r"withdraw|lift|restore|guarantee|bring|provide|grant|repeal|cancel|abolish|let|"
                          r"hands off|down with|no to|support|join|sign)\b", re.IGNORECASE)


def _is_heading(sentence: str, doc: Document) -> bool:
    """Titles, headings, captions without a verb, "Read also:" links: not assertions of events."""
    s = sentence.strip().lstrip("#*• ").strip()
    if doc.title and s.strip("*# ") == doc.title.strip():
        return True
    if HEADING_START.match(s) or DEMAND_START.match(s):
        return True
    return len(s.split()) < 12 and not re.search(r"[.!?…][\"'”’)\]]*$", s)


REFERENCE_POINT = re.compile(r"\b(?:(?:north|south|east|west)(?:[- ]?(?:east|west))?(?:ern)?|outside|near|from)\s+of\s+$"
                             r"|\b(?:kilomet(?:re|er)s?|km|miles)\s+(?:\w+[- ])?(?:\w+\s+)?(?:of|from)\s+$"
                             r"|\b(?:north|south|east|west)(?:[- ]?(?:east|west))?\s+of\s+$", re.IGNORECASE)
SOLIDARITY = re.compile(r"\b(?:solidarity with|support (?:for|of)|in memory of|in support of|sympathy with)\s+"
                        r"(?:the\s+)?(?:(?:people|workers|miners|protesters|victims|strikers)\s+(?:of|in)\s+)?$",
                        re.IGNORECASE)
DATELINE = re.compile(r"^[A-Z][A-Z .'/-]+(?:,\s*[A-Za-z. ]+)?\s*(?:,|\(|[-–—])")


def _referent(back: re.Match[str], recent: dict[str, Mention]) -> Mention | None:
    """What "the region", "the city", "there" refers to: the last place of that kind named before."""
    word = back.group(0).lower()
    if "region" in word or "oblast" in word:
        return recent.get("region")
    if "city" in word or "town" in word or "village" in word or "settlement" in word:
        return recent.get("city")
    return recent.get("city") or recent.get("region")


def _is_origin(text: str, pos: int) -> bool:
    """"troops from Russia", "attention from Washington to Beijing", "100 km north-west of Zhanaozen",
    an "ALMATY, Jan 7 -" dateline: origins, ranges, reference points and datelines, not event places."""
    before = text[max(0, pos - 60):pos]
    if REFERENCE_POINT.search(before) or SOLIDARITY.search(before):
        return True
    line_start = text.rfind("\n", 0, pos) + 1
    if pos - line_start < 3 and DATELINE.match(text, line_start) and text[pos:pos + 40].split(",")[0].split(" (")[0].isupper():
        return True
    if re.search(r"\bfrom\s+(?:the\s+)?$", before):
        return True
    return bool(re.search(r"\bfrom\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?\s+to\s+(?:the\s+)?$", before))


def _is_possessive_country(text: str, m: Mention) -> bool:
    return m.place is not None and m.place.level == "country" and text[m.end:m.end + 2] in ("'s", "’s")


def _events_for(trig: Trigger, sentence: str, s_start: int, spans: list[timex.TimeSpan], chosen: list[Mention],
                narrative: _Span | None, last_place: Mention | None, country_place: Place | None,
                doc: Document, anchor: str | None, episode: date | None, gaz: Gazetteer,
                recent: dict[str, Mention]) -> list[Event]:
    conf = 0.6
    picked = _pick_date(trig, sentence, spans)
    if picked is not None:
        span = _span_of(picked)
        conf += 0.15
    elif narrative is not None and not PRESENT.search(sentence, *clause_bounds(sentence, trig.start)):
        span = narrative
    elif anchor:
        span = _Span(anchor, anchor, "day", uncertain=False)
        conf -= 0.05
    else:
        return []  # no date at all: nothing defensible to put on a timeline

    targets: list[tuple[Place, str, float, _Span]] = []
    if trig.event_type == "state_response" and GOVERNMENT_DISMISSAL.search(trig.text) and country_place:
        cap = gaz.capital(country_place.country)
        if cap is not None:
            targets.append((cap, "the capital", 0.8, span))
    if not targets:
        cs, ce = clause_bounds(sentence, trig.start)
        foreign_ok = trig.event_type in ("protest", "strike", "riot")
        for m in chosen:
            p = m.place
            near = _date_near(m, trig, sentence, spans)
            pspan = _span_of(near) if near is not None else span
            own_date = near is not None and min(abs(near.start - m.end), abs(m.start - near.end)) <= 30
            if p.level == "country" and country_place and p.country != country_place.country and (
                    not foreign_ok or not own_date):
                continue  # "the wave we saw in Iran": a foreign country needs its own date to be an event
            targets.append((p, m.text, m.confidence, pspan))
        if not targets:
            wide = COUNTRYWIDE.search(sentence)
            back = REFERS_BACK.search(sentence)
            referent = _referent(back, recent) if back else None
            if referent is not None and not wide:
                targets.append((referent.place, referent.text, 0.6 * referent.confidence, span))
            elif last_place is not None and not wide and trig.event_type != "state_response":
                targets.append((last_place.place, last_place.text, 0.6 * last_place.confidence, span))
            elif country_place is not None:
                mention = wide.group(0) if wide else country_place.name
                targets.append((country_place, mention, 0.8 if wide else 0.55, span))
    site = _site_name(sentence, 0, len(sentence))
    out = []
    seen = set()
    for place, mention_text, pconf, pspan in targets:
        if place.id in seen:
            continue
        seen.add(place.id)
        if anchor and pspan.start > anchor:
            continue  # after the article's own date: announced or planned, not reported
        out.append(_make_event(trig, place, mention_text, pspan, doc, s_start, sentence, episode,
                               conf * max(pconf, 0.3) + 0.2, site))
    return out


def extract_documents(docs: list[Document], gazetteer: Gazetteer | None = None) -> list[Event]:
    """Events of many articles, merged across them (one event, several sources)."""
    gaz = gazetteer or Gazetteer.load()
    events: list[Event] = []
    for doc in docs:
        events.extend(extract_document(doc, gaz))
    return merge_events(events)
