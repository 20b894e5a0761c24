"""``sentinel --url URL --token-file FILE ...`` against a running daemon: list and show incidents, acknowledge
(a hijack with a person's code), silence and expire, on-call; its output lines as docs/console.md shows them."""

from __future__ import annotations

import asyncio
import re
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from console_env import OPERATOR, Env

from sentinel.console import console_routes
from sentinel.testing import event

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.slow]


async def sentinel(env: Env, *args: str, token: str = OPERATOR) -> tuple[int, str, str]:
    token_file = env.workdir / "token"
    token_file.write_text(token + "\n")
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "sentinel",
        "--url",
        env.url,
        "--token-file",
        str(token_file),
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    return int(proc.returncode or 0), out.decode(), err.decode()


async def test_incidents_lists_the_open_ones_in_stable_columns(env: Env) -> None:
    code, out, err = await sentinel(env, "incidents")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "OPENED", "(UTC)", "STATUS", "SEVERITY", "CATEGORY", "PAGE", "SUMMARY"]
    hijack = next(line for line in lines if line.startswith(env.incidents["hijack"]))
    assert re.match(r"inc-\d{6}  2025-09-26 19:40Z  triggered    \w+ +hijack   druvan      'Mr X' got", hijack)


async def test_incident_shows_its_fields_and_timeline(env: Env) -> None:
    code, out, _ = await sentinel(env, "incident", env.incidents["hijack"].removeprefix("inc-").lstrip("0"))
    assert code == 0
    assert f"id: {env.incidents['hijack']}" in out and "status: triggered" in out and "timeline:" in out
    paged = "  2025-09-26 19:40Z  notified          step=1, to=security-oncall:erik, channel=webhook, detail_kind=page"
    assert paged in out.splitlines(), out


async def test_ack_of_a_hijack_needs_a_persons_code_then_acknowledges(env: Env) -> None:
    inc = env.incidents["hijack"]
    code, out, err = await sentinel(env, "ack", inc)
    assert code == 1 and out == ""
    assert err.strip() == "error: a hijack incident needs a person's TOTP code (HTTP 403)"
    code, out, err = await sentinel(env, "ack", inc, "--person", "erik", "--code", await env.code("erik"))
    assert code == 0, err
    assert out == f"{inc} acknowledged by erik\n"


async def test_ack_of_another_category_takes_the_operator_token(env: Env) -> None:
    inc = env.incidents["health"]
    code, out, err = await sentinel(env, "ack", inc)
    assert code == 0, err
    assert out == f"{inc} acknowledged by operator:ops\n"


async def test_silence_add_prints_the_id_query_lists_it_expire_ends_it(env: Env) -> None:
    code, out, err = await sentinel(env, "silence", "add", "page=druvan", "category!=hijack", "--for", "2h")
    assert code == 0, err
    sid = out.strip()
    assert re.fullmatch(r"sil-[0-9a-f]{12}", sid)
    code, out, _ = await sentinel(env, "silence")
    assert out.splitlines()[0].split()[:3] == ["ID", "STATE", "ENDS"]
    line = next(line for line in out.splitlines() if line.startswith(sid))
    assert "active" in line and "operator:ops" in line and "page=druvan category!=hijack" in line
    code, out, err = await sentinel(env, "silence", "expire", sid)
    assert (code, out, err) == (0, "", "")
    code, out, _ = await sentinel(env, "silence", "query")
    assert "expired" in next(line for line in out.splitlines() if line.startswith(sid))
    code, _, err = await sentinel(env, "silence", "expire", sid)
    assert code == 1 and "already expired (HTTP 409)" in err


async def test_a_silence_that_could_mute_a_hijack_needs_a_code(env: Env) -> None:
    code, _, err = await sentinel(env, "silence", "add", "page=druvan", "--for", "1h")
    assert code == 1 and "could mute hijack alerts" in err
    code, out, err = await sentinel(
        env, "silence", "add", "page=druvan", "--for", "1h", "--person", "erik", "--code", await env.code("erik")
    )
    assert code == 0 and out.startswith("sil-"), err


async def test_oncall_prints_who_now_and_next(env: Env) -> None:
    code, out, err = await sentinel(env, "oncall")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["SCHEDULE", "NOW", "UNTIL", "(UTC)", "NEXT"]
    assert lines[1].split()[:2] == ["security-oncall", "erik"]


async def test_json_output_is_the_apis_answer(env: Env) -> None:
    code, out, _ = await sentinel(env, "-o", "json", "oncall")
    assert code == 0 and '"schedule": "security-oncall"' in out


async def test_mistakes_say_what_is_wrong(env: Env, tmp_path: Path) -> None:
    code, _, err = await sentinel(env, "incidents", token="snt_wrong")
    assert code == 1 and err.strip() == "error: missing or wrong bearer token (HTTP 401)"
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "sentinel",
        "--url",
        env.url,
        "--token-file",
        str(tmp_path / "none"),
        "incidents",
        stderr=asyncio.subprocess.PIPE,
    )
    _, err_b = await proc.communicate()
    assert proc.returncode == 2 and "none: No such file or directory" in err_b.decode()
    env_url = env.daemon.url
    env.daemon.url = "http://127.0.0.1:9"
    try:
        code, _, err = await sentinel(env, "incidents")
    finally:
        env.daemon.url = env_url
    assert code == 1 and err.startswith("error: cannot reach http://127.0.0.1:9")


async def test_openapi_describes_the_oncall_api_as_the_daemon_answers_it(env: Env) -> None:
    async with aiohttp.ClientSession() as s, s.get(f"{env.url}/api/v1/openapi.json") as r:
        spec = await r.json()
    op = spec["paths"]["/api/v1/oncall"]["get"]
    assert op["security"] == [{"operatorToken": []}] and {"200", "401"} <= set(op["responses"])
    schema = spec["components"]["schemas"]["OnCall"]
    answer = await env.api("/api/v1/oncall")
    assert set(answer) == set(schema["properties"])
    item = schema["properties"]["schedules"]["items"]["properties"]
    assert answer["schedules"] and all(set(s) == set(item) for s in answer["schedules"])
    defs: Any = console_routes(lambda: None, None, None, None)  # type: ignore[arg-type]
    api = {d.path for d in defs if d.path.startswith(("/api/", "/calendar/"))}
    assert api <= set(spec["paths"]), api - set(spec["paths"])


async def test_a_name_a_hijacker_chose_cannot_drive_the_operators_terminal_or_forge_a_line(env: Env) -> None:
    """An incident's summary names the new admin, a name the hijacker chose: ESC in it started a sequence that
    cleared or recoloured the operator's terminal, and a line break forged a line of the list."""
    name = "Mr Y\x1b[2J\x1b]0;owned\x07\ninc-000999  2025-09-26 19:40Z  resolved \u202etxet"
    grant = event("role.granted", env.now, id="console:evil", page="other", user={"id": "7", "name": name})
    await env.daemon.post_events([grant])
    await env.advance(timedelta(seconds=1))
    listed = [i for i in (await env.api("/api/v1/incidents"))["incidents"] if i["page"] == "other"]
    assert listed and "\x1b" in listed[0]["summary"]  # the API keeps the text as it came (JSON escapes it)
    code, out, err = await sentinel(env, "incidents")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 1 + len((await env.api("/api/v1/incidents"))["incidents"]), out  # no forged line
    evil = next(line for line in lines if line.startswith(listed[0]["id"]))
    assert "Mr Y[U+001B][2J[U+001B]]0;owned[U+0007][U+000A]inc-000999" in evil and "[U+202E]txet" in evil
    assert not any(ch in out for ch in "\x1b\x07\u202e")
    code, out, _ = await sentinel(env, "incident", listed[0]["id"])
    assert code == 0 and "\x1b" not in out and "[U+001B]" in out
