"""Builds (once, cached under bench/.work/scan) the layers the scan benchmark reads.

- debian-1:  a Debian bookworm minbase rootfs (debootstrap) as one gzip layer, like `docker import`;
- debian-4:  the same rootfs split into 4 gzip layers, the top one rewriting dpkg's status and
             whiting out a file, as a small `apt-get install` layer would;
- debian-zstd: the one-layer image compressed with zstd instead;
- synthetic: a large layer (default 1 GiB of tar) made of copies of the rootfs plus many small files and
             one large file, to show that memory stays bounded whatever the layer size.
"""
from __future__ import annotations

import io
import json
import sys
import os
import random
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "e2e"))
from debian_mirror import debian_mirror  # noqa: E402  (shared with the e2e suite)

REPO = Path(__file__).resolve().parents[2]
WORK = REPO / "bench" / ".work" / "scan"
# The e2e suite's cached rootfs (tests/e2e/conftest.py debian_rootfs): reused read-only when present.
E2E_ROOTFS = REPO / "tests" / "e2e" / ".work" / "rootfs"


def log(message: str) -> None:
    print(f"scan-bench: {message}", file=sys.stderr, flush=True)


def rootfs() -> Path:
    """A bookworm minbase rootfs: ours if built, else the e2e suite's, else built now with debootstrap."""
    own, marker = WORK / "rootfs", WORK / "rootfs.complete"
    if marker.exists() and own.is_dir():
        return own
    if (E2E_ROOTFS.parent / "rootfs.complete").exists() and E2E_ROOTFS.is_dir():
        log(f"reusing the e2e suite's rootfs {E2E_ROOTFS}")
        return E2E_ROOTFS
    if shutil.which("debootstrap") is None:
        raise SystemExit("scan-bench: debootstrap is required to build the Debian image (apt-get install debootstrap)")
    if os.geteuid() != 0:
        raise SystemExit("scan-bench: debootstrap needs root (it chroots; fakeroot alone is not enough); run as root once "
                         "to fill the cache in bench/.work/scan")
    building = WORK / "rootfs-build"
    shutil.rmtree(building, ignore_errors=True)
    WORK.mkdir(parents=True, exist_ok=True)
    log("building a bookworm minbase rootfs with debootstrap (a few minutes, once)")
    subprocess.run(["debootstrap", "--variant=minbase", "bookworm", str(building), debian_mirror()], check=True,
                   stdout=subprocess.DEVNULL)
    building.rename(own)
    marker.touch()
    return own


def _tar_gzip(root: Path, members: list[str], out: Path, compressor: list[str]) -> None:
    """`tar -C root -cf - members | compressor > out`, atomically."""
    partial = out.with_suffix(out.suffix + ".partial")
    with open(partial, "wb") as sink:
        tar = subprocess.Popen(["tar", "--numeric-owner", "-C", str(root), "-cf", "-", *members],
                               stdout=subprocess.PIPE)
        comp = subprocess.run(compressor, stdin=tar.stdout, stdout=sink, check=True)
        tar.stdout.close()
        if tar.wait() != 0 or comp.returncode != 0:
            raise SystemExit(f"scan-bench: packing {out.name} failed")
    partial.rename(out)


def debian_one(root: Path) -> list[Path]:
    out = WORK / "debian-1.tar.gz"
    if not out.exists():
        log("packing debian-1.tar.gz (gzip -6)")
        _tar_gzip(root, ["."], out, ["gzip", "-6", "-n"])
    return [out]


def debian_zstd(root: Path) -> list[Path] | None:
    if shutil.which("zstd") is None:
        return None
    out = WORK / "debian-1.tar.zst"
    if not out.exists():
        log("packing debian-1.tar.zst (zstd -3)")
        _tar_gzip(root, ["."], out, ["zstd", "-3", "-q", "-c"])
    return [out]


def debian_multi(root: Path) -> list[Path]:
    """usr/ | var/ and etc/ | everything else | an 'apt-get install'-like top layer."""
    outs = [WORK / f"debian-4.{k}.tar.gz" for k in range(4)]
    if all(p.exists() for p in outs):
        return outs
    top = sorted(p.name for p in root.iterdir())
    groups = [["usr"], [n for n in top if n in ("var", "etc")], [n for n in top if n not in ("usr", "var", "etc")]]
    for k, members in enumerate(groups):
        log(f"packing debian-4.{k}.tar.gz ({', '.join(members[:6])})")
        _tar_gzip(root, [f"./{m}" for m in members], outs[k], ["gzip", "-6", "-n"])
    stage = WORK / "top-layer"
    shutil.rmtree(stage, ignore_errors=True)
    (stage / "var/lib/dpkg").mkdir(parents=True)
    (stage / "etc").mkdir()
    status = (root / "var/lib/dpkg/status").read_text()
    (stage / "var/lib/dpkg/status").write_text(status + "\n")
    (stage / "etc/.wh.issue.net").touch()
    _tar_gzip(stage, ["."], outs[3], ["gzip", "-6", "-n"])
    shutil.rmtree(stage)
    return outs


def _files(root: Path) -> list[tuple[str, Path]]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                out.append((str(path.relative_to(root)), path))
    return out


def synthetic(root: Path, size_mib: int) -> list[Path]:
    """About `size_mib` MiB of tar: rootfs copies under copyN/ (only the first keeps var/lib/dpkg),
    100,000 small files, and one 256 MiB file of mixed text, gzip -6."""
    out = WORK / f"synthetic-{size_mib}m.tar.gz"
    if out.exists():
        return [out]
    log(f"packing synthetic-{size_mib}m.tar.gz (once; about a minute per GiB)")
    target = size_mib << 20
    rng = random.Random(4)
    partial = out.with_suffix(".gz.partial")
    with open(partial, "wb") as sink:
        gz = subprocess.Popen(["gzip", "-6", "-n"], stdin=subprocess.PIPE, stdout=sink)
        written = 0
        with tarfile.open(fileobj=gz.stdin, mode="w|", format=tarfile.PAX_FORMAT) as tar:
            def add(name: str, data: bytes, mode: int = 0o644) -> None:
                nonlocal written
                info = tarfile.TarInfo(name)
                info.size, info.mode, info.mtime = len(data), mode, 1_700_000_000
                tar.addfile(info, io.BytesIO(data))
                written += len(data) + 512
            words = [rng.randbytes(rng.randint(2, 9)).hex() for _ in range(4096)]
            big = 256 << 20
            chunk = " ".join(rng.choice(words) for _ in range(200_000)).encode()
            add("data/big.log", (chunk * (big // len(chunk) + 1))[:big])
            for k in range(100_000):
                add(f"small/{k // 1000:03d}/{k:06d}.txt", chunk[(k * 37) % 500_000:][:rng.randint(16, 4096)])
            files = _files(root)
            copy = 0
            while written < target:
                for rel, path in files:
                    if copy > 0 and rel.startswith("var/lib/dpkg/"):
                        continue
                    data = path.read_bytes()
                    add(f"copy{copy}/{rel}" if copy else rel, data, path.stat().st_mode & 0o777)
                    if written >= target:
                        break
                copy += 1
        gz.stdin.close()
        if gz.wait() != 0:
            raise SystemExit("scan-bench: gzip failed")
    partial.rename(out)
    return [out]


def many_links(count: int = 200_000) -> list[Path]:
    """A layer of `count` symbolic links (kept in memory by the scan to resolve os-release), gzip -6."""
    out = WORK / f"links-{count}.tar.gz"
    if out.exists():
        return [out]
    log(f"packing {out.name}")
    partial = out.with_suffix(".gz.partial")
    with open(partial, "wb") as sink:
        gz = subprocess.Popen(["gzip", "-6", "-n"], stdin=subprocess.PIPE, stdout=sink)
        with tarfile.open(fileobj=gz.stdin, mode="w|", format=tarfile.GNU_FORMAT) as tar:
            for k in range(count):
                info = tarfile.TarInfo(f"usr/share/links/{k // 1000:03d}/link-number-{k:06d}")
                info.type, info.mtime = tarfile.SYMTYPE, 1_700_000_000
                info.linkname = f"../../../lib/x86_64-linux-gnu/target-file-{k:06d}.so"
                tar.addfile(info)
        gz.stdin.close()
        if gz.wait() != 0:
            raise SystemExit("scan-bench: gzip failed")
    partial.rename(out)
    return [out]


def npm_tree(packages: int = 30_000) -> list[Path]:
    """An inventory-heavy layer: `packages` node_modules packages, each a package.json (collected and
    parsed) and three JavaScript files (skipped), gzip -6."""
    out = WORK / f"npm-{packages}.tar.gz"
    if out.exists():
        return [out]
    log(f"packing {out.name}")
    rng = random.Random(2)
    words = ["function", "return", "const", "let", "var", "if", "else", "=>", "{}", "()", "module.exports", "require"]
    text = " ".join(rng.choice(words) for _ in range(400_000)).encode()
    partial = out.with_suffix(".gz.partial")
    with open(partial, "wb") as sink:
        gz = subprocess.Popen(["gzip", "-6", "-n"], stdin=subprocess.PIPE, stdout=sink)
        with tarfile.open(fileobj=gz.stdin, mode="w|", format=tarfile.PAX_FORMAT) as tar:
            def add(name: str, data: bytes) -> None:
                info = tarfile.TarInfo(name)
                info.size, info.mode, info.mtime = len(data), 0o644, 1_700_000_000
                tar.addfile(info, io.BytesIO(data))
            for k in range(packages):
                base = f"app/node_modules/pkg{k}"
                manifest = {"name": f"pkg{k}", "version": f"1.{k % 50}.{k % 7}", "description": "x" * 300,
                            "dependencies": {f"pkg{j}": "^1.0.0" for j in range(k % 10)}}
                add(base + "/package.json", json.dumps(manifest).encode())
                for j in range(3):
                    at = rng.randint(0, len(text) - 8000)
                    add(f"{base}/lib/f{j}.js", text[at:at + rng.randint(200, 8000)])
        gz.stdin.close()
        if gz.wait() != 0:
            raise SystemExit("scan-bench: gzip failed")
    partial.rename(out)
    return [out]
