"""The Problems List editor: each item's buttons name the item, confirming is never one
renumbered tap away, the list is edited in place, and what you add survives a rebuild."""

from __future__ import annotations

from conversations.messages import Press
from tests.coach_chat import CoachChat, onboard_us_md


def _editor() -> CoachChat:
    chat = CoachChat()
    onboard_us_md(chat)
    chat.command("postmortem")
    chat.tap("Build my Problems List")
    return chat


def _datas(chat: CoachChat) -> list[str]:
    assert chat.last is not None
    return [b.data for r in chat.last.replies for row in r.buttons for b in row]


def test_the_editor_keeps_each_items_buttons_and_confirm_first_whatever_moves() -> None:
    chat = _editor()
    before = _datas(chat)
    assert chat.labels()[0] == "This is right ✓", "confirm sits first, where nothing moves to"
    chat.tap("Drop 1")
    after = _datas(chat)
    assert chat.labels()[0] == "This is right ✓"
    # The item that was second keeps its buttons: they name the item, not its place.
    assert "@pm.drop.narrow_list" in before and "@pm.drop.narrow_list" in after
    assert all(not d.split(".")[-1].isdigit() for d in after if d.startswith("@pm.drop"))


def test_a_confirm_from_before_a_change_saves_nothing() -> None:
    chat = _editor()
    stale_ok = chat.button("This is right").data
    chat.tap("Drop 2")
    chat.send(Press(stale_ok))
    assert chat.problems_lists == [], "a tap on the old list's confirm never saves the new one"
    assert "changed since" in chat.said
    assert "most urgent first" in chat.said, "the list as it is now, to confirm"
    chat.tap("This is right")
    assert len(chat.problems_lists) == 1
    assert len(chat.problems_lists[0]["top"]) == 2


def test_moves_and_drops_edit_the_list_in_place() -> None:
    chat = _editor()
    chat.tap("Move 2 up")
    assert chat.last is not None and [r.edit for r in chat.last.replies] == [True]
    assert chat.said.index("A list too academic") < chat.said.index("Too few programs")
    chat.tap("Drop 1")
    assert chat.last is not None and [r.edit for r in chat.last.replies] == [True]


def test_your_own_item_survives_a_rebuild() -> None:
    chat = _editor()
    chat.tap("Drop 3")
    chat.tap("Add my own")
    chat.tap("Experience and letters")
    chat.text("No letter from an internist")
    assert "No letter from an internist" in chat.said
    chat.command("postmortem")
    chat.tap("Build my Problems List")
    assert "No letter from an internist" in chat.said, "a rebuild keeps what you added"
    chat.text("this is right")
    titles = [f["title"] for f in chat.problems_lists[-1]["top"]]
    assert "No letter from an internist" in titles
