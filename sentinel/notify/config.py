"""The ``notify:`` config section: delivery settings and the named channels.

```yaml
notify:
  delivery:
    max_attempts: 8
    sms_bundle_window: 2m
  channels:
    sms:   {type: 46elks, username: u123, password_file: /run/secrets/elks, sender: Sentinel, fallback: email}
    email: {type: smtp, host: smtp.example.com, port: 587, tls: starttls, sender: sentinel@example.com}
```
A channel's name (``sms``, ``email``) is what escalation policies and
``NotificationIntent.channel`` use.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from pydantic import Field, model_validator

from sentinel.config.types import Duration, Secret, SentinelModel
from sentinel.notify.overrides import TemplateConfig


class DeliveryConfig(SentinelModel):
    max_attempts: int = Field(default=8, ge=1)
    backoff_initial: Duration = timedelta(seconds=2)
    backoff_max: Duration = timedelta(minutes=5)
    max_age: Duration = timedelta(hours=1)  # give up (and fall back) after this long undelivered
    fallback_after: int = Field(default=3, ge=1)  # failed attempts before the fallback channel is tried too
    breaker_failures: int = Field(default=5, ge=1)
    breaker_cooldown: Duration = timedelta(minutes=1)
    sms_bundle_window: Duration = timedelta(minutes=2)
    sms_limit: int = Field(default=5, ge=1)  # at most this many SMS to one number ...
    sms_limit_window: Duration = timedelta(minutes=10)  # ... in this window
    timeout: Duration = timedelta(seconds=10)  # per request
    concurrency: int = Field(default=16, ge=1)


class _Channel(SentinelModel):
    fallback: str | None = None  # another channel's name


class ConsoleChannel(_Channel):
    type: Literal["console"]
    stream: Literal["stdout", "stderr"] = "stdout"
    # "text": each message in full, as e-mail and chat get it; "sms": stands in for an SMS provider, printing the
    # one 160-character segment that would be sent (pages to one number bundled and limited as SMS are)
    format: Literal["text", "sms"] = "text"


class SmtpChannel(_Channel):
    type: Literal["smtp"]
    host: str
    port: int | None = Field(default=None, ge=1, le=65535)  # default: 465 implicit, 587 starttls, 25 none
    tls: Literal["starttls", "implicit", "none"] = "starttls"
    username: str | None = None
    password: Secret | None = None
    sender: str = Field(min_length=3)
    domain: str = "sentinel.invalid"  # right-hand side of Message-IDs
    verify_tls: bool = True


class Elks46Channel(_Channel):
    type: Literal["46elks"]
    url: str = "https://api.46elks.com/a1/sms"
    username: str
    password: Secret
    sender: str = Field(default="Sentinel", min_length=1, max_length=15)


class TwilioChannel(_Channel):
    type: Literal["twilio"]
    url: str = "https://api.twilio.com"
    account_sid: str
    auth_token: Secret
    sender: str | None = None  # From number
    messaging_service_sid: str | None = None

    @model_validator(mode="after")
    def _from(self) -> TwilioChannel:
        if not self.sender and not self.messaging_service_sid:
            raise ValueError("give 'sender' (a From number) or 'messaging_service_sid'")
        return self


class HttpSmsChannel(_Channel):
    type: Literal["http_sms"]
    url: str
    format: Literal["json", "form"] = "json"
    to_field: str = "to"
    message_field: str = "message"
    extra: dict[str, str] = Field(default_factory=dict)  # fixed fields added to each request
    token: Secret | None = None  # sent as "Authorization: Bearer"
    username: str | None = None  # or basic auth
    password: Secret | None = None
    id_field: str = "id"  # where the provider's message id is in its JSON answer


class SlackChannel(_Channel):
    type: Literal["slack"]
    url: Secret  # incoming-webhook URLs are credentials


class TeamsChannel(_Channel):
    type: Literal["teams"]
    url: Secret


class WebhookChannel(_Channel):
    type: Literal["webhook"]
    url: str
    secret: Secret | None = None  # HMAC-SHA256 key for X-Sentinel-Signature


class AlertmanagerChannel(_Channel):
    type: Literal["alertmanager"]
    url: str  # base URL, e.g. http://alertmanager:9093
    external_url: str = "http://localhost:8080"  # Sentinel's own URL, for generatorURL
    resend_interval: Duration = timedelta(minutes=1)
    username: str | None = None
    password: Secret | None = None


ChannelConfig = Annotated[
    ConsoleChannel
    | SmtpChannel
    | Elks46Channel
    | TwilioChannel
    | HttpSmsChannel
    | SlackChannel
    | TeamsChannel
    | WebhookChannel
    | AlertmanagerChannel,
    Field(discriminator="type"),
]


class NotifyConfig(SentinelModel):
    """The top-level ``notify:`` key."""

    delivery: DeliveryConfig = DeliveryConfig()
    channels: dict[str, ChannelConfig] = Field(default_factory=dict)
    templates: list[TemplateConfig] = Field(default_factory=list)  # the user's message texts (notify.overrides)

    @model_validator(mode="after")
    def _fallbacks(self) -> NotifyConfig:
        for name, ch in self.channels.items():
            if ch.fallback is None:
                continue
            if ch.fallback not in self.channels:
                known = ", ".join(sorted(self.channels)) or "none"
                raise ValueError(f"channels.{name}.fallback: no channel named {ch.fallback!r} (known: {known})")
            if ch.fallback == name:
                raise ValueError(f"channels.{name}.fallback: a channel cannot fall back to itself")
        for i, t in enumerate(self.templates):
            if t.channel is not None and t.channel not in self.channels:
                known = ", ".join(sorted(self.channels)) or "none"
                raise ValueError(f"templates[{i}].channel: no channel named {t.channel!r} (known: {known})")
        return self
