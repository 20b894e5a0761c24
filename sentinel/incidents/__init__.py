"""Incidents: alerts grouped by page and category, their lifecycle, timeline and escalation."""

from sentinel.incidents.manager import IncidentManager
from sentinel.incidents.state import Incident, IncidentError, IncidentStatus, TimelineEntry

__all__ = ["Incident", "IncidentError", "IncidentManager", "IncidentStatus", "TimelineEntry"]
