"""What a hijacker writes cannot turn the console's own words around it, against a real daemon: an unclosed
right-to-left override in a new admin's name mirrored "... got full control (MANAGE) of Druvan" on the incident
page and in the list, while the attacker's "test account, nothing to do" read normally beside it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from console_env import INGEST, PEOPLE, START, Browser, Env, config_text, enroll

from sentinel.testing import event
from sentinel.testing.daemon import free_port, sentinel_daemon
from sentinel.testing.providers import KeyedFake, serve

pytestmark = pytest.mark.slow

RLO = "\u202e"


async def test_a_right_to_left_override_in_a_name_is_shown_as_its_code_point(tmp_path: Path) -> None:
    totp = await enroll(tmp_path, PEOPLE)
    async with serve(KeyedFake()) as (hook, hook_url):
        port = free_port()
        cfg = tmp_path / "sentinel.yaml"
        cfg.write_text(config_text(tmp_path, port, hook_url))
        async with sentinel_daemon(cfg, port, INGEST, env={"SENTINEL_TEST_CLOCK": START.isoformat()}) as daemon:
            env = Env(daemon, totp, hook, tmp_path)
            name = RLO + "od ot gnihton ,tnuocca tset "
            grant = event("role.granted", START, id="bidi:grant", user={"id": "667", "name": name}, tasks=["MANAGE"])
            await daemon.post_events([grant])
            await env.advance(timedelta(seconds=1))
            [incident] = (await env.api("/api/v1/incidents"))["incidents"]
            browser = Browser(env)
            try:
                assert await browser.sign_in("vera") == 303
                pages = [await browser.get(path) for path in ("/", f"/incidents/{incident['id']}")]
            finally:
                await browser.close()
    for status, html, _ in pages:
        assert status == 200
        assert RLO not in html and "[U+202E]od ot gnihton" in html, html[-1500:]
