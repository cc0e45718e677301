"""Three stateless Berth nodes on one PostgreSQL and one S3 server, with no load balancer: the client
round-robins requests across the nodes, uploads move between nodes mid-way, real clients push to one node
and pull from another, and one node is killed with SIGKILL while the others carry on."""
from __future__ import annotations

import hashlib
import json
import os
import random
import secrets
import subprocess
import threading
from pathlib import Path

import pytest
import requests

from conftest import require_tools, run
from oci_layout import Layout, canonical, random_files
from registry_server import RegistryServer

pytestmark = pytest.mark.berth_only

ADMIN_PASSWORD = "Cluster-" + secrets.token_hex(8) + "A1"
AUTH = ("admin", ADMIN_PASSWORD)
REPO = "library/cluster"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def _s3_endpoint() -> str:
    endpoint = os.environ.get("BERTH_TEST_S3_ENDPOINT")
    if endpoint:
        return endpoint
    out = run([str(SCRIPTS / "s3-test-server.sh"), "start"])
    return out.stdout.strip()


def _postgres_url() -> tuple[str, str | None]:
    url = os.environ.get("BERTH_TEST_POSTGRES_URL")
    if url:
        return url, None
    out = run([str(SCRIPTS / "postgres-test-cluster.sh"), "start"])
    env = dict(line.removeprefix("export ").split("=", 1) for line in out.stdout.splitlines() if "=" in line)
    return env["BERTH_TEST_POSTGRES_URL"].strip("'"), env["BERTH_TEST_POSTGRES_DIR"].strip("'")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, monkeypatch_module):
    require_tools("psql")
    base_url, started_dir = _postgres_url()
    database = "berth_cluster_" + secrets.token_hex(4)
    run(["psql", base_url, "-v", "ON_ERROR_STOP=1", "-c", f"CREATE DATABASE {database}"])
    db_url = base_url.replace("/berth_test", "/" + database, 1)
    endpoint = _s3_endpoint()
    bucket = "cluster-" + secrets.token_hex(4)
    requests.put(f"{endpoint}/{bucket}", timeout=10).raise_for_status()
    env = {
        "BERTH_DATABASE_URL": db_url,
        "BERTH_STORAGE_URL": f"s3://{bucket}/registry?endpoint={endpoint}&region=us-east-1",
        "AWS_ACCESS_KEY_ID": "cluster", "AWS_SECRET_ACCESS_KEY": "cluster-secret", "AWS_REGION": "us-east-1",
        "BERTH_ADMIN_PASSWORD": ADMIN_PASSWORD,
    }
    for name, value in env.items():
        monkeypatch_module.setenv(name, value)
    root = tmp_path_factory.mktemp("cluster")
    nodes = [RegistryServer(root / f"node{i}", kind="berth").start() for i in range(3)]
    yield nodes
    for node in nodes:
        node.stop()
    if started_dir:
        run([str(SCRIPTS / "postgres-test-cluster.sh"), "stop", started_dir], check=False)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


class RoundRobin:
    """Sends each request to the next live node."""

    def __init__(self, nodes):
        self.nodes = list(nodes)
        self.turn = 0
        self.lock = threading.Lock()

    def next_url(self) -> str:
        with self.lock:
            live = [n for n in self.nodes if n.proc and n.proc.poll() is None]
            node = live[self.turn % len(live)]
            self.turn += 1
            return node.url

    def request(self, method: str, path: str, **kw) -> requests.Response:
        # A request may be sent to any node; paths returned by one node (Location) work on all.
        return requests.request(method, self.next_url() + path, auth=AUTH, timeout=60, **kw)


def push_chunked_across_nodes(rr: RoundRobin, data: bytes, parts: int = 3) -> str:
    """POST on one node, each PATCH on the next, PUT on the next: the upload moves between nodes."""
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    r = rr.request("POST", f"/v2/{REPO}/blobs/uploads/")
    assert r.status_code == 202, r.text
    location = r.headers["Location"]
    step = max(1, len(data) // parts)
    offset = 0
    while offset < len(data):
        chunk = data[offset:offset + step]
        r = rr.request("PATCH", location, data=chunk, headers={
            "Content-Range": f"{offset}-{offset + len(chunk) - 1}", "Content-Type": "application/octet-stream"})
        assert r.status_code == 202, r.text
        assert r.headers["Range"] == f"0-{offset + len(chunk) - 1}"
        location = r.headers["Location"]
        offset += len(chunk)
    sep = "&" if "?" in location else "?"
    r = rr.request("PUT", f"{location}{sep}digest={digest}")
    assert r.status_code == 201, r.text
    return digest


def push_image(rr: RoundRobin, tag: str, layer: bytes) -> str:
    layer_digest = push_chunked_across_nodes(rr, layer)
    config = canonical({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": []}})
    config_digest = "sha256:" + hashlib.sha256(config).hexdigest()
    r = rr.request("POST", f"/v2/{REPO}/blobs/uploads/?digest={config_digest}", data=config)
    assert r.status_code == 201, r.text
    manifest = canonical({"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                          "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                     "digest": config_digest, "size": len(config)},
                          "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                                      "digest": layer_digest, "size": len(layer)}]})
    r = rr.request("PUT", f"/v2/{REPO}/manifests/{tag}", data=manifest, headers={"Content-Type": OCI_MANIFEST})
    assert r.status_code == 201, r.text
    return r.headers["Docker-Content-Digest"]


def test_round_robin_pushes_are_seen_by_every_node(cluster):
    rr = RoundRobin(cluster)
    pushed = {}
    for i in range(6):
        layer = os.urandom(random.randint(200_000, 2_500_000))
        pushed[f"v{i}"] = (push_image(rr, f"v{i}", layer), layer)
    for node in cluster:
        tags = requests.get(f"{node.url}/v2/{REPO}/tags/list", auth=AUTH, timeout=30).json()["tags"]
        assert set(pushed) <= set(tags)
        for tag, (digest, layer) in pushed.items():
            r = requests.get(f"{node.url}/v2/{REPO}/manifests/{tag}", auth=AUTH, timeout=30,
                             headers={"Accept": OCI_MANIFEST})
            assert r.status_code == 200 and r.headers["Docker-Content-Digest"] == digest
            layer_digest = json.loads(r.content)["layers"][0]["digest"]
            blob = requests.get(f"{node.url}/v2/{REPO}/blobs/{layer_digest}", auth=AUTH, timeout=60)
            assert blob.status_code == 200 and blob.content == layer


def test_real_clients_push_to_one_node_and_pull_from_another(cluster, tmp_path):
    require_tools("skopeo")
    layout = Layout.create(tmp_path / "src")
    desc = layout.add_image(random_files("cluster", count=4, size=300_000), layers=2)
    layout.tag(desc, "v1")
    creds = f"{AUTH[0]}:{AUTH[1]}"
    a, b, c = cluster
    run(["skopeo", "copy", "--dest-tls-verify=false", "--dest-creds", creds, "--preserve-digests",
         f"oci:{layout.path}:v1", f"docker://{a.host}/library/skopeo:v1"])
    out = tmp_path / "out"
    run(["skopeo", "copy", "--src-tls-verify=false", "--src-creds", creds, "--preserve-digests",
         f"docker://{b.host}/library/skopeo:v1", f"oci:{out}:v1"])
    copied = Layout(out).resolve("v1")
    assert copied["digest"] == desc["digest"]
    inspect = run(["skopeo", "inspect", "--tls-verify=false", "--creds", creds, "--raw",
                   f"docker://{c.host}/library/skopeo:v1"]).stdout
    assert hashlib.sha256(inspect.encode()).hexdigest() == desc["digest"].split(":")[1]


def test_a_node_killed_mid_push_loses_nothing_acknowledged(cluster):
    rr = RoundRobin(cluster)
    acknowledged: dict[str, tuple[str, bytes]] = {}
    errors: list[str] = []
    stop = threading.Event()

    def pusher(worker: int):
        for i in range(40):
            if stop.is_set():
                return
            tag = f"kill-{worker}-{i}"
            layer = os.urandom(random.randint(50_000, 600_000))
            try:
                acknowledged[tag] = (push_image(rr, tag, layer), layer)
            except (requests.RequestException, AssertionError) as exc:
                errors.append(f"{tag}: {exc}")  # requests to the dying node fail; nothing was acknowledged

    threads = [threading.Thread(target=pusher, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    threading.Event().wait(2.0)
    cluster[1].kill()
    for t in threads:
        t.join(300)
    stop.set()
    assert len(acknowledged) >= 40, f"too few pushes succeeded: {len(acknowledged)}; errors: {errors[:5]}"
    survivors = [cluster[0], cluster[2]]
    for node in survivors:
        for tag, (digest, layer) in acknowledged.items():
            r = requests.get(f"{node.url}/v2/{REPO}/manifests/{tag}", auth=AUTH, timeout=30,
                             headers={"Accept": OCI_MANIFEST})
            assert r.status_code == 200 and r.headers["Docker-Content-Digest"] == digest, (node.url, tag)
        tag, (digest, layer) = next(iter(acknowledged.items()))
        manifest = requests.get(f"{node.url}/v2/{REPO}/manifests/{tag}", auth=AUTH, timeout=30,
                                headers={"Accept": OCI_MANIFEST}).json()
        blob = requests.get(f"{node.url}/v2/{REPO}/blobs/{manifest['layers'][0]['digest']}", auth=AUTH, timeout=60)
        assert blob.content == layer
    # The killed node restarts on the same database and storage and serves everything too.
    cluster[1].start()
    for tag, (digest, _) in list(acknowledged.items())[:10]:
        r = requests.head(f"{cluster[1].url}/v2/{REPO}/manifests/{tag}", auth=AUTH, timeout=30,
                          headers={"Accept": OCI_MANIFEST})
        assert r.status_code == 200 and r.headers["Docker-Content-Digest"] == digest


def test_podman_pushes_to_one_node_and_pulls_from_another(cluster, tmp_path, short_tmp):
    require_tools("podman", "skopeo")
    layout = Layout.create(tmp_path / "src")
    desc = layout.add_image(random_files("cluster-podman", count=3, size=200_000), layers=2)
    layout.tag(desc, "v1")
    creds = f"{AUTH[0]}:{AUTH[1]}"
    a, b, c = cluster[0], cluster[2], cluster[1]
    podman = ["podman", "--root", str(short_tmp / "root"), "--runroot", str(short_tmp / "run"),
              "--storage-driver", "vfs", "--events-backend", "none", "--cgroup-manager", "cgroupfs",
              "--tmpdir", str(short_tmp / "tmp")]
    run(podman + ["pull", f"oci:{layout.path}:v1"], timeout=600)
    image_id = run(podman + ["images", "-q", "--no-trunc"]).stdout.split()[0]
    pushed_ref = f"{a.host}/library/podman:v1"
    run(podman + ["tag", image_id, pushed_ref])
    digest_file = short_tmp / "digest"
    run(podman + ["push", "--tls-verify=false", "--creds", creds, "--digestfile", str(digest_file), pushed_ref],
        timeout=600)
    pushed = digest_file.read_text().strip()
    run(podman + ["rmi", "--all", "--force"])
    for node in (b, c):
        if node.proc is None or node.proc.poll() is not None:
            continue  # the kill test may have stopped this node
        pulled_ref = f"{node.host}/library/podman:v1"
        run(podman + ["pull", "--tls-verify=false", "--creds", creds, pulled_ref], timeout=600)
        digest = run(podman + ["image", "inspect", "--format", "{{.Digest}}", pulled_ref]).stdout.strip()
        assert digest == pushed
