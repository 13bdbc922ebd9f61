"""The SQLite event store: schema checks, one transaction per document, merging on read, filters."""
from __future__ import annotations

import hashlib
import sqlite3
import sys
import types
from pathlib import Path

import pytest

from geo.model import Document, Event, Section, Source
from geo.store import APPLICATION_ID, SCHEMA_VERSION, Store, StoreError, open_default_store


def make_doc(name: str, text: str, published: str = "2022-01-06", **kw) -> Document:
    return Document(
        name=name, text=text, sha256=hashlib.sha256(text.encode()).hexdigest(),
        path=f"/articles/{name}", title=f"Title of {name}", publisher="Pub", published=published,
        url=f"https://example.org/{name}", **kw,
    )


def make_event(doc: str, place: str = "Almaty", place_id: str = "gn:1526384", event_type: str = "protest",
               start: str = "2022-01-05", end: str = "2022-01-05", evidence: str = "Crowds gathered.",
               **kw) -> Event:
    base = dict(
        event_type=event_type, place=place, place_id=place_id, level="city", lat=43.25, lon=76.92,
        country="KZ", date_start=start, date_end=end, time_precision="day" if start == end else "range",
        admin1="Almaty", place_mention=place, confidence=0.6,
        sources=[Source(doc=doc, evidence=evidence, start=0, end=len(evidence))],
    )
    base.update(kw)
    return Event(**base)


def fake_pipeline(monkeypatch, func) -> None:
    """Replace geo.pipeline.extract_document whether or not the real module exists yet."""
    module = types.ModuleType("geo.pipeline")
    module.extract_document = func
    monkeypatch.setitem(sys.modules, "geo.pipeline", module)


def test_new_store_has_schema_version_and_marker(tmp_path):
    path = tmp_path / "s.sqlite"
    with Store(path) as store:
        assert store.counts() == {"documents": 0, "events": 0, "event_rows": 0, "sources": 0, "reviews": 0}
        assert store.date_range() is None
        assert store.events() == []
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_random_file_is_refused_with_its_name(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"this is not a database at all\n" * 200)
    with pytest.raises(StoreError) as err:
        Store(path)
    assert str(path) in str(err.value) and "not an events store" in str(err.value)


def test_other_applications_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="another application"):
        Store(path)


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "s.sqlite"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer version"):
        Store(path)


def test_missing_folder_and_directory_are_clear_errors(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "nope" / "s.sqlite")
    with pytest.raises(StoreError, match="directory"):
        Store(tmp_path)


def test_document_round_trip_keeps_metadata_and_text(tmp_path):
    doc = make_doc("a.txt", "Crowds gathered in Almaty.", published_inferred=True, date_basis="dateline",
                   sections=[Section(0, 10, "2022-01-06", "6 January")])
    with Store(tmp_path / "s.sqlite") as store:
        assert store.add_document(doc, [make_event("a.txt")])
        listed = store.documents()
        assert [d.name for d in listed] == ["a.txt"]
        assert listed[0].text == ""  # the listing does not load texts
        full = store.document("a.txt")
    assert full == doc
    assert store.path.exists()


def test_events_merge_across_documents_with_all_sources(tmp_path):
    a = make_doc("a.txt", "text a")
    b = make_doc("b.txt", "text b", published="2022-01-07")
    with Store(tmp_path / "s.sqlite") as store:
        store.add_document(a, [make_event("a.txt", evidence="Thousands rallied in Almaty.", confidence=0.5),
                               make_event("a.txt", place="Aktau", place_id="gn:610611", event_type="riot")])
        store.add_document(b, [make_event("b.txt", evidence="A rally in Almaty.", confidence=0.5)])
        events = store.events()
        assert store.counts() == {"documents": 2, "events": 2, "event_rows": 3, "sources": 3, "reviews": 0}
    almaty = [e for e in events if e.place == "Almaty"]
    assert len(events) == 2 and len(almaty) == 1
    ev = almaty[0]
    assert [s.doc for s in ev.sources] == ["a.txt", "b.txt"]
    assert ev.sources[1].title == "Title of b.txt" and ev.sources[1].published == "2022-01-07"
    assert ev.sources[1].url == "https://example.org/b.txt"
    assert ev.sources[0].evidence == "Thousands rallied in Almaty."
    assert ev.confidence == pytest.approx(0.75)  # two independent documents at 0.5


def test_filters_by_span_overlap_type_and_historical(tmp_path):
    doc = make_doc("a.txt", "text")
    evs = [
        make_event("a.txt", start="2022-01-02", end="2022-01-04"),
        make_event("a.txt", event_type="strike", start="2022-01-06", end="2022-01-06"),
        make_event("a.txt", event_type="repression", start="2011-12-16", end="2011-12-16", historical=True),
    ]
    with Store(tmp_path / "s.sqlite") as store:
        store.add_document(doc, evs)
        assert store.date_range() == ("2011-12-16", "2022-01-06")
        # a span overlapping the bound is kept
        assert {e.event_type for e in store.events(date_from="2022-01-04")} == {"protest", "strike"}
        assert {e.event_type for e in store.events(date_to="2022-01-01")} == {"repression"}
        assert {e.event_type for e in store.events("2022-01-05", "2022-01-05")} == set()
        assert {e.event_type for e in store.events(types=["strike", "protest"])} == {"protest", "strike"}
        assert store.events(types=[]) == []
        assert {e.event_type for e in store.events(historical=False)} == {"protest", "strike"}
        assert [e.event_type for e in store.events(historical=True)] == ["repression"]
        with pytest.raises(ValueError, match="unknown event type 'demo'"):
            store.events(types=["demo"])
        with pytest.raises(ValueError, match="not an ISO date"):
            store.events(date_from="5 Jan")
        with pytest.raises(ValueError, match="after"):
            store.events(date_from="2022-02-01", date_to="2022-01-01")


def test_duplicate_document_is_skipped_by_sha(tmp_path, monkeypatch):
    calls = []

    def extract(doc):
        calls.append(doc.name)
        return [make_event(doc.name)]

    fake_pipeline(monkeypatch, extract)
    a = make_doc("a.txt", "same text")
    copy = make_doc("copy-of-a.txt", "same text")
    with Store(tmp_path / "s.sqlite") as store:
        first = store.ingest_documents([a, copy])
        again = store.ingest_documents([a])
        assert first.added == ["a.txt"] and first.skipped == ["copy-of-a.txt"] and first.events == 1
        assert again.added == [] and again.skipped == ["a.txt"] and again.events == 0
        assert calls == ["a.txt"]
        assert store.counts()["documents"] == 1


def test_interrupt_on_second_document_keeps_first_and_retry_completes(tmp_path, monkeypatch):
    docs = [make_doc(f"{i}.txt", f"text {i}") for i in range(3)]

    def crashing(doc):
        if doc.name == "1.txt":
            raise KeyboardInterrupt  # the process is stopped in the middle of the batch
        return [make_event(doc.name)]

    fake_pipeline(monkeypatch, crashing)
    path = tmp_path / "s.sqlite"
    with Store(path) as store:
        with pytest.raises(KeyboardInterrupt):
            store.ingest_documents(docs)
    with Store(path) as store:  # reopened as after a crash
        assert [d.name for d in store.documents()] == ["0.txt"]
        assert store.counts() == {"documents": 1, "events": 1, "event_rows": 1, "sources": 1, "reviews": 0}
        assert store.check() == []
        fake_pipeline(monkeypatch, lambda doc: [make_event(doc.name)])
        progress = []
        report = store.ingest_documents(docs, progress=lambda d, t, n: progress.append((d, t, n)))
        assert report.added == ["1.txt", "2.txt"] and report.skipped == ["0.txt"]
        assert progress == [(1, 3, "0.txt"), (2, 3, "1.txt"), (3, 3, "2.txt")]
        assert store.counts()["documents"] == 3 and store.check() == []


def test_extractor_error_is_a_problem_and_the_batch_goes_on(tmp_path, monkeypatch):
    docs = [make_doc(f"{i}.txt", f"text {i}") for i in range(3)]

    def failing(doc):
        if doc.name == "1.txt":
            raise RuntimeError("extractor crashed")
        return [make_event(doc.name)]

    fake_pipeline(monkeypatch, failing)
    with Store(tmp_path / "s.sqlite") as store:
        report = store.ingest_documents(docs)
        assert report.added == ["0.txt", "2.txt"] and report.events == 2
        [problem] = report.problems
        assert problem.path == "/articles/1.txt" and "RuntimeError: extractor crashed" in problem.reason
        fake_pipeline(monkeypatch, lambda doc: [make_event(doc.name, event_type="bogus")])
        report = store.ingest_documents(docs)  # the failed one is retried; a bad type is a problem too
        assert report.added == [] and "unknown event type" in report.problems[0].reason
        fake_pipeline(monkeypatch, lambda doc: [make_event(doc.name)])
        assert store.ingest_documents(docs).added == ["1.txt"]
        assert store.check() == []


def test_failure_while_writing_leaves_no_half_document(tmp_path, monkeypatch):
    doc = make_doc("a.txt", "text")
    events = [make_event("a.txt"), make_event("a.txt", place="Aktau", place_id="gn:610611")]
    calls = {"n": 0}
    real = Store._insert_source

    def failing_insert(self, event_row, doc_id, src):
        calls["n"] += 1
        if calls["n"] == 2:
            raise sqlite3.OperationalError("disk I/O error")
        real(self, event_row, doc_id, src)

    with Store(tmp_path / "s.sqlite") as store:
        monkeypatch.setattr(Store, "_insert_source", failing_insert)
        with pytest.raises(sqlite3.OperationalError):
            store.add_document(doc, events)
        assert store.counts() == {"documents": 0, "events": 0, "event_rows": 0, "sources": 0, "reviews": 0}
        monkeypatch.setattr(Store, "_insert_source", real)
        assert store.add_document(doc, events)
        assert store.counts()["sources"] == 2


def test_unknown_event_type_rolls_back_the_document(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        with pytest.raises(ValueError, match="unknown event type"):
            store.add_document(make_doc("a.txt", "t"), [make_event("a.txt"), make_event("a.txt", event_type="x")])
        assert store.counts()["documents"] == 0


def test_concurrent_reader_sees_committed_documents(tmp_path):
    path = tmp_path / "s.sqlite"
    with Store(path) as writer, Store(path) as reader:
        writer.add_document(make_doc("a.txt", "t"), [make_event("a.txt")])
        assert len(reader.events()) == 1


def test_reextract_replaces_rows_per_document(tmp_path, monkeypatch):
    with Store(tmp_path / "s.sqlite") as store:
        store.add_document(make_doc("a.txt", "Strike in Almaty."), [make_event("a.txt")])
        fake_pipeline(monkeypatch, lambda doc: [make_event(doc.name, event_type="strike", evidence=doc.text)])
        assert store.reextract() == 1
        [ev] = store.events()
    assert ev.event_type == "strike" and ev.sources[0].evidence == "Strike in Almaty."


def test_open_default_store_seeds_once_and_honours_env(tmp_path, monkeypatch):
    seen = []

    def extract(doc):
        seen.append(doc.name)
        return []

    fake_pipeline(monkeypatch, extract)
    path = tmp_path / "default.sqlite"
    monkeypatch.setenv("GEO_STORE", str(path))
    with open_default_store() as store:
        n = store.counts()["documents"]
    assert path.exists() and n >= 5 and len(seen) == n
    with open_default_store() as store:
        assert store.counts()["documents"] == n
    assert len(seen) == n  # second open extracts nothing


def test_real_seeds_end_to_end(tmp_path):
    """Ingest the seed articles with the real reader and extractor; re-ingest adds nothing."""
    from geo.documents import read_paths
    from geo.paths import SEEDS_DIR
    from geo.pipeline import extract_documents

    path = tmp_path / "seeds.sqlite"
    with Store(path) as store:
        report = store.ingest([SEEDS_DIR])
        assert len(report.added) == 5 and report.problems == [] and report.events > 0
        counts = store.counts()
        assert counts["event_rows"] == report.events
        again = store.ingest([SEEDS_DIR])
        assert again.added == [] and sorted(again.skipped) == sorted(report.added) and again.events == 0
        assert store.counts() == counts
        events = store.events()
        texts = {d.name: store.document(d.name).text for d in store.documents()}
        assert store.check() == []
    # each evidence sentence is exactly the stored text at its offsets
    for ev in events:
        for src in ev.sources:
            assert texts[src.doc][src.start:src.end] == src.evidence
            assert src.title and src.published
    # some event is reported by several articles and merged into one
    assert any(len({s.doc for s in ev.sources}) > 1 for ev in events)
    # merging on read gives the same events as extracting the batch in one go
    docs, _ = read_paths([SEEDS_DIR])
    assert sorted(e.event_id for e in events) == sorted(e.event_id for e in extract_documents(docs))


def test_default_store_re_extracts_after_an_extractor_change(tmp_path, monkeypatch):
    """Events made by an older extractor are replaced when the default store is opened again."""
    from geo import store as store_mod

    path = tmp_path / "default.sqlite"
    monkeypatch.setenv("GEO_STORE", str(path))
    with store_mod.open_default_store() as st:
        before = len(st.events())
        assert before > 0
        st.set_meta("extractor_version", "an-older-one")
        with st._lock:
            st._conn.execute("DELETE FROM events")
        assert st.events() == []
    with store_mod.open_default_store() as st:
        assert len(st.events()) == before
        from geo.pipeline import EXTRACTOR_VERSION
        assert st.get_meta("extractor_version") == EXTRACTOR_VERSION


def test_reextract_command(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "s.sqlite"
    root = Path(__file__).resolve().parent.parent
    run = lambda *a: subprocess.run([sys.executable, "-m", "geo", *a], cwd=root, capture_output=True, text=True)
    assert run("ingest", "--quiet", "--store", str(path), str(root / "seeds")).returncode == 0
    out = run("reextract", "--quiet", "--store", str(path))
    assert out.returncode == 0, out.stderr
    assert "re-extracted 5 article(s)" in out.stdout


def test_default_store_leaves_a_store_it_did_not_build_alone(tmp_path, monkeypatch):
    """A store named by GEO_STORE that records no extractor version (built by other means) keeps its
    events: only stores seeded by an older extractor are re-extracted."""
    from geo import store as store_mod
    from geo.model import Document

    path = tmp_path / "mine.sqlite"
    with store_mod.Store(path) as st:
        doc = Document(name="a.txt", text="synthetic", sha256="a" * 64, published="2022-01-05")
        st.add_document(doc, [make_event("a.txt")])
        st.set_meta("seeded", "by hand")
        before = st.counts()["events"]
    monkeypatch.setenv("GEO_STORE", str(path))
    with store_mod.open_default_store() as st:
        assert before == 1 and st.counts()["events"] == before
        assert st.get_meta("extractor_version") is None


def test_the_extractor_fingerprint_covers_every_module_extraction_runs():
    """A change to dating, linking or focus (or any module the pipeline imports) must make a default
    store re-extract: the fingerprint follows the imports, it does not list files by hand."""
    from geo.fingerprint import extraction_modules

    modules = set(extraction_modules())
    assert {"pipeline", "documents", "events", "dating", "linking", "focus", "gazetteer", "timex",
            "placedata", "merge"} <= modules
    assert not modules & {"mapview", "dashboard", "app", "store", "cli"}


def test_the_fingerprint_changes_when_a_module_changes(tmp_path, monkeypatch):
    import shutil

    import geo.fingerprint as fp

    copy = tmp_path / "geo"
    shutil.copytree(fp.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fp, "PACKAGE", copy)
    fp.extractor_version.cache_clear()
    before = fp.extractor_version()
    (copy / "linking.py").write_text((copy / "linking.py").read_text() + "\n# changed\n")
    fp.extractor_version.cache_clear()
    after = fp.extractor_version()
    fp.extractor_version.cache_clear()
    assert before != after


# Two articles of one batch: the second states no year ("ALMATY, Jan 5"), so its date and the dates of
# its events depend on the year inferred from the first.
DATED_ARTICLE = (
    "Strike spreads across Mangystau\n\n2022-01-07 | Kazakhstan\n\n"
    "Oil workers in Zhanaozen went on strike on 2 January after the price of liquefied gas doubled. "
    "On 4 January thousands of people rallied in Aktau.\n"
).encode()
YEARLESS_ARTICLE = (
    "Police fire on crowd in Almaty\n\n"
    "ALMATY, Jan 5 (Reuters) - Police fired tear gas and stun grenades at thousands of protesters who stormed "
    "the mayor's office in Almaty on Wednesday.\n\n"
    "Protesters also set fire to police cars in Taldykorgan on Wednesday, witnesses said.\n"
).encode()


def stored(path: Path) -> tuple[dict, dict]:
    """A store's documents (what reading gave, without the file path and the time of adding) and its
    events as exported."""
    from geo.export import to_geojson

    with Store(path) as store:
        docs = {}
        for d in store.documents():
            full = store.document(d.name)
            docs[d.name] = (full.text, full.sha256, full.title, full.published, full.published_inferred,
                            full.date_basis, full.encoding, [(s.start, s.end, s.date) for s in full.sections])
        return docs, to_geojson(store.events())


def test_upload_reads_a_year_less_article_as_cli_ingest_does(tmp_path):
    """The dashboard's upload (Store.ingest_bytes) and `python -m geo ingest` read, date and extract the
    same articles alike: the article without a year is dated 2022-01-05 either way, with the same events."""
    import subprocess

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_bytes(DATED_ARTICLE)
    (folder / "b.txt").write_bytes(YEARLESS_ARTICLE)
    root = Path(__file__).resolve().parent.parent
    cli = subprocess.run([sys.executable, "-m", "geo", "ingest", "--quiet", "--store", str(tmp_path / "cli.sqlite"),
                          str(folder)], cwd=root, capture_output=True, text=True)
    assert cli.returncode == 0, cli.stderr
    with Store(tmp_path / "upload.sqlite") as store:
        report = store.ingest_bytes([("a.txt", DATED_ARTICLE), ("b.txt", YEARLESS_ARTICLE)])
    assert sorted(report.added) == ["a.txt", "b.txt"] and report.problems == []
    cli_docs, cli_events = stored(tmp_path / "cli.sqlite")
    up_docs, up_events = stored(tmp_path / "upload.sqlite")
    assert up_docs == cli_docs
    assert up_events == cli_events
    assert up_docs["b.txt"][3:5] == ("2022-01-05", True)
    b_events = [f["properties"] for f in up_events["features"]
                if any(s["doc"] == "b.txt" for s in f["properties"]["sources"])]
    assert b_events and all(p["date_start"].startswith("2022-01") for p in b_events)
    assert f"added 2 article(s) with {report.events} event(s)" in cli.stdout


def test_upload_names_unreadable_files(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        report = store.ingest_bytes([("empty.txt", b""), ("menu.html", b"<html><body><nav>Home</nav></body></html>"),
                                     ("paper.pdf", b"%PDF-1.4")])
        assert report.added == [] and store.counts()["documents"] == 0
    assert [(p.path, p.reason) for p in report.problems] == [
        ("empty.txt", "file is empty"),
        ("menu.html", "HTML page has no article text"),
        ("paper.pdf", "unsupported file type '.pdf' (expected .txt, .md, .html or .htm)"),
    ]


def test_version_changes_with_every_write_and_only_then(tmp_path, event_factory):
    import hashlib

    from geo.model import Document

    with Store(tmp_path / "s.sqlite") as store:
        v0 = store.version()
        assert store.version() == v0
        doc = Document(name="a.txt", text="x", sha256=hashlib.sha256(b"x").hexdigest())
        store.add_document(doc, [event_factory()])
        v1 = store.version()
        assert v1 != v0 and store.version() == v1
        store.events()
        assert store.version() == v1
        store.review([store.events()[0].event_id], "confirm")
        assert store.version() != v1


@pytest.mark.parametrize("query", [{}, {"date_from": "2022-01-04", "date_to": "2022-01-06"},
                                   {"types": ["protest", "riot"]}, {"historical": False}])
def test_iter_events_gives_the_events_in_the_same_order_a_few_days_at_a_time(seeds_store, query):
    with Store(seeds_store) as store:
        whole = store.events(**query)
        assert list(store.iter_events(**query, batch_rows=1)) == whole  # one day per batch
        assert list(store.iter_events(**query)) == whole


def test_iter_events_of_a_reviewed_store_equals_its_events(seeds_store, tmp_path):
    # reviews move events to other days, reject and add some: read a few days at a time, twice (once to
    # place the reviews, once to lay them over), the events are those events() reads whole
    import shutil

    from geo import review as rv

    path = tmp_path / "reviewed.sqlite"
    shutil.copy(seeds_store, path)
    with Store(path) as store:
        evs = store.events()
        store.review([evs[0].event_id], "reject", note="not an event")
        store.review([evs[1].event_id], "correct", rv.date_change("2022-01-20"))  # to a day of its own
        store.review([evs[2].event_id], "correct", rv.type_change("riot"))
        from geo.gazetteer import Gazetteer

        place = Gazetteer.load().get(evs[3].place_id)
        store.add_event(evs[3].sources[0].doc, evs[3].sources[0].evidence, "protest", place, "2022-01-02")
        for query in ({}, {"date_from": "2022-01-19", "date_to": "2022-01-21"}, {"types": ["riot"]},
                      {"include_rejected": True}, {"historical": False}):
            whole = store.events(**query)
            assert list(store.iter_events(**query, batch_rows=1)) == whole, query
        moved = store.events(date_from="2022-01-20", date_to="2022-01-20")
        assert evs[1].event_id in {e.event_id for e in moved}
        # read a few days at a time, never whole
        reads = []
        real = store._extracted_events
        store._extracted_events = lambda *a, **k: (reads.append(a[4] if len(a) > 4 else k.get("days")), real(*a, **k))[1]
        list(store.iter_events(batch_rows=1))
        assert reads and all(days is not None and len(days) == 1 for days in reads)
