"""``sentinel check`` proves every route can page someone: route -> policy -> people -> a defined channel."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from sentinel.cli import main
from sentinel.errors import ConfigError
from sentinel.settings import load_config, parse_config
from sentinel.settings.reach import reachability_issues, require_reachable

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "druvan.yaml"


def without_channels(tmp_path: Path) -> Path:
    """examples/druvan.yaml as it shipped before: people with phones, policies that text them, no channels."""
    text = re.sub(r"\nnotify:\n(?:[ #].*\n)+", "\n", EXAMPLE.read_text(encoding="utf-8"))
    assert "notify:" not in text
    path = tmp_path / "druvan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_example_passes_check_without_the_daemons_secrets(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ELKS_PASSWORD", raising=False)
    assert main(["check", "-c", str(EXAMPLE)]) == 0
    out, err = capsys.readouterr()
    assert f"config {EXAMPLE}: ok" in out
    assert "note:" in err and "ELKS_PASSWORD is not set" in err  # named, but not an error


def test_check_strict_requires_the_daemons_secrets(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ELKS_PASSWORD", raising=False)
    assert main(["check", "--strict", "-c", str(EXAMPLE)]) == 2
    assert "error: " in capsys.readouterr().err


def test_a_config_that_texts_people_through_no_channel_fails_check_naming_route_person_and_channel(
    tmp_path: Path,
) -> None:
    path = without_channels(tmp_path)
    r = subprocess.run(
        [sys.executable, "-m", "sentinel", "check", "-c", str(path)], capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 2, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    first = r.stderr.splitlines()[0]
    assert re.match(
        rf"error: {re.escape(str(path))}:\d+:\d+: escalation\.routes\[0\]: hijack/critical -> policy "
        r"hijack: pages erik, sara, anna by sms, but notify.channels defines no 'sms' channel",
        first,
    )
    assert "(defined: none)" in first


def test_oncall_check_does_not_call_everyone_reachable_when_no_channel_is_defined(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = without_channels(tmp_path)
    assert main(["oncall", "-c", str(path), "--check", "--at", "2025-12-01T00:00"]) == 1
    out = capsys.readouterr().out
    assert "everyone reachable" not in out
    assert "person erik: prefers sms but notify.channels defines no 'sms' channel" in out


def test_route_test_marks_a_notification_to_an_undefined_channel_as_not_sent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = without_channels(tmp_path)
    argv = [
        "route",
        "test",
        "-c",
        str(path),
        "--category",
        "hijack",
        "--severity",
        "critical",
        "--page",
        "druvan",
        "--at",
        "2025-09-26T21:40",
        "--for",
        "5m",
    ]
    assert main(argv) == 1
    out, err = capsys.readouterr()
    sms = [line for line in out.splitlines() if " sms " in line]
    assert sms and all(line.endswith("NOT SENT: no 'sms' channel in notify.channels") for line in sms)
    assert "would not be sent" in err


BASE = """\
people:
  - {name: erik, phone: "+46701234501", channels: [sms]}
  - {name: lena, email: lena@example.com, channels: [sms]}
escalation:
  policies:
    - name: p
      steps:
        - targets: [{person: erik}, {person: lena}]
          channels: [sms]
  routes:
    - {category: hijack, policy: p}
notify:
  channels:
    sms: {type: 46elks, username: u, password: "PW"}
"""


def test_a_person_the_step_cannot_reach_is_named() -> None:
    issues = reachability_issues(parse_config(BASE, "s.yaml"))
    assert [str(i) for i in issues] == [
        "s.yaml:11:7: escalation.routes[0]: hijack/any severity -> policy p: cannot reach lena (the step uses sms; "
        "lena has no phone or e-mail for it)"
    ]


def test_an_empty_secret_is_a_missing_secret() -> None:
    issues = reachability_issues(
        parse_config(BASE.replace('"PW"', '""').replace("lena, email", 'lena, phone: "+46701234502", email'), "s.yaml")
    )
    assert [str(i) for i in issues] == ["s.yaml:14:38: notify.channels.sms.password: the secret is empty"]


def test_require_reachable_is_what_the_daemon_calls_at_start_and_reload(tmp_path: Path) -> None:
    require_reachable(load_config(EXAMPLE, read_only=True))
    with pytest.raises(ConfigError) as e:
        require_reachable(load_config(without_channels(tmp_path)))
    assert any("notify.channels defines no 'email' channel" in str(i) for i in e.value.issues)


def test_run_refuses_to_start_a_daemon_that_pages_nobody(tmp_path: Path) -> None:
    path = without_channels(tmp_path)
    r = subprocess.run(
        [sys.executable, "-m", "sentinel", "run", "-c", str(path)], capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "notify.channels defines no 'sms' channel" in r.stderr
