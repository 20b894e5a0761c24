"""The escalation state machine of one incident, as functions of its state and a time.

``due(st)`` is when something next happens to it; ``act(st, at, ctx)`` does
that one thing (a step, an update, an all-clear, an ack timeout, the end of a
snooze) and returns the notifications and timeline entries. Step times are
computed from the previous step's due time, not from when ``act`` ran, so
a late tick (or a restart) catches up without shifting the path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sentinel.escalation.config import OnCallConfig
from sentinel.escalation.routing import Target, channels_for, recipient, step_targets
from sentinel.incidents.state import AlertRef, IncidentState, IncidentStatus, TimelineEntry
from sentinel.model import LANGUAGES, NotificationIntent, NotificationKind, Severity
from sentinel.staffed import StaffedHours


@dataclass(slots=True)
class Effects:
    intents: list[NotificationIntent] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)

    def log(self, t: datetime, what: str, **detail: object) -> None:
        self.timeline.append(TimelineEntry(t, what, detail))


@dataclass(frozen=True, slots=True)
class Context:
    cfg: OnCallConfig
    staffed: StaffedHours
    page_name: str
    now: datetime
    language: str = "en"  # the page's (``pages[].language``): an incident's ``summary`` is in it


# the evidence line an incident whose alerts have all ended carries (``IncidentState.alerts_ended_at``)
_ENDED = {"en": "The alerts ended at {t}.", "sv": "Larmen upphörde {t}."}
# what a notification that leads with news says before the news, per language: a page re-opened by a hijack alert
# about a new account (``IncidentManager._news_after_ack``), and an update (the alerts new since the last page)
REOPENED = {"en": "Reopened, new account: ", "sv": "Återöppnad, nytt konto: "}
NEW = {"en": "New: ", "sv": "Nytt: "}


def lead(prefix: Mapping[str, str], alerts: Sequence[AlertRef], ctx: Context) -> tuple[str, dict[str, str]]:
    """``alerts``' summaries after ``prefix``, as an incident's (or a notification's) summary: in the page's
    language, and in each of ``LANGUAGES`` (an alert without a summary in one gives the page's, after that
    language's ``prefix``), so that an SMS, whose summary is cut to fit, starts with what is new."""
    summary = prefix.get(ctx.language, prefix["en"]) + "; ".join(a.summary for a in alerts)
    texts = {lang: prefix[lang] + "; ".join(a.summaries.get(lang, a.summary) for a in alerts) for lang in LANGUAGES}
    return summary, texts


def _news(st: IncidentState, ctx: Context) -> tuple[str, dict[str, str]] | None:
    """What an update leads with: the alerts that joined ``st`` since its last page (``IncidentState.news``)."""
    news = [st.alerts[fp] for fp in st.news if fp in st.alerts]
    return lead(NEW, news, ctx) if news else None


def _min(*ts: datetime | None) -> datetime | None:
    present = [t for t in ts if t is not None]
    return min(present) if present else None


def due(st: IncidentState) -> datetime | None:
    if st.closed:
        return None
    if st.status == IncidentStatus.RESOLVED:
        return _min(st.resolved_at if st.all_clear_due else None, st.digest_due)
    if st.status == IncidentStatus.ACKNOWLEDGED:
        return _min(st.ack_deadline, st.snoozed_until, st.digest_due, st.update_due)
    if st.plan is None or not st.started or st.silenced:
        return None
    if st.digest:
        return st.digest_due
    return _min(st.next_step_at, st.update_due)


def start(st: IncidentState, t: datetime, ctx: Context, fx: Effects, *, first: bool) -> None:
    """Begin (or begin again) the escalation path at ``t``; non-critical incidents on a holding route wait."""
    plan = st.plan
    st.started = True
    if plan is None:
        if st.severity == Severity.CRITICAL and ctx.cfg.escalation.routes:
            fx.log(t, "reached_nobody", why="no route takes it")  # never silent: the manager raises it
        return
    begin = t
    if plan.holds(st.severity) and not ctx.staffed.is_staffed(t):
        nxt = ctx.staffed.next_staffed(t)
        begin = nxt if nxt is not None else t
        st.held_until = begin
        fx.log(t, "held", until=begin.isoformat())
    else:
        st.held_until = None
    if first:
        begin += plan.group_wait
    st.pass_no, st.step_idx, st.exhausted = 0, 0, False
    st.update_due = None
    if plan.route.digest is not None:
        if st.digest_due is None:
            st.digest_due = begin + plan.route.digest
        return
    st.next_step_at = begin + plan.policy.steps[0].after


def _intent(
    st: IncidentState,
    tg: Target,
    kind: NotificationKind,
    ctx: Context,
    evidence: tuple[str, ...] = (),
    evidence_texts: Mapping[str, tuple[str, ...]] | None = None,
    headline: tuple[str, Mapping[str, str]] | None = None,
) -> NotificationIntent:
    """``evidence`` (in the page's language) and ``evidence_texts`` (per language) default to the incident's
    alerts' summaries; a language an alert has no summary in gets the page's. ``headline`` (``lead``): the
    summary, in the page's language and per language, when not the incident's."""
    if not evidence:
        evidence = tuple(a.summary for a in st.alerts.values())
        evidence_texts = {
            lang: tuple(a.summaries.get(lang, a.summary) for a in st.alerts.values())
            for lang in LANGUAGES
            if any(lang in a.summaries for a in st.alerts.values())
        }
        if st.alerts_ended_at is not None:  # said in every language: the page's may not be one of them
            t = st.alerts_ended_at.astimezone(ctx.staffed.tz).strftime("%Y-%m-%d %H:%M %Z")
            evidence_texts = {
                lang: (*evidence_texts.get(lang, evidence), _ENDED[lang].format(t=t)) for lang in LANGUAGES
            }
            evidence = (*evidence, _ENDED["en"].format(t=t))
    return NotificationIntent(
        time=ctx.now,
        incident=st.id,
        step=st.round,
        channel=tg.channel,
        to=tg.to,
        recipient=tg.recipient,
        kind=kind,
        category=st.category,
        severity=st.severity,
        page=st.page,
        page_name=ctx.page_name,
        summary=headline[0] if headline else st.summary,
        evidence=evidence,
        summaries=dict(headline[1] if headline else st.summaries),
        evidence_texts=evidence_texts or {},
    )


def send(
    st: IncidentState,
    targets: list[Target],
    kind: NotificationKind,
    ctx: Context,
    fx: Effects,
    evidence: tuple[str, ...] = (),
    evidence_texts: Mapping[str, tuple[str, ...]] | None = None,
    headline: tuple[str, Mapping[str, str]] | None = None,
) -> None:
    """Tell ``targets``; a page to anyone tells them every alert so far: nothing is news after it."""
    if kind == NotificationKind.PAGE and targets:
        st.news = []
    for tg in targets:
        fx.intents.append(_intent(st, tg, kind, ctx, evidence, evidence_texts, headline))
        fx.log(ctx.now, "notified", step=st.round, to=tg.to, channel=tg.channel, kind=str(kind))
        if kind == NotificationKind.PAGE and all(
            (p.recipient.name, p.channel) != (tg.recipient.name, tg.channel) for p in st.paged
        ):
            st.paged.append(tg)


def _run_step(st: IncidentState, at: datetime, ctx: Context, fx: Effects) -> None:
    plan = st.plan
    assert plan is not None
    steps = plan.policy.steps
    step = steps[st.step_idx]
    st.round += 1
    targets, problems = step_targets(ctx.cfg, step, at)
    for p in problems:
        fx.log(ctx.now, "target_unavailable", step=st.round, problem=p)
    fx.log(
        ctx.now,
        "escalated",
        step=st.round,
        policy=plan.policy.name,
        policy_step=st.step_idx + 1,
        **{"pass": st.pass_no + 1},
    )
    if not targets:  # nobody on call, or nobody with a channel: the manager says so (``IncidentManager._save``)
        fx.log(ctx.now, "reached_nobody", step=st.round, policy=plan.policy.name, policy_step=st.step_idx + 1)
    send(st, targets, NotificationKind.PAGE, ctx, fx)
    st.last_targets, st.last_page_at = targets, at
    if st.exhausted:
        st.next_step_at = at + plan.repeat_interval
    elif st.step_idx + 1 < len(steps):
        st.step_idx += 1
        st.next_step_at = at + steps[st.step_idx].after
    elif plan.policy.repeat == "until_acknowledged" or st.pass_no < plan.policy.repeat:
        st.pass_no += 1
        st.step_idx = 0
        st.next_step_at = at + plan.policy.repeat_after
    else:
        st.exhausted = True
        st.next_step_at = at + plan.repeat_interval
    if plan.holds(st.severity) and st.next_step_at is not None:
        st.next_step_at = ctx.staffed.next_staffed(st.next_step_at) or st.next_step_at


def tell_ended(st: IncidentState, at: datetime, ctx: Context, fx: Effects) -> None:
    """``st``'s alerts all ended before its first step (held for staffed hours, or within ``group_wait``): that
    step's targets are told once, at its time, that it fired and ended (an all-clear, never a page), and the path
    stops there. Hijacks are not told so: they page (``IncidentManager._act``)."""
    plan = st.plan
    assert plan is not None
    st.round += 1
    targets, problems = step_targets(ctx.cfg, plan.policy.steps[0], at)
    for p in problems:
        fx.log(ctx.now, "target_unavailable", step=st.round, problem=p)
    fx.log(ctx.now, "told_ended", step=st.round, policy=plan.policy.name)
    if not targets:
        fx.log(ctx.now, "reached_nobody", step=st.round, policy=plan.policy.name, policy_step=1)
    send(st, targets, NotificationKind.RESOLVED, ctx, fx)
    st.next_step_at = st.update_due = None


def act(st: IncidentState, at: datetime, ctx: Context, fx: Effects) -> None:
    """Do the one thing due at ``at`` (``at == due(st)``)."""
    if st.status == IncidentStatus.RESOLVED:
        st.round += 1
        send(st, list(st.paged), NotificationKind.RESOLVED, ctx, fx)
        st.all_clear_due, st.closed = False, True
        return
    if st.status == IncidentStatus.ACKNOWLEDGED:
        ends = _min(st.ack_deadline, st.snoozed_until)
        if st.update_due is not None and st.update_due <= at and (ends is None or st.update_due < ends):
            tell_acknowledger(st, at, ctx, fx)
            return
        if st.snoozed_until is not None and st.snoozed_until <= at:
            fx.log(ctx.now, "snooze_ended")
        else:
            fx.log(ctx.now, "ack_timed_out", acked_by=st.acked_by)
        retrigger(st, at, ctx, fx)
        return
    update = st.update_due
    if update is not None and update <= at and (st.next_step_at is None or update < st.next_step_at):
        st.update_due = None
        assert st.plan is not None
        if st.next_step_at is not None and st.next_step_at - update <= st.plan.group_interval:
            fx.log(ctx.now, "update_folded", into_step_at=st.next_step_at.isoformat())
            return
        st.round += 1
        fx.log(ctx.now, "updated", step=st.round)
        send(st, list(st.last_targets), NotificationKind.PAGE, ctx, fx, headline=_news(st, ctx))
        st.last_page_at = at
        return
    st.update_due = None if st.update_due is not None and st.update_due <= at else st.update_due
    _run_step(st, at, ctx, fx)


def tell_acknowledger(st: IncidentState, at: datetime, ctx: Context, fx: Effects) -> None:
    """An alert joined ``st`` after it was acknowledged: whoever acknowledged it is sent an update (a page, listing
    every alert, led by the new ones) on the channels that paged them, else their own; it stays acknowledged. An
    acknowledgement by no person on the config (an operator token) is told to those the last step paged."""
    st.update_due = None
    targets = [tg for tg in st.paged if tg.recipient.name == st.acked_by]
    person = ctx.cfg.person(st.acked_by) if st.acked_by and not targets else None
    if person is not None:
        targets = [Target(to=person.name, recipient=recipient(person), channel=c) for c in channels_for(person, None)]
    if not targets:
        targets = list(st.last_targets)
    st.round += 1
    fx.log(ctx.now, "updated", step=st.round, acked_by=st.acked_by)
    send(st, targets, NotificationKind.PAGE, ctx, fx, headline=_news(st, ctx))
    st.last_page_at = at


def retrigger(st: IncidentState, at: datetime, ctx: Context, fx: Effects) -> None:
    """Back to triggered: the path starts again from its first step (step numbers keep counting)."""
    st.status = IncidentStatus.TRIGGERED
    st.acked_at = st.acked_by = st.ack_deadline = st.snoozed_until = None
    fx.log(ctx.now, "retriggered")
    start(st, at, ctx, fx, first=False)
