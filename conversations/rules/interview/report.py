"""The result of a review: ``Check`` and ``Report``, the timing, the one suggestion, and the
report as a short chat message (``report_text``, ``compare``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from conversations.rules.interview.text import _Text

Status = Literal["pass", "partly", "missing", "flag"]
STATUSES: tuple[Status, ...] = ("pass", "partly", "missing", "flag")
_STATUS_OF: dict[str, Status] = {s: s for s in STATUSES}

# ---------------------------------------------------------------- thresholds

WORDS_PER_MINUTE = 130  # a calm interview pace; the seed's 1-2 minute answers fit ~130-260 words
DEFAULT_TARGET = (60, 120)  # seconds, for the past-year, not-matching and why-specialty answers
# Below this many words there is nothing to judge tone, evidence or length on.
MIN_WORDS = 5
# Past this multiple of the target's upper end an answer loses the listener: flag, not partly.
FAR_TOO_LONG = 1.5
# Quotes in the chat report are cut to this length, and the whole report kept under REPORT_LIMIT.
QUOTE_CHARS = 80
REPORT_LIMIT = 1500

# The one suggestion comes from the most urgent check that is not a pass: a flag first, then
# a missing part, then a partly one (see ``_pick``); among equals, this order decides. The
# acknowledgement leads (the listener hears it first, and an empty answer should start there);
# tone comes next because blame or self-pity colours everything after it; then the substance;
# polish (evidence, length) last.
PRIORITY: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "past_year": ("acknowledgement", "tone", "growth", "tie", "evidence", "length"),
        "not_matching": (
            "acknowledgement",
            "tone",
            "learned",
            "acted",
            "forward",
            "evidence",
            "length",
        ),
        "why_specialty": ("specialty", "story", "tone", "evidence", "length"),
        "red_flag": (
            "acknowledgement",
            "ownership",
            "tone",
            "one_problem",
            "resolution",
            "stability",
            "length",
        ),
        "where_matched": ("plain_answer", "tone", "brief", "change_subject"),
    }
)


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Check:
    """One rule's verdict on an answer, with the answer's own words that decided it.

    ``quotes`` are verbatim substrings of the answer, in the order they occur.
    """

    key: str
    label: str
    status: Status
    detail: str
    quotes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {self.status!r}")

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "status": self.status,
            "detail": self.detail,
            "quotes": list(self.quotes),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Check:
        status = _STATUS_OF.get(str(data.get("status")))
        if status is None:
            raise ValueError(f"status must be one of {STATUSES}, not {data.get('status')!r}")
        return cls(
            key=str(data["key"]),
            label=str(data["label"]),
            status=status,
            detail=str(data.get("detail", "")),
            quotes=tuple(str(q) for q in data.get("quotes", ())),
        )


@dataclass(frozen=True)
class Report:
    """The feedback on one practised answer.

    ``seconds`` is the estimated speaking time at ``WORDS_PER_MINUTE``; ``target`` the range in
    seconds it is measured against (a lower end of 0 means "short", as for where-matched).
    """

    question: str
    checks: tuple[Check, ...]
    words: int
    seconds: int
    target: tuple[int, int]
    suggestion: str
    scaffold: str

    def check(self, key: str) -> Check | None:
        """The check with this key, if the report has one."""
        return next((c for c in self.checks if c.key == key), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "checks": [c.as_dict() for c in self.checks],
            "words": self.words,
            "seconds": self.seconds,
            "target": list(self.target),
            "suggestion": self.suggestion,
            "scaffold": self.scaffold,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        lo, hi = (int(x) for x in data["target"])
        return cls(
            question=str(data["question"]),
            checks=tuple(Check.from_dict(c) for c in data.get("checks", ())),
            words=int(data["words"]),
            seconds=int(data["seconds"]),
            target=(lo, hi),
            suggestion=str(data.get("suggestion", "")),
            scaffold=str(data.get("scaffold", "")),
        )


def speaking_seconds(words: int, wpm: int = WORDS_PER_MINUTE) -> int:
    """Roughly how long ``words`` take to say at ``wpm`` words a minute, in whole seconds."""
    if wpm <= 0:
        raise ValueError("wpm must be positive")
    return round(max(0, words) * 60 / wpm)


# ---------------------------------------------------------------- rules and the one suggestion

# A rule gives its check and the one suggestion it would make if chosen.
_Rule = tuple[Check, str]
_EMPTY_DETAIL = "Nothing to go on yet: there are too few words to judge this."


def word_count(words: int) -> str:
    """ "1 word", "12 words"."""
    return f"{words} word" if words == 1 else f"{words} words"


def _clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def _quoted(words: Iterable[str]) -> str:
    return ", ".join(f"“{w}”" for w in words)


def _length_status(seconds: int, target: tuple[int, int]) -> Status:
    lo, hi = target
    if seconds <= 0:
        return "missing"
    if lo <= seconds <= hi:
        return "pass"
    if seconds > hi * FAR_TOO_LONG:
        return "flag"
    return "partly"


# How urgent a check's status is when picking the one suggestion: a flag can hurt the answer,
# so it comes first; then a part that is missing; then a part that is only partly there.
_URGENCY: Mapping[str, int] = MappingProxyType({"flag": 0, "missing": 1, "partly": 2})


def _pick(rules: Sequence[_Rule], order: Sequence[str], done: str) -> str:
    """The suggestion of the most urgent non-passing check; ``order`` breaks ties.

    So an empty answer (everything missing) starts with the acknowledgement, and a long answer
    that blames hears about the blame before the length.
    """
    rank = {key: i for i, key in enumerate(order)}
    waiting = [
        (_URGENCY[check.status], rank.get(check.key, len(rank)), text)
        for check, text in rules
        if check.status != "pass" and text
    ]
    return min(waiting)[2] if waiting else done


_ALL_GOOD = (
    "Keep this version. Say it out loud a few more times until it feels like yours, then "
    "record a voice note to check the timing."
)


def _report(
    question: str,
    t: _Text,
    rules: Sequence[_Rule],
    question_key: str,
    target: tuple[int, int],
    scaffold_text: str,
) -> Report:
    return Report(
        question=question,
        checks=tuple(check for check, _ in rules),
        words=t.words,
        seconds=speaking_seconds(t.words),
        target=target,
        suggestion=_pick(rules, PRIORITY[question_key], _ALL_GOOD),
        scaffold=scaffold_text,
    )


def _valid_target(target: tuple[int, int]) -> tuple[int, int]:
    lo, hi = int(target[0]), int(target[1])
    if lo < 0 or hi <= 0 or lo > hi:
        raise ValueError(f"target must be (low, high) seconds with 0 <= low <= high, not {target}")
    return lo, hi


def duration_check(seconds: int, target: tuple[int, int]) -> Check:
    """How a voice note's length (Telegram's duration, in seconds) sits against the target."""
    lo, hi = _valid_target(target)
    seconds = max(0, int(seconds))
    status = _length_status(seconds, (lo, hi))
    label = "Voice note length"
    aim = f"{_clock(lo)}-{_clock(hi)}"
    took = f"{seconds} seconds ({_clock(seconds)})"
    detail = {
        "missing": "The voice note has no length to measure.",
        "pass": f"{took}: right inside your {aim} aim.",
        "partly": (
            f"{took}: shorter than your {aim} aim; there's room for another result or two."
            if seconds < lo
            else f"{took}: a little over your {aim} aim; one sentence less will do."
        ),
        "flag": f"{took}: well past your {aim} aim. Listeners drift after about "
        f"{_clock(hi)}; keep the strongest parts.",
    }[status]
    return Check("duration", label, status, detail, ())


# ---------------------------------------------------------------- chat text

_ICONS: Mapping[str, str] = MappingProxyType(
    {"pass": "✅", "partly": "🟡", "missing": "⭕", "flag": "⚠️"}
)


def _trim(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,;:") + "…"


def _opening(report: Report) -> str:
    passed = sum(c.status == "pass" for c in report.checks)
    total = len(report.checks)
    if passed == total:
        return "Every part is in place. Strong answer."
    if passed == 0:
        return "Thanks for saying it out loud. Here's the shape to build on."
    return f"{passed} of {total} parts in place. Here's where it stands:"


def _time_line(report: Report) -> str:
    lo, hi = report.target
    spoken = f"{word_count(report.words)}, about {_clock(report.seconds)} spoken"
    if lo == 0:
        return f"{spoken} (keep it short)."
    return f"{spoken} (aim {_clock(lo)}-{_clock(hi)})."


def report_text(report: Report) -> str:
    """The report as a short chat message: one line per check, the timing, one suggestion."""
    # Longer quotes first; if the message would run long, fewer and shorter ones.
    for per_line, chars in ((3, QUOTE_CHARS), (2, 50), (1, 40), (0, 0)):
        lines = [f"“{_trim(report.question, 140)}”", _opening(report)]
        for c in report.checks:
            shown = [_trim(q, chars) for q in c.quotes[:per_line]]
            tail = f": {_quoted(shown)}" if shown else ""
            lines.append(f"{_ICONS[c.status]} {c.label}{tail}")
        lines.append(_time_line(report))
        lines.append(f"Next time: {report.suggestion}")
        text = "\n".join(lines)
        if len(text) <= REPORT_LIMIT:
            return text
    return _trim(text, REPORT_LIMIT)


# How far along a check is. A flag (something that hurts) and a missing part are equally far:
# going from one to the other is neither better nor worse.
_RANK = {"missing": 0, "flag": 0, "partly": 1, "pass": 2}


def compare(
    before: Report, after: Report, same_as: str = "last time", stronger: str = "last time"
) -> str:
    """What got better from one attempt to the next, said kindly, and apart from it what
    slipped. ``same_as`` and ``stronger`` name the earlier attempt ("last time", "your first
    attempt" / "in your first attempt")."""
    earlier = {c.key: c for c in before.checks}
    better, closer, slipped = [], [], []
    for c in after.checks:
        old = earlier.get(c.key)
        if old is None or _RANK[old.status] == _RANK[c.status]:
            continue
        if c.status == "pass":
            better.append(c.label)
        elif _RANK[c.status] > _RANK[old.status]:
            closer.append(c.label)
        else:
            slipped.append(c.label)
    lines = []
    if better:
        lines.append("Now in place: " + "; ".join(better) + ".")
    if closer:
        lines.append("Getting closer: " + "; ".join(closer) + ".")
    lo, hi = after.target
    was_in = lo <= before.seconds <= hi
    now_in = lo <= after.seconds <= hi
    if after.words and now_in and not was_in:
        lines.append(
            f"Length: now about {_clock(after.seconds)}, inside your {_clock(lo)}-{_clock(hi)} aim."
        )
    elif after.words and not now_in and not was_in:
        gap_before = min(abs(before.seconds - lo), abs(before.seconds - hi))
        gap_after = min(abs(after.seconds - lo), abs(after.seconds - hi))
        if gap_after < gap_before:
            lines.append(
                f"Length: about {_clock(after.seconds)}, closer to your "
                f"{_clock(lo)}-{_clock(hi)} aim."
            )
    if slipped:
        lines.append(f"Worth another look: {'; '.join(slipped)} (it was stronger {stronger}).")
    if not lines:
        return f"Same as {same_as}: keep going. Each run-through makes the words come easier."
    return "\n".join(lines)
