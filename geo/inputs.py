"""Articles packed many to a file, in the shapes big news collections come in.

- ``.jsonl`` / ``.jsonl.gz``: one article a line, the shape of news API dumps:
  ``text`` or ``html`` required; ``title``, ``url``, ``published``, ``id`` optional.
- ``.warc`` / ``.warc.gz``: web crawls (CC-NEWS and others): each HTTP response
  record holding an HTML page is an article. Read with warcio, record by record,
  so a crawl file of any size is streamed, never loaded whole.

Each article becomes a :class:`geo.documents.Upload` (its bytes, a name, where
it came from, and the record's metadata as a manifest row), read afterwards
exactly as a file would be. A bad record (broken JSON, no text, a non-HTML
response, a truncated archive) becomes a :class:`geo.documents.Problem` naming
the file and line or the WARC record id, and the reading goes on.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from geo.documents import Problem, Upload

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")
CONTAINER_SUFFIXES = JSONL_SUFFIXES + WARC_SUFFIXES
HTML_TYPES = ("text/html", "application/xhtml+xml")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def container_kind(path: str | Path) -> str | None:
    """``jsonl`` or ``warc`` for a file of many articles (by its name), else None."""
    name = str(path).lower()
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    return None


def container_items(path: str | Path) -> Iterator[Upload | Problem]:
    """The articles of one JSONL or WARC file, one at a time, or the Problem of each bad record."""
    kind = container_kind(path)
    if kind == "jsonl":
        yield from jsonl_items(path)
    elif kind == "warc":
        yield from warc_items(path)
    else:
        raise ValueError(f"{path}: not a .jsonl, .jsonl.gz, .warc or .warc.gz file")


def _safe_name(raw: str, suffix: str) -> str:
    """A file-like name for an article of a collection (names key the sources users see)."""
    stem = _UNSAFE_NAME.sub("_", raw).strip("._")[:120] or "article"
    return stem if stem.lower().endswith(suffix) else stem + suffix


def _record_row(rec: dict) -> dict:
    return {k: rec[k].strip() for k in ("title", "url", "published") if isinstance(rec.get(k), str)}


def jsonl_items(path: str | Path) -> Iterator[Upload | Problem]:
    """Articles of a JSON Lines file (gzip-compressed when it ends in .gz), streamed line by line."""
    p = Path(path)
    opener = gzip.open if p.name.lower().endswith(".gz") else open
    try:
        with opener(p, "rb") as fh:
            for n, raw in enumerate(fh, 1):
                where = f"{p}:{n}"
                if not raw.strip():
                    continue
                try:
                    rec = json.loads(raw)
                except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                    yield Problem(where, f"not a JSON line ({getattr(exc, 'msg', exc)})")
                    continue
                if not isinstance(rec, dict):
                    yield Problem(where, "not a JSON object")
                    continue
                body, suffix = rec.get("html"), ".html"
                if not (isinstance(body, str) and body.strip()):
                    body, suffix = rec.get("text"), ".txt"
                if not (isinstance(body, str) and body.strip()):
                    yield Problem(where, "no 'text' or 'html' string")
                    continue
                ident = rec.get("id")
                stem = str(ident) if isinstance(ident, (str, int)) and str(ident).strip() else f"{p.name}-{n}"
                yield Upload(_safe_name(stem, suffix), body.encode("utf-8", "surrogatepass"), path=where,
                             manifest_row=_record_row(rec))
    except FileNotFoundError:
        yield Problem(str(p), "no such file")
    except (OSError, EOFError, zlib.error) as exc:  # a truncated or corrupt .gz: what was read stays read
        yield Problem(str(p), f"cannot read further: {exc}")


def warc_items(path: str | Path) -> Iterator[Upload | Problem]:
    """HTML pages of a WARC file's HTTP response records; other record types are not articles and are
    passed over (requests, metadata, warcinfo), responses that are not HTML are named as problems."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    p = Path(path)
    try:
        with open(p, "rb") as fh:
            head = fh.read(64)
            if head[:2] == b"\x1f\x8b":  # each record is a gzip member: look inside the first
                head = zlib.decompressobj(wbits=31).decompress(head + fh.read(4096), 16)
            if not head.startswith(b"WARC/"):
                yield Problem(str(p), "not a WARC file (no WARC/ version line at the start)")
                return
            fh.seek(0)
            for record in ArchiveIterator(fh):
                if record.rec_type != "response":
                    continue
                rec_id = record.rec_headers.get_header("WARC-Record-ID") or "(no record id)"
                uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                where = f"{p}#{rec_id}"
                if record.http_headers is None:
                    yield Problem(where, "not an HTTP response")
                    continue
                status = record.http_headers.get_statuscode() or ""
                ctype = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
                if not status.startswith("2"):
                    yield Problem(where, f"HTTP status {status or '(none)'}, not a page")
                    continue
                if ctype not in HTML_TYPES:
                    yield Problem(where, f"not an HTML response ({ctype or 'no content type'})")
                    continue
                try:
                    data = record.content_stream().read()
                except Exception as exc:  # a broken chunked or compressed body
                    yield Problem(where, f"unreadable body: {exc}")
                    continue
                digest = hashlib.sha1((uri or rec_id).encode("utf-8")).hexdigest()[:10]
                host = re.sub(r"^https?://", "", uri).split("/")[0] if uri else "page"
                yield Upload(_safe_name(f"{host}-{digest}", ".html"), data, path=where,
                             manifest_row={"url": uri} if uri else None)
    except FileNotFoundError:
        yield Problem(str(p), "no such file")
    except (ArchiveLoadFailed, OSError, EOFError, zlib.error) as exc:
        yield Problem(str(p), f"not a readable WARC file, or cut short: {exc}")
