"""``sentinel test`` and ``sentinel check`` through the real CLI; the shipped packs' coverage by rule tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sentinel.rules import load_rules, shipped_rules_dir
from sentinel.rules import testing as rule_testing

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_TESTS = ROOT / "rules" / "tests"


def sentinel(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "sentinel", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_every_shipped_rule_has_a_firing_and_a_quiet_test_case() -> None:
    ids = {r.id for r in load_rules([]).rules}
    assert len(ids) >= 19
    fired, quiet = rule_testing.exercised(rule_testing.test_files([SHIPPED_TESTS, shipped_rules_dir()]))
    assert sorted(ids - fired) == [], "rules never expected to fire in rules/tests/"
    assert sorted(ids - quiet) == [], "rules never checked to stay quiet in rules/tests/"


def test_exercised_counts_a_rule_only_where_a_case_expects_it(tmp_path: Path) -> None:
    f = tmp_path / "t.yaml"
    f.write_text(
        "tests:\n- rules: [a.x, a.y]\n  expect: [{status: firing, rule: a.x}, {status: resolved, rule: a.y}]\n"
        "- expect: [{status: firing, rule: a.z}]\n"
    )
    assert rule_testing.exercised([f]) == ({"a.x", "a.z"}, {"a.y"})


def test_a_rule_directory_runs_its_tests_and_the_inline_tests_of_its_rule_files(tmp_path: Path) -> None:
    d = tmp_path / "mine"
    (d / "tests").mkdir(parents=True)
    (d / "deletions.yaml").write_text(
        "rules:\n- id: my.comment_deleted\n  category: other\n  severity: info\n"
        "  match: {kinds: [comment.deleted]}\n  detect: {type: match}\n"
        "tests:\n- name: a deleted comment is recorded\n  start: '2025-09-17T10:00:00+02:00'\n"
        "  events: [{at: 1m, kind: comment.deleted, object: {comment_id: c1, post_id: p1}}]\n"
        "  rules: [my.comment_deleted]\n"
        "  expect: [{at: 1m, status: firing, rule: my.comment_deleted, severity: info}]\n"
    )
    (d / "no_tests.yaml").write_text(
        "rules:\n- id: my.quiet\n  category: other\n  severity: info\n  match: {kinds: [x.never]}\n"
    )
    (d / "tests" / "t.yaml").write_text(
        "tests:\n- name: nothing happens without events\n  rules: [hijack.manage_granted]\n  expect: []\n"
    )
    r = sentinel("test", str(d))
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.splitlines()[-1] == "2 passed, 0 failed"


def test_the_shipped_rule_directory_passes_the_cli() -> None:
    """Every shipped test case (``rules/tests/`` and the rule files' own), once, through the real CLI."""
    r = sentinel("test", "rules/")
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.splitlines()[-1].endswith(" passed, 0 failed")


def test_a_broken_expectation_exits_1_with_a_readable_diff(tmp_path: Path) -> None:
    text = (SHIPPED_TESTS / "hijack_roles_settings_test.yaml").read_text()
    broken = text.replace(
        "- {at: 0s, status: firing, rule: hijack.admin_removed, severity: critical}",
        "- {at: 0s, status: firing, rule: hijack.admin_removed, severity: warning}",
    )
    assert broken != text
    f = tmp_path / "broken_test.yaml"
    f.write_text(broken)
    r = sentinel("test", str(f))
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"FAIL {f}: a full admin removed at night is critical; in office hours a warning" in r.stdout
    assert "-at 0h00m00s status=firing rule=hijack.admin_removed severity=warning" in r.stdout
    assert "+at 0h00m00s status=firing rule=hijack.admin_removed severity=critical" in r.stdout
    assert r.stdout.splitlines()[-1].endswith(" passed, 1 failed")


def test_a_missing_expected_alert_shows_in_the_diff(tmp_path: Path) -> None:
    f = tmp_path / "t.yaml"
    f.write_text(
        "tests:\n- name: a grant that never came\n  start: '2025-09-17T10:00:00+02:00'\n"
        "  until: 2h\n  rules: [hijack.manage_granted]\n"
        "  expect: [{at: 1d2h, status: firing, rule: hijack.manage_granted}]\n"
    )
    r = sentinel("test", str(f))
    assert r.returncode == 1
    assert "-at 1d2h00m00s status=firing rule=hijack.manage_granted" in r.stdout


def test_a_missing_path_is_a_usage_error() -> None:
    r = sentinel("test", "no/such/dir")
    assert r.returncode == 2 and "no such file or directory" in r.stderr


def test_check_without_arguments_validates_the_shipped_packs() -> None:
    r = sentinel("check")
    assert r.returncode == 0, r.stderr
    assert f"{len(load_rules([]).rules)} rules: ok" in r.stdout


BASE = "rules:\n- id: my.rule\n  category: other\n  severity: info\n"


@pytest.mark.parametrize(
    ("body", "line", "reason"),
    [
        (
            "  match: {kinds: [post.created]}\n  detect: {type: treshold, window: 10m, min: 3}\n",
            6,
            "unknown detector 'treshold'",
        ),
        ("  match: {kinds: [post.created], when: 'kind =='}\n", 5, "bad expression"),
        ("  match: {kinds: [post.created], when: 'langg == \"en\"'}\n", 5, "did you mean 'lang'"),
        ("  match: {kinds: [post.created]}\n  detect: {type: threshold, window: 10x, min: 3}\n", 6, "bad duration"),
        ("  match: {kinds: [post.created]}\n  severitty: info\n", 6, "did you mean 'severity'"),
    ],
)
def test_check_rejects_a_bad_rule_file_with_file_line_and_reason(
    tmp_path: Path, body: str, line: int, reason: str
) -> None:
    d = tmp_path / "bad"
    d.mkdir()
    (d / "x.yaml").write_text(BASE + body)
    r = sentinel("check", "--rules", str(d))
    assert r.returncode == 2, r.stdout + r.stderr
    hits = [x for x in r.stderr.splitlines() if f"x.yaml:{line}:" in x and reason in x]
    assert hits, r.stderr
    assert "Traceback" not in r.stderr
