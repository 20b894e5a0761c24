"""The notify: config section and ``sentinel notify-test``."""

from __future__ import annotations

import argparse
import asyncio
import io
import logging
from pathlib import Path

import pytest
import structlog
from notify_helpers import intent

from sentinel.commands import notify_test
from sentinel.config.validate import validate
from sentinel.config.yamlpos import load_yaml
from sentinel.errors import ConfigError
from sentinel.notify import Notifier, build_channel
from sentinel.notify.config import NotifyConfig
from sentinel.store.sqlite import SqliteDatabase
from sentinel.testing import T0, FakeClock
from sentinel.testing.providers import Elks46Fake, serve

CONFIG = """\
notify:
  delivery:
    max_attempts: 5
    sms_bundle_window: 90s
  channels:
    sms:
      type: 46elks
      url: {url}/a1/sms
      username: u
      password_file: {secret}
      fallback: email
    email:
      type: console
people:
  - name: erik
    phone: "+46701234567"
    language: sv
"""


def parse(text: str) -> NotifyConfig:
    data, positions, issues = load_yaml(text, "s.yaml")
    return validate(NotifyConfig, data["notify"], positions, issues)


def test_channels_parse_with_a_secret_from_a_file(tmp_path: Path) -> None:
    (tmp_path / "pw").write_text("hunter2\n")
    cfg = parse(CONFIG.format(url="http://x", secret=tmp_path / "pw"))
    sms = cfg.channels["sms"]
    assert sms.type == "46elks" and sms.password.reveal() == "hunter2"  # type: ignore[union-attr]
    assert "hunter2" not in repr(cfg) and "hunter2" not in cfg.model_dump_json()
    assert cfg.delivery.sms_bundle_window.total_seconds() == 90


def test_unknown_type_and_fallback_are_reported_with_position() -> None:
    text = "notify:\n  channels:\n    sms:\n      type: 47elks\n    mail:\n      type: console\n      fallback: pager\n"
    data, positions, issues = load_yaml(text, "s.yaml")
    with pytest.raises(ConfigError) as e:
        validate(NotifyConfig, data["notify"], positions, issues)
    assert "47elks" in str(e.value)


def test_fallback_to_an_unknown_channel_is_refused() -> None:
    with pytest.raises(ConfigError, match="no channel named 'pager'"):
        parse("notify:\n  channels:\n    mail:\n      type: console\n      fallback: pager\n")


async def test_no_secret_reaches_a_log_line_even_when_delivery_fails(tmp_path: Path) -> None:
    out = io.StringIO()
    structlog.configure(
        logger_factory=structlog.PrintLoggerFactory(out),
        wrapper_class=structlog.make_filtering_bound_logger(logging.DEBUG),
    )
    try:
        async with serve(Elks46Fake(password="other")) as (_, url):
            (tmp_path / "pw").write_text("hunter2")
            cfg = parse(CONFIG.format(url=url, secret=tmp_path / "pw"))
            clock = FakeClock(T0)
            db = SqliteDatabase.open(str(tmp_path / "s.db"))
            chans = {n: build_channel(n, c, clock, stream=io.StringIO()) for n, c in cfg.channels.items()}
            n = Notifier(db, clock, chans, {"sms": "email"}, cfg.delivery)
            await n.start(background=False)
            await n.enqueue(intent())
            await n.run_once(clock.now())
            await n.stop(1)
            await db.close()
    finally:
        structlog.reset_defaults()
    logged = out.getvalue()
    assert "notify.delivery_failed" in logged and "auth_failed" in logged
    assert "hunter2" not in logged


def run_command(path: Path, *argv: str) -> int:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    notify_test.register(sub)
    args = parser.parse_args(["notify-test", "--config", str(path), *argv])
    return int(args.func(args))


def test_notify_test_sends_through_each_channel(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pw").write_text("p")

    async def main() -> tuple[int, int]:
        async with serve(Elks46Fake()) as (fake, url):
            (tmp_path / "s.yaml").write_text(CONFIG.format(url=url, secret=tmp_path / "pw"))
            code = await asyncio.to_thread(run_command, tmp_path / "s.yaml", "--person", "erik")
            return code, len(fake.delivered)

    code, delivered = asyncio.run(main())
    assert code == 0 and delivered == 1
    out = capsys.readouterr().out
    assert "sms: sent (provider id: s" in out and "email: sent" in out


def test_notify_test_reports_failures_and_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pw").write_text("p")
    (tmp_path / "s.yaml").write_text(CONFIG.format(url="http://127.0.0.1:9", secret=tmp_path / "pw"))
    assert run_command(tmp_path / "s.yaml", "--person", "erik", "--channel", "sms") == 1
    assert "sms: FAILED connection_failed" in capsys.readouterr().out
    assert run_command(tmp_path / "s.yaml", "--person", "nobody") == 2
    assert "no person named 'nobody' (known: erik)" in capsys.readouterr().err
    assert run_command(tmp_path / "s.yaml", "--person", "erik", "--channel", "fax") == 2
    (tmp_path / "bad.yaml").write_text("notify:\n  channels:\n    sms: {type: smoke}\n")
    assert run_command(tmp_path / "bad.yaml", "--person", "erik") == 2
    assert "bad.yaml:3" in capsys.readouterr().err
