"""Read news articles from disk or from uploaded bytes into :class:`Document`.

Articles arrive as plain text, Markdown or saved web pages, in whatever
encoding the site used, often with navigation junk around them and with their
date written somewhere in the text rather than in metadata. This module turns
each into one Document with its text (newlines normalised, otherwise untouched
so that character offsets stay meaningful), its publication date and where that
date came from, and the dated sections of compilations. Bad files never stop a
batch: :func:`read_articles` reports them as :class:`Problem` and goes on.

Every article, whether a file given to ``python -m geo ingest``/``extract``
(:func:`read_paths`) or a file uploaded in the dashboard, is read by
:func:`read_articles` from its bytes and name, so it gets the same text, date
and sections either way. Web pages' article text and metadata come from
trafilatura, with a selectolax reader as fallback (see "HTML" below).

Where metadata comes from, strongest first:

1. a ``sources.csv`` manifest beside the files (columns file, title,
   publisher, published, url, date_basis);
2. HTML metadata (``article:published_time``; else trafilatura's reading of
   the page's markup: JSON-LD, ``<time>``, elements marked as dates, the URL;
   else the first ``<time datetime>``), canonical URL, ``og:site_name``;
3. the text: the latest full date on a dateline, byline or signature line near
   the top or bottom ("2022-01-07 | Kazakhstan", "Monday 10 January 2022, by",
   "January, 10th 2022"); a "first published" date is only noted; a day and
   month without a year ("As of today, 5 January") gets its year from the
   other articles read in the same batch, marked as inferred.
"""
from __future__ import annotations

import csv
import hashlib
import io
import logging
import os
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from charset_normalizer import from_bytes
from selectolax.lexbor import LexborHTMLParser, LexborNode

from geo.model import Document, Section
from geo.timex import CalendarDate, find_calendar_dates, nearest_year

MAX_BYTES = 5 * 1024 * 1024  # larger files are refused: no news article is that big
TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES
MANIFEST_NAME = "sources.csv"
EDGE_CHARS = 2500  # how far from the top or bottom a publication date is looked for
SHORT_LINE = 130  # datelines, bylines and signatures are short lines

_log = logging.getLogger(__name__)


class DocumentError(Exception):
    """A file that cannot be read as an article, with the reason in plain words."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass
class Problem:
    """A file of a batch that was not read, and why."""

    path: str
    reason: str


# --------------------------------------------------------------------------- decoding

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)


def decode(name: str, data: bytes, html: bool = False) -> tuple[str, str]:
    """Text and encoding name of raw bytes; strict UTF-8 is tried first.

    Raises DocumentError for empty or binary content.
    """
    if not data.strip():
        raise DocumentError(name, "file is empty")
    text: str | None = None
    encoding = ""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text, encoding = data.decode(codec), codec
            except UnicodeDecodeError as exc:
                raise DocumentError(name, f"binary or corrupt file: bad {codec} ({exc.reason})") from None
            break
    if text is None:
        if b"\x00" in data:
            raise DocumentError(name, "binary file (contains NUL bytes), not text")
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text = None
    if text is None and html:
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            try:
                text, encoding = data.decode(declared.group(1).decode("ascii")), declared.group(1).decode("ascii").lower()
            except (LookupError, UnicodeDecodeError):
                text = None
    if text is None:
        best = _best_match(data)
        if best is None:
            raise DocumentError(name, "binary or undecodable file: no text encoding fits")
        text, encoding = str(best), best.encoding
    text = normalise_newlines(text.lstrip("\ufeff"))
    if len(_CONTROL.findall(text[:20000])) > max(3, len(text[:20000]) // 100):
        raise DocumentError(name, "binary file (control characters), not text")
    if not text.strip():
        raise DocumentError(name, "file is empty")
    return text, encoding


_WESTERN = ("cp1252", "latin_1", "iso8859_15")


def _best_match(data: bytes):  # -> charset_normalizer.CharsetMatch | None
    """charset-normalizer's best guess, except that among equally good guesses
    the Western encodings win: French or German text in latin-1 decodes without
    chaos as cp1250 too, and Western pages are by far the more common."""
    matches = list(from_bytes(data))
    if not matches:
        return None
    best = matches[0]
    for m in matches:
        if (m.encoding in _WESTERN and m.chaos <= best.chaos + 0.01
                and m.coherence >= best.coherence - 0.05):
            return m
    return best


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF; nothing else changes."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------- HTML
#
# The article of a page is found by trafilatura, the field's standard article extractor: it
# keeps the story and drops menus, cookie banners, share bars, related links, comments and
# footers, and reads the page's title, date, URL and site name. When it finds no article text,
# our own selectolax reading of the page's <article>, <main> or <body> is used instead, and it is
# also used when trafilatura kept much less prose than an explicit <article> holds (nothing
# lost). Whitespace inside the page's text is collapsed as a browser does (a line break in the
# source of a <p> is a space), so the only line breaks left are the page's own (<br>); blocks
# become paragraphs separated by a blank line, which the extractor relies on, and a dateline
# stays where it was, at the start of its paragraph.

_DROP_TAGS = (
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "iframe", "svg", "button", "select", "textarea", "menu", "dialog", "object", "embed", "canvas",
    "amp-sidebar", "amp-ad", "amp-social-share", "amp-analytics",
)
_DROP_SELECTORS = '[role="navigation"], [role="banner"], [role="contentinfo"], [aria-hidden="true"], [hidden]'
# containers that are never the story, by their class or id (the fallback reader only)
_DROP_CLASS = re.compile(
    r"(?i)(?:^|[\s_-])(?:cookies?|consent|gdpr|newsletter|subscribe|share|sharing|social|related|comments?|"
    r"respond|advert|ads?|promo|sidebar|widget|breadcrumbs?|popular|most-read|donate|skip-link)(?:$|[\s_-])"
)
_BLOCK_TAGS = frozenset((
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "pre",
    "section", "article", "main", "table", "tr", "td", "th", "dd", "dt", "dl", "figure",
    "figcaption", "br", "hr", "address", "details", "summary",
))
_PRE_TAGS = frozenset(("pre", "textarea", "code", "script", "style"))
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_WHITESPACE = re.compile(r"\s+")
_HTML_TAG = re.compile(
    r"<(?:!doctype|html|head|body|meta|title|p|div|span|a|article|main|section|br|h[1-6]|table|ul|ol|li|"
    r"b|i|em|strong|font|center|pre)\b", re.I)

_FEED = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.S)

# A line of article text ends a sentence and has a few words (or, in Chinese, Japanese or Korean,
# a few characters): "Police detained twelve people in Aktau." is one; "Home News Sport" or a
# teaser headline is not.
PROSE_WORDS = 5
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]]*$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
# a paragraph that is only page furniture, wherever an extractor left it
_FURNITURE = re.compile(
    r"(?i)^(?:advertisement|advertising|sponsored(?: content)?|scroll to continue(?: with content)?|"
    r"(?:advertisement\W+)?scroll to continue|share this(?: article| story)?:?|"
    r"(?:read|see) (?:also|more)\s*:.*|related(?: articles?| stories| coverage)?\s*:.*|"
    r"[\d,. ]+\s+(?:views|comments)|comments? \(\d+\))$"
)
# a cookie notice speaks in the site's voice ("We use cookies", "By continuing to browse you agree");
# an article about cookie rules does not
_COOKIE_NOTICE = re.compile(
    r"(?i)\b(?:we(?: and our partners)? use|(?:this|our) (?:web)?site uses|by (?:continuing|clicking|using|browsing)"
    r"|you (?:agree|consent|accept)|(?:accept|reject|manage)(?: all)? cookies|cookie (?:settings|preferences))\b"
)
# trafilatura's own date search, without guessing from free text: metadata, JSON-LD, <time>,
# elements marked as dates, the URL; the original publication date rather than an update
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
MAX_LOST_PROSE = 0.4  # trafilatura missing more than this share of an <article>'s prose: read the <article>


@dataclass
class HtmlArticle:
    """What a web page yields: the article text and its metadata."""

    text: str
    title: str | None = None
    published: str | None = None
    url: str | None = None
    publisher: str | None = None
    date_basis: str = ""
    reader: str = ""  # which reader found the text: "trafilatura" or "fallback"


def _is_prose(line: str) -> bool:
    line = line.strip()
    if not _SENTENCE_END.search(line):
        return False
    return len(line.split()) >= PROSE_WORDS or len(_CJK.findall(line)) >= 2 * PROSE_WORDS


def has_article_text(text: str) -> bool:
    """True when the text holds at least one line of article prose (a sentence of a few words)."""
    return any(_is_prose(line) for line in text.split("\n"))


def _is_furniture(paragraph: str) -> bool:
    """A paragraph that is page furniture: an ad label, a 'Read also' link, a cookie notice."""
    flat = " ".join(paragraph.split())
    if len(flat.split()) <= 15 and _FURNITURE.match(flat.strip(" ·|•")):
        return True
    return len(flat.split()) <= 80 and "cookie" in flat.lower() and _COOKIE_NOTICE.search(flat) is not None


def _join_paragraphs(raw: str) -> str:
    """Blocks of ``raw`` (separated by blank lines) as paragraphs: lines trimmed, spaces collapsed,
    empty lines and furniture dropped, one blank line between paragraphs."""
    paragraphs = []
    for block in re.split(r"\n[ \t\f\v\u00a0]*\n", raw):
        lines = [_SPACES.sub(" ", line).strip() for line in block.split("\n")]
        para = "\n".join(line for line in lines if line)
        if para and not _is_furniture(para):
            paragraphs.append(para)
    return "\n\n".join(paragraphs)


def _meta(tree: LexborHTMLParser, *selectors: str) -> str | None:
    for sel in selectors:
        node = tree.css_first(sel)
        if node is None:
            continue
        value = node.attributes.get("content") or node.attributes.get("href") or node.attributes.get("datetime")
        if value and value.strip():
            return value.strip()
    return None


def _iso_prefix(value: str | None) -> str | None:
    """The YYYY-MM-DD a metadata date starts with, when it is a real date."""
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value or "")
    if m and _valid(int(m.group(1)), int(m.group(2)), int(m.group(3))):
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    return None


# -- trafilatura

def _collapse_whitespace(tree) -> None:  # tree: lxml.html.HtmlElement
    """Collapse runs of whitespace in the page's text as a browser does, except in <pre>."""
    stack = [(tree, False)]
    while stack:
        el, pre = stack.pop()
        pre = pre or (isinstance(el.tag, str) and el.tag in _PRE_TAGS)
        if el.text and not pre:
            el.text = _WHITESPACE.sub(" ", el.text)
        for child in el:
            if child.tail and not pre:  # a child's tail is text of this element
                child.tail = _WHITESPACE.sub(" ", child.tail)
            stack.append((child, pre))


# trafilatura's output elements that are blocks: each starts a paragraph
_XML_BLOCKS = frozenset(("p", "head", "list", "item", "quote", "table", "row", "cell", "code", "div", "body",
                         "doc", "main", "section", "article", "blockquote", "pre", "figure"))


def _xml_text(root) -> str:  # root: lxml element of trafilatura's output
    """Text of trafilatura's output tree, each block a paragraph and <lb/> a line break."""
    parts: list[str] = []
    stack: list[tuple[object, bool]] = [(root, False)]  # element, leaving (then its tail follows)
    while stack:
        el, leaving = stack.pop()
        tag = el.tag if isinstance(el.tag, str) else ""
        if leaving:
            if tag in _XML_BLOCKS:
                parts.append("\n\n")
            if el is not root and el.tail:
                parts.append(el.tail)
            continue
        if tag == "lb":
            parts.append("\n")
        elif tag in _XML_BLOCKS:
            parts.append("\n\n")
        if el.text and tag != "lb":
            parts.append(el.text)
        stack.append((el, True))
        stack.extend((child, False) for child in reversed(el))
    return _join_paragraphs("".join(parts))


@lru_cache(maxsize=1)
def _trafilatura_config():  # -> configparser.ConfigParser
    """trafilatura's settings, but a page's own extraction counts from 50 characters: below its
    default 250 a short item ("Oil workers in Zhanaozen went on strike on Sunday.") was topped up
    with every paragraph of the page, the site's teasers included."""
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "50")
    return config


def _trafilatura(html: str) -> tuple[str, dict]:
    """Article text and metadata found by trafilatura ("" and {} when it finds nothing)."""
    # imported here: a tenth of a second that reading text files and starting the CLI need not pay
    from trafilatura import bare_extraction
    from trafilatura.utils import load_html

    try:
        tree = load_html(html)
        if tree is None:
            return "", {}
        _collapse_whitespace(tree)
        found = bare_extraction(
            tree, with_metadata=True, include_comments=False, include_tables=True, include_images=False,
            include_links=False, include_formatting=False, deduplicate=False, date_extraction_params=_DATE_PARAMS,
            config=_trafilatura_config(),
            # no second opinion from readability and justext: half the time, and on heavy pages they
            # swapped a short article for the site's teasers (pages of tests/test_documents.py)
            fast=True,
        )
    except Exception:  # a parser failure on a strange page: the fallback reader takes over
        _log.debug("trafilatura failed", exc_info=True)
        return "", {}
    if found is None:
        return "", {}
    meta = {k: getattr(found, k, None) for k in ("title", "date", "url", "sitename")}
    return (_xml_text(found.body) if found.body is not None else ""), meta


# -- the fallback reader (selectolax)

def _block_text(root: LexborNode) -> str:
    """Text of a node with block elements turned into paragraphs (blank lines)."""
    parts: list[str] = []
    stack: list[tuple[LexborNode, bool, bool]] = [(root, False, False)]  # node, leaving, inside <pre>
    while stack:
        node, leaving, pre = stack.pop()
        tag = node.tag
        if leaving:
            parts.append("\n\n")
            continue
        if tag == "-text":
            text = node.text_content or ""
            parts.append(text if pre else _WHITESPACE.sub(" ", text))
            continue
        if not node.is_element_node and not node.is_document_node:
            continue
        if tag == "br":
            parts.append("\n")
            continue
        if tag in _BLOCK_TAGS:
            parts.append("\n\n")
            stack.append((node, True, pre))
        inner_pre = pre or tag in _PRE_TAGS
        children = []
        child = node.first_child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend((c, False, inner_pre) for c in reversed(children))
    return _join_paragraphs("".join(parts))


def _article_root(tree: LexborHTMLParser) -> LexborNode | None:
    """The page's explicit article container, if it marks one: its only articleBody or <article>."""
    for selector in ('[itemprop="articleBody"]', "article"):
        nodes = tree.css(selector)
        if len(nodes) == 1:
            return nodes[0]
    return None


def _missing_prose(container: str, text: str) -> float:
    """The share of the words of the container's prose lines that ``text`` does not hold."""
    lines = {" ".join(line.split()) for line in text.split("\n")}
    flat: str | None = None
    total = missing = 0
    for line in container.split("\n"):
        if _is_prose(line):
            n = len(line.split())
            total += n
            line = " ".join(line.split())
            if line not in lines:  # the same line, else (rarely) a part of one
                flat = " ".join(text.split()) if flat is None else flat
                missing += n if line not in flat else 0
    return missing / total if total else 0.0


def _fallback_text(tree: LexborHTMLParser) -> str:
    """The page's text by our own rules: the <article> (else <main>, else <body>) without
    navigation, scripts, headers, footers, asides, forms, banners and share bars."""
    for tag in _DROP_TAGS:
        for node in tree.css(tag):
            node.decompose()
    for node in tree.css(_DROP_SELECTORS):
        node.decompose()
    root = _article_root(tree) or tree.css_first("article") or tree.css_first("main") or tree.body or tree.root
    if root is None:
        return ""
    total = len(root.text(separator=" ").split())
    for node in root.css("[class], [id]"):
        label = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if _DROP_CLASS.search(label) and len(node.text(separator=" ").split()) < total / 2:
            node.decompose()
    return _block_text(root)


def _h1_title(tree: LexborHTMLParser) -> str | None:
    h1 = tree.css_first("h1")
    if h1 is not None and h1.text(strip=True):
        return _WHITESPACE.sub(" ", h1.text(separator=" ")).strip()
    t = tree.css_first("title")
    if t is not None and t.text(strip=True):
        return _WHITESPACE.sub(" ", t.text()).strip()
    return None


def extract_html(name: str, html: str) -> HtmlArticle:
    """The article of a web page: its text (paragraphs separated by blank lines, without
    navigation, banners, scripts, related links, comments and footers), title, publication
    date, URL and site name.

    Raises DocumentError when the content is not HTML or the page holds no line of article prose.
    """
    if _FEED.match(html):
        raise DocumentError(name, "an RSS or Atom news feed, not a web page with an article")
    if not _HTML_TAG.search(html[:100_000]):
        raise DocumentError(name, "not an HTML page (no HTML tags); a plain-text article should be named .txt or .md")
    tree = LexborHTMLParser(html)
    text, found = _trafilatura(html)
    reader = "trafilatura"
    explicit = _article_root(tree)
    lost = _missing_prose(_block_text(explicit), text) if explicit is not None and text else 0.0
    if not has_article_text(text) or lost > MAX_LOST_PROSE:
        fallback = _fallback_text(LexborHTMLParser(html))
        if has_article_text(fallback):
            text, reader = fallback, "fallback"
    if not has_article_text(text):
        raise DocumentError(name, "HTML page has no article text")

    published = _iso_prefix(_meta(
        tree, 'meta[property="article:published_time"]', 'meta[name="article:published_time"]',
        'meta[itemprop="datePublished"]', 'meta[name="date"]', 'meta[name="pubdate"]',
        'meta[name="DC.date.issued"]', 'meta[name="dc.date"]',
    ))
    basis = "html: published-time metadata" if published else ""
    if published is None and _iso_prefix(found.get("date")):
        published, basis = _iso_prefix(found.get("date")), "html: publication date in the page's markup (trafilatura)"
    if published is None:
        published = _iso_prefix(_meta(tree, "time[datetime]"))
        basis = "html: <time datetime>" if published else ""
    title = found.get("title") or _meta(tree, 'meta[property="og:title"]') or _h1_title(tree)
    url = _meta(tree, 'link[rel="canonical"]', 'meta[property="og:url"]') or found.get("url")
    publisher = _meta(tree, 'meta[property="og:site_name"]') or found.get("sitename")
    return HtmlArticle(text=text, title=_WHITESPACE.sub(" ", title).strip() if title else None,
                       published=published, url=url, publisher=publisher, date_basis=basis, reader=reader)


# --------------------------------------------------------------------------- dates in the text

def _valid(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


_FIRST_PUBLISHED = re.compile(r"(?i:(?:first|originally)\s+published(?:\s+(?:on|in|by\s+[^:;,]{1,60}))?\s*[:,]?\s*)$")
_AS_OF_TODAY = re.compile(r"(?i:\b(?:as\s+of\s+)?today,?\s+(?:the\s+)?)$")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})/(0[1-9]|1[0-2])/(0[1-9]|[12]\d|3[01])/")
_DATELINE_HEAD = re.compile(
    r"^\W{0,4}(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?(?:[A-Z][A-Za-z.\-'/ ]{1,40},\s+)?$"
)


_WIRE_DATELINE = re.compile(r"^[A-Z][A-Z .'/-]{2,40}(?:\s*\([^)]*\))?,\s+[^–—\n]{3,30}?\s*(?:\([^)]*\)\s*)?[-–—]\s")


def _line_of(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end == -1 else end


def _iso(d: CalendarDate, year: int | None = None) -> str:
    return date(year or d.year, d.month, d.day).isoformat()  # type: ignore[arg-type]


def _describe(kind: str, d: CalendarDate) -> str:
    return f"text: {kind} '{d.text}'"


def _kind(text: str, d: CalendarDate) -> str:
    """What sort of line a date stands on, for the record of where the date came from."""
    ls, le = _line_of(text, d.start)
    if text[ls:d.start].strip() == "" and text[d.end:le].strip() == "":
        return "signature" if d.start > len(text) / 2 else "date line"
    if re.match(r"\s*[|—–-]", text[d.end:le]) and not text[ls:d.start].strip():
        return "dateline"
    if re.match(r"\s*,\s*by\b", text[d.end:le]):
        return "byline"
    return "date"


def _is_short_line(text: str, pos: int) -> bool:
    ls, le = _line_of(text, pos)
    return le - ls <= SHORT_LINE


def _edge_dates(text: str) -> list[CalendarDate]:
    """Written dates near the top or the bottom of the text."""
    head_end = min(len(text), EDGE_CHARS)
    tail_start = max(head_end, len(text) - EDGE_CHARS)
    return [d for d in find_calendar_dates(text) if d.start < head_end or d.start >= tail_start]


def find_publication_date(text: str) -> tuple[str | None, str, bool]:
    """The article's own date: (ISO date or None, where it comes from, year inferred?).

    The latest full date on a short line (dateline, byline, signature) near the
    top or bottom wins; failing that, any full date near the edges; a "first
    published" date is only noted in the basis. A day and month without a year
    near the top ("As of today, 5 January") yields (None, basis, True): the year
    is left to the caller, who may know it from other articles; when the text
    itself holds full dates elsewhere, the year of the latest one is used and
    marked as inferred.
    """
    dates = _edge_dates(text)
    full = [d for d in dates if d.year is not None]
    first_published = [d for d in full if _before_matches(_FIRST_PUBLISHED, text, d.start)]
    own = [d for d in full if d not in first_published]
    short = [d for d in own if _is_short_line(text, d.start)]
    pool = short or own
    note = ""
    if first_published:
        note = f"; first published '{first_published[0].text}'"
    if pool:
        best = max(pool, key=lambda d: (_iso(d), -d.start))
        return _iso(best), _describe(_kind(text, best), best) + note, False
    if first_published:
        d = first_published[0]
        return _iso(d), f"text: only a first-publication date '{d.text}'", False
    url = _URL_DATE.search(text)
    if url and _valid(int(url.group(1)), int(url.group(2)), int(url.group(3))):
        iso = f"{url.group(1)}-{url.group(2)}-{url.group(3)}"
        return iso, f"text: date in a URL '{url.group(0)}'", False
    partial = find_partial_date(text)
    if partial is not None:
        later_full = [d for d in find_calendar_dates(text) if d.year is not None]
        if later_full:
            year = max(later_full, key=_iso).year
            guess = date(year, partial.month, partial.day).isoformat() if _valid(year, partial.month, partial.day) else None
            if guess:
                return guess, f"text: '{partial.text}' (no year; year {year} from the latest full date in the text)", True
        return None, f"text: '{partial.text}' (no year in the text)", True
    return None, "no date found in the text", False


def _before_matches(pattern: re.Pattern[str], text: str, pos: int) -> bool:
    return pattern.search(text, max(0, pos - 80), pos) is not None


def find_partial_date(text: str) -> CalendarDate | None:
    """A day and month without a year that dates the article itself: "As of
    today, 5 January", or a dateline such as "ALMATY, Jan 6 —"."""
    dates = [d for d in find_calendar_dates(text) if d.year is None]
    for d in dates:  # "as of today, 5 January" dates the text wherever it stands
        lead = _AS_OF_TODAY.search(text, max(0, d.start - 80), d.start)
        if lead:
            return CalendarDate(lead.start(), d.end, text[lead.start():d.end], None, d.month, d.day)
    head_end, tail_start = min(len(text), EDGE_CHARS), max(EDGE_CHARS, len(text) - EDGE_CHARS)
    for d in dates:
        if head_end <= d.start < tail_start:
            continue
        ls, le = _line_of(text, d.start)
        if _DATELINE_HEAD.match(text[ls:d.start]) and re.match(r"\s*(?:\([^)\n]{0,40}\)\s*)?(?:[—–|:-]|$)",
                                                                  text[d.end:le]):
            return d
    return None


# --------------------------------------------------------------------------- sections

_SOURCE_LINE = re.compile(
    r"(?i)^\W{0,3}(?:reproduced|republished|reprinted|source|originally|first\s+published|published|"
    r"translated|from\s+https?:|https?://|<https?://)"
)
_LABEL_LINE = re.compile(
    r"(?i)^\W{0,3}(?:statement|declaration|update|communiqu[eé]|press\s+release|appeal|resolution|"
    r"open\s+letter|report|posted|dispatch)\b"
)


# A line that is only a year ("2013", "## 2014", "**2014:**") heads a timeline's entries of that year.
_YEAR_LINE = re.compile(r"^\W{0,4}((?:1[89]|20)\d\d)\W{0,4}$")
# What follows the date opening a timeline's entry: "21 November – ...", "March 31: ...", "Jan. 5. ..."
_ENTRY_AFTER_DATE = re.compile(r"\s*(?:\([^)\n]{0,40}\)\s*)?(?:[:–—|]|-\s|\.\s+[A-Z])")
# An entry of several days: "July 10-12:" (the last day follows the date), "10-12 July:" (it precedes it).
_RANGE_TAIL = re.compile(r"[-–]\s*(\d{1,2})(?!\d)")
_RANGE_HEAD = re.compile(r"^\W{0,4}\d{1,2}\s*[-–]\s*$")


def _last_day(line: str, d: CalendarDate) -> tuple[int, int]:
    """The last day of the entry a date opens, and where the date (or its range) ends in the line."""
    m = _RANGE_TAIL.match(line, d.end)
    if m and d.year is None and int(m.group(1)) > d.day:
        return int(m.group(1)), m.end()
    return d.day, d.end


def _line_date(text: str, ls: int, le: int, published: str | None, before: date | None = None,
               year: int | None = None) -> tuple[CalendarDate, str] | None:
    """The date a short line carries as a heading, dateline or signature, or that opens a
    timeline's entry of any length.

    A date without its year takes ``year`` (a year heading above it) or, in a
    timeline, the year that puts it nearest the entry before (``before``; entries
    run forward or backward, rarely a year apart), never after the article's own
    date; else the year nearest the article's date.
    """
    line = text[ls:le]
    if not line.strip():
        return None
    if len(line) > SHORT_LINE:
        # a wire item's own dateline opening a long paragraph: "AKTOBE, Jan 18 – About sixty...", or a
        # timeline's entry: "21 November – Around 100,000 people march ..."
        wire = _WIRE_DATELINE.match(line)
        if wire is not None:
            line = line[:wire.end()]
        else:
            first = next(iter(find_calendar_dates(line[:60])), None)
            if first is None or not (_DATELINE_HEAD.match(line[:first.start]) or _RANGE_HEAD.match(line[:first.start])) \
                    or not _ENTRY_AFTER_DATE.match(line, _last_day(line, first)[1]):
                return None
            line = line[:_last_day(line, first)[1]]
    for d in find_calendar_dates(line):
        if _FIRST_PUBLISHED.search(line, 0, d.start):
            continue
        head = line[:d.start]
        at_start = _DATELINE_HEAD.match(head) is not None or _RANGE_HEAD.match(head) is not None
        day, _ = _last_day(line, d)  # a part about several days is dated by the last: what it can tell
        labelled = _LABEL_LINE.match(line) is not None and not line[d.end:].strip(" .)")
        signed = len(line) <= 60 and not line[d.end:].strip(" .)") and "," in head
        if not (at_start or labelled or signed):
            continue
        if d.year is not None:
            return d, _iso(d)
        latest = date.fromisoformat(published) if published else None
        resolved = None
        if year is not None:
            resolved = _valid_date(year, d.month, day)
        elif before is not None:
            resolved = nearest_year(d.month, day, before, latest=latest)
        elif latest is not None:
            resolved = nearest_year(d.month, day, latest)
        if resolved:
            return d, resolved.isoformat()
    return None


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


_WEEKDAY_HEAD = re.compile(r"\W*(?:mon|tues|wednes|thurs|fri|satur|sun)day,\s*", re.IGNORECASE)


def find_sections(text: str, published: str | None) -> list[Section]:
    """Dated parts of a compilation, when their dates differ from the article's.

    A short line that is (or begins with) a date opens a part when text follows
    it (a heading or dateline: "6 January 2022", "ALMATY, Jan 6 —", "Statement
    ... 6 January 2022"); it closes the part before it when what follows is only
    a source line ("Reproduced from ...") or the end (a signature). Returns []
    when every part carries the article's own date.
    """
    lines: list[tuple[int, int]] = []
    pos = 0
    for raw in text.split("\n"):
        if raw.strip():
            lines.append((pos, pos + len(raw)))
        pos += len(raw) + 1
    sections: list[Section] = []
    part_start = 0  # where the part that a signature would close began
    heading: tuple[int, str, str] | None = None  # an open heading: (start, date, basis)
    before: date | None = None  # the date of the entry above, in a timeline
    year: int | None = None  # the year a year heading gives the entries below it
    for k, (ls, le) in enumerate(lines):
        y = _YEAR_LINE.match(text[ls:le])
        if y:
            year = int(y.group(1))
            continue
        found = _line_date(text, ls, le, published, before, year)
        if found is None:
            if _SOURCE_LINE.match(text[ls:le]) and heading is None and sections and sections[-1].end == ls - 1:
                sections[-1].end = le  # the source note belongs to the part it closes
                part_start = le + 1
            continue
        d, iso = found
        before = date.fromisoformat(iso)
        if d.year is not None:
            year = None  # a full date starts the count again
        after = [text[s:e] for s, e in lines[k + 1:k + 4]]
        # "Zhanaozen, 5 January 2022" / "Socialist Circle of Bishkek, 7 January 2022": a name, a comma
        # and a date ending the line sign off the part above, whatever follows
        line = text[ls:le]  # d's offsets are within the line
        signed = bool(re.search(r"\S,\s*$", line[:d.start])) and not line[d.end:].strip(" .") \
            and not _WEEKDAY_HEAD.fullmatch(line[:d.start])  # "Tuesday, June 18" heads a day's part
        # a timeline's entry ("July 9: Protesters storm ...") opens its part wherever it stands
        entry = len(re.findall(r"[^\W\d]{2,}", line[d.end:])) >= 3
        closes = not entry and (signed or not after or bool(_SOURCE_LINE.match(after[0]))
                                or all(_SOURCE_LINE.match(x) or len(x.strip()) <= 40 for x in after))
        if closes:
            if heading is not None:
                sections.append(Section(heading[0], le, heading[1], heading[2]))
                heading = None
            else:
                sections.append(Section(part_start, le, iso, f"signature '{d.text}'"))
            part_start = le + 1
        else:
            if heading is not None:
                sections.append(Section(heading[0], ls - 1, heading[1], heading[2]))
            heading = (ls, iso, f"heading '{d.text}'")
    if heading is not None:
        sections.append(Section(heading[0], len(text), heading[1], heading[2]))
    if not sections or all(s.date == published for s in sections):
        return []
    return sections


# --------------------------------------------------------------------------- titles

# "By Staff Reporter", "Reporting by Olzhas Auyezov": who wrote it, not what it is called
_BYLINE = re.compile(r"(?:by|written by|reporting by|words by|from)\s|(?:staff|our|special) (?:reporter|correspondent)",
                     re.IGNORECASE)


def _signature(line: str) -> bool:
    """Whether a line is a publisher's name and a date ("Coast Weekly (Reuters), 2023-03-02"), not a title."""
    dates = find_calendar_dates(line)
    return bool(dates) and dates[-1].end >= len(line.rstrip(" .")) and len(line[:dates[-1].start].split()) <= 10 \
        and line[:dates[-1].start].rstrip().endswith(",")


def _guess_title(text: str) -> str | None:
    """First heading or short line, preferring the line just before a dateline; never a byline."""
    for line in text.split("\n")[:80]:
        m = re.match(r"\s*#{1,3}\s+(.+)", line)
        if m:
            return m.group(1).strip(" *#")
    lines = [ln.strip() for ln in text[:1500].split("\n")]
    for i, line in enumerate(lines):
        if line and find_calendar_dates(line) and _DATELINE_HEAD.match(line[:find_calendar_dates(line)[0].start]):
            for prev in reversed(lines[max(0, i - 3):i]):
                if prev and len(prev.split()) >= 3 and len(prev) <= 150 and not _BYLINE.match(prev) \
                        and not _signature(prev):
                    return prev
            break
    for line in lines:
        if 3 <= len(line.split()) and len(line) <= 150 and not line.endswith((".", ":", ";")) \
                and not _BYLINE.match(line):
            return line
    return None


# --------------------------------------------------------------------------- documents

def _suffix_ok(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise DocumentError(name, f"unsupported file type '{suffix or '(none)'}' (expected .txt, .md, .html or .htm)")
    return suffix


def _valid_iso(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        return None


def document_from_bytes(name: str, data: bytes, manifest_row: dict | None = None, *,
                        path: str = "", max_bytes: int = MAX_BYTES) -> Document:
    """One article from its raw bytes and file name; raises DocumentError naming the reason.

    Alone it cannot give a year-less date ("ALMATY, Jan 5") the year of the
    articles read with it: batches, uploads included, go through :func:`read_articles`.
    """
    suffix = _suffix_ok(name)
    label = path or name
    if len(data) > max_bytes:
        raise DocumentError(label, f"file too large ({len(data) / 1e6:.1f} MB, limit {max_bytes / 1e6:.1f} MB)")
    text, encoding = decode(label, data, html=suffix in HTML_SUFFIXES)
    title = publisher = url = published = None
    basis = ""
    if suffix in HTML_SUFFIXES:
        article = extract_html(label, text)
        text, title, url, publisher = article.text, article.title, article.url, article.publisher
        if article.published:
            published, basis = article.published, article.date_basis
    if not text.strip():
        raise DocumentError(label, "no text after extraction")
    inferred = False
    if published is None:
        published, basis, inferred = find_publication_date(text)
        basis = basis if published or inferred else basis
    doc = Document(
        name=Path(name).name, text=text, sha256=hashlib.sha256(data).hexdigest(), path=path,
        title=title or _guess_title(text), publisher=publisher, published=published,
        published_inferred=inferred and published is not None, url=url, date_basis=basis, encoding=encoding,
    )
    if manifest_row:
        apply_manifest(doc, manifest_row)
    doc.sections = find_sections(doc.text, doc.published)
    return doc


def apply_manifest(doc: Document, row: dict) -> None:
    """Manifest values win over what was read from the file."""
    for key in ("title", "publisher", "url"):
        value = (row.get(key) or "").strip()
        if value:
            setattr(doc, key, value)
    iso = _valid_iso(row.get("published"))
    if iso:
        doc.published = iso
        doc.published_inferred = False
        doc.date_basis = f"manifest: {(row.get('date_basis') or '').strip() or 'published column'}"


def _read_file(p: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of an article file; raises DocumentError naming the reason."""
    label = str(p)
    _suffix_ok(label)
    try:
        if not p.exists():
            raise DocumentError(label, "no such file")
        if p.is_dir():
            raise DocumentError(label, "is a folder, not a file")
        size = p.stat().st_size
        if size > max_bytes:
            raise DocumentError(label, f"file too large ({size / 1e6:.1f} MB, limit {max_bytes / 1e6:.1f} MB)")
        return p.read_bytes()
    except PermissionError:
        raise DocumentError(label, "cannot read the file: permission denied") from None
    except OSError as exc:
        raise DocumentError(label, f"cannot read the file: {exc.strerror or exc}") from None


def read_document(path: str | os.PathLike, manifest_row: dict | None = None, *,
                  max_bytes: int = MAX_BYTES) -> Document:
    """One article file as a Document; raises DocumentError naming the reason."""
    p = Path(path)
    data = _read_file(p, max_bytes)
    return document_from_bytes(p.name, data, manifest_row, path=str(p), max_bytes=max_bytes)


def read_manifest(path: str | os.PathLike) -> dict[str, dict]:
    """Rows of a sources.csv keyed by file name; raises DocumentError when unreadable."""
    p = Path(path)
    try:
        raw = p.read_bytes()
        text, _ = decode(str(p), raw)
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or "file" not in [f.strip() for f in reader.fieldnames]:
            raise DocumentError(str(p), "manifest has no 'file' column")
        rows = {}
        for row in reader:
            row = {(k or "").strip(): (v or "").strip() for k, v in row.items() if isinstance(v, str)}
            if row.get("file"):
                rows[Path(row["file"]).name] = row
        return rows
    except OSError as exc:
        raise DocumentError(str(p), f"cannot read the manifest: {exc.strerror or exc}") from None
    except csv.Error as exc:
        raise DocumentError(str(p), f"malformed manifest: {exc}") from None


def _container_suffixes() -> tuple[str, ...]:
    """Files of many articles (JSON Lines, WARC), read by geo.inputs."""
    from geo.inputs import CONTAINER_SUFFIXES

    return CONTAINER_SUFFIXES


def _walk(folder: Path) -> list[Path]:
    files = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for n in sorted(names):
            if (Path(n).suffix.lower() in SUFFIXES or n.lower().endswith(_container_suffixes())) \
                    and not n.startswith("."):
                files.append(Path(root) / n)
    return files


@dataclass
class Upload:
    """An article's raw bytes and file name, as uploaded or read from disk."""

    name: str
    data: bytes
    path: str = ""  # the file it was read from; "" for an upload
    manifest_row: dict | None = None  # its row of the sources.csv beside it


def read_articles(items: Iterable[Upload | tuple[str, bytes] | Problem], *,
                  max_bytes: int = MAX_BYTES) -> tuple[list[Document], list[Problem]]:
    """Articles from their bytes and names: the one way articles are read.

    ``python -m geo ingest`` and ``extract`` (through :func:`read_paths`) and the
    dashboard's upload (``Store.ingest_bytes``) all come here, so an article
    is read the same way wherever it comes from. Each item becomes a Document
    (:func:`document_from_bytes`) or a Problem naming the file and the reason;
    Problems among the items (files that could not be read) are passed through
    in order. Then a year-less publication date is completed from the other
    documents of the batch (:func:`infer_missing_years`). Items are consumed
    one at a time, so a large folder is never held in memory at once.
    """
    docs: list[Document] = []
    problems: list[Problem] = []
    for item in items:
        if isinstance(item, Problem):
            problems.append(item)
            continue
        upload = item if isinstance(item, Upload) else Upload(*item)
        try:
            docs.append(document_from_bytes(upload.name, upload.data, upload.manifest_row, path=upload.path,
                                            max_bytes=max_bytes))
        except DocumentError as exc:
            problems.append(Problem(exc.path, exc.reason))
    infer_missing_years(docs)
    return docs, problems


def read_paths(paths: Iterable[str | os.PathLike] | str | os.PathLike, *,
               max_bytes: int = MAX_BYTES) -> tuple[list[Document], list[Problem]]:
    """Read files and folders (recursively) into Documents, collecting problems.

    Each file's manifest is the sources.csv in its own folder. Files of other
    types inside folders are skipped silently. The files' bytes go through
    :func:`read_articles`, which also completes year-less dates from the
    years of the other documents.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return read_articles(_path_items(list(paths), max_bytes), max_bytes=max_bytes)


def iter_uploads(paths: Iterable[str | os.PathLike], max_bytes: int = MAX_BYTES) -> Iterator[Upload | Problem]:
    """The articles under ``paths`` (files, folders, JSON Lines and WARC collections), read one at a
    time as bytes, or the Problem that stopped each: the stream a large ingest consumes."""
    return _path_items(list(paths), max_bytes)


def _path_items(paths: list[str | os.PathLike], max_bytes: int) -> Iterator[Upload | Problem]:
    """The article files under ``paths``, read one at a time, or the Problem that stopped each."""
    files: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files.extend(_walk(p))
        elif p.exists() or p.is_symlink():
            files.append(p)
        else:
            yield Problem(str(p), "no such file or folder")
    manifests: dict[Path, dict[str, dict]] = {}
    seen: set[Path] = set()
    for f in files:
        key = f.resolve()
        if key in seen:
            continue
        seen.add(key)
        if f.name.lower().endswith(_container_suffixes()):
            from geo.inputs import container_items

            yield from container_items(f)
            continue
        folder = f.parent
        if folder not in manifests:
            manifests[folder] = {}
            mpath = folder / MANIFEST_NAME
            if mpath.is_file():
                try:
                    manifests[folder] = read_manifest(mpath)
                except DocumentError as exc:
                    yield Problem(exc.path, exc.reason)
        try:
            data = _read_file(f, max_bytes)
        except DocumentError as exc:
            yield Problem(exc.path, exc.reason)
            continue
        yield Upload(f.name, data, path=str(f), manifest_row=manifests[folder].get(f.name))


def infer_missing_years(docs: list[Document]) -> None:
    """Give year-less publication dates the year of the other documents (see :func:`year_reference`)."""
    ref = year_reference(d.published for d in docs if d.published and not d.published_inferred)
    for doc in docs:
        if doc.published is None:
            complete_year(doc, ref)


def year_reference(dated: Iterable[str]) -> tuple[int, date] | None:
    """What a year-less date is completed from: the most common year among the stated publication
    dates of a batch, and their middle date; None when no date is stated. A function of the set of
    dates alone, so any reading order (or a cluster reading the batch in parts) gives the same."""
    dated = sorted(dated)
    if not dated:
        return None
    year = Counter(int(iso[:4]) for iso in dated).most_common(1)[0][0]
    return year, date.fromisoformat(dated[len(dated) // 2])


def complete_year(doc: Document, ref: tuple[int, date] | None) -> None:
    """Date a document whose text gives a day and month without a year ("ALMATY, Jan 5"): the year
    of ``ref``, moved by one if that puts the date nearer the middle date ("28 December" in a corpus
    of early January is the previous year)."""
    if ref is None or doc.published is not None:
        return
    year, middle = ref
    partial = find_partial_date(doc.text)
    if partial is None:
        if doc.date_basis == "no date found in the text":
            doc.date_basis = "no date found in the text, none inferred"
        return
    options = [date(y, partial.month, partial.day) for y in (year - 1, year, year + 1)
               if _valid(y, partial.month, partial.day)]
    if not options:
        return
    best = min(options, key=lambda d: abs((d - middle).days))
    doc.published = best.isoformat()
    doc.published_inferred = True
    doc.date_basis = (f"text: '{partial.text}' (no year in the text; year {best.year} inferred from the "
                      f"other documents' dates)")
    doc.sections = find_sections(doc.text, doc.published)
