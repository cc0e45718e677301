"""LDAP authentication (`auth_mode=ldap_auth`) against a real OpenLDAP slapd started by the test.

An administrator switches Berth to LDAP through Harbor's /api/v2.0/configurations. A directory user then
logs in to the portal and with podman/skopeo (their directory password is the registry password), is
onboarded on first login, and becomes a system administrator through the admin group. Wrong, empty and
filter-injecting passwords or names are refused; a directory entry cannot take over a local account; the
directory's password changes and a stopped directory are followed. Harbor's /ldap/ping, /ldap/users/search
and /ldap/users/import work for administrators only."""
from __future__ import annotations

import io
import tarfile

import pytest
import requests

from browser import browser, click, shot, sign_in, wait_for  # noqa: F401 (browser is a fixture)
from conftest import require_tools, run
from ldap_server import ldap  # noqa: F401 (a fixture)
from registry_server import RegistryServer

pytestmark = pytest.mark.berth_only
API = "/api/v2.0"
ALICE = ("alice", "Alice-Dir-Passw0rd")
BOB = ("bob", "Bob-Dir-Passw0rd")


@pytest.fixture(scope="module")
def directory(ldap):  # noqa: F811
    """alice and bob in the directory, bob in the admins group; an entry named `admin` too."""
    ldap.add_user("alice", ALICE[1], mail="alice@corp.test", cn="Alice Liddell")
    bob_dn = ldap.add_user("bob", BOB[1], mail="bob@corp.test", cn="Bob Builder")
    ldap.add_user("carol", "Carol-Dir-Passw0rd")
    ldap.add_user("admin", "Directory-Admin-Passw0rd")
    ldap.add_group("registry-admins", [bob_dn])
    return ldap


@pytest.fixture(scope="module")
def berth(directory, tmp_path_factory):
    server = RegistryServer(tmp_path_factory.mktemp("ldap") / "data", kind="berth").start()
    settings = ldap_settings(directory)
    r = requests.put(f"{server.url}{API}/configurations", auth=server.auth, json=settings, timeout=30)
    assert r.status_code == 200, r.text
    yield server
    server.stop()


def ldap_settings(directory) -> dict:
    return {"auth_mode": "ldap_auth", "ldap_url": directory.url, "ldap_search_dn": directory.admin_dn,
            "ldap_search_password": directory.admin_password, "ldap_base_dn": directory.people_dn,
            "ldap_filter": "(objectClass=inetOrgPerson)", "ldap_uid": "uid", "ldap_scope": 2,
            "ldap_group_admin_dn": directory.group_dn("registry-admins"),
            "ldap_group_membership_attribute": "memberOf"}


def api(server, method, path, auth, **kw):
    return requests.request(method, f"{server.url}{API}{path}", auth=auth, timeout=30, **kw)


def test_settings_are_listed_without_the_password(berth, directory):
    listed = api(berth, "GET", "/configurations", berth.auth)
    body = listed.json()
    assert body["auth_mode"]["value"] == "ldap_auth"
    assert body["ldap_url"]["value"] == directory.url and body["ldap_base_dn"]["value"] == directory.people_dn
    assert body["ldap_scope"]["value"] == 2 and body["ldap_uid"]["value"] == "uid"
    assert directory.admin_password not in listed.text and "ldap_search_password" not in body
    assert requests.get(f"{berth.url}{API}/systeminfo", timeout=30).json()["auth_mode"] == "ldap_auth"
    # Bad values are refused in words, and change nothing.
    for bad in ({"ldap_scope": 3}, {"ldap_uid": "uid)(cn=*"}, {"ldap_url": "http://127.0.0.1:1"},
                {"ldap_filter": "(objectClass=person"}, {"ldap_base_dn": ""}):
        r = api(berth, "PUT", "/configurations", berth.auth, json=bad)
        assert r.status_code == 400 and r.json()["errors"][0]["code"] == "BAD_REQUEST", (bad, r.text)
    assert api(berth, "GET", "/configurations", berth.auth).json()["ldap_base_dn"]["value"] == directory.people_dn


def test_portal_login_onboards_the_directory_user(berth):
    session = requests.Session()
    r = session.post(f"{berth.url}/c/login", data={"principal": ALICE[0], "password": ALICE[1]}, timeout=30)
    assert r.status_code == 200, r.text
    me = session.get(f"{berth.url}{API}/users/current", timeout=30).json()
    assert me["username"] == "alice" and me["email"] == "alice@corp.test" and me["realname"] == "Alice Liddell"
    assert me["sysadmin_flag"] is False
    users = api(berth, "GET", "/users?q=username%3Dalice", berth.auth).json()
    assert [u["username"] for u in users] == ["alice"]
    # The onboarding is in the audit log (the writer flushes about once a second).
    import time
    deadline, created = time.monotonic() + 10, []
    while not created and time.monotonic() < deadline:
        logs = api(berth, "GET", "/audit-logs?q=resource_type%3Duser&page_size=100", berth.auth).json()
        created = [e for e in logs if e["resource"] == "alice" and e["operation"] == "create"]
        time.sleep(0.3)
    assert len(created) == 1 and created[0]["username"] == "alice", created
    # Wrong, empty and wildcard credentials are refused; so is a name that tries filter injection.
    for principal, password in (("alice", "wrong"), ("alice", ""), ("*", ALICE[1]), ("alice)(uid=*", ALICE[1]),
                                ("nobody", "Whatever-1")):
        r = requests.post(f"{berth.url}/c/login", data={"principal": principal, "password": password}, timeout=30)
        assert r.status_code == 401, (principal, r.status_code, r.text)


def test_admin_group_members_become_system_administrators(berth):
    assert api(berth, "GET", "/users/current", BOB).json()["sysadmin_flag"] is True
    assert api(berth, "GET", "/users", BOB).status_code == 200  # an admin-only route
    assert api(berth, "GET", "/users", ALICE).status_code == 403


def test_a_directory_entry_cannot_take_over_a_local_account(berth):
    # The directory has an `admin` entry with its own password: it must not log in as Berth's admin.
    assert api(berth, "GET", "/users/current", ("admin", "Directory-Admin-Passw0rd")).status_code == 401
    # The local admin keeps working in ldap_auth mode.
    assert api(berth, "GET", "/users/current", berth.auth).json()["username"] == "admin"


def test_podman_and_skopeo_log_in_with_the_directory_password(berth, short_tmp):
    require_tools("podman", "skopeo")
    assert api(berth, "POST", "/projects", berth.auth, json={"project_name": "ldapteam"}).status_code == 201
    api(berth, "GET", "/users/current", ALICE)  # onboarded (if not yet)
    r = api(berth, "POST", "/projects/ldapteam/members", berth.auth,
            json={"role_id": 2, "member_user": {"username": "alice"}})
    assert r.status_code == 201, r.text
    image = short_tmp / "img.tar"
    with tarfile.open(image, "w") as tar:
        data = b"hello from ldap\n"
        info = tarfile.TarInfo("hello.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    ref = f"{berth.host}/ldapteam/app:1"
    podman = ["podman", "--root", str(short_tmp / "root"), "--runroot", str(short_tmp / "run"),
              "--storage-driver", "vfs", "--events-backend", "none", "--cgroup-manager", "cgroupfs",
              "--tmpdir", str(short_tmp / "tmp")]
    authfile = str(short_tmp / "auth.json")
    run(podman + ["import", str(image), ref])
    run(podman + ["login", "--tls-verify=false", "--authfile", authfile, "-u", ALICE[0], "--password-stdin", berth.host],
        input=ALICE[1])
    digest_file = short_tmp / "digest"
    run(podman + ["push", "--tls-verify=false", "--authfile", authfile, "--digestfile", str(digest_file), ref], timeout=300)
    digest = digest_file.read_text().strip()
    raw = run(["skopeo", "inspect", "--tls-verify=false", f"--creds={ALICE[0]}:{ALICE[1]}", f"docker://{ref}"])
    assert digest in raw.stdout
    wrong = run(["skopeo", "inspect", "--tls-verify=false", f"--creds={ALICE[0]}:not-her-password", f"docker://{ref}"],
                check=False)
    assert wrong.returncode != 0
    # carol is in the directory but not a member of the private project: logged in, yet denied.
    denied = run(["skopeo", "inspect", "--tls-verify=false", "--creds=carol:Carol-Dir-Passw0rd", f"docker://{ref}"],
                 check=False)
    assert denied.returncode != 0


def test_ping_search_and_import_are_for_administrators(berth, directory):
    ok = api(berth, "POST", "/ldap/ping", berth.auth)
    assert ok.status_code == 200 and ok.json()["success"] is True, ok.text
    wrong = api(berth, "POST", "/ldap/ping", berth.auth, json={"ldap_search_password": "wrong-password"})
    assert wrong.json()["success"] is False and "search DN" in wrong.json()["message"]
    down = api(berth, "POST", "/ldap/ping", berth.auth, json={"ldap_url": "ldap://127.0.0.1:9", "ldap_connection_timeout": 2})
    assert down.json()["success"] is False and "unavailable" in down.json()["message"], down.text
    nowhere = api(berth, "POST", "/ldap/ping", berth.auth, json={"ldap_base_dn": "ou=nowhere,dc=berth,dc=test"})
    assert nowhere.json()["success"] is False and "does not exist" in nowhere.json()["message"], nowhere.text
    assert api(berth, "POST", "/ldap/ping", ALICE).status_code == 403
    assert api(berth, "POST", "/ldap/ping", None).status_code == 401

    found = api(berth, "GET", "/ldap/users/search?username=car", berth.auth)
    assert found.status_code == 200 and [u["username"] for u in found.json()] == ["carol"], found.text
    everyone = {u["username"] for u in api(berth, "GET", "/ldap/users/search", berth.auth).json()}
    assert {"alice", "bob", "carol", "admin"} <= everyone
    assert api(berth, "GET", "/ldap/users/search?username=a", ALICE).status_code == 403

    directory.add_user("dave", "Dave-Dir-Passw0rd", mail="dave@corp.test")
    imported = api(berth, "POST", "/ldap/users/import", berth.auth, json={"ldap_uid_list": ["dave", "ghost"]})
    assert imported.status_code == 404 and imported.json() == [{"uid": "ghost", "error": "not found in the directory"}]
    dave = api(berth, "GET", "/users?q=username%3Ddave", berth.auth).json()
    assert [u["email"] for u in dave] == ["dave@corp.test"]
    assert api(berth, "POST", "/ldap/users/import", ALICE, json={"ldap_uid_list": ["carol"]}).status_code == 403


def test_adding_a_directory_user_as_member_onboards_them(berth, directory):
    directory.add_user("frank", "Frank-Dir-Passw0rd", mail="frank@corp.test")
    assert api(berth, "GET", "/users?q=username%3Dfrank", berth.auth).json() == []  # never logged in
    assert api(berth, "POST", "/projects", berth.auth, json={"project_name": "ldapmembers"}).status_code == 201
    r = api(berth, "POST", "/projects/ldapmembers/members", berth.auth,
            json={"role_id": 3, "member_user": {"username": "frank"}})
    assert r.status_code == 201, r.text
    members = api(berth, "GET", "/projects/ldapmembers/members", berth.auth).json()
    assert {m["entity_name"]: m["role_id"] for m in members}.get("frank") == 3
    assert [u["email"] for u in api(berth, "GET", "/users?q=username%3Dfrank", berth.auth).json()] == ["frank@corp.test"]
    # A name in neither Berth nor the directory is still a 404.
    r = api(berth, "POST", "/projects/ldapmembers/members", berth.auth, json={"role_id": 3, "member_user": {"username": "ghost"}})
    assert r.status_code == 404, r.text


def test_portal_configuration_and_sign_in(browser, berth, directory):
    from selenium.webdriver.support.ui import Select
    driver = browser
    sign_in(driver, berth.url, "admin", berth.admin_password)
    driver.get(f"{berth.url}/harbor/configuration")
    assert Select(wait_for(driver, "#config-auth_mode")).first_selected_option.get_attribute("value") == "ldap_auth"
    assert wait_for(driver, "#config-ldap_url").get_attribute("value") == directory.url
    assert not driver.find_element("id", "config-oidc").is_displayed()
    assert driver.find_element("id", "config-ldap_search_password").get_attribute("value") == ""
    click(driver, "#ldap-ping")
    wait_for(driver, "#ldap-ping-result", "Connection works")
    driver.find_element("id", "config-ldap_search_password").send_keys("not-the-password")
    click(driver, "#ldap-ping")
    wait_for(driver, "#ldap-ping-result", "Connection failed")
    shot(driver, "admin-configuration-ldap")
    # Nothing was saved by testing: the stored password still works.
    assert api(berth, "POST", "/ldap/ping", berth.auth).json()["success"] is True
    # The LDAP settings fit a phone screen.
    driver.set_window_size(390, 844)
    try:
        driver.get(f"{berth.url}/harbor/configuration")
        wait_for(driver, "#config-ldap_url")
        overflow = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
        assert overflow[0] <= overflow[1], overflow
    finally:
        driver.set_window_size(1280, 860)
    click(driver, "#logout")
    sign_in(driver, berth.url, ALICE[0], ALICE[1])
    assert wait_for(driver, "#user-link").text == "alice"


def test_ldaps_with_and_without_certificate_verification(berth, directory):
    # The test directory's certificate is self-signed: verification must refuse it...
    strict = api(berth, "POST", "/ldap/ping", berth.auth, json={"ldap_url": directory.ldaps_url, "ldap_verify_cert": True})
    assert strict.status_code == 200 and strict.json()["success"] is False, strict.text
    # ...and turning it off connects over TLS.
    lax = api(berth, "POST", "/ldap/ping", berth.auth, json={"ldap_url": directory.ldaps_url, "ldap_verify_cert": False})
    assert lax.json()["success"] is True, lax.text
    r = api(berth, "PUT", "/configurations", berth.auth, json={"ldap_url": directory.ldaps_url, "ldap_verify_cert": False})
    assert r.status_code == 200, r.text
    try:
        assert api(berth, "GET", "/users/current", ("carol", "Carol-Dir-Passw0rd")).json()["username"] == "carol"
        r = api(berth, "PUT", "/configurations", berth.auth, json={"ldap_verify_cert": True})
        assert r.status_code == 200, r.text
        assert api(berth, "GET", "/users/current", ("carol", "Carol-Dir-Passw0rd")).status_code == 401
    finally:
        r = api(berth, "PUT", "/configurations", berth.auth, json={"ldap_url": directory.url, "ldap_verify_cert": True})
        assert r.status_code == 200, r.text


def test_password_changes_and_an_unreachable_directory(berth, directory, tmp_path):
    directory.add_user("erin", "Erin-Old-Passw0rd")
    assert api(berth, "GET", "/users/current", ("erin", "Erin-Old-Passw0rd")).status_code == 200
    directory.set_password("erin", "Erin-New-Passw0rd")
    assert api(berth, "GET", "/users/current", ("erin", "Erin-New-Passw0rd")).status_code == 200
    # A directory that cannot be reached is a refused login, not an error or an open door.
    r = api(berth, "PUT", "/configurations", berth.auth, json={"ldap_url": "ldap://127.0.0.1:9", "ldap_timeout": 2})
    assert r.status_code == 200, r.text
    try:
        assert api(berth, "GET", "/users/current", ("carol", "Carol-Dir-Passw0rd")).status_code == 401
        assert api(berth, "GET", "/users/current", berth.auth).status_code == 200  # local admin unaffected
    finally:
        r = api(berth, "PUT", "/configurations", berth.auth, json={"ldap_url": directory.url, "ldap_timeout": 5})
        assert r.status_code == 200, r.text
    # Back to database authentication: directory passwords no longer log in.
    r = api(berth, "PUT", "/configurations", berth.auth, json={"auth_mode": "db_auth"})
    assert r.status_code == 200, r.text
    assert api(berth, "GET", "/users/current", ("carol", "Carol-Dir-Passw0rd")).status_code == 401
    r = api(berth, "PUT", "/configurations", berth.auth, json={"auth_mode": "ldap_auth"})
    assert r.status_code == 200, r.text
