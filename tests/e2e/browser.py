"""Shared helpers for the portal tests in real headless Chromium (Debian's chromium + chromedriver, Selenium).

`browser` is a module-scoped fixture (import it into a test module to use it); the functions wait for
visible elements, click through re-renders, save screenshots (to $BERTH_SCREENSHOTS or tests/e2e/.work/screenshots) and measure the
accessibility basics (labels, keyboard reach, WCAG contrast)."""
from __future__ import annotations

import re
import os
from pathlib import Path

import pytest

from conftest import require_tools

# Test runs write screenshots under tests/e2e/.work/ so they never dirty the checkout; set
# BERTH_SCREENSHOTS=docs/screenshots to refresh the ones the README shows.
SHOTS = Path(os.environ.get("BERTH_SCREENSHOTS") or Path(__file__).resolve().parent / ".work" / "screenshots").resolve()
CHROMEDRIVER = "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module (1280x860, sRGB, no proxy)."""
    require_tools("chromium", CHROMEDRIVER)
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--window-size=1280,860", "--force-color-profile=srgb", "--proxy-server=direct://",
                 "--proxy-bypass-list=*"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


def wait_for(driver, css: str, text: str | None = None, timeout: float = 15):
    """The first visible element matching `css` (and containing `text`), waiting up to `timeout` seconds."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def found(d):
        try:
            for element in d.find_elements(By.CSS_SELECTOR, css):
                if element.is_displayed() and (text is None or text in element.text):
                    return element
        except StaleElementReferenceException:
            pass  # the page re-rendered: look again
        return False
    return WebDriverWait(driver, timeout).until(found, f"no visible {css!r} containing {text!r}")


def click(driver, css: str, text: str | None = None, timeout: float = 15) -> None:
    """Clicks the first visible match, looking again when a re-render replaced it."""
    from selenium.common.exceptions import StaleElementReferenceException
    for _ in range(5):
        try:
            element = wait_for(driver, css, text, timeout)
            # Centre it first, so the sticky top bar does not cover it.
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
            element.click()
            return
        except StaleElementReferenceException:
            continue
    raise AssertionError(f"could not click {css!r} {text!r}")


def filter_table(driver, text: str, timeout: float = 15) -> None:
    """Types `text` into the first visible table's filter and waits until the table shows that filter's rows
    and is idle. Clicking while the debounced filter re-renders the rows can lose the click: the press lands
    on the old row and the release on the new one, so no click event fires on either."""
    from selenium.webdriver.support.ui import WebDriverWait
    wait_for(driver, "berth-table input[type=search]", timeout=timeout).send_keys(text)

    def applied(d):
        return d.execute_script(
            "const t = [...document.querySelectorAll('berth-table')].find(e => e.offsetParent !== null);"
            "return !!t && t.dataset.appliedFilter === arguments[0] && !t.hasAttribute('aria-busy');", text)
    WebDriverWait(driver, timeout).until(applied, f"the table did not apply the filter {text!r}")


def shot(driver, name: str) -> None:
    """Saves <name>.png in SHOTS (tests/e2e/.work/screenshots, or $BERTH_SCREENSHOTS)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"{name}.png"))


def sign_in(driver, url: str, user: str, password: str) -> None:
    """Signs in with the local form and waits for the projects page."""
    driver.get(f"{url}/")
    wait_for(driver, "#login-username").send_keys(user)
    driver.find_element("css selector", "#login-password").send_keys(password)
    driver.find_element("css selector", "#login-submit").click()
    wait_for(driver, "h1", "Projects")


def dialog_input(driver, label: str):
    """The input of the open dialog whose label contains `label`."""
    label_el = wait_for(driver, "dialog label", label)
    return driver.find_element("id", label_el.get_attribute("for"))


def unlabeled_inputs(driver) -> list[str]:
    """Inputs, selects and textareas with neither a label[for] nor an aria-label (should be none)."""
    return driver.execute_script("""
        return [...document.querySelectorAll('input, select, textarea')].filter(e => e.type !== 'hidden')
          .filter(e => !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby')
                       && !(e.id && document.querySelector(`label[for="${e.id}"]`)) && !e.closest('label'))
          .map(e => e.outerHTML)""")


def tab_reach(driver, presses: int = 40) -> list[str]:
    """Presses Tab from the top of the page; returns the id (or text) of each focused element."""
    from selenium.webdriver.common.keys import Keys
    driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    driver.find_element("css selector", "body").send_keys(Keys.TAB)
    reached = []
    for _ in range(presses):
        active = driver.switch_to.active_element
        reached.append(active.get_attribute("id") or active.text.strip())
        active.send_keys(Keys.TAB)
    return reached


def relative_luminance(rgb) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(x) for x in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def parse_rgb(text: str):
    return tuple(int(float(x)) for x in re.findall(r"[\d.]+", text)[:3])


def contrast(fg: str, bg: str) -> float:
    """WCAG contrast ratio of two CSS rgb() colours."""
    a, b = relative_luminance(parse_rgb(fg)), relative_luminance(parse_rgb(bg))
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


# JavaScript defining opaque(element): the nearest opaque background colour at or above it (white if none).
OPAQUE_BACKGROUND_JS = """
    const opaque = (e) => { for (; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor;
        if (c && c !== 'transparent' && !/rgba\\(.*, 0\\)$/.test(c)) return c; } return 'rgb(255, 255, 255)'; };
"""


def low_contrast(driver, selectors: list[str], minimum: float = 4.5) -> list:
    """(selector, colour, background, ratio) for each visible match of `selectors` whose text colour on its
    nearest opaque background is below `minimum`."""
    pairs = driver.execute_script(OPAQUE_BACKGROUND_JS + """
        const out = [];
        for (const sel of arguments[0]) for (const e of document.querySelectorAll(sel)) {
            if (!e.offsetParent && e !== document.body) continue;
            out.push([sel, getComputedStyle(e).color, opaque(e)]);
        }
        return out""", selectors)
    return [(sel, fg, bg, round(contrast(fg, bg), 2)) for sel, fg, bg in pairs if contrast(fg, bg) < minimum]


def low_fill_contrast(driver, selectors: list[str], minimum: float = 3.0) -> list:
    """(selector, fill, background, ratio) for each visible match of `selectors` whose own background colour
    (a bar segment, a legend dot) is below `minimum` against the nearest opaque background behind it: WCAG's
    non-text contrast."""
    pairs = driver.execute_script(OPAQUE_BACKGROUND_JS + """
        const out = [];
        for (const sel of arguments[0]) for (const e of document.querySelectorAll(sel)) {
            if (!e.offsetParent) continue;
            out.push([sel + '.' + e.className, getComputedStyle(e).backgroundColor, opaque(e.parentElement)]);
        }
        return out""", selectors)
    return [(sel, fill, bg, round(contrast(fill, bg), 2)) for sel, fill, bg in pairs if contrast(fill, bg) < minimum]

