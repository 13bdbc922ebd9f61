"""Dashboard logic (pure functions) and the Streamlit app through AppTest (no browser)."""
from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date

import pytest

from geo import dashboard as dash
from geo import export
from geo.paths import ROOT
from tests.conftest import make_event

D = date.fromisoformat


@pytest.fixture
def events():
    return [
        make_event("Aktau", "protest", "2022-01-02", doc="a.txt"),
        make_event("Zhanaozen", "strike", "2022-01-03", "2022-01-05", doc=["a.txt", "b.txt"]),
        make_event("Almaty", "riot", "2022-01-05", doc="b.txt"),
        make_event("Aktobe", "protest", "2022-01-06", level="region", doc="c.txt"),
        make_event("Kazakhstan", "state_response", "2022-01-05", level="country", doc="c.txt"),
        make_event("Zhanaozen", "protest", "2011-12-16", doc="a.txt", historical=True),
    ]


def test_slider_has_one_step_per_day_and_ignores_historical_by_default(events):
    pool = dash.eligible(events, include_historical=False)
    bounds = dash.date_bounds(pool)
    assert bounds == (D("2022-01-02"), D("2022-01-06"))
    assert [d.day for d in dash.days(bounds)] == [2, 3, 4, 5, 6]
    assert dash.date_bounds(dash.eligible(events, True))[0] == D("2011-12-16")
    assert dash.date_bounds([]) is None


def test_windows_per_mode():
    assert dash.window("that day", D("2022-01-04")) == dash.Window("2022-01-04", "2022-01-04")
    assert dash.window("up to that day", D("2022-01-04"), first_day=D("2022-01-02")) == \
        dash.Window("2022-01-02", "2022-01-04")
    assert dash.window("range", D("2022-01-09"), (D("2022-01-09"), D("2022-01-03"))) == \
        dash.Window("2022-01-03", "2022-01-09")
    with pytest.raises(ValueError, match="unknown mode"):
        dash.window("week", D("2022-01-04"))


def test_select_by_day_overlaps_multi_day_events(events):
    on = lambda day: {(e.place, e.event_type) for e in dash.select(  # noqa: E731
        events, dash.Filters(), dash.window("that day", D(day)))}
    assert on("2022-01-04") == {("Zhanaozen", "strike")}
    assert on("2022-01-05") == {("Zhanaozen", "strike"), ("Almaty", "riot"), ("Kazakhstan", "state_response")}
    cumulative = dash.select(events, dash.Filters(), dash.window("up to that day", D("2022-01-03"),
                                                                 first_day=D("2022-01-02")))
    assert [e.place for e in cumulative] == ["Aktau", "Zhanaozen"]


def test_filters(events):
    sel = lambda **kw: [e.event_type for e in dash.select(events, dash.Filters(**kw), None)]  # noqa: E731
    assert sel() == ["protest", "strike", "riot", "protest", "state_response"]
    assert sel(types=("protest",)) == ["protest", "protest"]
    assert sel(sources=("b.txt",)) == ["strike", "riot"]
    assert sel(precisions=("region", "country")) == ["protest", "state_response"]
    assert sel(regions=("Mangystau",)) == ["protest", "strike"]
    assert sel(countries=("RU",)) == []
    assert "protest" in sel(include_historical=True, regions=("Mangystau",))
    assert len(sel(include_historical=True)) == 6


def test_facets_and_counts(events):
    fac = dash.facets(dash.eligible(events, False))
    assert fac.types == ["protest", "strike", "riot", "state_response"]
    assert fac.sources == ["a.txt", "b.txt", "c.txt"]
    assert fac.precisions == ["city", "region", "country"]
    assert "Mangystau" in fac.regions and "Aktobe" in fac.regions
    shown = events[:3]
    assert dash.counts_by_type(shown) == {"protest": 1, "strike": 1, "riot": 1}
    assert dash.counts_summary(shown) == "3 events (1 Protest, 1 Strike, 1 Riot) from 2 sources"
    assert dash.counts_summary([]) == "0 events from 0 sources"


def test_timeline_counts_each_day_an_event_covers_and_marks_the_window(events):
    win = dash.Window("2022-01-04", "2022-01-04")
    tl = dash.timeline(events, (D("2022-01-02"), D("2022-01-06")), win)
    strike = tl[tl["type"] == "Strike"]
    assert list(strike["day"]) == ["2022-01-03", "2022-01-04", "2022-01-05"]
    assert list(strike["selected"]) == [False, True, False]
    assert "2011-12-16" not in set(tl["day"])  # clipped to the bounds
    assert tl["events"].sum() == 1 + 3 + 1 + 1 + 1


def test_table_has_evidence_and_no_markup_processing(events):
    ev = make_event(evidence="<script>alert(1)</script>")
    df = dash.table([ev, events[1]])
    assert list(df.columns[:3]) == ["date", "type", "place"]
    assert df.loc[0, "evidence"] == "<script>alert(1)</script>"  # shown as text by st.dataframe
    assert df.loc[1, "sources"] == 2 and df.loc[1, "date"] == "2022-01-03 – 2022-01-05"


def test_export_names_carry_the_dates():
    assert dash.export_name(dash.Window("2022-01-02", "2022-01-10"), "geojson") == \
        "events_2022-01-02_2022-01-10.geojson"
    assert dash.export_name(dash.Window("2022-01-05", "2022-01-05"), "csv") == "events_2022-01-05.csv"
    assert dash.export_name(None, "html", stem="map") == "map.html"


def test_export_bytes_are_exactly_the_shown_events_in_the_cli_format(events):
    shown = dash.select(events, dash.Filters(types=("protest", "strike")),
                        dash.window("that day", D("2022-01-03")))
    data = dash.geojson_bytes(shown)
    fc = json.loads(data)
    assert fc["type"] == "FeatureCollection"
    assert [f["properties"]["event_id"] for f in fc["features"]] == [e.event_id for e in shown]
    assert data.decode("utf-8") == export.render(shown, "geojson")
    rows = list(csv.DictReader(io.StringIO(dash.csv_bytes(shown).decode("utf-8"))))
    assert len(rows) == 1 and rows[0]["event_type"] == "strike"


def test_play_steps_and_wraps():
    b = (D("2022-01-02"), D("2022-01-04"))
    assert dash.next_day(D("2022-01-02"), b) == D("2022-01-03")
    assert dash.next_day(D("2022-01-04"), b) == D("2022-01-02")
    assert dash.shift_range((D("2022-01-02"), D("2022-01-03")), b) == (D("2022-01-03"), D("2022-01-04"))
    assert dash.shift_range((D("2022-01-03"), D("2022-01-04")), b) == (D("2022-01-02"), D("2022-01-03"))
    assert dash.clamp(D("2021-05-01"), b) == D("2022-01-02")


def test_markdown_escape_keeps_untrusted_text_literal():
    out = dash.md_escape("![x](http://evil/a.png) **b** <img>")
    import re

    assert not re.search(r"(?<!\\)[!\[\]()*<>:]", out), out  # every special character escaped
    assert out.replace("\\", "") == "![x](http://evil/a.png) **b** <img>"


# ---------------------------------------------------------------- AppTest

@pytest.fixture
def synthetic_store(tmp_path, events):
    """A store holding the synthetic events (no extractor needed)."""
    from geo.model import Document
    from geo.store import Store

    path = tmp_path / "events.sqlite"
    with Store(path) as store:
        for name in ("a.txt", "b.txt", "c.txt"):
            mine = [e for e in events if e.sources[0].doc == name]
            for e in mine:
                e.sources = [s for s in e.sources if s.doc == name]
            store.add_document(Document(name=name, text="text of " + name, sha256=name * 8,
                                        title="Title of " + name), mine)
    return path


def _app(monkeypatch, store_path):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setattr(sys, "argv", ["app.py", "--store", str(store_path)])
    # AppTest leaves app.py as the process's __main__; restored after the test, or processes spawned
    # later in the run (a Dask LocalCluster's workers) would run the app again as their main module
    monkeypatch.setitem(sys.modules, "__main__", sys.modules["__main__"])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    return at.run()


def test_app_opens_a_store_given_with_store_and_shows_all_days(monkeypatch, synthetic_store):
    at = _app(monkeypatch, synthetic_store)
    assert not at.exception, at.exception
    assert at.title[0].value == "Protest and strike events"
    assert str(synthetic_store) in at.caption[0].value.replace("\\", "")
    slider = at.slider(key="day")
    assert slider.value == D("2022-01-06") and at.radio(key="mode").value == "up to that day"
    table = at.dataframe[-1].value
    assert len(table) == 5  # historical event off by default


def test_app_slider_mode_and_filters_change_the_shown_events(monkeypatch, synthetic_store):
    at = _app(monkeypatch, synthetic_store)
    at.radio(key="mode").set_value("that day").run()
    at.slider(key="day").set_value(D("2022-01-04")).run()
    assert not at.exception
    assert list(at.dataframe[-1].value["place"]) == ["Zhanaozen"]
    at.slider(key="day").set_value(D("2022-01-05")).run()
    assert sorted(at.dataframe[-1].value["type"]) == ["Riot", "State response", "Strike"]
    at.multiselect(key="f_types").set_value(["riot"]).run()
    assert list(at.dataframe[-1].value["place"]) == ["Almaty"]
    at.toggle(key="historical").set_value(True).run()
    at.multiselect(key="f_types").set_value([]).run()
    at.slider(key="day").set_value(D("2011-12-16")).run()  # the slider now reaches back to 2011
    assert not at.exception
    assert list(at.dataframe[-1].value["date"]) == ["2011-12-16"]


def test_app_reruns_do_not_push_the_day_back_to_the_slider(monkeypatch, synthetic_store):
    """A run that does not change the day must not send it to the browser: a value sent by a run that
    started before the user moved the slider snaps the slider back (the map then shows a day the
    user left). The day still survives a trip through range mode, where its slider is not drawn."""
    at = _app(monkeypatch, synthetic_store)
    at.radio(key="mode").set_value("that day").run()
    assert not at.slider(key="day").proto.set_value
    at.slider(key="day").set_value(D("2022-01-04")).run()
    at.multiselect(key="f_types").set_value(["riot"]).run()
    assert not at.slider(key="day").proto.set_value
    at.radio(key="mode").set_value("range").run()
    assert not at.slider(key="day_range").proto.set_value
    at.radio(key="mode").set_value("that day").run()
    assert at.slider(key="day").value == D("2022-01-04")


def test_app_range_mode(monkeypatch, synthetic_store):
    at = _app(monkeypatch, synthetic_store)
    at.radio(key="mode").set_value("range").run()
    at.slider(key="day_range").set_value((D("2022-01-02"), D("2022-01-03"))).run()
    assert not at.exception
    assert sorted(at.dataframe[-1].value["place"]) == ["Aktau", "Zhanaozen"]


def test_app_reports_a_bad_store_without_traceback(monkeypatch, tmp_path):
    bad = tmp_path / "not-a-store.sqlite"
    bad.write_bytes(b"this is not sqlite" * 100)
    at = _app(monkeypatch, bad)
    assert not at.exception
    assert "Cannot open the events store" in at.error[0].value
    assert "not\\-a\\-store" in at.error[0].value or "not-a-store" in at.error[0].value


def test_app_upload_reads_articles_as_cli_ingest_does(monkeypatch, tmp_path):
    """Upload two articles in the app, one without a year: the store holds what `python -m geo ingest`
    makes of the same two files (same dates, same events), and a bad file is named with its reason."""
    import subprocess

    from tests.test_store import DATED_ARTICLE, YEARLESS_ARTICLE, stored

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_bytes(DATED_ARTICLE)
    (folder / "b.txt").write_bytes(YEARLESS_ARTICLE)
    cli = subprocess.run([sys.executable, "-m", "geo", "ingest", "--quiet", "--store", str(tmp_path / "cli.sqlite"),
                          str(folder)], cwd=ROOT, capture_output=True, text=True)
    assert cli.returncode == 0, cli.stderr

    at = _app(monkeypatch, tmp_path / "app.sqlite")
    assert not at.exception, at.exception
    at.file_uploader(key="upload_0").set_value([
        ("a.txt", DATED_ARTICLE, "text/plain"), ("b.txt", YEARLESS_ARTICLE, "text/plain"),
        ("menu.html", b"<html><body><nav>Home News</nav></body></html>", "text/html"),
    ]).run()
    at.button(key="add_articles").click().run()
    assert not at.exception, at.exception
    assert any("Added 2 article(s)" in s.value for s in at.success)
    assert [e.value.replace("\\", "") for e in at.error] == ["menu.html: HTML page has no article text"]
    app_docs, app_events = stored(tmp_path / "app.sqlite")
    cli_docs, cli_events = stored(tmp_path / "cli.sqlite")
    assert app_docs == cli_docs and app_docs["b.txt"][3] == "2022-01-05"
    assert app_events == cli_events and app_events["features"]


def test_review_filter_hides_rejected_events_unless_asked_for():
    kept, rejected, confirmed = make_event(), make_event(review="rejected"), make_event(review="confirmed")
    evs = [kept, rejected, confirmed]
    assert dash.select(evs, dash.Filters(), None) == [kept, confirmed]
    assert dash.select(evs, dash.Filters(reviews=("rejected",)), None) == [rejected]
    assert dash.select(evs, dash.Filters(reviews=("unreviewed", "confirmed")), None) == [kept, confirmed]
    assert list(dash.table(evs)["review"]) == ["unreviewed", "rejected", "confirmed"]


def test_correction_form_changes_only_what_differs():
    ev = make_event(place="Aktau", start="2022-01-04")
    same = dash.correction(ev, ev.event_type, None, date(2022, 1, 4), date(2022, 1, 4))
    assert same == {}
    (label, taraz), *_ = dash.place_choices("Taraz", "KZ")
    assert label.startswith("Taraz (city") and taraz.country == "KZ"
    changes = dash.correction(ev, "riot", taraz, date(2022, 1, 4), date(2022, 1, 6))
    assert changes["event_type"] == "riot" and changes["place"] == "Taraz"
    assert (changes["date_start"], changes["date_end"], changes["time_precision"]) == ("2022-01-04", "2022-01-06", "range")
    with pytest.raises(ValueError, match="before date_start"):
        dash.correction(ev, "riot", None, date(2022, 1, 6), date(2022, 1, 4))
    assert dash.place_choices("Nowhereville-on-Sea", "KZ") == []
    labels = [lbl for lbl, _ in dash.place_choices("Aktobe", "KZ")]
    assert len(labels) == len(set(labels)) >= 2  # the city and its region, told apart


def test_sentence_choices_are_the_extractors_sentences():
    text = "Workers struck in Aktau on Monday.\nPolice  dispersed them. A third one."
    assert dash.sentence_choices(text) == ["Workers struck in Aktau on Monday.", "Police dispersed them.",
                                           "A third one."]


def test_timeline_spec_is_plain_vega_lite_with_the_day_total_on_hover():
    evs = [make_event(start="2022-01-04"), make_event(event_type="riot", start="2022-01-04"),
           make_event(start="2022-01-06")]
    bounds = (date(2022, 1, 4), date(2022, 1, 6))
    win = dash.window("that day", date(2022, 1, 4))
    spec = dash.timeline_spec(dash.timeline(evs, bounds, win), bounds, win)
    json.dumps(spec)  # plain JSON, nothing to validate at run time
    rows = {(r["day"], r["type"]): r for r in spec["data"]["values"]}
    assert rows[("2022-01-04", "Protest")]["day_total"] == 2 and rows[("2022-01-06", "Protest")]["day_total"] == 1
    assert rows[("2022-01-04", "Riot")]["selected"] and not rows[("2022-01-06", "Protest")]["selected"]
    bars, rule = spec["layer"]
    assert bars["encoding"]["x"]["scale"]["domain"] == ["2022-01-04", "2022-01-05", "2022-01-06"]
    assert "day_total" in [t["field"] for t in bars["encoding"]["tooltip"]]
    assert rule["data"]["values"] == [{"day": "2022-01-04"}]
    assert "$schema" not in json.dumps(spec)  # no URL the browser could try to fetch


def test_span_caption_names_first_and_last_day():
    assert dash.span_caption((date(2022, 1, 1), date(2022, 1, 10))) == \
        "First day 2022-01-01 · last day 2022-01-10 · 10 days"


def test_timeline_window_is_applied_to_a_timeline_computed_once():
    evs = [make_event(start="2022-01-04"), make_event(start="2022-01-06")]
    bounds = (date(2022, 1, 4), date(2022, 1, 6))
    win = dash.window("that day", date(2022, 1, 6))
    once = dash.timeline(evs, bounds)
    assert dash.with_window(once, win).equals(dash.timeline(evs, bounds, win))
    assert list(dash.with_window(once, None)["selected"]) == [True, True]
    assert list(once["selected"]) == [True, True]  # the cached frame is not changed


def test_frame_selects_splits_and_counts_like_the_event_by_event_functions(events):
    from geo import mapview

    evs = dash.select(events * 3, dash.Filters(include_historical=True), None)
    fr = dash.frame(evs, mapview.geometry_kinds(evs))
    for win in [None, dash.Window("2022-01-05", "2022-01-05"), dash.Window("2022-01-01", "2022-01-03"),
                dash.Window("2011-01-01", "2022-01-04"), dash.Window("2030-01-01", "2030-01-02")]:
        rows = fr.rows(win)
        shown = fr.take(rows)
        assert shown == dash.select(evs, dash.Filters(include_historical=True), win)
        assert fr.summary(rows) == dash.counts_summary(shown)
        assert tuple(fr.take(r) for r in fr.split(rows)) == mapview.split_by_geometry(shown)
    assert fr.summary(fr.rows(dash.Window("2022-01-05", "2022-01-05"))) == \
        "9 events (3 Strike, 3 Riot, 3 State response) from 3 sources"


@pytest.fixture(autouse=True)
def _unfrozen():
    """The app freezes the objects alive (dash.freeze_long_lived); give them back to the collector
    after each test so the rest of the test session collects as usual."""
    import gc

    yield
    gc.unfreeze()


def test_freeze_long_lived_takes_live_objects_out_of_full_collections():
    import gc

    gc.unfreeze()
    live = [[i] for i in range(10_000)]  # tracked containers, like the cached events
    dash.freeze_long_lived()
    assert gc.get_freeze_count() >= len(live)
    assert not any(gc.is_tracked(x) and x in gc.get_objects(generation=2) for x in live[:3])


def test_rows_is_a_lazy_sequence_of_the_frame_events(events):
    import numpy as np

    from geo import mapview

    fr = dash.frame(events, mapview.geometry_kinds(events))
    rows = fr.rows(dash.Window("2022-01-03", "2022-01-05"))
    view = fr.view(rows)
    assert len(view) == len(rows) == 3 and bool(view) and not fr.view(rows[:0])
    assert list(view) == fr.take(rows) == view[:] and view[1:] == fr.take(rows)[1:]
    assert view[0] is events[int(rows[0])] and view[-1] is events[int(rows[-1])]
    assert dash.geojson_bytes(list(view)) == dash.geojson_bytes(fr.take(rows))
    assert isinstance(rows, np.ndarray)
