"""Reviews on a real store file: confirm, reject, correct, add; survival across re-extraction;
no lost update between two reviewers; the annotation export scored by evaluate."""
from __future__ import annotations

import dataclasses
import hashlib
import sqlite3

import pytest

from geo import review as rv
from geo.evaluate import evaluate, load_gold, load_predictions
from geo.export import to_geojson
from geo.gazetteer import Gazetteer
from geo.model import Document, Source
from geo.review import StaleReview
from geo.store import SCHEMA_VERSION, Store
from tests.conftest import make_event

TEXT = ("Thousands rallied in Aktau on 4 January.\n\n"
        "Police dispersed the crowd in Almaty.\n\n"
        "Oil workers at Tengiz  went on\nstrike on 5 January.")


def article(name: str = "a.txt", text: str = TEXT) -> Document:
    return Document(name=name, text=text, sha256=hashlib.sha256(text.encode()).hexdigest(),
                    title=f"Title of {name}", publisher="Pub", published="2022-01-06")


def sentence_event(doc: Document, sentence: str, **kw):
    start = doc.text.index(sentence)
    ev = make_event(doc=doc.name, evidence=sentence, **kw)
    ev.sources = [dataclasses.replace(ev.sources[0], start=start, end=start + len(sentence))]
    return ev


@pytest.fixture
def store(tmp_path):
    doc = article()
    with Store(tmp_path / "s.sqlite") as st:
        st.add_document(doc, [
            sentence_event(doc, "Thousands rallied in Aktau on 4 January.", place="Aktau"),
            sentence_event(doc, "Police dispersed the crowd in Almaty.", place="Almaty",
                           event_type="repression", start="2022-01-05"),
        ])
        yield st


def by_type(events, event_type):
    (ev,) = [e for e in events if e.event_type == event_type]
    return ev


def test_reject_hides_the_event_and_keeps_it_in_the_log(store):
    protest = by_type(store.events(), "protest")
    (row,) = store.review([protest.event_id], "reject", reviewer="ann", note="a sports rally")
    assert row.status == "rejected" and row.reviewer == "ann"
    assert [e.event_type for e in store.events()] == ["repression"]
    shown = by_type(store.events(include_rejected=True), "protest")
    assert (shown.review, shown.reviewed_by, shown.review_note) == ("rejected", "ann", "a sports rally")
    assert store.counts()["reviews"] == 1
    # confirming later brings it back, and the log keeps both steps
    store.review([protest.event_id], "confirm", reviewer="bob")
    assert by_type(store.events(), "protest").review == "confirmed"
    assert [r.status for r in store.reviews(protest.event_id)] == ["rejected", "confirmed"]


def test_correction_keeps_the_event_id_and_moves_type_place_and_dates(store):
    protest = by_type(store.events(), "protest")
    changes = rv.changes_from_fields({"event_type": "riot", "place": "Aktobe", "date_start": "2022-01-03",
                                      "date_end": "2022-01-04"}, protest)
    store.review([protest.event_id], "correct", changes, reviewer="ann")
    (ev,) = [e for e in store.events() if e.event_id == protest.event_id]
    assert (ev.event_type, ev.place, ev.country, ev.review) == ("riot", "Aktobe", "KZ", "corrected")
    assert (ev.date_start, ev.date_end, ev.time_precision) == ("2022-01-03", "2022-01-04", "range")
    assert abs(ev.lat - 50.28) < 0.05 and abs(ev.lon - 57.2) < 0.05
    assert ev.sources[0].evidence == "Thousands rallied in Aktau on 4 January."
    # filters read the corrected values
    assert [e.event_id for e in store.events(date_to="2022-01-03")] == [protest.event_id]
    assert [e.event_id for e in store.events(types=["riot"])] == [protest.event_id]
    assert store.events(types=["protest"]) == []
    # a second correction adds to the first; a confirmation keeps both
    store.review([protest.event_id], "correct", rv.type_change("protest"))
    store.review([protest.event_id], "confirm")
    (ev,) = [e for e in store.events() if e.event_id == protest.event_id]
    assert (ev.event_type, ev.place, ev.date_start, ev.review) == ("protest", "Aktobe", "2022-01-03", "corrected")
    feature = to_geojson([ev])["features"][0]
    assert feature["id"] == protest.event_id and feature["properties"]["review"] == "corrected"


def test_reviews_survive_reextraction(store, monkeypatch):
    events = store.events()
    protest, repression = by_type(events, "protest"), by_type(events, "repression")
    store.review([protest.event_id], "reject")
    store.review([repression.event_id], "correct", rv.date_change("2022-01-06"))
    extracted = {e.event_type: e for e in events}

    import geo.pipeline

    # the same extractor again: same ids, same reviews
    monkeypatch.setattr(geo.pipeline, "extract_document", lambda doc, gazetteer=None: [
        dataclasses.replace(e, sources=[dataclasses.replace(s) for s in e.sources]) for e in extracted.values()])
    store.reextract()
    after = {e.event_type: e for e in store.events(include_rejected=True)}
    assert after["protest"].review == "rejected"
    assert (after["repression"].event_id, after["repression"].date_start) == (repression.event_id, "2022-01-06")

    # a newer extractor reads the protest on another day: the review follows it (same sentence, type, place)
    moved = dataclasses.replace(extracted["protest"], date_start="2022-01-03", date_end="2022-01-03")
    assert moved.event_id != protest.event_id
    monkeypatch.setattr(geo.pipeline, "extract_document", lambda doc, gazetteer=None: [moved, extracted["repression"]])
    store.reextract()
    after = {e.event_type: e for e in store.events(include_rejected=True)}
    assert (after["protest"].event_id, after["protest"].review) == (protest.event_id, "rejected")
    assert store.events() == [after["repression"]]


def test_a_review_does_not_follow_to_another_event_of_its_sentence(store, monkeypatch):
    protest = by_type(store.events(), "protest")
    store.review([protest.event_id], "reject")
    import geo.pipeline

    # the rejected protest is gone; the same sentence now gives a protest elsewhere on another day
    other = dataclasses.replace(protest, place="Almaty", place_id="test:Almaty:city", date_start="2022-01-02",
                                date_end="2022-01-02")
    monkeypatch.setattr(geo.pipeline, "extract_document", lambda doc, gazetteer=None: [other])
    store.reextract()
    (ev,) = store.events(include_rejected=True)
    assert ev.review == "unreviewed" and ev.event_id != protest.event_id
    assert store.reviews(protest.event_id)  # the log keeps the review


def test_a_change_on_a_stale_view_is_refused_and_nothing_is_lost(store):
    other = Store(store.path)  # a second reviewer, another connection to the same file
    try:
        seen = {e.event_id: e for e in store.events()}  # the first reviewer's view
        theirs = {e.event_id: e for e in other.events()}
        protest = by_type(seen.values(), "protest")
        other.review([protest.event_id], "reject", reviewer="bob",
                     expected={protest.event_id: theirs[protest.event_id].review_seq})
        with pytest.raises(StaleReview, match="bob"):
            store.review([protest.event_id], "correct", rv.type_change("riot"), reviewer="ann",
                         expected={protest.event_id: seen[protest.event_id].review_seq})
        assert [r.reviewer for r in store.reviews()] == ["bob"]
        # after a reload the first reviewer sees the rejection and may act on it
        fresh = by_type(store.events(include_rejected=True), "protest")
        store.review([protest.event_id], "confirm", reviewer="ann", expected={protest.event_id: fresh.review_seq})
        assert by_type(other.events(), "protest").review == "confirmed"
    finally:
        other.close()


def test_review_errors_name_the_problem(store):
    protest = by_type(store.events(), "protest")
    with pytest.raises(ValueError, match="no event nope"):
        store.review(["nope"], "confirm")
    with pytest.raises(ValueError, match="unknown review action"):
        store.review([protest.event_id], "approve")
    with pytest.raises(ValueError, match="at least one changed field"):
        store.review([protest.event_id], "correct", {})
    with pytest.raises(ValueError, match="cannot set confidence"):
        rv.changes_from_fields({"confidence": "1"}, protest)
    with pytest.raises(ValueError, match="before date_start"):
        rv.changes_from_fields({"date_start": "2022-01-05", "date_end": "2022-01-01"}, protest)
    with pytest.raises(ValueError, match="not an ISO date"):
        rv.changes_from_fields({"date_start": "5 January"}, protest)
    with pytest.raises(ValueError, match="unknown event type"):
        rv.changes_from_fields({"event_type": "picnic"}, protest)
    with pytest.raises(ValueError, match="Nowhereville"):
        rv.changes_from_fields({"place": "Nowhereville"}, protest)
    assert store.reviews() == []


def test_add_a_missed_event_from_a_sentence_of_the_article(store):
    tengiz = rv.resolve_place("Tengiz", ["KZ"]).place
    ev = store.add_event("a.txt", "Oil workers at Tengiz went on strike on 5 January.", "strike", tengiz,
                         "2022-01-05", reviewer="ann", place_mention="Tengiz")
    assert (ev.review, ev.event_type, ev.date_start, ev.time_precision) == ("added", "strike", "2022-01-05", "day")
    assert ev.level == "site" and ev.site and ev.place != ev.site  # a site is placed in its town
    (src,) = ev.sources
    assert TEXT[src.start:src.end] == src.evidence  # the article's own text, line break included
    assert (src.title, src.publisher, src.published) == ("Title of a.txt", "Pub", "2022-01-06")
    assert ev.event_id in {e.event_id for e in store.events(date_from="2022-01-05", date_to="2022-01-05")}
    with pytest.raises(ValueError, match="already added"):
        store.add_event("a.txt", "Oil workers at Tengiz went on strike on 5 January.", "strike", tengiz,
                        "2022-01-05")
    with pytest.raises(ValueError, match="not in a.txt"):
        store.add_event("a.txt", "Nobody said this.", "strike", tengiz, "2022-01-05")
    with pytest.raises(ValueError, match="no article"):
        store.add_event("b.txt", "Thousands rallied in Aktau on 4 January.", "strike", tengiz, "2022-01-05")
    # an added event is reviewed like any other, and survives re-extraction (it is not the extractor's)
    store.review([ev.event_id], "correct", rv.date_change("2022-01-04", "2022-01-05"))
    store.review([ev.event_id], "reject")
    assert ev.event_id not in {e.event_id for e in store.events()}
    (again,) = [e for e in store.events(include_rejected=True) if e.event_id == ev.event_id]
    assert (again.review, again.date_start, again.date_end) == ("rejected", "2022-01-04", "2022-01-05")


def test_reviewed_events_export_as_annotation_that_evaluate_reads(store, tmp_path):
    events = store.events()
    protest, repression = by_type(events, "protest"), by_type(events, "repression")
    store.review([protest.event_id], "confirm")
    store.review([repression.event_id], "correct", rv.changes_from_fields({"place": "Aktau"}, repression))
    reviewed = store.events()
    lines = rv.annotation_jsonl(reviewed)
    path = tmp_path / "gold.jsonl"
    path.write_text(lines, encoding="utf-8")
    gold = load_gold(path)
    assert {(g["doc"], g["event_type"], g["place"]) for g in gold} == {("a.txt", "protest", "Aktau"),
                                                                       ("a.txt", "repression", "Aktau")}
    # the reviewed store scores perfectly against its own review; the raw extraction does not
    assert evaluate(gold, load_predictions(to_geojson(reviewed))).overall.f1 == 1.0
    raw = [dataclasses.replace(e, origin_id=None, review="unreviewed") for e in events]
    assert evaluate(gold, load_predictions(to_geojson(raw))).overall.f1 == 0.5
    assert rv.annotation_records([e for e in reviewed if e.review == "unreviewed"]) == []


def test_status_counts_and_precision():
    evs = [make_event(), make_event(review="rejected"), make_event(review="rejected")]
    assert rv.status_counts(evs) == {"unreviewed": 1, "confirmed": 0, "corrected": 0, "rejected": 2, "added": 0}
    assert rv.precision_of("2022-01-01", "2022-01-31") == "month"
    assert rv.precision_of("2022-02-01", "2022-02-28") == "month"
    assert rv.precision_of("2022-01-02", "2022-01-31") == "range"
    assert rv.precision_of("2022-01-05", "2022-01-05") == "day"


def test_a_place_id_is_taken_as_it_is_and_a_name_shows_its_candidates():
    gaz = Gazetteer.load()
    assert rv.resolve_place("country:KZ", gazetteer=gaz).place.name == "Kazakhstan"
    found = rv.resolve_place("Aktobe", ["KZ"], gaz)
    assert found.place.name == "Aktobe" and any(c.place.level == "region" for c in found.candidates)
    region = rv.place_change(gaz.region_of(found.place))
    assert region["level"] == "region" and region["site"] is None


def test_an_older_store_is_upgraded_in_place(tmp_path):
    path = tmp_path / "old.sqlite"
    with Store(path) as st:
        st.add_document(article(), [make_event(doc="a.txt")])
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE reviews")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Store(path) as st:
        assert st.counts()["reviews"] == 0
        (ev,) = st.events()
        st.review([ev.event_id], "confirm")
        assert st.events()[0].review == "confirmed"
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_a_confirmed_event_stays_confirmed_when_a_new_article_reports_it(store):
    """A confirmed event that a new article also reports stays confirmed, with both sources."""
    protest = by_type(store.events(), "protest")
    store.review([protest.event_id], "confirm")
    doc = article("b.txt", "A rally in Aktau on 4 January.")
    store.add_document(doc, [sentence_event(doc, "A rally in Aktau on 4 January.", place="Aktau")])
    ev = by_type(store.events(), "protest")
    assert ev.event_id == protest.event_id and ev.review == "confirmed"
    assert sorted(s.doc for s in ev.sources) == ["a.txt", "b.txt"]
    assert isinstance(ev.sources[0], Source)


def test_the_caller_may_give_the_events_it_shows(store, monkeypatch):
    protest = by_type(store.events(), "protest")
    # with the event given, the store does not read all its events again (a large store takes seconds)
    monkeypatch.setattr(Store, "events", lambda self, **kw: pytest.fail("read every event"))
    (row,) = store.review([protest.event_id], "reject", current={protest.event_id: protest})
    assert row.anchor == rv.anchor_of(protest)
    monkeypatch.undo()
    # an id the caller does not hold is looked up in the store
    repression = by_type(store.events(include_rejected=True), "repression")
    store.review([repression.event_id], "confirm", current={protest.event_id: protest})
    assert by_type(store.events(), "repression").review == "confirmed"
