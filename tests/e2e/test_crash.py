"""Crash safety: SIGKILL Berth under concurrent pushes, restart, and check every acknowledged byte.

Also: SIGTERM lets an in-flight request finish and the process exits 0.
"""
from __future__ import annotations

import base64
import hashlib
import os
import random
import re
import signal
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from oci_layout import MANIFEST, canonical
from registry_server import RegistryServer

PROJECTS = ("crash", "term")  # Berth only accepts pushes into existing projects
PUSHERS = 8
CYCLES = 3
CHUNK = 64 * 1024
pytestmark = pytest.mark.berth_only


def digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


@dataclass
class Acknowledged:
    """Everything the server answered 2xx for; only these must survive a crash."""
    blobs: dict[str, str] = field(default_factory=dict)  # digest -> repo
    manifests: list[tuple[str, str, str, bytes]] = field(default_factory=list)  # repo, tag, digest, body
    lock: threading.Lock = field(default_factory=threading.Lock)


class Pusher(threading.Thread):
    """Pushes random blobs (monolithic or chunked) and manifests over them until told to stop."""

    def __init__(self, url: str, name: str, acked: Acknowledged, stop: threading.Event, auth: tuple[str, str]):
        super().__init__(daemon=True, name=name)
        self.url, self.repo, self.acked, self.stop_event = url, f"crash/{name}", acked, stop
        self.session = requests.Session()
        self.session.auth = auth
        self.rng = random.Random(os.urandom(8))
        self.count = 0

    def run(self) -> None:
        while not self.stop_event.is_set():
            try:
                self.push_image()
            except (requests.RequestException, AssertionError):
                time.sleep(0.02)  # server gone (killed) or an error mid-crash: retry until told to stop

    def upload(self, data: bytes) -> str:
        d = digest(data)
        base = f"{self.url}/v2/{self.repo}/blobs/uploads/"
        octet = {"Content-Type": "application/octet-stream"}
        if self.rng.random() < 0.5:
            r = self.session.post(f"{base}?digest={d}", data=data, headers=octet, timeout=30)
        else:
            r = self.session.post(base, timeout=30)
            assert r.status_code == 202, r.status_code
            location = requests.compat.urljoin(self.url + "/", r.headers["Location"])
            for start in range(0, len(data), CHUNK):
                chunk = data[start:start + CHUNK]
                r = self.session.patch(location, data=chunk, timeout=30, headers={
                    **octet, "Content-Range": f"{start}-{start + len(chunk) - 1}"})
                assert r.status_code == 202, r.status_code
                location = requests.compat.urljoin(self.url + "/", r.headers["Location"])
            sep = "&" if "?" in location else "?"
            r = self.session.put(f"{location}{sep}digest={d}", timeout=30)
        assert r.status_code == 201, r.status_code
        with self.acked.lock:
            self.acked.blobs[d] = self.repo
        return d

    def push_image(self) -> None:
        layers = []
        for _ in range(self.rng.randint(1, 2)):
            data = os.urandom(self.rng.randint(1, 400_000))
            layers.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                           "digest": self.upload(data), "size": len(data)})
        config = canonical({"architecture": "amd64", "os": "linux", "nonce": os.urandom(8).hex()})
        body = canonical({"schemaVersion": 2, "mediaType": MANIFEST, "layers": layers,
                          "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                     "digest": self.upload(config), "size": len(config)}})
        self.count += 1
        tag = f"{self.name}-{self.count}-{os.urandom(3).hex()}"
        r = self.session.put(f"{self.url}/v2/{self.repo}/manifests/{tag}", data=body,
                             headers={"Content-Type": MANIFEST}, timeout=30)
        assert r.status_code == 201, r.status_code
        with self.acked.lock:
            self.acked.manifests.append((self.repo, tag, digest(body), body))


def check_acknowledged(url: str, acked: Acknowledged, auth: tuple[str, str]) -> None:
    s = requests.Session()
    s.auth = auth
    for d, repo in acked.blobs.items():
        r = s.get(f"{url}/v2/{repo}/blobs/{d}", timeout=30)
        assert r.status_code == 200, f"acknowledged blob {d} in {repo}: {r.status_code} {r.text[:200]}"
        assert digest(r.content) == d, f"acknowledged blob {d} served wrong bytes"
    for repo, tag, d, body in acked.manifests:
        for ref in (d, tag):
            r = s.get(f"{url}/v2/{repo}/manifests/{ref}", headers={"Accept": MANIFEST}, timeout=30)
            assert r.status_code == 200, f"acknowledged manifest {repo}:{ref}: {r.status_code} {r.text[:200]}"
            assert r.content == body, f"manifest {repo}:{ref} served other bytes"


def check_blob_files(data_dir: Path) -> int:
    """Every file under DATA/blobs is named by the hash of its content; returns how many were checked."""
    checked = 0
    for path in sorted((data_dir / "blobs").rglob("*")):
        if not path.is_file():
            continue
        alg = path.relative_to(data_dir / "blobs").parts[0]
        assert alg in ("sha256", "sha512") and re.fullmatch(r"[0-9a-f]+", path.name), f"unexpected file {path}"
        assert path.parent.name == path.name[:2], f"blob in the wrong fan-out directory: {path}"
        assert hashlib.new(alg, path.read_bytes()).hexdigest() == path.name, f"corrupt blob file {path}"
        checked += 1
    return checked


def test_sigkill_during_concurrent_pushes(tmp_path):
    data_dir = tmp_path / "data"
    acked = Acknowledged()
    server = RegistryServer(data_dir, kind="berth", projects=PROJECTS).start()
    try:
        for cycle in range(CYCLES):
            before = (len(acked.blobs), len(acked.manifests))
            stop = threading.Event()
            pushers = [Pusher(server.url, f"c{cycle}p{i}", acked, stop, server.auth) for i in range(PUSHERS)]
            for p in pushers:
                p.start()
            time.sleep(random.uniform(1.5, 4.0))
            server.kill()
            stop.set()
            for p in pushers:
                p.join(60)
                assert not p.is_alive(), "pusher thread hung after the kill"
            assert len(acked.blobs) > before[0], f"cycle {cycle}: no blob was acknowledged before the kill"

            server = RegistryServer(data_dir, kind="berth").start()  # same data dir, fresh port
            check_acknowledged(server.url, acked, server.auth)
            assert check_blob_files(data_dir) >= len(acked.blobs)
            print(f"cycle {cycle}: {len(acked.blobs)} blobs, {len(acked.manifests)} manifests survived "
                  f"(+{len(acked.manifests) - before[1]} this cycle)")
    finally:
        server.stop()


def test_sigterm_finishes_in_flight_request(tmp_path):
    data_dir = tmp_path / "data"
    server = RegistryServer(data_dir, kind="berth", projects=PROJECTS).start()
    payload = os.urandom(2 * 1024 * 1024)
    d = digest(payload)
    basic = base64.b64encode(":".join(server.auth).encode()).decode()
    head = (f"POST /v2/term/test/blobs/uploads/?digest={d} HTTP/1.1\r\nHost: {server.host}\r\n"
            f"Authorization: Basic {basic}\r\n"
            f"Content-Type: application/octet-stream\r\nContent-Length: {len(payload)}\r\n\r\n").encode()
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as conn:
            conn.sendall(head + payload[:len(payload) // 2])
            time.sleep(0.3)
            server.proc.send_signal(signal.SIGTERM)
            time.sleep(0.7)
            assert server.proc.poll() is None, "berth exited with a request still in flight"
            conn.sendall(payload[len(payload) // 2:])
            response = b""
            while b"\r\n\r\n" not in response:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                response += chunk
        status_line = response.split(b"\r\n", 1)[0]
        assert status_line.startswith(b"HTTP/1.1 201"), response[:500]
        server.proc.wait(30)
        assert server.proc.returncode == 0, f"exit code {server.proc.returncode}\n{server.tail()}"
    finally:
        server.stop(signal.SIGKILL)

    server = RegistryServer(data_dir, kind="berth").start()
    try:
        r = requests.get(f"{server.url}/v2/term/test/blobs/{d}", timeout=30, auth=server.auth)
        assert r.status_code == 200 and digest(r.content) == d
    finally:
        server.stop()
