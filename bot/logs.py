"""Logging that never carries a user's words or the bot token.

We log ids, kinds and counts only. As a second line of defence, a filter masks the token
wherever it would appear (HTTP client libraries log request URLs, and the Bot API puts the
token in the URL), and those libraries' per-request logs are turned down.
"""

from __future__ import annotations

import logging


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        masked = message
        for secret in self.secrets:
            masked = masked.replace(secret, "[REDACTED]")
        if masked != message:
            record.msg, record.args = masked, None
        return True


def setup_logging(level: str, secrets: list[str]) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("httpx", "httpcore", "telegram.ext.ExtBot", "apscheduler", "aiosqlite"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # python-telegram-bot logs whole updates (with the user's words) at DEBUG: whatever
    # LOG_LEVEL says, its loggers never go below INFO.
    library = logging.getLogger("telegram")
    library.setLevel(max(root.level, logging.INFO))
