"""``sentinel staff reset`` ends the person's console sessions, against a real daemon: the documented answer to a
compromised code used to leave a signed-in browser signed in (and able to acknowledge with the session alone),
through the reset and the new enrolment after it."""

from __future__ import annotations

from pathlib import Path

import pytest
from people_daemon import Browser, people_daemon

pytestmark = pytest.mark.slow


async def test_staff_reset_signs_the_person_out_everywhere(tmp_path: Path) -> None:
    async with people_daemon(tmp_path) as env, Browser(env) as erik, Browser(env) as sara:
        assert await erik.sign_in("erik", await env.code("erik")) == 303
        assert await sara.sign_in("sara", await env.code("sara")) == 303
        assert await erik.signed_in() and await sara.signed_in()

        reset = env.staff("reset", "erik")
        assert reset.returncode == 0, reset.stderr
        # enrolled again before the old browser comes back: the reset itself must have ended its session
        enrolled = env.staff("enroll", "erik", "--no-qr")
        assert enrolled.returncode == 0, enrolled.stderr
        assert not await erik.signed_in(), "erik's session outlived sentinel staff reset"
        assert await erik.post("/silences", {"csrf": "any", "matchers": "page=druvan category!=hijack"}) == 401
        assert "1 console session ended" in reset.stdout, reset.stdout
        assert await sara.signed_in(), "sara's session ended with erik's"
