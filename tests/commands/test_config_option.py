"""One -c/--config for every command; read commands need no secrets; paths are read from the config's folder."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from sentinel import cli
from sentinel.commands import CONFIG_ENV, config_path
from sentinel.config import source_of
from sentinel.config.schema import ServerConfig
from sentinel.errors import ConfigError
from sentinel.settings import load_config, parse_config

# Every command line that reads a config, with the arguments it needs besides it.
READERS = [
    ["run"],
    ["check"],
    ["replay", "x.jsonl"],
    ["oncall"],
    ["route", "test", "--category", "hijack", "--severity", "critical", "--page", "p"],
    ["incidents"],
    ["incident", "1"],
    ["notify-test", "--person", "a"],
    ["sources", "check"],
    ["sources", "list"],
    ["staff", "list"],
    ["staff", "enroll", "a"],
]


def _parse(argv: list[str]) -> argparse.Namespace:
    return cli.build_parser(argv).parse_args(argv)


@pytest.mark.parametrize("argv", READERS, ids=lambda a: " ".join(a[:2]))
def test_every_command_takes_dash_c_and_dash_dash_config(argv: list[str]) -> None:
    assert _parse([*argv, "-c", "a.yaml"]).config == "a.yaml"
    assert _parse([*argv, "--config", "b.yaml"]).config == "b.yaml"


@pytest.mark.parametrize("argv", READERS, ids=lambda a: " ".join(a[:2]))
def test_every_command_documents_the_one_default(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    words = [w for w in argv if not w.startswith("-")][: 2 if argv[0] in ("route", "sources", "staff") else 1]
    with pytest.raises(SystemExit):
        cli.main([*words, "--help"])
    assert f"${CONFIG_ENV}, else ./sentinel.yaml" in " ".join(capsys.readouterr().out.split())


def test_the_default_is_the_environment_then_sentinel_yaml(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    assert config_path(argparse.Namespace(config=None)) == "sentinel.yaml"
    assert config_path(argparse.Namespace(config=None), optional=True) is None
    monkeypatch.setenv(CONFIG_ENV, "/etc/s.yaml")
    assert config_path(argparse.Namespace(config=None)) == "/etc/s.yaml"
    assert config_path(argparse.Namespace(config="x.yaml")) == "x.yaml"


def test_no_config_at_all_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    assert cli.main(["oncall"]) == 2
    err = capsys.readouterr().err
    assert err == f"error: sentinel.yaml: no config file: give one with -c FILE (or set {CONFIG_ENV})\n"


SECRETS = """\
pages:
  - id: p
    timezone: Europe/Stockholm
store:
  url: sqlite:///data/s.db
server:
  ingest_token: ${INGEST_TOKEN}
people:
  - {name: erik, phone: "+46701234501", channels: [sms]}
schedules:
  - {name: s, layers: [{users: [erik]}]}
escalation:
  policies: [{name: p, steps: [{targets: [{schedule: s}]}]}]
  routes: [{policy: p}]
notify:
  channels:
    sms:
      type: 46elks
      username: u
      password_file: secrets/elks
"""


@pytest.fixture
def secret_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config whose daemon secrets (an env variable, a secret file) are not here, and a store beside it."""
    monkeypatch.delenv("INGEST_TOKEN", raising=False)
    (tmp_path / "conf").mkdir()
    path = tmp_path / "conf" / "sentinel.yaml"
    path.write_text(SECRETS, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "argv",
    [
        ["oncall", "--at", "2025-09-26T21:40"],
        ["check"],
        ["sources", "list"],
        ["route", "test", "--category", "hijack", "--severity", "critical", "--page", "p", "--at", "2025-09-26T21:40"],
    ],
    ids=lambda a: a[0],
)
def test_read_only_commands_need_no_daemon_secrets(
    argv: list[str], secret_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (secret_config.parent / "data").mkdir()
    assert cli.main([*argv, "-c", str(secret_config)]) == 0, capsys.readouterr().err


def test_the_daemon_still_needs_them(secret_config: Path) -> None:
    with pytest.raises(ConfigError) as e:
        load_config(secret_config)
    text = str(e.value)
    assert "environment variable INGEST_TOKEN is not set" in text and "password_file: cannot read" in text


def test_an_unset_variable_is_named_when_the_config_fails_without_it() -> None:
    text = "pipeline:\n  max_unknown_pages: ${N}\nserver:\n  ingest_token: ${TOKEN}\n"
    with pytest.raises(ConfigError) as e:
        parse_config(text, "s.yaml", env={}, read_only=True)
    assert [str(i) for i in e.value.issues][-1] == (
        "s.yaml:2:3: pipeline.max_unknown_pages: environment variable N is not set"
    )
    # the others are notes beside it (``sentinel check`` says so), not errors
    assert [str(i) for i in e.value.notes] == ["s.yaml:4:3: server.ingest_token: environment variable TOKEN is not set"]


def test_an_unset_variable_in_a_section_only_the_daemon_reads_is_a_note_where_its_field_cannot_take_it() -> None:
    """``server.port: ${PORT}`` (one file for several replicas): a read-only command reads no port."""
    config = parse_config("server:\n  port: ${PORT}\n", "s.yaml", env={}, read_only=True)
    assert config.server.port == ServerConfig().port
    source = source_of(config)
    assert source and [str(i) for i in source.unset] == [
        "s.yaml:2:3: server.port: environment variable PORT is not set"
    ]
    with pytest.raises(ConfigError, match=r"server\.port: environment variable PORT is not set"):
        parse_config("server:\n  port: ${PORT}\n", "s.yaml", env={})  # the daemon's load


def test_paths_are_read_from_the_config_files_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conf = tmp_path / "conf"
    (conf / "secrets").mkdir(parents=True)
    (conf / "secrets" / "elks").write_text("pw\n")
    (conf / "sentinel.yaml").write_text(SECRETS.replace("${INGEST_TOKEN}", "tok") + "rules:\n  dirs: [my-rules]\n")
    monkeypatch.chdir(tmp_path)  # elsewhere
    config = load_config("conf/sentinel.yaml")
    assert config.store.url == f"sqlite:///{conf / 'data' / 's.db'}"
    assert config.rules.dirs == [str(conf / "my-rules")]
    assert config.notify.channels["sms"].password.reveal() == "pw"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:////var/lib/sentinel/s.db", "sqlite:////var/lib/sentinel/s.db"),
        ("/var/lib/sentinel/s.db", "/var/lib/sentinel/s.db"),
        ("sqlite:///s.db", "sqlite:///{base}/s.db"),
        ("s.db", "sqlite:///{base}/s.db"),
        ("sqlite://:memory:", "sqlite://:memory:"),
        ("postgresql://u@db/sentinel", "postgresql://u@db/sentinel"),
    ],
)
def test_store_url_forms(url: str, expected: str, tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(f"store:\n  url: '{url}'\n")
    assert load_config(path).store.url == expected.format(base=tmp_path)


def test_three_slashes_before_a_system_folder_is_refused_with_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("store:\n  url: sqlite:///var/lib/sentinel/s.db\n")
    with pytest.raises(ConfigError) as e:
        load_config(path)
    assert str(e.value) == (
        f"{path}:2:3: store.url: 'sqlite:///var/lib/sentinel/s.db' is the file "
        f"'var/lib/sentinel/s.db' relative to the config's folder ({tmp_path}); for the "
        "absolute path /var/lib/sentinel/s.db write four slashes: "
        "'sqlite:////var/lib/sentinel/s.db'"
    )


@pytest.mark.parametrize("argv", [["incidents"], ["incident", "1"], ["staff", "list"]], ids=lambda a: a[0])
def test_a_read_command_never_creates_an_empty_store(argv: list[str], tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("store:\n  url: sqlite:///nowhere/s.db\n")
    r = subprocess.run(
        [sys.executable, "-m", "sentinel", *argv, "-c", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert r.returncode == 2
    assert r.stderr == (
        f"error: {path}:2:3: store.url: no store at {tmp_path / 'nowhere' / 's.db'}: nothing to read "
        "(the daemon creates it when it first starts; is this the daemon's config?)\n"
    )
    assert not (tmp_path / "nowhere").exists()
