"""Acknowledgement from outside the API: SMS replies on the providers' inbound webhooks and the
small page behind a signed link. Both still need the person's TOTP code.

The webhook's answer is the reply SMS (TwiML ``<Message>`` for Twilio, the body for 46elks); an empty
answer sends none. Answers to unknown numbers are counted in the store (``ReplyBudget``) and stop at
``UnknownReplyLimits``, across restarts."""

from __future__ import annotations

import hashlib
import hmac
import html
from datetime import datetime
from urllib.parse import parse_qsl

import structlog
from aiohttp import web

from sentinel import markup
from sentinel.security.actions import Action, Outcome
from sentinel.security.config import SmsInboundConfig
from sentinel.security.links import LinkError, LinkExpired
from sentinel.security.services import BadRequest, Services, guarded, remote_of
from sentinel.security.sms import UnknownReplyLimits, parse_reply, twilio_valid
from sentinel.sources.body import read_body
from sentinel.store import Database, Migration

log = structlog.get_logger("sentinel.security")

_HELP = "Reply like 12a 123456 (acknowledge incident 12 with your code) or 12c 123456 (close it)."


def _form(body: bytes) -> list[tuple[str, str]]:
    try:
        return parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=100)
    except (UnicodeDecodeError, ValueError):
        raise BadRequest(400, "not a form body") from None


_MIGRATIONS = [
    Migration(
        1,
        """
CREATE TABLE sms_unknown_replies (sender TEXT NOT NULL, answered REAL NOT NULL);
CREATE INDEX sms_unknown_replies_sender ON sms_unknown_replies (sender, answered);
CREATE INDEX sms_unknown_replies_answered ON sms_unknown_replies (answered)
""",
        "answers sent to unknown SMS senders",
    )
]


class ReplyBudget:
    """The answers sent to unknown numbers, kept in the store (as hashes of the number) within the windows."""

    def __init__(self, db: Database, limits: UnknownReplyLimits) -> None:
        self.db = db
        self.limits = limits
        self._migrated = False

    async def take(self, sender: str, now: datetime) -> bool:
        """True (and counted) when ``sender`` may get an answer at ``now``."""
        if not self._migrated:
            await self.db.migrate("sms_replies", _MIGRATIONS)
            self._migrated = True
        lim, t = self.limits, now.timestamp()
        who = hashlib.sha256(sender.encode("utf-8", "replace")).hexdigest()
        async with self.db.transaction():
            keep = max(lim.per_number_window, lim.overall_window).total_seconds()
            await self.db.execute("DELETE FROM sms_unknown_replies WHERE answered <= ?", (t - keep,))
            mine = await self.db.fetchone(
                "SELECT COUNT(*) FROM sms_unknown_replies WHERE sender = ? AND answered > ?",
                (who, t - lim.per_number_window.total_seconds()),
            )
            every = await self.db.fetchone(
                "SELECT COUNT(*) FROM sms_unknown_replies WHERE answered > ?", (t - lim.overall_window.total_seconds(),)
            )
            if not lim.allows(int(mine[0]) if mine else 0, int(every[0]) if every else 0):
                return False
            await self.db.execute("INSERT INTO sms_unknown_replies (sender, answered) VALUES (?, ?)", (who, t))
        return True


def shown_number(number: str) -> str:
    """A known person's phone number as the logs and the audit keep it: its last two digits ("sms …01"). The person
    is named beside it and the reply came from their configured number (that is how they were known), so the full
    number adds nothing there but personal data; an unknown sender's is kept only as a hash (``ReplyBudget``)."""
    return f"sms …{number[-2:]}"


async def sms_reply(svc: Services, provider: str, sender: str, text: str, budget: ReplyBudget | None = None) -> str:
    """Act on one SMS reply; returns the text to answer with, "" for none (never revealing why a code failed
    in detail). An unknown sender is answered only within ``budget``, if one is given."""
    now = svc.clock.now()
    person = svc.phones.get(sender)
    if person is None:
        if budget is not None and not await budget.take(sender, now):
            log.warning("security.sms_from_unknown_sender", provider=provider, answered=False)
            return ""
        log.warning("security.sms_from_unknown_sender", provider=provider, answered=True)
        return "Not recognised."
    reply = parse_reply(text)
    if reply is None:
        return _HELP
    if reply.incident is not None:
        incident = f"inc-{reply.incident:06d}"
    else:
        open_ = await svc.incidents.list_open()
        if len(open_) != 1:
            return f"{len(open_)} open incidents. {_HELP}"
        incident = open_[0].id
    out: Outcome = await svc.actions.act(
        incident,
        Action(reply.action),
        now,
        source=f"sms-{provider}",
        remote=shown_number(sender),
        person=person,
        code=reply.code,
    )
    return f"{incident}: {out.message}."


def _twiml(text: str) -> web.Response:
    message = f"<Message>{html.escape(text)}</Message>" if text else ""
    body = f'<?xml version="1.0" encoding="UTF-8"?><Response>{message}</Response>'
    return web.Response(text=body, content_type="text/xml")


def sms_routes(svc: Services) -> list[web.RouteDef]:
    """The providers' inbound webhooks. Their tokens and limits are read from the running settings at each request:
    a reload that rotates the 46elks URL token or Twilio's auth token holds at once (the old one gets a 404)."""
    budget = ReplyBudget(svc.store.db, svc.security.sms_inbound.unknown_replies)

    def inbound() -> SmsInboundConfig:
        cfg = svc.security.sms_inbound
        budget.limits = cfg.unknown_replies
        return cfg

    async def twilio(request: web.Request) -> web.StreamResponse:
        cfg = inbound()
        if not cfg.twilio_auth_token:
            return web.json_response({"error": "Twilio inbound SMS is not configured"}, status=404)
        await svc.ready()
        params = _form(await read_body(request))
        url = cfg.twilio_url or str(request.url)
        if not twilio_valid(cfg.twilio_auth_token.reveal(), url, params, request.headers.get("X-Twilio-Signature", "")):
            log.warning("security.sms_webhook_forged", provider="twilio", remote=remote_of(request))
            return web.json_response({"error": "bad X-Twilio-Signature"}, status=403)
        form = dict(params)
        sid = form.get("MessageSid") or form.get("SmsSid") or ""
        if not sid or not await svc.store.first_sight("twilio", sid, svc.clock.now()):
            log.warning("security.sms_webhook_replayed", provider="twilio", remote=remote_of(request))
            return web.json_response({"error": "message already seen"}, status=409)
        return _twiml(await sms_reply(svc, "twilio", form.get("From", ""), form.get("Body", ""), budget))

    async def elks(request: web.Request) -> web.StreamResponse:
        given = request.match_info.get("token", "")
        cfg = inbound()
        if not cfg.elks_token or not hmac.compare_digest(
            cfg.elks_token.reveal().encode(), given.encode("utf-8", "replace")
        ):
            log.warning("security.sms_webhook_forged", provider="46elks", remote=remote_of(request))
            return web.json_response({"error": "not found"}, status=404)
        await svc.ready()
        form = dict(_form(await read_body(request)))
        mid = form.get("id", "")
        if not mid or not await svc.store.first_sight("46elks", mid, svc.clock.now()):
            log.warning("security.sms_webhook_replayed", provider="46elks", remote=remote_of(request))
            return web.json_response({"error": "message already seen"}, status=409)
        return web.Response(text=await sms_reply(svc, "46elks", form.get("from", ""), form.get("message", ""), budget))

    return [web.post("/api/v1/sms/twilio", guarded(twilio)), web.post("/api/v1/sms/46elks/{token}", guarded(elks))]


# -- the signed-link page ---------------------------------------------------------------

_PAGE = """<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta name="referrer" content="no-referrer"><title>Sentinel</title></head><body>{body}</body></html>
"""


def _page(body: str, status: int = 200) -> web.Response:
    return web.Response(
        text=_PAGE.format(body=body),
        status=status,
        content_type="text/html",
        headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY"},
    )


def link_routes(svc: Services) -> list[web.RouteDef]:
    e = markup.esc

    def claims(request: web.Request) -> tuple[str, str] | web.Response:
        if svc.signer is None:
            return _page("<p>Links are not configured.</p>", 404)
        try:
            c = svc.signer.verify(request.match_info.get("link", ""), svc.clock.now())
        except LinkExpired:
            return _page("<p>This link has expired. Use the API or reply to the SMS.</p>", 410)
        except LinkError:
            log.warning("security.link_rejected", remote=remote_of(request))
            return _page("<p>This link is not valid.</p>", 403)
        return c.incident, c.person

    async def show(request: web.Request) -> web.StreamResponse:
        c = claims(request)
        if isinstance(c, web.Response):
            return c
        inc = await svc.incidents.get(c[0])
        what = f"{e(inc.id)}: {e(inc.summary)} ({e(str(inc.status))})" if inc else e(c[0])
        return _page(
            f"<h1>Sentinel</h1><p>{what}</p><form method=post>"
            f"<p>Code from {e(c[1])}'s authenticator app: <input name=code inputmode=numeric "
            f"autocomplete=one-time-code pattern=[0-9]{{6}} required></p>"
            "<p><button name=action value=ack>Acknowledge</button> "
            "<button name=action value=resolve>Resolve</button></p></form>"
        )

    async def submit(request: web.Request) -> web.StreamResponse:
        c = claims(request)
        if isinstance(c, web.Response):
            return c
        await svc.ready()
        form = dict(_form(await read_body(request)))
        action = form.get("action", "ack")
        if action not in ("ack", "resolve"):
            return _page("<p>Unknown action.</p>", 400)
        out = await svc.actions.act(
            c[0],
            Action(action),
            svc.clock.now(),
            source="link",
            remote=remote_of(request),
            person=c[1],
            code=form.get("code", ""),
        )
        return _page(f"<p>{e(c[0])}: {e(out.message)}.</p>", out.status)

    return [web.get("/ack/{link}", guarded(show)), web.post("/ack/{link}", guarded(submit))]
