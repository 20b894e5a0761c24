"""Who is on call now and next, per schedule, with its overrides: a console page (with the person's own calendar
link, ``console.calendar``) and ``GET /api/v1/oncall`` (operator bearer token; what ``sentinel --url ... oncall``
prints)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

from sentinel.console.base import Console, html_guarded
from sentinel.console.calendar import DONE, calendar_section
from sentinel.console.layout import esc, table, when
from sentinel.escalation.config import OnCallConfig, ScheduleConfig
from sentinel.escalation.schedule import shifts, who
from sentinel.security.roles import Role
from sentinel.security.services import BadRequest, guarded

LOOK_AHEAD = timedelta(days=14)


@dataclass(frozen=True, slots=True)
class OnCall:
    schedule: str
    timezone: str
    now: tuple[str, ...]
    until: datetime | None  # when the current shift ends (None: not within LOOK_AHEAD)
    next: tuple[str, ...]
    next_until: datetime | None
    overrides: tuple[tuple[str, str, str, str], ...]  # (person, start, end, replaces) still to come or running

    def to_json(self) -> dict[str, Any]:
        return {
            "schedule": self.schedule,
            "timezone": self.timezone,
            "now": list(self.now),
            "until": self.until.isoformat() if self.until else None,
            "next": list(self.next),
            "next_until": self.next_until.isoformat() if self.next_until else None,
            "overrides": [{"person": p, "start": s, "end": e, "replaces": r or None} for p, s, e, r in self.overrides],
        }


def _of(s: ScheduleConfig, at: datetime) -> OnCall:
    span = shifts(s, at, at + LOOK_AHEAD)
    current = next((sh for sh in span if sh.start <= at < sh.end), None)
    after = [sh for sh in span if sh.start >= (current.end if current else at) and sh.people != who(s, at)]
    nxt = after[0] if after else None
    overrides = tuple(
        (o.person, o.start.isoformat(), o.end.isoformat(), o.replaces or "")
        for o in s.overrides
        if o.end.tzinfo is None or o.end > at
    )
    return OnCall(
        s.name,
        s.timezone,
        who(s, at),
        current.end if current else None,
        nxt.people if nxt else (),
        nxt.end if nxt else None,
        overrides,
    )


def oncall_now(config: Any, at: datetime) -> list[OnCall]:
    return [_of(s, at) for s in OnCallConfig.of(config).schedules]


def oncall_routes(console: Console) -> list[web.RouteDef]:
    async def page(request: web.Request) -> web.StreamResponse:
        viewer = await console.who(request, Role.VIEWER)
        now = console.clock.now()
        rows = [
            (
                f"<b>{esc(o.schedule)}</b>",
                esc(", ".join(o.now) or "NOBODY"),
                esc(when(o.until, o.timezone)),
                esc(", ".join(o.next) or "NOBODY"),
                esc(when(o.next_until, o.timezone)),
                esc("; ".join(f"{p} {s} – {e}" + (f" for {r}" if r else "") for p, s, e, r in o.overrides) or "-"),
            )
            for o in oncall_now(console.config(), now)
        ]
        body = f"<p class=muted>At {esc(when(now))}.</p>" + table(
            ("schedule", "on call now", "until", "next", "next until", "overrides"),
            rows,
            empty="No schedules are configured.",
        )
        body += await calendar_section(console, viewer, request)
        return viewer.page("On call", body, flash=DONE.get(request.query.get("done", "")))

    async def api(request: web.Request) -> web.StreamResponse:
        if console.svc.tokens.authenticate(request.headers) is None:
            raise BadRequest(401, "missing or wrong bearer token")
        now = console.clock.now()
        return web.json_response(
            {"at": now.isoformat(), "schedules": [o.to_json() for o in oncall_now(console.config(), now)]}
        )

    return [web.get("/oncall", html_guarded(page)), web.get("/api/v1/oncall", guarded(api))]
