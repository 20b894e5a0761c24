"""A person's on-call calendar as a URL a calendar app subscribes to, against a real daemon: made, shown to its
person on the on-call page, served without a session to whoever holds the URL, rotated and turned off; its
token is neither guessable, nor in the log, nor in the store."""

from __future__ import annotations

import re

import aiohttp
import pytest
from console_env import Browser, Env, csrf_of

from sentinel.store.sqlite import SqliteDatabase

pytestmark = pytest.mark.asyncio(loop_scope="module")

URL = re.compile(r'id=calendar-url readonly size=70 value="([^"]+)"')


async def calendar_url(browser: Browser) -> str | None:
    status, html, _ = await browser.get("/oncall")
    assert status == 200, html[-500:]
    m = URL.search(html)
    return m.group(1) if m else None


async def make_link(browser: Browser) -> str:
    csrf = await browser.form_csrf("/oncall")
    status, _, r = await browser.post("/oncall/calendar", {"csrf": csrf})
    assert status == 303 and r.headers["Location"] == "/oncall?done=calendar"
    url = await calendar_url(browser)
    assert url is not None
    return url


async def fetch(url: str) -> tuple[int, str, str]:
    """What a calendar app gets: no cookie, no header."""
    async with aiohttp.ClientSession() as s, s.get(url, allow_redirects=False) as r:
        return r.status, r.headers.get("Content-Type", ""), await r.text()


async def test_the_oncall_page_shows_a_person_their_own_link_and_a_calendar_app_reads_their_shifts(
    env: Env, browser: Browser
) -> None:
    assert await browser.sign_in("erik") == 303
    assert await calendar_url(browser) is None  # none until asked for
    url = await make_link(browser)
    assert url.startswith(f"{env.url}/calendar/cal_") and url.endswith(".ics")
    status, ctype, text = await fetch(url)
    assert status == 200 and ctype.startswith("text/calendar"), (status, text)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and "X-WR-CALNAME:On call: erik" in text
    assert "SUMMARY:On call: security-oncall" in text and "BEGIN:VEVENT" in text
    vera = Browser(env)
    try:
        assert await vera.sign_in("vera") == 303
        assert await calendar_url(vera) is None  # erik's link is erik's: vera sees only her own
        vera_url = await make_link(vera)
        assert vera_url != url
        status, _, text = await fetch(vera_url)
        assert status == 200 and "X-WR-CALNAME:On call: vera" in text and "BEGIN:VEVENT" not in text
    finally:
        await vera.close()


async def test_a_new_link_stops_the_old_one_and_turning_it_off_stops_both(env: Env, browser: Browser) -> None:
    assert await browser.sign_in("lena") == 303
    old = await make_link(browser)
    new = await make_link(browser)
    assert new != old
    assert (await fetch(old))[0] == 404
    assert (await fetch(new))[0] == 200
    csrf = await browser.form_csrf("/oncall")
    status, _, r = await browser.post("/oncall/calendar/revoke", {"csrf": csrf})
    assert status == 303 and r.headers["Location"] == "/oncall?done=calendar-off"
    assert (await fetch(new))[0] == 404
    assert await calendar_url(browser) is None
    trail = await calendar_audit(env, "lena")
    assert sorted(trail) == ["created", "created", "revoked"]


async def test_a_made_up_or_altered_token_gets_no_calendar(env: Env, browser: Browser) -> None:
    assert await browser.sign_in("anna") == 303
    url = await make_link(browser)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for wrong in (altered, "cal_" + "A" * 43, "", "x" * 300, "../oncall", token.upper()):
        status, _, text = await fetch(f"{env.url}/calendar/{wrong}.ics")
        assert status == 404 and "VCALENDAR" not in text, (wrong, status)
    assert (await fetch(url))[0] == 200


async def test_the_calendar_token_is_not_in_the_log_nor_in_the_store(env: Env, browser: Browser) -> None:
    assert await browser.sign_in("erik") == 303
    url = await make_link(browser)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert (await fetch(url))[0] == 200
    assert (await fetch(f"{env.url}/calendar/cal_wrong.ics"))[0] == 404
    assert token not in env.daemon.log.read_text(encoding="utf-8", errors="replace")
    stored = b"".join(p.read_bytes() for p in env.workdir.glob("sentinel.db*"))
    assert token.encode() not in stored


async def test_changing_a_calendar_link_needs_a_session_and_its_csrf_token(env: Env, browser: Browser) -> None:
    status, html, _ = await browser.post("/oncall/calendar", {"csrf": "x"})
    assert status == 401 and "sign in again" in html
    assert await browser.sign_in("vera") == 303
    before = await calendar_url(browser)
    status, html, _ = await browser.post("/oncall/calendar", {"csrf": "not-the-token"})
    assert status == 403 and "CSRF" in html
    assert await calendar_url(browser) == before


async def calendar_audit(env: Env, person: str) -> list[str]:
    db = SqliteDatabase.open(str(env.workdir / "sentinel.db"))
    try:
        rows = await db.fetchall(
            "SELECT result FROM security_audit WHERE person = ? AND action = 'calendar_link' ORDER BY time", (person,)
        )
        return [str(r[0]) for r in rows]
    finally:
        await db.close()


async def test_an_admin_turns_off_anyones_link_and_a_responder_cannot(env: Env, browser: Browser) -> None:
    erik = Browser(env)
    try:
        assert await erik.sign_in("erik") == 303
        url = await make_link(erik)
    finally:
        await erik.close()
    assert await browser.sign_in("lena") == 303
    status, html, _ = await browser.get("/oncall")
    assert "Calendar links" not in html  # only admins see everyone's
    csrf = await browser.form_csrf("/oncall")
    status, html, _ = await browser.post("/oncall/calendar/revoke", {"csrf": csrf, "person": "erik"})
    assert status == 403 and "needs the admin role" in html
    assert (await fetch(url))[0] == 200
    anna = Browser(env)
    try:
        assert await anna.sign_in("anna") == 303
        status, html, _ = await anna.get("/oncall")
        listed = html[html.index("<h2>Calendar links</h2>") :]
        assert "<td>erik</td>" in listed and 'name="person" value="erik"' in listed
        status, _, r = await anna.post("/oncall/calendar/revoke", {"csrf": csrf_of(html), "person": "erik"})
        assert status == 303 and r.headers["Location"] == "/oncall?done=calendar-revoked"
    finally:
        await anna.close()
    assert (await fetch(url))[0] == 404
    assert "revoked_for:erik" in await calendar_audit(env, "anna")
