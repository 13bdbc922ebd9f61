"""Scoring against gold: each matching rule of SCHEME.md, one-to-one per article, file loading."""
from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import pytest

from geo.evaluate import (
    evaluate, format_report, haversine_km, load_gold, load_predictions, max_matching,
)
from geo.export import write
from geo.model import Event, Source

ROOT = Path(__file__).resolve().parent.parent
GOLD_000 = ROOT / "tests" / "gold" / "000_5d34b3504bfa6f51.jsonl"
KM_PER_DEG_LAT = haversine_km(0.0, 0.0, 1.0, 0.0)
ALMATY = (43.25, 76.92)


def gold(doc="a.txt", event_type="protest", level="city", lat=ALMATY[0], lon=ALMATY[1], place="Almaty",
         start="2022-01-05", end="2022-01-05", country="KZ", **kw) -> dict:
    rec = dict(doc=doc, event_type=event_type, level=level, lat=lat, lon=lon, place=place, country=country,
               date_start=start, date_end=end, date_uncertain=False, evidence="...")
    rec.update(kw)
    return rec


def pred(docs=("a.txt",), event_type="protest", level="city", lat=ALMATY[0], lon=ALMATY[1], place="Almaty",
         start="2022-01-05", end="2022-01-05", country="KZ", **kw) -> dict:
    return dict(docs=list(docs), event_type=event_type, level=level, lat=lat, lon=lon, place=place,
                country=country, date_start=start, date_end=end, **kw)


def matched(g: dict, p: dict, mode: str = "lenient") -> bool:
    return evaluate([g], [p], mode).overall.matched == 1


def test_city_within_30_km_matches_and_beyond_does_not():
    north = lambda km: ALMATY[0] + km / KM_PER_DEG_LAT  # noqa: E731
    assert matched(gold(), pred(lat=north(29.9)))
    assert not matched(gold(), pred(lat=north(30.1)))
    # a site is judged like a city, whatever the level the prediction used
    assert matched(gold(level="site", site="akimat"), pred(level="city", lat=north(10)))


def test_region_by_distance_or_by_name_and_only_region_level():
    g = gold(level="region", place="Mangystau Region", lat=44.0, lon=53.5)
    near = pred(level="region", place="Somewhere", lat=44.0 + 140 / KM_PER_DEG_LAT, lon=53.5)
    far = pred(level="region", place="Somewhere", lat=44.0 + 160 / KM_PER_DEG_LAT, lon=53.5)
    assert matched(g, near) and not matched(g, far)
    assert matched(g, pred(level="region", place="Mangystau oblast", lat=47.0, lon=58.0))
    assert not matched(g, pred(level="region", place="Atyrau Region", lat=47.1, lon=51.9))
    assert not matched(g, pred(level="city", place="Mangystau Region", lat=44.0, lon=53.5))


def test_country_needs_country_level_in_that_country():
    g = gold(level="country", place="Kazakhstan", lat=48.0, lon=68.0)
    assert matched(g, pred(level="country", place="Kazakhstan", lat=48.0, lon=68.0))
    assert not matched(g, pred(level="city", lat=48.0, lon=68.0))
    assert not matched(g, pred(level="country", country="RU", lat=48.0, lon=68.0))


def test_types_must_be_equal():
    assert not matched(gold(), pred(event_type="riot"))


def test_lenient_dates_one_day_longer_ok_two_days_not():
    g = gold(start="2022-01-04", end="2022-01-05")
    assert matched(g, pred(start="2022-01-04", end="2022-01-05"))
    assert matched(g, pred(start="2022-01-04", end="2022-01-06"))
    assert not matched(g, pred(start="2022-01-03", end="2022-01-06"))
    assert matched(g, pred(start="2022-01-05", end="2022-01-05"))  # shorter but overlapping
    assert not matched(g, pred(start="2022-01-06", end="2022-01-06"))  # no overlap
    one = gold()
    assert matched(one, pred(start="2022-01-05", end="2022-01-06"))
    assert not matched(one, pred(start="2022-01-04", end="2022-01-06"))


def test_uncertain_gold_span_accepts_any_overlap():
    g = gold(start="2022-01-01", end="2022-01-02", date_uncertain=True)
    assert matched(g, pred(start="2021-12-25", end="2022-01-10"))
    assert not matched(g, pred(start="2022-01-03", end="2022-01-10"))


def test_strict_mode_needs_both_ends_equal():
    g = gold(start="2022-01-04", end="2022-01-05")
    assert matched(g, pred(start="2022-01-04", end="2022-01-05"), "strict")
    assert not matched(g, pred(start="2022-01-04", end="2022-01-06"), "strict")
    with pytest.raises(ValueError, match="unknown mode"):
        evaluate([g], [], "fuzzy")


def test_articles_are_scored_separately_and_unannotated_ones_ignored():
    report = evaluate([gold(doc="a.txt")], [pred(docs=["b.txt"]), pred(docs=["zzz.txt"])])
    # b.txt has no annotation: both predictions are outside the scored set
    assert report.overall.matched == 0 and report.overall.predicted == 0 and report.ignored == 2
    report = evaluate([gold(doc="a.txt"), gold(doc="b.txt", event_type="riot")], [pred(docs=["b.txt"])])
    assert report.overall.matched == 0 and report.overall.predicted == 1
    assert report.per_doc["b.txt"].predicted == 1 and report.per_doc["a.txt"].predicted == 0
    assert len(report.unmatched_gold) == 2 and report.unmatched_pred[0]["doc"] == "b.txt"


def test_merged_event_counts_once_per_source_article():
    report = evaluate([gold(doc="a.txt"), gold(doc="b.txt")], [pred(docs=["a.txt", "b.txt"])])
    assert (report.overall.matched, report.overall.predicted, report.overall.gold) == (2, 2, 2)
    assert report.overall.f1 == 1.0


def test_one_to_one_and_maximum_not_greedy():
    # one prediction cannot match two annotations
    report = evaluate([gold(), gold()], [pred()])
    assert report.overall.matched == 1 and len(report.unmatched_gold) == 1
    # G1 is closest to P1, but P1 is G2's only partner: a greedy choice would match 1, the maximum is 2.
    g1 = gold(lat=ALMATY[0])
    g2 = gold(lat=ALMATY[0] + 20 / KM_PER_DEG_LAT, place="North")
    p1 = pred(lat=ALMATY[0] + 10 / KM_PER_DEG_LAT)
    p2 = pred(lat=ALMATY[0] - 25 / KM_PER_DEG_LAT)
    report = evaluate([g1, g2], [p1, p2])
    assert report.overall.matched == 2
    assert report.overall.precision == report.overall.recall == 1.0


def test_max_matching_equals_brute_force_on_random_graphs():
    rng = random.Random(7)
    for _ in range(200):
        n, m = rng.randint(0, 6), rng.randint(0, 6)
        edges = {i: [j for j in range(m) if rng.random() < 0.35] for i in range(n)}
        result = max_matching(n, edges)
        assert len(set(result.values())) == len(result)
        assert all(r in edges[left] for left, r in result.items())
        best = 0
        for perm in itertools.permutations(range(max(n, m)), n):
            best = max(best, sum(1 for i in range(n) if perm[i] < m and perm[i] in edges[i]))
        assert len(result) == best


def test_per_type_scores():
    report = evaluate([gold(), gold(event_type="strike")], [pred(), pred(event_type="riot")])
    assert report.per_type["protest"].f1 == 1.0
    assert report.per_type["strike"].recall == 0.0 and report.per_type["riot"].precision == 0.0
    assert report.overall.precision == 0.5 and report.overall.recall == 0.5


def test_exported_geojson_is_read_as_predictions(tmp_path):
    ev = Event(event_type="protest", place="Almaty", place_id="gn:1526384", level="city", lat=43.26,
               lon=76.93, country="KZ", date_start="2022-01-05", date_end="2022-01-05", time_precision="day",
               sources=[Source(doc="a.txt", evidence="Rally."), Source(doc="b.txt", evidence="Rally too.")])
    path = write([ev], tmp_path / "pred.geojson")
    preds = load_predictions(path)
    assert preds[0]["docs"] == ["a.txt", "b.txt"] and preds[0]["level"] == "city"
    assert preds[0]["lon"] == pytest.approx(76.93)
    report = evaluate([gold(doc="b.txt")], preds)
    assert report.overall.matched == 1 and report.ignored == 1
    assert report.matches[0][1]["evidence"] == "Rally too."
    assert load_predictions(json.loads(path.read_text())) == preds


def test_load_predictions_errors_name_the_file(tmp_path):
    bad = tmp_path / "p.geojson"
    bad.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ValueError, match=r"p\.geojson: not a GeoJSON FeatureCollection"):
        load_predictions(bad)
    bad.write_text("{oops", encoding="utf-8")
    with pytest.raises(ValueError, match="not a JSON file"):
        load_predictions(bad)
    with pytest.raises(ValueError, match="no such file"):
        load_predictions(tmp_path / "missing.geojson")


def test_load_gold_from_files_and_folders_with_line_errors(tmp_path):
    real = load_gold(GOLD_000)
    assert len(real) == 21 and all(r["doc"] == "000_5d34b3504bfa6f51.txt" for r in real)
    folder = load_gold(ROOT / "tests" / "gold")
    assert len(folder) >= 21 and set(map(json.dumps, real)) <= set(map(json.dumps, folder))
    a = tmp_path / "a.jsonl"
    a.write_text(json.dumps(gold()) + "\n\n" + json.dumps(gold(doc="b.txt")) + "\n", encoding="utf-8")
    assert [r["doc"] for r in load_gold(a)] == ["a.txt", "b.txt"]
    assert len(load_gold([a, GOLD_000])) == 23
    bad = tmp_path / "bad" / "x.jsonl"
    bad.parent.mkdir()
    bad.write_text(json.dumps(gold()) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"x\.jsonl:2: not JSON"):
        load_gold(bad.parent)
    bad.write_text(json.dumps(gold(event_type="parade")) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"x\.jsonl:1: unknown event type"):
        load_gold(bad)
    with pytest.raises(ValueError, match="no such file or folder"):
        load_gold(tmp_path / "missing.jsonl")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="no .jsonl"):
        load_gold(tmp_path / "empty")


def test_gold_against_itself_scores_one_and_report_lists_misses():
    g = load_gold(GOLD_000)
    assert evaluate(g, g).overall.f1 == 1.0
    report = evaluate(g, g[1:])
    text = format_report(report)
    assert "overall" in text and "per event type" in text and "000_5d34b3504bfa6f51.txt" in text
    assert "unmatched annotations (1)" in text and "unmatched predictions (0)" in text
    assert report.overall.matched == 20 and report.overall.precision == 1.0
