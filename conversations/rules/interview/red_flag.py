"""A red flag in the record: named, owned, resolved, stable now, and nothing extra volunteered."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from conversations.rules.interview.checks import _tone
from conversations.rules.interview.questions import _FLAG_NAMES, question_text, red_flags
from conversations.rules.interview.report import (
    _EMPTY_DETAIL,
    MIN_WORDS,
    Check,
    Report,
    _report,
    _Rule,
    word_count,
)
from conversations.rules.interview.scaffold import scaffold
from conversations.rules.interview.text import _merge, _nt, _quotes, _raw, _rx, _Span, _Text

# A red-flag explanation: two or three sentences; four is a little long; five or more too much.
RED_FLAG_SENTENCES = (2, 3)
RED_FLAG_MAX_WORDS = 90
RED_FLAG_TARGET = (10, 30)  # the seed's own example is 44 words, about 20 seconds


_FLAG_EVENTS: dict[str, tuple[re.Pattern[str], ...]] = {
    "course_fail": _rx(
        rf"\b(?:failed|failing|{_nt('did')}\s+pass)\s+(?:my\s+|the\s+|a\s+|an\s+|our\s+)?"
        r"(?:[\w/-]+\s+){0,2}?(?:clerkships?|courses?|rotations?|class(?:es)?|blocks?|modules?|"
        r"shelf(?:\s+exams?)?|subjects?)\b",
        r"\b(?:clerkship|course|rotation|class|block|shelf)\s+failures?\b",
        r"\bfailed\s+me\b",
    ),
    "exam_fail": _rx(
        rf"\b(?:failed|{_nt('did')}\s+pass)\s+(?:my\s+|the\s+)?(?:first\s+attempt\s+(?:at|on)\s+)?"
        r"(?:USMLE\s+|COMLEX\s+)?(?:Step|Level)\s*[123]\w*",
    ),
    "repeat_year": _rx(
        r"\brepeat(?:ed|ing)?\s+(?:my\s+|the\s+|a\s+)?(?:[\w-]+\s+){0,2}?year\b",
        r"\bheld\s+back\b",
        r"\bdecelerat\w+\b",
        r"\ban\s+extra\s+year\b",
    ),
    "loa": _rx(
        r"\b(?:took|take|taking)\s+(?:a\s+|some\s+)?(?:medical\s+|personal\s+)?leave(?:\s+of\s+absence)?\b",
        r"\bleave\s+of\s+absence\b",
        r"\b(?:took|take|taking)\s+(?:some\s+)?time\s+(?:off|away)\b",
        r"\bstepped\s+away\b",
        r"(?-i:\bLOA\b)",
    ),
    "professionalism": _rx(
        r"\bprofessionalism\s+(?:concerns?|reports?|notes?|issues?|citations?|lapses?|flags?|"
        r"comments?|evaluations?)\b",
        r"\bprofessionalism\b",
        r"\bunprofessional\b",
        r"\b(?:was|were)\s+(?:repeatedly\s+|often\s+)?late\b",
        r"\blapses?\b",
    ),
}
_OWNERSHIP = _rx(
    r"\bI\s+(?:really\s+|initially\s+|also\s+)?(?:failed|struggled|took|made|missed|repeated|"
    r"fell\s+behind|underestimated|needed|chose|decided|lost|had\s+trouble|had\s+difficulty|"
    r"own|owned|take\s+(?:full\s+)?responsibility|took\s+(?:full\s+)?responsibility)\b",
    rf"\bI\s+{_nt('did')}\s+(?:pass|meet|manage|keep\s+up|prepare|ask|seek)\b",
    rf"\bI\s+{_nt('was')}\s+(?:prepared|ready|organi[sz]ed)\b",
    r"\bmy\s+(?:own\s+)?(?:mistake|responsibility|time\s+management|preparation|study\s+habits|"
    r"documentation|choice|decision|fault|health)\b",
)
_RESOLUTION = _rx(
    r"\b(?:met|worked|meet|work|meeting|working)\s+with\s+(?:my\s+|a\s+|an\s+|the\s+|our\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:director|dean|advisor|adviser|mentor|tutor|coach|counsel(?:l)?or|"
    r"therapist|doctor|physician|faculty|attending|team|specialist)s?\b",
    r"\bcompleted\s+(?:a\s+|an\s+|the\s+|my\s+|all\s+)?(?:[\w-]+\s+){0,2}?(?:remediation"
    r"(?:\s+(?:rotation|course|block|plan|program|exam))?|rotations?|courses?|program|plan|"
    r"clerkships?|blocks?|treatment)\b",
    r"\bremediat(?:ed|ion|ing)\b",
    r"\b(?:re)?passed\b",
    r"\bretook\b",
    r"\b(?:sought|got|received|started|accepted)\s+(?:help|treatment|tutoring|support|"
    r"counsel(?:l)?ing|therapy|care|coaching)\b",
    r"\b(?:learned|built|developed|started\s+using|set\s+up|created|use)\s+(?:a\s+|new\s+|"
    r"better\s+)?(?:system|routine|schedule|habits?|strateg(?:y|ies)|plan|checklist)\b",
    r"\breturned\s+(?:to|full[- ]time)\b",
    r"\bapologi[sz]ed\b",
)
_STABILITY = _rx(
    r"\bsince\s+then,?\s+I(?:'ve|\s+have)\b",
    r"\b(?:I(?:'ve|\s+have)|have)\s+since\b",
    r"\bno\s+(?:further|other|more|additional)\s+(?:\w+\s+)?(?:concerns?|issues?|problems?|"
    r"failures?|incidents?|difficult(?:y|ies))\b",
    r"\bwithout\s+(?:any\s+)?(?:further\s+)?(?:concerns?|issues?|problems?|difficult(?:y|ies)|"
    r"incidents?)\b",
    r"\b(?:all|every)\s+(?:subsequent|later|following|other|remaining)\s+(?:\w+\s+)?"
    r"(?:rotations?|courses?|clerkships?|exams?|years?|blocks?)\b",
    r"\b(?:I(?:'m|\s+am)\s+)?now\b",
    r"\b(?:currently|today)\b",
)
# Another negative event, volunteered.
_SECOND_PROBLEM = _rx(
    r"\balso\s+(?:failed|repeated|struggled|had\s+to\s+repeat|received\s+a|got\s+a|had\s+a|"
    r"took\s+a\s+leave)\b",
    r"\bfailed\s+(?:\w+\s+){0,3}?again\b",
    r"\band\s+then\s+I\s+also\b",
    r"\ba\s+second\s+time\b",
    r"\b(?:failed|repeated|missed)\s+another\b",
    r"\banother\s+(?:[\w-]+\s+){0,2}?(?:failure|problem|issue|incident|concern|complaint|setback|"
    r"leave|attempt)s?\b",
)


def _red_flag_length(t: _Text) -> _Rule:
    key, label = "length", "Two or three sentences"
    n = len(t.sentences)
    low, high = RED_FLAG_SENTENCES
    said = f"{n} sentence{'s' if n != 1 else ''}, {word_count(t.words)}."
    if t.words < MIN_WORDS:
        return (
            Check(key, label, "missing", _EMPTY_DETAIL),
            "Write it in two or three sentences: what happened, what you did, where you are now.",
        )
    if n > high + 1:
        return (
            Check(key, label, "flag", f"{said} The longer it runs, the bigger it sounds."),
            "Cut it to two or three sentences: what happened, what you did, where you are now.",
        )
    if n > high or n < low or t.words > RED_FLAG_MAX_WORDS:
        return (
            Check(key, label, "partly", f"{said} Two or three short sentences is the sweet spot."),
            "Shape it into two or three short sentences: what happened, what you did, and "
            "where you are now.",
        )
    return Check(key, label, "pass", f"{said} Short enough to stay in proportion.", ()), ""


def review_red_flag(answer: str, *, profile: Mapping[str, Any]) -> Report:
    """Feedback on a red-flag explanation: named, owned, resolved, stable now, nothing extra."""
    t = _Text(answer)
    flags = red_flags(profile)
    mentioned: dict[str, list[_Span]] = {
        code: t.find(patterns) for code, patterns in _FLAG_EVENTS.items()
    }
    mentioned = {code: spans for code, spans in mentioned.items() if spans}
    # The flag being explained: the profile's own, or (with none stored) the first one named.
    order = sorted(mentioned, key=lambda c: mentioned[c][0].start)
    allowed = set(flags) or set(order[:1])

    named = [s for code in allowed for s in mentioned.get(code, [])]
    if named:
        ack = (
            Check(
                "acknowledgement",
                "Names what happened",
                "pass",
                "You say plainly what happened.",
                _quotes(t, _merge(named)[:1]),
            ),
            "",
        )
    else:
        what = _FLAG_NAMES.get(flags[0], "what happened") if flags else "what happened"
        ack = (
            Check(
                "acknowledgement",
                "Names what happened",
                "missing",
                "The event itself isn't named. Saying it plainly takes the mystery out of it.",
            ),
            f"Open by naming it in plain words ({what}), with “I” as the subject.",
        )

    owned = t.find(_OWNERSHIP)
    ownership = (
        (
            Check(
                "ownership",
                "Owned in the first person",
                "pass",
                "You own it in your own voice.",
                _quotes(t, owned, limit=3),
            ),
            "",
        )
        if owned
        else (
            Check(
                "ownership",
                "Owned in the first person",
                "missing",
                "It's told as something done to you. Owning it is what makes it land well.",
            ),
            "Tell it with “I” as the subject, like “I failed…” or “I struggled with…”. "
            "Owning it takes the sting out of it.",
        )
    )

    fixed = t.find(_RESOLUTION)
    resolution = (
        (
            Check(
                "resolution",
                "What you did about it",
                "pass",
                "You show what you did to put it right.",
                _quotes(t, fixed),
            ),
            "",
        )
        if fixed
        else (
            Check(
                "resolution",
                "What you did about it",
                "missing",
                "What you did to fix it isn't there yet.",
            ),
            "Add what you did about it: who you worked with and what you completed or passed.",
        )
    )

    last = len(t.sentences) - 1
    steady_last = t.find(_STABILITY, within=last) if t.sentences else []
    steady_any = t.find(_STABILITY)
    if steady_last:
        stability = (
            Check(
                "stability",
                "Stable now",
                "pass",
                "You finish on where things stand now.",
                _quotes(t, steady_last),
            ),
            "",
        )
    elif steady_any:
        stability = (
            Check(
                "stability",
                "Stable now",
                "partly",
                "You mention how things are now, but it isn't the last thing they hear.",
                _quotes(t, steady_any),
            ),
            "Move the “since then” line to the end, so you finish on where you stand today.",
        )
    else:
        stability = (
            Check(
                "stability",
                "Stable now",
                "missing",
                "The answer doesn't say how things have gone since.",
            ),
            "Finish on where you stand now, in the present tense: what has gone well since, "
            "with no further concerns.",
        )

    # Markers and extra events compete as raw matches, so the fullest wording of each is quoted.
    extra = _merge(
        [
            *_raw(t, _SECOND_PROBLEM),
            *(s for code in order if code not in allowed for s in _raw(t, _FLAG_EVENTS[code])),
        ]
    )
    if extra:
        q = _quotes(t, extra)
        one_problem = (
            Check(
                "one_problem",
                "One event only",
                "flag",
                "A second problem is volunteered here. It turns one explained event into a "
                "pattern they'll want to ask about.",
                q,
            ),
            f"Keep this answer to the one event: take out “{q[0]}”. If they ask about "
            "anything else, answer it then.",
        )
    elif t.words < MIN_WORDS:
        one_problem = (Check("one_problem", "One event only", "missing", _EMPTY_DETAIL), "")
    else:
        one_problem = (
            Check("one_problem", "One event only", "pass", "You keep to the one event.", ()),
            "",
        )

    rules = [
        ack,
        ownership,
        resolution,
        stability,
        _tone(t),
        one_problem,
        _red_flag_length(t),
    ]
    question = (
        question_text("red_flag", profile=profile)
        if flags
        else "Could you walk me through that part of your record?"
    )
    return _report(
        question,
        t,
        rules,
        "red_flag",
        RED_FLAG_TARGET,
        scaffold("red_flag", specialty=None, profile=profile, role=None),
    )
