"""Incidents: alerts grouped by page and category, their lifecycle, timeline and escalation."""

from sentinel.incidents.manager import IncidentError, IncidentManager
from sentinel.incidents.state import Incident, IncidentStatus, TimelineEntry

__all__ = ["Incident", "IncidentError", "IncidentManager", "IncidentStatus", "TimelineEntry"]
