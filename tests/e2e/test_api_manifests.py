"""Raw HTTP (curl) checks of manifests, tags, catalog and their error paths."""
from __future__ import annotations

import json
import os
import re
from urllib.parse import urljoin

import pytest

from api_client import digest_of, push_blob, push_manifest
from curl_http import curl
from oci_layout import MANIFEST, canonical

REPO = "e2e/api-manifests"
SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+prettyjws"


@pytest.fixture(scope="module")
def image(registry):
    layer = os.urandom(20_000)
    layer_digest = push_blob(registry, REPO, layer)
    digest, body = push_manifest(registry, REPO, "v1", [(layer_digest, len(layer))])
    return digest, body, layer_digest


def test_get_and_head_manifest(registry, image):
    digest, body, _ = image
    for ref in ("v1", digest):
        got = curl("GET", f"{registry.url}/v2/{REPO}/manifests/{ref}", headers={"Accept": MANIFEST})
        assert got.status == 200 and got.body == body
        assert got.header("Content-Type") == MANIFEST
        assert got.header("Docker-Content-Digest") == digest
        etag = got.header("ETag")
        assert etag and digest in etag
        head = curl("HEAD", f"{registry.url}/v2/{REPO}/manifests/{ref}", headers={"Accept": MANIFEST})
        assert head.status == 200
        assert head.header("Docker-Content-Digest") == digest
        assert int(head.header("Content-Length")) == len(body)


def test_manifest_put_location(registry, image):
    _, _, layer = image
    config = push_blob(registry, REPO, b'{"architecture":"amd64","os":"linux"}')
    body = canonical({"schemaVersion": 2, "mediaType": MANIFEST,
                      "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                 "digest": config, "size": 37},
                      "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                                  "digest": layer, "size": 20_000}]})
    r = curl("PUT", f"{registry.url}/v2/{REPO}/manifests/located", data=body, headers={"Content-Type": MANIFEST})
    assert r.status == 201 and r.header("Location")
    assert r.header("Docker-Content-Digest") == digest_of(body)


def test_manifest_with_missing_blob(registry, image):
    _, body, layer = image
    broken = body.replace(layer.encode(), digest_of(os.urandom(8)).encode())
    r = curl("PUT", f"{registry.url}/v2/{REPO}/manifests/broken", data=broken, headers={"Content-Type": MANIFEST})
    assert r.status == 400, (r.status, r.body)
    assert "MANIFEST_BLOB_UNKNOWN" in r.error_codes()


def test_invalid_json_manifest(registry):
    r = curl("PUT", f"{registry.url}/v2/{REPO}/manifests/bad", data=b'{"schemaVersion": 2, "layers": [',
             headers={"Content-Type": MANIFEST})
    assert r.status == 400 and "MANIFEST_INVALID" in r.error_codes()


def test_schema1_manifest_refused(registry, image):
    _, _, layer = image
    schema1 = json.dumps({"schemaVersion": 1, "name": REPO, "tag": "old", "architecture": "amd64",
                          "fsLayers": [{"blobSum": layer}], "history": [{"v1Compatibility": "{}"}]}).encode()
    r = curl("PUT", f"{registry.url}/v2/{REPO}/manifests/old", data=schema1, headers={"Content-Type": SCHEMA1})
    assert r.status in (400, 415), (r.status, r.body)
    assert set(r.error_codes()) & {"MANIFEST_INVALID", "UNSUPPORTED"}
    assert curl("GET", f"{registry.url}/v2/{REPO}/manifests/old").status == 404


def test_unknown_manifest_and_repository(registry, image):
    r = curl("GET", f"{registry.url}/v2/{REPO}/manifests/no-such-tag", headers={"Accept": MANIFEST})
    assert r.status == 404 and "MANIFEST_UNKNOWN" in r.error_codes()
    r = curl("GET", f"{registry.url}/v2/e2e/never-pushed/manifests/latest", headers={"Accept": MANIFEST})
    assert r.status == 404
    assert set(r.error_codes()) & {"NAME_UNKNOWN", "MANIFEST_UNKNOWN"}
    r = curl("GET", f"{registry.url}/v2/e2e/never-pushed/tags/list")
    assert r.status == 404 and "NAME_UNKNOWN" in r.error_codes()


def next_link(registry, response) -> str | None:
    link = response.header("Link")
    if not link:
        return None
    m = re.match(r'\s*<([^>]+)>\s*;\s*rel="?next"?', link)
    assert m, link
    return urljoin(registry.url + "/", m.group(1))


TAG_REPO = "e2e/tag-pages"
TAGS = [f"t{i:02d}" for i in range(5)]


@pytest.fixture(scope="module")
def tagged(registry):
    layer_digest = push_blob(registry, TAG_REPO, os.urandom(100))
    for tag in reversed(TAGS):
        push_manifest(registry, TAG_REPO, tag, [(layer_digest, 100)])
    return TAGS


def test_tags_list(registry, tagged):
    full = curl("GET", f"{registry.url}/v2/{TAG_REPO}/tags/list")
    assert full.status == 200 and full.json()["name"] == TAG_REPO
    listed = full.json()["tags"]
    # The OCI spec asks for lexical order; Distribution 2.8 does not sort.
    assert (listed if registry.kind == "berth" else sorted(listed)) == tagged


@pytest.mark.berth_only  # Distribution 2.8 ignores n and last on tags/list
def test_tags_list_pagination(registry, tagged):
    pages, url = [], f"{registry.url}/v2/{TAG_REPO}/tags/list?n=2"
    while url:
        r = curl("GET", url)
        assert r.status == 200
        pages.append(r.json()["tags"])
        url = next_link(registry, r)
        assert len(pages) < 10
    assert pages == [["t00", "t01"], ["t02", "t03"], ["t04"]]
    after = curl("GET", f"{registry.url}/v2/{TAG_REPO}/tags/list?n=10&last=t02").json()["tags"]
    assert after == ["t03", "t04"]


def test_catalog_pagination(registry, image):
    names, url, pages = [], f"{registry.url}/v2/_catalog?n=1", 0
    while url:
        r = curl("GET", url)
        assert r.status == 200
        page = r.json()["repositories"]
        assert len(page) <= 1
        names += page
        url = next_link(registry, r)
        pages += 1
        assert pages < 500
    assert REPO in names
    assert names == sorted(names) and len(names) == len(set(names))
    full = curl("GET", f"{registry.url}/v2/_catalog").json()["repositories"]
    assert full == names
    first = names.index(REPO)
    after = curl("GET", f"{registry.url}/v2/_catalog?n=1&last={REPO}").json()["repositories"]
    assert after == names[first + 1:first + 2]
