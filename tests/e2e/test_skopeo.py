"""skopeo against the registry: image round trip, multi-arch index round trip, delete."""
from __future__ import annotations

import hashlib
import json

from conftest import require_tools, run
from curl_http import curl
from oci_layout import Layout, MANIFEST, INDEX


def creds_flags(registry, src: str, dst: str) -> list[str]:
    """--src-creds/--dest-creds for whichever side is this registry (as admin)."""
    if not registry.creds:
        return []
    return ([f"--src-creds={registry.creds}"] if src.startswith(f"docker://{registry.host}/") else []) + \
        ([f"--dest-creds={registry.creds}"] if dst.startswith(f"docker://{registry.host}/") else [])


def inspect_flags(registry) -> list[str]:
    return [f"--creds={registry.creds}"] if registry.creds else []


def skopeo_copy(registry, src: str, dst: str, *extra: str) -> None:
    # --preserve-digests: without it skopeo may swap a layer for a differently compressed copy that its
    # machine-wide blob-info cache saw elsewhere in the registry (e.g. after the podman test), changing
    # the manifest digest. We test that the registry round-trips bytes, so forbid any rewriting.
    run(["skopeo", "copy", "--preserve-digests", "--src-tls-verify=false", "--dest-tls-verify=false",
         *creds_flags(registry, src, dst), *extra, src, dst], timeout=900)


def test_image_round_trip(registry, debian_layout, tmp_path):
    require_tools("skopeo")
    layout, tag = debian_layout
    source = layout.resolve(tag)
    source_blobs = layout.closure(source["digest"])
    assert len([m for m in source_blobs.values() if "layer" in m]) >= 2, source_blobs

    skopeo_copy(registry, f"oci:{layout.path}:{tag}", f"docker://{registry.host}/library/debian:12")

    head = curl("HEAD", f"{registry.url}/v2/library/debian/manifests/12",
                headers={"Accept": f"{MANIFEST}, {INDEX}"})
    assert head.status == 200
    assert head.header("Docker-Content-Digest") == source["digest"]
    raw = run(["skopeo", "inspect", "--tls-verify=false", *inspect_flags(registry), "--raw", f"docker://{registry.host}/library/debian:12"])
    assert "sha256:" + hashlib.sha256(raw.stdout.encode()).hexdigest() == source["digest"]

    out = Layout(tmp_path / "pulled")
    skopeo_copy(registry, f"docker://{registry.host}/library/debian:12", f"oci:{out.path}:back")
    pulled = out.resolve("back")
    assert pulled["digest"] == source["digest"]
    assert out.closure(pulled["digest"]) == source_blobs
    assert out.verify_blobs(source_blobs) == []
    for digest in source_blobs:
        assert out.read_blob(digest) == layout.read_blob(digest), digest


def test_multiarch_index_round_trip(registry, multiarch_layout, tmp_path):
    require_tools("skopeo")
    layout, tag = multiarch_layout
    index = layout.resolve(tag)
    expected = layout.closure(index["digest"])
    assert len(json.loads(layout.read_blob(index["digest"]))["manifests"]) == 2

    skopeo_copy(registry, f"oci:{layout.path}:{tag}", f"docker://{registry.host}/e2e/multi:1", "--all")
    raw = run(["skopeo", "inspect", "--tls-verify=false", *inspect_flags(registry), "--raw", f"docker://{registry.host}/e2e/multi:1"])
    assert "sha256:" + hashlib.sha256(raw.stdout.encode()).hexdigest() == index["digest"]

    for child in json.loads(layout.read_blob(index["digest"]))["manifests"]:
        r = curl("GET", f"{registry.url}/v2/e2e/multi/manifests/{child['digest']}",
                 headers={"Accept": MANIFEST})
        assert r.status == 200 and r.body == layout.read_blob(child["digest"])

    out = Layout(tmp_path / "pulled")
    skopeo_copy(registry, f"docker://{registry.host}/e2e/multi:1", f"oci:{out.path}:back", "--all")
    assert out.resolve("back")["digest"] == index["digest"]
    assert out.closure(index["digest"]) == expected
    assert out.verify_blobs(expected) == []


def test_delete_then_manifest_unknown(registry, multiarch_layout):
    require_tools("skopeo")
    layout, tag = multiarch_layout
    child = json.loads(layout.read_blob(layout.resolve(tag)["digest"]))["manifests"][0]
    ref = f"{registry.host}/e2e/deleteme:doomed"
    # Copy only one platform, so the manifest is a plain image manifest.
    layout.tag(child, "one-platform")
    skopeo_copy(registry, f"oci:{layout.path}:one-platform", f"docker://{ref}")
    assert curl("GET", f"{registry.url}/v2/e2e/deleteme/manifests/{child['digest']}",
                headers={"Accept": MANIFEST}).status == 200

    run(["skopeo", "delete", "--tls-verify=false", *inspect_flags(registry), f"docker://{ref}"])

    for reference in (child["digest"], "doomed"):
        r = curl("GET", f"{registry.url}/v2/e2e/deleteme/manifests/{reference}", headers={"Accept": MANIFEST})
        assert r.status == 404, (reference, r.status, r.body)
        assert "MANIFEST_UNKNOWN" in r.error_codes()
