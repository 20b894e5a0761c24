"""The operator API end to end: real aiohttp server, real SQLite store, real IncidentManager, simulated clock."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import timedelta
from urllib.parse import urlencode

import pytest
import structlog
from structlog.testing import capture_logs

from sentinel.incidents import IncidentStatus
from sentinel.logs import configure
from sentinel.model import Category
from sentinel.security.links import ack_url
from sentinel.security.sms import twilio_signature
from sentinel.testing.operator import (
    ELKS_TOKEN,
    OPERATOR_TOKEN,
    SECRET_KEY,
    TWILIO_TOKEN,
    Harness,
    operator_harness,
)

TOKEN = {"Authorization": f"Bearer {OPERATOR_TOKEN}"}
ERIK = "+46701234501"
TWILIO_URL = "https://sentinel.example.com/api/v1/sms/twilio"


@pytest.fixture
async def h(tmp_path) -> AsyncIterator[Harness]:
    async with operator_harness(tmp_path) as harness:
        yield harness


async def status_of(h: Harness, inc: str) -> IncidentStatus:
    got = await h.incidents.get(inc)
    assert got is not None
    return got.status


async def test_right_code_acknowledges_a_hijack(h):
    inc = await h.open_incident(Category.HIJACK)
    r = await h.client.post(f"/api/v1/incidents/{inc}/ack", json={"person": "erik", "code": h.code("erik")})
    assert r.status == 200, await r.text()
    body = await r.json()
    assert body["status"] == "acknowledged" and body["acked_by"] == "erik"


@pytest.mark.parametrize("which", ["wrong", "expired", "other_person"])
async def test_wrong_expired_or_someone_elses_code_does_not_acknowledge(h, which):
    inc = await h.open_incident(Category.HIJACK)
    right = h.code("erik")
    code = {
        "wrong": "000000" if right != "000000" else "111111",
        "expired": h.code("erik", h.clock.now() - timedelta(minutes=2)),
        "other_person": h.code("anna"),
    }[which]
    r = await h.client.post(f"/api/v1/incidents/{inc}/ack", json={"person": "erik", "code": code})
    assert r.status == 403
    assert await status_of(h, inc) == IncidentStatus.TRIGGERED


async def test_a_reused_code_is_refused(h):
    a, b = await h.open_incident(Category.HIJACK), await h.open_incident(Category.HIJACK, page="other")
    code = h.code("erik")
    assert (await h.client.post(f"/api/v1/incidents/{a}/ack", json={"person": "erik", "code": code})).status == 200
    h.clock.advance(10)
    r = await h.client.post(f"/api/v1/incidents/{b}/resolve", json={"person": "erik", "code": code})
    assert r.status == 403 and "already used" in (await r.json())["error"]
    assert await status_of(h, b) == IncidentStatus.TRIGGERED


async def test_hijack_cannot_be_acknowledged_resolved_or_snoozed_with_only_an_operator_token(h):
    inc = await h.open_incident(Category.HIJACK)
    for action, body in (("ack", {}), ("resolve", {}), ("snooze", {"for": "30m"})):
        r = await h.client.post(f"/api/v1/incidents/{inc}/{action}", json=body, headers=TOKEN)
        assert r.status == 403, action
    assert await status_of(h, inc) == IncidentStatus.TRIGGERED


async def test_other_categories_accept_an_operator_token(h):
    inc = await h.open_incident(Category.CRISIS)
    r = await h.client.post(f"/api/v1/incidents/{inc}/snooze", json={"for": "30m"}, headers=TOKEN)
    assert r.status == 200, await r.text()
    assert (await r.json())["snoozed_until"] == (h.clock.now() + timedelta(minutes=30)).isoformat()
    r = await h.client.post(f"/api/v1/incidents/{inc}/resolve", headers=TOKEN)
    assert r.status == 200 and (await r.json())["status"] == "resolved"


async def test_no_token_and_no_code_is_unauthorized(h):
    inc = await h.open_incident(Category.CRISIS)
    assert (await h.client.post(f"/api/v1/incidents/{inc}/ack")).status == 401
    bad = {"Authorization": "Bearer nope"}
    assert (await h.client.post(f"/api/v1/incidents/{inc}/ack", headers=bad)).status == 401
    assert (await h.client.get("/api/v1/incidents")).status == 401
    assert (await h.client.get(f"/api/v1/incidents/{inc}", headers=bad)).status == 401


async def test_list_and_show_incidents(h):
    inc = await h.open_incident(Category.HIJACK)
    r = await h.client.get("/api/v1/incidents", headers=TOKEN)
    assert [i["id"] for i in (await r.json())["incidents"]] == [inc]
    r = await h.client.get(f"/api/v1/incidents/{inc}", headers=TOKEN)
    assert (await r.json())["timeline"][0]["kind"] == "opened"
    assert (await h.client.get("/api/v1/incidents/inc-999999", headers=TOKEN)).status == 404


async def test_sixth_failed_try_is_locked_out_and_raises_the_security_alert(h):
    inc = await h.open_incident(Category.HIJACK)
    wrong = "000000" if h.code("erik") != "000000" else "111111"
    for _ in range(5):
        r = await h.client.post(f"/api/v1/incidents/{inc}/ack", json={"person": "erik", "code": wrong})
        assert r.status == 403
        h.clock.advance(1)
    assert h.alerts == []
    r = await h.client.post(f"/api/v1/incidents/{inc}/ack", json={"person": "erik", "code": h.code("erik")})
    assert r.status == 423
    assert [(p, t) for p, _, t in h.alerts] == [("erik", h.clock.now())]
    assert await status_of(h, inc) == IncidentStatus.TRIGGERED
    trail = await h.guard.store.audit_trail("erik")
    assert [e.result for e in trail] == ["invalid"] * 5 + ["locked"]


# -- SMS webhooks ----------------------------------------------------------------------------


def twilio_form(body: str, sid: str = "SM1", sender: str = ERIK) -> dict[str, str]:
    return {"MessageSid": sid, "AccountSid": "AC123", "From": sender, "To": "+46766860000", "Body": body}


async def post_twilio(h: Harness, form: dict[str, str], signature: str | None = None):  # type: ignore[no-untyped-def]
    sig = signature or twilio_signature(TWILIO_TOKEN, TWILIO_URL, form.items())
    return await h.client.post(
        "/api/v1/sms/twilio",
        data=urlencode(form),
        headers={"X-Twilio-Signature": sig, "Content-Type": "application/x-www-form-urlencoded"},
    )


async def test_twilio_sms_reply_with_code_acknowledges(h):
    inc = await h.open_incident(Category.HIJACK)
    r = await post_twilio(h, twilio_form(f"{int(inc[4:])}a {h.code('erik')}"))
    assert r.status == 200 and r.content_type == "text/xml"
    assert "ack done" in await r.text()
    assert await status_of(h, inc) == IncidentStatus.ACKNOWLEDGED


async def test_forged_twilio_webhook_is_rejected(h):
    inc = await h.open_incident(Category.HIJACK)
    form = twilio_form(f"ACK {h.code('erik')}")
    forged = twilio_signature("not-the-auth-token", TWILIO_URL, form.items())
    assert (await post_twilio(h, form, forged)).status == 403
    signed = twilio_signature(TWILIO_TOKEN, TWILIO_URL, form.items())
    form["Body"] = "12c " + h.code("erik")  # changed after signing
    assert (await post_twilio(h, form, signed)).status == 403
    assert await status_of(h, inc) == IncidentStatus.TRIGGERED


async def test_replayed_twilio_webhook_is_rejected(h):
    inc = await h.open_incident(Category.HIJACK)
    form = twilio_form(f"ACK {h.code('erik')}")
    assert (await post_twilio(h, form)).status == 200
    h.clock.advance(5)
    r = await post_twilio(h, form)
    assert r.status == 409
    assert await status_of(h, inc) == IncidentStatus.ACKNOWLEDGED


async def test_46elks_reply_needs_the_secret_url_token(h):
    inc = await h.open_incident(Category.HIJACK)
    form = {"id": "s1", "from": ERIK, "to": "+46766860000", "message": f"ACK {h.code('erik')}", "direction": "incoming"}
    r = await h.client.post("/api/v1/sms/46elks/wrong-token", data=form)
    assert r.status == 404
    assert await status_of(h, inc) == IncidentStatus.TRIGGERED
    r = await h.client.post(f"/api/v1/sms/46elks/{ELKS_TOKEN}", data=form)
    assert r.status == 200 and "ack done" in await r.text()
    assert await status_of(h, inc) == IncidentStatus.ACKNOWLEDGED
    assert (await h.client.post(f"/api/v1/sms/46elks/{ELKS_TOKEN}", data=form)).status == 409


async def test_sms_from_an_unknown_phone_changes_nothing(h):
    inc = await h.open_incident(Category.HIJACK)
    r = await post_twilio(h, twilio_form(f"ACK {h.code('erik')}", sender="+46700000099"))
    assert r.status == 200 and "Not recognised" in await r.text()
    assert await status_of(h, inc) == IncidentStatus.TRIGGERED


# -- signed links ----------------------------------------------------------------------------


async def test_signed_link_page_acknowledges_with_a_code(h):
    inc = await h.open_incident(Category.HIJACK)
    url = ack_url(h.security, inc, "erik", h.clock.now())
    assert url is not None
    path = url.removeprefix("https://sentinel.example.com")
    page = await h.client.get(path)
    assert page.status == 200 and "<form" in await page.text()
    r = await h.client.post(path, data={"code": "000000" if h.code("erik") != "000000" else "111111"})
    assert r.status == 403
    r = await h.client.post(path, data={"code": h.code("erik"), "action": "ack"})
    assert r.status == 200
    assert await status_of(h, inc) == IncidentStatus.ACKNOWLEDGED


async def test_tampered_or_expired_link_is_rejected(h):
    inc = await h.open_incident(Category.HIJACK)
    url = ack_url(h.security, inc, "erik", h.clock.now())
    assert url is not None
    path = url.removeprefix("https://sentinel.example.com")
    tampered = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
    assert (await h.client.get(tampered)).status == 403
    assert (await h.client.post(tampered, data={"code": h.code("erik")})).status == 403
    h.clock.advance(3601)
    assert (await h.client.get(path)).status == 410
    assert (await h.client.post(path, data={"code": h.code("erik")})).status == 410
    assert await status_of(h, inc) == IncidentStatus.TRIGGERED


# -- silences and maintenance windows ---------------------------------------------------------------


async def test_silence_that_could_mute_hijacks_needs_a_code(h):
    body = {"matchers": ["page=druvan"], "for": "2h", "comment": "campaign"}
    r = await h.client.post("/api/v1/silences", json=body, headers=TOKEN)
    assert r.status == 403
    assert h.suppressor.silences == []
    r = await h.client.post("/api/v1/silences", json=body | {"person": "erik", "code": h.code("erik")}, headers=TOKEN)
    assert r.status == 201, await r.text()
    sil = await r.json()
    assert sil["created_by"] == "erik" and sil["state"] == "active"
    assert [s.id for s in h.suppressor.silences] == [sil["id"]]
    r = await h.client.post(
        "/api/v1/silences", json={"matchers": ["page=druvan", "category=crisis"], "for": "1h"}, headers=TOKEN
    )
    assert r.status == 201


async def test_a_silence_whose_regex_re2_refuses_is_refused_naming_the_matcher(h):
    body = {"matchers": ["rule=~(hijack)\\1", "category!=hijack"], "for": "1h"}
    r = await h.client.post("/api/v1/silences", json=body, headers=TOKEN)
    assert r.status == 400
    error = (await r.json())["error"]
    assert error.startswith("matchers: bad regular expression in matcher 'rule=~(hijack)\\\\1': ")
    assert "invalid escape sequence" in error and "RE2" in error
    assert h.suppressor.silences == []
    assert (await (await h.client.get("/api/v1/silences", headers=TOKEN)).json())["items"] == []


async def test_a_silence_with_a_backtracking_regex_is_taken_and_answers_at_once(h):
    body = {"matchers": ["rule=~(.|.|.)*QQ", "category!=hijack"], "for": "1h", "comment": "campaign"}
    r = await h.client.post("/api/v1/silences", json=body, headers=TOKEN)  # no code: it cannot mute a hijack
    assert r.status == 201, await r.text()
    (sil,) = h.suppressor.silences
    assert not sil.mutes({"rule": "x" * 10_000, "category": "crisis"}, h.clock.now())
    assert sil.mutes({"rule": "x" * 10_000 + "QQ", "category": "crisis"}, h.clock.now())


async def test_maintenance_window_never_mutes_hijacks_and_can_be_expired(h):
    r = await h.client.post("/api/v1/maintenance", json={"page": "druvan", "for": "1h"}, headers=TOKEN)
    assert r.status == 201
    mw = await r.json()
    (sil,) = h.suppressor.silences
    now = h.clock.now()
    assert sil.mutes({"page": "druvan", "category": "crisis"}, now)
    assert not sil.mutes({"page": "druvan", "category": "hijack"}, now)
    listed = await (await h.client.get("/api/v1/maintenance", headers=TOKEN)).json()
    assert [m["id"] for m in listed["items"]] == [mw["id"]]
    h.clock.advance(60)
    r = await h.client.delete(f"/api/v1/maintenance/{mw['id']}", headers=TOKEN)
    assert r.status == 200 and (await r.json())["state"] == "expired"
    assert h.suppressor.silences == []
    assert (await h.client.delete(f"/api/v1/maintenance/{mw['id']}", headers=TOKEN)).status == 409


async def test_openapi_describes_the_routes(h):
    r = await h.client.get("/api/v1/openapi.json")
    spec = await r.json()
    assert spec["openapi"].startswith("3.")
    for p in (
        "/api/v1/incidents",
        "/api/v1/incidents/{id}/ack",
        "/api/v1/silences",
        "/api/v1/maintenance",
        "/api/v1/sms/twilio",
    ):
        assert p in spec["paths"]


# -- no secret in logs ---------------------------------------------------------------------------


async def test_no_secret_or_code_reaches_the_logs(h):
    inc = await h.open_incident(Category.HIJACK)
    url = ack_url(h.security, inc, "erik", h.clock.now())
    assert url is not None
    used: list[str] = ["000000", "123456"]

    async def exercise(sid: str) -> None:
        codes = [h.code("erik"), h.code("anna")]
        used.extend(codes)
        await h.client.post(f"/api/v1/incidents/{inc}/ack", json={"person": "anna", "code": "000000"})
        await h.client.post(f"/api/v1/incidents/{inc}/ack", json={"person": "erik", "code": codes[0]})
        await post_twilio(h, twilio_form(f"ACK {codes[1]}", sid=sid))
        await post_twilio(h, twilio_form("ACK 123456", sid=sid + "x"), "forged")
        await h.client.get(url.removeprefix("https://sentinel.example.com"))
        await h.client.post(url.removeprefix("https://sentinel.example.com") + "x", data={"code": codes[0]})
        h.clock.advance(60)

    with capture_logs() as captured:
        await exercise("SM9")
    stream = io.StringIO()
    configure(level="debug", fmt="json", stream=stream)  # what reaches stderr in production
    try:
        await exercise("SM10")
    finally:
        structlog.reset_defaults()
    rendered = stream.getvalue() + "\n" + repr(captured)
    assert "security.code_checked" in stream.getvalue() and captured
    secrets = [*used, OPERATOR_TOKEN, TWILIO_TOKEN, ELKS_TOKEN, SECRET_KEY, *h.secrets.values(), url.rsplit("/", 1)[1]]
    for s in secrets:
        assert s not in rendered, "a secret reached the logs"
