"""A small flow engine: a flow is data, and one pure function moves a user through it.

A flow is a named, ordered tuple of questions. Each question says what it asks, which
choices it offers as buttons, how typed text is parsed and validated, whether it may be
skipped, when it applies, and whether its answer is confirmed before it is stored. The
engine turns (question, state, input) into replies, a new state and effects; it never
stores anything itself and never knows which transport is talking.

"Next" is the first question, in declared order, that applies to the answers so far and
has no answer yet. That one rule gives resume after /cancel or a crash, /back (the
re-answered question is followed by the one the user was on), and editing a single answer
from /profile (the flow only continues if the change made a new question relevant).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from conversations.messages import Button, DialogueState, Effect, Reply, SaveAnswer
from conversations.rules.clock import show_time, uses_24h
from conversations.rules.parsing import (
    NO_WORDS,
    YES_WORDS,
    Invalid,
    label_key,
    match_label,
    zone_for,
)

# Button values the engine itself understands (choice values never start with "!").
SKIP, DONE, YES, NO = "!skip", "!done", "!yes", "!no"


@dataclass(frozen=True)
class Context:
    """What a question may look at: this flow's answers so far, the clock, the user's name."""

    answers: Mapping[str, Any]
    now_utc: datetime
    first_name: str | None = None
    profile: Mapping[str, Any] = field(default_factory=dict)
    # The whole UserView (typed loosely: the engine stays below the session), for prompts
    # that show more than this flow's answers, such as last week's tasks.
    user: Any = None

    @property
    def today(self) -> date:
        """Today in the user's own time zone once they gave one (else UTC)."""
        key = self.profile.get("timezone") or self.answers.get("timezone")
        if isinstance(key, str):
            try:
                return self.now_utc.astimezone(zone_for(key)).date()
            except Invalid:
                pass
        return self.now_utc.date()

    @property
    def hour24(self) -> bool:
        """Whether this user reads times as 19:00 (else 7:00 PM): their choice, else their zone."""
        chosen = getattr(self.user, "hour24", None)
        if isinstance(chosen, bool):
            return chosen
        key = self.profile.get("timezone") or self.answers.get("timezone")
        return uses_24h(key if isinstance(key, str) else None)

    def with_answer(self, key: str, value: Any) -> Context:
        return replace(self, answers={**self.answers, key: value})


@dataclass(frozen=True)
class Choice:
    """A button. ``typed``: pressing it is the same as typing ``value`` (goes through parse).

    ``stores`` overrides what is saved (default: the value itself).
    """

    value: str
    label: str
    typed: bool = False
    stores: Any = None


Choices = Sequence[Choice] | Callable[[Context], Sequence[Choice]]
Parser = Callable[[str, Context], Any]


@dataclass(frozen=True)
class Question:
    key: str
    label: str  # short name, used by /profile
    prompt: str | Callable[[Context], str]
    choices: Choices = ()
    parse: Parser | None = None
    optional: bool = False
    multi: bool = False
    exclusive: str | None = None  # in a multi-select, the choice that clears the others
    ask_if: Callable[[Context], bool] | None = None
    confirm: Callable[[Any, Context], str] | None = None
    show: Callable[[Any], str] | None = None
    columns: int = 2
    why_needed: str = "your plan is built on it."
    # What a typed answer was understood as, said back before the next question ("Got it:
    # Wed, Apr 15, 2026."), or None when there is nothing worth saying back.
    understood: Callable[[str, Any], str | None] | None = None
    # The answer is a time of day ("HH:MM"): shown, and its buttons labelled, in the user's clock.
    clock: bool = False

    def applies(self, ctx: Context) -> bool:
        return self.ask_if is None or self.ask_if(ctx)

    def choices_for(self, ctx: Context) -> tuple[Choice, ...]:
        return tuple(self.choices(ctx) if callable(self.choices) else self.choices)

    def prompt_for(self, ctx: Context) -> str:
        return self.prompt(ctx) if callable(self.prompt) else self.prompt

    def display(self, value: Any, ctx: Context) -> str:
        """The stored value as a person reads it."""
        if value is None:
            return "skipped"
        if self.clock:
            return show_time(str(value), ctx.hour24)
        if self.show is not None:
            return self.show(value)
        choices = self.choices_for(ctx)
        # A choice that stores something else (True for "Yes") is found by what it stores too.
        labels = {str(c.stores): c.label for c in choices if c.stores is not None}
        labels.update({c.value: c.label for c in choices})
        if isinstance(value, list):
            return ", ".join(labels.get(v, str(v)) for v in value) or "none"
        return labels.get(str(value), str(value))


@dataclass(frozen=True)
class Flow:
    name: str
    code: str  # short prefix in button data
    questions: tuple[Question, ...]
    change_hint: str = "send /profile and pick it"  # how to change an answer later
    # A flow run again from the top (a new target, new notes) asks every question anew:
    # only answers given in the current run count as answered.
    fresh_runs: bool = False

    def __post_init__(self) -> None:
        keys = [q.key for q in self.questions]
        if len(keys) != len(set(keys)):
            raise ValueError(f"duplicate question keys in {self.name}")

    def question(self, key: str | None) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)

    def relevant(self, ctx: Context) -> list[Question]:
        return [q for q in self.questions if q.applies(ctx)]

    def next_question(self, ctx: Context) -> Question | None:
        return next((q for q in self.relevant(ctx) if q.key not in ctx.answers), None)

    def button_data(self, key: str, value: str) -> str:
        return f"{self.code}.{key}.{value}"


@dataclass
class Outcome:
    """What the engine decided for one input. ``finished``: no question is left."""

    replies: list[Reply]
    state: DialogueState
    effects: list[Effect] = field(default_factory=list)
    toast: str | None = None
    finished: bool = False


# ---------------------------------------------------------------- asking


def ask(
    flow: Flow,
    q: Question,
    ctx: Context,
    *,
    preface: str | None = None,
    selected: Sequence[str] = (),
    edit: bool = False,
) -> Reply:
    """The message that asks ``q``: progress, prompt, and its buttons."""
    relevant = flow.relevant(ctx)
    position = next((i for i, r in enumerate(relevant) if r.key == q.key), 0) + 1
    # "(3/21)" tells a long flow's progress; a one-question flow needs no counter.
    counter = f"({position}/{len(relevant)}) " if len(relevant) > 1 else ""
    text = f"{counter}{q.prompt_for(ctx)}"
    if q.key in ctx.answers:
        text += f"\nSaved answer: {q.display(ctx.answers[q.key], ctx)}"
    if preface:
        text = f"{preface}\n\n{text}"
    rows: list[tuple[Button, ...]] = []
    row: list[Button] = []
    for choice in q.choices_for(ctx):
        label = show_time(choice.value, ctx.hour24) if q.clock else choice.label
        if q.multi:
            label = ("✅ " if choice.value in selected else "▫️ ") + label
        row.append(Button(label, flow.button_data(q.key, choice.value)))
        if len(row) == q.columns:
            rows.append(tuple(row))
            row = []
    if row:
        rows.append(tuple(row))
    extra = []
    if q.multi:
        extra.append(Button("Done ✔", flow.button_data(q.key, DONE)))
    if q.optional:
        extra.append(Button("Skip", flow.button_data(q.key, SKIP)))
    if extra:
        rows.append(tuple(extra))
    return Reply(text, tuple(rows), edit=edit)


def _state(flow: Flow, q: Question | None, data: Mapping[str, Any]) -> DialogueState:
    if q is None:
        return DialogueState()
    return DialogueState(flow.name, q.key, dict(data))


# In a run's state: the tracker item ([kind, key]) the run is about, kept to its end (an
# "item run": adding a writer, or changing one field of it; see ``Session.item``).
ITEM = "item"


def begin(
    flow: Flow,
    ctx: Context,
    *,
    key: str | None = None,
    preface: str | None = None,
    item: tuple[str, str] | None = None,
) -> Outcome:
    """Start (or resume) ``flow``: at ``key`` when given (editing one answer), else next.
    ``item`` names the tracker item this run fills in, kept in the state to the run's end."""
    q = flow.question(key) if key else flow.next_question(ctx)
    if q is None:
        return Outcome([], DialogueState(), finished=True)
    data: dict[str, Any] = {"history": [], "edit": key is not None}
    if item is not None:
        data[ITEM] = list(item)
    return Outcome([ask(flow, q, ctx, preface=preface)], _state(flow, q, data))


def reask(flow: Flow, state: DialogueState, ctx: Context, preface: str | None = None) -> Reply:
    """The current question again (after a refusal, a sticker, a help page...)."""
    q = flow.question(state.step)
    if q is None:  # a flow changed under a stored state: be honest, not silent
        return Reply(preface or "Let's pick up again: send /start.")
    pending = state.data.get("pending")
    if pending is not None and q.confirm is not None:
        return _confirm_reply(flow, q, pending["value"], ctx, preface)
    return ask(flow, q, ctx, preface=preface, selected=state.data.get("selected", ()))


# ---------------------------------------------------------------- answering


def handle_text(flow: Flow, state: DialogueState, text: str, ctx: Context) -> Outcome:
    q = _current(flow, state)
    pending = state.data.get("pending")
    if pending is not None and q.confirm is not None:
        word = label_key(text)
        if word in YES_WORDS | {"correct", "right", "thats right", "ok", "okay"}:
            return _save(flow, q, state, ctx, pending["raw"], pending["value"])
        if word in NO_WORDS | {"wrong", "change", "change it"}:
            return _without_pending(flow, q, state, ctx, "No problem, let's fix it.")
    if q.multi:
        return _multi_text(flow, q, state, text, ctx)
    choice = _match_choice(q, text, ctx)
    note = None
    try:
        if choice is not None and not choice.typed:
            value = choice.value if choice.stores is None else choice.stores
        elif q.parse is not None:
            value = q.parse(choice.value if choice is not None else text, ctx)
            if choice is None and q.understood is not None and q.confirm is None:
                note = q.understood(text, value)
        else:
            raise Invalid(_pick_one_reason(q, ctx))
    except Invalid as refused:
        return Outcome(
            [reask(flow, _drop_pending(state), ctx, refused.reason)], _drop_pending(state)
        )
    return _accept(flow, q, state, ctx, text, value, note)


def handle_press(flow: Flow, state: DialogueState, value: str, ctx: Context) -> Outcome:
    """A press on a button of the current question (the caller checked flow and step)."""
    q = _current(flow, state)
    if value == SKIP:
        return skip(flow, state, ctx)
    if q.confirm is not None and value in (YES, NO):
        pending = state.data.get("pending")
        if pending is None:
            return Outcome([reask(flow, state, ctx, "That confirmation is no longer open.")], state)
        if value == YES:
            return _save(flow, q, state, ctx, pending["raw"], pending["value"])
        return _without_pending(flow, q, state, ctx, "No problem, let's fix it.")
    choices = {c.value: c for c in q.choices_for(ctx)}
    if q.multi:
        selected = list(state.data.get("selected", []))
        if value == DONE:
            chosen = [c for c in choices if c in selected] or ([q.exclusive] if q.exclusive else [])
            if not chosen:  # nothing ticked and no "none of these": a skip, or tick one first
                if q.optional:
                    return _save(flow, q, _drop_selected(state), ctx, None, None, skipped=True)
                note = "Tick at least one box, then tap Done."
                return Outcome([reask(flow, state, ctx, note)], state)
            labels = ", ".join(choices[c].label for c in chosen)
            return _save(flow, q, _drop_selected(state), ctx, labels, chosen)
        if value not in choices:
            return _forged(flow, state, ctx)
        selected = _toggle(q, selected, value)
        new_state = replace(state, data={**state.data, "selected": selected})
        return Outcome([ask(flow, q, ctx, selected=selected, edit=True)], new_state)
    choice = choices.get(value)
    if choice is None:
        return _forged(flow, state, ctx)
    if choice.typed and q.parse is not None:
        try:
            parsed = q.parse(choice.value, ctx)
        except Invalid as refused:
            return Outcome([reask(flow, state, ctx, refused.reason)], state)
        return _accept(flow, q, state, ctx, choice.label, parsed)
    stored = choice.value if choice.stores is None else choice.stores
    return _accept(flow, q, state, ctx, choice.label, stored)


def skip(flow: Flow, state: DialogueState, ctx: Context) -> Outcome:
    q = _current(flow, state)
    if not q.optional:
        return Outcome(
            [reask(flow, state, ctx, f"This one can't be skipped: {q.why_needed}")], state
        )
    return _save(flow, q, state, ctx, None, None, skipped=True)


def back(flow: Flow, state: DialogueState, ctx: Context) -> Outcome:
    history = list(state.data.get("history", []))
    while history:
        previous = flow.question(history.pop())
        if previous is not None and previous.applies(ctx):
            data = {**_clean(state).data, "history": history}
            return Outcome(
                [ask(flow, previous, ctx, preface="Going back one question.")],
                _state(flow, previous, data),
            )
    note = "We're at the first question of this part, so there's nothing to go back to."
    return Outcome([reask(flow, state, ctx, note)], state)


# ---------------------------------------------------------------- internals


def _current(flow: Flow, state: DialogueState) -> Question:
    q = flow.question(state.step)
    if q is None:
        raise LookupError(f"{flow.name} has no step {state.step!r}")
    return q


def _accept(
    flow: Flow,
    q: Question,
    state: DialogueState,
    ctx: Context,
    raw: str,
    value: Any,
    note: str | None = None,
) -> Outcome:
    if q.confirm is None:
        return _save(flow, q, state, ctx, raw, value, note=note)
    data = {**state.data, "pending": {"raw": raw, "value": value}}
    new_state = replace(state, data=data)
    return Outcome([_confirm_reply(flow, q, value, ctx)], new_state)


def _confirm_reply(
    flow: Flow, q: Question, value: Any, ctx: Context, preface: str | None = None
) -> Reply:
    assert q.confirm is not None
    text = q.confirm(value, ctx)
    if preface:
        text = f"{preface}\n\n{text}"
    buttons = (
        (
            Button("Yes, that's right", flow.button_data(q.key, YES)),
            Button("No, change it", flow.button_data(q.key, NO)),
        ),
    )
    return Reply(text, buttons)


def _save(
    flow: Flow,
    q: Question,
    state: DialogueState,
    ctx: Context,
    raw: str | None,
    value: Any,
    *,
    skipped: bool = False,
    note: str | None = None,
) -> Outcome:
    """Store the answer and ask what comes next; ``note`` (what a typed answer was understood
    as) goes before the next question, or alone when none is left."""
    effect = SaveAnswer(flow.name, q.key, raw, value, skipped=skipped)
    ctx = ctx.with_answer(q.key, value)
    history = [*state.data.get("history", []), q.key]
    nxt = flow.next_question(ctx)
    toast = "Skipped" if skipped else "Saved ✓"
    if nxt is None:
        said = [Reply(note)] if note else []
        return Outcome(said, DialogueState(), [effect], toast, finished=True)
    # An edit from /profile that made a new question relevant stays an edit to the end.
    data = {"history": history, "edit": bool(state.data.get("edit"))}
    if ITEM in state.data:
        data[ITEM] = state.data[ITEM]
    return Outcome([ask(flow, nxt, ctx, preface=note)], _state(flow, nxt, data), [effect], toast)


def _without_pending(
    flow: Flow, q: Question, state: DialogueState, ctx: Context, note: str
) -> Outcome:
    new_state = _drop_pending(state)
    return Outcome([ask(flow, q, ctx, preface=note)], new_state)


def _drop_pending(state: DialogueState) -> DialogueState:
    return replace(state, data={k: v for k, v in state.data.items() if k != "pending"})


def _drop_selected(state: DialogueState) -> DialogueState:
    return replace(state, data={k: v for k, v in state.data.items() if k != "selected"})


def _clean(state: DialogueState) -> DialogueState:
    return _drop_selected(_drop_pending(state))


def _forged(flow: Flow, state: DialogueState, ctx: Context) -> Outcome:
    note = "I couldn't read that button, so nothing was changed."
    return Outcome([reask(flow, state, ctx, note)], state, toast="Nothing changed")


def _toggle(q: Question, selected: list[str], value: str) -> list[str]:
    if value in selected:
        return [v for v in selected if v != value]
    if value == q.exclusive:
        return [value]
    return [v for v in selected if v != q.exclusive] + [value]


def _match_choice(q: Question, text: str, ctx: Context) -> Choice | None:
    """The choice whose label (or value) ``text`` names: case, punctuation, emoji and ticks
    ignored, and "yep" or "nope" for a "Yes, ..." or "No, ..." choice (``match_label``)."""
    choices = q.choices_for(ctx)
    index = match_label(text, [c.label for c in choices])
    if index is not None:
        return choices[index]
    wanted = label_key(text)
    return next((c for c in choices if wanted and wanted == label_key(c.value)), None)


def _pick_one_reason(q: Question, ctx: Context) -> str:
    labels = ", ".join(c.label for c in q.choices_for(ctx))
    return f"Please tap one of the buttons (or type one of: {labels})."


def _multi_text(flow: Flow, q: Question, state: DialogueState, text: str, ctx: Context) -> Outcome:
    """A typed multi-select answer: one label, or labels separated by commas (or 'and')."""
    whole = _match_choice(q, text, ctx)  # "No, never" is one label with a comma inside
    parts = [text] if whole is not None else text.replace(" and ", ",").split(",")
    parts = [p for p in parts if label_key(p)]
    choices = q.choices_for(ctx)
    chosen: list[str] = []
    for part in parts:
        match = _match_choice(q, part, ctx)
        if match is None:
            labels = ", ".join(c.label for c in choices)
            note = f"I couldn't match “{part.strip()[:40]}”. Tap the boxes that apply, or type some of: {labels}."
            return Outcome([reask(flow, state, ctx, note)], state)
        chosen.append(match.value)
    if q.exclusive and q.exclusive in chosen and len(chosen) > 1:
        labels = next(c.label for c in choices if c.value == q.exclusive)
        note = f"“{labels}” can't go with other choices. Tap the ones that apply, then Done."
        return Outcome([reask(flow, state, ctx, note)], state)
    if not chosen:
        return Outcome([reask(flow, state, ctx, _pick_one_reason(q, ctx))], state)
    return _save(flow, q, _drop_selected(state), ctx, text, list(dict.fromkeys(chosen)))
