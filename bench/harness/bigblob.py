"""One large monolithic blob pushed with `curl -T` and pulled with `curl -o /dev/null`; disk reference."""
import hashlib
import os
import re
import resource
import subprocess
import time

from . import oci
from .randbytes import random_buffer, random_file


def _children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def make_blob(path, size):
    """Write a fresh random file of `size` bytes; return its digest."""
    random_file(path, size)
    h = hashlib.sha256()
    buf = bytearray(8 << 20)
    with open(path, "rb", buffering=0) as f:
        while n := f.readinto(buf):
            h.update(memoryview(buf)[:n])
    return "sha256:" + h.hexdigest()


def _curl(argv):
    c0 = _children_cpu()
    t0 = time.perf_counter()
    out = subprocess.run(["curl", "-sS", "--noproxy", "*"] + argv, capture_output=True, text=True, timeout=900)
    wall = time.perf_counter() - t0
    if out.returncode != 0:
        raise RuntimeError(f"curl failed: {out.stderr.strip()}")
    return out.stdout, wall, _children_cpu() - c0


def push(port, auth, repo, path, digest, probe):
    """POST an upload, then PUT ?digest=… with the file as the body (no Expect: 100-continue)."""
    size = os.path.getsize(path)
    client = oci.Client(port, auth)
    loc = client.start_upload(repo)
    client.close()
    url = f"http://127.0.0.1:{port}" + loc + ("&" if "?" in loc else "?") + "digest=" + digest
    hdrs = ["-H", "Content-Type: application/octet-stream", "-H", "Expect:"]
    if auth:
        hdrs += ["-H", f"Authorization: {auth}"]
    s0 = probe()
    out, wall, cpu = _curl(["-X", "PUT", "-T", path, *hdrs, "-o", "/dev/null",
                            "-w", "%{http_code}", url])
    scpu = probe() - s0
    if out.strip() != "201":
        raise RuntimeError(f"1 GiB PUT returned {out.strip()}")
    return {"bytes": size, "seconds": wall, "mb_per_s": size / wall / 1e6,
            "client_cpu_share": cpu / (wall * os.cpu_count()), "server_cpu_s": scpu}


def pull(port, auth, repo, digest, size, probe):
    """GET the blob to /dev/null with curl; checks the byte count."""
    hdrs = ["-H", f"Authorization: {auth}"] if auth else []
    s0 = probe()
    out, wall, cpu = _curl([*hdrs, "-o", "/dev/null", "-w", "%{http_code} %{size_download}",
                            f"http://127.0.0.1:{port}/v2/{repo}/blobs/{digest}"])
    scpu = probe() - s0
    code, got = out.split()
    if code != "200" or int(got) != size:
        raise RuntimeError(f"large GET returned {code} with {got} of {size} bytes")
    return {"bytes": size, "seconds": wall, "mb_per_s": size / wall / 1e6,
            "client_cpu_share": cpu / (wall * os.cpu_count()), "server_cpu_s": scpu}


def disk_limit(work, size):
    """Durable sequential write rate of the disk under `work`: dd with O_DIRECT and fdatasync."""
    path = os.path.join(work, "dd-probe")
    mib = max(1, size >> 20)
    try:
        t0 = time.perf_counter()
        out = subprocess.run(["dd", "if=/dev/zero", f"of={path}", "bs=1M", f"count={mib}",
                              "oflag=direct", "conv=fdatasync"], capture_output=True, text=True, timeout=600)
        wall = time.perf_counter() - t0
    finally:
        if os.path.exists(path):
            os.unlink(path)
    if out.returncode != 0:
        raise RuntimeError(f"dd failed: {out.stderr.strip()}")
    m = re.search(r"(\d+) bytes .* copied, ([\d.]+) s", out.stderr)
    nbytes, secs = (int(m.group(1)), float(m.group(2))) if m else (mib << 20, wall)
    return {"bytes": nbytes, "seconds": secs, "mb_per_s": nbytes / secs / 1e6}


def file_fsync_limit(work, size, count):
    """Durable rate for blob-sized files: create, write `size` random bytes, fsync, close; `count` times."""
    data = bytes(random_buffer(size))
    paths = [os.path.join(work, f"fsync-probe-{i}") for i in range(count)]
    try:
        t0 = time.perf_counter()
        for p in paths:
            fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
                os.fsync(fd)
            finally:
                os.close(fd)
        secs = time.perf_counter() - t0
    finally:
        for p in paths:
            if os.path.exists(p):
                os.unlink(p)
    return {"bytes": size * count, "seconds": secs, "mb_per_s": size * count / secs / 1e6}
