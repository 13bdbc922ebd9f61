"""Extraction quality on every annotated set, as a user would get it: ``python -m geo extract`` on the
articles, scored by SCHEME.md's rules (``geo.evaluate``).

Run by hand (not part of the test suite):

    python bench/bench_quality.py                      # every set, this checkout
    python bench/bench_quality.py --code ../old-main   # the same sets, extracted by another checkout
    python bench/bench_quality.py --breakdown realdev  # with the error breakdown of one set
    python bench/bench_quality.py --json out.json
    python bench/bench_quality.py --extra mine=../my-annotated   # also a folder laid out as realdev is

Sets: the seeds (team gold, and seed 000 against the annotation made outside the team), the project's
own sets (tests/corpus, dev, dev3, dev4, dev5), the blind sets (tests/blind, tests/blind2, tests/blind3: scored only), the real
published articles of ../shared/eval/realdev when that folder is there (evaluation only: their text
never enters the repository), and the negative set (tests/negative: false events per article).
Extraction runs in a subprocess with ``--code``'s working directory, so an older version of the
extractor is measured side by side with this one on the same files and the same scoring.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.evaluate import evaluate, format_report, load_gold, load_predictions  # noqa: E402

TESTS = ROOT / "tests"
SHARED = ROOT.parent / "shared" / "eval"

# name: (article files, gold files)
SETS: dict[str, tuple[list[Path], list[Path]]] = {
    "seeds": (sorted((ROOT / "seeds").glob("00[0-4]_*.txt")), sorted((TESTS / "gold").glob("00[0-4]_*.jsonl"))),
    "seed000-outside": ([ROOT / "seeds" / "000_5d34b3504bfa6f51.txt"], [SHARED / "example_000.jsonl"]),
    "corpus": (sorted((TESTS / "corpus").glob("10[1-6]_*")), sorted((TESTS / "gold").glob("10[1-6]_*.jsonl"))),
    "dev2": (sorted((TESTS / "dev").glob("30[1-6]_*.txt")), sorted((TESTS / "dev" / "gold").glob("*.jsonl"))),
    "dev3": (sorted((TESTS / "dev3").glob("40[1-6]_*.txt")), sorted((TESTS / "dev3" / "gold").glob("*.jsonl"))),
    "dev4": (sorted((TESTS / "dev4").glob("20[1-5]_*.txt")), sorted((TESTS / "dev4" / "gold").glob("*.jsonl"))),
    "dev5": (sorted((TESTS / "dev5").glob("7[0-9][0-9]_*.txt")), sorted((TESTS / "dev5" / "gold").glob("*.jsonl"))),
    "blind": (sorted((TESTS / "blind").glob("6[0-9][0-9]_*.txt")), sorted((TESTS / "blind" / "gold").glob("*.jsonl"))),
    "blind2": (sorted((TESTS / "blind2").glob("8[0-9][0-9]_*.txt")), sorted((TESTS / "blind2" / "gold").glob("*.jsonl"))),
    "blind3": (sorted((TESTS / "blind3").glob("9[0-9][0-9]_*.txt")), sorted((TESTS / "blind3" / "gold").glob("*.jsonl"))),
    "realdev": (sorted((SHARED / "realdev" / "texts").glob("*.txt")), sorted((SHARED / "realdev" / "gold").glob("*.jsonl"))),
}
NEGATIVE = sorted((TESTS / "negative").glob("5[0-9][0-9]_*.txt"))


def extract(files: list[Path], code: Path, out: Path) -> dict:
    """Events of ``files`` as the ``extract`` command of the checkout at ``code`` writes them."""
    cmd = [sys.executable, "-m", "geo", "extract", *map(str, files), "-o", str(out)]
    done = subprocess.run(cmd, cwd=code, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"extract failed in {code}: {done.stderr.strip()[-500:]}")
    return json.loads(out.read_text(encoding="utf-8"))


def score_set(name: str, code: Path, tmp: Path, breakdown: bool) -> dict | None:
    articles, gold_files = SETS[name]
    if not articles or not gold_files or not all(p.exists() for p in gold_files):
        return None
    gold = load_gold(gold_files)
    names = {g["doc"] for g in gold}
    articles = [a for a in articles if a.name in names]
    predictions = load_predictions(extract(articles, code, tmp / f"{name}.geojson"))
    lenient = evaluate(gold, predictions, "lenient")
    strict = evaluate(gold, predictions, "strict")
    row = {
        "articles": len(articles), "gold": lenient.overall.gold, "predicted": lenient.overall.predicted,
        "precision": round(lenient.overall.precision, 3), "recall": round(lenient.overall.recall, 3),
        "f1": round(lenient.overall.f1, 3), "strict_f1": round(strict.overall.f1, 3),
        "place_only_f1": round(lenient.place_only.f1, 3),
        "per_type": {t: round(s.f1, 3) for t, s in sorted(lenient.per_type.items())},
        "errors": lenient.errors.counts(),
    }
    if breakdown:
        print(format_report(lenient).split("\nper article")[0])
        print(format_report(lenient)[format_report(lenient).find("error breakdown"):])
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--code", type=Path, default=ROOT, help="checkout whose extractor is measured (default: this one)")
    ap.add_argument("--sets", nargs="*", default=list(SETS), help="sets to score")
    ap.add_argument("--breakdown", nargs="*", default=[], help="sets whose error breakdown is printed")
    ap.add_argument("--json", type=Path, help="write the figures to this file")
    ap.add_argument("--extra", action="append", default=[], metavar="NAME=DIR",
                    help="also score DIR/texts/*.txt against DIR/gold/*.jsonl (realdev's layout), as NAME")
    args = ap.parse_args()
    for item in args.extra:
        name, sep, folder = item.partition("=")
        if not sep or not name or not folder:
            ap.error(f"--extra takes NAME=DIR, not {item!r}")
        root = Path(folder).resolve()
        SETS[name] = (sorted((root / "texts").glob("*.txt")), sorted((root / "gold").glob("*.jsonl")))
        if name not in args.sets:
            args.sets.append(name)
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'set':16} {'docs':>4} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6} {'strict':>6} "
              f"{'place':>6}  per type (lenient F1)")
        for name in args.sets:
            row = score_set(name, args.code.resolve(), Path(tmp), name in args.breakdown)
            if row is None:
                print(f"{name:16} (not available here)")
                continue
            results[name] = row
            types = " ".join(f"{t}={f:.2f}" for t, f in row["per_type"].items())
            print(f"{name:16} {row['articles']:4} {row['gold']:5} {row['predicted']:5} {row['precision']:6.3f} "
                  f"{row['recall']:6.3f} {row['f1']:6.3f} {row['strict_f1']:6.3f} {row['place_only_f1']:6.3f}  {types}")
        if NEGATIVE:
            events = extract(NEGATIVE, args.code.resolve(), Path(tmp) / "negative.geojson")["features"]
            results["negative"] = {"articles": len(NEGATIVE), "events": len(events),
                                   "events_per_article": round(len(events) / len(NEGATIVE), 3)}
            print(f"{'negative':16} {len(NEGATIVE):4} articles with no event: {len(events)} false events "
                  f"({len(events) / len(NEGATIVE):.3f} per article)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
