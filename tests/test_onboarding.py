"""Onboarding as a user lives it: questions, refusals, /back, /skip, /cancel, resume, edits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from conversations.coach import CoachConfig
from conversations.engine import Context
from conversations.features.onboarding.questions import ONBOARDING
from conversations.messages import Press
from tests.coach_chat import CoachChat, onboard_us_md


@pytest.fixture
def chat() -> CoachChat:
    return CoachChat()


def test_start_greets_warmly_and_asks_the_first_question(chat: CoachChat) -> None:
    chat.command("start")
    assert "Hi Maya" in chat.said
    assert "12 months" in chat.said
    assert "private" in chat.said and "/delete" in chat.said
    assert "what should I call you" in chat.said
    assert chat.labels() == ["Maya", "Skip"]
    assert chat.step == "name"


def test_the_seed_profile_is_stored_with_parsed_values(chat: CoachChat) -> None:
    onboard_us_md(chat)
    p = chat.profile
    assert p["degree"] == "us_md"
    assert p["specialty"] == "Internal Medicine"
    assert p["programs_applied"] == 45
    assert p["program_mix"] == "academic"
    assert p["geography"] == "coastal"
    assert p["interviews"] == 4
    assert p["step1"] == "pass"
    assert p["step2"] == 223
    assert p["exam_failures"] == ["none"]
    assert p["red_flags"] == ["none"]
    assert p["letters_count"] == 3
    assert p["timezone"] == "America/Chicago"
    assert p["start_date"] == "2026-03-25"
    assert p["checkin_time"] == "07:00"
    assert "comlex1" not in p and "usce_months" not in p
    assert chat.state.idle
    assert "post-mortem" in chat.said
    assert "onboarding_finished" in chat.events


def test_raw_text_is_kept_beside_the_parsed_value(chat: CoachChat) -> None:
    onboard_us_md(chat)
    by_key = {s.key: s for s in chat.saved}
    assert by_key["step2"].raw_text == "223" and by_key["step2"].value == 223
    assert by_key["checkin_time"].raw_text == "7am" and by_key["checkin_time"].value == "07:00"
    assert by_key["degree"].raw_text == "US MD"


def _go_to(chat: CoachChat, step: str) -> None:
    """Answer with the seed profile until the question ``step`` is asked."""
    answers = iter(
        [
            ("tap", "Maya"),
            ("tap", "US MD"),
            ("tap", "Internal Medicine"),
            ("text", "45"),
            ("tap", "Mostly academic"),
            ("tap", "Mostly coastal"),
            ("text", "4"),
            ("tap", "No, I didn't"),
            ("tap", "Passed"),
            ("text", "223"),
        ]
    )
    chat.command("start")
    while chat.step != step:
        how, what = next(answers)
        chat.tap(what) if how == "tap" else chat.text(what)


@pytest.mark.parametrize(
    ("step", "bad", "reason", "good", "stored"),
    [
        ("step2", "400", "1 to 300", "231", 231),
        ("step2", "two hundred", "1 to 300", "231", 231),
        ("programs_applied", "lots", "1", "60", 60),
        ("programs_applied", "12.5", "whole number", "12", 12),
        ("interviews", "50", "more interviews than the 45", "3", 3),
    ],
)
def test_a_refused_answer_says_why_and_keeps_the_question(
    chat: CoachChat, step: str, bad: str, reason: str, good: str, stored: int
) -> None:
    _go_to(chat, step)
    chat.text(bad)
    assert reason.lower() in chat.said.lower()
    assert chat.step == step, "a refusal keeps the user on the same question"
    assert step not in chat.profile
    chat.text(good)
    assert chat.profile[step] == stored
    assert chat.step != step


def test_comlex_scores_are_three_digits(chat: CoachChat) -> None:
    chat.command("start")
    chat.tap("Maya")
    chat.tap("US DO")
    assert chat.step == "specialty"
    chat.tap("Family Medicine")
    chat.text("80")
    chat.tap("About half")
    chat.tap("Spread out")
    chat.text("6")
    chat.tap("Yes, no position")
    assert chat.step == "comlex1"
    chat.tap("Passed")
    assert chat.step == "comlex2"
    chat.text("95")
    assert "3 digits" in chat.said or "100" in chat.said
    chat.text("512")
    assert chat.profile["comlex2"] == 512
    assert chat.step == "took_usmle"
    chat.tap("No")
    assert chat.step == "exam_failures", "a DO without USMLE is not asked Step scores"


def test_an_img_is_asked_about_us_clinical_experience() -> None:
    chat = CoachChat()
    chat.command("start")
    chat.tap("Maya")
    chat.tap("International")
    keys = [q.key for q in ONBOARDING.relevant(chat_ctx(chat))]
    assert "usce_months" in keys and "comlex1" not in keys


def chat_ctx(chat: CoachChat) -> Context:

    return Context(answers=chat.profile, now_utc=chat.now, first_name=chat.first_name)


def test_clock_times_are_read_in_many_forms() -> None:
    for typed, stored in [
        ("7am", "07:00"),
        ("07:00", "07:00"),
        ("19:30", "19:30"),
        ("7:30 pm", "19:30"),
    ]:
        chat = CoachChat()
        onboard_until_checkin(chat)
        chat.text(typed)
        assert chat.profile["checkin_time"] == stored, typed


def onboard_until_checkin(chat: CoachChat) -> None:
    onboard_us_md(chat)
    chat.command("profile")
    chat.tap("Time and schedule")
    chat.tap("Daily check-in time")
    assert chat.step == "checkin_time"


def test_a_wrong_time_is_refused_with_examples() -> None:
    chat = CoachChat()
    onboard_until_checkin(chat)
    chat.text("25:00")
    assert chat.step == "checkin_time"
    assert "7" in chat.said  # an example of a time that works


def test_back_goes_one_question_back_and_then_returns(chat: CoachChat) -> None:
    _go_to(chat, "interviews")
    chat.command("back")
    assert chat.step == "geography"
    assert "Going back" in chat.said
    assert "Saved answer: Mostly coastal" in chat.said
    chat.tap("Spread out")
    assert chat.profile["geography"] == "spread"
    assert chat.step == "interviews", "after re-answering, the user is back where they were"


def test_back_at_the_first_question_explains(chat: CoachChat) -> None:
    chat.command("start")
    chat.command("back")
    assert chat.step == "name"
    assert "first question" in chat.said


def test_skip_passes_optional_questions_only(chat: CoachChat) -> None:
    chat.command("start")
    chat.command("skip")
    assert chat.profile["name"] is None
    assert chat.step == "degree"
    chat.command("skip")
    assert chat.step == "degree"
    assert "can't be skipped" in chat.said
    assert "degree" not in chat.profile


def test_cancel_keeps_answers_and_start_offers_to_continue(chat: CoachChat) -> None:
    _go_to(chat, "interviews")
    chat.command("cancel")
    assert chat.state.idle
    assert "saved" in chat.said.lower()
    assert chat.profile["programs_applied"] == 45
    chat.command("start")
    assert "Welcome back" in chat.said
    assert chat.profile["programs_applied"] == 45, "/start never wipes data"
    chat.tap("Continue where I left off")
    assert chat.step == "interviews"


def test_start_again_after_onboarding_wipes_nothing(chat: CoachChat) -> None:
    onboard_us_md(chat)
    before = dict(chat.profile)
    chat.command("start")
    assert "Welcome back" in chat.said and "nothing was reset" in chat.said
    assert chat.profile == before
    chat.tap("Review my profile")
    assert "Specialty last cycle: Internal Medicine" in chat.said


def test_profile_shows_answers_and_changes_a_single_one(chat: CoachChat) -> None:
    onboard_us_md(chat)
    chat.command("profile")
    assert "USMLE Step 2 CK: 223" in chat.said
    assert "Time zone: Central time (America/Chicago)" in chat.said
    chat.tap("Exams")
    assert "USMLE Step 2 CK: 223" in chat.said and "Degree" not in chat.said
    chat.tap("USMLE Step 2 CK")
    assert chat.step == "step2"
    assert "Changing: USMLE Step 2 CK" in chat.said
    chat.text("229")
    assert chat.profile["step2"] == 229
    assert "Updated" in chat.said and "USMLE Step 2 CK: 229" in chat.said
    assert chat.state.idle


def test_the_profile_fits_a_phone_screen_in_sections(chat: CoachChat) -> None:
    onboard_us_md(chat)
    chat.command("profile")
    [reply] = chat.last.replies  # type: ignore[union-attr]
    assert len(reply.buttons) <= 4 and all(len(row) >= 2 for row in reply.buttons)
    assert [b.label for row in reply.buttons for b in row] == [
        "About you",
        "Last cycle",
        "Exams",
        "Record and letters",
        "Research and experience",
        "Time and schedule",
    ]
    assert "Last cycle\n• Specialty last cycle: Internal Medicine" in chat.said
    for section in chat.labels():
        chat.command("profile")
        chat.tap(section)
        [reply] = chat.last.replies  # type: ignore[union-attr]
        assert len(reply.buttons) <= 4, section
        assert reply.buttons[-1][0].label == "⬅ My whole profile"
    chat.tap("My whole profile")
    assert chat.said.startswith("Your profile:")


def test_every_onboarding_question_is_in_one_profile_section() -> None:
    from conversations.features.onboarding.feature import SECTIONS

    placed = [key for _, _, keys in SECTIONS for key in keys]
    assert sorted(placed) == sorted(q.key for q in ONBOARDING.questions)


def test_changing_degree_asks_what_became_relevant(chat: CoachChat) -> None:
    onboard_us_md(chat)
    chat.command("profile")
    chat.tap("About you")
    chat.tap("Degree")
    chat.tap("International")
    assert chat.step == "usce_months", "an IMG profile needs US clinical experience"
    chat.tap("6")
    assert chat.profile["usce_months"] == 6
    assert "US clinical experience (months): 6" in chat.said


def test_multi_select_ticks_boxes_in_place_and_none_is_exclusive(chat: CoachChat) -> None:
    onboard_us_md(chat)
    chat.command("profile")
    chat.tap("Record and letters")
    chat.tap("Red flags")
    chat.tap("Leave of absence")
    assert chat.last is not None and chat.last.replies[0].edit
    assert "✅ Leave of absence" in chat.labels()
    chat.tap("Repeated a year")
    chat.tap("None of these")
    assert "✅ None of these" in chat.labels()
    assert "▫️ Leave of absence" in chat.labels(), "none clears the others"
    chat.tap("Leave of absence")
    chat.tap("Professionalism")
    chat.tap("Done")
    assert chat.profile["red_flags"] == ["loa", "professionalism"]


def test_multi_select_can_be_typed(chat: CoachChat) -> None:
    onboard_us_md(chat)
    chat.command("profile")
    chat.tap("Record and letters")
    chat.tap("Red flags")
    chat.text("Leave of absence, repeated a year")
    assert chat.profile["red_flags"] == ["loa", "repeat_year"]


def test_time_zone_is_confirmed_and_can_be_changed(chat: CoachChat) -> None:
    onboard_us_md(chat)
    chat.command("profile")
    chat.tap("Time and schedule")
    chat.tap("Time zone")
    chat.text("Lagos")
    assert "Africa/Lagos" in chat.said and "Is that right" in chat.said
    assert chat.profile["timezone"] == "America/Chicago", "nothing is stored before the yes"
    chat.tap("No, change it")
    assert chat.step == "timezone"
    chat.text("UTC+5:30")
    chat.text("yes")
    assert chat.profile["timezone"] == "UTC+05:30"


def test_unknown_zone_is_refused_kindly(chat: CoachChat) -> None:
    onboard_us_md(chat)
    chat.command("profile")
    chat.tap("Time and schedule")
    chat.tap("Time zone")
    chat.text("Narnia")
    assert chat.step == "timezone"
    assert "UTC" in chat.said


def test_start_date_defaults_to_today_in_the_users_zone() -> None:
    late_evening_in_chicago = datetime(2026, 3, 26, 3, 30, tzinfo=UTC)  # 22:30 on Mar 25 there
    chat = CoachChat(now=late_evening_in_chicago)
    onboard_us_md(chat)
    assert chat.profile["start_date"] == "2026-03-25"


def test_double_tap_on_an_answered_button_is_acknowledged_not_repeated(chat: CoachChat) -> None:
    chat.command("start")
    chat.tap("Maya")
    degree_turn = chat.last
    chat.tap("US MD")
    assert chat.step == "specialty"
    again = chat.send(Press(chat.button("US MD", degree_turn).data))
    assert again.toast == "Already saved ✓"
    assert chat.step == "specialty"
    other = chat.send(Press(chat.button("US DO", degree_turn).data))
    assert "already answered" in chat.said and "US MD" in chat.said
    assert other.replies[-1].text.endswith(ONBOARDING.questions[2].prompt_for(chat_ctx(chat)))
    assert chat.profile["degree"] == "us_md"


def test_forged_button_changes_nothing(chat: CoachChat) -> None:
    chat.command("start")
    chat.tap("Maya")
    for data in ["ob.degree.phd", "zz.degree.us_md", "ob.nosuch.x", "@edit.nosuch", "", "💥" * 10]:
        turn = chat.send(Press(data))
        assert turn.replies, f"a forged button gets an answer: {data!r}"
        assert chat.step == "degree"
        assert "degree" not in chat.profile


def test_stickers_and_photos_get_a_kind_line_and_the_same_question(chat: CoachChat) -> None:
    _go_to(chat, "programs_applied")
    for kind in ["sticker", "photo", "location", "voice", "document"]:
        chat.other(kind)
        assert "can't use" in chat.said
        assert "How many programs" in chat.said
        assert chat.step == "programs_applied"


def test_empty_and_huge_messages_are_answered(chat: CoachChat) -> None:
    _go_to(chat, "programs_applied")
    chat.text("   ")
    assert "didn't catch" in chat.said and "How many programs" in chat.said
    chat.text("9" * 5000)
    assert "5,000 characters" in chat.said and "4,096" in chat.said
    assert chat.step == "programs_applied"


def test_commands_mid_flow_keep_the_place(chat: CoachChat) -> None:
    _go_to(chat, "programs_applied")
    chat.command("help")
    assert "/profile" in chat.said and "How many programs" in chat.said
    chat.command("frobnicate")
    assert "I don't know /frobnicate" in chat.said
    chat.command("profile")
    assert "Degree: US MD" in chat.said
    assert chat.step == "programs_applied"
    chat.text("50")
    assert chat.profile["programs_applied"] == 50


def test_crisis_language_mid_flow_is_answered_first_and_keeps_the_place() -> None:
    config = CoachConfig(crisis_lines=("US: call or text 988", "Kenya: call 1199"))
    chat = CoachChat(config=config)
    _go_to(chat, "programs_applied")
    before = chat.state
    chat.text("honestly I want to kill myself")
    assert "988" in chat.said and "Kenya: call 1199" in chat.said
    # The place is kept (the state only remembers the crisis reply's buttons, for typing).
    assert (chat.state.flow, chat.state.step) == (before.flow, before.step)
    assert {k: v for k, v in chat.state.data.items() if k != "keyboard"} == {
        k: v for k, v in before.data.items() if k != "keyboard"
    }
    assert "programs_applied" not in chat.profile
    assert "crisis_support_shown" in chat.events
    chat.tap("Continue when I'm ready")
    assert "How many programs" in chat.said


def test_crisis_in_a_photo_caption_is_answered() -> None:
    chat = CoachChat()
    chat.command("start")
    chat.other("photo", caption="i don't want to be alive anymore")
    assert "988" in chat.said


def test_delete_needs_a_confirmation(chat: CoachChat) -> None:
    onboard_us_md(chat)
    chat.command("delete")
    assert "can't be undone" in chat.said
    chat.tap("No, keep my data")
    assert not chat.deleted and "Nothing was deleted" in chat.said
    chat.command("delete")
    ask = chat.last
    chat.tap("Yes, delete everything")
    assert chat.deleted and "erased" in chat.said
    assert chat.send(Press(chat.button("Yes, delete", ask).data)).replies
    assert "expired" in chat.said


def test_export_is_requested(chat: CoachChat) -> None:
    chat.command("start")
    chat.command("export")
    assert chat.exports == 1
    assert chat.step == "name"


def test_every_question_builds_valid_buttons() -> None:
    """Every button's data fits Telegram's 64 bytes (Button refuses more) and is unique."""
    chat = CoachChat()
    onboard_us_md(chat)
    ctx = chat_ctx(chat)
    from conversations.engine import ask

    for q in ONBOARDING.questions:
        reply = ask(ONBOARDING, q, ctx)
        data = [b.data for row in reply.buttons for b in row]
        assert len(data) == len(set(data)), q.key


def test_every_command_in_the_menu_is_understood() -> None:
    from conversations.texts import COMMANDS

    chat = CoachChat()
    onboard_us_md(chat)
    for name, _ in COMMANDS:
        chat.command(name)
        assert "I don't know" not in chat.said, name
        chat.command("cancel")
