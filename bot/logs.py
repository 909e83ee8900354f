"""Logging that never carries a user's words or the bot token.

We log ids, kinds and counts only. Three more lines of defence, for what other code logs:

- python-telegram-bot logs the raw data of an update it cannot parse, whole, at CRITICAL
  (and whole updates and API parameters at DEBUG). Every record of its loggers is made with
  its arguments withheld: numbers stay, anything else (data, text, objects) is replaced.
- An exception's message may quote a value (a database driver quotes the one it refused),
  so a logged traceback keeps where it happened and the kind of error, not the message
  (the Bot API's own error descriptions excepted: they never quote a user).
- A filter masks the token wherever it would appear (HTTP client libraries log request URLs,
  and the Bot API puts the token in the URL), and those libraries' per-request logs are
  turned down.

The first two act where records are made (a log record factory), so they hold for every
handler, whatever it formats.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Mapping
from typing import Any

LIBRARY = "telegram"  # python-telegram-bot's loggers: telegram, telegram.ext.Updater, ...
WITHHELD = "[withheld]"


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def _mask(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "[REDACTED]")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        masked = self._mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_text:
            record.exc_text = self._mask(record.exc_text)
        return True


def _withheld(value: object) -> object:
    if value is None or isinstance(value, int | float):  # ids, counts, seconds, flags
        return value
    if isinstance(value, BaseException):
        return type(value).__name__
    return WITHHELD


def _kind(error: BaseException) -> str:
    kind = type(error)
    name = (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )
    if kind.__module__.split(".")[0] == LIBRARY:  # a Bot API description, e.g. "Chat not found"
        return f"{name}: {error}"
    return f"{name} (message withheld)"


def traceback_without_words(error: BaseException) -> str:
    """The traceback of ``error`` and of its causes: frames and kinds, no messages."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    parts: list[str] = []
    for n, link in enumerate(reversed(chain)):
        if n:
            parts.append("\nwhich led to:\n\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(link.__traceback__))
        parts.append(_kind(link))
    return "".join(parts)


def _wordless_records(make: Any) -> Any:
    """Wrap a log record factory so records never hold library data or exception messages."""
    if getattr(make, "wordless", False):
        return make

    def factory(
        name: str, level: int, fn: str, lno: int, msg: object, args: Any, exc_info: Any, *rest: Any
    ) -> logging.LogRecord:
        if args and (name == LIBRARY or name.startswith(LIBRARY + ".")):
            if len(args) == 1 and isinstance(args[0], Mapping):  # "%r" of a dict, or "%(key)s"
                args = ({k: _withheld(v) for k, v in args[0].items()},)
            else:
                args = tuple(_withheld(a) for a in args)
        exc_text = None
        if isinstance(exc_info, tuple) and isinstance(exc_info[1], BaseException):
            exc_text, exc_info = traceback_without_words(exc_info[1]), None
        record: logging.LogRecord = make(name, level, fn, lno, msg, args, exc_info, *rest)
        if exc_text is not None:
            record.exc_text = exc_text
        return record

    factory.wordless = True  # type: ignore[attr-defined]
    return factory


def setup_logging(level: str, secrets: list[str]) -> None:
    logging.setLogRecordFactory(_wordless_records(logging.getLogRecordFactory()))
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("httpx", "httpcore", "telegram.ext.ExtBot", "apscheduler", "aiosqlite"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # python-telegram-bot logs whole updates (with the user's words) at DEBUG: whatever
    # LOG_LEVEL says, its loggers never go below INFO (and their arguments are withheld).
    library = logging.getLogger(LIBRARY)
    library.setLevel(max(root.level, logging.INFO))
