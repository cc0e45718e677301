"""`berth vulndb update` and the vulnerability database API, against a local HTTP server that serves osv.dev's
export layout (`<source>/<Ecosystem>/all.zip`) on 127.0.0.1: downloads for the ecosystems of stored scans,
of the database and of --ecosystem, a 404 that keeps the previous database, imports over the API (admin
only, bad files refused with a 400), the update job queued by hand and fired by its cron schedule."""
from __future__ import annotations

import functools
import http.server
import io
import json
import os
import subprocess
import threading
import time
import zipfile
from pathlib import Path

import pytest
import requests

from conftest import require_tools, run, wait_until
from oci_layout import Layout
from registry_server import RegistryServer, berth_binary

pytestmark = pytest.mark.berth_only

OS_RELEASE = b'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n'
SHARED_PYPI = Path(__file__).resolve().parents[3] / "shared/vulndb/osv/PyPI-pypa-advisory-database-2024-10.osv.jsonl"


def record(rid: str, ecosystem: str, package: str, fixed: str) -> dict:
    return {"id": rid, "aliases": [f"CVE-2097-{abs(hash(rid)) % 9000 + 1000}"], "summary": f"advisory {rid}",
            "affected": [{"package": {"ecosystem": ecosystem, "name": package},
                          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}]}]}


def pypi_records(n: int) -> list[dict]:
    """Real PyPI advisories from the shared data when present, else synthetic ones."""
    if SHARED_PYPI.exists():
        with SHARED_PYPI.open() as f:
            return [json.loads(next(f)) for _ in range(n)]
    return [record(f"PYSEC-TEST-{i}", "PyPI", f"pkg{i}", "2.0") for i in range(n)]


def write_zip(path: Path, records: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for r in records:
            z.writestr(f"{r['id']}.json", json.dumps(r))
    path.write_bytes(buffer.getvalue())


class Mirror:
    """A directory served over HTTP on 127.0.0.1, counting requests per path."""

    def __init__(self, root: Path):
        self.root = root
        self.hits: list[str] = []
        mirror = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                mirror.hits.append(self.path)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                     functools.partial(Handler, directory=str(root)))
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()


@pytest.fixture
def mirror(tmp_path):
    root = tmp_path / "mirror"
    write_zip(root / "PyPI" / "all.zip", pypi_records(5))
    write_zip(root / "Debian:12" / "all.zip",
              [record(f"DEBIAN-TEST-{i}", "Debian:12", "libfoo", f"1.{i}-1") for i in range(3)])
    # No Alpine:v3.20 directory: the release-qualified name falls back to the whole ecosystem's zip.
    write_zip(root / "Alpine" / "all.zip", [record("ALPINE-TEST-1", "Alpine:v3.20", "musl", "1.2.5-r0")])
    m = Mirror(root)
    yield m
    m.close()


def berth(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(berth_binary()), "vulndb", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def status(data: Path) -> str:
    out = berth("status", "--data", str(data))
    assert out.returncode == 0, out.stderr
    return out.stdout


def count(text: str, ecosystem: str) -> int | None:
    for line in text.splitlines():
        if line.strip().startswith(ecosystem + ":"):
            return int(line.split(":")[-1])
    return None


def test_update_cli_downloads_imports_and_keeps_tables(tmp_path, mirror):
    data = tmp_path / "data"
    table = tmp_path / "cvss.tsv"
    table.write_text("cve_id\tcvss_v3_vector\tcvss_v3_base_score\tsource\n"
                     "CVE-2097-0001\tCVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\t9.8\tnvd\n")
    imported = berth("import", "--data", str(data), str(table))
    assert imported.returncode == 0, imported.stderr
    out = berth("update", "--data", str(data), "--source", mirror.url + "/",
                "--ecosystem", "PyPI", "--ecosystem", "Debian:12", "--ecosystem", "Alpine:v3.20")
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"downloading {mirror.url}/PyPI/all.zip" in out.stdout
    assert f"downloading {mirror.url}/Alpine/all.zip" in out.stdout      # after the 404 of Alpine:v3.20
    assert "/Alpine:v3.20/all.zip" in " ".join(mirror.hits)
    text = status(data)
    assert count(text, "PyPI") == 5 and count(text, "Debian:12") == 3 and count(text, "Alpine:v3.20") == 1, text
    assert "1 CVSS rows" in text, text                                   # the severity table stayed

    # An ecosystem the source does not serve: non-zero exit naming the URL and status, database unchanged.
    db = data / "vulndb" / "vulndb.bin"
    before = (db.stat().st_mtime_ns, db.read_bytes())
    failed = berth("update", "--data", str(data), "--source", mirror.url, "--ecosystem", "npm")
    assert failed.returncode != 0
    assert f"{mirror.url}/npm/all.zip" in failed.stderr and "HTTP 404" in failed.stderr, failed.stderr
    assert (db.stat().st_mtime_ns, db.read_bytes()) == before
    assert status(data) == text

    # Without --ecosystem, the ecosystems already in the database are refreshed (from the configured source).
    write_zip(mirror.root / "PyPI" / "all.zip", pypi_records(7))
    again = berth("update", "--data", str(data), env={"BERTH_VULNDB_SOURCE": mirror.url})
    assert again.returncode == 0, again.stdout + again.stderr
    assert count(status(data), "PyPI") == 7


def test_update_rejects_bad_arguments(tmp_path):
    assert berth("update", "--data", str(tmp_path), "extra-path").returncode != 0
    assert berth("import", "--data", str(tmp_path), "--ecosystem", "PyPI", "x.jsonl").returncode != 0
    empty = berth("update", "--data", str(tmp_path / "none"), "--source", "http://127.0.0.1:9")
    assert empty.returncode != 0 and "no ecosystems" in empty.stderr


def api(server, method, path, auth="admin", **kw):
    return requests.request(method, f"{server.url}/api/v2.0{path}", auth=server.auth if auth == "admin" else auth,
                            timeout=60, **kw)


def test_api_import_update_job_and_inventory_ecosystems(tmp_path, mirror, monkeypatch):
    require_tools("skopeo")
    monkeypatch.setenv("BERTH_VULNDB_SOURCE", mirror.url)
    server = RegistryServer(tmp_path / "data").start()
    try:
        server.admin("user", "add", "dev", "--password", "Dev12345!")
        body = "\n".join(json.dumps(r) for r in pypi_records(2)).encode()
        assert api(server, "POST", "/vulndb/import?filename=a.jsonl", auth=None, data=body).status_code == 401
        assert api(server, "POST", "/vulndb/import?filename=a.jsonl", auth=("dev", "Dev12345!"),
                   data=body).status_code == 403
        assert api(server, "POST", "/vulndb/update", auth=("dev", "Dev12345!")).status_code == 403
        assert api(server, "POST", "/vulndb/update", auth=None).status_code == 401

        created = api(server, "POST", "/vulndb/import?filename=pypi.jsonl", data=body)
        assert created.status_code == 201, created.text
        assert created.json()["imported"] == 2 and created.json()["ecosystems"] == {"PyPI": 2}

        bad = api(server, "POST", "/vulndb/import?filename=broken.zip", data=b"this is not a zip file")
        assert bad.status_code == 400 and "broken.zip" in bad.json()["errors"][0]["message"], bad.text
        nothing = api(server, "POST", "/vulndb/import?filename=x.jsonl", data=b'{"no":"id"}\n')
        assert nothing.status_code == 400 and "no advisory" in nothing.json()["errors"][0]["message"], nothing.text
        wrong = api(server, "POST", "/vulndb/import?filename=x.exe", data=b"MZ")
        assert wrong.status_code == 400 and ".zip" in wrong.json()["errors"][0]["message"]
        assert api(server, "GET", "/vulndb").json() != {}

        # A scanned Debian 12 image puts Debian:12 in the inventories: the queued job downloads it.
        server.ensure_project("vdb")
        layout = Layout.create(tmp_path / "layout")
        image = layout.add_image({"etc/os-release": OS_RELEASE,
                                  "var/lib/dpkg/status": b"Package: libfoo\nStatus: install ok installed\n"
                                                         b"Architecture: amd64\nVersion: 1.0-1\n"})
        layout.tag(image, "v1")
        run(["skopeo", "copy", "--dest-tls-verify=false", "--dest-creds", server.creds,
             f"oci:{layout.path}:v1", f"docker://{server.host}/vdb/app:v1"], timeout=300)
        artifact = "/projects/vdb/repositories/app/artifacts/v1"
        assert api(server, "POST", artifact + "/scan").status_code == 202
        wait_until(lambda: ((s := api(server, "GET", artifact + "/scan/status").json())["scan_status"] == "Success", s),
                 120, "scan")

        queued = api(server, "POST", "/vulndb/update")
        assert queued.status_code == 202 and queued.json()["job_id"] > 0, queued.text
        wait_until(lambda: (count(status(server.data_dir), "Debian:12") == 3, status(server.data_dir)), 60,
                 "the update job imports Debian:12")
        text = status(server.data_dir)
        assert count(text, "PyPI") == 5, text          # the uploaded PyPI ecosystem was refreshed from the mirror
        assert "/Debian:12/all.zip" in mirror.hits[-2:] or "/Debian:12/all.zip" in mirror.hits
        # The report is re-matched against the new database: libfoo 1.0-1 is affected by the advisories fixed in
        # 1.1-1 and 1.2-1, not by the one fixed in 1.0-1.
        wait_until(lambda: (len((r := api(server, "GET", artifact + "/additions/vulnerabilities").json()
                               .get("application/vnd.security.vulnerability.report; version=1.1", {}))
                              .get("vulnerabilities", [])) == 2, r), 60, "re-matched report")
    finally:
        server.stop()


def test_scheduled_update_runs_once_per_firing(tmp_path, mirror, monkeypatch):
    data = tmp_path / "data"
    assert berth("update", "--data", str(data), "--source", mirror.url, "--ecosystem", "PyPI").returncode == 0
    monkeypatch.setenv("BERTH_VULNDB_SOURCE", mirror.url)
    monkeypatch.setenv("BERTH_VULNDB_UPDATE_SCHEDULE", "* * * * *")
    write_zip(mirror.root / "PyPI" / "all.zip", pypi_records(6))
    server = RegistryServer(data).start()
    try:
        wait_until(lambda: (count(status(data), "PyPI") == 6, status(data)), 90, "the scheduled update")
        time.sleep(3)
        assert mirror.hits.count("/PyPI/all.zip") == 2, mirror.hits     # the CLI's, then one firing
    finally:
        server.stop()
