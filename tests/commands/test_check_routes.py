"""``sentinel check`` (and ``sentinel run``'s start) on routes that are each fine but together leave a critical hijack
to nobody: a typo in a route's ``page:`` and no catch-all. Found by a red-team run: check said ok, and the replay
then fired 16 critical alerts that paged nobody."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CONFIG = """pages:
  - id: norrsken
  - id: druvan
people:
  - {name: erik, phone: "+46701234501", channels: [console]}
escalation:
  policies:
    - name: security
      steps:
        - targets: [{person: erik}]
  routes:
    - {category: hijack, severity: critical, page: [druvan, norrskn], policy: security}
    - {category: health, policy: security}
notify:
  channels:
    console: {type: console, stream: stderr}
"""


@pytest.mark.parametrize("command", ["check", "run"])
def test_a_page_no_route_takes_hijacks_on_is_an_error_naming_the_route_and_the_page(
    tmp_path: Path, command: str
) -> None:
    cfg = tmp_path / "sentinel.yaml"
    cfg.write_text(CONFIG + f"store: {{url: 'sqlite:///{tmp_path / 'sentinel.db'}'}}\nserver: {{port: 0}}\n")
    proc = subprocess.run(
        [sys.executable, "-m", "sentinel", command, "-c", str(cfg)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert any(
        ":12:61: escalation.routes[0].page[1]: no page has id 'norrskn' (did you mean 'norrsken'?)" in e for e in errors
    ), errors
    assert any("no route takes hijack/critical alerts on page 'norrsken'" in e for e in errors), errors
    assert "Traceback" not in proc.stderr


def test_a_config_that_routes_no_health_alerts_is_a_warning_not_an_error(tmp_path: Path) -> None:
    cfg = tmp_path / "sentinel.yaml"
    text = CONFIG.replace("page: [druvan, norrskn], ", "").replace("    - {category: health, policy: security}\n", "")
    cfg.write_text(text + f"store: {{url: 'sqlite:///{tmp_path / 'sentinel.db'}'}}\n")
    proc = subprocess.run(
        [sys.executable, "-m", "sentinel", "check", "-c", str(cfg)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert "warning:" in proc.stderr and "no route takes health/critical alerts" in proc.stderr


def test_a_page_in_a_language_sentinel_reads_no_words_of_is_a_warning(tmp_path: Path) -> None:
    cfg = tmp_path / "sentinel.yaml"
    cfg.write_text(f"pages:\n  - id: a\n    language: fi\nstore: {{url: 'sqlite:///{tmp_path / 'sentinel.db'}'}}\n")
    proc = subprocess.run(
        [sys.executable, "-m", "sentinel", "check", "-c", str(cfg)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert (
        "warning:" in proc.stderr
        and "3:5: pages[0].language: Sentinel reads the words of da, en, no, sv" in proc.stderr
    )
