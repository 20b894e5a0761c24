"""docs/metrics.md lists every metric in sentinel.metrics.REGISTRY with its type and labels, and nothing else."""

from __future__ import annotations

import re

from deploy_tools import ROOT
from metric_names import families

DOC = ROOT / "docs" / "metrics.md"
ROW = re.compile(r"^\|\s*`(sentinel_[a-z0-9_]+)`\s*\|\s*(\w+)\s*\|([^|]*)\|([^|]*)\|\s*$")


def _rows() -> dict[str, tuple[str, tuple[str, ...], str]]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        m = ROW.match(line)
        if m:
            name, kind, labels, meaning = m.groups()
            assert name not in rows, f"{name} listed twice"
            rows[name] = (kind, tuple(re.findall(r"`([a-z_]+)`", labels)), meaning.strip())
    return rows


def test_every_metric_is_documented() -> None:
    missing = {f.name for f in families()} - set(_rows())
    assert missing == set(), f"add these to docs/metrics.md: {sorted(missing)}"


def test_the_doc_lists_no_metric_that_does_not_exist() -> None:
    extra = set(_rows()) - {f.name for f in families()}
    assert extra == set()


def test_documented_type_labels_and_meaning_match_the_code() -> None:
    rows = _rows()
    for f in families():
        kind, labels, meaning = rows[f.name]
        assert kind == f.type, f.name
        if f.type != "info":  # an info metric's labels are set when it is filled in
            assert labels == f.labels, f.name
        assert meaning, f.name
