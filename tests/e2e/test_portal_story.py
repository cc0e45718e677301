"""The new user's story of issue 6, end to end in real headless Chromium (Selenium + Debian chromium).

One Berth with single sign-on against oidc-provider-mock (configured like test_oidc.py):
1. a local user (created by the admin over the API) signs in with the form, and an OIDC user signs in
   with "Login via OIDC provider" through the provider's page;
2. the OIDC user creates a project in the portal;
3. reads the CLI secret from the profile page after "Show" (and copies it with "Copy");
4. `podman login` with that secret and pushes a small image with a real Debian dpkg status;
5. sees the image with its sha256 in the portal;
6. an OSV database is imported with the CLI, "Scan" shows progress, then the vulnerability table;
7. the pull gate is turned on in the project's Configuration tab;
8. `podman pull` is refused with Harbor's 412 message.
Screenshots go to docs/screenshots/; labels, keyboard reach and contrast (light and dark) are checked."""
from __future__ import annotations

import base64
import io
import json
import os
import tarfile
import time
import uuid

import pytest
import requests

from browser import browser, click, dialog_input, low_contrast, low_fill_contrast, shot, sign_in, tab_reach, unlabeled_inputs, wait_for  # noqa: F401
from conftest import require_tools, run
from registry_server import RegistryServer, berth_binary
from test_scan import HIGH_VECTOR, MEDIUM_VECTOR, dpkg_sources, osv_record

pytestmark = pytest.mark.berth_only
API = "/api/v2.0"
GATE_MESSAGE = ("current image with 2 vulnerabilities cannot be pulled due to configured policy in "
                "'Prevent images with vulnerability severity of \"High\" or higher from running.'")


@pytest.fixture(scope="module")
def provider():
    from oidc_provider import OIDCProvider
    p = OIDCProvider().start()
    yield p
    p.stop()


@pytest.fixture(scope="module")
def berth(provider, tmp_path_factory):
    """Berth in OIDC mode (local accounts still sign in with the form, as the admin does in Harbor)."""
    server = RegistryServer(tmp_path_factory.mktemp("story") / "data", kind="berth")
    settings = {"BERTH_EXTERNAL_URL": server.url, "BERTH_OIDC_ENDPOINT": provider.issuer,
                "BERTH_OIDC_NAME": "Mock provider",
                "BERTH_OIDC_CLIENT_ID": "berth-story", "BERTH_OIDC_CLIENT_SECRET": "berth-story-client-secret"}
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
    yield server
    server.stop()


def api(server, method, path, **kw):
    return requests.request(method, f"{server.url}{API}{path}", auth=server.auth, timeout=30, **kw)


def dpkg_image(rootfs, path):
    """A one-layer root filesystem tar with the Debian rootfs' os-release and dpkg status (what the scanner reads)."""
    with tarfile.open(path, "w") as tar:
        for name in ("usr/lib/os-release", "etc/os-release", "var/lib/dpkg/status"):
            data = (rootfs / name).read_bytes()  # etc/os-release is a symlink: store its content
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o644
            tar.addfile(info, io.BytesIO(data))
    return path


def osv_feed(rootfs, path):
    """Three advisories affecting the image (two High, one Medium) and one that does not; returns their CVE ids."""
    sources = dpkg_sources(rootfs)
    picked = sorted(sources)[:4]
    records = [osv_record(i, name, sources[name] + "+berth1", HIGH_VECTOR if i < 2 else MEDIUM_VECTOR)
               for i, name in enumerate(picked[:3])]
    records.append(osv_record(3, picked[3], "0~0", HIGH_VECTOR))
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    return {r["aliases"][0] for r in records[:3]}


def check_accessibility(driver, page: str, must_reach: list[str]) -> None:
    """Labels, keyboard reach of the page's main actions, and primary-text contrast in both themes."""
    assert unlabeled_inputs(driver) == [], page
    reached = tab_reach(driver, 60)
    for wanted in must_reach:
        assert wanted in reached, (page, wanted, reached)
    for theme in ("light", "dark"):
        driver.execute_script(f"document.documentElement.dataset.theme = '{theme}'")
        bad = low_contrast(driver, ["body", "main h1", "main h2", "main td", "main dd", "main p:not(.muted)", "main .button"])
        assert bad == [], (page, theme, bad)
    driver.execute_script("delete document.documentElement.dataset.theme")


def test_new_user_story_in_chromium(browser, berth, provider, debian_rootfs, short_tmp):
    require_tools("podman")
    driver = browser
    project = f"story-{uuid.uuid4().hex[:6]}"

    # 1a. A local user created by the admin signs in with the form.
    r = api(berth, "POST", "/users", json={"username": "lena", "password": "Lena-Passw0rd-1",
                                            "email": "lena@example.test", "realname": "Lena Local"})
    assert r.status_code == 201, r.text
    driver.get(f"{berth.url}/harbor/sign-in")
    wait_for(driver, "#login-oidc", "Login via OIDC provider")
    shot(driver, "story-sign-in")
    check_accessibility(driver, "sign-in", ["login-username", "login-password", "login-submit", "login-oidc"])
    sign_in(driver, berth.url, "lena", "Lena-Passw0rd-1")
    assert wait_for(driver, "#user-link").text == "lena"
    click(driver, "#logout")
    wait_for(driver, "#login-username")

    # 1b. An OIDC user signs in through the provider's own page.
    provider.set_user("u-olivia-1", {"preferred_username": "olivia", "email": "olivia@example.test"})
    click(driver, "#login-oidc")
    wait_for(driver, "input[name=sub]").send_keys("u-olivia-1")
    click(driver, "button[type=submit]", "Authorize")
    assert wait_for(driver, "#user-link", "olivia", timeout=30).text == "olivia"
    wait_for(driver, "h1", "Projects")

    # 2. Create a project in the UI.
    click(driver, "#new-project")
    dialog_input(driver, "Project name").send_keys(project)
    click(driver, "dialog button[value=ok]")
    wait_for(driver, "berth-table a", project)
    shot(driver, "story-projects")

    # 3. The CLI secret from the profile: masked, then shown; Copy puts it on the clipboard.
    driver.get(f"{berth.url}/harbor/profile")
    masked = wait_for(driver, "#cli-secret").text
    assert "•" in masked
    assert "docker login" in wait_for(driver, "#cli-login-help").text
    shot(driver, "profile")
    check_accessibility(driver, "profile", ["show-cli-secret", "copy-cli-secret", "regenerate-cli-secret"])
    click(driver, "#show-cli-secret")
    secret = wait_for(driver, "#cli-secret").text
    assert secret != masked and "•" not in secret and len(secret) >= 8
    driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": berth.url,
                                                        "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    click(driver, "#copy-cli-secret")
    wait_for(driver, "#copy-cli-secret", "Copied")
    assert driver.execute_async_script("navigator.clipboard.readText().then(arguments[0], () => arguments[0](null))") == secret
    # The secret is never kept in web storage (only the theme preference is).
    local, session = driver.execute_script("return [Object.assign({}, localStorage), Object.assign({}, sessionStorage)]")
    assert secret not in json.dumps([local, session]) and session == {} and set(local) <= {"berth-theme"}, (local, session)

    # 4. podman login with the secret, push an image with a Debian dpkg status.
    podman = ["podman", "--root", str(short_tmp / "root"), "--runroot", str(short_tmp / "run"),
              "--storage-driver", "vfs", "--events-backend", "none", "--cgroup-manager", "cgroupfs",
              "--tmpdir", str(short_tmp / "tmp")]
    authfile = str(short_tmp / "auth.json")
    ref = f"{berth.host}/{project}/debian-pkgs:12"
    run(podman + ["import", str(dpkg_image(debian_rootfs, short_tmp / "rootfs.tar")), ref])
    run(podman + ["login", "--tls-verify=false", "--authfile", authfile, "-u", "olivia", "--password-stdin",
                  berth.host], input=secret)
    digest_file = short_tmp / "digest"
    run(podman + ["push", "--tls-verify=false", "--authfile", authfile, "--digestfile", str(digest_file), ref],
        timeout=300)
    digest = digest_file.read_text().strip()
    assert digest.startswith("sha256:")

    # 5. The image with its sha256 in the portal.
    driver.get(f"{berth.url}/harbor/projects")
    click(driver, "berth-table a", project)
    click(driver, ".tabs a", "Repositories")
    click(driver, "berth-table a", f"{project}/debian-pkgs")
    row = wait_for(driver, "berth-table tbody tr", "12")
    assert digest[:19] in row.text and "Not scanned" in row.text
    click(driver, "berth-table a", digest[:19])
    assert wait_for(driver, "#artifact-digest").text == digest
    assert f"{project}/debian-pkgs@{digest}" in wait_for(driver, "#pull-command code").text

    # 6. Import an OSV database with the CLI, click "Scan": progress, then the vulnerability table.
    expected = osv_feed(debian_rootfs, short_tmp / "feed.osv.jsonl")
    run([str(berth_binary()), "vulndb", "import", "--data", str(berth.data_dir), str(short_tmp / "feed.osv.jsonl")])
    time.sleep(1.5)  # the server reloads the database file by its modification time
    driver.execute_script("""
        window.__scanStates = [];
        const progress = document.getElementById('scan-status');
        new MutationObserver(() => window.__scanStates.push(progress.textContent))
          .observe(progress, {childList: true, characterData: true, subtree: true});""")
    click(driver, "#scan")
    wait_for(driver, "#vulnerabilities tbody tr", "CVE-2099-9000", timeout=120)
    states = driver.execute_script("return window.__scanStates")
    assert any("Scan requested" in s or "Pending" in s or "Running" in s for s in states), states
    assert "Success" in states[-1], states
    rows = driver.find_elements("css selector", "#vulnerabilities tbody tr")
    shown = {row.find_element("css selector", "td").text for row in rows}
    assert shown == expected, (shown, expected)
    severities = [row.find_elements("css selector", "td")[4].text for row in rows]
    assert set(severities) == {"High", "Medium"}, severities
    first = rows[0].text
    assert "High" in first  # sorted by severity, highest first
    link = driver.find_element("css selector", "#vulnerabilities tbody a[href*='CVE-2099-9000']")
    assert link.get_attribute("href") == "https://nvd.nist.gov/vuln/detail/CVE-2099-9000"
    # Sorting by package puts the rows in package order; aria-sort follows.
    click(driver, "#vulnerabilities th button[data-sort=package]")
    header = wait_for(driver, "#vulnerabilities th[aria-sort=ascending]")
    assert "package" in header.text.lower()
    packages = [r.find_elements("css selector", "td")[1].text
                for r in driver.find_elements("css selector", "#vulnerabilities tbody tr")]
    assert packages == sorted(packages)
    # Layers come from the image configuration, read from /v2 with a token the session obtained.
    assert "ADD file:" in wait_for(driver, "#layers tbody tr").text
    # "Generate SBOM": SPDX and CycloneDX referrers appear with download buttons.
    click(driver, "#generate-sbom")
    wait_for(driver, "#sbom button[data-sbom*=spdx]", timeout=90)
    wait_for(driver, "#sbom button[data-sbom*=cyclonedx]", timeout=30)
    wait_for(driver, "#sbom [role=status]", "SBOM ready", timeout=30)
    # Regenerating replaces the two SBOMs: the page notices the new digests although the count stays 2.
    labels = lambda: sorted(b.get_attribute("aria-label") for b in driver.find_elements("css selector", "#sbom button[data-sbom]"))
    first = labels()
    time.sleep(1.1)  # a new creation time, so new documents and digests
    click(driver, "#generate-sbom")
    wait_for(driver, "#sbom [role=status]", "Generating SBOM", timeout=10)
    wait_for(driver, "#sbom [role=status]", "SBOM ready", timeout=90)
    assert len(labels()) == 2 and set(labels()).isdisjoint(first), (first, labels())
    driver.execute_script("""const card = document.querySelector('#scan').closest('.card');
        window.scrollTo(0, card.getBoundingClientRect().top + window.scrollY - 70)""")
    shot(driver, "artifact-vulnerabilities")
    check_accessibility(driver, "artifact", ["scan", "copy-pull-command"])

    # The repository list shows the severity bar.
    click(driver, ".crumbs a", "debian-pkgs")
    bar = wait_for(driver, "berth-table .sevbar")
    counts = ", ".join(f"{severities.count(level)} {level}" for level in ("Critical", "High", "Medium", "Low"))
    assert bar.get_attribute("aria-label") == counts and bar.get_attribute("title") == counts  # the tooltip
    legend = wait_for(driver, "berth-table .sev-legend").text.split("\n")
    assert legend == [f"{severities.count(level)} {level}" for level in ("Critical", "High", "Medium", "Low")
                      if severities.count(level)], legend
    assert wait_for(driver, "berth-table .accessories", "SBOM").text == "2 SBOM"
    shot(driver, "repository")
    # Bar segments and legend dots keep 3:1 against what is behind them, in both themes; segments of all
    # four levels are added to the bar for the check (this scan found two of them).
    driver.execute_script("""const bar = document.querySelector('berth-table .sevbar');
        for (const level of ['critical', 'high', 'medium', 'low']) {
            const part = document.createElement('span'); part.className = `sev-${level} contrast-probe`;
            part.style.width = '10px'; bar.append(part); }""")
    for theme in ("light", "dark"):
        driver.execute_script(f"document.documentElement.dataset.theme = '{theme}'")
        checked = ["berth-table .sevbar span", "berth-table .sev-dot"]
        assert len(driver.find_elements("css selector", "berth-table .sevbar span.contrast-probe")) == 4
        bad = low_fill_contrast(driver, checked)
        assert bad == [], (theme, bad)
    driver.execute_script("delete document.documentElement.dataset.theme;"
                          "document.querySelectorAll('.contrast-probe').forEach((e) => e.remove())")

    # The session gets a pull token from /service/token only together with its CSRF token.
    cookies = {c["name"]: c["value"] for c in driver.get_cookies()}
    scope = {"scope": f"repository:{project}/debian-pkgs:pull"}

    def granted(headers):
        token = requests.get(f"{berth.url}/service/token", params=scope, cookies=cookies, headers=headers, timeout=30)
        assert token.status_code == 200, token.text
        payload = token.json()["token"].split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return [a for a in claims.get("access", []) if "pull" in a.get("actions", [])]
    assert granted({"X-Harbor-CSRF-Token": cookies["__csrf"]})
    assert granted({}) == [] and granted({"X-Harbor-CSRF-Token": "forged"}) == []

    # 7. The pull gate, in the project's Configuration tab.
    click(driver, ".crumbs a", project)
    click(driver, ".tabs a", "Configuration")
    label = wait_for(driver, "label", "Prevent vulnerable images")
    box = driver.find_element("id", label.get_attribute("for"))
    if not box.is_selected():
        box.click()
    click(driver, "#save-configuration")
    wait_for(driver, ".toast", "saved")
    meta = api(berth, "GET", f"/projects/{project}").json()["metadata"]
    assert meta["prevent_vul"] == "true" and meta.get("severity", "high") == "high", meta

    # 8. podman pull is refused with Harbor's message.
    run(podman + ["rmi", "--all", "--force"])
    refused = run(podman + ["pull", "--tls-verify=false", "--authfile", authfile, ref], check=False, timeout=300)
    assert refused.returncode != 0
    said = refused.stderr.replace('\\"', '"')
    assert GATE_MESSAGE in said, refused.stderr
    print(f"\npodman pull refused as expected:\n{refused.stderr.strip()}")
