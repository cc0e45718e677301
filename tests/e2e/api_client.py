"""Registry API steps built on curl, shared by the protocol tests."""
from __future__ import annotations

import hashlib
import os
from urllib.parse import urljoin

from curl_http import CurlResponse, curl
from oci_layout import MANIFEST, canonical, sha256


def digest_of(data: bytes, alg: str = "sha256") -> str:
    return f"{alg}:{hashlib.new(alg, data).hexdigest()}"


def absolute(registry, location: str | None) -> str:
    assert location, "response has no Location header"
    return urljoin(registry.url + "/", location)


def with_query(url: str, query: str) -> str:
    return url + ("&" if "?" in url else "?") + query


def push_blob(registry, repo: str, data: bytes, alg: str = "sha256") -> str:
    """Monolithic upload (POST ?digest=); asserts 201 and returns the digest."""
    digest = digest_of(data, alg)
    r = curl("POST", f"{registry.url}/v2/{repo}/blobs/uploads/?digest={digest}", data=data)
    if r.status == 202 and registry.kind == "distribution":
        # Distribution 2.8 ignores a body on POST; it takes the POST-then-PUT monolithic form.
        r = curl("PUT", with_query(absolute(registry, r.header("Location")), f"digest={digest}"), data=data)
    assert r.status == 201, (r.status, r.body)
    if alg == "sha256" or registry.kind == "berth":  # Distribution answers with the sha256 digest
        assert r.header("Docker-Content-Digest") == digest, r.headers
    assert r.header("Location")
    return digest


def start_upload(registry, repo: str) -> str:
    """POST an empty upload session; returns its absolute Location."""
    r = curl("POST", f"{registry.url}/v2/{repo}/blobs/uploads/")
    assert r.status == 202, (r.status, r.body)
    return absolute(registry, r.header("Location"))


def patch(location: str, chunk: bytes, start: int) -> CurlResponse:
    return curl("PATCH", location, data=chunk,
                headers={"Content-Range": f"{start}-{start + len(chunk) - 1}",
                         "Content-Type": "application/octet-stream"})


def upload_unknown_codes(registry) -> set[str]:
    """The code for an unknown upload session (Distribution 2.8 says BLOB_UPLOAD_INVALID)."""
    return {"BLOB_UPLOAD_UNKNOWN"} | ({"BLOB_UPLOAD_INVALID"} if registry.kind == "distribution" else set())


def push_manifest(registry, repo: str, reference: str, layers: list[tuple[str, int]],
                  extra: dict | None = None) -> tuple[str, bytes]:
    """Uploads a config blob and PUTs an image manifest over the given (digest, size) layers."""
    config = canonical({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": []},
                        "nonce": os.urandom(8).hex()})
    config_digest = push_blob(registry, repo, config)
    body = canonical({"schemaVersion": 2, "mediaType": MANIFEST,
                      "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                 "digest": config_digest, "size": len(config)},
                      "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                                  "digest": d, "size": s} for d, s in layers],
                      **(extra or {})})
    r = curl("PUT", f"{registry.url}/v2/{repo}/manifests/{reference}", data=body,
             headers={"Content-Type": MANIFEST})
    assert r.status == 201, (r.status, r.body)
    assert r.header("Docker-Content-Digest") == sha256(body)
    return sha256(body), body
