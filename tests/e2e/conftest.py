"""Fixtures for the end-to-end suite: tools, the registry under test and real test images."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from debian_mirror import debian_mirror  # noqa: E402
from oci_layout import Layout, random_files  # noqa: E402
from registry_server import E2E_PROJECTS, RegistryServer, registry_kind  # noqa: E402

WORK = Path(__file__).parent / ".work"
STRICT = os.environ.get("E2E_STRICT") == "1" or os.environ.get("CI") == "true"


def require_tools(*names: str) -> None:
    """Fails (under make test / CI) or skips loudly (ad-hoc runs) when a tool is not installed."""
    missing = [n for n in names if shutil.which(n) is None and not Path(n).exists()]
    if missing:
        reason = f"required tool(s) not installed: {', '.join(missing)} (scripts/install-deps.sh test installs them)"
        if STRICT:
            pytest.fail(reason)
        pytest.skip("LOUD SKIP: " + reason)


def run(cmd: list[str], timeout: float = 600, check: bool = True, **kw) -> subprocess.CompletedProcess:
    """Runs a command, captures output, and raises with the output when it fails."""
    if "input" not in kw:
        kw["stdin"] = subprocess.DEVNULL
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
    if check and out.returncode != 0:
        raise AssertionError(f"command failed ({out.returncode}): {' '.join(cmd)}\n"
                             f"stdout:\n{out.stdout[-4000:]}\nstderr:\n{out.stderr[-4000:]}")
    return out


def wait_until(predicate, timeout: float, what: str):
    """Polls `predicate() -> (done, value)` every half second; returns the value once done, or fails with `what`
    and the last value after `timeout` seconds."""
    import time
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        ok, last = predicate()
        if ok:
            return last
        time.sleep(0.5)
    raise AssertionError(f"{what} within {timeout}s; last: {last}")


def pytest_collection_modifyitems(config, items):
    if registry_kind() == "berth":
        return
    skip = pytest.mark.skip(reason=f"berth-specific; registry under test is {registry_kind()}")
    for item in items:
        if "berth_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def registry(tmp_path_factory) -> RegistryServer:
    """One registry for the whole session, on a free loopback port with a temporary data dir.

    Berth runs with access control (always on) and a known admin password; the projects the suite pushes
    into exist. Tests act as admin: curl() sends registry.creds, tools get them as --creds and the like."""
    server = RegistryServer(tmp_path_factory.mktemp("registry") / "data", projects=E2E_PROJECTS).start()
    yield server
    code = server.stop()
    print(f"\nregistry ({server.kind}) stopped with exit code {code}; log: {server.log_path}")


@pytest.fixture(scope="session")
def debian_rootfs() -> Path:
    """A debootstrap --variant=minbase bookworm root filesystem, cached under .work/."""
    require_tools("debootstrap")
    rootfs, marker = WORK / "rootfs", WORK / "rootfs.complete"
    if marker.exists() and rootfs.is_dir():
        return rootfs
    building = WORK / "rootfs-build"
    shutil.rmtree(building, ignore_errors=True)
    shutil.rmtree(rootfs, ignore_errors=True)
    WORK.mkdir(parents=True, exist_ok=True)
    run(["debootstrap", "--variant=minbase", "bookworm", str(building), debian_mirror()], timeout=1200)
    building.rename(rootfs)
    marker.touch()
    return rootfs


@pytest.fixture(scope="session")
def rootfs_tar(debian_rootfs) -> Path:
    """The rootfs as one tar (for docker import), cached under .work/."""
    tar = WORK / "rootfs.tar"
    if not tar.exists() or tar.stat().st_mtime < (WORK / "rootfs.complete").stat().st_mtime:
        partial = WORK / "rootfs.tar.partial"
        run(["tar", "--numeric-owner", "-C", str(debian_rootfs), "-cf", str(partial), "."])
        partial.rename(tar)
    return tar


@pytest.fixture(scope="session")
def debian_layout(debian_rootfs, tmp_path_factory) -> tuple[Layout, str]:
    """An OCI layout with tag "12": the debian rootfs layer plus a small second layer (built by umoci)."""
    require_tools("umoci")
    path = tmp_path_factory.mktemp("debian-oci") / "layout"
    run(["umoci", "init", "--layout", str(path)])
    run(["umoci", "new", "--image", f"{path}:12"])
    run(["umoci", "insert", "--image", f"{path}:12", str(debian_rootfs), "/"], timeout=900)
    extra = path.parent / "berth-e2e"
    extra.write_text(f"built by the berth e2e suite, {os.urandom(8).hex()}\n")
    run(["umoci", "insert", "--image", f"{path}:12", str(extra), "/etc/berth-e2e"])
    run(["umoci", "gc", "--layout", str(path)])
    return Layout(path), "12"


@pytest.fixture(scope="session")
def multiarch_layout(tmp_path_factory) -> tuple[Layout, str]:
    """An OCI layout with tag "multi": an index over linux/amd64 and linux/arm64 images."""
    layout = Layout.create(tmp_path_factory.mktemp("multi-oci") / "layout")
    amd = layout.add_image(random_files("amd64"), arch="amd64", layers=2)
    arm = layout.add_image(random_files("arm64"), arch="arm64", layers=2)
    layout.tag(layout.add_index([amd, arm]), "multi")
    return layout, "multi"


@pytest.fixture
def short_tmp():
    """A temp dir with a short path (unix sockets and podman's runroot limit path length)."""
    import tempfile
    path = Path(tempfile.mkdtemp(prefix="e2e-", dir="/tmp"))
    yield path
    subprocess.run(["umount", "-R", str(path)], capture_output=True)
    shutil.rmtree(path, ignore_errors=True)
