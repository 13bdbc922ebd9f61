"""The one event taxonomy of the project (see tests/gold/SCHEME.md).

Every other module takes event types from here: the extractor's triggers,
the store's checks, the exporters' columns and the map's colours. Each type
is mapped to ACLED's event/sub-event types and to CAMEO and PLOVER codes so
that exported data can be joined with those datasets.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EventType:
    name: str
    label: str
    definition: str
    acled_event_type: str
    acled_sub_event_type: str
    cameo: str  # CAMEO code (root or sub-code)
    plover: str  # PLOVER event type
    plover_mode: str
    color: str  # marker colour on the map (colour-blind-safe Okabe-Ito palette)


EVENT_TYPES: dict[str, EventType] = {
    t.name: t
    for t in (
        EventType(
            "protest", "Protest",
            "Demonstration, rally, march, picket, sit-in, gathering, road blockade by protesters.",
            "Protests", "Peaceful protest", "141", "PROTEST", "demonstrate", "#0072B2",
        ),
        EventType(
            "strike", "Strike",
            "Strike, walkout, work stoppage, general strike.",
            "Protests", "Peaceful protest", "143", "PROTEST", "strike", "#E69F00",
        ),
        EventType(
            "riot", "Riot",
            "Violent demonstration: clashes with security forces, storming or seizing buildings, "
            "arson, barricades, crowds attacking statues or police stations.",
            "Riots", "Violent demonstration", "145", "PROTEST", "riot", "#D55E00",
        ),
        EventType(
            "repression", "Repression",
            "Security forces against protesters: shooting, killing, beating, dispersing, arresting, torture.",
            "Protests", "Excessive force against protesters", "175", "ASSAULT", "repression", "#CC79A7",
        ),
        EventType(
            "state_response", "State response",
            "State of emergency, curfew, internet or phone blackout, troop deployment, dismissal of a "
            "government (placed at the capital), concessions carried out.",
            "Strategic developments", "Other", "172", "COERCE", "restrict", "#009E73",
        ),
    )
}

TYPE_NAMES: tuple[str, ...] = tuple(EVENT_TYPES)


def check_type(name: str) -> str:
    """Return ``name`` if it is a known event type, else raise ValueError naming the valid ones."""
    if name not in EVENT_TYPES:
        raise ValueError(f"unknown event type {name!r}; expected one of {', '.join(TYPE_NAMES)}")
    return name
