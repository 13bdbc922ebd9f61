"""The dashboard in a real browser: Debian's chromium, a real Streamlit server, the seeds store.

Asserts what only a browser can show: markers drawn by Leaflet from local
files, the slider updating them inside the same map (no iframe reload, zoom
kept), popups with the evidence, the GeoJSON download matching the view,
hostile article text staying inert, and no request leaving the machine.
"""
from __future__ import annotations

import json
from datetime import date

import pytest

from geo import dashboard as dash

pytestmark = pytest.mark.browser

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
SLIDER = '[data-testid="stSlider"] input[type="range"]'
COUNT_JS = """() => { let n = 0; window.map.eachLayer(l => { if (l instanceof L.CircleMarker) n++; });
                     return n; }"""


@pytest.fixture
def page(browser, streamlit_server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    pg.requests = []
    pg.page_errors = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.on("pageerror", lambda e: pg.page_errors.append(str(e)))
    pg.goto(streamlit_server)
    try:
        yield pg
    finally:
        context.close()


def map_frame(page):
    frame = page.wait_for_selector(MAP_IFRAME, timeout=60_000).content_frame()
    frame.wait_for_function("window.geoEventCount !== undefined && window.map !== undefined", timeout=60_000)
    return frame


def settled(page) -> None:
    """Wait until the rerun is over: one slider, no stale elements left from the previous run."""
    page.wait_for_function(
        "sel => document.querySelectorAll(sel).length === 1 && !document.querySelector('[data-stale=\"true\"]')",
        arg=SLIDER, timeout=30_000)


def slider_day(page) -> str:
    return page.locator(SLIDER).get_attribute("aria-valuetext")


def choose_mode(page, label: str) -> None:
    page.locator('[data-testid="stRadioOption"]', has_text=label).first.click()
    page.wait_for_function(
        "label => [...document.querySelectorAll('[data-testid=\"stRadioOption\"]')]"
        ".some(o => o.dataset.selected === 'true' && o.innerText.trim() === label)", arg=label)
    settled(page)


def step_slider(page, frame, key: str) -> str:
    """Press an arrow key on the slider and wait until the map shows the new day; returns it."""
    settled(page)
    before = slider_day(page)
    page.locator(SLIDER).focus()
    page.keyboard.press(key)
    page.wait_for_function("([sel, old]) => document.querySelector(sel).getAttribute('aria-valuetext') !== old",
                           arg=[SLIDER, before], timeout=10_000)
    day = slider_day(page)
    frame.wait_for_function("day => window.geoEventWindow === day", arg=day, timeout=30_000)
    settled(page)
    return day


def test_markers_render_from_local_assets_only(page, streamlit_server):
    frame = map_frame(page)
    assert frame.evaluate(COUNT_JS) > 5
    assert frame.evaluate("window.geoEventCount") > 5
    assert frame.evaluate("typeof jQuery") == "function"
    assert not page.page_errors, page.page_errors
    leaving = [u for u in page.requests
               if not u.startswith(streamlit_server) and not u.startswith(("data:", "blob:", "about:"))]
    assert leaving == [], leaving


def test_slider_changes_markers_without_reloading_the_map(page):
    frame = map_frame(page)
    choose_mode(page, "that day")
    frame.wait_for_function("day => window.geoEventWindow === day", arg=slider_day(page))
    frame.evaluate("window.__sameDocument = 'yes'; window.map.setView([43.5, 52.0], 7, {animate: false}); 0")
    seen = {}
    for _ in range(4):
        day = step_slider(page, frame, "ArrowLeft")
        seen[day] = frame.evaluate("window.geoEventCount")
    assert len(seen) == 4  # four different days
    assert len(set(seen.values())) > 1, seen  # and the markers changed with them
    assert frame.evaluate("window.__sameDocument") == "yes"  # same iframe document: not reloaded
    assert frame.evaluate("window.map.getZoom()") == 7
    center = frame.evaluate("[window.map.getCenter().lat, window.map.getCenter().lng]")
    assert abs(center[0] - 43.5) < 0.01 and abs(center[1] - 52.0) < 0.01


def test_popup_shows_the_evidence_when_a_marker_is_clicked(page):
    frame = map_frame(page)
    # Screen position of the first circle marker, then a real mouse click on it.
    info = frame.evaluate("""() => {
        let found = null;
        window.map.eachLayer(l => { if (!found && l instanceof L.CircleMarker && l.feature) found = l; });
        window.map.setView(found.getLatLng(), 9, {animate: false});
        const p = window.map.latLngToContainerPoint(found.getLatLng());
        const r = document.getElementById('map_div').getBoundingClientRect();
        return {x: p.x + r.left, y: p.y + r.top, ll: [found.getLatLng().lat, found.getLatLng().lng]};
    }""")
    box = page.locator(MAP_IFRAME).bounding_box()
    page.mouse.click(box["x"] + info["x"], box["y"] + info["y"])
    popup = page.frame_locator(MAP_IFRAME).locator(".leaflet-popup-content .ev-popup")
    popup.wait_for(timeout=10_000)
    text = popup.inner_text()
    # The popup belongs to an event at the clicked point and quotes that event's evidence.
    candidates = frame.evaluate("""ll => {
        const out = [];
        window.map.eachLayer(l => { if (l instanceof L.CircleMarker && l.feature) {
            const q = l.getLatLng(); if (Math.abs(q.lat - ll[0]) < 1e-6 && Math.abs(q.lng - ll[1]) < 1e-6) {
                const d = document.createElement('div'); d.innerHTML = l.feature.properties.p;
                out.push(d.querySelector('.ev-evidence').innerText); } } });
        return out; }""", info["ll"])
    assert any(ev.strip() and ev.strip() in text for ev in candidates), (text, candidates)
    assert "Reported by" in text and "Precision:" in text


def test_geojson_download_matches_the_view(page, seeds_store):
    from geo.store import Store

    frame = map_frame(page)
    choose_mode(page, "that day")
    day = step_slider(page, frame, "ArrowLeft")
    button = page.locator('[data-testid="stDownloadButton"] button', has_text="Download GeoJSON")
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename == f"events_{day}.geojson"
    fc = json.loads(open(download.path(), encoding="utf-8").read())
    assert fc["type"] == "FeatureCollection"
    with Store(seeds_store) as store:
        expected = dash.select(store.events(), dash.Filters(), dash.window("that day", date.fromisoformat(day)))
    assert {f["properties"]["event_id"] for f in fc["features"]} == {e.event_id for e in expected}
    assert all(f["properties"]["date_start"] <= day <= f["properties"]["date_end"] for f in fc["features"])
    on_map = frame.evaluate("""() => { const ids = new Set();
        window.map.eachLayer(l => { if (l.feature && l.feature.properties.i) ids.add(l.feature.properties.i); });
        return [...ids]; }""")
    assert set(on_map) <= {f["properties"]["event_id"] for f in fc["features"]}


def test_hostile_article_text_stays_inert(page):
    frame = map_frame(page)
    popup_html = frame.evaluate("""() => {
        let hit = null;
        window.map.eachLayer(l => { if (!hit && l.feature && (l.feature.properties.p || '').includes('__xss')) hit = l; });
        if (!hit) return null;
        hit.openPopup();
        return document.querySelector('.leaflet-popup-content').innerHTML; }""")
    assert popup_html is not None, "the hostile article's event should be on the map"
    text = page.frame_locator(MAP_IFRAME).locator(".leaflet-popup-content").inner_text()
    assert "<script>window.__xss = 1</script>" in text  # shown as text
    assert '<img src=x onerror="window.__xss = 2">' in text
    assert frame.evaluate("document.querySelectorAll('.leaflet-popup-content script, "
                          ".leaflet-popup-content img').length") == 0
    # The hostile title is a Source filter option: open the list so it is rendered in the page.
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').nth(3).click()
    page.get_by_text("Oil workers strike <img", exact=False).first.wait_for(timeout=10_000)
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert frame.evaluate("window.__xss") is None
    assert page.evaluate("window.__xss") is None
    assert not page.page_errors, page.page_errors


def test_play_steps_through_the_days_in_the_same_map(page):
    frame = map_frame(page)
    frame.evaluate("window.__sameDocument = 'yes'")
    page.get_by_role("button", name="▶ Play").click()
    seen = []
    for _ in range(2):
        frame.wait_for_function("old => window.geoEventWindow !== old",
                                arg=frame.evaluate("window.geoEventWindow"), timeout=15_000)
        seen.append(frame.evaluate("window.geoEventWindow"))
    page.get_by_role("button", name="⏸ Pause").click()
    page.get_by_role("button", name="▶ Play").wait_for(timeout=15_000)
    assert len(set(seen)) == 2, seen
    assert frame.evaluate("window.__sameDocument") == "yes"
