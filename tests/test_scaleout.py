"""Ingest on Dask: a real distributed.LocalCluster (2 workers), the same events as a plain ingest
whatever the engine or the order of the inputs, year-less articles dated from the whole batch, and a
kill -9 mid-run completed by a rerun."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geo import scaleout
from geo.export import render
from geo.store import Store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
YEARLESS = ("ALMATY, Jan 5 - Thousands of protesters rallied in Almaty on Wednesday, and police "
            "detained dozens of them in the city centre, witnesses said.\n")


def corpus(folder: Path, copies: int = 2) -> Path:
    """The seeds under new names (each copy its own article), and one article without a year."""
    folder.mkdir()
    for n in range(copies):
        for p in sorted(SEEDS.glob("*.txt")):
            text = p.read_text(encoding="utf-8")
            (folder / f"c{n}_{p.name}").write_text(text + f"\n\nArchived copy {'abcdefgh'[n]}.\n", encoding="utf-8")
    (folder / "wire_yearless.txt").write_text(YEARLESS, encoding="utf-8")
    return folder


def geojson_of(path: Path) -> str:
    with Store(path) as store:
        return render(store.events(include_rejected=True), "geojson")


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    """The reference: a plain single-process Store.ingest of the corpus."""
    folder = corpus(tmp_path_factory.mktemp("c") / "corpus")
    path = tmp_path_factory.mktemp("s") / "plain.sqlite"
    with Store(path) as store:
        report = store.ingest([folder])
        assert not report.problems
        yearless = store.document("wire_yearless.txt")
    assert yearless.published == "2022-01-05" and yearless.published_inferred
    return folder, geojson_of(path)


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as lc:
        yield lc


def test_in_process_equals_the_plain_ingest(plain, tmp_path):
    folder, expected = plain
    path = tmp_path / "s.sqlite"
    with Store(path) as store:
        report = scaleout.ingest([folder], store, workers=1)
    assert report.engine == "in-process" and len(report.added) == 11 and report.words > 10_000
    assert geojson_of(path) == expected


def test_articles_read_with_a_provisional_year_end_as_if_they_had_waited(tmp_path, monkeypatch):
    # read one at a time, the first year-less article is read when only 2021 dates have been seen, the
    # second when 2022 is the batch's year: the first is read again, the second stands; both end as the
    # plain ingest dates them
    folder = tmp_path / "mixed"
    folder.mkdir()
    story = " Thousands of protesters rallied in Almaty on {}, and police detained dozens of them.\n"
    files = {"0_yearless.txt": "ALMATY, Jan 3 -" + story.format("Monday"),
             "a1.txt": "1 March 2021\n" + story.format("1 March 2021"),
             "a2.txt": "2 March 2021\n" + story.format("2 March 2021"),
             "b_yearless.txt": "ALMATY, Jan 5 -" + story.format("Wednesday"),
             "c1.txt": "3 January 2022\n" + story.format("3 January 2022"),
             "c2.txt": "4 January 2022\n" + story.format("4 January 2022"),
             "c3.txt": "6 January 2022\n" + story.format("6 January 2022"),
             "d_yearless.txt": "ALMATY, Jan 4 -" + story.format("Tuesday")}
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    with Store(tmp_path / "plain.sqlite") as store:
        store.ingest([folder])
        expected = {n: store.document(n).published for n in ("0_yearless.txt", "b_yearless.txt", "d_yearless.txt")}
    assert expected == {"0_yearless.txt": "2022-01-03", "b_yearless.txt": "2022-01-05", "d_yearless.txt": "2022-01-04"}
    monkeypatch.setattr(scaleout, "CHUNK_ARTICLES", 1)
    read = []
    real = scaleout.extract_chunk
    monkeypatch.setattr(scaleout, "extract_chunk", lambda items, ref: (read.append((items[0][1], ref)), real(items, ref))[1])
    with Store(tmp_path / "s.sqlite") as store:
        scaleout.ingest([folder], store, workers=1)
        assert {n: store.document(n).published for n in expected} == expected
    assert geojson_of(tmp_path / "s.sqlite") == geojson_of(tmp_path / "plain.sqlite")
    times = {name: sum(1 for n, _ in read if n == name) for name in ("b_yearless.txt", "d_yearless.txt")}
    assert times == {"b_yearless.txt": 2, "d_yearless.txt": 1}, read
    # one read before any date was known goes again in the same pass, with the dates seen by then
    refs = [ref for n, ref in read if n == "0_yearless.txt"]
    assert refs[0] == scaleout.WAITING and refs[1][0] == "provisional", refs


def test_a_local_cluster_gives_the_same_events_in_any_input_order(plain, cluster, tmp_path):
    folder, expected = plain
    files = sorted(folder.iterdir(), reverse=True)  # another order of the inputs
    path = tmp_path / "s.sqlite"
    seen = []
    with Store(path) as store:
        report = scaleout.ingest(files, store, scheduler=cluster.scheduler_address, batch=3,
                                 progress=lambda st: seen.append((st.articles, st.total, st.events)))
    assert report.engine.startswith("dask scheduler") and len(report.added) == 11
    assert geojson_of(path) == expected
    assert seen[-1] == (11, 11, report.events)  # the progress ends at the total
    # a rerun finds everything stored
    with Store(path) as store:
        again = scaleout.ingest([folder], store, scheduler=cluster.scheduler_address)
    assert again.added == [] and len(again.skipped) == 11


def test_workers_two_starts_its_own_dask_processes(plain, tmp_path):
    folder, expected = plain
    path = tmp_path / "s.sqlite"
    with Store(path) as store:
        report = scaleout.ingest([folder], store, workers=2)
    assert report.engine == "dask, 2 local worker processes"
    assert geojson_of(path) == expected


def test_jsonl_gz_of_the_same_articles_gives_the_same_events(plain, tmp_path):
    import gzip

    folder, expected = plain
    src = tmp_path / "news.jsonl.gz"
    with gzip.open(src, "wt", encoding="utf-8") as fh:
        for p in sorted(folder.iterdir()):
            fh.write(json.dumps({"id": p.name, "text": p.read_text(encoding="utf-8")}) + "\n")
        fh.write("{not json\n")
    path = tmp_path / "s.sqlite"
    with Store(path) as store:
        report = scaleout.ingest([src], store, workers=1)
    assert [p.path for p in report.problems] == [f"{src}:12"]
    assert geojson_of(path) == expected


def test_kill_9_mid_run_then_a_rerun_completes_the_store(plain, tmp_path):
    folder, expected = plain
    path = tmp_path / "s.sqlite"
    cmd = [sys.executable, "-m", "geo", "ingest", str(folder), "--store", str(path), "--workers", "1",
           "--batch", "1", "--quiet"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        stored = 0
        while time.monotonic() < deadline and proc.poll() is None:
            if path.exists():
                try:
                    conn = sqlite3.connect(path, timeout=1)
                    stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
                    conn.close()
                except sqlite3.Error:
                    stored = 0
                if stored >= 2:
                    break
            time.sleep(0.02)
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL and 2 <= stored < 11, stored
    rerun = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert "skipped" in rerun.stdout
    assert geojson_of(path) == expected
    with Store(path) as store:
        assert store.check() == [] and store.counts()["documents"] == 11


def test_bad_arguments_are_refused(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        with pytest.raises(ValueError, match="--workers"):
            scaleout.ingest([SEEDS], store, workers=0)
        with pytest.raises(ValueError, match="--batch"):
            scaleout.ingest([SEEDS], store, batch=0)
    proc = subprocess.run([sys.executable, "-m", "geo", "ingest", str(SEEDS), "--store", str(tmp_path / "s.sqlite"),
                           "--workers", "zero"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "not a whole number" in proc.stderr
