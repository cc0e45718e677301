"""The workload steps, run on every registry in turn (interleaved, so a noisy moment hits both sides)."""
import os
import http.client
import sys

from . import bigblob, oci, paging, transfer, wrkload

# (key, layer size, concurrency, mode); the pull workloads re-read the images of the *-c8 monolithic runs.
PUSHES = [("push-mono-1m-c2", 1 << 20, 2, "monolithic"), ("push-mono-1m-c8", 1 << 20, 8, "monolithic"),
          ("push-mono-10m-c2", 10 << 20, 2, "monolithic"), ("push-mono-10m-c8", 10 << 20, 8, "monolithic"),
          ("push-chunked-1m-c8", 1 << 20, 8, "chunked"), ("push-chunked-10m-c8", 10 << 20, 8, "chunked")]
PULLS = [("pull-1m-c8", "push-mono-1m-c8", 8), ("pull-10m-c8", "push-mono-10m-c8", 8)]
HOT_REPO = "bench/hot"


def log(msg):
    print(f"  {msg}", file=sys.stderr, flush=True)


class Side:
    """One started registry with its results: `res[key]` is a figure dict or {"error": text}."""

    def __init__(self, server, auth, profile, work):
        self.server, self.auth, self.profile, self.work = server, auth, profile, work
        self.port, self.probe = server.port, server.cpu_seconds
        self.res, self.images, self.rounds = {}, {}, []
        self._log_in()

    def _log_in(self):
        """One authenticated GET /v2/ before anything is timed, as `docker login` does once per client.
        Berth checks a password with PBKDF2 (about 130 ms here) on first sight and then caches the
        result; without this the first timed step (1 MiB pushes at c2) paid it inside its half second."""
        if not self.auth:
            return
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            c.request("GET", "/v2/", headers={"Authorization": self.auth})
            c.getresponse().read()
        finally:
            c.close()

    def next_round(self):
        """Start another repetition of all steps; the finished one is kept for the median."""
        if self.res:
            self.rounds.append(self.res)
        self.res = {}

    def finish(self):
        """Merge the rounds (median per figure) and add the server's CPU and peak RSS."""
        self.next_round()
        self.res = merge_rounds(self.rounds)
        if self.server.proc.poll() is not None:
            self.res["server"] = {"error": f"exited with {self.server.proc.returncode} during the run"}
        else:
            self.res["server"] = {"cpu_s": self.server.cpu_seconds(), "peak_rss_mb": self.server.peak_rss_mb()}
        return self.res


PRIMARY = ("seq_per_s", "req_per_s", "mb_per_s", "seconds")


def merge_rounds(rounds):
    """For each key, the round whose primary figure is the median (errors only if every round failed)."""
    merged = {}
    for key in {k for r in rounds for k in r}:
        good = [r[key] for r in rounds if key in r and "error" not in r[key]]
        if not good:
            merged[key] = next(r[key] for r in rounds if key in r)
            continue
        field = next(f for f in PRIMARY if f in good[0])
        good.sort(key=lambda g: g[field])
        pick = dict(good[(len(good) - 1) // 2])
        if len(rounds) > 1:
            pick["rounds"] = [g[field] for g in good]
        merged[key] = pick
    return merged


class _Guard:
    """Records a failing step as {"error": ...} under its keys and lets the run go on."""

    def __init__(self, res, keys, who):
        self.res, self.keys, self.who = res, keys, who

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if exc is None:
            return False
        msg = f"{type(exc).__name__}: {exc}"[:500]
        log(f"{self.who}: ERROR in {', '.join(self.keys)}: {msg}")
        for k in self.keys:
            self.res.setdefault(k, {"error": msg})
        return isinstance(exc, Exception)


def _push(key, size, conc, mode):
    def step(s):
        n = s.profile["push_1m"] if size == 1 << 20 else s.profile["push_10m"]
        r = transfer.push(s.port, s.auth, size, conc, n, mode, key, s.probe)
        s.images[key] = r.pop("images")
        s.res[key] = r
        return f"{r['seq_per_s']:.1f} seq/s, {r['mb_per_s']:.1f} MB/s, client CPU {r['client_cpu_share']:.0%}"
    return step


def _pull(key, source, conc):
    def step(s):
        if source not in s.images:
            raise RuntimeError(f"no images to pull: {source} failed")
        r = s.res[key] = transfer.pull(s.port, s.auth, s.images[source], conc, s.profile["pull_passes"], s.probe)
        return f"{r['mb_per_s']:.1f} MB/s, client CPU {r['client_cpu_share']:.0%}"
    return step


def _seed_hot(s, tags=10):
    """One small image under several tags, for the request-rate figures."""
    c = oci.Client(s.port, s.auth)
    config, layer = b'{"architecture":"amd64","os":"linux","bench":"hot"}', os.urandom(4096)
    c.push_monolithic(HOT_REPO, config, oci.sha256_digest(config))
    c.push_monolithic(HOT_REPO, layer, oci.sha256_digest(layer))
    manifest = oci.image_manifest((oci.sha256_digest(config), len(config)), [(oci.sha256_digest(layer), len(layer))])
    for i in range(tags):
        c.put_manifest(HOT_REPO, "latest" if i == 0 else f"v{i}", manifest)
    if c.head_manifest(HOT_REPO, "latest") != oci.sha256_digest(manifest):
        raise RuntimeError("HEAD manifest returned a wrong Docker-Content-Digest")
    c.close()
    return f"seeded {HOT_REPO}"


def _rate(key, path, script):
    def step(s):
        secs = s.profile["wrk_seconds"]
        if script is None:
            r = wrkload.run_head(s.port, path, secs, s.work, oci.ACCEPT, auth=s.auth, probe=s.probe)
        else:
            r = wrkload.run(s.port, path, script, secs, auth=s.auth, probe=s.probe)
        s.res[key] = r
        return f"{r['req_per_s']:.0f} req/s, errors {r['errors']}, client CPU {r['client_cpu_share']:.0%}"
    return step


def _seed_paging(s):
    seconds = paging.seed(s.port, s.auth, s.profile["repos"])
    return f"seeded {s.profile['repos']} repositories and tags in {seconds:.1f}s"


def _walk(key, path):
    def step(s):
        r = s.res[key] = paging.walk(s.port, s.auth, path, s.profile["walk_rounds"])
        return f"{r['seconds'] * 1e3:.1f} ms for {r['pages']} pages, {r['items']} items"
    return step


def _big_push(s):
    path, digest = s.profile["big_file"]
    r = s.res["big-push"] = bigblob.push(s.port, s.auth, "bench/big", path, digest, s.probe)
    return f"{r['mb_per_s']:.1f} MB/s"


def _big_pull(s):
    path, digest = s.profile["big_file"]
    r = s.res["big-pull"] = bigblob.pull(s.port, s.auth, "bench/big", digest, os.path.getsize(path), s.probe)
    return f"{r['mb_per_s']:.1f} MB/s"


def steps(workloads):
    """The ordered steps: (name, keys that fail with it, function(side) -> log text)."""
    out = []
    if "push" in workloads:
        out += [(key, [key], _push(key, size, conc, mode)) for key, size, conc, mode in PUSHES]
    if "pull" in workloads:
        out += [(key, [key], _pull(key, source, conc)) for key, source, conc in PULLS]
    if "wrk" in workloads:
        manifest = f"/v2/{HOT_REPO}/manifests/latest"
        out += [("seed-hot", ["manifest-head", "manifest-get", "tags-list"], _seed_hot),
                ("manifest-head", ["manifest-head"], _rate("manifest-head", manifest, None)),
                ("manifest-get", ["manifest-get"], _rate("manifest-get", manifest, "get_manifest.lua")),
                ("tags-list", ["tags-list"], _rate("tags-list", f"/v2/{HOT_REPO}/tags/list", "get.lua"))]
    if "paging" in workloads:
        out += [("seed-paging", ["catalog-walk", "tags-walk"], _seed_paging),
                ("catalog-walk", ["catalog-walk"], _walk("catalog-walk", "/v2/_catalog?n=100")),
                ("tags-walk", ["tags-walk"], _walk("tags-walk", "/v2/bench/page/r0000/tags/list?n=100"))]
    if "big" in workloads:
        out += [("big-push", ["big-push", "big-pull"], _big_push), ("big-pull", ["big-pull"], _big_pull)]
    return out


def run_step(side, name, keys, fn):
    """Run one step on one side unless an earlier failure already settled all of its keys."""
    if all(k in side.res for k in keys):
        return
    if side.server.proc.poll() is not None:
        for k in keys:
            side.res.setdefault(k, {"error": f"{side.server.name} is not running"})
        return
    os.sync()  # no dirty pages from the previous step (untimed)
    with _Guard(side.res, keys, side.server.name):
        log(f"{side.server.name} {name}: {fn(side)}")
