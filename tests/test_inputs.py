"""Collections of articles: JSON Lines (plain and gzip) and WARC crawls made here with real HTTP
records; bad records are named and skipped; the events equal those of the same articles as files."""
from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
from pathlib import Path

from geo.documents import Problem, read_paths
from geo.inputs import container_kind, jsonl_items, warc_items
from geo.store import Store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(p for p in SEEDS.iterdir() if p.suffix == ".txt")

PAGE = """<!doctype html><html><head><title>Strike at the port</title>
<meta property="article:published_time" content="2022-01-06T08:00:00Z"></head>
<body><nav>Home | World</nav><article><h1>Strike at the port</h1>
<p>AKTAU, 6 January 2022 - Dock workers in Aktau went on strike on Wednesday, halting the port.</p>
<p>Police detained twelve strikers in Aktau on Thursday, a union said.</p></article></body></html>"""


def seed_records() -> list[dict]:
    return [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in SEED_FILES]


def events_of(store_path: Path) -> set[tuple]:
    with Store(store_path) as store:
        return {(e.event_type, e.place_id, e.date_start, e.date_end) for e in store.events(include_rejected=True)}


def test_jsonl_gz_gives_the_events_of_the_same_articles_as_files(tmp_path):
    lines = [json.dumps(r) for r in seed_records()]
    lines.insert(2, "{broken json")
    lines.insert(4, json.dumps({"id": "empty", "text": "   "}))
    lines.insert(5, json.dumps(["not", "an", "object"]))
    path = tmp_path / "news.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n\n")
    items = list(jsonl_items(path))
    problems = [i for i in items if isinstance(i, Problem)]
    assert [(p.path, p.reason.split(" (")[0]) for p in problems] == [
        (f"{path}:3", "not a JSON line"), (f"{path}:5", "no 'text' or 'html' string"),
        (f"{path}:6", "not a JSON object")]
    assert len(items) - len(problems) == len(SEED_FILES)

    proc = subprocess.run([sys.executable, "-m", "geo", "ingest", str(path), "--store", str(tmp_path / "j.sqlite"),
                           "--quiet"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert f"added {len(SEED_FILES)} article(s)" in proc.stdout
    assert "3 problem(s)" in proc.stdout and f"{path}:3: not a JSON line" in proc.stdout
    with Store(tmp_path / "f.sqlite") as store:
        store.ingest(SEED_FILES)
    assert events_of(tmp_path / "j.sqlite") == events_of(tmp_path / "f.sqlite")


def test_jsonl_metadata_and_html_records(tmp_path):
    path = tmp_path / "api.jsonl"
    path.write_text(json.dumps({"id": "port/1", "html": PAGE, "url": "https://example.org/port",
                                "title": "Port strike", "published": "2022-01-06"}) + "\n", encoding="utf-8")
    docs, problems = read_paths([path])
    assert problems == []
    (doc,) = docs
    assert doc.name == "port_1.html" and doc.title == "Port strike" and doc.url == "https://example.org/port"
    assert doc.published == "2022-01-06" and "Dock workers in Aktau" in doc.text and "Home | World" not in doc.text


def test_a_truncated_gzip_keeps_what_was_read(tmp_path):
    data = gzip.compress(("\n".join(json.dumps(r) for r in seed_records()) + "\n").encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) * 2 // 3])
    items = list(jsonl_items(path))
    assert isinstance(items[-1], Problem) and items[-1].path == str(path)
    assert 1 <= len(items) - 1 < len(SEED_FILES)


def make_warc(path: Path) -> None:
    """A crawl file with what crawls hold: a request, HTML responses, a PDF, a 404, metadata."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=str(path).endswith(".gz"))
        writer.write_record(writer.create_warcinfo_record("crawl.warc.gz", {"software": "test"}))

        def response(uri: str, body: bytes, ctype: str, status: str = "200 OK"):
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            rec = writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers)
            writer.write_record(rec)
            return rec.rec_headers.get_header("WARC-Record-ID")

        req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
        writer.write_record(writer.create_warc_record("https://example.org/port", "request",
                                                      payload=io.BytesIO(b""), http_headers=req))
        response("https://example.org/port", PAGE.encode("utf-8"), "text/html; charset=utf-8")
        for p in SEED_FILES[:2]:
            html = f"<html><body><article>{p.read_text(encoding='utf-8')}</article></body></html>"
            response(f"https://example.org/{p.stem}", html.encode("utf-8"), "text/html")
        make_warc.pdf_id = response("https://example.org/report.pdf", b"%PDF-1.4 ...", "application/pdf")
        make_warc.missing_id = response("https://example.org/gone", b"<html>Not found</html>", "text/html",
                                        "404 Not Found")


def test_warc_html_responses_are_articles_and_other_records_are_named(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    make_warc(path)
    items = list(warc_items(path))
    pages = [i for i in items if not isinstance(i, Problem)]
    problems = {p.path: p.reason for p in items if isinstance(p, Problem)}
    assert len(pages) == 3 and all(p.name.endswith(".html") for p in pages)
    assert pages[0].manifest_row == {"url": "https://example.org/port"}
    assert problems == {f"{path}#{make_warc.pdf_id}": "not an HTML response (application/pdf)",
                        f"{path}#{make_warc.missing_id}": "HTTP status 404, not a page"}
    with Store(tmp_path / "w.sqlite") as store:
        report = store.ingest([tmp_path])  # a folder holding the crawl is read recursively too
        assert len(report.added) == 3 and len(report.problems) == 2
        port = [e for e in store.events() if e.sources[0].url == "https://example.org/port"]
    assert {(e.event_type, e.place, e.date_start) for e in port} >= {("strike", "Aktau", "2022-01-05")}


def test_a_file_that_is_not_a_warc_is_a_problem(tmp_path):
    path = tmp_path / "fake.warc"
    path.write_bytes(b"this is not a crawl\n" * 10)
    (problem,) = list(warc_items(path))
    assert problem.path == str(path) and "not a WARC file" in problem.reason
    zipped = tmp_path / "fake.warc.gz"
    zipped.write_bytes(gzip.compress(b"<html>a page, not a crawl</html>"))
    (problem,) = list(warc_items(zipped))
    assert "not a WARC file" in problem.reason


def test_container_kind():
    assert container_kind("a/b.JSONL.gz") == "jsonl" and container_kind("x.warc.gz") == "warc"
    assert container_kind("x.txt") is None and container_kind("x.json") is None
