"""The temporal tagger on each supported form, on year inference, on numbers
that are not dates, and on the seed articles (speed is measured in bench/, not here)."""
from __future__ import annotations

import csv
from datetime import date

import pytest

from geo.paths import SEEDS_DIR
from geo.timex import TimeSpan, find_calendar_dates, nearest_year, tag

FRIDAY = "2022-01-07"  # the anchor used throughout: a Friday; 2022-01-02 is a Sunday


def spans(text: str, anchor: str | None = FRIDAY) -> list[tuple[str, str, str, str]]:
    return [(s.text, s.date_start, s.date_end, s.precision) for s in tag(text, anchor)]


def one(text: str, anchor: str | None = FRIDAY) -> TimeSpan:
    found = tag(text, anchor)
    assert len(found) == 1, found
    assert text[found[0].start:found[0].end] == found[0].text
    return found[0]


@pytest.mark.parametrize("text, expected", [
    ("January 2", ("2022-01-02", "2022-01-02", "day")),
    ("2 January", ("2022-01-02", "2022-01-02", "day")),
    ("Jan. 5", ("2022-01-05", "2022-01-05", "day")),
    ("5th of January", ("2022-01-05", "2022-01-05", "day")),
    ("January 5, 2022", ("2022-01-05", "2022-01-05", "day")),
    ("January, 10th 2022", ("2022-01-10", "2022-01-10", "day")),
    ("2022-01-07 | Kazakhstan", ("2022-01-07", "2022-01-07", "day")),
    ("4-5 January", ("2022-01-04", "2022-01-05", "range")),
    ("4 and 5 January", ("2022-01-04", "2022-01-05", "range")),
    ("from 4 to 5 January", ("2022-01-04", "2022-01-05", "range")),
    ("between 3 and 6 January", ("2022-01-03", "2022-01-06", "range")),
    ("the night from 4 to 5 January", ("2022-01-04", "2022-01-05", "range")),
    ("the night of January 3 to 4", ("2022-01-03", "2022-01-04", "range")),
    ("January 3-4", ("2022-01-03", "2022-01-04", "range")),
    ("from 28 December to 2 January", ("2021-12-28", "2022-01-02", "range")),
])
def test_absolute_dates(text: str, expected: tuple[str, str, str]) -> None:
    s = one(text)
    assert (s.date_start, s.date_end, s.precision) == expected
    assert s.relative is False


def test_range_span_covers_the_whole_phrase() -> None:
    text = "Crowds gathered on the night from 4 to 5 January in Almaty."
    s = one(text)
    assert s.text == "on the night from 4 to 5 January"


def test_year_less_date_takes_the_year_nearest_the_anchor() -> None:
    assert one("December 28", "2022-01-03").date_start == "2021-12-28"
    assert one("on 9 January", "2022-01-07").date_start == "2022-01-09"  # a few days ahead is allowed
    assert one("on 20 March", "2022-01-07").date_start == "2021-03-20"  # far ahead is not
    assert nearest_year(2, 29, date(2022, 1, 7)) == date(2020, 2, 29)


@pytest.mark.parametrize("text, anchor, span", [
    ("Students marched over the weekend.", "2024-12-04", ("2024-11-30", "2024-12-01")),  # told on a Wednesday
    ("The rally took place last weekend.", "2024-12-04", ("2024-11-30", "2024-12-01")),
    ("The rally took place last weekend.", "2024-12-01", ("2024-11-23", "2024-11-24")),  # told on a Sunday
    ("Police detained 50 people this weekend.", "2024-12-01", ("2024-11-30", "2024-12-01")),
    ("Protesters gathered on the weekend.", "2024-11-30", ("2024-11-30", "2024-11-30")),  # not after its day
])
def test_weekends(text: str, anchor: str, span: tuple[str, str]) -> None:
    found = tag(text, anchor)
    assert [(t.date_start, t.date_end) for t in found] == [span]


@pytest.mark.parametrize("text, day", [
    ("last Sunday", "2022-01-02"),
    ("on Tuesday", "2022-01-04"),
    ("Wednesday night", "2022-01-05"),
    ("last Monday", "2022-01-03"),
    ("Sunday morning", "2022-01-02"),
    ("this Monday", "2022-01-03"),
    ("on Friday", "2022-01-07"),  # the anchor's own weekday: the anchor day
    ("last Friday", "2021-12-31"),  # "last" with the anchor's weekday: a week before
    ("next Monday", "2022-01-10"),
])
def test_weekdays(text: str, day: str) -> None:
    s = one(text)
    assert (s.date_start, s.date_end, s.precision, s.relative) == (day, day, "day", True)


def test_weekday_followed_by_date_is_one_span_and_the_date_wins() -> None:
    s = one("Last Sunday, January 2, mass protests broke out", FRIDAY)
    assert s.text == "Last Sunday, January 2" and s.date_start == "2022-01-02" and not s.relative
    s = one("They arrived on Friday 7 January.", "2022-01-10")
    assert s.text == "on Friday 7 January" and s.date_start == "2022-01-07"
    s = one("on Sunday morning, January 2, in Zhanaozen", "2022-01-10")
    assert s.date_start == "2022-01-02"


@pytest.mark.parametrize("text, first, last, precision", [
    ("today", FRIDAY, FRIDAY, "day"),
    ("this morning", FRIDAY, FRIDAY, "day"),
    ("this evening", FRIDAY, FRIDAY, "day"),
    ("tonight", FRIDAY, FRIDAY, "day"),
    ("yesterday", "2022-01-06", "2022-01-06", "day"),
    ("the day before yesterday", "2022-01-05", "2022-01-05", "day"),
    ("last night", "2022-01-06", FRIDAY, "range"),
    ("Overnight", "2022-01-06", FRIDAY, "range"),
    ("on new year's day", "2022-01-01", "2022-01-01", "day"),
    ("on new year’s day", "2022-01-01", "2022-01-01", "day"),
    ("at Christmas", "2021-12-25", "2021-12-25", "day"),
    ("last week", "2021-12-27", "2022-01-02", "range"),
])
def test_relative_words(text: str, first: str, last: str, precision: str) -> None:
    s = one(text)
    assert (s.date_start, s.date_end, s.precision, s.relative) == (first, last, precision, True)


def test_next_day_follows_the_previous_tagged_day() -> None:
    found = spans("On January 4 the strike spread. The next day troops came. The following day, calm.")
    assert found[1] == ("The next day", "2022-01-05", "2022-01-05", "day")
    assert found[2] == ("The following day", "2022-01-06", "2022-01-06", "day")
    found = spans("Protests began on 4 January. The same day the akim resigned.")
    assert found[1] == ("The same day", "2022-01-04", "2022-01-04", "day")


def test_next_day_without_a_previous_date_is_not_tagged() -> None:
    assert spans("The next day the protest continued.") == []


def test_a_range_of_months() -> None:
    assert spans("between December 2020 and February 2021") == [
        ("between December 2020 and February 2021", "2020-12-01", "2021-02-28", "range")]
    assert spans("from December 2020 to February 2021") == [
        ("from December 2020 to February 2021", "2020-12-01", "2021-02-28", "range")]


@pytest.mark.parametrize("text, anchor, first, last", [
    ("last winter", "2020-08-10", "2019-12-01", "2020-02-29"),
    ("this summer", "2020-08-10", "2020-06-01", "2020-08-31"),
    ("last summer", "2020-11-10", "2020-06-01", "2020-08-31"),
    ("this winter", "2022-01-07", "2021-12-01", "2022-02-28"),
    ("this winter", "2022-12-10", "2022-12-01", "2023-02-28"),
    # told in spring, "this winter" is the one just past
    ("this winter", "2023-03-30", "2022-12-01", "2023-02-28"),
])
def test_seasons(text, anchor, first, last) -> None:
    assert [(s.date_start, s.date_end) for s in tag(f"Workers struck {text}.", anchor)] == [(first, last)]


def test_overnight_after_a_heading_line_is_the_night_before_its_day() -> None:
    """A liveblog entry headed "Jan 6, 06:15 GMT" that tells of deaths "overnight" means the night of 5 to 6
    January: the heading is another line, not the same sentence as "on 4 January ... overnight"."""
    found = tag("Jan 6, 06:15 GMT\nPolice said dozens were killed overnight.", "2022-01-06")
    assert [(s.text, s.date_start, s.date_end) for s in found if s.text == "overnight"] == [
        ("overnight", "2022-01-05", "2022-01-06")]
    found = tag("On 4 January the mood was calm, but overnight it changed.", "2022-01-07")
    assert [(s.date_start, s.date_end) for s in found if s.text == "overnight"] == [("2022-01-04", "2022-01-05")]


def test_since() -> None:
    assert spans("since the 2nd") == [("since the 2nd", "2022-01-02", FRIDAY, "range")]
    assert spans("since January 2") == [("since January 2", "2022-01-02", FRIDAY, "range")]


@pytest.mark.parametrize("text, first, last, precision", [
    ("in July", "2021-07-01", "2021-07-31", "month"),
    ("in January", "2022-01-01", "2022-01-31", "month"),
    ("in December last year", "2021-12-01", "2021-12-31", "month"),
    ("In December, last year, bus drivers walked out", "2021-12-01", "2021-12-31", "month"),
    ("in early 2021", "2021-01-01", "2021-04-30", "month"),
    ("at the end of 2020", "2020-12-01", "2020-12-31", "month"),
    ("protests began in the first days of 2022", "2022-01-01", "2022-01-31", "month"),
    ("in late 2019", "2019-09-01", "2019-12-31", "month"),
    ("in late November", "2021-11-21", "2021-11-30", "range"),
    ("in December 2021", "2021-12-01", "2021-12-31", "month"),
    ("last year", "2021-01-01", "2021-12-31", "year"),
    ("in 2011", "2011-01-01", "2011-12-31", "year"),
    ("in 1953", "1953-01-01", "1953-12-31", "year"),
    # "ten years ago" told on 7 January 2022: the year around 7 January 2012, which reaches back into 2011
    ("ten years ago", "2011-07-09", "2012-07-07", "year"),
    ("10 years ago", "2011-07-09", "2012-07-07", "year"),
    ("a decade ago", "2011-07-09", "2012-07-07", "year"),
    ("in the 1990s", "1990-01-01", "1999-12-31", "year"),  # a decade: year precision, ten years
    ("in the first week of January", "2022-01-01", "2022-01-07", "range"),
    ("in the last week of February 2021", "2021-02-22", "2021-02-28", "range"),
    ("in the first days of January", "2022-01-01", "2022-01-07", "range"),
    ("strikes towards the end of the last year", "2021-12-01", "2021-12-31", "month"),
    ("arrests in recent weeks", "2021-12-10", "2022-01-06", "range"),
])
def test_months_and_years(text: str, first: str, last: str, precision: str) -> None:
    s = one(text)
    assert (s.date_start, s.date_end, s.precision) == (first, last, precision)


@pytest.mark.parametrize("text", [
    "a 100% price hike",
    "Article 5 of the constitution",
    "164 people were killed",
    "2 million people",
    "after a 7 hour internet blackout",
    "3,000 Russian soldiers",
    "gas for 50 tenge",
    "more than 4400 people",
    "they may march",
    "troops march on Sundays",
    "The next day",
])
def test_non_dates_are_not_tagged(text: str) -> None:
    assert tag(text, FRIDAY) == []


def test_without_anchor_only_explicit_years_resolve() -> None:
    text = "On 5 January, yesterday, and on 6 January 2022, unlike in 2011 or the 1990s."
    assert spans(text, None) == [
        ("6 January 2022", "2022-01-06", "2022-01-06", "day"),
        ("2011", "2011-01-01", "2011-12-31", "year"),
        ("the 1990s", "1990-01-01", "1999-12-31", "year"),
    ]


def test_anchor_may_be_a_date_or_a_timestamp() -> None:
    assert spans("yesterday", date(2022, 1, 7)) == spans("yesterday", "2022-01-07T18:00:00")


def test_calendar_dates_report_written_years_only() -> None:
    found = [(d.text, d.year, d.month, d.day) for d in find_calendar_dates("As of 5 January; 10 Jan 2022")]
    assert found == [("5 January", None, 1, 5), ("10 Jan 2022", 2022, 1, 10)]


def _seed_texts() -> list[tuple[str, str, str]]:
    with open(SEEDS_DIR / "sources.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [(r["file"], (SEEDS_DIR / r["file"]).read_text(encoding="utf-8"), r["published"]) for r in rows]


def test_seed_phrases() -> None:
    texts = {name: (text, anchor) for name, text, anchor in _seed_texts()}
    text, anchor = texts["001_5bf589aa6d0b5e3b.txt"]
    found = {s.text: (s.date_start, s.date_end) for s in tag(text, anchor)}
    assert found["Last Sunday, January 2"] == ("2022-01-02", "2022-01-02")
    assert found["On the night of January 3 to 4"] == ("2022-01-03", "2022-01-04")
    assert found["since the 2nd"] == ("2022-01-02", "2022-01-07")
    assert found["1953"] == ("1953-01-01", "1953-12-31")
    text, anchor = texts["002_4a2f18da737be389.txt"]
    found = {s.text: (s.date_start, s.date_end) for s in tag(text, anchor)}
    assert found["on Wednesday night"] == ("2022-01-05", "2022-01-05")
    assert found["The next day"] == ("2022-01-03", "2022-01-03")
    text, anchor = texts["000_5d34b3504bfa6f51.txt"]
    found = {s.text: (s.date_start, s.date_end) for s in tag(text, anchor)}
    assert found["on the night from 4 to 5 January"] == ("2022-01-04", "2022-01-05")
    assert found["new year’s day"] == ("2022-01-01", "2022-01-01")
    assert found["last year"] == ("2021-01-01", "2021-12-31")



def test_days_later_count_from_the_previous_date() -> None:
    found = {s.text: (s.date_start, s.date_end) for s in
             tag("On 5 January the crowd grew. Two days later, Marat was detained. "
                 "Three days earlier, the strike began.", "2022-02-12")}
    assert found["Two days later"] == ("2022-01-07", "2022-01-07")
    assert found["Three days earlier"] == ("2022-01-04", "2022-01-04")


def test_a_bare_weekday_is_the_latest_on_or_before_the_article_date() -> None:
    """News usage: in an article of Saturday 12 February, 'on Tuesday' is 8 February, even when the
    article also recalls dates of January; 'the following morning' follows it."""
    text = "The unrest began on 4 January. The crowd gathered on Tuesday afternoon. The following morning it was larger."
    found = {s.text: s.date_start for s in tag(text, "2022-02-12")}
    assert found["on Tuesday afternoon"] == "2022-02-08"
    assert found["The following morning"] == "2022-02-09"
    assert {s.text: s.date_start for s in tag("It happened on Saturday.", "2022-02-12")}["on Saturday"] == "2022-02-12"



def test_a_day_after_an_early_section_date_may_run_up_to_the_article_date() -> None:
    """A timeline published on 31 March whose entry 'Jan. 1' opens a dated section: 'Feb. 8' below it
    is the February after it (up to the article's own date), not the February of the year before."""
    assert one("Feb. 8", "2023-01-01").date_start == "2022-02-08"  # no article date known: nearest past
    found = {s.text: s.date_start for s in tag("Feb. 8: protests. Mar. 27: arrests.", "2023-01-01",
                                                   latest="2023-03-31")}
    assert found == {"Feb. 8": "2023-02-08", "Mar. 27": "2023-03-27"}
    # a statement of 6 January 2022 reproduced in a 2023 article keeps its own year
    assert {s.text: s.date_start for s in tag("On 5 January police came.", "2022-01-06",
                                              latest="2023-03-31")}["5 January"] == "2022-01-05"


@pytest.mark.parametrize("text, iso", [
    ("29.11.2024 14:05", "2024-11-29"),  # dotted: day first
    ("Published 01.12.2024", "2024-12-01"),
    ("29/11/2024", "2024-11-29"),  # a slash date whose first number cannot be a month
    ("11/29/2024", "2024-11-29"),  # ... or whose second cannot
])
def test_numeric_dates(text: str, iso: str) -> None:
    assert ["%04d-%02d-%02d" % (d.year, d.month, d.day) for d in find_calendar_dates(text)] == [iso]


@pytest.mark.parametrize("text", ["05/06/2024", "version 1.2.2020.5", "3.14.2020", "a ratio of 2.5/3.5/2024"])
def test_numeric_dates_that_say_nothing_certain_are_left_alone(text: str) -> None:
    assert find_calendar_dates(text) == []


def test_a_year_naming_the_event_after_it_is_a_date():
    assert spans("since the 2011 Zhanaozen unrest") == [("2011", "2011-01-01", "2011-12-31", "year")]
    assert spans("during the 2019 protests") == [("2019", "2019-01-01", "2019-12-31", "year")]
    assert spans("the 2000 workers of the plant") == []
