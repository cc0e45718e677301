"""OIDC single sign-on end to end, against a real provider (oidc-provider-mock, see oidc_provider.py).

A cookie-keeping requests.Session follows the redirects like a browser: /c/oidc/login -> the provider's
authorization form (posted with the chosen subject) -> /c/oidc/callback -> Berth's session. The CLI secret
read from the profile is then the registry password for docker, podman and skopeo, survives the ID token's expiry,
and stops working when regenerated.
"""
from __future__ import annotations

import io
import os
import re
import tarfile
import time
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from conftest import require_tools, run
from registry_server import RegistryServer
from test_docker import docker_cli, dockerd  # noqa: F401  (the dockerd fixture)

pytestmark = pytest.mark.berth_only

ADMIN = ("admin", "Oidc-Admin-Passw0rd")
API = "/api/v2.0"
PROJECT = "sso"
ADMIN_GROUP = "berth-admins"
# Short-lived ID tokens: every CLI-secret check below runs after the token of its login has expired.
TOKEN_SECONDS = 4


@pytest.fixture(scope="module")
def provider():
    from oidc_provider import OIDCProvider
    p = OIDCProvider(token_max_age=timedelta(seconds=TOKEN_SECONDS)).start()
    yield p
    p.stop()


@pytest.fixture(scope="module")
def berth(provider, tmp_path_factory):
    server = RegistryServer(tmp_path_factory.mktemp("oidc") / "data")
    settings = {
        "BERTH_ADMIN_PASSWORD": ADMIN[1],
        "BERTH_EXTERNAL_URL": server.url,
        "BERTH_OIDC_ENDPOINT": provider.issuer,
        "BERTH_OIDC_CLIENT_ID": "berth-e2e",
        "BERTH_OIDC_CLIENT_SECRET": "berth-e2e-client-secret",
        "BERTH_OIDC_ADMIN_GROUP": ADMIN_GROUP,
    }
    saved = {k: os.environ.get(k) for k in settings}
    os.environ.update(settings)
    try:
        server.start()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    r = requests.post(server.url + API + "/projects", auth=ADMIN, timeout=30,
                      json={"project_name": PROJECT, "public": False})
    assert r.status_code == 201, r.text
    yield server
    server.stop()


def oidc_login(berth, provider, sub: str, redirect: str = API + "/users/current"):
    """Logs in like a browser; returns the session and the final response (the redirect target)."""
    s = requests.Session()
    r = s.get(berth.url + "/c/oidc/login", params={"redirect_url": redirect}, timeout=30)
    assert r.status_code == 200 and r.url.startswith(provider.issuer + "/oauth2/authorize"), (r.status_code, r.url)
    r = s.post(r.url, data={"sub": sub}, timeout=30)
    return s, r


def profile_after_login(berth, provider, sub: str):
    s, r = oidc_login(berth, provider, sub)
    assert r.status_code == 200, (r.status_code, r.url, r.text[:500])
    assert r.url == berth.url + API + "/users/current"
    return s, r.json(), time.monotonic()


def wait_for_expiry(logged_in_at: float) -> None:
    """Sleeps until the ID token of a login made at logged_in_at has expired."""
    remaining = logged_in_at + TOKEN_SECONDS + 1.5 - time.monotonic()
    if remaining > 0:
        time.sleep(remaining)


def add_member(berth, username: str, role_id: int) -> None:
    r = requests.post(f"{berth.url}{API}/projects/{PROJECT}/members", auth=ADMIN, timeout=30,
                      json={"role_id": role_id, "member_user": {"username": username}})
    assert r.status_code == 201, r.text


def v2_status(berth, user: str, secret: str) -> int:
    return requests.get(berth.url + "/v2/", auth=(user, secret), timeout=30).status_code


def tiny_image(path, seed: str):
    data = f"hello from {seed}\n".encode()
    with tarfile.open(path, "w") as tar:
        info = tarfile.TarInfo("hello.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return path


def test_login_redirect_uses_pkce_nonce_and_state(berth, provider):
    r = requests.get(berth.url + "/c/oidc/login", allow_redirects=False, timeout=30)
    assert r.status_code == 302
    location = urlparse(r.headers["Location"])
    assert f"{location.scheme}://{location.netloc}" == provider.issuer
    query = parse_qs(location.query)
    assert query["client_id"] == ["berth-e2e"]
    assert query["redirect_uri"] == [berth.url + "/c/oidc/callback"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["nonce"][0] and query["state"][0] and query["code_challenge"][0]
    assert "openid" in query["scope"][0].split()
    assert "berth_oidc_state=" in r.headers["Set-Cookie"] and "HttpOnly" in r.headers["Set-Cookie"]


def test_callback_without_login_state_is_refused(berth):
    r = requests.get(berth.url + "/c/oidc/callback", params={"code": "forged", "state": "forged"},
                     allow_redirects=False, timeout=30)
    assert r.status_code == 403
    assert "sid=" not in r.headers.get("Set-Cookie", "")


def test_first_login_onboards_user_with_session_and_cli_secret(berth, provider):
    provider.set_user("u-alice-1", {"preferred_username": "alice", "email": "alice@example.test",
                                    "name": "Alice Example", "groups": ["developers"]})
    s, me, _ = profile_after_login(berth, provider, "u-alice-1")
    assert me["username"] == "alice"
    assert me["email"] == "alice@example.test"
    assert me["sysadmin_flag"] is False
    meta = me["oidc_user_meta"]
    assert meta["subiss"] == f"{provider.issuer}|u-alice-1"
    assert len(meta["secret"]) >= 8
    # The same browser session as /c/login: HttpOnly sid cookie plus the readable CSRF cookie.
    assert s.cookies.get("sid") and s.cookies.get("__csrf")
    # The user now exists for the admin too, onboarded once.
    s2, me2, _ = profile_after_login(berth, provider, "u-alice-1")
    assert me2["user_id"] == me["user_id"] and me2["oidc_user_meta"]["secret"] == meta["secret"]
    found = requests.get(berth.url + API + "/users", params={"username": "alice"}, auth=ADMIN, timeout=30).json()
    assert [u["username"] for u in found] == ["alice"]
    # A local user has no CLI secret in the profile.
    admin_me = requests.get(berth.url + API + "/users/current", auth=ADMIN, timeout=30).json()
    assert "oidc_user_meta" not in admin_me


def test_cli_secret_pushes_and_pulls_with_podman_and_skopeo_after_token_expiry(berth, provider, short_tmp):
    require_tools("podman", "skopeo")
    provider.set_user("u-bob-1", {"preferred_username": "bob", "email": "bob@example.test"})
    _, me, logged_in = profile_after_login(berth, provider, "u-bob-1")
    secret = me["oidc_user_meta"]["secret"]
    # Not yet a member of the private project: the secret logs in, but pushing is denied.
    ref = f"{berth.host}/{PROJECT}/app:1"
    podman = ["podman", "--root", str(short_tmp / "root"), "--runroot", str(short_tmp / "run"),
              "--storage-driver", "vfs", "--events-backend", "none", "--cgroup-manager", "cgroupfs",
              "--tmpdir", str(short_tmp / "tmp")]
    authfile = short_tmp / "auth.json"
    run(podman + ["import", str(tiny_image(short_tmp / "img.tar", "bob")), ref])
    # Unlike Harbor (goharbor/harbor#14172), the CLI secret outlives the ID token, and does not depend on the
    # provider's tokens at all: expire them and revoke them at the provider.
    wait_for_expiry(logged_in)
    requests.post(f"{provider.issuer}/users/u-bob-1/revoke-tokens", timeout=10).raise_for_status()

    run(podman + ["login", "--tls-verify=false", "--authfile", str(authfile), "-u", "bob", "--password-stdin",
                  berth.host], input=secret)
    denied = run(podman + ["push", "--tls-verify=false", "--authfile", str(authfile), ref], check=False, timeout=300)
    assert denied.returncode != 0
    add_member(berth, "bob", 2)  # developer
    digest_file = short_tmp / "digest"
    run(podman + ["push", "--tls-verify=false", "--authfile", str(authfile), "--digestfile", str(digest_file), ref],
        timeout=300)
    pushed = digest_file.read_text().strip()
    assert pushed.startswith("sha256:")
    run(podman + ["rmi", "--all", "--force"])
    run(podman + ["pull", "--tls-verify=false", "--authfile", str(authfile), ref], timeout=300)
    assert run(podman + ["image", "inspect", "--format", "{{.Digest}}", ref]).stdout.strip() == pushed

    # skopeo --creds with the same secret; anonymous is refused (private project).
    raw = run(["skopeo", "inspect", "--tls-verify=false", f"--creds=bob:{secret}", f"docker://{ref}"])
    assert pushed in raw.stdout
    anonymous = run(["skopeo", "inspect", "--tls-verify=false", "--no-creds", f"docker://{ref}"], check=False)
    assert anonymous.returncode != 0
    # The token service grants the secret's owner push and pull.
    token = requests.get(berth.url + "/service/token", auth=("bob", secret), timeout=30,
                         params={"service": "berth-registry", "scope": f"repository:{PROJECT}/app:pull,push"})
    assert token.status_code == 200 and token.json()["token"]


def regenerate_secret(berth, session: requests.Session, user_id: int) -> str:
    """Regenerates a CLI secret from the browser session (with its CSRF token); returns the new secret."""
    r = session.put(f"{berth.url}{API}/users/{user_id}/cli_secret",
                    headers={"X-Harbor-CSRF-Token": session.cookies["__csrf"]}, timeout=30)
    assert r.status_code == 200, r.text
    return session.get(berth.url + API + "/users/current", timeout=30).json()["oidc_user_meta"]["secret"]


def test_docker_login_push_and_pull_with_cli_secret_until_regenerated(berth, provider, dockerd, short_tmp):
    docker = [docker_cli()]
    provider.set_user("u-erin-1", {"preferred_username": "erin", "email": "erin@example.test"})
    session, me, logged_in = profile_after_login(berth, provider, "u-erin-1")
    user_id, secret = me["user_id"], me["oidc_user_meta"]["secret"]
    add_member(berth, "erin", 2)  # developer: push and pull
    wait_for_expiry(logged_in)  # everything below runs on the CLI secret alone, after the ID token expired

    def login(password: str, check: bool = True):
        return run(docker + ["login", berth.host, "-u", "erin", "--password-stdin"], env=dockerd, input=password,
                   check=check)

    login(secret)
    ref = f"{berth.host}/{PROJECT}/docker-sso:1"
    run(docker + ["import", str(tiny_image(short_tmp / "img.tar", "erin")), ref], env=dockerd)
    push = run(docker + ["push", ref], env=dockerd, timeout=300)
    m = re.search(r"digest: (sha256:[0-9a-f]{64})", push.stdout)
    assert m, push.stdout
    pushed = m.group(1)
    artifacts = requests.get(f"{berth.url}{API}/projects/{PROJECT}/repositories/docker-sso/artifacts",
                             auth=ADMIN, timeout=30).json()
    assert [a["digest"] for a in artifacts] == [pushed]
    deadline = time.monotonic() + 10  # the audit log records erin (not a token or robot) as the pusher
    while True:
        logs = requests.get(f"{berth.url}{API}/projects/{PROJECT}/logs", auth=ADMIN, timeout=30,
                            params={"q": "username=erin"}).json()
        if any(e["operation"] == "create" and e["resource"] == f"{PROJECT}/docker-sso:1" for e in logs):
            break
        assert time.monotonic() < deadline, logs
        time.sleep(0.5)
    run(docker + ["rmi", ref], env=dockerd)
    pull = run(docker + ["pull", ref], env=dockerd, timeout=300)
    assert f"Digest: {pushed}" in pull.stdout, pull.stdout

    new = regenerate_secret(berth, session, user_id)
    assert new != secret
    # The credentials docker stored are now stale: pulling with them is refused, and so is a new login.
    run(docker + ["rmi", ref], env=dockerd)
    stale = run(docker + ["pull", ref], env=dockerd, check=False, timeout=300)
    assert stale.returncode != 0, stale.stdout
    run(docker + ["logout", berth.host], env=dockerd)
    refused = login(secret, check=False)
    assert refused.returncode != 0
    assert "unauthorized" in (refused.stdout + refused.stderr).lower(), refused.stderr
    login(new)
    pull = run(docker + ["pull", ref], env=dockerd, timeout=300)
    assert f"Digest: {pushed}" in pull.stdout, pull.stdout


def test_regenerated_secret_replaces_the_old_one(berth, provider, short_tmp):
    require_tools("skopeo")
    provider.set_user("u-carol-1", {"preferred_username": "carol"})
    s, me, logged_in = profile_after_login(berth, provider, "u-carol-1")
    user_id, old = me["user_id"], me["oidc_user_meta"]["secret"]
    add_member(berth, "carol", 3)  # guest: pull only
    wait_for_expiry(logged_in)
    assert v2_status(berth, "carol", old) == 200
    url = f"{berth.url}{API}/users/{user_id}/cli_secret"
    # A session-authenticated change needs the CSRF token.
    assert s.put(url, timeout=30).status_code == 403
    # Another user may not change it.
    other = requests.put(url, auth=("bob", "Not-The-Secret-1"), timeout=30)
    assert other.status_code == 401
    new = regenerate_secret(berth, s, user_id)
    assert new != old
    assert v2_status(berth, "carol", old) == 401
    assert v2_status(berth, "carol", new) == 200
    # Setting a chosen secret also works, and a weak one is refused.
    chosen = "Chosen-Secret-42"
    csrf = {"X-Harbor-CSRF-Token": s.cookies["__csrf"]}
    assert s.put(url, json={"secret": "weak"}, headers=csrf, timeout=30).status_code == 400
    assert s.put(url, json={"secret": chosen}, headers=csrf, timeout=30).status_code == 200
    assert v2_status(berth, "carol", new) == 401
    authfile = str(short_tmp / "skopeo-auth.json")

    def skopeo_login(secret: str, check: bool = True):
        return run(["skopeo", "login", "--tls-verify=false", "--authfile", authfile, "-u", "carol",
                    "--password-stdin", berth.host], input=secret, check=check)

    assert skopeo_login(new, check=False).returncode != 0
    skopeo_login(chosen)
    # The CLI secret is not a portal password.
    login = requests.post(berth.url + "/c/login", data={"principal": "carol", "password": chosen}, timeout=30)
    assert login.status_code == 401


def test_admin_group_member_is_sysadmin(berth, provider):
    provider.set_user("u-dave-1", {"preferred_username": "dave", "groups": ["developers", ADMIN_GROUP]})
    _, me, _ = profile_after_login(berth, provider, "u-dave-1")
    assert me["sysadmin_flag"] is True
    secret = me["oidc_user_meta"]["secret"]
    # With the CLI secret, dave can do admin-only things (list users) and push to any project.
    assert requests.get(berth.url + API + "/users", auth=("dave", secret), timeout=30).status_code == 200
    token = requests.get(berth.url + "/service/token", auth=("dave", secret), timeout=30,
                         params={"service": "berth-registry", "scope": f"repository:{PROJECT}/admin-app:pull,push"})
    assert token.status_code == 200
    # Leaving the admin group revokes sysadmin at the next login.
    provider.set_user("u-dave-1", {"preferred_username": "dave", "groups": ["developers"]})
    _, me, _ = profile_after_login(berth, provider, "u-dave-1")
    assert me["sysadmin_flag"] is False
    # Alice (not in the group) is no admin.
    _, alice, _ = profile_after_login(berth, provider, "u-alice-1")
    assert requests.get(berth.url + API + "/users", auth=("alice", alice["oidc_user_meta"]["secret"]),
                        timeout=30).status_code == 403


def test_username_clash_with_local_user_is_refused(berth, provider):
    provider.set_user("u-impostor-1", {"preferred_username": "admin"})
    _, r = oidc_login(berth, provider, "u-impostor-1")
    assert r.status_code == 409
    assert requests.get(berth.url + API + "/users/current", auth=ADMIN, timeout=30).json()["sysadmin_flag"] is True


def test_systeminfo_reports_oidc_auth(berth):
    info = requests.get(berth.url + API + "/systeminfo", auth=ADMIN, timeout=30).json()
    assert info.get("auth_mode") == "oidc_auth"
