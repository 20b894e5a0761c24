"""Planning a maintenance window from the console (``POST /maintenance``, responders): one configured page's alerts
are muted from ``starts`` (the page's own time; now if empty) for a while. Like the operator API's, a window
leaves hijack alerts alone (``category!=hijack``) unless the person ticks "also mute hijack alerts" and gives
their TOTP code, as for a silence that could mute one. Listed and expired with the silences."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from aiohttp import web

from sentinel.config.types import parse_duration
from sentinel.console.base import Console, Redirect, html_guarded, log
from sentinel.console.silences import MAX_SILENCE, code_refused, render
from sentinel.rules.silences import Matcher
from sentinel.security.roles import Role


def _starts(text: str, tz: str, now: datetime) -> datetime:
    """``starts`` from the form: empty for now; a time without an offset is the page's own."""
    text = text.strip()
    if not text:
        return now
    t = datetime.fromisoformat(text[:40])  # ValueError: the caller answers 400
    return t.replace(tzinfo=ZoneInfo(tz)) if t.tzinfo is None else t


def maintenance_routes(console: Console) -> list[web.RouteDef]:
    async def create(request: web.Request) -> web.StreamResponse:
        who = await console.who(request, Role.RESPONDER)
        await console.svc.ready()
        f, now = who.form, console.clock.now()
        page = next((p for p in getattr(console.config(), "pages", []) if p.id == f.get("page")), None)
        if page is None:
            return await render(console, who, error="page: choose one of the configured pages.", status=400)
        try:
            starts = _starts(f.get("starts", ""), page.timezone, now)
        except (ValueError, OverflowError):
            return await render(console, who, error="starts: a time like 2025-09-26T22:00, or empty", status=400)
        try:
            span = parse_duration(f.get("for", ""))
        except (ValueError, OverflowError):
            span = timedelta(0)
        if not timedelta(0) < span <= MAX_SILENCE or not now - MAX_SILENCE < starts < now + MAX_SILENCE:
            why = "for: a duration above zero and at most 90 days, like 2h; starts: within 90 days of now"
            return await render(console, who, error=why, status=400)
        if starts + span <= now:
            return await render(console, who, error="That window is over already.", status=400)
        matchers: tuple[Matcher, ...] = (Matcher("page", page.id),)
        if f.get("hijack") == "1":
            if refused := await code_refused(console, who, request, "maintenance"):
                status, why = refused
                why = why or "Muting hijack alerts needs your code (or leave the box unticked)."
                return await render(console, who, status=status, error=why)
        else:
            matchers += (Matcher("category", "hijack", "!="),)
        rec = await console.svc.book.create(
            "maintenance", matchers, starts, starts + span, f.get("comment", "")[:1000], who.person
        )
        log.info("console.maintenance_planned", id=rec.silence.id, page=page.id, by=who.person)
        raise Redirect("/silences?done=planned")

    return [web.post("/maintenance", html_guarded(create))]
