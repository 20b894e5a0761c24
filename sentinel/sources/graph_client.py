"""A small Graph API client: GET, batch, error envelopes, usage headers.

Every call (each inner request of a batch too) is counted; the usage headers
Meta returns feed a ``Budget`` that the poller asks before calling.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import aiohttp
import orjson

from sentinel.clock import Clock
from sentinel.errors import SourceError
from sentinel.metrics import SOURCE_API_USAGE, SOURCE_CALLS, SOURCE_ERRORS
from sentinel.sources.graph_config import SourcesConfig

SOURCE = "graph"
THROTTLE_CODES = frozenset({4, 17, 32, 613, 80001, 80002, 80004, 80005, 80006, 80008})
AUTH_CODES = frozenset({190, 102})
PERMISSION_CODES = frozenset({10, *range(200, 300)})
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
    """An error envelope (or a transport failure, code 0) from the Graph API."""

    def __init__(
        self,
        code: int,
        message: str,
        *,
        subcode: int | None = None,
        transient: bool = False,
        status: int = 0,
        retry_after: float | None = None,
    ) -> None:
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
    def from_body(cls, body: Any, status: int) -> GraphError:
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
        )


def _loads(text: str | bytes | None) -> Any:
    if not text:
        return None
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
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
        if until > self.paused_until.get(key, until - timedelta(seconds=1)):
            self.paused_until[key] = until

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
    vals = [float(d[k]) for k in ("call_count", "total_time", "total_cputime") if isinstance(d.get(k), int | float)]
    return max(vals, default=0.0)


@dataclass(frozen=True, slots=True)
class BatchItem:
    relative_url: str
    method: str = "GET"


class GraphClient:
    """Speaks to ``{base_url}/{version}``; counts calls; feeds the budget."""

    def __init__(self, config: SourcesConfig, session: aiohttp.ClientSession, clock: Clock) -> None:
        self.config = config
        self.session = session
        self.clock = clock
        self.budget = Budget(clock, config.budget.slow_at, config.budget.stop_at)
        self.calls = 0
        self.calls_by_key: dict[str, int] = {}

    def _count(self, key: str, n: int) -> None:
        self.calls += n
        self.calls_by_key[key] = self.calls_by_key.get(key, 0) + n
        SOURCE_CALLS.labels(SOURCE).inc(n)

    async def get(self, path: str, params: Mapping[str, str], token: str, *, key: str = "") -> Any:
        url = path if path.startswith("http") else f"{self.config.api_root}/{path.lstrip('/')}"
        query = dict(params)
        if "access_token=" not in url:
            query["access_token"] = token
        self._count(key, 1)
        return await self._request("GET", url, query, None, key)

    async def batch(self, items: Sequence[BatchItem], token: str, *, key: str = "") -> list[Any | GraphError]:
        """One HTTP request carrying up to 50 inner requests; each counts as a call."""
        out: list[Any | GraphError] = []
        for start in range(0, len(items), 50):
            chunk = items[start : start + 50]
            self._count(key, len(chunk))
            spec = [{"method": i.method, "relative_url": i.relative_url} for i in chunk]
            form = {"access_token": token, "batch": orjson.dumps(spec).decode(), "include_headers": "true"}
            answers = await self._request("POST", f"{self.config.api_root}/", None, form, key)
            if not isinstance(answers, list) or len(answers) != len(chunk):
                raise GraphError(0, "batch answer has the wrong shape", transient=True)
            for a in answers:
                out.append(self._inner(a, key))
        return out

    def _inner(self, answer: Any, key: str) -> Any | GraphError:
        if not isinstance(answer, dict):
            return GraphError(1, "batch request timed out", transient=True)
        hdrs = {str(h.get("name")): str(h.get("value")) for h in answer.get("headers") or [] if isinstance(h, dict)}
        self.budget.observe(hdrs, key)
        body = _loads(answer.get("body"))
        code = answer.get("code")
        if code == 200 and body is not None:
            return body
        err = GraphError.from_body(body, code if isinstance(code, int) else 0)
        self.note_error(err, key)
        return err

    async def _request(
        self, method: str, url: str, query: Mapping[str, str] | None, form: Mapping[str, str] | None, key: str
    ) -> Any:
        timeout = aiohttp.ClientTimeout(total=self.config.request_timeout.total_seconds())
        try:
            async with self.session.request(method, url, params=query, data=form, timeout=timeout) as resp:
                raw = await resp.read()
                self.budget.observe(resp.headers, key)
                status = resp.status
        except (aiohttp.ClientError, TimeoutError) as e:
            err = GraphError(0, f"transport: {type(e).__name__}", transient=True)
            self.note_error(err, key)
            raise err from None
        body = _loads(raw)
        if status == 200 and body is not None:
            return body
        err = GraphError.from_body(body, status)
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
