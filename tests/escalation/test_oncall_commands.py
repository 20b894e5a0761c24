"""The on-call CLI: ``sentinel oncall``, ``sentinel route test``, ``sentinel incidents``."""

from __future__ import annotations

from pathlib import Path

from sentinel.commands import incidents, oncall, route

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "druvan.yaml"


def main(argv: list[str]) -> int:
    import argparse

    from sentinel.errors import ConfigError

    parser = argparse.ArgumentParser(prog="sentinel")
    sub = parser.add_subparsers()
    for m in (oncall, route, incidents):
        m.register(sub)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except ConfigError:
        return 2


def test_oncall_shows_who_is_on_call_at_a_time(capsys):
    assert main(["oncall", "-c", str(EXAMPLE), "--at", "2025-09-26T21:40"]) == 0
    out = capsys.readouterr().out
    assert "security-oncall  2025-09-26 21:40 CEST  erik until 2025-09-29 09:00" in out
    assert "community-desk  2025-09-26 21:40 CEST  NOBODY" in out


def test_oncall_check_passes_the_example_and_finds_a_gap(tmp_path, capsys):
    assert main(["oncall", "-c", str(EXAMPLE), "--check", "--at", "2025-12-01T00:00"]) == 0
    gappy = EXAMPLE.read_text().replace(
        "      - name: weekly\n", '      - name: weekly\n        restrict: {mon-sun: "06:00-23:00"}\n'
    )
    cfg = tmp_path / "gappy.yaml"
    cfg.write_text(gappy)
    capsys.readouterr()
    assert main(["oncall", "-c", str(cfg), "--check", "--at", "2025-12-01T00:00", "--days", "2"]) == 1
    out = capsys.readouterr().out
    assert "security-oncall: nobody on call Mon 2025-12-01 00:00 – Mon 2025-12-01 06:00 (6.0 h)" in out
    assert "Mon 2025-12-01 23:00 – Tue 2025-12-02 06:00 (7.0 h)" in out


def test_oncall_ical_exports_a_persons_shifts(capsys):
    assert main(["oncall", "-c", str(EXAMPLE), "--ical", "sara", "--at", "2025-09-22T00:00", "--days", "15"]) == 0
    out = capsys.readouterr().out
    assert "DTSTART:20250929T070000Z\r\nDTEND:20251006T070000Z" in out
    assert main(["oncall", "-c", str(EXAMPLE), "--ical", "nobody"]) == 2


def test_route_test_prints_the_hijack_path(capsys):
    assert (
        main(
            [
                "route",
                "test",
                "-c",
                str(EXAMPLE),
                "--category",
                "hijack",
                "--severity",
                "critical",
                "--page",
                "druvan",
                "--at",
                "2025-09-26T21:40",
                "--for",
                "15m",
            ]
        )
        == 0
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("route #1 -> policy hijack")
    assert lines[1].split()[:8] == ["2025-09-26", "21:40:00", "CEST", "+", "0m00s", "step", "1", "page"]
    assert lines[1].endswith("sms    security-oncall:erik +46701234501")
    assert "21:50:00" in lines[3] and "anna" in lines[3]
    assert len(lines) == 5


def test_route_test_rejects_a_bad_time_and_an_unknown_page(capsys):
    base = ["route", "test", "-c", str(EXAMPLE), "--category", "hijack", "--severity", "critical"]
    assert main([*base, "--page", "nope"]) == 2
    assert main([*base, "--page", "druvan", "--at", "friday"]) == 2
    assert "bad time 'friday'" in capsys.readouterr().err


def test_incidents_lists_and_shows_from_the_store(tmp_path, capsys):
    import asyncio
    from datetime import UTC, datetime

    from sentinel.escalation.config import OnCallConfig
    from sentinel.incidents import IncidentManager
    from sentinel.model import AlertStatus, AlertTransition, Category, Severity
    from sentinel.settings import load_config
    from sentinel.store.sqlite import SqliteDatabase

    db_path = tmp_path / "s.db"
    cfg = tmp_path / "c.yaml"
    cfg.write_text(EXAMPLE.read_text().replace("sqlite:///druvan.db", f"sqlite:///{db_path}"))

    async def seed() -> None:
        root = load_config(cfg, read_only=True)
        oc = OnCallConfig.of(root)
        db = SqliteDatabase.open(str(db_path))
        mgr = IncidentManager(db, oc, root.page)
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
    assert main(["incidents", "-c", str(cfg)]) == 0
    assert "inc-000001" in capsys.readouterr().out
    assert main(["incident", "1", "-c", str(cfg)]) == 0
    out = capsys.readouterr().out
    assert "opened" in out and "notified" in out and "security-oncall:erik" in out
    assert main(["incident", "inc-000009", "-c", str(cfg)]) == 1
