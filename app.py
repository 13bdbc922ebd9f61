"""Streamlit dashboard: layout and widgets only.

Run ``streamlit run app.py`` (default store, built from seeds/ on first run)
or ``streamlit run app.py -- --store FILE`` (or ``GEO_STORE=FILE``) for
another store. Map building is in geo/mapview.py, filtering, timeline,
table and export bytes in geo/dashboard.py.
"""
from __future__ import annotations

import argparse
import sys
import uuid
from datetime import date, timedelta

import streamlit as st
from streamlit_folium import st_folium

from geo import dashboard as dash
from geo import mapview, review, webassets
from geo.taxonomy import EVENT_TYPES

PLAY_SECONDS = 1.0
MAP_HEIGHT = 560

st.set_page_config(page_title="Protest & strike events map", layout="wide")


def store_argument(argv: list[str]) -> str | None:
    """``--store FILE`` after ``streamlit run app.py --``; None when absent."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--store")
    args, _ = parser.parse_known_args(argv)
    return args.store


@st.cache_resource(show_spinner=False)
def _static_files() -> list[str]:
    """Copy Leaflet/jQuery/MarkerCluster into static/ once per server process."""
    return webassets.ensure_static()


@st.cache_resource(show_spinner=False, max_entries=4)
def _titles(path: str, token: tuple) -> dict[str, str]:
    """Article file name -> title, for the source filter and the add-event form (same token)."""
    return {d.name: (d.title or d.name) for d in st.session_state["store"].documents()}


@st.cache_resource(show_spinner=False, max_entries=8)  # about 40 MB each at 200,000 events
def _frame(path: str, token: tuple, flt: dash.Filters) -> tuple[dash.Frame, mapview.MapIndex]:
    """The events under the filters as columns, and their map cells and region groups: a slider
    step then selects, counts and groups with numpy (the same for every viewer until the store changes)."""
    events = dash.select(_view(path, token, flt.include_historical).pool, flt, None)
    kinds = mapview.geometry_kinds(events)
    return dash.frame(events, kinds), mapview.MapIndex(events, kinds)


@st.cache_resource(show_spinner=False, max_entries=2)
def _date_range(path: str, token: tuple) -> tuple[str, str] | None:
    """The store's first and last day, for the base map's region layout (a scan of the events
    table: 12 ms per rerun at 200,000 events; the same until the store changes)."""
    return st.session_state["store"].date_range()


@st.cache_resource(show_spinner=False, max_entries=2)
def _frozen(path: str, token: tuple) -> bool:
    """Once per store state, after its shared caches are built: see dash.freeze_long_lived."""
    dash.freeze_long_lived()
    return True


@st.cache_resource(show_spinner=False, max_entries=32)
def _timeline(path: str, token: tuple, flt: dash.Filters, bounds):
    """Events per day and type under the filters: the same for every slider position and viewer."""
    return dash.timeline(_frame(path, token, flt)[0].events, bounds)


@st.cache_resource(show_spinner=False, max_entries=2)  # the current store state, and the one before
def _events(path: str, token: tuple) -> list:
    """All events of the store, rejected ones included (the review filter hides them);
    ``token`` (Store.version()) changes when articles are added or events reviewed."""
    return st.session_state["store"].events(include_rejected=True)


def _open_store(slot):
    """The session's store: --store FILE as given, else the default one (seeded on first use).

    ``slot`` is an st.empty() created on every run, so the progress bar of the
    first run does not shift later elements (which would remount the map).
    """
    from geo.store import Store, StoreError, open_default_store

    if "store" in st.session_state:
        return st.session_state["store"]
    path = store_argument(sys.argv[1:])
    try:
        if path:
            store = Store(path)
        else:
            bar = slot.progress(0.0, text="Opening the events store…")

            def progress(done: int, total: int, name: str) -> None:
                bar.progress(done / max(total, 1), text=f"Building the store from seeds/: {done}/{total} {name}")

            store = open_default_store(progress=progress)
            bar.empty()
    except (StoreError, OSError) as exc:
        st.error(f"Cannot open the events store: {dash.md_escape(str(exc))}")
        st.stop()
    st.session_state["store"] = store
    return store


@st.cache_resource(show_spinner=False, max_entries=8)
def _view(path: str, token: tuple, include_historical: bool) -> dash.View:
    """What the filters and the slider offer (the same for every viewer until the store changes)."""
    return dash.view(_events(path, token), include_historical)


_static_files()
store = _open_store(st.empty())
token = store.version()  # changes when articles, events or reviews are written; no table scan
all_events = _events(str(store.path), token)

st.title("Protest and strike events")
st.caption(f"Store: {dash.md_escape(str(store.path))} · {token[0]} articles · "
           f"{len(all_events)} events")

# ---------------------------------------------------------------- sidebar: filters
with st.sidebar:
    st.header("Filters")
    include_historical = st.toggle("Show historical events", value=False, key="historical",
                                   help="Events outside the corpus's episode (e.g. earlier protests recalled)")
    shared = _view(str(store.path), token, include_historical)
    fac = shared.facets
    types = st.multiselect("Event type", fac.types, key="f_types",
                           format_func=lambda t: EVENT_TYPES[t].label if t in EVENT_TYPES else t)
    countries = st.multiselect("Country", fac.countries, key="f_countries")
    regions = st.multiselect("Region", fac.regions, key="f_regions")
    titles = _titles(str(store.path), token)
    sources = st.multiselect("Source", fac.sources, key="f_sources",
                             format_func=lambda d: f"{titles.get(d, d)} ({d})")
    precisions = st.multiselect("Geographic precision", fac.precisions, key="f_precisions")
    review_counts = shared.review_counts
    statuses = st.multiselect("Review status", review.STATUSES, key="f_reviews",
                              format_func=lambda r: f"{r} ({review_counts.get(r, 0)})",
                              help="Empty: every event but the rejected ones")
    flt = dash.Filters(tuple(types), tuple(countries), tuple(regions), tuple(sources), tuple(precisions),
                       include_historical, tuple(statuses))
    st.header("Review")
    st.text_input("Your name (kept with your reviews)", key="reviewer", max_chars=80)

# ---------------------------------------------------------------- date slider
bounds = shared.bounds
full_run = uuid.uuid4().hex
st.session_state["_full_run"] = full_run
win: dash.Window | None = None
mode = "that day"
c_mode, c_play, c_slider = st.columns([3, 1.3, 6.8])
with c_mode:
    st.session_state.setdefault("mode", "up to that day")
    mode = st.radio("Show", dash.MODES, horizontal=True, key="mode", label_visibility="collapsed")
if bounds is None:
    st.info("The store has no events yet. Add articles below.")
elif bounds[0] == bounds[1]:
    win = dash.Window(bounds[0].isoformat(), bounds[1].isoformat())
    c_slider.write(f"All events are on {win.start}.")
else:
    # A day chosen by the play button is applied before the slider exists (Streamlit's rule).
    if "pending_day" in st.session_state:
        st.session_state["day"] = st.session_state.pop("pending_day")
    if "pending_range" in st.session_state:
        st.session_state["day_range"] = st.session_state.pop("pending_range")
    # Writing a slider's key makes Streamlit push that value to the browser, which snaps back a
    # slider the user moved while this run was on its way; so the shown slider's key is written only
    # when its day must change. The hidden one is written every run, or Streamlit would forget it.
    day_now = st.session_state.get("day")
    day_now = dash.clamp(day_now, bounds) if isinstance(day_now, date) else bounds[1]
    rng = st.session_state.get("day_range")
    rng = ((dash.clamp(rng[0], bounds), dash.clamp(rng[1], bounds))
           if isinstance(rng, tuple) and len(rng) == 2 else bounds)
    shown_key = "day_range" if mode == "range" else "day"
    for key, value in (("day", day_now), ("day_range", rng)):
        if key != shown_key or st.session_state.get(key) != value:
            st.session_state[key] = value
    with c_play:
        playing = st.session_state.get("playing", False)
        if st.button("⏸ Pause" if playing else "▶ Play", key="play", width="stretch"):
            st.session_state["playing"] = not playing
            st.rerun()
    with c_slider:
        if mode == "range":
            a, b = st.slider("Days", bounds[0], bounds[1], key="day_range", step=timedelta(days=1),
                             format="YYYY-MM-DD", label_visibility="collapsed")
            win = dash.window(mode, b, (a, b), bounds[0])
        else:
            day = st.slider("Day", bounds[0], bounds[1], key="day", step=timedelta(days=1),
                            format="YYYY-MM-DD", label_visibility="collapsed")
            win = dash.window(mode, day, first_day=bounds[0])
        st.caption(dash.span_caption(bounds))


frame, map_index = _frame(str(store.path), token, flt)
_frozen(str(store.path), token)
date_range = _date_range(str(store.path), token)
win_rows = frame.rows(win)
shown = frame.view(win_rows)
point_rows, region_rows, listed_rows = frame.split(win_rows)
split = points, regions_drawn, listed = frame.view(point_rows), frame.view(region_rows), frame.view(listed_rows)

# ---------------------------------------------------------------- map and side list
c_map, c_side = st.columns([3.2, 1])
with c_map:
    st_folium(
        mapview.base_map(date_range),
        key="events_map",
        height=MAP_HEIGHT,
        use_container_width=True,
        feature_group_to_add=mapview.event_layer(shown, win.label if win else "", split, map_index,
                                                  point_rows, region_rows),
        returned_objects=[],
    )
with c_side:
    st.markdown(f"**{dash.md_escape(win.label) if win else 'No dates'}**")
    st.caption(frame.summary(win_rows))
    st.caption(f"{len(points)} on the map as points · {len(regions_drawn)} as regions · "
               f"{len(listed)} country-level")
    if listed:
        st.markdown("**Country-level events** (no single place)")
        if len(listed) > dash.SIDE_ROWS:
            st.caption(f"The first {dash.SIDE_ROWS:,} of {len(listed):,}; the downloads below hold all.")
        st.dataframe(dash.side_list(listed[:dash.SIDE_ROWS]), hide_index=True, width="stretch", height=260)

# ---------------------------------------------------------------- timeline
tl = dash.with_window(_timeline(str(store.path), token, flt, bounds), win)
if not tl.empty:
    st.vega_lite_chart(spec=dash.timeline_spec(tl, bounds, win), width="stretch")

# ---------------------------------------------------------------- table and downloads
st.subheader("Shown events")
st.caption("Select a row to confirm, reject or correct its event.")
table_key = f"events_table_{st.session_state.get('review_round', 0)}"
if len(shown) > dash.TABLE_ROWS:
    st.caption(f"The first {dash.TABLE_ROWS:,} of {len(shown):,} events by date; the downloads below hold all.")
picked = st.dataframe(dash.table(shown[:dash.TABLE_ROWS]), hide_index=True, width="stretch", height=300,
                      key=table_key,
                      on_select="rerun", selection_mode="single-row")


def _after_review(kind: str, message: str) -> None:
    """Keep the outcome for the next run and clear the table's selection (the rows change)."""
    st.session_state["review_message"] = (kind, message)
    st.session_state["review_round"] = st.session_state.get("review_round", 0) + 1


def _review(ev, action: str, seen_seq: int, changes: dict | None = None, note_key: str = "") -> None:
    """Button callback: record a review of the event shown; ``seen_seq`` is the review the reviewer
    was looking at, so a change someone else made in the meantime is reported, not overwritten."""
    event_id = ev.event_id
    note = st.session_state.get(note_key, "") if note_key else ""
    try:
        store.review([event_id], action, changes, reviewer=st.session_state.get("reviewer", ""), note=note,
                     expected={event_id: seen_seq}, current={event_id: ev})
    except review.StaleReview as exc:
        _after_review("warning", str(exc))
    except ValueError as exc:
        _after_review("error", str(exc))
    else:
        _after_review("success", f"Event {event_id}: {action} recorded.")


def _correct(ev, seen_seq: int, keys: dict) -> None:
    """Button callback of the correction form: only the fields that differ are changed."""
    choices = st.session_state.get("_place_choices", {})
    place = choices.get(st.session_state.get(keys["pick"])) if st.session_state.get(keys["place"]) else None
    start, end = st.session_state[keys["start"]], st.session_state[keys["end"]]
    try:
        changes = dash.correction(ev, st.session_state[keys["type"]], place, start, end)
    except ValueError as exc:
        _after_review("error", str(exc))
        return
    if not changes:
        _after_review("info", "Nothing to correct: the values are the event's own.")
        return
    _review(ev, "correct", seen_seq, changes, keys["note"])


def _place_picker(label: str, key: str, country: str | None) -> None:
    """A typed place name and the gazetteer's readings of it to choose from."""
    name = st.text_input(label, key=key)
    if name.strip():
        options = dash.place_choices(name, country)
        if options:
            st.session_state.setdefault("_place_choices", {}).update({lbl: p for lbl, p in options})
            st.selectbox("Which place", [lbl for lbl, _ in options], key=key + "_pick")
        else:
            st.warning(f"{dash.md_escape(name)}: not in the gazetteer")


if "review_message" in st.session_state:
    kind, message = st.session_state.pop("review_message")
    getattr(st, kind)(dash.md_escape(message))

rows = picked.selection.rows if picked is not None else []
if rows and rows[0] < len(shown):
    ev = shown[rows[0]]
    seq = ev.review_seq
    eid = ev.event_id
    with st.container(border=True, key="review_panel"):
        st.markdown(f"**{dash.md_escape(EVENT_TYPES[ev.event_type].label if ev.event_type in EVENT_TYPES else ev.event_type)}"
                    f" at {dash.md_escape(ev.site or ev.place)}** · {dash.md_escape(ev.date_start)}"
                    + (f" – {dash.md_escape(ev.date_end)}" if ev.date_end != ev.date_start else "")
                    + f" · review: **{dash.md_escape(ev.review)}** · event {dash.md_escape(eid)}")
        for src in ev.sources[:3]:
            st.caption(f"{dash.md_escape(src.doc)}: “{dash.md_escape(src.evidence)}”")
        history = store.reviews(eid)
        if history:
            st.caption("History: " + " · ".join(dash.md_escape(r.describe()) for r in history))
        note_key = f"note_{eid}"
        st.text_input("Note (optional)", key=note_key, max_chars=500)
        b1, b2 = st.columns(2)
        b1.button("Confirm", key=f"confirm_{eid}", on_click=_review, args=(ev, "confirm", seq, None, note_key),
                  width="stretch")
        b2.button("Reject", key=f"reject_{eid}", on_click=_review, args=(ev, "reject", seq, None, note_key),
                  width="stretch")
        st.markdown("**Correct**")
        keys = {k: f"fix_{k}_{eid}" for k in ("type", "place", "start", "end")}
        keys["pick"], keys["note"] = keys["place"] + "_pick", note_key
        f1, f2, f3, f4 = st.columns(4)
        with f1:
            st.selectbox("Type", list(EVENT_TYPES), index=list(EVENT_TYPES).index(ev.event_type)
                         if ev.event_type in EVENT_TYPES else 0, key=keys["type"],
                         format_func=lambda t: EVENT_TYPES[t].label)
        with f2:
            _place_picker("Place (leave empty to keep)", keys["place"], ev.country)
        f3.date_input("From", dash.to_date(ev.date_start), key=keys["start"])
        f4.date_input("To", dash.to_date(ev.date_end), key=keys["end"])
        st.button("Save correction", key=f"correct_{eid}", on_click=_correct, args=(ev, seq, keys))

# a toggle, not an expander: an expander's content runs on every rerun, and this one reads an article
if st.toggle("Add a missed event", key="add_open"):
    if titles:
        doc_name = st.selectbox("Article", list(titles), key="add_doc",
                                format_func=lambda d: f"{titles.get(d, d)} ({d})")
        full = store.document(doc_name)
        sentences = dash.sentence_choices(full.text if full else "")
        st.selectbox("Evidence sentence", sentences, key="add_sentence")
        a1, a2, a3, a4 = st.columns(4)
        a1.selectbox("Type", list(EVENT_TYPES), key="add_type", format_func=lambda t: EVENT_TYPES[t].label)
        with a2:
            _place_picker("Place", "add_place", None)
        published = full.published if full and full.published else None
        a3.date_input("From", dash.to_date(published) if published else date.today(), key="add_start")
        a4.date_input("To", dash.to_date(published) if published else date.today(), key="add_end")

        def _add() -> None:
            place = st.session_state.get("_place_choices", {}).get(st.session_state.get("add_place_pick"))
            if not st.session_state.get("add_place") or place is None:
                _after_review("error", "Type a place the gazetteer knows, then choose it.")
                return
            try:
                added = store.add_event(st.session_state["add_doc"], st.session_state["add_sentence"] or "",
                                        st.session_state["add_type"], place, st.session_state["add_start"],
                                        st.session_state["add_end"], reviewer=st.session_state.get("reviewer", ""),
                                        place_mention=st.session_state["add_place"])
            except ValueError as exc:
                _after_review("error", str(exc))
            else:
                _after_review("success", f"Added event {added.event_id}.")

        st.button("Add event", key="add_event", on_click=_add)

c1, c2, c3 = st.columns(3)
c1.download_button("Download GeoJSON", data=lambda: dash.geojson_bytes(list(shown)),
                   file_name=dash.export_name(win, "geojson"), mime="application/geo+json",
                   on_click="ignore", key="dl_geojson")
c2.download_button("Download CSV", data=lambda: dash.csv_bytes(list(shown)),
                   file_name=dash.export_name(win, "csv"), mime="text/csv",
                   on_click="ignore", key="dl_csv")
c3.download_button("Download map (HTML)",
                   data=lambda: mapview.snapshot_html(list(shown), date_range, win.label if win else "").encode("utf-8"),
                   file_name=dash.export_name(win, "html", stem="map"), mime="text/html",
                   on_click="ignore", key="dl_html")

# ---------------------------------------------------------------- add articles
with st.expander("Add articles"):
    limit = st.get_option("server.maxUploadSize")
    st.caption(f"Plain text, Markdown or HTML files, up to {limit} MB each. "
               "Articles already in the store are skipped.")
    upload_key = f"upload_{st.session_state.get('upload_round', 0)}"
    files = st.file_uploader("Articles", type=["txt", "md", "html", "htm"], accept_multiple_files=True,
                             key=upload_key, label_visibility="collapsed")
    if files and st.button("Extract and add", key="add_articles"):
        # read exactly as `python -m geo ingest` reads files (Store.ingest_bytes -> documents.read_articles)
        bar = st.progress(0.0, text="Extracting…")
        report = store.ingest_bytes(
            [(f.name, f.getvalue()) for f in files],
            progress=lambda done, total, name: bar.progress(done / max(total, 1), text=f"Extracted {name}"))
        problems = [f"{p.path}: {p.reason}" for p in report.problems]
        st.session_state["upload_report"] = (report.added, report.skipped, report.events, problems)
        st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1
        st.rerun()
    if "upload_report" in st.session_state:
        added, skipped, n_events, problems = st.session_state["upload_report"]
        if added:
            st.success(f"Added {len(added)} article(s) with {n_events} event(s): "
                       + dash.md_escape(", ".join(added)))
        if skipped:
            st.info("Already in the store: " + dash.md_escape(", ".join(skipped)))
        for p in problems:
            st.error(dash.md_escape(p))


# ---------------------------------------------------------------- play: one day per tick
# Always rendered, and last on the page, so starting or stopping playback
# never shifts the elements above it (a shift would remount the map).
@st.fragment(run_every=PLAY_SECONDS if (st.session_state.get("playing") and bounds
                                        and bounds[0] != bounds[1]) else None)
def _ticker() -> None:
    """Advance one day per tick; the call inside the full run only arms the timer."""
    if not st.session_state.get("playing") or not bounds or bounds[0] == bounds[1]:
        return
    if st.session_state.get("_ticked_run") != full_run:
        st.session_state["_ticked_run"] = full_run
        return
    if st.session_state.get("mode") == "range":
        st.session_state["pending_range"] = dash.shift_range(st.session_state["day_range"], bounds)
    else:
        st.session_state["pending_day"] = dash.next_day(st.session_state["day"], bounds)
    st.rerun(scope="app")


_ticker()
