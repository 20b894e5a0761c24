"""The small stages a due notification passes before it is sent:
mute → avoid → bundle → dedup → (limit) → send with retry → record.

Each stage is a pure function over rows and ``now``; the notifier runs them
in order and does the I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sentinel.model import NotificationIntent, NotificationKind
from sentinel.notify.outbox import Row, utc

#: a predicate the app can supply (silences, maintenance windows): True mutes the notification
Muter = Callable[[NotificationIntent, datetime], bool]


def mute(rows: Sequence[Row], resolved: set[str], muter: Muter | None, now: datetime) -> tuple[list[Row], list[Row]]:
    """(kept, muted): a page for an incident that has resolved meanwhile is not sent, nor one the muter mutes."""
    kept: list[Row] = []
    muted: list[Row] = []
    for r in rows:
        i = r.intent
        if (i.kind == NotificationKind.PAGE and i.incident in resolved) or (muter is not None and muter(i, now)):
            muted.append(r)
        else:
            kept.append(r)
    return kept, muted


def avoid(
    rows: Sequence[Row], unreachable: set[tuple[str, str]], guarded: Callable[[NotificationIntent], bool]
) -> tuple[list[Row], list[Row]]:
    """(kept, avoided): a ``guarded`` notification (one about a failed delivery) is not sent to a
    (person, channel) pair whose last delivery gave up; every other notification is kept."""
    kept: list[Row] = []
    avoided: list[Row] = []
    for r in rows:
        dead = (r.intent.recipient.name, r.channel) in unreachable
        (avoided if dead and guarded(r.intent) else kept).append(r)
    return kept, avoided


@dataclass(frozen=True, slots=True)
class Group:
    """Rows that go out as one message (several only for SMS to one number)."""

    channel: str
    rows: tuple[Row, ...]

    @property
    def leader(self) -> Row:
        return self.rows[0]


def bundle(rows: Sequence[Row], is_sms: Callable[[str], bool]) -> list[Group]:
    """One group per row, except SMS rows to the same number on the same channel, which go together."""
    groups: dict[tuple[str, str], list[Row]] = {}
    out: list[Group] = []
    for r in rows:
        if is_sms(r.channel) and r.address:
            groups.setdefault((r.channel, r.address), []).append(r)
        else:
            out.append(Group(r.channel, (r,)))
    out += [Group(ch, tuple(rs)) for (ch, _), rs in groups.items()]
    return out


def dedup(group: Group) -> tuple[list[NotificationIntent], list[Row]]:
    """The intents a group's message carries: one per (incident, kind), the latest step; and the rows folded."""
    best: dict[tuple[str, str], NotificationIntent] = {}
    for r in group.rows:
        k = (r.intent.incident, str(r.intent.kind))
        if k not in best or r.intent.step > best[k].step:
            best[k] = r.intent
    intents = sorted(best.values(), key=lambda i: (i.time, i.incident))
    return intents, list(group.rows[1:])


@dataclass(frozen=True, slots=True)
class SmsLimit:
    bundle_window: timedelta
    limit: int
    window: timedelta

    def hold_until(self, sends: Sequence[float], now: datetime) -> tuple[datetime | None, bool]:
        """When an SMS to a number that got SMS at ``sends`` (ascending) may go, or None for now.

        The second value is True when the per-number limit (not the bundle window) holds it.
        """
        recent = [s for s in sends if s > (now - self.window).timestamp()]
        if len(recent) >= self.limit:
            return utc(recent[len(recent) - self.limit] + self.window.total_seconds()), True
        if sends:
            opens = utc(sends[-1] + self.bundle_window.total_seconds())
            if opens > now:
                return opens, False
        return None, False
