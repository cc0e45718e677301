"""Starts and stops the registry under test: Berth, or CNCF Distribution as a reference."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from curl_http import CREDENTIALS

REPO_ROOT = Path(__file__).resolve().parents[2]
LISTEN_LINE = re.compile(r"Berth listening on http://([^\s/:]+):(\d+)")
# The admin password the suite starts Berth with (BERTH_ADMIN_PASSWORD in the environment wins).
ADMIN_PASSWORD = "E2e-Admin-Passw0rd"
# Projects the shared suite pushes into; Berth refuses pushes into projects that do not exist.
E2E_PROJECTS = ("e2e", "term", "crash")


def registry_kind() -> str:
    """The registry under test: E2E_REGISTRY=berth (default) or distribution."""
    kind = os.environ.get("E2E_REGISTRY", "berth")
    if kind not in ("berth", "distribution"):
        raise ValueError(f"E2E_REGISTRY must be berth or distribution, not {kind!r}")
    return kind


def berth_binary() -> Path:
    """The berth executable: BERTH_BIN or .build/release/berth."""
    return Path(os.environ.get("BERTH_BIN", REPO_ROOT / ".build" / "release" / "berth"))


def free_port() -> int:
    """A TCP port that was free on 127.0.0.1 a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RegistryServer:
    """One registry process on 127.0.0.1 with its own data directory."""

    def __init__(self, data_dir: Path, kind: str | None = None, port: int | None = None,
                 projects: tuple[str, ...] = ()):
        """projects: private projects to create (as admin, with `berth admin`) before the first start."""
        self.kind = kind or registry_kind()
        self.projects = projects
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None
        self.lines: list[str] = []
        self.log_path = self.data_dir.parent / f"{self.data_dir.name}-{self.kind}.log"
        self._listening = threading.Event()
        self._reader: threading.Thread | None = None

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.host}"

    @property
    def admin_password(self) -> str:
        return os.environ.get("BERTH_ADMIN_PASSWORD") or ADMIN_PASSWORD

    @property
    def auth(self) -> tuple[str, str] | None:
        """(user, password) of the admin for requests; None for a registry without access control."""
        return ("admin", self.admin_password) if self.kind == "berth" else None

    @property
    def creds(self) -> str | None:
        """`admin:password` for skopeo --creds, podman --creds and curl -u; None without access control."""
        return ":".join(self.auth) if self.auth else None

    def env(self) -> dict[str, str]:
        """The environment Berth runs with: the caller's, plus the known admin password."""
        return {**os.environ, "BERTH_ADMIN_PASSWORD": self.admin_password}

    def admin(self, *args: str, check: bool = True, input: str | None = None) -> subprocess.CompletedProcess:
        """Runs `berth admin ARGS --data DIR` on this server's stores (it may be running)."""
        out = subprocess.run([str(berth_binary()), "admin", *args, "--data", str(self.data_dir)],
                             capture_output=True, text=True, timeout=60, env=self.env(), input=input,
                             stdin=None if input is not None else subprocess.DEVNULL)
        if check and out.returncode != 0:
            raise RuntimeError(f"berth admin {' '.join(args)} failed ({out.returncode}):\n{out.stdout}{out.stderr}")
        return out

    def ensure_project(self, name: str, public: bool = False) -> None:
        """Creates a project unless it exists (Berth only)."""
        if self.kind != "berth":
            return
        listed = self.admin("project", "list").stdout.split()
        if name not in listed:
            self.admin("project", "create", name, *(["--public"] if public else []))

    def _command(self) -> list[str]:
        if self.kind == "berth":
            binary = berth_binary()
            if not os.access(binary, os.X_OK):
                raise RuntimeError(f"berth binary missing or not executable: {binary} (set BERTH_BIN)")
            return [str(binary), "serve", "--listen", self.host, "--data", str(self.data_dir)]
        config = self.data_dir.parent / f"{self.data_dir.name}-distribution.yml"
        config.write_text(
            "version: 0.1\n"
            "log:\n  level: warn\n"
            f"storage:\n  filesystem:\n    rootdirectory: {self.data_dir}\n  delete:\n    enabled: true\n"
            f"http:\n  addr: {self.host}\n"
        )
        return ["docker-registry", "serve", str(config)]

    def start(self, timeout: float = 30) -> "RegistryServer":
        """Starts the process and waits until it serves (Berth: its listening line)."""
        for project in self.projects:
            self.ensure_project(project)
        self._listening.clear()
        log = open(self.log_path, "a", buffering=1)
        log.write(f"--- start {self._command()}\n")
        self.proc = subprocess.Popen(self._command(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, text=True, errors="replace", env=self.env())
        self._reader = threading.Thread(target=self._read, args=(self.proc, log), daemon=True)
        self._reader.start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.kind} exited with {self.proc.returncode} before serving:\n"
                                   + self.tail())
            if self.kind == "berth" and self._listening.wait(0.1):
                CREDENTIALS[self.host] = self.creds
                return self
            if self.kind == "distribution" and self._ping():
                return self
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"{self.kind} did not start serving within {timeout}s:\n" + self.tail())

    def _read(self, proc: subprocess.Popen, log) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            self.lines.append(line.rstrip("\n"))
            log.write(line)
            m = LISTEN_LINE.search(line)
            if m and int(m.group(2)) == self.port:
                self._listening.set()
        log.close()

    def _ping(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/v2/", timeout=1) as r:
                return r.status == 200
        except urllib.error.HTTPError as e:
            return e.code == 401
        except Exception:
            return False

    def tail(self, n: int = 30) -> str:
        return "\n".join(self.lines[-n:])

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> int | None:
        """Sends sig and waits for exit; SIGKILL after timeout. Returns the exit code."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
        if self._reader:
            self._reader.join(5)
        return self.proc.returncode

    def kill(self) -> None:
        """SIGKILL, the crash we test recovery from."""
        self.stop(signal.SIGKILL)
