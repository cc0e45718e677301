"""Raw HTTP (curl) checks of the blob and upload endpoints and their error paths."""
from __future__ import annotations

import os
import uuid

import pytest

from api_client import (absolute, digest_of, patch, push_blob, start_upload, upload_unknown_codes,
                        with_query)
from curl_http import curl

REPO = "e2e/api-blobs"


@pytest.fixture(scope="module")
def seeded(registry):
    data = os.urandom(100_000)
    return data, push_blob(registry, REPO, data)


def test_base_endpoint(registry):
    r = curl("GET", f"{registry.url}/v2/")
    assert r.status == 200
    assert r.header("Docker-Distribution-API-Version") == "registry/2.0"


def test_monolithic_upload_and_get(registry, seeded):
    data, digest = seeded
    r = curl("GET", f"{registry.url}/v2/{REPO}/blobs/{digest}")
    assert r.status == 200 and r.body == data
    if registry.kind == "berth":  # Distribution 2.8 canonicalises to sha256 here
        assert r.header("Docker-Content-Digest") == digest


def test_head_blob(registry, seeded):
    data, digest = seeded
    r = curl("HEAD", f"{registry.url}/v2/{REPO}/blobs/{digest}")
    assert r.status == 200 and r.body == b""
    assert r.header("Docker-Content-Digest") == digest
    assert int(r.header("Content-Length")) == len(data)


def test_range_get(registry, seeded):
    data, digest = seeded
    r = curl("GET", f"{registry.url}/v2/{REPO}/blobs/{digest}", headers={"Range": "bytes=1000-1999"})
    assert r.status == 206
    assert r.body == data[1000:2000]
    assert r.header("Content-Range") == f"bytes 1000-1999/{len(data)}"


def test_unknown_blob(registry, seeded):
    r = curl("GET", f"{registry.url}/v2/{REPO}/blobs/{digest_of(os.urandom(32))}")
    assert r.status == 404 and "BLOB_UNKNOWN" in r.error_codes()
    assert curl("HEAD", f"{registry.url}/v2/{REPO}/blobs/{digest_of(os.urandom(32))}").status == 404


def test_malformed_digest_on_completion(registry):
    location = start_upload(registry, REPO)
    r = curl("PUT", with_query(location, "digest=sha256:not-a-digest"), data=b"abc")
    assert r.status == 400 and "DIGEST_INVALID" in r.error_codes()


@pytest.mark.berth_only
def test_malformed_digest_on_monolithic_post(registry):
    r = curl("POST", f"{registry.url}/v2/{REPO}/blobs/uploads/?digest=sha256:not-a-digest", data=b"abc")
    assert r.status == 400 and "DIGEST_INVALID" in r.error_codes()
    r = curl("GET", f"{registry.url}/v2/{REPO}/blobs/sha256:XYZ")
    assert r.status in (400, 404)
    assert set(r.error_codes()) & {"DIGEST_INVALID", "BLOB_UNKNOWN"}


@pytest.mark.berth_only
def test_invalid_repository_name(registry):
    for path in ("/v2/E2E/UpperCase/tags/list", "/v2/e2e/Bad/blobs/uploads/"):
        r = curl("GET" if path.endswith("list") else "POST", registry.url + path)
        assert r.status == 400, (path, r.status, r.body)
        assert "NAME_INVALID" in r.error_codes()


def test_chunked_upload_with_status_and_ranges(registry):
    data = os.urandom(300_000)
    location = start_upload(registry, REPO)
    status = curl("GET", location)
    assert status.status == 204
    assert status.header("Location")
    offset = 0
    for size in (100_000, 150_000, 50_000):
        r = patch(location, data[offset:offset + size], offset)
        assert r.status == 202, (r.status, r.body)
        offset += size
        assert r.header("Range") == f"0-{offset - 1}"
        location = absolute(registry, r.header("Location"))
        status = curl("GET", location)
        assert status.status == 204 and status.header("Range") == f"0-{offset - 1}"
        assert status.header("Location")
    digest = digest_of(data)
    done = curl("PUT", with_query(location, f"digest={digest}"))
    assert done.status == 201, (done.status, done.body)
    assert done.header("Docker-Content-Digest") == digest
    got = curl("GET", f"{registry.url}/v2/{REPO}/blobs/{digest}")
    assert got.status == 200 and got.body == data


@pytest.mark.berth_only  # Distribution 2.8 appends and ignores Content-Range
def test_out_of_order_patch(registry):
    location = start_upload(registry, REPO)
    first = patch(location, os.urandom(100), 0)
    assert first.status == 202
    location = absolute(registry, first.header("Location"))
    r = patch(location, os.urandom(100), 200)
    assert r.status == 416, (r.status, r.body)


def test_put_with_wrong_digest(registry):
    location = start_upload(registry, REPO)
    data = os.urandom(1000)
    r = curl("PUT", with_query(location, f"digest={digest_of(os.urandom(10))}"), data=data)
    assert r.status == 400 and "DIGEST_INVALID" in r.error_codes()


def test_unknown_upload(registry):
    url = f"{registry.url}/v2/{REPO}/blobs/uploads/{uuid.uuid4()}"
    for method, data in (("GET", None), ("PATCH", b"x"), ("PUT", None)):
        target = url if method != "PUT" else with_query(url, f"digest={digest_of(b'x')}")
        r = curl(method, target, data=data)
        assert r.status == 404, (method, r.status, r.body)
        assert set(r.error_codes()) & upload_unknown_codes(registry)


def test_delete_upload(registry):
    location = start_upload(registry, REPO)
    first = patch(location, os.urandom(10), 0)
    assert first.status == 202
    location = absolute(registry, first.header("Location"))
    r = curl("DELETE", location)
    assert r.status == 204, (r.status, r.body)
    gone = curl("GET", location)
    assert gone.status == 404 and set(gone.error_codes()) & upload_unknown_codes(registry)


def test_cross_repository_mount(registry, seeded):
    data, digest = seeded
    r = curl("POST", f"{registry.url}/v2/e2e/mount-target/blobs/uploads/?mount={digest}&from={REPO}")
    assert r.status == 201, (r.status, r.body)
    assert r.header("Docker-Content-Digest") == digest
    assert r.header("Location")
    got = curl("GET", f"{registry.url}/v2/e2e/mount-target/blobs/{digest}")
    assert got.status == 200 and got.body == data


def test_mount_of_missing_blob_starts_upload(registry):
    missing = digest_of(os.urandom(16))
    r = curl("POST", f"{registry.url}/v2/e2e/mount-target/blobs/uploads/?mount={missing}&from={REPO}")
    assert r.status == 202, (r.status, r.body)
    assert curl("GET", absolute(registry, r.header("Location"))).status == 204


def test_sha512_blob(registry):
    data = os.urandom(5000)
    digest = push_blob(registry, REPO, data, alg="sha512")
    assert digest.startswith("sha512:") and len(digest) == 7 + 128
    r = curl("GET", f"{registry.url}/v2/{REPO}/blobs/{digest}")
    assert r.status == 200 and r.body == data
    if registry.kind == "berth":  # Distribution 2.8 canonicalises to sha256 here
        assert r.header("Docker-Content-Digest") == digest
