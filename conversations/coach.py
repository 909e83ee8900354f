"""The coach: one pure function from (input, where the user is, what they told us) to a Turn.

Order matters and is the same for every input: crisis language first (whatever the flow),
then limits on the message, then commands, then buttons, then the open question. A flow's
state is only changed by an answer to that flow; a crisis reply, a help page, a sticker or a
stale button leaves it exactly as it was.

The features are listed in ``conversations.catalog``, in order: each brings its flows,
commands, buttons and what it says when one of its flows ends.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from conversations import engine, texts
from conversations.catalog import (
    BY_CODE,
    FEATURES,
    FLOWS,
    FORMS,
    OWNER,
    RUN,
    heard,
    reads,
    session,
)
from conversations.engine import Flow, Outcome
from conversations.features import care
from conversations.features.onboarding import ONBOARDING, onboarding_complete
from conversations.features.onboarding import feature as profile
from conversations.messages import (
    Button,
    Command,
    DeleteAllData,
    DialogueState,
    ExportData,
    Form,
    Other,
    Press,
    RecordEvent,
    Reply,
    Text,
    Turn,
    UserInput,
    phone_sized,
)
from conversations.rules.crisis import is_crisis
from conversations.rules.parsing import Invalid, closest_word
from conversations.session import CoachConfig, Session, UserView, remember_keyboard

__all__ = ["FEATURES", "FLOWS", "CoachConfig", "UserView", "handle", "reads"]

# Global buttons start with "@" so they can never collide with a flow's "code.key.value".
CONTINUE = "@go.continue"
DELETE_YES, DELETE_NO = "@del.yes", "@del.no"
_DELETE_PENDING = "delete_pending"


def handle(
    inp: UserInput,
    state: DialogueState,
    user: UserView,
    now_utc: datetime,
    config: CoachConfig | None = None,
) -> Turn:
    """Answer one input. Pure: storage and sending are the caller's job.

    Whatever answered, the turn is then settled against the plan (``Session.settle``): the
    milestones its effects complete are ticked off, and the plan's reminders follow. A
    button's label typed is that button pressed (``catalog.heard``), and the buttons each
    turn shows are remembered for the next one. Every turn's replies pass ``phone_sized``
    last: a long reply with buttons is split so that the part asking something arrives on
    the screen with its buttons.
    """
    s = session(state, user, now_utc, config)
    meant = heard(inp, state)
    turn = s.settle(_route(s, meant))
    if meant is not inp and not turn.replies:
        # A tap may be answered by a toast alone; a typed message needs words back.
        turn = replace(turn, replies=(Reply(turn.toast or texts.ALREADY_SAVED),))
    turn = remember_keyboard(turn, state)
    return replace(turn, replies=phone_sized(turn.replies))


def _route(s: Session, inp: UserInput) -> Turn:
    if isinstance(inp, Text):
        return _text(s, inp.text)
    if isinstance(inp, Command):
        s.args = inp.args
        return _command(s, inp.name)
    if isinstance(inp, Press):
        return _press(s, inp.data)
    if isinstance(inp, Form):
        return _form(s, inp)
    return _other(s, inp)


# ---------------------------------------------------------------- inputs


def _text(s: Session, text: str) -> Turn:
    if is_crisis(text):
        return _crisis(s)
    if len(text) > s.config.max_text_chars:
        return s.say_then_reask(texts.too_long(len(text), s.config.max_text_chars))
    if not text.strip():
        return s.say_then_reask(texts.EMPTY_TEXT)
    misread = care.misread_reply(s, text)
    if misread is not None:
        return misread
    flow = s.flow
    if flow is not None and s.state.step is not None:
        reader = OWNER[flow.name].text
        read = reader(s, text) if reader is not None else None
        if read is not None:
            return read
        return _outcome(s, flow, engine.handle_text(flow, s.state, text, s.ctx(flow)))
    if not s.user.profile:
        return _start(s)
    if not onboarding_complete(s):
        return s.turn(Reply(texts.welcome_back(s.user.name, False), _resume_buttons()))
    return s.turn(Reply(texts.IDLE_TEXT, care.support_row_today(s)))


def _form(s: Session, inp: Form) -> Turn:
    """A Mini App form: the feature that declares it answers; the dialogue stays where it was
    (the page edits items, it never moves a flow), and the page gets no chat replies. Crisis
    language in what the page sent is answered first, whatever the form: the page shows it."""
    handler = FORMS.get(inp.action)
    if handler is None:
        return s.refuse("That isn't something this page can do.")
    turn = replace(handler(s, inp.fields), replies=(), state=s.state)
    if any(is_crisis(v) for v in inp.fields.values() if isinstance(v, str)):
        # Crisis words in a note get the same caring reply as in the chat, on the page.
        care_words = texts.crisis_reply(s.config.crisis_lines)
        data = {**(turn.data or {}), "care": care_words}
        effects = (*turn.effects, RecordEvent(care.CRISIS_EVENT))
        turn = replace(turn, data=data, effects=effects)
    return turn


def _other(s: Session, inp: Other) -> Turn:
    if inp.caption and is_crisis(inp.caption):
        return _crisis(s)
    if inp.kind == "edited":
        return s.say_then_reask(texts.EDITED_MESSAGE)
    owner = OWNER.get(s.state.flow or "")
    if owner is not None and owner.other is not None:
        handled = owner.other(s, inp)
        if handled is not None:
            return handled
    if s.flow is None and inp.kind == "document":
        for feature in FEATURES:
            if feature.documents is not None:
                taken = feature.documents(s, inp)
                if taken is not None:
                    return taken
    return s.say_then_reask(texts.not_text(inp.kind, s.flow is not None))


def _command(s: Session, name: str) -> Turn:
    handler = {
        "start": _start,
        "help": _help,
        "cancel": _cancel,
        "back": _back,
        "skip": _skip,
        "export": _export,
        "delete": _ask_delete,
    }.get(name)
    if handler is not None:
        return handler(s)
    for feature in FEATURES:
        if name in feature.commands:
            return feature.commands[name](s)
    near = closest_word(name, [known for known, _ in texts.COMMANDS])
    if near is not None:
        # A short question with a button, not the whole help page; the open question stays.
        ask = Reply(texts.did_you_mean(name, near), ((Button(f"Yes, /{near}", RUN + near),),))
        again = s.current_question("Where we were:")
        return s.turn(ask, *((again,) if again else ()))
    return s.say_then_reask(texts.unknown_command(name))


def _press(s: Session, data: str) -> Turn:
    if data == CONTINUE:
        return _resume(s)
    if data in (DELETE_YES, DELETE_NO):
        return _confirm_delete(s, data == DELETE_YES)
    if data.startswith("@"):
        for feature in FEATURES:
            for prefix, handler in feature.buttons.items():
                if data.startswith(prefix):
                    return handler(s, data.removeprefix(prefix))
        return s.say_then_reask(texts.UNKNOWN_BUTTON, toast="Nothing changed")
    code, _, rest = data.partition(".")
    key, _, value = rest.partition(".")
    flow = BY_CODE.get(code)
    if flow is None or flow.question(key) is None:
        return s.say_then_reask(texts.UNKNOWN_BUTTON, toast="Nothing changed")
    if s.state.flow == flow.name and s.state.step == key:
        return _outcome(s, flow, engine.handle_press(flow, s.state, value, s.ctx(flow)))
    return _stale_press(s, flow, key, value)


# ---------------------------------------------------------------- flows ending


def _outcome(s: Session, flow: Flow, result: Outcome) -> Turn:
    """An engine outcome as a Turn; when the flow ends, its feature has the last word."""
    if not result.finished:
        return Turn(tuple(result.replies), result.state, tuple(result.effects), result.toast)
    owner = OWNER[flow.name]
    ending = owner.finished(s, flow, result) if owner.finished else Turn((), DialogueState())
    effects = (*result.effects, *ending.effects, RecordEvent(f"{flow.name}_finished"))
    return Turn(
        (*result.replies, *ending.replies), ending.state, effects, result.toast or ending.toast
    )


# ---------------------------------------------------------------- commands


def _start(s: Session) -> Turn:
    if s.flow is not None:
        return s.say_then_reask(texts.welcome_back(s.user.name, False))
    if not s.user.profile:
        begun = s.begin(ONBOARDING)
        intro = Reply(texts.welcome(s.user.first_name))
        return Turn((intro, *begun.replies), begun.state, (RecordEvent("started"),))
    if onboarding_complete(s):
        buttons = ((Button("Review my profile", profile.REVIEW),),)
        return s.turn(Reply(texts.welcome_back(s.user.name, True), buttons))
    return s.turn(Reply(texts.welcome_back(s.user.name, False), _resume_buttons()))


def _resume_buttons() -> tuple[tuple[Button, ...], ...]:
    return (
        (Button("Continue where I left off", CONTINUE),),
        (Button("Review my answers", profile.REVIEW),),
    )


def _resume(s: Session) -> Turn:
    if s.flow is not None:
        return s.turn(s.current_question("Here's where we were.") or Reply(texts.IDLE_TEXT))
    if not onboarding_complete(s):
        return s.begin(ONBOARDING)
    return s.turn(Reply(texts.IDLE_TEXT))


def _help(s: Session) -> Turn:
    again = s.current_question("Where we were:")
    return s.turn(Reply(texts.help_text(), care.support_row_today(s)), *((again,) if again else ()))


def _cancel(s: Session) -> Turn:
    if s.flow is None:
        return s.turn(Reply(texts.NOTHING_TO_CANCEL))
    return Turn((Reply(texts.CANCELLED),), DialogueState())


def _back(s: Session) -> Turn:
    flow = s.flow
    if flow is None:
        return s.turn(Reply(texts.NOTHING_TO_GO_BACK))
    return _outcome(s, flow, engine.back(flow, s.state, s.ctx(flow)))


def _skip(s: Session) -> Turn:
    flow = s.flow
    if flow is None:
        return s.turn(Reply(texts.NOTHING_TO_SKIP))
    return _outcome(s, flow, engine.skip(flow, s.state, s.ctx(flow)))


def _export(s: Session) -> Turn:
    return s.turn(Reply(texts.EXPORT_INTRO), effects=(ExportData(),))


def _ask_delete(s: Session) -> Turn:
    buttons = (
        (Button("Yes, delete everything", DELETE_YES),),
        (Button("No, keep my data", DELETE_NO),),
    )
    state = replace(s.state, data={**s.state.data, _DELETE_PENDING: True})
    return Turn((Reply(texts.DELETE_ASK, buttons),), state)


def _confirm_delete(s: Session, yes: bool) -> Turn:
    if not s.state.data.get(_DELETE_PENDING):
        return s.say_then_reask(texts.DELETE_EXPIRED, toast="Nothing erased")
    s.state = replace(s.state, data={k: v for k, v in s.state.data.items() if k != _DELETE_PENDING})
    if yes:
        return Turn((Reply(texts.DELETE_DONE),), DialogueState(), (DeleteAllData(),), "Erased")
    return s.say_then_reask(texts.DELETE_KEPT, toast="Kept")


# ---------------------------------------------------------------- care and stale input


def _crisis(s: Session) -> Turn:
    buttons = (
        (Button("My safety plan", care.OPEN_SAFETY),),
        (Button("Continue when I'm ready", CONTINUE),),
    )
    reply = Reply(texts.crisis_reply(s.config.crisis_lines), buttons)
    return s.turn(reply, effects=(RecordEvent(care.CRISIS_EVENT),))


def _stale_press(s: Session, flow: Flow, key: str, value: str) -> Turn:
    q = flow.question(key)
    assert q is not None
    ctx = s.ctx(flow)
    stored = s.user.flow_answers(flow.name)  # all of them, even from an earlier run
    if key in stored:
        choice = next((c for c in q.choices_for(ctx) if c.value == value), None)
        if choice is not None and _stored_value(q, choice, ctx) == stored[key]:
            return s.turn(toast=texts.ALREADY_SAVED)
        shown = q.display(stored[key], ctx)
        return s.say_then_reask(
            texts.already_answered(q.label, shown, flow.change_hint), toast="Nothing changed"
        )
    if s.flow is None:
        return s.turn(Reply(texts.STALE_IDLE), toast="Nothing changed")
    return s.say_then_reask(texts.STALE_BUTTON, toast="Nothing changed")


def _stored_value(q: engine.Question, choice: engine.Choice, ctx: engine.Context) -> Any:
    if choice.stores is not None:
        return choice.stores
    if choice.typed and q.parse is not None:
        try:
            return q.parse(choice.value, ctx)
        except Invalid:
            return None
    return choice.value
