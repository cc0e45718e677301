"""Access control end to end: users, roles and robots through docker, podman, skopeo and curl; anonymous
pulls from public projects only; the token service; expired and disabled robots; CSRF on sessions."""
from __future__ import annotations

import base64
import io
import json
import re
import sqlite3
import tarfile
import time
from pathlib import Path

import pytest
import requests

from conftest import require_tools, run
from curl_http import curl
from oci_layout import MANIFEST, canonical, sha256
from registry_server import RegistryServer
from test_docker import docker_cli, dockerd  # noqa: F401  (the dockerd fixture)

pytestmark = pytest.mark.berth_only

PASSWORD = {"dev": "Dev-Passw0rd-1", "guest": "Guest-Passw0rd-1", "outsider": "Outsider-Passw0rd-1"}


class World:
    """One Berth with a private project `team` (dev is developer, guest is guest, outsider is nobody),
    the public `library`, a project robot with pull and push in team, and one image in each project."""

    def __init__(self, server: RegistryServer):
        self.server = server
        self.robot_name, self.robot_secret = "", ""

    def creds(self, who: str) -> str:
        if who == "admin":
            return server_creds(self.server)
        if who == "robot":
            return f"{self.robot_name}:{self.robot_secret}"
        return f"{who}:{PASSWORD[who]}"

    def robot(self, name: str, *extra: str) -> tuple[str, str, int]:
        """Creates a project robot in team with the admin CLI; returns its full name, secret and id."""
        out = self.server.admin("robot", "create", name, "--project", "team", *extra).stdout
        m = re.search(r"Created robot (\S+) \(id (\d+)", out)
        secret = re.search(r"Secret, shown only this once: (\S+)", out)
        assert m and secret, out
        return m.group(1), secret.group(1), int(m.group(2))


def server_creds(server: RegistryServer) -> str:
    assert server.creds
    return server.creds


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    server = RegistryServer(tmp_path_factory.mktemp("auth") / "data", kind="berth", projects=("team",)).start()
    w = World(server)
    for user, password in PASSWORD.items():
        server.admin("user", "add", user, "--password", password)
    server.admin("project", "member", "team", "dev", "developer")
    server.admin("project", "member", "team", "guest", "guest")
    w.robot_name, w.robot_secret, _ = w.robot("ci")
    assert w.robot_name == "robot$team+ci"
    push_small(server, "team/app", "1", w.creds("admin"))
    push_small(server, "library/pub", "1", w.creds("admin"))
    yield w
    server.stop()


def push_small(server: RegistryServer, repo: str, tag: str, auth: str | None) -> str:
    """Pushes a one-layer image with curl as `auth`; returns the manifest digest (asserts success)."""
    status, digest = try_push(server, repo, tag, auth)
    assert status == 201, (status, repo, auth)
    return digest


def try_push(server: RegistryServer, repo: str, tag: str, auth: str | None) -> tuple[int, str]:
    """Pushes blobs then the manifest; returns the first failing status (or 201) and the manifest digest."""
    layer = f"{repo}:{tag}:{time.time_ns()}".encode() * 50
    config = canonical({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": []}})
    for blob in (layer, config):
        r = curl("POST", f"{server.url}/v2/{repo}/blobs/uploads/?digest={sha256(blob)}", data=blob, auth=auth)
        if r.status != 201:
            return r.status, ""
    body = canonical({"schemaVersion": 2, "mediaType": MANIFEST,
                      "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                 "digest": sha256(config), "size": len(config)},
                      "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                                  "digest": sha256(layer), "size": len(layer)}]})
    r = curl("PUT", f"{server.url}/v2/{repo}/manifests/{tag}", data=body, headers={"Content-Type": MANIFEST},
             auth=auth)
    return r.status, sha256(body)


def get_manifest(server: RegistryServer, repo: str, ref: str, auth: str | None, bearer: str | None = None):
    headers = {"Accept": MANIFEST}
    if bearer:
        headers["Authorization"] = f"Bearer {bearer}"
    return curl("GET", f"{server.url}/v2/{repo}/manifests/{ref}", headers=headers, auth=auth)


def challenge(response) -> dict[str, str]:
    value = response.header("WWW-Authenticate")
    assert value and value.startswith("Bearer "), response.headers
    return dict(re.findall(r'(\w+)="([^"]*)"', value))


def jwt_part(token: str, index: int) -> dict:
    part = token.split(".")[index]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


# --- anonymous -------------------------------------------------------------------------------------

def test_base_without_credentials_is_a_bearer_challenge(world):
    r = curl("GET", f"{world.server.url}/v2/", auth=None)
    assert r.status == 401
    params = challenge(r)
    assert params["realm"] == f"{world.server.url}/service/token"
    assert params["service"] == "berth-registry"
    assert "UNAUTHORIZED" in r.error_codes()


def test_anonymous_pulls_public_but_cannot_push(world):
    assert get_manifest(world.server, "library/pub", "1", auth=None).status == 200
    status, _ = try_push(world.server, "library/anon", "1", auth=None)
    assert status == 401
    r = curl("POST", f"{world.server.url}/v2/library/anon/blobs/uploads/", auth=None)
    assert r.status == 401 and challenge(r)["scope"] == "repository:library/anon:pull,push"


def test_anonymous_and_outsiders_cannot_pull_private(world):
    r = get_manifest(world.server, "team/app", "1", auth=None)
    assert r.status == 401
    assert challenge(r)["scope"] == "repository:team/app:pull"
    r = get_manifest(world.server, "team/app", "1", auth=world.creds("outsider"))
    assert r.status == 403 and "DENIED" in r.error_codes()
    r = get_manifest(world.server, "team/app", "1", auth="dev:Wrong-Passw0rd-1")
    assert r.status in (401, 403)


def test_no_open_registry_switch(tmp_path):
    """The old opt-in switch does nothing: access control stays on."""
    import os
    saved = os.environ.get("BERTH_AUTH_ENABLED")
    os.environ["BERTH_AUTH_ENABLED"] = "0"
    try:
        server = RegistryServer(tmp_path / "data", kind="berth").start()
    finally:
        os.environ.pop("BERTH_AUTH_ENABLED") if saved is None else os.environ.__setitem__("BERTH_AUTH_ENABLED", saved)
    try:
        assert curl("GET", f"{server.url}/v2/", auth=None).status == 401
        assert try_push(server, "library/x", "1", auth=None)[0] == 401
        assert any(f"docker login {server.host} -u admin" in line for line in server.lines), server.tail()
    finally:
        server.stop()


# --- roles with skopeo ------------------------------------------------------------------------------

def skopeo(*args: str, check: bool = True):
    return run(["skopeo", *args], check=check, timeout=300)


def test_guest_pulls_but_cannot_push_developer_pushes(world, tmp_path):
    require_tools("skopeo")
    host = world.server.host
    out = f"oci:{tmp_path / 'layout'}:x"
    skopeo("copy", "--src-tls-verify=false", f"--src-creds={world.creds('guest')}", f"docker://{host}/team/app:1", out)
    denied = skopeo("copy", "--dest-tls-verify=false", f"--dest-creds={world.creds('guest')}", out,
                    f"docker://{host}/team/by-guest:1", check=False)
    assert denied.returncode != 0
    assert get_manifest(world.server, "team/by-guest", "1", auth=world.creds("admin")).status == 404
    skopeo("copy", "--dest-tls-verify=false", f"--dest-creds={world.creds('dev')}", out,
           f"docker://{host}/team/by-dev:1")
    assert get_manifest(world.server, "team/by-dev", "1", auth=world.creds("guest")).status == 200
    denied = skopeo("inspect", "--tls-verify=false", f"--creds={world.creds('outsider')}",
                    f"docker://{host}/team/app:1", check=False)
    assert denied.returncode != 0


def test_robot_pushes_and_pulls_with_skopeo(world, tmp_path):
    require_tools("skopeo")
    host = world.server.host
    out = f"oci:{tmp_path / 'layout'}:x"
    skopeo("copy", "--src-tls-verify=false", f"--src-creds={world.creds('robot')}", f"docker://{host}/team/app:1", out)
    skopeo("copy", "--dest-tls-verify=false", f"--dest-creds={world.creds('robot')}", out,
           f"docker://{host}/team/by-robot:1")
    raw = skopeo("inspect", "--tls-verify=false", "--raw", f"--creds={world.creds('robot')}",
                 f"docker://{host}/team/by-robot:1").stdout
    assert json.loads(raw)["schemaVersion"] == 2
    # A project robot has no rights elsewhere, not even to push into the public library.
    denied = skopeo("copy", "--dest-tls-verify=false", f"--dest-creds={world.creds('robot')}", out,
                    f"docker://{host}/library/by-robot:1", check=False)
    assert denied.returncode != 0


# --- robots that expired or were disabled ----------------------------------------------------------

def test_expired_robot_is_refused(world):
    name, secret, robot_id = world.robot("shortlived", "--duration", "1")
    creds = f"{name}:{secret}"
    assert get_manifest(world.server, "team/app", "1", auth=creds).status == 200
    # Move its expiry into the past, as if the day had passed (another process writing the same database).
    with sqlite3.connect(world.server.data_dir / "berth.db", timeout=30) as db:
        db.execute("UPDATE robots SET expires_at = ? WHERE id = ?", (int(time.time()) - 60, robot_id))
    # Logins are cached for up to 30 s: wait that out, then the robot must be refused everywhere.
    deadline = time.monotonic() + 40
    while get_manifest(world.server, "team/app", "1", auth=creds).status == 200:
        assert time.monotonic() < deadline, "expired robot still accepted after the credential cache lifetime"
        time.sleep(2)
    assert get_manifest(world.server, "team/app", "1", auth=creds).status in (401, 403)
    token = curl("GET", f"{world.server.url}/service/token?service=berth-registry&scope=repository:team/app:pull",
                 auth=creds)
    assert token.status == 401


def test_disabled_robot_is_refused(world):
    name, secret, robot_id = world.robot("switchable")
    creds = f"{name}:{secret}"
    assert get_manifest(world.server, "team/app", "1", auth=creds).status == 200
    r = requests.put(f"{world.server.url}/api/v2.0/robots/{robot_id}", json={"disable": True},
                     auth=world.server.auth, timeout=30)
    assert r.status_code == 200, r.text
    assert get_manifest(world.server, "team/app", "1", auth=creds).status in (401, 403)
    r = requests.put(f"{world.server.url}/api/v2.0/robots/{robot_id}", json={"disable": False},
                     auth=world.server.auth, timeout=30)
    assert r.status_code == 200, r.text
    assert get_manifest(world.server, "team/app", "1", auth=creds).status == 200


# --- the token service with curl --------------------------------------------------------------------

def token(world, scope: str, auth: str | None) -> tuple[str, dict]:
    r = curl("GET", f"{world.server.url}/service/token?service=berth-registry&scope={scope}", auth=auth)
    assert r.status == 200, (r.status, r.body)
    body = r.json()
    assert body["token"] == body["access_token"] and body["expires_in"] > 0 and body["issued_at"]
    return body["token"], jwt_part(body["token"], 1)


def test_token_flow_grants_only_what_the_caller_may_do(world):
    tok, claims = token(world, "repository:team/app:pull,push", world.creds("dev"))
    header = jwt_part(tok, 0)
    assert header["alg"] in ("ES256", "RS256") and header.get("kid")
    assert claims["sub"] == "dev" and claims["exp"] > claims["iat"] and claims["aud"] == "berth-registry"
    assert claims["access"] == [{"type": "repository", "name": "team/app", "actions": ["pull", "push"]}]
    assert get_manifest(world.server, "team/app", "1", auth=None, bearer=tok).status == 200

    tok, claims = token(world, "repository:team/app:pull,push", world.creds("guest"))
    assert claims["access"][0]["actions"] == ["pull"]
    assert get_manifest(world.server, "team/app", "1", auth=None, bearer=tok).status == 200
    r = curl("POST", f"{world.server.url}/v2/team/app/blobs/uploads/", headers={"Authorization": f"Bearer {tok}"},
             auth=None)
    assert r.status == 401 and "push" in challenge(r)["scope"]

    tok, claims = token(world, "repository:team/app:pull", world.creds("outsider"))
    assert claims["access"][0]["actions"] == []
    assert get_manifest(world.server, "team/app", "1", auth=None, bearer=tok).status == 401

    tok, claims = token(world, "repository:library/pub:pull,push", None)
    assert claims["access"][0]["actions"] == ["pull"]
    assert get_manifest(world.server, "library/pub", "1", auth=None, bearer=tok).status == 200

    assert get_manifest(world.server, "team/app", "1", auth=None, bearer=tok[:-4] + "AAAA").status == 401
    r = curl("GET", f"{world.server.url}/service/token?service=berth-registry&scope=repository:team/app:pull",
             auth="dev:Wrong-Passw0rd-1")
    assert r.status == 401


# --- CSRF on session-authenticated changes ----------------------------------------------------------

def test_session_change_needs_the_csrf_token(world):
    s = requests.Session()
    r = s.post(f"{world.server.url}/c/login", data={"principal": "dev", "password": PASSWORD["dev"]}, timeout=30)
    assert r.status_code == 200, r.text
    csrf = r.headers["X-Harbor-CSRF-Token"]
    assert s.cookies.get("sid") and csrf
    set_cookie = r.headers.get("Set-Cookie", "")
    assert "HttpOnly" in set_cookie and "SameSite" in set_cookie
    assert s.get(f"{world.server.url}/api/v2.0/users/current", timeout=30).json()["username"] == "dev"

    body = {"project_name": "from-session", "metadata": {"public": "false"}}
    refused = s.post(f"{world.server.url}/api/v2.0/projects", json=body, timeout=30)
    assert refused.status_code == 403, refused.text
    assert "from-session" not in world.server.admin("project", "list").stdout.split()
    wrong = s.post(f"{world.server.url}/api/v2.0/projects", json=body, headers={"X-Harbor-CSRF-Token": "x" + csrf},
                   timeout=30)
    assert wrong.status_code == 403
    allowed = s.post(f"{world.server.url}/api/v2.0/projects", json=body, headers={"X-Harbor-CSRF-Token": csrf},
                     timeout=30)
    assert allowed.status_code == 201, allowed.text
    assert "from-session" in world.server.admin("project", "list").stdout.split()

    s.get(f"{world.server.url}/c/log_out", timeout=30)
    assert requests.get(f"{world.server.url}/api/v2.0/users/current", cookies={"sid": r.cookies.get("sid")},
                        timeout=30).status_code == 401


# --- docker and podman login ------------------------------------------------------------------------

def tiny_rootfs(path: Path, marker: str) -> Path:
    """A one-file root filesystem tar (enough for docker import / podman import)."""
    with tarfile.open(path, "w") as tar:
        data = f"berth auth e2e {marker} {time.time_ns()}\n".encode()
        info = tarfile.TarInfo("etc/berth-auth")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return path


def test_docker_login_push_pull_as_user_and_robot(world, dockerd, tmp_path):  # noqa: F811
    docker = [docker_cli()]
    host = world.server.host
    ref = f"{host}/team/docker-auth:1"
    run(docker + ["import", str(tiny_rootfs(tmp_path / "root.tar", "docker")), ref], env=dockerd)

    bad = run(docker + ["login", host, "-u", "dev", "--password-stdin"], env=dockerd, input="Wrong-Passw0rd-1",
              check=False)
    assert bad.returncode != 0
    run(docker + ["login", host, "-u", "guest", "--password-stdin"], env=dockerd, input=PASSWORD["guest"])
    assert run(docker + ["push", ref], env=dockerd, check=False).returncode != 0  # guest: pull only

    run(docker + ["login", host, "-u", "dev", "--password-stdin"], env=dockerd, input=PASSWORD["dev"])
    push = run(docker + ["push", ref], env=dockerd, timeout=300)
    pushed = re.search(r"digest: (sha256:[0-9a-f]{64})", push.stdout).group(1)
    run(docker + ["rmi", ref], env=dockerd)
    run(docker + ["logout", host], env=dockerd)
    assert run(docker + ["pull", ref], env=dockerd, check=False).returncode != 0  # anonymous, private project

    name, secret = world.robot_name, world.robot_secret
    run(docker + ["login", host, "-u", name, "--password-stdin"], env=dockerd, input=secret)
    pull = run(docker + ["pull", ref], env=dockerd, timeout=300)
    assert f"Digest: {pushed}" in pull.stdout, pull.stdout
    robot_ref = f"{host}/team/docker-robot:1"
    run(docker + ["tag", ref, robot_ref], env=dockerd)
    run(docker + ["push", robot_ref], env=dockerd, timeout=300)
    assert get_manifest(world.server, "team/docker-robot", "1", auth=world.creds("dev")).status == 200


def test_podman_login_push_pull_as_user_and_robot(world, short_tmp):
    require_tools("podman")
    host = world.server.host
    authfile = short_tmp / "auth.json"
    podman = ["podman", "--root", str(short_tmp / "root"), "--runroot", str(short_tmp / "run"),
              "--storage-driver", "vfs", "--events-backend", "none", "--cgroup-manager", "cgroupfs",
              "--tmpdir", str(short_tmp / "tmp")]
    ref = f"{host}/team/podman-auth:1"
    run(podman + ["import", str(tiny_rootfs(short_tmp / "root.tar", "podman")), ref])

    def login(user: str, secret: str, check: bool = True):
        return run(podman + ["login", "--tls-verify=false", "--authfile", str(authfile), "-u", user,
                             "--password-stdin", host], input=secret, check=check)

    assert login("dev", "Wrong-Passw0rd-1", check=False).returncode != 0
    login("dev", PASSWORD["dev"])
    digest_file = short_tmp / "digest"
    run(podman + ["push", "--tls-verify=false", "--authfile", str(authfile), "--digestfile", str(digest_file), ref],
        timeout=300)
    pushed = digest_file.read_text().strip()
    run(podman + ["rmi", "--all", "--force"])

    run(podman + ["logout", "--authfile", str(authfile), host])
    login(world.robot_name, world.robot_secret)
    run(podman + ["pull", "--tls-verify=false", "--authfile", str(authfile), ref], timeout=300)
    assert run(podman + ["image", "inspect", "--format", "{{.Digest}}", ref]).stdout.strip() == pushed
    # podman --creds without a login, as the outsider: refused.
    denied = run(podman + ["pull", "--tls-verify=false", "--creds", world.creds("outsider"), ref], check=False)
    assert denied.returncode != 0
