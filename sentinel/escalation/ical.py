"""An iCalendar (RFC 5545) feed of one person's on-call shifts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sentinel.escalation.config import ScheduleConfig
from sentinel.escalation.schedule import shifts


def _stamp(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def ical(schedules: Sequence[ScheduleConfig], person: str, start: datetime, end: datetime, *, now: datetime) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Sentinel//on-call//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(f'On call: {person}')}",
    ]
    for s in schedules:
        for sh in shifts(s, start, end):
            if person not in sh.people:
                continue
            lines += [
                "BEGIN:VEVENT",
                f"UID:{s.name}-{person}-{_stamp(sh.start)}@sentinel",
                f"DTSTAMP:{_stamp(now)}",
                f"DTSTART:{_stamp(sh.start)}",
                f"DTEND:{_stamp(sh.end)}",
                f"SUMMARY:{_escape(f'On call: {s.name}')}",
                "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"
