"""Where the registries keep their data: the local filesystem (default) or PostgreSQL + an S3 server.

`--backend pg-s3` starts one throwaway PostgreSQL cluster (scripts/postgres-test-cluster.sh) and one moto
S3 server (scripts/s3-test-server.sh, its pid and log under bench/.work/s3), both on 127.0.0.1, for the
whole run. Every registry (and every Berth cluster) gets a fresh database and a fresh bucket, so no run
sees another's data. Distribution uses the same S3 server through its `s3` storage driver, with redirects
off (by default it answers blob GETs with a 307 to a presigned S3 URL; Berth serves the bytes itself, so
both now do the same work).
"""
import http.client
import os
import secrets
import subprocess
import sys
import urllib.parse

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPTS = os.path.join(os.path.dirname(BENCH), "scripts")
ACCESS_KEY, SECRET_KEY, REGION = "bench", "bench-secret", "us-east-1"
DESCRIPTION = {"fs": "filesystem (Berth: SQLite + files)",
               "pg-s3": "S3 on moto (Berth: PostgreSQL + S3; Distribution: s3 driver)"}

DIST_S3 = """  s3:
    region: {region}
    regionendpoint: {endpoint}
    bucket: {bucket}
    accesskey: {access}
    secretkey: {secret}
    secure: false
    v4auth: true
    rootdirectory: /distribution
  redirect:
    disable: true
"""


def _log(msg):
    print(msg, file=sys.stderr, flush=True)


class Filesystem:
    """The default: each registry stores under its own directory in bench/.work/."""

    name = "fs"

    def start(self):
        return self

    def stop(self):
        pass

    def berth_env(self, label):
        """Extra environment for a Berth side (none: `--data` says it all)."""
        return {}

    def s3_pid(self):
        return None

    def distribution_storage(self, label):
        """None: servers.distribution writes its filesystem block."""
        return None


class PgS3:
    """One PostgreSQL cluster and one moto S3 server on loopback, shared by all registries of the run."""

    name = "pg-s3"

    def __init__(self, work):
        self.work = work
        self.s3_dir = os.path.join(work, "s3")
        self.pg_url = self.pg_dir = self.endpoint = None

    def start(self):
        out = subprocess.run([os.path.join(SCRIPTS, "postgres-test-cluster.sh"), "start"], check=True,
                             capture_output=True, text=True)
        env = dict(line.removeprefix("export ").split("=", 1) for line in out.stdout.splitlines() if "=" in line)
        self.pg_url = env["BERTH_TEST_POSTGRES_URL"].strip("'")
        self.pg_dir = env["BERTH_TEST_POSTGRES_DIR"].strip("'")
        out = subprocess.run([os.path.join(SCRIPTS, "s3-test-server.sh"), "start"], check=True, capture_output=True,
                             text=True, env=dict(os.environ, S3_TEST_DIR=self.s3_dir))
        self.endpoint = out.stdout.strip().splitlines()[-1]
        if not self.endpoint.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"unexpected S3 endpoint {self.endpoint!r}")
        _log(f"backend pg-s3: PostgreSQL {self.pg_url.split('@')[-1]}, S3 (moto) {self.endpoint}")
        return self

    def stop(self):
        if self.endpoint:
            subprocess.run([os.path.join(SCRIPTS, "s3-test-server.sh"), "stop"], check=False,
                           env=dict(os.environ, S3_TEST_DIR=self.s3_dir))
            self.endpoint = None
        if self.pg_dir:
            subprocess.run([os.path.join(SCRIPTS, "postgres-test-cluster.sh"), "stop", self.pg_dir], check=False)
            self.pg_dir = None

    def s3_pid(self):
        """The moto server's pid (for its CPU time), or None."""
        try:
            with open(os.path.join(self.s3_dir, "pid")) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return None

    def database(self, label):
        """CREATE DATABASE bench_<label>_<random>; return its URL."""
        name = f"bench_{label}_{secrets.token_hex(3)}".replace("-", "_")
        subprocess.run(["psql", self.pg_url, "-q", "-v", "ON_ERROR_STOP=1", "-c", f"CREATE DATABASE {name}"],
                       check=True, capture_output=True)
        return self.pg_url.replace("/berth_test?", f"/{name}?", 1)

    def bucket(self, label):
        """Create a bucket <label>-<random> on the S3 server; return its name."""
        name = f"{label}-{secrets.token_hex(3)}".replace("_", "-")
        u = urllib.parse.urlsplit(self.endpoint)
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        c.request("PUT", f"/{name}", headers={"Content-Length": "0"})
        r = c.getresponse()
        body = r.read()
        c.close()
        if r.status != 200:
            raise RuntimeError(f"creating bucket {name}: HTTP {r.status} {body[:200]!r}")
        return name

    def berth_env(self, label):
        """BERTH_DATABASE_URL, BERTH_STORAGE_URL and AWS credentials for a fresh database and bucket."""
        return {"BERTH_DATABASE_URL": self.database(label),
                "BERTH_STORAGE_URL": f"s3://{self.bucket(label)}/registry?endpoint={self.endpoint}&region={REGION}",
                "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_REGION": REGION}

    def distribution_storage(self, label):
        """The `storage:` entries for Distribution's s3 driver on a fresh bucket."""
        return DIST_S3.format(region=REGION, endpoint=self.endpoint, bucket=self.bucket(label),
                              access=ACCESS_KEY, secret=SECRET_KEY)


def make(name, work):
    """The backend called `name` ("fs" or "pg-s3"), not yet started."""
    if name == "pg-s3":
        return PgS3(work)
    return Filesystem()
