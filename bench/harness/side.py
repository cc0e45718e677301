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


def run(server, profile, workloads, work, auth=None):
    """Run workloads in a fixed order; return {key: result dict}."""
    port, probe, res = server.port, server.cpu_seconds, {}
    images = {}
    if "push" in workloads:
        for key, size, conc, mode in PUSHES:
            n = profile["push_1m"] if size == 1 << 20 else profile["push_10m"]
            os.sync()  # start every push with no dirty pages from the previous one (untimed)
            r = transfer.push(port, auth, size, conc, n, mode, key, probe)
            images[key] = r.pop("images")
            res[key] = r
            log(f"{key}: {r['seq_per_s']:.1f} seq/s, {r['mb_per_s']:.1f} MB/s, client CPU {r['client_cpu_share']:.0%}")
    if "pull" in workloads:
        for key, source, conc in PULLS:
            r = transfer.pull(port, auth, images[source], conc, profile["pull_passes"], probe)
            res[key] = r
            log(f"{key}: {r['mb_per_s']:.1f} MB/s, client CPU {r['client_cpu_share']:.0%}")
    if "wrk" in workloads:
        _seed_hot(port, auth)
        secs = profile["wrk_seconds"]
        r = wrkload.run_head(port, f"/v2/{HOT_REPO}/manifests/latest", secs, work, oci.ACCEPT, auth=auth, probe=probe)
        res["manifest-head"] = r
        log(f"manifest-head: {r['req_per_s']:.0f} req/s, errors {r['errors']}, client CPU {r['client_cpu_share']:.0%}")
        for key, path, script in [("manifest-get", f"/v2/{HOT_REPO}/manifests/latest", "get_manifest.lua"),
                                  ("tags-list", f"/v2/{HOT_REPO}/tags/list", "get.lua")]:
            r = wrkload.run(port, path, script, secs, auth=auth, probe=probe)
            res[key] = r
            log(f"{key}: {r['req_per_s']:.0f} req/s, errors {r['errors']}, client CPU {r['client_cpu_share']:.0%}")
    if "paging" in workloads:
        seconds = paging.seed(port, auth, profile["repos"])
        log(f"seeded {profile['repos']} repositories and tags in {seconds:.1f}s")
        for key, path in [("catalog-walk", "/v2/_catalog?n=100"), ("tags-walk", "/v2/bench/page/r0000/tags/list?n=100")]:
            r = paging.walk(port, auth, path, profile["walk_rounds"])
            res[key] = r
            log(f"{key}: {r['seconds'] * 1e3:.1f} ms for {r['pages']} pages, {r['items']} items")
    if "big" in workloads:
        path, digest = profile["big_file"]
        os.sync()
        r = bigblob.push(port, auth, "bench/big", path, digest, probe)
        res["big-push"] = r
        log(f"big-push: {r['mb_per_s']:.1f} MB/s")
        r = bigblob.pull(port, auth, "bench/big", digest, os.path.getsize(path), probe)
        res["big-pull"] = r
        log(f"big-pull: {r['mb_per_s']:.1f} MB/s")
    res["server"] = {"cpu_s": server.cpu_seconds(), "peak_rss_mb": server.peak_rss_mb()}
    return res
