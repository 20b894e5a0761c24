"""deploy/kubernetes: manifests valid against the Kubernetes JSON schemas (offline) and safe to run."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
from deploy_tools import DEPLOY
from ruamel.yaml import YAML

from sentinel.settings import parse_config

K8S = DEPLOY / "kubernetes"
MANIFESTS = sorted(p for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")
# The oldest Kubernetes we claim to support, and the newest schemas the package ships.
VERSIONS = ["1.28.0", kubernetes_validate.latest_version()]


def _docs(path: Path) -> list[dict[str, Any]]:
    return [d for d in YAML(typ="safe").load_all(path.read_text(encoding="utf-8")) if d]


def _all() -> dict[str, dict[str, Any]]:
    return {d["kind"]: d for p in MANIFESTS for d in _docs(p)}


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a network connection fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.usefixtures("offline")
@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("manifest", MANIFESTS, ids=[p.name for p in MANIFESTS])
def test_manifest_validates_against_the_kubernetes_schema(manifest: Path, version: str) -> None:
    docs = _docs(manifest)
    assert docs
    for doc in docs:
        # strict: unknown fields are errors; a kind without a schema raises SchemaNotFoundError.
        kubernetes_validate.validate(doc, version, strict=True)


@pytest.mark.usefixtures("offline")
def test_validator_rejects_a_misspelt_field() -> None:
    deployment = _all()["Deployment"]
    container = dict(deployment["spec"]["template"]["spec"]["containers"][0])
    container["livenessProbes"] = container.pop("livenessProbe")
    template = deployment["spec"]["template"]
    template = {**template, "spec": {**template["spec"], "containers": [container]}}
    bad = {**deployment, "spec": {**deployment["spec"], "template": template}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, VERSIONS[-1], strict=True)


def test_the_manifests_the_issue_asks_for_are_there() -> None:
    assert {"Deployment", "Service", "ConfigMap", "Secret", "PodDisruptionBudget"} <= set(_all())


def test_deployment_probes_limits_and_runs_unprivileged() -> None:
    pod = _all()["Deployment"]["spec"]["template"]["spec"]
    (c,) = pod["containers"]
    assert c["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert c["readinessProbe"]["httpGet"]["path"] == "/readyz?for=intake"  # not channels: intake stays up
    assert {"cpu", "memory"} <= set(c["resources"]["limits"]) and {"cpu", "memory"} <= set(c["resources"]["requests"])
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] != 0
    assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
    sc = c["securityContext"]
    assert sc["allowPrivilegeEscalation"] is False
    assert sc["readOnlyRootFilesystem"] is True
    assert sc["capabilities"]["drop"] == ["ALL"]
    assert c["args"] == ["run", "--config", "/etc/sentinel/sentinel.yaml"]
    assert pod["automountServiceAccountToken"] is False


def test_service_pdb_and_volumes_point_at_what_exists() -> None:
    kinds = _all()
    pod_labels = kinds["Deployment"]["spec"]["template"]["metadata"]["labels"]
    for selector in (
        kinds["Service"]["spec"]["selector"],
        kinds["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"],
        kinds["Deployment"]["spec"]["selector"]["matchLabels"],
    ):
        assert selector.items() <= pod_labels.items()
    pod = kinds["Deployment"]["spec"]["template"]["spec"]
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert volumes["config"]["configMap"]["name"] == kinds["ConfigMap"]["metadata"]["name"]
    assert volumes["secrets"]["secret"]["secretName"] == kinds["Secret"]["metadata"]["name"]
    assert volumes["data"]["persistentVolumeClaim"]["claimName"] == kinds["PersistentVolumeClaim"]["metadata"]["name"]
    ports = {p["name"] for p in pod["containers"][0]["ports"]}
    assert kinds["Service"]["spec"]["ports"][0]["targetPort"] in ports
    mounts = {m["name"] for m in pod["containers"][0]["volumeMounts"]}
    assert mounts == set(volumes)
    assert kinds["Deployment"]["spec"]["strategy"]["type"] == "Recreate"  # one SQLite writer at a time


def test_configmap_holds_a_valid_sentinel_config_using_the_secret(tmp_path: Path) -> None:
    kinds = _all()
    text = kinds["ConfigMap"]["data"]["sentinel.yaml"]
    pod = kinds["Deployment"]["spec"]["template"]["spec"]
    mount = next(m["mountPath"] for m in pod["containers"][0]["volumeMounts"] if m["name"] == "secrets")
    for key in kinds["Secret"]["stringData"]:
        (tmp_path / key).write_text("token-from-the-secret\n", encoding="utf-8")
    assert mount in text
    config = parse_config(text.replace(mount, str(tmp_path)), "configmap.yaml")
    assert config.server.host == "0.0.0.0"
    assert config.server.ingest_token is not None
    assert config.server.ingest_token.reveal() == "token-from-the-secret"
    assert config.store.url == "sqlite:////var/lib/sentinel/sentinel.db"  # absolute
    assert config.pages
