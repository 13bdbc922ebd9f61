"""Reviews: what analysts say about events, kept apart from what the extractor wrote.

Why apart: the extractor's rows are rewritten whenever an article is
re-extracted (a better extractor, a fixed gazetteer); a reviewer's work must
survive that. So the store keeps a log of reviews (who, when, what, a note)
and this module lays the latest review of each event over the extractor's
events when they are read:

- ``confirm``: the event is right as it is;
- ``reject``: the event is wrong (hidden unless asked for, kept in the log);
- ``correct``: some of its type, place and dates are replaced; the event keeps
  its ``event_id``, so links, exports and later reviews still find it;
- ``add``: an event the extractor missed, with its evidence sentence.

A review names its event by ``event_id`` and also keeps an *anchor* (the
event's type and the document offsets of its evidence). When a newer extractor
gives the event another id (it now reads another day, say), the review follows
the anchor to the event read from the same sentences.

Everything here is pure: the store reads and writes the log, the gazetteer
resolves typed place names, and :func:`apply_reviews` combines them.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from geo.model import Event, Mention, Place, Source
from geo.taxonomy import check_type

ACTIONS = ("confirm", "reject", "correct", "add")
STATUSES = ("unreviewed", "confirmed", "corrected", "rejected", "added")
# what a reviewer may correct (the place brings its coordinates, level, country and region along)
FIELDS = ("event_type", "place", "date_start", "date_end")
# the event attributes a correction may replace
_PLACE_ATTRS = ("place", "place_id", "level", "lat", "lon", "country", "admin1", "site", "region_code",
                "place_mention")
_CHANGEABLE = ("event_type", "date_start", "date_end", "time_precision", "date_uncertain", *_PLACE_ATTRS)


class StaleReview(ValueError):
    """The event was reviewed by someone else since the caller looked at it: their change is not
    overwritten; the message says who changed what and when."""


@dataclass(frozen=True)
class Review:
    """One row of the review log."""

    id: int
    event_id: str
    action: str  # confirm | reject | correct | add
    status: str  # the event's status after this review: confirmed | corrected | rejected | added
    changes: dict  # attribute -> value laid over the extractor's event (cumulative); an added event in full
    anchor: dict  # type, place_id, dates and evidence offsets of the event as the extractor gave it when first reviewed
    reviewer: str = ""
    note: str = ""
    created_at: str = ""
    supersedes: int = 0  # the review this one replaced (0: the event's first review)

    def describe(self) -> str:
        """One line for a history list or a stale-change message."""
        who = self.reviewer or "someone"
        what = self.status
        if self.action == "correct" and self.changes:
            what += " (" + ", ".join(f"{k}={v}" for k, v in _visible(self.changes).items()) + ")"
        note = f": {self.note}" if self.note else ""
        return f"{what} by {who} at {self.created_at}{note}"


def _visible(changes: dict) -> dict:
    """The reviewer-facing part of a change set (type, place name, dates)."""
    return {k: changes[k] for k in ("event_type", "place", "date_start", "date_end") if k in changes}


# ------------------------------------------------------------------ building changes


def type_change(event_type: str) -> dict:
    return {"event_type": check_type(event_type)}


def date_change(date_start: str | date, date_end: str | date | None = None) -> dict:
    """New dates, checked (ISO, start <= end); the precision follows: one day, a whole month, or a range."""
    start = _iso(date_start, "date_start")
    end = _iso(date_end, "date_end") if date_end not in (None, "") else start
    if end < start:
        raise ValueError(f"date_end {end} is before date_start {start}")
    return {"date_start": start, "date_end": end, "time_precision": precision_of(start, end),
            "date_uncertain": False}


def precision_of(start: str, end: str) -> str:
    if start == end:
        return "day"
    s, e = date.fromisoformat(start), date.fromisoformat(end)
    nxt = date(e.year + (e.month == 12), e.month % 12 + 1, 1)
    if s.day == 1 and s.month == e.month and s.year == e.year and (nxt - e).days == 1:
        return "month"
    return "range"


def _iso(value: str | date, what: str) -> str:
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise ValueError(f"{what}: {value!r} is not an ISO date (YYYY-MM-DD)") from None


def place_change(place: Place, mention: str = "") -> dict:
    """The place attributes of an event at ``place`` (a site is placed in its town, as SCHEME.md says)."""
    if place.level == "site":
        name, site = place.town or place.name, place.name
    else:
        name, site = place.name, None
    return {"place": name, "place_id": place.id, "level": place.level, "lat": place.lat, "lon": place.lon,
            "country": place.country, "admin1": place.admin1, "site": site,
            "region_code": place.region_code, "place_mention": mention or place.name}


def resolve_place(name: str, countries: Sequence[str] = (), gazetteer=None) -> Mention:
    """A typed place name as the gazetteer reads it (runner-ups in ``candidates``), or a place id
    ("gn:1526384", "country:KZ") taken as it is. Raises ValueError naming an unknown place."""
    from geo.gazetteer import Gazetteer

    gaz = gazetteer or Gazetteer.load()
    text = " ".join(str(name).split())
    by_id = gaz.get(text) if ":" in text and " " not in text else None
    if by_id is not None:
        return Mention(text, 0, len(text), by_id, 1.0)
    found = gaz.resolve_name(text, countries=[c.upper() for c in countries if c] or None)
    if found.place is None:
        raise ValueError(f"place {name!r}: {found.reason or 'not in the gazetteer'}")
    return found


def changes_from_fields(values: dict[str, str], ev: Event, gazetteer=None, place: Mention | None = None) -> dict:
    """Changes to ``ev`` from ``FIELD=VALUE`` pairs (the CLI's ``--set``). A typed place is resolved
    in the event's country first (``place``: the caller resolved it already); a new start alone keeps
    the old end when it is still later (else the event becomes one day), and likewise for a new end
    alone."""
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise ValueError(f"cannot set {', '.join(unknown)}: fields are {', '.join(FIELDS)}")
    out: dict = {}
    if "event_type" in values:
        out.update(type_change(values["event_type"]))
    if "place" in values:
        found = place or resolve_place(values["place"], [ev.country] if ev.country else (), gazetteer)
        out.update(place_change(found.place, values["place"]))
    if "date_start" in values or "date_end" in values:
        start = _iso(values["date_start"], "date_start") if "date_start" in values else None
        end = _iso(values["date_end"], "date_end") if "date_end" in values else None
        if start is None:
            start = ev.date_start if ev.date_start <= end else end
        if end is None:
            end = ev.date_end if ev.date_end >= start else start
        out.update(date_change(start, end))
    return out


# ------------------------------------------------------------------ applying reviews


def anchor_of(ev: Event) -> dict:
    """What lets a review find its event again after re-extraction: its type, place, dates and
    the offsets of its evidence."""
    return {"event_type": ev.event_type, "place_id": ev.place_id, "date_start": ev.date_start,
            "date_end": ev.date_end, "sources": sorted([s.doc, int(s.start), int(s.end)] for s in ev.sources)}


def _follows(anchor: dict, ev: Event) -> bool:
    """Whether a re-extracted event is the anchored one seen again: read from one of the same
    sentences with the same type (checked by the caller), and the same place or the same days, so
    only one of place and dates moved."""
    return (ev.place_id == anchor.get("place_id")
            or (ev.date_start, ev.date_end) == (anchor.get("date_start"), anchor.get("date_end")))


def added_id(doc: str, start: int, end: int, changes: dict) -> str:
    """A stable id for an event added by hand (its article, sentence, type, place and dates)."""
    raw = "|".join(["added", doc, str(start), str(end), changes["event_type"], changes["place_id"],
                    changes["date_start"], changes["date_end"]])
    return "a" + hashlib.sha1(raw.encode("utf-8")).hexdigest()[:15]


def added_event(review: Review) -> Event:
    """The event an ``add`` review describes (its ``changes`` hold the event in full)."""
    values = dict(review.changes)
    sources = [Source(**s) for s in values.pop("sources", [])]
    fields = {f.name for f in dataclasses.fields(Event)}
    ev = Event(**{k: v for k, v in values.items() if k in fields}, sources=sources)
    ev.origin_id = review.event_id
    return ev


def _overlay(ev: Event, review: Review, base_changes: dict) -> Event:
    changes = {k: v for k, v in base_changes.items() if k in _CHANGEABLE}
    out = dataclasses.replace(ev, **changes, sources=list(ev.sources))
    out.origin_id = review.event_id
    out.review = review.status
    out.review_seq = review.id
    out.reviewed_by = review.reviewer
    out.review_note = review.note
    return out


def review_plan(events: Iterable[Event], latest: Sequence[Review], added: Sequence[Review] = ()) -> dict[int, Review]:
    """Which review lies over which event, by the event's position in ``events`` (read once, in
    order, keeping only the few events a review may follow): the review of its id, else a review
    whose event id is gone follows its anchor to the one event of the same type read from one of
    the same sentences, at the same place or on the same days, when exactly one event fits."""
    latest_by_id = {r.event_id: r for r in latest}
    added_ids = {a.event_id for a in added}
    anchor_keys = {(r.anchor.get("event_type", ""), d, int(st)) for r in latest_by_id.values()
                   for d, st, _ in r.anchor.get("sources", ())}
    plan: dict[int, Review] = {}
    candidates: dict[tuple[str, str, int], list[tuple[int, Event]]] = {}
    for i, ev in enumerate(events):
        r = latest_by_id.get(ev.event_id)
        if r is not None and r.action != "add":
            plan[i] = r
        for s in ev.sources:
            key = (ev.event_type, s.doc, int(s.start))
            if key in anchor_keys:
                candidates.setdefault(key, []).append((i, ev))
    seen_ids = {r.event_id for r in plan.values()}
    for r in latest_by_id.values():
        if r.event_id in seen_ids or r.event_id in added_ids or r.action == "add":
            continue
        hits = {i for d, st, _ in r.anchor.get("sources", ())
                for i, ev in candidates.get((r.anchor.get("event_type", ""), d, int(st)), ())
                if _follows(r.anchor, ev)} - set(plan)
        if len(hits) == 1:
            plan[hits.pop()] = r
    return plan


def overlay(events: Iterable[Event], plan: dict[int, Review]) -> Iterator[Event]:
    """The events, each with the review ``plan`` lays over it (see :func:`review_plan`)."""
    for i, ev in enumerate(events):
        r = plan.get(i)
        yield ev if r is None else _overlay(ev, r, r.changes)


def added_events(latest: Sequence[Review], added: Sequence[Review],
                 doc_meta: dict[str, dict] | None = None) -> list[Event]:
    """The events added by hand, with their latest review; ``doc_meta`` completes their sources
    (title, publisher, published, url) by document name."""
    latest_by_id = {r.event_id: r for r in latest}
    out = []
    for a in added:
        ev = added_event(a)
        if doc_meta:
            ev.sources = [dataclasses.replace(s, **doc_meta[s.doc]) if s.doc in doc_meta else s
                          for s in ev.sources]
        r = latest_by_id.get(a.event_id, a)
        base = {k: v for k, v in a.changes.items() if k != "sources"}
        if r is not a:
            base.update(r.changes)
        out.append(_overlay(ev, r, base))
    return out


def apply_reviews(events: Iterable[Event], latest: Sequence[Review], added: Sequence[Review] = (),
                  doc_meta: dict[str, dict] | None = None) -> list[Event]:
    """The extractor's (merged) events with the latest review of each laid over them, plus the
    events added by hand. Rejected events are kept, marked ``review="rejected"``: callers choose
    to hide them. A review whose event id is gone follows its anchor (:func:`review_plan`); a
    review that finds nothing stays in the log only.

    ``doc_meta`` completes an added event's sources (title, publisher, published, url) by document name.
    """
    events = list(events)
    return list(overlay(events, review_plan(events, latest, added))) + added_events(latest, added, doc_meta)


def status_counts(events: Iterable[Event]) -> dict[str, int]:
    """How many events have each review status (every status listed, zeros included)."""
    counts = dict.fromkeys(STATUSES, 0)
    for ev in events:
        counts[ev.review] = counts.get(ev.review, 0) + 1
    return counts


# ------------------------------------------------------------------ annotation export


def annotation_records(events: Iterable[Event]) -> list[dict]:
    """Reviewed events (confirmed, corrected, added) as annotation lines of SCHEME.md, one per
    article among an event's sources, so ``python -m geo evaluate --gold`` reads them."""
    rows = []
    for ev in events:
        if ev.review not in ("confirmed", "corrected", "added"):
            continue
        evidence: dict[str, list[str]] = {}
        for s in ev.sources:
            evidence.setdefault(s.doc, [])
            if s.evidence and s.evidence not in evidence[s.doc]:
                evidence[s.doc].append(s.evidence)
        for doc, sentences in evidence.items():
            rows.append({
                "doc": doc, "place_mention": ev.place_mention or ev.place, "place": ev.place,
                "level": ev.level, "site": ev.site, "lat": ev.lat, "lon": ev.lon, "country": ev.country,
                "date_start": ev.date_start, "date_end": ev.date_end, "time_precision": ev.time_precision,
                "event_type": ev.event_type, "historical": bool(ev.historical),
                "date_uncertain": bool(ev.date_uncertain), "evidence": " ".join(sentences),
                "event_id": ev.event_id, "review": ev.review,
            })
    rows.sort(key=lambda r: (r["doc"], r["date_start"], r["event_type"], r["place"]))
    return rows


def annotation_jsonl(events: Iterable[Event]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in annotation_records(events))
