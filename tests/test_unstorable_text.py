"""Text no database can store (NUL, lone surrogates, control characters), cleaned on the way in.

PostgreSQL refuses a NUL in text and JSON (``CharacterNotInRepertoireError``), and neither
database can encode a lone UTF-16 surrogate. Whatever the transport, what the user typed is
cleaned before the coach sees it: control characters go (line breaks and tabs stay), invalid
code points become U+FFFD. They get a clear reply, never the apology, and the cleaned words
are what is stored.
"""

from __future__ import annotations

from sqlalchemy import text

from bot.service import CoachService, Who
from conversations import texts
from conversations.messages import Command, Other, Press, Text, Turn, clean_input, clean_text

MAYA = Who("telegram", "4343", "Maya")


def _said(turn: Turn) -> str:
    return "\n".join(r.text for r in turn.replies)


async def _answers(service: CoachService, who: Who = MAYA) -> list[tuple[str, str, str]]:
    async with service.db.unit_of_work() as repo:
        user = await repo.users.find(who.channel, who.external_id)
        assert user is not None
        user_id = user.id
    async with service.db.engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT key, raw_text, value FROM answers WHERE user_id = :u ORDER BY id"),
            {"u": user_id},
        )
        return [(k, raw, str(value)) for k, raw, value in rows.all()]


async def test_a_nul_in_an_answer_is_dropped_and_the_answer_kept(service: CoachService) -> None:
    await service.handle(MAYA, Command("start"))
    turn = await service.handle(MAYA, Text("Dr.\x00 Maya"))
    assert texts.SORRY_ERROR not in _said(turn)
    assert "Which degree do you have?" in _said(turn), "the answer was taken"
    [(key, raw, value)] = await _answers(service)
    assert (key, raw) == ("name", "Dr. Maya") and "Dr. Maya" in value


async def test_a_lone_surrogate_becomes_a_replacement_character(service: CoachService) -> None:
    await service.handle(MAYA, Command("start"))
    turn = await service.handle(MAYA, Text("Maya \ud800"))
    assert "Which degree do you have?" in _said(turn)
    [(key, raw, _)] = await _answers(service)
    assert (key, raw) == ("name", "Maya \ufffd")


async def test_only_control_characters_is_an_empty_message(service: CoachService) -> None:
    await service.handle(MAYA, Command("start"))
    turn = await service.handle(MAYA, Text("\x00\x01\x1b\x7f"))
    assert texts.EMPTY_TEXT in _said(turn)
    assert "what should I call you" in _said(turn), "the question is asked again"
    async with service.db.engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM answers"))).scalar() == 0


async def test_a_first_name_with_a_nul_is_stored_and_offered_cleaned(
    service: CoachService,
) -> None:
    sam = Who("telegram", "4344", "Sa\x00m\ud83d")
    turn = await service.handle(sam, Command("start"))
    labels = [b.label for r in turn.replies for row in r.buttons for b in row]
    assert "Sam\ufffd" in labels
    async with service.db.engine.connect() as conn:
        stored = (await conn.execute(text("SELECT first_name FROM users"))).scalar()
    assert stored == "Sam\ufffd"


def test_cleaning_keeps_what_people_write() -> None:
    kept = "Line one\n\tindented 😀 שלום مرحبا 👩‍⚕️ 🇺🇸 café"
    assert clean_text(kept) == kept
    assert clean_text("a\r\nb\rc") == "a\nb\nc"
    assert clean_text("\ud83d\ude00") == "😀", "a surrogate pair is joined, not replaced"
    assert clean_text("x\x00\x07\x1b[31m\x85\x9fy\udfff") == "x[31my\ufffd"


def test_every_kind_of_input_is_cleaned() -> None:
    assert clean_input(Text("a\x00b")) == Text("ab")
    assert clean_input(Command("sta\x00rt", "x\x00\ud800")) == Command("start", "x\ufffd")
    assert clean_input(Press("ob.degree.\x00us_md")) == Press("ob.degree.us_md")
    assert clean_input(Other("photo", caption="hi\x00")) == Other("photo", caption="hi")
    assert clean_input(Other("photo", caption="\x00")) == Other("photo", caption=None)
