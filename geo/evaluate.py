"""Score extracted events against hand annotations (tests/gold/SCHEME.md, "Matching ...").

Matching is per article and one-to-one. An extracted event and an annotated
one match when the types are equal, the dates are compatible and the places
are compatible:

- dates, lenient: the spans overlap and the extracted span is at most one day
  longer than the annotated one; an annotated ``date_uncertain`` span accepts
  any overlapping span. Strict: both ends equal.
- places, by the annotated level: ``city``/``site`` — within 30 km
  (great-circle distance, whatever level the prediction has: the rule is
  about where, not how it was named); ``region`` — a region-level prediction
  within 150 km of the annotated point, or with the same region name;
  ``country`` — a country-level prediction in that country.

Within an article the matching maximises the number of matched pairs: a
maximum bipartite matching by augmenting paths (Kuhn's algorithm), which is
exact, unlike taking the best-scoring pair first (a greedy choice can take the
only partner of another event). Among equally large matchings the closer
pairs are preferred, because each event's candidates are tried best first.

An event merged across articles counts once for each article among its
sources. Predictions about articles that have no annotation are left out of
the score and counted as ``ignored``.

Two diagnostics sit beside the score without changing it:

- a *place-only* score, the same one-to-one matching with the place rule
  alone (types and dates ignored): how much of the gap is geography;
- an *error breakdown* of the events the main matching left over, sorted
  into near misses (``wrong_place``, ``wrong_dates``, ``wrong_type``: one
  rule failed, the other two hold) and ``spurious``/``missed`` events, so a
  developer knows which part of the extractor to work on (see ``diagnose``).
"""
from __future__ import annotations

import itertools
import json
import math
import os
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from geo.taxonomy import check_type

CITY_KM = 30.0
REGION_KM = 150.0
MODES = ("lenient", "strict")
_REGION_WORDS = {"region", "oblast", "oblysy", "province", "obl"}


# -- reading -------------------------------------------------------------------------------

def _paths(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[Path]:
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(p.glob("*.jsonl"))
            if not found:
                raise ValueError(f"{p}: folder holds no .jsonl annotation files")
            out.extend(found)
        elif p.is_file():
            out.append(p)
        else:
            raise ValueError(f"{p}: no such file or folder")
    return out


_GOLD_FIELDS = ("doc", "event_type", "level", "lat", "lon", "country", "date_start", "date_end")


def _check_record(rec: Any, where: str, fields: Iterable[str]) -> dict:
    if not isinstance(rec, dict):
        raise ValueError(f"{where}: expected a JSON object")
    missing = [f for f in fields if rec.get(f) is None and not (f in ("lat", "lon") and rec.get("level") == "country")]
    if missing:
        raise ValueError(f"{where}: missing {', '.join(missing)}")
    try:
        check_type(rec["event_type"])
        for f in ("date_start", "date_end"):
            date.fromisoformat(rec[f])
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{where}: {exc}") from None
    if rec["date_end"] < rec["date_start"]:
        raise ValueError(f"{where}: date_end {rec['date_end']} is before date_start {rec['date_start']}")
    return rec


def load_gold(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[dict]:
    """Annotated events from JSONL files or folders of them (one JSON object per line)."""
    records: list[dict] = []
    for path in _paths(paths):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            raise ValueError(f"{path}: not UTF-8 text") from None
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON ({exc.msg})") from None
            records.append(_check_record(rec, f"{path}:{n}", _GOLD_FIELDS))
    return records


def load_predictions(source: str | os.PathLike[str] | dict) -> list[dict]:
    """Extracted events from a GeoJSON FeatureCollection (the export format), as flat records.

    Each record has the feature's properties plus ``lat``, ``lon``, ``level``
    (from ``geo_precision``) and ``docs`` (the documents among its sources).
    """
    where = "predictions"
    if not isinstance(source, dict):
        where = str(source)
        try:
            source = json.loads(Path(source).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ValueError(f"{where}: no such file") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"{where}: not a JSON file ({exc})") from None
    if not isinstance(source, dict) or source.get("type") != "FeatureCollection":
        raise ValueError(f"{where}: not a GeoJSON FeatureCollection")
    out = []
    for i, feat in enumerate(source.get("features") or []):
        props = dict((feat or {}).get("properties") or {})
        geom = (feat or {}).get("geometry") or {}
        coords = geom.get("coordinates") if geom.get("type") == "Point" else None
        lon, lat = (coords[0], coords[1]) if coords and len(coords) >= 2 else (None, None)
        rec = {**props, "lat": lat, "lon": lon, "level": props.get("geo_precision") or props.get("level")}
        rec["docs"] = list(dict.fromkeys(s.get("doc") for s in props.get("sources") or [] if s.get("doc")))
        out.append(_check_record(rec, f"{where}: feature {i}", ("event_type", "level", "country",
                                                                 "date_start", "date_end")))
    return out


# -- matching rules ------------------------------------------------------------------------

def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a sphere of the Earth's mean radius (6371.0088 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _days(rec: dict) -> tuple[date, date]:
    return date.fromisoformat(rec["date_start"]), date.fromisoformat(rec["date_end"])


def dates_compatible(gold: dict, pred: dict, mode: str = "lenient") -> bool:
    gs, ge = _days(gold)
    ps, pe = _days(pred)
    if mode == "strict":
        return gs == ps and ge == pe
    if ps > ge or pe < gs:
        return False
    if gold.get("date_uncertain"):
        return True
    return (pe - ps).days <= (ge - gs).days + 1


def region_key(name: str | None) -> str:
    """A region name reduced for comparison: no accents, case, punctuation or 'Region'/'oblast'."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    words = "".join(c if c.isalnum() else " " for c in text).split()
    return " ".join(w for w in words if w not in _REGION_WORDS)


def _distance(gold: dict, pred: dict) -> float:
    if None in (gold.get("lat"), gold.get("lon"), pred.get("lat"), pred.get("lon")):
        return math.inf
    return haversine_km(float(gold["lat"]), float(gold["lon"]), float(pred["lat"]), float(pred["lon"]))


def places_compatible(gold: dict, pred: dict) -> bool:
    level = gold["level"]
    if level in ("city", "site"):
        return _distance(gold, pred) <= CITY_KM
    if level == "region":
        if pred.get("level") != "region":
            return False
        if _distance(gold, pred) <= REGION_KM:
            return True
        key = region_key(gold.get("place"))
        return bool(key) and key in {region_key(pred.get("place")), region_key(pred.get("admin1"))}
    if level == "country":
        return pred.get("level") == "country" and str(pred.get("country", "")).upper() == str(gold["country"]).upper()
    raise ValueError(f"unknown level {level!r} in annotation of {gold.get('doc')}")


def compatible(gold: dict, pred: dict, mode: str = "lenient") -> bool:
    """All three rules: equal types, compatible dates, compatible places."""
    return (gold["event_type"] == pred["event_type"]
            and dates_compatible(gold, pred, mode)
            and places_compatible(gold, pred))


def _closeness(gold: dict, pred: dict) -> tuple[int, float]:
    """Smaller is closer: day differences of both ends, then distance."""
    gs, ge = _days(gold)
    ps, pe = _days(pred)
    d = _distance(gold, pred)
    return (abs((gs - ps).days) + abs((ge - pe).days), d if math.isfinite(d) else 1e9)


def max_matching(n_left: int, edges: dict[int, list[int]]) -> dict[int, int]:
    """Maximum bipartite matching (Kuhn): left index -> right index.

    ``edges[i]`` lists the right vertices of left vertex ``i`` in order of
    preference. Iterative augmenting-path search, so deep graphs cannot hit
    the recursion limit.
    """
    match_right: dict[int, int] = {}
    for root in range(n_left):
        visited: set[int] = set()
        # Each frame: [left vertex, index of its next edge to try, right vertex it is trying].
        stack: list[list] = [[root, 0, None]]
        while stack:
            frame = stack[-1]
            options = edges.get(frame[0], ())
            if frame[1] >= len(options):
                stack.pop()
                continue
            right = options[frame[1]]
            frame[1] += 1
            if right in visited:
                continue
            visited.add(right)
            frame[2] = right
            if right not in match_right:
                # Augment: every left on the path takes the right it was trying.
                for left, _, tried in stack:
                    match_right[tried] = left
                break
            stack.append([match_right[right], 0, None])
    return {left: right for right, left in match_right.items()}


def match_pairs(golds: list[dict], preds: list[dict], accept: Callable[[dict, dict], bool]) -> dict[int, int]:
    """Maximum one-to-one matching of one article's events: gold index -> prediction index.

    ``accept(gold, pred)`` says which pairs may match. Each annotation's
    candidates are tried closest first (``_closeness``), so among equally large
    matchings the closer pairs win.
    """
    edges = {
        i: sorted((j for j, p in enumerate(preds) if accept(g, p)), key=lambda j, g=g: _closeness(g, preds[j]))
        for i, g in enumerate(golds)
    }
    return max_matching(len(golds), edges)


# -- error breakdown -----------------------------------------------------------------------

NEAR_MISSES = ("wrong_place", "wrong_dates", "wrong_type")
ERROR_CATEGORIES = (*NEAR_MISSES, "spurious", "missed")
ERROR_MEANING = {
    "wrong_place": "same type and dates, place incompatible",
    "wrong_dates": "same type and place, dates incompatible",
    "wrong_type": "same place and dates, other type",
    "spurious": "extracted, no annotated event close to it",
    "missed": "annotated, no extracted event close to it",
}


def near_miss(gold: dict, pred: dict, mode: str = "lenient") -> str | None:
    """Which single rule a pair fails: ``wrong_place``, ``wrong_dates`` or ``wrong_type``.

    None when the pair matches or fails two or more rules; the three cases are
    exclusive, since each needs exactly one rule to fail.
    """
    failed = [name for name, ok in (("wrong_type", gold["event_type"] == pred["event_type"]),
                                    ("wrong_dates", dates_compatible(gold, pred, mode)),
                                    ("wrong_place", places_compatible(gold, pred))) if not ok]
    return failed[0] if len(failed) == 1 else None


@dataclass(frozen=True)
class ErrorCase:
    """One error of the breakdown: a near-miss pair, or a lone prediction or annotation."""
    category: str
    doc: str
    predicted: dict | None = None
    annotated: dict | None = None

    @property
    def distance_km(self) -> float | None:
        """How far the prediction lies from the annotation (None without both points)."""
        if self.predicted is None or self.annotated is None:
            return None
        d = _distance(self.annotated, self.predicted)
        return round(d, 1) if math.isfinite(d) else None

    @property
    def note(self) -> str:
        """What a near miss got wrong, in a few words ('' for a lone event).

        For a region or country annotation a prediction at another level says
        so (the rule needs that level, and a distance to a centroid means
        little); otherwise the distance is given. Dates give the prediction's
        offset at each end.
        """
        pred, gold = self.predicted, self.annotated
        if pred is None or gold is None:
            return ""
        if self.category == "wrong_place":
            if gold.get("level") in ("region", "country") and pred.get("level") != gold.get("level"):
                return f"{pred.get('level')} level instead of {gold.get('level')}"
            return f"{self.distance_km:g} km apart" if self.distance_km is not None else "other place"
        if self.category == "wrong_dates":
            (gs, ge), (ps, pe) = _days(gold), _days(pred)
            return f"start {(ps - gs).days:+d} d, end {(pe - ge).days:+d} d"
        return f"{pred['event_type']} instead of {gold['event_type']}"

    def to_dict(self) -> dict[str, Any]:
        return {"category": self.category, "doc": self.doc, "note": self.note, "distance_km": self.distance_km,
                "predicted": _brief(self.predicted), "annotated": _brief(self.annotated)}


def _brief(rec: dict | None) -> dict[str, Any] | None:
    """The fields of an event that explain an error to a reader (not its coordinates or sources)."""
    if rec is None:
        return None
    keys = ("event_type", "place", "place_mention", "site", "level", "country", "admin1",
            "date_start", "date_end", "date_uncertain", "evidence")
    return {k: rec[k] for k in keys if rec.get(k) not in (None, "")}


@dataclass
class ErrorBreakdown:
    """Every error of the evaluation, in article order, and the views a report needs."""
    cases: list[ErrorCase] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(ERROR_CATEGORIES, 0)
        for case in self.cases:
            out[case.category] += 1
        return out

    def examples(self, category: str, limit: int | None = None) -> list[ErrorCase]:
        """Up to ``limit`` cases of a category, taken round-robin over the articles.

        Round-robin rather than the first cases, so that a few examples show
        errors of several articles instead of one article's repeated mistake.
        """
        by_doc: dict[str, list[ErrorCase]] = defaultdict(list)
        for case in self.cases:
            if case.category == category:
                by_doc[case.doc].append(case)
        ordered = [c for row in itertools.zip_longest(*by_doc.values()) for c in row if c is not None]
        return ordered if limit is None else ordered[:max(limit, 0)]

    def to_dict(self, examples: int | None = None) -> dict[str, Any]:
        return {"counts": self.counts(),
                "examples": {c: [case.to_dict() for case in self.examples(c, examples)] for c in ERROR_CATEGORIES}}


def diagnose(doc: str, golds: list[dict], preds: list[dict], mode: str = "lenient") -> list[ErrorCase]:
    """Sort one article's unmatched annotations and predictions into error categories.

    The pairing rule: first a maximum one-to-one matching of ``wrong_place``
    pairs (same type, compatible dates, incompatible place), then, among the
    events still unpaired, of ``wrong_dates`` pairs, then of ``wrong_type``
    pairs; within each step the closer pairs are preferred. Each event is thus
    paired at most once, and a near miss on place outranks one on dates or
    type, because a prediction with the right type and dates is most likely
    the annotated event itself. What stays unpaired is ``spurious`` (a
    prediction) or ``missed`` (an annotation).

    Only events left over by the main matching should be given: a pair that
    matches on all three rules is no error.
    """
    golds, preds = list(golds), list(preds)
    cases: list[ErrorCase] = []
    for category in NEAR_MISSES:
        pairs = match_pairs(golds, preds, lambda g, p, c=category: near_miss(g, p, mode) == c)
        cases += [ErrorCase(category, doc, preds[j], golds[i]) for i, j in sorted(pairs.items())]
        taken = set(pairs.values())
        golds = [g for i, g in enumerate(golds) if i not in pairs]
        preds = [p for j, p in enumerate(preds) if j not in taken]
    cases += [ErrorCase("spurious", doc, predicted=p) for p in preds]
    cases += [ErrorCase("missed", doc, annotated=g) for g in golds]
    return cases


# -- scoring -------------------------------------------------------------------------------

@dataclass
class Scores:
    matched: int = 0
    gold: int = 0
    predicted: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, matched: int, gold: int, predicted: int) -> None:
        self.matched += matched
        self.gold += gold
        self.predicted += predicted

    def to_dict(self) -> dict[str, float | int]:
        return {"matched": self.matched, "gold": self.gold, "predicted": self.predicted,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4)}


@dataclass
class Report:
    mode: str
    overall: Scores
    per_type: dict[str, Scores]
    per_doc: dict[str, Scores]
    matches: list[tuple[dict, dict]] = field(default_factory=list)
    unmatched_gold: list[dict] = field(default_factory=list)
    unmatched_pred: list[dict] = field(default_factory=list)
    ignored: int = 0  # predictions about articles without annotation
    place_only: Scores = field(default_factory=Scores)  # matching on the place rule alone
    errors: ErrorBreakdown = field(default_factory=ErrorBreakdown)

    def to_dict(self, examples: int | None = None) -> dict[str, Any]:
        """The report as JSON-ready data; ``examples`` caps the error examples per category."""
        return {
            "mode": self.mode,
            "overall": self.overall.to_dict(),
            "place_only": self.place_only.to_dict(),
            "per_type": {k: v.to_dict() for k, v in self.per_type.items()},
            "per_doc": {k: v.to_dict() for k, v in self.per_doc.items()},
            "errors": self.errors.to_dict(examples),
            "unmatched_gold": self.unmatched_gold,
            "unmatched_pred": self.unmatched_pred,
            "ignored_predictions": self.ignored,
        }


def _pred_docs(pred: dict) -> list[str]:
    if pred.get("docs"):
        return list(pred["docs"])
    if pred.get("doc"):
        return [pred["doc"]]
    return list(dict.fromkeys(s.get("doc") for s in pred.get("sources") or [] if s.get("doc")))


def _expand(pred: dict, doc: str) -> dict:
    """One prediction as seen from one of its articles (evidence of that article only)."""
    out = {k: v for k, v in pred.items() if k not in ("docs", "sources")}
    out["doc"] = doc
    out["evidence"] = " | ".join(
        s.get("evidence", "") for s in pred.get("sources") or [] if s.get("doc") == doc
    ) or pred.get("evidence", "")
    return out


def _by_article(gold: list[dict], predicted: list[dict]) -> tuple[dict[str, list[dict]], dict[str, list[dict]], int]:
    """Annotations and predictions grouped by article, and the number of predictions left out
    (one per source article that has no annotation)."""
    gold_by_doc: dict[str, list[dict]] = defaultdict(list)
    for g in gold:
        gold_by_doc[g["doc"]].append(g)
    pred_by_doc: dict[str, list[dict]] = defaultdict(list)
    ignored = 0
    for p in predicted:
        for doc in _pred_docs(p):
            if doc in gold_by_doc:
                pred_by_doc[doc].append(_expand(p, doc))
            else:
                ignored += 1
    return gold_by_doc, pred_by_doc, ignored


def _score_article(report: Report, per_type: dict[str, Scores], doc: str,
                   golds: list[dict], preds: list[dict]) -> None:
    """Match one article's events, add its scores to the report and classify its errors."""
    mode = report.mode
    matching = match_pairs(golds, preds, lambda g, p: compatible(g, p, mode))
    report.per_doc[doc] = Scores(matched=len(matching), gold=len(golds), predicted=len(preds))
    report.overall.add(len(matching), len(golds), len(preds))
    report.place_only.add(len(match_pairs(golds, preds, places_compatible)), len(golds), len(preds))
    for g in golds:
        per_type[g["event_type"]].gold += 1
    for p in preds:
        per_type[p["event_type"]].predicted += 1
    for i in matching:
        per_type[golds[i]["event_type"]].matched += 1
    report.matches += [(g, preds[matching[i]]) for i, g in enumerate(golds) if i in matching]
    taken = set(matching.values())
    lost_gold = [g for i, g in enumerate(golds) if i not in matching]
    lost_pred = [p for j, p in enumerate(preds) if j not in taken]
    report.unmatched_gold += lost_gold
    report.unmatched_pred += lost_pred
    report.errors.cases += diagnose(doc, lost_gold, lost_pred, mode)


def evaluate(gold: list[dict], predicted: list[dict], mode: str = "lenient") -> Report:
    """Match predictions to annotations article by article, score them and classify the errors."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; expected one of {', '.join(MODES)}")
    gold_by_doc, pred_by_doc, ignored = _by_article(gold, predicted)
    per_type: dict[str, Scores] = defaultdict(Scores)
    report = Report(mode, Scores(), {}, {}, ignored=ignored)
    for doc in sorted(gold_by_doc):
        _score_article(report, per_type, doc, gold_by_doc[doc], pred_by_doc.get(doc, []))
    report.per_type = dict(sorted(per_type.items()))
    return report


# -- text report ---------------------------------------------------------------------------

def _short(text: Any, limit: int = 100) -> str:
    """One line of at most ``limit`` characters: whitespace collapsed, '...' when cut."""
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _span(rec: dict) -> str:
    return rec["date_start"] if rec["date_start"] == rec["date_end"] else f"{rec['date_start']}..{rec['date_end']}"


def _where(rec: dict) -> str:
    """Place name, the site when there is one, and the level: 'Almaty (akimat) [site]'."""
    name = rec.get("place") or rec.get("place_mention") or "?"
    site = f" ({rec['site']})" if rec.get("site") else ""
    return f"{name}{site} [{rec.get('level')}]"


def _line(rec: dict) -> str:
    return f"  {rec['doc']}  {rec['event_type']:<14} {_where(rec)} {_span(rec)}  {_short(rec.get('evidence'))}"


def _case_lines(case: ErrorCase) -> list[str]:
    """An error example: its article and what went wrong, then each side's type, place and
    dates with its evidence (the annotation's only when it is another sentence)."""
    lines = [f"  {case.doc}" + (f"  ({case.note})" if case.note else "")]
    shown_evidence = ""
    for label, rec in (("predicted", case.predicted), ("annotated", case.annotated)):
        if rec is None:
            continue
        lines.append(f"    {label}  {rec['event_type']:<14} {_where(rec)} {_span(rec)}")
        evidence = _short(rec.get("evidence"))
        if evidence and evidence != shown_evidence:
            lines.append(f"               \"{evidence}\"")
            shown_evidence = evidence
    return lines


def format_errors(errors: ErrorBreakdown, examples: int = 3) -> list[str]:
    """The error breakdown as text: a count per category, then up to ``examples`` cases of each."""
    counts = errors.counts()
    lines = ["error breakdown (events left unmatched; near misses paired in this order)"]
    lines += [f"  {c:<12} {counts[c]:5d}   {ERROR_MEANING[c]}" for c in ERROR_CATEGORIES]
    if examples <= 0:
        return lines
    for category in ERROR_CATEGORIES:
        shown = errors.examples(category, examples)
        if shown:
            lines += ["", f"{category}: {len(shown)} of {counts[category]} shown"]
            for case in shown:
                lines += _case_lines(case)
    return lines


def format_report(report: Report, examples: int = 3) -> str:
    """A plain-text report: scores overall, place-only, per type and per article, the unmatched
    events, then the error breakdown with up to ``examples`` cases per category."""
    def row(name: str, s: Scores) -> str:
        return (f"{name:<32} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} "
                f"{s.matched:5d} {s.predicted:5d} {s.gold:5d}")

    head = f"{'':<32} {'P':>6} {'R':>6} {'F1':>6} {'match':>5} {'pred':>5} {'gold':>5}"
    lines = [f"Evaluation ({report.mode} dates)", head, row("overall", report.overall),
             row("place-only", report.place_only), "", "per event type"]
    lines += [row(t, s) for t, s in report.per_type.items()]
    lines += ["", "per article"]
    lines += [row(d, s) for d, s in report.per_doc.items()]
    if report.ignored:
        lines += ["", f"{report.ignored} prediction(s) about articles without annotation were left out"]
    lines += ["", f"unmatched annotations ({len(report.unmatched_gold)})"]
    lines += [_line(g) for g in report.unmatched_gold]
    lines += ["", f"unmatched predictions ({len(report.unmatched_pred)})"]
    lines += [_line(p) for p in report.unmatched_pred]
    lines += [""] + format_errors(report.errors, examples)
    return "\n".join(lines)
