""" "Why <specialty>?": names the specialty and tells a real moment, not a cliché."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conversations.rules.interview.checks import _evidence, _length, _tone
from conversations.rules.interview.profile import _specialty_terms, _target_name
from conversations.rules.interview.questions import question_text
from conversations.rules.interview.report import Check, Report, _report, _Rule, _valid_target
from conversations.rules.interview.scaffold import scaffold
from conversations.rules.interview.text import _quotes, _rx, _Text

# A specific patient or clinical moment, for "Why <specialty>?".
_STORY = _rx(
    r"\b(?:a|one|the\s+first)\s+patient\b",
    r"\bwhen\s+I\b",
    r"\bduring\s+my\b",
    r"\bI\s+(?:saw|remember|met|cared\s+for|took\s+care\s+of|admitted|followed|watched|sat\s+with)\b",
    r"\bon\s+my\s+(?:[\w-]+\s+){0,2}?(?:rotation|clerkship|sub-?internship|shift)\b",
)
_CLICHES = _rx(
    r"\bcontinuity\s+of\s+care\b",
    r"\bhelp(?:ing)?\s+people\b",
    r"\bmake\s+a\s+difference\b",
    r"\b(?:I've|I\s+have)\s+always\s+(?:wanted|loved|been)\b",
    r"\bever\s+since\s+I\s+was\b",
    r"\bsince\s+I\s+was\s+(?:a\s+child|young|little)\b",
    r"\bI\s+love\b",
)


def _names_specialty(t: _Text, name: str) -> _Rule:
    key = "specialty"
    label = f"Names {name}" if name else "Names the specialty"
    spans = t.find(_specialty_terms(name))
    if spans:
        return (
            Check(key, label, "pass", "The specialty is named.", _quotes(t, spans[:1])),
            "",
        )
    return (
        Check(key, label, "missing", "The specialty itself isn't named."),
        f"Say {name or 'the specialty'} by name in your first sentence.",
    )


def _story(t: _Text) -> _Rule:
    key, label = "story", "A specific patient or moment"
    spans = t.find(_STORY)
    if spans:
        return (
            Check(
                key,
                label,
                "pass",
                "You ground it in something that happened. That's what people remember.",
                _quotes(t, spans, limit=3),
            ),
            "",
        )
    cliches = t.find(_CLICHES)
    if cliches:
        return (
            Check(
                key,
                label,
                "partly",
                "These are lines many applicants use. They become yours with a real "
                "moment behind them.",
                _quotes(t, cliches),
            ),
            f"Back up “{t.quote(cliches[0])}” with one specific patient: who they were, "
            "what you did, what it showed you.",
        )
    return (
        Check(key, label, "missing", "No specific patient or clinical moment yet."),
        "Tell one specific moment: a patient you cared for, what you noticed and what you did.",
    )


def _review_why_specialty(
    answer: str,
    *,
    specialty: str | None,
    profile: Mapping[str, Any],
    role: Mapping[str, Any] | None,
    target: tuple[int, int],
) -> Report:
    """Names the specialty, tells a real moment, evidence over adjectives, tone, length."""
    target = _valid_target(target)
    t = _Text(answer)
    name = _target_name(specialty, profile)
    rules = [
        _names_specialty(t, name),
        _story(t),
        _tone(t),
        _evidence(t),
        _length(t, target),
    ]
    return _report(
        question_text("why_specialty", specialty=specialty, profile=profile),
        t,
        rules,
        "why_specialty",
        target,
        scaffold("why_specialty", specialty=specialty, profile=profile, role=role),
    )
