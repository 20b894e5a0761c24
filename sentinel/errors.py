"""Errors a user can act on. Each names where the problem is."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in a file: ``file:line:col: where: what``."""

    file: str
    line: int | None
    col: int | None
    where: str
    what: str

    def __str__(self) -> str:
        pos = self.file
        if self.line is not None:
            pos += f":{self.line}"
            if self.col is not None:
                pos += f":{self.col}"
        return f"{pos}: {self.where}: {self.what}" if self.where else f"{pos}: {self.what}"


class SentinelError(Exception):
    """Base of every error Sentinel raises on purpose."""


class ConfigError(SentinelError):
    """A config or rule file is wrong. Carries every issue found, not just the first."""

    def __init__(self, issues: list[Issue], notes: list[Issue] | None = None) -> None:
        self.issues = issues
        self.notes = notes or []  # what is worth saying beside them, not wrong in itself (``sentinel check``)
        super().__init__("\n".join(str(i) for i in issues))


class EventError(SentinelError):
    """An event (a replay line, an ingest body line, an element of an ingest array: ``item``, from 1) is malformed."""

    def __init__(self, what: str, *, line: int | None = None, source: str = "", item: int | None = None) -> None:
        self.what = what
        self.line = line
        self.item = item
        self.source = source
        where = source
        if line is not None:
            where = f"{source}:{line}" if source else f"line {line}"
        elif item is not None:
            where = f"{source}: item {item}" if source else f"item {item}"
        super().__init__(f"{where}: {what}" if where else what)


class SourceError(SentinelError):
    """A source could not read a page."""


class DeliveryError(SentinelError):
    """A notification could not be delivered (see ``sentinel.notify`` for the reasons)."""


class StoreError(SentinelError):
    """The store could not be opened, migrated or written."""


class StoreUnavailable(StoreError):
    """The store cannot take the call now (its connection was lost and is being reopened, its disk is full): nothing
    was written, and the same call may succeed later. Callers answer 503, retry the batch, or wait a tick."""
