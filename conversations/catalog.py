"""Every feature of the coach, in order, and what the rest of the house looks up in them.

Adding a feature is one line in ``FEATURES``: its flows, commands, buttons, reminder kinds
and reads are found from its ``Feature`` declaration. The order is the order commands and
button prefixes are tried, and the order reminders are re-planned.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from conversations.engine import Flow
from conversations.features import (
    care,
    checkins,
    checklist,
    cv,
    exams,
    letters,
    network,
    onboarding,
    plan,
    postmortem,
    practice,
    programs,
    statement,
    target,
)
from conversations.features import reminders as reminder_controls
from conversations.messages import (
    Command,
    DialogueState,
    Effect,
    Form,
    Other,
    Press,
    Reply,
    Text,
    Turn,
    UserInput,
)
from conversations.session import (
    CoachConfig,
    Feature,
    Reminders,
    Session,
    UserView,
    typed_button,
)

FEATURES: tuple[Feature, ...] = (
    onboarding.FEATURE,
    postmortem.FEATURE,
    target.FEATURE,
    plan.FEATURE,
    reminder_controls.FEATURE,
    checkins.FEATURE,
    practice.FEATURE,
    care.FEATURE,
    letters.FEATURE,
    cv.FEATURE,
    exams.FEATURE,
    programs.FEATURE,
    checklist.FEATURE,
    network.FEATURE,
    statement.FEATURE,
)

FLOWS: dict[str, Flow] = {flow.name: flow for f in FEATURES for flow in f.flows}
OWNER: dict[str, Feature] = {flow.name: f for f in FEATURES for flow in f.flows}
BY_CODE: dict[str, Flow] = {flow.code: flow for flow in FLOWS.values()}
assert len(FLOWS) == sum(len(f.flows) for f in FEATURES), "two flows share a name"
assert len(BY_CODE) == len(FLOWS), "two flows share a button code"
# The Mini App's forms, by action: each belongs to one feature.
FORMS: dict[str, Callable[[Session, Mapping[str, str]], Turn]] = {
    action: handler for f in FEATURES for action, handler in f.forms.items()
}
assert len(FORMS) == sum(len(f.forms) for f in FEATURES), "two features answer the same form"


def _reminders_by_kind() -> dict[str, Reminders]:
    owners: dict[str, Reminders] = {}
    for feature in FEATURES:
        if feature.reminders is None:
            continue
        for kind in feature.reminders.kinds:
            assert kind not in owners, f"two features own the reminder kind {kind!r}"
            owners[kind] = feature.reminders
    return owners


REMINDERS: dict[str, Reminders] = _reminders_by_kind()
# The events whose last time some feature reads (care messages are not repeated too soon).
REMEMBERED: tuple[str, ...] = tuple(dict.fromkeys(k for f in FEATURES for k in f.remembers))


def session(
    state: DialogueState, user: UserView, now_utc: datetime, config: CoachConfig | None = None
) -> Session:
    """A turn's session, with every flow and feature the coach knows."""
    return Session(state, user, now_utc, config or CoachConfig(), FLOWS, features=FEATURES)


def render_nudge(kind: str, payload: Mapping[str, Any]) -> Reply | None:
    """The message a nudge becomes when it is sent; None for a kind nobody owns any more."""
    owner = REMINDERS.get(kind)
    return owner.render(kind, payload) if owner is not None else None


def replan_everything(user: UserView, now_utc: datetime) -> tuple[Effect, ...]:
    """Every reminder planned afresh (a user who blocked the bot is back)."""
    return session(DialogueState(), user, now_utc).replan()


# A button that runs a command ("Did you mean /checkin?"): pressing it is sending the command.
RUN = "@cmd."


def heard(inp: UserInput, state: DialogueState) -> UserInput:
    """What the user meant: the label of a button shown last, typed, is a press of it, and a
    press of a command's button is that command.

    Except on the open question's own answer buttons: the flow reads those itself, so the
    answer is stored as typed. Its Skip, Done, Yes and No are presses like any other.
    """
    if isinstance(inp, Text):
        data = typed_button(inp.text, state)
        if data is None:
            return inp
        flow = FLOWS.get(state.flow or "")
        if flow is not None and state.step is not None:
            own = f"{flow.code}.{state.step}."
            if data.startswith(own) and not data.removeprefix(own).startswith("!"):
                return inp
        inp = Press(data)
    if isinstance(inp, Press) and inp.data.startswith(RUN):
        return Command(inp.data.removeprefix(RUN))
    return inp


def reads(inp: UserInput, flow: str | None) -> set[str]:
    """Which heavier parts of a user's data this turn reads, so only those are loaded."""
    command = inp.name if isinstance(inp, Command) else None
    data = inp.data if isinstance(inp, Press) else None
    document = isinstance(inp, Other) and inp.kind == "document"
    form = inp.action if isinstance(inp, Form) else None
    return {
        r.name for f in FEATURES for r in f.reads if r.wanted(command, data, flow, document, form)
    }
