"""GeoJSON and CSV export: coordinate order, strict JSON for hostile text, spreadsheet safety, atomic writes."""
from __future__ import annotations

import csv
import io
import json
import os

import pytest

from geo.export import CSV_COLUMNS, dumps_geojson, event_to_feature, to_csv, to_geojson, write
from geo.model import Event, Source

PROPERTIES = [
    "event_id", "event_type", "date_start", "date_end", "time_precision", "place", "place_mention",
    "admin1", "country", "geo_precision", "site", "region_code", "historical", "date_uncertain",
    "confidence", "fatalities", "arrests", "corroboration", "review", "reviewed_by", "review_note", "sources",
]


def almaty(evidence: str = "Thousands rallied in Almaty on 5 January.", **kw) -> Event:
    base = dict(
        event_type="protest", place="Almaty", place_id="gn:1526384", level="city",
        lat=43.2566701, lon=76.9286100123, country="KZ", date_start="2022-01-05", date_end="2022-01-05",
        time_precision="day", admin1="Almaty", place_mention="Alma-Ata", confidence=0.8, arrests=12,
        sources=[
            Source(doc="a.txt", evidence=evidence, title="T", publisher="P", published="2022-01-06",
                   url="https://example.org/a"),
            Source(doc="b.txt", evidence="A rally in Almaty.", title="U"),
        ],
    )
    base.update(kw)
    return Event(**base)


def test_feature_has_lon_lat_order_and_contract_properties():
    f = event_to_feature(almaty())
    assert f["type"] == "Feature"
    lon, lat = f["geometry"]["coordinates"]
    assert lon == pytest.approx(76.92861, abs=1e-6) and lat == pytest.approx(43.25667, abs=1e-6)
    assert round(lon, 1) == 76.9 and round(lat, 1) == 43.3
    assert lon == round(lon, 6)
    assert list(f["properties"]) == PROPERTIES
    p = f["properties"]
    assert p["geo_precision"] == "city" and p["corroboration"] == 2 and p["arrests"] == 12
    assert p["sources"][0] == {"doc": "a.txt", "title": "T", "publisher": "P", "published": "2022-01-06",
                               "url": "https://example.org/a",
                               "evidence": "Thousands rallied in Almaty on 5 January."}
    assert f["id"] == p["event_id"]


def test_feature_collection_has_no_crs_and_name_is_optional():
    fc = to_geojson([almaty()])
    assert fc["type"] == "FeatureCollection" and "crs" not in fc and "name" not in fc
    assert to_geojson([], name="Kazakhstan 2022")["name"] == "Kazakhstan 2022"
    assert to_geojson([])["features"] == []


def test_ids_are_stable_and_depend_on_the_key_only():
    a = event_to_feature(almaty())["id"]
    b = event_to_feature(almaty(evidence="other words", confidence=0.1))["id"]
    c = event_to_feature(almaty(event_type="riot"))["id"]
    assert a == b != c and len(a) == 16


HOSTILE = 'He said "stop"\nthen\t</script><script>alert(1)</script> & Алматы — 🚩 \x00 \ud800 =cmd'


def test_geojson_file_is_valid_json_for_hostile_text_and_round_trips(tmp_path):
    path = write([almaty(evidence=HOSTILE, place_mention=HOSTILE)], tmp_path / "out.geojson")
    raw = path.read_bytes()
    assert b"\x00" not in raw and b"<" not in raw and b"</script" not in raw.lower()
    data = json.loads(raw.decode("utf-8"))
    ev = data["features"][0]["properties"]["sources"][0]["evidence"]
    assert ev.startswith('He said "stop"\nthen\t</script><script>alert(1)</script> & Алматы — 🚩')
    assert "\x00" not in ev and "\ufffd" in ev
    # round trip: what is read back equals what was built (after cleaning)
    again = write([almaty(evidence=ev, place_mention=ev)], tmp_path / "again.json")
    assert json.loads(again.read_text(encoding="utf-8")) == data


def test_non_finite_coordinates_give_null_geometry_not_invalid_json(tmp_path):
    path = write([almaty(lat=float("nan"))], tmp_path / "x.geojson")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["features"][0]["geometry"] is None


def test_csv_columns_values_and_formula_injection():
    text = to_csv([almaty(evidence="=HYPERLINK(\"http://evil\")", place_mention="x", site="@SUM(A1)",
                          lon=-0.1278, lat=51.5074, place="London", country="GB")])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(CSV_COLUMNS)
    r = rows[0]
    assert r["event_date"] == r["date_start"] == "2022-01-05"
    assert r["acled_event_type"] == "Protests" and r["acled_sub_event_type"] == "Peaceful protest"
    assert r["cameo"] == "141" and r["plover"] == "PROTEST"
    assert r["location"] == "London" and r["longitude"] == "-0.1278"  # numbers stay numbers
    assert r["site"] == "'@SUM(A1)"
    assert r["notes"].startswith("'=HYPERLINK")
    assert r["sources"] == "2" and r["source_docs"] == "a.txt;b.txt" and r["corroboration"] == "2"
    assert r["historical"] == "false" and r["fatalities"] == "" and r["arrests"] == "12"


def test_csv_survives_newlines_quotes_and_nul(tmp_path):
    path = write([almaty(evidence=HOSTILE)], tmp_path / "out.csv")
    raw = path.read_bytes()
    assert b"\x00" not in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert len(rows) == 1 and 'He said "stop" then </script>' in rows[0]["notes"]


def test_write_is_atomic_and_rejects_unknown_suffix(tmp_path):
    target = tmp_path / "events.geojson"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(ValueError, match=r"events\.kml.*unknown output format"):
        write([almaty()], tmp_path / "events.kml")
    with pytest.raises(ValueError, match="does not exist"):
        write([almaty()], tmp_path / "missing" / "events.csv")
    write([almaty()], target)
    assert json.loads(target.read_text(encoding="utf-8"))["features"]
    assert sorted(os.listdir(tmp_path)) == ["events.geojson"]  # no temp files left behind


def test_write_failure_keeps_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "events.csv"
    target.write_text("previous", encoding="utf-8")

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write([almaty()], target)
    assert target.read_text(encoding="utf-8") == "previous"
    assert sorted(os.listdir(tmp_path)) == ["events.csv"]


def test_explicit_format_overrides_suffix(tmp_path):
    path = write([almaty()], tmp_path / "events.txt", fmt="csv")
    assert path.read_text(encoding="utf-8").startswith("event_id,event_date")


@pytest.mark.parametrize("suffix, fmt", [(".parquet", "geoparquet"), (".gpkg", "gpkg")])
def test_gis_formats_read_back_with_the_same_events(tmp_path, suffix, fmt):
    import geopandas as gpd

    from geo.export import format_for, write

    events = [almaty(), almaty(event_type="riot", fatalities=3)]
    path = tmp_path / f"events{suffix}"
    assert format_for(path) == fmt
    write(events, path)
    frame = gpd.read_file(path) if fmt == "gpkg" else gpd.read_parquet(path)
    assert frame.crs.to_epsg() == 4326
    assert list(frame["event_id"]) == [e.event_id for e in events]
    assert list(frame["event_type"]) == ["protest", "riot"]
    assert frame.geometry.iloc[0].x == pytest.approx(76.92861) and frame.geometry.iloc[0].y == pytest.approx(43.25667)
    assert frame["fatalities"].isna().iloc[0] and int(frame["fatalities"].iloc[1]) == 3
    sources = json.loads(frame["sources_json"].iloc[0])
    assert sources[0]["evidence"] == events[0].sources[0].evidence
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left behind


def test_gis_export_through_the_command_line(tmp_path):
    import subprocess
    import sys

    import geopandas as gpd

    from geo.paths import ROOT
    from geo.store import Store

    store_path = tmp_path / "s.sqlite"
    with Store(store_path) as store:
        store.ingest([ROOT / "seeds" / "000_5d34b3504bfa6f51.txt"])
        n = len(store.events())
    out = tmp_path / "out.gpkg"
    proc = subprocess.run([sys.executable, "-m", "geo", "export", "--store", str(store_path), "-o", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert len(gpd.read_file(out, layer="events")) == n
    proc = subprocess.run([sys.executable, "-m", "geo", "export", "--store", str(store_path), "--format", "geoparquet"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2 and "writes a file" in proc.stderr


def test_a_geopackage_written_in_chunks_equals_one_written_whole(tmp_path):
    import geopandas as gpd

    from geo.export import write_gis

    events = [almaty(), almaty(event_type="riot"), almaty(event_type="strike", fatalities=2)]
    write_gis(iter(events), tmp_path / "chunks.gpkg", "gpkg", chunk=1)
    write_gis(events, tmp_path / "whole.gpkg", "gpkg")
    chunks, whole = gpd.read_file(tmp_path / "chunks.gpkg"), gpd.read_file(tmp_path / "whole.gpkg")
    assert len(chunks) == 3 and chunks.equals(whole)
    write_gis([], tmp_path / "empty.gpkg", "gpkg")
    assert len(gpd.read_file(tmp_path / "empty.gpkg")) == 0


def test_text_exports_are_the_same_in_pieces():
    from geo.export import iter_text, render, to_csv

    events = [almaty(), almaty(event_type="riot", evidence='A <b>"riot"</b> & more')]
    assert "".join(iter_text(iter(events), "geojson")) == dumps_geojson(to_geojson(events))
    assert "".join(iter_text(iter(events), "csv")) == to_csv(events) == render(events, "csv")
    assert json.loads(render([], "geojson")) == {"type": "FeatureCollection", "features": []}


def test_a_geoparquet_written_in_row_groups_equals_one_written_whole(tmp_path):
    import geopandas as gpd
    import pyarrow.parquet as pq

    from geo.export import write_gis

    # the first chunk has no fatalities and no arrests: the columns keep their types all the same
    events = [almaty(), almaty(event_type="riot"), almaty(event_type="strike", fatalities=2, arrests=5)]
    write_gis(iter(events), tmp_path / "chunks.parquet", "geoparquet", chunk=2)
    write_gis(events, tmp_path / "whole.parquet", "geoparquet", chunk=100)
    assert pq.ParquetFile(tmp_path / "chunks.parquet").num_row_groups == 2
    chunks, whole = gpd.read_parquet(tmp_path / "chunks.parquet"), gpd.read_parquet(tmp_path / "whole.parquet")
    assert chunks.crs.to_epsg() == 4326 and list(chunks.geom_type) == ["Point"] * 3
    assert chunks.to_json() == whole.to_json()
    assert chunks["fatalities"].isna().tolist() == [True, True, False] and int(chunks["fatalities"].iloc[2]) == 2
