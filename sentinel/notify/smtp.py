"""E-mail over SMTP (aiosmtplib): STARTTLS, implicit TLS or plain; optional auth.

Each mail has a plain-text and an HTML part. All mails about one incident
form one thread: the first page's ``Message-ID`` is the incident's root id
(``<incident.ID@domain>``) and every other mail refers to it with
``In-Reply-To`` and ``References``. A retry of one notification reuses its
``Message-ID``. SMTP 4xx and dropped connections are retried; 5xx (550
mailbox unavailable, 535 authentication) are permanent: the notifier hands
the mail to the channel's fallback at once.
"""

from __future__ import annotations

import hashlib
import ssl
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime

import aiosmtplib

from sentinel.clock import Clock
from sentinel.model import NotificationKind
from sentinel.notify import templates
from sentinel.notify.base import DeliveryFailure, DeliveryReason, Outgoing, SendResult
from sentinel.notify.config import SmtpChannel

_DEFAULT_PORT = {"implicit": 465, "starttls": 587, "none": 25}


def thread_root(incident: str, domain: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in incident)
    return f"<incident.{safe}@{domain}>"


def message_id(message: Outgoing, domain: str) -> str:
    """The incident's root id for its first page; else one derived from the row's key (a fallback mail has a
    key, so an id, of its own: a mailbox that drops repeated ids keeps it)."""
    i = message.intent
    if i.kind == NotificationKind.PAGE and i.step <= 1 and message.key == i.idempotency_key:
        return thread_root(i.incident, domain)
    digest = hashlib.sha256(message.key.encode()).hexdigest()[:24]
    return f"<{digest}@{domain}>"


def build_message(message: Outgoing, cfg: SmtpChannel, clock: Clock) -> EmailMessage:
    intent = message.intent
    r = templates.render(intent, texts=message.texts)
    mail = EmailMessage()
    h = templates.one_line  # every header value: no CR, LF or other control character, whatever the data holds
    mail["From"] = h(cfg.sender)
    mail["To"] = h(intent.recipient.email or "")
    mail["Subject"] = h(f"[Sentinel {intent.incident}] {r.subject}")
    mail["Date"] = format_datetime(clock.now())
    mid = message_id(message, cfg.domain)
    mail["Message-ID"] = h(mid)
    root = thread_root(intent.incident, cfg.domain)
    if mid != root:
        mail["In-Reply-To"] = h(root)
        mail["References"] = h(root)
    mail["X-Sentinel-Incident"] = h(intent.incident)
    mail.set_content(r.text)
    mail.add_alternative(r.html, subtype="html")
    return mail


class Smtp:
    needs: str | None = "email"
    is_sms = False
    resend_interval: timedelta | None = None

    def __init__(self, name: str, cfg: SmtpChannel, clock: Clock, timeout_s: float = 10.0) -> None:
        self.name = name
        self.cfg = cfg
        self.clock = clock
        self.timeout_s = timeout_s

    def _tls_context(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context()
        if not self.cfg.verify_tls:
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
        return ctx

    async def send(self, message: Outgoing) -> SendResult:
        if not message.intent.recipient.email:
            raise DeliveryFailure(DeliveryReason.MISCONFIGURED, "recipient has no e-mail address")
        mail = build_message(message, self.cfg, self.clock)
        return SendResult(provider_id=await self.deliver(mail))

    async def deliver(self, mail: EmailMessage) -> str:
        """Send one built mail (a page, or ``sentinel report``'s weekly report); the Message-ID and the server's
        answer, or a classified ``DeliveryFailure``."""
        tls = self.cfg.tls
        try:
            _, response = await aiosmtplib.send(
                mail,
                hostname=self.cfg.host,
                port=self.cfg.port or _DEFAULT_PORT[tls],
                username=self.cfg.username,
                password=self.cfg.password.reveal() if self.cfg.password else None,
                use_tls=tls == "implicit",
                start_tls=tls == "starttls",
                tls_context=self._tls_context() if tls != "none" else None,
                timeout=self.timeout_s,
            )
        except aiosmtplib.SMTPRecipientsRefused as e:
            codes = [r.code for r in e.recipients]
            reason = DeliveryReason.SERVER_ERROR if all(400 <= c < 500 for c in codes) else DeliveryReason.REJECTED
            raise DeliveryFailure(reason, f"recipient refused ({', '.join(map(str, codes))})") from None
        except aiosmtplib.SMTPAuthenticationError as e:
            raise DeliveryFailure(DeliveryReason.AUTH_FAILED, f"SMTP {e.code}") from None
        except aiosmtplib.SMTPResponseException as e:
            reason = DeliveryReason.SERVER_ERROR if 400 <= e.code < 500 else DeliveryReason.REJECTED
            raise DeliveryFailure(reason, f"SMTP {e.code}: {e.message[:200]}") from None
        except aiosmtplib.SMTPTimeoutError:
            raise DeliveryFailure(DeliveryReason.TIMEOUT, "SMTP server did not answer in time") from None
        except (aiosmtplib.SMTPException, OSError, ssl.SSLError) as e:
            raise DeliveryFailure(DeliveryReason.CONNECTION_FAILED, type(e).__name__) from None
        return f"{mail['Message-ID']} {response.strip()}"[:300]

    async def close(self) -> None:
        return None
