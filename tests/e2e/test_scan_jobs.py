"""Scans as durable jobs and the pull gate's other two messages, end to end against `berth serve`:
- an artifact never scanned is refused with Harbor's "without vulnerability scanning" message;
- a scan that fails for good (a layer with a `../` path) shows Error in `…/scan/status` and in the
  artifact list's scan_overview, and the pull is refused with Harbor's "status of vulnerability scanning"
  message;
- a one-vulnerability image is refused with the singular message; an expired allowlist (project, then
  system) is ignored, an unexpired one lets the pull through;
- berth killed (SIGKILL) in the middle of a scan: after a restart the job is taken up again and the scan
  finishes with a report."""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tarfile
import time
import zlib
from pathlib import Path

import pytest
import requests

from conftest import WORK, run
from oci_layout import canonical, sha256
from registry_server import RegistryServer, berth_binary

pytestmark = pytest.mark.berth_only

POLICY = "'Prevent images with vulnerability severity of \"High\" or higher from running.'"
NOT_SCANNED = ("current image without vulnerability scanning cannot be pulled due to configured policy in "
               f"{POLICY} To continue with pull, please contact your project administrator for help.")
FAILED = ("current image with \"Error\" status of vulnerability scanning cannot be pulled due to configured policy in "
          f"{POLICY} To continue with pull, please contact your project administrator for help.")
ONE = ("current image with 1 vulnerability cannot be pulled due to configured policy in "
       f"{POLICY} To continue with pull, please contact your project administrator to exempt matched "
       "vulnerabilities through configuring the CVE allowlist.")
HIGH_VECTOR = "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N"     # 8.1, High
LOW_VECTOR = "CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N"      # 2.0, Low
OS_RELEASE = b'ID=debian\nVERSION_ID="12"\n'
MANIFEST = "application/vnd.oci.image.manifest.v1+json"


def api(server, method, path, **kw):
    return requests.request(method, f"{server.url}/api/v2.0{path}", auth=server.auth, timeout=60, **kw)


def tar_gz(entries: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    """A gzip'ed tar of the entries in order, names as given (even `../`); returns (blob, diff_id)."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in entries:
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue(), mtime=0), sha256(raw.getvalue())


def push_blob(server, repo: str, data: bytes) -> str:
    digest = sha256(data)
    r = requests.post(f"{server.url}/v2/{repo}/blobs/uploads/", auth=server.auth, timeout=60)
    assert r.status_code == 202, r.text
    location = r.headers["Location"]
    location = location if location.startswith("http") else server.url + location
    r = requests.put(location, params={"digest": digest}, data=data, auth=server.auth, timeout=600,
                     headers={"Content-Type": "application/octet-stream"})
    assert r.status_code == 201, r.text
    return digest


def push_image(server, repo: str, tag: str, layers: list[tuple[bytes, str]]) -> str:
    """Pushes an image of pre-built (blob, diff_id) layers; returns its manifest digest."""
    config = canonical({"architecture": "amd64", "os": "linux", "config": {},
                        "rootfs": {"type": "layers", "diff_ids": [d for _, d in layers]}})
    manifest = {"schemaVersion": 2, "mediaType": MANIFEST,
                "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": push_blob(server, repo, config),
                           "size": len(config)},
                "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                            "digest": push_blob(server, repo, blob), "size": len(blob)} for blob, _ in layers]}
    body = canonical(manifest)
    r = requests.put(f"{server.url}/v2/{repo}/manifests/{tag}", data=body, auth=server.auth, timeout=60,
                     headers={"Content-Type": MANIFEST})
    assert r.status_code == 201, r.text
    return sha256(body)


def pull_refusal(server, repo: str, tag: str) -> tuple[int, str]:
    r = requests.get(f"{server.url}/v2/{repo}/manifests/{tag}", auth=server.auth, timeout=60,
                     headers={"Accept": MANIFEST})
    if r.status_code == 200:
        return 200, ""
    errors = r.json()["errors"]
    assert errors[0]["code"] == "PROJECTPOLICYVIOLATION", r.text
    return r.status_code, errors[0]["message"]


def scan_status(server, project: str, repo: str, ref: str) -> dict:
    r = api(server, "GET", f"/projects/{project}/repositories/{repo}/artifacts/{ref}/scan/status")
    assert r.status_code == 200, r.text
    return r.json()


def wait_status(server, project, repo, ref, wanted: set[str], timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = scan_status(server, project, repo, ref)
        if status["scan_status"] in wanted:
            return status
        time.sleep(0.2)
    raise AssertionError(f"scan of {repo}:{ref} never reached {wanted}: {status}\n{server.tail()}")


def overview(server, project, repo, digest) -> dict:
    r = api(server, "GET", f"/projects/{project}/repositories/{repo}/artifacts", params={"with_scan_overview": "true"})
    assert r.status_code == 200, r.text
    row = next(a for a in r.json() if a["digest"] == digest)
    return row["scan_overview"]["application/vnd.security.vulnerability.report; version=1.1"]


def osv(index: int, package: str, vector: str) -> str:
    return json.dumps({"id": f"BERTH-JOBS-{index}", "aliases": [f"CVE-2097-{index}"],
                       "affected": [{"package": {"ecosystem": "Debian:12", "name": package},
                                     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "9.0-1"}]}]}],
                       "severity": [{"type": "CVSS_V3", "score": vector}]})


def test_failed_and_unscanned_gate_messages_and_allowlist_expiry(tmp_path, monkeypatch):
    monkeypatch.setenv("BERTH_SCAN_ATTEMPTS", "1")
    feed = tmp_path / "feed.jsonl"
    feed.write_text(osv(1, "berth-high", HIGH_VECTOR) + "\n" + osv(2, "berth-low", LOW_VECTOR) + "\n")
    server = RegistryServer(tmp_path / "data", kind="berth").start()
    try:
        r = api(server, "POST", "/projects", json={"project_name": "gate", "metadata": {
            "prevent_vul": "true", "severity": "high", "reuse_sys_cve_allowlist": "false"}})
        assert r.status_code == 201, r.text
        run([str(berth_binary()), "vulndb", "import", "--data", str(server.data_dir), str(feed)])
        status = b"".join(f"Package: {n}\nStatus: install ok installed\nVersion: 1.0-1\n\n".encode()
                          for n in ("berth-high", "berth-low"))
        good = push_image(server, "gate/app", "v1", [tar_gz([("etc/os-release", OS_RELEASE),
                                                              ("var/lib/dpkg/status", status)])])
        evil = push_image(server, "gate/evil", "v1", [tar_gz([("etc/os-release", OS_RELEASE),
                                                               ("../../escape", b"outside")])])

        # Never scanned.
        assert scan_status(server, "gate", "app", "v1")["scan_status"] == "Not Scanned"
        assert pull_refusal(server, "gate/app", "v1") == (412, NOT_SCANNED)

        # A scan that fails for good: Error everywhere, and the failed-scan message.
        assert api(server, "POST", "/projects/gate/repositories/evil/artifacts/v1/scan").status_code == 202
        failed = wait_status(server, "gate", "evil", "v1", {"Error", "Success"})
        assert failed["scan_status"] == "Error", failed
        shown = overview(server, "gate", "evil", evil)
        assert shown["scan_status"] == "Error" and shown["end_time"] and shown["complete_percent"] == 100
        assert pull_refusal(server, "gate/evil", "v1") == (412, FAILED)
        assert not (tmp_path / "escape").exists() and not (server.data_dir.parent / "escape").exists()

        # One High vulnerability (the Low one does not count): the singular message.
        assert api(server, "POST", "/projects/gate/repositories/app/artifacts/v1/scan").status_code == 202
        assert wait_status(server, "gate", "app", "v1", {"Success", "Error"})["scan_status"] == "Success"
        shown = overview(server, "gate", "app", good)
        assert shown["severity"] == "High" and shown["summary"]["total"] == 2, shown
        assert shown["summary"]["summary"] == {"High": 1, "Low": 1} and shown["start_time"], shown
        assert pull_refusal(server, "gate/app", "v1") == (412, ONE)

        # The project's allowlist: ignored once expired, honoured before.
        past, future = int(time.time()) - 60, int(time.time()) + 3600
        for expires, allowed in ((past, False), (future, True)):
            r = api(server, "PUT", "/projects/gate/cve_allowlist",
                    json={"items": [{"cve_id": "CVE-2097-1"}], "expires_at": expires})
            assert r.status_code == 200, r.text
            assert pull_refusal(server, "gate/app", "v1") == ((200, "") if allowed else (412, ONE))
        # The system list, once the project reuses it: the same.
        r = api(server, "PUT", "/projects/gate/metadatas/reuse_sys_cve_allowlist", json={"reuse_sys_cve_allowlist": "true"})
        assert r.status_code == 200, r.text
        for expires, allowed in ((past, False), (future, True)):
            r = api(server, "PUT", "/system/CVEAllowlist", json={"items": [{"cve_id": "CVE-2097-1"}], "expires_at": expires})
            assert r.status_code == 200, r.text
            assert pull_refusal(server, "gate/app", "v1") == ((200, "") if allowed else (412, ONE))
    finally:
        server.stop()


def big_layer() -> tuple[bytes, str]:
    """A gzip'ed tar holding 3 GiB of zeros (about 14 MB compressed; slow enough to read that a scan
    can be caught running), cached in tests/e2e/.work."""
    blob_path, diff_path = WORK / "scan-zeros-3g.tar.gz", WORK / "scan-zeros-3g.diffid"
    if blob_path.exists() and diff_path.exists():
        return blob_path.read_bytes(), diff_path.read_text().strip()
    WORK.mkdir(parents=True, exist_ok=True)
    size = 3 << 30
    info = tarfile.TarInfo("data/zeros.bin")
    info.size, info.mode, info.mtime = size, 0o644, 0
    header = info.tobuf(format=tarfile.USTAR_FORMAT)
    compressor = zlib.compressobj(1, zlib.DEFLATED, 31)
    plain = hashlib.sha256()
    out = io.BytesIO()

    def feed(chunk: bytes) -> None:
        plain.update(chunk)
        out.write(compressor.compress(chunk))

    feed(OS_RELEASE_ENTRY + header)
    zeros = bytes(1 << 20)
    for _ in range(size >> 20):
        feed(zeros)
    feed(bytes(1024))   # the end-of-archive blocks (3 GiB is a multiple of 512: no padding)
    out.write(compressor.flush())
    tmp = blob_path.with_suffix(".tmp")
    tmp.write_bytes(out.getvalue())
    os.replace(tmp, blob_path)
    diff_path.write_text("sha256:" + plain.hexdigest())
    return out.getvalue(), "sha256:" + plain.hexdigest()


def _os_release_entry() -> bytes:
    info = tarfile.TarInfo("etc/os-release")
    info.size, info.mode, info.mtime = len(OS_RELEASE), 0o644, 0
    padding = (512 - len(OS_RELEASE) % 512) % 512
    return info.tobuf(format=tarfile.USTAR_FORMAT) + OS_RELEASE + bytes(padding)


OS_RELEASE_ENTRY = _os_release_entry()


def test_scan_killed_midway_finishes_after_restart(tmp_path, monkeypatch):
    # A short lease, so the attempt the kill interrupted is taken up again soon after the restart.
    monkeypatch.setenv("BERTH_SCAN_TIMEOUT_SECONDS", "20")
    layer = big_layer()
    server = RegistryServer(tmp_path / "data", kind="berth").start()
    try:
        r = api(server, "POST", "/projects", json={"project_name": "crash"})
        assert r.status_code == 201, r.text
        digest = push_image(server, "crash/big", "v1", [layer])
        assert api(server, "POST", "/projects/crash/repositories/big/artifacts/v1/scan").status_code == 202
        seen = wait_status(server, "crash", "big", "v1", {"Running", "Success", "Error"}, timeout=60)
        assert seen["scan_status"] == "Running", f"the scan was not caught running: {seen}"
        server.kill()

        server.start()
        assert scan_status(server, "crash", "big", "v1")["scan_status"] in {"Running", "Pending"}
        done = wait_status(server, "crash", "big", "v1", {"Success", "Error"}, timeout=180)
        assert done["scan_status"] == "Success", f"{done}\n{server.tail()}"
        r = api(server, "GET", "/projects/crash/repositories/big/artifacts/v1/additions/vulnerabilities")
        report = next(iter(r.json().values()))
        assert report["artifact"]["digest"] == digest and report["vulnerabilities"] == []
        shown = overview(server, "crash", "big", digest)
        assert shown["scan_status"] == "Success" and shown["severity"] == "None" and shown["summary"]["total"] == 0
    finally:
        server.stop()
