"""Interview practice (/practice): the coach asks as an interviewer would, the user answers,
and a short personal report makes the next attempt better.

The checks themselves are explainable rules in ``rules/interview/``. Here: which questions are
offered (the red-flag one only when the profile has a red flag), one small flow per
question, voice notes (timed from Telegram's duration, then the typed version for content),
the report with a scaffold from the user's own profile, and /practice history.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from conversations import texts
from conversations.engine import Context, Flow, Outcome, Question
from conversations.messages import Button, Other, Reply, SavePracticeAttempt, Turn
from conversations.rules import interview
from conversations.rules.parsing import Invalid
from conversations.session import TARGET_FLOW, Feature, Reads, Session

PREFIX = "@px."
FLOW_PREFIX = "practice_"
ORDER = ("past_year", "not_matching", "why_specialty", "red_flag", "where_matched")
MENU_LABELS = {
    "past_year": "“What did you do this past year?”",
    "not_matching": "“Tell me about not matching.”",
    "why_specialty": "“Why this specialty?”",
    "red_flag": "Explaining my red flag",
    "where_matched": "Friends asking “Where did you match?”",
}


def target_specialty(user: Any) -> str | None:
    """The committed primary target, else last cycle's specialty."""
    target = user.flow_answers(TARGET_FLOW) if user else {}
    primary = target.get("primary") or (user.profile.get("specialty") if user else None)
    return str(primary) if primary else None


def _prompt_for(key: str):
    def prompt(ctx: Context) -> str:
        specialty = target_specialty(ctx.user) or "this specialty"
        asked = interview.question_text(key, specialty=specialty, profile=ctx.profile)
        how = (
            "Type your answer as you'd say it, or send a voice note to time it."
            if key != "where_matched"
            else "Type what you'd say, in a sentence or two."
        )
        return f"🎙 {asked}\n\n{how}"

    return prompt


def _answer(text: str, ctx: Context) -> str:
    if not text.strip():
        raise Invalid("I didn't catch an answer there. Type it as you'd say it.")
    return text.strip()


FLOWS: dict[str, Flow] = {
    key: Flow(
        name=f"{FLOW_PREFIX}{key}",
        code=f"x{i}",
        change_hint="send /practice to try it again",
        fresh_runs=True,
        questions=(Question("answer", "Your answer", _prompt_for(key), parse=_answer),),
    )
    for i, key in enumerate(ORDER)
}
_KEY_OF = {flow.name: key for key, flow in FLOWS.items()}


def _offered(s: Session) -> list[str]:
    wanted = interview.questions_for(s.user.profile)
    return [k for k in ORDER if k in wanted]


def menu(s: Session, preface: str | None = None) -> Reply:
    text = (
        "Interview practice. Pick a question; I'll ask it as an interviewer would. Answer by "
        "typing (or send a voice note to time yourself), and you'll get a short report."
    )
    rows = [(Button(MENU_LABELS[k], f"{PREFIX}q.{k}"),) for k in _offered(s)]
    rows.append((Button("My progress", f"{PREFIX}history"),))
    return Reply(f"{preface}\n\n{text}" if preface else text, tuple(rows))


def open_practice(s: Session) -> Turn:
    if not s.user.profile:
        return s.turn(Reply(texts.NEED_PROFILE))
    if s.args.strip().lower().startswith("hist"):
        return history(s)
    return s.turn(menu(s))


def _attempts(s: Session, key: str) -> list[interview.Report]:
    return [
        interview.Report.from_dict(dict(a["report"]))
        for a in s.user.practice
        if a.get("question") == key and a.get("answer")
    ]


def _role(s: Session) -> Mapping[str, Any]:
    return s.user.flow_answers("role")


def finished(s: Session, flow: Flow, result: Outcome) -> Turn:
    key = _KEY_OF[flow.name]
    view = s.after(result.effects)
    answer = str(view.user.flow_answers(flow.name).get("answer") or "")
    report = interview.review_answer(
        key,
        answer,
        specialty=target_specialty(view.user),
        profile=view.user.profile,
        role=_role(view),
        target=s.config.practice_target,
    )
    parts = [interview.report_text(report)]
    earlier = _attempts(s, key)
    if earlier:
        parts.append("Since last time: " + interview.compare(earlier[-1], report))
    parts.append(
        "A scaffold from your own profile (fill the blanks; don't memorise it):\n" + report.scaffold
    )
    buttons = (
        (Button("Try again", f"{PREFIX}q.{key}"),),
        (Button("Another question", f"{PREFIX}menu"), Button("My progress", f"{PREFIX}history")),
    )
    effect = SavePracticeAttempt(key, answer, None, report.as_dict())
    return view.turn(Reply("\n\n".join(parts), buttons), effects=(effect,))


def on_voice(s: Session, inp: Other) -> Turn | None:
    """A voice note while a question is open: time it now, ask for the words to check them."""
    key = _KEY_OF.get(s.state.flow or "")
    if key is None or inp.kind not in ("voice", "audio", "video_note"):
        return None
    seconds = int(inp.duration_seconds or 0)
    check = interview.duration_check(seconds, s.config.practice_target)
    report = interview.Report(
        question=key,
        checks=(check,),
        words=0,
        seconds=seconds,
        target=s.config.practice_target,
        suggestion="",
        scaffold="",
    )
    mark = {"pass": "✅", "partly": "🟡"}.get(check.status, "⭕")
    text = (
        f"{mark} {check.detail}\n\nFor the content checks, please type what you said, as close "
        "as you can (I can't listen to recordings)."
    )
    effect = SavePracticeAttempt(key, None, seconds, report.as_dict())
    return s.turn(Reply(text), effects=(effect,))


def _when(value: Any) -> str:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return "?"
    return f"{moment:%b} {moment.day}"


def history(s: Session) -> Turn:
    if not s.user.practice:
        return s.turn(menu(s, "No practice yet. Your first attempt is the hardest; pick one."))
    lines = ["Your practice so far:"]
    for key in ORDER:
        typed = [a for a in s.user.practice if a.get("question") == key and a.get("answer")]
        voiced = [a for a in s.user.practice if a.get("question") == key and not a.get("answer")]
        if not typed and not voiced:
            continue
        lines.append(f"\n{MENU_LABELS[key]}: {len(typed)} typed, {len(voiced)} voice")
        for a in typed[-4:]:
            report = interview.Report.from_dict(dict(a["report"]))
            passed = sum(c.status == "pass" for c in report.checks)
            lines.append(
                f"• {_when(a.get('created_at'))}: {passed}/{len(report.checks)} checks, about {report.seconds} s"
            )
        if len(typed) >= 2:
            first = interview.Report.from_dict(dict(typed[0]["report"]))
            last = interview.Report.from_dict(dict(typed[-1]["report"]))
            since = interview.compare(first, last, "your first attempt", "in your first attempt")
            lines.append("Since your first attempt:\n" + since)
    return s.turn(Reply("\n".join(lines), ((Button("Practise again", f"{PREFIX}menu"),),)))


def on_button(s: Session, rest: str) -> Turn:
    action, _, arg = rest.partition(".")
    if action == "menu":
        return s.turn(menu(s))
    if action == "history":
        return history(s)
    if action == "q" and arg in FLOWS and arg in _offered(s):
        if s.flow is not None and s.flow.name not in _KEY_OF:
            return s.say_then_reask(texts.FINISH_FIRST)
        return s.begin(FLOWS[arg])
    return s.turn(menu(s, texts.UNKNOWN_BUTTON), toast="Nothing changed")


FEATURE = Feature(
    name="practice",
    flows=tuple(FLOWS.values()),
    commands={"practice": open_practice},
    buttons={PREFIX: on_button},
    finished=finished,
    other=on_voice,
    reads=(
        Reads(
            "practice",
            commands=frozenset({"practice"}),
            buttons=(PREFIX,),
            flows=frozenset(flow.name for flow in FLOWS.values()),
        ),
    ),
)
