"""`berth admin` as an operator runs it: on the data directory of a running server, whose logins see the changes."""
from __future__ import annotations

import re

import pytest

from curl_http import curl
from registry_server import RegistryServer

pytestmark = pytest.mark.berth_only


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = RegistryServer(tmp_path_factory.mktemp("admin-cli") / "data", kind="berth").start()
    yield s
    s.stop()


def can_login(server: RegistryServer, creds: str) -> bool:
    """Whether Basic credentials are accepted by the token service (no cache involved for new pairs)."""
    r = curl("GET", f"{server.url}/service/token?service=berth-registry&scope=registry:catalog:*", auth=creds)
    assert r.status in (200, 401), (r.status, r.body)
    return r.status == 200


def test_first_start_admin_and_library(server):
    assert can_login(server, server.creds)
    assert not can_login(server, "admin:Harbor12345")  # Harbor's well-known default never works
    listed = server.admin("project", "list").stdout.splitlines()
    assert re.search(r"^\d+\s+library\s+true\b", "\n".join(listed), re.M), listed


def test_user_add_with_generated_password_then_passwd(server):
    out = server.admin("user", "add", "carol", "--email", "carol@example.test").stdout
    password = re.search(r"Password, shown only this once: (\S+)", out).group(1)
    assert can_login(server, f"carol:{password}")
    users = server.admin("user", "list").stdout
    assert re.search(r"^\d+\s+carol\s+false\s+false\s+local\s+carol@example.test$", users, re.M), users

    server.admin("user", "passwd", "carol", "--password-stdin", input="Changed-Passw0rd\n")
    assert can_login(server, "carol:Changed-Passw0rd")
    assert not can_login(server, f"carol:{password}x")


def test_weak_passwords_and_duplicates_are_refused(server):
    weak = server.admin("user", "add", "dave", "--password", "short", check=False)
    assert weak.returncode != 0 and "8 to 128" in weak.stderr
    assert "dave" not in server.admin("user", "list").stdout
    server.admin("user", "add", "erin", "--password", "Erin-Passw0rd")
    again = server.admin("user", "add", "erin", "--password", "Erin-Passw0rd", check=False)
    assert again.returncode != 0


def test_project_create_member_and_robot(server):
    server.admin("project", "create", "ops")
    assert re.search(r"^\d+\s+ops\s+false\b", server.admin("project", "list").stdout, re.M)
    assert server.admin("project", "create", "ops", check=False).returncode != 0
    assert server.admin("project", "create", "Bad_Name", check=False).returncode != 0
    assert server.admin("project", "member", "ops", "admin", "wizard", check=False).returncode != 0

    out = server.admin("robot", "create", "deploy", "--project", "ops", "--access", "pull").stdout
    name = re.search(r"Created robot (\S+)", out).group(1)
    secret = re.search(r"Secret, shown only this once: (\S+)", out).group(1)
    assert name == "robot$ops+deploy"
    r = curl("GET", f"{server.url}/service/token?service=berth-registry&scope=repository:ops/app:pull,push",
             auth=f"{name}:{secret}")
    assert r.status == 200
    from test_auth import jwt_part
    assert jwt_part(r.json()["token"], 1)["access"][0]["actions"] == ["pull"]  # pull only, as granted
    assert not can_login(server, f"{name}:{secret}x")


def test_usage_errors_exit_non_zero(server):
    for args in (("bogus", "thing"), ("user",), ("robot", "create"), ("user", "add", "x", "--nope", "1")):
        out = server.admin(*args, check=False)
        assert out.returncode != 0, args
