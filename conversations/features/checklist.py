"""The ERAS checklist (/checklist): what must be true before ERAS opens and at submission.

After the seed (Step 9A-B). Before ERAS opens: the exams done, or booked with a plan; at least
two strong letters from the specialty uploaded; the CV showing the year's role and projects;
the statement read by a faculty member in the specialty and by someone who knows the user. At
submission: a broad list with enough community programs, no errors in dates, jobs or scores,
every letter assigned, and the application sent early.

Items tick themselves from the trackers where they can (``rules.checklist``: the plan's exam
and CV milestones, the letters uploaded, the statement's readers, the program list's size and
warnings); the rest are ticked here with a tap, stored as answers of "checklist" (a day, or
None when undone), like the plan's milestones. Sending the application ticks the plan's
"Application submitted". Each group has its due day from the cycle (ERAS opening; the first
week of submissions) and a reminder a week before and on the day, planned from the plan; once
/checklist sees a group complete, its reminders stop.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from conversations import texts
from conversations.messages import (
    Button,
    CancelNudges,
    Effect,
    Reply,
    SaveAnswer,
    ScheduleNudge,
    Turn,
)
from conversations.rules.checklist import (
    GROUPS,
    ITEMS,
    Status,
    check_exams,
    check_letters,
    check_programs,
    check_readers,
)
from conversations.rules.letters import writer_of
from conversations.rules.programs import Applicant, program_of
from conversations.rules.reminders import local_moment
from conversations.session import Completes, Feature, Reads, Reminders, Session, UserView

FLOW = "checklist"  # the answers: manual ticks, and the groups seen complete
PREFIX = "@ck."
OPEN = f"{PREFIX}open"
NUDGE_KEY = "checklist:"
NUDGE_KIND = "checklist_due"
_BEFORE_DAYS = 7
_TRACKERS = ("letter", "cv", "statement_review", "program", "exam")
# Where each tracked item is done: the tracker's own screen.
_OPENS = {
    "exams": ("Open my exams", "@ex.open"),
    "letters": ("Open my letters", "@lt.open"),
    "cv": ("Open my CV", "@cv.open"),
    "statement": ("Open my statement", "@st.open"),
    "programs": ("Open my program list", "@pg.open"),
}


def _done(user: UserView) -> dict[str, Any]:
    return dict(user.flow_answers(FLOW))


def _due(user: UserView, group: str) -> date | None:
    plan = user.plan
    if plan is None:
        return None
    if group == "before_eras":
        return plan.cycle.day("eras_opens")
    submitted = plan.milestone("eras_submitted")
    return submitted.due if submitted is not None else plan.cycle.submissions_open


def _statuses(user: UserView) -> list[Status]:
    """Each item, done or not, from the trackers where they tell, else from the user's tick."""
    done = _done(user)
    plan = user.plan
    who = user.situation
    target = who.specialty or "your target specialty"
    checks = {
        "exams": lambda: check_exams(
            [m.key for m in plan.milestones] if plan else [], user.milestones_done
        ),
        "letters": lambda: check_letters(
            [writer_of(r.key, r.content) for r in user.records_of("letter")], target
        ),
        "cv": lambda: (
            "cv_updated" in user.milestones_done,
            "" if "cv_updated" in user.milestones_done else "not there yet",
        ),
        "statement": lambda: check_readers(r.content for r in user.records_of("statement_review")),
        "programs": lambda: check_programs(
            [program_of(r.key, r.content) for r in user.records_of("program")],
            Applicant.of(user.profile, who.specialty, who.img, who.do),
        ),
    }
    found = []
    for item in ITEMS:
        if item.key in checks:
            ok, detail = checks[item.key]()
            found.append(Status(item, ok, detail))
        else:
            found.append(Status(item, bool(done.get(item.key))))
    return found


# ---------------------------------------------------------------- the screen


def _screen(s: Session, found: list[Status], head: str | None = None) -> Reply:
    lines = [head, ""] if head else []
    lines.append("Your ERAS checklist. What I can see in your trackers ticks itself; tap the rest.")
    rows: list[tuple[Button, ...]] = []
    for group, title in GROUPS.items():
        due = _due(s.user, group)
        when = f", by {texts.short_day(due)}" if due is not None else ""
        lines += ["", f"{title}{when}:"]
        for st in (x for x in found if x.item.group == group):
            mark = "✅" if st.done else "⬜"
            lines.append(f"{mark} {st.item.title}" + (f" ({st.detail})" if st.detail else ""))
            if st.item.manual:
                label = ("Undo: " if st.done else "Done: ") + st.item.short
                rows.append((Button(label[:60], f"{PREFIX}t.{st.item.key}"),))
            elif not st.done and st.item.opens in _OPENS:
                label, data = _OPENS[st.item.opens]
                if all(b.data != data for row in rows for b in row):
                    rows.append((Button(label, data),))
    left = sum(not st.done for st in found)
    lines += ["", "Everything is in place: submit early." if not left else f"{left} to go."]
    return Reply("\n".join(lines), tuple(rows))


def _complete_groups(s: Session, found: list[Status]) -> tuple[Effect, ...]:
    """The groups now complete, remembered (their reminders cancelled), and the ones that are
    no longer complete forgotten (their reminders come back)."""
    done = _done(s.user)
    effects: list[Effect] = []
    for group in GROUPS:
        complete = all(st.done for st in found if st.item.group == group)
        key = f"{group}_complete"
        if complete and not done.get(key):
            effects += [
                SaveAnswer(FLOW, key, None, s.today.isoformat()),
                CancelNudges(f"{NUDGE_KEY}{group}:", prefix=True),
            ]
        elif not complete and done.get(key):
            effects.append(SaveAnswer(FLOW, key, None, None))
    if any(isinstance(e, SaveAnswer) and e.value is None for e in effects):
        effects += _plan_reminders(s.after(tuple(effects)))
    return tuple(effects)


def open_checklist(s: Session) -> Turn:
    if not s.user.profile:
        return s.turn(Reply(texts.NEED_PROFILE))
    again = s.current_question("Where we were:")
    found = _statuses(s.user)
    effects = _complete_groups(s, found)
    return s.turn(_screen(s, found), *((again,) if again else ()), effects=effects)


def _tick(s: Session, key: str) -> Turn:
    item = next((i for i in ITEMS if i.key == key and i.manual), None)
    if item is None:
        return s.turn(_screen(s, _statuses(s.user), texts.UNKNOWN_BUTTON), toast="Nothing changed")
    done = bool(_done(s.user).get(key))
    save = SaveAnswer(FLOW, key, None, None if done else s.today.isoformat())
    view = s.after((save,))
    head = f"Open again: {item.title}." if done else f"Ticked: {item.title}."
    found = _statuses(view.user)
    effects = (save, *_complete_groups(view, found))
    return view.turn(_screen(view.after(effects), found, head), effects=effects, toast="Saved ✓")


def _press(s: Session, rest: str) -> Turn:
    head, _, arg = rest.partition(".")
    if head == "open":
        return open_checklist(s)
    if head == "t":
        return _tick(s, arg)
    return s.turn(_screen(s, _statuses(s.user), texts.UNKNOWN_BUTTON), toast="Nothing changed")


# ---------------------------------------------------------------- reminders


def _plan_reminders(s: Session) -> tuple[Effect, ...]:
    effects: list[Effect] = [CancelNudges(NUDGE_KEY, prefix=True)]
    settings = s.user.nudge_settings
    done = _done(s.user)
    for group in GROUPS:
        due = _due(s.user, group)
        if due is None or done.get(f"{group}_complete"):
            continue
        payload = settings.payload(group=group, due=due.isoformat())
        for tag, day in (("before", due - timedelta(days=_BEFORE_DAYS)), ("day", due)):
            at = local_moment(day, settings.at, payload)
            if at > s.now_utc:
                effects.append(ScheduleNudge(NUDGE_KIND, f"{NUDGE_KEY}{group}:{tag}", at, payload))
    return tuple(effects)


def render(kind: str, payload: Mapping[str, Any]) -> Reply | None:
    group = payload.get("group")
    if kind != NUDGE_KIND or group not in GROUPS:
        return None
    try:
        due = date.fromisoformat(str(payload.get("due")))
    except ValueError:
        return None
    items = "\n".join(f"• {i.title}" for i in ITEMS if i.group == group)
    what = "ERAS opens" if group == "before_eras" else "the first week of submissions ends"
    text = (
        f"{texts.short_day(due)} is when {what}. Here's what should be in place by then:\n"
        f"{items}\n\nOpen your checklist to see what's already ticked."
    )
    return Reply(text, ((Button("Open my checklist", OPEN),),))


def describe(kind: str, payload: Mapping[str, Any]) -> str | None:
    group = payload.get("group")
    return (
        f"ERAS checklist: {GROUPS[str(group)][0].lower()}{GROUPS[str(group)][1:]}"
        if group in GROUPS
        else None
    )


FEATURE = Feature(
    name="checklist",
    commands={"checklist": open_checklist},
    buttons={PREFIX: _press},
    reminders=Reminders(
        kinds=frozenset({NUDGE_KIND}),
        render=render,
        describe=describe,
        replan=_plan_reminders,
        follows_plan=True,
    ),
    reads=tuple(
        Reads.records(kind, commands=frozenset({"checklist"}), buttons=(PREFIX,))
        for kind in _TRACKERS
    ),
    completes=(
        Completes(
            "eras_submitted",
            answer=(FLOW, "submitted"),
            how=("Open my ERAS checklist", OPEN),
        ),
    ),
)
