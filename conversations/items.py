"""What every tracker's item screens share: find an item, say kindly when it is gone, change
one field of it (an item run of the tracker's flow), and remove it after a yes.

A tracker (letters, programs, network...) declares an ``Items`` with its kind, its button
prefix, its flow and its words, and routes its buttons "ed.<key>", "f.<field>.<key>",
"rm.<key>" and "rmy.<key>" to ``edit``, ``edit_field``, ``remove`` and ``remove_yes``. A stale
or forged button (an item removed since, a field the flow doesn't have) changes nothing and
says so; removing an item also cancels the reminders keyed under it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from conversations import texts
from conversations.engine import Flow
from conversations.messages import Button, CancelNudges, DropRecord, Effect, Reply, Turn
from conversations.session import Session


@dataclass(frozen=True)
class Items:
    kind: str
    prefix: str  # the tracker's button prefix, "@lt."
    flow: Flow  # the flow that adds an item, and changes one field of it
    overview: Callable[[Session, str | None], Reply]  # the tracker's list, with a line on top
    card: str  # the button data that opens an item's card, before its key: "@lt.w."
    gone_words: str  # "I can't find that writer any more (removed earlier?). Here's your list."
    ask_remove: str  # "Remove {name} and their reminders? This can't be undone."
    yes_label: str = "Yes, remove {short}"
    keep_label: str = "No, keep them"
    nudge_key: str | None = None  # the item's reminders are keyed "<nudge_key><key>:"
    name_field: str = "name"
    columns: int = 1  # how many field buttons a row of the edit menu holds
    # The fields offered for editing (default: every question of the flow).
    fields: Callable[[Session], Sequence[str]] | None = None

    def content(self, s: Session, key: str) -> Mapping[str, Any] | None:
        record = s.user.record(self.kind, key)
        return record.content if record is not None else None

    def name(self, content: Mapping[str, Any]) -> str:
        return str(content.get(self.name_field) or "this one")

    def gone(self, s: Session) -> Turn:
        return s.turn(self.overview(s, self.gone_words), toast="Nothing changed")

    def edit(self, s: Session, key: str) -> Turn:
        """The menu of what can be changed about one item."""
        content = self.content(s, key)
        if content is None:
            return self.gone(s)
        labels = {q.key: q.label for q in self.flow.questions}
        keys = list(self.fields(s)) if self.fields is not None else list(labels)
        buttons = [Button(labels[f], f"{self.prefix}f.{f}.{key}") for f in keys if f in labels]
        rows = tuple(
            tuple(buttons[i : i + self.columns]) for i in range(0, len(buttons), self.columns)
        )
        return s.turn(Reply(f"What would you like to change about {self.name(content)}?", rows))

    def edit_field(self, s: Session, rest: str) -> Turn:
        """One field asked again ("<field>.<key>"); the rest of the item is kept."""
        field, _, key = rest.partition(".")
        if self.content(s, key) is None:
            return self.gone(s)
        if self.flow.question(field) is None:
            return s.turn(self.overview(s, texts.UNKNOWN_BUTTON))
        if s.flow is not None and s.flow is not self.flow:
            return s.say_then_reask(texts.FINISH_FIRST)
        return s.begin(self.flow, key=field, item=(self.kind, key))

    def remove(self, s: Session, key: str) -> Turn:
        content = self.content(s, key)
        if content is None:
            return self.gone(s)
        name = self.name(content)
        rows = (
            (Button(self.yes_label.format(short=name[:30]), f"{self.prefix}rmy.{key}"),),
            (Button(self.keep_label, f"{self.card}{key}"),),
        )
        return s.turn(Reply(self.ask_remove.format(name=name), rows))

    def remove_yes(self, s: Session, key: str) -> Turn:
        content = self.content(s, key)
        if content is None:
            return s.turn(self.overview(s, "Already removed."), toast=texts.ALREADY_SAVED)
        effects: tuple[Effect, ...] = (DropRecord(self.kind, key),)
        if self.nudge_key is not None:
            effects += (CancelNudges(f"{self.nudge_key}{key}:", prefix=True),)
        view = s.after(effects)
        head = f"Removed {self.name(content)}."
        return view.turn(self.overview(view, head), effects=effects, toast="Removed")

    def open(
        self,
        s: Session,
        adding: Callable[[Session], Turn],
        reminders: Callable[[Session], Sequence[Effect]] | None = None,
    ) -> Turn:
        """The tracker's command: its list (inside the item's questions, the list and then
        the open question again); "/<command> add" starts a new item. ``reminders`` re-plans
        the tracker's reminders when some still follow an old zone or hour."""
        if not s.user.profile:
            return s.turn(Reply(texts.NEED_PROFILE))
        if s.flow is not None and s.flow is not self.flow:
            return s.say_then_reask(texts.FINISH_FIRST)
        if s.args.strip().lower() == "add":
            return adding(s)
        again = s.current_question("Where we were:")
        moved = tuple(reminders(s)) if reminders is not None else ()
        return s.turn(self.overview(s, None), *((again,) if again else ()), effects=moved)

    def press(
        self,
        s: Session,
        rest: str,
        opening: Callable[[Session], Turn],
        adding: Callable[[Session], Turn],
        own: Mapping[str, Callable[[Session, str], Turn]],
    ) -> Turn:
        """A button of the tracker ("<word>.<argument>" after its prefix): "open", "add", the
        shared ones (``buttons``), then the tracker's ``own``; anything else changes nothing."""
        head, _, arg = rest.partition(".")
        if head == "open":
            return opening(s)
        if head == "add":
            return adding(s)
        handler = {**self.buttons(), **own}.get(head)
        if handler is None:
            return s.turn(self.overview(s, texts.UNKNOWN_BUTTON))
        return handler(s, arg)

    def buttons(self) -> Mapping[str, Callable[[Session, str], Turn]]:
        """The handlers of the shared buttons, by the word after the tracker's prefix."""
        return {
            "ed": self.edit,
            "f": self.edit_field,
            "rm": self.remove,
            "rmy": self.remove_yes,
        }
