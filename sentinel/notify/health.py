"""When a page gives up: the ``health.delivery_failed`` alert, and how its own pages are told apart.

A notification gives up when its last attempt fails (retries exhausted or a
permanent provider error) and no fallback is left in its chain. The notifier
hands it to its ``on_give_up`` hook; the app raises ``delivery_failed_alert``
through the pipeline, where it is routed like any critical health alert.

Its pages are about Sentinel itself (page ``DELIVERY_PAGE``): the notifier
never sends them to a (person, channel) pair whose last delivery gave up
(they go to that channel's fallback, or nowhere), and when one of them gives
up in turn nothing further is raised, so a dead channel cannot feed a loop.
"""

from __future__ import annotations

from datetime import datetime

from sentinel.model import AlertStatus, AlertTransition, Category, NotificationIntent, Severity

RULE = "health.delivery_failed"
#: the page key of the alert: no configured page, so routes that name pages do not match it
DELIVERY_PAGE = "sentinel.delivery"


def is_delivery_alert(intent: NotificationIntent) -> bool:
    """True for a notification about a failed delivery (whose own failure raises nothing)."""
    return intent.category == Category.HEALTH and intent.page == DELIVERY_PAGE


def _about_delivery(
    rule: str, key: str, texts: dict[str, str], labels: dict[str, str], at: datetime, *, firing: bool = True
) -> AlertTransition:
    """A critical health alert on the delivery page key (``DELIVERY_PAGE``), one fingerprint per ``key``;
    ``texts``: its summary by language, English first."""
    return AlertTransition(
        time=at,
        status=AlertStatus.FIRING if firing else AlertStatus.RESOLVED,
        rule=rule,
        category=Category.HEALTH,
        severity=Severity.CRITICAL,
        page=DELIVERY_PAGE,
        fingerprint=f"{rule}:{key}",
        group_key="delivery",
        summary=texts["en"],
        summaries=texts,
        labels=labels,
    )


def delivery_failed_alert(intent: NotificationIntent, reason: str, at: datetime) -> AlertTransition:
    """The alert for ``intent``, which gave up with ``reason``: one fingerprint per (person, channel)."""
    who, channel, inc = intent.recipient.name, intent.channel, intent.incident
    texts = {
        "en": f"{intent.kind} for {inc} to {who} via {channel} gave up ({reason})",
        "sv": f"{intent.kind} för {inc} till {who} via {channel} gick inte fram ({reason})",
    }
    labels = {"person": who, "channel": channel, "incident": inc, "reason": reason}
    return _about_delivery(RULE, f"{who}:{channel}", texts, labels, at)


UNREACHED_RULE = "health.nobody_paged"


def nobody_paged_alert(incident: str, page: str, severity: str, summary: str, at: datetime) -> AlertTransition:
    """An escalation step of ``incident`` paged nobody (nobody on call, or nobody with a channel). Its pages are
    about delivery (page ``DELIVERY_PAGE``): when one of them reaches nobody in turn, nothing further is raised."""
    texts = {
        "en": f"nobody was paged for {incident} ({severity} on {page}): no one on call or reachable. {summary}",
        "sv": f"ingen larmades för {incident} ({severity} på {page}): ingen i jour eller nåbar. {summary}",
    }
    return _about_delivery(UNREACHED_RULE, incident, texts, {"incident": incident, "page": page}, at)


CHANNEL_RULE = "health.channel_auth_failed"


def channel_auth_alert(channel: str, detail: str | None, at: datetime) -> AlertTransition:
    """Firing while ``channel``'s provider refuses Sentinel's credentials (``detail``: what it said), resolved
    (``detail`` None) when a message goes through on it again. One fingerprint per channel; its pages are about
    delivery (page ``DELIVERY_PAGE``), so they keep off the pairs that failed and raise nothing when they fail."""
    if detail is not None:
        texts = {
            "en": f"channel {channel}: the provider refuses Sentinel's credentials ({detail}); every message on it"
            " fails until they are fixed",
            "sv": f"kanalen {channel}: leverantören nekar Sentinels inloggning ({detail}); varje meddelande"
            " där misslyckas tills den är rättad",
        }
    else:
        texts = {"en": f"channel {channel} delivers again", "sv": f"kanalen {channel} levererar igen"}
    labels = {"channel": channel, "reason": "auth_failed"}
    return _about_delivery(CHANNEL_RULE, channel, texts, labels, at, firing=detail is not None)
