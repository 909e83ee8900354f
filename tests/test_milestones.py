"""The plan knows what you did (milestones ticked) and who you are (milestones of your own).

Driven as a user meets it: the in-memory chat for the flows, the service on real databases
for what is stored. What is asserted is what a user notices: /plan, /checkin, /reminders,
the reminders planned, and the rows kept.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.service import CoachService
from conversations.catalog import FEATURES, render_nudge, session
from conversations.messages import Command, DialogueState, Press
from conversations.session import UserView
from tests.coach_chat import SEED_ONBOARDING, CoachChat, onboard_us_md, scripted_input
from tests.conftest import Clock
from tests.test_service import MAYA, button_of, onboarded

MARCH_25 = date(2026, 3, 25)

# ---------------------------------------------------------------- helpers


def _postmortem_and_target(chat: CoachChat) -> None:
    """Build and confirm the Problems List, then commit to a target (the seed's example)."""
    chat.command("postmortem")
    chat.tap("4. My own review")
    for _ in range(4):
        chat.tap("None of these")
        chat.tap("Done")
    chat.tap("Build my Problems List")
    chat.tap("This is right")
    chat.command("target")
    chat.tap("Internal Medicine")
    chat.tap("The suggestion above")
    chat.tap("I commit to this")


def _next_deadlines(said: str) -> str:
    return said.split("Next deadlines:", 1)[1]


def _check_in(chat: CoachChat) -> None:
    chat.command("checkin")
    chat.tap("Yes")
    chat.tap("1")  # hours on the post-mortem and planning (months 1-6)
    chat.tap("2")
    chat.tap("6")
    chat.tap("1")
    chat.command("skip")
    chat.tap("4 ")


def _planned(chat: CoachChat) -> set[str]:
    """The milestones with a reminder planned."""
    return {str(n.payload["milestone"]) for n in chat.nudges("plan:ms:")}


# ---------------------------------------------------------------- 1. finished steps stop nagging


@pytest.fixture
def chat() -> CoachChat:
    chat = CoachChat()  # March 25, 2026, 10:00 in Chicago
    onboard_us_md(chat)
    return chat


def test_a_confirmed_problems_list_and_a_committed_target_tick_their_milestones(
    chat: CoachChat,
) -> None:
    assert {"post_mortem", "target"} <= _planned(chat)
    _postmortem_and_target(chat)
    assert chat.answers["milestones"] == {"post_mortem": "2026-03-25", "target": "2026-03-25"}

    chat.command("plan")
    assert "Post-mortem done" not in _next_deadlines(chat.said)
    assert "Target chosen" not in _next_deadlines(chat.said)
    assert "Done so far:\n• Wed, Mar 25: Post-mortem done ✓\n• Wed, Mar 25: Target chosen ✓" in (
        chat.said
    )

    _check_in(chat)
    assert "Next up: High-yield role secured" in chat.said

    chat.command("reminders")
    assert "Post-mortem done" not in chat.said and "Target chosen" not in chat.said
    assert not {"post_mortem", "target"} & _planned(chat)

    # A later re-plan (a new time zone plans every reminder again) leaves them ticked.
    chat.command("profile")
    chat.tap("Time and schedule")
    chat.tap("Time zone")
    chat.text("Lagos")
    chat.tap("Yes, that's right")
    assert "re-planned" in chat.said
    assert not {"post_mortem", "target"} & _planned(chat)
    assert {"role_secured", "letters_asked"} <= _planned(chat)


def test_done_on_a_milestones_reminder_ticks_it_and_moves_what_hangs_on_it(
    chat: CoachChat,
) -> None:
    heads_up = next(n for n in chat.nudges("plan:ms:role_secured") if n.kind == "milestone_before")
    chat.now = heads_up.due_at  # it was just sent: in June
    today = heads_up.due_at.date()
    chat.send(Press(f"@nd.done.{heads_up.id}"))
    assert "Marked done" in chat.said
    assert chat.answers["milestones"]["role_secured"] == today.isoformat()
    assert "role_secured" not in _planned(chat)
    # Letters are asked 8 weeks into the role: counted from the day it was really secured.
    letters = next(n for n in chat.nudges("plan:ms:letters_asked") if n.kind == "milestone_due")
    assert letters.due_at.date() == today + timedelta(weeks=8)

    chat.command("plan")
    assert f"{today:%a, %b} {today.day}: High-yield role secured ✓" in chat.said
    assert "High-yield role secured" not in _next_deadlines(chat.said)


def test_plan_offers_the_next_deadlines_to_tick_or_to_open_and_a_tick_can_be_undone(
    chat: CoachChat,
) -> None:
    chat.command("plan")
    labels = chat.labels()
    # What an action of the user's completes opens where it is done; the rest is ticked here.
    assert "Open the post-mortem" in labels and "Choose my target" in labels
    assert "Done: High-yield role secured" in labels

    chat.tap("Done: High-yield role secured")
    assert "Ticked off: High-yield role secured" in chat.said
    assert chat.answers["milestones"]["role_secured"] == "2026-03-25"
    assert "role_secured" not in _planned(chat)
    chat.command("reminders")
    assert "High-yield role secured" not in chat.said

    chat.command("plan")
    assert "Open my letters" in chat.labels()  # /letters ticks it now, from the writers asked
    chat.send(Press("@plan.done.letters_asked"))  # a "Done" on an old message still ticks it
    chat.command("plan")
    assert "Wed, Mar 25: Letters asked for ✓" in chat.said

    chat.send(Press("@plan.undo.role_secured"))
    assert "open again" in chat.said
    assert chat.answers["milestones"]["role_secured"] is None
    assert "role_secured" in _planned(chat)

    for forged in ("@plan.done.match_day", "@plan.done.nonsense", "@plan.done."):
        chat.send(Press(forged))
        assert "match_day" not in chat.answers["milestones"]
        assert "nonsense" not in chat.answers["milestones"]


def test_a_high_yield_role_recorded_in_role_ticks_the_role_and_times_the_letters(
    chat: CoachChat,
) -> None:
    chat.now += timedelta(days=40)
    chat.command("role")
    chat.tap("Research fellow or position")
    day = MARCH_25 + timedelta(days=40)
    assert chat.answers["milestones"]["role_secured"] == day.isoformat()
    letters = next(n for n in chat.nudges("plan:ms:letters_asked") if n.kind == "milestone_due")
    assert letters.due_at.date() == day + timedelta(weeks=8)


def test_a_job_outside_medicine_does_not_count_as_the_role(chat: CoachChat) -> None:
    chat.command("role")
    chat.tap("A job outside medicine")
    chat.text("June 30")
    assert "role_secured" not in chat.answers.get("milestones", {})
    assert "role_secured" in _planned(chat)


def test_every_declared_completion_names_a_milestone_the_plan_knows() -> None:
    from conversations.rules.plan import MILESTONE_KEYS

    declared = [c.milestone for f in FEATURES for c in getattr(f, "completes", ())]
    assert {"post_mortem", "target", "role_secured"} <= set(declared)
    assert set(declared) <= MILESTONE_KEYS


async def test_ticked_milestones_are_stored_and_their_reminders_gone_for_good(
    service: CoachService,
) -> None:
    user_id = await onboarded(service)
    turn = await service.handle(MAYA, Command("postmortem"))
    turn = await service.handle(MAYA, button_of(turn, "Build my Problems List"))
    turn = await service.handle(MAYA, button_of(turn, "This is right ✓"))
    turn = await service.handle(MAYA, button_of(turn, "Next: choose my target"))
    turn = await service.handle(MAYA, button_of(turn, "Internal Medicine"))
    turn = await service.handle(MAYA, button_of(turn, "The suggestion above"))
    await service.handle(MAYA, button_of(turn, "I commit to this"))

    async with service.db.unit_of_work() as repo:
        latest = await repo.answers.latest(user_id)
        keys = {n.key for n in await repo.nudges.pending(user_id)}
    assert latest["milestones"] == {"post_mortem": "2026-03-25", "target": "2026-03-25"}
    assert not {"plan:ms:post_mortem", "plan:ms:target"} & keys
    assert "plan:ms:role_secured" in keys

    turn = await service.handle(MAYA, Command("reminders"))
    listed = turn.replies[0].text
    assert "Post-mortem done" not in listed and "Target chosen" not in listed
    turn = await service.handle(MAYA, Command("plan"))
    assert "Post-mortem done" not in _next_deadlines(turn.replies[0].text)

    # /pause and /resume plan every reminder again: the ticked ones stay gone.
    await service.handle(MAYA, Command("pause"))
    await service.handle(MAYA, Command("resume"))
    async with service.db.unit_of_work() as repo:
        keys = {n.key for n in await repo.nudges.pending(user_id)}
    assert not {"plan:ms:post_mortem", "plan:ms:target"} & keys
    assert "plan:ms:role_secured" in keys


# ---------------------------------------------------------------- 2. a plan of one's own


def _script(**answers: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """The seed's onboarding with some questions answered differently.

    The seed's script is split by question (the steps up to the next question's first
    step); ``answers`` replaces a question's steps, and a question given ``()`` is left out.
    """
    order = [
        "start",
        "name",
        "degree",
        "specialty",
        "programs",
        "mix",
        "geography",
        "interviews",
        "soap",
        "step1",
        "step2",
        "failures",
        "failures_done",
        "flags",
        "flags_done",
        "home",
        "abstracts",
        "posters",
        "papers",
        "letters",
        "strong",
        "tz",
        "tz_ok",
        "start_date",
        "wake_time",
        "checkin",
    ]
    by_question = dict(zip(order, ((s,) for s in SEED_ONBOARDING), strict=True))
    script: list[tuple[str, str]] = []
    for name in order:
        script += answers.get(name, by_question[name])
        if name == "papers" and "usce" in answers:
            script += answers["usce"]
    return script


IMG_NO_STEP2 = _script(
    degree=(("tap", "International graduate (IMG)"),),
    step2=(("tap", "Not taken yet"),),
    usce=(("tap", "0"),),
)
DO_EM_FAILED_LEVEL1 = _script(
    degree=(("tap", "US DO"),),
    specialty=(("tap", "Emergency Medicine"),),
    step1=(("tap", "Failed"), ("tap", "Not taken yet"), ("tap", "No")),  # Level 1, Level 2, USMLE
    step2=(),
    failures=(("tap", "▫️ Step 1 / Level 1"),),
)
ORTHO_215 = _script(
    specialty=(("tap", "Orthopaedic Surgery"),),
    step2=(("type", "215"),),
)

EXAM_AND_SPECIALTY_KEYS = {
    "retake_booked",
    "retake_done",
    "level2_booked",
    "level2_done",
    "level3_booked",
    "level3_done",
    "red_flag_explained",
    "usce_months",
    "sloes_asked",
}


def _onboard(script: list[tuple[str, str]]) -> CoachChat:
    chat = CoachChat()
    for step in script:
        chat.send(scripted_input(step, chat.last))
    assert chat.answers["plan"]["season"] == 2027, "onboarding finished"
    return chat


def _titles(chat: CoachChat) -> set[str]:
    """What /reminders calls each milestone reminder planned ("Due: Step 3 taken")."""
    s = session(DialogueState(), UserView(), chat.now)
    labels = (s.describe_nudge(n.kind, n.payload) for n in chat.nudges("plan:ms:"))
    return {label.split(": ", 1)[1] for label in labels}


def test_the_seeds_worked_example_gets_no_exam_items() -> None:
    chat = _onboard(list(SEED_ONBOARDING))
    planned = _planned(chat)
    assert not planned & EXAM_AND_SPECIALTY_KEYS
    assert {"letters_asked", "role_secured", "program_list"} <= planned
    chat.command("plan")
    assert "Step 3" not in chat.said and "SLOE" not in chat.said


def test_an_img_without_step2_takes_it_by_early_summer_and_gets_us_clinical_experience() -> None:
    chat = _onboard(IMG_NO_STEP2)
    planned = _planned(chat)
    assert {"level2_booked", "level2_done", "usce_months"} <= planned
    assert not planned & {"retake_booked", "retake_done", "level3_done", "sloes_asked"}
    titles = _titles(chat)
    assert {"Step 2 CK taken", "US clinical role secured"} <= titles
    step2 = next(n for n in chat.nudges("plan:ms:level2_done") if n.kind == "milestone_due")
    assert date(2026, 5, 15) <= step2.due_at.date() <= date(2026, 7, 15), (
        "late spring, early summer"
    )
    reply = render_nudge(step2.kind, step2.payload)
    assert reply is not None and "Step 2 CK" in reply.text
    chat.command("plan")
    assert "Step 2 CK" in chat.said


def test_a_do_with_a_failed_level1_applying_em_retakes_it_and_asks_for_sloes() -> None:
    chat = _onboard(DO_EM_FAILED_LEVEL1)
    planned = _planned(chat)
    assert {"retake_booked", "retake_done", "sloes_asked"} <= planned
    assert not planned & {"letters_asked", "level3_done", "usce_months"}
    titles = _titles(chat)
    assert {"COMLEX Level 1 retake booked", "COMLEX Level 1 retake taken", "SLOEs asked for"} <= (
        titles
    )
    retake = next(n for n in chat.nudges("plan:ms:retake_done") if n.kind == "milestone_due")
    months = (retake.due_at.date() - MARCH_25).days / 30.4
    assert 3 <= months <= 6, "retaken as early as reasonably possible, within 3-6 months"
    # Level 2 waits for Level 1: it comes after the retake, still before submissions open.
    level2 = next(n for n in chat.nudges("plan:ms:level2_done") if n.kind == "milestone_due")
    assert retake.due_at < level2.due_at and level2.due_at.date() < date(2026, 9, 8)


def test_orthopaedics_with_a_step2_of_215_aims_at_step3_within_six_to_nine_months() -> None:
    chat = _onboard(ORTHO_215)
    planned = _planned(chat)
    assert {"level3_booked", "level3_done"} <= planned
    assert not planned & {"retake_done", "level2_done", "sloes_asked", "usce_months"}
    assert "Step 3 taken" in _titles(chat)
    step3 = next(n for n in chat.nudges("plan:ms:level3_done") if n.kind == "milestone_due")
    months = (step3.due_at.date() - MARCH_25).days / 30.4
    assert 6 <= months <= 9


def test_four_people_four_plans_in_plan_and_in_the_picture() -> None:
    texts, pictures = [], []
    for script in (list(SEED_ONBOARDING), IMG_NO_STEP2, DO_EM_FAILED_LEVEL1, ORTHO_215):
        chat = _onboard(script)
        chat.now += timedelta(days=20)
        chat.command("plan")
        texts.append(_next_deadlines(chat.said))
        [photo] = [r.photo for r in chat.last.replies if r.photo is not None]  # type: ignore[union-attr]
        pictures.append(photo.content)
    assert len(set(texts)) == 4, texts
    assert len(set(pictures)) == 4


def test_the_target_decides_the_specialty_items() -> None:
    chat = _onboard(DO_EM_FAILED_LEVEL1)
    chat.command("target")
    chat.tap("Family Medicine")
    chat.tap("The suggestion above")
    chat.tap("I commit")
    planned = _planned(chat)
    assert "sloes_asked" not in planned and "letters_asked" in planned
    assert "target" not in planned


async def test_a_personal_plans_reminders_are_stored_for_that_person(
    service: CoachService, clock: Clock
) -> None:
    last = None
    for step in ORTHO_215:
        last = await service.handle(MAYA, scripted_input(step, last))
    async with service.db.unit_of_work() as repo:
        user = await repo.users.find("telegram", MAYA.external_id)
        assert user is not None
        keys = {n.key for n in await repo.nudges.pending(user.id)}
    assert {"plan:ms:level3_booked", "plan:ms:level3_done"} <= keys
    assert "plan:ms:retake_done" not in keys
    clock.advance(days=61)  # late May
    turn = await service.handle(MAYA, Command("plan"))
    assert "Sat, Jun 13: Step 3 date booked" in _next_deadlines(turn.replies[0].text)
