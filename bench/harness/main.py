"""bench/run entry point: start both registries, run the same workloads on each, print and save the table."""
import argparse
import base64
import os
import shutil
import subprocess
import sys
import time

from . import bigblob, report, rows, servers, side

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(BENCH)
ALL = ["disk", "push", "pull", "wrk", "paging", "big"]
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
    p.add_argument("--berth-auth", metavar="USER:PASSWORD", help="HTTP Basic credentials for Berth")
    p.add_argument("--berth-first", action="store_true", help="run Berth before Distribution")
    p.add_argument("--results", default=os.path.join(BENCH, "results"))
    p.add_argument("--keep-data", action="store_true", help="keep registry data under bench/.work/")
    a = p.parse_args(argv)
    a.workloads = [w.strip() for w in a.workloads.split(",") if w.strip()]
    unknown = set(a.workloads) - set(ALL)
    if unknown:
        p.error(f"unknown workloads: {', '.join(sorted(unknown))}")
    if "pull" in a.workloads and "push" not in a.workloads:
        a.workloads.append("push")
    return a


def _run_side(name, args, work, profile):
    if name == "berth":
        srv = servers.berth(work, args.berth_bin)
        auth = "Basic " + base64.b64encode(args.berth_auth.encode()).decode() if args.berth_auth else None
    else:
        srv = servers.distribution(work, args.distribution_bin)
        auth = None
    print(f"== {name} on 127.0.0.1:{srv.port} (data {srv.data_dir})", file=sys.stderr, flush=True)
    os.sync()  # flush what the preparation or the previous registry left in the page cache
    try:
        srv.start()
        t0 = time.perf_counter()
        res = side.run(srv, profile, args.workloads, work, auth)
        res["server"]["wall_s"] = time.perf_counter() - t0
        if any("error" in v for v in res.values()):
            print(f"--- {name} log tail ({srv.log_path}) ---\n{srv.tail(1500)}", file=sys.stderr)
    except Exception as e:
        print(f"bench: {name} failed: {e}", file=sys.stderr)
        res = {"server": {"error": str(e)[:500]}}
    finally:
        srv.stop()
        if not args.keep_data:
            shutil.rmtree(srv.data_dir, ignore_errors=True)
        subprocess.run(["sync"])  # leave no dirty pages behind for the other registry's run
    return res


def main(argv=None):
    args = parse(sys.argv[1:] if argv is None else argv)
    profile = dict(PROFILES["quick" if args.quick else "full"])
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
    results = {}
    try:
        for name in order:
            results[name] = _run_side(name, args, work, profile)
    finally:
        if os.path.exists(big_path):
            os.unlink(big_path)
    table = rows.build(results.get("berth", {}), results.get("distribution", {}), disk, profile)
    header = [f"Berth vs CNCF Distribution ({'quick' if args.quick else 'full'} run, {os.cpu_count()} cores, "
              f"loopback; ratio = Berth / Distribution)"]
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
