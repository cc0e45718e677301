"""The web portal in real headless Chromium (Debian's chromium + chromedriver, driven by Selenium).

Walks a new user's story: sign in, create a project, push an image, see it with its sha256, add a member,
create a robot and see its secret once, log out. Saves screenshots of the main pages to docs/screenshots/
and checks accessibility basics (labels, keyboard reachability, contrast of primary text)."""
from __future__ import annotations

import json
import re
import uuid

import pytest

from api_client import push_blob, push_manifest
from browser import browser, click, contrast, dialog_input, filter_table, shot, wait_for  # noqa: F401 (browser is a fixture)
from browser import sign_in as browser_sign_in
from curl_http import curl
from oci_layout import tar_gz, random_files

pytestmark = pytest.mark.berth_only


def sign_in(driver, registry, user: str, password: str) -> None:
    browser_sign_in(driver, registry.url, user, password)


def test_portal_is_served_with_a_strict_policy(registry):
    r = curl("GET", f"{registry.url}/")
    assert r.status == 200 and r.header("Content-Type").startswith("text/html")
    csp = r.header("Content-Security-Policy")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    script = curl("GET", f"{registry.url}/portal/js/app.js")
    assert script.status == 200 and script.header("Content-Type").startswith("text/javascript")
    again = curl("GET", f"{registry.url}/portal/js/app.js", headers={"If-None-Match": script.header("ETag")})
    assert again.status == 304
    deep = curl("GET", f"{registry.url}/harbor/projects/1/members")
    assert deep.status == 200 and b"/portal/js/app.js" in deep.body
    assert curl("GET", f"{registry.url}/portal/nope.js").status == 404


def test_new_user_story(browser, registry):
    driver = browser
    project = f"portal-{uuid.uuid4().hex[:6]}"
    sign_in(driver, registry, "admin", registry.admin_password)
    shot(driver, "projects")

    # Create a project.
    click(driver, "#new-project")
    dialog_input(driver, "Project name").send_keys(project)
    click(driver, "dialog button[value=ok]")
    # Other tests share this registry, so the new project may be past the first page: search for it.
    filter_table(driver, project)
    wait_for(driver, "berth-table a", project)

    # Push an image (as admin, over the registry API) and see it with its sha256.
    layer, _ = tar_gz(random_files("portal"))
    layer_digest = push_blob(registry, f"{project}/hello", layer)
    digest, _ = push_manifest(registry, f"{project}/hello", "v1", [(layer_digest, len(layer))])
    click(driver, "berth-table a", project)
    click(driver, ".tabs a", "Repositories")
    click(driver, "berth-table a", f"{project}/hello")
    row = wait_for(driver, "berth-table tbody tr", "v1")
    assert digest[:19] in row.text
    assert "Not scanned" in row.text or "No vulnerabilities" in row.text
    shot(driver, "artifacts")
    click(driver, "berth-table a", digest[:19])
    assert wait_for(driver, "#artifact-digest").text == digest
    assert f"@{digest}" in wait_for(driver, ".codebox code").text
    shot(driver, "artifact")

    # Add a member.
    created = curl("POST", f"{registry.url}/api/v2.0/users", headers={"Content-Type": "application/json"},
                   data=json.dumps({"username": f"{project}-dev", "password": "Portal-Passw0rd",
                                    "email": f"{project}@example.test"}).encode())
    assert created.status == 201, created.body
    driver.get(f"{registry.url}/harbor/projects/{project_id(registry, project)}/members")
    click(driver, "#add-member")
    dialog_input(driver, "User name").send_keys(f"{project}-dev")
    click(driver, "dialog button[value=ok]")
    wait_for(driver, "berth-table tbody tr", f"{project}-dev")
    shot(driver, "members")

    # Create a robot and see its secret once.
    click(driver, ".tabs a", "Robot accounts")
    click(driver, "#new-robot")
    dialog_input(driver, "Name").send_keys("ci")
    click(driver, "dialog button[value=ok]")
    secret = wait_for(driver, "#robot-secret code").text
    assert len(secret) >= 16
    shot(driver, "robot-secret")
    click(driver, "dialog button[value=ok]")
    row = wait_for(driver, "berth-table tbody tr", "ci")
    assert secret not in driver.page_source

    # Configuration and profile pages render.
    click(driver, ".tabs a", "Configuration")
    wait_for(driver, "#save-configuration")
    shot(driver, "configuration")
    driver.get(f"{registry.url}/harbor/profile")
    assert wait_for(driver, "#profile-username").text == "admin"
    driver.get(f"{registry.url}/harbor/users")
    wait_for(driver, "berth-table tbody tr", f"{project}-dev")
    shot(driver, "users")

    # No secret or session in localStorage.
    stored = driver.execute_script("return JSON.stringify(Object.assign({}, localStorage))")
    assert secret not in stored and "sid" not in stored

    # Log out: the portal returns to the sign-in page and the API no longer knows us.
    click(driver, "#logout")
    wait_for(driver, "#login-username")
    status = driver.execute_script(
        "return fetch('/api/v2.0/users/current', {credentials: 'same-origin'}).then(r => r.status)")
    assert status == 401
    shot(driver, "sign-in")


def project_id(registry, name: str) -> int:
    r = curl("GET", f"{registry.url}/api/v2.0/projects/{name}")
    assert r.status == 200, r.body
    return int(re.search(rb'"project_id"\s*:\s*(\d+)', r.body).group(1))


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_accessibility_basics(browser, registry, theme):
    driver = browser
    driver.get(f"{registry.url}/harbor/sign-in")
    wait_for(driver, "#login-username")
    driver.execute_script(f"document.documentElement.dataset.theme = '{theme}'")
    # Every input, select and textarea has a label (for=id) or an aria-label.
    unlabeled = driver.execute_script("""
        return [...document.querySelectorAll('input, select, textarea')].filter(e => e.type !== 'hidden')
          .filter(e => !e.getAttribute('aria-label') && !(e.id && document.querySelector(`label[for="${e.id}"]`)))
          .map(e => e.outerHTML)""")
    assert unlabeled == []
    # Keyboard: tabbing from the top reaches the username, password and the Log in button.
    from selenium.webdriver.common.keys import Keys
    body = driver.find_element("css selector", "body")
    body.click()
    reached = []
    for _ in range(15):
        driver.switch_to.active_element.send_keys(Keys.TAB)
        reached.append(driver.switch_to.active_element.get_attribute("id"))
    for wanted in ("login-username", "login-password", "login-submit"):
        assert wanted in reached, reached
    # Contrast of primary text on the page background and on buttons: at least 4.5:1 (WCAG AA).
    pairs = driver.execute_script("""
        const s = (e) => getComputedStyle(e);
        const card = document.querySelector('.card'), button = document.querySelector('#login-submit');
        return [[s(document.body).color, s(document.body).backgroundColor], [s(card).color, s(card).backgroundColor],
                [s(button).color, s(button).backgroundColor]]""")
    for fg, bg in pairs:
        ratio = contrast(fg, bg)
        assert ratio >= 4.5, (theme, fg, bg, ratio)
    shot(driver, f"sign-in-{theme}")
