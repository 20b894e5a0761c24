"""The operator API: incidents (list, show, ack/resolve/snooze), silences and maintenance windows,
the signed-link page, the SMS inbound webhooks, and ``/api/v1/openapi.json``.

Reads need an operator bearer token. Acknowledging, resolving or snoozing a
hijack incident needs a person's TOTP code; other categories also accept a
token. A person's code acts only on the incidents routed to them; anyone
enrolled may take an incident over (``/take-over``, with their code) first.
Bodies are JSON objects of at most 64 KiB.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

import orjson
from aiohttp import web

from sentinel.clock import Clock
from sentinel.config.types import parse_duration
from sentinel.events import nesting
from sentinel.incidents import IncidentManager
from sentinel.rules.silences import Matcher, Suppressor
from sentinel.security.actions import Action
from sentinel.security.guessing import AlarmHook
from sentinel.security.inbound import link_routes, sms_routes
from sentinel.security.openapi import openapi
from sentinel.security.services import BadRequest, Services, guarded, remote_of
from sentinel.security.silences import may_mute_hijack, parse_matchers
from sentinel.security.totp import Attempt, SecurityAlert, Verdict
from sentinel.sources.body import read_body
from sentinel.store import Database

MAX_SILENCE = timedelta(days=90)
_UNAUTHORIZED = {"WWW-Authenticate": 'Bearer realm="sentinel"'}


async def _json(request: web.Request) -> dict[str, Any]:
    body = await read_body(request)
    if not body.strip():
        return {}
    try:
        data = nesting.loads(body)
    except nesting.TooDeep as e:
        raise BadRequest(400, f"the body {e}") from None
    except orjson.JSONDecodeError:
        raise BadRequest(400, "the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise BadRequest(400, "the body must be a JSON object")
    return data


def _str(data: dict[str, Any], key: str, limit: int = 200) -> str | None:
    v = data.get(key)
    if v is None:
        return None
    if not isinstance(v, str) or len(v) > limit:
        raise BadRequest(400, f"{key}: a string of at most {limit} characters")
    return v


def _time(data: dict[str, Any], key: str) -> datetime | None:
    v = _str(data, key, 64)
    if v is None:
        return None
    try:
        t = datetime.fromisoformat(v)
    except ValueError:
        raise BadRequest(400, f"{key}: not an ISO 8601 time") from None
    if t.tzinfo is None:
        raise BadRequest(400, f"{key}: give a time zone offset (like 2025-09-26T21:40:00+02:00 or ...Z)")
    return t


def _ends(data: dict[str, Any], starts: datetime) -> datetime:
    ends = _time(data, "ends") or _time(data, "until")
    if ends is None and (span := _str(data, "for", 32)) is not None:
        try:
            ends = starts + parse_duration(span)
        except (ValueError, OverflowError):
            raise BadRequest(400, "for: a duration like 30m, 4h or 1d") from None
    if ends is None:
        raise BadRequest(400, "give 'ends' (an ISO time) or 'for' (a duration)")
    if ends <= starts:
        raise BadRequest(400, "the end must come after the start")
    if ends - starts > MAX_SILENCE:
        raise BadRequest(400, "at most 90 days")
    return ends


def operator_routes(
    config: Any,
    incidents: IncidentManager,
    db: Database,
    clock: Clock,
    *,
    suppressor: Suppressor | None = None,
    on_security_alert: SecurityAlert | None = None,
    on_security_alarm: AlarmHook | None = None,
    services: Services | None = None,
) -> list[web.RouteDef]:
    """``config``: the root config (its ``security`` and ``people`` sections are used). Security alarms (a
    lockout, code guessing) go to ``on_security_alarm``, else (subject and reason only) to ``on_security_alert``.
    ``services``: the ones to share with the console (one silence book, one code guard); else built here."""
    svc = services or Services(
        config,
        incidents,
        db,
        clock,
        suppressor=suppressor,
        on_security_alert=on_security_alert,
        on_security_alarm=on_security_alarm,
    )
    building = asyncio.Semaphore(1)  # one report built at a time: each holds every stored event

    def operator(request: web.Request) -> str:
        name = svc.tokens.authenticate(request.headers)
        if name is None:
            raise BadRequest(401, "missing or wrong bearer token")
        return name

    async def list_incidents(request: web.Request) -> web.StreamResponse:
        operator(request)
        return web.json_response({"incidents": [i.to_json() for i in await incidents.list_open()]})

    async def show_incident(request: web.Request) -> web.StreamResponse:
        operator(request)
        inc = await incidents.get(request.match_info["id"])
        if inc is None:
            raise BadRequest(404, "no such incident")
        return web.json_response(inc.to_json())

    async def act(request: web.Request) -> web.StreamResponse:
        await svc.ready()
        data = await _json(request)
        action = Action(request.match_info["action"])
        person, code = _str(data, "person", 64), _str(data, "code", 32)
        now = clock.now()
        until = _ends(data, now) if action == Action.SNOOZE else None
        op = svc.tokens.authenticate(request.headers)
        if code is None and op is None:
            raise BadRequest(401, "give 'person' and 'code' (TOTP), or an operator bearer token")
        if code is not None and not person:
            raise BadRequest(400, "a code needs the 'person' it belongs to")
        out = await svc.actions.act(
            request.match_info["id"],
            action,
            now,
            source="api",
            remote=remote_of(request),
            person=person,
            code=code,
            operator=None if code is not None else op,
            until=until,
        )
        if not out.ok:
            raise BadRequest(out.status, out.message)
        assert out.incident is not None
        return web.json_response(out.incident.to_json())

    async def take_over(request: web.Request) -> web.StreamResponse:
        await svc.ready()
        data = await _json(request)
        person, code = _str(data, "person", 64), _str(data, "code", 32)
        if not person or code is None:
            raise BadRequest(401, "give 'person' and their TOTP 'code': taking an incident over needs a person")
        out = await svc.actions.take_over(
            request.match_info["id"],
            clock.now(),
            source="api",
            remote=remote_of(request),
            person=person,
            code=code,
            reason=_str(data, "reason", 500) or "",
        )
        if not out.ok:
            raise BadRequest(out.status, out.message)
        assert out.incident is not None
        return web.json_response(out.incident.to_json())

    async def list_silences(request: web.Request, kind: str) -> web.StreamResponse:
        operator(request)
        now = clock.now()
        return web.json_response({"items": [r.to_json(now) for r in await svc.book.list(kind)]})

    async def create_silence(request: web.Request) -> web.StreamResponse:
        op = operator(request)
        await svc.ready()
        data = await _json(request)
        try:
            matchers = parse_matchers(data.get("matchers"))
        except ValueError as e:
            raise BadRequest(400, str(e)) from None
        now = clock.now()
        starts = _time(data, "starts") or now
        ends = _ends(data, starts)
        by = f"operator:{op}"
        if may_mute_hijack(matchers):
            person, code = _str(data, "person", 64), _str(data, "code", 32)
            if not person or code is None:
                raise BadRequest(
                    403,
                    "this silence could mute hijack alerts: give 'person' and their TOTP 'code' "
                    "(or add the matcher category!=hijack)",
                )
            if (
                refused := await svc.actions.only_reads(person, "silence", "silence", now, "api", remote_of(request))
            ) is not None:
                raise BadRequest(refused.status, refused.message)
            verdict = await svc.guard.verify(code, Attempt(person, "api", remote_of(request), "silence"), now)
            if verdict != Verdict.OK:
                raise BadRequest(423 if verdict == Verdict.LOCKED else 403, "the TOTP code was not accepted")
            by = person
        rec = await svc.book.create("silence", matchers, starts, ends, _str(data, "comment", 1000) or "", by)
        return web.json_response(rec.to_json(now), status=201)

    async def create_maintenance(request: web.Request) -> web.StreamResponse:
        op = operator(request)
        await svc.ready()
        data = await _json(request)
        page = _str(data, "page", 200)
        if not page:
            raise BadRequest(400, "page: the page id the window is for")
        if page not in svc.running.pages:  # a typo would make a window that mutes nothing
            known = ", ".join(svc.running.pages) or "none"
            raise BadRequest(400, f"page: no page {page!r} in the config (pages: {known})")
        now = clock.now()
        starts = _time(data, "starts") or now
        matchers = (Matcher("page", page), Matcher("category", "hijack", "!="))
        rec = await svc.book.create(
            "maintenance", matchers, starts, _ends(data, starts), _str(data, "comment", 1000) or "", f"operator:{op}"
        )
        return web.json_response(rec.to_json(now), status=201)

    async def expire(request: web.Request, kind: str) -> web.StreamResponse:
        operator(request)
        await svc.ready()
        sid = request.match_info["id"]
        rec = svc.book.get(sid)
        if rec is None or rec.kind != kind:
            raise BadRequest(404, f"no {kind} {sid!r}")
        now = clock.now()
        done = await svc.book.expire(sid, now)
        if done is None:
            raise BadRequest(409, f"{kind} {sid!r} is already expired")
        return web.json_response(done.to_json(now))

    async def spec(_: web.Request) -> web.StreamResponse:
        return web.json_response(openapi())

    async def report(request: web.Request) -> web.StreamResponse:
        """``sentinel report`` over the store: ``?page=&from=&to=&format=json|csv|html|text&all=1``."""
        operator(request)
        from sentinel.reports.http import report_response

        return await report_response(request.query, config, db, building)

    async def silences_get(r: web.Request) -> web.StreamResponse:
        return await list_silences(r, "silence")

    async def maintenance_get(r: web.Request) -> web.StreamResponse:
        return await list_silences(r, "maintenance")

    async def silence_delete(r: web.Request) -> web.StreamResponse:
        return await expire(r, "silence")

    async def maintenance_delete(r: web.Request) -> web.StreamResponse:
        return await expire(r, "maintenance")

    routes = [
        web.get("/api/v1/openapi.json", spec),
        web.get("/api/v1/report", guarded(report)),
        web.get("/api/v1/incidents", guarded(list_incidents)),
        web.get("/api/v1/incidents/{id}", guarded(show_incident)),
        web.post("/api/v1/incidents/{id}/{action:ack|resolve|snooze}", guarded(act)),
        web.post("/api/v1/incidents/{id}/take-over", guarded(take_over)),
        web.get("/api/v1/silences", guarded(silences_get)),
        web.post("/api/v1/silences", guarded(create_silence)),
        web.delete("/api/v1/silences/{id}", guarded(silence_delete)),
        web.get("/api/v1/maintenance", guarded(maintenance_get)),
        web.post("/api/v1/maintenance", guarded(create_maintenance)),
        web.delete("/api/v1/maintenance/{id}", guarded(maintenance_delete)),
    ]
    return routes + sms_routes(svc) + link_routes(svc)
