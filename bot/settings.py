"""Typed settings from the environment (and a local ``.env`` file), read once at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from urllib.parse import urlparse

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from conversations.texts import DEFAULT_CRISIS_LINES


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    # Another Bot API server (a self-hosted telegram-bot-api, or a test emulator), in the
    # form python-telegram-bot's base_url takes: ".../bot" (the token is appended).
    telegram_api_base_url: str | None = None
    database_url: str = "sqlite:///data/rematch-coach.db"

    # Webhook mode when WEBHOOK_URL is set (the public HTTPS address Telegram calls).
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "0.0.0.0"
    port: int = 8080

    # The Mini App (program table and plan timeline): its public HTTPS address, e.g. the
    # webhook's host with /app/. When set, /programs and /plan offer a button that opens it
    # and the chat's menu button does. In webhook mode it is served on the webhook's server
    # under that path; in polling and terminal mode on WEBAPP_LISTEN:WEBAPP_PORT.
    webapp_url: str | None = None
    webapp_listen: str = "127.0.0.1"
    webapp_port: int = Field(default=8080, ge=0, le=65535)

    # Long polling: how long one getUpdates call waits, and the pause between calls.
    poll_timeout: int = 30
    poll_interval: float = 0.0
    # How often the one job looks for due nudges (seconds).
    nudge_sweep_seconds: float = Field(default=60.0, gt=0)
    # How many reminders a second the sweep sends in all (the Bot API allows about 30 a
    # second per bot; replies to users share that budget). One a second per chat, always.
    nudge_sends_per_second: float = Field(default=28.0, gt=0, le=30)
    # Finished reminders (sent, done, snoozed, cancelled, expired, failed) are deleted once
    # they were due this many days ago; pending ones are never pruned.
    nudge_retention_days: int = Field(default=30, ge=1)

    # Shown by the crisis reply, one line each; JSON list or lines separated by "|".
    crisis_lines: Annotated[tuple[str, ...], NoDecode] = DEFAULT_CRISIS_LINES
    # The spoken length a practiced interview answer aims for: "60-120" seconds.
    practice_target_seconds: str = "60-120"
    # Days before a care message (low mood, sleep) may be shown again.
    care_repeat_days: int = Field(default=14, ge=1)
    terminal_outbox: Path = Path("outbox")
    log_level: str = "INFO"
    max_message_chars: int = Field(default=4096, ge=1)

    @field_validator("crisis_lines", mode="before")
    @classmethod
    def _split_lines(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                import json

                return tuple(str(x) for x in json.loads(text))
            return tuple(part.strip() for part in text.split("|") if part.strip())
        return value

    @field_validator("webapp_url")
    @classmethod
    def _webapp_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        url = urlparse(value.strip())
        local = url.hostname in ("127.0.0.1", "localhost")
        if url.scheme != "https" and not (url.scheme == "http" and local):
            raise ValueError("WEBAPP_URL is the page's public https:// address")
        path = url.path if url.path.endswith("/") else url.path + "/"
        return url._replace(path=path, query="", fragment="").geturl()

    @field_validator("practice_target_seconds")
    @classmethod
    def _range(cls, value: str) -> str:
        low, _, high = value.partition("-")
        if not (low.strip().isdigit() and high.strip().isdigit() and int(low) < int(high)):
            raise ValueError("PRACTICE_TARGET_SECONDS is a range of seconds, like 60-120")
        return value

    @property
    def practice_target(self) -> tuple[int, int]:
        low, _, high = self.practice_target_seconds.partition("-")
        return int(low), int(high)

    @property
    def token(self) -> str | None:
        if self.telegram_bot_token is None:
            return None
        return self.telegram_bot_token.get_secret_value().strip() or None
