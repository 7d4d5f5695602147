"""The built site, read in a real browser with no network: Debian's headless Chromium, driven
by Selenium through Debian's chromedriver (nothing is downloaded: the driver and the browser
are the system's). Run by ``make browser`` after the book is built (``make test`` does both).

On every page of ``_build/html``: the math is typeset by the site's own MathJax and no raw
TeX is left in the visible text; every image has loaded; no table is left as raw pipes; the
console has no errors.
"""
import os
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("ROSETTA_SITE", ROOT / "_build" / "html"))
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SKIP = {"genindex.html", "search.html", "py-modindex.html"}
PAGES = sorted(p for p in SITE.rglob("*.html") if p.name not in SKIP
               and not {"_static", "_sources"} & set(p.relative_to(SITE).parts)) \
    if SITE.exists() else []

os.environ.setdefault("SE_OFFLINE", "true")          # Selenium Manager: never download


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not SITE.exists():
        pytest.fail(f"no site at {SITE}: run `make book` (or `make test`) first")
    for exe in (CHROMIUM, CHROMEDRIVER):
        if not Path(exe).exists():
            pytest.fail(f"{exe} is missing: install Debian's chromium and chromium-driver "
                        f"(`make browser-deps` does it as root)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1280,2000",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


WAIT_FOR_MATH = """
const done = arguments[arguments.length - 1];
const start = Date.now();
(function wait() {
  // the page's inline config defines window.MathJax at once; the deferred tex-chtml.js adds
  // MathJax.startup when it has loaded: poll for it, then wait for the typesetting
  if (window.MathJax && window.MathJax.startup && window.MathJax.startup.promise) {
    window.MathJax.startup.promise.then(() => done("ok"), (e) => done("error: " + e));
  } else if (Date.now() - start > 30000) {
    done("no MathJax after 30 s");
  } else {
    setTimeout(wait, 50);
  }
})();
"""

RAW_TEX = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$\$|\\begin\{|\\frac|\\mathrm")


def test_the_site_has_its_pages():
    assert len(PAGES) >= 8, f"only {len(PAGES)} pages in {SITE}"


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_page_reads_offline(browser, page):
    html = page.read_text()
    refresh = re.search(r'http-equiv="refresh"\s+content="0;\s*url=([^"]+)"', html, re.I)
    if refresh:                                  # the site's index: a redirect, nothing to read
        assert (page.parent / refresh.group(1)).exists(), f"{page.name} redirects nowhere"
        return
    browser.get(page.as_uri())
    browser.get_log("browser")                       # drop what loading the page logged so far
    browser.get(page.as_uri())
    has_math = 'class="math' in html
    if has_math:
        browser.set_script_timeout(60)
        state = browser.execute_async_script(WAIT_FOR_MATH)
        assert state == "ok", f"{page.name}: MathJax did not run ({state})"
        n = browser.execute_script("return document.querySelectorAll('mjx-container').length")
        assert n > 0, f"{page.name}: math on the page but nothing typeset"
    text = browser.execute_script(
        "const m = document.querySelector('main') || document.body; return m.innerText")
    raw = RAW_TEX.findall(text)
    assert not raw, f"{page.name}: raw TeX left in the text: {raw[:5]}"
    broken = browser.execute_script(
        "return Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))"
        ".map(i => i.getAttribute('src'))")
    assert not broken, f"{page.name}: images that did not load: {broken[:5]}"
    pipes = browser.execute_script(
        "return Array.from(document.querySelectorAll('main p')).map(p => p.innerText)"
        ".filter(t => /^\\s*\\|.*\\|/.test(t) && /---|\\|\\s*\\|/.test(t))")
    assert not pipes, f"{page.name}: a table left as raw pipes: {pipes[0][:80]!r}"
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, f"{page.name}: console errors: {[e['message'][:160] for e in errors[:3]]}"
