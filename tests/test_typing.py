"""Buttons and typing mean the same thing: a label typed on any screen with buttons is that
button, a typed number is that number, and a tired "yep" or "sunday" is understood."""

from __future__ import annotations

from bot.service import CoachService, Who
from conversations.messages import Command, Text
from tests.coach_chat import CoachChat, onboard_us_md

# ---------------------------------------------------------------- labels typed on any screen


def test_typing_yes_after_delete_erases_everything() -> None:
    chat = CoachChat()
    onboard_us_md(chat)
    chat.command("delete")
    chat.text("yes")
    assert chat.deleted, "typed yes is the “Yes, delete everything” button"
    assert "erased" in chat.said


def test_typed_nope_keeps_the_data_and_yep_confirms_a_time_zone() -> None:
    chat = CoachChat()
    onboard_us_md(chat)
    chat.command("delete")
    chat.text("Nope.")
    assert not chat.deleted and "Nothing was deleted" in chat.said

    chat.command("settings")
    chat.text("time zone (america/chicago)")  # a label typed, its parentheses and all
    chat.text("Denver")
    assert "Is that right?" in chat.said
    chat.text("yep")
    assert chat.profile["timezone"] == "America/Denver"


def test_this_is_right_typed_without_the_tick_saves_the_problems_list() -> None:
    chat = CoachChat()
    onboard_us_md(chat)
    chat.command("postmortem")
    chat.text("build my problems list")
    assert "most urgent first" in chat.said
    chat.text("This is right")
    assert "Your Problems List is saved" in chat.said
    assert len(chat.problems_lists) == 1
    assert [d.filename.endswith(".pdf") for d in chat.documents()] == [True]


def test_typed_labels_ignore_case_emoji_and_ticks_on_multi_select_and_skip() -> None:
    chat = CoachChat()
    chat.command("start")
    for answer in ("Maya", "us md", "Internal Medicine", "45"):
        chat.text(answer)
    chat.text("MOSTLY ACADEMIC!")
    chat.text("mostly coastal")
    for answer in ("4", "no, i didn't", "passed", "223"):
        chat.text(answer)
    assert "failed an attempt" in chat.said
    chat.text("No, never")  # the label is "▫️ No, never": a comma inside, an emoji before
    assert chat.profile["exam_failures"] == ["none"]
    assert "on your record" in chat.said
    chat.text("none of these ✓")
    assert chat.profile["red_flags"] == ["none"]
    chat.text("Some")
    chat.text("skip")  # the Skip button of an optional question, typed
    assert chat.profile["abstracts"] is None
    assert chat.saved[-1].skipped


def test_done_typed_on_a_multi_select_saves_the_ticked_boxes() -> None:
    chat = CoachChat()
    onboard_us_md(chat)
    chat.command("postmortem")
    chat.tap("4. My own review")
    chat.tap("Low Step 1")
    chat.text("done")
    assert chat.answers["pm_self"]["exams"] == ["low_step1"]
    assert "Bucket 2 of 4" in chat.said


def test_a_typed_win_called_skip_is_a_skip_not_a_win() -> None:
    chat = CoachChat()
    onboard_us_md(chat)
    chat.command("checkin")
    for answer in ("yes", "1", "2", "4", "1"):
        chat.text(answer)
    chat.text("Skip")
    assert chat.answers["checkin"]["win"] is None


def test_a_typed_press_that_only_had_a_toast_still_gets_a_reply() -> None:
    chat = CoachChat()
    onboard_us_md(chat)
    chat.command("postmortem")
    chat.tap("Build my Problems List")
    chat.text("This is right")
    chat.text("Next: choose my target")
    assert "Which specialty will you build this year around?" in chat.said


async def test_a_typed_button_is_read_with_what_the_button_needs(service: CoachService) -> None:
    """The service loads what a button's turn reads (here: earlier practice) when the button
    is typed rather than tapped."""
    from tests.test_service import MAYA, onboarded

    await onboarded(service)
    await service.handle(MAYA, Command("practice"))
    turn = await service.handle(MAYA, Text("what did you do this past year?"))
    assert "What did you do this past year?" in turn.replies[0].text
    answer = (
        "After not matching I took a research role in cardiology, wrote two abstracts and "
        "presented one poster. I learned to ask for feedback early, and I'm ready for "
        "internal medicine."
    )
    await service.handle(MAYA, Text(answer))
    turn = await service.handle(MAYA, Text("My progress"))
    shown = "\n".join(r.text for r in turn.replies)
    assert "Your practice so far" in shown and "1 typed" in shown


async def test_typed_yes_after_delete_erases_every_row(service: CoachService) -> None:
    from sqlalchemy import text

    await service.handle(MAYA_2, Command("start"))
    await service.handle(MAYA_2, Text("Maya"))
    await service.handle(MAYA_2, Command("delete"))
    turn = await service.handle(MAYA_2, Text("Yes"))
    assert "erased" in turn.replies[0].text
    async with service.db.engine.connect() as conn:
        answers = (await conn.execute(text("SELECT count(*) FROM answers"))).scalar()
    assert answers == 0


MAYA_2 = Who("telegram", "4343", "Maya")


# ---------------------------------------------------------------- commands typed nearly right


def test_a_command_typed_nearly_right_gets_a_short_did_you_mean() -> None:
    chat = CoachChat()
    onboard_us_md(chat)
    chat.command("chekin")
    assert chat.said == "I don't know /chekin. Did you mean /checkin?"
    assert "/postmortem" not in chat.said, "not the whole help page"
    chat.tap("Yes, /checkin")
    assert "Daily check-in" in chat.said
    chat.command("cancel")
    chat.command("setings")
    assert "Did you mean /settings?" in chat.said
    chat.text("yes")
    assert "What would you like to change?" in chat.said


def test_a_near_command_mid_question_keeps_the_question() -> None:
    chat = CoachChat()
    chat.command("start")
    chat.tap("Maya")
    chat.command("hlep")
    assert "Did you mean /help?" in chat.said
    assert "Which degree do you have?" in chat.said
    chat.tap("US DO")
    assert chat.profile["degree"] == "us_do"


def test_a_command_nothing_like_a_known_one_still_lists_them() -> None:
    chat = CoachChat()
    onboard_us_md(chat)
    chat.command("frobnicate")
    assert "I don't know /frobnicate" in chat.said and "/checkin" in chat.said
