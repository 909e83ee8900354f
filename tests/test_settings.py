"""Settings: the environment or a .env file, typed, with the crisis list configurable."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings
from bot.telegram_bot import webhook_secret
from conversations.texts import DEFAULT_CRISIS_LINES


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("TELEGRAM_BOT_TOKEN", "CRISIS_LINES", "DATABASE_URL", "WEBHOOK_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_a_token_in_dot_env_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("TELEGRAM_BOT_TOKEN=123:abc\n")
    settings = Settings()
    assert settings.token == "123:abc"
    assert "123:abc" not in repr(settings), "the token is a secret, never printed"


def test_no_token_means_terminal_defaults() -> None:
    settings = Settings()
    assert settings.token is None
    assert settings.database_url.startswith("sqlite:///")
    assert settings.crisis_lines == DEFAULT_CRISIS_LINES
    assert any("988" in line for line in settings.crisis_lines)


@pytest.mark.parametrize(
    "value",
    [
        '["India: call 14416 (Tele-MANAS)", "US: call or text 988"]',
        "India: call 14416 (Tele-MANAS)|US: call or text 988",
    ],
)
def test_crisis_lines_are_configurable(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CRISIS_LINES", value)
    assert Settings().crisis_lines == ("India: call 14416 (Tele-MANAS)", "US: call or text 988")


def test_the_webhook_secret_is_stable_and_allowed_by_telegram(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    first, second = webhook_secret(Settings()), webhook_secret(Settings())
    assert first == second and "123:abc" not in first
    assert first.isalnum() and 1 <= len(first) <= 256
    monkeypatch.setenv("WEBHOOK_SECRET", "chosen_secret-1")
    assert webhook_secret(Settings()) == "chosen_secret-1"
