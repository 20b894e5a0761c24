"""A person's on-call shifts as a calendar a calendar app subscribes to: ``GET /calendar/<token>.ics``.

Calendar apps fetch a URL without headers or cookies, so the URL itself is the credential: its token is
``sentinel.security.tokens.feed_token`` (an HMAC of the person and a random nonce, under a key derived from the
secret key). The store keeps the nonce and the token's SHA-256 only (a copy of the database makes no feed URL).
A person makes, rotates (a new link; the old one stops working at once) and turns off their own link on the
console's on-call page, where they see it; a person no longer in the config has no feed. The token is never
logged (the daemon keeps no access log, and these routes log the person, never the URL).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from aiohttp import web

from sentinel.config.types import Secret
from sentinel.console.base import Console, Redirect, Refused, Who, html_guarded, log
from sentinel.console.layout import esc, form, hidden, table, when
from sentinel.escalation.config import OnCallConfig
from sentinel.escalation.ical import ical
from sentinel.security.config import security_of
from sentinel.security.roles import Role
from sentinel.security.services import remote_of
from sentinel.security.store import AuditEntry
from sentinel.security.tokens import FEED_PREFIX, feed_token, new_feed_nonce
from sentinel.store import Database, Migration

AREA = "console_calendar"
MIGRATIONS = [
    Migration(
        1,
        """
CREATE TABLE console_calendar_feeds (
  person TEXT PRIMARY KEY, nonce TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, created REAL NOT NULL)
""",
        "calendar-feed links: per person a nonce and the token's hash (never the token)",
    ),
]
BEHIND = timedelta(days=7)  # the feed's shifts: a week back (so today's shift shows whole) ...
AHEAD = timedelta(days=60)  # ... and two months ahead
DONE = {
    "calendar": "A new calendar link: subscribe to it (the old one no longer works).",
    "calendar-off": "Your calendar link is turned off.",
    "calendar-revoked": "That calendar link is turned off.",
}


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class FeedStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._migrated = False

    async def start(self) -> None:
        if not self._migrated:
            await self.db.migrate(AREA, MIGRATIONS)
            self._migrated = True

    async def nonce(self, person: str) -> str | None:
        await self.start()
        row = await self.db.fetchone("SELECT nonce FROM console_calendar_feeds WHERE person = ?", (person,))
        return None if row is None else str(row[0])

    async def rotate(self, key: Secret, person: str, now: datetime) -> None:
        """A new link for ``person``; the old one stops working."""
        await self.start()
        nonce = new_feed_nonce()
        async with self.db.transaction():
            await self.db.execute("DELETE FROM console_calendar_feeds WHERE person = ?", (person,))
            await self.db.execute(
                "INSERT INTO console_calendar_feeds (person, nonce, token_hash, created) VALUES (?, ?, ?, ?)",
                (person, nonce, _hash(feed_token(key, person, nonce)), now.timestamp()),
            )

    async def everyone(self) -> list[tuple[str, datetime]]:
        """Who has a link, and since when (oldest first)."""
        await self.start()
        rows = await self.db.fetchall("SELECT person, created FROM console_calendar_feeds ORDER BY created, person")
        return [(str(r[0]), datetime.fromtimestamp(float(r[1]), UTC)) for r in rows]

    async def revoke(self, person: str) -> bool:
        await self.start()
        return await self.db.execute("DELETE FROM console_calendar_feeds WHERE person = ?", (person,)) > 0

    async def person_of(self, key: Secret, token: str) -> str | None:
        """Whose link ``token`` is (checked against the key: a row put in the store by hand opens nothing)."""
        if not token.startswith(FEED_PREFIX) or len(token) > 100:
            return None
        await self.start()
        row = await self.db.fetchone(
            "SELECT person, nonce FROM console_calendar_feeds WHERE token_hash = ?", (_hash(token),)
        )
        if row is None or feed_token(key, str(row[0]), str(row[1])) != token:
            return None
        return str(row[0])


def _key(console: Console) -> Secret | None:
    return security_of(console.config()).resolved_secret_key()


def feed_url(console: Console, request: web.Request, token: str) -> str:
    base = security_of(console.config()).public_url or f"{request.scheme}://{request.host}"
    return f"{base.rstrip('/')}/calendar/{token}.ics"


async def calendar_section(console: Console, who: Who, request: web.Request) -> str:
    """The on-call page's part about the signed-in person's own calendar link."""
    key = _key(console)
    if key is None:
        return "<h2>Your calendar</h2><p class=muted>Calendar links need the daemon's secret key.</p>"
    feeds = FeedStore(console.db)
    nonce = await feeds.nonce(who.person)
    csrf = who.session.csrf
    others = await _everyones(feeds, csrf) if who.role.may(Role.ADMIN) else ""
    if nonce is None:
        return others + (
            "<h2>Your calendar</h2><p>Subscribe to your on-call shifts from a calendar app (a secret link, yours "
            "alone).</p>" + form("/oncall/calendar", csrf, "<button id=calendar-new>Make my calendar link</button>")
        )
    url = feed_url(console, request, feed_token(key, who.person, nonce))
    return others + (
        "<h2>Your calendar</h2><p>Subscribe to this link in your calendar app (\u201cadd calendar from URL\u201d). "
        "It is secret: whoever has it sees your shifts. A new link stops the old one at once.</p>"
        f'<p><input id=calendar-url readonly size=70 value="{esc(url)}"></p>'
        + form("/oncall/calendar", csrf, "<button id=calendar-new>New link</button>", cls="inline")
        + " "
        + form("/oncall/calendar/revoke", csrf, "<button id=calendar-off>Turn it off</button>", cls="inline")
    )


async def _everyones(feeds: FeedStore, csrf: str) -> str:
    """For admins: who has a calendar link, each with a button that turns it off (a lost phone, a person gone)."""
    off = "<button>Turn off</button>"
    rows = [
        (esc(p), esc(when(t)), form("/oncall/calendar/revoke", csrf, hidden("person", p) + off, cls="inline"))
        for p, t in await feeds.everyone()
    ]
    return "<h2>Calendar links</h2>" + table(("person", "made"), rows, empty="Nobody has a calendar link.")


def calendar_routes(console: Console) -> list[web.RouteDef]:
    async def audit(who: Who, request: web.Request, result: str) -> None:  # (who acted; ``result`` says on whom)
        now = console.clock.now()
        await console.svc.store.start()
        await console.svc.store.audit(
            AuditEntry(now, who.person, "console", remote_of(request), "calendar_link", "", result)
        )

    async def rotate(request: web.Request) -> web.StreamResponse:
        who = await console.who(request, Role.VIEWER)
        key = _key(console)
        if key is None:
            raise Redirect("/oncall")
        await FeedStore(console.db).rotate(key, who.person, console.clock.now())
        await audit(who, request, "created")
        log.info("console.calendar_link_made", person=who.person)
        raise Redirect("/oncall?done=calendar")

    async def revoke(request: web.Request) -> web.StreamResponse:
        """Turn off your own link; an admin may turn off anyone's (``person`` in the form)."""
        who = await console.who(request, Role.VIEWER)
        person = who.form.get("person", who.person)[:64] or who.person
        if person != who.person and not who.role.may(Role.ADMIN):
            raise Refused(403, f"{who.person} is a {who.role}: turning off another's link needs the admin role.", who)
        if await FeedStore(console.db).revoke(person):
            await audit(who, request, "revoked" if person == who.person else f"revoked_for:{person}")
            log.info("console.calendar_link_revoked", person=person, by=who.person)
        raise Redirect("/oncall?done=" + ("calendar-off" if person == who.person else "calendar-revoked"))

    async def feed(request: web.Request) -> web.StreamResponse:
        key = _key(console)
        token = request.match_info["token"]
        person = None if key is None else await FeedStore(console.db).person_of(key, token)
        cfg = OnCallConfig.of(console.config())
        if person is None or cfg.person(person) is None:
            log.info("console.calendar_refused", remote=remote_of(request))
            return web.Response(status=404, text="no such calendar\n", headers={"Cache-Control": "no-store"})
        now = console.clock.now()
        text = ical(cfg.schedules, person, now - BEHIND, now + AHEAD, now=now)
        return web.Response(
            text=text,
            content_type="text/calendar",
            charset="utf-8",
            headers={
                "Cache-Control": "private, max-age=300",
                "Referrer-Policy": "no-referrer",
                "X-Content-Type-Options": "nosniff",
            },
        )

    return [
        web.post("/oncall/calendar", html_guarded(rotate)),
        web.post("/oncall/calendar/revoke", html_guarded(revoke)),
        web.get("/calendar/{token}.ics", html_guarded(feed)),
    ]
