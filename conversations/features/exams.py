"""/exams: the exam strategy tracker. Which exam this year holds, and each exam recorded.

The branch (a retake, Level 2 not taken yet, a Level 3 that shows the trend is up, or none)
comes from the same situation the plan is built for (``rules/exams.branch_of``), so /exams
and /plan always agree. Each exam the user records is a tracker item (kind "exam"): which
exam, its date (or not booked yet), the study hours a week, the prep plan, and the result
once known. Recording a date ticks the plan's matching "booked" milestone, a passing result
its "taken" one (``Completes``). Reminders count down to the date (8, 4, 2 and 1 weeks, the
day before) at the user's own hour, then ask how it went, with buttons to record the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from conversations import texts
from conversations.engine import Choice, Context, Flow, Outcome, Question
from conversations.messages import (
    Button,
    CancelNudges,
    DropRecord,
    Effect,
    PutRecord,
    Reply,
    ScheduleNudge,
    Turn,
)
from conversations.rules import exams as rules
from conversations.rules.parsing import Invalid, parse_date, stored_day
from conversations.rules.plan import Cycle, choose_cycle
from conversations.rules.reminders import NudgeSettings, local_moment
from conversations.rules.situation import Situation
from conversations.session import (
    Completes,
    Feature,
    Reads,
    RecordView,
    Reminders,
    Session,
    UserView,
)

KIND = "exam"
FLOW_NAME = "exams"
PREFIX = "@ex."
OPEN = PREFIX + "open"
NUDGE_KEY = "exam:"  # every exam reminder's key starts with it: "exam:<item>:<which>"
COUNTDOWN, RESULT = "exam_countdown", "exam_result"
NOT_BOOKED = ""  # the stored date of an exam not booked yet

PREP = (
    ("qbank", "One full question-bank pass"),
    ("practice", "Timed practice exams"),
    ("cases", "Case simulation review"),
    ("tutor", "A tutor"),
    ("course", "A structured prep course"),
)
PREP_LABELS = dict(PREP)
RESULTS = {"pass": "passed", "fail": "didn't pass"}


# ---------------------------------------------------------------- the questions


def _who(ctx: Context) -> Situation:
    user = ctx.user
    return user.situation if isinstance(user, UserView) else Situation()


def _exam_choices(ctx: Context) -> list[Choice]:
    who = _who(ctx)
    choices = []
    for i, name in enumerate(rules.ordered_exams(who, ctx.profile.get("degree") == "us_do")):
        label = f"{name} (retake)" if rules.is_retake(name, ctx.profile) else name
        choices.append(Choice(f"e{i}", label, stores=name))
    return choices


def _exam_prompt(ctx: Context) -> str:
    branch = rules.branch_of(_who(ctx))
    hint = f" Your plan holds {branch.exam}: it's first below." if branch.exam else ""
    return f"Which exam is it?{hint}"


def _parse_exam(text: str, ctx: Context) -> str:
    return rules.parse_exam(text)


def _parse_day(text: str, ctx: Context) -> str:
    if len(text) > 100:
        raise Invalid("Send just the date, like June 4 or 2026-06-04.")
    day = parse_date(text, today=ctx.today)
    rules.check_exam_day(day, ctx.today)
    return day.isoformat()


def _show_day(value: Any) -> str:
    day = stored_day(value)
    return texts.short_day(day) if day is not None else "not booked yet"


def _understood_day(typed: str, value: Any) -> str | None:
    day = stored_day(value)
    return f"Got it: {texts.short_day(day)}, {day.year}." if day is not None else None


def _parse_hours(text: str, ctx: Context) -> float:
    return rules.parse_weekly_hours(text)


def _show_hours(value: Any) -> str:
    return f"{_num(value)} hours a week" if isinstance(value, int | float) else "not set"


def _prep_prompt(ctx: Context) -> str:
    exam = str(ctx.answers.get("exam") or "")
    if exam in rules.LEVEL3_EXAMS:
        tip = (
            "For this exam a structured plan is one full pass of a question bank, timed "
            "practice exams, and review of the case simulations."
        )
    elif rules.is_retake(exam, ctx.profile):
        tip = (
            "For a retake, a formal plan helps most: a tutor or a structured course if you can "
            "afford one, with a question bank and practice exams."
        )
    else:
        tip = "A question bank pass and timed practice exams are the core of most plans."
    return f"{tip}\n\nWhat will your prep include? Tap all that apply, then Done."


def _score_prompt(ctx: Context) -> str:
    return "What was the score? Send the number (this one is optional: /skip leaves it out)."


def _parse_score(text: str, ctx: Context) -> int:
    s = text.strip()
    if not s.isascii() or not s.isdigit() or len(s) > 3:
        raise Invalid("Send the score as a number, like 231 (or /skip to leave it out).")
    value = int(s)
    high = 999 if str(ctx.answers.get("exam") or "").startswith("COMLEX") else 300
    if not 1 <= value <= high:
        raise Invalid(f"That score is outside this exam's scale (1 to {high}). Could you check it?")
    return value


EXAM = Flow(
    name=FLOW_NAME,
    code="ex",
    change_hint="send /exams and open the exam",
    fresh_runs=True,
    questions=(
        Question(
            "exam",
            "Exam",
            _exam_prompt,
            choices=_exam_choices,
            parse=_parse_exam,
            columns=2,
            why_needed="each exam's reminders and plan step depend on which one it is.",
        ),
        Question(
            "date",
            "Exam date",
            "When is your test date? Type it (like June 4), or tap “Not booked yet”.",
            choices=(Choice("none", "Not booked yet", stores=NOT_BOOKED),),
            parse=_parse_day,
            show=_show_day,
            understood=_understood_day,
            why_needed="the countdown and the check against application dates need it.",
        ),
        Question(
            "hours",
            "Study hours a week",
            "How many hours a week can you give it, honestly? Tap one or type a number.",
            choices=tuple(Choice(str(n), str(n), typed=True) for n in (5, 10, 15, 20, 30)),
            parse=_parse_hours,
            show=_show_hours,
            columns=5,
            why_needed="it's what your weekly plans are compared with.",
        ),
        Question(
            "prep",
            "Prep plan",
            _prep_prompt,
            choices=tuple(Choice(code, label) for code, label in PREP),
            multi=True,
            optional=True,
            columns=1,
        ),
        Question(
            "score",
            "Score",
            _score_prompt,
            parse=_parse_score,
            optional=True,
            # Only asked once a result is recorded (a run that starts at it).
            ask_if=lambda ctx: ctx.answers.get("result") in RESULTS,
        ),
    ),
)


# ---------------------------------------------------------------- reading items


def _num(value: Any) -> str:
    return f"{float(value):g}" if isinstance(value, int | float) else "?"


def _cycle(user: UserView) -> Cycle | None:
    """The application cycle the plan aims at (else the one the start date suggests)."""
    plan = user.plan
    if plan is not None:
        return plan.cycle
    start = stored_day(user.profile.get("start_date"))
    if start is None:
        return None
    try:
        return choose_cycle(start).recommended
    except LookupError:
        return None


def _items(user: UserView) -> list[Any]:
    return [r for r in user.records_of(KIND) if isinstance(r.content.get("exam"), str)]


def _holds(prefix: str, done: bool) -> Any:
    """Whether the user's exams complete the plan's "<prefix>_booked" (a date recorded) or
    "<prefix>_done" (a passing result) milestone."""

    def holds(user: UserView) -> bool:
        who = user.situation
        for item in _items(user):
            content = item.content
            if rules.milestone_prefix(str(content["exam"]), who) != prefix:
                continue
            if done and content.get("result") == "pass":
                return True
            if not done and (stored_day(content.get("date")) or content.get("result") == "pass"):
                return True
        return False

    return holds


# ---------------------------------------------------------------- words


def branch_text(s: Session) -> str:
    """The strategy the year holds, in plain words, with the plan's dates."""
    who = s.user.situation
    branch = rules.branch_of(who)
    plan = s.user.plan
    cycle = _cycle(s.user)

    def due(key: str) -> str:
        m = plan.milestone(key) if plan is not None else None
        return f" (your plan says {texts.short_day(m.due)})" if m is not None else ""

    if branch.kind == "retake":
        return (
            f"Your profile says {branch.exam} hasn't been passed yet, so a retake comes first. "
            f"Aim to sit it as early as you reasonably can, within 3 to 6 months{due('retake_done')}. "
            "Use a formal plan: a tutor or a structured course if you can afford one, and "
            "weekly hours you can keep. The goal is to pass with room to spare, once. That's "
            "a hard standard, and a fair one: programs look closely at exam attempts."
            + (
                f" After it comes {who.level2}{due('level2_done')}, in time for applications."
                if who.level2
                else ""
            )
        )
    if branch.kind == "level2":
        when = ""
        if cycle is not None:
            when = (
                f" Applications go to programs from {texts.short_day(cycle.submissions_open)}, "
                f"{cycle.submissions_open.year}."
            )
        return (
            f"You don't have a {branch.exam} score yet. Take it early this cycle, by late "
            f"spring or early summer at the latest{due('level2_done')}, so the score is in "
            f"your application when programs first see it.{when} Aim for a score that's "
            "competitive for your specialty but realistic: for IM or FM, 230 or more helps, "
            "though strong letters and clinical work carry people with less."
        )
    if branch.kind == "level3":
        if branch.after_failure:
            why = (
                "An earlier attempt didn't pass, and that can't be undone; what answers it is "
                f"passing {branch.exam} on the first try, with room to spare."
            )
        else:
            why = (
                "Your Level 2 score passed but is on the low side. A passed exam isn't "
                f"retaken; a strong {branch.exam} is what shows programs the trend is up."
            )
        return (
            f"{why} Aim to take it within the next 6 to 9 months{due('level3_done')}. It counts "
            "most for internal medicine, family medicine, psychiatry and neurology. A "
            "structured prep: one full question-bank pass, timed practice exams, and review "
            "of the case simulations."
        )
    return (
        "From your profile, your exam record doesn't call for a new exam this year: your "
        "time is better spent on your role, your letters and the application itself. If "
        "you're taking an exam anyway, you can still record it here and I'll count down with "
        "you."
    )


def _eras_note(user: UserView, content: Mapping[str, Any], today: date) -> str | None:
    """Said plainly when the score won't be out before applications go to programs."""
    day = stored_day(content.get("date"))
    cycle = _cycle(user)
    if day is None or cycle is None or content.get("result") in RESULTS:
        return None
    opens = cycle.submissions_open
    exam = str(content.get("exam"))
    if not rules.too_late(day, opens):
        # In time, but later than the plan's early-summer aim for a Level 2 not taken yet.
        plan = user.plan
        aim = plan.milestone("level2_done") if plan is not None else None
        level2 = rules.milestone_prefix(exam, user.situation) == "level2"
        if aim is None or not level2 or day <= aim.due:
            return None
        return (
            f"That's later than your plan's aim ({texts.short_day(aim.due)}), though the "
            "score should still be out before applications go to programs. Earlier is "
            "safer, if a date opens up."
        )
    ready = rules.score_ready(day)
    head = (
        f"⚠️ Straight talk: a score usually comes about {rules.SCORE_WEEKS} weeks after the "
        f"exam, so yours would be out around {texts.short_day(ready)}, after applications go "
        f"to programs ({texts.short_day(opens)}, {opens.year})."
    )
    latest = rules.latest_in_time(opens)
    if exam in rules.LEVEL3_EXAMS:
        return (
            f"Your {exam} score would be out around {texts.short_day(ready)}, after "
            f"applications go to programs ({texts.short_day(opens)}, {opens.year}). That's "
            "all right: list it on your application as scheduled, which already shows you're "
            f"taking it on. On {texts.short_day(latest)} or earlier, the score itself would "
            "be there too."
        )
    if latest >= today:
        fix = (
            f"If you can, move it to {texts.short_day(latest)} or earlier. If that isn't "
            "possible, you can still apply and the score joins your application when it's "
            "out, but many programs screen on it, so a later cycle may serve you better: "
            "worth talking through with an advisor."
        )
    else:
        fix = (
            "There isn't time left for a score before then, so it's worth talking with an "
            "advisor about applying with the score to follow, or aiming at the next cycle."
        )
    return f"{head} {fix}"


def item_line(s: Session, item: Any) -> str:
    c = item.content
    exam = str(c.get("exam"))
    retake = " (retake)" if rules.is_retake(exam, s.user.profile) else ""
    day = stored_day(c.get("date"))
    parts = [f"{exam}{retake}: " + (texts.short_day(day) if day else "not booked yet")]
    if day is not None and c.get("result") not in RESULTS and day >= s.today:
        left = (day - s.today).days
        parts.append("today" if left == 0 else f"in {left} day{'s' if left != 1 else ''}")
    if isinstance(c.get("hours"), int | float):
        parts.append(f"{_num(c['hours'])} h a week")
    result = c.get("result")
    if result in RESULTS:
        score = f", score {c['score']}" if isinstance(c.get("score"), int) else ""
        parts.append(f"{RESULTS[result]}{score}" + (" ✓" if result == "pass" else ""))
    return " · ".join(parts)


def _hours_text(s: Session, weekly: float) -> str:
    weeks = rules.recent_weeks(s.user.week_plans, s.user.checkins, s.today)
    if not weeks:
        return (
            f"You planned {_num(weekly)} hours a week for it. Your weekly planning (/weekly) "
            "sets each week's exam hours; I'll show them here beside this plan."
        )
    lines = [f"Your plan: {_num(weekly)} hours a week. Recent weeks:"]
    for w in weeks:
        planned = "no weekly plan" if w.planned is None else f"planned {_num(w.planned)} h"
        lines.append(
            f"• Week of {texts.short_day(w.week_start)}: {planned}, logged {_num(w.logged)} h"
        )
    if rules.falls_short(weekly, weeks):
        lines.append(
            "Your weeks have held less exam time than this plan asks. That happens, often "
            "when a job takes the days. Either protect a few more hours next week, or set a "
            "number you can really keep: an honest plan beats a heroic one."
        )
    return "\n".join(lines)


# ---------------------------------------------------------------- screens


def _need_profile(s: Session) -> Turn | None:
    if not s.user.profile:
        return s.turn(Reply(texts.NEED_PROFILE))
    if s.flow is not None and s.flow is not EXAM:
        return s.say_then_reask(texts.FINISH_FIRST)
    return None


def show(s: Session) -> Turn:
    refused = _need_profile(s)
    if refused is not None:
        return refused
    items = _items(s.user)
    lines = [branch_text(s)]
    exam = rules.branch_of(s.user.situation).exam
    if exam and any(
        i.content.get("exam") == exam and i.content.get("result") == "pass" for i in items
    ):
        lines.insert(0, f"You passed {exam}: that step of your plan is done ✓")
    rows: list[tuple[Button, ...]] = []
    if items:
        lines += ["", "Your exams:"]
        for item in items:
            lines.append(f"• {item_line(s, item)}")
            note = _eras_note(s.user, item.content, s.today)
            if note:
                lines.append(note)
            rows.append((Button(f"Open: {item.content['exam']}"[:60], f"{PREFIX}item.{item.key}"),))
        upcoming = [
            i for i in items if i.content.get("result") not in RESULTS and i.content.get("hours")
        ]
        if upcoming:
            lines += ["", _hours_text(s, float(upcoming[-1].content["hours"]))]
    else:
        lines += ["", "Once you have an exam in view, add it: the date, or “not booked yet”."]
    rows.append((Button("Add an exam", f"{PREFIX}add"),))
    return s.turn(Reply("\n".join(lines), tuple(rows)), effects=_drifted(s))


def _drifted(s: Session) -> tuple[Effect, ...]:
    """The exams' reminders planned afresh when some still follow an old time zone or hour
    (changed in /profile, a turn that doesn't read the exams); else nothing."""
    return replan(s) if s.drifted(frozenset({COUNTDOWN, RESULT})) else ()


def _missing(s: Session) -> Turn:
    text = (
        "That exam isn't in your tracker any more (it may have been removed), so nothing "
        "changed. /exams shows what's there."
    )
    return s.turn(Reply(text), toast="Nothing changed")


def show_item(s: Session, key: str) -> Turn:
    item = s.user.record(KIND, key)
    if item is None:
        return _missing(s)
    c = item.content
    prep = [PREP_LABELS[p] for p in c.get("prep") or () if p in PREP_LABELS]
    lines = [
        item_line(s, item),
        f"Prep: {', '.join(prep) if prep else 'not chosen yet'}",
    ]
    note = _eras_note(s.user, c, s.today)
    if note:
        lines.append(note)
    edit = f"{PREFIX}edit.{key}."
    rows: list[tuple[Button, ...]] = [
        (Button("Change the exam", edit + "exam"), Button("Change the date", edit + "date")),
        (Button("Change the hours", edit + "hours"), Button("Change the prep", edit + "prep")),
    ]
    if c.get("result") in RESULTS:
        rows.append((Button("Change the score", edit + "score"),))
    day = stored_day(c.get("date"))
    if day is None or day <= s.today or c.get("result") in RESULTS:
        rows.append(_result_row(key))  # once sat (or never booked here): the result
    rows.append((Button("Remove this exam", f"{PREFIX}rm.{key}"),))
    return s.turn(Reply("\n".join(lines), tuple(rows)))


def _result_row(key: str) -> tuple[Button, ...]:
    return (
        Button("I passed ✓", f"{PREFIX}res.{key}.pass"),
        Button("I didn't pass", f"{PREFIX}res.{key}.fail"),
    )


def add(s: Session) -> Turn:
    refused = _need_profile(s)
    if refused is not None:
        return refused
    key = f"x{s.now_utc:%y%m%d%H%M%S}"
    while s.user.record(KIND, key) is not None:  # two adds in one second
        key += "b"
    return s.begin(EXAM, item=(KIND, key))


def edit(s: Session, rest: str) -> Turn:
    key, _, field = rest.partition(".")
    if s.user.record(KIND, key) is None:
        return _missing(s)
    if EXAM.question(field) is None:
        return s.turn(Reply(texts.UNKNOWN_BUTTON), toast="Nothing changed")
    refused = _need_profile(s)
    if refused is not None:
        return refused
    return s.begin(EXAM, key=field, item=(KIND, key))


def finished(s: Session, flow: Flow, result: Outcome) -> Turn:
    item = s.item
    if item is None:  # not an item run (a state from before): nothing to keep
        return s.after(result.effects).turn(Reply("Saved. /exams shows your exams."))
    _, key = item
    content = s.item_content(flow, result.effects)
    content.setdefault("added", s.today.isoformat())
    before = s.user.record(KIND, key)
    if before is not None and before.content.get("date") != content.get("date"):
        content.pop("ask_on", None)  # a new date: "still waiting" starts over
    put = PutRecord(KIND, key, content)
    view = s.after((*result.effects, put))
    effects: list[Effect] = [put, *_plan_item(view, key, content)]
    lines = [
        ("Updated: " if before is not None else "Saved: ") + item_line(view, _view(key, content))
    ]
    note = _eras_note(view.user, content, s.today)
    if note:
        lines.append(note)
    day = stored_day(content.get("date"))
    if day is not None and content.get("result") not in RESULTS:
        ahead = [d for _, d in rules.countdown(day) if d >= s.today]
        if ahead:
            lines.append(
                "I'll count down with you: 8, 4 and 2 weeks before, a week before and the day "
                "before (those still ahead), and I'll ask how it went afterwards."
            )
    elif day is None and content.get("result") not in RESULTS:
        lines.append("Once you book a date, add it here and the countdown starts.")
    if isinstance(content.get("hours"), int | float) and content.get("result") not in RESULTS:
        lines.append(_hours_text(view, float(content["hours"])))
    buttons = ((Button("See my exams", OPEN),),)
    return view.turn(Reply("\n\n".join(lines), buttons), effects=tuple(effects))


def _view(key: str, content: Mapping[str, Any]) -> RecordView:
    return RecordView(KIND, key, content)


def ask_remove(s: Session, key: str) -> Turn:
    item = s.user.record(KIND, key)
    if item is None:
        return _missing(s)
    buttons = (
        (
            Button("Yes, remove it", f"{PREFIX}rmy.{key}"),
            Button("No, keep it", f"{PREFIX}item.{key}"),
        ),
    )
    return s.turn(Reply(f"Remove {item.content.get('exam')} and its reminders?", buttons))


def remove(s: Session, key: str) -> Turn:
    item = s.user.record(KIND, key)
    if item is None:
        return s.turn(toast="Already removed")
    effects = (DropRecord(KIND, key), CancelNudges(f"{NUDGE_KEY}{key}:", prefix=True))
    text = (
        f"Removed {item.content.get('exam')} and its reminders. Anything your plan already "
        "ticked off stays ticked; /plan can undo it."
    )
    return s.turn(Reply(text, ((Button("See my exams", OPEN),),)), effects=effects)


def record_result(s: Session, rest: str) -> Turn:
    key, _, outcome = rest.partition(".")
    if outcome not in RESULTS:
        return s.turn(Reply(texts.UNKNOWN_BUTTON), toast="Nothing changed")
    item = s.user.record(KIND, key)
    if item is None:
        return _missing(s)
    if item.content.get("result") == outcome:
        return s.turn(toast=texts.ALREADY_SAVED)
    content = {**item.content, "result": outcome, "result_on": s.today.isoformat()}
    content.pop("ask_on", None)
    if outcome == "fail":
        content.pop("score", None)
    effects: tuple[Effect, ...] = (
        PutRecord(KIND, key, content),
        CancelNudges(f"{NUDGE_KEY}{key}:", prefix=True),
    )
    exam = str(content.get("exam"))
    score = (Button("Add my score", f"{PREFIX}edit.{key}.score"),)
    if outcome == "pass":
        text = (
            f"You passed {exam}. Congratulations: that took real work, in a hard year. "
            "It's saved, and your plan is up to date. If you'd like, add the score."
        )
        buttons: tuple[tuple[Button, ...], ...] = (score, (Button("See my exams", OPEN),))
    else:
        text = (
            f"I'm sorry. Not passing {exam} hurts, and it doesn't decide who you are as a "
            "doctor. When you're ready: most people retake within 3 to 6 months, with a formal "
            "plan (a tutor or a structured course if you can afford one). Rest first; then "
            "add the retake here and we'll plan it together."
        )
        buttons = ((Button("Add the retake", f"{PREFIX}add"),), (Button("See my exams", OPEN),))
    return s.turn(Reply(text, buttons), effects=effects, toast="Saved ✓")


def still_waiting(s: Session, key: str) -> Turn:
    item = s.user.record(KIND, key)
    if item is None:
        return _missing(s)
    if item.content.get("result") in RESULTS:
        return s.turn(toast=texts.ALREADY_SAVED)
    ask_on = s.today + timedelta(days=rules.ASK_AGAIN_DAYS)
    content = {**item.content, "ask_on": ask_on.isoformat()}
    view = s.after((PutRecord(KIND, key, content),))
    effects = (PutRecord(KIND, key, content), *_plan_item(view, key, content))
    text = (
        "Waiting is its own kind of hard. I'll ask again around "
        f"{texts.short_day(ask_on)}; if the result comes sooner, record it from /exams."
    )
    return s.turn(Reply(text), effects=effects, toast="Saved ✓")


def on_button(s: Session, rest: str) -> Turn:
    action, _, arg = rest.partition(".")
    if rest == "open":
        return show(s)
    if rest == "add":
        return add(s)
    handlers = {
        "item": show_item,
        "edit": edit,
        "rm": ask_remove,
        "rmy": remove,
        "res": record_result,
        "wait": still_waiting,
    }
    handler = handlers.get(action)
    if handler is None or not arg:
        return s.turn(Reply(texts.UNKNOWN_BUTTON), toast="Nothing changed")
    if not s.user.profile:
        return s.turn(Reply(texts.NEED_PROFILE))
    return handler(s, arg)


# ---------------------------------------------------------------- reminders


def _plan_item(s: Session, key: str, content: Mapping[str, Any]) -> list[Effect]:
    """This exam's reminders cancelled and planned afresh: the countdown still ahead, then
    the result question (none once a result is recorded)."""
    effects: list[Effect] = [CancelNudges(f"{NUDGE_KEY}{key}:", prefix=True)]
    day = stored_day(content.get("date"))
    if day is None or content.get("result") in RESULTS:
        return effects
    settings: NudgeSettings = s.user.nudge_settings
    base = settings.payload(item=key, exam=str(content.get("exam")), date=day.isoformat())
    for before, on in rules.countdown(day):
        payload = {**base, "before": before}
        due = local_moment(on, settings.at, payload)
        if due > s.now_utc:
            effects.append(ScheduleNudge(COUNTDOWN, f"{NUDGE_KEY}{key}:d{before}", due, payload))
    ask_on = stored_day(content.get("ask_on")) or day + timedelta(days=rules.RESULT_ASK_DAYS)
    due = local_moment(ask_on, settings.at, base)
    if due > s.now_utc:
        effects.append(ScheduleNudge(RESULT, f"{NUDGE_KEY}{key}:result", due, base))
    return effects


def replan(s: Session) -> tuple[Effect, ...]:
    """Every exam's reminders planned afresh (time zone, hour, pause). A turn that didn't read
    the exams doesn't call it (``Reminders.records``): what is planned stays."""
    effects: list[Effect] = [CancelNudges(NUDGE_KEY, prefix=True)]
    for item in _items(s.user):
        effects += _plan_item(s, item.key, item.content)[1:]
    return tuple(effects)


def render_nudge(kind: str, payload: Mapping[str, Any]) -> Reply | None:
    exam, key, day = payload.get("exam"), payload.get("item"), stored_day(payload.get("date"))
    if not isinstance(exam, str) or not isinstance(key, str) or day is None:
        return None
    open_it = (Button("Open this exam", f"{PREFIX}item.{key}"),)
    if kind == COUNTDOWN:
        before = payload.get("before")
        if not isinstance(before, int) or before not in rules.COUNTDOWN_DAYS:
            return None
        head = f"{rules.weeks_word(before)} to {exam} ({texts.short_day(day)})."
        if before == 1:
            head = f"{exam} is tomorrow."
        tips = {
            56: "A good moment to check your pace: are you on track to finish one full pass "
            "of your question bank with time to spare?",
            28: "Time for a timed practice exam, if you haven't had one lately: it shows "
            "what to put the last weeks into.",
            14: "From here, review beats new material: your weak topics and the questions "
            "you missed.",
            7: "Keep the week steady: a last practice exam early, lighter days at the end, "
            "and plan the route and the timing of the day.",
            1: "No cramming tonight. Lay out your ID and what you need, eat well, and sleep. "
            "You've done the work; tomorrow you just show it.",
        }
        return Reply(f"{head}\n\n{tips[before]}", (open_it,))
    if kind == RESULT:
        text = (
            f"How did {exam} go on {texts.short_day(day)}? Scores usually take about "
            f"{rules.SCORE_WEEKS} weeks. Whenever you know, tell me here:"
        )
        buttons = (
            _result_row(key),
            (Button("Still waiting", f"{PREFIX}wait.{key}"),),
        )
        return Reply(text, buttons)
    return None


def describe(kind: str, payload: Mapping[str, Any]) -> str | None:
    exam = payload.get("exam")
    if not isinstance(exam, str):
        return None
    if kind == COUNTDOWN:
        before = payload.get("before")
        if isinstance(before, int):
            when = "the day before" if before == 1 else f"{before // 7} weeks to go"
            if before == 7:
                when = "one week to go"
            return f"Exam countdown: {exam}, {when}"
    if kind == RESULT:
        return f"How did {exam} go?"
    return None


# ---------------------------------------------------------------- the feature


def _completes() -> tuple[Completes, ...]:
    how = ("Open my exam tracker", OPEN)
    return tuple(
        Completes(
            f"{prefix}_{step}",
            how=how,
            holds=_holds(prefix, step == "done"),
            kinds=frozenset({KIND}),
        )
        for prefix in ("retake", "level2", "level3")
        for step in ("booked", "done")
    )


FEATURE = Feature(
    name="exams",
    flows=(EXAM,),
    commands={"exams": show},
    buttons={PREFIX: on_button},
    finished=finished,
    reminders=Reminders(
        frozenset({COUNTDOWN, RESULT}), render_nudge, describe, replan, records=frozenset({KIND})
    ),
    reads=(
        # The exams, and on the turns that re-plan every reminder (a reminder hour, /resume,
        # a cycle chosen) so theirs follow. Not on onboarding turns (a time zone or check-in
        # time changed in /profile): a turn in the middle of a flow stays one read, and
        # /exams moves them instead (``_drifted``).
        Reads.tracker(KIND, command="exams", prefix=PREFIX, flow=FLOW_NAME),
        # The pending reminders, to see whether the exams' still land at the user's hour.
        Reads("nudges", commands=frozenset({"exams"}), buttons=(OPEN,)),
        # The weekly plans and check-ins, for the exam hours beside the plan.
        Reads(
            "routine",
            commands=frozenset({"exams"}),
            buttons=(PREFIX,),
            flows=frozenset({FLOW_NAME}),
        ),
    ),
    completes=_completes(),
)
