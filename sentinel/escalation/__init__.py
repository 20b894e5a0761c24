"""On-call: people, teams, schedules (who is on call when) and escalation routing."""

from sentinel.escalation.config import (
    EscalationSection,
    OnCallConfig,
    PersonConfig,
    PolicyConfig,
    RouteConfig,
    ScheduleConfig,
    TeamConfig,
)
from sentinel.escalation.routing import Plan, route, step_targets
from sentinel.escalation.schedule import Shift, gaps, shifts, who

__all__ = [
    "EscalationSection",
    "OnCallConfig",
    "PersonConfig",
    "Plan",
    "PolicyConfig",
    "RouteConfig",
    "ScheduleConfig",
    "Shift",
    "TeamConfig",
    "gaps",
    "route",
    "shifts",
    "step_targets",
    "who",
]
