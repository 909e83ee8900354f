"""A pure, in-memory chat with the coach for flow tests: no database, no transport.

It applies the coach's effects to plain dicts the way the service applies them to the
database, so a test reads like a conversation: send, look at what came back, send again.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from conversations import coach
from conversations.coach import CoachConfig, UserView
from conversations.messages import (
    Button,
    CancelNudges,
    Command,
    DeleteAllData,
    DialogueState,
    ExportData,
    Other,
    Press,
    RecordEvent,
    SaveAnswer,
    SaveProblemsList,
    ScheduleNudge,
    Text,
    Turn,
    UserInput,
)

MARCH_25 = datetime(2026, 3, 25, 15, 0, tzinfo=UTC)


class CoachChat:
    def __init__(
        self,
        now: datetime = MARCH_25,
        first_name: str | None = "Maya",
        config: CoachConfig | None = None,
    ) -> None:
        self.now = now
        self.first_name = first_name
        self.config = config or CoachConfig()
        self.state = DialogueState()
        self.answers: dict[str, dict[str, Any]] = {}
        self.saved: list[SaveAnswer] = []
        self.events: list[str] = []
        self.exports = 0
        self.deleted = False
        self.nudges: list[ScheduleNudge] = []  # pending ones, in the order planned
        self.problems_lists: list[dict[str, Any]] = []
        self.last: Turn | None = None

    # ------------------------------------------------------------ sending

    def send(self, inp: UserInput) -> Turn:
        latest = self.problems_lists[-1] if self.problems_lists else None
        view = UserView(first_name=self.first_name, answers=self.answers, problems=latest)
        turn = coach.handle(inp, self.state, view, self.now, self.config)
        for effect in turn.effects:
            if isinstance(effect, SaveAnswer):
                self.saved.append(effect)
                self.answers.setdefault(effect.flow, {})[effect.key] = effect.value
            elif isinstance(effect, RecordEvent):
                self.events.append(effect.kind)
            elif isinstance(effect, ExportData):
                self.exports += 1
            elif isinstance(effect, ScheduleNudge):
                self.nudges.append(effect)
            elif isinstance(effect, CancelNudges):
                self.nudges = [n for n in self.nudges if n.key != effect.key]
            elif isinstance(effect, SaveProblemsList):
                self.problems_lists.append(effect.content)
            elif isinstance(effect, DeleteAllData):
                self.deleted = True
                self.answers.clear()
        self.state = turn.state
        self.last = turn
        return turn

    def text(self, text: str) -> Turn:
        return self.send(Text(text))

    def command(self, name: str) -> Turn:
        return self.send(Command(name))

    def other(self, kind: str, caption: str | None = None) -> Turn:
        return self.send(Other(kind, caption=caption))

    def tap(self, label: str) -> Turn:
        """Press the button whose label contains ``label`` in the latest replies."""
        return self.send(Press(self.button(label).data))

    def button(self, label: str, turn: Turn | None = None) -> Button:
        turn = turn or self.last
        assert turn is not None, "nothing was said yet"
        buttons = [b for r in reversed(turn.replies) for row in r.buttons for b in row]
        for match in (
            lambda b: b.label.lower() == label.lower(),
            lambda b: label.lower() in b.label.lower(),
        ):
            found = next((b for b in buttons if match(b)), None)
            if found is not None:
                return found
        raise AssertionError(f"no button {label!r} in: {self.labels()}")

    # ------------------------------------------------------------ reading

    @property
    def said(self) -> str:
        assert self.last is not None
        return "\n".join(r.text for r in self.last.replies)

    def documents(self) -> list[Any]:
        assert self.last is not None
        return [r.document for r in self.last.replies if r.document is not None]

    def labels(self) -> list[str]:
        assert self.last is not None
        return [b.label for r in self.last.replies for row in r.buttons for b in row]

    @property
    def profile(self) -> dict[str, Any]:
        return self.answers.get("onboarding", {})

    @property
    def step(self) -> str | None:
        return self.state.step


def onboard_us_md(chat: CoachChat) -> None:
    """The seed's worked example, answered the way a user would, through to the end."""
    chat.command("start")
    chat.tap("Maya")
    chat.tap("US MD")
    chat.tap("Internal Medicine")
    chat.text("45")
    chat.tap("Mostly academic")
    chat.tap("Mostly coastal")
    chat.text("4")
    chat.tap("No, I didn't")
    chat.tap("Passed")
    chat.text("223")
    chat.tap("No, never")
    chat.tap("Done")
    chat.tap("None of these")
    chat.tap("Done")
    chat.tap("Some")
    chat.tap("0")
    chat.tap("0")
    chat.tap("0")
    chat.text("3")
    chat.tap("No")
    chat.tap("Central")
    chat.tap("Yes, that's right")
    chat.tap("Today")
    chat.text("7am")
