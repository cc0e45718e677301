"""`bench/run --nodes 1,2,3`: aggregate throughput of Berth clusters on one PostgreSQL and one S3 server.

For each cluster size N, N `berth serve` processes start on a fresh database and bucket. The client spreads
its work over the nodes: push and pull workers talk to node (worker mod N), and the manifest GET rate runs
one `wrk` per node at the same time (wrk targets one host) and sums them. All of it shares this machine's
cores with PostgreSQL, moto and the client, so the table also shows where the CPU went.
"""
import base64
import json
import math
import os
import shutil
import subprocess
import sys
import time

from . import report, servers, side, transfer, wrkload

CONNECTIONS = 16  # total wrk connections, split over the nodes
FIGURES = [("push-1m", "push monolithic 1 MiB c8", "seq/s", "seq_per_s"),
           ("push-10m", "push monolithic 10 MiB c8", "MB/s", "mb_per_s"),
           ("pull-1m", "pull 1 MiB c8 (HEAD+GET manifest, config, layer)", "MB/s", "mb_per_s"),
           ("manifest-get", "manifest GET by tag (one wrk per node, summed)", "req/s", "req_per_s")]


def _log(msg):
    print(f"  {msg}", file=sys.stderr, flush=True)


def _proc_cpu(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / servers.CLK_TCK
    except (OSError, ValueError):
        return 0.0


class Cluster:
    """N started Berth nodes on one database and bucket."""

    def __init__(self, n, args, backend, work):
        env = backend.berth_env(f"n{n}")
        self.nodes = [servers.berth(work, args.berth_bin, env, name=f"berth-n{n}-{i}", create_projects=i == 0)
                      for i in range(n)]
        self.auth = "Basic " + base64.b64encode(args.berth_auth.encode()).decode()
        self.backend = backend

    def start(self):
        for node in self.nodes:  # one by one: the first one migrates the database
            node.start()
        return self

    @property
    def ports(self):
        return [n.port for n in self.nodes]

    def server_cpu(self):
        return sum(n.cpu_seconds() for n in self.nodes)

    def s3_cpu(self):
        return _proc_cpu(self.backend.s3_pid()) if self.backend.s3_pid() else 0.0

    def stop(self, keep):
        for node in self.nodes:
            node.stop()
            if not keep:
                shutil.rmtree(node.data_dir, ignore_errors=True)


def _timed(c, fn):
    """Run fn(); add wall time, the nodes' CPU share and moto's CPU share of the machine."""
    t0, s0, m0 = time.perf_counter(), c.server_cpu(), c.s3_cpu()
    r = fn()
    wall = time.perf_counter() - t0
    cores = os.cpu_count()
    r["nodes_cpu_share"] = (c.server_cpu() - s0) / (wall * cores)
    r["s3_cpu_share"] = (c.s3_cpu() - m0) / (wall * cores)
    return r


def _wrk_all(c, path, seconds):
    """One wrk per node at once (1 thread, CONNECTIONS/N connections each); req/s and errors summed."""
    conns = math.ceil(CONNECTIONS / len(c.ports))
    c0 = wrkload._children_cpu()
    procs = [subprocess.Popen(wrkload.wrk_argv(p, path, "get_manifest.lua", seconds, 1, conns, c.auth),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for p in c.ports]
    outs = [p.communicate(timeout=seconds + 60) for p in procs]
    if any(p.returncode for p in procs):
        raise RuntimeError("wrk failed: " + "; ".join(e.strip() for _, e in outs if e.strip()))
    parsed = [wrkload.parse(o) for o, _ in outs]
    share = (wrkload._children_cpu() - c0) / (seconds * os.cpu_count())
    return {"req_per_s": sum(r["req_per_s"] for r in parsed), "errors": sum(r["errors"] for r in parsed),
            "client_cpu_share": share,
            "per_node": [r["req_per_s"] for r in parsed], "connections": conns * len(c.ports)}


def _measure(c, profile):
    res, images = {}, {}
    probe = c.server_cpu
    steps = [
        ("push-1m", lambda: transfer.push(c.ports, c.auth, 1 << 20, 8, profile["push_1m"], "monolithic",
                                          f"n{len(c.ports)}-1m", probe)),
        ("push-10m", lambda: transfer.push(c.ports, c.auth, 10 << 20, 8, profile["push_10m"], "monolithic",
                                           f"n{len(c.ports)}-10m", probe)),
        ("pull-1m", lambda: transfer.pull(c.ports, c.auth, images["push-1m"], 8, profile["pull_passes"], probe)),
        ("manifest-get", lambda: _wrk_all(c, f"/v2/{side.HOT_REPO}/manifests/latest", profile["wrk_seconds"])),
    ]
    fake = type("S", (), {"port": c.ports[0], "auth": c.auth})()
    side._seed_hot(fake)
    for key, fn in steps:
        os.sync()
        try:
            r = _timed(c, fn)
        except Exception as e:  # recorded; the other figures go on
            res[key] = {"error": f"{type(e).__name__}: {e}"[:500]}
            _log(f"{len(c.ports)} node(s) {key}: ERROR {res[key]['error']}")
            continue
        if "images" in r:
            images[key] = r.pop("images")
        res[key] = r
        _log(f"{len(c.ports)} node(s) {key}: {_fmt(r)}")
    return res


def _fmt(r):
    main = next(f for f in ("seq_per_s", "req_per_s") if f in r)
    extra = f", {r['mb_per_s']:.1f} MB/s" if "mb_per_s" in r else ""
    errs = f", {r['errors']} errors" if r.get("errors") else ""
    return (f"{r[main]:.1f} {main.replace('_per_s', '/s')}{extra}{errs}; CPU nodes {r['nodes_cpu_share']:.0%}, "
            f"moto {r['s3_cpu_share']:.0%}, client {r.get('client_cpu_share', 0):.0%}")


def table(results, counts):
    """Rows (figure, one cell per cluster size, scaling of the largest vs 1 node, CPU split)."""
    head = ("figure",) + tuple(f"{n} node{'s' if n > 1 else ''}" for n in counts) + (
        f"{counts[-1]} vs {counts[0]}", f"CPU nodes/moto/client at {counts[-1]}")
    lines = [head]
    for key, label, unit, field in FIGURES:
        cells, vals = [], []
        for n in counts:
            r = results.get(n, {}).get(key)
            if r is None or "error" in r:
                cells.append("ERROR" if r else "-")
                vals.append(None)
                continue
            vals.append(r[field])
            cells.append(f"{r[field]:,.1f} {unit}" + (f" ({r['errors']} errors)" if r.get("errors") else ""))
        scale = f"{vals[-1] / vals[0]:.2f}x" if vals[0] and vals[-1] is not None else "-"
        last = results.get(counts[-1], {}).get(key) or {}
        cpu = "-" if "nodes_cpu_share" not in last else (
            f"{last['nodes_cpu_share']:.0%}/{last['s3_cpu_share']:.0%}/{last.get('client_cpu_share', 0):.0%}")
        lines.append((label,) + tuple(cells) + (scale, cpu))
    widths = [max(len(row[i]) for row in lines) for i in range(len(head))]
    out = []
    for i, row in enumerate(lines):
        out.append("  ".join(c.ljust(w) if j == 0 else c.rjust(w) for j, (c, w) in enumerate(zip(row, widths))))
        if i == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def _one_cluster(n, args, backend, work, profile, rnd):
    """Start a fresh cluster of n nodes, measure it, stop it; the figures or {"cluster": {"error": ...}}."""
    print(f"== Berth cluster of {n} node(s) on PostgreSQL + S3 (round {rnd + 1})", file=sys.stderr, flush=True)
    c = None
    try:
        c = Cluster(n, args, backend, work).start()
        return _measure(c, profile)
    except Exception as e:
        _log(f"{n} node(s): ERROR {type(e).__name__}: {e}")
        return {"cluster": {"error": f"{type(e).__name__}: {e}"[:500]}}
    finally:
        if c:
            for node in c.nodes:
                if node.proc and node.proc.poll() is not None:
                    _log(f"{node.name} exited with {node.proc.returncode}: {node.tail(800)}")
            c.stop(args.keep_data)


def main(args, backend, work, profile, started, load_start):
    """Measure each cluster size in turn; print the table and save results/cluster-<time>.json."""
    rounds = {n: [] for n in args.nodes}
    for rnd in range(args.repeat):  # sizes interleaved round by round, so a busy moment hits all of them
        for n in args.nodes:
            rounds[n].append(_one_cluster(n, args, backend, work, profile, rnd))
    results = {n: side.merge_rounds(rs) for n, rs in rounds.items()}
    load_end = os.getloadavg()[0]
    rounds = f", median of {args.repeat} rounds" if args.repeat > 1 else ""
    print(f"Berth cluster scaling ({'quick' if args.quick else 'full'} run{rounds}, {os.cpu_count()} cores shared by the "
          f"nodes, PostgreSQL, moto and the client; PostgreSQL + S3 on moto, loopback)")
    print(f"load average (1 min) at start {load_start:.2f}, at end {load_end:.2f}"
          + (" - WARNING: other work on this machine distorts every figure" if load_start > 1.0 else ""))
    print("CPU = share of all cores during the step (Berth nodes summed / moto / client workers)\n")
    print(table(results, args.nodes))
    os.makedirs(args.results, exist_ok=True)
    doc = {"meta": {"profile": "quick" if args.quick else "full", "nodes": args.nodes, "cores": os.cpu_count(),
                    "repeat": args.repeat,
                    "load_average": [load_start, load_end], "seconds": time.time() - started,
                    "profile_settings": {k: v for k, v in profile.items() if k != "big_file"},
                    "berth_bin": args.berth_bin},
           "results": {str(n): r for n, r in results.items()}}
    path = os.path.join(args.results, time.strftime("cluster-%Y%m%dT%H%M%SZ.json", time.gmtime()))
    for p in (path, os.path.join(args.results, "latest-cluster.json")):
        with open(p, "w") as f:
            json.dump(doc, f, indent=2)
    print(f"\nresults: {os.path.relpath(path, os.path.dirname(report.__file__) + '/../..')} "
          f"(total {time.time() - started:.0f} s)")
    failed = [f"{n}:{k}" for n, r in results.items() for k, v in r.items() if "error" in v]
    if failed:
        print(f"bench: failures (see bench/.work/berth-n*.log): {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0
