"""A reload's ``security`` settings hold for the operator API and the SMS webhooks at once, against a real daemon.

The API, the 46elks webhook and the code guard each kept the settings the daemon started with: after a reload that
revoked an operator token, the revoked token still read incidents and made silences while the new one got 401
(``/-/reload`` alone took the new one); the rotated 46elks URL token got 404 and the old one still worked; a lower
``lockout_threshold`` never locked anyone out.
"""

from __future__ import annotations

import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pyotp
import pytest

from sentinel.security.tokens import hash_token
from sentinel.testing.daemon import (
    OPERATOR_TOKEN,
    Daemon,
    enroll,
    free_port,
    hijack_paging_config,
    new_admin,
    operator_get,
    sentinel_daemon,
)
from sentinel.testing.providers import KeyedFake, serve

pytestmark = pytest.mark.slow

TOKEN = "reload-security-ingest-token"
NEW_OPERATOR_TOKEN = "snt_reload-security-new-operator-token-0123"
OLD_ELKS = "elks-url-token-before-0123456789"
NEW_ELKS = "elks-url-token-after-0123456789"


async def call(daemon: Daemon, method: str, path: str, token: str | None = None, **kw: Any) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with aiohttp.ClientSession() as s, s.request(method, f"{daemon.url}{path}", headers=headers, **kw) as r:
        await r.read()
        return r.status


def wrong(totp: pyotp.TOTP) -> str:
    now = datetime.now(UTC)
    valid = {totp.at(now + timedelta(seconds=d)) for d in (-60, -30, 0, 30, 60)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


async def _ids(listed: Any) -> list[str]:
    return [str(i["id"]) for i in (await listed)["incidents"]]


async def reload(daemon: Daemon) -> None:
    seen = len(daemon.log_records())
    daemon.proc.send_signal(signal.SIGHUP)
    await daemon.until("the reload", lambda: any(r.get("event") == "app.reloaded" for r in daemon.log_records()[seen:]))


async def test_a_reload_revokes_tokens_rotates_the_sms_url_and_lowers_the_lockout(tmp_path: Path) -> None:
    erik = await enroll(tmp_path, "erik")
    async with serve(KeyedFake()) as (_, hook_url):
        port = free_port()
        cfg = hijack_paging_config(tmp_path, port, hook_url)
        before = cfg.read_text().replace(
            "  operator_tokens:", f"  sms_inbound: {{elks_token: {OLD_ELKS}}}\n  operator_tokens:", 1
        )
        cfg.write_text(before)
        async with sentinel_daemon(cfg, port, TOKEN) as daemon:
            assert await call(daemon, "GET", "/api/v1/incidents", OPERATOR_TOKEN) == 200
            await daemon.post_events([new_admin(datetime.now(UTC).replace(microsecond=0))])  # an incident for erik
            [inc] = await daemon.until(
                "the hijack incident",
                lambda: _ids(operator_get(daemon, "/api/v1/incidents")),
            )
            elks = {"data": {"id": "sms-1", "from": "+46700000000", "message": "hello"}}
            assert await call(daemon, "POST", f"/api/v1/sms/46elks/{OLD_ELKS}", **elks) == 200

            revoked = f'name: ops, hash: "{hash_token(OPERATOR_TOKEN)}"'
            cfg.write_text(
                before.replace(revoked, f'name: ops2, hash: "{hash_token(NEW_OPERATOR_TOKEN)}"')
                .replace(OLD_ELKS, NEW_ELKS)
                .replace("  operator_tokens:", "  lockout_threshold: 2\n  operator_tokens:", 1)
            )
            assert NEW_ELKS in cfg.read_text() and hash_token(OPERATOR_TOKEN) not in cfg.read_text()
            await reload(daemon)

            # the revoked token reads nothing and mutes nothing; the new one works, for the API and /-/reload alike
            assert await call(daemon, "GET", "/api/v1/incidents", OPERATOR_TOKEN) == 401
            silence = {"matchers": ["category=health"], "for": "90d", "comment": "revoked"}
            assert await call(daemon, "POST", "/api/v1/silences", OPERATOR_TOKEN, json=silence) == 401
            assert await call(daemon, "POST", "/-/reload", OPERATOR_TOKEN) == 401
            assert await call(daemon, "GET", "/api/v1/incidents", NEW_OPERATOR_TOKEN) == 200
            assert await call(daemon, "POST", "/-/reload", NEW_OPERATOR_TOKEN) == 200

            # the 46elks URL token was rotated: the old URL is gone, the new one takes replies
            elks = {"data": {"id": "sms-2", "from": "+46700000000", "message": "hello"}}
            assert await call(daemon, "POST", f"/api/v1/sms/46elks/{OLD_ELKS}", **elks) == 404
            assert await call(daemon, "POST", f"/api/v1/sms/46elks/{NEW_ELKS}", **elks) == 200

            # two wrong codes in a row now lock erik out: the third try is refused as locked, whatever the code
            ack = f"/api/v1/incidents/{inc}/ack"
            for _ in range(2):
                assert await call(daemon, "POST", ack, json={"person": "erik", "code": wrong(erik)}) == 403
            assert await call(daemon, "POST", ack, json={"person": "erik", "code": erik.now()}) == 423
