"""Request-rate figures with wrk (manifest HEAD/GET by tag, tags/list)."""
import os
import re
import resource
import subprocess

LUA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lua")


def _children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def wrk_argv(port, path, script, seconds, threads=2, connections=16, auth=None):
    """The wrk command line for http://127.0.0.1:port/path with a Lua script from bench/lua."""
    argv = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
            "-s", os.path.join(LUA, script)]
    if auth:
        argv += ["-H", f"Authorization: {auth}"]
    argv.append(f"http://127.0.0.1:{port}{path}")
    return argv


def run(port, path, script, seconds, threads=2, connections=16, auth=None, probe=None):
    """Run wrk against http://127.0.0.1:port/path; return req/s, errors and CPU figures."""
    argv = wrk_argv(port, path, script, seconds, threads, connections, auth)
    c0 = _children_cpu()
    s0 = probe() if probe else 0.0
    out = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60)
    s1 = probe() if probe else 0.0
    cpu = _children_cpu() - c0
    if out.returncode != 0:
        raise RuntimeError(f"wrk failed: {out.stderr.strip()}")
    r = parse(out.stdout)
    r.update(client_cpu_share=cpu / (seconds * os.cpu_count()), server_cpu_s=s1 - s0)
    return r


def parse(text):
    """req/s, request count, errors (non-2xx and socket errors) and p99 from wrk's --latency output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    total = int(re.search(r"(\d+) requests in", text).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    sock_err = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", text)
    p99_ms = None
    if p99:
        p99_ms = float(p99.group(1)) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[p99.group(2)]
    errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sock_err.groups())) if sock_err else 0)
    return {"req_per_s": rps, "requests": total, "errors": errors, "p99_ms": p99_ms}


TOOLS = os.path.join(os.path.dirname(LUA), "tools")


def _hload_binary(work):
    """Compile tools/hload.c into bench/.work/ when missing or older than its source."""
    src, out = os.path.join(TOOLS, "hload.c"), os.path.join(work, "hload")
    if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(src):
        subprocess.run(["cc", "-O2", "-pthread", "-o", out, src], check=True)
    return out


def run_head(port, path, seconds, work, accept, threads=2, connections=16, auth=None, probe=None):
    """HEAD rate with tools/hload (wrk cannot parse HEAD responses that carry Content-Length)."""
    argv = [_hload_binary(work), str(port), path, str(seconds), str(threads), str(connections),
            f"Accept: {accept}"]
    if auth:
        argv.append(f"Authorization: {auth}")
    c0 = _children_cpu()
    s0 = probe() if probe else 0.0
    out = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60)
    s1 = probe() if probe else 0.0
    cpu = _children_cpu() - c0
    if out.returncode != 0:
        raise RuntimeError(f"hload failed: {out.stderr.strip()}")
    kv = dict(line.split() for line in out.stdout.splitlines() if line.strip())
    return {"req_per_s": float(kv["req_per_s"]), "requests": int(kv["requests"]),
            "errors": int(kv["non2xx"]) + int(kv["errors"]), "p99_ms": None,
            "client_cpu_share": cpu / (float(kv["seconds"]) * os.cpu_count()), "server_cpu_s": s1 - s0}
