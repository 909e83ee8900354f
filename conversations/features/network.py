"""Networking (/network): the people met this year, a log of each touch, and the advice email.

Each person is a tracker item (kind "contact"): name, role, institution, specialty, where and
when they were met, and the next step, plus a log of touches (a meeting, an email sent, a
thank-you sent) logged with a tap on their card. Adding a contact, or changing one thing about
one, is an item run of ``CONTACT``. /network counts the faculty in the target specialty met at
conferences against the seed's goal of two or three (``rules.network``). The card drafts the
advice-meeting email from the user's own profile. Reminders: a thank-you a week after a
meeting with none logged since, and a check-in two weeks before ERAS opens for a contact whose
next step is still open; both keyed per contact, re-planned whenever the contact changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
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
from conversations.rules.network import (
    CONFERENCE_GOAL,
    KIND,
    MAX_TOUCHES,
    PLACES,
    ROLES,
    TOUCHES,
    Contact,
    advice_email,
    check_in_day,
    conference_faculty,
    contact_of,
    introductions_season,
    thanks_day,
)
from conversations.rules.parsing import normalize_free_text, parse_date
from conversations.rules.reminders import local_moment
from conversations.rules.specialties import canonical_specialty
from conversations.session import Feature, Reads, Reminders, Session, UserView

FLOW_NAME = "network"
PREFIX = "@nw."
OPEN = f"{PREFIX}open"
ADD = f"{PREFIX}add"
NUDGE_KEY = "network:"
THANKS_KIND, CHECK_KIND = "contact_thanks", "contact_check_in"
_NUDGE_KINDS = frozenset({THANKS_KIND, CHECK_KIND})
MAX_CONTACTS = 40  # a bound on what one list shows
ROLE_FLOW = "role"  # /role's answers: what the user does this year, for the email


def _target(user: UserView) -> str:
    return user.situation.specialty or "your target specialty"


def _contacts(user: UserView) -> list[Contact]:
    return [contact_of(r.key, r.content) for r in user.records_of(KIND)]


# ---------------------------------------------------------------- adding or changing a contact


def _name(text: str, ctx: Context) -> str:
    return normalize_free_text(text, max_len=80, what="name")


def _institution(text: str, ctx: Context) -> str:
    return normalize_free_text(text, max_len=120, what="institution")


def _specialty_choices(ctx: Context) -> list[Choice]:
    user = ctx.user
    target = user.situation.specialty if isinstance(user, UserView) else ""
    return [Choice("target", target, stores=target)] if target else []


def _specialty(text: str, ctx: Context) -> str:
    return canonical_specialty(normalize_free_text(text, max_len=80, what="specialty"))


def _detail(text: str, ctx: Context) -> str:
    return normalize_free_text(text, max_len=120, what="answer")


def _detail_prompt(ctx: Context) -> str:
    where = ctx.answers.get("where")
    if where == "conference":
        return "Which conference? e.g. the ACP regional meeting, Chicago."
    if where in ("home", "job"):
        return "Where exactly? The hospital or department, e.g. Mercy Hospital, medicine."
    return "Where or how did you meet? A few words, e.g. through my PI, or at grand rounds."


def _met(text: str, ctx: Context) -> str:
    return parse_date(text, today=ctx.today, latest=ctx.today).isoformat()


def _next_step(text: str, ctx: Context) -> str:
    return normalize_free_text(text, max_len=200, what="next step")


CONTACT = Flow(
    name=FLOW_NAME,
    code="nw",
    change_hint="open /network, tap the person, then Edit details",
    fresh_runs=True,
    questions=(
        Question(
            "name",
            "Name",
            "Who did you meet? Their name as you'd write it, e.g. Dr. Sam Okafor.",
            parse=_name,
            why_needed="I need a name to keep track of them.",
        ),
        Question(
            "role",
            "Role",
            "What is their role?",
            choices=tuple(Choice(key, label.capitalize()) for key, label in ROLES.items()),
            columns=2,
        ),
        Question(
            "institution",
            "Institution",
            "Where do they work? The hospital or program, e.g. Mercy Hospital.",
            parse=_institution,
            optional=True,
        ),
        Question(
            "specialty",
            "Specialty",
            "What is their specialty? Tap it or type it.",
            choices=_specialty_choices,
            parse=_specialty,
            columns=1,
            optional=True,
        ),
        Question(
            "where",
            "Where you met",
            "Where did you meet?",
            choices=tuple(Choice(key, label.capitalize()) for key, label in PLACES.items()),
            columns=2,
        ),
        Question(
            "where_detail",
            "Where exactly",
            _detail_prompt,
            parse=_detail,
            optional=True,
        ),
        Question(
            "met",
            "Date met",
            "When did you meet? A date is fine, e.g. today, or March 3.",
            choices=(Choice("today", "Today", typed=True),),
            parse=_met,
            optional=True,
            show=texts.show_day,
        ),
        Question(
            "next_step",
            "Next step",
            "What's the next step with them, if any? e.g. send the follow-up email, ask for a "
            "15-minute call. (/skip if there is none.)",
            choices=(
                Choice("Send a short follow-up email", "Send a short follow-up email", typed=True),
                Choice("Ask for a short advice call", "Ask for a short advice call", typed=True),
            ),
            parse=_next_step,
            columns=1,
            optional=True,
        ),
    ),
)


def _new_key(user: UserView) -> str:
    numbers = [int(r.key[1:]) for r in user.records_of(KIND) if r.key[1:].isdigit()]
    return f"c{max(numbers, default=0) + 1}"


def _finished(s: Session, flow: Flow, result: Outcome) -> Turn:
    item = s.item
    if item is None:  # a run from before item runs: nothing to attach it to
        return s.turn(Reply("Saved. Send /network to see your contacts."))
    before = s.user.record(*item)
    content = s.item_content(flow, result.effects)
    content.setdefault("touches", [])
    put = PutRecord(KIND, item[1], content)
    view = s.after((put,))
    contact = contact_of(item[1], content)
    effects: tuple[Effect, ...] = (put, *_contact_nudges(view, contact))
    head = "Added." if before is None else "Updated."
    return view.turn(_card(view, contact, head), effects=effects)


def _start_adding(s: Session) -> Turn:
    if s.flow is not None and s.flow is not CONTACT:
        return s.say_then_reask(texts.FINISH_FIRST)
    if len(s.user.records_of(KIND)) >= MAX_CONTACTS:
        return s.turn(
            Reply(
                f"You have {MAX_CONTACTS} people here already. Remove someone you're no longer "
                "in touch with before adding another."
            )
        )
    return s.begin(CONTACT, item=(KIND, _new_key(s.user)))


# ---------------------------------------------------------------- the list and a card


def _goal_lines(s: Session) -> list[str]:
    target = _target(s.user)
    met = conference_faculty(_contacts(s.user), target)
    low, high = CONFERENCE_GOAL
    if met >= low:
        count = (
            f"Conference goal: {met} faculty in {target} met at conferences. That's the "
            f"{low}-{high} to aim for{'' if met >= high else ', one more is a bonus'}."
        )
    else:
        count = (
            f"Conference goal: {met} of {low}-{high} faculty in {target} met at conferences "
            "(regional meetings count, and a poster makes it easier to start talking)."
        )
    follow = (
        "After each one, send a short email within a few days: where you met, one specific "
        "thing from the conversation, and a thank-you."
    )
    lines = [count, follow]
    plan = s.user.plan
    if introductions_season(s.today, plan.cycle.day("eras_opens") if plan else None):
        lines.append(
            "With applications close: ask your PI and letter writers whether they'd send a "
            "brief note about you to one or two program directors they know personally."
        )
    return lines


def _line(c: Contact) -> str:
    at = f", {c.institution}" if c.institution else ""
    last = c.last_contact
    when = f"; last in touch {texts.short_day(last)}" if last else ""
    step = f"\n   Next: {c.next_step}" if c.next_step else ""
    return f"• {c.name} ({ROLES[c.role]}{at}){when}{step}"


def _overview(s: Session, head: str | None = None) -> Reply:
    contacts = _contacts(s.user)
    intro = (
        "Your networking log. What helps is steady, targeted contact: your own institution, "
        "your gap-year job's institution, and conferences."
    )
    if not contacts:
        body = (
            "No one here yet. Add the people you meet: faculty, program leaders, residents. "
            "I'll keep track of when you last spoke and remind you to follow up."
        )
    else:
        body = "\n".join(_line(c) for c in contacts)
    text = "\n\n".join(x for x in (head, intro, body, "\n".join(_goal_lines(s))) if x)
    rows: list[tuple[Button, ...]] = [
        (Button(c.name[:40], f"{PREFIX}c.{c.key}"),) for c in contacts
    ]
    rows.append((Button("Add a contact", ADD),))
    return Reply(text, tuple(rows))


def _card(s: Session, c: Contact, head: str | None = None) -> Reply:
    lines = [f"{c.name}: {ROLES[c.role]}" + (f", {c.institution}" if c.institution else "")]
    if c.specialty:
        lines.append(f"Specialty: {c.specialty}.")
    where = PLACES[c.where] + (f" ({c.where_detail})" if c.where_detail else "")
    met = f" on {texts.short_day(c.met_on)}" if c.met_on else ""
    lines.append(f"Met at {where}{met}." if c.where != "other" else f"Met: {where}{met}.")
    last = c.last_contact
    lines.append(f"Last in touch: {texts.short_day(last)}." if last else "Last in touch: not yet.")
    lines.append(f"Next step: {c.next_step}" if c.next_step else "Next step: none for now.")
    if c.touches:
        shown = [f"{texts.short_day(d)}: {TOUCHES[k]}" for k, d in c.touches[-5:]]
        lines.append("Log: " + "; ".join(shown))
    due = thanks_day(c)
    if due is not None:
        lines.append(
            f"No thank-you logged since your meeting: I'll remind you on {texts.short_day(due)}."
            if due > s.today
            else "A short thank-you for your last meeting is still open."
        )
    text = "\n".join(lines)
    if head:
        text = f"{head}\n\n{text}"
    k = c.key
    rows: tuple[tuple[Button, ...], ...] = (
        (Button("Log a meeting", f"{PREFIX}t.meeting.{k}"),),
        (
            Button("Thank-you sent", f"{PREFIX}t.thanks.{k}"),
            Button("Email sent", f"{PREFIX}t.email.{k}"),
        ),
        (Button("Draft the advice email", f"{PREFIX}em.{k}"),),
        (Button("Edit details", f"{PREFIX}ed.{k}"), Button("Remove", f"{PREFIX}rm.{k}")),
        (Button("All my contacts", OPEN),),
    )
    return Reply(text, rows)


# ---------------------------------------------------------------- buttons


def _find(s: Session, key: str) -> Contact | None:
    record = s.user.record(KIND, key)
    return contact_of(key, record.content) if record else None


_LOGGED = {
    "meeting": "Meeting logged. A short thank-you within a few days goes a long way; "
    "tap Thank-you sent once it's gone.",
    "email": "Email logged.",
    "thanks": "Thank-you logged: nicely done.",
}


def _log_touch(s: Session, rest: str) -> Turn:
    kind, _, key = rest.partition(".")
    c = _find(s, key)
    if c is None:
        return ITEMS.gone(s)
    if kind not in TOUCHES:
        return s.turn(_card(s, c, texts.UNKNOWN_BUTTON))
    if (kind, s.today) in c.touches:  # a double tap, or logged already today
        return s.turn(toast=texts.ALREADY_SAVED)
    record = s.user.record(KIND, key)
    assert record is not None
    old = record.content.get("touches")
    touches = [t for t in (old if isinstance(old, list) else []) if isinstance(t, Mapping)]
    touches = [*touches, {"kind": kind, "on": s.today.isoformat()}][-MAX_TOUCHES:]
    content = {**record.content, "touches": touches}
    put = PutRecord(KIND, key, content)
    view = s.after((put,))
    moved = contact_of(key, content)
    effects = (put, *_contact_nudges(view, moved))
    return view.turn(_card(view, moved, _LOGGED[kind]), effects=effects, toast="Saved ✓")


def _draft(s: Session, key: str) -> Turn:
    c = _find(s, key)
    if c is None:
        return ITEMS.gone(s)
    profile = s.user.profile
    email = advice_email(
        c,
        sender=s.user.name or "[your name]",
        degree=str(profile.get("degree") or ""),
        specialty=s.user.situation.specialty,
        current_role=str(s.user.flow_answers(ROLE_FLOW).get("kind") or "") or None,
    )
    tip = (
        f"Here's a draft to {c.name}, from your profile. Copy it, make it sound like you, and "
        "add one specific thing you talked about. You're asking for advice on your plan, not "
        "for a favour: that reads as maturity and initiative."
    )
    after = (
        (Button("Email sent", f"{PREFIX}t.email.{key}"),),
        (Button(f"Back to {c.name[:30]}", f"{PREFIX}c.{key}"),),
    )
    return s.turn(Reply(tip), Reply(email.text, after))


ITEMS = Items(
    kind=KIND,
    prefix=PREFIX,
    flow=CONTACT,
    overview=lambda s, head: _overview(s, head),
    card=f"{PREFIX}c.",
    gone_words="I can't find that person any more (removed earlier?). Here's your list.",
    ask_remove="Remove {name}, their log and reminders? This can't be undone.",
    nudge_key=NUDGE_KEY,
)


def _contact_button(s: Session, key: str) -> Turn:
    c = _find(s, key)
    return s.turn(_card(s, c)) if c is not None else ITEMS.gone(s)


def open_network(s: Session) -> Turn:
    # Reminders still at an old zone or hour (changed in /profile) follow the new one now.
    return ITEMS.open(s, _start_adding, lambda s: replan(s) if s.drifted(_NUDGE_KINDS) else ())


def _press(s: Session, rest: str) -> Turn:
    own = {"c": _contact_button, "t": _log_touch, "em": _draft}
    return ITEMS.press(s, rest, open_network, _start_adding, own)


# ---------------------------------------------------------------- reminders


def _contact_nudges(s: Session, c: Contact) -> tuple[Effect, ...]:
    """A contact's reminders cancelled and planned again from their log and next step."""
    effects: list[Effect] = [CancelNudges(f"{NUDGE_KEY}{c.key}:", prefix=True)]
    settings = s.user.nudge_settings

    def add(kind: str, tag: str, day: date) -> None:
        payload = settings.payload(contact=c.key, name=c.name, next_step=c.next_step)
        due = local_moment(day, settings.at, payload)
        if due > s.now_utc:
            effects.append(ScheduleNudge(kind, f"{NUDGE_KEY}{c.key}:{tag}", due, payload))

    thanks = thanks_day(c)
    if thanks is not None:
        add(THANKS_KIND, "thanks", thanks)
    plan = s.user.plan
    opens = plan.cycle.day("eras_opens") if plan is not None else None
    check = check_in_day(c, opens)
    if check is not None:
        add(CHECK_KIND, "eras", check)
    return tuple(effects)


def replan(s: Session) -> tuple[Effect, ...]:
    effects: list[Effect] = [CancelNudges(NUDGE_KEY, prefix=True)]
    for c in _contacts(s.user):
        effects += _contact_nudges(s, c)[1:]
    return tuple(effects)


def render(kind: str, payload: Mapping[str, Any]) -> Reply | None:
    name = str(payload.get("name") or "your contact")
    key = str(payload.get("contact") or "")
    card = (Button(f"Open {name[:30]}", f"{PREFIX}c.{key}"),)
    if kind == THANKS_KIND:
        text = (
            f"It's been a week since you met {name}. If you haven't yet, a two- or three-line "
            "thank-you today is plenty: mention one thing from the conversation that stayed "
            "with you."
        )
        return Reply(text, ((Button("Thank-you sent", f"{PREFIX}t.thanks.{key}"),), card))
    if kind == CHECK_KIND:
        step = str(payload.get("next_step") or "")
        planned = f" Your next step with them: {step}" if step else ""
        text = (
            f"ERAS opens in about two weeks: a good moment to check in with {name}. A short "
            f"note on how your year went and what you're applying to keeps you in mind.{planned}"
        )
        return Reply(text, ((Button("Email sent", f"{PREFIX}t.email.{key}"),), card))
    return None


def describe(kind: str, payload: Mapping[str, Any]) -> str | None:
    name = str(payload.get("name") or "a contact")
    if kind == THANKS_KIND:
        return f"Thank {name} for the meeting"
    if kind == CHECK_KIND:
        return f"Check in with {name} before ERAS opens"
    return None


_KINDS = frozenset({KIND})

FEATURE = Feature(
    name="network",
    flows=(CONTACT,),
    commands={"network": open_network},
    buttons={PREFIX: _press},
    finished=_finished,
    reminders=Reminders(
        kinds=_NUDGE_KINDS,
        render=render,
        describe=describe,
        replan=replan,
        # The check-in is dated from ERAS opening: a new cycle or start moves it.
        follows_plan=True,
        records=_KINDS,
    ),
    reads=(
        Reads.tracker(KIND, command="network", prefix=PREFIX, flow=FLOW_NAME),
        # The pending reminders, to see whether they still land at the user's hour.
        Reads("nudges", commands=frozenset({"network"}), buttons=(OPEN,)),
    ),
)
