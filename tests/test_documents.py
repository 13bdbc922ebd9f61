"""Reading articles: encodings, HTML, bad input, manifests, dates and sections,
on real files written to tmp_path and on the seed articles."""
from __future__ import annotations

import csv
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from geo.documents import (
    MAX_BYTES, DocumentError, Problem, document_from_bytes, extract_html, find_publication_date, find_sections,
    read_articles, read_document, read_paths,
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
    # the line break in the source of the <p> is a space, as a browser shows it
    assert paragraphs[1] == "Oil workers in Zhanaozen walked out on 2 January, and the strike spread to Aktau."
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


# --------------------------------------------------------------------------- news pages
#
# Eight pages written the way news sites write them (navigation, headers, footers, scripts,
# cookie banners, share bars, ads, related links, comments, sidebars), each with the sentences of
# its article that must be kept and the boilerplate that must not leak. The same pages were used to
# compare the selectolax-only reader with the trafilatura one (see the change's report).

@dataclass
class Page:
    """A news page as a site writes it: sentences of its article that must be kept, boilerplate that
    must not leak, its publication date and the dateline its first paragraph must start with."""

    name: str
    html: str
    keep: list[str]
    junk: list[str]
    published: str | None = None
    encoding: str = "utf-8"
    starts: str | None = None  # a paragraph that must begin with this (a dateline)

    @property
    def data(self) -> bytes:
        return self.html.encode(self.encoding)


WIRE = Page("wire.html", """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Kazakh police fire on protesters in Almaty | World News Wire</title>
<meta property="og:title" content="Kazakh police fire on protesters in Almaty as unrest spreads">
<meta property="og:site_name" content="World News Wire">
<link rel="canonical" href="https://wire.example/world/asia/kazakh-police-fire-on-protesters/">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Kazakh police fire on protesters in Almaty as unrest spreads",
 "datePublished": "2022-01-05T14:20:00Z", "publisher": {"@type": "Organization", "name": "World News Wire"}}</script>
<script>var _sf_async_config = {uid: 1234, domain: 'wire.example', sections: 'world'};</script>
</head><body>
<div id="onetrust-banner-sdk" class="consent-overlay"><div class="ot-text">We and our partners use cookies and
similar technologies to personalise content and ads and to analyse our traffic. You can change your choices at
any time.</div><button>Accept all cookies</button><button>Manage preferences</button></div>
<header class="site-header"><a href="/" class="logo">World News Wire</a>
<nav><ul><li><a href="/world">World</a></li><li><a href="/business">Business</a></li>
<li><a href="/markets">Markets</a></li><li><a href="/sustainability">Sustainability</a></li></ul></nav>
<form role="search"><input type="search" placeholder="Search"></form></header>
<main id="main-content">
<article class="article">
<div class="article-header">
<nav class="breadcrumbs"><a href="/world">World</a> › <a href="/world/asia">Asia Pacific</a></nav>
<h1>Kazakh police fire on protesters in Almaty as unrest spreads</h1>
<div class="byline">By <a href="/authors/oa">Olzhas Auyezov</a> and <a href="/authors/tv">Tamara Vaal</a></div>
<time class="date" datetime="2022-01-05T14:20:00Z">January 5, 2022 2:20 PM UTC</time>
<div class="share"><button>Share on Twitter</button><button>Share on Facebook</button>
<a href="mailto:?">Email this article</a></div>
</div>
<div class="article-body">
<p>ALMATY, Jan 5 (Reuters) - Police in Kazakhstan's largest city Almaty fired stun grenades and tear gas at
thousands of protesters who stormed the mayor's office on Wednesday, as unrest over fuel prices spread across
the country.</p>
<p>The protests began on Sunday in the oil town of Zhanaozen after the government lifted price caps on
liquefied petroleum gas.</p>
<div class="ad-slot" data-ad="mid-article"><span>Advertisement · Scroll to continue</span></div>
<p>President Kassym-Jomart Tokayev declared a state of emergency in Almaty and the Mangistau region and
accepted the resignation of the government.</p>
<p>"Calls to attack government and military offices are absolutely illegal," Tokayev said in a televised
address.</p>
<div class="related-coverage"><h2>Related coverage</h2><ul>
<li><a href="/a">Russian-led alliance to send troops to Kazakhstan</a></li>
<li><a href="/b">Oil output at Tengiz disrupted by protests</a></li></ul></div>
<p>Internet monitoring group NetBlocks reported a nationwide internet blackout later on Wednesday.</p>
<p class="credits">Reporting by Olzhas Auyezov; Editing by Mark Trevelyan</p>
</div>
<div class="trust"><a href="/principles">Our Standards: The Trust Principles.</a></div>
</article>
<aside class="sidebar"><h2>Most read</h2><ol><li><a href="/x">Stocks fall as inflation data looms</a></li>
<li><a href="/y">Oil prices climb to seven-week high</a></li></ol></aside>
</main>
<footer><p>All quotes delayed a minimum of 15 minutes.</p><p>© 2022 World News Wire. All rights reserved.</p></footer>
<script>window.__PRELOADED_STATE__ = {"article": {"body": "stale copy of the story"}};</script>
</body></html>""",
    keep=["Police in Kazakhstan's largest city Almaty fired stun grenades",
          "The protests began on Sunday in the oil town of Zhanaozen",
          "declared a state of emergency in Almaty and the Mangistau region",
          "Calls to attack government and military offices are absolutely illegal",
          "NetBlocks reported a nationwide internet blackout"],
    junk=["cookies", "Accept all", "Markets", "Search", "Share on", "Email this article", "Advertisement",
          "Related coverage", "Russian-led alliance", "Most read", "Stocks fall", "quotes delayed",
          "All rights reserved", "PRELOADED", "_sf_async_config"],
    published="2022-01-05", starts="ALMATY, Jan 5 (Reuters) - Police")

SHORT = Page("short.html", """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Zhanaozen strike – Steppe Daily</title></head>
<body><header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav></header>
<article><h1>Zhanaozen strike</h1>
<p>Oil workers in Zhanaozen went on strike on Sunday.</p>
<p>Police detained twelve people in Aktau.</p>
</article>
<footer>© Steppe Daily 2022 · <a href="/about">About us</a> · <a href="/ads">Advertise with us</a></footer>
</body></html>""",
    keep=["Oil workers in Zhanaozen went on strike on Sunday.", "Police detained twelve people in Aktau."],
    junk=["Home", "Sport", "Steppe Daily", "About us", "Advertise"])

NO_ARTICLE = Page("no-article.html", """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Relatives gather outside Almaty police station | Almaty Local News</title>
<link rel="stylesheet" href="/wp-content/themes/news/style.css"></head>
<body class="single single-post">
<div id="top-bar">Tuesday, 11 January 2022 | <a href="/wp-login.php">Log in</a> | <a href="/subscribe">Subscribe</a></div>
<div id="menu"><ul class="menu"><li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li>
<li><a href="/economy">Economy</a></li><li><a href="/society">Society</a></li></ul></div>
<div id="wrapper"><div id="content" class="col-8">
<div class="post type-post">
<h2 class="entry-title">Relatives of detained protesters gather outside Almaty police station</h2>
<div class="entry-meta">Posted on <span class="published">11 January 2022</span> by Editor · 3 comments</div>
<div class="entry-content">
<p>Relatives of people detained during last week's unrest gathered outside the police department of Almaty's
Bostandyk district on Tuesday, demanding to know where their family members are held.</p>
<p>About forty people, most of them women, stood in front of the building for several hours holding
photographs of the detained.</p>
<p>The interior ministry said on Monday that 7,939 people had been detained across the country.</p>
<div class="sharedaddy"><h3>Share this:</h3><ul><li><a>Twitter</a></li><li><a>Facebook</a></li>
<li><a>Telegram</a></li></ul></div>
</div>
<div id="comments" class="comments-area"><h3>3 thoughts on “Relatives of detained protesters gather”</h3>
<ol class="commentlist"><li class="comment"><p>Shame on the police, free them all now!</p></li>
<li class="comment"><p>Where is the list of names? The ministry must publish it.</p></li></ol>
<div id="respond"><h3>Leave a Reply</h3><form><textarea name="comment"></textarea>
<input type="submit" value="Post Comment"></form></div></div>
</div></div>
<div id="sidebar" class="col-4"><div class="widget"><h3>Recent Posts</h3><ul>
<li><a href="/p1">Tokayev names new prime minister</a></li><li><a href="/p2">Internet restored in Almaty</a></li></ul></div>
<div class="widget"><h3>Newsletter</h3><p>Sign up to get our best stories in your inbox every morning.</p></div></div>
</div>
<div id="footer">Copyright © 2022 Almaty Local News. Powered by WordPress.</div>
</body></html>""",
    keep=["Relatives of people detained during last week's unrest gathered outside the police department",
          "About forty people, most of them women, stood in front of the building",
          "7,939 people had been detained across the country"],
    junk=["Log in", "Politics", "Economy", "Share this", "Shame on the police", "Leave a Reply", "Recent Posts",
          "Tokayev names new prime minister", "Sign up to get", "Powered by WordPress"],
    published="2022-01-11")

TIME = Page("time.html", """<html><head><meta charset="utf-8"><title>Pension protest draws thousands in Paris</title></head>
<body>
<div class="masthead"><a href="/">The Continental</a> <span class="tagline">News from Europe, every morning</span></div>
<div class="container"><article class="story">
<h1>Pension protest draws thousands in Paris</h1>
<p class="meta">By Claire Martin · <time datetime="2023-03-23T18:05:00+01:00">23 March 2023</time></p>
<figure><img src="/img/paris.jpg" alt="Marchers"><figcaption>Marchers on Place de la Bastille. Photo: AFP</figcaption></figure>
<p>PARIS — Hundreds of thousands of people marched across France on Thursday against the pension reform, the
ninth day of nationwide action since January.</p>
<p>In Paris, police fired tear gas near Place de la Bastille as small groups smashed shop windows and set fire
to rubbish bins.</p>
<p>Rail workers at the SNCF extended their rolling strike, and refinery workers in Normandy kept fuel depots
blockaded.</p>
<p>The interior ministry counted 1.08 million demonstrators nationwide; the CGT union said 3.5 million.</p>
<div class="newsletter-signup"><p>Get the Continental's morning briefing in your inbox. Sign up for free today.</p>
<input type="email" placeholder="Email address"><button>Subscribe</button></div>
</article></div>
<div class="site-footer"><a href="/terms">Terms of use</a> <a href="/privacy">Privacy notice</a></div>
</body></html>""",
    keep=["Hundreds of thousands of people marched across France on Thursday",
          "police fired tear gas near Place de la Bastille",
          "Rail workers at the SNCF extended their rolling strike",
          "counted 1.08 million demonstrators"],
    junk=["News from Europe", "morning briefing", "Subscribe", "Terms of use", "Privacy notice"],
    published="2023-03-23", starts="PARIS — Hundreds")

AMP = Page("amp.html", """<!doctype html>
<html ⚡ lang="en"><head><meta charset="utf-8">
<script async src="https://cdn.ampproject.org/v0.js"></script>
<script async custom-element="amp-sidebar" src="https://cdn.ampproject.org/v0/amp-sidebar-0.1.js"></script>
<title>Karakalpakstan: state of emergency after Nukus protests - Central Asia Now</title>
<link rel="canonical" href="https://cenasia.example/2022/07/03/karakalpakstan-emergency/">
<meta name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1">
<style amp-boilerplate>body{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both}</style>
<style amp-custom>.amp-header{background:#003}</style>
<script type="application/ld+json">{"@context": "http://schema.org", "@type": "NewsArticle",
 "headline": "Karakalpakstan: state of emergency after Nukus protests",
 "datePublished": "2022-07-03T09:00:00+05:00", "dateModified": "2022-07-04T11:00:00+05:00",
 "publisher": {"@type": "Organization", "name": "Central Asia Now"}}</script>
</head><body>
<amp-sidebar id="sidebar" layout="nodisplay" side="left"><ul><li><a href="/">Front page</a></li>
<li><a href="/uzbekistan">Uzbekistan news</a></li><li><a href="/kazakhstan">Kazakhstan news</a></li></ul></amp-sidebar>
<header class="amp-header"><button on="tap:sidebar.toggle">☰ Menu</button><a href="/">Central Asia Now</a></header>
<div class="amp-article">
<h1 class="amp-title">Karakalpakstan: state of emergency after Nukus protests</h1>
<div class="amp-meta"><span class="amp-author">Staff reporter</span></div>
<amp-img src="/img/nukus.jpg" width="800" height="450" layout="responsive" alt="Nukus"></amp-img>
<div class="amp-article-content">
<p>NUKUS, 3 July 2022 – President Shavkat Mirziyoyev declared a month-long state of emergency in
Karakalpakstan on Saturday after protests in Nukus against planned changes to the region's constitutional
status.</p>
<p>Thousands gathered in the regional capital on Friday, and some tried to storm government buildings,
according to local officials.</p>
<amp-ad width="300" height="250" type="doubleclick" data-slot="/123/amp"><div placeholder>Advertisement</div></amp-ad>
<p>Internet access in the region was cut off, and the authorities said several people had been detained.</p>
<p>Mirziyoyev travelled to Nukus on Saturday and announced that the constitutional amendments concerning
Karakalpakstan would be dropped.</p>
</div>
<amp-social-share type="twitter"></amp-social-share><amp-social-share type="facebook"></amp-social-share>
<div class="amp-related"><h3>More from Central Asia Now</h3><ul><li><a href="/a">Tajik border talks resume</a></li>
<li><a href="/b">Kyrgyz som hits record low</a></li></ul></div>
</div>
<footer class="amp-footer"><a href="https://cenasia.example/2022/07/03/karakalpakstan-emergency/">View
non-AMP version</a> © 2022 Central Asia Now</footer>
</body></html>""",
    keep=["President Shavkat Mirziyoyev declared a month-long state of emergency",
          "Thousands gathered in the regional capital on Friday",
          "Internet access in the region was cut off",
          "constitutional amendments concerning Karakalpakstan would be dropped"],
    junk=["Menu", "Front page", "Uzbekistan news", "Advertisement", "More from Central Asia Now",
          "Tajik border talks", "non-AMP", "amp-start"],
    published="2022-07-03", starts="NUKUS, 3 July 2022 – President")

CYRILLIC = Page("ru.html", """<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">
<title>Забастовка нефтяников в Жанаозене — Новости Казахстана</title>
<meta property="article:published_time" content="2022-01-04T10:00:00+06:00"></head>
<body><div class="menu"><a href="/">Главная</a> | <a href="/politics">Политика</a> | <a href="/sport">Спорт</a></div>
<div class="news-item"><h1>Забастовка нефтяников в Жанаозене</h1>
<div class="text">
<p>ЖАНАОЗЕН, 4 января — Рабочие нефтяных компаний Жанаозена объявили забастовку, требуя снижения цен на
сжиженный газ.</p>
<p>Протесты распространились на Актау, где тысячи людей вышли на центральную площадь.</p>
<p>Власти Мангистауской области заявили, что готовы к переговорам с протестующими.</p>
</div>
<div class="social">Поделиться: ВКонтакте · Telegram · WhatsApp</div></div>
<div class="footer">© 2022 Новости Казахстана. Все права защищены. При цитировании ссылка обязательна.</div>
</body></html>""",
    keep=["Рабочие нефтяных компаний Жанаозена объявили забастовку",
          "Протесты распространились на Актау",
          "Власти Мангистауской области заявили"],
    junk=["Главная", "Политика", "Поделиться", "Все права защищены"],
    published="2022-01-04", encoding="cp1251", starts="ЖАНАОЗЕН, 4 января — Рабочие")

STATEMENT = Page("statement.html", """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Kazakhstan: release peaceful protesters and investigate torture | Rights Watchers</title></head>
<body>
<div class="skip-link"><a href="#main">Skip to main content</a></div>
<div class="top-menu"><a href="/who">Who we are</a> <a href="/what">What we do</a> <a href="/donate">Donate</a></div>
<main id="main">
<div class="page-title"><h1>Kazakhstan: release peaceful protesters and investigate torture</h1>
<p class="date">Public statement · 15 March 2022</p></div>
<div itemprop="articleBody" class="field-body">
<p>The authorities in Kazakhstan must immediately release everyone detained solely for peacefully taking part
in the January protests, the organisation said today.</p>
<h2>What happened</h2>
<p>Protests that began in Zhanaozen over fuel prices on 2 January spread to dozens of cities within days.</p>
<p>Security forces used lethal force in Almaty on 6 and 7 January; the authorities say 238 people were
killed.</p>
<div class="read-also"><strong>Read also:</strong> <a href="/x">Belarus: two years after the protests</a></div>
<h2>Our demands</h2>
<ul><li>Release all peaceful protesters still held in detention.</li>
<li>Open an independent investigation into allegations of torture.</li>
<li>Allow families and lawyers to visit detainees without delay.</li></ul>
<p>Former detainees told the organisation they were beaten and burned with irons in detention in Almaty and
Taldykorgan.</p>
</div>
<div class="donate-box"><h3>Support our work</h3><p>Your donation helps us defend human rights around the
world. Donate now and make a difference today.</p></div>
<div class="tags">Topics: Kazakhstan, Freedom of assembly, Torture</div>
</main>
<footer>Registered charity no. 123456 · <a href="/privacy">Privacy</a> · <a href="/cookies">Cookie settings</a></footer>
</body></html>""",
    keep=["must immediately release everyone detained solely for peacefully taking part",
          "Protests that began in Zhanaozen over fuel prices on 2 January",
          "Security forces used lethal force in Almaty on 6 and 7 January",
          "Release all peaceful protesters still held in detention.",
          "Open an independent investigation into allegations of torture.",
          "beaten and burned with irons"],
    junk=["Skip to main content", "Who we are", "Support our work", "Your donation", "Read also",
          "two years after", "Registered charity", "Cookie settings"],
    published="2022-03-15")

KYRGYZ = Page("bishkek.html", """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Protesters seize government building in Bishkek - Eurasia Wire</title>
<meta name="description" content="Protesters seized the White House in Bishkek overnight.">
<meta property="og:url" content="https://eurasiawire.example/news/2020/10/06/bishkek-protesters/">
<meta property="og:site_name" content="Eurasia Wire">
<meta property="article:published_time" content="2020-10-06T07:45:00+06:00">
<script src="/js/analytics.js"></script>
<script>googletag.cmd.push(function() { googletag.display('div-gpt-ad-top'); });</script>
</head><body>
<div class="cookie-notice" id="cookie-notice"><p>This website uses cookies to ensure you get the best experience
on our website. By continuing to browse you agree to our cookie policy.</p><a href="#" class="btn">Got it!</a></div>
<div id="div-gpt-ad-top" class="ad ad-leaderboard"></div>
<div class="navbar"><ul><li><a href="/">Eurasia Wire</a></li><li><a href="/news">News</a></li>
<li><a href="/opinion">Opinion</a></li><li><a href="/podcasts">Podcasts</a></li></ul></div>
<section class="content">
<div class="article">
<h1 class="article__title">Protesters seize government building in Bishkek</h1>
<div class="article__info"><span class="author">Eurasia Wire staff</span> <span class="views">12,403 views</span></div>
<div class="article__text">
<p><strong>BISHKEK, Oct 6 (Eurasia Wire)</strong> — Protesters seized the White House, the seat of Kyrgyzstan's
government and parliament, overnight after police failed to disperse thousands who rejected the results of
Sunday's parliamentary election.</p>
<p>Police used water cannon, stun grenades and tear gas on Ala-Too Square on Monday evening, and the health
ministry said one person was killed and nearly 600 injured.</p>
<p>Crowds also freed former president Almazbek Atambayev from the national security service's detention
centre.</p>
<p>The Central Election Commission annulled the results of the vote on Tuesday.</p>
</div>
<div class="article__tags"><a href="/tag/kyrgyzstan">#Kyrgyzstan</a> <a href="/tag/elections">#elections</a></div>
<div class="comments"><h4>Comments (2)</h4>
<div class="comment"><span class="user">Aibek</span><p>Finally the people have spoken, long live Kyrgyzstan!</p></div>
<div class="comment"><span class="user">guest</span><p>This will end badly like in 2010, mark my words.</p></div>
</div>
</div>
<div class="popular"><h3>Popular this week</h3><ul><li><a href="/n1">Gold mine dispute goes to court</a></li>
<li><a href="/n2">Som falls against the dollar</a></li></ul></div>
</section>
<div class="footer-bottom">Eurasia Wire © 2020. Reproduction of materials is allowed only with a hyperlink.</div>
</body></html>""",
    keep=["Protesters seized the White House, the seat of Kyrgyzstan's government and parliament",
          "Police used water cannon, stun grenades and tear gas on Ala-Too Square",
          "freed former president Almazbek Atambayev",
          "The Central Election Commission annulled the results"],
    junk=["uses cookies", "Got it", "Opinion", "Podcasts", "12,403 views", "#Kyrgyzstan",
          "Comments (2)", "long live Kyrgyzstan", "mark my words", "Popular this week", "Gold mine dispute",
          "Reproduction of materials", "googletag"],
    published="2020-10-06", starts="BISHKEK, Oct 6 (Eurasia Wire) — Protesters")

PAGES = [WIRE, SHORT, NO_ARTICLE, TIME, AMP, CYRILLIC, STATEMENT, KYRGYZ]

# pages that hold no article: each must be refused
NOT_ARTICLES = {
    "menu.html": """<html><head><title>Menu</title><script>var x = 'lots of words here';</script></head>
<body><nav>Home News Sport Weather About Contact</nav><p>Cookies?</p></body></html>""",
    "cookies.html": """<!doctype html><html><head><title>Example News</title></head><body>
<div class="cookie-banner"><p>We use cookies to measure our audience and to show you relevant content. By clicking
"Accept" you agree to our use of cookies.</p><button>Accept</button></div>
<header><a href="/">Example News</a><nav><a href="/world">World</a> <a href="/sport">Sport</a></nav></header>
<footer>© Example News</footer></body></html>""",
    "index.html": """<!doctype html><html><head><title>Steppe Daily – front page</title></head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<main><ul class="teasers"><li><a href="/a">Oil workers strike in Zhanaozen</a></li>
<li><a href="/b">Gas price doubles overnight</a></li><li><a href="/c">Akim meets protesters</a></li></ul></main>
<footer>© Steppe Daily</footer></body></html>""",
}


def _heavy(data: bytes, encoding: str = "utf-8") -> bytes:
    """The same page with the weight of a real site: a mega-menu, inline state, 30 teasers."""
    menu = "<nav class='mega'>" + "".join(f"<a href='/s/{i}'>Section {i}</a>" for i in range(400)) + "</nav>"
    state = "<script>window.__STATE__ = " + json.dumps(
        {"items": [{"id": i, "title": f"Teaser headline number {i}", "body": "lorem ipsum " * 20} for i in range(120)]}
    ) + "</script>"
    teasers = "<div class='more'>" + "".join(
        f"<div class='teaser'><h3><a href='/t/{i}'>Another story headline {i}</a></h3>"
        f"<p>Short summary of another story number {i} on the site.</p></div>" for i in range(30)) + "</div>"
    html = data.decode(encoding)
    return html.replace("<body>", "<body>" + menu, 1).replace("</body>", teasers + state + "</body>", 1).encode(encoding)


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("heavy", [False, True], ids=["page", "heavy-page"])
@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_news_page_keeps_the_article_and_drops_the_boilerplate(tmp_path: Path, page: Page, heavy: bool) -> None:
    data = _heavy(page.data, page.encoding) if heavy else page.data
    doc = read_document(write(tmp_path / page.name, data))
    paragraphs = doc.text.split("\n\n")
    flat = _flat(doc.text)
    missing = [s for s in page.keep if _flat(s) not in flat]
    leaked = [j for j in page.junk + (["Another story", "Section 12", "__STATE__"] if heavy else []) if j in doc.text]
    assert missing == [] and leaked == [], doc.text
    # each kept sentence sits inside one paragraph, and paragraphs are separated by one blank line
    for sentence in page.keep:
        assert any(_flat(sentence) in _flat(p) for p in paragraphs), sentence
    assert all(p.strip() == p and p for p in paragraphs) and "\n\n\n" not in doc.text
    if page.starts:
        assert any(_flat(p).startswith(page.starts) for p in paragraphs), paragraphs[:3]
    assert doc.published == page.published
    if page.published:
        assert doc.date_basis.startswith("html:")


def test_short_article_of_two_paragraphs_is_read(tmp_path: Path) -> None:
    """The page the old reader refused ("HTML page has no article text"): 17 words in an <article>."""
    doc = read_document(write(tmp_path / SHORT.name, SHORT.data))
    assert doc.text == ("Zhanaozen strike\n\nOil workers in Zhanaozen went on strike on Sunday.\n\n"
                        "Police detained twelve people in Aktau.")
    assert doc.title == "Zhanaozen strike"
    assert doc.published is None and doc.date_basis == "no date found in the text"


def test_short_article_amid_teaser_summaries_keeps_only_the_article(tmp_path: Path) -> None:
    """trafilatura tops up an extraction under 250 characters with every paragraph of the page; the
    reader sets its floor lower, so a short item on a page of teasers stays itself."""
    teasers = "<section class='more-news'>" + "".join(
        f"<div class='item'><h3><a href='/t/{i}'>Another story headline {i}</a></h3><p>Workers at factory "
        f"number {i} went on strike on Monday over unpaid wages, local media reported.</p></div>" for i in range(20)
    ) + "</section>"
    page = SHORT.html.replace("</body>", teasers + "</body>")
    doc = read_document(write(tmp_path / "short-teasers.html", page.encode()))
    assert "factory number" not in doc.text
    assert "Police detained twelve people in Aktau." in doc.text


def test_wire_page_metadata(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path / WIRE.name, WIRE.data))
    assert doc.title == "Kazakh police fire on protesters in Almaty as unrest spreads"
    assert doc.url == "https://wire.example/world/asia/kazakh-police-fire-on-protesters/"
    assert doc.publisher == "World News Wire"
    assert doc.text.startswith("ALMATY, Jan 5 (Reuters) - Police in Kazakhstan's largest city")
    amp = read_document(write(tmp_path / AMP.name, AMP.data))
    assert amp.publisher == "Central Asia Now"  # from the page's JSON-LD
    assert amp.published == "2022-07-03"  # datePublished, not dateModified


def test_an_article_about_cookie_rules_is_not_a_cookie_notice(tmp_path: Path) -> None:
    page = ("<html><body><article><h1>Publishers protest</h1><p>BRUSSELS, 4 May 2023 - Hundreds of publishers "
            "protested outside the European Parliament on Thursday against the new cookie policy, which they say "
            "will cut their advertising income.</p><p>Police said the rally was peaceful.</p></article>"
            "<div class='cookie-bar'>We use cookies to improve your experience. By continuing to browse you agree "
            "to our cookie policy.</div></body></html>")
    doc = read_document(write(tmp_path / "cookies-law.html", page.encode()))
    assert "against the new cookie policy" in doc.text
    assert "We use cookies" not in doc.text


@pytest.mark.parametrize("name", sorted(NOT_ARTICLES))
def test_pages_without_an_article_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(DocumentError, match="HTML page has no article text"):
        read_document(write(tmp_path / name, NOT_ARTICLES[name].encode()))


def test_not_html_is_refused_with_the_reason(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="not an HTML page"):
        read_document(write(tmp_path / "article.html", ("ALMATY, Jan 5 - " + ARTICLE).encode()))
    with pytest.raises(DocumentError, match="not an HTML page"):
        read_document(write(tmp_path / "data.html", b'{"title": "Strike", "body": "Workers walked out."}'))
    feed = b'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title><item><title>Strike in Aktau' \
           b'</title><description>Workers walked out in Aktau on Monday.</description></item></channel></rss>'
    with pytest.raises(DocumentError, match="RSS or Atom news feed"):
        read_document(write(tmp_path / "feed.html", feed))
    with pytest.raises(DocumentError, match="binary"):
        read_document(write(tmp_path / "image.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4))
    with pytest.raises(DocumentError, match="empty"):
        read_document(write(tmp_path / "blank.html", b"  \n "))
    with pytest.raises(DocumentError, match="too large"):
        read_document(write(tmp_path / "huge.html", b"<html><body>" + b"<p>Workers walked out.</p>" * 300),
                      max_bytes=2000)


def test_line_breaks_are_the_pages_own(tmp_path: Path) -> None:
    """A line break in the source of a paragraph is a space, as in a browser; <br> is a line
    break, <br><br> and blocks end a paragraph, and <pre> keeps its lines."""
    page = ("<html><body><article><h1>Police fire tear gas\n   in Almaty</h1>"
            "<p>ALMATY, Jan 5 (Reuters) - Police fired tear gas at\nthousands of protesters in\nAlmaty on "
            "Wednesday.<br>Witnesses said dozens were hurt.</p>"
            "<div>The protests began on Sunday in Zhanaozen.<br><br>Gas prices had doubled on 1 January.</div>"
            "<pre>Statement of the strike committee:\nWe will not stop.</pre></article></body></html>")
    doc = read_document(write(tmp_path / "lines.html", page.encode()))
    assert doc.text.split("\n\n") == [
        "Police fire tear gas in Almaty",
        "ALMATY, Jan 5 (Reuters) - Police fired tear gas at thousands of protesters in Almaty on Wednesday.\n"
        "Witnesses said dozens were hurt.",
        "The protests began on Sunday in Zhanaozen.",
        "Gas prices had doubled on 1 January.",
        "Statement of the strike committee:\nWe will not stop.",
    ]


def test_fallback_reader_when_trafilatura_finds_nothing(tmp_path: Path) -> None:
    """trafilatura gives nothing for a bare fragment; the selectolax reader still finds the paragraph."""
    article = extract_html("fragment.html", "<p>Police fired tear gas at thousands of protesters in Almaty.</p>")
    assert article.reader == "fallback"
    assert article.text == "Police fired tear gas at thousands of protesters in Almaty."
    assert extract_html(WIRE.name, WIRE.html).reader == "trafilatura"


def test_fallback_reader_when_trafilatura_drops_most_of_the_article(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing lost: when trafilatura's text misses most of the prose of the page's only <article>,
    the <article> is read by our own rules instead (the case is forced: trafilatura keeps one line)."""
    from geo import documents

    real = documents._trafilatura

    def partial(html: str):
        text, meta = real(html)
        return text.split("\n\n")[0], meta

    monkeypatch.setattr(documents, "_trafilatura", partial)
    article = extract_html(TIME.name, TIME.html)
    assert article.reader == "fallback"
    assert all(_flat(s) in _flat(article.text) for s in TIME.keep)
    assert "morning briefing" not in article.text  # the fallback drops newsletter boxes too
    assert article.published == "2023-03-23"


def test_belarus_corpus_page_is_read_whole() -> None:
    """tests/corpus/104: every paragraph of the story, nothing of the cookie banner, menu or related links."""
    from geo.paths import ROOT

    doc = read_document(ROOT / "tests" / "corpus" / "104_belarus_strikes.html")
    assert doc.published == "2020-08-18"
    assert doc.title == "Belarus: strikes spread to state factories as protests enter second week"
    assert doc.text.count("\n\n") >= 20
    for sentence in ("Workers at some of Belarus's biggest state-owned factories",
                     "On Sunday 16 August, more than 100,000 people marched",
                     "she was ready to act as a national leader."):
        assert sentence in doc.text
    for junk in ("cookies", "Newsletter", "Polish farmers", "All rights reserved", "dataLayer"):
        assert junk not in doc.text


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



def test_uploads_are_read_as_files_are(tmp_path: Path) -> None:
    """read_articles (what the dashboard's upload calls, through Store.ingest_bytes) and read_paths
    (what `python -m geo ingest` calls) give the same documents, the year-less one dated alike."""
    files = {
        "a.txt": ("Piece A title here\n\n2022-01-07 | Kazakhstan\n\n" + ARTICLE).encode(),
        "b.txt": ("Troops ordered to shoot\n\nALMATY, Jan 5 (Reuters) - " + ARTICLE).encode(),
        "wire.html": WIRE.data,
    }
    for name, data in files.items():
        write(tmp_path / name, data)
    from_files, file_problems = read_paths([tmp_path])
    uploaded, upload_problems = read_articles(list(files.items()) + [("notes.pdf", b"%PDF-1.4")])
    assert file_problems == [] and upload_problems == [Problem("notes.pdf", "unsupported file type '.pdf' "
                                                               "(expected .txt, .md, .html or .htm)")]
    by_file = {d.name: d for d in from_files}
    assert sorted(by_file) == sorted(d.name for d in uploaded)
    for doc in uploaded:
        other = by_file[doc.name]
        assert doc.path == "" and other.path == str(tmp_path / doc.name)
        other.path = ""
        assert doc == other
    b = by_file["b.txt"]
    assert (b.published, b.published_inferred) == ("2022-01-05", True)
    # read alone, the same bytes have no year: the batch is what dates them
    assert document_from_bytes("b.txt", files["b.txt"]).published is None

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


TIMELINE = ("Chronology of the unrest\n\nPublished 20 February 2015\n\n2013\n\n"
            "30 November – Riot police disperse the student camp on the main square before dawn; dozens of students "
            "are beaten and thirty-five are detained, and the city's mayor later denies having given the order.\n\n"
            "1 December – Hundreds of thousands rally in the capital.\n\n2014\n\n"
            "19 January: Clashes erupt near the parliament as protesters throw stones at the police lines.\n\n"
            "18 February – Clashes leave 26 dead.\n")


def test_timeline_entries_open_sections_whatever_their_length() -> None:
    # a long entry opens its part as a short one does, and the last entry is not a signature
    sections = find_sections(TIMELINE, "2015-02-20")
    firsts = [TIMELINE[s.start:s.end].split(" ")[:2] for s in sections]
    assert [s.date for s in sections] == ["2013-11-30", "2013-12-01", "2014-01-19", "2014-02-18"], firsts
    assert all(a.end <= b.start for a, b in zip(sections, sections[1:]))


def test_timeline_without_year_headings_keeps_counting_from_the_entry_before() -> None:
    # the first entry gives the year; the next ones are the nearest dates after it, across the new year,
    # never the year nearest the article's own date
    text = TIMELINE.replace("2013\n\n", "").replace("2014\n\n", "").replace("30 November –", "30 November 2013 –")
    assert [s.date for s in find_sections(text, "2015-02-20")] == [
        "2013-11-30", "2013-12-01", "2014-01-19", "2014-02-18"]


def test_timeline_entry_of_several_days_is_dated_by_its_last_day() -> None:
    text = ("Timeline\n\nJuly 2: Demonstrations take place in the capital to demand the end of the quota system.\n\n"
            "July 10-12: Students block junctions across the capital.\n\n"
            "14-16 July – Clashes reach other cities, and four people die.\n")
    assert [s.date for s in find_sections(text, "2024-08-05")] == ["2024-07-02", "2024-07-12", "2024-07-16"]


def test_weekday_date_headings_open_their_days() -> None:
    """"Tuesday, June 18" on its own line heads that day's part; it is no "Name, date" sign-off closing the
    part above it."""
    text = ("Day by day\n\nTuesday, June 18\nProtesters gathered in central Nairobi as parliament debated the bill.\n\n"
            "Thursday, June 20\nDemonstrations spread to Mombasa, Kisumu and Nakuru in the afternoon.\n\n"
            "Tuesday, June 25\nProtesters stormed parliament and set part of the building on fire.\n")
    assert [s.date for s in find_sections(text, "2024-06-28")] == ["2024-06-18", "2024-06-20", "2024-06-25"]
    sections = find_sections(text, "2024-06-28")
    assert text[sections[0].start:sections[0].end].startswith("Tuesday, June 18\nProtesters gathered")


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


def test_a_dotted_date_line_dates_the_article(tmp_path: Path) -> None:
    # Kazakh, Russian and European sites print "29.11.2024 14:05" above the text
    write(tmp_path / "a.txt", "Strike at the refinery\n\n29.11.2024 14:05\n\nATYRAU. Workers of the refinery went on "
                              "strike on Friday morning, the company said.\n".encode())
    docs, problems = read_paths(tmp_path)
    assert problems == [] and docs[0].published == "2024-11-29"


def test_a_byline_above_the_date_is_no_title(tmp_path: Path) -> None:
    text = ("Dockers strike at Mombasa port\n\nBy Staff Reporter\nPublished: 2023-03-02\n\n"
            "MOMBASA, March 2 (Reuters) - Dockers walked out at the port on Wednesday.\n")
    doc = read_document(write(tmp_path / "byline.txt", text.encode()))
    assert doc.title == "Dockers strike at Mombasa port"
    assert doc.published == "2023-03-02"


def test_a_publisher_and_date_line_above_the_date_is_no_title(tmp_path: Path) -> None:
    """"Title / Publisher, date / a date line": the title is the first line, not the publisher's signature,
    which would let the headline be read as a sentence of its own."""
    text = ("Dockers strike at Mombasa port\nCoast Weekly (Reuters), 2023-03-02\n\n2 March 2023 - 12:34\n\n"
            "MOMBASA (Reuters) - Dockers walked out at the port on Wednesday.\n")
    doc = read_document(write(tmp_path / "signature.txt", text.encode()))
    assert doc.title == "Dockers strike at Mombasa port"
    assert doc.published == "2023-03-02"
