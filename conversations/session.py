"""One user's turn, as the coach and its features see it: state, answers, clock, helpers.

A ``Feature`` (onboarding, post-mortem, target...) declares everything it owns: its flows,
the commands and global buttons it answers, what it says when one of its flows finishes,
the reminder kinds it plans and words, and the data its turns read. The coach, the
reminders and the service find them through those declarations (``conversations.catalog``
lists the features), so no feature imports another. What several features read about a
user (profile, target, who the plan is for, the milestones done, the plan, reminder
settings) is a property of ``UserView`` here. After every turn the session settles it
against the plan (``Session.settle``): what the features declared their actions complete
(``Completes``) is ticked off, and the reminders that follow the plan are re-planned when it
changed. Nothing here knows about Telegram or the database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from conversations import engine, texts
from conversations.engine import Context, Flow, Outcome
from conversations.messages import (
    DeleteAllData,
    DialogueState,
    DropRecord,
    Effect,
    Other,
    PutRecord,
    RecordEvent,
    Reply,
    SaveAnswer,
    Turn,
)
from conversations.rules.clock import show_time, uses_24h
from conversations.rules.parsing import Invalid, match_label, zone_for
from conversations.rules.plan import Plan, build_plan, choose_cycle
from conversations.rules.reminders import NudgeSettings
from conversations.rules.situation import Situation, situation_of

# The flows whose answers several features read (each flow belongs to one feature).
ONBOARDING_FLOW = "onboarding"
TARGET_FLOW = "target"
PLAN_FLOW = "plan"
SETTINGS_FLOW = "settings"
# Not a flow anyone is asked: the plan's milestones the user has done, one answer each,
# keyed by milestone (``rules.plan.MILESTONE_KEYS``), the value the day as ISO text (None:
# undone again). Stored as answers, they ride with every turn's reads and in /export.
MILESTONES_FLOW = "milestones"


# The buttons last shown ([label, data] pairs), kept in the dialogue state's data so a label
# typed on any screen means what tapping it means (``typed_button``, ``remember_keyboard``).
KEYBOARD = "keyboard"
MAX_KEYBOARD = 40  # more than any screen shows; a bound on what each turn stores


def typed_button(text: str, state: DialogueState) -> str | None:
    """The data of the button shown last whose label ``text`` names (see ``match_label``)."""
    shown = state.data.get(KEYBOARD)
    if not isinstance(shown, list):
        return None
    pairs = [(str(p[0]), str(p[1])) for p in shown if isinstance(p, list) and len(p) == 2]
    index = match_label(text, [label for label, _ in pairs])
    return pairs[index][1] if index is not None else None


def remember_keyboard(turn: Turn, before: DialogueState) -> Turn:
    """``turn`` with the buttons it shows remembered in its state.

    A turn without buttons keeps the ones shown before while the user stays where they were
    (a refusal, "I'm here", a toast), since those are still the last buttons on screen; a
    turn that moves on to a question without buttons forgets them, so a typed answer there is
    never taken for an old button.
    """
    shown = [[b.label, b.data] for r in turn.replies for row in r.buttons for b in row]
    data = {k: v for k, v in turn.state.data.items() if k != KEYBOARD}
    stayed = (turn.state.flow, turn.state.step) == (before.flow, before.step)
    if shown:
        data[KEYBOARD] = shown[-MAX_KEYBOARD:]
    elif KEYBOARD in before.data and (stayed or not turn.replies):
        data[KEYBOARD] = before.data[KEYBOARD]
    return replace(turn, state=replace(turn.state, data=data))


@dataclass(frozen=True)
class CoachConfig:
    crisis_lines: tuple[str, ...] = texts.DEFAULT_CRISIS_LINES
    max_text_chars: int = 4096
    # A care message (low mood, sleep) is shown once, then not again for this many days.
    care_quiet_days: int = 14
    # The spoken length a practiced interview answer aims for, in seconds.
    practice_target: tuple[int, int] = (60, 120)
    # Whether the Mini App page is served at a public address: /programs and /plan then
    # offer a button that opens it.
    webapp: bool = False


@dataclass(frozen=True)
class NudgeView:
    """A nudge as the coach may see it (only the user's own, loaded when a turn needs them)."""

    id: int
    kind: str
    key: str
    due_at: datetime
    state: str
    payload: Mapping[str, Any] = field(default_factory=dict)


# A read named "records:<kind>" loads the user's tracker items of that kind (``Reads.records``).
RECORDS = "records:"


@dataclass(frozen=True)
class RecordView:
    """One tracker item as the coach sees it (see ``messages.PutRecord``)."""

    kind: str
    key: str
    content: Mapping[str, Any]
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class UserView:
    """What the coach may read about one user: name, latest answers per flow, latest list."""

    first_name: str | None = None
    answers: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # The latest stored Problems List, as a dict (loaded for the turns that show it).
    problems: Mapping[str, Any] | None = None
    paused: bool = False  # /pause: no nudges until /resume
    nudges: tuple[NudgeView, ...] = ()  # pending ones, plus any a pressed button names
    # Recent check-ins and weekly plans (CheckIn / WeekPlan dicts), loaded when a turn needs them.
    checkins: tuple[Mapping[str, Any], ...] = ()
    week_plans: tuple[Mapping[str, Any], ...] = ()
    # Recent practiced answers ({question, answer, seconds, report, created_at}), oldest first.
    practice: tuple[Mapping[str, Any], ...] = ()
    # When each kind of care message (and the crisis reply) was last shown.
    last_shown: Mapping[str, datetime] = field(default_factory=dict)
    # When they first wrote to the coach (the first weekly review starts from that week).
    joined_at: datetime | None = None
    # Tracker items by kind, oldest first: only the kinds this turn reads (``Reads.records``).
    records: Mapping[str, tuple[RecordView, ...]] = field(default_factory=dict)

    def records_of(self, kind: str) -> tuple[RecordView, ...]:
        """The user's items of one kind (empty when none, or when this turn didn't read them)."""
        return self.records.get(kind, ())

    def record(self, kind: str, key: str) -> RecordView | None:
        return next((r for r in self.records_of(kind) if r.key == key), None)

    @property
    def profile(self) -> Mapping[str, Any]:
        return self.answers.get(ONBOARDING_FLOW, {})

    @property
    def name(self) -> str | None:
        chosen = self.profile.get("name")
        return chosen if isinstance(chosen, str) else self.first_name

    def flow_answers(self, flow: str) -> Mapping[str, Any]:
        return self.answers.get(flow, {})

    @property
    def target(self) -> tuple[str, str] | None:
        """(primary, backup) once the user committed to them in /target, else None."""
        answers = self.flow_answers(TARGET_FLOW)
        if answers.get("commit") == "yes" and answers.get("primary"):
            return str(answers["primary"]), str(answers.get("backup") or "")
        return None

    @property
    def situation(self) -> Situation:
        """Who the plan is for: what the diagnosis and the committed target say it must hold."""
        chosen = self.target
        return situation_of(self.profile, chosen[0] if chosen else None)

    @property
    def milestones_done(self) -> dict[str, date]:
        """The plan's milestones the user has done, and the day of each."""
        done = {}
        for key, value in self.flow_answers(MILESTONES_FLOW).items():
            try:
                done[key] = date.fromisoformat(value)
            except (TypeError, ValueError):  # None: undone again
                continue
        return done

    @property
    def plan_basis(self) -> tuple[Any, ...] | None:
        """What the plan is built from; when it changes, the plan's reminders follow."""
        value = self.profile.get("start_date")
        season = self.flow_answers(PLAN_FLOW).get("season")
        if not isinstance(value, str) or not isinstance(season, int):
            return None
        return value, season, self.situation, tuple(sorted(self.milestones_done.items()))

    @property
    def plan(self) -> Plan | None:
        """This user's 12-month plan, from the start date and the chosen cycle (None until
        both exist), for who they are, with what they have done ticked off."""
        value = self.profile.get("start_date")
        season = self.flow_answers(PLAN_FLOW).get("season")
        if not isinstance(value, str) or not isinstance(season, int):
            return None
        try:
            return build_plan(
                date.fromisoformat(value), season, self.situation, self.milestones_done
            )
        except (ValueError, LookupError):  # the start moved past that cycle's submissions
            return None

    @property
    def clock_choice(self) -> str | None:
        """The clock chosen in /settings ("12h" or "24h"), None while they haven't chosen."""
        chosen = self.flow_answers(SETTINGS_FLOW).get("clock")
        return str(chosen) if chosen else None

    @property
    def hour24(self) -> bool:
        """Whether times show as 19:00 (else 7:00 PM): their choice, else their time zone's."""
        zone = self.profile.get("timezone")
        return uses_24h(zone if isinstance(zone, str) else None, self.clock_choice)

    def time_of_day(self, value: Any) -> str:
        """A stored "HH:MM" (or a local datetime) in this user's clock."""
        return show_time(value, self.hour24)

    @property
    def nudge_settings(self) -> NudgeSettings:
        """Where and when reminders land: time zone, hour, quiet hours."""
        return NudgeSettings.of(self.profile, self.flow_answers(SETTINGS_FLOW))


@dataclass(frozen=True)
class Reminders:
    """The reminder kinds a feature owns.

    ``render`` words a reminder when the sweep sends it (None: it no longer applies);
    ``describe`` labels it in /reminders, saying which reminder it is (every kind needs one);
    ``replan`` cancels
    the feature's pending reminders and plans them afresh from what the user has now (called
    when the time zone, the hour, the start date or the pause changes, and, for those that
    ``follows_plan``, when a turn changes the plan); ``completes`` names the plan milestones
    its "Done" button ticks off.
    """

    kinds: frozenset[str]
    render: Callable[[str, Mapping[str, Any]], Reply | None]
    describe: Callable[[str, Mapping[str, Any]], str | None]
    replan: Callable[[Session], Sequence[Effect]] | None = None
    # Planned from the plan (its dates, who the user is, what they have done): re-planned
    # whenever a turn changes any of that.
    follows_plan: bool = False
    # The plan milestones that "Done" on one of these reminders completes.
    completes: Callable[[str, Mapping[str, Any]], Sequence[str]] = lambda _kind, _payload: ()
    # The tracker item kinds ``replan`` plans from. A turn that did not load them (see
    # ``Reads.records``) leaves these reminders as they are: re-planning from items it cannot
    # see would cancel them all.
    records: frozenset[str] = frozenset()

    def can_replan(self, user: UserView) -> bool:
        return self.replan is not None and all(kind in user.records for kind in self.records)


# The turns that may re-plan every reminder: /resume, /settings and its questions (the hour,
# the time zone), /plan and a cycle chosen there, a reminder's buttons (Done ticks the plan).
REPLANNING: tuple[frozenset[str], tuple[str, ...], frozenset[str]] = (
    frozenset({"resume", "settings", "plan"}),
    ("@nd.", "@plan."),
    frozenset({SETTINGS_FLOW, PLAN_FLOW}),
)


@dataclass(frozen=True)
class Reads:
    """A heavier part of a user's data that some turns read, and which turns they are.

    ``name`` is what the service loads ("nudges", "routine", "practice", "problems"); a turn
    reads it when its command is in ``commands``, its button data starts with one of
    ``buttons``, the user is inside one of ``flows``, (``documents``) the turn is a file, or
    it is a Mini App form whose action is in ``forms``.
    """

    name: str
    commands: frozenset[str] = frozenset()
    buttons: tuple[str, ...] = ()
    flows: frozenset[str] = frozenset()
    documents: bool = False  # also when a file is sent (``Feature.documents`` reads it)
    forms: frozenset[str] = frozenset()

    @classmethod
    def records(
        cls,
        kind: str,
        *,
        commands: frozenset[str] = frozenset(),
        buttons: tuple[str, ...] = (),
        flows: frozenset[str] = frozenset(),
        documents: bool = False,
        forms: frozenset[str] = frozenset(),
    ) -> Reads:
        """A tracker's items of ``kind`` (``UserView.records_of``), read on those turns."""
        return cls(RECORDS + kind, commands, buttons, flows, documents, forms)

    @classmethod
    def tracker(cls, kind: str, *, command: str, prefix: str, flow: str) -> Reads:
        """A tracker's items, read on its own command, buttons and flow, and on the turns that
        may re-plan every reminder (``REPLANNING``), so reminders planned from the items
        follow a new reminder hour, a /resume or a new cycle. Never on onboarding turns: a turn
        in the middle of a flow stays one read (a tracker moves reminders left at an old time
        zone when it is next opened, ``Session.drifted``)."""
        commands, buttons, flows = REPLANNING
        return cls.records(
            kind,
            commands=frozenset({command}) | commands,
            buttons=(prefix, *buttons),
            flows=frozenset({flow}) | flows,
        )

    def wanted(
        self,
        command: str | None,
        data: str | None,
        flow: str | None,
        document: bool = False,
        form: str | None = None,
    ) -> bool:
        return (
            command in self.commands
            or bool(data and self.buttons and data.startswith(self.buttons))
            or (flow is not None and flow in self.flows)
            or (document and self.documents)
            or (form is not None and form in self.forms)
        )


@dataclass(frozen=True)
class Completes:
    """A plan milestone that something the user does in this feature completes.

    When a turn stores the event ``event`` (a ``RecordEvent`` kind), or an answer to
    ``answer`` (flow, key) whose value is in ``values`` (any value when empty), the
    milestone is ticked off with that day, and its reminders are dropped. A tracker says
    instead what must hold of the user's items: ``holds`` is asked of the user as they will
    be after any turn that puts or drops an item of one of ``kinds`` (say, two writers
    asked for letters). ``how`` is the
    button (label, data) that opens where it is done: /plan offers it instead of a plain
    "Done". Later trackers (letters, statement, program list...) declare theirs the same way.
    """

    milestone: str
    event: str | None = None
    answer: tuple[str, str] | None = None
    values: frozenset[Any] = frozenset()
    how: tuple[str, str] | None = None
    holds: Callable[[UserView], bool] | None = None
    kinds: frozenset[str] = frozenset()

    def by(self, effect: Effect) -> bool:
        """Whether storing ``effect`` completes the milestone."""
        if isinstance(effect, RecordEvent):
            return effect.kind == self.event
        if isinstance(effect, SaveAnswer) and self.answer == (effect.flow, effect.key):
            return effect.value is not None and (not self.values or effect.value in self.values)
        return False


@dataclass(frozen=True)
class Feature:
    """A part of the coach and everything it owns.

    ``buttons`` maps a prefix such as "@pm." to a handler given the rest of the data.
    ``finished`` is called when one of ``flows`` runs out of questions; it gets the engine's
    outcome (whose effects are already folded into the session it receives).
    ``reminders`` are the nudge kinds it plans and words; ``reads`` the heavier data its
    turns need loaded; ``remembers`` the events whose last time it reads (care messages
    are not repeated too soon); ``completes`` the plan milestones its actions tick off.
    """

    name: str
    flows: tuple[Flow, ...] = ()
    commands: Mapping[str, Callable[[Session], Turn]] = field(default_factory=dict)
    buttons: Mapping[str, Callable[[Session, str], Turn]] = field(default_factory=dict)
    finished: Callable[[Session, Flow, Outcome], Turn] | None = None
    # Something other than text (a voice note...) sent while one of ``flows`` is open.
    other: Callable[[Session, Other], Turn | None] | None = None
    # A file sent while no question is open (a spreadsheet): each feature that declares this
    # is asked in turn and takes it by its type (None: not ours).
    documents: Callable[[Session, Other], Turn | None] | None = None
    # Typed text while one of ``flows`` is open, read before the flow's question (None: the
    # question reads it). For words kept only where the feature keeps them: a statement draft
    # pasted in parts is stored as its tracker item, never as an answer (answers stay forever).
    text: Callable[[Session, str], Turn | None] | None = None
    reminders: Reminders | None = None
    reads: tuple[Reads, ...] = ()
    remembers: tuple[str, ...] = ()
    completes: tuple[Completes, ...] = ()
    # Mini App forms (``messages.Form``) by action ("program.set"): each answers with an
    # ordinary turn that leaves the dialogue where it was (``Session.turn``), what the page
    # shows in ``data=``, or a refusal (``Session.refuse``).
    forms: Mapping[str, Callable[[Session, Mapping[str, str]], Turn]] = field(default_factory=dict)


@dataclass
class Session:
    state: DialogueState
    user: UserView
    now_utc: datetime
    config: CoachConfig
    flows: Mapping[str, Flow]
    args: str = ""  # what followed the command, for commands that take a word ("/practice history")
    # Every feature, so one feature can ask for what all of them own (re-planning reminders)
    # without importing the others.
    features: tuple[Feature, ...] = ()

    # ------------------------------------------------------------ reading

    @property
    def flow(self) -> Flow | None:
        return self.flows.get(self.state.flow or "")

    @property
    def today(self) -> date:
        """Today in the user's time zone (UTC until they gave one)."""
        key = self.user.profile.get("timezone")
        if isinstance(key, str):
            try:
                return self.now_utc.astimezone(zone_for(key)).date()
            except Invalid:
                pass
        return self.now_utc.date()

    @property
    def item(self) -> tuple[str, str] | None:
        """The tracker item (kind, key) the open flow's run is filling in, if it is an item
        run (``begin(..., item=...)``): adding a writer, or changing one thing about one."""
        value = self.state.data.get(engine.ITEM) if self.state.flow else None
        if isinstance(value, list | tuple) and len(value) == 2:
            return str(value[0]), str(value[1])
        return None

    def ctx(self, flow: Flow) -> Context:
        answers = self.user.flow_answers(flow.name)
        running = self.state.flow == flow.name
        if flow.fresh_runs:
            given = set(self.state.data.get("history", [])) if running else set()
            answers = {k: v for k, v in answers.items() if k in given}
        item = self.item if running else None
        if item is not None:
            # What the item already holds counts as answered: a run that changes one field
            # asks that one and ends.
            record = self.user.record(*item)
            answers = {**(record.content if record else {}), **answers}
        return Context(
            answers=answers,
            now_utc=self.now_utc,
            first_name=self.user.first_name,
            profile=self.user.profile,
            user=self.user,
        )

    # ------------------------------------------------------------ answering

    def turn(
        self,
        *replies: Reply,
        effects: tuple[Effect, ...] = (),
        toast: str | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> Turn:
        """Replies with the state unchanged (``data``: what a Mini App form asked for)."""
        return Turn(tuple(replies), self.state, effects, toast, data)

    def refuse(self, why: str, code: str = "invalid") -> Turn:
        """A Mini App form refused, with the reason in plain words; nothing stored. ``code``
        is "invalid" (the page sent something unusable) or "not_found" (no such item)."""
        return Turn((), self.state, data={"error": why, "code": code})

    def current_question(self, preface: str | None = None) -> Reply | None:
        flow = self.flow
        if flow is None or self.state.step is None:
            return None
        return engine.reask(flow, self.state, self.ctx(flow), preface)

    def say_then_reask(self, text: str, toast: str | None = None) -> Turn:
        """``text`` with the open question again, so the user never loses their place."""
        again = self.current_question(text)
        return self.turn(again or Reply(text), toast=toast)

    def begin(
        self,
        flow: Flow,
        *,
        key: str | None = None,
        preface: str | None = None,
        item: tuple[str, str] | None = None,
    ) -> Turn:
        """Start (or resume) a flow; ``key`` starts it at one question (editing an answer).

        ``item`` (kind, key) makes it an item run: the flow fills in one tracker item, what
        the item holds counts as answered, and ``item_content`` gives the item as the run
        leaves it (the feature's ``finished`` stores it with ``PutRecord``).
        """
        ctx = self.ctx(flow)
        if item is not None:
            # A run about one item starts from what that item holds, nothing else: an item
            # flow asks anew each run (``fresh_runs``), so no other item's answers leak in.
            assert flow.fresh_runs, f"{flow.name} fills in items: it must ask anew each run"
            record = self.user.record(*item)
            ctx = replace(ctx, answers=dict(record.content) if record else {})
        result = engine.begin(flow, ctx, key=key, preface=preface, item=item)
        if result.finished:
            return self.turn(Reply(preface or texts.NOTHING_LEFT))
        return Turn(tuple(result.replies), result.state)

    def item_content(self, flow: Flow, effects: Sequence[Effect]) -> dict[str, Any]:
        """The item an item run fills in, as it will be once ``effects`` (the run's last
        answer) are stored: what it held, with every answer of this run over it."""
        merged = dict(self.ctx(flow).answers)
        for effect in effects:
            if isinstance(effect, SaveAnswer) and effect.flow == flow.name:
                merged[effect.key] = effect.value
        return merged

    def replan(self) -> tuple[Effect, ...]:
        """Every feature's pending reminders cancelled and planned afresh from what we know now."""
        return tuple(
            effect
            for feature in self.features
            if feature.reminders is not None and feature.reminders.can_replan(self.user)
            for effect in feature.reminders.replan(self)  # type: ignore[misc]
        )

    def drifted(self, kinds: frozenset[str]) -> bool:
        """Whether some pending reminders of ``kinds`` still follow an old time zone or hour
        (changed on a turn that did not read the items they are planned from, such as an edit
        in /profile): the tracker re-plans them when it is next opened. Needs the "nudges" read.
        """
        wanted = self.user.nudge_settings.payload()
        return any(
            (n.payload.get("tz"), n.payload.get("at")) != (wanted["tz"], wanted["at"])
            for n in self.user.nudges
            if n.kind in kinds and n.state == "pending"
        )

    def _replan_following_plan(self) -> tuple[Effect, ...]:
        return tuple(
            effect
            for feature in self.features
            if feature.reminders is not None
            and feature.reminders.follows_plan
            and feature.reminders.can_replan(self.user)
            for effect in feature.reminders.replan(self)  # type: ignore[misc]
        )

    # ------------------------------------------------------------ milestones

    def tick(self, keys: Sequence[str]) -> tuple[SaveAnswer, ...]:
        """The milestones in ``keys`` not done yet, ticked off today. Their reminders go when
        the turn is settled (``settle``): the plan changed, so its reminders follow it."""
        done = self.user.milestones_done
        fresh = dict.fromkeys(k for k in keys if k not in done)
        day = self.today.isoformat()
        return tuple(SaveAnswer(MILESTONES_FLOW, key, None, day) for key in fresh)

    def untick(self, key: str) -> tuple[SaveAnswer, ...]:
        """A milestone ticked by mistake, open again (its reminders come back on settling)."""
        if key not in self.user.milestones_done:
            return ()
        return (SaveAnswer(MILESTONES_FLOW, key, None, None),)

    def completing(self, milestone: str) -> Completes | None:
        """How a feature's own action completes ``milestone``, if one declares it."""
        return next(
            (c for f in self.features for c in f.completes if c.milestone == milestone), None
        )

    def completed_by_nudge(self, kind: str, payload: Mapping[str, Any]) -> tuple[str, ...]:
        """The plan milestones "Done" on this reminder ticks off (from its owner)."""
        for feature in self.features:
            if feature.reminders is not None and kind in feature.reminders.kinds:
                return tuple(feature.reminders.completes(kind, payload))
        return ()

    def settle(self, turn: Turn) -> Turn:
        """The turn with what its effects mean for the plan: the milestones they complete
        (declared by the features, ``Completes``) ticked off, and, when the plan changed
        (a milestone done or undone, a profile answer or target that changes who it is for,
        a new start or cycle), the reminders that follow the plan re-planned, unless the
        turn already re-planned them from the same plan."""
        effects = turn.effects
        if not any(
            isinstance(e, SaveAnswer | RecordEvent | PutRecord | DropRecord) for e in effects
        ) or any(isinstance(e, DeleteAllData) for e in effects):
            return turn
        view = self.after(effects)
        touched = {e.kind for e in effects if isinstance(e, PutRecord | DropRecord)}
        completed = [
            c.milestone
            for f in self.features
            for c in f.completes
            if any(c.by(e) for e in effects)
            or (c.holds is not None and c.kinds & touched and c.holds(view.user))
        ]
        ticks = view.tick(completed)
        if ticks:
            view = view.after(ticks)
        extra: list[Effect] = list(ticks)
        if view.user.plan_basis != self.user.plan_basis:
            follow = view._replan_following_plan()
            if not _contains(effects, follow):
                extra += follow
        if not extra:
            return turn
        return replace(turn, effects=(*effects, *extra))

    def settle_cycle(self) -> tuple[Effect, ...]:
        """Pick the application cycle when the choice is clear: the stored season, then every
        reminder planned. Nothing when the start date leaves too little time for the nearest
        cycle: then the user chooses (the plan feature asks, with the trade-off explained).
        """
        value = self.user.profile.get("start_date")
        if not isinstance(value, str):
            return ()
        choice = choose_cycle(date.fromisoformat(value))
        if choice.too_soon:
            return ()
        save = SaveAnswer(PLAN_FLOW, "season", None, choice.recommended.season)
        return (save, *self.after((save,)).replan())

    def describe_nudge(self, kind: str, payload: Mapping[str, Any]) -> str:
        """A reminder's short label for /reminders, from the feature that owns its kind."""
        for feature in self.features:
            if feature.reminders is not None and kind in feature.reminders.kinds:
                return feature.reminders.describe(kind, payload) or "A reminder"
        return "A reminder"

    def after(self, effects: tuple[Effect, ...] | list[Effect]) -> Session:
        """This session as it will look once ``effects`` are stored, with no open flow."""
        answers = {flow: dict(values) for flow, values in self.user.answers.items()}
        records = {kind: list(items) for kind, items in self.user.records.items()}
        for effect in effects:
            if isinstance(effect, SaveAnswer):
                answers.setdefault(effect.flow, {})[effect.key] = effect.value
            elif isinstance(effect, PutRecord | DropRecord):
                items = records.setdefault(effect.kind, [])
                at = next((i for i, r in enumerate(items) if r.key == effect.key), None)
                if isinstance(effect, DropRecord):
                    if at is not None:
                        del items[at]
                elif at is None:
                    items.append(
                        RecordView(
                            effect.kind, effect.key, effect.content, self.now_utc, self.now_utc
                        )
                    )
                else:
                    items[at] = replace(items[at], content=effect.content, updated_at=self.now_utc)
        user = replace(
            self.user,
            answers=answers,
            records={kind: tuple(items) for kind, items in records.items()},
        )
        return replace(self, user=user, state=DialogueState())


def _contains(effects: Sequence[Effect], run: Sequence[Effect]) -> bool:
    """Whether ``run`` appears in ``effects`` in order (a re-plan already made this turn)."""
    if not run:
        return True
    found = iter(effects)
    return all(any(e == wanted for e in found) for wanted in run)
