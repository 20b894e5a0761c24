"""Who may take an alarm down: a code acts on the incidents routed to its person; anyone else takes it over."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from sentinel.incidents import IncidentManager, IncidentStatus
from sentinel.model import AlertStatus, AlertTransition, Category, NotificationKind, Severity
from sentinel.security.actions import Authority, authority
from sentinel.security.guessing import CODE_GUESSING
from sentinel.security.store import SecurityStore
from sentinel.settings.oncall import load_oncall
from sentinel.testing.operator import ELKS_TOKEN, EXAMPLE, Harness, operator_harness

LENA = "+46701234504"  # community team: on no hijack route
ERIK = "+46701234501"


@pytest.fixture
async def h(tmp_path) -> AsyncIterator[Harness]:
    async with operator_harness(tmp_path, enroll=("erik", "sara", "anna", "lena")) as harness:
        yield harness


def wrong(h: Harness, person: str) -> str:
    return "000000" if h.code(person) != "000000" else "111111"


async def open_warning_hijack(h: Harness) -> str:
    now = h.clock.now()
    t = AlertTransition(
        time=now,
        status=AlertStatus.FIRING,
        rule="w",
        category=Category.HIJACK,
        severity=Severity.WARNING,
        page="druvan",
        fingerprint="w",
        summary="w",
        group_key="w",
    )
    inc = await h.incidents.on_alert(t, now)
    assert inc is not None
    return inc


async def status_of(h: Harness, inc: str) -> IncidentStatus:
    got = await h.incidents.get(inc)
    assert got is not None
    return got.status


async def audit(h: Harness, person: str) -> list[tuple[str, str, str]]:
    return [(e.action, e.incident, e.result) for e in await SecurityStore(h.db).audit_trail(person)]


@pytest.mark.parametrize(
    "person, routed, expected",
    [
        ("erik", frozenset({"erik", "anna"}), Authority.ROUTED),
        ("lena", frozenset({"erik", "anna"}), Authority.NOT_ROUTED),
        ("lena", frozenset(), Authority.NOT_ROUTED),
        ("erik", None, Authority.NO_INCIDENT),
    ],
)
def test_a_code_may_act_only_where_the_incident_is_routed(person, routed, expected):
    assert authority(person, routed) == expected


async def test_an_incident_is_routed_to_its_policy_people_and_whoever_it_paged(h):
    hijack = await h.open_incident(Category.HIJACK)
    # hijack policy: the security-oncall schedule (every user of its rotations), then anna
    assert h.incidents.routed_to(hijack) == {"erik", "sara", "anna"}
    crisis = await h.open_incident(Category.CRISIS)
    # crisis-critical: community-desk and security-oncall schedules, then anna and the press team
    assert h.incidents.routed_to(crisis) == {"lena", "johan", "erik", "sara", "anna", "maya"}
    assert h.incidents.routed_to(await open_warning_hijack(h)) == {"lena", "johan"}  # the community policy
    assert h.incidents.routed_to(await h.open_incident(Category.OTHER)) == frozenset()  # no route at all
    assert h.incidents.routed_to("inc-999999") is None
    await h.incidents.resolve(hijack, "erik", h.clock.now())
    assert h.incidents.routed_to(hijack) is None


@pytest.mark.parametrize("action, body", [("ack", {}), ("resolve", {}), ("snooze", {"for": "30m"})])
async def test_a_valid_code_of_someone_not_routed_is_refused_and_left_unused(h, action, body):
    inc = await h.open_incident(Category.HIJACK)
    code = h.code("lena")
    r = await h.client.post(f"/api/v1/incidents/{inc}/{action}", json={"person": "lena", "code": code, **body})
    assert r.status == 403
    error = (await r.json())["error"]
    assert "not routed to lena" in error and f"/api/v1/incidents/{inc}/take-over" in error
    assert await status_of(h, inc) == IncidentStatus.TRIGGERED
    assert await audit(h, "lena") == [(action, inc, "not_routed")]
    r = await h.client.post(f"/api/v1/incidents/{inc}/take-over", json={"person": "lena", "code": code})
    assert r.status == 200, await r.text()  # the refused code was not spent


async def test_take_over_is_audited_on_the_timeline_and_told_to_those_paged(h):
    inc = await h.open_incident(Category.HIJACK)
    paged = {(i.recipient.name, i.channel) for i in h.intents if i.kind == NotificationKind.PAGE}
    assert paged and all(name in ("erik", "sara") for name, _ in paged)
    r = await h.client.post(
        f"/api/v1/incidents/{inc}/take-over",
        json={"person": "lena", "code": h.code("lena"), "reason": "erik is on a plane"},
    )
    assert r.status == 200, await r.text()
    entry = [e for e in (await r.json())["timeline"] if e["kind"] == "taken_over" and "channel" not in e]
    assert entry == [
        {
            "time": h.clock.now().isoformat(),
            "kind": "taken_over",
            "by": "lena",
            "reason": "erik is on a plane",
            "told": sorted({n for n, _ in paged}),
        }
    ]
    told = [i for i in h.intents if i.kind == NotificationKind.TAKEN_OVER]
    assert {(i.recipient.name, i.channel) for i in told} == paged
    assert all(i.incident == inc and i.evidence == (f"lena took {inc} over: erik is on a plane",) for i in told)
    assert all(i.summary == "Taken over by lena: hijack on druvan" for i in told)  # what an SMS shows
    assert len({i.idempotency_key for i in told}) == len(told)
    assert await audit(h, "lena") == [("take_over", inc, "ok"), ("take_over", inc, "taken_over")]
    assert "lena" in (h.incidents.routed_to(inc) or ())
    h.clock.advance(30)  # the next code: the one just used is spent
    r = await h.client.post(f"/api/v1/incidents/{inc}/ack", json={"person": "lena", "code": h.code("lena")})
    assert r.status == 200 and (await r.json())["acked_by"] == "lena"


async def test_take_over_is_remembered_after_a_restart(h):
    inc = await h.open_incident(Category.HIJACK)
    r = await h.client.post(f"/api/v1/incidents/{inc}/take-over", json={"person": "lena", "code": h.code("lena")})
    assert r.status == 200
    _, oncall = load_oncall(EXAMPLE)
    again = IncidentManager(h.db, oncall, lambda _: None)
    await again.start()
    assert again.routed_to(inc) == {"erik", "sara", "anna", "lena"}


async def test_take_over_refusals(h):
    inc = await h.open_incident(Category.HIJACK)
    url = f"/api/v1/incidents/{inc}/take-over"
    r = await h.client.post(url, json={"person": "lena", "code": wrong(h, "lena")})
    assert r.status == 403 and (await r.json())["error"] == "wrong or expired code"
    r = await h.client.post(url, json={"person": "erik", "code": h.code("erik")})
    assert r.status == 409 and "already routed to erik" in (await r.json())["error"]
    assert (await h.client.post(url, json={"person": "lena"})).status == 401
    assert (await h.client.post(url, json={"person": "maya", "code": "123456"})).status == 403  # not enrolled
    r = await h.client.post("/api/v1/incidents/inc-999999/take-over", json={"person": "lena", "code": "123456"})
    assert r.status == 404
    await h.incidents.resolve(inc, "erik", h.clock.now())
    r = await h.client.post(url, json={"person": "lena", "code": h.code("lena")})
    assert r.status == 409 and "resolved" in (await r.json())["error"]
    assert await SecurityStore(h.db).failures_of("lena", h.clock.now() - timedelta(days=1)) == 1


async def test_an_sms_reply_from_someone_not_routed_is_refused(h):
    inc = await h.open_incident(Category.HIJACK)
    form = {"id": "s1", "from": LENA, "to": "+46766860000", "message": f"ACK {h.code('lena')}", "direction": "incoming"}
    r = await h.client.post(f"/api/v1/sms/46elks/{ELKS_TOKEN}", data=form)
    assert r.status == 200 and "take it over" in await r.text()
    assert await status_of(h, inc) == IncidentStatus.TRIGGERED


async def test_wrong_codes_by_sms_count_for_the_sender_number(tmp_path):
    async with operator_harness(tmp_path, failure_alert_threshold=3) as h:
        inc = await h.open_incident(Category.HIJACK)
        num = int(inc.rsplit("-", 1)[1])
        for i in range(3):
            form = {
                "id": f"s{i}",
                "from": ERIK,
                "to": "+46766860000",
                "message": f"{num}a {wrong(h, 'erik')}",
                "direction": "incoming",
            }
            assert (await h.client.post(f"/api/v1/sms/46elks/{ELKS_TOKEN}", data=form)).status == 200
            h.clock.advance(61)
        assert [(a.rule, a.subject) for a in h.alarms] == [
            (CODE_GUESSING, "erik"),
            (CODE_GUESSING, f"address:sms …{ERIK[-2:]}"),
        ]
        assert "from sms-46elks" in h.alarms[1].reason
        assert await status_of(h, inc) == IncidentStatus.TRIGGERED


async def test_paced_wrong_codes_through_the_api_page_once_per_person_and_address(tmp_path):
    async with operator_harness(tmp_path, failure_alert_threshold=3, lockout_threshold=5) as h:
        inc = await h.open_incident(Category.HIJACK)
        for _ in range(4):  # 2 wrong codes a quarter of an hour, and a right one: never a lockout
            for _ in range(2):
                r = await h.client.post(
                    f"/api/v1/incidents/{inc}/ack", json={"person": "erik", "code": wrong(h, "erik")}
                )
                assert r.status == 403
            h.clock.advance(31)
            r = await h.client.post(f"/api/v1/incidents/{inc}/ack", json={"person": "erik", "code": h.code("erik")})
            assert r.status == 200  # the in-a-row count starts again; the window's does not
            h.clock.advance(15 * 60)
        subjects = [a.subject for a in h.alarms if a.rule == CODE_GUESSING]
        assert sorted(subjects) == ["address:127.0.0.1", "erik"]


async def test_openapi_describes_the_take_over(h):
    spec = await (await h.client.get("/api/v1/openapi.json")).json()
    take = spec["paths"]["/api/v1/incidents/{id}/take-over"]["post"]
    assert take["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/TakeOverIn"}
    assert spec["components"]["schemas"]["TakeOverIn"]["required"] == ["person", "code"]
    assert "routed" in spec["paths"]["/api/v1/incidents/{id}/ack"]["post"]["summary"]
