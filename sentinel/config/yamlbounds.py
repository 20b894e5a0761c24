"""Bounds a YAML document must keep before it is built: how deep it nests and how much its aliases add.

Configs, rule files and rule test files are all read by ``load_yaml``, which calls ``check_bounds`` first.
Without it, a document nested a thousand levels deep overflows the Python stack (a ``RecursionError`` in the
composer), and a few lines of aliases ("billion laughs": nine aliases to nine aliases to ...) stand for tens
of millions of values that building the plain data would expand, holding the event loop and gigabytes of
memory for minutes.

``check_bounds`` walks the parser's events once, without recursion, and never expands an alias: an anchored
node's expanded size is remembered when the node ends, and each alias adds that size. Aliases may add
``MAX_ALIAS_VALUES`` values, or ``ALIAS_RATIO`` times the values written if that is more (so a config of
30,000 pages that share one ``&hours`` mapping still loads). Values written out are not limited: the parser
pays for each one as it reads it. A real config nests fewer than ten levels.
"""

from __future__ import annotations

from ruamel.yaml import YAML
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, NodeEvent, ScalarEvent

from sentinel.errors import ConfigError, Issue

MAX_DEPTH = 100
MAX_ALIAS_VALUES = 100_000
ALIAS_RATIO = 10


def check_bounds(
    text: str,
    filename: str,
    *,
    max_depth: int = MAX_DEPTH,
    max_alias_values: int = MAX_ALIAS_VALUES,
    alias_ratio: int = ALIAS_RATIO,
) -> None:
    """Raise ``ConfigError`` naming the file, line and column of the node at fault when ``text`` nests deeper
    than ``max_depth`` collections, when its aliases would add more than ``max_alias_values`` values and more
    than ``alias_ratio`` times the values written out, or when an alias refers to a node that contains it.
    A YAML syntax error propagates as ruamel raises it."""
    sizes: dict[str, int] = {}  # anchor -> the expanded size of the node it names (the last node so named)
    open_anchors: list[str | None] = []  # the anchors of the collections being read, outermost first
    open_sizes: list[int] = []  # their expanded sizes so far
    written = added = 0  # values written out; values aliases add
    for event in YAML(typ="rt").parse(text):
        if isinstance(event, CollectionStartEvent):
            if len(open_sizes) >= max_depth:
                raise _refused(filename, event, f"nesting deeper than {max_depth} levels is refused")
            open_anchors.append(event.anchor)
            open_sizes.append(1)
            written += 1
        elif isinstance(event, CollectionEndEvent):
            anchor, size = open_anchors.pop(), open_sizes.pop()
            if anchor is not None:
                sizes[anchor] = size
            if open_sizes:
                open_sizes[-1] += size
        elif isinstance(event, ScalarEvent):
            if event.anchor is not None:
                sizes[event.anchor] = 1
            if open_sizes:
                open_sizes[-1] += 1
            written += 1
        elif isinstance(event, AliasEvent):
            if event.anchor in open_anchors:
                raise _refused(filename, event, f"alias *{event.anchor} refers to a node that contains it")
            size = sizes.get(event.anchor, 1)  # an anchor not defined (yet): the composer says so
            if open_sizes:
                open_sizes[-1] += size
            added += size
            limit = max(max_alias_values, alias_ratio * written)
            if added > limit:
                raise _refused(
                    filename,
                    event,
                    f"alias *{event.anchor}: aliases would expand the document by more than {limit} values "
                    f"(allowed: {alias_ratio} per value written out, at least {max_alias_values}); "
                    "refused as an alias bomb",
                )


def _refused(filename: str, event: NodeEvent, what: str) -> ConfigError:
    mark = event.start_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
    return ConfigError([Issue(filename, line, col, "", f"invalid YAML: {what}")])
