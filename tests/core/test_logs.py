"""The log's redaction: secrets never reach it, a platform's error code does."""

from __future__ import annotations

import io

import orjson
import pytest

from sentinel.logs import configure, get_logger


@pytest.fixture
def logged() -> io.StringIO:
    out = io.StringIO()
    configure("info", "json", stream=out)
    return out


def lines(out: io.StringIO) -> list[dict[str, object]]:
    return [orjson.loads(line) for line in out.getvalue().splitlines()]


def test_a_graph_error_code_is_logged(logged: io.StringIO) -> None:
    get_logger("sources").warning("graph.read_failed", page="druvan", code=190, subcode=463)
    [line] = lines(logged)
    assert (line["code"], line["subcode"]) == (190, 463)


@pytest.mark.parametrize("key", ["code", "Code", "totp_code", "otp", "ack_code_token"])
def test_a_code_a_person_typed_never_reaches_the_log(logged: io.StringIO, key: str) -> None:
    get_logger("security").info("security.code_checked", person="erik", **{key: "123456"})
    assert "123456" not in logged.getvalue()
    [line] = lines(logged)
    assert line[key] == "<redacted>"


@pytest.mark.parametrize("key", ["totp", "otp_code", "password", "access_token", "signature"])
def test_a_secret_key_is_redacted_even_when_its_value_is_a_number(logged: io.StringIO, key: str) -> None:
    get_logger("security").info("x.happened", **{key: 123456})
    assert "123456" not in logged.getvalue()


def test_a_code_that_is_a_bool_is_redacted(logged: io.StringIO) -> None:
    get_logger("x").info("x.happened", code=True)
    assert lines(logged)[0]["code"] == "<redacted>"
