"""E-mail through a real in-process SMTP server (aiosmtpd): plain, STARTTLS with auth, implicit TLS."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import ssl
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from conftest import Factory
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from notify_helpers import ANNA, ERIK, intent

from sentinel.model import NotificationKind
from sentinel.testing import FakeClock
from sentinel.testing.daemon import free_port


class Inbox:
    def __init__(self) -> None:
        self.mails: list[tuple[str, list[str], Message]] = []
        self.answers: list[str] = []  # scripted answers to DATA, e.g. "451 4.3.0 Try again later"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.answers:
            return self.answers.pop(0)
        mail = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.mails.append((envelope.mail_from, list(envelope.rcpt_tos), mail))
        return "250 2.0.0 Ok: queued as Q42"


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    d = tmp_path_factory.mktemp("tls")
    (d / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (d / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return d / "cert.pem", d / "key.pem"


def server_tls(certs: tuple[Path, Path]) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(certs[0]), str(certs[1]))
    return ctx


def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"sentinel", b"s3cret")
    return AuthResult(success=ok, handled=False)


def run_server(inbox: Inbox, **kw: Any) -> Iterator[int]:
    port = free_port()
    c = Controller(inbox, hostname="127.0.0.1", port=port, **kw)
    c.start()
    try:
        yield port
    finally:
        c.stop()


@pytest.fixture
def plain() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    for port in run_server(inbox):
        yield inbox, port


def smtp(port: int, **kw: Any) -> dict[str, Any]:
    return {
        "type": "smtp",
        "host": "127.0.0.1",
        "port": port,
        "tls": "none",
        "sender": "sentinel@druvan.se",
        "domain": "druvan.se",
        **kw,
    }


async def test_mail_has_text_and_html_and_threads_per_incident(
    make_notifier: Factory, clock: FakeClock, plain: tuple[Inbox, int]
) -> None:
    inbox, port = plain
    n = make_notifier({"email": smtp(port)})
    await n.start(background=False)
    await n.enqueue(intent(channel="email", step=1))
    await n.enqueue(intent(channel="email", step=2))
    await n.run_once(clock.now())
    await n.enqueue(intent(channel="email", kind=NotificationKind.RESOLVED, recipient=ANNA))
    await n.run_once(clock.now())
    assert len(inbox.mails) == 3
    by_step = {m["Message-ID"]: m for _, _, m in inbox.mails}
    root = "<incident.inc-000012@druvan.se>"
    first = by_step[root]
    assert first["To"] == ERIK.email and first["From"] == "sentinel@druvan.se"
    assert first["Subject"] == "[Sentinel inc-000012] KRITISKT: kapning på Druvan Vin"
    assert first.get_content_type() == "multipart/alternative"
    parts = {p.get_content_type(): p.get_payload(decode=True).decode() for p in first.walk() if not p.is_multipart()}
    assert "Kvittera genom att svara 12a" in parts["text/plain"]
    assert "<li>login from unknown app</li>" in parts["text/html"]
    others = [m for mid, m in by_step.items() if mid != root]
    assert len(others) == 2 and all(m["In-Reply-To"] == root and m["References"] == root for m in others)
    row = await n.outbox.get(intent(channel="email", step=1).idempotency_key)
    assert row is not None and "queued as Q42" in str(row["provider_id"])
    await n.stop(1)


async def test_temporary_smtp_failure_is_retried_permanent_is_not(
    make_notifier: Factory, clock: FakeClock, plain: tuple[Inbox, int]
) -> None:
    inbox, port = plain
    inbox.answers = ["451 4.3.0 Try again later", "550 5.1.1 Mailbox unavailable"]
    n = make_notifier({"email": smtp(port)}, backoff_initial="1s")
    await n.start(background=False)
    await n.enqueue(intent(channel="email"))
    await n.run_once(clock.now())
    assert (await n.outbox.get(intent(channel="email").idempotency_key) or {})["reason"] == "server_error"
    clock.advance(1)
    await n.run_once(clock.now())
    row = await n.outbox.get(intent(channel="email").idempotency_key)
    assert row is not None and row["state"] == "failed" and row["reason"] == "rejected"
    assert not inbox.mails
    await n.stop(1)


async def test_starttls_with_auth(make_notifier: Factory, clock: FakeClock, certs: tuple[Path, Path]) -> None:
    inbox = Inbox()
    for port in run_server(
        inbox, tls_context=server_tls(certs), require_starttls=True, auth_required=True, authenticator=authenticator
    ):
        good = make_notifier(
            {"email": smtp(port, tls="starttls", verify_tls=False, username="sentinel", password="s3cret")}
        )
        await good.start(background=False)
        await good.enqueue(intent(channel="email"))
        await good.run_once(clock.now())
        assert len(inbox.mails) == 1
        await good.stop(1)
        bad = make_notifier(
            {"email": smtp(port, tls="starttls", verify_tls=False, username="sentinel", password="wrong")}
        )
        await bad.start(background=False)
        await bad.enqueue(intent(channel="email", step=3))
        await bad.run_once(clock.now())
        row = await bad.outbox.get(intent(channel="email", step=3).idempotency_key)
        assert row is not None and row["state"] == "failed" and row["reason"] == "auth_failed"
        await bad.stop(1)


async def test_implicit_tls(make_notifier: Factory, clock: FakeClock, certs: tuple[Path, Path]) -> None:
    inbox = Inbox()
    for port in run_server(inbox, ssl_context=server_tls(certs)):
        n = make_notifier({"email": smtp(port, tls="implicit", verify_tls=False)})
        await n.start(background=False)
        await n.enqueue(intent(channel="email"))
        await n.run_once(clock.now())
        assert len(inbox.mails) == 1
        await n.stop(1)


async def test_unverified_certificate_is_refused_by_default(
    make_notifier: Factory, clock: FakeClock, certs: tuple[Path, Path]
) -> None:
    inbox = Inbox()
    for port in run_server(inbox, ssl_context=server_tls(certs)):
        n = make_notifier({"email": smtp(port, tls="implicit")})
        await n.start(background=False)
        await n.enqueue(intent(channel="email"))
        await n.run_once(clock.now())
        assert not inbox.mails
        assert (await n.outbox.get(intent(channel="email").idempotency_key) or {})["reason"] == "connection_failed"
        await n.stop(1)
