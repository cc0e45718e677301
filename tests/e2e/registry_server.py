"""Starts and stops the registry under test: Berth, or CNCF Distribution as a reference."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
LISTEN_LINE = re.compile(r"Berth listening on http://([^\s/:]+):(\d+)")


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

    def __init__(self, data_dir: Path, kind: str | None = None, port: int | None = None):
        self.kind = kind or registry_kind()
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
        self._listening.clear()
        log = open(self.log_path, "a", buffering=1)
        log.write(f"--- start {self._command()}\n")
        self.proc = subprocess.Popen(self._command(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, text=True, errors="replace")
        self._reader = threading.Thread(target=self._read, args=(self.proc, log), daemon=True)
        self._reader.start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.kind} exited with {self.proc.returncode} before serving:\n"
                                   + self.tail())
            if self.kind == "berth" and self._listening.wait(0.1):
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
