"""What a user sees for each kind of bad config: file, line, key path and a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentinel.errors import ConfigError
from sentinel.settings import load_config, parse_config

SCENARIO_CONFIGS = sorted(Path(__file__).resolve().parents[3].glob("shared/scenarios/dev/*/config.yaml"))


def errors_of(text: str, env: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as exc:
        parse_config(text, "sentinel.yaml", env=env or {})
    return [str(i) for i in exc.value.issues]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "pages:\n  - id: a\n    timezon: UTC\n",
            "sentinel.yaml:3:5: pages[0].timezon: unknown key 'timezon'; did you mean 'timezone'?",
            id="unknown-key-with-hint",
        ),
        pytest.param(
            "pages:\n  - id: a\n    response_sla: 4x\n",
            "sentinel.yaml:3:5: pages[0].response_sla: bad duration '4x' (write it like 30s, 10m, 4h or 1d)",
            id="bad-duration",
        ),
        pytest.param(  # was an OverflowError's traceback from timedelta
            "pages:\n  - id: a\n    response_sla: 99999999999999d\n",
            "sentinel.yaml:3:5: pages[0].response_sla: duration '99999999999999d' is longer than Sentinel takes "
            "(at most 3650d)",
            id="duration-beyond-any-calendar",
        ),
        pytest.param(
            "pages:\n  - id: a\n    timezone: Europe/Stokholm\n",
            "sentinel.yaml:3:5: pages[0].timezone: unknown time zone 'Europe/Stokholm' "
            "(use an IANA name such as Europe/Stockholm)",
            id="bad-timezone",
        ),
        pytest.param(
            'pages:\n  - id: a\n    staffed_hours:\n      mon-fry: "08:00-17:00"\n',
            "sentinel.yaml:3:5: pages[0].staffed_hours: bad day range 'mon-fry' "
            "(days are mon, tue, wed, thu, fri, sat, sun)",
            id="bad-staffed-day",
        ),
        pytest.param(
            'pages:\n  - id: a\n    staffed_hours:\n      mon: "17:00-08:00"\n',
            "sentinel.yaml:3:5: pages[0].staffed_hours: time range '17:00-08:00' ends before it starts (a shift past "
            'midnight is two ranges: "17:00-24:00" on its day and "00:00-08:00" on the next)',
            id="backwards-staffed-range",
        ),
        pytest.param(
            'pages:\n  - id: a\n    staffed_hours:\n      mon: "00:00-00:00"\n',
            "sentinel.yaml:3:5: pages[0].staffed_hours: time range '00:00-00:00' is empty (a whole day is "
            '"00:00-24:00")',
            id="empty-staffed-range",
        ),
        pytest.param(
            'pages:\n  - id: a\n    staffed_hours:\n      mon: "8 to 5"\n',
            "sentinel.yaml:3:5: pages[0].staffed_hours: bad time range '8 to 5' (write it like \"08:00-17:00\")",
            id="unparseable-staffed-range",
        ),
        pytest.param(
            "pages:\n  - id: a\n    holidays: XX\n",
            "sentinel.yaml:3:5: pages[0].holidays: unknown holiday country 'XX' (use an ISO code such as SE)",
            id="bad-holiday-country",
        ),
        pytest.param(
            "pages:\n  - name: Druvan\n", "sentinel.yaml:2:5: pages[0].id: is required", id="missing-required-key"
        ),
        pytest.param(
            "server:\n  port: http\n",
            "sentinel.yaml:2:3: server.port: Input should be a valid integer",
            id="wrong-type",
        ),
        pytest.param(
            "server:\n  port: 70000\n",
            "sentinel.yaml:2:3: server.port: Input should be less than or equal to 65535",
            id="out-of-range",
        ),
        pytest.param("pages:\n  - id: a\n  - id: a\n", "page id 'a' appears twice", id="duplicate-page"),
        pytest.param("pages: [\n", "sentinel.yaml:2:1: invalid YAML", id="broken-yaml"),
        pytest.param(
            "pages:\n  - id: a\n  - id: b\n    id: c\n", "sentinel.yaml:4:5: invalid YAML", id="duplicate-key"
        ),
        pytest.param("- just\n- a list\n", "sentinel.yaml:1:1: the config must be a YAML mapping", id="not-a-mapping"),
        pytest.param(
            "server:\n  ingest_token: ${SENTINEL_TOKEN}\n",
            "sentinel.yaml:2:3: server.ingest_token: environment variable SENTINEL_TOKEN is not set",
            id="unset-env-var",
        ),
        pytest.param(
            "logging:\n  level: loud\n",
            "sentinel.yaml:2:3: logging.level: Input should be 'debug', 'info', 'warning' or 'error'",
            id="bad-enum",
        ),
    ],
)
def test_bad_config_reports_file_line_and_reason(text: str, expected: str) -> None:
    assert any(expected in e for e in errors_of(text)), errors_of(text)


def test_all_issues_are_reported_at_once() -> None:
    errs = errors_of("pages:\n  - id: a\n    timezon: UTC\n    response_sla: soon\nstore:\n  urll: x\n")
    assert len(errs) == 3
    assert [e.split(":")[1] for e in errs] == ["3", "4", "6"]


def test_secret_from_env_is_substituted_and_never_printed() -> None:
    cfg = parse_config("server:\n  ingest_token: ${TOK}\n", "s.yaml", env={"TOK": "hunter2"})
    assert cfg.server.ingest_token is not None
    assert cfg.server.ingest_token.reveal() == "hunter2"
    assert "hunter2" not in repr(cfg) and "hunter2" not in str(cfg.model_dump())


def test_secret_file_twin_reads_the_file(tmp_path: Path) -> None:
    (tmp_path / "tok").write_text("s3cret\n")
    cfg = parse_config(f"server:\n  ingest_token_file: {tmp_path / 'tok'}\n", "s.yaml")
    assert cfg.server.ingest_token is not None and cfg.server.ingest_token.reveal() == "s3cret"


def test_missing_secret_file_is_a_config_error(tmp_path: Path) -> None:
    errs = errors_of(f"server:\n  ingest_token_file: {tmp_path / 'nope'}\n")
    assert "cannot read" in errs[0] and "s3cret" not in errs[0]


def test_unreadable_config_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as exc:
        load_config(tmp_path / "missing.yaml")
    assert "missing.yaml" in str(exc.value) and "cannot read config" in str(exc.value)


@pytest.mark.parametrize("path", SCENARIO_CONFIGS, ids=lambda p: p.parent.name)
def test_minimal_replay_config_of_the_spec_is_accepted(path: Path) -> None:
    cfg = load_config(path)
    assert cfg.pages and cfg.pages[0].timezone == "Europe/Stockholm"
    assert cfg.pages[0].response_sla.total_seconds() > 0


def test_spec_example_config_is_accepted_with_defaults() -> None:
    cfg = parse_config("""pages:
  - id: systembolaget
    platform: facebook
    name: Systembolaget
    timezone: Europe/Stockholm
    language: sv
    staffed_hours:
      mon-fri: "08:00-17:00"
      sat: "10:00-14:00"
    holidays: SE
    response_sla: 4h
""")
    page = cfg.pages[0]
    assert page.response_sla.total_seconds() == 4 * 3600
    assert cfg.store.url.startswith("sqlite:")
    assert parse_config("pages:\n  - id: x\n").pages[0].response_sla.total_seconds() == 24 * 3600
