"""Interview practice as a user lives it: the menu, a typed answer, a voice note, progress."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.coach_chat import CoachChat, onboard_us_md

STRONG = (
    "I did not match last cycle, which was hard but clarifying. "
    "Since then I have worked full-time as a research fellow in the internal medicine "
    "department at a midwestern academic center, where I led a heart failure readmissions "
    "project, submitted two abstracts to the regional ACP meeting and submitted one manuscript. "
    "I attend weekly conferences and present at journal club every month. "
    "This year deepened my interest in internal medicine through following patients over time, "
    "and I am ready to bring that to residency."
)


@pytest.fixture
def chat() -> CoachChat:
    chat = CoachChat()
    onboard_us_md(chat)
    return chat


def test_the_menu_offers_the_red_flag_question_only_with_a_red_flag(chat: CoachChat) -> None:
    chat.command("practice")
    assert "Explaining my red flag" not in chat.labels()
    assert "“What did you do this past year?”" in chat.labels()
    chat.command("profile")
    chat.tap("Record and letters")
    chat.tap("Red flags")
    chat.tap("Course or clerkship failure")
    chat.tap("Done")
    chat.command("practice")
    assert "Explaining my red flag" in chat.labels()
    chat.tap("Explaining my red flag")
    assert "walk me through" in chat.said and "clerkship" in chat.said.lower()
    chat.text(
        "During my third year I failed my medicine clerkship because I struggled with time "
        "management. I met with the clerkship director, completed a remediation rotation, and "
        "have since completed every rotation without concerns."
    )
    assert chat.practice[-1]["question"] == "red_flag"
    assert "⚠️" not in chat.said, "an owned, resolved explanation raises no flag"


def test_a_typed_answer_gets_a_report_a_scaffold_and_is_stored(chat: CoachChat) -> None:
    chat.command("practice")
    chat.tap("What did you do this past year")
    assert "What did you do this past year?" in chat.said
    assert chat.step == "answer"
    chat.text(STRONG)
    said = chat.said
    assert said.count("✅") >= 5, said
    assert "scaffold" in said.lower()
    assert "“I did not match last cycle" in said, "quotes the words that earned the check"
    assert chat.state.idle
    assert {"Try again", "Another question", "My progress"} <= set(chat.labels())
    [attempt] = chat.practice
    assert attempt["question"] == "past_year" and attempt["answer"] == STRONG


def test_a_voice_note_is_timed_then_the_typed_version_is_asked_for(chat: CoachChat) -> None:
    chat.command("practice")
    chat.tap("What did you do this past year")
    chat.voice(75)
    assert "75" in chat.said and "type what you said" in chat.said
    assert chat.step == "answer", "the question stays open for the typed version"
    chat.voice(200)
    assert "200" in chat.said
    assert [a["seconds"] for a in chat.practice] == [75, 200]
    chat.text(STRONG)
    assert chat.state.idle and len(chat.practice) == 3


def test_a_voice_note_outside_practice_is_gently_refused(chat: CoachChat) -> None:
    chat.voice(30)
    assert "voice note" in chat.said and chat.practice == []


def test_progress_shows_what_improved(chat: CoachChat) -> None:
    chat.command("practice")
    chat.tap("What did you do this past year")
    chat.text("I guess the programs just didn't give me a chance. I'm hardworking and passionate.")
    chat.now += timedelta(days=3)
    chat.tap("Try again")
    chat.text(STRONG)
    assert "Since last time:" in chat.said
    chat.command("practice", "history")
    assert "Your practice so far" in chat.said
    assert "2 typed" in chat.said
    assert "Since your first attempt:\nNow in place: " in chat.said


def test_progress_never_counts_a_step_back_as_an_improvement(chat: CoachChat) -> None:
    chat.command("practice")
    chat.tap("What did you do this past year")
    chat.text(STRONG)  # every part in place
    chat.tap("Try again")
    chat.text("I guess the programs just didn't give me a chance. I'm hardworking.")
    chat.tap("Try again")
    chat.text("Nervous.")  # one word: nothing to judge
    chat.command("practice", "history")
    since = chat.said.split("Since your first attempt:\n", 1)[1]
    assert "Now in place" not in since and "Getting closer" not in since
    assert "Worth another look: Brief acknowledgement first; Growth, with concrete results" in since
    assert "(it was stronger in your first attempt)" in since
    # Blame, then too few words to judge the tone: neither better nor worse.
    said_before = chat.said
    chat.tap("Practise again")
    chat.tap("Tell me about not matching")
    chat.text("It was not my fault, the programs were unfair to me and never gave me a chance.")
    chat.tap("Try again")
    chat.text("Nervous.")
    assert "Getting closer: Calm, factual tone" not in chat.said
    assert said_before


def test_commands_and_crisis_still_work_mid_answer(chat: CoachChat) -> None:
    chat.command("practice")
    chat.tap("Where did you match")
    chat.command("help")
    assert "/practice" in chat.said and chat.step == "answer"
    chat.text("honestly I want to die every time someone asks")
    assert "988" in chat.said and chat.practice == []
    chat.text(
        "I didn't match this year, so I'm doing research while I reapply. How's your new job?"
    )
    assert chat.practice and chat.practice[-1]["question"] == "where_matched"
