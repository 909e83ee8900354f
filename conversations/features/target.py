"""The target (/target): same specialty or a pivot, a primary and a backup, and a commitment.

The pivot rule (``diagnosis.pivot_advice``, after the seed) decides what the coach
recommends; the user decides. Every question is in ``TARGET`` below; the answers are stored under the flow name
"target" and read by /profile, the Problems List and the plan.
"""

from __future__ import annotations

from conversations import texts
from conversations.engine import Choice, Context, Flow, Outcome, Question
from conversations.messages import Button, RecordEvent, Reply, Turn
from conversations.rules.diagnosis import canonical_specialty, pivot_advice, suggest_backup
from conversations.rules.parsing import normalize_free_text
from conversations.session import TARGET_FLOW, Completes, Feature, Session

OPEN = "@tg.open"

_REALISTIC_NAMES = (
    ("im", "Internal Medicine", "Internal Medicine (community-heavy list)"),
    ("fm", "Family Medicine", "Family Medicine"),
    ("peds", "Pediatrics", "Pediatrics"),
    ("psych", "Psychiatry", "Psychiatry"),
    ("neuro", "Neurology", "Neurology (community programs)"),
    ("prelim", "Prelim / transitional year", "A preliminary or transitional year"),
)


def _advice_text(ctx: Context) -> str:
    advice = pivot_advice(ctx.profile)
    last = ctx.profile.get("specialty") or "your specialty"
    if advice.consider_pivot:
        head = (
            f"Honest read: with your profile, spending this year only on {last} is a risky "
            "bet. My honest advice is to strongly consider a pivot, because:"
        )
    else:
        head = f"Reapplying to {last} can make sense, with a changed strategy. What I see:"
    reasons = "\n".join(f"• {r}" for r in advice.reasons) or "• Nothing here argues against it."
    return (
        f"{head}\n{reasons}\n\n"
        "This is not about what's possible someday; it's about what the next 12 months "
        "can realistically buy."
    )


def _primary_prompt(ctx: Context) -> str:
    return (
        _advice_text(ctx) + "\n\nWhich specialty will you build this year around? "
        "Tap one or type another."
    )


def _primary_choices(ctx: Context) -> list[Choice]:
    # Stored as typed before names were matched ("internal med"): offered by its known name.
    last = canonical_specialty(ctx.profile.get("specialty"))
    choices = []
    if last and last not in {name for _, name, _ in _REALISTIC_NAMES}:
        choices.append(Choice("same", f"Stay with {last}"[:60], stores=last))
    choices += [Choice(code, label, stores=stored) for code, label, stored in _REALISTIC_NAMES]
    return choices


def _primary(text: str, ctx: Context) -> str:
    return canonical_specialty(normalize_free_text(text, max_len=80, what="specialty"))


def _backup_choices(ctx: Context) -> list[Choice]:
    primary = str(ctx.answers.get("primary") or ctx.profile.get("specialty") or "")
    suggested = suggest_backup(primary, ctx.profile)
    return [
        Choice("suggested", "The suggestion above", stores=suggested),
        Choice("soap", "SOAP into FM or Psychiatry", stores=_SOAP_BACKUP),
        Choice("prelim", "A prelim or transitional year", stores=_PRELIM_BACKUP),
    ]


_SOAP_BACKUP = "Family Medicine or Psychiatry positions through SOAP"
_PRELIM_BACKUP = "A preliminary or transitional year, then reapply"


def _backup_prompt(ctx: Context) -> str:
    primary = str(ctx.answers.get("primary") or "")
    return (
        f"And the backup: what will you do if interviews don't come again?\n\n"
        f"My suggestion for {primary or 'your target'}: {suggest_backup(primary, ctx.profile)}\n\n"
        "Tap one, or type your own."
    )


def _backup(text: str, ctx: Context) -> str:
    return normalize_free_text(text, max_len=200, what="backup plan")


def _commit_prompt(ctx: Context) -> str:
    return (
        "Write it down, and commit:\n"
        f"Primary: {ctx.answers.get('primary')}\n"
        f"Backup: {ctx.answers.get('backup')}\n\n"
        "This decides which roles, research and letters you chase this year. "
        "Do you commit to it?"
    )


TARGET = Flow(
    name=TARGET_FLOW,
    code="tg",
    change_hint="send /target to choose again",
    fresh_runs=True,
    questions=(
        Question(
            "primary",
            "Primary target",
            _primary_prompt,
            choices=_primary_choices,
            parse=_primary,
            columns=1,
        ),
        Question(
            "backup",
            "Backup strategy",
            _backup_prompt,
            choices=_backup_choices,
            parse=_backup,
            columns=1,
        ),
        Question(
            "commit",
            "Committed",
            _commit_prompt,
            choices=(Choice("yes", "I commit to this"), Choice("later", "Not yet, I'll think")),
            columns=1,
        ),
    ),
)


def start(s: Session) -> Turn:
    if not s.user.profile:
        return s.turn(Reply(texts.NEED_PROFILE))
    if s.flow is not None and s.flow is not TARGET:
        return s.say_then_reask(texts.FINISH_FIRST)
    return s.begin(TARGET)  # a fresh run: the earlier choice stays in the history


def finished(s: Session, flow: Flow, result: Outcome) -> Turn:
    view = s.after(result.effects)
    answers = view.user.flow_answers(TARGET_FLOW)
    if answers.get("commit") != "yes":
        return view.turn(
            Reply(
                "That's fine: a decision you believe in beats a fast one. Your answers are "
                "saved; send /target when you're ready to commit."
            )
        )
    plan = ((Button("See my profile", "@go.review"),),)
    text = (
        f"Committed. Primary: {texts.full_stop(str(answers['primary']))} "
        f"Backup: {texts.full_stop(str(answers.get('backup') or 'not set yet'))}\n\n"
        "From here, every role, research project and letter you go after should point at "
        "that primary target."
    )
    return view.turn(Reply(text, plan), effects=(RecordEvent("target_committed"),))


FEATURE = Feature(
    name="target",
    flows=(TARGET,),
    commands={"target": start},
    buttons={OPEN: lambda s, _rest: start(s)},
    finished=finished,
    # Committing to a primary and a backup is the target chosen.
    completes=(Completes("target", event="target_committed", how=("Choose my target", OPEN)),),
)
