"""The security audit trail in the console (admins only): who signed in, acknowledged, took over, silenced, and
every code that failed, newest first, filtered by person or incident."""

from __future__ import annotations

from aiohttp import web

from sentinel.console.base import Console, html_guarded
from sentinel.console.layout import esc, table, when
from sentinel.console.reads import audit_trail
from sentinel.security.roles import Role


def audit_routes(console: Console) -> list[web.RouteDef]:
    async def page(request: web.Request) -> web.StreamResponse:
        who = await console.who(request, Role.ADMIN)
        await console.svc.ready()
        person, incident = request.query.get("person", "")[:64], request.query.get("incident", "")[:64]
        entries = await audit_trail(console.db, person=person or None, incident=incident or None)
        rows = [
            (
                esc(when(e.time)),
                esc(e.person),
                esc(e.action),
                esc(e.incident or "-"),
                esc(e.result),
                esc(e.source),
                esc(e.remote),
            )
            for e in entries
        ]
        filters = (
            '<form method=get action="/audit">'
            f'<label>person <input name=person value="{esc(person)}" size=12></label> '
            f'<label>incident <input name=incident value="{esc(incident)}" size=12></label> '
            "<button>Show</button></form>"
        )
        body = (
            filters
            + "<div id=audit>"
            + table(("time", "person", "action", "incident", "result", "source", "from"), rows, empty="No entries.")
            + "</div>"
        )
        return who.page("Audit trail", body)

    return [web.get("/audit", html_guarded(page))]
