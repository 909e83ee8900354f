"""Letters of recommendation (/letters): the writers, where each letter stands, what's missing.

Each writer is a tracker item (kind "letter"): who they are, their specialty and role, how
they know the user, when they started working together, and where the letter stands (not
asked, asked, agreed, uploaded, or not used). /letters counts them against the target
(``rules.letters``) and says in one line what is still missing. Adding a writer, or changing
one thing about one, is an item run of ``WRITER``; a writer's status moves with a tap on their
card. Reminders: ask a writer once they have seen six weeks of work, and check on a letter two
weeks after the writer agreed and again a week before ERAS opens. Asking two writers in the
specialty ticks the plan's "letters asked" (or "SLOEs asked"); the letters uploaded tick
"letters in".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from conversations import texts
from conversations.engine import Choice, Context, Flow, Outcome, Question
from conversations.items import Items
from conversations.messages import (
    Button,
    CancelNudges,
    Effect,
    PutRecord,
    Reply,
    ScheduleNudge,
    Turn,
)
from conversations.rules.letters import (
    KIND,
    ROLES,
    STATUSES,
    Writer,
    ask_day,
    follow_up_days,
    tally,
    writer_of,
    writer_specialty,
)
from conversations.rules.parsing import normalize_free_text, parse_date
from conversations.rules.reminders import local_moment
from conversations.session import (
    Completes,
    Feature,
    Reads,
    Reminders,
    Session,
    UserView,
)

FLOW_NAME = "letters"
PREFIX = "@lt."
OPEN = f"{PREFIX}open"
ADD = f"{PREFIX}add"
HOW = f"{PREFIX}how"
NUDGE_KEY = "letters:"
ASK_KIND, FOLLOW_KIND = "letter_ask", "letter_follow_up"
_NUDGE_KINDS = frozenset({ASK_KIND, FOLLOW_KIND})
MAX_WRITERS = 12  # more than anyone needs; a bound on what one list shows


def _target(user: UserView) -> str:
    """The specialty the letters must speak to: the committed target, else last cycle's."""
    return user.situation.specialty or "your target specialty"


def _writers(user: UserView) -> list[Writer]:
    return [writer_of(r.key, r.content) for r in user.records_of(KIND)]


# ---------------------------------------------------------------- adding or changing a writer


def _name(text: str, ctx: Context) -> str:
    return normalize_free_text(text, max_len=80, what="name")


def _specialty_choices(ctx: Context) -> list[Choice]:
    user = ctx.user
    target = user.situation.specialty if isinstance(user, UserView) else ""
    return [Choice("target", target, stores=target)] if target else []


def _specialty(text: str, ctx: Context) -> str:
    return writer_specialty(normalize_free_text(text, max_len=80, what="specialty"))


def _how(text: str, ctx: Context) -> str:
    return normalize_free_text(text, max_len=200, what="answer")


def _since(text: str, ctx: Context) -> str:
    today = ctx.today
    # Mostly a day gone by; a job starting within three months is fine too.
    day = parse_date(text, today=today, latest=today + timedelta(days=90))
    return day.isoformat()


WRITER = Flow(
    name=FLOW_NAME,
    code="lt",
    change_hint="open /letters, tap the writer, then Edit",
    fresh_runs=True,
    questions=(
        Question(
            "name",
            "Name",
            "Who is the writer? Their name as it will appear, e.g. Dr. Ana Reyes.",
            parse=_name,
            why_needed="I need a name to keep track of this letter.",
        ),
        Question(
            "specialty",
            "Specialty",
            lambda ctx: (
                f"What is {ctx.answers.get('name', 'their')}'s specialty? Tap it or type it."
            ),
            choices=_specialty_choices,
            parse=_specialty,
            columns=1,
            why_needed="letters from your target specialty are the ones that count most.",
        ),
        Question(
            "role",
            "Role",
            "What is their role with you?",
            choices=tuple(Choice(key, label.capitalize()) for key, label in ROLES.items()),
            columns=1,
        ),
        Question(
            "how",
            "How they know you",
            "How do they know your work? A few words, e.g. supervised me on the wards for 8 "
            "weeks, or my PI on the sepsis QI project.",
            choices=(
                Choice("In clinic or on service", "In clinic or on service", typed=True),
                Choice("Research or QI together", "Research or QI together", typed=True),
            ),
            parse=_how,
            columns=1,
            optional=True,
        ),
        Question(
            "since",
            "Working together since",
            "When did you start working with them? A date is fine, e.g. May 4 (or a future "
            "date if you haven't started yet).",
            parse=_since,
            optional=True,
            show=texts.show_day,
            why_needed="it tells me when they have seen enough of your work to be asked.",
        ),
        Question(
            "status",
            "Where the letter stands",
            "Where do things stand with this letter?",
            choices=tuple(
                Choice(key, label.capitalize())
                for key, label in STATUSES.items()
                if key != "declined"
            ),
            columns=1,
        ),
    ),
)


def _new_key(user: UserView) -> str:
    numbers = [int(r.key[1:]) for r in user.records_of(KIND) if r.key[1:].isdigit()]
    return f"w{max(numbers, default=0) + 1}"


def _dated(
    content: dict[str, Any], before: Mapping[str, Any] | None, today: date
) -> dict[str, Any]:
    """``content`` with the day its status was reached, when the status is new."""
    status = content.get("status")
    if status in STATUSES and (before is None or before.get("status") != status):
        content[f"{status}_on"] = today.isoformat()
    return content


def _finished(s: Session, flow: Flow, result: Outcome) -> Turn:
    item = s.item
    if item is None:  # a run from before item runs: nothing to attach it to
        return s.turn(Reply("Saved. Send /letters to see your writers."))
    before = s.user.record(*item)
    content = _dated(
        s.item_content(flow, result.effects), before.content if before else None, s.today
    )
    put = PutRecord(KIND, item[1], content)
    view = s.after((put,))
    writer = writer_of(item[1], content)
    effects: tuple[Effect, ...] = (put, *_writer_nudges(view, writer))
    head = "Added." if before is None else "Updated."
    return view.turn(_card(view, writer, head), effects=effects)


def _start_adding(s: Session) -> Turn:
    if s.flow is not None and s.flow is not WRITER:
        return s.say_then_reask(texts.FINISH_FIRST)
    if len(s.user.records_of(KIND)) >= MAX_WRITERS:
        return s.turn(
            Reply(
                f"You already have {MAX_WRITERS} writers here, more than any application "
                "uses. Remove one you won't ask before adding another."
            )
        )
    return s.begin(WRITER, item=(KIND, _new_key(s.user)))


# ---------------------------------------------------------------- the list and a writer's card


_MARK = {"to_ask": "📝", "asked": "⏳", "agreed": "🤝", "uploaded": "✅", "declined": "➖"}


def _line(w: Writer, target: str, today: date) -> str:
    who = ", ".join(x for x in (w.specialty, ROLES.get(w.role, "")) if x)
    when = ""
    day = {"asked": w.asked_on, "agreed": w.agreed_on, "uploaded": w.uploaded_on}.get(w.status)
    if day is not None:
        when = f" since {texts.short_day(day)}"
    ask = ask_day(w)
    if ask is not None:
        when = " (ready to ask now)" if ask <= today else f" (ask from {texts.short_day(ask)})"
    return f"{_MARK[w.status]} {w.name} ({who}): {STATUSES[w.status]}{when}"


def _overview(s: Session, head: str | None = None) -> Reply:
    target = _target(s.user)
    writers = _writers(s.user)
    intro = (
        f"Letters for {target}. What programs look for: 3-4 strong letters, at least 2 from "
        f"attendings in {target} who've seen you work, and at most one from a research "
        "mentor outside it."
    )
    if not writers:
        body = (
            "No writers yet. Add the attendings you work with now, even if it's too early to "
            "ask: I'll tell you when they've seen enough of your work."
        )
    else:
        used = [w for w in writers if w.status != "declined"]
        lines = [_line(w, target, s.today) for w in used]
        dropped = [w.name for w in writers if w.status == "declined"]
        if dropped:
            lines.append(f"Not using: {', '.join(dropped)}")
        t = tally(used, target)
        lines += ["", t.missing_line()]
        if t.extra_pis:
            lines.append(
                "Only one letter from a research mentor outside the specialty helps; an extra "
                "one takes the place of a letter from an attending in it."
            )
        body = "\n".join(lines)
    text = "\n\n".join(x for x in (head, intro, body) if x)
    rows: list[tuple[Button, ...]] = [(Button(w.name[:40], f"{PREFIX}w.{w.key}"),) for w in writers]
    rows.append((Button("Add a writer", ADD), Button("How to ask", HOW)))
    return Reply(text, tuple(rows))


def _card(s: Session, w: Writer, head: str | None = None) -> Reply:
    details = [f"{w.name}: {STATUSES[w.status]}."]
    details.append(f"Specialty: {w.specialty or 'not given'}. Role: {ROLES.get(w.role, 'other')}.")
    if w.how:
        details.append(f"How they know you: {w.how}")
    if w.since is not None:
        details.append(f"Working together since {texts.short_day(w.since)}.")
    ask = ask_day(w)
    if ask is not None and ask <= s.today:
        details.append(
            "They've seen over six weeks of your work: if it's been solid, this is a good time "
            "to ask (tap How to ask for the words)."
        )
    elif ask is not None:
        details.append(f"I'll remind you to ask on {texts.short_day(ask)}, six weeks in.")
    t = tally([x for x in _writers(s.user) if x.status != "declined"], _target(s.user))
    text = "\n".join(details) + "\n\n" + t.missing_line()
    if head:
        text = f"{head}\n\n{text}"
    k = w.key
    moves = {
        "to_ask": [("I've asked them", "asked")],
        "asked": [("They agreed", "agreed"), ("They hesitated or said no", "declined")],
        "agreed": [("It's uploaded to ERAS", "uploaded"), ("They backed out", "declined")],
        "uploaded": [],
        "declined": [("Use them after all", "to_ask")],
    }[w.status]
    rows: list[tuple[Button, ...]] = [
        (Button(label, f"{PREFIX}st.{status}.{k}"),) for label, status in moves
    ]
    if w.status == "to_ask":
        rows.append((Button("How to ask", HOW),))
    rows.append((Button("Edit details", f"{PREFIX}ed.{k}"), Button("Remove", f"{PREFIX}rm.{k}")))
    rows.append((Button("All my letters", OPEN),))
    return Reply(text, tuple(rows))


def _how_to_ask(s: Session) -> Reply:
    target = _target(s.user)
    text = (
        "When a writer has seen six to eight weeks of your solid work, ask in person or on a "
        "call if you can, and give them an easy way out. Something like:\n\n"
        f"“You've worked with me closely these past weeks. Do you feel you know my work well "
        f"enough to write a strong, detailed letter for my {target} residency application? "
        "If the timing or the fit isn't right, I completely understand.”\n\n"
        "If they pause, hedge or sound lukewarm, thank them warmly and don't use them: a "
        "half-hearted letter hurts more than a missing one. If they say yes, offer your CV, "
        "your statement draft and a short list of what you did together."
    )
    return Reply(text, ((Button("All my letters", OPEN),),))


# ---------------------------------------------------------------- buttons


def _find(s: Session, key: str) -> Writer | None:
    record = s.user.record(KIND, key)
    return writer_of(key, record.content) if record else None


def _set_status(s: Session, rest: str) -> Turn:
    status, _, key = rest.partition(".")
    w = _find(s, key)
    if w is None:
        return ITEMS.gone(s)
    if status not in STATUSES:
        return s.turn(_card(s, w, texts.UNKNOWN_BUTTON))
    if w.status == status:
        return s.turn(toast=texts.ALREADY_SAVED)
    record = s.user.record(KIND, key)
    assert record is not None
    content = _dated({**record.content, "status": status}, record.content, s.today)
    put = PutRecord(KIND, key, content)
    view = s.after((put,))
    moved = writer_of(key, content)
    head = {
        "asked": "Asked: well done, that's the hard part. I'll note the day.",
        "agreed": (
            f"Wonderful: {w.name} will write for you. Send them your CV, your statement draft "
            "and the ERAS letter request, and I'll remind you to check in in two weeks."
        ),
        "uploaded": "Uploaded: one more letter in. Thank them; a short note means a lot.",
        "declined": (
            f"Thank you for telling me. A writer who isn't sure is doing you a favour by "
            f"saying so: thank {w.name} warmly, and let's put your effort into someone who "
            "is. I've set them aside (they no longer count, and I won't remind you about them)."
        ),
        "to_ask": f"{w.name} is back on your list to ask.",
    }[status]
    effects = (put, *_writer_nudges(view, moved))
    return view.turn(_card(view, moved, head), effects=effects, toast="Saved ✓")


ITEMS = Items(
    kind=KIND,
    prefix=PREFIX,
    flow=WRITER,
    overview=lambda s, head: _overview(s, head),
    card=f"{PREFIX}w.",
    gone_words="I can't find that writer any more (removed earlier?). Here's your list.",
    ask_remove="Remove {name} and their reminders? This can't be undone.",
    nudge_key=NUDGE_KEY,
)


def _writer_button(s: Session, key: str) -> Turn:
    w = _find(s, key)
    return s.turn(_card(s, w)) if w is not None else ITEMS.gone(s)


def open_letters(s: Session) -> Turn:
    # Reminders still at an old zone or hour (changed in /profile) follow the new one now.
    return ITEMS.open(s, _start_adding, lambda s: replan(s) if s.drifted(_NUDGE_KINDS) else ())


def _press(s: Session, rest: str) -> Turn:
    own = {
        "how": lambda s, _arg: s.turn(_how_to_ask(s)),
        "w": _writer_button,
        "st": _set_status,
    }
    return ITEMS.press(s, rest, open_letters, _start_adding, own)


# ---------------------------------------------------------------- reminders


def _writer_nudges(s: Session, w: Writer) -> tuple[Effect, ...]:
    """A writer's reminders cancelled and planned again from where their letter stands."""
    effects: list[Effect] = [CancelNudges(f"{NUDGE_KEY}{w.key}:", prefix=True)]
    settings = s.user.nudge_settings
    base = {"writer": w.key, "name": w.name, "specialty": _target(s.user)}

    def add(kind: str, tag: str, day: date) -> None:
        payload = settings.payload(**base)
        due = local_moment(day, settings.at, payload)
        if due > s.now_utc:
            effects.append(ScheduleNudge(kind, f"{NUDGE_KEY}{w.key}:{tag}", due, payload))

    ask = ask_day(w)
    if ask is not None:
        add(ASK_KIND, "ask", ask)
    plan = s.user.plan
    opens = plan.cycle.day("eras_opens") if plan is not None else None
    for n, day in enumerate(follow_up_days(w, opens)):
        add(FOLLOW_KIND, f"follow{n}", day)
    return tuple(effects)


def replan(s: Session) -> tuple[Effect, ...]:
    effects: list[Effect] = [CancelNudges(NUDGE_KEY, prefix=True)]
    for w in _writers(s.user):
        effects += _writer_nudges(s, w)[1:]
    return tuple(effects)


def render(kind: str, payload: Mapping[str, Any]) -> Reply | None:
    name = str(payload.get("name") or "your writer")
    key = str(payload.get("writer") or "")
    specialty = str(payload.get("specialty") or "your specialty")
    card = (Button(f"Open {name[:30]}", f"{PREFIX}w.{key}"),)
    if kind == ASK_KIND:
        text = (
            f"It's been about six weeks since you started working with {name}. If they've "
            f"seen solid work, this is a good week to ask whether they could write you a "
            f"strong, detailed letter for {specialty}, and to leave them room to say no."
        )
        rows = (
            (Button("I've asked them", f"{PREFIX}st.asked.{key}"),),
            (Button("How to ask", HOW),),
            card,
        )
        return Reply(text, rows)
    if kind == FOLLOW_KIND:
        text = (
            f"A gentle check on {name}'s letter: they agreed a while ago, and letters take "
            "time. A short, friendly note helps: thank them again, and offer anything that "
            "makes it easier (your CV, your statement, the ERAS letter request)."
        )
        return Reply(text, ((Button("It's uploaded", f"{PREFIX}st.uploaded.{key}"),), card))
    return None


def describe(kind: str, payload: Mapping[str, Any]) -> str | None:
    name = str(payload.get("name") or "a writer")
    if kind == ASK_KIND:
        return f"Ask {name} for a letter"
    if kind == FOLLOW_KIND:
        return f"Check on {name}'s letter"
    return None


# ---------------------------------------------------------------- milestones


def _asked_two(user: UserView) -> bool:
    return (
        tally(
            [w for w in _writers(user) if w.status != "declined"], _target(user)
        ).in_play_specialty
        >= 2
    )


def _letters_asked(user: UserView) -> bool:
    return not user.situation.emergency and _asked_two(user)


def _sloes_asked(user: UserView) -> bool:
    return user.situation.emergency and _asked_two(user)


def _letters_in(user: UserView) -> bool:
    t = tally([w for w in _writers(user) if w.status != "declined"], _target(user))
    return t.uploaded_specialty >= 2 and (user.situation.emergency or t.uploaded >= 3)


_KINDS = frozenset({KIND})
_HOW_BUTTON = ("Open my letters", OPEN)

FEATURE = Feature(
    name="letters",
    flows=(WRITER,),
    commands={"letters": open_letters},
    buttons={PREFIX: _press},
    finished=_finished,
    reminders=Reminders(
        kinds=_NUDGE_KINDS,
        render=render,
        describe=describe,
        replan=replan,
        # Follow-ups are dated from ERAS opening: a new cycle or start moves them.
        follows_plan=True,
        records=_KINDS,
    ),
    reads=(
        Reads.tracker(KIND, command="letters", prefix=PREFIX, flow=FLOW_NAME),
        # The pending reminders, to see whether the letters' still land at the user's hour.
        Reads("nudges", commands=frozenset({"letters"}), buttons=(OPEN,)),
    ),
    completes=(
        Completes("letters_asked", holds=_letters_asked, kinds=_KINDS, how=_HOW_BUTTON),
        Completes("sloes_asked", holds=_sloes_asked, kinds=_KINDS, how=_HOW_BUTTON),
        Completes("letters_in", holds=_letters_in, kinds=_KINDS, how=_HOW_BUTTON),
    ),
)
