"""Members, robot accounts, users and artifact times in the portal, in real headless Chromium: the parts of
issue 6 the story tests leave out. A member's role is changed and a member removed (after a confirmation), and
the registry then treats that user accordingly. Robots get an expiry and a push permission, and their secrets
are checked against /v2. The system robot accounts page lists and deletes system robots only. The users list
sorts on the server. An artifact row shows its push time and, after a pull, its pull time."""
from __future__ import annotations

import time
import uuid

import pytest
import requests

from api_client import push_blob, push_manifest
from browser import browser, click, dialog_input, filter_table, shot, sign_in, wait_for  # noqa: F401 (browser is a fixture)
from conftest import wait_until
from oci_layout import MANIFEST, random_files, tar_gz

pytestmark = pytest.mark.berth_only
PASSWORD = "Members-Passw0rd"


def api(registry, method, path, auth=None, **kw):
    return requests.request(method, f"{registry.url}/api/v2.0{path}", auth=auth or registry.auth, timeout=30, **kw)


def new_project(registry, prefix: str) -> tuple[str, int]:
    name = f"{prefix}-{uuid.uuid4().hex[:6]}"
    assert api(registry, "POST", "/projects", json={"project_name": name}).status_code == 201
    return name, api(registry, "GET", f"/projects/{name}").json()["project_id"]


def signed_in(driver, registry):
    """Signs in as admin unless this browser's session already is."""
    driver.get(f"{registry.url}/harbor/projects")
    first = wait_for(driver, "#login-username, #user-link")
    if first.get_attribute("id") == "login-username":
        sign_in(driver, registry.url, "admin", registry.admin_password)


def members(registry, pid: int) -> dict[str, int]:
    return {m["entity_name"]: m["role_id"] for m in api(registry, "GET", f"/projects/{pid}/members").json()}


def can_push(registry, repo: str, auth) -> int:
    """The status of starting a blob upload with Basic credentials (202 when push is allowed)."""
    return requests.post(f"{registry.url}/v2/{repo}/blobs/uploads/", auth=auth, timeout=30).status_code


def test_change_a_members_role_and_remove_the_member(browser, registry):
    name, pid = new_project(registry, "members")
    user = f"{name}-dev"
    assert api(registry, "POST", "/users", json={"username": user, "password": PASSWORD,
                                                 "email": f"{user}@example.test"}).status_code == 201
    assert api(registry, "POST", f"/projects/{pid}/members",
               json={"role_id": 3, "member_user": {"username": user}}).status_code == 201
    assert can_push(registry, f"{name}/app", (user, PASSWORD)) in (401, 403)  # a guest may not push
    driver = browser
    signed_in(driver, registry)
    driver.get(f"{registry.url}/harbor/projects/{pid}/members")

    from selenium.webdriver.support.ui import Select
    role = Select(wait_for(driver, f"select[aria-label='Role of {user}']"))
    assert role.first_selected_option.text == "Guest"
    role.select_by_visible_text("Developer")
    wait_for(driver, ".toast", f"{user} is now Developer")
    assert members(registry, pid)[user] == 2
    assert can_push(registry, f"{name}/app", (user, PASSWORD)) == 202  # the registry follows the new role
    driver.refresh()
    assert Select(wait_for(driver, f"select[aria-label='Role of {user}']")).first_selected_option.text == "Developer"
    shot(driver, "members-role")

    # Removing asks first; cancelling keeps the member.
    click(driver, f"button[aria-label='Remove member {user}']")
    assert f"Remove {user} from {name}?" in wait_for(driver, "dialog[open]").text
    click(driver, "dialog[open] button[value=cancel]")
    time.sleep(0.3)
    assert user in members(registry, pid)
    click(driver, f"button[aria-label='Remove member {user}']")
    click(driver, "dialog[open] button[value=ok]")
    wait_until(lambda: (user not in (now := members(registry, pid)), now), 15, "the member to be removed")

    def row_gone(d):
        return not d.find_elements("css selector", f"select[aria-label='Role of {user}']")
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(driver, 15).until(row_gone, "the removed member's row stayed")
    # The project is private: its former member can no longer see it.
    assert api(registry, "GET", f"/projects/{name}", auth=(user, PASSWORD)).status_code in (403, 404)


def create_robot(driver, name: str, days: int, push: bool) -> tuple[str, str]:
    """Fills the robot dialog; returns the (full name, secret) the one-time dialog shows, and closes it."""
    dialog_input(driver, "Name").send_keys(name)
    days_input = dialog_input(driver, "Expires after")
    days_input.clear()
    days_input.send_keys(str(days))
    if push:
        dialog_input(driver, "May push").click()
    click(driver, "dialog[open] button[value=ok]")
    secret = wait_for(driver, "#robot-secret code").text
    full_name = wait_for(driver, "#robot-created-name").text
    click(driver, "dialog[open] button[value=ok]")
    return full_name, secret


def test_project_robots_with_expiry_and_push_permission(browser, registry):
    name, pid = new_project(registry, "robots")
    driver = browser
    signed_in(driver, registry)
    driver.get(f"{registry.url}/harbor/projects/{pid}/robots")
    click(driver, "#new-robot")
    pusher, pusher_secret = create_robot(driver, "pusher", 7, push=True)
    click(driver, "#new-robot")
    reader, reader_secret = create_robot(driver, "reader", -1, push=False)
    assert pusher == f"robot${name}+pusher" and reader == f"robot${name}+reader"

    robots = {r["name"]: r for r in api(registry, "GET", f"/robots?q=Level%3Dproject%2CProjectID%3D{pid}").json()}
    assert set(robots) == {pusher, reader}
    assert robots[pusher]["duration"] == 7 and robots[reader]["duration"] == -1
    assert abs(robots[pusher]["expires_at"] - (time.time() + 7 * 86400)) < 3600
    assert robots[reader]["expires_at"] == -1
    # The table shows the expiry date, or Never.
    expected_day = time.strftime("%Y", time.localtime(robots[pusher]["expires_at"]))
    assert expected_day in wait_for(driver, "berth-table tbody tr", pusher).text
    assert "Never" in wait_for(driver, "berth-table tbody tr", reader).text
    shot(driver, "robots-expiry")

    # The permissions the dialog set are the ones the registry enforces.
    assert can_push(registry, f"{name}/app", (pusher, pusher_secret)) == 202
    assert can_push(registry, f"{name}/app", (reader, reader_secret)) in (401, 403)
    assert requests.get(f"{registry.url}/v2/{name}/app/tags/list", auth=(reader, reader_secret), timeout=30).status_code in (200, 404)
    assert requests.get(f"{registry.url}/v2/{name}/app/tags/list", auth=(reader, "wrong-secret"), timeout=30).status_code == 401


def test_system_robot_accounts_page(browser, registry):
    project, pid = new_project(registry, "sysrobots")
    # A project robot made over the API must not show up among the system robots.
    created = api(registry, "POST", "/robots", json={"name": "projectonly", "level": "project", "duration": -1,
                  "permissions": [{"kind": "project", "namespace": project,
                                   "access": [{"resource": "repository", "action": "pull"}]}]})
    assert created.status_code == 201, created.text
    driver = browser
    signed_in(driver, registry)
    driver.get(f"{registry.url}/harbor/robots")
    wait_for(driver, "h1", "System robot accounts")
    robot = f"sys{uuid.uuid4().hex[:6]}"
    click(driver, "#new-system-robot")
    full_name, secret = create_robot(driver, robot, 30, push=True)
    assert full_name == f"robot${robot}"
    row = wait_for(driver, "berth-table tbody tr", full_name)
    assert "system" in row.text
    assert f"robot${project}+projectonly" not in driver.find_element("css selector", "berth-table tbody").text
    system = api(registry, "GET", "/robots?q=Level%3Dsystem&page_size=100").json()
    assert full_name in {r["name"] for r in system} and all(r["level"] == "system" for r in system)
    # A system robot reaches every project (namespace *): it may push to this one.
    assert can_push(registry, f"{project}/app", (full_name, secret)) == 202
    shot(driver, "system-robots")

    click(driver, f"button[aria-label='Delete robot {full_name}']")
    click(driver, "dialog[open] button[value=ok]")
    def deleted():
        names = {r["name"] for r in api(registry, "GET", "/robots?q=Level%3Dsystem&page_size=100").json()}
        return full_name not in names, names
    wait_until(deleted, 15, "the system robot to be deleted")
    assert can_push(registry, f"{project}/app", (full_name, secret)) == 401


def test_artifact_rows_show_push_and_pull_times(browser, registry):
    name, pid = new_project(registry, "times")
    repo = f"{name}/app"
    layer, _ = tar_gz(random_files("times", count=1, size=256))
    digest, _ = push_manifest(registry, repo, "1.0", [(push_blob(registry, repo, layer), len(layer))])
    artifact = api(registry, "GET", f"/projects/{name}/repositories/app/artifacts/{digest}").json()
    assert artifact["pull_time"].startswith("0001"), artifact["pull_time"]  # never pulled yet
    driver = browser
    signed_in(driver, registry)
    driver.get(f"{registry.url}/harbor/projects/{pid}/repositories/app")
    row = wait_for(driver, "berth-table tbody tr", "1.0")
    headers = [th.text.upper() for th in driver.find_elements("css selector", "berth-table thead th")]
    pushed = next(i for i, text in enumerate(headers) if text.startswith("PUSHED"))
    pulled = next(i for i, text in enumerate(headers) if text.startswith("PULLED"))
    pushed_cell = row.find_elements("css selector", "td")[pushed]
    pulled_cell = row.find_elements("css selector", "td")[pulled]
    assert time.strftime("%Y") in pushed_cell.text and pulled_cell.text == "—"

    # A pull (a manifest GET by tag, as docker pull does) sets the pull time.
    response = requests.get(f"{registry.url}/v2/{repo}/manifests/1.0", auth=registry.auth, timeout=30,
                            headers={"Accept": MANIFEST})
    assert response.status_code == 200
    def pull_recorded():
        pull_time = api(registry, "GET", f"/projects/{name}/repositories/app/artifacts/{digest}").json()["pull_time"]
        return not pull_time.startswith("0001"), pull_time
    wait_until(pull_recorded, 30, "the pull time to be recorded")
    driver.refresh()
    row = wait_for(driver, "berth-table tbody tr", "1.0")
    pulled_cell = row.find_elements("css selector", "td")[pulled]
    assert time.strftime("%Y") in pulled_cell.text, pulled_cell.text
    # Sorting by pull time is done on the server.
    click(driver, "berth-table th button[data-sort=pull_time]")
    wait_for(driver, "berth-table th[aria-sort=ascending] button[data-sort=pull_time]")


def test_users_sort_on_the_server(browser, registry):
    prefix = f"usort{uuid.uuid4().hex[:4]}"
    for name, email in (("b", "3"), ("c", "1"), ("a", "2")):
        assert api(registry, "POST", "/users", json={"username": f"{prefix}-{name}", "password": PASSWORD,
                                                     "email": f"{email}-{prefix}@example.test"}).status_code == 201

    def listed(sort: str) -> list[str]:
        r = api(registry, "GET", f"/users?q=username%3D~{prefix}&sort={sort}")
        assert r.status_code == 200, r.text
        return [u["username"].removeprefix(f"{prefix}-") for u in r.json()]
    assert listed("username") == ["a", "b", "c"]
    assert listed("-username") == ["c", "b", "a"]
    assert listed("email") == ["c", "a", "b"]
    # Created in the order b, c, a (ties within a second fall back to the id, in the same direction).
    assert listed("creation_time") == ["b", "c", "a"]
    assert listed("-creation_time") == ["a", "c", "b"]
    bad = api(registry, "GET", "/users?sort=password")
    assert bad.status_code == 400 and bad.json()["errors"][0]["code"] == "BAD_REQUEST"

    driver = browser
    signed_in(driver, registry)
    driver.get(f"{registry.url}/harbor/users")
    filter_table(driver, prefix)
    click(driver, "berth-table th button[data-sort=username]")
    wait_for(driver, "berth-table th[aria-sort=ascending] button[data-sort=username]")
    click(driver, "berth-table th button[data-sort=username]")

    def first_row_is_c(d):
        rows = d.find_elements("css selector", "berth-table tbody tr")
        return rows and f"{prefix}-c" in rows[0].text
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(driver, 15, ignored_exceptions=[StaleElementReferenceException]).until(
        first_row_is_c, "the users list did not sort by name descending")
