"""The monitored pages in the console: ``/pages`` (each page's last event, source health, open customer items,
overdue ones and the next deadline, with what ``/readyz`` reports) and ``/pages/<id>`` (one page: its source in
detail and the SLA work list, each open item with its deadline). Readable by viewers."""

from __future__ import annotations

from datetime import datetime

from aiohttp import web

from sentinel.config.schema import PageConfig
from sentinel.console.base import Console, Refused, html_guarded
from sentinel.console.layout import esc, table, when
from sentinel.console.page_reads import KEEP, SourceHealth, WorkList, last_event, source_health, work_list
from sentinel.console.reads import recent_incidents
from sentinel.incidents.state import IncidentStatus
from sentinel.security.roles import Role
from sentinel.sources.graph_client import ErrorKind


def _pages(console: Console) -> list[PageConfig]:
    return list(getattr(console.config(), "pages", []))


def _health(h: SourceHealth, tz: str) -> str:
    """One cell: whether the source can read the page, and if not, why and since when."""
    if not h.polled:
        return f"<span class=muted>{esc(h.note)}</span>"
    if h.trouble is not None:
        return (
            f"<span class=critical>failing</span> since {esc(when(h.failing_since, tz))}: {esc(h.trouble)}"
            f" (error {esc(str(h.error_code))})"
        )
    if not h.healthy:
        return "<span class=warning>reads failed and none has succeeded lately</span>"
    return "ok" if h.next_read is not None else f"<span class=muted>{esc(h.note)}</span>"


def _usage(h: SourceHealth) -> str:
    if h.calls_last_hour is None:
        return "-"
    cap = f" of {h.calls_cap}" if h.calls_cap is not None else ""
    pct = f"; Meta's usage {h.usage_pct:.0f}%" if h.usage_pct is not None else ""
    return esc(f"{h.calls_last_hour}{cap} calls in the last hour{pct}")


async def _readiness(console: Console) -> str:
    if console.readiness is None:
        return ""
    checks = await console.readiness()
    parts = [f"{esc(k)} <b>{'ok' if v else '<span class=critical>NOT READY</span>'}</b>" for k, v in checks.items()]
    return "<p id=readiness>Readiness (<code>/readyz</code>): " + " · ".join(parts) + "</p>"


def _deadlines(wl: WorkList, now: datetime, tz: str) -> tuple[str, str, str]:
    overdue = wl.overdue(now)
    due = f"<span class=critical>{overdue}</span>" if overdue else "0"
    more = "+" if wl.cut_short else ""
    return f"{len(wl.items)}{more}", due, esc(when(wl.next_deadline(now), tz))


def page_routes(console: Console) -> list[web.RouteDef]:
    async def listing(request: web.Request) -> web.StreamResponse:
        who = await console.who(request, Role.VIEWER)
        now, poller = console.clock.now(), console.poller()
        open_incidents: dict[str, int] = {}
        for st in await recent_incidents(console.db):
            if st.status != IncidentStatus.RESOLVED:
                open_incidents[st.page] = open_incidents.get(st.page, 0) + 1
        rows = []
        for p in _pages(console):
            last = await last_event(console.db, p.id)
            wl = await work_list(console.db, p, now)
            health = source_health(p, poller, now)
            n = open_incidents.get(p.id, 0)
            rows.append(
                (
                    f'<a href="/pages/{esc(p.id)}">{esc(p.id)}</a><br><span class=muted>{esc(p.display_name)}</span>',
                    esc(f"{when(last.time, p.timezone)} {last.kind}") if last is not None else "none yet",
                    _health(health, p.timezone),
                    _usage(health),
                    *_deadlines(wl, now, p.timezone),
                    f'<a href="/?page={esc(p.id)}">{n}</a>' if n else "0",
                )
            )
        body = (
            await _readiness(console)
            + "<div id=pages>"
            + table(
                (
                    "page",
                    "last event (page time)",
                    "source",
                    "Graph API use",
                    "open customer items",
                    "overdue",
                    "next deadline",
                    "open incidents",
                ),
                rows,
                empty="No pages are configured.",
            )
            + "</div>"
            + f"<p class=muted>Customer items of the last {KEEP.days} days, by the rules of docs/community.md.</p>"
        )
        return who.page("Pages", body)

    async def show(request: web.Request) -> web.StreamResponse:
        who = await console.who(request, Role.VIEWER)
        pid = request.match_info["page"]
        page = next((p for p in _pages(console) if p.id == pid), None)
        if page is None:
            raise Refused(404, f"No page {pid[:100]!r} in the config.", who)
        now, tz = console.clock.now(), page.timezone
        last = await last_event(console.db, page.id)
        h = source_health(page, console.poller(), now)
        wl = await work_list(console.db, page, now)
        facts = [
            ("last event", esc(f"{when(last.time, tz)} {last.kind} ({last.id})") if last else "none yet"),
            ("source", _health(h, tz)),
            ("token", esc(_token(page, h))),
            ("Graph API use", _usage(h)),
            ("next read", esc(when(h.next_read, tz))),
            ("response promise", esc(f"{page.response_sla} of staffed time")),
        ]
        items = [
            (
                esc(when(i.opened, tz)),
                esc(i.channel),
                esc(i.who),
                esc(i.text),
                (f"<span class=critical>{esc(when(i.deadline, tz))}</span>" if i.deadline and i.deadline <= now else "")
                or esc(when(i.deadline, tz)),
                f'<a href="{esc(i.link)}" rel="noreferrer noopener">open</a>' if i.link else "",
            )
            for i in wl.items
        ]
        cut = "<p class=warning>Only the newest events were read: older items are not listed.</p>"
        body = (
            table(("", ""), facts)
            + f"<h2>Waiting for an answer ({len(wl.items)}, {wl.overdue(now)} overdue)</h2>"
            + (cut if wl.cut_short else "")
            + "<div id=work-list>"
            + table(
                ("written (page time)", "channel", "who", "text", "deadline", ""),
                items,
                empty="Nothing waiting for an answer.",
            )
            + "</div>"
            + await _readiness(console)
        )
        return who.page(f"{page.display_name} ({page.id})", body)

    return [web.get("/pages", html_guarded(listing)), web.get("/pages/{page}", html_guarded(show))]


def _token(page: PageConfig, h: SourceHealth) -> str:
    if not h.polled:
        return "none (not polled)"
    if h.kind == ErrorKind.AUTH:
        return "refused: expired or revoked"
    if h.kind == ErrorKind.PERMISSION:
        return "accepted, but a permission or task is missing"
    return "configured; not refused" if h.next_read is not None else "configured"
