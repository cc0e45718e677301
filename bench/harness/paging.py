"""_catalog and tags/list paging: seed N repositories (and N tags in one), then time full walks."""
import json
import multiprocessing as mp
import statistics
import time

from . import oci

CTX = mp.get_context("fork")
CONFIG = json.dumps({"architecture": "amd64", "os": "linux", "bench": "paging"}).encode()
LAYER = b"berth-bench-paging-layer\n"


def _manifest():
    return oci.image_manifest((oci.sha256_digest(CONFIG), len(CONFIG)),
                              [(oci.sha256_digest(LAYER), len(LAYER))])


def _seed_repos(args):
    port, auth, names = args
    c = oci.Client(port, auth)
    manifest = _manifest()
    for name in names:
        c.push_monolithic(name, CONFIG, oci.sha256_digest(CONFIG))
        c.push_monolithic(name, LAYER, oci.sha256_digest(LAYER))
        c.put_manifest(name, "latest", manifest)
    c.close()
    return len(names)


def _seed_tags(args):
    port, auth, repo, tags = args
    c = oci.Client(port, auth)
    manifest = _manifest()
    for tag in tags:
        c.put_manifest(repo, tag, manifest)
    c.close()
    return len(tags)


def seed(port, auth, repos, workers=8):
    """Create `repos` repositories bench/page/rNNNN and `repos` tags in bench/page/r0000."""
    names = [f"bench/page/r{i:04d}" for i in range(repos)]
    t0 = time.perf_counter()
    with CTX.Pool(workers) as pool:
        pool.map(_seed_repos, [(port, auth, names[w::workers]) for w in range(workers)])
        tags = [f"v{i:04d}" for i in range(repos)]
        pool.map(_seed_tags, [(port, auth, names[0], tags[w::workers]) for w in range(workers)])
    return time.perf_counter() - t0


def walk(port, auth, path, rounds):
    """Walk all pages of `path` `rounds` times on one connection; return median seconds and counts."""
    c = oci.Client(port, auth)
    times, pages, items = [], 0, 0
    for _ in range(rounds):
        t0 = time.perf_counter()
        pages, items = c.walk(path)
        times.append(time.perf_counter() - t0)
    c.close()
    return {"seconds": statistics.median(times), "pages": pages, "items": items, "rounds": rounds}
