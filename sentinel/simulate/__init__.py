"""Realistic scenarios as events: Swedish retailers' Facebook pages, with an optional hijack or crisis.

    from sentinel.simulate import ScenarioSpec, generate, page_configs
    for event in generate(ScenarioSpec(pages=1, days=28, seed=1, hijack=True)):
        ...

Output depends only on the spec: the same seed gives the same bytes.
"""

from sentinel.simulate.incidents import hijack_window
from sentinel.simulate.spec import ScenarioSpec, page_configs
from sentinel.simulate.stream import generate, iter_records, write_jsonl

__all__ = ["ScenarioSpec", "generate", "hijack_window", "iter_records", "page_configs", "write_jsonl"]
