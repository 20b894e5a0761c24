"""``change``: a page setting changed to a value it did not have.

Params: ``field`` (CEL, default ``object.field``), ``value`` (CEL, default
``object.new``), ``fields`` (only these settings; default all), ``within``
(duration, optional) and ``key`` (CEL, optional; only with ``within``). The
last value of each setting is remembered, so the same value reported twice is
one change, and setting it back is another. A value longer than ``MAX_KEPT``
characters is remembered, and shown, as its first ``MAX_KEPT`` characters and
a digest of the whole (two values differing past the prefix still differ): the
state is written after every batch, and an event's free text is not bounded.

Without ``within`` each setting is its own finding (labelled ``field``). With
it, the changes made within ``within`` of the first of them (by the same
``key``, say the same admin) are one finding, labelled ``since`` (the first
change's time, UTC) and ``key``: a rebrand that renames the page and changes
its username and website in two minutes is one alert listing the three
(``values.fields``, ``values.changes``), not three. Each change signals again,
so a later change in the span that the rule finds worse (``severity_when`` on
the event) raises the alert's severity, and it fires again; one after the span
starts a new finding.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sentinel.config.types import Duration
from sentinel.detectors.base import Signal
from sentinel.detectors.common import Compile, ParamError, Params, compile_param, key_value, parse_params
from sentinel.enrich import Enriched
from sentinel.events.codec import parse_time

MAX_KEPT = 512  # characters of a setting's value kept (a page's name, about text or website is shorter)
MAX_SPANS = 100  # open spans (one per key) kept; the oldest is dropped first
MAX_FIELDS = 20  # settings listed in one span; more are counted, not listed
MAX_EVIDENCE = 50  # event ids kept for one span


def kept(value: str) -> str:
    """``value`` as remembered: itself, or its first ``MAX_KEPT`` characters and a digest of the whole."""
    if len(value) <= MAX_KEPT:
        return value
    return f"{value[:MAX_KEPT]}… (#{hashlib.sha256(value.encode('utf-8', 'replace')).hexdigest()[:12]})"


class ChangeParams(Params):
    field: str = "object.field"
    value: str = "object.new"
    fields: list[str] | None = None
    within: Duration | None = None
    key: str | None = None


@dataclass(slots=True)
class Span:
    """The changes of one key since ``start``: setting -> [its value before the span, its value now]."""

    start: datetime
    changes: dict[str, list[str]] = field(default_factory=dict)
    more: int = 0  # settings changed past ``MAX_FIELDS``
    evidence: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ChangeState:
    last: dict[str, str] = field(default_factory=dict)
    spans: dict[str, Span] = field(default_factory=dict)  # key -> its open span (``within`` only)


def _since(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class ChangeDetector:
    type_name = "change"
    pulse = True

    def __init__(self, params: ChangeParams, compile: Compile) -> None:
        f = compile_param(compile, "field", params.field)
        v = compile_param(compile, "value", params.value)
        assert f is not None and v is not None
        self.field, self.value = f, v
        self.fields = frozenset(params.fields) if params.fields is not None else None
        if params.within is not None and params.within <= timedelta(0):
            raise ParamError("within", "must be longer than 0s")
        if params.key is not None and params.within is None:
            raise ParamError("key", "groups the changes of a span: give within too")
        self.within: timedelta | None = params.within
        self.key = compile_param(compile, "key", params.key)

    def new_state(self) -> ChangeState:
        return ChangeState()

    def observe(self, state: ChangeState, event: Enriched, now: datetime) -> list[Signal]:
        name = self.field.eval(event)
        if name is None or (self.fields is not None and str(name) not in self.fields):
            return []
        name = kept(str(name))
        raw = self.value.eval(event)
        new = "" if raw is None else kept(str(raw))
        old = state.last.get(name)
        if old is None:
            prev = event.event.object.get("old")
            old = None if prev is None else kept(str(prev))
        state.last[name] = new
        if old == new:
            return []
        if self.within is None:
            return [
                Signal(
                    labels={"field": name},
                    active=True,
                    at=event.time,
                    values={"field": name, "old": old or "", "new": new},
                    evidence=(event.event.id,),
                )
            ]
        return [self._in_span(state, event, name, old or "", new)]

    def _in_span(self, state: ChangeState, event: Enriched, name: str, old: str, new: str) -> Signal:
        """The change joins its key's open span, or opens one; the span's finding so far."""
        assert self.within is not None
        t: datetime = event.time
        k = key_value(self.key, event)
        for gone in [g for g, s in state.spans.items() if s.start + self.within < t]:
            del state.spans[gone]
        span = state.spans.get(k)
        if span is None:
            while len(state.spans) >= MAX_SPANS:
                del state.spans[min(state.spans, key=lambda g: state.spans[g].start)]
            span = state.spans[k] = Span(start=t)
        if name in span.changes:
            span.changes[name][1] = new
        elif len(span.changes) < MAX_FIELDS:
            span.changes[name] = [old, new]
        else:
            span.more += 1
        if len(span.evidence) < MAX_EVIDENCE:
            span.evidence.append(event.event.id)
        fields = list(span.changes)
        listed = [f"{f} '{o}' → '{n}'" for f, (o, n) in span.changes.items()]
        if span.more:
            listed.append(f"+{span.more}")
        labels = {"since": _since(span.start)}
        if k:
            labels["key"] = k
        return Signal(
            labels=labels,
            active=True,
            at=t,
            values={
                "field": ", ".join(fields),
                "fields": fields,
                "count": len(fields) + span.more,
                "changes": "; ".join(listed),
                "old": old,
                "new": new,
                "since": span.start.isoformat(),
            },
            evidence=tuple(span.evidence),
        )

    def advance(self, state: ChangeState, now: datetime) -> list[Signal]:
        return []

    def next_due(self, state: ChangeState) -> datetime | None:
        return None

    def to_json(self, state: ChangeState) -> Mapping[str, Any]:
        out: dict[str, Any] = {"last": dict(state.last)}
        if state.spans:
            out["spans"] = {
                k: {"start": s.start.isoformat(), "changes": s.changes, "more": s.more, "evidence": s.evidence}
                for k, s in state.spans.items()
            }
        return out

    def from_json(self, data: Mapping[str, Any]) -> ChangeState:
        spans = {
            str(k): Span(
                start=parse_time(s["start"]),
                changes={str(f): [str(v[0]), str(v[1])] for f, v in s.get("changes", {}).items()},
                more=int(s.get("more", 0)),
                evidence=[str(x) for x in s.get("evidence", [])],
            )
            for k, s in data.get("spans", {}).items()
        }
        return ChangeState(last=dict(data.get("last", {})), spans=spans)


def factory(params: Mapping[str, Any], compile: Compile) -> ChangeDetector:
    return ChangeDetector(parse_params(ChangeParams, params), compile)
