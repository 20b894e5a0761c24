"""Silences and maintenance windows in the console: the list, a new silence or maintenance window (the form; its
route is ``console.maintenance``), expiring one. The same ``SilenceBook`` as the operator API (one book per
daemon: what one makes, the other lists and expires). A silence that could mute a hijack alert needs the person's
TOTP code, as in the API."""

from __future__ import annotations

from datetime import timedelta

from aiohttp import web

from sentinel.config.types import parse_duration
from sentinel.console.base import Console, Redirect, Who, html_guarded, log
from sentinel.console.layout import code_input, esc, form, table, when
from sentinel.security.roles import Role
from sentinel.security.services import remote_of
from sentinel.security.silences import may_mute_hijack, parse_matchers
from sentinel.security.totp import Attempt, Verdict

MAX_SILENCE = timedelta(days=90)
DONE = {"created": "Silence created.", "expired": "Silence expired.", "planned": "Maintenance window planned."}


async def render(
    console: Console, who: Who, *, flash: str | None = None, error: str | None = None, status: int = 200
) -> web.Response:
    await console.svc.ready()
    now = console.clock.now()
    records = sorted(await console.svc.book.list(), key=lambda r: r.silence.starts, reverse=True)
    responder = who.role.may(Role.RESPONDER)
    rows = []
    for r in records:
        s, state = r.silence, r.state(now)
        expire = ""
        if responder and state != "expired":
            expire = form(f"/silences/{s.id}/expire", who.session.csrf, "<button>Expire</button>", cls="inline")
        rows.append(
            (
                f"<code>{esc(s.id)}</code>",
                esc(r.kind),
                esc(state),
                esc(" ".join(f"{m.name}{m.op}{m.value}" for m in s.matchers)),
                esc(when(s.starts)),
                esc(when(s.ends)),
                esc(s.created_by),
                esc(s.comment),
                expire,
            )
        )
    body = table(("id", "kind", "state", "matchers", "starts", "ends", "by", "comment", ""), rows, empty="No silences.")
    if responder:
        inner = (
            "<fieldset><legend>New silence</legend>"
            '<p><label>Matchers <input name=matchers size=40 required placeholder="page=druvan category!=hijack">'
            "</label> <span class=muted>(space-separated, like Alertmanager's)</span></p>"
            '<p><label>For <input name=for value="2h" size=5 required></label> '
            "<label>Comment <input name=comment maxlength=1000 size=30></label></p>"
            f"<p>{code_input('Your code (needed when it could mute a hijack)')}</p>"
            "<p><button id=create-silence>Create</button></p></fieldset>"
        )
        body = form("/silences", who.session.csrf, inner) + _maintenance_form(console, who.session.csrf) + body
    return who.page("Silences", body, flash=flash, error=error, status=status)


def _maintenance_form(console: Console, csrf: str) -> str:
    pages = [p.id for p in getattr(console.config(), "pages", [])]
    if not pages:
        return ""
    options = "".join(f"<option>{esc(p)}</option>" for p in pages)
    inner = (
        "<fieldset><legend>New maintenance window</legend>"
        f"<p><label>Page <select name=page>{options}</select></label> "
        "<label>Starts <input name=starts type=datetime-local></label> "
        "<span class=muted>(the page's time; empty: now)</span></p>"
        '<p><label>For <input name=for value="2h" size=5 required></label> '
        "<label>Comment <input name=comment maxlength=1000 size=30></label></p>"
        "<p><label><input type=checkbox name=hijack value=1> also mute hijack alerts</label> "
        f"{code_input('Your code (needed to mute hijack alerts)')}</p>"
        "<p><button id=create-maintenance>Plan</button></p></fieldset>"
    )
    return form("/maintenance", csrf, inner)


async def code_refused(console: Console, who: Who, request: web.Request, action: str) -> tuple[int, str] | None:
    """Check the signed-in person's code for something that could mute a hijack alert: None when accepted, else
    the answer's status and why."""
    code = who.form.get("code", "").strip()
    if not code:
        return 403, ""
    verdict = await console.svc.guard.verify(
        code[:32], Attempt(who.person, "console", remote_of(request), action), console.clock.now()
    )
    if verdict == Verdict.OK:
        return None
    return (423 if verdict == Verdict.LOCKED else 403), "Your code was not accepted."


def silence_routes(console: Console) -> list[web.RouteDef]:
    async def listing(request: web.Request) -> web.StreamResponse:
        who = await console.who(request, Role.VIEWER)
        return await render(console, who, flash=DONE.get(request.query.get("done", "")))

    async def create(request: web.Request) -> web.StreamResponse:
        who = await console.who(request, Role.RESPONDER)
        await console.svc.ready()
        f = who.form
        try:
            matchers = parse_matchers(f.get("matchers", "").split())
            span = parse_duration(f.get("for", ""))
        except (ValueError, OverflowError) as e:
            return await render(console, who, error=str(e) or "for: a duration like 2h", status=400)
        if not timedelta(0) < span <= MAX_SILENCE:
            return await render(console, who, error="for: above zero and at most 90 days", status=400)
        now = console.clock.now()
        if may_mute_hijack(matchers) and (refused := await code_refused(console, who, request, "silence")):
            status, why = refused
            why = why or "This silence could mute hijack alerts: give your code (or add the matcher category!=hijack)."
            return await render(console, who, status=status, error=why)
        rec = await console.svc.book.create(
            "silence", matchers, now, now + span, f.get("comment", "")[:1000], who.person
        )
        log.info("console.silence_created", id=rec.silence.id, by=who.person)
        raise Redirect("/silences?done=created")

    async def expire(request: web.Request) -> web.StreamResponse:
        who = await console.who(request, Role.RESPONDER)
        await console.svc.ready()
        sid = request.match_info["id"]
        if console.svc.book.get(sid) is None:
            return await render(console, who, error=f"No silence {sid!r}.", status=404)
        if await console.svc.book.expire(sid, console.clock.now()) is None:
            return await render(console, who, error=f"{sid} is already expired.", status=409)
        log.info("console.silence_expired", id=sid, by=who.person)
        raise Redirect("/silences?done=expired")

    return [
        web.get("/silences", html_guarded(listing)),
        web.post("/silences", html_guarded(create)),
        web.post("/silences/{id}/expire", html_guarded(expire)),
    ]
