"""The rule engine's state as data: a snapshot to persist and restore, and an undo of what a failed batch changed.

A mixin of ``RuleEngine``. ``snapshot``/``restore`` carry everything learned and pending (the detectors' state,
the alerts, the ended alerts that still inhibit, what was learned about each page) across a restart or a reload.

``begin``/``commit``/``rollback``: the daemon's worker runs a batch of events (or a tick's timers) between ``begin``
and ``commit``; if the batch fails (a store error while an alert opens its incident), ``rollback`` puts every page
it changed back as it was at ``begin``, so the batch runs again from the state before it and its alerts fire again.
The state is page by page (a detector's key, an alert, an ended alert and the knowledge each name one page; an
event or a timer changes its own page's only), so ``begin`` copies nothing: each page is copied, as JSON, just before
the first change to it (``_keep``). A live batch touches one page or a few: under a millisecond each, where a full
snapshot of a 200-page engine takes about 100 ms (``bench/worker_undo.py``).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import orjson
import structlog

from sentinel.detectors.base import Detector
from sentinel.enrich import PageKnowledge
from sentinel.metrics import ALERTS_FIRING
from sentinel.rules.alerts import AlertState, Phase
from sentinel.rules.ruleset import CompiledRule, PageRule

log = structlog.get_logger("sentinel.rules")

SNAPSHOT_VERSION = 1

StateKey = tuple[str, str]  # (rule id, page)


class Persisted:
    _by_id: dict[str, CompiledRule]
    _states: dict[StateKey, Any]
    _alerts: dict[str, AlertState]
    _ended: dict[str, tuple[dict[str, str], datetime]]
    _knowledge: dict[str, PageKnowledge]
    _learning: Any
    _page_ctx: dict[str, Any]
    _timers: list[tuple[float, str, int, str, Any, datetime]]
    _scheduled: dict[Any, float]
    # page -> the keys of its detectors' states, in the order they were made (``_keep`` reads a page's only)
    _page_keys: dict[str, dict[StateKey, None]]
    _undo: dict[str, bytes] | None  # recording (``begin``): each page changed since, as it was then
    _unknown: set[str]  # the pages not in the config that the rules evaluate (``RuleEngine._admitted``)
    _admit: Callable[[str], bool]

    _schedule_detector: Callable[[CompiledRule, PageRule, str], None]
    _schedule_alert: Callable[[AlertState], None]

    # -- snapshot ---------------------------------------------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        """Everything learned and pending, as JSON-able data (see ``restore``)."""
        return {
            "version": SNAPSHOT_VERSION,
            "detectors": [d for key, state in self._states.items() if (d := self._detector_json(key, state))],
            "alerts": [a.to_json() for a in self._alerts.values()],
            "ended": [{"fingerprint": f, "labels": lb, "at": end.isoformat()} for f, (lb, end) in self._ended.items()],
            "knowledge": {p: k.to_json() for p, k in self._knowledge.items()},
        }

    def restore(self, data: Mapping[str, Any]) -> None:
        """Restore a snapshot: the engine's state becomes the snapshot's (rules may have changed: unknown rules and
        changed detector types are dropped)."""
        if data.get("version") != SNAPSHOT_VERSION:
            log.warning("rules.snapshot_ignored", version=data.get("version"))
            return
        self._forget(set(self._page_keys) | set(self._knowledge) | {a.page for a in self._alerts.values()})
        self._ended.clear()
        self._page_ctx.clear()
        self._unknown.clear()
        self._load(data)

    def _detector_json(self, key: StateKey, state: Any) -> dict[str, Any] | None:
        rule = self._by_id.get(key[0])
        if rule is None:
            return None
        det: Detector[Any] | None = rule.for_page(key[1]).detector
        if det is None:
            return None
        return {"rule": key[0], "page": key[1], "type": det.type_name, "state": det.to_json(state)}

    def _load(self, data: Mapping[str, Any]) -> None:
        """Add the state in ``data`` (a snapshot, or a part of one) to what the engine holds, timers armed."""
        for page, k in data.get("knowledge", {}).items():
            if self._admit(page):  # (a snapshot of a flood of unknown pages keeps the first few)
                self._knowledge[page] = PageKnowledge.from_json(k, self._learning)
        for d in data.get("detectors", []):
            rule = self._by_id.get(d["rule"])
            page = d["page"]
            if rule is None or not self._admit(page):
                continue
            prule = rule.for_page(page)
            if prule.detector is None or prule.detector.type_name != d.get("type"):
                continue
            try:
                self._states[(rule.id, page)] = prule.detector.from_json(d["state"])
            except (KeyError, TypeError, ValueError) as exc:
                log.warning("rules.state_dropped", rule=rule.id, page=page, error=str(exc))
                continue
            self._page_keys.setdefault(page, {})[(rule.id, page)] = None
            self._schedule_detector(rule, prule, page)
        for d in data.get("ended", []):  # absent from snapshots before the inhibit aftermath: nothing ended
            self._ended[d["fingerprint"]] = (dict(d["labels"]), datetime.fromisoformat(d["at"]))
        for ad in data.get("alerts", []):
            a = AlertState.from_json(ad)
            if a.rule in self._by_id:
                self._alerts[a.fingerprint] = a
                if a.phase == Phase.FIRING and a.notified:
                    ALERTS_FIRING.labels(self._by_id[a.rule].category.value, a.severity.value).inc()
                self._schedule_alert(a)

    def _forget(self, pages: set[str]) -> None:
        """Drop everything the engine holds of ``pages``: states, alerts (out of the firing gauge), ended alerts,
        knowledge, plans and timers."""
        if not pages:
            return
        for a in [a for a in self._alerts.values() if a.page in pages]:
            if a.phase == Phase.FIRING and a.notified and a.rule in self._by_id:
                ALERTS_FIRING.labels(self._by_id[a.rule].category.value, a.severity.value).dec()
            del self._alerts[a.fingerprint]
        for page in pages:
            for key in self._page_keys.pop(page, {}):
                self._states.pop(key, None)
            self._knowledge.pop(page, None)
            self._page_ctx.pop(page, None)  # its plans hold its states
        for fp in [fp for fp, (labels, _) in self._ended.items() if labels.get("page") in pages]:
            del self._ended[fp]
        kept = []
        for entry in self._timers:  # every armed key has its entry in the heap, under its page
            if entry[1] in pages:
                self._scheduled.pop(entry[4], None)
            else:
                kept.append(entry)
        heapq.heapify(kept)
        self._timers = kept

    # -- undo -------------------------------------------------------------------------------------------------------
    def begin(self) -> None:
        """Record from now: each page is kept as it is before its first change, until ``commit`` or ``rollback``."""
        self._undo = {}

    def commit(self) -> bool:
        """What changed since ``begin`` stands; returns whether anything did."""
        changed, self._undo = bool(self._undo), None
        return changed

    def rollback(self) -> None:
        """Every page changed since ``begin`` is again as it was then (its alerts, timers and the firing gauge
        too); the other pages are as they are."""
        undo, self._undo = self._undo, None
        if not undo:
            return
        self._forget(set(undo))
        for part in undo.values():
            self._load(orjson.loads(part))

    def _keep(self, page: str) -> None:
        """Recording and ``page`` not kept yet: keep it as it is now (as JSON: a detector's ``to_json`` may hand
        out its live lists)."""
        assert self._undo is not None
        know = self._knowledge.get(page)
        part = {
            "detectors": [
                d for key in self._page_keys.get(page, {}) if (d := self._detector_json(key, self._states[key]))
            ],
            "alerts": [a.to_json() for a in self._alerts.values() if a.page == page],
            "ended": [
                {"fingerprint": f, "labels": lb, "at": end.isoformat()}
                for f, (lb, end) in self._ended.items()
                if lb.get("page") == page
            ],
            "knowledge": {} if know is None else {page: know.to_json()},
        }
        self._undo[page] = orjson.dumps(part)
