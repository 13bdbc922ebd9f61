"""Regression floor for the extractor: the whole path a user's files take (read, extract, merge,
export to GeoJSON) scored against the hand annotations of tests/gold by SCHEME.md's lenient rules.

Two sets: the five seed articles (gold 000-004) and the six articles written in other styles
(tests/corpus, gold 101-106). At the time of writing the extractor scores about 0.67 and 0.69
overall F1; the floor of 0.60 catches a regression without pinning today's exact errors. The
per-type and per-article table is printed (pytest -s, or on failure) so a drop can be located.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from geo.documents import read_paths
from geo.evaluate import evaluate, format_report, load_gold, load_predictions
from geo.export import to_geojson
from geo.gazetteer import Gazetteer
from geo.paths import ROOT, SEEDS_DIR
from geo.pipeline import extract_documents

GOLD = ROOT / "tests" / "gold"
FLOOR = 0.60

SETS = {
    "seeds": (SEEDS_DIR, "00[0-4]_*.jsonl", 5),
    "corpus": (ROOT / "tests" / "corpus", "10[1-6]_*.jsonl", 6),
}


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def score(folder: Path, pattern: str, n_docs: int, gaz: Gazetteer):
    docs, problems = read_paths([folder])
    assert not problems, problems
    assert len(docs) == n_docs
    gold_files = sorted(GOLD.glob(pattern))
    assert len(gold_files) == n_docs
    gold = load_gold(gold_files)
    # every annotated article is among the ones read (the names are the join key)
    assert {g["doc"] for g in gold} <= {d.name for d in docs}
    predictions = load_predictions(to_geojson(extract_documents(docs, gaz)))
    return evaluate(gold, predictions, "lenient"), gold


@pytest.mark.parametrize("name", sorted(SETS))
def test_lenient_f1_stays_above_the_floor(name, gaz):
    folder, pattern, n_docs = SETS[name]
    report, gold = score(folder, pattern, n_docs, gaz)
    table = format_report(report).split("\nunmatched annotations")[0]
    print(f"\n[{name}]\n{table}")
    assert report.overall.gold == len(gold)
    assert report.ignored == 0  # every prediction comes from an annotated article
    assert report.overall.f1 >= FLOOR, f"{name}: lenient F1 {report.overall.f1:.3f} < {FLOOR}\n{table}"
    # no event type may collapse entirely while the others carry the average
    for event_type, s in report.per_type.items():
        if s.gold >= 5:
            assert s.f1 >= 0.35, f"{name}/{event_type}: F1 {s.f1:.3f}\n{table}"


def test_extraction_is_deterministic(gaz):
    folder, pattern, n_docs = SETS["seeds"]
    docs, _ = read_paths([folder])
    first = to_geojson(extract_documents(docs, gaz))
    second = to_geojson(extract_documents(read_paths([folder])[0], gaz))
    assert first == second
