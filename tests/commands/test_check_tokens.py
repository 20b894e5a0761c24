"""``sentinel check`` on the ingest token: a short one is a warning naming the key and the file, never the token.

Found by a black-box run: a five-character token passed check without a word, though anyone who reaches the
server can try every one of them within a day."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sentinel.commands.checkconfig import MIN_INGEST_TOKEN_CHARS

SHORT = "k3Y9q"  # what the red team used


def check(tmp_path: Path, server: str, *, strict: bool = False) -> subprocess.CompletedProcess[str]:
    cfg = tmp_path / "sentinel.yaml"
    cfg.write_text(
        "pages:\n  - id: druvan\n    timezone: UTC\n"
        f"store: {{url: 'sqlite:///{tmp_path / 'sentinel.db'}'}}\nserver:\n{server}"
    )
    argv = [sys.executable, "-m", "sentinel", "check", "-c", str(cfg), *(["--strict"] if strict else [])]
    return subprocess.run(argv, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("given", ["inline", "file"])
def test_a_short_ingest_token_is_a_warning_naming_the_key_and_file_not_the_token(tmp_path: Path, given: str) -> None:
    if given == "file":
        (tmp_path / "ingest-token").write_text(SHORT + "\n")
        proc = check(tmp_path, f"  ingest_token_file: {tmp_path / 'ingest-token'}\n", strict=True)
        key = "server.ingest_token_file"
    else:
        proc = check(tmp_path, f"  ingest_token: {SHORT}\n")
        key = "server.ingest_token"
    assert proc.returncode == 0, proc.stderr  # a warning: a running deployment's config stays valid
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, proc.stderr
    assert f"sentinel.yaml:6:3: {key}: " in warnings[0], warnings
    assert f"shorter than {MIN_INGEST_TOKEN_CHARS} characters" in warnings[0], warnings
    assert SHORT not in proc.stderr + proc.stdout


def test_a_long_unset_or_unread_ingest_token_is_no_warning(tmp_path: Path) -> None:
    proc = check(tmp_path, "  ingest_token: " + "x" * MIN_INGEST_TOKEN_CHARS + "\n")
    assert (proc.returncode, proc.stderr) == (0, "")
    proc = check(tmp_path, "  ingest_token: ${SENTINEL_TEST_UNSET_TOKEN}\n")  # a note, not a short token
    assert proc.returncode == 0 and "warning:" not in proc.stderr and "note:" in proc.stderr, proc.stderr
    # a token file check cannot read (the daemon's, on another machine) was "contains a space: no Authorization
    # header can carry it", an error: the placeholder for an unread file was judged as if it were the token
    proc = check(tmp_path, f"  ingest_token_file: {tmp_path / 'not-here'}\n")
    assert (proc.returncode, proc.stderr) == (0, ""), proc.stderr
