"""bench/fuzz_daemon.py in CI: 2,000 random and mutated requests across every route of a real daemon, and every
event they put in through its pipeline."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def test_two_thousand_fuzzed_requests_get_no_5xx_no_slow_answer_and_no_traceback() -> None:
    r = subprocess.run(
        [sys.executable, "bench/fuzz_daemon.py", "--requests", "2000"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert r.returncode == 0, r.stdout[-6000:] + r.stderr[-3000:]
    assert "5xx: 0   over 5 s: 0   tracebacks in the daemon's log: 0" in r.stdout
    # every event went through the rules, the comments that are slow or deep to read too
    assert re.search(r"pipeline: of (\d[\d,]*) events taken in, \1 processed, 0 passed over", r.stdout), r.stdout[-800:]
    for route in (
        "POST /api/v1/events",
        "POST /webhooks/meta",
        "GET /webhooks/meta",
        "POST /api/v1/sms/twilio",
        "POST /api/v1/sms/46elks/{token}",
        "GET /ack/{link}",
        "POST /ack/{link}",
        "GET /healthz",
        "GET /readyz",
        "GET /metrics",
        "POST /api/v1/incidents/{id}/{action}",
        "POST /api/v1/silences",
        "GET /incidents/{id}",  # the console's routes, with a signed-in session and without
        "POST /incidents/{id}/{action}",
        "GET /pages/{page}",
        "POST /maintenance",
        "GET /calendar/{token}.ics",
    ):
        assert f"  {route} " in r.stdout, route
