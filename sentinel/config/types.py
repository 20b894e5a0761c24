"""Value types used in config and rule files: durations, secrets, time zones.

Each is a pydantic-aware type so that a bad value is reported with its key
path, and the loader adds file, line and column.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    GetCoreSchemaHandler,
    PlainSerializer,
    model_validator,
)
from pydantic_core import core_schema

_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d|w)")
_UNIT_S = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(value: Any) -> timedelta:
    """``30s``, ``10m``, ``4h``, ``1d``, ``1h30m``, ``500ms`` or a number of seconds."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool):
        raise ValueError(f"bad duration {value!r} (write it like 30s, 10m, 4h or 1d)")
    if isinstance(value, int | float):
        if value < 0:
            raise ValueError(f"duration {value!r} is negative")
        return _seconds(value, value)
    text = str(value).strip().replace(" ", "")
    pos, total = 0, 0.0
    for m in _DURATION.finditer(text):
        if m.start() != pos:
            break
        total += float(m.group(1)) * _UNIT_S[m.group(2)]
        pos = m.end()
    if pos != len(text) or not text:
        raise ValueError(f"bad duration {value!r} (write it like 30s, 10m, 4h or 1d)")
    return _seconds(total, value)


# The longest span a setting may name: every one is added to a time somewhere (a deadline, a window's start), and
# a datetime ends at the year 9999; ten years is longer than any window, memory or deadline means.
MAX_DURATION = timedelta(days=3650)


def _seconds(seconds: float, written: Any) -> timedelta:
    if not seconds <= MAX_DURATION.total_seconds():  # (also nan)
        raise ValueError(f"duration {written!r} is longer than Sentinel takes (at most {MAX_DURATION.days}d)")
    return timedelta(seconds=seconds)


def format_duration(d: timedelta) -> str:
    s = int(d.total_seconds())
    for unit, n in (("d", 86400), ("h", 3600), ("m", 60)):
        if s and s % n == 0:
            return f"{s // n}{unit}"
    return f"{s}s"


Duration = Annotated[timedelta, BeforeValidator(parse_duration), PlainSerializer(format_duration)]


def _staffed_spec(v: dict[str, str] | None) -> dict[str, str] | None:
    from sentinel.staffed import StaffedHours, StaffedHoursError

    try:
        StaffedHours.parse(v)
    except StaffedHoursError as e:
        raise ValueError(str(e)) from None
    return v


def _holiday_country(v: str | None) -> str | None:
    from sentinel.staffed import StaffedHours, StaffedHoursError

    try:
        StaffedHours.parse(None, holidays=v)
    except StaffedHoursError as e:
        raise ValueError(str(e)) from None
    return v


_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")
# One code per language, as the language detector names it (ISO 639-1): Norwegian's two written standards are
# Norwegian, and the three-letter codes of the languages Sentinel reads are their two-letter ones.
LANGUAGE_ALIASES = {"nb": "no", "nn": "no", "nob": "no", "nno": "no", "nor": "no"}
LANGUAGE_ALIASES |= {"swe": "sv", "dan": "da", "eng": "en"}


def language_code(tag: Any) -> str:
    """The ISO 639-1 code of a language tag, as the rest of Sentinel compares it: ``sv-SE``, ``sv_SE`` and ``SV``
    are ``sv``, ``nb-NO`` and ``nn`` are ``no``, ``dan`` is ``da``. Raises ``ValueError`` for what is no language
    tag ("Danish"): a page whose language is misread would have its comments scored with another language's
    words, and its alerts written in English, without a word."""
    text = str(tag).strip()
    if not _LANGUAGE_TAG.fullmatch(text):
        raise ValueError(f"{tag!r} is not a language code (write a two-letter ISO 639-1 code: sv, en, da, no, fi, ...)")
    primary = re.split(r"[-_]", text, maxsplit=1)[0].lower()
    primary = LANGUAGE_ALIASES.get(primary, primary)
    if len(primary) != 2:
        raise ValueError(f"{tag!r}: write the language's two-letter ISO 639-1 code (sv, en, da, no, fi, ...)")
    return primary


# Weekly hours such as {"mon-fri": "08:00-17:00", "sat": "10:00-14:00"}; None = around the clock.
StaffedSpec = Annotated[dict[str, str] | None, AfterValidator(_staffed_spec)]
# An ISO country code whose public holidays the ``holidays`` package knows.
HolidayCountry = Annotated[str | None, AfterValidator(_holiday_country)]
# A language tag (``sv``, ``sv-SE``, ``nb``), kept as its two-letter code (``language_code``).
LanguageCode = Annotated[str, BeforeValidator(language_code)]


class Secret:
    """A secret value: prints as ``<secret>`` everywhere; ``reveal()`` gives the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "<secret>"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        def validate(v: Any) -> Secret:
            if isinstance(v, Secret):
                return v
            if not isinstance(v, str | int):
                raise ValueError("a secret must be a string")
            return Secret(str(v))

        return core_schema.no_info_plain_validator_function(
            validate, serialization=core_schema.plain_serializer_function_ser_schema(lambda s: "<secret>")
        )


# True while a command that only reads loads its config: an unreadable secret file is then no error (the
# daemon's secrets are not needed to list incidents); the daemon and `sentinel check --strict` load strictly.
READ_ONLY: ContextVar[bool] = ContextVar("sentinel_config_read_only", default=False)
UNREAD_SECRET = "<unread secret file>"


class SentinelModel(BaseModel):
    """Base of every config model: frozen, unknown keys rejected.

    A ``Secret`` field ``x`` may instead be given as ``x_file: PATH``; the
    file's content (stripped) becomes the secret.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _secret_files(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        out = None
        for key in list(data):
            if not isinstance(key, str) or not key.endswith("_file"):
                continue
            base = key[: -len("_file")]
            field = cls.model_fields.get(base)
            if field is None or "Secret" not in str(field.annotation):
                continue
            out = out if out is not None else dict(data)
            path = out.pop(key)
            if base in out:
                raise ValueError(f"give either '{base}' or '{key}', not both")
            try:
                out[base] = Path(str(path)).read_text(encoding="utf-8").strip()
            except OSError as e:
                if not READ_ONLY.get():
                    raise ValueError(f"{key}: cannot read {path}: {e.strerror}") from None
                out[base] = UNREAD_SECRET
        return data if out is None else out
