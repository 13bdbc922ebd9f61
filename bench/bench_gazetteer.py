"""Cost of the gazetteer: index build, cache load, memory, and matching speed.

Run by hand (not part of the test suite):

    python bench/bench_gazetteer.py [--mb 4] [--repeat 3]

Each measurement that depends on a fresh interpreter runs in its own
subprocess, so nothing is warm that a user's first run would not have:

- cold build: ``load_index()`` with ``GEO_CACHE_DIR`` pointing at an empty
  temporary folder, which forces a full rebuild from ``data/`` (and writes the
  cache there, never touching ``data/cache``);
- cache load: a second fresh process with the same ``GEO_CACHE_DIR`` timing
  ``Gazetteer.load()``, and reporting its peak resident memory (``ru_maxrss``)
  right after the load;
- matching: ``Gazetteer.find`` over the seed articles replicated to a few MB,
  called article by article (the way the pipeline calls it), reported in MB/s
  of UTF-8 text and mentions per second.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEEDS = ROOT / "seeds"

_BUILD = """
import json, time
t0 = time.perf_counter()
from geo.placedata import load_index
t1 = time.perf_counter()
index = load_index()
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "build_s": t2 - t1, "places": len(index.places),
                  "names": len(index.entries)}))
"""

_LOAD = """
import json, resource, time
t0 = time.perf_counter()
from geo.gazetteer import Gazetteer
t1 = time.perf_counter()
gaz = Gazetteer.load()
t2 = time.perf_counter()
gaz.find("Protests in Zhanaozen spread to Almaty.")  # first call loads the common-word list
t3 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "first_find_s": t3 - t2,
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_child(code: str, cache: Path) -> dict:
    env = dict(os.environ, GEO_CACHE_DIR=str(cache), PYTHONPATH=str(ROOT))
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{r.stderr}")
    out = json.loads(r.stdout.strip().splitlines()[-1])
    out["wall_s"] = wall
    return out


def seed_articles(target_mb: float) -> list[str]:
    """The seed articles repeated until they add up to ``target_mb`` MB of UTF-8 text."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    if not texts:
        raise SystemExit(f"no seed articles in {SEEDS}")
    out, size, i = [], 0, 0
    while size < target_mb * 1e6:
        t = texts[i % len(texts)]
        out.append(t)
        size += len(t.encode("utf-8"))
        i += 1
    return out


def bench_find(target_mb: float, repeat: int) -> dict:
    from geo.gazetteer import Gazetteer

    gaz = Gazetteer.load()
    articles = seed_articles(target_mb)
    nbytes = sum(len(a.encode("utf-8")) for a in articles)
    gaz.find(articles[0], ["KZ"])  # warm: common-word list, regex caches
    best, mentions = float("inf"), 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        mentions = sum(len(gaz.find(a, ["KZ"])) for a in articles)
        best = min(best, time.perf_counter() - t0)
    one = "\n\n".join(articles)
    t0 = time.perf_counter()
    one_mentions = len(gaz.find(one, ["KZ"]))
    one_s = time.perf_counter() - t0
    return {"articles": len(articles), "mb": nbytes / 1e6, "seconds": best, "mb_per_s": nbytes / 1e6 / best,
            "mentions": mentions, "mentions_per_s": mentions / best,
            "one_text_s": one_s, "one_text_mb_per_s": len(one.encode("utf-8")) / 1e6 / one_s,
            "one_text_mentions": one_mentions}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=4.0, help="MB of article text to match (default 4)")
    ap.add_argument("--repeat", type=int, default=3, help="timed passes over the text; the best is kept")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="geo-bench-cache-") as tmp:
        cache = Path(tmp)
        build = run_child(_BUILD, cache)
        cache_mb = (cache / "places.pickle").stat().st_size / 1e6
        load = run_child(_LOAD, cache)
    print(f"index: {build['places']:,} places, {build['names']:,} name keys, cache file {cache_mb:.1f} MB")
    print(f"cold build (empty GEO_CACHE_DIR): {build['build_s']:.2f} s "
          f"(+ {build['import_s']:.2f} s imports; process wall {build['wall_s']:.2f} s)")
    print(f"load from cache (fresh process):  {load['load_s']:.2f} s "
          f"(+ {load['import_s']:.2f} s imports, first find {load['first_find_s']:.2f} s; "
          f"process wall {load['wall_s']:.2f} s)")
    print(f"peak resident memory after load:  {load['maxrss_mb']:.0f} MB")

    f = bench_find(args.mb, args.repeat)
    print(f"find, article by article: {f['mb']:.2f} MB in {f['articles']} articles, {f['seconds']:.2f} s "
          f"-> {f['mb_per_s']:.2f} MB/s, {f['mentions']:,} mentions ({f['mentions_per_s']:,.0f}/s)")
    print(f"find, one {f['mb']:.1f} MB text: {f['one_text_s']:.2f} s -> {f['one_text_mb_per_s']:.2f} MB/s, "
          f"{f['one_text_mentions']:,} mentions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
