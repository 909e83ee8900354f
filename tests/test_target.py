"""Choosing the target: the seed's pivot rule in plain words, a primary, a backup, a commitment."""

from __future__ import annotations

from conversations.messages import Press
from tests.coach_chat import CoachChat, onboard_us_md

FORBIDDEN = ("impossible", "never match", "give up", "hopeless")


def _clean(text: str) -> None:
    for word in FORBIDDEN:
        assert word not in text.lower(), word


def test_the_seed_example_reapplies_to_im_with_family_medicine_as_backup() -> None:
    chat = CoachChat()
    onboard_us_md(chat)
    chat.command("target")
    assert "Reapplying to Internal Medicine can make sense" in chat.said
    _clean(chat.said)
    chat.tap("Internal Medicine")
    assert "Family Medicine" in chat.said, "the suggested backup names FM"
    chat.tap("The suggestion above")
    assert "Primary: Internal Medicine (community-heavy list)" in chat.said
    chat.tap("I commit to this")
    assert "Committed" in chat.said
    target = chat.answers["target"]
    assert target["primary"] == "Internal Medicine (community-heavy list)"
    assert "Family Medicine" in target["backup"] and target["commit"] == "yes"
    assert "target_committed" in chat.events
    chat.command("profile")
    assert "Target: Internal Medicine (community-heavy list)" in chat.said


def _onboard_ortho_214(chat: CoachChat) -> None:
    onboard_us_md(chat)
    for section, label, answer in (
        ("Last cycle", "Specialty last cycle", "Orthopaedic Surgery"),
        ("Exams", "USMLE Step 2 CK", "214"),
    ):
        chat.command("profile")
        chat.tap(section)
        chat.tap(label)
        chat.text(answer)
    chat.command("profile")
    chat.tap("Record and letters")
    chat.tap("Home department support")
    chat.tap("None")
    assert chat.profile["specialty"] == "Orthopaedic Surgery" and chat.profile["step2"] == 214


def test_a_low_score_in_a_competitive_field_is_steered_toward_a_pivot_kindly() -> None:
    chat = CoachChat()
    _onboard_ortho_214(chat)
    chat.command("target")
    assert "strongly consider a pivot" in chat.said
    assert "214" in chat.said
    _clean(chat.said)
    assert "Stay with Orthopaedic Surgery" in chat.labels(), "the choice stays theirs"
    chat.tap("Psychiatry")
    chat.text("Prelim surgery year and reapply to psych")
    chat.tap("I commit")
    assert chat.answers["target"]["primary"] == "Psychiatry"
    assert chat.answers["target"]["backup"] == "Prelim surgery year and reapply to psych"


def test_not_yet_keeps_the_answers_and_a_later_run_asks_again() -> None:
    chat = CoachChat()
    onboard_us_md(chat)
    chat.command("target")
    chat.tap("Family Medicine")
    chat.tap("A prelim or transitional year")
    chat.tap("Not yet")
    assert "send /target when you're ready" in chat.said
    assert chat.answers["target"]["commit"] == "later"
    chat.command("target")
    assert chat.step == "primary", "a new run starts from the top"
    chat.text("pediatrics")
    assert chat.answers["target"]["primary"] == "Pediatrics"
    assert chat.step == "backup"


def test_target_needs_a_profile_first() -> None:
    chat = CoachChat()
    chat.command("target")
    assert "/start" in chat.said and chat.state.idle


def test_a_stale_target_button_after_committing_changes_nothing() -> None:
    chat = CoachChat()
    onboard_us_md(chat)
    chat.command("target")
    first = chat.last
    chat.tap("Internal Medicine")
    chat.tap("The suggestion above")
    chat.tap("I commit")
    assert first is not None
    turn = chat.send(Press(chat.button("Psychiatry", first).data))
    assert "already answered" in chat.said and "/target" in chat.said
    assert chat.answers["target"]["primary"].startswith("Internal Medicine")
    assert turn.toast == "Nothing changed"
