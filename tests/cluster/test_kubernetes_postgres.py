"""deploy/kubernetes/postgres: the multi-replica variant is valid, and the SQLite one stays a single replica."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
from ruamel.yaml import YAML

from sentinel.settings import parse_config

K8S = Path(__file__).resolve().parents[2] / "deploy" / "kubernetes"
PG = K8S / "postgres"
MANIFESTS = sorted(p for p in PG.glob("*.yaml") if p.name != "kustomization.yaml")


def docs(path: Path) -> list[dict[str, Any]]:
    return [d for d in YAML(typ="safe").load_all(path.read_text(encoding="utf-8")) if d]


def kinds(folder: Path) -> dict[str, dict[str, Any]]:
    return {d["kind"]: d for p in sorted(folder.glob("*.yaml")) if p.name != "kustomization.yaml" for d in docs(p)}


@pytest.mark.parametrize("manifest", MANIFESTS, ids=[p.name for p in MANIFESTS])
def test_the_postgres_variant_validates_against_the_kubernetes_schema(manifest: Path) -> None:
    for doc in docs(manifest):
        kubernetes_validate.validate(doc, kubernetes_validate.latest_version(), strict=True)


def test_the_postgres_variant_runs_several_replicas_each_named_and_the_sqlite_one_stays_single() -> None:
    pg, sqlite = kinds(PG), kinds(K8S)
    assert (
        sqlite["Deployment"]["spec"]["replicas"] == 1 and sqlite["Deployment"]["spec"]["strategy"]["type"] == "Recreate"
    )
    spec = pg["Deployment"]["spec"]
    assert spec["replicas"] >= 2 and spec["strategy"]["type"] == "RollingUpdate"
    pod = spec["template"]["spec"]
    assert "persistentVolumeClaim" not in str(pod["volumes"])  # no SQLite volume: the store is PostgreSQL
    env = {e["name"]: e for e in pod["containers"][0]["env"]}
    assert env["SENTINEL_REPLICA"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.name"
    assert env["PGPASSWORD"]["valueFrom"]["secretKeyRef"]["key"] in pg["Secret"]["stringData"]
    assert pg["PodDisruptionBudget"]["spec"]["minAvailable"] < spec["replicas"]
    listed = YAML(typ="safe").load((PG / "kustomization.yaml").read_text(encoding="utf-8"))["resources"]
    assert all((PG / r).exists() for r in listed)


def test_the_postgres_variant_config_parses_and_names_a_postgres_store(tmp_path: Path) -> None:
    pg = kinds(PG)
    text = pg["ConfigMap"]["data"]["sentinel.yaml"]
    (tmp_path / "ingest-token").write_text("token\n", encoding="utf-8")
    config = parse_config(text.replace("/run/secrets/sentinel", str(tmp_path)), "configmap.yaml")
    assert config.store.url.startswith("postgresql://") and config.pages
    assert config.cluster is not None and config.cluster.lease_ttl.total_seconds() == 15
    assert config.cluster.replica is None  # each pod's own name comes from SENTINEL_REPLICA (deployment.yaml)
