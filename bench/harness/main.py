"""bench/run entry point: start both registries, run the same workloads on each, print and save the table."""
import argparse
import base64
import os
import shutil
import sys
import time

from . import backends, bigblob, cluster, report, rows, servers, side

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(BENCH)
ALL = ["disk", "push", "pull", "wrk", "paging", "big"]
CORE = ["push", "pull", "wrk"]
PROFILES = {
    "full": {"push_1m": 320, "push_10m": 64, "pull_passes": 2, "wrk_seconds": 10, "repos": 1000,
             "walk_rounds": 5, "big_bytes": 1 << 30, "disk_bytes": 1 << 30},
    "quick": {"push_1m": 64, "push_10m": 16, "pull_passes": 1, "wrk_seconds": 3, "repos": 1000,
              "walk_rounds": 3, "big_bytes": 256 << 20, "disk_bytes": 256 << 20},
}


def parse(argv):
    p = argparse.ArgumentParser(prog="bench/run", description=__doc__)
    p.add_argument("--quick", action="store_true", help="smaller counts, 3 s wrk runs, 256 MiB big blob")
    p.add_argument("--only", choices=["berth", "distribution"], help="run one registry only")
    p.add_argument("--workloads", default=",".join(ALL),
                   help=f"comma-separated subset of {','.join(ALL)} (pull implies push)")
    p.add_argument("--berth-bin", default=os.path.join(REPO, ".build", "release", "berth"))
    p.add_argument("--distribution-bin", default="/usr/bin/docker-registry")
    p.add_argument("--berth-auth", metavar="USER:PASSWORD", default=f"admin:{servers.BERTH_ADMIN_PASSWORD}",
                   help="HTTP Basic credentials for Berth (default: the admin the bench starts Berth with)")
    p.add_argument("--berth-first", action="store_true", help="Berth goes first in the first step (then they alternate)")
    p.add_argument("--results", default=os.path.join(BENCH, "results"))
    p.add_argument("--repeat", type=int, default=1, choices=range(1, 6), metavar="N",
                   help="run all steps N times (1-5) and report the median round of each figure")
    p.add_argument("--keep-data", action="store_true", help="keep registry data under bench/.work/")
    p.add_argument("--backend", choices=["fs", "pg-s3"], default="fs",
                   help="fs: SQLite + filesystem (default); pg-s3: PostgreSQL + S3 (moto) for Berth, s3 driver for "
                        "Distribution (default workloads then push,pull,wrk)")
    p.add_argument("--nodes", metavar="N,N,...",
                   help="instead of the comparison: aggregate throughput of Berth clusters of these sizes "
                        "(e.g. 1,2,3) on PostgreSQL + S3 (implies --backend pg-s3)")
    a = p.parse_args(argv)
    if a.nodes:
        try:
            a.nodes = [int(n) for n in a.nodes.split(",") if n.strip()]
        except ValueError:
            p.error("--nodes takes a comma-separated list of node counts, e.g. 1,2,3")
        if not a.nodes or any(n < 1 or n > 8 for n in a.nodes):
            p.error("--nodes: counts between 1 and 8")
        a.backend = "pg-s3"
    if a.backend == "pg-s3" and "--workloads" not in " ".join(argv):
        a.workloads = ",".join(CORE)
    a.workloads = [w.strip() for w in a.workloads.split(",") if w.strip()]
    unknown = set(a.workloads) - set(ALL)
    if unknown:
        p.error(f"unknown workloads: {', '.join(sorted(unknown))}")
    if "pull" in a.workloads and "push" not in a.workloads:
        a.workloads.append("push")
    return a


def _make_server(name, args, work, backend):
    if name == "berth":
        auth = "Basic " + base64.b64encode(args.berth_auth.encode()).decode() if args.berth_auth else None
        return servers.berth(work, args.berth_bin, backend.berth_env("berth")), auth
    return servers.distribution(work, args.distribution_bin, backend.distribution_storage("distribution")), None


def _run_all(order, args, work, profile, backend):
    """Start every registry, run each step on all of them (alternating who goes first), stop them."""
    sides, results = [], {}
    try:
        for name in order:
            try:
                srv, auth = _make_server(name, args, work, backend)
            except Exception as e:
                print(f"bench: {name} could not be set up: {e}", file=sys.stderr)
                results[name] = {"server": {"error": str(e)[:500]}}
                continue
            print(f"== {name} on 127.0.0.1:{srv.port} (data {srv.data_dir})", file=sys.stderr, flush=True)
            try:
                srv.start()
                sides.append(side.Side(srv, auth, profile, work))
            except Exception as e:
                print(f"bench: {name} failed to start: {e}", file=sys.stderr)
                results[name] = {"server": {"error": str(e)[:500]}}
        for rnd in range(args.repeat):
            for s in sides:
                s.next_round()
            for i, (step_name, keys, fn) in enumerate(side.steps(args.workloads)):
                for s in (sides if (i + rnd) % 2 == 0 else sides[::-1]):
                    side.run_step(s, step_name, keys, fn)
        for s in sides:
            results[s.server.name] = s.finish()
            if any("error" in v for v in s.res.values()):
                print(f"--- {s.server.name} log tail ({s.server.log_path}) ---\n{s.server.tail(1500)}",
                      file=sys.stderr)
    finally:
        for s in sides:
            s.server.stop()
            if not args.keep_data:
                shutil.rmtree(s.server.data_dir, ignore_errors=True)
    return results


def main(argv=None):
    args = parse(sys.argv[1:] if argv is None else argv)
    profile = dict(PROFILES["quick" if args.quick else "full"])
    if args.backend == "pg-s3":  # moto answers a few MB/s and tens of requests/s: keep the counts modest
        profile.update(push_1m=profile["push_1m"] // 2, push_10m=profile["push_10m"] // 2)
    work = os.path.join(BENCH, ".work")
    os.makedirs(work, exist_ok=True)
    order = ["berth", "distribution"] if args.berth_first else ["distribution", "berth"]
    if args.only:
        order = [args.only]
    if "berth" in order:
        servers.berth(work, args.berth_bin)  # fails early, with a clear message, when the binary is missing
    started = time.time()
    load_start = os.getloadavg()[0]
    disk = None
    if "disk" in args.workloads:
        disk = bigblob.disk_limit(work, profile["disk_bytes"])
        disk["files_10m"] = bigblob.file_fsync_limit(work, 10 << 20, profile["push_10m"])
        print(f"disk durable write: dd {disk['mb_per_s']:.0f} MB/s, 10 MiB files + fsync "
              f"{disk['files_10m']['mb_per_s']:.0f} MB/s", file=sys.stderr)
    big_path = os.path.join(work, "big.bin")
    if "big" in args.workloads:
        profile["big_file"] = (big_path, bigblob.make_blob(big_path, profile["big_bytes"]))
    backend = backends.make(args.backend, work)
    try:
        backend.start()
        if args.nodes:
            return cluster.main(args, backend, work, profile, started, load_start)
        results = _run_all(order, args, work, profile, backend)
    finally:
        backend.stop()
        if os.path.exists(big_path):
            os.unlink(big_path)
    table = rows.build(results.get("berth", {}), results.get("distribution", {}), disk, profile)
    rounds = f", median of {args.repeat} rounds" if args.repeat > 1 else ""
    header = [f"Berth vs CNCF Distribution ({'quick' if args.quick else 'full'} run{rounds}, {os.cpu_count()} cores, "
              f"loopback, storage {backends.DESCRIPTION[args.backend]}; ratio = Berth / Distribution)"]
    if disk:
        header.append(f"disk durable write limit: {disk['mb_per_s']:.0f} MB/s (dd {disk['bytes'] >> 20} MiB, "
                      f"O_DIRECT + fdatasync; target for the big blob push), "
                      f"{disk['files_10m']['mb_per_s']:.0f} MB/s (10 MiB files, write + fsync each; "
                      f"target for 10 MiB pushes)")
    load_end = os.getloadavg()[0]
    header.append(f"load average (1 min) at start {load_start:.2f}, at end {load_end:.2f}"
                  + (" - WARNING: other work on this machine distorts every figure" if load_start > 1.0 else ""))
    header.append("")
    print(report.render(table, header))
    meta = {"profile": "quick" if args.quick else "full", "workloads": args.workloads, "order": order,
            "backend": args.backend,
            "repeat": args.repeat,
            "disk": disk, "cores": os.cpu_count(), "load_average": [load_start, load_end], "started": started, "seconds": time.time() - started,
            "raw": results, "berth_bin": args.berth_bin if "berth" in order else None}
    meta["profile_settings"] = {k: v for k, v in profile.items() if k != "big_file"}
    path = report.save(args.results, table, meta)
    print(f"\nresults: {os.path.relpath(path, REPO)} (total {time.time() - started:.0f} s)")
    failed = sorted({f"{n}:{k}" for n, res in results.items() for k, v in res.items() if "error" in v})
    if failed:
        print(f"bench: failures (see bench/.work/*.log): {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
