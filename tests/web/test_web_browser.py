"""End-to-end: a real headless Chromium searches, opens a speaker, opens an article and
checks the highlights, against the app served by uvicorn on 127.0.0.1.

Uses Debian's ``chromium`` and ``chromium-driver`` (``make browser`` installs them, ``make
test`` runs it first) driven by Selenium. Skips, saying why, where they cannot be found.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from web_helpers import DIGUE, article_key, build_web_db

CHROMIUM = os.environ.get("PROPOS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = os.environ.get("PROPOS_CHROMEDRIVER") or shutil.which("chromedriver") \
    or "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,1000")


def _missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    for path, package in ((CHROMIUM, "chromium"), (DRIVER, "chromium-driver")):
        if not os.access(path, os.X_OK):
            return (f"no {path}: install Debian's {package} (`make browser`, or "
                    f"apt-get install -y chromium chromium-driver)")
    return None


pytestmark = [pytest.mark.skipif(_missing() is not None, reason=str(_missing())),
              pytest.mark.slow]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_web_db(tmp_path_factory.mktemp("web-browser") / "web.db")


@pytest.fixture(scope="module")
def server(db: Path) -> Iterator[str]:
    from propos.web.server import BackgroundServer

    with BackgroundServer(db) as running:
        yield running.url.rstrip("/")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="propos-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _css(driver, selector: str):
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, selector)


def _background(driver, element) -> str:
    return driver.execute_script("return getComputedStyle(arguments[0]).backgroundColor",
                                 element)


def test_search_then_speaker_then_article_with_highlights(browser, server: str, db: Path
                                                         ) -> None:
    driver = browser
    driver.get(server + "/")
    assert _css(driver, "#n-articles")[0].text == "30"
    box = _css(driver, "form.big-search input[name=q]")[0]
    box.send_keys("rehaussée")
    box.submit()
    hits = _css(driver, "li.hit")
    assert len(hits) == 1 and "La digue sera rehaussée avant l'hiver" in hits[0].text
    assert "2 articles" in hits[0].text  # the wire copy is folded into the hit

    hits[0].find_element("css selector", "a.speaker").click()
    assert _css(driver, "h1.speaker-name")[0].text.startswith("Hélène Garnier")
    assert len(_css(driver, "figure.chart svg rect.bar")) == 1
    assert [a.text for a in _css(driver, "ul.alongside a")] == ["la préfecture"]

    _css(driver, "li.hit a.article-link")[0].click()
    assert _css(driver, "h1.article-title")[0].text.startswith("Digue")
    text = _css(driver, "div.article-text")[0]
    assert text.text.startswith(DIGUE[:40])
    contents = [e.text for e in _css(driver, ".article-text .hl-content")]
    cues = [e.text for e in _css(driver, ".article-text .hl-cue")]
    sources = [e.text for e in _css(driver, ".article-text .hl-source")]
    assert contents[0] == "La digue sera rehaussée avant l'hiver"
    assert cues == ["a déclaré", "Selon"]
    assert sources == ["la ministre Hélène Garnier", "la préfecture"]
    colours = {_background(driver, _css(driver, f".article-text .hl-{role}")[0])
               for role in ("content", "cue", "source")}
    assert len(colours) == 3 and "rgba(0, 0, 0, 0)" not in colours
    items = _css(driver, "ol.attributions li.attribution")
    assert len(items) == 2 and "Hélène Garnier" in items[0].text and "Selon" in items[1].text


def test_filters_and_pagination_in_the_browser(browser, server: str) -> None:
    from selenium.webdriver.support.ui import Select

    driver = browser
    driver.get(server + "/search?q=budget&per_page=10")
    assert "25 quotes" in _css(driver, "#result-count")[0].text
    _css(driver, "a[rel=next]")[0].click()
    assert "page 2 of 3" in _css(driver, "#result-count")[0].text
    Select(_css(driver, "select[name=kind]")[0]).select_by_value("indirect")
    _css(driver, "form.search input[name=q]")[0].submit()
    assert _css(driver, "#result-count")[0].text == "no quote matches"
    assert _css(driver, "select[name=kind] option:checked")[0].text == "indirect"


def test_script_in_an_article_shows_as_text_and_never_runs(browser, server: str, db: Path
                                                          ) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    driver = browser
    driver.get(f"{server}/articles/{article_key(db, 'hostile')}")
    assert "<script>alert('pwned')</script>" in _css(driver, "div.article-text")[0].text
    assert "<script>alert(1)</script>" in _css(driver, "h1.article-title")[0].text
    assert not _css(driver, "div.article-text script, div.article-text b, h1 img")
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018 - raises when no alert ever opened


PHONE_WIDTH = 390


def _main_pages(server: str, db: Path) -> list[str]:
    from web_helpers import speaker_id

    return [server + path for path in (
        "/", "/search?q=budget", "/search?q=digue&speaker=Garnier", "/speakers",
        f"/speakers/{speaker_id(db, 'Nadia Cherif')}", f"/articles/{article_key(db, 'digue')}",
        f"/articles/{article_key(db, 'hostile')}", "/try", "/api")]


def test_every_main_page_fits_a_phone(browser, server: str, db: Path) -> None:
    driver = browser
    driver.set_window_size(PHONE_WIDTH, 900)
    try:
        assert driver.execute_script("return window.innerWidth") == PHONE_WIDTH
        too_wide = {}
        for url in _main_pages(server, db):
            driver.get(url)
            width = driver.execute_script("return document.documentElement.scrollWidth")
            if width > PHONE_WIDTH:
                too_wide[url] = width
        assert too_wide == {}
        driver.get(server + "/")
        shot = os.environ.get("PROPOS_SCREENSHOT_DIR")
        if shot:  # for a person to look at: PROPOS_SCREENSHOT_DIR=/tmp pytest -k phone
            driver.save_screenshot(str(Path(shot) / "home-390.png"))
    finally:
        driver.set_window_size(1280, 1000)


def test_the_home_page_draws_the_corpus_balance(browser, server: str) -> None:
    driver = browser
    driver.get(server + "/")
    assert len(_css(driver, "figure.time-chart svg rect.bar")) >= 2
    shares = {table: [r.text for r in _css(driver, f"#{table} th")]
              for table in ("share-type", "share-gender", "share-outlet")}
    assert shares["share-type"][:2] == ["person", "organization"]
    assert set(shares["share-gender"]) == {"female", "male"}
    assert "Ouest Matin" in shares["share-outlet"]
    bars = _css(driver, "#share-type rect.bar")
    assert bars and float(bars[0].get_attribute("width")) > 50
    assert len(_css(driver, "table.top-speakers rect.bar")) >= 5


def test_only_direct_quotes_get_quotation_marks(browser, server: str, db: Path) -> None:
    driver = browser
    driver.get(f"{server}/articles/{article_key(db, 'digue')}")
    marks = [driver.execute_script(
        "return getComputedStyle(arguments[0], '::before').content", element)
        for element in _css(driver, "ol.attributions blockquote.quote")]
    assert marks == ['"« "', "none"]  # the direct quote, then the indirect one
