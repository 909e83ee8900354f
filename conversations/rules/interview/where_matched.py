""" "So where did you match?" from a friend or relative: a calm plain line, short, then move on."""

from __future__ import annotations

from conversations.rules.interview.checks import _tone
from conversations.rules.interview.patterns import _ACK
from conversations.rules.interview.questions import QUESTIONS
from conversations.rules.interview.report import (
    _EMPTY_DETAIL,
    Check,
    Report,
    _report,
    _Rule,
    speaking_seconds,
)
from conversations.rules.interview.scaffold import scaffold
from conversations.rules.interview.text import _quotes, _rx, _Text

# "So where did you match?": over this many words is over-explaining.
WHERE_MAX_WORDS = 45
WHERE_MAX_STATEMENTS = 2


_WHERE_PLAIN = _rx(
    *(p.pattern for p in _ACK),
    r"\b(?:taking|doing)\s+(?:a\s+)?(?:research|gap)\s+year\b",
    r"\bresearch\s+year\b",
    r"\b(?:I'm|I\s+am)\s+(?:doing|working|spending)\b",
)
_CHANGE_SUBJECT = _rx(
    r"\banyway\b",
    r"\bhow\s+about\s+you\b",
    r"\bwhat\s+about\s+you\b",
    r"\bhow(?:'s|\s+is|\s+are|\s+was)\b",
    r"\benough\s+about\s+me\b",
    r"\btell\s+me\s+about\b",
    r"\bwhat's\s+new\b",
)


def review_where_matched(answer: str) -> Report:
    """Feedback on the script for a friend's "So where did you match?"."""
    t = _Text(answer)
    plain = t.find(_WHERE_PLAIN)
    rules: list[_Rule] = []
    if plain:
        rules.append(
            (
                Check(
                    "plain_answer",
                    "A calm, plain answer",
                    "pass",
                    "You say it plainly, without apology.",
                    _quotes(t, plain[:1]),
                ),
                "",
            )
        )
    else:
        rules.append(
            (
                Check(
                    "plain_answer",
                    "A calm, plain answer",
                    "missing",
                    "There's no plain line yet about where things stand.",
                ),
                "Start with one plain line you're at ease saying, such as what you're doing "
                "this year and that you're applying again.",
            )
        )
    rules.append(_tone(t, hedges=False))

    statements = [i for i, s in enumerate(t.sentences) if not t.sentence_text(i).endswith("?")]
    if t.words == 0:
        brief = (
            Check("brief", "Short: a sentence or two", "missing", _EMPTY_DETAIL),
            "Keep it to one or two sentences.",
        )
    elif t.words > WHERE_MAX_WORDS:
        brief = (
            Check(
                "brief",
                "Short: a sentence or two",
                "flag",
                f"{t.words} words: that's explaining more than anyone asked. A short answer "
                "protects you.",
            ),
            "Cut it to one or two sentences. You don't owe anyone the whole story.",
        )
    elif len(statements) > WHERE_MAX_STATEMENTS:
        brief = (
            Check(
                "brief",
                "Short: a sentence or two",
                "partly",
                f"{len(statements)} sentences before you move on; two is plenty.",
            ),
            "Fold it into one or two sentences, then move the conversation on.",
        )
    else:
        brief = (
            Check("brief", "Short: a sentence or two", "pass", "Short and easy to say.", ()),
            "",
        )
    rules.append(brief)

    last = len(t.sentences) - 1
    if t.sentences and t.sentence_text(last).endswith("?"):
        change = (
            Check(
                "change_subject",
                "Then change the subject",
                "pass",
                "You hand the conversation back. Nicely done.",
                (t.sentence_text(last),),
            ),
            "",
        )
    elif t.sentences and t.find(_CHANGE_SUBJECT, within=last):
        change = (
            Check(
                "change_subject",
                "Then change the subject",
                "pass",
                "You move the conversation on.",
                _quotes(t, t.find(_CHANGE_SUBJECT, within=last)[:1]),
            ),
            "",
        )
    elif t.find(_CHANGE_SUBJECT) or any(
        t.sentence_text(i).endswith("?") for i in range(len(t.sentences))
    ):
        change = (
            Check(
                "change_subject",
                "Then change the subject",
                "partly",
                "You turn it around, but then keep going. End on the turn.",
            ),
            "End right after you turn it back to them, with a question about their life.",
        )
    else:
        change = (
            Check(
                "change_subject",
                "Then change the subject",
                "missing",
                "Nothing moves the conversation on, so it stays on you.",
            ),
            "End by turning it back to them with a question, like asking how their new job "
            "is going.",
        )
    rules.append(change)
    return _report(
        QUESTIONS["where_matched"],
        t,
        rules,
        "where_matched",
        (0, speaking_seconds(WHERE_MAX_WORDS)),
        scaffold("where_matched", specialty=None, profile={}, role=None),
    )
