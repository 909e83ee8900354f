"""A pure, in-memory chat with the coach for flow tests: no database, no transport.

It applies the coach's effects to plain dicts the way the service applies them to the
database, so a test reads like a conversation: send, look at what came back, send again.
"""

from __future__ import annotations

from dataclasses import replace
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
    DropRecord,
    ExportData,
    Other,
    Press,
    PutRecord,
    RecordEvent,
    SaveAnswer,
    SaveCheckIn,
    SavePracticeAttempt,
    SaveProblemsList,
    SaveWeekPlan,
    ScheduleNudge,
    SetNudgeState,
    SetPaused,
    Text,
    Turn,
    UserInput,
)
from conversations.session import NudgeView, RecordView

MARCH_25 = datetime(2026, 3, 25, 15, 0, tzinfo=UTC)


class CoachChat:
    def __init__(
        self,
        now: datetime = MARCH_25,
        first_name: str | None = "Maya",
        config: CoachConfig | None = None,
    ) -> None:
        self.now = now
        self.joined_at = now  # when this user first wrote
        self.first_name = first_name
        self.config = config or CoachConfig()
        self.state = DialogueState()
        self.answers: dict[str, dict[str, Any]] = {}
        self.saved: list[SaveAnswer] = []
        self.events: list[str] = []
        self.exports = 0
        self.deleted = False
        self.rows: list[NudgeView] = []  # every nudge planned, as the database would keep it
        self.paused = False
        self.problems_lists: list[dict[str, Any]] = []
        self.checkins: dict[str, dict[str, Any]] = {}  # ISO day -> check-in
        self.week_plans: dict[str, dict[str, Any]] = {}  # ISO Monday -> plan
        self.last_shown: dict[str, datetime] = {}
        self.practice: list[dict[str, Any]] = []
        # Tracker items by kind, oldest first, as the records table keeps them.
        self.records: dict[str, list[RecordView]] = {}
        self.last: Turn | None = None

    # ------------------------------------------------------------ sending

    def send(self, inp: UserInput) -> Turn:
        latest = self.problems_lists[-1] if self.problems_lists else None
        view = UserView(
            first_name=self.first_name,
            joined_at=self.joined_at,
            answers=self.answers,
            problems=latest,
            paused=self.paused,
            nudges=tuple(self.rows),
            checkins=tuple({**c, "day": d} for d, c in sorted(self.checkins.items())),
            week_plans=tuple({**p, "week_start": d} for d, p in sorted(self.week_plans.items())),
            last_shown=dict(self.last_shown),
            practice=tuple(self.practice),
            records={k: tuple(v) for k, v in self.records.items()},
        )
        turn = coach.handle(inp, self.state, view, self.now, self.config)
        for effect in turn.effects:
            if isinstance(effect, SaveAnswer):
                self.saved.append(effect)
                self.answers.setdefault(effect.flow, {})[effect.key] = effect.value
            elif isinstance(effect, RecordEvent):
                self.events.append(effect.kind)
                self.last_shown[effect.kind] = self.now
            elif isinstance(effect, SavePracticeAttempt):
                self.practice.append(
                    {
                        "question": effect.question,
                        "answer": effect.answer,
                        "seconds": effect.seconds,
                        "report": effect.report,
                        "created_at": self.now.isoformat(),
                    }
                )
            elif isinstance(effect, SaveCheckIn):
                self.checkins[effect.day.isoformat()] = effect.content
            elif isinstance(effect, SaveWeekPlan):
                self.week_plans[effect.week_start.isoformat()] = effect.content
            elif isinstance(effect, ExportData):
                self.exports += 1
            elif isinstance(effect, ScheduleNudge):
                row = NudgeView(
                    len(self.rows) + 1,
                    effect.kind,
                    effect.key,
                    effect.due_at,
                    "pending",
                    effect.payload,
                )
                self.rows.append(row)
            elif isinstance(effect, CancelNudges):
                self._cancel(effect)
            elif isinstance(effect, SetNudgeState):
                self._set_state({effect.nudge_id}, effect.state)
            elif isinstance(effect, SetPaused):
                self.paused = effect.paused
            elif isinstance(effect, SaveProblemsList):
                self.problems_lists.append(effect.content)
            elif isinstance(effect, PutRecord | DropRecord):
                self._record(effect)
            elif isinstance(effect, DeleteAllData):
                self.deleted = True
                self.answers.clear()
                self.records.clear()
        self.state = turn.state
        self.last = turn
        return turn

    def _record(self, effect: PutRecord | DropRecord) -> None:
        items = self.records.setdefault(effect.kind, [])
        at = next((i for i, r in enumerate(items) if r.key == effect.key), None)
        if isinstance(effect, DropRecord):
            if at is not None:
                del items[at]
        elif at is None:
            items.append(RecordView(effect.kind, effect.key, effect.content, self.now, self.now))
        else:
            items[at] = replace(items[at], content=effect.content, updated_at=self.now)

    def _set_state(self, ids: set[int], state: str) -> None:
        self.rows = [replace(n, state=state) if n.id in ids else n for n in self.rows]

    def _cancel(self, effect: CancelNudges) -> None:
        def hit(key: str) -> bool:
            return key.startswith(effect.key) if effect.prefix else key == effect.key

        pending = {n.id for n in self.rows if n.state == "pending" and hit(n.key)}
        self._set_state(pending, "cancelled")

    def nudges(self, key_prefix: str = "") -> list[NudgeView]:
        """Pending nudges whose key starts with ``key_prefix``, in due order."""
        pending = [n for n in self.rows if n.state == "pending" and n.key.startswith(key_prefix)]
        return sorted(pending, key=lambda n: (n.due_at, n.id))

    def text(self, text: str) -> Turn:
        return self.send(Text(text))

    def command(self, name: str, args: str = "") -> Turn:
        return self.send(Command(name, args))

    def voice(self, seconds: int) -> Turn:
        return self.send(Other("voice", seconds))

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


# The seed's worked example, answered the way a user would: ("cmd" | "tap" | "type", what).
# A tap names the label of a button in the coach's latest replies.
SEED_ONBOARDING: tuple[tuple[str, str], ...] = (
    ("cmd", "start"),
    ("tap", "Maya"),
    ("tap", "US MD"),
    ("tap", "Internal Medicine"),
    ("type", "45"),
    ("tap", "Mostly academic"),
    ("tap", "Mostly coastal"),
    ("type", "4"),
    ("tap", "No, I didn't"),
    ("tap", "Passed"),
    ("type", "223"),
    ("tap", "▫️ No, never"),
    ("tap", "Done ✔"),
    ("tap", "▫️ None of these"),
    ("tap", "Done ✔"),
    ("tap", "Some"),
    ("tap", "0"),
    ("tap", "0"),
    ("tap", "0"),
    ("type", "3"),
    ("tap", "No"),
    ("tap", "Central"),
    ("tap", "Yes, that's right"),
    ("tap", "Today (Mar 25)"),
    ("tap", "7:00 AM"),
    ("type", "7am"),
)


def scripted_input(step: tuple[str, str], last: Turn | None) -> UserInput:
    """The input for one step of a script, given the coach's latest turn."""
    how, what = step
    if how == "cmd":
        return Command(what)
    if how == "type":
        return Text(what)
    assert last is not None, "a tap needs buttons to tap"
    for reply in reversed(last.replies):
        for row in reply.buttons:
            for button in row:
                if button.label == what:
                    return Press(button.data)
    raise AssertionError(f"no button {what!r} in the latest replies")


def onboard_us_md(chat: CoachChat) -> None:
    """The seed's worked example, answered through to the end of onboarding."""
    for step in SEED_ONBOARDING:
        chat.send(scripted_input(step, chat.last))
