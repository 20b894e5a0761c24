"""``sentinel check`` (and ``sentinel run``'s start) on a config nested 5000 deep or holding an alias bomb: one
``error:`` line naming the file, line and column, exit status 2, at once: no traceback, no minutes of expansion."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

DEEP = "pages: " + "[" * 5000 + "]" * 5000 + "\n"
# "billion laughs": eight lines that stand for 9**8 values (check ran past 60 s and 2 GB on it)
LAUGHS = """\
a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
pages:
  - id: a
    extra: *h
"""
BAD = {
    "deep": (DEEP, "1:107: invalid YAML: nesting deeper than 100 levels is refused"),
    "laughs": (LAUGHS, "6:8: invalid YAML: alias *e: aliases would expand the document by more than 100000 values"),
    # not YAML's bounds but a value's: timedelta overflowed, a traceback
    "endless": ("pages:\n  - id: a\n    response_sla: 99999999999999d\n", "3:5: pages[0].response_sla: duration"),
}


@pytest.mark.parametrize("command", ["check", "run"])
@pytest.mark.parametrize("name", list(BAD))
def test_a_config_too_deep_or_an_alias_bomb_is_one_error_line_and_exit_2(
    tmp_path: Path, name: str, command: str
) -> None:
    text, expected = BAD[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    r = subprocess.run(
        [sys.executable, "-m", "sentinel", command, "-c", str(path)], capture_output=True, text=True, timeout=20
    )
    assert r.returncode == 2, r.stderr[-2000:]
    assert "Traceback" not in r.stderr
    errors = [line for line in r.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith(f"error: {path}:{expected}"), r.stderr[-2000:]
