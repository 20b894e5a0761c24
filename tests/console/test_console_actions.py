"""Acting from the console against a real daemon: acknowledge a hijack with a code (escalation stops, the audit
trail says who), the session alone for other categories, take over, silences made and expired."""

from __future__ import annotations

from datetime import timedelta

import pytest
from console_env import Browser, Env

pytestmark = pytest.mark.asyncio(loop_scope="module")


def notified(incident: dict[str, object]) -> list[object]:
    timeline = incident["timeline"]
    assert isinstance(timeline, list)
    return [e for e in timeline if e["kind"] == "notified"]


async def test_a_hijack_needs_a_code_and_its_acknowledgement_stops_escalation(env: Env, browser: Browser) -> None:
    inc = env.incidents["hijack"]
    assert await browser.sign_in("erik") == 303
    csrf = await browser.form_csrf(f"/incidents/{inc}")
    status, html, _ = await browser.post(f"/incidents/{inc}/ack", {"csrf": csrf})
    assert status == 403 and "needs your TOTP code" in html
    status, html, _ = await browser.post(f"/incidents/{inc}/ack", {"csrf": csrf, "code": env.wrong("erik")})
    assert status == 403 and "wrong or expired code" in html
    status, _, r = await browser.post(f"/incidents/{inc}/ack", {"csrf": csrf, "code": await env.code("erik")})
    assert status == 303 and r.headers["Location"] == f"/incidents/{inc}?done=ack"
    status, html, _ = await browser.get(r.headers["Location"])
    assert "Acknowledged: escalation stopped." in html and "Stopped: acknowledged by erik" in html
    before = len(notified(await env.api(f"/api/v1/incidents/{inc}")))
    assert before >= 1  # erik was paged (a "notified" entry: its kind is not the notification's "page")
    await env.advance(timedelta(minutes=25))  # the policy repeats every 10 minutes until acknowledged
    after = await env.api(f"/api/v1/incidents/{inc}")
    assert after["status"] == "acknowledged" and after["acked_by"] == "erik"
    assert len(notified(after)) == before
    anna = Browser(env)
    try:
        assert await anna.sign_in("anna") == 303
        _, html, _ = await anna.get(f"/audit?incident={inc}")
        assert "erik" in html and ">ack<" in html and ">ok<" in html and ">invalid<" in html
    finally:
        await anna.close()


async def test_a_responders_session_acknowledges_other_categories_and_is_audited(env: Env, browser: Browser) -> None:
    inc = env.incidents["health"]
    assert await browser.sign_in("lena") == 303
    csrf = await browser.form_csrf(f"/incidents/{inc}")
    status, _, _ = await browser.post(f"/incidents/{inc}/ack", {"csrf": csrf})
    assert status == 303
    shown = await env.api(f"/api/v1/incidents/{inc}")
    assert shown["status"] == "acknowledged" and shown["acked_by"] == "lena"
    status, _, _ = await browser.post(f"/incidents/{inc}/snooze", {"csrf": csrf, "for": "2h"})
    assert status == 303
    assert (await env.api(f"/api/v1/incidents/{inc}"))["snoozed_until"] is not None


async def test_someone_not_routed_takes_over_before_acting_on_a_hijack(env: Env, browser: Browser) -> None:
    inc = env.incidents["hijack"]  # acknowledged by erik above, still open
    assert await browser.sign_in("lena") == 303
    csrf = await browser.form_csrf(f"/incidents/{inc}")
    status, html, _ = await browser.post(f"/incidents/{inc}/resolve", {"csrf": csrf, "code": await env.code("lena")})
    assert status == 403 and "take it over first" in html
    code = env.totp["lena"].at(env.now)  # refused before the code was checked: still unspent
    status, _, r = await browser.post(f"/incidents/{inc}/take-over", {"csrf": csrf, "code": code, "reason": "test"})
    assert status == 303 and r.headers["Location"].endswith("?done=take-over")
    status, _, _ = await browser.post(f"/incidents/{inc}/resolve", {"csrf": csrf, "code": await env.code("lena")})
    assert status == 303
    assert (await env.api(f"/api/v1/incidents/{inc}"))["status"] == "resolved"


async def test_silences_are_made_and_expired_and_the_api_sees_them(env: Env, browser: Browser) -> None:
    assert await browser.sign_in("erik") == 303
    csrf = await browser.form_csrf("/silences")
    status, html, _ = await browser.post("/silences", {"csrf": csrf, "matchers": "page=druvan", "for": "2h"})
    assert status == 403 and "could mute hijack alerts" in html
    status, _, _ = await browser.post(
        "/silences", {"csrf": csrf, "matchers": "page=druvan category!=hijack", "for": "2h", "comment": "deploy"}
    )
    assert status == 303
    status, _, _ = await browser.post(
        "/silences", {"csrf": csrf, "matchers": "rule=hijack.new_app", "for": "1h", "code": await env.code("erik")}
    )
    assert status == 303
    items = (await env.api("/api/v1/silences"))["items"]
    assert {tuple(i["matchers"]) for i in items} >= {("page=druvan", "category!=hijack"), ("rule=hijack.new_app",)}
    sid = next(i["id"] for i in items if i["comment"] == "deploy")
    status, _, _ = await browser.post(f"/silences/{sid}/expire", {"csrf": csrf})
    assert status == 303
    items = (await env.api("/api/v1/silences"))["items"]
    assert next(i for i in items if i["id"] == sid)["state"] == "expired"
    status, html, _ = await browser.post(f"/silences/{sid}/expire", {"csrf": csrf})
    assert status == 409


async def test_oncall_shows_who_now_and_next(env: Env, browser: Browser) -> None:
    assert await browser.sign_in("vera") == 303
    status, html, _ = await browser.get("/oncall")
    assert status == 200 and "security-oncall" in html and "erik" in html
