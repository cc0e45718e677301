"""docker push and pull through a real dockerd started for the test."""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from conftest import require_tools, run
from curl_http import curl


def docker_cli() -> str:
    # Prefer the Debian docker.io client, which matches the daemon's API version.
    return "/usr/bin/docker" if os.path.exists("/usr/bin/docker") else "docker"


@pytest.fixture
def dockerd():
    """A private dockerd (vfs, no iptables, no bridge) on a unix socket in a short temp dir."""
    require_tools("dockerd", docker_cli())
    tmp = Path(tempfile.mkdtemp(prefix="e2e-dk-", dir="/tmp"))  # unix socket paths must stay short
    sock = tmp / "docker.sock"
    log = open(tmp / "dockerd.log", "w")
    proc = subprocess.Popen(["dockerd", "--storage-driver=vfs", "--iptables=false", "--bridge=none",
                             "--host", f"unix://{sock}", "--data-root", str(tmp / "root"),
                             "--exec-root", str(tmp / "exec"), "--pidfile", str(tmp / "pid")],
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    env = {**os.environ, "DOCKER_HOST": f"unix://{sock}", "DOCKER_CONFIG": str(tmp / "config")}
    deadline, ready = time.monotonic() + 60, False
    while time.monotonic() < deadline and proc.poll() is None:
        if sock.exists() and subprocess.run([docker_cli(), "version"], env=env, capture_output=True).returncode == 0:
            ready = True
            break
        time.sleep(0.5)
    if not ready:
        proc.kill()
        proc.wait()
        reason = (tmp / "dockerd.log").read_text()[-3000:]
        shutil.rmtree(tmp, ignore_errors=True)
        pytest.fail(f"dockerd could not start on this machine (exit {proc.returncode}):\n{reason}")
    try:
        yield env
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        subprocess.run(["umount", "-R", str(tmp / "root")], capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)


def test_docker_push_pull(registry, rootfs_tar, dockerd):
    docker = [docker_cli()]
    ref = f"{registry.host}/e2e/docker:12"
    if registry.auth:
        user, password = registry.auth
        run(docker + ["login", registry.host, "-u", user, "--password-stdin"], env=dockerd, input=password)
    run(docker + ["import", str(rootfs_tar), ref], env=dockerd, timeout=900)
    push = run(docker + ["push", ref], env=dockerd, timeout=900)
    m = re.search(r"digest: (sha256:[0-9a-f]{64}) size: (\d+)", push.stdout)
    assert m, push.stdout
    pushed, size = m.group(1), int(m.group(2))

    head = curl("HEAD", f"{registry.url}/v2/e2e/docker/manifests/12",
                headers={"Accept": "application/vnd.docker.distribution.manifest.v2+json"})
    assert head.status == 200
    assert head.header("Docker-Content-Digest") == pushed
    assert int(head.header("Content-Length")) == size

    run(docker + ["rmi", ref], env=dockerd)
    assert run(docker + ["images", "-q", ref], env=dockerd).stdout.strip() == ""
    pull = run(docker + ["pull", ref], env=dockerd, timeout=900)
    assert f"Digest: {pushed}" in pull.stdout, pull.stdout
    repo_digests = json.loads(run(docker + ["image", "inspect", "--format", "{{json .RepoDigests}}", ref],
                                  env=dockerd).stdout)
    assert f"{registry.host}/e2e/docker@{pushed}" in repo_digests
