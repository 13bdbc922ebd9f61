"""Throughput of the whole ``extract`` command on a corpus of a few hundred articles.

Run by hand (not part of the test suite):

    python bench/bench_extract.py [--n 300] [--keep]

The corpus is built in a temporary folder by copying the seed articles and
the test corpus articles round-robin, each copy lightly varied (a closing
line naming the copy) so that no two files are identical; the seeds' manifest
rows are copied along so publication dates are known as in real use. The
same corpus is then extracted twice:

- in-process: ``read_paths`` + ``extract_documents`` + ``export.write``, timed
  phase by phase, with the one-off start-up (gazetteer load) measured apart;
- as a subprocess: ``python -m geo extract DIR -o FILE``, wall time and the
  child's peak resident memory (``getrusage(RUSAGE_CHILDREN).ru_maxrss``).
"""
from __future__ import annotations

import argparse
import csv
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SOURCES = [ROOT / "seeds", ROOT / "tests" / "corpus"]
SUFFIXES = {".txt", ".md", ".html", ".htm"}


def build_corpus(folder: Path, n: int) -> int:
    """Write ``n`` varied copies of the sample articles (and a manifest) into ``folder``; returns bytes written."""
    originals: list[tuple[Path, dict | None]] = []
    for src in SOURCES:
        manifest: dict[str, dict] = {}
        mpath = src / "sources.csv"
        if mpath.is_file():
            with mpath.open(encoding="utf-8", newline="") as fh:
                manifest = {row["file"]: row for row in csv.DictReader(fh)}
        for f in sorted(src.iterdir()):
            if f.suffix.lower() in SUFFIXES:
                originals.append((f, manifest.get(f.name)))
    if not originals:
        raise SystemExit("no sample articles found under seeds/ or tests/corpus/")
    rows = []
    total = 0
    for i in range(n):
        path, row = originals[i % len(originals)]
        text = path.read_text(encoding="utf-8", errors="replace")
        note = f"(Copy {i} of {path.stem}.)"
        if path.suffix.lower() in (".html", ".htm") and "</body>" in text:
            text = text.replace("</body>", f"<p>{note}</p></body>", 1)
        else:
            text = text.rstrip("\n") + f"\n\n{note}\n"
        name = f"{i:04d}_{path.name}"
        data = text.encode("utf-8")
        (folder / name).write_bytes(data)
        total += len(data)
        if row is not None:
            rows.append({**{k: v for k, v in row.items() if k}, "file": name})
    if rows:
        with (folder / "sources.csv").open("w", encoding="utf-8", newline="") as fh:
            fields = list(dict.fromkeys(k for r in rows for k in r))
            writer = csv.DictWriter(fh, fieldnames=fields, restval="")
            writer.writeheader()
            writer.writerows(rows)
    return total


def in_process(folder: Path, out: Path) -> dict[str, float]:
    from geo.documents import read_paths
    from geo.export import write
    from geo.pipeline import extract_document, extract_documents

    t0 = time.perf_counter()
    docs, problems = read_paths([folder])
    t1 = time.perf_counter()
    # Start-up cost paid once per process (gazetteer load, compiled patterns): one small article.
    extract_document(min(docs, key=lambda d: len(d.text)))
    t2 = time.perf_counter()
    events = extract_documents(docs)
    t3 = time.perf_counter()
    write(events, out)
    t4 = time.perf_counter()
    return {
        "docs": len(docs), "problems": len(problems), "events": len(events),
        "words": sum(len(d.text.split()) for d in docs),
        "read": t1 - t0, "startup": t2 - t1, "extract": t3 - t2, "write": t4 - t3, "total": t4 - t0,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def as_subprocess(folder: Path, out: Path) -> dict[str, float]:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "geo", "extract", str(folder), "-o", str(out)],
                          cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"extract failed (exit {proc.returncode}): {proc.stderr.strip()[-500:]}")
    return {"wall": wall, "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "exit": proc.returncode}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="number of articles (default 300)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary corpus and outputs")
    parser.add_argument("--no-subprocess", action="store_true", help="only the in-process run")
    args = parser.parse_args()
    if args.n < 1:
        parser.error("--n must be at least 1")

    tmp = Path(tempfile.mkdtemp(prefix="geo-bench-"))
    corpus = tmp / "corpus"
    corpus.mkdir()
    try:
        size = build_corpus(corpus, args.n)
        print(f"corpus: {args.n} articles, {size / 1e6:.2f} MB in {corpus}")
        r = in_process(corpus, tmp / "inproc.geojson")
        print(f"in-process: {r['docs']} articles, {r['words']} words, {r['events']} events, "
              f"{r['problems']} problems")
        print(f"  read {r['read']:.2f}s  start-up {r['startup']:.2f}s  extract {r['extract']:.2f}s  "
              f"write {r['write']:.2f}s  total {r['total']:.2f}s")
        work = r["extract"] or 1e-9
        print(f"  extraction: {r['words'] / work:,.0f} words/s, {r['docs'] / work:,.1f} articles/s "
              f"(start-up excluded)")
        print(f"  whole run: {r['words'] / r['total']:,.0f} words/s, {r['docs'] / r['total']:,.1f} articles/s; "
              f"peak memory {r['peak_mb']:.0f} MB")
        if not args.no_subprocess:
            s = as_subprocess(corpus, tmp / "subproc.geojson")
            print(f"subprocess `python -m geo extract`: wall {s['wall']:.2f}s, "
                  f"{r['words'] / s['wall']:,.0f} words/s, {r['docs'] / s['wall']:,.1f} articles/s, "
                  f"peak memory {s['peak_mb']:.0f} MB (exit {s['exit']})")
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
