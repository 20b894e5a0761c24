"""Signing in to the console with a person's name and TOTP code, and signing out.

The code is checked by the same ``TotpGuard`` as an acknowledgement (source ``console``, action ``sign_in``):
each code once, wrong codes in a row lock the person out, and every failure counts towards the
``security.code_guessing`` alarm per person and per address. The sign-in form has its own CSRF token before any
session exists (a cookie and a field that must match: a site elsewhere cannot sign a browser in as someone else).
"""

from __future__ import annotations

import secrets

from aiohttp import web

from sentinel.console.base import Console, Redirect, Refused, html_guarded, log, read_form, safe_next
from sentinel.console.layout import code_input, form, frame, hidden
from sentinel.console.sessions import COOKIE, PRE_COOKIE
from sentinel.security.roles import Role
from sentinel.security.services import remote_of
from sentinel.security.totp import Attempt, Verdict


def _signin_page(csrf: str, target: str, error: str | None = None, status: int = 200) -> web.Response:
    inner = (
        hidden("next", target)
        + "<p><label>Name <input name=person autocomplete=username required maxlength=64 autofocus></label></p>"
        + f"<p>{code_input('Code from your authenticator app')}</p><p><button id=sign-in>Sign in</button></p>"
    )
    return frame("Sign in", form("/sign-in", csrf, inner), error=error, status=status)


def signin_routes(console: Console) -> list[web.RouteDef]:
    async def show(request: web.Request) -> web.StreamResponse:
        target = safe_next(request.query.get("next"))
        if await console.sessions.get(request.cookies.get(COOKIE), console.clock.now()) is not None:
            raise Redirect(target)
        pre = request.cookies.get(PRE_COOKIE)
        if not pre or len(pre) > 100:
            pre = secrets.token_urlsafe(24)
        resp = _signin_page(pre, target)
        console.cookie(resp, request, PRE_COOKIE, pre, 3600)
        return resp

    async def submit(request: web.Request) -> web.StreamResponse:
        f = await read_form(request)
        pre = request.cookies.get(PRE_COOKIE, "")
        given = f.get("csrf", "")
        if not pre or not secrets.compare_digest(pre.encode(), given.encode("utf-8", "replace")):
            log.warning("console.csrf_refused", path=request.path, remote=remote_of(request))
            raise Refused(403, "This form's CSRF token is missing or wrong: reload the sign-in page and try again.")
        person, code, target = f.get("person", "").strip(), f.get("code", "").strip(), safe_next(f.get("next"))
        if not person or len(person) > 64 or not code or len(code) > 32:
            return _signin_page(pre, target, "Give your name and the code your authenticator app shows.", 400)
        await console.svc.ready()
        now = console.clock.now()
        remote = remote_of(request)
        verdict = await console.svc.guard.verify(code, Attempt(person, "console", remote, "sign_in"), now)
        if verdict != Verdict.OK:
            log.warning("console.sign_in_refused", person=person, remote=remote, result=str(verdict))
            if verdict == Verdict.LOCKED:
                return _signin_page(pre, target, "Too many wrong codes: locked out for now.", 423)
            return _signin_page(pre, target, "That name and code were not accepted.", 403)
        expires = now + console.access.session_ttl
        token, _ = await console.sessions.create(person, now, expires, remote)
        log.info("console.signed_in", person=person, remote=remote, role=str(console.access.role_of(person)))
        resp = web.HTTPSeeOther(target, headers={"Cache-Control": "no-store"})
        console.cookie(resp, request, COOKIE, token, int(console.access.session_ttl.total_seconds()))
        resp.del_cookie(PRE_COOKIE, path="/")
        raise resp

    async def sign_out(request: web.Request) -> web.StreamResponse:
        who = await console.who(request, Role.VIEWER)
        await console.sessions.end(who.token)
        log.info("console.signed_out", person=who.person)
        resp = web.HTTPSeeOther("/sign-in", headers={"Cache-Control": "no-store"})
        resp.del_cookie(COOKIE, path="/")
        raise resp

    return [
        web.get("/sign-in", html_guarded(show)),
        web.post("/sign-in", html_guarded(submit)),
        web.post("/sign-out", html_guarded(sign_out)),
    ]
