"""The coach: one pure function from (input, where the user is, what they told us) to a Turn.

Order matters and is the same for every input: crisis language first (whatever the flow),
then limits on the message, then commands, then buttons, then the open question. A flow's
state is only changed by an answer to that flow; a crisis reply, a help page, a sticker or a
stale button leaves it exactly as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from conversations import engine, texts
from conversations.crisis import is_crisis
from conversations.engine import Context, Flow, Outcome
from conversations.messages import (
    Button,
    Command,
    DeleteAllData,
    DialogueState,
    Effect,
    ExportData,
    Other,
    Press,
    RecordEvent,
    Reply,
    SaveAnswer,
    Text,
    Turn,
    UserInput,
)
from conversations.onboarding import ONBOARDING
from conversations.parsing import Invalid

FLOWS: dict[str, Flow] = {flow.name: flow for flow in (ONBOARDING,)}
_BY_CODE: dict[str, Flow] = {flow.code: flow for flow in FLOWS.values()}

# Global buttons start with "@" so they can never collide with a flow's "code.key.value".
CONTINUE, REVIEW = "@go.continue", "@go.review"
DELETE_YES, DELETE_NO = "@del.yes", "@del.no"
EDIT_PREFIX = "@edit."
_DELETE_PENDING = "delete_pending"


@dataclass(frozen=True)
class CoachConfig:
    crisis_lines: tuple[str, ...] = texts.DEFAULT_CRISIS_LINES
    max_text_chars: int = 4096


@dataclass(frozen=True)
class UserView:
    """What the coach may read about one user: their name and latest answers per flow."""

    first_name: str | None = None
    answers: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @property
    def profile(self) -> Mapping[str, Any]:
        return self.answers.get(ONBOARDING.name, {})

    @property
    def name(self) -> str | None:
        chosen = self.profile.get("name")
        return chosen if isinstance(chosen, str) else self.first_name


def handle(
    inp: UserInput,
    state: DialogueState,
    user: UserView,
    now_utc: datetime,
    config: CoachConfig = CoachConfig(),
) -> Turn:
    """Answer one input. Pure: storage and sending are the caller's job."""
    coach = _Coach(state, user, now_utc, config)
    if isinstance(inp, Text):
        return coach.text(inp.text)
    if isinstance(inp, Command):
        return coach.command(inp.name)
    if isinstance(inp, Press):
        return coach.press(inp.data)
    return coach.other(inp)


@dataclass
class _Coach:
    state: DialogueState
    user: UserView
    now_utc: datetime
    config: CoachConfig

    # ------------------------------------------------------------ helpers

    @property
    def flow(self) -> Flow | None:
        return FLOWS.get(self.state.flow or "")

    def ctx(self, flow: Flow) -> Context:
        return Context(
            answers=self.user.answers.get(flow.name, {}),
            now_utc=self.now_utc,
            first_name=self.user.first_name,
            profile=self.user.profile,
        )

    def turn(
        self, *replies: Reply, effects: tuple[Effect, ...] = (), toast: str | None = None
    ) -> Turn:
        """Replies with the state unchanged."""
        return Turn(tuple(replies), self.state, effects, toast)

    def current_question(self, preface: str | None = None) -> Reply | None:
        flow = self.flow
        if flow is None or self.state.step is None:
            return None
        return engine.reask(flow, self.state, self.ctx(flow), preface)

    def say_then_reask(self, text: str, toast: str | None = None) -> Turn:
        """``text`` with the open question again, so the user never loses their place."""
        again = self.current_question(text)
        return self.turn(again or Reply(text), toast=toast)

    def onboarding_complete(self) -> bool:
        return ONBOARDING.next_question(self.ctx(ONBOARDING)) is None

    def outcome(self, flow: Flow, result: Outcome) -> Turn:
        """An engine outcome as a Turn, adding what the coach says when a flow ends."""
        replies = list(result.replies)
        state = result.state
        if result.finished:
            was_editing = bool(self.state.data.get("edit"))
            view = self.with_saved(result.effects)
            if flow is ONBOARDING and not was_editing:
                replies.append(Reply(texts.onboarding_done(view.user.name)))
            else:
                replies.append(view.profile_view(texts.UPDATED))
            effects = (*result.effects, RecordEvent(f"{flow.name}_finished"))
            return Turn(tuple(replies), state, effects, result.toast)
        return Turn(tuple(replies), state, tuple(result.effects), result.toast)

    def with_saved(self, effects: list[Effect]) -> _Coach:
        """This coach as it will see the user once ``effects`` are stored."""
        answers = {flow: dict(values) for flow, values in self.user.answers.items()}
        for effect in effects:
            if isinstance(effect, SaveAnswer):
                answers.setdefault(effect.flow, {})[effect.key] = effect.value
        user = replace(self.user, answers=answers)
        return replace(self, user=user, state=DialogueState())

    # ------------------------------------------------------------ inputs

    def text(self, text: str) -> Turn:
        if is_crisis(text):
            return self.crisis()
        if len(text) > self.config.max_text_chars:
            return self.say_then_reask(texts.too_long(len(text), self.config.max_text_chars))
        if not text.strip():
            return self.say_then_reask(texts.EMPTY_TEXT)
        flow = self.flow
        if flow is not None and self.state.step is not None:
            return self.outcome(flow, engine.handle_text(flow, self.state, text, self.ctx(flow)))
        if not self.user.profile:
            return self.start()
        if not self.onboarding_complete():
            return self.turn(
                Reply(texts.welcome_back(self.user.name, False), self.resume_buttons())
            )
        return self.turn(Reply(texts.IDLE_TEXT))

    def other(self, inp: Other) -> Turn:
        if inp.caption and is_crisis(inp.caption):
            return self.crisis()
        if inp.kind == "edited":
            return self.say_then_reask(texts.EDITED_MESSAGE)
        in_flow = self.flow is not None
        return self.say_then_reask(texts.not_text(inp.kind, in_flow))

    def command(self, name: str) -> Turn:
        handler = {
            "start": self.start,
            "help": self.help,
            "cancel": self.cancel,
            "back": self.back,
            "skip": self.skip,
            "profile": lambda: self.turn(self.profile_view()),
            "export": self.export,
            "delete": self.ask_delete,
        }.get(name)
        if handler is None:
            return self.say_then_reask(texts.unknown_command(name))
        return handler()

    def press(self, data: str) -> Turn:
        if data == CONTINUE:
            return self.resume()
        if data == REVIEW:
            return self.turn(self.profile_view())
        if data in (DELETE_YES, DELETE_NO):
            return self.confirm_delete(data == DELETE_YES)
        if data.startswith(EDIT_PREFIX):
            return self.edit(data.removeprefix(EDIT_PREFIX))
        code, _, rest = data.partition(".")
        key, _, value = rest.partition(".")
        flow = _BY_CODE.get(code)
        if flow is None or flow.question(key) is None:
            return self.say_then_reask(texts.UNKNOWN_BUTTON, toast="Nothing changed")
        if self.state.flow == flow.name and self.state.step == key:
            return self.outcome(flow, engine.handle_press(flow, self.state, value, self.ctx(flow)))
        return self.stale_press(flow, key, value)

    # ------------------------------------------------------------ commands

    def start(self) -> Turn:
        if self.flow is not None:
            return self.say_then_reask(texts.welcome_back(self.user.name, False))
        if not self.user.profile:
            result = engine.begin(ONBOARDING, self.ctx(ONBOARDING))
            intro = Reply(texts.welcome(self.user.first_name))
            return Turn((intro, *result.replies), result.state, (RecordEvent("started"),))
        complete = self.onboarding_complete()
        buttons = (
            self.resume_buttons() if not complete else ((Button("Review my profile", REVIEW),),)
        )
        return self.turn(Reply(texts.welcome_back(self.user.name, complete), buttons))

    def resume_buttons(self) -> tuple[tuple[Button, ...], ...]:
        return (
            (Button("Continue where I left off", CONTINUE),),
            (Button("Review my answers", REVIEW),),
        )

    def resume(self) -> Turn:
        if self.flow is not None:
            return self.turn(
                self.current_question("Here's where we were.") or Reply(texts.IDLE_TEXT)
            )
        if not self.onboarding_complete():
            return self.outcome(ONBOARDING, engine.begin(ONBOARDING, self.ctx(ONBOARDING)))
        return self.turn(Reply(texts.IDLE_TEXT))

    def help(self) -> Turn:
        again = self.current_question("Where we were:")
        return self.turn(Reply(texts.help_text()), *((again,) if again else ()))

    def cancel(self) -> Turn:
        if self.flow is None:
            return self.turn(Reply(texts.NOTHING_TO_CANCEL))
        return Turn((Reply(texts.CANCELLED),), DialogueState())

    def back(self) -> Turn:
        flow = self.flow
        if flow is None:
            return self.turn(Reply(texts.NOTHING_TO_GO_BACK))
        return self.outcome(flow, engine.back(flow, self.state, self.ctx(flow)))

    def skip(self) -> Turn:
        flow = self.flow
        if flow is None:
            return self.turn(Reply(texts.NOTHING_TO_SKIP))
        return self.outcome(flow, engine.skip(flow, self.state, self.ctx(flow)))

    def export(self) -> Turn:
        return self.turn(Reply(texts.EXPORT_INTRO), effects=(ExportData(),))

    def ask_delete(self) -> Turn:
        buttons = (
            (Button("Yes, delete everything", DELETE_YES),),
            (Button("No, keep my data", DELETE_NO),),
        )
        state = replace(self.state, data={**self.state.data, _DELETE_PENDING: True})
        return Turn((Reply(texts.DELETE_ASK, buttons),), state)

    def confirm_delete(self, yes: bool) -> Turn:
        if not self.state.data.get(_DELETE_PENDING):
            return self.say_then_reask(texts.DELETE_EXPIRED, toast="Nothing erased")
        data = {k: v for k, v in self.state.data.items() if k != _DELETE_PENDING}
        self.state = replace(self.state, data=data)
        if yes:
            return Turn((Reply(texts.DELETE_DONE),), DialogueState(), (DeleteAllData(),), "Erased")
        return self.say_then_reask(texts.DELETE_KEPT, toast="Kept")

    # ------------------------------------------------------------ profile

    def profile_view(self, preface: str | None = None) -> Reply:
        ctx = self.ctx(ONBOARDING)
        lines = []
        buttons: list[Button] = []
        for q in ONBOARDING.relevant(ctx):
            shown = (
                q.display(ctx.answers[q.key], ctx) if q.key in ctx.answers else "not answered yet"
            )
            lines.append(f"• {q.label}: {shown}")
            buttons.append(Button(q.label, f"{EDIT_PREFIX}{q.key}"))
        if not ctx.answers:
            body = "Your profile is empty so far. Send /start to begin."
            return Reply(f"{preface}\n\n{body}" if preface else body)
        body = "Your profile:\n" + "\n".join(lines) + "\n\nTap an item to change it."
        rows = tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
        return Reply(f"{preface}\n\n{body}" if preface else body, rows)

    def edit(self, key: str) -> Turn:
        ctx = self.ctx(ONBOARDING)
        q = ONBOARDING.question(key)
        if q is None or not q.applies(ctx):
            return self.say_then_reask(texts.UNKNOWN_BUTTON, toast="Nothing changed")
        result = engine.begin(ONBOARDING, ctx, key=key, preface=f"Changing: {q.label}.")
        return Turn(tuple(result.replies), result.state)

    # ------------------------------------------------------------ care and stale input

    def crisis(self) -> Turn:
        buttons = ((Button("Continue when I'm ready", CONTINUE),),)
        reply = Reply(texts.crisis_reply(self.config.crisis_lines), buttons)
        return self.turn(reply, effects=(RecordEvent("crisis_support_shown"),))

    def stale_press(self, flow: Flow, key: str, value: str) -> Turn:
        q = flow.question(key)
        assert q is not None
        ctx = self.ctx(flow)
        if key in ctx.answers:
            choice = next((c for c in q.choices_for(ctx) if c.value == value), None)
            if choice is not None and _stored_value(q, choice, ctx) == ctx.answers[key]:
                return self.turn(toast=texts.ALREADY_SAVED)
            shown = q.display(ctx.answers[key], ctx)
            return self.say_then_reask(
                texts.already_answered(q.label, shown), toast="Nothing changed"
            )
        if self.flow is None:
            return self.turn(Reply(texts.STALE_IDLE), toast="Nothing changed")
        return self.say_then_reask(texts.STALE_BUTTON, toast="Nothing changed")


def _stored_value(q: engine.Question, choice: engine.Choice, ctx: Context) -> Any:
    if choice.stores is not None:
        return choice.stores
    if choice.typed and q.parse is not None:
        try:
            return q.parse(choice.value, ctx)
        except Invalid:
            return None
    return choice.value
