"""A fake Graph API server (aiohttp) with the real shapes, for tests and benchmarks.

Ids ``{page}_{post}``, ``+0000`` times, time-based feed paging
(``until``/``__paging_token``), cursor paging for comments and messages,
field expansion with modifiers, batch, error envelopes, usage headers that
climb to 100 (then code 80001), 190/463 for an expired token and 100/33 for
deleted or unknown ids. The world changes as a script of ``Step`` values
plays out on the given clock.
"""

from __future__ import annotations

import base64
import contextlib
import functools
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode

import aiohttp
import orjson
from aiohttp import web

from sentinel.clock import Clock, SimulatedClock
from sentinel.config.schema import PageConfig
from sentinel.model import Event
from sentinel.sources.graph import GraphPoller
from sentinel.sources.graph_config import SourcesConfig
from sentinel.store.sqlite import SqliteDatabase
from sentinel.testing.graph_life import FComment, FPage, FPost, Step, apply

EXPIRED_MESSAGE = "Error validating access token: Session has expired on Sunday, 22-Nov-26 09:00:00 PST."


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    mods: dict[str, str]
    sub: tuple[FieldSpec, ...] | None


@functools.lru_cache(maxsize=4096)
def parse_fields(text: str) -> tuple[FieldSpec, ...]:
    """``a,b.limit(2).order(x){c,d{e}}`` as a tree (shared: not to be changed). Remembered: a poller asks the same
    few field lists again and again, and parsing them was most of what a fake serving thousands of pages did."""
    out: list[FieldSpec] = []
    for part in _split(text):
        sub = None
        if part.endswith("}") and "{" in part:
            i = part.index("{")
            sub = parse_fields(part[i + 1 : -1])
            part = part[:i]
        name, *mods = _split(part, ".")
        parsed: dict[str, str] = {}
        for m in mods:
            if "(" in m and m.endswith(")"):
                k, v = m[:-1].split("(", 1)
                parsed[k] = v
        out.append(FieldSpec(name.strip(), parsed, sub))
    return tuple(out)


def _split(text: str, sep: str = ",") -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur)
    return [p.strip() for p in parts if p.strip()]


def unparse(fields: Iterable[FieldSpec]) -> str:
    return ",".join(
        f.name + "".join(f".{k}({v})" for k, v in f.mods.items()) + ("{" + unparse(f.sub) + "}" if f.sub else "")
        for f in fields
    )


@dataclass(frozen=True, slots=True)
class Call:
    """One call as the fake saw it (each inner batch request too)."""

    at: float
    page: str  # the page the token belongs to, or "app"
    path: str
    fields: str


def fb_time(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


class GraphFail(Exception):
    def __init__(
        self,
        code: int,
        message: str,
        subcode: int | None = None,
        status: int = 400,
        etype: str = "OAuthException",
        regain: int = 0,
    ) -> None:
        self.code, self.message, self.subcode, self.status, self.etype, self.regain = (
            code,
            message,
            subcode,
            status,
            etype,
            regain,
        )

    def body(self) -> dict[str, Any]:
        err: dict[str, Any] = {
            "message": self.message,
            "type": self.etype,
            "code": self.code,
            "fbtrace_id": "AbCdEfGh123",
        }
        if self.subcode is not None:
            err["error_subcode"] = self.subcode
        if self.code in (1, 2):
            err["is_transient"] = True
        return {"error": err}


def _missing(node: str) -> GraphFail:
    return GraphFail(
        100,
        f"Unsupported get request. Object with ID '{node}' does not exist, cannot be loaded due"
        " to missing permissions, or does not support this operation.",
        33,
        etype="GraphMethodException",
    )


class FakeGraph:
    """The world (pages, tokens, a script) and an aiohttp app serving it."""

    def __init__(
        self, clock: Clock, *, version: str = "v21.0", calls_per_hour: int = 4800, app_calls_per_hour: int = 10**9
    ) -> None:
        self.clock = clock
        self.version = version
        self.pages: dict[str, FPage] = {}
        self.tokens: dict[str, str] = {}  # token -> page id
        self.expired: set[str] = set()
        self.malformed: set[str] = set()  # tokens answered with Meta's wording, which echoes the token
        self.script: deque[Step] = deque()
        self.calls_per_hour = calls_per_hour
        self.app_calls_per_hour = app_calls_per_hour
        self.calls = 0
        self.calls_by_page: dict[str, int] = {}
        self.log: list[Call] = []
        self._window: dict[str, deque[float]] = {}
        self._app_window: deque[float] = deque()
        self.base_url = ""
        self.scopes = [
            "pages_show_list",
            "pages_read_engagement",
            "pages_read_user_content",
            "pages_manage_metadata",
            "pages_messaging",
        ]
        self.tasks = ["ADVERTISE", "ANALYZE", "CREATE_CONTENT", "MANAGE", "MESSAGING", "MODERATE"]
        # rewrites each successful answer's body before it is sent (a wrong answer Meta might give: see ``retimed``)
        self.rewrite: Callable[[Any], Any] | None = None

    def calls_of(self, page_id: str, *, tripwire: bool | None = None) -> list[float]:
        """Times of the calls made for a page; ``tripwire`` picks the calls that read its roles (or not)."""
        return [c.at for c in self.log if c.page == page_id and (tripwire is None or tripwire == ("roles" in c.fields))]

    def add_page(self, page: FPage, token: str) -> None:
        self.pages[page.id] = page
        self.tokens[token] = page.id

    def play(self, steps: Iterable[Step]) -> None:
        self.script = deque(sorted([*self.script, *steps], key=lambda s: s.at))

    def advance(self) -> None:
        now = self.clock.now()
        while self.script and self.script[0].at <= now:
            step = self.script.popleft()
            if step.action == "expire":
                self.expired.add(step.args["token"])
            elif step.action == "renew":
                self.expired.discard(step.args["token"])
            else:
                apply(self.pages[step.page_id], step)

    @contextlib.asynccontextmanager
    async def serve(self) -> AsyncIterator[str]:
        """Serve this fake on a free loopback port for the block; yields its base URL."""
        runner = web.AppRunner(self.app(), handle_signals=False, shutdown_timeout=0.1)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        try:
            yield f"http://127.0.0.1:{runner.addresses[0][1]}"
        finally:
            await runner.cleanup()

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post(f"/{self.version}/", self._batch)
        app.router.add_get(f"/{self.version}/{{path:.*}}", self._get)
        return app

    # -- HTTP ----------------------------------------------------------------

    async def _get(self, request: web.Request) -> web.Response:
        self.base_url = f"{request.scheme}://{request.host}"
        params = dict(request.query)
        status, headers, body = self.answer(request.match_info["path"], params)
        return web.Response(status=status, body=orjson.dumps(body), headers=headers, content_type="application/json")

    async def _batch(self, request: web.Request) -> web.Response:
        self.base_url = f"{request.scheme}://{request.host}"
        form = await request.post()
        token = str(form.get("access_token") or "")
        try:
            spec = orjson.loads(str(form.get("batch") or ""))
            if not isinstance(spec, list) or len(spec) > 50:
                raise ValueError
        except (orjson.JSONDecodeError, ValueError):
            body = GraphFail(100, "The parameter batch must be a JSON array of at most 50 requests").body()
            return web.Response(status=400, body=orjson.dumps(body), content_type="application/json")
        out = []
        for item in spec:
            rel = str(item.get("relative_url") or "") if isinstance(item, dict) else ""
            path, _, qs = rel.partition("?")
            params = dict(parse_qsl(qs))
            params.setdefault("access_token", token)
            status, headers, body = self.answer(path, params)
            out.append(
                {
                    "code": status,
                    "headers": [{"name": k, "value": v} for k, v in headers.items()],
                    "body": orjson.dumps(body).decode(),
                }
            )
        return web.Response(body=orjson.dumps(out), content_type="application/json")

    def answer(self, path: str, params: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        """One Graph call (also each inner batch request): status, headers, body."""
        self.advance()
        self.calls += 1
        token = params.get("access_token", "")
        page_id = self.tokens.get(token)
        key = page_id or "app"
        self.calls_by_page[key] = self.calls_by_page.get(key, 0) + 1
        now = self.clock.now().timestamp()
        self.log.append(Call(now, key, path, params.get("fields", "")))
        win = self._window.setdefault(key, deque())
        for w in (win, self._app_window):
            while w and w[0] <= now - 3600:
                w.popleft()
        headers = {}
        try:
            if page_id is None:
                raise GraphFail(190, "Invalid OAuth access token - Cannot parse access token", 467)
            if token in self.malformed:
                raise GraphFail(190, f"Malformed access token {token}")
            if token in self.expired:
                raise GraphFail(190, EXPIRED_MESSAGE, 463)
            pct = 100 * len(win) // self.calls_per_hour
            regain = 0 if pct < 100 else int((win[0] + 3600 - now) // 60) + 1
            headers = self._usage_headers(page_id, pct, regain)
            if pct >= 100:
                raise GraphFail(
                    80001,
                    "There have been too many calls to this Page account. Wait a bit and try again.",
                    etype="OAuthException",
                    regain=regain,
                )
            win.append(now)
            self._app_window.append(now)
            headers = self._usage_headers(page_id, 100 * len(win) // self.calls_per_hour, 0)
            body = self._route(path.strip("/"), params, page_id)
            return 200, headers, body if self.rewrite is None else self.rewrite(body)
        except GraphFail as e:
            return e.status, headers, e.body()

    def _usage_headers(self, page_id: str, pct: int, regain: int) -> dict[str, str]:
        app_pct = 100 * len(self._app_window) // self.app_calls_per_hour
        buc = {
            page_id: [
                {
                    "type": "pages",
                    "call_count": pct,
                    "total_cputime": pct // 2,
                    "total_time": pct // 2,
                    "estimated_time_to_regain_access": regain,
                }
            ]
        }
        return {
            "X-Business-Use-Case-Usage": orjson.dumps(buc).decode(),
            "X-App-Usage": orjson.dumps(
                {"call_count": app_pct, "total_time": app_pct // 2, "total_cputime": app_pct // 2}
            ).decode(),
        }

    # -- reading the world -----------------------------------------------------

    def _route(self, path: str, params: dict[str, str], page_id: str) -> Any:
        parts = path.split("/")
        page = self.pages[page_id]
        fields = parse_fields(params.get("fields", ""))
        if parts == ["debug_token"]:
            return {
                "data": {
                    "app_id": "1234",
                    "type": "PAGE",
                    "is_valid": True,
                    "profile_id": page_id,
                    "scopes": list(self.scopes),
                    "expires_at": 0,
                }
            }
        if len(parts) == 1:
            return self._node(page, parts[0], fields or parse_fields("id"), params)
        if len(parts) == 2:
            if parts[0] not in page.threads:
                self._node(page, parts[0], parse_fields("id"), params)  # 100/33 for a missing node
            spec = FieldSpec(
                parts[1], {k: v for k, v in params.items() if k not in ("fields", "access_token")}, fields or None
            )
            return self._edge(page, parts[0], spec, params.get("access_token", ""))
        raise _missing(path)

    def _node(self, page: FPage, node: str, fields: tuple[FieldSpec, ...], params: dict[str, str]) -> Any:
        token = params.get("access_token", "")
        if node in ("me", page.id):
            return self._render_page(page, fields, token)
        post = page.posts.get(node)
        if post is not None and not post.deleted:
            return self._render_post(page, post, fields, token)
        for p in page.posts.values():
            for c in p.comments:
                if c.id == node and not p.deleted and not c.deleted:
                    return self._render_comment(c, fields)
        raise _missing(node)

    def _render_page(self, page: FPage, fields: tuple[FieldSpec, ...], token: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields:
            if f.name == "id":
                out["id"] = page.id
            elif f.name == "tasks":
                out["tasks"] = list(self.tasks)
            elif f.name in page.settings:
                out[f.name] = page.settings[f.name]
            elif f.name in ("feed", "posts", "published_posts", "roles", "assigned_users", "agencies", "conversations"):
                out[f.name] = self._edge(page, page.id, f, token)
        return out

    def _render_post(self, page: FPage, p: FPost, fields: tuple[FieldSpec, ...], token: str) -> dict[str, Any]:
        vals: dict[str, Any] = {
            "id": p.id,
            "created_time": fb_time(p.created),
            "updated_time": fb_time(p.updated),
            "message": p.message,
            "from": p.frm,
            "status_type": p.status_type,
            "permalink_url": f"https://www.facebook.com/{p.id}",
            "is_published": True,
            "is_hidden": False,
            "application": p.app,
            "admin_creator": p.admin,
        }
        out: dict[str, Any] = {}
        for f in fields:
            if f.name == "comments":
                out["comments"] = self._edge(page, p.id, f, token)
            elif f.name == "reactions":
                out[f.mods.get("as", "reactions")] = self._reactions(p, f)
            elif f.name in vals and vals[f.name] is not None:
                out[f.name] = vals[f.name]
        return out

    @staticmethod
    def _reactions(p: FPost, f: FieldSpec) -> dict[str, Any]:
        """A post's ``reactions`` edge as counts only: ``.type(ANGRY)`` filters, ``.summary(total_count)`` counts.
        The fake knows no reactors, so the list is empty (what ``.limit(0)`` asks for anyway)."""
        kind = f.mods.get("type")
        total = p.reactions.get(kind.upper(), 0) if kind else sum(p.reactions.values())
        block: dict[str, Any] = {"data": []}
        if "summary" in f.mods:
            block["summary"] = {"total_count": total, "viewer_reaction": "NONE"}
        return block

    @staticmethod
    def _render_comment(c: FComment, fields: tuple[FieldSpec, ...]) -> dict[str, Any]:
        vals: dict[str, Any] = {
            "id": c.id,
            "created_time": fb_time(c.created),
            "message": c.message,
            "from": c.frm,
            "parent": {"id": c.parent_id} if c.parent_id else None,
            "permalink_url": f"https://www.facebook.com/{c.post_id}?comment_id={c.id}",
            "comment_count": 0,
        }
        return {f.name: vals[f.name] for f in fields if vals.get(f.name) is not None}

    def _edge(self, page: FPage, node: str, f: FieldSpec, token: str) -> dict[str, Any]:
        limit = min(100, int(f.mods.get("limit", "25")))
        sub = f.sub or parse_fields("id")
        if f.name in ("feed", "posts", "published_posts"):
            return self._feed(page, node, f, sub, limit, token)
        if f.name == "comments":
            post = page.posts[node]
            items = [
                c for c in post.comments if not c.deleted and (f.mods.get("filter") == "stream" or c.parent_id is None)
            ]
            reverse = f.mods.get("order") == "reverse_chronological"
            items.sort(key=lambda c: (c.created, c.id), reverse=reverse)
            block = self._cursor_page(node, f, [self._render_comment(c, sub) for c in items], limit, token)
            if "summary" in f.mods:
                block["summary"] = {
                    "order": "reverse_chronological" if reverse else "chronological",
                    "total_count": len(items),
                    "can_comment": True,
                }
            return block
        if f.name == "roles":
            rows = [{"id": uid, "name": name, "tasks": tasks} for uid, (name, tasks) in page.roles.items()]
            return self._cursor_page(
                node, f, [{k: r[k] for k in r if any(s.name == k for s in sub)} for r in rows], limit, token
            )
        if f.name == "subscribed_apps":
            rows = [
                {"id": app, "name": f"App {app}", "subscribed_fields": list(fs)} for app, fs in page.subscribed.items()
            ]
            return {"data": rows}
        if f.name in ("assigned_users", "agencies"):
            return {"data": [], "paging": {"cursors": {"before": "", "after": ""}}}
        if f.name == "conversations":
            threads = sorted(page.threads, key=lambda t: page.thread_updated[t], reverse=True)
            rows = []
            for tid in threads:
                row: dict[str, Any] = {"id": tid, "updated_time": fb_time(page.thread_updated[tid])}
                for s in sub:
                    if s.name == "messages":
                        msgs = [
                            {
                                "id": m["id"],
                                "message": m["message"],
                                "from": m["from"],
                                "created_time": fb_time(m["created"]),
                            }
                            for m in reversed(page.threads[tid])
                        ]
                        row["messages"] = self._cursor_page(
                            tid, s, msgs, min(100, int(s.mods.get("limit", "25"))), token
                        )
                rows.append(row)
            return self._cursor_page(node, f, rows, limit, token)
        if f.name == "messages" and node in page.threads:
            msgs = [
                {"id": m["id"], "message": m["message"], "from": m["from"], "created_time": fb_time(m["created"])}
                for m in reversed(page.threads[node])
            ]
            return self._cursor_page(node, f, msgs, limit, token)
        raise GraphFail(
            100, f"(#100) Tried accessing nonexisting field ({f.name}) on node type (Page)", etype="OAuthException"
        )

    def _feed(
        self, page: FPage, node: str, f: FieldSpec, sub: tuple[FieldSpec, ...], limit: int, token: str
    ) -> dict[str, Any]:
        posts = sorted((p for p in page.posts.values() if not p.deleted), key=lambda p: (p.created, p.id), reverse=True)
        since, until = f.mods.get("since"), f.mods.get("until")
        if since:
            posts = [p for p in posts if p.created >= int(since)]
        if until:
            tok = f.mods.get("__paging_token")
            last = base64.urlsafe_b64decode(tok.encode()).decode() if tok else None
            posts = [
                p
                for p in posts
                if p.created < int(until) or (p.created == int(until) and last is not None and p.id < last)
            ]
        chunk = posts[:limit]
        block: dict[str, Any] = {"data": [self._render_post(page, p, sub, token) for p in chunk]}
        paging: dict[str, str] = {}
        base = {"fields": unparse(sub), "limit": str(limit), "access_token": token}
        if since:
            base["since"] = since
        if chunk:
            first, last_p = chunk[0], chunk[-1]
            paging["previous"] = self._url(node, f.name, {**base, "since": str(first.created), "__previous": "1"})
            if len(posts) > limit:
                paging["next"] = self._url(
                    node,
                    f.name,
                    {
                        **base,
                        "until": str(last_p.created),
                        "__paging_token": base64.urlsafe_b64encode(last_p.id.encode()).decode(),
                    },
                )
        if paging:
            block["paging"] = paging
        return block

    def _cursor_page(
        self, node: str, f: FieldSpec, rows: list[dict[str, Any]], limit: int, token: str
    ) -> dict[str, Any]:
        start = int(base64.urlsafe_b64decode(f.mods["after"].encode()).decode()) if f.mods.get("after") else 0
        chunk = rows[start : start + limit]
        cur = {
            "before": base64.urlsafe_b64encode(str(start).encode()).decode(),
            "after": base64.urlsafe_b64encode(str(start + len(chunk)).encode()).decode(),
        }
        block: dict[str, Any] = {"data": chunk, "paging": {"cursors": cur}}
        if start + limit < len(rows):
            q = {k: v for k, v in f.mods.items() if k != "after"}
            q.update(
                {"fields": unparse(f.sub or ()), "limit": str(limit), "after": cur["after"], "access_token": token}
            )
            block["paging"]["next"] = self._url(node, f.name, q)
        return block

    def _url(self, node: str, edge: str, query: dict[str, str]) -> str:
        return f"{self.base_url}/{self.version}/{node}/{edge}?{urlencode(query)}"


def rewriting(visit: Callable[[dict[str, Any]], None]) -> Callable[[Any], Any]:
    """A ``FakeGraph.rewrite`` that calls ``visit`` on every object of an answer (it may change it in place),
    outermost first."""

    def walk(obj: Any) -> Any:
        if isinstance(obj, dict):
            visit(obj)
            for v in list(obj.values()):
                walk(v)
        elif isinstance(obj, list):
            for v in obj:
                walk(v)
        return obj

    return walk


def retimed(item_id: str, created_time: str | None) -> Callable[[Any], Any]:
    """A ``FakeGraph.rewrite`` giving the item ``item_id`` (a post, comment or message, wherever it is in an answer)
    the ``created_time`` ``created_time`` (None: no ``created_time`` at all), e.g. one no datetime can hold in UTC
    (``0001-01-01T00:00:00+0100``) or not a time."""

    def visit(obj: dict[str, Any]) -> None:
        if obj.get("id") == item_id and "created_time" in obj:
            if created_time is None:
                del obj["created_time"]
            else:
                obj["created_time"] = created_time

    return rewriting(visit)


def roles_as(edit: Callable[[dict[str, Any]], dict[str, Any] | None]) -> Callable[[Any], Any]:
    """A ``FakeGraph.rewrite`` giving the page's ``roles`` block to ``edit``: its answer (None: ``roles`` left out
    of the answer, as a glitch of the platform may)."""

    def visit(obj: dict[str, Any]) -> None:
        if isinstance(obj.get("roles"), dict):
            block = edit(obj["roles"])
            if block is None:
                del obj["roles"]
            else:
                obj["roles"] = block

    return rewriting(visit)


async def poll_until(
    config: SourcesConfig,
    pages: list[PageConfig],
    clock: SimulatedClock,
    sink: Callable[[list[Event]], Awaitable[int]],
    until: datetime,
    db_path: str = ":memory:",
) -> GraphPoller:
    """One lifetime of a Graph poller over the store at ``db_path``: started, ticked at its due times on ``clock``
    (a second at least between ticks) until ``until``, stopped."""
    db = SqliteDatabase.open(db_path)
    async with aiohttp.ClientSession() as session:
        poller = GraphPoller(config, pages, db, sink, clock, session)
        await poller.start()
        while clock.now() < until:
            await poller.tick(clock.now())
            nd = poller.next_due()
            assert nd is not None
            clock.set(max(nd, clock.now() + timedelta(seconds=1)))
        await poller.stop()
    await db.close()
    return poller
