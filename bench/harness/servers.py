"""Start, watch and stop the registries under test (loopback only), and read their /proc figures."""
import os
import shutil
import socket
import subprocess
import time
import http.client

CLK_TCK = os.sysconf("SC_CLK_TCK")

DIST_CONFIG = """version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
{storage}  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: 127.0.0.1:{port}
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A registry child process with its data directory under bench/.work/."""

    def __init__(self, name, argv, port, data_dir, log_path, env=None):
        self.name, self.argv, self.port = name, argv, port
        self.data_dir, self.log_path = data_dir, log_path
        self.env = dict(os.environ, **(env or {}))
        self.proc = None

    def start(self, timeout=30.0):
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(self.argv, stdout=self.log, stderr=subprocess.STDOUT, env=self.env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}; see {self.log_path}:\n"
                                   + self.tail())
            if self._ready():
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer GET /v2/ within {timeout}s; see {self.log_path}")

    def _ready(self):
        try:
            c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            c.request("GET", "/v2/")
            st = c.getresponse().status
            c.close()
            return st in (200, 401)
        except OSError:
            return False

    def tail(self, n=2000):
        try:
            with open(self.log_path, "rb") as f:
                return f.read()[-n:].decode(errors="replace")
        except OSError:
            return ""

    def cpu_seconds(self):
        """utime + stime of the server process so far."""
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK

    def peak_rss_mb(self):
        """VmHWM (peak resident set) in MB (10^6 bytes)."""
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024 / 1e6
        return None

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if getattr(self, "log", None):
            self.log.close()


def _fresh_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)


def distribution(work, binary="/usr/bin/docker-registry", storage=None):
    """CNCF Distribution with a generated config: filesystem storage under `work` (or the given `storage:`
    entries, e.g. the s3 driver from backends.py), warn logging."""
    port = free_port()
    root = os.path.join(work, "distribution")
    _fresh_dir(root)
    cfg = os.path.join(work, "distribution.yml")
    if storage is None:
        storage = f"  filesystem:\n    rootdirectory: {os.path.join(root, 'data')}\n"
    with open(cfg, "w") as f:
        f.write(DIST_CONFIG.format(storage=storage, port=port))
    srv = Server("distribution", [binary, "serve", cfg], port, root, os.path.join(work, "distribution.log"))
    # The AWS SDK in Distribution 2.8 panics at start ("unable to load custom CA bundle") when AWS_CA_BUNDLE
    # is set; the S3 server is plain http on loopback, so no CA bundle is needed.
    srv.env.pop("AWS_CA_BUNDLE", None)
    return srv


# Berth always requires logins: the bench starts it with this admin password and pushes as admin into
# the private project `bench` (created with `berth admin` before the server starts).
BERTH_ADMIN_PASSWORD = "Bench-Admin-Passw0rd"
BERTH_PROJECTS = ("bench",)


def berth(work, binary, extra_env=None, name="berth", create_projects=True):
    """Berth: `berth serve --listen 127.0.0.1:PORT --data DIR`, admin password BERTH_ADMIN_PASSWORD.
    `extra_env` adds settings (BERTH_DATABASE_URL, BERTH_STORAGE_URL, ...); `name` names the data directory
    and log (one per node of a cluster); nodes after the first of a cluster share the projects already made."""
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        raise SystemExit(f"bench: the Berth binary {binary!r} does not exist or is not executable.\n"
                         f"  Build it first (swift build -c release --product berth), pass --berth-bin PATH,\n"
                         f"  or run against the reference only with: bench/run --only distribution")
    port = free_port()
    root = os.path.join(work, name)
    _fresh_dir(root)
    argv = [binary, "serve", "--listen", f"127.0.0.1:{port}", "--data", root]
    # Same logging posture as the Distribution config: warnings only, no access log.
    env = {"BERTH_LOG_LEVEL": "warning", "BERTH_ACCESS_LOG": "false", "BERTH_ADMIN_PASSWORD": BERTH_ADMIN_PASSWORD}
    env.update(extra_env or {})
    for project in BERTH_PROJECTS if create_projects else ():
        subprocess.run([binary, "admin", "project", "create", project, "--data", root], check=True,
                       capture_output=True, env=dict(os.environ, **env))
    return Server(name, argv, port, root, os.path.join(work, f"{name}.log"), env)
