"""What the dashboard shows, as pure functions of a list of events.

The Streamlit script (app.py) only lays out widgets; the decisions -- which
days the slider has, which events a slider position and the filters select,
what the timeline and the table contain, what the downloads hold and how
they are named -- live here so they can be tested without a browser.
"""
from __future__ import annotations

import gc
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from geo.merge import corroboration
from geo.model import LEVELS, Event, Place
from geo.taxonomy import EVENT_TYPES, TYPE_NAMES

MODES = ("that day", "up to that day", "range")


@dataclass(frozen=True)
class Filters:
    """The sidebar's choices. Empty tuples mean "no restriction"."""

    types: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()  # document names
    precisions: tuple[str, ...] = ()  # Event.level values
    include_historical: bool = False
    reviews: tuple[str, ...] = ()  # review statuses; empty: every status but "rejected"


@dataclass(frozen=True)
class Window:
    """The days a slider position selects, both ends inclusive (ISO dates)."""

    start: str
    end: str

    @property
    def label(self) -> str:
        return self.start if self.start == self.end else f"{self.start} to {self.end}"


@dataclass
class Facets:
    """The values the filter widgets offer, taken from the events themselves."""

    types: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    precisions: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class View:
    """What the dashboard derives from all the events before any choice of the viewer: the events
    eligible (historical ones or not), the filter options, the slider's bounds and the review
    counts. Passes over every event, so computed once per store state and shared by all viewers."""

    pool: list[Event]
    facets: Facets
    bounds: tuple[date, date] | None
    review_counts: dict[str, int]


def view(events: Sequence[Event], include_historical: bool) -> View:
    from geo.review import status_counts

    pool = eligible(events, include_historical)
    return View(pool, facets(pool), date_bounds(pool), status_counts(pool))


def freeze_long_lived() -> None:
    """Move every object alive now to the garbage collector's permanent generation (``gc.freeze``).

    Why: Streamlit runs a full ``gc.collect()`` after every script run (``runner.postScriptGC``),
    and a full collection traverses every tracked object alive -- the libraries, and above all
    the store's events held by the shared caches, which live as long as the server. Measured in a
    process holding the dashboard's caches: 57 ms per collection on the seeds, 276 ms on 200,000
    events, paid on every slider step of every viewer (holding the GIL, so the step's last
    messages wait too). Frozen, they are no longer traversed (under 1 ms); collections still
    reclaim what reruns leave behind. Called once per store state, after its caches are built
    (``gc.collect()`` first, so what is frozen is only what is alive). The cost: a reference cycle
    alive at that moment and dropped later is not reclaimed (plain reference counting still frees
    everything else, the events included).
    """
    gc.collect()
    gc.freeze()


def to_date(iso: str | date) -> date:
    return iso if isinstance(iso, date) else date.fromisoformat(iso[:10])


def eligible(events: Iterable[Event], include_historical: bool) -> list[Event]:
    """Historical events (outside the corpus's episode) only when asked for."""
    return [ev for ev in events if include_historical or not ev.historical]


def date_bounds(events: Iterable[Event]) -> tuple[date, date] | None:
    """First and last day any of the events covers; None without events."""
    starts, ends = [], []
    for ev in events:
        starts.append(ev.date_start)
        ends.append(ev.date_end)
    if not starts:
        return None
    return to_date(min(starts)), to_date(max(ends))


def days(bounds: tuple[date, date]) -> list[date]:
    """One slider step per day, first to last inclusive."""
    first, last = bounds
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def window(mode: str, day: date, day_range: tuple[date, date] | None = None,
           first_day: date | None = None) -> Window:
    """The days selected by a slider mode.

    "that day": only ``day``; "up to that day": from ``first_day`` (the
    slider's start) through ``day``; "range": ``day_range``.
    """
    if mode == "that day":
        return Window(day.isoformat(), day.isoformat())
    if mode == "up to that day":
        start = first_day or date.min
        return Window(start.isoformat(), day.isoformat())
    if mode == "range":
        if day_range is None:
            raise ValueError("mode 'range' needs day_range")
        a, b = sorted(day_range)
        return Window(a.isoformat(), b.isoformat())
    raise ValueError(f"unknown mode {mode!r}; expected one of {', '.join(MODES)}")


def in_window(ev: Event, win: Window) -> bool:
    """An event is shown when its day span overlaps the window."""
    return ev.date_start <= win.end and ev.date_end >= win.start


def source_docs(ev: Event) -> set[str]:
    return {s.doc for s in ev.sources}


def region_of(ev: Event) -> str | None:
    """The region name used by the region filter (admin1, or the place of a region-level event)."""
    if ev.admin1:
        return ev.admin1
    if ev.level == "region":
        return ev.place
    return None


def matches(ev: Event, flt: Filters) -> bool:
    """Whether one event passes the sidebar filters (dates aside)."""
    if ev.historical and not flt.include_historical:
        return False
    if flt.types and ev.event_type not in flt.types:
        return False
    if flt.countries and ev.country not in flt.countries:
        return False
    if flt.regions and region_of(ev) not in flt.regions:
        return False
    if flt.precisions and ev.level not in flt.precisions:
        return False
    if flt.sources and not (source_docs(ev) & set(flt.sources)):
        return False
    if flt.reviews:
        return ev.review in flt.reviews
    return ev.review != "rejected"


def select(events: Iterable[Event], flt: Filters, win: Window | None) -> list[Event]:
    """The events on the map: filters and date window applied, order kept."""
    return [ev for ev in events if matches(ev, flt) and (win is None or in_window(ev, win))]


class Rows(Sequence[Event]):
    """Some events of a list, by index, without copying them into a new list.

    Why: a step at 200,000 events shows about 190,000; building lists of them (all shown, the
    points, the regions) took a sixth of the step's server time, while the page reads only their
    number, the first rows (table, side list) and the whole only on a download's click.
    Slices and iteration give the events in ``rows`` order.
    """

    def __init__(self, events: Sequence[Event], rows: np.ndarray):
        self._events = events
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self._events[j] for j in self._rows[i].tolist()]
        return self._events[int(self._rows[i])]

    def __iter__(self):
        return map(self._events.__getitem__, self._rows.tolist())


@dataclass(frozen=True, eq=False)
class Frame:
    """The events under the sidebar filters (``select(pool, flt, None)``) with their days, types,
    documents and map geometry as columns, so a slider step selects its window and counts what it
    shows with numpy instead of a Python pass over each event.

    Why: on 200,000 events a step's selection, split into points/regions/listed and summary took
    about 0.2 s of Python per step; built once per store state and filters (the app caches it for
    every viewer), the same answers take a few milliseconds. ``rows(win)`` equals the indices of
    ``select(events, Filters(...), win)`` and ``summary(rows)`` equals ``counts_summary``.
    """

    events: list[Event]
    starts: np.ndarray  # ISO dates as ASCII bytes, compared as strings exactly like in_window
    ends: np.ndarray
    kinds: np.ndarray  # how each is drawn (mapview.geometry_kind): 0 point, 1 region, 2 listed
    types: tuple[str, ...]  # counts_by_type's order
    type_ix: np.ndarray
    doc_rows: np.ndarray  # one entry per (event, source document) pair
    doc_ix: np.ndarray

    def rows(self, win: Window | None) -> np.ndarray:
        """Indices (ascending) of the events whose day span overlaps the window."""
        if win is None:
            return np.arange(len(self.events))
        return np.flatnonzero((self.starts <= win.end.encode()) & (self.ends >= win.start.encode()))

    def take(self, rows: np.ndarray) -> list[Event]:
        events = self.events
        return [events[i] for i in rows.tolist()]

    def view(self, rows: np.ndarray) -> Rows:
        """The events at ``rows`` as a sequence that builds no list (see Rows)."""
        return Rows(self.events, rows)

    def split(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The rows drawn as points, as region polygons, and listed (mapview.split_by_geometry)."""
        kinds = self.kinds[rows]
        return rows[kinds == 0], rows[kinds == 1], rows[kinds == 2]

    def summary(self, rows: np.ndarray) -> str:
        """``counts_summary`` of the events at ``rows``."""
        per_type = np.bincount(self.type_ix[rows], minlength=len(self.types))
        mask = np.zeros(len(self.events), dtype=bool)
        mask[rows] = True
        n_docs = int(np.count_nonzero(np.bincount(self.doc_ix[mask[self.doc_rows]],
                                                  minlength=1)))
        by_type = {t: int(n) for t, n in zip(self.types, per_type.tolist()) if n}
        return summary_text(len(rows), by_type, n_docs)


def frame(events: list[Event], kinds: np.ndarray) -> Frame:
    """The columns of ``events``; ``kinds`` is ``mapview.geometry_kinds(events)``."""
    seen = {ev.event_type for ev in events}
    types = tuple([t for t in TYPE_NAMES if t in seen] + sorted(seen - set(TYPE_NAMES)))
    type_pos = {t: i for i, t in enumerate(types)}
    doc_pos: dict[str, int] = {}
    doc_rows, doc_ix = [], []
    for i, ev in enumerate(events):
        for d in {s.doc for s in ev.sources}:
            doc_rows.append(i)
            doc_ix.append(doc_pos.setdefault(d, len(doc_pos)))
    return Frame(
        events=events,
        starts=np.array([ev.date_start.encode() for ev in events], dtype=bytes),
        ends=np.array([ev.date_end.encode() for ev in events], dtype=bytes),
        kinds=np.asarray(kinds, dtype=np.int8),
        types=types,
        type_ix=np.array([type_pos[ev.event_type] for ev in events], dtype=np.int64),
        doc_rows=np.array(doc_rows, dtype=np.int64),
        doc_ix=np.array(doc_ix, dtype=np.int64),
    )


def facets(events: Iterable[Event]) -> Facets:
    """Sorted distinct values for the filter widgets."""
    evs = list(events)
    known_types = [t for t in TYPE_NAMES if any(ev.event_type == t for ev in evs)]
    other_types = sorted({ev.event_type for ev in evs} - set(TYPE_NAMES))
    return Facets(
        types=known_types + other_types,
        countries=sorted({ev.country for ev in evs if ev.country}),
        regions=sorted({r for ev in evs if (r := region_of(ev))}),
        sources=sorted({d for ev in evs for d in source_docs(ev)}),
        precisions=[lv for lv in LEVELS if any(ev.level == lv for ev in evs)],
    )


def counts_by_type(events: Iterable[Event]) -> dict[str, int]:
    """Events per type in taxonomy order (types with none are left out)."""
    c = Counter(ev.event_type for ev in events)
    ordered = {t: c[t] for t in TYPE_NAMES if c[t]}
    ordered.update({t: n for t, n in sorted(c.items()) if t not in ordered})
    return ordered


def counts_summary(events: Sequence[Event]) -> str:
    """One line: "12 events (5 Protest, 4 Riot, ...) from 3 sources"."""
    docs = {s.doc for ev in events for s in ev.sources}
    return summary_text(len(events), counts_by_type(events), len(docs))


def summary_text(n: int, by_type: dict[str, int], n_docs: int) -> str:
    """``counts_summary`` from its counts (``by_type`` in counts_by_type's order)."""
    parts = ", ".join(f"{c} {EVENT_TYPES[t].label if t in EVENT_TYPES else t}" for t, c in by_type.items())
    text = f"{n} {'event' if n == 1 else 'events'}"
    if parts:
        text += f" ({parts})"
    return text + f" from {n_docs} source{'s' if n_docs != 1 else ''}"


def timeline(events: Iterable[Event], bounds: tuple[date, date] | None = None,
             win: Window | None = None) -> pd.DataFrame:
    """Events per day by type (long form: day, type, events, selected).

    An event spanning several days counts on each day it covers; days are
    clipped to ``bounds`` when given, so historical events do not stretch
    the chart. ``selected`` marks the days inside the slider's window.
    """
    c: Counter[tuple[date, str]] = Counter()
    for ev in events:
        a, b = to_date(ev.date_start), to_date(ev.date_end)
        if bounds:
            a, b = max(a, bounds[0]), min(b, bounds[1])
        d = a
        while d <= b:
            c[(d, ev.event_type)] += 1
            d += timedelta(days=1)
    rows = [
        {"day": d.isoformat(), "type": EVENT_TYPES[t].label if t in EVENT_TYPES else t, "events": n,
         "selected": win is None or win.start <= d.isoformat() <= win.end}
        for (d, t), n in sorted(c.items())
    ]
    return pd.DataFrame(rows, columns=["day", "type", "events", "selected"])


def with_window(tl: pd.DataFrame, win: Window | None) -> pd.DataFrame:
    """The timeline with ``selected`` set for the days inside the window (the rest of it does not
    depend on the slider, so it is computed once)."""
    out = tl.copy()
    out["selected"] = True if win is None else (out["day"] >= win.start) & (out["day"] <= win.end)
    return out


# the events table shows this many rows at most: a browser table of 200,000 rows is megabytes
# sent on every step, and nobody reads it; the downloads hold every event shown
TABLE_ROWS = 2_000


def table(events: Iterable[Event]) -> pd.DataFrame:
    """One row per shown event with its evidence (plain text: Streamlit's table does not render HTML)."""
    rows = []
    for ev in events:
        rows.append({
            "date": ev.date_start if ev.date_start == ev.date_end else f"{ev.date_start} – {ev.date_end}",
            "type": EVENT_TYPES[ev.event_type].label if ev.event_type in EVENT_TYPES else ev.event_type,
            "place": ev.site or ev.place,
            "region": region_of(ev) or "",
            "country": ev.country,
            "precision": ev.level,
            "sources": corroboration(ev),
            "review": ev.review,
            "evidence": " | ".join(s.evidence for s in ev.sources),
            "documents": ", ".join(sorted(source_docs(ev))),
            "event_id": ev.event_id,
        })
    return pd.DataFrame(rows, columns=["date", "type", "place", "region", "country", "precision",
                                       "sources", "review", "evidence", "documents", "event_id"])


def export_name(win: Window | None, suffix: str, stem: str = "events") -> str:
    """Download file name carrying the date range, e.g. events_2022-01-02_2022-01-10.geojson."""
    if win is None:
        return f"{stem}.{suffix}"
    if win.start == win.end:
        return f"{stem}_{win.start}.{suffix}"
    return f"{stem}_{win.start}_{win.end}.{suffix}"


def geojson_bytes(events: Sequence[Event]) -> bytes:
    """Exactly what ``python -m geo export`` writes for these events, UTF-8 encoded."""
    from geo import export

    return export.render(list(events), "geojson").encode("utf-8")


def csv_bytes(events: Sequence[Event]) -> bytes:
    """The CSV ``python -m geo export out.csv`` writes for these events, UTF-8 encoded."""
    from geo import export

    return export.render(list(events), "csv").encode("utf-8")


def span_caption(bounds: tuple[date, date]) -> str:
    """Under the slider: its first and last day, and how many days it spans."""
    n = (bounds[1] - bounds[0]).days + 1
    return f"First day {bounds[0].isoformat()} · last day {bounds[1].isoformat()} · {n} days"


def next_day(current: date, bounds: tuple[date, date]) -> date:
    """The play button's step: one day later, wrapping to the first day after the last."""
    first, last = bounds
    if current < first or current >= last:
        return first
    return current + timedelta(days=1)


def clamp(day: date, bounds: tuple[date, date]) -> date:
    """Keep a remembered slider day inside new bounds (after filters or uploads change them)."""
    return min(max(day, bounds[0]), bounds[1])


def shift_range(day_range: tuple[date, date], bounds: tuple[date, date]) -> tuple[date, date]:
    """The play button's step in range mode: the window moves one day, back to the start at the end."""
    a, b = day_range
    width = b - a
    if b >= bounds[1]:
        return bounds[0], min(bounds[0] + width, bounds[1])
    return a + timedelta(days=1), b + timedelta(days=1)


# the list beside the map shows this many country-level events at most (a 200,000-event store
# has 10,000 in its "up to that day" view: 40 ms of a step and a table nobody scrolls)
SIDE_ROWS = 500


def side_list(events: Iterable[Event]) -> pd.DataFrame:
    """Country-level events (and regions without an outline), listed beside the map."""
    rows = [{
        "date": ev.date_start if ev.date_start == ev.date_end else f"{ev.date_start} – {ev.date_end}",
        "type": EVENT_TYPES[ev.event_type].label if ev.event_type in EVENT_TYPES else ev.event_type,
        "place": ev.place,
        "sources": corroboration(ev),
    } for ev in events]
    return pd.DataFrame(rows, columns=["date", "type", "place", "sources"])


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def md_escape(text: str) -> str:
    """Backslash-escape Markdown so untrusted text (file names, errors) shows literally in st.* messages."""
    return _MD_SPECIAL.sub(r"\\\1", text)


# ---------------------------------------------------------------- review panel


def place_choices(name: str, country: str | None = None) -> list[tuple[str, Place]]:
    """What a typed place name can mean, best first, each with a label that tells the candidates
    apart ("Aktobe (city, Aktobe, KZ)"); empty when the gazetteer does not know the name."""
    from geo.review import resolve_place

    try:
        found = resolve_place(name, [country] if country else ())
    except ValueError:
        return []
    places = [found.place] + [c.place for c in found.candidates]
    out, seen = [], set()
    for p in places:
        if p is None or p.id in seen:
            continue
        seen.add(p.id)
        where = ", ".join(x for x in (p.level, p.admin1 if p.admin1 != p.name else None, p.country) if x)
        out.append((f"{p.name} ({where})", p))
    return out


def sentence_choices(text: str) -> list[str]:
    """The sentences of an article, as the extractor splits them, for choosing an evidence sentence."""
    from geo.events import split_sentences

    return [" ".join(text[a:b].split()) for a, b in split_sentences(text)]


def correction(ev: Event, event_type: str, place: Place | None, date_start: date, date_end: date) -> dict:
    """The changes a correction form makes to an event: only what differs from it."""
    from geo.review import date_change, place_change, type_change

    out: dict = {}
    if event_type != ev.event_type:
        out.update(type_change(event_type))
    if place is not None and place.id != ev.place_id:
        out.update(place_change(place))
    if (date_start.isoformat(), date_end.isoformat()) != (ev.date_start, ev.date_end):
        out.update(date_change(date_start, date_end))
    return out


def timeline_spec(tl: pd.DataFrame, bounds: tuple[date, date] | None, win: Window | None) -> dict:
    """The timeline as a Vega-Lite spec: events per day stacked by type, the days outside the window
    faded, a dashed rule at the window's last day; hovering a bar shows the day, the type and the
    count, and the day's total over all types.

    A plain dict for ``st.vega_lite_chart`` rather than an Altair chart: Altair validates its
    schema on every rerun, a fifth of a slider step's server time for the same picture.
    """
    labels = [t.label for t in EVENT_TYPES.values()]
    colors = [t.color for t in EVENT_TYPES.values()]
    all_days = [d.isoformat() for d in days(bounds)] if bounds else []
    totals = tl.groupby("day")["events"].sum().to_dict() if not tl.empty else {}
    rows = [{"day": r.day, "type": r.type, "events": int(r.events), "selected": bool(r.selected),
             "day_total": int(totals.get(r.day, 0))} for r in tl.itertuples(index=False)]
    x = {"field": "day", "type": "ordinal", "title": None, "axis": {"labelAngle": -45}}
    if 0 < len(all_days) <= 180:
        x["scale"] = {"domain": all_days}
    layers: list[dict] = [{
        "mark": {"type": "bar"},
        "encoding": {
            "x": x,
            "y": {"field": "events", "type": "quantitative", "stack": "zero", "title": "events per day"},
            "color": {"field": "type", "type": "nominal", "title": "type",
                      "scale": {"domain": labels, "range": colors}},
            "opacity": {"condition": {"test": "datum.selected", "value": 1.0}, "value": 0.3},
            "tooltip": [{"field": "day", "type": "ordinal"}, {"field": "type", "type": "nominal"},
                        {"field": "events", "type": "quantitative"},
                        {"field": "day_total", "type": "quantitative", "title": "all types that day"}],
        },
    }]
    if win is not None:
        layers.append({"data": {"values": [{"day": win.end}]},
                       "mark": {"type": "rule", "color": "#222", "strokeDash": [4, 3], "size": 2},
                       "encoding": {"x": x}})
    return {"height": 170,
            "data": {"values": rows}, "layer": layers}
