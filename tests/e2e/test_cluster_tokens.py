"""Keys in a cluster: the registry token signing key lives in the shared PostgreSQL database, so a Bearer
token issued by one node is accepted by every other node, including a node that joins later with an old,
different key file in its data directory."""
from __future__ import annotations

import hashlib
import secrets
import subprocess

import pytest
import requests

from oci_layout import canonical
from registry_server import RegistryServer
from test_cluster import AUTH, OCI_MANIFEST, cluster, monkeypatch_module  # noqa: F401  (module-scoped fixtures)

pytestmark = pytest.mark.berth_only

SERVICE = "berth-registry"


def private_image(node) -> tuple[str, str]:
    """Creates a private project on `node` and pushes a one-layer image to it; returns (repository, digest)."""
    project = "tok-" + secrets.token_hex(4)
    r = requests.post(f"{node.url}/api/v2.0/projects", auth=AUTH, timeout=30,
                      json={"project_name": project, "metadata": {"public": "false"}})
    assert r.status_code == 201, r.text
    repository = f"{project}/app"
    blobs = []
    for data in (secrets.token_bytes(4096), canonical({"architecture": "amd64", "os": "linux"})):
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        r = requests.post(f"{node.url}/v2/{repository}/blobs/uploads/?digest={digest}", data=data, auth=AUTH,
                          timeout=30)
        assert r.status_code == 201, r.text
        blobs.append((digest, len(data)))
    (layer, layer_size), (config, config_size) = blobs
    manifest = canonical({"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                          "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                     "digest": config, "size": config_size},
                          "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                                      "digest": layer, "size": layer_size}]})
    r = requests.put(f"{node.url}/v2/{repository}/manifests/v1", data=manifest, auth=AUTH, timeout=30,
                     headers={"Content-Type": OCI_MANIFEST})
    assert r.status_code == 201, r.text
    return repository, r.headers["Docker-Content-Digest"]


def bearer_token(node, repository: str) -> str:
    r = requests.get(f"{node.url}/service/token", auth=AUTH, timeout=30,
                     params={"service": SERVICE, "scope": f"repository:{repository}:pull"})
    assert r.status_code == 200, r.text
    return r.json()["token"]


def manifest_get(node, repository: str, token: str | None) -> requests.Response:
    headers = {"Accept": OCI_MANIFEST}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return requests.get(f"{node.url}/v2/{repository}/manifests/v1", headers=headers, timeout=30)


def test_a_token_from_one_node_pulls_on_every_node(cluster):  # noqa: F811
    repository, digest = private_image(cluster[0])
    for issuer in cluster:
        token = bearer_token(issuer, repository)
        for node in cluster:
            r = manifest_get(node, repository, token)
            assert r.status_code == 200, (issuer.url, node.url, r.status_code, r.text)
            assert r.headers["Docker-Content-Digest"] == digest
    # The repository is private: without a token, or with a forged one, every node refuses.
    for node in cluster:
        assert manifest_get(node, repository, None).status_code == 401
        forged = bearer_token(cluster[0], repository)[:-4] + "AAAA"
        assert manifest_get(node, repository, forged).status_code == 401


def test_a_token_is_scoped_on_every_node(cluster):  # noqa: F811
    first, _ = private_image(cluster[0])
    second, _ = private_image(cluster[1])
    token = bearer_token(cluster[0], first)
    for node in cluster:
        assert manifest_get(node, second, token).status_code in (401, 403)


def test_no_node_writes_its_own_key_file(cluster):  # noqa: F811
    for node in cluster:
        assert not (node.data_dir / "token-signing.key").exists()
        assert not (node.data_dir / "oidc-server.key").exists()


def test_a_node_joining_with_an_old_key_file_uses_the_cluster_key(cluster, tmp_path):  # noqa: F811
    repository, digest = private_image(cluster[2])
    token = bearer_token(cluster[1], repository)
    data_dir = tmp_path / "node3"
    data_dir.mkdir()
    # A key file of an earlier version, different from the cluster's key: it must not win.
    subprocess.run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-outform", "DER", "-out", str(data_dir / "token-signing.key")], check=True)
    joined = RegistryServer(data_dir, kind="berth").start()
    try:
        r = manifest_get(joined, repository, token)
        assert r.status_code == 200 and r.headers["Docker-Content-Digest"] == digest, r.text
        own = bearer_token(joined, repository)
        for node in cluster:
            assert manifest_get(node, repository, own).status_code == 200
    finally:
        joined.stop()
