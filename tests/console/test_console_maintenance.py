"""Planning maintenance windows from the console against a real daemon: one that leaves hijack alerts alone needs
no code; one that could mute them needs the person's TOTP code, as a silence does; the operator API sees them,
and the console expires them."""

from __future__ import annotations

from typing import Any

import pytest
from console_env import Browser, Env

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def windows(env: Env) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = (await env.api("/api/v1/maintenance"))["items"]
    return items


async def test_a_window_that_leaves_hijacks_alone_is_planned_in_the_pages_own_time(env: Env, browser: Browser) -> None:
    assert await browser.sign_in("erik") == 303
    csrf = await browser.form_csrf("/silences")
    form = {"csrf": csrf, "page": "druvan", "starts": "2025-09-26T23:00", "for": "2h", "comment": "page migration"}
    status, _, r = await browser.post("/maintenance", form)
    assert status == 303 and r.headers["Location"] == "/silences?done=planned"
    [w] = [w for w in await windows(env) if w["comment"] == "page migration"]
    assert w["matchers"] == ["page=druvan", "category!=hijack"] and w["page"] == "druvan"
    assert w["starts"].startswith("2025-09-26T23:00:00+02:00") and w["ends"].startswith("2025-09-27T01:00:00+02:00")
    assert w["created_by"] == "erik" and w["state"] == "pending"
    status, html, _ = await browser.get("/silences?done=planned")
    assert "Maintenance window planned." in html and w["id"] in html


async def test_a_window_that_could_mute_a_hijack_needs_the_persons_code(env: Env, browser: Browser) -> None:
    assert await browser.sign_in("erik") == 303
    csrf = await browser.form_csrf("/silences")
    form = {"csrf": csrf, "page": "druvan", "for": "30m", "hijack": "1", "comment": "admin change"}
    status, html, _ = await browser.post("/maintenance", form)
    assert status == 403 and "Muting hijack alerts needs your code" in html
    status, html, _ = await browser.post("/maintenance", {**form, "code": env.wrong("erik")})
    assert status == 403 and "Your code was not accepted." in html
    assert not [w for w in await windows(env) if w["comment"] == "admin change"]
    status, _, _ = await browser.post("/maintenance", {**form, "code": await env.code("erik")})
    assert status == 303
    [w] = [w for w in await windows(env) if w["comment"] == "admin change"]
    assert w["matchers"] == ["page=druvan"] and w["state"] == "active"
    status, _, _ = await browser.post(f"/silences/{w['id']}/expire", {"csrf": csrf})
    assert status == 303
    [w] = [w for w in await windows(env) if w["comment"] == "admin change"]
    assert w["state"] == "expired"


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"page": "nope", "for": "1h"}, "choose one of the configured pages"),
        ({"page": "druvan", "for": "-1h"}, "above zero"),
        ({"page": "druvan", "for": "100d"}, "at most 90 days"),
        ({"page": "druvan", "for": "1h", "starts": "yesterday"}, "a time like"),
        ({"page": "druvan", "for": "1h", "starts": "2025-09-20T10:00"}, "over already"),
    ],
)
async def test_a_window_the_form_cannot_mean_is_refused_and_nothing_is_made(
    env: Env, browser: Browser, fields: dict[str, str], why: str
) -> None:
    assert await browser.sign_in("lena") == 303
    before = len(await windows(env))
    csrf = await browser.form_csrf("/silences")
    status, html, _ = await browser.post("/maintenance", {"csrf": csrf, **fields})
    assert status == 400 and why in html, html[-600:]
    assert len(await windows(env)) == before
