"""Someone taken out of ``people:`` has no authority left, against a real daemon: the store still holds their
enrolment, but their codes are refused for every action and sign-in (audited), their console session is no longer
signed in, and ``sentinel staff reset`` forgets them though the config does not name them.

They used to keep full power: erik, removed and reloaded, signed in to the console and took over and resolved a
hijack; ``staff reset erik`` refused him as unknown while ``staff list`` showed him enrolled."""

from __future__ import annotations

from pathlib import Path

import pytest
from people_daemon import Browser, people_daemon

pytestmark = pytest.mark.slow


async def test_a_person_taken_out_of_people_can_neither_sign_in_nor_take_over(tmp_path: Path) -> None:
    async with people_daemon(tmp_path) as env:
        async with Browser(env) as before:
            assert await before.sign_in("erik", await env.code("erik")) == 303
            assert await before.signed_in()

            await env.reload_without_erik()

            assert not await before.signed_in(), "erik's session outlived his removal from people:"
            status, _, location = await before.get("/")
            assert status == 303 and location.startswith("/sign-in")
        async with Browser(env) as browser:
            assert await browser.sign_in("erik", await env.code("erik")) == 403
            assert not await browser.signed_in()

        body = {"person": "erik", "code": await env.code("erik"), "reason": "on it"}
        status, answer = await env.api("POST", f"/api/v1/incidents/{env.incident}/take-over", body)
        assert status == 403, answer
        _, shown = await env.api("GET", f"/api/v1/incidents/{env.incident}")
        assert shown["status"] == "triggered" and "erik" not in str(shown["timeline"])
        assert env.audit("erik")[-3:] == [
            ("session", "not_in_people"),
            ("sign_in", "not_in_people"),
            ("take_over", "not_in_people"),
        ]
        # sara, still in people:, is untouched
        status, answer = await env.api(
            "POST", f"/api/v1/incidents/{env.incident}/ack", {"person": "sara", "code": await env.code("sara")}
        )
        assert status == 200, answer

        assert "erik" in env.staff("list").stdout
        reset = env.staff("reset", "erik")
        assert reset.returncode == 0, reset.stderr
        assert "erik: reset" in reset.stdout and "not in people:" in reset.stdout, reset.stdout
        assert "erik" not in env.staff("list").stdout
        unknown = env.staff("reset", "nobody")
        assert unknown.returncode == 2 and "no person 'nobody'" in unknown.stderr, unknown
