"""Scoring against gold: each matching rule of SCHEME.md, one-to-one per article, file loading,
the place-only score and the error breakdown."""
from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import pytest

from geo.evaluate import (
    ERROR_CATEGORIES, compatible, diagnose, evaluate, format_report, haversine_km, load_gold, load_predictions,
    max_matching, near_miss, places_compatible,
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



# -- place-only score and error breakdown ------------------------------------------------------

AKTOBE = (50.28, 57.21)
AKTAU = (43.65, 51.17)
NUR_SULTAN = (51.18, 71.45)
SHYMKENT = (42.32, 69.59)


def at(where: tuple[float, float], name: str) -> dict:
    return dict(lat=where[0], lon=where[1], place=name)


def one_of_each() -> tuple[list[dict], list[dict]]:
    """One article: a true match, then one event of each error category (at different places or
    dates, so that no two of them are a near miss of one another by accident)."""
    golds = [
        gold(start="2022-01-07", end="2022-01-07", evidence="matched"),
        gold(evidence="gold of wrong place"),                                          # protest, Almaty, 5th
        gold(event_type="strike", **at(AKTAU, "Aktau"), evidence="gold of wrong dates"),
        gold(event_type="riot", **at(AKTOBE, "Aktobe"), start="2022-01-02", end="2022-01-02",
             evidence="gold of wrong type"),
        gold(event_type="repression", **at(NUR_SULTAN, "Nur-Sultan"), start="2011-12-16", end="2011-12-16",
             evidence="gold missed"),
    ]
    preds = [
        pred(start="2022-01-07", end="2022-01-07", evidence="matched"),
        pred(**at(AKTOBE, "Aktobe"), evidence="pred of wrong place"),                  # protest, Aktobe, 5th
        pred(event_type="strike", **at(AKTAU, "Aktau"), start="2022-01-09", end="2022-01-09",
             evidence="pred of wrong dates"),
        pred(event_type="repression", **at(AKTOBE, "Aktobe"), start="2022-01-02", end="2022-01-02",
             evidence="pred of wrong type"),
        pred(event_type="state_response", **at(SHYMKENT, "Shymkent"), start="2022-01-09",
             end="2022-01-09", evidence="pred spurious"),
    ]
    return golds, preds


def test_place_only_ignores_type_and_dates_but_not_place_or_one_to_one():
    g = gold()
    assert evaluate([g], [pred(event_type="riot", start="2022-02-01", end="2022-02-09")]).place_only.matched == 1
    assert evaluate([g], [pred(**at(AKTOBE, "Aktobe"))]).place_only.matched == 0
    report = evaluate([gold(), gold(event_type="strike")], [pred(event_type="riot")])
    assert (report.place_only.matched, report.place_only.predicted, report.place_only.gold) == (1, 1, 2)
    assert report.overall.matched == 0
    # still per article: a prediction about b.txt cannot take a.txt's annotation
    report = evaluate([gold(doc="a.txt"), gold(doc="b.txt", **at(AKTAU, "Aktau"))], [pred(docs=["b.txt"])])
    assert report.place_only.matched == 0 and report.place_only.predicted == 1


def test_each_error_category_is_counted_and_main_scores_are_unchanged():
    golds, preds = one_of_each()
    report = evaluate(golds, preds)
    # the main matching is untouched: only the first pair matches
    assert (report.overall.matched, report.overall.predicted, report.overall.gold) == (1, 5, 5)
    assert report.overall.precision == report.overall.recall == pytest.approx(report.overall.f1) == 0.2
    assert [m[0]["evidence"] for m in report.matches] == ["matched"]
    assert report.per_type["protest"].matched == 1 and report.per_type["strike"].matched == 0
    # place-only: the matched pair, wrong dates and wrong type share a place; the wrong-place prediction
    # and the lone events have no annotation / prediction at their place left
    assert report.place_only.matched == 3
    assert report.errors.counts() == dict.fromkeys(ERROR_CATEGORIES, 1)
    by_category = {c.category: c for c in report.errors.cases}
    for category, stem in (("wrong_place", "wrong place"), ("wrong_dates", "wrong dates"),
                           ("wrong_type", "wrong type")):
        case = by_category[category]
        assert case.predicted["evidence"] == f"pred of {stem}" and case.annotated["evidence"] == f"gold of {stem}"
    spurious, missed = by_category["spurious"], by_category["missed"]
    assert spurious.predicted["evidence"] == "pred spurious" and spurious.annotated is None
    assert missed.annotated["evidence"] == "gold missed" and missed.predicted is None
    assert by_category["wrong_place"].note.endswith("km apart")
    assert by_category["wrong_dates"].note == "start +4 d, end +4 d"
    assert by_category["wrong_type"].note == "repression instead of riot"


def test_strict_mode_moves_a_one_day_slip_into_wrong_dates():
    g, p = gold(), pred(start="2022-01-05", end="2022-01-06")
    assert evaluate([g], [p]).errors.counts()["wrong_dates"] == 0
    strict = evaluate([g], [p], "strict")
    assert strict.overall.matched == 0 and strict.errors.counts()["wrong_dates"] == 1


def test_near_miss_names_the_single_failed_rule():
    g = gold()
    assert near_miss(g, pred()) is None  # a match is no near miss
    assert near_miss(g, pred(**at(AKTOBE, "Aktobe"))) == "wrong_place"
    assert near_miss(g, pred(start="2022-01-08", end="2022-01-08")) == "wrong_dates"
    assert near_miss(g, pred(event_type="riot")) == "wrong_type"
    assert near_miss(g, pred(event_type="riot", start="2022-01-08", end="2022-01-08")) is None  # two rules fail
    region = gold(level="region", place="Mangystau Region", lat=44.0, lon=53.5)
    assert near_miss(region, pred(level="city", place="Aktau", lat=AKTAU[0], lon=AKTAU[1])) == "wrong_place"


def test_pairs_follow_the_priority_order_and_each_event_is_used_once():
    # The prediction is a wrong-place near miss of the first annotation and a wrong-type one of the second:
    # wrong_place comes first, so the second annotation is missed, not a wrong type.
    p = pred(**at(AKTOBE, "Aktobe"))
    g_place = gold()
    g_type = gold(event_type="riot", **at(AKTOBE, "Aktobe"))
    cases = diagnose("a.txt", [g_type, g_place], [p])
    assert [c.category for c in cases] == ["wrong_place", "missed"]
    assert cases[0].annotated is g_place and cases[0].predicted is p and cases[1].annotated is g_type
    # two annotations, one prediction: one pair, the other annotation missed
    counts = evaluate([gold(evidence="x"), gold(evidence="y")], [pred(**at(AKTOBE, "Aktobe"))]).errors.counts()
    assert counts["wrong_place"] == 1 and counts["missed"] == 1 and counts["spurious"] == 0


def test_each_step_pairs_a_maximum_not_greedily():
    # All four are protests on different days (no main match, every pair a wrong-dates candidate when the
    # places agree). P1 lies between G1 and G2 and is a day off each; P2 is 20 km south of G1 and 45 km from G2,
    # so G1 is P2's only partner. Closest-first greedy pairs G1-P1 and leaves G2 and P2; a maximum pairs both.
    north = lambda km: ALMATY[0] + km / KM_PER_DEG_LAT  # noqa: E731
    g1 = gold(start="2022-01-08", end="2022-01-08")
    g2 = gold(lat=north(25), start="2022-01-10", end="2022-01-10")
    p1 = pred(lat=north(12), start="2022-01-09", end="2022-01-09")
    p2 = pred(lat=north(-20), start="2022-01-05", end="2022-01-05")
    report = evaluate([g1, g2], [p1, p2])
    assert report.overall.matched == 0
    assert report.errors.counts()["wrong_dates"] == 2
    assert report.errors.counts()["missed"] == report.errors.counts()["spurious"] == 0


def _brute_force_max(golds: list[dict], preds: list[dict], accept) -> int:
    best = 0
    n = len(golds)
    for perm in itertools.permutations(range(max(n, len(preds))), n):
        best = max(best, sum(1 for i in range(n) if perm[i] < len(preds) and accept(golds[i], preds[perm[i]])))
    return best


def test_random_articles_keep_the_maximum_and_partition_the_errors():
    rng = random.Random(11)
    places = [at(ALMATY, "Almaty"), at(AKTOBE, "Aktobe"), at(AKTAU, "Aktau")]
    days = ["2022-01-04", "2022-01-05", "2022-01-07"]

    def draw(make, **kw):
        day = rng.choice(days)
        return make(event_type=rng.choice(["protest", "riot"]), start=day, end=day, **rng.choice(places), **kw)

    for _ in range(150):
        golds = [draw(gold) for _ in range(rng.randint(0, 5))]
        preds = [draw(pred) for _ in range(rng.randint(0, 5))]
        report = evaluate(golds, preds)
        if not golds:
            continue
        # main and place-only numbers are maximum one-to-one matchings
        assert report.overall.matched == _brute_force_max(golds, preds, compatible)
        assert report.place_only.matched == _brute_force_max(golds, preds, places_compatible)
        # every unmatched event lands in exactly one category
        counts = report.errors.counts()
        pairs = counts["wrong_place"] + counts["wrong_dates"] + counts["wrong_type"]
        assert pairs + counts["spurious"] == len(report.unmatched_pred)
        assert pairs + counts["missed"] == len(report.unmatched_gold)
        for case in report.errors.cases:
            if case.predicted is not None and case.annotated is not None:
                assert near_miss(case.annotated, case.predicted) == case.category
        # what is left over holds no near miss at all
        spurious = [c.predicted for c in report.errors.cases if c.category == "spurious"]
        missed = [c.annotated for c in report.errors.cases if c.category == "missed"]
        assert all(near_miss(g, p) is None for g in missed for p in spurious)


def test_report_text_shows_place_only_counts_and_capped_examples():
    golds, preds = one_of_each()
    long = "word " * 60
    preds[4]["evidence"] = long
    golds += [gold(event_type="strike", start="2022-03-0" + str(d), end="2022-03-0" + str(d)) for d in (1, 2, 3, 4)]
    report = evaluate(golds, preds)
    text = format_report(report)
    lines = text.splitlines()
    assert lines[2].startswith("overall") and lines[3].startswith("place-only")
    assert any(line.split()[:2] == ["missed", "5"] for line in lines)
    assert any(line.split()[:2] == ["wrong_place", "1"] for line in lines)
    assert "missed: 3 of 5 shown" in text and "spurious: 1 of 1 shown" in text
    cut = next(line.strip() for line in lines if line.strip().startswith('"word'))
    assert len(cut) <= 102 and cut.endswith('..."')  # ~100 characters of evidence, in quotes
    assert "(start +4 d, end +4 d)" in text and "(repression instead of riot)" in text
    quiet = format_report(report, examples=0)
    assert "error breakdown" in quiet and "shown" not in quiet and "wrong_type" in quiet
    assert "missed: 5 of 5 shown" in format_report(report, examples=10)


def test_report_json_has_place_only_and_breakdown():
    golds, preds = one_of_each()
    data = json.loads(json.dumps(evaluate(golds, preds).to_dict(examples=2)))
    assert data["place_only"]["matched"] == 3 and data["overall"]["matched"] == 1
    assert data["errors"]["counts"] == dict.fromkeys(ERROR_CATEGORIES, 1)
    place = data["errors"]["examples"]["wrong_place"][0]
    assert place["doc"] == "a.txt" and place["predicted"]["place"] == "Aktobe"
    assert place["annotated"]["place"] == "Almaty" and place["distance_km"] > 30
    assert data["errors"]["examples"]["spurious"][0]["annotated"] is None
    assert all(v == [] for v in evaluate(golds, preds).to_dict(examples=0)["errors"]["examples"].values())


def test_examples_are_drawn_from_several_articles():
    golds = [gold(doc=d, start=f"2022-01-0{k}", end=f"2022-01-0{k}") for d in ("a.txt", "b.txt") for k in (1, 2, 3)]
    shown = evaluate(golds, []).errors.examples("missed", 3)
    assert [c.doc for c in shown] == ["a.txt", "b.txt", "a.txt"]
