"""Ingest speed on one core, on two, and through a Dask scheduler, side by side in one run.

    python bench/bench_scale.py [--copies 80] [--json FILE]

Builds a corpus of the seeds repeated under new names (each copy made its own article by a last
line naming it: 5 x 80 = 400 articles, about 650,000 words), then times ``python -m geo ingest``
into a fresh store with ``--workers 1``, ``--workers 2``, ``--scheduler`` against a ``dask
scheduler`` + ``dask worker`` started here, and a ``.jsonl.gz`` of the same articles; then kills an
ingest with SIGKILL mid-run and reruns it, and times single articles of 0.5 to 4 MB. Every path must give exactly the events of the plain run
(the GeoJSON export is compared byte for byte). Prints words/s of each, the speed-up of two workers
over one (a ratio from the same run: these machines are noisy) and peak memory per process.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def make_corpus(folder: Path, copies: int) -> tuple[int, int]:
    folder.mkdir(parents=True)
    n = words = 0
    for c in range(copies):
        for p in sorted(SEEDS.glob("*.txt")):
            text = p.read_text(encoding="utf-8") + f"\n\nArchived copy number {c + 1} of {p.stem}.\n"
            (folder / f"copy{c:03d}_{p.name}").write_text(text, encoding="utf-8")
            n += 1
            words += len(text.split())
    return n, words


def ingest(inputs: list[str], store: Path, *extra: str) -> tuple[float, str, int]:
    """Seconds, stdout and peak RSS (kB, this process tree's largest child) of one ingest."""
    cmd = [sys.executable, "-m", "geo", "ingest", *inputs, "--store", str(store), "--quiet", *extra]
    t0 = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd] if Path("/usr/bin/time").exists() else cmd,
                          cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"ingest failed ({' '.join(extra)}): {proc.stdout}\n{proc.stderr}")
    rss = re.findall(r"^(\d+)$", proc.stderr, re.M)
    return seconds, proc.stdout, int(rss[-1]) if rss else 0


def export(store: Path) -> bytes:
    out = subprocess.run([sys.executable, "-m", "geo", "export", "--store", str(store)], cwd=ROOT,
                         capture_output=True, check=True)
    return out.stdout


def start_cluster(workdir: Path, workers: int) -> tuple[list[subprocess.Popen], str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    sched_file = workdir / "scheduler.json"
    bin_dir = Path(sys.executable).parent
    procs = [subprocess.Popen([str(bin_dir / "dask"), "scheduler", "--scheduler-file", str(sched_file),
                               "--port", "0", "--dashboard-address", ":0"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    deadline = time.monotonic() + 60
    while not sched_file.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    address = json.loads(sched_file.read_text())["address"]
    procs.append(subprocess.Popen([str(bin_dir / "dask"), "worker", address, "--nworkers", str(workers),
                                   "--nthreads", "1", "--dashboard-address", ":0"], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    from distributed import Client

    with Client(address, timeout="60s") as client:
        client.wait_for_workers(workers, timeout=120)
    return procs, address


def kill_midway(inputs: list[str], store: Path) -> int:
    """Start an ingest on two workers, SIGKILL it once some articles are stored; returns how many were."""
    cmd = [sys.executable, "-m", "geo", "ingest", *inputs, "--store", str(store), "--quiet", "--workers", "2",
           "--batch", "16"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    stored = 0
    while proc.poll() is None:
        try:
            conn = sqlite3.connect(store, timeout=1)
            stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            conn.close()
        except sqlite3.Error:
            stored = 0
        if stored >= 100:
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return stored


def long_articles() -> list[dict]:
    """Seconds to extract one article of 0.5 to 4 MB (the seeds repeated): time must grow linearly."""
    import dataclasses

    sys.path.insert(0, str(ROOT))
    from geo.documents import read_paths
    from geo.gazetteer import Gazetteer
    from geo.pipeline import extract_document

    Gazetteer.load()
    docs, _ = read_paths([SEEDS])
    one = "\n\n".join(d.text for d in docs)
    out = []
    for mb in (0.5, 1, 2, 4):
        text = one * max(1, round(mb * 1e6 / len(one.encode("utf-8"))))
        doc = dataclasses.replace(docs[0], text=text)
        t0 = time.perf_counter()
        extract_document(doc)
        seconds = time.perf_counter() - t0
        words = len(text.split())
        out.append({"megabytes": round(len(text.encode("utf-8")) / 1e6, 2), "seconds": round(seconds, 2),
                    "words_per_second": round(words / seconds)})
        print(f"one article of {out[-1]['megabytes']:4.1f} MB: {seconds:5.1f} s  {words / seconds:9,.0f} words/s")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=80, help="copies of the five seeds (default 80: 400 articles)")
    ap.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = ap.parse_args()
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus"
        n_articles, n_words = make_corpus(corpus, args.copies)
        results["articles"], results["words"] = n_articles, n_words
        print(f"corpus: {n_articles} articles, {n_words:,} words")

        runs = {}
        for label, extra in (("workers 1", ("--workers", "1")), ("workers 2", ("--workers", "2"))):
            store = tmp / f"{label.replace(' ', '_')}.sqlite"
            seconds, out, rss = ingest([str(corpus)], store, *extra)
            runs[label] = (seconds, export(store), rss)
            print(f"{label:22s} {seconds:6.1f} s  {n_words / seconds:9,.0f} words/s  peak RSS {rss / 1024:5.0f} MB")
        reference = runs["workers 1"][1]

        procs, address = start_cluster(tmp, 2)
        try:
            store = tmp / "scheduler.sqlite"
            seconds, _, _ = ingest([str(corpus)], store, "--scheduler", address)
            runs["scheduler (2 workers)"] = (seconds, export(store), 0)
            print(f"{'scheduler (2 workers)':22s} {seconds:6.1f} s  {n_words / seconds:9,.0f} words/s")
        finally:
            for p in reversed(procs):
                p.terminate()
            for p in procs:
                p.wait(timeout=30)

        jsonl = tmp / "corpus.jsonl.gz"
        with gzip.open(jsonl, "wt", encoding="utf-8") as fh:
            for p in sorted(corpus.iterdir()):
                fh.write(json.dumps({"id": p.name, "text": p.read_text(encoding="utf-8")}) + "\n")
        store = tmp / "jsonl.sqlite"
        seconds, _, _ = ingest([str(jsonl)], store, "--workers", "2")
        runs["jsonl.gz, workers 2"] = (seconds, export(store), 0)
        print(f"{'jsonl.gz, workers 2':22s} {seconds:6.1f} s  {n_words / seconds:9,.0f} words/s")

        store = tmp / "killed.sqlite"
        stored = kill_midway([str(corpus)], store)
        seconds, out, _ = ingest([str(corpus)], store, "--workers", "2")
        runs["kill -9, then rerun"] = (seconds, export(store), 0)
        print(f"kill -9 after {stored} articles stored; the rerun added the rest in {seconds:.1f} s")

        speedup = runs["workers 1"][0] / runs["workers 2"][0]
        print(f"speed-up of 2 workers over 1: {speedup:.2f}x")
        same = {label: r[1] == reference for label, r in runs.items()}
        for label, ok in same.items():
            print(f"  events identical to the one-worker run: {label:22s} {'yes' if ok else 'NO'}")
        results["runs"] = {label: {"seconds": round(r[0], 2), "words_per_second": round(n_words / r[0]),
                                   "peak_rss_mb": round(r[2] / 1024) if r[2] else None,
                                   "same_events": same[label]} for label, r in runs.items()}
        results["speedup_2_over_1"] = round(speedup, 2)
        results["killed_after"] = stored
    results["long_articles"] = long_articles()
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    if not all(same.values()):
        raise SystemExit("some runs gave other events than the one-worker run")


if __name__ == "__main__":
    main()
