"""Can every route reach someone? The check ``sentinel check`` runs, and the daemon at start and on reload.

``reachability_issues(config)`` follows each escalation route to its policy,
each step to the people it may page (anyone a schedule may put on call, every
team member, a named person) and each person to the channels the step would
use for them; a channel must be defined in ``notify.channels``, and a
channel's secrets must not be empty. A config that passes can page someone
for every route; one that fails names the route, the people and the channel.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sentinel.config.types import Secret
from sentinel.config.yamlpos import format_loc
from sentinel.errors import ConfigError, Issue
from sentinel.model import AlertStatus, AlertTransition, Category, Severity

if TYPE_CHECKING:
    from sentinel.escalation.config import OnCallConfig, RouteConfig, TargetConfig
    from sentinel.settings import Config


def _people(oncall: OnCallConfig, target: TargetConfig) -> list[str]:
    """Everyone ``target`` may page: a schedule's every layer user and override, a team's members, a person."""
    if target.schedule is not None:
        sched = oncall.schedule(target.schedule)
        if sched is None:
            return []
        names = [u for la in sched.layers for u in la.users] + [o.person for o in sched.overrides]
        return list(dict.fromkeys(names))
    if target.team is not None:
        team = oncall.team(target.team)
        return list(team.members) if team else []
    return [target.ref]


def describe(route: RouteConfig) -> str:
    """``hijack/critical`` style: what a route matches."""
    cats = ",".join(str(c) for c in route.category) or "any category"
    sevs = ",".join(str(s) for s in route.severity) or "any severity"
    pages = f" on {','.join(route.page)}" if route.page else ""
    return f"{cats}/{sevs}{pages}"


def _route_issues(config: Config, oncall: OnCallConfig, index: int, route: RouteConfig) -> list[tuple[Any, str]]:
    from sentinel.escalation.routing import channels_for

    policy = oncall.policy(route.policy)
    if policy is None:
        return []  # an unknown policy is a schema error already
    where = f"{describe(route)} -> policy {policy.name}"
    defined = config.notify.channels
    missing: dict[str, list[str]] = {}
    nobody: list[str] = []
    reached = 0
    for step in policy.steps:
        for target in step.targets:
            for name in _people(oncall, target):
                person = oncall.person(name)
                if person is None:
                    continue  # an unknown person is a schema error already
                chans = channels_for(person, step.channels)
                if not chans:
                    wanted = ", ".join(step.channels or person.channels) or "none"
                    nobody.append(f"{name} (the step uses {wanted}; {name} has no phone or e-mail for it)")
                    continue
                reached += 1
                for c in chans:
                    if c not in defined and name not in missing.setdefault(c, []):
                        missing[c].append(name)
    loc = ("escalation", "routes", index)
    out: list[tuple[Any, str]] = []
    known = ", ".join(sorted(defined)) or "none"
    for channel, names in missing.items():
        out.append(
            (
                loc,
                f"{where}: pages {', '.join(names)} by {channel}, but notify.channels defines no "
                f"{channel!r} channel (defined: {known})",
            )
        )
    for n in dict.fromkeys(nobody):
        out.append((loc, f"{where}: cannot reach {n}"))
    if reached == 0 and not nobody:
        out.append((loc, f"{where}: reaches nobody"))
    return out


def _secret_issues(config: Config) -> list[tuple[Any, str]]:
    out: list[tuple[Any, str]] = []
    for name, channel in config.notify.channels.items():
        for field in type(channel).model_fields:
            value = getattr(channel, field)
            if isinstance(value, Secret) and not value.reveal().strip():
                out.append((("notify", "channels", name, field), "the secret is empty"))
        if getattr(channel, "username", None) and getattr(channel, "password", None) is None:
            out.append((("notify", "channels", name), "a username is given but no password (or password_file)"))
    return out


def _coverage_issues(config: Config, oncall: OnCallConfig) -> list[tuple[Any, str]]:
    """Once a config routes anything, a critical hijack on each of its pages must reach a route: a typo in a
    route's ``page:`` or a deleted catch-all would otherwise leave it to nobody, with every route in itself fine.
    A route's page that no page has is named with the pages there are."""
    import difflib

    from sentinel.escalation.routing import route

    routes = oncall.escalation.routes
    if not routes:
        return []  # nothing is routed (replay, a config that only watches): nothing to cover
    out: list[tuple[Any, str]] = []
    pages = [p.id for p in config.pages]
    if pages:
        for i, r in enumerate(routes):
            for j, name in enumerate(r.page):
                if name not in pages:
                    near = difflib.get_close_matches(name, pages, n=1)
                    hint = f"did you mean {near[0]!r}?" if near else f"pages: {', '.join(pages)}"
                    out.append((("escalation", "routes", i, "page", j), f"no page has id {name!r} ({hint})"))
    for page in pages:
        if route(oncall, Category.HIJACK, Severity.CRITICAL, page) is None:
            out.append(
                (
                    ("escalation", "routes"),
                    f"no route takes hijack/critical alerts on page {page!r}: a hijack there would page nobody "
                    "(add a route with category: hijack, severity: critical)",
                )
            )
    return out


def coverage_warnings(config: Config) -> list[Issue]:
    """What a config that routes anything should route but may choose not to: Sentinel's own critical health
    alerts (a page that reached nobody, a delivery that failed). ``sentinel check`` and the daemon's start warn."""
    from sentinel.escalation.config import OnCallConfig
    from sentinel.escalation.routing import route
    from sentinel.notify.health import DELIVERY_PAGE

    oncall = OnCallConfig.of(config)
    if not oncall.escalation.routes or route(oncall, Category.HEALTH, Severity.CRITICAL, DELIVERY_PAGE):
        return []
    what = (
        "no route takes health/critical alerts: Sentinel's own alarms (a page that reached nobody, a delivery "
        "that failed) would page nobody (add a route with category: health)"
    )
    return _issues(config, [(("escalation", "routes"), what)])


def reachability_issues(config: Config) -> list[Issue]:
    """Every route that cannot page someone, every page whose critical hijacks no route takes, and every channel
    with a missing secret; empty when all is well."""
    from sentinel.escalation.config import OnCallConfig

    oncall = OnCallConfig.of(config)
    found: list[tuple[Any, str]] = []
    for i, route in enumerate(oncall.escalation.routes):
        found += _route_issues(config, oncall, i, route)
    found += _coverage_issues(config, oncall)
    found += _secret_issues(config)
    return _issues(config, found)


def _issues(config: Config, found: list[tuple[Any, str]]) -> list[Issue]:
    from sentinel.config import source_of

    source = source_of(config)
    if source is None:
        return [Issue("<config>", None, None, format_loc(loc), what) for loc, what in found]
    return [source.positions.issue(loc, what) for loc, what in found]


def require_reachable(config: Config) -> None:
    """Raise ``ConfigError`` naming every unreachable route: for the daemon's start and reload."""
    issues = reachability_issues(config)
    if issues:
        raise ConfigError(issues)


RELOAD_RULE = "health.config_reload_refused"
#: the page key of Sentinel's own config alert: no configured page, so routes that name pages do not match it
CONFIG_PAGE = "sentinel.config"


def reload_refused_alert(issues: list[str] | None, at: datetime) -> AlertTransition:
    """Firing while the daemon runs an older config because the new one was refused (``issues``: why, e.g. a
    route that would page nobody); resolved (``issues`` None) by the next reload that succeeds. Warning: the
    old config still pages; the file on disk does not say what runs."""
    shown = "; ".join((issues or [])[:3]) + (f" (and {len(issues) - 3} more)" if issues and len(issues) > 3 else "")
    return AlertTransition(
        time=at,
        status=AlertStatus.FIRING if issues is not None else AlertStatus.RESOLVED,
        rule=RELOAD_RULE,
        category=Category.HEALTH,
        severity=Severity.WARNING,
        page=CONFIG_PAGE,
        fingerprint=RELOAD_RULE,
        group_key="config",
        summary=(
            f"the new config was refused and the previous one keeps running: {shown}"
            if issues is not None
            else "the config was reloaded"
        ),
        summaries={
            "sv": f"den nya konfigurationen vägrades och den förra körs vidare: {shown}"
            if issues is not None
            else "konfigurationen lästes om"
        },
        labels={"reason": "reload_refused"},
    )
