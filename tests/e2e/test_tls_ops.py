"""Operations: built-in HTTPS (curl, skopeo and podman with a CA file, TLS 1.1 refused, SIGHUP reload),
Prometheus metrics, Harbor's health endpoint and read-only mode."""
from __future__ import annotations

import json
import shutil
import signal
import subprocess
import time

import pytest

from conftest import require_tools, run
from oci_layout import Layout, random_files
from registry_server import RegistryServer, free_port

pytestmark = pytest.mark.berth_only


def curl_tls(url: str, cafile, *extra: str, auth: str | None = None) -> subprocess.CompletedProcess:
    cmd = ["curl", "-sS", "--noproxy", "*", "--cacert", str(cafile), "-o", "-", "-w", "\n%{http_code}", *extra]
    if auth:
        cmd += ["-u", auth]
    return subprocess.run(cmd + [url], capture_output=True, text=True, timeout=30)


@pytest.fixture(scope="module")
def tls_registry(tmp_path_factory):
    with pytest.MonkeyPatch.context() as env:
        https_port = free_port()
        env.setenv("BERTH_TLS_LISTEN", f"127.0.0.1:{https_port}")
        env.setenv("BERTH_TLS_SELF_SIGNED", "1")
        server = RegistryServer(tmp_path_factory.mktemp("tls") / "data", kind="berth").start()
        server.https = f"127.0.0.1:{https_port}"
        server.ca = server.data_dir / "tls" / "berth-selfsigned.crt"
        yield server
        assert server.stop() == 0


def test_https_serves_tls12_and_tls13_and_refuses_tls11(tls_registry):
    ca = tls_registry.ca
    assert ca.exists(), "the self-signed certificate was not generated in DATA/tls"
    assert any(f"Berth listening on https://127.0.0.1:" in line for line in tls_registry.lines)
    for version in ("--tlsv1.3", "--tls-max"):
        extra = [version] if version == "--tlsv1.3" else ["--tls-max", "1.2"]
        out = curl_tls(f"https://{tls_registry.https}/v2/", ca, *extra, auth=tls_registry.creds)
        assert out.returncode == 0 and out.stdout.endswith("200"), out
    refused = curl_tls(f"https://{tls_registry.https}/v2/", ca, "--tls-max", "1.1")
    assert refused.returncode != 0
    # Without the CA the certificate is not trusted.
    untrusted = subprocess.run(["curl", "-sS", f"https://{tls_registry.https}/v2/"], capture_output=True, timeout=30)
    assert untrusted.returncode != 0
    # Plain HTTP keeps working beside HTTPS.
    out = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-u", tls_registry.creds,
                          f"{tls_registry.url}/v2/"], capture_output=True, text=True, timeout=30)
    assert out.stdout == "200"


def test_skopeo_and_podman_over_https_with_a_ca_file(tls_registry, tmp_path, short_tmp):
    require_tools("skopeo", "podman")
    certs = tmp_path / "certs"
    certs.mkdir()
    shutil.copy(tls_registry.ca, certs / "ca.crt")
    layout = Layout.create(tmp_path / "src")
    desc = layout.add_image(random_files("tls", count=3, size=200_000), layers=2)
    layout.tag(desc, "v1")
    ref = f"docker://{tls_registry.https}/library/tls:v1"
    run(["skopeo", "copy", "--dest-cert-dir", str(certs), "--dest-creds", tls_registry.creds,
         "--preserve-digests", f"oci:{layout.path}:v1", ref])
    out = tmp_path / "out"
    run(["skopeo", "copy", "--src-cert-dir", str(certs), "--src-creds", tls_registry.creds,
         ref, f"oci:{out}:v1"])
    assert Layout(out).resolve("v1")["digest"] == desc["digest"]
    # Without the CA skopeo refuses the registry.
    denied = run(["skopeo", "inspect", "--creds", tls_registry.creds, ref], check=False)
    assert denied.returncode != 0 and "certificate" in denied.stderr.lower()

    podman = ["podman", "--root", str(short_tmp / "root"), "--runroot", str(short_tmp / "run"),
              "--storage-driver", "vfs", "--events-backend", "none", "--cgroup-manager", "cgroupfs",
              "--tmpdir", str(short_tmp / "tmp")]
    image = f"{tls_registry.https}/library/tls:v1"
    run(podman + ["pull", "--cert-dir", str(certs), "--creds", tls_registry.creds, image], timeout=600)
    digest_file = short_tmp / "digest"
    run(podman + ["push", "--cert-dir", str(certs), "--creds", tls_registry.creds, "--digestfile",
                  str(digest_file), image, f"{tls_registry.https}/library/tls:v2"], timeout=600)
    assert digest_file.read_text().startswith("sha256:")


def test_sighup_reloads_the_certificate(tls_registry, tmp_path):
    require_tools("openssl")
    key, cert = tmp_path / "new.key", tmp_path / "new.crt"
    run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"])
    old_ca = tmp_path / "old.crt"
    shutil.copy(tls_registry.ca, old_ca)
    shutil.copy(cert, tls_registry.data_dir / "tls" / "berth-selfsigned.crt")
    shutil.copy(key, tls_registry.data_dir / "tls" / "berth-selfsigned.key")
    tls_registry.proc.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if curl_tls(f"https://{tls_registry.https}/v2/", cert, auth=tls_registry.creds).stdout.endswith("200"):
            break
        time.sleep(0.2)
    assert curl_tls(f"https://{tls_registry.https}/v2/", cert, auth=tls_registry.creds).stdout.endswith("200")
    assert curl_tls(f"https://{tls_registry.https}/v2/", old_ca, auth=tls_registry.creds).returncode != 0


def test_metrics_and_health(tls_registry):
    for _ in range(3):
        subprocess.run(["curl", "-sS", "-o", "/dev/null", "-u", tls_registry.creds,
                        f"{tls_registry.url}/v2/library/none/tags/list"], timeout=30)
    out = subprocess.run(["curl", "-sS", f"{tls_registry.url}/metrics"], capture_output=True, text=True, timeout=30)
    lines = out.stdout.splitlines()
    tagged = [l for l in lines if l.startswith("berth_http_requests_total{")
              and 'route="/v2/{name+}/tags/list"' in l and 'code="404"' in l]
    assert tagged and float(tagged[0].rsplit(" ", 1)[1]) >= 3, "\n".join(lines[:40])
    assert any(l.startswith("berth_http_request_duration_seconds_bucket{") for l in lines)
    assert any(l.startswith("# TYPE harbor_project_total") for l in lines)
    health = json.loads(subprocess.run(["curl", "-sS", f"{tls_registry.url}/api/v2.0/health"],
                                       capture_output=True, text=True, timeout=30).stdout)
    assert health["status"] == "healthy"
    assert {c["name"] for c in health["components"]} >= {"database", "storage", "jobservice"}
    assert all(c["status"] == "healthy" for c in health["components"])


def test_read_only_mode_refuses_writes_with_harbors_message(tmp_path):
    with pytest.MonkeyPatch.context() as env:
        env.setenv("BERTH_READ_ONLY", "1")
        env.delenv("BERTH_TLS_LISTEN", raising=False)  # the HTTPS fixture of this module may still hold its port
        server = RegistryServer(tmp_path / "data", kind="berth").start()
        try:
            out = subprocess.run(["curl", "-sS", "-X", "POST", "-u", server.creds, "-w", "\n%{http_code}",
                                  f"{server.url}/v2/library/ro/blobs/uploads/"],
                                 capture_output=True, text=True, timeout=30).stdout
            body, status = out.rsplit("\n", 1)
            assert status == "403"
            error = json.loads(body)["errors"][0]
            assert error["code"] == "DENIED"
            assert error["message"] == "The system is in read only mode. Any modification is prohibited."
            reads = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-u", server.creds,
                                    f"{server.url}/v2/_catalog"], capture_output=True, text=True, timeout=30)
            assert reads.stdout == "200"
        finally:
            server.stop()
