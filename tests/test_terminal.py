"""The terminal coach: `make run` without a token, fed by a pipe like a real user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.service import CoachService

ROOT = Path(__file__).resolve().parents[1]


def run_terminal(tmp_path: Path, lines: list[str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'coach.db'}",
        TERMINAL_OUTBOX=str(tmp_path / "outbox"),
        PYTHONPATH=str(ROOT),
    )
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,  # no stray .env from the developer's checkout
        timeout=60,
        check=True,
    )


def test_piped_start_is_answered_and_buttons_are_lettered(tmp_path: Path) -> None:
    done = run_terminal(tmp_path, ["/start", "Sam", "b"])
    assert "@BotFather" in done.stderr, "says how to get a token"
    out = done.stdout
    assert "I'm Rematch Coach" in out
    assert "  a) US MD" in out and "  c) International graduate (IMG)" in out
    assert "Which specialty did you apply to" in out, "typing b pressed the second choice"


def test_answers_persist_across_terminal_sessions_and_export_writes_a_file(tmp_path: Path) -> None:
    run_terminal(tmp_path, ["/start", "Sam", "US DO"])
    again = run_terminal(tmp_path, ["/start", "a", "/export"])
    assert "Welcome back" in again.stdout
    assert "Which specialty" in again.stdout, "continue picked up at the same question"
    files = list((tmp_path / "outbox").glob("*.json"))
    assert len(files) == 1 and str(files[0]) in again.stdout
    assert '"us_do"' in files[0].read_text()


def test_letters_pick_buttons_and_a_typed_number_is_always_that_number() -> None:
    from bot.terminal import to_input
    from conversations.messages import Button, Command, Press, Text

    counts = [Button(str(n), f"ob.abstracts.{n}") for n in range(6)]
    assert to_input("a", counts) == Press("ob.abstracts.0"), "a is the first button"
    assert to_input("B)", counts) == Press("ob.abstracts.1")
    assert to_input("1", counts) == Text("1"), "1 is one, for the coach to read"
    hours = [Button(str(n), f"ci.role_hours.{n}") for n in (0, 2, 4, 6, 8, 10)]
    assert to_input("5", hours) == Text("5"), "never the fifth button (8 hours)"
    degrees = [Button("US MD", "ob.degree.us_md"), Button("US DO", "ob.degree.us_do")]
    assert to_input("b", degrees) == Press("ob.degree.us_do")
    assert to_input("us md", degrees) == Text("us md"), "a label typed is read by the coach"
    assert to_input("z", degrees) == Text("z")
    assert to_input("/Profile@bot x", degrees) == Command("profile", "x")
    # "²" is a digit to str.isdigit but not to int; a long number is text, not a position.
    assert to_input("²", degrees) == Text("²")
    assert to_input("1" * 5000, degrees) == Text("1" * 5000)


async def test_typed_numbers_are_stored_as_typed_and_letters_as_the_button(
    service: CoachService, tmp_path: Path
) -> None:
    import io

    from bot.terminal import TerminalChat
    from storage.db import Database

    out = io.StringIO()
    chat = TerminalChat(service, tmp_path / "outbox", out)
    lines = [
        "/start", "Sam", "US MD", "internal medicine", "45", "mostly academic",
        "mostly coastal", "4", "no, i didn't", "passed", "223", "no, never", "none of these",
        "some",
        "a",  # abstracts: the first button, 0
        "1",  # posters: one
        "0", "3", "no", "central", "yes", "today",
        "7am",  # wake time
        "7am",  # check-in time
        "/checkin", "yes",
        "1",  # hours on the post-mortem and planning
        "2",
        "5",  # hours on the role: five, which no button offers
        "1", "skip",
        "c",  # mood: the third button, 3
    ]  # fmt: skip
    for line in lines:
        await chat.say(line)
    screen = out.getvalue()
    assert "  a) 0\n  b) 2\n  c) 4" in screen and "  1) " not in screen
    assert "Checked in ✓" in screen
    db: Database = service.db
    async with db.unit_of_work() as repo:
        user = await repo.users.find("terminal", chat.who.external_id)
        assert user is not None
        answers = await repo.answers.latest(user.id)
    assert (answers["onboarding"]["abstracts"], answers["onboarding"]["posters"]) == (0, 1)
    assert answers["checkin"]["role_hours"] == 5
    assert answers["checkin"]["mood"] == 3


def test_control_characters_typed_in_the_terminal_are_dropped_before_storing(
    tmp_path: Path,
) -> None:
    import json

    done = run_terminal(tmp_path, ["/start", "Sa\x00m\x1b", "\x00\x07", "/export"])
    assert "Which degree do you have?" in done.stdout
    assert "I didn't catch any text there." in done.stdout
    [export] = (tmp_path / "outbox").glob("*.json")
    answers = json.loads(export.read_text())["answers"]
    assert [(a["key"], a["raw_text"]) for a in answers] == [("name", "Sam")]
