"""structlog setup: JSON when stderr is not a terminal, readable when it is.

Every log line passes a redaction processor: values under keys that name a
secret (token, secret, password, authorization, totp, otp, ...) are replaced
by ``<redacted>``, and ``Secret`` values print as ``<secret>`` anyway. A key
named ``code`` is redacted when its value is text: that is how a code a person
typed (a TOTP code from an SMS, a form or the operator API) arrives, while a
platform's error code (Graph ``190``, SMTP ``535``) is a number and is kept,
so a log says why a source failed.
Logs go to stderr: standard output belongs to commands' data (replay JSONL).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any, TextIO

import structlog

_SECRET_WORDS = (
    "token",
    "secret",
    "password",
    "passwd",
    "authorization",
    "api_key",
    "apikey",
    "totp",
    "otp",
    "signature",
    "cookie",
)


def _is_secret_key(key: str) -> bool:
    k = key.lower()
    return any(w in k for w in _SECRET_WORDS)


def _is_secret(key: str, value: Any) -> bool:
    """A secret by its key's name, or a ``code`` that is not a number (what a person typed: see the module)."""
    if _is_secret_key(key):
        return True
    return key.lower() == "code" and not (isinstance(value, int) and not isinstance(value, bool))


def redact(_logger: Any, _name: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key in list(event_dict):
        if key != "event" and _is_secret(key, event_dict[key]):
            event_dict[key] = "<redacted>"
    return event_dict


def _printable(_logger: Any, _name: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """For a terminal (the readable renderer): control characters in text values shown as code points
    (``markup.plain``): a name a hijacker chose is logged (a new admin's, in an incident's summary), and ESC in it
    would drive the terminal reading the log. The JSON renderer escapes them itself."""
    from sentinel.markup import plain

    for key, value in event_dict.items():
        if isinstance(value, str) and key != "exception":  # (a traceback's lines are its own)
            event_dict[key] = plain(value)
    return event_dict


class _StderrLoggerFactory:
    """Print loggers on whatever ``sys.stderr`` is when a line is logged (it may be replaced, e.g. by tests)."""

    def __call__(self, *args: Any) -> structlog.PrintLogger:
        return structlog.PrintLogger(file=sys.stderr)


def configure(level: str = "info", fmt: str = "auto", stream: TextIO | None = None) -> None:
    use_json = fmt == "json" or (fmt == "auto" and not (stream or sys.stderr).isatty())
    renderer: Any = structlog.processors.JSONRenderer() if use_json else structlog.dev.ConsoleRenderer(colors=False)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            redact,
            structlog.processors.format_exc_info,
            *(() if use_json else (_printable,)),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelNamesMapping()[level.upper()]),
        logger_factory=structlog.PrintLoggerFactory(file=stream) if stream else _StderrLoggerFactory(),
        cache_logger_on_first_use=False,
    )


def get_logger(component: str) -> Any:
    """A logger bound to ``component``, resolved lazily: module-level loggers follow ``configure()``."""
    return structlog.get_logger(component=component)
