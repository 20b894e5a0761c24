"""Untrusted JSON against a real daemon on loopback, and through ``sentinel replay`` and ``sentinel enrich``.

One ingest line nesting 140,000 arrays deep (280 KB; 417 bytes gzipped) killed the daemon with SIGSEGV, no log line:
msgspec gave up at Python's recursion limit and the line went on to orjson, which has no limit and overflowed the C
stack. ``sentinel replay`` and ``sentinel enrich`` died the same way (exit 139). Ids holding CR/LF went into e-mail
headers; bytes that are not UTF-8 were reported as "surrogates not allowed: line 1 column 1"; array items were
counted from 0 where lines count from 1.
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from sentinel.events.codec import MAX_DEPTH
from sentinel.testing import at, event
from sentinel.testing.daemon import Daemon, daemon_settings, free_port, sentinel_daemon

pytestmark = pytest.mark.slow

TOKEN = "deep-json-test-token"
APP_SECRET = "deep-json-app-secret"
PAGE_ID = "101259571653026"
TOO_DEEP = f"nests deeper than {MAX_DEPTH} levels"


def deep_line(levels: int, eid: str = "deep:1") -> bytes:
    base = orjson.dumps(event("comment.created", at(), id=eid, message="x").to_json())
    return base[:-2] + b', "v": ' + b"[" * levels + b"]" * levels + b"}}"  # (into the object)


def good_line(eid: str = "good:1", **fields: Any) -> bytes:
    return orjson.dumps(event("comment.created", at(), id=eid, message="hej", **fields).to_json())


@pytest.fixture
async def daemon(tmp_path: Path) -> AsyncIterator[Daemon]:
    port = free_port()
    cfg = tmp_path / "sentinel.yaml"
    cfg.write_text(
        f"""pages:
  - id: druvan
    timezone: Europe/Stockholm
    page_id: "{PAGE_ID}"
sources:
  app_secret: {APP_SECRET}
  verify_token: deep-json-verify
"""
        + daemon_settings(tmp_path, port)
    )
    async with sentinel_daemon(cfg, port, TOKEN) as d:
        yield d


async def refused(daemon: Daemon, body: bytes, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """The daemon's 400 answer to ``body`` on the ingest API; it still answers /healthz after it."""
    status, answer = await daemon.post_body("/api/v1/events", body, headers)
    assert await daemon.alive(), f"daemon gone after the body (exit {daemon.proc.returncode}):\n{daemon.log_tail()}"
    assert status == 400, (status, answer)
    return dict(answer)


@pytest.mark.parametrize("levels", [140_000, 1_000_000])
async def test_an_ingest_line_nested_a_hundred_thousand_deep_is_400_naming_line_and_field(
    daemon: Daemon, levels: int
) -> None:
    body = b"\n".join([good_line(), deep_line(levels)])
    answer = await refused(daemon, body)
    assert (answer["line"], answer["field"]) == (2, "object.v" + "[0]" * (MAX_DEPTH - 2)), answer
    assert answer["error"].startswith("line 2: 'object.v[0]") and answer["error"].endswith(TOO_DEEP)
    answer = await refused(daemon, gzip.compress(body), {"Content-Encoding": "gzip"})  # 417 bytes at 140,000
    assert answer["line"] == 2 and TOO_DEEP in answer["error"], answer


async def test_a_gzip_bomb_of_brackets_is_400(daemon: Daemon) -> None:
    bomb = gzip.compress(b"[" * 9_000_000)  # 9 MB unpacked (under the 10 MiB limit), 9 KB on the wire
    answer = await refused(daemon, bomb, {"Content-Encoding": "gzip"})
    assert answer["item"] == 1 and TOO_DEEP in answer["error"], answer
    answer = await refused(daemon, gzip.compress(b"{" + b'"a":{' * 2_000_000), {"Content-Encoding": "gzip"})
    assert TOO_DEEP in answer["error"], answer


async def test_an_array_names_the_item_from_1_and_the_field(daemon: Daemon) -> None:
    body = b"[" + good_line() + b"," + deep_line(200_000) + b"]"
    answer = await refused(daemon, body)
    assert (answer["item"], answer["field"]) == (2, "object.v" + "[0]" * (MAX_DEPTH - 2)), answer
    assert answer["error"].startswith("item 2: 'object.v[0]") and answer["error"].endswith(TOO_DEEP)
    nul = orjson.dumps(event("comment.created", at(), id="nul:1", message="a\x00b").to_json())
    answer = await refused(daemon, b"[" + good_line() + b"," + nul + b"]")
    assert (answer["item"], answer["field"]) == (2, "object.message") and answer["error"].startswith("item 2: ")


async def test_a_signed_webhook_nested_a_million_deep_is_400(daemon: Daemon) -> None:
    body = b'{"object": "page", "entry": ' + b"[" * 1_000_000 + b"]" * 1_000_000 + b"}"
    sig = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    status, answer = await daemon.post_body("/webhooks/meta", body, {"X-Hub-Signature-256": sig})
    assert await daemon.alive() and status == 400 and "nests deeper than" in answer["error"], (status, answer)


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("page", "p8\r\nBcc: evil@evil.example", "U+000D CR"),
        ("id", "a\tb", "U+0009 TAB"),
        ("platform", "face\x85book", "U+0085 NEL"),
    ],
)
async def test_an_id_holding_a_control_character_is_400_naming_the_field(
    daemon: Daemon, field: str, value: str, named: str
) -> None:
    doc = orjson.loads(good_line())
    doc[field] = value
    answer = await refused(daemon, orjson.dumps(doc))
    assert (answer["line"], answer["field"]) == (1, field) and named in answer["error"], answer
    answer = await refused(daemon, orjson.dumps([doc]))
    assert (answer["item"], answer["field"]) == (1, field), answer


async def test_an_actor_id_with_a_newline_is_refused_and_a_message_keeps_its_own(daemon: Daemon) -> None:
    doc = orjson.loads(good_line())
    doc["actor"] = {"id": "10\n04", "name": "Anna", "type": "person"}
    answer = await refused(daemon, orjson.dumps(doc))
    assert answer["field"] == "actor.id", answer
    fine = good_line("good:2", comment_id="c2")
    doc = orjson.loads(fine)
    doc["object"]["message"] = "rad ett\r\nrad två\ttabb"
    status, answer = await daemon.post_body("/api/v1/events", orjson.dumps(doc))
    assert (status, answer["accepted"]) == (200, 1), answer


async def test_bytes_not_utf8_are_named_with_their_place(daemon: Daemon) -> None:
    answer = await refused(daemon, good_line() + b"\n" + b'{"id": "\xff"}')
    assert answer["line"] == 2 and answer["error"] == "line 2: not valid UTF-8 at byte 9 (ff)", answer
    answer = await refused(daemon, b'[{"id": "\xc3"}]')
    assert "not valid UTF-8 at byte 10 (c3)" in answer["error"], answer


# -- sentinel replay and sentinel enrich: an error naming the line, not SIGSEGV -------------------------------


@pytest.mark.parametrize("command", ["replay", "enrich"])
def test_replay_and_enrich_report_a_line_too_deep_and_read_on(tmp_path: Path, command: str) -> None:
    events = tmp_path / "events.jsonl"
    events.write_bytes(b"\n".join([good_line("good:1"), deep_line(140_000), good_line("good:2", comment_id="c2")]))
    args = [sys.executable, "-m", "sentinel", command, str(events)]
    proc = subprocess.run(args, cwd=tmp_path, capture_output=True, timeout=120, check=False)
    err = proc.stderr.decode(errors="replace")
    assert proc.returncode in (0, 1), f"exit {proc.returncode}: {err[-2000:]}"  # (-11: SIGSEGV)
    assert f"{events}:2: 'object.v[0]" in err and TOO_DEEP in err, err[-2000:]
    assert "Traceback" not in err
    if command == "enrich":
        assert [orjson.loads(x)["id"] for x in proc.stdout.splitlines()] == ["good:1", "good:2"]
