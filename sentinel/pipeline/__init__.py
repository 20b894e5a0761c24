"""The one pipeline: rules → incidents → notifications, for the daemon, replay and the demo alike.

``build.build_pipeline`` makes the stages from config; ``core.Pipeline`` runs them in time order; an ``Output``
(``outputs``) receives the decisions. The daemon feeds it from the store (``worker``, with event time kept by
``eventtime``); replay and the demo feed it from event files (``stream``, ``replay``).
"""

from sentinel.pipeline.core import Pipeline
from sentinel.pipeline.outputs import Output, alert_record, notification_record, utc_text

__all__ = ["Output", "Pipeline", "alert_record", "notification_record", "utc_text"]
