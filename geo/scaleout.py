"""Ingest at scale: articles extracted on a Dask cluster (or in this process), one writer storing them.

Why Dask: it is the PyData engine for this (local processes on one machine,
``dask scheduler`` + ``dask worker`` across machines), so nothing here manages
processes itself. The driver streams the inputs (files, folders, JSON Lines,
WARC crawls: :func:`geo.documents.iter_uploads`), hashes each article, skips
those already stored, and sends the rest in small chunks to the workers, a
bounded number at a time, so memory stays flat whatever the input size. Each
worker loads the place index once and reads and extracts its articles; the
driver writes the results, a batch of articles per transaction.

The events are the same as a plain single-process ingest's, whatever the
engine, the number of workers or the order of the inputs:

- extraction is a pure function of an article;
- the store reads events in article-name order, not in the order they were written;
- an article whose text gives a date without a year ("ALMATY, Jan 5") takes the
  year of the batch (:func:`geo.documents.year_reference`), which depends on every
  stated date of the input. Such an article is read with the year the dates seen
  so far give, and held back; at the end, those whose day the whole batch's year
  reference dates the same are stored as they are, the others (and those read
  before any date was seen) are read again with it. A homogeneous batch needs no
  second pass, and the result is the same as if every article had waited.

Resumable: each batch is one transaction and stored articles are skipped, so
after a crash or ``kill -9`` a rerun completes the store with exactly the events
of an uninterrupted run.
"""
from __future__ import annotations

import hashlib
import logging
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from geo.documents import MAX_BYTES, DocumentError, Problem, Upload, complete_year, document_from_bytes, \
    iter_uploads, year_reference
from geo.model import Document, Event

# Starting worker processes costs a few seconds (each loads the place index): with no --workers
# given, an input of fewer new articles than this is extracted in this process.
MIN_FOR_CLUSTER = 64
CHUNK_ARTICLES = 16  # articles sent to a worker at a time
CHUNK_BYTES = 4_000_000
BATCH = 64  # articles written per transaction
WAITING = "waiting"  # first pass: an article without a year is left for the second
HELD_MAX = 2_000  # articles read with a provisional year kept in memory until the batch's year is known

_log = logging.getLogger(__name__)


@dataclass
class Stats:
    """How far an ingest is, for a progress bar."""

    articles: int = 0  # articles done (stored, skipped or failed)
    total: int | None = None  # known once the inputs have all been listed
    words: int = 0  # words of the articles extracted
    events: int = 0  # event rows stored
    seconds: float = 0.0

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds > 0 else 0.0


@dataclass
class ScaleReport:
    """What the ingest did (as :class:`geo.store.IngestReport`), and how fast."""

    added: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    events: int = 0
    words: int = 0
    seconds: float = 0.0
    engine: str = "in-process"


# ---------------------------------------------------------------- on the workers


def extract_chunk(items: Sequence[tuple[str, str, bytes, str, dict | None]], ref) -> list[tuple]:
    """Read and extract a chunk of articles (this runs on a worker).

    ``ref`` is the batch's year reference; in the first pass, the one the dates seen so far
    give (``("provisional", ref)``), or :data:`WAITING` when none is known yet.
    Returns, per article, ``("done", sha256, document, events, words)``,
    ``("provisional", sha256, document, events, words)`` (dated with a provisional year),
    ``("waiting", sha256)`` or ``("problem", sha256, Problem)``.
    """
    from geo.pipeline import extract_document

    out: list[tuple] = []
    for sha, name, data, path, row in items:  # sha256 of the bytes, computed once by the driver
        try:
            doc = document_from_bytes(name, data, row, path=path, max_bytes=MAX_BYTES)
        except DocumentError as exc:
            out.append(("problem", sha, Problem(exc.path, exc.reason)))
            continue
        kind = "done"
        if doc.published is None:
            if ref == WAITING:
                out.append(("waiting", sha))
                continue
            provisional = isinstance(ref, tuple) and len(ref) == 2 and ref[0] == "provisional"
            complete_year(doc, ref[1] if provisional else ref)
            if provisional and doc.published is not None:
                kind = "provisional"  # its year came from part of the batch: checked at the end
        try:
            events = extract_document(doc)
        except Exception as exc:  # one bad article must not stop the run
            out.append(("problem", sha, Problem(path or name, f"extraction failed: {type(exc).__name__}: {exc}")))
            continue
        out.append((kind, sha, doc, events, len(doc.text.split())))
    return out


# ---------------------------------------------------------------- engines


class InProcess:
    """Runs the chunks here, one after another (``--workers 1``, and small inputs)."""

    name = "in-process"
    workers = 1

    def map(self, func: Callable, calls: Iterable[tuple]) -> Iterator:
        for args in calls:
            yield func(*args)

    def close(self) -> None:
        pass


class OnDask:
    """Runs the chunks on a Dask cluster: local processes, or the scheduler at ``address``."""

    def __init__(self, workers: int | None = None, address: str | None = None) -> None:
        from distributed import Client, LocalCluster

        self._cluster = None
        if address:
            self.client = Client(address, timeout="30s")
            self.name = f"dask scheduler {address}"
        else:
            import dask
            import distributed  # noqa: F401  (registers its configuration)

            n = workers or os.cpu_count() or 1
            # Where processes can be forked, load the place index and the extractor here first: the
            # worker processes forked from this one share them instead of each loading its own
            # (about 0.8 s of CPU per worker, a large part of a short ingest on a small machine).
            method = "fork" if sys.platform.startswith("linux") else "spawn"
            if method == "fork":
                from geo.gazetteer import Gazetteer
                from geo.pipeline import extract_document  # noqa: F401

                Gazetteer.load()
            # The workers' statistical profiler samples every thread each 10 ms for Dask's dashboard;
            # a batch ingest on a small machine is better served by that CPU time.
            with dask.config.set({"distributed.worker.multiprocessing-method": method,
                                  "distributed.worker.profile.enabled": False}):
                self._cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                             dashboard_address=":0", silence_logs=logging.ERROR)
            self.client = Client(self._cluster)
            self.name = f"dask, {n} local worker processes"
        self.workers = max(1, len(self.client.scheduler_info()["workers"]))
        self.in_flight = 3 * self.workers  # enough to keep every worker busy, few enough to bound memory

    def map(self, func: Callable, calls: Iterable[tuple]) -> Iterator:
        """``func(*args)`` for each ``args`` of ``calls``, a bounded number in flight; ``calls`` is read
        lazily, as results come back (a call may depend on the results before it)."""
        from distributed import as_completed

        pending = as_completed()
        calls = iter(calls)
        for args in calls:
            pending.add(self.client.submit(func, *args, pure=False))
            if pending.count() >= self.in_flight:
                break
        for future in pending:
            result = future.result()
            future.release()
            yield result
            nxt = next(calls, None)
            if nxt is not None:
                pending.add(self.client.submit(func, *nxt, pure=False))

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


@contextmanager
def engine(workers: int | None, scheduler: str | None, small: bool):
    """The engine for a run: a scheduler's cluster, local Dask processes, or this process."""
    if scheduler:
        eng = OnDask(address=scheduler)
    elif workers == 1 or (workers is None and small) or (os.cpu_count() or 1) == 1 and workers is None:
        eng = InProcess()
    else:
        eng = OnDask(workers=workers)
    try:
        yield eng
    finally:
        eng.close()


# ---------------------------------------------------------------- the driver


def _chunks(uploads: Iterable[tuple[str, Upload]], articles: int | None = None) -> Iterator[list[tuple]]:
    """(sha256, upload) pairs in chunks for the workers, of a few articles (:data:`CHUNK_ARTICLES`
    unless said) or megabytes."""
    articles = articles or CHUNK_ARTICLES
    chunk: list[tuple] = []
    size = 0
    for sha, up in uploads:
        chunk.append((sha, up.name, up.data, up.path, up.manifest_row))
        size += len(up.data)
        if len(chunk) >= articles or size >= CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _completed(doc: Document, ref) -> str | None:
    """The date :func:`complete_year` would give ``doc`` (dated with another reference) with ``ref``."""
    copy = Document(name=doc.name, text=doc.text, sha256=doc.sha256)
    complete_year(copy, ref)
    return copy.published


def ingest(paths: Sequence[str | os.PathLike], store, workers: int | None = None, scheduler: str | None = None,
           batch: int = BATCH, progress: Callable[[Stats], None] | None = None) -> ScaleReport:
    """Extract the new articles under ``paths`` and store them (see the module's docstring).

    ``workers``: 1 runs in this process; N starts N local Dask worker processes;
    None uses every core (in this process for fewer than :data:`MIN_FOR_CLUSTER`
    new articles). ``scheduler`` (``tcp://host:port``) uses an existing cluster.
    """
    if workers is not None and workers < 1:
        raise ValueError(f"--workers must be 1 or more, not {workers}")
    if batch < 1:
        raise ValueError(f"--batch must be 1 or more, not {batch}")
    report = ScaleReport()
    stats = Stats()
    t0 = time.perf_counter()
    occurrences: Counter[str] = Counter()  # sha256 -> times it occurs in the input
    stated: dict[str, str | None] = {}  # sha256 -> the publication date its article states
    stored_before: list[str] = []
    waiting: set[str] = set()
    held: dict[str, tuple[Document, list[Event], int]] = {}  # read with a provisional year
    unreferenced: dict[str, tuple] = {}  # articles sent before any date was known, by sha256
    retry: list[tuple] = []  # year-less articles among those, to read again once a year is known
    pending: list[tuple[Document, list[Event]]] = []

    def tick() -> None:
        stats.seconds = time.perf_counter() - t0
        if progress is not None:
            progress(stats)

    def flush() -> None:
        if pending:
            written = store.add_documents(pending)
            names = set(written)
            for doc, events in pending:
                if doc.name in names:
                    report.added.append(doc.name)
                    report.events += len(events)
                    stats.events += len(events)
                else:  # stored meanwhile by another process
                    report.skipped.append(doc.name)
            pending.clear()

    def new_uploads(second_pass: bool) -> Iterator[tuple[str, Upload]]:
        """The input's articles not yet stored (first pass), or those waiting for the year (second),
        with the sha256 of each."""
        seen: set[str] = set()
        listed = 0
        for item in iter_uploads(paths):
            if isinstance(item, Problem):
                if not second_pass:
                    report.problems.append(item)
                    stats.articles += 1
                continue
            sha = hashlib.sha256(item.data).hexdigest()
            if second_pass:
                if sha in waiting and sha not in seen:
                    seen.add(sha)
                    yield sha, item
                continue
            listed += 1
            occurrences[sha] += 1
            if sha in seen or store.has_document(sha):
                if sha not in seen:
                    stored_before.append(sha)
                seen.add(sha)
                report.skipped.append(item.name)
                stats.articles += 1
                continue
            seen.add(sha)
            yield sha, item
        if not second_pass:
            stats.total = listed + len(report.problems)

    def consume(results: Iterable[list[tuple]]) -> None:
        for outcome in results:
            for rec in outcome:
                kind, sha = rec[0], rec[1]
                item = unreferenced.pop(sha, None)
                if kind == "waiting":
                    stated[sha] = None
                    if item is not None and len(held) + len(retry) < HELD_MAX:
                        retry.append(item)  # read again in this pass, as soon as a year is known
                    else:
                        waiting.add(sha)
                    continue
                if kind == "provisional":
                    held[sha] = (rec[2], rec[3], rec[4])
                    stated[sha] = None
                    continue
                stats.articles += 1
                if kind == "problem":
                    report.problems.append(rec[2])
                    continue
                doc, events, words = rec[2], rec[3], rec[4]
                stated.setdefault(sha, None if doc.published_inferred else doc.published)
                keep(doc, events, words)
            tick()

    def keep(doc: Document, events: list[Event], words: int) -> None:
        stats.words += words
        report.words += words
        pending.append((doc, events))
        if len(pending) >= batch:
            flush()

    def reference(dates: Iterable[tuple[str, str | None]]):
        return year_reference(d for sha, d in dates if d for _ in range(occurrences[sha]))

    def first_calls() -> Iterator[tuple]:
        """The first pass's chunks, each with the year reference of the dates seen so far (read when
        the chunk is sent), or WAITING before any is known or once enough articles are held. The
        year-less articles of chunks sent before any date was known go again, with one, as soon as
        one is."""
        for chunk in _chunks(first_stream()):
            ref = reference(stated.items()) if len(held) < HELD_MAX else None
            while ref is not None and retry:
                part, retry[:] = retry[:CHUNK_ARTICLES], retry[CHUNK_ARTICLES:]
                yield part, ("provisional", ref)
            if ref is None:
                unreferenced.update((item[0], item) for item in chunk)
            yield chunk, (("provisional", ref) if ref is not None else WAITING)

    first = new_uploads(second_pass=False)
    head = []
    for item in first:
        head.append(item)
        if len(head) >= MIN_FOR_CLUSTER:
            break
    small = len(head) < MIN_FOR_CLUSTER

    def first_stream() -> Iterator[tuple[str, Upload]]:
        yield from head
        yield from first

    with engine(workers, scheduler, small) as eng:
        report.engine = eng.name
        consume(eng.map(extract_chunk, first_calls()))
        flush()
        waiting.update(item[0] for item in retry)  # came back after the last chunk was sent
        retry.clear()
        unreferenced.clear()
        if waiting or held:
            stated.update(store.stated_dates(stored_before))
            ref = reference(stated.items())
            # an article read with a provisional year stands if the batch's year dates it the same
            for sha, (doc, events, words) in sorted(held.items()):
                if ref is not None and _completed(doc, ref) == doc.published:
                    stats.articles += 1
                    keep(doc, events, words)
                else:
                    waiting.add(sha)
            held.clear()
            flush()
        if waiting:
            # the second pass is known in advance: chunks small enough that every worker gets several
            per_chunk = max(1, min(CHUNK_ARTICLES, len(waiting) // (4 * eng.workers)))
            consume(eng.map(extract_chunk, ((chunk, ref) for chunk in
                                            _chunks(new_uploads(second_pass=True), per_chunk))))
            flush()
    stats.seconds = report.seconds = time.perf_counter() - t0
    tick()
    return report
