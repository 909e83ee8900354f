"""The terminal coach: `make run` without a token, fed by a pipe like a real user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


def test_piped_start_is_answered_and_buttons_are_numbered(tmp_path: Path) -> None:
    done = run_terminal(tmp_path, ["/start", "Sam", "2"])
    assert "@BotFather" in done.stderr, "says how to get a token"
    out = done.stdout
    assert "I'm Rematch Coach" in out
    assert "  1) US MD" in out and "  3) International graduate (IMG)" in out
    assert "Which specialty did you apply to" in out, "typing 2 pressed the second choice"


def test_answers_persist_across_terminal_sessions_and_export_writes_a_file(tmp_path: Path) -> None:
    run_terminal(tmp_path, ["/start", "Sam", "US DO"])
    again = run_terminal(tmp_path, ["/start", "1", "/export"])
    assert "Welcome back" in again.stdout
    assert "Which specialty" in again.stdout, "continue picked up at the same question"
    files = list((tmp_path / "outbox").glob("*.json"))
    assert len(files) == 1 and str(files[0]) in again.stdout
    assert '"us_do"' in files[0].read_text()


def test_typed_numbers_mean_labels_first_then_positions() -> None:
    from bot.terminal import to_input
    from conversations.messages import Button, Command, Press, Text

    counts = [Button(str(n), f"ob.interviews.{n}") for n in range(6)]
    assert to_input("4", counts) == Press("ob.interviews.4"), "on a count, 4 means four"
    degrees = [Button("US MD", "ob.degree.us_md"), Button("US DO", "ob.degree.us_do")]
    assert to_input("2", degrees) == Press("ob.degree.us_do")
    assert to_input("us md", degrees) == Press("ob.degree.us_md")
    assert to_input("7", degrees) == Text("7")
    assert to_input("/Profile@bot x", degrees) == Command("profile", "x")
    # "²" is a digit to str.isdigit but not to int; a long number is text, not a position.
    assert to_input("²", degrees) == Text("²")
    assert to_input("1" * 5000, degrees) == Text("1" * 5000)


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
