"""Folium map of events: an offline base map plus one dynamic layer of events.

The base map (country and region outlines from ``data/``, the legend, an
optional online tile layer) depends only on the store's date range, so it is
byte-identical across reruns and streamlit-folium keeps the same Leaflet map
(zoom and pan survive). Everything that changes with the slider and filters
is in ``event_layer()``, a FeatureGroup the app passes as
``feature_group_to_add``: one compact JSON payload drawn by a small script,
not thousands of Folium objects, so a slider step stays cheap.

Every string that comes from an article is HTML-escaped here, in Python
(``popup_html``/``tooltip_html``), before it reaches the browser; links are
only emitted for http(s) URLs.
"""
from __future__ import annotations

import heapq
import html
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import folium
import numpy as np
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from geo import webassets
from geo.boundaries import country_outlines, region_geometry, region_outlines, vintage_for
from geo.merge import corroboration
from geo.model import Event
from geo.taxonomy import EVENT_TYPES

CENTER = (48.0, 67.0)  # Kazakhstan
ZOOM = 4
MAP_JS = webassets.LOCAL_JS + webassets.CLUSTER_JS
MAP_CSS = webassets.LOCAL_CSS + webassets.CLUSTER_CSS
# Above this many point markers the layer clusters them (MarkerCluster)...
CLUSTER_THRESHOLD = 200
# ...and above this many it aggregates them on the server into grid cells
# (one marker per cell, sized by its number of events, popup with the most
# corroborated ones), so a slider step ships kilobytes, not megabytes.
AGGREGATE_THRESHOLD = 1500
CELL_DEGREES = 0.25
EVENTS_PER_CELL_POPUP = 5
MAX_SOURCES_IN_POPUP = 8


# ---------------------------------------------------------------- escaping

def esc(text: object) -> str:
    """HTML-escape any value (None becomes an empty string)."""
    return html.escape("" if text is None else str(text), quote=True)


def safe_url(url: str | None) -> str | None:
    """The URL if it is plain http(s), else None (no javascript:, data: ...)."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url
    return None


def date_span(ev: Event) -> str:
    """"2022-01-05" or "2022-01-04 – 2022-01-06"."""
    return ev.date_start if ev.date_start == ev.date_end else f"{ev.date_start} – {ev.date_end}"


def type_label(event_type: str) -> str:
    t = EVENT_TYPES.get(event_type)
    return t.label if t else event_type


def type_color(event_type: str) -> str:
    t = EVENT_TYPES.get(event_type)
    return t.color if t else "#777777"


def place_label(ev: Event) -> str:
    """Place as users read it: site, town, region, country."""
    parts = [ev.site] if ev.site else []
    parts.append(ev.place)
    if ev.admin1 and ev.admin1 != ev.place:
        parts.append(ev.admin1)
    if ev.country and ev.level != "country":
        parts.append(ev.country)
    return ", ".join(p for p in parts if p)


def popup_html(ev: Event) -> str:
    """The popup of one event; every article-derived string is escaped."""
    n = corroboration(ev)
    facts = [
        f"<b>{esc(type_label(ev.event_type))}</b> · {esc(date_span(ev))}",
        f"Precision: {esc(ev.level)} / {esc(ev.time_precision)}"
        + (" · date uncertain" if ev.date_uncertain else "")
        + (" · historical" if ev.historical else ""),
        f"Reported by {n} source{'s' if n != 1 else ''} · confidence {ev.confidence:.2f}",
    ]
    if ev.fatalities is not None:
        facts.append(f"Fatalities: {esc(ev.fatalities)}")
    if ev.arrests is not None:
        facts.append(f"Arrests: {esc(ev.arrests)}")
    if ev.place_mention and ev.place_mention != ev.place:
        facts.append(f"Named in the text as “{esc(ev.place_mention)}”")
    if ev.review != "unreviewed":
        who = f" by {esc(ev.reviewed_by)}" if ev.reviewed_by else ""
        note = f": {esc(ev.review_note)}" if ev.review_note else ""
        facts.append(f'<span class="ev-review">Review: {esc(ev.review)}{who}{note}</span>')
    facts.append(f'<span class="ev-id">Event {esc(ev.event_id)}</span>')
    items = []
    for src in ev.sources[:MAX_SOURCES_IN_POPUP]:
        title = esc(src.title or src.doc)
        url = safe_url(src.url)
        head = (
            f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{title}</a>' if url else title
        )
        meta = ", ".join(esc(x) for x in (src.publisher, src.published, src.doc) if x)
        items.append(
            f'<li>{head}<div class="ev-meta">{meta}</div>'
            f'<blockquote class="ev-evidence">{esc(src.evidence)}</blockquote></li>'
        )
    more = len(ev.sources) - MAX_SOURCES_IN_POPUP
    if more > 0:
        items.append(f"<li>… and {more} more (see the table)</li>")
    return (
        f'<div class="ev-popup"><div class="ev-place">{esc(place_label(ev))}</div>'
        + "".join(f"<div>{f}</div>" for f in facts)
        + f'<ol class="ev-sources">{"".join(items)}</ol></div>'
    )


def tooltip_html(ev: Event) -> str:
    """Place and type, escaped."""
    return f"{esc(ev.site or ev.place)} · {esc(type_label(ev.event_type))}"


def marker_radius(n_sources: int) -> float:
    """Circle radius in pixels, growing with the square root of corroborating sources."""
    return round(5.0 + 3.0 * math.sqrt(max(n_sources, 1) - 1), 1)


# ---------------------------------------------------------------- layers

POINT, REGION, LISTED = 0, 1, 2  # how an event is drawn: a dot, its region's polygon, or listed beside


def geometry_kind(ev: Event) -> int:
    """POINT, REGION or LISTED -- how an event can be drawn honestly.

    A region-level event whose polygon is unknown is listed with the
    country-level ones rather than drawn as a misleading dot.
    """
    if ev.level in ("city", "site"):
        return POINT
    if ev.level == "region" and region_geometry(ev.region_code, ev.date_start) is not None:
        return REGION
    return LISTED


def geometry_kinds(events: Sequence[Event]) -> np.ndarray:
    """``geometry_kind`` of each event as an array (computed once per filtered pool, see MapIndex)."""
    return np.fromiter((geometry_kind(ev) for ev in events), dtype=np.int8, count=len(events))


def split_by_geometry(events: Iterable[Event]) -> tuple[list[Event], list[Event], list[Event]]:
    """(points, regions, country-level), by ``geometry_kind``."""
    out: tuple[list[Event], list[Event], list[Event]] = ([], [], [])
    for ev in events:
        out[geometry_kind(ev)].append(ev)
    return out


def layer_payload(events: Sequence[Event], label: str = "", split: tuple | None = None,
                  index: MapIndex | None = None, point_rows: np.ndarray | None = None,
                  region_rows: np.ndarray | None = None) -> dict:
    """The JSON the event layer draws: point and polygon FeatureCollections.

    Properties are short (c colour, r radius, p popup, t tooltip, k type, i id)
    because this is what travels to the browser on every slider step. ``split``
    is ``split_by_geometry(events)`` when the caller already has it. With
    ``index`` (a MapIndex of the list the events were taken from) and the rows of
    the points and the regions in that list, the points' cells and the regions'
    groups are made with numpy: the same features, without a pass over each event.
    """
    points, regions, _ = split or split_by_geometry(events)

    def props(ev: Event) -> dict:
        return {
            "i": ev.event_id,
            "k": ev.event_type,
            "c": type_color(ev.event_type),
            "r": marker_radius(corroboration(ev)),
            "p": popup_html(ev),
            "t": tooltip_html(ev),
        }

    if len(points) > AGGREGATE_THRESHOLD:
        grouped = index.aggregate(point_rows) if index is not None and point_rows is not None \
            else aggregate_cells(points)
        pts = [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": p}
            for lat, lon, p in grouped
        ]
    else:
        pts = [
            {"type": "Feature",
             "geometry": {"type": "Point", "coordinates": [round(ev.lon, 5), round(ev.lat, 5)]},
             "properties": props(ev)}
            for ev in points
        ]
    # One polygon per region and layout: identical stacked polygons would hide each other.
    polys = []
    if index is not None and region_rows is not None:
        for grp in index.regions.summarize(region_rows):
            ev = index.regions.events[grp.first]
            properties = props(ev) if grp.n == 1 else \
                _group_properties(grp.n, grp.by_type, grp.best_popups, ev.admin1 or ev.place)
            polys.append({"type": "Feature", "geometry": region_geometry(ev.region_code, ev.date_start),
                          "properties": properties})
    else:
        by_region: dict[tuple[str, str], list[Event]] = {}
        for ev in regions:
            by_region.setdefault((ev.region_code or "", vintage_for(ev.date_start)), []).append(ev)
        for evs in by_region.values():
            geometry = region_geometry(evs[0].region_code, evs[0].date_start)
            properties = props(evs[0]) if len(evs) == 1 else group_properties(evs, evs[0].admin1 or evs[0].place)
            polys.append({"type": "Feature", "geometry": geometry, "properties": properties})
    return {
        "points": {"type": "FeatureCollection", "features": pts},
        "polygons": {"type": "FeatureCollection", "features": polys},
        "cluster": len(pts) > CLUSTER_THRESHOLD,
        "window": label,
    }


def group_properties(evs: Sequence[Event], where: str) -> dict:
    """Marker/polygon properties for several events drawn as one shape.

    Colour of the most frequent type, radius growing with the square root of
    the count, a popup with counts by type and the most corroborated events
    with their evidence (escaped like every other popup).
    """
    by_type: dict[str, int] = {}
    for e in evs:
        by_type[e.event_type] = by_type.get(e.event_type, 0) + 1
    best = heapq.nsmallest(EVENTS_PER_CELL_POPUP, evs, key=lambda e: (-corroboration(e), e.date_start))
    return _group_properties(len(evs), by_type, [popup_html(e) for e in best], where)


def _group_properties(n: int, by_type: dict[str, int], best_popups: list[str], where: str) -> dict:
    """``group_properties`` from its parts: ``by_type`` in the order the types first occur,
    ``best_popups`` the popups of the most corroborated events (shared by the numpy path)."""
    top_type = max(by_type, key=lambda t: (by_type[t], t))
    counts = " · ".join(f"{c} {esc(type_label(t))}" for t, c in sorted(by_type.items(), key=lambda x: -x[1]))
    popup = (
        f'<div class="ev-popup"><div class="ev-place">{esc(where)}</div>'
        f"<div><b>{n} events</b> here: {counts}</div>"
        f"<div>Most corroborated (all are in the table below the map):</div>"
        + "".join(best_popups) + "</div>"
    )
    return {"i": "", "k": top_type, "c": type_color(top_type),
            "r": round(min(30.0, 6.0 + 2.0 * math.sqrt(n)), 1),
            "p": popup, "t": f"{esc(where)} · {n} events", "n": n}


def cell_where(towns: Sequence[str]) -> str:
    """A cell's name: its first three places (sorted) and how many more."""
    return ", ".join(towns[:3]) + (f" and {len(towns) - 3} more places" if len(towns) > 3 else "")


def aggregate_cells(points: Sequence[Event], cell: float = CELL_DEGREES) -> list[tuple[float, float, dict]]:
    """Group point events into grid cells: (lat, lon, properties) per cell, in the order the cells
    first occur.

    The marker sits at the mean position of its events, takes the colour of
    the most frequent type, grows with the square root of the event count,
    and its popup gives counts by type and the most corroborated events with
    their evidence (escaped like every other popup). ``MapIndex.aggregate``
    gives the same for a slider step without a Python pass over the events.
    """
    cells: dict[tuple[int, int], list[Event]] = {}
    for ev in points:
        cells.setdefault((math.floor(ev.lat / cell), math.floor(ev.lon / cell)), []).append(ev)
    out = []
    for evs in cells.values():
        lat_sum = lon_sum = 0.0
        places = set()
        for e in evs:
            lat_sum += e.lat
            lon_sum += e.lon
            places.add(e.place)
        lat = round(lat_sum / len(evs), 5)
        lon = round(lon_sum / len(evs), 5)
        out.append((lat, lon, group_properties(evs, cell_where(sorted(places)))))
    return out


@dataclass(frozen=True)
class Group:
    """What the map needs of several events drawn as one shape (see GroupIndex.summarize)."""

    first: int  # row of the group's first event
    n: int
    lat: float  # mean position, rounded as aggregate_cells rounds it
    lon: float
    by_type: dict[str, int]  # in the order the types first occur
    best_popups: list[str]  # popups of the EVENTS_PER_CELL_POPUP most corroborated events
    places: list[str]  # sorted, distinct


class GroupIndex:
    """Events of a fixed list (the pool under the sidebar filters) in fixed groups -- grid cells
    of points, or regions -- as columns, so a slider step summarizes the groups of the events it
    shows with numpy instead of a Python pass over each of them.

    Why: on 200,000 events the "up to that day" mode shows about 190,000 points and 19,000
    region events, and grouping them in Python took most of a step's server time (about 0.6 s of
    a 0.65 s step). Built once per store state and filters (the app caches it for every viewer);
    ``summarize`` gives what the Python grouping gives, group for group, in the same order.
    """

    def __init__(self, events: Sequence[Event], group: np.ndarray):
        self.events = events
        self.group = np.asarray(group, dtype=np.int64)  # -1: in no group
        rows = np.flatnonzero(self.group >= 0)
        n = len(events)
        self.n_groups = int(self.group.max(initial=-1)) + 1
        self.lat, self.lon = np.zeros(n), np.zeros(n)
        self.lat[rows] = [events[r].lat for r in rows]
        self.lon[rows] = [events[r].lon for r in rows]
        self.types = sorted({events[r].event_type for r in rows})
        type_pos = {t: i for i, t in enumerate(self.types)}
        self.type_ix = np.zeros(n, dtype=np.int64)
        self.type_ix[rows] = [type_pos[events[r].event_type] for r in rows]
        self.places = sorted({events[r].place or "" for r in rows})
        place_pos = {p: i for i, p in enumerate(self.places)}
        self.place_ix = np.zeros(n, dtype=np.int64)
        self.place_ix[rows] = [place_pos[events[r].place or ""] for r in rows]
        # popup order: by group, most corroborated first, then earliest, then list order (heapq.nsmallest's)
        corr = np.array([corroboration(events[r]) for r in rows], dtype=np.int64)
        _, start_rank = np.unique(np.array([events[r].date_start for r in rows], dtype=str), return_inverse=True)
        self.ranked = rows[np.lexsort((rows, start_rank.reshape(-1), -corr, self.group[rows]))]
        # the same rows ordered by group and type, and by group and place (then row): a step keeps
        # the shown ones in these orders, which needs no sort of its own
        self.by_type = rows[np.lexsort((rows, self.type_ix[rows], self.group[rows]))]
        self.by_place = rows[np.lexsort((rows, self.place_ix[rows], self.group[rows]))]
        self._popups: dict[int, str] = {}

    def _popup(self, row: int) -> str:
        text = self._popups.get(row)
        if text is None:
            text = self._popups[row] = popup_html(self.events[row])
        return text

    def summarize(self, rows: np.ndarray) -> list[Group]:
        """The groups of the events at ``rows`` (ascending rows, all in a group), in the order
        their first events come."""
        r = np.asarray(rows, dtype=np.int64)
        if not len(r):
            return []
        g = self.group[r]
        k = self.n_groups
        count = np.bincount(g, minlength=k)
        lat_sum = np.bincount(g, weights=self.lat[r], minlength=k)  # summed in row order, as in Python
        lon_sum = np.bincount(g, weights=self.lon[r], minlength=k)
        shown = np.zeros(len(self.events), dtype=bool)
        shown[r] = True

        def runs(ordered: np.ndarray, *keys: np.ndarray) -> np.ndarray:
            """Where a new (keys) value starts in rows ``ordered`` by those keys."""
            change = np.zeros(len(ordered), dtype=bool)
            change[:1] = True
            for key in keys:
                change[1:] |= key[ordered[1:]] != key[ordered[:-1]]
            return np.flatnonzero(change)

        # types per group, in the order they first occur there
        typed = self.by_type[shown[self.by_type]]
        heads = runs(typed, self.group, self.type_ix)
        sizes = np.diff(np.r_[heads, len(typed)])
        firsts = typed[heads]
        by_type: dict[int, dict[str, int]] = {}
        for at in np.lexsort((firsts, self.group[firsts])).tolist():
            row = int(firsts[at])
            by_type.setdefault(int(self.group[row]), {})[self.types[self.type_ix[row]]] = int(sizes[at])
        # the groups in the order their first events come: a group's first event is its types' first
        present = self.group[firsts]
        first_row = np.full(k, len(self.events), dtype=np.int64)
        np.minimum.at(first_row, present, firsts)
        groups = np.unique(present)
        groups = groups[np.argsort(first_row[groups], kind="stable")]
        # places per group, sorted by name (place indices follow the names)
        placed = self.by_place[shown[self.by_place]]
        places: dict[int, list[str]] = {}
        for row in placed[runs(placed, self.group, self.place_ix)].tolist():
            places.setdefault(int(self.group[row]), []).append(self.places[self.place_ix[row]])
        ranked = self.ranked[shown[self.ranked]]
        rg = self.group[ranked]
        heads = np.flatnonzero(np.r_[True, rg[1:] != rg[:-1]])
        pos = np.arange(len(ranked)) - np.repeat(heads, np.diff(np.r_[heads, len(ranked)]))
        keep = pos < EVENTS_PER_CELL_POPUP
        best: dict[int, list[str]] = {}
        for row, grp in zip(ranked[keep].tolist(), rg[keep].tolist()):
            best.setdefault(grp, []).append(self._popup(row))
        out = []
        for grp in groups.tolist():
            n = int(count[grp])
            out.append(Group(int(first_row[grp]), n, round(float(lat_sum[grp]) / n, 5),
                             round(float(lon_sum[grp]) / n, 5), by_type[grp], best[grp], places[grp]))
        return out


def _dense(keys: list) -> np.ndarray:
    """Hashable keys (None: no group) as group numbers 0, 1, ... (-1 for None)."""
    ids: dict = {}
    return np.array([-1 if key is None else ids.setdefault(key, len(ids)) for key in keys], dtype=np.int64)


class MapIndex:
    """The point cells and the region groups of a fixed list of events (see GroupIndex), for
    ``layer_payload``: built once per store state and filters, used by every slider step."""

    def __init__(self, events: Sequence[Event], kinds: np.ndarray, cell: float = CELL_DEGREES):
        kinds = np.asarray(kinds)
        self.cells = GroupIndex(events, _dense([
            (math.floor(ev.lat / cell), math.floor(ev.lon / cell)) if k == POINT else None
            for ev, k in zip(events, kinds.tolist())]))
        self.regions = GroupIndex(events, _dense([
            (ev.region_code or "", vintage_for(ev.date_start)) if k == REGION else None
            for ev, k in zip(events, kinds.tolist())]))

    def aggregate(self, point_rows: np.ndarray) -> list[tuple[float, float, dict]]:
        """``aggregate_cells`` of the point events at ``point_rows``."""
        return [(grp.lat, grp.lon, _group_properties(grp.n, grp.by_type, grp.best_popups, cell_where(grp.places)))
                for grp in self.cells.summarize(point_rows)]


_JS_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "_": "\\u005f",
               "{": "\\u007b", "}": "\\u007d", "\u2028": "\\u2028", "\u2029": "\\u2029"}


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_UNSAFE = re.compile(r'[<>&_{}\u2028\u2029]')


def js_literal(data: object) -> str:
    """JSON as a JavaScript literal safe inside <script> and inside streamlit-folium's rewriting.

    Inside strings, ``<``/``>``/``&`` become ``\\u003c``... so no text can close
    the script element, and ``_`` and braces are escaped so streamlit-folium's
    variable renaming and template resolution (regexes over the whole script)
    can never touch the data. JSON punctuation outside strings holds none of
    these except object braces, which stay as they are.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return _STRING.sub(lambda m: _UNSAFE.sub(lambda c: _JS_ESCAPES[c.group()], m.group()), text)


class _Text(Element):
    """Text a figure renders as it is.

    Why: branca's ``MacroElement.render`` wraps each rendered script in ``Element(text)``,
    which compiles the text as a Jinja template -- for the event layer, its whole payload
    (110 kB on the seeds, 300 kB at 200,000 events) on every rerun, for an output that is
    the text itself (6 ms of a seeds step's 40 ms of server time).
    """

    def __init__(self, text: str):
        super().__init__()
        self._text = text[:-1] if text.endswith("\n") else text  # as Jinja drops one trailing newline

    def render(self, **kwargs) -> str:
        return self._text


class EventLayer(MacroElement):
    """Draws ``layer_payload()`` into its parent FeatureGroup with plain Leaflet."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function() {
  var group = {{ this._parent.get_name() }};
  var data = {{ this.payload }};
  function bind(f, layer) {
    layer.bindPopup(f.properties.p, {maxWidth: 380, className: "ev-popup-wrap"});
    layer.bindTooltip(f.properties.t, {sticky: true});
  }
  var polygons = L.geoJSON(data.polygons, {
    style: function(f) {
      return {color: f.properties.c, weight: 2, dashArray: "6 4", fillColor: f.properties.c, fillOpacity: 0.18};
    },
    onEachFeature: bind
  });
  group.addLayer(polygons);
  var points = L.geoJSON(data.points, {
    pointToLayer: function(f, latlng) {
      return L.circleMarker(latlng, {radius: f.properties.r, color: "#222", weight: 1,
                                     fillColor: f.properties.c, fillOpacity: 0.85, className: "ev-marker"});
    },
    onEachFeature: bind
  });
  if (data.cluster && L.markerClusterGroup) {
    var cluster = L.markerClusterGroup({chunkedLoading: true, showCoverageOnHover: false,
                                        maxClusterRadius: 45});
    cluster.addLayer(points);
    group.addLayer(cluster);
  } else {
    group.addLayer(points);
  }
  window.geoEventData = data;  // what is drawn, clustered markers included (read by the browser tests)
  window.geoEventCount = data.points.features.length + data.polygons.features.length;
  window.geoEventWindow = data.window;
})();
{% endmacro %}
"""
    )

    def __init__(self, events: Sequence[Event], label: str = "", split: tuple | None = None,
                 index: MapIndex | None = None, point_rows: np.ndarray | None = None,
                 region_rows: np.ndarray | None = None):
        super().__init__()
        self._name = "EventLayer"
        self.payload = js_literal(layer_payload(events, label, split, index, point_rows, region_rows))

    def render(self, **kwargs) -> None:
        """As MacroElement.render (the layer has a script and no children), without compiling
        the rendered script as a template (see _Text)."""
        figure = self.get_root()
        assert isinstance(figure, Figure), "You cannot render this Element if it is not in a Figure."
        figure.script.add_child(_Text(self._template.module.script(self, kwargs)), name=self.get_name())


def event_layer(events: Sequence[Event], label: str = "", split: tuple | None = None,
                index: MapIndex | None = None, point_rows: np.ndarray | None = None,
                region_rows: np.ndarray | None = None) -> folium.FeatureGroup:
    """The dynamic layer for streamlit-folium's ``feature_group_to_add``.

    ``label`` (the date window) is published as ``window.geoEventWindow`` in
    the map's page once drawn: it makes every slider step a new layer and
    lets tests and the benchmark see when the browser has caught up.
    ``split``: ``split_by_geometry(events)``, when the caller has it already;
    ``index``, ``point_rows``, ``region_rows``: see ``layer_payload``.
    """
    group = folium.FeatureGroup(name="Events", control=False)
    group.add_child(EventLayer(events, label, split, index, point_rows, region_rows))
    return group


class StaticGeoJson(folium.map.Layer):
    """A non-interactive outline layer (basemap) in a pane of its own below the events.

    In the dashboard the data is fetched once from ``url`` (a file under static/,
    webassets.ensure_static): the map's script stays a few kilobytes, so every
    rerun renders and ships less. A downloaded snapshot inlines ``data_js`` instead.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
if (!{{ this._parent.get_name() }}.getPane({{ this.pane_js }})) {
  {{ this._parent.get_name() }}.createPane({{ this.pane_js }}).style.zIndex = {{ this.z_index }};
}
var {{ this.get_name() }} = L.geoJSON({{ this.data_js }}, {
  interactive: false, pane: {{ this.pane_js }},
  style: {{ this.style_js }}
});
{% if this.url_js %}
fetch({{ this.url_js }}).then(function(r) { return r.json(); })
  .then(function(d) { {{ this.get_name() }}.addData(d); });
{% endif %}
{% endmacro %}
"""
    )

    def __init__(self, name: str, style: dict, pane: str, z_index: int, data_js: str = "null",
                 url: str | None = None, show: bool = True):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "StaticGeoJson"
        self.data_js = data_js
        self.url_js = json.dumps(url) if url else ""
        self.pane_js = json.dumps(pane)
        self.z_index = int(z_index)  # Leaflet's tiles are at 200, vectors at 400
        self.style_js = json.dumps(style)


class Legend(MacroElement):
    """Legend: colours per event type, what sizes and dashed polygons mean. It folds to one line
    (click "Legend"), and starts folded on a map narrower than 700 px, where it would hide events."""

    _template = Template(
        """
{% macro html(this, kwargs) %}
<details class="ev-legend" id="ev-legend" open>
  <summary class="ev-legend-title">Legend</summary>
  {% for label, color in this.items %}
  <div><span class="ev-swatch" style="background:{{ color }}"></span>{{ label }}</div>
  {% endfor %}
  <div class="ev-legend-note">Circle size: number of sources<br>(of events, where events are grouped)<br>Dashed area: region-level event(s)<br>
  Numbered bubbles: clusters of events</div>
</details>
{% endmacro %}
{% macro script(this, kwargs) %}
(function() {
  var legend = document.getElementById("ev-legend");
  if (legend && {{ this._parent.get_name() }}.getSize().x < 700) { legend.open = false; }
})();
{% endmacro %}
{% macro header(this, kwargs) %}
<style>
.ev-legend {position:absolute; z-index:1000; bottom:22px; right:10px; background:rgba(255,255,255,0.92);
  padding:6px 9px; border-radius:4px; font:12px/1.45 sans-serif; box-shadow:0 1px 4px rgba(0,0,0,.3);}
.ev-legend-title {font-weight:bold; margin-bottom:2px; cursor:pointer;}
.ev-legend:not([open]) .ev-legend-title {margin-bottom:0;}
.ev-legend-note {margin-top:4px; color:#444; font-size:11px;}
.ev-swatch {display:inline-block; width:11px; height:11px; border-radius:50%; margin-right:6px;
  border:1px solid #222; vertical-align:-1px;}
.ev-popup {font:12px/1.4 sans-serif; max-height:280px; overflow-y:auto;}
.ev-place {font-weight:bold; font-size:13px; margin-bottom:2px;}
.ev-sources {padding-left:18px; margin:6px 0 0 0;}
.ev-meta {color:#555; font-size:11px;}
.ev-evidence {margin:2px 0 6px 0; padding-left:6px; border-left:3px solid #ccc; color:#222;}
.leaflet-container {background:#dfe9f2;}
</style>
{% endmacro %}
"""
    )

    def __init__(self):
        super().__init__()
        self._name = "Legend"
        self.items = [(t.label, t.color) for t in EVENT_TYPES.values()]


@lru_cache(maxsize=4)
def _outline_js(kind: str) -> str:
    data = country_outlines() if kind == "countries" else region_outlines(kind)
    return js_literal(data)


def outline_vintage(date_range: tuple[str, str] | None) -> str:
    """Region layout for the base map: the one in force at the start of the store's range."""
    return vintage_for(date_range[0]) if date_range else "2018"


def base_map(date_range: tuple[str, str] | None = None, inline: bool = False) -> folium.Map:
    """The map everything is drawn on; identical for identical ``date_range``.

    No tile layer by default (offline): country and region outlines are the
    basemap, fetched from static/ (``inline`` puts them in the page, for a
    self-contained snapshot); OpenStreetMap tiles are an optional, unticked layer.
    """
    m = folium.Map(location=list(CENTER), zoom_start=ZOOM, tiles=None, prefer_canvas=True,
                   control_scale=True, min_zoom=2, max_zoom=14)
    m.default_js = list(MAP_JS)
    m.default_css = list(MAP_CSS)
    folium.TileLayer(
        "OpenStreetMap", name="OpenStreetMap tiles (online)", overlay=True, show=False, control=True,
    ).add_to(m)
    vintage = outline_vintage(date_range)

    def source(kind: str) -> dict:
        return {"data_js": _outline_js(kind)} if inline else {"url": webassets.outline_url(kind)}

    StaticGeoJson("Country outlines (offline)",
                  {"color": "#6b6b6b", "weight": 1, "fillColor": "#f4f1ea", "fillOpacity": 1},
                  pane="countries", z_index=250, **source("countries")).add_to(m)
    StaticGeoJson(f"Kazakhstan regions ({vintage} layout)",
                  {"color": "#9a8f7a", "weight": 1, "dashArray": "3 3", "fill": False},
                  pane="regions", z_index=260, **source(vintage)).add_to(m)
    Legend().add_to(m)
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    return m


def asset_links(m: folium.Map) -> tuple[list[str], list[str]]:
    """All JS and CSS URLs the map and its children ask for (what streamlit-folium loads)."""
    js: list[str] = []
    css: list[str] = []

    def walk(el):
        js.extend(url for _, url in getattr(el, "default_js", []))
        css.extend(url for _, url in getattr(el, "default_css", []))
        for child in getattr(el, "_children", {}).values():
            walk(child)

    walk(m)
    return list(dict.fromkeys(js)), list(dict.fromkeys(css))


def snapshot_html(events: Sequence[Event], date_range: tuple[str, str] | None = None, label: str = "") -> str:
    """A self-contained HTML page of the map (assets inlined), for download."""
    m = base_map(date_range, inline=True)
    event_layer(events, label).add_to(m)
    page = m.get_root().render()

    def inline_js(match: re.Match) -> str:
        body = webassets.inline_text(match.group(1)).replace("</script", "<\\/script")
        return f"<script>{body}</script>"

    def inline_css(match: re.Match) -> str:
        return f"<style>{webassets.inline_text(match.group(1))}</style>"

    prefix = re.escape(webassets.URL_PREFIX)
    page = re.sub(rf'<script src="({prefix}[^"]+)"></script>', inline_js, page)
    page = re.sub(rf'<link rel="stylesheet" href="({prefix}[^"]+)"/>', inline_css, page)
    return page
