"""``detect.type`` name -> detector factory.

A factory takes the rule's ``detect:`` block (a mapping, ``type`` included)
and a ``compile`` function for CEL parameters, and returns a ``Detector``.
It raises pydantic's ``ValidationError`` or ``ParamError`` for bad params;
the rule loader turns both into ``file:line: reason``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sentinel.detectors import absence, change, match, new_value, sequence, share, sla, threshold
from sentinel.detectors.common import Compile

DetectorFactory = Callable[[Mapping[str, Any], Compile], Any]

DETECTORS: dict[str, DetectorFactory] = {
    "match": match.factory,
    "threshold": threshold.factory,
    "new_value": new_value.factory,
    "change": change.factory,
    "share": share.factory,
    "absence": absence.factory,
    "sla": sla.factory,
    "sequence": sequence.factory,
}


def _optional(module: str) -> None:
    """Detectors written elsewhere register themselves here when present."""
    import importlib

    try:
        mod = importlib.import_module(f"sentinel.detectors.{module}")
    except ModuleNotFoundError as e:
        if e.name == f"sentinel.detectors.{module}":
            return
        raise
    fac = getattr(mod, "factory", None)
    if fac is not None:
        DETECTORS.setdefault(module, fac)


for _name in ("rate_spike", "surge", "profile", "sustained"):
    _optional(_name)


def names() -> list[str]:
    return sorted(DETECTORS)
