"""Care beyond the crisis reply: a personal safety plan, support kept close, and money.

- /safetyplan: the user's own plan (warning signs, what calms them, people and places,
  professional contacts, a crisis line), built with the coach and reopened any time; the
  crisis reply offers it.
- After a crisis reply, a "you misunderstood" is accepted kindly, and support stays one tap
  away for the rest of the user's day.
- /role: what the year's role is; a job outside medicine is fine to stay afloat, with an end
  date the coach reminds them of, and a suggestion to pair it with something that counts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from conversations import texts
from conversations.engine import Choice, Context, Flow, Outcome, Question
from conversations.messages import Button, CancelNudges, Effect, Reply, ScheduleNudge, Turn
from conversations.rules.parsing import normalize_free_text, parse_date, zone_for
from conversations.rules.reminders import local_moment
from conversations.session import Completes, Feature, Reminders, Session

SAFETY, ROLE = "safety", "role"
LINES = "@care.lines"
OPEN_SAFETY = "@sp.open"
CRISIS_EVENT = "crisis_support_shown"


def _free(text: str, ctx: Context) -> str:
    return normalize_free_text(text, max_len=1000, what="answer")


SAFETY_PLAN = Flow(
    name=SAFETY,
    code="sp",
    change_hint="send /safetyplan",
    fresh_runs=True,
    questions=(
        Question(
            "warning_signs",
            "My warning signs",
            "Your safety plan, step 1 of 5. What are your warning signs that things are getting "
            "hard (thoughts, moods, situations)? A few words is enough; /skip is fine.",
            parse=_free,
            optional=True,
        ),
        Question(
            "calming",
            "What calms me",
            "Step 2: what helps you feel calmer, on your own? (A walk, music, a shower...)",
            parse=_free,
            optional=True,
        ),
        Question(
            "people_places",
            "People and places",
            "Step 3: people you can reach out to, and places that help you feel better.",
            parse=_free,
            optional=True,
        ),
        Question(
            "professionals",
            "Professional contacts",
            "Step 4: professionals you can call: a therapist, your doctor, a counselling service.",
            parse=_free,
            optional=True,
        ),
        Question(
            "crisis_line",
            "My crisis line",
            "Step 5: the crisis line you'd use. Tap if it's 988 (US), or type yours.",
            choices=(
                Choice("988", "988 (call or text, US)", stores="988: call or text, any hour"),
            ),
            parse=_free,
            optional=True,
        ),
    ),
)


def safety_text(answers: Mapping[str, Any]) -> str:
    lines = ["Your safety plan:"]
    for q in SAFETY_PLAN.questions:
        value = answers.get(q.key)
        lines.append(f"• {q.label}: {value if value else '(not filled in)'}")
    lines.append("\nIf you are in danger right now, call your local emergency number.")
    return "\n".join(lines)


def open_safety(s: Session) -> Turn:
    saved = s.user.flow_answers(SAFETY)
    if any(saved.values()):
        buttons = ((Button("Update it", f"{OPEN_SAFETY}.edit"),), (Button("Support lines", LINES),))
        return s.turn(Reply(safety_text(saved), buttons))
    intro = Reply(
        "A safety plan is a short list you write when you feel steady, for the moments you "
        "don't. Five questions; skip any you like. It stays private to you."
    )
    begun = s.begin(SAFETY_PLAN)
    return Turn((intro, *begun.replies), begun.state)


def on_safety_button(s: Session, rest: str) -> Turn:
    if rest == ".edit":
        return s.begin(SAFETY_PLAN)
    return open_safety(s)


def support_lines(s: Session) -> Turn:
    return s.turn(Reply(texts.crisis_reply(s.config.crisis_lines), _support_buttons()))


def _support_buttons() -> tuple[tuple[Button, ...], ...]:
    return ((Button("My safety plan", OPEN_SAFETY),),)


# ---------------------------------------------------------------- after a crisis reply

_MISREAD = re.compile(
    r"\b(you\s+misunderstood|misunderstood|i'?m\s+(fine|ok|okay|alright)|"
    r"i\s+am\s+(fine|ok|okay)|(was|just)\s+(joking|kidding)|didn'?t\s+mean\s+(it|that)|"
    r"not\s+(like\s+)?that|figure\s+of\s+speech|wrong\s+idea)\b",
    re.IGNORECASE,
)


def crisis_today(s: Session) -> bool:
    """Whether the crisis reply was shown earlier on the user's local day."""
    shown = s.user.last_shown.get(CRISIS_EVENT)
    if shown is None:
        return False
    zone = zone_for(str(s.user.profile.get("timezone") or "UTC"))
    return shown.astimezone(zone).date() == s.now_utc.astimezone(zone).date()


def misread_reply(s: Session, text: str) -> Turn | None:
    """A kind answer to "you misunderstood" on a crisis day; None when that is not it."""
    if not crisis_today(s) or not _MISREAD.search(text.replace("’", "'")):
        return None
    reply = Reply(
        "Thank you for telling me, and I'm sorry if I read it wrong. I'd rather ask than "
        "miss it. I'll keep support one tap away for the rest of today, just in case.",
        ((Button("Support lines", LINES),),),
    )
    again = s.current_question("Where we were:")
    return s.turn(reply, *((again,) if again else ()))


def support_row_today(s: Session) -> tuple[tuple[Button, ...], ...]:
    """A "Support lines" button to add under replies, on a day the crisis reply was shown."""
    return ((Button("Support lines", LINES),),) if crisis_today(s) else ()


# ---------------------------------------------------------------- the role and money


def _end_date(text: str, ctx: Context) -> str:
    today = ctx.today
    return parse_date(
        text, today=today, earliest=today, latest=today + timedelta(days=730)
    ).isoformat()


def _is_outside_medicine(ctx: Context) -> bool:
    """A job outside medicine only."""
    return ctx.answers.get("kind") == "non_medical"


ROLE_FLOW = Flow(
    name=ROLE,
    code="rl",
    change_hint="send /role",
    fresh_runs=True,
    questions=(
        Question(
            "kind",
            "Current role",
            "What is your main role this year, right now?",
            choices=(
                Choice("research", "Research fellow or position"),
                Choice("crc", "Clinical research coordinator"),
                Choice("usce", "US clinical fellow, extern or observer"),
                Choice("scribe", "Scribe, MA or hospitalist assistant"),
                Choice("non_medical", "A job outside medicine"),
                Choice("none", "Nothing yet"),
            ),
            columns=1,
        ),
        Question(
            "end_date",
            "Planned end date",
            "That's a fine way to stay afloat. When will you leave it? A date, like June 30. "
            "A clear end keeps a one-year plan from drifting into three.",
            parse=_end_date,
            ask_if=_is_outside_medicine,
        ),
    ),
)

ROLE_TEXT = {
    "research": "A research role is one of the strongest choices: aim for abstracts before the fall and letters from the PI and attendings.",
    "crc": "A coordinator role works well: get into clinic with attendings weekly, and lead a small quality-improvement project.",
    "usce": "US clinical experience matters a lot: be present, present cases, and ask for letters once attendings have seen you 4-6 weeks.",
    "scribe": "Make it count: work with attendings in your target field, and find one who will know you well enough to write a detailed letter.",
    "none": "Finding the role is the next big step. Look for research, coordinator or clinical-fellow roles at places with a residency in your target specialty.",
}


def start_role(s: Session) -> Turn:
    if not s.user.profile:
        return s.turn(Reply(texts.NEED_PROFILE))
    return s.begin(ROLE_FLOW)


def role_nudges(s: Session, end: date) -> list[Effect]:
    settings = s.user.nudge_settings
    effects: list[Effect] = [CancelNudges("role:", prefix=True)]
    for days_before in (30, 7, 0):
        day = end - timedelta(days=days_before)
        payload = settings.payload(end=end.isoformat(), days_before=days_before)
        due = local_moment(day, settings.at, payload)
        if due > s.now_utc:
            effects.append(ScheduleNudge("role_end", "role:end", due, payload))
    return effects


def render_nudge(kind: str, payload: Mapping[str, Any]) -> Reply | None:
    if kind != "role_end":
        return None
    end = date.fromisoformat(str(payload.get("end")))
    days = int(payload.get("days_before") or 0)
    when = "today" if days == 0 else f"in {days} days ({end:%b} {end.day})"
    text = (
        f"Your planned end date for the job outside medicine is {when}. How is the move toward "
        "a research, clinical or exam-focused role going? /role updates the plan."
    )
    return Reply(text)


def describe_nudge(kind: str, payload: Mapping[str, Any]) -> str | None:
    """The role's end-date reminders as /reminders lists them."""
    if kind != "role_end":
        return None
    days = int(payload.get("days_before") or 0)
    if days == 0:
        return "Your job outside medicine: the planned end date"
    return f"Your job outside medicine: {days} days to the planned end date"


def finish_role(s: Session, result: Outcome) -> Turn:
    view = s.after(result.effects)
    answers = view.user.flow_answers(ROLE)
    kind = answers.get("kind")
    if kind == "non_medical" and isinstance(answers.get("end_date"), str):
        end = date.fromisoformat(answers["end_date"])
        from conversations.rules.routine import CARE_MONEY

        text = f"Saved: you plan to leave by {end:%B} {end.day}. I'll remind you 30 and 7 days before.\n\n{CARE_MONEY}"
        return view.turn(Reply(text), effects=tuple(role_nudges(view, end)))
    return view.turn(
        Reply(f"Saved. {ROLE_TEXT.get(str(kind), '')}".strip()),
        effects=(CancelNudges("role:", prefix=True),),
    )


def finished(s: Session, flow: Flow, result: Outcome) -> Turn:
    if flow is ROLE_FLOW:
        return finish_role(s, result)
    view = s.after(result.effects)
    return view.turn(
        Reply(
            "Saved. " + safety_text(view.user.flow_answers(SAFETY)),
            ((Button("Support lines", LINES),),),
        )
    )


FEATURE = Feature(
    name="care",
    flows=(SAFETY_PLAN, ROLE_FLOW),
    commands={"safetyplan": open_safety, "role": start_role},
    buttons={OPEN_SAFETY: on_safety_button, LINES: lambda s, _r: support_lines(s)},
    finished=finished,
    # The role's end-date reminders are planned when the role is saved, not re-planned.
    reminders=Reminders(frozenset({"role_end"}), render_nudge, describe_nudge),
    remembers=(CRISIS_EVENT,),
    # A role that puts them next to attendings is the plan's role secured (a job outside
    # medicine, or nothing yet, is not).
    completes=(
        Completes(
            "role_secured",
            answer=(ROLE, "kind"),
            values=frozenset({"research", "crc", "usce", "scribe"}),
        ),
    ),
)
