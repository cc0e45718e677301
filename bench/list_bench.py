#!/usr/bin/env python3
"""Harbor API list benchmark: 100k artifacts in 1,000 repositories, paged and filtered lists, p50/p99.

Starts Berth (BERTH_BIN, default .build/release/berth) on a free loopback port with a fresh data directory,
creates the project through the API, stops Berth, fills the metadata database directly with SQLite (fast:
one transaction), starts Berth again and times the lists over one keep-alive connection.

    bench/list_bench.py [--repos 1000] [--per-repo 100] [--requests 300]
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
ADMIN = ("admin", "BenchPassw0rd")
CONFIG = "application/vnd.oci.image.config.v1+json"
MANIFEST = "application/vnd.oci.image.manifest.v1+json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Berth:
    def __init__(self, binary: Path, data: Path):
        self.binary, self.data, self.port = binary, data, free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = dict(os.environ, BERTH_AUTH_ENABLED="1", BERTH_ADMIN_PASSWORD=ADMIN[1])
        self.proc = subprocess.Popen([str(self.binary), "serve", "--listen", f"127.0.0.1:{self.port}",
                                      "--data", str(self.data)], env=env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/api/v2.0/systeminfo", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            if self.proc.poll() is not None:
                sys.exit(f"berth exited with {self.proc.returncode}")
            time.sleep(0.1)
        sys.exit("berth did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=30)


def digest(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def fill(db_path: Path, project: str, repos: int, per_repo: int) -> None:
    """Inserts repositories, manifests (each with a config blob) and one tag per manifest."""
    db = sqlite3.connect(db_path)
    now = int(time.time())
    started = time.monotonic()
    with db:
        for r in range(repos):
            name = f"{project}/repo{r:04d}"
            db.execute("INSERT INTO repositories (name, created_at) VALUES (?, ?)", (name, now - 86400 + r))
            rows_blob, rows_manifest, rows_link, rows_ref, rows_tag = [], [], [], [], []
            for a in range(per_repo):
                config = digest(f"config {r} {a}")
                body = f'{{"schemaVersion":2,"mediaType":"{MANIFEST}","config":{{"digest":"{config}"}},"n":{a}}}'.encode()
                manifest = "sha256:" + hashlib.sha256(body).hexdigest()
                rows_blob.append((config, 1000 + a, now))
                rows_link.append((name, config, now))
                rows_manifest.append((name, manifest, MANIFEST, CONFIG, len(body), body, now - per_repo + a))
                rows_ref.append((name, manifest, config))
                rows_tag.append((name, f"v{a}", manifest, now - per_repo + a))
            db.executemany("INSERT OR IGNORE INTO blobs (digest, size, created_at) VALUES (?, ?, ?)", rows_blob)
            db.executemany("INSERT INTO repository_blobs (repository, digest, created_at) VALUES (?, ?, ?)", rows_link)
            db.executemany("INSERT INTO manifests (repository, digest, media_type, artifact_type, size, content, created_at)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?)", rows_manifest)
            db.executemany("INSERT INTO manifest_blobs (repository, manifest_digest, blob_digest) VALUES (?, ?, ?)", rows_ref)
            db.executemany("INSERT INTO tags (repository, name, digest, updated_at) VALUES (?, ?, ?, ?)", rows_tag)
    db.execute("ANALYZE")
    count = db.execute("SELECT COUNT(*) FROM manifests").fetchone()[0]
    db.close()
    print(f"filled {count} artifacts in {repos} repositories in {time.monotonic() - started:.1f}s")


def measure(session: requests.Session, url: str, make_path, count: int) -> tuple[float, float, int]:
    times, total = [], 0
    for i in range(count):
        path = make_path(i)
        started = time.perf_counter()
        r = session.get(url + path, timeout=30)
        times.append((time.perf_counter() - started) * 1000)
        if r.status_code != 200:
            sys.exit(f"GET {path}: {r.status_code} {r.text[:200]}")
        total = int(r.headers.get("X-Total-Count", "0"))
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))], total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repos", type=int, default=1000)
    parser.add_argument("--per-repo", type=int, default=100)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    binary = Path(os.environ.get("BERTH_BIN", ROOT / ".build" / "release" / "berth"))
    data = Path(tempfile.mkdtemp(prefix="berth-list-bench-"))
    berth = Berth(binary, data)
    berth.start()
    r = requests.post(berth.url + "/api/v2.0/projects", auth=ADMIN, json={"project_name": "bench"}, timeout=10)
    if r.status_code != 201:
        sys.exit(f"creating the project failed: {r.status_code} {r.text}")
    berth.stop()
    fill(data / "berth.db", "bench", args.repos, args.per_repo)
    berth.start()
    session = requests.Session()
    session.auth = ADMIN
    rnd = random.Random(7)
    pages = max(1, args.repos // 100)
    base = "/api/v2.0/projects/bench/repositories"
    cases = [
        ("repositories, page_size=100, random page", lambda i: f"{base}?page={rnd.randint(1, pages)}&page_size=100"),
        ("repositories, q=name=~repo0N (fuzzy)", lambda i: f"{base}?q=name%3D~repo0{rnd.randint(0, 9)}&page_size=10"),
        ("repositories, sort=-update_time", lambda i: f"{base}?sort=-update_time&page_size=10"),
        ("artifacts, page_size=100 with tags", lambda i: f"{base}/repo{rnd.randrange(args.repos):04d}/artifacts"
                                                       "?page_size=100&with_tag=true"),
        ("artifacts, page 5 of 10", lambda i: f"{base}/repo{rnd.randrange(args.repos):04d}/artifacts?page=5&page_size=10"),
        ("artifacts, q=tags=v42", lambda i: f"{base}/repo{rnd.randrange(args.repos):04d}/artifacts?q=tags%3Dv42"),
        ("artifacts, q=push_time range", lambda i: f"{base}/repo{rnd.randrange(args.repos):04d}/artifacts"
                                                  f"?q=push_time%3D%5B{int(time.time()) - 80}~%5D&page_size=100"),
    ]
    for _ in range(20):  # warm up connection and caches
        session.get(berth.url + cases[0][1](0), timeout=30)
    print(f"{'list':45} {'p50 ms':>8} {'p99 ms':>8} {'total':>8}")
    worst = 0.0
    for label, make in cases:
        p50, p99, total = measure(session, berth.url, make, args.requests)
        worst = max(worst, p99)
        print(f"{label:45} {p50:8.2f} {p99:8.2f} {total:8d}")
    berth.stop()
    print(f"worst p99: {worst:.2f} ms ({'OK' if worst < 50 else 'OVER'} the 50 ms target)")


if __name__ == "__main__":
    main()
