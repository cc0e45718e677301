"""Small OCI image-layout writer and reader, used to build test images and compare round trips."""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tarfile
from pathlib import Path

MANIFEST = "application/vnd.oci.image.manifest.v1+json"
INDEX = "application/vnd.oci.image.index.v1+json"
CONFIG = "application/vnd.oci.image.config.v1+json"
LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip"
REF_ANNOTATION = "org.opencontainers.image.ref.name"


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def canonical(obj) -> bytes:
    """Compact JSON bytes, the way the test writes manifests."""
    return json.dumps(obj, separators=(",", ":"), sort_keys=True).encode()


def tar_gz(files: dict[str, bytes]) -> tuple[bytes, str]:
    """A reproducible gzip'ed tar of the given files; returns (blob, diff_id)."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in sorted(files.items()):
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            tar.addfile(info, io.BytesIO(data))
    plain = raw.getvalue()
    return gzip.compress(plain, mtime=0), sha256(plain)


class Layout:
    """An OCI image layout directory (oci-layout, index.json, blobs/<alg>/<hex>)."""

    def __init__(self, path: Path):
        self.path = Path(path)

    @classmethod
    def create(cls, path: Path) -> "Layout":
        path = Path(path)
        (path / "blobs" / "sha256").mkdir(parents=True, exist_ok=True)
        (path / "oci-layout").write_text('{"imageLayoutVersion":"1.0.0"}')
        if not (path / "index.json").exists():
            (path / "index.json").write_bytes(canonical({"schemaVersion": 2, "manifests": []}))
        return cls(path)

    def blob_path(self, digest: str) -> Path:
        alg, hexd = digest.split(":", 1)
        return self.path / "blobs" / alg / hexd

    def read_blob(self, digest: str) -> bytes:
        return self.blob_path(digest).read_bytes()

    def add_blob(self, data: bytes, media_type: str, **extra) -> dict:
        digest = sha256(data)
        self.blob_path(digest).write_bytes(data)
        return {"mediaType": media_type, "digest": digest, "size": len(data), **extra}

    def add_image(self, files: dict[str, bytes], arch: str = "amd64", layers: int = 1) -> dict:
        """An image with `layers` layers built from `files` (split round-robin); returns its descriptor."""
        names = sorted(files)
        groups = [{n: files[n] for n in names[i::layers]} for i in range(layers)]
        descs, diff_ids = [], []
        for group in groups:
            blob, diff_id = tar_gz(group)
            descs.append(self.add_blob(blob, LAYER_GZIP))
            diff_ids.append(diff_id)
        config = {"architecture": arch, "os": "linux", "config": {},
                  "rootfs": {"type": "layers", "diff_ids": diff_ids}}
        manifest = {"schemaVersion": 2, "mediaType": MANIFEST,
                    "config": self.add_blob(canonical(config), CONFIG), "layers": descs}
        return self.add_blob(canonical(manifest), MANIFEST, platform={"architecture": arch, "os": "linux"})

    def add_index(self, manifests: list[dict]) -> dict:
        index = {"schemaVersion": 2, "mediaType": INDEX, "manifests": manifests}
        return self.add_blob(canonical(index), INDEX)

    def tag(self, desc: dict, ref: str) -> None:
        index = json.loads((self.path / "index.json").read_bytes())
        index["manifests"] = [m for m in index["manifests"]
                              if m.get("annotations", {}).get(REF_ANNOTATION) != ref]
        entry = {k: desc[k] for k in ("mediaType", "digest", "size")}
        entry["annotations"] = {REF_ANNOTATION: ref}
        index["manifests"].append(entry)
        (self.path / "index.json").write_bytes(canonical(index))

    def resolve(self, ref: str) -> dict:
        """The descriptor tagged `ref` in index.json."""
        index = json.loads((self.path / "index.json").read_bytes())
        matches = [m for m in index["manifests"] if m.get("annotations", {}).get(REF_ANNOTATION) == ref]
        if not matches:
            raise KeyError(f"no {ref!r} in {self.path}/index.json")
        return matches[0]

    def closure(self, digest: str) -> dict[str, str]:
        """Every digest reachable from `digest` (manifests, configs, layers) -> media type."""
        out: dict[str, str] = {}
        doc = json.loads(self.read_blob(digest))
        out[digest] = doc.get("mediaType", "")
        for child in doc.get("manifests", []):
            out.update(self.closure(child["digest"]))
        if "config" in doc:
            out[doc["config"]["digest"]] = doc["config"]["mediaType"]
        for layer in doc.get("layers", []):
            out[layer["digest"]] = layer["mediaType"]
        return out

    def verify_blobs(self, digests) -> list[str]:
        """Digests whose blob file is missing or whose bytes do not hash to the name."""
        bad = []
        for d in digests:
            p = self.blob_path(d)
            if not p.exists():
                bad.append(f"{d}: missing")
                continue
            alg = d.split(":")[0]
            h = hashlib.new(alg)
            with open(p, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    h.update(chunk)
            if f"{alg}:{h.hexdigest()}" != d:
                bad.append(f"{d}: content hashes to {alg}:{h.hexdigest()}")
        return bad


def random_files(seed: str, count: int = 3, size: int = 4096) -> dict[str, bytes]:
    """Deterministic-per-seed but distinct file contents."""
    return {f"data/{seed}-{i}.bin": hashlib.shake_256(f"{seed}/{i}".encode()).digest(size)
            + os.urandom(16) for i in range(count)}
