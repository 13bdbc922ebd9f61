"""Map building: offline assets only, escaping, honest geometry, a base map stable across reruns."""
from __future__ import annotations

import json
import re

import shapely.geometry
from streamlit_folium import _get_map_string, generate_js_hash

from geo import boundaries, mapview, webassets
from tests.conftest import make_event

XSS = '<script>alert(1)</script><img src=x onerror="alert(2)">'
ASSET_URL = re.compile(r'<(?:script[^>]*\ssrc|link[^>]*\shref)="([^"]+)"', re.I)


def test_base_map_loads_no_asset_from_the_internet():
    m = mapview.base_map(("2022-01-01", "2022-01-10"))
    mapview.event_layer([make_event()]).add_to(m)
    html = m.get_root().render()
    urls = ASSET_URL.findall(html)
    assert urls, "the page must load Leaflet from somewhere"
    assert all(u.startswith("/app/static/") for u in urls), urls
    js, css = mapview.asset_links(m)
    assert js[0].endswith("leaflet/leaflet.js") and any("jquery" in u for u in js)
    assert not [u for u in js + css if re.match(r"(https?:)?//", u)]
    # Absolute URLs left: the optional (unticked) OpenStreetMap tile layer, its attribution
    # link, and the event's own source link (an <a>, loaded only if the user clicks it).
    absolute = set(re.findall(r"https?://[^\s\"'<>\\]+", html))
    assert absolute and all(("openstreetmap.org" in u) or u.startswith("https://example.org/")
                            for u in absolute), absolute


def test_every_local_asset_exists_after_ensure_static(tmp_path):
    written = webassets.ensure_static(tmp_path)
    assert "leaflet/leaflet.js" in written
    assert webassets.ensure_static(tmp_path) == []  # second call: nothing to do
    js, css = mapview.asset_links(mapview.base_map())
    for url in js + css:
        f = tmp_path / url[len(webassets.URL_PREFIX):]
        assert f.is_file() and f.stat().st_size > 500, url
    assert (tmp_path / "leaflet/images/layers.png").is_file()  # leaflet.css refers to it
    assert "L.MarkerClusterGroup" in (tmp_path / "markercluster/leaflet.markercluster.js").read_text()


def test_base_map_is_identical_across_reruns_whatever_the_events():
    """streamlit-folium remounts the map when this hash changes: it must not depend on events."""
    hashes = set()
    for events in ([make_event()], [make_event("Almaty", "riot")] * 3, []):
        m = mapview.base_map(("2022-01-01", "2022-01-10"))
        m.get_root().render()
        hashes.add(generate_js_hash(_get_map_string(m), "events_map"))
        mapview.event_layer(events)
    assert len(hashes) == 1


def test_popup_escapes_article_text_and_links_only_http():
    ev = make_event(evidence="Crowd said " + XSS, place_mention=XSS)
    ev.sources[0].title = XSS
    ev.sources[0].url = "javascript:alert(3)"
    html = mapview.popup_html(ev)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "javascript:" not in html
    ev.sources[0].url = 'https://example.org/a"onmouseover="x'
    html = mapview.popup_html(ev)
    assert 'href="https://example.org/a&quot;onmouseover=&quot;x"' in html
    tip = mapview.tooltip_html(make_event(place="Aktau", site=XSS))
    assert "<img" not in tip and "&lt;img" in tip


def test_popup_shows_place_dates_type_precision_evidence_and_corroboration():
    ev = make_event("Zhanaozen", "strike", "2022-01-02", "2022-01-05", doc=["a.txt", "b.txt"],
                    evidence="Oil workers walked out in Zhanaozen.")
    html = mapview.popup_html(ev)
    for text in ("Zhanaozen", "2022-01-02 – 2022-01-05", "Strike", "city / day",
                 "Oil workers walked out in Zhanaozen.", "Reported by 2 sources", "Title of b.txt",
                 'href="https://example.org/a.txt"', "Pub"):
        assert text in html, text


def test_region_event_is_its_polygon_and_country_event_is_listed():
    region = make_event("Zhanaozen", level="region", start="2022-01-05")
    country = make_event("Kazakhstan", level="country")
    city = make_event("Almaty", doc=["a", "b", "c", "d", "e"])
    points, regions, listed = mapview.split_by_geometry([region, country, city])
    assert points == [city] and regions == [region] and listed == [country]
    payload = mapview.layer_payload([region, country, city])
    (poly,) = payload["polygons"]["features"]
    shape = shapely.geometry.shape(poly["geometry"])
    assert shape.contains(shapely.geometry.Point(51.17, 43.65))  # Aktau lies in Mangystau
    assert not shape.contains(shapely.geometry.Point(76.92, 43.25))
    (pt,) = payload["points"]["features"]
    assert pt["geometry"]["coordinates"] == [76.92, 43.25]
    assert pt["properties"]["r"] > mapview.marker_radius(1)  # five sources: bigger circle
    assert pt["properties"]["c"] == "#0072B2"


def test_region_without_known_polygon_is_listed_not_dotted():
    ev = make_event("Aktau", level="region")
    ev.region_code = "KZ99"
    assert mapview.split_by_geometry([ev])[2] == [ev]


def test_region_layout_follows_the_event_date():
    assert boundaries.vintage_for("2022-01-05") == "2018"
    assert boundaries.vintage_for("2023-01-05") == "2024"
    assert boundaries.region_geometry("KZ10", "2023-03-01") is not None  # Abay exists since June 2022
    assert "KZ10" not in boundaries.region_geometries("2018")


def test_js_literal_round_trips_and_cannot_break_out():
    data = {"p": "</script><b>" + XSS, "k_1": "{{'x'}} _a \\ \"q\" \u2028"}
    text = mapview.js_literal(data)
    assert json.loads(text) == data
    assert not re.search(r"[<>_]", text) and "</script" not in text


def test_many_points_are_clustered():
    few = mapview.layer_payload([make_event()] * 3)
    many = mapview.layer_payload([make_event(start=f"2022-01-{1 + i % 9:02d}") for i in range(250)])
    assert few["cluster"] is False and many["cluster"] is True


def test_snapshot_html_is_self_contained_and_escaped():
    page = mapview.snapshot_html([make_event(evidence=XSS)], ("2022-01-01", "2022-01-10"))
    assert not ASSET_URL.findall(page)  # everything inlined
    assert "Leaflet 1.9.3" in page and "L.MarkerClusterGroup" in page
    assert "<script>alert(1)" not in page
    assert "&amp;lt;script&amp;gt;" in page or "\\u0026lt;script\\u0026gt;" in page


def test_thousands_of_points_are_aggregated_into_cells_and_regions_into_one_polygon():
    many = [make_event(("Aktau", "Almaty")[i % 2], ("protest", "riot")[i % 3 == 0], "2022-01-05",
                       doc=f"d{i}.txt", evidence=f"Evidence {i} <b>") for i in range(mapview.AGGREGATE_THRESHOLD + 10)]
    regions = [make_event("Aktau", level="region", doc=f"r{i}.txt") for i in range(30)]
    payload = mapview.layer_payload(many + regions)
    pts = payload["points"]["features"]
    assert len(pts) == 2 and sum(f["properties"]["n"] for f in pts) == len(many)
    assert all(" <b>" not in f["properties"]["p"] and " &lt;b&gt;" in f["properties"]["p"] for f in pts)
    (poly,) = payload["polygons"]["features"]
    assert poly["properties"]["n"] == 30 and "30 events" in poly["properties"]["p"]
    assert len(mapview.js_literal(payload)) < 200_000


def test_outlines_are_fetched_from_static_files_not_carried_in_every_update(tmp_path):
    written = webassets.ensure_static(tmp_path)
    assert {"outlines/countries.json", "outlines/2018.json", "outlines/2024.json"} <= set(written)
    countries = json.loads((tmp_path / "outlines/countries.json").read_text(encoding="utf-8"))
    assert countries == boundaries.country_outlines()
    regions = json.loads((tmp_path / "outlines/2024.json").read_text(encoding="utf-8"))
    assert len(regions["features"]) >= 17
    m = mapview.base_map(("2022-01-01", "2022-01-10"))
    m.get_root().render()
    script = _get_map_string(m)
    assert len(script) < 20_000  # was about 250 kB with the outlines inline
    assert 'fetch("/app/static/outlines/countries.json")' in script
    assert 'fetch("/app/static/outlines/2018.json")' in script  # the layout of the store's first day
    assert '"coordinates"' not in script
    # below the events: the outlines have panes under Leaflet's overlay pane (400)
    assert 'createPane("countries").style.zIndex = 250' in script
    # a downloaded snapshot carries them, as it must work alone
    page = mapview.snapshot_html([make_event()], ("2022-01-01", "2022-01-10"))
    assert "/app/static/outlines/" not in page and '"coordinates"' in page


def test_legend_folds():
    html = mapview.base_map().get_root().render()
    assert '<details class="ev-legend" id="ev-legend" open>' in html
    assert "getSize().x < 700" in html and "legend.open = false" in html


def _mixed_events(n_points: int = mapview.AGGREGATE_THRESHOLD + 300) -> list:
    """Points over several cells, places and types (ties in corroboration and dates included),
    region events of both layouts, country events: hostile evidence in some."""
    import random

    rnd = random.Random(3)
    towns = ["Aktau", "Almaty", "Zhanaozen", "Aktobe", "Nur-Sultan"]
    types = ["protest", "riot", "strike", "state_response"]
    out = []
    for i in range(n_points):
        docs = [f"d{i % 40}.txt"] + ([f"e{i % 7}.txt"] if i % 5 == 0 else [])
        ev = make_event(rnd.choice(towns), rnd.choice(types), f"2022-01-{1 + rnd.randrange(9):02d}", doc=docs,
                        evidence=XSS if i % 97 == 0 else f"Evidence {i}")
        ev.lat += rnd.uniform(-0.6, 0.6)
        ev.lon += rnd.uniform(-0.6, 0.6)
        out.append(ev)
    for i in range(60):
        out.append(make_event(("Aktau", "Aktobe")[i % 2], types[i % 4], ("2022-01-03", "2024-05-02")[i % 3 == 0],
                              level="region", doc=f"r{i % 9}.txt", evidence=XSS if i == 7 else f"R {i}"))
    out += [make_event("Kazakhstan", "protest", "2022-01-04", level="country")] * 3
    rnd.shuffle(out)
    return out


def test_map_index_draws_exactly_what_the_python_grouping_draws():
    import numpy as np

    evs = _mixed_events()
    kinds = mapview.geometry_kinds(evs)
    assert kinds.tolist() == [mapview.geometry_kind(ev) for ev in evs]
    index = mapview.MapIndex(evs, kinds)
    aggregated = 0
    for lo, hi in [("2000-01-01", "2030-01-01"), ("2022-01-01", "2022-01-05"), ("2022-01-07", "2022-01-07"),
                   ("2024-01-01", "2024-12-31")]:
        rows = np.array([i for i, ev in enumerate(evs) if ev.date_start <= hi and ev.date_end >= lo], dtype=int)
        shown = [evs[i] for i in rows]
        split = mapview.split_by_geometry(shown)
        point_rows, region_rows = rows[kinds[rows] == mapview.POINT], rows[kinds[rows] == mapview.REGION]
        fast = mapview.layer_payload(shown, lo, split, index, point_rows, region_rows)
        assert fast == mapview.layer_payload(shown, lo)
        if len(split[0]) > mapview.AGGREGATE_THRESHOLD:
            aggregated += 1
            text = mapview.js_literal(fast)
            assert "alert" in text and "<script>" not in text and 'onerror="' not in text
            assert fast["points"]["features"][0]["properties"]["n"] > 1
            assert sum(f["properties"]["n"] for f in fast["points"]["features"]) == len(split[0])
            assert sum(f["properties"].get("n", 1) for f in fast["polygons"]["features"]) == len(split[1])
    assert aggregated == 1  # the whole span: cells; the other windows draw single points (regions grouped in all)


def test_event_layer_script_reaches_the_page_verbatim():
    m = mapview.base_map(("2022-01-01", "2022-01-10"))
    layer = mapview.event_layer([make_event(evidence=XSS)], "2022-01-04")
    layer.add_to(m)
    page = m.get_root().render()
    drawer = next(c for c in layer._children.values() if isinstance(c, mapview.EventLayer))
    script = drawer._template.module.script(drawer, {})
    assert "window.geoEventWindow = data.window" in script and script.strip() in page
    assert "<script>alert(1)" not in page
