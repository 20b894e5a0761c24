"""A bounded, seeded fuzz of the console's routes against a real daemon: signed in (as a responder, with the
session's CSRF token) and not, well-formed and mangled paths, queries, forms and cookies. No answer is a 5xx,
and the daemon logs no traceback."""

from __future__ import annotations

import random
from urllib.parse import quote

import pytest
from console_env import Browser, Env

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.slow]

REQUESTS = 500
PATHS = [
    "/",
    "/incidents/{inc}",
    "/incidents/{inc}/ack",
    "/incidents/{inc}/resolve",
    "/incidents/{inc}/snooze",
    "/incidents/{inc}/take-over",
    "/oncall",
    "/silences",
    "/silences/{sid}/expire",
    "/maintenance",
    "/pages",
    "/pages/{page}",
    "/oncall/calendar",
    "/oncall/calendar/revoke",
    "/calendar/{cal}.ics",
    "/audit",
    "/sign-in",
    "/sign-out",
    "/console.css",
    "/api/v1/oncall",
]
NASTY = ["", "x", "inc-999999", "inc-000001", "../../etc/passwd", "%00", "é" * 50, "a" * 3000, "<script>", "'\"", "%ZZ"]
FIELDS = [
    "csrf",
    "code",
    "person",
    "next",
    "for",
    "matchers",
    "comment",
    "reason",
    "page",
    "state",
    "starts",
    "hijack",
    "x",
]
VALUES = [
    "",
    "123456",
    "000000",
    "erik",
    "//evil.example/",
    "https://evil.example/",
    "page=druvan",
    "druvan",
    "1",
    "2025-09-26T23:00",
    "2025-13-45T99:99",
    "category!=hijack page=~(",
    "1h",
    "-5m",
    "999999d",
    "\x00",
    "é" * 300,
    "a" * 20000,
]


def _mangle(rng: random.Random, text: str) -> str:
    return text.format(
        inc=rng.choice([*NASTY, "inc-000001"]),
        sid=rng.choice(NASTY),
        page=rng.choice([*NASTY, "druvan"]),
        cal=rng.choice([*NASTY, "cal_" + "A" * 43]),
    )


async def test_console_routes_answer_no_5xx_to_a_bounded_fuzz(env: Env, browser: Browser) -> None:
    rng = random.Random(26)
    assert await browser.sign_in("erik") == 303
    csrf = await browser.form_csrf()
    statuses: dict[int, int] = {}
    for _ in range(REQUESTS):
        path = _mangle(rng, rng.choice(PATHS))
        if rng.random() < 0.3:
            path += "?" + "&".join(
                f"{quote(rng.choice(FIELDS))}={quote(rng.choice(VALUES)[:500])}" for _ in range(rng.randint(1, 4))
            )
        form = {rng.choice(FIELDS): rng.choice(VALUES) for _ in range(rng.randint(0, 5))}
        if rng.random() < 0.7:
            form["csrf"] = csrf
        signed_in = rng.random() < 0.8
        client = browser if signed_in else Browser(env)
        try:
            if rng.random() < 0.5:
                async with client.session.get(env.url + path, allow_redirects=False) as r:
                    status = r.status
            else:
                async with client.session.post(env.url + path, data=form, allow_redirects=False) as r:
                    status = r.status
        finally:
            if not signed_in:
                await client.close()
        statuses[status] = statuses.get(status, 0) + 1
        assert status < 500, (path, form, status)
        if path.startswith("/sign-out") and status == 303:  # signed out: sign in again
            assert await browser.sign_in("erik") == 303
            csrf = await browser.form_csrf()
    assert sum(statuses.values()) == REQUESTS
    log = env.daemon.log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log, log[-3000:]
