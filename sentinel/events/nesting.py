"""How deep a JSON text nests, known before any decoder reads it (docs/events.md, "Nesting").

The JSON decoders recurse once per level. orjson (3.8) has no limit of its own: 135,000 arrays deep (a 270 KB
line, 417 bytes gzipped) overflowed the C stack and the daemon died of SIGSEGV, with no log line; msgspec and
``json`` stop at Python's recursion limit with a ``RecursionError`` that says nothing of where. So no decoder
is given untrusted JSON text until ``check_nesting`` has said it nests at most ``most`` levels.

The check costs two ``bytes.count`` for a text with few brackets (an event line: ``[`` and ``{`` at most
``most`` times cannot nest deeper). Otherwise, in C: strings are cut out with one regular expression, the rest
reduced to its brackets, and innermost pairs removed a round at a time: a text nesting ``d`` levels is empty
after ``d`` rounds, so at most ``most + 1`` rounds are run, whatever the depth (a million levels, a gzip bomb of
brackets). Only a text found too deep is walked token by token, to its first level too deep, to say where.
"""

from __future__ import annotations

import re
from itertools import accumulate
from typing import Any

import orjson

MAX_DOCUMENT_DEPTH = 128  # levels of a whole delivery or answer (a webhook body, a Graph answer, a provider's)

# a JSON string: what the decoders read as one, from its opening quote to the first unescaped quote
_STRING = rb'"[^"\\]*(?:\\.[^"\\]*)*"'
_MARKS = bytes.maketrans(b"[{]}", b"(())")
_NOT_MARKS = bytes(sorted(set(range(256)) - set(b'[]{}"')))
_QUOTED = re.compile(rb'"[^"]*"')
_ESCAPES = re.compile(rb'\\[\\"]')
_RUNS = re.compile(rb"\(+|\)+")
_CHUNK = 1024 * 1024
_WALK_TOKENS = 500_000  # tokens walked at most to say where: 10 MiB of events before the level too deep are 1.4 M
_TOKENS = re.compile(rb"(" + _STRING + rb")(\s*:)?|[\[\]{},]", re.DOTALL)  # (the walk: strings, keys, brackets)


class TooDeep(ValueError):
    """JSON text nesting deeper than ``most`` levels; ``path`` is where its first level too deep opens: the keys
    and indices from the top (``("object", "v", 0)``), or ``None`` when the text is not JSON enough to say."""

    def __init__(self, most: int, path: tuple[str | int, ...] | None) -> None:
        super().__init__(f"nests deeper than {most} levels")
        self.most = most
        self.path = path


def check_nesting(data: bytes | str, most: int) -> None:
    """``TooDeep`` when the JSON text ``data`` nests deeper than ``most`` levels (``[]`` is one level, ``{"a": []}``
    two), brackets in strings not counted. Text that is not JSON may be refused as too deep when its brackets
    could take a decoder deeper before it finds the error: never passed when a decoder would go deeper."""
    opens = data.count("[") + data.count("{") if isinstance(data, str) else data.count(b"[") + data.count(b"{")
    if opens <= most:
        return
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if _deeper(raw, most):
        raise TooDeep(most, _where(raw, most))


def loads(data: bytes | str, most: int = MAX_DOCUMENT_DEPTH) -> Any:
    """``orjson.loads`` of untrusted text, once ``check_nesting`` passed it; ``ValueError`` (``TooDeep``,
    ``orjson.JSONDecodeError``) when it is too deep or not JSON."""
    check_nesting(data, most)
    return orjson.loads(data)


def field_name(path: tuple[str | int, ...]) -> str:
    """``("object", "v", 0, 0)`` as ``object.v[0][0]``: fields named as ``codec.check_storable`` names them."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _deeper(raw: bytes, most: int) -> bool:
    """Whether the brackets of ``raw`` outside strings may take a decoder deeper than ``most`` levels."""
    # escapes out (pairs from the left, as the decoders read them), then only quotes and brackets, as ``"`` ``(``
    # ``)``; two quotes side by side hold no bracket between them (an empty string, or the end of one and the
    # start of the next): out, and what is left of strings is what holds a bracket (rare in events)
    marks = _ESCAPES.sub(b"", raw).translate(_MARKS, _NOT_MARKS).replace(b'""', b"")
    brackets = _QUOTED.sub(b"", marks) if b'"' in marks else marks
    if b"(" * (most + 1) in brackets:  # (a bomb's run of opening brackets, found at the speed of a search)
        return True
    # Innermost pairs out, a round at a time: a round lowers the deepest level by one at most, so after ``k`` rounds
    # the text nested at most ``k`` levels more than what is left (exactly that, for JSON). An event's brackets go
    # in a few rounds; when a round takes less than a quarter, the rest is added up run by run.
    rounds = 0
    while brackets and rounds <= most:
        inner = brackets.replace(b"()", b"")
        rounds += 1
        if len(inner) * 4 > len(brackets) * 3:
            return _peak(inner, most - rounds)
        brackets = inner
    return rounds > most


def _peak(brackets: bytes, most: int) -> bool:
    """Whether the running count of ``(`` less ``)`` in ``brackets`` goes above ``most``: run by run, a MiB at a
    time (a round that took less than a quarter left runs four brackets long on average, or longer)."""
    level = 0
    for start in range(0, len(brackets), _CHUNK):
        steps = [len(r) if r[0] == 40 else -len(r) for r in _RUNS.findall(brackets, start, start + _CHUNK)]
        if max(accumulate(steps, initial=level)) > most:
            return True
        level += sum(steps)
    return False


def _where(raw: bytes, most: int) -> tuple[str | int, ...] | None:
    """The keys and indices to the first level deeper than ``most`` (``None``: the text gives out first, or it is
    further than ``_WALK_TOKENS`` tokens in: a walk in Python, ~1 µs a token)."""
    path: list[str | int | None] = []  # per open level: the key or index being read in it
    for n, m in enumerate(_TOKENS.finditer(raw)):
        if n == _WALK_TOKENS:
            return None
        key, colon = m.group(1), m.group(2)
        if key is not None:
            if colon is not None and path and not isinstance(path[-1], int):
                try:
                    path[-1] = str(orjson.loads(key))[:40]
                except orjson.JSONDecodeError:
                    return None
            continue
        token = m.group()
        if token in (b"[", b"{"):
            if len(path) == most:
                return tuple(p if p is not None else "?" for p in path)
            path.append(0 if token == b"[" else None)
        elif token == b",":
            if path and isinstance(path[-1], int):
                path[-1] += 1
        elif not path:
            return None
        else:
            path.pop()
    return None
