"""What every channel shares: the rendered message, the send result, and the
closed set of delivery outcomes (the only metric labels notification uses).

A channel is one small class with ``async send(message) -> SendResult``; it
raises ``DeliveryFailure`` with a ``DeliveryReason`` when the provider did not
accept the message. The outbox decides from the reason whether to retry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Protocol

from sentinel.errors import DeliveryError
from sentinel.model import NotificationIntent
from sentinel.notify.overrides import Overrides


class DeliveryReason(StrEnum):
    """How one delivery attempt ended (label ``outcome`` of ``sentinel_notifications_total``)."""

    SENT = "sent"
    RATE_LIMITED = "rate_limited"  # 429 from the provider: retried after Retry-After
    SERVER_ERROR = "server_error"  # 5xx: retried
    TIMEOUT = "timeout"  # no answer in time: retried
    CONNECTION_FAILED = "connection_failed"  # refused, reset, dropped, TLS: retried
    REJECTED = "rejected"  # 4xx: the request is wrong (bad number, payload): not retried
    AUTH_FAILED = "auth_failed"  # 401/403, SMTP 535: not retried
    INVALID_RESPONSE = "invalid_response"  # 2xx we could not understand: not retried (it may have been sent)
    CIRCUIT_OPEN = "circuit_open"  # not attempted: the channel's breaker is open
    MISCONFIGURED = "misconfigured"  # the recipient lacks the address this channel needs
    GAVE_UP = "gave_up"  # retries exhausted
    INTERNAL_ERROR = "internal_error"  # Sentinel failed to render or send it (a bug, a value it cannot write): retried
    INTERRUPTED = "interrupted"  # the daemon stopped or died while sending it: sent again

    @property
    def retryable(self) -> bool:
        return self in _RETRYABLE


_RETRYABLE = frozenset(
    {
        DeliveryReason.RATE_LIMITED,
        DeliveryReason.SERVER_ERROR,
        DeliveryReason.TIMEOUT,
        DeliveryReason.CONNECTION_FAILED,
        DeliveryReason.CIRCUIT_OPEN,
        DeliveryReason.INTERNAL_ERROR,
        DeliveryReason.INTERRUPTED,
    }
)


class SuppressReason(StrEnum):
    """Why a notification was not sent on its own (label of ``sentinel_notifications_suppressed_total``)."""

    BUNDLED = "bundled"  # folded into another SMS to the same number
    RATE_LIMITED = "rate_limited"  # the per-number limiter held it back
    SILENCED = "silenced"  # muted (e.g. the incident resolved before the page went out)
    CIRCUIT_OPEN = "circuit_open"  # the channel's breaker is open: sent by the fallback channel
    DUPLICATE = "duplicate"  # the same idempotency key was enqueued before
    AVOIDED = "avoided"  # a delivery-failure page to a (person, channel) that just gave up: fallback


class DeliveryFailure(DeliveryError):
    """The provider did not accept a message. ``detail`` never holds a secret or a message body."""

    def __init__(self, reason: DeliveryReason, detail: str = "", *, retry_after: float | None = None) -> None:
        self.reason = reason
        self.detail = detail[:300]
        self.retry_after = retry_after
        super().__init__(f"{reason}: {self.detail}" if detail else str(reason))


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message to send: the intents it carries (several when SMS pages are bundled)."""

    key: str  # idempotency key (of the first intent)
    intents: tuple[NotificationIntent, ...]
    attempt: int = 1
    texts: Overrides | None = None  # the user's message texts for this channel (notify.templates)

    @property
    def intent(self) -> NotificationIntent:
        return self.intents[0]


@dataclass(frozen=True, slots=True)
class SendResult:
    provider_id: str | None = None


class Channel(Protocol):
    """One delivery channel (a configured instance of a channel type)."""

    name: str
    #: the address this channel needs from a Recipient: "phone", "email" or None
    needs: str | None
    #: SMS channels get bundling and the per-number limiter
    is_sms: bool
    #: re-send a still-firing page this often (Alertmanager), or None
    resend_interval: timedelta | None

    async def send(self, message: Outgoing) -> SendResult: ...

    async def close(self) -> None: ...
