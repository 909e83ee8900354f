"""The CV / ERAS activities: entries, months, gaps since graduation, and the warnings.

Pure functions, no flow. An entry is one tracker item of kind "cv" (its content a plain
dict, see ``Entry.of``); months are "YYYY-MM" text. What the seed asks of the year's CV:
three to five heavy entries (the full-time role with real duties, one to three research or
QI projects, teaching), each with dates, hours a week and concrete results; no padding with
many light entries; no large unexplained gap. The warnings below say so, kindly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from conversations.rules.parsing import Invalid

KIND = "cv"
ONGOING = "ongoing"

# Entry types, in the order they are offered and printed.
TYPES: dict[str, str] = {
    "full_time": "Full-time role",
    "research": "Research project",
    "qi": "QI project",
    "teaching": "Teaching or tutoring",
    "other": "Other",
}
HEAVY = frozenset({"full_time", "research", "qi", "teaching"})
PROJECTS = frozenset({"research", "qi", "teaching"})

# The seed's numbers: three to five heavy entries; more than eight entries reads as padding;
# a gap since graduation longer than three months wants a line of explanation.
HEAVY_MIN, HEAVY_MAX = 3, 5
PADDING_OVER = 8
GAP_OVER_MONTHS = 3
# Hours a week: what one entry may say at all, and what starts to look implausible.
HOURS_MIN, HOURS_MAX = 1, 100
HOURS_FULL_TIME_LEAST = 30
HOURS_TOGETHER_MOST = 80
# A bound on what one user keeps (far above any honest CV).
MAX_ENTRIES = 20

_MONTH_NAMES = (
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
)
_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_EXAMPLES = "Try something like “June 2026”, “Jun 2026” or “2026-06”."


# ---------------------------------------------------------------- months


def month_number(value: str) -> int:
    """A "YYYY-MM" month as a count of months (to subtract and compare)."""
    year, month = value.split("-")
    return int(year) * 12 + int(month) - 1


def month_text(number: int) -> str:
    year, month = divmod(number, 12)
    return f"{year:04d}-{month + 1:02d}"


def this_month(today: date) -> str:
    return f"{today.year:04d}-{today.month:02d}"


def show_month(value: str | None) -> str:
    """ "Jun 2026" for "2026-06"; "ongoing" stays as a word."""
    if not value:
        return "?"
    if value == ONGOING:
        return "ongoing"
    try:
        year, month = value.split("-")
        return f"{_SHORT[int(month) - 1]} {int(year)}"
    except (ValueError, IndexError):
        return value


def parse_month(text: str, *, today: date) -> str:
    """A month and year as "YYYY-MM": "June 2026", "jun 26", "2026-06", "06/2026", "6/26".

    A month without a year is the latest such month up to this one ("June" in March 2027 is
    June 2026). Refused: a month more than two years ahead, or before 1950.
    """
    s = re.sub(r"[\s,.]+", " ", text.strip().lower()).strip()
    s = s.replace("’", "'").replace("'", " ").strip()
    year: int | None = None
    month: int | None = None
    if m := re.fullmatch(r"(\d{4})\s*[-/]\s*(\d{1,2})", s):
        year, month = int(m[1]), int(m[2])
    elif m := re.fullmatch(r"(\d{1,2})\s*[-/]\s*(\d{4}|\d{2})", s):
        month, year = int(m[1]), int(m[2])
    elif m := re.fullmatch(r"([a-z]+)\s*(\d{4}|\d{2})?", s):
        month = _month_word(m[1])
        year = int(m[2]) if m[2] else None
    elif m := re.fullmatch(r"(\d{4})\s+([a-z]+)", s):
        year, month = int(m[1]), _month_word(m[2])
    if month is None or not 1 <= month <= 12:
        raise Invalid(f"I couldn't read that as a month and year. {_MONTH_EXAMPLES}")
    if year is None:
        year = today.year if month <= today.month else today.year - 1
    elif year < 100:
        year += 2000
    value = f"{year:04d}-{month:02d}"
    if year < 1950:
        raise Invalid(f"That's earlier than I can use. {_MONTH_EXAMPLES}")
    if month_number(value) > month_number(this_month(today)) + 24:
        raise Invalid("That's more than two years ahead. Which month did you mean?")
    return value


def _month_word(word: str) -> int | None:
    word = word[:3]
    return _MONTH_NAMES.index(word) + 1 if word in _MONTH_NAMES else None


# ---------------------------------------------------------------- hours


_HOURS_RE = re.compile(
    r"(?:about |around |~|approx(?:imately)? )?(\d{1,3})(?:\s*(?:-|–|to)\s*(\d{1,3}))?"
    r"(?:\s*(?:h|hrs?|hours?))?(?:\s*(?:/|a|per)\s*(?:wk|week))?"
)


def parse_hours(text: str) -> int:
    """Hours a week as a whole number: "45", "40-50" (the middle), "about 20 h/week"."""
    s = re.sub(r"\s+", " ", text.strip().lower()).rstrip(".")
    m = _HOURS_RE.fullmatch(s)
    reason = (
        f"Please send the hours a week as a number from {HOURS_MIN} to {HOURS_MAX}, "
        "like 45, or a range like 40-50."
    )
    if m is None:
        raise Invalid(reason)
    low = int(m[1])
    high = int(m[2]) if m[2] else low
    if high < low:
        low, high = high, low
    hours = round((low + high) / 2)
    if hours < HOURS_MIN:
        raise Invalid(
            "Less than an hour a week is hard to show on a CV. If it's occasional, round it "
            f"up to 1, or send a number up to {HOURS_MAX}."
        )
    if hours > HOURS_MAX:
        raise Invalid(
            f"That's more than a week can hold next to sleep. Please send a number up to "
            f"{HOURS_MAX}, the hours you usually put in."
        )
    return hours


# ---------------------------------------------------------------- entries


@dataclass(frozen=True)
class Entry:
    """One CV entry as the rules read it (from a tracker item's content)."""

    key: str
    type: str
    title: str
    organisation: str
    start: str | None
    end: str | None  # "YYYY-MM" or "ongoing"
    hours: int | None
    duties: str
    results: str

    @classmethod
    def of(cls, key: str, content: Mapping[str, Any]) -> Entry:
        def text(name: str) -> str:
            value = content.get(name)
            return str(value).strip() if value else ""

        hours = content.get("hours")
        return cls(
            key=key,
            type=text("type") if text("type") in TYPES else "other",
            title=text("title") or "Untitled entry",
            organisation=text("organisation"),
            start=_month_or_none(content.get("start")),
            end=ONGOING if content.get("end") == ONGOING else _month_or_none(content.get("end")),
            hours=hours if isinstance(hours, int) and not isinstance(hours, bool) else None,
            duties=text("duties"),
            results=text("results"),
        )

    @property
    def type_label(self) -> str:
        return TYPES[self.type]

    @property
    def dates(self) -> str:
        return f"{show_month(self.start)} – {show_month(self.end)}"

    @property
    def heavy(self) -> bool:
        return self.type in HEAVY

    def span(self, today: date) -> tuple[int, int] | None:
        """(first, last) month numbers it covers, an ongoing one up to this month."""
        if self.start is None:
            return None
        first = month_number(self.start)
        if self.end is None or self.end == ONGOING:
            last = max(first, month_number(this_month(today)))
        else:
            last = month_number(self.end)
        return (first, last) if last >= first else None

    def sort_key(self) -> tuple[int, int]:
        """Most recent first: ongoing ones, then by end, then by start."""
        end = 10**6 if self.end is None or self.end == ONGOING else month_number(self.end)
        start = month_number(self.start) if self.start else 0
        return (-end, -start)


def _month_or_none(value: Any) -> str | None:
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}", value):
        return value
    return None


def entries_of(items: Iterable[tuple[str, Mapping[str, Any]]]) -> list[Entry]:
    """The entries, most recent first."""
    return sorted((Entry.of(key, content) for key, content in items), key=Entry.sort_key)


def check_order(start: str | None, end: str | None) -> None:
    """Refuse an end before the start (either may be the one just typed)."""
    if start and end and end != ONGOING and month_number(end) < month_number(start):
        raise Invalid(
            f"The end ({show_month(end)}) comes before the start ({show_month(start)}). "
            "Could you check the months?"
        )


# ---------------------------------------------------------------- gaps


@dataclass(frozen=True)
class Gap:
    first: str  # "YYYY-MM"
    last: str
    months: int

    @property
    def label(self) -> str:
        if self.first == self.last:
            return show_month(self.first)
        return f"{show_month(self.first)} – {show_month(self.last)}"


def gaps(entries: Sequence[Entry], graduated: str, today: date) -> list[Gap]:
    """The runs of months from the month after graduation to this month that no entry
    covers (overlapping entries merged), oldest first."""
    first = month_number(graduated) + 1
    last = month_number(this_month(today))
    if last < first:
        return []
    covered: set[int] = set()
    for entry in entries:
        span = entry.span(today)
        if span is not None:
            covered.update(range(max(span[0], first), min(span[1], last) + 1))
    found: list[Gap] = []
    run: list[int] = []
    for month in range(first, last + 2):
        if month <= last and month not in covered:
            run.append(month)
        elif run:
            found.append(Gap(month_text(run[0]), month_text(run[-1]), len(run)))
            run = []
    return found


def long_gaps(entries: Sequence[Entry], graduated: str, today: date) -> list[Gap]:
    return [g for g in gaps(entries, graduated, today) if g.months > GAP_OVER_MONTHS]


# ---------------------------------------------------------------- warnings


@dataclass(frozen=True)
class Flag:
    code: str  # stable, for tests: padding, no_results, few_heavy, no_full_time, gap, hours
    text: str


def _names(entries: Sequence[Entry]) -> str:
    shown = [f"“{e.title[:60]}”" for e in entries[:4]]
    more = len(entries) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more else "")


def warnings(entries: Sequence[Entry], graduated: str | None, today: date) -> list[Flag]:
    """What to look at before the CV goes out, most important first (none: it's solid)."""
    found: list[Flag] = []
    if not entries:
        return found
    if not any(e.type == "full_time" for e in entries):
        found.append(
            Flag(
                "no_full_time",
                "No full-time role yet. Programs look first at what you did with the year: "
                "add the main role, with its real duties.",
            )
        )
    heavy = [e for e in entries if e.heavy]
    if len(heavy) < HEAVY_MIN:
        found.append(
            Flag(
                "few_heavy",
                f"So far {len(heavy)} solid {'entry' if len(heavy) == 1 else 'entries'}; a "
                f"strong CV has {HEAVY_MIN} to {HEAVY_MAX} (the full-time role, research or QI "
                "projects, teaching). One more project or a teaching role would round it out.",
            )
        )
    empty = [e for e in entries if not e.results]
    if empty:
        found.append(
            Flag(
                "no_results",
                f"No results yet for {_names(empty)}. A concrete outcome (an abstract "
                "submitted, patients enrolled, a rate that improved) is what makes an entry "
                "count.",
            )
        )
    if len(entries) > PADDING_OVER:
        found.append(
            Flag(
                "padding",
                f"{len(entries)} entries. More than {PADDING_OVER} starts to read as padding; "
                f"the strongest {HEAVY_MIN} to {HEAVY_MAX} say more on their own. Consider "
                "folding the light ones into the big ones, or leaving them off.",
            )
        )
    if graduated:
        for gap in long_gaps(entries, graduated, today):
            found.append(
                Flag(
                    "gap",
                    f"A gap of {gap.months} months ({gap.label}) with no entry. That's more "
                    "common than people think: fill it if something belongs there (exam "
                    "study, a course, family care), or plan one honest line about it for ERAS.",
                )
            )
    for entry in entries:
        if entry.type == "full_time" and entry.hours and entry.hours < HOURS_FULL_TIME_LEAST:
            found.append(
                Flag(
                    "hours",
                    f"“{entry.title[:60]}” is a full-time role at {entry.hours} hours a week. "
                    f"Full-time usually means {HOURS_FULL_TIME_LEAST}+ hours: check the number, "
                    "or change its kind to Other if it's part-time.",
                )
            )
    busiest = _busiest_month(entries, today)
    if busiest is not None:
        month, hours = busiest
        found.append(
            Flag(
                "hours",
                f"In {show_month(month)} your entries add up to {hours} hours a week. "
                "Interviewers may ask how that fit in one week: check the hours, so the "
                "numbers hold up.",
            )
        )
    return found


def _busiest_month(entries: Sequence[Entry], today: date) -> tuple[str, int] | None:
    """The first month whose entries together pass ``HOURS_TOGETHER_MOST`` hours a week."""
    load: dict[int, int] = {}
    for entry in entries:
        span = entry.span(today)
        if span is None or not entry.hours:
            continue
        for month in range(span[0], span[1] + 1):
            load[month] = load.get(month, 0) + entry.hours
    over = sorted(m for m, h in load.items() if h > HOURS_TOGETHER_MOST)
    return (month_text(over[0]), load[over[0]]) if over else None


# ---------------------------------------------------------------- the plan's milestone


def cv_ready(entries: Sequence[Entry], plan_start: str | None) -> bool:
    """The plan's "CV updated": this year's full-time role, with its results, plus at least
    one research, QI or teaching entry with results.

    "This year's" role is one still going, or that ended on or after the month the plan
    began (any ended role counts when the plan has no start yet).
    """
    since = month_number(plan_start) if plan_start else None

    def this_year(entry: Entry) -> bool:
        if entry.end is None or entry.end == ONGOING or since is None:
            return True
        return month_number(entry.end) >= since

    role = any(e.type == "full_time" and e.results and this_year(e) for e in entries)
    project = any(e.type in PROJECTS and e.results for e in entries)
    return role and project
