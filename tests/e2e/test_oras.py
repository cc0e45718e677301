"""OCI artifacts pushed with the oras Python client; the referrers API."""
from __future__ import annotations

import os

import oras.client
import oras.oci
import pytest
import requests

from curl_http import curl
from oci_layout import MANIFEST, INDEX, canonical, sha256

SBOM_TYPE = "application/vnd.e2e.sbom.v1+json"
SIG_TYPE = "application/vnd.e2e.signature.v1"


def oras_client(registry) -> oras.client.OrasClient:
    """An oras client; against Berth it authenticates as admin with oras' Basic auth backend.

    Not the token backend: oras-py reuses its first bearer token after a 401 "insufficient scope" (it only
    asks for a new one after a 403), so a pull-scoped token from a HEAD would fail the push that follows.
    Not client.login() either: that writes ~/.docker/config.json."""
    if not registry.auth:
        return oras.client.OrasClient(hostname=registry.host, insecure=True)
    client = oras.client.OrasClient(hostname=registry.host, insecure=True, auth_backend="basic")
    client.auth.set_basic_auth(*registry.auth)
    return client


def push_files(registry, tmp_path, target: str, files: dict[str, bytes], **kw) -> requests.Response:
    """oras push of files written to tmp_path; returns the manifest PUT response."""
    # oras only accepts paths below the working directory: callers chdir to tmp_path.
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    return oras_client(registry).push(target=f"{registry.host}/{target}", files=list(files), quiet=True, **kw)


def test_oras_push_pull_round_trip(registry, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    files = {"readme.txt": os.urandom(3000), "data.bin": os.urandom(70000)}
    resp = push_files(registry, tmp_path, "e2e/oras:plain", files)
    assert resp.status_code == 201
    digest = resp.headers["Docker-Content-Digest"]

    out = tmp_path / "out"
    pulled = oras_client(registry).pull(target=f"{registry.host}/e2e/oras@{digest}", outdir=str(out))
    assert sorted(os.path.basename(p) for p in pulled) == sorted(files)
    for name, data in files.items():
        assert (out / name).read_bytes() == data


@pytest.mark.berth_only
def test_referrers_with_subject(registry, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    repo = "e2e/artifacts"
    subject_resp = push_files(registry, tmp_path, f"{repo}:subject", {"app.bin": os.urandom(5000)})
    subject_digest = subject_resp.headers["Docker-Content-Digest"]
    head = curl("HEAD", f"{registry.url}/v2/{repo}/manifests/{subject_digest}", headers={"Accept": MANIFEST})
    assert head.status == 200
    subject = oras.oci.Subject(MANIFEST, subject_digest, int(head.header("Content-Length")))

    # Referrer 1, pushed by oras: artifact type comes from its config media type.
    (tmp_path / "sbom-config.json").write_text("{}")
    sbom = push_files(registry, tmp_path, f"{repo}:sbom", {"sbom.json": b'{"packages":[]}'},
                      subject=subject, manifest_config=f"sbom-config.json:{SBOM_TYPE}")
    assert sbom.status_code == 201
    assert sbom.headers.get("OCI-Subject") == subject_digest
    sbom_digest = sbom.headers["Docker-Content-Digest"]

    # Referrer 2: an explicit artifactType, which oras-py cannot set, so plain HTTP.
    empty = b"{}"
    url = f"{registry.url}/v2/{repo}/blobs/uploads/?digest={sha256(empty)}"
    assert requests.post(url, data=empty, headers={"Content-Type": "application/octet-stream"},
                         auth=registry.auth).status_code == 201
    layer = os.urandom(300)
    url = f"{registry.url}/v2/{repo}/blobs/uploads/?digest={sha256(layer)}"
    assert requests.post(url, data=layer, headers={"Content-Type": "application/octet-stream"},
                         auth=registry.auth).status_code == 201
    manifest = canonical({
        "schemaVersion": 2, "mediaType": MANIFEST, "artifactType": SIG_TYPE,
        "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": sha256(empty), "size": 2},
        "layers": [{"mediaType": "application/octet-stream", "digest": sha256(layer), "size": len(layer)}],
        "subject": {"mediaType": MANIFEST, "digest": subject_digest, "size": subject.size},
    })
    put = requests.put(f"{registry.url}/v2/{repo}/manifests/{sha256(manifest)}", data=manifest,
                       headers={"Content-Type": MANIFEST}, auth=registry.auth)
    assert put.status_code == 201, put.text
    assert put.headers.get("OCI-Subject") == subject_digest

    all_refs = curl("GET", f"{registry.url}/v2/{repo}/referrers/{subject_digest}")
    assert all_refs.status == 200
    assert all_refs.header("Content-Type").startswith(INDEX)
    listing = all_refs.json()
    assert listing["mediaType"] == INDEX and listing["schemaVersion"] == 2
    by_digest = {m["digest"]: m for m in listing["manifests"]}
    assert set(by_digest) == {sbom_digest, sha256(manifest)}
    assert by_digest[sbom_digest]["artifactType"] == SBOM_TYPE
    assert by_digest[sha256(manifest)]["artifactType"] == SIG_TYPE
    assert by_digest[sha256(manifest)]["size"] == len(manifest)

    filtered = curl("GET", f"{registry.url}/v2/{repo}/referrers/{subject_digest}?artifactType={SBOM_TYPE}")
    assert filtered.status == 200
    assert filtered.header("OCI-Filters-Applied") == "artifactType"
    assert [m["digest"] for m in filtered.json()["manifests"]] == [sbom_digest]

    none = curl("GET", f"{registry.url}/v2/{repo}/referrers/{sha256(os.urandom(8))}")
    assert none.status == 200 and none.json()["manifests"] == []
