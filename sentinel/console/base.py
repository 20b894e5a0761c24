"""What every console route shares: the running config, the operator services, sessions; who is asking
(``Console.who``: a live session whose role may do what the route needs, and on a POST the form's CSRF token);
and how a refusal is answered (an HTML page, never a traceback)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote

from aiohttp import web

from sentinel.clock import Clock
from sentinel.console.layout import frame
from sentinel.console.sessions import COOKIE, Session, SessionStore
from sentinel.errors import StoreError
from sentinel.logs import get_logger
from sentinel.security.config import security_of
from sentinel.security.roles import ConsoleAccess, Role
from sentinel.security.services import BadRequest, Services, remote_of
from sentinel.security.store import AuditEntry
from sentinel.sources.body import read_body
from sentinel.store import Database

log = get_logger("console")

MAX_FORM = 16 * 1024
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Redirect(Exception):
    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


class Refused(Exception):
    """Answer with an HTML page saying ``message`` (``who``: the signed-in person, for the navigation)."""

    def __init__(self, status: int, message: str, who: Who | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.who = who


@dataclass(frozen=True, slots=True)
class Who:
    session: Session
    role: Role
    token: str
    form: Mapping[str, str]  # a POST's fields (empty for a GET)

    @property
    def person(self) -> str:
        return self.session.person

    def page(self, title: str, body: str, **kw: Any) -> web.Response:
        """The console's frame around ``body``, with this person's navigation."""
        return frame(
            title,
            body,
            person=self.person,
            role=str(self.role),
            csrf=self.session.csrf,
            admin=self.role.may(Role.ADMIN),
            **kw,
        )


async def read_form(request: web.Request) -> dict[str, str]:
    """A urlencoded form (at most ``MAX_FORM`` bytes); a field given twice keeps its first value."""
    body = await read_body(request, MAX_FORM)
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=50, strict_parsing=False)
    except (UnicodeDecodeError, ValueError):
        raise Refused(400, "not a form") from None
    out: dict[str, str] = {}
    for k, v in pairs:
        out.setdefault(k, v)
    return out


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this site only (never ``//host`` or a scheme). No whitespace or
    control character either: a URL parser drops a tab or a line break, so ``/\t/evil.example`` became
    ``//evil.example``, another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target or len(target) > 500:
        return "/"
    if any(c.isspace() or not c.isprintable() for c in target):
        return "/"
    return target


@dataclass(slots=True)
class Console:
    config: Callable[[], Any]  # the running root config (a reload replaces it)
    svc: Services
    sessions: SessionStore
    db: Database
    clock: Clock
    poller: Callable[[], Any] = lambda: None  # the daemon's Graph poller, if it polls any page
    readiness: Callable[[], Awaitable[dict[str, bool]]] | None = None  # what /readyz answers

    @property
    def access(self) -> ConsoleAccess:
        return self.svc.running.security.console

    def secure(self, request: web.Request) -> bool:
        """Is the console served over TLS (directly, or behind a proxy at an https ``security.public_url``)?"""
        public = security_of(self.config()).public_url or ""
        return request.secure or public.startswith("https://")

    def cookie(self, resp: web.StreamResponse, request: web.Request, name: str, value: str, max_age: int) -> None:
        resp.set_cookie(
            name,
            value,
            max_age=max_age,
            path="/",
            httponly=True,
            secure=self.secure(request),
            samesite="Strict",
        )

    async def who(self, request: web.Request, need: Role) -> Who:
        """The signed-in person, if their role may do what ``need`` may (a POST must carry the session's CSRF
        token). No session: a GET is sent to sign in (and back), a POST is refused."""
        token = request.cookies.get(COOKIE)
        session = await self.sessions.get(token, self.clock.now())
        role = None if session is None else await self.role_of(session, request)
        if session is None or token is None or role is None:
            if request.method == "GET":
                raise Redirect("/sign-in?next=" + quote(safe_next(request.path_qs), safe="/"))
            raise Refused(401, "You are not signed in, or your session has ended: sign in again.")
        form: dict[str, str] = {}
        if request.method == "POST":
            form = await read_form(request)
            if not session.csrf_ok(form.get("csrf")):
                log.warning("console.csrf_refused", person=session.person, path=request.path, remote=remote_of(request))
                raise Refused(403, "This form's CSRF token is missing or wrong: reload the page and try again.", None)
        who = Who(session, role, token, form)
        if not role.may(need):
            log.warning("console.role_refused", person=session.person, role=str(role), need=str(need))
            raise Refused(403, f"{session.person} is a {role}: this needs the {need} role.", who)
        return who

    async def role_of(self, session: Session, request: web.Request) -> Role | None:
        """The session's role; None, and the session ended, when its person is no longer in the running config's
        ``people:`` or no longer enrolled (``sentinel staff reset``): a session is worth no more than a code."""
        person = session.person
        role = self.svc.running.role_of(person)
        await self.svc.store.start()
        why = "not_in_people" if role is None else "not_enrolled" if await self.svc.store.staff(person) is None else ""
        if not why:
            return role
        await self.sessions.end(request.cookies.get(COOKIE))
        remote = remote_of(request)
        await self.svc.store.audit(AuditEntry(self.clock.now(), person, "console", remote, "session", "", why))
        log.warning("console.session_ended", person=person, reason=why, remote=remote)
        return None


def html_guarded(handler: Handler) -> Handler:
    """Answer a redirect with 303, a refusal with its HTML page, a store failure with 503 (retry)."""

    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except Redirect as r:
            raise web.HTTPSeeOther(r.location, headers={"Cache-Control": "no-store"}) from None
        except Refused as r:
            if r.who is not None:
                return r.who.page("Not allowed" if r.status == 403 else "Refused", "", error=r.message, status=r.status)
            return frame("Refused", '<p><a href="/sign-in">Sign in</a></p>', error=r.message, status=r.status)
        except BadRequest as r:
            return frame("Refused", "", error=r.message, status=r.status)
        except StoreError:
            return frame(
                "Try again",
                "",
                error="The store did not answer: retry in a moment.",
                status=503,
                headers={"Retry-After": "5"},
            )

    return wrapped
