"""The personal statement (/statement) as a user lives it: the outline, a draft pasted in parts
or sent as a file, feedback quoting their own words, versions, readers, the plan's milestone,
/export, and the Telegram side that hands a document to the coach."""

from __future__ import annotations

import io
import logging
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import docx
import pytest

from bot.effects import Store, apply, export_file
from bot.telegram_bot import MAX_DOCUMENT_BYTES, other_input
from conversations.messages import Other, PutRecord, Turn
from conversations.rules import statement as rules
from storage.db import Database
from tests.coach_chat import CoachChat, onboard_us_md

DOCX = rules.DOCX_MIME

# The seed's worked example: an IM reapplicant after a year of IM research (heart failure
# outcomes, a readmissions QI project, abstracts and a manuscript), following patients over time.
STORY = (
    "On my medicine sub-internship I cared for Mr. L, a man in his sixties admitted for the "
    "third time in two months with heart failure. When I sat with him before discharge I "
    "learned he could not afford two of his medications and had no scale at home. I called "
    "the pharmacy, found a cheaper regimen with his resident, and arranged a scale through "
    "our social worker. He was not readmitted that quarter. That week showed me what internal "
    "medicine is: the diagnosis matters, and so does everything that happens after the "
    "patient leaves. "
)
YEAR = (
    "After not matching on my first attempt, I spent the past year working full-time as a "
    "research fellow in the Department of Medicine at a midwestern academic center, where I "
    "led a QI project on heart failure readmissions and managed a database of 500 patients. "
    "Our team improved follow-up compliance by 18%, I submitted two abstracts to the regional "
    "ACP meeting, and I took over a stalled manuscript and pushed it to submission. This year "
    "reinforced my commitment to internal medicine and strengthened my clinical reasoning and "
    "teamwork. "
)
# Plain, neutral sentences that lengthen a draft without adding or removing any check.
FILLER = (
    "Each Tuesday I reviewed the discharge list with our nurse coordinator and called the "
    "patients who had missed a visit. "
)


def _draft(words: int, head: str = STORY + YEAR) -> str:
    text = head
    while rules.count_words(text) < words:
        text += FILLER
    return text.strip()


GOOD = _draft(790)  # in the 750-850 range
GOOD_WORDS = rules.count_words(GOOD)


def _halves(text: str, *, mid_sentence: bool = False) -> tuple[str, str]:
    """The text as Telegram might deliver a long paste: two messages under 4,096 characters,
    cut between sentences, or inside one."""
    middle = len(text) // 2
    if mid_sentence:
        cut = next(i for i in range(middle, len(text)) if text[i] == " " and text[i - 1].isalpha())
    else:
        cut = text.index(". ", middle) + 2
    return text[:cut], text[cut:]


@pytest.fixture
def chat() -> CoachChat:
    chat = CoachChat()
    onboard_us_md(chat)
    return chat


def _document(
    name: str, content: bytes | None, mime: str | None = None, size: int | None = None
) -> Other:
    return Other(
        "document",
        file_name=name,
        mime_type=mime,
        file_size=size if size is not None else (len(content) if content is not None else None),
        content=content,
    )


def _docx_bytes(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _versions(chat: CoachChat) -> dict[str, dict[str, Any]]:
    return {r.key: dict(r.content) for r in chat.records.get("statement", [])}


def _readers(chat: CoachChat) -> dict[str, dict[str, Any]]:
    return {r.key: dict(r.content) for r in chat.records.get("statement_review", [])}


# ---------------------------------------------------------------- the outline


def test_the_outline_asks_three_parts_shows_them_back_and_each_can_be_changed(
    chat: CoachChat,
) -> None:
    chat.command("statement")
    assert "three parts" in chat.said and "750-850 words" in chat.said
    assert chat.labels() == ["Outline first", "Readers", "Not now"]
    chat.tap("Outline first")
    assert "(1/3) Part 1, why Internal Medicine" in chat.said
    chat.text("Mr. L, heart failure, third admission; the scale and the cheaper pills")
    assert "(2/3) Part 2, your year" in chat.said
    chat.tap("Skip")
    assert "(3/3) Part 3, evidence" in chat.said
    chat.text("500-patient database; follow-up up 18%; 2 abstracts; manuscript submitted")
    said = chat.said
    assert "Your outline, to write from:" in said
    assert "Mr. L, heart failure" in said and "(not written yet)" in said and "18%" in said
    outline = chat.records["statement_outline"][0].content
    assert outline["year"] is None and outline["evidence"].startswith("500-patient")

    chat.tap("Change part 2")
    assert "Part 2, your year" in chat.said
    chat.text("Research fellow in IM, full-time since July")
    outline = chat.records["statement_outline"][0].content
    assert outline["year"] == "Research fellow in IM, full-time since July"
    assert outline["why"].startswith("Mr. L"), "the other parts are kept"
    assert "Research fellow in IM" in chat.said

    chat.tap("Remove the outline")
    assert "Outline removed." in chat.said and "statement_outline" not in {
        k for k, v in chat.records.items() if v
    }


def test_the_outline_is_skippable_a_draft_can_come_straight_away(chat: CoachChat) -> None:
    chat.command("statement")
    for part in _halves(GOOD):
        chat.text(part)
    chat.tap("That's all")
    assert set(_versions(chat)) == {"v1"}
    assert "statement_outline" not in chat.records


# ---------------------------------------------------------------- drafts as text


def test_a_draft_pasted_in_two_parts_is_joined_into_one_version(chat: CoachChat) -> None:
    chat.command("statement")
    first, second = _halves(GOOD, mid_sentence=True)
    assert not first.rstrip().endswith(".")  # Telegram cut it inside a sentence
    chat.text(first)
    assert "Got part 1" in chat.said
    assert chat.labels()[:2] == ["That's all ✔", "Add more"]
    assert chat.records["statement_wip"][0].content["parts"] == [first]
    assert "statement" not in chat.answers.get("statement_draft", {}), "never stored as answers"
    chat.tap("Add more")
    assert "paste the next part" in chat.said
    chat.text(second)
    assert "Got part 2" in chat.said
    chat.tap("That's all")
    [v1] = _versions(chat).values()
    assert v1["text"] == first.rstrip() + " " + second.strip()
    assert v1["words"] == rules.count_words(GOOD) and v1["source"] == "pasted"
    assert v1["created"] == "2026-03-25"
    assert not chat.records["statement_wip"], "the parts are let go once joined"
    assert "Saved your pasted draft as v1" in chat.said
    assert "Feedback on v1" in chat.said
    assert not any(s.flow == "statement_draft" for s in chat.saved), "no draft words as answers"
    assert chat.state.flow is None


def test_pasted_parts_survive_a_cancel_and_a_day_away(chat: CoachChat) -> None:
    chat.command("statement")
    chat.text(STORY)
    chat.command("cancel")
    chat.now += timedelta(days=1)
    chat.command("statement")
    assert "A pasted draft is waiting: part" in chat.said
    chat.text(YEAR)
    assert "Got part 2" in chat.said
    chat.tap("That's all")
    [v1] = _versions(chat).values()
    assert v1["text"] == (STORY.strip() + "\n\n" + YEAR.strip())


def test_a_short_message_is_not_taken_for_a_draft_and_a_sticker_gets_a_kind_line(
    chat: CoachChat,
) -> None:
    chat.command("statement")
    chat.text("how long should it be?")
    assert "I don't think it's your statement yet" in chat.said
    assert "statement_wip" not in chat.records
    chat.other("sticker")
    assert "I can only read your statement as text" in chat.said
    chat.text(STORY)
    chat.tap("That's all")
    assert "So far that's" in chat.said and not _versions(chat), "too short for a version"
    assert chat.records["statement_wip"][0].content["parts"] == [STORY]
    chat.tap("Start over")
    assert not chat.records["statement_wip"]


def test_a_draft_over_three_thousand_words_is_refused_kindly(chat: CoachChat) -> None:
    chat.command("statement")
    chat.text(STORY)
    block = " ".join(["word"] * 800)  # under 4,096 characters, as one message can be
    for n in range(3):
        chat.text(block)
        assert f"Got part {n + 2}" in chat.said
    chat.text(block)
    assert "more than the 3,000 I can read" in chat.said and "I didn't add it" in chat.said
    assert "Your earlier 4 parts are kept" in chat.said
    assert chat.records["statement_wip"][0].content["parts"] == [STORY, block, block, block]


# ---------------------------------------------------------------- drafts as files


def test_a_docx_draft_becomes_a_version(chat: CoachChat) -> None:
    paragraphs = [STORY.strip(), YEAR.strip(), _draft(550, head="").strip()]
    chat.command("statement")
    chat.send(_document("My PS final.docx", _docx_bytes(paragraphs), DOCX))
    [v1] = _versions(chat).values()
    assert v1["text"] == "\n".join(paragraphs)
    assert v1["source"] == "docx" and v1["file_name"] == "My PS final.docx"
    assert "Saved your .docx as v1" in chat.said


def test_a_txt_in_windows_1252_is_read_with_its_accents_and_quotes(chat: CoachChat) -> None:
    text = "My patient’s café-owner husband said “thank you”. " + GOOD
    chat.command("statement")
    chat.send(_document("ps.txt", text.encode("cp1252"), "text/plain"))
    [v1] = _versions(chat).values()
    assert v1["text"].startswith("My patient’s café-owner husband said “thank you”.")
    assert v1["source"] == "txt"


def test_a_damaged_docx_a_pdf_and_a_binary_are_refused_and_nothing_is_lost(
    chat: CoachChat,
) -> None:
    chat.command("statement")
    chat.text(STORY)  # a part already waiting
    chat.send(_document("ps.docx", b"PK\x03\x04 not really a zip", DOCX))
    assert "seems to be damaged" in chat.said and ".docx or .txt" in chat.said
    chat.send(_document("ps.pdf", b"%PDF-1.7 ...", "application/pdf"))
    assert "PDF" in chat.said and ".docx or .txt" in chat.said
    chat.send(_document("ps.doc", b"\xd0\xcf\x11\xe0", "application/msword"))
    assert "Save As" in chat.said
    chat.send(_document("ps.txt", b"\x00\x01\x02binary\x00" * 50, "text/plain"))
    assert "doesn't look like plain text" in chat.said
    assert not _versions(chat)
    assert chat.records["statement_wip"][0].content["parts"] == [STORY]
    assert chat.state.flow == "statement_draft", "still listening for the draft"


def test_a_file_over_ten_megabytes_is_refused_with_its_size(chat: CoachChat) -> None:
    chat.command("statement")
    chat.send(_document("ps.docx", None, DOCX, size=12 * 1024 * 1024))
    assert "12.0 MB, more than the 10 MB" in chat.said
    chat.send(_document("ps.txt", b"a " * (5 * 1024 * 1024 + 10), "text/plain"))
    assert "more than the 10 MB" in chat.said
    chat.send(_document("ps.txt", None, "text/plain", size=2000))
    assert "couldn't download" in chat.said
    assert not _versions(chat)


# ---------------------------------------------------------------- feedback

WEAK = (
    "I have always wanted to help people. I am a hardworking and passionate person, and I "
    "love continuity of care. I did not match last year because my advisor told me to apply "
    "only to academic programs, and the process was unfair. Internal medicine is where I "
    "belong. "
)


def test_feedback_quotes_the_users_own_words_and_says_why(chat: CoachChat) -> None:
    chat.command("statement")
    chat.send(_document("ps.txt", _draft(700, head=WEAK).encode(), "text/plain"))
    said = chat.said
    assert "⚠️ No clichés without a story" in said
    assert "“continuity of care”" in said and "“help people”" in said
    assert "⚠️ Evidence, not adjectives" in said and "“hardworking”" in said
    assert "in: “I am a hardworking and passionate person, and I love continuity of care.”" in said
    assert "⚠️ Owned, not blamed" in said
    assert "“my advisor told me to apply only to academic programs”" in said
    assert "“unfair”" in said
    assert "a reader sees risk" in said
    assert "🟡 Length" in said and "aim for about 750-850" in said
    assert "First change to make: Take out “my advisor told me" in said
    [v1] = _versions(chat).values()
    kept = rules.StatementReport.from_dict(v1["feedback"])
    assert kept.check("tone") is not None and "unfair" in kept.check("tone").quotes  # type: ignore[union-attr]
    assert "to fix:" in v1["summary"] and "Owned, not blamed" in v1["summary"]


def test_the_seed_example_statement_passes_and_a_revision_is_compared(chat: CoachChat) -> None:
    chat.command("statement")
    chat.send(_document("weak.txt", _draft(790, head=WEAK).encode(), "text/plain"))
    chat.command("statement")
    chat.send(_document("good.txt", GOOD.encode(), "text/plain"))
    said = chat.said
    assert "Saved your .txt file as v2" in said
    report = rules.StatementReport.from_dict(_versions(chat)["v2"]["feedback"])
    assert {c.key: c.status for c in report.checks} == dict.fromkeys(
        ("structure", "specialty", "story", "cliches", "year", "tone", "evidence", "length"),
        "pass",
    )
    assert "8 of 8 checks in place" in said and "Next: Every part is in place." in said
    assert "Since v1, now in place:" in said and "Owned, not blamed" in said
    year = report.check("year")
    assert year is not None and year.quotes[0].startswith("After not matching on my first attempt")


# ---------------------------------------------------------------- versions


def test_versions_are_listed_and_one_can_be_removed(chat: CoachChat) -> None:
    for text in (_draft(700), GOOD):
        chat.command("statement")
        chat.send(_document("ps.txt", text.encode(), "text/plain"))
    chat.command("statement")
    assert (
        f"Latest: v2, Mar 25, {GOOD_WORDS} words (8/8 checks)" in chat.said
        and "2 versions in all." in chat.said
    )
    chat.tap("Versions")
    said = chat.said
    assert said.index("• v2") < said.index("• v1")
    assert "Remove v1" in chat.labels()
    chat.tap("v1 feedback")
    assert "Feedback on v1, Mar 25" in chat.said
    chat.tap("Get the text")
    [doc] = chat.documents()
    assert doc.filename == "statement_v1.txt" and doc.content.decode() == _draft(700)
    chat.command("statement")
    chat.tap("Versions")
    chat.tap("Remove v1")
    assert "Its text and feedback go for good" in chat.said
    chat.tap("Yes, remove v1")
    assert set(_versions(chat)) == {"v2"} and "Removed v1." in chat.said
    chat.send(Other("document"))  # stays put: not listening in the versions list
    stale = chat.send(_press("@st.vy.v1"))
    assert "isn't there any more" in chat.said and set(_versions(chat)) == {"v2"}
    assert isinstance(stale, Turn)
    chat.command("statement")
    chat.send(_document("ps.txt", GOOD.encode(), "text/plain"))
    assert set(_versions(chat)) == {"v2", "v3"}, "a new version gets a new number"


def _press(data: str) -> Any:
    from conversations.messages import Press

    return Press(data)


# ---------------------------------------------------------------- readers and the milestone


def test_readers_are_added_edited_marked_done_and_removed(chat: CoachChat) -> None:
    chat.command("statement")
    chat.send(_document("ps.txt", GOOD.encode(), "text/plain"))
    chat.tap("Note a reader")
    assert "Who is reading your statement?" in chat.said
    chat.text("Dr. Reyes")
    chat.tap("Someone who knows me well")
    assert "Which version" in chat.said and f"v1 ({GOOD_WORDS} words)" in chat.labels()
    chat.tap("v1")
    chat.text("Will send comments by Friday")
    assert "Noted: Dr. Reyes is reading it." in chat.said
    assert "⏳ Dr. Reyes (knows you well, v1): asked Mar 25, today" in chat.said
    [(key, reader)] = _readers(chat).items()
    assert reader == {
        "name": "Dr. Reyes",
        "role": "knows",
        "version": "v1",
        "notes": "Will send comments by Friday",
        "status": "asked",
        "asked_on": "2026-03-25",
    }
    chat.tap("Dr. Reyes")
    chat.tap("Change role")
    chat.tap("Faculty in my specialty")
    assert _readers(chat)[key]["role"] == "faculty"
    assert _readers(chat)[key]["notes"] == "Will send comments by Friday", "the rest is kept"
    assert _readers(chat)[key]["asked_on"] == "2026-03-25"

    chat.now += timedelta(days=21)  # three weeks on, not read yet
    chat.command("statement")
    chat.tap("Readers")
    assert "asked Mar 25, 3 weeks ago (a short, friendly follow-up is fine)" in chat.said
    chat.tap("Dr. Reyes")
    chat.tap("They've read it")
    assert _readers(chat)[key]["status"] == "done"
    assert _readers(chat)[key]["done_on"] == "2026-04-15"
    assert "✅ Dr. Reyes (faculty in your specialty, v1): read it, Apr 15" in chat.said
    chat.tap("Mark as not read yet")
    assert _readers(chat)[key]["status"] == "asked"
    chat.tap("Remove")
    chat.tap("Yes, remove")
    assert not _readers(chat) and "Removed Dr. Reyes." in chat.said


def test_the_milestone_needs_a_draft_in_range_and_a_faculty_reader(chat: CoachChat) -> None:
    chat.command("statement")
    chat.send(_document("ps.txt", _draft(600).encode(), "text/plain"))
    chat.tap("Note a reader")
    chat.text("Dr. Kim")
    chat.tap("Faculty in my specialty")
    chat.tap("v1")
    chat.tap("Skip")
    chat.tap("Dr. Kim")
    chat.tap("They've read it")
    assert "personal_statement" not in chat.answers.get("milestones", {}), "600 words is short"
    chat.command("statement")
    assert "⭕ a version of 750-850 words; ✅ read by a faculty member" in chat.said
    chat.send(_document("ps.txt", GOOD.encode(), "text/plain"))
    assert chat.answers["milestones"]["personal_statement"] == "2026-03-25"
    chat.command("statement")
    assert "✅ a version of 750-850 words; ✅ read by a faculty member" in chat.said


def test_someone_who_knows_them_alone_does_not_tick_it(chat: CoachChat) -> None:
    chat.command("statement")
    chat.send(_document("ps.txt", GOOD.encode(), "text/plain"))
    chat.tap("Note a reader")
    chat.text("Sam")
    chat.tap("Someone who knows me well")
    chat.tap("v1")
    chat.tap("Skip")
    chat.tap("Sam")
    chat.tap("They've read it")
    assert "personal_statement" not in chat.answers.get("milestones", {})


def test_statement_mid_way_through_another_flow_asks_to_finish_first(chat: CoachChat) -> None:
    chat.command("target")
    step = chat.step
    chat.command("statement")
    assert "finish this first" in chat.said and chat.step == step


# ---------------------------------------------------------------- export


async def test_versions_readers_and_the_outline_are_in_the_export(db: Database) -> None:
    chat = CoachChat()
    onboard_us_md(chat)
    chat.command("statement")
    chat.send(_document("ps.txt", GOOD.encode(), "text/plain"))
    chat.tap("Note a reader")
    chat.text("Dr. Reyes")
    chat.tap("Faculty in my specialty")
    chat.tap("v1")
    chat.tap("Skip")
    items = [PutRecord(r.kind, r.key, dict(r.content)) for rs in chat.records.values() for r in rs]
    async with db.unit_of_work() as repo:
        maya = await repo.users.get_or_create("telegram", "1", "Maya")
        await apply(Store(repo, maya.id, chat.now), items)
    async with db.unit_of_work() as repo:
        exported = (await export_file(repo, maya.id, chat.now)).content.decode()
    assert '"statement_review"' in exported and '"Dr. Reyes"' in exported
    assert "On my medicine sub-internship I cared for Mr. L" in exported


# ---------------------------------------------------------------- rules


def test_parts_cut_mid_sentence_run_on_and_whole_sentences_start_a_paragraph() -> None:
    assert rules.join_parts(["I sat with", "him.", "", "Then I left."]) == (
        "I sat with him.\n\nThen I left."
    )


def test_text_files_decode_with_or_without_a_mark() -> None:
    assert rules.read_document("a.txt", None, "\ufeffHello there".encode(), None) == (
        "Hello there",
        "txt",
    )
    assert rules.read_document("a.txt", None, "Héllo".encode("utf-16"), None)[0] == "Héllo"
    with pytest.raises(rules.Unreadable, match="can't read that kind"):
        rules.read_document("a.png", "image/png", b"\x89PNG", None)


# ---------------------------------------------------------------- the Telegram side


class _File:
    def __init__(self, data: bytes | None) -> None:
        self.data = data

    async def download_as_bytearray(self) -> bytearray:
        if self.data is None:
            raise OSError("network down")
        return bytearray(self.data)


def _message(file_name: str, size: int | None, data: bytes | None) -> Any:
    fetched: list[bool] = []

    async def get_file() -> _File:
        fetched.append(True)
        return _File(data)

    document = SimpleNamespace(
        file_name=file_name, mime_type="text/plain", file_size=size, get_file=get_file
    )
    kinds = dict.fromkeys(
        ("sticker", "animation", "photo", "voice", "video_note", "video", "audio"), None
    )
    message = SimpleNamespace(**kinds, document=document, caption=None, fetched=fetched)
    return message


async def test_the_transport_hands_a_documents_bytes_to_the_coach(
    caplog: pytest.LogCaptureFixture,
) -> None:
    message = _message("secret-name.txt", 11, b"hello there")
    other = await other_input(message)
    assert other == Other(
        "document",
        file_name="secret-name.txt",
        mime_type="text/plain",
        file_size=11,
        content=b"hello there",
    )
    assert "hello" not in repr(other) and "secret-name" not in repr(other)

    big = _message("big.docx", MAX_DOCUMENT_BYTES + 1, b"x")
    other = await other_input(big)
    assert other.content is None and other.file_size == MAX_DOCUMENT_BYTES + 1
    assert not big.fetched, "a file over the cap is not downloaded"

    with caplog.at_level(logging.WARNING):
        failed = await other_input(_message("secret-name.txt", 5, None))
    assert failed.content is None and failed.file_size == 5
    assert "secret-name" not in caplog.text and "network down" not in caplog.text
    assert "OSError" in caplog.text


def test_an_old_statement_button_mid_way_through_another_flow_changes_nothing(
    chat: CoachChat,
) -> None:
    chat.command("statement")
    chat.text(STORY)
    done = chat.button("That's all")
    chat.command("target")
    assert "finish this first" in chat.said and chat.labels() == ["Not now"]
    chat.tap("Not now")
    assert "no draft for now. The parts you pasted are kept" in chat.said
    assert chat.state.flow is None
    assert [a.raw_text for a in chat.saved if a.flow == "statement_draft"] == ["Not now"]
    chat.command("target")
    state = chat.state
    chat.send(_press(done.data))
    assert "finish this first" in chat.said and chat.state.flow == state.flow
    assert chat.records["statement_wip"][0].content["parts"] == [STORY], "nothing lost"
    assert not _versions(chat)


def test_statement_mid_outline_shows_the_overview_and_asks_the_question_again(
    chat: CoachChat,
) -> None:
    chat.command("statement")
    chat.tap("Outline first")
    chat.command("statement")
    assert "Your personal statement." in chat.said and "Where we were:" in chat.said
    assert chat.state.flow == "statement_outline" and chat.step == "why"


def test_every_statement_reply_speaks_plainly_and_fits_a_phone() -> None:
    from conversations.messages import SCREEN_CHARS
    from tests.test_every_reply import JARGON, SLIPS

    chat = CoachChat()
    onboard_us_md(chat)
    said: list[Turn] = []
    steps = [
        lambda: chat.command("statement"),
        lambda: chat.tap("Outline first"),
        lambda: chat.text("Mr. L and the scale"),
        lambda: chat.tap("Skip"),
        lambda: chat.tap("Skip"),
        lambda: chat.tap("Back to my statement"),
        lambda: chat.text(STORY),
        lambda: chat.tap("That's all"),
        lambda: chat.tap("Start over"),
        lambda: chat.send(_document("ps.txt", _draft(700, head=WEAK).encode(), "text/plain")),
        lambda: chat.command("statement"),
        lambda: chat.send(_document("ps.txt", GOOD.encode(), "text/plain")),
        lambda: chat.tap("Note a reader"),
        lambda: chat.text("Dr. Reyes"),
        lambda: chat.tap("Faculty in my specialty"),
        lambda: chat.tap("v2"),
        lambda: chat.tap("Skip"),
        lambda: chat.tap("Dr. Reyes"),
        lambda: chat.tap("They've read it"),
        lambda: chat.command("statement"),
        lambda: chat.tap("Versions"),
        lambda: chat.tap("v1 feedback"),
        lambda: chat.tap("Remove v1"),
        lambda: chat.tap("Yes, remove v1"),
        lambda: chat.tap("Back to my statement"),
        lambda: chat.tap("Readers"),
    ]
    for step in steps:
        said.append(step())
    texts = [r.text for t in said for r in t.replies]
    assert all(len(r.text) <= SCREEN_CHARS for t in said for r in t.replies if r.buttons)
    found = [
        (what, text[max(0, m.start() - 40) : m.end() + 20])
        for text in texts
        for what, pattern in {**JARGON, **SLIPS}.items()
        for m in pattern.finditer(text)
    ]
    assert not found, found


def test_a_versions_text_can_be_corrected_in_place(chat: CoachChat) -> None:
    chat.command("statement")
    chat.send(_document("ps.txt", _draft(700, head=WEAK).encode(), "text/plain"))
    chat.command("statement")
    chat.send(_document("ps.txt", _draft(700).encode(), "text/plain"))
    chat.command("statement")
    chat.tap("Versions")
    chat.tap("v1 feedback")
    chat.tap("Correct v1's text")
    assert "It replaces v1's text and feedback" in chat.said
    chat.now += timedelta(days=2)
    first, second = _halves(GOOD)
    chat.text(first)
    chat.text(second)
    chat.tap("That's all")
    assert "Replaced the text of v1 with your pasted draft" in chat.said
    versions = _versions(chat)
    assert set(versions) == {"v1", "v2"}, "no new version"
    assert versions["v1"]["text"] == rules.join_parts([first, second])
    assert versions["v1"]["created"] == "2026-03-25"
    assert versions["v1"]["revised"] == "2026-03-27"
    assert versions["v2"]["text"] == _draft(700)
    chat.tap("Versions")
    chat.tap("v1 feedback")
    assert "text corrected Mar 27" in chat.said


def test_typed_words_end_the_parts_or_leave(chat: CoachChat) -> None:
    chat.command("statement")
    first, second = _halves(GOOD)
    chat.text(first)
    chat.text(second)
    chat.text("done")
    assert set(_versions(chat)) == {"v1"} and "Saved your pasted draft as v1" in chat.said
    chat.command("statement")
    chat.text("not now")
    assert "no draft for now." in chat.said and chat.state.flow is None


def test_a_reader_before_any_version_is_not_asked_which_version(chat: CoachChat) -> None:
    chat.command("statement")
    chat.tap("Readers")
    assert "No readers noted yet" in chat.said
    chat.tap("Add a reader")
    chat.text("Dr. Osei")
    chat.tap("Someone else")
    assert "Any notes?" in chat.said and "(3/3)" in chat.said
    chat.tap("Skip")
    [reader] = _readers(chat).values()
    assert reader["name"] == "Dr. Osei" and reader["role"] == "other"
    assert reader.get("version") is None
    assert "⏳ Dr. Osei (other reader): asked Mar 25, today" in chat.said


def test_a_readers_version_can_be_typed(chat: CoachChat) -> None:
    chat.command("statement")
    chat.send(_document("ps.txt", GOOD.encode(), "text/plain"))
    chat.tap("Note a reader")
    chat.text("Dr. Reyes")
    chat.tap("Faculty in my specialty")
    chat.text("v7")
    assert "I couldn't find that version (yours: v1)" in chat.said
    chat.text("V1")
    chat.tap("Skip")
    assert next(iter(_readers(chat).values()))["version"] == "v1"


def test_a_docx_sent_outside_statement_is_kept_only_when_they_say_it_is_the_statement(
    chat: CoachChat,
) -> None:
    assert chat.state.flow is None
    data = _docx_bytes([GOOD])
    chat.send(_document("ps.docx", data, DOCX))
    assert f"I read that file: {GOOD_WORDS:,} words. Is it your personal statement?" in chat.said
    assert not _versions(chat)
    chat.tap("No, let it go")
    assert "nothing was kept" in chat.said and not chat.records["statement_wip"]
    chat.send(_press("@st.fy"))  # the old question, tapped after all
    assert "isn't waiting any more" in chat.said and not _versions(chat)

    chat.command("cancel")
    chat.send(_document("ps.docx", data, DOCX))
    chat.tap("Yes, it's my statement")
    [v1] = _versions(chat).values()
    assert v1["text"] == GOOD and v1["source"] == "docx"
    assert "Saved your .docx as v1" in chat.said and not chat.records["statement_wip"]
    chat.send(_document("ps.docx", b"garbage", DOCX))
    assert "seems to be damaged" in chat.said
    chat.send(_document("notes.txt", b"just a short note", "text/plain"))
    assert "doesn't look like a personal statement" in chat.said
    chat.send(_document("PS final.pdf", b"%PDF-1.7", "application/pdf"))
    assert "If it's your personal statement, send it as a .docx or .txt" in chat.said
    assert set(_versions(chat)) == {"v1"}
