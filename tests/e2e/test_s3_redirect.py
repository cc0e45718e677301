"""S3 storage with `redirect=true`: blob GETs answer 307 with a presigned URL, clients (curl, skopeo) fetch
the bytes straight from the object store, and ranged GETs and HEADs are still served by Berth."""
from __future__ import annotations

import hashlib
import os
import secrets

import pytest
import requests

from conftest import require_tools, run
from oci_layout import Layout, random_files
from registry_server import RegistryServer
from test_cluster import _s3_endpoint

pytestmark = pytest.mark.berth_only


def test_blob_gets_redirect_to_presigned_urls(tmp_path):
    require_tools("skopeo")
    endpoint = _s3_endpoint()
    bucket = "redirect-" + secrets.token_hex(4)
    requests.put(f"{endpoint}/{bucket}", timeout=10).raise_for_status()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("BERTH_STORAGE_URL", f"s3://{bucket}/reg?endpoint={endpoint}&region=us-east-1&redirect=true")
        env.setenv("AWS_ACCESS_KEY_ID", "redirect")
        env.setenv("AWS_SECRET_ACCESS_KEY", "redirect-secret")
        env.setenv("AWS_REGION", "us-east-1")
        server = RegistryServer(tmp_path / "data", kind="berth").start()
    try:
        data = os.urandom(300_000)
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        r = requests.post(f"{server.url}/v2/library/redir/blobs/uploads/?digest={digest}", data=data,
                          auth=server.auth, timeout=30)
        assert r.status_code == 201, r.text
        blob_url = f"{server.url}/v2/library/redir/blobs/{digest}"
        r = requests.get(blob_url, auth=server.auth, allow_redirects=False, timeout=30)
        assert r.status_code == 307
        location = r.headers["Location"]
        assert location.startswith(endpoint) and "X-Amz-Signature=" in location
        # The presigned URL needs no registry credentials.
        direct = requests.get(location, timeout=30)
        assert direct.status_code == 200 and direct.content == data
        # A blob in another repository is not handed out.
        other = requests.get(f"{server.url}/v2/library/other/blobs/{digest}", auth=server.auth,
                             allow_redirects=False, timeout=30)
        assert other.status_code == 404
        # Ranges and HEAD are served by Berth itself.
        ranged = requests.get(blob_url, auth=server.auth, headers={"Range": "bytes=10-19"}, timeout=30)
        assert ranged.status_code == 206 and ranged.content == data[10:20]
        head = requests.head(blob_url, auth=server.auth, timeout=30)
        assert head.status_code == 200 and int(head.headers["Content-Length"]) == len(data)

        layout = Layout.create(tmp_path / "src")
        desc = layout.add_image(random_files("redirect", count=3, size=100_000), layers=2)
        layout.tag(desc, "v1")
        ref = f"docker://{server.host}/library/redir:v1"
        run(["skopeo", "copy", "--dest-tls-verify=false", "--dest-creds", server.creds, "--preserve-digests",
             f"oci:{layout.path}:v1", ref])
        out = tmp_path / "out"
        run(["skopeo", "copy", "--src-tls-verify=false", "--src-creds", server.creds, ref, f"oci:{out}:v1"])
        assert Layout(out).resolve("v1")["digest"] == desc["digest"]
        assert not Layout(out).verify_blobs(Layout(out).closure(desc["digest"]))
    finally:
        server.stop()
