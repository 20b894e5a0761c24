"""An incident's console page: what it is, where its escalation stands, who was paged when and on which
channel, its alerts, the events behind them (links to the posts and comments), its timeline, and the forms
that act on it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiohttp import web

from sentinel.console.base import Console, Refused, Who
from sentinel.console.layout import code_input, esc, form, table, when
from sentinel.console.reads import evidence, incident_alerts, incident_state
from sentinel.incidents.state import IncidentState, IncidentStatus, TimelineEntry
from sentinel.incidents.store import IncidentStore
from sentinel.model import Category
from sentinel.security.roles import Role

SNOOZES = ("30m", "1h", "2h", "4h", "8h", "1d")
DONE = {
    "ack": "Acknowledged: escalation stopped.",
    "resolve": "Resolved.",
    "snooze": "Snoozed.",
    "take-over": "Taken over: it is routed to you now; the people already paged were told.",
}


def page_zone(console: Console, page: str) -> str:
    cfg = console.config()
    p = cfg.page(page) if hasattr(cfg, "page") else None
    return str(getattr(p, "timezone", "UTC")) if p is not None else "UTC"


def escalation_line(st: IncidentState, tz: str) -> str:
    """Where the escalation stands, in one sentence."""
    if st.status == IncidentStatus.RESOLVED:
        return f"Ended: resolved by {st.resolved_by or 'its alerts'} at {when(st.resolved_at, tz)}."
    if st.status == IncidentStatus.ACKNOWLEDGED:
        line = f"Stopped: acknowledged by {st.acked_by} at {when(st.acked_at, tz)}."
        if st.snoozed_until is not None:
            line += f" Snoozed until {when(st.snoozed_until, tz)}: paging starts again then."
        elif st.ack_deadline is not None:
            line += f" Paging starts again at {when(st.ack_deadline, tz)} unless resolved (ack timeout)."
        return line
    if st.plan is None:
        return "No route matched: nobody is paged. Take it over to act on it."
    if st.silenced:
        return "Paused: every active alert is silenced."
    if st.held_until is not None and st.next_step_at is not None and st.next_step_at <= st.held_until:
        return f"Held until staffed hours: {when(st.held_until, tz)}."
    if st.next_step_at is not None:
        again = " (every step paged: the last repeats)" if st.exhausted else ""
        return f"Running: the next page (policy {st.plan.policy.name}) is due at {when(st.next_step_at, tz)}{again}."
    return "Running."


def _detail(e: TimelineEntry) -> str:
    return ", ".join(f"{k}={v}" for k, v in e.detail.items() if v not in (None, "", [], {}))


def _actions(who: Who, st: IncidentState) -> str:
    if st.status == IncidentStatus.RESOLVED or not who.role.may(Role.RESPONDER):
        return ""
    hijack = st.category == Category.HIJACK
    need = "A hijack needs your TOTP code." if hijack else "Your code is optional here: your session suffices."
    base = f"/incidents/{st.id}/"
    csrf = who.session.csrf
    ack = form(
        base + "ack",
        csrf,
        f"<fieldset><legend>Acknowledge</legend>{code_input()} <button id=ack>Acknowledge</button></fieldset>",
    )
    resolve = form(
        base + "resolve",
        csrf,
        f"<fieldset><legend>Resolve</legend>{code_input()} <button id=resolve>Resolve</button></fieldset>",
    )
    options = "".join(f"<option>{d}</option>" for d in SNOOZES)
    snooze = form(
        base + "snooze",
        csrf,
        f"<fieldset><legend>Snooze</legend><label>for <select name=for>{options}"
        f"</select></label> {code_input()} <button id=snooze>Snooze</button></fieldset>",
    )
    take = form(
        base + "take-over",
        csrf,
        "<fieldset><legend>Take over (when it is not routed to you)</legend>"
        f"{code_input()} <label>Reason <input name=reason maxlength=500></label> "
        "<button id=take-over>Take over</button></fieldset>",
    )
    return f"<h2>Act</h2><p class=muted>{esc(need)}</p>{ack}{resolve}{snooze}{take}"


async def render_incident(
    console: Console,
    who: Who,
    incident_id: str,
    *,
    flash: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> web.Response:
    st = await incident_state(console.db, incident_id)
    if st is None:
        raise Refused(404, f"No incident {incident_id!r}.", who)
    tz = page_zone(console, st.page)
    timeline = await IncidentStore(console.db).timeline(st.id)
    alerts = await incident_alerts(console.db, st.id)
    fired = [datetime.fromisoformat(a["time"].replace("Z", "+00:00")) for a in alerts if a.get("status") == "firing"]
    proofs = await evidence(console.db, st.page, fired)
    facts = [
        ("Status", f"<span class={esc(str(st.status))} id=status>{esc(str(st.status))}</span>"),
        ("Severity", f"<span class={esc(str(st.severity))}>{esc(str(st.severity))}</span>"),
        ("Category", esc(str(st.category))),
        ("Page", f'<a href="/?page={esc(st.page)}">{esc(st.page)}</a>'),
        ("Opened", esc(when(st.opened_at, tz))),
        ("Escalation", f"<span id=escalation>{esc(escalation_line(st, tz))}</span>"),
        ("Policy", esc(st.plan.policy.name if st.plan else "none")),
        ("Taken over by", esc(", ".join(st.taken_over_by) or "-")),
    ]
    paged = [e for e in timeline if e.kind == "notified"]
    paged_rows = [
        (
            esc(when(e.time, tz)),
            esc(str(e.detail.get("step", ""))),
            esc(str(e.detail.get("to", ""))),
            esc(str(e.detail.get("channel", ""))),
            esc(str(e.detail.get("kind", ""))),
        )
        for e in paged
    ]
    alert_rows = [
        (
            esc(when(datetime.fromisoformat(a["time"].replace("Z", "+00:00")), tz)),
            esc(str(a.get("status"))),
            esc(str(a.get("rule"))),
            esc(str(a.get("severity"))),
            esc(str(a.get("summary", ""))),
        )
        for a in alerts
    ]
    ev_rows = [
        (
            esc(when(p.time, tz)),
            esc(p.kind),
            esc(p.who),
            esc(p.text),
            f'<a href="{esc(p.link)}" rel="noopener noreferrer">open</a>' if p.link else esc(p.id),
        )
        for p in proofs
    ]
    tl_rows = [(esc(when(e.time, tz)), esc(e.kind), esc(_detail(e))) for e in timeline]
    body = (
        f"<p id=summary>{esc(st.summary)}</p>"
        + table(("", ""), [(f"<b>{k}</b>", v) for k, v in facts])
        + _actions(who, st)
        + "<h2>Paged</h2><div id=paged>"
        + table(("time", "step", "to", "channel", "kind"), paged_rows, empty="Nobody paged yet.")
        + "</div>"
        + "<h2>Alerts</h2>"
        + table(("time", "status", "rule", "severity", "summary"), alert_rows)
        + "<h2>Evidence</h2>"
        + table(("time", "event", "who", "text", "link"), ev_rows, empty="No stored event behind its alerts.")
        + "<h2>Timeline</h2><div id=timeline>"
        + table(("time", "what", "detail"), tl_rows)
        + "</div>"
        + (
            f'<p><a href="/audit?incident={esc(st.id)}">Audit entries for {esc(st.id)}</a></p>'
            if who.role.may(Role.ADMIN)
            else ""
        )
    )
    return who.page(f"{st.id}", body, flash=flash, error=error, status=status)


def done_message(query: Any) -> str | None:
    return DONE.get(str(query.get("done", "")))
