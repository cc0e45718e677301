"""The Debian mirror apt uses on this machine, for debootstrap in the e2e suite and in bench/scan."""
from __future__ import annotations

import os
import re
from pathlib import Path


def debian_mirror() -> str:
    """The Debian mirror apt uses here (E2E_DEBIAN_MIRROR overrides)."""
    if os.environ.get("E2E_DEBIAN_MIRROR"):
        return os.environ["E2E_DEBIAN_MIRROR"]
    sources = Path("/etc/apt/sources.list.d/debian.sources")
    if sources.exists():
        for m in re.finditer(r"^URIs:\s*(\S+)", sources.read_text(), re.M):
            if "security" not in m.group(1):
                return m.group(1)
    legacy = Path("/etc/apt/sources.list")
    if legacy.exists():
        m = re.search(r"^deb\s+(?:\[[^]]*\]\s+)?(\S+)\s+bookworm\s", legacy.read_text(), re.M)
        if m:
            return m.group(1)
    return "http://deb.debian.org/debian"
