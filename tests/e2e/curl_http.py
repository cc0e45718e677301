"""Raw HTTP through the curl binary (not a Python HTTP library), for the protocol checks."""
from __future__ import annotations

import json
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

# user:password per host:port, registered by RegistryServer.start(): curl() sends them unless told otherwise,
# so protocol tests run as the admin of an access-controlled Berth.
CREDENTIALS: dict[str, str] = {}
SERVER_CREDS = object()  # curl(auth=...) default: the credentials registered for the URL's host


@dataclass
class CurlResponse:
    status: int
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names, last value wins
    body: bytes = b""

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def json(self):
        return json.loads(self.body)

    def error_codes(self) -> list[str]:
        """The codes of an OCI error body; asserts the envelope shape on the way."""
        doc = self.json()
        assert isinstance(doc, dict) and isinstance(doc.get("errors"), list) and doc["errors"], doc
        for err in doc["errors"]:
            assert isinstance(err.get("code"), str) and isinstance(err.get("message"), str), err
        return [e["code"] for e in doc["errors"]]


def curl(method: str, url: str, headers: dict[str, str] | None = None, data: bytes | None = None,
         timeout: float = 60, auth=SERVER_CREDS) -> CurlResponse:
    """Sends one request with curl and returns the final response (status, headers, body).

    auth: "user:password" for Basic auth, None for an anonymous request; by default the credentials
    registered in CREDENTIALS for the URL's host:port (none if nothing is registered)."""
    if auth is SERVER_CREDS:
        auth = CREDENTIALS.get(urlsplit(url).netloc)
    with tempfile.TemporaryDirectory(prefix="e2e-curl-") as tmp:
        head, body = Path(tmp) / "head", Path(tmp) / "body"
        cmd = ["curl", "-sS", "--noproxy", "*", "-X", method, "-D", str(head), "-o", str(body),
               "-w", "%{http_code}", "--max-time", str(timeout), "-H", "Expect:"]
        if method == "HEAD":
            cmd[cmd.index("-X"):cmd.index("-X") + 2] = ["-I"]
        if auth:
            config = Path(tmp) / "auth"  # in a file, so the password is not on a command line
            config.write_text(f'user = "{auth}"\n')
            cmd += ["-K", str(config)]
        for k, v in (headers or {}).items():
            cmd += ["-H", f"{k}: {v}"]
        if data is not None:
            payload = Path(tmp) / "payload"
            payload.write_bytes(data)
            if not any(k.lower() == "content-type" for k in (headers or {})):
                cmd += ["-H", "Content-Type: application/octet-stream"]
            cmd += ["--data-binary", f"@{payload}"]
        elif method in ("PUT", "POST", "PATCH"):
            cmd += ["-H", "Content-Length: 0"]
        cmd.append(url)
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout + 10)
        if out.returncode != 0:
            raise RuntimeError(f"curl failed ({out.returncode}): {out.stderr.strip()} for {method} {url}")
        blocks = [b for b in head.read_text(errors="replace").replace("\r\n", "\n").split("\n\n") if b.strip()]
        parsed: dict[str, str] = {}
        for line in blocks[-1].splitlines()[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                parsed[k.strip().lower()] = v.strip()
        # With -I curl writes the head to -o as well; a HEAD response has no body by definition.
        content = body.read_bytes() if body.exists() and method != "HEAD" else b""
        return CurlResponse(int(out.stdout.strip() or 0), parsed, content)
