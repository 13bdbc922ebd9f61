"""Find the dates an English news text talks about, as spans of calendar days.

Events are placed in time from phrases such as "on the night from 4 to 5
January", "last Sunday" or "in 2011". Each phrase becomes a :class:`TimeSpan`:
character offsets into the text, an inclusive ISO day span and a precision
(``day`` | ``range`` | ``month`` | ``year``). Phrases that need a reference
date ("yesterday", "on Tuesday", "5 January" without a year) are resolved
against the *anchor*, the date of the article or of the section they stand in;
without an anchor only phrases that state their year are returned.

Choices made here, so callers can rely on them:

* A day and month without a year take the year that puts them nearest the
  anchor without lying more than :data:`FUTURE_SLACK_DAYS` after it: news
  reports mostly look back ("December 28" in a report of 3 January 2022 is
  2021-12-28).
* Weekdays ("on Tuesday", "Wednesday night", "this Monday") mean the most
  recent such day on or before the anchor (the anchor itself when it is that
  weekday); "last Tuesday" means the most recent one strictly before the
  anchor. "next Tuesday" is the first one after it. A weekday followed by an
  explicit date ("Last Sunday, January 2") is one span and the date wins.
* "last night" and "overnight" are the two-day range anchor-1 .. anchor: the
  night straddles midnight and reports use both days for it.
* "the next day", "the following day", "the day before", "the same day"
  follow the last day or range tagged before them (day after its end, day
  before its start, its own span); without one they are not tagged.
* "since <date>" runs from that date to the anchor (precision ``range``).
* Decades ("the 1990s") are year-precision spans covering the ten years.
* ``relative`` is True when the calendar date was not written out but
  computed from the anchor or from an earlier date; a written day and month
  whose year is filled from the anchor is not relative.

Everything is done with regular expressions compiled once at import, so
tagging runs at hundreds of thousands of words per second.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable, Iterator

FUTURE_SLACK_DAYS = 31  # how far after the anchor a year-less date may fall ("until 19 January" told on the 5th)


@dataclass(frozen=True)
class TimeSpan:
    """A date expression found in a text, resolved to an inclusive span of days."""

    start: int
    end: int
    text: str
    date_start: str
    date_end: str
    precision: str  # day | range | month | year
    relative: bool


@dataclass(frozen=True)
class CalendarDate:
    """A written day and month (maybe with a year) found in a text."""

    start: int
    end: int
    text: str
    year: int | None
    month: int
    day: int


# --------------------------------------------------------------------------- vocabulary

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_FULL_MONTHS = frozenset(list(_MONTHS)[:12])
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6,
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3,
    "fri": 4, "sat": 5, "sun": 6,
}
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "a few": 3, "several": 3, "a couple of": 2,
}

# Month names must be capitalised ("may", "march" are ordinary words); the
# abbreviations take an optional full stop.
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?(?![a-z]))"
)
_WEEKDAY = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|(?:Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)\.?(?![a-z]))"
)
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89][0-9]{2}|20[0-9]{2})"
_END = r"(?![\d%]|[.,:]\d)"  # not followed by more digits, a percent or a time ("July 2: ..." is a date)
_DASH = r"\s*[-–—]\s*"
_RANGE_SEP = r"(?:\s*[-–—]\s*|\s+(?:to|until|till|through|and)\s+)"
_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))"
_NUM_WORD = (
    r"(?:\d{1,3}|a\s+few|a\s+couple\s+of|several|an?|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty"
    r"|thirty|forty|fifty)"
)

# day month [year]  |  month day [year]  |  Nth of month [year]
_DMY = rf"(?P<d1>{_DAY}){_END}(?:\s+of)?\s+(?P<m1>{_MONTH})(?:,?\s+(?P<y1>{_YEAR})(?!\d))?"
_MDY = rf"(?P<m2>{_MONTH}),?\s+(?P<d2>{_DAY}){_END}(?:,?\s+(?P<y2>{_YEAR})(?!\d))?"
_ISO = r"(?<![\d-])(?P<iy>(?:19|20)[0-9]{2})-(?P<im>0[1-9]|1[0-2])-(?P<id>0[1-9]|[12][0-9]|3[01])(?![\d-])"
# "29.11.2024" (day first, as dotted dates are written), "29/11/2024" or "11/29/2024" when one of the
# numbers cannot be a month; "05/06/2024" says neither and is left alone
_NUMERIC = r"(?<![\d.,/])(?P<na>[0-3]?[0-9])(?P<sep>[./])(?P<nb>[0-3]?[0-9])(?P=sep)(?P<ny>(?:19|20)[0-9]{2})(?![\d]|[.,/]\d)"


def _numeric_date(m: re.Match[str]) -> tuple[int, int, int] | None:
    """(year, month, day) of a numeric date match, or None when the order is ambiguous."""
    a, b, y = int(m.group("na")), int(m.group("nb")), int(m.group("ny"))
    if m.group("sep") == "." or a > 12:
        return y, b, a
    if b > 12:
        return y, a, b
    return None


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_I = r"(?i:{})"  # case-insensitive island inside a case-sensitive pattern


def _ci(words: str) -> str:
    return _I.format(words)


# Every pattern starts with a required core (a digit, a month or weekday name,
# a keyword) so the regex engine can skip ahead quickly; optional words before
# the core ("from", "last", "in") are read afterwards by a look-back pattern
# anchored at the core's start (see _before).

# Ranges of days: "4-5 January", "from 4 to 5 January", "between 3 and 6 January",
# "the night from 4 to 5 January", "January 3-4", "the night of January 3 to 4".
RE_DAY_RANGE = _compile(
    rf"(?P<a1>{_DAY}){_RANGE_SEP}(?P<b1>{_DAY}){_END}(?:\s+of)?\s+(?P<m1>{_MONTH})"
    rf"(?:,?\s+(?P<y1>{_YEAR})(?!\d))?"
    rf"|(?P<m2>{_MONTH})\s+(?P<a2>{_DAY}){_RANGE_SEP}(?P<b2>{_DAY}){_END}"
    rf"(?:,?\s+(?P<y2>{_YEAR})(?!\d))?"
)
RE_NIGHT_BEFORE = _compile(
    _ci(r"\b(?:(?:during|on|in)\s+)?the\s+night\s+(?:from|of|between)\s+|\b(?:from|between)\s+") + "$"
)
# A weekday, maybe with a part of the day, maybe followed by an explicit date
# that then wins: "Last Sunday, January 2", "Friday 7 January".
RE_WEEKDAY = _compile(
    rf"(?P<wd>{_WEEKDAY})(?![a-z])(?P<part>{_ci(_PART_OF_DAY)})?"
    rf"(?:,?\s+(?:{_ci('the')}\s+)?(?:{_DMY}|{_MDY}))?"
)
RE_WEEKDAY_MOD_BEFORE = _compile(_ci(r"\b(?P<mod>last|this|next|on|past|previous|coming)\s+") + "$")
RE_DATE = _compile(rf"{_DMY}|{_MDY}|{_ISO}|{_NUMERIC}")
# "since the 2nd", "on the 5th": a day of the anchor's month.
RE_ORDINAL_DAY = _compile(rf"(?P<d>(?:3[01]|[12][0-9]|[1-9])(?:st|nd|rd|th))(?!\w)(?!\s+(?:of\s+)?{_MONTH})")
RE_ORDINAL_BEFORE = _compile(_ci(r"\b(?:since|on|from|until|till|by)\s+(?P<the>the)\s+") + "$")
# "in July", "late November", "January 2022", "in December last year", "In October, last year", "last December".
RE_MONTH = _compile(
    rf"(?P<m>{_MONTH})(?:,?\s+(?:of\s+)?(?P<y>{_YEAR})(?!\d)|,?\s+(?P<rel>{_ci('last|this|next')})\s+{_ci('year')})?(?!\w)"
)
RE_MONTH_PREP_BEFORE = _compile(_ci(
    r"\b(?P<prep>in|during|since|by|until|till|through|throughout|from|of|to|last|this|next|early|late|"
    r"mid-|mid|end\s+of|beginning\s+of|start\s+of|middle\s+of|first\s+week\s+of|second\s+week\s+of|"
    r"third\s+week\s+of|last\s+week\s+of|first\s+days\s+of)(?:\s+|(?<=-))(?:the\s+)?"
) + "$")
RE_YEAR = _compile(rf"(?P<y>{_YEAR})(?![\d%]|\.\d|-\d|\s*(?:tenge|dollars|people|km)\b)")
RE_YEAR_PREP_BEFORE = _compile(_ci(
    r"\b(?:in|since|until|till|by|of|from|during|before|after|around|circa|throughout|to|and|"
    r"early|late|mid-|mid|spring|summer|autumn|fall|winter)(?:\s+|(?<=-))"
) + "$")
RE_DECADE = _compile(r"(?P<dec>(?:1[89]|20)[0-9]0)s\b")
RE_THE_BEFORE = _compile(_ci(r"\bthe\s+") + "$")
# "the 2011 Zhanaozen unrest", "the 2019 protests": a year naming the event after it (not "the 2000 workers")
RE_YEAR_OF_EVENT = re.compile(r"\s+(?:[A-Z][\w'’-]+|unrest|protests?|uprising|revolution|massacre|elections?|strikes?|"
                              r"riots?|crackdown|events|crisis|war|coup|referendum|vote|killings|shootings|"
                              r"demonstrations|rallies|movement|wave|presidential|parliamentary|general|"
                              r"constitutional|reforms?)\b")
RE_AGO = _compile(r"(?i:\sago\b)")
RE_AGO_BEFORE = _compile(
    rf"(?i:\b(?P<n>{_NUM_WORD})\s+(?P<unit>years?|decades?|months?|weeks?|days?))$"
)
RE_RELATIVE_WORD = _compile(
    r"(?i:\b(?P<w>the\s+day\s+before\s+yesterday|yesterday|today|tonight|"
    r"this\s+(?:morning|afternoon|evening|year|month|week)|last\s+(?:night|evening|year|month|week)|"
    r"overnight|(?:next|previous|past)\s+(?:year|month|week)|new\s+year['’]?s\s+(?:day|eve)|recent\s+days|recent\s+weeks|"
    r"(?:last|this|past)\s+(?:winter|spring|summer|autumn|fall)|"
    r"(?:over|on|at|during|throughout)\s+the\s+weekend|(?:last|this|past)\s+weekend|"
    r"orthodox\s+christmas|christmas(?:\s+(?:day|eve))?)\b)"
)
RE_FOLLOWING = _compile(
    r"(?i:\b(?P<w>the\s+(?:next|following|previous)\s+(?:day|morning|evening|night)|"
    r"the\s+day\s+(?:after|before)(?!\s+yesterday)|"
    r"(?:the|that|this)\s+(?:very\s+)?same\s+day|that\s+(?:night|evening|afternoon|morning|day)|"
    r"(?P<n>a|one|two|three|four|five|six|seven|\d)\s+days?\s+(?:later|afterwards|after\s+that|earlier))\b)"
)
_DAY_COUNTS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
SINCE_BEFORE = re.compile(r"(?i:\bsince\s+(?:the\s+)?)$")


def _before(pattern: re.Pattern[str], text: str, pos: int, width: int = 40) -> re.Match[str] | None:
    """The match of ``pattern`` (anchored with ``$``) that ends exactly at ``pos``."""
    return pattern.search(text, max(0, pos - width), pos)


def _glued_number(text: str, pos: int) -> bool:
    """True when a number starting at ``pos`` is the tail of a larger one ("3,000", "1.5")."""
    return pos > 0 and (text[pos - 1].isdigit() or (text[pos - 1] in ",." and pos > 1 and text[pos - 2].isdigit()))


# --------------------------------------------------------------------------- date helpers

def _as_date(anchor: str | date | None) -> date | None:
    if anchor is None or isinstance(anchor, date):
        return anchor
    try:
        return date.fromisoformat(str(anchor)[:10])
    except ValueError:
        return None


def _day_num(token: str) -> int:
    return int(re.match(r"\d+", token).group())


def _month_num(token: str) -> int:
    return _MONTHS[token.rstrip(".").lower()]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def nearest_year(month: int, day: int, anchor: date, latest: date | None = None) -> date | None:
    """The date with this month and day nearest the anchor, not later than FUTURE_SLACK_DAYS after it,
    or than ``latest`` (the article's own date) when the anchor is an earlier section's: in a timeline
    whose entry "Jan. 1" opens a section, "Feb. 8" is the February after it, up to the article's date."""
    best: date | None = None
    limit = anchor + timedelta(days=FUTURE_SLACK_DAYS)
    if latest is not None and latest > limit:
        limit = latest
    for year in range(anchor.year + 1, anchor.year - 5, -1):  # four years back: 29 February
        d = _safe_date(year, month, day)
        if d is None or d > limit:
            continue
        if best is None or abs((d - anchor).days) < abs((best - anchor).days):
            best = d
    return best


def _month_nearest_past(month: int, anchor: date) -> int:
    """The year of the most recent such month at or before the anchor's month."""
    return anchor.year if month <= anchor.month else anchor.year - 1


def _weekday_on_or_before(weekday: int, anchor: date, strictly_before: bool) -> date:
    back = (anchor.weekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return anchor - timedelta(days=back)


def _weekday_after(weekday: int, anchor: date) -> date:
    ahead = (weekday - anchor.weekday()) % 7 or 7
    return anchor + timedelta(days=ahead)


def _span(m: re.Match[str] | tuple[int, int], text: str, d1: date, d2: date, precision: str,
          relative: bool) -> TimeSpan:
    start, end = (m.start(), m.end()) if isinstance(m, re.Match) else m
    if precision == "day" and d1 != d2:
        precision = "range"
    return TimeSpan(start, end, text[start:end], d1.isoformat(), d2.isoformat(), precision, relative)


def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, monthrange(year, month)[1])


def _resolve_day(year: str | None, month: int, day: int, anchor: date | None,
                 latest: date | None = None) -> date | None:
    if year:
        return _safe_date(int(year), month, day)
    if anchor is None:
        return None
    return nearest_year(month, day, anchor, latest)


# --------------------------------------------------------------------------- the passes

Candidate = tuple[int, int, int, TimeSpan]  # start, end, priority, span
Finder = Callable[[str, "date | None"], Iterator[TimeSpan]]


def _find_iso_and_dates(text: str, anchor: date | None, latest: date | None = None) -> Iterator[TimeSpan]:
    for m in RE_DATE.finditer(text):
        if _glued_number(text, m.start()):
            continue
        if m.group("iy"):
            d = _safe_date(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
        elif m.group("na"):
            ymd = _numeric_date(m)
            d = _safe_date(*ymd) if ymd else None
        elif m.group("m1"):
            d = _resolve_day(m.group("y1"), _month_num(m.group("m1")), _day_num(m.group("d1")), anchor, latest)
        else:
            d = _resolve_day(m.group("y2"), _month_num(m.group("m2")), _day_num(m.group("d2")), anchor, latest)
        if d is not None:
            yield _span(m, text, d, d, "day", False)


def _find_day_ranges(text: str, anchor: date | None, latest: date | None = None) -> Iterator[TimeSpan]:
    for m in RE_DAY_RANGE.finditer(text):
        if _glued_number(text, m.start()):
            continue
        if m.group("m1"):
            a, b, month, year = m.group("a1"), m.group("b1"), m.group("m1"), m.group("y1")
        else:
            a, b, month, year = m.group("a2"), m.group("b2"), m.group("m2"), m.group("y2")
        first, last, mon = _day_num(a), _day_num(b), _month_num(month)
        if last <= first:
            continue
        end = _resolve_day(year, mon, last, anchor, latest)
        if end is None:
            continue
        start = _safe_date(end.year, mon, first)
        if start is not None:
            lead = _before(RE_NIGHT_BEFORE, text, m.start())
            pos = lead.start() if lead else m.start()
            yield _span((pos, m.end()), text, start, end, "range", False)


def _find_weekdays(text: str, anchor: date | None, latest: date | None = None) -> Iterator[TimeSpan]:
    for m in RE_WEEKDAY.finditer(text):
        if m.start() > 0 and text[m.start() - 1].isalpha():
            continue
        lead = _before(RE_WEEKDAY_MOD_BEFORE, text, m.start(), 12)
        pos = lead.start() if lead else m.start()
        if m.group("m1") or m.group("m2"):
            if m.group("m1"):
                d = _resolve_day(m.group("y1"), _month_num(m.group("m1")), _day_num(m.group("d1")), anchor, latest)
            else:
                d = _resolve_day(m.group("y2"), _month_num(m.group("m2")), _day_num(m.group("d2")), anchor, latest)
            if d is not None:
                yield _span((pos, m.end()), text, d, d, "day", False)
            continue
        if anchor is None:
            continue
        wd = _WEEKDAYS[m.group("wd").rstrip(".").lower()]
        mod = lead.group("mod").lower() if lead else ""
        if len(m.group("wd").rstrip(".")) <= 4 and not mod:
            continue  # a bare "Sun" or "Wed" is too often something else
        if mod in ("next", "coming"):
            d = _weekday_after(wd, anchor)
        else:
            d = _weekday_on_or_before(wd, anchor, strictly_before=mod in ("last", "past", "previous"))
        yield _span((pos, m.end()), text, d, d, "day", True)


def _find_ordinal_days(text: str, anchor: date | None) -> Iterator[TimeSpan]:
    if anchor is None:
        return
    for m in RE_ORDINAL_DAY.finditer(text):
        lead = _before(RE_ORDINAL_BEFORE, text, m.start(), 16)
        if lead is None or _glued_number(text, m.start()):
            continue
        day = _day_num(m.group("d"))
        d = _safe_date(anchor.year, anchor.month, day)
        if d is None or d > anchor + timedelta(days=FUTURE_SLACK_DAYS):
            prev = anchor.replace(day=1) - timedelta(days=1)
            d = _safe_date(prev.year, prev.month, day)
        if d is not None:
            yield _span((lead.start("the"), m.end()), text, d, d, "day", True)


def _find_months(text: str, anchor: date | None) -> Iterator[TimeSpan]:
    for m in RE_MONTH.finditer(text):
        if m.start() > 0 and text[m.start() - 1].isalpha():
            continue
        lead = _before(RE_MONTH_PREP_BEFORE, text, m.start(), 24)
        prep = re.sub(r"\s+", " ", lead.group("prep").lower()) if lead else ""
        token = m.group("m")
        month = _month_num(token)
        start = lead.start() if prep in ("last", "this", "next") or prep in _PART_OF_MONTH else m.start()
        if m.group("y"):
            yield _part_of_month(text, start, m.end(), int(m.group("y")), month, prep, False)
            continue
        if not prep or anchor is None:
            continue  # a bare month name is often not a date ("March", "May")
        if token.lower() not in _FULL_MONTHS:
            continue  # "in Jan" is too ambiguous without a day
        rel = (m.group("rel") or "").lower() or (prep if prep in ("last", "this", "next") else "")
        if rel == "last":
            year = anchor.year - 1 if m.group("rel") or month >= anchor.month else anchor.year
        elif rel == "next":
            year = anchor.year + 1 if m.group("rel") or month <= anchor.month else anchor.year
        elif rel == "this":
            year = anchor.year
        else:
            year = _month_nearest_past(month, anchor)
        yield _part_of_month(text, start, m.end(), year, month, prep, bool(rel))


# "early October" is its first ten days, "mid-February" the middle ten, "late May" the rest.
_PART_OF_MONTH = {"early": (1, 10), "beginning of": (1, 10), "start of": (1, 10), "mid": (11, 20), "mid-": (11, 20),
                  "middle of": (11, 20), "late": (21, 31), "end of": (21, 31), "first week of": (1, 7),
                  "second week of": (8, 14), "third week of": (15, 21), "last week of": (22, 31), "first days of": (1, 7)}


def _part_of_month(text: str, start: int, end: int, year: int, month: int, prep: str, relative: bool) -> TimeSpan:
    d1, d2 = _month_span(year, month)
    part = _PART_OF_MONTH.get(prep)
    if part is None:
        return _span((start, end), text, d1, d2, "month", relative)
    if prep == "last week of":  # the month's last seven days, whatever its length
        return _span((start, end), text, d2 - timedelta(days=6), d2, "range", relative)
    return _span((start, end), text, d1.replace(day=part[0]), d2.replace(day=min(part[1], d2.day)), "range", relative)


def _find_years(text: str, anchor: date | None) -> Iterator[TimeSpan]:
    for m in RE_YEAR.finditer(text):
        if _glued_number(text, m.start()) or (_before(RE_YEAR_PREP_BEFORE, text, m.start(), 16) is None and not (
                _before(RE_THE_BEFORE, text, m.start(), 8) and RE_YEAR_OF_EVENT.match(text, m.end()))):
            continue
        y = int(m.group("y"))
        yield _span(m, text, date(y, 1, 1), date(y, 12, 31), "year", False)
    for m in RE_DECADE.finditer(text):
        lead = _before(RE_THE_BEFORE, text, m.start(), 8)
        if lead is None or _glued_number(text, m.start()):
            continue
        y = int(m.group("dec"))
        yield _span((lead.start(), m.end()), text, date(y, 1, 1), date(y + 9, 12, 31), "year", False)


def _number(word: str) -> int:
    word = re.sub(r"\s+", " ", word.lower())
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


# Half the window an "N years ago" stands for (a year's width in all).
AGO_HALF_YEAR = timedelta(days=182)


def _find_ago(text: str, anchor: date | None) -> Iterator[TimeSpan]:
    if anchor is None:
        return
    for tail in RE_AGO.finditer(text):
        m = _before(RE_AGO_BEFORE, text, tail.start(), 30)
        if m is None or _glued_number(text, m.start()):
            continue
        n = _number(m.group("n"))
        unit = m.group("unit").lower().rstrip("s")
        m = (m.start(), tail.end())
        if unit in ("year", "decade"):
            # "ten years ago" told in January 2022 is about January 2012, give or take months: the year
            # around that day, not the calendar year (which would put a December 2011 event out of reach)
            y = anchor.year - n * (10 if unit == "decade" else 1)
            if y >= 1:
                then = date(y, anchor.month, min(anchor.day, 28))
                yield _span(m, text, then - AGO_HALF_YEAR, then + AGO_HALF_YEAR, "year", True)
        elif unit == "month":
            total = anchor.year * 12 + anchor.month - 1 - n
            d1, d2 = _month_span(total // 12, total % 12 + 1)
            yield _span(m, text, d1, d2, "month", True)
        else:
            d = anchor - timedelta(days=n * (7 if unit == "week" else 1))
            yield _span(m, text, d, d, "day", True)


# Northern-hemisphere seasons as months (first, last); winter runs from December into the next year.
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}


def _season(which: str, season: str, anchor: date) -> tuple[date, date]:
    """ "last winter" told in August 2020 is December 2019 to February 2020; "this summer" is this year's."""
    first, last = _SEASONS[season]
    start_year = anchor.year if which == "this" else anchor.year - 1
    if season == "winter":
        # told in January or February, a winter began a December earlier ("this winter" in January 2022
        # began in December 2021, "last winter" in December 2020)
        # ... and "this winter" told in spring is the winter just past (December 2022 to February 2023,
        # told in March 2023), not the next one
        if anchor.month <= 2 or (which == "this" and anchor.month <= 5):
            start_year -= 1
        return date(start_year, 12, 1), _month_span(start_year + 1, 2)[1]
    if which != "this" and anchor.month > last:
        start_year = anchor.year  # "last summer" told in November is this year's
    return date(start_year, first, 1), _month_span(start_year, last)[1]


def _find_relative_words(text: str, anchor: date | None) -> Iterator[TimeSpan]:
    if anchor is None:
        return
    one = timedelta(days=1)
    for m in RE_RELATIVE_WORD.finditer(text):
        w = re.sub(r"\s+", " ", m.group("w").lower()).replace("’", "'")
        if w in ("today", "tonight", "this morning", "this afternoon", "this evening"):
            yield _span(m, text, anchor, anchor, "day", True)
        elif w == "yesterday":
            yield _span(m, text, anchor - one, anchor - one, "day", True)
        elif w == "the day before yesterday":
            yield _span(m, text, anchor - 2 * one, anchor - 2 * one, "day", True)
        elif w == "last evening":
            yield _span(m, text, anchor - one, anchor - one, "day", True)
        elif w.split()[-1] in _SEASONS:
            yield _span(m, text, *_season(w.split()[0], w.split()[-1], anchor), "range", True)
        elif w.endswith("weekend"):
            # news says "the weekend" of the latest Saturday and Sunday up to its day ("this weekend" told
            # on a Sunday is today's); "last weekend" told on a weekend is the one before
            saturday = anchor - timedelta(days=(anchor.weekday() - 5) % 7)
            if w.startswith("last") and anchor.weekday() >= 5:
                saturday -= 7 * one
            yield _span(m, text, saturday, min(saturday + one, anchor), "range" if saturday < anchor else "day", True)
        elif w == "recent days":  # the week before the article's day
            yield _span(m, text, anchor - 7 * one, anchor - one, "range", True)
        elif w == "recent weeks":  # the four weeks before it
            yield _span(m, text, anchor - 28 * one, anchor - one, "range", True)
        elif w in ("last night", "overnight"):
            yield _span(m, text, anchor - one, anchor, "range", True)
        elif w.endswith("year"):
            y = anchor.year + {"last": -1, "previous": -1, "past": -1, "this": 0, "next": 1}[w.split()[0]]
            yield _span(m, text, date(y, 1, 1), date(y, 12, 31), "year", True)
        elif w.endswith("month"):
            shift = {"last": -1, "previous": -1, "past": -1, "this": 0, "next": 1}[w.split()[0]]
            total = anchor.year * 12 + anchor.month - 1 + shift
            d1, d2 = _month_span(total // 12, total % 12 + 1)
            yield _span(m, text, d1, d2, "month", True)
        elif w.endswith("week"):
            monday = anchor - timedelta(days=anchor.weekday())
            kind = w.split()[0]
            if kind == "this":
                yield _span(m, text, monday, anchor, "range", True)
            elif kind == "next":
                yield _span(m, text, monday + 7 * one, monday + 13 * one, "range", True)
            elif kind == "past":
                yield _span(m, text, anchor - 7 * one, anchor - one, "range", True)
            else:
                yield _span(m, text, monday - 7 * one, monday - one, "range", True)
        else:
            month, day = {
                "new year's day": (1, 1), "new years day": (1, 1),
                "new year's eve": (12, 31), "new years eve": (12, 31),
                "orthodox christmas": (1, 7), "christmas eve": (12, 24),
            }.get(w, (12, 25))
            d = nearest_year(month, day, anchor)
            if d is not None:
                yield _span(m, text, d, d, "day", True)


_FINDERS: tuple[tuple[int, Finder], ...] = (
    (9, _find_day_ranges),
    (8, _find_weekdays),
    (7, _find_iso_and_dates),
    (6, _find_relative_words),
    (5, _find_ago),
    (4, _find_ordinal_days),
    (3, _find_months),
    (2, _find_years),
)


# The finders of written days, whose year may run up to the article's own date (``nearest_year``).
_DAY_FINDERS = (_find_iso_and_dates, _find_day_ranges, _find_weekdays)


def _choose(candidates: list[Candidate]) -> list[TimeSpan]:
    """Keep the longest, then highest-priority, spans that do not overlap."""
    # the kept spans never overlap, so sorted by start they are sorted by end too: one bisection
    # finds the only two that could overlap a candidate (linear time in a long article)
    starts: list[int] = []
    ends: list[int] = []
    kept: list[TimeSpan] = []
    for start, end, _prio, span in sorted(candidates, key=lambda c: (-(c[1] - c[0]), -c[2], c[0])):
        i = bisect_left(starts, start)
        if (i > 0 and ends[i - 1] > start) or (i < len(starts) and starts[i] < end):
            continue
        starts.insert(i, start)
        ends.insert(i, end)
        kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def _join_ranges(text: str, spans: list[TimeSpan]) -> list[TimeSpan]:
    """"from 28 December to 2 January", "between December 2022 and February 2023": two dated days (or
    months) joined by "to" make one range; joined by "and" only after "between" ("on March 3 and March 9"
    are two days, not the week between them)."""
    out: list[TimeSpan] = []
    for span in spans:
        prev = out[-1] if out else None
        gap = text[prev.end:span.start] if prev is not None else ""
        if (prev is not None and prev.precision == span.precision and span.precision in ("day", "month")
                and not prev.relative and not span.relative
                and re.fullmatch(_RANGE_SEP, gap)
                and (not re.fullmatch(r"\s+and\s+", gap)
                     or re.search(r"(?i:\bbetween\s+)$", text[max(0, prev.start - 9):prev.start]))
                and prev.date_start < span.date_start
                and (date.fromisoformat(span.date_start) - date.fromisoformat(prev.date_start)).days <= 366):
            before = text[max(0, prev.start - 8):prev.start]
            start = prev.start
            lead = re.search(r"(?i:\b(?:from|between)\s+)$", before)
            if lead:
                start = prev.start - len(lead.group())
            out[-1] = TimeSpan(start, span.end, text[start:span.end], prev.date_start,
                               span.date_end, "range", False)
        else:
            out.append(span)
    return out


def _apply_since(text: str, spans: list[TimeSpan], anchor: date | None) -> list[TimeSpan]:
    """"since January 2" runs from that day to the anchor."""
    if anchor is None:
        return spans
    out = []
    for s in spans:
        m = SINCE_BEFORE.search(text, max(0, s.start - 12), s.start)
        if m and s.precision in ("day", "month") and s.date_start <= anchor.isoformat():
            start = m.start()
            s = TimeSpan(start, s.end, text[start:s.end], s.date_start, anchor.isoformat(),
                         "range" if s.date_start != anchor.isoformat() else "day", s.relative)
        out.append(s)
    return out


def _apply_following(text: str, spans: list[TimeSpan]) -> list[TimeSpan]:
    """"the next day" and the like, relative to the day tagged before them."""
    extra: list[TimeSpan] = []
    matches = list(RE_FOLLOWING.finditer(text))
    if not matches:
        return spans
    merged = sorted(spans, key=lambda s: s.start)
    starts = [s.start for s in merged]
    one = timedelta(days=1)
    for m in matches:
        i = bisect_left(starts, m.end())  # merged[:i] start before the match ends
        if any(s.end > m.start() for s in merged[max(0, i - 2):i]):
            continue  # overlaps a tagged expression
        ref = next((merged[k] for k in range(i - 1, -1, -1)
                    if merged[k].end <= m.start() and merged[k].precision in ("day", "range")), None)
        if ref is None:
            continue
        w = re.sub(r"\s+", " ", m.group("w").lower())
        if m.group("n"):  # "two days later" / "three days earlier"
            n = m.group("n").lower()
            k = int(n) if n.isdigit() else _DAY_COUNTS[n]
            d1 = d2 = (date.fromisoformat(ref.date_start) - k * one if "earlier" in w
                       else date.fromisoformat(ref.date_end) + k * one)
        elif "next" in w or "following" in w or "after" in w:
            d1 = d2 = date.fromisoformat(ref.date_end) + one
        elif "previous" in w or "before" in w:
            d1 = d2 = date.fromisoformat(ref.date_start) - one
        else:
            d1, d2 = date.fromisoformat(ref.date_start), date.fromisoformat(ref.date_end)
        span = _span(m, text, d1, d2, "day", True)
        extra.append(span)
        j = bisect_right(starts, span.start)
        starts.insert(j, span.start)
        merged.insert(j, span)
    return merged


def _overnight_after_a_day(text: str, spans: list[TimeSpan]) -> list[TimeSpan]:
    """ "While on 4 January the mood was exultant, overnight it changed": "overnight" told after a
    written day in the same sentence is the night after that day, not the night before the article."""
    out: list[TimeSpan] = []
    last_day: TimeSpan | None = None  # the last written day so far (an earlier one is further away)
    for span in spans:
        if span.relative and span.text.lower() == "overnight":
            # (the same sentence: not across a sentence end or a line break, as after a "Jan 6, 06:15 GMT" heading)
            if last_day is not None and not re.search(r"[.!?]\s|\n", text[last_day.end:span.start]):
                day = date.fromisoformat(last_day.date_end)
                span = TimeSpan(span.start, span.end, span.text, day.isoformat(),
                                (day + timedelta(days=1)).isoformat(), "range", True)
        elif not span.relative and span.precision == "day":
            last_day = span
        out.append(span)
    return out


_HALF = re.compile(r"(?i)\b(?:the\s+)?(?P<which>first|second|1st|2nd)\s+half\s+of\s+(?:the\s+year\s+)?$")


# The part of a year a qualifier names: "early 2022", "the end of 2021", "in the first days of 2022"
_YEAR_PART = re.compile(r"(?i)\b(?P<part>early|mid-?|late|(?:the\s+)?(?:beginning|start|end|middle|"
                        r"first\s+(?:days|weeks)|last\s+(?:days|weeks))\s+of(?:\s+the)?)\s*$")
_YEAR_PARTS = {"early": ("01-01", "04-30"), "mid": ("05-01", "08-31"), "middle": ("05-01", "08-31"),
               "late": ("09-01", "12-31"), "beginning": ("01-01", "01-31"), "start": ("01-01", "01-31"),
               "first": ("01-01", "01-31"), "end": ("12-01", "12-31"), "last": ("12-01", "12-31")}


def _halves(text: str, spans: list[TimeSpan]) -> list[TimeSpan]:
    """ "the first half of 2021": January to June of that year, not the whole year; "early 2022", "the end of
    2021", "the first days of 2022": that part of the year."""
    out = []
    for span in spans:
        before = text[max(0, span.start - 40):span.start]
        m = _HALF.search(before)
        if m and span.precision == "year":
            year = span.date_start[:4]
            first = m.group("which").lower() in ("first", "1st")
            start, end = (f"{year}-01-01", f"{year}-06-30") if first else (f"{year}-07-01", f"{year}-12-31")
            span = TimeSpan(span.start - len(m.group(0)), span.end, text[span.start - len(m.group(0)):span.end],
                            start, end, "month", span.relative)
        elif span.precision == "year" and span.date_start[5:] == "01-01" and span.date_end[5:] == "12-31" \
                and span.date_start[:4] == span.date_end[:4] and (p := _YEAR_PART.search(before)):
            year = span.date_start[:4]
            word = re.sub(r"(?i)^the\s+", "", p.group("part")).split()[0].rstrip("-").lower()
            first_day, last_day = _YEAR_PARTS[word]
            span = TimeSpan(span.start - len(p.group(0)), span.end, text[span.start - len(p.group(0)):span.end],
                            f"{year}-{first_day}", f"{year}-{last_day}", "month", span.relative)
        out.append(span)
    return out


def tag(text: str, anchor: str | date | None, latest: str | date | None = None) -> list[TimeSpan]:
    """Every date expression of ``text``, resolved against ``anchor``, in text order.

    ``anchor`` is the ISO date (or ``date``) of the article or section; with
    ``None`` only expressions stating their own year are returned. A bare
    weekday is the latest such day on or before the anchor (news usage).
    """
    ref = _as_date(anchor)
    candidates: list[Candidate] = []
    last = _as_date(latest)
    for priority, finder in _FINDERS:
        found = finder(text, ref, last) if finder in _DAY_FINDERS else finder(text, ref)
        for span in found:
            candidates.append((span.start, span.end, priority, span))
    spans = _choose(candidates)
    spans = _join_ranges(text, spans)
    spans = _apply_since(text, spans, ref)
    spans = _share_year(text, spans)
    spans = _halves(text, spans)
    spans = _overnight_after_a_day(text, spans)
    return _apply_following(text, spans)


_MONTH_JOIN = re.compile(r"\s*(?:and|or|to|through|until|-|–|—)\s*$")


def _share_year(text: str, spans: list[TimeSpan]) -> list[TimeSpan]:
    """ "In April and May 2016": a month written without a year, joined to a month with one, takes its
    year (both are 2016), and the two read as one span of months."""
    out: list[TimeSpan] = []
    for span in spans:
        prev = out[-1] if out else None
        if (prev is not None and prev.precision == "month" and span.precision == "month"
                and not re.search(r"\d{4}", prev.text) and re.search(r"\d{4}", span.text)
                and _MONTH_JOIN.match(text[prev.end:span.start])):
            month = prev.date_start[5:7]
            start = f"{span.date_start[:4]}-{month}-01"
            if start <= span.date_start:
                out[-1] = TimeSpan(prev.start, span.end, text[prev.start:span.end], start, span.date_end,
                                   "month", False)
                continue
        out.append(span)
    return out


def find_calendar_dates(text: str) -> list[CalendarDate]:
    """Written day-and-month dates ("6 January 2022", "Jan 6", "2022-01-07",
    "January, 10th 2022"), with their year when one is written.

    Used to find an article's own date; no anchor is needed because nothing is
    resolved.
    """
    out: list[CalendarDate] = []
    for m in RE_DATE.finditer(text):
        if m.group("iy"):
            y, mo, d = int(m.group("iy")), int(m.group("im")), int(m.group("id"))
        elif m.group("na"):
            ymd = _numeric_date(m)
            if ymd is None:
                continue
            y, mo, d = ymd
        elif m.group("m1"):
            y = int(m.group("y1")) if m.group("y1") else None
            mo, d = _month_num(m.group("m1")), _day_num(m.group("d1"))
        else:
            y = int(m.group("y2")) if m.group("y2") else None
            mo, d = _month_num(m.group("m2")), _day_num(m.group("d2"))
        if _safe_date(y or 2000, mo, d) is None:  # 2000 is a leap year: 29 February passes
            continue
        out.append(CalendarDate(m.start(), m.end(), m.group(), y, mo, d))
    return out
