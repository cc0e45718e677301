"""Identity in a cluster: three Berth nodes on one PostgreSQL (and S3) share the admin, users, projects
and browser sessions, because identity lives in the shared metadata database, not on a node."""
from __future__ import annotations

import secrets

import pytest
import requests

from test_cluster import AUTH, cluster, monkeypatch_module  # noqa: F401  (module-scoped fixtures)

pytestmark = pytest.mark.berth_only


def login(node, username: str, password: str) -> tuple[requests.Session, str]:
    """Logs in through the browser flow on `node`; returns the cookie jar and the CSRF token."""
    session = requests.Session()
    r = session.post(f"{node.url}/c/login", data={"principal": username, "password": password}, timeout=30)
    assert r.status_code == 200, r.text
    return session, r.headers["X-Harbor-CSRF-Token"]


def with_cookies_for(session: requests.Session, node) -> dict:
    """The session's cookies as a header for another node (cookies are bound to host and port)."""
    return {"Cookie": "; ".join(f"{c.name}={c.value}" for c in session.cookies)}


def test_admin_exists_once_and_every_node_accepts_it(cluster):  # noqa: F811
    ids = set()
    for node in cluster:
        r = requests.get(f"{node.url}/api/v2.0/users/current", auth=AUTH, timeout=30)
        assert r.status_code == 200, r.text
        ids.add(r.json()["user_id"])
        assert requests.get(f"{node.url}/v2/", auth=AUTH, timeout=30).status_code == 200
    assert len(ids) == 1
    users = requests.get(f"{cluster[1].url}/api/v2.0/users", auth=AUTH, params={"username": "admin"}, timeout=30)
    assert users.status_code == 200 and [u["username"] for u in users.json()] == ["admin"]


def test_a_browser_session_opened_on_one_node_works_on_the_others(cluster):  # noqa: F811
    browser, csrf = login(cluster[0], *AUTH)
    cookies = with_cookies_for(browser, cluster[0])
    for node in cluster[1:]:
        r = requests.get(f"{node.url}/api/v2.0/users/current", headers=cookies, timeout=30)
        assert r.status_code == 200 and r.json()["username"] == "admin", r.text
    # A write with the session and its CSRF token on node 2, seen by node 0.
    name = "sess-" + secrets.token_hex(4)
    r = requests.post(f"{cluster[2].url}/api/v2.0/projects", headers={**cookies, "X-Harbor-CSRF-Token": csrf},
                      json={"project_name": name, "metadata": {"public": "false"}}, timeout=30)
    assert r.status_code == 201, r.text
    assert requests.head(f"{cluster[0].url}/api/v2.0/projects", params={"project_name": name}, auth=AUTH,
                         timeout=30).status_code == 200
    # Without the CSRF token the same session may not write, on any node.
    r = requests.post(f"{cluster[1].url}/api/v2.0/projects", headers=cookies,
                      json={"project_name": name + "-x"}, timeout=30)
    assert r.status_code in (401, 403), r.text
    # Logging out on node 1 ends the session everywhere.
    r = requests.get(f"{cluster[1].url}/c/log_out", headers=cookies, timeout=30)
    assert r.status_code == 200, r.text
    for node in cluster:
        r = requests.get(f"{node.url}/api/v2.0/users/current", headers=cookies, timeout=30)
        assert r.status_code == 401, r.text


def test_a_user_created_on_one_node_logs_in_on_another(cluster):  # noqa: F811
    username = "u" + secrets.token_hex(4)
    password = "Passw0rd-" + secrets.token_hex(4)
    r = requests.post(f"{cluster[0].url}/api/v2.0/users", auth=AUTH, timeout=30, json={
        "username": username, "password": password, "email": f"{username}@example.test", "realname": username})
    assert r.status_code == 201, r.text
    assert requests.get(f"{cluster[2].url}/v2/", auth=(username, password), timeout=30).status_code == 200
    browser, _ = login(cluster[1], username, password)
    r = requests.get(f"{cluster[2].url}/api/v2.0/users/current", headers=with_cookies_for(browser, cluster[1]),
                     timeout=30)
    assert r.status_code == 200 and r.json()["username"] == username, r.text
    assert requests.get(f"{cluster[0].url}/v2/", auth=(username, "wrong-" + password), timeout=30).status_code == 401
