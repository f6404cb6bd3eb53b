"""The try-it form submitted as a person would, in headless Chromium, on a server started
with ``--allow-store``: the same-origin check lets the page's own post through (Chromium
used to send ``Origin: null`` under ``Referrer-Policy: no-referrer`` and got a 403), the
attribution is shown, and the text is stored when asked.

Browser set-up, and the reasons to skip, are those of ``test_web_browser.py``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_web_browser import _css, _missing, browser  # noqa: F401 - browser is a fixture
from web_helpers import build_web_db

pytestmark = [pytest.mark.skipif(_missing() is not None, reason=str(_missing())),
              pytest.mark.model, pytest.mark.slow, pytest.mark.usefixtures("fr_pipeline")]

TEXT = "« Nous rouvrirons la piscine en juin », a déclaré la maire de Vauclair, Léa Martin."


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_web_db(tmp_path_factory.mktemp("web-tryit") / "web.db")


@pytest.fixture(scope="module")
def server(db: Path) -> Iterator[str]:
    from propos.web.server import BackgroundServer

    with BackgroundServer(db, allow_store=True) as running:
        yield running.url.rstrip("/")


def _stored(db: Path, fragment: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT COUNT(*) FROM articles WHERE text LIKE ?",
                            (f"%{fragment}%",)).fetchone()[0]
    finally:
        conn.close()


def _submit(driver, server: str, text: str, store: bool) -> None:
    driver.get(server + "/try")
    _css(driver, "textarea#try-text")[0].send_keys(text)
    if store:
        _css(driver, "input[name=store]")[0].click()
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    button = _css(driver, "form.try button[type=submit]")[0]
    button.click()
    # the answer is a new page: wait until the form's page is gone (a loaded machine is slow)
    WebDriverWait(driver, 60).until(expected_conditions.staleness_of(button))
    WebDriverWait(driver, 60).until(
        lambda d: d.execute_script("return document.readyState") == "complete")


def test_the_try_it_form_extracts_in_the_browser(browser, server: str, db: Path  # noqa: F811
                                                ) -> None:
    _submit(browser, server, TEXT, store=False)
    assert not _css(browser, "p.error"), _css(browser, "p.error")[0].text
    assert _css(browser, ".article-text .hl-content")[0].text == \
        "Nous rouvrirons la piscine en juin"
    assert "Léa Martin" in _css(browser, "ol.attributions li.attribution")[0].text
    assert _stored(db, "rouvrirons la piscine") == 0


def test_the_try_it_form_stores_when_asked(browser, server: str, db: Path) -> None:  # noqa: F811
    text = TEXT.replace("juin", "juillet")
    _submit(browser, server, text, store=True)
    assert not _css(browser, "p.error"), _css(browser, "p.error")[0].text
    assert "Stored:" in _css(browser, "p.ok")[0].text
    assert _stored(db, "piscine en juillet") == 1
    _css(browser, "p.ok a")[0].click()
    assert _css(browser, "div.article-text")[0].text.startswith("« Nous rouvrirons")

