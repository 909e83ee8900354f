"""Valid ways through every flow of the coach, for tests that stop at any step of any flow.

A ``Path`` is the inputs that open one flow (a command, or a button) and then answer its
questions validly, one input at a time, to the end. Every prefix of it that leaves the flow
open is a *position*: a user who replays that prefix is at a known step of a known flow.
Paths are computed once, in memory (``tests.coach_chat.CoachChat``), and replayed on a real
database through the service.

The flows after onboarding start from ``TEMPLATE``: a user onboarded through the service
(a US MD with one red flag, so every practice question is offered) who also planned a week
with two tasks, seven days before ``NOW`` (so the weekly session asks what got done).

Answers: the first button a question offers, "Done" for a multi-select (after ticking what
``TICKS`` names), "Yes" to a confirmation, and the words in ``TYPED`` where a question has no
buttons (or where typing reaches a step a button would not, such as a meeting date).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from conversations.catalog import FLOWS
from conversations.engine import DONE, YES
from conversations.messages import (
    Button,
    Command,
    DialogueState,
    Other,
    Press,
    Text,
    Turn,
    UserInput,
)
from tests.coach_chat import CoachChat

TEMPLATE_NOW = datetime(2026, 3, 25, 15, 0, tzinfo=UTC)  # a Wednesday: the template's day
NOW = datetime(2026, 4, 1, 15, 0, tzinfo=UTC)  # the Wednesday after: every example's moment
FIRST_NAME = "Maya"

# Typed answers, by (flow, question key).
TYPED: Mapping[tuple[str, str], str] = {
    ("onboarding", "programs_applied"): "45",
    **{(f"pm_meet_{s}", "who"): "Dr. Lee, the associate dean" for s in ("dean", "advisor")},
    ("pm_meet_outside", "who"): "A hospitalist I trust",
    **{(f"pm_meet_{s}", "date"): "April 8" for s in ("dean", "advisor", "outside")},
    **{
        ("pm_notes_dean", key): "My letters were generic and my list was too short."
        for key in ("dean_top2", "dean_realistic", "dean_mspe")
    },
    **{
        ("pm_notes_advisor", key): "Not yet: a Step 2 under 220 needs research to balance it."
        for key in ("advisor_interview", "advisor_rank", "advisor_improve")
    },
    **{
        ("pm_notes_outside", key): "A strong clinician with no story tying it together."
        for key in ("outside_story", "outside_flags")
    },
    ("pm_add", "title"): "No letter from an internist",
    ("checkin", "win"): "Finished a cardiology chapter",
    ("weekly", "priorities"): "Research abstract, two clinic shifts",
    ("weekly", "own"): "Email my PI; Draft the personal statement",
    **{
        (f"practice_{key}", "answer"): (
            "I matched into nothing last year, and I took that seriously. Since then I have "
            "worked as a research coordinator in internal medicine: two abstracts submitted, "
            "weekly clinic with attendings, and a Step 2 study plan. I'm ready for residency."
        )
        for key in ("past_year", "not_matching", "why_specialty", "red_flag", "where_matched")
    },
    **{
        ("safety", key): "A walk, my sister, and the counselling service at my school"
        for key in ("warning_signs", "calming", "people_places", "professionals")
    },
    ("role", "end_date"): "June 30",
    ("letters", "name"): "Dr. Ana Reyes",
    ("letters", "how"): "Supervised me on the wards",
    ("letters", "since"): "March 2",
    ("exams", "score"): "245",
    ("program", "name"): "Mercy Hospital Internal Medicine",
    ("program", "city"): "Columbus",
    ("program", "state"): "OH",
    ("program", "cutoff"): "215",
    ("program", "notes"): "A resident from my school is there",
    ("cv_grad", "graduated"): "May 2025",
    ("network", "name"): "Dr. Sam Okafor",
    ("network", "institution"): "Mercy Hospital",
    ("network", "where_detail"): "The ACP Illinois chapter meeting",
    ("network", "met"): "March 20",
    ("network", "next_step"): "Ask for a short advice call",
    **{
        ("cv_entry", key): typed
        for key, typed in (
            ("title", "Research fellow, Internal Medicine"),
            ("organisation", "Midwestern academic medical center"),
            ("start", "January 2026"),
            ("hours", "45"),
            ("duties", "Outcomes studies in heart failure."),
            ("results", "Two abstracts submitted."),
        )
    },
    ("statement_outline", "why"): "Mr. L, heart failure, the scale and the cheaper pills",
    ("statement_outline", "year"): "Research fellow in IM since July",
    ("statement_outline", "evidence"): "500-patient database, follow-up up 18%, 2 abstracts",
    ("statement_review", "name"): "Dr. Ana Reyes",
    ("statement_review", "notes"): "Comments by Friday",
}
# Boxes ticked before "Done" in a multi-select, by (flow, question key).
TICKS: Mapping[tuple[str, str], tuple[str, ...]] = {
    ("onboarding", "red_flags"): ("loa",),
    ("pm_self", "exams"): ("low_step2",),
    ("pm_self", "experience"): ("weak_letters", "little_usce"),
    ("weekly", "done"): ("1",),
    ("weekly", "picked"): ("t0",),
}
# A choice other than the first, by (flow, question key).
PICKS: Mapping[tuple[str, str], str] = {("role", "kind"): "non_medical"}
DEGREES = {"us_md": "us_md", "us_do": "us_do", "img": "img"}


def buttons_of(turn: Turn) -> list[Button]:
    return [b for r in turn.replies for row in r.buttons for b in row]


def next_valid(state: DialogueState, last: Turn, picks: Mapping[tuple[str, str], str]) -> UserInput:
    """The valid input that moves a user at ``state`` on (``last`` is what they were shown)."""
    assert state.flow is not None and state.step is not None, "no flow is open"
    flow = FLOWS[state.flow]
    q = flow.question(state.step)
    assert q is not None
    key = (flow.name, q.key)
    if state.data.get("pending") is not None:
        return Press(flow.button_data(q.key, YES))
    if q.multi:
        selected = state.data.get("selected", [])
        ticks = [v for v in TICKS.get(key, ()) if v not in selected]
        return Press(flow.button_data(q.key, ticks[0] if ticks else DONE))
    if key in TYPED:
        return Text(TYPED[key])
    if key in picks:
        return Press(flow.button_data(q.key, picks[key]))
    prefix = flow.button_data(q.key, "")
    offered = [b for b in buttons_of(last) if b.data.startswith(prefix) and "!" not in b.data]
    assert offered, f"{key}: no button to tap and no typed answer in TYPED"
    return Press(offered[0].data)


@dataclass(frozen=True)
class Path:
    """``inputs[:entry + i]`` leaves the user at ``steps[i]`` of ``flow``, for every i."""

    name: str
    flow: str
    from_template: bool
    inputs: tuple[UserInput, ...]
    entry: int  # how many of the inputs open the flow
    steps: tuple[tuple[str, bool], ...]  # (step, a confirmation pending) at each position
    buttons: tuple[tuple[str, ...], ...]  # every button data shown before each position

    @property
    def positions(self) -> int:
        return len(self.steps)

    def prefix(self, position: int) -> tuple[UserInput, ...]:
        return self.inputs[: self.entry + position]


def _walk(
    chat: CoachChat,
    name: str,
    flow: str,
    entry: tuple[UserInput, ...],
    picks: Mapping[tuple[str, str], str],
    seen: tuple[str, ...] = (),
    *,
    from_template: bool = True,
) -> Path:
    inputs: list[UserInput] = []
    shown = list(seen)
    for inp in entry:
        inputs.append(inp)
        turn = chat.send(inp)
        shown += [b.data for b in buttons_of(turn)]
    assert chat.state.flow == flow, f"{name}: {entry} opened {chat.state.flow!r}"
    steps: list[tuple[str, bool]] = []
    buttons: list[tuple[str, ...]] = []
    while chat.state.flow == flow:
        assert len(steps) < 60, f"{name}: the flow never ends"
        assert chat.state.step is not None and chat.last is not None
        steps.append((chat.state.step, chat.state.data.get("pending") is not None))
        buttons.append(tuple(dict.fromkeys(shown)))
        inp = next_valid(chat.state, chat.last, picks)
        inputs.append(inp)
        turn = chat.send(inp)
        shown += [b.data for b in buttons_of(turn)]
    return Path(name, flow, from_template, tuple(inputs), len(entry), tuple(steps), tuple(buttons))


def _onboarding(degree: str, now: datetime) -> tuple[CoachChat, Path]:
    chat = CoachChat(now=now, first_name=FIRST_NAME)
    picks = {("onboarding", "degree"): DEGREES[degree]}
    start = (Command("start"),)
    path = _walk(chat, f"onboarding/{degree}", "onboarding", start, picks, from_template=False)
    return chat, path


@cache
def template() -> tuple[tuple[UserInput, ...], tuple[str, ...]]:
    """The template user's inputs (onboarding, then a weekly plan, at ``TEMPLATE_NOW``) and
    the data of every button they were shown."""
    chat, onboarding = _onboarding("us_md", TEMPLATE_NOW)
    weekly = _walk(chat, "template/weekly", "weekly", (Command("weekly"),), {})
    assert chat.week_plans, "the template planned a week"
    shown = tuple(dict.fromkeys((*onboarding.buttons[-1], *weekly.buttons[-1])))
    return onboarding.inputs + weekly.inputs, shown


@cache
def _template_chat() -> CoachChat:
    chat = CoachChat(now=TEMPLATE_NOW, first_name=FIRST_NAME)
    for inp in template()[0]:
        chat.send(inp)
    chat.now = NOW
    chat.last = None  # its pictures are not needed again
    return chat


SOURCES = ("dean", "advisor", "outside")
_EXAM = "x260401150000"  # the exam's key when added at ``NOW``
STATEMENT_FILE = Other(
    "document",
    file_name="statement.txt",
    mime_type="text/plain",
    file_size=1300,
    content=("On my medicine rotation I cared for a man with heart failure. " * 20).encode(),
)
PRACTICE = ("past_year", "not_matching", "why_specialty", "red_flag", "where_matched")
# How each flow after onboarding is opened, by its name.
ENTRIES: Mapping[str, tuple[UserInput, ...]] = {
    **{f"pm_meet_{s}": (Command("postmortem"), Press(f"@pm.meet.{s}")) for s in SOURCES},
    **{f"pm_notes_{s}": (Press(f"@pm.src.{s}"), Press(f"@pm.notes.{s}")) for s in SOURCES},
    "pm_self": (Command("postmortem"), Press("@pm.self")),
    "pm_add": (Press("@pm.build"), Press("@pm.add")),
    "target": (Command("target"),),
    "plan": (Press("@plan.cycle"),),
    "settings": (Command("settings"), Press("@nd.settings")),
    "checkin": (Command("checkin"),),
    "weekly": (Command("weekly"),),
    **{f"practice_{k}": (Command("practice"), Press(f"@px.q.{k}")) for k in PRACTICE},
    "safety": (Command("safetyplan"),),
    "role": (Command("role"),),
    "letters": (Command("letters"), Press("@lt.add")),
    "exams": (Command("exams"), Press("@ex.add")),
    "program": (Command("programs"), Press("@pg.add")),
    # A score is asked once a result is in: an exam added, passed, then its score changed.
    "exams/score": (
        Command("exams"),
        Press("@ex.add"),
        Text("Step 3"),
        Press("ex.date.none"),
        Text("10"),
        Press("ex.prep.!done"),
        Press(f"@ex.res.{_EXAM}.pass"),
        Press(f"@ex.edit.{_EXAM}.score"),
    ),
    "cv_grad": (Command("cv"),),
    "cv_entry": (Command("cv"), Command("skip"), Press("@cv.add")),
    "network": (Command("network"), Press("@nw.add")),
    "statement_outline": (Command("statement"), Press("@st.ol")),
    "statement_draft": (Command("statement"),),
    # A draft first (a .txt file), so the reader is asked which version they read.
    "statement_review": (Command("statement"), STATEMENT_FILE, Press("@st.ra")),
}
# Flows that ask some questions by degree (a program's IMG- or DO-friendliness), walked by a
# user of that degree, from their onboarding on.
BY_DEGREE: Mapping[str, tuple[str, str]] = {
    "program/img": ("program", "img"),
    "program/us_do": ("program", "us_do"),
}
PATH_NAMES: tuple[str, ...] = (*(f"onboarding/{d}" for d in DEGREES), *ENTRIES, *BY_DEGREE)


@cache
def path(name: str) -> Path:
    if name.startswith("onboarding/"):
        return _onboarding(name.removeprefix("onboarding/"), NOW)[1]
    if name in BY_DEGREE:
        flow, degree = BY_DEGREE[name]
        _chat, onboarded = _onboarding(degree, NOW)
        entry = (*onboarded.inputs, *ENTRIES[flow])
        return _walk(
            CoachChat(now=NOW, first_name=FIRST_NAME), name, flow, entry, PICKS, from_template=False
        )
    seen = template()[1]
    flow = name.split("/")[0]  # "exams/score": another way through the exams flow
    return _walk(copy.deepcopy(_template_chat()), name, flow, ENTRIES[name], PICKS, seen)
