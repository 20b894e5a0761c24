"""A small Graph API client: GET, batch, error envelopes, usage headers.

Every call (each inner request of a batch too) is counted; the usage headers
Meta returns feed a ``Budget`` that the poller asks before calling.

Two rules keep the tokens in: an error's text never holds a token (Meta echoes
a malformed one: "Malformed access token EAA..."), and a token is sent only to
the configured ``base_url``'s scheme, host and port, whatever URL an answer names.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import quote, urlsplit

import aiohttp
import orjson
import structlog

from sentinel.answers import read_bounded
from sentinel.clock import Clock
from sentinel.errors import SourceError
from sentinel.events import nesting
from sentinel.metrics import SOURCE_API_USAGE, SOURCE_CALLS, SOURCE_ERRORS
from sentinel.sources.graph_config import SourcesConfig

SOURCE = "graph"
THROTTLE_CODES = frozenset({4, 17, 32, 613, 80001, 80002, 80004, 80005, 80006, 80008})
AUTH_CODES = frozenset({190, 102})
PERMISSION_CODES = frozenset({10, *range(200, 300)})
FOREIGN_URL = "foreign_url"  # the ``code`` label of SOURCE_ERRORS for a URL an answer named on another host

REDACTED = "[token]"
# the longest Graph answer read: a batch of 50 reads of 100 items each is a few MiB; beyond this it is not Graph
ANSWER_LIMIT = 32 * 1024 * 1024
MIN_SECRET = 8  # a configured secret shorter than this is not searched for (it would cut up ordinary words)
# a credential in a URL's query, whatever its value; and the shape of a Meta access token anywhere
_CREDENTIAL_IN_QUERY = re.compile(r"(?i)\b(access_token|input_token|client_secret|appsecret_proof)=[^&\s\"'<>#]+")
_TOKEN_SHAPE = re.compile(r"\bEAA[A-Za-z0-9]{20,}")

log = structlog.get_logger("sentinel.sources.graph")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every secret in ``secrets`` (also URL-encoded), every credential in a URL query and every
    string shaped like a Meta access token replaced by ``[token]``."""
    for s in sorted({s for s in secrets if len(s) >= MIN_SECRET}, key=len, reverse=True):
        text = text.replace(s, REDACTED)
        if (q := quote(s, safe="")) != s:
            text = text.replace(q, REDACTED)
    text = _CREDENTIAL_IN_QUERY.sub(lambda m: f"{m.group(1)}={REDACTED}", text)
    return _TOKEN_SHAPE.sub(REDACTED, text)


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = -1
    return scheme, (parts.hostname or ""), port if port is not None else {"http": 80, "https": 443}.get(scheme)


class ForeignUrl(SourceError):
    """An answer named a URL that is not on the configured ``base_url`` (scheme, host and port): not called."""

    def __init__(self, url: str) -> None:
        scheme, host, port = _origin(url)
        self.where = f"{scheme}://{host}:{port}{urlsplit(url).path}"  # no query: it may carry a token
        super().__init__(f"not following a URL on another host: {self.where}")


# the longest a usage header can stop a page's calls (its usage is counted over an hour); a header asking for more
# (``estimated_time_to_regain_access`` 10**12 minutes) is a wrong answer, not a reason to stop reading the page
MAX_PAUSE_MINUTES = 60.0


class ErrorKind(StrEnum):
    AUTH = "auth"
    MISSING = "missing"  # 100/33: deleted or unknown id
    PERMISSION = "permission"
    THROTTLED = "throttled"
    TRANSIENT = "transient"
    OTHER = "other"


class GraphError(SourceError):
    """An error envelope (or a transport failure, code 0) from the Graph API. Its ``message`` goes on into
    events, alerts, notifications and logs, so it is redacted here, where every Graph error is made: ``secrets``
    (the client's tokens and app secret), credentials in URL queries and token-shaped strings become ``[token]``."""

    def __init__(
        self,
        code: int,
        message: str,
        *,
        subcode: int | None = None,
        transient: bool = False,
        status: int = 0,
        retry_after: float | None = None,
        secrets: Collection[str] = (),
    ) -> None:
        message = redact(message, secrets)
        self.code = code
        self.subcode = subcode
        self.message = message
        self.transient = transient
        self.status = status
        self.retry_after = retry_after
        super().__init__(f"Graph API error {code}" + (f"/{subcode}" if subcode else "") + f": {message}")

    @property
    def kind(self) -> ErrorKind:
        if self.code in AUTH_CODES:
            return ErrorKind.AUTH
        if self.code == 100 and self.subcode == 33:
            return ErrorKind.MISSING
        if self.code in THROTTLE_CODES:
            return ErrorKind.THROTTLED
        if self.code in PERMISSION_CODES:
            return ErrorKind.PERMISSION
        if self.transient or self.code in (0, 1, 2):
            return ErrorKind.TRANSIENT
        return ErrorKind.OTHER

    @classmethod
    def from_body(cls, body: Any, status: int, secrets: Collection[str] = ()) -> GraphError:
        err = body.get("error") if isinstance(body, dict) else None
        if not isinstance(err, dict):
            return cls(0, f"HTTP {status} without an error envelope", status=status, transient=status >= 500)
        code = err.get("code")
        sub = err.get("error_subcode")
        return cls(
            code if isinstance(code, int) else 0,
            str(err.get("message") or ""),
            subcode=sub if isinstance(sub, int) else None,
            transient=err.get("is_transient") is True,
            status=status,
            secrets=secrets,
        )


def _loads(text: str | bytes | None) -> Any:
    if not text:
        return None
    try:
        return nesting.loads(text)  # (an answer nesting deeper than the Graph API's go is read as no JSON)
    except ValueError:
        return None


@dataclass(slots=True)
class Budget:
    """What the usage headers said: percent used, and who must wait until when."""

    clock: Clock
    slow_at: int
    stop_at: int
    app_usage: float = 0.0
    usage: dict[str, float] = field(default_factory=dict)  # business/page id -> percent
    paused_until: dict[str, datetime] = field(default_factory=dict)  # "" = the whole app
    top: float = 0.0  # the highest of ``usage``, kept as it changes: one answer must not cost a pass over every page

    def observe(self, headers: Mapping[str, str], key: str = "") -> None:
        """Read the usage headers of an answer to a request made for ``key`` (a page id)."""
        now = self.clock.now()
        for name in ("X-App-Usage", "X-Page-Usage", "X-Ad-Account-Usage"):
            data = _loads(headers.get(name))
            if isinstance(data, dict):
                pct = _max_pct(data)
                self.app_usage = pct if name == "X-App-Usage" else max(self.app_usage, pct)
                if pct >= self.stop_at:
                    self._pause("", now + timedelta(minutes=5))
        buc = _loads(headers.get("X-Business-Use-Case-Usage"))
        if isinstance(buc, dict):
            for name, entries in buc.items():
                if not isinstance(entries, list):
                    continue
                pct, regain = 0.0, 0.0
                for e in entries:
                    if isinstance(e, dict):
                        pct = max(pct, _max_pct(e))
                        r = e.get("estimated_time_to_regain_access")
                        regain = max(regain, float(r) if isinstance(r, int | float) else 0.0)
                regain = min(regain, MAX_PAUSE_MINUTES)
                # the header may name the business rather than the page: apply it to both
                for k in {str(name), key} - {""}:
                    self._set_usage(k, max(pct, self.usage.get(k, 0.0)) if k != str(name) else pct)
                    if regain > 0:
                        self._pause(k, now + timedelta(minutes=regain))
                    elif pct >= self.stop_at:
                        self._pause(k, now + timedelta(minutes=5))
        SOURCE_API_USAGE.labels(SOURCE).set(self.highest())

    def _set_usage(self, key: str, pct: float) -> None:
        old = self.usage.get(key, 0.0)
        self.usage[key] = pct
        if pct >= self.top:
            self.top = pct
        elif old >= self.top:  # the highest came down: look again
            self.top = max(self.usage.values())

    def _pause(self, key: str, until: datetime) -> None:
        before = self.paused_until.get(key)
        if before is None or until > before:
            self.paused_until[key] = until
            if before is None or before <= self.clock.now():  # a new pause: every read it holds back waits
                log.warning("graph.usage_paused", scope=key or "app", until=until.isoformat(), usage=self.highest())

    def throttled(self, key: str, retry_after: float | None) -> datetime:
        until = self.clock.now() + timedelta(seconds=retry_after if retry_after else 300)
        self._pause(key, until)
        return self.paused_until[key]

    def blocked_until(self, key: str) -> datetime | None:
        now = self.clock.now()
        times = [t for k in ("", key) if (t := self.paused_until.get(k)) is not None and t > now]
        return max(times) if times else None

    def highest(self, key: str | None = None) -> float:
        return float(max(self.app_usage, self.top if key is None else self.usage.get(key, 0.0)))

    def slow_factor(self, key: str) -> float:
        """1.0 below ``slow_at``; rises to 4.0 as usage reaches ``stop_at``."""
        pct = max(self.app_usage, self.usage.get(key, 0.0))
        if pct < self.slow_at:
            return 1.0
        span = max(1.0, float(self.stop_at - self.slow_at))
        return 1.0 + 3.0 * min(1.0, (pct - self.slow_at) / span)


def _max_pct(d: Mapping[str, Any]) -> float:
    """The highest percentage a usage header names, read as a percentage: between 0 and 100 (1e308 or NaN is no
    usage anyone had; NaN counts as none, the rest as its nearest bound)."""
    vals = [float(d[k]) for k in ("call_count", "total_time", "total_cputime") if isinstance(d.get(k), int | float)]
    return max((min(100.0, max(0.0, v)) for v in vals if v == v), default=0.0)


@dataclass(frozen=True, slots=True)
class BatchItem:
    relative_url: str
    method: str = "GET"


class GraphClient:
    """Speaks to ``{base_url}/{version}``; counts calls; feeds the budget. ``secrets`` are the tokens it may be
    handed (the pages' tokens): no error it makes holds one, nor the token of the call, nor the app secret."""

    def __init__(
        self, config: SourcesConfig, session: aiohttp.ClientSession, clock: Clock, *, secrets: Iterable[str] = ()
    ) -> None:
        self.config = config
        self.session = session
        self.clock = clock
        own = (s.reveal() for s in (config.app_secret, config.verify_token) if s is not None)
        self.secrets = frozenset({*secrets, *own})
        self._origin = _origin(config.base_url)
        self._foreign_seen: set[tuple[str, str]] = set()  # (key, origin) warned about
        self.budget = Budget(clock, config.budget.slow_at, config.budget.stop_at)
        self.calls = 0
        self.calls_by_key: dict[str, int] = {}

    def _count(self, key: str, n: int) -> None:
        self.calls += n
        self.calls_by_key[key] = self.calls_by_key.get(key, 0) + n
        SOURCE_CALLS.labels(SOURCE).inc(n)

    def redact(self, text: str, token: str = "") -> str:
        """``text`` without this client's secrets (and ``token``): for anything else that may hold a URL."""
        return redact(text, {*self.secrets, token})

    async def get(self, path: str, params: Mapping[str, str], token: str, *, key: str = "") -> Any:
        """GET ``path`` under the API root, or an absolute URL an answer named (a ``paging.next``): only one on
        the ``base_url``'s scheme, host and port, else ``ForeignUrl`` is raised and nothing is sent."""
        parts = urlsplit(path)
        if parts.scheme or parts.netloc:
            if _origin(path) != self._origin:
                raise self._foreign(path, key)
            url = path
        else:
            url = f"{self.config.api_root}/{path.lstrip('/')}"
        query = dict(params)
        if "access_token=" not in url:
            query["access_token"] = token
        self._count(key, 1)
        return await self._request("GET", url, query, None, key, token)

    def _foreign(self, url: str, key: str) -> ForeignUrl:
        """Counted as a read error each time; warned about once per page and host."""
        err = ForeignUrl(url)
        SOURCE_ERRORS.labels(SOURCE, FOREIGN_URL).inc()
        scheme, host, port = _origin(url)
        if (key, f"{scheme}://{host}:{port}") not in self._foreign_seen:
            self._foreign_seen.add((key, f"{scheme}://{host}:{port}"))
            log.warning("graph.foreign_url_refused", page_id=key, url=err.where, base_url=self.config.base_url)
        return err

    async def batch(self, items: Sequence[BatchItem], token: str, *, key: str = "") -> list[Any | GraphError]:
        """One HTTP request carrying up to 50 inner requests; each counts as a call."""
        out: list[Any | GraphError] = []
        for start in range(0, len(items), 50):
            chunk = items[start : start + 50]
            self._count(key, len(chunk))
            spec = [{"method": i.method, "relative_url": i.relative_url} for i in chunk]
            form = {"access_token": token, "batch": orjson.dumps(spec).decode(), "include_headers": "true"}
            answers = await self._request("POST", f"{self.config.api_root}/", None, form, key, token)
            if not isinstance(answers, list) or len(answers) != len(chunk):
                raise GraphError(0, "batch answer has the wrong shape", transient=True)
            for a in answers:
                out.append(self._inner(a, key, token))
        return out

    def _inner(self, answer: Any, key: str, token: str) -> Any | GraphError:
        if not isinstance(answer, dict):
            return GraphError(1, "batch request timed out", transient=True)
        hdrs = {str(h.get("name")): str(h.get("value")) for h in answer.get("headers") or [] if isinstance(h, dict)}
        self.budget.observe(hdrs, key)
        body = _loads(answer.get("body"))
        code = answer.get("code")
        if code == 200 and body is not None:
            return body
        err = GraphError.from_body(body, code if isinstance(code, int) else 0, {*self.secrets, token})
        self.note_error(err, key)
        return err

    async def _request(
        self,
        method: str,
        url: str,
        query: Mapping[str, str] | None,
        form: Mapping[str, str] | None,
        key: str,
        token: str,
    ) -> Any:
        timeout = aiohttp.ClientTimeout(total=self.config.request_timeout.total_seconds())
        try:
            async with self.session.request(method, url, params=query, data=form, timeout=timeout) as resp:
                raw, cut = await read_bounded(resp, ANSWER_LIMIT)
                self.budget.observe(resp.headers, key)
                status = resp.status
        except (aiohttp.ClientError, TimeoutError) as e:
            err = GraphError(0, f"transport: {type(e).__name__}", transient=True)
            self.note_error(err, key)
            raise err from None
        if cut:  # not read on: a peer that streams without end must not fill the daemon's memory
            err = GraphError(0, f"answer (HTTP {status}) longer than {ANSWER_LIMIT >> 20} MiB", transient=True)
            self.note_error(err, key)
            raise err
        body = _loads(raw)
        if status == 200 and body is not None:
            return body
        err = GraphError.from_body(body, status, {*self.secrets, token})
        self.note_error(err, key)
        raise err

    def note_error(self, err: GraphError, key: str) -> None:
        """Count an error (the client's own, or an answer its caller could not use) and, when throttled, say when
        to retry."""
        SOURCE_ERRORS.labels(SOURCE, str(err.code)).inc()
        if err.kind is ErrorKind.THROTTLED:
            until = self.budget.blocked_until(key)
            if until is None:
                until = self.budget.throttled(key, None)
            err.retry_after = (until - self.clock.now()).total_seconds()
