"""Minimal OCI distribution client over one keep-alive http.client connection.

Only what the workloads need: blob uploads (monolithic and chunked), manifest PUT/HEAD/GET,
blob GET into a reused buffer, and paged list walks. Every call checks the status code.
"""
import hashlib
import http.client
import json
from urllib.parse import urlsplit

MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json"
CONFIG_TYPE = "application/vnd.oci.image.config.v1+json"
LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip"
ACCEPT = ",".join([MANIFEST_TYPE, "application/vnd.oci.image.index.v1+json",
                   "application/vnd.docker.distribution.manifest.v2+json",
                   "application/vnd.docker.distribution.manifest.list.v2+json"])


class RegistryError(Exception):
    """An unexpected HTTP status from the registry under test."""


def sha256_digest(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


class Client:
    """One persistent loopback connection to a registry at 127.0.0.1:port."""

    def __init__(self, port, auth=None):
        self.port = port
        self.auth = auth
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        self.sink = bytearray(1 << 20)

    def close(self):
        self.conn.close()

    def _headers(self, extra=None):
        h = {} if extra is None else dict(extra)
        if self.auth:
            h["Authorization"] = self.auth
        return h

    def request(self, method, path, body=None, headers=None, expect=(200,)):
        """Send a request; return (status, headers, body bytes). Raises on an unexpected status."""
        self.conn.request(method, path, body=body, headers=self._headers(headers))
        resp = self.conn.getresponse()
        data = resp.read()
        if resp.status not in expect:
            raise RegistryError(f"{method} {path}: {resp.status} {data[:300]!r}")
        return resp.status, resp.headers, data

    def send_parts(self, method, path, parts, headers, expect):
        """Send a body given as a list of buffers without joining them; return (status, headers)."""
        length = sum(len(p) for p in parts)
        self.conn.putrequest(method, path, skip_accept_encoding=True)
        for k, v in self._headers(headers).items():
            self.conn.putheader(k, v)
        self.conn.putheader("Content-Length", str(length))
        self.conn.endheaders()
        for p in parts:
            self.conn.send(p)
        resp = self.conn.getresponse()
        data = resp.read()
        if resp.status not in expect:
            raise RegistryError(f"{method} {path}: {resp.status} {data[:300]!r}")
        return resp.status, resp.headers

    @staticmethod
    def _path(location):
        parts = urlsplit(location)
        return parts.path + ("?" + parts.query if parts.query else "")

    def start_upload(self, repo):
        _, h, _ = self.request("POST", f"/v2/{repo}/blobs/uploads/", body=b"", expect=(202,))
        return self._path(h["Location"])

    @staticmethod
    def _with_digest(path, digest):
        return path + ("&" if "?" in path else "?") + "digest=" + digest

    def push_monolithic(self, repo, data, digest):
        """POST then PUT ?digest with the whole blob as the body."""
        loc = self.start_upload(repo)
        self.send_parts("PUT", self._with_digest(loc, digest), [data],
                        {"Content-Type": "application/octet-stream"}, (201,))

    def push_chunked(self, repo, data, digest):
        """POST, one PATCH with the whole blob, then PUT ?digest with an empty body."""
        loc = self.start_upload(repo)
        _, h = self.send_parts("PATCH", loc, [data], {
            "Content-Type": "application/octet-stream",
            "Content-Range": f"0-{len(data) - 1}"}, (202,))
        loc = self._path(h["Location"])
        self.send_parts("PUT", self._with_digest(loc, digest), [], {}, (201,))

    def put_manifest(self, repo, ref, body):
        self.send_parts("PUT", f"/v2/{repo}/manifests/{ref}", [body],
                        {"Content-Type": MANIFEST_TYPE}, (201,))

    def head_manifest(self, repo, ref):
        self.conn.request("HEAD", f"/v2/{repo}/manifests/{ref}", headers=self._headers({"Accept": ACCEPT}))
        resp = self.conn.getresponse()
        resp.read()
        if resp.status != 200:
            raise RegistryError(f"HEAD manifest {repo}:{ref}: {resp.status}")
        return resp.headers.get("Docker-Content-Digest")

    def get_manifest(self, repo, ref):
        _, _, data = self.request("GET", f"/v2/{repo}/manifests/{ref}", headers={"Accept": ACCEPT})
        return data

    def get_blob_discard(self, repo, digest):
        """GET a blob, reading the body into a reused buffer; return the byte count."""
        self.conn.request("GET", f"/v2/{repo}/blobs/{digest}", headers=self._headers())
        resp = self.conn.getresponse()
        if resp.status != 200:
            resp.read()
            raise RegistryError(f"GET blob {repo}@{digest}: {resp.status}")
        total = 0
        view = memoryview(self.sink)
        while True:
            n = resp.readinto(view)
            if not n:
                break
            total += n
        return total

    def walk(self, path):
        """Follow Link rel="next" pages from `path`; return (pages, items)."""
        pages, items = 0, 0
        while path:
            _, h, data = self.request("GET", path)
            doc = json.loads(data)
            items += len(doc.get("repositories") or doc.get("tags") or [])
            pages += 1
            link = h.get("Link")
            path = self._path(link.split(";")[0].strip().strip("<>")) if link else None
        return pages, items


def image_manifest(config, layers):
    """Build OCI image manifest bytes from (digest, size) pairs."""
    doc = {"schemaVersion": 2, "mediaType": MANIFEST_TYPE,
           "config": {"mediaType": CONFIG_TYPE, "digest": config[0], "size": config[1]},
           "layers": [{"mediaType": LAYER_TYPE, "digest": d, "size": s} for d, s in layers]}
    return json.dumps(doc, separators=(",", ":")).encode()
