"""Every flow of the coach driven through ``CoachChat``, with every button pressed once.

A tour walks a few users through everything the coach can do (onboarding three ways, the
post-mortem and its Problems List, the target, the plan, settings, reminders and each
reminder as it arrives, check-ins, weekly planning, practice, care, the data commands) and,
at every turn, also presses each button of the reply once on a copy of the chat, so a
button's answer is seen even when the walk goes another way. It keeps every reply a user
could see (``Seen``), for tests that read all of them: the words, their length, the clock.

Tours are pure and deterministic; each is built once per test session (``tour()``).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from conversations import catalog
from conversations.features.reminders import with_nudge_buttons
from conversations.messages import Command, Other, Press, Reply, Text, Turn, UserInput
from conversations.session import UserView
from tests.coach_chat import SEED_ONBOARDING, CoachChat, scripted_input

STRONG = (
    "I did not match last cycle, which was hard but clarifying. Since then I have worked "
    "full-time as a research fellow in the internal medicine department, where I led a heart "
    "failure readmissions project, submitted two abstracts and one manuscript. This year "
    "deepened my interest in internal medicine, and I am ready to bring that to residency."
)
WEAK = (
    "Honestly it was so unfair, the programs just ignored me and I was devastated. I am "
    "hardworking and passionate and I basically tried to stay busy, um, you know, doing stuff."
)
FRUSTRATED = "Ugh, honestly this whole thing is killing me. I did some research, I guess."


@dataclass(frozen=True)
class Seen:
    """One reply a user could see, and how the tour got there."""

    persona: str
    where: str
    reply: Reply
    hour24: bool  # the user's clock when it was said: every time shown should follow it

    @property
    def strings(self) -> Iterator[str]:
        """Everything readable in it: the text, the button labels, the captions."""
        yield self.reply.text
        for row in self.reply.buttons:
            for button in row:
                yield button.label
        for attachment in (self.reply.document, self.reply.photo):
            if attachment is not None and attachment.caption:
                yield attachment.caption


class Tour:
    def __init__(self, persona: str, chat: CoachChat) -> None:
        self.persona = persona
        self.chat = chat
        self.seen: list[Seen] = []
        self.toasts: list[tuple[str, str]] = []
        self._looked: set[tuple[str | None, str | None, str]] = set()

    # ------------------------------------------------------------ recording

    def _record(self, where: str, turn: Turn, chat: CoachChat | None = None) -> None:
        chat = chat or self.chat
        answers = chat.answers
        pending = chat.state.data.get("pending")
        if chat.state.step == "timezone" and pending:  # "I'll use Berlin time, now 10:00?"
            profile = {**answers.get("onboarding", {}), "timezone": pending["value"]}
            answers = {**answers, "onboarding": profile}
        hour24 = UserView(answers=answers).hour24
        self.seen.extend(Seen(self.persona, where, r, hour24) for r in turn.replies)
        if turn.toast:
            self.toasts.append((where, turn.toast))

    def _look_around(self, where: str, turn: Turn) -> None:
        """Press each button of ``turn`` once on a copy, and try the usual detours."""
        state = self.chat.state
        tries: list[tuple[str, UserInput]] = [
            (f"tap {b.label!r}", Press(b.data))
            for r in turn.replies
            for row in r.buttons
            for b in row
        ]
        if state.flow is not None:
            tries += [
                ("/skip", Command("skip")),
                ("/back", Command("back")),
                ("/help", Command("help")),
                ("a sticker", Other("sticker")),
                ("nonsense", Text("zzz qqq")),
            ]
        for label, inp in tries:
            key = (state.flow, state.step, f"{label}:{getattr(inp, 'data', '')}")
            if key in self._looked:
                continue
            self._looked.add(key)
            other = copy.deepcopy(self.chat)
            self._record(f"{where} > {label}", other.send(inp), other)

    # ------------------------------------------------------------ walking

    def send(self, inp: UserInput, where: str | None = None) -> Turn:
        where = where or _describe(inp)
        turn = self.chat.send(inp)
        self._record(where, turn)
        self._look_around(where, turn)
        return turn

    def cmd(self, name: str, args: str = "") -> Turn:
        return self.send(Command(name, args), f"/{name} {args}".strip())

    def type(self, text: str) -> Turn:
        return self.send(Text(text), f"type {text[:30]!r}")

    def tap(self, label: str) -> Turn:
        return self.send(Press(self.chat.button(label).data), f"tap {label!r}")

    def tap_if(self, label: str) -> None:
        try:
            self.chat.button(label)
        except AssertionError:
            return
        self.tap(label)

    def script(self, steps: tuple[tuple[str, str], ...]) -> None:
        for step in steps:
            self.send(scripted_input(step, self.chat.last), f"{step[0]} {step[1]!r}")

    def nudges_as_sent(self) -> None:
        """Every pending reminder as the sweep would send it, with its buttons pressed."""
        for nudge in self.chat.nudges():
            reply = catalog.render_nudge(nudge.kind, nudge.payload)
            if reply is None:
                continue
            reply = with_nudge_buttons(reply, nudge.id)
            where = f"reminder {nudge.kind}"
            turn = Turn((reply,), self.chat.state)
            self._record(where, turn)
            self._look_around(where, turn)


def _describe(inp: UserInput) -> str:
    return type(inp).__name__


# ---------------------------------------------------------------- the walks


def _seed_user() -> Tour:
    """The seed's worked example (US MD, Internal Medicine, Chicago) through everything."""
    t = Tour("seed", CoachChat())
    t.script(SEED_ONBOARDING)
    for name in ("help", "profile", "plan", "reminders", "settings", "history", "problems"):
        t.cmd(name)
    t.cmd("profile")
    for label in [b.label for r in t.chat.last.replies for row in r.buttons for b in row][:8]:  # type: ignore[union-attr]
        t.cmd("profile")
        t.tap(label)
        t.cmd("cancel")
    t.cmd("settings")
    t.tap("Reminder time and quiet hours")
    t.type("18:30")
    t.tap("10:00 PM")
    t.tap("7:00 AM")
    t.tap("Wed")
    t.cmd("settings")
    t.nudges_as_sent()
    t.tap("Use the 24-hour clock")
    for name in ("reminders", "profile", "checkin", "cancel", "settings"):
        t.cmd(name)
    t.tap("Use the 12-hour clock")

    # The post-mortem, the Problems List and the target.
    t.cmd("postmortem")
    t.tap("1. Your dean's office")
    t.tap("Set the meeting date")
    t.type("Dr. Ruiz, student affairs")
    t.type("April 2")
    t.tap("2. A specialty advisor")
    t.tap("Record what they said")
    t.type("Your letters were generic. Apply much more broadly.")
    t.cmd("skip")
    t.type("A year of IM research with a letter from the PI.")
    t.tap("4. My own review")
    for _ in range(4):
        t.tap("None of these")
        t.tap("Done ✔")
    t.tap("Build my Problems List")
    t.tap("Add my own")
    t.tap("Application strategy")
    t.type("No letter from an internist")
    t.tap("This is right")
    t.tap("Next: choose my target")
    t.tap("Internal Medicine")
    t.tap("The suggestion above")
    t.tap("I commit to this")
    t.cmd("problems")
    t.cmd("target")
    t.tap("Family Medicine")
    t.type("Psychiatry through SOAP")
    t.tap("Not yet")
    t.cmd("reminders")
    t.nudges_as_sent()

    # Check-ins, the first weekly session, a second check-in, history.
    _check_in(t, win="Sent my CV")
    t.cmd("weekly")
    t.tap("10")
    t.type("Finish the chart review.")
    t.tap_if("None of these")
    t.tap_if("Done ✔")
    t.type("Rewrite personal statement; Ask Dr. Lee for a letter.")
    _check_in(t, win=None)
    t.cmd("history")
    for _ in range(4):
        t.chat.now += timedelta(days=1)
        _check_in(t, win="Abstract draft", woke="No", mood="2")
    t.chat.now = datetime(2026, 4, 5, 17, 0, tzinfo=UTC)  # the next Sunday
    t.cmd("weekly")
    t.tap_if("1. ")
    t.tap_if("Done ✔")
    t.tap("5")
    t.type("Data cleaning")
    t.tap_if("None of these")
    t.tap_if("Done ✔")
    t.cmd("skip")
    t.cmd("history")

    # Practice: each question, a strong answer and a weak one, a voice note, progress.
    t.cmd("practice")
    for label in (
        "What did you do this past year",
        "Tell me about not matching",
        "Why this specialty",
        "Where did you match",
    ):
        t.cmd("practice")
        t.tap(label)
        t.send(Other("voice", 95), "a voice note")
        t.type(WEAK)
        t.tap("Try again")
        t.type(STRONG)
        t.tap("Try again")
        t.type(FRUSTRATED)
        t.tap("Try again")
        t.type("Nervous.")
    t.cmd("practice", "history")

    # Care, the role, the data commands.
    t.cmd("safetyplan")
    t.type("I stop answering my phone")
    t.type("Running")
    t.cmd("skip")
    t.cmd("skip")
    t.tap("988")
    t.cmd("safetyplan")
    t.type("I can't go on anymore")
    t.type("you misunderstood, I'm fine")
    t.cmd("role")
    t.tap("A job outside medicine")
    t.type("June 30")
    t.nudges_as_sent()
    t.cmd("role")
    t.tap("Research fellow or position")

    # Letters: a writer to ask later, one asked who agrees, a detail changed, a removal.
    t.cmd("letters")
    t.tap("Add a writer")
    t.type("Dr. Ana Reyes")
    t.tap("Internal Medicine")
    t.tap("Attending who supervised me")
    t.tap("In clinic or on service")
    t.type("May 1")
    t.tap("Not asked yet")
    t.tap("How to ask")
    t.cmd("letters", "add")
    t.type("Dr. Kim")
    t.type("cardiology")
    t.tap("Research or QI mentor")
    t.cmd("skip")
    t.cmd("skip")
    t.tap("Asked, waiting for an answer")
    t.tap("They agreed")
    t.nudges_as_sent()
    t.tap("Edit details")
    t.tap("Role")
    t.tap("Program director or chair")
    t.cmd("letters")
    t.tap("Dr. Ana Reyes")
    t.tap("Remove")
    t.tap("No, keep them")
    t.cmd("reminders")

    # The program list: one added by hand, a sheet with a refused row, the list and a card.
    t.cmd("programs")
    t.tap("Add a program")
    t.type("Mercy Hospital Internal Medicine")
    t.type("Columbus")
    t.type("OH")
    t.tap("Community")
    t.tap("Yes")
    t.type("230")
    t.tap("Yellow")
    t.tap("Considering")
    t.cmd("skip")
    sheet = (
        b"Program,City,State,Setting,Score cutoff,Tier\n"
        b"Prairie FM,Lincoln,NE,community,,\n"
        b"Metro IM,New York,NY,academic,240,\n"
        b"Nowhere IM,Atlantis,XX,community,,green\n"
    )
    t.send(
        Other(
            "document",
            file_name="list.csv",
            mime_type="text/csv",
            file_size=len(sheet),
            content=sheet,
        ),
        "a program list with a bad row",
    )
    t.tap("Import the 2")
    t.tap("See the list")
    t.tap("Metro IM")
    t.tap("Edit details")
    t.tap("Notes")
    t.type("Long shot, but my PI trained there")
    t.cmd("programs")

    # The ERAS checklist: what ticks itself, one item ticked by hand and undone.
    t.cmd("checklist")
    t.tap("Done: letters assigned")
    t.tap("Undo: letters assigned")

    # The personal statement: a draft pasted in two parts, its feedback, a reader.
    t.cmd("statement")
    t.type(
        "When Mr. K was admitted with heart failure for the third time, I sat with him each "
        "morning and learned what kept him from his medicines. That is why I want internal "
        "medicine."
    )
    t.tap("Add more")
    t.type(
        "After not matching, I spent the past year as a full-time research fellow, where I "
        "cut missed follow-up visits by 18% across 500 patients and submitted two abstracts. " * 8
    )
    t.tap("That's all")
    t.tap("Note a reader")
    t.type("Dr. Ana Reyes")
    t.tap("Faculty in my specialty")
    t.cmd("cancel")

    # The CV: the graduation month, one entry.
    t.cmd("cv")
    t.type("May 2025")
    t.tap("Add an entry")
    t.tap("Research project")
    t.type("Heart failure readmissions study")
    t.type("Midwestern academic medical center")
    t.type("June 2025")
    t.tap_if("Still going")
    t.type("40")
    t.type("Chart review and data analysis for a readmissions study.")
    t.type("Two abstracts submitted; one poster accepted.")
    t.cmd("cv")

    # Networking: a PD met at a conference, a meeting logged, the email, an edit, a removal.
    t.cmd("network")
    t.tap("Add a contact")
    t.type("Dr. Sam Okafor")
    t.tap("Program director")
    t.type("Mercy Hospital")
    t.tap("Internal Medicine")
    t.tap("A conference")
    t.type("the ACP Illinois chapter meeting")
    t.tap("Today")
    t.tap("Ask for a short advice call")
    t.tap("Log a meeting")
    t.nudges_as_sent()
    t.tap("Draft the advice email")
    t.tap("Back to Dr. Sam Okafor")
    t.tap("Edit details")
    t.tap("Next step")
    t.cmd("skip")
    t.tap("Thank-you sent")
    t.cmd("network", "add")
    t.type("Priya")
    t.tap("Resident")
    t.cmd("skip")
    t.cmd("skip")
    t.tap("My institution")
    t.cmd("skip")
    t.cmd("skip")
    t.cmd("skip")
    t.tap("Remove")
    t.tap("No, keep them")
    t.cmd("network")
    for name in ("pause", "pause", "reminders", "resume", "resume", "export", "delete"):
        t.cmd(name)
    t.tap("No, keep my data")
    t.cmd("frobnicate")
    t.send(Other("sticker"), "a sticker")
    t.type("   ")
    t.type("hello?")
    t.cmd("start")
    t.cmd("cancel")
    t.cmd("back")
    t.cmd("skip")
    return t


def _check_in(t: Tour, win: str | None, woke: str = "Yes", mood: str = "4") -> None:
    t.cmd("checkin")
    if t.chat.step == "woke_on_time":
        t.tap(woke)
    while t.chat.step is not None and t.chat.step.endswith("_hours"):
        t.tap("2")
    if win is None:
        t.cmd("skip")
    else:
        t.type(win)
    t.tap(f"{mood} ")


def _img_user() -> Tour:
    """An international graduate in Berlin: typed answers, failures, red flags, a pivot."""
    t = Tour("img", CoachChat(now=datetime(2026, 3, 25, 9, 0, tzinfo=UTC), first_name=None))
    t.cmd("start")
    t.type("Ade")
    t.tap("International graduate (IMG)")
    t.type("ortho")
    t.type("25")
    t.tap("Not sure")
    t.cmd("skip")
    t.type("0")
    t.tap("Yes, no position")
    t.tap("Passed")
    t.type("214")
    t.tap("Step 2 CK / Level 2")
    t.tap("Done ✔")
    t.tap("Course or clerkship failure")
    t.tap("Leave of absence")
    t.tap("Done ✔")
    t.tap("None")
    t.tap("0")
    t.tap("1")
    t.tap("0")
    t.tap("2")
    t.tap("2")
    t.tap("No")
    t.type("Berlin")
    t.tap("Yes, that's right")
    t.tap_if("Today")
    while t.chat.step is not None and t.chat.state.flow == "onboarding":
        t.type("19:30")
    t.tap_if("Match 2027")
    for name in ("profile", "plan", "reminders", "settings", "target", "practice"):
        t.cmd(name)
    t.cmd("target")
    t.tap("Internal Medicine")
    t.tap("The suggestion above")
    t.tap("I commit to this")
    t.cmd("postmortem")
    t.tap("Build my Problems List")
    t.tap_if("Drop 1")
    t.tap_if("This is right")
    t.cmd("practice")
    t.tap("Explaining my red flag")
    t.type(
        "During my third year I failed my medicine clerkship after struggling with time "
        "management. I completed a remediation rotation and have passed every rotation since."
    )
    t.tap("Try again")
    t.type("It was not my fault, the clerkship director was unfair.")
    t.cmd("checkin")
    t.cmd("settings")
    _exams(t)
    t.nudges_as_sent()
    return t


def _exams(t: Tour) -> None:
    """/exams: an exam added, opened and edited; another with its date too late."""
    t.cmd("cancel")
    t.cmd("exams")
    t.tap("Add an exam")
    t.tap("Step 2 CK")
    t.type("June 10")
    t.tap("15")
    t.tap("One full question-bank pass")
    t.tap("Done ✔")
    t.tap("See my exams")
    t.tap("Open: Step 2 CK")
    t.tap("Change the hours")
    t.type("12")
    t.cmd("exams")
    t.tap("Add an exam")
    t.tap("COMLEX Level 3")
    t.type("August 28")
    t.type("10")
    t.cmd("skip")


def _do_user() -> Tour:
    """A US DO who also took USMLE, answering with buttons and /skip where allowed."""
    t = Tour("do", CoachChat(now=datetime(2026, 3, 20, 14, 0, tzinfo=UTC)))
    t.cmd("start")
    t.tap("Maya")
    t.tap("US DO")
    t.tap("Family Medicine")
    t.type("60")
    t.tap("Mostly community")
    t.tap("Spread out")
    t.tap("3")
    t.tap("I wasn't eligible")
    t.tap("Passed")
    t.type("480")
    t.tap("Yes")
    t.tap("Passed")
    t.type("225")
    t.tap("No, never")
    t.tap("Done ✔")
    t.tap("None of these")
    t.tap("Done ✔")
    t.tap("Strong")
    for _ in range(3):
        t.cmd("skip")
    t.tap("3")
    t.tap("Yes")
    t.tap("Eastern")
    t.tap("Yes, that's right")
    t.type("April 1")
    while t.chat.step is not None and t.chat.state.flow == "onboarding":
        t.cmd("skip") if t.chat.step == "wake_time" else t.tap("9:00 PM")
    t.tap_if("Match 2027")
    for name in ("profile", "plan", "target", "practice", "reminders"):
        t.cmd(name)
    t.nudges_as_sent()
    return t


@cache
def tours() -> tuple[Tour, ...]:
    return (_seed_user(), _img_user(), _do_user())


def everything_seen() -> list[Seen]:
    return [seen for t in tours() for seen in t.seen]
