"""One event per place, day span and type.

Mentions of the same event inside one article, and reports of it in several
articles, collapse into one ``Event`` whose ``sources`` list every document and
sentence behind it: the corroboration count is ``len({s.doc for s in sources})``.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from geo.model import Event, Source


def _min_known(a: int | None, b: int | None) -> int | None:
    """ACLED's conservative rule: of two reported figures keep the lower one."""
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def corroboration(event: Event) -> int:
    """How many distinct documents report the event."""
    sources = event.sources
    if len(sources) < 2:  # most events: no set to build (the map counts this for every event shown)
        return len(sources)
    return len({s.doc for s in sources})


def merge_events(events: Iterable[Event], copy: bool = True) -> list[Event]:
    """Merge events sharing ``Event.key``; keep first-seen order.

    Inputs are not modified, unless ``copy`` is False: then the first event of
    each key becomes the merged one (for a caller that made the events for this,
    like the store reading 200,000 rows, where copying was a third of the time).
    Sources are de-duplicated on (document, offsets, evidence). Confidence grows
    with independent documents: 1 - prod(1 - c).
    """
    merged: dict[tuple[str, str, str, str], Event] = {}
    doc_conf: dict[tuple[str, str, str, str], dict[str, float]] = {}
    for ev in events:
        key = ev.key
        incoming = ev.sources
        target = merged.get(key)
        if target is None:
            target = dataclasses.replace(ev, sources=[]) if copy else ev
            target.sources = []
            merged[key] = target
            doc_conf[key] = {}
        if not target.sources and len(incoming) == 1:  # the common case, without the bookkeeping
            src = incoming[0]
            target.sources.append(Source(**vars(src)) if copy else src)
            docs = (src.doc,)
        else:
            seen = {(s.doc, s.start, s.end, s.evidence) for s in target.sources}
            for src in incoming:
                if (src.doc, src.start, src.end, src.evidence) not in seen:
                    target.sources.append(Source(**vars(src)) if copy else src)
                    seen.add((src.doc, src.start, src.end, src.evidence))
            docs = {s.doc for s in incoming} or {""}
        conf = doc_conf[key]
        for d in docs:
            conf[d] = max(conf.get(d, 0.0), ev.confidence)
        target.fatalities = _min_known(target.fatalities, ev.fatalities)
        target.arrests = _min_known(target.arrests, ev.arrests)
        target.date_uncertain = target.date_uncertain and ev.date_uncertain
    out = []
    for key, ev in merged.items():
        miss = 1.0
        for c in doc_conf[key].values():
            miss *= 1.0 - c
        ev.confidence = round(1.0 - miss, 3)
        out.append(ev)
    return out
