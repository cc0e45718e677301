"""Harbor's `/api/v2.0/configurations`: administrators read and change the project creation restriction,
read-only mode, the authentication mode and the OIDC settings at run time; others are refused; every change
is in the audit log."""
from __future__ import annotations

import socket
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from registry_server import RegistryServer

pytestmark = pytest.mark.berth_only


def test_configurations_change_behaviour_and_are_audited(tmp_path):
    server = RegistryServer(tmp_path / "data", kind="berth").start()
    api = f"{server.url}/api/v2.0"
    try:
        r = requests.post(f"{api}/users", auth=server.auth, timeout=30,
                          json={"username": "carol", "password": "Carol-Passw0rd", "email": "carol@example.com",
                                "realname": "Carol"})
        assert r.status_code == 201, r.text
        carol = ("carol", "Carol-Passw0rd")

        listing = requests.get(f"{api}/configurations", auth=server.auth, timeout=30).json()
        assert listing["project_creation_restriction"]["value"] == "everyone"
        assert listing["read_only"] == {"value": False, "editable": True}
        assert listing["auth_mode"]["value"] == "db_auth"
        assert requests.get(f"{api}/configurations", auth=carol, timeout=30).status_code == 403
        assert requests.put(f"{api}/configurations", auth=carol, json={"read_only": True}, timeout=30).status_code == 403
        assert requests.get(f"{api}/configurations", timeout=30).status_code == 401

        r = requests.post(f"{api}/projects", auth=carol, json={"project_name": "carols"}, timeout=30)
        assert r.status_code == 201, r.text
        r = requests.put(f"{api}/configurations", auth=server.auth, json={"project_creation_restriction": "adminonly"},
                         timeout=30)
        assert r.status_code == 200, r.text
        r = requests.post(f"{api}/projects", auth=carol, json={"project_name": "carols2"}, timeout=30)
        assert r.status_code == 403, r.text
        bad = requests.put(f"{api}/configurations", auth=server.auth, json={"project_creation_restriction": "nobody"},
                           timeout=30)
        assert bad.status_code == 400 and bad.json()["errors"][0]["code"] == "BAD_REQUEST"

        r = requests.put(f"{api}/configurations", auth=server.auth, json={"read_only": True}, timeout=30)
        assert r.status_code == 200, r.text
        push = requests.post(f"{server.url}/v2/carols/app/blobs/uploads/", auth=server.auth, timeout=30)
        assert push.status_code == 403
        assert push.json()["errors"][0]["message"] == "The system is in read only mode. Any modification is prohibited."
        assert requests.get(f"{server.url}/v2/_catalog", auth=server.auth, timeout=30).status_code == 200
        r = requests.put(f"{api}/configurations", auth=server.auth, json={"read_only": False}, timeout=30)
        assert r.status_code == 200, r.text
        push = requests.post(f"{server.url}/v2/carols/app/blobs/uploads/", auth=server.auth, timeout=30)
        assert push.status_code == 202, push.text

        # The audit writer flushes about once a second.
        import time
        deadline, entries = time.monotonic() + 10, []
        while time.monotonic() < deadline:
            logs = requests.get(f"{api}/audit-logs", auth=server.auth, params={"page_size": 100}, timeout=30).json()
            entries = [e for e in logs if e.get("resource_type") == "configuration"]
            if len(entries) >= 3:
                break
            time.sleep(0.5)
        assert {e["resource"] for e in entries} >= {"project_creation_restriction", "read_only"}
        assert all(e["username"] == "admin" for e in entries)
    finally:
        server.stop()


def _wait_for_audit(api: str, auth, resources: set[str]) -> set[str]:
    """The configuration resources in the audit log once they include `resources` (or after 10 s)."""
    import time
    deadline, found = time.monotonic() + 10, set()
    while time.monotonic() < deadline:
        logs = requests.get(f"{api}/audit-logs", auth=auth, params={"page_size": 100}, timeout=30).json()
        found = {e["resource"] for e in logs if e.get("resource_type") == "configuration"}
        if found >= resources:
            break
        time.sleep(0.5)
    return found


def test_oidc_switched_on_at_run_time(tmp_path, monkeypatch):
    """Berth starts without OIDC; an administrator switches single sign-on on through /configurations,
    a user logs in through the provider at once (no restart), and the settings survive a restart with the
    database winning over the configuration file. The client secret is never shown."""
    from oidc_provider import OIDCProvider

    provider = OIDCProvider().start()
    for key in [k for k in list(__import__("os").environ) if k.startswith("BERTH_OIDC_")]:
        monkeypatch.delenv(key)
    server = RegistryServer(tmp_path / "data", kind="berth")
    monkeypatch.setenv("BERTH_EXTERNAL_URL", server.url)
    server.start()
    api = f"{server.url}/api/v2.0"
    secret = "Conf-E2E-Client-Secret-7f3a"
    try:
        info = requests.get(f"{api}/systeminfo", timeout=30).json()
        assert info["auth_mode"] == "db_auth" and "oidc_provider_name" not in info
        assert requests.get(f"{server.url}/c/oidc/login", allow_redirects=False, timeout=30).status_code == 404
        r = requests.post(f"{api}/users", auth=server.auth, timeout=30,
                          json={"username": "carol", "password": "Carol-Passw0rd", "email": "carol@example.com",
                                "realname": "Carol"})
        assert r.status_code == 201, r.text
        carol = ("carol", "Carol-Passw0rd")
        listing = requests.get(f"{api}/configurations", auth=server.auth, timeout=30).json()
        assert listing["auth_mode"] == {"value": "db_auth", "editable": True}
        assert listing["oidc_verify_cert"] == {"value": True, "editable": False}

        settings = {"auth_mode": "oidc_auth", "oidc_name": "Mock IdP", "oidc_endpoint": provider.issuer,
                    "oidc_client_id": "berth-conf", "oidc_client_secret": secret, "oidc_scope": "openid,profile,email",
                    "oidc_user_claim": "preferred_username", "oidc_groups_claim": "groups",
                    "oidc_admin_group": "conf-admins"}
        assert requests.put(f"{api}/configurations", auth=carol, json=settings, timeout=30).status_code == 403
        assert requests.get(f"{api}/configurations", auth=carol, timeout=30).status_code == 403
        for bad in ({"auth_mode": "ldap_auth"}, {"auth_mode": "oidc_auth"}, {"auth_mode": "nis"},
                    {**settings, "oidc_endpoint": "ftp://idp.test"}, {**settings, "oidc_verify_cert": False}):
            r = requests.put(f"{api}/configurations", auth=server.auth, json=bad, timeout=30)
            assert r.status_code == 400, (bad, r.text)
            assert secret not in r.text
        # ldap_auth needs a directory first (test_ldap.py switches to it with one).
        assert "ldap_url" in requests.put(f"{api}/configurations", auth=server.auth, json={"auth_mode": "ldap_auth"},
                                          timeout=30).json()["errors"][0]["message"]
        assert requests.get(f"{api}/systeminfo", timeout=30).json()["auth_mode"] == "db_auth", "refusals change nothing"

        r = requests.put(f"{api}/configurations", auth=server.auth, json=settings, timeout=30)
        assert r.status_code == 200, r.text
        r = requests.get(f"{api}/configurations", auth=server.auth, timeout=30)
        listing = r.json()
        assert secret not in r.text and "oidc_client_secret" not in listing
        assert listing["auth_mode"]["value"] == "oidc_auth"
        assert listing["oidc_endpoint"]["value"] == provider.issuer
        assert listing["oidc_client_id"]["value"] == "berth-conf"
        assert listing["oidc_admin_group"]["value"] == "conf-admins"
        info = requests.get(f"{api}/systeminfo", timeout=30).json()
        assert info["auth_mode"] == "oidc_auth" and info["oidc_provider_name"] == "Mock IdP"

        # The login flow works at once, with the settings just stored (admin group included).
        provider.set_user("u-erin-1", {"preferred_username": "erin", "groups": ["conf-admins"]})
        s = requests.Session()
        r = s.get(f"{server.url}/c/oidc/login", params={"redirect_url": "/api/v2.0/users/current"}, timeout=30)
        assert r.status_code == 200 and r.url.startswith(provider.issuer + "/oauth2/authorize"), (r.status_code, r.url)
        assert parse_qs(urlparse(r.url).query)["client_id"] == ["berth-conf"]
        r = s.post(r.url, data={"sub": "u-erin-1"}, timeout=30)
        assert r.status_code == 200 and r.url == f"{api}/users/current", (r.status_code, r.url, r.text[:300])
        me = r.json()
        assert me["username"] == "erin" and me["sysadmin_flag"] is True
        cli_secret = me["oidc_user_meta"]["secret"]
        assert requests.get(f"{server.url}/v2/", auth=("erin", cli_secret), timeout=30).status_code == 200

        # A new client id applies to the next login without a restart.
        r = requests.put(f"{api}/configurations", auth=server.auth, json={"oidc_client_id": "berth-conf-2"}, timeout=30)
        assert r.status_code == 200, r.text
        r = requests.get(f"{server.url}/c/oidc/login", allow_redirects=False, timeout=30)
        assert parse_qs(urlparse(r.headers["Location"]).query)["client_id"] == ["berth-conf-2"]

        # An unreachable provider leaves the local admin able to sign in.
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
        r = requests.put(f"{api}/configurations", auth=server.auth, json={"oidc_endpoint": dead}, timeout=30)
        assert r.status_code == 200, r.text
        assert requests.get(f"{server.url}/c/oidc/login", allow_redirects=False, timeout=30).status_code == 503
        local = requests.Session()
        r = local.post(f"{server.url}/c/login", data={"principal": "admin", "password": server.admin_password},
                       timeout=30)
        assert r.status_code == 200, r.text
        assert local.get(f"{api}/users/current", timeout=30).json()["username"] == "admin"

        # The database wins over the configuration (environment) after a restart.
        server.stop()
        monkeypatch.setenv("BERTH_OIDC_ENDPOINT", provider.issuer)
        monkeypatch.setenv("BERTH_OIDC_CLIENT_ID", "from-environment")
        monkeypatch.setenv("BERTH_OIDC_NAME", "Env IdP")
        server.start()
        info = requests.get(f"{api}/systeminfo", timeout=30).json()
        assert info["auth_mode"] == "oidc_auth" and info["oidc_provider_name"] == "Mock IdP"
        listing = requests.get(f"{api}/configurations", auth=server.auth, timeout=30).json()
        assert listing["oidc_endpoint"]["value"] == dead and listing["oidc_client_id"]["value"] == "berth-conf-2"

        # Back to local accounts: the CLI secret stops being a password, SSO login is off.
        r = requests.put(f"{api}/configurations", auth=server.auth, json={"auth_mode": "db_auth"}, timeout=30)
        assert r.status_code == 200, r.text
        assert requests.get(f"{api}/systeminfo", timeout=30).json()["auth_mode"] == "db_auth"
        assert requests.get(f"{server.url}/v2/", auth=("erin", cli_secret), timeout=30).status_code == 401
        assert requests.get(f"{server.url}/c/oidc/login", allow_redirects=False, timeout=30).status_code == 404

        found = _wait_for_audit(api, server.auth, {"auth_mode", "oidc_endpoint", "oidc_client_secret"})
        assert found >= {"auth_mode", "oidc_name", "oidc_endpoint", "oidc_client_id", "oidc_client_secret",
                         "oidc_admin_group"}
    finally:
        server.stop()
        provider.stop()


def test_session_timeout_and_token_expiration(tmp_path):
    """Harbor's `session_timeout` and `token_expiration` (minutes): listed, changed, range-checked, applied to
    the next session cookie and registry token, and audited."""
    server = RegistryServer(tmp_path / "data", kind="berth").start()
    api = f"{server.url}/api/v2.0"
    try:
        listing = requests.get(f"{api}/configurations", auth=server.auth, timeout=30).json()
        assert listing["session_timeout"] == {"value": 30, "editable": True}
        assert listing["token_expiration"] == {"value": 30, "editable": True}
        token = requests.get(f"{server.url}/service/token", params={"scope": "repository:library/a:pull"},
                             auth=server.auth, timeout=30).json()
        assert token["expires_in"] == 1800

        for bad in ({"session_timeout": 0}, {"token_expiration": 1441}, {"token_expiration": -5},
                    {"session_timeout": 10081, "project_creation_restriction": "adminonly"}):
            r = requests.put(f"{api}/configurations", auth=server.auth, json=bad, timeout=30)
            assert r.status_code == 400 and r.json()["errors"][0]["code"] == "BAD_REQUEST", (bad, r.text)
            assert "minutes" in r.json()["errors"][0]["message"]
        # Refused as a whole: the restriction sent with a bad timeout did not change either.
        listing = requests.get(f"{api}/configurations", auth=server.auth, timeout=30).json()
        assert listing["project_creation_restriction"]["value"] == "everyone"
        assert listing["session_timeout"]["value"] == 30

        r = requests.put(f"{api}/configurations", auth=server.auth, json={"session_timeout": 2, "token_expiration": 5},
                         timeout=30)
        assert r.status_code == 200, r.text
        listing = requests.get(f"{api}/configurations", auth=server.auth, timeout=30).json()
        assert listing["session_timeout"]["value"] == 2 and listing["token_expiration"]["value"] == 5
        token = requests.get(f"{server.url}/service/token", params={"scope": "repository:library/a:pull"},
                             auth=server.auth, timeout=30).json()
        assert token["expires_in"] == 300
        login = requests.post(f"{server.url}/c/login", data={"principal": "admin", "password": server.admin_password},
                              timeout=30)
        assert login.status_code == 200, login.text
        cookie = next(c for c in login.raw.headers.getlist("Set-Cookie") if c.startswith("sid="))
        assert "Max-Age=120" in cookie, cookie

        # Only administrators may change them.
        r = requests.post(f"{api}/users", auth=server.auth, timeout=30,
                          json={"username": "dave", "password": "Dave-Passw0rd", "email": "dave@example.com"})
        assert r.status_code == 201, r.text
        r = requests.put(f"{api}/configurations", auth=("dave", "Dave-Passw0rd"), json={"token_expiration": 60},
                         timeout=30)
        assert r.status_code == 403

        # The change survives a restart (it lives in the database) and is in the audit log.
        server.stop()
        server.start()
        token = requests.get(f"{server.url}/service/token", params={"scope": "repository:library/a:pull"},
                             auth=server.auth, timeout=30).json()
        assert token["expires_in"] == 300
        import time
        deadline, resources = time.monotonic() + 10, set()
        while time.monotonic() < deadline and not {"session_timeout", "token_expiration"} <= resources:
            logs = requests.get(f"{api}/audit-logs", params={"q": "resource_type=configuration", "page_size": 100},
                                auth=server.auth, timeout=30).json()
            resources = {entry["resource"] for entry in logs}
            time.sleep(0.5)
        assert {"session_timeout", "token_expiration"} <= resources, resources
    finally:
        server.stop()
