"""Reading articles: encodings, HTML, bad input, manifests, dates and sections,
on real files written to tmp_path and on the seed articles."""
from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest

from geo.documents import (
    MAX_BYTES, DocumentError, Problem, document_from_bytes, find_publication_date, find_sections,
    read_document, read_paths,
)
from geo.paths import SEEDS_DIR

RUSSIAN = ("Массовые протесты в Казахстане начались 2 января в Жанаозене после повышения цен на газ. "
           "Рабочие нефтяных компаний объявили забастовку.\n")
ARTICLE = ("Workers in Zhanaozen went on strike on 2 January after the price of liquefied gas doubled. "
           "Protests spread to Aktau the next day and then to Almaty, where crowds gathered in the main square "
           "and the police used tear gas against them.")


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def seed_manifest() -> dict[str, dict]:
    with open(SEEDS_DIR / "sources.csv", encoding="utf-8") as fh:
        return {row["file"]: row for row in csv.DictReader(fh)}


# --------------------------------------------------------------------------- encodings

def test_utf8_with_and_without_bom_and_crlf(tmp_path: Path) -> None:
    plain = read_document(write(tmp_path / "a.txt", ("Title line here now\r\n\r\n" + ARTICLE).encode("utf-8")))
    bom = read_document(write(tmp_path / "b.txt", b"\xef\xbb\xbf" + ("Title line here now\n\n" + ARTICLE).encode()))
    assert plain.text == bom.text == "Title line here now\n\n" + ARTICLE
    assert plain.encoding == "utf-8" and bom.encoding == "utf-8-sig"
    assert "\r" not in plain.text


def test_cp1251_russian(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path / "ru.txt", (RUSSIAN * 3).encode("cp1251")))
    assert doc.text == RUSSIAN * 3
    assert doc.encoding.replace("-", "").replace("_", "") in ("cp1251", "windows1251")


def test_latin1(tmp_path: Path) -> None:
    text = "Grève générale à Genève : les ouvriers réclament des salaires décents et la fin des hausses.\n" * 2
    doc = read_document(write(tmp_path / "fr.txt", text.encode("latin-1")))
    assert doc.text == text


def test_utf16_with_bom(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path / "u16.txt", ("Заголовок статьи здесь\n\n" + ARTICLE).encode("utf-16")))
    assert doc.text.startswith("Заголовок статьи здесь\n\n")
    assert doc.encoding == "utf-16"


def test_sha256_is_of_the_raw_bytes(tmp_path: Path) -> None:
    import hashlib
    data = ("Headline of the day here\r\n" + ARTICLE).encode("utf-8")
    doc = read_document(write(tmp_path / "h.txt", data))
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.name == "h.txt" and doc.path == str(tmp_path / "h.txt")


# --------------------------------------------------------------------------- bad input

def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="empty"):
        read_document(write(tmp_path / "empty.txt", b""))
    with pytest.raises(DocumentError, match="empty"):
        read_document(write(tmp_path / "blank.txt", b"  \n\n \t"))


def test_binary_file(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    with pytest.raises(DocumentError, match="binary") as err:
        read_document(write(tmp_path / "picture.txt", png))
    assert err.value.path.endswith("picture.txt")


def test_oversized_file_by_the_limit_argument(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", (ARTICLE + "\n").encode() * 50)
    with pytest.raises(DocumentError, match="too large"):
        read_document(path, max_bytes=1000)
    assert read_document(path).text  # under the default limit
    assert MAX_BYTES == 5 * 1024 * 1024
    with pytest.raises(DocumentError, match="too large"):
        document_from_bytes("up.txt", b"x" * 2000, max_bytes=1000)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="no such file"):
        read_document(tmp_path / "nowhere.txt")


def test_unsupported_extension_when_named(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="unsupported file type '.pdf'"):
        read_document(write(tmp_path / "paper.pdf", b"%PDF-1.4"))
    docs, problems = read_paths([tmp_path / "paper.pdf"])
    assert docs == [] and "unsupported" in problems[0].reason


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path / "secret.txt", ARTICLE.encode())
    path.chmod(0)
    try:
        with pytest.raises(DocumentError, match="permission denied"):
            read_document(path)
    finally:
        path.chmod(0o644)


def test_folder_with_good_and_bad_files(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    write(tmp_path / "good.txt", ("Good article title here\n\n" + ARTICLE).encode())
    write(tmp_path / "sub" / "nested.md", ("# Nested article title\n\n" + ARTICLE).encode())
    write(tmp_path / "empty.txt", b"")
    write(tmp_path / "binary.txt", b"\x00\x01\x02" * 100)
    write(tmp_path / "junk.html", b"<html><body><nav>Home | About</nav><script>var a=1;</script></body></html>")
    write(tmp_path / "notes.pdf", b"%PDF")  # ignored silently inside a folder
    write(tmp_path / "image.png", b"\x89PNG")
    docs, problems = read_paths([tmp_path, tmp_path / "missing.txt"])
    assert sorted(d.name for d in docs) == ["good.txt", "nested.md"]
    reasons = {Path(p.path).name: p.reason for p in problems}
    assert set(reasons) == {"empty.txt", "binary.txt", "junk.html", "missing.txt"}
    assert "empty" in reasons["empty.txt"]
    assert "binary" in reasons["binary.txt"]
    assert reasons["junk.html"] == "HTML page has no article text"
    assert all(isinstance(p, Problem) for p in problems)
    nested = next(d for d in docs if d.name == "nested.md")
    assert nested.title == "Nested article title"


# --------------------------------------------------------------------------- HTML

HTML = """<!doctype html><html><head><meta charset="utf-8">
<title>Strikes spread | Example News</title>
<meta property="article:published_time" content="2022-01-06T09:30:00+06:00">
<link rel="canonical" href="https://news.example/strikes-spread">
<meta property="og:site_name" content="Example News">
<script>window.tracker = "Breaking: fake text in a script";</script>
<style>body { color: red }</style></head>
<body><header><a href="/">Home</a> <a href="/world">World</a></header>
<nav><ul><li>Politics</li><li>Economy</li></ul></nav>
<article><h1>Strikes spread across &lt;Kazakhstan&gt;</h1>
<p>Oil workers in <b>Zhanaozen</b> walked out on 2 January,
and the strike spread to Aktau.</p>
<p>Miners in the Karaganda region joined them on 4 January, while protests reached Almaty.</p>
<ul><li>Demand one: lower gas prices for all households.</li><li>Demand two: resignation.</li></ul>
<aside>Read also: other stories</aside>
<form><input name="q"><button>Search</button></form></article>
<footer>Copyright Example News</footer></body></html>"""


def test_html_article_keeps_text_and_drops_navigation(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path / "page.html", HTML.encode("utf-8")))
    assert doc.title == "Strikes spread across <Kazakhstan>"
    assert doc.published == "2022-01-06" and doc.date_basis.startswith("html")
    assert doc.url == "https://news.example/strikes-spread"
    assert doc.publisher == "Example News"
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[0] == "Strikes spread across <Kazakhstan>"
    assert paragraphs[1] == "Oil workers in Zhanaozen walked out on 2 January,\nand the strike spread to Aktau."
    assert "Demand one: lower gas prices for all households." in paragraphs
    for junk in ("tracker", "color: red", "Politics", "Home", "Read also", "Search", "Copyright"):
        assert junk not in doc.text


def test_html_without_article_text(tmp_path: Path) -> None:
    page = b"<html><head><title>Menu</title><script>var x = 'lots of words here';</script></head>" \
           b"<body><nav>Home News Sport Weather About Contact</nav><p>Cookies?</p></body></html>"
    with pytest.raises(DocumentError, match="HTML page has no article text"):
        read_document(write(tmp_path / "menu.htm", page))


def test_html_in_cp1251_declared_by_meta(tmp_path: Path) -> None:
    page = ("<html><head><meta charset=\"windows-1251\"><title>Новости</title></head><body><p>"
            + RUSSIAN * 2 + "</p></body></html>").encode("cp1251")
    doc = read_document(write(tmp_path / "ru.html", page))
    assert "Жанаозене" in doc.text


def test_upload_bytes() -> None:
    doc = document_from_bytes("upload.md", ("# Uploaded piece\n\n2022-01-07 | Kazakhstan\n\n" + ARTICLE).encode())
    assert doc.name == "upload.md" and doc.title == "Uploaded piece" and doc.published == "2022-01-07"
    with pytest.raises(DocumentError, match="unsupported"):
        document_from_bytes("upload.docx", b"PK")


# --------------------------------------------------------------------------- dates

@pytest.mark.parametrize("text, iso, basis_part", [
    ("Title of piece\n\n2022-01-07 | Kazakhstan\n\n" + ARTICLE, "2022-01-07", "dateline"),
    ("Title\nMonday 10 January 2022, by Someone (Date first published: 9 January 2022).\n\n" + ARTICLE,
     "2022-01-10", "first published '9 January 2022'"),
    (ARTICLE + "\n\nInternational Communist Party\n\nJanuary, 10th 2022\n\nBack to Statements", "2022-01-10",
     "signature"),
    ("ALMATY, 6 January 2022 — " + ARTICLE, "2022-01-06", "6 January 2022"),
])
def test_publication_date_from_the_text(text: str, iso: str, basis_part: str) -> None:
    found, basis, inferred = find_publication_date(text)
    assert found == iso and not inferred
    assert basis_part in basis


def test_year_less_date_is_reported_not_invented() -> None:
    found, basis, inferred = find_publication_date("Report\n\nAs of today, 5 January, clashes continue. " + ARTICLE)
    assert found is None and inferred is True
    assert "As of today, 5 January" in basis and "no year" in basis
    assert find_publication_date(ARTICLE.replace("2 January", "Sunday")) == (None, "no date found in the text", False)


def test_year_is_inferred_from_the_other_documents(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", ("Piece A title here\n\n2022-01-07 | Kazakhstan\n\n" + ARTICLE).encode())
    write(tmp_path / "b.txt", ("Piece B title here\n\nAs of today, 5 January, the strike goes on. " + ARTICLE).encode())
    write(tmp_path / "c.txt", ("Piece C has no date at all\n\n" + ARTICLE.replace("2 January", "Sunday")).encode())
    docs, problems = read_paths([tmp_path])
    by = {d.name: d for d in docs}
    assert problems == []
    assert by["b.txt"].published == "2022-01-05" and by["b.txt"].published_inferred
    assert "inferred from the other documents" in by["b.txt"].date_basis
    assert by["c.txt"].published is None and "no date" in by["c.txt"].date_basis


def test_manifest_wins(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", ("Title from text\n\n2022-01-07 | Kazakhstan\n\n" + ARTICLE).encode())
    write(tmp_path / "sources.csv", b"file,title,publisher,published,url,date_basis\n"
          b"a.txt,Manifest title,Manifest press,2022-01-08,https://x.example/a,editor's note\n")
    docs, problems = read_paths(tmp_path)
    assert problems == [] and len(docs) == 1
    doc = docs[0]
    assert (doc.title, doc.publisher, doc.published, doc.url) == (
        "Manifest title", "Manifest press", "2022-01-08", "https://x.example/a")
    assert doc.date_basis == "manifest: editor's note"


# --------------------------------------------------------------------------- sections

def test_heading_sections() -> None:
    text = ("Live updates\n6 January 2022\nTroops arrived in Almaty on Thursday and the shooting went on.\n"
            "7 January 2022\nThe president said he ordered troops to shoot to kill without warning today.\n")
    sections = find_sections(text, "2022-01-07")
    assert [(s.date, text[s.start:s.end].split("\n")[0]) for s in sections] == [
        ("2022-01-06", "6 January 2022"), ("2022-01-07", "7 January 2022")]
    assert sections[0].end <= sections[1].start


def test_single_dated_article_has_no_sections() -> None:
    assert find_sections("Title\n2022-01-07 | Kazakhstan\n" + ARTICLE, "2022-01-07") == []


# --------------------------------------------------------------------------- seeds

def test_seed_articles_match_the_manifest() -> None:
    docs, problems = read_paths([SEEDS_DIR])
    assert problems == []
    manifest = seed_manifest()
    assert sorted(d.name for d in docs) == sorted(manifest)
    for doc in docs:
        assert doc.published == manifest[doc.name]["published"], doc.name
        assert doc.title == manifest[doc.name]["title"]
    by = {d.name: d for d in docs}
    compilation = by["003_e0a40ae7c89acc18.txt"]
    assert "2022-01-06" in [s.date for s in compilation.sections]
    first_statement = compilation.text.index("Mass protests have been going on")
    assert compilation.date_at(first_statement) == "2022-01-06"
    picket = compilation.text.index("Around 50 people braved")
    assert compilation.date_at(picket) == "2022-01-10"
    assert by["000_5d34b3504bfa6f51.txt"].published == "2022-01-05"
    for name in ("000_5d34b3504bfa6f51.txt", "001_5bf589aa6d0b5e3b.txt", "002_4a2f18da737be389.txt",
                 "004_5d7173ac9404c8b1.txt"):
        assert by[name].sections == [], name


def test_seed_dates_without_the_manifest(tmp_path: Path) -> None:
    """The dates the text alone gives. Seed 000 states no year ("As of today,
    5 January"): read alone it keeps published=None and says why; read with the
    other seeds it gets 2022-01-05 with the year marked as inferred."""
    for name in seed_manifest():
        shutil.copy(SEEDS_DIR / name, tmp_path / name)
    alone = read_document(tmp_path / "000_5d34b3504bfa6f51.txt")
    assert alone.published is None and "no year" in alone.date_basis
    docs, problems = read_paths([tmp_path])
    assert problems == []
    manifest = seed_manifest()
    for doc in docs:
        assert doc.published == manifest[doc.name]["published"], doc.name
        assert doc.published_inferred == (doc.name == "000_5d34b3504bfa6f51.txt")
    by = {d.name: d for d in docs}
    assert "first published '9 January 2022'" in by["004_5d7173ac9404c8b1.txt"].date_basis
    assert by["003_e0a40ae7c89acc18.txt"].sections[0].date == "2022-01-06"
    assert by["001_5bf589aa6d0b5e3b.txt"].title == "Protests in Kazakhstan 5 clues to understand what's going on"


def test_permission_denied_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs as root too: the read itself is made to fail as a locked file would."""
    path = write(tmp_path / "locked.txt", ARTICLE.encode())

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    docs, problems = read_paths([path])
    assert docs == [] and problems == [Problem(str(path), "cannot read the file: permission denied")]


def test_folder_named_like_an_article(tmp_path: Path) -> None:
    (tmp_path / "odd.txt").mkdir()
    with pytest.raises(DocumentError, match="is a folder"):
        read_document(tmp_path / "odd.txt")


def test_wire_dateline_without_year_gets_the_corpus_year(tmp_path: Path) -> None:
    write(tmp_path / "wire.txt", ("Troops ordered to shoot\n\nBy staff correspondents\n\n"
                                  "ALMATY, Jan 7 (Reuters) - " + ARTICLE).encode())
    write(tmp_path / "other.txt", ("Other piece title here\n\nNUKUS/TASHKENT, 5 July 2022 – " + ARTICLE).encode())
    found, basis, inferred = find_publication_date((tmp_path / "wire.txt").read_text())
    assert (found, inferred) == (None, True) and "Jan 7" in basis
    docs, _ = read_paths([tmp_path])
    by = {d.name: d for d in docs}
    assert by["other.txt"].published == "2022-07-05"
    assert by["wire.txt"].published == "2022-01-07" and by["wire.txt"].published_inferred


def test_signed_statements_are_dated_by_their_signature_lines() -> None:
    """'Name, 5 January 2022' at the end of a statement dates the statement above it, even when
    another statement (with its own title lines) follows."""
    text = (
        "Two statements\n\n"
        "1. To the workers\n\nOn Sunday the residents came out onto the square. Yesterday the oil workers stopped.\n\n"
        "Independent Workers' Committee\nZhanaozen, 5 January 2022\n\n"
        "2. Hands off the uprising!\n\nStatement of the Socialist Circle of Bishkek\n\n"
        "Yesterday the parliament voted to send soldiers. We condemn this decision.\n\n"
        "Socialist Circle of Bishkek, 7 January 2022\n\n"
        "3. A week of solidarity\n\nSince then, actions took place in several cities.\n\n"
        "Bulletin, 14 January 2022\n"
    )
    sections = find_sections(text, "2022-01-14")
    by_date = {s.date: text[s.start:s.end] for s in sections}
    assert "the oil workers stopped" in by_date["2022-01-05"]
    assert "parliament voted" in by_date["2022-01-07"]
    assert "parliament voted" not in by_date["2022-01-05"]
