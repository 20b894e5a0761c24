"""Who may use which console route, against a real daemon: no session, a viewer, a responder, an admin; an
expired or ended session; a form without its CSRF token. Every route of ``console_routes`` is in ``ROUTES``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import unquote

import aiohttp
import pytest
from console_env import OPERATOR, Browser, Env, csrf_of

from sentinel.console import console_routes
from sentinel.security.roles import Role

pytestmark = pytest.mark.asyncio(loop_scope="module")

# (method, path, the least role that may): {hijack} and {health} are the incidents' ids
ROUTES: list[tuple[str, str, Role | None]] = [
    ("GET", "/console.css", None),
    ("GET", "/sign-in", None),
    ("POST", "/sign-in", None),
    ("GET", "/", Role.VIEWER),
    ("GET", "/incidents/{hijack}", Role.VIEWER),
    ("GET", "/oncall", Role.VIEWER),
    ("GET", "/silences", Role.VIEWER),
    ("GET", "/pages", Role.VIEWER),
    ("GET", "/pages/druvan", Role.VIEWER),
    ("POST", "/oncall/calendar", Role.VIEWER),
    ("POST", "/oncall/calendar/revoke", Role.VIEWER),
    ("POST", "/incidents/{hijack}/ack", Role.RESPONDER),
    ("POST", "/incidents/{hijack}/resolve", Role.RESPONDER),
    ("POST", "/incidents/{hijack}/snooze", Role.RESPONDER),
    ("POST", "/incidents/{hijack}/take-over", Role.RESPONDER),
    ("POST", "/silences", Role.RESPONDER),
    ("POST", "/silences/{sid}/expire", Role.RESPONDER),
    ("POST", "/maintenance", Role.RESPONDER),
    ("GET", "/audit", Role.ADMIN),
    ("POST", "/sign-out", Role.VIEWER),
    ("GET", "/api/v1/oncall", None),  # an operator bearer token (tested with the remote CLI)
    ("GET", "/calendar/{cal}.ics", None),  # the calendar feed's own token, no session (test_console_calendar)
]
PATTERNS = {
    "/incidents/{hijack}": "/incidents/{id}",
    "/incidents/{hijack}/ack": "/incidents/{id}/{action:ack|resolve|snooze|take-over}",
    "/silences/{sid}/expire": "/silences/{id}/expire",
    "/pages/druvan": "/pages/{page}",
    "/calendar/{cal}.ics": "/calendar/{token}.ics",
}


async def test_every_console_route_is_in_the_table() -> None:
    defs: Any = console_routes(lambda: None, None, None, None)  # type: ignore[arg-type]
    served = {(d.method, d.path) for d in defs}
    listed = {(m, PATTERNS.get(p, p)) for m, p, _ in ROUTES if "/resolve" not in p and "/snooze" not in p}
    listed -= {("POST", "/incidents/{hijack}/take-over")}
    assert served == listed


def _path(env: Env, path: str) -> str:
    return path.format(
        hijack=env.incidents["hijack"], health=env.incidents["health"], sid="sil-000000000000", cal="cal_x"
    )


async def test_without_a_session_pages_send_to_sign_in_and_forms_are_refused(env: Env, browser: Browser) -> None:
    for method, path, role in ROUTES:
        if role is None:
            continue
        url = _path(env, path)
        if method == "GET":
            status, _, r = await browser.get(url)
            assert status == 303, (url, status)
            assert r.headers["Location"].startswith("/sign-in?next=" + url.split("?")[0]), r.headers["Location"]
        else:
            status, html, _ = await browser.post(url, {"csrf": "x", "code": "123456"})
            assert status == 401 and "sign in again" in html, (url, status)


async def test_the_calendar_feed_needs_no_session_but_a_right_token(env: Env, browser: Browser) -> None:
    status, html, r = await browser.get(_path(env, "/calendar/{cal}.ics"))
    assert status == 404 and "VCALENDAR" not in html and "Location" not in r.headers


async def test_alertmanagers_generator_url_opens_the_incident_page_after_sign_in(env: Env, browser: Browser) -> None:
    inc = env.incidents["hijack"]
    _, _, r = await browser.get(f"/incidents/{inc}")
    target = r.headers["Location"]
    _, html, _ = await browser.get(target)
    status, _, r = await browser.post(
        "/sign-in",
        {"csrf": csrf_of(html), "person": "vera", "code": await env.code("vera"), "next": f"/incidents/{inc}"},
    )
    assert status == 303 and r.headers["Location"] == f"/incidents/{inc}"
    status, html, _ = await browser.get(f"/incidents/{inc}")
    assert status == 200 and "Mr X" in html and "security-oncall:erik" in html


@pytest.mark.parametrize("hidden", ["%09", "%0a", "%0d", "%20"])
async def test_a_next_that_a_url_parser_would_turn_into_another_site_goes_home(
    env: Env, browser: Browser, hidden: str
) -> None:
    """``/sign-in?next=/%09/evil.example/phish`` sent a signed-in operator to ``//evil.example/phish``: the tab was
    let through as not a second "/", and dropped when the Location was written."""
    assert await browser.sign_in("vera") == 303
    status, _, r = await browser.get(f"/sign-in?next=/{hidden}/evil.example/phish")
    assert status == 303 and r.headers["Location"] == "/", r.headers["Location"]
    fresh = Browser(env)  # signing in with such a next
    try:
        _, html, _ = await fresh.get("/sign-in")
        status, _, r = await fresh.post(
            "/sign-in",
            {
                "csrf": csrf_of(html),
                "person": "vera",
                "code": await env.code("vera"),
                "next": f"/{unquote(hidden)}/x.example",
            },
        )
    finally:
        await fresh.close()
    assert status == 303 and r.headers["Location"] == "/", r.headers["Location"]


@pytest.mark.parametrize("person", ["vera", "erik", "anna"])
async def test_each_role_may_use_its_routes_and_no_more(env: Env, browser: Browser, person: str) -> None:
    role = {"vera": Role.VIEWER, "erik": Role.RESPONDER, "anna": Role.ADMIN}[person]
    assert await browser.sign_in(person) == 303
    csrf = await browser.form_csrf()
    for method, path, need in ROUTES:
        if need is None or path == "/sign-out":
            continue
        url = _path(env, path)
        if method == "GET":
            status, html, _ = await browser.get(url)
        else:  # a code that is surely wrong: an allowed route refuses it for that reason, never for the role
            status, html, _ = await browser.post(url, {"csrf": csrf, "code": "12345", "for": "1h", "matchers": ""})
        refused = "needs the" in html and status == 403
        assert refused == (not role.may(need)), (person, method, url, status, html[-600:])
        assert status < 500
    status, html, _ = await browser.get(f"/incidents/{env.incidents['hijack']}")
    assert ("id=ack" in html) == role.may(Role.RESPONDER)


async def test_a_viewer_cannot_acknowledge_even_with_a_right_code(env: Env, browser: Browser) -> None:
    inc = env.incidents["health"]
    assert await browser.sign_in("vera") == 303
    csrf = await browser.form_csrf(f"/incidents/{inc}")
    status, html, _ = await browser.post(f"/incidents/{inc}/ack", {"csrf": csrf, "code": await env.code("vera")})
    assert status == 403 and "vera is a viewer: this needs the responder role" in html
    shown = await env.api(f"/api/v1/incidents/{inc}")
    assert shown["status"] == "triggered"


async def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(env: Env, browser: Browser) -> None:
    inc = env.incidents["health"]
    assert await browser.sign_in("erik") == 303
    for data in ({}, {"csrf": ""}, {"csrf": "not-the-token"}):
        status, html, _ = await browser.post(f"/incidents/{inc}/ack", data)
        assert status == 403 and "CSRF token is missing or wrong" in html, (data, status)
    assert (await env.api(f"/api/v1/incidents/{inc}"))["status"] == "triggered"
    fresh = Browser(env)
    try:
        _, _, _ = await fresh.get("/sign-in")
        status, html, _ = await fresh.post("/sign-in", {"person": "erik", "code": await env.code("erik")})
        assert status == 403 and "CSRF" in html
    finally:
        await fresh.close()


async def test_a_wrong_code_does_not_sign_in_and_is_audited(env: Env, browser: Browser) -> None:
    await env.advance(timedelta(seconds=30))
    assert await browser.sign_in("lena", env.wrong("lena")) == 403
    status, _, _ = await browser.get("/")
    assert status == 303
    trail = [e for e in await audit_of(env, "lena") if e[1] == "sign_in"]
    assert trail and trail[-1][2] == "invalid"


async def test_five_wrong_codes_in_a_row_lock_sign_in_as_for_acks(env: Env, browser: Browser) -> None:
    statuses = []
    for _ in range(6):
        statuses.append(await browser.sign_in("olle", env.wrong("olle")))
    assert statuses == [403] * 5 + [423]
    assert await browser.sign_in("olle") == 423  # a right code too, while locked out


async def test_an_expired_session_is_refused(env: Env, browser: Browser) -> None:
    assert await browser.sign_in("lena") == 303
    csrf = await browser.form_csrf()
    await env.advance(timedelta(hours=1, seconds=1))  # session_ttl: 1h
    status, _, r = await browser.get("/")
    assert status == 303 and r.headers["Location"].startswith("/sign-in")
    status, html, _ = await browser.post(f"/incidents/{env.incidents['health']}/ack", {"csrf": csrf})
    assert status == 401 and "sign in again" in html


async def test_signing_out_ends_the_session_for_its_cookie_too(env: Env, browser: Browser) -> None:
    assert await browser.sign_in("erik") == 303
    cookie = {c.key: c.value for c in browser.session.cookie_jar}["sentinel_session"]
    csrf = await browser.form_csrf()
    status, _, r = await browser.post("/sign-out", {"csrf": csrf})
    assert status == 303 and r.headers["Location"] == "/sign-in"
    other = Browser(env)
    try:
        other.session.cookie_jar.update_cookies({"sentinel_session": cookie})
        status, _, _ = await other.get("/")
        assert status == 303
    finally:
        await other.close()


async def test_the_session_cookie_is_httponly_and_samesite_strict(env: Env, browser: Browser) -> None:
    _, html, _ = await browser.get("/sign-in")
    async with browser.session.post(
        env.url + "/sign-in",
        data={"csrf": csrf_of(html), "person": "anna", "code": await env.code("anna")},
        allow_redirects=False,
    ) as r:
        header = next(v for v in r.headers.getall("Set-Cookie") if v.startswith("sentinel_session="))
    assert "HttpOnly" in header and "SameSite=Strict" in header and "Path=/" in header
    assert "Secure" not in header  # plain HTTP on loopback; over TLS it is set


async def audit_of(env: Env, person: str) -> list[tuple[str, str, str]]:
    from sentinel.store.sqlite import SqliteDatabase

    db = SqliteDatabase.open(str(env.workdir / "sentinel.db"))
    try:
        rows = await db.fetchall(
            "SELECT person, action, result FROM security_audit WHERE person = ? ORDER BY time", (person,)
        )
        return [(str(r[0]), str(r[1]), str(r[2])) for r in rows]
    finally:
        await db.close()


async def test_a_viewer_cannot_take_over_or_acknowledge_through_the_api_either(env: Env) -> None:
    """The console refused vera's take-over (a viewer), but the API took it with her code, and her next code
    acknowledged the hijack: the role now holds wherever a person acts with a code."""
    inc = env.incidents["hijack"]
    async with aiohttp.ClientSession() as s:
        for action in ("take-over", "ack"):
            body = {"person": "vera", "code": await env.code("vera")}
            async with s.post(f"{env.url}/api/v1/incidents/{inc}/{action}", json=body) as r:
                text = await r.text()
                assert r.status == 403 and "viewer" in text, (action, r.status, text)
    listed = await env.api("/api/v1/incidents")
    [hijack] = [i for i in listed["incidents"] if i["id"] == inc]
    assert hijack["status"] == "triggered" and hijack["acked_by"] is None, hijack


async def test_a_viewers_code_cannot_make_a_silence_that_mutes_hijacks_through_the_api(env: Env) -> None:
    """The console keeps viewers off its silence form; the API took a viewer's code for a silence of the page."""
    body = {"matchers": ["page=druvan"], "for": "1h", "person": "vera", "code": await env.code("vera")}
    async with (
        aiohttp.ClientSession() as s,
        s.post(f"{env.url}/api/v1/silences", json=body, headers={"Authorization": f"Bearer {OPERATOR}"}) as r,
    ):
        text = await r.text()
    assert r.status == 403 and "viewer" in text, (r.status, text)
    assert [i for i in (await env.api("/api/v1/silences"))["items"] if i["created_by"] == "vera"] == []
