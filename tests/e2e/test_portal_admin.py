"""The portal's administration and configuration pages in real headless Chromium.

Runs its own Berth (so the imported vulnerability database, the configuration changes and the scan-all
run do not touch the shared registry). Each change made in the UI is checked through the API:
the system CVE allowlist, project creation restriction, a project's pull gate, allowlist and quota;
the vulnerability database page shows an imported database; "Scan now" shows progress to completion;
a non-administrator sees no Administration menu and a permission message; the phone layout has a menu
button and no horizontal overflow. Screenshots go to docs/screenshots/."""
from __future__ import annotations

import json
import time
import uuid

import pytest
import requests

from api_client import push_blob, push_manifest
from conftest import run
from oci_layout import tar_gz
from registry_server import RegistryServer, berth_binary
from test_portal import browser, click, dialog_input, filter_table, shot, sign_in, wait_for  # noqa: F401  (browser is a fixture)

pytestmark = pytest.mark.berth_only

DPKG_STATUS = """Package: zlib1g
Status: install ok installed
Version: 1:1.2.13.dfsg-1
Source: zlib
Architecture: amd64

Package: libc6
Status: install ok installed
Version: 2.36-9+deb12u4
Source: glibc
Architecture: amd64
"""
OS_RELEASE = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n'


def osv_feed() -> str:
    records = [
        {"id": "BERTH-ADMIN-0001", "aliases": ["CVE-2099-7001"], "summary": "zlib test advisory",
         "affected": [{"package": {"ecosystem": "Debian:12", "name": "zlib"},
                       "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1:1.2.13.dfsg-2"}]}]}],
         "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N"}]},
        {"id": "BERTH-ADMIN-0002", "aliases": ["CVE-2099-7002"], "summary": "glibc test advisory",
         "affected": [{"package": {"ecosystem": "Debian:12", "name": "glibc"},
                       "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.36-9+deb12u9"}]}]}]},
        {"id": "BERTH-ADMIN-0003", "summary": "a PyPI advisory",
         "affected": [{"package": {"ecosystem": "PyPI", "name": "berth-test"},
                       "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}]}]},
    ]
    return "\n".join(json.dumps(r) for r in records) + "\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A Berth of its own, with the admin signed in through the API helpers (curl uses its creds)."""
    s = RegistryServer(tmp_path_factory.mktemp("portal-admin") / "data", kind="berth").start()
    yield s
    s.stop()


def api(server, method, path, **kw):
    return requests.request(method, f"{server.url}/api/v2.0{path}", auth=server.auth, timeout=30, **kw)


def admin_session(driver, server):
    """Signs in as admin unless already signed in as admin in this browser."""
    driver.get(f"{server.url}/harbor/projects")
    element = wait_for(driver, "#login-username, #user-link")
    if element.get_attribute("id") == "user-link" and element.text == "admin":
        wait_for(driver, "h1", "Projects")
        return
    driver.delete_all_cookies()
    sign_in(driver, server, "admin", server.admin_password)


def route_exists(server, method, path) -> bool:
    return api(server, method, path, data=b"").status_code not in (404, 405)


def test_system_cve_allowlist(browser, server):
    driver = browser
    admin_session(driver, server)
    click(driver, "#nav-admin a", "Interrogation services")
    click(driver, ".tabs a", "CVE allowlist")
    wait_for(driver, "#system-cve-input").send_keys("CVE-2099-1111, cve-2099-2222")
    click(driver, "#system-cve-add")
    wait_for(driver, "#system-cve-items li", "CVE-2099-2222")
    # An invalid id is refused in words and not added.
    wait_for(driver, "#system-cve-input").send_keys("not-a-cve")
    click(driver, "#system-cve-add")
    wait_for(driver, ".allowlist-editor .error-box", "Not a CVE id")
    driver.find_element("id", "system-cve-input").clear()
    # Expires at the end of a day a year from now.
    driver.find_element("id", "system-cve-never").click()
    expiry = time.strftime("%Y-%m-%d", time.localtime(time.time() + 365 * 86400))
    driver.execute_script("arguments[0].value = arguments[1]", driver.find_element("id", "system-cve-expiry"), expiry)
    click(driver, "#system-cve-save")
    wait_for(driver, ".toast", "saved")
    body = api(server, "GET", "/system/CVEAllowlist").json()
    assert sorted(i["cve_id"] for i in body["items"]) == ["CVE-2099-1111", "CVE-2099-2222"]
    assert body["expires_at"] > time.time() + 364 * 86400
    # The page shows what is stored after a reload; removing an item is saved too.
    driver.refresh()
    click(driver, "#system-cve-items button[aria-label='Remove CVE-2099-1111']")
    click(driver, "#system-cve-save")
    wait_for(driver, ".toast", "saved")
    assert [i["cve_id"] for i in api(server, "GET", "/system/CVEAllowlist").json()["items"]] == ["CVE-2099-2222"]
    shot(driver, "admin-cve-allowlist")


def test_vulnerability_database_page(browser, server, tmp_path):
    driver = browser
    admin_session(driver, server)
    driver.get(f"{server.url}/harbor/interrogation/vulndb")
    wait_for(driver, "#vulndb-status", "No vulnerability database")
    feed = tmp_path / "admin.osv.jsonl"
    feed.write_text(osv_feed())
    run([str(berth_binary()), "vulndb", "import", "--data", str(server.data_dir), str(feed)])
    status = api(server, "GET", "/vulndb").json()
    assert status["records"] == 3, status
    driver.refresh()
    assert wait_for(driver, "#vulndb-records").text == "3"
    rows = {tr.text for tr in driver.find_elements("css selector", "#vulndb-ecosystems tbody tr")}
    assert any("Debian:12" in r and r.endswith("2") for r in rows), rows
    assert any("PyPI" in r and r.endswith("1") for r in rows), rows
    assert "just now" in wait_for(driver, "#vulndb-age").text or "minute" in driver.find_element("id", "vulndb-age").text
    shot(driver, "admin-vulndb")


def test_vulnerability_database_import_in_the_browser(browser, server, tmp_path):
    if not route_exists(server, "POST", "/vulndb/import?filename=probe.json"):
        pytest.skip("POST /api/v2.0/vulndb/import is not served by this build yet (helper vulndb2); UI built, test skipped")
    driver = browser
    admin_session(driver, server)
    driver.get(f"{server.url}/harbor/interrogation/vulndb")
    feed = tmp_path / "browser.osv.jsonl"
    extra = {"id": "BERTH-ADMIN-0100", "summary": "added in the browser",
             "affected": [{"package": {"ecosystem": "npm", "name": "berth-admin"},
                           "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.0.0"}]}]}]}
    feed.write_text(osv_feed() + json.dumps(extra) + "\n")
    wait_for(driver, "#vulndb-file")
    driver.find_element("id", "vulndb-file").send_keys(str(feed))
    click(driver, "#vulndb-import")
    wait_for(driver, "#vulndb-ecosystems tbody tr", "npm", timeout=60)
    assert api(server, "GET", "/vulndb").json()["ecosystems"].get("npm") == 1


def push_scannable_image(server, repo: str) -> str:
    layer, _ = tar_gz({"etc/os-release": OS_RELEASE.encode(), "var/lib/dpkg/status": DPKG_STATUS.encode()})
    digest = push_blob(server, repo, layer)
    manifest_digest, _ = push_manifest(server, repo, "v1", [(digest, len(layer))])
    return manifest_digest


def test_scan_all_now_shows_progress_to_completion(browser, server, tmp_path):
    if not route_exists(server, "GET", "/scans/all/metrics"):
        pytest.skip("GET /api/v2.0/scans/all/metrics is not served by this build yet (helper scanapi); UI built, test skipped")
    if api(server, "GET", "/vulndb").json().get("records", 0) == 0:
        feed = tmp_path / "scan.osv.jsonl"
        feed.write_text(osv_feed())
        run([str(berth_binary()), "vulndb", "import", "--data", str(server.data_dir), str(feed)])
    project = f"scanall-{uuid.uuid4().hex[:6]}"
    assert api(server, "POST", "/projects", json={"project_name": project}).status_code == 201
    digest = push_scannable_image(server, f"{project}/app")
    driver = browser
    admin_session(driver, server)
    driver.get(f"{server.url}/harbor/interrogation/scanall")
    click(driver, "#scan-all-now")
    status = wait_for(driver, "#scan-all-status", "Completed", timeout=120)
    progress = driver.find_element("id", "scan-all-progress")
    total = int(float(progress.get_attribute("max")))
    assert total >= 1 and int(float(progress.get_attribute("value"))) == total, status.text
    assert "Success" in driver.find_element("id", "scan-all-counts").text
    shot(driver, "admin-scan-all")
    # The image was really scanned: its report lists the zlib advisory.
    report = api(server, "GET", f"/projects/{project}/repositories/app/artifacts/{digest}/additions/vulnerabilities").json()
    ids = {v["id"] for v in next(iter(report.values()))["vulnerabilities"]}
    assert "CVE-2099-7001" in ids, ids
    # The schedule editor: Daily is stored with Harbor's cron.
    select = wait_for(driver, "#scan-all-schedule-type")
    from selenium.webdriver.support.ui import Select
    Select(select).select_by_value("Daily")
    click(driver, "#scan-all-save-schedule")
    wait_for(driver, ".toast", "Daily")
    schedule = api(server, "GET", "/system/scanAll/schedule").json()["schedule"]
    assert schedule["type"] == "Daily" and schedule["cron"] == "0 0 0 * * *", schedule
    # A cron the server refuses: its message is shown in words and the stored schedule is unchanged.
    Select(wait_for(driver, "#scan-all-schedule-type")).select_by_value("Custom")
    cron = driver.find_element("id", "scan-all-cron")
    cron.clear()
    cron.send_keys("99 99 99 * * *")
    click(driver, "#scan-all-save-schedule")
    error = wait_for(driver, ".toast.error")
    assert error.text and "Daily" not in error.text, error.text
    assert api(server, "GET", "/system/scanAll/schedule").json()["schedule"]["type"] == "Daily"


def test_project_creation_restriction(browser, server):
    from selenium.webdriver.support.ui import Select
    driver = browser
    admin_session(driver, server)
    click(driver, "#nav-admin a", "Configuration")
    Select(wait_for(driver, "#config-project_creation_restriction")).select_by_value("adminonly")
    click(driver, "#config-save")
    wait_for(driver, ".toast", "Configuration saved")
    assert api(server, "GET", "/configurations").json()["project_creation_restriction"]["value"] == "adminonly"
    shot(driver, "admin-configuration")
    driver.refresh()
    Select(wait_for(driver, "#config-project_creation_restriction")).select_by_value("everyone")
    click(driver, "#config-save")
    wait_for(driver, ".toast", "Configuration saved")
    assert api(server, "GET", "/configurations").json()["project_creation_restriction"]["value"] == "everyone"


def test_session_timeout_and_token_expiration(browser, server):
    driver = browser
    admin_session(driver, server)
    driver.get(f"{server.url}/harbor/configuration")
    session = wait_for(driver, "#config-session_timeout")
    token = driver.find_element("id", "config-token_expiration")
    assert session.get_attribute("value") == "30" and token.get_attribute("value") == "30"
    session.clear()
    session.send_keys("45")
    token.clear()
    token.send_keys("10")
    click(driver, "#config-save")
    wait_for(driver, ".toast", "Configuration saved")
    listed = api(server, "GET", "/configurations").json()
    assert listed["session_timeout"]["value"] == 45 and listed["token_expiration"]["value"] == 10, listed
    issued = requests.get(f"{server.url}/service/token", params={"scope": "repository:library/x:pull"},
                          auth=("admin", server.admin_password), timeout=30).json()
    assert issued["expires_in"] == 600
    # Out of range: the form does not submit, and nothing changes.
    driver.refresh()
    token = wait_for(driver, "#config-token_expiration")
    assert token.get_attribute("value") == "10"
    token.clear()
    token.send_keys("0")
    driver.find_element("id", "config-save").click()
    assert driver.execute_script("return document.getElementById('config-token_expiration').validity.valid") is False
    time.sleep(0.5)
    assert api(server, "GET", "/configurations").json()["token_expiration"]["value"] == 10
    assert api(server, "PUT", "/configurations", json={"session_timeout": 30, "token_expiration": 30}).status_code == 200


def test_oidc_settings_are_written_without_switching_mode(browser, server):
    from selenium.webdriver.support.ui import Select
    driver = browser
    admin_session(driver, server)
    driver.get(f"{server.url}/harbor/configuration")
    mode = Select(wait_for(driver, "#config-auth_mode"))
    assert not driver.find_element("id", "config-oidc").is_displayed()
    mode.select_by_value("oidc_auth")
    name = wait_for(driver, "#config-oidc_name")
    name.clear()
    name.send_keys("Test IdP")
    driver.find_element("id", "config-oidc_client_secret").send_keys("s3cret-value")
    shot(driver, "admin-configuration-oidc")
    mode.select_by_value("db_auth")
    click(driver, "#config-save")
    wait_for(driver, ".toast", "Configuration saved")
    listed = api(server, "GET", "/configurations").json()
    assert listed["oidc_name"]["value"] == "Test IdP" and listed["auth_mode"]["value"] == "db_auth", listed
    assert "s3cret-value" not in json.dumps(listed) and "oidc_client_secret" not in listed
    assert driver.find_element("id", "config-oidc_client_secret").get_attribute("value") == ""


def test_project_configuration(browser, server):
    from selenium.webdriver.support.ui import Select
    project = f"conf-{uuid.uuid4().hex[:6]}"
    assert api(server, "POST", "/projects", json={"project_name": project}).status_code == 201
    pid = api(server, "GET", f"/projects/{project}").json()["project_id"]
    driver = browser
    admin_session(driver, server)
    driver.get(f"{server.url}/harbor/projects/{pid}/configuration")
    prevent = wait_for(driver, "#project-prevent-vul")
    assert not prevent.is_selected() and not driver.find_element("id", "project-severity").is_enabled()
    prevent.click()
    Select(driver.find_element("id", "project-severity")).select_by_value("critical")
    driver.find_element("id", "project-auto-sbom").click()
    click(driver, "#allowlist-project")
    wait_for(driver, "#project-cve-input").send_keys("CVE-2099-3333")
    click(driver, "#project-cve-add")
    wait_for(driver, "#project-cve-items li", "CVE-2099-3333")
    quota = driver.find_element("id", "project-quota")
    quota.clear()
    quota.send_keys("2")
    shot(driver, "project-configuration")
    click(driver, "#save-configuration")
    wait_for(driver, ".toast", "Configuration saved")
    meta = api(server, "GET", f"/projects/{pid}").json()["metadata"]
    assert meta["prevent_vul"] == "true" and meta["severity"] == "critical", meta
    assert meta["reuse_sys_cve_allowlist"] == "false" and meta["auto_sbom_generation"] == "true", meta
    assert meta.get("auto_scan", "false") == "false" and meta["public"] == "false", meta
    items = api(server, "GET", f"/projects/{pid}/cve_allowlist").json()["items"]
    assert [i["cve_id"] for i in items] == ["CVE-2099-3333"]
    assert api(server, "GET", f"/projects/{pid}/summary").json()["quota"]["hard"]["storage"] == 2 * 1024 ** 3
    # The re-rendered tab shows the stored state; the projects list shows the quota.
    assert wait_for(driver, "#project-prevent-vul").is_selected()
    assert "of 2.0 GiB" in wait_for(driver, "#project-quota-usage").text
    driver.get(f"{server.url}/harbor/projects")
    row = wait_for(driver, "berth-table tbody tr", project)
    assert "of 2.0 GiB" in row.text, row.text


def test_non_admin_has_no_administration(browser, server):
    name = f"dev-{uuid.uuid4().hex[:6]}"
    r = api(server, "POST", "/users", json={"username": name, "password": "Portal-Passw0rd", "email": f"{name}@example.test"})
    assert r.status_code == 201, r.text
    driver = browser
    driver.get(f"{server.url}/harbor/sign-in")
    driver.delete_all_cookies()
    sign_in(driver, server, name, "Portal-Passw0rd")
    assert not driver.find_element("id", "nav-admin").is_displayed()
    for path in ("/harbor/interrogation/allowlist", "/harbor/configuration", "/harbor/users"):
        driver.get(f"{server.url}{path}")
        assert "permission" in wait_for(driver, "#permission-denied").text
    shot(driver, "admin-permission-denied")
    driver.delete_all_cookies()


def test_phone_layout(browser, server):
    driver = browser
    driver.set_window_size(390, 844)
    try:
        admin_session(driver, server)
        width = driver.execute_script("return window.innerWidth")
        assert width <= 400, width
        wait_for(driver, "#nav-toggle")  # visible only in the narrow layout
        nav = driver.find_element("id", "sidenav")
        assert driver.execute_script("return arguments[0].getBoundingClientRect().right", nav) <= 0
        created = api(server, "POST", "/projects", json={"project_name": "phone-layout"})
        assert created.status_code in (201, 409), created.text
        pid = api(server, "GET", "/projects/phone-layout").json()["project_id"]
        for path in ("/harbor/projects", "/harbor/interrogation/vulndb", "/harbor/interrogation/allowlist",
                     "/harbor/configuration", "/harbor/users", "/harbor/robots", f"/harbor/projects/{pid}/members",
                     f"/harbor/projects/{pid}/robots", f"/harbor/projects/{pid}/configuration"):
            driver.get(f"{server.url}{path}")
            wait_for(driver, "main h1")
            time.sleep(0.3)
            overflow = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
            assert overflow[0] <= overflow[1], (path, overflow)
        driver.get(f"{server.url}/harbor/projects")
        wait_for(driver, "berth-table tbody tr")
        shot(driver, "phone-projects")
        click(driver, "#nav-toggle")
        time.sleep(0.4)  # the menu slides in
        assert driver.find_element("id", "nav-toggle").get_attribute("aria-expanded") == "true"
        nav = driver.find_element("id", "sidenav")
        assert driver.execute_script("return arguments[0].getBoundingClientRect().left", nav) >= 0
        wait_for(driver, "#sidenav a", "Interrogation services")
        shot(driver, "phone-menu")
        click(driver, "#sidenav a", "Interrogation services")
        wait_for(driver, "h1", "Interrogation services")
        assert driver.find_element("id", "nav-toggle").get_attribute("aria-expanded") == "false"
    finally:
        driver.set_window_size(1280, 860)


def test_projects_list_sorts_on_the_server(browser, server):
    for name in ("sort-aaa", "sort-zzz", "sort-mmm"):
        assert api(server, "POST", "/projects", json={"project_name": name}).status_code in (201, 409)
    names = [p["name"] for p in api(server, "GET", "/projects?sort=-name&page_size=100&q=name%3D~sort-").json()]
    assert names == ["sort-zzz", "sort-mmm", "sort-aaa"], names
    assert api(server, "GET", "/projects?sort=owner_id").status_code == 400
    driver = browser
    admin_session(driver, server)
    table = wait_for(driver, "berth-table")
    filter_table(driver, "sort-")
    wait_for(driver, "berth-table tbody tr", "sort-mmm")
    click(driver, "berth-table th:first-child button")      # Name, ascending
    wait_for(driver, "berth-table th[aria-sort=ascending]")
    click(driver, "berth-table th:first-child button")      # descending

    def first_row(d):
        rows = d.find_elements("css selector", "berth-table tbody tr")
        return rows and "sort-zzz" in rows[0].text
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(driver, 10, ignored_exceptions=[StaleElementReferenceException]).until(
        first_row, "the projects list did not sort by name descending")
    assert table.find_element("css selector", "th:first-child").get_attribute("aria-sort") == "descending"
    assert "QUOTA USED" in table.find_element("css selector", "thead").text.upper()
