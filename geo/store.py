"""The event store: one SQLite file holding articles, the events read in them, and their evidence.

Why SQLite: it is embedded (no server to run offline), transactional (an
ingest that crashes half-way leaves every earlier article intact and no half
article behind) and readable by many processes at once in WAL mode, so the
dashboard can read while a command-line ingest writes.

Layout. ``documents`` keeps each article once (``sha256`` is unique) together
with its text, so evidence can be checked against it and the events can be
re-extracted when the extractor improves. ``events`` holds one row per event
*per document*, exactly as that document's extraction gave it; ``sources``
holds the evidence sentences of each row. Merging across documents happens
on read with :func:`geo.merge.merge_events`, so a new article never rewrites
the rows of another one.

The schema version is kept in ``PRAGMA user_version`` and the file is marked
as ours with ``PRAGMA application_id``; a file that is not a store (a random
file, another application's database, a store written by a newer version)
is refused with a :class:`StoreError` naming the file and the reason.
"""
from __future__ import annotations

import itertools
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from geo.merge import merge_events
from geo.model import Document, Event, Section, Source
from geo.review import (Review, StaleReview, added_event, added_events, added_id, anchor_of, apply_reviews,
                        date_change, overlay, place_change, review_plan)
from geo.taxonomy import check_type

_log = logging.getLogger(__name__)

SCHEMA_VERSION = 2  # 2: the reviews log
# "GEOE" as a 32-bit integer: marks the SQLite file as an events store of this project.
APPLICATION_ID = 0x47454F45

Progress = Callable[[int, int, str], None]

_SCHEMA = """
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL DEFAULT '',
    title TEXT,
    publisher TEXT,
    published TEXT,
    published_inferred INTEGER NOT NULL DEFAULT 0,
    url TEXT,
    date_basis TEXT NOT NULL DEFAULT '',
    encoding TEXT NOT NULL DEFAULT 'utf-8',
    sections TEXT NOT NULL DEFAULT '[]',
    n_chars INTEGER NOT NULL,
    added_at TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX documents_name ON documents(name);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    event_type TEXT NOT NULL,
    place TEXT NOT NULL,
    place_id TEXT NOT NULL,
    level TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    country TEXT NOT NULL,
    date_start TEXT NOT NULL,
    date_end TEXT NOT NULL,
    time_precision TEXT NOT NULL,
    admin1 TEXT,
    site TEXT,
    place_mention TEXT NOT NULL DEFAULT '',
    region_code TEXT,
    historical INTEGER NOT NULL DEFAULT 0,
    date_uncertain INTEGER NOT NULL DEFAULT 0,
    confidence REAL NOT NULL,
    fatalities INTEGER,
    arrests INTEGER
);
CREATE INDEX events_doc ON events(doc_id);
CREATE INDEX events_dates ON events(date_start, date_end);
CREATE INDEX events_type ON events(event_type);
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    evidence TEXT NOT NULL,
    start INTEGER NOT NULL DEFAULT 0,
    "end" INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sources_event ON sources(event_id);
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

# Reviews are a log apart from the extractor's rows (see geo/review.py): re-extraction rewrites
# ``events`` and never touches this table. Rows are only ever added.
_REVIEWS_SCHEMA = """
CREATE TABLE IF NOT EXISTS reviews (
    id INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL,
    action TEXT NOT NULL,
    status TEXT NOT NULL,
    changes TEXT NOT NULL DEFAULT '{}',
    anchor TEXT NOT NULL DEFAULT '{}',
    reviewer TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    supersedes INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS reviews_event ON reviews(event_id, id);
"""

_EVENT_COLUMNS = (
    "event_type", "place", "place_id", "level", "lat", "lon", "country", "date_start", "date_end",
    "time_precision", "admin1", "site", "place_mention", "region_code", "historical",
    "date_uncertain", "confidence", "fatalities", "arrests",
)
_DOC_COLUMNS = (
    "name", "sha256", "path", "title", "publisher", "published", "published_inferred", "url",
    "date_basis", "encoding", "sections", "n_chars", "added_at",
)


class StoreError(ValueError):
    """The file cannot be used as an events store; the message names the file and the reason."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


@dataclass
class IngestReport:
    """What an ingest did: document names added and skipped (already stored), problems, new event rows."""

    added: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problems: list = field(default_factory=list)  # list[geo.documents.Problem]
    events: int = 0


def _iso_date(value: str | date | None, what: str) -> str | None:
    """Normalise a date bound to ISO text, raising ValueError with the bad value."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ValueError(f"{what}: {value!r} is not an ISO date (YYYY-MM-DD)") from None


class Store:
    """An events store in one SQLite file (created when missing).

    Thread-safe for use from one process (a lock serialises access to the one
    connection, as Streamlit calls from several threads); several processes
    may read while one writes (WAL mode).
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        if self.path.is_dir():
            raise StoreError(self.path, "is a directory, not a store file")
        if not self.path.parent.is_dir():
            raise StoreError(self.path, f"folder {self.path.parent} does not exist")
        try:
            self._conn = sqlite3.connect(
                str(self.path), timeout=30.0, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise StoreError(self.path, f"cannot open: {exc}") from None
        try:
            self._conn.row_factory = sqlite3.Row
            self._open_schema()
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise StoreError(self.path, f"not an events store ({exc})") from None
        except StoreError:
            self._conn.close()
            raise

    # -- opening ---------------------------------------------------------------------------

    def _open_schema(self) -> None:
        """Create the schema in a new file, or check that an existing file is a store we can read."""
        conn = self._conn
        conn.execute("PRAGMA foreign_keys = ON")
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if app_id == 0 and version == 0:
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if tables:
                raise StoreError(self.path, "an SQLite database of another application, not an events store")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("BEGIN IMMEDIATE")
            try:
                # Another process may have created it between our check and the lock.
                if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
                    for statement in (_SCHEMA + _REVIEWS_SCHEMA).split(";"):
                        if statement.strip():
                            conn.execute(statement)
                    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            return
        if app_id != APPLICATION_ID:
            raise StoreError(self.path, "an SQLite database of another application, not an events store")
        if version > SCHEMA_VERSION:
            raise StoreError(
                self.path,
                f"written by a newer version of this program (schema {version}; this one reads "
                f"up to {SCHEMA_VERSION}): upgrade the program or use another store file",
            )
        if version < 1:
            raise StoreError(self.path, f"unknown store schema version {version}")
        conn.execute("PRAGMA journal_mode = WAL")
        if version < SCHEMA_VERSION:
            self._upgrade()

    def _upgrade(self) -> None:
        """Bring a store written by an older version up to this schema, in one transaction."""
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("PRAGMA user_version").fetchone()[0] < 2:
                for statement in _REVIEWS_SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    # -- writing ---------------------------------------------------------------------------

    def has_document(self, sha256: str) -> bool:
        with self._lock:
            row = self._conn.execute("SELECT 1 FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
        return row is not None

    def add_document(self, doc: Document, events: Sequence[Event]) -> bool:
        """Write one document with its events in one transaction.

        Returns False (and writes nothing) when a document with the same
        sha256 is already stored, which another process may have just done.
        Every event type is checked first; any error rolls the whole document back.
        """
        for ev in events:
            check_type(ev.event_type)
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM documents WHERE sha256 = ?", (doc.sha256,)).fetchone():
                return False
            doc_id = self._insert_document(doc)
            for ev in events:
                self._insert_event(doc_id, ev)
        return True

    def add_documents(self, batch: Sequence[tuple[Document, Sequence[Event]]]) -> list[str]:
        """Write several documents with their events in one transaction (a parallel ingest's batch);
        documents already stored are passed over. Returns the names of the documents written."""
        for _doc, events in batch:
            for ev in events:
                check_type(ev.event_type)
        written = []
        with self._write() as conn:
            for doc, events in batch:
                if conn.execute("SELECT 1 FROM documents WHERE sha256 = ?", (doc.sha256,)).fetchone():
                    continue
                doc_id = self._insert_document(doc)
                for ev in events:
                    self._insert_event(doc_id, ev)
                written.append(doc.name)
        return written

    def stated_dates(self, sha256s: Iterable[str]) -> dict[str, str | None]:
        """The publication date each stored document states (None when it was inferred or absent),
        by sha256: what the year of an undated article in the same batch is inferred from."""
        out: dict[str, str | None] = {}
        keys = list(sha256s)
        with self._lock:
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                for row in self._conn.execute(
                        f"SELECT sha256, published, published_inferred FROM documents "
                        f"WHERE sha256 IN ({', '.join('?' * len(chunk))})", chunk):
                    out[row[0]] = None if row[2] else row[1]
        return out

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is stored, or (on any error, or Ctrl-C) none of it."""
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise StoreError(self.path, f"cannot write: {exc}") from None
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def _insert_document(self, doc: Document) -> int:
        sections = json.dumps(
            [{"start": s.start, "end": s.end, "date": s.date, "basis": s.basis} for s in doc.sections],
            ensure_ascii=False,
        )
        values = (
            doc.name, doc.sha256, doc.path or "", doc.title, doc.publisher, doc.published,
            int(bool(doc.published_inferred)), doc.url, doc.date_basis or "", doc.encoding or "utf-8",
            sections, len(doc.text), datetime.now(timezone.utc).isoformat(timespec="seconds"),
        )
        cur = self._conn.execute(
            f"INSERT INTO documents ({', '.join(_DOC_COLUMNS)}, text) "
            f"VALUES ({', '.join('?' * (len(_DOC_COLUMNS) + 1))})",
            (*values, doc.text),
        )
        return int(cur.lastrowid)

    def _insert_event(self, doc_id: int, ev: Event) -> None:
        values = [getattr(ev, c) for c in _EVENT_COLUMNS]
        cur = self._conn.execute(
            f"INSERT INTO events (doc_id, {', '.join(_EVENT_COLUMNS)}) "
            f"VALUES (?, {', '.join('?' * len(_EVENT_COLUMNS))})",
            (doc_id, *values),
        )
        event_row = int(cur.lastrowid)
        for src in ev.sources:
            self._insert_source(event_row, doc_id, src)

    def _insert_source(self, event_row: int, doc_id: int, src: Source) -> None:
        self._conn.execute(
            'INSERT INTO sources (event_id, doc_id, evidence, start, "end") VALUES (?, ?, ?, ?, ?)',
            (event_row, doc_id, src.evidence, int(src.start), int(src.end)),
        )

    def ingest(self, paths: Iterable[str | os.PathLike[str]], progress: Progress | None = None) -> IngestReport:
        """Read files or folders, extract events from the new articles and store them.

        Unreadable files become problems (the batch goes on); articles already
        stored (same sha256) are skipped and named in the report.
        """
        from geo.documents import read_paths

        docs, problems = read_paths([str(p) for p in paths])
        return self._ingest_read(docs, problems, progress)

    def ingest_bytes(self, files: Iterable[tuple[str, bytes]], progress: Progress | None = None) -> IngestReport:
        """Store articles given as (file name, bytes), such as the dashboard's uploads.

        They are read exactly as :meth:`ingest` reads files (``geo.documents.read_articles``:
        same text, same dates, a year-less date completed from the other articles of the
        batch), then extracted and stored the same way; a file that cannot be read is a
        problem naming it and the reason.
        """
        from geo.documents import read_articles

        docs, problems = read_articles(files)
        return self._ingest_read(docs, problems, progress)

    def _ingest_read(self, docs: Sequence[Document], problems: Sequence, progress: Progress | None) -> IngestReport:
        report = self.ingest_documents(docs, progress=progress)
        report.problems = list(problems) + report.problems
        return report

    def ingest_documents(self, docs: Sequence[Document], progress: Progress | None = None) -> IngestReport:
        """Extract and store documents, one transaction each; see :meth:`ingest`.

        An article on which the extractor fails becomes a problem naming the
        file and the error, and the batch goes on; it is not stored, so a later
        ingest retries it. An interrupt (Ctrl-C) stops the batch, keeping every
        article stored before it.
        """
        from geo.documents import Problem
        from geo.pipeline import extract_document

        report = IngestReport()
        total = len(docs)
        seen: set[str] = set()
        for i, doc in enumerate(docs):
            if doc.sha256 in seen or self.has_document(doc.sha256):
                report.skipped.append(doc.name)
            else:
                try:
                    events = extract_document(doc)
                    for ev in events:
                        check_type(ev.event_type)
                except Exception as exc:  # one bad article must not stop the batch
                    _log.debug("extraction failed on %s", doc.name, exc_info=True)
                    reason = f"extraction failed: {type(exc).__name__}: {exc}"
                    report.problems.append(Problem(doc.path or doc.name, reason))
                else:
                    if self.add_document(doc, events):
                        report.added.append(doc.name)
                        report.events += len(events)
                    else:
                        report.skipped.append(doc.name)
            seen.add(doc.sha256)
            if progress is not None:
                progress(i + 1, total, doc.name)
        return report

    def reextract(self, progress: Progress | None = None) -> int:
        """Run the current extractor again on every stored document; returns the new number of event rows.

        Each document's old rows are replaced in one transaction, so a crash
        leaves every document either with its old events or its new ones.
        """
        from geo.pipeline import extract_document

        with self._lock:
            ids = [r[0] for r in self._conn.execute("SELECT id FROM documents ORDER BY id")]
        total = 0
        for i, doc_id in enumerate(ids):
            doc = self._load_document(doc_id)
            events = extract_document(doc)
            for ev in events:
                check_type(ev.event_type)
            with self._write() as conn:
                conn.execute("DELETE FROM events WHERE doc_id = ?", (doc_id,))
                for ev in events:
                    self._insert_event(doc_id, ev)
            total += len(events)
            if progress is not None:
                progress(i + 1, len(ids), doc.name)
        return total

    # -- reviews ---------------------------------------------------------------------------

    def review(
        self,
        event_ids: Sequence[str],
        action: str,
        changes: dict | None = None,
        reviewer: str = "",
        note: str = "",
        expected: dict[str, int] | None = None,
        current: dict[str, Event] | None = None,
    ) -> list[Review]:
        """Record a review (confirm, reject or correct) of events, all in one transaction.

        ``changes`` (for ``correct``) are event attributes built by geo.review
        (``type_change``, ``place_change``, ``date_change``, ``changes_from_fields``);
        they add to the event's earlier corrections. ``expected`` maps an event id
        to the ``review_seq`` the caller saw: if someone reviewed the event since,
        :class:`StaleReview` is raised and nothing is written. Unknown ids raise
        ValueError. ``current`` maps the ids to the events as the caller read them
        (the dashboard has them): without it the store reads all its events once to
        find them, which on a large store is seconds. Returns the new log rows.
        """
        if action not in ("confirm", "reject", "correct"):
            raise ValueError(f"unknown review action {action!r}: confirm, reject or correct")
        if action == "correct" and not changes:
            raise ValueError("a correction needs at least one changed field")
        ids = list(dict.fromkeys(event_ids))
        if not ids:
            raise ValueError("no event id given")
        if current is None or any(i not in current for i in ids):
            current = {ev.event_id: ev for ev in self.events(include_rejected=True)}
        missing = [i for i in ids if i not in current]
        if missing:
            raise ValueError(f"no event {', '.join(missing)} in {self.path}")
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        written = []
        with self._write() as conn:
            for event_id in ids:
                last = self._last_review(event_id)
                seen = (expected or {}).get(event_id)
                if seen is not None and seen != (last.id if last else 0):
                    raise StaleReview(
                        f"event {event_id} was reviewed since you loaded it: {last.describe() if last else 'review withdrawn'}; "
                        "reload to see the change before reviewing it again")
                added = self._added_review(event_id)
                prior = dict(last.changes) if last and last.action != "add" else {}
                if action == "correct":
                    prior.update(changes or {})
                if action == "reject":
                    status = "rejected"
                elif added is not None:
                    status = "added"
                else:
                    status = "corrected" if prior else "confirmed"
                ev = current[event_id]
                anchor = anchor_of(ev) if last is None else last.anchor
                cur = conn.execute(
                    "INSERT INTO reviews (event_id, action, status, changes, anchor, reviewer, note, created_at, "
                    "supersedes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (event_id, action, status, json.dumps(prior, ensure_ascii=False), json.dumps(anchor),
                     reviewer.strip(), note.strip(), now, last.id if last else 0))
                written.append(Review(int(cur.lastrowid), event_id, action, status, prior, anchor,
                                      reviewer.strip(), note.strip(), now, last.id if last else 0))
        return written

    def add_event(
        self,
        doc_name: str,
        evidence: str,
        event_type: str,
        place,
        date_start: str | date,
        date_end: str | date | None = None,
        reviewer: str = "",
        note: str = "",
        place_mention: str = "",
    ) -> Event:
        """Add an event the extractor missed, backed by a sentence of a stored article.

        ``place`` is a :class:`geo.model.Place` (see ``geo.review.resolve_place``);
        ``evidence`` must occur in the article's text (spaces and line breaks may differ).
        Returns the new event, reviewed as ``added``.
        """
        import re as _re

        doc = self.document(doc_name)
        if doc is None:
            raise ValueError(f"no article {doc_name!r} in {self.path}")
        words = evidence.split()
        if not words:
            raise ValueError("the evidence sentence is empty")
        m = _re.search(r"\s+".join(_re.escape(w) for w in words), doc.text)
        if m is None:
            raise ValueError(f"the evidence is not in {doc_name}: {evidence[:80]!r}")
        record = {"event_type": check_type(event_type), **place_change(place, place_mention),
                  **date_change(date_start, date_end), "historical": False, "confidence": 1.0,
                  "fatalities": None, "arrests": None}
        record["sources"] = [{"doc": doc.name, "evidence": m.group(0), "start": m.start(), "end": m.end()}]
        event_id = added_id(doc.name, m.start(), m.end(), record)
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM reviews WHERE event_id = ?", (event_id,)).fetchone():
                raise ValueError(f"this event was already added (event {event_id})")
            conn.execute(
                "INSERT INTO reviews (event_id, action, status, changes, anchor, reviewer, note, created_at) "
                "VALUES (?, 'add', 'added', ?, '{}', ?, ?, ?)",
                (event_id, json.dumps(record, ensure_ascii=False), reviewer.strip(), note.strip(), now))
        with self._lock:
            row = self._conn.execute("SELECT * FROM reviews WHERE event_id = ?", (event_id,)).fetchone()
        return apply_reviews([], [], [_review(row)], self._doc_meta({doc.name}))[0]

    def reviews(self, event_id: str | None = None) -> list[Review]:
        """The review log, oldest first (of one event when ``event_id`` is given)."""
        sql = "SELECT * FROM reviews" + (" WHERE event_id = ?" if event_id else "") + " ORDER BY id"
        with self._lock:
            rows = self._conn.execute(sql, (event_id,) if event_id else ()).fetchall()
        return [_review(r) for r in rows]

    def _last_review(self, event_id: str) -> Review | None:
        row = self._conn.execute("SELECT * FROM reviews WHERE event_id = ? ORDER BY id DESC LIMIT 1",
                                 (event_id,)).fetchone()
        return None if row is None else _review(row)

    def _added_review(self, event_id: str) -> Review | None:
        row = self._conn.execute("SELECT * FROM reviews WHERE event_id = ? AND action = 'add'",
                                 (event_id,)).fetchone()
        return None if row is None else _review(row)

    def _latest_reviews(self) -> tuple[list[Review], list[Review]]:
        """The latest review of each reviewed event, and the events added by hand."""
        latest = [_review(r) for r in self._conn.execute(
            "SELECT * FROM reviews WHERE id IN (SELECT max(id) FROM reviews GROUP BY event_id) ORDER BY id")]
        added = [_review(r) for r in self._conn.execute("SELECT * FROM reviews WHERE action = 'add' ORDER BY id")]
        return latest, added

    def _added_meta(self, added: Sequence[Review]) -> dict[str, dict]:
        """The stored articles' metadata for the sources of the events added by hand."""
        return self._doc_meta({s.doc for a in added for s in added_event(a).sources})

    def _doc_meta(self, names: set[str]) -> dict[str, dict]:
        """Title, publisher, date and URL of stored articles by name (for the sources of added events)."""
        out: dict[str, dict] = {}
        with self._lock:
            for name in names:
                row = self._conn.execute(
                    "SELECT title, publisher, published, url FROM documents WHERE name = ? ORDER BY id DESC LIMIT 1",
                    (name,)).fetchone()
                if row is not None:
                    out[name] = dict(row)
        return out

    def get_meta(self, key: str) -> str | None:
        with self._lock:
            row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self._lock:
            self._conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # -- reading ---------------------------------------------------------------------------

    def events(
        self,
        date_from: str | date | None = None,
        date_to: str | date | None = None,
        types: Iterable[str] | None = None,
        historical: bool | None = None,
        include_rejected: bool = False,
    ) -> list[Event]:
        """Events merged across documents, each with all its sources, reviews applied.

        ``date_from``/``date_to`` keep events whose span overlaps the interval;
        ``types`` keeps those types (unknown names raise ValueError);
        ``historical`` False drops historical events, True keeps only them;
        rejected events are left out unless ``include_rejected``. The filters
        apply to the reviewed values (a corrected date moves the event).
        """
        lo, hi, wanted = _filters(date_from, date_to, types)
        with self._lock:
            latest, added = self._latest_reviews()
        if not latest:  # no review, nothing rejected: the filters are the SQL's
            return self._extracted_events(lo, hi, wanted, historical)
        # a correction may move an event into the filter or out of it: filter after applying
        events = apply_reviews(self._extracted_events(None, None, None, None), latest, added,
                               self._added_meta(added))
        return [ev for ev in events if _kept(ev, lo, hi, wanted, historical, include_rejected)]

    def iter_events(
        self,
        date_from: str | date | None = None,
        date_to: str | date | None = None,
        types: Iterable[str] | None = None,
        historical: bool | None = None,
        include_rejected: bool = False,
        batch_rows: int = 50_000,
    ) -> Iterator[Event]:
        """The events of :meth:`events`, in the same order, read a few days at a time, so an
        export of millions of events never holds them all.

        Exact because every event's rows share its first day (the day is part of what makes
        two rows one event): merging the rows of a run of days merges all of theirs. With
        reviews in the store, which may move an event to another day, the events are read
        twice, a few days at a time: once to place the reviews (:func:`review_plan` keeps only
        the events a review may follow), once to lay them over and filter the reviewed values.
        """
        lo, hi, wanted = _filters(date_from, date_to, types)
        with self._lock:
            latest, added = self._latest_reviews()
        if not latest:
            yield from self._days_of_events(lo, hi, wanted, historical, batch_rows)
            return
        plan = review_plan(self._days_of_events(None, None, None, None, batch_rows), latest, added)
        reviewed = itertools.chain(overlay(self._days_of_events(None, None, None, None, batch_rows), plan),
                                   added_events(latest, added, self._added_meta(added)))
        yield from (ev for ev in reviewed if _kept(ev, lo, hi, wanted, historical, include_rejected))

    def _days_of_events(self, lo: str | None, hi: str | None, wanted: set[str] | None,
                        historical: bool | None, batch_rows: int) -> Iterator[Event]:
        """The extractor's merged events in :meth:`events` order, read a run of days at a time."""
        where, params = _conditions(lo, hi, wanted, historical)
        with self._lock:
            per_day = self._conn.execute(
                "SELECT e.date_start, count(*) FROM events e"
                + (" WHERE " + " AND ".join(where) if where else "")
                + " GROUP BY e.date_start ORDER BY e.date_start", params).fetchall()
        days: list[str] = []
        rows = 0
        for day, count in per_day:
            days.append(day)
            rows += count
            if rows >= batch_rows or len(days) >= 500:  # (a bounded number of SQL parameters too)
                yield from self._extracted_events(lo, hi, wanted, historical, days)
                days, rows = [], 0
        if days:
            yield from self._extracted_events(lo, hi, wanted, historical, days)

    def _extracted_events(self, lo: str | None, hi: str | None, wanted: set[str] | None,
                          historical: bool | None, days: Sequence[str] | None = None) -> list[Event]:
        """The extractor's events merged across documents (no review applied), filtered in SQL;
        ``days`` keeps those whose first day is one of them."""
        where, params = _conditions(lo, hi, wanted, historical)
        if days is not None:
            where.append(f"e.date_start IN ({', '.join('?' * len(days))})" if days else "0")
            params.extend(days)
        cond = " WHERE " + " AND ".join(where) if where else ""
        # by article name and content, not by when it was stored: the merged events are the same
        # whatever order a parallel ingest wrote the articles in
        sql = (f"SELECT e.id, e.doc_id, {', '.join('e.' + c for c in _EVENT_COLUMNS)} "
               f"FROM events e JOIN documents d ON d.id = e.doc_id{cond} "
               "ORDER BY e.date_start, d.name, d.sha256, e.id")
        # the evidence of the same events in one pass (a join, not one query per few hundred ids)
        sources_sql = ('SELECT s.event_id, s.evidence, s.start, s."end" FROM sources s '
                       f"JOIN events e ON e.id = s.event_id{cond} ORDER BY s.id")
        with self._lock:
            conn = self._conn
            conn.row_factory = None  # plain tuples: 200,000 rows read in half the time
            try:
                rows = conn.execute(sql, params).fetchall()
                docs = {r[0]: r[1:] for r in conn.execute(
                    "SELECT id, name, title, publisher, published, url FROM documents")}
                sources: dict[int, list[tuple]] = {}
                if rows:
                    for s in conn.execute(sources_sql, params):
                        sources.setdefault(s[0], []).append(s)
            finally:
                conn.row_factory = sqlite3.Row
        n = len(_EVENT_COLUMNS)
        flags = (_EVENT_COLUMNS.index("historical"), _EVENT_COLUMNS.index("date_uncertain"))
        per_doc = []
        for r in rows:
            values = list(r[2:2 + n])
            for i in flags:
                values[i] = bool(values[i])
            ev = Event(*values)
            name, title, publisher, published, url = docs[r[1]]
            ev.sources = [Source(name, s[1], s[2], s[3], title, publisher, published, url)
                          for s in sources.get(r[0], ())]
            per_doc.append(ev)
        return merge_events(per_doc, copy=False)

    def date_range(self) -> tuple[str, str] | None:
        """Earliest start and latest end over all events, or None for an empty store."""
        with self._lock:
            row = self._conn.execute("SELECT min(date_start), max(date_end) FROM events").fetchone()
        if row[0] is None:
            return None
        return (row[0], row[1])

    def _row_to_document(self, row: sqlite3.Row, text: str) -> Document:
        sections = [Section(**s) for s in json.loads(row["sections"] or "[]")]
        return Document(
            name=row["name"], text=text, sha256=row["sha256"], path=row["path"], title=row["title"],
            publisher=row["publisher"], published=row["published"],
            published_inferred=bool(row["published_inferred"]), url=row["url"],
            date_basis=row["date_basis"], encoding=row["encoding"], sections=sections,
        )

    def documents(self) -> list[Document]:
        """Stored documents in the order they were added, without their text (``text`` is "")."""
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {', '.join(_DOC_COLUMNS)} FROM documents ORDER BY id"
            ).fetchall()
        return [self._row_to_document(r, "") for r in rows]

    def _load_document(self, doc_id: int) -> Document:
        with self._lock:
            row = self._conn.execute(
                f"SELECT {', '.join(_DOC_COLUMNS)}, text FROM documents WHERE id = ?", (doc_id,)
            ).fetchone()
        return self._row_to_document(row, row["text"])

    def document(self, name: str) -> Document | None:
        """The most recently added document of that file name, with its text; None if absent."""
        with self._lock:
            row = self._conn.execute(
                "SELECT id FROM documents WHERE name = ? ORDER BY id DESC LIMIT 1", (name,)
            ).fetchone()
        return None if row is None else self._load_document(row[0])

    def version(self) -> tuple[int, ...]:
        """A cheap marker that changes whenever articles, events or reviews are written (rowid
        look-ups, no scan): what the dashboard keys its caches on, read on every rerun."""
        with self._lock:
            c = self._conn.execute
            return (c("SELECT count(*) FROM documents").fetchone()[0],
                    c("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0],
                    c("SELECT coalesce(max(id), 0) FROM events").fetchone()[0],
                    c("SELECT coalesce(max(id), 0) FROM reviews").fetchone()[0])

    def counts(self) -> dict[str, int]:
        """Sizes: documents, merged events, per-document event rows, evidence sources."""
        with self._lock:
            c = self._conn.execute
            return {
                "documents": c("SELECT count(*) FROM documents").fetchone()[0],
                "events": c(
                    "SELECT count(*) FROM (SELECT DISTINCT place_id, date_start, date_end, event_type "
                    "FROM events)"
                ).fetchone()[0],
                "event_rows": c("SELECT count(*) FROM events").fetchone()[0],
                "sources": c("SELECT count(*) FROM sources").fetchone()[0],
                "reviews": c("SELECT count(*) FROM reviews").fetchone()[0],
            }

    def check(self) -> list[str]:
        """Integrity problems (empty when consistent): SQLite's own check plus foreign keys."""
        with self._lock:
            out = [r[0] for r in self._conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
            out += [f"dangling reference in {r[0]} row {r[1]}"
                    for r in self._conn.execute("PRAGMA foreign_key_check")]
        return out


def _kept(ev: Event, lo: str | None, hi: str | None, wanted: set[str] | None, historical: bool | None,
          include_rejected: bool) -> bool:
    """Whether a reviewed event passes the events filters (the SQL's conditions, on reviewed values)."""
    return ((lo is None or ev.date_end >= lo) and (hi is None or ev.date_start <= hi)
            and (wanted is None or ev.event_type in wanted)
            and (historical is None or ev.historical == historical)
            and (include_rejected or ev.review != "rejected"))


def _filters(date_from: str | date | None, date_to: str | date | None,
             types: Iterable[str] | None) -> tuple[str | None, str | None, set[str] | None]:
    """The filters of :meth:`Store.events` checked: ISO bounds in order, known event types."""
    lo = _iso_date(date_from, "date_from")
    hi = _iso_date(date_to, "date_to")
    if lo and hi and lo > hi:
        raise ValueError(f"date_from {lo} is after date_to {hi}")
    return lo, hi, None if types is None else {check_type(t) for t in types}


def _conditions(lo: str | None, hi: str | None, wanted: set[str] | None,
                historical: bool | None) -> tuple[list[str], list]:
    """SQL conditions on the events table (alias ``e``) for the filters of :meth:`Store.events`."""
    where: list[str] = []
    params: list = []
    if lo:
        where.append("e.date_end >= ?")
        params.append(lo)
    if hi:
        where.append("e.date_start <= ?")
        params.append(hi)
    if wanted is not None:
        wanted_list = sorted(wanted)
        where.append(f"e.event_type IN ({', '.join('?' * len(wanted_list))})" if wanted_list else "0")
        params.extend(wanted_list)
    if historical is not None:
        where.append("e.historical = ?")
        params.append(int(historical))
    return where, params


def _review(row: sqlite3.Row) -> Review:
    return Review(id=row["id"], event_id=row["event_id"], action=row["action"], status=row["status"],
                  changes=json.loads(row["changes"] or "{}"), anchor=json.loads(row["anchor"] or "{}"),
                  reviewer=row["reviewer"], note=row["note"], created_at=row["created_at"],
                  supersedes=row["supersedes"])


def default_store_path() -> Path:
    """``GEO_STORE`` if set (read now, not at import), else data/events.sqlite."""
    from geo.paths import DATA_DIR

    env = os.environ.get("GEO_STORE")
    return Path(env) if env else DATA_DIR / "events.sqlite"


def open_default_store(progress: Progress | None = None) -> Store:
    """Open the default store, building it from seeds/ the first time.

    The seed ingest is marked done in the store only once it completes, so a
    build interrupted half-way is resumed (stored articles are skipped) on the
    next call rather than left incomplete.
    """
    from geo.paths import SEEDS_DIR

    import importlib

    # the extractor's fingerprint (a stand-in extractor, as in tests, may have none)
    EXTRACTOR_VERSION = getattr(importlib.import_module("geo.pipeline"), "EXTRACTOR_VERSION", "")
    store = Store(default_store_path())
    try:
        if store.get_meta("seeded") is None:
            report = store.ingest([SEEDS_DIR], progress=progress)
            store.set_meta("seeded", json.dumps({"added": report.added, "problems": len(report.problems)}))
            store.set_meta("extractor_version", EXTRACTOR_VERSION)
        elif store.get_meta("extractor_version") not in (None, EXTRACTOR_VERSION):
            # seeded by an older extractor: extract the stored articles again (a store that never
            # recorded a version was not built by this function and is left as it is)
            store.reextract(progress=progress)
            store.set_meta("extractor_version", EXTRACTOR_VERSION)
    except BaseException:
        store.close()
        raise
    return store
