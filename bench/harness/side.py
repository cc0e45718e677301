"""Run the selected workloads against one started registry and collect raw results."""
import os
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


def _seed_hot(port, auth, tags=10):
    """One small image under several tags, for the wrk request-rate figures."""
    c = oci.Client(port, auth)
    config, layer = b'{"architecture":"amd64","os":"linux","bench":"hot"}', os.urandom(4096)
    c.push_monolithic(HOT_REPO, config, oci.sha256_digest(config))
    c.push_monolithic(HOT_REPO, layer, oci.sha256_digest(layer))
    manifest = oci.image_manifest((oci.sha256_digest(config), len(config)), [(oci.sha256_digest(layer), len(layer))])
    for i in range(tags):
        c.put_manifest(HOT_REPO, "latest" if i == 0 else f"v{i}", manifest)
    if c.head_manifest(HOT_REPO, "latest") != oci.sha256_digest(manifest):
        raise RuntimeError("HEAD manifest returned a wrong Docker-Content-Digest")
    c.close()


class _Guard:
    """Records a failing workload as {"error": ...} under its keys and lets the run go on."""

    def __init__(self, res, keys):
        self.res, self.keys = res, keys

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if exc is None:
            return False
        msg = f"{type(exc).__name__}: {exc}"[:500]
        log(f"ERROR in {', '.join(self.keys)}: {msg}")
        for k in self.keys:
            self.res.setdefault(k, {"error": msg})
        return isinstance(exc, Exception)


def _push_and_pull(port, auth, profile, workloads, probe, res):
    images = {}
    if "push" in workloads:
        for key, size, conc, mode in PUSHES:
            n = profile["push_1m"] if size == 1 << 20 else profile["push_10m"]
            os.sync()  # start every push with no dirty pages from the previous one (untimed)
            with _Guard(res, [key]):
                r = transfer.push(port, auth, size, conc, n, mode, key, probe)
                images[key] = r.pop("images")
                res[key] = r
                log(f"{key}: {r['seq_per_s']:.1f} seq/s, {r['mb_per_s']:.1f} MB/s, "
                    f"client CPU {r['client_cpu_share']:.0%}")
    if "pull" in workloads:
        for key, source, conc in PULLS:
            with _Guard(res, [key]):
                if source not in images:
                    raise RuntimeError(f"no images: {source} failed")
                r = transfer.pull(port, auth, images[source], conc, profile["pull_passes"], probe)
                res[key] = r
                log(f"{key}: {r['mb_per_s']:.1f} MB/s, client CPU {r['client_cpu_share']:.0%}")


def _rates(port, auth, secs, work, probe, res):
    with _Guard(res, ["manifest-head", "manifest-get", "tags-list"]):
        _seed_hot(port, auth)
    if res:
        return
    with _Guard(res, ["manifest-head"]):
        r = wrkload.run_head(port, f"/v2/{HOT_REPO}/manifests/latest", secs, work, oci.ACCEPT, auth=auth, probe=probe)
        res["manifest-head"] = r
        log(f"manifest-head: {r['req_per_s']:.0f} req/s, errors {r['errors']}, client CPU {r['client_cpu_share']:.0%}")
    for key, path, script in [("manifest-get", f"/v2/{HOT_REPO}/manifests/latest", "get_manifest.lua"),
                              ("tags-list", f"/v2/{HOT_REPO}/tags/list", "get.lua")]:
        with _Guard(res, [key]):
            r = wrkload.run(port, path, script, secs, auth=auth, probe=probe)
            res[key] = r
            log(f"{key}: {r['req_per_s']:.0f} req/s, errors {r['errors']}, client CPU {r['client_cpu_share']:.0%}")


def _paging(port, auth, profile, res):
    with _Guard(res, ["catalog-walk", "tags-walk"]):
        seconds = paging.seed(port, auth, profile["repos"])
        log(f"seeded {profile['repos']} repositories and tags in {seconds:.1f}s")
    if res:
        return
    for key, path in [("catalog-walk", "/v2/_catalog?n=100"), ("tags-walk", "/v2/bench/page/r0000/tags/list?n=100")]:
        with _Guard(res, [key]):
            r = paging.walk(port, auth, path, profile["walk_rounds"])
            res[key] = r
            log(f"{key}: {r['seconds'] * 1e3:.1f} ms for {r['pages']} pages, {r['items']} items")


def _big(port, auth, profile, probe, res):
    path, digest = profile["big_file"]
    os.sync()
    with _Guard(res, ["big-push", "big-pull"]):
        r = bigblob.push(port, auth, "bench/big", path, digest, probe)
        res["big-push"] = r
        log(f"big-push: {r['mb_per_s']:.1f} MB/s")
    if "error" in res["big-push"]:
        return
    with _Guard(res, ["big-pull"]):
        r = bigblob.pull(port, auth, "bench/big", digest, os.path.getsize(path), probe)
        res["big-pull"] = r
        log(f"big-pull: {r['mb_per_s']:.1f} MB/s")


def run(server, profile, workloads, work, auth=None):
    """Run workloads in a fixed order; return {key: result dict}; failures become {"error": text}."""
    port, probe, res = server.port, server.cpu_seconds, {}
    _push_and_pull(port, auth, profile, workloads, probe, res)
    if "wrk" in workloads:
        part = {}
        _rates(port, auth, profile["wrk_seconds"], work, probe, part)
        res.update(part)
    if "paging" in workloads:
        part = {}
        _paging(port, auth, profile, part)
        res.update(part)
    if "big" in workloads:
        _big(port, auth, profile, probe, res)
    if server.proc.poll() is not None:
        log(f"ERROR: {server.name} exited with {server.proc.returncode} during the run")
        res["server"] = {"error": f"exited with {server.proc.returncode} during the run"}
    else:
        res["server"] = {"cpu_s": server.cpu_seconds(), "peak_rss_mb": server.peak_rss_mb()}
    return res
