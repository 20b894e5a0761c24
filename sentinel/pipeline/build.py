"""The one place the pipeline's stages are made from config: rules engine, incidents and escalation, and the
``Pipeline`` that joins them to an ``Output``. The daemon, replay and the demo differ only in their output,
their store and whether they keep metrics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sentinel.config.schema import page_resolver
from sentinel.incidents import IncidentManager
from sentinel.incidents.manager import IntentSink
from sentinel.pipeline.core import Pipeline
from sentinel.pipeline.outputs import Output
from sentinel.rules.build import build_engine
from sentinel.rules.engine import RuleEngine
from sentinel.rules.ruleset import RuleSet
from sentinel.rules.silences import silences_from_config
from sentinel.settings import Config
from sentinel.store import Database


@dataclass
class Stages:
    """What ``build_pipeline`` made: the pipeline, and its engine and incidents for the callers that reach them
    (the daemon's reload and operator API)."""

    pipeline: Pipeline
    engine: RuleEngine
    incidents: IncidentManager


async def build_pipeline(
    config: Config,
    db: Database,
    output: Output,
    rules: RuleSet,
    *,
    metrics: bool = True,
    sink: IntentSink | None = None,
    catch_up: timedelta | None = None,
) -> Stages:
    """Engine, incidents and pipeline for ``config`` over ``db``, decisions to ``output``; see
    ``IncidentManager`` for ``sink`` (the daemon's outbox) and ``catch_up``."""
    engine = build_engine(
        rules,
        config.pages,
        silences_from_config(config.silences),
        metrics=metrics,
        max_unknown_pages=config.pipeline.max_unknown_pages,
    )
    incidents = IncidentManager(db, config, page_resolver(config.pages), sink=sink, metrics=metrics, catch_up=catch_up)
    await incidents.start()
    return Stages(Pipeline(engine, incidents, output), engine, incidents)
