"""The portal against issue 6, bullet by bullet, in real headless Chromium (Selenium + Debian chromium).

What the story tests do not cover: artifact rows with signature and SBOM accessories and an index's platforms,
server-side paging (page size, first/last, X-Total-Count) and sorting, confirmations before destructive
actions, API errors shown in words inside the dialog, no secrets in web storage, keyboard navigation (nav and
main actions reachable, dialogs trap focus, Escape closes), the project Summary and Logs tabs, empty states,
page titles, the favicon, labels everywhere and contrast of the main pages in both themes."""
from __future__ import annotations

import json
import re
import time
import uuid
from pathlib import Path

import pytest
import requests

from api_client import push_blob, push_manifest
from browser import browser, click, dialog_input, filter_table, low_contrast, shot, sign_in, tab_reach, unlabeled_inputs, wait_for  # noqa: F401
from curl_http import curl
from oci_layout import INDEX, MANIFEST, canonical, random_files, sha256, tar_gz

pytestmark = pytest.mark.berth_only
PORTAL = Path(__file__).resolve().parents[2] / "Sources" / "BerthPortal" / "portal"
COSIGN = "application/vnd.dev.cosign.artifact.sig.v1+json"
SPDX = "application/spdx+json"


def api(registry, method, path, **kw):
    return requests.request(method, f"{registry.url}/api/v2.0{path}", auth=registry.auth, timeout=30, **kw)


def project_id(registry, name: str) -> int:
    r = api(registry, "GET", f"/projects/{name}")
    assert r.status_code == 200, r.text
    return r.json()["project_id"]


def new_project(registry, prefix: str) -> tuple[str, int]:
    name = f"{prefix}-{uuid.uuid4().hex[:6]}"
    assert api(registry, "POST", "/projects", json={"project_name": name}).status_code == 201
    return name, project_id(registry, name)


def push_referrer(registry, repo: str, subject: tuple[str, int], artifact_type: str, payload: bytes, layer_type: str) -> str:
    """An OCI 1.1 artifact (empty config, one layer) whose `subject` is the given manifest, like cosign or oras attach."""
    empty = push_blob(registry, repo, b"{}")
    layer = push_blob(registry, repo, payload)
    body = canonical({"schemaVersion": 2, "mediaType": MANIFEST, "artifactType": artifact_type,
                      "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": empty, "size": 2},
                      "layers": [{"mediaType": layer_type, "digest": layer, "size": len(payload)}],
                      "subject": {"mediaType": MANIFEST, "digest": subject[0], "size": subject[1]}})
    digest = sha256(body)
    r = curl("PUT", f"{registry.url}/v2/{repo}/manifests/{digest}", data=body, headers={"Content-Type": MANIFEST})
    assert r.status == 201, (r.status, r.body)
    return digest


def push_image(registry, repo: str, tag: str, seed: str) -> tuple[str, int]:
    layer, _ = tar_gz(random_files(seed, count=1, size=512))
    digest, body = push_manifest(registry, repo, tag, [(push_blob(registry, repo, layer), len(layer))])
    return digest, len(body)


@pytest.fixture(scope="module")
def signed(registry):
    """A project with a signed image that has an SPDX SBOM, and a two-platform index."""
    name, pid = new_project(registry, "audit")
    repo = f"{name}/app"
    image = push_image(registry, repo, "1.0", "audit-image")
    push_referrer(registry, repo, image, COSIGN, json.dumps({"critical": {"image": {"docker-manifest-digest": image[0]}}}).encode(),
                  "application/vnd.dev.cosign.simplesigning.v1+json")
    push_referrer(registry, repo, image, SPDX, b'{"spdxVersion": "SPDX-2.3"}', SPDX)
    amd = push_image(registry, repo, "amd64-only", "audit-amd64")
    arm = push_image(registry, repo, "arm64-only", "audit-arm64")
    index = canonical({"schemaVersion": 2, "mediaType": INDEX, "manifests": [
        {"mediaType": MANIFEST, "digest": amd[0], "size": amd[1], "platform": {"os": "linux", "architecture": "amd64"}},
        {"mediaType": MANIFEST, "digest": arm[0], "size": arm[1], "platform": {"os": "linux", "architecture": "arm64", "variant": "v8"}}]})
    r = curl("PUT", f"{registry.url}/v2/{repo}/manifests/multi", data=index, headers={"Content-Type": INDEX})
    assert r.status == 201, (r.status, r.body)
    return {"name": name, "id": pid, "repo": repo, "image": image[0], "index": sha256(index)}


def signed_in(driver, registry):
    """Signs in as admin unless this browser's session already is."""
    driver.get(f"{registry.url}/harbor/projects")
    first = wait_for(driver, "#login-username, #user-link")
    if first.get_attribute("id") == "login-username":
        sign_in(driver, registry.url, "admin", registry.admin_password)


def test_artifact_rows_show_accessories_platforms_and_copyable_digest(browser, registry, signed):
    driver = browser
    signed_in(driver, registry)
    driver.get(f"{registry.url}/harbor/projects/{signed['id']}/repositories/app")
    row = wait_for(driver, "berth-table tbody tr", "1.0")
    accessories = wait_for(driver, "berth-table tbody tr .accessories", "signature")
    assert accessories.text == "1 signature, 1 SBOM", accessories.text
    assert signed["image"][:19] in row.text and "Not scanned" in row.text
    index_row = wait_for(driver, "berth-table tbody tr", "multi")
    platforms = wait_for(driver, "berth-table tbody tr .platforms", "linux/")
    assert platforms.text == "linux/amd64, linux/arm64/v8", platforms.text
    assert signed["index"][:19] in index_row.text
    # The digest is copyable: the button puts the whole sha256 on the clipboard.
    driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": registry.url,
                                                        "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    button = row.find_element("css selector", "button[aria-label='Copy digest to clipboard']")
    button.click()
    assert driver.execute_async_script("navigator.clipboard.readText().then(arguments[0], () => arguments[0](null))") == signed["image"]
    shot(driver, "artifacts-accessories")


def test_lists_page_and_sort_on_the_server(browser, registry):
    prefix = f"pg{uuid.uuid4().hex[:4]}"
    for i in range(23):
        assert api(registry, "POST", "/projects", json={"project_name": f"{prefix}-{i:02d}"}).status_code == 201
    total = api(registry, "GET", f"/projects?page_size=10&q=name%3D~{prefix}").headers["X-Total-Count"]
    assert total == "23"
    driver = browser
    signed_in(driver, registry)
    driver.get(f"{registry.url}/harbor/projects")
    wait_for(driver, "berth-table tbody tr")
    filter_table(driver, prefix)
    wait_for(driver, "berth-table .page-info", "of 23")
    assert len(driver.find_elements("css selector", "berth-table tbody tr")) == 15  # the default page size
    # A page size of 10: three pages, the last with three rows.
    from selenium.webdriver.support.ui import Select
    Select(driver.find_element("css selector", "berth-table select.page-size")).select_by_value("10")
    wait_for(driver, "berth-table .page-info", "1–10 of 23")
    assert len(driver.find_elements("css selector", "berth-table tbody tr")) == 10
    assert wait_for(driver, "berth-table .page-number").text == "Page 1 of 3"
    click(driver, "berth-table button[aria-label='Next page']")
    wait_for(driver, "berth-table .page-info", "11–20 of 23")
    assert f"{prefix}-10" in driver.find_element("css selector", "berth-table tbody tr").text
    click(driver, "berth-table button[aria-label='Last page']")
    wait_for(driver, "berth-table .page-info", "21–23 of 23")
    assert len(driver.find_elements("css selector", "berth-table tbody tr")) == 3
    assert driver.find_element("css selector", "berth-table button[aria-label='Next page']").get_attribute("disabled")
    click(driver, "berth-table button[aria-label='First page']")
    wait_for(driver, "berth-table .page-info", "1–10 of 23")
    # Sorting by name descending happens on the server: page 1 starts with the last name of all 23.
    click(driver, "berth-table th button[data-sort=name]")
    wait_for(driver, "berth-table th[aria-sort=ascending]")
    click(driver, "berth-table th button[data-sort=name]")
    wait_for(driver, "berth-table th[aria-sort=descending]")
    wait_for(driver, "berth-table tbody tr:first-child", f"{prefix}-22")
    assert wait_for(driver, "berth-table .page-info").text == "1–10 of 23"
    assert unlabeled_inputs(driver) == []
    shot(driver, "projects-paged")


def test_destructive_actions_ask_first(browser, registry):
    # Every DELETE the portal sends sits behind confirmDanger in the same handler.
    for path in sorted(PORTAL.rglob("*.js")):
        text = path.read_text()
        for match in re.finditer(r"api\('DELETE'", text):
            handler = text[max(0, match.start() - 400):match.start()]
            assert "confirmDanger(" in handler, f"{path.name}: DELETE without a confirmation near offset {match.start()}"
    name, _ = new_project(registry, "doomed")
    driver = browser
    signed_in(driver, registry)
    driver.get(f"{registry.url}/harbor/projects")
    filter_table(driver, name)
    wait_for(driver, "berth-table tbody tr", name)
    click(driver, f"button[aria-label='Delete project {name}']")
    assert "cannot be undone" in wait_for(driver, "dialog[open]").text
    shot(driver, "confirm-delete")
    click(driver, "dialog[open] button[value=cancel]")
    time.sleep(0.3)
    assert api(registry, "GET", f"/projects/{name}").status_code == 200  # cancelled: still there
    click(driver, f"button[aria-label='Delete project {name}']")
    click(driver, "dialog[open] button[value=ok]")
    wait_for(driver, ".toast", f"Project {name} deleted")
    assert api(registry, "GET", f"/projects/{name}").status_code == 404


def test_api_errors_in_words_and_dialogs_trap_focus(browser, registry):
    from selenium.webdriver.common.keys import Keys
    name, _ = new_project(registry, "taken")
    driver = browser
    signed_in(driver, registry)
    driver.get(f"{registry.url}/harbor/projects")
    click(driver, "#new-project")
    dialog_input(driver, "Project name").send_keys(name)
    click(driver, "dialog[open] button[value=ok]")
    error = wait_for(driver, "dialog[open] .error-box")
    assert error.text == f"project {name} already exists", error.text  # Harbor's CONFLICT message, in the dialog
    shot(driver, "error-in-dialog")
    # Tab and Shift+Tab cycle inside the dialog.
    inside = "return !!document.activeElement.closest('dialog[open]')"
    for key in [Keys.TAB] * 8 + [Keys.SHIFT + Keys.TAB] * 8:
        driver.switch_to.active_element.send_keys(key)
        assert driver.execute_script(inside), driver.switch_to.active_element.get_attribute("outerHTML")
    # Escape closes it and focus goes back to the button that opened it.
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    assert driver.execute_script("return document.querySelector('dialog[open]') === null")
    assert driver.switch_to.active_element.get_attribute("id") == "new-project"
    # Keyboard from the top of a fresh page: skip link, navigation and the main action.
    driver.get(f"{registry.url}/harbor/projects")
    wait_for(driver, "berth-table tbody tr")
    reached = tab_reach(driver, 25)
    for wanted in ("Skip to content", "global-search-input", "Projects", "User profile", "Users", "new-project"):
        assert wanted in reached, (wanted, reached)


def test_no_secrets_in_web_storage(browser, registry):
    name, pid = new_project(registry, "robots")
    driver = browser
    signed_in(driver, registry)
    storage = "return JSON.stringify([Object.assign({}, localStorage), Object.assign({}, sessionStorage)])"
    assert json.loads(driver.execute_script(storage))[1] == {}
    driver.get(f"{registry.url}/harbor/projects/{pid}/robots")
    click(driver, "#new-robot")
    dialog_input(driver, "Name").send_keys("builder")
    click(driver, "dialog[open] button[value=ok]")
    secret = wait_for(driver, "#robot-secret code").text
    assert len(secret) >= 16
    local, session = json.loads(driver.execute_script(storage))
    assert secret not in json.dumps([local, session]) and session == {}
    assert set(local) <= {"berth-theme"}, local  # a display preference only
    click(driver, "dialog[open] button[value=ok]")
    wait_for(driver, "berth-table tbody tr", "builder")
    assert secret not in driver.page_source


def test_project_summary_logs_and_empty_states(browser, registry, signed):
    driver = browser
    signed_in(driver, registry)
    driver.get(f"{registry.url}/harbor/projects/{signed['id']}")
    summary = api(registry, "GET", f"/projects/{signed['id']}/summary").json()
    assert wait_for(driver, "#summary-repositories").text == str(summary["repo_count"]) == "1"
    activity = wait_for(driver, "#summary-activity li", signed["repo"])
    assert "admin" in activity.text
    assert driver.title == f"{signed['name']} · Summary · Berth"
    shot(driver, "project-summary")
    click(driver, ".tabs a", "Logs")
    wait_for(driver, "berth-table tbody tr", signed["repo"])
    assert driver.find_element("css selector", "berth-table th[aria-sort=descending]").text.startswith("TIME")
    assert "CREATE" in driver.find_element("css selector", "berth-table tbody").text.upper()
    assert driver.title == f"{signed['name']} · Logs · Berth"
    shot(driver, "project-logs")
    # Empty states: a helpful sentence and the next step.
    _, empty = new_project(registry, "empty")
    driver.get(f"{registry.url}/harbor/projects/{empty}/repositories")
    cell = wait_for(driver, "berth-table td.empty", "No repositories yet")
    assert "docker push" in cell.find_element("css selector", ".empty-code").text
    driver.get(f"{registry.url}/harbor/projects/{empty}/robots")
    wait_for(driver, "berth-table td.empty button", "Create a robot account")


def test_titles_favicon_and_contrast(browser, registry, signed):
    icon = curl("GET", f"{registry.url}/portal/icon.svg")
    assert icon.status == 200 and icon.header("Content-Type").startswith("image/svg+xml")
    driver = browser
    signed_in(driver, registry)
    pages = [("/harbor/projects", "Projects · Berth"),
             (f"/harbor/projects/{signed['id']}/repositories", f"{signed['name']} · Repositories · Berth"),
             (f"/harbor/projects/{signed['id']}/repositories/app", f"{signed['repo']} · Berth"),
             (f"/harbor/projects/{signed['id']}/repositories/app/artifacts/{signed['image']}", f"{signed['repo']}:1.0 · Berth"),
             ("/harbor/logs", "Audit logs · Berth"), ("/harbor/users", "Users · Berth"), ("/harbor/profile", "User profile · Berth")]
    selectors = ["body", "main h1", "main h2", "main th", "main td", "main dd", "main p:not(.muted)", "main .button",
                 "main .badge", "main .pager", "main .hint", "main .muted", ".sidenav a", "main .sev-legend li"]
    for path, title in pages:
        driver.get(f"{registry.url}{path}")
        wait_for(driver, "main h1")
        time.sleep(0.4)  # accessories and platforms fill in after the rows
        assert driver.title == title, (path, driver.title)
        assert unlabeled_inputs(driver) == [], path
        assert driver.find_element("css selector", "link[rel=icon]").get_attribute("href").endswith("/portal/icon.svg")
        for theme in ("light", "dark"):
            driver.execute_script(f"document.documentElement.dataset.theme = '{theme}'")
            bad = low_contrast(driver, selectors)
            assert bad == [], (path, theme, bad)
        driver.execute_script("delete document.documentElement.dataset.theme")
    driver.get(f"{registry.url}/harbor/nowhere")
    wait_for(driver, "main h1", "Page not found")
    assert driver.title == "Page not found · Berth"


def test_admin_manages_users(browser, registry):
    name = f"u{uuid.uuid4().hex[:6]}"
    driver = browser
    signed_in(driver, registry)
    driver.get(f"{registry.url}/harbor/users")
    click(driver, "#new-user")
    dialog_input(driver, "Username").send_keys(name)
    dialog_input(driver, "Email").send_keys(f"{name}@example.test")
    dialog_input(driver, "Password").send_keys("weak")
    click(driver, "dialog[open] button[value=ok]")
    assert wait_for(driver, "dialog[open] .error-box").text  # the server's password rule, in words, dialog still open
    field = dialog_input(driver, "Password")
    field.clear()
    field.send_keys("Audit-Passw0rd-1")
    click(driver, "dialog[open] button[value=ok]")
    wait_for(driver, ".toast", "User created")
    filter_table(driver, name)
    wait_for(driver, "berth-table tbody tr", name)
    # The row's own buttons, by their accessible names: the filter may still be re-rendering the table.
    click(driver, f"button[aria-label='Grant admin to {name}']")
    wait_for(driver, f"button[aria-label='Revoke admin from {name}']", "Revoke admin")
    assert requests.get(f"{registry.url}/api/v2.0/users/current", auth=(name, "Audit-Passw0rd-1"), timeout=30).json()["sysadmin_flag"]
    click(driver, f"button[aria-label='Reset password of {name}']")
    dialog_input(driver, "New password").send_keys("Audit-Passw0rd-2")
    click(driver, "dialog[open] button[value=ok]")
    wait_for(driver, ".toast", "Password reset")
    assert requests.get(f"{registry.url}/api/v2.0/users/current", auth=(name, "Audit-Passw0rd-2"), timeout=30).status_code == 200
    click(driver, f"button[aria-label='Delete user {name}']")
    click(driver, "dialog[open] button[value=ok]")
    wait_for(driver, "berth-table td.empty")
    assert requests.get(f"{registry.url}/api/v2.0/users/current", auth=(name, "Audit-Passw0rd-2"), timeout=30).status_code == 401
