"""Find place names in text and resolve each to one place, using the document's context.

Finding is one pass of an Aho-Corasick automaton (pyahocorasick) over a folded
copy of the text (lower case, no accents, hyphens as spaces, same length), so
every name and alias of ~73,000 places is looked for at once and offsets stay
exact. Resolving scores each candidate by population, by the countries the
article is about, by name kind (official name over alternate), by a
following "region"/"city"/", Country", and keeps the runner-ups.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from geo.model import Candidate, Mention, Place
from geo.placedata import ALTERNATE, DEMONYM, PRIMARY, PlaceIndex, fold, haversine_km, key_of, load_index

# Readings of a name outside the text's countries gain up to NEAR_BONUS the nearer they are to its
# main country (nothing beyond NEAR_KM of its centre).
NEAR_BONUS = 0.6
NEAR_KM = 1500.0
# A reading in the country named last before a name on its line gains this much.
NEAR_COUNTRY_BONUS = 1.0
# A weak name (a common word, a small place) is read as a place of a country only when that country holds
# this share of the text's country-naming mentions: "the Alliance of Patriots" in a report from Tbilisi
# that names the United States once is no town in Ohio.
WEAK_CONTEXT = 0.1

MONTHS = ("january february march april may june july august september october november december "
          "jan feb mar apr jun jul aug sep sept oct nov dec").split()
WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
# Capitalised words that are also place names but, in protest reports, almost never mean the place.
TRAPS = set(MONTHS + WEEKDAYS) | set(
    "police union mobile of reading victoria marxist marxists communist socialist president prime minister "
    "government army national republic people liberty independence freedom justice progress unity "
    "democracy labour labor workers worker street square city town centre center north south east west "
    "central western eastern northern southern new old university party god allah christmas easter "
    "said says chancellor premier general colonel major bishop king queen prince lenin stalin marx "
    "trotsky engels nazarbayev tokayev tokaev putin lukashenko mirziyoyev macron biden obama trump "
    "internet telegram whatsapp facebook twitter instagram youtube google apple amazon reuters "
    "orda bloc front council court senate parliament embassy ministry police un nato eu "
    "molotov".split()  # Perm's Soviet name, in protest news a cocktail
) | {"white house", "kremlin"}  # buildings that are names of cities elsewhere ("Casa Blanca")
ORG_WORDS = set(
    "university college bank airlines airways air times post herald tribune news gazette party group "
    "corporation company corp inc ltd plc fc club united oil gas munai munaigas energy holding holdings "
    "institute foundation agency committee movement front union federation association network "
    "television tv radio channel express journal review daily weekly motors steel metallurgical "
    "mining refinery refineries railways stock exchange declaration protocol accord agreement treaty "
    "initiative programme program forum".split()
)
# Capitalised words after a place's name that make the name a site's, which stands in that place
# ("Wentzville Assembly", "Bristol Royal Infirmary", "Toledo Assembly Complex"), not a person's surname.
FACILITY_WORDS = set(
    "assembly plant factory works hospital infirmary clinic airport station port terminal depot campus "
    "stadium bridge market complex prison mine mines colliery shipyard docks warehouse royal general "
    "central city".split()
)
# A university named after a city this big is in that city ("Dhaka University", "Tehran University");
# smaller namesakes are too often elsewhere ("Columbia University" is in New York, not Columbia SC).
BIG_CITY = 500_000
_CAMPUS = re.compile(r"\s+(?:State\s+)?(?:University|Polytechnic)\b")
REGION_SUFFIX = re.compile(r"\s+(regions?|oblasts?|oblysy?|provinces?|states?|count(?:y|ies))\b(?!\s+(?:university|college|police|"
                           r"department|media|television|tv|news|agency|company|house|assembly|governor))",
                           re.IGNORECASE)  # "Shan State", "Kachin State": capitalised in the name
CITY_SUFFIX = re.compile(r"\s+city\b(?!\s+(?:of)\b)", re.IGNORECASE)
COUNTRY_QUALIFIER = re.compile(r",\s+")
SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s*[\"'“‘(\[]?\s*|\n\s*[-*•\d.)\s]*)$")
_CAPITAL_ADJ = r"(?:(?P<adj>southern|northern|former|old|new|commercial|economic)\s+)?"
# "the capital", "the Kenyan capital", "Kenya's capital", "the country's southern capital"
CAPITAL = re.compile(r"\b(?:(?:the|its|their|this|that|our)\s+" + _CAPITAL_ADJ
                     + r"(?:(?P<dem>[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)\s+)?"
                     r"|(?P<owner>[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?|the country|the nation)['’]s\s+"
                     + _CAPITAL_ADJ.replace("adj", "adj2") + r")"
                     r"capital(?:\s+city)?\b(?!\s+(?:of|flight|markets?|punishment|gains?|controls?|investment|"
                     r"expenditure|spending)\b)")
# Colloquial capitals: an article about country CC calling a city "the southern/former capital".
COLLOQUIAL_CAPITALS = {("KZ", "southern"): "gn:1526384", ("KZ", "former"): "gn:1526384",
                       ("KZ", "old"): "gn:1526384", ("KZ", "commercial"): "gn:1526384",
                       ("KZ", "economic"): "gn:1526384"}

_common_words: frozenset[str] | None = None


def common_words() -> frozenset[str]:
    """Lower-case English common words (Webster's 2nd, from the english-words package).

    A one-word place name that is also a common word ("Mobile", "Reading",
    "Split") needs more evidence before it is read as a place.
    """
    global _common_words
    if _common_words is None:
        from english_words import get_english_words_set

        _common_words = frozenset(w for w in get_english_words_set(["web2"], lower=False) if w.islower())
    return _common_words


_STREET = re.compile(r"\s+(?:avenue|street|str\.|prospekt|prospect|boulevard|road|lane|highway|alley|embankment)\b",
                     re.IGNORECASE)
_COMPANY_NOUN = re.compile(r"\s+(?:factory|factories|plant|mill|mills|workers|employees|staff|group|company|"
                          r"garments?|textiles?|brand)\b")
_NEXT_CAP = re.compile(r"\s+([A-Z][\w'’-]*)")
# "Plaza San Martín", "Place de la République", "Avenida Paulista": the kind of a square or a street before
# its name (shared with geo.linking, which takes such a name as the event's site)
SITE_KIND_BEFORE_NAME = (r"(?:Plaza|Place|Piazza|Praça|Praca|Platz|Avenida|Calle|Rue|Via|Largo)\s+"
                         r"(?:(?:de|del|de la|de los|du|des|della|do|da)\s+)?")
# A compound adjective made of a place: an affiliation or an origin ("U.S.-backed opposition leader")
_AFFILIATION = re.compile(r"\.?[-‐](?:backed|led|based|born|owned|funded|financed|sponsored|supported|allied|aligned|"
                          r"friendly|brokered|made|style|controlled|run|trained|educated|registered|listed|"
                          r"headquartered|linked|affiliated|leaning|oriented|bound|appointed|installed)\b",
                          re.IGNORECASE)
_NAMED_BEFORE = re.compile(r"\b(?:University|Bank|Bishop|Duke|Lake|Mount|Saint|St\.?|Fort|Port|Cape|Gulf|Sea|Bay"
                           r"|River|Radio|Daily)(?:\s+[A-Z][\w'’-]*){0,2}\s+of\s+$"
                           r"|\b(?:Lake|Mount|Fort|Saint|St\.|Cape)\s+$"
                           # a square's or street's name, in the city the text is about
                           rf"|\b{SITE_KIND_BEFORE_NAME}$")
_METONYM_BEFORE = re.compile(r"\b[Oo]fficial\s+$")
# The particles of Arabic and Persian family names: "al-Sadr", "bin Salman".
_NAME_PARTICLE = re.compile(r"\b(?:[Aa]l|[Ee]l|[Bb]in|[Ii]bn|[Aa]bu|[Bb]en)[-‐\s]$")
_LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|near|from|to)\s+$")
_TITLE_BEFORE = re.compile(r"\b(?:[Pp]resident|[Pp]rime [Mm]inister|[Pp]remier|[Gg]overnor|[Mm]ayor|[Mm]inister|Mr|Mrs|Ms|Dr|"
                           r"[Gg]eneral|[Cc]olonel|[Cc]hief|[Ll]eader|[Ll]awmaker|[Aa]ctivist|[Jj]ournalist|[Bb]logger|"
                           r"[Cc]hancellor|[Ss]ecretary|[Aa]mbassador|[Ss]peaker|[Cc]ommander|[Ss]enator|[Dd]eputy|"
                           r"[Ss]pokes(?:man|woman|person)|[Ll]awyer|[Dd]irector|[Hh]ead)\.?\s+$")
_MONTH_DAY = re.compile(r"(?:" + "|".join(MONTHS) + r")\s+\d")
# What people do that towns do not: speak, organise, help.
_PERSON_VERB = re.compile(r"\s+(?:said|says|told|added|organi[sz]ed|organi[sz]es|helped|wrote|explained|noted|argued|"
                          r"recalled|tweeted|posted|insisted|admitted|complained)\b")
_PREV_NAME = re.compile(r"\b([A-Z][a-z]+)\s+$")
_PREV_CAP = re.compile(r"([A-Z][\w'’-]*)\s+$")
_CLAUSE_END = re.compile(r"[.!?:;]\s*$|^\s*$")
_CITY_INSTITUTION = re.compile(r"\s+city\s+(?:hall|council|administration|akimat|centre|center|square|court)")
_CITY_OF = re.compile(r"\bcity of\s+$")
_CAP_WORDS = re.compile(r"\s+((?:[A-Z][\w&'’.-]*\s+){0,2}[A-Z][\w&'’.-]*)")
# Words that begin place names or describe a place, not given names: "North Ossetia", "Greater London".
PLACE_QUALIFIERS = set("north south east west northern southern eastern western central upper lower greater "
                       "new old san santa saint st fort port lake mount cape little great".split())
FUNCTION_WORDS = set("in at of from to near and or the on by for with as since across into outside inside "
                     "around via but while meanwhile also then when where after before during".split())


def _org_follows(after: str) -> bool:
    """ "Moscow Times", "Sydney Morning Herald", "Karaganda Steel": capitalised words ending in an
    organisation word make the name part of an organisation's."""
    m = _CAP_WORDS.match(after)
    if not m:
        return False
    words = [re.sub(r"['’]s$", "", w).lower().strip(".") for w in m.group(1).split()]
    return any(w in ORG_WORDS for w in words)


@dataclass
class _Hit:
    start: int
    end: int  # exclusive
    key: str
    hint: str | None = None  # "region" | "city"
    plural: bool = False
    qualifier: str | None = None  # ISO-2 of a following ", Country"
    near_country: str | None = None  # ISO-2 of the country named last before it on its line ("Chile: ...")
    weak: bool = False  # common word or small place: needs context
    city_named: bool = True  # a city's own name is this name ("Budapest"), not only a variant ("Oklahoma")


class Gazetteer:
    """Places, their names, and the rules to read them in text."""

    def __init__(self, index: PlaceIndex):
        self.index = index
        self.places = index.places
        self._auto = index.automaton
        self._entries_memo: dict[str, list[tuple[Place, str]]] = {}
        self._facts_memo: dict[str, tuple[bool, bool, int, bool, bool, bool]] = {}
        self._by_id = {p.id: i for i, p in enumerate(self.places)}

    @classmethod
    def load(cls) -> Gazetteer:
        """The shared gazetteer (built once per process, from the cache when possible)."""
        return _shared()

    # ------------------------------------------------------------ lookups

    def get(self, place_id: str) -> Place | None:
        i = self._by_id.get(place_id)
        return None if i is None else self.places[i]

    def country(self, iso: str) -> Place | None:
        i = self.index.countries.get(iso.upper())
        return None if i is None else self.places[i]

    def capital(self, iso: str) -> Place | None:
        i = self.index.capitals.get(iso.upper())
        return None if i is None else self.places[i]

    def is_capital(self, place: Place) -> bool:
        """Whether a city is its country's capital ("Ulaanbaatar", whose region bears its name)."""
        i = self.index.capitals.get(place.country)
        return i is not None and self.places[i].id == place.id

    def region_of(self, place: Place) -> Place | None:
        """The first-level region a city lies in, when known."""
        i = self._by_id.get(place.id)
        code = self.index.place_admin1.get(i) if i is not None else None
        j = self.index.admin1.get(code) if code else None
        return None if j is None else self.places[j]

    def entries(self, key: str) -> list[tuple[Place, str]]:
        """Every place a name key can mean, with the kind of name it is for that place."""
        found = self._entries_memo.get(key)
        if found is None:
            i = self._auto.get(f" {key} ", -1)
            found = [] if i < 0 else [(self.places[j], kind) for j, kind in self.index.entries[i]]
            if len(self._entries_memo) < 100_000:
                self._entries_memo[key] = found
        return found

    def _facts(self, key: str) -> tuple[bool, bool, int, bool, bool, bool, bool, frozenset[str]]:
        """What the finder's rules need to know of a name, computed once per name:
        (only a demonym, only variant names, largest population, only cities or foreign regions,
        a common English word, a small place, only countries, the countries it names)."""
        facts = self._facts_memo.get(key)
        if facts is None:
            entries = self.entries(key)
            best_pop = max((p.population for p, _ in entries), default=0)
            facts = (
                all(kind == DEMONYM for _, kind in entries),
                all(kind == ALTERNATE for _, kind in entries),
                best_pop,
                all(p.level == "city" or (p.level == "region" and p.country != "KZ") for p, _ in entries),
                " " not in key and (key in common_words() or (key.endswith("s") and key[:-1] in common_words())),
                best_pop < 100_000 and all(p.level == "city" or (p.level == "region" and p.country != "KZ")
                                           for p, _ in entries),
                all(p.level == "country" for p, _ in entries),
                frozenset(p.country for p, _ in entries if p.level == "country"),
            )
            if len(self._facts_memo) < 100_000:
                self._facts_memo[key] = facts
        return facts

    # ------------------------------------------------------------ finding

    def _raw_hits(self, text: str, folded: str) -> list[_Hit]:
        found = []
        lengths = self.index.lengths
        # keys are " name ": in " text " every match is a whole-word match; offsets shift by one
        for end, i in self._auto.iter(f" {folded} "):
            start = end - lengths[i] + 1
            if text[start].islower() and lengths[i] < 16 and " " not in folded[start:end - 1]:
                continue  # a one-word name in lower case is a word, not a place ("union", "police")
            found.append((start, end - 1, folded[start:end - 1]))
        found.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        hits, last = [], -1
        for start, end, key in found:
            if start >= last:
                hits.append(_Hit(start, end, key))
                last = end
        return hits

    def _keep(self, text: str, folded: str, hit: _Hit) -> bool:
        """Capitalisation, trap words, organisations, person names."""
        surface = text[hit.start:hit.end]
        words = surface.split()
        if not any(w[:1].isupper() for w in words):
            return False
        if not surface[:1].isupper() and len(words) < 2:
            return False
        if len(words) > 1 and not any(w[:1].isupper() for w in words[1:]) \
                and SENTENCE_START.search(text[max(0, hit.start - 8):hit.start]):
            return False  # "The city akimat ...": capitalised only because a sentence starts there
        if hit.key in TRAPS:
            return False
        if hit.start > 1 and text[hit.start - 1] in "-‐" and text[hit.start - 2].isalpha():
            return False  # the second half of a compound name ("Isatai-Makhambet square")
        if _AFFILIATION.match(text, hit.end):
            return False  # "U.S.-backed", "London-based", "Iran-aligned": whose or where from, not where
        all_demonym, all_alternate, best_pop, cities_only, common, small, all_countries, countries = \
            self._facts(hit.key)
        if all_demonym:
            return True
        after = text[hit.end:hit.end + 40]
        m = _NEXT_CAP.match(after)
        next_word = m.group(1) if m else None
        if (_org_follows(after) and not (_CAMPUS.match(after) and self._city_first(hit.key))) \
                or _STREET.match(after):
            # "Moscow Times", "Dostyk avenue": an organisation's or a street's name ("Dhaka University" stands
            # in Dhaka: a campus is where students gather; not "Washington University", as for "University of")
            return False
        before = text[max(0, hit.start - 30):hit.start]
        named = _NAMED_BEFORE.search(before)
        if named and not (named.group(0).startswith("University") and self._city_first(hit.key)):
            # ("the University of Lagos" is in Lagos, as "Dhaka University" is in Dhaka; not "the University of
            # Washington", a name that is also another state's)
            return False
        if _METONYM_BEFORE.search(before):
            return False  # "official Bishkek said ...": the government, not the city
        if all_countries and self._brand_before(before):
            return False  # "Coca-Cola Kenya staff", "Shell Nigeria": a company's national arm
        if _TITLE_BEFORE.search(before) and next_word and not REGION_SUFFIX.match(after):
            return False  # "President Vladimir Putin", "Governor Sana Ullah": a person's given name
        if _MONTH_DAY.match(hit.key):
            return False  # "October 6" is a date before it is Egypt's 6th of October City
        if next_word and not REGION_SUFFIX.match(after) and not CITY_SUFFIX.match(after) \
                and all_alternate and next_word.lower() not in ("and", "or"):
            return False  # "Nursultan Nazarbayev": an alternate name glued to a capitalised word is a person
        if all_alternate and _COMPANY_NOUN.match(after):
            return False  # "Orda factory workers": a company's name that is only some town's variant name
        single = " " not in hit.key
        if single and cities_only and best_pop < 1_000_000 and _PERSON_VERB.match(after) \
                and _PREV_NAME.search(before) and not self.entries(key_of(_PREV_NAME.search(before).group(1))):
            return False  # "Gwen Lancaster organised a rally", "Tom Reading said": a person who acts or speaks
        if single and cities_only:
            # "Lloyd Austin", "Eugene Rumer": a one-word city name after a capitalised given name, or
            # before a capitalised surname, is part of a person's name.
            # ("Juan Manuel Santos", "Gwen Lancaster": a given name may itself be a small place's name)
            prev = _PREV_NAME.search(before)
            if prev and _TITLE_BEFORE.search(before[:prev.start()]):
                return False  # "former President Lenin Moreno": a title, a given name, then the surname
            if prev and prev.group(1).lower() not in FUNCTION_WORDS | TRAPS | PLACE_QUALIFIERS and not any(
                    p.level in ("country", "region") or p.population >= 100_000
                    for p, _ in self.entries(key_of(prev.group(1)))) \
                    and not _CLAUSE_END.search(before[:prev.start()]):
                return False
            if next_word and best_pop < 1_000_000 and next_word.lower() not in FUNCTION_WORDS | TRAPS | FACILITY_WORDS \
                    and not REGION_SUFFIX.match(after) and not CITY_SUFFIX.match(after) \
                    and not any(k == PRIMARY for _, k in self.entries(key_of(next_word))):
                # ("Cerro Verde": a name only some small place has as an alternate is no place of its own)
                return False
        if single and (common or small):
            # "Victoria Nuland", "Reading Festival": a weak one-word name glued to
            # another capitalised word is part of a longer proper noun.
            if next_word and not REGION_SUFFIX.match(after) and not CITY_SUFFIX.match(after) \
                    and next_word.lower() not in ("and", "or") and next_word.lower() not in FACILITY_WORDS:
                return False
            prev = _PREV_CAP.search(before)
            # ("GM's Wentzville Assembly plant": a possessive names whose site it is, in that place)
            if prev and prev.group(1).lower() not in ("in", "at", "of", "from", "to", "near", "and", "the", "on") \
                    and not prev.group(1).endswith(("'s", "’s", "'", "’")):
                return False
        if common:
            if SENTENCE_START.search(text[max(0, hit.start - 8):hit.start]) and not (
                    after.startswith(":") and countries) and not surface.isupper() \
                    and not (self._well_known(hit.key) and not _PERSON_VERB.match(after)):
                # (a roundup's "Chile: dock workers ..." heading names the country; a dateline's "BERLIN —"
                # is in capitals, not capitalised by the sentence)
                return False
            hit.weak = True
        elif small:
            hit.weak = True  # a small place ("Maidan" is a Serbian town's variant name): needs context
        return True

    def _not_named_persons(self, text: str, raw: list[_Hit], kept: list[_Hit]) -> list[_Hit]:
        """Drop the bare surname of a person the text named in full: after "Muqtada al-Sadr", "Sadr's
        supporters" and "Sadr loyalists" are his, not Sadr City's (which keeps its "City")."""
        kept_ids = {id(h) for h in kept}
        persons = {h.key for h in raw
                   if id(h) not in kept_ids and _NAME_PARTICLE.search(text, max(0, h.start - 6), h.start)}
        if not persons:
            return kept
        return [h for h in kept if h.key not in persons or CITY_SUFFIX.match(text, h.end)
                or REGION_SUFFIX.match(text, h.end) or _LOCATIVE_BEFORE.search(text, max(0, h.start - 6), h.start)]

    def _brand_before(self, before: str) -> bool:
        """Whether a capitalised word right before a country's name is a company's ("Coca-Cola Kenya"): not a
        place, a demonym, a qualifier, a function word, a title, or a sentence's first word."""
        prev = _PREV_CAP.search(before)
        if prev is None or _CLAUSE_END.search(before[:prev.start()]):
            return False
        word = prev.group(1)
        if word.lower() in FUNCTION_WORDS | PLACE_QUALIFIERS | TRAPS or word.endswith(("'s", "’s")):
            return False
        return not self.entries(key_of(word)) and not _TITLE_BEFORE.search(before)

    def _city_first(self, key: str) -> bool:
        """Whether a name means a big city before anything else: the only other places of that name are
        small or the region around it (Lagos State around Lagos; not Washington State, far from Washington)."""
        big = self._big_cities(key)
        return bool(big) and all(p.level == "city" and (p in big or p.population < BIG_CITY // 10)
                                 or p.level == "region" and any(p.country == b.country and p.name == b.admin1
                                                                for b in big)
                                 for p, _ in self.entries(key))

    def _well_known(self, key: str) -> bool:
        """Whether a name is first of all a country's or a big city's, whatever else the word means
        ("Turkey detained ...", "Bangkok police ...": not the bird, not the hat)."""
        return any(kind == PRIMARY and (p.level == "country" or p.level == "city" and p.population >= 1_000_000)
                   for p, kind in self.entries(key))

    def _big_cities(self, key: str) -> list[Place]:
        """The cities of BIG_CITY people or more a name is, in its own right, the name of."""
        return [p for p, kind in self.entries(key) if kind == PRIMARY and p.level == "city" and p.population >= BIG_CITY]

    def _annotate(self, text: str, folded: str, hit: _Hit) -> None:
        rest = folded[hit.end:hit.end + 40]
        m = REGION_SUFFIX.match(rest)
        if m:
            hit.hint = "region"
            hit.plural = m.group(1).endswith("s") and not m.group(1).endswith("sy")
            hit.end += m.end()
            return
        m = CITY_SUFFIX.match(rest)
        if m and not _CITY_INSTITUTION.match(rest):
            hit.hint = "city"
            hit.end += m.end()
        elif _CITY_OF.search(folded[max(0, hit.start - 12):hit.start]) and not any(
                p.level == "country" for p, _ in self.entries(hit.key)):
            hit.hint = "city"  # "the city of Osh"; "the largest city of Armenia" names the country
        q = COUNTRY_QUALIFIER.match(text, hit.end)
        if q:
            for key in self._keys_at(folded, q.end()):
                for p, kind in self.entries(key):
                    if p.level == "country" and kind != DEMONYM:
                        hit.qualifier = p.country

    def _keys_at(self, folded: str, pos: int) -> list[str]:
        tail = folded[pos:pos + 40]
        out = []
        for end, i in self._auto.iter(f" {tail} "):
            if end - self.index.lengths[i] + 1 == 0:
                out.append(tail[:end - 1])
        return out

    def find(self, text: str, countries: list[str] | None = None) -> list[Mention]:
        """All place mentions in ``text``, resolved, in text order.

        ``countries``: ISO-2 codes the text is known to be about (they outweigh
        what the text itself suggests). Demonyms ("Kazakh", "Russian") come back
        with ``demonym=True``: they give context, they are not event places.
        """
        if not unicodedata.is_normalized("NFC", text):
            return _find_composed(self, text, countries)
        folded = fold(text)
        raw = self._raw_hits(text, folded)
        hits = [h for h in raw if self._keep(text, folded, h)]
        hits = self._not_named_persons(text, raw, hits)
        for h in hits:
            self._annotate(text, folded, h)
        # A list closed by a plural ("the Almaty and Mangystau regions"): every member is a region.
        for i, h in enumerate(hits):
            if h.plural:
                j = i - 1
                while j >= 0 and hits[j].hint is None and re.fullmatch(r"\s*(?:,|,?\s*and|&)\s*(?:the\s+)?", text[hits[j].end:hits[j + 1].start]):
                    hits[j].hint = "region"
                    j -= 1
        context = self._context(hits, countries)
        self._near_countries(text, hits)
        resolved: dict[tuple, Mention] = {}  # same name, same cues, same context: same answer
        mentions = []
        for h in hits:
            cue = (h.key, h.hint, h.qualifier, h.weak, h.near_country)
            done = resolved.get(cue)
            if done is None:
                done = resolved[cue] = self._resolve(text[h.start:h.end], h, context)
            mentions.append(Mention(text[h.start:h.end], h.start, h.end, done.place, done.confidence,
                                    done.candidates, done.reason, done.demonym))
        mentions += self._capitals(text, context)
        mentions.sort(key=lambda m: m.start)
        return [m for m in mentions if m.place is not None or m.demonym]

    def _near_countries(self, text: str, hits: list[_Hit]) -> None:
        """Mark each hit with the country named last before it on the same line: in a roundup ("Chile: dock
        workers at the port of San Antonio ...") or a sentence ("in Chile, ... San Antonio"), a name
        shared by towns of several countries is most likely the one in that country."""
        near, line_end = None, -1
        for h in hits:
            if h.start > line_end:
                near, line_end = None, text.find("\n", h.start)
                line_end = len(text) if line_end < 0 else line_end
            h.near_country = near
            countries = self._facts(h.key)[7]
            if len(countries) == 1:
                near = next(iter(countries))

    def _context(self, hits: list[_Hit], countries: list[str] | None) -> dict[str, float]:
        """How strongly the text is about each country: shares of country-naming mentions."""
        counts: Counter[str] = Counter()
        for h in hits:
            entries = self.entries(h.key)
            ccs = {p.country for p, _ in entries}
            if all(p.level == "site" for p, _ in entries):
                continue  # "Republic Square" is in many countries' capitals: it cannot vouch for Kazakhstan
            # a weak name ("Maidan", a small town's variant) cannot vouch for its own country
            if any(p.level == "country" for p, _ in entries) or (len(ccs) == 1 and not h.weak):
                for cc in ccs:
                    counts[cc] += 1
            elif not h.weak:
                # "Santiago", "Valparaiso": a name shared by places in several countries speaks for
                # them in proportion to their size (mostly Chile), not for none of them
                pops: Counter[str] = Counter()
                for p, _ in entries:
                    pops[p.country] += p.population + 1
                total = sum(pops.values())
                for cc, pop in pops.items():
                    counts[cc] += pop / total
        total = sum(counts.values()) or 1
        ctx = {cc: c / total for cc, c in counts.items()}
        for cc in countries or ():
            ctx[cc.upper()] = ctx.get(cc.upper(), 0.0) + 1.0
        return ctx

    def _capitals(self, text: str, context: dict[str, float]) -> list[Mention]:
        """ "the capital", "the southern capital": the capital of the text's main country."""
        if not context:
            return []
        main = max(context, key=context.get)
        out = []
        if "apital" not in text:  # the regex below is slow to scan; most texts never say "capital"
            return []
        for m in CAPITAL.finditer(text):
            adj = (m.group("adj") or m.group("adj2") or "").lower()
            country = self._country_named(m.group("dem") or m.group("owner")) or main
            if adj:
                pid = COLLOQUIAL_CAPITALS.get((country, adj))
                place = self.get(pid) if pid else None
            else:
                place = self.capital(country)
            if place is not None:
                out.append(Mention(text=m.group(0), start=m.start(), end=m.end(), place=place,
                                   confidence=0.7, candidates=(Candidate(place, 1.0),),
                                   reason="capital of the country named, else of the article's main country"))
        return out

    def _country_named(self, words: str | None) -> str | None:
        """The country a demonym or a country's name designates ("Kenyan", "France"), if any."""
        if not words:
            return None
        for p, _ in self.entries(key_of(words)):
            if p.level == "country":
                return p.country
        return None

    # ------------------------------------------------------------ resolving

    def _score(self, place: Place, kind: str, hit: _Hit, context: dict[str, float]) -> float:
        if place.level == "country":
            pop = 5e7
        elif place.level == "region":
            pop = max(place.population, 1_000_000) if place.country == "KZ" else place.population / 3
        elif place.level == "site":
            pop = 1_000_000
        else:
            pop = place.population
        s = math.log10(pop + 10) / 5.0
        bare_region = place.level == "region" and place.country == "KZ" and hit.hint != "region"
        s += 0.2 if kind == PRIMARY and not bare_region else 0.0
        s += 1.6 * min(context.get(place.country, 0.0), 1.5)
        if hit.qualifier:
            s += 3.0 if place.country == hit.qualifier else -1.0
        elif hit.near_country and place.country == hit.near_country:
            s += NEAR_COUNTRY_BONUS
        if hit.hint == "region":
            s += 3.0 if place.level == "region" else -1.0
        elif hit.hint == "city":
            s += 1.0 if place.level == "city" else -1.0
        elif place.level == "region" and place.country != "KZ" and hit.city_named:
            s -= 0.8  # bare "New York", "Budapest", "Washington", "Ulaanbaatar": the city, not the region
        elif bare_region:
            # bare "Aktobe", "Karaganda": the city, unless the only city of that name is small
            s -= 0.35
        return s

    def _nearness(self, entries: list[tuple[Place, str]], context: dict[str, float]) -> dict[str, float]:
        """A bonus for the readings of a name near the text's main country, when none is inside it.

        "the highway to Namanga" in a report from Nairobi is the Kenyan border town, not Namangan in
        Uzbekistan (5,900 km away), though the larger city has the name among its variants: what a
        text names is mostly near what it is about. Only readings outside the text's countries take
        the bonus, so context still decides between the countries a text names.
        """
        if len({p.country for p, _ in entries}) < 2 or not context:
            return {}
        main = max(context, key=context.get)
        ref = self.country(main)
        if ref is None or context[main] < 0.4 or any(context.get(p.country, 0.0) >= 0.2 for p, _ in entries):
            return {}
        return {p.id: NEAR_BONUS * max(0.0, 1.0 - haversine_km(p.lat, p.lon, ref.lat, ref.lon) / NEAR_KM)
                for p, _ in entries}

    def _resolve(self, surface: str, hit: _Hit, context: dict[str, float]) -> Mention:
        entries = self.entries(hit.key)
        if entries and all(kind == DEMONYM for _, kind in entries):
            place = entries[0][0]
            return Mention(surface, hit.start, hit.end, place, 0.9, (Candidate(place, 1.0),), demonym=True)
        entries = [(p, k) for p, k in entries if k != DEMONYM]
        if hit.hint == "region" and not any(p.level == "region" for p, _ in entries):
            # "Aktyubinsk region": the region the named city lies in
            promoted = []
            for p, k in entries:
                r = self.region_of(p) if p.level == "city" else None
                if r is not None:
                    promoted.append((r, k))
            entries = promoted or entries
        # "Oklahoma" is the state (Oklahoma City only has it as a variant name); "New York" is the city,
        # a metropolis that goes by its state's name; "Andalusia" is Spain's region, not a town in Alabama
        regions = [p for p, k in entries if p.level == "region" and k == PRIMARY]
        biggest = max((p.population for p in regions), default=0)
        hit.city_named = not regions or any(
            p.level == "city" and (k == PRIMARY or p.population >= 1_000_000 or self.is_capital(p))
            and p.population >= 0.05 * biggest for p, k in entries)
        kz_regions = [p for p, _ in entries if p.level == "region" and p.country == "KZ"]
        if hit.hint is None and kz_regions and not any(
                p.level == "city" and p.population >= 50_000
                and (k == PRIMARY or any(self.region_of(p) == r for r in kz_regions)) for p, k in entries):
            # bare "Mangistau": the region; only a sizeable city of the same name ("Aktobe") outranks it
            entries = [(p, k) for p, k in entries if p.level != "city"]
        if not entries:
            return Mention(surface, hit.start, hit.end, None, 0.0, reason="not in the gazetteer")
        near = self._nearness(entries, context)
        scored = sorted(((self._score(p, k, hit, context) + near.get(p.id, 0.0), p) for p, k in entries),
                        key=lambda t: -t[0])
        seen, cands = set(), []
        for s, p in scored:
            if p.id not in seen:
                seen.add(p.id)
                cands.append((s, p))
        z = sum(math.exp(3 * (s - cands[0][0])) for s, _ in cands[:10])
        conf = 1.0 / z
        if hit.weak and context.get(cands[0][1].country, 0.0) < WEAK_CONTEXT:
            conf *= 0.5
        top = tuple(Candidate(p, round(s, 3)) for s, p in cands[:5])
        best = cands[0][1]
        if best.level == "site" and not context.get(best.country) and not (
                best.town and best.town.lower() in surface.lower()):
            # "Republic Square" in an article about Armenia is not Almaty's: a curated site needs its country
            return Mention(surface, hit.start, hit.end, None, round(conf, 3), top,
                           reason="a site of a country the text is not about")
        if hit.weak and context.get(best.country, 0.0) < WEAK_CONTEXT and best.population < 200_000:
            return Mention(surface, hit.start, hit.end, None, round(conf, 3), top,
                           reason="ambiguous common word or small place with no supporting context")
        return Mention(surface, hit.start, hit.end, best, round(conf, 3), top)

    def resolve_name(self, name: str, countries: list[str] | None = None) -> Mention:
        """Resolve one name as it would be read in an article about ``countries``.

        Accepts the forms the finder understands: "Mangistau region",
        "Almaty city", "Paris, France", "the capital".
        """
        text = " ".join(name.split())
        if not text:
            return Mention(name, 0, 0, None, 0.0, reason="empty name")
        head, sep, tail = text.rpartition(",")
        if sep and head.strip():
            qual = [p for p, k in self.entries(key_of(tail)) if p.level == "country" and k != DEMONYM]
            if qual:  # "Brest, France": the name, read in an article about that country
                found = self.resolve_name(head.strip(), [qual[0].country] + list(countries or []))
                return Mention(name, 0, len(text), found.place, found.confidence, found.candidates,
                               found.reason, found.demonym)
        mentions = self.find(text, countries)
        if mentions:
            # the mention that covers most of the name, qualifiers aside
            best = max(mentions, key=lambda m: (m.end - m.start, -m.start))
            if best.end - best.start >= len(text.rstrip()) * 0.5 or best.place is not None:
                if best.demonym:
                    return Mention(name, 0, len(text), best.place, best.confidence, best.candidates,
                                   reason="a demonym names the country", demonym=True)
                return Mention(name, 0, len(text), best.place, best.confidence, best.candidates)
        # names given on their own need no capital letter or sentence context
        hit = _Hit(0, len(text), key_of(re.sub(r"^the\s+", "", text, flags=re.I)))
        folded = fold(text)
        m = REGION_SUFFIX.search(folded)
        if m and m.end() == len(folded):
            hit.key, hit.hint = key_of(folded[:m.start()]), "region"
        if not self.entries(hit.key):
            return Mention(name, 0, len(text), None, 0.0, reason="not in the gazetteer")
        ctx = {c.upper(): 1.0 for c in countries or ()}
        return self._resolve(text, hit, ctx)


def _find_composed(gaz: Gazetteer, text: str, countries: list[str] | None) -> list[Mention]:
    """Find in NFC-composed text and map offsets back: "Aqto\u0308be" (decomposed) reads as "Aqtöbe"."""
    pieces, starts = [], []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        composed = unicodedata.normalize("NFC", text[i:j])
        for k, ch in enumerate(composed):
            pieces.append(ch)
            starts.append(i if k == 0 else j)
        i = j
    starts.append(len(text))
    composed_text = "".join(pieces)
    out = []
    for m in gaz.find(composed_text, countries):
        s, e = starts[m.start], starts[m.end]
        out.append(Mention(text[s:e], s, e, m.place, m.confidence, m.candidates, m.reason, m.demonym))
    return out


@lru_cache(maxsize=1)
def _shared() -> Gazetteer:
    return Gazetteer(load_index())


def mention_record(name: str, mention: Mention) -> dict:
    """A JSON-ready description of how a name was resolved (the ``place`` command's output)."""
    p = mention.place
    rec = {
        "name": name,
        "place": p.name if p else None,
        "id": p.id if p else None,
        "level": p.level if p else None,
        "lat": p.lat if p else None,
        "lon": p.lon if p else None,
        "country": p.country if p else None,
        "admin1": p.admin1 if p else None,
        "town": p.town if p else None,
        "confidence": mention.confidence,
        "candidates": [
            {"place": c.place.name, "id": c.place.id, "level": c.place.level, "country": c.place.country,
             "admin1": c.place.admin1, "lat": c.place.lat, "lon": c.place.lon, "score": c.score}
            for c in mention.candidates
        ],
    }
    if mention.demonym:
        rec["demonym"] = True
    if p is None or mention.reason:
        rec["reason"] = mention.reason or "unresolved"
    return rec
