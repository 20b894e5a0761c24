"""Inbound SMS replies: the providers' request signatures, the reply grammar, and how often a
number Sentinel does not know gets an answer.

Replies: ``ACK 123456`` (the only open incident), ``12a 123456`` (acknowledge
incident 12), ``12c 123456`` (close it), ``ACK 12 123456``, ``RESOLVE 12 123456``.
The paging SMS shows the ``12a 123456`` form (``sentinel.notify.templates``).

An SMS from an unknown number is answered at most ``per_number`` times per
``per_number_window`` and at most ``overall`` times per ``overall_window`` for
all unknown numbers together; beyond that it is not answered at all, so an
auto-responder cannot hold Sentinel in a reply loop.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from pydantic import Field

from sentinel.config.types import Duration, SentinelModel

_VERBS = {
    "ack": "ack",
    "a": "ack",
    "ok": "ack",
    "kvittera": "ack",
    "resolve": "resolve",
    "close": "resolve",
    "c": "resolve",
    "stang": "resolve",
    "stäng": "resolve",
}
_CODE_FIRST = re.compile(r"(\d{1,9})\s*([ac])\s+(\d{6})", re.IGNORECASE)
_VERB_FIRST = re.compile(r"([a-zåäö]+)\s+(?:(?:inc-?)?(\d{1,9})\s+)?(\d{6})", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Reply:
    action: str  # "ack" or "resolve"
    incident: int | None  # the number in the reply code, if given
    code: str


def parse_reply(text: str) -> Reply | None:
    """The action, incident number and TOTP code in an SMS reply, or None if it is not one."""
    t = " ".join(text.strip().split())[:200]
    if m := _CODE_FIRST.fullmatch(t):
        return Reply(_VERBS[m.group(2).lower()], int(m.group(1)), m.group(3))
    if (m := _VERB_FIRST.fullmatch(t)) and (verb := _VERBS.get(m.group(1).lower())):
        return Reply(verb, int(m.group(2)) if m.group(2) else None, m.group(3))
    return None


class UnknownReplyLimits(SentinelModel):
    """How often an SMS from an unknown number is answered ("Not recognised.")."""

    per_number: int = Field(default=1, ge=0)
    per_number_window: Duration = timedelta(hours=1)
    overall: int = Field(default=20, ge=0)
    overall_window: Duration = timedelta(hours=1)

    def allows(self, to_number: int, to_all: int) -> bool:
        """Whether one more answer may go, given the answers already sent in each window."""
        return to_number < self.per_number and to_all < self.overall


def twilio_signature(auth_token: str, url: str, params: Iterable[tuple[str, str]]) -> str:
    """``X-Twilio-Signature`` as Twilio computes it: HMAC-SHA1 over the full URL followed by each POST
    parameter's name and value, sorted by name (then value), base64-encoded."""
    data = url + "".join(k + v for k, v in sorted(params))
    return base64.b64encode(
        hmac.new(auth_token.encode(), data.encode("utf-8", "surrogatepass"), hashlib.sha1).digest()
    ).decode()


def twilio_valid(auth_token: str, url: str, params: Iterable[tuple[str, str]], given: str) -> bool:
    expected = twilio_signature(auth_token, url, params)
    return hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace"))
