"""Scanning end to end: a real Debian bookworm image pushed with skopeo to a project with auto_scan is
scanned on push against an imported OSV database; the report lists exactly the vulnerabilities the test
derived on its own from the image's dpkg status; with prevent_vul the pull is refused with Harbor's message;
an allowlist for those CVEs lets the pull through again."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import requests

from conftest import require_tools, run
from registry_server import RegistryServer, berth_binary

pytestmark = pytest.mark.berth_only

HIGH_VECTOR = "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N"     # 8.1, High
MEDIUM_VECTOR = "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N"   # 5.4, Medium


def dpkg_sources(rootfs: Path) -> dict[str, str]:
    """source package name -> source version, parsed from the image's dpkg status (independently of Berth)."""
    sources: dict[str, str] = {}
    for paragraph in (rootfs / "var/lib/dpkg/status").read_text().split("\n\n"):
        fields = {}
        for line in paragraph.splitlines():
            if line and not line[0].isspace() and ":" in line:
                key, value = line.split(":", 1)
                fields[key] = value.strip()
        if "installed" not in fields.get("Status", "") or "Package" not in fields:
            continue
        name, version = fields["Package"], fields["Version"]
        if "Source" in fields:
            parts = fields["Source"].split()
            name = parts[0]
            if len(parts) > 1:
                version = parts[1].strip("()")
        sources[name] = version
    return sources


def osv_record(index: int, source: str, fixed: str, vector: str) -> dict:
    return {"id": f"BERTH-E2E-{index:04d}", "aliases": [f"CVE-2099-{9000 + index}"],
            "summary": f"synthetic advisory {index} for {source}",
            "affected": [{"package": {"ecosystem": "Debian:12", "name": source},
                          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}]}],
            "severity": [{"type": "CVSS_V3", "score": vector}]}


def api(server, method, path, **kw):
    return requests.request(method, f"{server.url}/api/v2.0{path}", auth=server.auth, timeout=30, **kw)


def test_scan_on_push_report_gate_and_allowlist(debian_rootfs, debian_layout, tmp_path):
    require_tools("skopeo")
    sources = dpkg_sources(debian_rootfs)
    assert len(sources) > 20
    picked = sorted(sources)[:6]
    # Three advisories fixed in a newer version (the image is affected), one fixed in an older version
    # (not affected), with known severities.
    records = [osv_record(i, name, sources[name] + "+berth1", HIGH_VECTOR if i < 2 else MEDIUM_VECTOR)
               for i, name in enumerate(picked[:3])]
    records.append(osv_record(3, picked[3], "0~0", HIGH_VECTOR))
    expected = {r["aliases"][0]: r["affected"][0]["package"]["name"] for r in records[:3]}
    feed = tmp_path / "synthetic.osv.jsonl"
    feed.write_text("\n".join(json.dumps(r) for r in records) + "\n")

    server = RegistryServer(tmp_path / "data", kind="berth").start()
    try:
        r = api(server, "POST", "/projects", json={"project_name": "scanme", "metadata": {"auto_scan": "true"}})
        assert r.status_code == 201, r.text
        # The import runs while the server is up; the server picks the new database up by itself.
        out = run([str(berth_binary()), "vulndb", "import", "--data", str(server.data_dir), str(feed)])
        assert "4" in out.stdout + out.stderr

        layout, tag = debian_layout
        ref = f"docker://{server.host}/scanme/debian:12"
        run(["skopeo", "copy", "--dest-tls-verify=false", "--dest-creds", server.creds, "--preserve-digests",
             f"oci:{layout.path}:{tag}", ref], timeout=900)

        report = None
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            r = api(server, "GET", "/projects/scanme/repositories/debian/artifacts/12/additions/vulnerabilities")
            if r.status_code == 200 and r.json():
                report = next(iter(r.json().values()))
                if report.get("vulnerabilities") is not None:
                    break
            time.sleep(1)
        assert report is not None, "no scan report within 3 minutes"
        found = {v["id"]: v for v in report["vulnerabilities"]}
        assert set(found) == set(expected), (sorted(found), expected)
        for cve, source in expected.items():
            assert found[cve]["package"] and found[cve]["fix_version"].endswith("+berth1")
        assert found["CVE-2099-9000"]["severity"] == "High"
        assert found["CVE-2099-9002"]["severity"] == "Medium"
        assert report["severity"] == "High"

        # The pull gate: High or above blocks; two vulnerabilities are High.
        r = api(server, "PUT", "/projects/scanme/metadatas/prevent_vul", json={"prevent_vul": "true"})
        assert r.status_code == 200, r.text
        r = api(server, "PUT", "/projects/scanme/metadatas/severity", json={"severity": "high"})
        assert r.status_code == 200, r.text
        refused = run(["skopeo", "inspect", "--tls-verify=false", "--creds", server.creds, ref], check=False)
        assert refused.returncode != 0
        message = ("current image with 2 vulnerabilities cannot be pulled due to configured policy in "
                   "'Prevent images with vulnerability severity of \"High\" or higher from running.'")
        assert message in refused.stderr.replace('\\"', '"'), refused.stderr  # skopeo quotes the message
        head = requests.head(f"{server.url}/v2/scanme/debian/manifests/12", auth=server.auth, timeout=30,
                             headers={"Accept": "application/vnd.oci.image.manifest.v1+json"})
        assert head.status_code == 412

        # Allowlisting the two High CVEs in the project lets the pull through.
        r = api(server, "PUT", "/projects/scanme/metadatas/reuse_sys_cve_allowlist",
                json={"reuse_sys_cve_allowlist": "false"})
        assert r.status_code == 200, r.text
        r = api(server, "PUT", "/projects/scanme/cve_allowlist",
                json={"items": [{"cve_id": "CVE-2099-9000"}, {"cve_id": "CVE-2099-9001"}], "expires_at": None})
        assert r.status_code == 200, r.text
        out = tmp_path / "pulled"
        run(["skopeo", "copy", "--src-tls-verify=false", "--src-creds", server.creds, ref, f"oci:{out}:12"],
            timeout=900)
    finally:
        server.stop()
