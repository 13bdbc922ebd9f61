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
    return len({s.doc for s in event.sources})


def merge_events(events: Iterable[Event]) -> list[Event]:
    """Merge events sharing ``Event.key``; keep first-seen order.

    Inputs are not modified. Sources are de-duplicated on (document, offsets,
    evidence). Confidence grows with independent documents: 1 - prod(1 - c).
    """
    merged: dict[tuple[str, str, str, str], Event] = {}
    doc_conf: dict[tuple[str, str, str, str], dict[str, float]] = {}
    for ev in events:
        key = ev.key
        if key not in merged:
            first = dataclasses.replace(ev, sources=[])
            merged[key] = first
            doc_conf[key] = {}
        target = merged[key]
        seen = {(s.doc, s.start, s.end, s.evidence) for s in target.sources}
        for src in ev.sources:
            if (src.doc, src.start, src.end, src.evidence) not in seen:
                target.sources.append(Source(**vars(src)))
                seen.add((src.doc, src.start, src.end, src.evidence))
        docs = {s.doc for s in ev.sources} or {""}
        for d in docs:
            doc_conf[key][d] = max(doc_conf[key].get(d, 0.0), ev.confidence)
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
