"""What holds for every reply the coach can give: read off a tour of every flow
(``tests/tour.py``), every button pressed once."""

from __future__ import annotations

from conversations.messages import SCREEN_CHARS, Button, Reply, phone_sized
from tests.tour import everything_seen


def test_no_reply_with_buttons_is_longer_than_a_phone_screen() -> None:
    too_long = {
        (seen.persona, seen.where, len(seen.reply.text))
        for seen in everything_seen()
        if seen.reply.buttons and len(seen.reply.text) > SCREEN_CHARS
    }
    assert not too_long, sorted(too_long)[:10]


def test_a_long_reply_ends_with_the_question_and_its_buttons() -> None:
    report = "\n".join(f"Line {i}: " + " ".join(["words"] * 12) for i in range(40))
    question = "Which one will you change first?"
    buttons = ((Button("This one", "x.y.z"),),)
    parts = phone_sized((Reply(f"{report}\n\n{question}", buttons, edit=True),))
    assert len(parts) >= 2
    *before, last = parts
    assert last.text.endswith(question) and last.buttons == buttons
    assert len(last.text) <= SCREEN_CHARS and not last.edit
    assert all(not p.buttons for p in before)
    joined = "\n\n".join(p.text for p in parts).replace("\n\n", "\n")
    assert joined == f"{report}\n{question}", "nothing is lost or repeated"


def test_short_replies_and_documents_are_left_alone() -> None:
    short = Reply("Which one?", ((Button("A", "a.b.c"),),))
    assert phone_sized((short,)) == (short,)
    plain = Reply("x" * 5000)
    assert phone_sized((plain,)) == (plain,), "no buttons: the transport splits at 4,096"
