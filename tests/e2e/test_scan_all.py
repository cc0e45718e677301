"""Scan all end to end: two tiny Debian-like images (a dpkg status in one layer) and one OCI artifact that is
not an image are pushed with skopeo to a project without scan on push; a synthetic OSV database is imported;
`POST /system/scanAll/schedule` with type Manual scans every image; `/scans/all/metrics` is polled until
the run completed; each artifact row of `?with_scan_overview=true` carries Harbor's scan_overview with the
counts the test expects from its own advisories. A Custom schedule is saved, read back and fires once per
firing (`/scans/schedule/metrics`); the project's cve_allowlist is written through the project body and read
back from both paths."""
from __future__ import annotations

import json

import pytest
import requests

from conftest import require_tools, run, wait_until
from oci_layout import Layout, canonical
from registry_server import RegistryServer, berth_binary

pytestmark = pytest.mark.berth_only

OS_RELEASE = b'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n'
HIGH = "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N"     # 8.1
MEDIUM = "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N"   # 5.4
REPORT = "application/vnd.security.vulnerability.report; version=1.1"


def dpkg_status(packages: dict[str, str]) -> bytes:
    return "\n".join(f"Package: {name}\nStatus: install ok installed\nArchitecture: amd64\nVersion: {version}\n"
                     for name, version in packages.items()).encode()


def advisory(index: int, package: str, vector: str, fixed: str | None) -> dict:
    events = [{"introduced": "0"}] + ([{"fixed": fixed}] if fixed else [])
    return {"id": f"BERTH-ALL-{index}", "aliases": [f"CVE-2098-{1000 + index}"], "summary": f"advisory {index}",
            "affected": [{"package": {"ecosystem": "Debian:12", "name": package},
                          "ranges": [{"type": "ECOSYSTEM", "events": events}]}],
            "severity": [{"type": "CVSS_V3", "score": vector}]}


def api(server, method, path, auth="admin", **kw):
    return requests.request(method, f"{server.url}/api/v2.0{path}", auth=server.auth if auth == "admin" else auth,
                            timeout=30, **kw)


def push(server, layout: Layout, tag: str, repository: str) -> None:
    run(["skopeo", "copy", "--dest-tls-verify=false", "--dest-creds", server.creds, "--preserve-digests",
         f"oci:{layout.path}:{tag}", f"docker://{server.host}/scanall/{repository}:{tag}"], timeout=300)


def test_scan_all_overview_schedule_and_project_allowlist(tmp_path):
    require_tools("skopeo")
    layout = Layout.create(tmp_path / "layout")
    # alpha: libfoo (High, fixable) + libbar (Medium, fixable) + libbaz (Medium, no fix) -> 3 vulnerabilities.
    alpha = layout.add_image({"etc/os-release": OS_RELEASE,
                              "var/lib/dpkg/status": dpkg_status({"libfoo": "1.0-1", "libbar": "2.0-1", "libbaz": "0.9"})})
    # beta: libfoo fixed already, libbar affected -> 1 Medium.
    beta = layout.add_image({"etc/os-release": OS_RELEASE,
                             "var/lib/dpkg/status": dpkg_status({"libfoo": "1.5-1", "libbar": "2.0-1"})})
    layout.tag(alpha, "alpha")
    layout.tag(beta, "beta")
    # Not an image (a config of another media type): scan all leaves it alone.
    config = layout.add_blob(b"{}", "application/vnd.example.thing.config.v1+json")
    data = layout.add_blob(b"hello", "application/octet-stream")
    thing = layout.add_blob(canonical({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                                       "config": config, "layers": [data]}), "application/vnd.oci.image.manifest.v1+json")
    layout.tag(thing, "thing")
    feed = tmp_path / "feed.osv.jsonl"
    feed.write_text("\n".join(json.dumps(r) for r in [
        advisory(1, "libfoo", HIGH, "1.1-1"), advisory(2, "libbar", MEDIUM, "2.1-1"),
        advisory(3, "libbaz", MEDIUM, None)]) + "\n")

    server = RegistryServer(tmp_path / "data", kind="berth").start()
    try:
        r = api(server, "POST", "/projects", json={
            "project_name": "scanall", "metadata": {"public": "false"},
            "cve_allowlist": {"items": [{"cve_id": "CVE-2098-1001"}], "expires_at": 4102444800}})
        assert r.status_code == 201, r.text
        run([str(berth_binary()), "vulndb", "import", "--data", str(server.data_dir), str(feed)])
        push(server, layout, "alpha", "one")
        push(server, layout, "beta", "two")
        push(server, layout, "alpha", "two")   # the same image in a second repository
        push(server, layout, "thing", "two")

        def rows(repository):
            r = api(server, "GET", f"/projects/scanall/repositories/{repository}/artifacts",
                    params={"with_scan_overview": "true", "page_size": 50})
            assert r.status_code == 200, r.text
            return {row["digest"]: row for row in r.json()}

        # Nothing scanned yet: no scan_overview anywhere.
        assert all("scan_overview" not in row for row in list(rows("one").values()) + list(rows("two").values()))
        r = api(server, "GET", "/scans/all/metrics")
        assert r.status_code == 200 and r.json()["total"] == 0 and r.json()["ongoing"] is False, r.text

        # Writes and reads are for system administrators; anonymous callers are told to log in.
        assert api(server, "POST", "/system/scanAll/schedule", auth=None,
                   json={"schedule": {"type": "Manual"}}).status_code == 401
        assert api(server, "GET", "/scans/all/metrics", auth=None).status_code == 401
        assert api(server, "POST", "/system/scanAll/schedule", json={"schedule": {"type": "Sometimes"}}).status_code == 400

        r = api(server, "POST", "/system/scanAll/schedule", json={"schedule": {"type": "Manual"}})
        assert r.status_code == 201, r.text

        def done():
            stats = api(server, "GET", "/scans/all/metrics").json()
            return (not stats["ongoing"] and stats["total"] > 0), stats
        stats = wait_until(done, 120, "scan all did not complete")
        # Two distinct images (alpha is in two repositories but scanned once per digest); the other artifact is skipped.
        assert stats["total"] == 2 and stats["completed"] == 2, stats
        assert stats["metrics"]["Success"] == 2 and stats["trigger"] == "Manual" and stats["requester"] == "admin", stats

        one, two = rows("one"), rows("two")
        expected = {alpha["digest"]: ("High", 3, 2, {"High": 1, "Medium": 2}),
                    beta["digest"]: ("Medium", 1, 1, {"Medium": 1})}
        for table in (one, two):
            for digest, row in table.items():
                if digest == thing["digest"]:
                    assert "scan_overview" not in row
                    continue
                overview = row["scan_overview"][REPORT]
                severity, total, fixable, summary = expected[digest]
                assert overview["scan_status"] == "Success" and overview["complete_percent"] == 100, overview
                assert overview["severity"] == severity
                assert overview["summary"] == {"total": total, "fixable": fixable, "summary": summary}, overview
                assert overview["scanner"]["name"] == "Berth" and overview["report_id"] and overview["end_time"]
        assert set(two) == {alpha["digest"], beta["digest"], thing["digest"]}
        single = api(server, "GET", f"/projects/scanall/repositories/one/artifacts/alpha",
                     params={"with_scan_overview": "true"}).json()
        assert single["scan_overview"][REPORT]["summary"]["total"] == 3
        assert "scan_overview" not in api(server, "GET", "/projects/scanall/repositories/one/artifacts/alpha").json()

        # Schedules: none, then Custom, read back; a second POST conflicts; PUT changes it; None removes it.
        assert api(server, "GET", "/system/scanAll/schedule").json()["schedule"]["type"] == "None"
        r = api(server, "POST", "/system/scanAll/schedule", json={"schedule": {"type": "Custom", "cron": "0 0 3 * * *"}})
        assert r.status_code == 201, r.text
        got = api(server, "GET", "/system/scanAll/schedule").json()
        assert got["schedule"]["type"] == "Custom" and got["schedule"]["cron"] == "0 0 3 * * *", got
        assert got["schedule"]["next_scheduled_time"].endswith("T03:00:00.000Z"), got
        assert api(server, "POST", "/system/scanAll/schedule",
                   json={"schedule": {"type": "Daily", "cron": "0 0 0 * * *"}}).status_code == 409
        assert api(server, "PUT", "/system/scanAll/schedule",
                   json={"schedule": {"type": "Custom", "cron": "not a cron"}}).status_code == 400
        assert api(server, "PUT", "/system/scanAll/schedule", json={"schedule": {"type": "Manual"}}).status_code == 400
        # Every five seconds: a scheduled run shows up in /scans/schedule/metrics.
        r = api(server, "PUT", "/system/scanAll/schedule", json={"schedule": {"type": "Custom", "cron": "*/5 * * * * *"}})
        assert r.status_code == 200, r.text

        def scheduled():
            stats = api(server, "GET", "/scans/schedule/metrics").json()
            return stats.get("trigger") == "Schedule" and not stats["ongoing"] and stats["total"] == 2, stats
        stats = wait_until(scheduled, 60, "no scheduled scan all")
        assert stats["requester"] == "scheduler" and stats["completed"] == 2, stats
        r = api(server, "PUT", "/system/scanAll/schedule", json={"schedule": {"type": "Daily"}})
        assert r.status_code == 200, r.text
        got = api(server, "GET", "/system/scanAll/schedule").json()
        assert got["schedule"] == {"type": "Daily", "cron": "0 0 0 * * *",
                                   "next_scheduled_time": got["schedule"]["next_scheduled_time"]}, got
        assert api(server, "PUT", "/system/scanAll/schedule", json={"schedule": {"type": "None"}}).status_code == 200
        assert api(server, "GET", "/system/scanAll/schedule").json()["schedule"]["type"] == "None"

        # The project's allowlist, given at creation, is in the project body and at /cve_allowlist.
        project = api(server, "GET", "/projects/scanall").json()
        assert [i["cve_id"] for i in project["cve_allowlist"]["items"]] == ["CVE-2098-1001"], project
        assert project["cve_allowlist"]["expires_at"] == 4102444800
        assert project["cve_allowlist"]["project_id"] == project["project_id"]
        r = api(server, "PUT", "/projects/scanall", json={"cve_allowlist": {
            "items": [{"cve_id": "CVE-2098-1002"}, {"cve_id": "CVE-2098-1003"}], "expires_at": None}})
        assert r.status_code == 200, r.text
        listed = api(server, "GET", "/projects/scanall/cve_allowlist").json()
        assert [i["cve_id"] for i in listed["items"]] == ["CVE-2098-1002", "CVE-2098-1003"], listed
        r = api(server, "PUT", "/projects/scanall/cve_allowlist", json={"items": [{"cve_id": "CVE-2098-1004"}]})
        assert r.status_code == 200, r.text
        project = api(server, "GET", "/projects/scanall").json()
        assert [i["cve_id"] for i in project["cve_allowlist"]["items"]] == ["CVE-2098-1004"], project
    finally:
        server.stop()
