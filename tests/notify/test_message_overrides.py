"""The user's message texts (``notify.templates``): per language and channel, ``string.Template`` only, checked."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from sentinel.model import Category, NotificationIntent, NotificationKind, Recipient, Severity
from sentinel.notify import templates
from sentinel.notify.overrides import Overrides, TemplateConfig
from sentinel.testing.daemon import free_port, hijack_paging_config, new_admin, sentinel_daemon
from sentinel.testing.providers import KeyedFake, Received, serve

ENTRIES = [
    TemplateConfig(subject="ALARM $page"),
    TemplateConfig(language="sv", subject="LARM $page ($incident)"),
    TemplateConfig(channel="sms", sms="$code $severity $page: $summary"),
    TemplateConfig(language="sv", channel="sms", sms="$code LARM på $page: $summary, $$0"),
]


def intent(language: str, kind: NotificationKind = NotificationKind.PAGE) -> NotificationIntent:
    return NotificationIntent(
        time=datetime(2025, 9, 27, 1, 30, tzinfo=UTC),
        incident="inc-000012",
        step=1,
        channel="sms",
        to="x",
        recipient=Recipient("erik", phone="+46701234501", language=language),
        kind=kind,
        category=Category.HIJACK,
        severity=Severity.CRITICAL,
        page="druvan",
        page_name="Druvan",
        summary="ny admin",
        summaries={"en": "new admin", "sv": "ny admin"},
    )


def test_the_most_specific_entry_wins_and_fields_are_in_the_readers_language() -> None:
    sms = Overrides.for_channel(ENTRIES, "sms")
    email = Overrides.for_channel(ENTRIES, "email")
    assert (
        templates.sms([intent("sv")], sms)
        == "12 LARM på Druvan: ny admin, $0 Svara 12a 123456 (din kod) för att kvittera"
    )
    assert templates.sms([intent("en")], sms).startswith("12 CRITICAL Druvan: new admin Reply 12a 123456")
    assert templates.subject(intent("sv"), email) == "LARM Druvan (inc-000012)"
    assert templates.subject(intent("en"), email) == "ALARM Druvan"
    assert templates.render(intent("en"), texts=email).text.startswith("ALARM Druvan\n\nnew admin\n")
    # an all-clear keeps Sentinel's own words; no entry: Sentinel's own subject
    assert templates.subject(intent("en", NotificationKind.RESOLVED), email).startswith("Resolved:")
    assert templates.subject(intent("en"), Overrides()) == "CRITICAL hijack on Druvan"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("$sevrity on $page", "unknown field $sevrity"),
        ("${page.__class__}", "broken template"),
        ("{{ page.name }} costs $", "broken template"),
    ],
)
def test_an_unknown_field_or_a_broken_template_is_refused(text: str, why: str) -> None:
    with pytest.raises(ValueError, match=why.replace("$", r"\$")):
        TemplateConfig(subject=text)


def test_check_names_file_and_line_of_every_bad_template(tmp_path: Path) -> None:
    cfg = hijack_paging_config(tmp_path, free_port(), "http://127.0.0.1:9")
    text = cfg.read_text().replace(
        "notify:\n",
        "notify:\n  templates:\n"
        "    - {language: sv, subject: '$sevrity on $page'}\n"
        "    - {channel: webhook, sms: 'costs $ 5'}\n",
        1,
    )
    cfg.write_text(text)
    r = subprocess.run(
        [sys.executable, "-m", "sentinel", "check", "-c", str(cfg)],
        capture_output=True,
        text=True,
        env={**os.environ, "SENTINEL_INGEST_TOKEN": "x" * 32},
        timeout=120,
    )
    assert r.returncode == 2, r.stdout + r.stderr
    lines = {n: text.splitlines()[n - 1] for n in range(1, len(text.splitlines()) + 1)}
    line_of = {needle: next(n for n, t in lines.items() if needle in t) for needle in ("sevrity", "costs")}
    assert f"sentinel.yaml:{line_of['sevrity']}:" in r.stderr and "unknown field $sevrity" in r.stderr, r.stderr
    assert f"sentinel.yaml:{line_of['costs']}:" in r.stderr and "broken template" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr

    # a channel no entry of notify.channels names (checked once the entries themselves are right)
    cfg.write_text(
        text := cfg.read_text()
        .replace("$sevrity", "$severity")
        .replace("costs $ 5", "costs $$5")
        .replace("    - {channel: webhook, sms", "    - {channel: pigeon, sms")
    )
    r = subprocess.run(
        [sys.executable, "-m", "sentinel", "check", "-c", str(cfg)],
        capture_output=True,
        text=True,
        env={**os.environ, "SENTINEL_INGEST_TOKEN": "x" * 32},
        timeout=120,
    )
    assert r.returncode == 2 and "notify.templates[1].channel: no channel named 'pigeon'" in r.stderr, r.stderr
    pigeon = next(n for n, t in enumerate(text.splitlines(), 1) if "pigeon" in t)
    assert f"sentinel.yaml:{pigeon}:" in r.stderr, r.stderr


def pages(hook: KeyedFake) -> list[dict[str, Any]]:
    return [
        r.json
        for r in hook.delivered
        if isinstance(r, Received) and isinstance(r.json, dict) and r.json.get("kind") == "page"
    ]


@pytest.mark.slow
async def test_a_running_daemon_sends_the_users_text(tmp_path: Path) -> None:
    async with serve(KeyedFake()) as (hook, hook_url):
        port = free_port()
        cfg = hijack_paging_config(tmp_path, port, hook_url)
        cfg.write_text(
            cfg.read_text().replace(
                "notify:\n",
                "notify:\n  templates:\n    - {channel: webhook, subject: 'Sentinel: $severity $category, $page'}\n",
                1,
            )
        )
        async with sentinel_daemon(cfg, port, "overrides-test-ingest-token") as daemon:
            await daemon.post_events([new_admin(datetime.now(UTC).replace(microsecond=0))])
            [page] = await daemon.until("erik paged", lambda: pages(hook))
            assert page["subject"] == "Sentinel: CRITICAL hijack, druvan"
            assert page["text"].startswith("Sentinel: CRITICAL hijack, druvan\n")
