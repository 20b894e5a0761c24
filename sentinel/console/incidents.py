"""The console's incident routes: the list (open and recent, filtered by page, category, severity and state),
an incident's page (also where Alertmanager's ``generatorURL`` ``/incidents/inc-…`` leads), and acknowledge,
resolve, snooze and take over.

Acting goes through ``IncidentActions`` as the API does: a code given is checked for the signed-in person (and
the incident must be routed to them, or taken over first); a hijack needs one. Without a code, a responder's
session acts on other categories as an operator token would, written to the audit trail (result ``session``).
"""

from __future__ import annotations

from datetime import datetime

from aiohttp import web

from sentinel.config.types import parse_duration
from sentinel.console.base import Console, Redirect, Who, html_guarded, log
from sentinel.console.incident_view import SNOOZES, done_message, page_zone, render_incident
from sentinel.console.layout import esc, table, when
from sentinel.console.reads import recent_incidents
from sentinel.incidents import IncidentError
from sentinel.incidents.state import IncidentState, IncidentStatus
from sentinel.model import Category, Severity
from sentinel.security.actions import Action, Outcome
from sentinel.security.roles import Role
from sentinel.security.services import remote_of
from sentinel.security.store import AuditEntry

STATES = ("open", "triggered", "acknowledged", "resolved", "all")


def _select(name: str, options: list[str], chosen: str, any_label: str = "any") -> str:
    opts = f'<option value="">{esc(any_label)}</option>' if any_label else ""
    opts += "".join(f"<option{' selected' if o == chosen else ''}>{esc(o)}</option>" for o in options)
    return f"<label>{esc(name)} <select name={name}>{opts}</select></label> "


def _keep(st: IncidentState, page: str, category: str, severity: str, state: str) -> bool:
    if page and st.page != page:
        return False
    if category and str(st.category) != category:
        return False
    if severity and str(st.severity) != severity:
        return False
    if state == "open":
        return st.status != IncidentStatus.RESOLVED
    return state in ("", "all") or str(st.status) == state


def incident_routes(console: Console) -> list[web.RouteDef]:
    async def listing(request: web.Request) -> web.StreamResponse:
        who = await console.who(request, Role.VIEWER)
        q = request.query
        page, category, severity = q.get("page", "")[:200], q.get("category", ""), q.get("severity", "")
        state = q.get("state", "open") if q.get("state", "open") in STATES else "open"
        recent = await recent_incidents(console.db)
        pages = sorted({p.id for p in getattr(console.config(), "pages", [])} | {st.page for st in recent})
        shown = [st for st in recent if _keep(st, page, category, severity, state)]
        filters = (
            '<form method=get action="/" id=filters>'
            + _select("page", pages, page)
            + _select("category", [str(c) for c in Category], category)
            + _select("severity", [str(s) for s in Severity], severity)
            + _select("state", list(STATES), state, any_label="")
            + "<button>Show</button></form>"
        )
        rows = []
        for st in shown:
            tz = page_zone(console, st.page)
            rows.append(
                (
                    f'<a href="/incidents/{esc(st.id)}">{esc(st.id)}</a>',
                    esc(when(st.opened_at, tz)),
                    f"<span class={esc(str(st.status))}>{esc(str(st.status))}</span>",
                    f"<span class={esc(str(st.severity))}>{esc(str(st.severity))}</span>",
                    esc(str(st.category)),
                    esc(st.page),
                    esc(st.summary),
                    esc(st.acked_by or "-"),
                )
            )
        body = filters + table(
            ("ID", "opened (page time)", "status", "severity", "category", "page", "summary", "acked by"),
            rows,
            empty="No incident matches.",
        )
        return who.page(f"Incidents ({state})", body)

    async def show(request: web.Request) -> web.StreamResponse:
        who = await console.who(request, Role.VIEWER)
        return await render_incident(console, who, request.match_info["id"], flash=done_message(request.query))

    async def act(request: web.Request) -> web.StreamResponse:
        who = await console.who(request, Role.RESPONDER)
        iid, verb = request.match_info["id"], request.match_info["action"]
        await console.svc.ready()
        out = await _perform(console, who, request, iid, verb)
        if out.ok:
            raise Redirect(f"/incidents/{iid}?done={verb}")
        return await render_incident(console, who, iid, error=out.message, status=out.status)

    return [
        web.get("/", html_guarded(listing)),
        web.get("/incidents/{id}", html_guarded(show)),
        web.post("/incidents/{id}/{action:ack|resolve|snooze|take-over}", html_guarded(act)),
    ]


async def _perform(console: Console, who: Who, request: web.Request, iid: str, verb: str) -> Outcome:
    svc, now, remote = console.svc, console.clock.now(), remote_of(request)
    code = who.form.get("code", "").strip() or None
    if code is not None and len(code) > 32:
        return Outcome(400, "a code is six digits")
    if verb == "take-over":
        if code is None:
            return Outcome(401, "taking an incident over needs your TOTP code")
        reason = who.form.get("reason", "")[:500]
        return await svc.actions.take_over(
            iid, now, source="console", remote=remote, person=who.person, code=code, reason=reason
        )
    action = Action(verb)
    until = None
    if action == Action.SNOOZE:
        span = who.form.get("for", "")
        if span not in SNOOZES:
            return Outcome(400, f"snooze for one of {', '.join(SNOOZES)}")
        until = now + parse_duration(span)
    if code is not None:
        return await svc.actions.act(
            iid, action, now, source="console", remote=remote, person=who.person, code=code, until=until
        )
    inc = await svc.incidents.get(iid)
    if inc is None:
        return Outcome(404, f"no incident {iid!r}")
    if inc.category == Category.HIJACK:
        await svc.store.audit(AuditEntry(now, who.person, "console", remote, str(action), iid, "refused_needs_code"))
        return Outcome(403, "a hijack incident needs your TOTP code")
    return await _by_session(console, who.person, remote, iid, action, until)


async def _by_session(
    console: Console, person: str, remote: str, iid: str, action: Action, until: datetime | None
) -> Outcome:
    svc, now = console.svc, console.clock.now()
    try:
        if action == Action.ACK:
            inc = await svc.incidents.acknowledge(iid, person, now)
        elif action == Action.RESOLVE:
            inc = await svc.incidents.resolve(iid, person, now)
        else:
            assert until is not None
            inc = await svc.incidents.snooze(iid, until, person, now)
    except IncidentError as e:
        return Outcome(409, str(e))
    await svc.store.audit(AuditEntry(now, person, "console", remote, str(action), iid, "session"))
    log.info("console.incident_changed", incident=iid, action=str(action), by=person)
    return Outcome(200, f"{action} done", inc)
