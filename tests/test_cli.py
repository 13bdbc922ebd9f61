"""The ingest / extract / export / evaluate commands: subprocess runs on real files, exit codes, one-line errors."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from geo import cli
from geo.evaluate import load_gold
from geo.export import write
from geo.model import Document, Event, Source
from geo.store import Store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "gold"


def run(*args: str, env_store: Path | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if env_store is not None:
        env["GEO_STORE"] = str(env_store)
    proc = subprocess.run([sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=timeout)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def event(doc: str, event_type: str = "protest", start: str = "2022-01-05", end: str = "2022-01-05",
          **kw) -> Event:
    base = dict(event_type=event_type, place="Almaty", place_id="gn:1526384", level="city", lat=43.25,
                lon=76.92, country="KZ", date_start=start, date_end=end, time_precision="day",
                sources=[Source(doc=doc, evidence=f"{event_type} in Almaty.")])
    base.update(kw)
    return Event(**base)


def small_store(path: Path) -> Path:
    """A store with one article holding a protest, a riot and a historical repression."""
    text = "Protest and riot in Almaty."
    doc = Document(name="a.txt", text=text, sha256=hashlib.sha256(text.encode()).hexdigest(),
                   title="A", published="2022-01-06")
    with Store(path) as store:
        store.add_document(doc, [
            event("a.txt"),
            event("a.txt", "riot", "2022-01-06", "2022-01-06"),
            event("a.txt", "repression", "2011-12-16", "2011-12-16", historical=True),
        ])
    return path


def fake_pipeline(monkeypatch) -> None:
    """A stand-in extractor (one protest per article) for in-process tests of the command plumbing."""
    module = types.ModuleType("geo.pipeline")
    module.extract_document = lambda doc, gazetteer=None: [event(doc.name)]
    module.extract_documents = lambda docs, gazetteer=None: [event(d.name) for d in docs]
    monkeypatch.setitem(sys.modules, "geo.pipeline", module)


# -- export ------------------------------------------------------------------------------------

def test_export_subprocess_to_stdout_with_filters(tmp_path):
    store = small_store(tmp_path / "s.sqlite")
    proc = run("export", "--store", str(store), "--no-historical", "--type", "riot", "protest")
    assert proc.returncode == 0, proc.stderr
    fc = json.loads(proc.stdout)
    assert fc["type"] == "FeatureCollection"
    assert sorted(f["properties"]["event_type"] for f in fc["features"]) == ["protest", "riot"]


def test_export_filters_in_process(tmp_path, capsys):
    store = small_store(tmp_path / "s.sqlite")
    assert cli.main(["export", "--store", str(store), "--from", "2022-01-06"]) == 0
    assert [f["properties"]["event_type"] for f in json.loads(capsys.readouterr().out)["features"]] == ["riot"]
    assert cli.main(["export", "--store", str(store), "--to", "2021-12-31"]) == 0
    assert [f["properties"]["event_type"] for f in json.loads(capsys.readouterr().out)["features"]] == ["repression"]
    assert cli.main(["export", "--store", str(store)]) == 0
    assert len(json.loads(capsys.readouterr().out)["features"]) == 3


def test_export_to_csv_file(tmp_path, capsys):
    store = small_store(tmp_path / "s.sqlite")
    out = tmp_path / "events.csv"
    assert cli.main(["export", "--store", str(store), "-o", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 3 and {r["event_type"] for r in rows} == {"protest", "riot", "repression"}
    assert "wrote 3 event(s)" in capsys.readouterr().err


def test_export_errors_are_one_line(tmp_path, capsys):
    store = small_store(tmp_path / "s.sqlite")
    with pytest.raises(SystemExit) as exit_:
        cli.main(["export", "--store", str(store), "--from", "5 January"])
    assert exit_.value.code == 2 and "not an ISO date" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["export", "--store", str(store), "--type", "parade"])
    assert "invalid choice: 'parade'" in capsys.readouterr().err
    assert cli.main(["export", "--store", str(store), "--from", "2022-02-01", "--to", "2022-01-01"]) == 2
    assert "after" in capsys.readouterr().err
    assert cli.main(["export", "--store", str(tmp_path / "none.sqlite")]) == 1
    assert "no such store file" in capsys.readouterr().err
    assert cli.main(["export", "--store", str(store), "-o", str(tmp_path / "x.kml")]) == 1
    err = capsys.readouterr().err
    assert "unknown output format" in err and err.count("\n") == 1
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(os.urandom(4096))
    assert cli.main(["export", "--store", str(junk)]) == 1
    assert "not an events store" in capsys.readouterr().err


# -- evaluate ----------------------------------------------------------------------------------

def test_evaluate_subprocess_text_and_json(tmp_path):
    gold = load_gold(GOLD)
    g = gold[0]
    ev = Event(event_type=g["event_type"], place=g["place"], place_id="country:KZ", level=g["level"],
               lat=g["lat"], lon=g["lon"], country=g["country"], date_start=g["date_start"],
               date_end=g["date_end"], time_precision="range", sources=[Source(doc=g["doc"], evidence="x")])
    pred = write([ev], tmp_path / "pred.geojson")
    proc = run("evaluate", "--gold", str(GOLD), str(pred))
    assert proc.returncode == 0, proc.stderr
    assert "overall" in proc.stdout and f"unmatched annotations ({len(gold) - 1})" in proc.stdout
    proc = run("evaluate", str(pred), "--gold", str(GOLD), "--json", "--strict")
    data = json.loads(proc.stdout)
    assert data["mode"] == "strict" and data["overall"]["matched"] == 1
    assert data["overall"]["gold"] == len(gold) and data["overall"]["precision"] == 1.0


def test_evaluate_errors(tmp_path, capsys):
    assert cli.main(["evaluate", "--gold", str(GOLD), str(tmp_path / "missing.geojson")]) == 1
    assert "missing.geojson: no such file" in capsys.readouterr().err
    assert cli.main(["evaluate", "--gold", str(GOLD)]) == 2
    assert "predictions" in capsys.readouterr().err
    empty = write([], tmp_path / "empty.geojson")
    assert cli.main(["evaluate", "--gold", str(tmp_path / "nogold"), str(empty)]) == 1
    assert "no such file or folder" in capsys.readouterr().err
    assert cli.main(["evaluate", "--gold", str(GOLD), str(GOLD / "SCHEME.md"), str(empty)]) == 1
    assert "SCHEME.md:1: not JSON" in capsys.readouterr().err


def breakdown_files(tmp_path: Path) -> tuple[Path, Path]:
    """A gold file and a predictions GeoJSON for one article: one match and one error of each category."""
    def gold_rec(event_type: str, day: str, lat: float = 43.25, lon: float = 76.92, place: str = "Almaty") -> dict:
        return dict(doc="a.txt", event_type=event_type, level="city", place=place, lat=lat, lon=lon, country="KZ",
                    date_start=day, date_end=day, evidence=f"{event_type} annotated in {place}.")

    gold = [gold_rec("protest", "2022-01-05"),                                   # matched
            gold_rec("protest", "2022-01-06"),                                   # wrong place
            gold_rec("strike", "2022-01-05", 43.65, 51.17, "Aktau"),             # wrong dates
            gold_rec("riot", "2022-01-02", 50.28, 57.21, "Aktobe"),              # wrong type
            gold_rec("repression", "2011-12-16", 51.18, 71.45, "Nur-Sultan")]    # missed
    gold_file = tmp_path / "gold" / "a.jsonl"
    gold_file.parent.mkdir()
    gold_file.write_text("".join(json.dumps(r) + "\n" for r in gold), encoding="utf-8")
    aktobe = dict(place="Aktobe", place_id="gn:610611", lat=50.28, lon=57.21)
    preds = [event("a.txt"),
             event("a.txt", "protest", "2022-01-06", "2022-01-06", **aktobe),
             event("a.txt", "strike", "2022-01-09", "2022-01-09", place="Aktau", place_id="gn:610612",
                   lat=43.65, lon=51.17),
             event("a.txt", "repression", "2022-01-02", "2022-01-02", **aktobe),
             event("a.txt", "state_response", "2022-01-09", "2022-01-09", place="Shymkent", place_id="gn:1518980",
                   lat=42.32, lon=69.59)]
    return gold_file.parent, write(preds, tmp_path / "pred.geojson")


def test_evaluate_subprocess_prints_place_only_and_error_breakdown(tmp_path):
    gold_dir, pred = breakdown_files(tmp_path)
    proc = run("evaluate", "--gold", str(gold_dir), str(pred))
    assert proc.returncode == 0, proc.stderr
    rows = {line.split()[0]: line.split()[1:] for line in proc.stdout.splitlines() if line.strip()}
    assert rows["overall"][3:] == ["1", "5", "5"]        # P R F1 match pred gold: the main score as before
    assert rows["place-only"][3:] == ["3", "5", "5"]
    for category in ("wrong_place", "wrong_dates", "wrong_type", "spurious", "missed"):
        assert rows[category][0] == "1", proc.stdout
        assert f"{category}: 1 of 1 shown" in proc.stdout
    assert "(start +4 d, end +4 d)" in proc.stdout and "(repression instead of riot)" in proc.stdout

    quiet = run("evaluate", "--gold", str(gold_dir), str(pred), "--examples", "0")
    assert "error breakdown" in quiet.stdout and "shown" not in quiet.stdout

    data = json.loads(run("evaluate", "--gold", str(gold_dir), str(pred), "--json", "--examples", "1").stdout)
    assert data["overall"]["matched"] == 1 and data["place_only"]["matched"] == 3
    assert data["errors"]["counts"] == {"wrong_place": 1, "wrong_dates": 1, "wrong_type": 1, "spurious": 1,
                                        "missed": 1}
    assert data["errors"]["examples"]["wrong_place"][0]["predicted"]["place"] == "Aktobe"

    bad = run("evaluate", "--gold", str(gold_dir), str(pred), "--examples", "-1")
    assert bad.returncode == 2 and "--examples" in bad.stderr


# -- ingest and extract: the command plumbing with a stand-in extractor -----------------------

def test_ingest_in_process_reports_added_skipped_and_problems(tmp_path, capsys, monkeypatch):
    fake_pipeline(monkeypatch)
    store = tmp_path / "s.sqlite"
    rc = cli.main(["ingest", str(SEEDS), str(tmp_path / "missing.txt"), "--store", str(store), "--quiet"])
    out = capsys.readouterr().out
    assert rc == 1  # a problem was reported; the rest went in
    assert "added 5 article(s) with 5 event(s)" in out
    assert "missing.txt: no such file or folder" in out
    assert cli.main(["ingest", str(SEEDS), "--store", str(store), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "added 0 article(s)" in out and "skipped 5 already stored" in out


def test_extract_in_process_csv_and_empty_input(tmp_path, capsys, monkeypatch):
    fake_pipeline(monkeypatch)
    out = tmp_path / "events.txt"
    assert cli.main(["extract", str(SEEDS), "-o", str(out), "--format", "csv"]) == 0
    assert out.read_text(encoding="utf-8").startswith("event_id,event_date")
    empty = tmp_path / "empty"
    empty.mkdir()
    target = tmp_path / "none.geojson"
    cli.main(["extract", str(empty), "-o", str(target)])
    assert json.loads(target.read_text(encoding="utf-8")) == {"type": "FeatureCollection", "features": []}
    capsys.readouterr()
    assert cli.main(["extract", str(SEEDS), "-o", str(tmp_path / "x.kml")]) == 1
    assert "unknown output format" in capsys.readouterr().err


def test_extract_names_the_article_the_extractor_fails_on(tmp_path, capsys, monkeypatch):
    module = types.ModuleType("geo.pipeline")

    def one(doc, gazetteer=None):
        if doc.name.startswith("002"):
            raise RuntimeError("boom")
        return [event(doc.name)]

    def many(docs, gazetteer=None):
        return [ev for d in docs for ev in one(d)]

    module.extract_document, module.extract_documents = one, many
    monkeypatch.setitem(sys.modules, "geo.pipeline", module)
    out = tmp_path / "e.geojson"
    assert cli.main(["extract", str(SEEDS), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "002_4a2f18da737be389.txt: extraction failed: RuntimeError: boom" in err
    feats = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert len(feats) == 1 and len(feats[0]["properties"]["sources"]) == 4


# -- end to end on the real seeds, with the real extractor --------------------------------------

def test_ingest_subprocess_real_seeds_then_reingest_adds_nothing(tmp_path):
    store = tmp_path / "s.sqlite"
    first = run("ingest", str(SEEDS), "--store", str(store))
    assert first.returncode == 0, first.stderr
    assert "added 5 article(s)" in first.stdout
    with Store(store) as s:
        counts = s.counts()
        events = s.events()
    assert counts["documents"] == 5 and counts["events"] > 0 and events
    assert all(src.doc.endswith(".txt") and src.evidence for ev in events for src in ev.sources)
    again = run("ingest", str(SEEDS), "--store", str(store), "--quiet")
    assert again.returncode == 0 and "added 0 article(s)" in again.stdout and "skipped 5" in again.stdout
    with Store(store) as s:
        assert s.counts() == counts


def test_extract_subprocess_real_seeds_matches_store_export(tmp_path):
    out = tmp_path / "seeds.geojson"
    proc = run("extract", str(SEEDS), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    fc = json.loads(out.read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection" and "crs" not in fc and fc["features"]
    for f in fc["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
    store = tmp_path / "s.sqlite"
    assert run("ingest", str(SEEDS), "--store", str(store), "--quiet").returncode == 0
    exported = json.loads(run("export", "--store", str(store)).stdout)
    assert sorted(f["id"] for f in exported["features"]) == sorted(f["id"] for f in fc["features"])
    proc = run("evaluate", "--gold", str(GOLD), str(out))
    assert proc.returncode == 0 and "overall" in proc.stdout


def test_a_short_html_page_gives_its_events(tmp_path):
    """A short page whose <article> holds two paragraphs (refused by the old reader as 'no article text')
    gives its events through the extract command, dated by the page's own published time."""
    page = tmp_path / "short.html"
    page.write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Zhanaozen strike - Steppe Daily</title>"
        "<meta property='article:published_time' content='2022-01-04T09:00:00+06:00'></head><body>"
        "<header><nav><a href='/'>Home</a> <a href='/sport'>Sport</a></nav></header>"
        "<article><h1>Zhanaozen strike</h1><p>Oil workers in Zhanaozen went on strike on Sunday.</p>"
        "<p>Police detained twelve protesters in Aktau on Monday.</p></article>"
        "<footer>Steppe Daily 2022 - <a href='/about'>About us</a></footer></body></html>", encoding="utf-8")
    out = tmp_path / "events.geojson"
    done = subprocess.run([sys.executable, "-m", "geo", "extract", str(page), "-o", str(out)],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    found = {(f["properties"]["event_type"], f["properties"]["place"], f["properties"]["date_start"])
             for f in json.loads(out.read_text())["features"]}
    assert ("strike", "Zhanaozen", "2022-01-02") in found
    assert ("repression", "Aktau", "2022-01-03") in found


def test_review_commands_reject_correct_add_and_export_the_review(tmp_path):
    path = small_store(tmp_path / "s.sqlite")
    with Store(path) as store:
        ids = {e.event_type: e.event_id for e in store.events()}
    proc = run("review", ids["protest"], "--store", str(path), "--reject", "--note", "a sports rally",
               "--reviewer", "ann")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"{ids['protest']} rejected: protest at Almaty")
    proc = run("review", ids["riot"], "--store", str(path), "--set", "place=Aktobe",
               "--set", "date_start=2022-01-05", "--set", "event_type=protest")
    assert proc.returncode == 0, proc.stderr
    assert "corrected: protest at Aktobe (city, KZ) on 2022-01-05..2022-01-06" in proc.stdout
    assert "-> Aktobe (city, KZ" in proc.stderr and "Aktobe Region" in proc.stderr  # the candidates
    proc = run("review", "--add", "--store", str(path), "--doc", "a.txt", "--evidence", "Protest and riot in Almaty.",
               "--set", "event_type=riot", "--set", "place=Almaty", "--set", "date_start=2022-01-06")
    assert proc.returncode == 0, proc.stderr
    assert "added: riot at Almaty (city, KZ) on 2022-01-06" in proc.stdout
    history = run("review", "--history", "--store", str(path)).stdout.splitlines()
    assert len(history) == 3 and "rejected by ann" in history[0] and "a sports rally" in history[0]

    # the export follows the review: rejected left out unless asked for, a review property on every event
    fc = json.loads(run("export", "--store", str(path)).stdout)
    reviews = sorted(f["properties"]["review"] for f in fc["features"])
    assert reviews == ["added", "corrected", "unreviewed"]
    assert ids["riot"] in {f["id"] for f in fc["features"]}  # the corrected event kept its id
    fc = json.loads(run("export", "--store", str(path), "--include-rejected").stdout)
    assert "rejected" in {f["properties"]["review"] for f in fc["features"]}

    # the reviewed events as annotation lines, which evaluate reads
    gold = tmp_path / "review.jsonl"
    proc = run("export", "--store", str(path), "--reviewed", "-o", str(gold))
    assert proc.returncode == 0, proc.stderr
    assert "still have unreviewed events" in proc.stderr and "a.txt" in proc.stderr
    assert {(g["event_type"], g["place"]) for g in load_gold(gold)} == {("protest", "Aktobe"), ("riot", "Almaty")}
    preds = tmp_path / "preds.geojson"
    run("export", "--store", str(path), "-o", str(preds))
    proc = run("evaluate", "--gold", str(gold), str(preds), "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["overall"]["recall"] == 1.0 and report["overall"]["precision"] < 1.0  # the unreviewed one


def test_review_survives_reextract_through_the_command_line(tmp_path):
    path = tmp_path / "s.sqlite"
    assert run("ingest", str(SEEDS / "000_5d34b3504bfa6f51.txt"), "--store", str(path), "--quiet").returncode == 0
    fc = json.loads(run("export", "--store", str(path)).stdout)
    first, second = fc["features"][0]["id"], fc["features"][1]["id"]
    assert run("review", first, "--store", str(path), "--reject").returncode == 0
    assert run("review", second, "--store", str(path), "--set", "date_end=2022-01-20").returncode == 0
    assert run("reextract", "--store", str(path), "--quiet").returncode == 0
    after = {f["id"]: f["properties"] for f in json.loads(run("export", "--store", str(path),
                                                               "--include-rejected").stdout)["features"]}
    assert after[first]["review"] == "rejected"
    assert (after[second]["review"], after[second]["date_end"]) == ("corrected", "2022-01-20")
    assert len(after) == len(fc["features"])


@pytest.mark.parametrize("args, code, message", [
    (["review", "nope", "--reject"], 1, "no event nope"),
    (["review", "--reject"], 2, "at least one event"),
    (["review", "x"], 2, "give one of --confirm"),
    (["review", "x", "--confirm", "--reject"], 2, "give one of --confirm"),
    (["review", "x", "--set", "place"], 1, "write FIELD=VALUE"),
    (["review", "--add", "--doc", "a.txt", "--set", "event_type=riot"], 2, "--add needs"),
    (["export", "--reviewed", "-o", "x.geojson"], 2, "give a .jsonl file"),
])
def test_review_errors_are_one_line(tmp_path, args, code, message):
    path = small_store(tmp_path / "s.sqlite")
    proc = run(*args, "--store", str(path))
    assert proc.returncode == code, (proc.stdout, proc.stderr)
    assert message in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_review_of_a_missing_store_is_an_error(tmp_path):
    proc = run("review", "x", "--confirm", "--store", str(tmp_path / "none.sqlite"))
    assert proc.returncode == 1 and "no such store file" in proc.stderr
