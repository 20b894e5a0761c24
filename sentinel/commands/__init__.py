"""One module per CLI subcommand: ``register(subparsers)`` and ``run(args) -> int``."""

from __future__ import annotations

import argparse


def positive_int(text: str) -> int:
    """An argparse ``type`` for counts: a whole number, at least 1."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {n}")
    return n
