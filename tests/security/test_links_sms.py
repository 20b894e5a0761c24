"""Signed links, Twilio's request signature, and the SMS reply grammar."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import timedelta

import pytest

from sentinel.config.types import Secret
from sentinel.security.config import OperatorTokenConfig, SecurityConfig
from sentinel.security.links import LinkError, LinkExpired, LinkSigner, ack_url
from sentinel.security.sms import Reply, parse_reply, twilio_signature
from sentinel.security.tokens import TokenRegistry, hash_token
from sentinel.testing.operator import T0


def signer() -> LinkSigner:
    return LinkSigner.from_config(SecurityConfig(secret_key=Secret("k" * 40)))


def test_a_signed_link_verifies_until_it_expires():
    s = signer()
    token = s.sign("inc-000001", "erik", T0 + timedelta(hours=1))
    claims = s.verify(token, T0)
    assert (claims.incident, claims.person) == ("inc-000001", "erik")
    with pytest.raises(LinkExpired):
        s.verify(token, T0 + timedelta(hours=1))


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-2] + ("A" if t[-2] != "A" else "B") + t[-1],  # signature changed
        lambda t: ("x" if t[0] != "x" else "y") + t[1:],  # payload changed
        lambda t: t.split(".")[0],
        lambda t: "",
        lambda t: ".",
        lambda t: t + "." + t,
    ],
)
def test_a_tampered_link_is_rejected(tamper):
    token = signer().sign("inc-000001", "erik", T0 + timedelta(hours=1))
    with pytest.raises(LinkError):
        signer().verify(tamper(token), T0)


def test_a_link_signed_with_another_key_is_rejected():
    other = LinkSigner.from_config(SecurityConfig(secret_key=Secret("z" * 40)))
    with pytest.raises(LinkError, match="signature"):
        signer().verify(other.sign("inc-000001", "erik", T0 + timedelta(hours=1)), T0)


def test_ack_url_uses_the_public_url_and_the_link_ttl():
    cfg = SecurityConfig(secret_key=Secret("k" * 40), public_url="https://s.example/", link_ttl=timedelta(minutes=5))
    url = ack_url(cfg, "inc-000001", "erik", T0)
    assert url is not None and url.startswith("https://s.example/ack/")
    claims = LinkSigner.from_config(cfg).verify(url.rsplit("/", 1)[1], T0)
    assert claims.expires == T0 + timedelta(minutes=5)
    assert ack_url(SecurityConfig(secret_key=Secret("k" * 40)), "inc-000001", "erik", T0) is None


def test_twilio_signature_matches_twilios_documented_example():
    # https://www.twilio.com/docs/usage/security#validating-requests (auth token 12345)
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    params = [
        ("CallSid", "CA1234567890ABCDE"),
        ("Caller", "+12349013030"),
        ("Digits", "1234"),
        ("From", "+12349013030"),
        ("To", "+18005551212"),
    ]
    assert twilio_signature("12345", url, params) == "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
    data = url + "".join(k + v for k, v in sorted(params))
    assert (
        twilio_signature("12345", url, params)
        == base64.b64encode(hmac.new(b"12345", data.encode(), hashlib.sha1).digest()).decode()
    )


@pytest.mark.parametrize(
    "text, reply",
    [
        ("ACK 123456", Reply("ack", None, "123456")),
        ("ack 123456", Reply("ack", None, "123456")),
        ("12a 123456", Reply("ack", 12, "123456")),
        ("12A 123456", Reply("ack", 12, "123456")),
        ("12c 654321", Reply("resolve", 12, "654321")),
        (" 7a   000001 ", Reply("ack", 7, "000001")),
        ("ACK 12 123456", Reply("ack", 12, "123456")),
        ("RESOLVE inc-3 123456", Reply("resolve", 3, "123456")),
        ("Kvittera 123456", Reply("ack", None, "123456")),
        ("ACK", None),
        ("12a", None),
        ("12a 12345", None),
        ("hello 123456", None),
        ("", None),
        ("12x 123456", None),
    ],
)
def test_sms_replies_are_parsed(text, reply):
    assert parse_reply(text) == reply


def test_operator_tokens_are_matched_by_hash():
    reg = TokenRegistry([OperatorTokenConfig(name="ops", hash=hash_token("right-token"))])
    assert reg.authenticate({"Authorization": "Bearer right-token"}) == "ops"
    assert reg.authenticate({"Authorization": "bearer right-token"}) == "ops"
    for h in (
        {"Authorization": "Bearer wrong-token"},
        {"Authorization": "Basic right-token"},
        {},
        {"Authorization": "Bearer " + hash_token("right-token")},
    ):
        assert reg.authenticate(h) is None
