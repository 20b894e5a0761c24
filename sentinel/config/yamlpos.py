"""YAML loading that remembers where each value came from.

``load_yaml(text, filename)`` returns plain data plus a ``Positions`` object
that maps a key path (as pydantic reports it) to (line, col), 1-based.
``${VAR}`` and ``${VAR:-default}`` in strings are replaced from the
environment; a missing variable is an issue at its position (with
``keep_unset``, for commands that only read, it is also left as written).
A document nested too deep or whose aliases expand too far is refused
before it is built (``yamlbounds``). Every YAML file Sentinel reads (configs,
rule files, rule test files) is read here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from sentinel.config.yamlbounds import check_bounds
from sentinel.errors import ConfigError, Issue

_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


class Positions:
    def __init__(self, root: Any, filename: str) -> None:
        self._root = root
        self.filename = filename

    def of(self, loc: tuple[Any, ...]) -> tuple[int | None, int | None]:
        """Where ``loc`` (or its deepest part the file has) is written; no line for a key the file does not have
        at all (line 1 would point at an unrelated key), the file's start for the whole file."""
        node = self._root
        line: int | None = 1 if node is not None and not loc else None
        col: int | None = line
        for part in loc:
            if isinstance(node, CommentedMap) and part in node:
                ln, cl = node.lc.key(part)
                line, col = ln + 1, cl + 1
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
                ln, cl = node.lc.item(part)
                line, col = ln + 1, cl + 1
                node = node[part]
            else:
                break
        return line, col

    def has(self, loc: tuple[Any, ...]) -> bool:
        """Whether the file writes ``loc`` itself (``of`` falls back to its deepest written part)."""
        node = self._root
        for part in loc:
            in_map = isinstance(node, CommentedMap) and part in node
            if not in_map and not (isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node)):
                return False
            node = node[part]
        return True

    def issue(self, loc: tuple[Any, ...], what: str) -> Issue:
        line, col = self.of(loc)
        return Issue(self.filename, line, col, format_loc(loc), what)


def format_loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _plain(
    node: Any,
    path: tuple[Any, ...],
    issues: list[tuple[tuple[Any, ...], str]],
    env: Mapping[str, str],
    keep_unset: bool = False,
) -> Any:
    if isinstance(node, CommentedMap):
        return {k: _plain(v, (*path, k), issues, env, keep_unset) for k, v in node.items()}
    if isinstance(node, CommentedSeq):
        return [_plain(v, (*path, i), issues, env, keep_unset) for i, v in enumerate(node)]
    if isinstance(node, str) and "${" in node:

        def sub(m: re.Match[str]) -> str:
            name, default = m.group(1), m.group(2)
            if name in env:
                return env[name]
            if default is not None:
                return default
            issues.append((path, f"environment variable {name} is not set"))
            return m.group(0) if keep_unset else ""

        return _ENV.sub(sub, str(node))
    if isinstance(node, str):
        return str(node)
    return node


def load_yaml(
    text: str, filename: str, env: Mapping[str, str] | None = None, *, keep_unset: bool = False
) -> tuple[Any, Positions, list[Issue]]:
    """The data, where each value came from, and issues found on the way (unset variables).

    A document that breaks a bound of ``check_bounds`` (nesting, alias expansion) raises ``ConfigError`` before
    anything is built, as a syntax error does."""
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        check_bounds(text, filename)
        root = yaml.load(text)
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        what = " ".join(p for p in (e.context, e.problem) if p) or "invalid YAML"
        raise ConfigError([Issue(filename, line, col, "", f"invalid YAML: {what}")]) from None
    except YAMLError as e:
        raise ConfigError([Issue(filename, None, None, "", f"invalid YAML: {e}")]) from None
    positions = Positions(root, filename)
    issues: list[tuple[tuple[Any, ...], str]] = []
    data = _plain(root, (), issues, os.environ if env is None else env, keep_unset)
    return data, positions, [positions.issue(loc, what) for loc, what in issues]
