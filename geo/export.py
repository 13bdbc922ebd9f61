"""Events out to files other tools read: GeoJSON (RFC 7946) and an ACLED-like CSV.

GeoJSON follows RFC 7946 to the letter so that QGIS, geopandas, kepler.gl or
a web map read it unchanged: WGS84 only (hence no ``crs`` member),
coordinates in [longitude, latitude] order, rounded to 6 decimals (~10 cm,
far finer than any place a news article names). The CSV uses ACLED's column
names where they exist so that the rows can sit beside ACLED data, and is
made safe to open in a spreadsheet: a text cell starting with ``= + - @`` (or
a tab or carriage return) is a formula there, so it gets a leading apostrophe.

Article text is untrusted: every string goes through :func:`_clean` (lone
surrogates, which cannot be encoded, become U+FFFD; NUL characters are
dropped) and ``<``, ``>`` and ``&`` are written as JSON escapes so the file
can be inlined in an HTML page without closing a ``<script>``.
"""
from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from geo.merge import corroboration
from geo.model import Event
from geo.taxonomy import EVENT_TYPES

COORD_DECIMALS = 6

CSV_COLUMNS = (
    "event_id", "event_date", "date_start", "date_end", "time_precision", "event_type",
    "acled_event_type", "acled_sub_event_type", "cameo", "plover", "country", "admin1", "location",
    "site", "latitude", "longitude", "geo_precision", "historical", "fatalities", "arrests",
    "corroboration", "sources", "source_docs", "notes", "review", "reviewed_by", "review_note",
)

FORMATS = {".geojson": "geojson", ".json": "geojson", ".csv": "csv", ".parquet": "geoparquet",
           ".geoparquet": "geoparquet", ".gpkg": "gpkg"}
TEXT_FORMATS = ("geojson", "csv")
GIS_FORMATS = ("geoparquet", "gpkg")  # binary files for GIS and databases (QGIS, DuckDB, ArcGIS)

_SURROGATE = re.compile("[\ud800-\udfff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _clean(value: Any) -> Any:
    """Strings safe to encode as UTF-8 and free of NUL; other values unchanged."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value).replace("\x00", "")
    return value


def _coord(value: float) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), COORD_DECIMALS)


def event_to_feature(ev: Event) -> dict:
    """One event as a GeoJSON Feature; ``id`` and ``properties.event_id`` are the stable event id.

    A point with a missing or non-finite coordinate gets ``geometry: null``
    (allowed by RFC 7946) rather than an invalid number.
    """
    lon, lat = _coord(ev.lon), _coord(ev.lat)
    geometry = None if lon is None or lat is None else {"type": "Point", "coordinates": [lon, lat]}
    properties = {
        "event_id": ev.event_id,
        "event_type": ev.event_type,
        "date_start": ev.date_start,
        "date_end": ev.date_end,
        "time_precision": ev.time_precision,
        "place": _clean(ev.place),
        "place_mention": _clean(ev.place_mention),
        "admin1": _clean(ev.admin1),
        "country": ev.country,
        "geo_precision": ev.level,
        "site": _clean(ev.site),
        "region_code": ev.region_code,
        "historical": bool(ev.historical),
        "date_uncertain": bool(ev.date_uncertain),
        "confidence": round(float(ev.confidence), 3),
        "fatalities": ev.fatalities,
        "arrests": ev.arrests,
        "corroboration": corroboration(ev),
        "review": ev.review,
        "reviewed_by": _clean(ev.reviewed_by) or None,
        "review_note": _clean(ev.review_note) or None,
        "sources": [
            {
                "doc": _clean(s.doc),
                "title": _clean(s.title),
                "publisher": _clean(s.publisher),
                "published": _clean(s.published),
                "url": _clean(s.url),
                "evidence": _clean(s.evidence),
            }
            for s in ev.sources
        ],
    }
    return {"type": "Feature", "id": ev.event_id, "geometry": geometry, "properties": properties}


def to_geojson(events: Iterable[Event], name: str | None = None) -> dict:
    """A FeatureCollection of the events (``name`` becomes a foreign member when given)."""
    fc: dict[str, Any] = {"type": "FeatureCollection"}
    if name:
        fc["name"] = _clean(name)
    fc["features"] = [event_to_feature(ev) for ev in events]
    return fc


def dumps_geojson(fc: dict) -> str:
    """Serialise a FeatureCollection: strict JSON (no NaN), UTF-8 text, HTML-inert ``< > &``."""
    text = json.dumps(fc, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":"))
    # These characters only occur inside JSON strings, where \\u escapes mean the same.
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e") + "\n"


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        value = _clean(value)
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value


def event_to_row(ev: Event) -> dict[str, Any]:
    """One event as a CSV row keyed by :data:`CSV_COLUMNS` (values not yet made spreadsheet-safe)."""
    et = EVENT_TYPES.get(ev.event_type)
    docs = list(dict.fromkeys(s.doc for s in ev.sources))
    notes = list(dict.fromkeys(" ".join(s.evidence.split()) for s in ev.sources if s.evidence))
    return {
        "event_id": ev.event_id,
        "event_date": ev.date_start,
        "date_start": ev.date_start,
        "date_end": ev.date_end,
        "time_precision": ev.time_precision,
        "event_type": ev.event_type,
        "acled_event_type": et.acled_event_type if et else "",
        "acled_sub_event_type": et.acled_sub_event_type if et else "",
        "cameo": et.cameo if et else "",
        "plover": et.plover if et else "",
        "country": ev.country,
        "admin1": ev.admin1,
        "location": ev.place,
        "site": ev.site,
        "latitude": _coord(ev.lat),
        "longitude": _coord(ev.lon),
        "geo_precision": ev.level,
        "historical": bool(ev.historical),
        "fatalities": ev.fatalities,
        "arrests": ev.arrests,
        "corroboration": corroboration(ev),
        "sources": len(ev.sources),
        "source_docs": ";".join(docs),
        "notes": " | ".join(notes),
        "review": ev.review,
        "reviewed_by": ev.reviewed_by,
        "review_note": ev.review_note,
    }


def to_csv(events: Iterable[Event]) -> str:
    """The events as CSV text (header first, ``\\r\\n`` line ends as RFC 4180 says)."""
    return "".join(_csv_pieces(events))


def _csv_pieces(events: Iterable[Event]) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    for ev in events:
        writer.writerow({k: _csv_cell(v) for k, v in event_to_row(ev).items()})
        if buf.tell() > 1 << 16:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def _geojson_pieces(events: Iterable[Event]) -> Iterator[str]:
    """``dumps_geojson(to_geojson(events))``, a feature at a time."""
    yield '{"type":"FeatureCollection","features":['
    for i, ev in enumerate(events):
        text = json.dumps(event_to_feature(ev), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        yield ("," if i else "") + text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    yield "]}\n"


def iter_text(events: Iterable[Event], fmt: str) -> Iterator[str]:
    """The text of :func:`render` in pieces, reading the events one at a time: how an export of
    millions of events (``Store.iter_events``) is written without holding it in memory."""
    if fmt == "geojson":
        return _geojson_pieces(events)
    if fmt == "csv":
        return _csv_pieces(events)
    raise ValueError(f"unknown output format {fmt!r}; use geojson or csv")


def format_for(path: str | os.PathLike[str]) -> str:
    """``geojson`` or ``csv`` from the file suffix; ValueError naming the file otherwise."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(
            f"{path}: unknown output format {suffix or '(no suffix)'!r}; use one of {', '.join(FORMATS)}"
        )
    return FORMATS[suffix]


def render(events: Iterable[Event], fmt: str) -> str:
    """The events as text in ``fmt`` (``geojson`` or ``csv``; the GIS formats are files: :func:`write`)."""
    return "".join(iter_text(events, fmt))


def write(events: Iterable[Event], path: str | os.PathLike[str], fmt: str | None = None) -> Path:
    """Write the events to ``path`` atomically; the format comes from ``fmt`` or the suffix. The
    events are read one at a time (GeoParquet and GeoPackage a chunk at a time)."""
    target = Path(path)
    fmt = fmt or format_for(target)
    if fmt in GIS_FORMATS:
        return write_gis(events, target, fmt)
    return write_text(iter_text(events, fmt), target, newline="" if fmt == "csv" else None)


def to_geodataframe(events: Iterable[Event]):  # -> geopandas.GeoDataFrame
    """The events as a GeoDataFrame in WGS84: the CSV's columns (ACLED-like, one row per event), the
    GeoJSON's ``place``/``review`` fields, the sources as a JSON text column, and a point geometry."""
    import geopandas as gpd
    from shapely.geometry import Point

    rows, geoms = [], []
    for ev in events:
        row = event_to_row(ev)
        row["place"] = ev.place
        row["place_mention"] = ev.place_mention
        row["date_uncertain"] = bool(ev.date_uncertain)
        row["confidence"] = round(float(ev.confidence), 3)
        row["sources_json"] = json.dumps(event_to_feature(ev)["properties"]["sources"], ensure_ascii=False)
        rows.append({k: _clean(v) for k, v in row.items()})
        lon, lat = _coord(ev.lon), _coord(ev.lat)
        geoms.append(None if lon is None or lat is None else Point(lon, lat))
    columns = list(CSV_COLUMNS) + ["place", "place_mention", "date_uncertain", "confidence", "sources_json"]
    frame = gpd.GeoDataFrame(rows, columns=columns, geometry=geoms, crs="EPSG:4326")
    for col in ("fatalities", "arrests"):
        frame[col] = frame[col].astype("Int64")
    return frame


@contextmanager
def _replacing(path: str | os.PathLike[str], suffix: str) -> Iterator[str]:
    """A temporary file in the target's folder for the block to write; it then replaces the target,
    so a reader never sees a half-written file, and a failure leaves the previous file as it was."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ValueError(f"{target}: folder {folder} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=folder)
    os.close(fd)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _arrow_schema(frame):  # -> pyarrow.Schema
    """The Arrow schema of an events frame from its column types, not its values: a column that is
    empty in one chunk (no fatalities yet) keeps the type it has in the others."""
    import pyarrow as pa

    types = {"Int64": pa.int64(), "int64": pa.int64(), "float64": pa.float64(), "bool": pa.bool_()}
    fields = [pa.field(col, types.get(str(frame[col].dtype), pa.string())) for col in frame.columns
              if col != "geometry"]
    geo = {"version": "1.0.0", "primary_column": "geometry",
           "columns": {"geometry": {"encoding": "WKB", "geometry_types": ["Point"],
                                    "crs": frame.crs.to_json_dict()}}}
    return pa.schema(fields + [pa.field("geometry", pa.binary())], metadata={b"geo": json.dumps(geo).encode()})


def _write_geoparquet(events: Iterable[Event], tmp: str, chunk: int) -> None:
    """GeoParquet (1.0: WKB points in WGS84) written one row group of ``chunk`` events at a time, so a
    store of any size is exported in bounded memory."""
    import itertools

    import pyarrow as pa
    import pyarrow.parquet as pq
    import shapely

    stream = iter(events)
    writer = None
    try:
        while True:
            part = list(itertools.islice(stream, chunk))
            if part or writer is None:
                frame = to_geodataframe(part)
                schema = _arrow_schema(frame)
                table = pa.Table.from_pandas(frame.drop(columns="geometry"), schema=pa.schema(list(schema)[:-1]),
                                             preserve_index=False)
                wkb = shapely.to_wkb(frame.geometry.values, output_dimension=2)
                table = table.append_column(schema.field("geometry"), pa.array(list(wkb), pa.binary()))
                if writer is None:
                    writer = pq.ParquetWriter(tmp, schema)
                writer.write_table(table.replace_schema_metadata(schema.metadata))
            if len(part) < chunk:
                break
    finally:
        if writer is not None:
            writer.close()


def write_gis(events: Iterable[Event], path: str | os.PathLike[str], fmt: str, chunk: int = 20_000) -> Path:
    """GeoParquet or GeoPackage (layer ``events``), written atomically (:func:`_replacing`), ``chunk``
    events at a time (a Parquet row group, or rows appended to the GeoPackage), so a store of any size
    fits in memory."""
    import itertools

    if fmt not in GIS_FORMATS:
        raise ValueError(f"unknown GIS format {fmt!r}; use geoparquet or gpkg")
    target = Path(path)
    with _replacing(target, target.suffix) as tmp:
        if fmt == "geoparquet":
            _write_geoparquet(events, tmp, chunk)
        else:
            os.unlink(tmp)  # GDAL creates the GeoPackage itself
            stream = iter(events)
            first = True
            while True:
                part = list(itertools.islice(stream, chunk))
                if part or first:
                    to_geodataframe(part).to_file(tmp, layer="events", driver="GPKG", engine="pyogrio",
                                                  mode="w" if first else "a")
                    first = False
                if len(part) < chunk:
                    break
    return target


def write_text(text: str | Iterable[str], path: str | os.PathLike[str], newline: str | None = None) -> Path:
    """Write UTF-8 text (a string, or its pieces) to ``path`` atomically (:func:`_replacing`)."""
    with _replacing(path, ".tmp") as tmp:
        with open(tmp, "w", encoding="utf-8", newline=newline) as fh:
            for piece in [text] if isinstance(text, str) else text:
                fh.write(piece)
            fh.flush()
            os.fsync(fh.fileno())
    return Path(path)
