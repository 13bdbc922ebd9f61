"""When an event happened: dates of an article's sentences, its episode, the narrative date.

An article is tagged section by section (each against its own date, so "the
next day" can refer back across sentences); its episode is the stretch of
days it is mostly about, which tells a historical reference (the 2011
massacre) from the story; a trigger is dated by the nearest date expression
of its clause, and a place by a date written right beside it.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from geo import timex
from geo.events import CONJUNCT, NEW_CLAUSE, Trigger, clause_bounds
from geo.model import Document, Mention

# An event ending this long before the start of the article's episode lies outside it (historical).
HISTORICAL_MARGIN_DAYS = 31


PRESENT = re.compile(r"\b(?:at present|currently|now|at the moment|as of today|this evening|today|tonight|ongoing|"
                     r"continu(?:e|es|ing) to|remain(?:s)?)\b", re.IGNORECASE)


# An end date ("until 19 January", "over by Friday") does not date an event; "By mid-February, ..." opening
# a clause does.
SUBORDINATE = re.compile(r"\b(?:despite|after|before|since|following|because of|amid|ahead of|in the wake of|"
                         r"in response to|triggered by|sparked by|prompted by)\b", re.IGNORECASE)
RELATIVE = re.compile(r"\b(?:where|when|which|who|whom|whose)\b", re.IGNORECASE)
UNTIL = re.compile(r"\b(?:until|till|through|up to|(?<=\w\s)by|before|extended to)\s+(?:the\s+)?$", re.IGNORECASE)


def to_date(s: str) -> date:
    return date.fromisoformat(s)


@dataclass(frozen=True)
class DateSpan:
    """A resolved date for an event: ISO start and end, precision, and whether the span is a guess."""

    start: str
    end: str
    precision: str
    uncertain: bool = False


def span_of(t: timex.TimeSpan) -> DateSpan:
    return DateSpan(t.date_start, t.date_end, t.precision)


def up_to(span: DateSpan, anchor: str | None) -> DateSpan | None:
    """The part of a span a report can assert: nothing after its own date. "A state of emergency
    during 3-17 March" told on the 3rd is the 3rd; "early this month" ends today; a span that
    starts after the report's date is announced or planned, not reported (None)."""
    if not anchor or span.end <= anchor:
        return span
    if span.start > anchor:
        return None
    return DateSpan(span.start, anchor, "day" if span.start == anchor else "range", span.uncertain)


def _segments(doc: Document) -> list[tuple[int, int, str | None]]:
    """Stretches of the text with the date each is anchored on: dated sections, else the article's."""
    cuts = sorted((sec.start, sec.end, sec.date) for sec in doc.sections)
    out, pos = [], 0
    for start, end, day in cuts:
        if start > pos:
            out.append((pos, start, doc.published))
        out.append((max(start, pos), end, day))
        pos = max(pos, end)
    if pos < len(doc.text):
        out.append((pos, len(doc.text), doc.published))
    return [seg for seg in out if seg[1] > seg[0]]


def shift(t: timex.TimeSpan, delta: int) -> timex.TimeSpan:
    return timex.TimeSpan(t.start + delta, t.end + delta, t.text, t.date_start, t.date_end, t.precision, t.relative)


def tag_document(doc: Document) -> list[timex.TimeSpan]:
    """Every date expression of the article, each section tagged against its own date, so that
    "the same day" and "the next day" can refer back across sentences. A bare weekday is the
    latest such day on or before the date of its section or article, as news writes it."""
    spans = []
    for start, end, anchor in _segments(doc):
        spans.extend(shift(t, start) for t in timex.tag(doc.text[start:end], anchor, doc.published))
    return spans


def episode_start(spans: list[timex.TimeSpan], published: str | None) -> date | None:
    """The first day of the episode an article is about.

    The month the article's day-precise dates fall in most often (a report of
    10 January on 2-9 January; an NGO statement of March on January's events)
    marks the episode; its earliest date in that month is where it starts.
    """
    limit = to_date(published) if published else None
    dated = [t for t in spans if t.precision in ("day", "range")
             and (limit is None or to_date(t.date_start) <= limit)]
    written = [t for t in dated if not t.relative]  # "4 January" says more about the episode than "Tuesday"
    days = [to_date(t.date_start) for t in (written or dated)]
    if not days:
        return limit
    month = Counter((d.year, d.month) for d in days).most_common(1)[0][0]
    return min(d for d in days if (d.year, d.month) == month)


def is_historical(span_end: str, precision: str, start: date | None) -> bool:
    """Whether an event lies before the article's episode (the 2011 massacre, last year's strikes)."""
    if start is None:
        return False
    end = to_date(span_end)
    if precision == "year":
        return end.year < start.year or end < start
    return end < start - timedelta(days=HISTORICAL_MARGIN_DAYS) or (
        precision == "month" and end < start)


def _short(span: timex.TimeSpan) -> bool:
    """A day or a few days: "on 24 January", "the night from 4 to 5 January" (not "since May")."""
    return (to_date(span.date_end) - to_date(span.date_start)).days <= 3


def _distance(span: timex.TimeSpan, start: int, end: int) -> int:
    """Characters between a date expression and a trigger (a date before it wins a tie)."""
    if span.end <= start:
        return start - span.end
    if span.start >= end:
        return span.start - end + 1
    return 0


# "... since June 2019, when police fired on protesters": the clause tells what happened on that date
# (after the date, the name of what happened then may come first: "since the 2011 Zhanaozen unrest, when")
_WHEN_AFTER = re.compile(r"(?:\s+[\w'’-]+){0,4}?\s*,?\s*when\b", re.IGNORECASE)
_BEGAN_ON = re.compile(r",?\s+(?:that|which)\s+(?:had\s+)?(?:first\s+)?(?:began|started|erupted|broke out)\s+"
                       r"(?:(?:on|in)\s+)?|\s+(?:of|in|on)\s+", re.IGNORECASE)
# "the largest protests since June 2019", "the first strike since 2011": a comparison with a past moment
COMPARED = re.compile(r"\b(?:largest|biggest|worst|deadliest|bloodiest|greatest|highest|lowest|strongest|fiercest|"
                      r"heaviest|longest|widest|most|first|gravest|sharpest|angriest|loudest|serious|unprecedented|"
                      r"not\s+seen|unseen)\b[^.;!?]{0,80}$", re.IGNORECASE)


def _since(span: timex.TimeSpan, sentence: str) -> bool:
    return span.text[:6].lower() == "since " or bool(
        timex.SINCE_BEFORE.search(sentence, max(0, span.start - 12), span.start))


def is_own_date(trigger: Trigger, sentence: str, span: timex.TimeSpan | None) -> bool:
    """Whether a date is the trigger's own ("the protests of August 2020", "protests that began on 2
    January"): no date beside a place of the sentence dates that event instead."""
    return span is not None and span.start >= trigger.end and bool(
        _BEGAN_ON.fullmatch(sentence, trigger.end, span.start))


def pick_date(trigger: Trigger, sentence: str, spans: list[timex.TimeSpan]) -> timex.TimeSpan | None:
    """The date expression governing a trigger (``_governing``), with two readings of "since":

    - a trigger of a "when" clause that follows "since <date>" happened on that date ("rallies have gone
      on since June 2019, when police fired on protesters"), not over the stretch from it to today;
    - "the largest protests since June 2019" compares today's protests with a past moment: that date
      dates nothing in its clause.
    """
    began = _BEGAN_ON.match(sentence, trigger.end)
    if began is not None:
        # "joining protests that began on January 2 in Zhanaozen", "the protests of August 2020": the
        # trigger's own beginning or date dates it
        own = next((s for s in spans if s.start == began.end()), None)
        if own is not None:
            return own
    for s in spans:
        if s.end <= trigger.start and _since(s, sentence) and _WHEN_AFTER.match(sentence, s.end) \
                and not CONJUNCT.search(sentence, s.end, trigger.start) \
                and not any(s.end <= t.start < trigger.start for t in spans):
            return _point(s)
    spans = [s for s in spans if not (_since(s, sentence)
                                      and COMPARED.search(sentence, max(0, s.start - 90), s.start))]
    return _governing(trigger, sentence, spans)


def _point(span: timex.TimeSpan) -> timex.TimeSpan:
    """The date a "since <date>" span runs from, as written (June 2019, not June 2019 to today)."""
    if span.text[:6].lower() != "since " or span.precision != "range":
        return span
    found = timex.tag(span.text[6:], span.date_end)
    if not found or found[0].date_start != span.date_start:
        return span
    p = found[0]
    return timex.TimeSpan(span.start + 6 + p.start, span.start + 6 + p.end, p.text, p.date_start, p.date_end,
                          p.precision, p.relative)


_PARTICIPLE = re.compile(r"\s+[a-z]+ing\b")


def _about_something_else(sentence: str, start: int, end: int) -> bool:
    """Whether a subordinate phrase ("despite his dismissal", "after the vote") opens between two
    positions; not one whose verb is a participle of the same subject ("after firing", "before
    dispersing"), which a relative clause between them would change ("a statue of the president, who
    ruled for decades before stepping down in 2019")."""
    return any(not _PARTICIPLE.match(sentence, m.end()) or RELATIVE.search(sentence, start, m.start())
               for m in SUBORDINATE.finditer(sentence, start, end))


def _governing(trigger: Trigger, sentence: str, spans: list[timex.TimeSpan]) -> timex.TimeSpan | None:
    """The date expression governing a trigger: in its clause before it, else in its clause, else the sentence's.
    An end date ("a state of emergency until 5 January") never dates the event."""
    spans = [s for s in spans if not UNTIL.search(sentence[max(0, s.start - 20):s.start])
             and not (sentence[s.end:s.end + 2] in ("'s", "’s") and not 0 <= trigger.start - s.end <= 16)]
    if not spans:
        return None
    # not a date told after the trigger inside a phrase about something else: "police hurled tear gas at
    # protesters ... despite his dismissal of the cabinet last week"
    # (but "killed 66 people after firing live ammunition at protesters ... on 30 September" goes on with the
    # same act: a participle after "after" has the trigger's own subject)
    # (and a date after the trigger in a new main clause is that clause's: "strikes continued at the
    # refineries, and refuse collectors have been on strike since March 6")
    spans = [s for s in spans if not (s.start > trigger.end and (_about_something_else(sentence, trigger.end, s.start)
                                                                 or NEW_CLAUSE.search(sentence, trigger.end, s.start)))]
    if not spans:
        return None
    cs, ce = clause_bounds(sentence, trigger.start)
    in_clause = [s for s in spans if cs <= s.start < ce]
    # not across a new conjunct: "In 2017 ... after a two-week strike, and in 2021 ..."
    joined = [s for s in in_clause
              if not CONJUNCT.search(sentence, min(s.end, trigger.end), max(s.start, trigger.start))]
    if joined or in_clause:
        # a day before a vaguer span ("on 24 January ... for the second time this year"),
        # then the nearest ("seized on Wednesday, security forces opened fire on Thursday")
        return min(joined or in_clause, key=lambda s: (not _short(s), _distance(s, trigger.start, trigger.end)))
    before = [s for s in spans if s.start < trigger.start]
    if before:
        return before[-1]
    # not a year or month told in a relative clause after it: "gathered in Zhanaozen, the town where
    # police shot strikers in 2011" is background with its own date, which does not date today's
    # gathering ("... of Kisumu, where they burned tyres on Tuesday" goes on with the same event)
    after = [s for s in spans if not (s.precision in ("year", "month")
                                      and RELATIVE.search(sentence, trigger.end, s.start))]
    return after[0] if after else None


_DATE_LIST_GAP = re.compile(r"\s*(?:,|,?\s+and|,?\s+or|&)\s+(?:on\s+|in\s+)?(?:the\s+)?")


def listed_with(picked: timex.TimeSpan, sentence: str, spans: list[timex.TimeSpan]) -> list[timex.TimeSpan]:
    """The dates coordinated with the one that dates a trigger: "on March 3 and March 9", "on 5, 6 and 7
    January" told as separate days. Each is an event day of its own."""
    ordered = sorted(spans, key=lambda t: t.start)
    i = next((k for k, t in enumerate(ordered) if t is picked), None)
    if i is None:
        return []
    out = []
    # the list reaches both ways from the picked date: "on May 1 and May 12" when May 12 is the nearer
    for j in range(i - 1, -1, -1):
        cur, nxt = ordered[j], ordered[j + 1]
        if cur.precision != picked.precision or not _DATE_LIST_GAP.fullmatch(sentence[cur.end:nxt.start]):
            break
        out.append(cur)
    for j in range(i + 1, len(ordered)):
        prev, cur = ordered[j - 1], ordered[j]
        if cur.precision != picked.precision or not _DATE_LIST_GAP.fullmatch(sentence[prev.end:cur.start]):
            break
        out.append(cur)
    return out


def join_days(span: DateSpan, listed: list[DateSpan]) -> tuple[DateSpan, list[DateSpan]]:
    """Listed days that follow one another are one span: "walked out on Wednesday and Thursday" is a
    two-day strike, while "on March 3 and March 9" stay two days. Returns the span holding ``span``'s
    day and the other spans."""
    if span.precision != "day" or not listed or any(d.precision != "day" for d in listed):
        return span, listed
    runs: list[list[DateSpan]] = []
    for d in sorted({d.start: d for d in [span, *listed]}.values(), key=lambda d: d.start):
        if runs and (to_date(d.start) - to_date(runs[-1][-1].end)).days == 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    joined = [DateSpan(r[0].start, r[-1].end, "range" if len(r) > 1 else "day", any(d.uncertain for d in r))
              for r in runs]
    own = next(j for j in joined if j.start <= span.start <= j.end)
    return own, [j for j in joined if j is not own]


# A date written this close to a place is that place's own date ("in Zhanaozen in 2011").
BESIDE = 30


def gap(span: timex.TimeSpan, place: Mention) -> int:
    """Characters between a date expression and a place mention."""
    return min(abs(span.start - place.end), abs(place.start - span.end))


def date_near(place: Mention, trigger: Trigger, sentence: str, spans: list[timex.TimeSpan]) -> timex.TimeSpan | None:
    """With several dates in the clause, the one nearest the place ("in Zhanaozen in 2011 and in last
    year's strike wave"); else the date governing the trigger."""
    cs, ce = clause_bounds(sentence, trigger.start)
    in_clause = [s for s in spans if cs <= s.start < ce]
    if len({s.date_start[:4] for s in in_clause}) > 1:
        # a date right beside the place, not across a comma or "and": "in Zhanaozen in 2011"
        near = [s for s in in_clause if gap(s, place) <= BESIDE
                and not re.search(r",|\band\b|;", sentence[min(s.end, place.end):max(s.start, place.start)])]
        if near:
            return min(near, key=lambda s: gap(s, place))
    return pick_date(trigger, sentence, spans)


_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_RELATIVE_YEAR = re.compile(r"(?i)\b(?:last|previous|past|this|next)\s+year\b")


def inherit_year(spans: list[timex.TimeSpan]) -> list[timex.TimeSpan]:
    """ "In 2011 oil workers struck, and on 16 December of that year police opened fire", "Last year,
    traders held strikes in August": a day or a month written without a year after a year in the same
    sentence belongs to that year, not to the year nearest the article's date."""
    out, year = [], None
    for t in spans:
        written = _YEAR.search(t.text)
        if written:
            year = written.group(1)
        elif t.precision == "year" and _RELATIVE_YEAR.search(t.text):
            year = t.date_start[:4]  # "last year, traders held strikes in August": the August of last year
            out.append(t)
            continue
        elif year and t.precision in ("day", "range", "month") and not t.relative and t.date_start[:4] != year:
            try:
                start = date.fromisoformat(year + t.date_start[4:])
                end = min(date.fromisoformat(str(int(year) + int(t.date_end[:4]) - int(t.date_start[:4]))
                                             + t.date_end[4:]),
                          date(int(year), 12, 31))  # "since May" told of 2011 ends with 2011
            except ValueError:
                out.append(t)
                continue
            t = timex.TimeSpan(t.start, t.end, t.text, start.isoformat(), end.isoformat(), t.precision, t.relative)
        out.append(t)
    return out
