"""What an article as a whole is about: its dateline, main country, main city, episode and subject.

Read once per article, before any sentence is linked, so that every sentence is read against the
same document-level model (the way spaCy annotates a Doc once and every component reads it):

- the **dateline** ("ALMATY, Jan 5 (Reuters) -", "NAIROBI, Kenya (AP) —", "DHAKA:", "(Geneva) –")
  says where the report was filed, not where anything happened: its place is never an event place;
- the **main country** is the one most of the article's places (and demonyms) belong to;
- the **main city** is the one city most of the article's own places are in, when one dominates: a
  clash or an arrest told with no place of its own ("thousands were detained") belongs there, not to a
  place named in passing elsewhere ("the president turned to Moscow for help");
- the **episode** is the first day of the stretch the article is mostly about (``geo.dating``);
- the **only city**: the one city of the main country the article names, if it names just one: a
  university or a square told with no place is in it;
- **about protest**: whether the article speaks of protest at all (a repression needs it).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from geo.events import about_protest
from geo.gazetteer import Gazetteer
from geo.linking import LIST_GAP, is_origin, main_country
from geo.model import Mention, Place

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_CAPS = r"[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3}"
_TITLE = r"[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,2}"
# "ALMATY, Jan 5 (Reuters) -", "NAIROBI, Kenya (AP) —", "TEHRAN, Apr. 01 (MNA) –", "DHAKA:", "YANGON —",
# "Abuja, Oct 21 (efe-epa).-", "Juliaca (Peru) –", "(Geneva) –", "(Washington, DC) –", "AKTAU, Kazakhstan, Dec 19 Hundreds ...",
# "DHAKA, Nov. 2 (Xinhua) --" (an agency's double hyphen for a dash), "CARACAS, (Reuters) –" (a date left out)
DATELINE = re.compile(
    rf"(?:\((?P<paren>{_TITLE}(?:,\s*[A-Z][\w.]+)?)\)\s*(?:--|[-–—])"
    rf"|(?P<caps>{_CAPS})(?:,\s*{_TITLE})?(?:,?\s*{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?)?\s*(?:,?\s*\([^)\n]{{1,40}}\))?"
    rf"\s*(?:\.?(?:--|[-–—:])|(?<=\d)(?=\s+[A-Z]))"
    rf"|(?P<title>{_TITLE})(?:,\s*{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?)?\s*\([^)\n]{{1,40}}\)\s*\.?(?:--|[-–—]))\s"
)
# "By Michael Martinez, Automotive News", "(Reporting by Olzhas Auyezov; Editing by ...)", "Photo: ..."
CREDIT_LINE = re.compile(r"(?m)^[ \t(]*(?:(?:By|BY)\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}(?:\s*(?:,|and|&)[^\n]{0,80})?"
                         r"|(?:Written by|Reporting by|Additional reporting by|Editing by|Writing by|Compiled by|"
                         r"Photo(?:graph)?s?(?: by)?:?|Image:)\s+[^\n]{0,160})$")
# A news agency named before the dateline (in the publisher line: "The News International (AFP)"): the
# dateline is its bureau's, not a local paper's own city
WIRE_AGENCY = re.compile(r"\b(?:AFP|Reuters|Associated Press|Agence France-Presse|Xinhua|dpa|EFE|ANSA|Anadolu|"
                         r"Bernama|Yonhap|Kyodo|TASS|Interfax|RIA Novosti|Bloomberg)\b|\(AP\)")
# How far into the text a dateline may open a paragraph (past the title and publisher lines).
DATELINE_WITHIN = 800
# A city is the article's main city when it holds this share of the article's city-level mentions.
MAIN_CITY_SHARE = 0.5
# A dateline city of the article's own country counts as this many mentions.
DATELINE_WEIGHT = 1
# Two mentions of one city this close are one ("the capital Astana", "the city of Aktau").
APPOSITION_GAP = 4
# ... and this many times as many as the next city.
MAIN_CITY_LEAD = 1.5


@dataclass(frozen=True)
class ArticleFocus:
    """The document-level model one article is read against."""

    country: Place | None
    city: Place | None
    dateline: tuple[int, int] | None
    episode: date | None
    about_protest: bool
    credits: tuple[tuple[int, int], ...] = ()  # bylines and credit lines ("By Michael Martinez")
    filed_at: Place | None = None  # the dateline's city, when it lies in the main country
    only_city: Place | None = None  # the one city of the main country the article names, if it names one

    def in_dateline(self, pos: int) -> bool:
        """Whether a position lies in the dateline or a credit line: where the report was filed or who
        wrote it, never where an event happened."""
        spans = self.credits + ((self.dateline,) if self.dateline else ())
        return any(a <= pos < b for a, b in spans)


def find_dateline(text: str, paragraphs: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The span of the dateline opening one of the article's first paragraphs, if any."""
    for start, _ in paragraphs[:4]:
        if start > DATELINE_WITHIN:
            break
        m = DATELINE.match(text, start)
        if m and (m.group("caps") is None or len(m.group("caps").replace(" ", "")) >= 3):
            return m.start(), m.end()
    return None


def one_per_apposition(mentions: list[Mention]) -> list[Mention]:
    """Mentions in text order with a description beside a name read as one ("the capital Astana", "from
    Almaty, the largest city,"): two mentions of one place this close are one mention."""
    return [m for i, m in enumerate(mentions)
            if not (i and mentions[i - 1].place is not None and m.place is not None
                    and mentions[i - 1].place.id == m.place.id and m.start - mentions[i - 1].end <= APPOSITION_GAP)]


def read_focus(text: str, mentions: list[Mention], paragraphs: list[tuple[int, int]], episode: date | None,
               gaz: Gazetteer) -> ArticleFocus:
    """The article's dateline, main country, main city, episode and subject."""
    dateline = find_dateline(text, paragraphs)
    credits = [(m.start(), m.end()) for m in CREDIT_LINE.finditer(text)]
    unplaced = credits + ([dateline] if dateline else [])
    own = [m for m in mentions if m.place is not None and not any(a <= m.start < b for a, b in unplaced)]
    country = main_country(own)
    country_place = gaz.country(country) if country else None
    cities: Counter[str] = Counter()
    by_id: dict[str, Place] = {}
    home = [m for m in own if not m.demonym and m.place.country == country and m.place.level == "city"
            and not is_origin(text, m.start)]
    home = one_per_apposition(home)
    for group in _lists(text, home):
        # a list ("in Batumi, Kutaisi, Ozurgeti and Rustavi") counts as one mention shared by its members
        for m in group:
            cities[m.place.id] += 1 / len(group)
            by_id[m.place.id] = m.place
    # a report filed from a city of the country it is about is, first of all, about that city
    filed_at = None
    for m in mentions:
        if dateline and dateline[0] <= m.start < dateline[1] and m.place is not None and m.place.level == "city" \
                and m.place.country == country:
            cities[m.place.id] += DATELINE_WEIGHT
            by_id[m.place.id] = m.place
            if "(" not in text[dateline[0]:dateline[1]] and not WIRE_AGENCY.search(text, 0, dateline[0]):
                # a local paper's own city; an agency's bureau ("(Reuters)", a paper's "(AFP)" copy) is not
                filed_at = m.place
            break
    city = None
    if cities:
        ranked = cities.most_common(2)
        top, n = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0
        if n >= 2 and n >= MAIN_CITY_SHARE * sum(cities.values()) and n >= MAIN_CITY_LEAD * second:
            city = by_id[top]
    only_city = next(iter(by_id.values())) if len(by_id) == 1 else None
    return ArticleFocus(country_place, city, dateline, episode, about_protest(text),
                        tuple(credits), filed_at, only_city)



def _lists(text: str, mentions: list[Mention]) -> list[list[Mention]]:
    """Mentions (in text order) grouped into the lists they stand in: neighbours joined by a comma,
    "and" or "or" ("Batumi, Kutaisi and Rustavi") are one group; any other mention is a group of one."""
    groups: list[list[Mention]] = []
    for m in mentions:
        if groups and LIST_GAP.fullmatch(text[groups[-1][-1].end:m.start]):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups
