"""Where an event happened: which places of a sentence belong to which trigger.

A place belongs to the nearest trigger before it in its clause (else the
nearest after it); a list of places stays together; a country or region
named right after a place only qualifies it; origins ("troops from Russia"),
reference points ("100 km north-west of X"), datelines and "solidarity with
X" are not event places; "the city"/"the region" refer back to the last one named.
"""
from __future__ import annotations

import re
from collections import Counter

from geo.events import CONJUNCT, NEW_CLAUSE, Trigger, clause_bounds
from geo.gazetteer import SITE_KIND_BEFORE_NAME
from geo.model import Mention

COUNTRYWIDE = re.compile(
    r"\b(?:(?:across|throughout|all over|around|in most of|most of|half of|(?:almost|nearly) (?:all|the whole)(?: of)?|"
    r"the whole of|the rest of)\s+(?:the\s+)?(?:whole\s+|entire\s+)?country|nationwide|country-wide|countrywide|"
    r"(?:many|several|numerous|other|more|some|a number of|dozens of|various|different|most) (?:cities|towns|regions|places|"
    r"parts of the country|oblasts)|(?:more than |over |at least |some |nearly |almost )?\d+ (?:cities|towns|provinces|"
    r"regions|districts)|the regions\b|the country\b(?![’']s)|the whole country|the entire country)",
    re.IGNORECASE,
)


REFERS_BACK = re.compile(r"\b(?:(?:both|the two) (?:cities|towns|capitals)\b|the (?:city|town|village|region|oblast|province|county|settlement|airport|akimat|city hall|"
                         r"main square|central square|square)\b(?![’']s)|the same city|"
                         # "the city's main plaza", "the town's streets": a site of the city told before
                         r"the (?:city|town|capital)[’']s (?:\w+ )?(?:squares?|plazas?|streets|cent(?:re|er)|airport|"
                         r"avenues?|boulevards?|parks?|university|stadium|market|port|station)\b|"
                         r"there\b(?!\s+(?:is|are|was|were|have|has|had|will|would|may|might|could|must|seems?|"
                         r"appears?|remains?|exists?|being|been)\b))",
                         re.IGNORECASE)


SITE_WORDS = re.compile(
    r"\b(?:(?:city|regional|local|district|government|administrative|administration|state|police|akimat)\s+)*"
    r"(?:akimats?|city hall|administration (?:buildings?|offices?)|administrative buildings?|government buildings?|"
    r"buildings? of (?:the )?(?:city|regional|local)? ?(?:and regional )?(?:akimats?|administrations?)|"
    r"city administration(?: office)?|airport|police stations?|headquarters|presidential residence|residence|"
    r"(?:oil|gas) ?fields?|mines?\b|plants?\b|refiner(?:y|ies)|embassy|consulate|square|parliament)",
    re.IGNORECASE,
)


_TIME_WORD = re.compile(r"\b(?:1[89]\d\d|20\d\d|january|february|march|april|june|july|august|september|october|"
                        r"november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|"
                        r"today|later|earlier)\b", re.IGNORECASE)


def _new_time(sentence: str, start: int, end: int) -> bool:
    """Whether a conjunct between two positions opens a time of its own (", and in June 2019 ...")."""
    m = CONJUNCT.search(sentence, start, end)
    return bool(m) and bool(_TIME_WORD.search(sentence, m.end(), end))


LIST_GAP = re.compile(r"\s*(?:,|,?\s+(?:and|or)|&)\s+(?:in\s+)?(?:the\s+)?")


# ("Aktau, the regional centre of Mangystau", "Zhanaozen, an oil town in western Kazakhstan")
QUALIFIER_GAP = re.compile(r"(?:,\s*|\s+in\s+(?:the\s+)?(?:[\w-]+\s+){0,2}|\s+\("
                           r"|,\s*(?:the|an?)\s+(?:[\w-]+\s+){0,3}(?:of|in)\s+(?:the\s+)?(?:[\w-]+\s+){0,1})$")


REFERENCE_POINT = re.compile(r"\b(?:(?:north|south|east|west)(?:[- ]?(?:east|west))?(?:ern)?|outside|near|from)\s+of\s+$"
                             r"|\bjust\s+outside\s+(?:the\s+(?:capital|city)\s*,?\s*)?$"
                             r"|\b(?:kilomet(?:re|er)s?|km|miles)\s+(?:\w+[- ])?(?:\w+\s+)?(?:of|from)\s+$"
                             r"|\b(?:north|south|east|west)(?:[- ]?(?:east|west))?\s+of\s+$", re.IGNORECASE)


SOLIDARITY = re.compile(r"\b(?:solidarity with|support (?:for|of)|in memory of|in support of|sympathy with)\s+"
                        r"(?:the\s+)?(?:(?:people|workers|miners|protesters|victims|strikers)\s+(?:of|in)\s+)?$",
                        re.IGNORECASE)


# What a protest is against, far from where it is: "marched against the war in Iraq", "a protest of the invasion
# of Ukraine"
PROTESTED_WAR = re.compile(r"\b(?:against|over|of|protest(?:s|ed|ing)?|oppos(?:e|ed|ing)|denounc\w+|condemn\w*|end)\s+"
                           r"(?:the\s+)?(?:[\w'’-]+\s+){0,2}?(?:war|invasion|occupation|bombing|bombardment|offensive|"
                           r"intervention|airstrikes|air strikes|siege|genocide)\s+(?:in|on|of|against)\s+(?:the\s+)?$",
                           re.IGNORECASE)
# (a cheap test first: most texts before a place name no war)
_WAR_WORD = re.compile(r"war|invasion|occupation|bomb|offensive|intervention|strikes|siege|genocide")


DATELINE = re.compile(r"^[A-Z][A-Z .'/-]+(?:,\s*[A-Za-z. ]+)?\s*(?:,|\(|[-–—])")


def main_country(mentions: list[Mention]) -> str | None:
    """The country the article is mostly about: most places (and demonyms) named in it."""
    counts: Counter[str] = Counter()
    for m in mentions:
        if m.place is not None:
            counts[m.place.country] += 1 if not m.demonym else 0.5
    return counts.most_common(1)[0][0] if counts else None


ELABORATION = re.compile(r"\s[–—-]\s+(?:in|including|namely|such as|notably|at|among them)\b", re.IGNORECASE)


_NATIONAL_BEFORE = re.compile(r"\b(?:national|nationwide|countrywide|country-wide|all-India|general)\s+$", re.IGNORECASE)


def owners(triggers: list[Trigger], sentence: str, places: list[Mention],
           unasserted: list[Trigger] = ()) -> dict[int, list[Mention]]:
    """Which trigger each place belongs to: the nearest trigger before it in its clause, else the
    nearest after it. "Strikes started in Atyrau, Uralsk and Almaty, where riots broke out": the cities
    belong to the strikes. A trigger that owns no place takes the nearest place before it.

    ``unasserted`` triggers (planned, denied, demanded) own places too, which no event gets: in
    "a strike in X last month and a planned walkout in Y", Y is the plan's, not the strike's."""
    everyone = list(triggers) + list(unasserted)
    owned: dict[int, list[Mention]] = {i: [] for i in range(len(everyone))}
    for m in places:
        cs, ce = clause_bounds(sentence, m.start)
        left = [i for i, t in enumerate(everyone) if cs <= t.start < m.start]
        right = [i for i, t in enumerate(everyone) if m.end <= t.start < ce]
        # a trigger of the place's own main clause first: in "strikes continued in Normandy, and refuse
        # collectors in Paris have been on strike", Paris is the second strike's
        own_left = [i for i in left if not NEW_CLAUSE.search(sentence, everyone[i].end, m.start)]
        own_right = [i for i in right if not NEW_CLAUSE.search(sentence, m.end, everyone[i].start)]
        if own_left or own_right:
            left, right = own_left, own_right
        if left:
            owned[max(left, key=lambda i: everyone[i].start)].append(m)
        elif right:
            owned[min(right, key=lambda i: everyone[i].start)].append(m)
        else:
            # "rallies began in the regional centres of the north – in Petropavlovsk, Pavlodar, Semey": a dash
            # that opens a clause naming places spells out where the clause before it happened
            dash = ELABORATION.search(sentence, max(0, cs - 4), cs + 40)
            before = [i for i, t in enumerate(everyone) if t.start < cs] if dash and dash.start() <= cs else []
            if before:
                owned[max(before, key=lambda i: everyone[i].start)].append(m)
    taken = {id(m) for i in range(len(triggers), len(everyone)) for m in owned[i]}
    places = [m for m in places if id(m) not in taken]
    owned = {i: owned[i] for i in range(len(triggers))}
    for i, t in enumerate(triggers):
        if not owned[i] and places and not _NATIONAL_BEFORE.search(sentence, max(0, t.start - 20), t.start):
            # (a "national" or "general strike" that names no place of its own is the country's, not the cities another
            # trigger of the sentence names: "marched in Bogota and Cali, a week after a national strike began")
            cs, ce = clause_bounds(sentence, t.start)
            # not across a new conjunct that opens its own time: "..., and in June 2019 hundreds were
            # detained in Nur-Sultan during protests" (the protests are not those of the first half)
            # nor from a later conjunct ("Skirmishes broke out at a protest in Nantes, and unionists marched
            # from Marseille to Lille": the skirmishes were in Nantes; but "... in Minsk and Brest, and riot
            # police dispersed them" goes back to the places told before)
            same_clause = [m for m in places if cs <= m.start < ce
                           and not _new_time(sentence, min(m.end, t.end), max(m.start, t.start))
                           and not (m.start > t.end and CONJUNCT.search(sentence, t.end, m.start))]
            if same_clause:  # "demonstrations and blockades spread throughout Kazakhstan"
                owned[i] = same_clause
                continue
            if COUNTRYWIDE.search(sentence, cs, ce):
                continue  # "... troops landed in the country": the country, not a city of another clause
            before = [m for m in places if m.start < t.start]
            # (nor a place after it across a new conjunct: "a million people took to the streets, and 450
            # were arrested, mostly in Paris" does not place the march)
            # ("arrested on Monday, while they were marching to the town hall in Pune": the same moment, place)
            after = [m for m in places if m.start > t.end and not NEW_CLAUSE.search(sentence, t.end, m.start)]
            if not before and not after:
                continue
            nearest = before[-1] if before else min(after, key=lambda m: m.start - t.end)
            if re.match(r"\s*itself\s*,\s*where\b", sentence[nearest.end:]):
                owned[i] = [nearest]  # "... and in Almaty itself, where riots broke out": that place alone
            else:
                owned[i] = _list_of(nearest, places, sentence)
    return owned


def _list_of(member: Mention, places: list[Mention], sentence: str) -> list[Mention]:
    """The coordinated list a place belongs to: "Minsk, Brest, Grodno and Gomel"."""
    i = places.index(member)
    lo = hi = i
    while lo > 0 and LIST_GAP.fullmatch(sentence[places[lo - 1].end:places[lo].start]):
        lo -= 1
    while hi + 1 < len(places) and LIST_GAP.fullmatch(sentence[places[hi].end:places[hi + 1].start]):
        hi += 1
    return places[lo:hi + 1]


_AGENT_AFTER = re.compile(r"\s+(?:state\s+|regional\s+|city\s+|provincial\s+)?(?:police|authorities|government|officials|"
                          r"security forces|forces|administration|court|prosecutors?)\b", re.IGNORECASE)


# "Police in Kyrgyzstan detained ... in Bishkek": the country whose police acted
_AGENT_IN = re.compile(r"\b(?:police|authorities|security forces|officials)\s+in\s+(?:the\s+)?$", re.IGNORECASE)


def drop_agent_jurisdictions(mentions: list[Mention], sentence: str) -> list[Mention]:
    """ "detained by the Almaty region police ... at the Kaskelen akimat": a region or country that
    names whose police or authorities acted says which force, not where; the place inside it that the
    sentence names is where."""
    out = []
    for m in mentions:
        p = m.place
        if p.level in ("country", "region") and (_AGENT_AFTER.match(sentence, m.end) or _AGENT_IN.search(
                sentence, max(0, m.start - 40), m.start)) and any(
                o is not m and o.place.level in ("city", "site") and o.place.country == p.country
                and (p.level == "country" or o.place.admin1 == p.admin1) for o in mentions):
            continue
        out.append(m)
    return out


def drop_containers(mentions: list[Mention], sentence: str) -> list[Mention]:
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


# A named site: capitalised words ending in what a site is ("Harcourt Road", "Ala-Too Square",
# "Jadavpur University", "Ford's Michigan Assembly Plant", "Singhu border").
_SITE_BEFORE_NAME = SITE_KIND_BEFORE_NAME + r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}"
# "Plaza Italia", "Rue de Rivoli": the kind of site before its name, which no other reading claims
SITE_BEFORE_NAME = re.compile(rf"\b({_SITE_BEFORE_NAME})")
NAMED_SITE = re.compile(
    rf"\b({_SITE_BEFORE_NAME}"
    r"|(?:[A-Z][\w'’.&-]*\s+){1,4}(?:Road|Street|St|Avenue|Ave|Square|Building|Bridge|Highway|Expressway|Boulevard|"
    r"Plaza|Park|University|College|Hospitals?|Airport|Parliament|Palace|Stadium|Station|[Bb]order|Chowk|Maidan|"
    r"Campus|Embassy|Consulate|Headquarters|Plant|Factory|Mine|Refinery|Complex|Monument|Fort|Gate|"
    r"Courthouse|Tower|Mosque|Church|Cathedral|Market|Port|Terminal|Bypass|bypass|Circle|Roundabout|Secretariat))\b")
_NOT_IN_NAME = re.compile(r"^(?:(?:The|In|At|On|From|To|Near|Outside|Inside|By|Across|Along|Around|And|But|As|When|"
                          r"While|After|Before|A|An|Protesters|Police|Demonstrators|Riot|Thousands|Hundreds|"
                          r"Students|Workers)\s+)+")


def site_name(sentence: str, start: int, end: int) -> str | None:
    """The site of an event told in ``sentence[start:end]``: a named one ("Harcourt Road"), else a
    kind of site ("the airport", "the akimat"). A site named by its kind first is taken first: in
    "Santiago's Plaza Italia" the site is "Plaza Italia", not "Santiago's Plaza"."""
    for m in SITE_BEFORE_NAME.finditer(sentence, start, end):
        return m.group(1).strip().rstrip(".")  # (not the full stop of a sentence ending on the name)
    for m in NAMED_SITE.finditer(sentence, start, end):
        name = _NOT_IN_NAME.sub("", m.group(1)).strip()
        if len(name.split()) >= 2 or name.endswith(("Road", "Street", "Square", "Avenue", "border")):
            return name
    m = SITE_WORDS.search(sentence, start, end)
    return m.group(0) if m else None


def referents(back: re.Match[str], recent: dict[str, list[Mention]]) -> list[Mention]:
    """What "the region", "the city", "there" refers to: the last place of that kind named before; what
    "both cities" refers to: the two cities a sentence before named ("in Nur-Sultan and Almaty")."""
    word = back.group(0).lower()
    if word.startswith(("both", "the two")):
        return recent.get("both", [])
    if "region" in word or "oblast" in word or "province" in word or "county" in word:
        return recent.get("region", [])
    if "city" in word or "town" in word or "village" in word or "settlement" in word:
        return recent.get("city", [])
    return recent.get("city") or recent.get("region") or []


def is_origin(text: str, pos: int) -> bool:
    """"troops from Russia", "attention from Washington to Beijing", "100 km north-west of Zhanaozen",
    "roads leading to the capital", an "ALMATY, Jan 7 -" dateline: origins, ranges, reference points,
    destinations and datelines, not event places."""
    before = text[max(0, pos - 60):pos]
    if REFERENCE_POINT.search(before) or SOLIDARITY.search(before) \
            or (_WAR_WORD.search(before) and PROTESTED_WAR.search(before)):
        return True
    if _PLACES_FROM_TO.search(before):
        return False  # "rallies in towns from Brest to Nice": both ends are where they rallied
    line_start = text.rfind("\n", 0, pos) + 1
    if pos - line_start < 3 and DATELINE.match(text, line_start) and text[pos:pos + 40].split(",")[0].split(" (")[0].isupper():
        return True
    if re.search(r"\b(?:from|against)\s+(?:the\s+)?$", before) \
            or (("lead" in before or "head" in before or "bound" in before) and _DESTINATION.search(before)):
        return True
    return bool(re.search(r"\bfrom\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?\s+to\s+(?:the\s+)?$", before))


# "exits leading towards the capital", "convoys heading towards Astana": where a road or a crowd goes, not where
# anything happened yet
_DESTINATION = re.compile(r"\b(?:leading|heading|headed|bound)\s+(?:in)?to(?:wards?)?\s+(?:the\s+)?$"
                          r"|\bbound for\s+(?:the\s+)?$")
# "rallies in towns from Brest in Brittany to Nice", "pickets at hospitals from Plymouth to Newcastle", "took to
# the streets from Lyon to Marseille"
_PLACES_FROM_TO = re.compile(r"\b(?:cities|towns|villages|regions|provinces|hospitals|schools|campuses|universities|"
                             r"ports|plants|factories|mines|depots|places|streets|protests|rallies|demonstrations|"
                             r"strikes|marches|spread|spreads|spreading|moved|extended)\s+from\s+(?:the\s+)?"
                             r"(?:[^.;]{0,50}\bto\s+(?:the\s+)?)?$", re.IGNORECASE)
_DESCRIBED_BY = re.compile(r"\b(?:city|cities|town|towns|village|capital|region|province|state|port|part|parts|"
                          r"north|south|east|west|centre|center)\s+of\s+(?:the\s+)?$", re.IGNORECASE)


_HISTORY_AFTER = re.compile(r"\.?\s*(?:['’]s\s+)?(?:(?:recent|modern|post-Soviet|independent|political|labou?r)\s+)?"
                            r"history\b", re.IGNORECASE)


def is_history_frame(text: str, m: Mention) -> bool:
    """ "the largest strike in U.S. history", "in Kazakhstan's modern history": a place that frames a
    comparison across its history, not where anything happened."""
    return bool(_HISTORY_AFTER.match(text, m.end))


def is_possessive_country(text: str, m: Mention) -> bool:
    """ "Kazakhstan's western region", "the second city of Georgia": a country that only says
    whose a place is, not where an event happened."""
    if m.place is None or m.place.level != "country":
        return False
    return text[m.end:m.end + 2] in ("'s", "’s") or bool(_DESCRIBED_BY.search(text, max(0, m.start - 30), m.start))


# "Osh's police chief", "Almaty's mayor", "a spokesman for the Karaganda governor": a place saying whose
# official someone is (not "Temirtau officials met the miners", which tells where they met)
_WHOSE_OFFICIAL = re.compile(r"['’]s\s+(?:[\w-]+\s+){0,2}?(?:chief|mayor|governor|president|head|minister|leader|"
                             r"prosecutor|commander|spokes(?:man|woman|person)|akim|ombudsman|judge|"
                             r"police\s+(?:chief|head|commander))\b"
                             r"|\s+(?:regional\s+|city\s+|deputy\s+|provincial\s+)?(?:governor|mayor|akim|police\s+chief|"
                             r"ombudsman)\b")


def is_whose_official(text: str, m: Mention) -> bool:
    """ "abuses by Jalal-Abad's police chief": a place that says whose official acted, which
    locates the official, not the event the sentence tells."""
    return bool(_WHOSE_OFFICIAL.match(text, m.end))


# "Tashkent declared a state of emergency in the region", "Moscow sent troops": a capital that acts is its
# government, not where the act took effect
_GOVERNMENT_ACTS = re.compile(r"\s+(?:has\s+|had\s+|have\s+|also\s+|then\s+|quickly\s+)?(?:declared|imposed|ordered|sent|"
                              r"deployed|announced|introduced|responded|blamed|accused|denied|decided|dispatched|"
                              r"dismissed|banned|suspended|cut|blocked|restricted|extended|lifted)\b")
# A capital that speaks or deals with other states ("which Washington has long backed", "Moscow condemned")
_CAPITAL_SPEAKS = re.compile(r"\s+(?:has\s+|had\s+|have\s+|also\s+|long\s+|quickly\s+){0,2}(?:sought|seeks|urged|urges|"
                             r"warned|warns|said|says|condemned|condemns|critici[sz]ed|welcomed|threatened|pledged|"
                             r"vowed|demanded|rejected|recogni[sz]ed|backed|backs|sanctioned|expelled|recalled|"
                             r"summoned)\b")


def is_government_acting(text: str, m: Mention, capital: bool) -> bool:
    """Whether a capital's name is the subject of a government's act ("Tashkent declared ..."): the state
    acting, whose act the sentence places elsewhere when it names another place or "the region"."""
    return capital and m.place.level == "city" and bool(_GOVERNMENT_ACTS.match(text, m.end))


def is_foreign_government(text: str, m: Mention, capital: bool, home: str | None) -> bool:
    """Whether another country's capital names its government speaking or dealing with the article's
    country ("which Washington has long backed"): nothing happened there."""
    return capital and m.place.level == "city" and home is not None and m.place.country != home \
        and bool(_CAPITAL_SPEAKS.match(text, m.end))
