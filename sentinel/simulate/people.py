"""The simulated public: a fixed population of people shared by every page.

People follow several retailers, so one population serves all pages. Its
size is prime, so walking it with any stride below the size visits distinct
people: that is how reactions on one target get distinct reactors (their
event ids contain the reactor's id and must be unique) without a set.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from typing import Any

from sentinel.simulate import texts

POPULATION = 19_997  # prime


@dataclass(frozen=True, slots=True)
class Person:
    actor: dict[str, Any]  # the event's "actor" object, shared by all of this person's events
    id: str
    first: str


@functools.cache
def population() -> tuple[Person, ...]:
    rng = random.Random("sentinel.simulate.people")
    out = []
    for k in range(POPULATION):
        first, last = rng.choice(texts.FIRST_NAMES), rng.choice(texts.LAST_NAMES)
        pid = str(100_000_000_000_000 + k * 4_999_999 + rng.randrange(4_999_999))
        out.append(Person(actor={"id": pid, "name": f"{first} {last}", "type": "person"}, id=pid, first=first))
    return tuple(out)


# visitor activity by local hour (weekday, weekend); peak = 1.0
WEEKDAY_HOURS = (
    0.08,
    0.05,
    0.04,
    0.03,
    0.04,
    0.1,
    0.25,
    0.5,
    0.7,
    0.8,
    0.85,
    0.9,
    1.0,
    0.9,
    0.85,
    0.85,
    0.9,
    0.95,
    1.0,
    1.0,
    0.95,
    0.8,
    0.5,
    0.2,
)
WEEKEND_HOURS = (
    0.14,
    0.08,
    0.05,
    0.04,
    0.03,
    0.04,
    0.08,
    0.2,
    0.4,
    0.65,
    0.8,
    0.9,
    0.95,
    1.0,
    1.0,
    0.95,
    0.9,
    0.9,
    0.95,
    1.0,
    0.95,
    0.85,
    0.6,
    0.3,
)


def cumulative(weights: tuple[float, ...]) -> tuple[float, ...]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return tuple(out)


CUM_WEEKDAY = cumulative(WEEKDAY_HOURS)
CUM_WEEKEND = cumulative(WEEKEND_HOURS)
