""" "So, you're applying again. What did you do this past year?": acknowledgement, growth, tie."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conversations.rules.interview.checks import (
    _acknowledgement,
    _evidence,
    _growth,
    _length,
    _tie,
    _tone,
)
from conversations.rules.interview.patterns import _DEEPENED, _DUTIES, _OUTPUTS, _ROLE
from conversations.rules.interview.profile import _target_name
from conversations.rules.interview.questions import QUESTIONS
from conversations.rules.interview.report import DEFAULT_TARGET, Report, _report, _valid_target
from conversations.rules.interview.scaffold import scaffold
from conversations.rules.interview.text import _sentences_with, _Text


def review_past_year(
    answer: str,
    *,
    specialty: str | None,
    profile: Mapping[str, Any],
    role: Mapping[str, Any] | None,
    target: tuple[int, int] = DEFAULT_TARGET,
) -> Report:
    """Feedback on "So, you're applying again. What did you do this past year?"."""
    target = _valid_target(target)
    t = _Text(answer)
    name = _target_name(specialty, profile)
    growth_like = _sentences_with(t, (*_ROLE, *_OUTPUTS, *_DUTIES, *_DEEPENED))
    rules = [
        _acknowledgement(t, growth_like),
        _growth(t, role),
        _tie(t, name),
        _tone(t),
        _evidence(t),
        _length(t, target),
    ]
    return _report(
        QUESTIONS["past_year"],
        t,
        rules,
        "past_year",
        target,
        scaffold("past_year", specialty=specialty, profile=profile, role=role),
    )
