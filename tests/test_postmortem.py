"""The post-mortem as a user lives it: sources, meetings and their nudges, notes, the list."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from conversations.features.postmortem import render_nudge
from tests.coach_chat import CoachChat, onboard_us_md


@pytest.fixture
def chat() -> CoachChat:
    chat = CoachChat()
    onboard_us_md(chat)  # the seed's example: US MD, IM, 45 programs, Central time, 7am
    return chat


def test_onboarding_ends_by_offering_the_post_mortem(chat: CoachChat) -> None:
    chat.tap("Start the post-mortem")
    assert "two weeks" in chat.said
    for line in ("1. Your dean's office: not booked yet", "4. Your own review: not yet"):
        assert line in chat.said
    assert "Build my Problems List" in chat.labels()


def test_each_source_hands_over_its_questions_and_what_to_send(chat: CoachChat) -> None:
    chat.command("postmortem")
    chat.tap("1. Your dean's office")
    assert "two main reasons I didn't match" in chat.said
    assert "MSPE" in chat.said
    assert "Send ahead: your ERAS application, your personal statement" in chat.said
    chat.tap("Back to the overview")
    chat.tap("2. A specialty advisor")
    assert "would you interview me" in chat.said
    assert "your transcript" in chat.said
    chat.tap("Back to the overview")
    chat.tap("3. Someone outside your specialty")
    assert "what story would this application tell" in chat.said


def test_a_meeting_date_plans_a_reminder_before_and_a_notes_nudge_after(chat: CoachChat) -> None:
    chat.command("postmortem")
    chat.tap("1. Your dean's office")
    chat.tap("Set the meeting date")
    chat.text("Dr. Ruiz, student affairs")
    chat.text("April 2")
    assert "meeting on Thu, Apr 2" in chat.said
    assert "remind you the day before" in chat.said
    # 7:00 in Chicago, on daylight time in April: 12:00 UTC.
    assert [(n.kind, n.due_at) for n in chat.nudges("pm:")] == [
        ("pm_meeting_before", datetime(2026, 4, 1, 12, 0, tzinfo=UTC)),
        ("pm_notes_after", datetime(2026, 4, 3, 12, 0, tzinfo=UTC)),
    ]
    assert chat.nudges("pm:")[0].payload["source"] == "dean"
    assert chat.nudges("pm:")[0].payload["meeting"] == "2026-04-02"

    chat.tap("1. Your dean's office")
    chat.tap("Set the meeting date")
    chat.command("skip")
    chat.text("April 6")
    assert [n.due_at.day for n in chat.nudges("pm:")] == [5, 7], (
        "a new date re-plans, nothing doubles"
    )


def test_not_booked_yet_plans_nothing(chat: CoachChat) -> None:
    chat.command("postmortem")
    chat.tap("2. A specialty advisor")
    chat.tap("Set the meeting date")
    chat.command("skip")
    chat.tap("Not booked yet")
    assert chat.nudges("pm:") == []
    assert "Book it when you can" in chat.said


def test_a_date_in_the_past_or_far_away_is_refused(chat: CoachChat) -> None:
    chat.command("postmortem")
    chat.tap("1. Your dean's office")
    chat.tap("Set the meeting date")
    chat.command("skip")
    chat.text("December 1 2026")
    assert chat.step == "date"
    assert "Pick a date" in chat.said


def test_notes_are_kept_word_for_word(chat: CoachChat) -> None:
    chat.command("postmortem")
    chat.tap("2. A specialty advisor")
    chat.tap("Record what they said")
    words = "Honestly? Your letters were generic.\nYou should apply much more broadly, especially community programs."
    chat.text(words)
    chat.command("skip")
    chat.text("A year of IM research with a letter from the PI.")
    assert chat.answers["pm_notes_advisor"]["advisor_interview"] == words
    assert chat.answers["pm_notes_advisor"]["advisor_rank"] is None
    assert "2. A specialty advisor: notes saved ✓" in chat.said


def _self_review_none(chat: CoachChat) -> None:
    chat.command("postmortem")
    chat.tap("4. My own review")
    for _ in range(4):
        chat.tap("None of these")
        chat.tap("Done")


def test_the_seed_example_becomes_its_problems_list(chat: CoachChat) -> None:
    _self_review_none(chat)
    assert "Your own review is saved" in chat.said
    chat.tap("Build my Problems List")
    assert chat.said.index("Too few programs") < chat.said.index("A list too academic and coastal")
    assert "You applied to 45 programs for Internal Medicine." in chat.said
    assert "No standout letters" in chat.said
    assert "Also noted: Not much that makes you stand out yet" in chat.said
    assert "first draft comes from your profile" in chat.said
    chat.tap("This is right")
    [pdf] = chat.documents()
    assert pdf.filename == "problems-list-2026-03-25.pdf" and pdf.content.startswith(b"%PDF")
    saved = chat.problems_lists[-1]
    assert [f["code"] for f in saved["top"]] == ["too_few_programs", "narrow_list", "weak_letters"]
    assert saved["made_on"] == "2026-03-25"
    assert "Next: choose my target" in chat.labels()


def test_the_user_reorders_drops_promotes_and_adds(chat: CoachChat) -> None:
    chat.command("postmortem")
    chat.tap("Build my Problems List")
    chat.tap("Move 3 up")
    assert chat.said.index("No standout letters") < chat.said.index("A list too academic")
    chat.tap("Drop 1")
    assert "Also noted: Too few programs" in chat.said
    chat.tap("Not much that makes you stand out")  # promoted from "also noted"
    chat.tap("Add my own")
    chat.tap("Experience and letters")
    chat.text("No letter from an internist")
    assert "Added under “Also noted”" in chat.said and "No letter from an internist" in chat.said
    chat.tap("This is right")
    saved = chat.problems_lists[-1]
    assert [f["title"] for f in saved["top"]] == [
        "No standout letters",
        "A list too academic and coastal",
        "Not much that makes you stand out yet",
    ]
    added = saved["others"][-1]
    assert (added["title"], added["bucket"], added["source"]) == (
        "No letter from an internist",
        "experience",
        "user",
    ), "the list was full, so the user's own item waits in 'also noted'"


def test_forged_or_stale_list_buttons_change_nothing(chat: CoachChat) -> None:
    chat.command("postmortem")
    chat.tap("Build my Problems List")
    before = chat.answers["postmortem"]["draft"]
    for data in ["@pm.up.9", "@pm.drop.x", "@pm.promote.nope", "@pm.zzz"]:
        from conversations.messages import Press

        turn = chat.send(Press(data))
        assert turn.replies and "couldn't read that button" in chat.said
    assert chat.answers["postmortem"]["draft"] == before


def test_a_list_button_tapped_twice_acts_once(chat: CoachChat) -> None:
    """A double tap on "Drop 1" dropped the first two items, and one on "Move 3 up" moved
    it up and back: the buttons named a place in the list, not the item shown there."""
    from conversations.messages import Press

    chat.command("postmortem")
    chat.tap("Build my Problems List")
    drop = chat.button("Drop 1")
    chat.send(Press(drop.data))
    once = chat.answers["postmortem"]["draft"]
    assert [f["code"] for f in once["top"]] == ["narrow_list", "weak_letters"]
    chat.send(Press(drop.data))
    assert chat.answers["postmortem"]["draft"] == once, "the second tap changed nothing"

    chat.command("postmortem")
    chat.tap("Build my Problems List")
    up = chat.button("Move 3 up")
    chat.send(Press(up.data))
    once = chat.answers["postmortem"]["draft"]
    assert [f["code"] for f in once["top"]] == ["too_few_programs", "weak_letters", "narrow_list"]
    chat.send(Press(up.data))
    assert chat.answers["postmortem"]["draft"] == once


def test_list_buttons_with_digits_int_cannot_read_change_nothing(chat: CoachChat) -> None:
    """Found by tests/test_properties.py: "²" is a digit to ``str.isdigit`` but not to
    ``int``, and a forged "@pm.drop.²" raised instead of being refused."""
    from conversations.messages import Press

    chat.command("postmortem")
    chat.tap("Build my Problems List")
    before = chat.answers["postmortem"]["draft"]
    for data in ["@pm.drop.²", "@pm.up.²", "@pm.up.٢", "@pm.drop." + "1" * 5000]:
        chat.send(Press(data))
        assert "couldn't read that button" in chat.said
    assert chat.answers["postmortem"]["draft"] == before


def test_problems_reopens_the_saved_list_with_its_pdf(chat: CoachChat) -> None:
    chat.command("problems")
    assert "haven't built a Problems List yet" in chat.said
    chat.command("postmortem")
    chat.tap("Build my Problems List")
    chat.tap("This is right")
    chat.command("problems")
    assert "Your Problems List from March 25" in chat.said
    assert chat.documents()[0].content.startswith(b"%PDF")


def test_feedback_notes_sharpen_the_list(chat: CoachChat) -> None:
    chat.command("postmortem")
    chat.tap("2. A specialty advisor")
    chat.tap("Record what they said")
    chat.text("Your letters were generic and you should apply much more broadly.")
    chat.command("skip")
    chat.command("skip")
    chat.tap("Build my Problems List")
    assert "Your advisor said" in chat.said or "advisor" in chat.said.lower()
    assert "first draft comes from your profile" not in chat.said


def test_the_meeting_nudges_read_well() -> None:
    before = render_nudge("pm_meeting_before", {"source": "advisor", "meeting": "2026-04-02"})
    assert before is not None and "Tomorrow" in before.text and "rank me" in before.text
    after = render_nudge("pm_notes_after", {"source": "dean", "meeting": "2026-04-02"})
    assert after is not None and "write down what they said" in after.text
    assert after.buttons[0][0].data == "@pm.notes.dean"
    assert render_nudge("pm_notes_after", {"source": "nobody"}) is None


def test_crisis_words_in_notes_are_answered_first_and_not_stored(chat: CoachChat) -> None:
    chat.command("postmortem")
    chat.tap("1. Your dean's office")
    chat.tap("Record what they said")
    chat.text("after that meeting I honestly want to die")
    assert "988" in chat.said
    assert "pm_notes_dean" not in chat.answers
    assert chat.step == "dean_top2"
