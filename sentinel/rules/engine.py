"""The rule engine: events and clock ticks in, alert transitions out.

``process(event, now)`` runs the rules indexed under the event's kind (and
the page's overrides), feeds their detectors, and turns the detectors'
signals into transitions of the alert state machine (``alerts.py``).
``advance(now)`` fires the timers (``for``, ``keep_firing_for``, absence,
SLA deadlines, window ends); ``next_due()`` says when the next one is.
Windows use event time; decisions are stamped with the time they were due.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from typing import Any

import structlog
from prometheus_client import Counter

from sentinel.conditions.expr import Expr
from sentinel.config.schema import PageConfig
from sentinel.detectors.base import QUIET, Detector, Signal
from sentinel.detectors.common import Gate
from sentinel.enrich import Enriched, PageKnowledge
from sentinel.enrich.knowledge import DEFAULT_LEARNING
from sentinel.enrich.threads import Threads
from sentinel.metrics import (
    ALERTS_FIRING,
    ALERTS_SUPPRESSED,
    EVENTS_UNEVALUATED,
    RULE_EVALUATION_SECONDS,
    RULE_EVALUATIONS,
)
from sentinel.model import LANGUAGES, AlertStatus, AlertTransition, Category, Event, Severity
from sentinel.rules import templates
from sentinel.rules.alerts import AlertState, Change, Phase, fingerprint, transition
from sentinel.rules.persist import Persisted, StateKey
from sentinel.rules.ruleset import CompiledRule, PageRule, RuleSet
from sentinel.rules.silences import Silence, Suppressor

log = structlog.get_logger("sentinel.rules")

_MAX_STEPS = 1_000_000
# pages not in the config the rules evaluate (with a page entry's defaults): each costs its own rule state and
# knowledge, kept and snapshotted; anyone who can send an event names its page (``pipeline.max_unknown_pages``)
MAX_UNKNOWN_PAGES = 200
_REARM = timedelta(seconds=1)  # how far past "now" a timer re-armed during advance() is pushed
# what an event of one kind on one page runs: for each rule, the rule, its page's version, ``when`` left to test
# per event, the RULE_EVALUATIONS counter, the detector specialised to the kind and page, the detector's gate
# (events for which it is false cannot change the detector's state), the rule's state key, and its state (made
# with the plan, so that an event need not look it up; its type is the detector's)
Step = tuple[CompiledRule, PageRule, Expr | None, Counter, Detector[Any], Gate | None, tuple[str, str], Any]
Plan = tuple[Step, ...]


# per page, the plans kept for kinds no rule names (a kind of one's own): enough for a platform's, bounded for a
# client that sends a new one with every event
_PLANS_KEPT = 64


class RuleEngine(Persisted):
    def __init__(
        self,
        rules: RuleSet,
        page_config: Callable[[str], PageConfig],
        *,
        silences: list[Silence] | None = None,
        learning_period: timedelta = DEFAULT_LEARNING,
        metrics: bool = True,
        configured: Collection[str] | None = None,
        max_unknown_pages: int = MAX_UNKNOWN_PAGES,
    ) -> None:
        """``metrics=False``: no per-event Prometheus counting (replay serves no /metrics; it costs about a
        tenth of the evaluation time). ``configured``: the page ids of the config (None: every page counts as
        configured); the events of pages not among them are evaluated for the first ``max_unknown_pages`` such
        pages only (``_admitted``)."""
        self.rules = rules
        self._page_source = page_config
        self._pages: dict[str, PageConfig] = {}
        self._by_id = {r.id: r for r in rules.rules}
        self._index = rules.kinds_index()
        self._wild = self._index.get("*", ())
        # page -> its config, its knowledge and the plan of each kind seen on it (``_make_plan``)
        self._page_ctx: dict[str, tuple[PageConfig, PageKnowledge, dict[str, Plan]]] = {}
        self._states: dict[StateKey, Any] = {}
        self._page_keys: dict[str, dict[StateKey, None]] = {}  # page -> its states' keys (``persist``)
        self._undo: dict[str, bytes] | None = None  # a batch under way: each page it changed, as it was before
        self._alerts: dict[str, AlertState] = {}
        # fingerprint -> labels and end of a notified alert that ended and can still inhibit (an inhibit aftermath)
        self._ended: dict[str, tuple[dict[str, str], datetime]] = {}
        self._knowledge: dict[str, PageKnowledge] = {}
        self._learning = learning_period
        # A heap of (due in epoch seconds, page, seq, what, key, due): ties at one instant run page by page, each
        # page's timers in the order they were armed. Ordered by the float: comparing two aware datetimes of
        # different tzinfo objects costs ~300 ns (each asks its offset), and a heap of thousands of timers compares
        # a dozen times per push and pop; timestamps keep the order of the instants. Entries whose key has moved on
        # (``_scheduled`` holds each key's live due) are dropped when they come up.
        self._timers: list[tuple[float, str, int, str, Any, datetime]] = []
        self._floor: datetime | None = None
        self._scheduled: dict[Any, float] = {}  # key -> the due (epoch seconds) of its live heap entry
        self._seq = itertools.count()
        self.suppressor = Suppressor(silences=list(silences or []))
        self._evaluations: dict[Category, Counter] = {}  # category -> its RULE_EVALUATIONS child (labels() is slow)
        self._metrics = metrics
        self._configured = None if configured is None else frozenset(configured)
        self._max_unknown = max_unknown_pages
        self._unknown: set[str] = set()  # the pages not in the config that the rules evaluate
        self._unevaluated_warned = False

    # -- public API -------------------------------------------------------------
    def process(self, event: Event, now: datetime) -> list[AlertTransition]:
        """Evaluate ``event``; timers due up to ``now`` run first."""
        out = self.advance(now) if self._timers and self._timers[0][0] <= now.timestamp() else []
        if not self._metrics:
            return out + self._evaluate(event, now, None)
        evaluated: dict[Counter, int] = {}  # RULE_EVALUATIONS child -> count (keyed by the child: enum hashing is slow)
        with RULE_EVALUATION_SECONDS.time():
            out += self._evaluate(event, now, evaluated)
            for counter, n in evaluated.items():
                counter.inc(n)
        return out

    def _evaluate(self, event: Event, now: datetime, evaluated: dict[Counter, int] | None) -> list[AlertTransition]:
        """Run the rules planned for the event's page and kind; ``evaluated`` counts them per RULE_EVALUATIONS
        child (None: no metrics)."""
        out: list[AlertTransition] = []
        page = event.page
        if self._undo is not None and page not in self._undo:
            self._keep(page)
        ctx = self._page_ctx.get(page)
        if ctx is None:
            if not self._admitted(page):
                return out
            know = self._knowledge.get(page)
            if know is None:
                know = self._knowledge[page] = PageKnowledge(learning_period=self._learning)
            ctx = self._page_ctx[page] = (self._page_config(page), know, {})
        cfg, know, plans = ctx
        plan = plans.get(event.kind)
        if plan is None:
            plan = self._make_plan(page, event.kind)
            if event.kind in self._index or len(plans) < _PLANS_KEPT:  # ever-new kinds of one's own: not each kept
                plans[event.kind] = plan
        e = Enriched(event, cfg, know)
        last_when: Expr | None = None
        passed = True
        for rule, prule, when, counter, detector, gate, key, state in plan:
            if when is not None:
                if when is not last_when:  # rules planned with the same condition share one Expr: test it once
                    last_when = when
                    passed = when.test(e)
                if not passed:
                    continue
            if prule.exceptions and any(x.applies(e) for x in prule.exceptions):
                continue
            if evaluated is not None:
                evaluated[counter] = evaluated.get(counter, 0) + 1
            if gate is not None and not gate.test(e):
                continue
            signals = detector.observe(state, e, now)
            if signals is QUIET:
                continue  # nothing to apply, and the armed timer (if any) is no later than the detector's due
            for sig in signals:
                out += self._apply(rule, prule, page, sig, e)
            self._push("det", key, page, detector.next_due(state))
        know.learn(e)
        return out

    def _admitted(self, page: str) -> bool:
        """Whether the rules evaluate ``page``: a configured page always; a page not in the config while fewer
        than ``max_unknown_pages`` such pages are evaluated (or it is one of them). The events of any more are
        stored and counted, but not evaluated (``sentinel_events_unevaluated_total``, one warning per run): a
        flood of made-up pages would otherwise grow the rule state without bound and slow every page's rules."""
        if self._admit(page):
            return True
        if self._metrics:
            EVENTS_UNEVALUATED.inc()
        if not self._unevaluated_warned:
            self._unevaluated_warned = True
            log.warning(
                "rules.unknown_pages_unevaluated",
                page=page[:200],
                evaluated=len(self._unknown),
                note="more pages not in pages: than pipeline.max_unknown_pages; their events are stored, not evaluated",
            )
        return False

    def _admit(self, page: str) -> bool:
        """``_admitted`` without counting or warning (a restored snapshot's pages)."""
        if self._configured is None or page in self._configured or page in self._unknown:
            return True
        if len(self._unknown) < self._max_unknown:
            self._unknown.add(page)
            return True
        return False

    def advance(self, now: datetime) -> list[AlertTransition]:
        out: list[AlertTransition] = []
        steps = 0
        self._floor = now  # a timer re-armed while advancing must move past now, or the loop never ends
        now_ts = now.timestamp()
        while self._timers and self._timers[0][0] <= now_ts and steps < _MAX_STEPS:
            steps += 1
            due_ts, owner, _, what, key, _ = heapq.heappop(self._timers)
            if self._scheduled.get(key) != due_ts:
                continue
            if self._undo is not None and owner not in self._undo:
                self._keep(owner)  # before the timer's page changes (its entry is out of the heap already)
            del self._scheduled[key]
            if what == "det":
                rule_id, page = key
                rule = self._by_id.get(rule_id)
                state = self._states.get(key)
                if rule is None or state is None:
                    continue
                prule = rule.for_page(page)
                real = prule.detector.next_due(state)
                real_ts = None if real is None else real.timestamp()
                if real_ts is not None and real_ts > due_ts:
                    # armed early (see ``_push``): the detector's deadline moved on since; wait for it
                    self._scheduled[key] = real_ts
                    heapq.heappush(self._timers, (real_ts, owner, next(self._seq), what, key, real))
                    continue
                for sig in prule.detector.advance(state, now):
                    out += self._apply(rule, prule, page, sig, None)
                self._schedule_detector(rule, prule, page)
            else:
                a = self._alerts.get(key)
                if a is not None:
                    out += self._tick_alert(a, now)
        self._floor = None
        out.sort(key=lambda t: t.time)
        return out

    def next_due(self) -> datetime | None:
        return None if self.next_due_ts() is None else self._timers[0][5]

    def next_due_ts(self) -> float | None:
        """``next_due()`` in epoch seconds (cheaper to compare with another time than an aware datetime)."""
        heap, scheduled = self._timers, self._scheduled
        while heap and scheduled.get(heap[0][4]) != heap[0][0]:
            heapq.heappop(heap)
        return heap[0][0] if heap else None

    def firing(self) -> list[AlertState]:
        return [a for a in self._alerts.values() if a.phase == Phase.FIRING]

    def knowledge(self, page: str) -> PageKnowledge | None:
        return self._knowledge.get(page)

    def threads(self, page: str) -> Threads:
        """The page's comment threads as the rules know them (the daemon's SLA metrics read the same)."""
        know = self._knowledge.get(page)
        if know is None:
            know = self._knowledge[page] = PageKnowledge(learning_period=self._learning)
        return know.threads

    def _page_config(self, page: str) -> PageConfig:
        """The page's config, asked once per page (its staffed-hours calendar is built once)."""
        cfg = self._pages.get(page)
        if cfg is None:
            cfg = self._pages[page] = self._page_source(page)
        return cfg

    # -- plan -----------------------------------------------------------------
    def _make_plan(self, page: str, kind: str) -> Plan:
        """The rules an event of ``kind`` on ``page`` runs, each with the ``when`` left to test per event
        (``None``: none, or one that depends on the kind and page only and holds for them), and its detector
        with its conditions specialised to the kind and page (see ``Expr.specialize``)."""
        out: list[Step] = []
        fixed = {"kind": kind, "page": page}
        conditions: dict[str, Expr] = {}  # one specialised Expr per condition text (``process`` tests it once)
        for rule in (*self._index.get(kind, ()), *self._wild):
            prule = rule.for_page(page)
            if prule.disabled or prule.detector is None:
                continue
            when = rule.when
            if when is not None:
                when = when.specialize(fixed)
                if when.const is False:
                    continue
                when = None if when.const is True else conditions.setdefault(when.text, when)
            counter = self._evaluations.get(rule.category)
            if counter is None:
                counter = self._evaluations[rule.category] = RULE_EVALUATIONS.labels(rule.category.value)
            specialize = getattr(prule.detector, "specialize", None)
            detector = specialize(fixed) if specialize is not None else prule.detector
            # a detector may say which of these events can change its state at all (its ``gate``)
            gate: Gate | None = getattr(detector, "gate", None)
            if gate is not None and gate.const is False:
                continue
            if gate is not None and gate.const is True:
                gate = None
            key = (rule.id, page)
            state = self._states.get(key)
            if state is None:
                state = self._states[key] = detector.new_state()
                self._page_keys.setdefault(page, {})[key] = None
            out.append((rule, prule, when, counter, detector, gate, key, state))
        return tuple(out)

    # -- timers ---------------------------------------------------------------
    def _push(self, what: str, key: Any, page: str, due: datetime | None) -> None:
        if due is None:
            self._scheduled.pop(key, None)
            return
        if self._floor is not None and due <= self._floor:
            due = self._floor + _REARM
        due_ts = due.timestamp()
        current = self._scheduled.get(key)
        if current is not None and (current == due_ts or (what == "det" and self._floor is None and current < due_ts)):
            # An earlier timer for this detector is armed already; when it comes due, ``advance`` asks the
            # detector again and re-arms for its real deadline (a silent-source timer moves with every event:
            # pushing each move would grow the heap by one entry per event).
            return
        self._scheduled[key] = due_ts
        heapq.heappush(self._timers, (due_ts, page, next(self._seq), what, key, due))

    def _schedule_detector(self, rule: CompiledRule, prule: PageRule, page: str) -> None:
        key = (rule.id, page)
        self._push("det", key, page, prule.detector.next_due(self._states[key]))

    def _schedule_alert(self, a: AlertState) -> None:
        rule = self._by_id[a.rule]
        prule = rule.for_page(a.page)
        self._push("alert", a.fingerprint, a.page, a.due(prule.for_, prule.keep_firing_for))
        if a.phase == Phase.INACTIVE:
            self._alerts.pop(a.fingerprint, None)

    # -- state machine ----------------------------------------------------------
    def _severity(
        self, rule: CompiledRule, prule: PageRule, sig: Signal, e: Enriched | None, current: Severity | None
    ) -> Severity:
        sev = prule.severity if current is None else current
        if e is not None:
            sev = prule.severity
            for expr, s in rule.severity_when:
                if expr.test(e):
                    sev = s
                    break
        if sig.severity is not None and sig.severity > sev:
            sev = sig.severity
        return sev

    def _apply(
        self, rule: CompiledRule, prule: PageRule, page: str, sig: Signal, e: Enriched | None
    ) -> list[AlertTransition]:
        labels = {str(k): str(v) for k, v in sig.labels.items()}
        fp = fingerprint(rule.id, page, labels)
        a = self._alerts.get(fp)
        if a is None:
            if not sig.active:
                return []
            a = self._alerts[fp] = AlertState(rule=rule.id, page=page, labels=labels, fingerprint=fp)
        out: list[AlertTransition] = []
        if sig.active:
            was = a.phase
            sev = self._severity(rule, prule, sig, e, a.severity if was != Phase.INACTIVE else None)
            changed = a.values != sig.values
            a.values = dict(sig.values)
            if e is not None:
                a.event = e.to_template()
            if was == Phase.INACTIVE:
                a.severity = sev
            change = transition(a, True, sig.at, prule.for_, prule.keep_firing_for)
            if change is not None:
                out += self._emit(rule, a, change[0], change[1])
            elif was == Phase.FIRING and sev > a.severity:
                a.severity = sev  # an escalation is announced as a new firing of the same alert
                out += self._emit(rule, a, Change.FIRED, sig.at)
            elif was == Phase.FIRING and changed:
                self._render(rule, a)  # a firing alert's new values (an SLA work list) show in its summary
            elif was == Phase.PENDING and sev > a.severity:
                a.severity = sev
            if rule.pulse:
                change = transition(a, False, sig.at, prule.for_, prule.keep_firing_for)
                if change is not None:
                    out += self._emit(rule, a, change[0], change[1])
        else:
            change = transition(a, False, sig.at, prule.for_, prule.keep_firing_for)
            if change is not None:
                out += self._emit(rule, a, change[0], change[1])
        self._schedule_alert(a)
        return out

    def _tick_alert(self, a: AlertState, now: datetime) -> list[AlertTransition]:
        rule = self._by_id.get(a.rule)
        if rule is None:
            self._alerts.pop(a.fingerprint, None)
            return []
        prule = rule.for_page(a.page)
        change = transition(a, None, now, prule.for_, prule.keep_firing_for)
        out = self._emit(rule, a, change[0], change[1]) if change is not None else []
        self._schedule_alert(a)
        return out

    def _render(self, rule: CompiledRule, a: AlertState) -> None:
        cfg = self._page_config(a.page)
        data: dict[str, Any] = {
            "labels": a.labels,
            "values": a.values,
            "event": a.event,
            "page": {"id": a.page, "name": cfg.display_name},
            "rule": {"id": rule.id, "description": rule.description},
        }
        rendered = {k: templates.render(v, data) for k, v in rule.labels.items()}
        a.labels_out = {**a.labels, **rendered}
        data["labels"] = a.labels_out
        lang = cfg.language
        a.annotations = {
            k: templates.render(templates.pick_language(v, lang), data, lang) for k, v in rule.annotations.items()
        }
        a.summary = a.annotations.get("summary") or rule.description or rule.id
        # the summary in every language the rule writes it in, for recipients who read another than the page's
        texts = rule.annotations.get("summary", {})
        a.summaries = {x: templates.render(texts[x], data, x) for x in LANGUAGES if x in texts}

    def _match_labels(self, rule: CompiledRule, a: AlertState, severity: Severity) -> dict[str, str]:
        return {
            **a.labels_out,
            "rule": rule.id,
            "category": rule.category.value,
            "severity": severity.value,
            "page": a.page,
        }

    def _emit(self, rule: CompiledRule, a: AlertState, change: Change, at: datetime) -> list[AlertTransition]:
        if change == Change.FIRED:
            self._render(rule, a)
            firing = [
                self._match_labels(self._by_id[x.rule], x, x.severity)
                for x in self._alerts.values()
                if x.phase == Phase.FIRING and x.notified and x is not a and x.rule in self._by_id
            ]
            reason = self.suppressor.reason(self._match_labels(rule, a, a.severity), at, firing, self._aftermaths(at))
            if reason is not None:
                ALERTS_SUPPRESSED.labels(reason).inc()
                log.info("rules.alert_suppressed", rule=rule.id, page=a.page, reason=reason)
                return [self._transition(rule, a, AlertStatus.SUPPRESSED, at, reason)]
            if not a.notified:
                ALERTS_FIRING.labels(rule.category.value, a.severity.value).inc()
            a.notified = True
            return [self._transition(rule, a, AlertStatus.FIRING, at)]
        if not a.notified:
            return []
        a.notified = False
        ALERTS_FIRING.labels(rule.category.value, a.severity.value).dec()
        labels = self._match_labels(rule, a, a.severity)
        if self.suppressor.outlasts(labels):
            self._ended[a.fingerprint] = (labels, at)
        return [self._transition(rule, a, AlertStatus.RESOLVED, at)]

    def _aftermaths(self, at: datetime) -> list[tuple[dict[str, str], datetime]]:
        """The ended alerts that can still inhibit at ``at`` (older ones are forgotten)."""
        if not self._ended:
            return []
        longest = self.suppressor.aftermath
        for fp in [fp for fp, (_, end) in self._ended.items() if at - end > longest]:
            page = self._ended[fp][0].get("page")
            if self._undo is not None and page is not None and page not in self._undo:
                self._keep(page)
            del self._ended[fp]
        return list(self._ended.values())

    def _transition(
        self, rule: CompiledRule, a: AlertState, status: AlertStatus, at: datetime, reason: str | None = None
    ) -> AlertTransition:
        group = "/".join([rule.category.value, a.page, *(a.labels_out.get(g, "") for g in rule.group_by)])
        return AlertTransition(
            time=at,
            status=status,
            rule=rule.id,
            category=rule.category,
            severity=a.severity,
            page=a.page,
            fingerprint=a.fingerprint,
            summary=a.summary,
            labels=dict(a.labels_out),
            annotations=dict(a.annotations),
            group_key=group,
            reason=reason,
            summaries=dict(a.summaries),
        )
