"""Plain, typed records shared by every part of the pipeline.

Kept free of behaviour so that the gazetteer, the extractor, the store, the
exporters and the dashboard can all agree on one shape of data (the way
geopandas keeps a plain data model and thin I/O around it).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

LEVELS = ("city", "region", "country", "site")
TIME_PRECISIONS = ("day", "range", "month", "year")


@dataclass(frozen=True, slots=True)
class Place:
    """One entry of the gazetteer.

    ``id`` is stable across runs ("gn:1526384", "kz:KZ47", "country:KZ",
    "site:tengiz-oil-field") so that events can be merged on it. For a site,
    ``town`` names the settlement it belongs to (SCHEME.md: the event's
    ``place`` is the town, ``site`` names the site).
    """

    id: str
    name: str
    level: str
    lat: float
    lon: float
    country: str  # ISO 3166-1 alpha-2
    admin1: str | None = None  # English name of the first-level region
    population: int = 0
    source: str = ""  # where the record comes from (geonames, geokz, curated...)
    town: str | None = None  # sites only
    region_code: str | None = None  # regions: key of the boundary polygon (e.g. "KZ47")

    def __reduce__(self):
        # rebuilt from its values: unpickling the place index (73,000 places, once per process)
        # takes half the time of the generic state-by-field path of frozen dataclasses
        return (Place, (self.id, self.name, self.level, self.lat, self.lon, self.country, self.admin1,
                        self.population, self.source, self.town, self.region_code))


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place a mention could refer to, with the score the resolver gave it."""

    place: Place
    score: float


@dataclass(frozen=True)
class Mention:
    """A place name found in a text, resolved (or not) to one place.

    ``start``/``end`` are character offsets into the text the gazetteer read.
    ``candidates`` keeps the runner-ups so a user (or a later step) can see
    what else the name could have meant.
    """

    text: str
    start: int
    end: int
    place: Place | None
    confidence: float
    candidates: tuple[Candidate, ...] = ()
    reason: str = ""  # why the mention is unresolved or was demoted
    demonym: bool = False  # "Russian troops": an adjective, not an event place


@dataclass
class Section:
    """A stretch of a document that carries its own date (a dated statement
    inside a compilation). ``start``/``end`` are offsets into ``Document.text``."""

    start: int
    end: int
    date: str  # ISO date
    basis: str = ""  # the text the date rests on


@dataclass
class Document:
    """An article as read from disk, with what is known about it."""

    name: str  # file name, the key users see in every source
    text: str
    sha256: str
    path: str = ""
    title: str | None = None
    publisher: str | None = None
    published: str | None = None  # ISO date of publication
    published_inferred: bool = False  # True when the date was not stated but inferred
    url: str | None = None
    date_basis: str = ""  # the text or rule the publication date rests on
    encoding: str = "utf-8"
    sections: list[Section] = field(default_factory=list)

    def date_at(self, offset: int) -> str | None:
        """The date that governs a character offset: its section's, else the article's."""
        for s in self.sections:
            if s.start <= offset < s.end:
                return s.date
        return self.published


@dataclass
class Source:
    """Where an event was read: the document and the sentence that asserts it."""

    doc: str
    evidence: str
    start: int = 0  # offsets of the evidence sentence in the document text
    end: int = 0
    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    url: str | None = None


@dataclass
class Event:
    """One event: a type, a place, a date span, and the sources that back it."""

    event_type: str
    place: str  # canonical name (for a site: its town)
    place_id: str
    level: str  # geo precision: city | region | country | site
    lat: float
    lon: float
    country: str
    date_start: str
    date_end: str
    time_precision: str
    admin1: str | None = None
    site: str | None = None
    place_mention: str = ""
    region_code: str | None = None
    historical: bool = False
    date_uncertain: bool = False
    confidence: float = 0.5
    fatalities: int | None = None
    arrests: int | None = None
    sources: list[Source] = field(default_factory=list)
    # What a reviewer said about the event (geo/review.py); the extractor leaves the defaults.
    review: str = "unreviewed"  # unreviewed | confirmed | corrected | rejected | added
    review_seq: int = 0  # id of the latest review row, 0 if none: a change made on an older view is refused
    reviewed_by: str = ""
    review_note: str = ""
    origin_id: str | None = None  # the id the event had when reviewed: a corrected event keeps it

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What makes two events the same: place, day span and type. A named site is a place of its
        own: the storming of Parliament House and a march on Harcourt Road are two events."""
        place = self.place_id
        if self.level == "site" and self.site and self.site[:1].isupper() and not place.startswith("site:"):
            place = f"{place}#{' '.join(self.site.lower().split())}"
        return (place, self.date_start, self.date_end, self.event_type)

    @property
    def event_id(self) -> str:
        """Stable id derived from the key, so re-extraction gives the same ids; a reviewed event
        keeps the id it had when the reviewer first saw it, whatever they corrected."""
        if self.origin_id:
            return self.origin_id
        raw = "|".join(self.key).encode("utf-8")
        return hashlib.sha1(raw).hexdigest()[:16]
