""" "Tell me about not matching.": acknowledge briefly, what you learned, what you did, forward."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conversations.rules.interview.checks import (
    _acknowledgement,
    _concrete,
    _evidence,
    _forward_in_last,
    _length,
    _tone,
)
from conversations.rules.interview.patterns import _DUTIES, _FORWARD, _OUTPUTS, _ROLE
from conversations.rules.interview.profile import ROLE_WORDS, _role_kind
from conversations.rules.interview.questions import QUESTIONS
from conversations.rules.interview.report import Check, Report, _report, _Rule, _valid_target
from conversations.rules.interview.scaffold import scaffold
from conversations.rules.interview.text import _merge, _quotes, _rx, _sentences_with, _Text

# What was learned from not matching, for "Tell me about not matching."
_LEARNED = _rx(
    r"\b(?:learned|learnt|realized|realised|recognized|understood|noticed)\b",
    r"\b(?:taught|showed)\s+me\b",
    r"\blooking\s+back\b",
    r"\bin\s+hindsight\b",
    r"\bfeedback\b",
    r"\bthe\s+(?:main|biggest|key|real)\s+(?:reasons?|lessons?|gaps?|weakness(?:es)?|problems?)\b",
    r"\bmy\s+(?:program\s+)?(?:list|application|letters|scores?|statement)\s+(?:was|were)\b",
)
_ACTED = _rx(
    r"\bI\s+(?:broadened|expanded|retook|rewrote|took|passed|started|joined|applied|asked|met|"
    r"found|got|built|completed|sought|changed|added|focused|studied|prepared)\b",
)


def _learned(t: _Text) -> _Rule:
    key, label = "learned", "What you learned"
    spans = t.find(_LEARNED)
    if spans:
        return (
            Check(
                key,
                label,
                "pass",
                "You show you looked honestly at why. That's what they want to hear.",
                _quotes(t, spans, limit=3),
            ),
            "",
        )
    return (
        Check(
            key,
            label,
            "missing",
            "The answer doesn't say what you took from it. One honest reason shows insight.",
        ),
        "Add what you learned: the one or two real reasons, said plainly, like “my program "
        "list was too short and too academic.”",
    )


def _acted(t: _Text, role: Mapping[str, Any] | None) -> _Rule:
    key, label = "acted", "What you did about it"
    roles, results = _concrete(t)
    concrete = _merge([*roles, *results])
    actions = t.find(_ACTED)
    if concrete:
        return (
            Check(
                key,
                label,
                "pass",
                "You show concrete steps with results.",
                _quotes(t, concrete, limit=4),
            ),
            "",
        )
    role_words = ROLE_WORDS.get(_role_kind(role), "")
    hint = f" (for you, {role_words.split(',')[0]})" if role_words else ""
    if actions:
        return (
            Check(
                key,
                label,
                "partly",
                "You say what you did; a number or a named result would make it land.",
                _quotes(t, actions, limit=3),
            ),
            "Put one number or named result on what you did: how many programs, which exam "
            "and score, which project.",
        )
    return (
        Check(key, label, "missing", "The answer doesn't yet say what you changed."),
        f"Say what you did about it{hint}, with one result you can count or name.",
    )


def _forward(t: _Text) -> _Rule:
    key, label = "forward", "Ending forward"
    last, anywhere = _forward_in_last(t)
    if last:
        return (
            Check(key, label, "pass", "You finish looking ahead.", _quotes(t, last[:1])),
            "",
        )
    if anywhere:
        return (
            Check(
                key,
                label,
                "partly",
                "There's a forward-looking line, but it isn't the last thing they hear.",
                _quotes(t, t.find(_FORWARD)[:1]),
            ),
            "Move your forward-looking line to the very end, so it's what stays with them.",
        )
    return (
        Check(key, label, "missing", "The answer stops without looking ahead."),
        "End on what comes next: what you're ready to bring to residency.",
    )


def _review_not_matching(
    answer: str,
    *,
    specialty: str | None,
    profile: Mapping[str, Any],
    role: Mapping[str, Any] | None,
    target: tuple[int, int],
) -> Report:
    """Acknowledge briefly, what you learned, what you did about it, forward."""
    target = _valid_target(target)
    t = _Text(answer)
    growth_like = _sentences_with(t, (*_ROLE, *_OUTPUTS, *_DUTIES, *_LEARNED, *_ACTED))
    rules = [
        _acknowledgement(t, growth_like),
        _learned(t),
        _acted(t, role),
        _forward(t),
        _tone(t),
        _evidence(t),
        _length(t, target),
    ]
    return _report(
        QUESTIONS["not_matching"],
        t,
        rules,
        "not_matching",
        target,
        scaffold("not_matching", specialty=specialty, profile=profile, role=role),
    )
