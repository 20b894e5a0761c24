"""incidents in the page's zone with a header; notify-test on the person's channels; sources check's two failures."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sentinel.cli import main
from sentinel.commands import sources
from sentinel.config.schema import PageConfig
from sentinel.config.types import Secret
from sentinel.escalation.config import OnCallConfig
from sentinel.model import AlertStatus, AlertTransition, Category, Severity
from sentinel.settings import load_config
from sentinel.sources.graph_client import GraphError
from sentinel.sources.graph_config import SourcesConfig

CONFIG = """\
pages:
  - {id: druvan, timezone: Europe/Stockholm}
store:
  url: sqlite:///s.db
people:
  - {name: erik, phone: "+46701234501", channels: [sms]}
schedules:
  - {name: sec, timezone: Europe/Stockholm, layers: [{users: [erik]}]}
escalation:
  policies: [{name: p, steps: [{targets: [{schedule: sec}]}]}]
  routes: [{policy: p}]
notify:
  channels:
    sms: {type: console, stream: stderr}
"""


@pytest.fixture
def with_incident(tmp_path: Path) -> Path:
    """A config whose store holds one open incident, opened 2025-09-26 19:40 UTC (21:40 in Stockholm)."""
    from sentinel.incidents import IncidentManager
    from sentinel.store.sqlite import SqliteDatabase

    path = tmp_path / "sentinel.yaml"
    path.write_text(CONFIG, encoding="utf-8")

    async def seed() -> None:
        root = load_config(path)
        db = SqliteDatabase.open(str(tmp_path / "s.db"))
        mgr = IncidentManager(db, OnCallConfig.of(root), root.page)
        await mgr.start()
        t = datetime(2025, 9, 26, 19, 40, tzinfo=UTC)
        await mgr.on_alert(
            AlertTransition(
                t, AlertStatus.FIRING, "hijack.x", Category.HIJACK, Severity.CRITICAL, "druvan", "fp", "New admin"
            ),
            t,
        )
        await mgr.tick(t)
        await db.close()

    asyncio.run(seed())
    return path


def test_incidents_prints_a_header_and_times_in_the_pages_zone_with_its_name(
    with_incident: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["incidents", "-c", str(with_incident)]) == 0
    header, line = capsys.readouterr().out.splitlines()
    assert header.split()[:3] == ["ID", "OPENED", "(page"]
    assert line.startswith("inc-000001  2025-09-26 21:40 CEST ")
    assert "Z " not in line


def test_incident_timeline_is_in_the_pages_zone_too(with_incident: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["incident", "1", "-c", str(with_incident)]) == 0
    timeline = [line for line in capsys.readouterr().out.splitlines() if line.startswith("  ")]
    assert timeline and all(line.startswith("  2025-09-26 21:40:00 CEST ") for line in timeline)


NOTIFY = """\
people:
  - {name: erik, phone: "+46701234501", channels: [email]}
  - {name: lena, email: lena@example.com, channels: [sms, email]}
notify:
  channels:
    sms: {type: 46elks, url: "http://127.0.0.1:9/a1/sms", username: u, password: p}
    email: {type: console, stream: stdout}
"""


def test_notify_test_tries_only_the_persons_channels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(NOTIFY, encoding="utf-8")
    assert main(["notify-test", "-c", str(path), "--person", "erik"]) == 0
    out = capsys.readouterr().out
    assert "email: sent" in out and "sms" not in out


def test_notify_test_skips_a_channel_that_cannot_reach_the_person(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(NOTIFY, encoding="utf-8")
    assert main(["notify-test", "-c", str(path), "--person", "lena"]) == 0
    out = capsys.readouterr().out
    assert "sms: skipped: lena has no phone number" in out and "email: sent" in out


def test_notify_test_refuses_a_channel_the_person_does_not_have(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(NOTIFY, encoding="utf-8")
    assert main(["notify-test", "-c", str(path), "--person", "erik", "--channel", "sms"]) == 2
    assert capsys.readouterr().err == "error: erik has no 'sms' channel (their channels: email)\n"


def test_sources_and_notify_test_have_help_text(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "sources list the pages the config watches" in text
    assert "notify-test send a test notification to a person" in text


async def test_sources_check_names_the_host_it_cannot_reach() -> None:
    pages = [PageConfig(id="a", page_id="1", access_token=Secret("t"))]
    (res,) = await sources.check_pages(SourcesConfig(base_url="http://127.0.0.1:9"), pages)
    assert not res.ok
    assert res.lines[0].startswith("cannot reach 127.0.0.1:9 (")


def test_an_expired_token_is_not_an_unreachable_host() -> None:
    expired = GraphError(190, "Error validating access token: Session has expired", subcode=463, status=400)
    text = sources.refusal(expired, "https://graph.facebook.com/v21.0")
    assert text.startswith("graph.facebook.com refused the token: error 190")
    assert "expired or was revoked" in text and "cannot reach" not in text
    down = GraphError(0, "transport: ClientConnectorError", transient=True)
    assert sources.refusal(down, "https://graph.facebook.com/v21.0").startswith(
        "cannot reach graph.facebook.com (ClientConnectorError: "
    )


def test_staff_list_reads_the_store_without_the_secret_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sentinel.store.sqlite import SqliteDatabase

    monkeypatch.delenv("SENTINEL_SECRET_KEY", raising=False)
    path = tmp_path / "s.yaml"
    path.write_text("store:\n  url: s.db\nsecurity:\n  secret_key: ${SENTINEL_SECRET_KEY}\n", encoding="utf-8")
    asyncio.run(SqliteDatabase.open(str(tmp_path / "s.db")).close())
    assert main(["staff", "list", "-c", str(path)]) == 0
    assert capsys.readouterr().out == "nobody enrolled\n"
