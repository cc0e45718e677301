"""SBOM generation end to end: a real Debian bookworm image pushed with skopeo; POST …/scan with
{"scan_type":"sbom"} attaches an SPDX 2.3 and a CycloneDX 1.5 document as OCI referrers (subject = the
image), found through the referrers API (what `oras discover` reads) and pulled with the oras client; the
SPDX document lists exactly the dpkg packages the test reads from the rootfs itself. Regenerating replaces
the previous SBOM, and a project with auto_sbom_generation gets one on push."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path
from urllib.parse import unquote

import oras.client
import pytest
import requests

from conftest import STRICT, require_tools, run
from registry_server import RegistryServer
from test_scan import dpkg_paragraphs

pytestmark = pytest.mark.berth_only

MANIFEST = "application/vnd.oci.image.manifest.v1+json"
SPDX = "application/spdx+json"
CYCLONEDX = "application/vnd.cyclonedx+json"


def dpkg_installed(rootfs: Path) -> set[tuple[str, str]]:
    """(package, version) of every installed package in the rootfs's dpkg status, read by the test."""
    out = set()
    for fields in dpkg_paragraphs(rootfs):
        if fields.get("Status", "").endswith(" installed") and "Package" in fields:
            out.add((fields["Package"], fields["Version"]))
    return out


def api(server, method, path, **kw):
    return requests.request(method, f"{server.url}/api/v2.0{path}", auth=server.auth, timeout=30, **kw)


def image_digest(server, repo: str, tag: str) -> str:
    r = requests.head(f"{server.url}/v2/{repo}/manifests/{tag}", auth=server.auth, timeout=30,
                      headers={"Accept": MANIFEST})
    assert r.status_code == 200, r.text
    return r.headers["Docker-Content-Digest"]


def referrers(server, repo: str, digest: str) -> list[dict]:
    r = requests.get(f"{server.url}/v2/{repo}/referrers/{digest}", auth=server.auth, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()["manifests"]


def wait_for_sboms(server, repo: str, digest: str, not_digests: set[str] = frozenset(), timeout: float = 300) -> dict:
    """artifactType -> referrer descriptor, once both formats are attached (and none of not_digests is left)."""
    deadline = time.monotonic() + timeout
    listing: list[dict] = []
    while time.monotonic() < deadline:
        listing = referrers(server, repo, digest)
        by_type = {m.get("artifactType"): m for m in listing}
        if {SPDX, CYCLONEDX} <= set(by_type) and not ({m["digest"] for m in listing} & not_digests):
            return by_type
        time.sleep(1)
    raise AssertionError(f"no SBOM referrers within {timeout}s: {listing}\n{server.tail()}")


def oras_pull(server, repo: str, digest: str, outdir: Path) -> list[str]:
    client = oras.client.OrasClient(hostname=server.host, insecure=True, auth_backend="basic")
    client.auth.set_basic_auth(*server.auth)
    return client.pull(target=f"{server.host}/{repo}@{digest}", outdir=str(outdir))


def deb_packages_of_purls(purls: list[str]) -> set[tuple[str, str]]:
    out = set()
    for purl in purls:
        if not purl.startswith("pkg:deb/debian/"):
            continue
        path = purl.split("?", 1)[0][len("pkg:deb/debian/"):]
        name, version = path.split("@", 1)
        out.add((unquote(name), unquote(version)))
    return out


def validate_with_reference_tools(spdx_path: Path, cyclonedx_text: str) -> None:
    """The documents pass spdx-tools' full SPDX 2.3 validation and CycloneDX's strict 1.5 JSON schema, and
    every purl parses with packageurl-python."""
    try:
        from cyclonedx.schema import SchemaVersion
        from cyclonedx.validation.json import JsonStrictValidator
        from packageurl import PackageURL
        from spdx_tools.spdx.parser.parse_anything import parse_file
        from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document
    except ImportError as error:
        reason = f"SBOM reference validators not installed ({error}); scripts/install-deps.sh test installs them"
        if STRICT:
            pytest.fail(reason)
        pytest.skip("LOUD SKIP: " + reason)
    problems = validate_full_spdx_document(parse_file(str(spdx_path)))
    assert not problems, [p.validation_message for p in problems][:10]
    error = JsonStrictValidator(SchemaVersion.V1_5).validate_str(cyclonedx_text)
    assert error is None, str(error)[:2000]
    for component in json.loads(cyclonedx_text)["components"]:
        if "purl" in component:
            parsed = PackageURL.from_string(component["purl"])
            assert parsed.version == component["version"], (component["purl"], parsed.version)


def test_sbom_generated_attached_and_replaced(debian_rootfs, debian_layout, tmp_path, monkeypatch):
    require_tools("skopeo")
    installed = dpkg_installed(debian_rootfs)
    assert len(installed) > 50
    server = RegistryServer(tmp_path / "data", kind="berth").start()
    try:
        r = api(server, "POST", "/projects", json={"project_name": "sbom", "metadata": {"public": "false"}})
        assert r.status_code == 201, r.text
        layout, tag = debian_layout
        run(["skopeo", "copy", "--dest-tls-verify=false", "--dest-creds", server.creds, "--preserve-digests",
             f"oci:{layout.path}:{tag}", f"docker://{server.host}/sbom/debian:12"], timeout=900)
        digest = image_digest(server, "sbom/debian", "12")
        assert referrers(server, "sbom/debian", digest) == []

        artifact = "/projects/sbom/repositories/debian/artifacts/12/scan"
        assert api(server, "POST", artifact, json={"scan_type": "nonsense"}).status_code == 400
        r = api(server, "POST", artifact, json={"scan_type": "sbom"})
        assert r.status_code == 202, r.text
        found = wait_for_sboms(server, "sbom/debian", digest)
        spdx_ref, cdx_ref = found[SPDX], found[CYCLONEDX]
        assert spdx_ref["mediaType"] == MANIFEST
        assert spdx_ref["annotations"]["created-by"] == "Berth"

        # The SPDX artifact as oras sees it: one file, subject = the image, empty config.
        manifest = requests.get(f"{server.url}/v2/sbom/debian/manifests/{spdx_ref['digest']}", auth=server.auth,
                                headers={"Accept": MANIFEST}, timeout=30).json()
        assert manifest["artifactType"] == SPDX and manifest["subject"]["digest"] == digest
        assert manifest["config"]["mediaType"] == "application/vnd.oci.empty.v1+json"
        assert [layer["mediaType"] for layer in manifest["layers"]] == [SPDX]
        monkeypatch.chdir(tmp_path)
        pulled = oras_pull(server, "sbom/debian", spdx_ref["digest"], tmp_path / "spdx")
        assert [os.path.basename(p) for p in pulled] == ["sbom.spdx.json"]
        spdx = json.loads(Path(pulled[0]).read_text())
        assert spdx["spdxVersion"] == "SPDX-2.3" and spdx["dataLicense"] == "CC0-1.0"
        assert spdx["SPDXID"] == "SPDXRef-DOCUMENT" and spdx["documentNamespace"].startswith("https://")
        assert spdx["creationInfo"]["created"].endswith("Z") and spdx["creationInfo"]["creators"]
        describes = [rel for rel in spdx["relationships"] if rel["relationshipType"] == "DESCRIBES"]
        assert len(describes) == 1
        image = next(p for p in spdx["packages"] if p["SPDXID"] == describes[0]["relatedSpdxElement"])
        assert image["versionInfo"] == digest
        for package in spdx["packages"]:
            assert package["downloadLocation"] == "NOASSERTION" and package["SPDXID"].startswith("SPDXRef-")
        listed = {(p["name"], p["versionInfo"]) for p in spdx["packages"]
                  if any(ref["referenceLocator"].startswith("pkg:deb/") for ref in p.get("externalRefs", []))}
        assert listed == installed, (sorted(listed ^ installed)[:20])
        purls = [ref["referenceLocator"] for p in spdx["packages"] for ref in p.get("externalRefs", [])]
        assert deb_packages_of_purls(purls) == installed
        assert all("distro=debian-12" in p for p in purls if p.startswith("pkg:deb/"))
        assert all("arch=amd64" in p for p in purls if p.startswith("pkg:deb/"))

        # The CycloneDX artifact lists the same packages.
        cdx_manifest = requests.get(f"{server.url}/v2/sbom/debian/manifests/{cdx_ref['digest']}", auth=server.auth,
                                    headers={"Accept": MANIFEST}, timeout=30).json()
        blob = requests.get(f"{server.url}/v2/sbom/debian/blobs/{cdx_manifest['layers'][0]['digest']}",
                            auth=server.auth, timeout=30)
        cdx = blob.json()
        assert cdx["bomFormat"] == "CycloneDX" and cdx["specVersion"] == "1.5"
        assert cdx["serialNumber"].startswith("urn:uuid:") and cdx["metadata"]["component"]["type"] == "container"
        assert deb_packages_of_purls([c.get("purl", "") for c in cdx["components"]]) == installed
        assert any(c["type"] == "operating-system" and c["name"] == "debian" for c in cdx["components"])
        validate_with_reference_tools(Path(pulled[0]), blob.text)

        # Regenerating replaces both documents (a second later, so the creation time differs).
        time.sleep(1.1)
        r = api(server, "POST", artifact, json={"scan_type": "sbom"})
        assert r.status_code == 202, r.text
        again = wait_for_sboms(server, "sbom/debian", digest, not_digests={spdx_ref["digest"], cdx_ref["digest"]})
        listing = referrers(server, "sbom/debian", digest)
        assert sorted(m["artifactType"] for m in listing) == sorted([SPDX, CYCLONEDX]), listing
        gone = requests.get(f"{server.url}/v2/sbom/debian/manifests/{spdx_ref['digest']}", auth=server.auth,
                            headers={"Accept": MANIFEST}, timeout=30)
        assert gone.status_code == 404
        assert again[SPDX]["digest"] != spdx_ref["digest"]

        # Harbor-style addition: the newest SPDX document of the image, or the SBOM artifact's own.
        newest = requests.get(f"{server.url}/v2/sbom/debian/manifests/{again[SPDX]['digest']}", auth=server.auth,
                              headers={"Accept": MANIFEST}, timeout=30).json()
        layer = requests.get(f"{server.url}/v2/sbom/debian/blobs/{newest['layers'][0]['digest']}", auth=server.auth,
                             timeout=30).content
        addition = api(server, "GET", "/projects/sbom/repositories/debian/artifacts/12/additions/sbom")
        assert addition.status_code == 200 and addition.headers["Content-Type"].startswith(SPDX)
        assert addition.content == layer
        own = api(server, "GET", f"/projects/sbom/repositories/debian/artifacts/{again[SPDX]['digest']}/additions/sbom")
        assert own.status_code == 200 and own.content == layer
        none = api(server, "GET", f"/projects/sbom/repositories/debian/artifacts/{again[CYCLONEDX]['digest']}"
                                  "/additions/sbom")
        assert none.status_code == 404

        # A plain POST …/scan is still the vulnerability scan (no new referrers).
        assert api(server, "POST", artifact).status_code == 202

        # auto_sbom_generation: a push into such a project gets an SBOM by itself.
        r = api(server, "POST", "/projects", json={"project_name": "autosbom",
                                                   "metadata": {"auto_sbom_generation": "true"}})
        assert r.status_code == 201, r.text
        r = api(server, "GET", "/projects/autosbom")
        assert r.json()["metadata"].get("auto_sbom_generation") == "true", r.text
        run(["skopeo", "copy", "--dest-tls-verify=false", "--dest-creds", server.creds, "--preserve-digests",
             f"oci:{layout.path}:{tag}", f"docker://{server.host}/autosbom/debian:12"], timeout=900)
        auto = wait_for_sboms(server, "autosbom/debian", digest)
        assert auto[SPDX]["annotations"]["created-by"] == "Berth"
        # The SBOM artifacts themselves get no SBOM (they are not images).
        time.sleep(2)
        assert referrers(server, "autosbom/debian", auto[SPDX]["digest"]) == []

        # With auto_scan too, the SBOM follows the scan (from its stored inventory), even when the scan
        # cannot match for want of a vulnerability database.
        r = api(server, "POST", "/projects", json={"project_name": "both", "metadata": {
            "auto_scan": "true", "auto_sbom_generation": "true"}})
        assert r.status_code == 201, r.text
        run(["skopeo", "copy", "--dest-tls-verify=false", "--dest-creds", server.creds, "--preserve-digests",
             f"oci:{layout.path}:{tag}", f"docker://{server.host}/both/debian:12"], timeout=900)
        both = wait_for_sboms(server, "both/debian", digest)
        status = api(server, "GET", "/projects/both/repositories/debian/artifacts/12/scan/status").json()
        assert status["scan_status"] in ("Success", "Error"), status
        both_spdx = api(server, "GET", "/projects/both/repositories/debian/artifacts/12/additions/sbom").json()
        assert {(p["name"], p["versionInfo"]) for p in both_spdx["packages"]
                if any(ref["referenceLocator"].startswith("pkg:deb/") for ref in p.get("externalRefs", []))} == installed
        assert both[SPDX]["digest"] != auto[SPDX]["digest"]
    finally:
        server.stop()
