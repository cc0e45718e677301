"""Push and pull sequences driven by forked worker processes (the client must not be the bottleneck).

Each worker prepares all of its payloads (unique random layers, configs, manifests, digests) before a
barrier; only the part after the barrier is timed. Workers report their own CPU time for the timed
part, so the client's CPU share of the run can be printed beside the figure.
"""
import json
import multiprocessing as mp
import os
import resource
import time

from . import oci
from .randbytes import random_buffer

CTX = mp.get_context("fork")


def _cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _prepare_push(worker, count, size, label):
    repo = f"bench/{label}-w{worker}"
    buf = memoryview(random_buffer(count * size))
    items = []
    for j in range(count):
        layer = buf[j * size:(j + 1) * size]
        ldig = oci.sha256_digest(layer)
        config = json.dumps({"architecture": "amd64", "os": "linux", "bench": [label, worker, j,
                             os.urandom(8).hex()], "rootfs": {"type": "layers", "diff_ids": [ldig]}}).encode()
        cdig = oci.sha256_digest(config)
        manifest = oci.image_manifest((cdig, len(config)), [(ldig, size)])
        items.append((f"t{j}", layer, ldig, config, cdig, manifest))
    return repo, items


def _push_worker(args, barrier, out):
    worker, count, size, label, mode, port, auth = args
    try:
        repo, items = _prepare_push(worker, count, size, label)
        client = oci.Client(port, auth)
        push = client.push_chunked if mode == "chunked" else client.push_monolithic
        barrier.wait()
        c0 = _cpu()
        for tag, layer, ldig, config, cdig, manifest in items:
            push(repo, layer, ldig)
            client.push_monolithic(repo, config, cdig)
            client.put_manifest(repo, tag, manifest)
        cpu = _cpu() - c0
        client.close()
        out.put(("ok", cpu, [(repo, t, ld, cd, size + len(c) + len(m)) for t, _, ld, c, cd, m in items]))
    except Exception as e:  # reported to the parent, which aborts the run
        out.put(("error", f"push worker {worker}: {e!r}", None))
        try:
            barrier.abort()
        except Exception:
            pass


def _pull_worker(args, barrier, out):
    worker, images, passes, port, auth = args
    try:
        client = oci.Client(port, auth)
        barrier.wait()
        c0 = _cpu()
        total = 0
        for _ in range(passes):
            for repo, tag, _, _, _ in images:
                client.head_manifest(repo, tag)
                body = client.get_manifest(repo, tag)
                doc = json.loads(body)
                total += len(body)
                total += client.get_blob_discard(repo, doc["config"]["digest"])
                for layer in doc["layers"]:
                    total += client.get_blob_discard(repo, layer["digest"])
        cpu = _cpu() - c0
        client.close()
        out.put(("ok", cpu, total))
    except Exception as e:  # reported to the parent, which aborts the run
        out.put(("error", f"pull worker {worker}: {e!r}", None))
        try:
            barrier.abort()
        except Exception:
            pass


def _run(target, arglist, probe):
    """Run one worker per args tuple; return (wall seconds, client cpu, server cpu, payloads)."""
    barrier = CTX.Barrier(len(arglist) + 1)
    out = CTX.Queue()
    procs = [CTX.Process(target=target, args=(a, barrier, out), daemon=True) for a in arglist]
    for p in procs:
        p.start()
    try:
        barrier.wait(timeout=600)
    except Exception:
        pass
    t0, s0 = time.perf_counter(), probe()
    results = [out.get(timeout=900) for _ in procs]
    t1, s1 = time.perf_counter(), probe()
    for p in procs:
        p.join(30)
    errors = [r[1] for r in results if r[0] == "error"]
    if errors:
        raise RuntimeError("; ".join(errors))
    return t1 - t0, sum(r[1] for r in results), s1 - s0, [r[2] for r in results]


def _split(total, parts):
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def _port_of(port, worker):
    """`port` is one port, or a list of ports (a cluster): worker w talks to node w mod len."""
    return port[worker % len(port)] if isinstance(port, (list, tuple)) else port


def push(port, auth, size, concurrency, total, mode, label, probe):
    """Push `total` image sequences of one `size`-byte layer with `concurrency` workers (spread over the
    nodes when `port` is a list)."""
    args = [(w, n, size, label, mode, _port_of(port, w), auth) for w, n in enumerate(_split(total, concurrency))]
    wall, ccpu, scpu, lists = _run(_push_worker, args, probe)
    images = [img for lst in lists for img in lst]
    nbytes = sum(img[4] for img in images)
    return {"sequences": len(images), "seconds": wall, "seq_per_s": len(images) / wall,
            "mb_per_s": nbytes / wall / 1e6, "bytes": nbytes, "client_cpu_share": ccpu / (wall * os.cpu_count()),
            "server_cpu_s": scpu, "images": images}


def pull(port, auth, images, concurrency, passes, probe):
    """Pull every image `passes` times (HEAD + GET manifest, GET config, GET layer); with a list of ports,
    worker w pulls from node w mod len (so images pushed through one node are pulled from another)."""
    shares = [images[w::concurrency] for w in range(concurrency)]
    args = [(w, s, passes, _port_of(port, w + 1), auth) for w, s in enumerate(shares) if s]
    wall, ccpu, scpu, totals = _run(_pull_worker, args, probe)
    nbytes = sum(totals)
    seqs = len(images) * passes
    return {"sequences": seqs, "seconds": wall, "seq_per_s": seqs / wall, "mb_per_s": nbytes / wall / 1e6,
            "bytes": nbytes, "client_cpu_share": ccpu / (wall * os.cpu_count()), "server_cpu_s": scpu}
