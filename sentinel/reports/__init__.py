"""The community team's report: how fast and how reliably customers got an answer (``sentinel report``).

``conversations`` follows each customer's item to the page's first answer (pure, over events in time order);
``summary`` turns the items into figures per page and channel, per day and per responder; ``render`` writes them
as text, JSON lines, CSV or HTML in the page's language; ``weekly`` sends last week's by e-mail.
"""

from sentinel.reports.conversations import Item, Tracker
from sentinel.reports.summary import ChannelReport, summarize

__all__ = ["ChannelReport", "Item", "Tracker", "summarize"]
