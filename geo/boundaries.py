"""Outlines for the map: country borders and Kazakhstan's regions in the layout of a given date.

Natural Earth's countries are the basemap that needs no internet; geokz's
regions come in two layouts (14 oblasts until the June 2022 reform, 17
after), and an event is drawn on the layout in force on its date. Files are
read once with geopandas/pyogrio and kept as GeoJSON dicts.
"""
from __future__ import annotations

import json
from functools import lru_cache

from geo.paths import DATA_DIR

COUNTRIES_FILE = DATA_DIR / "naturalearth" / "ne_110m_countries.geojson"
REGION_FILES = {
    "2018": DATA_DIR / "geokz-kaz-admin" / "kaz_adm1_2018_simplified.geojson",
    "2024": DATA_DIR / "geokz-kaz-admin" / "kaz_adm1_2024_simplified.geojson",
}
# Abay, Zhetysu and Ulytau regions were created on 8 June 2022: events before
# that date are drawn on the 2018 layout, later ones on the 2024 layout.
REFORM_DATE = "2022-06-08"


def vintage_for(date_iso: str) -> str:
    """Which region layout was in force on a date ("2018" or "2024")."""
    return "2018" if date_iso < REFORM_DATE else "2024"


def _round_coords(obj, ndigits: int):
    if isinstance(obj, float):
        return round(obj, ndigits)
    if isinstance(obj, list):
        return [_round_coords(x, ndigits) for x in obj]
    return obj


def _round_geometry(geom: dict, ndigits: int) -> None:
    """Round coordinates in place (GeometryCollections included): smaller payload, same picture."""
    if geom.get("type") == "GeometryCollection":
        for part in geom["geometries"]:
            _round_geometry(part, ndigits)
    else:
        geom["coordinates"] = _round_coords(geom["coordinates"], ndigits)


@lru_cache(maxsize=4)
def _feature_collection(path: str, keep: tuple[str, ...], ndigits: int) -> dict:
    """Read a GeoJSON file once with geopandas/pyogrio; keep a few properties, round coordinates."""
    import geopandas as gpd

    gdf = gpd.read_file(path)
    raw = json.loads(gdf.to_json(drop_id=True))
    for feat in raw["features"]:
        feat["properties"] = {k: feat["properties"].get(k) for k in keep}
        _round_geometry(feat["geometry"], ndigits)
    return raw


def country_outlines() -> dict:
    """Natural Earth 1:110m countries, the basemap that needs no internet."""
    return _feature_collection(str(COUNTRIES_FILE), ("name", "iso_a3"), 2)


def region_outlines(vintage: str) -> dict:
    """Kazakhstan's first-level regions in one layout ("2018" or "2024")."""
    return _feature_collection(str(REGION_FILES[vintage]), ("ADM1_PCODE", "ADM1_EN"), 3)


@lru_cache(maxsize=4)
def region_geometries(vintage: str) -> dict[str, dict]:
    """ADM1_PCODE -> GeoJSON geometry, for drawing region-level events."""
    return {f["properties"]["ADM1_PCODE"]: f["geometry"] for f in region_outlines(vintage)["features"]}


def region_geometry(code: str | None, date_iso: str) -> dict | None:
    """The polygon of a region code as it was on a date (other layout as fallback)."""
    if not code:
        return None
    first = vintage_for(date_iso)
    for vintage in (first, "2024" if first == "2018" else "2018"):
        geom = region_geometries(vintage).get(code)
        if geom is not None:
            return geom
    return None
