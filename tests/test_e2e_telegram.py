"""End to end over real HTTP: the real bot process, the emulator, and a user playing along."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import docx
import httpx

from conversations.rules.statement import DOCX_MIME
from conversations.texts import COMMANDS
from tests.e2e import BotProcess, button, onboard_directly, replies
from tests.emulator_client import Emulator

TOKEN_SECRET = "EMULATOR-TEST-TOKEN"


def test_onboarding_profile_crisis_and_export(emulator: Emulator, bot: BotProcess) -> None:
    chat = emulator.chat(5551, first_name="Maya")

    chat.send_command("/start")
    welcome, first = replies(chat, 2)
    assert "Rematch Coach" in (welcome.text or "")
    assert "what should I call you" in (first.text or "")
    assert emulator.commands() == list(COMMANDS), "the command menu is set at start-up"

    chat.press(button(first, "Maya"))
    [degree] = replies(chat, 1)
    chat.press(button(degree, "US MD"))
    [specialty] = replies(chat, 1)
    assert "specialty" in (specialty.text or "")

    chat.send_text("Internal Medicine")
    replies(chat, 1)
    chat.send_text("lots")
    [refused] = replies(chat, 1)
    assert "whole number" in (refused.text or "") and "How many programs" in (refused.text or "")
    chat.send_text("45")
    [mix] = replies(chat, 1)
    assert "academic" in (mix.text or "")

    chat.send_text("I can't go on, I want to end my life")
    [crisis] = replies(chat, 1)
    assert "988" in (crisis.text or "")
    chat.press(button(crisis, "Continue when I'm ready"))
    [again] = replies(chat, 1)
    assert "academic" in (again.text or ""), "the place in the flow was kept"

    chat.send_command("/profile")
    [profile] = replies(chat, 1)
    assert "Programs applied to: 45" in (profile.text or "")
    assert "Degree: US MD" in (profile.text or "")

    chat.send_command("/export")
    _, document = replies(chat, 2)
    assert document.kind == "document" and (document.file_name or "").endswith(".json")
    data = json.loads(document.content or b"{}")
    stored = {a["key"]: a["value"] for a in data["answers"]}
    assert stored == {
        "name": "Maya",
        "degree": "us_md",
        "specialty": "Internal Medicine",
        "programs_applied": 45,
    }

    logs = bot.logs()
    assert TOKEN_SECRET not in logs, "the token never reaches the logs"
    for words in ("end my life", "Internal Medicine", "lots"):
        assert words not in logs, f"message text {words!r} leaked into the logs"


def test_double_tap_is_acknowledged_once(emulator: Emulator, bot: BotProcess) -> None:
    chat = emulator.chat(5552, first_name="Sam")
    chat.send_command("/start")
    _, first = replies(chat, 2)
    data = button(first, "Sam")
    chat.press(data, message_id=first.message_id)
    replies(chat, 1)
    count = len(chat.bot_messages())
    second = chat.press(data, message_id=first.message_id)

    def acknowledged() -> bool:
        answers = emulator.callback_answers(second) or []
        return any(a.get("text") == "Already saved ✓" for a in answers)

    chat.wait_for_sync(lambda _: acknowledged(), timeout=30)
    assert len(chat.bot_messages()) == count, "a double tap sends no second question"


def test_a_hard_kill_between_messages_loses_nothing(emulator: Emulator, bot: BotProcess) -> None:
    chat = emulator.chat(5553, first_name="Lee")
    chat.send_command("/start")
    _, first = replies(chat, 2)
    chat.press(button(first, "Lee"))
    [degree] = replies(chat, 1)
    chat.press(button(degree, "International graduate (IMG)"))
    replies(chat, 1)

    bot.kill_hard()
    bot.start()

    chat.send_text("Psychiatry")
    [programs] = replies(chat, 1, timeout=60)
    assert "How many programs" in (programs.text or "")


def test_the_bot_starts_even_if_the_command_menu_fails(emulator: Emulator, tmp_path: Path) -> None:
    emulator.fail_next("setMyCommands", 500)
    process = BotProcess(emulator, tmp_path).start()
    try:
        chat = emulator.chat(5554)
        chat.send_command("/start")
        welcome, _ = replies(chat, 2, timeout=60)
        assert "Rematch Coach" in (welcome.text or "")
        assert "could not set the command menu" in process.logs()
    finally:
        process.stop()


def test_webhook_mode_accepts_telegram_and_refuses_a_forged_call(
    emulator: Emulator, tmp_path: Path, unused_tcp_port: int
) -> None:
    url = f"http://127.0.0.1:{unused_tcp_port}/telegram/hook"
    process = BotProcess(
        emulator,
        tmp_path,
        WEBHOOK_URL=url,
        WEBHOOK_LISTEN="127.0.0.1",
        PORT=str(unused_tcp_port),
    ).start()
    try:
        chat = emulator.chat(5555, first_name="Ivy")
        deadline = time.monotonic() + 60
        while (emulator.webhook() or {}).get("url") != url:
            assert time.monotonic() < deadline, f"no webhook set; bot log:\n{process.logs()}"
            time.sleep(0.1)
        assert emulator.webhook()["has_secret"]  # type: ignore[index]

        chat.send_command("/start")
        welcome, _ = replies(chat, 2, timeout=60)
        assert "Rematch Coach" in (welcome.text or "")

        forged = {
            "update_id": 999_999,
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": 5556, "type": "private", "first_name": "X"},
                "from": {"id": 5556, "is_bot": False, "first_name": "X"},
                "text": "/start",
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            },
        }
        wrong = httpx.post(url, json=forged, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"})
        assert wrong.status_code == 403
        missing = httpx.post(url, json=forged)
        assert missing.status_code == 403
        time.sleep(0.5)  # give a wrongly accepted update time to show up; none must
        assert emulator.bot_messages(5556) == []
    finally:
        process.stop()


WEBHOOK_SECRET = "e2e-webhook-secret"
UNREADABLE_WORDS = "Quetzal harbour ninety"


def _webhook_bot(emulator: Emulator, tmp_path: Path, port: int) -> tuple[BotProcess, str]:
    url = f"http://127.0.0.1:{port}/telegram/hook"
    process = BotProcess(
        emulator,
        tmp_path,
        WEBHOOK_URL=url,
        WEBHOOK_LISTEN="127.0.0.1",
        PORT=str(port),
        WEBHOOK_SECRET=WEBHOOK_SECRET,
    ).start()
    deadline = time.monotonic() + 60
    while (emulator.webhook() or {}).get("url") != url:
        assert time.monotonic() < deadline, f"no webhook set; bot log:\n{process.logs()}"
        time.sleep(0.1)
    return process, url


def _chatless_updates() -> list[dict[str, object]]:
    user = {"id": 5561, "is_bot": False, "first_name": "Rio"}
    poll = {
        "id": "p1",
        "question": "Which?",
        "options": [{"text": "A", "voter_count": 1, "persistent_id": "o1"}],
        "total_voter_count": 1,
        "is_closed": False,
        "is_anonymous": True,
        "type": "regular",
        "allows_multiple_answers": False,
        "allows_revoting": False,
        "members_only": False,
    }
    return [
        {"update_id": 900_001, "poll": poll},
        {  # a button on an inline message: a callback query without a message or a chat
            "update_id": 900_002,
            "callback_query": {
                "id": "c1",
                "from": user,
                "chat_instance": "i1",
                "inline_message_id": "m1",
                "data": "ob.degree.us_md",
            },
        },
        {
            "update_id": 900_003,
            "inline_query": {"id": "q1", "from": user, "query": "", "offset": ""},
        },
        {  # the user blocked the bot: a chat, but no message
            "update_id": 900_004,
            "my_chat_member": {
                "chat": {"id": 5561, "type": "private", "first_name": "Rio"},
                "from": user,
                "date": int(time.time()),
                "old_chat_member": {"status": "member", "user": {**user, "id": 1, "is_bot": True}},
                "new_chat_member": {
                    "status": "kicked",
                    "until_date": 0,
                    "user": {**user, "id": 1, "is_bot": True},
                },
            },
        },
    ]


def test_webhook_answers_bad_calls_as_the_bot_api_expects_and_keeps_serving(
    emulator: Emulator, tmp_path: Path, unused_tcp_port: int
) -> None:
    process, url = _webhook_bot(emulator, tmp_path, unused_tcp_port)
    headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}

    def post(body: bytes) -> int:
        sent = httpx.post(
            url, content=body, headers={**headers, "Content-Type": "application/json"}, timeout=10
        )
        return sent.status_code

    try:
        # Not JSON, or JSON that is not an update object: 400 (Telegram would retry a 5xx).
        assert post(b'{"update_id": 1, "message": {"text": "' + UNREADABLE_WORDS.encode()) == 400
        assert post(b"\xff\xfe not even UTF-8") == 400
        assert post(b"") == 400
        for not_an_update in (b"[1, 2]", b'"hello"', b"null", b'{"message": {}}'):
            assert post(not_an_update) == 400, not_an_update
        # Updates without a chat (or without a message) are ours to ignore: 200, no error.
        for update in _chatless_updates():
            assert post(json.dumps(update).encode()) == 200, update
        # An update python-telegram-bot cannot read (a poll from before Bot API 9.6): 200.
        unreadable = {
            "update_id": 900_005,
            "poll": {
                "id": "p2",
                "question": UNREADABLE_WORDS,
                "options": [{"text": UNREADABLE_WORDS, "voter_count": 0}],
                "total_voter_count": 0,
                "is_closed": False,
                "is_anonymous": True,
                "type": "regular",
                "allows_multiple_answers": False,
            },
        }
        assert post(json.dumps(unreadable).encode()) == 200

        chat = emulator.chat(5561, first_name="Rio")
        chat.send_command("/start")
        welcome, _ = replies(chat, 2, timeout=60)
        assert "Rematch Coach" in (welcome.text or ""), "still serving after the bad calls"
        deliveries = (emulator.webhook() or {}).get("deliveries", [])
        assert deliveries and all(d["status"] == 200 for d in deliveries)
        assert emulator.bot_messages(5561) == chat.bot_messages()

        assert process.proc is not None and process.proc.poll() is None
        logs = process.logs()
        assert UNREADABLE_WORDS not in logs, "no body reaches the logs"
        assert logs.count("a body that is not JSON") == 3, "each bad call is logged once"
        assert logs.count("JSON that is not an update") == 4
        assert logs.count("could not be read") == 1
        assert "Traceback" not in logs and "ERROR" not in logs and "CRITICAL" not in logs
    finally:
        process.stop()


def test_postmortem_ends_in_a_problems_list_document(emulator: Emulator, tmp_path: Path) -> None:
    onboard_directly(tmp_path, 5557)
    process = BotProcess(emulator, tmp_path).start()
    try:
        chat = emulator.chat(5557, first_name="Maya")
        chat.send_command("/postmortem")
        [overview] = replies(chat, 1, timeout=60)
        assert "1. Your dean's office: not booked yet" in (overview.text or "")
        chat.press(button(overview, "Build my Problems List"))
        # Longer than a phone screen: the note first, then the list with its buttons.
        note, draft = replies(chat, 2)
        assert "first draft" in (note.text or "") and not note.buttons
        assert "Too few programs" in (draft.text or "") and len(draft.text or "") <= 1200
        chat.press(button(draft, "This is right ✓"))
        summary, document = replies(chat, 2)
        assert "Your Problems List is saved" in (summary.text or "")
        assert document.kind == "document"
        assert (document.file_name or "").startswith("problems-list-")
        assert (document.content or b"").startswith(b"%PDF")
        assert document.mime_type == "application/pdf"
    finally:
        process.stop()


def test_a_due_nudge_arrives_with_its_buttons_and_snoozes(
    emulator: Emulator, tmp_path: Path
) -> None:
    onboard_directly(tmp_path, 5558)  # the plan's nudges are planned from March 2026 on
    expected = _make_first_nudge_due(tmp_path, 5558)
    process = BotProcess(emulator, tmp_path, NUDGE_SWEEP_SECONDS="1").start()
    try:
        chat = emulator.chat(5558, first_name="Maya")
        [nudge] = chat.wait_for_sync(1, timeout=60)
        assert nudge.text == expected
        labels = [text for row in nudge.buttons for text, _ in row]
        assert {"Snooze 1 hour", "Tomorrow", "Done ✓"} <= set(labels)
        chat.press(button(nudge, "Snooze 1 hour"))
        [snoozed] = replies(chat, 1)
        assert "Snoozed until" in (snoozed.text or "")

        chat.send_command("/plan")
        text, picture = replies(chat, 2)
        assert "of 12" in (text.text or "")
        assert picture.kind == "photo" and (picture.content or b"").startswith(b"\x89PNG")
    finally:
        process.stop()


def _make_first_nudge_due(workdir: Path, chat_id: int) -> str:
    """Move the user's first planned nudge to now; return the text it must arrive with."""
    import asyncio
    from datetime import UTC, datetime

    from sqlalchemy import select, update

    from conversations.catalog import render_nudge
    from storage.db import Database
    from storage.models import Nudge, User

    async def run() -> str:
        db = Database(f"sqlite:///{workdir / 'coach.db'}")
        try:
            async with db.unit_of_work() as repo:
                user = (
                    await repo.session.execute(select(User).where(User.external_id == str(chat_id)))
                ).scalar_one()
                first = (await repo.nudges.pending(user.id))[0]
                # Quiet hours are the user's: drop them for this one so it goes out at once.
                payload = {**first.payload, "quiet": ["00:00", "00:00"]}
                await repo.session.execute(
                    update(Nudge)
                    .where(Nudge.id == first.id)
                    .values(due_at=datetime.now(UTC), payload=payload)
                )
                reply = render_nudge(first.kind, payload)
                assert reply is not None
                return reply.text
        finally:
            await db.dispose()

    return asyncio.run(run())


def test_a_daily_check_in_over_telegram(emulator: Emulator, tmp_path: Path) -> None:
    onboard_directly(tmp_path, 5559)
    process = BotProcess(emulator, tmp_path).start()
    try:
        chat = emulator.chat(5559, first_name="Maya")
        chat.send_command("/checkin")
        [woke] = replies(chat, 1, timeout=60)
        chat.press(button(woke, "Yes"))
        [asked] = replies(chat, 1)
        # The bot runs on today's date: planning hours are asked in months 1-6 of the plan only.
        labels = ("2", "6", "1")  # exam, role, application
        if "post-mortem and planning" in (asked.text or ""):
            labels = ("1", *labels)
        for label in labels:
            last = chat.last()
            assert last is not None
            chat.press(button(last, label))
            replies(chat, 1)
        chat.send_text("Finished the abstract draft")
        [mood] = replies(chat, 1)
        chat.press(button(mood, "4 🙂"))
        [done] = replies(chat, 1)
        assert "Checked in ✓  Streak: 1 day." in (done.text or "")
        assert "Up on time" not in (done.text or "")
        assert woke.buttons and "Up by 7:00 AM today?" in (woke.text or "")
    finally:
        process.stop()


def test_an_interview_practice_round_typed_and_by_voice(emulator: Emulator, tmp_path: Path) -> None:
    onboard_directly(tmp_path, 5560)
    process = BotProcess(emulator, tmp_path).start()
    try:
        chat = emulator.chat(5560, first_name="Maya")
        chat.send_command("/practice")
        [menu] = replies(chat, 1, timeout=60)
        chat.press(button(menu, "“What did you do this past year?”"))
        [asked] = replies(chat, 1)
        assert "What did you do this past year?" in (asked.text or "")

        chat.send_voice(95)
        [timed] = replies(chat, 1)
        assert "95" in (timed.text or "") and "type what you said" in (timed.text or "")

        chat.send_text(
            "I did not match last cycle, which was hard but clarifying. Since then I have worked "
            "full-time as a research fellow in internal medicine, where I submitted two abstracts "
            "and one manuscript. This year deepened my interest in internal medicine, and I am "
            "ready to bring that to residency."
        )
        [report] = replies(chat, 1)
        text = report.text or ""
        assert "✅" in text and "“I did not match last cycle" in text
        assert "Try again" in [label for row in report.buttons for label, _ in row]
        logs = process.logs()
        assert "research fellow" not in logs, "answers never reach the logs"
    finally:
        process.stop()


def test_a_letters_round_over_telegram(emulator: Emulator, tmp_path: Path) -> None:
    """A writer added, asked, agreed and exported, over HTTP: taps, typed answers, the card."""
    onboard_directly(tmp_path, 5561)
    process = BotProcess(emulator, tmp_path).start()
    try:
        chat = emulator.chat(5561, first_name="Maya")
        chat.send_command("/letters")
        [overview] = replies(chat, 1, timeout=60)
        assert "No writers yet" in (overview.text or "")
        chat.press(button(overview, "Add a writer"))
        [name] = replies(chat, 1)
        assert "Who is the writer?" in (name.text or "")
        chat.send_text("Dr. Ana Reyes")
        [specialty] = replies(chat, 1)
        chat.press(button(specialty, "Internal Medicine"))
        [role] = replies(chat, 1)
        chat.press(button(role, "Attending who supervised me"))
        [how] = replies(chat, 1)
        assert "How do they know your work?" in (how.text or "")
        chat.send_text("Supervised me on the wards for 8 weeks")
        [since] = replies(chat, 1)
        assert "When did you start working with them?" in (since.text or "")
        chat.send_text("yesterday")
        [status] = replies(chat, 1)
        chat.press(button(status, "Asked, waiting for an answer"))
        [card] = replies(chat, 1)
        assert "Added." in (card.text or "") and "Dr. Ana Reyes: asked" in (card.text or "")
        assert "Still missing: 3 more agreed letters" in (card.text or "")
        chat.press(button(card, "They agreed"))
        [agreed] = replies(chat, 1)
        assert "Dr. Ana Reyes will write for you" in (agreed.text or "")

        chat.send_command("/export")
        _, document = replies(chat, 2)
        data = json.loads(document.content or b"{}")
        [writer] = [r for r in data["records"] if r["kind"] == "letter"]
        assert writer["content"]["name"] == "Dr. Ana Reyes"
        assert writer["content"]["status"] == "agreed"
        assert writer["content"]["how"] == "Supervised me on the wards for 8 weeks"
        # The check on the letter two weeks after they agreed is stored, to be sent then.
        follow = [n for n in data["nudges"] if n["kind"] == "letter_follow_up"]
        assert [n["key"] for n in follow if n["state"] == "pending"][:1] == ["letters:w1:follow0"]
        assert "Ana Reyes" not in process.logs() and "wards" not in process.logs()
    finally:
        process.stop()


def test_a_program_list_xlsx_is_imported_over_telegram(emulator: Emulator, tmp_path: Path) -> None:
    """A spreadsheet sent as a file: downloaded through getFile, read, imported, exported."""
    import io

    from openpyxl import Workbook, load_workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Program", "City", "State", "Setting", "Tier", "Notes"])
    for i in range(60):
        sheet.append([f"Community IM {i}", "Dayton", "OH", "community", "green", f"note {i}"])
    sheet.append(["Metro Academic IM", "Boston", "MA", "academic", "red", "PI's alma mater"])
    out = io.BytesIO()
    book.save(out)

    onboard_directly(tmp_path, 5562)
    process = BotProcess(emulator, tmp_path).start()
    try:
        chat = emulator.chat(5562, first_name="Maya")
        chat.send_document("my list.xlsx", out.getvalue(), XLSX)
        [imported] = replies(chat, 1, timeout=60)
        assert "Imported 61 programs from your sheet: 61 new, 0 updated." in (imported.text or "")
        assert "61 programs (aim for 60-120)" in (imported.text or "")

        chat.send_command("/programs export")
        _, xlsx, csv_file = replies(chat, 3)
        assert xlsx.kind == "document" and xlsx.file_name == "program-list.xlsx"
        back = load_workbook(io.BytesIO(xlsx.content or b""))["Programs"]
        names = [row[0] for row in back.iter_rows(min_row=2, values_only=True)]
        assert len(names) == 61 and "Metro Academic IM" in names
        assert (csv_file.content or b"").decode("utf-8-sig").startswith("Program,City,State")

        chat.send_document("notes.pdf", b"%PDF-1.4 not a list", "application/pdf")
        [refused] = replies(chat, 1)
        assert "I can't read that format" in (refused.text or "")
        assert "Metro Academic IM" not in process.logs() and "my list" not in process.logs()
    finally:
        process.stop()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_statement_sent_as_a_docx_over_telegram(emulator: Emulator, tmp_path: Path) -> None:
    """A .docx draft sent after /statement: fetched through getFile, read, kept as v1 with its
    feedback, in /export; neither its words nor its file name reach the logs."""
    onboard_directly(tmp_path, 5571)
    process = BotProcess(emulator, tmp_path).start()
    try:
        chat = emulator.chat(5571, first_name="Maya")
        chat.send_command("/statement")
        [overview] = replies(chat, 1, timeout=60)
        assert "Your personal statement." in (overview.text or "")
        story = (
            "On my medicine sub-internship I cared for Mr. Quill, admitted a third time with "
            "heart failure; he could not afford two of his medications. "
        )
        document = docx.Document()
        for _ in range(12):
            document.add_paragraph(story)
        out = io.BytesIO()
        document.save(out)
        chat.send_document("Quill statement.docx", out.getvalue(), DOCX_MIME)
        saved, feedback = replies(chat, 2)
        assert "Saved your .docx as v1" in (saved.text or "")
        assert "When you've revised it" in (feedback.text or "")

        chat.send_command("/export")
        _, exported = replies(chat, 2)
        data = json.loads(exported.content or b"{}")
        [v1] = [r for r in data["records"] if r["kind"] == "statement"]
        assert v1["key"] == "v1" and v1["content"]["source"] == "docx"
        assert v1["content"]["text"].startswith(
            "On my medicine sub-internship I cared for Mr. Quill"
        )
        logs = process.logs()
        assert "Quill" not in logs and "sub-internship" not in logs
    finally:
        process.stop()
